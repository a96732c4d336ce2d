//! Browser tests for the charts: the app mounted in headless Chromium with the default
//! scenario (Anytown: a budget, an outcome contract and a risk share). Every chart must
//! have a named drawing and a table holding all its data, with the engine's figures.
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown
//! -p onebudget --test charts`.
#![cfg(target_arch = "wasm32")]

use onebudget::engine::examples;
use onebudget::engine::working::people;
use onebudget::ui::charts::risk_share_table_outturns;
use wasm_bindgen_test::*;
use web_sys::Element;

mod common;
use common::{mount, next_render, open_details};

wasm_bindgen_test_configure!(run_in_browser);

fn all(parent: &Element, selector: &str) -> Vec<Element> {
    let list = parent.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<Element>(n).ok())
        .collect()
}

fn one(parent: &Element, selector: &str) -> Element {
    parent
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is on the page"))
}

fn text(element: &Element) -> String {
    element
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[wasm_bindgen_test]
async fn every_chart_has_a_named_drawing_and_a_table_of_all_its_data() {
    let root = mount();
    next_render().await;
    open_details(&root).await;
    let scenario = examples::default_scenario();
    let results = onebudget::engine::scenario::ValidScenario::new(scenario.clone())
        .unwrap()
        .compute()
        .unwrap();
    let document = web_sys::window().unwrap().document().unwrap();

    let figures = all(&root, "figure.chart");
    let ids: Vec<String> = figures.iter().map(|f| f.id()).collect();
    assert_eq!(
        ids,
        [
            "chart-budget-years",
            "chart-service-lines",
            "chart-outcomes",
            "chart-risk-share"
        ],
        "Anytown has a budget, service lines, an outcome contract and a risk share"
    );

    for figure in &figures {
        let id = figure.id();
        // The figure is named by its visible title, a heading under the page's "Charts" h2.
        let title_id = figure.get_attribute("aria-labelledby").unwrap();
        let title = document.get_element_by_id(&title_id).unwrap();
        assert_eq!(title.tag_name().to_lowercase(), "h3", "{id}");
        assert!(!text(&title).is_empty(), "{id} has a title");
        assert!(
            !text(&one(figure, ".chart-description")).is_empty(),
            "{id} describes its key numbers"
        );

        let svg = one(figure, "svg[role=img]");
        let svg_title = one(&svg, "title");
        assert!(
            !text(&svg_title).is_empty(),
            "{id}: the drawing has a title"
        );
        let labelled_by = svg.get_attribute("aria-labelledby").unwrap();
        for part in labelled_by.split_whitespace() {
            let label = document
                .get_element_by_id(part)
                .unwrap_or_else(|| panic!("{id}: #{part} exists"));
            assert!(!text(&label).is_empty(), "{id}: #{part} has text");
        }
        assert!(labelled_by.contains(&svg_title.id()), "{id}");
        assert!(labelled_by.contains(&one(&svg, "desc").id()), "{id}");

        // Laid out for the width it is shown at: one unit of the drawing is one pixel.
        let view_box = svg.get_attribute("viewBox").unwrap();
        let drawn_width: f64 = view_box
            .split_whitespace()
            .nth(2)
            .and_then(|w| w.parse().ok())
            .unwrap();
        let shown_width = svg.client_width() as f64;
        assert!(
            (drawn_width - shown_width).abs() <= 2.0,
            "{id}: drawn for {drawn_width}px, shown at {shown_width}px"
        );

        let table = one(figure, "details > .table-scroll > table.data-table");
        assert!(!text(&one(&table, "caption")).is_empty(), "{id} caption");
        assert!(
            all(&table, "thead th")
                .iter()
                .all(|th| th.get_attribute("scope").as_deref() == Some("col")),
            "{id}: column headers have scope"
        );
        assert!(
            all(&table, "tbody tr")
                .iter()
                .all(|tr| one(tr, "th").get_attribute("scope").as_deref() == Some("row")),
            "{id}: each row has a row header"
        );
    }

    let rows = |id: &str| all(&one(&root, &format!("#{id}")), "table tbody tr");
    assert_eq!(rows("chart-budget-years").len(), results.totals.len());
    assert_eq!(rows("chart-budget-years").len(), 5);
    assert_eq!(
        rows("chart-service-lines").len(),
        results.places[0].budget.years[0].service_lines.len()
    );
    let payment = results.outcome_payment.as_ref().unwrap();
    assert_eq!(rows("chart-outcomes").len(), payment.metrics.len());
    let agreement = scenario.risk_share.as_ref().unwrap();
    let risk_rows = rows("chart-risk-share");
    assert_eq!(risk_rows.len(), risk_share_table_outturns(agreement).len());
    // Every 2 % from −10 % to +10 % of budget, and the actual outturn (+3 %) between them.
    assert_eq!(risk_rows.len(), 12);
    let actual_row = risk_rows
        .iter()
        .find(|r| text(r).contains("(actual)"))
        .expect("the actual outturn is a row");
    let risk = results.risk_share.as_ref().unwrap();
    let actual_cells: Vec<String> = all(actual_row, "td").iter().map(text).collect();
    assert_eq!(
        actual_cells,
        [
            risk.outturn.display_pounds(),
            risk.variance.display_pounds(),
            risk.provider_total.display_pounds(),
            risk.commissioner_total.display_pounds(),
        ]
    );

    // The budget table holds the engine's figures, year by year.
    for (row, total) in rows("chart-budget-years").iter().zip(&results.totals) {
        assert_eq!(text(&one(row, "th")), total.year);
        let cells: Vec<String> = all(row, "td").iter().map(text).collect();
        assert_eq!(
            cells,
            [
                total.budget.display_pounds(),
                people(total.people),
                total.per_person.unwrap().display_pounds(),
            ]
        );
        assert!(
            all(row, "td")
                .iter()
                .all(|td| td.class_list().contains("num")),
            "numbers are right-aligned"
        );
    }
    let description = text(&one(&root, "#chart-budget-years .chart-description"));
    assert!(description.contains(&results.totals[0].budget.display_pounds()));
    assert!(description.contains(&results.totals[4].budget.display_pounds()));

    // The outcome chart states the total earned of the amount at risk.
    let outcomes = text(&one(&root, "#chart-outcomes .chart-description"));
    assert!(outcomes.contains(&payment.total_earned.display_pounds()));
    assert!(outcomes.contains(&payment.at_risk.display_pounds()));
    root.remove();
}

/// Mount one chart component on its own (no store needed), for scenarios other than the default.
async fn render<C>(props: C::Properties) -> Element
where
    C: yew::BaseComponent,
{
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    next_render().await;
    open_details(&root).await;
    root
}

fn results_of(name: &str) -> std::rc::Rc<onebudget::engine::scenario::Results> {
    let scenario = examples::find(name).unwrap().scenario().unwrap();
    std::rc::Rc::new(scenario.compute().unwrap())
}

#[wasm_bindgen_test]
async fn several_places_are_stacked_with_a_legend_and_a_column_each() {
    use onebudget::ui::charts::{BudgetOverYears, FairSharesChart, ResultsProps};
    let results = results_of("healthier-together");
    let places = results.places.len();
    let root = render::<BudgetOverYears>(ResultsProps {
        results: results.clone(),
    })
    .await;
    assert_eq!(all(&root, ".chart-legend li").len(), places);
    let rows = all(&root, "table tbody tr");
    assert_eq!(rows.len(), results.totals.len());
    for (t, row) in rows.iter().enumerate() {
        let cells: Vec<String> = all(row, "td").iter().map(text).collect();
        assert_eq!(cells.len(), 3 + places);
        for (p, place) in results.places.iter().enumerate() {
            assert_eq!(cells[3 + p], place.budget.years[t].budget.display_pounds());
        }
    }
    root.remove();

    let root = render::<FairSharesChart>(ResultsProps {
        results: results.clone(),
    })
    .await;
    let fair = results.fair_shares.as_ref().unwrap();
    let rows = all(&root, "table tbody tr");
    assert_eq!(rows.len(), places * fair.years.len());
    // Place by place, year by year: the first row is the first place's first year.
    let first = &fair.years[0].places[0];
    let cells: Vec<String> = all(&rows[0], "td").iter().map(text).collect();
    assert_eq!(text(&one(&rows[0], "th")), first.place);
    assert_eq!(cells[1], first.allocation.display_pounds());
    assert_eq!(cells[2], first.target.display_pounds());
    assert!(one(&root, "svg[role=img] title").text_content().is_some());
    root.remove();
}

#[wasm_bindgen_test]
async fn a_pooled_budget_shows_each_contribution() {
    use onebudget::ui::charts::{PooledBudgetChart, ResultsProps};
    let results = results_of("isle-of-wight");
    let pool = results.pooled_budget.as_ref().unwrap();
    let root = render::<PooledBudgetChart>(ResultsProps {
        results: results.clone(),
    })
    .await;
    let rows = all(&root, "table tbody tr");
    assert_eq!(rows.len(), pool.contributions.len());
    for (row, c) in rows.iter().zip(&pool.contributions) {
        assert_eq!(text(&one(row, "th")), c.organisation);
        assert_eq!(text(&all(row, "td")[1]), c.amount.display_pounds());
    }
    assert!(text(&one(&root, ".chart-description")).contains(&pool.pot.display_pounds()));
    root.remove();
}

#[wasm_bindgen_test]
async fn the_corridor_reaches_an_outturn_far_from_budget_and_a_minimum_rate() {
    use onebudget::engine::risk_share::MinimumRate;
    use onebudget::ui::charts::{RiskShareCorridor, ScenarioProps};
    let mut scenario = examples::default_scenario();
    let agreement = scenario.risk_share.as_mut().unwrap();
    // 25 % under budget, beyond the usual ±10 %, with nothing shared below 3 %.
    agreement.outturn = agreement.budget.mul_rate(0.75).unwrap();
    agreement.minimum_rate = Some(MinimumRate::Fixed(0.03));
    let expected = agreement.compute().unwrap();
    let root = render::<RiskShareCorridor>(ScenarioProps {
        scenario: std::rc::Rc::new(
            onebudget::engine::scenario::ValidScenario::new(scenario.clone()).unwrap(),
        ),
    })
    .await;
    let rows = all(&root, "table tbody tr");
    assert_eq!(
        rows.len(),
        12,
        "every 2 % from −10 % to +10 %, and the actual"
    );
    assert!(
        text(&rows[0]).contains("(actual)"),
        "the actual is furthest under"
    );
    let cells: Vec<String> = all(&rows[0], "td").iter().map(text).collect();
    assert_eq!(cells[2], expected.provider_total.display_pounds());
    assert_eq!(all(&root, "polyline").len(), 2);
    assert!(text(&one(&root, ".chart-description")).contains("from 25 % under"));
    root.remove();
}
