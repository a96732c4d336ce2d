//! Scales and text layout for charts: tick values, coordinates, and how wide a label is.
//! Money and percentages are written by `crate::format`; positions on a chart may use
//! `f64` pounds (`Pence::to_pounds_f64`, meant for charts), but every figure a person
//! reads comes from the engine's `Pence`.

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
