//! The full app, fetched the first time a visitor opens anything beyond the Summary.
//!
//! The page first loads the public build (`onebudget-web`: the Summary, the glossary,
//! embeds), about 60 % of the full app's size. Opening the editor, the comparison, the
//! board pack or a presentation fetches the full build (`onebudget-web-full`), hands it
//! the state as it is (the draft as typed, its undo history, the view asked for, any
//! notice), ends the public app and lets the full one take the page. docs/SIZE.md says
//! why; ARCHITECTURE.md where this sits.
//!
//! - Where the files are: a `<meta name="onebudget-full-app">` that the build writes
//!   (`scripts/externalise_boot.py`) with each file's name and its Subresource Integrity
//!   hash. The script is added as a `<script integrity>` and the wasm fetched with
//!   `integrity`, so the browser checks both, as it checks the first load's.
//! - The full build's JavaScript is wasm-bindgen's `--target no-modules` glue (Trunk's
//!   `data-type="worker"` output): a classic script that declares the global
//!   `wasm_bindgen`, which starts it. A classic script takes `integrity`; a dynamic
//!   `import()` could not.
//! - Nothing is lost in between: every network step happens before the public app ends,
//!   and a failure leaves it running with a message and "Try again".

use crate::draft::Draft;
use crate::ui::state::{use_store, Action, AppState, Notice, Store, View};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// The name of the `<meta>` that says where the full build's files are.
pub const META: &str = "onebudget-full-app";

/// The window property the public app leaves the state in for the full one.
const HANDOFF: &str = "onebudgetHandoff";

#[wasm_bindgen]
extern "C" {
    /// The full build's synchronous start (`wasm_bindgen.initSync`), once its script has
    /// run: instantiates the compiled module and runs its `main`.
    #[wasm_bindgen(catch, js_namespace = wasm_bindgen, js_name = initSync)]
    fn start_full_build_now(options: &JsValue) -> Result<JsValue, JsValue>;
}

/// The full build's files, as the `<meta>` names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Files {
    pub js: String,
    pub js_integrity: String,
    pub wasm: String,
    pub wasm_integrity: String,
    /// The full app's own stylesheet (`static/onebudget-web-full.css`) and its hash.
    pub css: Option<(String, String)>,
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Where the full build's files are, from the page's `<meta>`.
pub fn files() -> Result<Files, String> {
    let meta = document()
        .and_then(|d| {
            d.query_selector(&format!("meta[name='{META}']"))
                .ok()
                .flatten()
        })
        .ok_or("this page does not say where the rest of OneBudget is")?;
    let attr = |name: &str| {
        meta.get_attribute(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("this page's {META} has no {name}"))
    };
    Ok(Files {
        js: attr("content")?,
        js_integrity: attr("data-integrity")?,
        wasm: attr("data-wasm")?,
        wasm_integrity: attr("data-wasm-integrity")?,
        css: attr("data-css").ok().zip(attr("data-css-integrity").ok()),
    })
}

/// What the public app hands the full one: the state as it is.
#[derive(Serialize, Deserialize)]
struct Handoff {
    draft: Value,
    undo: Vec<Value>,
    view: View,
    glossary_open: bool,
    notice: Option<Notice>,
    storage_available: bool,
    autosave: bool,
    focus: Focus,
    /// How far the page was scrolled (kept where nothing is to be focused).
    scroll_y: f64,
}

impl Handoff {
    fn of(state: &AppState, focus: Focus) -> Handoff {
        Handoff {
            draft: state.draft.value().clone(),
            undo: state.draft.undo_history().to_vec(),
            view: state.view,
            glossary_open: state.glossary_open,
            notice: state.notice.clone(),
            storage_available: state.storage_available,
            autosave: state.autosave,
            focus,
            scroll_y: web_sys::window()
                .and_then(|w| w.scroll_y().ok())
                .unwrap_or(0.0),
        }
    }

    fn into_state(self, default: Draft) -> AppState {
        AFTER.with(|a| *a.borrow_mut() = Some((self.focus, self.scroll_y)));
        AppState {
            view: self.view,
            glossary_open: self.glossary_open,
            notice: self.notice,
            storage_available: self.storage_available,
            autosave: self.autosave,
            ..AppState::new(Draft::restore(self.draft, self.undo, default))
        }
    }
}

thread_local! {
    /// Where the focus goes, and where the page was scrolled to, once a full app that
    /// was handed over has drawn.
    static AFTER: std::cell::RefCell<Option<(Focus, f64)>> = const { std::cell::RefCell::new(None) };
}

/// Leave `state` for the full app to take ([`take_handoff`]); false if it could not be.
pub fn offer(state: &AppState, focus: Focus) -> bool {
    let Ok(text) = serde_json::to_string(&Handoff::of(state, focus)) else {
        return false;
    };
    web_sys::window().is_some_and(|window| {
        js_sys::Reflect::set(
            &window,
            &JsValue::from_str(HANDOFF),
            &JsValue::from_str(&text),
        )
        .unwrap_or(false)
    })
}

/// The state the public app handed over, if it did (taken: a reload starts afresh).
/// `default` is the draft to fall back on, as for saved work.
pub fn take_handoff(default: impl FnOnce() -> Draft) -> Option<AppState> {
    let window = web_sys::window()?;
    let key = JsValue::from_str(HANDOFF);
    let text = js_sys::Reflect::get(&window, &key).ok()?.as_string()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    let handoff: Handoff = serde_json::from_str(&text).ok()?;
    Some(handoff.into_state(default()))
}

/// After the first drawing of an app that was handed over: put the focus where the
/// visitor's action had it ([`Focus`]), or else the page back where it was scrolled to.
/// Deferred until Yew's current round of drawing has finished (a future spawned now runs
/// after it): the charts are drawn once measured, and the page is only its full height once
/// they are. Not a timer: browsers slow timers down in background tabs.
pub fn focus_after_handoff() {
    let Some((focus, scroll_y)) = AFTER.with(|a| a.borrow_mut().take()) else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let (Some(window), Some(document)) = (web_sys::window(), document()) else {
            return;
        };
        let target = match focus {
            Focus::Leave => {
                window.scroll_to_with_x_and_y(0.0, scroll_y);
                return;
            }
            Focus::CurrentTab => document
                .query_selector(".tabs [aria-current='page']")
                .ok()
                .flatten(),
            Focus::Element(id) => document.get_element_by_id(&id).map(|element| {
                // A <details> is opened and its summary takes the focus.
                if element.tag_name().eq_ignore_ascii_case("details") {
                    let _ = element.set_attribute("open", "");
                    if let Ok(Some(summary)) = element.query_selector("summary") {
                        return summary;
                    }
                }
                element
            }),
        };
        if let Some(target) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = target.focus();
        }
    });
}

/// A promise of `target`'s `load` (made now, so an early event is not missed).
fn on_load(target: &web_sys::EventTarget) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        let _ = target.add_event_listener_with_callback("load", &resolve);
        let _ = target.add_event_listener_with_callback("error", &reject);
    })
}

/// Add `<tag>` (the full app's script or stylesheet) to the head, once, with its
/// integrity: the browser checks it. `None` if a try that failed later already added it.
/// A failed element is removed, so "Try again" adds it afresh.
fn attach(
    tag: &str,
    url_attribute: &str,
    url: &str,
    integrity: &str,
) -> Result<Option<(web_sys::Element, js_sys::Promise)>, String> {
    let document = document().ok_or("no document")?;
    let selector = format!("{tag}[data-onebudget='{META}']");
    if document.query_selector(&selector).ok().flatten().is_some() {
        return Ok(None);
    }
    let element = document.create_element(tag).map_err(|_| "no element")?;
    for (name, value) in [
        (url_attribute, url),
        ("integrity", integrity),
        ("crossorigin", "anonymous"),
        ("data-onebudget", META),
    ] {
        let _ = element.set_attribute(name, value);
    }
    if tag == "link" {
        let _ = element.set_attribute("rel", "stylesheet");
    }
    let loaded = on_load(&element);
    document
        .head()
        .ok_or("no head")?
        .append_child(&element)
        .map_err(|_| format!("{url} could not be added"))?;
    Ok(Some((element, loaded)))
}

/// Wait for an element [`attach`] added.
async fn wait(
    attached: Option<(web_sys::Element, js_sys::Promise)>,
    url: &str,
) -> Result<(), String> {
    let Some((element, loaded)) = attached else {
        return Ok(());
    };
    JsFuture::from(loaded).await.map(|_| ()).map_err(|_| {
        element.remove();
        format!("{url} could not be loaded")
    })
}

/// Fetch the full build's stylesheet, script and wasm together; run the script and
/// compile the wasm.
async fn fetch_and_compile() -> Result<js_sys::WebAssembly::Module, String> {
    let files = files()?;
    let css = match &files.css {
        Some((href, integrity)) => Some((href, attach("link", "href", href, integrity)?)),
        None => None,
    };
    let script = attach("script", "src", &files.js, &files.js_integrity)?;
    let wasm = fetch_wasm(&files)?;
    if let Some((href, attached)) = css {
        wait(attached, href).await?;
    }
    wait(script, &files.js).await?;
    compile_wasm(&files, wasm).await
}

/// Start fetching the full build's wasm (its integrity checked by the browser).
fn fetch_wasm(files: &Files) -> Result<js_sys::Promise, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    init.set_integrity(&files.wasm_integrity);
    Ok(window.fetch_with_str_and_init(&files.wasm, &init))
}

/// Compile the full build's wasm once fetched.
/// `fetched` is the fetch [`fetch_wasm`] started.
async fn compile_wasm(
    files: &Files,
    fetched: js_sys::Promise,
) -> Result<js_sys::WebAssembly::Module, String> {
    let unreadable = || format!("{} could not be loaded", files.wasm);
    let response: web_sys::Response = JsFuture::from(fetched)
        .await
        .map_err(|_| unreadable())?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("{} ({})", unreadable(), response.status()));
    }
    // Bytes, not compileStreaming: a host serving .wasm with another MIME type still works.
    let bytes = JsFuture::from(response.array_buffer().map_err(|_| unreadable())?)
        .await
        .map_err(|_| unreadable())?;
    let module = JsFuture::from(js_sys::WebAssembly::compile(&bytes))
        .await
        .map_err(|_| {
            format!(
                "{} is not a WebAssembly module this browser can run",
                files.wasm
            )
        })?;
    Ok(module.unchecked_into())
}

/// What to put the keyboard focus on once the full app has the page (its elements
/// replace the public app's, so whatever had the focus is gone).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Focus {
    /// Leave it (a part that loaded by itself: taking the focus would lose the reader).
    #[default]
    Leave,
    /// The current view's tab, as the visitor's click on it had it.
    CurrentTab,
    /// The element with this id (a `<details>` is opened), as the visitor asked for it.
    Element(String),
}

thread_local! {
    /// Ends the running app (its effects cleaned up, its elements removed): the public
    /// build calls it just before the full app takes over the page.
    static END_THIS_APP: std::cell::RefCell<Option<Box<dyn FnOnce()>>> = const { std::cell::RefCell::new(None) };
}

/// Say how to end the running app (`ui::start` does, once it is mounted).
pub fn on_hand_over_end_with(end: impl FnOnce() + 'static) {
    END_THIS_APP.with(|e| *e.borrow_mut() = Some(Box::new(end)));
}

/// End the running app, if one is running.
fn end_this_app() {
    if let Some(end) = END_THIS_APP.with(|e| e.borrow_mut().take()) {
        end();
    }
}

thread_local! {
    /// The one fetch of the full build, shared by every [`Opening`] on the page.
    static LOADER: std::cell::RefCell<Loader> = std::cell::RefCell::new(Loader::default());
}

#[derive(Default)]
struct Loader {
    fetching: bool,
    module: Option<js_sys::WebAssembly::Module>,
    /// The [`Opening`]s on the page, each with how to tell it the fetch failed.
    waiting: Vec<(u32, Callback<String>)>,
    next_id: u32,
    /// The store of the app that is waiting: read when handing over, so the full app gets
    /// the state as it is then (the visitor may pick another view, or dismiss a notice,
    /// while the files arrive). A handle reads the reducer's latest state.
    store: Option<Store>,
    focus: Focus,
}

/// Fetch and compile the full build unless that is done or under way; hand over once
/// it is there and an [`Opening`] still wants it.
fn ensure_loading() {
    let ready = LOADER.with(|l| {
        let mut l = l.borrow_mut();
        if l.module.is_some() {
            return true;
        }
        if !l.fetching {
            l.fetching = true;
            wasm_bindgen_futures::spawn_local(async {
                let fetched = fetch_and_compile().await;
                let failed: Vec<Callback<String>> = LOADER.with(|l| {
                    let mut l = l.borrow_mut();
                    l.fetching = false;
                    match &fetched {
                        Ok(module) => {
                            l.module = Some(module.clone());
                            Vec::new()
                        }
                        Err(_) => l.waiting.iter().map(|(_, c)| c.clone()).collect(),
                    }
                });
                match fetched {
                    Ok(_) => hand_over(),
                    Err(reason) => failed.iter().for_each(|c| c.emit(reason.clone())),
                }
            });
        }
        false
    });
    if ready {
        wasm_bindgen_futures::spawn_local(async { hand_over() });
    }
}

/// Hand the state to the full build, end this app and start it, if anything on the
/// page still wants it (the visitor may have gone back to the Summary meanwhile).
fn hand_over() {
    let taken = LOADER.with(|l| {
        let mut l = l.borrow_mut();
        if l.waiting.is_empty() {
            return None;
        }
        let state = l.store.as_ref().map(|store| (**store).clone())?;
        Some((l.module.take()?, state, std::mem::take(&mut l.focus)))
    });
    let Some((module, state, focus)) = taken else {
        return;
    };
    let did_not_start =
        || web_sys::console::error_1(&"OneBudget: the full app did not start".into());
    let options = js_sys::Object::new();
    if !offer(&state, focus)
        || !js_sys::Reflect::set(&options, &JsValue::from_str("module"), &module).unwrap_or(false)
    {
        return did_not_start();
    }
    // One task, no paint in between: this app ends, the full one instantiates at once
    // (the module is compiled) and draws in the same turn.
    end_this_app();
    if start_full_build_now(&options).is_err() {
        did_not_start();
    }
}

/// Shown in place of a part the public build does not have, while the full app loads
/// (which starts as soon as this is on the page). `what` says what is coming.
#[derive(Properties, PartialEq)]
pub struct OpeningProps {
    #[prop_or_default]
    pub what: Option<AttrValue>,
    #[prop_or_default]
    pub focus: Focus,
}

#[component]
pub fn Opening(props: &OpeningProps) -> Html {
    let store = use_store();
    let failure = use_state(|| None::<String>);
    let attempt = use_state(|| 0u32);
    {
        let failure = failure.clone();
        let focus = props.focus.clone();
        let store = store.clone();
        use_effect_with(*attempt, move |_| {
            let id = LOADER.with(|l| {
                let mut l = l.borrow_mut();
                l.store = Some(store);
                l.next_id += 1;
                let id = l.next_id;
                let failed = Callback::from(move |reason| failure.set(Some(reason)));
                l.waiting.push((id, failed));
                if focus != Focus::Leave {
                    l.focus = focus;
                }
                id
            });
            ensure_loading();
            move || LOADER.with(|l| l.borrow_mut().waiting.retain(|(i, _)| *i != id))
        });
    }
    let what = props
        .what
        .clone()
        .unwrap_or_else(|| waiting_for(store.view).into());
    match (*failure).clone() {
        None => html! {
            <p class="opening" role="status" data-testid="opening">{ what }</p>
        },
        Some(reason) => {
            let retry = {
                let failure = failure.clone();
                let attempt = attempt.clone();
                Callback::from(move |_| {
                    failure.set(None);
                    attempt.set(*attempt + 1);
                })
            };
            let back = (store.view != View::Public).then(|| {
                let store = store.clone();
                Callback::from(move |_| store.dispatch(Action::Show(View::Public)))
            });
            html! {
                <div class="notice notice-error" role="alert" data-testid="opening-failed">
                    <p>{ format!("This part of OneBudget could not be opened: {reason}. Your work is kept. Check the connection and try again.") }</p>
                    <button type="button" class="button-secondary" onclick={retry}>{ "Try again" }</button>
                    if let Some(back) = back {
                        <button type="button" class="button-secondary" onclick={back}>{ "Back to the summary" }</button>
                    }
                </div>
            }
        }
    }
}

/// What the visitor is waiting for, in words.
fn waiting_for(view: View) -> &'static str {
    match view {
        View::Edit => "Opening the inputs…",
        View::Compare => "Opening the comparison…",
        View::Pack => "Opening the board pack…",
        View::Present => "Opening the presentation…",
        View::Public => "Loading…",
        View::Area => "Opening “Find your area”…",
    }
}
