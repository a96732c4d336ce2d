//! "There is a problem": every problem with the draft, each a link to its field
//! (the GOV.UK error summary pattern).

use crate::draft::pointer_of;
use crate::ui::components::{field_id, problem_message};
use crate::ui::state::use_store;
use onebudget_engine::inputs;
use serde_json::Value;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How many problems the summary lists; the rest are counted.
const LISTED: usize = 50;

/// A part of the scenario that is not one input (a section or a list), in words.
fn part_words(key: &str) -> String {
    let words = match key {
        "age_bands" => "age bands",
        "population" => "population",
        "budget" => "budget",
        "service_lines" => "service lines",
        "fair_shares" => "fair shares",
        "pace_of_change" => "pace of change",
        "pooled_budget" => "pooled budget",
        "contributions" => "contributions",
        "spending" => "spending lines",
        "outcome_contract" => "outcome contract",
        "metrics" => "metrics",
        "tiers" => "tiers",
        "bonus_pool" => "bonus pool",
        "members" => "members",
        "risk_share" => "risk share",
        "loss_corridors" => "loss corridors",
        "gain_corridors" => "gain corridors",
        "lead_contract" => "lead contract",
        "commissioners" => "commissioners",
        "pool" => "risk pool",
        other => return other.replace('_', " "),
    };
    words.to_string()
}

/// A problem's field path in words: an input by its label, with what it belongs to
/// (`places[0].population[1].growth` → "Annual growth (Anytown, ages 5–14)"); a list or
/// section by what it belongs to and its name ("Anytown, population").
pub fn path_in_words(root: &Value, path: &str) -> String {
    if path.starts_with('(') {
        return "The scenario".into();
    }
    if inputs::find(path).is_some() {
        return inputs::label_in(path, root);
    }
    let mut parts = inputs::context(path, root);
    let last = path.rsplit('.').next().unwrap_or(path);
    if !last.ends_with(']') {
        parts.push(part_words(last));
    }
    crate::ui::letter_case::capitalised(&parts.join(", "))
}

/// Focus the field for `id`, or the nearest thing around it that is on the page
/// (a problem with a whole list links to the list's heading).
fn focus_nearest(id: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let mut id = id.to_string();
    loop {
        if let Some(element) = document
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
            return;
        }
        match id.rfind('-') {
            Some(i) if i > "field".len() => id.truncate(i),
            _ => return,
        }
    }
}

#[component]
pub fn ErrorSummary() -> Html {
    let store = use_store();
    let problems = store.draft.problems();
    if problems.is_empty() {
        return html! {};
    }
    let root = store.draft.value();
    let count = problems.len();
    html! {
        <div class="error-summary" data-testid="error-summary">
            <h2 id="error-summary-title">{ "There is a problem" }</h2>
            <p>
                { format!("{count} input{} need{} fixing:",
                    if count == 1 { "" } else { "s" }, if count == 1 { "s" } else { "" }) }
            </p>
            <ul class="error-summary-list">
                { for problems.iter().take(LISTED).map(|p| {
                    // Text typed where a number goes says so; a range in the person's units.
                    let number = inputs::find(&p.path).is_some_and(|i| i.unit.is_number());
                    let message = match root.pointer(&pointer_of(&p.path)) {
                        Some(Value::String(s)) if number => format!("“{s}” is not a number"),
                        _ => problem_message(p),
                    };
                    let text = format!("{}: {message}", path_in_words(root, &p.path));
                    if p.path.starts_with('(') || p.path == "schema_version" {
                        return html! { <li>{ text }</li> };
                    }
                    let id = field_id(&pointer_of(&p.path));
                    let onclick = {
                        let id = id.clone();
                        Callback::from(move |e: MouseEvent| {
                            e.prevent_default();
                            focus_nearest(&id);
                        })
                    };
                    html! { <li><a href={format!("#{id}")} {onclick}>{ text }</a></li> }
                }) }
                if count > LISTED {
                    <li>{ format!("and {} more", count - LISTED) }</li>
                }
            </ul>
        </div>
    }
}
