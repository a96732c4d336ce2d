//! Capital and small letters for text shown in the page. ASCII letters are changed here;
//! any other letter is changed by the browser (`String.prototype.toUpperCase`), which
//! follows the same Unicode case mappings as Rust's `char::to_uppercase`. Rationale: the
//! Rust mappings are 24 KB of tables in the wasm (about 7 KB brotli), for letters that
//! hardly ever appear in the names typed here.

fn upper(c: char) -> String {
    if c.is_ascii() {
        c.to_ascii_uppercase().to_string()
    } else {
        String::from(js_sys::JsString::from(c.to_string()).to_upper_case())
    }
}

fn lower(c: char) -> String {
    if c.is_ascii() {
        c.to_ascii_lowercase().to_string()
    } else {
        String::from(js_sys::JsString::from(c.to_string()).to_lower_case())
    }
}

/// The text with its first letter a capital ("monthly figures" → "Monthly figures").
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let mut out = upper(first);
            out.extend(chars);
            out
        }
        None => String::new(),
    }
}

/// The text with its first letter small ("Acute care" → "acute care").
pub fn first_letter_small(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let mut out = lower(first);
            out.extend(chars);
            out
        }
        None => String::new(),
    }
}

/// Every letter of the text small.
pub fn all_small(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
}
