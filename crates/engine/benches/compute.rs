//! Native compute-time benchmark: `cargo bench -p onebudget-engine --bench compute`.
//! Prints figures; it asserts nothing about speed (see bench/compute.sh).

include!("../../../benches/compute_timing.rs");

fn main() {
    let start = std::time::Instant::now();
    let now_ms = move || start.elapsed().as_secs_f64() * 1000.0;
    let timings = time_built_ins(&now_ms, 1000.0);
    print!("{}", format_timings("native, release", &timings));
}
