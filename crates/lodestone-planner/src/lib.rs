//! # lodestone-planner — future supply and what to do about it
//!
//! * [`project`] — the project registry (`data/projects/*.toml`), errors located by field and line;
//! * [`mod@forecast`] — production to 2035: today's figures plus projects weighted by status, delay and
//!   ramp-up, with Monte Carlo bands on HHI, the concern-set share and Central Asia's share;
//! * [`supply`] — what each origin can offer an importer (production it does not use itself) and
//!   what the importer needs (apparent consumption less its own production), on one basis;
//! * [`mix`] — the optimisation: the exact quadratic program (Clarabel) and, with supplier limits,
//!   the supplier choice as a mixed-integer program (good_lp + microlp);
//! * [`mod@plan`] — the diversification planner: the mix that minimises governance-weighted
//!   concentration and a cost proxy, buying only from producers and never from excluded countries.

pub mod error;
pub mod forecast;
pub mod mix;
pub mod plan;
pub mod project;
pub mod supply;

pub use error::PlanError;
pub use forecast::{forecast, forecast_until, Forecast, ForecastQuery};
pub use mix::Limits;
pub use plan::{plan, Bound, Plan, PlanQuery};
pub use project::{registry_from, Project, ProjectStatus};
