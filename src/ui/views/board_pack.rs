//! The board pack: what prints (or saves as PDF) for a board meeting. A cover with the
//! headline and the summary, then each step of the presentation on its own page with its
//! chart and the chart's data table open, then the scenario's inputs as an appendix.
//! Every printed page's footer names the scenario and the date, and numbers the page
//! (CSS `@page` margin boxes, written here because they carry the scenario's name).

use crate::board::inputs::{self, InputPart};
use crate::ui::charts::{ChartWidth, TablesOpen};
use crate::ui::offline::OfflineDownload;
use crate::ui::state::use_store;
use crate::ui::views::presentation::{self, StepData};
use yew::prelude::*;

/// The width charts are laid out for on paper: an A4 page's text width, near enough.
const PAPER_CHART_WIDTH: f64 = 760.0;

/// Today's date in words: "23 November 2026".
fn today_in_words() -> String {
    let options = js_sys::Object::new();
    for (key, value) in [("day", "numeric"), ("month", "long"), ("year", "numeric")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_sys::Date::new_0()
        .to_locale_date_string("en-GB", &options)
        .as_string()
        .unwrap_or_else(crate::ui::files::today)
}

/// A CSS string literal: quotes and backslashes escaped, line breaks flattened.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn input_part(part: &InputPart) -> Html {
    html! {
        <div class="pack-inputs">
            <h3>{ &part.title }</h3>
            if !part.values.is_empty() {
                <dl class="pack-values">
                    { for part.values.iter().map(|(name, value)| html! {
                        <div><dt>{ name }</dt><dd>{ value }</dd></div>
                    }) }
                </dl>
            }
            { for part.tables.iter().filter(|t| !t.rows.is_empty()).map(|t| html! {
                <div class="table-scroll" role="region" tabindex="0" aria-label={t.caption.clone()}>
                    <table class="data-table">
                        <caption><span class="data-table-caption">{ &t.caption }</span></caption>
                        <thead><tr>{ for t.columns.iter().map(|c| html! { <th scope="col">{ c }</th> }) }</tr></thead>
                        <tbody>
                            { for t.rows.iter().map(|row| html! {
                                <tr>
                                    { for row.iter().enumerate().map(|(i, cell)| if i == 0 {
                                        html! { <th scope="row">{ cell }</th> }
                                    } else {
                                        html! { <td>{ cell }</td> }
                                    }) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }) }
        </div>
    }
}

#[component]
pub fn BoardPack() -> Html {
    let store = use_store();
    let data = use_memo(
        (
            store.draft.scenario().clone(),
            store.draft.results().clone(),
        ),
        |(s, r)| StepData::new(s.clone(), r.clone()),
    );
    let appendix = use_memo(data.scenario.clone(), |s| inputs::listing(s));
    let date = use_memo((), |_| today_in_words());
    let pack = use_node_ref();

    // Charts' data tables are in <details> on screen; here they are all open.
    {
        let pack = pack.clone();
        use_effect(move || {
            if let Some(pack) = pack.cast::<web_sys::Element>() {
                if let Ok(list) = pack.query_selector_all("details") {
                    for i in 0..list.length() {
                        if let Some(el) = list.item(i).and_then(|n| {
                            wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok()
                        }) {
                            let _ = el.set_attribute("open", "");
                        }
                    }
                }
            }
        });
    }

    let print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let present = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| presentation::start(&store))
    };
    let footer = format!(
        "@page {{ @bottom-left {{ content: {}; }} @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); }} }}",
        css_string(&format!("{} — {}", data.scenario.name, date))
    );
    // The footer rule is a constructed stylesheet adopted by the document, for as long as
    // the pack is shown. Rationale: the app's CSP (`style-src 'self'`) refuses `<style>`
    // elements, but not the CSSOM.
    use_effect_with(footer.clone(), |footer| {
        let adopted = adopt_stylesheet(footer);
        move || {
            if let Some(sheet) = adopted {
                drop_adopted_stylesheet(&sheet);
            }
        }
    });
    let steps = data.steps();
    let first = data.results.totals.first();

    html! {
        <>
            <div class="pack-tools group">
                <p>{ "For a board meeting: present this scenario on a projector, print it as a board pack (or save it as a PDF), or keep a single file that works with no network." }</p>
                <div class="toolbar">
                    <button type="button" onclick={print} data-testid="print-pack">{ "Print board pack" }</button>
                    <button type="button" class="button-secondary" onclick={present}>{ "Present" }</button>
                    <OfflineDownload />
                </div>
                <p class="hint">{ "Below is the pack as it prints: each section starts a new page." }</p>
            </div>
            <article class="board-pack" ref={pack} data-testid="board-pack">
                <ContextProvider<ChartWidth> context={ChartWidth(PAPER_CHART_WIDTH)}>
                <ContextProvider<TablesOpen> context={TablesOpen}>
                    <section class="pack-section pack-cover" aria-labelledby="pack-title">
                        <p class="pack-kicker">{ format!("Board pack · {}", *date) }</p>
                        <h1 id="pack-title" data-testid="pack-title">{ &data.scenario.name }</h1>
                        if data.scenario.illustrative {
                            <p class="tag">{ "Illustrative figures" }</p>
                        }
                        if !data.scenario.description.is_empty() {
                            <p class="lede">{ &data.scenario.description }</p>
                        }
                        if let Some(t) = first {
                            <div class="headline">
                                <h2>{ format!("Budget for {}", t.year) }</h2>
                                <p class="figure">{ t.budget.display_pounds() }</p>
                                <p class="figure-sub">
                                    { t.per_person.map(|p| format!("{} per person per year", p.display_pounds())).unwrap_or_default() }
                                </p>
                            </div>
                        }
                        <h2>{ "In brief" }</h2>
                        <p class="lede">{ &data.summary.headline }</p>
                        <ul class="summary-points">
                            { for data.summary.points.iter().map(|p| html! { <li>{ &p.text }</li> }) }
                        </ul>
                        <h2>{ "Contents" }</h2>
                        <ol class="pack-contents">
                            { for steps.iter().skip(1).map(|s| html! { <li>{ s.title }</li> }) }
                            <li>{ "Appendix: the scenario’s inputs" }</li>
                        </ol>
                    </section>
                    { for steps.iter().skip(1).map(|step| html! {
                        <section class="pack-section" aria-labelledby={format!("pack-{}", step.id)} data-step={step.id}>
                            <h2 id={format!("pack-{}", step.id)}>{ step.title }</h2>
                            { (step.show)(&data) }
                        </section>
                    }) }
                    <section class="pack-section pack-appendix" aria-labelledby="pack-appendix">
                        <h2 id="pack-appendix">{ "Appendix: the scenario’s inputs" }</h2>
                        <p>{ "Every input of the scenario these figures come from, as entered." }</p>
                        { for appendix.iter().map(input_part) }
                    </section>
                </ContextProvider<TablesOpen>>
                </ContextProvider<ChartWidth>>
            </article>
        </>
    }
}

/// Add `css` to the document's adopted stylesheets; the sheet, to remove it later.
fn adopt_stylesheet(css: &str) -> Option<web_sys::CssStyleSheet> {
    let document = web_sys::window()?.document()?;
    let sheet = web_sys::CssStyleSheet::new().ok()?;
    sheet.replace_sync(css).ok()?;
    let key = wasm_bindgen::JsValue::from_str("adoptedStyleSheets");
    let sheets = js_sys::Array::from(&js_sys::Reflect::get(&document, &key).ok()?);
    sheets.push(&sheet);
    js_sys::Reflect::set(&document, &key, &sheets).ok()?;
    Some(sheet)
}

fn drop_adopted_stylesheet(sheet: &web_sys::CssStyleSheet) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let key = wasm_bindgen::JsValue::from_str("adoptedStyleSheets");
    if let Ok(current) = js_sys::Reflect::get(&document, &key) {
        let kept: js_sys::Array = js_sys::Array::from(&current)
            .iter()
            .filter(|s| s != AsRef::<wasm_bindgen::JsValue>::as_ref(sheet))
            .collect();
        let _ = js_sys::Reflect::set(&document, &key, &kept);
    }
}
