//! "How this was worked out": a figure's formula and inputs, in words, behind a disclosure.

use onebudget_engine::working::Working;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WorkingProps {
    pub working: Working,
}

#[component]
pub fn WorkingDetails(props: &WorkingProps) -> Html {
    let w = &props.working;
    html! {
        <details class="working">
            <summary>{ "How this was worked out" }</summary>
            <div class="working-body">
                <p><strong>{ &w.figure }</strong>{ " = " }<strong>{ &w.value }</strong></p>
                <p class="formula">{ &w.formula }</p>
                if !w.inputs.is_empty() {
                    <dl class="working-inputs">
                        { for w.inputs.iter().map(|i| html! {
                            <div><dt>{ &i.name }</dt><dd>{ &i.value }</dd></div>
                        }) }
                    </dl>
                }
            </div>
        </details>
    }
}
