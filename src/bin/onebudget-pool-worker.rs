//! The pooling worker: a Web Worker that runs a pool's whole simulation in chunks, so
//! the page stays responsive (Trunk builds it from index.html's `data-type="worker"`
//! link, as `onebudget-pool-worker_loader.js`, fetched only when a run starts).
//!
//! A thin shell: the messages and the chunk loop are `src/pool_run.rs` (compiled in
//! here on its own, so the worker carries the engine, serde_json and wasm-bindgen, and
//! nothing of the app), and the simulation is the engine's. Between chunks the worker
//! yields to its event loop through a `MessageChannel` (a zero-delay timer would be
//! clamped to 4 ms), so a `Cancel` is read before the next chunk starts.

#[cfg(target_arch = "wasm32")]
#[path = "../pool_run.rs"]
#[allow(dead_code)]
mod pool_run;

#[cfg(target_arch = "wasm32")]
mod worker {
    use super::pool_run::{ChunkedRun, FromRunner, ToRunner};
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

    struct Host {
        scope: DedicatedWorkerGlobalScope,
        channel: MessageChannel,
        run: Option<ChunkedRun>,
    }

    impl Host {
        fn now_ms(&self) -> f64 {
            self.scope
                .performance()
                .map(|p| p.now())
                .unwrap_or_else(js_sys::Date::now)
        }

        fn post(&self, message: &FromRunner) {
            if let Ok(text) = super::pool_run::to_wire(message) {
                let _ = self.scope.post_message(&JsValue::from_str(&text));
            }
        }

        /// Run the next chunk on the next turn of the event loop.
        fn schedule(&self) {
            let _ = self.channel.port2().post_message(&JsValue::NULL);
        }

        fn receive(&mut self, text: &str) {
            let message = match super::pool_run::from_wire::<ToRunner>(text) {
                Ok(m) => m,
                Err(e) => {
                    self.post(&FromRunner::Error {
                        run: 0,
                        message: format!("the worker could not read a message: {e}"),
                    });
                    return;
                }
            };
            match message {
                ToRunner::Run { run, pool, chunk } => {
                    // A new run replaces any run under way.
                    match ChunkedRun::start(run, &pool, chunk, self.now_ms()) {
                        Ok(started) => {
                            self.run = Some(started);
                            self.schedule();
                        }
                        Err(error) => {
                            self.run = None;
                            self.post(&error);
                        }
                    }
                }
                ToRunner::Cancel { run } => {
                    if let Some(current) = self.run.take_if(|r| r.run_number() == run) {
                        self.post(&FromRunner::Cancelled {
                            run,
                            done: current.done(),
                        });
                    }
                }
            }
        }

        fn step(&mut self) {
            let Some(mut run) = self.run.take() else {
                return;
            };
            let scope = self.scope.clone();
            let now = move || scope.performance().map(|p| p.now()).unwrap_or(0.0);
            for message in run.step(&now) {
                self.post(&message);
            }
            if !run.is_finished() {
                self.run = Some(run);
                self.schedule();
            }
        }
    }

    pub fn start() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let Ok(channel) = MessageChannel::new() else {
            return;
        };
        let host = Rc::new(RefCell::new(Host {
            scope: scope.clone(),
            channel: channel.clone(),
            run: None,
        }));
        let on_step = {
            let host = host.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
                host.borrow_mut().step();
            })
        };
        channel
            .port1()
            .set_onmessage(Some(on_step.as_ref().unchecked_ref()));
        let on_message = {
            let host = host.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if let Some(text) = e.data().as_string() {
                    host.borrow_mut().receive(&text);
                }
            })
        };
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The worker lives as long as the page keeps it: its handlers do too.
        on_step.forget();
        on_message.forget();
        host.borrow().post(&FromRunner::Ready);
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
