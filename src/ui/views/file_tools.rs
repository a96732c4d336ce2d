//! Files in and out, and the link: open and save scenarios (JSON, the CLI's format),
//! import a place's population (CSV), download the results (CSV with a UTF-8 BOM so
//! spreadsheets show £), and copy a link. A bad file or link never replaces the work.

use crate::draft::Edit;
use crate::ui::files;
use crate::ui::share;
use crate::ui::state::{use_store, Action, Notice, NoticeKind, Store};
use onebudget_engine::validation::Problem;
use onebudget_engine::{population_csv, scenario};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn chosen_file(e: &Event) -> Option<(HtmlInputElement, web_sys::File)> {
    let input: HtmlInputElement = e.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    Some((input, file))
}

/// Read the file chosen in a file input, then hand its name and text on. A file that
/// cannot be read is reported and changes nothing.
fn with_chosen_file(
    store: Store,
    e: &Event,
    use_text: impl FnOnce(Store, String, String) + 'static,
) {
    let Some((input, file)) = chosen_file(e) else {
        return;
    };
    let name = file.name();
    wasm_bindgen_futures::spawn_local(async move {
        // Clear the input so choosing the same file again still fires a change.
        input.set_value("");
        match files::read_text(file).await {
            Ok(text) => use_text(store, name, text),
            Err(message) => store.dispatch(Action::Notify(Notice::error(
                format!("{message}. Nothing has changed."),
                vec![],
            ))),
        }
    });
}

/// Open a scenario file. A valid one replaces the draft; one that is JSON of a version
/// this OneBudget reads replaces it as written, with each problem beside its field (the
/// figures stay the last valid scenario's); anything else is refused, with why.
fn open_scenario(store: Store, e: Event) {
    with_chosen_file(store, &e, move |store, name, text| {
        // A valid scenario whose amounts are too large to calculate opens as written, with
        // the field to fix marked, like any other problem: never "Opened" over old figures.
        let decoded = scenario::decode(&text)
            .and_then(|s| s.compute().map(|_| s).map_err(|e| vec![e.problem()]));
        match decoded {
            Ok(s) => {
                if let Ok(value) = serde_json::to_value(&s) {
                    store.dispatch(Action::Load {
                        value,
                        notice: Notice::success(format!(
                            "Opened “{}” from {name}. Undo brings your previous work back.",
                            s.name
                        )),
                    });
                }
            }
            Err(problems) => match scenario::read_json(&text) {
                Ok(value) => store.dispatch(Action::Load {
                    value,
                    notice: Notice::error(
                        format!(
                            "Opened {name} as it is written, but {} input{} need{} fixing: each is \
                             marked beside its field, and the figures stay your previous work's \
                             until they are fixed. Undo brings your previous work back. What is wrong with it:",
                            problems.len(),
                            if problems.len() == 1 { "" } else { "s" },
                            if problems.len() == 1 { "s" } else { "" },
                        ),
                        problems,
                    ),
                }),
                Err(problems) => store.dispatch(Action::Notify(Notice::error(
                    format!("{name} could not be opened, so your work has not changed. What is wrong with it:"),
                    problems,
                ))),
            },
        }
    });
}

fn save_scenario(store: &Store) {
    let s = store.draft.scenario();
    let filename = format!("{}.onebudget.json", files::slug(&s.name));
    let notice = match files::download(&filename, "application/json", &s.to_json()) {
        Ok(()) if store.draft.is_stale() => Notice::warning(format!(
            "Saved {filename}: the last valid version, because some current inputs need fixing."
        )),
        Ok(()) => Notice::success(format!("Saved {filename}.")),
        Err(e) => Notice::error(format!("The file could not be made: {e}."), vec![]),
    };
    store.dispatch(Action::Notify(notice));
}

fn download_results(store: &Store) {
    let s = store.draft.scenario();
    let filename = format!("{}-results-{}.csv", files::slug(&s.name), files::today());
    // The BOM tells spreadsheets the file is UTF-8, so "£" and "–" show as they should.
    let text = format!("\u{feff}{}", scenario::results_csv(store.draft.results()));
    let notice = match files::download(&filename, "text/csv;charset=utf-8", &text) {
        Ok(()) => Notice::success(format!(
            "Downloaded {filename}: one row per figure, money in pence."
        )),
        Err(e) => Notice::error(format!("The file could not be made: {e}."), vec![]),
    };
    store.dispatch(Action::Notify(notice));
}

#[component]
pub fn FileTools() -> Html {
    let store = use_store();

    let on_open = {
        let store = store.clone();
        Callback::from(move |e: Event| open_scenario(store.clone(), e))
    };
    let on_save = {
        let store = store.clone();
        Callback::from(move |_| save_scenario(&store))
    };
    let on_results = {
        let store = store.clone();
        Callback::from(move |_| download_results(&store))
    };
    let place_index = use_state(|| 0usize);
    let places: Vec<String> = store
        .draft
        .scenario()
        .places
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let chosen_place = (*place_index).min(places.len().saturating_sub(1));
    let on_place = {
        let place_index = place_index.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                place_index.set(select.value().parse().unwrap_or(0));
            }
        })
    };
    let on_population = {
        let store = store.clone();
        Callback::from(move |e: Event| import_population(store.clone(), chosen_place, e))
    };

    html! {
        <div class="file-tools" data-testid="file-tools">
            <div class="toolbar">
                <button type="button" class="button-secondary" onclick={on_save}>{ "Save scenario (JSON)" }</button>
                <label class="button button-secondary file-button">
                    { "Open scenario (JSON)" }
                    <input type="file" accept=".json,application/json" class="visually-hidden" data-testid="open-scenario" onchange={on_open} />
                </label>
                <button type="button" class="button-secondary" onclick={on_results}>{ "Download results (CSV)" }</button>
                <CopyLink />
            </div>
            <div class="toolbar population-import">
                <div class="field">
                    <label for="population-place">{ "Import a population by age band (CSV) for" }</label>
                    <p class="hint" id="population-hint">{ "Columns: age_band, people, and optionally growth, female, male. Rows are matched to the scenario's age bands by label." }</p>
                    <select id="population-place" aria-describedby="population-hint" onchange={on_place}>
                        { for places.iter().enumerate().map(|(i, name)| html! {
                            <option value={i.to_string()} selected={i == chosen_place}>{ name }</option>
                        }) }
                    </select>
                </div>
                <label class="button button-secondary file-button">
                    { "Choose population CSV" }
                    <input type="file" accept=".csv,text/csv" class="visually-hidden" data-testid="import-population" onchange={on_population} />
                </label>
            </div>
            if !store.storage_available {
                <p class="hint">{ "This browser is not saving your work between visits: save the scenario or copy the link to keep it." }</p>
            }
        </div>
    }
}

/// Replace one place's population with the rows of a CSV file, reporting every row
/// that was not used. A file that cannot be used changes nothing.
fn import_population(store: Store, place_index: usize, e: Event) {
    with_chosen_file(store, &e, move |store, name, text| {
        let scenario = store.draft.scenario().clone();
        let place = scenario
            .places
            .get(place_index)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let outcome = population_csv::parse(&text).and_then(|mut import| {
            let bands = population_csv::apply(&mut import, &scenario.age_bands)?;
            Ok((bands, import.rejected))
        });
        match outcome {
            Ok((bands, rejected)) => {
                let Ok(value) = serde_json::to_value(&bands) else { return };
                store.dispatch(Action::Edit(Edit::Set {
                    pointer: format!("/places/{place_index}/population"),
                    value,
                }));
                let skipped: Vec<Problem> = rejected
                    .iter()
                    .map(|r| Problem::new(format!("line {}", r.line), &r.text, r.reason.clone()))
                    .collect();
                let text = if skipped.is_empty() {
                    format!("Imported the population of {place} from {name}: {} age bands. Undo puts it back.", bands.len())
                } else {
                    format!(
                        "Imported the population of {place} from {name}: {} age bands. {} row{} of the file {} not used:",
                        bands.len(),
                        skipped.len(),
                        if skipped.len() == 1 { "" } else { "s" },
                        if skipped.len() == 1 { "was" } else { "were" }
                    )
                };
                let notice = Notice { kind: if skipped.is_empty() { NoticeKind::Success } else { NoticeKind::Warning }, text, problems: skipped };
                store.dispatch(Action::Notify(notice));
            }
            Err(problems) => store.dispatch(Action::Notify(Notice::error(
                format!("The population in {name} could not be used, so nothing has changed. What is wrong:"),
                problems,
            ))),
        }
    });
}

/// Copy a link holding the whole (last valid) scenario. Where the browser will not let
/// the page use the clipboard, the link is shown for copying by hand.
#[component]
pub fn CopyLink() -> Html {
    let store = use_store();
    let manual_link = use_state(|| None::<String>);
    let on_copy = {
        let store = store.clone();
        let manual_link = manual_link.clone();
        Callback::from(move |_| {
            let Some(link) = share::link_to(store.draft.scenario()) else {
                store.dispatch(Action::Notify(Notice::warning(
                    "This scenario is too large for a link: use “Save scenario” and share the file.",
                )));
                return;
            };
            let store = store.clone();
            let manual_link = manual_link.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match files::copy_to_clipboard(&link).await {
                    Ok(()) => {
                        manual_link.set(None);
                        store.dispatch(Action::Notify(Notice::success(format!(
                            "Link copied ({} characters). Whoever opens it sees this scenario; nothing is sent to any server.",
                            link.len()
                        ))));
                    }
                    Err(_) => manual_link.set(Some(link)),
                }
            });
        })
    };
    html! {
        <>
            <button type="button" class="button-secondary" onclick={on_copy} data-testid="copy-link">{ "Copy link" }</button>
            if let Some(link) = (*manual_link).clone() {
                <div class="field">
                    <label for="manual-link">{ "Your browser did not allow copying. Select this link and copy it:" }</label>
                    <input id="manual-link" type="text" readonly=true value={link} data-testid="manual-link" />
                </div>
            }
        </>
    }
}
