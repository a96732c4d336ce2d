//! Lead commissioning: one commissioner holds a provider contract on behalf of several, and
//! the contract value is apportioned between them by population or by activity.
//!
//! Formula: shareᵢ = contract value × basisᵢ ÷ Σ basis, where the basis is each commissioner's
//! population or activity, split by largest remainder ([`money::apportion`]; equal remainders
//! go to the commissioner listed first).
//!
//! Invariants (property-tested):
//! - the shares add up to the contract value exactly, to the penny;
//! - a commissioner with more of the basis never pays less than one with less; two with the
//!   same basis differ by at most the one penny the tie-break gives the first;
//! - the lead's recharge to the others is the contract value minus the lead's own share, so
//!   the two always add up to the value.

use crate::inputs;
use crate::money::{self, MoneyError, Pence};
use crate::names;
use crate::validation::Problems;
use crate::working::{people, percent, Working};
use serde::{Deserialize, Serialize};

/// What the contract value is shared in proportion to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApportionmentBasis {
    /// Each commissioner's (registered) population.
    Population,
    /// Each commissioner's activity under the contract (spells, attendances, contacts).
    Activity,
}

impl ApportionmentBasis {
    fn word(self) -> &'static str {
        match self {
            ApportionmentBasis::Population => "population",
            ApportionmentBasis::Activity => "activity",
        }
    }
}

/// A contract held by a lead commissioner on behalf of several.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadContract {
    pub provider: String,
    /// The commissioner holding the contract: must be one of `commissioners`.
    pub lead: String,
    /// Contract value, in pence.
    pub value: Pence,
    pub basis: ApportionmentBasis,
    pub commissioners: Vec<Commissioner>,
}

/// One commissioner sharing the contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commissioner {
    pub name: String,
    /// Population (people); used when the basis is population.
    #[serde(default)]
    pub population: u64,
    /// Activity under the contract (a count); used when the basis is activity.
    #[serde(default)]
    pub activity: u64,
}

impl Commissioner {
    fn basis(&self, basis: ApportionmentBasis) -> u64 {
        match basis {
            ApportionmentBasis::Population => self.population,
            ApportionmentBasis::Activity => self.activity,
        }
    }
}

impl LeadContract {
    /// Adds every problem with the contract to `out`.
    pub fn problems(&self, path: &str, out: &mut Problems) {
        out.name(&format!("{path}.provider"), &self.provider);
        out.name(&format!("{path}.lead"), &self.lead);
        out.whole(
            &inputs::LEAD_VALUE,
            format!("{path}.value"),
            self.value.pence().into(),
        );
        if self.commissioners.is_empty() {
            out.push(
                format!("{path}.commissioners"),
                "none",
                "give at least one commissioner",
            );
            return;
        }
        let repeats = names::repeats(self.commissioners.iter().map(|c| c.name.as_str()));
        for (i, c) in self.commissioners.iter().enumerate() {
            let name_path = format!("{path}.commissioners[{i}].name");
            out.name(&name_path, &c.name);
            out.repeat(
                &name_path,
                &c.name,
                repeats[i],
                "each commissioner needs a different name",
            );
        }
        if !self.lead.trim().is_empty()
            && !self
                .commissioners
                .iter()
                .any(|c| names::same(&c.name, &self.lead))
        {
            out.push(
                format!("{path}.lead"),
                &self.lead,
                "must be the name of one of the commissioners",
            );
        }
        let total: u128 = self
            .commissioners
            .iter()
            .map(|c| c.basis(self.basis) as u128)
            .sum();
        if total == 0 {
            let word = self.basis.word();
            out.push(
                format!("{path}.commissioners"),
                format!("total {word} 0"),
                format!(
                    "the contract is apportioned by {word}, so at least one commissioner needs a \
                     {word} of more than 0"
                ),
            );
        }
    }
}

/// One commissioner's share of the contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommissionerShare {
    pub name: String,
    pub is_lead: bool,
    /// This commissioner's population or activity, whichever the basis is.
    pub basis_amount: u64,
    /// basis ÷ Σ basis (0.25 = 25 %).
    pub proportion: f64,
    pub share: Pence,
    pub share_working: Working,
}

/// The contract apportioned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadContractResult {
    pub provider: String,
    pub lead: String,
    pub value: Pence,
    pub basis: ApportionmentBasis,
    /// Σ basis over all commissioners.
    pub total_basis: u64,
    /// In the order the commissioners were given.
    pub shares: Vec<CommissionerShare>,
    /// What the lead recovers from the other commissioners: value − the lead's own share.
    pub recharged_to_others: Pence,
    pub recharge_working: Working,
}

/// Apportion the contract between its commissioners. The contract is valid
/// ([`LeadContract::problems`] found nothing): this does not check it again. Money too
/// large to calculate with is an error, never a panic.
pub fn apportion_contract(contract: &LeadContract) -> Result<LeadContractResult, MoneyError> {
    let basis = contract.basis;
    let word = basis.word();
    let amounts: Vec<u64> = contract
        .commissioners
        .iter()
        .map(|c| c.basis(basis))
        .collect();
    let total: u128 = amounts.iter().map(|&a| a as u128).sum();
    // Σ of many u64 can exceed u64: report it as too large rather than wrap.
    let total_basis = u64::try_from(total).map_err(|_| MoneyError::Overflow)?;
    let parts = money::apportion(contract.value, &amounts)?;
    let provider = contract.provider.trim();
    let lead = contract.lead.trim();
    let show = |amount: u64| people(amount as f64);

    let mut shares = Vec::with_capacity(parts.len());
    for ((c, &amount), &share) in contract.commissioners.iter().zip(&amounts).zip(&parts) {
        let name = c.name.trim();
        let proportion = amount as f64 / total as f64;
        let share_working = Working::new(
            format!("{name}'s share of the {provider} contract"),
            share.display(),
            format!(
                "contract value × {name}'s {word} ÷ all commissioners' {word} (largest-remainder \
                 split, so the shares add up to the contract value to the penny; equal remainders \
                 go to the commissioner listed first)"
            ),
        )
        .input("contract value", contract.value.display())
        .input(format!("{name}'s {word}"), show(amount))
        .input(format!("all commissioners' {word}"), show(total_basis))
        .input(format!("{name}'s proportion"), percent(proportion, 2));
        shares.push(CommissionerShare {
            name: name.to_string(),
            // The lead is named as the commissioners are: by the one rule for names.
            is_lead: names::same(name, &contract.lead),
            basis_amount: amount,
            proportion,
            share,
            share_working,
        });
    }
    let lead_share = shares
        .iter()
        .find(|s| s.is_lead)
        .map(|s| s.share)
        .unwrap_or(Pence::ZERO);
    let recharged_to_others = contract.value.checked_sub(lead_share)?;
    let recharge_working = Working::new(
        format!("Recharged by {lead} to the other commissioners"),
        recharged_to_others.display(),
        format!("contract value − {lead}'s own share"),
    )
    .input("contract value", contract.value.display())
    .input(format!("{lead}'s share"), lead_share.display());
    Ok(LeadContractResult {
        provider: provider.to_string(),
        lead: lead.to_string(),
        value: contract.value,
        basis,
        total_basis,
        shares,
        recharged_to_others,
        recharge_working,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn commissioner(name: &str, population: u64, activity: u64) -> Commissioner {
        Commissioner {
            name: name.to_string(),
            population,
            activity,
        }
    }

    /// Healthier Together's five CCGs (DOMAIN.md, approximate 2013 registered populations);
    /// the contract value and activity counts are illustrative.
    fn healthier_together(basis: ApportionmentBasis) -> LeadContract {
        LeadContract {
            provider: "Bedford Hospital NHS Trust".to_string(),
            lead: "Bedfordshire CCG".to_string(),
            value: Pence(16_500_000_000), // £165m
            basis,
            commissioners: vec![
                commissioner("Bedfordshire CCG", 430_000, 52_000),
                commissioner("Luton CCG", 225_000, 9_000),
                commissioner("Milton Keynes CCG", 270_000, 6_500),
                commissioner("Corby CCG", 75_000, 1_500),
                commissioner("Nene CCG", 650_000, 11_000),
            ],
        }
    }

    #[test]
    fn healthier_together_by_population_and_by_activity() {
        // By population, 1 650 000 people: £100 per person, exactly.
        let r = apportion_contract(&healthier_together(ApportionmentBasis::Population)).unwrap();
        let shares: Vec<i64> = r.shares.iter().map(|s| s.share.pence()).collect();
        assert_eq!(
            shares,
            [
                4_300_000_000,
                2_250_000_000,
                2_700_000_000,
                750_000_000,
                6_500_000_000
            ]
        );
        assert_eq!(r.total_basis, 1_650_000);
        assert_eq!(r.recharged_to_others, Pence(12_200_000_000));
        assert!(r.shares[0].is_lead && !r.shares[1].is_lead);
        assert_eq!(percent(r.shares[3].proportion, 2), "4.55 %");
        let w = &r.shares[1].share_working;
        assert_eq!(
            w.figure,
            "Luton CCG's share of the Bedford Hospital NHS Trust contract"
        );
        assert_eq!(w.value, "£22,500,000.00");
        assert_eq!(w.inputs[1].name, "Luton CCG's population");
        assert_eq!(w.inputs[1].value, "225,000");
        assert_eq!(w.inputs[2].value, "1,650,000");
        assert_eq!(r.recharge_working.value, "£122,000,000.00");

        // By activity, 80 000 spells: £165m × 52 000 / 80 000 = £107.25m, and so on.
        let r = apportion_contract(&healthier_together(ApportionmentBasis::Activity)).unwrap();
        let shares: Vec<i64> = r.shares.iter().map(|s| s.share.pence()).collect();
        assert_eq!(
            shares,
            [
                10_725_000_000,
                1_856_250_000,
                1_340_625_000,
                309_375_000,
                2_268_750_000
            ]
        );
        assert_eq!(
            r.shares[1].share_working.inputs[1].name,
            "Luton CCG's activity"
        );
        assert_eq!(
            r.recharged_to_others,
            Pence(16_500_000_000 - 10_725_000_000)
        );
    }

    #[test]
    fn pennies_left_over_go_by_largest_remainder_then_list_order() {
        // (value, basis amounts, shares)
        let table: [(i64, &[u64], &[i64]); 4] = [
            (100, &[1, 1, 1], &[34, 33, 33]),
            (10, &[1, 2, 4], &[1, 3, 6]),
            (5, &[0, 1, 1], &[0, 3, 2]),
            (0, &[3, 7], &[0, 0]),
        ];
        for (value, amounts, expected) in table {
            let contract = LeadContract {
                provider: "Provider".to_string(),
                lead: "C0".to_string(),
                value: Pence(value),
                basis: ApportionmentBasis::Activity,
                commissioners: amounts
                    .iter()
                    .enumerate()
                    .map(|(i, &a)| commissioner(&format!("C{i}"), 0, a))
                    .collect(),
            };
            let r = apportion_contract(&contract).unwrap();
            let shares: Vec<i64> = r.shares.iter().map(|s| s.share.pence()).collect();
            assert_eq!(shares, expected, "{value} by {amounts:?}");
        }
    }

    #[test]
    fn every_problem_is_reported() {
        let contract = LeadContract {
            provider: " ".to_string(),
            lead: "Luton CCG".to_string(),
            value: Pence(-1),
            basis: ApportionmentBasis::Activity,
            commissioners: vec![
                commissioner("Corby CCG", 75_000, 0),
                commissioner("Corby CCG", 75_000, 0),
                commissioner("", 1, 0),
            ],
        };
        let mut problems = Problems::new();
        contract.problems("lead_contract", &mut problems);
        let found: Vec<(String, String)> = problems
            .into_vec()
            .into_iter()
            .map(|p| (p.path, p.message))
            .collect();
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "lead_contract.provider",
                "lead_contract.value",
                "lead_contract.commissioners[1].name",
                "lead_contract.commissioners[2].name",
                "lead_contract.lead",
                "lead_contract.commissioners",
            ]
        );
        assert!(found[5].1.contains("apportioned by activity"));
        let empty = LeadContract {
            commissioners: vec![],
            ..healthier_together(ApportionmentBasis::Population)
        };
        let mut problems = Problems::new();
        empty.problems("c", &mut problems);
        assert_eq!(problems.list.len(), 1);
        assert_eq!(problems.list[0].message, "give at least one commissioner");
    }

    #[test]
    fn contract_json_reads_as_written() {
        let json = r#"{
            "provider": "Luton and Dunstable University Hospital",
            "lead": "Luton CCG",
            "value": 2500000000,
            "basis": "population",
            "commissioners": [
                { "name": "Luton CCG", "population": 225000, "activity": 30000 },
                { "name": "Bedfordshire CCG", "population": 430000 }
            ]
        }"#;
        let contract: LeadContract = serde_json::from_str(json).unwrap();
        assert_eq!(contract.commissioners[1].activity, 0);
        let r = apportion_contract(&contract).unwrap();
        assert_eq!(
            r.recharged_to_others.checked_add(r.shares[0].share),
            Ok(r.value)
        );
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.contains("\"basis\":\"population\""));
        assert!(
            serde_json::from_str::<LeadContract>(&json.replace("\"basis\"", "\"method\"")).is_err()
        );
    }

    fn arbitrary_contract() -> impl Strategy<Value = LeadContract> {
        (
            0i64..=i64::MAX,
            prop::collection::vec((0u64..=u64::MAX / 16, 0u64..2_000_000), 1..10),
            any::<bool>(),
            any::<prop::sample::Index>(),
        )
            .prop_map(|(value, amounts, by_population, lead)| {
                let commissioners: Vec<Commissioner> = amounts
                    .into_iter()
                    .enumerate()
                    .map(|(i, (p, a))| commissioner(&format!("CCG {i}"), p, a))
                    .collect();
                LeadContract {
                    provider: "Provider".to_string(),
                    lead: format!("CCG {}", lead.index(commissioners.len())),
                    value: Pence(value),
                    basis: if by_population {
                        ApportionmentBasis::Population
                    } else {
                        ApportionmentBasis::Activity
                    },
                    commissioners,
                }
            })
            .prop_filter("the basis needs a positive total", |c| {
                c.commissioners.iter().any(|x| x.basis(c.basis) > 0)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn shares_add_up_to_the_contract_and_follow_the_basis(contract in arbitrary_contract()) {
            let r = apportion_contract(&contract).unwrap();
            prop_assert_eq!(money::sum(r.shares.iter().map(|s| s.share)), Ok(contract.value));
            let lead_share = r.shares.iter().find(|s| s.is_lead).map(|s| s.share);
            prop_assert_eq!(
                lead_share.map(|s| s.checked_add(r.recharged_to_others)),
                Some(Ok(contract.value))
            );
            for a in &r.shares {
                for b in &r.shares {
                    if a.basis_amount > b.basis_amount {
                        prop_assert!(a.share >= b.share);
                    }
                    if a.basis_amount == b.basis_amount {
                        prop_assert!((a.share.pence() - b.share.pence()).abs() <= 1);
                    }
                }
            }
        }
    }
}
