//! Parts of the app that load on first use, from one wasm cut into chunks.
//!
//! Each [`Part`] is a split point (`wasm_split_helpers::wasm_split`, declared in
//! `ui::chunks`): a function whose body, and everything only it reaches, the build moves
//! out of the first download into a chunk of its own (`scripts/split_wasm.py` runs
//! `wasm_split_cli` between cargo and wasm-bindgen). Code two parts share lands in a chunk
//! both fetch; code the Summary also uses stays in the first download. Calling a split
//! function fetches its chunks (the manifest checked against the SHA-384 the build wrote
//! into the loader, each chunk against the manifest's), then returns the part's drawing
//! function, which is kept: later drawings call it directly.
//!
//! There is one app and one state: a loaded part draws from the same store as the
//! Summary, so nothing is handed over and nothing is lost when a part arrives.
//!
//! This module is a view (it reads the store) and names no other view but the pooling
//! section it frames a message in: the views name [`Lazy`], and the table of what each
//! part draws comes from above, as the [`Loader`] context.

use crate::ui::state::{use_store, Action, View};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen_futures::JsFuture;
use wasm_split_helpers::SplitLoaderError;
use yew::prelude::*;

/// The name of the `<meta>` the build writes (`scripts/split_wasm.py`) to say where the
/// app's other files are: the parts' stylesheet with its SRI hash, and the chunks'
/// manifest (JSON: the wasm, each chunk's file and hash, and the offline boot module).
pub const META: &str = "onebudget-app";

/// The app's files, as the page's `<meta name="onebudget-app">` names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Files {
    /// The chunks' manifest (absent from a debug build, which is not cut).
    pub manifest: Option<String>,
    /// The parts' stylesheet (`static/onebudget-parts.css`) and its SRI hash.
    pub css: Option<(String, String)>,
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Where the app's files are, from the page's `<meta>`.
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
        manifest: attr("data-manifest").ok(),
        css: attr("data-css").ok().zip(attr("data-css-integrity").ok()),
    })
}

thread_local! {
    /// The parts' stylesheet loading (or loaded): one promise every part waits on.
    static STYLESHEET: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// Add the parts' stylesheet (checked against its SRI hash), once; the promise of its
/// loading, so a part never draws unstyled. `None` where the page has no such stylesheet
/// (an offline copy carries all its styles). Started before the chunk is fetched, so both
/// download at once.
fn parts_stylesheet() -> Option<js_sys::Promise> {
    if let Some(loading) = STYLESHEET.with(|s| s.borrow().clone()) {
        return Some(loading);
    }
    let (href, integrity) = files().ok()?.css?;
    let document = document()?;
    let link = document.create_element("link").ok()?;
    for (name, value) in [
        ("rel", "stylesheet"),
        ("href", href.as_str()),
        ("integrity", integrity.as_str()),
        ("crossorigin", "anonymous"),
        ("data-onebudget", META),
    ] {
        let _ = link.set_attribute(name, value);
    }
    let loading = js_sys::Promise::new(&mut |resolve, reject| {
        let _ = link.add_event_listener_with_callback("load", &resolve);
        let _ = link.add_event_listener_with_callback("error", &reject);
    });
    document.head()?.append_child(&link).ok()?;
    STYLESHEET.with(|s| *s.borrow_mut() = Some(loading.clone()));
    Some(loading)
}

/// Wait for the stylesheet [`parts_stylesheet`] added.
async fn stylesheet_loaded(loading: Option<js_sys::Promise>) -> Result<(), Unavailable> {
    let Some(loading) = loading else {
        return Ok(());
    };
    if JsFuture::from(loading).await.is_ok() {
        return Ok(());
    }
    // Forgotten and removed, so "Try again" adds it afresh.
    STYLESHEET.with(|s| s.borrow_mut().take());
    let selector = format!("link[data-onebudget='{META}']");
    if let Some(link) = document().and_then(|d| d.query_selector(&selector).ok().flatten()) {
        link.remove();
    }
    Err(Unavailable)
}

/// A part's chunk could not be fetched, or failed its integrity check.
#[derive(Debug)]
pub struct Unavailable;

impl From<SplitLoaderError> for Unavailable {
    fn from(_: SplitLoaderError) -> Self {
        Unavailable
    }
}

/// Draws a loaded part (a function in its chunk).
pub type Draw = fn() -> Html;

/// Fetching a part's chunks: its drawing function once they are there.
pub type Fetch = Pin<Box<dyn Future<Output = Result<Draw, Unavailable>>>>;

/// How a part is fetched: the app's table of parts (`ui::chunks::load`), given to every
/// [`Lazy`] as a context by the `App`. The table names the views and the views name
/// [`Lazy`], so the table sits at the top, beside the `App`, and this module never names
/// a view (tests/ui_layers.rs).
#[derive(Clone, Copy)]
pub struct Loader(pub fn(Part) -> Fetch);

impl PartialEq for Loader {
    /// Fixed for the life of the app: a context that never changes.
    fn eq(&self, _: &Loader) -> bool {
        true
    }
}

/// Declares the parts, each with what the visitor is told while it loads. What each part
/// draws, and the chunk it goes to, is its line in `ui::chunks` (a part without one does
/// not compile).
macro_rules! parts {
    ($( $(#[$doc:meta])* $variant:ident, $what:literal; )*) => {
        /// The parts of the app that load on first use.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Part { $( $(#[$doc])* $variant, )* }

        const COUNT: usize = [$( Part::$variant ),*].len();

        impl Part {
            fn index(self) -> usize {
                self as usize
            }
            /// What the visitor is waiting for, in words.
            pub fn waiting_for(self) -> &'static str {
                match self { $( Part::$variant => $what, )* }
            }
        }
    };
}

parts! {
    /// The editor (`views::edit`).
    Edit, "Opening the inputs…";
    /// Scenarios side by side and the tornado (`views::compare`).
    Compare, "Opening the comparison…";
    /// The board pack and the offline copy (`views::board_pack`).
    Pack, "Opening the board pack…";
    /// Presenting, full screen (`views::presentation`).
    Present, "Opening the presentation…";
    /// The risk pooling simulation, for a scenario with a pool (`pooling`).
    Pooling, "Loading the risk pooling simulation…";
    /// "Embed this on your website", once opened (`embed::panel`).
    EmbedPanel, "Loading…";
    /// The fair shares chart, for a scenario with fair shares (`charts`).
    FairSharesChart, "Loading the fair shares chart…";
    /// The pooled budget chart, for a scenario with a pooled budget (`charts`).
    PooledBudgetChart, "Loading the pooled budget chart…";
    /// The glossary, once opened (`views::glossary`).
    Glossary, "Loading the glossary…";
    /// An embed's exposed inputs: the editor's own fields (`embed`).
    EmbedInputs, "Loading the inputs…";
    /// "Find your area": the finder and an area's figures (`views::area`).
    Area, "Opening “Find your area”…";
    /// An embed on one real area (`views::area::AreaEmbed`).
    AreaEmbed, "Loading this area's figures…";
}

/// Fetch a part's chunks (once, through the app's `loader`) and its stylesheet, and
/// return its drawing function.
async fn load(loader: Option<Loader>, part: Part) -> Result<Draw, Unavailable> {
    let stylesheet = parts_stylesheet();
    let draw = match loader {
        Some(Loader(fetch)) => fetch(part).await,
        // Only a page drawn without the `App` has no loader.
        None => Err(Unavailable),
    };
    stylesheet_loaded(stylesheet).await?;
    draw
}

impl Part {
    /// Where the message goes while the part loads: in the place the part itself takes.
    fn frame(self, message: Html) -> Html {
        match self {
            Part::Present => html! { <main id="main">{ message }</main> },
            Part::Pooling => crate::ui::pooling::section(message),
            Part::EmbedInputs => html! {
                <section class="group embed-inputs" aria-label="Change the figures">{ message }</section>
            },
            _ => message,
        }
    }
}

thread_local! {
    /// Each part's drawing function, once its chunk is there.
    static LOADED: [Cell<Option<Draw>>; COUNT] = const { [const { Cell::new(None) }; COUNT] };
}

fn loaded(part: Part) -> Option<Draw> {
    LOADED.with(|l| l[part.index()].get())
}

#[derive(Properties, PartialEq)]
pub struct LazyProps {
    pub part: Part,
    /// What to say while it loads, if not the part's own words.
    #[prop_or_default]
    pub what: Option<AttrValue>,
}

/// A part: drawn at once if its chunk is there, else fetched (which starts as soon as
/// this is on the page) with a message meanwhile, and "Try again" if that failed.
#[component]
pub fn Lazy(props: &LazyProps) -> Html {
    let store = use_store();
    let loader = use_context::<Loader>();
    // The part whose loading failed: the same component may be asked for another part
    // (Yew keeps it when the view changes from one part to another).
    let failure = use_state(|| None::<Part>);
    let attempt = use_state(|| 0u32);
    // Drawn again when the chunk arrives.
    let arrived = use_state(|| None::<(Part, u32)>);
    let part = props.part;
    {
        let failure = failure.clone();
        let arrived = arrived.clone();
        use_effect_with((part, *attempt), move |&(part, attempt)| {
            if loaded(part).is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    match load(loader, part).await {
                        Ok(draw) => {
                            LOADED.with(|l| l[part.index()].set(Some(draw)));
                            arrived.set(Some((part, attempt)));
                        }
                        Err(Unavailable) => failure.set(Some(part)),
                    }
                });
            }
        });
    }
    if let Some(draw) = loaded(part) {
        return draw();
    }
    if *failure != Some(part) {
        let what = props.what.clone().unwrap_or(part.waiting_for().into());
        return part
            .frame(html! { <p class="opening" role="status" data-testid="opening">{ what }</p> });
    }
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
    part.frame(html! {
        <div class="notice notice-error" role="alert" data-testid="opening-failed">
            <p>{ "This part of OneBudget could not be opened. Your work is kept. Check the connection and try again." }</p>
            <button type="button" class="button-secondary" onclick={retry}>{ "Try again" }</button>
            if let Some(back) = back {
                <button type="button" class="button-secondary" onclick={back}>{ "Back to the summary" }</button>
            }
        </div>
    })
}
