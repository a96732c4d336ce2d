//! The money rules seen through whole scenarios: each figure is the one the documents
//! (docs/SCENARIO.md, the module headers) give.

use onebudget_engine::examples;
use onebudget_engine::money::{self, Pence};
use onebudget_engine::scenario::ValidScenario;

/// One budget-per-person rule. A place's budget per person and the scenario's
/// `totals[].per_person` are both budget ÷ people exactly as projected, rounded once, so
/// for one place they are the same figure, however small the place.
#[test]
fn a_place_and_the_totals_give_one_budget_per_person() {
    for example in examples::ALL {
        let mut scenario = example.scenario().unwrap().into_scenario();
        for size in [None, Some(7), Some(13)] {
            if let Some(people) = size {
                // A tiny place: the old rules (millionths against thousandths) differed here.
                for band in scenario.places.iter_mut().flat_map(|p| &mut p.population) {
                    band.people = people;
                    band.female = None;
                    band.male = None;
                }
            }
            // A part of the scenario that needs more people (a pool) may refuse.
            let Ok(valid) = ValidScenario::new(scenario.clone()) else {
                continue;
            };
            let Ok(results) = valid.compute() else {
                continue;
            };
            for (t, total) in results.totals.iter().enumerate() {
                let heads: f64 = results
                    .places
                    .iter()
                    .map(|p| p.budget.years[t].people)
                    .sum();
                assert_eq!(
                    total.per_person,
                    money::per_head(total.budget, heads).unwrap(),
                    "{} year {t}",
                    example.name
                );
                if let [only] = results.places.as_slice() {
                    assert_eq!(
                        total.per_person, only.budget.years[t].budget_per_person,
                        "{} year {t}",
                        example.name
                    );
                }
            }
        }
    }
}

/// By hand: seven people of weight 1 cost seven times the rate, which is then
/// exactly the budget per person, for the place and in the totals.
#[test]
fn budget_per_person_divides_by_the_projected_people() {
    let valid = examples::find("anytown").unwrap().scenario().unwrap();
    let results = valid.compute().unwrap();
    let year = &results.places[0].budget.years[2];
    assert_eq!(
        year.budget_per_person,
        money::per_head(year.budget, year.people).unwrap()
    );
    // Back out of the door to change it, and in again to calculate.
    let mut scenario = valid.into_scenario();
    scenario.places[0].population.truncate(1);
    scenario.age_bands.truncate(1);
    scenario.age_bands[0].cost_weight = 1.0;
    scenario.places[0].population[0].people = 7;
    scenario.places[0].population[0].growth = 0.0;
    scenario.places[0].need_index = 1.0;
    scenario.places[0].market_forces_factor = 1.0;
    let results = ValidScenario::new(scenario.clone())
        .unwrap()
        .compute()
        .unwrap();
    let first = &results.places[0].budget.years[0];
    assert_eq!(
        first.budget,
        Pence(7 * scenario.budget.rate_per_weighted_head.pence())
    );
    assert_eq!(
        first.budget_per_person,
        Some(scenario.budget.rate_per_weighted_head)
    );
    assert_eq!(results.totals[0].per_person, first.budget_per_person);
}
