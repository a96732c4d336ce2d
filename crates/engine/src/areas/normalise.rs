//! How names and codes are compared when searching the areas: a small rule of this module's
//! own for now (the engine's shared name-comparison rule will replace it).
//!
//! - [`fold`]: ASCII letters in lower case, `&` read as "and", every other character that is
//!   not an ASCII letter or digit is a word break, runs of breaks are one space, and there is
//!   none at either end. So "St. John's  Surgery" and "st johns surgery" differ only in the
//!   apostrophe's break ("st john s surgery"); non-ASCII letters are kept as they are.
//! - [`compact`]: [`fold`] without any spaces, for codes and postcodes ("TS18 1HU" is "ts181hu").

/// The folded form of a name: see the module notes.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    let mut buf = [0u8; 4];
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            push(
                &mut out,
                &mut gap,
                ch.to_ascii_lowercase().encode_utf8(&mut buf),
            );
        } else if ch == '&' {
            gap = true;
            push(&mut out, &mut gap, "and");
            gap = true;
        } else if ch.is_ascii() {
            gap = true;
        } else {
            push(&mut out, &mut gap, ch.encode_utf8(&mut buf));
        }
    }
    out
}

/// Append a piece of a word, after one space if a break came before it.
fn push(out: &mut String, gap: &mut bool, piece: &str) {
    if *gap && !out.is_empty() {
        out.push(' ');
    }
    *gap = false;
    out.push_str(piece);
}

/// The folded form without spaces: for codes and postcodes.
pub fn compact(text: &str) -> String {
    fold(text).replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_punctuation_and_spacing() {
        assert_eq!(fold("  The DENSHAM   Surgery "), "the densham surgery");
        assert_eq!(fold("St. John's"), "st john s");
        assert_eq!(
            fold("Kingston upon Hull, City of"),
            "kingston upon hull city of"
        );
        assert_eq!(fold("G&A"), "g and a");
        assert_eq!(fold("Tees & Wear"), "tees and wear");
        assert_eq!(fold("Stockton-on-Tees"), "stockton on tees");
        assert_eq!(fold(""), "");
        assert_eq!(fold("--"), "");
        assert_eq!(fold("Ça va"), "Ça va");
        assert_eq!(compact("TS18 1HU"), "ts181hu");
        assert_eq!(compact(" a81001 "), "a81001");
    }
}
