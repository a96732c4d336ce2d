//! How names and codes are compared when searching the areas: the engine's rule for names
//! (`crate::names`: invisible characters ignored, letters compared small), with what a
//! search adds to it for words typed loosely.
//!
//! - [`fold`]: letters small (`names::small_letter`, so "ÇA VA" is "ça va" as "Ynys Môn" is
//!   "ynys môn"); invisible characters (`names::is_invisible`: zero-width spaces, direction
//!   marks, soft hyphens…) left out; `&` read as "and"; apostrophes (`'` and `’`) dropped, so
//!   "St John's" is "st johns"; every other ASCII character that is not a letter or digit a
//!   word break; runs of breaks one space, and none at either end. So "St. John's  Surgery"
//!   and "st johns surgery" are the same.
//! - [`compact`]: [`fold`] without any spaces, for codes and postcodes ("TS18 1HU" is "ts181hu").

use crate::names;

/// The folded form of a name: see the module notes.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`], appended to `out` (which may already hold other folded text: a break is only
/// written between words of this text).
pub fn fold_into(text: &str, out: &mut String) {
    let start = out.len();
    let mut gap = false;
    let word = |out: &mut String, gap: &mut bool| {
        if *gap && out.len() > start {
            out.push(' ');
        }
        *gap = false;
    };
    for ch in text.chars() {
        match ch {
            '\'' | '\u{2019}' => {}
            '&' => {
                gap = true;
                word(out, &mut gap);
                out.push_str("and");
                gap = true;
            }
            c if c.is_ascii_alphanumeric() => {
                word(out, &mut gap);
                out.push(c.to_ascii_lowercase());
            }
            c if c.is_ascii() => gap = true,
            c if names::is_invisible(c) => {}
            c => {
                word(out, &mut gap);
                out.push(names::small_letter(c));
            }
        }
    }
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
        assert_eq!(fold("St. John's"), "st johns");
        assert_eq!(fold("ST JOHN\u{2019}S  Surgery"), "st johns surgery");
        assert_eq!(
            fold("Kingston upon Hull, City of"),
            "kingston upon hull city of"
        );
        assert_eq!(fold("G&A"), "g and a");
        assert_eq!(fold("Tees & Wear"), "tees and wear");
        assert_eq!(fold("Stockton-on-Tees"), "stockton on tees");
        assert_eq!(fold(""), "");
        assert_eq!(fold("--"), "");
        // Other letters small by the engine's rule for names; invisible characters ignored.
        assert_eq!(fold("Ça va"), "ça va");
        assert_eq!(fold("YNYS MÔN"), fold("Ynys Môn"));
        assert_eq!(fold("ΑΘΗΝΑ"), "αθηνα");
        assert_eq!(fold("Beds\u{200B}ford"), "bedsford");
        assert_eq!(fold("Tees\u{00AD} Valley"), "tees valley");
        assert_eq!(fold("日本"), "日本");
        assert_eq!(compact("TS18 1HU"), "ts181hu");
        assert_eq!(compact(" a81001 "), "a81001");
    }
}
