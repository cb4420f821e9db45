//! # lodestone-formats — the files Lodestone reads and writes
//!
//! [`lodestone_model`] names things; this crate puts them in files and takes them out again. Each
//! module is one kind of file, with its row struct, its reader and its writer side by side, so a
//! column added to a writer is added to its reader in the same screenful.
//!
//! A tour, from the ground up:
//!
//! * [`mod@csv`] — how every CSV file is read (rows into serde structs, errors at
//!   file:line:column) and written (`\n` line ends, [`write_atomic`]: a whole file or none);
//!   [`quotes`] — the strict quote check every CSV reader runs first, since the csv crate loads a
//!   file cut inside a quoted field, or with text after a closing quote, without a word.
//! * [`mod@reference`] — the curated files, edited by hand and only read: `countries.csv`,
//!   `country_aliases.csv`, `groups.toml`, `commodities.csv`, `conversions.csv`;
//!   [`concordance`] — `hs-concordance.csv`, HS6 codes linked to commodities with citations;
//!   [`assessment`] — `eu-crm-2023.csv`, the EU 2023 assessment's published values.
//! * The files `lodestone data build` derives from the raw sources, each read and written:
//!   [`observations`] (`observations/*.csv`, one file per source edition), [`us_tables`]
//!   (`us-salient.csv`, `us-import-reliance.csv`), [`wgi`] (`wgi.csv`), [`materials`]
//!   (`geopolrisk-materials.csv`), [`shapes`] (`world-shapes.txt`) and [`trade`] (`trade/`:
//!   BACI flows per year, country codes, stability scores).
//! * [`dir`] — the whole `data/` folder: [`read_dir`], [`derived_files`] and [`write_derived`]
//!   compose the modules above in one fixed order.
//! * [`snapshot`] — the compact binary form of a dataset (and of trade) the release binary embeds.
//!
//! Every error is a [`lodestone_model::ModelError`], a malformed file a
//! [`lodestone_model::Located`] naming file, line and column.

pub mod assessment;
pub mod concordance;
pub mod csv;
pub mod dir;
pub mod materials;
pub mod observations;
pub mod quotes;
pub mod reference;
pub mod shapes;
pub mod snapshot;
pub mod trade;
pub mod us_tables;
pub mod wgi;

pub use crate::csv::{read_csv, read_csv_bytes, write_atomic};
pub use crate::dir::{derived_files, read_dir, read_reference, write_derived};
pub use crate::observations::{observation_file_name, observation_row, ObservationRow};
pub use crate::quotes::{check_quotes, QuoteCheck, QuoteChecked, QuoteProblem};
pub use crate::shapes::{format_shapes, parse_shapes};
pub use crate::trade::{read_trade, trade_files, write_trade};
