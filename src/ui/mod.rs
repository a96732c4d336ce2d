//! The Yew app: a thin shell that keeps a draft scenario, asks the engine for results
//! and shows them. No calculation happens here. Its modules, in layers (each names only
//! its own layer and those below; ARCHITECTURE.md, "The UI in layers", says why, and
//! tests/ui_layers.rs checks it):
//!
//! - browser services: `events` (listeners that end with their effect), `files`
//!   (downloads, uploads, clipboard), `letter_case`, `share` (links), `storage` (autosave);
//! - `state`: the state types and the one reducer;
//! - `charts` (SVG charts with tables) and `components` (fields, notices, the masthead):
//!   props in, callbacks out, never the store;
//! - the views, which read the store and compose charts and components: `views` (one
//!   for each `View`: the Summary, editor, comparison, presentation and board pack; the
//!   glossary; an input bound to the draft; the file tools), `embed`, `pooling` (the
//!   Summary's risk pooling),
//!   `offline` (the download), `full_app` (loading the full build, and `Opening` in its
//!   place), and `parts` (what only the full build draws);
//! - this module: the two builds (`Views`), the `App`, and where a session starts.

pub mod area_data;
pub mod charts;
pub mod components;
pub mod embed;
pub mod events;
pub mod files;
pub mod full_app;
pub mod letter_case;
pub mod offline;
pub mod parts;
pub mod pooling;
pub mod share;
pub mod state;
pub mod storage;
pub mod views;

use crate::draft::Draft;
use parts::Parts;
use state::{default_draft, Action, AppState, Notice, Store, View};
use yew::prelude::*;

/// What one build of the app can draw. There are two builds (docs/SIZE.md): the public
/// one (`onebudget-web`), which draws the Summary, the glossary and embeds and is all a
/// visitor downloads at first, and the full one (`onebudget-web-full`), which draws every
/// view and is fetched when a visitor opens anything else (`full_app`).
///
/// Rationale: a trait chosen at compile time, not a flag read at run time, so the linker
/// leaves the editor, comparison, board pack and presentation out of the public build.
pub trait Views: 'static {
    /// The parts of the Summary this build draws (a context for the views).
    const PARTS: Parts;
    /// Where the session starts.
    fn initial_state() -> AppState;
    /// The content of `<main>` for a view.
    fn main(view: View) -> Html;
    /// The whole page, for a view that takes the whole screen (presenting).
    fn whole_screen(view: View) -> Option<Html>;
    /// After the first drawing.
    fn drawn() {}
}

/// The public build: the Summary, its glossary and embeds; any other view hands over
/// to the full app.
pub struct PublicViews;

impl Views for PublicViews {
    const PARTS: Parts = Parts {
        risk_pooling: || {
            pooling::section(html! {
                <full_app::Opening what="Loading the risk pooling simulation…" />
            })
        },
        embed_panel: || html! { <embed::panel::EmbedPanelOpener /> },
        embed_inputs: || html! { <embed::EmbedInputsOpener /> },
        area_embed: || html! { <full_app::Opening what="Loading this area's figures…" /> },
    };
    fn initial_state() -> AppState {
        initial_state()
    }
    fn main(view: View) -> Html {
        match view {
            View::Public => html! { <views::public::PublicView /> },
            _ => html! { <full_app::Opening focus={full_app::Focus::CurrentTab} /> },
        }
    }
    fn whole_screen(view: View) -> Option<Html> {
        (view == View::Present).then(|| html! { <main id="main"><full_app::Opening /></main> })
    }
}

/// The full build: every view. Started by the public build with its state handed over,
/// or directly (an offline copy).
pub struct AllViews;

impl Views for AllViews {
    const PARTS: Parts = Parts {
        risk_pooling: || html! { <pooling::RiskPooling /> },
        embed_panel: || html! { <embed::EmbedPanel /> },
        embed_inputs: || html! { <embed::EmbedInputs /> },
        area_embed: || html! { <views::area::AreaEmbed /> },
    };
    fn initial_state() -> AppState {
        full_app::take_handoff(default_draft).unwrap_or_else(initial_state)
    }
    fn main(view: View) -> Html {
        match view {
            View::Public => html! { <views::public::PublicView /> },
            View::Edit => html! { <views::edit::EditView /> },
            View::Pack => html! { <views::board_pack::BoardPack /> },
            View::Present => html! {},
            View::Compare => html! { <views::compare::CompareView /> },
            View::Area => html! { <views::area::AreaView /> },
        }
    }
    fn whole_screen(view: View) -> Option<Html> {
        (view == View::Present).then(|| html! { <views::presentation::Presentation /> })
    }
    fn drawn() {
        full_app::focus_after_handoff();
    }
}

/// Mount the app on `#app` (or the body if the page has no such element).
pub fn start<V: Views>() {
    let document = web_sys::window().and_then(|w| w.document());
    let root = document.as_ref().and_then(|d| d.get_element_by_id("app"));
    let handle = match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App<V>>::with_root(root).render()
        }
        None => yew::Renderer::<App<V>>::new().render(),
    };
    // The public build ends this app just before the full one takes over the page.
    full_app::on_hand_over_end_with(move || handle.destroy());
}

/// Where the session starts: saved work if there is any, else the default scenario.
fn initial_state() -> AppState {
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
        view: match web_sys::window().and_then(|w| w.location().search().ok()) {
            Some(q) if crate::area_page::asks_for_area(&q) => View::Area,
            _ => views::presentation::view_at_start(),
        },
        notice,
        storage_available,
        ..AppState::new(draft)
    }
}

#[component]
pub fn App<V: Views>() -> Html {
    // Embed mode (`?embed=1`): read once; see `embed` and docs/EMBED.md.
    let embedded = use_memo((), |_| embed::context_from_location());
    let store = {
        let embedded = embedded.clone();
        use_reducer(move || match &*embedded {
            Some(context) => embed::initial_state(context),
            None => V::initial_state(),
        })
    };
    use_effect_with((), |_| V::drawn());

    let page = if let Some(context) = (*embedded).clone() {
        html! { <embed::EmbedPage {context} /> }
    } else if let Some(page) = V::whole_screen(store.view) {
        // Presenting takes the whole screen: no masthead, notices or footer.
        page
    } else {
        let dispatch = |action: fn() -> Action| {
            let store = store.clone();
            Callback::from(move |_: MouseEvent| store.dispatch(action()))
        };
        let onshow = {
            let store = store.clone();
            Callback::from(move |view| store.dispatch(Action::Show(view)))
        };
        let onpresent = {
            let store = store.clone();
            Callback::from(move |_: MouseEvent| views::presentation::start(&store))
        };
        let onshow_inputs =
            (store.view != View::Edit).then(|| dispatch(|| Action::Show(View::Edit)));
        html! {
            <>
                <components::SkipLink />
                { components::masthead(store.view, store.glossary_open, &onshow, onpresent,
                    dispatch(|| Action::ToggleGlossary)) }
                <div class="page">
                    { components::notice_banner(store.notice.as_ref(), dispatch(|| Action::Dismiss)) }
                    { components::stale_banner(store.draft.problems().len(), onshow_inputs) }
                    <main id="main" tabindex="-1">
                        { V::main(store.view) }
                    </main>
                    if store.glossary_open {
                        <views::glossary::Glossary />
                    }
                </div>
                <components::Footer />
            </>
        }
    };
    html! {
        <ContextProvider<Parts> context={V::PARTS}>
            <ContextProvider<Store> context={store.clone()}>
                { page }
            </ContextProvider<Store>>
        </ContextProvider<Parts>>
    }
}
