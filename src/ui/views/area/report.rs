//! One area's figures for one year, from the engine's `report::area_report`: who it is,
//! its registered population, need for care in plain words (core services and each part),
//! where it stands among all ICBs or districts (a chart that is also a table), OneBudget's
//! fair-share estimate from a national total the visitor may change, and its trend over the
//! years whose data is here (the rest fetched when asked for). Every figure has its working.

use crate::area_page::{
    component_hint, index_text, kind_plural, need_words, need_working, parse_national_total,
    rank_sentence, trend_sentence,
};
use crate::ui::area_data::{cached, request, YearData};
use crate::ui::charts::{use_measured_drawing_width, AreaRankChart, ChartWidth, RankedArea};
use crate::ui::components::WorkingDetails;
use onebudget_engine::areas::report::{area_report, signed_percent, AreaReport};
use onebudget_engine::areas::{need, rank, Area, AreaKind, Component, DataYear, Dataset};
use onebudget_engine::money::Pence;
use onebudget_engine::working::people;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct AreaReportProps {
    pub data: Rc<YearData>,
    pub area: Area,
    /// The national total the fair share is of.
    pub total: Pence,
    pub ontotal: Callback<Pence>,
    /// Hears the code of a linked area (a practice's ICB or district).
    pub onopen: Callback<String>,
    /// In a council's page: no links within the app, no changing the total.
    pub embedded: bool,
}

impl PartialEq for AreaReportProps {
    fn eq(&self, o: &AreaReportProps) -> bool {
        Rc::ptr_eq(&self.data, &o.data)
            && self.area == o.area
            && self.total == o.total
            && self.ontotal == o.ontotal
            && self.onopen == o.onopen
            && self.embedded == o.embedded
    }
}

/// Every area of the kind, highest need first, for the rank chart.
fn ranked(data: &Dataset, area: Area) -> Option<(Vec<RankedArea>, usize)> {
    let order = rank::ranking(data, area.kind(), Component::Core);
    let england = data.england();
    let marked = order.iter().position(|&a| a == area)?;
    let rows = order
        .iter()
        .map(|&a| {
            let totals = data.totals(a);
            let index = need::index(&totals, &england, Component::Core).unwrap_or(0.0);
            RankedArea {
                code: data.code(a).to_string(),
                name: data.name(a).to_string(),
                index,
                people: people(totals.people()),
                percent: signed_percent(index),
            }
        })
        .collect();
    Some((rows, marked))
}

/// A link to another area (or its name alone in an embed).
fn area_link(
    code: &str,
    name: &str,
    year: DataYear,
    onopen: &Callback<String>,
    embedded: bool,
) -> Html {
    if embedded {
        return html! { <>{ name }</> };
    }
    let onclick = {
        let onopen = onopen.clone();
        let code = code.to_string();
        Callback::from(move |e: MouseEvent| {
            if e.ctrl_key() || e.meta_key() || e.shift_key() || e.button() != 0 {
                return;
            }
            e.prevent_default();
            onopen.emit(code.clone());
        })
    };
    html! {
        <a href={crate::area_page::address(code, year)} {onclick} data-area-link={code.to_string()}>{ name }</a>
    }
}

#[component]
pub fn AreaReportView(props: &AreaReportProps) -> Html {
    let year = props.data.data.year();
    // Years whose data is here (for the trend); bumped when more arrive.
    let loaded_years = use_state(|| 0u32);
    let fetching_trend = use_state(|| None::<String>);
    let report = {
        let data = props.data.clone();
        use_memo(
            (year, props.area, props.total, *loaded_years),
            move |&(_, area, total, _)| {
                let others: Vec<Rc<YearData>> =
                    DataYear::ALL.iter().filter_map(|&y| cached(y)).collect();
                let years: Vec<&Dataset> = others.iter().map(|y| &y.data).collect();
                area_report(&data.data, area, total, Component::Core, &years).ok()
            },
        )
    };
    let container = use_node_ref();
    let width = use_measured_drawing_width(container.clone());
    let ranking = use_memo((year, props.area), {
        let data = props.data.clone();
        move |&(_, area)| ranked(&data.data, area).map(|(rows, marked)| (Rc::new(rows), marked))
    });
    let Some(r) = (*report).clone() else {
        return html! {
            <p class="notice notice-error" role="alert" ref={container}>{ "These figures could not be worked out with that national total. Try a smaller one." }</p>
        };
    };

    let have_years = DataYear::ALL
        .iter()
        .filter(|&&y| cached(y).is_some())
        .count();
    let load_trend = {
        let loaded_years = loaded_years.clone();
        let fetching_trend = fetching_trend.clone();
        Callback::from(move |_: MouseEvent| {
            fetching_trend.set(Some("Downloading the other years' figures…".into()));
            for y in DataYear::ALL {
                let loaded_years = loaded_years.clone();
                let fetching_trend = fetching_trend.clone();
                request(y, move |result| {
                    match result {
                        Ok(_) => {
                            let have = DataYear::ALL
                                .iter()
                                .filter(|&&y| cached(y).is_some())
                                .count();
                            if have == DataYear::ALL.len() {
                                fetching_trend.set(None);
                            }
                        }
                        Err(message) => fetching_trend.set(Some(message)),
                    }
                    loaded_years.set(*loaded_years + 1);
                });
            }
        })
    };

    let kind = r.kind;
    let core = r.need.get(Component::Core);
    html! {
        <article class="area-report" aria-labelledby="area-heading" data-testid="area-report" ref={container}>
            <h2 id="area-heading" tabindex="-1" data-testid="area-name">{ &r.name }</h2>
            <p class="area-kind">
                { format!("{} · code {}", capitalise(r.kind_name), r.code) }
                if let Some(pc) = &r.postcode { { format!(" · {pc}") } }
                { format!(" · {}", year.label()) }
            </p>
            if kind == AreaKind::Practice {
                <p data-testid="area-parents">
                    { "Part of " }
                    { for r.icbs.iter().map(|o| area_link(&o.code, &o.name, year, &props.onopen, props.embedded)) }
                    if let Some(lad) = &r.lad {
                        { " and registered in " }
                        { area_link(&lad.code, &lad.name, year, &props.onopen, props.embedded) }
                    }
                    { "." }
                </p>
            }
            if kind == AreaKind::Lad && !r.icbs.is_empty() {
                <p data-testid="area-parents">
                    { if r.icbs.len() == 1 { "Its GP practices are in " } else { "Its GP practices are in these ICBs: " } }
                    { for r.icbs.iter().enumerate().map(|(i, o)| html! {
                        <>
                            if i > 0 { { ", " } }
                            { area_link(&o.code, &o.name, year, &props.onopen, props.embedded) }
                        </>
                    }) }
                    { "." }
                </p>
            }
            { for r.notes.iter().map(|n| html! { <p class="notice notice-warning">{ n }</p> }) }

            <ul class="cards area-cards">
                <li class="card">
                    <p class="card-label">{ "People registered with its GP practices" }</p>
                    <p class="card-value" data-testid="area-population">{ people(r.registered_population) }</p>
                    <p class="card-sub">{ format!("{} GP practice{}", people(f64::from(r.practices)), if r.practices == 1 { "" } else { "s" }) }</p>
                </li>
                <li class="card">
                    <p class="card-label">{ "Need for NHS care per person" }</p>
                    <p class="card-value" data-testid="area-need">{ core.map(need_words).unwrap_or_else(|| "no figure".into()) }</p>
                    <p class="card-sub">{ format!("need index {}", index_text(core)) }</p>
                    <WorkingDetails working={need_working(&r)} />
                </li>
                <li class="card">
                    <p class="card-label">{ "Fair share per person (OneBudget's estimate)" }</p>
                    <p class="card-value" data-testid="area-fair-share">
                        { r.fair_share.per_person.map(|p| p.display_pounds()).unwrap_or_else(|| "no figure".into()) }
                    </p>
                    <p class="card-sub">{ format!("{} a year in total", r.fair_share.total.display_pounds()) }</p>
                </li>
            </ul>

            <section aria-labelledby="need-heading" class="group">
                <h2 id="need-heading">{ "How much NHS care people here need" }</h2>
                <p class="lede" data-testid="area-sentence">{ &r.sentence }</p>
                { need_table(&r) }
            </section>

            if let Some(rank) = r.rank {
                <section aria-labelledby="rank-heading" class="group">
                    <h2 id="rank-heading">{ "How it compares" }</h2>
                    <p data-testid="area-rank">{ rank_sentence(rank, kind) }</p>
                    if let (Some(w), Some((rows, marked))) = (width, (*ranking).clone()) {
                        <ContextProvider<ChartWidth> context={ChartWidth(w)}>
                            <AreaRankChart areas={rows} marked={marked} plural={kind_plural(kind)} year={year.label()} />
                        </ContextProvider<ChartWidth>>
                    }
                </section>
            }

            { fair_share_section(&r, props) }

            <section aria-labelledby="trend-heading" class="group" data-testid="area-trend">
                <h2 id="trend-heading">{ "Where it is heading" }</h2>
                { trend_section(&r, have_years) }
                if have_years < DataYear::ALL.len() {
                    <p>
                        { format!("Shown: the {} year{} downloaded so far. ", have_years, if have_years == 1 { "" } else { "s" }) }
                    </p>
                    if fetching_trend.is_none() {
                        <button type="button" class="button-secondary" onclick={load_trend} data-testid="load-trend">
                            { "Show every year, 2023/24 to 2028/29 (about 700 KB more)" }
                        </button>
                    }
                }
                if let Some(message) = &*fetching_trend {
                    <p role="status">{ message }</p>
                }
            </section>
        </article>
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Need for each part of care, against England.
fn need_table(r: &AreaReport) -> Html {
    html! {
        <div class="table-scroll" role="region" tabindex="0" aria-label="Need by kind of care: table">
            <table class="data-table" data-testid="area-need-table">
                <caption><span class="data-table-caption">
                    { format!("Need per person by kind of care, against the average person in England (1.000), {}", r.year.label()) }
                </span></caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Kind of care" }</th>
                        <th scope="col" class="num">{ "Index (England 1.000)" }</th>
                        <th scope="col">{ "In words" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for Component::ALL.iter().map(|&c| {
                        let index = r.need.get(c);
                        html! {
                            <tr class={(Some(c) == r.biggest_reason).then_some("row-marked")}>
                                <th scope="row">
                                    { capitalise(c.name()) }
                                    <span class="hint">{ format!(" — {}", component_hint(c)) }</span>
                                    if Some(c) == r.biggest_reason { <strong>{ " (the biggest reason)" }</strong> }
                                </th>
                                <td class="num">{ index.map(|i| format!("{i:.3}")).unwrap_or_else(|| "–".into()) }</td>
                                <td>{ index.map(need_words).unwrap_or_else(|| "no figure".into()) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// OneBudget's fair-share estimate, with the national total to change.
fn fair_share_section(r: &AreaReport, props: &AreaReportProps) -> Html {
    let fs = &r.fair_share;
    let england = fs.england_per_person;
    let compared = match (fs.per_person, england) {
        (Some(p), Some(e)) if p > e => format!(" That is more than England's average of {} per person, because people here are expected to need more care.", e.display_pounds()),
        (Some(p), Some(e)) if p < e => format!(" That is less than England's average of {} per person, because people here are expected to need less care.", e.display_pounds()),
        (Some(_), Some(e)) => format!(" That is England's average of {} per person.", e.display_pounds()),
        _ => String::new(),
    };
    html! {
        <section aria-labelledby="fair-heading" class="group" data-testid="area-fair">
            <h2 id="fair-heading">{ "Is it fair? OneBudget's fair-share estimate" }</h2>
            <p class="tag">{ "OneBudget's calculation, not the actual allocation" }</p>
            <p class="lede">
                { format!("If the NHS shared {} between every area by need alone, this area's fair share would be ", crate::area_page::total_text(fs.national_total)) }
                <strong class="nowrap">{ fs.per_person.map(|p| p.display_pounds()).unwrap_or_else(|| "nothing".into()) }</strong>
                { " per person, " }
                <strong class="nowrap">{ fs.total.display_pounds() }</strong>
                { " in total." }
                { compared }
            </p>
            <p>{ r.fair_share_caveat }</p>
            if !props.embedded {
                <TotalField total={fs.national_total} ontotal={props.ontotal.clone()} />
            }
            <WorkingDetails working={fs.working.clone()} />
        </section>
    }
}

/// The trend of core need, as published and for the same practices, and what the April
/// 2026 mergers changed.
fn trend_section(r: &AreaReport, have_years: usize) -> Html {
    let Some(t) = &r.trend else {
        return html! {};
    };
    let core = Component::Core.position();
    let sentence = trend_sentence(t);
    let cell = |i: Option<f64>| {
        i.map(|i| format!("{i:.3} ({})", signed_percent(i)))
            .unwrap_or_else(|| "–".into())
    };
    html! {
        <>
            if let Some(s) = sentence {
                <p class="lede" data-testid="trend-sentence">{ s }</p>
            } else if have_years < 2 {
                <p>{ "A trend needs more than one year's figures." }</p>
            }
            if !t.changes.is_empty() {
                <div class="area-changes" data-testid="area-changes">
                    <h3>{ "What changed" }</h3>
                    <ul>{ for t.changes.iter().map(|c| html! { <li>{ c }</li> }) }</ul>
                </div>
            }
            <div class="table-scroll" role="region" tabindex="0" aria-label="Trend: table">
                <table class="data-table" data-testid="trend-table">
                    <caption><span class="data-table-caption">
                        { format!("Need for core services each year, against that year's England. “Same practices” follows the GP practices this area had in {}, so years compare across the April 2026 mergers.", t.chosen_year.label()) }
                    </span></caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Year" }</th>
                            <th scope="col" class="num">{ "This area, as published" }</th>
                            <th scope="col" class="num">{ "Same practices" }</th>
                            <th scope="col" class="num">{ "People (same practices)" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for t.same_practices.iter().map(|p| {
                            let published = t.as_published.iter().find(|a| a.year == p.year);
                            html! {
                                <tr>
                                    <th scope="row">{ p.year.label() }</th>
                                    <td class="num">{ published.and_then(|a| a.need[core]).map_or("not an area that year".into(), |i| cell(Some(i))) }</td>
                                    <td class="num">{ cell(p.need[core]) }</td>
                                    <td class="num">{ people(p.people) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct TotalFieldProps {
    total: Pence,
    ontotal: Callback<Pence>,
}

/// The national total to share: read when the visitor leaves the field or presses Enter;
/// what cannot be read is said beside it, and the figures keep the last total.
#[component]
fn TotalField(props: &TotalFieldProps) -> Html {
    let problem = use_state(|| None::<String>);
    let onchange = {
        let ontotal = props.ontotal.clone();
        let problem = problem.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                match parse_national_total(&input.value()) {
                    Some(total) => {
                        problem.set(None);
                        ontotal.emit(total);
                    }
                    None => problem.set(Some(format!(
                        "“{}” is not an amount OneBudget can read. Type pounds, such as 110bn, £107,600m or 950m.",
                        input.value().trim()
                    ))),
                }
            }
        })
    };
    let described = if problem.is_some() {
        "area-total-hint area-total-error"
    } else {
        "area-total-hint"
    };
    html! {
        <div class={classes!("field", problem.is_some().then_some("field-error"))}>
            <label for="area-total">{ "National total to share" }</label>
            <p class="hint" id="area-total-hint">
                { "Core services given to ICBs in 2024/25 were £107.6bn (House of Commons Library). Type another total, such as “110bn”." }
            </p>
            if let Some(p) = &*problem {
                <p class="error-message" id="area-total-error" data-testid="area-total-error">{ p }</p>
            }
            <input id="area-total" type="text" inputmode="decimal" aria-describedby={described}
                aria-invalid={problem.is_some().then_some("true")}
                value={crate::area_page::total_text(props.total)} {onchange} data-testid="area-total" />
        </div>
    }
}
