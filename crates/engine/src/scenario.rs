//! The scenario: what an analyst writes, the app edits, a link carries and the CLI reads.
//!
//! Reading one is a pipeline that never panics and never stops at the first problem:
//! `decode` = size limit → JSON syntax → [`migrate`] to the current `schema_version`
//! → typed fields (unknown fields rejected, with their path) → [`Scenario::problems`].
//! Then [`Scenario::compute`] runs every part of the engine the scenario uses.
//!
//! ## Versions
//! - **1**: one place. `{schema_version: 1, name, age_bands, place: {name, population,
//!   need_index?, market_forces_factor?}, rate_per_weighted_head}` — a single-year budget
//!   for one place, with no service lines.
//! - **2** (current): several `places`, a multi-year `budget` with service lines, a
//!   `first_year`, and optional `fair_shares`, `pooled_budget`, `outcome_contract`,
//!   `risk_share`, `lead_contract` and `pool` (risk pooling, simulated).
//!
//! A `pool` is simulated by [`Scenario::compute`] for only its first
//! [`pooling::FIRST_ESTIMATE_TRIALS`] trials, so the app stays fast on every keystroke;
//! [`Scenario::simulate`] runs every trial asked for (the CLI's `run`, the app's worker).
//!
//! A file of an older version is migrated step by step on reading; a newer one is
//! refused with a message saying so, never guessed at.

use crate::budget::{self, BudgetPlan, CapitatedBudget, PooledBudget, PooledBudgetResult};
use crate::capitation::{self, PlaceFactors};
use crate::fair_shares::{self, FairShares, FairSharesResult};
use crate::lead_commissioning::{self, LeadContract, LeadContractResult};
use crate::money::{self, MoneyError, Pence};
use crate::outcomes::{OutcomeContract, OutcomePayment};
use crate::pooling::{self, Pool, PoolingError, PoolingResult};
use crate::population::{self, AgeBand, BandPopulation};
use crate::risk_share::{RiskShareAgreement, RiskShareResult};
use crate::validation::{Problem, Problems};
use crate::working::{people, percent, Working};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

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

/// Why a scenario could not be read or computed.
#[derive(Clone, Debug, PartialEq)]
pub enum ScenarioError {
    /// Everything wrong with the input, each with its field path.
    Invalid(Vec<Problem>),
    /// A valid scenario whose amounts are too large to calculate with.
    Money { part: String, error: String },
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Invalid(problems) => {
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{p}")?;
                }
                Ok(())
            }
            ScenarioError::Money { part, error } => write!(f, "{part}: {error}"),
        }
    }
}

impl std::error::Error for ScenarioError {}

fn money_error(part: &str) -> impl Fn(MoneyError) -> ScenarioError + '_ {
    move |e| ScenarioError::Money {
        part: part.to_string(),
        error: e.to_string(),
    }
}

/// Turn a module's own error into a scenario error, re-rooting its problem paths
/// under the scenario field it came from.
fn part_error(part: &str, invalid: Option<Vec<Problem>>, other: String) -> ScenarioError {
    match invalid {
        Some(list) => ScenarioError::Invalid(
            list.into_iter()
                .map(|mut p| {
                    p.path = reroot(part, &p.path);
                    p
                })
                .collect(),
        ),
        None => ScenarioError::Money {
            part: part.to_string(),
            error: other,
        },
    }
}

fn reroot(part: &str, path: &str) -> String {
    if path.is_empty() {
        part.to_string()
    } else if path.starts_with(part) {
        path.to_string()
    } else if path.starts_with('[') {
        format!("{part}{path}")
    } else {
        format!("{part}.{path}")
    }
}

/// Read a scenario from JSON text: every problem at once, each with its field path.
pub fn decode(text: &str) -> Result<Scenario, Vec<Problem>> {
    // Some Windows editors and spreadsheet exports start UTF-8 with a byte order mark;
    // JSON does not allow one, but it is not the analyst's mistake.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(vec![Problem::new(
            "(scenario)",
            format!("{} bytes", text.len()),
            format!("is too large: a scenario may be at most {MAX_SCENARIO_BYTES} bytes"),
        )]);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![Problem::new(
            "(scenario)",
            format!("line {}, column {}", e.line(), e.column()),
            format!("is not valid JSON: {}", json_error_text(&e)),
        )]
    })?;
    decode_value(value)
}

/// [`decode`] for JSON already parsed (the app's storage and links).
pub fn decode_value(value: Value) -> Result<Scenario, Vec<Problem>> {
    let value = migrate(value)?;
    let scenario: Scenario = crate::field_path::deserialize(&value).map_err(|e| {
        vec![Problem::new(
            field_path(&e.path),
            "—",
            field_error_text(&e.error),
        )]
    })?;
    let problems = scenario.problems();
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(problems)
    }
}

/// A serde path as shown to people: the whole scenario is `(scenario)`, and a key that
/// is the empty string (which JSON allows) is shown as `""` rather than vanishing.
fn field_path(path: &str) -> String {
    if path.is_empty() || path == "." {
        "(scenario)".to_string()
    } else if path.ends_with('.') {
        format!("{path}\"\"")
    } else {
        path.to_string()
    }
}

fn json_error_text(e: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; the value field already says where.
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn field_error_text(e: &serde_json::Error) -> String {
    json_error_text(e).replace("invalid type: ", "wrong kind of value: ")
}

/// Bring a scenario of any earlier version up to [`SCHEMA_VERSION`].
pub fn migrate(mut value: Value) -> Result<Value, Vec<Problem>> {
    let version = match value.get("schema_version") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(other) => {
            return Err(vec![Problem::new(
                "schema_version",
                other,
                format!("must be a whole number from 1 to {SCHEMA_VERSION}"),
            )])
        }
        None if value.is_object() => {
            return Err(vec![Problem::new(
                "schema_version",
                "missing",
                format!("every scenario says which version it is: this OneBudget reads versions 1 to {SCHEMA_VERSION}"),
            )])
        }
        None => {
            return Err(vec![Problem::new(
                "(scenario)",
                short(&value),
                "must be a JSON object with the scenario's fields",
            )])
        }
    };
    let mut version = match version {
        Some(v) if (1..=SCHEMA_VERSION).contains(&v) => v,
        Some(v) if v > SCHEMA_VERSION => {
            return Err(vec![Problem::new(
                "schema_version",
                v,
                format!(
                    "was made by a newer OneBudget: this one reads versions 1 to {SCHEMA_VERSION}"
                ),
            )])
        }
        _ => {
            return Err(vec![Problem::new(
                "schema_version",
                value["schema_version"].clone(),
                format!("must be a whole number from 1 to {SCHEMA_VERSION}"),
            )])
        }
    };
    while version < SCHEMA_VERSION {
        value = match version {
            1 => migrate_1_to_2(value)?,
            _ => unreachable_version(version)?,
        };
        version += 1;
    }
    Ok(value)
}

fn unreachable_version(version: u64) -> Result<Value, Vec<Problem>> {
    Err(vec![Problem::new(
        "schema_version",
        version,
        "has no migration in this OneBudget",
    )])
}

fn short(value: &Value) -> String {
    let s = value.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

/// Version 1 held one `place` and a single-year `rate_per_weighted_head`; version 2
/// holds `places` and a multi-year `budget`. A version-1 file becomes a one-place,
/// one-year scenario with a single service line, starting in 2025/26.
fn migrate_1_to_2(value: Value) -> Result<Value, Vec<Problem>> {
    let Value::Object(mut map) = value else {
        return Err(vec![Problem::new(
            "(scenario)",
            short(&value),
            "must be a JSON object",
        )]);
    };
    let mut problems = Vec::new();
    let place = map.remove("place");
    let rate = map.remove("rate_per_weighted_head");
    if place.is_none() {
        problems.push(Problem::new(
            "place",
            "missing",
            "a version 1 scenario has one place",
        ));
    }
    if rate.is_none() {
        problems.push(Problem::new(
            "rate_per_weighted_head",
            "missing",
            "a version 1 scenario has a rate per weighted head, in pence",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    map.insert("schema_version".into(), Value::from(2));
    map.insert(
        "places".into(),
        Value::Array(vec![place.unwrap_or(Value::Null)]),
    );
    map.entry("first_year").or_insert(Value::from(2025));
    map.insert(
        "budget".into(),
        serde_json::json!({
            "rate_per_weighted_head": rate.unwrap_or(Value::Null),
            "years": 1,
            "uplift": 0.0,
            "efficiency": 0.0,
            "service_lines": [{"name": "All services", "share": 1.0}],
        }),
    );
    Ok(Value::Object(map))
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

    /// Every problem with the scenario, each with its field path.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Problems::new();
        if self.schema_version != SCHEMA_VERSION {
            out.push(
                "schema_version",
                self.schema_version,
                format!(
                    "must be {SCHEMA_VERSION} once read (older versions are migrated on reading)"
                ),
            );
        }
        out.not_blank("name", &self.name);
        if !(2000..=2100).contains(&self.first_year) {
            out.push(
                "first_year",
                self.first_year,
                "must be the calendar year the first financial year starts in, from 2000 to 2100",
            );
        }
        population::age_band_problems(&self.age_bands, "age_bands", &mut out);
        if self.places.is_empty() {
            out.push("places", "none", "give at least one place");
        }
        if self.places.len() > MAX_PLACES {
            out.push(
                "places",
                self.places.len(),
                format!("at most {MAX_PLACES} places"),
            );
        }
        for (i, place) in self.places.iter().enumerate() {
            let path = format!("places[{i}]");
            out.not_blank(&format!("{path}.name"), &place.name);
            if self.places[..i]
                .iter()
                .any(|p| p.name.trim().eq_ignore_ascii_case(place.name.trim()))
            {
                out.push(
                    format!("{path}.name"),
                    &place.name,
                    "each place needs a different name",
                );
            }
            if place.population.len() != self.age_bands.len() {
                out.push(
                    format!("{path}.population"),
                    format!("{} bands", place.population.len()),
                    format!(
                        "must give one entry for each of the {} age bands",
                        self.age_bands.len()
                    ),
                );
            }
            for (b, band) in place.population.iter().enumerate() {
                band.problems(&format!("{path}.population[{b}]"), &mut out);
            }
            if !place.population.is_empty() && population::headcount(&place.population) == 0 {
                out.push(
                    format!("{path}.population"),
                    0,
                    "a place needs at least one person",
                );
            }
            place.factors().problems(&path, &mut out);
            if let Some(baseline) = place.baseline {
                if baseline.pence() < 0 {
                    out.push(
                        format!("{path}.baseline"),
                        baseline.pence(),
                        "must be 0 pence or more",
                    );
                }
            }
        }
        self.budget.problems("budget", &mut out);
        if let Some(policy) = &self.fair_shares {
            policy.envelope.problems("fair_shares.envelope", &mut out);
            policy
                .pace_of_change
                .problems("fair_shares.pace_of_change", &mut out);
            self.fair_shares_population_problems(&mut out);
            for (i, place) in self.places.iter().enumerate() {
                if place.baseline.is_none() {
                    out.push(
                        format!("places[{i}].baseline"),
                        "missing",
                        "sharing an envelope (fair_shares) needs every place's baseline, in pence",
                    );
                }
            }
        }
        if let Some(pool) = &self.pooled_budget {
            pool.problems("pooled_budget", &mut out);
        }
        if let Some(contract) = &self.outcome_contract {
            contract.problems("outcome_contract", &mut out);
        }
        if let Some(agreement) = &self.risk_share {
            agreement.problems("risk_share", &mut out);
        }
        if let Some(contract) = &self.lead_contract {
            contract.problems("lead_contract", &mut out);
        }
        if let Some(pool) = &self.pool {
            pool.problems("pool", &mut out);
        }
        out.into_vec()
    }

    /// Fair shares divide by weighted population, so every place needs between 1 and
    /// `fair_shares::MAX_PEOPLE` weighted (and raw) people in every year of the horizon.
    /// Checked here, on the place's population, so a valid scenario always computes.
    fn fair_shares_population_problems(&self, out: &mut Problems) {
        let years = self.horizon().clamp(1, population::MAX_YEARS);
        for (i, place) in self.places.iter().enumerate() {
            if place.population.len() != self.age_bands.len() {
                continue; // already reported
            }
            for t in 0..years {
                let by_band: Vec<f64> = place.population.iter().map(|b| b.projected(t)).collect();
                let raw: f64 = by_band.iter().sum();
                let weighted =
                    capitation::weighted_population(&by_band, &self.age_bands, &place.factors());
                let in_range =
                    |x: f64| x.is_finite() && (1.0..=fair_shares::MAX_PEOPLE).contains(&x);
                if !in_range(weighted) || !in_range(raw) {
                    out.push(
                        format!("places[{i}].population"),
                        format!(
                            "{} people, {} weighted, in {}",
                            people(raw),
                            people(weighted),
                            financial_year(self.first_year, t)
                        ),
                        "sharing an envelope (fair_shares) needs each place to have from 1 to \
                         10,000,000,000 people, weighted and unweighted, in every year",
                    );
                    break;
                }
            }
        }
    }

    /// Every figure the scenario asks for, with its working.
    pub fn compute(&self) -> Result<Results, ScenarioError> {
        let problems = self.problems();
        if !problems.is_empty() {
            return Err(ScenarioError::Invalid(problems));
        }
        let years = self.horizon();
        let mut places = Vec::with_capacity(self.places.len());
        for (i, place) in self.places.iter().enumerate() {
            let plan = budget::capitated_budget(
                &place.name,
                &self.age_bands,
                &place.population,
                &place.factors(),
                &self.budget,
            )
            .map_err(|e| match e {
                budget::BudgetError::Invalid(list) => {
                    part_error(&format!("places[{i}]"), Some(list), String::new())
                }
                budget::BudgetError::Money(m) => money_error(&place.name)(m),
            })?;
            let now = capitation::current_people(&place.population);
            places.push(PlaceResult {
                name: place.name.clone(),
                people: population::headcount(&place.population),
                weighted_population: capitation::weighted_population_working(
                    &place.name,
                    &now,
                    &self.age_bands,
                    &place.factors(),
                ),
                budget: plan,
            });
        }
        let totals = yearly_totals(self, &places)?;

        let fair_shares = match &self.fair_shares {
            Some(policy) => Some(self.fair_shares_result(policy, &places)?),
            None => None,
        };
        let pooled_budget = match &self.pooled_budget {
            Some(pool) => Some(budget::pooled_budget(pool).map_err(|e| match e {
                budget::BudgetError::Invalid(list) => {
                    part_error("pooled_budget", Some(list), String::new())
                }
                budget::BudgetError::Money(m) => money_error("pooled_budget")(m),
            })?),
            None => None,
        };
        let outcome_payment = match &self.outcome_contract {
            Some(contract) => Some(contract.payment().map_err(|e| match e {
                crate::outcomes::OutcomeError::Invalid(list) => {
                    part_error("outcome_contract", Some(list), String::new())
                }
                other => part_error("outcome_contract", None, other.to_string()),
            })?),
            None => None,
        };
        let risk_share = match &self.risk_share {
            Some(agreement) => Some(agreement.compute().map_err(|e| match e {
                crate::risk_share::RiskShareError::Invalid(list) => {
                    part_error("risk_share", Some(list), String::new())
                }
                other => part_error("risk_share", None, other.to_string()),
            })?),
            None => None,
        };
        let lead_contract = match &self.lead_contract {
            Some(contract) => Some(lead_commissioning::apportion_contract(contract).map_err(
                |e| match e {
                    lead_commissioning::CalcError::Invalid(list) => {
                        part_error("lead_contract", Some(list), String::new())
                    }
                    other => part_error("lead_contract", None, other.to_string()),
                },
            )?),
            None => None,
        };
        let pooling = match &self.pool {
            Some(pool) => Some(
                pooling::simulate_at_most(pool, pooling::FIRST_ESTIMATE_TRIALS)
                    .map_err(pooling_error)?,
            ),
            None => None,
        };

        let year_labels = (0..years)
            .map(|t| financial_year(self.first_year, t))
            .collect();
        let mut results = Results {
            scenario: self.name.clone(),
            illustrative: self.illustrative,
            years: year_labels,
            headlines: Vec::new(),
            totals,
            places,
            fair_shares,
            pooled_budget,
            outcome_payment,
            risk_share,
            lead_contract,
            pooling,
        };
        results.headlines = headlines(self, &results);
        Ok(results)
    }

    /// The pool's simulation with every trial asked for (`None` without a `pool`).
    /// [`Scenario::compute`] gives a first estimate from the same stream's first trials.
    pub fn simulate(&self) -> Option<Result<PoolingResult, ScenarioError>> {
        self.pool
            .as_ref()
            .map(|pool| pooling::simulate(pool).map_err(pooling_error))
    }

    fn fair_shares_result(
        &self,
        policy: &FairSharesPolicy,
        places: &[PlaceResult],
    ) -> Result<FairSharesResult, ScenarioError> {
        let input = FairShares {
            years: self.horizon() as u32,
            envelope: policy.envelope.clone(),
            pace_of_change: policy.pace_of_change.clone(),
            places: self
                .places
                .iter()
                .zip(places)
                .map(|(place, result)| fair_shares::Place {
                    name: place.name.clone(),
                    baseline: place.baseline.unwrap_or(Pence::ZERO),
                    weighted_population: result
                        .budget
                        .years
                        .iter()
                        .map(|y| y.weighted_population)
                        .collect(),
                    population: Some(result.budget.years.iter().map(|y| y.people).collect()),
                })
                .collect(),
        };
        fair_shares::allocate(&input).map_err(|e| match e {
            fair_shares::CalcError::Invalid(list) => {
                part_error("fair_shares", Some(list), String::new())
            }
            other => part_error("fair_shares", None, other.to_string()),
        })
    }
}

/// One place's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceResult {
    pub name: String,
    pub people: u64,
    /// This year's weighted population, with its working.
    pub weighted_population: Working,
    pub budget: BudgetPlan,
}

/// All places together, for one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearTotal {
    pub year: String,
    pub budget: Pence,
    pub people: f64,
    pub per_person: Option<Pence>,
    pub working: Working,
}

/// Everything a scenario works out to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub scenario: String,
    pub illustrative: bool,
    /// Financial year labels, "2025/26", one per year of the horizon.
    pub years: Vec<String>,
    /// The figures a member of the public should see first, each with its working.
    pub headlines: Vec<Working>,
    /// All places' budgets added up, year by year.
    pub totals: Vec<YearTotal>,
    pub places: Vec<PlaceResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fair_shares: Option<FairSharesResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pooled_budget: Option<PooledBudgetResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_payment: Option<OutcomePayment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_share: Option<RiskShareResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_contract: Option<LeadContractResult>,
    /// The pool's simulation: a first estimate from `compute`, every trial from `simulate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pooling: Option<PoolingResult>,
}

fn pooling_error(e: PoolingError) -> ScenarioError {
    match e {
        PoolingError::Invalid(list) => part_error("pool", Some(list), String::new()),
        other => part_error("pool", None, other.to_string()),
    }
}

impl Results {
    /// Every split in these results that does not add up to its whole, to the penny, in
    /// words; empty when all conserve (ARCHITECTURE.md's money invariant). The robustness
    /// tests and the fuzz targets assert it is empty for every scenario they compute.
    pub fn conservation_breaks(&self) -> Vec<String> {
        fn total(amounts: impl IntoIterator<Item = Pence>) -> i128 {
            amounts.into_iter().map(|p| p.pence() as i128).sum()
        }
        fn whole(p: Pence) -> i128 {
            p.pence() as i128
        }
        let mut breaks = Vec::new();
        let mut expect = |what: String, parts: i128, whole: i128| {
            if parts != whole {
                breaks.push(format!(
                    "{what}: parts sum to {parts}p, the whole is {whole}p"
                ));
            }
        };
        for (t, year) in self.totals.iter().enumerate() {
            let places = total(
                self.places
                    .iter()
                    .filter_map(|p| p.budget.years.get(t))
                    .map(|y| y.budget),
            );
            expect(
                format!("places' budgets, {}", year.year),
                places,
                whole(year.budget),
            );
        }
        for place in &self.places {
            let mut previous: Option<Pence> = None;
            for y in &place.budget.years {
                let lines = total(y.service_lines.iter().map(|l| l.amount));
                expect(
                    format!("{} year {}: service lines", place.name, y.year),
                    lines,
                    whole(y.budget),
                );
                if let (Some(prev), Some(change)) = (previous, &y.change) {
                    expect(
                        format!("{} year {}: the change's parts", place.name, y.year),
                        total([change.demographic, change.uplift, change.efficiency]),
                        whole(y.budget) - whole(prev),
                    );
                }
                previous = Some(y.budget);
            }
            let years = total(place.budget.years.iter().map(|y| y.budget));
            expect(
                format!("{}: years of the plan", place.name),
                years,
                whole(place.budget.total),
            );
        }
        if let Some(fs) = &self.fair_shares {
            for y in &fs.years {
                expect(
                    format!("fair shares year {}: targets", y.year),
                    total(y.places.iter().map(|p| p.target)),
                    whole(y.envelope),
                );
                expect(
                    format!("fair shares year {}: allocations", y.year),
                    total(y.places.iter().map(|p| p.allocation)),
                    whole(y.envelope),
                );
            }
        }
        if let Some(pool) = &self.pooled_budget {
            expect(
                "pooled budget: contributions".into(),
                total(pool.contributions.iter().map(|c| c.amount)),
                whole(pool.pot),
            );
            expect(
                "pooled budget: spending".into(),
                total(pool.spending.iter().map(|l| l.amount)),
                whole(pool.pot),
            );
            for line in &pool.spending {
                expect(
                    format!("pooled budget line {}: funders", line.name),
                    total(line.funded_by.iter().map(|f| f.amount)),
                    whole(line.amount),
                );
            }
        }
        if let Some(pay) = &self.outcome_payment {
            expect(
                "outcome payment: metrics' available amounts".into(),
                total(pay.metrics.iter().map(|m| m.available)),
                whole(pay.at_risk),
            );
            for m in &pay.metrics {
                expect(
                    format!("metric {}: earned + forgone", m.name),
                    total([m.earned, m.forgone]),
                    whole(m.available),
                );
            }
            expect(
                "outcome payment: earned + forgone".into(),
                total([pay.total_earned, pay.total_forgone]),
                whole(pay.at_risk),
            );
            if let Some(bonus) = &pay.bonus {
                expect(
                    "bonus pool: members' shares".into(),
                    total(bonus.members.iter().map(|m| m.share)),
                    whole(bonus.amount),
                );
            }
        }
        if let Some(risk) = &self.risk_share {
            for b in &risk.bands {
                expect(
                    format!("risk share band {}: both sides", b.label),
                    total([b.provider_part, b.commissioner_part]),
                    whole(b.variance_part),
                );
            }
            expect(
                "risk share: bands".into(),
                total(risk.bands.iter().map(|b| b.variance_part)),
                whole(risk.variance),
            );
            expect(
                "risk share: both sides".into(),
                total([risk.provider_total, risk.commissioner_total]),
                whole(risk.variance),
            );
        }
        if let Some(lead) = &self.lead_contract {
            expect(
                "lead contract: commissioners' shares".into(),
                total(lead.shares.iter().map(|c| c.share)),
                whole(lead.value),
            );
        }
        breaks
    }
}

fn yearly_totals(
    scenario: &Scenario,
    places: &[PlaceResult],
) -> Result<Vec<YearTotal>, ScenarioError> {
    let mut totals = Vec::with_capacity(scenario.horizon());
    for t in 0..scenario.horizon() {
        let label = financial_year(scenario.first_year, t);
        let budget = money::sum(
            places
                .iter()
                .filter_map(|p| p.budget.years.get(t))
                .map(|y| y.budget),
        )
        .map_err(money_error("total budget"))?;
        let heads: f64 = places
            .iter()
            .filter_map(|p| p.budget.years.get(t))
            .map(|y| y.people)
            .sum();
        let per_person = per_person(budget, heads).map_err(money_error("budget per person"))?;
        let mut working = Working::new(
            format!("Budget per person, {label}"),
            per_person
                .map(Pence::display_pounds)
                .unwrap_or_else(|| "—".into()),
            "all places' budgets ÷ all places' people",
        )
        .input("Budget, all places", budget.display_pounds())
        .input("People, all places", people(heads));
        if places.len() > 1 {
            for p in places {
                if let Some(y) = p.budget.years.get(t) {
                    working =
                        working.input(format!("Budget of {}", p.name), y.budget.display_pounds());
                }
            }
        }
        totals.push(YearTotal {
            year: label,
            budget,
            people: heads,
            per_person,
            working,
        });
    }
    Ok(totals)
}

/// Money per head, the people exactly as projected; `None` without people: the engine's one
/// per-head rule, [`money::per_head`] (a place's budget per person uses it too).
pub fn per_person(amount: Pence, heads: f64) -> Result<Option<Pence>, MoneyError> {
    money::per_head(amount, heads)
}

fn headlines(scenario: &Scenario, results: &Results) -> Vec<Working> {
    let mut out = Vec::new();
    if let Some(first) = results.totals.first() {
        let who = if results.places.len() == 1 {
            results.places[0].name.clone()
        } else {
            format!("{} places", results.places.len())
        };
        let mut w = Working::new(
            format!("Budget for {who}, {}", first.year),
            first.budget.display_pounds(),
            "for each place: rate per weighted head × weighted population; then added up",
        )
        .input(
            "Rate per weighted head",
            scenario.budget.rate_per_weighted_head.display(),
        )
        .input("People", people(first.people));
        for p in &results.places {
            w = w.input(
                format!("Weighted population of {}", p.name),
                p.weighted_population.value.clone(),
            );
        }
        out.push(w);
        out.push(first.working.clone());
    }
    if let (Some(first), Some(last)) = (results.totals.first(), results.totals.last()) {
        if results.totals.len() > 1 {
            if let (Some(a), Some(b)) = (first.per_person, last.per_person) {
                let change = if a.pence() != 0 {
                    (b.pence() as f64 - a.pence() as f64) / a.pence() as f64
                } else {
                    0.0
                };
                out.push(
                    Working::new(
                        format!("Change in budget per person, {} to {}", first.year, last.year),
                        percent(change, 1),
                        "(last year's budget per person − first year's) ÷ first year's; \
                         it moves with funding uplift, the efficiency requirement and the population's ageing",
                    )
                    .input(format!("Per person, {}", first.year), a.display_pounds())
                    .input(format!("Per person, {}", last.year), b.display_pounds())
                    .input("Funding uplift each year", percent(scenario.budget.uplift, 1))
                    .input("Efficiency requirement each year", percent(scenario.budget.efficiency, 1)),
                );
            }
        }
    }
    if let Some(payment) = &results.outcome_payment {
        out.push(payment.at_risk_working.clone());
        out.push(payment.total_earned_working.clone());
    }
    if let Some(risk) = &results.risk_share {
        out.push(risk.variance_working.clone());
        out.push(risk.provider_working.clone());
        out.push(risk.commissioner_working.clone());
    }
    out
}

/// The results as one long table, for spreadsheets: one row per figure.
/// Columns: table, item, year, measure, value, unit (`pence`, `people`, `fraction`).
pub fn results_csv(results: &Results) -> String {
    let mut rows: Vec<[String; 6]> = Vec::new();
    let mut row =
        |table: &str, item: &str, year: &str, measure: &str, value: String, unit: &str| {
            rows.push([
                table.to_string(),
                item.to_string(),
                year.to_string(),
                measure.to_string(),
                value,
                unit.to_string(),
            ]);
        };
    for total in &results.totals {
        row(
            "total",
            "all places",
            &total.year,
            "budget",
            total.budget.pence().to_string(),
            "pence",
        );
        row(
            "total",
            "all places",
            &total.year,
            "people",
            format!("{:.3}", total.people),
            "people",
        );
        if let Some(pp) = total.per_person {
            row(
                "total",
                "all places",
                &total.year,
                "budget_per_person",
                pp.pence().to_string(),
                "pence",
            );
        }
    }
    for place in &results.places {
        for (t, y) in place.budget.years.iter().enumerate() {
            let year = results.years.get(t).cloned().unwrap_or_default();
            row(
                "budget",
                &place.name,
                &year,
                "people",
                format!("{:.3}", y.people),
                "people",
            );
            row(
                "budget",
                &place.name,
                &year,
                "weighted_population",
                format!("{:.3}", y.weighted_population),
                "people",
            );
            row(
                "budget",
                &place.name,
                &year,
                "rate_per_weighted_head",
                y.rate_per_weighted_head.pence().to_string(),
                "pence",
            );
            row(
                "budget",
                &place.name,
                &year,
                "budget",
                y.budget.pence().to_string(),
                "pence",
            );
            if let Some(pp) = y.budget_per_person {
                row(
                    "budget",
                    &place.name,
                    &year,
                    "budget_per_person",
                    pp.pence().to_string(),
                    "pence",
                );
            }
            if let Some(change) = &y.change {
                row(
                    "budget",
                    &place.name,
                    &year,
                    "change_demographic",
                    change.demographic.pence().to_string(),
                    "pence",
                );
                row(
                    "budget",
                    &place.name,
                    &year,
                    "change_uplift",
                    change.uplift.pence().to_string(),
                    "pence",
                );
                row(
                    "budget",
                    &place.name,
                    &year,
                    "change_efficiency",
                    change.efficiency.pence().to_string(),
                    "pence",
                );
            }
            for line in &y.service_lines {
                row(
                    "service_line",
                    &format!("{} / {}", place.name, line.name),
                    &year,
                    "budget",
                    line.amount.pence().to_string(),
                    "pence",
                );
            }
        }
    }
    if let Some(fs) = &results.fair_shares {
        for (t, year) in fs.years.iter().enumerate() {
            let label = results.years.get(t).cloned().unwrap_or_default();
            row(
                "fair_shares",
                "envelope",
                &label,
                "envelope",
                year.envelope.pence().to_string(),
                "pence",
            );
            for p in &year.places {
                row(
                    "fair_shares",
                    &p.place,
                    &label,
                    "target",
                    p.target.pence().to_string(),
                    "pence",
                );
                row(
                    "fair_shares",
                    &p.place,
                    &label,
                    "allocation",
                    p.allocation.pence().to_string(),
                    "pence",
                );
                row(
                    "fair_shares",
                    &p.place,
                    &label,
                    "distance_from_target_before",
                    p.distance_before.to_string(),
                    "fraction",
                );
                row(
                    "fair_shares",
                    &p.place,
                    &label,
                    "distance_from_target_after",
                    p.distance_after.to_string(),
                    "fraction",
                );
            }
        }
    }
    if let Some(pool) = &results.pooled_budget {
        for c in &pool.contributions {
            row(
                "pooled_budget",
                &c.organisation,
                "",
                "contribution",
                c.amount.pence().to_string(),
                "pence",
            );
        }
        for line in &pool.spending {
            row(
                "pooled_budget",
                &line.name,
                "",
                "spending",
                line.amount.pence().to_string(),
                "pence",
            );
            for f in &line.funded_by {
                row(
                    "pooled_budget",
                    &format!("{} / {}", line.name, f.organisation),
                    "",
                    "funded_by",
                    f.amount.pence().to_string(),
                    "pence",
                );
            }
        }
    }
    if let Some(pay) = &results.outcome_payment {
        row(
            "outcome_payment",
            "contract",
            "",
            "at_risk",
            pay.at_risk.pence().to_string(),
            "pence",
        );
        for m in &pay.metrics {
            row(
                "outcome_payment",
                &m.name,
                "",
                "earned_share",
                m.earned_share.to_string(),
                "fraction",
            );
            row(
                "outcome_payment",
                &m.name,
                "",
                "available",
                m.available.pence().to_string(),
                "pence",
            );
            row(
                "outcome_payment",
                &m.name,
                "",
                "earned",
                m.earned.pence().to_string(),
                "pence",
            );
        }
        row(
            "outcome_payment",
            "contract",
            "",
            "earned",
            pay.total_earned.pence().to_string(),
            "pence",
        );
        row(
            "outcome_payment",
            "contract",
            "",
            "forgone",
            pay.total_forgone.pence().to_string(),
            "pence",
        );
        if let Some(bonus) = &pay.bonus {
            for m in &bonus.members {
                row(
                    "bonus_pool",
                    &m.name,
                    "",
                    "share",
                    m.share.pence().to_string(),
                    "pence",
                );
            }
        }
    }
    if let Some(risk) = &results.risk_share {
        row(
            "risk_share",
            "agreement",
            "",
            "variance",
            risk.variance.pence().to_string(),
            "pence",
        );
        for band in &risk.bands {
            row(
                "risk_share",
                &band.label,
                "",
                "provider",
                band.provider_part.pence().to_string(),
                "pence",
            );
            row(
                "risk_share",
                &band.label,
                "",
                "commissioner",
                band.commissioner_part.pence().to_string(),
                "pence",
            );
        }
        row(
            "risk_share",
            "agreement",
            "",
            "provider_total",
            risk.provider_total.pence().to_string(),
            "pence",
        );
        row(
            "risk_share",
            "agreement",
            "",
            "commissioner_total",
            risk.commissioner_total.pence().to_string(),
            "pence",
        );
    }
    if let Some(lead) = &results.lead_contract {
        for c in &lead.shares {
            row(
                "lead_contract",
                &c.name,
                "",
                "share",
                c.share.pence().to_string(),
                "pence",
            );
        }
    }
    if let Some(pooling) = &results.pooling {
        let members = pooling.members.iter().flat_map(|m| {
            [
                (m.name.as_str(), "standalone", &m.standalone),
                (m.name.as_str(), "pooled", &m.pooled),
            ]
        });
        let whole = ("the pool as a whole", "pooled", &pooling.pool.figures);
        for (name, setting, f) in members.chain(std::iter::once(whole)) {
            let figures = [
                (
                    "probability_over_threshold",
                    f.probability_over_threshold.value.to_string(),
                    "fraction",
                ),
                (
                    "spread_5_to_95",
                    f.spread.share_of_expected_cost.to_string(),
                    "fraction",
                ),
                (
                    "expected_shortfall",
                    f.expected_shortfall.amount.pence().to_string(),
                    "pence",
                ),
            ];
            for (what, value, unit) in figures {
                row(
                    "pooling",
                    name,
                    "",
                    &format!("{setting}_{what}"),
                    value,
                    unit,
                );
            }
        }
    }
    let mut out = String::from("table,item,year,measure,value,unit\n");
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// Quote a CSV cell when it needs it (RFC 4180), and defuse spreadsheet formulas.
pub fn csv_cell(cell: &str) -> String {
    // A cell starting with = + - @ would run as a formula in a spreadsheet; numbers are safe.
    let risky = cell.starts_with(['=', '+', '@', '\t', '\r'])
        || (cell.starts_with('-') && cell.parse::<f64>().is_err());
    let cell = if risky {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;
    use serde_json::json;

    fn anytown() -> Value {
        serde_json::from_str(examples::find("anytown").unwrap().json).unwrap()
    }

    fn paths(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.path.as_str()).collect()
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_path() {
        let mut v = anytown();
        v["places"][0]["population"][0]["growth"] = json!(0.9);
        v["places"][0]["need_index"] = json!(7);
        v["budget"]["efficiency"] = json!(-0.5);
        v["budget"]["service_lines"][0]["share"] = json!(0.9);
        v["age_bands"][1]["cost_weight"] = json!(-1);
        let problems = decode_value(v).unwrap_err();
        let got = paths(&problems);
        for want in [
            "places[0].population[0].growth",
            "places[0].need_index",
            "budget.efficiency",
            "age_bands[1].cost_weight",
        ] {
            assert!(got.contains(&want), "{want} missing from {got:?}");
        }
        // Shares no longer add to 100 %: named on the service lines.
        assert!(
            got.iter().any(|p| p.starts_with("budget.service_lines")),
            "{got:?}"
        );
        assert!(problems.iter().all(|p| !p.message.is_empty()));
    }

    #[test]
    fn unknown_fields_and_wrong_types_name_their_path() {
        let mut v = anytown();
        v["places"][0]["populaton"] = json!([]);
        let problems = decode_value(v).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "places[0].populaton");
        assert!(
            problems[0].message.contains("unknown field"),
            "{}",
            problems[0].message
        );

        let mut v = anytown();
        v["budget"]["rate_per_weighted_head"] = json!("lots");
        let problems = decode_value(v).unwrap_err();
        assert_eq!(problems[0].path, "budget.rate_per_weighted_head");
        assert!(
            problems[0].message.contains("wrong kind of value"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn an_empty_key_is_still_named() {
        // Found by the fuzzer: `{"": 1}` once gave a problem with an empty path.
        let mut v = anytown();
        v[""] = json!(1);
        let problems = decode_value(v).unwrap_err();
        assert_eq!(problems[0].path, "(scenario)");
        assert!(problems[0].message.contains("unknown field"));
        let mut v = anytown();
        v["places"][0][""] = json!(1);
        let problems = decode_value(v).unwrap_err();
        assert_eq!(problems[0].path, "places[0].\"\"");
    }

    #[test]
    fn versions_are_checked_and_old_ones_migrated() {
        let cases: &[(Value, &str, &str)] = &[
            (json!({"name": "x"}), "schema_version", "which version"),
            (
                json!({"schema_version": 3}),
                "schema_version",
                "newer OneBudget",
            ),
            (
                json!({"schema_version": 0}),
                "schema_version",
                "from 1 to 2",
            ),
            (
                json!({"schema_version": "2"}),
                "schema_version",
                "from 1 to 2",
            ),
            (json!([1, 2]), "(scenario)", "JSON object"),
            (
                json!({"schema_version": 1, "name": "x"}),
                "place",
                "one place",
            ),
        ];
        for (value, path, message) in cases {
            let problems = decode_value(value.clone()).unwrap_err();
            assert_eq!(problems[0].path, *path, "{value}");
            assert!(
                problems[0].message.contains(message),
                "{value}: {}",
                problems[0].message
            );
        }
    }

    #[test]
    fn a_version_1_single_place_file_becomes_a_one_year_scenario() {
        let v1 = json!({
            "schema_version": 1,
            "name": "Old file",
            "age_bands": [{"label": "All ages", "cost_weight": 1.0}],
            "place": {"name": "Oldtown", "population": [{"people": 1000}]},
            "rate_per_weighted_head": 100_000
        });
        let scenario = decode_value(v1).unwrap();
        assert_eq!(scenario.schema_version, SCHEMA_VERSION);
        assert_eq!(scenario.places[0].name, "Oldtown");
        assert_eq!(scenario.horizon(), 1);
        let results = scenario.compute().unwrap();
        // 1,000 people × weight 1 × £1,000 = £1,000,000.
        assert_eq!(results.totals[0].budget, Pence(100_000_000));
        assert_eq!(results.totals[0].per_person, Some(Pence(100_000)));
        assert_eq!(results.years, vec!["2025/26"]);
    }

    #[test]
    fn syntax_errors_and_oversized_text_are_refused_plainly() {
        let problems = decode("{\"schema_version\": 2,").unwrap_err();
        assert_eq!(problems[0].path, "(scenario)");
        assert!(
            problems[0].value.starts_with("line 1"),
            "{}",
            problems[0].value
        );
        assert!(problems[0].message.starts_with("is not valid JSON"));
        let with_bom = format!("\u{feff}{}", examples::find("anytown").unwrap().json);
        assert!(decode(&with_bom).is_ok());
        let big = " ".repeat(MAX_SCENARIO_BYTES + 1);
        assert!(decode(&big).unwrap_err()[0].message.contains("too large"));
    }

    #[test]
    fn fair_shares_need_every_baseline() {
        let mut v: Value =
            serde_json::from_str(examples::find("healthier-together").unwrap().json).unwrap();
        v["places"][2].as_object_mut().unwrap().remove("baseline");
        let problems = decode_value(v).unwrap_err();
        assert_eq!(paths(&problems), ["places[2].baseline"]);
    }

    #[test]
    fn totals_add_up_the_places_and_per_person_divides_by_people() {
        let scenario = examples::find("healthier-together")
            .unwrap()
            .scenario()
            .unwrap();
        let results = scenario.compute().unwrap();
        assert_eq!(results.totals.len(), scenario.horizon());
        for (t, total) in results.totals.iter().enumerate() {
            let sum = money::sum(results.places.iter().map(|p| p.budget.years[t].budget)).unwrap();
            assert_eq!(total.budget, sum);
            let expected = total.budget.to_pounds_f64() / total.people;
            let got = total.per_person.unwrap().to_pounds_f64();
            assert!((got - expected).abs() <= 0.01, "{got} vs {expected}");
        }
        assert_eq!(results.years[0], "2013/14");
        assert_eq!(results.years[4], "2017/18");
        // Fair shares: every year's allocations sum to that year's envelope.
        for year in &results.fair_shares.as_ref().unwrap().years {
            let sum = money::sum(year.places.iter().map(|p| p.allocation)).unwrap();
            assert_eq!(sum, year.envelope);
        }
    }

    #[test]
    fn financial_years_are_labelled_as_in_the_nhs() {
        assert_eq!(financial_year(2025, 0), "2025/26");
        assert_eq!(financial_year(2099, 0), "2099/00");
        assert_eq!(financial_year(2013, 4), "2017/18");
    }

    #[test]
    fn csv_has_one_row_per_figure_and_is_safe_in_spreadsheets() {
        let results = examples::find("cquin")
            .unwrap()
            .scenario()
            .unwrap()
            .compute()
            .unwrap();
        let csv = results_csv(&results);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("table,item,year,measure,value,unit"));
        assert!(csv.contains("outcome_payment,contract,,earned,200000000,pence"));
        assert!(csv.lines().all(|l| l.split(',').count() >= 6));
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("-12"), "-12");
        assert_eq!(csv_cell("-cmd"), "'-cmd");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn conservation_breaks_finds_a_split_that_does_not_add_up() {
        for example in examples::ALL {
            let results = example.scenario().unwrap().compute().unwrap();
            assert_eq!(
                results.conservation_breaks(),
                Vec::<String>::new(),
                "{}",
                example.name
            );
        }
        let mut results = examples::find("cquin")
            .unwrap()
            .scenario()
            .unwrap()
            .compute()
            .unwrap();
        results.places[0].budget.years[1].service_lines[0].amount.0 += 1;
        results.risk_share.as_mut().unwrap().provider_total.0 -= 1;
        let breaks = results.conservation_breaks();
        assert_eq!(breaks.len(), 2, "{breaks:?}");
        assert!(breaks[0].contains("service lines"), "{breaks:?}");
        assert!(breaks[1].contains("risk share: both sides"), "{breaks:?}");
    }

    #[test]
    fn compute_refuses_an_invalid_scenario_without_panicking() {
        let mut scenario = examples::default_scenario();
        scenario.places[0].population.clear();
        match scenario.compute() {
            Err(ScenarioError::Invalid(problems)) => {
                assert_eq!(problems[0].path, "places[0].population")
            }
            other => panic!("expected problems, got {other:?}"),
        }
    }
}
