//! The edit view: every scenario input, grouped as the engine groups them.
//! (Being written.)

use yew::prelude::*;

#[component]
pub fn EditView() -> Html {
    html! { <h1>{ "Edit the scenario" }</h1> }
}
