//! Every input of a scenario, defined once: where it is, what it is called, its unit, what
//! is allowed, a hint and its glossary term.
//!
//! Validation takes its ranges from here, the scenario decoder its words for a value of the
//! wrong kind, and every shell its labels: the editor, an embed's exposed inputs, the board
//! pack's appendix, the tornado and the command line's messages. So an input's range and
//! label each live in one place, and the product's words for inputs are two tables away from
//! another language: [`INPUTS`] (labels) and [`HINTS`] (hints). The hints are a table of
//! their own because only the editor shows them: the public build never carries them.
//!
//! A path names an input as the problems do, with `[*]` for any position in a list:
//! `places[*].population[*].people`. [`find`] takes a path with real positions.

use crate::validation::Allowed;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What kind of value an input holds, and so how it is read, checked and shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Whole pence, shown as pounds: 173200 is £1,732.
    Pence,
    /// A whole number of people.
    People,
    /// A fraction, shown as a percentage: 0.03 is 3 %.
    Fraction,
    /// A plain number: a cost weight, an index, a metric's value.
    Number,
    /// A calendar year.
    Year,
    /// A whole number of something else: years of a plan, trials, a seed.
    Count,
    /// One line of text: a name.
    Name,
    /// Several lines of text.
    Text,
    /// Yes or no.
    Flag,
    /// One of a few words ([`Input::choices`]).
    Choice,
}

impl Unit {
    /// Whole numbers only.
    pub fn is_whole(self) -> bool {
        matches!(self, Unit::Pence | Unit::People | Unit::Year | Unit::Count)
    }

    pub fn is_number(self) -> bool {
        self.is_whole() || matches!(self, Unit::Fraction | Unit::Number)
    }
}

/// One input of a scenario.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Input {
    /// `places[*].need_index`.
    pub path: &'static str,
    /// What people call it, standing on its own: "Need index".
    pub label: &'static str,
    pub unit: Unit,
    /// The lowest and highest values allowed, in the scenario's units (pence, fractions);
    /// `None` where there is no bound beyond the unit's own.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The words allowed, for a [`Unit::Choice`].
    pub choices: &'static [&'static str],
}

impl Input {
    /// What is allowed, for a problem or a field.
    pub fn allowed(&self) -> Allowed {
        match self.unit {
            Unit::Choice => Allowed::OneOf(self.choices.iter().map(|c| c.to_string()).collect()),
            Unit::Name | Unit::Text => Allowed::Text,
            Unit::Flag => Allowed::Flag,
            unit => Allowed::Range {
                min: self.min,
                max: self.max,
                unit,
            },
        }
    }

    /// Is this number allowed? (Finite, whole for a whole unit, within the range.)
    pub fn allows(&self, value: f64) -> bool {
        value.is_finite()
            && (!self.unit.is_whole() || value.fract() == 0.0)
            && self.min.is_none_or(|min| value >= min)
            && self.max.is_none_or(|max| value <= max)
    }

    /// The value a scenario is read with while this one is of the wrong kind, so that the
    /// rest of it can still be checked: 1 if allowed, else the nearest allowed.
    pub(crate) fn stand_in(&self) -> Value {
        match self.unit {
            Unit::Choice => Value::from(self.choices.first().copied().unwrap_or("")),
            Unit::Name => Value::from("?"),
            Unit::Text => Value::from(""),
            Unit::Flag => Value::Bool(true),
            _ => {
                let one = self
                    .min
                    .map_or(1.0, |m| m.max(1.0))
                    .min(self.max.unwrap_or(f64::MAX));
                if self.unit.is_whole() {
                    Value::from(one as i64)
                } else {
                    Value::from(one)
                }
            }
        }
    }
}

const fn input(path: &'static str, label: &'static str, unit: Unit) -> Input {
    Input {
        path,
        label,
        unit,
        min: None,
        max: None,
        choices: &[],
    }
}

const fn range(
    path: &'static str,
    label: &'static str,
    unit: Unit,
    min: f64,
    max: Option<f64>,
) -> Input {
    Input {
        min: Some(min),
        max,
        ..input(path, label, unit)
    }
}

const fn choice(
    path: &'static str,
    label: &'static str,
    choices: &'static [&'static str],
) -> Input {
    Input {
        choices,
        ..input(path, label, Unit::Choice)
    }
}

/// A fraction from 0 to 1 (0 % to 100 %).
const fn share(path: &'static str, label: &'static str) -> Input {
    range(path, label, Unit::Fraction, 0.0, Some(1.0))
}

/// Pence, 0 or more.
const fn amount(path: &'static str, label: &'static str) -> Input {
    range(path, label, Unit::Pence, 0.0, None)
}

use Unit::*;

// The scenario.
pub const SCHEMA_VERSION: Input = range(
    "schema_version",
    "Format version",
    Count,
    1.0,
    Some(crate::scenario::SCHEMA_VERSION as f64),
);
pub const NAME: Input = input("name", "Scenario name", Name);
pub const DESCRIPTION: Input = input("description", "Description", Text);
pub const ILLUSTRATIVE: Input = input("illustrative", "Label every figure as illustrative", Flag);
pub const FIRST_YEAR: Input = range("first_year", "First year", Year, 2000.0, Some(2100.0));

// Age bands, places and their people.
pub const BAND_LABEL: Input = input("age_bands[*].label", "Age band", Name);
pub const COST_WEIGHT: Input = range(
    "age_bands[*].cost_weight",
    "Cost weight",
    Number,
    0.0,
    Some(100.0),
);
pub const PLACE_NAME: Input = input("places[*].name", "Place", Name);
pub const PEOPLE: Input = range(
    "places[*].population[*].people",
    "People",
    People,
    0.0,
    None,
);
pub const GROWTH: Input = range(
    "places[*].population[*].growth",
    "Annual growth",
    Fraction,
    -0.2,
    Some(0.2),
);
pub const FEMALE: Input = range(
    "places[*].population[*].female",
    "Female",
    People,
    0.0,
    None,
);
pub const MALE: Input = range("places[*].population[*].male", "Male", People, 0.0, None);
pub const NEED_INDEX: Input = range("places[*].need_index", "Need index", Number, 0.5, Some(2.0));
pub const MARKET_FORCES_FACTOR: Input = range(
    "places[*].market_forces_factor",
    "Market forces factor",
    Number,
    0.5,
    Some(2.0),
);
pub const BASELINE: Input = amount("places[*].baseline", "Baseline");

// The capitated budget.
pub const RATE: Input = range(
    "budget.rate_per_weighted_head",
    "Rate per weighted head",
    Pence,
    1.0,
    None,
);
pub const YEARS: Input = range(
    "budget.years",
    "Years",
    Count,
    1.0,
    Some(crate::population::MAX_YEARS as f64),
);
pub const UPLIFT: Input = range(
    "budget.uplift",
    "Funding uplift each year",
    Fraction,
    -0.2,
    Some(0.2),
);
pub const EFFICIENCY: Input = range(
    "budget.efficiency",
    "Efficiency requirement each year",
    Fraction,
    0.0,
    Some(0.2),
);
pub const LINE_NAME: Input = input("budget.service_lines[*].name", "Service line", Name);
pub const LINE_SHARE: Input = share("budget.service_lines[*].share", "Share of the budget");

// Fair shares.
pub const ENVELOPE: Input = range(
    "fair_shares.envelope.first_year_total",
    "Envelope in the first year",
    Pence,
    1.0,
    None,
);
pub const ENVELOPE_GROWTH: Input = range(
    "fair_shares.envelope.annual_growth",
    "Envelope's annual growth",
    Fraction,
    -0.5,
    Some(0.5),
);
pub const FLOOR_UPLIFT: Input = range(
    "fair_shares.pace_of_change.floor_uplift",
    "Floor uplift",
    Fraction,
    -0.5,
    Some(0.5),
);
pub const GAP_CLOSURE: Input = share("fair_shares.pace_of_change.gap_closure", "Gap closure");
pub const OVER_TARGET_CAP: Input = share(
    "fair_shares.pace_of_change.over_target_cap",
    "Over-target cap",
);

// A pooled budget.
pub const POOLED_NAME: Input = input("pooled_budget.name", "Name of the pooled budget", Name);
pub const ORGANISATION: Input = input(
    "pooled_budget.contributions[*].organisation",
    "Organisation",
    Name,
);
pub const SECTOR: Input = choice(
    "pooled_budget.contributions[*].sector",
    "Sector",
    &["nhs", "council", "other"],
);
pub const CONTRIBUTION: Input = amount("pooled_budget.contributions[*].amount", "Contribution");
pub const SPENT_ON: Input = input("pooled_budget.spending[*].name", "Spent on", Name);
pub const SPENDING_SHARE: Input = share("pooled_budget.spending[*].share", "Share of the pot");

// An outcome contract.
pub const OUTCOME_PROVIDER: Input = input("outcome_contract.provider", "Provider", Name);
pub const CONTRACT_VALUE: Input = amount("outcome_contract.contract_value", "Contract value");
pub const SHARE_AT_RISK: Input = share("outcome_contract.share_at_risk", "Share at risk");
pub const METRIC_NAME: Input = input("outcome_contract.metrics[*].name", "Metric", Name);
pub const WEIGHT: Input = share("outcome_contract.metrics[*].weight", "Weight");
pub const DIRECTION: Input = choice(
    "outcome_contract.metrics[*].direction",
    "Better is",
    &["higher_is_better", "lower_is_better"],
);
pub const METRIC_BASELINE: Input =
    input("outcome_contract.metrics[*].baseline", "Baseline", Number);
pub const THRESHOLD: Input = input("outcome_contract.metrics[*].threshold", "Threshold", Number);
pub const TARGET: Input = input("outcome_contract.metrics[*].target", "Target", Number);
pub const ACHIEVED: Input = input("outcome_contract.metrics[*].achieved", "Achieved", Number);
pub const CURVE: Input = choice(
    "outcome_contract.metrics[*].curve",
    "Payment curve",
    &["linear", "all_or_nothing", "tiered"],
);
pub const TIER_AT: Input = share(
    "outcome_contract.metrics[*].curve.tiered.tiers[*].at",
    "At progress",
);
pub const TIER_SHARE: Input = share(
    "outcome_contract.metrics[*].curve.tiered.tiers[*].share",
    "Share paid",
);
pub const BONUS: Input = amount("outcome_contract.bonus_pool.amount", "Bonus pool amount");
pub const BONUS_BASIS: Input = input("outcome_contract.bonus_pool.basis_name", "Shared by", Name);
pub const BONUS_MEMBER: Input = input(
    "outcome_contract.bonus_pool.members[*].name",
    "Bonus pool member",
    Name,
);
pub const BONUS_CONTRIBUTION: Input = range(
    "outcome_contract.bonus_pool.members[*].contribution",
    "Contribution",
    Number,
    0.0,
    None,
);

// A risk share.
pub const RISK_BUDGET: Input = range("risk_share.budget", "Risk share budget", Pence, 1.0, None);
pub const OUTTURN: Input = amount("risk_share.outturn", "Outturn");
pub const LOSS_FROM: Input = corridor_bound("risk_share.loss_corridors[*].from", "From");
pub const LOSS_TO: Input = corridor_bound("risk_share.loss_corridors[*].to", "To");
pub const LOSS_SHARE: Input = share(
    "risk_share.loss_corridors[*].provider_share",
    "Provider's share",
);
pub const GAIN_FROM: Input = corridor_bound("risk_share.gain_corridors[*].from", "From");
pub const GAIN_TO: Input = corridor_bound("risk_share.gain_corridors[*].to", "To");
pub const GAIN_SHARE: Input = share(
    "risk_share.gain_corridors[*].provider_share",
    "Provider's share",
);
pub const PROVIDER_CAP: Input = amount("risk_share.provider_cap", "Provider's cap");
pub const COMMISSIONER_CAP: Input = amount("risk_share.commissioner_cap", "Commissioner's cap");
pub const MINIMUM_RATE: Input = choice(
    "risk_share.minimum_rate",
    "Minimum savings rate",
    &["fixed", "by_population"],
);
pub const MINIMUM_RATE_FIXED: Input =
    share("risk_share.minimum_rate.fixed", "Minimum savings rate");
pub const MINIMUM_RATE_POPULATION: Input = range(
    "risk_share.minimum_rate.by_population.population",
    "Population served",
    People,
    crate::risk_share::MSSP_MINIMUM_POPULATION as f64,
    None,
);
pub const QUALITY_SCORE: Input = share("risk_share.quality_score", "Quality score");

const fn corridor_bound(path: &'static str, label: &'static str) -> Input {
    range(
        path,
        label,
        Fraction,
        0.0,
        Some(crate::risk_share::MAX_CORRIDOR_BOUND),
    )
}

// Lead commissioning.
pub const LEAD_PROVIDER: Input = input("lead_contract.provider", "Provider", Name);
pub const LEAD: Input = input("lead_contract.lead", "Lead commissioner", Name);
pub const LEAD_VALUE: Input = amount("lead_contract.value", "Contract value");
pub const BASIS: Input = choice(
    "lead_contract.basis",
    "Shared by",
    &["population", "activity"],
);
pub const COMMISSIONER: Input = input("lead_contract.commissioners[*].name", "Commissioner", Name);
pub const COMMISSIONER_POPULATION: Input = range(
    "lead_contract.commissioners[*].population",
    "Population",
    People,
    0.0,
    None,
);
pub const COMMISSIONER_ACTIVITY: Input = range(
    "lead_contract.commissioners[*].activity",
    "Activity",
    Count,
    0.0,
    None,
);

// Risk pooling.
pub const POOL_MEMBER: Input = input("pool.members[*].name", "Pool member", Name);
pub const POOL_POPULATION: Input = range(
    "pool.members[*].population",
    "Population",
    People,
    1.0,
    Some(crate::pooling::MAX_POPULATION as f64),
);
pub const COST_PER_HEAD: Input = range(
    "pool.members[*].cost_per_head",
    "Expected cost per head",
    Pence,
    1.0,
    Some(crate::pooling::MAX_COST_PER_HEAD.0 as f64),
);
pub const COST_VARIATION: Input = range(
    "pool.members[*].cost_variation",
    "Cost variation",
    Number,
    crate::pooling::COST_VARIATION_RANGE.0,
    Some(crate::pooling::COST_VARIATION_RANGE.1),
);
pub const COMMON_SHOCK: Input = share("pool.common_shock", "Common shock");
pub const CORRELATION: Input = range(
    "pool.correlation",
    "Correlation between members",
    Number,
    0.0,
    Some(1.0),
);
pub const POOL_CONTRIBUTIONS: Input = choice(
    "pool.contributions",
    "Overspend shared back by",
    &["population_share", "risk_adjusted_share"],
);
pub const OVERSPEND_THRESHOLD: Input = share("pool.overspend_threshold", "Overspend threshold");
pub const TRIALS: Input = range(
    "pool.trials",
    "Simulated years (trials)",
    Count,
    1.0,
    Some(crate::pooling::MAX_TRIALS as f64),
);
pub const SEED: Input = range(
    "pool.seed",
    "Seed",
    Count,
    0.0,
    Some(crate::pooling::MAX_SEED as f64),
);

/// Every input, in the order the editor shows them.
pub const INPUTS: &[Input] = &[
    SCHEMA_VERSION,
    NAME,
    DESCRIPTION,
    ILLUSTRATIVE,
    FIRST_YEAR,
    BAND_LABEL,
    COST_WEIGHT,
    PLACE_NAME,
    NEED_INDEX,
    MARKET_FORCES_FACTOR,
    BASELINE,
    PEOPLE,
    GROWTH,
    FEMALE,
    MALE,
    RATE,
    YEARS,
    UPLIFT,
    EFFICIENCY,
    LINE_NAME,
    LINE_SHARE,
    ENVELOPE,
    ENVELOPE_GROWTH,
    FLOOR_UPLIFT,
    GAP_CLOSURE,
    OVER_TARGET_CAP,
    POOLED_NAME,
    ORGANISATION,
    SECTOR,
    CONTRIBUTION,
    SPENT_ON,
    SPENDING_SHARE,
    OUTCOME_PROVIDER,
    CONTRACT_VALUE,
    SHARE_AT_RISK,
    METRIC_NAME,
    WEIGHT,
    DIRECTION,
    METRIC_BASELINE,
    THRESHOLD,
    TARGET,
    ACHIEVED,
    CURVE,
    TIER_AT,
    TIER_SHARE,
    BONUS,
    BONUS_BASIS,
    BONUS_MEMBER,
    BONUS_CONTRIBUTION,
    RISK_BUDGET,
    OUTTURN,
    LOSS_FROM,
    LOSS_TO,
    LOSS_SHARE,
    GAIN_FROM,
    GAIN_TO,
    GAIN_SHARE,
    PROVIDER_CAP,
    COMMISSIONER_CAP,
    MINIMUM_RATE,
    MINIMUM_RATE_FIXED,
    MINIMUM_RATE_POPULATION,
    QUALITY_SCORE,
    LEAD_PROVIDER,
    LEAD,
    LEAD_VALUE,
    BASIS,
    COMMISSIONER,
    COMMISSIONER_POPULATION,
    COMMISSIONER_ACTIVITY,
    POOL_MEMBER,
    POOL_POPULATION,
    COST_PER_HEAD,
    COST_VARIATION,
    COMMON_SHOCK,
    CORRELATION,
    POOL_CONTRIBUTIONS,
    OVERSPEND_THRESHOLD,
    TRIALS,
    SEED,
];

/// The editor's hint for each input that has one, and the glossary term (its anchor in
/// the glossary) that explains it: `(path, hint, glossary term)`. Ranges are not repeated
/// here: the editor says them from [`INPUTS`].
pub const HINTS: &[(&str, &str, &str)] = &[
    ("name", "Shown to the public as the scenario's title.", ""),
    (
        "description",
        "Shown to the public under the title: where the figures come from.",
        "",
    ),
    (
        "first_year",
        "The calendar year the first financial year starts in: 2025 is 2025/26.",
        "",
    ),
    (
        "age_bands[*].cost_weight",
        "Spend per head in the band relative to the national average (about 1).",
        "weighted-population",
    ),
    ("places[*].need_index", "1 is average need.", "need-index"),
    (
        "places[*].market_forces_factor",
        "1 is average local costs.",
        "market-forces-factor",
    ),
    (
        "places[*].baseline",
        "Last year's allocation, needed for fair shares. Leave empty if not used.",
        "baseline",
    ),
    (
        "places[*].population[*].female",
        "Give both female and male or neither, adding up to the people in the band.",
        "",
    ),
    (
        "budget.rate_per_weighted_head",
        "In the first year.",
        "weighted-population",
    ),
    ("budget.years", "The scenario's horizon.", ""),
    ("budget.uplift", "Added to the rate each year.", "uplift"),
    (
        "budget.efficiency",
        "Taken off the rate each year.",
        "efficiency",
    ),
    (
        "fair_shares.envelope.first_year_total",
        "The total shared among the places.",
        "envelope",
    ),
    (
        "fair_shares.pace_of_change.floor_uplift",
        "Every place's allocation grows by at least this much.",
        "pace-of-change",
    ),
    (
        "fair_shares.pace_of_change.gap_closure",
        "How much of the gap to target a place under target closes each year.",
        "pace-of-change",
    ),
    (
        "fair_shares.pace_of_change.over_target_cap",
        "Optional: the most a place over target can grow. Leave empty for no cap.",
        "target",
    ),
    (
        "outcome_contract.share_at_risk",
        "The part of the contract value paid for the metrics.",
        "at-risk",
    ),
    (
        "outcome_contract.metrics[*].curve.tiered.tiers[*].at",
        "0 % is the threshold, 100 % the target.",
        "",
    ),
    (
        "outcome_contract.bonus_pool.basis_name",
        "What a member's contribution counts, like “activity (spells)”.",
        "",
    ),
    ("risk_share.loss_corridors[*].from", "Of the budget.", "corridor"),
    ("risk_share.loss_corridors[*].to", "Empty: open-ended.", ""),
    ("risk_share.gain_corridors[*].from", "Of the budget.", "corridor"),
    ("risk_share.gain_corridors[*].to", "Empty: open-ended.", ""),
    ("risk_share.outturn", "What was spent.", "outturn"),
    (
        "risk_share.provider_cap",
        "Optional: the most the provider bears or keeps.",
        "",
    ),
    (
        "risk_share.commissioner_cap",
        "Optional: the most the commissioner bears or keeps.",
        "",
    ),
    (
        "risk_share.minimum_rate",
        "Below it nothing is shared; once met, sharing starts from the first pound.",
        "",
    ),
    (
        "risk_share.quality_score",
        "Optional: scales the provider's share of a gain. Leave empty for 100 %.",
        "",
    ),
    (
        "pool.members[*].cost_per_head",
        "Its budget is this × its population.",
        "",
    ),
    (
        "pool.members[*].cost_variation",
        "Health costs about 2 to 4.",
        "cost-variation",
    ),
    (
        "pool.common_shock",
        "A cost swing every member shares in the same year (a bad winter): pooling cannot remove it.",
        "common-shock",
    ),
    (
        "pool.correlation",
        "0: each member's costs vary on their own; 1: they always move together.",
        "",
    ),
    (
        "pool.overspend_threshold",
        "The figures give the chance of overspending the budget by more than this.",
        "",
    ),
    (
        "pool.trials",
        "Simulated years. The summary shows the first 10,000 at once; “Run” simulates them all.",
        "simulated-years",
    ),
    ("pool.seed", "The same seed always gives the same figures.", ""),
    ("budget.service_lines[*].name", "", "service-line"),
    ("pooled_budget.name", "", "pooled-budget"),
    ("lead_contract.lead", "", "lead-commissioner"),
];

/// `places[2].population[0].people` → `places[*].population[*].people`.
pub fn pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[*]");
            }
            ']' => in_index = false,
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// The input at `path` (real positions or `[*]`).
pub fn find(path: &str) -> Option<&'static Input> {
    let pattern = pattern(path);
    INPUTS.iter().find(|i| i.path == pattern)
}

/// The input's hint and glossary term, if it has them.
pub fn hint(path: &str) -> Option<(&'static str, &'static str)> {
    let pattern = pattern(path);
    HINTS
        .iter()
        .find(|(p, _, _)| *p == pattern)
        .map(|&(_, hint, term)| (hint, term))
}

/// The input's label with the names of the things it belongs to, from the scenario as
/// written: `places[0].population[6].people` → "People (Anytown, ages 85+)";
/// `places[0].population[*].people` → "People (Anytown, every age band)".
pub fn label_in(path: &str, scenario: &Value) -> String {
    let Some(input) = find(path) else {
        return path.to_string();
    };
    let context = context(path, scenario);
    if context.is_empty() {
        input.label.to_string()
    } else {
        format!("{} ({})", input.label, context.join(", "))
    }
}

/// The lists whose items an input's label names, and how: `(list, the item's name
/// field, what an item is called)`. An age band of a place's population is named by the
/// scenario's age band.
const ITEMS: &[(&str, &str, &str)] = &[
    ("age_bands", "label", "ages"),
    ("places", "name", "place"),
    ("population", "", "ages"),
    ("service_lines", "name", "service line"),
    ("contributions", "organisation", "contribution"),
    ("spending", "name", "spending line"),
    ("metrics", "name", "metric"),
    ("tiers", "", "tier"),
    ("members", "name", "member"),
    ("loss_corridors", "", "an overspend"),
    ("gain_corridors", "", "an underspend"),
    ("commissioners", "name", "commissioner"),
];

/// The things a path belongs to, in the scenario's own names, outermost first:
/// `places[0].population[6].people` → ["Anytown", "ages 85+"].
pub fn context(path: &str, scenario: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut pointer = String::new();
    for segment in path.split('.') {
        let (key, index) = match segment.split_once('[') {
            Some((key, rest)) => (key, Some(rest.trim_end_matches(']'))),
            None => (segment, None),
        };
        pointer.push('/');
        pointer.push_str(key);
        let Some(index) = index else {
            continue;
        };
        let Some(&(_, name_field, noun)) = ITEMS.iter().find(|(list, _, _)| *list == key) else {
            continue;
        };
        if index == "*" {
            out.push(match key {
                "population" => "every age band".to_string(),
                _ => format!("every {noun}"),
            });
            continue;
        }
        pointer.push('/');
        pointer.push_str(index);
        let position: usize = index.parse().unwrap_or(0);
        let item = scenario.pointer(&pointer);
        // A name as written, with any character that could turn the label's text around
        // shown as its code instead (such a name is refused, but a label still names it).
        let text = |v: Option<&Value>| {
            v.and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(crate::names::shown)
        };
        let named = match key {
            "population" => text(scenario.pointer(&format!("/age_bands/{index}/label")))
                .map(|band| format!("ages {band}")),
            "loss_corridors" | "gain_corridors" => item.map(|c| corridor_words(noun, c)),
            _ if name_field.is_empty() => None,
            "age_bands" => text(item.and_then(|i| i.get(name_field))).map(|b| format!("ages {b}")),
            _ => text(item.and_then(|i| i.get(name_field))),
        };
        out.push(named.unwrap_or_else(|| format!("{noun} {}", position + 1)));
    }
    out
}

/// "an overspend of 0 % to 2 %", "an overspend over 5 %".
fn corridor_words(what: &str, corridor: &Value) -> String {
    let bound = |key: &str| corridor.get(key).and_then(Value::as_f64);
    let pc = |x: f64| crate::working::percent(x, 1);
    match (bound("from"), bound("to")) {
        (Some(from), Some(to)) => format!("{what} of {} to {}", pc(from), pc(to)),
        (Some(from), None) => format!("{what} over {}", pc(from)),
        _ => what.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;

    /// Every leaf of a JSON value with its path as the problems write it.
    fn leaves(value: &Value, path: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    leaves(v, p, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    leaves(v, format!("{path}[{i}]"), out);
                }
            }
            _ => out.push(path),
        }
    }

    #[test]
    fn every_field_of_every_built_in_is_an_input() {
        for example in examples::ALL {
            let value: Value = serde_json::from_str(example.json).unwrap();
            let mut paths = Vec::new();
            leaves(&value, String::new(), &mut paths);
            for path in paths {
                // A curve or minimum rate written as a word is the choice itself.
                assert!(
                    find(&path).is_some(),
                    "{}: {path} is not in INPUTS",
                    example.name
                );
            }
        }
    }

    #[test]
    fn each_input_is_defined_once_and_hints_name_real_inputs() {
        for (i, input) in INPUTS.iter().enumerate() {
            assert!(
                INPUTS[..i].iter().all(|other| other.path != input.path),
                "{} twice",
                input.path
            );
            assert!(!input.label.is_empty());
            assert_eq!(input.unit == Unit::Choice, !input.choices.is_empty());
            if let (Some(min), Some(max)) = (input.min, input.max) {
                assert!(min <= max, "{}", input.path);
            }
            assert!(input.stand_in().is_number() == input.unit.is_number());
        }
        for (path, hint, term) in HINTS {
            assert!(find(path).is_some(), "hint for {path}");
            assert!(!hint.is_empty() || !term.is_empty(), "{path}");
        }
    }

    #[test]
    fn labels_name_what_the_input_belongs_to() {
        let s: Value = serde_json::from_str(examples::find("anytown").unwrap().json).unwrap();
        assert_eq!(label_in("budget.uplift", &s), "Funding uplift each year");
        assert_eq!(label_in("places[0].need_index", &s), "Need index (Anytown)");
        assert_eq!(
            label_in("places[0].population[6].people", &s),
            "People (Anytown, ages 85+)"
        );
        assert_eq!(
            label_in("places[0].population[*].growth", &s),
            "Annual growth (Anytown, every age band)"
        );
        assert_eq!(
            label_in("age_bands[1].cost_weight", &s),
            "Cost weight (ages 5–14)"
        );
        assert_eq!(label_in("places[7].need_index", &s), "Need index (place 8)");
        let mut turned = s.clone();
        turned["places"][0]["name"] = Value::from("Any\u{202E}town");
        assert_eq!(
            label_in("places[0].need_index", &turned),
            "Need index (Any<U+202E>town)"
        );
        assert_eq!(label_in("not.an.input", &s), "not.an.input");
        let ht: Value = serde_json::from_str(examples::find("cquin").unwrap().json).unwrap();
        assert!(label_in("risk_share.loss_corridors[0].provider_share", &ht)
            .starts_with("Provider's share (an overspend of 0.0 % to "));
    }

    #[test]
    fn positions_become_stars() {
        assert_eq!(
            pattern("places[12].population[0].people"),
            "places[*].population[*].people"
        );
        assert_eq!(find("budget.uplift").unwrap().label, UPLIFT.label);
        assert!(UPLIFT.allows(0.2) && !UPLIFT.allows(0.21) && !UPLIFT.allows(f64::NAN));
        assert!(!PEOPLE.allows(1.5) && PEOPLE.allows(0.0) && !PEOPLE.allows(-1.0));
    }
}
