//! Outcome-linked payment: part of a contract's value is held at risk and earned
//! back metric by metric, and a quality bonus pool is shared in proportion to
//! contribution (DOMAIN.md §4).
//!
//! The formulas:
//! - at-risk amount = contract value × share at risk, rounded to the penny (half away from zero);
//! - available for metric i = the at-risk amount split by metric weight (largest remainder on
//!   the weights exactly as written);
//! - earned share for metric i = the metric's payment curve at the achieved value, from 0 to 1;
//! - earned for metric i = available × earned share (rounded); forgone = available − earned;
//! - total earned = Σ earned, which is at-risk amount × Σ weight × earned share to within
//!   1½p per metric (under a penny from the split, half a penny from the share);
//! - a bonus member's share = pool × contribution ÷ Σ contributions (largest remainder on the
//!   exact contributions, however large or small: 0.0000001 beside 1 gets its proportion).
//!
//! Payment curves work on the metric's *progress*: how far the achieved value has moved
//! from the threshold (progress 0) to the target (progress 1), mirrored for a
//! lower-is-better metric. Progress is 1 at or beyond the target and 0 short of the
//! threshold, so where the threshold is the target (allowed for all-or-nothing) progress
//! is 1 exactly when the target is met, as the earned share is. Every curve pays 1 at or
//! beyond the target; below the threshold linear and tiered pay 0. The baseline is
//! reported, never used to pay.
//!
//! Invariants (tested as properties):
//! - the metrics' available amounts sum to the at-risk amount exactly;
//! - for each metric 0 ≤ earned ≤ available and earned + forgone = available, so the
//!   total earned lies in [0, at-risk] and total earned + total forgone = at-risk exactly;
//! - the earned share never falls as performance improves (non-decreasing in the achieved
//!   value when higher is better, non-increasing when lower is better), for every curve;
//! - bonus shares sum to the pool exactly.

use crate::inputs;
use crate::money::{apportion_f64, sum, MoneyError, Pence};
use crate::names;
use crate::validation::{sums_to_one, Problems};
use crate::working::{people, percent, Working};
use serde::{Deserialize, Serialize};

/// A provider's contract with part of its value paid only for outcomes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeContract {
    pub provider: String,
    /// The contract value (JSON integer pence).
    pub contract_value: Pence,
    /// The fraction of the contract value at risk: 0.0125 is 1.25 % (CQUIN since 2019/20);
    /// outcome-based contracts put 5–20 % at risk. Allowed 0 to 1.
    pub share_at_risk: f64,
    /// The outcome metrics; their weights add up to 1.
    pub metrics: Vec<Metric>,
    /// An optional quality bonus shared in proportion to contribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bonus_pool: Option<BonusPool>,
}

/// One outcome metric and how it pays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub name: String,
    /// Its share of the at-risk amount: 0.2 is 20 %. All weights add up to 1.
    pub weight: f64,
    pub direction: Direction,
    /// Where performance started; reported for context, not used to pay.
    pub baseline: f64,
    /// Where payment starts (progress 0).
    pub threshold: f64,
    /// Where payment is full (progress 1).
    pub target: f64,
    /// What was achieved.
    pub achieved: f64,
    /// How progress turns into an earned share; linear when not given.
    #[serde(default)]
    pub curve: PaymentCurve,
}

/// Which way is better for a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// e.g. the share of patients seen within 18 weeks.
    HigherIsBetter,
    /// e.g. emergency readmissions per 1 000.
    LowerIsBetter,
}

/// How a metric's progress from threshold to target becomes an earned share.
///
/// JSON: `"linear"`, `"all_or_nothing"`, or
/// `{"tiered": {"tiers": [{"at": 0.5, "share": 0.4}, {"at": 0.75, "share": 0.7}]}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum PaymentCurve {
    /// 0 below the threshold, 1 at or beyond the target, in proportion to progress between.
    #[default]
    Linear,
    /// 1 at or beyond the target, otherwise 0; the threshold plays no part.
    AllOrNothing,
    /// A step function: the share of the highest tier reached, 0 below the first tier,
    /// 1 at or beyond the target.
    Tiered { tiers: Vec<Tier> },
}

/// One step of a tiered curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Progress at which this tier is reached, as a fraction of the way from the
    /// threshold (0) to the target (1), whichever the direction; from 0 up to but not
    /// including 1, because reaching the target always earns the full share.
    pub at: f64,
    /// The earned share from this tier on: 0.4 is 40 % of the metric's available amount.
    pub share: f64,
}

/// A fixed quality bonus shared among providers or clinicians by contribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BonusPool {
    /// The pool (JSON integer pence).
    pub amount: Pence,
    /// What contribution is measured in: "activity", "attributed population".
    pub basis_name: String,
    pub members: Vec<BonusMember>,
}

/// One sharer in a bonus pool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BonusMember {
    pub name: String,
    /// Contribution in the pool's basis (0 or more); only proportions matter.
    pub contribution: f64,
}

/// The outcome payment worked out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomePayment {
    pub provider: String,
    pub at_risk: Pence,
    pub at_risk_working: Working,
    pub metrics: Vec<MetricPayment>,
    /// Σ weight × earned share: the fraction of the at-risk amount earned, before pence.
    pub weighted_score: f64,
    pub total_earned: Pence,
    pub total_earned_working: Working,
    /// at-risk amount − total earned, exactly.
    pub total_forgone: Pence,
    pub total_forgone_working: Working,
    pub bonus: Option<BonusShares>,
}

/// What one metric earned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricPayment {
    pub name: String,
    pub weight: f64,
    pub baseline: f64,
    pub achieved: f64,
    /// Progress from threshold (0) to target (1), held within 0 to 1.
    pub progress: f64,
    /// The curve's value: the fraction of `available` earned.
    pub earned_share: f64,
    /// This metric's part of the at-risk amount.
    pub available: Pence,
    pub earned: Pence,
    /// available − earned, exactly.
    pub forgone: Pence,
    pub working: Working,
}

/// A bonus pool shared out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BonusShares {
    pub amount: Pence,
    pub basis_name: String,
    pub members: Vec<BonusMemberShare>,
}

/// One member's part of a bonus pool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BonusMemberShare {
    pub name: String,
    pub contribution: f64,
    /// contribution ÷ Σ contributions: 0.25 is 25 % of the pool.
    pub proportion: f64,
    pub share: Pence,
    pub working: Working,
}

/// `path.field`, or just `field` at the top level.
fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// A number for people: counts get thousands separators, fractions print as typed.
fn number(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        people(x)
    } else {
        format!("{x}")
    }
}

/// Hold a share within 0 to 1 (NaN, which valid input never gives, counts as 0).
fn unit(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, 1.0)
    }
}

/// Allowance for decimal typing when a progress fraction meets a tier (so threshold
/// 0.1, target 0.3, achieved 0.2 reaches a tier at 0.5 although the f64 sum says 0.4999…).
const TIER_TOLERANCE: f64 = 1e-9;

impl Direction {
    fn words(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher is better",
            Direction::LowerIsBetter => "lower is better",
        }
    }
}

impl PaymentCurve {
    fn words(&self) -> String {
        match self {
            PaymentCurve::Linear => "linear".into(),
            PaymentCurve::AllOrNothing => "all or nothing".into(),
            PaymentCurve::Tiered { tiers } => {
                let steps: Vec<String> = tiers
                    .iter()
                    .map(|t| {
                        format!(
                            "{} from {} of the way",
                            percent(t.share, 2),
                            percent(t.at, 2)
                        )
                    })
                    .collect();
                format!("tiered: {}", steps.join("; "))
            }
        }
    }

    /// Tier rules: at least one tier, each `at` in [0, 1) strictly ascending, each share
    /// in [0, 1] and never falling (so better performance never earns less).
    pub fn problems(&self, path: &str, out: &mut Problems) {
        let PaymentCurve::Tiered { tiers } = self else {
            return;
        };
        let tiers_path = join(path, "tiered.tiers");
        if tiers.is_empty() {
            out.push(
                tiers_path.as_str(),
                "none",
                "give at least one tier (or use the all_or_nothing curve)",
            );
        }
        for (j, tier) in tiers.iter().enumerate() {
            let at_path = format!("{tiers_path}[{j}].at");
            if !inputs::TIER_AT.allows(tier.at) {
                out.number(&inputs::TIER_AT, at_path.as_str(), tier.at);
            } else if tier.at == 1.0 {
                out.push(
                    at_path.as_str(),
                    tier.at,
                    "must be below 1 (100 %): the target always earns the full share",
                );
            }
            out.number(
                &inputs::TIER_SHARE,
                format!("{tiers_path}[{j}].share"),
                tier.share,
            );
            if let Some(before) = j.checked_sub(1).and_then(|k| tiers.get(k)) {
                if tier.at.is_finite() && before.at.is_finite() && tier.at <= before.at {
                    out.push(
                        at_path.as_str(),
                        tier.at,
                        format!(
                            "tiers must be in ascending order of progress: must be above {}",
                            before.at
                        ),
                    );
                }
                if tier.share.is_finite() && before.share.is_finite() && tier.share < before.share {
                    out.push(
                        format!("{tiers_path}[{j}].share"),
                        tier.share,
                        format!(
                            "a later tier must not earn less than the one before: must be {} or more",
                            before.share
                        ),
                    );
                }
            }
        }
    }
}

impl Metric {
    /// How far the achieved value has moved from the threshold (0) towards the target (1),
    /// mirrored for lower-is-better, held within 0 to 1: 1 at or beyond the target and 0
    /// short of the threshold, whatever the curve, so progress and the earned share agree
    /// at both ends (an all-or-nothing metric whose threshold is its target, met exactly,
    /// has progress 1, not 0 ÷ 0).
    pub fn progress(&self) -> f64 {
        if self.reached_target() {
            return 1.0;
        }
        if self.below_threshold() {
            return 0.0;
        }
        // Halving first keeps the differences finite for any finite inputs; in the
        // normal range it gives exactly the same quotient.
        let (gone, span) = match self.direction {
            Direction::HigherIsBetter => (
                self.achieved / 2.0 - self.threshold / 2.0,
                self.target / 2.0 - self.threshold / 2.0,
            ),
            Direction::LowerIsBetter => (
                self.threshold / 2.0 - self.achieved / 2.0,
                self.threshold / 2.0 - self.target / 2.0,
            ),
        };
        unit(gone / span)
    }

    fn reached_target(&self) -> bool {
        match self.direction {
            Direction::HigherIsBetter => self.achieved >= self.target,
            Direction::LowerIsBetter => self.achieved <= self.target,
        }
    }

    fn below_threshold(&self) -> bool {
        match self.direction {
            Direction::HigherIsBetter => self.achieved < self.threshold,
            Direction::LowerIsBetter => self.achieved > self.threshold,
        }
    }

    /// The fraction of this metric's available amount earned, from 0 to 1.
    pub fn earned_share(&self) -> f64 {
        // Compared directly, not through progress, so "met the target" is exact.
        if self.reached_target() {
            return 1.0;
        }
        if self.below_threshold() {
            return 0.0;
        }
        match &self.curve {
            PaymentCurve::AllOrNothing => 0.0,
            PaymentCurve::Linear => self.progress(),
            PaymentCurve::Tiered { tiers } => {
                let progress = self.progress();
                // The largest share reached, so a mis-ordered list can never make the
                // curve fall (validation rejects one anyway).
                unit(
                    tiers
                        .iter()
                        .filter(|t| t.at <= progress + TIER_TOLERANCE)
                        .map(|t| t.share)
                        .fold(0.0, f64::max),
                )
            }
        }
    }

    /// Every problem with this metric except its weight's part in the total (see
    /// [`OutcomeContract::problems`]).
    pub fn problems(&self, path: &str, out: &mut Problems) {
        out.name(&join(path, "name"), &self.name);
        out.number(&inputs::WEIGHT, join(path, "weight"), self.weight);
        out.number(
            &inputs::METRIC_BASELINE,
            join(path, "baseline"),
            self.baseline,
        );
        out.number(&inputs::THRESHOLD, join(path, "threshold"), self.threshold);
        out.number(&inputs::TARGET, join(path, "target"), self.target);
        out.number(&inputs::ACHIEVED, join(path, "achieved"), self.achieved);
        if self.threshold.is_finite() && self.target.is_finite() {
            // Linear and tiered curves divide by the distance from threshold to target.
            let strict = !matches!(self.curve, PaymentCurve::AllOrNothing);
            let (wrong_side, side) = match (self.direction, strict) {
                (Direction::HigherIsBetter, true) => (self.threshold >= self.target, "below"),
                (Direction::HigherIsBetter, false) => (self.threshold > self.target, "at or below"),
                (Direction::LowerIsBetter, true) => (self.threshold <= self.target, "above"),
                (Direction::LowerIsBetter, false) => (self.threshold < self.target, "at or above"),
            };
            if wrong_side {
                out.push(
                    join(path, "threshold"),
                    self.threshold,
                    format!(
                        "when {} and the curve is {}, the threshold must be {side} the target ({})",
                        self.direction.words(),
                        match self.curve {
                            PaymentCurve::Linear => "linear",
                            PaymentCurve::AllOrNothing => "all-or-nothing",
                            PaymentCurve::Tiered { .. } => "tiered",
                        },
                        self.target
                    ),
                );
            }
        }
        self.curve.problems(&join(path, "curve"), out);
    }

    fn working(&self, available: Pence, earned: Pence, forgone: Pence) -> Working {
        let between = match (&self.curve, self.direction) {
            (PaymentCurve::AllOrNothing, _) => {
                "earned share is 1 if the target is met, otherwise 0".to_string()
            }
            (PaymentCurve::Linear, Direction::HigherIsBetter) => {
                "earned share is 0 below the threshold, 1 at or above the target, and \
                 (achieved − threshold) ÷ (target − threshold) in between"
                    .to_string()
            }
            (PaymentCurve::Linear, Direction::LowerIsBetter) => {
                "earned share is 0 above the threshold, 1 at or below the target, and \
                 (threshold − achieved) ÷ (threshold − target) in between"
                    .to_string()
            }
            (PaymentCurve::Tiered { .. }, _) => {
                "earned share is the share of the highest tier reached (tiers are set at fractions \
                 of the way from threshold to target), 0 below the first tier, 1 at or beyond the target"
                    .to_string()
            }
        };
        Working::new(
            format!("Earned for {}", self.name),
            earned.display(),
            format!("available × earned share, rounded to the penny; {between}"),
        )
        .input("Weight", percent(self.weight, 2))
        .input(
            "Available (at-risk amount split by weight)",
            available.display(),
        )
        .input("Direction", self.direction.words())
        .input("Curve", self.curve.words())
        .input("Baseline", number(self.baseline))
        .input("Threshold", number(self.threshold))
        .input("Target", number(self.target))
        .input("Achieved", number(self.achieved))
        .input(
            "Progress from threshold to target",
            percent(self.progress(), 2),
        )
        .input("Earned share", percent(self.earned_share(), 2))
        .input("Forgone", forgone.display())
    }
}

impl BonusMember {
    pub fn problems(&self, path: &str, out: &mut Problems) {
        out.name(&join(path, "name"), &self.name);
        out.number(
            &inputs::BONUS_CONTRIBUTION,
            join(path, "contribution"),
            self.contribution,
        );
    }
}

impl BonusPool {
    /// Amount 0 or more, a basis named, at least one member, unique names, contributions
    /// 0 or more with at least one above 0.
    pub fn problems(&self, path: &str, out: &mut Problems) {
        out.whole(
            &inputs::BONUS,
            join(path, "amount"),
            self.amount.pence().into(),
        );
        out.name(&join(path, "basis_name"), &self.basis_name);
        let members_path = join(path, "members");
        if self.members.is_empty() {
            out.push(
                members_path.as_str(),
                "none",
                "give at least one member to share the bonus",
            );
        } else if !self
            .members
            .iter()
            .any(|m| m.contribution.is_finite() && m.contribution > 0.0)
        {
            out.push(
                members_path.as_str(),
                "no contribution above 0",
                "at least one member must have a contribution above 0",
            );
        }
        for (k, member) in self.members.iter().enumerate() {
            member.problems(&format!("{members_path}[{k}]"), out);
        }
        let repeats = names::repeats(self.members.iter().map(|m| m.name.as_str()));
        for (k, member) in self.members.iter().enumerate() {
            out.repeat(
                &format!("{members_path}[{k}].name"),
                &member.name,
                repeats[k],
                "must differ from every other member's name (it repeats members[{first}])",
            );
        }
    }

    /// Share the pool in proportion to contribution, to the penny. The pool is valid
    /// ([`BonusPool::problems`] found nothing): this does not check it again.
    pub fn share_out(&self) -> Result<BonusShares, MoneyError> {
        let contributions: Vec<f64> = self.members.iter().map(|m| m.contribution).collect();
        // Split by the contributions exactly as given, whatever their size.
        let parts = apportion_f64(self.amount, &contributions)?;
        let weights = in_range(&contributions);
        let total_weight: f64 = weights.iter().sum();
        let total_contribution: f64 = contributions.iter().sum();
        let members = self
            .members
            .iter()
            .zip(weights.iter().zip(parts))
            .map(|(member, (&weight, share))| {
                let proportion = unit(weight / total_weight);
                let working = Working::new(
                    format!("Quality bonus for {}", member.name),
                    share.display(),
                    format!(
                        "bonus pool × {name}'s {basis} ÷ everyone's {basis}, split to the penny \
                         by largest remainder (ties to the member listed first)",
                        name = member.name,
                        basis = self.basis_name
                    ),
                )
                .input("Bonus pool", self.amount.display())
                .input(
                    format!("{}'s {}", member.name, self.basis_name),
                    number(member.contribution),
                )
                .input(
                    format!("Everyone's {}", self.basis_name),
                    number(total_contribution),
                )
                .input("Proportion", percent(proportion, 2));
                BonusMemberShare {
                    name: member.name.clone(),
                    contribution: member.contribution,
                    proportion,
                    share,
                    working,
                }
            })
            .collect();
        Ok(BonusShares {
            amount: self.amount,
            basis_name: self.basis_name.clone(),
            members,
        })
    }
}

/// Contributions rescaled by powers of two (exact, so proportions are unchanged) so that the
/// largest lies between 1 and 10¹²: their sum, and each proportion shown, is then a finite
/// number however large or small they are (the split itself uses them as given).
fn in_range(contributions: &[f64]) -> Vec<f64> {
    const DOWN: f64 = 1.0 / 4_294_967_296.0; // 2⁻³²
    const UP: f64 = 4_294_967_296.0; // 2³²
    let mut scaled = contributions.to_vec();
    // Each step moves the largest by 2³² and f64 spans less than 2²¹⁰⁰: 70 steps suffice.
    for _ in 0..70 {
        let largest = scaled.iter().copied().fold(0.0_f64, f64::max);
        let factor = if largest > 1e12 {
            DOWN
        } else if largest > 0.0 && largest < 1.0 {
            UP
        } else {
            break;
        };
        for x in &mut scaled {
            *x *= factor;
        }
    }
    scaled
}

impl OutcomeContract {
    /// Every problem with the contract, its metrics and its bonus pool.
    pub fn problems(&self, path: &str, out: &mut Problems) {
        out.name(&join(path, "provider"), &self.provider);
        out.whole(
            &inputs::CONTRACT_VALUE,
            join(path, "contract_value"),
            self.contract_value.pence().into(),
        );
        out.number(
            &inputs::SHARE_AT_RISK,
            join(path, "share_at_risk"),
            self.share_at_risk,
        );
        let metrics_path = join(path, "metrics");
        if self.metrics.is_empty() {
            out.push(
                metrics_path.as_str(),
                "none",
                "give at least one outcome metric",
            );
        }
        for (i, metric) in self.metrics.iter().enumerate() {
            metric.problems(&format!("{metrics_path}[{i}]"), out);
        }
        let repeats = names::repeats(self.metrics.iter().map(|m| m.name.as_str()));
        for (i, metric) in self.metrics.iter().enumerate() {
            out.repeat(
                &format!("{metrics_path}[{i}].name"),
                &metric.name,
                repeats[i],
                "must differ from every other metric's name (it repeats metrics[{first}])",
            );
        }
        // A weight that is not a number is reported on its own; the sum would only repeat it.
        if !self.metrics.is_empty() && self.metrics.iter().all(|m| m.weight.is_finite()) {
            let weights = self.metrics.iter().map(|m| m.weight);
            if !sums_to_one(weights.clone()) {
                out.push(
                    metrics_path.as_str(),
                    // To millionths, the precision the sum is checked to.
                    format!(
                        "weights add up to {}",
                        (weights.sum::<f64>() * 1e6).round() / 1e6
                    ),
                    "metric weights must add up to 1 (100 %)",
                );
            }
        }
        if let Some(pool) = &self.bonus_pool {
            pool.problems(&join(path, "bonus_pool"), out);
        }
    }

    /// Work out what the provider earns. The contract is valid ([`OutcomeContract::problems`]
    /// found nothing): this does not check it again. Money too large to calculate with is
    /// an error, never a panic.
    pub fn payment(&self) -> Result<OutcomePayment, MoneyError> {
        let at_risk = self.contract_value.mul_rate(self.share_at_risk)?;
        let at_risk_working = Working::new(
            format!("Amount at risk for {}", self.provider),
            at_risk.display(),
            "contract value × share at risk, rounded to the penny (half away from zero)",
        )
        .input("Contract value", self.contract_value.display())
        .input("Share at risk", percent(self.share_at_risk, 2));

        let weights: Vec<f64> = self.metrics.iter().map(|m| m.weight).collect();
        let available = apportion_f64(at_risk, &weights)?;
        let mut metrics = Vec::with_capacity(self.metrics.len());
        for (metric, available) in self.metrics.iter().zip(available) {
            let earned_share = metric.earned_share();
            // earned ≤ available because the share is at most 1; forgone takes the rest.
            let earned = available.mul_rate(earned_share)?;
            let forgone = available.checked_sub(earned)?;
            metrics.push(MetricPayment {
                name: metric.name.clone(),
                weight: metric.weight,
                baseline: metric.baseline,
                achieved: metric.achieved,
                progress: metric.progress(),
                earned_share,
                available,
                earned,
                forgone,
                working: metric.working(available, earned, forgone),
            });
        }

        let weighted_score: f64 = metrics.iter().map(|m| m.weight * m.earned_share).sum();
        let total_earned = sum(metrics.iter().map(|m| m.earned))?;
        let total_forgone = at_risk.checked_sub(total_earned)?;
        let mut total_earned_working = Working::new(
            format!("Outcome payment earned by {}", self.provider),
            total_earned.display(),
            "Σ over metrics of (at-risk amount split by weight × earned share), each rounded to \
             the penny; about at-risk amount × Σ weight × earned share",
        )
        .input("Amount at risk", at_risk.display())
        .input("Σ weight × earned share", percent(weighted_score, 2));
        for m in &metrics {
            total_earned_working =
                total_earned_working.input(format!("Earned for {}", m.name), m.earned.display());
        }
        let total_forgone_working = Working::new(
            format!("Outcome payment forgone by {}", self.provider),
            total_forgone.display(),
            "amount at risk − outcome payment earned",
        )
        .input("Amount at risk", at_risk.display())
        .input("Earned", total_earned.display());

        let bonus = match &self.bonus_pool {
            Some(pool) => Some(pool.share_out()?),
            None => None,
        };

        Ok(OutcomePayment {
            provider: self.provider.clone(),
            at_risk,
            at_risk_working,
            metrics,
            weighted_score,
            total_earned,
            total_earned_working,
            total_forgone,
            total_forgone_working,
            bonus,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Direction::{HigherIsBetter as Up, LowerIsBetter as Down};
    use PaymentCurve::{AllOrNothing, Linear};

    const POUND: i64 = 100;
    const MILLION: i64 = 1_000_000 * POUND;

    fn metric(
        name: &str,
        weight: f64,
        direction: Direction,
        threshold: f64,
        target: f64,
        achieved: f64,
        curve: PaymentCurve,
    ) -> Metric {
        Metric {
            name: name.into(),
            weight,
            direction,
            baseline: threshold,
            threshold,
            target,
            achieved,
            curve,
        }
    }

    fn tiered(steps: &[(f64, f64)]) -> PaymentCurve {
        PaymentCurve::Tiered {
            tiers: steps
                .iter()
                .map(|&(at, share)| Tier { at, share })
                .collect(),
        }
    }

    fn contract(value: i64, share_at_risk: f64, metrics: Vec<Metric>) -> OutcomeContract {
        OutcomeContract {
            provider: "Anytown Hospitals NHS Trust".into(),
            contract_value: Pence(value),
            share_at_risk,
            metrics,
            bonus_pool: None,
        }
    }

    /// Five equally weighted all-or-nothing CQUIN indicators, `met` of them met.
    fn cquin(met: usize) -> Vec<Metric> {
        (0..5)
            .map(|i| {
                let achieved = if i < met { 0.95 } else { 0.85 };
                metric(
                    &format!("Indicator {}", i + 1),
                    0.2,
                    Up,
                    0.8,
                    0.9,
                    achieved,
                    AllOrNothing,
                )
            })
            .collect()
    }

    struct Case {
        what: &'static str,
        contract_value: i64,
        share_at_risk: f64,
        metrics: Vec<Metric>,
        at_risk: i64,
        available: Vec<i64>,
        earned: Vec<i64>,
        total_earned: i64,
        total_forgone: i64,
    }

    #[test]
    fn worked_examples() {
        let cases = vec![
            Case {
                what: "DOMAIN.md CQUIN: £200m at 1.25 %, 4 of 5 indicators met",
                contract_value: 200 * MILLION,
                share_at_risk: 0.0125,
                metrics: cquin(4),
                at_risk: 2_500_000 * POUND,
                available: vec![500_000 * POUND; 5],
                earned: vec![
                    500_000 * POUND,
                    500_000 * POUND,
                    500_000 * POUND,
                    500_000 * POUND,
                    0,
                ],
                total_earned: 2 * MILLION,
                total_forgone: 500_000 * POUND,
            },
            Case {
                what: "CQUIN 2016/17: £200m at 2.5 %, all 5 met",
                contract_value: 200 * MILLION,
                share_at_risk: 0.025,
                metrics: cquin(5),
                at_risk: 5 * MILLION,
                available: vec![MILLION; 5],
                earned: vec![MILLION; 5],
                total_earned: 5 * MILLION,
                total_forgone: 0,
            },
            Case {
                what: "linear, higher is better, halfway from threshold 60 to target 80",
                contract_value: 10 * MILLION,
                share_at_risk: 0.05,
                metrics: vec![metric(
                    "Seen within 18 weeks",
                    1.0,
                    Up,
                    60.0,
                    80.0,
                    70.0,
                    Linear,
                )],
                at_risk: 500_000 * POUND,
                available: vec![500_000 * POUND],
                earned: vec![250_000 * POUND],
                total_earned: 250_000 * POUND,
                total_forgone: 250_000 * POUND,
            },
            Case {
                what: "linear, lower is better, halfway from threshold 20 to target 10",
                contract_value: 10 * MILLION,
                share_at_risk: 0.05,
                metrics: vec![metric(
                    "Readmissions per 1 000",
                    1.0,
                    Down,
                    20.0,
                    10.0,
                    15.0,
                    Linear,
                )],
                at_risk: 500_000 * POUND,
                available: vec![500_000 * POUND],
                earned: vec![250_000 * POUND],
                total_earned: 250_000 * POUND,
                total_forgone: 250_000 * POUND,
            },
            Case {
                what: "60/40: linear halfway (up) and all-or-nothing missed (down)",
                contract_value: 50 * MILLION,
                share_at_risk: 0.1,
                metrics: vec![
                    metric("Smoking quits", 0.6, Up, 100.0, 300.0, 200.0, Linear),
                    metric("Falls", 0.4, Down, 12.0, 8.0, 9.0, AllOrNothing),
                ],
                at_risk: 5 * MILLION,
                available: vec![3 * MILLION, 2 * MILLION],
                earned: vec![1_500_000 * POUND, 0],
                total_earned: 1_500_000 * POUND,
                total_forgone: 3_500_000 * POUND,
            },
            Case {
                what: "lower is better: worse than threshold earns 0, beyond target earns all",
                contract_value: 10 * MILLION,
                share_at_risk: 0.2,
                metrics: vec![
                    metric("Delayed discharges", 0.5, Down, 20.0, 10.0, 25.0, Linear),
                    metric("Pressure ulcers", 0.5, Down, 20.0, 10.0, 8.0, Linear),
                ],
                at_risk: 2 * MILLION,
                available: vec![MILLION, MILLION],
                earned: vec![0, MILLION],
                total_earned: MILLION,
                total_forgone: MILLION,
            },
            Case {
                what:
                    "tiered: 60 % of the way reaches the 50 % tier (share 0.4), not the 75 % tier",
                contract_value: 10 * MILLION,
                share_at_risk: 0.1,
                metrics: vec![metric(
                    "Screening uptake",
                    1.0,
                    Up,
                    0.5,
                    0.7,
                    0.62,
                    tiered(&[(0.5, 0.4), (0.75, 0.7)]),
                )],
                at_risk: MILLION,
                available: vec![MILLION],
                earned: vec![400_000 * POUND],
                total_earned: 400_000 * POUND,
                total_forgone: 600_000 * POUND,
            },
            Case {
                what: "thirds of 100p: the odd penny to the largest remainder",
                contract_value: 10_000,
                share_at_risk: 0.01,
                metrics: vec![
                    metric("A", 0.333333, Up, 0.0, 1.0, 1.0, Linear),
                    metric("B", 0.333333, Up, 0.0, 1.0, 0.5, Linear),
                    metric("C", 0.333334, Up, 0.0, 1.0, 0.0, Linear),
                ],
                at_risk: 100,
                available: vec![33, 33, 34],
                // 33 × 0.5 = 16.5 rounds half away from zero to 17.
                earned: vec![33, 17, 0],
                total_earned: 50,
                total_forgone: 50,
            },
        ];
        for case in cases {
            let result = contract(case.contract_value, case.share_at_risk, case.metrics)
                .payment()
                .unwrap_or_else(|e| panic!("{}: {e}", case.what));
            assert_eq!(result.at_risk, Pence(case.at_risk), "{}", case.what);
            let available: Vec<i64> = result.metrics.iter().map(|m| m.available.pence()).collect();
            let earned: Vec<i64> = result.metrics.iter().map(|m| m.earned.pence()).collect();
            assert_eq!(available, case.available, "{}", case.what);
            assert_eq!(earned, case.earned, "{}", case.what);
            assert_eq!(
                result.total_earned,
                Pence(case.total_earned),
                "{}",
                case.what
            );
            assert_eq!(
                result.total_forgone,
                Pence(case.total_forgone),
                "{}",
                case.what
            );
        }
    }

    #[test]
    fn cquin_working_shows_the_figures() {
        let result = contract(200 * MILLION, 0.0125, cquin(4)).payment().unwrap();
        assert_eq!(result.at_risk_working.value, "£2,500,000.00");
        assert_eq!(result.at_risk_working.inputs[0].value, "£200,000,000.00");
        assert_eq!(result.at_risk_working.inputs[1].value, "1.25 %");
        assert_eq!(result.total_earned_working.value, "£2,000,000.00");
        assert_eq!(result.total_forgone_working.value, "£500,000.00");
        assert_eq!(result.weighted_score, 0.8);
        let missed = &result.metrics[4];
        assert_eq!(missed.earned_share, 0.0);
        assert_eq!(missed.forgone, Pence(500_000 * POUND));
        assert_eq!(missed.working.value, "£0.00");
        assert!(missed.working.formula.contains("1 if the target is met"));
    }

    #[test]
    fn earned_share_by_curve_and_direction() {
        let tiers = tiered(&[(0.0, 0.1), (0.5, 0.4), (0.75, 0.7)]);
        // (direction, curve, threshold, target, achieved, earned share); each lower-is-better
        // row mirrors the higher-is-better row above it.
        let rows: Vec<(Direction, PaymentCurve, f64, f64, f64, f64)> = vec![
            (Up, Linear, 60.0, 80.0, 59.9, 0.0),
            (Down, Linear, 40.0, 20.0, 40.1, 0.0),
            (Up, Linear, 60.0, 80.0, 60.0, 0.0),
            (Down, Linear, 40.0, 20.0, 40.0, 0.0),
            (Up, Linear, 60.0, 80.0, 65.0, 0.25),
            (Down, Linear, 40.0, 20.0, 35.0, 0.25),
            (Up, Linear, 60.0, 80.0, 70.0, 0.5),
            (Down, Linear, 40.0, 20.0, 30.0, 0.5),
            (Up, Linear, 60.0, 80.0, 80.0, 1.0),
            (Down, Linear, 40.0, 20.0, 20.0, 1.0),
            (Up, Linear, 60.0, 80.0, 95.0, 1.0),
            (Down, Linear, 40.0, 20.0, 5.0, 1.0),
            (Up, AllOrNothing, 60.0, 80.0, 79.9, 0.0),
            (Down, AllOrNothing, 40.0, 20.0, 20.1, 0.0),
            (Up, AllOrNothing, 80.0, 80.0, 80.0, 1.0),
            (Down, AllOrNothing, 20.0, 20.0, 20.0, 1.0),
            (Up, tiers.clone(), 60.0, 80.0, 59.0, 0.0),
            (Down, tiers.clone(), 40.0, 20.0, 41.0, 0.0),
            (Up, tiers.clone(), 60.0, 80.0, 60.0, 0.1),
            (Down, tiers.clone(), 40.0, 20.0, 40.0, 0.1),
            (Up, tiers.clone(), 60.0, 80.0, 70.0, 0.4),
            (Down, tiers.clone(), 40.0, 20.0, 30.0, 0.4),
            (Up, tiers.clone(), 60.0, 80.0, 79.0, 0.7),
            (Down, tiers.clone(), 40.0, 20.0, 21.0, 0.7),
            (Up, tiers.clone(), 60.0, 80.0, 80.0, 1.0),
            (Down, tiers.clone(), 40.0, 20.0, 20.0, 1.0),
            // Decimal typing: 0.2 is halfway from 0.1 to 0.3 although f64 says 0.4999….
            (Up, tiers.clone(), 0.1, 0.3, 0.2, 0.4),
        ];
        for (direction, curve, threshold, target, achieved, share) in rows {
            let m = metric(
                "m",
                1.0,
                direction,
                threshold,
                target,
                achieved,
                curve.clone(),
            );
            assert_eq!(
                m.earned_share(),
                share,
                "{direction:?} {curve:?} {threshold}→{target} at {achieved}"
            );
        }
    }

    #[test]
    fn baseline_is_reported_but_does_not_pay() {
        let mut m = metric("m", 1.0, Up, 60.0, 80.0, 70.0, Linear);
        let before = contract(MILLION, 0.1, vec![m.clone()]).payment().unwrap();
        m.baseline = 10.0;
        let after = contract(MILLION, 0.1, vec![m]).payment().unwrap();
        assert_eq!(before.total_earned, after.total_earned);
        assert_eq!(after.metrics[0].baseline, 10.0);
        assert!(after.metrics[0]
            .working
            .inputs
            .iter()
            .any(|i| i.name == "Baseline" && i.value == "10"));
    }

    #[test]
    fn bonus_pool_shared_by_contribution_to_the_penny() {
        let pool = BonusPool {
            amount: Pence(100),
            basis_name: "attributed population".into(),
            members: vec![
                BonusMember {
                    name: "Practice A".into(),
                    contribution: 1.0,
                },
                BonusMember {
                    name: "Practice B".into(),
                    contribution: 1.0,
                },
                BonusMember {
                    name: "Practice C".into(),
                    contribution: 1.0,
                },
                BonusMember {
                    name: "Practice D".into(),
                    contribution: 0.0,
                },
            ],
        };
        let shares = pool.share_out().unwrap();
        let pence: Vec<i64> = shares.members.iter().map(|m| m.share.pence()).collect();
        // Equal remainders: the spare penny goes to the member listed first.
        assert_eq!(pence, vec![34, 33, 33, 0]);
        assert_eq!(shares.members[1].working.inputs[3].value, "33.33 %");
        assert_eq!(shares.members[3].proportion, 0.0);

        // Healthier Together populations (DOMAIN.md), a £1m pool.
        let populations = [430_000.0, 225_000.0, 270_000.0, 75_000.0, 650_000.0];
        let pool = BonusPool {
            amount: Pence(MILLION),
            basis_name: "registered population".into(),
            members: populations
                .iter()
                .enumerate()
                .map(|(i, &p)| BonusMember {
                    name: format!("CCG {i}"),
                    contribution: p,
                })
                .collect(),
        };
        let shares = pool.share_out().unwrap();
        let pence: Vec<i64> = shares.members.iter().map(|m| m.share.pence()).collect();
        // 1e8p × p ÷ 1 650 000: 26 060 606.06, 13 636 363.64, 16 363 636.36, 4 545 454.55,
        // 39 393 939.39 → floors leave 2p, to the remainders .64 and .55.
        assert_eq!(
            pence,
            vec![26_060_606, 13_636_364, 16_363_636, 4_545_455, 39_393_939]
        );
        assert_eq!(shares.members[4].working.inputs[2].value, "1,650,000");

        // Contributions of any magnitude split exactly.
        let huge = BonusPool {
            amount: Pence(1_000),
            basis_name: "activity".into(),
            members: vec![
                BonusMember {
                    name: "X".into(),
                    contribution: 3e300,
                },
                BonusMember {
                    name: "Y".into(),
                    contribution: 1e300,
                },
            ],
        };
        let pence: Vec<i64> = huge
            .share_out()
            .unwrap()
            .members
            .iter()
            .map(|m| m.share.pence())
            .collect();
        assert_eq!(pence, vec![750, 250]);
        let tiny = BonusPool {
            members: vec![
                BonusMember {
                    name: "X".into(),
                    contribution: 3e-300,
                },
                BonusMember {
                    name: "Y".into(),
                    contribution: 1e-300,
                },
            ],
            ..huge
        };
        let pence: Vec<i64> = tiny
            .share_out()
            .unwrap()
            .members
            .iter()
            .map(|m| m.share.pence())
            .collect();
        assert_eq!(pence, vec![750, 250]);
    }

    /// A tiny contribution beside a large one gets its exact proportion, to
    /// the penny (rounded to millionths it got nothing).
    #[test]
    fn a_tiny_contribution_gets_its_exact_share() {
        let pool = BonusPool {
            // £10,000,001 × 0.0000001 ÷ 1.0000001 = £1 exactly.
            amount: Pence(1_000_000_100),
            basis_name: "activity".into(),
            members: vec![
                BonusMember {
                    name: "Small practice".into(),
                    contribution: 0.0000001,
                },
                BonusMember {
                    name: "Large practice".into(),
                    contribution: 1.0,
                },
            ],
        };
        let shares = pool.share_out().unwrap();
        assert_eq!(shares.members[0].share, Pence(100));
        assert_eq!(shares.members[1].share, Pence(1_000_000_000));
    }

    /// An all-or-nothing metric whose threshold is its target, met exactly,
    /// has progress 100 % and earns 100 %; missed, 0 % and 0 %.
    #[test]
    fn progress_and_earned_share_agree_when_threshold_is_target() {
        for (direction, achieved, expected) in [
            (Up, 80.0, 1.0),
            (Up, 79.9, 0.0),
            (Up, 95.0, 1.0),
            (Down, 80.0, 1.0),
            (Down, 80.1, 0.0),
        ] {
            let m = metric("m", 1.0, direction, 80.0, 80.0, achieved, AllOrNothing);
            assert_eq!(m.progress(), expected, "{direction:?} at {achieved}");
            assert_eq!(m.earned_share(), expected, "{direction:?} at {achieved}");
            let paid = contract(MILLION, 0.1, vec![m]).payment().unwrap();
            assert_eq!(paid.metrics[0].progress, expected);
            let shown = &paid.metrics[0].working.inputs;
            let progress = shown
                .iter()
                .find(|i| i.name.starts_with("Progress"))
                .unwrap();
            let earned = shown.iter().find(|i| i.name == "Earned share").unwrap();
            assert_eq!(progress.value, earned.value);
        }
    }

    #[test]
    fn json_is_pleasant_to_write_by_hand() {
        let json = r#"{
            "provider": "Anytown Hospitals NHS Trust",
            "contract_value": 20000000000,
            "share_at_risk": 0.0125,
            "metrics": [
                {"name": "Flu vaccination of staff", "weight": 0.5, "direction": "higher_is_better",
                 "baseline": 0.6, "threshold": 0.7, "target": 0.9, "achieved": 0.8},
                {"name": "Readmissions", "weight": 0.3, "direction": "lower_is_better",
                 "baseline": 14, "threshold": 12, "target": 10, "achieved": 9,
                 "curve": "all_or_nothing"},
                {"name": "Screening uptake", "weight": 0.2, "direction": "higher_is_better",
                 "baseline": 0.5, "threshold": 0.5, "target": 0.7, "achieved": 0.62,
                 "curve": {"tiered": {"tiers": [{"at": 0.5, "share": 0.4}, {"at": 0.75, "share": 0.7}]}}}
            ],
            "bonus_pool": {"amount": 10000000, "basis_name": "activity",
                           "members": [{"name": "Ward 1", "contribution": 300}, {"name": "Ward 2", "contribution": 100}]}
        }"#;
        let c: OutcomeContract = serde_json::from_str(json).unwrap();
        assert_eq!(c.metrics[0].curve, Linear, "linear is the default curve");
        assert_eq!(c.metrics[1].direction, Down);
        assert_eq!(c.metrics[2].curve, tiered(&[(0.5, 0.4), (0.75, 0.7)]));
        let back: OutcomeContract =
            serde_json::from_value(serde_json::to_value(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        let text = serde_json::to_string(&c).unwrap();
        assert!(text.contains(r#""curve":"all_or_nothing""#));
        assert!(text.contains(r#""curve":{"tiered":{"tiers":["#));

        let result = c.payment().unwrap();
        // £2.5m at risk: £1.25m × 0.5 + £750k × 1 + £500k × 0.4.
        assert_eq!(result.total_earned, Pence(1_575_000 * POUND));
        let bonus = result.bonus.unwrap();
        assert_eq!(bonus.members[0].share, Pence(75_000 * POUND));
        let json_out = serde_json::to_value(&bonus).unwrap();
        assert_eq!(json_out["members"][1]["share"], 2_500_000);

        for bad in [
            json.replace(r#""achieved": 0.8"#, r#""achieved": 0.8, "acheived": 0.9"#),
            json.replace(r#""share": 0.4}"#, r#""share": 0.4, "extra": 1}"#),
            json.replace(r#"{"tiers": "#, r#"{"levels": 1, "tiers": "#),
            json.replace("higher_is_better", "HigherIsBetter"),
            json.replace(r#""all_or_nothing""#, r#""stepwise""#),
        ] {
            assert!(
                serde_json::from_str::<OutcomeContract>(&bad).is_err(),
                "{bad}"
            );
        }
    }

    fn valid() -> OutcomeContract {
        OutcomeContract {
            bonus_pool: Some(BonusPool {
                amount: Pence(MILLION),
                basis_name: "activity".into(),
                members: vec![
                    BonusMember {
                        name: "A".into(),
                        contribution: 2.0,
                    },
                    BonusMember {
                        name: "B".into(),
                        contribution: 1.0,
                    },
                ],
            }),
            ..contract(
                200 * MILLION,
                0.0125,
                vec![
                    metric("Up", 0.5, Up, 60.0, 80.0, 70.0, Linear),
                    metric("Down", 0.3, Down, 40.0, 20.0, 30.0, AllOrNothing),
                    metric(
                        "Steps",
                        0.2,
                        Up,
                        0.0,
                        1.0,
                        0.5,
                        tiered(&[(0.25, 0.3), (0.5, 0.6)]),
                    ),
                ],
            )
        }
    }

    fn paths(c: &OutcomeContract) -> Vec<String> {
        let mut out = Problems::new();
        c.problems("outcomes", &mut out);
        out.into_vec().into_iter().map(|p| p.path).collect()
    }

    #[test]
    fn each_rule_reports_its_path() {
        assert_eq!(paths(&valid()), Vec::<String>::new());
        type Change = fn(&mut OutcomeContract);
        let rules: Vec<(&str, Change, &str)> = vec![
            (
                "blank provider",
                |c| c.provider = " ".into(),
                "outcomes.provider",
            ),
            (
                "negative contract",
                |c| c.contract_value = Pence(-1),
                "outcomes.contract_value",
            ),
            (
                "share above 1",
                |c| c.share_at_risk = 1.5,
                "outcomes.share_at_risk",
            ),
            (
                "share negative",
                |c| c.share_at_risk = -0.01,
                "outcomes.share_at_risk",
            ),
            (
                "share NaN",
                |c| c.share_at_risk = f64::NAN,
                "outcomes.share_at_risk",
            ),
            ("no metrics", |c| c.metrics.clear(), "outcomes.metrics"),
            (
                "weights short of 1",
                |c| c.metrics[0].weight = 0.4,
                "outcomes.metrics",
            ),
            (
                "blank metric name",
                |c| c.metrics[1].name = "".into(),
                "outcomes.metrics[1].name",
            ),
            (
                "repeated metric name",
                |c| c.metrics[2].name = " Up ".into(),
                "outcomes.metrics[2].name",
            ),
            (
                "baseline infinite",
                |c| c.metrics[0].baseline = f64::INFINITY,
                "outcomes.metrics[0].baseline",
            ),
            (
                "target NaN",
                |c| c.metrics[0].target = f64::NAN,
                "outcomes.metrics[0].target",
            ),
            (
                "achieved NaN",
                |c| c.metrics[0].achieved = f64::NAN,
                "outcomes.metrics[0].achieved",
            ),
            (
                "threshold NaN",
                |c| c.metrics[0].threshold = f64::NAN,
                "outcomes.metrics[0].threshold",
            ),
            (
                "linear threshold = target",
                |c| c.metrics[0].threshold = 80.0,
                "outcomes.metrics[0].threshold",
            ),
            (
                "higher: threshold above target",
                |c| c.metrics[0].threshold = 90.0,
                "outcomes.metrics[0].threshold",
            ),
            (
                "lower: threshold below target",
                |c| c.metrics[1].threshold = 10.0,
                "outcomes.metrics[1].threshold",
            ),
            (
                "tiered threshold = target",
                |c| c.metrics[2].threshold = 1.0,
                "outcomes.metrics[2].threshold",
            ),
            (
                "no tiers",
                |c| c.metrics[2].curve = tiered(&[]),
                "outcomes.metrics[2].curve.tiered.tiers",
            ),
            (
                "tier at 1",
                |c| c.metrics[2].curve = tiered(&[(0.25, 0.3), (1.0, 0.6)]),
                "outcomes.metrics[2].curve.tiered.tiers[1].at",
            ),
            (
                "tier at negative",
                |c| c.metrics[2].curve = tiered(&[(-0.1, 0.3)]),
                "outcomes.metrics[2].curve.tiered.tiers[0].at",
            ),
            (
                "tiers not ascending",
                |c| c.metrics[2].curve = tiered(&[(0.5, 0.3), (0.5, 0.6)]),
                "outcomes.metrics[2].curve.tiered.tiers[1].at",
            ),
            (
                "tier share above 1",
                |c| c.metrics[2].curve = tiered(&[(0.5, 1.2)]),
                "outcomes.metrics[2].curve.tiered.tiers[0].share",
            ),
            (
                "tier shares falling",
                |c| c.metrics[2].curve = tiered(&[(0.25, 0.6), (0.5, 0.3)]),
                "outcomes.metrics[2].curve.tiered.tiers[1].share",
            ),
            (
                "negative pool",
                |c| c.bonus_pool.as_mut().unwrap().amount = Pence(-5),
                "outcomes.bonus_pool.amount",
            ),
            (
                "blank basis",
                |c| c.bonus_pool.as_mut().unwrap().basis_name = "".into(),
                "outcomes.bonus_pool.basis_name",
            ),
            (
                "no members",
                |c| c.bonus_pool.as_mut().unwrap().members.clear(),
                "outcomes.bonus_pool.members",
            ),
            (
                "no positive contribution",
                |c| {
                    c.bonus_pool
                        .as_mut()
                        .unwrap()
                        .members
                        .iter_mut()
                        .for_each(|m| m.contribution = 0.0)
                },
                "outcomes.bonus_pool.members",
            ),
            (
                "negative contribution",
                |c| c.bonus_pool.as_mut().unwrap().members[1].contribution = -1.0,
                "outcomes.bonus_pool.members[1].contribution",
            ),
            (
                "blank member name",
                |c| c.bonus_pool.as_mut().unwrap().members[0].name = "".into(),
                "outcomes.bonus_pool.members[0].name",
            ),
            (
                "repeated member name",
                |c| c.bonus_pool.as_mut().unwrap().members[1].name = "A".into(),
                "outcomes.bonus_pool.members[1].name",
            ),
        ];
        for (what, change, path) in rules {
            let mut c = valid();
            change(&mut c);
            assert_eq!(paths(&c), vec![path.to_string()], "{what}");
        }
        // Weights typed as tenths add to 1 within typing noise.
        let mut c = valid();
        c.metrics = (0..10)
            .map(|i| metric(&format!("m{i}"), 0.1, Up, 0.0, 1.0, 0.5, Linear))
            .collect();
        assert_eq!(paths(&c), Vec::<String>::new());
        // All-or-nothing allows the threshold at the target.
        let mut c = valid();
        c.metrics[1].threshold = 20.0;
        assert_eq!(paths(&c), Vec::<String>::new());
    }

    #[test]
    fn problem_messages_say_what_is_allowed() {
        let mut c = valid();
        c.metrics[1].threshold = 10.0;
        c.metrics[0].weight = 0.4;
        let mut out = Problems::new();
        c.problems("outcomes", &mut out);
        let list = out.into_vec();
        assert_eq!(
            list[0].message,
            "when lower is better and the curve is all-or-nothing, the threshold must be at or above the target (20)"
        );
        assert_eq!(list[1].value, "weights add up to 0.9");
        assert!(list[1].message.contains("add up to 1"));
    }

    #[test]
    fn an_invalid_contract_reports_every_problem_at_once() {
        let c = OutcomeContract {
            provider: "".into(),
            contract_value: Pence(-100),
            share_at_risk: 2.0,
            metrics: vec![
                Metric {
                    name: "".into(),
                    weight: f64::NAN,
                    direction: Up,
                    baseline: f64::NAN,
                    threshold: 90.0,
                    target: 80.0,
                    achieved: f64::INFINITY,
                    curve: Linear,
                },
                metric(
                    "B",
                    0.5,
                    Down,
                    10.0,
                    20.0,
                    15.0,
                    tiered(&[(0.6, 0.5), (0.4, 0.2)]),
                ),
                metric("B", 0.5, Up, 0.0, 1.0, 0.5, Linear),
            ],
            bonus_pool: Some(BonusPool {
                amount: Pence(-1),
                basis_name: " ".into(),
                members: vec![
                    BonusMember {
                        name: "X".into(),
                        contribution: -2.0,
                    },
                    BonusMember {
                        name: "X".into(),
                        contribution: 0.0,
                    },
                ],
            }),
        };
        let expected = [
            "outcomes.provider",
            "outcomes.contract_value",
            "outcomes.share_at_risk",
            "outcomes.metrics[0].name",
            "outcomes.metrics[0].weight",
            "outcomes.metrics[0].baseline",
            "outcomes.metrics[0].achieved",
            "outcomes.metrics[0].threshold",
            "outcomes.metrics[1].threshold",
            "outcomes.metrics[1].curve.tiered.tiers[1].at",
            "outcomes.metrics[1].curve.tiered.tiers[1].share",
            "outcomes.metrics[2].name",
            "outcomes.bonus_pool.amount",
            "outcomes.bonus_pool.basis_name",
            "outcomes.bonus_pool.members",
            "outcomes.bonus_pool.members[0].contribution",
            "outcomes.bonus_pool.members[1].name",
        ];
        assert_eq!(paths(&c), expected);
        // At the contract's own top level, the same problems without the prefix.
        let mut out = Problems::new();
        c.problems("", &mut out);
        assert_eq!(out.list.len(), expected.len());
        assert_eq!(out.list.len(), 17);
        assert_eq!(out.list[0].path, "provider");
    }

    #[test]
    fn absurd_amounts_overflow_as_errors_not_panics() {
        let c = contract(
            i64::MAX,
            1.0,
            vec![metric("m", 1.0, Up, 0.0, 1.0, 1.0, Linear)],
        );
        assert_eq!(c.payment().unwrap().total_earned, Pence(i64::MAX));
        let extreme = contract(
            i64::MAX,
            1.0,
            vec![metric("m", 1.0, Up, -f64::MAX, f64::MAX, 0.0, Linear)],
        );
        let result = extreme.payment().unwrap();
        assert_eq!(result.metrics[0].earned_share, 0.5);
        assert_eq!(
            MoneyError::Overflow.to_string(),
            "the amount is too large to calculate with"
        );
    }

    // ---- properties ----

    fn direction() -> impl Strategy<Value = Direction> {
        prop_oneof![Just(Up), Just(Down)]
    }

    fn curve() -> impl Strategy<Value = PaymentCurve> {
        let tiers = prop::collection::vec((0.0..1.0f64, 0.0..=1.0f64), 1..5).prop_map(|pairs| {
            let mut ats: Vec<f64> = pairs.iter().map(|p| p.0).collect();
            let mut shares: Vec<f64> = pairs.iter().map(|p| p.1).collect();
            ats.sort_by(f64::total_cmp);
            ats.dedup();
            shares.sort_by(f64::total_cmp);
            PaymentCurve::Tiered {
                tiers: ats
                    .into_iter()
                    .zip(shares)
                    .map(|(at, share)| Tier { at, share })
                    .collect(),
            }
        });
        prop_oneof![Just(Linear), Just(AllOrNothing), tiers]
    }

    /// Where achieved sits, in units of the threshold-to-target distance: often exactly
    /// on the threshold, halfway or on the target, otherwise anywhere around them.
    fn position() -> impl Strategy<Value = f64> {
        prop_oneof![Just(0.0), Just(0.5), Just(1.0), -1.0..2.0f64]
    }

    /// A metric (weight to be set) with threshold strictly before target.
    fn any_metric() -> impl Strategy<Value = Metric> {
        (
            direction(),
            curve(),
            -1_000.0..1_000.0f64,
            0.001..500.0f64,
            position(),
        )
            .prop_map(|(direction, curve, threshold, gap, at)| {
                let target = match direction {
                    Up => threshold + gap,
                    Down => threshold - gap,
                };
                let achieved = threshold + at * (target - threshold);
                metric("m", 1.0, direction, threshold, target, achieved, curve)
            })
    }

    fn any_contract() -> impl Strategy<Value = OutcomeContract> {
        (
            prop_oneof![0..=10_000_000_000_000i64, 0..=i64::MAX],
            prop_oneof![Just(0.0125), Just(1.0), 0.0..=1.0f64],
            prop::collection::vec((any_metric(), 0.01..1.0f64), 1..7),
        )
            .prop_map(|(value, share, metrics)| {
                let raw_total: f64 = metrics.iter().map(|m| m.1).sum();
                let metrics = metrics
                    .into_iter()
                    .enumerate()
                    .map(|(i, (mut m, raw))| {
                        m.name = format!("Metric {i}");
                        m.weight = raw / raw_total;
                        m
                    })
                    .collect();
                contract(value, share, metrics)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn earned_lies_between_nothing_and_the_at_risk_amount(c in any_contract()) {
            let r = c.payment().unwrap();
            prop_assert!(r.total_earned >= Pence::ZERO && r.total_earned <= r.at_risk);
            for m in &r.metrics {
                prop_assert!(m.earned >= Pence::ZERO && m.earned <= m.available);
                prop_assert!((0.0..=1.0).contains(&m.earned_share));
            }
        }

        #[test]
        fn earned_plus_forgone_is_the_at_risk_amount(c in any_contract()) {
            let r = c.payment().unwrap();
            prop_assert_eq!(r.total_earned.checked_add(r.total_forgone), Ok(r.at_risk));
            for m in &r.metrics {
                prop_assert_eq!(m.earned.checked_add(m.forgone), Ok(m.available));
            }
            prop_assert_eq!(sum(r.metrics.iter().map(|m| m.forgone)), Ok(r.total_forgone));
        }

        #[test]
        fn available_amounts_sum_to_the_at_risk_amount(c in any_contract()) {
            let r = c.payment().unwrap();
            prop_assert_eq!(sum(r.metrics.iter().map(|m| m.available)), Ok(r.at_risk));
        }

        #[test]
        fn bonus_shares_sum_to_the_pool(
            amount in prop_oneof![0..=100_000_000i64, 0..=i64::MAX],
            contributions in prop::collection::vec(
                prop_oneof![Just(0.0), 0.0..1_000_000.0f64], 1..10),
            first in 0.001..1_000_000.0f64,
            scale in -300..300i32,
        ) {
            // At least one positive contribution, at any magnitude f64 can hold.
            let members = std::iter::once(first)
                .chain(contributions)
                .enumerate()
                .map(|(i, c)| BonusMember { name: format!("Member {i}"), contribution: c * libm::pow(10.0, scale as f64) })
                .collect();
            let pool = BonusPool { amount: Pence(amount), basis_name: "activity".into(), members };
            let shares = pool.share_out().unwrap();
            prop_assert_eq!(sum(shares.members.iter().map(|m| m.share)), Ok(Pence(amount)));
            for m in &shares.members {
                prop_assert!(m.share >= Pence::ZERO);
                if m.contribution == 0.0 {
                    prop_assert_eq!(m.share, Pence::ZERO);
                }
            }
        }

        #[test]
        fn earned_share_never_falls_as_performance_improves(
            m in any_metric(),
            a in position(),
            b in position(),
        ) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let at = |p: f64| Metric { achieved: m.threshold + p * (m.target - m.threshold), ..m.clone() };
            // lo is less performance than hi in both directions (positions count towards target).
            let (worse, better) = (at(lo), at(hi));
            match m.direction {
                Up => prop_assert!(worse.achieved <= better.achieved),
                Down => prop_assert!(worse.achieved >= better.achieved),
            }
            prop_assert!(
                worse.earned_share() <= better.earned_share(),
                "{:?}: {} → {}, {} → {}",
                m.curve, worse.achieved, worse.earned_share(), better.achieved, better.earned_share()
            );
        }
    }
}
