//! # lodestone-cascade — what a disruption does as it travels through trade
//!
//! * [`scenario`] — scenario files (TOML): shocks, model, parameters, Monte Carlo settings, with
//!   errors located by field and line;
//! * [`network`] — one commodity's trade network at one stage and year (BACI tonnes, production);
//! * [`marchand`] — the Marchand et al. 2016 cascade exactly as published (one proportion over
//!   exports and open imports, per-country absorption α × current supply, the shocked-country
//!   asymmetry, stocks first), held to the authors' R code; [`export_first`] — Lodestone's earlier
//!   export-first rule, kept only as a named variant; [`passthrough`] — the simple contrast model;
//! * [`mod@simulate`] — runs a scenario deterministically and with seeded Monte Carlo bands (rayon).

pub mod error;
pub mod export_first;
pub mod marchand;
pub mod network;
pub mod passthrough;
pub mod scenario;
pub mod simulate;

pub use error::CascadeError;
pub use scenario::Scenario;
pub use simulate::{simulate, Simulation};
