//! OneBudget's fair-share estimate for real areas: a national total shared in proportion to
//! need-weighted population. **It is OneBudget's calculation, not the actual allocation**:
//! NHS England's allocations also reflect distance from target, pace of change and other
//! adjustments (SOURCES.md), and every figure carries [`LABEL`] and [`CAVEAT`].
//!
//! - One area (or place) *g*: `total × ΣWP_g ÷ ΣWP_England` in pence, rounded half away from
//!   zero ([`Pence::mul_ratio`], exact integer arithmetic).
//! - A set of areas covering England (every ICB, every LAD): the total split by
//!   [`money::apportion`] in proportion to their weighted populations, so the parts add up to
//!   the total to the penny. A part can differ from the one-area figure by a penny.
//! - Per person: the share ÷ registered population, rounded half away from zero.
//! - The default total is core services in 2024/25, £107.6bn ([`CORE_SERVICES_2024_25`]);
//!   any total can be given, for any component (primary medical care's was £11.2bn).

use super::{Area, AreaKind, Component, Dataset, Totals, POPULATION_SCALE};
use crate::money::{self, MoneyError, Pence};
use crate::working::{people, Working};
use serde::Serialize;

/// Core services distributed to ICBs in 2024/25: £107.6bn (House of Commons Library, CBP-10031).
pub const CORE_SERVICES_2024_25: Pence = Pence(10_760_000_000_000);
/// Primary medical care distributed to ICBs in 2024/25: £11.2bn (same source).
pub const PRIMARY_MEDICAL_CARE_2024_25: Pence = Pence(1_120_000_000_000);
/// What the default total is, in words.
pub const DEFAULT_TOTAL_SOURCE: &str =
    "core services distributed to ICBs in 2024/25 (House of Commons Library, CBP-10031)";

/// Shown with every fair-share figure.
pub const LABEL: &str = "OneBudget's fair-share estimate, not the actual allocation";
/// The longer explanation.
pub const CAVEAT: &str = "OneBudget's own calculation: the national total shared in \
proportion to need-weighted population. Actual ICB allocations also reflect distance from \
target, pace of change and other adjustments.";

/// One area's fair share.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FairShare {
    pub component: Component,
    pub national_total: Pence,
    pub total: Pence,
    /// None when the area has no registered population.
    pub per_person: Option<Pence>,
    /// The national total per person in England, for comparison.
    pub england_per_person: Option<Pence>,
    pub working: Working,
}

/// The fair share of a group with these totals (module notes).
pub fn fair_share(
    data: &Dataset,
    name: &str,
    group: &Totals,
    national_total: Pence,
    component: Component,
) -> Result<FairShare, MoneyError> {
    let c = component.position();
    let england = data.england();
    let to_i64 = |v: u64| i64::try_from(v).map_err(|_| MoneyError::Overflow);
    let total =
        national_total.mul_ratio(to_i64(group.weighted[c])?, to_i64(england.weighted[c])?)?;
    let per_person = per_person(total, group.population)?;
    let england_per_person = per_person_of(national_total, england.population)?;
    let working = Working::new(
        format!("Fair share for {name} ({}), {}", component.name(), data.year().label()),
        total.display_pounds(),
        format!(
            "national total × {name}'s weighted population ÷ England's weighted population ({LABEL})"
        ),
    )
    .input("national total", national_total.display_pounds())
    .input(
        format!("{name}'s weighted population"),
        people(group.weighted_people(component)),
    )
    .input(
        "England's weighted population",
        people(england.weighted_people(component)),
    )
    .input(format!("{name}'s registered population"), people(group.people()));
    Ok(FairShare {
        component,
        national_total,
        total,
        per_person,
        england_per_person,
        working,
    })
}

fn per_person(total: Pence, population: u64) -> Result<Option<Pence>, MoneyError> {
    per_person_of(total, population)
}

/// `amount ÷ population` (population in hundredths of a person), or None for nobody.
fn per_person_of(amount: Pence, population: u64) -> Result<Option<Pence>, MoneyError> {
    if population == 0 {
        return Ok(None);
    }
    let population = i64::try_from(population).map_err(|_| MoneyError::Overflow)?;
    amount
        .mul_ratio(POPULATION_SCALE as i64, population)
        .map(Some)
}

/// One area's part of a national total split among every area of its kind.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SharePart {
    #[serde(skip)]
    pub area: Area,
    pub total: Pence,
    pub per_person: Option<Pence>,
}

/// The national total split among every area of a kind (every ICB, every LAD, every
/// practice), in code order; the parts add up to the total exactly.
pub fn fair_shares(
    data: &Dataset,
    kind: AreaKind,
    national_total: Pence,
    component: Component,
) -> Result<Vec<SharePart>, MoneyError> {
    let areas = data.areas(kind);
    let weights: Vec<u64> = areas
        .iter()
        .map(|&a| data.totals(a).weighted[component.position()])
        .collect();
    let parts = money::apportion(national_total, &weights)?;
    areas
        .into_iter()
        .zip(parts)
        .map(|(area, total)| {
            Ok(SharePart {
                area,
                total,
                per_person: per_person(total, data.totals(area).population)?,
            })
        })
        .collect()
}

/// Reads a national total: `£107.6bn`, `107.6 billion`, `£500m`, `250k`, `£1,234.56`,
/// `107600000000`. Exact: no floating point; pence beyond the second decimal are rounded
/// half away from zero. It must be more than zero.
pub fn parse_total(text: &str) -> Result<Pence, String> {
    let bad = || format!("'{text}' is not an amount of money such as £107.6bn or £500m");
    let lower = text.trim().to_ascii_lowercase();
    let mut s = lower.trim_start_matches('£').trim();
    let mut multiplier: i128 = 1;
    for (suffix, m) in [
        ("billion", 1_000_000_000),
        ("bn", 1_000_000_000),
        ("b", 1_000_000_000),
        ("million", 1_000_000),
        ("m", 1_000_000),
        ("thousand", 1_000),
        ("k", 1_000),
    ] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end();
            multiplier = m;
            break;
        }
    }
    let s = s.replace(',', "");
    let (whole, fraction) = s.split_once('.').unwrap_or((&s, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || s.ends_with('.') {
        return Err(bad());
    }
    if whole.len() + fraction.len() > 24 {
        return Err(format!("'{text}' is too large"));
    }
    // value = whole.fraction × multiplier × 100 pence, exactly, as numerator ÷ 10^decimals.
    let numerator: i128 = format!("{whole}{fraction}").parse().map_err(|_| bad())?;
    let denominator = 10i128.pow(fraction.len() as u32);
    let scaled = numerator
        .checked_mul(multiplier * 100)
        .ok_or_else(|| format!("'{text}' is too large"))?;
    let pence = (scaled + denominator / 2) / denominator;
    let pence = i64::try_from(pence).map_err(|_| format!("'{text}' is too large"))?;
    if pence <= 0 {
        return Err(format!("'{text}': the national total must be more than £0"));
    }
    Ok(Pence(pence))
}

/// `£107.6bn`, `£11.2bn`, `£500m`, `£1,234`: a national total in short form (3 significant
/// figures at most beyond a million), for headings. Exact amounts use [`Pence::display`].
pub fn short(amount: Pence) -> String {
    let pounds = amount.pence() as f64 / 100.0;
    let (value, suffix) = if pounds.abs() >= 1e9 {
        (pounds / 1e9, "bn")
    } else if pounds.abs() >= 1e6 {
        (pounds / 1e6, "m")
    } else {
        return amount.display_pounds();
    };
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("£{text}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_read_exactly() {
        assert_eq!(parse_total("£107.6bn"), Ok(CORE_SERVICES_2024_25));
        assert_eq!(parse_total("107.6 billion"), Ok(CORE_SERVICES_2024_25));
        assert_eq!(parse_total("£107,600,000,000"), Ok(CORE_SERVICES_2024_25));
        assert_eq!(parse_total("11.2bn"), Ok(PRIMARY_MEDICAL_CARE_2024_25));
        assert_eq!(parse_total("£500m"), Ok(Pence(50_000_000_000)));
        assert_eq!(parse_total("250k"), Ok(Pence(25_000_000)));
        assert_eq!(parse_total("£1,234.56"), Ok(Pence(123_456)));
        assert_eq!(parse_total("0.005"), Ok(Pence(1)));
        for bad in ["", "£", "abc", "1.2.3", "-5", "£0", "1e9", "5.", "£ bn"] {
            assert!(parse_total(bad).is_err(), "{bad}");
        }
        assert!(parse_total("999999999999999999999bn").is_err());
    }

    #[test]
    fn short_amounts_for_headings() {
        assert_eq!(short(CORE_SERVICES_2024_25), "£107.6bn");
        assert_eq!(short(PRIMARY_MEDICAL_CARE_2024_25), "£11.2bn");
        assert_eq!(short(Pence(50_000_000_000)), "£500m");
        assert_eq!(short(Pence(123_456)), "£1,235");
    }
}
