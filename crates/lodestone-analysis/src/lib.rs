//! # lodestone-analysis — what the data says
//!
//! * [`concentration`] — shares, HHI, top-3 share on plain numbers;
//! * [`select`] — which source, edition, year and basis a figure comes from (one rule, stated);
//! * [`profile`] — producers ranked with shares, reserves, group shares and provenance per row;
//! * [`check`] — USGS vs World Mining Data for the same commodity, country and year;
//! * [`viewpoint`] — an importer or bloc; [`geopolrisk`] — the GeoPolRisk method as geopolrisk-py
//!   2.0.1 computes it;
//! * [`brief`] — the one-screen supply-chain security brief over a critical-minerals list.

pub mod brief;
pub mod check;
pub mod concentration;
pub mod error;
pub mod geopolrisk;
pub mod profile;
pub mod select;
pub mod viewpoint;

pub use error::AnalysisError;
pub use profile::{profile, Profile, Provenance};
pub use select::{select, SeriesQuery, SourceFamily};
