//! OneBudget's calculation engine.
//!
//! Pure Rust: no web crate is a dependency of this crate, so nothing here can
//! touch a browser, a file or the network. The app, the worker and the CLI are
//! thin shells that hand it a scenario and show what comes back.
//!
//! Money is whole pence ([`money::Pence`]); rates and statistics may be `f64`.

pub mod areas;
pub mod budget;
pub mod capitation;
pub mod comparison;
pub mod examples;
pub mod fair_shares;
pub mod field_path;
pub mod inputs;
pub mod lead_commissioning;
pub mod link;
pub mod money;
pub mod names;
pub mod outcomes;
pub mod pooling;
pub mod population;
pub mod population_csv;
pub mod risk_share;
pub mod scenario;
pub mod sensitivity;
pub mod summary;
pub mod validation;
pub mod working;
