//! "Find your area": real NHS England figures for every ICB, local authority district and
//! GP practice in England (docs/AREAS.md). A search as you type, then the area's figures:
//! need for care in plain words, where it stands, OneBudget's fair-share estimate, and its
//! trend. Also an embed on one area (`?embed=1&area=CODE`, docs/EMBED.md).
//!
//! Where it is: `?area=CODE&year=2025-26` in the address opens an area (`area_page` reads
//! and writes it); choosing another area pushes a new address, so Back returns to the last.
//! The year's data is fetched only when this view is opened (`ui::area_data`).
//!
//! `AreaView` (the view) and `AreaEmbed` are the only entries; `finder` and `report` are
//! their parts.

mod embed_panel;
pub mod finder;
mod report;

use crate::area_page::{address, parse_address, without_area};
use crate::ui::area_data::{use_year, YearState};
use crate::ui::events;
use onebudget_engine::areas::{self, fair_share, Area, DataYear};
use onebudget_engine::money::Pence;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use embed_panel::AreaEmbedPanel;
use finder::Finder;
use report::AreaReportView;

fn location_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Put `query` (with its `?`, or empty) in the address bar, keeping the fragment.
fn set_query(query: &str, push: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let url = format!("{path}{query}{hash}");
    if let Ok(history) = window.history() {
        let _ = if push {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        } else {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        };
    }
}

/// The code and year the address asks for (the default year if none).
fn asked_for() -> (Option<String>, DataYear) {
    match parse_address(&location_query()) {
        Some(a) => (Some(a.code), a.year.unwrap_or(DataYear::DEFAULT)),
        None => (None, DataYear::DEFAULT),
    }
}

fn focus(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        use wasm_bindgen::JsCast;
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// The year picker: every published year.
fn year_picker(year: DataYear, onchange: Callback<DataYear>) -> Html {
    let onchange = Callback::from(move |e: Event| {
        if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
            if let Some(y) = DataYear::parse(&select.value()) {
                onchange.emit(y);
            }
        }
    });
    html! {
        <div class="field area-year">
            <label for="area-year">{ "Year" }</label>
            <select id="area-year" {onchange} data-testid="area-year">
                { for areas::published::years().map(|y| html! {
                    <option value={y.file_stem()} selected={y == year}>
                        { y.label() }
                        { if y == DataYear::DEFAULT { " (this year)" } else { "" } }
                    </option>
                }) }
            </select>
        </div>
    }
}

/// The attribution NHS England's licence asks for, on every area view.
pub fn attribution() -> Html {
    html! {
        <p class="attribution" data-testid="attribution">{ areas::ATTRIBUTION }</p>
    }
}

/// The year's data loading, or why it could not be had, with "Try again".
fn loading_state(state: &YearState, year: DataYear, retry: Callback<()>) -> Html {
    match state {
        YearState::Loading => html! {
            <p class="opening" role="status" data-testid="area-loading">
                { format!("Downloading the figures for {} (about 150 KB)…", year.label()) }
            </p>
        },
        YearState::Failed(message) => html! {
            <div class="notice notice-error" role="alert" data-testid="area-failed">
                <p>{ message }</p>
                <button type="button" class="button-secondary" onclick={retry.reform(|_| ())}>{ "Try again" }</button>
            </div>
        },
        YearState::Ready(_) => html! {},
    }
}

/// The view: the finder, and the chosen area's figures.
#[component]
pub fn AreaView() -> Html {
    let asked = use_memo((), |_| asked_for());
    let code = use_state(|| asked.0.clone());
    let year = use_state(|| asked.1);
    let total = use_state(|| fair_share::CORE_SERVICES_2024_25);
    let (state, retry) = use_year(*year);

    // Back and Forward between areas; leaving the view takes the area out of the address.
    {
        let code = code.clone();
        let year = year.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || {
                let (c, y) = asked_for();
                code.set(c);
                year.set(y);
            });
            let stop = events::listen(web_sys::window(), "popstate", listener);
            move || {
                stop();
                let rest = without_area(&location_query());
                if rest != location_query() {
                    set_query(&rest, false);
                }
            }
        });
    }
    let choose = {
        let code = code.clone();
        let year = year.clone();
        Callback::from(move |chosen: String| {
            set_query(&address(&chosen, *year), true);
            code.set(Some(chosen));
            // Once drawn, the keyboard and screen readers go to the area's name.
            gloo_focus("area-heading");
        })
    };
    let on_year = {
        let year = year.clone();
        let code = code.clone();
        Callback::from(move |y: DataYear| {
            if let Some(c) = &*code {
                set_query(&address(c, y), false);
            }
            year.set(y);
        })
    };
    let on_total = {
        let total = total.clone();
        Callback::from(move |t: Pence| total.set(t))
    };
    let ready = match &state {
        YearState::Ready(data) => Some(data.clone()),
        _ => None,
    };
    let area: Option<Area> = ready
        .as_ref()
        .zip(code.as_deref())
        .and_then(|(d, c)| d.data.find_code(c));
    html! {
        <div class="area-view" data-testid="area-view">
            <h1>{ "Find your area" }</h1>
            <p class="lede">
                { "What the NHS formula says people need where you live, for every integrated care board (ICB), local authority district and GP practice in England." }
            </p>
            <p class="tag tag-real">{ "Real figures: NHS England data" }</p>
            <div class="area-controls">
                { year_picker(*year, on_year) }
            </div>
            { loading_state(&state, *year, retry) }
            if let Some(data) = &ready {
                <Finder data={data.clone()} year={*year} onselect={choose.clone()} />
            }
            if let (Some(data), Some(area)) = (&ready, area) {
                <AreaReportView data={data.clone()} {area} total={*total} ontotal={on_total}
                    onopen={choose.clone()} embedded=false />
                <AreaEmbedPanel code={data.data.code(area).to_string()} name={data.data.name(area).to_string()} year={*year} />
            } else if let (Some(_), Some(c)) = (&ready, code.as_deref()) {
                <div class="notice notice-warning" role="status" data-testid="area-missing">
                    <p>{ format!("There is no ICB, district or GP practice with the code {c} in the {} figures. {}",
                        year.label(),
                        if *year >= DataYear::AFTER_MERGERS {
                            "From April 2026, 42 ICBs became 36: try an earlier year, or search for the area by name."
                        } else {
                            "Search for it by name below, or try another year."
                        }) }</p>
                </div>
            }
            { attribution() }
        </div>
    }
}

/// Focus an element once the next drawing is on the page.
fn gloo_focus(id: &'static str) {
    wasm_bindgen_futures::spawn_local(async move {
        // After Yew's render of this change (it runs before the next task).
        let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(
            &wasm_bindgen::JsValue::NULL,
        ))
        .await;
        let window = web_sys::window();
        if let Some(w) = window {
            let f = Closure::once_into_js(move || focus(id));
            let _ = w.request_animation_frame(f.unchecked_ref());
        }
    });
}

use wasm_bindgen::JsCast;

/// An embed on one area (`?embed=1&area=CODE&year=2025-26`): its figures, locked, with no
/// finder; the year from the address.
#[component]
pub fn AreaEmbed() -> Html {
    let asked = use_memo((), |_| asked_for());
    let code = asked.0.clone().unwrap_or_default();
    let year = asked.1;
    let (state, retry) = use_year(year);
    let ready = match &state {
        YearState::Ready(data) => Some(data.clone()),
        _ => None,
    };
    let area = ready.as_ref().and_then(|d| d.data.find_code(&code));
    let full = format!(
        "{}{}",
        crate::embed::app_base(
            &web_sys::window()
                .and_then(|w| w.location().href().ok())
                .unwrap_or_default()
        ),
        address(&code, year)
    );
    html! {
        <div class="area-view area-embed" data-testid="area-embed">
            <p class="tag tag-real">{ format!("Real figures: NHS England data, {}", year.label()) }</p>
            { loading_state(&state, year, retry) }
            if let (Some(data), Some(area)) = (&ready, area) {
                <AreaReportView data={data.clone()} {area} total={fair_share::CORE_SERVICES_2024_25}
                    ontotal={Callback::noop()} onopen={Callback::noop()} embedded=true />
            } else if ready.is_some() {
                <div class="notice notice-warning" role="status" data-testid="area-missing">
                    <p>{ format!("There is no ICB, district or GP practice with the code {} in the {} figures.", code, year.label()) }</p>
                </div>
            }
            { attribution() }
            <p class="embed-area-link">
                <a href={full} target="_blank" rel="noopener noreferrer">
                    { "See this area in OneBudget" }
                    <span class="visually-hidden">{ " (opens in a new tab)" }</span>
                </a>
            </p>
        </div>
    }
}
