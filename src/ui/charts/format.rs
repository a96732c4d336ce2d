//! Labels and scales for charts. Money is only formatted here, never calculated:
//! positions on a chart may use `f64` pounds (`Pence::to_pounds_f64`, meant for charts),
//! but every figure a person reads comes from the engine's `Pence`.

use onebudget_engine::money::Pence;
use onebudget_engine::working::percent;

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

/// A tick value (whole pounds, chosen by [`ticks`]) as a short label.
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

/// A step of 1, 2, 2.5 or 5 × a power of ten giving about `count` intervals over `range`.
pub fn nice_step(range: f64, count: usize) -> f64 {
    let raw = range / count.max(1) as f64;
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let normal = raw / magnitude;
    let nice = if normal <= 1.0 {
        1.0
    } else if normal <= 2.0 {
        2.0
    } else if normal <= 2.5 {
        2.5
    } else if normal <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Tick values covering `low..=high` at a nice step (at most a few dozen).
pub fn ticks(low: f64, high: f64, count: usize) -> Vec<f64> {
    if !(low.is_finite() && high.is_finite()) || high < low {
        return vec![0.0];
    }
    let step = nice_step(high - low, count);
    let first = (low / step).floor() as i64;
    let last = (high / step).ceil() as i64;
    if last - first > 50 {
        return vec![low, high];
    }
    (first..=last).map(|i| i as f64 * step).collect()
}

/// About how wide `text` is at `font_size` px in the app's sans-serif (an estimate that
/// errs wide, for laying out labels without measuring).
pub fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().count() as f64 * font_size * 0.56
}

/// Break `text` into lines no wider than `max_width` (a word longer than that keeps its line).
pub fn wrap(text: &str, max_width: f64, font_size: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, font_size) > max_width {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A coordinate for an SVG attribute: one decimal is finer than a pixel.
pub fn coord(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.1}")
    } else {
        "0".into()
    }
}
