//! The steps of a presentation, one idea each, in the order a board hears them. The
//! board pack prints the same steps, one to a page, so both stay in step.
//!
//! To add a step, add one entry to [`STEPS`]: its link id, its title, when it applies
//! and what it shows. Steps that do not apply to the scenario are left out.

use crate::format::share;
use crate::ui::charts::{
    BudgetOverYears, ChartWidth, FairSharesChart, OutcomeByMetric, PooledBudgetChart,
    RiskByPopulationChart, RiskShareCorridor, ServiceLineSplit, StageWidth,
};
use crate::ui::views::compare::ComparisonFromStore;
use onebudget_engine::pooling::{Pool, PoolingResult};
use onebudget_engine::scenario::{Results, ValidScenario};
use onebudget_engine::summary::{self, Summary};
use onebudget_engine::working::people;
use std::rc::Rc;
use yew::prelude::*;

/// What every step is drawn from.
#[derive(Clone, Debug, PartialEq)]
pub struct StepData {
    pub scenario: Rc<ValidScenario>,
    pub results: Rc<Results>,
    pub summary: Rc<Summary>,
}

impl StepData {
    pub fn new(scenario: Rc<ValidScenario>, results: Rc<Results>) -> Self {
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

/// The pool's first-estimate simulation on one screen: the smallest member's bad year in
/// words, risk against population size (the Summary's chart, every member and the pool
/// marked), and each member's chance of a large overspend alone and in the pool.
fn show_pooling(d: &StepData) -> Html {
    match (&d.scenario.pool, &d.results.pooling) {
        (Some(pool), Some(result)) => html! {
            <PoolingStep pool={Rc::new(pool.clone())} result={Rc::new(result.clone())} />
        },
        _ => html! {},
    }
}

#[derive(Properties, PartialEq)]
struct PoolingStepProps {
    pool: Rc<Pool>,
    result: Rc<PoolingResult>,
}

/// Where the stage is wide enough, the chart and the table sit side by side, so the
/// step fits a 16:9 projector without scrolling (CSS `.step-pooling-wide`: the chart's
/// column is 3/5 of the stage's content box, which is 95 % of the stage).
const SIDE_BY_SIDE_FROM: f64 = 960.0;
const CHART_COLUMN: f64 = 0.6 * 0.95;
/// The chart is laid out this much narrower than its column and scaled up to fill it,
/// so its labels grow with the projector.
const CHART_ENLARGEMENT: f64 = 1.3;

#[component]
fn PoolingStep(props: &PoolingStepProps) -> Html {
    let width = use_context::<ChartWidth>().map_or(640.0, |w| w.0);
    let stage = use_context::<StageWidth>();
    let side_by_side = stage.is_some_and(|s| s.0 >= SIDE_BY_SIDE_FROM);
    let result = &props.result;
    // The smallest member: pooling matters most to it (as on the Summary).
    let Some((index, smallest)) = result
        .members
        .iter()
        .enumerate()
        .min_by_key(|(_, m)| m.population)
    else {
        return html! {};
    };
    let threshold = share(result.overspend_threshold);
    let chart_width = match stage {
        Some(StageWidth(stage)) if side_by_side => {
            ((stage * CHART_COLUMN - 24.0) / CHART_ENLARGEMENT).round()
        }
        _ => width,
    };
    html! {
        <div class={classes!("step-pooling", side_by_side.then_some("step-pooling-wide"))}>
            <p class="step-sentence step-pooling-sentence">
                { format!("In 1 year in 20, {} would overspend by more than {} on its own; in the pool, by more than {}.",
                    smallest.name, smallest.standalone.percentile_95.amount.display_pounds(),
                    smallest.pooled.percentile_95.amount.display_pounds()) }
            </p>
            <div class="step-pooling-chart">
                <ContextProvider<ChartWidth> context={ChartWidth(chart_width)}>
                    <RiskByPopulationChart pool={props.pool.clone()} result={result.clone()} member={index} />
                </ContextProvider<ChartWidth>>
            </div>
            <div class="step-table step-pooling-table">
                <div class="table-scroll" role="region" tabindex="0" aria-label="Pooling risk: each member's chance">
                    <table class="data-table">
                        <caption><span class="data-table-caption">
                            { format!("Chance of overspending by more than {threshold} in a year") }
                        </span></caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "Member" }</th>
                                <th scope="col" class="num">{ "On its own" }</th>
                                <th scope="col" class="num">{ "In the pool" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for result.members.iter().map(|m| html! {
                                <tr>
                                    <th scope="row">{ &m.name }</th>
                                    <td class="num">{ share(m.standalone.probability_over_threshold.value) }</td>
                                    <td class="num">{ share(m.pooled.probability_over_threshold.value) }</td>
                                </tr>
                            }) }
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row">{ "The whole pool" }</th>
                                <td class="num"></td>
                                <td class="num">{ share(result.pool.figures.probability_over_threshold.value) }</td>
                            </tr>
                        </tfoot>
                    </table>
                </div>
            </div>
        </div>
    }
}
