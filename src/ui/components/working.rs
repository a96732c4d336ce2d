//! "How this was worked out": a figure's formula and inputs, in words, behind a disclosure.
//! Its words are built into the page when it is first opened (the public view has a dozen
//! of these, closed, and building them all slowed its first render).

use onebudget_engine::working::Working;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WorkingProps {
    pub working: Working,
}

#[component]
pub fn WorkingDetails(props: &WorkingProps) -> Html {
    let w = &props.working;
    let (opened, ontoggle) = crate::ui::charts::use_opened_once();
    html! {
        <details class="working" {ontoggle}>
            <summary>{ "How this was worked out" }</summary>
            if opened {
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
            }
        </details>
    }
}
