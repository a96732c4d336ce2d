//! Risk pooling's two charts: one member's overspend distribution on its own and in the
//! pool (from the engine's `Simulation::distributions`), and risk against population
//! size, the 1/√N curve (the engine's `pooling::normal_spread`) with each member and
//! the pool marked where the simulation put them.

use super::axis::{x_gridline, y_gridlines};
use super::bars::small_text_block;
use super::frame::{caption, series_fill, use_chart_width, ChartFrame, LegendItem, LegendKey};
use super::scale::{coord, text_width, ticks};
use crate::format::{share, signed_percent};
use onebudget_engine::pooling::{normal_spread, OverspendDistribution, Pool, PoolingResult};
use onebudget_engine::working::{people, percent};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DistributionProps {
    pub distribution: Rc<OverspendDistribution>,
    pub result: Rc<PoolingResult>,
    /// Which member of `result` the distribution is for.
    pub member: usize,
}

/// "−4.5 % to −4.2 %": a bin of overspend as a share of budget.
fn bin_words(low: f64, high: f64) -> String {
    format!("{} to {}", signed_percent(low, 1), signed_percent(high, 1))
}

/// Plot geometry shared by both charts: the drawing's margins and the plot's box.
struct Plot {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

impl Plot {
    fn bottom(&self) -> f64 {
        self.top + self.height
    }
    fn right(&self) -> f64 {
        self.left + self.width
    }
}

#[component]
pub fn OverspendDistributionChart(props: &DistributionProps) -> Html {
    let width = use_chart_width();
    let id = "chart-pooling-distribution";
    let d = &props.distribution;
    let Some(member) = props.result.members.get(props.member) else {
        return html! {};
    };
    let bins = d.standalone.len().min(d.pooled.len());
    let (Some(&low), Some(&high)) = (d.edges.first(), d.edges.get(bins)) else {
        return html! {};
    };
    if bins == 0 || high <= low {
        return html! {};
    }
    let tallest = d
        .standalone
        .iter()
        .chain(&d.pooled)
        .take(2 * bins)
        .cloned()
        .fold(0.0, f64::max);
    let y_ticks = ticks(0.0, tallest.max(0.001), 4);
    let y_high = y_ticks.last().copied().unwrap_or(tallest).max(1e-9);
    let left = y_ticks
        .iter()
        .map(|v| text_width(&share(*v), 13.0))
        .fold(0.0, f64::max)
        + 12.0;
    let (y_title, y_title_lines) =
        small_text_block("Share of simulated years", 0.0, 14.0, width, "start");
    let plot = Plot {
        left,
        top: 16.0 * y_title_lines as f64 + 30.0,
        width: (width - left - 12.0).max(10.0),
        height: if width < 480.0 { 200.0 } else { 240.0 },
    };
    let x_of = |v: f64| plot.left + (v - low) / (high - low) * plot.width;
    let y_of = |s: f64| plot.bottom() - s / y_high * plot.height;

    let grid = y_gridlines(&y_ticks, y_of, (plot.left, plot.right()), 6.0, share);
    // About one tick per 70 px.
    let x_count = ((plot.width / 70.0).floor() as usize).clamp(2, 8);
    let x_axis: Vec<Html> = ticks(low, high, x_count)
        .into_iter()
        .filter(|v| *v >= low && *v <= high)
        .map(|v| {
            let label = signed_percent(
                v,
                if (v * 100.0).fract().abs() < 1e-9 {
                    0
                } else {
                    1
                },
            );
            x_gridline(
                x_of(v),
                (plot.top, plot.bottom()),
                v.abs() < 1e-12,
                label,
                None,
            )
        })
        .collect();
    let (x_title, _) = small_text_block(
        "Overspend as a share of budget (below 0: underspend)",
        plot.left,
        plot.bottom() + 38.0,
        width - plot.left,
        "start",
    );
    let bars: Vec<Html> = (0..bins)
        .filter_map(|i| {
            let (a, b, s) = (*d.edges.get(i)?, *d.edges.get(i + 1)?, *d.standalone.get(i)?);
            let (x, y) = (x_of(a), y_of(s));
            (s > 0.0).then(|| {
                html! {
                    <rect x={coord(x)} y={coord(y)} width={coord((x_of(b) - x).max(1.0))}
                        height={coord(plot.bottom() - y)} fill={series_fill(id, 0)} class="chart-mark" />
                }
            })
        })
        .collect();
    let mut step = format!("M{},{}", coord(x_of(low)), coord(plot.bottom()));
    for i in 0..bins {
        if let (Some(&a), Some(&b), Some(&s)) =
            (d.edges.get(i), d.edges.get(i + 1), d.pooled.get(i))
        {
            step.push_str(&format!(
                " L{},{} L{},{}",
                coord(x_of(a)),
                coord(y_of(s)),
                coord(x_of(b)),
                coord(y_of(s))
            ));
        }
    }
    step.push_str(&format!(" L{},{}", coord(x_of(high)), coord(plot.bottom())));
    let threshold = props.result.overspend_threshold;
    let marker = (threshold > low && threshold < high).then(|| {
        let x = x_of(threshold);
        let label = format!("{} over", percent(threshold, 1));
        let anchor = if x + text_width(&label, 13.0) > width { "end" } else { "start" };
        let label_x = if anchor == "end" { x - 4.0 } else { x + 4.0 };
        html! {
            <g>
                <line x1={coord(x)} x2={coord(x)} y1={coord(plot.top - 8.0)} y2={coord(plot.bottom())} class="chart-marker-line" />
                <text class="chart-small" x={coord(label_x)} y={coord(plot.top - 10.0)} text-anchor={anchor}>{ label }</text>
            </g>
        }
    });
    let height = plot.bottom() + 38.0 + 16.0;
    let svg = html! {
        <>
            { y_title }
            { for grid }
            { for x_axis }
            { for bars }
            <path d={step} class="chart-line-1 chart-dashed" />
            { for marker }
            { x_title }
        </>
    };
    let name = &member.name;
    let (own, pooled) = (&member.standalone, &member.pooled);
    let description = format!(
        "In 9 years out of 10, {name}'s outturn would fall between {} and {} of its budget on its own, and between {} and {} in the pool ({} simulated years).",
        signed_percent(own.percentile_5.share_of_budget, 1),
        signed_percent(own.percentile_95.share_of_budget, 1),
        signed_percent(pooled.percentile_5.share_of_budget, 1),
        signed_percent(pooled.percentile_95.share_of_budget, 1),
        people(props.result.trials as f64),
    );
    let drawing = format!(
        "A histogram of {name}'s overspend as a share of its budget over the simulated years: solid bars on its own, a dashed outline in the pool. The pooled outline is taller and narrower: fewer years far from budget. A dotted line marks {} over budget.",
        percent(threshold, 1)
    );
    let legend = vec![
        LegendItem::new(LegendKey::Series(0), "On its own"),
        LegendItem::new(
            LegendKey::Line {
                series: 1,
                dashed: true,
            },
            "In the pool",
        ),
    ];
    let table = html! {
        <table class="data-table">
            { caption(format!("{name}: share of simulated years by overspend ({} years)", people(props.result.trials as f64))) }
            <thead>
                <tr>
                    <th scope="col">{ "Overspend (share of budget)" }</th>
                    <th scope="col" class="num">{ "On its own" }</th>
                    <th scope="col" class="num">{ "In the pool" }</th>
                </tr>
            </thead>
            <tbody>
                { for (0..bins).filter_map(|i| Some(html! {
                    <tr>
                        <th scope="row">{ bin_words(*d.edges.get(i)?, *d.edges.get(i + 1)?) }</th>
                        <td class="num">{ percent(*d.standalone.get(i)?, 2) }</td>
                        <td class="num">{ percent(*d.pooled.get(i)?, 2) }</td>
                    </tr>
                })) }
            </tbody>
        </table>
    };
    html! {
        <ChartFrame id={id} title={format!("How far {name}'s outturn strays from budget")}
            description={description} drawing={drawing} width={width} height={height}
            svg={svg} table={table} legend={legend} />
    }
}

#[derive(Properties, PartialEq)]
pub struct PopulationProps {
    pub pool: Rc<Pool>,
    pub result: Rc<PoolingResult>,
    /// The member whose cost variation draws the curve.
    pub member: usize,
}

/// 10k, 250k, 1.5m: a population on an axis.
fn short_people(n: f64) -> String {
    if n >= 1e6 {
        format!("{}m", trim_decimal(n / 1e6))
    } else if n >= 1e3 {
        format!("{}k", trim_decimal(n / 1e3))
    } else {
        people(n)
    }
}

fn trim_decimal(v: f64) -> String {
    let text = format!("{v:.1}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Populations on the table's curve.
const TABLE_POPULATIONS: [f64; 10] = [
    10_000.0, 25_000.0, 50_000.0, 100_000.0, 250_000.0, 500_000.0, 1e6, 2.5e6, 5e6, 1e7,
];

#[component]
pub fn RiskByPopulationChart(props: &PopulationProps) -> Html {
    let width = use_chart_width();
    let id = "chart-pooling-population";
    let result = &props.result;
    let Some(input) = props.pool.members.get(props.member) else {
        return html! {};
    };
    let c = input.cost_variation;
    let s = props.pool.common_shock;
    let smallest = result
        .members
        .iter()
        .map(|m| m.population)
        .min()
        .unwrap_or(1) as f64;
    let x_low = 10f64.powf((smallest / 2.0).max(1.0).log10().floor().min(4.0));
    let x_high = 10f64.powf(((result.pool.people as f64) * 2.0).log10().ceil().max(6.0));
    let curve = |n: f64| normal_spread(n, c, s);
    let simulated = result
        .members
        .iter()
        .map(|m| m.standalone.spread.share_of_expected_cost)
        .chain([result.pool.figures.spread.share_of_expected_cost]);
    let y_top = simulated.fold(curve(x_low), f64::max);
    let y_ticks = ticks(0.0, y_top, 4);
    let y_high = y_ticks.last().copied().unwrap_or(y_top).max(1e-9);
    let left = y_ticks
        .iter()
        .map(|v| text_width(&percent(*v, 0), 13.0))
        .fold(0.0, f64::max)
        + 12.0;
    let (y_title, y_title_lines) = small_text_block(
        "Spread of a year's outturn, 5th to 95th percentile, as a share of expected cost",
        0.0,
        14.0,
        width,
        "start",
    );
    let plot = Plot {
        left,
        top: 16.0 * y_title_lines as f64 + 16.0,
        width: (width - left - 12.0).max(10.0),
        height: if width < 480.0 { 240.0 } else { 280.0 },
    };
    let (lx_low, lx_high) = (x_low.log10(), x_high.log10());
    let x_of = |n: f64| plot.left + (n.log10() - lx_low) / (lx_high - lx_low) * plot.width;
    let y_of = |v: f64| plot.bottom() - v.min(y_high) / y_high * plot.height;

    let grid = y_gridlines(&y_ticks, y_of, (plot.left, plot.right()), 6.0, |v| {
        percent(v, 0)
    });
    // Decades, and 3× between them where there is room.
    let decades = (lx_high - lx_low).round() as i32;
    let room_for_thirds = plot.width / decades.max(1) as f64 > 90.0;
    let mut x_ticks = Vec::new();
    for k in 0..=decades {
        let n = 10f64.powi(lx_low as i32 + k);
        x_ticks.push(n);
        if room_for_thirds && k < decades {
            x_ticks.push(3.0 * n);
        }
    }
    let x_axis: Vec<Html> = x_ticks
        .iter()
        .map(|&n| {
            x_gridline(
                x_of(n),
                (plot.top, plot.bottom()),
                false,
                short_people(n),
                None,
            )
        })
        .collect();
    let (x_title, _) = small_text_block(
        "People covered (log scale)",
        plot.left,
        plot.bottom() + 38.0,
        width - plot.left,
        "start",
    );
    let points: Vec<String> = (0..=60)
        .map(|i| {
            let n = 10f64.powf(lx_low + (lx_high - lx_low) * i as f64 / 60.0);
            format!("{},{}", coord(x_of(n)), coord(y_of(curve(n))))
        })
        .collect();
    let floor = 2.0 * 1.644_853_626_951_472_2 * s;
    let floor_line = (s > 0.0).then(|| {
        let y = y_of(floor);
        html! {
            <line x1={coord(plot.left)} x2={coord(plot.right())} y1={coord(y)} y2={coord(y)} class="chart-line-4 chart-dashed" />
        }
    });

    // Markers: each member on its own (hollow), the pool (filled); labels placed so
    // none overlaps another.
    struct Mark {
        x: f64,
        y: f64,
        label: String,
        filled: bool,
    }
    let mut marks: Vec<Mark> = result
        .members
        .iter()
        .map(|m| Mark {
            x: x_of(m.population as f64),
            y: y_of(m.standalone.spread.share_of_expected_cost),
            label: m.name.clone(),
            filled: false,
        })
        .collect();
    marks.push(Mark {
        x: x_of(result.pool.people as f64),
        y: y_of(result.pool.figures.spread.share_of_expected_cost),
        label: "All together".into(),
        filled: true,
    });
    marks.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let labels: Vec<Html> = marks
        .iter()
        .map(|m| {
            let w = text_width(&m.label, 13.0);
            let (x, anchor) = if m.x + 8.0 + w <= width {
                (m.x + 8.0, "start")
            } else {
                (m.x - 8.0, "end")
            };
            let x0 = if anchor == "start" { x } else { x - w };
            let offsets = [-8.0, 16.0, -24.0, 32.0, -40.0, 48.0, -56.0, 64.0];
            let y = offsets
                .iter()
                .map(|o| m.y + o)
                .find(|y| {
                    *y > 12.0
                        && !placed.iter().any(|(px, py, pw, _)| {
                            x0 < px + pw && *px < x0 + w && (y - py).abs() < 15.0
                        })
                })
                .unwrap_or(m.y - 8.0);
            placed.push((x0, y, w, 15.0));
            html! {
                <text class="chart-small" x={coord(x)} y={coord(y)} text-anchor={anchor}>{ &m.label }</text>
            }
        })
        .collect();
    let dots: Vec<Html> = marks
        .iter()
        .map(|m| {
            html! {
                <circle cx={coord(m.x)} cy={coord(m.y)} r="5.5"
                    class={if m.filled { "chart-dot-filled" } else { "chart-dot-hollow" }} />
            }
        })
        .collect();
    let height = plot.bottom() + 38.0 + 16.0;
    let svg = html! {
        <>
            { y_title }
            { for grid }
            { for x_axis }
            { for floor_line }
            <polyline points={points.join(" ")} class="chart-line-0" />
            { for dots }
            { for labels }
            { x_title }
        </>
    };
    let shock_words = if s > 0.0 {
        format!(", with a {} common shock", percent(s, 1))
    } else {
        String::new()
    };
    let mut legend = vec![
        LegendItem::new(
            LegendKey::Line {
                series: 0,
                dashed: false,
            },
            format!("Normal approximation (cost variation {c}{shock_words})"),
        ),
        LegendItem::new(
            LegendKey::Dot { filled: false },
            "A member on its own (simulated)",
        ),
        LegendItem::new(
            LegendKey::Dot { filled: true },
            "The pool as a whole (simulated)",
        ),
    ];
    if s > 0.0 {
        legend.push(LegendItem::new(
            LegendKey::Line {
                series: 4,
                dashed: true,
            },
            format!("Floor the common shock sets: {}", percent(floor, 1)),
        ));
    }
    let smallest_member = result.members.iter().min_by_key(|m| m.population);
    let largest_member = result.members.iter().max_by_key(|m| m.population);
    let description = match (smallest_member, largest_member) {
        (Some(a), Some(b)) => format!(
            "The bigger the population, the closer a year's cost stays to budget: the spread falls roughly as 1/√N. {} ({} people) spreads {} of its expected cost on its own; {} ({} people) {}; all {} together ({} people) {}.",
            a.name,
            people(a.population as f64),
            percent(a.standalone.spread.share_of_expected_cost, 1),
            b.name,
            people(b.population as f64),
            percent(b.standalone.spread.share_of_expected_cost, 1),
            result.members.len(),
            people(result.pool.people as f64),
            percent(result.pool.figures.spread.share_of_expected_cost, 1),
        ),
        _ => String::new(),
    };
    let drawing = format!(
        "A falling curve of the spread against population on a log scale, from {} at {} people to {} at {} people, with a hollow dot for each member at its population and simulated spread, and a filled dot for the pool as a whole.",
        percent(curve(x_low), 1),
        short_people(x_low),
        percent(curve(x_high), 1),
        short_people(x_high),
    );
    let table = html! {
        <>
            <table class="data-table">
                { caption(format!("Spread of a year's outturn, 5th to 95th percentile ({} simulated years)", people(result.trials as f64))) }
                <thead>
                    <tr>
                        <th scope="col">{ "Who" }</th>
                        <th scope="col" class="num">{ "People" }</th>
                        <th scope="col" class="num">{ "Simulated spread" }</th>
                        <th scope="col" class="num">{ "95 % interval" }</th>
                        <th scope="col" class="num">{ "Normal approximation" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for result.members.iter().map(|m| html! {
                        <tr>
                            <th scope="row">{ format!("{} on its own", m.name) }</th>
                            <td class="num">{ people(m.population as f64) }</td>
                            <td class="num">{ percent(m.standalone.spread.share_of_expected_cost, 2) }</td>
                            <td class="num">{ format!("{} to {}", percent(m.standalone.spread.low_95, 2), percent(m.standalone.spread.high_95, 2)) }</td>
                            <td class="num">{ percent(m.standalone_normal.spread, 2) }</td>
                        </tr>
                    }) }
                    <tr>
                        <th scope="row">{ "The pool as a whole" }</th>
                        <td class="num">{ people(result.pool.people as f64) }</td>
                        <td class="num">{ percent(result.pool.figures.spread.share_of_expected_cost, 2) }</td>
                        <td class="num">{ format!("{} to {}", percent(result.pool.figures.spread.low_95, 2), percent(result.pool.figures.spread.high_95, 2)) }</td>
                        <td class="num">{ percent(result.pool.normal.spread, 2) }</td>
                    </tr>
                </tbody>
            </table>
            <table class="data-table">
                { caption(format!("The curve: normal approximation for cost variation {c}{shock_words}")) }
                <thead>
                    <tr>
                        <th scope="col" class="num">{ "People" }</th>
                        <th scope="col" class="num">{ "Spread" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for TABLE_POPULATIONS.iter().map(|&n| html! {
                        <tr>
                            <td class="num">{ people(n) }</td>
                            <td class="num">{ percent(curve(n), 2) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </>
    };
    html! {
        <ChartFrame id={id} title="Risk against population size"
            description={description} drawing={drawing} width={width} height={height}
            svg={svg} table={table} legend={legend} />
    }
}
