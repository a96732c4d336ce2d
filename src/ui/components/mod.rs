//! Pieces shared by the views.

mod field;
mod file_tools;
mod working;

pub use field::{
    field_id, parse_percent, parse_pounds, parse_whole, percent_text, pounds_text, problem_message,
    range_sentence, Choice, Field, FieldKind,
};
pub use file_tools::{CopyLink, FileTools};
pub use working::WorkingDetails;

use super::state::{use_store, Action, NoticeKind, View};
use yew::prelude::*;

#[component]
pub fn SkipLink() -> Html {
    html! { <a class="skip-link" href="#main">{ "Skip to main content" }</a> }
}

/// The header: the product's name and the views: the pages first, then presenting
/// (which takes the whole screen) and the glossary (which opens below the page).
#[component]
pub fn Masthead() -> Html {
    let store = use_store();
    let show = |view: View| {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Show(view)))
    };
    let current = |view: View| {
        if store.view == view {
            Some("page")
        } else {
            None
        }
    };
    let toggle_glossary = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::ToggleGlossary))
    };
    html! {
        <header class="masthead">
            <div class="masthead-inner">
                <p class="brand">{ "OneBudget" }</p>
                <nav aria-label="Views">
                    <ul class="tabs">
                        <li><button type="button" class="tab" aria-current={current(View::Public)} onclick={show(View::Public)}>{ "Summary" }</button></li>
                        <li><button type="button" class="tab" aria-current={current(View::Edit)} onclick={show(View::Edit)}>{ "Edit inputs" }</button></li>
                        <li><button type="button" class="tab" aria-current={current(View::Compare)} onclick={show(View::Compare)}>{ "Compare" }</button></li>
                        <li><button type="button" class="tab" aria-current={current(View::Pack)} onclick={show(View::Pack)}>{ "Board pack" }</button></li>
                        <li><crate::ui::presentation::PresentButton /></li>
                        <li><button type="button" class="tab" aria-expanded={store.glossary_open.to_string()} aria-controls="glossary" onclick={toggle_glossary}>{ "Glossary" }</button></li>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

/// What just happened (an import, a link, a problem), with a way to dismiss it.
#[component]
pub fn NoticeBanner() -> Html {
    let store = use_store();
    let Some(notice) = store.notice.clone() else {
        return html! {};
    };
    let (class, role) = match notice.kind {
        NoticeKind::Success => ("notice notice-success", "status"),
        NoticeKind::Warning => ("notice notice-warning", "status"),
        NoticeKind::Error => ("notice notice-error", "alert"),
    };
    let dismiss = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Dismiss))
    };
    html! {
        <div class={class} role={role} data-testid="notice">
            <p>{ &notice.text }</p>
            if !notice.problems.is_empty() {
                <ul class="problem-list">
                    { for notice.problems.iter().take(20).map(|p| html! {
                        <li><code>{ &p.path }</code>{ format!(": {} (found {})", p.message, p.value) }</li>
                    }) }
                    if notice.problems.len() > 20 {
                        <li>{ format!("and {} more", notice.problems.len() - 20) }</li>
                    }
                </ul>
            }
            <button type="button" class="button-secondary" onclick={dismiss}>{ "Dismiss" }</button>
        </div>
    }
}

/// While the draft has problems, the results shown are the last valid scenario's: say so.
#[component]
pub fn StaleBanner() -> Html {
    let store = use_store();
    if !store.draft.is_stale() {
        return html! {};
    }
    let count = store.draft.problems().len();
    let go_edit = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Show(View::Edit)))
    };
    html! {
        <div class="notice notice-warning" role="status" data-testid="stale">
            <p>
                { format!("{count} input{} need{} fixing. The figures below are from the last valid version of this scenario.",
                    if count == 1 { "" } else { "s" }, if count == 1 { "s" } else { "" }) }
            </p>
            if store.view != View::Edit {
                <button type="button" class="button-secondary" onclick={go_edit}>{ "Show the inputs" }</button>
            }
        </div>
    }
}

#[component]
pub fn Footer() -> Html {
    html! {
        <footer class="footer">
            <p>{ "OneBudget runs entirely in your browser: nothing you type is sent anywhere, and it sets no cookies." }</p>
        </footer>
    }
}
