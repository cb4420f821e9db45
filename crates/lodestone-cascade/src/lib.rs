//! # lodestone-cascade — what a disruption does as it travels through trade
//!
//! * [`scenario`] — scenario files (TOML): shocks, model, parameters, Monte Carlo settings, with
//!   errors located by field and line;
//! * [`network`] — one commodity's trade network at one stage and year (BACI tonnes, production);
//! * [`marchand`] — the Marchand et al. 2016 / Distefano et al. 2018 proportional-reallocation
//!   cascade, mass-balanced round by round; [`passthrough`] — the simple contrast model;
//! * [`mod@simulate`] — runs a scenario deterministically and with seeded Monte Carlo bands (rayon).

pub mod error;
pub mod marchand;
pub mod network;
pub mod passthrough;
pub mod scenario;
pub mod simulate;

pub use error::CascadeError;
pub use scenario::Scenario;
pub use simulate::{simulate, Simulation};
