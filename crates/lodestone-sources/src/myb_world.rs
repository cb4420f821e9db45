//! Why this file exists: the MYB "world production" tables are where the processing stage shows
//! — who refines cobalt, who makes primary gallium, who smelts tin and ferroalloys — and they are
//! laid out for print: one row per country, or a country header ("Brazil:") followed by product
//! rows ("Primary", "Secondary") and a country "Total", then the world "Total" (sometimes "Grand
//! total" followed by "Of which:" rows). This reader turns the tables listed in [`WORLD_TABLES`]
//! into the same [`Record`]s as the other readers, with one figure per country and year: a
//! country's printed total when it has one, else each of its product rows (whose sum is then the
//! country's figure), so that summing a country's records never counts a figure twice.

use std::collections::BTreeMap;
use std::path::Path;

use lodestone_model::{CountryRegistry, Flags, Measure, Scope, Stage, Unit};

use crate::error::SourceError;
use crate::myb::{
    as_year, flag_cell, footnotes, head, is_legend, open_sheets, qualifier_estimate,
    resolve_origin, strip_marks, tidy, value_cell, Origin, Sheet,
};
use crate::record::{join_notes, ReadReport, Record};

/// One world-production table the reader knows: which file code and sheet, what it measures,
/// and a text its unit line must contain (a check that the sheet is the table meant).
#[derive(Debug, Clone, Copy)]
pub struct WorldTable {
    /// The code in the file name (`cobal` in `myb1-2019-cobal-adv.xlsx`).
    pub code: &'static str,
    /// The sheet name (`T8`).
    pub sheet: &'static str,
    pub commodity: &'static str,
    pub stage: Stage,
    pub basis: &'static str,
    /// Lowercase text the unit line must contain (`metric tons, cobalt content`).
    pub unit_line: &'static str,
}

const fn t(
    code: &'static str,
    sheet: &'static str,
    commodity: &'static str,
    stage: Stage,
    basis: &'static str,
    unit_line: &'static str,
) -> WorldTable {
    WorldTable {
        code,
        sheet,
        commodity,
        stage,
        basis,
        unit_line,
    }
}

/// The processing-stage world tables of the 29 MYB workbooks. Mine-stage tables (tungsten and
/// antimony concentrates, rare-earth mine production, …) are left to the MCS and World Mining
/// Data readers; see the module notes in `myb_imports` for the rest.
pub const WORLD_TABLES: [WorldTable; 14] = [
    t(
        "cobal",
        "T8",
        "cobalt",
        Stage::Refinery,
        "Co content (refined)",
        "metric tons, cobalt content",
    ),
    t(
        "galli",
        "T6",
        "gallium",
        Stage::Refinery,
        "Ga metal (primary)",
        "kilograms",
    ),
    t(
        "indiu",
        "T3",
        "indium",
        Stage::Refinery,
        "In metal (refined)",
        "kilograms",
    ),
    t(
        "bismu",
        "T5",
        "bismuth",
        Stage::Refinery,
        "Bi metal (refined)",
        "metric tons",
    ),
    t(
        "coppe",
        "T21",
        "copper",
        Stage::Smelter,
        "Cu content (smelter, primary and secondary)",
        "metric tons, copper content",
    ),
    t(
        "coppe",
        "T22",
        "copper",
        Stage::Refinery,
        "Cu metal (refined, primary and secondary)",
        "metric tons",
    ),
    t(
        "nicke",
        "T12",
        "nickel",
        Stage::Refinery,
        "Ni content (primary products)",
        "metric tons, contained nickel",
    ),
    t(
        "tin",
        "T10",
        "tin",
        Stage::Smelter,
        "Sn content (primary and secondary)",
        "metric tons, tin content",
    ),
    t(
        "alumi",
        "T13",
        "aluminium",
        Stage::Smelter,
        "Al metal (primary)",
        "thousand metric tons",
    ),
    t(
        "bauxi",
        "T12",
        "alumina",
        Stage::Refinery,
        "alumina (gross weight)",
        "thousand metric tons",
    ),
    t(
        "chrom",
        "T8",
        "chromium",
        Stage::Smelter,
        "ferrochromium (gross weight)",
        "metric tons, gross weight",
    ),
    t(
        "manga",
        "T8",
        "manganese",
        Stage::Smelter,
        "ferromanganese and silicomanganese (gross weight)",
        "metric tons, gross weight",
    ),
    t(
        "niobi",
        "T5",
        "niobium",
        Stage::Smelter,
        "ferroniobium (Nb content)",
        "metric tons, niobium content",
    ),
    t(
        "simet",
        "T7",
        "silicon",
        Stage::Smelter,
        "ferrosilicon and silicon metal (gross weight)",
        "metric tons, gross weight",
    ),
];

/// The tables of [`WORLD_TABLES`] in a file, by its name's code.
pub fn tables_of(file_name: &str) -> Vec<&'static WorldTable> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let code = base
        .to_lowercase()
        .split('-')
        .nth(2)
        .unwrap_or("")
        .to_string();
    WORLD_TABLES.iter().filter(|t| t.code == code).collect()
}

/// Reads every known world-production table of one MYB workbook.
pub fn read_world_production(
    path: &Path,
    file_name: &str,
    countries: &CountryRegistry,
) -> Result<(Vec<Record>, ReadReport), SourceError> {
    let specs = tables_of(file_name);
    let mut out = Vec::new();
    let mut report = ReadReport::default();
    if specs.is_empty() {
        report.skipped.push((
            0,
            format!("{file_name}: no processing-stage world table listed"),
        ));
        return Ok((out, report));
    }
    let sheets = open_sheets(path)?;
    for spec in specs {
        let sheet = sheets
            .iter()
            .find(|s| s.name.trim() == spec.sheet)
            .ok_or_else(|| SourceError::Missing {
                file: path.to_path_buf(),
                message: format!(
                    "no sheet {} (the {} world table)",
                    spec.sheet, spec.commodity
                ),
            })?;
        let (recs, r) = read_world_sheet(path, sheet, spec, countries)?;
        out.extend(recs);
        report.merge(r);
    }
    Ok((out, report))
}

/// The unit of a unit line: "Metric tons, cobalt content" → tonne, "Kilograms" → kilogram,
/// "Thousand metric tons" → kilotonne.
pub fn unit_of(line: &str) -> Option<Unit> {
    let l = line.to_lowercase();
    if l.starts_with("thousand metric tons") {
        Some(Unit::Kilotonne)
    } else if l.starts_with("metric tons") {
        Some(Unit::Tonne)
    } else if l.starts_with("kilograms") {
        Some(Unit::Kilogram)
    } else {
        None
    }
}

/// Reads one world-production sheet against its spec.
pub fn read_world_sheet(
    path: &Path,
    sheet: &Sheet,
    spec: &WorldTable,
    countries: &CountryRegistry,
) -> Result<(Vec<Record>, ReadReport), SourceError> {
    let layout = WorldLayout::gather(path, sheet, spec)?;
    let mut reader = WorldRows {
        sheet,
        spec,
        layout: &layout,
        path,
        countries,
        out: Vec::new(),
        report: ReadReport::default(),
        group: None,
    };
    for r in layout.header + 1..sheet.nrows() {
        if !reader.row(r)? {
            break;
        }
    }
    reader.close_group();
    Ok((reader.out, reader.report))
}

/// Where a world table keeps its unit, years and footnotes.
struct WorldLayout {
    unit: Unit,
    /// The header row ("Country or locality", years).
    header: usize,
    /// (column, year, flags printed beside the year: "p", "e").
    years: Vec<(usize, u16, Flags)>,
    notes: BTreeMap<String, String>,
}

impl WorldLayout {
    fn gather(path: &Path, sheet: &Sheet, spec: &WorldTable) -> Result<Self, SourceError> {
        let at = |row: usize| path.join(format!("{}!A{}", sheet.name.trim(), row + 1));
        let h = head(sheet).map_err(|e| relocate(e, path, sheet))?;
        let line = h.unit_line.clone().unwrap_or_default();
        let unit = unit_of(&line)
            .filter(|_| line.to_lowercase().contains(spec.unit_line))
            .ok_or_else(|| {
                SourceError::parse(
                    at(h.body.saturating_sub(1)),
                    h.body as u64,
                    1,
                    format!("a unit line \"({})\"", spec.unit_line),
                    line.clone(),
                )
            })?;
        let header = (h.body..sheet.nrows())
            .find(|&r| sheet.text(r, 0).to_lowercase().starts_with("country"))
            .ok_or_else(|| {
                SourceError::parse(
                    at(h.body),
                    h.body as u64 + 1,
                    1,
                    "a \"Country or locality\" header row",
                    "none",
                )
            })?;
        let years: Vec<(usize, u16, Flags)> = (1..sheet.ncols())
            .filter_map(|c| {
                as_year(sheet.text(header, c))
                    .map(|y| (c, y, flag_cell(sheet.text(header, c + 1)).0))
            })
            .collect();
        if years.is_empty() {
            return Err(SourceError::parse(
                at(header),
                header as u64 + 1,
                3,
                "year columns",
                "none",
            ));
        }
        Ok(WorldLayout {
            unit,
            header,
            years,
            notes: footnotes(sheet, header + 1),
        })
    }
}

/// An error from the shared head reader, located in this file and sheet.
fn relocate(e: SourceError, path: &Path, sheet: &Sheet) -> SourceError {
    match e {
        SourceError::Parse {
            line,
            column,
            expected,
            found,
            ..
        } => SourceError::Parse {
            file: path.join(sheet.name.trim()),
            line,
            column,
            expected,
            found,
        },
        other => other,
    }
}

/// A row of values under a country header ("Primary", "Ferronickel").
struct Leaf {
    row: usize,
    product: String,
    estimated: bool,
    footnotes: Vec<String>,
}

/// A country printed as a header ("Brazil:") with its product rows.
struct Group {
    origin: Origin,
    footnotes: Vec<String>,
    /// The current product sub-header ("Primary:", "Ferromanganese:e").
    sub: Option<(String, bool)>,
    leaves: Vec<Leaf>,
}

/// The reading state of one sheet.
struct WorldRows<'a> {
    sheet: &'a Sheet,
    spec: &'a WorldTable,
    layout: &'a WorldLayout,
    path: &'a Path,
    countries: &'a CountryRegistry,
    out: Vec<Record>,
    report: ReadReport,
    group: Option<Group>,
}

impl WorldRows<'_> {
    /// Reads one row; false when the table has ended (legend, "Of which:").
    fn row(&mut self, r: usize) -> Result<bool, SourceError> {
        let a = tidy(self.sheet.text(r, 0));
        let has_values = self
            .layout
            .years
            .iter()
            .any(|(c, _, _)| !self.sheet.text(r, *c).is_empty());
        if a.is_empty() && !has_values {
            return Ok(true);
        }
        if is_legend(&a) && !has_values {
            return Ok(false);
        }
        let (label, marks) = strip_marks(&a);
        let lower = label.to_lowercase();
        if lower.starts_with("of which") {
            self.report.skipped.push((
                r as u32 + 1,
                "\"Of which:\" breakdown of the world total".into(),
            ));
            return Ok(false);
        }
        let is_header = !has_values && (label.ends_with(':') || label.ends_with(":e"));
        if lower.starts_with("total") || lower.starts_with("grand total") {
            let grand = lower.starts_with("grand");
            let qualified = !grand && lower != "total";
            if qualified {
                // "Total, primary": the subtotal of an open product header, or a country total
                // ("Total, primary and secondary"), which [`Self::total`] tells by its sum.
                let sub_open = self.group.as_ref().map(|g| g.sub.is_some());
                if sub_open != Some(false) {
                    if let Some(g) = self.group.as_mut() {
                        g.sub = None;
                    }
                    self.report.skipped.push((
                        r as u32 + 1,
                        format!("subtotal {label:?} (its parts are kept)"),
                    ));
                    return Ok(true);
                }
            }
            self.total(r, grand, qualified)?;
            return Ok(true);
        }
        if is_header {
            let (text, est) = qualifier_estimate(&label);
            match resolve_origin(&text, self.countries) {
                Some(origin) => {
                    self.close_group();
                    let origin = Origin {
                        estimated: origin.estimated || est,
                        ..origin
                    };
                    self.group = Some(Group {
                        origin,
                        footnotes: marks,
                        sub: None,
                        leaves: Vec::new(),
                    });
                }
                None => match self.group.as_mut() {
                    Some(g) => g.sub = Some((text, est)),
                    None => self
                        .report
                        .skipped
                        .push((r as u32 + 1, format!("section {label:?} outside a country"))),
                },
            }
            return Ok(true);
        }
        if !has_values {
            self.report
                .skipped
                .push((r as u32 + 1, format!("row {a:?} without values")));
            return Ok(true);
        }
        if let Some(origin) = resolve_origin(&label, self.countries) {
            self.close_group();
            self.emit(
                r,
                Scope::Country,
                &origin.iso3,
                &a,
                origin.estimated,
                origin.qualifier.as_deref(),
                &marks,
            )?;
            return Ok(true);
        }
        if let Some(g) = self.group.as_mut() {
            let (product, est) = qualifier_estimate(&label);
            let product = match &g.sub {
                Some((s, _)) => format!("{s}, {product}"),
                None => product,
            };
            let sub_est = g.sub.as_ref().is_some_and(|s| s.1);
            g.leaves.push(Leaf {
                row: r,
                product,
                estimated: est || sub_est,
                footnotes: marks,
            });
            return Ok(true);
        }
        let scope = if lower.starts_with("other") {
            Scope::Other
        } else {
            Scope::Aggregate
        };
        if scope == Scope::Aggregate {
            self.report
                .unresolved_labels
                .push((a.clone(), r as u32 + 1));
        }
        self.emit(r, scope, "", &a, false, None, &marks)?;
        Ok(true)
    }

    /// A "Total" row: the open country's total when it matches the sum of the country's product
    /// rows, else (and for "Grand total") the world total; a qualified total ("Total, primary")
    /// that is not the country's is a subtotal, left out.
    fn total(&mut self, r: usize, grand: bool, qualified: bool) -> Result<(), SourceError> {
        if !grand {
            if let Some(g) = self.group.take() {
                if !g.leaves.is_empty() && self.matches_leaves(r, &g)? {
                    let label = format!("{} (total)", g.origin.name);
                    let note_extra = format!(
                        "country total of the printed rows: {}",
                        g.leaves
                            .iter()
                            .map(|l| l.product.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    );
                    self.emit_with(
                        r,
                        Scope::Country,
                        &g.origin.iso3,
                        &label,
                        g.origin.estimated,
                        g.origin.qualifier.as_deref(),
                        &g.footnotes,
                        Some(&note_extra),
                    )?;
                    for l in &g.leaves {
                        self.report.skipped.push((
                            l.row as u32 + 1,
                            format!(
                                "product row {:?} of {}: the country total is kept",
                                l.product, g.origin.name
                            ),
                        ));
                    }
                    return Ok(());
                }
                self.group = Some(g);
            }
        }
        if qualified {
            let a = tidy(self.sheet.text(r, 0));
            self.report
                .skipped
                .push((r as u32 + 1, format!("subtotal {a:?} (its parts are kept)")));
            return Ok(());
        }
        self.close_group();
        let a = tidy(self.sheet.text(r, 0));
        self.emit(r, Scope::World, "", &a, false, None, &[])
    }

    /// Whether a total row equals the sum of the group's product rows in every year, to the
    /// printed rounding (three significant digits).
    fn matches_leaves(&self, r: usize, g: &Group) -> Result<bool, SourceError> {
        for &(c, _, _) in &self.layout.years {
            let Some(total) = self.number(r, c)? else {
                continue;
            };
            let mut sum = 0.0;
            let mut abs = 0.0;
            for l in &g.leaves {
                if let Some(v) = self.number(l.row, c)? {
                    sum += v;
                    abs += v.abs();
                }
            }
            if (sum - total).abs() > 0.005 * (abs + total.abs()) + 1.0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn number(&self, r: usize, c: usize) -> Result<Option<f64>, SourceError> {
        Ok(self.cell(r, c)?.value)
    }

    fn cell(&self, r: usize, c: usize) -> Result<crate::cell::Cell, SourceError> {
        let text = self.sheet.text(r, c);
        value_cell(text, &self.layout.notes).ok_or_else(|| {
            SourceError::parse(
                self.path.join(self.sheet.name.trim()),
                r as u64 + 1,
                c as u64 + 1,
                "a number, --, W, NA or a footnote reference like (7)",
                text,
            )
        })
    }

    /// Emits the open group's product rows (no matching total was printed).
    fn close_group(&mut self) {
        let Some(g) = self.group.take() else { return };
        for l in &g.leaves {
            let label = format!("{}: {}", g.origin.name, l.product);
            let mut marks = g.footnotes.clone();
            marks.extend(l.footnotes.iter().cloned());
            let q = match &g.origin.qualifier {
                Some(q) => format!("{q}, {}", l.product),
                None => l.product.clone(),
            };
            if let Err(e) = self.emit(
                l.row,
                Scope::Country,
                &g.origin.iso3.clone(),
                &label,
                g.origin.estimated || l.estimated,
                Some(&q),
                &marks,
            ) {
                self.report.skipped.push((l.row as u32 + 1, e.to_string()));
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        r: usize,
        scope: Scope,
        iso3: &str,
        label: &str,
        estimated: bool,
        qualifier: Option<&str>,
        marks: &[String],
    ) -> Result<(), SourceError> {
        self.emit_with(r, scope, iso3, label, estimated, qualifier, marks, None)
    }

    /// One record per year column of row `r`.
    #[allow(clippy::too_many_arguments)]
    fn emit_with(
        &mut self,
        r: usize,
        scope: Scope,
        iso3: &str,
        label: &str,
        estimated: bool,
        qualifier: Option<&str>,
        marks: &[String],
        extra: Option<&str>,
    ) -> Result<(), SourceError> {
        for &(c, year, year_flags) in &self.layout.years {
            let text = self.sheet.text(r, c);
            if text.is_empty() {
                continue;
            }
            let cell = self.cell(r, c)?;
            let (cell_flags, cell_marks) = flag_cell(self.sheet.text(r, c + 1));
            let mut flags = cell.flags | cell_flags | year_flags;
            if estimated {
                flags |= Flags::ESTIMATED;
            }
            let q = qualifier.map(|q| format!("row qualifier: {q}"));
            let notes: Vec<String> = marks
                .iter()
                .chain(cell_marks.iter())
                .filter(|m| !m.is_empty())
                .map(|m| match self.layout.notes.get(m) {
                    Some(t) => format!("footnote {m}: {t}"),
                    None => format!("footnote {m}"),
                })
                .collect();
            let note = join_notes(
                q.as_deref()
                    .into_iter()
                    .chain(extra)
                    .chain(notes.iter().map(String::as_str)),
            );
            self.out.push(Record {
                commodity: self.spec.commodity.to_string(),
                stage: self.spec.stage,
                measure: Measure::Production,
                scope,
                country: if scope == Scope::Country {
                    iso3.to_string()
                } else {
                    String::new()
                },
                label: label.to_string(),
                year,
                value: cell.value,
                unit: self.layout.unit,
                basis: self.spec.basis.to_string(),
                flags,
                original: text.to_string(),
                field: self.sheet.field(r, c),
                row: r as u32 + 1,
                note,
                table: self.sheet.name.trim().to_string(),
            });
        }
        Ok(())
    }
}
