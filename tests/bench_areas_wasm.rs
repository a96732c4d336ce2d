//! Browser timings for real areas, run by benches/areas.sh:
//! `cargo test --release --target wasm32-unknown-unknown -p onebudget --test bench_areas_wasm -- --include-ignored`.
//! Ignored in the normal test run: it prints figures and asserts nothing about speed. The
//! assets are built into the test, so "decode" is the time after download.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

include!("../benches/areas_timing.rs");

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! asset {
    ($stem:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/static/areas/",
            $stem,
            ".bin"
        ))
    };
}

#[wasm_bindgen_test]
#[ignore]
fn real_areas_timings() {
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .expect("performance");
    let now_ms = move || performance.now();
    let assets: [&[u8]; 6] = [
        asset!("2023-24"),
        asset!("2024-25"),
        asset!("2025-26"),
        asset!("2026-27"),
        asset!("2027-28"),
        asset!("2028-29"),
    ];
    let timings = time_areas(&now_ms, &assets, 300.0);
    console_log!(
        "{}",
        format_area_timings("wasm in headless Chromium, release", &timings)
    );
}
