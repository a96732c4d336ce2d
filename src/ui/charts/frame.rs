//! What every chart shares: a figure with a visible title and a plain description of the
//! key numbers, the drawing (an SVG named by its own `<title>` and `<desc>`), a legend in
//! text, and the same figures as a real table behind a "Data table" disclosure.
//!
//! The table sits in a native `<details>` rather than behind a custom toggle: it is
//! keyboard operable and announced as expanded or collapsed by every screen reader
//! without any script. The table's rows are built into the page when it is first opened
//! (and stay after): the public view's closed tables were most of the elements of its
//! first render, the page's longest task at start-up. Where every table must be there
//! from the start (the board pack, which prints them), a [`TablesOpen`] context says so.

use super::scale::coord;
use onebudget_engine::scenario::{Results, ValidScenario};
use std::rc::Rc;
use yew::prelude::*;

/// The props of a chart drawn from a scenario's results.
#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub results: Rc<Results>,
}

/// The props of a chart drawn from the scenario itself (its inputs).
#[derive(Properties, PartialEq)]
pub struct ScenarioProps {
    pub scenario: Rc<ValidScenario>,
}

/// How wide the drawing is, in CSS pixels: the charts lay themselves out for it, so
/// 1 unit of the SVG is 1 pixel and labels stay readable on a phone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartWidth(pub f64);

/// Provided around a part of the page whose charts show their data tables from the start,
/// open (the board pack).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TablesOpen;

/// The stage's width in CSS pixels while presenting (absent in the board pack and the
/// views): a chart or a presentation's step may lay itself out differently on a wide
/// projector screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StageWidth(pub f64);

/// How much bigger than a CSS pixel a chart's drawing is shown on a stage `stage_width`
/// wide: charts lay out for a narrower width and are scaled up, so their labels are
/// large too.
pub fn chart_scale(stage_width: f64) -> f64 {
    (stage_width / 640.0).clamp(1.0, 1.6)
}

/// [`chart_scale`] for the stage a component is on, or 1 off the stage (the board pack,
/// the views): for charts that measure their own width.
#[hook]
pub fn use_stage_chart_scale() -> f64 {
    use_context::<StageWidth>().map_or(1.0, |s| chart_scale(s.0))
}

/// The width before the page has been measured (a desktop column).
pub const DEFAULT_WIDTH: f64 = 640.0;
/// Narrower than this and labels could not fit at all; the drawing scales down instead.
pub const MIN_WIDTH: f64 = 240.0;

/// The drawing width the `Charts` container measured.
#[hook]
pub fn use_chart_width() -> f64 {
    use_context::<ChartWidth>()
        .map(|w| w.0)
        .unwrap_or(DEFAULT_WIDTH)
        .max(MIN_WIDTH)
}

/// How many series can be told apart: each has a colour and a fill pattern.
pub const SERIES: usize = 5;

/// The fill of series `index` (a pattern defined in this chart's `<defs>`).
pub fn series_fill(chart_id: &str, index: usize) -> String {
    format!("url(#{chart_id}-series-{})", index % SERIES)
}

/// The patterns that tell series apart without colour: solid, diagonal stripes, dots,
/// horizontal stripes, cross-hatching. Every colour is at least 3:1 against white.
fn series_patterns(chart_id: &str) -> Html {
    let tile = |index: usize, rotate: bool, marks: Html| {
        html! {
            <pattern id={format!("{chart_id}-series-{index}")} patternUnits="userSpaceOnUse"
                width="8" height="8" patternTransform={rotate.then_some("rotate(45)")}>
                <rect width="8" height="8" class={format!("chart-fill-{index}")} />
                { marks }
            </pattern>
        }
    };
    html! {
        <defs>
            { tile(0, false, html! {}) }
            { tile(1, true, html! { <rect x="0" y="0" width="2.5" height="8" class="chart-gap" /> }) }
            { tile(2, false, html! { <circle cx="4" cy="4" r="1.6" class="chart-gap" /> }) }
            { tile(3, false, html! { <rect x="0" y="3" width="8" height="2" class="chart-gap" /> }) }
            { tile(4, true, html! {
                <>
                    <rect x="0" y="0" width="1.5" height="8" class="chart-gap" />
                    <rect x="0" y="0" width="8" height="1.5" class="chart-gap" />
                </>
            }) }
        </defs>
    }
}

/// One entry of a chart's legend.
#[derive(Clone, Debug, PartialEq)]
pub enum LegendKey {
    /// A filled box in a series' colour and pattern.
    Series(usize),
    /// An outlined, empty box (an amount available, of which the filled part was earned).
    Outline,
    /// A line sample: series colour, dashed or not.
    Line { series: usize, dashed: bool },
    /// A marker: hollow or filled circle.
    Dot { filled: bool },
}

#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub key: LegendKey,
    pub label: String,
}

impl LegendItem {
    pub fn new(key: LegendKey, label: impl Into<String>) -> Self {
        LegendItem {
            key,
            label: label.into(),
        }
    }
}

fn legend_sample(chart_id: &str, key: &LegendKey) -> Html {
    let mark = match key {
        LegendKey::Series(i) => html! {
            <rect x="1" y="3" width="22" height="14" fill={series_fill(chart_id, *i)} class="chart-mark" />
        },
        LegendKey::Outline => html! {
            <rect x="1.5" y="3.5" width="21" height="13" class="chart-track" />
        },
        LegendKey::Line { series, dashed } => html! {
            <line x1="0" y1="10" x2="24" y2="10"
                class={classes!(format!("chart-line-{}", series % SERIES), dashed.then_some("chart-dashed"))} />
        },
        LegendKey::Dot { filled } => html! {
            <circle cx="12" cy="10" r="5.5" class={if *filled { "chart-dot-filled" } else { "chart-dot-hollow" }} />
        },
    };
    html! {
        <svg class="chart-legend-key" width="24" height="20" viewBox="0 0 24 20" aria-hidden="true" focusable="false">
            { mark }
        </svg>
    }
}

/// Whether a `<details>` has ever been opened, and the `ontoggle` that notes it: what it
/// holds is built into the page only from then on (and kept when it is closed again).
#[hook]
pub fn use_opened_once() -> (bool, Callback<Event>) {
    let opened = use_state_eq(|| false);
    let ontoggle = {
        let opened = opened.clone();
        Callback::from(move |e: Event| {
            if let Some(details) = e.target_dyn_into::<web_sys::Element>() {
                if details.has_attribute("open") {
                    opened.set(true);
                }
            }
        })
    };
    (*opened, ontoggle)
}

#[derive(Properties, PartialEq)]
pub struct ChartFrameProps {
    /// Unique on the page: the figure's id, and the stem of every id inside it.
    pub id: AttrValue,
    pub title: AttrValue,
    /// A sentence or two stating the key numbers, for everyone.
    pub description: AttrValue,
    /// What the drawing shows, for people who cannot see it (the SVG's `<desc>`).
    pub drawing: AttrValue,
    /// The drawing's size in CSS pixels (its viewBox).
    pub width: f64,
    pub height: f64,
    /// The marks, inside the SVG.
    pub svg: Html,
    /// A `<table class="data-table">` with a caption: the same figures in full.
    pub table: Html,
    #[prop_or_default]
    pub legend: Vec<LegendItem>,
}

#[component]
pub fn ChartFrame(props: &ChartFrameProps) -> Html {
    let id = &props.id;
    let title_id = format!("{id}-title");
    let svg_title_id = format!("{id}-svg-title");
    let svg_desc_id = format!("{id}-svg-desc");
    let open_from_start = use_context::<TablesOpen>().is_some();
    let (opened, ontoggle) = use_opened_once();
    let show_table = open_from_start || opened;
    html! {
        <figure class="chart" id={id.clone()} aria-labelledby={title_id.clone()}>
            <figcaption>
                <h3 class="chart-title" id={title_id}>{ &props.title }</h3>
                <p class="chart-description" id={format!("{id}-description")}>{ &props.description }</p>
            </figcaption>
            if !props.legend.is_empty() {
                <ul class="chart-legend">
                    { for props.legend.iter().map(|item| html! {
                        <li>{ legend_sample(id, &item.key) }<span>{ &item.label }</span></li>
                    }) }
                </ul>
            }
            <svg role="img" aria-labelledby={format!("{svg_title_id} {svg_desc_id}")}
                viewBox={format!("0 0 {} {}", coord(props.width), coord(props.height))}
                width={coord(props.width)} height={coord(props.height)}>
                <title id={svg_title_id}>{ &props.title }</title>
                <desc id={svg_desc_id}>{ &props.drawing }</desc>
                { series_patterns(id) }
                { props.svg.clone() }
            </svg>
            <details class="chart-table" open={open_from_start} {ontoggle}>
                <summary>{ "Data table" }</summary>
                if show_table {
                    <div class="table-scroll" role="region" tabindex="0"
                        aria-label={format!("{}: data table", props.title)}>
                        { props.table.clone() }
                    </div>
                }
            </details>
        </figure>
    }
}

/// A table's caption. Its text stays in view, wrapped to the screen, while a wide table
/// scrolls sideways beneath it.
pub fn caption(text: impl Into<String>) -> Html {
    html! { <caption><span class="data-table-caption">{ text.into() }</span></caption> }
}
