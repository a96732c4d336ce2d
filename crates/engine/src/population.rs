//! A place's population by age band, and its projection year by year.
//!
//! Each band grows at its own annual rate, compounding: people in year `t` =
//! people now × (1 + growth)ᵗ. Older bands usually grow faster, which is why a
//! weighted population rises faster than the headcount (see `capitation`).
//! People are counted in `f64` once projected: a projection is an estimate, not money. The
//! power is libm's `pow` (pure Rust, correctly rounded in all but rare cases), so a projection
//! is the same number natively and in the browser; `f64::powi`'s precision is unspecified and
//! differs between platforms and optimisation levels.

use crate::validation::Problems;
use crate::{inputs, names};
use serde::{Deserialize, Serialize};

/// The most years any projection or budget runs for.
pub const MAX_YEARS: usize = 10;

/// An age band shared by every place in a scenario, with its relative cost weight
/// (spend per head in the band relative to the national average, which is about 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeBand {
    /// "0–4", "85+".
    pub label: String,
    pub cost_weight: f64,
}

/// How many people a place has in one age band, and how fast the band grows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandPopulation {
    pub people: u64,
    /// Annual growth as a fraction: 0.012 is 1.2 % a year; negative for decline.
    #[serde(default)]
    pub growth: f64,
    /// Optional split by sex; when given, female + male must equal `people`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub female: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub male: Option<u64>,
}

impl BandPopulation {
    pub fn new(people: u64, growth: f64) -> Self {
        BandPopulation {
            people,
            growth,
            female: None,
            male: None,
        }
    }

    /// People in this band `year` years from now (year 0 is now): people × (1 + growth)ʸᵉᵃʳ
    /// with libm's `pow`, never `f64::powi`, whose precision differs between platforms.
    pub fn projected(&self, year: usize) -> f64 {
        self.people as f64 * libm::pow(1.0 + self.growth, year as f64)
    }

    pub fn problems(&self, path: &str, out: &mut Problems) {
        out.number(&inputs::GROWTH, format!("{path}.growth"), self.growth);
        match (self.female, self.male) {
            (Some(f), Some(m)) => {
                if f.checked_add(m) != Some(self.people) {
                    out.push(
                        format!("{path}.female"),
                        format!("{f} + {m}"),
                        format!("female + male must equal people ({})", self.people),
                    );
                }
            }
            (Some(_), None) => out.push(
                format!("{path}.male"),
                "missing",
                "give both female and male, or neither",
            ),
            (None, Some(_)) => out.push(
                format!("{path}.female"),
                "missing",
                "give both female and male, or neither",
            ),
            (None, None) => {}
        }
    }
}

/// Checks shared by every scenario's age bands.
pub fn age_band_problems(bands: &[AgeBand], path: &str, out: &mut Problems) {
    if bands.is_empty() {
        out.push(path, "none", "give at least one age band");
    }
    let repeats = names::repeats(bands.iter().map(|b| b.label.as_str()));
    for (i, band) in bands.iter().enumerate() {
        let label = format!("{path}[{i}].label");
        out.name(&label, &band.label);
        out.number(
            &inputs::COST_WEIGHT,
            format!("{path}[{i}].cost_weight"),
            band.cost_weight,
        );
        out.repeat(
            &label,
            &band.label,
            repeats[i],
            "each age band needs a different label",
        );
    }
}

/// People by band for each year `0..years`: `result[year][band]`.
pub fn project(bands: &[BandPopulation], years: usize) -> Vec<Vec<f64>> {
    (0..years)
        .map(|year| bands.iter().map(|b| b.projected(year)).collect())
        .collect()
}

/// Total people across bands.
pub fn headcount(bands: &[BandPopulation]) -> u64 {
    bands
        .iter()
        .fold(0u64, |acc, b| acc.saturating_add(b.people))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_compounds_per_band() {
        let bands = [
            BandPopulation::new(1000, 0.1),
            BandPopulation::new(500, -0.1),
        ];
        let p = project(&bands, 3);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0], vec![1000.0, 500.0]);
        assert!((p[2][0] - 1210.0).abs() < 1e-9);
        assert!((p[2][1] - 405.0).abs() < 1e-9);
        assert_eq!(headcount(&bands), 1500);
    }

    /// The power is libm's, correctly rounded here, the same on every platform.
    /// Repeated squaring (how `powi` works natively) gives 1.0080240320159999 for 1.002⁴.
    #[test]
    fn projection_uses_libms_power_not_powi() {
        // (growth, years, (1 + growth)ʸᵉᵃʳˢ correctly rounded)
        let cases = [
            (0.002, 4, 1.008_024_032_016),
            (0.002, 9, 1.018_144_674_020_037_5),
            (0.001, 3, 1.003_003_000_999_999_7),
            (0.001, 8, 1.008_028_056_070_055_2),
        ];
        for (growth, years, power) in cases {
            assert_eq!(BandPopulation::new(1, growth).projected(years), power);
            assert_eq!(
                BandPopulation::new(1_000_000, growth).projected(years),
                1_000_000.0 * power
            );
        }
        // No engine source calls `powi` (its precision is platform-dependent).
        let needle = [".pow", "i("].concat();
        let mut folders = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        let mut files = 0;
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert!(!text.contains(&needle), "{} calls powi", path.display());
                    files += 1;
                }
            }
        }
        assert!(files > 10);
    }

    #[test]
    fn sex_split_must_add_up() {
        let mut out = Problems::new();
        let mut b = BandPopulation::new(10, 0.0);
        b.female = Some(4);
        b.male = Some(5);
        b.problems("places[0].population[1]", &mut out);
        b.male = None;
        b.problems("p", &mut out);
        BandPopulation::new(10, 0.5).problems("q", &mut out);
        let list = out.into_vec();
        assert_eq!(list.len(), 3);
        assert_eq!(list[0].path, "places[0].population[1].female");
        assert_eq!(list[1].path, "p.male");
        assert_eq!(list[2].path, "q.growth");
    }

    #[test]
    fn age_bands_need_labels_weights_and_no_repeats() {
        let mut out = Problems::new();
        let bands = vec![
            AgeBand {
                label: "0–4".into(),
                cost_weight: 1.0,
            },
            AgeBand {
                label: "0–4".into(),
                cost_weight: -1.0,
            },
            AgeBand {
                label: " ".into(),
                cost_weight: 1.0,
            },
        ];
        age_band_problems(&bands, "age_bands", &mut out);
        let paths: Vec<_> = out.list.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "age_bands[1].cost_weight",
                "age_bands[1].label",
                "age_bands[2].label"
            ]
        );
    }
}
