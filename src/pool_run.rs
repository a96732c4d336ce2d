//! Running a pool's whole simulation in chunks, off the keystroke path: the messages
//! between the page and the pooling worker (`src/bin/onebudget-pool-worker.rs`), and the
//! chunk loop both of them use (the worker, or the page itself where no worker can be
//! started, such as a single HTML file opened from disk).
//!
//! Messages are JSON text. The page sends `Run` (the pool, a run number and the chunk
//! size) and `Cancel`; the runner answers each chunk with `Progress` and an `Estimate`
//! (so the figures refine as trials accumulate), then `Done`, or `Cancelled` or `Error`.
//! Every answer carries its run number, so a late message from a cancelled run is
//! recognised and ignored. The engine's `Simulation` gives exactly the same result
//! whatever the chunk sizes, so a seed's figures never depend on how the run was split.
//!
//! This module is plain Rust (serde and the engine only): the worker compiles it on its
//! own, without the app, and it is tested natively.

use onebudget_engine::money::MoneyError;
use onebudget_engine::pooling::{OverspendDistribution, Pool, PoolingResult, Simulation};
use onebudget_engine::validation::Problems;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

/// The key of the object that carries one fractional number's exact bits on the wire.
const F64_BITS: &str = "f64_bits";

/// A message as JSON text in which every fractional number travels as the integer of its
/// IEEE 754 bits (`{"f64_bits": 4596373779694328218}`), so the other side reads back the
/// very same f64. Rationale: decimal text would need serde_json's `float_roundtrip`
/// parser to be exact, which costs the page 7 KB of brotli; integers are always exact.
pub fn to_wire<T: Serialize>(message: &T) -> Result<String, serde_json::Error> {
    let mut value = serde_json::to_value(message)?;
    floats_to_bits(&mut value);
    serde_json::to_string(&value)
}

/// A message written by [`to_wire`].
pub fn from_wire<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let mut value: Value = serde_json::from_str(text)?;
    bits_to_floats(&mut value);
    serde_json::from_value(value)
}

fn floats_to_bits(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(x) = n.as_f64() {
                let mut bits = Map::new();
                bits.insert(F64_BITS.into(), Value::from(x.to_bits()));
                *value = Value::Object(bits);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(floats_to_bits),
        Value::Object(fields) => fields.values_mut().for_each(floats_to_bits),
        _ => {}
    }
}

fn bits_to_floats(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            let bits = match fields.get(F64_BITS) {
                Some(Value::Number(n)) if fields.len() == 1 => n.as_u64(),
                _ => None,
            };
            match bits.and_then(|b| Number::from_f64(f64::from_bits(b))) {
                Some(n) => *value = Value::Number(n),
                None => fields.values_mut().for_each(bits_to_floats),
            }
        }
        Value::Array(items) => items.iter_mut().for_each(bits_to_floats),
        _ => {}
    }
}

/// Bins in each member's overspend distribution sent with an estimate.
pub const DISTRIBUTION_BINS: usize = 40;

/// The chunk size the page asks for: about 20 progress steps, each between 10,000 and
/// 100,000 trials (about 5 to 50 ms in wasm for five members).
pub fn chunk_for(trials: u32) -> u32 {
    (trials / 20).clamp(10_000, 100_000)
}

/// From the page to the runner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToRunner {
    /// Simulate every one of `pool.trials`, `chunk` trials at a time.
    Run { run: u32, pool: Pool, chunk: u32 },
    /// Stop `run` at the end of the chunk under way.
    Cancel { run: u32 },
}

/// The figures so far, and each member's overspend distribution for the charts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub result: PoolingResult,
    pub distributions: Vec<OverspendDistribution>,
}

/// From the runner to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FromRunner {
    /// The worker has started and is listening (messages sent before this are lost).
    Ready,
    Progress {
        run: u32,
        done: u32,
        total: u32,
    },
    Estimate {
        run: u32,
        estimate: Box<Estimate>,
    },
    /// Every trial has run; `elapsed_ms` is the simulation's own time, chunks and
    /// estimates included.
    Done {
        run: u32,
        trials: u32,
        elapsed_ms: f64,
    },
    Cancelled {
        run: u32,
        done: u32,
    },
    Error {
        run: u32,
        message: String,
    },
}

impl FromRunner {
    /// The run this message is about (`None` for `Ready`).
    pub fn run(&self) -> Option<u32> {
        match self {
            FromRunner::Ready => None,
            FromRunner::Progress { run, .. }
            | FromRunner::Estimate { run, .. }
            | FromRunner::Done { run, .. }
            | FromRunner::Cancelled { run, .. }
            | FromRunner::Error { run, .. } => Some(*run),
        }
    }
}

/// One run's simulation, advanced a chunk at a time by whoever hosts it.
pub struct ChunkedRun {
    run: u32,
    chunk: u32,
    simulation: Simulation,
    started_ms: f64,
}

impl ChunkedRun {
    /// Check the pool and set up its simulation; `now_ms` is the host's clock. The page
    /// sends the pool of a valid scenario; a message is still input, so it is checked by
    /// the pool's own rules before anything is simulated.
    pub fn start(run: u32, pool: &Pool, chunk: u32, now_ms: f64) -> Result<Self, FromRunner> {
        let mut problems = Problems::new();
        pool.problems("pool", &mut problems);
        if !problems.is_empty() {
            let texts: Vec<String> = problems.list.iter().map(|p| p.to_string()).collect();
            return Err(FromRunner::Error {
                run,
                message: texts.join("; "),
            });
        }
        let simulation = Simulation::new(pool).map_err(|e| FromRunner::Error {
            run,
            message: e.to_string(),
        })?;
        Ok(ChunkedRun {
            run,
            chunk: chunk.max(1),
            simulation,
            started_ms: now_ms,
        })
    }

    pub fn run_number(&self) -> u32 {
        self.run
    }

    pub fn is_finished(&self) -> bool {
        self.simulation.is_finished()
    }

    /// Run one chunk and say what it found: progress, the refined estimate, and `Done`
    /// after the last chunk.
    pub fn step(&mut self, now_ms: &dyn Fn() -> f64) -> Vec<FromRunner> {
        let run = self.run;
        self.simulation.run_chunk(self.chunk);
        let (done, total) = self.simulation.progress();
        let mut out = vec![FromRunner::Progress { run, done, total }];
        match self.estimate() {
            Ok(estimate) => out.push(FromRunner::Estimate {
                run,
                estimate: Box::new(estimate),
            }),
            Err(e) => {
                out.push(FromRunner::Error {
                    run,
                    message: e.to_string(),
                });
                return out;
            }
        }
        if self.simulation.is_finished() {
            out.push(FromRunner::Done {
                run,
                trials: done,
                elapsed_ms: now_ms() - self.started_ms,
            });
        }
        out
    }

    /// The figures so far.
    pub fn estimate(&self) -> Result<Estimate, MoneyError> {
        Ok(Estimate {
            result: self.simulation.summary()?,
            distributions: self.simulation.distributions(DISTRIBUTION_BINS),
        })
    }

    /// Trials run so far.
    pub fn done(&self) -> u32 {
        self.simulation.progress().0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onebudget_engine::examples;

    fn healthier_together(trials: u32) -> Pool {
        let scenario = examples::find("healthier-together")
            .and_then(|e| e.scenario().ok())
            .expect("the built-in decodes")
            .into_scenario();
        Pool {
            trials,
            ..scenario.pool.expect("the built-in has a pool")
        }
    }

    fn run_all(pool: &Pool, chunk: u32) -> Vec<FromRunner> {
        let mut run = ChunkedRun::start(7, pool, chunk, 0.0).expect("valid");
        let mut out = Vec::new();
        while !run.is_finished() {
            out.extend(run.step(&|| 0.0));
        }
        out
    }

    fn last_estimate(messages: &[FromRunner]) -> Estimate {
        messages
            .iter()
            .rev()
            .find_map(|m| match m {
                FromRunner::Estimate { estimate, .. } => Some((**estimate).clone()),
                _ => None,
            })
            .expect("an estimate")
    }

    #[test]
    fn a_run_reports_progress_and_a_refining_estimate_each_chunk_then_done() {
        let messages = run_all(&healthier_together(25_000), 10_000);
        let progress: Vec<(u32, u32)> = messages
            .iter()
            .filter_map(|m| match m {
                FromRunner::Progress { done, total, .. } => Some((*done, *total)),
                _ => None,
            })
            .collect();
        assert_eq!(
            progress,
            vec![(10_000, 25_000), (20_000, 25_000), (25_000, 25_000)]
        );
        let trials: Vec<u32> = messages
            .iter()
            .filter_map(|m| match m {
                FromRunner::Estimate { estimate, .. } => Some(estimate.result.trials),
                _ => None,
            })
            .collect();
        assert_eq!(trials, vec![10_000, 20_000, 25_000]);
        assert!(matches!(
            messages.last(),
            Some(FromRunner::Done {
                run: 7,
                trials: 25_000,
                ..
            })
        ));
        assert!(messages.iter().all(|m| m.run() == Some(7)));
    }

    #[test]
    fn the_same_seed_gives_the_same_figures_whatever_the_chunks() {
        let pool = healthier_together(30_000);
        let a = last_estimate(&run_all(&pool, 10_000));
        let b = last_estimate(&run_all(&pool, 7_001));
        assert_eq!(a, b);
        // And exactly what the engine's one-go simulation gives.
        assert_eq!(
            a.result,
            onebudget_engine::pooling::simulate(&pool).expect("runs")
        );
    }

    #[test]
    fn messages_survive_the_wire_both_ways_to_the_bit() {
        let pool = healthier_together(10_000);
        let to = ToRunner::Run {
            run: 3,
            pool: pool.clone(),
            chunk: 5_000,
        };
        let text = to_wire(&to).expect("serialises");
        assert_eq!(from_wire::<ToRunner>(&text).expect("reads"), to);
        let cancel = to_wire(&ToRunner::Cancel { run: 3 }).expect("serialises");
        assert_eq!(cancel, r#"{"cancel":{"run":3}}"#);
        let mut fractions = 0;
        for message in run_all(&pool, 5_000) {
            let text = to_wire(&message).expect("serialises");
            fractions += text.matches(F64_BITS).count();
            // Compared as JSON of the f64s' bits, so a difference in the last bit shows.
            let back = from_wire::<FromRunner>(&text).expect("reads");
            assert_eq!(back, message);
            assert_eq!(to_wire(&back).expect("serialises"), text);
        }
        assert!(fractions > 100, "estimates carry fractional figures");
    }

    #[test]
    fn awkward_floats_come_back_exactly_and_plain_objects_pass_through() {
        // Neighbours that decimal parsing without `float_roundtrip` can confuse.
        let awkward: [f64; 5] = [
            0.1 + 0.2,
            1.0 / 3.0,
            2.2250738585072014e-308,
            9007199254740993.0,
            -0.0,
        ];
        let text = to_wire(&awkward.to_vec()).expect("serialises");
        let back: Vec<f64> = from_wire(&text).expect("reads");
        for (a, b) in awkward.iter().zip(&back) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
        let plain = serde_json::json!({"f64_bits": "text", "name": "Corby", "n": [1, 2.5]});
        let back: Value = from_wire(&to_wire(&plain).expect("serialises")).expect("reads");
        assert_eq!(back, plain);
    }

    #[test]
    fn an_invalid_pool_is_an_error_naming_the_problem() {
        let pool = Pool {
            trials: 0,
            ..healthier_together(1)
        };
        match ChunkedRun::start(2, &pool, 1_000, 0.0) {
            Err(FromRunner::Error { run: 2, message }) => assert!(message.contains("trials")),
            _ => panic!("an invalid pool must not start"),
        }
    }

    #[test]
    fn chunk_sizes_give_about_twenty_steps_within_bounds() {
        assert_eq!(chunk_for(100_000), 10_000);
        assert_eq!(chunk_for(1_000_000), 50_000);
        assert_eq!(chunk_for(10_000_000), 100_000);
        assert_eq!(chunk_for(1), 10_000);
    }
}
