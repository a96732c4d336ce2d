//! The risk-share corridor: how the agreement would share an overspend or underspend at
//! any outturn near the budget, with the scenario's own outturn marked. Every point is
//! the engine's `RiskShareAgreement::evaluate`; the outturns are the budget moved by a
//! rate with the engine's `Pence::mul_rate`.

use super::axis::{x_gridline, y_gridlines};
use super::bars::small_text_block;
use super::frame::{caption, use_chart_width, ChartFrame, LegendItem, LegendKey, ScenarioProps};
use super::scale::{coord, nice_step, text_width, ticks};
use crate::format::{short_money, signed_percent, tick_money};
use onebudget_engine::money::Pence;
use onebudget_engine::risk_share::{RiskShareAgreement, RiskShareResult, VarianceDirection};
use yew::prelude::*;

/// The chart's grid: steps of half a percent of budget, ±10 % (41 outturns).
const STEP: f64 = 0.005;
const REACH_STEPS: i64 = 20;
/// The table shows every fourth step (every 2 %).
const TABLE_EVERY: i64 = 4;
/// However far the actual outturn is, the grid stops at ±200 % of budget.
const MAX_STEPS: i64 = 400;

/// The outturn `rate` of the budget above (or below) it.
fn outturn_at(budget: Pence, rate: f64) -> Option<Pence> {
    budget
        .mul_rate(rate)
        .and_then(|change| budget.checked_add(change))
        .ok()
}

/// Outturn relative to budget, for positions and labels only.
fn rate_of(budget: Pence, outturn: Pence) -> f64 {
    (outturn.pence() as f64 - budget.pence() as f64) / budget.pence() as f64
}

/// Which grid steps the chart covers: ±10 %, stretched to reach the actual outturn.
fn step_range(agreement: &RiskShareAgreement) -> (i64, i64) {
    let actual = rate_of(agreement.budget, agreement.outturn) / STEP;
    let actual = if actual.is_finite() { actual } else { 0.0 };
    let low = (actual.floor() as i64).clamp(-MAX_STEPS, -REACH_STEPS);
    let high = (actual.ceil() as i64).clamp(REACH_STEPS, MAX_STEPS);
    (low, high)
}

/// Every outturn to evaluate for the lines: the grid, the corridors' edges and the
/// minimum rate's cliff (so corners are drawn where they are), and the actual outturn.
fn chart_outturns(agreement: &RiskShareAgreement, actual: &RiskShareResult) -> Vec<Pence> {
    let budget = agreement.budget;
    let (low, high) = step_range(agreement);
    let (low_rate, high_rate) = (low as f64 * STEP, high as f64 * STEP);
    let mut outturns: Vec<Pence> = (low..=high)
        .filter_map(|k| outturn_at(budget, k as f64 * STEP))
        .collect();
    let mut edge = |rate: f64| {
        if (low_rate..=high_rate).contains(&rate) {
            outturns.extend(outturn_at(budget, rate));
        }
    };
    for corridor in &agreement.loss_corridors {
        edge(corridor.from);
        if let Some(to) = corridor.to {
            edge(to);
        }
    }
    for corridor in &agreement.gain_corridors {
        edge(-corridor.from);
        if let Some(to) = corridor.to {
            edge(-to);
        }
    }
    if let Some(test) = &actual.minimum_rate {
        let threshold = test.threshold;
        let just_below = threshold.checked_sub(Pence(1)).unwrap_or(threshold);
        for amount in [threshold, just_below] {
            outturns.extend(budget.checked_add(amount).ok());
            outturns.extend(budget.checked_sub(amount).ok());
        }
    }
    outturns.push(agreement.outturn);
    let (first, last) = (
        outturn_at(budget, low_rate).unwrap_or(agreement.outturn),
        outturn_at(budget, high_rate).unwrap_or(agreement.outturn),
    );
    outturns.retain(|o| *o >= first.min(agreement.outturn) && *o <= last.max(agreement.outturn));
    outturns.sort();
    outturns.dedup();
    outturns
}

/// The table's outturns: every 2 % of budget from −10 % to +10 %, and the actual outturn.
pub fn table_outturns(agreement: &RiskShareAgreement) -> Vec<Pence> {
    let mut outturns: Vec<Pence> = (-REACH_STEPS..=REACH_STEPS)
        .filter(|k| k % TABLE_EVERY == 0)
        .filter_map(|k| outturn_at(agreement.budget, k as f64 * STEP))
        .collect();
    outturns.push(agreement.outturn);
    outturns.sort();
    outturns.dedup();
    outturns
}

/// "bears £2,000,000 of the overspend" / "keeps £500,000 of the underspend".
fn side_words(amount: Pence, direction: VarianceDirection) -> String {
    let magnitude = amount.abs().unwrap_or(amount).display_pounds();
    match direction {
        VarianceDirection::Underspend if amount.pence() < 0 => {
            format!("keeps {magnitude} of the underspend")
        }
        VarianceDirection::Underspend => format!("gives up {magnitude} of the underspend"),
        _ if amount.pence() < 0 => format!("gains {magnitude}"),
        _ => format!("bears {magnitude} of the overspend"),
    }
}

fn describe(agreement: &RiskShareAgreement, actual: &RiskShareResult, range: (f64, f64)) -> String {
    let budget = agreement.budget.display_pounds();
    let outturn = agreement.outturn.display_pounds();
    let variance = actual.variance.abs().unwrap_or(actual.variance);
    let how_far = format!(
        "{} ({})",
        variance.display_pounds(),
        signed_percent(actual.variance_rate, 1).trim_start_matches(['+', '\u{2212}'])
    );
    let first = match actual.direction {
        VarianceDirection::OnBudget => {
            format!("The outturn is {outturn}, exactly the budget, so there is nothing to share.")
        }
        direction => format!(
            "The outturn is {outturn}, {how_far} {} the {budget} budget. The provider {} and the commissioner {}.",
            if direction == VarianceDirection::Overspend {
                "over"
            } else {
                "under"
            },
            side_words(actual.provider_total, direction),
            side_words(actual.commissioner_total, direction)
                .replace(" of the overspend", "")
                .replace(" of the underspend", ""),
        ),
    };
    let (low, high) = range;
    format!(
        "{first} The chart shows how the agreement would share any outturn from {} under to {} over budget.",
        signed_percent(low, 0).trim_start_matches('\u{2212}'),
        signed_percent(high, 0).trim_start_matches('+'),
    )
}

#[component]
pub fn RiskShareCorridor(props: &ScenarioProps) -> Html {
    let width = use_chart_width();
    let id = "chart-risk-share";
    let Some(agreement) = &props.scenario.risk_share else {
        return html! {};
    };
    let budget = agreement.budget;
    if budget.pence() <= 0 {
        return html! {};
    }
    let Ok(actual) = agreement.compute() else {
        return html! {};
    };
    let points: Vec<(Pence, RiskShareResult)> = chart_outturns(agreement, &actual)
        .into_iter()
        .filter_map(|o| agreement.evaluate(o).ok().map(|r| (o, r)))
        .collect();
    if points.len() < 2 {
        return html! {};
    }

    // Scales. Positions may be f64; every label is the engine's Pence.
    let (low, high) = step_range(agreement);
    let (x_low, x_high) = (low as f64 * STEP, high as f64 * STEP);
    let values = points.iter().flat_map(|(_, r)| {
        [
            r.provider_total.to_pounds_f64(),
            r.commissioner_total.to_pounds_f64(),
        ]
    });
    let (y_min, y_max) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let y_ticks = ticks(y_min, y_max, 4);
    let y_low = y_ticks.first().copied().unwrap_or(y_min);
    let y_high = y_ticks.last().copied().unwrap_or(y_max);
    let y_span = (y_high - y_low).max(1.0);
    let left = y_ticks
        .iter()
        .map(|v| text_width(&tick_money(*v), 13.0))
        .fold(0.0, f64::max)
        + 14.0;
    let right = 12.0;
    let (y_title, y_title_lines) = small_text_block(
        "£ borne of an overspend (above 0) or kept of an underspend (below 0)",
        0.0,
        14.0,
        width,
        "start",
    );
    // Room for the axis title and, under it, the two-line label of the actual outturn.
    let top = 16.0 * y_title_lines as f64 + 52.0;
    let plot_height = if width < 480.0 { 240.0 } else { 300.0 };
    let plot_width = (width - left - right).max(10.0);
    let x_of = |rate: f64| left + (rate - x_low) / (x_high - x_low) * plot_width;
    let y_of = |pounds: f64| top + (y_high - pounds) / y_span * plot_height;
    let bottom_axis = top + plot_height;

    let grid = y_gridlines(&y_ticks, y_of, (left, width - right), 6.0, tick_money);
    // About one % tick per 80 px, at a nice step of the budget.
    let x_step = nice_step(
        x_high - x_low,
        ((plot_width / 80.0).floor() as usize).clamp(2, 10),
    );
    let x_ticks: Vec<f64> = {
        let first = (x_low / x_step).ceil() as i64;
        let last = (x_high / x_step).floor() as i64;
        (first..=last).map(|k| k as f64 * x_step).collect()
    };
    let x_axis: Vec<Html> = x_ticks
        .iter()
        .map(|&rate| {
            let x = x_of(rate);
            let at = outturn_at(budget, rate)
                .map(short_money)
                .unwrap_or_default();
            let percent_text = signed_percent(
                rate,
                if (rate * 100.0).fract().abs() < 1e-9 {
                    0
                } else {
                    1
                },
            );
            x_gridline(
                x,
                (top, bottom_axis),
                rate.abs() < x_step / 2.0,
                percent_text,
                Some(at),
            )
        })
        .collect();
    let line = |side: fn(&RiskShareResult) -> Pence| -> String {
        points
            .iter()
            .map(|(o, r)| {
                format!(
                    "{},{}",
                    coord(x_of(rate_of(budget, *o))),
                    coord(y_of(side(r).to_pounds_f64()))
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let provider_points = line(|r| r.provider_total);
    let commissioner_points = line(|r| r.commissioner_total);

    // The actual outturn: a vertical marker, a circle on the provider's line and a
    // square on the commissioner's, each labelled with its amount.
    let actual_rate = rate_of(budget, agreement.outturn);
    let ax = x_of(actual_rate);
    let provider_y = y_of(actual.provider_total.to_pounds_f64());
    let commissioner_y = y_of(actual.commissioner_total.to_pounds_f64());
    let on_right_half = ax > left + plot_width * 0.6;
    let (label_x, anchor) = if on_right_half {
        (ax - 10.0, "end")
    } else {
        (ax + 10.0, "start")
    };
    // Keep the two amounts apart when the lines are close at the marker.
    let (provider_label_y, commissioner_label_y) = if (provider_y - commissioner_y).abs() < 18.0 {
        if provider_y <= commissioner_y {
            (provider_y - 6.0, commissioner_y + 16.0)
        } else {
            (provider_y + 16.0, commissioner_y - 6.0)
        }
    } else {
        (provider_y + 5.0, commissioner_y + 5.0)
    };
    let headline_anchor = if ax < left + 60.0 {
        "start"
    } else if ax > width - right - 60.0 {
        "end"
    } else {
        "middle"
    };
    let marker = html! {
        <g>
            <line x1={coord(ax)} x2={coord(ax)} y1={coord(top - 8.0)} y2={coord(bottom_axis)} class="chart-marker-line" />
            <text class="chart-value" x={coord(ax)} y={coord(top - 32.0)} text-anchor={headline_anchor}>{ "Actual outturn" }</text>
            <text class="chart-small" x={coord(ax)} y={coord(top - 14.0)} text-anchor={headline_anchor}>
                { format!("{}, {}", short_money(agreement.outturn), signed_percent(actual_rate, 1)) }
            </text>
            <circle cx={coord(ax)} cy={coord(provider_y)} r="6" class="chart-marker-0" />
            <rect x={coord(ax - 5.5)} y={coord(commissioner_y - 5.5)} width="11" height="11" class="chart-marker-1" />
            <text class="chart-small chart-halo" x={coord(label_x)} y={coord(provider_label_y)} text-anchor={anchor}>
                { format!("Provider {}", short_money(actual.provider_total)) }
            </text>
            <text class="chart-small chart-halo" x={coord(label_x)} y={coord(commissioner_label_y)} text-anchor={anchor}>
                { format!("Commissioner {}", short_money(actual.commissioner_total)) }
            </text>
        </g>
    };
    let (x_title, x_title_lines) = small_text_block(
        "Outturn: % above (+) or below (−) budget, and £",
        width / 2.0,
        bottom_axis + 58.0,
        width,
        "middle",
    );
    let height = bottom_axis + 46.0 + 16.0 * x_title_lines as f64;
    let svg = html! {
        <>
            { y_title }
            { for grid }
            { for x_axis }
            <polyline points={provider_points} class="chart-line-0" />
            <polyline points={commissioner_points} class="chart-line-1 chart-dashed" />
            { marker }
            { x_title }
        </>
    };
    let legend = vec![
        LegendItem::new(
            LegendKey::Line {
                series: 0,
                dashed: false,
            },
            "Provider (solid line, circle)",
        ),
        LegendItem::new(
            LegendKey::Line {
                series: 1,
                dashed: true,
            },
            "Commissioner (dashed line, square)",
        ),
    ];
    let drawing = format!(
        "Two lines across outturns from {} to {} of budget: the provider's share and the commissioner's share of the difference from budget. A vertical line marks the actual outturn, {}.",
        signed_percent(x_low, 0),
        signed_percent(x_high, 0),
        agreement.outturn.display_pounds()
    );
    let rows: Vec<(Pence, RiskShareResult)> = table_outturns(agreement)
        .into_iter()
        .filter_map(|o| agreement.evaluate(o).ok().map(|r| (o, r)))
        .collect();
    let table = html! {
        <table class="data-table">
            { caption(format!(
                "How the difference from the {} budget would be shared. Positive amounts are overspend borne; negative amounts (−) are underspend kept.",
                budget.display_pounds()
            )) }
            <thead>
                <tr>
                    <th scope="col">{ "Outturn, % of budget" }</th>
                    <th scope="col" class="num">{ "Outturn" }</th>
                    <th scope="col" class="num">{ "Variance" }</th>
                    <th scope="col" class="num">{ "Provider" }</th>
                    <th scope="col" class="num">{ "Commissioner" }</th>
                </tr>
            </thead>
            <tbody>
                { for rows.iter().map(|(o, r)| {
                    let is_actual = *o == agreement.outturn;
                    html! {
                        <tr class={is_actual.then_some("data-table-highlight")}>
                            <th scope="row">
                                { signed_percent(r.variance_rate, 1) }
                                if is_actual { { " (actual)" } }
                            </th>
                            <td class="num">{ o.display_pounds() }</td>
                            <td class="num">{ r.variance.display_pounds() }</td>
                            <td class="num">{ r.provider_total.display_pounds() }</td>
                            <td class="num">{ r.commissioner_total.display_pounds() }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    };
    html! {
        <ChartFrame id={id} title="Who pays for an overspend, and who keeps an underspend"
            description={describe(agreement, &actual, (x_low, x_high))} drawing={drawing} width={width} height={height}
            svg={svg} table={table} legend={legend} />
    }
}
