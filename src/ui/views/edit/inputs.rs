//! The inputs every scenario has: the scenario itself, age bands, places and their
//! populations, and the budget policy.

use super::lists::{
    add_button, append_button, item_words, len_at, list_heading, names_at, own_problems,
    remove_button, remove_button_with, text_at, unique_name,
};
use crate::draft::Edit;
use crate::ui::components::{field_id, range_sentence};
use crate::ui::state::{use_store, Store};
use crate::ui::views::field::Field;
use onebudget_engine::inputs;
use onebudget_engine::scenario::MAX_PLACES;
use serde_json::{json, Value};
use yew::prelude::*;

const PEOPLE: &str = "Enter a whole number of people, like 25800";

#[component]
pub fn ScenarioInputs() -> Html {
    let store = use_store();
    html! {
        <section class="group" aria-labelledby="edit-scenario">
            <h2 id="edit-scenario">{ "Scenario" }</h2>
            { own_problems(&store, "", "Scenario") }
            <Field pointer="/name" />
            <Field pointer="/description" />
            <Field pointer="/illustrative"
                default={Value::Bool(true)} />
            <Field pointer="/first_year"
                range=true />
        </section>
    }
}

/// Age bands are shared by every place: adding or removing one changes every place's
/// population too, as one step.
#[component]
pub fn AgeBands() -> Html {
    let store = use_store();
    let root = store.draft.value();
    let bands = len_at(root, "/age_bands");
    let places = len_at(root, "/places");

    let add = {
        let labels = names_at(root, "/age_bands", "label");
        let label = unique_name("New band", &labels, 1);
        let mut edits = vec![Edit::Insert {
            pointer: "/age_bands".into(),
            index: bands,
            value: json!({"label": label, "cost_weight": 1.0}),
        }];
        for p in 0..places {
            let list = format!("/places/{p}/population");
            edits.push(Edit::Insert {
                index: len_at(root, &list),
                pointer: list,
                value: json!({"people": 0, "growth": 0.0}),
            });
        }
        add_button(
            &store,
            "/age_bands",
            "Add an age band",
            Edit::Batch(edits),
            field_id(&format!("/age_bands/{bands}/label")),
        )
    };

    let row = |b: usize| {
        let label = text_at(root, &format!("/age_bands/{b}/label"));
        let band_words = if label.trim().is_empty() {
            format!("band {}", b + 1)
        } else {
            label.clone()
        };
        let remove = (bands > 1).then(|| {
            let mut edits = vec![Edit::Remove {
                pointer: "/age_bands".into(),
                index: b,
            }];
            for p in 0..places {
                let list = format!("/places/{p}/population");
                if len_at(root, &list) > b {
                    edits.push(Edit::Remove {
                        pointer: list,
                        index: b,
                    });
                }
            }
            remove_button_with(
                &store,
                "/age_bands",
                &format!("age band {band_words} from every place"),
                Edit::Batch(edits),
            )
        });
        html! {
            <tr key={b}>
                <td>
                    <Field pointer={format!("/age_bands/{b}/label")} compact=true
                        label={format!("{} {}", inputs::BAND_LABEL.label, b + 1)} />
                </td>
                <td>
                    <Field pointer={format!("/age_bands/{b}/cost_weight")} compact=true />
                </td>
                <td>{ for remove }</td>
            </tr>
        }
    };

    html! {
        <section class="group" aria-labelledby="field-age_bands">
            <h2 id="field-age_bands" tabindex="-1">{ "Age bands" }</h2>
            <p class="hint">{ format!("Shared by every place. {}: {} {}", inputs::COST_WEIGHT.label,
                inputs::hint(inputs::COST_WEIGHT.path).map_or("", |(h, _)| h), range_sentence(&inputs::COST_WEIGHT)) }</p>
            { own_problems(&store, "/age_bands", "Age bands") }
            <div class="table-scroll">
                <table class="data-table edit-table">
                    <caption class="visually-hidden">{ "Age bands and their cost weights" }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ inputs::BAND_LABEL.label }</th>
                            <th scope="col">{ inputs::COST_WEIGHT.label }</th>
                            <th scope="col"><span class="visually-hidden">{ "Remove" }</span></th>
                        </tr>
                    </thead>
                    <tbody>{ for (0..bands).map(row) }</tbody>
                </table>
            </div>
            { add }
        </section>
    }
}

/// One place's population: a row per age band.
fn population_table(store: &Store, p: usize, place: &str) -> Html {
    let root = store.draft.value();
    let list = format!("/places/{p}/population");
    let rows = len_at(root, &list).max(len_at(root, "/age_bands"));
    let row = |b: usize| {
        let band = text_at(root, &format!("/age_bands/{b}/label"));
        let band = if band.trim().is_empty() {
            format!("band {}", b + 1)
        } else {
            band
        };
        let at = |key: &str| format!("{list}/{b}/{key}");
        if root.pointer(&format!("{list}/{b}")).is_none() {
            return html! {
                <tr key={b}><th scope="row">{ &band }</th><td colspan="4">{ "No entry for this band" }</td></tr>
            };
        }
        html! {
            <tr key={b}>
                <th scope="row">{ &band }</th>
                <td><Field pointer={at("people")} compact=true invalid={PEOPLE} /></td>
                <td><Field pointer={at("growth")} compact=true signed=true default={json!(0.0)} /></td>
                <td><Field pointer={at("female")} compact=true optional=true invalid={PEOPLE}
                    /></td>
                <td><Field pointer={at("male")} compact=true optional=true invalid={PEOPLE}
                    /></td>
            </tr>
        }
    };
    html! {
        <>
            <h3 id={field_id(&list)} tabindex="-1">{ "Population by age band" }</h3>
            <p class="hint">{ format!("{}: {} {}", inputs::GROWTH.label, range_sentence(&inputs::GROWTH),
                inputs::hint(inputs::FEMALE.path).map_or("", |(h, _)| h)) }</p>
            { own_problems(store, &list, "Population by age band") }
            <div class="table-scroll">
                <table class="data-table edit-table">
                    <caption class="visually-hidden">{ format!("Population of {place} by age band") }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ inputs::BAND_LABEL.label }</th>
                            <th scope="col">{ inputs::PEOPLE.label }</th>
                            <th scope="col">{ format!("{} (%)", inputs::GROWTH.label) }</th>
                            <th scope="col">{ format!("{} (optional)", inputs::FEMALE.label) }</th>
                            <th scope="col">{ format!("{} (optional)", inputs::MALE.label) }</th>
                        </tr>
                    </thead>
                    <tbody>{ for (0..rows).map(row) }</tbody>
                </table>
            </div>
        </>
    }
}

#[component]
pub fn Places() -> Html {
    let store = use_store();
    let root = store.draft.value();
    let count = len_at(root, "/places");
    let bands = len_at(root, "/age_bands");

    let add = {
        let names = names_at(root, "/places", "name");
        let name = unique_name("New place", &names, count + 1);
        let population: Vec<Value> = (0..bands)
            .map(|_| json!({"people": 0, "growth": 0.0}))
            .collect();
        append_button(
            &store,
            "/places",
            "Add a place",
            json!({
                "name": name,
                "population": population,
                "need_index": 1.0,
                "market_forces_factor": 1.0
            }),
            "name",
        )
    };

    let place = |p: usize| {
        let at = |key: &str| format!("/places/{p}/{key}");
        let name = text_at(root, &at("name"));
        let words = if name.trim().is_empty() {
            format!("place {}", p + 1)
        } else {
            name.trim().to_string()
        };
        html! {
            <fieldset class="item" key={p} id={field_id(&format!("/places/{p}"))} tabindex="-1">
                <legend>{ format!("Place {}", p + 1) }</legend>
                { own_problems(&store, &format!("/places/{p}"), &words) }
                <div class="item-fields">
                    <Field pointer={at("name")} />
                    <Field pointer={at("need_index")}
                        optional=true default={json!(1.0)}
                        range=true />
                    <Field pointer={at("market_forces_factor")}
                        optional=true default={json!(1.0)}
                        range=true />
                    <Field pointer={at("baseline")} optional=true />
                </div>
                { population_table(&store, p, &words) }
                if count > 1 {
                    { remove_button(&store, "/places", p, &format!("place {}", words)) }
                }
            </fieldset>
        }
    };

    html! {
        <section class="group" aria-labelledby="field-places">
            <h2 id="field-places" tabindex="-1">{ "Places" }</h2>
            <p class="hint">{ format!("The towns, islands or areas the budget is for: at most {MAX_PLACES}.") }</p>
            { own_problems(&store, "/places", "Places") }
            { for (0..count).map(place) }
            { add }
        </section>
    }
}

#[component]
pub fn Budget() -> Html {
    let store = use_store();
    let root = store.draft.value();
    let lines = len_at(root, "/budget/service_lines");
    let line = |i: usize| {
        let at = |key: &str| format!("/budget/service_lines/{i}/{key}");
        let name = text_at(root, &at("name"));
        html! {
            <fieldset class="item item-row" key={i} id={field_id(&format!("/budget/service_lines/{i}"))} tabindex="-1">
                <legend>{ format!("Service line {}", i + 1) }</legend>
                <div class="item-fields">
                    <Field pointer={at("name")} />
                    <Field pointer={at("share")} />
                    { remove_button(&store, "/budget/service_lines", i,
                        &item_words("service line", &name, i)) }
                </div>
            </fieldset>
        }
    };
    let names = names_at(root, "/budget/service_lines", "name");
    let add = append_button(
        &store,
        "/budget/service_lines",
        "Add a service line",
        json!({"name": unique_name("New service line", &names, 1), "share": 0.0}),
        "name",
    );
    html! {
        <section class="group" aria-labelledby="field-budget">
            <h2 id="field-budget" tabindex="-1">{ "Budget" }</h2>
            <p class="hint">{ "Every place's capitated budget: the rate per weighted head, grown each year by the uplift and reduced by the efficiency requirement." }</p>
            { own_problems(&store, "/budget", "Budget") }
            <div class="item-fields">
                <Field pointer="/budget/rate_per_weighted_head" />
                <Field pointer="/budget/years"
                    invalid="Enter a whole number of years, like 5" range=true />
                <Field pointer="/budget/uplift" signed=true />
                <Field pointer="/budget/efficiency" signed=true />
            </div>
            { list_heading(&store, "/budget/service_lines", "Service lines", Some("How each year's budget is split. Shares add up to 100 %.")) }
            { for (0..lines).map(line) }
            { add }
        </section>
    }
}
