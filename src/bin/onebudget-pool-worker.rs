//! The pooling worker: a Web Worker that runs the streams of a pool's simulation the
//! page hands it, one at a time, and sends back each stream's tallies (Trunk builds it
//! from index.html's `data-type="worker"` link, as `onebudget-pool-worker_loader.js`,
//! fetched only when a run starts; the page starts one a core, see `ui/pooling/runner.rs`).
//!
//! A thin shell: the messages are `src/pool_run.rs` (compiled in here on its own, so the
//! worker carries the engine, serde and wasm-bindgen, and nothing of the app), read and
//! written as JavaScript values by serde-wasm-bindgen; the simulation is the engine's.
//! A stream is a few tens of milliseconds, so the worker needs no pause inside one: the
//! page cancels by handing out no more streams.

#[cfg(target_arch = "wasm32")]
#[path = "../pool_run.rs"]
#[allow(dead_code)]
mod pool_run;

#[cfg(target_arch = "wasm32")]
mod worker {
    use super::pool_run::{FromWorker, ToWorker, WorkerRuns};
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn post(scope: &DedicatedWorkerGlobalScope, message: &FromWorker) {
        if let Ok(value) = serde_wasm_bindgen::to_value(message) {
            let _ = scope.post_message(&value);
        }
    }

    pub fn start() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let runs = RefCell::new(WorkerRuns::default());
        let on_message = {
            let scope = scope.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let answer = match serde_wasm_bindgen::from_value::<ToWorker>(e.data()) {
                    Ok(message) => {
                        let clock = scope.performance();
                        let now = || clock.as_ref().map_or(0.0, |p| p.now());
                        runs.borrow_mut().answer(message, &now)
                    }
                    Err(e) => FromWorker::Error {
                        run: 0,
                        message: format!("the worker could not read a message: {e}"),
                    },
                };
                post(&scope, &answer);
            })
        };
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The worker lives as long as the page keeps it: its handler does too.
        on_message.forget();
        post(&scope, &FromWorker::Ready);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

// Natively there is nothing to run: the worker only exists in the browser.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("onebudget-pool-worker is the browser's pooling worker: Trunk builds it with the app (see README.md); the CLI is `onebudget`.");
    std::process::exit(2);
}
