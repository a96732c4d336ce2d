//! A pooled budget: who put in what, and what share of the pot that is.

use super::bars::{bar_rows, BarRow, Segment};
use super::frame::{caption, use_chart_width, ChartFrame, LegendItem, LegendKey, ResultsProps};
use crate::format::{share, short_money};
use onebudget_engine::budget::Sector;
use yew::prelude::*;

/// Each sector keeps one colour and pattern; the sector is also written in each label.
fn sector_series(sector: Sector) -> usize {
    match sector {
        Sector::Nhs => 0,
        Sector::Council => 2,
        Sector::Other => 3,
    }
}

fn sector_name(sector: Sector) -> &'static str {
    match sector {
        Sector::Nhs => "NHS",
        Sector::Council => "Council",
        Sector::Other => "Other",
    }
}

#[component]
pub fn PooledBudgetChart(props: &ResultsProps) -> Html {
    let width = use_chart_width();
    let id = "chart-pooled-budget";
    let Some(pool) = &props.results.pooled_budget else {
        return html! {};
    };
    let max = pool
        .contributions
        .iter()
        .map(|c| c.amount.to_pounds_f64())
        .fold(0.0, f64::max);
    let rows: Vec<BarRow> = pool
        .contributions
        .iter()
        .map(|c| BarRow {
            label: format!("{} ({})", c.organisation, c.sector.label()),
            value: format!("{} · {}", short_money(c.amount), share(c.share_of_pot)),
            segments: vec![Segment {
                value: c.amount.to_pounds_f64(),
                series: sector_series(c.sector),
            }],
            track: None,
        })
        .collect();
    let (marks, height) = bar_rows(id, &rows, max, width);
    let sectors = pool
        .by_sector
        .iter()
        .map(|s| {
            format!(
                "{} {} ({})",
                s.sector.label(),
                s.amount.display_pounds(),
                share(s.share_of_pot)
            )
        })
        .collect::<Vec<_>>();
    let description = format!(
        "The pooled budget, {}, holds {} from {} organisation{}{}.",
        pool.name,
        pool.pot.display_pounds(),
        pool.contributions.len(),
        if pool.contributions.len() == 1 {
            ""
        } else {
            "s"
        },
        if sectors.is_empty() {
            String::new()
        } else {
            format!(": {}", sectors.join(", "))
        }
    );
    let legend: Vec<LegendItem> = pool
        .by_sector
        .iter()
        .map(|s| {
            LegendItem::new(
                LegendKey::Series(sector_series(s.sector)),
                sector_name(s.sector),
            )
        })
        .collect();
    let drawing = format!(
        "One bar for each of the {} organisations putting money into the pot, as long as its contribution, labelled with the amount and its share of the pot.",
        pool.contributions.len()
    );
    let table = html! {
        <table class="data-table">
            { caption(format!("Contributions to {}", pool.name)) }
            <thead>
                <tr>
                    <th scope="col">{ "Organisation" }</th>
                    <th scope="col">{ "Sector" }</th>
                    <th scope="col" class="num">{ "Amount" }</th>
                    <th scope="col" class="num">{ "Share of the pot" }</th>
                </tr>
            </thead>
            <tbody>
                { for pool.contributions.iter().map(|c| html! {
                    <tr>
                        <th scope="row">{ &c.organisation }</th>
                        <td>{ sector_name(c.sector) }</td>
                        <td class="num">{ c.amount.display_pounds() }</td>
                        <td class="num">{ share(c.share_of_pot) }</td>
                    </tr>
                }) }
            </tbody>
            <tfoot>
                <tr>
                    <th scope="row">{ "The pot" }</th>
                    <td></td>
                    <td class="num">{ pool.pot.display_pounds() }</td>
                    <td class="num">{ share(1.0) }</td>
                </tr>
            </tfoot>
        </table>
    };
    html! {
        <ChartFrame id={id} title="Who puts money into the pooled budget"
            description={description} drawing={drawing} width={width} height={height}
            svg={marks} table={table} legend={legend} />
    }
}
