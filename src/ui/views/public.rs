//! The public view: what a member of the public sees first. Plain-language figures,
//! per person and per year, each with how it was worked out; charts with tables.

use crate::ui::charts::Charts;
use crate::ui::charts::{use_opened_once, FairSharesChart, PooledBudgetChart};
use crate::ui::components::WorkingDetails;
use crate::ui::lazy::{Lazy, Part};
use crate::ui::state::{use_store, Action, View};
use crate::ui::views::file_tools::CopyLink;
use onebudget_engine::summary;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PublicViewProps {
    /// Shown in a council's page (`ui::embed`): the inputs it exposes, and no sharing.
    #[prop_or_default]
    pub embedded: bool,
    /// In a council's page, the inputs it exposes (`ui::embed` gives them), under the
    /// headline figure.
    #[prop_or_default]
    pub inputs: Html,
}

#[component]
pub fn PublicView(props: &PublicViewProps) -> Html {
    let store = use_store();
    let embedded = props.embedded;
    let find_area = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Show(View::Area)))
    };
    let scenario = store.draft.scenario().clone();
    let results = store.draft.results().clone();
    let first = results.totals.first();
    // Plain-language sentences, made by the engine from the same results.
    let brief = use_memo((scenario.clone(), results.clone()), |(s, r)| {
        summary::summarise(s, r)
    });
    html! {
        <>
            <h1 data-testid="scenario-name">{ &scenario.name }</h1>
            if scenario.illustrative {
                <p class="tag">{ "Illustrative figures" }</p>
            }
            if !scenario.description.is_empty() {
                <p class="lede">{ &scenario.description }</p>
            }
            <section class="headline" aria-labelledby="budget-heading">
                <h2 id="budget-heading">
                    { first.map(|t| format!("Budget for {}", t.year)).unwrap_or_default() }
                </h2>
                <p class="figure" data-testid="budget">
                    { first.map(|t| t.budget.display_pounds()).unwrap_or_default() }
                </p>
                <p class="figure-sub" data-testid="per-person">
                    { first.and_then(|t| t.per_person).map(|p| format!("{} per person per year", p.display_pounds())).unwrap_or_default() }
                </p>
            </section>
            if embedded {
                { props.inputs.clone() }
            } else {
                <p class="find-area">
                    <button type="button" class="button-secondary" onclick={find_area} data-testid="find-area">{ "Find your area" }</button>
                    { " Real NHS figures for where you live." }
                </p>
            }
            <section aria-labelledby="brief-heading" data-testid="summary">
                <h2 id="brief-heading">{ "In brief" }</h2>
                <p class="lede">{ &brief.headline }</p>
                <ul class="summary-points">
                    { for brief.points.iter().map(|point| html! {
                        <li data-point={point.id.clone()}>
                            { &point.text }
                            if let Some(w) = &point.working {
                                <WorkingDetails working={w.clone()} />
                            }
                        </li>
                    }) }
                </ul>
            </section>
            <section aria-labelledby="figures-heading">
                <h2 id="figures-heading">{ "The figures, explained" }</h2>
                <ul class="cards">
                    { for results.headlines.iter().map(|w| html! {
                        <li class="card">
                            <p class="card-label">{ &w.figure }</p>
                            <p class="card-value">{ &w.value }</p>
                            <WorkingDetails working={w.clone()} />
                        </li>
                    }) }
                </ul>
            </section>
            <section aria-labelledby="charts-heading">
                <h2 id="charts-heading">{ "Charts" }</h2>
                <Charts scenario={scenario.clone()} results={results.clone()}
                    fair_shares={html! { <Lazy part={Part::FairSharesChart} /> }}
                    pooled_budget={html! { <Lazy part={Part::PooledBudgetChart} /> }} />
            </section>
            if results.pooling.is_some() {
                <Lazy part={Part::Pooling} />
            }
            if !embedded {
                <section aria-labelledby="share-heading" class="group">
                    <h2 id="share-heading">{ "Share this scenario" }</h2>
                    <p>{ "The link holds the whole scenario. Whoever opens it sees exactly these figures; nothing is sent to any server." }</p>
                    <CopyLink />
                </section>
                <EmbedPanelOpener />
            }
        </>
    }
}

/// The fair shares chart of the scenario in the store (a part: `Part::FairSharesChart`).
#[component]
pub fn FairSharesOfScenario() -> Html {
    let results = use_store().draft.results().clone();
    html! { <FairSharesChart {results} /> }
}

/// The pooled budget chart of the scenario in the store (a part: `Part::PooledBudgetChart`).
#[component]
pub fn PooledBudgetOfScenario() -> Html {
    let results = use_store().draft.results().clone();
    html! { <PooledBudgetChart {results} /> }
}

/// "Embed this on your website", closed: opening it loads its body (`embed::EmbedPanel`,
/// a part: `Part::EmbedPanel`).
#[component]
fn EmbedPanelOpener() -> Html {
    let (opened, ontoggle) = use_opened_once();
    html! {
        <details class="group embed-panel" id="embed-panel" data-testid="embed-panel" {ontoggle}>
            <summary><h2 class="embed-panel-heading">{ "Embed this on your website" }</h2></summary>
            if opened {
                <Lazy part={Part::EmbedPanel} />
            }
        </details>
    }
}
