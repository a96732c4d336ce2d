//! Compare: two to four scenarios side by side (the first is the baseline), and a tornado
//! chart of which inputs move a chosen figure most. For boards presenting options on a
//! projector, and for anyone weighing "standalone or pooled", "option A or B".
//!
//! The engine makes every figure and difference (`comparison`, `sensitivity`); this view
//! chooses what to compare and formats. What is chosen lives in the store
//! (`state::ComparePicks`) so it survives a switch of view and other views (a
//! presentation) can show it.

use crate::format::{parse_percent, percent_text, short_money};
use crate::ui::charts::{use_drawing_width, use_stage_chart_scale, ChartWidth, TornadoChart};
use crate::ui::files;
use crate::ui::state::{use_store, Action, ComparePicks, Notice, OpenedScenario, Source, Store};
use onebudget_engine::comparison::{
    compare, Cell, Difference, Direction, Figure, Measure, MAX_SCENARIOS,
};
use onebudget_engine::examples;
use onebudget_engine::scenario::{self, Results, Scenario, ValidScenario};
use onebudget_engine::sensitivity::{self, MAX_VARIATION};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A source as the value of a `<select>`'s option, and back.
impl Source {
    fn value(self) -> String {
        match self {
            Source::Yours => "yours".into(),
            Source::BuiltIn(i) => format!(
                "builtin:{}",
                examples::ALL.get(i).map(|e| e.name).unwrap_or("")
            ),
            Source::Opened(i) => format!("opened:{i}"),
        }
    }

    fn from_value(value: &str) -> Option<Source> {
        if value == "yours" {
            return Some(Source::Yours);
        }
        if let Some(name) = value.strip_prefix("builtin:") {
            return examples::ALL
                .iter()
                .position(|e| e.name == name)
                .map(Source::BuiltIn);
        }
        value
            .strip_prefix("opened:")
            .and_then(|i| i.parse().ok())
            .map(Source::Opened)
    }
}

impl ComparePicks {
    /// The slots as shown. Until the person picks for themselves, the second column is the
    /// first built-in that is not the scenario being edited: comparing a scenario with
    /// itself says nothing.
    fn shown_slots(&self, yours: &Scenario) -> [Option<Source>; MAX_SCENARIOS] {
        let mut slots = self.slots;
        if !self.changed {
            let other = (0..examples::ALL.len())
                .find(|&i| built_in(i).is_some_and(|(s, _)| s.name != yours.name));
            if let Some(i) = other {
                slots[1] = Some(Source::BuiltIn(i));
            }
        }
        slots
    }
}

/// One compared scenario, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The column's heading.
    pub heading: String,
    pub scenario: Rc<ValidScenario>,
    pub results: Rc<Results>,
}

/// A scenario and its results.
type Computed = (Rc<ValidScenario>, Rc<Results>);

thread_local! {
    /// Each built-in computed once a session (Healthier Together simulates its pool).
    static BUILT_INS: RefCell<Vec<Option<Computed>>> =
        RefCell::new(vec![None; examples::ALL.len()]);
}

fn built_in(index: usize) -> Option<Computed> {
    BUILT_INS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let slot = cache.get_mut(index)?;
        if slot.is_none() {
            let scenario = examples::ALL.get(index)?.scenario().ok()?;
            let results = scenario.compute().ok()?;
            *slot = Some((Rc::new(scenario), Rc::new(results)));
        }
        slot.clone()
    })
}

/// What a source is called in a list of choices.
fn choice_label(store: &Store, source: Source) -> String {
    match source {
        Source::Yours => format!("Your scenario: {}", store.draft.scenario().name),
        Source::BuiltIn(i) => examples::ALL
            .get(i)
            .map(|e| format!("Built-in: {}", e.title))
            .unwrap_or_default(),
        Source::Opened(i) => store
            .comparison
            .opened
            .get(i)
            .map(|o| format!("From file {}: {}", o.file, o.scenario.name))
            .unwrap_or_default(),
    }
}

fn entry(store: &Store, source: Source) -> Option<Entry> {
    match source {
        Source::Yours => Some(Entry {
            heading: format!("Your scenario ({})", store.draft.scenario().name),
            scenario: store.draft.scenario().clone(),
            results: store.draft.results().clone(),
        }),
        Source::BuiltIn(i) => built_in(i).map(|(scenario, results)| Entry {
            heading: scenario.name.clone(),
            scenario,
            results,
        }),
        Source::Opened(i) => store.comparison.opened.get(i).map(|o| Entry {
            heading: format!("{} (file)", o.scenario.name),
            scenario: o.scenario.clone(),
            results: o.results.clone(),
        }),
    }
}

/// The chosen scenarios, baseline first, with the slot each came from.
fn chosen(store: &Store) -> Vec<(usize, Entry)> {
    store
        .comparison
        .shown_slots(store.draft.scenario())
        .iter()
        .enumerate()
        .filter_map(|(slot, source)| Some((slot, entry(store, (*source)?)?)))
        .collect()
}

fn update(store: &Store, change: impl FnOnce(&mut ComparePicks)) {
    let mut picks = store.comparison.clone();
    // From the first change on, the columns are the person's own choice.
    picks.slots = picks.shown_slots(store.draft.scenario());
    picks.changed = true;
    change(&mut picks);
    store.dispatch(Action::Compare(picks));
}

/// Read a scenario file for comparison: the draft is never touched.
fn open_for_comparison(store: Store, e: Event) {
    let Some(input) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    let name = file.name();
    wasm_bindgen_futures::spawn_local(async move {
        input.set_value("");
        let text = match files::read_text(file).await {
            Ok(text) => text,
            Err(message) => {
                store.dispatch(Action::Notify(Notice::error(
                    format!("{message}. Nothing has changed."),
                    vec![],
                )));
                return;
            }
        };
        let opened = scenario::decode(&text).map_err(|problems| {
            Notice::error(
                format!("{name} could not be opened for comparison, so nothing has changed: your own work is as you left it."),
                problems,
            )
        });
        let opened = opened.and_then(|s| match s.compute() {
            Ok(results) => Ok((s, results)),
            Err(e) => Err(Notice::error(
                format!("{name} could not be worked out, so nothing has changed."),
                vec![e.problem()],
            )),
        });
        match opened {
            Ok((scenario, results)) => {
                let title = scenario.name.clone();
                update(&store, |picks| {
                    let index = picks.opened.len();
                    picks.opened.push(OpenedScenario {
                        file: name.clone(),
                        scenario: Rc::new(scenario),
                        results: Rc::new(results),
                    });
                    let slot = picks
                        .slots
                        .iter()
                        .skip(1)
                        .position(Option::is_none)
                        .map(|i| i + 1)
                        .unwrap_or(MAX_SCENARIOS - 1);
                    picks.slots[slot] = Some(Source::Opened(index));
                });
                store.dispatch(Action::Notify(Notice::success(format!(
                    "Opened “{title}” from {name} for comparison. Your own scenario is unchanged."
                ))));
            }
            Err(notice) => store.dispatch(Action::Notify(notice)),
        }
    });
}

fn slot_label(slot: usize) -> String {
    match slot {
        0 => "Baseline (the others are compared with it)".into(),
        1 => "Compare with".into(),
        n => format!("Also compare with (optional, scenario {})", n + 1),
    }
}

/// The whole view: choosing, the table, the tornado.
#[component]
pub fn CompareView() -> Html {
    let store = use_store();
    let sources: Vec<Source> = std::iter::once(Source::Yours)
        .chain((0..examples::ALL.len()).map(Source::BuiltIn))
        .chain((0..store.comparison.opened.len()).map(Source::Opened))
        .collect();
    let on_open = {
        let store = store.clone();
        Callback::from(move |e: Event| open_for_comparison(store.clone(), e))
    };
    let slot_select = |slot: usize| {
        let current = store
            .comparison
            .shown_slots(store.draft.scenario())
            .get(slot)
            .copied()
            .flatten();
        let onchange = {
            let store = store.clone();
            Callback::from(move |e: Event| {
                let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                let source = Source::from_value(&select.value());
                update(&store, |picks| {
                    if let Some(s) = picks.slots.get_mut(slot) {
                        *s = source;
                    }
                });
            })
        };
        let id = format!("compare-slot-{slot}");
        html! {
            <div class="field">
                <label for={id.clone()}>{ slot_label(slot) }</label>
                <select id={id} {onchange} data-testid={format!("compare-slot-{slot}")}>
                    if slot >= 2 {
                        <option value="" selected={current.is_none()}>{ "None" }</option>
                    }
                    { for sources.iter().map(|s| html! {
                        <option value={s.value()} selected={current == Some(*s)}>{ choice_label(&store, *s) }</option>
                    }) }
                </select>
            </div>
        }
    };
    html! {
        <div class="compare" data-testid="compare">
            <h1>{ "Compare scenarios" }</h1>
            <p class="lede">{ "Put two to four scenarios side by side — a baseline and options, or standalone and pooled — and see which inputs move a figure most." }</p>
            <section class="group" aria-labelledby="compare-choose-heading">
                <h2 id="compare-choose-heading">{ "Choose scenarios" }</h2>
                <div class="compare-slots">
                    { for (0..MAX_SCENARIOS).map(slot_select) }
                </div>
                <p class="hint" id="compare-open-hint">{ "A file opened here is only compared: your own scenario is not changed." }</p>
                <label class="button button-secondary file-button">
                    { "Open a scenario file to compare" }
                    <input type="file" accept=".json,application/json" class="visually-hidden"
                        aria-describedby="compare-open-hint" data-testid="compare-open" onchange={on_open} />
                </label>
            </section>
            <ComparisonFromStore controls={true} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ComparisonFromStoreProps {
    /// Show the tornado's scenario, figure and variation controls (off in a presentation).
    #[prop_or(false)]
    pub controls: bool,
}

/// The comparison table and the tornado for what the store has chosen: usable on its
/// own (a presentation's "comparison" step), with or without the tornado's controls.
#[component]
pub fn ComparisonFromStore(props: &ComparisonFromStoreProps) -> Html {
    let store = use_store();
    let chosen = chosen(&store);
    let entries: Rc<Vec<Entry>> = Rc::new(chosen.iter().map(|(_, e)| e.clone()).collect());
    let tornado_entry = chosen
        .iter()
        .find(|(slot, _)| *slot == store.comparison.tornado_slot)
        .or_else(|| chosen.first())
        .map(|(_, e)| e.clone());
    html! {
        <>
            <section aria-labelledby="compare-table-heading">
                <h2 id="compare-table-heading">{ "Headline figures side by side" }</h2>
                if entries.len() >= 2 {
                    <ComparisonTable entries={entries.clone()} />
                } else {
                    <p>{ "Choose at least two scenarios to compare." }</p>
                }
            </section>
            if let Some(entry) = tornado_entry {
                <section aria-labelledby="compare-tornado-heading">
                    <h2 id="compare-tornado-heading">{ "What moves a figure most" }</h2>
                    <TornadoSection entry={entry} chosen={Rc::new(chosen.clone())} controls={props.controls} />
                </section>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct ComparisonTableProps {
    /// Two to four scenarios; the first is the baseline.
    pub entries: Rc<Vec<Entry>>,
}

fn per_person_words(figure: Figure) -> &'static str {
    match figure {
        Figure::PeriodBudget => "per person per year",
        _ => "per person",
    }
}

/// A difference from the baseline in words, with an arrow and a sign, never by colour alone.
fn difference_html(figure: Figure, difference: &Difference) -> Html {
    let direction = difference.direction();
    let (arrow, class) = match direction {
        Direction::Higher => ("▲", "compare-diff compare-diff-higher"),
        Direction::Lower => ("▼", "compare-diff compare-diff-lower"),
        Direction::Same => ("=", "compare-diff compare-diff-same"),
    };
    let more_less = |up: bool| if up { "more" } else { "less" };
    let words = match difference {
        _ if direction == Direction::Same => match difference {
            Difference::Money {
                per_person: Some(p),
                ..
            } if p.pence() != 0 => format!(
                "Same in total; {} {} {}",
                p.checked_neg().unwrap_or(*p).max(*p).display_pounds(),
                more_less(p.pence() > 0),
                per_person_words(figure)
            ),
            Difference::Years(_) => "Same number of years".into(),
            _ => "Same as the baseline".into(),
        },
        Difference::Money { amount, per_person } => {
            let mut text = format!(
                "{} {}",
                short_money(amount.abs().unwrap_or(*amount)),
                more_less(amount.pence() > 0)
            );
            if let Some(p) = per_person {
                text.push_str(&format!(
                    " ({}{} {})",
                    if p.pence() > 0 { "+" } else { "" },
                    p.display_pounds(),
                    per_person_words(figure)
                ));
            }
            text
        }
        Difference::Points(_) | Difference::Years(_) => {
            format!(
                "{} {}",
                difference.display(),
                if direction == Direction::Higher {
                    "higher"
                } else {
                    "lower"
                }
            )
        }
        Difference::People(_) => difference.display(),
    };
    let (pence, per_person) = match difference {
        Difference::Money { amount, per_person } => (
            Some(amount.pence().to_string()),
            per_person.map(|p| p.pence().to_string()),
        ),
        _ => (None, None),
    };
    html! {
        <span class={class} data-difference-pence={pence} data-difference-per-person-pence={per_person}
            data-direction={format!("{direction:?}").to_ascii_lowercase()}>
            <span aria-hidden="true">{ arrow }{ " " }</span>{ words }
        </span>
    }
}

fn cell_html(figure: Figure, column: usize, cell: &Cell, baseline_has: bool) -> Html {
    let value = cell.value.as_ref().map(Measure::display);
    let pence = match &cell.value {
        Some(Measure::Money(p)) => Some(p.pence().to_string()),
        _ => None,
    };
    html! {
        <td class="num" data-column={column.to_string()} data-value-pence={pence}>
            if let Some(value) = value {
                <span class="compare-value">{ value }</span>
            } else {
                <span class="compare-missing">{ "Not in this scenario" }</span>
            }
            if let Some(pp) = cell.per_person {
                <span class="compare-per-person">{ format!("{} {}", pp.display_pounds(), per_person_words(figure)) }</span>
            }
            if let Some(d) = &cell.difference {
                { difference_html(figure, d) }
            } else if column > 0 && cell.value.is_some() && !baseline_has {
                <span class="compare-diff compare-diff-same">{ "Not in the baseline" }</span>
            }
        </td>
    }
}

/// The headline figures of two to four scenarios, the first the baseline, with each
/// other scenario's difference from it.
#[component]
pub fn ComparisonTable(props: &ComparisonTableProps) -> Html {
    let pairs: Vec<(&str, &Results)> = props
        .entries
        .iter()
        .map(|e| (e.heading.as_str(), e.results.as_ref()))
        .collect();
    let comparison = match compare(&pairs) {
        Ok(c) => c,
        Err(e) => {
            return html! { <p>{ format!("These scenarios could not be compared: {e}.") }</p> }
        }
    };
    let baseline = comparison.scenarios.first().cloned().unwrap_or_default();
    html! {
        <div class="table-scroll compare-scroll" role="region" tabindex="0"
            aria-label="Headline figures side by side (scrolls sideways)">
            <table class="data-table compare-table" data-testid="comparison-table">
                <caption><span class="data-table-caption">
                    { format!("The baseline is {baseline}; each other column says how it differs from the baseline.") }
                </span></caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Figure" }</th>
                        { for comparison.scenarios.iter().enumerate().map(|(i, name)| html! {
                            <th scope="col" class="num">
                                if i == 0 { <span class="compare-baseline-tag">{ "Baseline" }</span> }
                                { name }
                            </th>
                        }) }
                    </tr>
                </thead>
                <tbody>
                    { for comparison.rows.iter().map(|row| {
                        let baseline_has = row.cells.first().is_some_and(|c| c.value.is_some());
                        html! {
                            <tr data-figure={row.figure.key()} class={classes!(row.differs.then_some("compare-differs"))}>
                                <th scope="row">{ &row.label }</th>
                                { for row.cells.iter().enumerate().map(|(i, c)| cell_html(row.figure, i, c, baseline_has)) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TornadoSectionProps {
    entry: Entry,
    chosen: Rc<Vec<(usize, Entry)>>,
    controls: bool,
}

/// A variation typed as a percentage, checked: a fraction from 1 % to 50 %.
fn read_variation(text: &str) -> Result<f64, &'static str> {
    match parse_percent(text) {
        Some(v) if (0.01..=MAX_VARIATION).contains(&v) => Ok(v),
        Some(_) => Err("Enter a percentage from 1 to 50"),
        None => Err("Enter a percentage from 1 to 50, like 10"),
    }
}

#[component]
fn TornadoSection(props: &TornadoSectionProps) -> Html {
    let store = use_store();
    let picks = &store.comparison;
    let results = props.entry.results.clone();
    let figures = sensitivity::figures_for(&results);
    let figure = if figures.contains(&picks.figure) {
        picks.figure
    } else {
        figures.first().copied().unwrap_or(Figure::PeriodBudget)
    };
    let typed = use_state(|| percent_text(picks.variation));
    let error = read_variation(&typed).err();
    let tornado = use_memo(
        (props.entry.scenario.clone(), figure, picks.variation),
        |(scenario, figure, variation)| {
            sensitivity::tornado(scenario, *figure, *variation).map(Rc::new)
        },
    );

    let container = use_node_ref();
    // On a projector the chart is laid out narrower and scaled up, like the steps' charts.
    let scale = use_stage_chart_scale();
    let width = (use_drawing_width(container.clone()) / scale).round();

    let on_slot = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(slot) = select.value().parse::<usize>() {
                update(&store, |p| p.tornado_slot = slot);
            }
        })
    };
    let on_figure = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(f) = Figure::from_key(&select.value()) {
                update(&store, |p| p.figure = f);
            }
        })
    };
    let on_variation = {
        let store = store.clone();
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let text = input.value();
            if let Ok(v) = read_variation(&text) {
                if v != store.comparison.variation {
                    update(&store, |p| p.variation = v);
                }
            }
            typed.set(text);
        })
    };
    let tornado_slot = props
        .chosen
        .iter()
        .find(|(slot, _)| *slot == picks.tornado_slot)
        .or_else(|| props.chosen.first())
        .map(|(slot, _)| *slot)
        .unwrap_or(0);

    let controls = props.controls.then(|| {
        html! {
            <div class="compare-tornado-controls">
                <div class="field">
                    <label for="tornado-scenario">{ "Scenario to test" }</label>
                    <select id="tornado-scenario" onchange={on_slot}>
                        { for props.chosen.iter().map(|(slot, e)| html! {
                            <option value={slot.to_string()} selected={*slot == tornado_slot}>{ &e.heading }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="tornado-figure">{ "Figure" }</label>
                    <select id="tornado-figure" onchange={on_figure}>
                        { for figures.iter().map(|f| html! {
                            <option value={f.key()} selected={*f == figure}>{ f.label() }</option>
                        }) }
                    </select>
                </div>
                <div class={classes!("field", error.is_some().then_some("field-error"))}>
                    <label for="tornado-variation">{ "Vary each input by (%)" }</label>
                    <p class="hint" id="tornado-variation-hint">{ "Each input is lowered and raised by this share of its value, one at a time: from 1 to 50." }</p>
                    <input id="tornado-variation" type="text" inputmode="decimal" value={(*typed).clone()}
                        oninput={on_variation} data-testid="tornado-variation"
                        aria-describedby={if error.is_some() { "tornado-variation-hint tornado-variation-error" } else { "tornado-variation-hint" }}
                        aria-invalid={error.is_some().then_some("true")} />
                    if let Some(message) = error {
                        <p class="error-message" id="tornado-variation-error">
                            <span class="visually-hidden">{ "Error: " }</span>
                            { format!("{message}. The chart still shows ±{} %.", percent_text(picks.variation)) }
                        </p>
                    }
                </div>
            </div>
        }
    });
    let chart = match &*tornado {
        Ok(t) => html! {
            <TornadoChart tornado={t.clone()} scenario={AttrValue::from(props.entry.heading.clone())} />
        },
        Err(e) => html! { <p>{ format!("No tornado chart for this scenario: {e}.") }</p> },
    };
    html! {
        <>
            { for controls }
            <ContextProvider<ChartWidth> context={ChartWidth(width)}>
                <div class="charts" ref={container} data-testid="tornado">
                    { chart }
                </div>
            </ContextProvider<ChartWidth>>
        </>
    }
}
