//! The Yew app: a thin shell that keeps a draft scenario, asks the engine for results
//! and shows them. No calculation happens here; see ARCHITECTURE.md.
//!
//! - `state`: the reducer (draft, view, notices); components dispatch `Action`s.
//! - `storage`: autosave; `share`: links; `files`: downloads, uploads, the clipboard.
//! - `views`: the public, edit, compare and board pack views and the glossary;
//!   `presentation`: presenting; `pooling`: the risk pooling section; `embed`: embed mode
//!   and "Embed this"; `offline`: the offline copy.
//! - `components`: shared pieces (fields, working, notices); `charts`: SVG charts with tables.
//! - `lazy`: the parts that load on first use (the release wasm is cut into chunks).

pub mod charts;
pub mod components;
pub mod embed;
pub mod events;
pub mod files;
pub mod lazy;
pub mod letter_case;
pub mod offline;
pub mod pooling;
pub mod presentation;
pub mod share;
pub mod state;
pub mod storage;
pub mod views;

use crate::draft::Draft;
use onebudget_engine::examples;
use state::{AppState, Notice, Store, View};
use yew::prelude::*;

/// The content of `<main>` for a view: the Summary, or a part that loads on first use (`lazy`).
fn main(view: View) -> Html {
    match view {
        View::Public => html! { <views::public::PublicView /> },
        View::Edit => html! { <lazy::Lazy part={lazy::Part::Edit} /> },
        View::Compare => html! { <lazy::Lazy part={lazy::Part::Compare} /> },
        View::Pack => html! { <lazy::Lazy part={lazy::Part::Pack} /> },
        // Presenting takes the whole screen (below); nothing is drawn in <main>.
        View::Present => html! {},
    }
}

/// Mount the app on `#app` (or the body if the page has no such element).
pub fn start() {
    let document = web_sys::window().and_then(|w| w.document());
    let root = document.as_ref().and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

fn default_draft() -> Draft {
    // The built-in default is tested to compute; the engine's fallback scenario always does.
    Draft::new(examples::default_scenario())
        .or_else(|| Draft::new(examples::fallback()))
        .expect("a built-in scenario computes")
}

/// Where the session starts: saved work if there is any, else the default scenario.
pub fn initial_state() -> AppState {
    let storage_available = storage::available();
    let mut notice = None;
    // Computed once: the fallback for saved work, and what "no work of your own" looks like.
    // An offline copy opens on the scenario it carries (and keeps its own autosave).
    let default = offline::carried_draft().unwrap_or_else(default_draft);
    let draft = match storage::load() {
        Ok(Some(saved)) => Draft::restore(saved.draft, saved.undo, default.clone()),
        Ok(None) => default.clone(),
        Err(_) => {
            notice = Some(Notice::warning(
                "Your saved work could not be read, so the default scenario is shown. The saved copy has been kept.",
            ));
            default.clone()
        }
    };
    let mut draft = draft;
    if let Some(fragment) = share::take_link_from_location() {
        match onebudget_engine::link::decode(&fragment) {
            Ok(scenario) => {
                let had_work = draft.value() != default.value();
                if let Ok(value) = serde_json::to_value(&scenario) {
                    draft.load(value);
                }
                // Kept at once: the fragment has gone from the address, so a reload
                // would otherwise lose what the link opened.
                if storage_available {
                    storage::save_draft(&draft);
                }
                notice = Some(Notice::success(if had_work {
                    format!(
                        "Opened the shared scenario “{}”. Your previous work is one Undo away.",
                        scenario.name
                    )
                } else {
                    format!("Opened the shared scenario “{}”.", scenario.name)
                }));
            }
            Err(problems) => {
                notice = Some(Notice::error(
                    "This link could not be opened, so nothing has changed: your own work is as you left it.",
                    problems,
                ));
            }
        }
    }
    if !storage_available && notice.is_none() {
        notice = Some(Notice::warning(
            "This browser is not letting OneBudget save your work. Use “Export scenario” or “Copy link” to keep it.",
        ));
    }
    AppState {
        draft,
        view: presentation::view_at_start(),
        glossary_open: false,
        notice,
        storage_available,
        autosave: true,
        comparison: Default::default(),
    }
}

#[component]
pub fn App() -> Html {
    // Embed mode (`?embed=1`): read once; see `embed` and docs/EMBED.md.
    let embedded = use_memo((), |_| embed::context_from_location());
    let store = {
        let embedded = embedded.clone();
        use_reducer(move || match &*embedded {
            Some(context) => embed::initial_state(context),
            None => initial_state(),
        })
    };

    let page = if let Some(context) = (*embedded).clone() {
        html! { <embed::EmbedPage {context} /> }
    } else if store.view == View::Present {
        // Presenting takes the whole screen: no masthead, notices or footer.
        html! { <lazy::Lazy part={lazy::Part::Present} /> }
    } else {
        html! {
            <>
                <components::SkipLink />
                <components::Masthead />
                <div class="page">
                    <components::NoticeBanner />
                    <components::StaleBanner />
                    <main id="main" tabindex="-1">
                        { main(store.view) }
                    </main>
                    if store.glossary_open {
                        <lazy::Lazy part={lazy::Part::Glossary} />
                    }
                </div>
                <components::Footer />
            </>
        }
    };
    html! {
        <ContextProvider<Store> context={store.clone()}>
            { page }
        </ContextProvider<Store>>
    }
}
