//! Fuzz the scenario decoder: any bytes, read as (lossy) UTF-8, must come back as either a
//! scenario or a list of problems, never a panic. A scenario that decodes is computed, its
//! results turned into CSV, and the cheap conservation invariants checked: every split sums
//! to its whole, to the penny. Any panic or failed assertion is a crash libFuzzer keeps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onebudget_engine::money::Pence;
use onebudget_engine::scenario::{self, Results, ScenarioError};
use onebudget_engine::validation::Problem;

fuzz_target!(|data: &[u8]| {
    // Valid UTF-8 passes through unchanged; anything else is read as the app would.
    let text = String::from_utf8_lossy(data);
    match scenario::decode(&text) {
        Err(problems) => check_problems(&problems),
        Ok(s) => match s.compute() {
            Ok(results) => {
                check_results(&results);
                let csv = scenario::results_csv(&results);
                assert!(csv.starts_with("table,item,year,measure,value,unit\n"));
            }
            Err(ScenarioError::Money { part, error }) => {
                assert!(!part.trim().is_empty() && !error.trim().is_empty());
            }
            Err(ScenarioError::Invalid(problems)) => {
                check_problems(&problems);
                // A scenario that decodes must compute.
                panic!("decoded as valid but compute found problems: {problems:?}");
            }
        },
    }
});

fn check_problems(problems: &[Problem]) {
    assert!(!problems.is_empty(), "refused with no problems");
    for p in problems {
        assert!(!p.path.trim().is_empty(), "a problem with no path: {p:?}");
        assert!(
            !p.message.trim().is_empty(),
            "a problem with no message: {p:?}"
        );
    }
}

fn sum(amounts: impl IntoIterator<Item = Pence>) -> i128 {
    amounts.into_iter().map(|p| p.pence() as i128).sum()
}

fn pence(p: Pence) -> i128 {
    p.pence() as i128
}

fn check_results(r: &Results) {
    for (t, total) in r.totals.iter().enumerate() {
        let places = sum(r
            .places
            .iter()
            .filter_map(|p| p.budget.years.get(t).map(|y| y.budget)));
        assert_eq!(
            places,
            pence(total.budget),
            "places sum to {}'s total",
            total.year
        );
    }
    for place in &r.places {
        let mut previous: Option<Pence> = None;
        for y in &place.budget.years {
            assert_eq!(
                sum(y.service_lines.iter().map(|l| l.amount)),
                pence(y.budget),
                "{} year {}: service lines sum to the budget",
                place.name,
                y.year
            );
            if let (Some(prev), Some(change)) = (previous, &y.change) {
                assert_eq!(
                    sum([change.demographic, change.uplift, change.efficiency]),
                    pence(y.budget) - pence(prev),
                    "{} year {}: the change's parts telescope",
                    place.name,
                    y.year
                );
            }
            previous = Some(y.budget);
        }
        assert_eq!(
            sum(place.budget.years.iter().map(|y| y.budget)),
            pence(place.budget.total),
            "{}: years sum to the total",
            place.name
        );
    }
    if let Some(fs) = &r.fair_shares {
        for y in &fs.years {
            assert_eq!(sum(y.places.iter().map(|p| p.target)), pence(y.envelope));
            assert_eq!(
                sum(y.places.iter().map(|p| p.allocation)),
                pence(y.envelope)
            );
        }
    }
    if let Some(pool) = &r.pooled_budget {
        assert_eq!(
            sum(pool.contributions.iter().map(|c| c.amount)),
            pence(pool.pot)
        );
        assert_eq!(sum(pool.spending.iter().map(|l| l.amount)), pence(pool.pot));
        for line in &pool.spending {
            assert_eq!(
                sum(line.funded_by.iter().map(|f| f.amount)),
                pence(line.amount)
            );
        }
    }
    if let Some(pay) = &r.outcome_payment {
        assert_eq!(
            sum(pay.metrics.iter().map(|m| m.available)),
            pence(pay.at_risk)
        );
        for m in &pay.metrics {
            assert_eq!(sum([m.earned, m.forgone]), pence(m.available), "{}", m.name);
        }
        assert_eq!(
            sum([pay.total_earned, pay.total_forgone]),
            pence(pay.at_risk)
        );
        if let Some(bonus) = &pay.bonus {
            assert_eq!(
                sum(bonus.members.iter().map(|m| m.share)),
                pence(bonus.amount)
            );
        }
    }
    if let Some(risk) = &r.risk_share {
        for b in &risk.bands {
            assert_eq!(
                sum([b.provider_part, b.commissioner_part]),
                pence(b.variance_part)
            );
        }
        assert_eq!(
            sum(risk.bands.iter().map(|b| b.variance_part)),
            pence(risk.variance)
        );
        assert_eq!(
            sum([risk.provider_total, risk.commissioner_total]),
            pence(risk.variance)
        );
    }
    if let Some(lead) = &r.lead_contract {
        assert_eq!(sum(lead.shares.iter().map(|s| s.share)), pence(lead.value));
    }
}
