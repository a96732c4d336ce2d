//! Fair shares: target allocations from weighted population, distance from
//! target, and a pace-of-change policy that moves places towards target over
//! 1 to 10 years (DOMAIN.md section 2).
//!
//! Formulas, each year *t* (year 1 starts from each place's baseline):
//! - **envelope**: year 1 as given; year *t* = year *t−1* × (1 + annual growth), rounded
//!   half away from zero to the penny (the grown envelope is rounded, not the growth, so a
//!   cut rounds like a rise: 100,100p × 0.995 = 99,599.5p gives 99,600p).
//! - **target**ᵢ = envelope × weighted populationᵢ ÷ Σ weighted population, split by
//!   largest remainder on the exact weighted populations ([`money::apportion_f64`]) so the
//!   targets add up to the envelope.
//! - **distance from target** = (allocation − target) ÷ target, "before" using the previous
//!   allocation *p*ᵢ and "after" using this year's allocation (see [`distance_from_target`]).
//! - **floor**ᵢ = *p*ᵢ × (1 + floor uplift); **cap**ᵢ = *p*ᵢ × (1 + over-target cap); each the
//!   grown amount rounded once half away from zero, like the envelope.
//! - **per head**: an amount ÷ weighted or registered population, the heads exactly as given,
//!   rounded once half away from zero ([`money::per_head`]).
//! - **provisional allocation**: a place under target (*p*ᵢ < targetᵢ) gets
//!   max(floorᵢ, *p*ᵢ + gap closure × (targetᵢ − *p*ᵢ)); a place at or over target gets floorᵢ.
//! - **fitting the envelope** (the allocations must add up to it exactly):
//!   1. *surplus* (envelope > Σ provisional): shared in proportion to weighted population,
//!      that is the same amount per weighted head for every place: each place's share of the
//!      total then moves towards its target share (the new share is a weighted average of the
//!      old share and the target share). A place that started at or over target is held at
//!      its cap, and what it cannot take is shared among the others in the same proportion
//!      (water-filling). A place under target may pass its target this way.
//!   2. *shortfall* with every floor affordable (Σ floor ≤ envelope): growth above the floor
//!      is scaled down in the same proportion for every place (the shortfall is split in
//!      proportion to each place's growth above its floor), so nobody drops below the floor.
//!      Only places under target have growth above the floor, so they bear the shortfall.
//!   3. *floor unaffordable* (Σ floor > envelope): every place is treated alike. If the
//!      envelope still covers last year's allocations, each keeps its previous allocation and
//!      gets the same fraction of its floor uplift that the envelope affords; otherwise every
//!      place gets the same share of the lower of its previous allocation and its floor (a cut
//!      of the same proportion for all). Gap closure is suspended that year.
//!
//! Floor versus cap: validation requires the over-target cap to be 0 or more **and** at least
//! the floor uplift (both are reported if broken), rather than letting one silently win: a cap
//! then never undercuts the floor, and because every place at or over target can take at least
//! its previous allocation, a surplus can always be placed (a place under target has no cap;
//! with none under target, Σ previous ≥ Σ targets = envelope).
//!
//! Invariants (property-tested):
//! - Σ targets = envelope and Σ allocations = envelope, every year, to the penny;
//! - if every floor is affordable, every allocation ≥ its floor; if not, every allocation ≤ its
//!   floor (nobody gets their full floor while others cannot);
//! - a place at or over target never gets more than its cap;
//! - with a floor uplift ≥ 0 and an envelope at least as large as last year's total allocation,
//!   no allocation falls, so a place under target never moves further below its target. (It can
//!   end *above* target: its floor uplift or its share of a surplus can carry it past.)

use crate::inputs::{self, Unit};
use crate::money::{self, MoneyError, Pence};
use crate::names;
use crate::validation::Problems;
use crate::working::{people, percent, Working};
use serde::{Deserialize, Serialize};

/// The longest pace-of-change horizon, in years.
pub const MAX_YEARS: u32 = 10;

/// Upper bound on any population, to keep the weights within exact integer arithmetic.
pub const MAX_PEOPLE: f64 = 10_000_000_000.0;

/// A fair-shares scenario: places, their baselines and weighted populations, the envelope
/// and the pace-of-change policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FairShares {
    /// How many years to run the pace-of-change policy: 1 to 10.
    pub years: u32,
    pub envelope: Envelope,
    pub pace_of_change: PaceOfChange,
    pub places: Vec<Place>,
}

/// The money to share among the places: the first year's total, growing each year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// The envelope in year 1, in pence.
    pub first_year_total: Pence,
    /// Cash growth of the envelope each year after the first (0.03 = 3 %).
    pub annual_growth: f64,
}

/// How fast places move towards target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaceOfChange {
    /// Every place gets at least this cash growth on its previous allocation (0.01 = 1 %),
    /// when the envelope can afford it for everyone.
    pub floor_uplift: f64,
    /// Fraction of the gap to target closed each year by a place under target (0.25 = 25 %).
    pub gap_closure: f64,
    /// Most cash growth a place at or over target can get (0.02 = 2 %); none means no cap.
    /// Must be 0 or more and at least the floor uplift.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over_target_cap: Option<f64>,
}

/// One place sharing the envelope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    /// Last year's allocation, in pence: where year 1 starts from.
    pub baseline: Pence,
    /// Weighted population for each year of the horizon (one value per year).
    pub weighted_population: Vec<f64>,
    /// Registered (raw) population for each year, if known: for per-head figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<Vec<f64>>,
}

impl FairShares {
    /// Adds every problem with the scenario to `out`.
    pub fn problems(&self, path: &str, out: &mut Problems) {
        out.whole(&inputs::YEARS, format!("{path}.years"), self.years.into());
        self.envelope.problems(&format!("{path}.envelope"), out);
        self.pace_of_change
            .problems(&format!("{path}.pace_of_change"), out);
        if self.places.is_empty() {
            out.push(format!("{path}.places"), "none", "give at least one place");
        }
        let repeats = names::repeats(self.places.iter().map(|p| p.name.as_str()));
        for (i, place) in self.places.iter().enumerate() {
            let place_path = format!("{path}.places[{i}]");
            place.problems(&place_path, self.years, out);
            out.repeat(
                &format!("{place_path}.name"),
                &place.name,
                repeats[i],
                "each place needs a different name",
            );
        }
    }
}

impl Envelope {
    pub fn problems(&self, path: &str, out: &mut Problems) {
        out.whole(
            &inputs::ENVELOPE,
            format!("{path}.first_year_total"),
            self.first_year_total.pence().into(),
        );
        out.number(
            &inputs::ENVELOPE_GROWTH,
            format!("{path}.annual_growth"),
            self.annual_growth,
        );
    }
}

impl PaceOfChange {
    pub fn problems(&self, path: &str, out: &mut Problems) {
        out.number(
            &inputs::FLOOR_UPLIFT,
            format!("{path}.floor_uplift"),
            self.floor_uplift,
        );
        out.number(
            &inputs::GAP_CLOSURE,
            format!("{path}.gap_closure"),
            self.gap_closure,
        );
        if let Some(cap) = self.over_target_cap {
            let cap_path = format!("{path}.over_target_cap");
            if !inputs::OVER_TARGET_CAP.allows(cap) {
                out.number(&inputs::OVER_TARGET_CAP, cap_path, cap);
            } else if self.floor_uplift.is_finite() && cap < self.floor_uplift {
                out.push(
                    cap_path,
                    cap,
                    format!(
                        "must be at least the floor uplift ({}): every place gets the floor",
                        self.floor_uplift
                    ),
                );
            }
        }
    }
}

impl Place {
    pub fn problems(&self, path: &str, years: u32, out: &mut Problems) {
        out.name(&format!("{path}.name"), &self.name);
        out.whole(
            &inputs::BASELINE,
            format!("{path}.baseline"),
            self.baseline.pence().into(),
        );
        people_per_year(
            &format!("{path}.weighted_population"),
            &self.weighted_population,
            years,
            out,
        );
        if let Some(population) = &self.population {
            people_per_year(&format!("{path}.population"), population, years, out);
        }
    }
}

/// One count of people per year, each from 1 to 10 billion.
fn people_per_year(path: &str, values: &[f64], years: u32, out: &mut Problems) {
    if values.len() != years as usize {
        out.push(
            path,
            format!("{} values", values.len()),
            format!("give one value for each of the {years} years"),
        );
    }
    for (i, &v) in values.iter().enumerate() {
        out.between(format!("{path}[{i}]"), v, 1.0, MAX_PEOPLE, Unit::Number);
    }
}

/// Where a place starts the year relative to its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetPosition {
    UnderTarget,
    AtOrOverTarget,
}

/// How the provisional allocations were made to add up to the envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvelopeFit {
    /// The provisional allocations already added up to the envelope.
    Exact,
    /// A surplus, shared by weighted population (places that started at or over target held
    /// at their cap).
    SurplusByWeightedPopulation,
    /// A shortfall, taken from growth above the floor in the same proportion for every place.
    ShortfallFromGrowthAboveFloor,
    /// The envelope cannot afford every place's floor: every place treated alike, below its floor.
    FloorUnaffordable,
}

/// Money per head, two ways.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PerHead {
    /// Pence per weighted head.
    pub per_weighted_head: Pence,
    /// Pence per head of registered population, when the population was given.
    pub per_head: Option<Pence>,
}

/// One place in one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceYear {
    pub place: String,
    pub weighted_population: f64,
    pub population: Option<f64>,
    /// Relative to target at the start of the year (previous allocation against this year's target).
    pub position: TargetPosition,
    /// Last year's allocation (the baseline in year 1).
    pub previous_allocation: Pence,
    pub target: Pence,
    /// Previous allocation × (1 + floor uplift).
    pub floor: Pence,
    /// Previous allocation × (1 + over-target cap), for a place at or over target when a cap is set.
    pub cap: Option<Pence>,
    /// What the pace-of-change rule gives before fitting the envelope.
    pub provisional_allocation: Pence,
    /// This year's allocation.
    pub allocation: Pence,
    /// Allocation − provisional allocation.
    pub envelope_adjustment: Pence,
    /// Allocation ÷ previous allocation − 1 (none when the previous allocation was 0).
    pub cash_growth: Option<f64>,
    /// Previous allocation − target.
    pub gap_before: Pence,
    /// Allocation − target.
    pub gap_after: Pence,
    pub distance_before: f64,
    pub distance_after: f64,
    pub target_per_head: PerHead,
    pub previous_allocation_per_head: PerHead,
    pub allocation_per_head: PerHead,
    pub target_working: Working,
    pub distance_before_working: Working,
    pub distance_after_working: Working,
    pub allocation_working: Working,
}

/// All places in one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FairSharesYear {
    /// 1 for the first year of the horizon.
    pub year: u32,
    pub envelope: Pence,
    pub envelope_working: Working,
    /// Σ provisional allocations.
    pub total_provisional: Pence,
    /// Σ floors (previous allocations grown by the floor uplift).
    pub total_floor: Pence,
    /// Whether the envelope could afford every place's floor uplift.
    pub floor_affordable: bool,
    pub fit: EnvelopeFit,
    /// Envelope − Σ provisional allocations, and how it was shared.
    pub fit_working: Working,
    pub places: Vec<PlaceYear>,
}

/// The pace-of-change run, year by year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FairSharesResult {
    pub years: Vec<FairSharesYear>,
}

/// Distance from target: (baseline − target) ÷ target, as a fraction (−0.0758 = 7.58 % under).
///
/// A target of zero (possible only when the envelope is tiny): the gap is divided by one penny
/// instead, the smallest target money can express, so the answer is always a finite number.
pub fn distance_from_target(baseline: Pence, target: Pence) -> f64 {
    let gap = baseline.pence() as i128 - target.pence() as i128;
    gap as f64 / target.pence().max(1) as f64
}

/// Split `envelope` into target allocations in proportion to weighted populations, to the penny.
pub fn targets(envelope: Pence, weighted_populations: &[f64]) -> Result<Vec<Pence>, MoneyError> {
    money::apportion_f64(envelope, weighted_populations)
}

/// Money per head: `amount ÷ heads`, the heads exactly as given, rounded once half away from
/// zero to the penny ([`money::per_head`], the engine's one per-head rule).
pub fn per_head(amount: Pence, heads: f64) -> Result<Pence, MoneyError> {
    money::per_head(amount, heads)?.ok_or(MoneyError::NoWeights)
}

/// Run the pace-of-change policy over the horizon. The input is valid
/// ([`FairShares::problems`] found nothing; a scenario checks the same on its places): this
/// does not check it again. Money too large to calculate with is an error, never a panic.
pub fn allocate(input: &FairShares) -> Result<FairSharesResult, MoneyError> {
    let amounts = project(input)?;
    let mut years = Vec::with_capacity(amounts.len());
    let mut last_envelope = None;
    for (index, (year, a)) in (1..=input.years).zip(&amounts).enumerate() {
        let envelope_working = match last_envelope {
            None => Working::new(
                "Envelope, year 1",
                a.envelope.display(),
                "the first year's envelope, as given",
            ),
            Some(last) => Working::new(
                format!("Envelope, year {year}"),
                a.envelope.display(),
                format!("year {} envelope × (1 + annual growth)", year - 1),
            )
            .input(format!("year {} envelope", year - 1), Pence::display(last))
            .input("annual growth", percent(input.envelope.annual_growth, 2)),
        };
        last_envelope = Some(a.envelope);
        let weighted = weighted_for_year(input, index)?;
        let raw: Vec<Option<f64>> = input
            .places
            .iter()
            .map(|p| p.population.as_ref().and_then(|v| v.get(index).copied()))
            .collect();
        years.push(describe_year(
            input,
            year,
            a,
            envelope_working,
            &weighted,
            &raw,
        )?);
    }
    Ok(FairSharesResult { years })
}

/// Each place's weighted population in year `index` (validated to exist; an error, not a
/// panic, if not).
fn weighted_for_year(input: &FairShares, index: usize) -> Result<Vec<f64>, MoneyError> {
    // A valid input has one value a year: nothing to share by, if not.
    input
        .places
        .iter()
        .map(|p| {
            p.weighted_population
                .get(index)
                .copied()
                .ok_or(MoneyError::NoWeights)
        })
        .collect()
}

/// One year's money, place by place in input order, before it is described in words.
#[derive(Clone, Debug, PartialEq)]
struct YearAmounts {
    envelope: Pence,
    previous: Vec<Pence>,
    targets: Vec<Pence>,
    floors: Vec<Pence>,
    /// For places at or over target, when the policy has a cap.
    caps: Vec<Option<Pence>>,
    /// Previous allocation + gap closure × gap, for places under target.
    gap_closed: Vec<Option<Pence>>,
    provisional: Vec<Pence>,
    allocations: Vec<Pence>,
    fit: EnvelopeFit,
}

/// The pace-of-change money alone, year by year: what [`allocate`] then describes. Kept apart
/// from the workings so the property tests can run it ten thousand times cheaply.
fn project(input: &FairShares) -> Result<Vec<YearAmounts>, MoneyError> {
    let policy = &input.pace_of_change;
    let mut previous: Vec<Pence> = input.places.iter().map(|p| p.baseline).collect();
    let mut envelope = input.envelope.first_year_total;
    let mut years = Vec::with_capacity(input.years as usize);
    for year in 1..=input.years {
        if year > 1 {
            envelope = envelope.mul_one_plus(input.envelope.annual_growth)?;
        }
        let weighted = weighted_for_year(input, (year - 1) as usize)?;
        let amounts = year_amounts(policy, envelope, &weighted, previous)?;
        previous = amounts.allocations.clone();
        years.push(amounts);
    }
    Ok(years)
}

fn year_amounts(
    policy: &PaceOfChange,
    envelope: Pence,
    weighted: &[f64],
    previous: Vec<Pence>,
) -> Result<YearAmounts, MoneyError> {
    let targets = targets(envelope, weighted)?;
    let n = previous.len();
    let mut floors = Vec::with_capacity(n);
    let mut caps = Vec::with_capacity(n);
    let mut gap_closed = Vec::with_capacity(n);
    let mut provisional = Vec::with_capacity(n);
    for (&prev, &target) in previous.iter().zip(&targets) {
        let floor = prev.mul_one_plus(policy.floor_uplift)?;
        floors.push(floor);
        if prev < target {
            // Under target: close the set fraction of the gap, never less than the floor.
            let closed =
                prev.checked_add(target.checked_sub(prev)?.mul_rate(policy.gap_closure)?)?;
            gap_closed.push(Some(closed));
            provisional.push(floor.max(closed));
            caps.push(None);
        } else {
            gap_closed.push(None);
            provisional.push(floor);
            caps.push(match policy.over_target_cap {
                Some(cap) => Some(prev.mul_one_plus(cap)?),
                None => None,
            });
        }
    }
    let mut amounts = YearAmounts {
        envelope,
        previous,
        targets,
        floors,
        caps,
        gap_closed,
        provisional,
        allocations: Vec::new(),
        fit: EnvelopeFit::Exact,
    };
    let (allocations, fit) = fit_to_envelope(&amounts, weighted)?;
    amounts.allocations = allocations;
    amounts.fit = fit;
    Ok(amounts)
}

/// One year's amounts with per-head figures and the working behind each headline figure.
fn describe_year(
    input: &FairShares,
    year: u32,
    amounts: &YearAmounts,
    envelope_working: Working,
    weighted: &[f64],
    raw: &[Option<f64>],
) -> Result<FairSharesYear, MoneyError> {
    let policy = &input.pace_of_change;
    let envelope = amounts.envelope;
    let fit = amounts.fit;
    let total_provisional = money::sum(amounts.provisional.iter().copied())?;
    let total_floor = money::sum(amounts.floors.iter().copied())?;
    let floor_affordable = total_floor <= envelope;
    let total_weighted: f64 = weighted.iter().sum();
    let fit_text = fit_description(fit, policy, amounts)?;
    let difference = envelope.checked_sub(total_provisional)?;
    let fit_working = Working::new(
        format!("Adjustment to fit the envelope, year {year}"),
        difference.display(),
        format!("envelope − all places' provisional allocations; {fit_text}"),
    )
    .input("envelope", envelope.display())
    .input(
        "all places' provisional allocations",
        total_provisional.display(),
    )
    .input("all places' floors", total_floor.display());

    let mut places = Vec::with_capacity(input.places.len());
    for (i, place) in input.places.iter().enumerate() {
        let (
            Some(&prev),
            Some(&target),
            Some(&floor),
            Some(&prov),
            Some(&cap),
            Some(&closed),
            Some(&allocation),
            Some(&wp),
        ) = (
            amounts.previous.get(i),
            amounts.targets.get(i),
            amounts.floors.get(i),
            amounts.provisional.get(i),
            amounts.caps.get(i),
            amounts.gap_closed.get(i),
            amounts.allocations.get(i),
            weighted.get(i),
        )
        else {
            // Every list has one entry per place by construction.
            return Err(MoneyError::NoWeights);
        };
        let population = raw.get(i).copied().flatten();
        let name = &place.name;
        let position = if prev < target {
            TargetPosition::UnderTarget
        } else {
            TargetPosition::AtOrOverTarget
        };
        let heads = |amount: Pence| -> Result<PerHead, MoneyError> {
            Ok(PerHead {
                per_weighted_head: per_head(amount, wp)?,
                per_head: population.map(|p| per_head(amount, p)).transpose()?,
            })
        };
        let gap_before = prev.checked_sub(target)?;
        let gap_after = allocation.checked_sub(target)?;
        let distance_before = distance_from_target(prev, target);
        let distance_after = distance_from_target(allocation, target);
        let envelope_adjustment = allocation.checked_sub(prov)?;
        let cash_growth = (prev.pence() > 0).then(|| {
            (allocation.pence() as i128 - prev.pence() as i128) as f64 / prev.pence() as f64
        });

        let target_working = Working::new(
            format!("Target allocation for {name}, year {year}"),
            target.display(),
            format!(
                "envelope × {name}'s weighted population ÷ all places' weighted population \
                 (largest-remainder split, so the targets add up to the envelope to the penny)"
            ),
        )
        .input("envelope", envelope.display())
        .input(format!("{name}'s weighted population"), people(wp))
        .input("all places' weighted population", people(total_weighted));
        let distance_working = |when: &str, label: &str, amount: Pence, gap: Pence, d: f64| {
            Working::new(
                format!("Distance from target for {name} {when}, year {year}"),
                percent(d, 2),
                format!("({label} − target) ÷ target; below zero means under target"),
            )
            .input(label, amount.display())
            .input("target", target.display())
            .input(format!("{label} − target"), gap.display())
        };
        let distance_before_working = distance_working(
            "before pace of change",
            "previous allocation",
            prev,
            gap_before,
            distance_before,
        );
        let distance_after_working = distance_working(
            "after pace of change",
            "allocation",
            allocation,
            gap_after,
            distance_after,
        );

        let rule = match closed {
            Some(_) => format!(
                "under target: the larger of the floor (previous allocation × (1 + floor uplift)) \
                 and the previous allocation plus {} of the gap to target",
                percent(policy.gap_closure, 2)
            ),
            None => "at or over target: the floor (previous allocation × (1 + floor uplift))"
                .to_string(),
        };
        let mut allocation_working = Working::new(
            format!("Allocation for {name}, year {year}"),
            allocation.display(),
            format!("provisional allocation, {rule}; then fitted to the envelope: {fit_text}"),
        )
        .input("previous allocation", prev.display())
        .input("floor uplift", percent(policy.floor_uplift, 2))
        .input("floor", floor.display());
        if let Some(closed) = closed {
            allocation_working = allocation_working
                .input("target", target.display())
                .input("gap closure", percent(policy.gap_closure, 2))
                .input("previous allocation + gap closure × gap", closed.display());
        }
        if let (Some(cap), Some(rate)) = (cap, policy.over_target_cap) {
            allocation_working = allocation_working
                .input("over-target cap", percent(rate, 2))
                .input("cap", cap.display());
        }
        allocation_working = allocation_working
            .input("provisional allocation", prov.display())
            .input(
                "adjustment to fit the envelope",
                envelope_adjustment.display(),
            );

        places.push(PlaceYear {
            place: name.clone(),
            weighted_population: wp,
            population,
            position,
            previous_allocation: prev,
            target,
            floor,
            cap,
            provisional_allocation: prov,
            allocation,
            envelope_adjustment,
            cash_growth,
            gap_before,
            gap_after,
            distance_before,
            distance_after,
            target_per_head: heads(target)?,
            previous_allocation_per_head: heads(prev)?,
            allocation_per_head: heads(allocation)?,
            target_working,
            distance_before_working,
            distance_after_working,
            allocation_working,
        });
    }
    Ok(FairSharesYear {
        year,
        envelope,
        envelope_working,
        total_provisional,
        total_floor,
        floor_affordable,
        fit,
        fit_working,
        places,
    })
}

/// The fitting rule in words, for the working.
fn fit_description(
    fit: EnvelopeFit,
    policy: &PaceOfChange,
    amounts: &YearAmounts,
) -> Result<String, MoneyError> {
    let envelope = amounts.envelope;
    Ok(match fit {
        EnvelopeFit::Exact => {
            "the provisional allocations add up to the envelope exactly, so nothing is adjusted"
                .to_string()
        }
        EnvelopeFit::SurplusByWeightedPopulation => {
            let cap = match policy.over_target_cap {
                Some(rate) => format!(
                    ", except that a place that started at or over target is held at its cap of \
                     {} growth and what it cannot take goes to the others in the same proportion",
                    percent(rate, 2)
                ),
                None => String::new(),
            };
            format!(
                "the surplus is shared in proportion to weighted population (the same amount per \
                 weighted head, which moves every place's share towards its target share){cap}"
            )
        }
        EnvelopeFit::ShortfallFromGrowthAboveFloor => "the shortfall is taken from growth \
            above the floor, in proportion to each place's growth above its floor, so every \
            place keeps at least its floor"
            .to_string(),
        EnvelopeFit::FloorUnaffordable => {
            if money::sum(amounts.previous.iter().copied())? <= envelope {
                "the envelope cannot afford every place's floor, so every place keeps its \
                 previous allocation and gets the same fraction of its floor uplift that the \
                 envelope affords"
                    .to_string()
            } else {
                "the envelope cannot afford every place's floor or even last year's allocations, \
                 so every place gets the same share of the lower of its previous allocation and \
                 its floor"
                    .to_string()
            }
        }
    })
}

/// A non-negative amount as a split weight.
fn weight(amount: Pence) -> Result<u64, MoneyError> {
    u64::try_from(amount.pence()).map_err(|_| MoneyError::NoWeights)
}

fn weights(amounts: impl IntoIterator<Item = Pence>) -> Result<Vec<u64>, MoneyError> {
    amounts.into_iter().map(weight).collect()
}

fn add_parts(base: &[Pence], parts: &[Pence]) -> Result<Vec<Pence>, MoneyError> {
    base.iter()
        .zip(parts)
        .map(|(&b, &p)| b.checked_add(p))
        .collect()
}

/// Make the allocations add up to the envelope exactly (the rules in the module notes).
fn fit_to_envelope(
    a: &YearAmounts,
    weighted: &[f64],
) -> Result<(Vec<Pence>, EnvelopeFit), MoneyError> {
    let envelope = a.envelope;
    let total_provisional = money::sum(a.provisional.iter().copied())?;
    let total_floor = money::sum(a.floors.iter().copied())?;
    if total_provisional == envelope {
        return Ok((a.provisional.clone(), EnvelopeFit::Exact));
    }
    if total_provisional < envelope {
        let mut allocations = a.provisional.clone();
        let surplus = envelope.checked_sub(total_provisional)?;
        share_with_caps(&mut allocations, surplus, &a.caps, weighted)?;
        return Ok((allocations, EnvelopeFit::SurplusByWeightedPopulation));
    }
    if total_floor <= envelope {
        // Scale growth above the floor down by the same proportion for everyone: each cut is at
        // most that place's growth above floor, because the shortfall is less than their total.
        let shortfall = total_provisional.checked_sub(envelope)?;
        let above_floor: Vec<Pence> = a
            .provisional
            .iter()
            .zip(&a.floors)
            .map(|(&p, &f)| p.checked_sub(f))
            .collect::<Result<_, MoneyError>>()?;
        let cuts = money::apportion(shortfall, &weights(above_floor)?)?;
        let allocations = a
            .provisional
            .iter()
            .zip(&cuts)
            .map(|(&p, &c)| p.checked_sub(c))
            .collect::<Result<_, MoneyError>>()?;
        return Ok((allocations, EnvelopeFit::ShortfallFromGrowthAboveFloor));
    }
    // The floor is unaffordable (so the floor uplift is above zero, or the envelope is below
    // last year's total): treat every place alike.
    let total_previous = money::sum(a.previous.iter().copied())?;
    let allocations = if total_previous <= envelope {
        // Everyone keeps last year's allocation plus the same fraction of its floor uplift;
        // each part is at most its uplift because the spare money is less than their total.
        let uplifts: Vec<Pence> = a
            .floors
            .iter()
            .zip(&a.previous)
            .map(|(&f, &p)| Ok(f.checked_sub(p)?.max(Pence::ZERO)))
            .collect::<Result<_, MoneyError>>()?;
        let parts = money::apportion(envelope.checked_sub(total_previous)?, &weights(uplifts)?)?;
        add_parts(&a.previous, &parts)?
    } else {
        // A cash cut of the same proportion for all, on the lower of last year and the floor
        // (so nobody ends above its floor).
        let bases = a.previous.iter().zip(&a.floors).map(|(&p, &f)| p.min(f));
        money::apportion(envelope, &weights(bases)?)?
    };
    Ok((allocations, EnvelopeFit::FloorUnaffordable))
}

/// Share `rest` in proportion to weighted population, holding capped places at their cap and
/// re-sharing what they cannot take among the others (water-filling). Terminates: every round
/// either places everything or retires at least one capped place.
fn share_with_caps(
    allocations: &mut [Pence],
    rest: Pence,
    caps: &[Option<Pence>],
    weighted: &[f64],
) -> Result<(), MoneyError> {
    let room = |i: usize, allocations: &[Pence]| -> Result<Option<Pence>, MoneyError> {
        match (caps.get(i).copied().flatten(), allocations.get(i)) {
            (Some(cap), Some(&a)) => Ok(Some(cap.checked_sub(a)?.max(Pence::ZERO))),
            _ => Ok(None),
        }
    };
    let mut active = Vec::new();
    for i in 0..allocations.len() {
        if room(i, allocations)? != Some(Pence::ZERO) {
            active.push(i);
        }
    }
    let mut remaining = rest;
    while remaining > Pence::ZERO {
        if active.is_empty() {
            // Cannot happen with a validated policy (a place under target is uncapped, and with
            // every place at or over target the caps, being 0 or more, hold the whole
            // envelope); share among everyone rather than lose a penny.
            active = (0..allocations.len()).collect();
            let w: Vec<f64> = active
                .iter()
                .filter_map(|&i| weighted.get(i).copied())
                .collect();
            let parts = money::apportion_f64(remaining, &w)?;
            for (&i, &part) in active.iter().zip(&parts) {
                if let Some(a) = allocations.get_mut(i) {
                    *a = a.checked_add(part)?;
                }
            }
            return Ok(());
        }
        let w: Vec<f64> = active
            .iter()
            .filter_map(|&i| weighted.get(i).copied())
            .collect();
        let parts = money::apportion_f64(remaining, &w)?;
        let mut over_cap = false;
        for (&i, &part) in active.iter().zip(&parts) {
            if let Some(r) = room(i, allocations)? {
                if part > r {
                    over_cap = true;
                }
            }
        }
        if !over_cap {
            for (&i, &part) in active.iter().zip(&parts) {
                if let Some(a) = allocations.get_mut(i) {
                    *a = a.checked_add(part)?;
                }
            }
            return Ok(());
        }
        // Fill every place whose share would reach its cap, and share the rest again.
        let mut still_active = Vec::with_capacity(active.len());
        for (&i, &part) in active.iter().zip(&parts) {
            match room(i, allocations)? {
                Some(r) if part >= r => {
                    if let Some(a) = allocations.get_mut(i) {
                        *a = a.checked_add(r)?;
                    }
                    remaining = remaining.checked_sub(r)?;
                }
                _ => still_active.push(i),
            }
        }
        active = still_active;
    }
    Ok(())
}
#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Thousands of pounds, as NHS allocation tables are published.
    fn pounds_k(thousands: i64) -> Pence {
        Pence(thousands * 100_000)
    }

    fn place(name: &str, baseline: Pence, weighted: &[f64], population: Option<&[f64]>) -> Place {
        Place {
            name: name.to_string(),
            baseline,
            weighted_population: weighted.to_vec(),
            population: population.map(|p| p.to_vec()),
        }
    }

    fn policy(floor: f64, closure: f64, cap: Option<f64>) -> PaceOfChange {
        PaceOfChange {
            floor_uplift: floor,
            gap_closure: closure,
            over_target_cap: cap,
        }
    }

    fn one_year_scenario(envelope: i64, pace: PaceOfChange, places: Vec<Place>) -> FairShares {
        FairShares {
            years: 1,
            envelope: Envelope {
                first_year_total: Pence(envelope),
                annual_growth: 0.0,
            },
            pace_of_change: pace,
            places,
        }
    }

    /// A negative growth rate or floor uplift rounds the grown amount, half away
    /// from zero, as a positive one does (rounding the cut instead gave 99,599p).
    #[test]
    fn negative_growth_rounds_the_grown_amount() {
        let input = FairShares {
            years: 2,
            envelope: Envelope {
                first_year_total: Pence(100_100),
                annual_growth: -0.005,
            },
            pace_of_change: policy(-0.005, 0.0, None),
            places: vec![place("Only", Pence(100_100), &[1.0, 1.0], None)],
        };
        let years = project(&input).unwrap();
        assert_eq!(years[0].floors, vec![Pence(99_600)]);
        assert_eq!(years[1].envelope, Pence(99_600));
        assert_eq!(years[1].allocations, vec![Pence(99_600)]);
        let cap = PaceOfChange {
            over_target_cap: Some(0.005),
            ..policy(0.0, 0.0, None)
        };
        let amounts = year_amounts(&cap, Pence(10), &[1.0], vec![Pence(100_100)]).unwrap();
        assert_eq!(amounts.caps, vec![Some(Pence(100_601))]); // 100,600.5 → 100,601
    }

    /// Per head divides by the heads as given, not rounded to the millionth.
    #[test]
    fn per_head_uses_every_digit_of_the_heads() {
        assert_eq!(
            per_head(Pence(10_000_000_000), 1.0000004),
            Ok(Pence(9_999_996_000))
        );
        assert_eq!(per_head(Pence(1), 0.0), Err(MoneyError::NoWeights));
    }

    /// DOMAIN.md worked example 1 (NHS 2013/14 allocations, Annex A), through the pure function.
    #[test]
    fn distance_from_target_reproduces_annex_a() {
        // (CCG, allocation £k, target £k, distance, allocation − target £k)
        let table = [
            (
                "Eastern Cheshire CCG",
                219_307,
                237_285,
                "\u{2212}7.58 %",
                -17_978,
            ),
            ("Central Manchester CCG", 233_893, 223_190, "4.80 %", 10_703),
        ];
        for (name, allocation, target, distance, gap) in table {
            let d = distance_from_target(pounds_k(allocation), pounds_k(target));
            assert_eq!(percent(d, 2), distance, "{name}");
            assert_eq!(
                pounds_k(allocation).checked_sub(pounds_k(target)),
                Ok(pounds_k(gap)),
                "{name}"
            );
        }
        // £1,084 per head against a target of £1,173 (raw population 202 256).
        let per_head_pounds = |k: i64| per_head(pounds_k(k), 202_256.0).map(Pence::display_pounds);
        assert_eq!(per_head_pounds(219_307), Ok("£1,084".to_string()));
        assert_eq!(per_head_pounds(237_285), Ok("£1,173".to_string()));
        // A zero target: the gap is divided by one penny, so the answer stays finite.
        assert_eq!(distance_from_target(Pence(0), Pence(0)), 0.0);
        assert_eq!(distance_from_target(Pence(3), Pence(0)), 3.0);
    }

    /// The same example through the whole calculation: the two CCGs share their combined target.
    /// Central Manchester's weighted population (not in DOMAIN.md) is set to 208 986 × 223 190 ÷
    /// 237 285 so that both targets come out as Annex A's to the penny.
    #[test]
    fn annex_a_through_the_allocation() {
        let input = one_year_scenario(
            pounds_k(237_285 + 223_190).pence(),
            policy(0.0, 0.0, None),
            vec![
                place(
                    "Eastern Cheshire CCG",
                    pounds_k(219_307),
                    &[208_986.0],
                    Some(&[202_256.0]),
                ),
                place(
                    "Central Manchester CCG",
                    pounds_k(233_893),
                    &[196_571.992_92],
                    None,
                ),
            ],
        );
        let result = allocate(&input).unwrap();
        let year = &result.years[0];
        let (ec, cm) = (&year.places[0], &year.places[1]);
        assert_eq!(ec.target, pounds_k(237_285));
        assert_eq!(cm.target, pounds_k(223_190));
        assert_eq!(ec.position, TargetPosition::UnderTarget);
        assert_eq!(cm.position, TargetPosition::AtOrOverTarget);
        assert_eq!(percent(ec.distance_before, 2), "\u{2212}7.58 %");
        assert_eq!(percent(cm.distance_before, 2), "4.80 %");
        assert_eq!(ec.gap_before, pounds_k(-17_978));
        assert_eq!(cm.gap_before, pounds_k(10_703));
        assert_eq!(ec.distance_before_working.value, "\u{2212}7.58 %");
        assert_eq!(
            ec.distance_before_working.inputs[2].value,
            "\u{2212}£17,978,000.00"
        );
        let pounds = |p: &PerHead| p.per_head.map(Pence::display_pounds);
        assert_eq!(
            pounds(&ec.previous_allocation_per_head),
            Some("£1,084".to_string())
        );
        assert_eq!(pounds(&ec.target_per_head), Some("£1,173".to_string()));
        assert_eq!(cm.previous_allocation_per_head.per_head, None);
        // Per weighted head the two targets are the same: that is what a fair share is.
        assert_eq!(
            ec.target_per_head.per_weighted_head.display_pounds(),
            "£1,135"
        );
        assert_eq!(
            cm.target_per_head.per_weighted_head.display_pounds(),
            "£1,135"
        );
        assert_eq!(ec.target_working.value, "£237,285,000.00");
        assert_eq!(ec.target_working.inputs[1].value, "208,986");
        // No floor, no gap closure: the baselines fall £7,275k short of the envelope, shared by
        // weighted population: 208 986 : 196 571.99292 → £3,748,842.77 and £3,526,157.23.
        assert_eq!(year.fit, EnvelopeFit::SurplusByWeightedPopulation);
        let shared = |p: &PlaceYear| p.allocation.checked_sub(p.previous_allocation).unwrap();
        assert_eq!(shared(ec).checked_add(shared(cm)), Ok(pounds_k(7_275)));
        assert_eq!(shared(ec), Pence(374_884_277));
        // An equal amount per weighted head moves each CCG's share of the money towards its
        // target share: Central Manchester, with no cap, grows in cash but its share falls.
        assert!(ec.distance_after > ec.distance_before);
        let share = |amount: Pence, of: Pence| amount.pence() as f64 / of.pence() as f64;
        let baselines = pounds_k(219_307 + 233_893);
        assert!(share(cm.allocation, year.envelope) < share(cm.previous_allocation, baselines));
        assert!(share(cm.allocation, year.envelope) > share(cm.target, year.envelope));
    }

    /// Three places weighted 1 : 1 : 2, one fitting rule at a time, worked by hand.
    #[test]
    fn each_fitting_rule_worked_by_hand() {
        let places = |a: i64, b: i64, c: i64| {
            vec![
                place("Under", Pence(a), &[100.0], None),
                place("Near", Pence(b), &[100.0], None),
                place("Over", Pence(c), &[200.0], None),
            ]
        };
        let run = |envelope: i64, pace: PaceOfChange| {
            let input = one_year_scenario(envelope, pace, places(8_000, 10_000, 22_000));
            let year = allocate(&input).unwrap().years.remove(0);
            let allocations: Vec<i64> = year.places.iter().map(|p| p.allocation.pence()).collect();
            (year.fit, allocations)
        };
        // (case, envelope, policy, fit, allocations)
        let table = [
            // Targets 10 100, 10 100, 20 200. Floors (1 %) 8 080, 10 100, 22 220. Under closes half
            // its 2 100 gap → 9 050; Near is 100 under → max(10 100, 10 050). Provisional 41 370,
            // 970 over the envelope, taken from Under's 970 growth above its floor.
            (
                "shortfall from growth above the floor",
                40_400,
                policy(0.01, 0.5, None),
                EnvelopeFit::ShortfallFromGrowthAboveFloor,
                vec![8_080, 10_100, 22_220],
            ),
            // Targets 11 000, 11 000, 22 000; closure 100 % takes the two under target there and
            // Over (at target) gets its floor of 0 %: exactly the envelope.
            (
                "exact",
                44_000,
                policy(0.0, 1.0, None),
                EnvelopeFit::Exact,
                vec![11_000, 11_000, 22_000],
            ),
            // Targets 10 500, 10 500, 21 000. Provisional = baselines (40 000); surplus 2 000 by
            // weighted population 1 : 1 : 2 → 500, 500, 1 000.
            (
                "surplus, no cap",
                42_000,
                policy(0.0, 0.0, None),
                EnvelopeFit::SurplusByWeightedPopulation,
                vec![8_500, 10_500, 23_000],
            ),
            // Over is capped at 2 % (22 440): it takes 440, the other 1 560 goes 1 : 1.
            (
                "surplus, cap binds",
                42_000,
                policy(0.0, 0.0, Some(0.02)),
                EnvelopeFit::SurplusByWeightedPopulation,
                vec![8_780, 10_780, 22_440],
            ),
            // A cap of 0 % holds Over at 22 000; Near passes its target (10 500).
            (
                "surplus, zero cap",
                42_000,
                policy(0.0, 0.0, Some(0.0)),
                EnvelopeFit::SurplusByWeightedPopulation,
                vec![9_000, 11_000, 22_000],
            ),
            // Floors (5 %) 8 400, 10 500, 23 100 = 42 000 > 41 000; the envelope covers last year's
            // 40 000, so everyone keeps it and gets half its uplift: 200, 250, 550.
            (
                "floor unaffordable, envelope above last year",
                41_000,
                policy(0.05, 0.5, Some(0.05)),
                EnvelopeFit::FloorUnaffordable,
                vec![8_200, 10_250, 22_550],
            ),
            // Envelope 38 000 below last year's 40 000: everyone cut by the same 5 %.
            (
                "floor unaffordable, cash cut",
                38_000,
                policy(0.05, 0.5, None),
                EnvelopeFit::FloorUnaffordable,
                vec![7_600, 9_500, 20_900],
            ),
            // A negative floor (−10 %: 7 200, 9 000, 19 800 = 36 000) still unaffordable at
            // 30 000: everyone gets 5/6 of its floor.
            (
                "negative floor unaffordable",
                30_000,
                policy(-0.1, 0.5, Some(0.0)),
                EnvelopeFit::FloorUnaffordable,
                vec![6_000, 7_500, 16_500],
            ),
        ];
        for (case, envelope, pace, fit, allocations) in table {
            assert_eq!(run(envelope, pace), (fit, allocations), "{case}");
        }
    }

    #[test]
    fn water_filling_re_shares_what_a_capped_place_cannot_take() {
        let caps = [Some(Pence(10_100)), None, None];
        let mut allocations = vec![Pence(10_000), Pence(10_000), Pence(20_000)];
        share_with_caps(
            &mut allocations,
            Pence(4_000),
            &caps,
            &[100.0, 100.0, 200.0],
        )
        .unwrap();
        // By weight 1 000, 1 000, 2 000; the first can take only 100, the other 3 900 goes 1 : 2.
        assert_eq!(
            allocations,
            vec![Pence(10_100), Pence(11_300), Pence(22_600)]
        );
        // Two capped places, filled in successive rounds.
        let caps = [Some(Pence(10_100)), Some(Pence(10_500)), None];
        let mut allocations = vec![Pence(10_000), Pence(10_000), Pence(10_000)];
        share_with_caps(&mut allocations, Pence(3_000), &caps, &[1.0, 1.0, 1.0]).unwrap();
        assert_eq!(
            allocations,
            vec![Pence(10_100), Pence(10_500), Pence(12_400)]
        );
    }

    /// Healthier Together's five CCGs (DOMAIN.md, approximate 2013 populations; the need
    /// indices and baselines per head are illustrative), over ten years.
    fn healthier_together() -> FairShares {
        // (CCG, population, illustrative need index, illustrative baseline £ per head)
        let ccgs = [
            ("Bedfordshire", 430_000.0, 0.97, 1_110),
            ("Luton", 225_000.0, 1.12, 1_470),
            ("Milton Keynes", 270_000.0, 0.95, 1_170),
            ("Corby", 75_000.0, 1.08, 1_190),
            ("Nene", 650_000.0, 1.00, 1_180),
        ];
        let years = 10;
        let places = ccgs
            .iter()
            .map(|&(name, people, need, per_head)| {
                // Populations grow 0.5 % a year.
                let raw: Vec<f64> = (0..years)
                    .map(|y| people * libm::pow(1.005, y as f64))
                    .collect();
                let weighted: Vec<f64> = raw.iter().map(|p| p * need).collect();
                Place {
                    name: format!("{name} CCG"),
                    baseline: Pence(people as i64 * per_head * 100),
                    weighted_population: weighted,
                    population: Some(raw),
                }
            })
            .collect();
        FairShares {
            years: years as u32,
            envelope: Envelope {
                first_year_total: Pence(203_960_600_000), // last year's £1,980.2m + 3 %
                annual_growth: 0.03,
            },
            pace_of_change: policy(0.01, 0.25, Some(0.02)),
            places,
        }
    }

    #[test]
    fn healthier_together_converges_towards_target() {
        let input = healthier_together();
        let result = allocate(&input).unwrap();
        assert_eq!(result.years.len(), 10);
        // The described result carries exactly the projected money.
        for (year, amounts) in result.years.iter().zip(project(&input).unwrap()) {
            let allocations: Vec<Pence> = year.places.iter().map(|p| p.allocation).collect();
            assert_eq!(allocations, amounts.allocations);
            assert_eq!(year.fit, amounts.fit);
        }
        let mut last_spread = f64::INFINITY;
        for year in &result.years {
            let total = money::sum(year.places.iter().map(|p| p.allocation));
            assert_eq!(total, Ok(year.envelope), "year {}", year.year);
            let targets = money::sum(year.places.iter().map(|p| p.target));
            assert_eq!(targets, Ok(year.envelope), "year {}", year.year);
            assert!(year.floor_affordable);
            // The largest distance from target, either way, shrinks every year.
            let spread = year
                .places
                .iter()
                .map(|p| p.distance_after.abs())
                .fold(0.0, f64::max);
            assert!(
                spread < last_spread,
                "year {}: {spread} vs {last_spread}",
                year.year
            );
            last_spread = spread;
            for p in &year.places {
                assert!(p.allocation >= p.floor, "{} year {}", p.place, year.year);
                if let Some(cap) = p.cap {
                    assert!(p.allocation <= cap, "{} year {}", p.place, year.year);
                }
                if p.position == TargetPosition::UnderTarget {
                    assert!(
                        p.distance_after > p.distance_before,
                        "{} year {}",
                        p.place,
                        year.year
                    );
                }
            }
        }
        // Luton starts well over target (about +6.6 %) and is held at its 2 % cap while the
        // envelope grows 3 %, so it ends the decade much closer; Bedfordshire starts under and
        // gains. (Each year's "before" compares last year's money with this year's target.)
        let first = &result.years[0].places;
        let last = &result.years[9].places;
        assert!(first[1].distance_before > 0.06);
        assert!(last[1].distance_after < first[1].distance_before / 2.0);
        assert!(first[0].distance_before < -0.02);
        assert!(last[0].distance_after > first[0].distance_before);
        assert!(last_spread < 0.03, "{last_spread}");
    }

    #[test]
    fn workings_name_their_inputs() {
        let result = allocate(&healthier_together()).unwrap();
        let year2 = &result.years[1];
        assert_eq!(year2.envelope, Pence(210_079_418_000));
        assert_eq!(year2.envelope_working.value, "£2,100,794,180.00");
        assert_eq!(year2.envelope_working.inputs[1].value, "3.00 %");
        let luton = &year2.places[1];
        assert_eq!(
            luton.target_working.figure,
            "Target allocation for Luton CCG, year 2"
        );
        assert_eq!(luton.target_working.inputs[0].value, "£2,100,794,180.00");
        assert_eq!(luton.allocation_working.value, luton.allocation.display());
        assert!(luton
            .allocation_working
            .formula
            .contains("at or over target"));
        let names: Vec<&str> = luton
            .allocation_working
            .inputs
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "previous allocation",
                "floor uplift",
                "floor",
                "over-target cap",
                "cap",
                "provisional allocation",
                "adjustment to fit the envelope"
            ]
        );
        let bedfordshire = &year2.places[0];
        assert!(bedfordshire
            .allocation_working
            .formula
            .contains("25.00 % of the gap"));
        assert!(year2
            .fit_working
            .formula
            .starts_with("envelope − all places' provisional"));
    }

    #[test]
    fn scenario_json_round_trips_and_rejects_unknown_fields() {
        let json = r#"{
            "years": 2,
            "envelope": { "first_year_total": 100000000000, "annual_growth": 0.03 },
            "pace_of_change": { "floor_uplift": 0.01, "gap_closure": 0.25, "over_target_cap": 0.02 },
            "places": [
                { "name": "Luton", "baseline": 29700000000,
                  "weighted_population": [252000, 253260], "population": [225000, 226125] },
                { "name": "Corby", "baseline": 8625000000, "weighted_population": [81000, 81405] }
            ]
        }"#;
        let input: FairShares = serde_json::from_str(json).unwrap();
        assert_eq!(input.places[1].population, None);
        assert_eq!(input.pace_of_change.over_target_cap, Some(0.02));
        let back: FairShares =
            serde_json::from_str(&serde_json::to_string(&input).unwrap()).unwrap();
        assert_eq!(back, input);
        let result = allocate(&input).unwrap();
        let text = serde_json::to_string(&result).unwrap();
        assert!(
            text.contains("\"fit\":\"surplus_by_weighted_population\""),
            "{text}"
        );
        let unknown = json.replace("\"gap_closure\"", "\"gap_closure_rate\"");
        assert!(serde_json::from_str::<FairShares>(&unknown).is_err());
    }

    #[test]
    fn every_problem_is_reported() {
        let input = FairShares {
            years: 11,
            envelope: Envelope {
                first_year_total: Pence(0),
                annual_growth: f64::NAN,
            },
            pace_of_change: policy(0.03, 1.5, Some(0.02)),
            places: vec![
                place("Luton", Pence(-1), &[0.5, 2.0], None),
                place(" Luton ", Pence(5), &[1.0], Some(&[0.0])),
                place(" ", Pence(5), &[], None),
            ],
        };
        let mut problems = Problems::new();
        input.problems("fair_shares", &mut problems);
        let paths: Vec<String> = problems.into_vec().into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            [
                "fair_shares.years",
                "fair_shares.envelope.first_year_total",
                "fair_shares.envelope.annual_growth",
                "fair_shares.pace_of_change.gap_closure",
                "fair_shares.pace_of_change.over_target_cap",
                "fair_shares.places[0].baseline",
                "fair_shares.places[0].weighted_population",
                "fair_shares.places[0].weighted_population[0]",
                "fair_shares.places[1].weighted_population",
                "fair_shares.places[1].population",
                "fair_shares.places[1].population[0]",
                "fair_shares.places[1].name",
                "fair_shares.places[2].name",
                "fair_shares.places[2].weighted_population",
            ]
        );
        let mut problems = Problems::new();
        FairShares {
            places: vec![],
            ..healthier_together()
        }
        .problems("f", &mut problems);
        assert_eq!(problems.list[0].message, "give at least one place");
        let mut problems = Problems::new();
        policy(0.0, 0.5, Some(-0.01)).problems("p", &mut problems);
        assert!(problems.list[0].message.contains("0 to 1"));
    }

    #[test]
    fn absurd_amounts_are_an_error_not_a_panic() {
        let mut input = healthier_together();
        input.envelope.first_year_total = Pence(i64::MAX / 2);
        input.envelope.annual_growth = 0.5;
        assert_eq!(allocate(&input).err(), Some(MoneyError::Overflow));
    }

    /// Up to six places, with weighted (and sometimes raw) populations for every year.
    fn arbitrary_scenario(
        floor: impl Strategy<Value = f64>,
        growth_over_floor: impl Strategy<Value = f64>,
    ) -> impl Strategy<Value = FairShares> {
        (
            1u32..=MAX_YEARS,
            1usize..=6,
            floor,
            growth_over_floor,
            0.0..=1.0f64,
            0.0..=1.0f64,
        )
            .prop_flat_map(move |(years, n, floor, growth, closure, cap_extra)| {
                let place = (
                    0i64..50_000_000_000,
                    prop::collection::vec(1.0..5_000_000.0f64, years as usize),
                    prop::option::of(prop::collection::vec(1.0..5_000_000.0f64, years as usize)),
                );
                (
                    prop::collection::vec(place, n),
                    1i64..100_000_000_000,
                    any::<bool>(),
                    Just((years, floor, growth, closure, cap_extra)),
                )
            })
            .prop_map(
                |(places, extra, capped, (years, floor, growth, closure, cap_extra))| {
                    let places: Vec<Place> = places
                        .into_iter()
                        .enumerate()
                        .map(|(i, (baseline, weighted, population))| Place {
                            name: format!("Place {i}"),
                            baseline: Pence(baseline),
                            weighted_population: weighted,
                            population,
                        })
                        .collect();
                    let cap = f64::max(floor, 0.0) + cap_extra * (1.0 - f64::max(floor, 0.0));
                    FairShares {
                        years,
                        envelope: Envelope {
                            // At least last year's total, so the envelope alone never cuts.
                            first_year_total: Pence(
                                places.iter().map(|p| p.baseline.0).sum::<i64>() + extra,
                            ),
                            annual_growth: (floor.max(0.0) + growth).min(0.5),
                        },
                        pace_of_change: policy(floor, closure, capped.then_some(cap)),
                        places,
                    }
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn targets_add_up_to_the_envelope(
            envelope in 0i64..1_000_000_000_000_000,
            weighted in prop::collection::vec(0.000_001..10_000_000_000.0f64, 1..12),
        ) {
            let parts = targets(Pence(envelope), &weighted).unwrap();
            prop_assert_eq!(money::sum(parts.iter().copied()), Ok(Pence(envelope)));
        }

        /// Any policy, envelope growth from −50 % to +50 %: the allocations always add up to
        /// the envelope, floors hold when affordable, caps always hold. (Through [`project`],
        /// the money that [`allocate`] describes, to keep ten thousand runs fast.)
        #[test]
        fn allocations_add_up_to_every_years_envelope(
            mut input in arbitrary_scenario(-0.5..=0.5f64, -1.0..=0.5f64),
        ) {
            input.envelope.annual_growth = input.envelope.annual_growth.max(-0.5);
            let mut problems = Problems::new();
            input.problems("f", &mut problems);
            prop_assert!(problems.is_empty(), "{:?}", problems.list);
            let years = project(&input).unwrap();
            prop_assert_eq!(years.len(), input.years as usize);
            for y in &years {
                prop_assert_eq!(money::sum(y.targets.iter().copied()), Ok(y.envelope));
                prop_assert_eq!(money::sum(y.allocations.iter().copied()), Ok(y.envelope));
                let floor_affordable = money::sum(y.floors.iter().copied())? <= y.envelope;
                prop_assert_eq!(floor_affordable, y.fit != EnvelopeFit::FloorUnaffordable);
                for i in 0..y.allocations.len() {
                    if floor_affordable {
                        prop_assert!(y.allocations[i] >= y.floors[i]);
                    } else {
                        prop_assert!(y.allocations[i] <= y.floors[i]);
                    }
                    if let Some(cap) = y.caps[i] {
                        prop_assert!(y.allocations[i] <= cap);
                    }
                }
            }
        }

        /// With a floor of 0 or more and an envelope that grows at least as fast as the floor
        /// (year 1: at least last year's total), no allocation falls, so a place under target
        /// never moves further below it. (Moving "further from target" either way is not
        /// claimed: the floor or a share of a surplus can carry a place just under target to
        /// further above it.)
        #[test]
        fn places_under_target_never_fall_further_below(
            input in arbitrary_scenario(0.0..=0.1f64, 0.0..=0.2f64),
        ) {
            for y in project(&input).unwrap() {
                for i in 0..y.allocations.len() {
                    prop_assert!(y.allocations[i] >= y.previous[i]);
                    if y.previous[i] < y.targets[i] {
                        prop_assert!(
                            distance_from_target(y.allocations[i], y.targets[i])
                                >= distance_from_target(y.previous[i], y.targets[i])
                        );
                    }
                }
            }
        }
    }
}
