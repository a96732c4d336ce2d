//! Native speed of the pooling simulation: `cargo bench -p onebudget-engine --bench pooling`.
//! Prints trials per second for Healthier Together's five CCGs; asserts nothing about speed
//! (the target is a million trials of five members in under a second in wasm).

use onebudget_engine::examples;
use onebudget_engine::pooling::{Pool, Simulation};
use std::time::Instant;

/// The pool the Healthier Together built-in ships, with the shock, correlation and trial
/// count under test.
fn healthier_together(trials: u32, common_shock: f64, correlation: f64) -> Pool {
    let scenario = examples::find("healthier-together")
        .and_then(|e| e.scenario().ok())
        .expect("the built-in decodes");
    let pool = scenario.pool.expect("the built-in has a pool");
    Pool {
        trials,
        common_shock,
        correlation,
        ..pool
    }
}

fn main() {
    let trials = 1_000_000;
    println!("pooling simulation (native, release), Healthier Together's five CCGs:");
    for (label, shock, correlation) in [
        ("no shock, no correlation", 0.0, 0.0),
        ("2 % common shock", 0.02, 0.0),
        ("2 % shock, correlation 0.3", 0.02, 0.3),
    ] {
        let pool = healthier_together(trials, shock, correlation);
        let start = Instant::now();
        let mut sim = Simulation::new(&pool).unwrap_or_else(|e| panic!("{e}"));
        while !sim.is_finished() {
            sim.run_chunk(10_000);
        }
        let ran = start.elapsed().as_secs_f64();
        let summary_start = Instant::now();
        let result = sim.summary().unwrap_or_else(|e| panic!("{e}"));
        let summary = summary_start.elapsed().as_secs_f64();
        let corby = &result.members[3];
        println!(
            "  {label:<28} {:>6.0} ms for {trials} trials = {:>5.2} M trials/s; summary {:.2} ms \
             (Corby P(>3 %) alone {:.2} %, pooled {:.2} %)",
            ran * 1000.0,
            trials as f64 / ran / 1e6,
            summary * 1000.0,
            corby.standalone.probability_over_threshold.value * 100.0,
            corby.pooled.probability_over_threshold.value * 100.0,
        );
    }
}
