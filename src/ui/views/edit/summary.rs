//! "There is a problem": every problem with the draft, each a link to its field
//! (the GOV.UK error summary pattern).

use crate::draft::pointer_of;
use crate::ui::components::{field_id, percent_message};
use crate::ui::state::use_store;
use serde_json::Value;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How many problems the summary lists; the rest are counted.
const LISTED: usize = 50;

/// A field's key in words, as its label says it.
pub fn key_words(key: &str) -> String {
    let words = match key {
        "name" => "name",
        "description" => "description",
        "first_year" => "first year",
        "age_bands" => "age bands",
        "label" => "label",
        "cost_weight" => "cost weight",
        "places" => "places",
        "population" => "population",
        "people" => "people",
        "growth" => "annual growth",
        "need_index" => "need index",
        "market_forces_factor" => "market forces factor",
        "baseline" => "baseline",
        "budget" => "Budget",
        "rate_per_weighted_head" => "rate per weighted head",
        "years" => "years",
        "uplift" => "uplift",
        "efficiency" => "efficiency",
        "service_lines" => "service lines",
        "share" => "share",
        "fair_shares" => "Fair shares",
        "envelope" => "envelope",
        "first_year_total" => "first-year total",
        "annual_growth" => "annual growth",
        "pace_of_change" => "pace of change",
        "floor_uplift" => "floor uplift",
        "gap_closure" => "gap closure",
        "over_target_cap" => "over-target cap",
        "pooled_budget" => "Pooled budget",
        "contributions" => "contributions",
        "organisation" => "organisation",
        "sector" => "sector",
        "amount" => "amount",
        "spending" => "spending lines",
        "outcome_contract" => "Outcome contract",
        "provider" => "provider",
        "contract_value" => "contract value",
        "share_at_risk" => "share at risk",
        "metrics" => "metrics",
        "weight" => "weight",
        "direction" => "direction",
        "threshold" => "threshold",
        "target" => "target",
        "achieved" => "achieved",
        "curve" => "payment curve",
        "tiered" => "tiered",
        "tiers" => "tiers",
        "at" => "at progress",
        "bonus_pool" => "bonus pool",
        "basis_name" => "basis",
        "members" => "members",
        "contribution" => "contribution",
        "risk_share" => "Risk share",
        "outturn" => "outturn",
        "loss_corridors" => "loss corridors",
        "gain_corridors" => "gain corridors",
        "from" => "from",
        "to" => "to",
        "provider_share" => "provider's share",
        "provider_cap" => "provider cap",
        "commissioner_cap" => "commissioner cap",
        "minimum_rate" => "minimum savings rate",
        "fixed" => "fixed rate",
        "by_population" => "by population",
        "quality_score" => "quality score",
        "lead_contract" => "Lead contract",
        "lead" => "lead commissioner",
        "value" => "contract value",
        "basis" => "basis",
        "commissioners" => "commissioners",
        "activity" => "activity",
        "female" => "female",
        "male" => "male",
        "schema_version" => "schema version",
        other => return other.replace('_', " "),
    };
    words.to_string()
}

/// One item of a list, in words: "place Anytown", "service line 3".
fn item_in_words(root: &Value, list_key: &str, list_pointer: &str, index: usize) -> String {
    let singular = match list_key {
        "places" => "place",
        "age_bands" => "age band",
        "service_lines" => "service line",
        "contributions" => "contribution",
        "spending" => "spending line",
        "metrics" => "metric",
        "tiers" => "tier",
        "members" => "member",
        "loss_corridors" => "loss corridor",
        "gain_corridors" => "gain corridor",
        "commissioners" => "commissioner",
        "population" => "age band",
        other => other,
    };
    // A place's population row is named by its age band.
    let name = if list_key == "population" {
        root.pointer(&format!("/age_bands/{index}/label"))
            .and_then(Value::as_str)
    } else {
        root.pointer(&format!("{list_pointer}/{index}"))
            .and_then(|item| {
                ["name", "label", "organisation"]
                    .iter()
                    .find_map(|k| item.get(*k).and_then(Value::as_str))
            })
    };
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => format!("{singular} {n}"),
        None => format!("{singular} {}", index + 1),
    }
}

/// A problem's field path in words: `places[0].population[1].growth` →
/// "Place Anytown, age band 5–14, annual growth".
pub fn path_in_words(root: &Value, path: &str) -> String {
    if path.starts_with('(') {
        return "The scenario".into();
    }
    let pointer = pointer_of(path);
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut parts: Vec<String> = Vec::new();
    let mut walked = String::new();
    for (i, token) in tokens.iter().enumerate() {
        let next_is_index = tokens
            .get(i + 1)
            .is_some_and(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()));
        if let Ok(index) = token.parse::<usize>() {
            let list_key = tokens.get(i.wrapping_sub(1)).copied().unwrap_or("");
            parts.push(item_in_words(root, list_key, &walked, index));
        } else if !next_is_index && *token != "tiered" {
            parts.push(key_words(token));
        }
        walked.push('/');
        walked.push_str(token);
    }
    let text = parts.join(", ");
    if text.is_empty() {
        "The scenario".into()
    } else {
        crate::ui::letter_case::capitalised(&text)
    }
}

/// Keys whose values are fractions, shown as percentages.
fn is_fraction(key: &str) -> bool {
    matches!(
        key,
        "growth"
            | "uplift"
            | "efficiency"
            | "share"
            | "annual_growth"
            | "floor_uplift"
            | "gap_closure"
            | "over_target_cap"
            | "share_at_risk"
            | "weight"
            | "at"
            | "from"
            | "to"
            | "provider_share"
            | "fixed"
            | "quality_score"
    )
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
                    let key = p.path.rsplit(['.', '[']).next().unwrap_or("");
                    let message = if is_fraction(key) { percent_message(&p.message) } else { p.message.clone() };
                    let message = if message.starts_with("wrong kind of value") {
                        match root.pointer(&pointer_of(&p.path)) {
                            Some(Value::String(s)) => format!("“{s}” is not a number"),
                            _ => message,
                        }
                    } else {
                        message
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
