//! The trend from 2023/24 to 2028/29, and what the April 2026 ICB mergers changed.
//!
//! Two series, because areas change between years:
//! - **as published**: the area with this code in each year (an ICB that merged has no
//!   figures after it; a practice that closed, none after it closed);
//! - **the same practices**: the practices that made up the area in the year chosen,
//!   followed through every year (those not in a year's data are left out of that year).
//!   This is what makes years comparable across the mergers: for NHS Central East ICB
//!   (from 2026/27) it gives the figures of its practices back to 2023/24.
//!
//! Every figure is that year's, against that year's England. **ICB changes** are derived
//! from the practices: each practice's ICB in one year against the next ([`icb_changes`]);
//! between 2025/26 and 2026/27 they are the mergers (42 ICBs became 36, new codes T01–T07,
//! and some ICBs' practices went to more than one new ICB).

use super::dataset::Organisation;
use super::need::indices;
use super::place::place;
use super::{Area, AreaKind, DataYear, Dataset};
use crate::working::people;
use serde::Serialize;

/// One year of a series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendPoint {
    pub year: DataYear,
    /// The area's name that year; None when there is no such area that year.
    pub name: Option<String>,
    pub practices: u32,
    /// Registered population, people.
    pub people: f64,
    /// Need index against that year's England, by component position.
    pub need: [Option<f64>; 9],
}

/// An area's trend over the years given.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trend {
    pub code: String,
    pub kind: AreaKind,
    /// The year the area was chosen in (whose practices make the second series).
    pub chosen_year: DataYear,
    pub as_published: Vec<TrendPoint>,
    pub same_practices: Vec<TrendPoint>,
    /// What changed, in plain words: mergers, practices that opened or closed.
    pub changes: Vec<String>,
}

/// The trend of `area` (an area of `chosen`) over `years` (in any order; shown oldest first).
pub fn trend(years: &[&Dataset], chosen: &Dataset, area: Area) -> Trend {
    let mut years: Vec<&Dataset> = years.to_vec();
    years.sort_by_key(|d| d.year());
    years.dedup_by_key(|d| d.year());
    let code = chosen.code(area).to_string();
    let kind = area.kind();
    let members: Vec<&str> = chosen
        .members(area)
        .iter()
        .filter_map(|&i| chosen.practice(i))
        .map(|p| p.code.as_str())
        .collect();
    let point = |data: &Dataset, name: Option<String>, totals: super::Totals| TrendPoint {
        year: data.year(),
        name,
        practices: totals.practices,
        people: totals.people(),
        need: indices(&totals, &data.england()),
    };
    let as_published = years
        .iter()
        .map(|data| match find(data, kind, &code) {
            Some(a) => point(data, Some(data.name(a).to_string()), data.totals(a)),
            None => point(data, None, super::Totals::default()),
        })
        .collect();
    let same_practices = years
        .iter()
        .map(|data| {
            let p = place(data, &members);
            point(data, None, p.totals)
        })
        .collect();
    let mut changes = Vec::new();
    if kind == AreaKind::Practice {
        changes.extend(practice_years(&years, &code));
    }
    for pair in years.windows(2) {
        let changed = icb_changes(pair[0], pair[1]);
        changes.extend(changed.describe(pair[0], pair[1], kind, &code, &members));
    }
    Trend {
        code,
        kind,
        chosen_year: chosen.year(),
        as_published,
        same_practices,
        changes,
    }
}

/// The area of this kind with this code in a year.
pub fn find(data: &Dataset, kind: AreaKind, code: &str) -> Option<Area> {
    match kind {
        AreaKind::England => Some(Area::England),
        AreaKind::Icb => data.icb_by_code(code).map(Area::Icb),
        AreaKind::Lad => data.lad_by_code(code).map(Area::Lad),
        AreaKind::Practice => data.practice_by_code(code).map(Area::Practice),
    }
}

/// "First in the data in 2024/25", "Not in the data from 2025/26 (closed or merged)".
fn practice_years(years: &[&Dataset], code: &str) -> Vec<String> {
    let present: Vec<bool> = years
        .iter()
        .map(|d| d.practice_by_code(code).is_some())
        .collect();
    let mut notes = Vec::new();
    for (i, pair) in present.windows(2).enumerate() {
        let year = years[i + 1].year().label();
        match (pair[0], pair[1]) {
            (false, true) => notes.push(format!("Practice {code} is first in the data in {year}.")),
            (true, false) => notes.push(format!(
                "Practice {code} is not in the data from {year} (it closed or merged with another practice)."
            )),
            _ => {}
        }
    }
    notes
}

/// Practices that moved from one ICB to another (or stayed) between two years.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Move {
    /// The ICB in the earlier year.
    pub from: Organisation,
    /// The ICB in the later year.
    pub to: Organisation,
    pub practices: u32,
    /// Their registered population in the earlier year, people.
    pub people: f64,
}

/// How practices' ICBs changed between two years.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IcbChanges {
    pub before: DataYear,
    pub after: DataYear,
    /// Every (from, to) pair with at least one practice, by codes; `from == to` when it stayed.
    pub moves: Vec<Move>,
    /// Practices of each earlier ICB that are not in the later year.
    pub closed: Vec<(Organisation, u32)>,
    /// Practices of each later ICB that were not in the earlier year.
    pub opened: Vec<(Organisation, u32)>,
}

/// Each practice's ICB in `before` against `after`, by practice code.
pub fn icb_changes(before: &Dataset, after: &Dataset) -> IcbChanges {
    use std::collections::BTreeMap;
    let mut moves: BTreeMap<(u16, u16), (u32, u64)> = BTreeMap::new();
    let mut closed: BTreeMap<u16, u32> = BTreeMap::new();
    let mut opened: BTreeMap<u16, u32> = BTreeMap::new();
    // Both years are sorted by practice code: walk them together.
    let (a, b) = (before.practices(), after.practices());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(p), Some(q)) if p.code == q.code => {
                let m = moves.entry((p.icb, q.icb)).or_default();
                m.0 += 1;
                m.1 += u64::from(p.population);
                i += 1;
                j += 1;
            }
            (Some(p), Some(q)) if p.code < q.code => {
                *closed.entry(p.icb).or_default() += 1;
                i += 1;
            }
            (Some(p), None) => {
                *closed.entry(p.icb).or_default() += 1;
                i += 1;
            }
            (_, Some(q)) => {
                *opened.entry(q.icb).or_default() += 1;
                j += 1;
            }
            (None, None) => break,
        }
    }
    let org = |d: &Dataset, i: u16| Organisation {
        code: d.code(Area::Icb(i)).to_string(),
        name: d.name(Area::Icb(i)).to_string(),
    };
    IcbChanges {
        before: before.year(),
        after: after.year(),
        moves: moves
            .into_iter()
            .map(|((f, t), (n, pop))| Move {
                from: org(before, f),
                to: org(after, t),
                practices: n,
                people: pop as f64 / super::POPULATION_SCALE as f64,
            })
            .collect(),
        closed: closed
            .into_iter()
            .map(|(i, n)| (org(before, i), n))
            .collect(),
        opened: opened
            .into_iter()
            .map(|(i, n)| (org(after, i), n))
            .collect(),
    }
}

impl IcbChanges {
    /// Moves between different ICB codes.
    pub fn changed(&self) -> impl Iterator<Item = &Move> {
        self.moves.iter().filter(|m| m.from.code != m.to.code)
    }

    /// The changes that concern an area, in plain words; nothing when none did.
    pub fn describe(
        &self,
        before: &Dataset,
        after: &Dataset,
        kind: AreaKind,
        code: &str,
        members: &[&str],
    ) -> Vec<String> {
        let from = self.after.label();
        let moved = |m: &Move| format!("{} practices, {} people", m.practices, people(m.people));
        let named = |o: &Organisation| format!("{} ({})", o.name, o.code);
        match kind {
            AreaKind::England => Vec::new(),
            AreaKind::Icb => {
                let in_before = before.icb_by_code(code).is_some();
                let in_after = after.icb_by_code(code).is_some();
                let out: Vec<&Move> = self.changed().filter(|m| m.from.code == code).collect();
                let into: Vec<&Move> = self.changed().filter(|m| m.to.code == code).collect();
                let list = |ms: &[&Move], side: fn(&Move) -> &Organisation| {
                    ms.iter()
                        .map(|m| format!("{} ({})", named(side(m)), moved(m)))
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                let mut notes = Vec::new();
                if in_before && !in_after && !out.is_empty() {
                    notes.push(format!(
                        "{} is not an ICB from {from}: its practices went to {}.",
                        named(&out[0].from),
                        list(&out, |m| &m.to)
                    ));
                } else if !in_before && in_after && !into.is_empty() {
                    notes.push(format!(
                        "{} is an ICB from {from}, formed from practices of {}.",
                        named(&into[0].to),
                        list(&into, |m| &m.from)
                    ));
                } else {
                    if !into.is_empty() {
                        notes.push(format!(
                            "{} gained practices in {from} from {}.",
                            named(&into[0].to),
                            list(&into, |m| &m.from)
                        ));
                    }
                    if !out.is_empty() {
                        notes.push(format!(
                            "{} lost practices in {from} to {}.",
                            named(&out[0].from),
                            list(&out, |m| &m.to)
                        ));
                    }
                }
                notes
            }
            AreaKind::Lad | AreaKind::Practice => {
                // The ICBs of the area's practices (the chosen year's), before and after, by
                // code (names change case between years).
                let icbs = |d: &Dataset| {
                    let mut v: Vec<(String, String)> = members
                        .iter()
                        .filter_map(|c| d.practice_by_code(c))
                        .filter_map(|i| d.practice(i))
                        .map(|p| {
                            let icb = Area::Icb(p.icb);
                            (
                                d.code(icb).to_string(),
                                format!("{} ({})", d.name(icb), d.code(icb)),
                            )
                        })
                        .collect();
                    v.sort();
                    v.dedup_by(|a, b| a.0 == b.0);
                    v
                };
                let (was, is) = (icbs(before), icbs(after));
                let codes =
                    |v: &[(String, String)]| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
                if was.is_empty() || is.is_empty() || codes(&was) == codes(&is) {
                    return Vec::new();
                }
                let names = |v: &[(String, String)]| {
                    v.iter()
                        .map(|x| x.1.as_str())
                        .collect::<Vec<_>>()
                        .join(" and ")
                };
                let subject = if kind == AreaKind::Practice {
                    format!("Practice {code}")
                } else {
                    "This district's practices".to_string()
                };
                vec![format!(
                    "{subject} moved ICB in {from}: from {} to {}.",
                    names(&was),
                    names(&is)
                )]
            }
        }
    }
}
