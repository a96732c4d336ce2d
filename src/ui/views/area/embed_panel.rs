//! "Embed this area on your website": the iframe and host script for the area shown, for a
//! council's or ICB's own page (docs/EMBED.md). Locked (an area's figures have no inputs);
//! the colour, frame name and height as the scenario's panel takes them, checked by the
//! same `crate::embed::parse_query` the embed uses.

use crate::embed::{area_snippet, parse_query, percent_encode};
use crate::ui::components::{copy_snippet, input_value};
use crate::ui::share;
use crate::ui::share::host_script_integrity;
use onebudget_engine::areas::DataYear;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AreaEmbedPanelProps {
    pub code: AttrValue,
    pub name: AttrValue,
    pub year: DataYear,
}

#[component]
pub fn AreaEmbedPanel(props: &AreaEmbedPanelProps) -> Html {
    let primary = use_state(String::new);
    let frame_id = use_state(|| "onebudget-area".to_string());
    let height = use_state(|| "1400".to_string());
    let copied = use_state(|| None::<String>);
    let mut query = String::from("embed=1&lock=1");
    for (key, value) in [("primary", &*primary), ("id", &*frame_id)] {
        if !value.trim().is_empty() {
            query.push_str(&format!("&{key}={}", percent_encode(value.trim())));
        }
    }
    let options = parse_query(&query).unwrap_or_default();
    let code = area_snippet(
        &share::page_address(),
        &options,
        &props.code,
        props.year,
        &format!("NHS figures for {}, {}", props.name, props.year.label()),
        height.trim().parse::<u32>().unwrap_or(1400),
        host_script_integrity().as_deref(),
    );
    let setter = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| state.set(input_value(&e)))
    };
    let copy = |what: &'static str, text: String| copy_snippet(&copied, what, text);
    html! {
        <details class="group embed-panel" data-testid="area-embed-panel">
            <summary><h2 class="embed-panel-heading">{ "Embed this area on your website" }</h2></summary>
            <p>{ format!("Paste these two pieces into your page to show {}'s figures for {}, with the attribution. Visitors cannot change them. Search above for another area to embed that one instead.", props.name, props.year.label()) }</p>
            <div class="embed-settings">
                <div class="field">
                    <label for="area-embed-primary">{ "Main colour" }</label>
                    <p class="hint" id="area-embed-primary-hint">{ "Like #005eb8; empty for OneBudget's blue. Must be dark enough to read." }</p>
                    <input type="text" id="area-embed-primary" class="input-text" value={(*primary).clone()} onchange={setter(&primary)}
                        aria-describedby="area-embed-primary-hint" autocomplete="off" spellcheck="false" />
                </div>
                <div class="field">
                    <label for="area-embed-id">{ "Frame name" }</label>
                    <p class="hint" id="area-embed-id-hint">{ "Letters, digits, hyphens; different for each OneBudget frame on one page." }</p>
                    <input type="text" id="area-embed-id" class="input-text" value={(*frame_id).clone()} onchange={setter(&frame_id)}
                        aria-describedby="area-embed-id-hint" autocomplete="off" spellcheck="false" />
                </div>
                <div class="field">
                    <label for="area-embed-height">{ "Height before the script sets it (pixels)" }</label>
                    <input type="text" id="area-embed-height" class="input-number" inputmode="numeric" value={(*height).clone()} onchange={setter(&height)} autocomplete="off" />
                </div>
            </div>
            if !options.notes.is_empty() {
                <div class="notice notice-warning" role="status">
                    <ul>{ for options.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                </div>
            }
            <h3 id="area-embed-iframe-label">{ "1. The frame" }</h3>
            <pre class="embed-code" tabindex="0" aria-labelledby="area-embed-iframe-label"><code data-testid="area-embed-snippet">{ &code.iframe }</code></pre>
            <button type="button" class="button-secondary" onclick={copy("frame", code.iframe.clone())}>{ "Copy the frame" }</button>
            <h3 id="area-embed-script-label">{ "2. The script (once per page)" }</h3>
            <pre class="embed-code" tabindex="0" aria-labelledby="area-embed-script-label"><code>{ &code.script }</code></pre>
            <button type="button" class="button-secondary" onclick={copy("script", code.script.clone())}>{ "Copy the script" }</button>
            <p role="status" class="hint">{ (*copied).clone().unwrap_or_default() }</p>
        </details>
    }
}
