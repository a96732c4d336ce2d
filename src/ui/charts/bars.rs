//! Horizontal bars, one row each: the label (wrapped to the width) and the figure in words
//! above a bar. Rows read on a phone as well as on a desktop, whatever the names' length.

use super::frame::series_fill;
use super::scale::{coord, text_width, wrap};
use yew::prelude::*;

pub const FONT: f64 = 15.0;
pub const LINE: f64 = 20.0;
const BAR: f64 = 22.0;
pub const ROW_GAP: f64 = 16.0;

/// One part of a bar, at a position on the chart's scale (pounds, for money).
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub value: f64,
    pub series: usize,
}

/// A row: its label, its figure in words, and the bar.
#[derive(Clone, Debug, PartialEq)]
pub struct BarRow {
    pub label: String,
    pub value: String,
    /// Drawn left to right, each after the last.
    pub segments: Vec<Segment>,
    /// An outlined bar behind the segments: the whole of which they are part.
    pub track: Option<f64>,
}

/// Lay out rows of a label (wrapped) and a figure, each above a mark `mark_height` tall
/// drawn by `mark(row, y)`; the first row starts at `top`. Returns the rows and where
/// the last one ends.
pub fn labelled_rows(
    rows: &[(String, String)],
    width: f64,
    top: f64,
    mark_height: f64,
    mut mark: impl FnMut(usize, f64) -> Html,
) -> (Html, f64) {
    let wrapped: Vec<Vec<String>> = rows
        .iter()
        .map(|(label, _)| wrap(label, width, FONT))
        .collect();
    // Each figure shares its label's last line when every figure fits there; else every
    // figure has its own line, so the rows read alike.
    let fits_beside = rows.iter().zip(&wrapped).all(|((_, value), lines)| {
        lines
            .last()
            .map(|l| text_width(l, FONT) + 16.0 + text_width(value, FONT) * 1.05 <= width)
            .unwrap_or(true)
    });
    let mut y = top;
    let mut out = Vec::with_capacity(rows.len());
    for (index, ((_, value), lines)) in rows.iter().zip(wrapped).enumerate() {
        let line_count = lines.len() as f64;
        let label_top = y;
        let label_lines: Vec<Html> = lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                html! {
                    <tspan x="0" y={coord(label_top + LINE * (i as f64 + 1.0) - 5.0)}>{ line }</tspan>
                }
            })
            .collect();
        let (value_x, value_line, anchor) = if fits_beside {
            (width, line_count, "end")
        } else {
            (0.0, line_count + 1.0, "start")
        };
        let mark_y = label_top + LINE * value_line + 4.0;
        out.push(html! {
            <g>
                <text class="chart-label">{ for label_lines }</text>
                <text class="chart-value" x={coord(value_x)} y={coord(label_top + LINE * value_line - 5.0)}
                    text-anchor={anchor}>{ value }</text>
                { mark(index, mark_y) }
            </g>
        });
        y = mark_y + mark_height + ROW_GAP;
    }
    (html! { <>{ for out }</> }, y - ROW_GAP)
}

/// Draw `rows` on a scale from 0 to `max` across `width`; returns the marks and the height.
pub fn bar_rows(chart_id: &str, rows: &[BarRow], max: f64, width: f64) -> (Html, f64) {
    let scale = |value: f64| {
        if max > 0.0 && value.is_finite() {
            (value.max(0.0) / max).min(1.0) * (width - 2.0)
        } else {
            0.0
        }
    };
    let texts: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.label.clone(), r.value.clone()))
        .collect();
    let (marks, end) = labelled_rows(&texts, width, 0.0, BAR, |index, bar_y| {
        let Some(row) = rows.get(index) else {
            return html! {};
        };
        let track = row.track.map(|t| {
            html! {
                <rect x="1" y={coord(bar_y)} width={coord(scale(t).max(1.0))} height={coord(BAR)} class="chart-track" />
            }
        });
        let mut x = 1.0;
        let segments: Vec<Html> = row
            .segments
            .iter()
            .filter_map(|s| {
                let w = scale(s.value);
                if w <= 0.0 {
                    return None;
                }
                let mark = html! {
                    <rect x={coord(x)} y={coord(bar_y)} width={coord(w.max(1.0))} height={coord(BAR)}
                        fill={series_fill(chart_id, s.series)} class="chart-mark" />
                };
                x += w;
                Some(mark)
            })
            .collect();
        html! { <>{ for track }{ for segments }</> }
    });
    (marks, (end + 2.0).max(1.0))
}

/// Small text (13 px, a line every 16 px) wrapped to `width`, from its first baseline
/// at `y`; returns the text and how many lines it took.
pub fn small_text_block(
    text: &str,
    x: f64,
    y: f64,
    width: f64,
    anchor: &'static str,
) -> (Html, usize) {
    let lines = wrap(text, width, 13.0);
    let count = lines.len();
    let html = html! {
        <text class="chart-small" text-anchor={anchor}>
            { for lines.into_iter().enumerate().map(|(i, line)| html! {
                <tspan x={coord(x)} y={coord(y + 16.0 * i as f64)}>{ line }</tspan>
            }) }
        </text>
    };
    (html, count)
}
