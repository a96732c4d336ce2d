//! Every rule a scenario keeps, checked in one pass: each problem with its field path, the
//! value found and what is allowed. Ranges come from the registry of inputs
//! ([`crate::inputs`]); names follow one rule ([`crate::names`]). Each part of the scenario
//! (budget, fair shares, contracts, the pool) states its own rules in its module; this pass
//! calls them all, once, under their paths. A scenario with no problem computes: the
//! calculations never check again.

use super::{financial_year, Scenario, MAX_PLACES, SCHEMA_VERSION};
use crate::validation::{count_pass, Problem, Problems};
use crate::working::people;
use crate::{capitation, fair_shares, inputs, names, population};

impl Scenario {
    /// Every problem with the scenario, each with its field path. Empty when it is valid.
    pub fn problems(&self) -> Vec<Problem> {
        count_pass();
        let mut out = Problems::new();
        if self.schema_version != SCHEMA_VERSION {
            out.push(
                "schema_version",
                self.schema_version,
                format!(
                    "must be {SCHEMA_VERSION} once read (older versions are migrated on reading)"
                ),
            );
        }
        out.name("name", &self.name);
        out.plain_text("description", &self.description, true);
        out.number(
            &inputs::FIRST_YEAR,
            "first_year",
            f64::from(self.first_year),
        );
        population::age_band_problems(&self.age_bands, "age_bands", &mut out);
        if self.places.is_empty() {
            out.push("places", "none", "give at least one place");
        }
        if self.places.len() > MAX_PLACES {
            out.push(
                "places",
                self.places.len(),
                format!("at most {MAX_PLACES} places"),
            );
        }
        let repeats = names::repeats(self.places.iter().map(|p| p.name.as_str()));
        for (i, place) in self.places.iter().enumerate() {
            let path = format!("places[{i}]");
            let name = format!("{path}.name");
            out.name(&name, &place.name);
            out.repeat(
                &name,
                &place.name,
                repeats[i],
                "each place needs a different name",
            );
            if place.population.len() != self.age_bands.len() {
                out.push(
                    format!("{path}.population"),
                    format!("{} bands", place.population.len()),
                    format!(
                        "must give one entry for each of the {} age bands",
                        self.age_bands.len()
                    ),
                );
            }
            for (b, band) in place.population.iter().enumerate() {
                band.problems(&format!("{path}.population[{b}]"), &mut out);
            }
            if !place.population.is_empty() && population::headcount(&place.population) == 0 {
                out.push(
                    format!("{path}.population"),
                    0,
                    "a place needs at least one person",
                );
            }
            place.factors().problems(&path, &mut out);
            if let Some(baseline) = place.baseline {
                out.whole(
                    &inputs::BASELINE,
                    format!("{path}.baseline"),
                    baseline.pence().into(),
                );
            }
        }
        self.budget.problems("budget", &mut out);
        if let Some(policy) = &self.fair_shares {
            policy.envelope.problems("fair_shares.envelope", &mut out);
            policy
                .pace_of_change
                .problems("fair_shares.pace_of_change", &mut out);
            self.fair_shares_population_problems(&mut out);
            for (i, place) in self.places.iter().enumerate() {
                if place.baseline.is_none() {
                    out.push(
                        format!("places[{i}].baseline"),
                        "missing",
                        "sharing an envelope (fair_shares) needs every place's baseline, in pence",
                    );
                }
            }
        }
        if let Some(pool) = &self.pooled_budget {
            pool.problems("pooled_budget", &mut out);
        }
        if let Some(contract) = &self.outcome_contract {
            contract.problems("outcome_contract", &mut out);
        }
        if let Some(agreement) = &self.risk_share {
            agreement.problems("risk_share", &mut out);
        }
        if let Some(contract) = &self.lead_contract {
            contract.problems("lead_contract", &mut out);
        }
        if let Some(pool) = &self.pool {
            pool.problems("pool", &mut out);
        }
        out.into_vec()
    }

    /// Fair shares divide by weighted population, so every place needs between 1 and
    /// `fair_shares::MAX_PEOPLE` weighted (and raw) people in every year of the horizon.
    /// Checked here, on the place's population, so a valid scenario always computes.
    fn fair_shares_population_problems(&self, out: &mut Problems) {
        let years = self.horizon().clamp(1, population::MAX_YEARS);
        for (i, place) in self.places.iter().enumerate() {
            if place.population.len() != self.age_bands.len() {
                continue; // already reported
            }
            for t in 0..years {
                let by_band: Vec<f64> = place.population.iter().map(|b| b.projected(t)).collect();
                let raw: f64 = by_band.iter().sum();
                let weighted =
                    capitation::weighted_population(&by_band, &self.age_bands, &place.factors());
                let in_range =
                    |x: f64| x.is_finite() && (1.0..=fair_shares::MAX_PEOPLE).contains(&x);
                if !in_range(weighted) || !in_range(raw) {
                    out.push(
                        format!("places[{i}].population"),
                        format!(
                            "{} people, {} weighted, in {}",
                            people(raw),
                            people(weighted),
                            financial_year(self.first_year, t)
                        ),
                        "sharing an envelope (fair_shares) needs each place to have from 1 to \
                         10,000,000,000 people, weighted and unweighted, in every year",
                    );
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::examples;
    use crate::scenario::decode_value;
    use serde_json::Value;

    /// Every list whose items are told apart by name, and the field that names them.
    const NAMED_LISTS: &[(&str, &str)] = &[
        ("/age_bands", "label"),
        ("/places", "name"),
        ("/budget/service_lines", "name"),
        ("/pooled_budget/contributions", "organisation"),
        ("/pooled_budget/spending", "name"),
        ("/outcome_contract/metrics", "name"),
        ("/outcome_contract/bonus_pool/members", "name"),
        ("/lead_contract/commissioners", "name"),
        ("/pool/members", "name"),
    ];

    #[test]
    fn every_named_list_keeps_the_one_rule_for_names() {
        let mut checked = 0;
        for example in examples::ALL {
            let original: Value = serde_json::from_str(example.json).unwrap();
            for (list, field) in NAMED_LISTS {
                let Some(first) = original
                    .pointer(&format!("{list}/0/{field}"))
                    .and_then(Value::as_str)
                else {
                    continue;
                };
                if original.pointer(&format!("{list}/1")).is_none() {
                    continue;
                }
                // The first name again, in capitals, with a zero-width space inside.
                let mut twin: String = crate::names::key(first).to_uppercase();
                twin.insert(1, '\u{200B}');
                let mut v = original.clone();
                *v.pointer_mut(&format!("{list}/1/{field}")).unwrap() = Value::from(twin);
                if *list == "/lead_contract/commissioners" {
                    // The lead names a commissioner: keep it naming one.
                    v["lead_contract"]["lead"] = Value::from(first);
                }
                let problems = decode_value(v).unwrap_err();
                let path = format!("{}[1].{field}", &list[1..].replace('/', "."));
                assert!(
                    problems
                        .iter()
                        .any(|p| p.path == path
                            && p.allowed == crate::validation::Allowed::Different),
                    "{}: {path}: {problems:?}",
                    example.name
                );
                checked += 1;
            }
        }
        assert!(checked >= 8, "only {checked} lists checked");
    }

    #[test]
    fn a_name_that_would_turn_text_around_is_refused_beside_its_field() {
        let mut v: Value = serde_json::from_str(examples::find("anytown").unwrap().json).unwrap();
        v["places"][0]["name"] = Value::from("Anytown\u{202E}");
        v["name"] = Value::from("Line\nbreak");
        v["description"] = Value::from("Two\nlines are fine");
        let problems = decode_value(v).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["name", "places[0].name"]);
        assert_eq!(problems[1].value, "Anytown<U+202E>");
        assert!(problems[1].message.contains("direction of text"));
    }
}
