//! The scenario: what an analyst writes, the app edits, a link carries and the CLI reads.
//!
//! One door: [`decode`] (text) and [`decode_value`] (parsed JSON) are the only ways in, and
//! the only way to a [`ValidScenario`], the type every calculation takes. Reading is a
//! pipeline that never panics and never stops at the first problem: size limit → JSON
//! syntax → [`migrate`] to the current `schema_version` → typed fields, every field of the
//! wrong kind, unknown or missing reported at once (`decode.rs`) → validation, once
//! (`validate.rs`). A valid scenario's [`ValidScenario::compute`] then runs every part of the
//! engine the scenario uses (`compute.rs`) without checking it again; the results can be
//! written as CSV (`csv.rs`).
//!
//! - `mod.rs`: the format (the typed fields) and [`ValidScenario`].
//! - `migrate.rs`: older versions brought up to date.
//! - `decode.rs`: the door: text or JSON to a valid scenario, or every problem.
//! - `validate.rs`: every rule a scenario keeps, each problem with its field path.
//! - `compute.rs`: a valid scenario's results, their headlines and the conservation check.
//! - `csv.rs`: results as one long table.
//!
//! ## Versions
//! - **1**: one place. `{schema_version: 1, name, age_bands, place: {name, population,
//!   need_index?, market_forces_factor?}, rate_per_weighted_head}` — a single-year budget
//!   for one place, with no service lines.
//! - **2** (current): several `places`, a multi-year `budget` with service lines, a
//!   `first_year`, and optional `fair_shares`, `pooled_budget`, `outcome_contract`,
//!   `risk_share`, `lead_contract` and `pool` (risk pooling, simulated).
//!
//! A `pool` is simulated by [`ValidScenario::compute`] for only its first
//! [`pooling::FIRST_ESTIMATE_TRIALS`] trials, so the app stays fast on every keystroke;
//! [`ValidScenario::simulate`] runs every trial asked for (the CLI's `run`, the app's worker).
//!
//! A file of an older version is migrated step by step on reading; a newer one is
//! refused with a message saying so, never guessed at.

mod compute;
mod csv;
mod decode;
mod migrate;
mod validate;

pub use compute::{per_person, CalcError, PlaceResult, Results, YearTotal};
pub use csv::{csv_cell, csv_line, results_csv};
pub use decode::{decode, decode_value, file_text, read_json, NOT_UTF8};
pub use migrate::migrate;

use crate::budget::{CapitatedBudget, PooledBudget};
use crate::capitation::PlaceFactors;
use crate::fair_shares;
use crate::lead_commissioning::LeadContract;
use crate::money::Pence;
use crate::outcomes::OutcomeContract;
#[cfg(doc)]
use crate::pooling;
use crate::pooling::Pool;
use crate::population::{AgeBand, BandPopulation};
use crate::risk_share::RiskShareAgreement;
use crate::validation::Problem;
use serde::{Deserialize, Serialize};
use std::ops::Deref;

/// The version this engine writes, and reads without migrating.
pub const SCHEMA_VERSION: u64 = 2;

/// The largest scenario text accepted (1 MB): far above any real scenario, low enough
/// that a hostile file or link cannot make the page or the CLI work for long.
pub const MAX_SCENARIO_BYTES: usize = 1_000_000;

/// The most places one scenario may hold.
pub const MAX_PLACES: usize = 100;

/// A whole scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub schema_version: u64,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Figures are made up or approximate: the app labels them so.
    #[serde(default = "yes")]
    pub illustrative: bool,
    /// The first financial year, by the calendar year it starts in: 2025 is 2025/26.
    pub first_year: u16,
    pub age_bands: Vec<AgeBand>,
    pub places: Vec<Place>,
    /// Every place's capitated budget is worked out by this policy; its `years` is
    /// the scenario's horizon.
    pub budget: CapitatedBudget,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fair_shares: Option<FairSharesPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pooled_budget: Option<PooledBudget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_contract: Option<OutcomeContract>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_share: Option<RiskShareAgreement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_contract: Option<LeadContract>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<Pool>,
}

fn yes() -> bool {
    true
}

fn one() -> f64 {
    1.0
}

/// A place the budget is for: a town, an island, a CCG's area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    /// One entry per age band, in the scenario's `age_bands` order.
    pub population: Vec<BandPopulation>,
    #[serde(default = "one")]
    pub need_index: f64,
    #[serde(default = "one")]
    pub market_forces_factor: f64,
    /// Last year's allocation: needed when the scenario shares an envelope (`fair_shares`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Pence>,
}

impl Place {
    pub fn factors(&self) -> PlaceFactors {
        PlaceFactors {
            need_index: self.need_index,
            market_forces_factor: self.market_forces_factor,
        }
    }
}

/// Sharing an envelope among the scenario's places (every place needs a `baseline`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FairSharesPolicy {
    pub envelope: fair_shares::Envelope,
    pub pace_of_change: fair_shares::PaceOfChange,
}

/// The label of a financial year: 2025 → "2025/26".
pub fn financial_year(first_year: u16, offset: usize) -> String {
    let start = first_year as usize + offset;
    format!("{start}/{:02}", (start + 1) % 100)
}

impl Scenario {
    /// The scenario as pretty JSON (the same format the CLI and the app read).
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// How many years every yearly figure covers.
    pub fn horizon(&self) -> usize {
        self.budget.years
    }
}

/// A scenario that has passed validation: the only kind the engine calculates with.
///
/// Only the door makes one ([`decode`], [`decode_value`], [`ValidScenario::new`]), so a
/// calculation never checks its input again. It reads as a [`Scenario`] (it derefs to
/// one); to change it, take the scenario out ([`ValidScenario::into_scenario`]) and come
/// back in through the door.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ValidScenario(Scenario);

impl ValidScenario {
    /// Validate a typed scenario (once): valid, or every problem with it.
    pub fn new(scenario: Scenario) -> Result<ValidScenario, Vec<Problem>> {
        let problems = scenario.problems();
        if problems.is_empty() {
            Ok(ValidScenario(scenario))
        } else {
            Err(problems)
        }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.0
    }

    pub fn into_scenario(self) -> Scenario {
        self.0
    }
}

impl Deref for ValidScenario {
    type Target = Scenario;

    fn deref(&self) -> &Scenario {
        &self.0
    }
}

impl AsRef<Scenario> for ValidScenario {
    fn as_ref(&self) -> &Scenario {
        &self.0
    }
}
