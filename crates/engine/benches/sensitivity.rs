//! Native tornado-time benchmark: `cargo bench -p onebudget-engine --bench sensitivity`.
//! For each built-in and each figure a tornado can be drawn for: how many inputs are
//! varied and how long the whole tornado (two recomputations an input) takes at ±10 %.
//! Prints figures; asserts nothing about speed.

use onebudget_engine::{examples, sensitivity};
use std::time::Instant;

fn main() {
    println!("tornado at ±10 %, native release (fastest of 7 runs: the machine may be busy)");
    for example in examples::ALL {
        let Ok(scenario) = example.scenario() else {
            continue;
        };
        let Ok(results) = scenario.compute() else {
            continue;
        };
        for figure in sensitivity::figures_for(&results) {
            let mut times = Vec::new();
            let mut rows = 0;
            for _ in 0..7 {
                let start = Instant::now();
                if let Ok(t) = sensitivity::tornado(&scenario, figure, 0.1) {
                    rows = t.rows.len();
                }
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            println!(
                "{:<20} {:<28} {:>3} inputs {:>9.2} ms",
                example.name,
                figure.key(),
                rows,
                times[0]
            );
        }
    }
}
