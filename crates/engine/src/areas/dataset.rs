//! One year's decoded data: every practice with its ICB and LAD, and the totals of every
//! ICB, every LAD and England, summed once when the data is decoded.
//!
//! Practices are sorted by code, so a code is found by binary search. Every total is an exact
//! integer sum: populations in hundredths of a person, weighted populations in units of
//! 1/100 000 of a person ([`super::WEIGHTED_SCALE`]).

use super::{normalise, Component, DataYear, INDEX_SCALE, POPULATION_SCALE, WEIGHTED_SCALE};
use serde::Serialize;

/// An ICB or a local authority district: its code and name as published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub code: String,
    pub name: String,
}

/// One GP practice in one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Practice {
    /// ODS code: a letter and five digits ("A81001").
    pub code: String,
    pub name: String,
    pub postcode: String,
    /// Position of its ICB in [`Dataset::icbs`].
    pub icb: u16,
    /// Position of its LAD in [`Dataset::lads`].
    pub lad: u16,
    /// Registered population in hundredths of a person.
    pub population: u32,
    /// Need index per component in thousandths, by [`Component::position`].
    pub index: [u32; 9],
}

impl Practice {
    /// Weighted population for a component, in units of [`WEIGHTED_SCALE`] per person.
    pub fn weighted(&self, component: Component) -> u64 {
        u64::from(self.population) * u64::from(self.index[component.position()])
    }

    /// Registered population in people (for showing; sums use [`Practice::population`]).
    pub fn people(&self) -> f64 {
        f64::from(self.population) / POPULATION_SCALE as f64
    }

    /// The practice's own need index for a component, as held (against England's average,
    /// which is 1 in the data to within a millionth).
    pub fn index(&self, component: Component) -> f64 {
        f64::from(self.index[component.position()]) / INDEX_SCALE as f64
    }
}

/// Exact sums over a group of practices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub practices: u32,
    /// Hundredths of a person.
    pub population: u64,
    /// Units of 1/100 000 of a person, by [`Component::position`].
    pub weighted: [u64; 9],
}

impl Totals {
    /// Add one practice. `None` on overflow (never for real data: decoding checks England's).
    pub fn with_practice(mut self, practice: &Practice) -> Option<Totals> {
        self.practices = self.practices.checked_add(1)?;
        self.population = self
            .population
            .checked_add(u64::from(practice.population))?;
        for c in Component::ALL {
            let w = &mut self.weighted[c.position()];
            *w = w.checked_add(practice.weighted(c))?;
        }
        Some(self)
    }

    /// Registered population in people.
    pub fn people(&self) -> f64 {
        self.population as f64 / POPULATION_SCALE as f64
    }

    /// Weighted population in people.
    pub fn weighted_people(&self, component: Component) -> f64 {
        self.weighted[component.position()] as f64 / WEIGHTED_SCALE as f64
    }
}

/// What an area is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    England,
    Icb,
    Lad,
    Practice,
}

impl AreaKind {
    /// In plain words: "ICB", "local authority district", "GP practice".
    pub fn name(self) -> &'static str {
        match self {
            AreaKind::England => "England",
            AreaKind::Icb => "ICB",
            AreaKind::Lad => "local authority district",
            AreaKind::Practice => "GP practice",
        }
    }

    /// Reads `icb`, `lad` (or `la`, `district`) and `practice` (or `gp`).
    pub fn parse(text: &str) -> Option<AreaKind> {
        match normalise::fold(text).as_str() {
            "icb" | "icbs" => Some(AreaKind::Icb),
            "lad" | "lads" | "la" | "district" | "local authority district" => Some(AreaKind::Lad),
            "practice" | "practices" | "gp" | "gp practice" => Some(AreaKind::Practice),
            "england" => Some(AreaKind::England),
            _ => None,
        }
    }
}

/// An area of one [`Dataset`] (positions are that year's; across years, use codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    England,
    Icb(u16),
    Lad(u16),
    Practice(u32),
}

impl Area {
    pub fn kind(self) -> AreaKind {
        match self {
            Area::England => AreaKind::England,
            Area::Icb(_) => AreaKind::Icb,
            Area::Lad(_) => AreaKind::Lad,
            Area::Practice(_) => AreaKind::Practice,
        }
    }
}

/// England's ONS code.
pub const ENGLAND_CODE: &str = "E92000001";

/// One year of NHS England's data, decoded ([`super::decode`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    year: DataYear,
    content_hash: u64,
    icbs: Vec<Organisation>,
    lads: Vec<Organisation>,
    practices: Vec<Practice>,
    everyone: Vec<u32>,
    icb_members: Vec<Vec<u32>>,
    lad_members: Vec<Vec<u32>>,
    icb_totals: Vec<Totals>,
    lad_totals: Vec<Totals>,
    england: Totals,
}

impl Dataset {
    /// Assemble and check a year: practice codes strictly ascending, ICB and LAD codes
    /// unique, every practice's ICB and LAD in range, England's totals within `u64`.
    pub(crate) fn new(
        year: DataYear,
        content_hash: u64,
        icbs: Vec<Organisation>,
        lads: Vec<Organisation>,
        practices: Vec<Practice>,
    ) -> Result<Dataset, &'static str> {
        if practices.windows(2).any(|w| w[0].code >= w[1].code) {
            return Err("practice codes are not in order");
        }
        let unique = |orgs: &[Organisation]| orgs.windows(2).all(|w| w[0].code < w[1].code);
        if !unique(&icbs) || !unique(&lads) {
            return Err("ICB or district codes are not in order");
        }
        let mut icb_members = vec![Vec::new(); icbs.len()];
        let mut lad_members = vec![Vec::new(); lads.len()];
        let mut icb_totals = vec![Totals::default(); icbs.len()];
        let mut lad_totals = vec![Totals::default(); lads.len()];
        let mut england = Totals::default();
        let overflow = "the figures are too large";
        for (i, p) in practices.iter().enumerate() {
            let (icb, lad) = (usize::from(p.icb), usize::from(p.lad));
            if icb >= icbs.len() || lad >= lads.len() {
                return Err("a practice names an ICB or district that is not listed");
            }
            let i = u32::try_from(i).map_err(|_| "too many practices")?;
            icb_members[icb].push(i);
            lad_members[lad].push(i);
            england = england.with_practice(p).ok_or(overflow)?;
            icb_totals[icb] = icb_totals[icb].with_practice(p).ok_or(overflow)?;
            lad_totals[lad] = lad_totals[lad].with_practice(p).ok_or(overflow)?;
        }
        Ok(Dataset {
            year,
            content_hash,
            everyone: (0..practices.len() as u32).collect(),
            icbs,
            lads,
            practices,
            icb_members,
            lad_members,
            icb_totals,
            lad_totals,
            england,
        })
    }

    pub fn year(&self) -> DataYear {
        self.year
    }

    /// The asset's content hash (FNV-1a, 64 bits), checked when it was decoded; compare it
    /// with [`super::published`] to know which published file this is.
    pub fn content_hash(&self) -> u64 {
        self.content_hash
    }

    /// Every ICB, by code.
    pub fn icbs(&self) -> &[Organisation] {
        &self.icbs
    }

    /// Every local authority district, by code.
    pub fn lads(&self) -> &[Organisation] {
        &self.lads
    }

    /// Every practice, by code.
    pub fn practices(&self) -> &[Practice] {
        &self.practices
    }

    /// A practice by its position.
    pub fn practice(&self, position: u32) -> Option<&Practice> {
        self.practices.get(position as usize)
    }

    /// A practice's position from its code (any letter case, spaces ignored).
    pub fn practice_by_code(&self, code: &str) -> Option<u32> {
        let find = |code: &str| {
            self.practices
                .binary_search_by(|p| p.code.as_str().cmp(code))
                .ok()
                .map(|i| i as u32)
        };
        if is_canonical(code) {
            // As the data writes it: no need to fold (the common case, and fast).
            return find(code);
        }
        find(&normalise::compact(code).to_ascii_uppercase())
    }

    /// An ICB's position from its code.
    pub fn icb_by_code(&self, code: &str) -> Option<u16> {
        org_by_code(&self.icbs, code)
    }

    /// A LAD's position from its code.
    pub fn lad_by_code(&self, code: &str) -> Option<u16> {
        org_by_code(&self.lads, code)
    }

    /// The area with this code: England (`E92000001` or "England"), an ICB, a LAD or a practice.
    pub fn find_code(&self, code: &str) -> Option<Area> {
        if normalise::compact(code) == "england" || normalise::compact(code) == "e92000001" {
            return Some(Area::England);
        }
        self.icb_by_code(code)
            .map(Area::Icb)
            .or_else(|| self.lad_by_code(code).map(Area::Lad))
            .or_else(|| self.practice_by_code(code).map(Area::Practice))
    }

    /// Whether the handle belongs to this year's lists.
    pub fn contains(&self, area: Area) -> bool {
        match area {
            Area::England => true,
            Area::Icb(i) => usize::from(i) < self.icbs.len(),
            Area::Lad(i) => usize::from(i) < self.lads.len(),
            Area::Practice(i) => (i as usize) < self.practices.len(),
        }
    }

    /// The area's code ("" for a handle from another year that is out of range).
    pub fn code(&self, area: Area) -> &str {
        match area {
            Area::England => ENGLAND_CODE,
            Area::Icb(i) => self.icbs.get(usize::from(i)).map_or("", |o| &o.code),
            Area::Lad(i) => self.lads.get(usize::from(i)).map_or("", |o| &o.code),
            Area::Practice(i) => self.practice(i).map_or("", |p| &p.code),
        }
    }

    /// The area's name as published.
    pub fn name(&self, area: Area) -> &str {
        match area {
            Area::England => "England",
            Area::Icb(i) => self.icbs.get(usize::from(i)).map_or("", |o| &o.name),
            Area::Lad(i) => self.lads.get(usize::from(i)).map_or("", |o| &o.name),
            Area::Practice(i) => self.practice(i).map_or("", |p| &p.name),
        }
    }

    /// The practices that make up an area (positions, ascending).
    pub fn members(&self, area: Area) -> &[u32] {
        match area {
            Area::England => &self.everyone,
            Area::Icb(i) => self.icb_members.get(usize::from(i)).map_or(&[], |m| m),
            Area::Lad(i) => self.lad_members.get(usize::from(i)).map_or(&[], |m| m),
            Area::Practice(i) => self
                .everyone
                .get(i as usize)
                .map_or(&[], std::slice::from_ref),
        }
    }

    /// An area's totals.
    pub fn totals(&self, area: Area) -> Totals {
        match area {
            Area::England => self.england,
            Area::Icb(i) => self
                .icb_totals
                .get(usize::from(i))
                .copied()
                .unwrap_or_default(),
            Area::Lad(i) => self
                .lad_totals
                .get(usize::from(i))
                .copied()
                .unwrap_or_default(),
            Area::Practice(i) => self
                .practice(i)
                .and_then(|p| Totals::default().with_practice(p))
                .unwrap_or_default(),
        }
    }

    /// England's totals.
    pub fn england(&self) -> Totals {
        self.england
    }

    /// The totals of a group of practices by position; positions out of range and repeats
    /// are ignored (a group is a set).
    pub fn group_totals(&self, practices: &[u32]) -> Totals {
        let mut seen = practices.to_vec();
        seen.sort_unstable();
        seen.dedup();
        seen.iter()
            .filter_map(|&i| self.practice(i))
            // A subset of England cannot overflow what England's totals did not.
            .fold(Totals::default(), |t, p| t.with_practice(p).unwrap_or(t))
    }

    /// Every area of a kind, in code order.
    pub fn areas(&self, kind: AreaKind) -> Vec<Area> {
        match kind {
            AreaKind::England => vec![Area::England],
            AreaKind::Icb => (0..self.icbs.len() as u16).map(Area::Icb).collect(),
            AreaKind::Lad => (0..self.lads.len() as u16).map(Area::Lad).collect(),
            AreaKind::Practice => (0..self.practices.len() as u32)
                .map(Area::Practice)
                .collect(),
        }
    }

    /// The ICBs a LAD's practices belong to (most LADs lie in one ICB; a few span two).
    pub fn icbs_of(&self, area: Area) -> Vec<u16> {
        let mut icbs: Vec<u16> = self
            .members(area)
            .iter()
            .filter_map(|&i| self.practice(i))
            .map(|p| p.icb)
            .collect();
        icbs.sort_unstable();
        icbs.dedup();
        icbs
    }
}

fn org_by_code(orgs: &[Organisation], code: &str) -> Option<u16> {
    let find = |code: &str| {
        orgs.binary_search_by(|o| o.code.as_str().cmp(code))
            .ok()
            .and_then(|i| u16::try_from(i).ok())
    };
    if is_canonical(code) {
        return find(code);
    }
    find(&normalise::compact(code).to_ascii_uppercase())
}

/// A code as the data writes them: capital letters and digits only.
fn is_canonical(code: &str) -> bool {
    !code.is_empty()
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}
