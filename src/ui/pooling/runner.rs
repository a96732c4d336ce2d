//! Running a pool's whole simulation from the page: in the pooling worker when the
//! browser can start one, else on the page itself, a chunk at a time with a pause
//! between chunks (a single HTML file opened from disk cannot start workers). Both go
//! through `crate::pool_run`, so they send the same messages and give the same figures.
//!
//! State is a reducer ([`RunState`]); the worker, its handlers and the page loop's
//! cancel flag live in a [`Driver`] that the hook keeps for the component's lifetime
//! and ends (terminating the worker) when the component goes.

use crate::pool_run::{self, ChunkedRun, Estimate, FromRunner, ToRunner};
use onebudget_engine::pooling::Pool;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The worker's loader, beside index.html (Trunk's `data-loader-shim`).
const WORKER_URL: &str = "./onebudget-pool-worker_loader.js";

/// Where the simulation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    Worker,
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
                let current = message.run() == Some(self.run);
                let listening = matches!(
                    self.status,
                    Status::Starting { .. } | Status::Running { .. }
                ) || (matches!(self.status, Status::Cancelling { .. })
                    && matches!(message, FromRunner::Cancelled { .. }));
                if !current || !listening {
                    return self;
                }
                match message {
                    FromRunner::Ready => return self,
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

/// What the worker's handlers share with the driver.
#[derive(Default)]
struct Link {
    ready: Cell<bool>,
    /// A run asked for before the worker was ready: (run, pool, message).
    pending: RefCell<Option<(u32, Pool, String)>>,
    /// Set when the worker fails to load: runs go to the page from then on.
    broken: Cell<bool>,
}

struct WorkerHandle {
    worker: web_sys::Worker,
    link: Rc<Link>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

#[derive(Default)]
pub struct Driver {
    worker: Option<WorkerHandle>,
    page_cancel: Option<Rc<Cell<bool>>>,
    runs: u32,
    /// This browser would not start the worker (tried once): run on the page.
    page_only: bool,
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Driver {
    fn stop(&mut self) {
        if let Some(handle) = self.worker.take() {
            handle.worker.terminate();
        }
        if let Some(flag) = self.page_cancel.take() {
            flag.set(true);
        }
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
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

/// Start the worker, or say why not.
fn spawn_worker(
    dispatcher: UseReducerDispatcher<RunState>,
    page_cancel: Rc<RefCell<Option<Rc<Cell<bool>>>>>,
) -> Result<WorkerHandle, JsValue> {
    let worker = web_sys::Worker::new(WORKER_URL)?;
    let link = Rc::new(Link::default());
    let on_message = {
        let link = link.clone();
        let worker = worker.clone();
        let dispatcher = dispatcher.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            let Ok(message) = pool_run::from_wire::<FromRunner>(&text) else {
                return;
            };
            if message == FromRunner::Ready {
                link.ready.set(true);
                if let Some((_, _, pending)) = link.pending.borrow_mut().take() {
                    let _ = worker.post_message(&JsValue::from_str(&pending));
                }
                return;
            }
            dispatcher.dispatch(RunAction::Message(message));
        })
    };
    let on_error = {
        let link = link.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            link.broken.set(true);
            // Not loaded (no worker file, a policy forbids it): run here instead.
            if let Some((run, pool, _)) = link.pending.borrow_mut().take() {
                let flag = Rc::new(Cell::new(false));
                *page_cancel.borrow_mut() = Some(flag.clone());
                run_on_page(dispatcher.clone(), run, pool, flag);
            } else if link.ready.get() {
                dispatcher.dispatch(RunAction::Message(FromRunner::Error {
                    run: 0,
                    message: "the background worker stopped unexpectedly".into(),
                }));
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(WorkerHandle {
        worker,
        link,
        _on_message: on_message,
        _on_error: on_error,
    })
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
    let driver = use_mut_ref(Driver::default);
    // A fallback run started from the worker's error handler registers its cancel flag here.
    let fallback_cancel = use_mut_ref(|| None::<Rc<Cell<bool>>>);

    // End the worker and any page run when the section goes.
    {
        let driver = driver.clone();
        let fallback_cancel = fallback_cancel.clone();
        use_effect_with((), move |_| {
            move || {
                driver.borrow_mut().stop();
                if let Some(flag) = fallback_cancel.borrow_mut().take() {
                    flag.set(true);
                }
            }
        });
    }

    let start = {
        let driver = driver.clone();
        let fallback_cancel = fallback_cancel.clone();
        let dispatcher = state.dispatcher();
        Callback::from(move |pool: Pool| {
            let mut d = driver.borrow_mut();
            d.runs += 1;
            let run = d.runs;
            if let Some(flag) = d.page_cancel.take() {
                flag.set(true);
            }
            if let Some(flag) = fallback_cancel.borrow_mut().take() {
                flag.set(true);
            }
            if d.worker.as_ref().is_some_and(|w| w.link.broken.get()) {
                if let Some(handle) = d.worker.take() {
                    handle.worker.terminate();
                }
            }
            if !d.page_only && d.worker.is_none() {
                match spawn_worker(dispatcher.clone(), fallback_cancel.clone()) {
                    Ok(handle) => d.worker = Some(handle),
                    Err(_) => d.page_only = true,
                }
            }
            let Some(handle) = d.worker.as_ref() else {
                dispatcher.dispatch(RunAction::Start {
                    run,
                    pool: pool.clone(),
                    host: Host::Page,
                });
                let flag = Rc::new(Cell::new(false));
                d.page_cancel = Some(flag.clone());
                run_on_page(dispatcher.clone(), run, pool, flag);
                return;
            };
            dispatcher.dispatch(RunAction::Start {
                run,
                pool: pool.clone(),
                host: Host::Worker,
            });
            let chunk = pool_run::chunk_for(pool.trials);
            let Ok(text) = pool_run::to_wire(&ToRunner::Run {
                run,
                pool: pool.clone(),
                chunk,
            }) else {
                return;
            };
            if handle.link.ready.get() {
                let _ = handle.worker.post_message(&JsValue::from_str(&text));
            } else {
                *handle.link.pending.borrow_mut() = Some((run, pool, text));
            }
        })
    };

    let cancel = {
        let driver = driver.clone();
        let fallback_cancel = fallback_cancel.clone();
        let dispatcher = state.dispatcher();
        let state = state.clone();
        Callback::from(move |()| {
            if !state.status.is_active() {
                return;
            }
            dispatcher.dispatch(RunAction::CancelRequested);
            let run = state.run;
            let d = driver.borrow();
            let mut stopped_here = false;
            if let Some(flag) = d.page_cancel.as_ref() {
                flag.set(true);
                stopped_here = true;
            }
            if let Some(flag) = fallback_cancel.borrow().as_ref() {
                flag.set(true);
                stopped_here = true;
            }
            if let Some(handle) = d.worker.as_ref() {
                if handle.link.pending.borrow_mut().take().is_some() {
                    // Never sent: nothing ran.
                    dispatcher.dispatch(RunAction::Message(FromRunner::Cancelled { run, done: 0 }));
                } else if !stopped_here {
                    if let Ok(text) = pool_run::to_wire(&ToRunner::Cancel { run }) {
                        let _ = handle.worker.post_message(&JsValue::from_str(&text));
                    }
                }
            }
        })
    };

    PoolRun {
        state: Rc::new((*state).clone()),
        start,
        cancel,
    }
}
