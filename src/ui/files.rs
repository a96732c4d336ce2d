//! Files in and out of the browser, and the clipboard: downloads are made in the
//! page (a Blob), uploads are read in the page; nothing is sent anywhere.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The largest file the page will read (2 MB): far above any scenario or population
/// table, small enough that a wrong file cannot hang the page.
pub const MAX_FILE_BYTES: f64 = 2_000_000.0;

/// Offer `text` as a file download called `filename`.
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not make the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not make the file".to_string())?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no link")?
        .dyn_into()
        .map_err(|_| "no link")?;
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Read a chosen file as text, refusing one larger than [`MAX_FILE_BYTES`] before reading it,
/// and one that is not UTF-8 with the engine's words (`scenario::file_text`, as the command
/// line does): the browser's own decoding would turn a Latin-1 £ or é into U+FFFD unseen.
pub async fn read_text(file: web_sys::File) -> Result<String, String> {
    if file.size() > MAX_FILE_BYTES {
        return Err(format!(
            "{} is {:.1} MB; the most OneBudget reads is {:.0} MB",
            file.name(),
            file.size() / 1_000_000.0,
            MAX_FILE_BYTES / 1_000_000.0
        ));
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{} could not be read", file.name()))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    onebudget_engine::scenario::file_text(bytes)
        .map_err(|p| format!("{} {} ({})", file.name(), p.message, p.value))
}

/// Copy text to the clipboard. Fails where the browser does not allow it (an iframe
/// without permission, an insecure page); the caller then shows the text to copy by hand.
pub async fn copy_to_clipboard(text: &str) -> Result<(), String> {
    let clipboard = web_sys::window()
        .map(|w| w.navigator().clipboard())
        .ok_or("no clipboard")?;
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| "the browser did not allow copying".to_string())
}

/// Today's date as yyyy-mm-dd, for file names.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// A file name from a scenario name: "Anytown: one place" → "anytown-one-place".
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out
        .trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>();
    if out.is_empty() {
        "scenario".into()
    } else {
        out
    }
}
