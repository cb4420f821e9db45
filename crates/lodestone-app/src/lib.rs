//! # lodestone-app — the use cases, once, for every front end
//!
//! The command line (`lodestone-cli`), the JSON API (`lodestone-server`) and the Python package
//! call the engines only through this crate, so they cannot disagree: the same query, the same
//! defaults, the same limits, the same answer, the same error.
//!
//! A tour:
//!
//! * [`store`] — the one [`Store`]: observations, trade, the project and event registries, the
//!   extractor's gazetteer and triggers, the canned scenarios; opened from the embedded snapshot
//!   or from a `data/` folder (then every part comes from the folder).
//! * [`error`] — [`AppError`]: a kind ([`ErrorKind`]: not found, invalid, no data, infeasible,
//!   over budget, cancelled, internal) and one line. Front ends map the kind to an exit code or an
//!   HTTP status.
//! * [`limits`] — what one request may ask for (Monte Carlo draws, plan bounds, simulation work).
//! * [`swap`] — a data folder rewritten all at once or not at all (`data build`).
//! * [`params`] — how named values, lists and defaults are read from flags and query strings.
//! * One module per capability, each a typed query (its defaults in the type, `clap::Args` with
//!   the `clap` feature, `utoipa::IntoParams` with `openapi`) and a function returning a typed,
//!   serialisable result:
//!   [`catalog`] (commodities, countries, groups), [`profile`], [`trade`], [`risk`] (ranking and
//!   one mineral explained), [`brief`] (with its 2030 outlook), [`simulate`] (scenarios and the
//!   cascade), [`projects`], [`forecast`], [`plan`], [`events`], [`extract`], [`data`]
//!   (rebuild, cross-check, BACI scan), and [`fetch`] (download an official release, resumable
//!   and checksummed).
//! * [`sweep`] — one scenario over a grid (commodities × shocked countries × shock sizes ×
//!   years, N draws each) from a TOML or JSON spec, cut into tasks of bounded work, each task
//!   reproducible from (canonical spec, task id) on any machine or thread count.
//!
//! Vocabulary the front ends need (stages, lists, result types) is re-exported in [`types`].

pub mod brief;
pub mod catalog;
pub mod data;
pub mod error;
pub mod events;
pub mod extract;
pub mod fetch;
pub mod forecast;
pub mod limits;
pub mod params;
pub mod plan;
pub mod profile;
pub mod projects;
pub mod risk;
pub mod simulate;
pub mod store;
pub mod swap;
pub mod sweep;
pub mod trade;

pub use error::AppError;
pub use limits::Limits;
pub use lodestone_model::{input, Cancel, CancelOnDrop, ErrorKind};
pub use store::{Origin, Store};

/// The engines' vocabulary and result types, for front ends that render them.
pub mod types {
    pub use lodestone_analysis::brief::{Brief, BriefRow};
    pub use lodestone_analysis::check::CheckReport;
    pub use lodestone_analysis::dependence::{
        coverage_line, Coverage, ImportDependence, ProductSet,
    };
    pub use lodestone_analysis::eu_supply_risk::SupplyRisk;
    pub use lodestone_analysis::geopolrisk::{GeoPolRisk, CF_CU};
    pub use lodestone_analysis::geopolrisk_stage::StageGeoPolRisk;
    pub use lodestone_analysis::risk::{Method, RiskRow};
    pub use lodestone_analysis::viewpoint::Viewpoint;
    pub use lodestone_analysis::{Control, Profile, SourceFamily};
    pub use lodestone_cascade::scenario::Scenario;
    pub use lodestone_cascade::simulate::{CountryResult, Simulation};
    pub use lodestone_events::gazetteer::Kind as EntityKind;
    pub use lodestone_events::{Event, Extraction};
    pub use lodestone_formats::write_atomic;
    pub use lodestone_model::display::{fixed, percent};
    pub use lodestone_model::one_line;
    pub use lodestone_model::{product_labels, Nomenclature, ProductLabel, Provenance};
    pub use lodestone_model::{
        Commodity, Country, CountryGroup, CriticalList, Dataset, GroupConfig, Stage, TradeData,
    };
    pub use lodestone_planner::forecast::Band;
    pub use lodestone_planner::{Bound, Forecast, Plan, Project};
}
