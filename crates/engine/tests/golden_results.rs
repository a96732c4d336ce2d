//! Every built-in scenario's full results, pinned as JSON in tests/golden/.
//!
//! The same files are checked in the browser (tests/browser.rs at the repository
//! root), so native and wasm must give byte-identical results. After a deliberate
//! change to the engine, regenerate with `ONEBUDGET_BLESS=1 cargo test --test golden_results`
//! and review the diff like code.

use onebudget_engine::examples;
use std::path::PathBuf;

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.results.json"))
}

#[test]
fn built_in_results_match_their_golden_files() {
    let bless = std::env::var_os("ONEBUDGET_BLESS").is_some();
    for example in examples::ALL {
        let results = example.scenario().unwrap().compute().unwrap();
        let text = serde_json::to_string_pretty(&results).unwrap() + "\n";
        let path = golden_path(example.name);
        if bless {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with ONEBUDGET_BLESS=1)", path.display()));
        assert!(
            text == want,
            "{} differs from {}: run with ONEBUDGET_BLESS=1 and review the diff",
            example.name,
            path.display()
        );
    }
}
