//! The risk pooling simulation's inputs: the pool's members, the common shock and
//! correlation, how the pool's overspend is shared, the threshold, trials and seed.

use super::lists::{
    append_button, item_words, len_at, list_heading, names_at, remove_button, text_at, unique_name,
};
use super::sections::{choices, from_example, include_box, section};
use crate::ui::components::{field_id, range_sentence};
use crate::ui::state::use_store;
use crate::ui::views::field::Field;
use onebudget_engine::inputs;
use onebudget_engine::pooling::MAX_MEMBERS;
use serde_json::json;
use yew::prelude::*;

#[component]
pub fn PoolInputs() -> Html {
    let store = use_store();
    let root = store.draft.value();
    let include = include_box(
        &store,
        "/pool",
        "Include a risk pooling simulation",
        "Commissioners pooling the risk of overspending, simulated year by year. Starts from Healthier Together's five CCGs.",
        from_example("healthier-together", "/pool"),
    );
    let members = "/pool/members";
    let member = |i: usize| {
        let at = |key: &str| format!("{members}/{i}/{key}");
        let name = text_at(root, &at("name"));
        html! {
            <fieldset class="item" key={i} id={field_id(&format!("{members}/{i}"))} tabindex="-1">
                <legend>{ format!("Member {}", i + 1) }</legend>
                <div class="item-fields">
                    <Field pointer={at("name")} />
                    <Field pointer={at("population")}
                        invalid="Enter a whole number of people, like 75000" />
                    <Field pointer={at("cost_per_head")} />
                    <Field pointer={at("cost_variation")}
                        range=true />
                    { remove_button(&store, members, i, &item_words("member", &name, i)) }
                </div>
            </fieldset>
        }
    };
    section(&store, "pool", "Risk pooling", include, || {
        let names = names_at(root, members, "name");
        html! {
            <>
                { list_heading(&store, members, "Members", Some(&format!(
                    "At most {MAX_MEMBERS} commissioners, each with a different name. {}: {} {}: the coefficient of variation of one person's annual cost.",
                    inputs::POOL_POPULATION.label, range_sentence(&inputs::POOL_POPULATION), inputs::COST_VARIATION.label))) }
                { for (0..len_at(root, members)).map(member) }
                { append_button(&store, members, "Add a member",
                    json!({"name": unique_name("New member", &names, 1), "population": 100000, "cost_per_head": 110000, "cost_variation": 3.0}), "name") }
                <h3>{ "Shared risk" }</h3>
                <div class="item-fields">
                    <Field pointer="/pool/common_shock"
                        optional=true default={json!(0.0)}
                        range=true />
                    <Field pointer="/pool/correlation"
                        optional=true default={json!(0.0)}
                        range=true />
                    <Field pointer="/pool/contributions"
                        kind={choices(&[("population_share", "Population share"), ("risk_adjusted_share", "Risk-adjusted share (expected cost)")])} />
                    <Field pointer="/pool/overspend_threshold" />
                </div>
                <h3>{ "Simulation" }</h3>
                <div class="item-fields">
                    <Field pointer="/pool/trials"
                        invalid="Enter a whole number of trials, like 1000000"
                        range=true />
                    <Field pointer="/pool/seed"
                        invalid="Enter a whole number, like 2013" />
                </div>
            </>
        }
    })
}
