//! Finding an area as you type: GP practices by name, code or postcode; ICBs and local
//! authority districts by name or code.
//!
//! Names and codes are compared in [`super::normalise`]'s folded form (letter case, spacing
//! and punctuation ignored). Every area that matches is found; they are ordered by how well
//! they match, best first:
//!
//! 1. its code is the query, or (a practice) its postcode is;
//! 2. its name is the query;
//! 3. its name starts with the query;
//! 4. every word of the query starts a word of its name, in any order ("densham surg");
//! 5. a practice whose postcode starts with the query ("TS18", "ts18 1"), or an area whose
//!    code does ("A810");
//! 6. its name contains the query (three characters or more).
//!
//! Within a level ICBs come first, then districts, then practices, each alphabetically.
//! The index ([`SearchIndex::new`]) folds every name once; a search then scans about 7,000
//! short strings, well within a key press (benches/areas.sh measures it).

use super::normalise::{compact, fold};
use super::{Area, AreaKind, Dataset};

/// How well an area matched (lower is better): the levels of the module notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    Code,
    Name,
    NameStart,
    Words,
    CodeStart,
    Within,
}

/// One area found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub area: Area,
    pub matched: Match,
}

/// What a search found: the best `hits` (at most the limit asked for) and how many matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub hits: Vec<Hit>,
    pub total: usize,
}

struct Entry {
    area: Area,
    /// Folded name.
    name: String,
    /// Where each word of the name starts, in `name`.
    word_starts: Vec<u16>,
    /// Compact code.
    code: String,
    /// Compact postcode (practices), else empty.
    postcode: String,
    /// Sort key within a level: the kind, then the folded name.
    kind: AreaKind,
}

/// Every area of one year, folded once for searching.
pub struct SearchIndex {
    entries: Vec<Entry>,
}

impl SearchIndex {
    pub fn new(data: &Dataset) -> SearchIndex {
        let mut entries =
            Vec::with_capacity(data.icbs().len() + data.lads().len() + data.practices().len());
        let areas = data
            .areas(AreaKind::Icb)
            .into_iter()
            .chain(data.areas(AreaKind::Lad))
            .chain(data.areas(AreaKind::Practice));
        for area in areas {
            let name = fold(data.name(area));
            let word_starts = std::iter::once(0)
                .chain(
                    name.bytes()
                        .enumerate()
                        .filter(|&(_, b)| b == b' ')
                        .map(|(i, _)| i + 1),
                )
                .filter_map(|i| u16::try_from(i).ok())
                .collect();
            let postcode = match area {
                Area::Practice(i) => data
                    .practice(i)
                    .map_or(String::new(), |p| compact(&p.postcode)),
                _ => String::new(),
            };
            entries.push(Entry {
                area,
                name,
                word_starts,
                code: compact(data.code(area)),
                postcode,
                kind: area.kind(),
            });
        }
        // Alphabetical within each kind, so that a stable sort by level keeps that order.
        entries.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.name.cmp(&b.name)));
        SearchIndex { entries }
    }

    /// The areas matching `query`, best first, at most `limit` of them (see the module notes).
    /// An empty query finds nothing.
    pub fn search(&self, query: &str, limit: usize) -> Found {
        let folded = fold(query);
        let compacted = folded.replace(' ', "");
        if compacted.is_empty() {
            return Found {
                hits: Vec::new(),
                total: 0,
            };
        }
        let words: Vec<&str> = folded.split(' ').collect();
        let mut hits: Vec<Hit> = self
            .entries
            .iter()
            .filter_map(|e| {
                matches(e, &folded, &compacted, &words).map(|matched| Hit {
                    area: e.area,
                    matched,
                })
            })
            .collect();
        // Stable: entries are already in kind-then-name order.
        hits.sort_by_key(|h| h.matched);
        let total = hits.len();
        hits.truncate(limit);
        Found { hits, total }
    }
}

fn matches(e: &Entry, folded: &str, compacted: &str, words: &[&str]) -> Option<Match> {
    if e.code == compacted || (!e.postcode.is_empty() && e.postcode == compacted) {
        return Some(Match::Code);
    }
    if e.name == folded {
        return Some(Match::Name);
    }
    if e.name.starts_with(folded) {
        return Some(Match::NameStart);
    }
    let starts_a_word = |w: &str| {
        e.word_starts
            .iter()
            .any(|&s| e.name[usize::from(s)..].starts_with(w))
    };
    if words.iter().all(|w| starts_a_word(w)) {
        return Some(Match::Words);
    }
    if e.code.starts_with(compacted)
        || (!e.postcode.is_empty() && e.postcode.starts_with(compacted))
    {
        return Some(Match::CodeStart);
    }
    if folded.len() >= 3 && e.name.contains(folded) {
        return Some(Match::Within);
    }
    None
}
