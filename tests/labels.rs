//! An input's label is written once, in the engine's registry of inputs
//! (`crates/engine/src/inputs.rs`): the editor, an embed, the board pack, the tornado, the
//! error summary and the command line all read it from there. This test reads every Rust
//! source of the workspace and fails if another one spells a label as a string of its own
//! (`"Need index"`), which is how a sixth label for `budget.uplift` would creep back.
//!
//! Not counted: comments; tests (which check what the product says); a figure's working
//! (`.input("Weight", …)`), which names the numbers a figure was worked out from in words
//! the golden results fix; and the places in [`NOT_INPUTS`], whose words name something
//! else that shares a word with an input.

use onebudget_engine::inputs::INPUTS;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// (source, or folder, and why its words are not input labels).
const NOT_INPUTS: &[(&str, &str)] = &[
    (
        "src/ui/views/glossary.rs",
        "the glossary's terms, which the registry links to by their anchors",
    ),
    (
        "src/ui/charts/",
        "a chart's table headings name results: a fair-shares target, projected people",
    ),
    (
        "src/ui/pooling/",
        "the pooling table's headings name results",
    ),
    (
        "src/ui/views/compare.rs",
        "the comparison's \"Baseline\" is the scenario the others are compared with",
    ),
    (
        "crates/engine/src/areas/source.rs",
        "the column headings of NHS England's files, as published (\"Population\")",
    ),
];

#[test]
fn no_source_but_the_registry_spells_an_inputs_label() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let registry = root.join("crates/engine/src/inputs.rs");
    let mut files = Vec::new();
    for dir in ["src", "crates/engine/src", "crates/engine/benches"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "found only {} sources", files.len());
    let mut labels: Vec<&str> = INPUTS.iter().map(|i| i.label).collect();
    labels.sort_unstable();
    labels.dedup();
    let mut found = Vec::new();
    let skipped = |file: &Path| {
        let relative = file.strip_prefix(root).unwrap_or(file).to_string_lossy();
        NOT_INPUTS
            .iter()
            .any(|(place, _)| relative.starts_with(place))
    };
    for file in files.iter().filter(|f| **f != registry && !skipped(f)) {
        let text = std::fs::read_to_string(file).expect("a source reads");
        let mut in_working = false;
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("#[cfg(test)]") {
                break;
            }
            // A working's input names its number on the same line or the next.
            let working = in_working || code.contains(".input(");
            in_working = code.ends_with(".input(");
            if code.starts_with("//") || working {
                continue;
            }
            for label in &labels {
                if code.contains(&format!("\"{label}\"")) {
                    let shown = file.strip_prefix(root).unwrap_or(file).display();
                    found.push(format!("{shown}:{}: \"{label}\"", n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "labels spelled outside the registry (read them from onebudget_engine::inputs):\n{}",
        found.join("\n")
    );
}
