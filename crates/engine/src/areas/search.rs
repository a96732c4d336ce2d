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

use super::normalise::{fold, fold_into};
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

const LEVELS: usize = 6;

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

/// A piece of [`SearchIndex::text`]: start and length.
#[derive(Clone, Copy, Debug, Default)]
struct Span(u32, u32);

struct Entry {
    area: Area,
    /// The folded name.
    name: Span,
    /// Where each word of the name starts, relative to it: `starts[first..first + count]`.
    words: Span,
    /// The code, compact.
    code: Span,
    /// A practice's postcode, compact (empty for others).
    postcode: Span,
    /// Which characters the name has ([`char_bits`]), and which start its words: a query
    /// with a character the name lacks cannot match it by name, which rules most names out
    /// at once.
    name_chars: u64,
    word_initials: u64,
}

/// A bit per letter and digit (and one for anything else) present in `text`.
fn char_bits(text: impl IntoIterator<Item = u8>) -> u64 {
    text.into_iter().fold(0, |bits, b| {
        bits | match b {
            b'a'..=b'z' => 1 << (b - b'a'),
            b'0'..=b'9' => 1 << (26 + b - b'0'),
            b' ' => 0,
            _ => 1 << 63,
        }
    })
}

/// Every area of one year, folded once for searching (one text buffer, so building it
/// makes a handful of allocations, not thousands).
pub struct SearchIndex {
    text: String,
    starts: Vec<u16>,
    entries: Vec<Entry>,
}

impl SearchIndex {
    pub fn new(data: &Dataset) -> SearchIndex {
        let count = data.icbs().len() + data.lads().len() + data.practices().len();
        let mut text = String::with_capacity(count * 40);
        let mut starts = Vec::with_capacity(count * 4);
        let mut entries = Vec::with_capacity(count);
        let areas = data
            .areas(AreaKind::Icb)
            .into_iter()
            .chain(data.areas(AreaKind::Lad))
            .chain(data.areas(AreaKind::Practice));
        let mut scratch = String::new();
        let mut put = |text: &mut String, s: &str, compact: bool| {
            let at = text.len();
            if compact {
                scratch.clear();
                fold_into(s, &mut scratch);
                text.extend(scratch.chars().filter(|&c| c != ' '));
            } else {
                fold_into(s, text);
            }
            Span(at as u32, (text.len() - at) as u32)
        };
        for area in areas {
            let name = put(&mut text, data.name(area), false);
            let first = starts.len() as u32;
            let folded = &text[name.0 as usize..];
            starts.push(0);
            starts.extend(
                folded
                    .bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b' ')
                    .filter_map(|(i, _)| u16::try_from(i + 1).ok()),
            );
            let words = Span(first, starts.len() as u32 - first);
            let code = put(&mut text, data.code(area), true);
            let postcode = match area {
                Area::Practice(i) => data
                    .practice(i)
                    .map_or(Span::default(), |p| put(&mut text, &p.postcode, true)),
                _ => Span(text.len() as u32, 0),
            };
            let folded = &text[name.0 as usize..(name.0 + name.1) as usize];
            let name_chars = char_bits(folded.bytes());
            let word_initials = char_bits(folded.split(' ').filter_map(|w| w.bytes().next()));
            entries.push(Entry {
                area,
                name,
                words,
                code,
                postcode,
                name_chars,
                word_initials,
            });
        }
        let mut index = SearchIndex {
            text,
            starts,
            entries,
        };
        // Alphabetical within each kind, so that collecting by level keeps that order.
        let mut entries = std::mem::take(&mut index.entries);
        entries.sort_by(|a, b| {
            a.area
                .kind()
                .cmp(&b.area.kind())
                .then_with(|| index.get(a.name).cmp(index.get(b.name)))
        });
        index.entries = entries;
        index
    }

    fn get(&self, span: Span) -> &str {
        &self.text[span.0 as usize..(span.0 + span.1) as usize]
    }

    /// The areas matching `query`, best first, at most `limit` of them (see the module notes).
    /// An empty query finds nothing.
    pub fn search(&self, query: &str, limit: usize) -> Found {
        let folded = fold(query);
        let compacted: String = folded.chars().filter(|&c| c != ' ').collect();
        let mut found = Found {
            hits: Vec::new(),
            total: 0,
        };
        if compacted.is_empty() {
            return found;
        }
        let words: Vec<&str> = folded.split(' ').collect();
        let query = Query {
            chars: char_bits(compacted.bytes()),
            initials: char_bits(words.iter().filter_map(|w| w.bytes().next())),
            folded: &folded,
            compacted: &compacted,
            words: &words,
        };
        // Entries are in kind-then-name order, so each level's list is too.
        let mut levels: [Vec<Area>; LEVELS] = Default::default();
        for e in &self.entries {
            if let Some(m) = self.matches(e, &query) {
                found.total += 1;
                let level = &mut levels[m as usize];
                if level.len() < limit {
                    level.push(e.area);
                }
            }
        }
        const ORDER: [Match; LEVELS] = [
            Match::Code,
            Match::Name,
            Match::NameStart,
            Match::Words,
            Match::CodeStart,
            Match::Within,
        ];
        for (matched, areas) in ORDER.into_iter().zip(levels) {
            for area in areas {
                if found.hits.len() == limit {
                    return found;
                }
                found.hits.push(Hit { area, matched });
            }
        }
        found
    }

    fn matches(&self, e: &Entry, q: &Query) -> Option<Match> {
        let code = self.get(e.code);
        let postcode = self.get(e.postcode);
        let by_code = |whole: bool| {
            let test = |s: &str| {
                if whole {
                    s == q.compacted
                } else {
                    s.starts_with(q.compacted)
                }
            };
            test(code) || (!postcode.is_empty() && test(postcode))
        };
        if by_code(true) {
            return Some(Match::Code);
        }
        // Every level by name needs every character of the query in the name.
        if q.chars & !e.name_chars == 0 {
            let name = self.get(e.name);
            if name == q.folded {
                return Some(Match::Name);
            }
            if name.starts_with(q.folded) {
                return Some(Match::NameStart);
            }
            if q.initials & !e.word_initials == 0 {
                let starts = &self.starts[e.words.0 as usize..(e.words.0 + e.words.1) as usize];
                let starts_a_word = |w: &str| {
                    starts.iter().any(|&s| {
                        name.get(usize::from(s)..)
                            .is_some_and(|rest| rest.starts_with(w))
                    })
                };
                if q.words.iter().all(|w| starts_a_word(w)) {
                    return Some(Match::Words);
                }
            }
            if by_code(false) {
                return Some(Match::CodeStart);
            }
            if q.folded.len() >= 3 && name.contains(q.folded) {
                return Some(Match::Within);
            }
            return None;
        }
        by_code(false).then_some(Match::CodeStart)
    }
}

/// A query, folded once, with its character bits.
struct Query<'a> {
    chars: u64,
    initials: u64,
    folded: &'a str,
    compacted: &'a str,
    words: &'a [&'a str],
}
