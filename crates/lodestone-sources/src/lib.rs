//! # lodestone-sources — reading the official files as they really are
//!
//! Every reader takes the bytes of one published file and returns records that keep their
//! provenance (file, field, row, the original text, flags and notes). The quirks live here and
//! nowhere else:
//!
//! * [`cell`] — "W", "NA", "XX", ">50", "e5,000", "Less than ½ unit.", ranges, dashes;
//! * [`label`] — "Chinae", "United States1", "Brazil (beneficiated)9", "World total (rounded)10";
//! * [`usgs_header`] — units and years inside column names (`Prod_t_est_2023`);
//! * [`usgs_world`], [`usgs_salient`] — USGS MCS world, salient and net-import-reliance tables;
//! * [`wmd`] — World Mining Data in its three shapes (sheets, stacked blocks, SQLite with 'DELETE' rows);
//! * [`baci`] — CEPII BACI bilateral trade: streaming CSV in parallel chunks, and the SQLite copy;
//! * [`comtrade`] — UN Comtrade reporter flows, kept apart as mirror pairs;
//! * [`china_exports`] — China's reported exports by partner (Comtrade extract): artificial graphite;
//! * [`encoding`] — names stored double-encoded ("TÃ¼rkiye") decoded back;
//! * [`iea`] — the IEA Critical Minerals Data Explorer's supply extract (mining and refining);
//! * [`facts`] — the project's own cited-facts files (uranium conversion and enrichment capacity,
//!   utilities' uranium purchases by origin), each row with its address and date;
//! * [`myb`], [`myb_world`], [`myb_imports`] — USGS Minerals Yearbook workbooks: world production at
//!   the processing stage by country, and US imports by country of origin and form;
//!   [`myb_forms`] files those imports under the concordance's HTS lines as flows of processed forms;
//! * [`wgi`] — World Bank governance indicators; [`shapes`] — Natural Earth outlines;
//! * [`series`] — the data-driven mapping from a source's series names to Lodestone's commodity,
//!   stage and basis (`data/sources/*.csv`);
//! * [`manifest`] — the raw-source inventory (`data/sources/manifest.csv`): which files, editions
//!   and years each reader is run on;
//! * [`builder`] — `lodestone data build`: all of the above into one [`lodestone_model::Dataset`],
//!   which `lodestone_formats` then writes as `data/`.

pub mod baci;
pub mod builder;
pub mod cell;
pub mod china_exports;
pub mod comtrade;
pub mod encoding;
pub mod error;
pub mod facts;
pub mod geopolrisk_pkg;
pub mod iea;
pub mod label;
pub mod manifest;
pub mod myb;
pub mod myb_forms;
pub mod myb_imports;
pub mod myb_world;
pub mod record;
pub mod series;
pub mod shapes;
pub mod usgs_header;
pub mod usgs_salient;
pub mod usgs_world;
pub mod wgi;
pub mod wmd;
mod workbook;

pub use builder::{build, build_reporting, BuildInputs, BuildReport};
pub use error::SourceError;
