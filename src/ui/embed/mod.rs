//! Embed mode: the public view alone, for a council's page (`?embed=1`, see
//! `crate::embed` for the settings and docs/EMBED.md for hosts).
//!
//! No masthead, editor or file tools; only the inputs the council exposed; the theme
//! set as CSS custom properties through the CSSOM (the Content-Security-Policy forbids
//! style attributes); the page's height posted to the host page as it changes; and
//! nothing stored unless the visitor presses "Save my changes in this browser".

pub mod panel;

pub use panel::EmbedPanel;

use super::components::{notice_banner, FieldKind};
use super::lazy::{Lazy, Part};
use super::state::{default_draft, use_store, Action, AppState, Notice};
use super::views::field::Field;
use super::views::public::PublicView;
use crate::draft::Draft;
use crate::embed::{exposed_input, theme_properties, EmbedOptions, RESIZE_MESSAGE, RESIZE_VERSION};
use onebudget_engine::inputs::Unit;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Present (in context) only in embed mode.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedContext {
    pub options: Rc<EmbedOptions>,
    /// The `s2.…` link the embed was opened with, if any: the scenario as the council
    /// set it, and the key its saved changes are kept under.
    pub link: Option<String>,
    /// The embed shows one real area (`?area=CODE`, `views::area::AreaEmbed`), not a scenario.
    pub area: bool,
}

/// The embed settings in this page's address, if it asks for embed mode.
pub fn context_from_location() -> Option<EmbedContext> {
    let location = web_sys::window()?.location();
    let options = crate::embed::parse_query(&location.search().ok()?)?;
    // The fragment stays in the address (unlike the full app, which removes it), so
    // reloading the frame shows the council's scenario again: an embed keeps no work.
    let link = location
        .hash()
        .ok()
        .map(|h| h.trim_start_matches('#').to_string())
        .filter(|f| f.starts_with('s') && f.len() >= 3);
    let area = crate::area_page::asks_for_area(&location.search().ok()?);
    Some(EmbedContext {
        options: Rc::new(options),
        link,
        area,
    })
}

/// Where an embed starts: the linked scenario, or the visitor's saved changes to that
/// same scenario if they saved some. Nothing is written, and storage is not probed.
pub fn initial_state(context: &EmbedContext) -> AppState {
    let default = default_draft();
    let mut draft = default.clone();
    let mut notice = None;
    if let Some(fragment) = &context.link {
        match onebudget_engine::link::decode(fragment) {
            Ok(scenario) => {
                // A fresh draft, so Undo cannot go back past the council's scenario.
                let value = serde_json::to_value(&scenario).ok();
                draft = Draft::from_valid(scenario).unwrap_or_else(|| {
                    let mut d = default.clone();
                    if let Some(value) = value {
                        d.load(value);
                    }
                    d
                });
            }
            Err(problems) => {
                notice = Some(Notice::error(
                    "This embedded scenario's link could not be read, so an example scenario is shown.",
                    problems,
                ));
            }
        }
    }
    if context.options.exposes_inputs() {
        if let Some(saved) = saved::load(context.link.as_deref().unwrap_or("")) {
            draft = Draft::restore(saved.draft, saved.undo, draft);
            notice = Some(Notice::success(
                "Your saved changes to this scenario are shown.",
            ));
        }
    }
    // Storage is not probed (a probe writes): saving says so if the browser refuses.
    AppState {
        notice,
        autosave: false,
        ..AppState::new(draft)
    }
}

/// Set the theme's custom properties on the root element, through the CSSOM.
fn apply_theme(options: &EmbedOptions) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = root.class_list().add_1("onebudget-embed");
    if let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() {
        let style = root.style();
        for (property, value) in theme_properties(options) {
            let _ = style.set_property(property, &value);
        }
    }
}

/// Post the embed's height to the host page whenever it changes. Only this message uses
/// the target origin `*`: it carries a height and the frame's id, nothing else.
fn observe_height(element: web_sys::Element, frame_id: Option<String>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    // Not framed: nobody to tell.
    if js_sys::Object::is(&parent, &window) {
        return;
    }
    let last = Rc::new(std::cell::Cell::new(-1.0_f64));
    let measured = element.clone();
    let post = Closure::<dyn FnMut()>::new(move || {
        let height = measured.get_bounding_client_rect().height().ceil();
        if !height.is_finite() || height == last.get() {
            return;
        }
        last.set(height);
        let message = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| {
            let _ = js_sys::Reflect::set(&message, &JsValue::from_str(k), v);
        };
        set("type", &JsValue::from_str(RESIZE_MESSAGE));
        set("version", &JsValue::from(RESIZE_VERSION));
        set(
            "id",
            &frame_id
                .as_deref()
                .map(JsValue::from_str)
                .unwrap_or(JsValue::NULL),
        );
        set("height", &JsValue::from_f64(height));
        let _ = parent.post_message(&message, "*");
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(post.as_ref().unchecked_ref()) {
        observer.observe(&element);
    }
    // The observer lives as long as the page.
    post.forget();
}

#[derive(Properties, PartialEq)]
pub struct EmbedPageProps {
    pub context: EmbedContext,
}

/// The whole page in embed mode.
#[component]
pub fn EmbedPage(props: &EmbedPageProps) -> Html {
    let store = use_store();
    let area = props.context.area;
    let root = use_node_ref();
    {
        let root = root.clone();
        let options = props.context.options.clone();
        use_effect_with((), move |_| {
            apply_theme(&options);
            if let Some(element) = root.cast::<web_sys::Element>() {
                observe_height(element, options.frame_id.clone());
            }
        });
    }
    let full_app = super::share::link_to(store.draft.scenario()).map(|link| {
        // The full app, at the same address without the embed settings.
        match link.split_once('#') {
            Some((address, fragment)) => format!("{}#{fragment}", crate::embed::app_base(address)),
            None => link,
        }
    });
    let notes = &props.context.options.notes;
    // The inputs are the editor's own fields, a part that loads on first use, so only an
    // embed that shows any loads it.
    let inputs = if props.context.options.exposes_inputs() {
        html! { <Lazy part={Part::EmbedInputs} /> }
    } else {
        html! {}
    };
    let dismiss = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Dismiss))
    };
    html! {
        <ContextProvider<EmbedContext> context={props.context.clone()}>
            <div class="embed" ref={root} data-testid="embed">
                <main id="main" tabindex="-1">
                    { notice_banner(store.notice.as_ref(), dismiss) }
                    if !notes.is_empty() {
                        <div class="embed-notes" role="note" data-testid="embed-notes">
                            <p>{ "Some of this embed's settings were not used:" }</p>
                            <ul>{ for notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                        </div>
                    }
                    if area {
                        <Lazy part={Part::AreaEmbed} />
                    } else {
                        <PublicView embedded=true {inputs} />
                    }
                </main>
                <footer class="embed-footer">
                    <p>
                        { "Calculated in your browser by OneBudget: nothing you type is sent anywhere, and no cookies are set. " }
                        if let Some(href) = full_app.filter(|_| !area) {
                            <a href={href} target="_blank" rel="noopener noreferrer">
                                { "Open this scenario in OneBudget" }
                                <span class="visually-hidden">{ " (opens in a new tab)" }</span>
                            </a>
                        }
                    </p>
                </footer>
            </div>
        </ContextProvider<EmbedContext>>
    }
}

/// The inputs the council exposed, as a small form of the editor's own fields (same
/// reading and validation); nothing at all when the embed is locked.
#[component]
pub fn EmbedInputs() -> Html {
    let store = use_store();
    let Some(context) = use_context::<EmbedContext>() else {
        return html! {};
    };
    if !context.options.exposes_inputs() {
        return html! {};
    }
    let mut missing = Vec::new();
    let fields: Vec<Html> = context
        .options
        .inputs
        .iter()
        .filter_map(|pointer| match exposed_input(pointer, store.draft.value()) {
            Ok(input) => Some(html! {
                <Field key={input.pointer.clone()} pointer={input.pointer.clone()} label={input.label.clone()}
                    kind={field_kind(input.kind)} signed={input.pointer.ends_with("/growth")} />
            }),
            Err(note) => {
                missing.push(note);
                None
            }
        })
        .collect();
    if fields.is_empty() && missing.is_empty() {
        return html! {};
    }
    let on_save = {
        let store = store.clone();
        let link = context.link.clone().unwrap_or_default();
        Callback::from(move |_| {
            let ok = saved::save(
                &link,
                store.draft.value().clone(),
                store.draft.undo_history().to_vec(),
            );
            store.dispatch(Action::Notify(if ok {
                Notice::success("Saved in this browser: opening this page again shows your changes.")
            } else {
                Notice::warning("This browser did not let the page save. Your changes last until you leave the page.")
            }));
        })
    };
    let on_reset = {
        let store = store.clone();
        let link = context.link.clone();
        Callback::from(move |_| {
            let original = link
                .as_deref()
                .and_then(|l| onebudget_engine::link::decode(l).ok())
                .and_then(|s| serde_json::to_value(&s).ok())
                .unwrap_or_else(|| default_draft().value().clone());
            store.dispatch(Action::Load {
                value: original,
                notice: Notice::success(
                    "Back to the council's figures. Undo brings your changes back.",
                ),
            });
        })
    };
    let changed = store.draft.can_undo();
    html! {
        <section class="group embed-inputs" aria-labelledby="embed-inputs-heading" data-testid="embed-inputs">
            <h2 id="embed-inputs-heading">{ "Try your own figures" }</h2>
            <details class="embed-inputs-details">
                <summary>{ "Change the figures" }</summary>
                <p class="hint">{ "Everything on this page updates as you type. Nothing you type leaves your browser." }</p>
                { for fields }
                if !missing.is_empty() {
                    <ul class="embed-missing">{ for missing.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                }
                if store.draft.is_stale() {
                    <p class="hint" data-testid="embed-stale">{ "Until the figure marked above is fixed, the results are from the last figures that worked." }</p>
                }
                <div class="toolbar">
                    <button type="button" class="button-secondary" onclick={on_reset} disabled={!changed}>
                        { "Back to the council's figures" }
                    </button>
                    <button type="button" class="button-secondary" onclick={on_save} data-testid="embed-save">
                        { "Save my changes in this browser" }
                    </button>
                </div>
            </details>
        </section>
    }
}

fn field_kind(kind: Unit) -> FieldKind {
    FieldKind::of(kind)
}

/// The visitor's saved changes to an embedded scenario: written only when they press
/// "Save my changes in this browser", under a key of its own (never the full app's
/// work), and restored only for the same link.
mod saved {
    use super::*;

    const KEY: &str = "onebudget.embed.v1";

    #[derive(Serialize, Deserialize)]
    pub struct SavedChanges {
        pub link: String,
        pub draft: Value,
        #[serde(default)]
        pub undo: Vec<Value>,
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn load(link: &str) -> Option<SavedChanges> {
        let text = storage()?.get_item(KEY).ok()??;
        let saved: SavedChanges = serde_json::from_str(&text).ok()?;
        (saved.link == link).then_some(saved)
    }

    pub fn save(link: &str, draft: Value, undo: Vec<Value>) -> bool {
        let Some(s) = storage() else { return false };
        let saved = SavedChanges {
            link: link.to_string(),
            draft,
            undo,
        };
        match serde_json::to_string(&saved) {
            Ok(text) => s.set_item(KEY, &text).is_ok(),
            Err(_) => false,
        }
    }
}
