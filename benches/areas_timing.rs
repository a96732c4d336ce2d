// Shared by crates/engine/benches/areas.rs (native) and tests/bench_areas_wasm.rs (headless
// Chromium), via include!, so both time exactly the same work on the same assets: decoding a
// year, building the search index, a search per key press, a place of 500 practices, fair
// shares among every ICB and every district, and an ICB's full report with its six-year trend.
// Figures only: nothing here asserts a speed (benches/areas.sh prints them).

use onebudget_engine::areas::fair_share::{fair_shares, CORE_SERVICES_2024_25};
use onebudget_engine::areas::place::place;
use onebudget_engine::areas::rank::ranking;
use onebudget_engine::areas::report::area_report;
use onebudget_engine::areas::search::SearchIndex;
use onebudget_engine::areas::{decode, Area, AreaKind, Component, Dataset};
use std::hint::black_box;

/// One line of figures: what was timed, how long it took on average (and at worst, where
/// several cases were timed), and how often.
pub struct AreaTiming {
    pub what: String,
    pub mean_ms: f64,
    pub worst_ms: f64,
    pub runs: u32,
}

/// Mean milliseconds per run of `work`, repeated until `budget_ms` has passed (at least 3 runs).
fn time(now_ms: &dyn Fn() -> f64, budget_ms: f64, work: &mut dyn FnMut()) -> (f64, u32) {
    work(); // warm up
    let start = now_ms();
    let mut runs = 0u32;
    while now_ms() - start < budget_ms || runs < 3 {
        work();
        runs += 1;
    }
    ((now_ms() - start) / f64::from(runs), runs)
}

/// What a visitor types, a key at a time.
const TYPED: [&str; 6] = [
    "densham surgery",
    "TS18 1HU",
    "stockton",
    "NHS Devon",
    "E06000046",
    "queens park medical",
];

/// `assets`: every year's bytes, oldest first; the figures use the third (2025/26).
pub fn time_areas(now_ms: &dyn Fn() -> f64, assets: &[&[u8]], budget_ms: f64) -> Vec<AreaTiming> {
    let mut out = Vec::new();
    let mut line = |what: String, (mean_ms, runs): (f64, u32), worst_ms: f64| {
        out.push(AreaTiming {
            what,
            mean_ms,
            worst_ms: worst_ms.max(mean_ms),
            runs,
        });
    };
    let years: Vec<Dataset> = assets
        .iter()
        .map(|b| decode(b).expect("the asset decodes"))
        .collect();
    for (bytes, data) in assets.iter().zip(&years) {
        let timing = time(now_ms, budget_ms, &mut || {
            black_box(decode(black_box(bytes)).is_ok());
        });
        line(
            format!("decode {} ({} bytes)", data.year().label(), bytes.len()),
            timing,
            0.0,
        );
    }
    let data = &years[2.min(years.len() - 1)];
    line(
        "build the search index (once per year)".into(),
        time(now_ms, budget_ms, &mut || {
            black_box(SearchIndex::new(black_box(data)));
        }),
        0.0,
    );
    let index = SearchIndex::new(data);
    let (mut total, mut keys, mut worst) = (0.0, 0u32, 0f64);
    for typed in TYPED {
        for end in 1..=typed.len() {
            let prefix = &typed[..end];
            let (ms, _) = time(now_ms, budget_ms / 40.0, &mut || {
                black_box(index.search(black_box(prefix), 20));
            });
            total += ms;
            keys += 1;
            worst = worst.max(ms);
        }
    }
    line(
        format!(
            "search per key press ({keys} prefixes of {} queries; worst shown)",
            TYPED.len()
        ),
        (total / f64::from(keys), keys),
        worst,
    );
    let codes: Vec<String> = data
        .practices()
        .iter()
        .step_by((data.practices().len() / 500).max(1))
        .take(500)
        .map(|p| p.code.clone())
        .collect();
    line(
        format!(
            "a place of {} practices (codes found, totals, both indices)",
            codes.len()
        ),
        time(now_ms, budget_ms, &mut || {
            black_box(place(data, black_box(&codes)));
        }),
        0.0,
    );
    for kind in [AreaKind::Icb, AreaKind::Lad] {
        let n = data.areas(kind).len();
        line(
            format!(
                "fair shares among {n} {} and their ranking",
                if kind == AreaKind::Icb {
                    "ICBs"
                } else {
                    "districts"
                }
            ),
            time(now_ms, budget_ms, &mut || {
                black_box(fair_shares(data, kind, CORE_SERVICES_2024_25, Component::Core).is_ok());
                black_box(ranking(data, kind, Component::Core));
            }),
            0.0,
        );
    }
    let refs: Vec<&Dataset> = years.iter().collect();
    let icb = Area::Icb(0);
    line(
        format!("an ICB's full report with its {}-year trend", refs.len()),
        time(now_ms, budget_ms, &mut || {
            black_box(
                area_report(
                    data,
                    icb,
                    CORE_SERVICES_2024_25,
                    Component::Core,
                    black_box(&refs),
                )
                .is_ok(),
            );
        }),
        0.0,
    );
    out
}

pub fn format_area_timings(platform: &str, timings: &[AreaTiming]) -> String {
    let mut s = format!("real areas ({platform}):\n");
    for t in timings {
        if t.worst_ms > t.mean_ms {
            s.push_str(&format!(
                "  {:<62} {:>9.3} ms  (worst {:.3} ms; {} runs)\n",
                t.what, t.mean_ms, t.worst_ms, t.runs
            ));
        } else {
            s.push_str(&format!(
                "  {:<62} {:>9.3} ms  ({} runs)\n",
                t.what, t.mean_ms, t.runs
            ));
        }
    }
    s
}
