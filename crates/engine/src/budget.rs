//! The capitated budget over several years for one place, and a pooled budget
//! (DOMAIN.md section 3).
//!
//! **Capitated budget.** For each year `t` (0 for the first year, population as given):
//!
//! ```text
//! weighted_t = weighted population of the projected people in year t   (capitation, population)
//! factor_t   = ((1 + uplift) × (1 − efficiency))ᵗ                      (exact: money::Decimal)
//! rate_t     = year-1 rate × factor_t, rounded to the penny              (Pence::times, once)
//! budget_t   = rate_t × weighted_t, rounded to the penny                 (capitation::capitated_amount)
//! ```
//!
//! The factor is the exact product of the uplift and efficiency as written (no `f64`
//! step, so no platform differs and no digit is lost) and is applied to the year-1 rate
//! once, so a ten-year plan carries no year-on-year rounding drift. It is built one
//! year at a time, `factor_t = factor_{t−1} × (1 + uplift) × (1 − efficiency)`,
//! so the rate after this year's uplift (`factor_{t−1} × (1 + uplift)`) is the
//! exact intermediate step of the same product. The weighted population is an `f64`
//! estimate of people (see `population`); the budget multiplies it exactly as that
//! `f64` (its shortest decimal) and rounds once, however large the place.
//!
//! **Year-on-year change, decomposed in sequence** (demography, then uplift, then
//! efficiency), each part a difference of two amounts rounded to the penny:
//!
//! ```text
//! demographic = rate_{t−1}         × weighted_t − budget_{t−1}
//! uplift      = rate_after_uplift  × weighted_t − rate_{t−1} × weighted_t
//! efficiency  = budget_t                        − rate_after_uplift × weighted_t
//! ```
//!
//! The parts telescope, so **demographic + uplift + efficiency = budget_t − budget_{t−1}
//! exactly, to the penny**. A part whose driver is absent is exactly zero (no growth in
//! weighted population, no uplift, or no efficiency requirement).
//!
//! Each year's budget is split across service lines by [`money::apportion_f64`]
//! (largest remainder on the shares exactly as written, ties to the line listed first), so
//! the lines sum to the budget. Budget per person = budget ÷ people, the projected people
//! exactly (a fraction of a person kept), rounded once half away from zero: [`money::per_head`],
//! the one rule every per-person figure uses (the scenario's totals too).
//!
//! **Pooled budget** (a section 75 agreement, the Better Care Fund, the Isle of
//! Wight's "one island £"): pot = Σ contributions (checked). The pot is split across
//! the spending lines by largest remainder. "Who put in what and where it goes" is a
//! matrix (spending lines × organisations) whose every row sums to the line's amount
//! and every column to the organisation's contribution, exactly; see
//! [`pooled_budget`] for the method.

use crate::capitation::{
    capitated_amount, weighted_population, weighted_population_working, PlaceFactors,
};
use crate::inputs::{self, Input};
use crate::money::{self, Decimal, MoneyError, Pence};
use crate::names;
use crate::population::{project, AgeBand, BandPopulation, MAX_YEARS};
use crate::validation::{sums_to_one, Problems};
use crate::working::{people, percent, Working};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

/// Where a share of the money goes: acute, community, mental health, primary care,
/// prescribing, continuing care, social care, public health…
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceLine {
    pub name: String,
    /// Fraction of the budget: 0.45 is 45 %. The lines' shares add up to 1.
    pub share: f64,
}

/// A capitated budget for one place over several years.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapitatedBudget {
    /// Year 1's rate per weighted head, in pence (£1,732 is 173200).
    pub rate_per_weighted_head: Pence,
    /// How many years to plan, 1 to [`MAX_YEARS`].
    pub years: usize,
    /// Annual funding growth as a fraction: 0.03 is 3 % a year.
    pub uplift: f64,
    /// Annual efficiency requirement as a fraction: 0.011 is 1.1 % a year.
    pub efficiency: f64,
    /// How each year's budget is split; shares add up to 1.
    pub service_lines: Vec<ServiceLine>,
}

/// NHS, council or anyone else putting money into a pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    Nhs,
    Council,
    Other,
}

impl Sector {
    const ALL: [Sector; 3] = [Sector::Nhs, Sector::Council, Sector::Other];

    /// For people: "NHS", "council", "other".
    pub fn label(self) -> &'static str {
        match self {
            Sector::Nhs => "NHS",
            Sector::Council => "council",
            Sector::Other => "other",
        }
    }
}

/// One organisation's money in a pooled budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    pub organisation: String,
    pub sector: Sector,
    pub amount: Pence,
}

/// A pooled budget: NHS and council money in one pot (section 75, Better Care Fund).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PooledBudget {
    pub name: String,
    pub contributions: Vec<Contribution>,
    /// Where the pot goes; shares add up to 1.
    pub spending: Vec<ServiceLine>,
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// Checks for a list of service lines (a budget's or a pool's spending; `share` is the
/// input their shares are).
fn service_line_problems(lines: &[ServiceLine], path: &str, share: &Input, out: &mut Problems) {
    if lines.is_empty() {
        out.push(
            path,
            "none",
            "give at least one service line (a single line with share 1 is fine)",
        );
        return;
    }
    let repeats = names::repeats(lines.iter().map(|l| l.name.as_str()));
    for (i, line) in lines.iter().enumerate() {
        let name = format!("{path}[{i}].name");
        out.name(&name, &line.name);
        out.repeat(
            &name,
            &line.name,
            repeats[i],
            "each service line needs a different name",
        );
        out.number(share, format!("{path}[{i}].share"), line.share);
    }
    // A share that is not a number is already reported; a sum including it says nothing more.
    if lines.iter().all(|l| l.share.is_finite()) && !sums_to_one(lines.iter().map(|l| l.share)) {
        let total: f64 = lines.iter().map(|l| l.share).sum();
        out.push(
            path,
            format!("shares adding up to {total}"),
            "the shares must add up to 1 (100 %)",
        );
    }
}

impl ServiceLine {
    pub fn new(name: impl Into<String>, share: f64) -> Self {
        ServiceLine {
            name: name.into(),
            share,
        }
    }
}

impl CapitatedBudget {
    pub fn problems(&self, path: &str, out: &mut Problems) {
        out.whole(
            &inputs::RATE,
            join(path, "rate_per_weighted_head"),
            self.rate_per_weighted_head.0.into(),
        );
        out.whole(&inputs::YEARS, join(path, "years"), self.years as i128);
        out.number(&inputs::UPLIFT, join(path, "uplift"), self.uplift);
        out.number(
            &inputs::EFFICIENCY,
            join(path, "efficiency"),
            self.efficiency,
        );
        service_line_problems(
            &self.service_lines,
            &join(path, "service_lines"),
            &inputs::LINE_SHARE,
            out,
        );
    }
}

impl PooledBudget {
    pub fn problems(&self, path: &str, out: &mut Problems) {
        out.name(&join(path, "name"), &self.name);
        let contributions = join(path, "contributions");
        if self.contributions.is_empty() {
            out.push(
                contributions.as_str(),
                "none",
                "give at least one organisation's contribution",
            );
        }
        let repeats = names::repeats(self.contributions.iter().map(|c| c.organisation.as_str()));
        for (i, c) in self.contributions.iter().enumerate() {
            let organisation = format!("{contributions}[{i}].organisation");
            out.name(&organisation, &c.organisation);
            out.repeat(
                &organisation,
                &c.organisation,
                repeats[i],
                "each organisation may appear once; add its contributions together",
            );
            out.whole(
                &inputs::CONTRIBUTION,
                format!("{contributions}[{i}].amount"),
                c.amount.0.into(),
            );
        }
        // The pot is only meaningful when every amount is.
        if !self.contributions.is_empty()
            && self.contributions.iter().all(|c| c.amount >= Pence::ZERO)
        {
            match money::sum(self.contributions.iter().map(|c| c.amount)) {
                Ok(pot) if pot > Pence::ZERO => {}
                Ok(pot) => out.push(
                    contributions.as_str(),
                    pot.0,
                    "the contributions must add up to more than 0 pence",
                ),
                Err(_) => out.push(
                    contributions.as_str(),
                    "too large",
                    "the contributions add up to more than can be calculated with",
                ),
            }
        }
        service_line_problems(
            &self.spending,
            &join(path, "spending"),
            &inputs::SPENDING_SHARE,
            out,
        );
    }
}

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

/// One service line's part of an amount.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceLineAmount {
    pub name: String,
    pub share: f64,
    pub amount: Pence,
    pub working: Working,
}

/// How a year's budget differs from the year before, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetChange {
    /// This year's budget − last year's.
    pub change: Pence,
    /// The change as a fraction of last year's budget; `None` when that was zero.
    pub change_fraction: Option<f64>,
    /// The change in weighted population, valued at last year's rate.
    pub demographic: Pence,
    /// This year's uplift applied to the rate, for this year's weighted population.
    pub uplift: Pence,
    /// This year's efficiency requirement (usually negative), for this year's weighted population.
    pub efficiency: Pence,
    /// The rate per weighted head after this year's uplift, before efficiency: the
    /// intermediate step of the decomposition.
    pub rate_after_uplift: Pence,
    pub change_working: Working,
    pub demographic_working: Working,
    pub uplift_working: Working,
    pub efficiency_working: Working,
}

/// One year of a capitated budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetYear {
    /// 1 for the first year (the population as given), 2 for the next, …
    pub year: usize,
    /// People, projected (not weighted).
    pub people: f64,
    pub weighted_population: f64,
    pub rate_per_weighted_head: Pence,
    pub budget: Pence,
    /// Budget ÷ people, to the penny; `None` when the place has no people.
    pub budget_per_person: Option<Pence>,
    /// `None` in the first year.
    pub change: Option<BudgetChange>,
    /// The budget split by service line; the amounts sum to `budget` exactly.
    pub service_lines: Vec<ServiceLineAmount>,
    pub weighted_population_working: Working,
    pub rate_working: Working,
    pub budget_working: Working,
    pub budget_per_person_working: Working,
}

/// A place's capitated budget year by year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetPlan {
    pub place: String,
    pub years: Vec<BudgetYear>,
    /// Σ of every year's budget.
    pub total: Pence,
    pub total_working: Working,
}

/// One organisation's contribution and its share of the pot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContributionShare {
    pub organisation: String,
    pub sector: Sector,
    pub amount: Pence,
    /// Contribution ÷ pot.
    pub share_of_pot: f64,
    pub working: Working,
}

/// What one sector put into the pot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectorTotal {
    pub sector: Sector,
    pub amount: Pence,
    pub share_of_pot: f64,
    pub working: Working,
}

/// How much of a spending line came from one organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FundedBy {
    pub organisation: String,
    pub amount: Pence,
}

/// Where part of the pot goes, and whose money pays for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpendingLine {
    pub name: String,
    pub share: f64,
    pub amount: Pence,
    /// One entry per contribution, in the contributions' order; sums to `amount`.
    pub funded_by: Vec<FundedBy>,
    pub working: Working,
}

/// A pooled budget worked out: who put in what and where it goes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PooledBudgetResult {
    pub name: String,
    pub pot: Pence,
    pub pot_working: Working,
    /// In the order given.
    pub contributions: Vec<ContributionShare>,
    /// Sectors that contributed, in the order NHS, council, other.
    pub by_sector: Vec<SectorTotal>,
    /// In the order given; amounts sum to the pot.
    pub spending: Vec<SpendingLine>,
}

// ---------------------------------------------------------------------------
// The capitated budget
// ---------------------------------------------------------------------------

/// A compounded factor to six decimal places (half away from zero), for the working.
fn six_places(factor: &Decimal) -> Result<String, MoneyError> {
    // A whole number of millionths, so the f64 quotient prints back as exactly those digits.
    let millionths = Pence(1_000_000).times(factor)?.pence();
    Ok(format!("{:.6}", millionths as f64 / 1e6))
}

/// Split an amount across service lines by largest remainder.
fn split_by_line(
    amount: Pence,
    lines: &[ServiceLine],
    what: &str,
) -> Result<Vec<ServiceLineAmount>, MoneyError> {
    let shares: Vec<f64> = lines.iter().map(|l| l.share).collect();
    let parts = money::apportion_f64(amount, &shares)?;
    Ok(lines
        .iter()
        .zip(parts)
        .map(|(line, part)| ServiceLineAmount {
            name: line.name.clone(),
            share: line.share,
            amount: part,
            working: Working::new(
                format!("{} for {what}", line.name),
                part.display(),
                "amount × the line's share, pence shared by largest remainder so the lines add up to the amount exactly",
            )
            .input("Amount", amount.display())
            .input("Share", percent(line.share, 2)),
        })
        .collect())
}

/// Work out a place's capitated budget year by year.
///
/// `bands` are the scenario's age bands and `population` the place's people in
/// each, in the same order. The input is valid ([`CapitatedBudget::problems`] and the
/// scenario's checks of the population found nothing): this does not check it again. Money
/// too large to calculate with is an error, never a panic.
pub fn capitated_budget(
    place: &str,
    bands: &[AgeBand],
    population: &[BandPopulation],
    factors: &PlaceFactors,
    budget: &CapitatedBudget,
) -> Result<BudgetPlan, MoneyError> {
    let rate_0 = budget.rate_per_weighted_head;
    let uplift_factor = Decimal::one_plus(budget.uplift)?;
    let efficiency_factor = Decimal::one_plus(-budget.efficiency)?;

    // (rate, weighted population, budget, compounded factor) of the year before.
    let mut previous: Option<(Pence, f64, Pence, Decimal)> = None;
    // A valid budget has at most MAX_YEARS years; the bound keeps any other from running away.
    let horizon = budget.years.min(MAX_YEARS);
    let mut years = Vec::with_capacity(horizon);
    for (t, people_by_band) in project(population, horizon).iter().enumerate() {
        let year = t + 1;
        let raw: f64 = people_by_band.iter().sum();
        let weighted = weighted_population(people_by_band, bands, factors);

        // Exact products, so the rate after uplift is the exact intermediate step of the
        // same product (see the module notes).
        let (factor_after_uplift, factor) = match &previous {
            None => (Decimal::one(), Decimal::one()),
            Some((_, _, _, f)) => {
                let after_uplift = f.times(&uplift_factor);
                let factor = after_uplift.times(&efficiency_factor);
                (after_uplift, factor)
            }
        };
        let rate = rate_0.times(&factor)?;
        let amount = capitated_amount(rate, weighted)?;
        let budget_per_person = money::per_head(amount, raw)?;

        let rate_working = Working::new(
            format!("Rate per weighted head for {place}, year {year}"),
            rate.display(),
            "year-1 rate × ((1 + uplift) × (1 − efficiency)) for each year after year 1; \
             the factor is compounded exactly and applied to the money once, then rounded to the penny",
        )
        .input("Year-1 rate per weighted head", rate_0.display())
        .input("Annual uplift", percent(budget.uplift, 2))
        .input("Annual efficiency requirement", percent(budget.efficiency, 2))
        .input("Years after year 1", t.to_string())
        .input("Compounded factor", six_places(&factor)?);
        let budget_working = Working::new(
            format!("Capitated budget for {place}, year {year}"),
            amount.display(),
            format!(
                "rate per weighted head × weighted population: {} per weighted head × {} weighted people, \
                 rounded to the penny",
                rate.display(),
                people(weighted)
            ),
        )
        .input("Rate per weighted head", rate.display())
        .input("Weighted population", people(weighted));
        let budget_per_person_working = Working::new(
            format!("Budget per person in {place}, year {year}"),
            budget_per_person.map_or_else(|| "no people".to_string(), Pence::display),
            "budget ÷ people (not weighted), rounded to the penny",
        )
        .input("Budget", amount.display())
        .input("People", people(raw));

        let change = match previous {
            None => None,
            Some((last_rate, last_weighted, last_budget, _)) => {
                let rate_after_uplift = rate_0.times(&factor_after_uplift)?;
                let at_last_rate = capitated_amount(last_rate, weighted)?;
                let after_uplift = capitated_amount(rate_after_uplift, weighted)?;
                let change = amount.checked_sub(last_budget)?;
                let demographic = at_last_rate.checked_sub(last_budget)?;
                let uplift = after_uplift.checked_sub(at_last_rate)?;
                let efficiency = amount.checked_sub(after_uplift)?;
                let change_fraction =
                    (last_budget != Pence::ZERO).then(|| change.0 as f64 / last_budget.0 as f64);
                let from_to = format!("from year {} to year {year}", year - 1);
                Some(BudgetChange {
                    change,
                    change_fraction,
                    demographic,
                    uplift,
                    efficiency,
                    rate_after_uplift,
                    change_working: Working::new(
                        format!("Change in {place}'s budget {from_to}"),
                        change.display(),
                        "this year's budget − last year's budget \
                         = demographic growth + uplift + efficiency, exactly",
                    )
                    .input("This year's budget", amount.display())
                    .input("Last year's budget", last_budget.display())
                    .input("Demographic growth", demographic.display())
                    .input("Uplift", uplift.display())
                    .input("Efficiency", efficiency.display()),
                    demographic_working: Working::new(
                        format!("Change due to demographic growth in {place} {from_to}"),
                        demographic.display(),
                        format!(
                            "last year's rate × this year's weighted population − last year's budget: \
                             {} per weighted head × {} weighted people (up from {}) − {}",
                            last_rate.display(),
                            people(weighted),
                            people(last_weighted),
                            last_budget.display()
                        ),
                    )
                    .input("Last year's rate per weighted head", last_rate.display())
                    .input("This year's weighted population", people(weighted))
                    .input("Last year's weighted population", people(last_weighted))
                    .input("Last year's budget", last_budget.display()),
                    uplift_working: Working::new(
                        format!("Change due to uplift in {place} {from_to}"),
                        uplift.display(),
                        format!(
                            "rate after uplift × this year's weighted population − last year's rate × \
                             this year's weighted population: ({} − {}) per weighted head × {} weighted people, \
                             each product rounded to the penny",
                            rate_after_uplift.display(),
                            last_rate.display(),
                            people(weighted)
                        ),
                    )
                    .input("Annual uplift", percent(budget.uplift, 2))
                    .input("Rate after uplift", rate_after_uplift.display())
                    .input("Last year's rate per weighted head", last_rate.display())
                    .input("This year's weighted population", people(weighted)),
                    efficiency_working: Working::new(
                        format!("Change due to the efficiency requirement in {place} {from_to}"),
                        efficiency.display(),
                        format!(
                            "this year's budget − rate after uplift × this year's weighted population: \
                             ({} − {}) per weighted head × {} weighted people, each product rounded to the penny",
                            rate.display(),
                            rate_after_uplift.display(),
                            people(weighted)
                        ),
                    )
                    .input("Annual efficiency requirement", percent(budget.efficiency, 2))
                    .input("This year's rate per weighted head", rate.display())
                    .input("Rate after uplift", rate_after_uplift.display())
                    .input("This year's weighted population", people(weighted)),
                })
            }
        };

        let service_lines = split_by_line(
            amount,
            &budget.service_lines,
            &format!("{place}, year {year}"),
        )?;
        years.push(BudgetYear {
            year,
            people: raw,
            weighted_population: weighted,
            rate_per_weighted_head: rate,
            budget: amount,
            budget_per_person,
            change,
            service_lines,
            weighted_population_working: weighted_population_working(
                place,
                people_by_band,
                bands,
                factors,
            ),
            rate_working,
            budget_working,
            budget_per_person_working,
        });
        previous = Some((rate, weighted, amount, factor));
    }

    let total = money::sum(years.iter().map(|y| y.budget))?;
    let mut total_working = Working::new(
        format!("Total budget for {place} over {} year(s)", years.len()),
        total.display(),
        "the sum of every year's budget",
    );
    for y in &years {
        total_working = total_working.input(format!("Year {}", y.year), y.budget.display());
    }
    Ok(BudgetPlan {
        place: place.to_string(),
        years,
        total,
        total_working,
    })
}

// ---------------------------------------------------------------------------
// The pooled budget
// ---------------------------------------------------------------------------

/// Fill a matrix (rows × columns) of non-negative pence whose rows sum to
/// `row_totals` and columns to `column_totals` exactly, each cell close to
/// `row × column ÷ grand total`.
///
/// Method (sequential proportional allocation): take the columns in order; split
/// each column's total across the rows in proportion to what each row still needs,
/// by largest remainder; take that off what the rows need. The columns sum exactly
/// because each is an [`money::apportion`]; the rows sum exactly because the last
/// column's total equals what the rows still need in all, so it fills each row
/// exactly. No cell goes negative: a column never exceeds what is still needed, so
/// no row gets more than it needs. Each cell is within one penny per column of its
/// exact proportional share.
///
/// Both margins must be non-negative with equal sums (the caller guarantees it;
/// otherwise this reports [`MoneyError::NoWeights`]).
fn fill_matrix(
    row_totals: &[Pence],
    column_totals: &[Pence],
) -> Result<Vec<Vec<Pence>>, MoneyError> {
    let to_u64 = |p: &Pence| u64::try_from(p.0).map_err(|_| MoneyError::NoWeights);
    let mut still_needed: Vec<u64> = row_totals.iter().map(to_u64).collect::<Result<_, _>>()?;
    let columns: Vec<u64> = column_totals.iter().map(to_u64).collect::<Result<_, _>>()?;
    let needed: u128 = still_needed.iter().map(|&n| n as u128).sum();
    let given: u128 = columns.iter().map(|&c| c as u128).sum();
    if needed != given {
        return Err(MoneyError::NoWeights);
    }
    let mut cells = vec![vec![Pence::ZERO; column_totals.len()]; row_totals.len()];
    for (j, &column) in column_totals.iter().enumerate() {
        if column == Pence::ZERO {
            continue; // Nothing to give; also avoids a split with every row already full.
        }
        let parts = money::apportion(column, &still_needed)?;
        for ((row, need), part) in cells.iter_mut().zip(still_needed.iter_mut()).zip(parts) {
            let part_u64 = u64::try_from(part.0).map_err(|_| MoneyError::Overflow)?;
            *need = need.checked_sub(part_u64).ok_or(MoneyError::Overflow)?;
            if let Some(cell) = row.get_mut(j) {
                *cell = part;
            }
        }
    }
    Ok(cells)
}

/// Work out a pooled budget: the pot, each organisation's share, totals by sector,
/// the pot split across the spending lines (largest remainder), and for each line
/// how much came from each organisation (see [`fill_matrix`]: every line's row sums
/// to the line's amount and every organisation's column to its contribution, exactly).
///
/// The pool is valid ([`PooledBudget::problems`] found nothing): this does not check it
/// again. Money too large to calculate with is an error, never a panic.
pub fn pooled_budget(pool: &PooledBudget) -> Result<PooledBudgetResult, MoneyError> {
    let name = &pool.name;
    let pot = money::sum(pool.contributions.iter().map(|c| c.amount))?;
    let share_of = |amount: Pence| amount.0 as f64 / pot.0 as f64;

    let mut pot_working = Working::new(
        format!("Pooled budget: {name}"),
        pot.display(),
        "the sum of every organisation's contribution",
    );
    for c in &pool.contributions {
        pot_working = pot_working.input(
            format!("{} ({})", c.organisation, c.sector.label()),
            c.amount.display(),
        );
    }

    let contributions: Vec<ContributionShare> = pool
        .contributions
        .iter()
        .map(|c| {
            let share = share_of(c.amount);
            ContributionShare {
                organisation: c.organisation.clone(),
                sector: c.sector,
                amount: c.amount,
                share_of_pot: share,
                working: Working::new(
                    format!("{}'s share of {name}", c.organisation),
                    percent(share, 2),
                    "contribution ÷ pot",
                )
                .input("Contribution", c.amount.display())
                .input("Pot", pot.display()),
            }
        })
        .collect();

    let mut by_sector = Vec::new();
    for sector in Sector::ALL {
        let members: Vec<&Contribution> = pool
            .contributions
            .iter()
            .filter(|c| c.sector == sector)
            .collect();
        if members.is_empty() {
            continue;
        }
        let amount = money::sum(members.iter().map(|c| c.amount))?;
        let share = share_of(amount);
        let mut working = Working::new(
            format!("{} money in {name}", sector.label()),
            amount.display(),
            format!(
                "the sum of the {} organisations' contributions",
                sector.label()
            ),
        );
        for c in &members {
            working = working.input(c.organisation.clone(), c.amount.display());
        }
        working = working.input("Share of the pot", percent(share, 2));
        by_sector.push(SectorTotal {
            sector,
            amount,
            share_of_pot: share,
            working,
        });
    }

    let shares: Vec<f64> = pool.spending.iter().map(|l| l.share).collect();
    let line_amounts = money::apportion_f64(pot, &shares)?;
    let amounts: Vec<Pence> = pool.contributions.iter().map(|c| c.amount).collect();
    let matrix = fill_matrix(&line_amounts, &amounts)?;
    let spending = pool
        .spending
        .iter()
        .zip(line_amounts)
        .zip(matrix)
        .map(|((line, amount), row)| {
            let funded_by: Vec<FundedBy> = pool
                .contributions
                .iter()
                .zip(row)
                .map(|(c, part)| FundedBy {
                    organisation: c.organisation.clone(),
                    amount: part,
                })
                .collect();
            let mut working = Working::new(
                format!("{} from {name}", line.name),
                amount.display(),
                "pot × the line's share, pence shared by largest remainder so the lines add up to the pot \
                 exactly; each organisation pays for the line in proportion to its contribution",
            )
            .input("Pot", pot.display())
            .input("Share", percent(line.share, 2));
            for f in &funded_by {
                working = working.input(format!("From {}", f.organisation), f.amount.display());
            }
            SpendingLine {
                name: line.name.clone(),
                share: line.share,
                amount,
                funded_by,
                working,
            }
        })
        .collect();

    Ok(PooledBudgetResult {
        name: name.clone(),
        pot,
        pot_working,
        contributions,
        by_sector,
        spending,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    fn one_band() -> Vec<AgeBand> {
        vec![AgeBand {
            label: "All ages".into(),
            cost_weight: 1.0,
        }]
    }

    fn plan(rate: i64, years: usize, uplift: f64, efficiency: f64) -> CapitatedBudget {
        CapitatedBudget {
            rate_per_weighted_head: Pence(rate),
            years,
            uplift,
            efficiency,
            service_lines: vec![ServiceLine::new("All care", 1.0)],
        }
    }

    fn pounds(p: i64) -> Pence {
        Pence::from_pounds(p).unwrap()
    }

    #[test]
    fn golden_one_band_place() {
        // (people, growth, rate £, uplift, efficiency) → year-2 budget, demographic, uplift, efficiency (pence)
        struct Case {
            growth: f64,
            uplift: f64,
            efficiency: f64,
            year_2: Pence,
            demographic: Pence,
            uplift_part: Pence,
            efficiency_part: Pence,
        }
        let cases = [
            // Uplift 10 %, nothing else: £1,000,000 → £1,100,000, all of it uplift.
            Case {
                growth: 0.0,
                uplift: 0.10,
                efficiency: 0.0,
                year_2: pounds(1_100_000),
                demographic: Pence(0),
                uplift_part: pounds(100_000),
                efficiency_part: Pence(0),
            },
            // Demographic growth 1 %: exactly 1 % of the budget is demography.
            Case {
                growth: 0.01,
                uplift: 0.0,
                efficiency: 0.0,
                year_2: pounds(1_010_000),
                demographic: pounds(10_000),
                uplift_part: Pence(0),
                efficiency_part: Pence(0),
            },
            // Both: demography at the old rate first (£10,000), then 10 % uplift on 1,010 people.
            Case {
                growth: 0.01,
                uplift: 0.10,
                efficiency: 0.0,
                year_2: pounds(1_111_000),
                demographic: pounds(10_000),
                uplift_part: pounds(101_000),
                efficiency_part: Pence(0),
            },
            // Efficiency 2 % alone: rate £980.
            Case {
                growth: 0.0,
                uplift: 0.0,
                efficiency: 0.02,
                year_2: pounds(980_000),
                demographic: Pence(0),
                uplift_part: Pence(0),
                efficiency_part: pounds(-20_000),
            },
            // All three: rate £1,000 × 1.1 × 0.98 = £1,078; 1,010 people.
            Case {
                growth: 0.01,
                uplift: 0.10,
                efficiency: 0.02,
                year_2: pounds(1_088_780),
                demographic: pounds(10_000),
                uplift_part: pounds(101_000),
                efficiency_part: pounds(-22_220),
            },
        ];
        for (i, c) in cases.iter().enumerate() {
            let population = [BandPopulation::new(1000, c.growth)];
            let result = capitated_budget(
                "Anytown",
                &one_band(),
                &population,
                &PlaceFactors::default(),
                &plan(100_000, 2, c.uplift, c.efficiency),
            )
            .unwrap();
            let y1 = &result.years[0];
            let y2 = &result.years[1];
            assert_eq!(y1.budget, pounds(1_000_000), "case {i}");
            assert_eq!(y1.budget_per_person, Some(pounds(1_000)), "case {i}");
            assert!(y1.change.is_none());
            assert_eq!(y2.budget, c.year_2, "case {i}");
            let ch = y2.change.as_ref().unwrap();
            assert_eq!(
                ch.change,
                c.year_2.checked_sub(pounds(1_000_000)).unwrap(),
                "case {i}"
            );
            assert_eq!(ch.demographic, c.demographic, "case {i}");
            assert_eq!(ch.uplift, c.uplift_part, "case {i}");
            assert_eq!(ch.efficiency, c.efficiency_part, "case {i}");
            assert_eq!(
                result.total,
                pounds(1_000_000).checked_add(c.year_2).unwrap(),
                "case {i}"
            );
        }
    }

    #[test]
    fn rate_is_compounded_once_not_rounded_each_year() {
        // £1,732 with 3 % uplift and 1.1 % efficiency: factor 1.03 × 0.989 = 1.01867 a year.
        let b = plan(173_200, 10, 0.03, 0.011);
        let result = capitated_budget(
            "Anytown",
            &one_band(),
            &[BandPopulation::new(1000, 0.0)],
            &PlaceFactors::default(),
            &b,
        )
        .unwrap();
        // (year, expected rate in pence): 173 200 × 1.01867ᵗ rounded half away from zero.
        let expected = [
            (1, 173_200),
            (2, 176_434),
            (3, 179_728),
            (5, 186_501),
            (10, 204_574),
        ];
        for (year, rate) in expected {
            let got = result.years[year - 1].rate_per_weighted_head;
            let exact = (1..year).fold(173_200.0, |rate, _| rate * 1.01867);
            assert_eq!(got, Pence(rate), "year {year} (exact {exact})");
            assert!((got.0 as f64 - exact).abs() <= 0.5);
        }
        let w = &result.years[1].budget_working;
        assert_eq!(w.value, "£1,764,340.00");
        assert!(
            w.formula
                .contains("£1,764.34 per weighted head × 1,000 weighted people"),
            "{}",
            w.formula
        );
        assert_eq!(result.years[1].rate_working.inputs[4].value, "1.018670");
    }

    #[test]
    fn weights_and_factors_shape_the_budget() {
        let bands = vec![
            AgeBand {
                label: "0–64".into(),
                cost_weight: 0.8,
            },
            AgeBand {
                label: "65+".into(),
                cost_weight: 3.0,
            },
        ];
        let population = [
            BandPopulation::new(1000, 0.0),
            BandPopulation::new(100, 0.05),
        ];
        let factors = PlaceFactors {
            need_index: 1.1,
            market_forces_factor: 1.0,
        };
        let mut b = plan(100_000, 2, 0.0, 0.0);
        b.service_lines = vec![
            ServiceLine::new("Acute", 0.5),
            ServiceLine::new("Community", 0.3),
            ServiceLine::new("Social care", 0.2),
        ];
        let r = capitated_budget("Ageing Town", &bands, &population, &factors, &b).unwrap();
        // Year 1: (800 + 300) × 1.1 = 1,210 weighted people × £1,000.
        assert_eq!(r.years[0].budget, pounds(1_210_000));
        // Year 2: (800 + 315) × 1.1 = 1,226.5: the ageing band alone drives demography.
        assert_eq!(r.years[1].budget, pounds(1_226_500));
        assert_eq!(
            r.years[1].change.as_ref().unwrap().demographic,
            pounds(16_500)
        );
        // Per person: £1,226,500 ÷ 1,105 people = £1,109.9547… → £1,109.95.
        assert_eq!(r.years[1].budget_per_person, Some(Pence(110_995)));
        let lines: Vec<Pence> = r.years[0].service_lines.iter().map(|l| l.amount).collect();
        assert_eq!(
            lines,
            vec![pounds(605_000), pounds(363_000), pounds(242_000)]
        );
        assert_eq!(r.years[0].weighted_population_working.value, "1,210");
    }

    #[test]
    fn budget_per_person_rounds_half_away_from_zero() {
        let cases = [
            (Pence(100), 3.0, Some(Pence(33))),
            (Pence(200), 3.0, Some(Pence(67))),
            (Pence(1), 2.0, Some(Pence(1))),
            (Pence(-1), 2.0, Some(Pence(-1))),
            (Pence(20_500_000_000), 140_000.0, Some(Pence(146_429))),
            (Pence(100), 0.0, None),
        ];
        for (budget, count, expected) in cases {
            assert_eq!(
                money::per_head(budget, count),
                Ok(expected),
                "{budget} ÷ {count}"
            );
        }
        assert_eq!(
            money::per_head(Pence(1), f64::NAN),
            Err(MoneyError::NotFinite)
        );
    }

    #[test]
    fn service_lines_split_to_the_penny() {
        let mut b = plan(100, 1, 0.0, 0.0);
        b.service_lines = vec![
            ServiceLine::new("A", 1.0 / 3.0),
            ServiceLine::new("B", 1.0 / 3.0),
            ServiceLine::new("C", 1.0 / 3.0),
        ];
        let r = capitated_budget(
            "Tiny",
            &one_band(),
            &[BandPopulation::new(1, 0.0)],
            &PlaceFactors::default(),
            &b,
        )
        .unwrap();
        let lines: Vec<Pence> = r.years[0].service_lines.iter().map(|l| l.amount).collect();
        assert_eq!(lines, vec![Pence(34), Pence(33), Pence(33)]);
        assert_eq!(
            r.years[0].service_lines[0].working.inputs[1].value,
            "33.33 %"
        );
    }

    #[test]
    fn a_place_with_no_people_has_no_budget_per_person() {
        let r = capitated_budget(
            "Empty",
            &one_band(),
            &[BandPopulation::new(0, 0.0)],
            &PlaceFactors::default(),
            &plan(100, 2, 0.03, 0.0),
        )
        .unwrap();
        assert_eq!(r.years[1].budget, Pence(0));
        assert_eq!(r.years[1].budget_per_person, None);
        assert_eq!(r.years[1].budget_per_person_working.value, "no people");
        assert_eq!(r.years[1].change.as_ref().unwrap().change_fraction, None);
    }

    #[test]
    fn capitated_budget_lists_every_problem() {
        let b = CapitatedBudget {
            rate_per_weighted_head: Pence(0),
            years: 0,
            uplift: 0.5,
            efficiency: -0.1,
            service_lines: vec![
                ServiceLine::new("Acute", 0.6),
                ServiceLine::new(" acute", 0.6),
                ServiceLine::new("", -0.1),
            ],
        };
        // The budget's own rules; a population that does not match the age bands is the
        // scenario's to report (`places[i].population`), where both are known.
        let mut out = Problems::new();
        b.problems("", &mut out);
        let paths: Vec<&str> = out.list.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "rate_per_weighted_head",
                "years",
                "uplift",
                "efficiency",
                "service_lines[1].name",
                "service_lines[2].name",
                "service_lines[2].share",
                "service_lines",
            ]
        );
        let mut out = Problems::new();
        plan(1, MAX_YEARS + 1, 0.0, 0.0).problems("places[0].budget", &mut out);
        assert_eq!(out.list[0].path, "places[0].budget.years");
        assert!(out.list[0].message.contains("from 1 to 10"));
        let mut out = Problems::new();
        let mut nan = plan(1, 1, f64::NAN, 0.0);
        nan.service_lines = vec![];
        nan.problems("", &mut out);
        assert_eq!(out.list.len(), 2);
        assert_eq!(out.list[1].path, "service_lines");
    }

    #[test]
    fn budget_json_is_readable_and_strict() {
        let json = r#"{
            "rate_per_weighted_head": 173200,
            "years": 5,
            "uplift": 0.03,
            "efficiency": 0.011,
            "service_lines": [
                {"name": "Acute", "share": 0.5},
                {"name": "Community", "share": 0.2},
                {"name": "Mental health", "share": 0.15},
                {"name": "Primary care", "share": 0.15}
            ]
        }"#;
        let b: CapitatedBudget = serde_json::from_str(json).unwrap();
        assert_eq!(b.rate_per_weighted_head, Pence(173_200));
        let mut out = Problems::new();
        b.problems("", &mut out);
        assert!(out.is_empty(), "{:?}", out.list);
        assert!(
            serde_json::from_str::<CapitatedBudget>(&json.replace("\"years\"", "\"year\""))
                .is_err()
        );
        let pool: PooledBudget = serde_json::from_str(
            r#"{"name": "BCF", "contributions": [{"organisation": "CCG", "sector": "nhs", "amount": 100}],
                "spending": [{"name": "Social care", "share": 1}]}"#,
        )
        .unwrap();
        assert_eq!(pool.contributions[0].sector, Sector::Nhs);
        assert_eq!(
            serde_json::to_string(&Sector::Council).unwrap(),
            "\"council\""
        );
    }

    fn isle_of_wight() -> PooledBudget {
        PooledBudget {
            name: "One island £ (illustrative)".into(),
            contributions: vec![
                Contribution {
                    organisation: "Isle of Wight CCG".into(),
                    sector: Sector::Nhs,
                    amount: pounds(205_000_000),
                },
                Contribution {
                    organisation: "Isle of Wight Council: adult social care".into(),
                    sector: Sector::Council,
                    amount: pounds(45_000_000),
                },
                Contribution {
                    organisation: "Isle of Wight Council: public health".into(),
                    sector: Sector::Council,
                    amount: pounds(7_000_000),
                },
            ],
            spending: vec![
                ServiceLine::new("Acute", 0.40),
                ServiceLine::new("Community", 0.13),
                ServiceLine::new("Mental health", 0.09),
                ServiceLine::new("Primary care", 0.10),
                ServiceLine::new("Prescribing", 0.08),
                ServiceLine::new("Social care", 0.17),
                ServiceLine::new("Public health", 0.03),
            ],
        }
    }

    fn assert_margins(result: &PooledBudgetResult) {
        for line in &result.spending {
            assert_eq!(
                money::sum(line.funded_by.iter().map(|f| f.amount)),
                Ok(line.amount),
                "{}",
                line.name
            );
            assert!(line.funded_by.iter().all(|f| f.amount >= Pence::ZERO));
        }
        for (j, c) in result.contributions.iter().enumerate() {
            let column = money::sum(result.spending.iter().map(|l| l.funded_by[j].amount));
            assert_eq!(column, Ok(c.amount), "{}", c.organisation);
        }
        assert_eq!(
            money::sum(result.spending.iter().map(|l| l.amount)),
            Ok(result.pot)
        );
    }

    #[test]
    fn isle_of_wight_pool_conserves_exactly() {
        let r = pooled_budget(&isle_of_wight()).unwrap();
        assert_eq!(r.pot, pounds(257_000_000));
        assert_eq!(r.pot_working.value, "£257,000,000.00");
        let sectors: Vec<(Sector, Pence)> =
            r.by_sector.iter().map(|s| (s.sector, s.amount)).collect();
        assert_eq!(
            sectors,
            vec![
                (Sector::Nhs, pounds(205_000_000)),
                (Sector::Council, pounds(52_000_000))
            ]
        );
        assert!((r.contributions[0].share_of_pot - 205.0 / 257.0).abs() < 1e-12);
        assert_eq!(r.contributions[0].working.value, "79.77 %");
        assert_eq!(r.by_sector[1].working.inputs.len(), 3);
        let lines: Vec<Pence> = r.spending.iter().map(|l| l.amount).collect();
        assert_eq!(
            lines,
            vec![
                pounds(102_800_000),
                pounds(33_410_000),
                pounds(23_130_000),
                pounds(25_700_000),
                pounds(20_560_000),
                pounds(43_690_000),
                pounds(7_710_000)
            ]
        );
        // Acute (£102.8m): each organisation pays its share of the pot, to the penny where exact.
        let acute: Vec<Pence> = r.spending[0].funded_by.iter().map(|f| f.amount).collect();
        assert_eq!(
            acute,
            vec![pounds(82_000_000), pounds(18_000_000), pounds(2_800_000)]
        );
        assert_margins(&r);
    }

    #[test]
    fn pooled_matrix_handles_awkward_pennies_and_zero_contributions() {
        let pool = PooledBudget {
            name: "BCF".into(),
            contributions: vec![
                Contribution {
                    organisation: "A".into(),
                    sector: Sector::Nhs,
                    amount: Pence(1),
                },
                Contribution {
                    organisation: "B".into(),
                    sector: Sector::Other,
                    amount: Pence(0),
                },
                Contribution {
                    organisation: "C".into(),
                    sector: Sector::Council,
                    amount: Pence(1),
                },
                Contribution {
                    organisation: "D".into(),
                    sector: Sector::Council,
                    amount: Pence(1),
                },
            ],
            spending: vec![
                ServiceLine::new("X", 0.5),
                ServiceLine::new("Y", 0.25),
                ServiceLine::new("Z", 0.25),
            ],
        };
        let r = pooled_budget(&pool).unwrap();
        assert_eq!(r.pot, Pence(3));
        assert_margins(&r);
        assert_eq!(
            r.by_sector.iter().map(|s| s.sector).collect::<Vec<_>>(),
            vec![Sector::Nhs, Sector::Council, Sector::Other]
        );
        // Direct check of the filler, including an all-zero column and a single cell.
        assert_eq!(
            fill_matrix(&[Pence(7)], &[Pence(0), Pence(7)]),
            Ok(vec![vec![Pence(0), Pence(7)]])
        );
        assert_eq!(
            fill_matrix(&[Pence(1)], &[Pence(2)]),
            Err(MoneyError::NoWeights)
        );
        assert_eq!(
            fill_matrix(&[Pence(-1)], &[Pence(-1)]),
            Err(MoneyError::NoWeights)
        );
    }

    #[test]
    fn pooled_budget_lists_every_problem() {
        let pool = PooledBudget {
            name: " ".into(),
            contributions: vec![
                Contribution {
                    organisation: "CCG".into(),
                    sector: Sector::Nhs,
                    amount: Pence(-5),
                },
                Contribution {
                    organisation: "ccg ".into(),
                    sector: Sector::Council,
                    amount: Pence(5),
                },
                Contribution {
                    organisation: "".into(),
                    sector: Sector::Other,
                    amount: Pence(0),
                },
            ],
            spending: vec![ServiceLine::new("Acute", 0.7)],
        };
        let mut out = Problems::new();
        pool.problems("", &mut out);
        let paths: Vec<&str> = out.list.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "name",
                "contributions[0].amount",
                "contributions[1].organisation",
                "contributions[2].organisation",
                "spending"
            ]
        );
        // Nothing in the pot; no contributions at all.
        let mut out = Problems::new();
        let empty = PooledBudget {
            name: "P".into(),
            contributions: vec![Contribution {
                organisation: "A".into(),
                sector: Sector::Nhs,
                amount: Pence(0),
            }],
            spending: vec![ServiceLine::new("X", 1.0)],
        };
        empty.problems("pools[1]", &mut out);
        PooledBudget {
            contributions: vec![],
            ..empty.clone()
        }
        .problems("q", &mut out);
        let paths: Vec<&str> = out.list.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["pools[1].contributions", "q.contributions"]);
        assert!(out.list[0].message.contains("more than 0"));
        // A pot too large to add up is a problem, not a panic.
        let mut out = Problems::new();
        let huge = PooledBudget {
            contributions: vec![
                Contribution {
                    organisation: "A".into(),
                    sector: Sector::Nhs,
                    amount: Pence(i64::MAX),
                },
                Contribution {
                    organisation: "B".into(),
                    sector: Sector::Nhs,
                    amount: Pence(1),
                },
            ],
            ..empty
        };
        huge.problems("", &mut out);
        assert_eq!(out.list.len(), 1);
        assert!(out.list[0].message.contains("more than can be calculated"));
    }

    #[test]
    fn absurd_amounts_are_errors_not_panics() {
        let b = plan(i64::MAX, 2, 0.2, 0.0);
        let r = capitated_budget(
            "Big",
            &one_band(),
            &[BandPopulation::new(u64::MAX, 0.2)],
            &PlaceFactors::default(),
            &b,
        );
        assert_eq!(r, Err(MoneyError::Overflow));
        let bad_weight = vec![AgeBand {
            label: "All".into(),
            cost_weight: f64::NAN,
        }];
        let r = capitated_budget(
            "Odd",
            &bad_weight,
            &[BandPopulation::new(10, 0.0)],
            &PlaceFactors::default(),
            &plan(100, 1, 0.0, 0.0),
        );
        assert_eq!(r, Err(MoneyError::NotFinite));
    }

    // -- Property tests ------------------------------------------------------

    /// Shares from positive weights, normalised so they add to one.
    fn shares(weights: &[u32]) -> Vec<ServiceLine> {
        let total: f64 = weights.iter().map(|&w| w as f64).sum();
        weights
            .iter()
            .enumerate()
            .map(|(i, &w)| ServiceLine::new(format!("Line {i}"), w as f64 / total))
            .collect()
    }

    fn place_strategy() -> impl Strategy<
        Value = (
            Vec<AgeBand>,
            Vec<BandPopulation>,
            PlaceFactors,
            CapitatedBudget,
        ),
    > {
        (
            prop::collection::vec((0.0..5.0f64, 0u64..2_000_000, -0.2..0.2f64), 1..8),
            0.5..2.0f64,
            0.5..2.0f64,
            1i64..1_000_000,
            1usize..=MAX_YEARS,
            -0.2..0.2f64,
            0.0..0.2f64,
            prop::collection::vec(1u32..1000, 1..9),
        )
            .prop_map(
                |(bands, need, mff, rate, years, uplift, efficiency, weights)| {
                    let age_bands = bands
                        .iter()
                        .enumerate()
                        .map(|(i, &(w, _, _))| AgeBand {
                            label: format!("Band {i}"),
                            cost_weight: w,
                        })
                        .collect();
                    let population = bands
                        .iter()
                        .map(|&(_, p, g)| BandPopulation::new(p, g))
                        .collect();
                    let factors = PlaceFactors {
                        need_index: need,
                        market_forces_factor: mff,
                    };
                    let budget = CapitatedBudget {
                        rate_per_weighted_head: Pence(rate),
                        years,
                        uplift,
                        efficiency,
                        service_lines: shares(&weights),
                    };
                    (age_bands, population, factors, budget)
                },
            )
    }

    fn pool_strategy() -> impl Strategy<Value = PooledBudget> {
        (
            prop::collection::vec((0i64..50_000_000_000, 0usize..3), 1..8),
            prop::collection::vec(1u32..1000, 1..10),
            any::<bool>(),
        )
            .prop_map(|(contributions, weights, tiny)| PooledBudget {
                name: "Pool".into(),
                contributions: contributions
                    .iter()
                    .enumerate()
                    .map(|(i, &(amount, sector))| Contribution {
                        organisation: format!("Org {i}"),
                        sector: Sector::ALL[sector],
                        // Small amounts make the pennies awkward; the first is never 0 so the pot is positive.
                        amount: Pence(if tiny { amount % 7 } else { amount } + i64::from(i == 0)),
                    })
                    .collect(),
                spending: shares(&weights),
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn service_lines_sum_exactly_to_each_years_budget((bands, population, factors, budget) in place_strategy()) {
            let r = capitated_budget("P", &bands, &population, &factors, &budget).unwrap();
            prop_assert_eq!(r.years.len(), budget.years);
            for y in &r.years {
                prop_assert_eq!(money::sum(y.service_lines.iter().map(|l| l.amount)), Ok(y.budget));
            }
            prop_assert_eq!(money::sum(r.years.iter().map(|y| y.budget)), Ok(r.total));
        }

        #[test]
        fn decomposition_sums_exactly_to_the_change((bands, population, factors, budget) in place_strategy()) {
            let r = capitated_budget("P", &bands, &population, &factors, &budget).unwrap();
            for pair in r.years.windows(2) {
                let ch = pair[1].change.as_ref().unwrap();
                prop_assert_eq!(ch.change, Pence(pair[1].budget.0 - pair[0].budget.0));
                prop_assert_eq!(ch.demographic.0 + ch.uplift.0 + ch.efficiency.0, ch.change.0);
                // Each driver pushes its own way, and is exactly zero when absent.
                if budget.efficiency == 0.0 { prop_assert_eq!(ch.efficiency, Pence(0)); }
                prop_assert!(ch.efficiency <= Pence(0));
                if budget.uplift >= 0.0 { prop_assert!(ch.uplift >= Pence(0)); } else { prop_assert!(ch.uplift <= Pence(0)); }
                if pair[1].weighted_population >= pair[0].weighted_population {
                    prop_assert!(ch.demographic >= Pence(0));
                }
            }
        }

        #[test]
        fn pooled_matrix_margins_are_exact(pool in pool_strategy()) {
            let r = pooled_budget(&pool).unwrap();
            let orgs = r.contributions.len() as f64;
            for line in &r.spending {
                prop_assert_eq!(money::sum(line.funded_by.iter().map(|f| f.amount)), Ok(line.amount));
                for (f, c) in line.funded_by.iter().zip(&r.contributions) {
                    prop_assert!(f.amount >= Pence(0));
                    // Close to the exact proportional share: within a penny per organisation.
                    let exact = line.amount.0 as f64 * c.amount.0 as f64 / r.pot.0 as f64;
                    prop_assert!((f.amount.0 as f64 - exact).abs() <= orgs, "{} vs {}", f.amount.0, exact);
                }
            }
            for (j, c) in r.contributions.iter().enumerate() {
                prop_assert_eq!(money::sum(r.spending.iter().map(|l| l.funded_by[j].amount)), Ok(c.amount));
            }
            prop_assert_eq!(money::sum(r.spending.iter().map(|l| l.amount)), Ok(r.pot));
        }

        #[test]
        fn pot_equals_the_sum_of_contributions(pool in pool_strategy()) {
            let r = pooled_budget(&pool).unwrap();
            prop_assert_eq!(Ok(r.pot), money::sum(pool.contributions.iter().map(|c| c.amount)));
            prop_assert_eq!(money::sum(r.by_sector.iter().map(|s| s.amount)), Ok(r.pot));
            let share_total: f64 = r.contributions.iter().map(|c| c.share_of_pot).sum();
            prop_assert!((share_total - 1.0).abs() < 1e-9);
        }
    }
}
