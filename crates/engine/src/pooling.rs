//! Risk pooling: how likely each commissioner is to overspend its budget, on its own
//! and as a member of a pool (DOMAIN.md §6, the small-versus-large question).
//!
//! ## The model
//! Member i has Nᵢ people whose annual costs average μᵢ (`cost_per_head`) with
//! coefficient of variation cᵢ (`cost_variation`). If each person's cost is Gamma
//! with that mean and CV, their total is exactly
//!
//! ```text
//! Xᵢ ~ Gamma(shape Nᵢ / cᵢ², scale μᵢ cᵢ²)      mean Eᵢ = Nᵢ μᵢ,  variance Vᵢ = Nᵢ μᵢ² cᵢ²
//! ```
//!
//! so a trial draws one Gamma per member, never one per person. Its budget Bᵢ is its
//! expected cost Nᵢ μᵢ (whole pence). Then, in this fixed order per trial:
//! 1. **Common shock** S (`common_shock` = s > 0): Gamma with mean 1 and CV s, shared by
//!    every member (a bad winter). Gamma rather than lognormal: it reuses the same exact
//!    sampler, is never negative and is skewed towards bad years.
//! 2. **Correlation** (`correlation` = ρ > 0): one shared standard normal Z per trial and
//!    Yᵢ = Eᵢ + √(1−ρ)(Xᵢ − Eᵢ) + √ρ σᵢ Z, where σᵢ = √Vᵢ. This keeps each member's mean
//!    and variance and gives any two members' costs correlation exactly ρ; the shared
//!    part is symmetric, so it slightly dilutes the skew. Yᵢ is floored at 0, which binds
//!    only if Z < −√Nᵢ ÷ (cᵢ√ρ) (−91 for 75,000 people at c = 3): never, in practice,
//!    for populations of thousands. With ρ = 0, Yᵢ = Xᵢ.
//! 3. Cost Tᵢ = S·Yᵢ. Standalone overspend Tᵢ − Bᵢ. Pooled: the pool's overspend
//!    D = Σ Tᵢ − Σ Bᵢ is shared back by the contribution basis, member i bearing wᵢ·D with
//!    wᵢ = Nᵢ/ΣN (`population_share`) or Bᵢ/ΣB (`risk_adjusted_share`). As a share of its
//!    budget that is kᵢ·D/ΣB with kᵢ = wᵢ ΣB / Bᵢ (exactly 1 under risk-adjusted shares).
//!
//! ## Results (per member, standalone and pooled, and for the pool as a whole)
//! The probability of overspending by more than x (`overspend_threshold`) of budget, with
//! its 95 % margin 1.96·√(p(1−p)/n) (3/n, the rule of three, when no trial or every trial
//! did); the mean and standard deviation of the overspend with standard errors s/√n and
//! √((m₄ − s⁴)/n)/(2s); the 5th, 50th and 95th percentiles with binomial order-statistic
//! 95 % intervals (ranks np ± 1.96√(np(1−p))); the 5th–95th spread as a share of expected
//! cost (interval: the widest and narrowest the percentile intervals allow); and the
//! expected shortfall (mean overspend in the worst 5 % of trials) with the standard error
//! of Manistre & Hancock (2005), √((V + 0.95(ES − q₉₅)²)/(0.05 n)), V the tail's variance.
//! Beside them, the **normal approximation** from the exact means and variances:
//! Var Tᵢ = (1+s²)Vᵢ + s²Eᵢ², Cov(Tᵢ,Tⱼ) = (1+s²)ρσᵢσⱼ + s²EᵢEⱼ.
//!
//! ## Invariants
//! - Determinism: the trials are split into fixed streams of [`STREAM_TRIALS`]; stream k
//!   is the seed's xoshiro256** generator jumped k times (2¹²⁸ draws apart), drawn in a
//!   fixed order (trial by trial: shock, shared normal, members in list order, each only
//!   when used). Each stream is tallied from zero and the streams' tallies are added in
//!   stream order, whoever ran them. Only `+ − × ÷`, `sqrt` and `libm` are used, so results
//!   are bit-identical natively and in wasm, and running the trials in chunks of any sizes,
//!   or their streams on any number of threads ([`Simulation::run_stream`],
//!   [`Simulation::add_stream`]), gives exactly the result of one run. Stream 0 is the seed's
//!   own generator, so a first estimate's trials are the first trials of every full run.
//! - Every pooled member's overspend is kᵢ times the pool's, so each pooled figure in
//!   pence is the pool's figure split by [`money::apportion`] on the contribution basis:
//!   members' pooled percentiles, spreads and shortfalls add up to the pool's, to the penny.
//!
//! ## Speed
//! A trial is six Gamma draws (five members and the shock, for Healthier Together) and six
//! series' tallies. Draws: xoshiro256** (`rng`), standard normals by the 256-layer
//! ziggurat (`ziggurat`: one 64-bit draw, a multiplication and a comparison 98.8 % of the
//! time), Marsaglia–Tsang Gamma with a squeeze that tightens as the shape grows (`gamma`:
//! for a CCG's total it needs a log once in 300,000 draws, where the paper's fails one in
//! eleven). Tallies: trials are drawn in blocks of 256 and then tallied series by series,
//! so the sums stay in registers; every sum still adds the trials in order. No `f64::min`
//! or `max` in the hot loop (wasm has no instruction for them; branches made a Gamma
//! draw 2× faster there). About 65 ns a trial natively on the shared 2-core machine, 15 M
//! trials/s (`cargo bench -p onebudget-engine --bench pooling`, which also times each part
//! and the run shared among threads); `benches/pooling.sh` puts it beside Chromium's workers
//! and Squiggle.
//!
//! ## Memory
//! Counts and moment sums accumulate exactly per trial; percentiles and shortfalls come
//! from one fine histogram per series (see `histogram`): (members + 1) × 64 KB whatever
//! the number of trials (384 KB for five members; the pooled members share the pool's
//! histogram, since their overspends are multiples of it), twice over: the finished
//! streams' tallies and the current stream's. A stream's tallies cross to the page as
//! about 300 KB for five members (the bins as bytes).

pub mod gamma;
mod histogram;
pub mod rng;
mod ziggurat;

use crate::inputs;
use crate::money::{self, MoneyError, Pence};
use crate::names;
use crate::validation::Problems;
use crate::working::{people, percent, Working};
use gamma::Gamma;
use histogram::Histogram;
use rng::Random;
use serde::{Deserialize, Serialize};

/// The most members a pool may have.
pub const MAX_MEMBERS: usize = 50;
/// The most trials a simulation may run.
pub const MAX_TRIALS: u32 = 10_000_000;
/// The largest population of one member (England is about 57 million).
pub const MAX_POPULATION: u64 = 100_000_000;
/// The largest expected cost per head: £1,000,000.
pub const MAX_COST_PER_HEAD: Pence = Pence(100_000_000);
/// The allowed per-person coefficient of variation.
pub const COST_VARIATION_RANGE: (f64, f64) = (0.1, 20.0);
/// The largest seed: the largest whole number every JSON tool (and JavaScript) keeps exactly.
pub const MAX_SEED: u64 = (1 << 53) - 1;
/// Trials in a quick first estimate (`Scenario::compute`, run on every keystroke in the
/// app): under 1 ms for five members natively, 1 to 2 ms in wasm, with 95 % margins of about
/// ±0.5 percentage points on a 7 % chance. The CLI and the app's worker run every trial.
pub const FIRST_ESTIMATE_TRIALS: u32 = 10_000;
/// The worst share of trials the expected shortfall averages.
pub const SHORTFALL_TAIL: f64 = 0.05;

/// 1.96: the two-sided 95 % normal quantile used for every margin here.
const Z_95: f64 = 1.96;
/// The standard normal's 95th percentile.
const Z_90_ONE_SIDED: f64 = 1.644_853_626_951_472_2;

/// How a pool's overspend (or underspend) is shared back among its members.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContributionBasis {
    /// In proportion to population.
    PopulationShare,
    /// In proportion to expected cost (population × cost per head).
    RiskAdjustedShare,
}

impl ContributionBasis {
    fn words(self) -> &'static str {
        match self {
            ContributionBasis::PopulationShare => "population share",
            ContributionBasis::RiskAdjustedShare => "risk-adjusted share (expected cost)",
        }
    }
}

/// Commissioners pooling the risk of their budgets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    pub members: Vec<PoolMember>,
    /// Coefficient of variation of a cost multiplier (mean 1) shared by every member in
    /// a trial: 0.02 is a 2 % common shock; 0 (the default) is none.
    #[serde(default)]
    pub common_shock: f64,
    /// Correlation (0 to 1) between any two members' own variation; 0 (the default) is none.
    #[serde(default)]
    pub correlation: f64,
    /// How the pool's overspend is shared back.
    pub contributions: ContributionBasis,
    /// x in "overspends by more than x of its budget": 0.03 is 3 %.
    pub overspend_threshold: f64,
    /// Simulated years (1 to 10,000,000).
    pub trials: u32,
    /// The same seed always gives the same results.
    pub seed: u64,
}

/// One commissioner in the pool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolMember {
    pub name: String,
    pub population: u64,
    /// Expected annual cost per person, in pence.
    pub cost_per_head: Pence,
    /// Coefficient of variation of one person's annual cost (health costs: about 2 to 4).
    pub cost_variation: f64,
}

impl Pool {
    /// Adds every problem with the pool to `out`.
    pub fn problems(&self, path: &str, out: &mut Problems) {
        if self.members.is_empty() {
            out.push(
                format!("{path}.members"),
                "none",
                "give at least one member",
            );
        }
        if self.members.len() > MAX_MEMBERS {
            out.push(
                format!("{path}.members"),
                self.members.len(),
                format!("at most {MAX_MEMBERS} members"),
            );
        }
        let repeats = names::repeats(self.members.iter().map(|m| m.name.as_str()));
        for (i, m) in self.members.iter().enumerate() {
            let at = format!("{path}.members[{i}]");
            out.name(&format!("{at}.name"), &m.name);
            out.repeat(
                &format!("{at}.name"),
                &m.name,
                repeats[i],
                "each member needs a different name",
            );
            out.whole(
                &inputs::POOL_POPULATION,
                format!("{at}.population"),
                m.population.into(),
            );
            out.whole(
                &inputs::COST_PER_HEAD,
                format!("{at}.cost_per_head"),
                m.cost_per_head.pence().into(),
            );
            out.number(
                &inputs::COST_VARIATION,
                format!("{at}.cost_variation"),
                m.cost_variation,
            );
        }
        out.number(
            &inputs::COMMON_SHOCK,
            format!("{path}.common_shock"),
            self.common_shock,
        );
        out.number(
            &inputs::CORRELATION,
            format!("{path}.correlation"),
            self.correlation,
        );
        out.number(
            &inputs::OVERSPEND_THRESHOLD,
            format!("{path}.overspend_threshold"),
            self.overspend_threshold,
        );
        out.whole(
            &inputs::TRIALS,
            format!("{path}.trials"),
            self.trials.into(),
        );
        // The seed's bound is the largest whole number every JSON tool keeps exactly.
        out.whole(&inputs::SEED, format!("{path}.seed"), self.seed.into());
    }
}

/// One member's constants, worked out once.
#[derive(Clone, Debug, PartialEq)]
struct MemberPlan {
    cost: Gamma,
    budget: Pence,
    /// Eᵢ, the budget as a statistic, and 1/Eᵢ (a multiplication is quicker than a
    /// division in every trial).
    expected: f64,
    inverse_expected: f64,
    /// σᵢ = √(Nᵢ μᵢ² cᵢ²), before the common shock.
    sd: f64,
    /// √ρ σᵢ: the member's loading on the shared normal.
    shared_loading: f64,
    /// wᵢ as a fraction, and its exact integer weight for splitting pence.
    weight: f64,
    weight_units: u64,
    /// kᵢ = wᵢ ΣB / Bᵢ: the pooled overspend as a share of budget is kᵢ × the pool's.
    pooled_factor: f64,
}

/// Trials drawn at a time before they are tallied (see `run_chunk`).
const BLOCK: usize = 256;

/// Trials each random stream owns: stream k draws trials [k·S, (k+1)·S) from the seed's
/// generator jumped k times (2¹²⁸ draws apart, so streams never overlap). The partition
/// is fixed, not the number of workers: however many threads share the streams, each
/// stream's tally is the same, and they are added in stream order, so a seed gives the
/// same bits on one thread or eight. Stream 0 is the seed's own generator, so the first
/// [`FIRST_ESTIMATE_TRIALS`] are the first trials of every full run.
pub const STREAM_TRIALS: u32 = 125_000;

/// Sums of powers, accumulated trial by trial in a fixed order (the count is the
/// histogram's).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Moments {
    s1: f64,
    s2: f64,
    s3: f64,
    s4: f64,
}

/// One series of per-trial overspends (as shares of budget).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct SeriesTally {
    moments: Moments,
    over_threshold: u64,
    histogram: Histogram,
}

impl SeriesTally {
    fn new(sd: f64) -> Self {
        SeriesTally {
            moments: Moments::default(),
            over_threshold: 0,
            histogram: Histogram::new(0.0, sd),
        }
    }

    /// Add each value in order.
    fn record_all(&mut self, values: &[f64], threshold: f64) {
        let Moments { s1, s2, s3, s4 } = &mut self.moments;
        let (mut a1, mut a2, mut a3, mut a4) = (*s1, *s2, *s3, *s4);
        let mut over = 0;
        for &v in values {
            let v2 = v * v;
            a1 += v;
            a2 += v2;
            a3 += v2 * v;
            a4 += v2 * v2;
            over += u64::from(v > threshold);
        }
        (*s1, *s2, *s3, *s4) = (a1, a2, a3, a4);
        self.over_threshold += over;
        self.histogram.record_all(values);
    }

    /// Add another series' trials after this one's (with the same bins).
    fn add(&mut self, other: &SeriesTally) {
        self.histogram.add(&other.histogram);
        let (m, o) = (&mut self.moments, &other.moments);
        m.s1 += o.s1;
        m.s2 += o.s2;
        m.s3 += o.s3;
        m.s4 += o.s4;
        self.over_threshold += other.over_threshold;
    }
}

/// Every series' tallies over some trials: one stream's, or several streams' added in
/// stream order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Tally {
    trials: u32,
    standalone: Vec<SeriesTally>,
    pool: SeriesTally,
    pooled_over_threshold: Vec<u64>,
}

impl Tally {
    /// Whether `other` holds the same series, with the same bins.
    fn same_series(&self, other: &Tally) -> bool {
        self.standalone.len() == other.standalone.len()
            && self.pooled_over_threshold.len() == other.pooled_over_threshold.len()
            && self.pool.histogram.same_bins(&other.pool.histogram)
            && self
                .standalone
                .iter()
                .zip(&other.standalone)
                .all(|(a, b)| a.histogram.same_bins(&b.histogram))
    }

    /// Add `other`'s trials after this one's (the same series: see `same_series`). Into
    /// an empty tally this gives `other`'s bits exactly (0 + x is x for every sum here,
    /// none of which is −0), so one stream alone keeps the bits it was drawn with.
    fn add(&mut self, other: &Tally) {
        self.pool.add(&other.pool);
        for (a, b) in self.standalone.iter_mut().zip(&other.standalone) {
            a.add(b);
        }
        for (a, b) in self
            .pooled_over_threshold
            .iter_mut()
            .zip(&other.pooled_over_threshold)
        {
            *a += b;
        }
        self.trials += other.trials;
    }
}

/// One stream's tallies, as a worker hands them back (see [`Simulation::run_stream`] and
/// [`Simulation::add_stream`]). Serialisable: the bins travel as byte strings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamTally {
    pub stream: u32,
    tally: Tally,
}

impl StreamTally {
    /// Trials in this stream.
    pub fn trials(&self) -> u32 {
        self.tally.trials
    }
}

/// Everything a simulation has accumulated: where its random stream is, and the tallies.
#[derive(Clone, Debug, PartialEq)]
pub struct SimulationState {
    /// The generator at the start of the current stream, and the one drawing now.
    stream_start: Random,
    rng: Random,
    done: u32,
    /// Every finished stream's tallies, added in stream order.
    finished: Tally,
    /// The current stream's tallies so far, from zero.
    current: Tally,
}

/// What a trial needs, worked out once from the pool.
#[derive(Clone, Debug, PartialEq)]
struct Model {
    members: Vec<MemberPlan>,
    shock: Option<Gamma>,
    /// √(1 − ρ); `None` when ρ = 0 (no shared normal is drawn).
    own_loading: Option<f64>,
    total_expected: f64,
    threshold: f64,
    /// Each series' standard deviation from the normal approximation (the histograms'
    /// scale): the members', then the pool's.
    standalone_sd: Vec<f64>,
    pool_sd: f64,
}

/// A pooling simulation that runs in chunks (so a page can show progress and cancel),
/// or stream by stream on several threads.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    pool: Pool,
    model: Model,
    total_budget: Pence,
    total_people: u64,
    state: SimulationState,
}

/// The normal approximation for one series, as shares of budget.
#[derive(Clone, Copy, Debug, PartialEq)]
struct NormalFigures {
    sd: f64,
}

impl Model {
    /// Tallies with no trials yet, each series binned by its normal approximation.
    fn empty_tally(&self) -> Tally {
        Tally {
            trials: 0,
            standalone: self
                .standalone_sd
                .iter()
                .map(|&sd| SeriesTally::new(sd))
                .collect(),
            pool: SeriesTally::new(self.pool_sd),
            pooled_over_threshold: vec![0; self.members.len()],
        }
    }

    /// Room for a block of trials' overspends: a row of [`BLOCK`] per member, then the pool's.
    fn block(&self) -> Vec<f64> {
        vec![0.0; (self.members.len() + 1) * BLOCK]
    }

    /// Draw `trials` trials from `rng` and add them to `tally`, a block at a time: drawn
    /// trial by trial (the stream's fixed order), then tallied series by series, so each
    /// series' sums stay in registers. Every sum still adds the trials in order, so the
    /// blocks change no bit of any result.
    fn run_trials(&self, rng: &mut Random, tally: &mut Tally, block: &mut [f64], trials: u32) {
        let mut left = trials as usize;
        while left > 0 {
            let len = left.min(BLOCK);
            self.draw_block(rng, block, len);
            self.record_block(tally, block, len);
            left -= len;
        }
        tally.trials += trials;
    }

    /// Draw `len` trials into `block`: row i (of [`BLOCK`]) member i's overspend as a
    /// share of its budget, the last row the pool's. Never inlined: a browser compiles a
    /// wasm function quickly first and optimises it once it has been called often, and
    /// cannot switch a running call over, so the hot loop lives in a function called
    /// once per block, not once per chunk.
    #[inline(never)]
    fn draw_block(&self, rng: &mut Random, block: &mut [f64], len: usize) {
        let inverse_total_expected = 1.0 / self.total_expected;
        let (own_rows, pool_row) = block.split_at_mut(self.members.len() * BLOCK);
        for t in 0..len {
            let shock = match &self.shock {
                Some(g) => g.sample(rng),
                None => 1.0,
            };
            let shared = match self.own_loading {
                Some(_) => rng.normal(),
                None => 0.0,
            };
            let mut total = 0.0;
            for (m, row) in self.members.iter().zip(own_rows.chunks_exact_mut(BLOCK)) {
                let mut cost = m.cost.sample(rng);
                if let Some(own) = self.own_loading {
                    let mixed = m.expected + own * (cost - m.expected) + m.shared_loading * shared;
                    // Floored at 0 by a branch: wasm has no instruction for `f64::max`.
                    cost = if mixed > 0.0 { mixed } else { 0.0 };
                }
                let cost = cost * shock;
                total += cost;
                if let Some(slot) = row.get_mut(t) {
                    *slot = cost * m.inverse_expected - 1.0;
                }
            }
            if let Some(slot) = pool_row.get_mut(t) {
                *slot = total * inverse_total_expected - 1.0;
            }
        }
    }

    /// Add the first `len` trials of each row of `block` to its series' tallies (never
    /// inlined, as `draw_block`).
    #[inline(never)]
    fn record_block(&self, tally: &mut Tally, block: &[f64], len: usize) {
        let threshold = self.threshold;
        let mut rows = block
            .chunks_exact(BLOCK)
            .map(|row| row.get(..len).unwrap_or(&[]));
        for (series, row) in tally.standalone.iter_mut().zip(&mut rows) {
            series.record_all(row, threshold);
        }
        let pool_row = rows.next().unwrap_or(&[]);
        let pool_over_before = tally.pool.over_threshold;
        tally.pool.record_all(pool_row, threshold);
        let pool_over = tally.pool.over_threshold - pool_over_before;
        for (m, over) in self
            .members
            .iter()
            .zip(tally.pooled_over_threshold.iter_mut())
        {
            let k = m.pooled_factor;
            // kᵢ is exactly 1 under risk-adjusted shares, and under population shares when
            // every member's cost per head is the same: then 1 × p is p, and the pool's own
            // count is the member's, with no pass over the block of its own.
            *over += if k == 1.0 {
                pool_over
            } else {
                pool_row.iter().filter(|&&p| k * p > threshold).count() as u64
            };
        }
    }
}

/// Standalone: Var Tᵢ/Bᵢ² = ((1+s²)Vᵢ + s²Eᵢ²)/Eᵢ².
fn standalone_normal(pool: &Pool, members: &[MemberPlan], i: usize) -> NormalFigures {
    let s2 = pool.common_shock * pool.common_shock;
    let Some(m) = members.get(i) else {
        return NormalFigures { sd: f64::NAN };
    };
    let cv = m.sd / m.expected;
    NormalFigures {
        sd: ((1.0 + s2) * cv * cv + s2).sqrt(),
    }
}

/// The pool: Var ΣTᵢ = (1+s²)(Σσᵢ² + ρ((Σσᵢ)² − Σσᵢ²)) + s²(ΣEᵢ)², over (ΣBᵢ)².
fn pool_normal(pool: &Pool, members: &[MemberPlan], total_expected: f64) -> NormalFigures {
    let s2 = pool.common_shock * pool.common_shock;
    let rho = pool.correlation;
    let sum_var: f64 = members.iter().map(|m| m.sd * m.sd).sum();
    let sum_sd: f64 = members.iter().map(|m| m.sd).sum();
    let own = sum_var + rho * (sum_sd * sum_sd - sum_var);
    let variance = (1.0 + s2) * own + s2 * total_expected * total_expected;
    NormalFigures {
        sd: variance.sqrt() / total_expected,
    }
}

impl Simulation {
    /// Work out every constant the trials need. The pool is valid ([`Pool::problems`]
    /// found nothing): this does not check it again, and an invalid one is an error here
    /// or later, never a panic.
    pub fn new(pool: &Pool) -> Result<Simulation, MoneyError> {
        let total_people: u64 = pool.members.iter().map(|m| m.population).sum();
        let budgets = pool
            .members
            .iter()
            .map(|m| m.cost_per_head.checked_mul_int(m.population as i64))
            .collect::<Result<Vec<Pence>, MoneyError>>()?;
        let total_budget = money::sum(budgets.iter().copied())?;
        let rho = pool.correlation;
        let mut members = Vec::with_capacity(pool.members.len());
        for (m, &budget) in pool.members.iter().zip(&budgets) {
            let mu = m.cost_per_head.pence() as f64;
            let c2 = m.cost_variation * m.cost_variation;
            let n = m.population as f64;
            // No cost distribution (a variation or cost of 0, which validation refuses).
            let cost = Gamma::new(n / c2, mu * c2).ok_or(MoneyError::NotFinite)?;
            let (weight, weight_units, pooled_factor) = match pool.contributions {
                ContributionBasis::PopulationShare => {
                    let num = m.population as i128 * total_budget.pence() as i128;
                    let den = total_people as i128 * budget.pence() as i128;
                    (
                        m.population as f64 / total_people as f64,
                        m.population,
                        num as f64 / den as f64,
                    )
                }
                ContributionBasis::RiskAdjustedShare => (
                    budget.pence() as f64 / total_budget.pence() as f64,
                    budget.pence().unsigned_abs(),
                    1.0,
                ),
            };
            let sd = cost.variance().sqrt();
            members.push(MemberPlan {
                cost,
                budget,
                expected: budget.pence() as f64,
                inverse_expected: 1.0 / budget.pence() as f64,
                sd,
                shared_loading: rho.sqrt() * sd,
                weight,
                weight_units,
                pooled_factor,
            });
        }
        let shock = if pool.common_shock > 0.0 {
            Gamma::with_mean_cv(1.0, pool.common_shock)
        } else {
            None
        };
        let own_loading = (rho > 0.0).then(|| (1.0 - rho).sqrt());
        let total_expected = total_budget.pence() as f64;
        let standalone_sd = (0..members.len())
            .map(|i| standalone_normal(pool, &members, i).sd)
            .collect();
        let pool_sd = pool_normal(pool, &members, total_expected).sd;
        let model = Model {
            members,
            shock,
            own_loading,
            total_expected,
            threshold: pool.overspend_threshold,
            standalone_sd,
            pool_sd,
        };
        let rng = Random::seed_from_u64(pool.seed);
        Ok(Simulation {
            state: SimulationState {
                stream_start: rng.clone(),
                rng,
                done: 0,
                finished: model.empty_tally(),
                current: model.empty_tally(),
            },
            pool: pool.clone(),
            model,
            total_budget,
            total_people,
        })
    }

    /// (trials run, trials asked for).
    pub fn progress(&self) -> (u32, u32) {
        (self.state.done, self.pool.trials)
    }

    pub fn is_finished(&self) -> bool {
        self.state.done >= self.pool.trials
    }

    pub fn state(&self) -> &SimulationState {
        &self.state
    }

    /// Run up to `trials` more trials (never past the number asked for); returns how
    /// many ran. Chunk sizes never change the results: each stream's trials are drawn
    /// in order, and a stream's tallies join the finished ones when it ends.
    pub fn run_chunk(&mut self, trials: u32) -> u32 {
        let run = trials.min(self.pool.trials.saturating_sub(self.state.done));
        let mut block = self.model.block();
        let mut left = run;
        while left > 0 {
            let in_stream = STREAM_TRIALS - self.state.done % STREAM_TRIALS;
            let n = left.min(in_stream);
            let state = &mut self.state;
            self.model
                .run_trials(&mut state.rng, &mut state.current, &mut block, n);
            state.done += n;
            left -= n;
            if state.done % STREAM_TRIALS == 0 || state.done >= self.pool.trials {
                self.end_stream();
            }
        }
        run
    }

    /// The current stream is over: add its tallies to the finished streams' and move
    /// the generator to the next stream.
    fn end_stream(&mut self) {
        let state = &mut self.state;
        let current = std::mem::replace(&mut state.current, self.model.empty_tally());
        state.finished.add(&current);
        state.stream_start.jump();
        state.rng = state.stream_start.clone();
    }

    /// How many streams the trials asked for fill (the last may be shorter).
    pub fn streams(&self) -> u32 {
        self.pool.trials.div_ceil(STREAM_TRIALS)
    }

    /// Run stream `stream` alone, from its own start (a worker's share of a run): the
    /// same tallies whichever thread runs it and whatever ran before. `None` if the run
    /// has no such stream.
    pub fn run_stream(&self, stream: u32) -> Option<StreamTally> {
        if stream >= self.streams() {
            return None;
        }
        let first = stream * STREAM_TRIALS;
        let trials = (self.pool.trials - first).min(STREAM_TRIALS);
        let mut rng = Random::seed_from_u64(self.pool.seed);
        for _ in 0..stream {
            rng.jump();
        }
        let mut tally = self.model.empty_tally();
        let mut block = self.model.block();
        self.model
            .run_trials(&mut rng, &mut tally, &mut block, trials);
        Some(StreamTally { stream, tally })
    }

    /// The stream that [`Simulation::add_stream`] takes next.
    pub fn next_stream(&self) -> u32 {
        self.state.done.div_ceil(STREAM_TRIALS)
    }

    /// Add the next stream's tallies (from [`Simulation::run_stream`], here or on another
    /// thread), exactly as if its trials had been run here. Streams must come in order,
    /// each whole, with no chunk of a stream run here in between, and be this pool's (the
    /// same series and bins): otherwise false, and nothing is added.
    pub fn add_stream(&mut self, stream: &StreamTally) -> bool {
        let fits = self.state.current.trials == 0
            && !self.is_finished()
            && stream.stream == self.next_stream()
            && stream.trials() == (self.pool.trials - self.state.done).min(STREAM_TRIALS)
            && self.state.finished.same_series(&stream.tally);
        if fits {
            self.state.finished.add(&stream.tally);
            self.state.done += stream.trials();
            self.state.stream_start.jump();
            self.state.rng = self.state.stream_start.clone();
        }
        fits
    }

    /// Run every remaining trial.
    pub fn run_to_end(&mut self) {
        while !self.is_finished() {
            self.run_chunk(100_000);
        }
    }

    /// The tallies of every trial so far: the finished streams', and the current one's.
    fn tally(&self) -> std::borrow::Cow<'_, Tally> {
        use std::borrow::Cow;
        let state = &self.state;
        if state.current.trials == 0 {
            Cow::Borrowed(&state.finished)
        } else if state.finished.trials == 0 {
            Cow::Borrowed(&state.current)
        } else {
            // Added into an empty tally rather than cloned: the same bits, less code.
            let mut both = self.model.empty_tally();
            both.add(&state.finished);
            both.add(&state.current);
            Cow::Owned(both)
        }
    }

    fn standalone_normal(&self, i: usize) -> NormalFigures {
        standalone_normal(&self.pool, &self.model.members, i)
    }

    fn pool_normal(&self) -> NormalFigures {
        pool_normal(&self.pool, &self.model.members, self.model.total_expected)
    }

    /// The results so far: a first estimate after any chunk, refining as trials run.
    /// Before any trial there is nothing to average ([`MoneyError::NoWeights`]).
    pub fn summary(&self) -> Result<PoolingResult, MoneyError> {
        let n = self.state.done;
        if n == 0 {
            return Err(MoneyError::NoWeights);
        }
        let threshold = self.pool.overspend_threshold;
        let tally = self.tally();
        let pool_fractions = Fractions::of(&tally.pool);
        let pool_amounts = pool_fractions.amounts(self.total_budget)?;
        let pool_normal = self.pool_normal();
        let pool_normal_amounts = NormalAmounts::of(pool_normal.sd, self.total_budget)?;
        let weights: Vec<u64> = self.model.members.iter().map(|m| m.weight_units).collect();
        let pooled_amounts = pool_amounts.apportion(&weights)?;
        let pooled_normal_amounts = pool_normal_amounts.apportion(&weights)?;

        let mut members = Vec::with_capacity(self.model.members.len());
        for (i, (plan, input)) in self
            .model
            .members
            .iter()
            .zip(&self.pool.members)
            .enumerate()
        {
            let (Some(series), Some(&pooled_over), Some(pooled_amounts), Some(pooled_normal)) = (
                tally.standalone.get(i),
                tally.pooled_over_threshold.get(i),
                pooled_amounts.get(i),
                pooled_normal_amounts.get(i),
            ) else {
                continue;
            };
            let own = Fractions::of(series);
            let own_amounts = own.amounts(plan.budget)?;
            let pooled = pool_fractions.scaled(plan.pooled_factor);
            let who = Who {
                name: &input.name,
                budget: plan.budget,
                threshold,
                trials: n,
            };
            let standalone_normal = self.standalone_normal(i);
            members.push(MemberRisk {
                name: input.name.clone(),
                population: input.population,
                budget: plan.budget,
                contribution_share: plan.weight,
                standalone: risk_figures(
                    &who,
                    Setting::Standalone,
                    &own,
                    series.over_threshold,
                    &own_amounts,
                ),
                pooled: risk_figures(
                    &who,
                    Setting::Pooled {
                        basis: self.pool.contributions,
                        share: plan.weight,
                    },
                    &pooled,
                    pooled_over,
                    pooled_amounts,
                ),
                standalone_normal: normal_approximation(
                    &who,
                    Setting::Standalone,
                    standalone_normal.sd,
                    &NormalAmounts::of(standalone_normal.sd, plan.budget)?,
                    Some(input),
                    &self.pool,
                ),
                pooled_normal: normal_approximation(
                    &who,
                    Setting::Pooled {
                        basis: self.pool.contributions,
                        share: plan.weight,
                    },
                    pool_normal.sd * plan.pooled_factor,
                    pooled_normal,
                    None,
                    &self.pool,
                ),
            });
        }
        let pool_name = "the pool as a whole";
        let who = Who {
            name: pool_name,
            budget: self.total_budget,
            threshold,
            trials: n,
        };
        Ok(PoolingResult {
            trials: n,
            trials_requested: self.pool.trials,
            seed: self.pool.seed,
            overspend_threshold: threshold,
            contributions: self.pool.contributions,
            model: self.model_working(),
            members,
            pool: PoolRisk {
                people: self.total_people,
                budget: self.total_budget,
                figures: risk_figures(
                    &who,
                    Setting::Whole,
                    &pool_fractions,
                    tally.pool.over_threshold,
                    &pool_amounts,
                ),
                normal: normal_approximation(
                    &who,
                    Setting::Whole,
                    pool_normal.sd,
                    &pool_normal_amounts,
                    None,
                    &self.pool,
                ),
            },
        })
    }

    /// Each member's overspend (as a share of its budget) on its own and in the pool, as
    /// the share of trials in each of `bins` equal bins over one range for both: from the
    /// lower of the two 0.1th percentiles to the higher of the two 99.9th (so 0.1 % of
    /// trials or so lie beyond each end). Read from the same histograms as the
    /// percentiles; empty before any trial has run.
    pub fn distributions(&self, bins: usize) -> Vec<OverspendDistribution> {
        let bins = bins.clamp(1, 1_000);
        if self.state.done == 0 {
            return Vec::new();
        }
        let tally = self.tally();
        let pool = tally.pool.histogram.distribution();
        self.model
            .members
            .iter()
            .zip(&self.pool.members)
            .zip(&tally.standalone)
            .map(|((plan, input), tally)| {
                let own = tally.histogram.distribution();
                let k = plan.pooled_factor;
                let pooled_below = |x: f64| {
                    if k > 0.0 {
                        pool.share_below(x / k)
                    } else {
                        f64::from(u8::from(x >= 0.0))
                    }
                };
                let low = own.quantile(0.001).min(k * pool.quantile(0.001));
                let high = own.quantile(0.999).max(k * pool.quantile(0.999));
                let (low, high) = if high > low {
                    (low, high)
                } else {
                    (low - 0.01, low + 0.01)
                };
                let width = (high - low) / bins as f64;
                let edges: Vec<f64> = (0..=bins).map(|i| low + width * i as f64).collect();
                let shares = |below: &dyn Fn(f64) -> f64| -> Vec<f64> {
                    edges
                        .windows(2)
                        .map(|w| below(w[1]) - below(w[0]))
                        .collect()
                };
                OverspendDistribution {
                    name: input.name.clone(),
                    standalone: shares(&|x| own.share_below(x)),
                    pooled: shares(&pooled_below),
                    edges,
                }
            })
            .collect()
    }

    fn model_working(&self) -> Working {
        let p = &self.pool;
        let mut formula = String::from(
            "each member's annual cost is drawn as Gamma(shape population ÷ c², scale cost per \
             head × c²), the exact total of that many people whose costs each have that mean \
             and coefficient of variation c",
        );
        if p.correlation > 0.0 {
            formula.push_str(
                "; its own variation is mixed with one shared normal factor so any two \
                 members' costs are correlated by the correlation, keeping each mean and \
                 variance",
            );
        }
        if p.common_shock > 0.0 {
            formula.push_str(
                "; then every member's cost is multiplied by one common shock (Gamma, mean 1, \
                 coefficient of variation the common shock)",
            );
        }
        formula.push_str(
            ". A member's budget is its expected cost, population × cost per head. On its own \
             a member bears its own overspend; in the pool, it bears its contribution share \
             of the pool's overspend.",
        );
        let (done, asked) = self.progress();
        let value = if done < asked {
            format!(
                "{} of {} trials (a first estimate), seed {}",
                people(done as f64),
                people(asked as f64),
                p.seed
            )
        } else {
            format!("{} trials, seed {}", people(done as f64), p.seed)
        };
        Working::new("How the pooling simulation works", value, formula)
            .input("Trials run", people(done as f64))
            .input("Trials asked for", people(asked as f64))
            .input("Seed", p.seed.to_string())
            .input("Common shock", percent(p.common_shock, 1))
            .input("Correlation", format!("{:.2}", p.correlation))
            .input("Contributions", p.contributions.words())
            .input("Overspend threshold", percent(p.overspend_threshold, 1))
    }
}

/// One member's overspend distribution on its own and in the pool (see
/// [`Simulation::distributions`]): shares of budget, and shares of trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverspendDistribution {
    pub name: String,
    /// The bins' edges, as overspends as a share of budget (one more than the bins).
    pub edges: Vec<f64>,
    /// The share of trials in each bin, on its own.
    pub standalone: Vec<f64>,
    /// The share of trials in each bin, in the pool.
    pub pooled: Vec<f64>,
}

/// The normal approximation's 5th–95th percentile spread of a member's outturn, as a
/// share of its expected cost, for `population` people whose annual costs have
/// coefficient of variation `cost_variation`, under a common shock `common_shock`:
/// 2 × 1.645 × √((1 + s²) c² ÷ N + s²). Without a shock it falls as 1/√N; the shock
/// sets the floor pooling cannot remove, 2 × 1.645 × s. (What the simulation's
/// `standalone_normal.spread` is for a member of that size.)
pub fn normal_spread(population: f64, cost_variation: f64, common_shock: f64) -> f64 {
    if population.is_nan() || population <= 0.0 {
        return f64::NAN;
    }
    let s2 = common_shock * common_shock;
    let c2 = cost_variation * cost_variation;
    2.0 * Z_90_ONE_SIDED * ((1.0 + s2) * c2 / population + s2).sqrt()
}

/// Run a pool's simulation to the end.
pub fn simulate(pool: &Pool) -> Result<PoolingResult, MoneyError> {
    simulate_at_most(pool, pool.trials)
}

/// Run at most `max_trials` of a pool's trials (a quick first estimate: the first
/// `max_trials` trials of the full run, so it is exactly what a chunked run shows then).
pub fn simulate_at_most(pool: &Pool, max_trials: u32) -> Result<PoolingResult, MoneyError> {
    let mut sim = Simulation::new(pool)?;
    let mut left = max_trials.min(pool.trials);
    while left > 0 {
        let ran = sim.run_chunk(left.min(100_000));
        if ran == 0 {
            break;
        }
        left -= ran;
    }
    sim.summary()
}

/// A percentile with its binomial order-statistic 95 % interval (shares of budget).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Percentile {
    /// 0.05, 0.5, 0.95.
    pub level: f64,
    /// The overspend at this percentile, as a share of budget (negative: underspend).
    pub share_of_budget: f64,
    pub amount: Pence,
    pub low_95: f64,
    pub high_95: f64,
}

/// A mean-like statistic and its standard error.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub standard_error: f64,
}

/// A probability and the half-width of its 95 % interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Probability {
    pub value: f64,
    pub margin_95: f64,
    /// Trials in which it happened.
    pub trials_over: u64,
}

/// The 5th–95th percentile spread.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub share_of_expected_cost: f64,
    pub amount: Pence,
    /// The narrowest and widest spread the percentiles' 95 % intervals allow.
    pub low_95: f64,
    pub high_95: f64,
}

/// Mean overspend in the worst 5 % of trials.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shortfall {
    pub share_of_budget: f64,
    pub amount: Pence,
    pub standard_error: f64,
}

/// What the simulation found for one member in one setting (or for the whole pool).
/// Shares are of the member's budget (its expected cost).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskFigures {
    pub probability_over_threshold: Probability,
    pub mean_overspend: Estimate,
    pub standard_deviation: Estimate,
    pub percentile_5: Percentile,
    pub median: Percentile,
    pub percentile_95: Percentile,
    pub spread: Spread,
    pub expected_shortfall: Shortfall,
    /// The working for the probability, the spread and the expected shortfall.
    pub workings: Vec<Working>,
}

/// The normal approximation from the exact mean and variance, shown beside the simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NormalApproximation {
    /// Standard deviation of the overspend, as a share of budget.
    pub standard_deviation: f64,
    pub standard_deviation_amount: Pence,
    pub probability_over_threshold: f64,
    /// 2 × 1.645 × standard deviation, as a share of expected cost.
    pub spread: f64,
    pub spread_amount: Pence,
    /// σ × φ(1.645) ÷ 0.05 ≈ 2.063σ, as a share of budget.
    pub expected_shortfall: f64,
    pub working: Working,
}

/// One member, standalone and pooled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberRisk {
    pub name: String,
    pub population: u64,
    /// Its budget: its expected cost, population × cost per head.
    pub budget: Pence,
    /// Its share of the pool's overspend (wᵢ).
    pub contribution_share: f64,
    pub standalone: RiskFigures,
    pub pooled: RiskFigures,
    pub standalone_normal: NormalApproximation,
    pub pooled_normal: NormalApproximation,
}

/// The pool as a whole (what all members bear together).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolRisk {
    pub people: u64,
    pub budget: Pence,
    pub figures: RiskFigures,
    pub normal: NormalApproximation,
}

/// A pooling simulation's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolingResult {
    /// Trials run so far (fewer than asked for in a first estimate).
    pub trials: u32,
    pub trials_requested: u32,
    pub seed: u64,
    pub overspend_threshold: f64,
    pub contributions: ContributionBasis,
    /// How the simulation works, with its settings.
    pub model: Working,
    pub members: Vec<MemberRisk>,
    pub pool: PoolRisk,
}

/// A quantile's estimate and interval, as shares of budget.
#[derive(Clone, Copy, Debug, PartialEq)]
struct QuantileFraction {
    value: f64,
    low: f64,
    high: f64,
}

/// A series' statistics as shares of budget, before any amounts.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Fractions {
    n: u64,
    mean: f64,
    mean_se: f64,
    sd: f64,
    sd_se: f64,
    p5: QuantileFraction,
    p50: QuantileFraction,
    p95: QuantileFraction,
    shortfall: f64,
    shortfall_se: f64,
}

impl Fractions {
    fn of(tally: &SeriesTally) -> Fractions {
        let m = &tally.moments;
        let count = tally.histogram.count();
        let n = count.max(1) as f64;
        let mean = m.s1 / n;
        let (e2, e3, e4) = (m.s2 / n, m.s3 / n, m.s4 / n);
        let central2 = (e2 - mean * mean).max(0.0);
        let mean2 = mean * mean;
        let central4 = (e4 - 4.0 * mean * e3 + 6.0 * mean2 * e2 - 3.0 * mean2 * mean2).max(0.0);
        let variance = if count > 1 {
            central2 * n / (n - 1.0)
        } else {
            0.0
        };
        let sd = variance.sqrt();
        let var_se = ((central4 - central2 * central2).max(0.0) / n).sqrt();
        let h = tally.histogram.distribution();
        let quantile = |p: f64| {
            let centre = p * n;
            let half = Z_95 * (centre * (1.0 - p)).sqrt();
            QuantileFraction {
                value: h.quantile(p),
                low: h.value_at_rank(centre - half),
                high: h.value_at_rank(centre + half),
            }
        };
        let p95 = quantile(1.0 - SHORTFALL_TAIL);
        let tail = h.upper_tail(SHORTFALL_TAIL);
        let excess = tail.mean - p95.value;
        let shortfall_se = ((tail.variance + (1.0 - SHORTFALL_TAIL) * excess * excess)
            / (SHORTFALL_TAIL * n))
            .sqrt();
        Fractions {
            n: count,
            mean,
            mean_se: sd / n.sqrt(),
            sd,
            sd_se: if sd > 0.0 { var_se / (2.0 * sd) } else { 0.0 },
            p5: quantile(SHORTFALL_TAIL),
            p50: quantile(0.5),
            p95,
            shortfall: tail.mean,
            shortfall_se,
        }
    }

    /// The same series multiplied by k > 0 (a pooled member's share of the pool's).
    fn scaled(&self, k: f64) -> Fractions {
        let q = |x: QuantileFraction| QuantileFraction {
            value: x.value * k,
            low: x.low * k,
            high: x.high * k,
        };
        Fractions {
            n: self.n,
            mean: self.mean * k,
            mean_se: self.mean_se * k,
            sd: self.sd * k,
            sd_se: self.sd_se * k,
            p5: q(self.p5),
            p50: q(self.p50),
            p95: q(self.p95),
            shortfall: self.shortfall * k,
            shortfall_se: self.shortfall_se * k,
        }
    }

    fn amounts(&self, budget: Pence) -> Result<Amounts, MoneyError> {
        let pence = |share: f64| money::round_half_away(share * budget.pence() as f64).map(Pence);
        Ok(Amounts {
            p5: pence(self.p5.value)?,
            p50: pence(self.p50.value)?,
            p95: pence(self.p95.value)?,
            shortfall: pence(self.shortfall)?,
        })
    }
}

/// A series' figures in pence (the spread is p95 − p5, so it always matches them).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Amounts {
    p5: Pence,
    p50: Pence,
    p95: Pence,
    shortfall: Pence,
}

impl Amounts {
    fn spread(&self) -> Result<Pence, MoneyError> {
        self.p95.checked_sub(self.p5)
    }

    /// Split each pool amount among the members by their contribution weights.
    fn apportion(&self, weights: &[u64]) -> Result<Vec<Amounts>, MoneyError> {
        let p5 = money::apportion(self.p5, weights)?;
        let p50 = money::apportion(self.p50, weights)?;
        let p95 = money::apportion(self.p95, weights)?;
        let shortfall = money::apportion(self.shortfall, weights)?;
        Ok((0..weights.len())
            .filter_map(|i| {
                Some(Amounts {
                    p5: *p5.get(i)?,
                    p50: *p50.get(i)?,
                    p95: *p95.get(i)?,
                    shortfall: *shortfall.get(i)?,
                })
            })
            .collect())
    }
}

/// The normal approximation's figures in pence.
#[derive(Clone, Copy, Debug, PartialEq)]
struct NormalAmounts {
    sd: Pence,
    spread: Pence,
}

impl NormalAmounts {
    fn of(sd: f64, budget: Pence) -> Result<NormalAmounts, MoneyError> {
        let sd_amount = money::round_half_away(sd * budget.pence() as f64).map(Pence)?;
        let spread =
            money::round_half_away(2.0 * Z_90_ONE_SIDED * sd * budget.pence() as f64).map(Pence)?;
        Ok(NormalAmounts {
            sd: sd_amount,
            spread,
        })
    }

    fn apportion(&self, weights: &[u64]) -> Result<Vec<NormalAmounts>, MoneyError> {
        let sd = money::apportion(self.sd, weights)?;
        let spread = money::apportion(self.spread, weights)?;
        Ok(sd
            .into_iter()
            .zip(spread)
            .map(|(sd, spread)| NormalAmounts { sd, spread })
            .collect())
    }
}

/// Whose figures, for the workings.
struct Who<'a> {
    name: &'a str,
    budget: Pence,
    threshold: f64,
    trials: u32,
}

#[derive(Clone, Copy)]
enum Setting {
    Standalone,
    Pooled {
        basis: ContributionBasis,
        share: f64,
    },
    Whole,
}

impl Setting {
    fn label(self) -> &'static str {
        match self {
            Setting::Standalone => "on its own",
            Setting::Pooled { .. } => "in the pool",
            Setting::Whole => "all members together",
        }
    }
}

fn points(x: f64) -> String {
    format!("{:.2} percentage points", x * 100.0)
}

fn risk_figures(
    who: &Who,
    setting: Setting,
    f: &Fractions,
    over: u64,
    amounts: &Amounts,
) -> RiskFigures {
    let n = f.n.max(1) as f64;
    let p = over as f64 / n;
    let margin = if over == 0 || over >= f.n {
        3.0 / n
    } else {
        Z_95 * (p * (1.0 - p) / n).sqrt()
    };
    let percentile = |level: f64, q: QuantileFraction, amount: Pence| Percentile {
        level,
        share_of_budget: q.value,
        amount,
        low_95: q.low,
        high_95: q.high,
    };
    let spread_amount = amounts.spread().unwrap_or(Pence::ZERO);
    let spread = Spread {
        share_of_expected_cost: f.p95.value - f.p5.value,
        amount: spread_amount,
        low_95: (f.p95.low - f.p5.high).max(0.0),
        high_95: f.p95.high - f.p5.low,
    };
    let (name, label) = (who.name, setting.label());
    let threshold = percent(who.threshold, 1);
    let whose = match setting {
        Setting::Standalone => "the member's cost".to_string(),
        Setting::Pooled { basis, share } => format!(
            "the member's share ({}, {}) of the pool's overspend",
            basis.words(),
            percent(share, 2)
        ),
        Setting::Whole => "all members' costs together".to_string(),
    };
    let probability = Working::new(
        format!("Chance that {name} overspends by more than {threshold} ({label})"),
        format!("{} ± {}", percent(p, 2), points(margin)),
        format!(
            "trials in which {whose} was more than {threshold} over budget ÷ trials; 95 % margin \
             1.96 × √(p × (1 − p) ÷ trials) (3 ÷ trials when it never or always happened)"
        ),
    )
    .input("Budget (expected cost)", who.budget.display_pounds())
    .input("Trials over", people(over as f64))
    .input("Trials", people(who.trials as f64));
    let spread_working = Working::new(
        format!("Spread of {name}'s outturn, 5th to 95th percentile ({label})"),
        format!(
            "{} of expected cost ({})",
            percent(spread.share_of_expected_cost, 2),
            spread_amount.display_pounds()
        ),
        format!(
            "95th percentile − 5th percentile of {whose} minus budget, over the trials; 95 % \
             interval {} to {} from the percentiles' order-statistic intervals",
            percent(spread.low_95, 2),
            percent(spread.high_95, 2)
        ),
    )
    .input(
        "5th percentile",
        format!(
            "{} ({})",
            amounts.p5.display_pounds(),
            percent(f.p5.value, 2)
        ),
    )
    .input(
        "95th percentile",
        format!(
            "{} ({})",
            amounts.p95.display_pounds(),
            percent(f.p95.value, 2)
        ),
    )
    .input("Expected cost", who.budget.display_pounds());
    let shortfall_working = Working::new(
        format!("Expected shortfall of {name} in the worst 5 % of years ({label})"),
        format!(
            "{} ({} of budget)",
            amounts.shortfall.display_pounds(),
            percent(f.shortfall, 2)
        ),
        format!(
            "mean overspend over the worst 5 % of trials; standard error {} (Manistre & Hancock \
             2005)",
            points(f.shortfall_se)
        ),
    )
    .input("Budget (expected cost)", who.budget.display_pounds())
    .input("Trials", people(who.trials as f64));
    RiskFigures {
        probability_over_threshold: Probability {
            value: p,
            margin_95: margin,
            trials_over: over,
        },
        mean_overspend: Estimate {
            value: f.mean,
            standard_error: f.mean_se,
        },
        standard_deviation: Estimate {
            value: f.sd,
            standard_error: f.sd_se,
        },
        percentile_5: percentile(SHORTFALL_TAIL, f.p5, amounts.p5),
        median: percentile(0.5, f.p50, amounts.p50),
        percentile_95: percentile(1.0 - SHORTFALL_TAIL, f.p95, amounts.p95),
        spread,
        expected_shortfall: Shortfall {
            share_of_budget: f.shortfall,
            amount: amounts.shortfall,
            standard_error: f.shortfall_se,
        },
        workings: vec![probability, spread_working, shortfall_working],
    }
}

/// P(Z > z) for a standard normal.
fn normal_upper_tail(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

fn normal_approximation(
    who: &Who,
    setting: Setting,
    sd: f64,
    amounts: &NormalAmounts,
    member: Option<&PoolMember>,
    pool: &Pool,
) -> NormalApproximation {
    let probability = if sd > 0.0 {
        normal_upper_tail(who.threshold / sd)
    } else {
        0.0
    };
    let density_at_95 =
        libm::exp(-0.5 * Z_90_ONE_SIDED * Z_90_ONE_SIDED) / (2.0 * std::f64::consts::PI).sqrt();
    let shortfall = sd * density_at_95 / SHORTFALL_TAIL;
    let formula = match setting {
        Setting::Standalone => {
            "cost variance population × cost per head² × c², times (1 + s²), plus s² × \
             expected cost² for a common shock s; standard deviation ÷ budget"
        }
        Setting::Pooled { .. } => {
            "the member's contribution share × the pool's standard deviation, ÷ its budget"
        }
        Setting::Whole => {
            "pool variance (1 + s²)(Σ member variances + correlation × Σ over pairs of \
             σᵢσⱼ) + s² × expected cost²; standard deviation ÷ budget"
        }
    };
    let mut working = Working::new(
        format!(
            "Normal approximation for {} ({})",
            who.name,
            setting.label()
        ),
        format!(
            "standard deviation {} of budget ({}); chance of more than {} over {}; spread {}",
            percent(sd, 2),
            amounts.sd.display_pounds(),
            percent(who.threshold, 1),
            percent(probability, 2),
            percent(2.0 * Z_90_ONE_SIDED * sd, 2)
        ),
        format!(
            "{formula}; chance = P(Z > threshold ÷ standard deviation); spread = 2 × 1.645 × \
             standard deviation"
        ),
    )
    .input("Budget (expected cost)", who.budget.display_pounds());
    if let Some(m) = member {
        working = working
            .input("Population", people(m.population as f64))
            .input("Cost per head", m.cost_per_head.display())
            .input("Cost variation c", format!("{}", m.cost_variation));
    }
    if pool.common_shock > 0.0 {
        working = working.input("Common shock s", percent(pool.common_shock, 1));
    }
    if pool.correlation > 0.0 && !matches!(setting, Setting::Standalone) {
        working = working.input("Correlation", format!("{:.2}", pool.correlation));
    }
    NormalApproximation {
        standard_deviation: sd,
        standard_deviation_amount: amounts.sd,
        probability_over_threshold: probability,
        spread: 2.0 * Z_90_ONE_SIDED * sd,
        spread_amount: amounts.spread,
        expected_shortfall: shortfall,
        working,
    }
}

#[cfg(test)]
mod tests;
