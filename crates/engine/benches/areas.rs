//! Native timings for real areas: `cargo bench -p onebudget-engine --bench areas`.
//! Prints figures; asserts nothing about speed (benches/areas.sh runs it beside the wasm ones).

include!("../../../benches/areas_timing.rs");

macro_rules! asset {
    ($stem:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../static/areas/",
            $stem,
            ".bin"
        ))
    };
}

fn main() {
    let start = std::time::Instant::now();
    let now_ms = move || start.elapsed().as_secs_f64() * 1000.0;
    let assets: [&[u8]; 6] = [
        asset!("2023-24"),
        asset!("2024-25"),
        asset!("2025-26"),
        asset!("2026-27"),
        asset!("2027-28"),
        asset!("2028-29"),
    ];
    let timings = time_areas(&now_ms, &assets, 300.0);
    print!("{}", format_area_timings("native, release", &timings));
}
