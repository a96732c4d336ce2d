//! Risk share between commissioner and provider (DOMAIN.md §5).
//!
//! **Sign convention (stated once, used everywhere in this module):**
//! `variance = outturn − budget`. A positive variance is an **overspend** (a loss
//! to share); a negative variance is an **underspend** (a gain to share). Each
//! side's part of the variance carries the variance's sign: a positive part is
//! overspend that side **bears**, a negative part is underspend that side
//! **keeps**. [`RiskShareResult`] also gives the magnitudes as `overspend` and
//! `underspend` and the [`VarianceDirection`].
//!
//! **Formula.** The variance's magnitude `|V|` is laid across corridors whose
//! bounds are fractions of the budget (loss corridors for an overspend, gain
//! corridors for an underspend). For corridor *i* with edges `Lᵢ = budget × fromᵢ`
//! and `Uᵢ = budget × toᵢ` (each rounded to the penny; `Lᵢ` is the previous
//! corridor's `Uᵢ₋₁`, so the bands tile without a gap):
//!
//! - part in band `= clamp(|V|, Lᵢ, Uᵢ) − Lᵢ`, signed like `V`;
//! - provider part `= part × provider_share` (× `quality_score` for a gain, as in
//!   the Medicare Shared Savings Program), the exact product of the fractions as
//!   written, rounded once half away from zero;
//! - commissioner part `= part − provider part`.
//!
//! Whatever lies beyond a closed last corridor, or all of it when a schedule has no
//! corridors, falls wholly to the **commissioner**: it holds the budget, so it is
//! the residual holder of every pound the agreement does not assign.
//!
//! **Minimum rate (MSSP).** If `|V| ÷ budget` is below the minimum rate nothing is
//! shared and the commissioner bears or keeps the whole variance; once it is met,
//! sharing applies from the first pound. It is **met at equality**, compared exactly:
//! `|V| ≥ budget × rate`. The threshold reported is `budget × rate` rounded *up* to the
//! next whole penny (the least variance that meets the rate), so the rate is met exactly
//! when `|V|` reaches the threshold, and a variance 1p short of it shares nothing. The same
//! rate serves as the minimum savings rate for a gain and the minimum loss rate for an
//! overspend. This is a deliberate cliff: crossing the rate by a penny can move a large sum.
//!
//! **Caps.** `provider_cap` and `commissioner_cap` limit the magnitude of each
//! side's total, in either direction (the most it bears of an overspend or keeps
//! of an underspend). The excess beyond a cap falls to the other side, so the
//! totals still sum to the variance. The commissioner's cap is applied first and
//! the provider's last: if the variance exceeds both caps together, the provider's
//! cap holds and the commissioner, as payer of last resort, bears the rest
//! (reported as `commissioner_beyond_cap`).
//!
//! **Invariants.** In every band `provider part + commissioner part = part`;
//! `Σ parts = V`; `provider_total + commissioner_total = V`, all exact to the
//! penny. Without a minimum rate each side's total is monotone (never decreases as
//! outturn rises) and a 1p change in outturn moves each side's total by at most 1p.

use crate::inputs::{self, Input};
use crate::money::{Decimal, MoneyError, Pence};
use crate::validation::Problems;
use crate::working::{people, percent, Working};
use serde::{Deserialize, Serialize};

/// Corridor bounds above this many budgets are refused: 10 = 1 000 % of budget.
pub const MAX_CORRIDOR_BOUND: f64 = 10.0;

/// The smallest assigned population the MSSP minimum savings rate table covers.
pub const MSSP_MINIMUM_POPULATION: u64 = 5_000;

/// The MSSP minimum savings rate table (DOMAIN.md example 3): each band's lower
/// population and the rate there, in thousandths of a percent (3 900 = 3.9 %).
/// Within a band the rate runs linearly to the next band's starting rate, which it
/// reaches only at the next band's start: "5,000–5,999: 3.9→3.6 %" is 3.9 % at 5,000 and
/// 3.6 % at exactly 6,000 (5,999 is 3.6003 %).
const MSSP_TABLE: [(u64, i64); 10] = [
    (5_000, 3_900),
    (6_000, 3_600),
    (7_000, 3_400),
    (8_000, 3_200),
    (9_000, 3_100),
    (10_000, 3_000),
    (15_000, 2_700),
    (20_000, 2_500),
    (50_000, 2_200),
    (60_000, 2_000),
];

/// The Medicare Shared Savings Program's minimum savings rate for an assigned
/// population, or `None` below 5 000 (the program does not admit smaller ACOs).
///
/// Interpolation: in the band starting at population `lo` with rate `r_lo`, up to
/// the next band's start `hi` with rate `r_hi`,
/// `rate(n) = r_lo − (r_lo − r_hi) × (n − lo) ÷ (hi − lo)`. So 5 999 → 3.6003 %,
/// 6 000 → 3.6 % (a band's end rate is reached at the next band's first population),
/// 7 000 → 3.4 %, 7 500 → 3.3 % (CMS's own example) and 7 999 → 3.2002 %; 60 000 and
/// above → 2 %.
/// The result is one exact integer ratio divided once, so table points come out as
/// exactly the `f64` literal (7 500 gives `0.033`).
pub fn minimum_savings_rate(population: u64) -> Option<f64> {
    if population < MSSP_MINIMUM_POPULATION {
        return None;
    }
    for pair in MSSP_TABLE.windows(2) {
        if let [(lo, r_lo), (hi, r_hi)] = *pair {
            if population >= hi {
                continue;
            }
            let width = (hi - lo) as i64;
            let into = (population - lo) as i64;
            let numerator = r_lo * width - (r_lo - r_hi) * into;
            return Some(numerator as f64 / (width as f64 * 100_000.0));
        }
    }
    // 60 000 and above: the table's floor.
    Some(0.02)
}

/// One band of a corridor schedule. Bounds are fractions of the budget
/// (`0.02` = 2 % of budget); `to: None` is open-ended (it must be the last).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Corridor {
    pub from: f64,
    #[serde(default)]
    pub to: Option<f64>,
    /// The provider's share of the variance in this band; the commissioner has the rest.
    pub provider_share: f64,
}

impl Corridor {
    /// The commissioner's share of the variance in this band: `1 − provider_share`.
    pub fn commissioner_share(&self) -> f64 {
        1.0 - self.provider_share
    }
}

/// The minimum rate the variance must reach, as a fraction of budget, before
/// anything is shared. JSON: `{"fixed": 0.03}` or `{"by_population": {"population": 10000}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum MinimumRate {
    /// A stated rate (0.03 = 3 % of budget).
    Fixed(f64),
    /// The MSSP table rate for this many assigned people ([`minimum_savings_rate`]).
    ByPopulation { population: u64 },
}

impl MinimumRate {
    /// The rate as a fraction of budget, or `None` for a population below the table.
    pub fn rate(&self) -> Option<f64> {
        match self {
            MinimumRate::Fixed(rate) => Some(*rate),
            MinimumRate::ByPopulation { population } => minimum_savings_rate(*population),
        }
    }
}

/// A risk (and gain) share agreement between a commissioner and a provider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskShareAgreement {
    /// The budget (MSSP: the benchmark) the outturn is measured against.
    pub budget: Pence,
    /// The actual or forecast spend for the year: the scenario's headline result.
    pub outturn: Pence,
    /// How an overspend is split, band by band.
    pub loss_corridors: Vec<Corridor>,
    /// How an underspend is split, band by band.
    pub gain_corridors: Vec<Corridor>,
    /// The most the provider bears of an overspend or keeps of an underspend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_cap: Option<Pence>,
    /// The most the commissioner bears of an overspend or keeps of an underspend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commissioner_cap: Option<Pence>,
    /// Below this share of budget nothing is shared (MSSP minimum savings rate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_rate: Option<MinimumRate>,
    /// 0 to 1: scales the provider's share of a gain (MSSP quality score).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_score: Option<f64>,
}

/// Whether the outturn is over, under or exactly on budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VarianceDirection {
    /// Outturn below budget: a gain to share (variance negative).
    Underspend,
    OnBudget,
    /// Outturn above budget: a loss to share (variance positive).
    Overspend,
}

/// The two parties to the agreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Provider,
    Commissioner,
}

/// Which rule a band of the result comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BandBasis {
    /// The corridor at this index of the schedule in use (loss or gain).
    Corridor { index: usize },
    /// Beyond a closed last corridor (or no corridors at all): the commissioner's.
    BeyondCorridors,
    /// The minimum rate was not met: nothing shared, all the commissioner's.
    BelowMinimumRate,
}

/// The variance falling in one band and how it splits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BandShare {
    pub basis: BandBasis,
    /// "Corridor 2: 2.00 % to 5.00 % of budget".
    pub label: String,
    /// Where the band starts, as an amount of variance (magnitude).
    pub lower_edge: Pence,
    /// Where it ends; `None` = open-ended.
    pub upper_edge: Option<Pence>,
    /// The provider share applied (after the quality score for a gain).
    pub provider_share: f64,
    /// The part of the variance in this band (signed like the variance).
    pub variance_part: Pence,
    pub provider_part: Pence,
    pub commissioner_part: Pence,
    pub working: Working,
}

/// The outcome of checking the minimum rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MinimumRateTest {
    pub rate: f64,
    /// `budget × rate` rounded up to the next whole penny (unless exact): the least variance,
    /// in magnitude, that meets the rate, so `met` exactly when |variance| ≥ threshold.
    pub threshold: Pence,
    pub met: bool,
    pub working: Working,
}

/// One cap as applied: the side's total before and after, and what moved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CapApplied {
    pub side: Side,
    pub cap: Pence,
    /// That side's total just before this cap (signed).
    pub before: Pence,
    /// That side's total just after this cap (signed).
    pub after: Pence,
    /// `before − after`: moved to the other side (zero when the cap did not bind).
    pub excess_to_other_side: Pence,
    pub binding: bool,
    pub working: Working,
}

/// A risk share worked out at one outturn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskShareResult {
    pub budget: Pence,
    pub outturn: Pence,
    /// `outturn − budget`: positive = overspend (loss), negative = underspend (gain).
    pub variance: Pence,
    pub direction: VarianceDirection,
    /// The overspend (loss), 0 or more; zero when under budget.
    pub overspend: Pence,
    /// The underspend (gain), 0 or more; zero when over budget.
    pub underspend: Pence,
    /// `variance ÷ budget`.
    pub variance_rate: f64,
    pub variance_working: Working,
    pub minimum_rate: Option<MinimumRateTest>,
    /// Band by band; empty when exactly on budget.
    pub bands: Vec<BandShare>,
    pub provider_before_caps: Pence,
    pub commissioner_before_caps: Pence,
    /// The caps that are set, in the order applied (commissioner's, then provider's).
    pub caps: Vec<CapApplied>,
    /// The provider's part of the variance (positive = bears overspend, negative = keeps underspend).
    pub provider_total: Pence,
    /// The commissioner's part: always `variance − provider_total`.
    pub commissioner_total: Pence,
    /// How far the commissioner's total goes beyond its own cap because both caps bound at once.
    pub commissioner_beyond_cap: Pence,
    pub provider_working: Working,
    pub commissioner_working: Working,
}

impl RiskShareAgreement {
    /// Every problem with the agreement, each under `path` (e.g. `risk_share`).
    pub fn problems(&self, path: &str, out: &mut Problems) {
        out.whole(
            &inputs::OUTTURN,
            format!("{path}.outturn"),
            self.outturn.0.into(),
        );
        self.schedule_problems(path, out);
    }

    /// Problems with everything except the outturn, which [`Self::evaluate`] takes
    /// as an argument.
    fn schedule_problems(&self, path: &str, out: &mut Problems) {
        // Corridors and the minimum rate are fractions of the budget: it must be above 0.
        out.whole(
            &inputs::RISK_BUDGET,
            format!("{path}.budget"),
            self.budget.0.into(),
        );
        corridor_problems(
            &format!("{path}.loss_corridors"),
            &self.loss_corridors,
            [&inputs::LOSS_FROM, &inputs::LOSS_TO, &inputs::LOSS_SHARE],
            out,
        );
        corridor_problems(
            &format!("{path}.gain_corridors"),
            &self.gain_corridors,
            [&inputs::GAIN_FROM, &inputs::GAIN_TO, &inputs::GAIN_SHARE],
            out,
        );
        for (name, cap, input) in [
            ("provider_cap", self.provider_cap, &inputs::PROVIDER_CAP),
            (
                "commissioner_cap",
                self.commissioner_cap,
                &inputs::COMMISSIONER_CAP,
            ),
        ] {
            if let Some(cap) = cap {
                out.whole(input, format!("{path}.{name}"), cap.0.into());
            }
        }
        match &self.minimum_rate {
            Some(MinimumRate::Fixed(rate)) => out.number(
                &inputs::MINIMUM_RATE_FIXED,
                format!("{path}.minimum_rate.fixed"),
                *rate,
            ),
            Some(MinimumRate::ByPopulation { population }) => out.whole(
                &inputs::MINIMUM_RATE_POPULATION,
                format!("{path}.minimum_rate.by_population.population"),
                (*population).into(),
            ),
            None => {}
        }
        if let Some(q) = self.quality_score {
            out.number(&inputs::QUALITY_SCORE, format!("{path}.quality_score"), q);
        }
    }

    /// The risk share at the agreement's own outturn.
    pub fn compute(&self) -> Result<RiskShareResult, MoneyError> {
        self.evaluate(self.outturn)
    }

    /// The risk share at any outturn (for charts: evaluate across a range). The agreement
    /// is valid ([`RiskShareAgreement::problems`] found nothing): this does not check it
    /// again. Money too large to calculate with is an error, never a panic.
    pub fn evaluate(&self, outturn: Pence) -> Result<RiskShareResult, MoneyError> {
        let budget = self.budget;
        let variance = outturn.checked_sub(budget)?;
        let magnitude = variance.abs()?;
        let direction = match variance.0.signum() {
            1 => VarianceDirection::Overspend,
            -1 => VarianceDirection::Underspend,
            _ => VarianceDirection::OnBudget,
        };
        let sign: i64 = if variance.0 < 0 { -1 } else { 1 };
        let signed = |p: Pence| p.checked_mul_int(sign);
        let (overspend, underspend) = match direction {
            VarianceDirection::Underspend => (Pence::ZERO, magnitude),
            _ => (magnitude, Pence::ZERO),
        };
        let variance_rate = variance.0 as f64 / budget.0 as f64;
        let variance_working = Working::new(
            "Variance (outturn − budget)",
            variance.display(),
            "outturn − budget",
        )
        .input("outturn", outturn.display())
        .input("budget", budget.display())
        .input("as a share of budget", percent(variance_rate, 2))
        .input(
            "meaning",
            match direction {
                VarianceDirection::Overspend => "an overspend: a loss to share",
                VarianceDirection::Underspend => "an underspend: a gain to share",
                VarianceDirection::OnBudget => "exactly on budget: nothing to share",
            },
        );

        let minimum_rate = match &self.minimum_rate {
            Some(rule) => Some(self.minimum_rate_test(rule, magnitude, variance_rate)?),
            None => None,
        };
        let sharing = minimum_rate.as_ref().is_none_or(|t| t.met);

        let is_gain = direction == VarianceDirection::Underspend;
        let quality = if is_gain {
            self.quality_score.unwrap_or(1.0)
        } else {
            1.0
        };
        let mut bands = Vec::new();
        if direction != VarianceDirection::OnBudget {
            if sharing {
                let schedule = if is_gain {
                    &self.gain_corridors
                } else {
                    &self.loss_corridors
                };
                let mut lower = Pence::ZERO;
                let mut last_upper = Some(Pence::ZERO);
                for (index, corridor) in schedule.iter().enumerate() {
                    let upper = match corridor.to {
                        Some(to) => Some(budget.mul_rate(to)?.max(lower)),
                        None => None,
                    };
                    let share = corridor.provider_share * quality;
                    let part = band_part(magnitude, lower, upper)?;
                    // The exact product of the two fractions, not their f64 product.
                    let provider = part.times(
                        &Decimal::of(corridor.provider_share)?.times(&Decimal::of(quality)?),
                    )?;
                    let label = match corridor.to {
                        Some(to) => format!(
                            "Corridor {}: {} to {} of budget",
                            index + 1,
                            percent(corridor.from, 2),
                            percent(to, 2)
                        ),
                        None => format!(
                            "Corridor {}: beyond {} of budget",
                            index + 1,
                            percent(corridor.from, 2)
                        ),
                    };
                    bands.push(make_band(
                        BandBasis::Corridor { index },
                        label,
                        lower,
                        upper,
                        corridor.provider_share,
                        share,
                        self.quality_score.filter(|_| is_gain),
                        signed(part)?,
                        signed(provider)?,
                    )?);
                    last_upper = upper;
                    if let Some(u) = upper {
                        lower = u;
                    }
                }
                if let Some(edge) = last_upper {
                    let part = band_part(magnitude, edge, None)?;
                    let label = if schedule.is_empty() {
                        "No corridors set: all to the commissioner".to_string()
                    } else {
                        format!(
                            "Beyond the last corridor ({} of budget)",
                            percent(edge.0 as f64 / budget.0 as f64, 2)
                        )
                    };
                    bands.push(make_band(
                        BandBasis::BeyondCorridors,
                        label,
                        edge,
                        None,
                        0.0,
                        0.0,
                        None,
                        signed(part)?,
                        Pence::ZERO,
                    )?);
                }
            } else {
                bands.push(make_band(
                    BandBasis::BelowMinimumRate,
                    "Below the minimum rate: not shared".to_string(),
                    Pence::ZERO,
                    None,
                    0.0,
                    0.0,
                    None,
                    variance,
                    Pence::ZERO,
                )?);
            }
        }

        let provider_before_caps = crate::money::sum(bands.iter().map(|b| b.provider_part))?;
        let commissioner_before_caps = variance.checked_sub(provider_before_caps)?;

        // Caps on magnitudes: a = provider's, m − a = commissioner's.
        let raw = provider_before_caps.abs()?;
        let mut caps = Vec::new();
        let mut provider_mag = raw;
        if let Some(cap) = self.commissioner_cap {
            let before = magnitude.checked_sub(provider_mag)?;
            provider_mag = provider_mag.max(magnitude.checked_sub(cap)?);
            let after = magnitude.checked_sub(provider_mag)?;
            caps.push(make_cap(
                Side::Commissioner,
                cap,
                signed(before)?,
                signed(after)?,
            )?);
        }
        if let Some(cap) = self.provider_cap {
            let before = provider_mag;
            provider_mag = provider_mag.min(cap);
            caps.push(make_cap(
                Side::Provider,
                cap,
                signed(before)?,
                signed(provider_mag)?,
            )?);
        }
        let provider_total = signed(provider_mag)?;
        let commissioner_total = variance.checked_sub(provider_total)?;
        let commissioner_beyond_cap = match self.commissioner_cap {
            Some(cap) => Pence(
                magnitude
                    .checked_sub(provider_mag)?
                    .checked_sub(cap)?
                    .0
                    .max(0),
            ),
            None => Pence::ZERO,
        };

        let (provider_figure, commissioner_figure) = match direction {
            VarianceDirection::Underspend => (
                "Provider's share of the underspend (kept)",
                "Commissioner's share of the underspend (kept)",
            ),
            _ => (
                "Provider's share of the overspend (borne)",
                "Commissioner's share of the overspend (borne)",
            ),
        };
        let mut provider_working = Working::new(
            provider_figure,
            provider_total.display(),
            "Σ provider parts over the bands, then the caps (commissioner's cap first, provider's last)",
        )
        .input("provider parts before caps", provider_before_caps.display());
        for cap in &caps {
            let who = match cap.side {
                Side::Provider => "provider's cap",
                Side::Commissioner => "commissioner's cap",
            };
            provider_working = provider_working.input(who, cap.cap.display()).input(
                format!("moved by the {who}"),
                cap.excess_to_other_side.display(),
            );
        }
        let mut commissioner_working = Working::new(
            commissioner_figure,
            commissioner_total.display(),
            "variance − provider's share, so the two sides sum to the variance exactly",
        )
        .input("variance", variance.display())
        .input("provider's share", provider_total.display())
        .input(
            "commissioner parts before caps",
            commissioner_before_caps.display(),
        );
        if commissioner_beyond_cap.0 > 0 {
            commissioner_working = commissioner_working.input(
                "beyond the commissioner's cap (both caps bind; the provider's cap holds)",
                commissioner_beyond_cap.display(),
            );
        }

        Ok(RiskShareResult {
            budget,
            outturn,
            variance,
            direction,
            overspend,
            underspend,
            variance_rate,
            variance_working,
            minimum_rate,
            bands,
            provider_before_caps,
            commissioner_before_caps,
            caps,
            provider_total,
            commissioner_total,
            commissioner_beyond_cap,
            provider_working,
            commissioner_working,
        })
    }

    fn minimum_rate_test(
        &self,
        rule: &MinimumRate,
        magnitude: Pence,
        variance_rate: f64,
    ) -> Result<MinimumRateTest, MoneyError> {
        let Some(rate) = rule.rate() else {
            // No rate for a population the table does not cover: validation refuses one.
            return Err(MoneyError::NotFinite);
        };
        // The least whole-penny variance with |V| ≥ budget × rate, exactly: met ⇔ |V| ≥ it.
        let threshold = self.budget.times_rounded_up(&Decimal::of(rate)?)?;
        let met = magnitude >= threshold;
        let mut working = Working::new(
            "Minimum rate test",
            if met {
                "met: shared from the first pound"
            } else {
                "not met: nothing shared"
            },
            "|variance| ÷ budget must be at least the minimum rate; below it the commissioner \
             bears or keeps the whole variance",
        )
        .input(
            "|variance| as a share of budget",
            percent(variance_rate.abs(), 2),
        )
        .input("minimum rate", percent(rate, 2))
        .input(
            "threshold (budget × minimum rate, up to the next penny)",
            threshold.display(),
        );
        if let MinimumRate::ByPopulation { population } = rule {
            working = working.input(
                "assigned population (MSSP table, linear within each band)",
                people(*population as f64),
            );
        }
        Ok(MinimumRateTest {
            rate,
            threshold,
            met,
            working,
        })
    }
}

/// Every problem with one corridor schedule; `inputs` are its from, to and provider's share.
fn corridor_problems(path: &str, corridors: &[Corridor], inputs: [&Input; 3], out: &mut Problems) {
    let [from_input, to_input, share_input] = inputs;
    let last = corridors.len().saturating_sub(1);
    let mut previous_to: Option<Option<f64>> = None; // None = first corridor
    for (i, c) in corridors.iter().enumerate() {
        let here = format!("{path}[{i}]");
        let from_ok = from_input.allows(c.from);
        out.number(from_input, format!("{here}.from"), c.from);
        match previous_to {
            None => {
                if from_ok && c.from != 0.0 {
                    out.push(
                        format!("{here}.from"),
                        c.from,
                        "the first corridor must start at 0",
                    );
                }
            }
            Some(Some(prev)) => {
                if from_ok && prev.is_finite() && c.from != prev {
                    let what = if c.from > prev {
                        "leaves a gap"
                    } else {
                        "overlaps the previous corridor"
                    };
                    out.push(
                        format!("{here}.from"),
                        c.from,
                        format!(
                            "{what}: each corridor must start where the previous one ends ({prev})"
                        ),
                    );
                }
            }
            // The open corridor before this one is reported at its own `to`.
            Some(None) => {}
        }
        match c.to {
            Some(to) => {
                if !to_input.allows(to) {
                    out.number(to_input, format!("{here}.to"), to);
                } else if from_ok && to <= c.from {
                    out.push(
                        format!("{here}.to"),
                        to,
                        format!(
                            "must be more than this corridor's from ({}): corridors ascend",
                            c.from
                        ),
                    );
                }
            }
            None => {
                if i != last {
                    out.push(
                        format!("{here}.to"),
                        "null (open-ended)",
                        "only the last corridor may be open-ended; give this one an upper bound",
                    );
                }
            }
        }
        out.number(
            share_input,
            format!("{here}.provider_share"),
            c.provider_share,
        );
        previous_to = Some(c.to);
    }
}

/// The amount of `magnitude` that lies between `lower` and `upper` (0 or more).
fn band_part(magnitude: Pence, lower: Pence, upper: Option<Pence>) -> Result<Pence, MoneyError> {
    let above = Pence(magnitude.checked_sub(lower)?.0.max(0));
    Ok(match upper {
        Some(u) => above.min(Pence(u.checked_sub(lower)?.0.max(0))),
        None => above,
    })
}

#[allow(clippy::too_many_arguments)]
fn make_band(
    basis: BandBasis,
    label: String,
    lower_edge: Pence,
    upper_edge: Option<Pence>,
    stated_share: f64,
    provider_share: f64,
    quality: Option<f64>,
    variance_part: Pence,
    provider_part: Pence,
) -> Result<BandShare, MoneyError> {
    let commissioner_part = variance_part.checked_sub(provider_part)?;
    let formula = match basis {
        BandBasis::Corridor { .. } => {
            "provider part = variance in this band × provider share (rounded to the penny, half away \
             from zero); commissioner part = the rest of the band"
        }
        BandBasis::BeyondCorridors => "beyond the corridors the commissioner bears or keeps it all",
        BandBasis::BelowMinimumRate => {
            "the minimum rate was not met, so nothing is shared: the commissioner bears or keeps it all"
        }
    };
    let mut working = Working::new(
        format!("{label}: provider part"),
        provider_part.display(),
        formula,
    )
    .input("variance in this band", variance_part.display())
    .input(
        "band",
        match upper_edge {
            Some(u) => format!("{} to {}", lower_edge.display(), u.display()),
            None => format!("from {}", lower_edge.display()),
        },
    );
    if let BandBasis::Corridor { .. } = basis {
        working = working.input("provider share", percent(stated_share, 2));
        if let Some(q) = quality {
            working = working
                .input(
                    "quality score (scales the provider's share of a gain)",
                    percent(q, 2),
                )
                .input("provider share applied", percent(provider_share, 2));
        }
    }
    working = working.input("commissioner part", commissioner_part.display());
    Ok(BandShare {
        basis,
        label,
        lower_edge,
        upper_edge,
        provider_share,
        variance_part,
        provider_part,
        commissioner_part,
        working,
    })
}

fn make_cap(side: Side, cap: Pence, before: Pence, after: Pence) -> Result<CapApplied, MoneyError> {
    let excess = before.checked_sub(after)?;
    let (who, other) = match side {
        Side::Provider => ("provider", "commissioner"),
        Side::Commissioner => ("commissioner", "provider"),
    };
    let working = Working::new(
        format!("The {who}'s cap"),
        after.display(),
        format!("the {who}'s total is limited to the cap in either direction; the excess falls to the {other}"),
    )
    .input(format!("{who}'s total before the cap"), before.display())
    .input("cap", cap.display())
    .input(format!("moved to the {other}"), excess.display());
    Ok(CapApplied {
        side,
        cap,
        before,
        after,
        excess_to_other_side: excess,
        binding: excess.0 != 0,
        working,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn corridor(from: f64, to: Option<f64>, provider_share: f64) -> Corridor {
        Corridor {
            from,
            to,
            provider_share,
        }
    }

    /// DOMAIN.md example 4: $100m benchmark, amounts in cents as pence units.
    fn mssp(outturn_cents: i64) -> RiskShareAgreement {
        RiskShareAgreement {
            budget: Pence(10_000_000_000),
            outturn: Pence(outturn_cents),
            loss_corridors: vec![],
            gain_corridors: vec![corridor(0.0, None, 0.4)],
            provider_cap: None,
            commissioner_cap: None,
            minimum_rate: Some(MinimumRate::ByPopulation { population: 10_000 }),
            quality_score: None,
        }
    }

    fn assert_conserves(r: &RiskShareResult) {
        for b in &r.bands {
            assert_eq!(
                b.provider_part.0 + b.commissioner_part.0,
                b.variance_part.0,
                "{b:?}"
            );
        }
        let parts: i64 = r.bands.iter().map(|b| b.variance_part.0).sum();
        assert_eq!(parts, r.variance.0);
        assert_eq!(r.provider_total.0 + r.commissioner_total.0, r.variance.0);
    }

    #[test]
    fn msr_table_golden() {
        // DOMAIN.md example 3, band starts, CMS's 7 500 → 3.3 %, midpoints and band ends.
        let table: [(u64, Option<f64>); 27] = [
            (0, None),
            (4_999, None),
            (5_000, Some(0.039)),
            (5_500, Some(0.0375)),
            (5_999, Some(0.036003)),
            (6_000, Some(0.036)),
            (6_500, Some(0.035)),
            (7_000, Some(0.034)),
            (7_500, Some(0.033)),
            (7_999, Some(0.032002)),
            (8_000, Some(0.032)),
            (8_500, Some(0.0315)),
            (9_000, Some(0.031)),
            (9_500, Some(0.0305)),
            (10_000, Some(0.03)),
            (12_500, Some(0.0285)),
            (15_000, Some(0.027)),
            (17_500, Some(0.026)),
            (20_000, Some(0.025)),
            (35_000, Some(0.0235)),
            (49_999, Some(0.0220001)),
            (50_000, Some(0.022)),
            (55_000, Some(0.021)),
            (59_999, Some(0.0200002)),
            (60_000, Some(0.02)),
            (1_000_000, Some(0.02)),
            (u64::MAX, Some(0.02)),
        ];
        for (population, expected) in table {
            assert_eq!(
                minimum_savings_rate(population),
                expected,
                "population {population}"
            );
        }
    }

    #[test]
    fn msr_falls_as_population_grows() {
        let mut previous = 1.0;
        for n in (5_000..70_000).step_by(7) {
            let r = minimum_savings_rate(n).unwrap_or(f64::NAN);
            assert!(r <= previous, "{n}");
            previous = r;
        }
    }

    #[test]
    fn mssp_gain_cases_golden() {
        // (outturn, gain share, quality, provider keeps, commissioner keeps), in cents.
        let cases = [
            // 3.5 % saving beats the 3.0 % MSR; one-sided 40 % → $1.40m.
            (9_650_000_000, 0.4, None, -140_000_000, -210_000_000),
            // 50 % × 90 % quality → $1.575m.
            (9_650_000_000, 0.5, Some(0.9), -157_500_000, -192_500_000),
            // Exactly 3.0 %: MSR met ("at least").
            (9_700_000_000, 0.4, None, -120_000_000, -180_000_000),
            // 2.99 %: below the MSR, nothing shared.
            (9_701_000_000, 0.4, None, 0, -299_000_000),
        ];
        for (outturn, share, quality, provider, commissioner) in cases {
            let mut a = mssp(outturn);
            a.gain_corridors = vec![corridor(0.0, None, share)];
            a.quality_score = quality;
            let r = a.compute().unwrap();
            assert_eq!(r.direction, VarianceDirection::Underspend);
            assert_eq!(r.provider_total, Pence(provider), "{outturn} {share}");
            assert_eq!(r.commissioner_total, Pence(commissioner));
            assert_eq!(r.underspend, Pence(-(provider + commissioner)));
            assert_conserves(&r);
        }
        let r = mssp(9_650_000_000).compute().unwrap();
        let msr = r.minimum_rate.unwrap();
        assert!(msr.met);
        assert_eq!(msr.threshold, Pence(300_000_000));
        assert_eq!(msr.working.inputs[1].value, "3.00 %");
    }

    /// The rate is met at equality, exactly; the threshold shown is the least
    /// whole-penny variance that meets it, so 1p less shares nothing.
    #[test]
    fn minimum_rate_is_met_at_equality_and_missed_by_a_penny() {
        // 3 % of $100,000,000.01 is $3,000,000.0003: $3,000,000.01 is the least that meets it.
        let budget = Pence(10_000_000_001);
        let at = |saving: i64| {
            let a = RiskShareAgreement {
                budget,
                ..mssp(budget.pence() - saving)
            };
            a.compute().unwrap()
        };
        let met = at(300_000_001);
        let test = met.minimum_rate.as_ref().unwrap();
        assert_eq!(test.threshold, Pence(300_000_001));
        assert!(test.met);
        assert_eq!(met.provider_total, Pence(-120_000_000)); // 40 % of $3,000,000.01
        let missed = at(300_000_000);
        assert!(!missed.minimum_rate.as_ref().unwrap().met);
        assert_eq!(missed.provider_total, Pence::ZERO);
        assert_eq!(missed.commissioner_total, Pence(-300_000_000));
        // A whole-penny threshold is met exactly at it.
        let r = mssp(9_700_000_000).compute().unwrap();
        assert!(r.minimum_rate.as_ref().unwrap().met);
        assert!(
            !mssp(9_700_000_001)
                .compute()
                .unwrap()
                .minimum_rate
                .unwrap()
                .met
        );
    }

    #[test]
    fn mssp_loss_case_golden() {
        // Spend $103m, 30 % loss sharing: $0.9m, capped at the lesser of 2 % of $30m
        // participant revenue ($0.6m) and 1 % of the benchmark ($1.0m) → $0.6m.
        let budget = Pence(10_000_000_000);
        let cap = Pence(3_000_000_000)
            .mul_rate(0.02)
            .unwrap()
            .min(budget.mul_rate(0.01).unwrap());
        assert_eq!(cap, Pence(60_000_000));
        let a = RiskShareAgreement {
            loss_corridors: vec![corridor(0.0, None, 0.3)],
            provider_cap: Some(cap),
            minimum_rate: None,
            ..mssp(10_300_000_000)
        };
        let r = a.compute().unwrap();
        assert_eq!(r.direction, VarianceDirection::Overspend);
        assert_eq!(r.overspend, Pence(300_000_000));
        assert_eq!(r.provider_before_caps, Pence(90_000_000));
        assert_eq!(r.provider_total, Pence(60_000_000));
        assert_eq!(r.commissioner_total, Pence(240_000_000));
        assert_eq!(r.caps.len(), 1);
        assert_eq!(r.caps[0].side, Side::Provider);
        assert_eq!(r.caps[0].excess_to_other_side, Pence(30_000_000));
        assert!(r.caps[0].binding);
        assert_conserves(&r);
    }

    fn domain_corridors(last_to: Option<f64>) -> RiskShareAgreement {
        // DOMAIN.md §5: first 2 % provider, 2–5 % 50/50, beyond 5 % commissioner. £100m.
        let mut loss = vec![
            corridor(0.0, Some(0.02), 1.0),
            corridor(0.02, Some(0.05), 0.5),
        ];
        if last_to.is_none() {
            loss.push(corridor(0.05, None, 0.0));
        }
        RiskShareAgreement {
            budget: Pence(10_000_000_000),
            outturn: Pence(10_700_000_000),
            loss_corridors: loss,
            gain_corridors: vec![corridor(0.0, None, 0.5)],
            provider_cap: None,
            commissioner_cap: None,
            minimum_rate: None,
            quality_score: None,
        }
    }

    #[test]
    fn domain_corridor_schedule_by_band() {
        // A £7m overspend: £2m provider; £3m split £1.5m each; £2m commissioner.
        for schedule in [domain_corridors(None), domain_corridors(Some(0.05))] {
            let r = schedule.compute().unwrap();
            let got: Vec<(i64, i64, i64)> = r
                .bands
                .iter()
                .map(|b| (b.variance_part.0, b.provider_part.0, b.commissioner_part.0))
                .collect();
            assert_eq!(
                got,
                vec![
                    (200_000_000, 200_000_000, 0),
                    (300_000_000, 150_000_000, 150_000_000),
                    (200_000_000, 0, 200_000_000),
                ]
            );
            assert_eq!(r.provider_total, Pence(350_000_000));
            assert_eq!(r.commissioner_total, Pence(350_000_000));
            assert_conserves(&r);
        }
        assert_eq!(
            domain_corridors(Some(0.05)).compute().unwrap().bands[2].basis,
            BandBasis::BeyondCorridors
        );
    }

    #[test]
    fn odd_pennies_go_by_rounding_and_remainder() {
        let mut a = domain_corridors(None);
        a.gain_corridors = vec![corridor(0.0, None, 0.5)];
        // 3p underspend at 50 %: provider keeps 2p (1.5 rounds away from zero), commissioner 1p.
        let r = a.evaluate(Pence(a.budget.0 - 3)).unwrap();
        assert_eq!(
            (r.provider_total, r.commissioner_total),
            (Pence(-2), Pence(-1))
        );
        let r = a.evaluate(a.budget).unwrap();
        assert_eq!(r.direction, VarianceDirection::OnBudget);
        assert!(r.bands.is_empty());
        assert_eq!(
            (r.provider_total, r.commissioner_total),
            (Pence::ZERO, Pence::ZERO)
        );
    }

    #[test]
    fn empty_schedule_leaves_everything_with_the_commissioner() {
        let r = mssp(10_500_000_000).compute().unwrap();
        assert!(r.minimum_rate.as_ref().is_some_and(|t| t.met));
        assert_eq!(r.provider_total, Pence::ZERO);
        assert_eq!(r.commissioner_total, Pence(500_000_000));
        assert_eq!(r.bands.len(), 1);
        assert_eq!(r.bands[0].basis, BandBasis::BeyondCorridors);
    }

    #[test]
    fn both_caps_binding_the_provider_cap_holds() {
        let mut a = domain_corridors(None);
        a.provider_cap = Some(Pence(100_000_000));
        a.commissioner_cap = Some(Pence(400_000_000));
        // £7m overspend > £1m + £4m: provider £1m, commissioner £6m (£2m beyond its cap).
        let r = a.compute().unwrap();
        assert_eq!(r.provider_total, Pence(100_000_000));
        assert_eq!(r.commissioner_total, Pence(600_000_000));
        assert_eq!(r.commissioner_beyond_cap, Pence(200_000_000));
        assert_eq!(r.caps[0].side, Side::Commissioner);
        assert_eq!(r.caps[1].side, Side::Provider);
        // Commissioner's cap alone: its £3.5m falls to £3m; the £0.5m excess goes to the provider.
        a.provider_cap = None;
        a.commissioner_cap = Some(Pence(300_000_000));
        let r = a.compute().unwrap();
        assert_eq!(r.commissioner_total, Pence(300_000_000));
        assert_eq!(r.provider_total, Pence(400_000_000));
        assert_eq!(r.commissioner_beyond_cap, Pence::ZERO);
    }

    #[test]
    fn validation_reports_every_problem_with_its_path() {
        let a = RiskShareAgreement {
            budget: Pence(0),
            outturn: Pence(-1),
            loss_corridors: vec![
                corridor(0.01, Some(0.02), 1.0),
                corridor(0.03, None, 1.5),
                corridor(0.04, Some(0.03), 0.5),
            ],
            gain_corridors: vec![
                corridor(0.0, Some(0.05), 0.5),
                corridor(0.04, None, f64::NAN),
            ],
            provider_cap: Some(Pence(-5)),
            commissioner_cap: None,
            minimum_rate: Some(MinimumRate::ByPopulation { population: 4_999 }),
            quality_score: Some(1.2),
        };
        let mut p = Problems::new();
        a.problems("risk_share", &mut p);
        let paths: Vec<String> = p.into_vec().into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            vec![
                "risk_share.outturn",
                "risk_share.budget",
                "risk_share.loss_corridors[0].from",
                "risk_share.loss_corridors[1].from",
                "risk_share.loss_corridors[1].to",
                "risk_share.loss_corridors[1].provider_share",
                "risk_share.loss_corridors[2].to",
                "risk_share.gain_corridors[1].from",
                "risk_share.gain_corridors[1].provider_share",
                "risk_share.provider_cap",
                "risk_share.minimum_rate.by_population.population",
                "risk_share.quality_score",
            ]
        );
        let mut p = Problems::new();
        domain_corridors(None).problems("risk_share", &mut p);
        assert!(p.is_empty());
        let mut p = Problems::new();
        RiskShareAgreement {
            minimum_rate: Some(MinimumRate::Fixed(-0.1)),
            ..domain_corridors(None)
        }
        .problems("rs", &mut p);
        assert_eq!(p.list[0].path, "rs.minimum_rate.fixed");
    }

    #[test]
    fn json_shape_round_trips_and_rejects_unknown_fields() {
        let json = r#"{
            "budget": 10000000000, "outturn": 10700000000,
            "loss_corridors": [
                {"from": 0.0, "to": 0.02, "provider_share": 1.0},
                {"from": 0.02, "to": 0.05, "provider_share": 0.5},
                {"from": 0.05, "provider_share": 0.0}
            ],
            "gain_corridors": [{"from": 0.0, "to": null, "provider_share": 0.5}],
            "provider_cap": 500000000,
            "minimum_rate": {"by_population": {"population": 10000}},
            "quality_score": 0.9
        }"#;
        let a: RiskShareAgreement = serde_json::from_str(json).unwrap();
        assert_eq!(a.loss_corridors[2].to, None);
        assert_eq!(a.commissioner_cap, None);
        assert_eq!(
            a.minimum_rate,
            Some(MinimumRate::ByPopulation { population: 10_000 })
        );
        let back: RiskShareAgreement =
            serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(back, a);
        let fixed: MinimumRate = serde_json::from_str(r#"{"fixed": 0.03}"#).unwrap();
        assert_eq!(fixed.rate(), Some(0.03));
        assert!(
            serde_json::from_str::<Corridor>(r#"{"from":0,"provider_share":1,"share":1}"#).is_err()
        );
        assert!(serde_json::from_str::<RiskShareAgreement>(
            &json.replace("quality_score", "quality")
        )
        .is_err());
        // A result serialises and reads back.
        let r = a.compute().unwrap();
        let r2: RiskShareResult =
            serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(r2, r);
    }

    #[test]
    fn extreme_amounts_error_rather_than_panic() {
        let mut a = domain_corridors(None);
        a.budget = Pence(i64::MAX);
        assert!(a.evaluate(Pence(i64::MIN)).is_err());
        a.budget = Pence(1);
        assert!(a.evaluate(Pence(i64::MAX)).is_ok());
        a.loss_corridors = vec![corridor(0.0, Some(10.0), 0.5)];
        a.budget = Pence(i64::MAX / 2);
        assert!(a.evaluate(Pence(i64::MAX)).is_err());
    }

    #[test]
    fn working_explains_the_figures() {
        let mut a = mssp(9_650_000_000);
        a.gain_corridors = vec![corridor(0.0, None, 0.5)];
        a.quality_score = Some(0.9);
        let r = a.compute().unwrap();
        assert_eq!(r.provider_working.value, "\u{2212}£1,575,000.00");
        assert!(r.provider_working.figure.contains("underspend"));
        let band = &r.bands[0].working;
        assert!(band.inputs.iter().any(|i| i.value == "45.00 %"));
        assert_eq!(r.variance_working.value, "\u{2212}£3,500,000.00");
    }

    // ---- properties ----

    fn schedule() -> impl Strategy<Value = Vec<Corridor>> {
        (
            prop::collection::vec((0.001f64..0.2, 0.0f64..=1.0), 0..5),
            any::<bool>(),
        )
            .prop_map(|(widths, open)| {
                let mut from = 0.0;
                let n = widths.len();
                widths
                    .into_iter()
                    .enumerate()
                    .map(|(i, (w, share))| {
                        let to = if open && i + 1 == n {
                            None
                        } else {
                            Some(from + w)
                        };
                        let c = corridor(from, to, share);
                        from = to.unwrap_or(from);
                        c
                    })
                    .collect()
            })
    }

    fn agreement(with_minimum: bool) -> impl Strategy<Value = RiskShareAgreement> {
        (
            1i64..1_000_000_000_000,
            schedule(),
            schedule(),
            prop::option::of(0i64..500_000_000_000),
            prop::option::of(0i64..500_000_000_000),
            prop::option::of(0.0f64..=1.0),
            prop::option::of(prop_oneof![
                (0.0f64..0.1).prop_map(MinimumRate::Fixed),
                (5_000u64..100_000).prop_map(|population| MinimumRate::ByPopulation { population }),
            ]),
        )
            .prop_map(
                move |(budget, loss, gain, pc, cc, q, msr)| RiskShareAgreement {
                    budget: Pence(budget),
                    outturn: Pence(budget),
                    loss_corridors: loss,
                    gain_corridors: gain,
                    provider_cap: pc.map(Pence),
                    commissioner_cap: cc.map(Pence),
                    minimum_rate: if with_minimum { msr } else { None },
                    quality_score: q,
                },
            )
    }

    /// An outturn from 0 to three times the budget, as a fraction.
    fn outturn(a: &RiskShareAgreement, f: f64) -> Pence {
        Pence((a.budget.0 as f64 * f).round() as i64)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn shares_sum_exactly_to_the_variance(a in agreement(true), f in 0.0f64..3.0) {
            let r = a.evaluate(outturn(&a, f)).unwrap();
            for b in &r.bands {
                prop_assert_eq!(b.provider_part.0 + b.commissioner_part.0, b.variance_part.0);
            }
            prop_assert_eq!(r.bands.iter().map(|b| b.variance_part.0).sum::<i64>(), r.variance.0);
            prop_assert_eq!(r.provider_total.0 + r.commissioner_total.0, r.variance.0);
        }

        #[test]
        fn caps_are_never_exceeded(a in agreement(true), f in 0.0f64..3.0) {
            let r = a.evaluate(outturn(&a, f)).unwrap();
            let v = r.variance.0.abs();
            if let Some(pc) = a.provider_cap {
                prop_assert!(r.provider_total.0.abs() <= pc.0);
            }
            if let Some(cc) = a.commissioner_cap {
                let both_bind = a.provider_cap.is_some_and(|pc| v > pc.0 + cc.0);
                if both_bind {
                    // The provider's cap holds; the commissioner bears the rest.
                    prop_assert_eq!(r.commissioner_total.0.abs(), v - a.provider_cap.map_or(0, |p| p.0));
                } else {
                    prop_assert!(r.commissioner_total.0.abs() <= cc.0);
                    prop_assert_eq!(r.commissioner_beyond_cap, Pence::ZERO);
                }
            }
        }

        /// Without a minimum rate (whose cliff is discontinuous by design) a 1p rise
        /// in outturn moves each side's total by 0p or +1p: continuous and monotone.
        #[test]
        fn each_side_is_continuous_in_outturn(a in agreement(false), f in 0.0f64..3.0) {
            let o = outturn(&a, f);
            let r0 = a.evaluate(o).unwrap();
            let r1 = a.evaluate(Pence(o.0 + 1)).unwrap();
            let dp = r1.provider_total.0 - r0.provider_total.0;
            let dc = r1.commissioner_total.0 - r0.commissioner_total.0;
            prop_assert!((0..=1).contains(&dp), "provider moved {}", dp);
            prop_assert!((0..=1).contains(&dc), "commissioner moved {}", dc);
        }

        /// The provider's share of a loss never falls as outturn rises (nor does the
        /// commissioner's); across zero both move from keeping a gain to bearing a loss.
        #[test]
        fn each_side_is_monotone_in_outturn(a in agreement(false), f in 0.0f64..3.0, g in 0.0f64..3.0) {
            let (lo, hi) = if f <= g { (f, g) } else { (g, f) };
            let r0 = a.evaluate(outturn(&a, lo)).unwrap();
            let r1 = a.evaluate(outturn(&a, hi)).unwrap();
            prop_assert!(r1.provider_total >= r0.provider_total);
            prop_assert!(r1.commissioner_total >= r0.commissioner_total);
        }
    }
}
