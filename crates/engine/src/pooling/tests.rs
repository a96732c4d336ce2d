use super::*;
use proptest::prelude::*;

/// Healthier Together's five CCGs (DOMAIN.md, populations about 2013), £1,100 a head, c = 3.
fn healthier_together(trials: u32) -> Pool {
    let member = |name: &str, population: u64| PoolMember {
        name: name.into(),
        population,
        cost_per_head: Pence(110_000),
        cost_variation: 3.0,
    };
    Pool {
        members: vec![
            member("Bedfordshire CCG", 430_000),
            member("Luton CCG", 225_000),
            member("Milton Keynes CCG", 270_000),
            member("Corby CCG", 75_000),
            member("Nene CCG", 650_000),
        ],
        common_shock: 0.02,
        correlation: 0.0,
        contributions: ContributionBasis::PopulationShare,
        overspend_threshold: 0.03,
        trials,
        seed: 2013,
    }
}

fn one_member(population: u64, cost_variation: f64, trials: u32, seed: u64) -> Pool {
    Pool {
        members: vec![PoolMember {
            name: "Practice".into(),
            population,
            cost_per_head: Pence(10_000),
            cost_variation,
        }],
        common_shock: 0.0,
        correlation: 0.0,
        contributions: ContributionBasis::RiskAdjustedShare,
        overspend_threshold: 0.03,
        trials,
        seed,
    }
}

fn json(result: &PoolingResult) -> String {
    serde_json::to_string(result).unwrap()
}

#[test]
fn the_same_seed_gives_identical_results_and_another_seed_different_ones() {
    let pool = healthier_together(3_000);
    let a = simulate(&pool).unwrap();
    let b = simulate(&pool).unwrap();
    assert_eq!(a, b);
    assert_eq!(json(&a), json(&b));
    let c = simulate(&Pool {
        seed: 2014,
        ..pool.clone()
    })
    .unwrap();
    assert_ne!(json(&a), json(&c));
    assert_ne!(
        a.members[3].standalone.percentile_95.share_of_budget,
        c.members[3].standalone.percentile_95.share_of_budget
    );
}

#[test]
fn chunk_sizes_never_change_the_results() {
    let mut pool = healthier_together(5_000);
    pool.correlation = 0.3;
    let mut whole = Simulation::new(&pool).unwrap();
    assert_eq!(whole.run_chunk(u32::MAX), 5_000);
    let mut pieces = Simulation::new(&pool).unwrap();
    for size in [1, 2, 3, 994, 1_000, 0, 7].iter().cycle() {
        if pieces.is_finished() {
            break;
        }
        pieces.run_chunk(*size);
    }
    let mut hundreds = Simulation::new(&pool).unwrap();
    while !hundreds.is_finished() {
        hundreds.run_chunk(100);
    }
    assert_eq!(whole.state(), pieces.state());
    assert_eq!(whole.state(), hundreds.state());
    let want = json(&whole.summary().unwrap());
    assert_eq!(json(&pieces.summary().unwrap()), want);
    assert_eq!(json(&hundreds.summary().unwrap()), want);
    // A first estimate is exactly the same trials' result.
    assert_eq!(
        json(&simulate_at_most(&pool, 1_000).unwrap()),
        json(&{
            let mut s = Simulation::new(&pool).unwrap();
            s.run_chunk(1_000);
            s.summary().unwrap()
        })
    );
}

/// Release only: `cargo test --release -p onebudget-engine --lib pooling -- --ignored`.
#[test]
#[ignore = "a million trials: run in release"]
fn a_million_trials_in_one_chunk_or_a_thousand_are_bit_identical() {
    let pool = healthier_together(1_000_000);
    let mut one = Simulation::new(&pool).unwrap();
    one.run_chunk(1_000_000);
    let mut many = Simulation::new(&pool).unwrap();
    for _ in 0..1_000 {
        many.run_chunk(1_000);
    }
    assert_eq!(one.state(), many.state());
    assert_eq!(
        json(&one.summary().unwrap()),
        json(&many.summary().unwrap())
    );
}

#[test]
fn progress_counts_trials_and_never_passes_the_number_asked_for() {
    let mut sim = Simulation::new(&healthier_together(250)).unwrap();
    assert_eq!(sim.progress(), (0, 250));
    assert_eq!(sim.summary(), Err(MoneyError::NoWeights));
    assert_eq!(sim.run_chunk(100), 100);
    assert_eq!(sim.summary().unwrap().trials, 100);
    assert_eq!(sim.run_chunk(1_000), 150);
    assert_eq!(sim.run_chunk(1_000), 0);
    assert_eq!(sim.progress(), (250, 250));
    let result = sim.summary().unwrap();
    assert_eq!((result.trials, result.trials_requested), (250, 250));
    assert!(result.model.value.starts_with("250 trials"));
    let first = simulate_at_most(&healthier_together(250), 50).unwrap();
    assert!(
        first.model.value.contains("first estimate"),
        "{}",
        first.model.value
    );
}

/// Crump et al. (BMJ 1991): 5th–95th spread as a share of the mean, by list size.
const CRUMP: [(u64, f64); 3] = [(9_000, 0.275), (24_000, 0.153), (179_400, 0.057)];

/// The per-person coefficient of variation that reproduces Crump's scale: the normal
/// spread is 2 × 1.645 × c ÷ √N, and their three figures imply c = 7.93, 7.20 and 7.34.
const CRUMP_COST_VARIATION: f64 = 7.5;

#[test]
fn the_spread_falls_as_one_over_root_n_and_matches_crump_et_al() {
    for (n, spread) in CRUMP {
        let implied = spread * (n as f64).sqrt() / (2.0 * Z_90_ONE_SIDED);
        assert!(
            (implied / CRUMP_COST_VARIATION - 1.0).abs() < 0.10,
            "N={n}: implied c {implied}"
        );
    }
    let sizes = [9_000u64, 24_000, 60_000, 179_400];
    let mut scaled = Vec::new();
    for (i, &n) in sizes.iter().enumerate() {
        let result = simulate(&one_member(n, CRUMP_COST_VARIATION, 20_000, 91 + i as u64)).unwrap();
        let spread = result.members[0].standalone.spread.share_of_expected_cost;
        scaled.push(spread * (n as f64).sqrt());
        if let Some(&(_, crump)) = CRUMP.iter().find(|(size, _)| *size == n) {
            assert!(
                (spread / crump - 1.0).abs() < 0.10,
                "N={n}: simulated {spread} vs Crump {crump}"
            );
        }
    }
    // spread × √N is the same constant (2 × 1.645 × c) at every size, within 10 %.
    let theory = 2.0 * Z_90_ONE_SIDED * CRUMP_COST_VARIATION;
    for (s, n) in scaled.iter().zip(sizes) {
        assert!((s / theory - 1.0).abs() < 0.10, "N={n}: {s} vs {theory}");
        assert!(
            (s / scaled[0] - 1.0).abs() < 0.10,
            "N={n}: {s} vs {}",
            scaled[0]
        );
    }
}

#[test]
fn simulated_means_and_variances_agree_with_the_analytic_values() {
    let configs: Vec<Pool> = vec![
        Pool {
            common_shock: 0.0,
            ..healthier_together(20_000)
        },
        healthier_together(20_000),
        Pool {
            common_shock: 0.05,
            correlation: 0.5,
            contributions: ContributionBasis::RiskAdjustedShare,
            ..healthier_together(20_000)
        },
        // Small, skewed members: shape 200/16 = 12.5 and 2,000/4 = 500.
        Pool {
            members: vec![
                PoolMember {
                    name: "Tiny".into(),
                    population: 200,
                    cost_per_head: Pence(50_000),
                    cost_variation: 4.0,
                },
                PoolMember {
                    name: "Small".into(),
                    population: 2_000,
                    cost_per_head: Pence(150_000),
                    cost_variation: 2.0,
                },
            ],
            common_shock: 0.0,
            correlation: 0.2,
            contributions: ContributionBasis::PopulationShare,
            overspend_threshold: 0.1,
            trials: 20_000,
            seed: 5,
        },
    ];
    for pool in configs {
        let r = simulate(&pool).unwrap();
        let check = |what: &str, figures: &RiskFigures, normal: &NormalApproximation| {
            let mean = figures.mean_overspend;
            assert!(
                mean.value.abs() < 4.0 * mean.standard_error,
                "{what}: mean {} ± {}",
                mean.value,
                mean.standard_error
            );
            let sd = figures.standard_deviation;
            assert!(
                (sd.value - normal.standard_deviation).abs() < 4.0 * sd.standard_error,
                "{what}: sd {} ± {} vs analytic {}",
                sd.value,
                sd.standard_error,
                normal.standard_deviation
            );
        };
        for m in &r.members {
            check(&m.name, &m.standalone, &m.standalone_normal);
            check(&m.name, &m.pooled, &m.pooled_normal);
        }
        check("pool", &r.pool.figures, &r.pool.normal);
    }
}

#[test]
fn pooling_helps_the_small_member_and_the_normal_approximation_is_close_for_large_ones() {
    let r = simulate(&Pool {
        common_shock: 0.0,
        overspend_threshold: 0.01,
        ..healthier_together(20_000)
    })
    .unwrap();
    let corby = &r.members[3];
    assert_eq!(corby.name, "Corby CCG");
    // c/√N = 3/√75,000 = 1.10 % alone; the pool of 1.65 million: 0.23 %.
    assert!((corby.standalone_normal.standard_deviation - 3.0 / 75_000f64.sqrt()).abs() < 1e-12);
    assert!(
        corby.pooled.probability_over_threshold.value
            < corby.standalone.probability_over_threshold.value / 10.0
    );
    assert!(
        corby.pooled.spread.share_of_expected_cost
            < corby.standalone.spread.share_of_expected_cost / 4.0
    );
    for m in &r.members {
        let sim = m.standalone.probability_over_threshold;
        let normal = m.standalone_normal.probability_over_threshold;
        // Skew 2c/√N is at most 2 %: the normal approximation is within the margin plus a little.
        assert!(
            (sim.value - normal).abs() < sim.margin_95 + 0.01,
            "{}: {} vs {normal}",
            m.name,
            sim.value
        );
    }
}

#[test]
fn a_common_shock_sets_a_floor_that_pooling_cannot_remove() {
    let shock = 0.03;
    let big = |name: &str| PoolMember {
        name: name.into(),
        population: 50_000_000,
        cost_per_head: Pence(110_000),
        cost_variation: 3.0,
    };
    let pool = Pool {
        members: vec![big("A"), big("B"), big("C"), big("D")],
        common_shock: shock,
        correlation: 0.0,
        contributions: ContributionBasis::RiskAdjustedShare,
        overspend_threshold: 0.03,
        trials: 20_000,
        seed: 77,
    };
    let r = simulate(&pool).unwrap();
    // The shock's own 5th–95th spread, from its own draws.
    let g = Gamma::with_mean_cv(1.0, shock).unwrap();
    let mut rng = Random::seed_from_u64(78);
    let mut h = Histogram::new(0.0, shock);
    for _ in 0..20_000 {
        h.record(g.sample(&mut rng) - 1.0);
    }
    let shock_spread = h.quantile(0.95) - h.quantile(0.05);
    let pooled = r.pool.figures.spread.share_of_expected_cost;
    // Sampling error of each spread is about 1 % of it at 20,000 trials: allow 3 %.
    assert!(pooled >= shock_spread * 0.97, "{pooled} vs {shock_spread}");
    assert!(pooled <= shock_spread * 1.05, "{pooled} vs {shock_spread}");
    for m in &r.members {
        assert!(m.pooled.spread.share_of_expected_cost >= shock_spread * 0.97);
        assert!(m.standalone.spread.share_of_expected_cost >= shock_spread * 0.97);
    }
    // And analytically: no pool's standard deviation falls below the shock's.
    assert!(r.pool.normal.standard_deviation >= shock);
}

#[test]
fn perfectly_correlated_equal_members_gain_nothing_from_pooling() {
    let member = |name: &str| PoolMember {
        name: name.into(),
        population: 10_000,
        cost_per_head: Pence(100_000),
        cost_variation: 3.0,
    };
    let pool = Pool {
        members: vec![member("A"), member("B"), member("C")],
        common_shock: 0.0,
        correlation: 1.0,
        contributions: ContributionBasis::PopulationShare,
        overspend_threshold: 0.03,
        trials: 5_000,
        seed: 1,
    };
    let r = simulate(&pool).unwrap();
    let alone = r.members[0].standalone_normal.standard_deviation;
    assert!((r.pool.normal.standard_deviation - alone).abs() < 1e-12);
    let sim = &r.members[0];
    assert!(
        (sim.pooled.standard_deviation.value - sim.standalone.standard_deviation.value).abs()
            < 1e-9
    );
}

fn assert_pooled_figures_add_up(r: &PoolingResult) {
    let sum = |f: &dyn Fn(&MemberRisk) -> Pence| money::sum(r.members.iter().map(f)).unwrap();
    let pool = &r.pool.figures;
    assert_eq!(
        sum(&|m| m.pooled.percentile_5.amount),
        pool.percentile_5.amount
    );
    assert_eq!(sum(&|m| m.pooled.median.amount), pool.median.amount);
    assert_eq!(
        sum(&|m| m.pooled.percentile_95.amount),
        pool.percentile_95.amount
    );
    assert_eq!(sum(&|m| m.pooled.spread.amount), pool.spread.amount);
    assert_eq!(
        sum(&|m| m.pooled.expected_shortfall.amount),
        pool.expected_shortfall.amount
    );
    assert_eq!(
        sum(&|m| m.pooled_normal.standard_deviation_amount),
        r.pool.normal.standard_deviation_amount
    );
    assert_eq!(
        sum(&|m| m.pooled_normal.spread_amount),
        r.pool.normal.spread_amount
    );
    // As f64: Σ share × budget = the pool's share × its budget, within rounding.
    let total = r.pool.budget.pence() as f64;
    for (pick, name) in [
        (
            &(|f: &RiskFigures| f.percentile_95.share_of_budget) as &dyn Fn(&RiskFigures) -> f64,
            "p95",
        ),
        (&|f: &RiskFigures| f.percentile_5.share_of_budget, "p5"),
        (
            &|f: &RiskFigures| f.expected_shortfall.share_of_budget,
            "shortfall",
        ),
        (&|f: &RiskFigures| f.mean_overspend.value, "mean"),
    ] {
        let members: f64 = r
            .members
            .iter()
            .map(|m| pick(&m.pooled) * m.budget.pence() as f64)
            .sum();
        let whole = pick(pool) * total;
        assert!(
            (members - whole).abs() <= 1e-9 * whole.abs().max(total * 1e-6),
            "{name}: {members} vs {whole}"
        );
    }
    let shares: f64 = r.members.iter().map(|m| m.contribution_share).sum();
    assert!((shares - 1.0).abs() < 1e-12);
}

#[test]
fn pooled_shares_of_the_overspend_add_up_to_the_pools_overspend() {
    for basis in [
        ContributionBasis::PopulationShare,
        ContributionBasis::RiskAdjustedShare,
    ] {
        let mut pool = healthier_together(2_000);
        pool.contributions = basis;
        pool.members[3].cost_per_head = Pence(140_000);
        let r = simulate(&pool).unwrap();
        assert_pooled_figures_add_up(&r);
        if basis == ContributionBasis::RiskAdjustedShare {
            // Shared by expected cost, every member bears the same share of its budget.
            for m in &r.members {
                assert_eq!(
                    m.pooled.probability_over_threshold,
                    r.pool.figures.probability_over_threshold
                );
                assert_eq!(
                    m.pooled.percentile_95.share_of_budget,
                    r.pool.figures.percentile_95.share_of_budget
                );
            }
        }
    }
}

proptest! {
    // Each case builds, runs and summarises a whole simulation (about 0.4 ms in a debug
    // build, workings included), so 2,000 cases rather than 10,000 keep this near a second.
    #![proptest_config(ProptestConfig::with_cases(2_000))]
    #[test]
    fn pooled_figures_always_add_up_to_the_pool(
        members in prop::collection::vec((1u64..2_000_000, 1i64..1_000_000, 0.1f64..10.0), 1..6),
        shock in 0.0f64..0.2,
        correlation in 0.0f64..1.0,
        risk_adjusted in any::<bool>(),
        seed in 0u64..1_000,
    ) {
        let pool = Pool {
            members: members
                .iter()
                .enumerate()
                .map(|(i, &(population, pence, c))| PoolMember {
                    name: format!("Member {i}"),
                    population,
                    cost_per_head: Pence(pence),
                    cost_variation: c,
                })
                .collect(),
            common_shock: shock,
            correlation,
            contributions: if risk_adjusted {
                ContributionBasis::RiskAdjustedShare
            } else {
                ContributionBasis::PopulationShare
            },
            overspend_threshold: 0.03,
            trials: 40,
            seed,
        };
        let r = simulate(&pool).unwrap();
        assert_pooled_figures_add_up(&r);
        for m in &r.members {
            for f in [&m.standalone, &m.pooled] {
                prop_assert!(f.percentile_5.share_of_budget <= f.median.share_of_budget);
                prop_assert!(f.median.share_of_budget <= f.percentile_95.share_of_budget);
                prop_assert!(f.expected_shortfall.share_of_budget >= f.percentile_95.share_of_budget - 1e-12);
                prop_assert!((0.0..=1.0).contains(&f.probability_over_threshold.value));
            }
        }
    }
}

#[test]
fn every_problem_is_reported_with_its_path() {
    let mut pool = healthier_together(0);
    pool.members[0].population = 0;
    pool.members[1].cost_per_head = Pence(-5);
    pool.members[2].cost_variation = 0.0;
    pool.members[3].cost_variation = f64::NAN;
    pool.members[4].name = " ".into();
    pool.common_shock = 1.5;
    pool.correlation = -0.1;
    pool.overspend_threshold = 2.0;
    pool.seed = u64::MAX;
    let mut out = Problems::new();
    pool.problems("pool", &mut out);
    let paths: Vec<String> = out.into_vec().into_iter().map(|p| p.path).collect();
    assert_eq!(
        paths,
        [
            "pool.members[0].population",
            "pool.members[1].cost_per_head",
            "pool.members[2].cost_variation",
            "pool.members[3].cost_variation",
            "pool.members[4].name",
            "pool.common_shock",
            "pool.correlation",
            "pool.overspend_threshold",
            "pool.trials",
            "pool.seed",
        ]
    );

    let empty = Pool {
        members: vec![],
        trials: MAX_TRIALS + 1,
        ..healthier_together(1)
    };
    let mut out = Problems::new();
    empty.problems("", &mut out);
    let list = out.into_vec();
    let paths: Vec<&str> = list
        .iter()
        .map(|p| p.path.trim_start_matches('.'))
        .collect();
    assert_eq!(paths, ["members", "trials"]);
    assert!(list[0].message.contains("at least one member"));
    assert!(list[1].message.contains("10,000,000"));

    let mut twins = healthier_together(10);
    twins.members[1].name = "bedfordshire ccg".into();
    let mut out = Problems::new();
    twins.problems("pool", &mut out);
    let list = out.into_vec();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].path, "pool.members[1].name");
}

#[test]
fn the_json_shape_reads_as_analysts_write_it() {
    let text = r#"{
        "members": [{"name": "Corby CCG", "population": 75000, "cost_per_head": 110000,
                     "cost_variation": 3.0}],
        "contributions": "risk_adjusted_share",
        "overspend_threshold": 0.03,
        "trials": 1000,
        "seed": 2013
    }"#;
    let pool: Pool = serde_json::from_str(text).unwrap();
    assert_eq!(pool.common_shock, 0.0);
    assert_eq!(pool.correlation, 0.0);
    let typo = text.replace("\"seed\"", "\"sead\"");
    assert!(serde_json::from_str::<Pool>(&typo)
        .unwrap_err()
        .to_string()
        .contains("unknown field"));
}

#[test]
fn the_normal_spread_falls_as_one_over_root_n_to_the_common_shocks_floor() {
    let r = simulate(&healthier_together(2_000)).unwrap();
    for m in &r.members {
        let spread = normal_spread(m.population as f64, 3.0, 0.02);
        assert!(
            (spread - m.standalone_normal.spread).abs() < 1e-12,
            "{}: {spread} vs {}",
            m.name,
            m.standalone_normal.spread
        );
    }
    // Four times the people, half the spread, without a shock.
    let small = normal_spread(10_000.0, 3.0, 0.0);
    let large = normal_spread(40_000.0, 3.0, 0.0);
    assert!((small / large - 2.0).abs() < 1e-12);
    // With a shock, never below 2 × 1.645 × s however many people.
    let floor = 2.0 * 1.644_853_626_951_472_2 * 0.02;
    let huge = normal_spread(1e12, 3.0, 0.02);
    assert!(huge > floor && huge - floor < 1e-6, "{huge}");
    assert!(normal_spread(0.0, 3.0, 0.0).is_nan());
}

#[test]
fn distributions_hold_every_trial_in_range_and_the_pool_is_narrower_for_the_small_member() {
    // Without the common shock, which pooling cannot remove.
    let pool = Pool {
        common_shock: 0.0,
        ..healthier_together(20_000)
    };
    let mut sim = Simulation::new(&pool).unwrap();
    assert!(sim.distributions(40).is_empty());
    sim.run_chunk(20_000);
    let all = sim.distributions(40);
    assert_eq!(all.len(), 5);
    let result = sim.summary().unwrap();
    for (d, m) in all.iter().zip(&result.members) {
        assert_eq!(d.name, m.name);
        assert_eq!(d.edges.len(), 41);
        assert_eq!(d.standalone.len(), 40);
        assert_eq!(d.pooled.len(), 40);
        assert!(d.edges.windows(2).all(|w| w[1] > w[0]));
        let (a, b): (f64, f64) = (d.standalone.iter().sum(), d.pooled.iter().sum());
        // Everything but the 0.1 % or so beyond each end.
        assert!((0.996..=1.0 + 1e-9).contains(&a), "{}: {a}", d.name);
        assert!((0.996..=1.0 + 1e-9).contains(&b), "{}: {b}", d.name);
        assert!(d.standalone.iter().chain(&d.pooled).all(|s| *s >= 0.0));
        // The range covers both 5th and 95th percentiles.
        let (low, high) = (d.edges[0], d.edges[40]);
        assert!(low < m.standalone.percentile_5.share_of_budget);
        assert!(high > m.standalone.percentile_95.share_of_budget);
        assert!(low < m.pooled.percentile_5.share_of_budget);
        assert!(high > m.pooled.percentile_95.share_of_budget);
    }
    // Corby (75,000 people) on its own is far wider than in the pool: its tallest pooled
    // bin holds more trials than its tallest standalone bin.
    let corby = &all[3];
    let peak = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
    assert!(peak(&corby.pooled) > 3.0 * peak(&corby.standalone));
    // The same trials give the same distributions, whatever the chunks.
    let mut chunked = Simulation::new(&pool).unwrap();
    while !chunked.is_finished() {
        chunked.run_chunk(3_001);
    }
    assert_eq!(chunked.distributions(40), all);
}

/// Run `pool` as `workers` threads would: streams handed out in order to whichever
/// worker is free, each worker running one stream at a time on its own copy of the
/// simulation, finishing in the order `finish` picks (an index into the busy workers,
/// cycled), and the tallies added in stream order as they become contiguous.
fn run_on_workers(pool: &Pool, workers: usize, finish: &[usize]) -> Simulation {
    let mut main = Simulation::new(pool).unwrap();
    let own = main.clone();
    let mut next = 0;
    let mut busy: Vec<u32> = Vec::new();
    let mut waiting: Vec<StreamTally> = Vec::new();
    let mut picks = finish.iter().cycle();
    while !main.is_finished() {
        while busy.len() < workers && next < main.streams() {
            busy.push(next);
            next += 1;
        }
        let pick = picks.next().copied().unwrap_or(0) % busy.len();
        let stream = busy.remove(pick);
        waiting.push(own.run_stream(stream).unwrap());
        waiting.sort_by_key(|t| t.stream);
        while waiting
            .first()
            .is_some_and(|t| t.stream == main.next_stream())
        {
            let tally = waiting.remove(0);
            assert!(main.add_stream(&tally));
        }
    }
    main
}

#[test]
fn streams_partition_the_trials_and_stream_zero_is_the_seeds_own() {
    let pool = healthier_together(2 * STREAM_TRIALS + 10);
    let sim = Simulation::new(&pool).unwrap();
    assert_eq!(sim.streams(), 3);
    assert_eq!(sim.run_stream(0).unwrap().trials(), STREAM_TRIALS);
    assert_eq!(sim.run_stream(2).unwrap().trials(), 10);
    assert!(sim.run_stream(3).is_none());
    // The first estimate's trials are the first trials of stream 0, and of the full run.
    let first = simulate_at_most(&pool, FIRST_ESTIMATE_TRIALS).unwrap();
    let alone = simulate(&Pool {
        trials: FIRST_ESTIMATE_TRIALS,
        ..pool.clone()
    })
    .unwrap();
    let strip = |mut r: PoolingResult| {
        r.trials_requested = 0;
        r.model = Working::new("", "", "");
        json(&r)
    };
    assert_eq!(strip(first), strip(alone));
    // Streams are different draws.
    let one = sim.run_stream(1).unwrap();
    let zero = sim.run_stream(0).unwrap();
    assert!(one.tally.pool.moments != zero.tally.pool.moments);
}

#[test]
fn one_two_three_or_eight_workers_give_the_bits_of_one_sequential_run() {
    let mut pool = healthier_together(3 * STREAM_TRIALS + 4_321);
    pool.correlation = 0.2;
    let mut sequential = Simulation::new(&pool).unwrap();
    while !sequential.is_finished() {
        sequential.run_chunk(97_531);
    }
    let want = json(&sequential.summary().unwrap());
    let want_distributions = sequential.distributions(40);
    for (workers, finish) in [
        (1, vec![0]),
        (2, vec![1, 0]),
        (3, vec![2, 0, 1]),
        (8, vec![3, 1, 0, 2]),
    ] {
        let parallel = run_on_workers(&pool, workers, &finish);
        assert!(parallel.state() == sequential.state(), "{workers} workers");
        assert_eq!(
            json(&parallel.summary().unwrap()),
            want,
            "{workers} workers"
        );
        assert_eq!(parallel.distributions(40), want_distributions);
    }
    // Real threads, finishing in whatever order the scheduler gives.
    for threads in [2, 3, 8] {
        let shared = Simulation::new(&pool).unwrap();
        let next = std::sync::atomic::AtomicU32::new(0);
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            for _ in 0..threads {
                let (shared, next, send) = (&shared, &next, send.clone());
                scope.spawn(move || loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if k >= shared.streams() {
                        break;
                    }
                    send.send(shared.run_stream(k).unwrap()).unwrap();
                });
            }
        });
        drop(send);
        let mut tallies: Vec<StreamTally> = receive.iter().collect();
        tallies.sort_by_key(|t| t.stream);
        let mut main = Simulation::new(&pool).unwrap();
        for t in &tallies {
            assert!(main.add_stream(t));
        }
        assert_eq!(json(&main.summary().unwrap()), want, "{threads} threads");
    }
}

#[test]
fn a_stream_tally_survives_serialisation_to_the_bit_and_only_fits_its_own_place() {
    let pool = healthier_together(STREAM_TRIALS + 5_000);
    let sim = Simulation::new(&pool).unwrap();
    let zero = sim.run_stream(0).unwrap();
    // Through serde's data model without text (text would round decimals): every f64
    // and every bin comes back to the bit. (The browser's structured clone is tested in
    // tests/browser.rs.)
    let value = serde_json::to_value(&zero).unwrap();
    let back: StreamTally = serde_json::from_value(value.clone()).unwrap();
    assert!(back == zero, "a stream tally changed in serialisation");
    assert_eq!(serde_json::to_value(&back).unwrap(), value);

    let mut main = Simulation::new(&pool).unwrap();
    let one = sim.run_stream(1).unwrap();
    // Out of order, twice, or from another pool: refused, and nothing is added.
    assert!(!main.add_stream(&one));
    assert!(main.add_stream(&back));
    assert!(!main.add_stream(&back));
    let other = Simulation::new(&Pool {
        common_shock: 0.05,
        ..pool.clone()
    })
    .unwrap();
    assert!(!main.add_stream(&other.run_stream(1).unwrap()));
    let shorter = Simulation::new(&Pool {
        trials: STREAM_TRIALS + 10,
        ..pool.clone()
    })
    .unwrap();
    assert!(!main.add_stream(&shorter.run_stream(1).unwrap()));
    assert_eq!(main.progress(), (STREAM_TRIALS, STREAM_TRIALS + 5_000));
    assert!(main.add_stream(&one));
    assert!(main.is_finished());
    assert_eq!(main.summary().unwrap(), simulate(&pool).unwrap());
    // A chunk run here, then a stream from elsewhere: refused until the stream ends.
    let mut mixed = Simulation::new(&pool).unwrap();
    mixed.run_chunk(10);
    assert!(!mixed.add_stream(&zero));
}

proptest! {
    // Each case runs two or three streams five ways (about a second in a debug build).
    #![proptest_config(ProptestConfig::with_cases(4))]
    #[test]
    fn any_number_of_workers_gives_identical_results(
        members in prop::collection::vec((1u64..2_000_000, 1i64..1_000_000, 0.1f64..10.0), 1..3),
        shock in 0.0f64..0.2,
        correlation in 0.0f64..1.0,
        extra in 1u32..STREAM_TRIALS,
        seed in 0u64..MAX_SEED,
        finish in prop::collection::vec(0usize..8, 1..6),
    ) {
        let pool = Pool {
            members: members
                .iter()
                .enumerate()
                .map(|(i, &(population, pence, c))| PoolMember {
                    name: format!("Member {i}"),
                    population,
                    cost_per_head: Pence(pence),
                    cost_variation: c,
                })
                .collect(),
            common_shock: shock,
            correlation,
            contributions: ContributionBasis::PopulationShare,
            overspend_threshold: 0.03,
            trials: STREAM_TRIALS + extra,
            seed,
        };
        let one = run_on_workers(&pool, 1, &finish);
        let want = json(&one.summary().unwrap());
        prop_assert_eq!(&json(&simulate(&pool).unwrap()), &want);
        for workers in [2, 3, 8] {
            let many = run_on_workers(&pool, workers, &finish);
            prop_assert_eq!(&json(&many.summary().unwrap()), &want);
        }
    }
}
