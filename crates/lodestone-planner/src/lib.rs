//! # lodestone-planner — future supply and what to do about it
//!
//! * [`project`] — the project registry (`data/projects/*.toml`), errors located by field and line;
//! * [`mod@forecast`] — production to 2035: today's figures plus projects weighted by status, delay and
//!   ramp-up, with Monte Carlo bands on HHI, the concern-set share and Central Asia's share;
//! * [`mod@plan`] — the diversification planner: the import mix that minimises governance-weighted
//!   concentration and a cost proxy within exportable supply, caps and floors (Clarabel QP).

pub mod error;
pub mod forecast;
pub mod plan;
pub mod project;

pub use error::PlanError;
pub use forecast::{forecast, Forecast, ForecastQuery};
pub use plan::{plan, Bound, Plan, PlanQuery};
pub use project::{registry_from, Project, ProjectStatus};
