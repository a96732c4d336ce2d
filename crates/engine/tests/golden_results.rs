//! Every built-in scenario's full results, pinned as JSON in tests/golden/.
//!
//! The same files are checked in the browser (tests/browser.rs at the repository
//! root), so native and wasm must give byte-identical results. A failure names every
//! file that differs, each with the lines that differ. After a deliberate change to the
//! engine, regenerate with `ONEBUDGET_BLESS=1 cargo test --test golden_results` and
//! review the diff like code.

use onebudget_engine::examples;
use std::path::PathBuf;

include!("common/golden_diff.rs");

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.results.json"))
}

#[test]
fn built_in_results_match_their_golden_files() {
    let bless = std::env::var_os("ONEBUDGET_BLESS").is_some();
    let mut differ = Vec::new();
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
        let diff = golden_diff(&want, &text, 60);
        if !diff.is_empty() {
            differ.push(format!(
                "{} differs from {}:\n{diff}",
                example.name,
                path.display()
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} built-ins differ from their golden files (run with ONEBUDGET_BLESS=1 and \
         review the diff):\n\n{}",
        differ.len(),
        examples::ALL.len(),
        differ.join("\n\n")
    );
}

#[test]
fn a_diff_names_each_differing_line_or_the_stretch_that_differs() {
    assert_eq!(golden_diff("a\nb\n", "a\nb\n", 10), "");
    assert_eq!(golden_diff("a\nb\nc\n", "a\nB\nc\n", 10), "line 2:\n-b\n+B");
    assert_eq!(
        golden_diff("a\nb\nc\n", "a\nx\ny\nc\n", 10),
        "the golden file's line 2, now lines 2 to 3:\n-b\n+x\n+y"
    );
    assert_eq!(
        golden_diff("a\nc\n", "a\nb\nc\n", 10),
        "the golden file's nothing after line 1, now line 2:\n+b"
    );
    let long = golden_diff("1\n2\n3\n4\n", "a\nb\nc\nd\n", 4);
    assert!(long.ends_with("… and 8 more lines of diff"), "{long}");
}
