//! # lodestone-analysis — what the data says
//!
//! * [`concentration`] — shares, HHI, top-3 share on plain numbers;
//! * [`mod@select`] — which source, edition, year and basis a figure comes from (one rule, stated);
//! * [`mod@profile`] — producers ranked with shares, reserves, group shares and provenance per row;
//! * [`mod@control`] — the share of output the concern set controls through ownership (25 % rule),
//!   next to the share located there, as a range with its coverage;
//! * [`check`] — USGS vs World Mining Data for the same commodity, country and year;
//! * [`dependence`] — import origins, import reliance, concern share and upstream exposure;
//! * [`viewpoint`] — an importer or bloc; [`geopolrisk`] — the GeoPolRisk method as geopolrisk-py
//!   2.0.1 computes it; [`geopolrisk_stage`] — Lodestone's stage-aware extension of it (processing
//!   stages); [`eu_supply_risk`] — the EU (JRC 2017) supply-risk indicator from any viewpoint;
//! * [`risk`] — rankings of every mineral by one method for one viewpoint;
//! * [`montecarlo`] — the 5–95 % band and the seeded per-draw stream every Monte Carlo uses;
//! * [`brief`] — the one-screen supply-chain security brief over a critical-minerals list.

pub mod brief;
pub mod check;
pub mod concentration;
pub mod control;
pub mod dependence;
pub mod error;
pub mod eu_supply_risk;
pub mod geopolrisk;
pub mod geopolrisk_stage;
pub mod montecarlo;
pub mod profile;
pub mod risk;
pub mod select;
pub mod viewpoint;

pub use control::{control, Control};
pub use error::AnalysisError;
pub use profile::{profile, Profile, Provenance};
pub use select::{select, SeriesQuery, SourceFamily};
