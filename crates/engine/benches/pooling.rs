//! Native speed of the pooling simulation: `cargo bench -p onebudget-engine --bench pooling`.
//! Prints trials per second for Healthier Together's five CCGs (the fastest of 5 runs) on
//! one thread, CPU time and wall clock said apart; the same run shared among threads as the
//! browser shares it among workers (streams handed out in turn, tallies added in stream
//! order); and the time of each part of a trial. Asserts nothing about speed.
//! `POOLING_THREADS` (default: the machine's cores) sets the threads of the shared run.

use onebudget_engine::examples;
use onebudget_engine::pooling::gamma::Gamma;
use onebudget_engine::pooling::rng::Random;
use onebudget_engine::pooling::{Pool, Simulation, StreamTally};
use std::hint::black_box;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// The pool the Healthier Together built-in ships, with the shock, correlation and trial
/// count under test.
fn healthier_together(trials: u32, common_shock: f64, correlation: f64) -> Pool {
    let scenario = examples::find("healthier-together")
        .and_then(|e| e.scenario().ok())
        .expect("the built-in decodes");
    let pool = scenario
        .into_scenario()
        .pool
        .expect("the built-in has a pool");
    Pool {
        trials,
        common_shock,
        correlation,
        ..pool
    }
}

/// Seconds this thread has spent on a CPU (CLOCK_THREAD_CPUTIME_ID), so time the
/// scheduler gave to other processes on a shared machine is not counted.
#[cfg(target_os = "linux")]
fn cpu_seconds(_wall: Instant) -> f64 {
    #[repr(C)]
    struct Timespec {
        seconds: i64,
        nanoseconds: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec {
        seconds: 0,
        nanoseconds: 0,
    };
    // SAFETY: `t` is a valid timespec (64-bit Linux layout) for the call to fill in.
    let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    assert!(ok, "clock_gettime failed");
    t.seconds as f64 + t.nanoseconds as f64 / 1e9
}

/// The wall clock elsewhere.
#[cfg(not(target_os = "linux"))]
fn cpu_seconds(wall: Instant) -> f64 {
    wall.elapsed().as_secs_f64()
}

/// Runs per figure; the fastest is reported (the machine is shared, so slower runs
/// measure other work).
const RUNS: usize = 5;

/// Nanoseconds per call of `draw`, over `n` calls, best of [`RUNS`] (the sum is kept so
/// nothing is elided).
fn per_draw(n: u32, mut draw: impl FnMut() -> f64) -> f64 {
    (0..RUNS)
        .map(|_| {
            let wall = Instant::now();
            let start = cpu_seconds(wall);
            let mut sum = 0.0;
            for _ in 0..n {
                sum += draw();
            }
            black_box(sum);
            (cpu_seconds(wall) - start) * 1e9 / n as f64
        })
        .fold(f64::INFINITY, f64::min)
}

/// Where a trial's time goes: the parts it is made of, timed alone.
fn parts() {
    let n = 2_000_000;
    let mut rng = Random::seed_from_u64(1);
    let uniform = per_draw(n, || rng.uniform());
    let normal = per_draw(n, || rng.normal());
    // Corby's total (shape 75,000 ÷ 9) and the 2 % shock (shape 2,500).
    let corby = Gamma::new(75_000.0 / 9.0, 110_000.0 * 9.0).expect("a Gamma");
    let member = per_draw(n, || corby.sample(&mut rng));
    let small = Gamma::new(0.3, 1.0).expect("a Gamma");
    let boosted = per_draw(n, || small.sample(&mut rng));
    // A trial's six draws alone (five members' totals and the shock), no tallies.
    let shock = Gamma::with_mean_cv(1.0, 0.02).expect("a Gamma");
    let members: Vec<Gamma> = [430_000.0, 225_000.0, 270_000.0, 75_000.0, 650_000.0]
        .iter()
        .map(|n| Gamma::new(n / 9.0, 110_000.0 * 9.0).expect("a Gamma"))
        .collect();
    let draws = per_draw(n / 4, || {
        let s = shock.sample(&mut rng);
        members.iter().map(|g| g.sample(&mut rng)).sum::<f64>() * s
    });
    println!(
        "  a trial's six Gamma draws alone: {draws:.1} ns (the rest of a trial is its tallies)"
    );
    println!(
        "  parts: uniform {uniform:.2} ns, normal {normal:.2} ns, Gamma(8,333) {member:.2} ns, \
         Gamma(0.3) {boosted:.2} ns per draw"
    );
}

/// A million trials shared among `threads` threads as the page shares them among workers:
/// each thread takes the next stream, the tallies are added in stream order, then the
/// summary. Returns (wall seconds, every thread's CPU seconds summed).
fn shared_run(pool: &Pool, threads: usize) -> (f64, f64) {
    let wall = Instant::now();
    let shared = Simulation::new(pool).unwrap_or_else(|e| panic!("{e}"));
    let next = AtomicU32::new(0);
    let tallies: Mutex<Vec<StreamTally>> = Mutex::new(Vec::new());
    let cpu: Mutex<f64> = Mutex::new(0.0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let start = cpu_seconds(Instant::now());
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= shared.streams() {
                        break;
                    }
                    let tally = shared.run_stream(k).expect("a stream of the run");
                    tallies.lock().map(|mut t| t.push(tally)).ok();
                }
                let used = cpu_seconds(Instant::now()) - start;
                cpu.lock().map(|mut c| *c += used).ok();
            });
        }
    });
    let main_start = cpu_seconds(wall);
    let mut tallies = tallies.into_inner().unwrap_or_default();
    tallies.sort_by_key(|t| t.stream);
    let mut sim = Simulation::new(pool).unwrap_or_else(|e| panic!("{e}"));
    for t in &tallies {
        assert!(sim.add_stream(t), "stream {} fits", t.stream);
    }
    black_box(sim.summary().unwrap_or_else(|e| panic!("{e}")));
    let main_cpu = cpu_seconds(wall) - main_start;
    (
        wall.elapsed().as_secs_f64(),
        cpu.into_inner().unwrap_or(0.0) + main_cpu,
    )
}

fn main() {
    let trials = 1_000_000;
    println!(
        "pooling simulation (native, release), Healthier Together's five CCGs, best of {RUNS}, CPU time:"
    );
    for (label, shock, correlation) in [
        ("no shock, no correlation", 0.0, 0.0),
        ("2 % common shock", 0.02, 0.0),
        ("2 % shock, correlation 0.3", 0.02, 0.3),
    ] {
        let pool = healthier_together(trials, shock, correlation);
        let (mut ran, mut ran_wall) = (f64::INFINITY, f64::INFINITY);
        let mut sim = Simulation::new(&pool).unwrap_or_else(|e| panic!("{e}"));
        for _ in 0..RUNS {
            let wall = Instant::now();
            let start = cpu_seconds(wall);
            sim = Simulation::new(&pool).unwrap_or_else(|e| panic!("{e}"));
            while !sim.is_finished() {
                sim.run_chunk(10_000);
            }
            ran = ran.min(cpu_seconds(wall) - start);
            ran_wall = ran_wall.min(wall.elapsed().as_secs_f64());
        }
        let summary_start = Instant::now();
        let result = sim.summary().unwrap_or_else(|e| panic!("{e}"));
        let summary = summary_start.elapsed().as_secs_f64();
        let corby = &result.members[3];
        println!(
            "  {label:<28} {:>6.0} ms for {trials} trials = {:>5.2} M trials/s; summary {:.2} ms \
             (Corby P(>3 %) alone {:.2} %, pooled {:.2} %); wall clock {:.0} ms = {:.2} M/s",
            ran * 1000.0,
            trials as f64 / ran / 1e6,
            summary * 1000.0,
            corby.standalone.probability_over_threshold.value * 100.0,
            corby.pooled.probability_over_threshold.value * 100.0,
            ran_wall * 1000.0,
            trials as f64 / ran_wall / 1e6,
        );
    }
    let threads = std::env::var("POOLING_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1);
    let pool = healthier_together(trials, 0.02, 0.0);
    println!("shared among threads (streams in turn, tallies added in order, then the summary):");
    for n in [1, threads] {
        let (mut wall, mut cpu) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..RUNS {
            let (w, c) = shared_run(&pool, n);
            wall = wall.min(w);
            cpu = cpu.min(c);
        }
        println!(
            "  {n} thread(s): wall clock {:.0} ms = {:.2} M trials/s; CPU time, all threads {:.0} ms",
            wall * 1000.0,
            trials as f64 / wall / 1e6,
            cpu * 1000.0
        );
        if n == threads && threads == 1 {
            break;
        }
    }
    parts();
}
