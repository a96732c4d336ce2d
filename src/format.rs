//! Numbers, percentages and money as people type and read them: the editor's fields, the
//! comparison's variation, and the charts' labels. Plain Rust with no web dependency, so
//! it is tested natively and the app (`ui`) only calls it.
//!
//! - **Typed text is read by moving the decimal point in the text**, never by multiplying
//!   floats: "3.5" % is stored as 0.035 exactly, and 0.035 shows as "3.5". Money is read
//!   into integer pence ("1,732.5" → 173250) and never passes through an `f64`.
//! - **What a person reads is formatted from the engine's values**: `Pence` for money
//!   (its own `display`, which groups thousands), `working::percent` for shares. This
//!   module adds only what the engine has no use for: text to type into a field, and
//!   short labels for charts.
//!
//! Nothing here panics or calculates: every function is total, and a text that does not
//! read as its kind is `None`.

use onebudget_engine::money::Pence;
use onebudget_engine::working::percent;

/// Pence as pounds for reading and typing: 173200 → "1,732", 173250 → "1,732.50".
/// Large amounts (contract values run to hundreds of millions) keep their separators;
/// the sign is a hyphen, which a person can type.
pub fn pounds_text(pence: i64) -> String {
    let shown = Pence(pence)
        .display()
        .replace('£', "")
        .replace('\u{2212}', "-");
    match shown.strip_suffix(".00") {
        Some(whole) => whole.to_string(),
        None => shown,
    }
}

/// Pounds typed as "1,732.5", "£1732.50" or "-20" → pence. At most 2 decimals.
pub fn parse_pounds(text: &str) -> Option<i64> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let t = t.strip_prefix('£').unwrap_or(t).trim_start();
    let (whole, part) = match t.split_once('.') {
        Some((w, p)) => (w, p),
        None => (t, ""),
    };
    if part.len() > 2 || !part.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if whole.is_empty() && part.is_empty() {
        return None;
    }
    let pounds: i64 = if whole.is_empty() {
        0
    } else {
        digits_with_separators(whole)?.parse::<i64>().ok()?
    };
    let pence_part: i64 = if part.is_empty() {
        0
    } else {
        format!("{part:0<2}").parse().ok()?
    };
    let pence = pounds
        .checked_mul(100)
        .and_then(|p| p.checked_add(pence_part))?;
    Some(if negative { -pence } else { pence })
}

/// A whole number, 0 or more, optionally with thousands separators: "25,800" → 25800.
pub fn parse_whole(text: &str) -> Option<u64> {
    digits_with_separators(text.trim())?.parse::<u64>().ok()
}

/// Digits, with commas allowed only as thousands separators ("1,2" is refused).
fn digits_with_separators(text: &str) -> Option<String> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return None;
    }
    if text.contains(',') {
        let mut groups = text.split(',');
        let first = groups.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return None;
        }
    }
    Some(text.replace(',', ""))
}

/// A plain decimal: "-1.05", ".5", "2". No exponents, no "inf" or "NaN".
fn decimal_parts(text: &str) -> Option<(bool, String, String)> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (whole, part) = t.split_once('.').unwrap_or((t, ""));
    if (whole.is_empty() && part.is_empty())
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !part.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some((negative, whole.to_string(), part.to_string()))
}

/// A plain number as typed → f64.
pub fn parse_number(text: &str) -> Option<f64> {
    let (negative, whole, part) = decimal_parts(text)?;
    let s = format!(
        "{}{}.{}",
        if negative { "-" } else { "" },
        if whole.is_empty() { "0" } else { &whole },
        if part.is_empty() { "0" } else { &part }
    );
    s.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(|f| if f == 0.0 { 0.0 } else { f })
}

/// A percentage as typed ("3.5", "3.5 %", "-0.5") → the fraction (0.035), by moving the
/// decimal point in the text so no float multiplication adds noise.
pub fn parse_percent(text: &str) -> Option<f64> {
    let t = text.trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim_end();
    let (negative, whole, part) = decimal_parts(t)?;
    let whole = format!("{whole:0>3}");
    let split = whole.len() - 2;
    let s = format!(
        "{}{}.{}{}",
        if negative { "-" } else { "" },
        &whole[..split],
        &whole[split..],
        part
    );
    s.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(|f| if f == 0.0 { 0.0 } else { f })
}

/// A fraction as a percentage for reading and typing: 0.035 → "3.5", -0.005 → "-0.5".
/// At most 6 decimals, trailing zeros trimmed, so float noise never shows.
pub fn percent_text(fraction: f64) -> String {
    if !fraction.is_finite() {
        return fraction.to_string();
    }
    // Shift the decimal point of the shortest exact text, then round the text.
    let shortest = format!("{}", fraction.abs());
    let (whole, part) = shortest.split_once('.').unwrap_or((&shortest, ""));
    let part = format!("{part:0<2}");
    let shifted = format!("{whole}{}.{}", &part[..2], &part[2..]);
    let rounded = shifted
        .parse::<f64>()
        .map(|f| format!("{f:.6}"))
        .unwrap_or(shifted);
    let trimmed = trim_zeros(&rounded);
    if fraction < 0.0 && trimmed != "0" {
        format!("-{trimmed}")
    } else {
        trimmed
    }
}

/// A plain number for typing, at most 6 decimals: 0.944 → "0.944".
pub fn number_text(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let shortest = format!("{value}");
    let decimals = shortest.split_once('.').map(|(_, p)| p.len()).unwrap_or(0);
    if decimals <= 6 {
        shortest
    } else {
        let t = trim_zeros(&format!("{value:.6}"));
        if t == "-0" {
            "0".into()
        } else {
            t
        }
    }
}

fn trim_zeros(text: &str) -> String {
    let text = text.trim_start_matches('0');
    let text = if text.starts_with('.') || text.is_empty() {
        format!("0{text}")
    } else {
        text.to_string()
    };
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// `£173m`, `£1.82bn`, `£350k`, `£9,999`: three significant figures, for labels on a
/// chart where the exact figure is in the table. Amounts under £10,000 are shown whole.
pub fn short_money(amount: Pence) -> String {
    let pence = amount.pence() as i128;
    let magnitude = pence.unsigned_abs();
    // Whole pounds, rounded half away from zero (the engine's rule) on the magnitude.
    let pounds = (magnitude + 50) / 100;
    if pounds < 10_000 {
        return amount.display_pounds();
    }
    let sign = if pence < 0 { "\u{2212}" } else { "" };
    const UNITS: [(u128, &str); 3] = [(1_000, "k"), (1_000_000, "m"), (1_000_000_000, "bn")];
    let mut unit_index = if pounds >= 1_000_000_000 {
        2
    } else if pounds >= 1_000_000 {
        1
    } else {
        0
    };
    loop {
        let Some(&(unit, suffix)) = UNITS.get(unit_index) else {
            return amount.display_pounds();
        };
        let whole_digits = (pounds / unit).max(1).to_string().len();
        let decimals = 3usize.saturating_sub(whole_digits).min(2) as u32;
        let scale = 10u128.pow(decimals);
        let scaled = (pounds * scale + unit / 2) / unit;
        let whole = scaled / scale;
        // 999,600 is "£1m", not "£1,000k".
        if whole >= 1_000 && unit_index + 1 < UNITS.len() {
            unit_index += 1;
            continue;
        }
        let fraction = scaled % scale;
        let mut text = format!("{sign}£{whole}");
        if decimals > 0 && fraction > 0 {
            let digits = format!("{fraction:0width$}", width = decimals as usize);
            text.push('.');
            text.push_str(digits.trim_end_matches('0'));
        }
        text.push_str(suffix);
        return text;
    }
}

/// A chart's tick value (whole pounds, from the chart's scale) as a short label.
pub fn tick_money(pounds: f64) -> String {
    if !pounds.is_finite() {
        return String::new();
    }
    Pence::from_pounds(pounds.round() as i64)
        .map(short_money)
        .unwrap_or_default()
}

/// A share as a percentage with one decimal: `0.45` → `"45.0 %"`.
pub fn share(fraction: f64) -> String {
    percent(fraction, 1)
}

/// A rate relative to a target or budget with its sign spelt out: `+3.0 %`, `−2.5 %`, `0.0 %`.
pub fn signed_percent(rate: f64, decimals: usize) -> String {
    let text = percent(rate, decimals);
    if rate > 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Moved from the browser tests (tests/editor.rs), assertions unchanged.
    #[test]
    fn amounts_and_percentages_convert_without_float_noise() {
        assert_eq!(percent_text(0.035), "3.5");
        // 0.1 × 3 is 0.30000000000000004 in floating point.
        assert_eq!(percent_text(0.1 * 3.0), "30");
        assert_eq!(percent_text(0.035 + 1e-17), "3.5");
        assert_eq!(percent_text(-0.005), "-0.5");
        assert_eq!(percent_text(0.07), "7");
        assert_eq!(percent_text(1.0), "100");
        assert_eq!(percent_text(0.0), "0");
        assert_eq!(percent_text(0.0125), "1.25");
        assert_eq!(parse_percent("3.5"), Some(0.035));
        assert_eq!(parse_percent("7 %"), Some(0.07));
        assert_eq!(parse_percent("-0.5"), Some(-0.005));
        assert_eq!(parse_percent("3."), Some(0.03));
        assert_eq!(parse_percent("1,2"), None);
        assert_eq!(parse_percent("abc"), None);
        assert_eq!(pounds_text(173_200), "1,732");
        assert_eq!(pounds_text(20_000_000_000), "200,000,000");
        assert_eq!(pounds_text(-5), "-0.05");
        assert_eq!(pounds_text(173_250), "1,732.50");
        assert_eq!(parse_pounds("1,732.5"), Some(173_250));
        assert_eq!(parse_pounds("£1732"), Some(173_200));
        assert_eq!(parse_pounds("1.234"), None);
    }

    /// Moved from the browser tests (tests/charts.rs), assertions unchanged.
    #[test]
    fn short_money_keeps_three_significant_figures() {
        assert_eq!(short_money(Pence(17_318_960_800)), "£173m");
        assert_eq!(short_money(Pence(181_975_610_808)), "£1.82bn");
        assert_eq!(short_money(Pence(35_000_000)), "£350k");
        assert_eq!(short_money(Pence(99_960_000)), "£1m");
        assert_eq!(short_money(Pence(120_000_000)), "£1.2m");
        assert_eq!(short_money(Pence(173_190)), "£1,732");
        assert_eq!(short_money(Pence(-240_000_000)), "\u{2212}£2.4m");
        assert_eq!(short_money(Pence(0)), "£0");
    }

    #[test]
    fn pounds_round_trip_through_their_text_to_the_penny() {
        for pence in [
            0,
            1,
            -1,
            99,
            100,
            -173_250,
            123_456_789,
            i64::MAX / 100 * 100,
            -(i64::MAX / 100) * 100,
        ] {
            let text = pounds_text(pence);
            assert_eq!(parse_pounds(&text), Some(pence), "{pence} → {text:?}");
        }
        assert_eq!(pounds_text(-173_200), "-1,732");
        assert_eq!(pounds_text(i64::MIN), "-92,233,720,368,547,758.08");
    }

    #[test]
    fn pounds_are_read_as_people_type_them_and_nothing_else() {
        assert_eq!(parse_pounds("  - £ 20 "), Some(-2_000));
        assert_eq!(parse_pounds(".5"), Some(50));
        assert_eq!(parse_pounds("1,000,000"), Some(100_000_000));
        for refused in [
            "", ".", "£", "1,00", "12,3456", ",100", "1.2.3", "1e3", "ten", "1.-5",
        ] {
            assert_eq!(parse_pounds(refused), None, "{refused:?}");
        }
        // Beyond what pence can hold is refused, not wrapped.
        assert_eq!(parse_pounds("92233720368547758.08"), None);
        assert_eq!(parse_pounds("92,233,720,368,547,758.07"), Some(i64::MAX));
    }

    #[test]
    fn whole_numbers_take_separators_only_in_threes() {
        assert_eq!(parse_whole("25,800"), Some(25_800));
        assert_eq!(parse_whole(" 7 "), Some(7));
        assert_eq!(parse_whole("0"), Some(0));
        for refused in ["", "-1", "2.5", "1,2", "1,2345", "25 800", "1e3"] {
            assert_eq!(parse_whole(refused), None, "{refused:?}");
        }
    }

    #[test]
    fn plain_numbers_are_decimals_without_exponents_or_infinities() {
        assert_eq!(parse_number("1.05"), Some(1.05));
        assert_eq!(parse_number("-1.05"), Some(-1.05));
        assert_eq!(parse_number("\u{2212}2"), Some(-2.0));
        assert_eq!(parse_number("+.5"), Some(0.5));
        assert_eq!(parse_number("3."), Some(3.0));
        // Negative zero is read as zero, so it never shows as "-0".
        assert_eq!(parse_number("-0").map(f64::is_sign_negative), Some(false));
        for refused in ["", ".", "-", "1e3", "inf", "NaN", "1,5", "1.2.3", "0x10"] {
            assert_eq!(parse_number(refused), None, "{refused:?}");
        }
        assert_eq!(number_text(0.944), "0.944");
        assert_eq!(number_text(1.0), "1");
        assert_eq!(number_text(1.0 / 3.0), "0.333333");
        assert_eq!(number_text(-1e-9), "0");
        assert_eq!(number_text(f64::NAN), "NaN");
    }

    #[test]
    fn percentages_round_trip_through_their_text() {
        for fraction in [0.0, 0.035, -0.005, 0.0125, 1.0, 0.123456, -0.2, 2.5] {
            let text = percent_text(fraction);
            assert_eq!(
                parse_percent(&text),
                Some(fraction),
                "{fraction} → {text:?}"
            );
        }
        assert_eq!(parse_percent("-0"), Some(0.0));
        assert_eq!(parse_percent("\u{2212}1.5 %"), Some(-0.015));
        assert_eq!(percent_text(-1e-12), "0");
        assert_eq!(percent_text(f64::INFINITY), "inf");
    }

    #[test]
    fn chart_labels_carry_their_sign_and_unit() {
        assert_eq!(share(0.45), "45.0 %");
        assert_eq!(signed_percent(0.03, 1), "+3.0 %");
        assert_eq!(signed_percent(-0.025, 1), "\u{2212}2.5 %");
        // Too small to show is not "+0.0 %".
        assert_eq!(signed_percent(0.00001, 1), "0.0 %");
        assert_eq!(tick_money(173_189_608.0), "£173m");
        assert_eq!(tick_money(-2_500.0), "\u{2212}£2,500");
        assert_eq!(tick_money(f64::NAN), "");
        // The largest amount pence can hold: no overflow, still in billions.
        assert_eq!(short_money(Pence(i64::MIN)), "\u{2212}£92233720bn");
    }
}
