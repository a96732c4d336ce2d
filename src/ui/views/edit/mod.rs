//! The edit view: every scenario input, grouped as the engine groups them
//! (docs/SCENARIO.md lists the fields).
//!
//! Each input writes straight into the draft (`crate::draft`); the engine revalidates
//! every change, and the figures follow whenever the draft is valid. Problems are shown
//! beside their fields and listed, with links, at the top.

mod inputs;
mod lists;
mod pool;
mod sections;
mod summary;
mod toolbar;

use yew::prelude::*;

#[component]
pub fn EditView() -> Html {
    html! {
        <div class="editor">
            <h1>{ "Edit the scenario" }</h1>
            <p class="lede">{ "Every input to the scenario. Changes apply as you type; the Summary shows the new figures whenever the inputs are valid." }</p>
            <toolbar::Toolbar />
            <summary::ErrorSummary />
            <inputs::ScenarioInputs />
            <inputs::AgeBands />
            <inputs::Places />
            <inputs::Budget />
            <sections::FairSharesInputs />
            <sections::PooledBudgetInputs />
            <sections::OutcomeContractInputs />
            <sections::RiskShareInputs />
            <sections::LeadContractInputs />
            <pool::PoolInputs />
        </div>
    }
}
