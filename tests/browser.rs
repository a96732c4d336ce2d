//! Browser tests: the app mounted in headless Chromium by wasm-bindgen-test.
//! Run with `cargo test --target wasm32-unknown-unknown -p onebudget` (scripts/test.sh).
#![cfg(target_arch = "wasm32")]

use onebudget::engine::money::Pence;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    root.set_id("app");
    document.body().unwrap().append_child(&root).unwrap();
    onebudget::ui::start();
    root
}

async fn next_render() {
    yew::platform::time::sleep(std::time::Duration::from_millis(50)).await;
}

#[wasm_bindgen_test]
async fn the_app_renders_the_engines_figure() {
    let root = mount();
    next_render().await;
    let budget = root
        .query_selector("[data-testid=budget]")
        .unwrap()
        .expect("the budget figure is on the page");
    let text = budget.text_content().unwrap();
    assert!(text.starts_with('£'), "{text}");
    // The same figure the engine gives natively for the default place.
    let pounds: i64 = text
        .trim_start_matches('£')
        .replace(',', "")
        .parse()
        .unwrap();
    assert!(pounds > Pence(0).pence(), "{text}");
    root.remove();
}
