//! Browser tests: the app mounted in headless Chromium by wasm-bindgen-test.
//! Run with `cargo test --target wasm32-unknown-unknown -p onebudget` (scripts/test.sh).
#![cfg(target_arch = "wasm32")]

use onebudget::engine::examples;
use wasm_bindgen_test::*;

mod common;
use common::{mount, next_render};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_app_shows_the_engines_figure_for_the_default_scenario() {
    let root = mount();
    next_render().await;
    let budget = root
        .query_selector("[data-testid=budget]")
        .unwrap()
        .expect("the budget figure is on the page");
    // The same figure the engine computes for the default scenario (here, in wasm).
    let expected = examples::default_scenario().compute().unwrap().totals[0]
        .budget
        .display_pounds();
    assert_eq!(budget.text_content().unwrap(), expected);
    root.remove();
}

/// The golden results written natively by crates/engine/tests/golden_results.rs.
const GOLDEN: &[(&str, &str)] = &[
    (
        "anytown",
        include_str!("../crates/engine/tests/golden/anytown.results.json"),
    ),
    (
        "healthier-together",
        include_str!("../crates/engine/tests/golden/healthier-together.results.json"),
    ),
    (
        "isle-of-wight",
        include_str!("../crates/engine/tests/golden/isle-of-wight.results.json"),
    ),
    (
        "cquin",
        include_str!("../crates/engine/tests/golden/cquin.results.json"),
    ),
];

#[wasm_bindgen_test]
fn the_engine_gives_byte_identical_results_in_wasm_and_natively() {
    assert_eq!(
        GOLDEN.len(),
        examples::ALL.len(),
        "every built-in has a golden file"
    );
    for (name, want) in GOLDEN {
        let results = examples::find(name)
            .unwrap()
            .scenario()
            .unwrap()
            .compute()
            .unwrap();
        let got = serde_json::to_string_pretty(&results).unwrap() + "\n";
        assert!(
            got == *want,
            "{name}: wasm results differ from the native golden file"
        );
    }
}
