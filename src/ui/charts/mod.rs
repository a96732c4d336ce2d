//! SVG charts, each with a text description and a data-table alternative.
//!
//! Charts are drawn in `html!` as SVG, with no script library. Each lays itself out for
//! the width it is shown at (measured by [`Charts`] and shared as [`ChartWidth`]), so a
//! unit of the drawing is a CSS pixel and labels stay readable on a 360 px phone. The
//! figures are the engine's: charts position marks with `f64` pounds but every number a
//! person reads is formatted from the engine's `Pence` (`crate::format`).
//!
//! A chart takes what it draws as props and never reads the store; the only contexts it
//! reads are this module's own (the width, the stage, tables open from the start).

mod area_rank;
mod axis;
mod bars;
mod budget;
mod fair_shares;
mod frame;
mod outcomes;
mod pooled_budget;
mod pooling;
mod risk_share;
mod scale;
mod tornado;

pub use area_rank::{AreaRankChart, RankedArea};
pub use budget::{BudgetOverYears, ServiceLineSplit};
pub use fair_shares::FairSharesChart;
pub use frame::{
    chart_scale, use_opened_once, use_stage_chart_scale, ChartFrame, ChartFrameProps, ChartWidth,
    LegendItem, LegendKey, ResultsProps, ScenarioProps, StageWidth, TablesOpen,
};
pub use outcomes::OutcomeByMetric;
pub use pooled_budget::PooledBudgetChart;
pub use pooling::{OverspendDistributionChart, RiskByPopulationChart};
pub use risk_share::{table_outturns as risk_share_table_outturns, RiskShareCorridor};
pub use tornado::TornadoChart;

use frame::{DEFAULT_WIDTH, MIN_WIDTH};
use onebudget_engine::scenario::{Results, ValidScenario};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// The figure's padding on each side (`.chart` in the stylesheet), used until a drawing
/// has been measured.
const FIGURE_PADDING: f64 = 32.0;

/// How wide a chart's drawing is inside `container`: a drawn SVG's own width, else the
/// container's less the figure's padding.
pub fn drawing_width(container: &web_sys::Element) -> Option<f64> {
    let svg = container
        .query_selector("figure.chart > svg")
        .ok()
        .flatten()
        .map(|svg| svg.client_width() as f64)
        .filter(|w| *w > 0.0);
    let width = svg.or_else(|| {
        let outer = container.client_width() as f64 - FIGURE_PADDING;
        (outer > 0.0).then_some(outer)
    })?;
    Some(width.round().max(MIN_WIDTH))
}

/// The width charts inside `container` are drawn at: measured once drawn and again
/// whenever the window is resized (provide it to them as [`ChartWidth`]).
#[hook]
pub fn use_drawing_width(container: NodeRef) -> f64 {
    use_measured_drawing_width(container).unwrap_or(DEFAULT_WIDTH)
}

/// As [`use_drawing_width`], but `None` until the container has been measured, so charts
/// can be drawn once, at their width, rather than at a guess and then again (the public
/// view's first render drew every chart twice). Measured again once they are drawn (a
/// drawing's own width is what counts) and whenever the window is resized.
#[hook]
pub fn use_measured_drawing_width(container: NodeRef) -> Option<f64> {
    let width = use_state_eq(|| None::<f64>);
    let drawn = width.is_some();

    {
        let container = container.clone();
        let width = width.clone();
        use_effect_with(drawn, move |_| {
            let measure = move || {
                let measured = container
                    .cast::<web_sys::Element>()
                    .and_then(|el| drawing_width(&el));
                // A container that cannot be measured (not laid out) gets the default.
                width.set(Some(measured.or(*width).unwrap_or(DEFAULT_WIDTH)));
            };
            measure();
            let listener = Closure::<dyn Fn()>::new(measure);
            crate::ui::events::listen(web_sys::window(), "resize", listener)
        });
    }
    *width
}

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    pub scenario: Rc<ValidScenario>,
    pub results: Rc<Results>,
    /// The fair shares chart, drawn here when the scenario has fair shares, and the pooled
    /// budget chart likewise: parts that load on first use (the default scenario has
    /// neither), so the view gives them (`ui::lazy`); a chart never loads code.
    pub fair_shares: Html,
    pub pooled_budget: Html,
}

/// Every chart that applies to the scenario, laid out for the width they are shown at.
#[component]
pub fn Charts(props: &ChartsProps) -> Html {
    let results = props.results.clone();
    let scenario = props.scenario.clone();
    let container = use_node_ref();
    let Some(width) = use_measured_drawing_width(container.clone()) else {
        return html! { <div class="charts" ref={container} data-testid="charts"></div> };
    };

    html! {
        <ContextProvider<ChartWidth> context={ChartWidth(width)}>
            <div class="charts" ref={container} data-testid="charts">
                <BudgetOverYears results={results.clone()} />
                <ServiceLineSplit results={results.clone()} />
                if results.fair_shares.is_some() {
                    { props.fair_shares.clone() }
                }
                if results.pooled_budget.is_some() {
                    { props.pooled_budget.clone() }
                }
                if results.outcome_payment.is_some() {
                    <OutcomeByMetric results={results.clone()} />
                }
                if scenario.risk_share.is_some() {
                    <RiskShareCorridor scenario={scenario.clone()} />
                }
            </div>
        </ContextProvider<ChartWidth>>
    }
}
