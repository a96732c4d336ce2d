//! "Embed this": the iframe snippet and host script for the current scenario, with the
//! embed's options (lock, exposed inputs, colours, font, height). The settings are
//! checked by the same `crate::embed::parse_query` the embed itself uses, so what the
//! panel warns about is exactly what the embed would drop.

use crate::embed::{available_inputs, parse_query, percent_encode, snippet, MAX_INPUTS};
use crate::ui::components::{copy_snippet, input_value};
use crate::ui::share::{self, host_script_integrity};
use crate::ui::state::{use_store, Action, View};
use onebudget_engine::link;
use yew::prelude::*;

/// The open panel's body: the settings and the two snippets (a part that loads on first
/// use, `lazy::Part::EmbedPanel`; the Summary draws the closed panel around it).
#[component]
pub fn EmbedPanel() -> Html {
    let store = use_store();
    let locked = use_state(|| true);
    let chosen = use_state(Vec::<String>::new);
    let primary = use_state(String::new);
    let text = use_state(String::new);
    let font = use_state(|| "inherit".to_string());
    let frame_id = use_state(|| "onebudget".to_string());
    let height = use_state(|| "900".to_string());
    let copied = use_state(|| None::<String>);

    let scenario = store.draft.scenario().clone();
    let fragment = link::encode(&scenario);
    let too_long = fragment.len() > link::MAX_LINK_CHARS;

    // The settings as a query, read back exactly as the embed will read them.
    let mut query = String::from("embed=1");
    if *locked {
        query.push_str("&lock=1");
    } else if !chosen.is_empty() {
        query.push_str("&inputs=");
        query.push_str(&percent_encode(&chosen.join(",")));
    }
    for (key, value) in [
        ("primary", &*primary),
        ("text", &*text),
        ("font", &*font),
        ("id", &*frame_id),
    ] {
        if !value.trim().is_empty() {
            query.push_str(&format!("&{key}={}", percent_encode(value.trim())));
        }
    }
    let options = parse_query(&query).unwrap_or_default();
    let height_px = height.trim().parse::<u32>().unwrap_or(900);
    let title = format!("OneBudget: {}", scenario.name);
    let integrity = host_script_integrity();
    let code = snippet(
        &share::page_address(),
        &options,
        &fragment,
        &title,
        height_px,
        integrity.as_deref(),
    );

    let choices = available_inputs(store.draft.value());
    let find_area = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Show(View::Area)))
    };
    let on_lock = {
        let locked = locked.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            locked.set(input.checked());
        })
    };
    let text_setter = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| state.set(input_value(&e)))
    };
    let copy = |what: &'static str, text: String| copy_snippet(&copied, what, text);

    html! {
            <>
                <p>{ "Paste these two pieces into your page. The frame shows this scenario's summary without the editor; the script lets it grow and shrink with its content. Nothing is loaded from any other site, and no cookies are set." }</p>
                <p>
                    { "To embed the real NHS figures of an ICB, council area or GP practice instead, find it and use “Embed this area” there: " }
                    <button type="button" class="button-secondary" onclick={find_area} data-testid="embed-find-area">{ "Find an area to embed" }</button>
                </p>
                if too_long {
                    <p class="notice notice-warning">{ "This scenario is too large for a link, so it cannot be embedded as it is." }</p>
                }
                <div class="field field-checkbox">
                    <input type="checkbox" id="embed-lock" checked={*locked} onchange={on_lock} />
                    <label for="embed-lock">{ "Lock the scenario: visitors see the figures but cannot change anything" }</label>
                </div>
                if !*locked {
                    <fieldset class="embed-choices">
                        <legend>{ format!("Figures visitors may change (up to {MAX_INPUTS})") }</legend>
                        <div class="embed-choice-list">
                            { for choices.iter().map(|input| {
                                let id = format!("embed-input{}", input.pointer.replace('/', "-"));
                                let pointer = input.pointer.trim_start_matches('/').to_string();
                                let checked = chosen.contains(&pointer);
                                let full = chosen.len() >= MAX_INPUTS && !checked;
                                let onchange = {
                                    let chosen = chosen.clone();
                                    let pointer = pointer.clone();
                                    Callback::from(move |e: Event| {
                                        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                                        let mut next = (*chosen).clone();
                                        next.retain(|p| *p != pointer);
                                        if input.checked() {
                                            next.push(pointer.clone());
                                        }
                                        chosen.set(next);
                                    })
                                };
                                html! {
                                    <div class="field field-checkbox" key={id.clone()}>
                                        <input type="checkbox" id={id.clone()} value={pointer.clone()} checked={checked} disabled={full} {onchange} />
                                        <label for={id}>{ &input.label }</label>
                                    </div>
                                }
                            }) }
                        </div>
                    </fieldset>
                }
                <div class="embed-settings">
                    <div class="field">
                        <label for="embed-primary">{ "Main colour" }</label>
                        <p class="hint" id="embed-primary-hint">{ "Like #005eb8; empty for OneBudget's blue. Must be dark enough to read." }</p>
                        <input type="text" id="embed-primary" class="input-text" value={(*primary).clone()} onchange={text_setter(&primary)}
                            aria-describedby="embed-primary-hint" autocomplete="off" spellcheck="false" />
                    </div>
                    <div class="field">
                        <label for="embed-text">{ "Text colour" }</label>
                        <p class="hint" id="embed-text-hint">{ "Like #212b32; empty for the usual." }</p>
                        <input type="text" id="embed-text" class="input-text" value={(*text).clone()} onchange={text_setter(&text)}
                            aria-describedby="embed-text-hint" autocomplete="off" spellcheck="false" />
                    </div>
                    <div class="field">
                        <label for="embed-font">{ "Font" }</label>
                        <p class="hint" id="embed-font-hint">{ "“inherit” for the visitor's system font, or a family name such as Arial (used if their device has it)." }</p>
                        <input type="text" id="embed-font" class="input-text" value={(*font).clone()} onchange={text_setter(&font)}
                            aria-describedby="embed-font-hint" autocomplete="off" spellcheck="false" />
                    </div>
                    <div class="field">
                        <label for="embed-id">{ "Frame name" }</label>
                        <p class="hint" id="embed-id-hint">{ "Letters, digits, hyphens; different for each OneBudget frame on one page." }</p>
                        <input type="text" id="embed-id" class="input-text" value={(*frame_id).clone()} onchange={text_setter(&frame_id)}
                            aria-describedby="embed-id-hint" autocomplete="off" spellcheck="false" />
                    </div>
                    <div class="field">
                        <label for="embed-height">{ "Height before the script sets it (pixels)" }</label>
                        <input type="text" id="embed-height" class="input-number" inputmode="numeric" value={(*height).clone()} onchange={text_setter(&height)} autocomplete="off" />
                    </div>
                </div>
                if !options.notes.is_empty() {
                    <div class="notice notice-warning" role="status" data-testid="embed-panel-notes">
                        <ul>{ for options.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                    </div>
                }
                <h3 id="embed-iframe-label">{ "1. The frame" }</h3>
                <pre class="embed-code" tabindex="0" aria-labelledby="embed-iframe-label"><code data-testid="embed-iframe-snippet">{ &code.iframe }</code></pre>
                <button type="button" class="button-secondary" onclick={copy("frame", code.iframe.clone())}>{ "Copy the frame" }</button>
                <h3 id="embed-script-label">{ "2. The script (once per page)" }</h3>
                <pre class="embed-code" tabindex="0" aria-labelledby="embed-script-label"><code data-testid="embed-script-snippet">{ &code.script }</code></pre>
                <button type="button" class="button-secondary" onclick={copy("script", code.script.clone())}>{ "Copy the script" }</button>
                <p role="status" class="hint">{ (*copied).clone().unwrap_or_default() }</p>
                <p class="hint">{ "Your site's server should send the header Content-Security-Policy: frame-ancestors with your site's address; see “Security and embedding” in OneBudget's README." }</p>
            </>
    }
}
