// Shared by crates/engine/benches/compute.rs (native) and tests/bench_wasm.rs (browser),
// via include!, so both time exactly the same work: decode + validate + compute each
// built-in scenario, repeated until at least `budget_ms` has passed.

/// One row of figures: scenario name, runs, mean microseconds per decode+compute.
pub struct Timing {
    pub name: &'static str,
    pub runs: u32,
    pub micros_per_run: f64,
}

pub fn time_built_ins(now_ms: &dyn Fn() -> f64, budget_ms: f64) -> Vec<Timing> {
    let mut out = Vec::new();
    for example in onebudget_engine::examples::ALL {
        // Warm up once (and prove it computes) before timing.
        let results = example.scenario().ok().and_then(|s| s.compute().ok());
        assert!(results.is_some(), "{} computes", example.name);
        let start = now_ms();
        let mut runs = 0u32;
        let mut checksum = 0i64;
        while now_ms() - start < budget_ms || runs < 10 {
            let scenario = example.scenario().unwrap_or_else(|_| unreachable!());
            let results = scenario.compute().unwrap_or_else(|_| unreachable!());
            // Use the result so the work cannot be optimised away.
            checksum = checksum.wrapping_add(results.totals[0].budget.pence());
            runs += 1;
        }
        let elapsed = now_ms() - start;
        assert!(checksum != 0);
        out.push(Timing {
            name: example.name,
            runs,
            micros_per_run: elapsed * 1000.0 / runs as f64,
        });
    }
    out
}

pub fn format_timings(platform: &str, timings: &[Timing]) -> String {
    let mut s =
        format!("compute time per built-in scenario ({platform}; decode + validate + compute):\n");
    for t in timings {
        s.push_str(&format!(
            "  {:<20} {:>10.1} µs  ({} runs)\n",
            t.name, t.micros_per_run, t.runs
        ));
    }
    s
}
