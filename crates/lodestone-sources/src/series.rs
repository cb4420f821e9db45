//! Why this file exists: each source names its series in its own words ("Mine production,
//! tungsten content", sheet "Tungsten (W)"); the mapping to Lodestone's commodity, stage and basis
//! is data (`data/sources/*.csv`), reviewed like code, and a series no rule covers is an error —
//! never a silent drop.

use serde::Deserialize;
use std::path::Path;

use lodestone_formats::read_csv;
use lodestone_model::{Measure, Stage};

use crate::error::SourceError;

/// Lodestone's name for a source series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub commodity: String,
    pub stage: Stage,
    pub basis: String,
    /// Overrides the measure read from the column header (e.g. "Clinker capacity" in a Prod column).
    pub measure: Option<Measure>,
}

#[derive(Debug, Clone, Deserialize)]
struct UsgsRuleRow {
    code: String,
    pattern: String,
    commodity: String,
    stage: String,
    basis: String,
    measure: String,
}

#[derive(Debug, Clone)]
struct UsgsRule {
    code: String,
    pattern: String,
    series: Series,
}

/// Rules for USGS MCS world tables: (file code, pattern in the Type text) → series. First match wins.
#[derive(Debug, Clone, Default)]
pub struct UsgsRules {
    rules: Vec<UsgsRule>,
}

fn parse_stage(path: &Path, line: u64, col: u64, s: &str) -> Result<Stage, SourceError> {
    s.parse()
        .map_err(|_| SourceError::parse(path, line, col, "mine|refinery|smelter|processing", s))
}

fn parse_measure(
    path: &Path,
    line: u64,
    col: u64,
    s: &str,
) -> Result<Option<Measure>, SourceError> {
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| {
        SourceError::parse(path, line, col, "production|reserves|capacity or empty", s)
    })
}

impl UsgsRules {
    pub fn load(path: &Path) -> Result<Self, SourceError> {
        let rows: Vec<UsgsRuleRow> = read_csv(path)?;
        let mut rules = Vec::with_capacity(rows.len());
        for (i, r) in rows.into_iter().enumerate() {
            let line = i as u64 + 2;
            rules.push(UsgsRule {
                code: r.code,
                pattern: r.pattern.to_lowercase(),
                series: Series {
                    commodity: r.commodity,
                    stage: parse_stage(path, line, 4, &r.stage)?,
                    basis: r.basis,
                    measure: parse_measure(path, line, 6, &r.measure)?,
                },
            });
        }
        Ok(UsgsRules { rules })
    }

    /// The series for a file code and Type text; `*` as pattern matches any text.
    pub fn find(&self, code: &str, type_text: &str) -> Option<&Series> {
        let t = type_text.to_lowercase();
        self.rules
            .iter()
            .find(|r| r.code == code && (r.pattern == "*" || t.contains(&r.pattern)))
            .map(|r| &r.series)
    }

    pub fn commodities(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.series.commodity.as_str())
    }
}

#[derive(Debug, Clone, Deserialize)]
struct WmdRuleRow {
    sheet: String,
    commodity: String,
    stage: String,
    basis: String,
}

/// Rules for World Mining Data: sheet or table name → series.
#[derive(Debug, Clone, Default)]
pub struct WmdRules {
    rules: Vec<(String, Series)>,
}

impl WmdRules {
    pub fn load(path: &Path) -> Result<Self, SourceError> {
        let rows: Vec<WmdRuleRow> = read_csv(path)?;
        let mut rules = Vec::with_capacity(rows.len());
        for (i, r) in rows.into_iter().enumerate() {
            rules.push((
                r.sheet.trim().to_lowercase(),
                Series {
                    commodity: r.commodity,
                    stage: parse_stage(path, i as u64 + 2, 3, &r.stage)?,
                    basis: r.basis,
                    measure: None,
                },
            ));
        }
        Ok(WmdRules { rules })
    }

    /// The series for a sheet name (trimmed, case-insensitive).
    pub fn find(&self, sheet: &str) -> Option<&Series> {
        let s = sheet.trim().to_lowercase();
        self.rules.iter().find(|(k, _)| *k == s).map(|(_, v)| v)
    }

    pub fn commodities(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|(_, s)| s.commodity.as_str())
    }
}
