//! One rule for names: when two names are the same name, and which characters a name may
//! not hold. Every list whose items are told apart by name (places, age bands, service
//! lines, pooled budget contributors, outcome metrics, bonus pool members, lead contract
//! commissioners, risk pool members) uses [`repeats`].
//!
//! **The same name.** Two names are the same when they are equal after (1) leaving out
//! invisible characters (Unicode's default-ignorable code points: zero-width spaces and
//! joiners, direction marks, soft hyphens, variation selectors…) and control characters,
//! (2) trimming spaces at both ends, and (3) writing every letter small, as Unicode's
//! `to_lowercase` does, one letter for one letter. "Ynys Môn" and "YNYS MÔN" are one place;
//! "Bedfordshire CCG" with a zero-width space inside is "Bedfordshire CCG".
//!
//! The small letters come from [`RUNS`], a table of Unicode's mappings for the scripts names
//! are written in here (Latin with every extension to Latin Extended-B and Latin Extended
//! Additional, Greek, Cyrillic, Armenian, Georgian, full-width Latin). Letters of other
//! scripts are compared as they are. The tests check the table against `char::to_lowercase`
//! for every character of those blocks, and that nothing outside them changes.
//!
//! *Why a table:* `str::to_lowercase` brings Unicode's whole case table into every program
//! that validates a scenario, about 7 KB of the browser's first download (docs/SIZE.md),
//! for a duplicate-name check; these runs cost under 1 KB.
//!
//! **Characters a name may not hold.** Control characters (a name is one line) and the
//! characters that override or embed a direction of text (U+202A–U+202E, U+2066–U+2069):
//! one of those reorders every text the name is shown in, such as a board pack's footer.

/// Runs of capital letters whose small letter is the same distance away: `(first capital,
/// capitals in the run, step between capitals (1 or 2), small − capital)`. Sorted, and
/// generated from `char::to_lowercase` (see the tests, which rebuild it).
#[rustfmt::skip]
const RUNS: [(u16, u8, u8, i16); 95] = [
    (0x0041, 26, 1, 32), (0x00C0, 23, 1, 32), (0x00D8, 7, 1, 32), (0x0100, 24, 2, 1),
    (0x0132, 3, 2, 1), (0x0139, 8, 2, 1), (0x014A, 23, 2, 1), (0x0178, 1, 1, -121),
    (0x0179, 3, 2, 1), (0x0181, 1, 1, 210), (0x0182, 2, 2, 1), (0x0186, 1, 1, 206),
    (0x0187, 1, 1, 1), (0x0189, 2, 1, 205), (0x018B, 1, 1, 1), (0x018E, 1, 1, 79),
    (0x018F, 1, 1, 202), (0x0190, 1, 1, 203), (0x0191, 1, 1, 1), (0x0193, 1, 1, 205),
    (0x0194, 1, 1, 207), (0x0196, 1, 1, 211), (0x0197, 1, 1, 209), (0x0198, 1, 1, 1),
    (0x019C, 1, 1, 211), (0x019D, 1, 1, 213), (0x019F, 1, 1, 214), (0x01A0, 3, 2, 1),
    (0x01A6, 1, 1, 218), (0x01A7, 1, 1, 1), (0x01A9, 1, 1, 218), (0x01AC, 1, 1, 1),
    (0x01AE, 1, 1, 218), (0x01AF, 1, 1, 1), (0x01B1, 2, 1, 217), (0x01B3, 2, 2, 1),
    (0x01B7, 1, 1, 219), (0x01B8, 1, 1, 1), (0x01BC, 1, 1, 1), (0x01C4, 1, 1, 2),
    (0x01C5, 1, 1, 1), (0x01C7, 1, 1, 2), (0x01C8, 1, 1, 1), (0x01CA, 1, 1, 2),
    (0x01CB, 9, 2, 1), (0x01DE, 9, 2, 1), (0x01F1, 1, 1, 2), (0x01F2, 2, 2, 1),
    (0x01F6, 1, 1, -97), (0x01F7, 1, 1, -56), (0x01F8, 20, 2, 1), (0x0220, 1, 1, -130),
    (0x0222, 9, 2, 1), (0x023A, 1, 1, 10795), (0x023B, 1, 1, 1), (0x023D, 1, 1, -163),
    (0x023E, 1, 1, 10792), (0x0241, 1, 1, 1), (0x0243, 1, 1, -195), (0x0244, 1, 1, 69),
    (0x0245, 1, 1, 71), (0x0246, 5, 2, 1), (0x0370, 2, 2, 1), (0x0376, 1, 1, 1),
    (0x037F, 1, 1, 116), (0x0386, 1, 1, 38), (0x0388, 3, 1, 37), (0x038C, 1, 1, 64),
    (0x038E, 2, 1, 63), (0x0391, 17, 1, 32), (0x03A3, 9, 1, 32), (0x03CF, 1, 1, 8),
    (0x03D8, 12, 2, 1), (0x03F4, 1, 1, -60), (0x03F7, 1, 1, 1), (0x03F9, 1, 1, -7),
    (0x03FA, 1, 1, 1), (0x03FD, 3, 1, -130), (0x0400, 16, 1, 80), (0x0410, 32, 1, 32),
    (0x0460, 17, 2, 1), (0x048A, 27, 2, 1), (0x04C0, 1, 1, 15), (0x04C1, 7, 2, 1),
    (0x04D0, 48, 2, 1), (0x0531, 38, 1, 48), (0x10A0, 38, 1, 7264), (0x10C7, 1, 1, 7264),
    (0x10CD, 1, 1, 7264), (0x1C90, 43, 1, -3008), (0x1CBD, 3, 1, -3008), (0x1E00, 75, 2, 1),
    (0x1E9E, 1, 1, -7615), (0x1EA0, 48, 2, 1), (0xFF21, 26, 1, 32),
];

/// The Unicode blocks [`RUNS`] covers (first and last character): every capital letter in
/// them that has a one-letter small form is in the table.
pub const BLOCKS: [(u32, u32); 8] = [
    (0x0000, 0x024F), // Basic Latin to Latin Extended-B
    (0x0370, 0x03FF), // Greek and Coptic
    (0x0400, 0x052F), // Cyrillic and its supplement
    (0x0530, 0x058F), // Armenian
    (0x10A0, 0x10FF), // Georgian
    (0x1C90, 0x1CBF), // Georgian Extended (Mtavruli)
    (0x1E00, 0x1EFF), // Latin Extended Additional (Welsh ŵ ŷ, Vietnamese)
    (0xFF00, 0xFFEF), // full-width Latin
];

/// A letter's small form, for the letters of [`BLOCKS`]; anything else as it is.
pub fn small_letter(c: char) -> char {
    let code = c as u32;
    if code < 0x80 {
        return c.to_ascii_lowercase();
    }
    let Ok(code16) = u16::try_from(code) else {
        return c;
    };
    let i = RUNS.partition_point(|r| r.0 <= code16);
    let Some(&(first, len, step, delta)) = i.checked_sub(1).and_then(|i| RUNS.get(i)) else {
        return c;
    };
    let offset = u32::from(code16 - first);
    if offset < u32::from(len) * u32::from(step) && offset % u32::from(step) == 0 {
        char::from_u32(code.wrapping_add_signed(i32::from(delta))).unwrap_or(c)
    } else {
        c
    }
}

/// Characters nobody sees: controls and Unicode's default-ignorable code points.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{AD}' | '\u{34F}' | '\u{61C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
            | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// A character a name may not hold: a control character (`lines` allows line breaks and
/// tabs, for a description), or one that overrides or embeds a direction of text.
pub fn is_refused(c: char, lines: bool) -> bool {
    (c.is_control() && !(lines && matches!(c, '\n' | '\r' | '\t')))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The name as it is compared: invisible characters left out, spaces trimmed, small letters.
pub fn key(name: &str) -> String {
    let visible: String = name.chars().filter(|&c| !is_invisible(c)).collect();
    visible.trim().chars().map(small_letter).collect()
}

/// Are these the same name?
pub fn same(a: &str, b: &str) -> bool {
    key(a) == key(b)
}

/// For each name in a list, the position of the first name before it that is the same
/// name; `None` for the first of each, and for a blank name (reported as blank instead).
pub fn repeats<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Option<usize>> {
    let keys: Vec<String> = names.into_iter().map(key).collect();
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            if k.is_empty() {
                None
            } else {
                keys[..i].iter().position(|other| other == k)
            }
        })
        .collect()
}

/// Text safe to show anywhere: each refused or invisible character written as `<U+202E>`.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible(c) || is_refused(c, false) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unicode's small letter, when it is one letter.
    fn unicode_small(c: char) -> char {
        let mut small = c.to_lowercase();
        match (small.next(), small.next()) {
            (Some(one), None) => one,
            _ => c,
        }
    }

    fn in_blocks(code: u32) -> bool {
        BLOCKS.iter().any(|&(a, b)| (a..=b).contains(&code))
    }

    #[test]
    fn the_table_is_unicodes_small_letters_for_every_character_it_claims() {
        let mut changed = 0;
        for code in 0..=0x10FFFF {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            if in_blocks(code) {
                assert_eq!(small_letter(c), unicode_small(c), "U+{code:04X}");
                changed += usize::from(small_letter(c) != c);
            } else {
                assert_eq!(small_letter(c), c, "U+{code:04X} is outside the blocks");
            }
        }
        assert_eq!(changed, 704);
    }

    #[test]
    fn the_table_is_rebuilt_from_unicode_exactly() {
        // The same runs, made again from `char::to_lowercase`: the table is generated, not typed.
        let mut runs: Vec<(u32, u32, u32, i64)> = Vec::new();
        for &(first, last) in &BLOCKS {
            for code in first..=last {
                let Some(c) = char::from_u32(code) else {
                    continue;
                };
                let small = unicode_small(c);
                if small == c {
                    continue;
                }
                let delta = small as i64 - code as i64;
                if let Some(run) = runs.last_mut() {
                    let (start, len, step, d) = *run;
                    if d == delta && len == 1 && (code == start + 1 || code == start + 2) {
                        *run = (start, 2, code - start, d);
                        continue;
                    }
                    if d == delta && len > 1 && code == start + len * step {
                        run.1 += 1;
                        continue;
                    }
                }
                runs.push((code, 1, 1, delta));
            }
        }
        let table: Vec<(u32, u32, u32, i64)> = RUNS
            .iter()
            .map(|&(a, n, s, d)| (a.into(), n.into(), s.into(), d.into()))
            .collect();
        assert_eq!(table, runs);
    }

    /// The one table of cases for the rule: (a, b, the same name?).
    const CASES: &[(&str, &str, bool)] = &[
        ("Ynys Môn", "YNYS MÔN", true),
        ("Ynys Môn", "Ynys Mon", false),
        ("Bedfordshire CCG", "Bedfordshire\u{200B} CCG", true),
        ("Bedfordshire CCG", "\u{FEFF}Bedfordshire CCG\u{200D}", true),
        ("Luton", " luton ", true),
        ("Luton", "\u{200B} Luton", true),
        ("Luton", "Lu ton", false),
        ("Wrexham", "WREXHAM\u{200E}", true),
        ("Môn care", "MÔN CARE", true),
        ("Ŵyddgrug", "ŵyddgrug", true),
        ("Ỳstrad", "ỳstrad", true),
        ("Ștefan Vodă", "ȘTEFAN VODĂ", true),
        ("Łódź", "ŁÓDŹ", true),
        ("Αθήνα", "ΑΘΉΝΑ", true),
        ("Москва", "МОСКВА", true),
        ("Գյումրի", "ԳՅՈՒՄՐԻ", true),
        ("ＡＢＣ", "ａｂｃ", true),
        ("ABC", "ａｂｃ", false),
        ("Straße", "STRASSE", false),
        ("İstanbul", "istanbul", false),
        ("東京", "東京", true),
        ("A\u{0}B", "AB", true),
        ("", "\u{200B}", true),
    ];

    #[test]
    fn the_same_name_by_one_rule() {
        for &(a, b, want) in CASES {
            assert_eq!(same(a, b), want, "{a:?} and {b:?}");
            assert_eq!(same(b, a), want, "{b:?} and {a:?}");
        }
    }

    #[test]
    fn repeats_point_at_the_first_of_each_name_and_skip_blanks() {
        let names = [
            "Anytown",
            "Luton",
            "ANYTOWN",
            "",
            " ",
            "luton\u{200B}",
            "anytown",
        ];
        assert_eq!(
            repeats(names),
            vec![None, None, Some(0), None, None, Some(1), Some(0)]
        );
    }

    #[test]
    fn controls_and_direction_overrides_are_refused_and_shown_visibly() {
        for c in [
            '\u{0}', '\u{7}', '\u{1B}', '\n', '\u{202E}', '\u{2066}', '\u{9F}',
        ] {
            assert!(is_refused(c, false), "U+{:04X}", c as u32);
        }
        assert!(!is_refused('\n', true) && !is_refused('\t', true));
        assert!(is_refused('\u{202D}', true));
        for c in ['a', 'é', ' ', '\u{200B}', '\u{200F}', '東'] {
            assert!(!is_refused(c, false), "U+{:04X}", c as u32);
        }
        assert_eq!(shown("Any\u{202E}town"), "Any<U+202E>town");
        assert_eq!(shown("Luton\u{200B}"), "Luton<U+200B>");
    }
}
