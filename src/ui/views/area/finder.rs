//! The search: a field, and under it the results as links grouped by kind (ICBs, districts,
//! GP practices), searched as the visitor types; how many were found is said politely.
//! A list of links rather than a combobox: every screen reader and keyboard knows it, and
//! each result is an address (`?area=CODE&year=…`) that opens in a new tab too.
//! Down arrow from the field goes to the first result; Enter in the field opens it.

use crate::area_page::{address, grouped, kind_heading, results_status};
use crate::ui::area_data::{mark, measure_since, YearData};
use onebudget_engine::areas::{Area, DataYear};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The most results shown at once.
pub const SHOWN: usize = 20;

#[derive(Properties)]
pub struct FinderProps {
    pub data: Rc<YearData>,
    pub year: DataYear,
    /// Hears the code of the area chosen.
    pub onselect: Callback<String>,
}

impl PartialEq for FinderProps {
    fn eq(&self, other: &FinderProps) -> bool {
        Rc::ptr_eq(&self.data, &other.data)
            && self.year == other.year
            && self.onselect == other.onselect
    }
}

/// What a result says beside its name: its code, and a practice's postcode (each kept
/// whole; they may wrap apart on a narrow screen).
fn detail(data: &YearData, area: Area) -> Html {
    let d = &data.data;
    let code = html! { <span class="nowrap">{ d.code(area) }</span> };
    match area {
        Area::Practice(i) => match d.practice(i) {
            Some(p) => html! { <>{ code }{ " · " }<span class="nowrap">{ &p.postcode }</span></> },
            None => code,
        },
        _ => code,
    }
}

#[component]
pub fn Finder(props: &FinderProps) -> Html {
    let query = use_state(String::new);
    let list = use_node_ref();
    let data = props.data.clone();
    let found = {
        let data = data.clone();
        use_memo(((*query).clone(), props.year), move |(q, _)| {
            mark("onebudget:area-search-start");
            let found = data.index.search(q, SHOWN);
            measure_since(
                "onebudget:area-search-engine",
                "onebudget:area-search-start",
            );
            found
        })
    };
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                mark("onebudget:area-search-input");
                query.set(input.value());
            }
        })
    };
    let select = {
        let onselect = props.onselect.clone();
        let query = query.clone();
        move |code: String| {
            query.set(String::new());
            onselect.emit(code);
        }
    };
    let onkeydown = {
        let list = list.clone();
        let found = found.clone();
        let data = data.clone();
        let select = select.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" => {
                if let Some(first) = list
                    .cast::<web_sys::Element>()
                    .and_then(|l| l.query_selector("a").ok().flatten())
                    .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    e.prevent_default();
                    let _ = first.focus();
                }
            }
            "Enter" => {
                let first = grouped(&found.hits)
                    .into_iter()
                    .next()
                    .and_then(|(_, areas)| areas.first().copied());
                if let Some(area) = first {
                    e.prevent_default();
                    select(data.data.code(area).to_string());
                }
            }
            _ => {}
        })
    };
    // Drawn: how long since the key press (benches/areas_app.js).
    use_effect_with((*query).clone(), |q| {
        if !q.is_empty() {
            measure_since("onebudget:area-search", "onebudget:area-search-input");
        }
    });
    let status = results_status(&query, found.total, found.hits.len());
    let groups = grouped(&found.hits);
    let year = props.year;
    html! {
        <div role="search" class="finder" aria-label="Find an area">
            <label for="area-search" class="finder-label">{ "Search by GP practice, postcode, town, council or ICB" }</label>
            <p class="hint" id="area-search-hint">{ "For example: a practice's name, “TS18 1HU”, “Leeds” or “Devon”." }</p>
            <input id="area-search" type="search" class="finder-input" autocomplete="off" spellcheck="false"
                aria-describedby="area-search-hint" value={(*query).clone()} {oninput} {onkeydown}
                data-testid="area-search" />
            <p class="finder-status" role="status" aria-live="polite" data-testid="area-status">{ status }</p>
            <div class="finder-results" ref={list} data-testid="area-results">
                { for groups.into_iter().map(|(kind, areas)| {
                    let heading_id = format!("results-{kind:?}").to_lowercase();
                    html! {
                        <section class="finder-group" aria-labelledby={heading_id.clone()}>
                            <h2 class="finder-group-heading" id={heading_id}>{ kind_heading(kind) }</h2>
                            <ul class="finder-list">
                                { for areas.into_iter().map(|area| {
                                    let code = data.data.code(area).to_string();
                                    let onclick = {
                                        let select = select.clone();
                                        let code = code.clone();
                                        Callback::from(move |e: MouseEvent| {
                                            // A new tab or window keeps its own way.
                                            if e.ctrl_key() || e.meta_key() || e.shift_key() || e.button() != 0 {
                                                return;
                                            }
                                            e.prevent_default();
                                            select(code.clone());
                                        })
                                    };
                                    html! {
                                        <li>
                                            <a href={address(&code, year)} {onclick} class="finder-result">
                                                <span class="finder-name">{ data.data.name(area) }</span>
                                                <span class="finder-detail">{ detail(&data, area) }</span>
                                            </a>
                                        </li>
                                    }
                                }) }
                            </ul>
                        </section>
                    }
                }) }
            </div>
        </div>
    }
}
