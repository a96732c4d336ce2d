//! The steps of a presentation, one idea each, in the order a board hears them. The
//! board pack prints the same steps, one to a page, so both stay in step.
//!
//! To add a step, add one entry to [`STEPS`]: its link id, its title, when it applies
//! and what it shows. Steps that do not apply to the scenario are left out.

use crate::ui::charts::format::share;
use crate::ui::charts::{
    BudgetOverYears, FairSharesChart, OutcomeByMetric, PooledBudgetChart, RiskShareCorridor,
    ServiceLineSplit,
};
use crate::ui::views::compare::ComparisonFromStore;
use onebudget_engine::scenario::{Results, Scenario};
use onebudget_engine::summary::{self, Summary};
use onebudget_engine::working::people;
use std::rc::Rc;
use yew::prelude::*;

/// What every step is drawn from.
#[derive(Clone, Debug, PartialEq)]
pub struct StepData {
    pub scenario: Rc<Scenario>,
    pub results: Rc<Results>,
    pub summary: Rc<Summary>,
}

impl StepData {
    pub fn new(scenario: Rc<Scenario>, results: Rc<Results>) -> Self {
        let summary = Rc::new(summary::summarise(&scenario, &results));
        StepData {
            scenario,
            results,
            summary,
        }
    }

    /// The steps that apply to this scenario, in order.
    pub fn steps(&self) -> Vec<&'static Step> {
        STEPS.iter().filter(|s| (s.applies)(self)).collect()
    }
}

/// One screen of a presentation (one page of the board pack).
pub struct Step {
    /// In links (`?present=fair-shares`): stable, lower case, hyphenated.
    pub id: &'static str,
    pub title: &'static str,
    pub applies: fn(&StepData) -> bool,
    pub show: fn(&StepData) -> Html,
}

pub const STEPS: &[Step] = &[
    Step {
        id: "summary",
        title: "In brief",
        applies: always,
        show: show_summary,
    },
    Step {
        id: "budget",
        title: "The budget over the years",
        applies: always,
        show: |d| html! { <BudgetOverYears results={d.results.clone()} /> },
    },
    Step {
        id: "service-lines",
        title: "Where the money goes",
        applies: has_service_lines,
        show: |d| html! { <ServiceLineSplit results={d.results.clone()} /> },
    },
    Step {
        id: "fair-shares",
        title: "Fair shares",
        applies: |d| d.results.fair_shares.is_some(),
        show: |d| html! { <FairSharesChart results={d.results.clone()} /> },
    },
    Step {
        id: "pooled-budget",
        title: "The pooled budget",
        applies: |d| d.results.pooled_budget.is_some(),
        show: |d| html! { <PooledBudgetChart results={d.results.clone()} /> },
    },
    Step {
        id: "outcomes",
        title: "Paying for outcomes",
        applies: |d| d.results.outcome_payment.is_some(),
        show: |d| html! { <OutcomeByMetric results={d.results.clone()} /> },
    },
    Step {
        id: "risk-share",
        title: "Sharing an overspend or underspend",
        applies: |d| d.scenario.risk_share.is_some(),
        show: |d| html! { <RiskShareCorridor scenario={d.scenario.clone()} /> },
    },
    Step {
        id: "risk-pooling",
        title: "Pooling risk",
        applies: |d| d.results.pooling.is_some(),
        show: show_pooling,
    },
    Step {
        id: "comparison",
        title: "Comparing the options",
        applies: always,
        show: |_| html! { <ComparisonFromStore /> },
    },
];

fn always(_: &StepData) -> bool {
    true
}

fn has_service_lines(d: &StepData) -> bool {
    !d.scenario.budget.service_lines.is_empty()
}

/// The headline: the first year's budget, per person, and the summary's one sentence.
fn show_summary(d: &StepData) -> Html {
    let first = d.results.totals.first();
    let places = d.results.places.len();
    html! {
        <div class="step-summary">
            if let Some(t) = first {
                <p class="step-figure-label">{ format!("Budget for {}", t.year) }</p>
                <p class="step-figure">{ t.budget.display_pounds() }</p>
                <p class="step-figure-sub">
                    { t.per_person.map(|p| format!("{} per person per year, for {} people{}", p.display_pounds(), people(t.people),
                        if places > 1 { format!(" in {places} places") } else { String::new() })).unwrap_or_default() }
                </p>
            }
            <p class="step-sentence">{ &d.summary.headline }</p>
            if d.scenario.illustrative {
                <p class="tag">{ "Illustrative figures" }</p>
            }
        </div>
    }
}

/// The pool's simulation as a plain table: each member alone and in the pool.
fn show_pooling(d: &StepData) -> Html {
    let Some(p) = &d.results.pooling else {
        return html! {};
    };
    let threshold = share(p.overspend_threshold);
    html! {
        <div class="step-table">
            <p class="step-sentence">
                { format!("The chance that a budget overspends by more than {threshold}, alone and in the pool, from {} simulated years.", people(f64::from(p.trials))) }
            </p>
            <div class="table-scroll" role="region" tabindex="0" aria-label="Pooling risk: table">
                <table class="data-table">
                    <caption><span class="data-table-caption">{ format!("Overspending by more than {threshold}, and the 5th to 95th percentile spread") }</span></caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Member" }</th>
                            <th scope="col" class="num">{ "Chance alone" }</th>
                            <th scope="col" class="num">{ "Chance in the pool" }</th>
                            <th scope="col" class="num">{ "Spread alone" }</th>
                            <th scope="col" class="num">{ "Spread in the pool" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for p.members.iter().map(|m| html! {
                            <tr>
                                <th scope="row">{ &m.name }</th>
                                <td class="num">{ share(m.standalone.probability_over_threshold.value) }</td>
                                <td class="num">{ share(m.pooled.probability_over_threshold.value) }</td>
                                <td class="num">{ m.standalone.spread.amount.display_pounds() }</td>
                                <td class="num">{ m.pooled.spread.amount.display_pounds() }</td>
                            </tr>
                        }) }
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">{ "The whole pool" }</th>
                            <td class="num"></td>
                            <td class="num">{ share(p.pool.figures.probability_over_threshold.value) }</td>
                            <td class="num"></td>
                            <td class="num">{ p.pool.figures.spread.amount.display_pounds() }</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        </div>
    }
}
