//! The build step that cuts the wasm (scripts/split_wasm.py), on inputs shaped like what
//! wasm_split_cli and wasm-bindgen write: the descriptor marker's import is renamed and
//! renamed back with nothing else changed; the loader fetches each chunk by its key in
//! the manifest with the manifest's hash; the offline boot module has no import or export
//! and names every loader function where the glue expects it.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

/// Run `code` with the script imported as `s`; its standard output.
fn python(code: &str) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sys; sys.path.insert(0, {:?}); import split_wasm as s\n{code}",
            concat!(env!("CARGO_MANIFEST_DIR"), "/scripts")
        ))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_marker_import_is_renamed_and_back_with_every_other_byte_kept() {
    // A module importing a function, a table, a memory and a global, then a custom
    // section: only the one import's name may change.
    let out = python(
        r#"
def name(t): return bytes([len(t)]) + t
imports = [
    name(b"__wbindgen_placeholder__") + name(b"__wbindgen_describe_generic_import") + b"\x00\x00",
    name(b"env") + name(b"table") + b"\x01\x70\x01\x02\x90\x01",
    name(b"env") + name(b"memory") + b"\x02\x00\x11",
    name(b"env") + name(b"g") + b"\x03\x7f\x01",
]
body = bytes([len(imports)]) + b"".join(imports)
custom = name(b"reloc.CODE") + b"\x01\x02\x03"
wasm = b"\0asm\x01\0\0\0" + b"\x01\x04\x01\x60\x00\x00" + b"\x02" + s._uleb(len(body)) + body + b"\x00" + bytes([len(custom)]) + custom
old, new = "__wbindgen_describe_generic_import", "__wbindgen_describe_cast"
cut, n = s.rename_import(wasm, "__wbindgen_placeholder__", old, new)
back, m = s.rename_import(cut, "__wbindgen_placeholder__", new, old)
print(n, m, back == wasm, new.encode() in cut, old.encode() in cut, cut.endswith(custom))
"#,
    );
    assert_eq!(out.trim(), "1 1 True True False True");
}

const LOADER: &str = r#"import { initSync } from "./main.js";
let sharedImports = undefined;
function makeLoad(fetchOpts, deps) { return () => {}; }
function makeFetch(srcUrl) {
    return () => { const src = fetch(srcUrl); };
}
/* edit, compare */
const __chunk_8 = makeLoad(new URL("./chunk_8.wasm", import.meta.url), []);
export const __wasm_split_load_edit = wrapAsyncCb(makeLoad(new URL("./split_edit.wasm", import.meta.url), [__chunk_8]));
export const __wasm_split_load_compare = wrapAsyncCb(makeLoad(new URL("./split_compare.wasm", import.meta.url), [__chunk_8]));
"#;

const GLUE: &str = r#"import * as import1 from "./__wasm_split.js"
import * as import2 from "./__wasm_split.js"
let wasm;
export function greet() {}
function __wbg_get_imports() { return { "./__wasm_split.js": import1 }; }
async function __wbg_init(module_or_path) {}
function initSync(module) {}
export { initSync, __wbg_init as default };
"#;

#[test]
fn the_loader_fetches_chunks_by_key_through_the_hash_checked_manifest() {
    let out = python(&format!(
        "print(s.rewrite_loader({LOADER:?}, ['chunk_8', 'split_edit', 'split_compare'], \
         'onebudget-web-1.js', 'onebudget-chunks-1.json', 'sha384-M'))"
    ));
    assert!(out.contains(r#"import { initSync } from "./onebudget-web-1.js";"#));
    assert!(out.contains(r#"makeLoad("chunk_8", [])"#), "{out}");
    assert!(out.contains(r#"makeLoad("split_edit", [__chunk_8])"#));
    assert!(out.contains(r#"new URL("./onebudget-chunks-1.json", import.meta.url)"#));
    assert!(out.contains(r#"{ integrity: "sha384-M" }"#));
    assert!(out.contains("{ integrity: chunk.integrity }"));
    // The CLI's own fetch (no integrity) is gone.
    assert!(!out.contains("fetch(srcUrl)") && !out.contains(".wasm\""));
}

#[test]
fn the_offline_module_has_no_import_or_export_and_boots_from_the_page() {
    let out = python(&format!(
        "print(s.offline_module({GLUE:?}, s.rewrite_loader({LOADER:?}, \
         ['chunk_8', 'split_edit', 'split_compare'], 'm.js', '', '')))"
    ));
    assert!(
        !out.contains("import ") && !out.contains("export "),
        "{out}"
    );
    assert!(out.contains("function greet() {}"));
    for alias in ["import1", "import2"] {
        assert!(
            out.contains(&format!(
                "const {alias} = {{ __wasm_split_load_edit, __wasm_split_load_compare }};"
            )),
            "{out}"
        );
    }
    assert!(out.contains("script[data-chunk="));
    assert!(out.contains(
        "await __wbg_init({ module_or_path: carried(document.getElementById('onebudget-wasm')) });"
    ));
}
