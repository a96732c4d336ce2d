//! Pieces shared by the views. Each takes props and sends callbacks: none reads the
//! store (ARCHITECTURE.md, "The UI in layers"); the views and the `App` bind them to it.

mod field;
mod working;

pub use field::{field_id, percent_message, Choice, FieldInput, FieldKind, FieldProps};
pub use working::WorkingDetails;

use super::state::{Notice, NoticeKind, View};
use yew::prelude::*;

#[component]
pub fn SkipLink() -> Html {
    html! { <a class="skip-link" href="#main">{ "Skip to main content" }</a> }
}

#[derive(Properties, PartialEq)]
pub struct MastheadProps {
    /// The view shown (its tab is marked current).
    pub view: View,
    pub glossary_open: bool,
    /// A tab was pressed.
    pub onshow: Callback<View>,
    /// "Present" was pressed (it starts full screen, so it is not just a view).
    pub onpresent: Callback<()>,
    /// "Glossary" was pressed.
    pub onglossary: Callback<()>,
}

/// The header: the product's name and the views: the pages first, then presenting
/// (which takes the whole screen) and the glossary (which opens below the page).
#[component]
pub fn Masthead(props: &MastheadProps) -> Html {
    let show = |view: View| props.onshow.reform(move |_: MouseEvent| view);
    let current = |view: View| {
        if props.view == view {
            Some("page")
        } else {
            None
        }
    };
    let present = props.onpresent.reform(|_: MouseEvent| ());
    let toggle_glossary = props.onglossary.reform(|_: MouseEvent| ());
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
                        <li><button type="button" class="tab" onclick={present} data-testid="present">{ "Present" }</button></li>
                        <li><button type="button" class="tab" aria-expanded={props.glossary_open.to_string()} aria-controls="glossary" onclick={toggle_glossary}>{ "Glossary" }</button></li>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

#[derive(Properties, PartialEq)]
pub struct NoticeBannerProps {
    pub notice: Option<Notice>,
    pub ondismiss: Callback<()>,
}

/// What just happened (an import, a link, a problem), with a way to dismiss it.
#[component]
pub fn NoticeBanner(props: &NoticeBannerProps) -> Html {
    let Some(notice) = &props.notice else {
        return html! {};
    };
    let (class, role) = match notice.kind {
        NoticeKind::Success => ("notice notice-success", "status"),
        NoticeKind::Warning => ("notice notice-warning", "status"),
        NoticeKind::Error => ("notice notice-error", "alert"),
    };
    let dismiss = props.ondismiss.reform(|_: MouseEvent| ());
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

#[derive(Properties, PartialEq)]
pub struct StaleBannerProps {
    /// How many inputs need fixing; with none, the banner is not shown.
    pub problems: usize,
    /// "Show the inputs" was pressed; `None` where the inputs are already shown.
    pub onshow_inputs: Option<Callback<()>>,
}

/// While the draft has problems, the results shown are the last valid scenario's: say so.
#[component]
pub fn StaleBanner(props: &StaleBannerProps) -> Html {
    if props.problems == 0 {
        return html! {};
    }
    let count = props.problems;
    html! {
        <div class="notice notice-warning" role="status" data-testid="stale">
            <p>
                { format!("{count} input{} need{} fixing. The figures below are from the last valid version of this scenario.",
                    if count == 1 { "" } else { "s" }, if count == 1 { "s" } else { "" }) }
            </p>
            if let Some(show) = &props.onshow_inputs {
                <button type="button" class="button-secondary" onclick={show.reform(|_: MouseEvent| ())}>{ "Show the inputs" }</button>
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
