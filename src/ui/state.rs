//! The app's state: the draft being edited (see `crate::draft`), what the page is
//! showing, any notice for the person, and what the Compare view compares. The state
//! types live here, beside the one reducer; the views dispatch actions, and charts and
//! components receive what they show as props (ARCHITECTURE.md, "The UI in layers").

use crate::draft::{Draft, Edit};
use onebudget_engine::comparison::{Figure, MAX_SCENARIOS};
use onebudget_engine::examples;
use onebudget_engine::scenario::{Results, ValidScenario};
use onebudget_engine::validation::Problem;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// Which view the page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum View {
    /// Plain-language summary and charts: what the public sees first.
    Public,
    /// Every input, for analysts.
    Edit,
    /// One idea per screen, full screen, for a board meeting (`views::presentation`).
    Present,
    /// The board pack: every section on its own printed page (`views::board_pack`).
    Pack,
    /// Two to four scenarios side by side, and a tornado chart.
    Compare,
    /// Real areas: find an ICB, district or GP practice and see its figures (`views::area`).
    Area,
}

/// A message for the person: what happened, and what to do about it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
    /// Problems behind the notice (a bad file or link), each with its field path.
    pub problems: Vec<Problem>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum NoticeKind {
    Success,
    Warning,
    Error,
}

impl Notice {
    pub fn success(text: impl Into<String>) -> Self {
        Notice {
            kind: NoticeKind::Success,
            text: text.into(),
            problems: Vec::new(),
        }
    }
    pub fn warning(text: impl Into<String>) -> Self {
        Notice {
            kind: NoticeKind::Warning,
            text: text.into(),
            problems: Vec::new(),
        }
    }
    pub fn error(text: impl Into<String>, problems: Vec<Problem>) -> Self {
        Notice {
            kind: NoticeKind::Error,
            text: text.into(),
            problems,
        }
    }
}

/// Where a compared scenario comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The draft's last valid scenario.
    Yours,
    /// A built-in, by its index in `examples::ALL`.
    BuiltIn(usize),
    /// A file opened for comparison, by its index in `ComparePicks::opened`.
    Opened(usize),
}

/// A scenario file opened for comparison only: the draft is not touched.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenedScenario {
    pub file: String,
    pub scenario: Rc<ValidScenario>,
    pub results: Rc<Results>,
}

/// What the Compare view shows (`views::compare`): kept in the store, so it survives a
/// switch of view and a presentation's comparison step shows the same.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparePicks {
    /// The first is the baseline; the second is always set; the last two may be empty.
    pub slots: [Option<Source>; MAX_SCENARIOS],
    pub opened: Vec<OpenedScenario>,
    /// Which slot's scenario the tornado tests.
    pub tornado_slot: usize,
    pub figure: Figure,
    /// The last valid variation typed, a fraction (0.1 is ±10 %).
    pub variation: f64,
    /// False until the person changes anything here: until then the second column follows
    /// the scenario being edited (see `shown_slots`).
    pub changed: bool,
}

impl Default for ComparePicks {
    fn default() -> Self {
        // The first built-in after the default (which `examples::ALL` lists first). A
        // constant, not a search of the list: the first download keeps this state but not
        // the built-ins' text (docs/SIZE.md).
        let other = 1;
        ComparePicks {
            slots: [
                Some(Source::Yours),
                Some(Source::BuiltIn(other)),
                None,
                None,
            ],
            opened: Vec::new(),
            tornado_slot: 0,
            figure: Figure::PeriodBudget,
            variation: 0.1,
            changed: false,
        }
    }
}

/// The built-in default scenario as a draft: where a session with no work of its own
/// starts, and what saved work that cannot be restored falls back on.
pub fn default_draft() -> Draft {
    // The built-in default is tested to compute; the engine's fallback scenario always does.
    Draft::new(examples::default_scenario())
        .or_else(|| Draft::new(examples::fallback()))
        .expect("a built-in scenario computes")
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub draft: Draft,
    pub view: View,
    pub glossary_open: bool,
    pub notice: Option<Notice>,
    /// False where the browser blocks storage (some third-party iframes): the page says so.
    pub storage_available: bool,
    /// Save the draft in this browser after every change to it. False in an embed, which
    /// stores nothing unless the visitor asks.
    pub autosave: bool,
    /// What the Compare view compares (kept across views).
    pub comparison: ComparePicks,
}

impl AppState {
    /// The one constructor: `draft` on the Summary, glossary closed, no notice, storage
    /// taken to work and autosaving, nothing chosen for comparison. Each way into the app
    /// (a visit, saved work, an embed) says only what it starts with
    /// differently, with struct update syntax: `AppState { notice, ..AppState::new(draft) }`.
    pub fn new(draft: Draft) -> AppState {
        AppState {
            draft,
            view: View::Public,
            glossary_open: false,
            notice: None,
            storage_available: true,
            autosave: true,
            comparison: ComparePicks::default(),
        }
    }
}

/// One state is the same as another only if it is the very same value: the reducer makes
/// a new state for every action, so the store's context changes exactly when an action
/// has been taken.
///
/// Rationale: comparing contents deep (draft, results, comparison) on every render put
/// a whole-state comparison into the public build for nothing (docs/SIZE.md).
impl PartialEq for AppState {
    fn eq(&self, other: &AppState) -> bool {
        std::ptr::eq(self, other)
    }
}

pub enum Action {
    Edit(Edit),
    /// Replace the draft (a built-in, an import, a link), with a notice saying what happened.
    Load {
        value: Value,
        notice: Notice,
    },
    Undo,
    Redo,
    Show(View),
    ToggleGlossary,
    Notify(Notice),
    Dismiss,
    StorageUnavailable,
    /// Change what the Compare view compares.
    Compare(ComparePicks),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let draft_changes = matches!(
            action,
            Action::Edit(_) | Action::Load { .. } | Action::Undo | Action::Redo
        );
        match action {
            Action::Edit(edit) => {
                if let Err(e) = next.draft.edit(edit) {
                    // An editor bug, not the person's mistake: say so rather than fail silently.
                    next.notice = Some(Notice::error(
                        format!("That change could not be made ({}).", e.0),
                        vec![],
                    ));
                }
            }
            Action::Load { value, notice } => {
                next.draft.load(value);
                next.notice = Some(notice);
            }
            Action::Undo => {
                next.draft.undo();
            }
            Action::Redo => {
                next.draft.redo();
            }
            Action::Show(view) => next.view = view,
            Action::ToggleGlossary => next.glossary_open = !next.glossary_open,
            Action::Notify(notice) => next.notice = Some(notice),
            Action::Dismiss => next.notice = None,
            Action::StorageUnavailable => next.storage_available = false,
            Action::Compare(picks) => next.comparison = picks,
        }
        // Saved here, as the change is made, not in an effect after the page has drawn it.
        // Rationale: a tab closed (or a link followed) in between lost the change.
        if draft_changes
            && next.autosave
            && next.storage_available
            && next.draft != self.draft
            && !crate::ui::storage::save_draft(&next.draft)
        {
            next.storage_available = false;
        }
        Rc::new(next)
    }
}

/// The handle every component uses to read state and dispatch actions.
pub type Store = UseReducerHandle<AppState>;

/// Read the store from context (the App provides it).
#[hook]
pub fn use_store() -> Store {
    use_context::<Store>().expect("the App provides the store")
}
