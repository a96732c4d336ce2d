//! OneBudget's shells over the engine: the Yew app (browser only) and the CLI's
//! helpers. All calculation lives in `onebudget_engine`; see ARCHITECTURE.md.

pub use onebudget_engine as engine;

pub mod area_page;
pub mod board;
pub mod draft;
pub mod embed;
pub mod format;
pub mod pool_run;

#[cfg(target_arch = "wasm32")]
pub mod ui;
