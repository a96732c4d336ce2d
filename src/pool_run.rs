//! Running a pool's whole simulation off the keystroke path: the messages between the
//! page and the pooling workers (`src/bin/onebudget-pool-worker.rs`), the page's
//! [`Coordinator`] that shares a run's streams among them, and the chunk loop the page
//! uses itself where no worker can be started (a single HTML file opened from disk).
//!
//! A run is the engine's streams (`pooling::STREAM_TRIALS` trials each, the partition
//! fixed by the pool, not by the number of workers). The coordinator hands the next
//! stream to whichever worker is free ([`ToWorker::Stream`]); each worker runs it and
//! sends back its tallies ([`FromWorker::Tally`]); the coordinator adds them in stream
//! order, so the figures have the same bits on one worker or eight, and the same as the
//! page's chunks and the CLI. The page hears [`FromRunner`]: progress as streams are
//! added, an [`Estimate`] every [`ESTIMATE_EVERY`] trials and at the end, then `Done`, or
//! `Cancelled` (once every stream already handed out has come back, so nothing of the
//! run arrives afterwards) or `Error`. Every message names its run, so a late message
//! from an earlier run is recognised and ignored.
//!
//! Messages cross to and from a worker as JavaScript values (serde-wasm-bindgen and the
//! browser's structured clone, which carries every f64 exactly); a tally's histogram
//! bins travel as byte strings (typed arrays). This module is plain Rust (serde and the
//! engine only): the worker compiles it on its own, without the app, and it is tested
//! natively.

use onebudget_engine::money::MoneyError;
use onebudget_engine::pooling::{
    OverspendDistribution, Pool, PoolingResult, Simulation, StreamTally,
};
use onebudget_engine::validation::Problems;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bins in each member's overspend distribution sent with an estimate.
pub const DISTRIBUTION_BINS: usize = 40;

/// Trials between two estimates of a run: each costs the page a summary (a few
/// milliseconds), and this is often enough for the figures to be seen refining.
pub const ESTIMATE_EVERY: u32 = 250_000;

/// The most workers a run uses, however many cores the browser reports.
pub const MAX_WORKERS: usize = 8;

/// How many workers to start for a run of `streams` streams on a browser that reports
/// `cores` (`navigator.hardwareConcurrency`; 0 when it says nothing): one a core, at
/// least one, at most [`MAX_WORKERS`], never more than there are streams.
pub fn workers_for(cores: usize, streams: u32) -> usize {
    cores
        .clamp(1, MAX_WORKERS)
        .min(usize::try_from(streams).unwrap_or(usize::MAX))
        .max(1)
}

/// The chunk size the page asks for when it runs the trials itself: about 20 progress
/// steps, each between 10,000 and 100,000 trials (about 5 to 50 ms in wasm for five
/// members), so the page stays responsive between chunks.
pub fn chunk_for(trials: u32) -> u32 {
    (trials / 20).clamp(10_000, 100_000)
}

/// From the page to a worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToWorker {
    /// Run `stream` of `pool`'s simulation and send back its tallies.
    Stream { run: u32, pool: Pool, stream: u32 },
}

/// From a worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FromWorker {
    /// The worker has started and is listening (messages sent before this are lost).
    Ready,
    /// A stream's tallies, and the worker's own time running it.
    Tally {
        run: u32,
        tally: Box<StreamTally>,
        elapsed_ms: f64,
    },
    /// The stream could not be run (`run` 0: the message could not be read).
    Error { run: u32, message: String },
}

/// The figures so far, and each member's overspend distribution for the charts.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub result: PoolingResult,
    pub distributions: Vec<OverspendDistribution>,
}

impl Estimate {
    fn of(simulation: &Simulation) -> Result<Estimate, MoneyError> {
        Ok(Estimate {
            result: simulation.summary()?,
            distributions: simulation.distributions(DISTRIBUTION_BINS),
        })
    }
}

/// What the page's run state hears, from the coordinator or the page's own chunks.
#[derive(Clone, Debug, PartialEq)]
pub enum FromRunner {
    Progress {
        run: u32,
        done: u32,
        total: u32,
    },
    Estimate {
        run: u32,
        estimate: Box<Estimate>,
    },
    /// Every trial has run; `elapsed_ms` is the run's time on the page's clock, from
    /// start to the last figures, and `worker_ms` the workers' own time summed (0 on
    /// the page).
    Done {
        run: u32,
        trials: u32,
        elapsed_ms: f64,
        worker_ms: f64,
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
    /// The run this message is about.
    pub fn run(&self) -> u32 {
        match self {
            FromRunner::Progress { run, .. }
            | FromRunner::Estimate { run, .. }
            | FromRunner::Done { run, .. }
            | FromRunner::Cancelled { run, .. }
            | FromRunner::Error { run, .. } => *run,
        }
    }
}

/// The pool's simulation, or what is wrong. The page sends the pool of a valid scenario;
/// a message is still input, so it is checked by the pool's own rules before anything is
/// simulated (the engine's `Simulation::new` does not check it again).
fn checked_simulation(pool: &Pool) -> Result<Simulation, String> {
    let mut problems = Problems::new();
    pool.problems("pool", &mut problems);
    if !problems.is_empty() {
        let texts: Vec<String> = problems.list.iter().map(|p| p.to_string()).collect();
        return Err(texts.join("; "));
    }
    Simulation::new(pool).map_err(|e| e.to_string())
}

fn start_simulation(run: u32, pool: &Pool) -> Result<Simulation, FromRunner> {
    checked_simulation(pool).map_err(|message| FromRunner::Error { run, message })
}

/// The trials at which the estimate after `done` is due.
fn next_estimate_after(done: u32) -> u32 {
    (done / ESTIMATE_EVERY)
        .saturating_add(1)
        .saturating_mul(ESTIMATE_EVERY)
}

/// One run shared among workers: which stream goes out next, the tallies that came back
/// early, and the simulation they are added to in stream order.
pub struct Coordinator {
    run: u32,
    pool: Pool,
    simulation: Simulation,
    /// The next stream to hand out.
    next_stream: u32,
    /// Streams handed out and not yet back.
    in_flight: u32,
    /// Tallies that came back before an earlier stream's.
    early: BTreeMap<u32, StreamTally>,
    next_estimate: u32,
    cancelled: bool,
    over: bool,
    started_ms: f64,
    worker_ms: f64,
}

impl Coordinator {
    /// Check the pool and set up its run; `now_ms` is the page's clock.
    pub fn start(run: u32, pool: &Pool, now_ms: f64) -> Result<Coordinator, FromRunner> {
        Ok(Coordinator {
            run,
            pool: pool.clone(),
            simulation: start_simulation(run, pool)?,
            next_stream: 0,
            in_flight: 0,
            early: BTreeMap::new(),
            next_estimate: ESTIMATE_EVERY,
            cancelled: false,
            over: false,
            started_ms: now_ms,
            worker_ms: 0.0,
        })
    }

    pub fn run_number(&self) -> u32 {
        self.run
    }

    /// How many streams the run has (so how many workers could share it).
    pub fn streams(&self) -> u32 {
        self.simulation.streams()
    }

    /// Whether the run has ended (done, cancelled with nothing out, or failed).
    pub fn is_over(&self) -> bool {
        self.over
    }

    /// The job for a worker that is free: the next stream, if any is left to hand out.
    pub fn next_job(&mut self) -> Option<ToWorker> {
        if self.over || self.cancelled || self.next_stream >= self.simulation.streams() {
            return None;
        }
        let stream = self.next_stream;
        self.next_stream += 1;
        self.in_flight += 1;
        Some(ToWorker::Stream {
            run: self.run,
            pool: self.pool.clone(),
            stream,
        })
    }

    /// Stop handing out streams. `Cancelled` comes at once if no stream is out, else
    /// when the last one comes back (its tallies are dropped).
    pub fn cancel(&mut self) -> Vec<FromRunner> {
        if self.over || self.cancelled {
            return Vec::new();
        }
        self.cancelled = true;
        self.cancelled_if_settled()
    }

    fn cancelled_if_settled(&mut self) -> Vec<FromRunner> {
        if self.in_flight > 0 {
            return Vec::new();
        }
        self.over = true;
        vec![FromRunner::Cancelled {
            run: self.run,
            done: self.simulation.progress().0,
        }]
    }

    /// Take a worker's message (one of another run is ignored) and say what the page
    /// should show.
    pub fn receive(&mut self, message: FromWorker, now_ms: f64) -> Vec<FromRunner> {
        let run = self.run;
        match message {
            FromWorker::Ready => Vec::new(),
            FromWorker::Error { run: r, message } if r == run || r == 0 => {
                self.in_flight = self.in_flight.saturating_sub(1);
                if self.over {
                    return Vec::new();
                }
                self.over = true;
                vec![FromRunner::Error { run, message }]
            }
            FromWorker::Tally {
                run: r,
                tally,
                elapsed_ms,
            } if r == run => {
                self.in_flight = self.in_flight.saturating_sub(1);
                if self.over {
                    return Vec::new();
                }
                if self.cancelled {
                    return self.cancelled_if_settled();
                }
                self.worker_ms += elapsed_ms;
                self.early.insert(tally.stream, *tally);
                self.add_early(now_ms)
            }
            FromWorker::Error { .. } | FromWorker::Tally { .. } => Vec::new(),
        }
    }

    /// Add every tally that is next in stream order.
    fn add_early(&mut self, now_ms: f64) -> Vec<FromRunner> {
        let run = self.run;
        let mut added = false;
        while let Some(tally) = self.early.remove(&self.simulation.next_stream()) {
            if !self.simulation.add_stream(&tally) {
                self.over = true;
                return vec![FromRunner::Error {
                    run,
                    message: format!("stream {} does not fit this run", tally.stream),
                }];
            }
            added = true;
        }
        if !added {
            return Vec::new();
        }
        let (done, total) = self.simulation.progress();
        let mut out = vec![FromRunner::Progress { run, done, total }];
        let finished = self.simulation.is_finished();
        if done >= self.next_estimate || finished {
            self.next_estimate = next_estimate_after(done);
            match Estimate::of(&self.simulation) {
                Ok(estimate) => out.push(FromRunner::Estimate {
                    run,
                    estimate: Box::new(estimate),
                }),
                Err(e) => {
                    self.over = true;
                    out.push(FromRunner::Error {
                        run,
                        message: e.to_string(),
                    });
                    return out;
                }
            }
        }
        if finished {
            self.over = true;
            out.push(FromRunner::Done {
                run,
                trials: done,
                elapsed_ms: now_ms - self.started_ms,
                worker_ms: self.worker_ms,
            });
        }
        out
    }
}

/// One run's simulation on the page itself, advanced a chunk at a time.
pub struct ChunkedRun {
    run: u32,
    chunk: u32,
    simulation: Simulation,
    next_estimate: u32,
    started_ms: f64,
}

impl ChunkedRun {
    /// Check the pool and set up its simulation; `now_ms` is the page's clock.
    pub fn start(run: u32, pool: &Pool, chunk: u32, now_ms: f64) -> Result<Self, FromRunner> {
        Ok(ChunkedRun {
            run,
            chunk: chunk.max(1),
            simulation: start_simulation(run, pool)?,
            next_estimate: ESTIMATE_EVERY,
            started_ms: now_ms,
        })
    }

    pub fn is_finished(&self) -> bool {
        self.simulation.is_finished()
    }

    /// Run one chunk and say what it found: progress, an estimate every
    /// [`ESTIMATE_EVERY`] trials and at the end, and `Done` after the last chunk.
    pub fn step(&mut self, now_ms: &dyn Fn() -> f64) -> Vec<FromRunner> {
        let run = self.run;
        self.simulation.run_chunk(self.chunk);
        let (done, total) = self.simulation.progress();
        let mut out = vec![FromRunner::Progress { run, done, total }];
        let finished = self.simulation.is_finished();
        if done >= self.next_estimate || finished {
            self.next_estimate = next_estimate_after(done);
            match Estimate::of(&self.simulation) {
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
        }
        if finished {
            out.push(FromRunner::Done {
                run,
                trials: done,
                elapsed_ms: now_ms() - self.started_ms,
                worker_ms: 0.0,
            });
        }
        out
    }

    /// Trials run so far.
    pub fn done(&self) -> u32 {
        self.simulation.progress().0
    }
}

/// A worker's side of the protocol, apart from the browser: the simulation of the last
/// pool it was sent (kept, so the streams of one run share its set-up), and the answer
/// to each message. `now_ms` is the worker's clock.
#[derive(Default)]
pub struct WorkerRuns {
    simulation: Option<Simulation>,
    pool: Option<Pool>,
}

impl WorkerRuns {
    pub fn answer(&mut self, message: ToWorker, now_ms: &dyn Fn() -> f64) -> FromWorker {
        let ToWorker::Stream { run, pool, stream } = message;
        let started = now_ms();
        if self.pool.as_ref() != Some(&pool) {
            match checked_simulation(&pool) {
                Ok(simulation) => {
                    self.simulation = Some(simulation);
                    self.pool = Some(pool);
                }
                Err(message) => return FromWorker::Error { run, message },
            }
        }
        let Some(simulation) = self.simulation.as_ref() else {
            return FromWorker::Error {
                run,
                message: "no simulation".into(),
            };
        };
        match simulation.run_stream(stream) {
            Some(tally) => FromWorker::Tally {
                run,
                tally: Box::new(tally),
                elapsed_ms: now_ms() - started,
            },
            None => FromWorker::Error {
                run,
                message: format!("the run has no stream {stream}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onebudget_engine::examples;
    use onebudget_engine::pooling::STREAM_TRIALS;

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

    fn run_on_page(pool: &Pool, chunk: u32) -> Vec<FromRunner> {
        let mut run = ChunkedRun::start(7, pool, chunk, 0.0).expect("valid");
        let mut out = Vec::new();
        while !run.is_finished() {
            out.extend(run.step(&|| 0.0));
        }
        out
    }

    /// A run shared among `workers` workers as the page does it: each free worker is
    /// given the next job; the busy worker that answers next is picked by `finish`
    /// (cycled); a worker's message goes through serde's data model as it would through
    /// the browser. `cancel_after` cancels once that many messages have come back.
    fn run_on_workers(
        pool: &Pool,
        workers: usize,
        finish: &[usize],
        cancel_after: Option<usize>,
    ) -> Vec<FromRunner> {
        let mut coordinator = Coordinator::start(7, pool, 0.0).expect("valid");
        let mut hosts: Vec<WorkerRuns> = (0..workers).map(|_| WorkerRuns::default()).collect();
        let mut busy: Vec<(usize, ToWorker)> = Vec::new();
        let mut out = Vec::new();
        let mut picks = finish.iter().cycle();
        let mut answered = 0;
        // Each worker's clock moves 1 ms between its two readings of a stream.
        let ticks = std::cell::Cell::new(0.0);
        let clock = || {
            ticks.set(ticks.get() + 0.5);
            ticks.get()
        };
        loop {
            for w in 0..workers {
                if !busy.iter().any(|(b, _)| *b == w) {
                    if let Some(job) = coordinator.next_job() {
                        let wire = serde_json::to_value(&job).expect("serialises");
                        busy.push((w, serde_json::from_value(wire).expect("reads")));
                    }
                }
            }
            if busy.is_empty() {
                break;
            }
            let pick = picks.next().copied().unwrap_or(0) % busy.len();
            let (w, job) = busy.remove(pick);
            let answer = hosts[w].answer(job, &clock);
            let wire = serde_json::to_value(&answer).expect("serialises");
            out.extend(coordinator.receive(serde_json::from_value(wire).expect("reads"), 5.0));
            answered += 1;
            if cancel_after == Some(answered) {
                out.extend(coordinator.cancel());
            }
        }
        assert!(coordinator.is_over());
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

    fn estimates_at(messages: &[FromRunner]) -> Vec<u32> {
        messages
            .iter()
            .filter_map(|m| match m {
                FromRunner::Estimate { estimate, .. } => Some(estimate.result.trials),
                _ => None,
            })
            .collect()
    }

    fn progress(messages: &[FromRunner]) -> Vec<u32> {
        messages
            .iter()
            .filter_map(|m| match m {
                FromRunner::Progress { done, .. } => Some(*done),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_page_reports_progress_each_chunk_and_an_estimate_every_250_000_trials() {
        let messages = run_on_page(&healthier_together(600_000), 100_000);
        assert_eq!(
            progress(&messages),
            vec![100_000, 200_000, 300_000, 400_000, 500_000, 600_000]
        );
        assert_eq!(estimates_at(&messages), vec![300_000, 500_000, 600_000]);
        assert!(matches!(
            messages.last(),
            Some(FromRunner::Done {
                run: 7,
                trials: 600_000,
                ..
            })
        ));
        assert!(messages.iter().all(|m| m.run() == 7));
        // A short run: its only estimate is the last.
        let short = run_on_page(&healthier_together(25_000), 10_000);
        assert_eq!(progress(&short), vec![10_000, 20_000, 25_000]);
        assert_eq!(estimates_at(&short), vec![25_000]);
    }

    #[test]
    fn one_worker_or_eight_give_the_pages_figures_to_the_bit() {
        let pool = healthier_together(4 * STREAM_TRIALS + 1_234);
        let on_page = last_estimate(&run_on_page(&pool, 70_000));
        assert_eq!(
            on_page.result,
            onebudget_engine::pooling::simulate(&pool).expect("runs")
        );
        for (workers, finish) in [
            (1, vec![0]),
            (2, vec![1, 0, 0]),
            (3, vec![2, 1]),
            (8, vec![5, 3, 0]),
        ] {
            let messages = run_on_workers(&pool, workers, &finish, None);
            assert!(last_estimate(&messages) == on_page, "{workers} workers");
            // Progress only ever grows, stream by stream, in stream order.
            let steps = progress(&messages);
            assert!(steps.windows(2).all(|w| w[0] < w[1]), "{steps:?}");
            assert_eq!(steps.last(), Some(&pool.trials));
            assert!(steps
                .iter()
                .all(|d| d % STREAM_TRIALS == 0 || *d == pool.trials));
            assert_eq!(estimates_at(&messages).last(), Some(&pool.trials));
            match messages.last() {
                Some(FromRunner::Done {
                    trials, worker_ms, ..
                }) => {
                    assert_eq!(*trials, pool.trials);
                    // Each stream's time in its worker (0.5 ms on the tests' clock), summed.
                    assert_eq!(*worker_ms, 0.5 * 5.0);
                }
                other => panic!("ends with {other:?}"),
            }
        }
    }

    #[test]
    fn estimates_come_every_250_000_trials_as_streams_are_added() {
        let pool = healthier_together(8 * STREAM_TRIALS);
        let messages = run_on_workers(&pool, 2, &[1, 0], None);
        assert_eq!(
            estimates_at(&messages),
            vec![250_000, 500_000, 750_000, 1_000_000]
        );
    }

    #[test]
    fn cancel_waits_for_the_streams_out_and_then_nothing_more_comes() {
        let pool = healthier_together(10 * STREAM_TRIALS);
        let messages = run_on_workers(&pool, 3, &[2, 0], Some(4));
        let cancelled = messages
            .iter()
            .position(|m| matches!(m, FromRunner::Cancelled { .. }))
            .expect("cancelled");
        assert_eq!(cancelled, messages.len() - 1, "nothing after Cancelled");
        let FromRunner::Cancelled { done, .. } = messages[cancelled] else {
            unreachable!()
        };
        assert_eq!(progress(&messages).last(), Some(&done));
        assert!(done > 0 && done < pool.trials);
        // Cancelled with nothing out: at once.
        let mut idle = Coordinator::start(1, &pool, 0.0).expect("valid");
        assert_eq!(
            idle.cancel(),
            vec![FromRunner::Cancelled { run: 1, done: 0 }]
        );
        assert_eq!(idle.next_job(), None);
        assert!(idle.cancel().is_empty());
    }

    #[test]
    fn messages_of_another_run_are_ignored_and_errors_end_the_run() {
        let pool = healthier_together(3 * STREAM_TRIALS);
        let mut coordinator = Coordinator::start(2, &pool, 0.0).expect("valid");
        let mut host = WorkerRuns::default();
        let Some(ToWorker::Stream { stream, .. }) = coordinator.next_job() else {
            panic!("a job");
        };
        let old = host.answer(
            ToWorker::Stream {
                run: 1,
                pool: pool.clone(),
                stream,
            },
            &|| 0.0,
        );
        assert!(coordinator.receive(old, 1.0).is_empty());
        let out = coordinator.receive(
            FromWorker::Error {
                run: 2,
                message: "boom".into(),
            },
            1.0,
        );
        assert_eq!(
            out,
            vec![FromRunner::Error {
                run: 2,
                message: "boom".into()
            }]
        );
        assert!(coordinator.is_over());
        assert_eq!(coordinator.next_job(), None);
        // A worker asked for a stream that does not exist says so.
        let answer = host.answer(
            ToWorker::Stream {
                run: 3,
                pool: pool.clone(),
                stream: 99,
            },
            &|| 0.0,
        );
        assert!(matches!(answer, FromWorker::Error { run: 3, .. }));
    }

    #[test]
    fn an_invalid_pool_is_an_error_naming_the_problem() {
        let pool = Pool {
            trials: 0,
            ..healthier_together(1)
        };
        for started in [
            ChunkedRun::start(2, &pool, 1_000, 0.0).err(),
            Coordinator::start(2, &pool, 0.0).err(),
        ] {
            match started {
                Some(FromRunner::Error { run: 2, message }) => {
                    assert!(message.contains("trials"))
                }
                _ => panic!("an invalid pool must not start"),
            }
        }
        let answer = WorkerRuns::default().answer(
            ToWorker::Stream {
                run: 4,
                pool,
                stream: 0,
            },
            &|| 0.0,
        );
        assert!(
            matches!(answer, FromWorker::Error { run: 4, message } if message.contains("trials"))
        );
    }

    #[test]
    fn one_worker_a_core_at_most_eight_and_never_more_than_the_streams() {
        assert_eq!(workers_for(0, 80), 1);
        assert_eq!(workers_for(1, 80), 1);
        assert_eq!(workers_for(2, 80), 2);
        assert_eq!(workers_for(64, 80), MAX_WORKERS);
        assert_eq!(workers_for(4, 1), 1);
        assert_eq!(workers_for(4, 3), 3);
    }

    #[test]
    fn chunk_sizes_give_about_twenty_steps_within_bounds() {
        assert_eq!(chunk_for(100_000), 10_000);
        assert_eq!(chunk_for(1_000_000), 50_000);
        assert_eq!(chunk_for(10_000_000), 100_000);
        assert_eq!(chunk_for(1), 10_000);
    }
}
