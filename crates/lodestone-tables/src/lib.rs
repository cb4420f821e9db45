//! # lodestone-tables — every result as typed tables with their sources
//!
//! The terminal prints display strings; analysts need the figures as numbers, in the files
//! their tools open, with the source of each figure beside it. This crate turns any result of
//! the use-case layer (`lodestone-app`) into [`Tables`]: the result's own tables (producers,
//! origins, partner terms, …) with typed columns and a row's provenance columns (`source,
//! edition, file, row, field, original`), then a `sources` table (one line per figure's source)
//! and a `notes` table (the command, the method, the query's settings, the data's coverage).
//! The CLI writes them as Parquet or an Excel workbook; the Python package receives them as
//! Arrow and hands them to pandas or polars.
//!
//! A tour:
//!
//! * [`table`] — [`Table`], typed columns, and the builder that types them.
//! * [`flatten`] — the one set of rules from a result's JSON to tables ([`Shape`]).
//! * [`shapes`] — which arrays are tables, and the method sentence, per capability.
//! * [`results`] — each capability's result as tables (the ranking also lists the inputs of
//!   every score in its sources table).
//! * [`arrow`], [`parquet`], [`xlsx`] — the writers.
//! * [`files`] — writing tables to disk in a chosen format, atomically.
//! * [`sweep`] — a sweep's rows as typed Parquet partitions, one per task, in one folder.

pub mod arrow;
pub mod files;
pub mod flatten;
pub mod parquet;
pub mod results;
pub mod shapes;
pub mod sweep;
pub mod table;
pub mod xlsx;

pub use files::{write, FileFormat};
pub use flatten::{Shape, Tables};
pub use table::{Column, Table, Values};
