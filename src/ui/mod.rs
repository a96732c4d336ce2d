//! The Yew app: a thin shell that keeps a scenario, asks the engine for results
//! and shows them. No calculation happens here.

use onebudget_engine::capitation::{self, PlaceFactors};
use onebudget_engine::money::Pence;
use onebudget_engine::population::{AgeBand, BandPopulation};
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

/// The built-in default place: an illustrative town of about 100 000 people with
/// England's age mix and DOMAIN.md's illustrative cost weights.
fn default_bands() -> (Vec<AgeBand>, Vec<BandPopulation>) {
    let rows = [
        ("0–4", 1.0, 6_000),
        ("5–14", 0.45, 11_000),
        ("15–44", 0.65, 40_000),
        ("45–64", 0.95, 26_000),
        ("65–74", 1.9, 9_000),
        ("75–84", 3.0, 6_000),
        ("85+", 4.6, 2_000),
    ];
    let bands = rows
        .iter()
        .map(|(label, w, _)| AgeBand {
            label: (*label).to_string(),
            cost_weight: *w,
        })
        .collect();
    let pop = rows
        .iter()
        .map(|(_, _, n)| BandPopulation::new(*n, 0.0))
        .collect();
    (bands, pop)
}

#[component]
pub fn App() -> Html {
    // £1,732 per weighted head: 2024/25 ICB core services per patient (DOMAIN.md), illustrative.
    let rate_pounds = use_state(|| 1_732_i64);
    let (bands, population) = default_bands();
    let people_now = capitation::current_people(&population);
    let weighted = capitation::weighted_population(&people_now, &bands, &PlaceFactors::default());
    let headcount: f64 = people_now.iter().sum();
    let budget = Pence::from_pounds(*rate_pounds)
        .and_then(|rate| capitation::capitated_amount(rate, weighted));
    let per_person = budget
        .clone()
        .and_then(|b| b.mul_ratio(1, headcount.round() as i64));

    let on_rate = {
        let rate_pounds = rate_pounds.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().trim().parse::<i64>() {
                if (0..=100_000).contains(&v) {
                    rate_pounds.set(v);
                }
            }
        })
    };

    html! {
        <main class="page">
            <h1>{ "OneBudget" }</h1>
            <p class="lede">{ "One budget for a whole population's care. Illustrative figures." }</p>
            <section class="headline" aria-labelledby="budget-heading">
                <h2 id="budget-heading">{ "Anytown's capitated budget, first year" }</h2>
                <p class="figure" data-testid="budget">
                    { budget.map(|b| b.display_pounds()).unwrap_or_else(|e| e.to_string()) }
                </p>
                <p data-testid="per-person">
                    { per_person.map(|p| format!("{} per person per year", p.display_pounds())).unwrap_or_default() }
                </p>
                <p>{ format!("{} people, {} weighted by age", people(headcount), people(weighted)) }</p>
            </section>
            <form class="inputs" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label for="rate">{ "Budget per weighted head (£ a year)" }</label>
                <input id="rate" name="rate" type="number" inputmode="numeric" min="0" max="100000"
                    value={rate_pounds.to_string()} oninput={on_rate} />
            </form>
        </main>
    }
}
