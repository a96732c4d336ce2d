//! The engine's boundary, checked by the build rather than by convention: no web
//! crate may be anywhere in the engine's dependency tree (for any target), and
//! its sources name none.

use std::path::Path;
use std::process::Command;

const WEB_CRATES: &[&str] = &[
    "yew",
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "wasm-bindgen-futures",
    "gloo",
    "serde-wasm-bindgen",
];

#[test]
fn the_engine_depends_on_no_web_crate_for_any_target() {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "onebudget-engine",
            "-e",
            "normal,build",
            "--target",
            "all",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8(output.stdout).unwrap();
    assert!(
        tree.contains("onebudget-engine"),
        "cargo tree listed the engine: {tree}"
    );
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        assert!(
            !WEB_CRATES.contains(&name) && !name.starts_with("gloo"),
            "the engine reaches the web crate {name}:\n{tree}"
        );
    }
}

#[test]
fn the_engine_sources_name_no_web_crate() {
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/engine")];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                for web in ["yew::", "web_sys::", "js_sys::", "wasm_bindgen::", "gloo"] {
                    assert!(!text.contains(web), "{} names {web}", path.display());
                }
            }
        }
    }
    assert!(files > 5, "found the engine's sources ({files} files)");
}
