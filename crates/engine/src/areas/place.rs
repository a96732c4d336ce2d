//! A place: a group of GP practices chosen by code, as in NHS England's place-based tool.
//!
//! Its need index is given two ways, and every figure says which:
//! - **against England**: `(ΣWP_place ÷ Σpop_place) ÷ (ΣWP_England ÷ Σpop_England)`, as an
//!   ICB's or a LAD's;
//! - **against its ICB** (NHS England's tool): `(ΣWP_place ÷ Σpop_place) ÷ (ΣWP_ICB ÷ Σpop_ICB)`,
//!   only when every practice is in the same ICB (a place lies within one ICB).
//!
//! The two are not comparable: 1.05 against an ICB that is itself 1.10 against England is
//! about 1.155 against England. Codes are matched in any letter case; a code given twice
//! counts once; a code not in the year's data (a practice that closed or had not opened) is
//! listed in [`Place::missing`] and left out of the sums.

use super::need::{self, indices};
use super::{Area, Dataset, Totals};

/// A place's practices and figures in one year.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// The practices found, by position in the year's data, ascending.
    pub practices: Vec<u32>,
    /// Codes given that are not in this year's data, as given, in order.
    pub missing: Vec<String>,
    pub totals: Totals,
    /// The ICBs the practices belong to (positions, ascending).
    pub icbs: Vec<u16>,
    /// Need index against England, by component position.
    pub against_england: [Option<f64>; 9],
    /// Need index against the place's ICB, when all its practices are in one.
    pub against_icb: Option<[Option<f64>; 9]>,
}

impl Place {
    /// The one ICB the place lies in, if it does.
    pub fn icb(&self) -> Option<u16> {
        match self.icbs.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

/// The place made of these practice codes in this year.
pub fn place<S: AsRef<str>>(data: &Dataset, codes: &[S]) -> Place {
    let mut practices = Vec::with_capacity(codes.len());
    let mut missing = Vec::new();
    for code in codes {
        match data.practice_by_code(code.as_ref()) {
            Some(i) => practices.push(i),
            None => missing.push(code.as_ref().to_string()),
        }
    }
    practices.sort_unstable();
    practices.dedup();
    from_positions(data, practices, missing)
}

/// The place made of practices given by position (from a list the app already holds).
pub fn from_positions(data: &Dataset, mut practices: Vec<u32>, missing: Vec<String>) -> Place {
    practices.retain(|&i| data.practice(i).is_some());
    practices.sort_unstable();
    practices.dedup();
    let totals = data.group_totals(&practices);
    let mut icbs: Vec<u16> = practices
        .iter()
        .filter_map(|&i| data.practice(i))
        .map(|p| p.icb)
        .collect();
    icbs.sort_unstable();
    icbs.dedup();
    let against_england = indices(&totals, &data.england());
    let against_icb = match icbs.as_slice() {
        [one] => Some(indices(&totals, &data.totals(Area::Icb(*one)))),
        _ => None,
    };
    Place {
        practices,
        missing,
        totals,
        icbs,
        against_england,
        against_icb,
    }
}

/// The sentence for a place against its ICB (or, spanning ICBs, against England).
pub fn sentence(data: &Dataset, place: &Place, subject: &str) -> String {
    match (place.icb(), &place.against_icb) {
        (Some(icb), Some(against)) => need::sentence(subject, data.name(Area::Icb(icb)), against),
        _ => need::sentence(subject, "England", &place.against_england),
    }
}
