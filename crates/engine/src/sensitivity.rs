//! Sensitivity ("tornado"): which inputs move a chosen headline figure most.
//!
//! Each input is varied on its own, down and up by the same stated share of its value
//! (±10 % turns a 2 % uplift into 1.8 % and 2.2 %), with every other input as written;
//! the scenario is worked out again each time. An input's **swing** is the range the
//! figure then covers (largest − smallest of: input lowered, as written, input raised),
//! which is |high − low| whenever the figure moves one way with the input. Rows are
//! sorted by swing, largest first; equal swings keep the inputs' order.
//!
//! Which inputs: the numbers that drive the figures (populations, growth, cost weights,
//! need, funding rate, uplift and efficiency; contract value, share at risk, targets and
//! achievement; budget, outturn and corridor shares; contributions; pool members' size,
//! cost and variation, the common shock). Not identifiers, years, seeds or trial counts,
//! and not an input that is zero (a share of nothing varies nothing).
//!
//! Only the inputs of the part of the scenario the figure is worked out from are varied
//! (see [`comparison::Part`]), and every other part is left out of the recomputation: the
//! risk pool's simulation runs only when the figure is the pool's, so a budget tornado for
//! a scenario with a pool costs microseconds a row, not milliseconds.
//! Money is varied with [`Pence::mul_rate`] (exact) and people to whole persons.

use crate::comparison::{Figure, Measure, Part};
use crate::money::{MoneyError, Pence};
use crate::scenario::{Scenario, ScenarioError};
use crate::validation::Problem;
use crate::working::{people, percent};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The largest variation a tornado accepts: ±50 %.
pub const MAX_VARIATION: f64 = 0.5;

/// A tornado of a risk pool's figure simulates at most this many trials each time (the
/// same seed, so the same first trials every time: differences between inputs are not
/// noise). Two simulations an input at the app's 10,000 trials would keep the page busy
/// for a noticeable time; the tornado says how many trials it used.
pub const POOL_TRIALS: u32 = 4_000;

/// What kind of number an input is, and so how it is varied and shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// Pence, varied exactly and kept whole.
    Money,
    /// People, kept whole.
    People,
    /// A fraction (growth, uplift, a share), shown as a percentage.
    Rate,
    /// A plain number (a cost weight, need index, a metric's value).
    Number,
}

/// An input's value as shown: for a group (a place's population across its age bands)
/// the total; `None` where one number would mislead (each band's growth differs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputValue {
    Money(Pence),
    People(f64),
    Rate(f64),
    Number(f64),
}

impl InputValue {
    pub fn display(&self) -> String {
        match self {
            // Whole pounds without ".00"; pence where there are pence.
            InputValue::Money(p) if p.pence() % 100 == 0 => p.display_pounds(),
            InputValue::Money(p) => p.display(),
            InputValue::People(n) => people(*n),
            InputValue::Rate(r) => percent(*r, 2),
            InputValue::Number(x) => {
                let text = format!("{x:.4}");
                let text = text.trim_end_matches('0').trim_end_matches('.');
                text.to_string()
            }
        }
    }
}

/// One input a tornado varies: one number, or a group varied together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Input {
    /// In plain words: "Population of Luton CCG (all age bands)".
    pub label: String,
    /// Where it is in the scenario, as the editor names fields: `places[1].need_index`,
    /// `places[1].population[*].people` for a group.
    pub path: String,
    pub kind: InputKind,
    pub part: Part,
    /// JSON pointers of the numbers varied together.
    pointers: Vec<String>,
    /// The input as written (the total for a group of people or money), if one number says it.
    pub value: Option<InputValue>,
}

/// One input's effect on the figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TornadoRow {
    pub label: String,
    pub path: String,
    pub kind: InputKind,
    /// The input lowered and raised (as [`Input::value`]).
    pub value_low: Option<InputValue>,
    pub value_high: Option<InputValue>,
    /// The figure with the input lowered and raised; `None` where the varied scenario
    /// is not allowed (a share above 100 %), with the reason in `problem`.
    pub figure_low: Option<Measure>,
    pub figure_high: Option<Measure>,
    /// The range of the figure over lowered, as written and raised (money or a rate).
    pub swing: Measure,
    pub problem: Option<String>,
}

/// A tornado: the figure as written, and every input's swing, largest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tornado {
    pub figure: Figure,
    /// The stated variation, a fraction: 0.1 is ±10 %.
    pub variation: f64,
    pub base: Measure,
    pub rows: Vec<TornadoRow>,
    /// For a risk pool's figure: the trials simulated each time (the base figure too).
    pub pool_trials: Option<u32>,
}

/// Why a tornado could not be drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum SensitivityError {
    /// The variation is not from 0 % to 50 %, or the figure is not one a tornado is for.
    Invalid(Vec<Problem>),
    /// The scenario does not have this figure (no outcome contract, say).
    NoSuchFigure(Figure),
    /// The scenario as written does not compute.
    Scenario(ScenarioError),
}

impl fmt::Display for SensitivityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SensitivityError::Invalid(problems) => {
                let texts: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                write!(f, "{}", texts.join("; "))
            }
            SensitivityError::NoSuchFigure(figure) => {
                write!(f, "this scenario has no “{}”", figure.label())
            }
            SensitivityError::Scenario(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SensitivityError {}

/// The figures a tornado can be drawn for in this scenario's results, in order.
pub fn figures_for(results: &crate::scenario::Results) -> Vec<Figure> {
    Figure::SENSITIVE
        .iter()
        .copied()
        .filter(|f| matches!(f.value(results), Some(Measure::Money(_) | Measure::Rate(_))))
        .collect()
}

/// Every input a tornado of this scenario may vary, in the scenario's order.
pub fn inputs(scenario: &Scenario) -> Vec<Input> {
    let mut out = Vec::new();
    let mut add = |label: String,
                   path: String,
                   kind: InputKind,
                   part: Part,
                   pointers: Vec<String>,
                   value: Option<InputValue>| {
        out.push(Input {
            label,
            path,
            kind,
            part,
            pointers,
            value,
        });
    };
    let single = |kind: InputKind, x: f64| -> InputValue {
        match kind {
            InputKind::Money => InputValue::Money(Pence(x as i64)),
            InputKind::People => InputValue::People(x),
            InputKind::Rate => InputValue::Rate(x),
            InputKind::Number => InputValue::Number(x),
        }
    };
    // Budget: the funding rate and its yearly change.
    let b = &scenario.budget;
    add(
        "Rate per weighted head".into(),
        "budget.rate_per_weighted_head".into(),
        InputKind::Money,
        Part::Budget,
        vec!["/budget/rate_per_weighted_head".into()],
        Some(InputValue::Money(b.rate_per_weighted_head)),
    );
    for (field, label, value) in [
        ("uplift", "Funding uplift each year", b.uplift),
        (
            "efficiency",
            "Efficiency requirement each year",
            b.efficiency,
        ),
    ] {
        add(
            label.into(),
            format!("budget.{field}"),
            InputKind::Rate,
            Part::Budget,
            vec![format!("/budget/{field}")],
            Some(single(InputKind::Rate, value)),
        );
    }
    for (i, band) in scenario.age_bands.iter().enumerate() {
        add(
            format!("Cost weight, ages {}", band.label),
            format!("age_bands[{i}].cost_weight"),
            InputKind::Number,
            Part::Budget,
            vec![format!("/age_bands/{i}/cost_weight")],
            Some(single(InputKind::Number, band.cost_weight)),
        );
    }
    for (i, place) in scenario.places.iter().enumerate() {
        let bands = place.population.len();
        let total: f64 = place.population.iter().map(|p| p.people as f64).sum();
        add(
            format!("Population of {} (all age bands)", place.name),
            format!("places[{i}].population[*].people"),
            InputKind::People,
            Part::Budget,
            (0..bands)
                .map(|b| format!("/places/{i}/population/{b}/people"))
                .collect(),
            Some(InputValue::People(total)),
        );
        add(
            format!("Population growth of {} (each age band)", place.name),
            format!("places[{i}].population[*].growth"),
            InputKind::Rate,
            Part::Budget,
            (0..bands)
                .map(|b| format!("/places/{i}/population/{b}/growth"))
                .collect(),
            None,
        );
        for (field, what, value) in [
            ("need_index", "Need index", place.need_index),
            (
                "market_forces_factor",
                "Market forces factor",
                place.market_forces_factor,
            ),
        ] {
            add(
                format!("{what} of {}", place.name),
                format!("places[{i}].{field}"),
                InputKind::Number,
                Part::Budget,
                vec![format!("/places/{i}/{field}")],
                Some(single(InputKind::Number, value)),
            );
        }
    }
    if let Some(contract) = &scenario.outcome_contract {
        let part = Part::OutcomeContract;
        add(
            "Outcome contract's value".into(),
            "outcome_contract.contract_value".into(),
            InputKind::Money,
            part,
            vec!["/outcome_contract/contract_value".into()],
            Some(InputValue::Money(contract.contract_value)),
        );
        add(
            "Share of the contract at risk".into(),
            "outcome_contract.share_at_risk".into(),
            InputKind::Rate,
            part,
            vec!["/outcome_contract/share_at_risk".into()],
            Some(single(InputKind::Rate, contract.share_at_risk)),
        );
        for (m, metric) in contract.metrics.iter().enumerate() {
            for (field, what, value) in [
                ("achieved", "Achieved", metric.achieved),
                ("target", "Target", metric.target),
            ] {
                add(
                    format!("{what}: {}", metric.name),
                    format!("outcome_contract.metrics[{m}].{field}"),
                    InputKind::Number,
                    part,
                    vec![format!("/outcome_contract/metrics/{m}/{field}")],
                    Some(single(InputKind::Number, value)),
                );
            }
        }
    }
    if let Some(risk) = &scenario.risk_share {
        let part = Part::RiskShare;
        for (field, label, amount) in [
            ("budget", "Risk share budget", Some(risk.budget)),
            (
                "outturn",
                "Outturn (actual or forecast spend)",
                Some(risk.outturn),
            ),
            ("provider_cap", "Provider's cap", risk.provider_cap),
            (
                "commissioner_cap",
                "Commissioner's cap",
                risk.commissioner_cap,
            ),
        ] {
            if let Some(amount) = amount {
                add(
                    label.into(),
                    format!("risk_share.{field}"),
                    InputKind::Money,
                    part,
                    vec![format!("/risk_share/{field}")],
                    Some(InputValue::Money(amount)),
                );
            }
        }
        for (side, corridors, what) in [
            ("loss_corridors", &risk.loss_corridors, "an overspend"),
            ("gain_corridors", &risk.gain_corridors, "an underspend"),
        ] {
            for (c, corridor) in corridors.iter().enumerate() {
                let band = match corridor.to {
                    Some(to) => format!("{} to {}", percent(corridor.from, 1), percent(to, 1)),
                    None => format!("over {}", percent(corridor.from, 1)),
                };
                add(
                    format!("Provider's share of {what}, {band}"),
                    format!("risk_share.{side}[{c}].provider_share"),
                    InputKind::Rate,
                    part,
                    vec![format!("/risk_share/{side}/{c}/provider_share")],
                    Some(single(InputKind::Rate, corridor.provider_share)),
                );
            }
        }
        if let Some(q) = risk.quality_score {
            add(
                "Quality score".into(),
                "risk_share.quality_score".into(),
                InputKind::Number,
                part,
                vec!["/risk_share/quality_score".into()],
                Some(single(InputKind::Number, q)),
            );
        }
    }
    if let Some(pooled) = &scenario.pooled_budget {
        for (c, contribution) in pooled.contributions.iter().enumerate() {
            add(
                format!("Contribution of {}", contribution.organisation),
                format!("pooled_budget.contributions[{c}].amount"),
                InputKind::Money,
                Part::PooledBudget,
                vec![format!("/pooled_budget/contributions/{c}/amount")],
                Some(InputValue::Money(contribution.amount)),
            );
        }
    }
    if let Some(pool) = &scenario.pool {
        let part = Part::Pool;
        for (m, member) in pool.members.iter().enumerate() {
            add(
                format!("Population of {} (risk pool)", member.name),
                format!("pool.members[{m}].population"),
                InputKind::People,
                part,
                vec![format!("/pool/members/{m}/population")],
                Some(InputValue::People(member.population as f64)),
            );
            add(
                format!("Cost per head of {} (risk pool)", member.name),
                format!("pool.members[{m}].cost_per_head"),
                InputKind::Money,
                part,
                vec![format!("/pool/members/{m}/cost_per_head")],
                Some(InputValue::Money(member.cost_per_head)),
            );
            add(
                format!("Cost variation of {} (risk pool)", member.name),
                format!("pool.members[{m}].cost_variation"),
                InputKind::Number,
                part,
                vec![format!("/pool/members/{m}/cost_variation")],
                Some(single(InputKind::Number, member.cost_variation)),
            );
        }
        for (field, label, value) in [
            (
                "common_shock",
                "Common shock (risk pool)",
                pool.common_shock,
            ),
            (
                "correlation",
                "Correlation between members (risk pool)",
                pool.correlation,
            ),
            (
                "overspend_threshold",
                "Overspend threshold (risk pool)",
                pool.overspend_threshold,
            ),
        ] {
            add(
                label.into(),
                format!("pool.{field}"),
                InputKind::Rate,
                part,
                vec![format!("/pool/{field}")],
                Some(single(InputKind::Rate, value)),
            );
        }
    }
    // A share of zero is zero: such an input cannot be varied by a percentage.
    let json = serde_json::to_value(scenario).unwrap_or(Value::Null);
    out.retain(|input| {
        input.pointers.iter().any(|p| {
            json.pointer(p)
                .and_then(Value::as_f64)
                .is_some_and(|x| x != 0.0)
        })
    });
    out
}

/// The scenario with only what `part` needs: every other optional part left out.
fn focused(scenario: &Scenario, part: Part) -> Scenario {
    let mut s = scenario.clone();
    // How the budget splits into service lines never changes its total: one line will do,
    // and spares the working of every line, place and year on every recomputation.
    s.budget.service_lines = vec![crate::budget::ServiceLine::new("All services", 1.0)];
    s.fair_shares = None;
    s.lead_contract = None;
    if part != Part::OutcomeContract {
        s.outcome_contract = None;
    }
    if part != Part::RiskShare {
        s.risk_share = None;
    }
    if part != Part::PooledBudget {
        s.pooled_budget = None;
    }
    match &mut s.pool {
        Some(pool) if part == Part::Pool => pool.trials = pool.trials.min(POOL_TRIALS),
        _ => s.pool = None,
    }
    s
}

/// `number × factor` in the input's kind; `None` if it is not a number.
fn scaled(number: &Value, kind: InputKind, factor: f64) -> Option<Value> {
    match kind {
        InputKind::Money => {
            let pence = Pence(number.as_i64()?);
            pence.mul_rate(factor).ok().map(|p| Value::from(p.pence()))
        }
        InputKind::People => {
            let n = number.as_u64()? as f64 * factor;
            (n.is_finite() && n >= 0.0).then(|| Value::from(n.round() as u64))
        }
        InputKind::Rate | InputKind::Number => {
            let x = number.as_f64()? * factor;
            serde_json::Number::from_f64(x).map(Value::Number)
        }
    }
}

/// The scenario (as JSON) with `input` scaled by `factor`, and the input's new value.
fn vary(json: &Value, input: &Input, factor: f64) -> Option<(Value, Option<InputValue>)> {
    let mut out = json.clone();
    let mut total = 0.0;
    let mut total_pence = Pence::ZERO;
    let mut single = None;
    for pointer in &input.pointers {
        let slot = out.pointer_mut(pointer)?;
        let new = scaled(slot, input.kind, factor)?;
        match input.kind {
            InputKind::Money => {
                total_pence = total_pence.checked_add(Pence(new.as_i64()?)).ok()?;
            }
            _ => total += new.as_f64()?,
        }
        single = new.as_f64();
        *slot = new;
    }
    let value = input.value.as_ref().and_then(|v| match v {
        InputValue::Money(_) => Some(InputValue::Money(total_pence)),
        InputValue::People(_) => Some(InputValue::People(total)),
        InputValue::Rate(_) => single.map(InputValue::Rate),
        InputValue::Number(_) => single.map(InputValue::Number),
    });
    Some((out, value))
}

/// The figure for a varied scenario, or why it could not be worked out.
fn figure_of(json: Value, figure: Figure) -> Result<Measure, String> {
    let scenario: Scenario = serde_json::from_value(json).map_err(|e| e.to_string())?;
    // A pool's figures come from the pool alone: simulate it, and nothing else.
    if let (Part::Pool, Some(pool)) = (figure.part(), &scenario.pool) {
        let mut problems = crate::validation::Problems::new();
        pool.problems("pool", &mut problems);
        if let Some(p) = problems.into_vec().first() {
            return Err(format!("{} would be {}: it {}", p.path, p.value, p.message));
        }
        return crate::pooling::simulate_at_most(pool, POOL_TRIALS)
            .map_err(|e| e.to_string())
            .and_then(|r| {
                figure
                    .of_pool(&r)
                    .ok_or_else(|| "the figure could not be worked out".to_string())
            });
    }
    match scenario.compute() {
        Ok(results) => figure
            .value(&results)
            .ok_or_else(|| "the figure could not be worked out".to_string()),
        Err(ScenarioError::Invalid(problems)) => Err(problems
            .first()
            .map(|p| format!("{} would be {}: it {}", p.path, p.value, p.message))
            .unwrap_or_else(|| "the scenario would not be valid".into())),
        Err(e) => Err(e.to_string()),
    }
}

/// The range of the figure over the values present (both money or both rates).
fn range(values: &[&Measure]) -> Result<Measure, MoneyError> {
    let money: Vec<Pence> = values
        .iter()
        .filter_map(|m| match m {
            Measure::Money(p) => Some(*p),
            _ => None,
        })
        .collect();
    if !money.is_empty() {
        let (lo, hi) = money
            .iter()
            .fold((money[0], money[0]), |(lo, hi), p| (lo.min(*p), hi.max(*p)));
        return hi.checked_sub(lo).map(Measure::Money);
    }
    let rates: Vec<f64> = values
        .iter()
        .filter_map(|m| match m {
            Measure::Rate(r) => Some(*r),
            _ => None,
        })
        .collect();
    let lo = rates.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = rates.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Ok(Measure::Rate(if rates.is_empty() { 0.0 } else { hi - lo }))
}

/// Larger swings first; a money swing and a rate swing never meet in one tornado.
fn larger_first(a: &Measure, b: &Measure) -> std::cmp::Ordering {
    match (a, b) {
        (Measure::Money(x), Measure::Money(y)) => y.cmp(x),
        (Measure::Rate(x), Measure::Rate(y)) => y.total_cmp(x),
        _ => std::cmp::Ordering::Equal,
    }
}

/// Vary each input of `scenario` by ±`variation` (a fraction, 0 to [`MAX_VARIATION`]) and
/// see how far `figure` moves.
pub fn tornado(
    scenario: &Scenario,
    figure: Figure,
    variation: f64,
) -> Result<Tornado, SensitivityError> {
    if !(variation.is_finite() && (0.0..=MAX_VARIATION).contains(&variation)) {
        return Err(SensitivityError::Invalid(vec![Problem::new(
            "variation",
            variation,
            "must be from 0 % to 50 %",
        )]));
    }
    if !Figure::SENSITIVE.contains(&figure) {
        return Err(SensitivityError::Invalid(vec![Problem::new(
            "figure",
            figure.key(),
            "is not a figure a tornado chart is drawn for",
        )]));
    }
    let part = figure.part();
    let base_scenario = focused(scenario, part);
    let base = base_scenario
        .compute()
        .map_err(SensitivityError::Scenario)?;
    let base = figure
        .value(&base)
        .ok_or(SensitivityError::NoSuchFigure(figure))?;
    let json = serde_json::to_value(&base_scenario).map_err(|e| {
        SensitivityError::Invalid(vec![Problem::new("(scenario)", "—", e.to_string())])
    })?;
    let mut rows = Vec::new();
    for input in inputs(scenario).into_iter().filter(|i| i.part == part) {
        let mut problem = None;
        let mut side = |factor: f64| -> (Option<InputValue>, Option<Measure>) {
            match vary(&json, &input, factor) {
                Some((varied, value)) => match figure_of(varied, figure) {
                    Ok(m) => (value, Some(m)),
                    Err(why) => {
                        problem.get_or_insert(why);
                        (value, None)
                    }
                },
                None => {
                    problem.get_or_insert_with(|| "this input could not be varied".into());
                    (None, None)
                }
            }
        };
        let (value_low, figure_low) = side(1.0 - variation);
        let (value_high, figure_high) = side(1.0 + variation);
        let present: Vec<&Measure> = [figure_low.as_ref(), Some(&base), figure_high.as_ref()]
            .into_iter()
            .flatten()
            .collect();
        let swing = range(&present).map_err(|e| {
            SensitivityError::Scenario(ScenarioError::Money {
                part: input.path.clone(),
                error: e.to_string(),
            })
        })?;
        rows.push(TornadoRow {
            label: input.label,
            path: input.path,
            kind: input.kind,
            value_low,
            value_high,
            figure_low,
            figure_high,
            swing,
            problem,
        });
    }
    rows.sort_by(|a, b| larger_first(&a.swing, &b.swing));
    let pool_trials = base_scenario
        .pool
        .as_ref()
        .map(|p| p.trials.min(crate::pooling::FIRST_ESTIMATE_TRIALS));
    Ok(Tornado {
        figure,
        variation,
        base,
        rows,
        pool_trials,
    })
}

impl Tornado {
    /// The rows whose swing is not zero.
    pub fn moving_rows(&self) -> impl Iterator<Item = &TornadoRow> {
        self.rows.iter().filter(|r| !is_zero(&r.swing))
    }

    /// What the chart shows, in a sentence: "Varying each input by ±10 %, the biggest
    /// effect on the budget over the whole period is the rate per weighted head: it moves
    /// the figure by £18.2m (from … to …)."
    pub fn sentence(&self) -> String {
        let by = percent(self.variation, 0);
        let what = self.figure.label().to_lowercase();
        match self.moving_rows().next() {
            Some(top) => {
                let ends = match (&top.figure_low, &top.figure_high) {
                    (Some(l), Some(h)) => format!(
                        " (from {} with it lowered to {} with it raised)",
                        l.display(),
                        h.display()
                    ),
                    _ => String::new(),
                };
                format!(
                    "Varying each input by ±{by}, the biggest effect on “{what}” ({}) is from “{}”: it moves the figure by {}{ends}.",
                    self.base.display(),
                    top.label,
                    swing_text(&top.swing)
                )
            }
            None => format!(
                "Varying each input by ±{by}, no input moves “{what}” ({}).",
                self.base.display()
            ),
        }
    }
}

/// A swing in words: `£1,234` or `0.52 percentage points`.
pub fn swing_text(swing: &Measure) -> String {
    match swing {
        Measure::Rate(r) => format!("{} percentage points", percent(*r, 2).replace(" %", "")),
        other => other.display(),
    }
}

fn is_zero(m: &Measure) -> bool {
    match m {
        Measure::Money(p) => p.pence() == 0,
        Measure::Rate(r) => r.abs() < 1e-12,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;

    fn built_in(name: &str) -> Scenario {
        examples::find(name).unwrap().scenario().unwrap()
    }

    fn pence(m: &Measure) -> i64 {
        match m {
            Measure::Money(p) => p.pence(),
            other => panic!("not money: {other:?}"),
        }
    }

    fn row<'a>(t: &'a Tornado, path: &str) -> &'a TornadoRow {
        t.rows
            .iter()
            .find(|r| r.path == path)
            .unwrap_or_else(|| panic!("no row {path}"))
    }

    #[test]
    fn a_figure_linear_in_one_input_swings_by_twice_the_variation() {
        // The first year's budget is rate × weighted population: ±10 % on the rate is
        // ±10 % on the budget (to within the penny rounding of each place's budget).
        let s = built_in("anytown");
        let base = s.compute().unwrap().totals[0].budget.pence();
        let t = tornado(&s, Figure::FirstYearBudget, 0.1).unwrap();
        assert_eq!(pence(&t.base), base);
        let rate = row(&t, "budget.rate_per_weighted_head");
        let expected = base / 5; // 20 % of the budget: from 90 % to 110 %
        assert!(
            (pence(&rate.swing) - expected).abs() <= 200,
            "{} vs {expected}",
            pence(&rate.swing)
        );
        assert_eq!(
            rate.value_low,
            Some(InputValue::Money(
                s.budget.rate_per_weighted_head.mul_rate(0.9).unwrap()
            ))
        );
        assert!(pence(rate.figure_low.as_ref().unwrap()) < base);
        assert!(pence(rate.figure_high.as_ref().unwrap()) > base);
    }

    #[test]
    fn an_input_that_does_not_reach_the_figure_has_no_swing() {
        // Uplift, efficiency and growth start after the first year.
        let s = built_in("anytown");
        let t = tornado(&s, Figure::FirstYearBudget, 0.2).unwrap();
        assert_eq!(pence(&row(&t, "budget.uplift").swing), 0);
        assert_eq!(pence(&row(&t, "budget.efficiency").swing), 0);
        assert_eq!(pence(&row(&t, "places[0].population[*].growth").swing), 0);
        // ... but the last year's budget does move with them.
        let t = tornado(&s, Figure::LastYearBudget, 0.2).unwrap();
        assert!(pence(&row(&t, "budget.uplift").swing) > 0);
    }

    #[test]
    fn no_variation_means_no_swing() {
        for name in ["anytown", "cquin", "isle-of-wight"] {
            let s = built_in(name);
            let results = s.compute().unwrap();
            for figure in figures_for(&results) {
                let t = tornado(&s, figure, 0.0).unwrap();
                assert!(!t.rows.is_empty(), "{name} {figure:?}");
                assert!(t.moving_rows().next().is_none(), "{name} {figure:?}: {t:?}");
            }
        }
    }

    #[test]
    fn rows_are_sorted_by_swing_largest_first() {
        let s = built_in("healthier-together");
        let t = tornado(&s, Figure::PeriodBudget, 0.1).unwrap();
        assert!(t.rows.len() > 20, "{}", t.rows.len());
        for pair in t.rows.windows(2) {
            assert!(pence(&pair[0].swing) >= pence(&pair[1].swing));
        }
        assert_eq!(t.rows[0].path, "budget.rate_per_weighted_head");
        // The pool's inputs are not varied for a budget figure.
        assert!(t.rows.iter().all(|r| !r.path.starts_with("pool.")));
        assert!(t.sentence().starts_with(
            "Varying each input by ±10 %, the biggest effect on “budget over the whole period”"
        ));
    }

    #[test]
    fn the_pool_figures_vary_the_pool() {
        let s = built_in("healthier-together");
        let t = tornado(&s, Figure::PoolSpread, 0.2).unwrap();
        assert!(t.rows.iter().all(|r| r.path.starts_with("pool.")));
        let shock = row(&t, "pool.common_shock");
        assert!(pence(&shock.swing) > 0);
        // The threshold only decides what counts as an overspend, not the spread.
        assert_eq!(pence(&row(&t, "pool.overspend_threshold").swing), 0);
        assert_eq!(t.pool_trials, Some(POOL_TRIALS));
        assert_eq!(
            tornado(&s, Figure::PeriodBudget, 0.2).unwrap().pool_trials,
            None
        );
    }

    #[test]
    fn a_variation_that_breaks_a_rule_is_reported_not_hidden() {
        // CQUIN's first loss corridor gives the provider 100 %: 120 % is not allowed.
        let s = built_in("cquin");
        let t = tornado(&s, Figure::RiskShareProvider, 0.2).unwrap();
        let full = row(&t, "risk_share.loss_corridors[0].provider_share");
        assert!(full.figure_high.is_none());
        assert!(full
            .problem
            .as_deref()
            .unwrap_or("")
            .contains("provider_share"));
        assert!(full.figure_low.is_some());
    }

    #[test]
    fn the_variation_and_the_figure_are_checked() {
        let s = built_in("anytown");
        for bad in [-0.1, 0.51, f64::NAN] {
            assert!(matches!(
                tornado(&s, Figure::PeriodBudget, bad),
                Err(SensitivityError::Invalid(_))
            ));
        }
        assert!(matches!(
            tornado(&s, Figure::People, 0.1),
            Err(SensitivityError::Invalid(_))
        ));
        assert_eq!(
            tornado(&s, Figure::PoolSpread, 0.1),
            Err(SensitivityError::NoSuchFigure(Figure::PoolSpread))
        );
    }

    #[test]
    fn input_values_read_as_people_write_them() {
        assert_eq!(
            InputValue::Money(Pence(18_000_000_000)).display(),
            "£180,000,000"
        );
        assert_eq!(InputValue::Money(Pence(173_205)).display(), "£1,732.05");
        assert_eq!(InputValue::Rate(0.0225).display(), "2.25 %");
        assert_eq!(InputValue::Number(0.9440).display(), "0.944");
        assert_eq!(InputValue::People(25_800.0).display(), "25,800");
    }

    #[test]
    fn zero_inputs_are_left_out() {
        let mut s = built_in("anytown");
        s.budget.uplift = 0.0;
        assert!(inputs(&s).iter().all(|i| i.path != "budget.uplift"));
        assert!(inputs(&built_in("anytown"))
            .iter()
            .any(|i| i.path == "budget.uplift"));
    }
}
