//! Real areas: every integrated care board (ICB), local authority district (LAD) and GP
//! practice in England, from NHS England's published place-based allocation data
//! (registered and need-weighted populations for each practice, 2023/24 to 2028/29).
//! docs/AREAS.md describes the data, the asset format and how to regenerate it.
//!
//! ## What the data is
//!
//! For every GP practice and year: its ICB and LAD, its registered population, and one
//! **weighted population** per service component (core services overall; general and acute,
//! community, mental health, maternity, prescribing and health inequalities; primary medical
//! care and primary medical care need). NHS England normalises each component so that
//! England's total weighted population equals England's registered population. They are the
//! inputs to ICB target allocations, not allocations in pounds.
//!
//! ## Precision (what the asset holds; [`asset`])
//!
//! - a practice's **registered population** in hundredths of a person ([`POPULATION_SCALE`]),
//!   within 1/100 of a person of the source;
//! - a practice's **need index** for each component (weighted ÷ registered population) in
//!   thousandths ([`INDEX_SCALE`]), within 0.0007 of the source; its weighted population is
//!   population × index (so within 0.07 % of the source's, plus 1/100 of a person × index).
//!
//! Each figure is the source's rounded to the nearest unit (more than 99 % of them), except a
//! few that the **largest-remainder rule** rounds the other way so that England's totals in
//! the asset stay the source's: the population to 1/100 of a person, and each weighted
//! population within half a person (a quarter in practice). Only a figure within 0.2 of half
//! way may be rounded the other way, hence 0.0007. So England's weighted population equals its
//! registered population to the person in the asset, as in the source. The tests check all of
//! this for every practice and year (crates/engine/tests/areas_data.rs).
//!
//! ## Formulas
//!
//! - **Need index** of a group of practices *g* (an ICB, a LAD, a practice, a place) for a
//!   component, against a reference *r* (England, or the group's ICB):
//!   `(ΣWP_g ÷ Σpop_g) ÷ (ΣWP_r ÷ Σpop_r)`, in exact integer sums and one division
//!   ([`need`]). An ICB's, a LAD's or a practice's index is against England; a place's is
//!   shown against England and against its ICB (NHS England's tool), always saying which.
//! - **Fair share** (OneBudget's estimate, not the actual allocation): a national total ×
//!   ΣWP_g ÷ ΣWP_England, in pence, rounded half away from zero; among a set of areas that
//!   cover England the total is split by [`crate::money::apportion`] so the parts add up to it
//!   exactly ([`fair_share`]). Per person: the share ÷ registered population.
//! - **Rank**: among all ICBs (or all LADs) of the year by core need index, highest first,
//!   compared exactly ([`rank`]).
//!
//! Invariants: decoding never panics on any bytes; every sum is exact integer arithmetic, so
//! the figures are the same natively and in wasm; splits of money conserve the total.

pub mod asset;
pub mod dataset;
pub mod fair_share;
pub mod need;
pub mod normalise;
pub mod place;
pub mod published;
pub mod rank;
pub mod report;
pub mod search;
pub mod source;
pub mod trend;

pub use asset::{decode, AssetError};
pub use dataset::{Area, AreaKind, Dataset, Organisation, Practice, Totals};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Shown wherever the data is shown or shipped (SOURCES.md): the app, the README and the CLI.
pub const ATTRIBUTION: &str = "Contains public sector information licensed under the Open \
Government Licence v3.0. Source: NHS England, ICB place-based allocation tool data \
(GP practice registered and weighted populations, 2023/24 to 2028/29).";

/// A practice's registered population is held in hundredths of a person.
pub const POPULATION_SCALE: u64 = 100;

/// A practice's need index is held in thousandths.
pub const INDEX_SCALE: u64 = 1000;

/// A weighted population (population × index) is in these units per person: 1/100 000.
pub const WEIGHTED_SCALE: u64 = POPULATION_SCALE * INDEX_SCALE;

/// A financial year of the data, named by the calendar year it starts in: `2025` is 2025/26.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DataYear(pub(crate) u16);

impl DataYear {
    /// Every year NHS England has published, oldest first.
    pub const ALL: [DataYear; 6] = [
        DataYear(2023),
        DataYear(2024),
        DataYear(2025),
        DataYear(2026),
        DataYear(2027),
        DataYear(2028),
    ];

    /// The year OneBudget opens on: the current allocation year of the data (42 ICBs).
    pub const DEFAULT: DataYear = DataYear(2025);

    /// The first year after the April 2026 ICB mergers (42 ICBs became 36).
    pub const AFTER_MERGERS: DataYear = DataYear(2026);

    /// A year from its first calendar year, within 2000–2099.
    pub fn new(start: u16) -> Option<DataYear> {
        (2000..=2098).contains(&start).then_some(DataYear(start))
    }

    /// The calendar year the financial year starts in.
    pub fn start(self) -> u16 {
        self.0
    }

    /// "2025/26".
    pub fn label(self) -> String {
        format!("{}/{:02}", self.0, (self.0 + 1) % 100)
    }

    /// "2025-26": the asset's file name without `.bin`.
    pub fn file_stem(self) -> String {
        format!("{}-{:02}", self.0, (self.0 + 1) % 100)
    }

    /// "2025_2026.csv": NHS England's file name for the year.
    pub fn source_file_name(self) -> String {
        format!("{}_{}.csv", self.0, self.0 + 1)
    }

    /// The year before, if any.
    pub fn previous(self) -> Option<DataYear> {
        DataYear::new(self.0.checked_sub(1)?)
    }

    /// Reads `2025/26`, `2025-26`, `2025/2026`, `2025_2026`, `2025-2026` or `2025`.
    pub fn parse(text: &str) -> Option<DataYear> {
        let text = text.trim();
        let (first, second) = match text.find(['/', '-', '_']) {
            Some(at) => (&text[..at], Some(&text[at + 1..])),
            None => (text, None),
        };
        if first.len() != 4 || !first.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let start: u16 = first.parse().ok()?;
        let year = DataYear::new(start)?;
        match second {
            None => Some(year),
            Some(end) if end.len() == 2 && end.bytes().all(|b| b.is_ascii_digit()) => {
                (end.parse::<u16>().ok()? == (start + 1) % 100).then_some(year)
            }
            Some(end) if end.len() == 4 && end.bytes().all(|b| b.is_ascii_digit()) => {
                (end.parse::<u16>().ok()? == start + 1).then_some(year)
            }
            Some(_) => None,
        }
    }
}

impl fmt::Display for DataYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for DataYear {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.label())
    }
}

impl<'de> Deserialize<'de> for DataYear {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        DataYear::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("'{text}' is not a data year such as 2025/26"))
        })
    }
}

/// One service component of NHS England's allocation formula: each has its own weighted
/// population (and so its own need index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// Core services overall (`Final WP` / `Core WP`): what ICB core allocations follow.
    Core,
    GeneralAndAcute,
    Community,
    MentalHealth,
    Maternity,
    Prescribing,
    /// Avoidable mortality: the formula's health inequalities adjustment.
    HealthInequalities,
    /// Primary medical care as allocated (`Final PMC WP`; NHS England's "Primary Medical Care Index").
    PrimaryMedicalCare,
    /// Primary medical care need before adjustments (`Primary Medical Care WP`).
    PrimaryMedicalCareNeed,
}

impl Component {
    /// Every component, in the order figures are shown.
    pub const ALL: [Component; 9] = [
        Component::Core,
        Component::GeneralAndAcute,
        Component::Community,
        Component::MentalHealth,
        Component::Maternity,
        Component::Prescribing,
        Component::HealthInequalities,
        Component::PrimaryMedicalCare,
        Component::PrimaryMedicalCareNeed,
    ];

    /// The six parts of core services, among which the "biggest reason" is found.
    pub const CORE_PARTS: [Component; 6] = [
        Component::GeneralAndAcute,
        Component::Community,
        Component::MentalHealth,
        Component::Maternity,
        Component::Prescribing,
        Component::HealthInequalities,
    ];

    /// Position in [`Component::ALL`] (and in every per-component array).
    pub fn position(self) -> usize {
        self as usize
    }

    /// In plain words: "mental health".
    pub fn name(self) -> &'static str {
        match self {
            Component::Core => "core services",
            Component::GeneralAndAcute => "general and acute care",
            Component::Community => "community services",
            Component::MentalHealth => "mental health",
            Component::Maternity => "maternity",
            Component::Prescribing => "prescribing",
            Component::HealthInequalities => "health inequalities",
            Component::PrimaryMedicalCare => "primary medical care",
            Component::PrimaryMedicalCareNeed => "primary medical care need",
        }
    }

    /// The key used in JSON and CSV: "mental_health".
    pub fn key(self) -> &'static str {
        match self {
            Component::Core => "core",
            Component::GeneralAndAcute => "general_and_acute",
            Component::Community => "community",
            Component::MentalHealth => "mental_health",
            Component::Maternity => "maternity",
            Component::Prescribing => "prescribing",
            Component::HealthInequalities => "health_inequalities",
            Component::PrimaryMedicalCare => "primary_medical_care",
            Component::PrimaryMedicalCareNeed => "primary_medical_care_need",
        }
    }

    /// The weighted population's column in NHS England's files (core services is `Final WP`
    /// until 2025/26 and `Core WP` after).
    pub fn source_columns(self) -> &'static [&'static str] {
        match self {
            Component::Core => &["Core WP", "Final WP"],
            Component::GeneralAndAcute => &["G&A WP"],
            Component::Community => &["CS WP"],
            Component::MentalHealth => &["MH WP"],
            Component::Maternity => &["Mat WP"],
            Component::Prescribing => &["Prescr WP"],
            Component::HealthInequalities => &["Health Ineq WP"],
            Component::PrimaryMedicalCare => &["Final PMC WP"],
            Component::PrimaryMedicalCareNeed => &["Primary Medical Care WP"],
        }
    }

    /// The component named by its key or its plain name (`core`, `mental health`, …).
    pub fn parse(text: &str) -> Option<Component> {
        let wanted = normalise::fold(text);
        Component::ALL.into_iter().find(|c| {
            normalise::fold(c.key()) == wanted
                || normalise::fold(c.name()) == wanted
                || (c.name().ends_with(" care")
                    && normalise::fold(c.name().trim_end_matches(" care")) == wanted)
        })
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_read_and_print_every_way_they_are_written() {
        let y = DataYear::new(2025).unwrap();
        assert_eq!(y.label(), "2025/26");
        assert_eq!(y.file_stem(), "2025-26");
        assert_eq!(y.source_file_name(), "2025_2026.csv");
        for text in ["2025/26", "2025-26", "2025_2026", "2025/2026", " 2025 "] {
            assert_eq!(DataYear::parse(text), Some(y), "{text}");
        }
        for text in [
            "2025/27",
            "25/26",
            "2025/",
            "",
            "abcd",
            "2025/2027",
            "1999/00",
        ] {
            assert_eq!(DataYear::parse(text), None, "{text}");
        }
        assert_eq!(DataYear::parse("2099/00"), None);
        assert_eq!(DataYear::new(2098).unwrap().label(), "2098/99");
        let json = serde_json::to_string(&y).unwrap();
        assert_eq!(json, "\"2025/26\"");
        assert_eq!(serde_json::from_str::<DataYear>(&json).unwrap(), y);
    }

    #[test]
    fn components_have_positions_keys_and_names() {
        for (i, c) in Component::ALL.into_iter().enumerate() {
            assert_eq!(c.position(), i);
            assert_eq!(Component::parse(c.key()), Some(c));
            assert_eq!(Component::parse(c.name()), Some(c));
        }
        assert_eq!(
            Component::parse("General and acute"),
            Some(Component::GeneralAndAcute)
        );
        assert_eq!(Component::parse("nothing"), None);
    }
}
