//! Gamma(shape k, scale θ) draws: mean kθ, variance kθ².
//!
//! - k ≥ 1: Marsaglia & Tsang, "A simple method for generating gamma variables",
//!   ACM TOMS 26(3), 2000. With d = k − 1/3 and c = 1/√(9d): draw a standard normal x
//!   (the ziggurat) and t = 1 + cx (retry if t ≤ 0), v = t³, then a uniform u; accept dv
//!   if ln u < x²/2 + d(1 − v + ln v). Exact for every k ≥ 1, about 1.05 normals and
//!   uniforms per draw (fewer as k grows), as fast for k = 10⁶ as for k = 1.
//! - The squeeze that spares the two logs is not the paper's u < 1 − 0.0331x⁴ (which
//!   fails about 9 % of the time whatever k, so large shapes paid two logs a draw in
//!   one in eleven) but one that tightens as k grows: by Taylor's theorem with
//!   Lagrange's remainder, ln t ≥ s − s²/2 + s³/3 − s⁴/(4m⁴) with s = cx, m = min(1, t);
//!   put into the test, the terms up to s³ cancel exactly (9dc² = 1), leaving
//!   x²/2 + d(1 − v + ln v) ≥ −x⁴/(108 d m⁴); and ln u ≤ u − 1. So u − 1 < −x⁴/(108 d m⁴),
//!   i.e. (1 − u)·108d·m⁴ > x⁴, accepts only draws the exact test accepts. It fails
//!   about 3/(108d) of the time: once in 300,000 draws for a CCG's total (d ≈ 8,333),
//!   once in 90,000 for a 2 % common shock. Multiplications only. For small k and
//!   x < 0 (m small) the paper's squeeze is the better, so both are tried.
//! - k < 1: the same paper's boost, Gamma(k) = Gamma(k + 1) × U^(1/k).
//!
//! Logs and powers come from `libm` (pure Rust), so draws are bit-identical natively
//! and in wasm.

use super::rng::Random;

/// A Gamma distribution with its sampling constants worked out once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gamma {
    shape: f64,
    scale: f64,
    /// Marsaglia–Tsang's d and c, for shape max(k, k + 1 when boosted).
    d: f64,
    c: f64,
    /// 108d, for the squeeze.
    squeeze: f64,
    /// 1/k when k < 1 (draw Gamma(k + 1) and multiply by U^(1/k)).
    boost_power: Option<f64>,
}

impl Gamma {
    /// `None` unless the shape is finite and above 0 and the scale finite and 0 or more.
    pub fn new(shape: f64, scale: f64) -> Option<Gamma> {
        if !(shape.is_finite() && shape > 0.0 && scale.is_finite() && scale >= 0.0) {
            return None;
        }
        let (base, boost_power) = if shape < 1.0 {
            (shape + 1.0, Some(1.0 / shape))
        } else {
            (shape, None)
        };
        let d = base - 1.0 / 3.0;
        Some(Gamma {
            shape,
            scale,
            d,
            c: 1.0 / (9.0 * d).sqrt(),
            squeeze: 108.0 * d,
            boost_power,
        })
    }

    /// Mean kθ and coefficient of variation 1/√k: `Gamma::with_mean_cv(1, s)` is a
    /// multiplier averaging 1 with relative spread s.
    pub fn with_mean_cv(mean: f64, cv: f64) -> Option<Gamma> {
        if !(cv.is_finite() && cv > 0.0) {
            return None;
        }
        Gamma::new(1.0 / (cv * cv), mean * cv * cv)
    }

    pub fn shape(&self) -> f64 {
        self.shape
    }

    pub fn scale(&self) -> f64 {
        self.scale
    }

    pub fn mean(&self) -> f64 {
        self.shape * self.scale
    }

    pub fn variance(&self) -> f64 {
        self.shape * self.scale * self.scale
    }

    /// One draw. Uses the stream in a fixed order: normals and uniforms as
    /// Marsaglia–Tsang asks for them, then (k < 1) one more uniform.
    #[inline(always)]
    pub fn sample(&self, rng: &mut Random) -> f64 {
        let standard = loop {
            let x = rng.normal();
            let t = 1.0 + self.c * x;
            if t <= 0.0 {
                continue;
            }
            let u = rng.uniform_open();
            if self.squeeze_accepts(x, t, u) || self.exact_accepts(x, t, u) {
                break self.d * (t * t * t);
            }
        };
        let standard = match self.boost_power {
            Some(power) => standard * libm::pow(rng.uniform_open(), power),
            None => standard,
        };
        standard * self.scale
    }

    /// (1 − u)·108d·m⁴ > x⁴, or the paper's u < 1 − 0.0331x⁴ (the better of the two
    /// for small k and x < 0): each a sufficient condition for `exact_accepts`.
    #[inline(always)]
    fn squeeze_accepts(&self, x: f64, t: f64, u: f64) -> bool {
        // min(t, 1) as (t + 1 − |t − 1|)/2: no `f64::min` (wasm has no instruction
        // for it) and no branch that x's sign would make unpredictable.
        let m = 0.5 * (t + 1.0 - (t - 1.0).abs());
        let (x4, m2) = ((x * x) * (x * x), m * m);
        (1.0 - u) * self.squeeze * (m2 * m2) > x4 || u < 1.0 - 0.0331 * x4
    }

    /// Marsaglia–Tsang's test: ln u < x²/2 + d(1 − v + ln v), v = t³.
    #[cold]
    #[inline(never)]
    fn exact_accepts(&self, x: f64, t: f64, u: f64) -> bool {
        let v = t * t * t;
        libm::log(u) < 0.5 * x * x + self.d * (1.0 - v + libm::log(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_and_variance(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
        (mean, var)
    }

    #[test]
    fn mean_and_variance_match_theory_within_standard_errors() {
        let n = 100_000usize;
        for (i, &(shape, scale)) in [
            (0.3, 2.0),
            (1.0, 1.0),
            (5.0, 0.5),
            (500.0, 3.0),
            (1e6, 1e-3),
        ]
        .iter()
        .enumerate()
        {
            let g = Gamma::new(shape, scale).unwrap();
            let mut rng = Random::seed_from_u64(100 + i as u64);
            let xs: Vec<f64> = (0..n).map(|_| g.sample(&mut rng)).collect();
            assert!(xs.iter().all(|x| x.is_finite() && *x >= 0.0));
            let (mean, var) = mean_and_variance(&xs);
            // Standard errors: √(kθ²/n) for the mean; √((μ₄ − σ⁴)/n) for the variance,
            // where for a Gamma μ₄ − σ⁴ = (2k² + 6k)θ⁴.
            let mean_se = (g.variance() / n as f64).sqrt();
            let var_se = ((2.0 * shape * shape + 6.0 * shape) * (scale * scale) * (scale * scale)
                / n as f64)
                .sqrt();
            assert!(
                (mean - g.mean()).abs() < 4.0 * mean_se,
                "k={shape}: mean {mean} vs {} ± {mean_se}",
                g.mean()
            );
            assert!(
                (var - g.variance()).abs() < 4.0 * var_se,
                "k={shape}: variance {var} vs {} ± {var_se}",
                g.variance()
            );
        }
    }

    /// Kolmogorov–Smirnov distance between a sample and a distribution function.
    fn ks_distance(mut xs: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
        xs.sort_by(|a, b| a.total_cmp(b));
        let n = xs.len() as f64;
        xs.iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = cdf(x);
                (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
            })
            .fold(0.0, f64::max)
    }

    /// Regularised lower incomplete gamma P(k, x) by its power series (fine for the
    /// small x a Gamma(0.3) sample reaches).
    fn lower_gamma_series(k: f64, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        let mut term = 1.0 / k;
        let mut sum = term;
        let mut j = 1.0;
        while term > sum * 1e-17 {
            term *= x / (k + j);
            sum += term;
            j += 1.0;
        }
        sum * libm::exp(k * libm::log(x) - x - libm::lgamma(k))
    }

    #[test]
    fn the_whole_distribution_passes_a_kolmogorov_smirnov_test() {
        let n = 20_000;
        // 1.95/√n is the 0.1 % critical value of the KS statistic.
        let critical = 1.95 / (n as f64).sqrt();

        // k = 5 (Marsaglia–Tsang): P(X ≤ x) = 1 − e^(−x) Σ_{j<5} x^j / j!.
        let g = Gamma::new(5.0, 1.0).unwrap();
        let mut rng = Random::seed_from_u64(55);
        let xs = (0..n).map(|_| g.sample(&mut rng)).collect();
        let d = ks_distance(xs, |x| {
            let mut term = 1.0;
            let mut sum = 1.0;
            for j in 1..5 {
                term *= x / j as f64;
                sum += term;
            }
            1.0 - libm::exp(-x) * sum
        });
        assert!(d < critical, "k=5: D = {d}, critical {critical}");

        // k = 0.3 (the boost).
        let g = Gamma::new(0.3, 1.0).unwrap();
        let mut rng = Random::seed_from_u64(3);
        let xs = (0..n).map(|_| g.sample(&mut rng)).collect();
        let d = ks_distance(xs, |x| lower_gamma_series(0.3, x));
        assert!(d < critical, "k=0.3: D = {d}, critical {critical}");
    }

    #[test]
    fn the_squeeze_accepts_only_what_the_exact_test_accepts_and_rarely_fails_large_shapes() {
        let mut rng = Random::seed_from_u64(108);
        // Base shapes from the boost's 1.3 to a population of 75 million at c = 1.
        for shape in [1.0, 1.3, 2.0, 5.0, 100.0, 2_500.0, 75_000.0 / 9.0, 7.5e7] {
            let g = Gamma::new(shape, 1.0).unwrap();
            let (mut tried, mut squeezed, mut exact) = (0u32, 0u32, 0u32);
            for _ in 0..400_000 {
                // Normals widened by 1.5 as well, so the tails are tried hard.
                let x = rng.normal() * if tried % 2 == 0 { 1.0 } else { 1.5 };
                let t = 1.0 + g.c * x;
                if t <= 0.0 {
                    continue;
                }
                let u = rng.uniform_open();
                tried += 1;
                let s = g.squeeze_accepts(x, t, u);
                let e = g.exact_accepts(x, t, u);
                assert!(
                    !s || e,
                    "k={shape}: squeeze accepted x={x}, u={u}; exact test did not"
                );
                squeezed += u32::from(s);
                exact += u32::from(e);
            }
            let missed = f64::from(exact - squeezed) / f64::from(tried);
            // The squeeze misses about E[x⁴]/(108d) of draws (E[x⁴] = 3 × 3.75 for this
            // mix of widths; allow twice that for m < 1), one in 300,000 for a CCG, and
            // never more than the paper's squeeze alone (at most 0.0331 E[x⁴]).
            let bound = (2.0 * 3.75 * 3.0 / (108.0 * g.d)).min(0.0331 * 3.75 * 3.0) + 1e-5;
            assert!(
                missed < bound,
                "k={shape}: squeeze missed {missed}, bound {bound}"
            );
        }
    }

    #[test]
    fn large_shapes_match_the_normal_they_tend_to_in_the_tails() {
        // Gamma(k) for k = 8,333 (Corby's total) is nearly N(k, k) with skew 2/√k: check
        // P(X > k + z√k) against the Wilson–Hilferty approximation (accurate to ~1e-5
        // here) within 4 binomial standard errors, at z = 1, 2, 3.
        let k: f64 = 75_000.0 / 9.0;
        let g = Gamma::new(k, 1.0).unwrap();
        let mut rng = Random::seed_from_u64(8_333);
        let n = 400_000;
        let xs: Vec<f64> = (0..n).map(|_| g.sample(&mut rng)).collect();
        for z in [1.0, 2.0, 3.0] {
            let x = k + z * k.sqrt();
            let share = xs.iter().filter(|&&v| v > x).count() as f64 / n as f64;
            // Wilson–Hilferty: (X/k)^(1/3) ≈ N(1 − 1/(9k), 1/(9k)).
            let w = ((x / k).cbrt() - (1.0 - 1.0 / (9.0 * k))) / (1.0 / (9.0 * k)).sqrt();
            let want = 0.5 * libm::erfc(w / std::f64::consts::SQRT_2);
            let se = (want * (1.0 - want) / n as f64).sqrt();
            assert!(
                (share - want).abs() < 4.0 * se,
                "z={z}: {share} vs {want} ± {se}"
            );
        }
    }

    #[test]
    fn only_proper_parameters_make_a_distribution() {
        assert!(Gamma::new(0.0, 1.0).is_none());
        assert!(Gamma::new(-1.0, 1.0).is_none());
        assert!(Gamma::new(f64::NAN, 1.0).is_none());
        assert!(Gamma::new(1.0, -1.0).is_none());
        assert!(Gamma::with_mean_cv(1.0, 0.0).is_none());
        let g = Gamma::with_mean_cv(1.0, 0.02).unwrap();
        assert!((g.mean() - 1.0).abs() < 1e-12);
        assert!((g.variance().sqrt() - 0.02).abs() < 1e-12);
    }
}
