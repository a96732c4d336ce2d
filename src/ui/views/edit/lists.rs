//! Lists in the editor: their headings, "Add …" and "Remove …" buttons, and where
//! focus goes afterwards (never lost to the top of the page).

use crate::draft::{path_of, Edit};
use crate::ui::components::field_id;
use crate::ui::state::{Action, Store};
use serde_json::Value;
use yew::prelude::*;

/// How many items the array at `pointer` holds (0 if there is none).
pub fn len_at(value: &Value, pointer: &str) -> usize {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

/// The text at `pointer`, or "" when it is missing or not text.
pub fn text_at(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// "service line Acute hospital care", or "service line 3" while it has no name.
pub fn item_words(singular: &str, name: &str, index: usize) -> String {
    if name.trim().is_empty() {
        format!("{singular} {}", index + 1)
    } else {
        format!("{singular} {}", name.trim())
    }
}

/// The id of a list's "Add …" button; focus goes there after a remove.
pub fn add_id(list_pointer: &str) -> String {
    format!("add{}", field_id(list_pointer).trim_start_matches("field"))
}

/// Focus an element by id, if it is on the page.
pub fn focus(id: &str) -> bool {
    use wasm_bindgen::JsCast;
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match element {
        Some(e) => e.focus().is_ok(),
        None => false,
    }
}

/// Focus an element that the next render adds (a new item's first field).
///
/// Tried again after each of the browser's turns until the element is there: Yew draws a
/// long update (the whole editor, on a slow device) in slices of about 16 ms, handing the
/// browser a turn in between, so one turn may come before the element is drawn.
pub fn focus_after_render(id: String) {
    wasm_bindgen_futures::spawn_local(async move {
        for _ in 0..50 {
            yew::platform::time::sleep(std::time::Duration::from_millis(0)).await;
            if focus(&id) {
                return;
            }
        }
    });
}

/// Problems about a list or section as a whole ("shares must add up to 1"), shown
/// beside its heading. Problems inside its items are shown by their fields.
pub fn own_problems(store: &Store, pointer: &str, what: &str) -> Html {
    let path = path_of(pointer);
    let messages: Vec<String> = store
        .draft
        .problems()
        .iter()
        .filter(|p| p.path == path)
        .map(|p| format!("{what}: {}", p.message))
        .collect();
    html! {
        { for messages.into_iter().map(|m| html! {
            <p class="error-message">
                <span class="visually-hidden">{ "Error: " }</span>{ m }
            </p>
        }) }
    }
}

/// A list's heading (an anchor for the error summary) and its own problems.
pub fn list_heading(store: &Store, pointer: &str, heading: &str, hint: Option<&str>) -> Html {
    html! {
        <>
            <h3 id={field_id(pointer)} tabindex="-1">{ heading }</h3>
            if let Some(hint) = hint {
                <p class="hint">{ hint }</p>
            }
            { own_problems(store, pointer, heading) }
        </>
    }
}

/// "Add …": applies `edit` and moves focus to `focus_id` (the new item's first field).
pub fn add_button(
    store: &Store,
    list_pointer: &str,
    text: &str,
    edit: Edit,
    focus_id: String,
) -> Html {
    let onclick = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::Edit(edit.clone()));
            focus_after_render(focus_id.clone());
        })
    };
    html! {
        <button type="button" class="button-secondary" id={add_id(list_pointer)} {onclick}>{ text }</button>
    }
}

/// "Add …" for the common case: append `item` to the list and focus its `first_key`.
pub fn append_button(
    store: &Store,
    list_pointer: &str,
    text: &str,
    item: Value,
    first_key: &str,
) -> Html {
    let index = len_at(store.draft.value(), list_pointer);
    let edit = Edit::Insert {
        pointer: list_pointer.to_string(),
        index,
        value: item,
    };
    let focus_id = field_id(&format!("{list_pointer}/{index}/{first_key}"));
    add_button(store, list_pointer, text, edit, focus_id)
}

/// "Remove <what>": applies `edit` and moves focus to the list's "Add …" button, which
/// stays on the page.
pub fn remove_button_with(store: &Store, list_pointer: &str, what: &str, edit: Edit) -> Html {
    let add = add_id(list_pointer);
    let onclick = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::Edit(edit.clone()));
            // The button pressed is going; the "Add" button stays, so focus it now
            // and again once the page has re-rendered.
            focus(&add);
            focus_after_render(add.clone());
        })
    };
    html! {
        <button type="button" class="button-secondary button-remove" {onclick}>
            { "Remove" }<span class="visually-hidden">{ format!(" {what}") }</span>
        </button>
    }
}

/// "Remove <what>" for item `index` of the list at `list_pointer`.
pub fn remove_button(store: &Store, list_pointer: &str, index: usize, what: &str) -> Html {
    remove_button_with(
        store,
        list_pointer,
        what,
        Edit::Remove {
            pointer: list_pointer.to_string(),
            index,
        },
    )
}

/// A name not yet used in `names`: `base`, else "`base` 2", "`base` 3", …
pub fn unique_name(base: &str, names: &[String], start: usize) -> String {
    let taken = |candidate: &str| {
        names
            .iter()
            .any(|n| n.trim().eq_ignore_ascii_case(candidate))
    };
    let mut n = start.max(2);
    if start <= 1 && !taken(base) {
        return base.to_string();
    }
    loop {
        let candidate = format!("{base} {n}");
        if !taken(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

/// The names (or labels) of a list's items, as typed.
pub fn names_at(value: &Value, list_pointer: &str, key: &str) -> Vec<String> {
    value
        .pointer(list_pointer)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|i| i.get(key).and_then(Value::as_str).unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}
