//! The budget over the years, and the first year's budget by service line.

use super::axis::y_gridlines;
use super::bars::{bar_rows, BarRow, Segment};
use super::frame::{
    caption, series_fill, use_chart_width, ChartFrame, LegendItem, LegendKey, ResultsProps, SERIES,
};
use super::scale::{coord, text_width, ticks};
use crate::format::{share, short_money, tick_money};
use onebudget_engine::money::{self, Pence};
use onebudget_engine::scenario::Results;
use onebudget_engine::working::people;
use yew::prelude::*;

/// Below this width per year, columns cannot carry their labels: rows are drawn instead.
const MIN_COLUMN_SLOT: f64 = 130.0;

/// "for Anytown" or "for the 5 places together".
fn whose(results: &Results) -> String {
    match results.places.as_slice() {
        [only] => format!("for {}", only.name),
        places => format!("for the {} places together", places.len()),
    }
}

fn per_person_text(amount: Option<Pence>) -> String {
    amount
        .map(|p| format!("{} per person", p.display_pounds()))
        .unwrap_or_else(|| "no one counted".into())
}

fn budget_description(results: &Results) -> String {
    let who = whose(results);
    match (results.totals.first(), results.totals.last()) {
        (Some(first), Some(last)) if results.totals.len() > 1 => {
            let verb = match last.budget.cmp(&first.budget) {
                std::cmp::Ordering::Greater => "grows",
                std::cmp::Ordering::Less => "falls",
                std::cmp::Ordering::Equal => "stays the same",
            };
            let mut text = format!(
                "The budget {who} {verb} from {} in {} to {} in {}.",
                first.budget.display_pounds(),
                first.year,
                last.budget.display_pounds(),
                last.year
            );
            if let (Some(a), Some(b)) = (first.per_person, last.per_person) {
                text.push_str(&format!(
                    " Per person, that is {} in {} and {} in {}.",
                    a.display_pounds(),
                    first.year,
                    b.display_pounds(),
                    last.year
                ));
            }
            text
        }
        (Some(first), _) => format!(
            "The budget {who} for {} is {}: {} for {} people.",
            first.year,
            first.budget.display_pounds(),
            per_person_text(first.per_person),
            people(first.people)
        ),
        _ => "There is no budget to show.".into(),
    }
}

/// The total budget each year, stacked by place when there are a few places.
#[component]
pub fn BudgetOverYears(props: &ResultsProps) -> Html {
    let width = use_chart_width();
    let results = &props.results;
    let id = "chart-budget-years";
    let totals = &results.totals;
    let places = &results.places;
    // Up to five places can be told apart by colour and pattern; beyond that, totals only.
    let stacked = places.len() > 1 && places.len() <= SERIES;
    let segments_for = |t: usize| -> Vec<Segment> {
        if stacked {
            places
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    p.budget.years.get(t).map(|y| Segment {
                        value: y.budget.to_pounds_f64(),
                        series: i,
                    })
                })
                .collect()
        } else {
            totals
                .get(t)
                .map(|y| {
                    vec![Segment {
                        value: y.budget.to_pounds_f64(),
                        series: 0,
                    }]
                })
                .unwrap_or_default()
        }
    };
    let max = totals
        .iter()
        .map(|t| t.budget.to_pounds_f64())
        .fold(0.0, f64::max);

    let left = 64.0;
    let slot = (width - left) / totals.len().max(1) as f64;
    let (marks, height) = if slot >= MIN_COLUMN_SLOT {
        columns(id, results, &segments_for, max, width, left, slot)
    } else {
        let rows: Vec<BarRow> = totals
            .iter()
            .enumerate()
            .map(|(t, y)| BarRow {
                label: y.year.clone(),
                value: format!(
                    "{} · {}",
                    short_money(y.budget),
                    per_person_text(y.per_person)
                ),
                segments: segments_for(t),
                track: None,
            })
            .collect();
        bar_rows(id, &rows, max, width)
    };

    let legend = if stacked {
        places
            .iter()
            .enumerate()
            .map(|(i, p)| LegendItem::new(LegendKey::Series(i), p.name.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let drawing = format!(
        "Bars for each year from {} to {}{}, from {} to {}. The exact figures are in the data table.",
        totals.first().map(|t| t.year.as_str()).unwrap_or(""),
        totals.last().map(|t| t.year.as_str()).unwrap_or(""),
        if stacked {
            ", each split by place"
        } else {
            ""
        },
        totals.first().map(|t| short_money(t.budget)).unwrap_or_default(),
        totals.last().map(|t| short_money(t.budget)).unwrap_or_default(),
    );
    let mut description = budget_description(results);
    if places.len() > SERIES {
        description.push_str(" Each place's budget is in the data table.");
    }
    let several = places.len() > 1;
    let table = html! {
        <table class="data-table">
            { caption(format!("Budget each year {}", whose(results))) }
            <thead>
                <tr>
                    <th scope="col">{ "Year" }</th>
                    <th scope="col" class="num">{ "Budget" }</th>
                    <th scope="col" class="num">{ "People" }</th>
                    <th scope="col" class="num">{ "Per person" }</th>
                    if several {
                        { for places.iter().map(|p| html! {
                            <th scope="col" class="num">{ format!("Budget of {}", p.name) }</th>
                        }) }
                    }
                </tr>
            </thead>
            <tbody>
                { for totals.iter().enumerate().map(|(t, y)| html! {
                    <tr>
                        <th scope="row">{ &y.year }</th>
                        <td class="num">{ y.budget.display_pounds() }</td>
                        <td class="num">{ people(y.people) }</td>
                        <td class="num">{ y.per_person.map(Pence::display_pounds).unwrap_or_else(|| "—".into()) }</td>
                        if several {
                            { for places.iter().map(|p| html! {
                                <td class="num">{ p.budget.years.get(t).map(|b| b.budget.display_pounds()).unwrap_or_else(|| "—".into()) }</td>
                            }) }
                        }
                    </tr>
                }) }
            </tbody>
        </table>
    };
    html! {
        <ChartFrame id={id} title="The budget each year"
            description={description} drawing={drawing} width={width} height={height}
            svg={marks} table={table} legend={legend} />
    }
}

/// Columns over the years, on a £ axis, each labelled with its total and per-person figure.
fn columns(
    id: &str,
    results: &Results,
    segments_for: &dyn Fn(usize) -> Vec<Segment>,
    max: f64,
    width: f64,
    left: f64,
    slot: f64,
) -> (Html, f64) {
    let top = 48.0;
    let plot = 240.0;
    let bottom = 30.0;
    let axis = ticks(0.0, max, 5);
    let axis_max = axis.last().copied().unwrap_or(max).max(1.0);
    let y_of = |value: f64| top + plot - (value.max(0.0) / axis_max).min(1.0) * plot;
    let bar_width = (slot * 0.6).min(96.0);
    let grid = y_gridlines(&axis, y_of, (left, width), 8.0, tick_money);
    let bars: Vec<Html> = results
        .totals
        .iter()
        .enumerate()
        .map(|(t, year)| {
            let x = left + slot * t as f64 + (slot - bar_width) / 2.0;
            let centre = x + bar_width / 2.0;
            let mut running = 0.0;
            let segments: Vec<Html> = segments_for(t)
                .into_iter()
                .filter(|s| s.value > 0.0)
                .map(|s| {
                    let y_low = y_of(running);
                    running += s.value;
                    let y_high = y_of(running);
                    html! {
                        <rect x={coord(x)} y={coord(y_high)} width={coord(bar_width)}
                            height={coord((y_low - y_high).max(1.0))}
                            fill={series_fill(id, s.series)} class="chart-mark" />
                    }
                })
                .collect();
            let bar_top = y_of(year.budget.to_pounds_f64());
            let per_person = year
                .per_person
                .map(|p| format!("{} per person", p.display_pounds()))
                .unwrap_or_default();
            let small = if text_width(&per_person, 13.0) <= slot - 4.0 {
                per_person
            } else {
                year.per_person
                    .map(Pence::display_pounds)
                    .unwrap_or_default()
            };
            html! {
                <g>
                    { for segments }
                    <text class="chart-value" x={coord(centre)} y={coord(bar_top - 24.0)} text-anchor="middle">{ short_money(year.budget) }</text>
                    <text class="chart-small" x={coord(centre)} y={coord(bar_top - 7.0)} text-anchor="middle">{ small }</text>
                    <text class="chart-label" x={coord(centre)} y={coord(top + plot + 22.0)} text-anchor="middle">{ &year.year }</text>
                </g>
            }
        })
        .collect();
    (html! { <>{ for grid }{ for bars }</> }, top + plot + bottom)
}

/// The first year's budget by service line, all places added together.
#[component]
pub fn ServiceLineSplit(props: &ResultsProps) -> Html {
    let width = use_chart_width();
    let results = &props.results;
    let id = "chart-service-lines";
    let (Some(first), Some(total)) = (
        results.places.first().and_then(|p| p.budget.years.first()),
        results.totals.first(),
    ) else {
        return html! {};
    };
    // Every place splits by the same lines (one policy), so line k is the same line everywhere.
    let lines: Vec<(String, f64, Pence)> = first
        .service_lines
        .iter()
        .enumerate()
        .filter_map(|(k, line)| {
            let amount = money::sum(results.places.iter().filter_map(|p| {
                p.budget
                    .years
                    .first()
                    .and_then(|y| y.service_lines.get(k))
                    .map(|l| l.amount)
            }))
            .ok()?;
            Some((line.name.clone(), line.share, amount))
        })
        .collect();
    if lines.is_empty() {
        return html! {};
    }
    let max = lines
        .iter()
        .map(|(_, _, a)| a.to_pounds_f64())
        .fold(0.0, f64::max);
    let rows: Vec<BarRow> = lines
        .iter()
        .map(|(name, line_share, amount)| BarRow {
            label: name.clone(),
            value: format!("{} · {}", short_money(*amount), share(*line_share)),
            segments: vec![Segment {
                value: amount.to_pounds_f64(),
                series: 0,
            }],
            track: None,
        })
        .collect();
    let (marks, height) = bar_rows(id, &rows, max, width);
    let largest = lines.iter().max_by_key(|(_, _, a)| *a);
    let mut description = format!(
        "The {} budget {} is {}, split across {} service line{}.",
        total.year,
        whose(results),
        total.budget.display_pounds(),
        lines.len(),
        if lines.len() == 1 { "" } else { "s" }
    );
    if let Some((name, line_share, amount)) = largest.filter(|_| lines.len() > 1) {
        description.push_str(&format!(
            " The largest is {}: {} ({}).",
            name.to_lowercase_first(),
            amount.display_pounds(),
            share(*line_share)
        ));
    }
    let drawing = format!(
        "One bar for each of the {} service lines, as long as its part of the budget, labelled with the amount and share.",
        lines.len()
    );
    let table = html! {
        <table class="data-table">
            { caption(format!("Budget for {} by service line, {}", total.year, whose(results).trim_start_matches("for "))) }
            <thead>
                <tr>
                    <th scope="col">{ "Service line" }</th>
                    <th scope="col" class="num">{ "Amount" }</th>
                    <th scope="col" class="num">{ "Share" }</th>
                </tr>
            </thead>
            <tbody>
                { for lines.iter().map(|(name, line_share, amount)| html! {
                    <tr>
                        <th scope="row">{ name }</th>
                        <td class="num">{ amount.display_pounds() }</td>
                        <td class="num">{ share(*line_share) }</td>
                    </tr>
                }) }
            </tbody>
            <tfoot>
                <tr>
                    <th scope="row">{ "Total" }</th>
                    <td class="num">{ total.budget.display_pounds() }</td>
                    <td class="num">{ share(lines.iter().map(|(_, s, _)| s).sum()) }</td>
                </tr>
            </tfoot>
        </table>
    };
    html! {
        <ChartFrame id={id} title={format!("Where the {} budget goes", total.year)}
            description={description} drawing={drawing} width={width} height={height}
            svg={marks} table={table} />
    }
}

/// "Acute hospital care" → "acute hospital care", but "NHS 111" stays as it is.
trait LowercaseFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowercaseFirst for String {
    fn to_lowercase_first(&self) -> String {
        let mut chars = self.chars();
        match (chars.next(), chars.next()) {
            (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
                crate::ui::letter_case::first_letter_small(self)
            }
            _ => self.clone(),
        }
    }
}
