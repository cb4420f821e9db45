//! Why this file exists: every reader hands the builder the same thing — one record per published
//! figure, still carrying its file-level provenance as text.

use lodestone_model::{Flags, Measure, Scope, Stage, Unit};

/// One figure read from a source file, before the builder interns its source and note.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub commodity: String,
    pub stage: Stage,
    pub measure: Measure,
    pub scope: Scope,
    pub country: String,
    pub label: String,
    pub year: u16,
    pub value: Option<f64>,
    pub unit: Unit,
    pub basis: String,
    pub flags: Flags,
    pub original: String,
    pub field: String,
    pub row: u32,
    pub note: String,
    /// Sheet or table inside the file (workbooks, SQLite), empty for flat files: row numbers
    /// count within it.
    pub table: String,
}

/// Row labels a reader could not resolve to a country (kept as aggregate rows, reported).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadReport {
    pub unresolved_labels: Vec<(String, u32)>,
    /// Rows skipped on purpose, with the reason (blank rows are not counted).
    pub skipped: Vec<(u32, String)>,
}

impl ReadReport {
    pub fn merge(&mut self, other: ReadReport) {
        self.unresolved_labels.extend(other.unresolved_labels);
        self.skipped.extend(other.skipped);
    }
}

/// Joins non-empty note parts with "; ".
pub fn join_notes<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}
