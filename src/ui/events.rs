//! Listening to the window or document from an effect, and stopping when it is cleaned up.

use wasm_bindgen::closure::{Closure, WasmClosure};
use wasm_bindgen::JsCast;

/// Listen for `event` on `target` until the returned function runs: return it from a
/// `use_effect_with` so the listener goes when the component does (or its inputs change).
/// Rationale: every hand-written add/remove pair risked removing a different closure than it
/// added, or forgetting the removal; one function keeps the pair together.
pub fn listen<T: ?Sized + WasmClosure>(
    target: Option<impl AsRef<web_sys::EventTarget>>,
    event: &'static str,
    listener: Closure<T>,
) -> impl FnOnce() {
    if let Some(t) = &target {
        let _ = t
            .as_ref()
            .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    }
    move || {
        if let Some(t) = &target {
            let _ = t
                .as_ref()
                .remove_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        }
        drop(listener);
    }
}
