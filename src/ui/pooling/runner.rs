//! Running a pool's whole simulation from the page: shared among Web Workers, one a
//! processor core (`navigator.hardwareConcurrency`, at most `pool_run::MAX_WORKERS`), when
//! the browser can start them, else on the page itself, a chunk at a time with a pause
//! between chunks (a single HTML file opened from disk cannot start workers). Both go
//! through `crate::pool_run` (its `Coordinator` hands out the streams and adds their
//! tallies in order), so the figures are the same bits however many workers ran them.
//!
//! State is a reducer ([`RunState`]); the workers, their handlers, the run's coordinator
//! and the page loop's cancel flag live in a [`Driver`] that the hook keeps for the
//! component's lifetime and ends (terminating the workers) when the component goes.
//! Workers are kept between runs, warm.

use crate::pool_run::{self, ChunkedRun, Coordinator, Estimate, FromRunner, FromWorker};
use onebudget_engine::pooling::Pool;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The worker's loader, beside index.html (Trunk's `data-loader-shim`).
const WORKER_URL: &str = "./onebudget-pool-worker_loader.js";

/// Where the simulation runs: in this many background workers, or on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    Workers(usize),
    Page,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Idle,
    /// Asked for; the worker is loading.
    Starting {
        total: u32,
    },
    Running {
        done: u32,
        total: u32,
    },
    /// Cancel was pressed; waiting for the runner to say where it stopped.
    Cancelling {
        done: u32,
        total: u32,
    },
    Done {
        trials: u32,
        elapsed_ms: f64,
    },
    Cancelled {
        done: u32,
        total: u32,
    },
    Failed(String),
}

impl Status {
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            Status::Starting { .. } | Status::Running { .. } | Status::Cancelling { .. }
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RunState {
    /// The run messages must belong to; older runs' messages are ignored.
    pub run: u32,
    /// The pool being (or last) simulated: an estimate is shown only for this pool.
    pub pool: Option<Pool>,
    pub host: Option<Host>,
    pub status: Status,
    pub estimate: Option<Rc<Estimate>>,
}

pub enum RunAction {
    Start { run: u32, pool: Pool, host: Host },
    Host(Host),
    CancelRequested,
    Message(FromRunner),
}

impl Reducible for RunState {
    type Action = RunAction;

    fn reduce(self: Rc<Self>, action: RunAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            RunAction::Start { run, pool, host } => {
                next = RunState {
                    run,
                    status: Status::Starting { total: pool.trials },
                    pool: Some(pool),
                    host: Some(host),
                    estimate: None,
                };
            }
            RunAction::Host(host) => next.host = Some(host),
            RunAction::CancelRequested => {
                next.status = match &self.status {
                    Status::Running { done, total } => Status::Cancelling {
                        done: *done,
                        total: *total,
                    },
                    Status::Starting { total } => Status::Cancelling {
                        done: 0,
                        total: *total,
                    },
                    other => other.clone(),
                }
            }
            RunAction::Message(message) => {
                // Only the current run, and nothing after it has ended or been cancelled.
                let current = message.run() == self.run;
                let listening = matches!(
                    self.status,
                    Status::Starting { .. } | Status::Running { .. }
                ) || (matches!(self.status, Status::Cancelling { .. })
                    && matches!(message, FromRunner::Cancelled { .. }));
                if !current || !listening {
                    return self;
                }
                match message {
                    FromRunner::Progress { done, total, .. } => {
                        next.status = Status::Running { done, total };
                    }
                    FromRunner::Estimate { estimate, .. } => {
                        next.estimate = Some(Rc::new(*estimate));
                    }
                    FromRunner::Done {
                        trials, elapsed_ms, ..
                    } => next.status = Status::Done { trials, elapsed_ms },
                    FromRunner::Cancelled { done, .. } => {
                        let total = self.pool.as_ref().map_or(0, |p| p.trials);
                        next.status = Status::Cancelled { done, total };
                    }
                    FromRunner::Error { message, .. } => next.status = Status::Failed(message),
                }
            }
        }
        Rc::new(next)
    }
}

/// Streams out with one worker at a time: the next waits in its queue, so a worker never
/// idles while the page is busy drawing an estimate (cancel waits for at most these).
const STREAMS_PER_WORKER: u32 = 2;

/// One worker: whether it has said it is ready, and how many streams are out with it.
struct Slot {
    worker: web_sys::Worker,
    ready: bool,
    out: u32,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

/// The workers and the run they share, reached by their handlers (weakly) and the hook.
struct Workers {
    dispatcher: UseReducerDispatcher<RunState>,
    slots: Vec<Slot>,
    /// How many of the slots the current run uses.
    used: usize,
    coordinator: Option<Coordinator>,
    /// The current run's pool, to run it on the page if no worker can load.
    pool: Option<Pool>,
    /// Some worker has loaded: a later error is a crash, not a browser without workers.
    ever_ready: bool,
    page_cancel: Option<Rc<Cell<bool>>>,
    /// This browser would not start a worker (tried once): run on the page.
    page_only: bool,
    runs: u32,
}

pub struct Driver(Rc<RefCell<Workers>>);

impl Drop for Driver {
    fn drop(&mut self) {
        if let Ok(mut w) = self.0.try_borrow_mut() {
            w.stop();
        }
    }
}

impl Workers {
    fn stop(&mut self) {
        self.end_workers();
        if let Some(flag) = self.page_cancel.take() {
            flag.set(true);
        }
    }

    fn end_workers(&mut self) {
        for slot in self.slots.drain(..) {
            slot.worker.terminate();
        }
        self.coordinator = None;
    }

    /// Give each free worker of the run the next stream; a stream that cannot be posted
    /// ends the run with an error (it would never come back).
    fn feed(&mut self) -> Vec<FromRunner> {
        let Some(coordinator) = self.coordinator.as_mut() else {
            return Vec::new();
        };
        // Round by round, so each worker has one stream before any has two.
        for _ in 0..STREAMS_PER_WORKER {
            for slot in self.slots.iter_mut().take(self.used) {
                if !slot.ready || slot.out >= STREAMS_PER_WORKER {
                    continue;
                }
                let Some(job) = coordinator.next_job() else {
                    return Vec::new();
                };
                let posted = serde_wasm_bindgen::to_value(&job)
                    .is_ok_and(|value| slot.worker.post_message(&value).is_ok());
                if !posted {
                    let run = coordinator.run_number();
                    let message = "a stream could not be sent to a background worker".into();
                    return coordinator.receive(FromWorker::Error { run, message }, now_ms());
                }
                slot.out += 1;
            }
        }
        Vec::new()
    }

    /// Run `pool` on the page, chunk by chunk.
    fn run_on_page(&mut self, run: u32, pool: Pool) {
        let flag = Rc::new(Cell::new(false));
        self.page_cancel = Some(flag.clone());
        run_on_page(self.dispatcher.clone(), run, pool, flag);
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// The processor cores the browser reports (0 if it says nothing).
fn cores() -> usize {
    web_sys::window().map_or(0, |w| w.navigator().hardware_concurrency() as usize)
}

/// Run on the page: one chunk, then a pause so the page can paint and take clicks.
fn run_on_page(
    dispatcher: UseReducerDispatcher<RunState>,
    run: u32,
    pool: Pool,
    cancel: Rc<Cell<bool>>,
) {
    dispatcher.dispatch(RunAction::Host(Host::Page));
    let chunk = pool_run::chunk_for(pool.trials);
    wasm_bindgen_futures::spawn_local(async move {
        let mut simulation = match ChunkedRun::start(run, &pool, chunk, now_ms()) {
            Ok(s) => s,
            Err(error) => {
                dispatcher.dispatch(RunAction::Message(error));
                return;
            }
        };
        loop {
            yew::platform::time::sleep(std::time::Duration::from_millis(0)).await;
            if cancel.get() {
                dispatcher.dispatch(RunAction::Message(FromRunner::Cancelled {
                    run,
                    done: simulation.done(),
                }));
                return;
            }
            for message in simulation.step(&now_ms) {
                dispatcher.dispatch(RunAction::Message(message));
            }
            if simulation.is_finished() {
                return;
            }
        }
    });
}

/// A worker's message: mark it free (or ready), pass a tally to the run, hand out more.
fn on_worker_message(workers: &Rc<RefCell<Workers>>, index: usize, data: JsValue) {
    let Ok(message) = serde_wasm_bindgen::from_value::<FromWorker>(data) else {
        return;
    };
    let (dispatcher, out) = {
        let mut w = workers.borrow_mut();
        let mut out = Vec::new();
        if let Some(slot) = w.slots.get_mut(index) {
            if message == FromWorker::Ready {
                slot.ready = true;
            } else {
                slot.out = slot.out.saturating_sub(1);
            }
        }
        if message == FromWorker::Ready {
            w.ever_ready = true;
        } else if let Some(coordinator) = w.coordinator.as_mut() {
            out = coordinator.receive(message, now_ms());
        }
        out.extend(w.feed());
        (w.dispatcher.clone(), out)
    };
    for message in out {
        dispatcher.dispatch(RunAction::Message(message));
    }
}

/// A worker failed: before any loaded, this browser cannot start them (run on the page
/// instead); after, it stopped unexpectedly (the run fails, the workers are ended).
fn on_worker_error(workers: &Rc<RefCell<Workers>>) {
    let mut w = workers.borrow_mut();
    let current = w
        .coordinator
        .as_ref()
        .filter(|c| !c.is_over())
        .map(Coordinator::run_number);
    let pool = w.pool.clone();
    let ever_ready = w.ever_ready;
    w.end_workers();
    if !ever_ready {
        w.page_only = true;
        if let (Some(run), Some(pool)) = (current, pool) {
            w.run_on_page(run, pool);
        }
        return;
    }
    let dispatcher = w.dispatcher.clone();
    drop(w);
    if let Some(run) = current {
        dispatcher.dispatch(RunAction::Message(FromRunner::Error {
            run,
            message: "the background worker stopped unexpectedly".into(),
        }));
    }
}

/// Start one more worker, or say why not.
fn spawn_worker(workers: &Rc<RefCell<Workers>>, index: usize) -> Result<Slot, JsValue> {
    let worker = web_sys::Worker::new(WORKER_URL)?;
    let weak: Weak<RefCell<Workers>> = Rc::downgrade(workers);
    let on_message = {
        let weak = weak.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(workers) = weak.upgrade() {
                on_worker_message(&workers, index, e.data());
            }
        })
    };
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        e.prevent_default();
        if let Some(workers) = weak.upgrade() {
            on_worker_error(&workers);
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Slot {
        worker,
        ready: false,
        out: 0,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Start a run: in workers (started as needed, one a core), else on the page.
fn start_run(workers: &Rc<RefCell<Workers>>, pool: Pool) {
    let mut w = workers.borrow_mut();
    w.runs += 1;
    let run = w.runs;
    if let Some(flag) = w.page_cancel.take() {
        flag.set(true);
    }
    let dispatcher = w.dispatcher.clone();
    w.pool = Some(pool.clone());
    w.coordinator = None;
    if !w.page_only {
        let coordinator = match Coordinator::start(run, &pool, now_ms()) {
            Ok(c) => c,
            Err(error) => {
                drop(w);
                dispatcher.dispatch(RunAction::Start {
                    run,
                    pool,
                    host: Host::Page,
                });
                dispatcher.dispatch(RunAction::Message(error));
                return;
            }
        };
        let wanted = pool_run::workers_for(cores(), coordinator.streams());
        while w.slots.len() < wanted {
            let index = w.slots.len();
            match spawn_worker(workers, index) {
                Ok(slot) => w.slots.push(slot),
                Err(_) => break,
            }
        }
        if w.slots.is_empty() {
            w.page_only = true;
        } else {
            w.used = wanted.min(w.slots.len());
            w.coordinator = Some(coordinator);
            let host = Host::Workers(w.used);
            let out = w.feed();
            drop(w);
            dispatcher.dispatch(RunAction::Start { run, pool, host });
            for message in out {
                dispatcher.dispatch(RunAction::Message(message));
            }
            return;
        }
    }
    dispatcher.dispatch(RunAction::Start {
        run,
        pool: pool.clone(),
        host: Host::Page,
    });
    w.run_on_page(run, pool);
}

/// Cancel the current run: no more streams go out, and the page loop stops.
fn cancel_run(workers: &Rc<RefCell<Workers>>) {
    let (dispatcher, out) = {
        let mut w = workers.borrow_mut();
        if let Some(flag) = w.page_cancel.as_ref() {
            flag.set(true);
        }
        let out = w
            .coordinator
            .as_mut()
            .map(Coordinator::cancel)
            .unwrap_or_default();
        (w.dispatcher.clone(), out)
    };
    for message in out {
        dispatcher.dispatch(RunAction::Message(message));
    }
}

/// The run's state, and how to start and cancel it.
pub struct PoolRun {
    pub state: Rc<RunState>,
    pub start: Callback<Pool>,
    pub cancel: Callback<()>,
}

#[hook]
pub fn use_pool_run() -> PoolRun {
    let state = use_reducer(|| RunState {
        run: 0,
        pool: None,
        host: None,
        status: Status::Idle,
        estimate: None,
    });
    let driver = {
        let dispatcher = state.dispatcher();
        use_mut_ref(move || {
            Driver(Rc::new(RefCell::new(Workers {
                dispatcher,
                slots: Vec::new(),
                used: 0,
                coordinator: None,
                pool: None,
                ever_ready: false,
                page_cancel: None,
                page_only: false,
                runs: 0,
            })))
        })
    };

    // End the workers and any page run when the section goes.
    {
        let driver = driver.clone();
        use_effect_with((), move |_| {
            move || {
                if let Ok(mut w) = driver.borrow().0.try_borrow_mut() {
                    w.stop();
                }
            }
        });
    }

    let start = {
        let driver = driver.clone();
        Callback::from(move |pool: Pool| {
            let workers = driver.borrow().0.clone();
            start_run(&workers, pool);
        })
    };

    let cancel = {
        let driver = driver.clone();
        let dispatcher = state.dispatcher();
        let state = state.clone();
        Callback::from(move |()| {
            if !state.status.is_active() {
                return;
            }
            dispatcher.dispatch(RunAction::CancelRequested);
            let workers = driver.borrow().0.clone();
            cancel_run(&workers);
        })
    };

    PoolRun {
        state: Rc::new((*state).clone()),
        start,
        cancel,
    }
}
