//! Where one area stands among all areas of its kind: a column for every ICB (or every
//! district), highest need first, the chosen one marked in a pattern of its own and named,
//! and a line at England's average (1.0). The table lists every area with its rank.

use super::frame::{caption, series_fill, use_chart_width, ChartFrame, LegendItem, LegendKey};
use super::scale::{coord, text_width};
use std::rc::Rc;
use yew::prelude::*;

/// One area of the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedArea {
    pub code: String,
    pub name: String,
    /// Need index against England for core services.
    pub index: f64,
    /// Registered population, as shown ("1,115,206").
    pub people: String,
    /// "+14 %".
    pub percent: String,
}

#[derive(Properties, PartialEq)]
pub struct AreaRankProps {
    /// Highest need first.
    pub areas: Rc<Vec<RankedArea>>,
    /// The chosen area's position in `areas`.
    pub marked: usize,
    /// "ICBs", "local authority districts".
    pub plural: AttrValue,
    /// "2025/26".
    pub year: AttrValue,
}

const HEIGHT: f64 = 180.0;
const TOP: f64 = 44.0;
const FONT: f64 = 15.0;

#[component]
pub fn AreaRankChart(props: &AreaRankProps) -> Html {
    let width = use_chart_width();
    let id = "chart-area-rank";
    let areas = &props.areas;
    let Some(chosen) = areas.get(props.marked) else {
        return html! {};
    };
    let n = areas.len().max(1) as f64;
    // Columns rise above England's average (1.0) or fall below it: the differences are
    // what a reader compares, and a scale from 0 would flatten them.
    let hi = areas.iter().map(|a| a.index).fold(1.0_f64, f64::max);
    let lo = areas.iter().map(|a| a.index).fold(1.0_f64, f64::min);
    let pad = ((hi - lo) * 0.05).max(0.01);
    let (hi, lo) = (hi + pad, lo - pad);
    let bottom = TOP + HEIGHT;
    let y = |index: f64| TOP + ((hi - index) / (hi - lo)).clamp(0.0, 1.0) * HEIGHT;
    let average_y = y(1.0);
    let step = (width - 2.0) / n;
    let column = step.max(1.0) - if step > 4.0 { 1.0 } else { 0.0 };
    let columns: Vec<Html> = areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let x = 1.0 + step * i as f64;
            let end = y(a.index);
            let top = end.min(average_y);
            let marked = i == props.marked;
            html! {
                <rect x={coord(x)} y={coord(top)} width={coord(if marked { column.max(4.0) } else { column })}
                    height={coord((end - average_y).abs().max(1.0))}
                    fill={marked.then(|| series_fill(id, 1))}
                    class={if marked { "chart-mark chart-marked" } else { "chart-track" }} />
            }
        })
        .collect();
    // The chosen area's name and figure above its column, kept inside the drawing.
    let label = format!("{}: {:.3}", chosen.name, chosen.index);
    let label_width = text_width(&label, FONT);
    let centre = 1.0 + step * (props.marked as f64 + 0.5);
    let (label_x, anchor) = if label_width >= width || centre - label_width / 2.0 < 0.0 {
        (0.0, "start")
    } else if centre + label_width / 2.0 > width {
        (width, "end")
    } else {
        (centre, "middle")
    };
    let description = format!(
        "{} is {} of {} {} by need for core services in {} (1st is the highest): its need index is {:.3} ({}), against England's average of 1.000.",
        chosen.name,
        crate::area_page::ordinal(props.marked as u32 + 1),
        areas.len(),
        props.plural,
        props.year,
        chosen.index,
        chosen.percent
    );
    let drawing = format!(
        "A column for each of the {} {}, highest need on the left: each rises above the line for England's average (1.0) where need is higher and falls below it where lower; {} is marked.",
        areas.len(),
        props.plural,
        chosen.name
    );
    let table = html! {
        <table class="data-table">
            { caption(format!("Need for core services, every one of the {} {}, {}", areas.len(), props.plural, props.year)) }
            <thead>
                <tr>
                    <th scope="col">{ "Rank" }</th>
                    <th scope="col">{ "Area" }</th>
                    <th scope="col" class="num">{ "Index (England 1.000)" }</th>
                    <th scope="col" class="num">{ "Against England" }</th>
                    <th scope="col" class="num">{ "Registered people" }</th>
                </tr>
            </thead>
            <tbody>
                { for areas.iter().enumerate().map(|(i, a)| {
                    let marked = i == props.marked;
                    html! {
                        <tr class={marked.then_some("row-marked")} aria-current={marked.then_some("true")}>
                            <td class="num">{ i + 1 }</td>
                            <th scope="row">
                                { &a.name }{ " " }<span class="code">{ &a.code }</span>
                                if marked { <strong>{ " (this area)" }</strong> }
                            </th>
                            <td class="num">{ format!("{:.3}", a.index) }</td>
                            <td class="num">{ &a.percent }</td>
                            <td class="num">{ &a.people }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    };
    let svg = html! {
        <>
            <text class="chart-value" x={coord(label_x)} y={coord(18.0)} text-anchor={anchor}>{ label }</text>
            <line x1={coord(centre)} y1={coord(24.0)} x2={coord(centre)} y2={coord(y(chosen.index.max(1.0)) - 2.0)} class="chart-axis-line" />
            { for columns }
            <line x1="0" y1={coord(average_y)} x2={coord(width)} y2={coord(average_y)} class="chart-line-0 chart-dashed" />
            <text class="chart-small" x={coord(width)} y={coord(average_y - 4.0)} text-anchor="end">{ "England's average, 1.0" }</text>
            <text class="chart-small" x="0" y={coord(bottom + 16.0)}>{ "Highest need" }</text>
            <text class="chart-small" x={coord(width)} y={coord(bottom + 16.0)} text-anchor="end">{ "Lowest need" }</text>
        </>
    };
    html! {
        <ChartFrame id={id} title={format!("Need for core services, all {} {}", areas.len(), props.plural)}
            description={description} drawing={drawing} width={width} height={bottom + 22.0}
            legend={vec![
                LegendItem::new(LegendKey::Series(1), chosen.name.clone()),
                LegendItem::new(LegendKey::Outline, format!("The other {}", props.plural)),
                LegendItem::new(LegendKey::Line { series: 0, dashed: true }, "England's average"),
            ]}
            svg={svg} table={table} />
    }
}
