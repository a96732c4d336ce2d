//! The optional parts of a scenario, each switched on with an "Include …" checkbox:
//! fair shares, a pooled budget, an outcome contract, a risk share and a lead contract.
//!
//! Switching one on adds a working default, taken from the built-in scenario that uses
//! it (and fitted to this scenario's places where it names them); switching it off
//! removes it. Both are one undo step.

use super::lists::{
    append_button, item_words, len_at, list_heading, names_at, own_problems, remove_button,
    text_at, unique_name,
};
use crate::draft::{Draft, Edit};
use crate::ui::components::{field_id, Choice, FieldKind};
use crate::ui::state::{use_store, Action, Notice, Store};
use crate::ui::views::field::Field;
use onebudget_engine::{examples, inputs};
use serde_json::{json, Value};
use std::rc::Rc;
use yew::prelude::*;

/// A part of a built-in scenario's JSON, as shipped.
fn example_part(example: &str, pointer: &str) -> Option<Value> {
    let text = examples::find(example)?.json;
    let value: Value = serde_json::from_str(text).ok()?;
    value.pointer(pointer).cloned()
}

/// Fair shares from Healthier Together, with this scenario's first-year total as the
/// envelope and, for places without one, their first-year budget as the baseline (both
/// figures the engine worked out for the last valid version).
fn fair_shares_default(draft: &Draft) -> Option<Edit> {
    let mut section = example_part("healthier-together", "/fair_shares")?;
    let results = draft.results();
    if let Some(total) = results.totals.first() {
        section["envelope"]["first_year_total"] = json!(total.budget.pence());
    }
    let mut edits = vec![Edit::Set {
        pointer: "/fair_shares".into(),
        value: section,
    }];
    let root = draft.value();
    for p in 0..len_at(root, "/places") {
        if root
            .pointer(&format!("/places/{p}/baseline"))
            .is_some_and(|b| !b.is_null())
        {
            continue;
        }
        let name = text_at(root, &format!("/places/{p}/name"));
        let first_year = results
            .places
            .iter()
            .find(|r| r.name == name)
            .and_then(|r| r.budget.years.first());
        if let Some(year) = first_year {
            edits.push(Edit::Set {
                pointer: format!("/places/{p}/baseline"),
                value: json!(year.budget.pence()),
            });
        }
    }
    Some(Edit::Batch(edits))
}

/// Lead commissioning from Healthier Together, with one commissioner per place (its
/// name and headcount), the first place leading, apportioned by population.
fn lead_contract_default(draft: &Draft) -> Option<Edit> {
    let mut section = example_part("healthier-together", "/lead_contract")?;
    let root = draft.value();
    let commissioners: Vec<Value> = (0..len_at(root, "/places"))
        .map(|p| {
            let people: u64 = root
                .pointer(&format!("/places/{p}/population"))
                .and_then(Value::as_array)
                .map(|bands| {
                    bands
                        .iter()
                        .filter_map(|b| b.get("people").and_then(Value::as_u64))
                        .fold(0u64, u64::saturating_add)
                })
                .unwrap_or(0);
            json!({
                "name": text_at(root, &format!("/places/{p}/name")),
                "population": people,
                "activity": 0
            })
        })
        .collect();
    section["lead"] = json!(text_at(root, "/places/0/name"));
    section["basis"] = json!("population");
    section["commissioners"] = Value::Array(commissioners);
    Some(Edit::Set {
        pointer: "/lead_contract".into(),
        value: section,
    })
}

pub(super) fn from_example(example: &str, pointer: &str) -> Option<Edit> {
    Some(Edit::Set {
        pointer: pointer.into(),
        value: example_part(example, pointer)?,
    })
}

/// "Include …": adds the part (`include`) or removes it.
pub(super) fn include_box(
    store: &Store,
    pointer: &str,
    label: &str,
    hint: &str,
    include: Option<Edit>,
) -> Html {
    let included = store
        .draft
        .value()
        .pointer(pointer)
        .is_some_and(|v| !v.is_null());
    let id = format!("include{}", field_id(pointer).trim_start_matches("field"));
    let hint_id = format!("{id}-hint");
    let onchange = {
        let store = store.clone();
        let pointer = pointer.to_string();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if input.checked() {
                match &include {
                    Some(edit) => store.dispatch(Action::Edit(edit.clone())),
                    None => store.dispatch(Action::Notify(Notice::error(
                        "The default for this part could not be read.",
                        vec![],
                    ))),
                }
            } else {
                store.dispatch(Action::Edit(Edit::Unset {
                    pointer: pointer.clone(),
                }));
            }
        })
    };
    html! {
        <div class="field field-checkbox">
            <input type="checkbox" id={id.clone()} checked={included} {onchange} aria-describedby={hint_id.clone()} />
            <label for={id}>{ label }</label>
            <p class="hint" id={hint_id}>{ hint }</p>
        </div>
    }
}

pub(super) fn choices(list: &[(&str, &str)]) -> FieldKind {
    FieldKind::Select(
        list.iter()
            .map(|(value, label)| Choice::new(json!(value), *label))
            .collect::<Vec<_>>()
            .into(),
    )
}

/// A section's frame: heading (an anchor for the error summary), include box, and its
/// inputs only while it is included.
pub(super) fn section(
    store: &Store,
    key: &str,
    title: &str,
    include: Html,
    body: impl FnOnce() -> Html,
) -> Html {
    let pointer = format!("/{key}");
    let included = store
        .draft
        .value()
        .pointer(&pointer)
        .is_some_and(|v| !v.is_null());
    let id = field_id(&pointer);
    html! {
        <section class="group" aria-labelledby={id.clone()}>
            <h2 id={id} tabindex="-1">{ title }</h2>
            { include }
            if included {
                { own_problems(store, &pointer, title) }
                { body() }
            }
        </section>
    }
}

#[component]
pub fn FairSharesInputs() -> Html {
    let store = use_store();
    let include = include_box(
        &store,
        "/fair_shares",
        "Include fair shares",
        "Share one envelope among the places by weighted population, moving each towards its target. Needs every place's baseline; places without one get their first-year budget.",
        fair_shares_default(&store.draft),
    );
    section(&store, "fair_shares", "Fair shares", include, || {
        html! {
            <>
                <div class="item-fields">
                    <Field pointer="/fair_shares/envelope/first_year_total" />
                    <Field pointer="/fair_shares/envelope/annual_growth" signed=true />
                </div>
                <h3>{ "Pace of change" }</h3>
                <div class="item-fields">
                    <Field pointer="/fair_shares/pace_of_change/floor_uplift" signed=true />
                    <Field pointer="/fair_shares/pace_of_change/gap_closure" />
                    <Field pointer="/fair_shares/pace_of_change/over_target_cap"
                        optional=true signed=true />
                </div>
            </>
        }
    })
}

#[component]
pub fn PooledBudgetInputs() -> Html {
    let store = use_store();
    let root = store.draft.value();
    let include = include_box(
        &store,
        "/pooled_budget",
        "Include a pooled budget",
        "NHS and council money pooled (a section 75 agreement) and spent as one budget. Starts from the Isle of Wight's.",
        from_example("isle-of-wight", "/pooled_budget"),
    );
    let contributions = "/pooled_budget/contributions";
    let spending = "/pooled_budget/spending";
    let contribution = |i: usize| {
        let at = |key: &str| format!("{contributions}/{i}/{key}");
        let name = text_at(root, &at("organisation"));
        html! {
            <fieldset class="item" key={i} id={field_id(&format!("{contributions}/{i}"))} tabindex="-1">
                <legend>{ format!("Contribution {}", i + 1) }</legend>
                <div class="item-fields">
                    <Field pointer={at("organisation")} />
                    <Field pointer={at("sector")} kind={choices(&[("nhs", "NHS"), ("council", "Council"), ("other", "Other")])} />
                    <Field pointer={at("amount")} />
                    { remove_button(&store, contributions, i, &item_words("contribution", &name, i)) }
                </div>
            </fieldset>
        }
    };
    let spend = |i: usize| {
        let at = |key: &str| format!("{spending}/{i}/{key}");
        let name = text_at(root, &at("name"));
        html! {
            <fieldset class="item" key={i} id={field_id(&format!("{spending}/{i}"))} tabindex="-1">
                <legend>{ format!("Spending line {}", i + 1) }</legend>
                <div class="item-fields">
                    <Field pointer={at("name")} />
                    <Field pointer={at("share")} />
                    { remove_button(&store, spending, i, &item_words("spending line", &name, i)) }
                </div>
            </fieldset>
        }
    };
    section(&store, "pooled_budget", "Pooled budget", include, || {
        let orgs = names_at(root, contributions, "organisation");
        let lines = names_at(root, spending, "name");
        html! {
            <>
                <Field pointer="/pooled_budget/name" />
                { list_heading(&store, contributions, "Contributions", None) }
                { for (0..len_at(root, contributions)).map(contribution) }
                { append_button(&store, contributions, "Add a contribution",
                    json!({"organisation": unique_name("New organisation", &orgs, 1), "sector": "nhs", "amount": 0}), "organisation") }
                { list_heading(&store, spending, "Spending", Some("How the pot is spent. Shares add up to 100 %.")) }
                { for (0..len_at(root, spending)).map(spend) }
                { append_button(&store, spending, "Add a spending line",
                    json!({"name": unique_name("New spending line", &lines, 1), "share": 0.0}), "name") }
            </>
        }
    })
}

fn curve_choices() -> FieldKind {
    FieldKind::Select(Rc::from(vec![
        Choice::new(json!("linear"), "Linear: paid in proportion to progress"),
        Choice::new(
            json!("all_or_nothing"),
            "All or nothing: paid in full at the target",
        ),
        Choice::new(
            json!({"tiered": {"tiers": [{"at": 0.5, "share": 0.4}, {"at": 0.75, "share": 0.7}]}}),
            "Tiered: paid in steps",
        ),
    ]))
}

/// A new tier halfway between the last tier and the target (progress and share alike),
/// so the tiers stay in ascending order.
fn next_tier(root: &Value, tiers: &str) -> Value {
    let last = |key: &str| {
        root.pointer(&format!(
            "{tiers}/{}/{key}",
            len_at(root, tiers).saturating_sub(1)
        ))
        .and_then(Value::as_f64)
        .filter(|v| (0.0..1.0).contains(v))
        .unwrap_or(0.0)
    };
    let halfway = |from: f64| ((from + 1.0) * 500.0).round() / 1000.0;
    json!({"at": halfway(last("at")), "share": halfway(last("share"))})
}

fn metric(store: &Store, i: usize) -> Html {
    let root = store.draft.value();
    let base = format!("/outcome_contract/metrics/{i}");
    let at = |key: &str| format!("{base}/{key}");
    let name = text_at(root, &at("name"));
    let tiers = format!("{base}/curve/tiered/tiers");
    let tiered = root.pointer(&tiers).is_some_and(Value::is_array);
    let tier = |t: usize| {
        let at = |key: &str| format!("{tiers}/{t}/{key}");
        html! {
            <fieldset class="item item-nested" key={t} id={field_id(&format!("{tiers}/{t}"))} tabindex="-1">
                <legend>{ format!("Tier {}", t + 1) }</legend>
                <div class="item-fields">
                    <Field pointer={at("at")} />
                    <Field pointer={at("share")} />
                    { remove_button(store, &tiers, t, &format!("tier {} of metric {}", t + 1, name.trim())) }
                </div>
            </fieldset>
        }
    };
    let what = item_words("metric", &name, i);
    html! {
        <fieldset class="item" key={i} id={field_id(&base)} tabindex="-1">
            <legend>{ format!("Metric {}", i + 1) }</legend>
            { own_problems(store, &base, &what) }
            <Field pointer={at("name")} />
            <div class="item-fields">
                <Field pointer={at("weight")} />
                <Field pointer={at("direction")}
                    kind={choices(&[("higher_is_better", "Higher is better"), ("lower_is_better", "Lower is better")])} />
            </div>
            <div class="item-fields">
                <Field pointer={at("baseline")} signed=true />
                <Field pointer={at("threshold")} signed=true />
                <Field pointer={at("target")} signed=true />
                <Field pointer={at("achieved")} signed=true />
            </div>
            <Field pointer={at("curve")} kind={curve_choices()} default={json!("linear")} />
            if tiered {
                <div class="nested-list">
                    <h4 id={field_id(&tiers)} tabindex="-1">{ format!("Tiers of {}", if name.trim().is_empty() { format!("metric {}", i + 1) } else { name.trim().to_string() }) }</h4>
                    { own_problems(store, &tiers, "Tiers") }
                    { for (0..len_at(root, &tiers)).map(tier) }
                    { append_button(store, &tiers, "Add a tier", next_tier(root, &tiers), "at") }
                </div>
            }
            { remove_button(store, "/outcome_contract/metrics", i, &what) }
        </fieldset>
    }
}

#[component]
pub fn OutcomeContractInputs() -> Html {
    let store = use_store();
    let root = store.draft.value();
    let include = include_box(
        &store,
        "/outcome_contract",
        "Include an outcome contract",
        "Part of a provider's contract paid for meeting quality measures. Starts from the CQUIN-style example.",
        from_example("cquin", "/outcome_contract"),
    );
    let metrics = "/outcome_contract/metrics";
    let members = "/outcome_contract/bonus_pool/members";
    let member = |i: usize| {
        let at = |key: &str| format!("{members}/{i}/{key}");
        let name = text_at(root, &at("name"));
        html! {
            <fieldset class="item" key={i} id={field_id(&format!("{members}/{i}"))} tabindex="-1">
                <legend>{ format!("Member {}", i + 1) }</legend>
                <div class="item-fields">
                    <Field pointer={at("name")} />
                    <Field pointer={at("contribution")} />
                    { remove_button(&store, members, i, &item_words("member", &name, i)) }
                </div>
            </fieldset>
        }
    };
    section(
        &store,
        "outcome_contract",
        "Outcome contract",
        include,
        || {
            let metric_names = names_at(root, metrics, "name");
            let member_names = names_at(root, members, "name");
            let has_pool = root
                .pointer("/outcome_contract/bonus_pool")
                .is_some_and(|v| !v.is_null());
            html! {
                <>
                    <div class="item-fields">
                        <Field pointer="/outcome_contract/provider" />
                        <Field pointer="/outcome_contract/contract_value" />
                        <Field pointer="/outcome_contract/share_at_risk" />
                    </div>
                    { list_heading(&store, metrics, "Metrics", Some("Weights add up to 100 %. Progress runs from the threshold (nothing paid) to the target (paid in full).")) }
                    { for (0..len_at(root, metrics)).map(|i| metric(&store, i)) }
                    { append_button(&store, metrics, "Add a metric", json!({
                        "name": unique_name("New metric", &metric_names, 1),
                        "weight": 0.0,
                        "direction": "higher_is_better",
                        "baseline": 0.0,
                        "threshold": 0.0,
                        "target": 1.0,
                        "achieved": 0.0,
                        "curve": "linear"
                    }), "name") }
                    <h3>{ "Bonus pool" }</h3>
                    { include_box(&store, "/outcome_contract/bonus_pool", "Include a bonus pool",
                        "Part of what is earned shared among teams in proportion to what they contributed.",
                        from_example("cquin", "/outcome_contract/bonus_pool")) }
                    if has_pool {
                        { own_problems(&store, "/outcome_contract/bonus_pool", "Bonus pool") }
                        <div class="item-fields">
                            <Field pointer="/outcome_contract/bonus_pool/amount" />
                            <Field pointer="/outcome_contract/bonus_pool/basis_name" />
                        </div>
                        <h4 id={field_id(members)} tabindex="-1">{ "Members" }</h4>
                        { own_problems(&store, members, "Members") }
                        { for (0..len_at(root, members)).map(member) }
                        { append_button(&store, members, "Add a member",
                            json!({"name": unique_name("New member", &member_names, 1), "contribution": 0.0}), "name") }
                    }
                </>
            }
        },
    )
}

fn corridors(store: &Store, key: &str, title: &str, singular: &str) -> Html {
    let root = store.draft.value();
    let list = format!("/risk_share/{key}");
    let count = len_at(root, &list);
    let corridor = |i: usize| {
        let at = |k: &str| format!("{list}/{i}/{k}");
        html! {
            <fieldset class="item" key={i} id={field_id(&format!("{list}/{i}"))} tabindex="-1">
                <legend>{ format!("{} {}", capital(singular), i + 1) }</legend>
                <div class="item-fields">
                    <Field pointer={at("from")} />
                    <Field pointer={at("to")} optional=true />
                    <Field pointer={at("provider_share")} />
                    { remove_button(store, &list, i, &format!("{singular} {}", i + 1)) }
                </div>
            </fieldset>
        }
    };
    // A new corridor starts where the last one ends.
    let from = root
        .pointer(&format!("{list}/{}/to", count.saturating_sub(1)))
        .filter(|v| v.is_number())
        .cloned()
        .unwrap_or(json!(0.0));
    html! {
        <>
            { list_heading(store, &list, title, None) }
            { for (0..count).map(corridor) }
            { append_button(store, &list, &format!("Add a {singular}"),
                json!({"from": from, "to": null, "provider_share": 0.5}), "from") }
        </>
    }
}

fn capital(text: &str) -> String {
    crate::ui::letter_case::capitalised(text)
}

#[component]
pub fn RiskShareInputs() -> Html {
    let store = use_store();
    let root = store.draft.value();
    let include = include_box(
        &store,
        "/risk_share",
        "Include a risk share",
        "How an overspend or underspend against a budget is split between provider and commissioner. Starts from the CQUIN-style example.",
        from_example("cquin", "/risk_share"),
    );
    let minimum = root.pointer("/risk_share/minimum_rate");
    let fixed = minimum.and_then(|m| m.get("fixed")).is_some();
    let by_population = minimum.and_then(|m| m.get("by_population")).is_some();
    section(&store, "risk_share", "Risk share", include, || {
        html! {
            <>
                <div class="item-fields">
                    <Field pointer="/risk_share/budget" />
                    <Field pointer="/risk_share/outturn" />
                </div>
                <p class="hint">{ "Corridors are bands of the variance as a share of the budget: the first starts at 0 %, each starts where the last ended, and the last may be open-ended." }</p>
                { corridors(&store, "loss_corridors", "Loss corridors (overspend)", "loss corridor") }
                { corridors(&store, "gain_corridors", "Gain corridors (underspend)", "gain corridor") }
                <h3>{ "Caps and conditions" }</h3>
                <div class="item-fields">
                    <Field pointer="/risk_share/provider_cap" optional=true />
                    <Field pointer="/risk_share/commissioner_cap" optional=true />
                </div>
                <Field pointer="/risk_share/minimum_rate"
                    kind={FieldKind::Select(Rc::from(vec![
                        Choice::none("None"),
                        Choice::new(json!({"fixed": 0.02}), "A fixed rate"),
                        Choice::new(json!({"by_population": {"population": 10000}}), "By population (the MSSP table)"),
                    ]))} />
                if fixed {
                    <Field pointer="/risk_share/minimum_rate/fixed" />
                }
                if by_population {
                    <Field pointer="/risk_share/minimum_rate/by_population/population" invalid="Enter a whole number of people, like 10000" />
                }
                <Field pointer="/risk_share/quality_score" optional=true />
            </>
        }
    })
}

#[component]
pub fn LeadContractInputs() -> Html {
    let store = use_store();
    let root = store.draft.value();
    let include = include_box(
        &store,
        "/lead_contract",
        "Include a lead contract",
        "One commissioner holds a provider's contract for several and recharges each its share. Starts with one commissioner per place.",
        lead_contract_default(&store.draft),
    );
    let list = "/lead_contract/commissioners";
    let names = names_at(root, list, "name");
    let commissioner = |i: usize| {
        let at = |key: &str| format!("{list}/{i}/{key}");
        let name = names.get(i).cloned().unwrap_or_default();
        html! {
            <fieldset class="item" key={i} id={field_id(&format!("{list}/{i}"))} tabindex="-1">
                <legend>{ format!("Commissioner {}", i + 1) }</legend>
                <div class="item-fields">
                    <Field pointer={at("name")} />
                    <Field pointer={at("population")}
                        default={json!(0)} invalid="Enter a whole number of people, like 430000" />
                    <Field pointer={at("activity")}
                        default={json!(0)} invalid="Enter a whole number, like 38000" />
                    { remove_button(&store, list, i, &item_words("commissioner", &name, i)) }
                </div>
            </fieldset>
        }
    };
    section(&store, "lead_contract", "Lead contract", include, || {
        let leads: Vec<Choice> = names
            .iter()
            .filter(|n| !n.trim().is_empty())
            .map(|n| Choice::new(json!(n), n.clone()))
            .collect();
        html! {
            <>
                <div class="item-fields">
                    <Field pointer="/lead_contract/provider" />
                    <Field pointer="/lead_contract/lead" kind={FieldKind::Select(leads.into())} />
                    <Field pointer="/lead_contract/value" />
                    <Field pointer="/lead_contract/basis"
                        kind={choices(&[("population", inputs::COMMISSIONER_POPULATION.label), ("activity", inputs::COMMISSIONER_ACTIVITY.label)])} />
                </div>
                { list_heading(&store, list, "Commissioners", None) }
                { for (0..len_at(root, list)).map(commissioner) }
                { append_button(&store, list, "Add a commissioner",
                    json!({"name": unique_name("New commissioner", &names, 1), "population": 0, "activity": 0}), "name") }
            </>
        }
    })
}
