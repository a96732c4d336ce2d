//! The browser build's settings, each written once, or, where the tools make us write it
//! twice, checked to agree: a build with two wasm-opt settings, or a wasm-bindgen CLI that
//! does not match the crate, fails in ways that are slow to trace.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

fn read(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The value of `attribute="…"` in `tag`, if it has it.
fn attribute<'a>(tag: &'a str, attribute: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {attribute}=\""))? + attribute.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// Each `<link data-trunk rel="rust" …>` of index.html: a build Trunk makes.
fn rust_links(html: &str) -> Vec<&str> {
    html.match_indices("<link data-trunk rel=\"rust\"")
        .map(|(start, _)| {
            let end = html[start..].find('>').expect("a closed link") + start;
            &html[start..=end]
        })
        .collect()
}

/// The version in `name = "<package>"`'s entry of Cargo.lock.
fn locked_version(lock: &str, package: &str) -> Option<String> {
    let entry = lock.split("[[package]]").find(|entry| {
        entry
            .lines()
            .any(|line| line.trim() == format!("name = \"{package}\""))
    })?;
    entry
        .lines()
        .find_map(|line| line.trim().strip_prefix("version = \""))
        .map(|v| v.trim_end_matches('"').to_string())
}

/// The wasm-opt passes the pooling worker adds to the app's: a function called from one
/// place is not inlined when it is bigger than this, so the simulation's hot loops stay
/// functions of their own, which a browser optimises while a run goes on (a running call
/// cannot be switched to optimised code; docs/SIZE.md).
const WORKER_EXTRA_PASSES: &str = "--one-caller-inline-max-function-size 100";

/// wasm-opt's level and passes for the app: written once in index.html, on the app's link
/// (`data-split-wasm-opt`, `data-split-wasm-opt-params`). That link turns Trunk's own
/// wasm-opt off, because the post-build hook (scripts/split_wasm.py) cuts the app first and
/// then optimises the first download and each chunk with those settings, read from there.
/// The worker's wasm Trunk optimises itself, and Trunk takes passes only per link: the worker's are
/// the app's written again, with the worker's own at -O3 for speed, checked to agree.
#[test]
fn every_wasm_is_optimised_with_the_apps_one_wasm_opt_setting() {
    let html = read("index.html");
    let links = rust_links(&html);
    let bins: Vec<&str> = links
        .iter()
        .filter_map(|l| attribute(l, "data-bin"))
        .collect();
    assert_eq!(
        bins,
        ["onebudget-web", "onebudget-pool-worker"],
        "index.html's builds"
    );
    let (app, worker) = (links[0], links[1]);
    let level = attribute(app, "data-split-wasm-opt").expect("the app's wasm-opt level");
    let passes = attribute(app, "data-split-wasm-opt-params").expect("the app's wasm-opt passes");
    assert!(level != "0" && passes.contains("--enable-"));
    assert_eq!(
        html.matches("data-split-wasm-opt-params=").count(),
        1,
        "index.html writes the app's wasm-opt passes more than once"
    );
    assert_eq!(
        attribute(app, "data-wasm-opt"),
        Some("0"),
        "Trunk optimises the app, whose output the post-build hook throws away"
    );
    assert_eq!(attribute(app, "data-wasm-opt-params"), None);
    assert_eq!(attribute(app, "data-cargo-profile-release"), None);

    // The post-build hook reads the same two, from index.html.
    let read_by_hook = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys; sys.path.insert(0, 'scripts'); import split_wasm as s\n\
             level, passes = s.wasm_opt_settings(open('index.html', encoding='utf-8').read())\n\
             print(level); print(' '.join(passes))",
        )
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3 runs");
    assert!(
        read_by_hook.status.success(),
        "{}",
        String::from_utf8_lossy(&read_by_hook.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&read_by_hook.stdout),
        format!("{level}\n{passes}\n"),
        "scripts/split_wasm.py optimises the app with other settings than index.html's"
    );

    // The worker: the app's passes at -O3, with the hot functions kept out of line, built
    // with Cargo's `worker` profile (opt-level 3), for speed.
    assert_eq!(
        attribute(worker, "data-wasm-opt"),
        Some("3"),
        "the worker's wasm-opt level"
    );
    assert_eq!(
        attribute(worker, "data-wasm-opt-params"),
        Some(format!("{passes} {WORKER_EXTRA_PASSES}").as_str()),
        "the worker's wasm-opt passes are the app's and {WORKER_EXTRA_PASSES}"
    );
    assert_eq!(
        attribute(worker, "data-cargo-profile-release"),
        Some("worker")
    );
    let manifest = read("Cargo.toml");
    let profile = manifest
        .split("[profile.worker]")
        .nth(1)
        .expect("Cargo.toml has a [profile.worker]");
    let profile = profile.split("\n[").next().unwrap_or(profile);
    assert!(profile.contains("inherits = \"release\""), "{profile}");
    assert!(profile.contains("opt-level = 3"), "{profile}");

    // Neither the hook nor the size script keeps a copy of them.
    for file in ["scripts/split_wasm.py", "benches/wasm_items.sh"] {
        assert!(
            !read(file).contains("--enable-"),
            "{file} writes wasm-opt's passes again: read them from index.html"
        );
    }
}

#[test]
fn wasm_bindgen_is_pinned_once_and_everything_reads_the_pin() {
    let manifest = read("Cargo.toml");
    let pinned = manifest
        .lines()
        .find_map(|line| line.trim().strip_prefix("wasm-bindgen = \"="))
        .map(|v| v.trim_end_matches('"').to_string())
        .expect("Cargo.toml pins wasm-bindgen exactly (`wasm-bindgen = \"=x.y.z\"`)");
    assert_eq!(
        locked_version(&read("Cargo.lock"), "wasm-bindgen").as_deref(),
        Some(pinned.as_str()),
        "Cargo.lock's wasm-bindgen is not Cargo.toml's pin: run cargo update -p wasm-bindgen"
    );
    // Trunk takes the version from Cargo.lock when Trunk.toml names none; the setup script
    // reads Cargo.lock; the README names no version.
    for file in ["Trunk.toml", "scripts/setup.sh", "README.md"] {
        assert!(
            !read(file).contains(&pinned),
            "{file} writes wasm-bindgen's version {pinned} again: read it from Cargo.lock"
        );
    }
    assert!(
        !read("Trunk.toml")
            .lines()
            .any(|line| line.trim_start().starts_with("wasm_bindgen")),
        "Trunk.toml names a wasm-bindgen version: Trunk reads Cargo.lock's"
    );
    assert!(read("scripts/setup.sh").contains("Cargo.lock"));
}

#[test]
fn trunks_wasm_opt_is_the_binaryen_package_json_installs() {
    let trunk = read("Trunk.toml");
    let version = trunk
        .lines()
        .find_map(|line| line.trim().strip_prefix("wasm_opt = \"version_"))
        .map(|v| v.trim_end_matches('"').to_string())
        .expect("Trunk.toml names wasm-opt's version (`wasm_opt = \"version_N\"`)");
    let package = read("package.json");
    assert!(
        package.contains(&format!("\"binaryen\": \"{version}.")),
        "Trunk.toml's wasm-opt is version {version}, package.json's binaryen is not"
    );
    let lock = read("package-lock.json");
    let locked = lock
        .split("\"node_modules/binaryen\": {")
        .nth(1)
        .and_then(|rest| rest.split("\"version\": \"").nth(1))
        .and_then(|rest| rest.split('.').next())
        .expect("package-lock.json locks binaryen");
    assert_eq!(locked, version, "package-lock.json's binaryen");
}

#[test]
fn the_readers_find_what_they_look_for() {
    let tag = r#"<link data-trunk rel="rust" data-bin="x" data-wasm-opt="z" data-wasm-opt-params="--a --b" />"#;
    assert_eq!(attribute(tag, "data-bin"), Some("x"));
    assert_eq!(attribute(tag, "data-wasm-opt"), Some("z"));
    assert_eq!(attribute(tag, "data-wasm-opt-params"), Some("--a --b"));
    assert_eq!(attribute(tag, "data-type"), None);
    let lock = "[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.1\"\n\n\
                [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.9\"\n";
    assert_eq!(
        locked_version(lock, "wasm-bindgen").as_deref(),
        Some("0.2.9")
    );
    assert_eq!(locked_version(lock, "yew"), None);
}
