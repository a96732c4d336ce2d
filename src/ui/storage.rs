//! Autosave to the browser's storage, degrading gracefully where it is blocked.
//!
//! What is saved is the draft exactly as typed and its undo history, so a reload
//! (or a crash) loses nothing. Where storage is blocked (some third-party iframes,
//! private modes) every call fails quietly and the page tells the person to use
//! Export or Copy link instead.

use serde::{Deserialize, Serialize};
use serde_json::Value;

const KEY: &str = "onebudget.work.v1";

thread_local! {
    /// Appended to [`KEY`]: an offline copy keeps its work apart from other copies
    /// opened from the same disk (they share one storage origin).
    static SLOT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Keep this page's work in its own slot (called once, at start-up, before loading).
pub fn use_slot(name: &str) {
    SLOT.with(|s| *s.borrow_mut() = format!(".{name}"));
}

fn key() -> String {
    SLOT.with(|s| format!("{KEY}{}", s.borrow()))
}

#[derive(Serialize, Deserialize)]
pub struct SavedWork {
    pub draft: Value,
    #[serde(default)]
    pub undo: Vec<Value>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether this browser lets the page store anything.
pub fn available() -> bool {
    match storage() {
        Some(s) => {
            s.set_item("onebudget.probe", "1").is_ok() && s.remove_item("onebudget.probe").is_ok()
        }
        None => false,
    }
}

/// The saved work, if any and if it can be read. Unreadable saved work is left in
/// place (never deleted) and reported as `Err` with its text.
pub fn load() -> Result<Option<SavedWork>, String> {
    let Some(s) = storage() else { return Ok(None) };
    match s.get_item(&key()) {
        Ok(Some(text)) => serde_json::from_str(&text).map(Some).map_err(|_| text),
        _ => Ok(None),
    }
}

/// Save the draft as typed, with its undo history; false if the browser refused.
pub fn save_draft(draft: &crate::draft::Draft) -> bool {
    save(&SavedWork {
        draft: draft.value().clone(),
        undo: draft.undo_history().to_vec(),
    })
}

/// Save; false if the browser refused (blocked, or full).
fn save(work: &SavedWork) -> bool {
    let Some(s) = storage() else { return false };
    match serde_json::to_string(work) {
        Ok(text) => s.set_item(&key(), &text).is_ok(),
        Err(_) => false,
    }
}
