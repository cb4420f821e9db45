//! Why this file exists: governance weights (EU supply risk, GeoPolRisk) come from the World Bank
//! Worldwide Governance Indicators; the long CSV prints missing estimates as ".." or "#N/A".

use std::path::Path;

use crate::cell::parse_cell;
use crate::error::SourceError;
use crate::record::ReadReport;
use crate::usgs_world::{csv_rows, header_row};

#[derive(Debug, Clone, PartialEq)]
pub struct WgiRecord {
    pub iso3: String,
    pub year: u16,
    pub indicator: String,
    pub estimate: f64,
    pub row: u32,
}

pub const INDICATORS: [&str; 6] = ["va", "pv", "ge", "rq", "rl", "cc"];

/// Reads the long WGI CSV (`codeindyr, code, countryname, year, indicator, estimate, ...`);
/// rows without an estimate are counted in the report, not stored.
pub fn read_wgi(path: &Path, bytes: &[u8]) -> Result<(Vec<WgiRecord>, ReadReport), SourceError> {
    let rows = csv_rows(path, bytes)?;
    let header = header_row(path, &rows)?;
    let pos = |n: &str| header.iter().position(|h| h.trim() == n);
    let (Some(c_code), Some(c_year), Some(c_ind), Some(c_est)) =
        (pos("code"), pos("year"), pos("indicator"), pos("estimate"))
    else {
        return Err(SourceError::parse(
            path,
            1,
            0,
            "columns code, year, indicator, estimate",
            header.join(","),
        ));
    };
    let mut out = Vec::new();
    let mut report = ReadReport::default();
    for (line, row) in rows.iter().skip(1) {
        let line_u = *line;
        let get = |i: usize| row.get(i).map(String::as_str).unwrap_or("").trim();
        if row.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let year: u16 = get(c_year).parse().map_err(|_| {
            SourceError::parse(path, line_u, c_year as u64 + 1, "a year", get(c_year))
        })?;
        let ind = get(c_ind).to_lowercase();
        if !INDICATORS.contains(&ind.as_str()) {
            return Err(SourceError::parse(
                path,
                line_u,
                c_ind as u64 + 1,
                "one of va, pv, ge, rq, rl, cc",
                get(c_ind),
            ));
        }
        let code = get(c_code);
        if code.len() != 3 {
            return Err(SourceError::parse(
                path,
                line_u,
                c_code as u64 + 1,
                "an ISO3 code",
                code,
            ));
        }
        let cell = parse_cell(get(c_est)).map_err(|_| {
            SourceError::parse(path, line_u, c_est as u64 + 1, "a number or ..", get(c_est))
        })?;
        match cell.value {
            Some(v) if (-5.0..=5.0).contains(&v) => out.push(WgiRecord {
                iso3: code.to_string(),
                year,
                indicator: ind,
                estimate: v,
                row: line_u as u32,
            }),
            Some(v) => {
                return Err(SourceError::parse(
                    path,
                    line_u,
                    c_est as u64 + 1,
                    "an estimate between -5 and 5",
                    v.to_string(),
                ))
            }
            None => report.skipped.push((line_u as u32, "no estimate".into())),
        }
    }
    Ok((out, report))
}
