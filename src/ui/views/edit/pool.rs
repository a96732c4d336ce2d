//! The risk pooling simulation's inputs: the pool's members, the common shock and
//! correlation, how the pool's overspend is shared, the threshold, trials and seed.

use super::lists::{
    append_button, item_words, len_at, list_heading, names_at, remove_button, text_at, unique_name,
};
use super::sections::{choices, from_example, include_box, section};
use crate::ui::components::{field_id, FieldKind};
use crate::ui::state::use_store;
use crate::ui::views::field::Field;
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
                    <Field pointer={at("name")} label="Name" kind={FieldKind::Text} />
                    <Field pointer={at("population")} label="Population" kind={FieldKind::Integer}
                        invalid="Enter a whole number of people, like 75000" />
                    <Field pointer={at("cost_per_head")} label="Expected cost per head" kind={FieldKind::Money}
                        hint="Its budget is this × its population." />
                    <Field pointer={at("cost_variation")} label="Cost variation" kind={FieldKind::Number}
                        hint="From 0.1 to 20; health costs about 2 to 4." />
                    { remove_button(&store, members, i, &item_words("member", &name, i)) }
                </div>
            </fieldset>
        }
    };
    section(&store, "pool", "Risk pooling", include, || {
        let names = names_at(root, members, "name");
        html! {
            <>
                { list_heading(&store, members, "Members", Some("At most 50 commissioners, each with a different name and from 1 to 100,000,000 people. Expected cost per head: a year's expected cost per person. Cost variation: the coefficient of variation of one person's annual cost.")) }
                { for (0..len_at(root, members)).map(member) }
                { append_button(&store, members, "Add a member",
                    json!({"name": unique_name("New member", &names, 1), "population": 100000, "cost_per_head": 110000, "cost_variation": 3.0}), "name") }
                <h3>{ "Shared risk" }</h3>
                <div class="item-fields">
                    <Field pointer="/pool/common_shock" label="Common shock" kind={FieldKind::Percent}
                        optional=true default={json!(0.0)}
                        hint="A cost swing every member shares in the same year (a bad winter), from 0 to 100 %: pooling cannot remove it." />
                    <Field pointer="/pool/correlation" label="Correlation between members" kind={FieldKind::Number}
                        optional=true default={json!(0.0)}
                        hint="From 0 (independent) to 1 (always move together)." />
                    <Field pointer="/pool/contributions" label="Overspend shared by"
                        kind={choices(&[("population_share", "Population share"), ("risk_adjusted_share", "Risk-adjusted share (expected cost)")])} />
                    <Field pointer="/pool/overspend_threshold" label="Overspend threshold" kind={FieldKind::Percent}
                        hint="The figures give the chance of overspending the budget by more than this." />
                </div>
                <h3>{ "Simulation" }</h3>
                <div class="item-fields">
                    <Field pointer="/pool/trials" label="Trials" kind={FieldKind::Integer}
                        invalid="Enter a whole number of trials, like 1000000"
                        hint="Simulated years, from 1 to 10,000,000. The summary shows the first 10,000 at once; “Run” simulates them all." />
                    <Field pointer="/pool/seed" label="Seed" kind={FieldKind::Integer}
                        invalid="Enter a whole number, like 2013"
                        hint="The same seed always gives the same figures." />
                </div>
            </>
        }
    })
}
