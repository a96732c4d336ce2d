//! Sharing by link: the whole scenario in the URL fragment (engine `link`), which a
//! browser never sends to a server.

use onebudget_engine::link;
use onebudget_engine::scenario::Scenario;

/// The fragment the page was opened with, if it looks like a OneBudget link, removed
/// from the address bar so that a reload restores the (autosaved) work rather than
/// reopening the link over it.
pub fn take_link_from_location() -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let fragment = hash.strip_prefix('#').unwrap_or(&hash);
    if !fragment.starts_with('s') || fragment.len() < 3 {
        return None;
    }
    if let Ok(history) = window.history() {
        let without_hash = page_address();
        let _ =
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&without_hash));
    }
    Some(fragment.to_string())
}

/// This page's address without its fragment.
pub fn page_address() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    match href.find('#') {
        Some(i) => href[..i].to_string(),
        None => href,
    }
}

/// The full link to a scenario, or `None` if it is too large for a link.
pub fn link_to(scenario: &Scenario) -> Option<String> {
    let fragment = link::encode(scenario);
    (fragment.len() <= link::MAX_LINK_CHARS).then(|| format!("{}#{fragment}", page_address()))
}
