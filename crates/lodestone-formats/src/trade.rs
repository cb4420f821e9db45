//! Why this file exists: `data/trade/` holds BACI bilateral flows as they are published
//! (`k,i,j,v,q`, one file per year) with the country codes, the stability scores and a small
//! key/value file naming their sources; read and written here, each file atomically. Beside them,
//! `forms.csv` holds the flows of processed forms from other reporters (one row per flow, with
//! its provenance and where it was read) and `form-sources.csv` cites their sources.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use lodestone_model::{
    FlowSource, FormFlow, ModelError, Provenance, StabilityScore, TradeCountry, TradeData,
    TradeFlow,
};

use crate::csv::{csv_files, read_csv, remove_stale_csv, to_csv, write_all};

/// The folder of `data/` the trade files are in.
pub const DIR: &str = "trade";

/// One flow of a `baci-hs92-<year>.csv`: HS6 code, exporter, importer, value (k USD), tonnes.
#[derive(Debug, Serialize, Deserialize)]
struct FlowRow {
    k: u32,
    i: u16,
    j: u16,
    #[serde(deserialize_with = "crate::csv::finite")]
    v: f64,
    #[serde(deserialize_with = "crate::csv::opt_finite")]
    q: Option<f64>,
}

/// One row of `trade/meta.csv`.
#[derive(Debug, Serialize, Deserialize)]
struct MetaRow {
    key: String,
    value: String,
}

/// The processed-form flows and their sources, in `data/trade/`.
pub const FORMS: &str = "forms.csv";
pub const FORM_SOURCES: &str = "form-sources.csv";

/// The name of one year's flow file.
fn year_file(year: u16) -> String {
    format!("baci-hs92-{year}.csv")
}

/// The year in a flow file's name (`baci-hs92-2022.csv` → 2022), located on failure.
fn year_of(path: &Path) -> Result<u16, ModelError> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.rsplit('-').next())
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| {
            ModelError::parse(
                path,
                0,
                0,
                "a file name baci-hs92-<year>.csv",
                path.display().to_string(),
            )
        })
}

/// The trade files, as (path relative to `data/`, bytes): `trade/meta.csv`, `trade/countries.csv`,
/// `trade/stability.csv` and one `trade/baci-hs92-<year>.csv` per year (`k,i,j,v,q`).
pub fn trade_files(t: &TradeData) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(DIR);
    let meta = [
        ("source", &t.source),
        ("stability_source", &t.stability_source),
    ]
    .map(|(key, value)| MetaRow {
        key: key.into(),
        value: value.clone(),
    });
    let mut out = vec![
        (dir.join("meta.csv"), to_csv(meta)),
        (
            dir.join("countries.csv"),
            to_csv(t.countries.iter().cloned()),
        ),
        (
            dir.join("stability.csv"),
            to_csv(t.stability.iter().cloned()),
        ),
    ];
    if !t.form_sources.is_empty() || !t.forms.is_empty() {
        out.push((dir.join(FORMS), to_csv(t.forms.iter().cloned())));
        out.push((
            dir.join(FORM_SOURCES),
            to_csv(t.form_sources.iter().cloned()),
        ));
    }
    let baci: Vec<u16> = t.years();
    for year in baci {
        let rows = t
            .flows
            .iter()
            .filter(|f| f.year == year && f.source == 0)
            .map(|f| FlowRow {
                k: f.hs6,
                i: f.exporter,
                j: f.importer,
                v: f.value_kusd,
                q: f.quantity_t,
            });
        out.push((dir.join(year_file(year)), to_csv(rows)));
    }
    out
}

/// Reads `data/trade/`.
pub fn read_trade(dir: &Path) -> Result<TradeData, ModelError> {
    let tdir = dir.join(DIR);
    let meta: Vec<MetaRow> = read_csv(&tdir.join("meta.csv"))?;
    let get = |k: &str| {
        meta.iter()
            .find(|m| m.key == k)
            .map(|m| m.value.clone())
            .unwrap_or_default()
    };
    let mut t = TradeData {
        source: get("source"),
        stability_source: get("stability_source"),
        countries: read_csv::<TradeCountry>(&tdir.join("countries.csv"))?,
        stability: read_csv::<StabilityScore>(&tdir.join("stability.csv"))?,
        flows: Vec::new(),
        form_sources: read_if_present::<FlowSource>(&tdir.join(FORM_SOURCES))?,
        forms: read_if_present::<FormFlow>(&tdir.join(FORMS))?,
    };
    // Scans of full BACI releases (`data scan-baci --into`), each with its own sources file.
    for path in csv_files(&tdir, |n| n.starts_with("form-sources-"))? {
        t.form_sources.extend(read_csv::<FlowSource>(&path)?);
    }
    for path in csv_files(&tdir, |n| n.starts_with("forms-"))? {
        t.forms.extend(read_csv::<FormFlow>(&path)?);
    }
    for path in csv_files(&tdir, |n| n.starts_with("baci-hs92-"))? {
        let year = year_of(&path)?;
        for r in read_csv::<FlowRow>(&path)? {
            t.flows.push(TradeFlow {
                year,
                exporter: r.i,
                importer: r.j,
                hs6: r.k,
                value_kusd: r.v,
                quantity_t: r.q,
                provenance: Provenance::Reconciled,
                source: 0,
            });
        }
    }
    // Countries a form names that the BACI table lacks are named from the project's registry.
    let registry = if t.forms.is_empty() {
        lodestone_model::CountryRegistry::new(Vec::new())
    } else {
        crate::reference::read_countries(dir)?
    };
    let skipped = t.merge_forms(&registry);
    if let Some(first) = skipped.first() {
        return Err(ModelError::parse(
            tdir.join(FORMS),
            0,
            0,
            "a product code of its nomenclature and a source listed in form-sources.csv",
            first.clone(),
        ));
    }
    Ok(t)
}

/// Paths of a scan's own forms files in a data folder: `trade/forms-<stem>.csv` and
/// `trade/form-sources-<stem>.csv`, read beside `forms.csv` and kept by `data build`.
pub fn extra_forms_paths(dir: &Path, stem: &str) -> (PathBuf, PathBuf) {
    let t = dir.join(DIR);
    (
        t.join(format!("forms-{stem}.csv")),
        t.join(format!("form-sources-{stem}.csv")),
    )
}

/// Flows of processed forms as `forms.csv` bytes.
pub fn forms_csv(forms: &[FormFlow]) -> Vec<u8> {
    to_csv(forms.iter().cloned())
}

/// Form sources as `form-sources.csv` bytes.
pub fn form_sources_csv(sources: &[FlowSource]) -> Vec<u8> {
    to_csv(sources.iter().cloned())
}

/// Rows of an optional file (absent → none).
fn read_if_present<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, ModelError> {
    if path.exists() {
        read_csv(path)
    } else {
        Ok(Vec::new())
    }
}

/// Writes `data/trade/` atomically file by file, removing year files the new data lacks.
pub fn write_trade(t: &TradeData, dir: &Path) -> Result<Vec<PathBuf>, ModelError> {
    let mut own = t.clone();
    // Flows read from scans' own files stay in those files.
    let scanned: Vec<String> = own
        .form_sources
        .iter()
        .filter(|s| s.id.starts_with("cepii-"))
        .map(|s| s.id.clone())
        .collect();
    own.forms.retain(|f| !scanned.contains(&f.source));
    own.form_sources.retain(|s| !scanned.contains(&s.id));
    let written = write_all(dir, &trade_files(&own))?;
    let mut keep = written.clone();
    for path in csv_files(&dir.join(DIR), |n| {
        n.starts_with("forms-") || n.starts_with("form-sources-")
    })? {
        keep.push(path);
    }
    remove_stale_csv(&dir.join(DIR), &keep)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trade_round_trips_through_its_files_and_drops_stale_years() {
        let dir = tempfile::tempdir().unwrap();
        let flow = |year| TradeFlow {
            year,
            exporter: 156,
            importer: 842,
            hs6: 261100,
            value_kusd: 1.5,
            quantity_t: None,
            provenance: Provenance::Reconciled,
            source: 0,
        };
        let mut t = TradeData {
            source: "BACI, a test".into(),
            flows: vec![flow(2021), flow(2022)],
            ..TradeData::default()
        };
        write_trade(&t, dir.path()).unwrap();
        t.flows.pop();
        write_trade(&t, dir.path()).unwrap();
        let back = read_trade(dir.path()).unwrap();
        assert_eq!(back.flows, t.flows);
        assert_eq!(back.source, "BACI, a test");
        assert!(!dir.path().join("trade/baci-hs92-2022.csv").exists());
        assert!(year_of(Path::new("baci-hs92-x.csv")).is_err());
    }
}
