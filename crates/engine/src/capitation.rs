//! Weighted capitation: how many "average-cost people" a place has.
//!
//! weighted population = (Σ people in band × band cost weight) × need index × market forces factor
//!
//! The need index (deprivation, health inequalities; about 0.85–1.25) and the
//! market forces factor (unavoidable local cost differences; about 0.95–1.15) scale
//! the whole place. A per-head rate times the weighted population gives the budget.

use crate::inputs;
use crate::money::{MoneyResult, Pence};
use crate::population::{AgeBand, BandPopulation};
use crate::validation::Problems;
use crate::working::{people, Working};
use serde::{Deserialize, Serialize};

/// The multipliers that make a place's people cost more or less than the average.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceFactors {
    #[serde(default = "one")]
    pub need_index: f64,
    #[serde(default = "one")]
    pub market_forces_factor: f64,
}

fn one() -> f64 {
    1.0
}

impl Default for PlaceFactors {
    fn default() -> Self {
        PlaceFactors {
            need_index: 1.0,
            market_forces_factor: 1.0,
        }
    }
}

impl PlaceFactors {
    pub fn problems(&self, path: &str, out: &mut Problems) {
        // Wider than the realistic ranges in DOMAIN.md, so unusual places can be modelled.
        out.number(
            &inputs::NEED_INDEX,
            format!("{path}.need_index"),
            self.need_index,
        );
        out.number(
            &inputs::MARKET_FORCES_FACTOR,
            format!("{path}.market_forces_factor"),
            self.market_forces_factor,
        );
    }
}

/// Σ people × cost weight, before the place factors.
pub fn age_weighted(people_by_band: &[f64], bands: &[AgeBand]) -> f64 {
    people_by_band
        .iter()
        .zip(bands)
        .map(|(p, b)| p * b.cost_weight)
        .sum()
}

/// The weighted population for people by band (for any projected year).
pub fn weighted_population(
    people_by_band: &[f64],
    bands: &[AgeBand],
    factors: &PlaceFactors,
) -> f64 {
    age_weighted(people_by_band, bands) * factors.need_index * factors.market_forces_factor
}

/// Weighted population ÷ raw population: DOMAIN.md example 2 (4 068.906 → 5 230.216 is 1.285).
pub fn need_ratio(weighted: f64, raw: f64) -> Option<f64> {
    (raw > 0.0).then(|| weighted / raw)
}

/// A per-weighted-head rate × weighted population, the weighted population exactly as the `f64`
/// holds it (its shortest decimal) at any size, rounded once half away from zero to the penny.
pub fn capitated_amount(rate_per_weighted_head: Pence, weighted: f64) -> MoneyResult<Pence> {
    rate_per_weighted_head.mul_rate(weighted)
}

/// The working for a weighted population this year.
pub fn weighted_population_working(
    place: &str,
    people_by_band: &[f64],
    bands: &[AgeBand],
    factors: &PlaceFactors,
) -> Working {
    let weighted = weighted_population(people_by_band, bands, factors);
    let raw: f64 = people_by_band.iter().sum();
    let mut w = Working::new(
        format!("Weighted population of {place}"),
        people(weighted),
        "Σ (people in each age band × that band's cost weight) × need index × market forces factor",
    )
    .input("People", people(raw));
    for (p, b) in people_by_band.iter().zip(bands) {
        w = w.input(
            format!("Aged {} (cost weight {})", b.label, b.cost_weight),
            people(*p),
        );
    }
    w.input("Need index", format!("{}", factors.need_index))
        .input(
            "Market forces factor",
            format!("{}", factors.market_forces_factor),
        )
}

/// Convenience for a place's current (year 0) population.
pub fn current_people(bands: &[BandPopulation]) -> Vec<f64> {
    bands.iter().map(|b| b.people as f64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bands() -> Vec<AgeBand> {
        vec![
            AgeBand {
                label: "0–64".into(),
                cost_weight: 0.8,
            },
            AgeBand {
                label: "65+".into(),
                cost_weight: 3.0,
            },
        ]
    }

    #[test]
    fn weighted_population_multiplies_weights_and_factors() {
        let factors = PlaceFactors {
            need_index: 1.1,
            market_forces_factor: 1.05,
        };
        let w = weighted_population(&[1000.0, 100.0], &bands(), &factors);
        assert!((w - (800.0 + 300.0) * 1.1 * 1.05).abs() < 1e-9);
        let working = weighted_population_working("Anytown", &[1000.0, 100.0], &bands(), &factors);
        assert_eq!(working.value, "1,271");
        assert_eq!(working.inputs.len(), 5);
    }

    #[test]
    fn need_index_example_from_the_allocation_tool() {
        // DOMAIN.md worked example 2 (NHS place-based allocation tool, 2024/25).
        let cases = [(4_068.906, 5_230.216, 1.285), (22_627.55, 28_652.81, 1.266)];
        for (raw, weighted, index) in cases {
            let got = need_ratio(weighted, raw).unwrap();
            assert!((got - index).abs() < 0.0005, "{raw} → {got}");
        }
        assert_eq!(need_ratio(1.0, 0.0), None);
    }

    #[test]
    fn capitated_amount_rounds_to_the_penny() {
        assert_eq!(
            capitated_amount(Pence(173_200), 1000.5),
            Ok(Pence(173_286_600))
        );
        assert_eq!(capitated_amount(Pence(1), 0.5), Ok(Pence(1)));
    }

    /// Exact at every size. Taken to parts per billion in floating point, this
    /// £636.7bn budget (367.6 million weighted people) came out 1p short.
    #[test]
    fn a_huge_place_is_exact_to_the_penny() {
        // £1,732 × 367,637,746.18976617 = 63,674,857,640,067.5p exactly.
        assert_eq!(
            capitated_amount(Pence(173_200), 367_637_746.189_766_17),
            Ok(Pence(63_674_857_640_068))
        );
    }
}
