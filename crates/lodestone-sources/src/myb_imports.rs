//! Why this file exists: where the United States buys a critical material *in which form* — ore,
//! APT, oxide, unwrought metal, wafers — is only published country by country in the MYB
//! "U.S. imports for consumption … by country or locality" tables. Each prints its own layout:
//! years across the top (or as "2018:" rows down the side), forms as column groups ("Metal",
//! "Oxides and hydroxides") or as section rows ("Tungsten carbide powder:" with its HTS code in
//! column C), one or two quantity columns (gross weight, content) and a value column in dollars
//! or thousands of dollars, a flag cell beside each figure, "Total" rows closing each section.
//! This reader reads the layout from the header cells themselves rather than from a list of
//! coordinates, and checks every printed total against the sum of its rows
//! ([`PrintedTotal`]).
//!
//! Rules, all visible in the output:
//! * a table that prints both gross weight and content gives two rows per origin, one per basis,
//!   each with the shipment's value;
//! * a form printed "--" (zero) for quantity and value in a year is no import and gives no row;
//! * "Total", "Grand total" and "Total estimated REO equivalent content" rows are not imports
//!   (the first are checked, see [`PrintedTotal`]); column groups headed "Total" are left out;
//! * "(7)" pointing at a footnote "Less than ½ unit." is 0.5 with the "upper-bound" flag;
//! * the niobium and tantalum chapters print imports by class with only the principal sources
//!   of the latest year as text ("Brazil 5,980,000, $129,000; Canada 2,160,000, $52,100."):
//!   `read_principal_sources` reads those, flagged "principal-sources-only".

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use lodestone_model::{CountryRegistry, Flags};

use crate::error::SourceError;
use crate::myb::{
    as_year, commodity_of_file, flag_cell, footnotes, head, hts_codes, is_legend, open_sheets,
    resolve_origin, strip_marks, tidy, value_cell, Head, Origin, Sheet,
};
use crate::record::ReadReport;

/// One import figure: a form of a commodity from one origin in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MybImport {
    /// Id from data/commodities.csv.
    pub commodity: String,
    /// As printed, lowercased and tidied: "ammonium paratungstate", "antimony oxide".
    pub form: String,
    /// HTS code(s) if the table prints them, comma separated: "2825.90.3000".
    pub hts: Option<String>,
    pub year: u16,
    /// The origin as printed, footnote marks stripped.
    pub origin_label: String,
    /// ISO3 of the origin; `None` for "Other" and labels that name no country.
    pub origin_iso3: Option<String>,
    /// In `unit`; `None` when withheld or not available.
    pub quantity: Option<f64>,
    /// "kg" or "t".
    pub unit: String,
    /// "gross weight" or "`<symbol>` content" ("W content", "Sb content", "Co content").
    pub basis: String,
    /// Customs value in US dollars (tables in thousands are converted).
    pub value_usd: Option<f64>,
    /// Comma-separated flag names: "estimated", "withheld", "revised", "upper-bound", ….
    pub flags: String,
    /// Relative to the reference folder: "usgs-minerals-yearbook/myb1-2019-tungs-adv.xlsx".
    pub file: String,
    /// The quantity cell: "T11!C14".
    pub field: String,
    /// The table title as printed: "TABLE 11. U.S. IMPORTS FOR CONSUMPTION OF …".
    pub table: String,
}

/// A printed total set against the sum of the rows above it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrintedTotal {
    pub table: String,
    pub form: String,
    pub year: u16,
    pub basis: String,
    /// The total's quantity cell.
    pub field: String,
    pub printed_quantity: Option<f64>,
    pub sum_quantity: f64,
    pub printed_value_usd: Option<f64>,
    pub sum_value_usd: f64,
    /// What rounding allows: half a unit in the last significant digit of every figure ("Data
    /// are rounded to no more than three (two) significant digits; may not add to totals
    /// shown"), plus half a unit per "less than ½ unit" row.
    pub tolerance_quantity: f64,
    pub tolerance_value: f64,
}

impl PrintedTotal {
    /// Whether the printed total equals the sum of its rows, to the printed rounding.
    pub fn agrees(&self) -> bool {
        let ok = |p: Option<f64>, s: f64, t: f64| p.is_none_or(|p| (p - s).abs() <= t);
        ok(
            self.printed_quantity,
            self.sum_quantity,
            self.tolerance_quantity,
        ) && ok(
            self.printed_value_usd,
            self.sum_value_usd,
            self.tolerance_value,
        )
    }
}

/// Reads every US-imports-by-country table of one MYB workbook (`rel`: the file's name relative
/// to the reference folder), origins resolved in `countries`; also returns the printed totals
/// checked and the rows left out.
pub fn read_us_imports(
    path: &Path,
    rel: &str,
    countries: &CountryRegistry,
) -> Result<(Vec<MybImport>, Vec<PrintedTotal>, ReadReport), SourceError> {
    let commodity = commodity_of_file(rel).ok_or_else(|| {
        SourceError::parse(
            path,
            0,
            0,
            "an MYB file name like myb1-2019-tungs-adv.xlsx",
            rel,
        )
    })?;
    let mut out = Vec::new();
    let mut totals = Vec::new();
    let mut report = ReadReport::default();
    for sheet in open_sheets(path)? {
        let Ok(h) = head(&sheet) else { continue };
        let title = h.plain_title();
        let ctx = Ctx {
            path,
            rel,
            commodity,
            countries,
        };
        if is_imports_by_country(&title) && title.contains("customs district") {
            report.skipped.push((
                0,
                format!("{}: imports by customs district, not read", h.printed()),
            ));
        } else if is_imports_by_country(&title) {
            let t = ImportTable::gather(&ctx, &sheet, &h)?;
            t.read(&ctx, &mut out, &mut totals, &mut report)?;
        } else if title.contains("trade") && title.contains("by class") {
            out.extend(read_principal_sources(&ctx, &sheet, &h, &mut report)?);
        }
    }
    // A class whose principal sources are printed where a by-country table of the same form
    // and year exists in the file adds nothing: the table is kept.
    let full: Vec<(String, u16)> = out
        .iter()
        .filter(|m| !m.flags.contains("principal-sources-only"))
        .map(|m| (m.form.clone(), m.year))
        .collect();
    out.retain(|m| {
        !m.flags.contains("principal-sources-only") || !full.contains(&(m.form.clone(), m.year))
    });
    Ok((out, totals, report))
}

/// Whether a (lowercase) title is a US imports table by country of origin (not exports, not
/// by customs district only).
pub fn is_imports_by_country(title: &str) -> bool {
    title.contains("imports")
        && !title.contains("exports")
        && (title.contains("by country") || title.contains("country or locality"))
}

/// The element symbol used in a content basis ("W content").
pub fn symbol(commodity: &str) -> &str {
    match commodity {
        "tungsten" => "W",
        "antimony" => "Sb",
        "cobalt" => "Co",
        "gallium" => "Ga",
        "germanium" => "Ge",
        "copper" => "Cu",
        "nickel" => "Ni",
        "tin" => "Sn",
        "niobium" => "Nb",
        "tantalum" => "Ta",
        "molybdenum" => "Mo",
        "manganese" => "Mn",
        "chromium" => "Cr",
        "titanium" => "Ti",
        "vanadium" => "V",
        "zirconium" => "Zr",
        "indium" => "In",
        "bismuth" => "Bi",
        "rhenium" => "Re",
        "lithium" => "Li",
        "strontium" => "Sr",
        // The platinum chapter's tables hold platinum and the other platinum-group metals.
        "platinum" => "PGM",
        other => other,
    }
}

/// What every table of a file is read against.
struct Ctx<'a> {
    path: &'a Path,
    rel: &'a str,
    commodity: &'static str,
    countries: &'a CountryRegistry,
}

impl Ctx<'_> {
    fn err(&self, sheet: &Sheet, r: usize, c: usize, expected: &str, found: &str) -> SourceError {
        SourceError::parse(
            self.path.join(sheet.name.trim()),
            r as u64 + 1,
            c as u64 + 1,
            expected,
            found,
        )
    }
}

/// What a value column holds.
#[derive(Debug, Clone, PartialEq)]
enum Measure {
    Quantity {
        unit: &'static str,
        basis: String,
    },
    /// Dollars per printed unit (1 or 1000).
    Value {
        multiplier: f64,
    },
}

/// A year's (and a column group's) columns: the quantities and the value.
#[derive(Debug, Clone)]
struct Block {
    year: Option<u16>,
    group: Option<String>,
    quantities: Vec<(usize, &'static str, String)>,
    value: Option<(usize, f64)>,
}

/// Where the body rows are: the year of "2019:" rows, the current section, its HTS codes and
/// the imports read since the last total.
#[derive(Debug, Default)]
struct Place {
    year_row: Option<u16>,
    section: Option<String>,
    hts: Vec<String>,
    since_total: Vec<usize>,
}

/// The layout of one imports table.
struct ImportTable<'s> {
    sheet: &'s Sheet,
    table: String,
    title_form: String,
    /// Codes from the title's footnotes.
    title_hts: Vec<String>,
    /// The whole table is an estimate ("BY COUNTRY OR LOCALITYe").
    estimated: bool,
    hts_col: Option<usize>,
    header_end: usize,
    blocks: Vec<Block>,
    notes: BTreeMap<String, String>,
    /// Half a unit in the last significant digit printed, relative: 0.005 for "rounded to no
    /// more than three significant digits", 0.05 for two.
    rounding: f64,
}

const MEASURE_WORDS: [&str; 7] = [
    "quantity",
    "gross",
    "value",
    "content",
    "weight",
    "(metric tons)",
    "(kilograms)",
];

fn is_measure(t: &str) -> bool {
    let l = t.to_lowercase();
    MEASURE_WORDS.iter().any(|w| l.contains(w))
}

/// "imports for consumption of ammonium paratungstate, by country or locality" → "ammonium
/// paratungstate".
fn title_form(plain: &str) -> String {
    let after = plain
        .split_once("imports for consumption of ")
        .or_else(|| plain.split_once("imports of "))
        .map_or(plain, |(_, a)| a);
    let form = after.split(", by ").next().unwrap_or(after);
    let form = form.split(" by country").next().unwrap_or(form);
    tidy(form.trim_end_matches(','))
}

/// A printed form name tidied: marks and the colon off, lowercase.
fn form_name(raw: &str) -> String {
    let (s, _) = strip_marks(raw);
    tidy(&s.trim_end_matches(':').to_lowercase())
}

impl<'s> ImportTable<'s> {
    /// Reads the header: the value columns, their years, groups, units and bases.
    fn gather(ctx: &Ctx, sheet: &'s Sheet, h: &Head) -> Result<Self, SourceError> {
        let header_end = (h.body..sheet.nrows())
            .find(|&r| {
                sheet
                    .text(r, 0)
                    .to_lowercase()
                    .contains("country or locality")
            })
            .ok_or_else(|| {
                ctx.err(
                    sheet,
                    h.body,
                    0,
                    "a header ending in \"Country or locality\"",
                    "none",
                )
            })?;
        let rows = h.body..=header_end;
        let ncols = sheet.ncols();
        let hts_col = (1..ncols).find(|&c| {
            rows.clone()
                .any(|r| sheet.text(r, c).to_lowercase().starts_with("hts"))
        });
        let years: Vec<(usize, usize, u16)> = rows
            .clone()
            .flat_map(|r| (1..ncols).map(move |c| (r, c)))
            .filter_map(|(r, c)| as_year(sheet.text(r, c)).map(|y| (r, c, y)))
            .collect();
        let is_year = |r: usize, c: usize| years.iter().any(|&(yr, yc, _)| yr == r && yc == c);
        // Group cells: not a year, not a measure word, and heading a quantity column.
        let groups: Vec<(usize, usize)> = rows
            .clone()
            .flat_map(|r| (1..ncols).map(move |c| (r, c)))
            .filter(|&(r, c)| {
                let t = sheet.text(r, c);
                !t.is_empty()
                    && !is_year(r, c)
                    && Some(c) != hts_col
                    && !is_measure(t)
                    && (r + 1..=header_end).any(|r2| {
                        let l = sheet.text(r2, c).to_lowercase();
                        l.contains("quantity") || l.contains("gross")
                    })
            })
            .collect();
        let notes = footnotes(sheet, header_end + 1);
        let unit_default = h.unit_line.as_deref().map(str::to_lowercase);
        let layout = HeaderCells {
            sheet,
            rows: rows.clone(),
            hts_col,
            years,
            groups,
        };
        let cols = layout.value_columns(ctx.commodity);
        let mut blocks = into_blocks(ctx, sheet, header_end, cols, unit_default.as_deref())?;
        blocks.retain(|b| {
            !b.quantities.is_empty()
                && !b
                    .group
                    .as_deref()
                    .is_some_and(|g| g.to_lowercase().starts_with("total"))
        });
        let title_hts = h
            .title_marks()
            .iter()
            .filter_map(|m| notes.get(m))
            .flat_map(|t| hts_codes(t))
            .collect();
        Ok(ImportTable {
            sheet,
            table: h.printed(),
            title_form: title_form(&h.plain_title()),
            title_hts,
            estimated: h.plain_title().ends_with("localitye"),
            hts_col,
            header_end,
            blocks,
            rounding: if notes.values().any(|n| n.contains("two significant digits")) {
                0.05
            } else {
                0.005
            },
            notes,
        })
    }

    /// A form's name: a one-word section or group ("Unwrought", "Metal") qualifies the title's
    /// form; a longer one stands on its own.
    fn form(&self, section: Option<&str>, group: Option<&str>) -> String {
        let own = |s: &str| {
            let f = form_name(s);
            if f.split_whitespace().count() <= 1 {
                format!("{}, {f}", self.title_form)
            } else {
                f
            }
        };
        match (section, group) {
            (Some(s), Some(g)) => format!("{}, {}", own(s), form_name(g)),
            (Some(s), None) => own(s),
            (None, Some(g)) => own(g),
            (None, None) => self.title_form.clone(),
        }
    }

    /// Codes in the footnotes a label's marks point at.
    fn mark_hts(&self, raw: &str) -> Vec<String> {
        strip_marks(raw)
            .1
            .iter()
            .filter_map(|m| self.notes.get(m))
            .flat_map(|t| hts_codes(t))
            .collect()
    }

    /// Reads the body rows.
    fn read(
        &self,
        ctx: &Ctx,
        out: &mut Vec<MybImport>,
        totals: &mut Vec<PrintedTotal>,
        report: &mut ReadReport,
    ) -> Result<(), SourceError> {
        let s = self.sheet;
        let mut place = Place::default();
        let mut pending: Option<String> = None;
        let mut open_header: Option<(String, Vec<String>)> = None;
        let value_cols: Vec<usize> = self
            .blocks
            .iter()
            .flat_map(|b| b.quantities.iter().map(|q| q.0).chain(b.value.map(|v| v.0)))
            .collect();
        for r in self.header_end + 1..s.nrows() {
            let a = tidy(s.text(r, 0));
            let has_values = value_cols.iter().any(|&c| !s.text(r, c).is_empty());
            let hts_text = self.hts_col.map(|c| s.text(r, c)).unwrap_or("");
            if a.is_empty() && !has_values {
                place.hts.extend(hts_codes(hts_text));
                continue;
            }
            if let Some(y) = a.strip_suffix(':').and_then(as_year) {
                place.year_row = Some(y);
                continue;
            }
            if as_year(&a).is_some() {
                // "2017" with figures: the previous year's totals only, not by country.
                report
                    .skipped
                    .push((r as u32 + 1, format!("{}: {a:?} totals row", s.name.trim())));
                continue;
            }
            if is_legend(&a) && !has_values {
                break;
            }
            let (label, _) = strip_marks(&a);
            let lower = label.to_lowercase();
            if !has_values {
                // A header: "Tungsten carbide powder:" or one with its HTS code and no colon
                // ("Wrought tungsten3, 7"), possibly continued on the next row ("Yttrium …
                // weight" + "greater than 19% … equivalent:"); a row with neither is kept for
                // the next header.
                let text = match pending.take() {
                    Some(p) => format!("{p} {label}"),
                    None => label.clone(),
                };
                let codes: Vec<String> = hts_codes(hts_text)
                    .into_iter()
                    .chain(self.mark_hts(&a))
                    .collect();
                if label.ends_with(':') || !codes.is_empty() {
                    match open_header.take() {
                        Some((prev, prev_codes)) => {
                            place.section = Some(format!("{prev} {text}"));
                            place.hts = prev_codes;
                            place.hts.extend(codes);
                        }
                        None => {
                            place.section = Some(text);
                            place.hts = codes;
                        }
                    }
                    if !label.ends_with(':') {
                        open_header = place.section.clone().map(|s| (s, place.hts.clone()));
                    }
                    place.since_total.clear();
                } else {
                    pending = Some(text);
                }
                continue;
            }
            open_header = None;
            if lower.starts_with("total") || lower.starts_with("grand total") {
                if lower == "total" {
                    self.check_total(r, &place.since_total, out, totals)?;
                } else {
                    report
                        .skipped
                        .push((r as u32 + 1, format!("{}: {label:?}", s.name.trim())));
                }
                place.since_total.clear();
                continue;
            }
            let origin = resolve_origin(&label, ctx.countries);
            if origin.is_none() && !lower.starts_with("other") {
                report.unresolved_labels.push((a.clone(), r as u32 + 1));
            }
            self.data_row(ctx, r, &label, origin.as_ref(), &mut place, out)?;
        }
        Ok(())
    }

    /// The imports of one data row: one per block (year, column group) and quantity column.
    fn data_row(
        &self,
        ctx: &Ctx,
        r: usize,
        label: &str,
        origin: Option<&Origin>,
        place: &mut Place,
        out: &mut Vec<MybImport>,
    ) -> Result<(), SourceError> {
        let s = self.sheet;
        for b in &self.blocks {
            let mut hts = place.hts.clone();
            let Some(year) = b.year.or(place.year_row) else {
                return Err(ctx.err(s, r, 0, "a year (in the header or a \"2019:\" row)", label));
            };
            let form = self.form(place.section.as_deref(), b.group.as_deref());
            if hts.is_empty() {
                hts = b
                    .group
                    .as_deref()
                    .map(|g| self.mark_hts(g))
                    .unwrap_or_default();
            }
            let mut codes = if hts.is_empty() {
                self.title_hts.clone()
            } else {
                hts
            };
            let mut seen = Vec::new();
            codes.retain(|c| {
                let new = !seen.contains(c);
                seen.push(c.clone());
                new
            });
            let value = match b.value {
                Some((c, m)) => Some((self.cell(ctx, r, c)?, m)),
                None => None,
            };
            for (c, unit, basis) in &b.quantities {
                let q = self.cell(ctx, r, *c)?;
                let both_zero = q.0.value == Some(0.0)
                    && value.as_ref().is_none_or(|(v, _)| v.0.value == Some(0.0));
                if both_zero || s.text(r, *c).is_empty() {
                    continue;
                }
                let mut flags = q.0.flags | q.1;
                if let Some((v, _)) = &value {
                    flags |= v.0.flags | v.1;
                }
                if self.estimated || origin.is_some_and(|o| o.estimated) {
                    flags |= Flags::ESTIMATED;
                }
                place.since_total.push(out.len());
                out.push(MybImport {
                    commodity: ctx.commodity.to_string(),
                    form: form.clone(),
                    hts: (!codes.is_empty()).then(|| codes.join(", ")),
                    year,
                    origin_label: origin.map_or(label.to_string(), |o| match &o.qualifier {
                        Some(q) => format!("{}, {q}", o.name),
                        None => o.name.clone(),
                    }),
                    origin_iso3: origin.map(|o| o.iso3.clone()),
                    quantity: q.0.value,
                    unit: unit.to_string(),
                    basis: basis.clone(),
                    value_usd: value
                        .as_ref()
                        .and_then(|(v, _)| v.0.value)
                        .map(|x| round6(x * b.value.map_or(1.0, |v| v.1))),
                    flags: flags.names().join(", "),
                    file: ctx.rel.to_string(),
                    field: s.field(r, *c),
                    table: self.table.clone(),
                });
            }
        }
        Ok(())
    }

    /// A value cell and the flags printed beside it.
    fn cell(
        &self,
        ctx: &Ctx,
        r: usize,
        c: usize,
    ) -> Result<(crate::cell::Cell, Flags), SourceError> {
        let s = self.sheet;
        let text = s.text(r, c);
        let cell = value_cell(text, &self.notes).ok_or_else(|| {
            ctx.err(
                s,
                r,
                c,
                "a number, --, W, NA or a footnote reference like (3)",
                text,
            )
        })?;
        Ok((cell, flag_cell(s.text(r, c + 1)).0))
    }

    /// Sets a "Total" row against the rows read since the previous total or section.
    fn check_total(
        &self,
        r: usize,
        rows: &[usize],
        out: &[MybImport],
        totals: &mut Vec<PrintedTotal>,
    ) -> Result<(), SourceError> {
        let s = self.sheet;
        for b in &self.blocks {
            for (c, _, basis) in &b.quantities {
                let part: Vec<&MybImport> = rows
                    .iter()
                    .map(|&i| &out[i])
                    .filter(|m| &m.basis == basis && b.year.is_none_or(|y| y == m.year))
                    .filter(|m| {
                        b.group.is_none()
                            || m.form
                                .ends_with(&form_name(b.group.as_deref().unwrap_or("")))
                    })
                    .collect();
                let Some(first) = part.first() else { continue };
                let printed_q = value_cell(s.text(r, *c), &self.notes).and_then(|c| c.value);
                let printed_v = b.value.and_then(|(vc, m)| {
                    value_cell(s.text(r, vc), &self.notes)
                        .and_then(|c| c.value)
                        .map(|v| v * m)
                });
                let bounds = |f: fn(&MybImport) -> Option<f64>, scale: f64| {
                    part.iter()
                        .filter(|m| m.flags.contains("upper-bound") && f(m).is_some())
                        .count() as f64
                        * 0.5
                        * scale
                };
                let sum_q: f64 = part.iter().filter_map(|m| m.quantity).sum();
                let abs_q: f64 = part.iter().filter_map(|m| m.quantity.map(f64::abs)).sum();
                let sum_v: f64 = part.iter().filter_map(|m| m.value_usd).sum();
                let abs_v: f64 = part.iter().filter_map(|m| m.value_usd.map(f64::abs)).sum();
                let vm = b.value.map_or(1.0, |v| v.1);
                totals.push(PrintedTotal {
                    table: self.table.clone(),
                    form: first.form.clone(),
                    year: first.year,
                    basis: basis.clone(),
                    field: s.field(r, *c),
                    printed_quantity: printed_q,
                    sum_quantity: round6(sum_q),
                    printed_value_usd: printed_v,
                    sum_value_usd: round6(sum_v),
                    tolerance_quantity: self.rounding * (abs_q + printed_q.unwrap_or(0.0).abs())
                        + bounds(|m| m.quantity, 1.0)
                        + 1.0,
                    tolerance_value: self.rounding * (abs_v + printed_v.unwrap_or(0.0).abs())
                        + bounds(|m| m.value_usd, vm)
                        + vm,
                });
            }
        }
        Ok(())
    }
}

/// The header cells of an imports table: its years and column groups.
struct HeaderCells<'s> {
    sheet: &'s Sheet,
    rows: std::ops::RangeInclusive<usize>,
    hts_col: Option<usize>,
    /// (row, column, year).
    years: Vec<(usize, usize, u16)>,
    /// (row, column) of group headings ("Metal2", "Crystalline flake").
    groups: Vec<(usize, usize)>,
}

/// A value column: its index, year, column group and what it measures.
type ValueColumn = (usize, Option<u16>, Option<String>, Measure);

impl HeaderCells<'_> {
    fn is_year(&self, r: usize, c: usize) -> bool {
        self.years.iter().any(|&(yr, yc, _)| yr == r && yc == c)
    }

    /// Every column whose own header cells name a measure, with the year and group spanning
    /// it (the nearest ones printed at or left of it).
    fn value_columns(&self, commodity: &str) -> Vec<ValueColumn> {
        let mut cols: Vec<(usize, Option<u16>, Option<String>, Measure)> = Vec::new();
        for c in 1..self.sheet.ncols() {
            if Some(c) == self.hts_col {
                continue;
            }
            let own: Vec<&str> = self
                .rows
                .clone()
                .filter(|&r| !self.is_year(r, c) && !self.groups.contains(&(r, c)))
                .map(|r| self.sheet.text(r, c))
                .filter(|t| !t.is_empty())
                .collect();
            let text = own.join(" ").to_lowercase();
            if !is_measure(&text) {
                continue;
            }
            let year = self
                .years
                .iter()
                .filter(|&&(_, yc, _)| yc <= c)
                .max_by_key(|&&(_, yc, _)| yc)
                .map(|&(_, _, y)| y);
            let gstart = self
                .groups
                .iter()
                .filter(|&&(_, gc)| gc <= c)
                .map(|&(_, gc)| gc)
                .max();
            let group = gstart.map(|g| {
                self.groups
                    .iter()
                    .filter(|&&(_, gc)| gc == g)
                    .map(|&(r, gc)| self.sheet.text(r, gc))
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            let measure = if text.contains("value") {
                Measure::Value {
                    multiplier: if text.contains("thousand") {
                        1000.0
                    } else {
                        1.0
                    },
                }
            } else {
                let unit = unit_word(&text);
                let basis = if text.contains("content") {
                    format!("{} content", symbol(commodity))
                } else {
                    "gross weight".to_string()
                };
                Measure::Quantity {
                    unit: unit.unwrap_or(""),
                    basis,
                }
            };
            cols.push((c, year, group, measure));
        }
        cols
    }
}

/// Value columns gathered into blocks (one per year and column group). A quantity column
/// without its own unit takes the unit of the quantity column left of it in the same block,
/// else the table's unit line ("Kilograms unless otherwise specified").
fn into_blocks(
    ctx: &Ctx,
    sheet: &Sheet,
    header_end: usize,
    cols: Vec<ValueColumn>,
    unit_default: Option<&str>,
) -> Result<Vec<Block>, SourceError> {
    let mut blocks: Vec<Block> = Vec::new();
    for (c, year, group, m) in cols {
        let idx = match blocks
            .iter()
            .position(|b| b.year == year && b.group == group)
        {
            Some(i) => i,
            None => {
                blocks.push(Block {
                    year,
                    group: group.clone(),
                    quantities: Vec::new(),
                    value: None,
                });
                blocks.len() - 1
            }
        };
        let b = &mut blocks[idx];
        match m {
            Measure::Value { multiplier } => b.value = Some((c, multiplier)),
            Measure::Quantity { unit, basis } => {
                let unit = if !unit.is_empty() {
                    unit
                } else if let Some(u) = b.quantities.last().map(|q| q.1) {
                    u
                } else if let Some(u) = unit_default.and_then(unit_word) {
                    u
                } else {
                    return Err(ctx.err(
                        sheet,
                        header_end,
                        c,
                        "a quantity unit (metric tons or kilograms) in the header",
                        sheet.text(header_end, c),
                    ));
                };
                b.quantities.push((c, unit, basis));
            }
        }
    }
    Ok(blocks)
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// "t" or "kg" from a header text.
fn unit_word(text: &str) -> Option<&'static str> {
    let l = text.to_lowercase();
    if l.contains("metric tons") {
        Some("t")
    } else if l.contains("kilograms") {
        Some("kg")
    } else {
        None
    }
}

/// The by-class trade tables (niobium, tantalum): the "Principal destinations and sources"
/// text of each import class, latest year only.
fn read_principal_sources(
    ctx: &Ctx,
    sheet: &Sheet,
    h: &Head,
    report: &mut ReadReport,
) -> Result<Vec<MybImport>, SourceError> {
    let mut out = Vec::new();
    let ncols = sheet.ncols();
    let Some((hr, pc)) = (h.body..sheet.nrows().min(h.body + 6))
        .flat_map(|r| (0..ncols).map(move |c| (r, c)))
        .find(|&(r, c)| {
            sheet
                .text(r, c)
                .to_lowercase()
                .starts_with("principal destinations")
        })
    else {
        return Ok(out);
    };
    let Some(year) = sheet
        .text(hr, pc)
        .split_whitespace()
        .last()
        .and_then(as_year)
    else {
        return Err(ctx.err(
            sheet,
            hr,
            pc,
            "\"Principal destinations and sources in <year>\"",
            sheet.text(hr, pc),
        ));
    };
    let value_thousands = (hr..=hr + 1).any(|r| {
        sheet
            .text(r, pc)
            .to_lowercase()
            .contains("thousand dollars")
    });
    let unit = if (hr..=hr + 1).any(|r| sheet.text(r, pc).to_lowercase().contains("kilograms")) {
        "kg"
    } else {
        "t"
    };
    let class_col = (0..pc)
        .find(|&c| (hr..=hr + 1).any(|r| sheet.text(r, c) == "Class"))
        .unwrap_or(2);
    let mut importing = false;
    let mut section: Option<String> = None;
    let mut r = hr + 2;
    while r < sheet.nrows() {
        let class = tidy(sheet.text(r, class_col));
        let lower = class.to_lowercase();
        if is_legend(sheet.text(r, 0)) && class.is_empty() {
            break;
        }
        if lower.starts_with("imports") {
            importing = true;
        } else if lower.starts_with("exports") {
            importing = false;
        }
        let hts = hts_codes(sheet.text(r, 0));
        let mut text = sheet.text(r, pc).to_string();
        // The text may run on in the next row's cell, under an empty class.
        while r + 1 < sheet.nrows()
            && sheet.text(r + 1, class_col).is_empty()
            && !sheet.text(r + 1, pc).is_empty()
        {
            r += 1;
            text = format!("{text} {}", sheet.text(r, pc));
        }
        if importing && class.ends_with(':') && !lower.starts_with("imports") {
            section = Some(form_name(&class));
        } else if importing && lower.starts_with("total") {
            section = None;
        }
        let other_metal = match ctx.commodity {
            "niobium" => Some("tantalum"),
            "tantalum" => Some("niobium"),
            _ => None,
        };
        if importing && other_metal.is_some_and(|m| lower.contains(m)) {
            report.skipped.push((
                r as u32 + 1,
                format!("{class:?}: read in that metal's chapter"),
            ));
        } else if importing && !text.is_empty() && !lower.starts_with("total") {
            let name = form_name(&class);
            let form = match &section {
                Some(s) => format!("{s}, {name}"),
                None if name.starts_with("unwrought") || name.starts_with("wrought") => {
                    format!("{} {name}", ctx.commodity)
                }
                None => name,
            };
            for (label, q, v) in principal_entries(&text) {
                let origin = resolve_origin(&label, ctx.countries);
                if origin.is_none() {
                    report.unresolved_labels.push((label.clone(), r as u32 + 1));
                }
                out.push(MybImport {
                    commodity: ctx.commodity.to_string(),
                    form: form.clone(),
                    hts: (!hts.is_empty()).then(|| hts.join(", ")),
                    year,
                    origin_label: origin.as_ref().map_or(label.clone(), |o| o.name.clone()),
                    origin_iso3: origin.map(|o| o.iso3),
                    quantity: Some(q),
                    unit: unit.to_string(),
                    basis: "gross weight".to_string(),
                    value_usd: v.map(|v| if value_thousands { v * 1000.0 } else { v }),
                    flags: "principal-sources-only".to_string(),
                    file: ctx.rel.to_string(),
                    field: sheet.field(r, pc),
                    table: h.printed(),
                });
            }
        }
        r += 1;
    }
    Ok(out)
}

/// "Brazil 5,980,000, $129,000; Canada 2,160,000, $52,100." → entries (country, quantity,
/// value); "El Salvador, 28,600, $10,100" and "Korea, Republic of 36,400, $28,000" too.
pub fn principal_entries(text: &str) -> Vec<(String, f64, Option<f64>)> {
    let mut out = Vec::new();
    for entry in text.split(';') {
        let e = tidy(entry.trim().trim_end_matches('.'));
        let (head, value) = match e.rsplit_once('$') {
            Some((h, v)) => (
                h.trim().trim_end_matches(',').trim(),
                v.replace(',', "").trim().parse::<f64>().ok(),
            ),
            None => (e.as_str(), None),
        };
        // The quantity is the last run of digits and commas in `head`.
        let cut = head
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == ','))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let qty: Option<f64> = head[cut..].replace(',', "").parse().ok();
        let name = head[..cut].trim().trim_end_matches(',').trim();
        if let (Some(q), false) = (qty, name.is_empty()) {
            out.push((name.to_string(), q, value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> CountryRegistry {
        let mk = lodestone_model::Country::named;
        CountryRegistry::new(vec![
            mk("CHN", "China"),
            mk("DEU", "Germany"),
            mk("BRA", "Brazil"),
            mk("CAN", "Canada"),
            mk("KOR", "Korea, Republic of"),
            mk("SLV", "El Salvador"),
        ])
    }

    fn ctx(reg: &CountryRegistry) -> Ctx<'_> {
        Ctx {
            path: Path::new("myb1-2019-tungs-adv.xlsx"),
            rel: "usgs-minerals-yearbook/myb1-2019-tungs-adv.xlsx",
            commodity: "tungsten",
            countries: reg,
        }
    }

    #[test]
    fn a_two_year_table_with_content_and_value_in_thousands() {
        let sheet = Sheet::from_rows(
            "T12",
            &[
                &["TABLE 12"],
                &["U.S. IMPORTS FOR CONSUMPTION OF AMMONIUM PARATUNGSTATE, BY COUNTRY OR "],
                &["LOCALITY1, 2"],
                &[],
                &["", "", "2018", "", "", "", "2019"],
                &["", "", "Quantity,", "", "", "", "Quantity,"],
                &["", "", "tungsten content", "", "Value", "", "tungsten content", "", "Value"],
                &["Country or locality", "", "(metric tons)", "", "(thousands)", "", "(metric tons)", "", "(thousands)"],
                &["China", "", "1450", "", "47000", "", "824", "r", "24900"],
                &["Germany", "", "632", "", "16000", "", "--", "", "--"],
                &["Other", "", "(3)", "", "5", "", "2", "", "70"],
                &["Total", "", "2080", "", "63000", "", "826", "", "25000"],
                &["rRevised.  -- Zero."],
                &["1Table includes data available through August 11, 2020."],
                &["2Includes other ammonium tungstates. Harmonized Tariff Schedule of the United States code 2841.80.0010."],
                &["3Less than ½ unit."],
            ],
        );
        let reg = registry();
        let c = ctx(&reg);
        let h = head(&sheet).unwrap();
        let t = ImportTable::gather(&c, &sheet, &h).unwrap();
        let (mut out, mut totals, mut rep) = (Vec::new(), Vec::new(), ReadReport::default());
        t.read(&c, &mut out, &mut totals, &mut rep).unwrap();
        assert_eq!(out.len(), 5, "{out:#?}");
        let china = &out[0];
        assert_eq!(china.form, "ammonium paratungstate");
        assert_eq!(china.hts.as_deref(), Some("2841.80.0010"));
        assert_eq!(
            (china.year, china.quantity, china.unit.as_str()),
            (2018, Some(1450.0), "t")
        );
        assert_eq!(china.basis, "W content");
        assert_eq!(china.value_usd, Some(47_000_000.0));
        assert_eq!(china.field, "T12!C9");
        assert_eq!(china.origin_iso3.as_deref(), Some("CHN"));
        let other = out
            .iter()
            .find(|m| m.origin_label == "Other" && m.year == 2018)
            .unwrap();
        assert_eq!(
            (other.origin_iso3.clone(), other.flags.as_str()),
            (None, "upper-bound")
        );
        assert!(out.iter().any(|m| m.year == 2019 && m.flags == "revised"));
        // Germany 2019 is "--" for both: no row.
        assert!(!out
            .iter()
            .any(|m| m.origin_label == "Germany" && m.year == 2019));
        assert_eq!(totals.len(), 2);
        assert!(totals.iter().all(PrintedTotal::agrees), "{totals:#?}");
    }

    #[test]
    fn sections_groups_and_year_rows() {
        let sheet = Sheet::from_rows(
            "T4",
            &[
                &["TABLE 4"],
                &["U.S. IMPORTS FOR CONSUMPTION OF COBALT, BY COUNTRY OR LOCALITY1"],
                &[],
                &["", "", "Metal2", "", "", "", "", "", "Total"],
                &["", "", "Quantity ", "", "", "", "", "", "Quantity "],
                &["", "", "(metric tons)", "", "", "", "", "", "(metric tons)"],
                &[
                    "", "", "Gross", "", "Cobalt", "", "Value6", "", "Gross", "", "Value6",
                ],
                &[
                    "Country or locality",
                    "",
                    "weight",
                    "",
                    "content5",
                    "",
                    "(thousands)",
                    "",
                    "weight",
                    "",
                    "(thousands)",
                ],
                &["2019:"],
                &[
                    "China", "", "213", "", "213", "", "10500", "", "598", "", "18200",
                ],
                &[
                    "Total", "", "213", "", "213", "", "10500", "", "598", "", "18200",
                ],
                &["-- Zero."],
                &["2HTS codes 8105.20.6000 and 8105.20.9000."],
            ],
        );
        let reg = registry();
        let mut c = ctx(&reg);
        c.commodity = "cobalt";
        let h = head(&sheet).unwrap();
        let t = ImportTable::gather(&c, &sheet, &h).unwrap();
        let (mut out, mut totals, mut rep) = (Vec::new(), Vec::new(), ReadReport::default());
        t.read(&c, &mut out, &mut totals, &mut rep).unwrap();
        let bases: Vec<&str> = out.iter().map(|m| m.basis.as_str()).collect();
        assert_eq!(bases, vec!["gross weight", "Co content"]);
        assert!(out
            .iter()
            .all(|m| m.form == "cobalt, metal" && m.year == 2019 && m.unit == "t"));
        assert_eq!(out[0].hts.as_deref(), Some("8105.20.6000, 8105.20.9000"));
        assert_eq!(out[1].value_usd, Some(10_500_000.0));
        assert!(totals.iter().all(PrintedTotal::agrees) && totals.len() == 2);
    }

    #[test]
    fn principal_source_text() {
        let e = principal_entries("Brazil 5,980,000, $129,000; Canada 2,160,000, $52,100.");
        assert_eq!(e[0], ("Brazil".into(), 5_980_000.0, Some(129_000.0)));
        let e =
            principal_entries("El Salvador, 28,600, $10,100; Korea, Republic of 36,400, $28,000");
        assert_eq!(e[0].0, "El Salvador");
        assert_eq!(
            e[1],
            ("Korea, Republic of".into(), 36_400.0, Some(28_000.0))
        );
    }

    #[test]
    fn titles_to_forms() {
        assert_eq!(
            title_form(
                "u.s. imports for consumption of ammonium paratungstate, by country or locality"
            ),
            "ammonium paratungstate"
        );
        assert!(is_imports_by_country(
            "u.s. imports for consumption of cobalt, by country or locality"
        ));
        assert!(!is_imports_by_country(
            "u.s. exports and imports for consumption of alumina, by country or locality"
        ));
    }
}
