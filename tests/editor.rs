//! Browser tests of the edit view: typing into inputs, problems beside their fields,
//! lists, and undo and redo. Run with
//! `cargo test --target wasm32-unknown-unknown -p onebudget --test editor`.
#![cfg(target_arch = "wasm32")]

use onebudget::engine::examples;
use onebudget::engine::money::Pence;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

mod common;
use common::{mount, next_render};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mount a fresh app on the default scenario (no saved work) and open the editor.
async fn mount_editor() -> Element {
    let root = mount();
    next_render().await;
    click_tab(&root, "Edit inputs").await;
    root
}

async fn click_tab(root: &Element, text: &str) {
    let buttons = root.query_selector_all("button.tab").unwrap();
    let tab = (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .find(|b| b.text_content().as_deref() == Some(text))
        .unwrap_or_else(|| panic!("a tab button {text}"));
    tab.unchecked_into::<HtmlElement>().click();
    next_render().await;
}

fn by_id(root: &Element, id: &str) -> Option<Element> {
    root.query_selector(&format!("#{id}")).unwrap()
}

fn input(root: &Element, id: &str) -> HtmlInputElement {
    by_id(root, id)
        .unwrap_or_else(|| panic!("an input #{id}"))
        .unchecked_into()
}

/// Type into a field as a person would: set its text and fire `input`.
async fn type_into(root: &Element, id: &str, text: &str) {
    let field = input(root, id);
    field.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    field.dispatch_event(&event).unwrap();
    next_render().await;
}

async fn click(root: &Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("something to click at {selector}"))
        .unchecked_into::<HtmlElement>()
        .click();
    next_render().await;
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

async fn public_budget(root: &Element) -> String {
    click_tab(root, "Summary").await;
    let figure = text_of(root, "[data-testid=budget]");
    click_tab(root, "Edit inputs").await;
    figure
}

fn default_budget_with_rate(pounds: i64) -> String {
    let mut scenario = examples::default_scenario();
    scenario.budget.rate_per_weighted_head = Pence::from_pounds(pounds).unwrap();
    onebudget::engine::scenario::ValidScenario::new(scenario)
        .unwrap()
        .compute()
        .unwrap()
        .totals[0]
        .budget
        .display_pounds()
}

#[wasm_bindgen_test]
async fn changing_the_rate_changes_the_public_figure() {
    let root = mount_editor().await;
    let rate = "field-budget-rate_per_weighted_head";
    assert_eq!(input(&root, rate).value(), "1,732");
    assert_eq!(public_budget(&root).await, default_budget_with_rate(1732));
    type_into(&root, rate, "3464").await;
    assert_eq!(input(&root, rate).value(), "3464");
    assert_eq!(public_budget(&root).await, default_budget_with_rate(3464));
    root.remove();
}

#[wasm_bindgen_test]
async fn an_invalid_growth_is_shown_beside_its_field_and_the_figures_stay() {
    let root = mount_editor().await;
    let before = public_budget(&root).await;
    let growth = "field-places-0-population-0-growth";
    assert_eq!(input(&root, growth).value(), "-0.5");
    type_into(&root, growth, "90").await;
    // The text typed stays; the engine's problem is stated as percentages.
    assert_eq!(input(&root, growth).value(), "90");
    let error = text_of(&root, &format!("#{growth}-error"));
    assert!(error.contains("Error:"), "{error}");
    assert!(error.contains("from -20 % to 20 %"), "{error}");
    assert_eq!(
        input(&root, growth)
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    // The error summary links to the field.
    let link = root
        .query_selector(&format!("[data-testid=error-summary] a[href='#{growth}']"))
        .unwrap();
    assert!(link.is_some(), "the summary links to the field");
    // The figures are the last valid ones.
    assert_eq!(public_budget(&root).await, before);
    root.remove();
}

#[wasm_bindgen_test]
async fn text_that_is_not_a_number_gets_the_fields_own_message_and_is_kept() {
    let root = mount_editor().await;
    let people = "field-places-0-population-1-people";
    type_into(&root, people, "abc").await;
    assert_eq!(input(&root, people).value(), "abc");
    let error = text_of(&root, &format!("#{people}-error"));
    assert!(
        error.contains("Enter a whole number of people, like 25800"),
        "{error}"
    );
    // Half-typed numbers are not rewritten under the cursor.
    let uplift = "field-budget-uplift";
    type_into(&root, uplift, "3.").await;
    assert_eq!(input(&root, uplift).value(), "3.");
    root.remove();
}

#[wasm_bindgen_test]
async fn service_lines_are_added_and_removed_and_focus_is_kept() {
    let root = mount_editor().await;
    assert!(by_id(&root, "field-budget-service_lines-6-name").is_some());
    assert!(by_id(&root, "field-budget-service_lines-7-name").is_none());
    click(&root, "#add-budget-service_lines").await;
    let added = by_id(&root, "field-budget-service_lines-7-name").expect("a new service line");
    assert_eq!(
        added.unchecked_ref::<HtmlInputElement>().value(),
        "New service line"
    );
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("field-budget-service_lines-7-name")
    );
    let remove = "#field-budget-service_lines-7 button.button-remove";
    assert_eq!(
        text_of(&root, remove),
        "Remove service line New service line"
    );
    click(&root, remove).await;
    assert!(by_id(&root, "field-budget-service_lines-7-name").is_none());
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("add-budget-service_lines")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn undo_and_redo_restore_values() {
    let root = mount_editor().await;
    let name = "field-name";
    let original = input(&root, name).value();
    type_into(&root, name, "Undo test").await;
    click(&root, "#undo").await;
    assert_eq!(input(&root, name).value(), original);
    click(&root, "#redo").await;
    assert_eq!(input(&root, name).value(), "Undo test");

    // Ctrl+Z outside a text box undoes too.
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("z");
    init.set_ctrl_key(true);
    init.set_bubbles(true);
    let key = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    document().body().unwrap().dispatch_event(&key).unwrap();
    next_render().await;
    assert_eq!(input(&root, name).value(), original);
    root.remove();
}

#[wasm_bindgen_test]
async fn adding_an_age_band_adds_it_to_every_place_in_one_step() {
    let root = mount_editor().await;
    assert!(by_id(&root, "field-places-0-population-7-people").is_none());
    click(&root, "#add-age_bands").await;
    assert!(by_id(&root, "field-age_bands-7-label").is_some());
    assert!(by_id(&root, "field-places-0-population-7-people").is_some());
    click(&root, "#undo").await;
    assert!(by_id(&root, "field-age_bands-7-label").is_none());
    assert!(by_id(&root, "field-places-0-population-7-people").is_none());
    root.remove();
}
