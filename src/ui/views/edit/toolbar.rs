//! The editor's toolbar: undo and redo (buttons and keyboard shortcuts), starting again
//! from a built-in scenario, and a slot for the file tools.

use crate::ui::state::{use_store, Action, Notice};
use onebudget_engine::examples;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// True when the key press is for a text box: there the browser's own undo applies.
fn typing_in_text(event: &web_sys::KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    match element.tag_name().to_ascii_uppercase().as_str() {
        "TEXTAREA" => true,
        "INPUT" => {
            let kind = element
                .get_attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase();
            !matches!(
                kind.as_str(),
                "checkbox" | "radio" | "button" | "submit" | "reset" | "file"
            )
        }
        _ => element
            .dyn_ref::<web_sys::HtmlElement>()
            .is_some_and(|e| e.is_content_editable()),
    }
}

#[component]
pub fn Toolbar() -> Html {
    let store = use_store();

    // Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo, while the editor is open.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let listener =
                Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                    if !(e.ctrl_key() || e.meta_key()) || e.alt_key() || e.default_prevented() {
                        return;
                    }
                    if typing_in_text(&e) {
                        return;
                    }
                    let key = e.key().to_ascii_lowercase();
                    let action = match (key.as_str(), e.shift_key()) {
                        ("z", false) => Action::Undo,
                        ("z", true) | ("y", false) => Action::Redo,
                        _ => return,
                    };
                    e.prevent_default();
                    store.dispatch(action);
                });
            let document = web_sys::window().and_then(|w| w.document());
            crate::ui::events::listen(document, "keydown", listener)
        });
    }

    let undo = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Undo))
    };
    let redo = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Redo))
    };

    let chosen = use_state(|| 0usize);
    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = select.value().parse::<usize>() {
                chosen.set(i);
            }
        })
    };
    let start_again = {
        let store = store.clone();
        let chosen = *chosen;
        Callback::from(move |_: MouseEvent| {
            let Some(example) = examples::ALL.get(chosen) else {
                return;
            };
            let loaded = example
                .scenario()
                .ok()
                .and_then(|s| serde_json::to_value(s).ok());
            match loaded {
                Some(value) => store.dispatch(Action::Load {
                    value,
                    notice: Notice::success(format!(
                        "Loaded “{}”. Undo brings your previous work back.",
                        example.title
                    )),
                }),
                None => store.dispatch(Action::Notify(Notice::error(
                    format!(
                        "The built-in scenario “{}” could not be read.",
                        example.title
                    ),
                    vec![],
                ))),
            }
        })
    };

    html! {
        <>
            <div class="toolbar" role="group" aria-label="Undo and redo">
                <button type="button" id="undo" class="button-secondary" onclick={undo}
                    disabled={!store.draft.can_undo()} aria-keyshortcuts="Control+Z Meta+Z">{ "Undo" }</button>
                <button type="button" id="redo" class="button-secondary" onclick={redo}
                    disabled={!store.draft.can_redo()} aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y">{ "Redo" }</button>
            </div>
            <div class="toolbar start-again">
                <div class="field">
                    <label for="start-again">{ "Start again from a built-in scenario" }</label>
                    <p class="hint" id="start-again-hint">{ "Replaces every input. Undo brings your work back." }</p>
                    <select id="start-again" aria-describedby="start-again-hint" onchange={on_choose}>
                        { for examples::ALL.iter().enumerate().map(|(i, e)| html! {
                            <option value={i.to_string()} selected={i == *chosen}>{ e.title }</option>
                        }) }
                    </select>
                </div>
                <button type="button" onclick={start_again}>{ "Start again" }</button>
            </div>
            <section id="file-tools" aria-labelledby="file-tools-heading">
                <h2 id="file-tools-heading" class="visually-hidden">{ "Files and links" }</h2>
                <crate::ui::views::file_tools::FileTools />
            </section>
        </>
    }
}
