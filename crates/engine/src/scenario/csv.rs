//! A scenario's results as one long table, for spreadsheets, safe to open in one; and the
//! CSV writer ([`csv_line`]) every table for spreadsheets uses.

use super::Results;

/// The results as one long table, for spreadsheets: one row per figure.
/// Columns: table, item, year, measure, value, unit (`pence`, `people`, `fraction`).
pub fn results_csv(results: &Results) -> String {
    let mut rows: Vec<[String; 6]> = Vec::new();
    let mut row =
        |table: &str, item: &str, year: &str, measure: &str, value: String, unit: &str| {
            rows.push([
                table.to_string(),
                item.to_string(),
                year.to_string(),
                measure.to_string(),
                value,
                unit.to_string(),
            ]);
        };
    for total in &results.totals {
        row(
            "total",
            "all places",
            &total.year,
            "budget",
            total.budget.pence().to_string(),
            "pence",
        );
        row(
            "total",
            "all places",
            &total.year,
            "people",
            format!("{:.3}", total.people),
            "people",
        );
        if let Some(pp) = total.per_person {
            row(
                "total",
                "all places",
                &total.year,
                "budget_per_person",
                pp.pence().to_string(),
                "pence",
            );
        }
    }
    for place in &results.places {
        for (t, y) in place.budget.years.iter().enumerate() {
            let year = results.years.get(t).cloned().unwrap_or_default();
            row(
                "budget",
                &place.name,
                &year,
                "people",
                format!("{:.3}", y.people),
                "people",
            );
            row(
                "budget",
                &place.name,
                &year,
                "weighted_population",
                format!("{:.3}", y.weighted_population),
                "people",
            );
            row(
                "budget",
                &place.name,
                &year,
                "rate_per_weighted_head",
                y.rate_per_weighted_head.pence().to_string(),
                "pence",
            );
            row(
                "budget",
                &place.name,
                &year,
                "budget",
                y.budget.pence().to_string(),
                "pence",
            );
            if let Some(pp) = y.budget_per_person {
                row(
                    "budget",
                    &place.name,
                    &year,
                    "budget_per_person",
                    pp.pence().to_string(),
                    "pence",
                );
            }
            if let Some(change) = &y.change {
                row(
                    "budget",
                    &place.name,
                    &year,
                    "change_demographic",
                    change.demographic.pence().to_string(),
                    "pence",
                );
                row(
                    "budget",
                    &place.name,
                    &year,
                    "change_uplift",
                    change.uplift.pence().to_string(),
                    "pence",
                );
                row(
                    "budget",
                    &place.name,
                    &year,
                    "change_efficiency",
                    change.efficiency.pence().to_string(),
                    "pence",
                );
            }
            for line in &y.service_lines {
                row(
                    "service_line",
                    &format!("{} / {}", place.name, line.name),
                    &year,
                    "budget",
                    line.amount.pence().to_string(),
                    "pence",
                );
            }
        }
    }
    if let Some(fs) = &results.fair_shares {
        for (t, year) in fs.years.iter().enumerate() {
            let label = results.years.get(t).cloned().unwrap_or_default();
            row(
                "fair_shares",
                "envelope",
                &label,
                "envelope",
                year.envelope.pence().to_string(),
                "pence",
            );
            for p in &year.places {
                row(
                    "fair_shares",
                    &p.place,
                    &label,
                    "target",
                    p.target.pence().to_string(),
                    "pence",
                );
                row(
                    "fair_shares",
                    &p.place,
                    &label,
                    "allocation",
                    p.allocation.pence().to_string(),
                    "pence",
                );
                row(
                    "fair_shares",
                    &p.place,
                    &label,
                    "distance_from_target_before",
                    p.distance_before.to_string(),
                    "fraction",
                );
                row(
                    "fair_shares",
                    &p.place,
                    &label,
                    "distance_from_target_after",
                    p.distance_after.to_string(),
                    "fraction",
                );
            }
        }
    }
    if let Some(pool) = &results.pooled_budget {
        for c in &pool.contributions {
            row(
                "pooled_budget",
                &c.organisation,
                "",
                "contribution",
                c.amount.pence().to_string(),
                "pence",
            );
        }
        for line in &pool.spending {
            row(
                "pooled_budget",
                &line.name,
                "",
                "spending",
                line.amount.pence().to_string(),
                "pence",
            );
            for f in &line.funded_by {
                row(
                    "pooled_budget",
                    &format!("{} / {}", line.name, f.organisation),
                    "",
                    "funded_by",
                    f.amount.pence().to_string(),
                    "pence",
                );
            }
        }
    }
    if let Some(pay) = &results.outcome_payment {
        row(
            "outcome_payment",
            "contract",
            "",
            "at_risk",
            pay.at_risk.pence().to_string(),
            "pence",
        );
        for m in &pay.metrics {
            row(
                "outcome_payment",
                &m.name,
                "",
                "earned_share",
                m.earned_share.to_string(),
                "fraction",
            );
            row(
                "outcome_payment",
                &m.name,
                "",
                "available",
                m.available.pence().to_string(),
                "pence",
            );
            row(
                "outcome_payment",
                &m.name,
                "",
                "earned",
                m.earned.pence().to_string(),
                "pence",
            );
        }
        row(
            "outcome_payment",
            "contract",
            "",
            "earned",
            pay.total_earned.pence().to_string(),
            "pence",
        );
        row(
            "outcome_payment",
            "contract",
            "",
            "forgone",
            pay.total_forgone.pence().to_string(),
            "pence",
        );
        if let Some(bonus) = &pay.bonus {
            for m in &bonus.members {
                row(
                    "bonus_pool",
                    &m.name,
                    "",
                    "share",
                    m.share.pence().to_string(),
                    "pence",
                );
            }
        }
    }
    if let Some(risk) = &results.risk_share {
        row(
            "risk_share",
            "agreement",
            "",
            "variance",
            risk.variance.pence().to_string(),
            "pence",
        );
        for band in &risk.bands {
            row(
                "risk_share",
                &band.label,
                "",
                "provider",
                band.provider_part.pence().to_string(),
                "pence",
            );
            row(
                "risk_share",
                &band.label,
                "",
                "commissioner",
                band.commissioner_part.pence().to_string(),
                "pence",
            );
        }
        row(
            "risk_share",
            "agreement",
            "",
            "provider_total",
            risk.provider_total.pence().to_string(),
            "pence",
        );
        row(
            "risk_share",
            "agreement",
            "",
            "commissioner_total",
            risk.commissioner_total.pence().to_string(),
            "pence",
        );
    }
    if let Some(lead) = &results.lead_contract {
        for c in &lead.shares {
            row(
                "lead_contract",
                &c.name,
                "",
                "share",
                c.share.pence().to_string(),
                "pence",
            );
        }
    }
    if let Some(pooling) = &results.pooling {
        let members = pooling.members.iter().flat_map(|m| {
            [
                (m.name.as_str(), "standalone", &m.standalone),
                (m.name.as_str(), "pooled", &m.pooled),
            ]
        });
        let whole = ("the pool as a whole", "pooled", &pooling.pool.figures);
        for (name, setting, f) in members.chain(std::iter::once(whole)) {
            let figures = [
                (
                    "probability_over_threshold",
                    f.probability_over_threshold.value.to_string(),
                    "fraction",
                ),
                (
                    "spread_5_to_95",
                    f.spread.share_of_expected_cost.to_string(),
                    "fraction",
                ),
                (
                    "expected_shortfall",
                    f.expected_shortfall.amount.pence().to_string(),
                    "pence",
                ),
            ];
            for (what, value, unit) in figures {
                row(
                    "pooling",
                    name,
                    "",
                    &format!("{setting}_{what}"),
                    value,
                    unit,
                );
            }
        }
    }
    let mut out = csv_line(&["table", "item", "year", "measure", "value", "unit"]);
    for r in rows {
        out.push_str(&csv_line(&r));
    }
    out
}

/// One line of CSV, ending in a line break: every cell through [`csv_cell`]. The one CSV
/// writer for results, comparisons and anything else written for spreadsheets.
pub fn csv_line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&csv_cell(cell.as_ref()));
    }
    line.push('\n');
    line
}

/// Quote a CSV cell when it needs it (RFC 4180), and defuse spreadsheet formulas.
pub fn csv_cell(cell: &str) -> String {
    // A cell starting with = + - @ would run as a formula in a spreadsheet; numbers are safe.
    let risky = cell.starts_with(['=', '+', '@', '\t', '\r'])
        || (cell.starts_with('-') && cell.parse::<f64>().is_err());
    let cell = if risky {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;
    use serde_json::Value;

    /// Every text in a scenario, by its JSON pointer.
    fn texts(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::String(_) => out.push(at),
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    texts(v, format!("{at}/{i}"), out);
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    texts(v, format!("{at}/{k}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn no_control_or_direction_character_reaches_a_csv() {
        // A NUL, an escape or a right-to-left override typed into any text of any built-in
        // scenario is refused at the door, or, if the text is not a name, never written.
        for example in examples::ALL {
            let value: Value = serde_json::from_str(example.json).unwrap();
            let mut paths = Vec::new();
            texts(&value, String::new(), &mut paths);
            assert!(!paths.is_empty());
            for path in &paths {
                for bad in ['\u{0}', '\u{1b}', '\u{202E}'] {
                    let mut turned = value.clone();
                    let text = turned.pointer_mut(path).unwrap();
                    *text = Value::from(format!("A{bad}B"));
                    let Ok(scenario) = crate::scenario::decode_value(turned) else {
                        continue;
                    };
                    let Ok(results) = scenario.compute() else {
                        continue;
                    };
                    let csv = results_csv(&results);
                    assert!(!csv.contains(bad), "{} {path}: {bad:?}", example.name);
                }
            }
        }
    }

    #[test]
    fn csv_has_one_row_per_figure_and_is_safe_in_spreadsheets() {
        let results = examples::find("cquin")
            .unwrap()
            .scenario()
            .unwrap()
            .compute()
            .unwrap();
        let csv = results_csv(&results);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("table,item,year,measure,value,unit"));
        assert!(csv.contains("outcome_payment,contract,,earned,200000000,pence"));
        assert!(csv.lines().all(|l| l.split(',').count() >= 6));
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("-12"), "-12");
        assert_eq!(csv_cell("-cmd"), "'-cmd");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
