//! The Yew app: a thin shell that keeps a scenario, asks the engine for results
//! and shows them. No calculation happens here.

use onebudget_engine::examples;
use onebudget_engine::money::Pence;
use onebudget_engine::scenario::{Results, Scenario};
use onebudget_engine::working::people;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Mount the app on `#app` (or the body if the page has no such element).
pub fn start() {
    let document = web_sys::window().and_then(|w| w.document());
    let root = document.as_ref().and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

#[component]
pub fn App() -> Html {
    let scenario = use_state(examples::default_scenario);
    // The last scenario that computed: shown while the input is being fixed.
    let results = use_memo((*scenario).clone(), |s: &Scenario| s.compute());
    let shown: Option<&Results> = results.as_ref().as_ref().ok();

    let on_rate = {
        let scenario = scenario.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(pounds) = input.value().trim().parse::<i64>() {
                if let Ok(rate) = Pence::from_pounds(pounds) {
                    let mut next = (*scenario).clone();
                    next.budget.rate_per_weighted_head = rate;
                    scenario.set(next);
                }
            }
        })
    };

    let rate_pounds = scenario.budget.rate_per_weighted_head.pence() / 100;
    let first = shown.and_then(|r| r.totals.first());
    let place = shown.and_then(|r| r.places.first());
    html! {
        <main class="page">
            <h1>{ "OneBudget" }</h1>
            <p class="lede">{ &scenario.name }{ if scenario.illustrative { " (illustrative figures)" } else { "" } }</p>
            <section class="headline" aria-labelledby="budget-heading">
                <h2 id="budget-heading">
                    { first.map(|t| format!("Capitated budget, {}", t.year)).unwrap_or_default() }
                </h2>
                <p class="figure" data-testid="budget">
                    { first.map(|t| t.budget.display_pounds()).unwrap_or_default() }
                </p>
                <p data-testid="per-person">
                    { first.and_then(|t| t.per_person).map(|p| format!("{} per person per year", p.display_pounds())).unwrap_or_default() }
                </p>
                <p>{ place.map(|p| format!("{} people in {}, {} weighted by age and need", people(p.people as f64), p.name, p.weighted_population.value)).unwrap_or_default() }</p>
            </section>
            if let Err(e) = results.as_ref() {
                <p class="error" role="alert">{ e.to_string() }</p>
            }
            <form class="inputs" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label for="rate">{ "Budget per weighted head (£ a year)" }</label>
                <input id="rate" name="rate" type="number" inputmode="numeric" min="0" max="100000"
                    value={rate_pounds.to_string()} oninput={on_rate} />
            </form>
        </main>
    }
}
