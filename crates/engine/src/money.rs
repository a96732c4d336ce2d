//! Money: whole pence, checked arithmetic, one rounding rule, and splits that
//! conserve the total to the penny.
//!
//! Invariants (relied on everywhere else in the engine):
//! - money is an `i64` count of pence; it is never held in `f64`;
//! - every operation is checked: an overflow is an error, never a wrap or panic;
//! - a single amount is rounded **half away from zero** (as a spreadsheet's ROUND);
//! - a rate (an `f64` fraction such as 0.036) is quantised to whole parts per
//!   billion before it touches money, so the result is exact integer arithmetic
//!   and identical on every platform (native and wasm);
//! - a split ([`apportion`]) uses the largest-remainder method; ties between equal
//!   remainders go to the part listed **first**. The parts always sum to the total.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Parts per billion: the resolution at which rates multiply money.
pub const RATE_SCALE: i128 = 1_000_000_000;

/// Micro-units: the resolution at which `f64` weights are compared in a split.
pub const WEIGHT_SCALE: f64 = 1_000_000.0;

/// An amount of money in whole pence (negative for a loss or a payment back).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Pence(pub i64);

/// Why a money calculation could not be done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoneyError {
    /// The result does not fit in 64-bit pence (about £92 million billion).
    Overflow,
    /// A rate or weight was not a finite number.
    NotFinite,
    /// A split was asked for with no weights, a negative weight, or weights that sum to zero.
    NoWeights,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoneyError::Overflow => write!(f, "the amount is too large to calculate with"),
            MoneyError::NotFinite => write!(f, "a rate or weight is not a finite number"),
            MoneyError::NoWeights => {
                write!(
                    f,
                    "a split needs at least one positive weight and no negative ones"
                )
            }
        }
    }
}

impl std::error::Error for MoneyError {}

pub type MoneyResult<T> = Result<T, MoneyError>;

impl Pence {
    pub const ZERO: Pence = Pence(0);

    /// Whole pounds.
    pub fn from_pounds(pounds: i64) -> MoneyResult<Pence> {
        pounds
            .checked_mul(100)
            .map(Pence)
            .ok_or(MoneyError::Overflow)
    }

    pub fn pence(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Pence) -> MoneyResult<Pence> {
        self.0
            .checked_add(other.0)
            .map(Pence)
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_sub(self, other: Pence) -> MoneyResult<Pence> {
        self.0
            .checked_sub(other.0)
            .map(Pence)
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_neg(self) -> MoneyResult<Pence> {
        self.0.checked_neg().map(Pence).ok_or(MoneyError::Overflow)
    }

    pub fn abs(self) -> MoneyResult<Pence> {
        self.0.checked_abs().map(Pence).ok_or(MoneyError::Overflow)
    }

    pub fn checked_mul_int(self, factor: i64) -> MoneyResult<Pence> {
        self.0
            .checked_mul(factor)
            .map(Pence)
            .ok_or(MoneyError::Overflow)
    }

    /// `self × rate`, rounded half away from zero. The rate is first quantised to
    /// parts per billion (see the module notes), so `Pence(100).mul_rate(0.035)`
    /// is exactly 3.5p and rounds to 4p.
    pub fn mul_rate(self, rate: f64) -> MoneyResult<Pence> {
        let ppb = rate_to_ppb(rate)?;
        let product = (self.0 as i128)
            .checked_mul(ppb)
            .ok_or(MoneyError::Overflow)?;
        i64::try_from(div_round_half_away(product, RATE_SCALE))
            .map(Pence)
            .map_err(|_| MoneyError::Overflow)
    }

    /// `self × numerator ÷ denominator` in exact integer arithmetic, rounded half
    /// away from zero: for ratios of two counts (people, pence) with no `f64` step.
    pub fn mul_ratio(self, numerator: i64, denominator: i64) -> MoneyResult<Pence> {
        if denominator == 0 {
            return Err(MoneyError::NoWeights);
        }
        let product = (self.0 as i128) * (numerator as i128);
        i64::try_from(div_round_half_away(product, denominator as i128))
            .map(Pence)
            .map_err(|_| MoneyError::Overflow)
    }

    /// The smaller of two amounts.
    pub fn min(self, other: Pence) -> Pence {
        Pence(self.0.min(other.0))
    }

    /// The larger of two amounts.
    pub fn max(self, other: Pence) -> Pence {
        Pence(self.0.max(other.0))
    }

    /// As pounds, for charts and statistics only (never for further money arithmetic).
    pub fn to_pounds_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// `£1,234.56`, `−£7.05`: en-GB with thousands separators and a true minus sign.
    pub fn display(self) -> String {
        format_pence(self.0, true)
    }

    /// `£1,235` (rounded half away from zero to whole pounds), for headline figures.
    pub fn display_pounds(self) -> String {
        let pounds = div_round_half_away(self.0 as i128, 100) as i64;
        format_pence(pounds.saturating_mul(100), false)
    }
}

impl fmt::Display for Pence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// Sum a list of amounts, failing on overflow.
pub fn sum(amounts: impl IntoIterator<Item = Pence>) -> MoneyResult<Pence> {
    amounts
        .into_iter()
        .try_fold(Pence::ZERO, |acc, p| acc.checked_add(p))
}

/// Round an `f64` to the nearest whole number, halves away from zero, as an `i64`.
/// This is the one rounding rule for single amounts.
pub fn round_half_away(x: f64) -> MoneyResult<i64> {
    if !x.is_finite() {
        return Err(MoneyError::NotFinite);
    }
    // f64::round is half-away-from-zero already; the range check keeps the cast honest.
    let r = x.round();
    if r < i64::MIN as f64 || r >= i64::MAX as f64 {
        return Err(MoneyError::Overflow);
    }
    Ok(r as i64)
}

/// Quantise a rate to whole parts per billion (half away from zero).
pub fn rate_to_ppb(rate: f64) -> MoneyResult<i128> {
    if !rate.is_finite() {
        return Err(MoneyError::NotFinite);
    }
    let scaled = rate * RATE_SCALE as f64;
    if scaled.abs() > 1e30 {
        return Err(MoneyError::Overflow);
    }
    Ok(scaled.round() as i128)
}

/// Integer division rounding half away from zero. `d` must not be zero.
fn div_round_half_away(n: i128, d: i128) -> i128 {
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d {
        q + n.signum()
    } else {
        q
    }
}

/// Split `total` into parts in proportion to integer `weights`, conserving the
/// total to the penny by the largest-remainder method.
///
/// Each part first gets the whole-pence floor of its exact quota
/// `|total| × wᵢ ÷ Σw`; the pence left over go one each to the parts with the
/// largest remainders. **Tie-break: among equal remainders the part listed first
/// wins.** A negative total is split as its magnitude and every part negated, so a
/// loss splits as the mirror image of the same gain. Zero-weight parts get zero.
pub fn apportion(total: Pence, weights: &[u64]) -> MoneyResult<Vec<Pence>> {
    let weight_sum: u128 = weights.iter().map(|&w| w as u128).sum();
    if weight_sum == 0 {
        return Err(MoneyError::NoWeights);
    }
    let magnitude = (total.0 as i128).unsigned_abs();
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given: u128 = 0;
    for &w in weights {
        let exact = magnitude
            .checked_mul(w as u128)
            .ok_or(MoneyError::Overflow)?;
        let floor = exact / weight_sum;
        given += floor;
        parts.push(floor);
        remainders.push(exact % weight_sum);
    }
    let mut left = magnitude - given; // < number of parts with a positive weight
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Stable sort keeps list order among equal remainders: the documented tie-break.
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]));
    for i in order {
        if left == 0 {
            break;
        }
        if weights[i] > 0 {
            parts[i] += 1;
            left -= 1;
        }
    }
    let negative = total.0 < 0;
    parts
        .into_iter()
        .map(|p| {
            let p = i64::try_from(p).map_err(|_| MoneyError::Overflow)?;
            Ok(Pence(if negative { -p } else { p }))
        })
        .collect()
}

/// [`apportion`] with `f64` weights (weighted populations, shares): each weight is
/// quantised to millionths first, so the split itself is exact integer arithmetic.
pub fn apportion_f64(total: Pence, weights: &[f64]) -> MoneyResult<Vec<Pence>> {
    let mut units = Vec::with_capacity(weights.len());
    for &w in weights {
        if !w.is_finite() {
            return Err(MoneyError::NotFinite);
        }
        if w < 0.0 {
            return Err(MoneyError::NoWeights);
        }
        let scaled = (w * WEIGHT_SCALE).round();
        if scaled >= u64::MAX as f64 {
            return Err(MoneyError::Overflow);
        }
        units.push(scaled as u64);
    }
    apportion(total, &units)
}

fn format_pence(pence: i64, with_pence: bool) -> String {
    let negative = pence < 0;
    let magnitude = (pence as i128).unsigned_abs();
    let pounds = magnitude / 100;
    let rest = magnitude % 100;
    let digits = pounds.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if negative { "\u{2212}" } else { "" };
    if with_pence {
        format!("{sign}£{grouped}.{rest:02}")
    } else {
        format!("{sign}£{grouped}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_away_from_zero_after_quantising() {
        assert_eq!(Pence(100).mul_rate(0.035), Ok(Pence(4)));
        assert_eq!(Pence(-100).mul_rate(0.035), Ok(Pence(-4)));
        assert_eq!(Pence(100).mul_rate(0.034), Ok(Pence(3)));
        assert_eq!(Pence(3).mul_rate(0.5), Ok(Pence(2)));
        assert_eq!(Pence(-3).mul_rate(0.5), Ok(Pence(-2)));
        // $3.5m × 40 % = $1.4m exactly, whatever 0.4 is in binary.
        assert_eq!(Pence(350_000_000).mul_rate(0.4), Ok(Pence(140_000_000)));
        assert_eq!(Pence(1).mul_rate(f64::NAN), Err(MoneyError::NotFinite));
        assert_eq!(Pence(i64::MAX).mul_rate(2.0), Err(MoneyError::Overflow));
    }

    #[test]
    fn ratios_are_exact() {
        assert_eq!(Pence(10).mul_ratio(1, 4), Ok(Pence(3))); // 2.5 → 3
        assert_eq!(Pence(-10).mul_ratio(1, 4), Ok(Pence(-3)));
        assert_eq!(Pence(10).mul_ratio(1, 3), Ok(Pence(3)));
        assert_eq!(Pence(10).mul_ratio(1, 0), Err(MoneyError::NoWeights));
    }

    #[test]
    fn checked_arithmetic_reports_overflow() {
        assert_eq!(
            Pence(i64::MAX).checked_add(Pence(1)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(Pence(i64::MIN).checked_neg(), Err(MoneyError::Overflow));
        assert_eq!(sum([Pence(1), Pence(2), Pence(-5)]), Ok(Pence(-2)));
    }

    #[test]
    fn largest_remainder_conserves_and_breaks_ties_by_list_order() {
        // 100p in three equal parts: 33.33 each, the one spare penny to the first.
        assert_eq!(
            apportion(Pence(100), &[1, 1, 1]).unwrap(),
            vec![Pence(34), Pence(33), Pence(33)]
        );
        // A loss mirrors the gain.
        assert_eq!(
            apportion(Pence(-100), &[1, 1, 1]).unwrap(),
            vec![Pence(-34), Pence(-33), Pence(-33)]
        );
        // Largest remainder wins over list order: 10 × (1,2,4)/7 = 1.43, 2.86, 5.71.
        assert_eq!(
            apportion(Pence(10), &[1, 2, 4]).unwrap(),
            vec![Pence(1), Pence(3), Pence(6)]
        );
        // Zero weights get nothing, even when pence are left over.
        assert_eq!(
            apportion(Pence(5), &[0, 1, 1]).unwrap(),
            vec![Pence(0), Pence(3), Pence(2)]
        );
        assert_eq!(apportion(Pence(5), &[0, 0]), Err(MoneyError::NoWeights));
        assert_eq!(apportion(Pence(5), &[]), Err(MoneyError::NoWeights));
    }

    #[test]
    fn f64_weights_are_quantised_then_split_exactly() {
        let parts = apportion_f64(Pence(1_000_000), &[208_986.3, 1.5, 0.25]).unwrap();
        assert_eq!(sum(parts.iter().copied()), Ok(Pence(1_000_000)));
        assert_eq!(
            apportion_f64(Pence(1), &[-1.0, 2.0]),
            Err(MoneyError::NoWeights)
        );
        assert_eq!(
            apportion_f64(Pence(1), &[f64::INFINITY]),
            Err(MoneyError::NotFinite)
        );
    }

    #[test]
    fn display_is_en_gb() {
        assert_eq!(Pence(123_456).display(), "£1,234.56");
        assert_eq!(Pence(-705).display(), "\u{2212}£7.05");
        assert_eq!(Pence(0).display(), "£0.00");
        assert_eq!(Pence(123_456_789_012).display(), "£1,234,567,890.12");
        assert_eq!(Pence(123_450).display_pounds(), "£1,235");
        assert_eq!(Pence(99).display_pounds(), "£1");
        assert_eq!(
            Pence(i64::MIN).display(),
            "\u{2212}£92,233,720,368,547,758.08"
        );
    }
}
