//! Shared by the browser tests (browser.rs, charts.rs, editor.rs).

use web_sys::Element;

/// Mount a fresh app on `#app` with the default scenario: saved work from an earlier
/// test is cleared first.
pub fn mount() -> Element {
    let window = web_sys::window().unwrap();
    if let Ok(Some(storage)) = window.local_storage() {
        storage.clear().unwrap();
    }
    let document = window.document().unwrap();
    let root = document.create_element("div").unwrap();
    root.set_id("app");
    document.body().unwrap().append_child(&root).unwrap();
    onebudget::ui::start();
    root
}

/// Let Yew render (and effects run).
pub async fn next_render() {
    yew::platform::time::sleep(std::time::Duration::from_millis(100)).await;
}
