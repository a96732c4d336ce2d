//! Standard normal draws by the ziggurat method: Marsaglia & Tsang, "The ziggurat method
//! for generating random variables", J. Stat. Softw. 5(8), 2000, with Doornik's fix
//! ("An improved ziggurat method", 2005): the layer index and the value come from
//! different bits of the same 64-bit draw, so they are independent.
//!
//! The area under f(x) = e^(−x²/2) for x ≥ 0 is cut into 256 layers of equal area V: 255
//! rectangles [0, xᵢ] × [f(xᵢ), f(xᵢ₊₁)] stacked on a base strip made of the rectangle
//! [0, R] × [0, f(R)] plus the tail beyond R. A draw picks a layer (8 bits) and a signed
//! position u·xᵢ, u uniform in [−1, 1) (53 bits). About 98.8 % of draws fall inside the
//! layer above it (|u·xᵢ| < xᵢ₊₁) and are returned at once: one 64-bit draw, one
//! multiplication and one comparison, no log, square root or division. The rest are
//! the wedges (accepted if a uniform height lies under f, one `libm::exp`) and the tail
//! (Marsaglia's 1964 exact method for x > R). Every path is exact: the draws are exactly
//! normal up to the 2⁻⁵³ resolution of the uniforms.
//!
//! The tables are statics ([`LAYER_X`], [`LAYER_F`], 4 KB); a test rebuilds them with `libm`
//! (the bisection that makes the 256 layers close exactly, then the recurrence) and
//! checks every bit.

use super::rng::{top_53_bits, Random};

/// R: where the tail starts, chosen so the 256 equal layers close exactly at the top.
pub const TAIL_START: f64 = 3.654_152_885_361_009_2;

/// One standard normal from `rng`: one `next_u64` about 98.8 % of the time.
#[inline(always)]
pub fn standard_normal(rng: &mut Random) -> f64 {
    loop {
        let bits = rng.next_u64();
        let i = (bits & 0xff) as usize;
        // The top 53 bits, disjoint from the layer's 8: u in [−1, 1) in steps of 2⁻⁵².
        let u = top_53_bits(bits) * (1.0 / (1u64 << 52) as f64) - 1.0;
        let x = u * LAYER_X[i];
        if x.abs() < LAYER_X[i + 1] {
            return x;
        }
        if i == 0 {
            return tail(rng, u < 0.0);
        }
        if in_wedge(rng, i, x) {
            return x;
        }
    }
}

/// A wedge: accept if a uniform height in [f(xᵢ), f(xᵢ₊₁)] lies under the curve. Out of
/// line, so the common path stays small.
#[cold]
#[inline(never)]
fn in_wedge(rng: &mut Random, i: usize, x: f64) -> bool {
    let (Some(&below), Some(&above)) = (LAYER_F.get(i), LAYER_F.get(i + 1)) else {
        return false;
    };
    below + (above - below) * rng.uniform() < libm::exp(-0.5 * x * x)
}

/// Beyond R (Marsaglia 1964): x = −ln(U₁)/R, y = −ln(U₂), accept R + x if 2y > x².
#[cold]
#[inline(never)]
fn tail(rng: &mut Random, negative: bool) -> f64 {
    loop {
        let x = -libm::log(rng.uniform_open()) / TAIL_START;
        let y = -libm::log(rng.uniform_open());
        if 2.0 * y > x * x {
            let z = TAIL_START + x;
            return if negative { -z } else { z };
        }
    }
}

/// xᵢ for i = 0 to 256: x₀ = V/f(R) (the base strip's width were it a rectangle),
/// x₁ = R, xᵢ₊₁ = f⁻¹(V/xᵢ + f(xᵢ)), x₂₅₆ = 0.
#[rustfmt::skip]
pub static LAYER_X: [f64; 257] = include!("ziggurat_x.in");

/// f(xᵢ) = e^(−xᵢ²/2) for the same i (f(x₂₅₆) = 1).
#[rustfmt::skip]
pub static LAYER_F: [f64; 257] = include!("ziggurat_f.in");

/// Rebuild the tables from first principles (used by the test, and to write them).
#[cfg(test)]
pub(super) fn build_tables() -> ([f64; 257], [f64; 257]) {
    let f = |x: f64| libm::exp(-0.5 * x * x);
    // V(R): the base strip's area, R f(R) plus the tail ∫_R^∞ f = √(π/2) erfc(R/√2).
    let area = |r: f64| {
        r * f(r) + (std::f64::consts::PI / 2.0).sqrt() * libm::erfc(r / std::f64::consts::SQRT_2)
    };
    // Climb 255 layers from R; returns V/x₂₅₅ + f(x₂₅₅) − 1, which is 0 when the top
    // layer has area exactly V (positive: R too small, layers too big, ran out early).
    let excess = |r: f64| {
        let v = area(r);
        let mut x = r;
        for _ in 2..256 {
            let y = v / x + f(x);
            if y >= 1.0 {
                return 1.0;
            }
            x = libm::sqrt(-2.0 * libm::log(y));
        }
        v / x + f(x) - 1.0
    };
    let (mut low, mut high) = (3.0, 4.0);
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        if mid <= low || mid >= high {
            break;
        }
        if excess(mid) > 0.0 {
            low = mid;
        } else {
            high = mid;
        }
    }
    let r = high;
    let v = area(r);
    let mut xs = [0.0; 257];
    xs[0] = v / f(r);
    xs[1] = r;
    for i in 2..256 {
        xs[i] = libm::sqrt(-2.0 * libm::log(v / xs[i - 1] + f(xs[i - 1])));
    }
    xs[256] = 0.0;
    let mut fs = [0.0; 257];
    for (fi, &xi) in fs.iter_mut().zip(&xs) {
        *fi = f(xi);
    }
    (xs, fs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_the_ones_the_construction_gives_bit_for_bit() {
        let (xs, fs) = build_tables();
        if std::env::var_os("ONEBUDGET_WRITE_ZIGGURAT").is_some() {
            let write = |name: &str, t: &[f64; 257]| {
                let body: Vec<String> = t.iter().map(|x| format!("{x:?}")).collect();
                let text = format!("[\n    {},\n]\n", body.join(",\n    "));
                let path = format!("{}/src/pooling/{name}", env!("CARGO_MANIFEST_DIR"));
                std::fs::write(path, text).unwrap();
            };
            write("ziggurat_x.in", &xs);
            write("ziggurat_f.in", &fs);
        }
        for i in 0..257 {
            assert_eq!(xs[i].to_bits(), LAYER_X[i].to_bits(), "x[{i}]");
            assert_eq!(fs[i].to_bits(), LAYER_F[i].to_bits(), "f[{i}]");
        }
        // Every layer has the same area V: the rectangles xᵢ(f(xᵢ₊₁) − f(xᵢ)), and the
        // base strip x₀ f(R).
        let v = LAYER_X[0] * LAYER_F[1];
        for i in 1..256 {
            let layer = LAYER_X[i] * (LAYER_F[i + 1] - LAYER_F[i]);
            assert!((layer - v).abs() < 1e-12 * v, "layer {i}: {layer} vs {v}");
        }
        // R as published by Marsaglia & Tsang and Doornik, to their 10 figures.
        assert!((TAIL_START - 3.654_152_885_4).abs() < 1e-10, "{TAIL_START}");
        assert!(LAYER_X.windows(2).all(|w| w[0] > w[1]));
        assert_eq!(TAIL_START.to_bits(), LAYER_X[1].to_bits());
    }

    /// Φ(−z): the standard normal's upper tail.
    fn upper_tail(z: f64) -> f64 {
        0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
    }

    #[test]
    fn draws_have_the_normal_mean_variance_and_kurtosis() {
        let mut rng = Random::seed_from_u64(2000);
        let n = 1_000_000;
        let (mut s1, mut s2, mut s4) = (0.0, 0.0, 0.0);
        for _ in 0..n {
            let z = standard_normal(&mut rng);
            s1 += z;
            s2 += z * z;
            s4 += z * z * z * z;
        }
        let n = n as f64;
        let (mean, var, m4) = (s1 / n, s2 / n, s4 / n);
        // Standard errors: 1/√n, √(2/n), √(96/n) (E z⁸ − (E z⁴)² = 105 − 9); 4 of each.
        assert!(mean.abs() < 4.0 / n.sqrt(), "mean {mean}");
        assert!((var - 1.0).abs() < 4.0 * (2.0 / n).sqrt(), "variance {var}");
        assert!((m4 - 3.0).abs() < 4.0 * (96.0 / n).sqrt(), "E z⁴ {m4}");
    }

    #[test]
    fn tail_probabilities_match_the_exact_normal_within_their_standard_errors() {
        let mut rng = Random::seed_from_u64(1964);
        let n = 4_000_000usize;
        let cuts = [0.5, 1.0, 1.96, 2.5, 3.0, TAIL_START, 4.0, 4.5];
        let (mut above, mut below) = ([0u64; 8], [0u64; 8]);
        for _ in 0..n {
            let z = standard_normal(&mut rng);
            for (j, &c) in cuts.iter().enumerate() {
                above[j] += u64::from(z > c);
                below[j] += u64::from(z < -c);
            }
        }
        for (j, &c) in cuts.iter().enumerate() {
            let want = upper_tail(c);
            let se = (want * (1.0 - want) / n as f64).sqrt();
            for (side, count) in [("above", above[j]), ("below", below[j])] {
                let share = count as f64 / n as f64;
                assert!(
                    (share - want).abs() < 4.0 * se,
                    "{side} ±{c}: {share} vs {want} ± {se}"
                );
            }
        }
    }

    #[test]
    fn the_whole_distribution_passes_a_kolmogorov_smirnov_and_a_chi_square_test() {
        let mut rng = Random::seed_from_u64(2005);
        let n = 200_000;
        let mut xs: Vec<f64> = (0..n).map(|_| standard_normal(&mut rng)).collect();
        xs.sort_by(|a, b| a.total_cmp(b));
        let nf = n as f64;
        let d = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = 1.0 - upper_tail(x);
                (f - i as f64 / nf)
                    .abs()
                    .max(((i + 1) as f64 / nf - f).abs())
            })
            .fold(0.0, f64::max);
        // 1.95/√n: the 0.1 % critical value.
        assert!(d < 1.95 / nf.sqrt(), "KS D = {d}");

        // χ² over 64 equal-probability cells (the 1/64 quantiles found by bisection on
        // erfc): 63 degrees of freedom, 0.1 % critical value 103.4.
        let cells = 64;
        let edge = |p: f64| {
            let (mut lo, mut hi) = (-10.0, 10.0);
            for _ in 0..100 {
                let mid = 0.5 * (lo + hi);
                if 1.0 - upper_tail(mid) < p {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            0.5 * (lo + hi)
        };
        let edges: Vec<f64> = (1..cells).map(|k| edge(k as f64 / cells as f64)).collect();
        let mut counts = vec![0u64; cells];
        for &x in &xs {
            counts[edges.partition_point(|&e| e < x)] += 1;
        }
        let expected = nf / cells as f64;
        let chi2: f64 = counts
            .iter()
            .map(|&c| (c as f64 - expected) * (c as f64 - expected) / expected)
            .sum();
        assert!(chi2 < 103.4, "χ² = {chi2}");
    }

    #[test]
    fn every_path_is_taken_and_the_rare_ones_are_rare() {
        // Layers 1 to 255 and the base strip are picked evenly; the wedges and the tail
        // (the slow paths) together take about 1.2 % of draws.
        let mut rng = Random::seed_from_u64(256);
        let n = 1_000_000;
        let (mut beyond_r, mut fast) = (0u32, 0u32);
        let mut probe = rng.clone();
        for _ in 0..n {
            let bits = probe.next_u64();
            let i = (bits & 0xff) as usize;
            let u = (bits >> 11) as f64 * (1.0 / (1u64 << 52) as f64) - 1.0;
            fast += u32::from((u * LAYER_X[i]).abs() < LAYER_X[i + 1]);
            let z = standard_normal(&mut rng);
            beyond_r += u32::from(z.abs() > TAIL_START);
        }
        let slow = 1.0 - f64::from(fast) / f64::from(n);
        assert!((0.008..0.016).contains(&slow), "slow share {slow}");
        // P(|z| > R) = 2.58e-4: about 258 draws.
        assert!((180..340).contains(&beyond_r), "{beyond_r} beyond R");
    }
}
