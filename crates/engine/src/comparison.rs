//! Scenarios side by side: the headline figures of two to four scenarios, each with its
//! difference from the first (the baseline), in money and per person.
//!
//! Every figure is read from the scenario's own [`Results`]; nothing is recalculated.
//! A money difference is an exact checked subtraction of pence. A per-person difference is
//! the difference between the two scenarios' own per-person figures (made by
//! [`scenario::per_person`], the engine's one per-person rule), not a difference divided
//! by someone's population: "£14 more per person" means each scenario's budget per
//! person, compared. A figure a scenario does not have (no outcome contract, say) is
//! `None`, and so is its difference.

use crate::money::{MoneyError, Pence};
use crate::pooling::PoolingResult;
use crate::scenario::{self, Results};
use crate::working::{people, percent};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The fewest and most scenarios one comparison holds (a projector shows four columns).
pub const MIN_SCENARIOS: usize = 2;
pub const MAX_SCENARIOS: usize = 4;

/// A headline figure a scenario's results can be compared, or tested for sensitivity, on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// The years the budget covers (first and last financial year).
    Period,
    /// All places' people in the first year.
    People,
    /// All places' budget in the first year.
    FirstYearBudget,
    /// All places' budget in the last year.
    LastYearBudget,
    /// All places' budgets over every year of the period, added up.
    PeriodBudget,
    /// Budget per person in the first year.
    FirstYearPerPerson,
    /// Budget per person in the last year.
    LastYearPerPerson,
    /// Change in budget per person, first year to last, as a fraction.
    PerPersonGrowth,
    /// The outcome payment at risk (at stake).
    OutcomeAtRisk,
    /// The outcome payment earned.
    OutcomeEarned,
    /// Outturn − budget under the risk share (positive: overspend).
    RiskShareVariance,
    /// The provider's part of the variance.
    RiskShareProvider,
    /// The commissioner's part of the variance.
    RiskShareCommissioner,
    /// The pooled budget's pot.
    PooledPot,
    /// Chance the risk pool as a whole overspends by more than its threshold.
    PoolOverspendProbability,
    /// The risk pool's 5th–95th percentile spread of outturn.
    PoolSpread,
}

impl Figure {
    /// The rows of a comparison, in order. The per-person figures are not rows of their
    /// own: each budget row carries its per-person figure beside it.
    pub const COMPARED: &'static [Figure] = &[
        Figure::Period,
        Figure::People,
        Figure::FirstYearBudget,
        Figure::LastYearBudget,
        Figure::PeriodBudget,
        Figure::PerPersonGrowth,
        Figure::OutcomeAtRisk,
        Figure::OutcomeEarned,
        Figure::RiskShareVariance,
        Figure::RiskShareProvider,
        Figure::RiskShareCommissioner,
        Figure::PooledPot,
        Figure::PoolOverspendProbability,
        Figure::PoolSpread,
    ];

    /// The figures a sensitivity (tornado) chart can be drawn for: amounts and rates
    /// that move smoothly with the inputs (not the period or a count of people).
    pub const SENSITIVE: &'static [Figure] = &[
        Figure::PeriodBudget,
        Figure::FirstYearBudget,
        Figure::LastYearBudget,
        Figure::FirstYearPerPerson,
        Figure::LastYearPerPerson,
        Figure::PerPersonGrowth,
        Figure::OutcomeEarned,
        Figure::RiskShareProvider,
        Figure::RiskShareCommissioner,
        Figure::PooledPot,
        Figure::PoolOverspendProbability,
        Figure::PoolSpread,
    ];

    /// The figure's name in plain words.
    pub fn label(self) -> &'static str {
        match self {
            Figure::Period => "Years covered",
            Figure::People => "People, first year",
            Figure::FirstYearBudget => "Budget, first year",
            Figure::LastYearBudget => "Budget, last year",
            Figure::PeriodBudget => "Budget over the whole period",
            Figure::FirstYearPerPerson => "Budget per person, first year",
            Figure::LastYearPerPerson => "Budget per person, last year",
            Figure::PerPersonGrowth => "Change in budget per person, first to last year",
            Figure::OutcomeAtRisk => "Outcome payment at stake",
            Figure::OutcomeEarned => "Outcome payment earned",
            Figure::RiskShareVariance => "Risk share: overspend (+) or underspend (−)",
            Figure::RiskShareProvider => "Risk share: the provider's part",
            Figure::RiskShareCommissioner => "Risk share: the commissioner's part",
            Figure::PooledPot => "Pooled budget",
            Figure::PoolOverspendProbability => "Risk pool: chance of overspending its threshold",
            Figure::PoolSpread => "Risk pool: likely range of outturn (5th to 95th percentile)",
        }
    }

    /// A short stable name (for files and the command line): `period_budget`.
    pub fn key(self) -> &'static str {
        match self {
            Figure::Period => "period",
            Figure::People => "people",
            Figure::FirstYearBudget => "first_year_budget",
            Figure::LastYearBudget => "last_year_budget",
            Figure::PeriodBudget => "period_budget",
            Figure::FirstYearPerPerson => "first_year_per_person",
            Figure::LastYearPerPerson => "last_year_per_person",
            Figure::PerPersonGrowth => "per_person_growth",
            Figure::OutcomeAtRisk => "outcome_at_risk",
            Figure::OutcomeEarned => "outcome_earned",
            Figure::RiskShareVariance => "risk_share_variance",
            Figure::RiskShareProvider => "risk_share_provider",
            Figure::RiskShareCommissioner => "risk_share_commissioner",
            Figure::PooledPot => "pooled_pot",
            Figure::PoolOverspendProbability => "pool_overspend_probability",
            Figure::PoolSpread => "pool_spread",
        }
    }

    /// The figure with this [`Figure::key`].
    pub fn from_key(key: &str) -> Option<Figure> {
        Figure::COMPARED
            .iter()
            .chain(Figure::SENSITIVE)
            .copied()
            .find(|f| f.key() == key)
    }

    /// Which part of a scenario this figure is worked out from (see [`Part`]).
    pub fn part(self) -> Part {
        match self {
            Figure::Period
            | Figure::People
            | Figure::FirstYearBudget
            | Figure::LastYearBudget
            | Figure::PeriodBudget
            | Figure::FirstYearPerPerson
            | Figure::LastYearPerPerson
            | Figure::PerPersonGrowth => Part::Budget,
            Figure::OutcomeAtRisk | Figure::OutcomeEarned => Part::OutcomeContract,
            Figure::RiskShareVariance
            | Figure::RiskShareProvider
            | Figure::RiskShareCommissioner => Part::RiskShare,
            Figure::PooledPot => Part::PooledBudget,
            Figure::PoolOverspendProbability | Figure::PoolSpread => Part::Pool,
        }
    }

    /// The figure in these results, `None` where the scenario does not have it.
    pub fn value(self, results: &Results) -> Option<Measure> {
        let first = results.totals.first();
        let last = results.totals.last();
        match self {
            Figure::Period => Some(Measure::Period {
                first: first?.year.clone(),
                last: last?.year.clone(),
                years: results.totals.len(),
            }),
            Figure::People => first.map(|t| Measure::People(t.people)),
            Figure::FirstYearBudget => first.map(|t| Measure::Money(t.budget)),
            Figure::LastYearBudget => last.map(|t| Measure::Money(t.budget)),
            Figure::PeriodBudget => period_budget(results).ok().map(Measure::Money),
            Figure::FirstYearPerPerson => first?.per_person.map(Measure::Money),
            Figure::LastYearPerPerson => last?.per_person.map(Measure::Money),
            Figure::PerPersonGrowth => {
                let (a, b) = (first?.per_person?, last?.per_person?);
                if results.totals.len() < 2 || a.pence() == 0 {
                    return None;
                }
                // The same rate the headline "Change in budget per person" states.
                Some(Measure::Rate(
                    (b.pence() as f64 - a.pence() as f64) / a.pence() as f64,
                ))
            }
            Figure::OutcomeAtRisk => results
                .outcome_payment
                .as_ref()
                .map(|p| Measure::Money(p.at_risk)),
            Figure::OutcomeEarned => results
                .outcome_payment
                .as_ref()
                .map(|p| Measure::Money(p.total_earned)),
            Figure::RiskShareVariance => results
                .risk_share
                .as_ref()
                .map(|r| Measure::Money(r.variance)),
            Figure::RiskShareProvider => results
                .risk_share
                .as_ref()
                .map(|r| Measure::Money(r.provider_total)),
            Figure::RiskShareCommissioner => results
                .risk_share
                .as_ref()
                .map(|r| Measure::Money(r.commissioner_total)),
            Figure::PooledPot => results
                .pooled_budget
                .as_ref()
                .map(|p| Measure::Money(p.pot)),
            Figure::PoolOverspendProbability | Figure::PoolSpread => {
                self.of_pool(results.pooling.as_ref()?)
            }
        }
    }

    /// A risk pool's figure from its simulation alone; `None` for any other figure.
    pub fn of_pool(self, pooling: &PoolingResult) -> Option<Measure> {
        let figures = &pooling.pool.figures;
        match self {
            Figure::PoolOverspendProbability => {
                Some(Measure::Rate(figures.probability_over_threshold.value))
            }
            Figure::PoolSpread => Some(Measure::Money(figures.spread.amount)),
            _ => None,
        }
    }

    /// The figure per person, where it is an amount of money: the scenario's own budget
    /// per person for a year's budget; per person per year (the period's budget over its
    /// person-years) for the whole period; otherwise the amount over the people it
    /// concerns (the first year's people, or the risk pool's members).
    pub fn per_person(self, results: &Results) -> Option<Pence> {
        let first = results.totals.first()?;
        let over = |amount: Pence, heads: f64| scenario::per_person(amount, heads).ok().flatten();
        match self {
            Figure::FirstYearBudget => first.per_person,
            Figure::LastYearBudget => results.totals.last()?.per_person,
            Figure::PeriodBudget => {
                let person_years: f64 = results.totals.iter().map(|t| t.people).sum();
                over(period_budget(results).ok()?, person_years)
            }
            Figure::OutcomeAtRisk
            | Figure::OutcomeEarned
            | Figure::RiskShareVariance
            | Figure::RiskShareProvider
            | Figure::RiskShareCommissioner
            | Figure::PooledPot => match self.value(results)? {
                Measure::Money(amount) => over(amount, first.people),
                _ => None,
            },
            Figure::PoolSpread => {
                let pooling = results.pooling.as_ref()?;
                over(
                    pooling.pool.figures.spread.amount,
                    pooling.pool.people as f64,
                )
            }
            _ => None,
        }
    }
}

/// The parts a scenario is made of, as far as a headline figure depends on them. A
/// figure of one part is worked out from that part (and, for the budget, the places and
/// age bands) alone, so a sensitivity test can leave every other part out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Budget,
    OutcomeContract,
    RiskShare,
    PooledBudget,
    Pool,
}

fn period_budget(results: &Results) -> Result<Pence, MoneyError> {
    crate::money::sum(results.totals.iter().map(|t| t.budget))
}

/// A figure's value: money, a rate, a count of people, or the years covered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Money(Pence),
    /// A fraction: 0.05 is 5 %.
    Rate(f64),
    People(f64),
    Period {
        first: String,
        last: String,
        years: usize,
    },
}

impl Measure {
    /// For people: `£173,190`, `6.88 %`, `100,000`, `2025/26 to 2029/30 (5 years)`.
    pub fn display(&self) -> String {
        match self {
            Measure::Money(p) => p.display_pounds(),
            Measure::Rate(r) => percent(*r, 2),
            Measure::People(n) => people(*n),
            Measure::Period { first, last, years } => {
                if years == &1 {
                    format!("{first} (1 year)")
                } else {
                    format!("{first} to {last} ({years} years)")
                }
            }
        }
    }
}

/// How a scenario's figure differs from the baseline's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difference {
    Money {
        amount: Pence,
        /// This scenario's per-person figure − the baseline's.
        per_person: Option<Pence>,
    },
    /// Percentage points, as a fraction: 0.01 is one point.
    Points(f64),
    People(f64),
    Years(i64),
}

/// Whether a difference is up, down or none: said in words and a sign, not by colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
    Same,
}

/// Points closer than this (a billionth) are the same: rates are `f64`.
const SAME_RATE: f64 = 1e-9;

impl Difference {
    pub fn direction(&self) -> Direction {
        let sign = |x: f64| {
            if x > SAME_RATE {
                Direction::Higher
            } else if x < -SAME_RATE {
                Direction::Lower
            } else {
                Direction::Same
            }
        };
        match self {
            Difference::Money { amount, .. } => match amount.pence().signum() {
                1 => Direction::Higher,
                -1 => Direction::Lower,
                _ => Direction::Same,
            },
            Difference::Points(x) => sign(*x),
            Difference::People(x) => sign(x.round()),
            Difference::Years(y) => sign(*y as f64),
        }
    }

    /// With its sign spelt out: `+£1,234`, `−£14`, `+0.50 points`, `+1,203 people`, `no change`.
    pub fn display(&self) -> String {
        if self.direction() == Direction::Same {
            return "no change".into();
        }
        let signed = |text: String, positive: bool| {
            if positive {
                format!("+{text}")
            } else {
                text
            }
        };
        match self {
            Difference::Money { amount, .. } => signed(amount.display_pounds(), amount.pence() > 0),
            Difference::Points(x) => {
                let points = percent(*x, 2).replace(" %", "");
                signed(
                    format!(
                        "{points} percentage point{}",
                        if (x.abs() - 0.01).abs() < SAME_RATE {
                            ""
                        } else {
                            "s"
                        }
                    ),
                    *x > 0.0,
                )
            }
            Difference::People(x) => signed(format!("{} people", people(*x)), *x > 0.0),
            Difference::Years(y) => {
                let text = format!(
                    "{} year{}",
                    y.unsigned_abs(),
                    if y.abs() == 1 { "" } else { "s" }
                );
                if *y > 0 {
                    format!("+{text}")
                } else {
                    format!("\u{2212}{text}")
                }
            }
        }
    }

    /// The per-person difference with its sign, `+£14 per person`, where there is one.
    pub fn per_person_display(&self) -> Option<String> {
        match self {
            Difference::Money {
                per_person: Some(p),
                ..
            } => Some(if p.pence() > 0 {
                format!("+{} per person", p.display_pounds())
            } else {
                format!("{} per person", p.display_pounds())
            }),
            _ => None,
        }
    }
}

/// One scenario's figure in a row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub value: Option<Measure>,
    pub per_person: Option<Pence>,
    /// From the baseline (`None` in the baseline's own column, or where either lacks the figure).
    pub difference: Option<Difference>,
}

/// A headline figure across the scenarios.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    pub figure: Figure,
    pub label: String,
    /// One per scenario, in the comparison's order; the first is the baseline.
    pub cells: Vec<Cell>,
    /// Some scenario's figure (or per-person figure) is not the baseline's, or only
    /// some scenarios have the figure.
    pub differs: bool,
}

/// Two to four scenarios' headline figures, side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The scenarios' names as given, baseline first.
    pub scenarios: Vec<String>,
    /// Only figures at least one scenario has.
    pub rows: Vec<ComparisonRow>,
}

/// Why scenarios could not be compared.
#[derive(Clone, Debug, PartialEq)]
pub enum ComparisonError {
    /// Fewer than two, or more than four, scenarios.
    Count(usize),
    /// A difference too large to calculate with.
    Money(MoneyError),
}

impl fmt::Display for ComparisonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ComparisonError::Count(n) => write!(
                f,
                "compare from {MIN_SCENARIOS} to {MAX_SCENARIOS} scenarios ({n} given)"
            ),
            ComparisonError::Money(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ComparisonError {}

impl From<MoneyError> for ComparisonError {
    fn from(e: MoneyError) -> Self {
        ComparisonError::Money(e)
    }
}

fn difference(
    value: &Measure,
    per_person: Option<Pence>,
    base: &Measure,
    base_per_person: Option<Pence>,
) -> Result<Option<Difference>, MoneyError> {
    Ok(match (value, base) {
        (Measure::Money(a), Measure::Money(b)) => Some(Difference::Money {
            amount: a.checked_sub(*b)?,
            per_person: match (per_person, base_per_person) {
                (Some(a), Some(b)) => Some(a.checked_sub(b)?),
                _ => None,
            },
        }),
        (Measure::Rate(a), Measure::Rate(b)) => Some(Difference::Points(a - b)),
        (Measure::People(a), Measure::People(b)) => Some(Difference::People(a - b)),
        (Measure::Period { years: a, .. }, Measure::Period { years: b, .. }) => {
            Some(Difference::Years(*a as i64 - *b as i64))
        }
        _ => None,
    })
}

/// Compare two to four scenarios' results (name, results), the first being the baseline.
pub fn compare(entries: &[(&str, &Results)]) -> Result<Comparison, ComparisonError> {
    if !(MIN_SCENARIOS..=MAX_SCENARIOS).contains(&entries.len()) {
        return Err(ComparisonError::Count(entries.len()));
    }
    let mut rows = Vec::new();
    for &figure in Figure::COMPARED {
        let values: Vec<(Option<Measure>, Option<Pence>)> = entries
            .iter()
            .map(|(_, r)| (figure.value(r), figure.per_person(r)))
            .collect();
        if values.iter().all(|(v, _)| v.is_none()) {
            continue;
        }
        let (base, base_pp) = values[0].clone();
        let mut cells = Vec::with_capacity(values.len());
        let mut differs = false;
        for (i, (value, pp)) in values.into_iter().enumerate() {
            let diff = match (&value, &base) {
                (Some(v), Some(b)) if i > 0 => difference(v, pp, b, base_pp)?,
                _ => None,
            };
            if i > 0 && (value != base || pp != base_pp) {
                differs = true;
            }
            cells.push(Cell {
                value,
                per_person: pp,
                difference: diff,
            });
        }
        rows.push(ComparisonRow {
            figure,
            label: figure.label().to_string(),
            cells,
            differs,
        });
    }
    Ok(Comparison {
        scenarios: entries.iter().map(|(n, _)| n.to_string()).collect(),
        rows,
    })
}

/// The comparison as CSV for spreadsheets: one line per figure and scenario.
/// Columns: figure, scenario, value, unit, per_person_pence, difference, difference_per_person_pence.
/// Money is in pence, rates are fractions, a difference from the baseline is blank in
/// the baseline's own line.
pub fn comparison_csv(comparison: &Comparison) -> String {
    let mut out = scenario::csv_line(&[
        "figure",
        "scenario",
        "value",
        "unit",
        "per_person_pence",
        "difference",
        "difference_per_person_pence",
    ]);
    for row in &comparison.rows {
        for (name, cell) in comparison.scenarios.iter().zip(&row.cells) {
            let (value, unit) = match &cell.value {
                Some(Measure::Money(p)) => (p.pence().to_string(), "pence"),
                Some(Measure::Rate(r)) => (format!("{r}"), "fraction"),
                Some(Measure::People(n)) => (format!("{n:.3}"), "people"),
                Some(Measure::Period { years, .. }) => (years.to_string(), "years"),
                None => (String::new(), ""),
            };
            let (diff, diff_pp) = match &cell.difference {
                Some(Difference::Money { amount, per_person }) => (
                    amount.pence().to_string(),
                    per_person
                        .map(|p| p.pence().to_string())
                        .unwrap_or_default(),
                ),
                Some(Difference::Points(x)) => (format!("{x}"), String::new()),
                Some(Difference::People(x)) => (format!("{x:.3}"), String::new()),
                Some(Difference::Years(y)) => (y.to_string(), String::new()),
                None => (String::new(), String::new()),
            };
            let per_person = cell
                .per_person
                .map(|p| p.pence().to_string())
                .unwrap_or_default();
            out.push_str(&scenario::csv_line(&[
                row.figure.key(),
                name,
                &value,
                unit,
                &per_person,
                &diff,
                &diff_pp,
            ]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;

    fn results(name: &str) -> Results {
        examples::find(name)
            .unwrap()
            .scenario()
            .unwrap()
            .compute()
            .unwrap()
    }

    fn row(c: &Comparison, figure: Figure) -> &ComparisonRow {
        c.rows.iter().find(|r| r.figure == figure).unwrap()
    }

    fn money(m: &Option<Measure>) -> Pence {
        match m {
            Some(Measure::Money(p)) => *p,
            other => panic!("not money: {other:?}"),
        }
    }

    #[test]
    fn differences_are_each_scenarios_own_figures_subtracted() {
        let a = results("anytown");
        let b = results("isle-of-wight");
        let c = compare(&[("Anytown", &a), ("Isle of Wight", &b)]).unwrap();
        assert_eq!(c.scenarios, vec!["Anytown", "Isle of Wight"]);
        let first = row(&c, Figure::FirstYearBudget);
        let expected = b.totals[0].budget.pence() - a.totals[0].budget.pence();
        assert_eq!(
            first.cells[1].difference,
            Some(Difference::Money {
                amount: Pence(expected),
                per_person: Some(Pence(
                    b.totals[0].per_person.unwrap().pence()
                        - a.totals[0].per_person.unwrap().pence()
                )),
            })
        );
        assert_eq!(first.cells[0].difference, None, "the baseline has none");
        assert!(first.differs);
        let period = row(&c, Figure::PeriodBudget);
        let sum = |r: &Results| r.totals.iter().map(|t| t.budget.pence()).sum::<i64>();
        assert_eq!(money(&period.cells[0].value).pence(), sum(&a));
        match &period.cells[1].difference {
            Some(Difference::Money { amount, .. }) => assert_eq!(amount.pence(), sum(&b) - sum(&a)),
            other => panic!("{other:?}"),
        }
        // Anytown has an outcome contract and Isle of Wight does not; only IoW pools a budget.
        let earned = row(&c, Figure::OutcomeEarned);
        assert!(earned.cells[0].value.is_some() && earned.cells[1].value.is_none());
        assert!(earned.cells[1].difference.is_none() && earned.differs);
        let pot = row(&c, Figure::PooledPot);
        assert_eq!(
            money(&pot.cells[1].value),
            b.pooled_budget.as_ref().unwrap().pot
        );
        // Figures neither has are not rows at all.
        assert!(!c.rows.iter().any(|r| r.figure == Figure::PoolSpread));
    }

    #[test]
    fn a_scenario_compared_with_itself_differs_nowhere() {
        let a = results("healthier-together");
        let c = compare(&[("A", &a), ("Same", &a), ("Again", &a)]).unwrap();
        assert!(c.rows.iter().all(|r| !r.differs), "{c:?}");
        for r in &c.rows {
            for cell in &r.cells[1..] {
                assert_eq!(
                    cell.difference.as_ref().map(Difference::direction),
                    Some(Direction::Same)
                );
            }
        }
        assert!(c.rows.iter().any(|r| r.figure == Figure::PoolSpread));
    }

    #[test]
    fn per_person_over_the_period_is_budget_over_person_years() {
        let a = results("anytown");
        let total: i64 = a.totals.iter().map(|t| t.budget.pence()).sum();
        let heads: f64 = a.totals.iter().map(|t| t.people).sum();
        let expected = scenario::per_person(Pence(total), heads).unwrap().unwrap();
        assert_eq!(Figure::PeriodBudget.per_person(&a), Some(expected));
        // About £1,800 a head a year in Anytown: a sanity check on the units.
        assert!((150_000..250_000).contains(&expected.pence()));
    }

    #[test]
    fn two_to_four_scenarios() {
        let a = results("anytown");
        assert_eq!(compare(&[("A", &a)]), Err(ComparisonError::Count(1)));
        assert_eq!(
            compare(&[("A", &a), ("B", &a), ("C", &a), ("D", &a), ("E", &a)]),
            Err(ComparisonError::Count(5))
        );
        assert!(compare(&[("A", &a), ("B", &a), ("C", &a), ("D", &a)]).is_ok());
    }

    #[test]
    fn differences_read_with_their_sign() {
        let up = Difference::Money {
            amount: Pence(120_000_000),
            per_person: Some(Pence(1_400)),
        };
        assert_eq!(up.display(), "+£1,200,000");
        assert_eq!(up.per_person_display().as_deref(), Some("+£14 per person"));
        assert_eq!(up.direction(), Direction::Higher);
        let down = Difference::Money {
            amount: Pence(-500),
            per_person: None,
        };
        assert_eq!(down.display(), "\u{2212}£5");
        assert_eq!(down.direction(), Direction::Lower);
        assert_eq!(
            Difference::Points(0.005).display(),
            "+0.50 percentage points"
        );
        assert_eq!(Difference::Years(-2).display(), "\u{2212}2 years");
        assert_eq!(Difference::People(0.2).display(), "no change");
    }

    #[test]
    fn csv_has_a_line_per_figure_and_scenario() {
        let a = results("anytown");
        let b = results("cquin");
        let c = compare(&[("Anytown, 2025", &a), ("CQUIN", &b)]).unwrap();
        let csv = comparison_csv(&c);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 2 * c.rows.len());
        assert!(lines[1].starts_with("period,\"Anytown, 2025\",5,years"));
        let expected = b.totals[0].budget.pence() - a.totals[0].budget.pence();
        assert!(csv.contains(&format!(
            "first_year_budget,CQUIN,{},pence,",
            b.totals[0].budget.pence()
        )));
        assert!(csv.contains(&format!(",{expected},")), "{csv}");
    }

    #[test]
    fn csv_defuses_formulas_in_names_as_the_results_csv_does() {
        let a = results("anytown");
        let name = "=HYPERLINK(\"http://example.com\",\"Anytown\")";
        let c = compare(&[(name, &a), ("+cmd", &a), ("-2+3", &a), ("@SUM(A1)", &a)]).unwrap();
        let csv = comparison_csv(&c);
        assert!(csv.starts_with("figure,scenario,value,"), "{csv}");
        for line in csv.lines().skip(1) {
            let scenario = line.split(',').nth(1).unwrap();
            assert!(
                scenario.starts_with("\"'=") || scenario.starts_with('\''),
                "{line}"
            );
        }
        assert!(csv.contains(&format!(",{},", scenario::csv_cell(name))));
        // Negative numbers are numbers, not formulas.
        let b = results("cquin");
        let csv = comparison_csv(&compare(&[("CQUIN", &b), ("Anytown", &a)]).unwrap());
        assert!(csv.contains(",-"), "{csv}");
        assert!(!csv.contains(",'-"), "{csv}");
    }
}
