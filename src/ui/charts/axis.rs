//! Gridlines with their tick labels, for the charts drawn on axes (budget columns,
//! risk-share corridor, pooling distribution and risk against size).

use super::scale::coord;
use yew::prelude::*;

/// Horizontal gridlines at `ticks` from `left` to `right` (the one at zero drawn as the
/// axis), each labelled `gap` px left of `left`.
pub fn y_gridlines(
    ticks: &[f64],
    y_of: impl Fn(f64) -> f64,
    (left, right): (f64, f64),
    gap: f64,
    label: impl Fn(f64) -> String,
) -> Vec<Html> {
    ticks
        .iter()
        .map(|&v| {
            let y = y_of(v);
            html! {
                <g>
                    <line x1={coord(left)} x2={coord(right)} y1={coord(y)} y2={coord(y)}
                        class={if v == 0.0 { "chart-axis-line" } else { "chart-grid" }} />
                    <text class="chart-axis" x={coord(left - gap)} y={coord(y + 4.0)} text-anchor="end">{ label(v) }</text>
                </g>
            }
        })
        .collect()
}

/// A vertical gridline at `x` from `top` to `bottom` (the axis itself if `is_axis`),
/// labelled under the plot, with a paler second label under that if there is one.
pub fn x_gridline(
    x: f64,
    (top, bottom): (f64, f64),
    is_axis: bool,
    label: String,
    second: Option<String>,
) -> Html {
    html! {
        <g>
            <line x1={coord(x)} x2={coord(x)} y1={coord(top)} y2={coord(bottom)}
                class={if is_axis { "chart-axis-line" } else { "chart-grid" }} />
            <text class="chart-axis" x={coord(x)} y={coord(bottom + 18.0)} text-anchor="middle">{ label }</text>
            if let Some(second) = second {
                <text class="chart-axis chart-axis-secondary" x={coord(x)} y={coord(bottom + 34.0)} text-anchor="middle">{ second }</text>
            }
        </g>
    }
}
