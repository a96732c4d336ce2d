//! Browser compute-time benchmark, run by benches/compute.sh:
//! `cargo test --release --target wasm32-unknown-unknown -p onebudget --test bench_wasm -- --include-ignored`.
//! Ignored in the normal test run: it prints figures and asserts nothing about speed.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

include!("../benches/compute_timing.rs");

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
#[ignore]
fn compute_time_per_built_in_scenario() {
    let now_ms = || js_sys::Date::now();
    let timings = time_built_ins(&now_ms, 1000.0);
    console_log!(
        "{}",
        format_timings("wasm in headless Chromium, release", &timings)
    );
}
