//! What both "Embed this" panels (a scenario's and an area's) do with their settings and
//! snippets: read an input's text, and copy a snippet saying whether the browser allowed it.

use crate::ui::files;
use yew::prelude::*;

/// The text of the input an event came from.
pub fn input_value(e: &Event) -> String {
    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
    input.value()
}

/// A button's action that copies one snippet (`what` names it) and says in `copied` whether
/// the browser allowed it.
pub fn copy_snippet(
    copied: &UseStateHandle<Option<String>>,
    what: &'static str,
    text: String,
) -> Callback<MouseEvent> {
    let copied = copied.clone();
    Callback::from(move |_| {
        let copied = copied.clone();
        let text = text.clone();
        wasm_bindgen_futures::spawn_local(async move {
            copied.set(Some(match files::copy_to_clipboard(&text).await {
                Ok(()) => format!("Copied the {what}."),
                Err(_) => {
                    format!(
                        "Your browser did not allow copying: select the {what} above and copy it."
                    )
                }
            }));
        });
    })
}
