//! Seeded random numbers that are the same on every platform.
//!
//! - [`SplitMix64`] (Steele, Lea & Flood 2014; Vigna's `splitmix64.c`) only turns a
//!   `u64` seed into a well-mixed starting state.
//! - [`Xoshiro256StarStar`] (Blackman & Vigna 2018, `xoshiro256starstar.c`) is the
//!   generator: 256 bits of state, period 2²⁵⁶ − 1. `seed_from_u64` fills its state
//!   with four SplitMix64 outputs, as the reference code recommends (and as the
//!   `rand_xoshiro` crate does, so a seed means the same stream there).
//! - [`Xoshiro256StarStar::jump`] moves a generator 2¹²⁸ draws ahead (the reference
//!   code's `jump`), so stream k of a simulation (the seed's generator jumped k times)
//!   never overlaps another stream: each has 2¹²⁸ draws to itself.
//! - A uniform draw takes the top 53 bits: `(x >> 11) × 2⁻⁵³`, in [0, 1).
//! - A standard normal is the 256-layer ziggurat (see `ziggurat`): one 64-bit draw,
//!   a multiplication and a comparison about 98.8 % of the time.
//!
//! Only integer operations, `+ − × ÷` and `libm` (pure Rust, the same code natively
//! and in wasm) are used, so a seed gives bit-identical numbers on every platform.

/// SplitMix64: a 64-bit counter passed through a mixing function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// xoshiro256**: the generator every trial's draws come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Xoshiro256StarStar {
    s: [u64; 4],
}

impl Xoshiro256StarStar {
    /// A generator with exactly this state (must not be all zero).
    pub fn from_state(s: [u64; 4]) -> Self {
        Xoshiro256StarStar { s }
    }

    /// The state is four consecutive SplitMix64 outputs, never all zero (SplitMix64
    /// outputs zero for only one counter value).
    pub fn seed_from_u64(seed: u64) -> Self {
        let mut mix = SplitMix64::new(seed);
        let s = [
            mix.next_u64(),
            mix.next_u64(),
            mix.next_u64(),
            mix.next_u64(),
        ];
        Xoshiro256StarStar { s }
    }

    #[inline(always)]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Move 2¹²⁸ draws ahead: the reference `jump`, which multiplies the state by the
    /// polynomial [`JUMP`] (x^(2¹²⁸) modulo the generator's characteristic polynomial).
    pub fn jump(&mut self) {
        self.apply(&JUMP);
    }

    /// The state after applying `polynomial` (its bits, lowest first): the sum (xor) of
    /// the states after every k steps whose bit k is set.
    fn apply(&mut self, polynomial: &[u64; 4]) {
        let mut sum = [0u64; 4];
        for word in polynomial {
            for bit in 0..64 {
                if word & (1u64 << bit) != 0 {
                    for (total, part) in sum.iter_mut().zip(&self.s) {
                        *total ^= part;
                    }
                }
                self.next_u64();
            }
        }
        self.s = sum;
    }
}

/// xoshiro256's jump polynomial (Blackman & Vigna's reference code, `JUMP`).
const JUMP: [u64; 4] = [
    0x180e_c6d3_3cfd_0aba,
    0xd5a6_1266_f0c9_392c,
    0xa958_2618_e03f_c9aa,
    0x39ab_dc45_29b1_661c,
];

/// 2⁻⁵³: one step between adjacent uniform draws.
const UNIT: f64 = 1.0 / (1u64 << 53) as f64;

/// The top 53 bits of `bits` as a whole number, exactly. Converted as a signed integer
/// (it is below 2⁵³, so the value is the same): wasm's unsigned conversion is a longer
/// sequence of instructions in browsers on x86.
#[inline(always)]
pub(super) fn top_53_bits(bits: u64) -> f64 {
    ((bits >> 11) as i64) as f64
}

/// Uniform and normal draws from one xoshiro256** stream.
#[derive(Clone, Debug, PartialEq)]
pub struct Random {
    bits: Xoshiro256StarStar,
}

impl Random {
    pub fn seed_from_u64(seed: u64) -> Self {
        Random {
            bits: Xoshiro256StarStar::seed_from_u64(seed),
        }
    }

    /// Move 2¹²⁸ draws ahead (see [`Xoshiro256StarStar::jump`]).
    pub fn jump(&mut self) {
        self.bits.jump();
    }

    #[inline(always)]
    pub fn next_u64(&mut self) -> u64 {
        self.bits.next_u64()
    }

    /// Uniform in [0, 1) from the top 53 bits.
    #[inline(always)]
    pub fn uniform(&mut self) -> f64 {
        top_53_bits(self.next_u64()) * UNIT
    }

    /// Uniform in (0, 1): the midpoint of each of the 2⁵³ cells, so its log is finite.
    #[inline(always)]
    pub fn uniform_open(&mut self) -> f64 {
        (top_53_bits(self.next_u64()) + 0.5) * UNIT
    }

    /// A standard normal (mean 0, variance 1), by the ziggurat method.
    #[inline(always)]
    pub fn normal(&mut self) -> f64 {
        super::ziggurat::standard_normal(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_implementation() {
        // Vigna's splitmix64.c, seed 1477776061723855037 (the vector the rand_xoshiro
        // crate checks its SplitMix64 against).
        let mut mix = SplitMix64::new(1_477_776_061_723_855_037);
        for want in [
            1_985_237_415_132_408_290u64,
            2_979_275_885_539_914_483,
            13_511_426_838_097_143_398,
            8_488_337_342_461_049_707,
            15_141_737_807_933_549_159,
        ] {
            assert_eq!(mix.next_u64(), want);
        }
        // The widely quoted first output for seed 0.
        assert_eq!(SplitMix64::new(0).next_u64(), 0xe220_a839_7b1d_cdaf);
    }

    #[test]
    fn xoshiro256starstar_matches_the_reference_implementation() {
        // xoshiro256starstar.c with state {1, 2, 3, 4}: the reference vector also used
        // by rand_xoshiro's `reference` test.
        let mut rng = Xoshiro256StarStar::from_state([1, 2, 3, 4]);
        for want in [
            11_520u64,
            0,
            1_509_978_240,
            1_215_971_899_390_074_240,
            1_216_172_134_540_287_360,
            607_988_272_756_665_600,
            16_172_922_978_634_559_625,
            8_476_171_486_693_032_832,
            10_595_114_339_597_558_777,
            2_904_607_092_377_533_576,
        ] {
            assert_eq!(rng.next_u64(), want);
        }
    }

    #[test]
    fn seeding_by_splitmix_matches_rand_xoshiro() {
        // rand_xoshiro 0.8.1's Xoshiro256StarStar::seed_from_u64(0), first outputs
        // (an independent implementation of the same seeding).
        let mut rng = Xoshiro256StarStar::seed_from_u64(0);
        let got: Vec<u64> = (0..4).map(|_| rng.next_u64()).collect();
        assert_eq!(got, SEED_0_FIRST_OUTPUTS);
    }

    #[test]
    fn applying_the_polynomial_x_to_the_k_steps_k_times() {
        // The jump's machinery on polynomials whose answer is known: x^k is k draws.
        for k in [0usize, 1, 5, 63, 64, 130, 255] {
            let mut polynomial = [0u64; 4];
            polynomial[k / 64] = 1u64 << (k % 64);
            let mut jumped = Xoshiro256StarStar::seed_from_u64(42);
            jumped.apply(&polynomial);
            let mut stepped = Xoshiro256StarStar::seed_from_u64(42);
            for _ in 0..k {
                stepped.next_u64();
            }
            assert_eq!(jumped, stepped, "x^{k}");
        }
        // x^3 + x: the xor of the states after 1 and after 3 draws.
        let mut jumped = Xoshiro256StarStar::from_state([1, 2, 3, 4]);
        jumped.apply(&[0b1010, 0, 0, 0]);
        let mut one = Xoshiro256StarStar::from_state([1, 2, 3, 4]);
        one.next_u64();
        let mut three = one.clone();
        three.next_u64();
        three.next_u64();
        let want: Vec<u64> = one.s.iter().zip(&three.s).map(|(a, b)| a ^ b).collect();
        assert_eq!(jumped.s.to_vec(), want);
    }

    #[test]
    fn a_jump_matches_the_reference_implementation() {
        // xoshiro256starstar.c's jump() from the state {1, 2, 3, 4}.
        let mut rng = Xoshiro256StarStar::from_state([1, 2, 3, 4]);
        rng.jump();
        assert_eq!(rng.s, JUMPED_FROM_1_2_3_4);
        // Jumped streams differ from each other and from the start.
        let mut a = Random::seed_from_u64(2013);
        let mut b = a.clone();
        b.jump();
        let mut c = b.clone();
        c.jump();
        let xs: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..4).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..4).map(|_| c.next_u64()).collect();
        assert_ne!(xs, ys);
        assert_ne!(ys, zs);
    }

    /// The state after the reference C code's `jump()` from {1, 2, 3, 4} (xoshiro256starstar.c
    /// compiled with gcc).
    const JUMPED_FROM_1_2_3_4: [u64; 4] = [
        10_122_426_448_480_695_249,
        8_079_205_330_032_121_950,
        7_289_065_458_748_526_725,
        9_477_464_255_293_849_680,
    ];

    const SEED_0_FIRST_OUTPUTS: [u64; 4] = [
        11_091_344_671_253_066_420,
        13_793_997_310_169_335_082,
        1_900_383_378_846_508_768,
        7_684_712_102_626_143_532,
    ];

    #[test]
    fn uniforms_lie_in_their_intervals_and_normals_have_unit_variance() {
        let mut rng = Random::seed_from_u64(7);
        let n = 200_000;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for _ in 0..n {
            let u = rng.uniform();
            assert!((0.0..1.0).contains(&u));
            let o = rng.uniform_open();
            assert!(o > 0.0 && o < 1.0);
            let z = rng.normal();
            sum += z;
            sum_sq += z * z;
        }
        let mean = sum / n as f64;
        let var = sum_sq / n as f64 - mean * mean;
        // Standard errors: 1/√n for the mean, √(2/n) for the variance; allow 4 of them.
        assert!(mean.abs() < 4.0 / (n as f64).sqrt(), "{mean}");
        assert!((var - 1.0).abs() < 4.0 * (2.0 / n as f64).sqrt(), "{var}");
    }

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let mut a = Random::seed_from_u64(2013);
        let mut b = Random::seed_from_u64(2013);
        let mut c = Random::seed_from_u64(2014);
        let xs: Vec<u64> = (0..5).map(|_| a.normal().to_bits()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.normal().to_bits()).collect();
        let zs: Vec<u64> = (0..5).map(|_| c.normal().to_bits()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }
}
