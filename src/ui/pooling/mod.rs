//! The public view's risk pooling section: how much safer each member of the pool is in
//! the pool than on its own, in plain words, with the figures' 95 % intervals, the
//! normal approximation beside them, and two charts.
//!
//! The figures start as the scenario's quick first estimate (`results.pooling`, the
//! first 10,000 trials, computed with every change); "Run" simulates every trial the
//! scenario asks for in the background (see `runner`), refining them chunk by chunk.
//! No money is calculated here: every amount is the engine's.

mod runner;

use crate::pool_run::{Estimate, DISTRIBUTION_BINS};
use crate::ui::charts::{
    use_drawing_width, ChartWidth, OverspendDistributionChart, RiskByPopulationChart,
};
use crate::ui::components::WorkingDetails;
use crate::ui::state::use_store;
use onebudget_engine::pooling::{
    MemberRisk, Pool, PoolingResult, Probability, RiskFigures, Simulation, FIRST_ESTIMATE_TRIALS,
};
use onebudget_engine::working::{people, percent};
use runner::{use_pool_run, Host, Status};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// A finished run and the pool it simulated, with how it ended.
type FinishedRun = (Pool, Rc<Estimate>, Status, Option<Host>);

thread_local! {
    /// The last run that finished. Rationale: the section unmounts when the person opens the
    /// editor (which ends any run), and a finished run of an unchanged pool should still be
    /// there when they come back, not fall back to the first estimate.
    static FINISHED: RefCell<Option<FinishedRun>> = const { RefCell::new(None) };
}

/// "7.1 % (95 % interval 6.6 % to 7.6 %)".
fn chance_words(p: &Probability) -> String {
    format!(
        "{} (95\u{a0}% interval {} to {})",
        percent(p.value, 1),
        percent((p.value - p.margin_95).max(0.0), 1),
        percent((p.value + p.margin_95).min(1.0), 1)
    )
}

fn chance_cell(p: &Probability) -> String {
    format!("{} ± {}", percent(p.value, 2), percent(p.margin_95, 2))
}

/// "£12.3m (3.4 % of its budget)": a bad year's overspend.
fn bad_year(f: &RiskFigures) -> String {
    format!(
        "{} ({} of its budget)",
        f.percentile_95.amount.display_pounds(),
        percent(f.percentile_95.share_of_budget, 1)
    )
}

/// The plain-language sentences for one member.
fn member_sentences(m: &MemberRisk, threshold: f64) -> Html {
    let (own, pooled) = (&m.standalone, &m.pooled);
    html! {
        <ul class="summary-points pooling-points" data-testid="pooling-sentences">
            <li data-testid="pooling-bad-year">
                { format!("In 1 year in 20, {} would overspend by more than {} on its own; in the pool, by more than {}.",
                    m.name, bad_year(own), bad_year(pooled)) }
            </li>
            <li data-testid="pooling-chance">
                { format!("The chance that {} overspends its {} budget by more than {} in a year: {} on its own; {} in the pool.",
                    m.name, m.budget.display_pounds(), percent(threshold, 1),
                    chance_words(&own.probability_over_threshold), chance_words(&pooled.probability_over_threshold)) }
                if let Some(w) = pooled.workings.first() {
                    <WorkingDetails working={w.clone()} />
                }
            </li>
            <li>
                { format!("In the worst years (1 in 20) its overspend would average {} on its own, and {} in the pool.",
                    own.expected_shortfall.amount.display_pounds(), pooled.expected_shortfall.amount.display_pounds()) }
            </li>
            <li data-testid="pooling-normal">
                { format!("Cross-check: a normal approximation from the exact mean and variance gives a {} chance on its own and {} in the pool.",
                    percent(m.standalone_normal.probability_over_threshold, 1), percent(m.pooled_normal.probability_over_threshold, 1)) }
                <WorkingDetails working={m.pooled_normal.working.clone()} />
            </li>
        </ul>
    }
}

/// Every member's figures, simulated and by the normal approximation, side by side.
fn figures_table(result: &PoolingResult) -> Html {
    let threshold = percent(result.overspend_threshold, 1);
    html! {
        <div class="table-scroll" role="region" tabindex="0" aria-label="Every member's risk, on its own and in the pool">
            <table class="data-table" data-testid="pooling-table">
                <caption>
                    <span class="data-table-caption">
                        { format!("Chance of overspending by more than {threshold} in a year, and the overspend in 1 year in 20 ({} simulated years; ± is the 95 % margin)", people(result.trials as f64)) }
                    </span>
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Member" }</th>
                        <th scope="col" class="num">{ "People" }</th>
                        <th scope="col" class="num">{ "On its own: chance" }</th>
                        <th scope="col" class="num">{ "Normal approx." }</th>
                        <th scope="col" class="num">{ "In the pool: chance" }</th>
                        <th scope="col" class="num">{ "Normal approx." }</th>
                        <th scope="col" class="num">{ "1 in 20 on its own" }</th>
                        <th scope="col" class="num">{ "1 in 20 in the pool" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for result.members.iter().map(|m| html! {
                        <tr>
                            <th scope="row">{ &m.name }</th>
                            <td class="num">{ people(m.population as f64) }</td>
                            <td class="num">{ chance_cell(&m.standalone.probability_over_threshold) }</td>
                            <td class="num">{ percent(m.standalone_normal.probability_over_threshold, 2) }</td>
                            <td class="num">{ chance_cell(&m.pooled.probability_over_threshold) }</td>
                            <td class="num">{ percent(m.pooled_normal.probability_over_threshold, 2) }</td>
                            <td class="num">{ m.standalone.percentile_95.amount.display_pounds() }</td>
                            <td class="num">{ m.pooled.percentile_95.amount.display_pounds() }</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{ "The pool as a whole" }</th>
                        <td class="num">{ people(result.pool.people as f64) }</td>
                        <td class="num"></td>
                        <td class="num"></td>
                        <td class="num">{ chance_cell(&result.pool.figures.probability_over_threshold) }</td>
                        <td class="num">{ percent(result.pool.normal.probability_over_threshold, 2) }</td>
                        <td class="num"></td>
                        <td class="num">{ result.pool.figures.percentile_95.amount.display_pounds() }</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

/// What the progress line says.
fn status_words(status: &Status, host: Option<Host>) -> String {
    let place = match host {
        Some(Host::Page) => " on this page",
        _ => "",
    };
    match status {
        Status::Idle => String::new(),
        Status::Starting { total } => format!("Starting {} trials…", people(*total as f64)),
        Status::Running { done, total } => format!(
            "{} of {} trials done{place}",
            people(*done as f64),
            people(*total as f64)
        ),
        Status::Cancelling { done, total } => format!(
            "Cancelling after {} of {} trials…",
            people(*done as f64),
            people(*total as f64)
        ),
        Status::Done { trials, elapsed_ms } => format!(
            "Done: {} trials in {:.2} seconds{place}.",
            people(*trials as f64),
            elapsed_ms / 1000.0
        ),
        Status::Cancelled { done, total } => format!(
            "Cancelled after {} of {} trials.",
            people(*done as f64),
            people(*total as f64)
        ),
        Status::Failed(message) => format!("The simulation stopped: {message}."),
    }
}

fn host_words(host: Option<Host>, active: bool) -> String {
    match (host, active) {
        (Some(Host::Workers(1)), true) => {
            "Running in a background worker, so the page stays responsive.".into()
        }
        (Some(Host::Workers(n)), true) => format!(
            "Running in {n} background workers (one a processor core), so the page stays responsive."
        ),
        (Some(Host::Workers(1)), false) => "Ran in a background worker.".into(),
        (Some(Host::Workers(n)), false) => {
            format!("Ran in {n} background workers (one a processor core).")
        }
        (Some(Host::Page), true) => "Running on this page a chunk at a time, because this browser could not start a background worker here (for example, a page opened from a file).".into(),
        (Some(Host::Page), false) => "Ran on this page, because this browser could not start a background worker here (for example, a page opened from a file).".into(),
        (None, _) => String::new(),
    }
}

#[derive(Properties, PartialEq)]
struct FiguresProps {
    pool: Rc<Pool>,
    result: Rc<PoolingResult>,
    distributions: Rc<Vec<onebudget_engine::pooling::OverspendDistribution>>,
}

/// The figures, the member chooser and the charts, for one estimate.
#[component]
fn PoolingFigures(props: &FiguresProps) -> Html {
    // The smallest member first: pooling matters most to it.
    let smallest = props
        .result
        .members
        .iter()
        .enumerate()
        .min_by_key(|(_, m)| m.population)
        .map_or(0, |(i, _)| i);
    let selected = use_state(move || smallest);
    let container = use_node_ref();
    let width = use_drawing_width(container.clone());
    let result = &props.result;
    let index = (*selected).min(result.members.len().saturating_sub(1));
    let Some(member) = result.members.get(index) else {
        return html! {};
    };
    let onchange = {
        let selected = selected.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = select.value().parse::<usize>() {
                selected.set(i);
            }
        })
    };
    let distribution = props.distributions.get(index).cloned().map(Rc::new);
    html! {
        <>
            <div class="field pooling-member">
                <label for="pooling-member">{ "Show figures for" }</label>
                <select id="pooling-member" {onchange}>
                    { for result.members.iter().enumerate().map(|(i, m)| html! {
                        <option value={i.to_string()} selected={i == index}>{ &m.name }</option>
                    }) }
                </select>
            </div>
            { member_sentences(member, result.overspend_threshold) }
            { figures_table(result) }
            <ContextProvider<ChartWidth> context={ChartWidth(width)}>
                <div class="charts" ref={container}>
                    if let Some(d) = distribution {
                        <OverspendDistributionChart distribution={d} result={result.clone()} member={index} />
                    }
                    <RiskByPopulationChart pool={props.pool.clone()} result={result.clone()} member={index} />
                </div>
            </ContextProvider<ChartWidth>>
        </>
    }
}

/// The risk pooling section, shown when the scenario has a pool.
#[component]
pub fn RiskPooling() -> Html {
    let store = use_store();
    let scenario = store.draft.scenario().clone();
    let results = store.draft.results().clone();
    let pool = scenario.pool.clone();
    let run = use_pool_run();
    // The first estimate's distributions (the same first trials `results.pooling` used):
    // the scenario's results carry figures, not histograms.
    let first_distributions = use_memo(pool.clone(), |pool| {
        pool.as_ref()
            .and_then(|p| Simulation::new(p).ok())
            .map(|mut sim| {
                sim.run_chunk(FIRST_ESTIMATE_TRIALS);
                sim.distributions(DISTRIBUTION_BINS)
            })
            .unwrap_or_default()
    });
    // A changed pool ends a run of the old one.
    {
        let cancel = run.cancel.clone();
        let active = run.state.status.is_active();
        let running_pool = run.state.pool.clone();
        use_effect_with(pool.clone(), move |pool| {
            if active && running_pool.as_ref() != pool.as_ref() {
                cancel.emit(());
            }
        });
    }
    let (Some(pool), Some(first)) = (pool, results.pooling.clone()) else {
        return html! {};
    };
    let state = &run.state;
    let this_run = state.pool.as_ref() == Some(&pool);
    if this_run && matches!(state.status, Status::Done { .. }) {
        if let Some(estimate) = &state.estimate {
            let finished = (
                pool.clone(),
                estimate.clone(),
                state.status.clone(),
                state.host,
            );
            FINISHED.with(|f| *f.borrow_mut() = Some(finished));
        }
    }
    // Nothing run since this section appeared: show a finished run of this pool, if any.
    let earlier = (!this_run)
        .then(|| FINISHED.with(|f| f.borrow().clone()))
        .flatten()
        .filter(|(p, ..)| *p == pool);
    let refined = match &earlier {
        Some((_, estimate, ..)) => Some(estimate),
        None => state.estimate.as_ref().filter(|_| this_run),
    };
    let (result, distributions) = match refined {
        Some(e) => (Rc::new(e.result.clone()), Rc::new(e.distributions.clone())),
        None => (Rc::new(first), first_distributions.clone()),
    };
    let (status, host) = match &earlier {
        Some((_, _, status, host)) => (status.clone(), *host),
        None if this_run => (state.status.clone(), state.host),
        None => (Status::Idle, state.host),
    };
    let active = status.is_active();
    let on_run = {
        let start = run.start.clone();
        let pool = pool.clone();
        Callback::from(move |_: MouseEvent| start.emit(pool.clone()))
    };
    let on_cancel = {
        let cancel = run.cancel.clone();
        Callback::from(move |_: MouseEvent| cancel.emit(()))
    };
    let (done, total) = match &status {
        Status::Starting { total } => (0, *total),
        Status::Running { done, total }
        | Status::Cancelling { done, total }
        | Status::Cancelled { done, total } => (*done, *total),
        Status::Done { trials, .. } => (*trials, *trials),
        Status::Idle | Status::Failed(_) => (0, pool.trials),
    };
    let estimate_words = if result.trials < result.trials_requested {
        format!(
            "These figures are an estimate from the first {} of {} simulated years.",
            people(result.trials as f64),
            people(result.trials_requested as f64)
        )
    } else {
        format!(
            "These figures come from all {} simulated years (seed {}).",
            people(result.trials as f64),
            result.seed
        )
    };
    let shows_progress = !matches!(status, Status::Idle);
    section(html! {
        <>
            <p class="lede">
                { format!("{} commissioners, {} people in all, each risk overspending in a bad year. On its own a small commissioner's costs swing much further from budget than a big one's; pooled, each bears a share of the pool's steadier total. A simulation of many years shows how much that helps.",
                    result.members.len(), people(result.pool.people as f64)) }
            </p>
            <div class="pooling-run">
                <p data-testid="pooling-estimate">{ estimate_words }</p>
                <div class="pooling-buttons">
                    <button type="button" class="button-primary" onclick={on_run} disabled={active} data-testid="pooling-run">
                        { format!("Run {} trials", people(pool.trials as f64)) }
                    </button>
                    <button type="button" class="button-secondary" onclick={on_cancel} disabled={!active} data-testid="pooling-cancel">
                        { "Cancel" }
                    </button>
                </div>
                if shows_progress {
                    <label for="pooling-progress" class="visually-hidden">{ "Trials done" }</label>
                    <progress id="pooling-progress" data-testid="pooling-progress" max={total.max(1).to_string()} value={done.to_string()}>
                        { format!("{} of {}", people(done as f64), people(total as f64)) }
                    </progress>
                    <p class="hint" data-testid="pooling-host">{ host_words(host, active) }</p>
                }
                <p aria-live="polite" data-testid="pooling-status" class="pooling-status">{ status_words(&status, host) }</p>
            </div>
            <PoolingFigures pool={Rc::new(pool.clone())} result={result.clone()} distributions={distributions} />
            <WorkingDetails working={result.model.clone()} />
        </>
    })
}

/// The Summary's risk pooling section and its heading, around `body`. `ui::lazy` draws it
/// too, around what the visitor is told while the pooling part loads.
pub fn section(body: Html) -> Html {
    html! {
        <section aria-labelledby="pooling-heading" class="pooling" data-testid="pooling">
            <h2 id="pooling-heading">{ "Risk pooling: how much safer is a bigger pool?" }</h2>
            { body }
        </section>
    }
}
