//! A valid scenario's results: every part of the engine the scenario uses, each handed
//! the part of the scenario it needs, with the headline figures and the check that every
//! split adds up. Nothing here validates: a [`ValidScenario`] has been checked, once, at
//! the door, so the only thing that can still go wrong is money too large to calculate
//! with, reported as a [`CalcError`] naming the field it came from (a place's budget: the
//! rate per weighted head, or the place's population if even a penny a head is too much).

use super::{financial_year, FairSharesPolicy, Scenario, ValidScenario};
use crate::budget::{self, BudgetPlan, PooledBudgetResult};
use crate::capitation;
use crate::fair_shares::{self, FairShares, FairSharesResult};
use crate::lead_commissioning::{self, LeadContractResult};
use crate::money::{self, MoneyError, Pence};
use crate::outcomes::OutcomePayment;
use crate::pooling::{self, PoolingResult};
use crate::population;
use crate::risk_share::RiskShareResult;
use crate::validation::Problem;
use crate::working::{people, percent, Working};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A valid scenario whose amounts are too large to calculate with: the field path to fix
/// (`budget.rate_per_weighted_head`), or of the part it happened in (`risk_share`), what
/// could not be calculated, if more than the part (`Anytown's budget`), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalcError {
    pub path: String,
    pub what: Option<String>,
    pub error: MoneyError,
}

impl CalcError {
    fn at(path: &str) -> impl Fn(MoneyError) -> CalcError + '_ {
        move |error| CalcError {
            path: path.to_string(),
            what: None,
            error,
        }
    }

    /// A place's budget too large to calculate: the rate per weighted head is the field to
    /// fix, unless even a penny a weighted head is too much, when the place's population is.
    fn place_budget(scenario: &Scenario, i: usize, error: MoneyError) -> CalcError {
        let place = &scenario.places[i];
        let penny = budget::CapitatedBudget {
            rate_per_weighted_head: Pence(1),
            ..scenario.budget.clone()
        };
        let rate_alone = budget::capitated_budget(
            &place.name,
            &scenario.age_bands,
            &place.population,
            &place.factors(),
            &penny,
        )
        .is_ok();
        CalcError {
            path: if rate_alone {
                "budget.rate_per_weighted_head".into()
            } else {
                format!("places[{i}].population")
            },
            what: Some(format!("{}'s budget", place.name)),
            error,
        }
    }

    /// Why, in words: "Anytown's budget cannot be calculated: …".
    fn reason(&self) -> String {
        match &self.what {
            Some(what) => format!("{what} cannot be calculated: {}", self.error),
            None => format!("cannot be calculated: {}", self.error),
        }
    }

    /// The error as a problem with its field, for a list of problems.
    pub fn problem(&self) -> Problem {
        Problem::new(self.path.clone(), "—", self.reason())
    }
}

impl fmt::Display for CalcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason())
    }
}

impl std::error::Error for CalcError {}

impl ValidScenario {
    /// Every figure the scenario asks for, with its working.
    pub fn compute(&self) -> Result<Results, CalcError> {
        let scenario = self.scenario();
        let years = scenario.horizon();
        let mut places = Vec::with_capacity(scenario.places.len());
        for (i, place) in scenario.places.iter().enumerate() {
            let plan = budget::capitated_budget(
                &place.name,
                &scenario.age_bands,
                &place.population,
                &place.factors(),
                &scenario.budget,
            )
            .map_err(|error| CalcError::place_budget(scenario, i, error))?;
            let now = capitation::current_people(&place.population);
            places.push(PlaceResult {
                name: place.name.clone(),
                people: population::headcount(&place.population),
                weighted_population: capitation::weighted_population_working(
                    &place.name,
                    &now,
                    &scenario.age_bands,
                    &place.factors(),
                ),
                budget: plan,
            });
        }
        let totals = yearly_totals(scenario, &places)?;

        let fair_shares = match &scenario.fair_shares {
            Some(policy) => Some(fair_shares_result(scenario, policy, &places)?),
            None => None,
        };
        let pooled_budget = match &scenario.pooled_budget {
            Some(pool) => {
                Some(budget::pooled_budget(pool).map_err(CalcError::at("pooled_budget"))?)
            }
            None => None,
        };
        let outcome_payment = match &scenario.outcome_contract {
            Some(contract) => Some(
                contract
                    .payment()
                    .map_err(CalcError::at("outcome_contract"))?,
            ),
            None => None,
        };
        let risk_share = match &scenario.risk_share {
            Some(agreement) => Some(agreement.compute().map_err(CalcError::at("risk_share"))?),
            None => None,
        };
        let lead_contract = match &scenario.lead_contract {
            Some(contract) => Some(
                lead_commissioning::apportion_contract(contract)
                    .map_err(CalcError::at("lead_contract"))?,
            ),
            None => None,
        };
        let pooling = match &scenario.pool {
            Some(pool) => Some(
                pooling::simulate_at_most(pool, pooling::FIRST_ESTIMATE_TRIALS)
                    .map_err(CalcError::at("pool"))?,
            ),
            None => None,
        };

        let year_labels = (0..years)
            .map(|t| financial_year(scenario.first_year, t))
            .collect();
        let mut results = Results {
            scenario: scenario.name.clone(),
            illustrative: scenario.illustrative,
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
        results.headlines = headlines(scenario, &results);
        Ok(results)
    }

    /// The pool's simulation with every trial asked for (`None` without a `pool`).
    /// [`ValidScenario::compute`] gives a first estimate from the same stream's first trials.
    pub fn simulate(&self) -> Option<Result<PoolingResult, CalcError>> {
        self.pool
            .as_ref()
            .map(|pool| pooling::simulate(pool).map_err(CalcError::at("pool")))
    }
}

fn fair_shares_result(
    scenario: &Scenario,
    policy: &FairSharesPolicy,
    places: &[PlaceResult],
) -> Result<FairSharesResult, CalcError> {
    let input = FairShares {
        years: scenario.horizon() as u32,
        envelope: policy.envelope.clone(),
        pace_of_change: policy.pace_of_change.clone(),
        places: scenario
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
    fair_shares::allocate(&input).map_err(CalcError::at("fair_shares"))
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

fn yearly_totals(scenario: &Scenario, places: &[PlaceResult]) -> Result<Vec<YearTotal>, CalcError> {
    let mut totals = Vec::with_capacity(scenario.horizon());
    for t in 0..scenario.horizon() {
        let label = financial_year(scenario.first_year, t);
        let budget = money::sum(
            places
                .iter()
                .filter_map(|p| p.budget.years.get(t))
                .map(|y| y.budget),
        )
        .map_err(CalcError::at("places"))?;
        let heads: f64 = places
            .iter()
            .filter_map(|p| p.budget.years.get(t))
            .map(|y| y.people)
            .sum();
        let per_person = per_person(budget, heads).map_err(CalcError::at("places"))?;
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
#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;
    use crate::money;

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
    fn an_amount_too_large_names_the_field_it_came_from() {
        // A rate of i64::MAX pence: the rate is what to fix, named beside its field.
        let mut scenario = examples::default_scenario();
        scenario.budget.rate_per_weighted_head = Pence(i64::MAX);
        let error = ValidScenario::new(scenario).unwrap().compute().unwrap_err();
        assert_eq!(error.path, "budget.rate_per_weighted_head", "{error}");
        assert_eq!(error.problem().path, "budget.rate_per_weighted_head");
        assert!(error.to_string().contains("Anytown"), "{error}");
        assert!(error.to_string().contains("too large"), "{error}");

        // People by the quintillion: even a penny a head overflows, so the population is.
        let mut scenario = examples::default_scenario();
        scenario.places[0].population[0].people = 1 << 62;
        scenario.places[0].population[0].growth = 0.0;
        if let Ok(valid) = ValidScenario::new(scenario) {
            let error = valid.compute().unwrap_err();
            assert_eq!(error.path, "places[0].population", "{error}");
        }
    }

    #[test]
    fn an_invalid_scenario_never_reaches_compute_and_nothing_panics() {
        // Only a valid scenario computes: the door refuses this one, with its path.
        let mut scenario = examples::default_scenario();
        scenario.places[0].population.clear();
        match ValidScenario::new(scenario) {
            Err(problems) => assert_eq!(problems[0].path, "places[0].population"),
            other => panic!("expected problems, got {other:?}"),
        }
    }
}
