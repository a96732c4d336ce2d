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

/// The host script's SRI hash, which the build writes into index.html
/// (`<meta name="onebudget-embed-integrity">`, scripts/externalise_boot.py).
pub fn host_script_integrity() -> Option<String> {
    let content = web_sys::window()?
        .document()?
        .query_selector("meta[name=\"onebudget-embed-integrity\"]")
        .ok()??
        .get_attribute("content")?;
    let ok = content.strip_prefix("sha384-").is_some_and(|b64| {
        !b64.is_empty()
            && b64
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
    });
    ok.then_some(content)
}
