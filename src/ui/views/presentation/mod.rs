//! Presentation mode: one idea per screen, large type in a high-contrast theme, full
//! screen where the browser allows it, stepped with the keys a presenter's clicker sends.
//!
//! - Next: → ↓ Page Down, Space; previous: ← ↑ Page Up, Shift+Space; Home and End; the
//!   on-screen Previous and Next buttons. Space and Enter on a focused button press it.
//! - Escape leaves. Where the page is full screen the browser takes Escape to leave full
//!   screen first, so leaving full screen (by any means) leaves presentation mode too:
//!   one key, one meaning.
//! - Each step has a link: `?present=<step id>` in the query (the scenario itself stays
//!   in the `#s2.` fragment), kept up to date with `history.replaceState`. Opening such a
//!   link starts at that step, full-window, with a "Full screen" button: browsers only
//!   go full screen on a click or key press.

mod steps;

pub use steps::{Step, StepData, STEPS};

use crate::ui::charts::{chart_scale, ChartWidth, StageWidth};
use crate::ui::state::{use_store, Action, Store, View};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The query parameter naming the step a link opens on.
pub const PARAM: &str = "present";

#[wasm_bindgen]
extern "C" {
    /// The Fullscreen API's promise-returning methods, which web-sys wraps without
    /// their promises; a refusal must be caught, not left as an unhandled rejection.
    #[wasm_bindgen(extends = js_sys::Object)]
    type FullscreenApi;
    #[wasm_bindgen(catch, method, js_name = requestFullscreen)]
    fn request_fullscreen(this: &FullscreenApi) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, method, js_name = exitFullscreen)]
    fn exit_fullscreen(this: &FullscreenApi) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, getter, js_name = fullscreenElement)]
    fn fullscreen_element(this: &FullscreenApi) -> Option<web_sys::Element>;
    #[wasm_bindgen(method, getter, js_name = fullscreenEnabled)]
    fn fullscreen_enabled(this: &FullscreenApi) -> Option<bool>;
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

fn api(document: &web_sys::Document) -> &FullscreenApi {
    document.unchecked_ref::<FullscreenApi>()
}

/// Whether the page is full screen now.
fn is_full_screen() -> bool {
    document().is_some_and(|d| api(&d).fullscreen_element().is_some())
}

/// Whether this browser (or the iframe it is in) lets the page go full screen.
fn full_screen_allowed() -> bool {
    document().is_some_and(|d| api(&d).fullscreen_enabled().unwrap_or(false))
}

/// Ask for full screen. Must run inside a click or key press; a refusal (an iframe
/// without permission, a headless browser) is ignored: the presentation fills the window.
pub fn enter_full_screen() {
    let Some(root) = document().and_then(|d| d.document_element()) else {
        return;
    };
    if let Ok(promise) = root.unchecked_ref::<FullscreenApi>().request_fullscreen() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

fn leave_full_screen() {
    let Some(document) = document() else { return };
    if api(&document).fullscreen_element().is_none() {
        return;
    }
    if let Ok(promise) = api(&document).exit_fullscreen() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

/// The page's address as a `URL`, to read and set the step parameter.
fn address() -> Option<web_sys::Url> {
    let href = web_sys::window()?.location().href().ok()?;
    web_sys::Url::new(&href).ok()
}

/// The step a link asked for (`?present=…`), if any.
pub fn step_in_address() -> Option<String> {
    address()?.search_params().get(PARAM)
}

/// The view the app opens on: a step link opens presentation mode.
pub fn view_at_start() -> View {
    if step_in_address().is_some() {
        View::Present
    } else {
        View::Public
    }
}

/// Put `step` in the address bar (or take the parameter out), keeping the rest.
fn set_step_in_address(step: Option<&str>) {
    let (Some(url), Some(history)) = (address(), web_sys::window().and_then(|w| w.history().ok()))
    else {
        return;
    };
    match step {
        Some(id) => url.search_params().set(PARAM, id),
        None => url.search_params().delete(PARAM),
    }
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url.href()));
}

/// Start presenting from a click: full screen, then the first step.
pub fn start(store: &Store) {
    enter_full_screen();
    set_step_in_address(None);
    store.dispatch(Action::Show(View::Present));
}

enum Key {
    Next,
    Previous,
    First,
    Last,
    Leave,
}

/// What a key press means here, or `None` to leave it to the browser.
fn key_meaning(event: &web_sys::KeyboardEvent) -> Option<Key> {
    if event.ctrl_key() || event.meta_key() || event.alt_key() || event.default_prevented() {
        return None;
    }
    let target = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let tag = target
        .as_ref()
        .map(|t| t.tag_name().to_ascii_uppercase())
        .unwrap_or_default();
    // Keys for a form field, and Space on something that Space presses, are theirs.
    if matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA") {
        return None;
    }
    let presses = matches!(tag.as_str(), "BUTTON" | "SUMMARY" | "A");
    match event.key().as_str() {
        "ArrowRight" | "ArrowDown" | "PageDown" => Some(Key::Next),
        "ArrowLeft" | "ArrowUp" | "PageUp" => Some(Key::Previous),
        " " | "Spacebar" if !presses => Some(if event.shift_key() {
            Key::Previous
        } else {
            Key::Next
        }),
        "Home" => Some(Key::First),
        "End" => Some(Key::Last),
        "Escape" => Some(Key::Leave),
        _ => None,
    }
}

/// The whole screen while presenting.
#[component]
pub fn Presentation() -> Html {
    let store = use_store();
    let data = use_memo(
        (
            store.draft.scenario().clone(),
            store.draft.results().clone(),
        ),
        |(s, r)| StepData::new(s.clone(), r.clone()),
    );
    let steps = data.steps();
    let count = steps.len().max(1);
    let index = use_state(|| {
        step_in_address()
            .and_then(|id| data.steps().iter().position(|s| s.id == id))
            .unwrap_or(0)
    });
    let at = (*index).min(count - 1);
    let step = steps.get(at).copied().unwrap_or(&STEPS[0]);
    let full_screen = use_state(is_full_screen);
    let heading = use_node_ref();
    let stage = use_node_ref();
    let chart_width = use_state_eq(|| 640.0);
    let stage_width = use_state_eq(|| 0.0);

    let leave = {
        let store = store.clone();
        Callback::from(move |_: ()| {
            leave_full_screen();
            set_step_in_address(None);
            store.dispatch(Action::Show(View::Public));
        })
    };
    let go = {
        let index = index.clone();
        Callback::from(move |to: usize| index.set(to.min(count - 1)))
    };

    // Each step: its link in the address bar, and focus on its heading.
    {
        let heading = heading.clone();
        let id = step.id;
        use_effect_with(id, move |id| {
            set_step_in_address(Some(id));
            if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        });
    }

    // The keys.
    {
        let go = go.clone();
        let leave = leave.clone();
        use_effect_with((at, count), move |&(at, count)| {
            let listener =
                Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                    let Some(key) = key_meaning(&e) else { return };
                    e.prevent_default();
                    match key {
                        Key::Next => go.emit((at + 1).min(count - 1)),
                        Key::Previous => go.emit(at.saturating_sub(1)),
                        Key::First => go.emit(0),
                        Key::Last => go.emit(count - 1),
                        Key::Leave => leave.emit(()),
                    }
                });
            crate::ui::events::listen(document(), "keydown", listener)
        });
    }

    // Full screen coming and going; leaving it leaves the presentation (see above).
    {
        let full_screen = full_screen.clone();
        let leave = leave.clone();
        use_effect_with((), move |_| {
            let was_full = std::rc::Rc::new(std::cell::Cell::new(is_full_screen()));
            let listener = Closure::<dyn Fn()>::new(move || {
                let now = is_full_screen();
                full_screen.set(now);
                if was_full.get() && !now {
                    leave.emit(());
                }
                was_full.set(now);
            });
            crate::ui::events::listen(document(), "fullscreenchange", listener)
        });
    }

    // Charts lay out for the stage's width, scaled (see `chart_scale`).
    {
        let stage = stage.clone();
        let chart_width = chart_width.clone();
        let stage_width = stage_width.clone();
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(el) = stage.cast::<web_sys::Element>() {
                    let width = el.client_width() as f64;
                    if width > 0.0 {
                        stage_width.set(width);
                        chart_width.set((width / chart_scale(width)).round());
                    }
                }
            };
            measure();
            let listener = Closure::<dyn Fn()>::new(measure);
            crate::ui::events::listen(web_sys::window(), "resize", listener)
        });
    }

    let previous = {
        let go = go.clone();
        Callback::from(move |_: MouseEvent| go.emit(at.saturating_sub(1)))
    };
    let next = {
        let go = go.clone();
        Callback::from(move |_: MouseEvent| go.emit((at + 1).min(count - 1)))
    };
    let leave_click = {
        let leave = leave.clone();
        Callback::from(move |_: MouseEvent| leave.emit(()))
    };
    let go_full = Callback::from(|_: MouseEvent| enter_full_screen());

    html! {
        <div class="presentation" data-testid="presentation">
            <header class="present-bar">
                <p class="present-scenario">{ &data.scenario.name }</p>
                <p class="present-position" aria-live="polite" data-testid="present-position">
                    { format!("{} of {} — {}", at + 1, count, step.title) }
                </p>
            </header>
            <main id="main" class="present-stage" ref={stage} data-step={step.id}>
                <h1 class="present-heading" tabindex="-1" ref={heading}>{ step.title }</h1>
                <ContextProvider<StageWidth> context={StageWidth(*stage_width)}>
                    <ContextProvider<ChartWidth> context={ChartWidth(*chart_width)}>
                        { (step.show)(&data) }
                    </ContextProvider<ChartWidth>>
                </ContextProvider<StageWidth>>
            </main>
            <nav class="present-controls" aria-label="Presentation">
                <button type="button" class="present-button" onclick={previous} disabled={at == 0}>
                    <span aria-hidden="true">{ "← " }</span>{ "Previous" }
                </button>
                <button type="button" class="present-button" onclick={next} disabled={at + 1 >= count}>
                    { "Next" }<span aria-hidden="true">{ " →" }</span>
                </button>
                if !*full_screen && full_screen_allowed() {
                    <button type="button" class="present-button present-secondary" onclick={go_full}>{ "Full screen" }</button>
                }
                <button type="button" class="present-button present-secondary" onclick={leave_click}>
                    { "Leave" }<span class="present-key">{ " (Esc)" }</span>
                </button>
            </nav>
        </div>
    }
}
