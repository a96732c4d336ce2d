//! How far each place is from its fair-share target after each year's allocation: the
//! convergence the pace-of-change policy is for (see the engine's `fair_shares` module).

use super::bars::labelled_rows;
use super::frame::{caption, use_chart_width, ChartFrame, LegendItem, LegendKey, ResultsProps};
use super::scale::{coord, nice_step, text_width};
use crate::format::share;
use onebudget_engine::fair_shares::PlaceYear;
use yew::prelude::*;

/// A distance from target in words: "5.9 % under target", "on target", "3.9 % over target".
fn distance_words(distance: f64) -> String {
    let magnitude = share(distance.abs());
    if magnitude == share(0.0) {
        "on target".into()
    } else if distance < 0.0 {
        format!("{magnitude} under target")
    } else {
        format!("{magnitude} over target")
    }
}

/// The places furthest under and furthest over target in one year, as a sentence part.
fn spread(places: &[PlaceYear]) -> Option<String> {
    let lowest = places
        .iter()
        .min_by(|a, b| a.distance_after.total_cmp(&b.distance_after))?;
    let highest = places
        .iter()
        .max_by(|a, b| a.distance_after.total_cmp(&b.distance_after))?;
    if places.len() == 1 {
        return Some(format!(
            "{} is {}",
            lowest.place,
            distance_words(lowest.distance_after)
        ));
    }
    Some(format!(
        "places range from {} ({}) to {} ({})",
        distance_words(lowest.distance_after),
        lowest.place,
        distance_words(highest.distance_after),
        highest.place
    ))
}

#[component]
pub fn FairSharesChart(props: &ResultsProps) -> Html {
    let width = use_chart_width();
    let results = &props.results;
    let id = "chart-fair-shares";
    let Some(fair) = &results.fair_shares else {
        return html! {};
    };
    let (Some(first), Some(last)) = (fair.years.first(), fair.years.last()) else {
        return html! {};
    };
    let label = |year: u32| {
        results
            .years
            .get((year as usize).saturating_sub(1))
            .cloned()
            .unwrap_or_else(|| format!("year {year}"))
    };
    let (first_label, last_label) = (label(first.year), label(last.year));
    let several_years = fair.years.len() > 1;

    // A symmetric scale around the target, wide enough for every year's distance.
    let furthest = fair
        .years
        .iter()
        .flat_map(|y| y.places.iter())
        .map(|p| p.distance_after.abs())
        .filter(|d| d.is_finite())
        .fold(0.0, f64::max)
        .max(0.01);
    let step = nice_step(furthest, 3);
    let reach = (furthest / step).ceil() * step;
    let pad = 10.0;
    let x_of = |d: f64| {
        let d = if d.is_finite() { d } else { 0.0 };
        pad + (d.clamp(-reach, reach) + reach) / (2.0 * reach) * (width - 2.0 * pad)
    };
    let top = 26.0;
    let mark_height = 20.0;
    let rows: Vec<(String, String)> = first
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let after_last = last.places.get(i).map(|l| l.distance_after);
            let value = match after_last.filter(|_| several_years) {
                Some(end) => format!(
                    "{} → {}",
                    distance_words(p.distance_after).replace(" target", ""),
                    distance_words(end).replace(" target", "")
                ),
                None => distance_words(p.distance_after),
            };
            (p.place.clone(), value)
        })
        .collect();
    let (marks, end) = labelled_rows(&rows, width, top, mark_height, |i, y| {
        let centre = y + mark_height / 2.0;
        let start = first.places.get(i).map(|p| x_of(p.distance_after));
        let finish = last
            .places
            .get(i)
            .filter(|_| several_years)
            .map(|p| x_of(p.distance_after));
        html! {
            <>
                if let (Some(a), Some(b)) = (start, finish) {
                    <line x1={coord(a)} x2={coord(b)} y1={coord(centre)} y2={coord(centre)} class="chart-connector" />
                }
                if let Some(a) = start {
                    <circle cx={coord(a)} cy={coord(centre)} r="6" class="chart-dot-hollow" />
                }
                if let Some(b) = finish {
                    <circle cx={coord(b)} cy={coord(centre)} r="6" class="chart-dot-filled" />
                }
            </>
        }
    });
    let axis_y = end + 8.0;
    let count = (reach / step).round() as i64;
    // Label every tick that has room: a label is about "10 %" wide.
    let spacing = (width - 2.0 * pad) / (2 * count.max(1)) as f64;
    let every = ((text_width("10 %", 13.0) + 12.0) / spacing)
        .ceil()
        .max(1.0) as i64;
    let axis: Vec<Html> = (-count..=count)
        .map(|k| {
            let d = k as f64 * step;
            let x = x_of(d);
            let label = (k % every == 0).then(|| {
                let text = if k == 0 {
                    "0".to_string()
                } else {
                    share(d.abs()).replace(".0 %", " %")
                };
                // The outermost labels stay inside the drawing.
                let (x_text, anchor) = if k == -count {
                    (x - pad, "start")
                } else if k == count {
                    (x + pad, "end")
                } else {
                    (x, "middle")
                };
                html! {
                    <text class="chart-axis" x={coord(x_text)} y={coord(axis_y + 18.0)} text-anchor={anchor}>{ text }</text>
                }
            });
            html! {
                <g>
                    <line x1={coord(x)} x2={coord(x)} y1={coord(top)} y2={coord(axis_y)}
                        class={if k == 0 { "chart-target-line" } else { "chart-grid" }} />
                    { for label }
                </g>
            }
        })
        .collect();
    let height = axis_y + 44.0;
    let directions = html! {
        <>
            <text class="chart-small" x="0" y={coord(axis_y + 36.0)}>{ "← under target" }</text>
            <text class="chart-small" x={coord(width)} y={coord(axis_y + 36.0)} text-anchor="end">{ "over target →" }</text>
        </>
    };
    let target_x = x_of(0.0);
    let svg = html! {
        <>
            { for axis }
            { directions }
            <text class="chart-value" x={coord(target_x)} y={coord(top - 8.0)} text-anchor="middle">{ "target" }</text>
            { marks }
        </>
    };

    let mut description = match spread(&first.places) {
        Some(s) => format!("After the {first_label} allocation, {s}."),
        None => String::new(),
    };
    if several_years {
        if let Some(s) = spread(&last.places) {
            description.push_str(&format!(" After {last_label}, {s}."));
        }
    }
    description.push_str(" Zero is the fair-share target.");
    let legend = if several_years {
        vec![
            LegendItem::new(
                LegendKey::Dot { filled: false },
                format!("After {first_label} (hollow circle)"),
            ),
            LegendItem::new(
                LegendKey::Dot { filled: true },
                format!("After {last_label} (filled circle)"),
            ),
        ]
    } else {
        vec![LegendItem::new(
            LegendKey::Dot { filled: false },
            format!("After {first_label}"),
        )]
    };
    let drawing = format!(
        "For each of the {} places, a dot for its distance from target after {first_label}{}, left of the centre line when under target and right of it when over.",
        first.places.len(),
        if several_years {
            format!(", joined to a dot for after {last_label}")
        } else {
            String::new()
        }
    );
    let place_count = first.places.len();
    let table = html! {
        <table class="data-table">
            { caption("Allocation and fair-share target for each place and year") }
            <thead>
                <tr>
                    <th scope="col">{ "Place" }</th>
                    <th scope="col">{ "Year" }</th>
                    <th scope="col" class="num">{ "Allocation" }</th>
                    <th scope="col" class="num">{ "Target" }</th>
                    <th scope="col" class="num">{ "Distance from target" }</th>
                </tr>
            </thead>
            <tbody>
                { for (0..place_count).flat_map(|i| fair.years.iter().filter_map(move |y| y.places.get(i).map(|p| (y.year, p)))).map(|(year, p)| html! {
                    <tr>
                        <th scope="row">{ &p.place }</th>
                        <td>{ label(year) }</td>
                        <td class="num">{ p.allocation.display_pounds() }</td>
                        <td class="num">{ p.target.display_pounds() }</td>
                        <td class="num">{ distance_words(p.distance_after) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    };
    html! {
        <ChartFrame id={id} title="How far each place is from its fair share"
            description={description} drawing={drawing} width={width} height={height}
            svg={svg} table={table} legend={legend} />
    }
}
