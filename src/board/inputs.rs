//! The scenario's inputs as a plain listing, part by part: the board pack's appendix.
//!
//! Walks the typed [`Scenario`], so each value is written as what it is (money in pounds
//! and pence, rates as percentages, people as whole numbers), each named by its label in
//! the engine's registry of inputs (the editor's words). Lists of things (places,
//! metrics, members) become tables.

use onebudget_engine::budget::Sector;
use onebudget_engine::inputs;
use onebudget_engine::lead_commissioning::ApportionmentBasis;
use onebudget_engine::money::Pence;
use onebudget_engine::outcomes::{Direction, PaymentCurve};
use onebudget_engine::pooling::ContributionBasis;
use onebudget_engine::risk_share::{Corridor, MinimumRate};
use onebudget_engine::scenario::{financial_year, Scenario};
use onebudget_engine::working::{people, percent};

/// One part of the scenario: named values, then tables.
#[derive(Clone, Debug, PartialEq)]
pub struct InputPart {
    pub title: String,
    pub values: Vec<(String, String)>,
    pub tables: Vec<InputTable>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InputTable {
    pub caption: String,
    /// The first column names each row.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl InputPart {
    fn new(title: &str) -> Self {
        InputPart {
            title: title.into(),
            values: Vec::new(),
            tables: Vec::new(),
        }
    }
    fn value(mut self, name: &str, value: impl Into<String>) -> Self {
        self.values.push((name.into(), value.into()));
        self
    }
    fn table(
        mut self,
        caption: impl Into<String>,
        columns: &[&str],
        rows: Vec<Vec<String>>,
    ) -> Self {
        self.tables.push(InputTable {
            caption: caption.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows,
        });
        self
    }
}

fn money(p: Pence) -> String {
    p.display()
}

fn rate(r: f64) -> String {
    percent(r, 2)
}

fn number(x: f64) -> String {
    // Indices and weights: as typed, without float noise.
    let text = format!("{x:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

fn whole(n: u64) -> String {
    people(n as f64)
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

fn sector(s: Sector) -> String {
    s.label().to_string()
}

fn corridors(list: &[Corridor]) -> Vec<Vec<String>> {
    list.iter()
        .map(|c| {
            vec![
                format!(
                    "{} to {}",
                    rate(c.from),
                    c.to.map(rate).unwrap_or_else(|| "no limit".into())
                ),
                rate(c.provider_share),
                rate(c.commissioner_share()),
            ]
        })
        .collect()
}

/// Every input of the scenario, in the order the editor shows them.
pub fn listing(s: &Scenario) -> Vec<InputPart> {
    let mut parts = Vec::new();
    let horizon = s.horizon();
    let last = horizon.saturating_sub(1);
    parts.push(
        InputPart::new("The scenario")
            .value(inputs::NAME.label, s.name.clone())
            .value(
                inputs::DESCRIPTION.label,
                if s.description.is_empty() {
                    "none".to_string()
                } else {
                    s.description.clone()
                },
            )
            .value(inputs::ILLUSTRATIVE.label, yes_no(s.illustrative))
            .value(
                inputs::YEARS.label,
                format!(
                    "{} ({} to {})",
                    horizon,
                    financial_year(s.first_year, 0),
                    financial_year(s.first_year, last)
                ),
            )
            .value(inputs::SCHEMA_VERSION.label, s.schema_version.to_string()),
    );

    let band_rows = s
        .age_bands
        .iter()
        .map(|b| vec![b.label.clone(), number(b.cost_weight)])
        .collect();
    let mut place_columns = vec![
        inputs::PLACE_NAME.label,
        inputs::NEED_INDEX.label,
        inputs::MARKET_FORCES_FACTOR.label,
        inputs::PEOPLE.label,
    ];
    let with_baseline = s.places.iter().any(|p| p.baseline.is_some());
    if with_baseline {
        place_columns.push(inputs::BASELINE.label);
    }
    let place_rows = s
        .places
        .iter()
        .map(|p| {
            let mut row = vec![
                p.name.clone(),
                number(p.need_index),
                number(p.market_forces_factor),
                whole(p.population.iter().map(|b| b.people).sum()),
            ];
            if with_baseline {
                row.push(p.baseline.map(money).unwrap_or_else(|| "none".into()));
            }
            row
        })
        .collect();
    // Population: one row per age band, a column per place ("people, growth a year").
    let mut population_columns = vec![inputs::BAND_LABEL.label.to_string()];
    population_columns.extend(s.places.iter().map(|p| p.name.clone()));
    let population_rows = s
        .age_bands
        .iter()
        .enumerate()
        .map(|(i, band)| {
            let mut row = vec![band.label.clone()];
            row.extend(s.places.iter().map(|p| {
                p.population
                    .get(i)
                    .map(|b| format!("{} ({} a year)", whole(b.people), percent(b.growth, 1)))
                    .unwrap_or_else(|| "none".into())
            }));
            row
        })
        .collect();
    let mut places = InputPart::new("Places and people")
        .table(
            "Age bands and their cost weights",
            &[inputs::BAND_LABEL.label, inputs::COST_WEIGHT.label],
            band_rows,
        )
        .table("Places", &place_columns, place_rows);
    places.tables.push(InputTable {
        caption: "People in each age band, and growth a year".into(),
        columns: population_columns,
        rows: population_rows,
    });
    parts.push(places);

    let b = &s.budget;
    parts.push(
        InputPart::new("The capitated budget")
            .value(inputs::RATE.label, money(b.rate_per_weighted_head))
            .value(inputs::YEARS.label, b.years.to_string())
            .value(inputs::UPLIFT.label, rate(b.uplift))
            .value(inputs::EFFICIENCY.label, rate(b.efficiency))
            .table(
                "Service lines",
                &[inputs::LINE_NAME.label, inputs::LINE_SHARE.label],
                b.service_lines
                    .iter()
                    .map(|l| vec![l.name.clone(), rate(l.share)])
                    .collect(),
            ),
    );

    if let Some(f) = &s.fair_shares {
        parts.push(
            InputPart::new("Fair shares")
                .value(inputs::ENVELOPE.label, money(f.envelope.first_year_total))
                .value(
                    inputs::ENVELOPE_GROWTH.label,
                    rate(f.envelope.annual_growth),
                )
                .value(
                    inputs::FLOOR_UPLIFT.label,
                    rate(f.pace_of_change.floor_uplift),
                )
                .value(
                    inputs::GAP_CLOSURE.label,
                    rate(f.pace_of_change.gap_closure),
                )
                .value(
                    inputs::OVER_TARGET_CAP.label,
                    f.pace_of_change
                        .over_target_cap
                        .map(rate)
                        .unwrap_or_else(|| "none".into()),
                ),
        );
    }

    if let Some(p) = &s.pooled_budget {
        parts.push(
            InputPart::new("Pooled budget")
                .value(inputs::POOLED_NAME.label, p.name.clone())
                .table(
                    "Contributions",
                    &[
                        inputs::ORGANISATION.label,
                        inputs::SECTOR.label,
                        inputs::CONTRIBUTION.label,
                    ],
                    p.contributions
                        .iter()
                        .map(|c| vec![c.organisation.clone(), sector(c.sector), money(c.amount)])
                        .collect(),
                )
                .table(
                    "Spending",
                    &[inputs::SPENT_ON.label, inputs::SPENDING_SHARE.label],
                    p.spending
                        .iter()
                        .map(|l| vec![l.name.clone(), rate(l.share)])
                        .collect(),
                ),
        );
    }

    if let Some(o) = &s.outcome_contract {
        let mut part = InputPart::new("Outcome-linked payment")
            .value(inputs::OUTCOME_PROVIDER.label, o.provider.clone())
            .value(inputs::CONTRACT_VALUE.label, money(o.contract_value))
            .value(inputs::SHARE_AT_RISK.label, rate(o.share_at_risk))
            .table(
                "Outcome metrics",
                &[
                    inputs::METRIC_NAME.label,
                    inputs::WEIGHT.label,
                    inputs::DIRECTION.label,
                    inputs::METRIC_BASELINE.label,
                    inputs::THRESHOLD.label,
                    inputs::TARGET.label,
                    inputs::ACHIEVED.label,
                    inputs::CURVE.label,
                ],
                o.metrics
                    .iter()
                    .map(|m| {
                        vec![
                            m.name.clone(),
                            rate(m.weight),
                            match m.direction {
                                Direction::HigherIsBetter => "higher",
                                Direction::LowerIsBetter => "lower",
                            }
                            .into(),
                            number(m.baseline),
                            number(m.threshold),
                            number(m.target),
                            number(m.achieved),
                            match &m.curve {
                                PaymentCurve::Linear => "linear".into(),
                                PaymentCurve::AllOrNothing => "all or nothing".into(),
                                PaymentCurve::Tiered { tiers } => format!(
                                    "tiered: {}",
                                    tiers
                                        .iter()
                                        .map(|t| format!("{} at {}", rate(t.share), rate(t.at)))
                                        .collect::<Vec<_>>()
                                        .join("; ")
                                ),
                            },
                        ]
                    })
                    .collect(),
            );
        if let Some(pool) = &o.bonus_pool {
            part = part.value(inputs::BONUS.label, money(pool.amount)).table(
                format!("Bonus pool members (contribution by {})", pool.basis_name),
                &[inputs::BONUS_MEMBER.label, inputs::BONUS_CONTRIBUTION.label],
                pool.members
                    .iter()
                    .map(|m| vec![m.name.clone(), number(m.contribution)])
                    .collect(),
            );
        }
        parts.push(part);
    }

    if let Some(r) = &s.risk_share {
        let share_columns = [
            "Variance, as a share of the budget",
            inputs::LOSS_SHARE.label,
            "Commissioner's share",
        ];
        parts.push(
            InputPart::new("Risk share")
                .value(inputs::RISK_BUDGET.label, money(r.budget))
                .value(inputs::OUTTURN.label, money(r.outturn))
                .value(
                    inputs::PROVIDER_CAP.label,
                    r.provider_cap.map(money).unwrap_or_else(|| "none".into()),
                )
                .value(
                    inputs::COMMISSIONER_CAP.label,
                    r.commissioner_cap
                        .map(money)
                        .unwrap_or_else(|| "none".into()),
                )
                .value(
                    inputs::MINIMUM_RATE.label,
                    match &r.minimum_rate {
                        None => "none".into(),
                        Some(MinimumRate::Fixed(x)) => rate(*x),
                        Some(MinimumRate::ByPopulation { population }) => {
                            format!("by population ({} people)", whole(*population))
                        }
                    },
                )
                .value(
                    inputs::QUALITY_SCORE.label,
                    r.quality_score.map(rate).unwrap_or_else(|| "none".into()),
                )
                .table(
                    "An overspend is shared",
                    &share_columns,
                    corridors(&r.loss_corridors),
                )
                .table(
                    "An underspend is shared",
                    &share_columns,
                    corridors(&r.gain_corridors),
                ),
        );
    }

    if let Some(l) = &s.lead_contract {
        parts.push(
            InputPart::new("Lead commissioning")
                .value(inputs::LEAD_PROVIDER.label, l.provider.clone())
                .value(inputs::LEAD.label, l.lead.clone())
                .value(inputs::LEAD_VALUE.label, money(l.value))
                .value(
                    inputs::BASIS.label,
                    match l.basis {
                        ApportionmentBasis::Population => "population",
                        ApportionmentBasis::Activity => "activity",
                    },
                )
                .table(
                    "Commissioners",
                    &[
                        inputs::COMMISSIONER.label,
                        inputs::COMMISSIONER_POPULATION.label,
                        inputs::COMMISSIONER_ACTIVITY.label,
                    ],
                    l.commissioners
                        .iter()
                        .map(|c| vec![c.name.clone(), whole(c.population), whole(c.activity)])
                        .collect(),
                ),
        );
    }

    if let Some(p) = &s.pool {
        parts.push(
            InputPart::new("Risk pooling")
                .value(
                    inputs::POOL_CONTRIBUTIONS.label,
                    match p.contributions {
                        ContributionBasis::PopulationShare => "population share",
                        ContributionBasis::RiskAdjustedShare => {
                            "risk-adjusted share (expected cost)"
                        }
                    },
                )
                .value(
                    inputs::OVERSPEND_THRESHOLD.label,
                    rate(p.overspend_threshold),
                )
                .value(inputs::COMMON_SHOCK.label, rate(p.common_shock))
                .value(inputs::CORRELATION.label, number(p.correlation))
                .value(inputs::TRIALS.label, whole(u64::from(p.trials)))
                .value(inputs::SEED.label, p.seed.to_string())
                .table(
                    "Members",
                    &[
                        inputs::POOL_MEMBER.label,
                        inputs::POOL_POPULATION.label,
                        inputs::COST_PER_HEAD.label,
                        inputs::COST_VARIATION.label,
                    ],
                    p.members
                        .iter()
                        .map(|m| {
                            vec![
                                m.name.clone(),
                                whole(m.population),
                                money(m.cost_per_head),
                                number(m.cost_variation),
                            ]
                        })
                        .collect(),
                ),
        );
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use onebudget_engine::examples;

    fn part<'a>(parts: &'a [InputPart], title: &str) -> &'a InputPart {
        parts
            .iter()
            .find(|p| p.title == title)
            .unwrap_or_else(|| panic!("no part {title}"))
    }

    #[test]
    fn every_built_in_lists_a_part_for_each_section_it_has() {
        for example in examples::ALL {
            let s = example.scenario().unwrap();
            let parts = listing(&s);
            let has = |t: &str| parts.iter().any(|p| p.title == t);
            assert_eq!(
                has("Fair shares"),
                s.fair_shares.is_some(),
                "{}",
                example.name
            );
            assert_eq!(has("Pooled budget"), s.pooled_budget.is_some());
            assert_eq!(has("Outcome-linked payment"), s.outcome_contract.is_some());
            assert_eq!(has("Risk share"), s.risk_share.is_some());
            assert_eq!(has("Lead commissioning"), s.lead_contract.is_some());
            assert_eq!(has("Risk pooling"), s.pool.is_some());
            // Every table row has a cell for every column.
            for p in &parts {
                for t in &p.tables {
                    for row in &t.rows {
                        assert_eq!(row.len(), t.columns.len(), "{}: {}", p.title, t.caption);
                    }
                }
            }
        }
    }

    #[test]
    fn values_are_written_as_what_they_are() {
        let s = examples::find("anytown").unwrap().scenario().unwrap();
        let parts = listing(&s);
        let budget = part(&parts, "The capitated budget");
        assert_eq!(
            budget.values[0],
            (
                inputs::RATE.label.to_string(),
                s.budget.rate_per_weighted_head.display()
            )
        );
        assert!(budget.values[0].1.starts_with('£'));
        let people_part = part(&parts, "Places and people");
        let population = &people_part.tables[2];
        assert_eq!(population.rows.len(), s.age_bands.len());
        assert_eq!(population.columns.len(), s.places.len() + 1);
        let first = &s.places[0].population[0];
        assert_eq!(
            population.rows[0][1],
            format!(
                "{} ({} a year)",
                people(first.people as f64),
                percent(first.growth, 1)
            )
        );
        assert_eq!(number(1.05), "1.05");
        assert_eq!(number(2.0), "2");
    }
}
