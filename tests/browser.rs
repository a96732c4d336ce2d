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
    let expected = onebudget::engine::scenario::ValidScenario::new(examples::default_scenario())
        .unwrap()
        .compute()
        .unwrap()
        .totals[0]
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

include!("../crates/engine/tests/common/golden_diff.rs");

#[wasm_bindgen_test]
fn the_engine_gives_byte_identical_results_in_wasm_and_natively() {
    assert_eq!(
        GOLDEN.len(),
        examples::ALL.len(),
        "every built-in has a golden file"
    );
    let mut differ = Vec::new();
    for (name, want) in GOLDEN {
        let results = examples::find(name)
            .unwrap()
            .scenario()
            .unwrap()
            .compute()
            .unwrap();
        let got = serde_json::to_string_pretty(&results).unwrap() + "\n";
        let diff = golden_diff(want, &got, 60);
        if !diff.is_empty() {
            differ.push(format!("{name}:\n{diff}"));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} built-ins give different results in wasm than the native golden files:\n\n{}",
        differ.len(),
        GOLDEN.len(),
        differ.join("\n\n")
    );
}

/// The money rules' hard cases give in wasm the pence the engine's native unit tests assert
/// (money.rs, capitation.rs, population.rs): exact arithmetic and libm's `pow`, never a
/// platform's own `powi`, so a browser and the command line agree to the penny.
#[wasm_bindgen_test]
fn the_money_rules_hard_cases_are_the_same_in_wasm() {
    use onebudget::engine::money::{apportion_f64, per_head, Decimal, Pence};
    use onebudget::engine::population::BandPopulation;
    // 367.6 million weighted people at £1,732: 63,674,857,640,067.5p.
    assert_eq!(
        Pence(173_200).mul_rate(367_637_746.189_766_17),
        Ok(Pence(63_674_857_640_068))
    );
    // 389,500p × (1.0083 × 0.9876)³ = 384,609.50007…p.
    let year = Decimal::one_plus(0.0083)
        .unwrap()
        .times(&Decimal::one_plus(-0.0124).unwrap());
    assert_eq!(
        Pence(389_500).times(&year.times(&year).times(&year)),
        Ok(Pence(384_610))
    );
    assert_eq!(Pence(100_100).mul_one_plus(-0.005), Ok(Pence(99_600)));
    assert_eq!(
        apportion_f64(Pence(10_000_000_000), &[0.1234564, 0.8765436]).unwrap(),
        vec![Pence(1_234_564_000), Pence(8_765_436_000)]
    );
    assert_eq!(
        apportion_f64(Pence(1_000_000_100), &[0.0000001, 1.0]).unwrap(),
        vec![Pence(100), Pence(1_000_000_000)]
    );
    assert_eq!(
        per_head(Pence(10_000_000_000), 1.0000004),
        Ok(Some(Pence(9_999_996_000)))
    );
    for (growth, years, power) in [
        (0.002, 4, 1.008_024_032_016),
        (0.002, 9, 1.018_144_674_020_037_5),
        (0.001, 3, 1.003_003_000_999_999_7),
        (0.001, 8, 1.008_028_056_070_055_2),
    ] {
        assert_eq!(BandPopulation::new(1, growth).projected(years), power);
    }
}

/// What the page posts to a pooling worker and what comes back, through serde-wasm-bindgen
/// and the browser's own structured clone (what `postMessage` does), to the bit.
#[wasm_bindgen_test]
fn pooling_worker_messages_cross_a_structured_clone_to_the_bit() {
    use onebudget::engine::pooling::{Simulation, STREAM_TRIALS};
    use onebudget::pool_run::{FromWorker, ToWorker, WorkerRuns};
    use wasm_bindgen::{JsCast, JsValue};

    let structured_clone = |value: &JsValue| -> JsValue {
        let clone: js_sys::Function =
            js_sys::Reflect::get(&js_sys::global(), &"structuredClone".into())
                .expect("structuredClone exists")
                .unchecked_into();
        clone.call1(&JsValue::NULL, value).expect("clones")
    };
    let mut pool = examples::find("healthier-together")
        .unwrap()
        .scenario()
        .unwrap()
        .into_scenario()
        .pool
        .unwrap();
    // Fractions that decimal text without an exact parser can confuse.
    pool.common_shock = 0.1 + 0.2;
    pool.overspend_threshold = 1.0 / 3.0;
    pool.members[0].cost_variation = f64::from_bits(3.0f64.to_bits() + 1);
    pool.trials = STREAM_TRIALS + 500;
    pool.seed = (1 << 53) - 1;
    let job = ToWorker::Stream {
        run: 3,
        pool: pool.clone(),
        stream: 1,
    };
    let sent = structured_clone(&serde_wasm_bindgen::to_value(&job).unwrap());
    let received: ToWorker = serde_wasm_bindgen::from_value(sent).unwrap();
    assert_eq!(received, job);

    let answer = WorkerRuns::default().answer(received, &|| 0.0);
    let FromWorker::Tally { tally, .. } = &answer else {
        panic!("a tally");
    };
    // The bins travel as one typed array per series, not 4,096 objects.
    let value = serde_wasm_bindgen::to_value(&answer).unwrap();
    // {tally: {run, tally: {stream, tally: {trials, standalone, pool: {…}, …}}, elapsed_ms}}
    let bins = js_sys::Reflect::get(&value, &"tally".into())
        .and_then(|t| js_sys::Reflect::get(&t, &"tally".into()))
        .and_then(|t| js_sys::Reflect::get(&t, &"tally".into()))
        .and_then(|t| js_sys::Reflect::get(&t, &"pool".into()))
        .and_then(|t| js_sys::Reflect::get(&t, &"histogram".into()))
        .and_then(|t| js_sys::Reflect::get(&t, &"bins".into()))
        .unwrap();
    assert!(bins.is_instance_of::<js_sys::Uint8Array>());
    let back: FromWorker = serde_wasm_bindgen::from_value(structured_clone(&value)).unwrap();
    assert!(back == answer, "a tally changed on its way back");
    // And it is exactly the stream the page would have run itself.
    let here = Simulation::new(&pool).unwrap().run_stream(1).unwrap();
    assert!(**tally == here);
}
