//! The post-build step (scripts/externalise_boot.py) on an index.html like Trunk's, with
//! extras another build step might add (a worker link, a data block, a second inline
//! script): every inline script becomes a file with SRI, nothing else changes, the CSP
//! comes before any script, and running it twice changes nothing more.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::PathBuf;
use std::process::Command;

const TRUNK_LIKE: &str = r#"<!DOCTYPE html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8" />
    <title>OneBudget</title>
    <link rel="stylesheet" href="./onebudget-1.css" integrity="sha384-css"/>
<script type="module">
import init, * as bindings from './onebudget-web-1.js';
const wasm = await init({ module_or_path: './onebudget-web-1_bg.wasm' });
</script>
<script>window.second = 1;</script>
<script type="application/json" id="data">{"a": 1}</script>
<script src="./already.js" integrity="sha384-x"></script>
  <link rel="modulepreload" href="./onebudget-web-1.js" crossorigin="anonymous" integrity="sha384-js"><link rel="preload" href="./onebudget-web-1_bg.wasm" crossorigin="anonymous" integrity="sha384-wasm" as="fetch" type="application/wasm"><link rel="preload" href="./worker-1.js" as="script" integrity="sha384-w"></head>
  <body><div id="app"></div></body>
</html>
"#;

fn run(dir: &std::path::Path) -> String {
    let status = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/externalise_boot.py"
        ))
        .arg(dir.join("index.html"))
        .env_remove("TRUNK_PUBLIC_URL")
        .status()
        .expect("python3 runs");
    assert!(status.success());
    fs::read_to_string(dir.join("index.html")).unwrap()
}

#[test]
fn inline_scripts_move_to_files_with_sri_and_the_csp_comes_first() {
    let dir: PathBuf = std::env::temp_dir().join(format!("onebudget-boot-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("index.html"), TRUNK_LIKE).unwrap();
    fs::write(dir.join("embed.js"), "/* host */\n").unwrap();

    let html = run(&dir);
    let csp = html
        .find(r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval';"#)
        .expect("CSP meta");
    assert!(html.find("<meta charset").unwrap() < csp);
    assert!(csp < html.find("<script").unwrap());
    assert!(!html.contains("unsafe-inline"));
    assert!(html.contains(r#"<meta name="onebudget-embed-integrity" content="sha384-"#));

    // Both executable inline scripts are now files, loaded with SRI.
    let boots: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("boot-") && n.ends_with(".js"))
        .collect();
    assert_eq!(boots.len(), 2, "{boots:?}");
    for name in &boots {
        let tag = format!(r#"src="./{name}" integrity="sha384-"#);
        assert!(html.contains(&tag), "{tag} in {html}");
    }
    assert!(html.contains(r#"<script type="module" src="./boot-"#));
    let module_file = boots
        .iter()
        .map(|n| fs::read_to_string(dir.join(n)).unwrap())
        .find(|t| t.contains("import init"))
        .expect("the module boot");
    assert!(module_file.contains("module_or_path: './onebudget-web-1_bg.wasm'"));

    // Everything else exactly as Trunk wrote it.
    for kept in [
        r#"<script type="application/json" id="data">{"a": 1}</script>"#,
        r#"<script src="./already.js" integrity="sha384-x"></script>"#,
        r#"<link rel="modulepreload" href="./onebudget-web-1.js" crossorigin="anonymous" integrity="sha384-js">"#,
        r#"<link rel="preload" href="./onebudget-web-1_bg.wasm" crossorigin="anonymous" integrity="sha384-wasm" as="fetch" type="application/wasm">"#,
        r#"<link rel="preload" href="./worker-1.js" as="script" integrity="sha384-w">"#,
        r#"<link rel="stylesheet" href="./onebudget-1.css" integrity="sha384-css"/>"#,
    ] {
        assert!(html.contains(kept), "{kept}");
    }

    // A second run finds nothing to do.
    let again = run(&dir);
    assert_eq!(again, html);
    let _ = fs::remove_dir_all(&dir);
}
