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

/// Open every `<details>` under `root` (a chart's rows are built when its "Data table" is
/// first opened) and let Yew render what they hold: the `toggle` events and a chart's
/// measured width arrive as tasks of their own, so on a busy machine one fixed pause is not
/// always enough; this waits until `root` stops changing (at most 5 s).
#[allow(dead_code)] // not every test file opens tables
pub async fn open_details(root: &Element) {
    let list = root.query_selector_all("details").unwrap();
    for i in 0..list.length() {
        let element: Element = wasm_bindgen::JsCast::dyn_into(list.item(i).unwrap()).unwrap();
        element.set_attribute("open", "").unwrap();
    }
    next_render().await;
    for _ in 0..50 {
        let before = root.inner_html();
        next_render().await;
        if root.inner_html() == before {
            break;
        }
    }
}

/// Let Yew render (and effects run).
pub async fn next_render() {
    yew::platform::time::sleep(std::time::Duration::from_millis(100)).await;
}
