//! The standalone file: one HTML page carrying the app's stylesheet, its boot module
//! (inline), its wasm and every chunk the wasm was cut into (base64url, decoded at boot)
//! and a scenario, so it opens from the file system with no network at all.
//!
//! The boot module is the build's offline module (`scripts/split_wasm.py`): wasm-bindgen's
//! glue and the chunk loader as one module with no import or export, which takes the wasm
//! from its element and each chunk from the element that names it. Text that would end
//! its `<script>` or `<style>` early is escaped; anything this cannot inline safely (a JS
//! `import`, an HTML comment opener) is refused with a reason rather than producing a
//! broken file.

/// The ids the file's parts carry, so the file can rebuild itself (the app reads them
/// back when it is running from an offline file) and find its scenario at start-up.
pub const STYLE_ID: &str = "onebudget-style";
pub const BOOT_ID: &str = "onebudget-boot";
pub const WASM_ID: &str = "onebudget-wasm";
pub const SCENARIO_ID: &str = "onebudget-scenario";
/// The attribute that names a lazily loaded chunk's element by its key in the build's
/// manifest (`<script type="application/octet-stream" data-chunk="chunk_8">`): the
/// build's offline boot module finds each chunk there instead of fetching it.
pub const CHUNK_ATTRIBUTE: &str = "data-chunk";

/// The parts of the app that go into the file.
#[derive(Clone, Debug, PartialEq)]
pub struct OfflineParts {
    /// The stylesheet(s), as CSS text.
    pub css: String,
    /// The boot module, made safe to sit inline ([`inline_module`]).
    pub boot: String,
    /// The wasm, base64url without padding.
    pub wasm_base64: String,
    /// The lazily loaded chunks, each as (its key in the manifest, base64url without padding).
    pub chunks: Vec<(String, String)>,
}

/// The build's offline boot module (`scripts/split_wasm.py`: the glue and the chunk
/// loader as one module that reads the wasm and its chunks from the file) made safe to
/// sit inside the file's `<script type="module">`.
pub fn inline_module(js: &str) -> Result<String, String> {
    let trimmed = js.trim_start();
    if trimmed.starts_with("import ") || trimmed.contains("\nimport ") {
        return Err("the offline boot module imports another file, which cannot be inlined".into());
    }
    script_text(js)
}

/// Text safe inside `<script>`: `</script` cannot end it early. `<!--` could start the
/// parser's "double escaped" state, so it is refused rather than guessed at.
fn script_text(js: &str) -> Result<String, String> {
    if js.contains("<!--") {
        return Err("the app's JavaScript holds an HTML comment opener".into());
    }
    Ok(replace_ascii_case_insensitive(js, "</script", "<\\/script"))
}

/// CSS safe inside `<style>`: in CSS `\/` is an escaped `/`, so the meaning is unchanged.
fn style_text(css: &str) -> String {
    replace_ascii_case_insensitive(css, "</style", "<\\/style")
}

/// JSON safe inside `<script type="application/json">`: `<` only occurs inside JSON
/// strings, where `\u003c` means the same.
fn json_text(json: &str) -> String {
    json.replace('<', "\\u003c")
}

fn replace_ascii_case_insensitive(text: &str, needle: &str, with: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, _) in lower.match_indices(needle) {
        out.push_str(&text[last..i]);
        // Keep the original case of the tag name after the escaped slash.
        out.push_str(&with[..with.len() - (needle.len() - 2)]);
        out.push_str(&text[i + 2..i + needle.len()]);
        last = i + needle.len();
    }
    out.push_str(&text[last..]);
    out
}

fn html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Wasm bytes as the file carries them.
pub fn wasm_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() / 3 * 4 + 4);
    onebudget_engine::link::base64url_encode_into(bytes, &mut out);
    out
}

/// The whole file. `scenario_json` is the scenario it opens on; `title` its name.
pub fn page(parts: &OfflineParts, scenario_json: &str, title: &str) -> String {
    let title = html_text(&format!("{title} — OneBudget (offline copy)"));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <style id=\"{STYLE_ID}\">\n{css}\n</style>\n\
         <script type=\"application/json\" id=\"{SCENARIO_ID}\">{json}</script>\n\
         <script type=\"module\" id=\"{BOOT_ID}\">\n{boot}\n</script>\n\
         </head>\n<body>\n<div id=\"app\"><noscript><p>OneBudget needs JavaScript and WebAssembly \
         to calculate in your browser. Nothing is sent to any server.</p></noscript></div>\n\
         <script type=\"application/octet-stream\" id=\"{WASM_ID}\">{wasm}</script>\n\
         {chunks}</body>\n</html>\n",
        css = style_text(&parts.css),
        json = json_text(scenario_json),
        boot = parts.boot,
        wasm = parts.wasm_base64,
        chunks = parts
            .chunks
            .iter()
            .map(|(name, base64)| format!(
                "<script type=\"application/octet-stream\" {CHUNK_ATTRIBUTE}=\"{}\">{base64}</script>\n",
                html_text(name)
            ))
            .collect::<String>(),
    )
}

/// A short, stable name for a scenario's text (FNV-1a, 64 bits): an offline file keeps
/// its autosave apart from every other file opened from the same disk.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shaped like the build's offline module: no import or export, a string that would
    /// end a script early.
    const BOOT: &str = "let wasm;\nfunction carried(element) { return element; }\n\
        const s = '</script>';\nawait __wbg_init({ module_or_path: carried(document.getElementById('onebudget-wasm')) });\n";

    #[test]
    fn the_boot_module_is_inlined_with_nothing_that_ends_its_script() {
        let boot = inline_module(BOOT).unwrap();
        assert!(!boot.to_ascii_lowercase().contains("</script"));
        assert!(boot.contains("'<\\/script>'"));
        assert!(boot.contains("await __wbg_init("));
    }

    #[test]
    fn a_module_that_cannot_be_inlined_is_refused_with_a_reason() {
        assert!(
            inline_module("import * as x from './snippets/a.js';\nawait __wbg_init();")
                .unwrap_err()
                .contains("imports another file")
        );
        assert!(inline_module("let a = 1;\nimport { b } from './b.js';")
            .unwrap_err()
            .contains("imports another file"));
        assert!(inline_module("await __wbg_init();\nconst c = '<!--';").is_err());
    }

    #[test]
    fn the_page_carries_every_part_escaped_for_where_it_sits() {
        let parts = OfflineParts {
            css: "body{}\n/* </STYLE> */".into(),
            boot: inline_module(BOOT).unwrap(),
            wasm_base64: wasm_base64(&[0, 97, 115, 109, 1, 0, 0, 0]),
            chunks: vec![
                ("split_editor".into(), wasm_base64(&[1, 2, 3])),
                ("chunk_<8>".into(), wasm_base64(&[4])),
            ],
        };
        let json = r#"{"name":"A </script> & <b>"}"#;
        let html = page(&parts, json, "A </script> & <b>");
        assert_eq!(parts.wasm_base64, "AGFzbQEAAAA");
        assert!(html.contains(&format!("id=\"{WASM_ID}\">AGFzbQEAAAA</script>")));
        assert!(html.contains("/* <\\/STYLE> */"));
        assert!(html.contains(r#"{"name":"A \u003c/script> & \u003cb>"}"#));
        assert!(html.contains(
            "<title>A &lt;/script&gt; &amp; &lt;b&gt; — OneBudget (offline copy)</title>"
        ));
        // Each chunk in its own element, named by its key in the manifest.
        assert!(html.contains(&format!("{CHUNK_ATTRIBUTE}=\"split_editor\">AQID</script>")));
        assert!(html.contains(&format!(
            "{CHUNK_ATTRIBUTE}=\"chunk_&lt;8&gt;\">BA</script>"
        )));
        // Exactly the scripts (boot, scenario, wasm, one a chunk) and the one style the file
        // is made of: nothing ends early.
        assert_eq!(html.matches("</script>").count(), 3 + parts.chunks.len());
        assert_eq!(html.matches("</style>").count(), 1);
        // The JSON, unescaped by a parser, is the scenario's text again.
        let start = html.find(&format!("id=\"{SCENARIO_ID}\">")).unwrap() + SCENARIO_ID.len() + 6;
        let end = start + html[start..].find("</script>").unwrap();
        let back: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
        assert_eq!(back["name"], "A </script> & <b>");
        // No network: nothing in the page refers to another file.
        assert!(!html.contains("src=") && !html.contains("href=\"http"));
    }

    #[test]
    fn fingerprints_differ_for_different_scenarios_and_repeat_for_the_same() {
        assert_eq!(fingerprint("abc"), fingerprint("abc"));
        assert_ne!(fingerprint("abc"), fingerprint("abd"));
        assert_eq!(fingerprint("").len(), 16);
    }
}
