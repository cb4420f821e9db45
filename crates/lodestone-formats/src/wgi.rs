//! Why this file exists: `wgi.csv` holds the World Bank governance estimates the risk methods
//! weigh countries by, each row with its source file and row; read and written here.

use serde::{Deserialize, Serialize};
use std::path::Path;

use lodestone_model::{Dataset, ModelError, SourceFile, WgiValue};

use crate::csv::{read_csv, to_csv};

/// The file's name in `data/`.
pub const FILE: &str = "wgi.csv";

/// One row of `wgi.csv`.
#[derive(Debug, Serialize, Deserialize)]
struct WgiRow {
    iso3: String,
    year: u16,
    indicator: String,
    #[serde(deserialize_with = "crate::csv::finite")]
    estimate: f64,
    source: String,
    edition: String,
    file: String,
    row: u32,
}

/// Reads `wgi.csv` under `dir` into `ds`.
pub fn read_wgi(ds: &mut Dataset, dir: &Path) -> Result<(), ModelError> {
    for r in read_csv::<WgiRow>(&dir.join(FILE))? {
        let source = ds.intern_source(SourceFile {
            source: r.source,
            edition: r.edition,
            file: r.file,
        });
        ds.wgi.push(WgiValue {
            iso3: r.iso3.into(),
            year: r.year,
            indicator: r.indicator.into(),
            estimate: r.estimate,
            source,
            row: r.row,
        });
    }
    Ok(())
}

/// `wgi.csv` as bytes.
pub fn wgi_csv(ds: &Dataset) -> Vec<u8> {
    to_csv(ds.wgi.iter().map(|w| {
        let f = ds.source(w.source);
        WgiRow {
            iso3: w.iso3.to_string(),
            year: w.year,
            indicator: w.indicator.to_string(),
            estimate: w.estimate,
            source: f.source.clone(),
            edition: f.edition.clone(),
            file: f.file.clone(),
            row: w.row,
        }
    }))
}
