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
use crate::inputs::Unit;
use crate::money::{MoneyError, Pence};
use crate::scenario::{CalcError, Scenario, ValidScenario};
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
    /// In plain words, from the registry of inputs: "People (Luton CCG, every age band)".
    pub label: String,
    /// Where it is in the scenario, as the editor names fields: `places[1].need_index`,
    /// `places[1].population[*].people` for a group.
    pub path: String,
    /// Its unit (from the registry): pence are varied exactly and kept whole, people kept
    /// whole, fractions and numbers scaled.
    pub kind: Unit,
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
    pub kind: Unit,
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
    /// The scenario as written is not valid once focused on the figure's part (a bug: a
    /// valid scenario with parts left out is valid).
    Scenario(Vec<Problem>),
    /// The scenario's amounts are too large to calculate with.
    Money(CalcError),
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
            SensitivityError::Scenario(problems) => {
                let texts: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                write!(f, "{}", texts.join("; "))
            }
            SensitivityError::Money(e) => write!(f, "{e}"),
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

/// Every input a tornado of this scenario may vary, in the scenario's order, each labelled
/// from the registry of inputs ([`crate::inputs`]).
pub fn inputs(scenario: &Scenario) -> Vec<Input> {
    let mut paths: Vec<(String, Part)> = Vec::new();
    let mut add = |path: String, part: Part| paths.push((path, part));
    // Budget: the funding rate and its yearly change, weights, people, need.
    for field in ["rate_per_weighted_head", "uplift", "efficiency"] {
        add(format!("budget.{field}"), Part::Budget);
    }
    for i in 0..scenario.age_bands.len() {
        add(format!("age_bands[{i}].cost_weight"), Part::Budget);
    }
    for i in 0..scenario.places.len() {
        // A place's population and its growth are each varied across its age bands at once.
        for field in [
            "population[*].people",
            "population[*].growth",
            "need_index",
            "market_forces_factor",
        ] {
            add(format!("places[{i}].{field}"), Part::Budget);
        }
    }
    if let Some(contract) = &scenario.outcome_contract {
        let part = Part::OutcomeContract;
        add("outcome_contract.contract_value".into(), part);
        add("outcome_contract.share_at_risk".into(), part);
        for m in 0..contract.metrics.len() {
            for field in ["achieved", "target"] {
                add(format!("outcome_contract.metrics[{m}].{field}"), part);
            }
        }
    }
    if let Some(risk) = &scenario.risk_share {
        let part = Part::RiskShare;
        add("risk_share.budget".into(), part);
        add("risk_share.outturn".into(), part);
        if risk.provider_cap.is_some() {
            add("risk_share.provider_cap".into(), part);
        }
        if risk.commissioner_cap.is_some() {
            add("risk_share.commissioner_cap".into(), part);
        }
        for (side, corridors) in [
            ("loss_corridors", &risk.loss_corridors),
            ("gain_corridors", &risk.gain_corridors),
        ] {
            for c in 0..corridors.len() {
                add(format!("risk_share.{side}[{c}].provider_share"), part);
            }
        }
        if risk.quality_score.is_some() {
            add("risk_share.quality_score".into(), part);
        }
    }
    if let Some(pooled) = &scenario.pooled_budget {
        for c in 0..pooled.contributions.len() {
            add(
                format!("pooled_budget.contributions[{c}].amount"),
                Part::PooledBudget,
            );
        }
    }
    if let Some(pool) = &scenario.pool {
        for m in 0..pool.members.len() {
            for field in ["population", "cost_per_head", "cost_variation"] {
                add(format!("pool.members[{m}].{field}"), Part::Pool);
            }
        }
        for field in ["common_shock", "correlation", "overspend_threshold"] {
            add(format!("pool.{field}"), Part::Pool);
        }
    }

    let json = serde_json::to_value(scenario).unwrap_or(Value::Null);
    paths
        .into_iter()
        .filter_map(|(path, part)| {
            let kind = crate::inputs::find(&path)?.unit;
            let pointers = pointers(&path, &json);
            let numbers: Vec<f64> = pointers
                .iter()
                .filter_map(|p| json.pointer(p).and_then(Value::as_f64))
                .collect();
            // A share of zero is zero: such an input cannot be varied by a percentage.
            if !numbers.iter().any(|&x| x != 0.0) {
                return None;
            }
            let total: f64 = numbers.iter().sum();
            let value = match (kind, numbers.as_slice()) {
                (Unit::Pence, _) => Some(InputValue::Money(Pence(total as i64))),
                (Unit::People, _) => Some(InputValue::People(total)),
                // One number says a group's total, not each band's own growth.
                (Unit::Fraction, [one]) => Some(InputValue::Rate(*one)),
                (_, [one]) => Some(InputValue::Number(*one)),
                _ => None,
            };
            Some(Input {
                label: crate::inputs::label_in(&path, &json),
                path,
                kind,
                part,
                pointers,
                value,
            })
        })
        .collect()
}

/// The JSON pointers a path stands for: `places[0].population[*].people` is every band's.
fn pointers(path: &str, json: &Value) -> Vec<String> {
    let mut out = vec![String::new()];
    for segment in path.split('.') {
        let (key, index) = match segment.split_once('[') {
            Some((key, rest)) => (key, Some(rest.trim_end_matches(']'))),
            None => (segment, None),
        };
        for p in &mut out {
            p.push('/');
            p.push_str(key);
        }
        match index {
            Some("*") => {
                out = out
                    .iter()
                    .flat_map(|p| {
                        let len = json
                            .pointer(p)
                            .and_then(Value::as_array)
                            .map_or(0, Vec::len);
                        (0..len).map(move |i| format!("{p}/{i}"))
                    })
                    .collect();
            }
            Some(i) => {
                for p in &mut out {
                    p.push('/');
                    p.push_str(i);
                }
            }
            None => {}
        }
    }
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

/// `number × factor` in the input's unit; `None` if it is not a number.
fn scaled(number: &Value, kind: Unit, factor: f64) -> Option<Value> {
    match kind {
        Unit::Pence => {
            let pence = Pence(number.as_i64()?);
            pence.mul_rate(factor).ok().map(|p| Value::from(p.pence()))
        }
        Unit::People => {
            let n = number.as_u64()? as f64 * factor;
            (n.is_finite() && n >= 0.0).then(|| Value::from(n.round() as u64))
        }
        _ => {
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
            Unit::Pence => {
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
    let because = |p: &Problem| format!("{} would be {}: it {}", p.path, p.value, p.message);
    // A pool's figures come from the pool alone: simulate it, and nothing else.
    if figure.part() == Part::Pool {
        let scenario: Scenario = serde_json::from_value(json).map_err(|e| e.to_string())?;
        let Some(pool) = &scenario.pool else {
            return Err("the figure could not be worked out".into());
        };
        let mut problems = crate::validation::Problems::new();
        pool.problems("pool", &mut problems);
        if let Some(p) = problems.into_vec().first() {
            return Err(because(p));
        }
        return crate::pooling::simulate_at_most(pool, POOL_TRIALS)
            .map_err(|e| e.to_string())
            .and_then(|r| {
                figure
                    .of_pool(&r)
                    .ok_or_else(|| "the figure could not be worked out".to_string())
            });
    }
    // Every other figure: through the door, as any scenario (a variation may break a rule).
    let scenario = crate::scenario::decode_value(json).map_err(|problems| {
        problems
            .first()
            .map(because)
            .unwrap_or_else(|| "the scenario would not be valid".into())
    })?;
    match scenario.compute() {
        Ok(results) => figure
            .value(&results)
            .ok_or_else(|| "the figure could not be worked out".to_string()),
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
    scenario: &ValidScenario,
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
    let base_scenario =
        ValidScenario::new(focused(scenario, part)).map_err(SensitivityError::Scenario)?;
    let base = base_scenario.compute().map_err(SensitivityError::Money)?;
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
        let swing = range(&present).map_err(|error| {
            SensitivityError::Money(CalcError {
                path: input.path.clone(),
                what: None,
                error,
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

    fn built_in(name: &str) -> ValidScenario {
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
        let mut s = built_in("anytown").into_scenario();
        s.budget.uplift = 0.0;
        assert!(inputs(&s).iter().all(|i| i.path != "budget.uplift"));
        assert!(inputs(&built_in("anytown"))
            .iter()
            .any(|i| i.path == "budget.uplift"));
    }
}
