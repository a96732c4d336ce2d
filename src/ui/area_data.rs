//! One year of real areas (docs/AREAS.md), fetched only when a visitor asks for it: the
//! year's asset fetched with its Subresource Integrity string (`fetch(path, {integrity})`,
//! so the browser refuses a file that is not the one published), decoded by the engine
//! (its content hash checked again, and against the published list), its search index
//! built, and kept for the session. Every part of the app that needs a year's data asks
//! here ([`use_year`], [`request`]): one fetch per year, however many ask at once.
//!
//! The time each decode and index build took is left as a `performance.measure`
//! (`onebudget:areas-decode`, `onebudget:areas-index`; the finder leaves
//! `onebudget:area-search`, key press to results drawn) for benches/areas_app.sh to read.

use onebudget_engine::areas::published;
use onebudget_engine::areas::search::SearchIndex;
use onebudget_engine::areas::{decode, DataYear, Dataset};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// A year's data, decoded, with its search index.
pub struct YearData {
    pub data: Dataset,
    pub index: SearchIndex,
}

/// A year's data as a view sees it.
#[derive(Clone)]
pub enum YearState {
    Loading,
    Ready(Rc<YearData>),
    /// What went wrong, in plain words (the view offers "Try again").
    Failed(String),
}

impl PartialEq for YearState {
    fn eq(&self, other: &YearState) -> bool {
        match (self, other) {
            (YearState::Loading, YearState::Loading) => true,
            (YearState::Ready(a), YearState::Ready(b)) => Rc::ptr_eq(a, b),
            (YearState::Failed(a), YearState::Failed(b)) => a == b,
            _ => false,
        }
    }
}

type Waiter = Box<dyn FnOnce(Result<Rc<YearData>, String>)>;

thread_local! {
    /// Every year decoded this session.
    static CACHE: RefCell<HashMap<DataYear, Rc<YearData>>> = RefCell::new(HashMap::new());
    /// The years being fetched, each with whoever is waiting for it.
    static PENDING: RefCell<HashMap<DataYear, Vec<Waiter>>> = RefCell::new(HashMap::new());
}

/// A year's data if it is already here.
pub fn cached(year: DataYear) -> Option<Rc<YearData>> {
    CACHE.with(|c| c.borrow().get(&year).cloned())
}

/// Ask for a year's data: `done` is called with it (at once if it is here), or with what
/// went wrong. A failure is not kept, so asking again fetches again.
pub fn request(year: DataYear, done: impl FnOnce(Result<Rc<YearData>, String>) + 'static) {
    if let Some(data) = cached(year) {
        done(Ok(data));
        return;
    }
    let first = PENDING.with(|p| {
        let mut p = p.borrow_mut();
        let waiting = p.entry(year).or_default();
        waiting.push(Box::new(done));
        waiting.len() == 1
    });
    if !first {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let result = fetch_year(year).await.map(Rc::new);
        if let Ok(data) = &result {
            CACHE.with(|c| c.borrow_mut().insert(year, data.clone()));
        }
        let waiting = PENDING.with(|p| p.borrow_mut().remove(&year).unwrap_or_default());
        for done in waiting {
            done(result.clone());
        }
    });
}

/// The message for a year that could not be had.
fn unavailable(year: DataYear) -> String {
    format!(
        "The figures for {} could not be downloaded. Check your connection and try again.",
        year.label()
    )
}

async fn fetch_year(year: DataYear) -> Result<YearData, String> {
    let file = published::file(year).ok_or_else(|| {
        format!(
            "OneBudget does not have the figures for {} yet.",
            year.label()
        )
    })?;
    let window = web_sys::window().ok_or_else(|| unavailable(year))?;
    let init = web_sys::RequestInit::new();
    init.set_integrity(file.integrity);
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(file.path, &init))
            .await
            // A network failure, or a file whose SHA-384 is not the published one.
            .map_err(|_| unavailable(year))?
            .unchecked_into();
    if !response.ok() {
        return Err(unavailable(year));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|_| unavailable(year))?)
        .await
        .map_err(|_| unavailable(year))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let damaged = || {
        format!(
            "The figures for {} arrived damaged, so they are not shown. Try again.",
            year.label()
        )
    };
    mark("onebudget:areas-decode-start");
    let data = decode(&bytes).map_err(|_| damaged())?;
    mark("onebudget:areas-decode-end");
    if data.content_hash() != file.content_hash || data.year() != year {
        return Err(damaged());
    }
    let index = SearchIndex::new(&data);
    mark("onebudget:areas-index-end");
    measure(
        "onebudget:areas-decode",
        "onebudget:areas-decode-start",
        "onebudget:areas-decode-end",
    );
    measure(
        "onebudget:areas-index",
        "onebudget:areas-decode-end",
        "onebudget:areas-index-end",
    );
    Ok(YearData { data, index })
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// Leave a `performance.mark` (benches/areas_app.js reads the measures).
pub fn mark(name: &str) {
    if let Some(p) = performance() {
        let _ = p.mark(name);
    }
}

/// A `performance.measure` from the mark `start` to now.
pub fn measure_since(name: &str, start: &str) {
    if let Some(p) = performance() {
        let _ = p.measure_with_start_mark(name, start);
    }
}

fn measure(name: &str, start: &str, end: &str) {
    if let Some(p) = performance() {
        let _ = p.measure_with_start_mark_and_end_mark(name, start, end);
    }
}

/// A year's data for a component: loading, ready or failed, and "Try again". The fetch
/// starts when the component first asks (never before), and again when the year changes.
#[hook]
pub fn use_year(year: DataYear) -> (YearState, Callback<()>) {
    let state = use_state(|| match cached(year) {
        Some(data) => YearState::Ready(data),
        None => YearState::Loading,
    });
    let attempt = use_state(|| 0u32);
    {
        let state = state.clone();
        use_effect_with((year, *attempt), move |&(year, _)| {
            match cached(year) {
                Some(data) => state.set(YearState::Ready(data)),
                None => {
                    state.set(YearState::Loading);
                    request(year, move |result| {
                        state.set(match result {
                            Ok(data) => YearState::Ready(data),
                            Err(message) => YearState::Failed(message),
                        })
                    });
                }
            }
            || ()
        });
    }
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };
    // The state set for another year is not shown while this one loads.
    let shown = match &*state {
        YearState::Ready(data) if data.data.year() != year => YearState::Loading,
        other => other.clone(),
    };
    (shown, retry)
}
