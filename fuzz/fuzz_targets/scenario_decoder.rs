//! Fuzz the scenario decoder: any bytes, read as (lossy) UTF-8, must come back as either a
//! scenario or a list of problems, never a panic. A scenario that decodes is computed, its
//! results turned into CSV, and the cheap conservation invariants checked: every split sums
//! to its whole, to the penny. Any panic or failed assertion is a crash libFuzzer keeps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onebudget_engine::scenario::{self, Results};
use onebudget_engine::validation::Problem;

fuzz_target!(|data: &[u8]| {
    // Valid UTF-8 passes through unchanged; anything else is read as the app would.
    let text = String::from_utf8_lossy(data);
    match scenario::decode(&text) {
        Err(problems) => check_problems(&problems),
        Ok(s) => match s.compute() {
            Ok(results) => {
                check_results(&results);
                let csv = scenario::results_csv(&results);
                assert!(csv.starts_with("table,item,year,measure,value,unit\n"));
            }
            // A decoded scenario is valid by its type; only absurd amounts may overflow,
            // naming the field they are in.
            Err(e) => {
                assert!(!e.path.trim().is_empty() && !e.error.to_string().is_empty());
            }
        },
    }
});

fn check_problems(problems: &[Problem]) {
    assert!(!problems.is_empty(), "refused with no problems");
    for p in problems {
        assert!(!p.path.trim().is_empty(), "a problem with no path: {p:?}");
        assert!(
            !p.message.trim().is_empty(),
            "a problem with no message: {p:?}"
        );
    }
}

/// The engine's own audit: every split sums to its whole, to the penny.
fn check_results(r: &Results) {
    let breaks = r.conservation_breaks();
    assert!(breaks.is_empty(), "splits that do not add up: {breaks:?}");
}
