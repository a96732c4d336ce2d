//! The built-in scenarios, compiled in. Figures are illustrative (see each description
//! and DOMAIN.md for sources); tests check every one decodes, validates and computes.

use crate::scenario::{decode, Scenario, ValidScenario};

/// A built-in scenario: its short name (for the CLI and links), title and JSON.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    pub name: &'static str,
    pub title: &'static str,
    pub json: &'static str,
}

/// The app opens on this one.
pub const DEFAULT: &str = "anytown";

/// The default on its own, so a program that needs only it (the app's public build)
/// carries only its JSON, not every built-in's (docs/SIZE.md).
pub const DEFAULT_EXAMPLE: Example = Example {
    name: DEFAULT,
    title: "Anytown: one place, one budget (the app's default)",
    json: include_str!("examples/anytown.json"),
};

/// Every built-in, the default first (the app's Compare view relies on that).
pub const ALL: &[Example] = &[
    DEFAULT_EXAMPLE,
    Example {
        name: "healthier-together",
        title: "Healthier Together: five CCGs sharing an envelope, with lead commissioning",
        json: include_str!("examples/healthier_together.json"),
    },
    Example {
        name: "isle-of-wight",
        title: "Isle of Wight: one island £, a pooled NHS and council budget",
        json: include_str!("examples/isle_of_wight.json"),
    },
    Example {
        name: "cquin",
        title: "CQUIN-style outcome contract with a bonus pool and a risk-share corridor",
        json: include_str!("examples/cquin.json"),
    },
];

/// Look a built-in scenario up by its short name.
pub fn find(name: &str) -> Option<&'static Example> {
    ALL.iter().find(|e| e.name == name)
}

impl Example {
    /// The scenario itself. Built-ins are checked by tests, so a failure here is a bug
    /// in the shipped JSON; it is still reported rather than panicking.
    pub fn scenario(&self) -> Result<ValidScenario, Vec<crate::validation::Problem>> {
        decode(self.json)
    }
}

/// The app's default scenario.
pub fn default_scenario() -> Scenario {
    // Unreachable while the built-in tests pass; a minimal valid scenario otherwise.
    DEFAULT_EXAMPLE
        .scenario()
        .map(ValidScenario::into_scenario)
        .unwrap_or_else(|_| fallback())
}

/// A minimal valid scenario built in code: what the app opens on if the default's JSON
/// could not be read (a bug the tests would catch).
pub fn fallback() -> Scenario {
    use crate::budget::{CapitatedBudget, ServiceLine};
    use crate::money::Pence;
    use crate::population::{AgeBand, BandPopulation};
    use crate::scenario::{Place, SCHEMA_VERSION};
    Scenario {
        schema_version: SCHEMA_VERSION,
        name: "Anytown".into(),
        description: String::new(),
        illustrative: true,
        first_year: 2025,
        age_bands: vec![AgeBand {
            label: "All ages".into(),
            cost_weight: 1.0,
        }],
        places: vec![Place {
            name: "Anytown".into(),
            population: vec![BandPopulation::new(100_000, 0.0)],
            need_index: 1.0,
            market_forces_factor: 1.0,
            baseline: None,
        }],
        budget: CapitatedBudget {
            rate_per_weighted_head: Pence(173_200),
            years: 1,
            uplift: 0.0,
            efficiency: 0.0,
            service_lines: vec![ServiceLine::new("All services", 1.0)],
        },
        fair_shares: None,
        pooled_budget: None,
        outcome_contract: None,
        risk_share: None,
        lead_contract: None,
        pool: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_decodes_validates_and_computes() {
        for example in ALL {
            let scenario = example
                .scenario()
                .unwrap_or_else(|p| panic!("{}: {p:?}", example.name));
            let results = scenario
                .compute()
                .unwrap_or_else(|e| panic!("{}: {e}", example.name));
            assert!(
                scenario.illustrative,
                "{} is labelled illustrative",
                example.name
            );
            assert!(!results.headlines.is_empty(), "{}", example.name);
            // Round trip: what we write, we read back identically.
            assert_eq!(
                decode(&scenario.to_json()).as_ref(),
                Ok(&scenario),
                "{}",
                example.name
            );
        }
        assert_eq!(
            default_scenario().name,
            find(DEFAULT).unwrap().scenario().unwrap().name
        );
        assert!(fallback().problems().is_empty());
        // The default comes first and is not alone: the Compare view's first pick is ALL[1].
        assert_eq!(ALL[0].name, DEFAULT);
        assert!(ALL.len() > 1 && ALL[1].name != DEFAULT);
    }

    #[test]
    fn built_ins_use_what_they_claim() {
        let ht = find("healthier-together").unwrap().scenario().unwrap();
        assert_eq!(ht.places.len(), 5);
        assert!(ht.fair_shares.is_some() && ht.lead_contract.is_some());
        let iow = find("isle-of-wight").unwrap().scenario().unwrap();
        assert!(iow.pooled_budget.is_some());
        let cquin = find("cquin")
            .unwrap()
            .scenario()
            .unwrap()
            .compute()
            .unwrap();
        // DOMAIN.md: £200m contract, 1.25 % at risk → £2.5m; 4 of 5 met → £2.0m.
        let pay = cquin.outcome_payment.unwrap();
        assert_eq!(pay.at_risk.pence(), 250_000_000);
        assert_eq!(pay.total_earned.pence(), 200_000_000);
    }
}
