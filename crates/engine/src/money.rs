//! Money: whole pence, checked arithmetic, one rounding rule, and splits that
//! conserve the total to the penny.
//!
//! Invariants (relied on everywhere else in the engine):
//! - money is an `i64` count of pence; it is never held in `f64`;
//! - every operation is checked: an overflow is an error, never a wrap or panic;
//! - **numbers are used exactly as written.** A rate, share, weight or count of people
//!   (an `f64`) is read as its shortest decimal form, the digits a person typed (0.1234564
//!   is 1234564 ÷ 10⁷, not the nearest binary fraction) or, for a computed figure such as
//!   a weighted population, the shortest decimal that is that `f64` ([`Decimal::of`]).
//!   Products, sums and powers of these decimals ([`Decimal`]) and their products and
//!   quotients with money are exact whole-number arithmetic of any size, so every result
//!   is identical on every platform (native and wasm) and for every magnitude;
//! - one rounding rule: an amount of money that is not a whole number of pence (amount ×
//!   rate, amount ÷ people) is rounded once, at the end, **half away from zero** (as a
//!   spreadsheet's ROUND): `100,100p × (1 − 0.005) = 99,599.5p` gives 99,600p;
//! - a split ([`apportion`], [`apportion_f64`]) uses the largest-remainder method on the
//!   exact proportions; ties between equal remainders go to the part listed **first**.
//!   The parts always sum to the total.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

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

    /// `self × rate`, the rate exactly as written, rounded once half away from zero:
    /// `Pence(100).mul_rate(0.035)` is exactly 3.5p and rounds to 4p.
    pub fn mul_rate(self, rate: f64) -> MoneyResult<Pence> {
        self.times(&Decimal::of(rate)?)
    }

    /// `self × (1 + rate)`, exactly, rounded once half away from zero: growth (or a cut)
    /// applied to the amount, not to the increment, so `Pence(100_100).mul_one_plus(-0.005)`
    /// is 99,599.5p and rounds to 99,600p.
    pub fn mul_one_plus(self, rate: f64) -> MoneyResult<Pence> {
        self.times(&Decimal::one_plus(rate)?)
    }

    /// `self × d`, exactly, rounded once half away from zero.
    pub fn times(self, d: &Decimal) -> MoneyResult<Pence> {
        self.ratio(d, &Decimal::one(), Rounding::HalfAwayFromZero)
    }

    /// `self × d`, exactly, rounded away from zero unless it is a whole number of pence:
    /// the least whole-pence amount at least as large as the product (for a threshold
    /// that must be reached, never for an amount paid).
    pub fn times_rounded_up(self, d: &Decimal) -> MoneyResult<Pence> {
        self.ratio(d, &Decimal::one(), Rounding::AwayFromZero)
    }

    /// `self × a ÷ b`, exactly, rounded once; an overflow if `b` is zero or the result
    /// does not fit.
    fn ratio(self, a: &Decimal, b: &Decimal, rounding: Rounding) -> MoneyResult<Pence> {
        let mut numerator = Big::from_u128(self.0.unsigned_abs() as u128).mul(&a.digits);
        let mut denominator = b.digits.clone();
        let shift = a.exponent - b.exponent;
        if shift >= 0 {
            numerator = numerator.times_pow10(shift.unsigned_abs());
        } else {
            denominator = denominator.times_pow10(shift.unsigned_abs());
        }
        let (quotient, remainder) = numerator
            .div_rem(&denominator)
            .ok_or(MoneyError::Overflow)?;
        let up = match rounding {
            Rounding::HalfAwayFromZero => {
                remainder.add(&remainder).cmp(&denominator) != Ordering::Less
            }
            Rounding::AwayFromZero => !remainder.is_zero(),
        };
        let magnitude = quotient as i128 + i128::from(up);
        let negative = (self.0 < 0) != (a.negative != b.negative);
        i64::try_from(if negative { -magnitude } else { magnitude })
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

/// Money per head: `amount ÷ heads`, the heads exactly as given (a projected count keeps
/// its fraction of a person), rounded once half away from zero; `None` without people
/// (no heads, or fewer than none). Every per-person and per-head figure is made by this.
pub fn per_head(amount: Pence, heads: f64) -> MoneyResult<Option<Pence>> {
    let heads = Decimal::of(heads)?;
    if heads.negative || heads.digits.is_zero() {
        return Ok(None);
    }
    amount
        .ratio(&Decimal::one(), &heads, Rounding::HalfAwayFromZero)
        .map(Some)
}

/// Round an `f64` to the nearest whole number, halves away from zero, as an `i64`: for
/// statistics made in floating point (the pooling simulation), not for rates times money.
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

#[derive(Clone, Copy)]
enum Rounding {
    /// The one rule for amounts.
    HalfAwayFromZero,
    /// Up to the next whole penny unless exact: for thresholds.
    AwayFromZero,
}

// ---------------------------------------------------------------------------
// Exact decimals
// ---------------------------------------------------------------------------

/// A rate, share, weight or count as an exact decimal, `±digits × 10^exponent`, with
/// exact products and sums: see the module notes.
#[derive(Clone, Debug)]
pub struct Decimal {
    negative: bool,
    digits: Big,
    exponent: i32,
}

impl Decimal {
    /// The `f64` as the shortest decimal that is that `f64` (Rust's `{}` form: what was
    /// typed, for a number read from a scenario). `NotFinite` for NaN or an infinity.
    pub fn of(x: f64) -> MoneyResult<Decimal> {
        if !x.is_finite() {
            return Err(MoneyError::NotFinite);
        }
        let mut reader = DigitReader::default();
        fmt::write(&mut reader, format_args!("{x}")).map_err(|_| MoneyError::NotFinite)?;
        let digits = Big::from_u128(reader.digits as u128);
        Ok(Decimal {
            negative: reader.negative && !digits.is_zero(),
            digits,
            exponent: reader.exponent + reader.pending_zeros,
        })
    }

    /// One, exactly.
    pub fn one() -> Decimal {
        Decimal {
            negative: false,
            digits: Big(vec![1]),
            exponent: 0,
        }
    }

    /// `1 + rate`, exactly (`one_plus(-0.005)` is 0.995).
    pub fn one_plus(rate: f64) -> MoneyResult<Decimal> {
        Ok(Decimal::one().plus(&Decimal::of(rate)?))
    }

    /// The exact product.
    pub fn times(&self, other: &Decimal) -> Decimal {
        let digits = self.digits.mul(&other.digits);
        Decimal {
            negative: (self.negative != other.negative) && !digits.is_zero(),
            digits,
            exponent: self.exponent + other.exponent,
        }
    }

    /// The exact sum.
    pub fn plus(&self, other: &Decimal) -> Decimal {
        let exponent = self.exponent.min(other.exponent);
        let a = self.aligned(exponent);
        let b = other.aligned(exponent);
        let (negative, digits) = if self.negative == other.negative {
            (self.negative, a.add(&b))
        } else if a.cmp(&b) == Ordering::Less {
            (other.negative, b.sub(&a))
        } else {
            (self.negative, a.sub(&b))
        };
        Decimal {
            negative: negative && !digits.is_zero(),
            digits,
            exponent,
        }
    }

    /// The digits over `10^exponent`, for an `exponent` at most this one's.
    fn aligned(&self, exponent: i32) -> Big {
        self.digits
            .clone()
            .times_pow10(self.exponent.abs_diff(exponent))
    }
}

/// Reads the digits of an `f64` as `{}` writes them ("-0.00123", "1200"), without a buffer.
#[derive(Default)]
struct DigitReader {
    negative: bool,
    digits: u64,
    /// Powers of ten to apply: minus the digits after the point.
    exponent: i32,
    after_point: bool,
    /// Zeros seen since the last non-zero digit: digits if another follows, else a power of ten.
    pending_zeros: i32,
}

impl fmt::Write for DigitReader {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for byte in s.bytes() {
            match byte {
                b'-' => self.negative = true,
                b'.' => self.after_point = true,
                b'0'..=b'9' => {
                    if self.after_point {
                        self.exponent -= 1;
                    }
                    if byte == b'0' {
                        self.pending_zeros += 1;
                        continue;
                    }
                    // The shortest form has at most 17 significant digits: no overflow.
                    for _ in 0..self.pending_zeros {
                        self.digits = self.digits.checked_mul(10).ok_or(fmt::Error)?;
                    }
                    self.pending_zeros = 0;
                    self.digits = self
                        .digits
                        .checked_mul(10)
                        .and_then(|d| d.checked_add(u64::from(byte - b'0')))
                        .ok_or(fmt::Error)?;
                }
                _ => return Err(fmt::Error),
            }
        }
        Ok(())
    }
}

/// A whole number of any size: base-2³² digits, least significant first, no leading zero
/// digits. Just the arithmetic exact decimals need.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u128(mut x: u128) -> Big {
        let mut limbs = Vec::new();
        while x > 0 {
            limbs.push(x as u32);
            x >>= 32;
        }
        Big(limbs)
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn to_u128(&self) -> Option<u128> {
        (self.0.len() <= 4).then(|| {
            self.0
                .iter()
                .rev()
                .fold(0u128, |acc, &limb| (acc << 32) | limb as u128)
        })
    }

    fn trimmed(mut self) -> Big {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }

    fn times_pow10(mut self, mut power: u32) -> Big {
        while power > 0 && !self.is_zero() {
            let step = power.min(9);
            let mut carry = 0u64;
            for limb in &mut self.0 {
                let x = *limb as u64 * 10u64.pow(step) + carry;
                *limb = x as u32;
                carry = x >> 32;
            }
            if carry > 0 {
                self.0.push(carry as u32);
            }
            power -= step;
        }
        self
    }

    fn mul(&self, other: &Big) -> Big {
        let mut out = vec![0u32; self.0.len() + other.0.len()];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.0.iter().enumerate() {
                let x = out[i + j] as u64 + a as u64 * b as u64 + carry;
                out[i + j] = x as u32;
                carry = x >> 32;
            }
            out[i + other.0.len()] = carry as u32;
        }
        Big(out).trimmed()
    }

    fn add(&self, other: &Big) -> Big {
        let (long, short) = if self.0.len() >= other.0.len() {
            (self, other)
        } else {
            (other, self)
        };
        let mut out = Vec::with_capacity(long.0.len() + 1);
        let mut carry = 0u64;
        for (i, &a) in long.0.iter().enumerate() {
            let x = a as u64 + short.0.get(i).copied().unwrap_or(0) as u64 + carry;
            out.push(x as u32);
            carry = x >> 32;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        Big(out)
    }

    /// `self − other`, for `other ≤ self`.
    fn sub(&self, other: &Big) -> Big {
        let mut out = self.clone();
        out.sub_assign(other);
        out
    }

    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let x = *limb as i64 - other.0.get(i).copied().unwrap_or(0) as i64 - borrow;
            *limb = x as u32;
            borrow = i64::from(x < 0);
        }
        let trimmed = std::mem::take(self).trimmed();
        *self = trimmed;
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// `(self ÷ d, self mod d)` when the quotient is below 2⁶⁴; `None` if it is not, or `d` is 0.
    fn div_rem(&self, d: &Big) -> Option<(u64, Big)> {
        if d.is_zero() {
            return None;
        }
        // Most divisions fit in 128 bits: done natively, several times faster.
        if let (Some(n), Some(d)) = (self.to_u128(), d.to_u128()) {
            return u64::try_from(n / d)
                .ok()
                .map(|q| (q, Big::from_u128(n % d)));
        }
        // Long division a bit at a time: the remainder takes the next bit of the dividend. The
        // dividend's top limbs, one fewer than the divisor has, are below it: start from them.
        let low = self.0.len() - (d.0.len() - 1).min(self.0.len());
        let mut quotient = 0u64;
        let mut remainder = Big(self.0[low..].to_vec()).trimmed();
        for bit in (0..low * 32).rev() {
            let mut carry = (self.0[bit / 32] >> (bit % 32)) & 1;
            for limb in &mut remainder.0 {
                let next = *limb >> 31;
                *limb = (*limb << 1) | carry;
                carry = next;
            }
            if carry > 0 {
                remainder.0.push(carry);
            }
            if quotient >> 63 != 0 {
                return None;
            }
            quotient <<= 1;
            if remainder.cmp(d) != Ordering::Less {
                remainder.sub_assign(d);
                quotient |= 1;
            }
        }
        Some((quotient, remainder))
    }
}

// ---------------------------------------------------------------------------
// Splits
// ---------------------------------------------------------------------------

/// Split `total` into parts in proportion to integer `weights`, conserving the
/// total to the penny by the largest-remainder method.
///
/// Each part first gets the whole-pence floor of its exact quota
/// `|total| × wᵢ ÷ Σw`; the pence left over go one each to the parts with the
/// largest remainders. **Tie-break: among equal remainders the part listed first
/// wins.** A negative total is split as its magnitude and every part negated, so a
/// loss splits as the mirror image of the same gain. Zero-weight parts get zero.
pub fn apportion(total: Pence, weights: &[u64]) -> MoneyResult<Vec<Pence>> {
    let mut whole = Vec::with_capacity(weights.len());
    for &w in weights {
        whole.push(Big::from_u128(w as u128));
    }
    largest_remainder(total, &whole)
}

/// [`apportion`] with `f64` weights (weighted populations, shares, contributions), each
/// used exactly as its shortest decimal ([`Decimal::of`]) however large or small: a share
/// of 0.1234564 of £100m is exactly £12,345,640. A negative weight is refused.
pub fn apportion_f64(total: Pence, weights: &[f64]) -> MoneyResult<Vec<Pence>> {
    let mut decimals = Vec::with_capacity(weights.len());
    // Every weight over the same power of ten: the smallest any non-zero weight needs.
    let mut exponent = i32::MAX;
    for &w in weights {
        let d = Decimal::of(w)?;
        if d.negative {
            return Err(MoneyError::NoWeights);
        }
        if !d.digits.is_zero() {
            exponent = exponent.min(d.exponent);
        }
        decimals.push(d);
    }
    let mut whole = Vec::with_capacity(weights.len());
    for d in &decimals {
        whole.push(if d.digits.is_zero() {
            Big::default()
        } else {
            d.aligned(exponent)
        });
    }
    largest_remainder(total, &whole)
}

/// The one largest-remainder split, on whole-number weights of any size.
fn largest_remainder(total: Pence, weights: &[Big]) -> MoneyResult<Vec<Pence>> {
    let mut weight_sum = Big::default();
    for w in weights {
        weight_sum = weight_sum.add(w);
    }
    if weight_sum.is_zero() {
        return Err(MoneyError::NoWeights);
    }
    let magnitude = total.0.unsigned_abs();
    let share = Big::from_u128(magnitude as u128);
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut left = magnitude;
    for w in weights {
        // Each quota is at most |total|, so the quotient fits and the floors never exceed it.
        let (floor, remainder) = share
            .mul(w)
            .div_rem(&weight_sum)
            .ok_or(MoneyError::Overflow)?;
        left = left.saturating_sub(floor);
        parts.push(floor);
        remainders.push(remainder);
    }
    // `left` is now below the number of parts with a positive weight.
    for i in largest_first(&remainders) {
        if left > 0 && !weights[i].is_zero() {
            parts[i] += 1;
            left -= 1;
        }
    }
    // A part is at most |total| ≤ 2⁶³, so it and its negation fit an i64 (2⁶³ only as −2⁶³).
    let negative = total.0 < 0;
    Ok(parts
        .into_iter()
        .map(|p| {
            Pence(if negative {
                (p as i64).wrapping_neg()
            } else {
                p as i64
            })
        })
        .collect())
}

/// Indices of `keys`, largest first, equal keys in list order (the split's tie-break): a
/// stable merge sort, written out because the standard library's stable sort costs the
/// browser's first download about 1 KB more (docs/SIZE.md).
fn largest_first(keys: &[Big]) -> Vec<usize> {
    let n = keys.len();
    let mut order: Vec<usize> = (0..n).collect();
    let mut merged = order.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let middle = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut left, mut right) = (start, middle);
            for slot in &mut merged[start..end] {
                // The right run's key goes first only if strictly larger: stable.
                let take_right = right < end
                    && (left >= middle
                        || keys[order[right]].cmp(&keys[order[left]]) == Ordering::Greater);
                if take_right {
                    *slot = order[right];
                    right += 1;
                } else {
                    *slot = order[left];
                    left += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
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
    fn rates_round_half_away_from_zero_once() {
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
    fn f64_weights_are_split_exactly() {
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

    #[test]
    fn numbers_are_read_as_their_shortest_decimal() {
        let read = |x: f64| {
            let d = Decimal::of(x).unwrap();
            (d.negative, d.digits.to_u128().unwrap_or(0), d.exponent)
        };
        assert_eq!(read(0.1234564), (false, 1_234_564, -7));
        assert_eq!(read(-0.005), (true, 5, -3));
        assert_eq!(read(1200.0), (false, 12, 2));
        assert_eq!(read(10.05), (false, 1005, -2));
        assert_eq!(read(0.0).1, 0);
        assert!(!read(-0.0).0);
        assert_eq!(read(1e300), (false, 1, 300));
        assert_eq!(read(5e-324), (false, 5, -324));
        assert_eq!(
            read(208_986.30000000002),
            (false, 20_898_630_000_000_002, -11)
        );
        assert_eq!(
            Decimal::of(f64::INFINITY).err(),
            Some(MoneyError::NotFinite)
        );
    }

    /// Growth applies to the amount, so a cut rounds like a rise.
    #[test]
    fn growth_rounds_the_grown_amount_not_the_increment() {
        assert_eq!(Pence(100_100).mul_one_plus(-0.005), Ok(Pence(99_600)));
        assert_eq!(Pence(-100_100).mul_one_plus(-0.005), Ok(Pence(-99_600)));
        assert_eq!(Pence(100_100).mul_one_plus(0.005), Ok(Pence(100_601)));
        assert_eq!(Pence(100).mul_one_plus(-1.0), Ok(Pence(0)));
        assert_eq!(Pence(i64::MAX).mul_one_plus(0.5), Err(MoneyError::Overflow));
    }

    /// A share is used to every digit given.
    #[test]
    fn shares_are_used_to_every_digit() {
        let hundred_million = Pence(10_000_000_000);
        assert_eq!(
            apportion_f64(hundred_million, &[0.1234564, 0.8765436]).unwrap(),
            vec![Pence(1_234_564_000), Pence(8_765_436_000)]
        );
        assert_eq!(
            hundred_million.mul_rate(0.1234564),
            Ok(Pence(1_234_564_000))
        );
    }

    /// A tiny weight next to a large one gets its exact proportion.
    #[test]
    fn tiny_weights_get_their_exact_proportion() {
        // £10,000,001 × 0.0000001 ÷ 1.0000001 is exactly £1.
        assert_eq!(
            apportion_f64(Pence(1_000_000_100), &[0.0000001, 1.0]).unwrap(),
            vec![Pence(100), Pence(1_000_000_000)]
        );
        // Weights hundreds of orders of magnitude apart split exactly too.
        assert_eq!(
            apportion_f64(Pence(7), &[1e300, 1e-300, 2e300]).unwrap(),
            vec![Pence(2), Pence(0), Pence(5)]
        );
    }

    /// Money per head divides by the heads as given.
    #[test]
    fn per_head_divides_by_the_heads_as_given() {
        // 1.0000004 people, not 1.000000: £100m ÷ 1.0000004 = £99,999,960.000016.
        assert_eq!(
            per_head(Pence(10_000_000_000), 1.0000004),
            Ok(Some(Pence(9_999_996_000)))
        );
        assert_eq!(per_head(Pence(5), 2.0), Ok(Some(Pence(3)))); // 2.5 → 3
        assert_eq!(per_head(Pence(-5), 2.0), Ok(Some(Pence(-3))));
        assert_eq!(per_head(Pence(100), 0.0004), Ok(Some(Pence(250_000))));
        assert_eq!(per_head(Pence(100), 0.0), Ok(None));
        assert_eq!(per_head(Pence(100), -3.0), Ok(None));
        assert_eq!(per_head(Pence(1), f64::NAN), Err(MoneyError::NotFinite));
        assert_eq!(per_head(Pence(i64::MAX), 1e-300), Err(MoneyError::Overflow));
    }

    /// Integer-exact whatever the size. With the rate taken to parts per
    /// billion in floating point this £636.7bn budget came out 1p short.
    #[test]
    fn huge_weighted_populations_multiply_exactly() {
        // £1,732 × 367,637,746.18976617 = £636,748,576,400,67.5p exactly.
        assert_eq!(
            Pence(173_200).mul_rate(367_637_746.189_766_17),
            Ok(Pence(63_674_857_640_068))
        );
        assert_eq!(
            Pence(-173_200).mul_rate(367_637_746.189_766_17),
            Ok(Pence(-63_674_857_640_068))
        );
    }

    /// A compounded rate is exact, rounded once, the same everywhere. Compounded
    /// in f64 and taken to parts per billion this gave 384,609p.
    #[test]
    fn compounding_is_exact_and_rounded_once() {
        let year = Decimal::one_plus(0.0083)
            .unwrap()
            .times(&Decimal::one_plus(-0.0124).unwrap());
        let three_years = year.times(&year).times(&year);
        // 389,500 × (1.0083 × 0.9876)³ = 384,609.50007…
        assert_eq!(Pence(389_500).times(&three_years), Ok(Pence(384_610)));
    }

    #[test]
    fn thresholds_round_up_to_the_next_penny() {
        let rate = Decimal::of(0.0300000001).unwrap();
        assert_eq!(Pence(100).times(&rate), Ok(Pence(3)));
        assert_eq!(Pence(100).times_rounded_up(&rate), Ok(Pence(4)));
        assert_eq!(
            Pence(100).times_rounded_up(&Decimal::of(0.03).unwrap()),
            Ok(Pence(3))
        );
    }

    #[test]
    fn big_numbers_divide_exactly() {
        let two_128 = Big::from_u128(u128::MAX).add(&Big::from_u128(1));
        let n = two_128
            .mul(&Big::from_u128(12_345))
            .add(&Big::from_u128(678));
        assert_eq!(n.div_rem(&two_128), Some((12_345, Big::from_u128(678))));
        assert_eq!(n.div_rem(&Big::from_u128(1)), None); // the quotient is beyond 2⁶⁴
        assert_eq!(n.div_rem(&Big::default()), None);
        assert_eq!(n.sub(&n), Big::default());
    }

    /// Exact decimal arithmetic in base 10, written independently of `Big`, for the
    /// property tests: a number's digits (least significant first) and power of ten.
    mod reference {
        pub struct Dec {
            pub negative: bool,
            pub digits: Vec<u8>,
            pub exponent: i32,
        }

        /// From `{:e}` ("1.234564e-1"), a different route from `Decimal::of`'s.
        pub fn of(x: f64) -> Dec {
            let text = format!("{x:e}");
            let (mantissa, exponent) = text.split_once('e').unwrap();
            let negative = mantissa.starts_with('-');
            let mantissa = mantissa.trim_start_matches('-');
            let after_point = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
            let digits = mantissa
                .bytes()
                .filter(u8::is_ascii_digit)
                .rev()
                .map(|b| b - b'0')
                .collect();
            Dec {
                negative,
                digits,
                exponent: exponent.parse::<i32>().unwrap() - after_point,
            }
        }

        pub fn integer(x: i128) -> Dec {
            Dec {
                negative: x < 0,
                digits: x
                    .unsigned_abs()
                    .to_string()
                    .bytes()
                    .rev()
                    .map(|b| b - b'0')
                    .collect(),
                exponent: 0,
            }
        }

        pub fn times(a: &Dec, b: &Dec) -> Dec {
            let mut out = vec![0u32; a.digits.len() + b.digits.len()];
            for (i, &x) in a.digits.iter().enumerate() {
                for (j, &y) in b.digits.iter().enumerate() {
                    out[i + j] += x as u32 * y as u32;
                }
            }
            let mut carry = 0;
            let mut digits = Vec::with_capacity(out.len());
            for d in out {
                let v = d + carry;
                digits.push((v % 10) as u8);
                carry = v / 10;
            }
            while carry > 0 {
                digits.push((carry % 10) as u8);
                carry /= 10;
            }
            Dec {
                negative: a.negative != b.negative,
                digits,
                exponent: a.exponent + b.exponent,
            }
        }

        /// `1 + x` for `x` above −1 with a negative exponent (a rate).
        pub fn one_plus(x: &Dec) -> Dec {
            let places = (-x.exponent).max(0) as usize;
            let mut one = vec![0u8; places + 1];
            one[places] = 1;
            let mut digits = Vec::new();
            let mut carry = 0i32;
            for i in 0..one.len().max(x.digits.len()) + 1 {
                let a = *one.get(i).unwrap_or(&0) as i32;
                let b = *x.digits.get(i).unwrap_or(&0) as i32;
                let mut v = if x.negative { a - b } else { a + b } + carry;
                carry = 0;
                if v < 0 {
                    v += 10;
                    carry = -1;
                } else if v > 9 {
                    v -= 10;
                    carry = 1;
                }
                digits.push(v as u8);
            }
            Dec {
                negative: false,
                digits,
                exponent: -(places as i32),
            }
        }

        /// Rounded half away from zero; `None` beyond i128.
        pub fn round(x: &Dec) -> Option<i128> {
            let drop = (-x.exponent).max(0) as usize;
            let mut whole: i128 = 0;
            for &d in x.digits.iter().skip(drop).rev() {
                whole = whole.checked_mul(10)?.checked_add(d as i128)?;
            }
            for _ in 0..x.exponent.max(0) {
                whole = whole.checked_mul(10)?;
            }
            if drop > 0 && drop <= x.digits.len() && x.digits[drop - 1] >= 5 {
                whole += 1;
            }
            Some(if x.negative { -whole } else { whole })
        }
    }

    mod properties {
        use super::reference;
        use super::*;
        use proptest::prelude::*;

        /// A rate as an analyst types it: up to nine decimal places.
        fn typed_rate() -> impl Strategy<Value = f64> {
            (-2_000_000_000i64..2_000_000_000, 0u32..10)
                .prop_map(|(m, places)| format!("{m}e-{places}").parse().unwrap())
        }

        /// Any finite f64 from tiny to huge, either sign.
        fn any_rate() -> impl Strategy<Value = f64> {
            prop_oneof![
                typed_rate(),
                -1e12..1e12f64,
                (1u64..u64::MAX, -40i32..40)
                    .prop_map(|(m, e)| m as f64 * 10f64.powf(e as f64) / 1e19),
            ]
        }

        fn expected(result: Option<i128>) -> MoneyResult<Pence> {
            result
                .and_then(|r| i64::try_from(r).ok())
                .map(Pence)
                .ok_or(MoneyError::Overflow)
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(10_000))]

            /// Money × a rate is the exact product, rounded once half away from zero.
            #[test]
            fn money_times_a_rate_is_the_exact_product_rounded_once(
                amount in -1_000_000_000_000_000i64..1_000_000_000_000_000,
                rate in any_rate(),
            ) {
                let want = reference::round(&reference::times(
                    &reference::integer(amount as i128),
                    &reference::of(rate),
                ));
                prop_assert_eq!(Pence(amount).mul_rate(rate), expected(want));
            }

            /// Growth applies to the amount: `amount × (1 + rate)` is the exact product, rounded
            /// once half away from zero, for cuts as for rises.
            #[test]
            fn growth_is_the_exact_grown_amount_rounded_once(
                amount in -1_000_000_000_000_000i64..1_000_000_000_000_000,
                rate in (-999_999_999i64..1_000_000_000).prop_map(|m| m as f64 / 1e9),
            ) {
                let want = reference::round(&reference::times(
                    &reference::integer(amount as i128),
                    &reference::one_plus(&reference::of(rate)),
                ));
                prop_assert_eq!(Pence(amount).mul_one_plus(rate), expected(want));
            }

            /// A rate compounded over the years is the exact power, rounded once.
            #[test]
            fn compounding_equals_a_big_integer_reference(
                rate in 1i64..10_000_000_000,
                uplift in (-2_000_000i64..2_000_000).prop_map(|m| m as f64 / 1e7),
                efficiency in (0i64..2_000_000).prop_map(|m| m as f64 / 1e7),
                years in 0usize..10,
            ) {
                let year = Decimal::one_plus(uplift)
                    .unwrap()
                    .times(&Decimal::one_plus(-efficiency).unwrap());
                let mut factor = Decimal::one();
                let mut want = reference::integer(rate as i128);
                for _ in 0..years {
                    factor = factor.times(&year);
                    want = reference::times(&want, &reference::one_plus(&reference::of(uplift)));
                    want = reference::times(&want, &reference::one_plus(&reference::of(-efficiency)));
                }
                prop_assert_eq!(Pence(rate).times(&factor), expected(reference::round(&want)));
            }

            /// Money ÷ heads is the exact quotient, rounded once: checked by multiplying back,
            /// `|2 × amount − 2 × q × heads| ≤ heads`, a tie going away from zero.
            #[test]
            fn per_head_is_the_exact_quotient_rounded_once(
                amount in -1_000_000_000_000_000i64..1_000_000_000_000_000,
                (m, places) in (1i64..1_000_000_000_000, 0u32..10),
            ) {
                let heads: f64 = format!("{m}e-{places}").parse().unwrap();
                // Everything in billionths of a person, exactly, in i128.
                let h = m as i128 * 10i128.pow(9 - places);
                let a2 = 2 * amount as i128 * 1_000_000_000;
                match per_head(Pence(amount), heads) {
                    Ok(Some(q)) => {
                        let q2h = 2 * q.0 as i128 * h;
                        prop_assert!((a2 - q2h).abs() <= h, "{amount} ÷ {heads} gave {}", q.0);
                        if (a2 - q2h).abs() == h {
                            prop_assert!(q2h.abs() > a2.abs(), "a tie goes away from zero");
                        }
                    }
                    Err(MoneyError::Overflow) => {
                        prop_assert!(a2.abs() / (2 * h) >= i64::MAX as i128);
                    }
                    other => prop_assert!(false, "{amount} ÷ {heads}: {other:?}"),
                }
            }

            /// A split by typed decimal weights conserves the total and is exactly the
            /// largest-remainder split of the exact proportions (ties to the first listed).
            #[test]
            fn splits_conserve_and_match_exact_rationals(
                total in -1_000_000_000_000_000i64..1_000_000_000_000_000,
                weights in prop::collection::vec((0u64..10_000_000, 0u32..8), 1..12),
            ) {
                let values: Vec<f64> = weights
                    .iter()
                    .map(|&(m, places)| format!("{m}e-{places}").parse().unwrap())
                    .collect();
                // The reference: every weight in ten-millionths, in u128.
                let units: Vec<u128> = weights
                    .iter()
                    .map(|&(m, places)| m as u128 * 10u128.pow(7 - places))
                    .collect();
                let sum: u128 = units.iter().sum();
                let got = apportion_f64(Pence(total), &values);
                if sum == 0 {
                    prop_assert_eq!(got, Err(MoneyError::NoWeights));
                    return Ok(());
                }
                let magnitude = total.unsigned_abs() as u128;
                let mut parts: Vec<u128> = units.iter().map(|u| magnitude * u / sum).collect();
                let remainders: Vec<u128> = units.iter().map(|u| magnitude * u % sum).collect();
                let mut left = magnitude - parts.iter().sum::<u128>();
                let mut order: Vec<usize> = (0..units.len()).collect();
                order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]));
                for i in order {
                    if left > 0 && units[i] > 0 {
                        parts[i] += 1;
                        left -= 1;
                    }
                }
                let want: Vec<Pence> = parts
                    .iter()
                    .map(|&p| Pence(if total < 0 { -(p as i64) } else { p as i64 }))
                    .collect();
                let got = got.unwrap();
                prop_assert_eq!(sum_of(&got), Pence(total));
                prop_assert_eq!(got, want);
            }

            /// Weights of any size and spread still conserve, and zero weights get nothing.
            #[test]
            fn splits_of_any_weights_conserve(
                total in any::<i64>(),
                weights in prop::collection::vec(
                    prop_oneof![Just(0.0), 1e-300..1e-280f64, 0.0..1.0f64, 1e280..1e300f64],
                    1..8,
                ),
            ) {
                match apportion_f64(Pence(total), &weights) {
                    Ok(parts) => {
                        prop_assert_eq!(sum_of(&parts), Pence(total));
                        for (p, w) in parts.iter().zip(&weights) {
                            if *w == 0.0 {
                                prop_assert_eq!(*p, Pence::ZERO);
                            }
                            prop_assert!(p.0 == 0 || (p.0 < 0) == (total < 0));
                        }
                    }
                    Err(e) => prop_assert!(
                        weights.iter().all(|&w| w == 0.0) && e == MoneyError::NoWeights
                            || e == MoneyError::Overflow,
                        "{e:?}"
                    ),
                }
            }
        }

        fn sum_of(parts: &[Pence]) -> Pence {
            Pence(parts.iter().map(|p| p.0 as i128).sum::<i128>() as i64)
        }
    }
}
