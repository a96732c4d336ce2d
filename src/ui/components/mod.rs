//! Pieces shared by the views. Each takes what it shows as props and sends callbacks:
//! none reads the store (ARCHITECTURE.md, "The UI in layers"); the views and the `App`
//! bind them to it. The page's chrome (masthead, banners) holds no state of its own, so it
//! is plain functions of their arguments: a component's props cost code in the public
//! build (docs/SIZE.md).

mod field;
mod snippet;
mod working;

pub use field::{
    field_id, problem_message, range_sentence, Choice, FieldInput, FieldKind, FieldProps,
};
pub use snippet::{copy_snippet, input_value};
pub use working::WorkingDetails;

use super::state::{Notice, NoticeKind, View};
use yew::prelude::*;

#[component]
pub fn SkipLink() -> Html {
    html! { <a class="skip-link" href="#main">{ "Skip to main content" }</a> }
}

/// The header: the product's name and the views: the pages first, then presenting
/// (which takes the whole screen) and the glossary (which opens below the page).
/// `view` is the view shown (its tab is marked current); `onshow` hears a tab pressed,
/// `onpresent` "Present" (it starts full screen, so it is not just a view), `onglossary`
/// "Glossary".
pub fn masthead(
    view: View,
    glossary_open: bool,
    onshow: &Callback<View>,
    onpresent: Callback<MouseEvent>,
    onglossary: Callback<MouseEvent>,
) -> Html {
    let show = |to: View| onshow.reform(move |_: MouseEvent| to);
    let current = |tab: View| if view == tab { Some("page") } else { None };
    html! {
        <header class="masthead">
            <div class="masthead-inner">
                <p class="brand">{ "OneBudget" }</p>
                <nav aria-label="Views">
                    <ul class="tabs">
                        <li><button type="button" class="tab" aria-current={current(View::Public)} onclick={show(View::Public)}>{ "Summary" }</button></li>
                        <li><button type="button" class="tab" aria-current={current(View::Area)} onclick={show(View::Area)} data-testid="find-area-tab">{ "Find your area" }</button></li>
                        <li><button type="button" class="tab" aria-current={current(View::Edit)} onclick={show(View::Edit)}>{ "Edit inputs" }</button></li>
                        <li><button type="button" class="tab" aria-current={current(View::Compare)} onclick={show(View::Compare)}>{ "Compare" }</button></li>
                        <li><button type="button" class="tab" aria-current={current(View::Pack)} onclick={show(View::Pack)}>{ "Board pack" }</button></li>
                        <li><button type="button" class="tab" onclick={onpresent} data-testid="present">{ "Present" }</button></li>
                        <li><button type="button" class="tab" aria-expanded={glossary_open.to_string()} aria-controls="glossary" onclick={onglossary}>{ "Glossary" }</button></li>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

/// What just happened (an import, a link, a problem), with a way to dismiss it.
pub fn notice_banner(notice: Option<&Notice>, ondismiss: Callback<MouseEvent>) -> Html {
    let Some(notice) = notice else {
        return html! {};
    };
    let (class, role) = match notice.kind {
        NoticeKind::Success => ("notice notice-success", "status"),
        NoticeKind::Warning => ("notice notice-warning", "status"),
        NoticeKind::Error => ("notice notice-error", "alert"),
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
            <button type="button" class="button-secondary" onclick={ondismiss}>{ "Dismiss" }</button>
        </div>
    }
}

/// While the draft has problems, the results shown are the last valid scenario's: say so.
/// `problems` is how many inputs need fixing (with none, nothing is shown);
/// `onshow_inputs` hears "Show the inputs", offered unless the inputs are shown already.
pub fn stale_banner(problems: usize, onshow_inputs: Option<Callback<MouseEvent>>) -> Html {
    if problems == 0 {
        return html! {};
    }
    let count = problems;
    html! {
        <div class="notice notice-warning" role="status" data-testid="stale">
            <p>
                { format!("{count} input{} need{} fixing. The figures below are from the last valid version of this scenario.",
                    if count == 1 { "" } else { "s" }, if count == 1 { "s" } else { "" }) }
            </p>
            if let Some(onclick) = onshow_inputs {
                <button type="button" class="button-secondary" {onclick}>{ "Show the inputs" }</button>
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
