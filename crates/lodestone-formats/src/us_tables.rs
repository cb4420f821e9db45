//! Why this file exists: two derived tables describe the United States alone — `us-salient.csv`
//! (USGS MCS salient statistics) and `us-import-reliance.csv` (net import reliance and major
//! import sources, MCS figure 2); each row's reader and writer are here side by side.

use serde::{Deserialize, Serialize};
use std::path::Path;

use lodestone_model::dataset::ImportReliance;
use lodestone_model::{Dataset, ModelError, SalientStat, SourceFile};

use crate::csv::{parse_field, read_csv, row_line, split_list, to_csv};

/// The salient statistics' file name in `data/`.
pub const SALIENT_FILE: &str = "us-salient.csv";
/// The import-reliance file's name in `data/`.
pub const RELIANCE_FILE: &str = "us-import-reliance.csv";

/// One row of `us-salient.csv`.
#[derive(Debug, Serialize, Deserialize)]
struct SalientRow {
    commodity: String,
    year: u16,
    measure: String,
    field: String,
    unit: String,
    #[serde(deserialize_with = "crate::csv::opt_finite")]
    value: Option<f64>,
    flags: String,
    original: String,
    source: String,
    edition: String,
    file: String,
    row: u32,
}

/// One row of `us-import-reliance.csv`; `import_sources` is a `|`-separated list.
#[derive(Debug, Serialize, Deserialize)]
struct RelianceRow {
    commodity: String,
    label: String,
    year: u16,
    #[serde(deserialize_with = "crate::csv::opt_finite")]
    value: Option<f64>,
    flags: String,
    original: String,
    import_sources: String,
    sources_period: String,
    source: String,
    edition: String,
    file: String,
    row: u32,
}

/// Reads `us-salient.csv` under `dir` into `ds`.
pub fn read_salient(ds: &mut Dataset, dir: &Path) -> Result<(), ModelError> {
    let path = dir.join(SALIENT_FILE);
    for (i, r) in read_csv::<SalientRow>(&path)?.into_iter().enumerate() {
        let source = ds.intern_source(SourceFile {
            source: r.source,
            edition: r.edition,
            file: r.file,
        });
        ds.salient.push(SalientStat {
            commodity: r.commodity.into(),
            year: r.year,
            measure: r.measure.into(),
            field: r.field.into(),
            unit: r.unit.into(),
            value: r.value,
            flags: parse_field(&path, row_line(i), 7, "flags", &r.flags)?,
            original: r.original.into(),
            source,
            row: r.row,
        });
    }
    Ok(())
}

/// `us-salient.csv` as bytes.
pub fn salient_csv(ds: &Dataset) -> Vec<u8> {
    to_csv(ds.salient.iter().map(|s| {
        let f = ds.source(s.source);
        SalientRow {
            commodity: s.commodity.to_string(),
            year: s.year,
            measure: s.measure.to_string(),
            field: s.field.to_string(),
            unit: s.unit.to_string(),
            value: s.value,
            flags: s.flags.to_string(),
            original: s.original.to_string(),
            source: f.source.clone(),
            edition: f.edition.clone(),
            file: f.file.clone(),
            row: s.row,
        }
    }))
}

/// Reads `us-import-reliance.csv` under `dir` into `ds`.
pub fn read_import_reliance(ds: &mut Dataset, dir: &Path) -> Result<(), ModelError> {
    let path = dir.join(RELIANCE_FILE);
    for (i, r) in read_csv::<RelianceRow>(&path)?.into_iter().enumerate() {
        let source = ds.intern_source(SourceFile {
            source: r.source,
            edition: r.edition,
            file: r.file,
        });
        ds.import_reliance.push(ImportReliance {
            commodity: r.commodity.into(),
            label: r.label,
            year: r.year,
            value: r.value,
            flags: parse_field(&path, row_line(i), 5, "flags", &r.flags)?,
            original: r.original.into(),
            sources: split_list(&r.import_sources)
                .into_iter()
                .map(Into::into)
                .collect(),
            sources_period: r.sources_period.into(),
            source,
            row: r.row,
        });
    }
    Ok(())
}

/// `us-import-reliance.csv` as bytes.
pub fn import_reliance_csv(ds: &Dataset) -> Vec<u8> {
    to_csv(ds.import_reliance.iter().map(|r| {
        let f = ds.source(r.source);
        RelianceRow {
            commodity: r.commodity.to_string(),
            label: r.label.clone(),
            year: r.year,
            value: r.value,
            flags: r.flags.to_string(),
            original: r.original.to_string(),
            import_sources: r
                .sources
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("|"),
            sources_period: r.sources_period.to_string(),
            source: f.source.clone(),
            edition: f.edition.clone(),
            file: f.file.clone(),
            row: r.row,
        }
    }))
}
