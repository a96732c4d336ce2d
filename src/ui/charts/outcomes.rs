//! The outcome-linked payment, metric by metric: what each metric could earn back of
//! the amount at risk, and what it did.

use super::bars::{bar_rows, BarRow, Segment};
use super::frame::{caption, use_chart_width, ChartFrame, LegendItem, LegendKey, ResultsProps};
use crate::format::share;
use yew::prelude::*;

/// An achieved value as typed (a rate such as 0.81, or a count such as 13.5), without
/// floating-point noise.
fn achieved_text(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.replace('-', "\u{2212}")
    }
}

#[component]
pub fn OutcomeByMetric(props: &ResultsProps) -> Html {
    let width = use_chart_width();
    let id = "chart-outcomes";
    let Some(payment) = &props.results.outcome_payment else {
        return html! {};
    };
    let max = payment
        .metrics
        .iter()
        .map(|m| m.available.to_pounds_f64())
        .fold(0.0, f64::max);
    let rows: Vec<BarRow> = payment
        .metrics
        .iter()
        .map(|m| BarRow {
            label: m.name.clone(),
            value: format!(
                "{} of {} earned",
                m.earned.display_pounds(),
                m.available.display_pounds()
            ),
            segments: vec![Segment {
                value: m.earned.to_pounds_f64(),
                series: 0,
            }],
            track: Some(m.available.to_pounds_f64()),
        })
        .collect();
    let (marks, height) = bar_rows(id, &rows, max, width);
    let met = payment
        .metrics
        .iter()
        .filter(|m| m.earned == m.available)
        .count();
    let description = format!(
        "{} had {} of its contract at risk, to be earned back by meeting {} quality measure{}. \
         It earned back {} ({} of the amount at risk); {} measure{} earned in full.",
        payment.provider,
        payment.at_risk.display_pounds(),
        payment.metrics.len(),
        if payment.metrics.len() == 1 { "" } else { "s" },
        payment.total_earned.display_pounds(),
        share(payment.weighted_score),
        met,
        if met == 1 { "" } else { "s" },
    );
    let drawing = format!(
        "For each of the {} measures, an outlined bar for the amount it could earn and a filled bar, inside it, for the amount earned.",
        payment.metrics.len()
    );
    let legend = vec![
        LegendItem::new(LegendKey::Outline, "Could earn (outline)"),
        LegendItem::new(LegendKey::Series(0), "Earned (filled)"),
    ];
    let table = html! {
        <table class="data-table">
            { caption(format!("Outcome payment to {}, by measure", payment.provider)) }
            <thead>
                <tr>
                    <th scope="col">{ "Measure" }</th>
                    <th scope="col" class="num">{ "Weight" }</th>
                    <th scope="col" class="num">{ "Achieved" }</th>
                    <th scope="col" class="num">{ "Share earned" }</th>
                    <th scope="col" class="num">{ "Could earn" }</th>
                    <th scope="col" class="num">{ "Earned" }</th>
                </tr>
            </thead>
            <tbody>
                { for payment.metrics.iter().map(|m| html! {
                    <tr>
                        <th scope="row">{ &m.name }</th>
                        <td class="num">{ share(m.weight) }</td>
                        <td class="num">{ achieved_text(m.achieved) }</td>
                        <td class="num">{ share(m.earned_share) }</td>
                        <td class="num">{ m.available.display() }</td>
                        <td class="num">{ m.earned.display() }</td>
                    </tr>
                }) }
            </tbody>
            <tfoot>
                <tr>
                    <th scope="row">{ "Total" }</th>
                    <td class="num"></td>
                    <td class="num"></td>
                    <td class="num">{ share(payment.weighted_score) }</td>
                    <td class="num">{ payment.at_risk.display() }</td>
                    <td class="num">{ payment.total_earned.display() }</td>
                </tr>
            </tfoot>
        </table>
    };
    html! {
        <ChartFrame id={id} title="Payment earned for quality"
            description={description} drawing={drawing} width={width} height={height}
            svg={marks} table={table} legend={legend} />
    }
}
