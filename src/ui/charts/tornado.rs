//! The tornado: one row an input, largest swing first. Each row's bars start at the figure
//! as written (the vertical line) and reach the figure with the input lowered (one pattern)
//! and raised (another), so which way an input pushes the figure reads without colour.

use super::bars::{labelled_rows, small_text_block};
use super::frame::{caption, series_fill, use_chart_width, ChartFrame, LegendItem, LegendKey};
use super::scale::coord;
use crate::format::{short_money, signed_percent};
use onebudget_engine::comparison::Measure;
use onebudget_engine::sensitivity::{swing_text, InputValue, Tornado, TornadoRow};
use onebudget_engine::working::{people, percent};
use std::rc::Rc;
use yew::prelude::*;

/// The most rows the drawing shows (the table has them all): a projector shows about this many.
pub const MAX_DRAWN: usize = 12;

const BAR: f64 = 12.0;

#[derive(Properties, PartialEq)]
pub struct TornadoProps {
    pub tornado: Rc<Tornado>,
    /// Whose scenario it is, for the title.
    pub scenario: AttrValue,
}

/// A figure as a short label on the chart (the table has it in full).
fn short(m: &Measure) -> String {
    match m {
        Measure::Money(p) => short_money(*p),
        Measure::Rate(r) => percent(*r, 2),
        other => other.display(),
    }
}

/// Where a figure sits relative to the figure as written, for drawing only.
fn offset(m: &Measure, base: &Measure) -> f64 {
    match (m, base) {
        (Measure::Money(a), Measure::Money(b)) => a.to_pounds_f64() - b.to_pounds_f64(),
        (Measure::Rate(a), Measure::Rate(b)) => a - b,
        _ => 0.0,
    }
}

/// The swing as a number for the table's `data-swing` (pence, or a fraction).
fn swing_number(m: &Measure) -> String {
    match m {
        Measure::Money(p) => p.pence().to_string(),
        Measure::Rate(r) => format!("{r}"),
        _ => "0".into(),
    }
}

fn row_figures(row: &TornadoRow) -> String {
    match (&row.figure_low, &row.figure_high) {
        (Some(l), Some(h)) if short(l) != short(h) => format!("{} to {}", short(l), short(h)),
        (Some(_), Some(_)) => format!("moves it by {}", swing_text(&row.swing)),
        (Some(l), None) => format!("{} (lowered only)", short(l)),
        (None, Some(h)) => format!("{} (raised only)", short(h)),
        (None, None) => "not worked out".into(),
    }
}

#[component]
pub fn TornadoChart(props: &TornadoProps) -> Html {
    let width = use_chart_width();
    let id = "chart-tornado";
    let t = &props.tornado;
    let by = percent(t.variation, 0);
    let moving: Vec<&TornadoRow> = t.moving_rows().take(MAX_DRAWN).collect();
    let moving_count = t.moving_rows().count();
    let max = moving
        .iter()
        .flat_map(|r| [r.figure_low.as_ref(), r.figure_high.as_ref()])
        .flatten()
        .map(|m| offset(m, &t.base).abs())
        .fold(0.0, f64::max);
    let half = (width - 2.0) / 2.0;
    let centre = 1.0 + half;
    let scale = |d: f64| {
        if max > 0.0 && d.is_finite() {
            d / max * half
        } else {
            0.0
        }
    };
    let (head, head_lines) = small_text_block(
        &format!("As written: {}", t.base.display()),
        centre,
        13.0,
        width,
        "middle",
    );
    let top = 16.0 * head_lines as f64 + 6.0;
    let texts: Vec<(String, String)> = moving
        .iter()
        .map(|r| (r.label.clone(), row_figures(r)))
        .collect();
    let (marks, end) = labelled_rows(&texts, width, top, BAR * 2.0 + 2.0, |index, y| {
        let Some(row) = moving.get(index) else {
            return html! {};
        };
        let bar = |m: Option<&Measure>, series: usize, y: f64| {
            let Some(m) = m else { return html! {} };
            let d = scale(offset(m, &t.base));
            if d == 0.0 {
                return html! {};
            }
            let (x, w) = if d < 0.0 {
                (centre + d, -d)
            } else {
                (centre, d)
            };
            html! {
                <rect x={coord(x)} y={coord(y)} width={coord(w.max(1.0))} height={coord(BAR)}
                    fill={series_fill(id, series)} class="chart-mark" />
            }
        };
        // The figure as written: a short line through each row's bars, clear of the labels.
        html! {
            <>
                { bar(row.figure_low.as_ref(), 0, y) }
                { bar(row.figure_high.as_ref(), 1, y + BAR + 2.0) }
                <line x1={coord(centre)} x2={coord(centre)} y1={coord(y - 3.0)} y2={coord(y + 2.0 * BAR + 5.0)}
                    class="chart-target-line" />
            </>
        }
    });
    let height = (end + 4.0).max(top + 4.0);
    let svg = html! { <>{ head }{ marks }</> };

    let description = {
        let mut text = t.sentence();
        if moving_count > 0 {
            text.push_str(&format!(
                " {moving_count} of the {} inputs tested move it{}.",
                t.rows.len(),
                if moving_count > MAX_DRAWN {
                    format!("; the chart shows the {MAX_DRAWN} that move it most and the table has them all")
                } else {
                    String::new()
                }
            ));
        }
        if let Some(trials) = t.pool_trials {
            text.push_str(&format!(
                " To keep this quick, each figure here comes from the pool's first {} simulated years (the same ones every time), so “as written” can differ a little from the figure worked out from {} years elsewhere.",
                people(trials as f64),
                people(onebudget_engine::pooling::FIRST_ESTIMATE_TRIALS as f64)
            ));
        }
        text
    };
    let drawing = format!(
        "One row for each input that moves the figure, largest effect first. A vertical line marks the figure as written; from it, one bar reaches the figure with the input lowered by {by} and a second, patterned bar the figure with it raised by {by}; bars to the left are lower, to the right higher."
    );
    let legend = vec![
        LegendItem::new(LegendKey::Series(0), format!("Input lowered by {by}")),
        LegendItem::new(LegendKey::Series(1), format!("Input raised by {by}")),
    ];
    let change = |m: &Option<Measure>| match m {
        Some(m @ Measure::Money(p)) => match &t.base {
            Measure::Money(b) => p
                .checked_sub(*b)
                .map(|d| {
                    if d.pence() > 0 {
                        format!("{} (+{})", m.display(), d.display_pounds())
                    } else if d.pence() < 0 {
                        format!("{} ({})", m.display(), d.display_pounds())
                    } else {
                        format!("{} (no change)", m.display())
                    }
                })
                .unwrap_or_else(|_| m.display()),
            _ => m.display(),
        },
        Some(m @ Measure::Rate(r)) => match &t.base {
            Measure::Rate(b) => format!("{} ({})", m.display(), signed_percent(r - b, 2)),
            _ => m.display(),
        },
        Some(m) => m.display(),
        None => "—".into(),
    };
    // A group without one value (each age band's growth) says how each was scaled.
    let value = |v: &Option<InputValue>, factor: f64| match v {
        Some(v) => v.display(),
        None => {
            let f = format!("{factor:.3}");
            format!(
                "each band × {}",
                f.trim_end_matches('0').trim_end_matches('.')
            )
        }
    };
    let table = html! {
        <table class="data-table tornado-table" data-testid="tornado-table">
            { caption(format!("{}: each input lowered and raised by {by}, largest swing first", t.figure.label())) }
            <thead>
                <tr>
                    <th scope="col">{ "Input" }</th>
                    <th scope="col" class="num">{ format!("Input lowered by {by}") }</th>
                    <th scope="col" class="num">{ format!("Input raised by {by}") }</th>
                    <th scope="col" class="num">{ "Figure, input lowered" }</th>
                    <th scope="col" class="num">{ "Figure, input raised" }</th>
                    <th scope="col" class="num">{ "Swing" }</th>
                </tr>
            </thead>
            <tbody>
                { for t.rows.iter().map(|r| html! {
                    <tr data-swing={swing_number(&r.swing)} data-path={r.path.clone()}>
                        <th scope="row">
                            { &r.label }
                            if let Some(problem) = &r.problem {
                                <span class="tornado-problem">{ format!(" Not every variation is allowed: {problem}.") }</span>
                            }
                        </th>
                        <td class="num">{ value(&r.value_low, 1.0 - t.variation) }</td>
                        <td class="num">{ value(&r.value_high, 1.0 + t.variation) }</td>
                        <td class="num">{ change(&r.figure_low) }</td>
                        <td class="num">{ change(&r.figure_high) }</td>
                        <td class="num">{ swing_text(&r.swing) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    };
    html! {
        <ChartFrame id={id}
            title={format!("What moves “{}” most: {}", crate::ui::letter_case::all_small(t.figure.label()), props.scenario)}
            description={description} drawing={drawing} width={width} height={height}
            svg={svg} table={table} legend={legend} />
    }
}
