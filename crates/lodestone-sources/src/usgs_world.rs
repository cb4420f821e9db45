//! Why this file exists: the USGS MCS "world" tables (world mine/refinery production by country
//! and reserves) are the most cited figures in the field, and the messiest CSVs: byte-order marks,
//! units in column names, footnote digits glued to country names, "W"/"NA"/">50" cells, totals
//! rows, trailing empty columns and rows.

use std::path::Path;

use lodestone_model::{CountryRegistry, Flags, Measure, Scope};

use crate::cell::parse_cell;
use crate::error::SourceError;
use crate::label::{parse_label, Label};
use crate::record::{join_notes, ReadReport, Record};
use crate::series::{Series, UsgsRules};
use crate::usgs_header::{classify, Column, ValueColumn};

/// The commodity code of a USGS file name: `mcs2024-tungs_world.csv` → `tungs`,
/// `tungsten_mcs2022-tungs_world.csv` → `tungs`, `mcs2023-zirco-hafni_world.csv` → `zirco`.
pub fn file_code(file_name: &str) -> Option<String> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let lower = base.to_lowercase();
    let stem = lower.split('_').rev().nth(1).unwrap_or(&lower);
    let after = stem.split_once('-').map(|(_, rest)| rest).or_else(|| {
        // "mcs2023tellu_salient.csv": the code follows the edition digits directly.
        stem.strip_prefix("mcs")
            .map(|r| r.trim_start_matches(|c: char| c.is_ascii_digit()))
    })?;
    let code = after.split('-').next()?;
    (!code.is_empty()).then(|| code.to_string())
}

/// Splits CSV bytes into records of text, with a clear error for text that is not UTF-8 and for
/// a file cut inside a quoted field or with text after a closing quote.
pub(crate) fn csv_rows(path: &Path, bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>, SourceError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    SourceError::check_quotes(path, bytes)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = Vec::new();
    let mut rec = csv::ByteRecord::new();
    // Line numbers are counted from byte offsets: the reader's own line counter lags by the
    // previous record's terminator.
    let mut counted_to = 0usize;
    let mut line_at = 1u64;
    let mut line_of = |offset: usize| -> u64 {
        let mut off = offset.min(bytes.len());
        while off < bytes.len() && (bytes[off] == b'\r' || bytes[off] == b'\n') {
            off += 1;
        }
        if off > counted_to {
            line_at += bytes[counted_to..off]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            counted_to = off;
        }
        line_at
    };
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = line_of(rec.position().map_or(0, |p| p.byte() as usize));
                let mut fields = Vec::with_capacity(rec.len());
                for (i, f) in rec.iter().enumerate() {
                    let s = std::str::from_utf8(f).map_err(|e| {
                        SourceError::parse(
                            path,
                            line,
                            i as u64 + 1,
                            "UTF-8 text",
                            format!("invalid byte at offset {}", e.valid_up_to()),
                        )
                    })?;
                    fields.push(s.to_string());
                }
                out.push((line, fields));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| line_of(p.byte() as usize));
                return Err(SourceError::parse(
                    path,
                    line,
                    0,
                    "a CSV record",
                    e.to_string(),
                ));
            }
        }
    }
    Ok(out)
}

/// The header of a CSV read by [`csv_rows`]; an empty file is an error at line 1.
pub(crate) fn header_row<'a>(
    path: &Path,
    rows: &'a [(u64, Vec<String>)],
) -> Result<&'a Vec<String>, SourceError> {
    rows.first()
        .map(|(_, h)| h)
        .ok_or_else(|| SourceError::parse(path, 1, 1, "a header row", "an empty file"))
}

/// Reads one world table. `file` is the name recorded in provenance; `revision` a note from the
/// edition's revision file when this file was replaced.
pub fn read_world(
    path: &Path,
    file: &str,
    bytes: &[u8],
    rules: &UsgsRules,
    countries: &CountryRegistry,
    revision: Option<&str>,
) -> Result<(Vec<Record>, ReadReport), SourceError> {
    let code = file_code(file).ok_or_else(|| {
        SourceError::parse(path, 0, 0, "a file name like mcs2024-tungs_world.csv", file)
    })?;
    let rows = csv_rows(path, bytes)?;
    let header = header_row(path, &rows)?;
    let table = WorldTable {
        path,
        code,
        rules,
        countries,
        revision,
        layout: WorldLayout::of(path, header)?,
    };
    let mut out = Vec::new();
    let mut report = ReadReport::default();
    for (line, row) in rows.iter().skip(1) {
        table.read_row(*line as u32, row, &mut out, &mut report)?;
    }
    Ok((out, report))
}

/// The role of every column of a world table, from its header.
fn classify_columns(path: &Path, header: &[String]) -> Result<Vec<Column>, SourceError> {
    let mut columns = Vec::with_capacity(header.len());
    for (i, h) in header.iter().enumerate() {
        let c = classify(h).ok_or_else(|| {
            SourceError::parse(
                path,
                1,
                i as u64 + 1,
                "Source, Country, Type, a value column like Prod_t_2022 or a notes column",
                h.as_str(),
            )
        })?;
        columns.push(c);
    }
    Ok(columns)
}

/// Where a world table keeps its labels, types, values and notes.
struct WorldLayout<'h> {
    header: &'h [String],
    columns: Vec<Column>,
    country_col: usize,
    type_col: usize,
    /// The value columns with their indices.
    values: Vec<(usize, ValueColumn)>,
    /// The year of value columns that print none (reserves): the latest year printed.
    latest_year: u16,
    /// The Type column's name when it is not "Type" (fluorspar names the type there): the type
    /// of rows whose Type cell is blank.
    fluor_type: Option<String>,
}

impl<'h> WorldLayout<'h> {
    /// The layout of a header; an error names a missing Country, Type or value column.
    fn of(path: &Path, header: &'h [String]) -> Result<Self, SourceError> {
        let columns = classify_columns(path, header)?;
        let lacking = |what: &str| SourceError::parse(path, 1, 0, what, header.join(","));
        let find = |want: &Column| columns.iter().position(|c| c == want);
        let country_col = find(&Column::Country).ok_or_else(|| lacking("a Country column"))?;
        let type_col = find(&Column::Type).ok_or_else(|| lacking("a Type column"))?;
        let values: Vec<(usize, ValueColumn)> = columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c {
                Column::Value(v) => Some((i, v.clone())),
                _ => None,
            })
            .collect();
        if values.is_empty() {
            return Err(lacking("at least one value column"));
        }
        let latest_year = values
            .iter()
            .filter_map(|(_, v)| v.year)
            .max()
            .ok_or_else(|| lacking("a year in some value column"))?;
        let fluor_type = header
            .get(type_col)
            .filter(|h| h.as_str() != "Type")
            .cloned();
        Ok(WorldLayout {
            header,
            columns,
            country_col,
            type_col,
            values,
            latest_year,
            fluor_type,
        })
    }
}

/// What every row of one world table is read against.
struct WorldTable<'a> {
    path: &'a Path,
    /// The commodity code of the file name (`tungs`).
    code: String,
    rules: &'a UsgsRules,
    countries: &'a CountryRegistry,
    revision: Option<&'a str>,
    layout: WorldLayout<'a>,
}

impl WorldTable<'_> {
    /// Reads one data row: a record per value column, or the reason the row is left out.
    fn read_row(
        &self,
        line: u32,
        row: &[String],
        out: &mut Vec<Record>,
        report: &mut ReadReport,
    ) -> Result<(), SourceError> {
        if row.iter().all(|f| f.trim().is_empty()) {
            return Ok(());
        }
        let l = &self.layout;
        let get = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
        let raw_label = get(l.country_col);
        if raw_label.trim().is_empty() {
            report
                .skipped
                .push((line, "row without a country label".into()));
            return Ok(());
        }
        let type_text = match (&l.fluor_type, get(l.type_col).trim()) {
            (Some(t), "") => t.as_str(),
            (_, t) => t,
        };
        let label = parse_label(raw_label, self.countries);
        if label.unresolved {
            report.unresolved_labels.push((raw_label.to_string(), line));
        }
        for (col, vc) in &l.values {
            let cell = WorldCell {
                line,
                col: *col,
                text: get(*col),
                notes: l
                    .columns
                    .iter()
                    .position(|c| *c == Column::Notes(vc.measure))
                    .map(get)
                    .unwrap_or(""),
            };
            out.push(self.value_record(&cell, vc, raw_label, type_text, &label)?);
        }
        Ok(())
    }

    /// The series a row's Type text falls under: the code's rule for it, else the code's
    /// catch-all rule (files with a blank Type on some rows).
    fn series(&self, line: u32, type_text: &str) -> Result<&Series, SourceError> {
        let series = self
            .rules
            .find(&self.code, type_text)
            .or_else(|| self.rules.find(&self.code, "*"));
        series.ok_or_else(|| {
            SourceError::parse(
                self.path,
                line as u64,
                self.layout.type_col as u64 + 1,
                format!(
                    "a Type text covered by a rule for code {} in data/sources/usgs-series.csv",
                    self.code
                ),
                type_text,
            )
        })
    }

    /// The record of one value cell, with its series, flags, basis and notes.
    fn value_record(
        &self,
        cell: &WorldCell,
        vc: &ValueColumn,
        raw_label: &str,
        type_text: &str,
        label: &Label,
    ) -> Result<Record, SourceError> {
        let parsed = parse_cell(cell.text).map_err(|_| {
            SourceError::parse(
                self.path,
                cell.line as u64,
                cell.col as u64 + 1,
                "a number, W, NA, XX, >N, <N, eN or a range",
                cell.text,
            )
        })?;
        let series = self.series(cell.line, type_text)?;
        let measure = match (series.measure, vc.measure) {
            (Some(m), Measure::Production) => m,
            (_, m) => m,
        };
        let mut flags = parsed.flags;
        if vc.estimated || label.estimated {
            flags |= Flags::ESTIMATED;
        }
        if self.revision.is_some() {
            flags |= Flags::REVISED;
        }
        let mut basis = series.basis.clone();
        if !vc.product.is_empty() && vc.measure != Measure::Production {
            basis = format!("{basis} ({})", vc.product);
        }
        Ok(Record {
            commodity: series.commodity.clone(),
            stage: series.stage,
            measure,
            scope: label.scope,
            country: if label.scope == Scope::Country {
                label.iso3.clone()
            } else {
                String::new()
            },
            label: raw_label.trim().to_string(),
            year: vc.year.unwrap_or(self.layout.latest_year),
            value: parsed.value,
            unit: vc.unit,
            basis,
            flags,
            original: cell.text.to_string(),
            field: self.layout.header[cell.col]
                .trim_start_matches('\u{feff}')
                .to_string(),
            row: cell.line,
            note: cell_note(cell.notes, label, vc, self.revision),
            table: String::new(),
        })
    }
}

/// One value cell of a row, with the text of its measure's notes column.
struct WorldCell<'r> {
    line: u32,
    col: usize,
    text: &'r str,
    notes: &'r str,
}

/// A record's note: the notes column, the row qualifier, the label's footnote, the column's
/// product and the edition's revision note, in that order.
fn cell_note(notes: &str, label: &Label, vc: &ValueColumn, revision: Option<&str>) -> String {
    let qualifier = label
        .qualifier
        .as_ref()
        .map(|q| format!("row qualifier: {q}"));
    let footnote = label
        .footnote
        .as_ref()
        .map(|f| format!("footnote {f} in the source"));
    let product = (!vc.product.is_empty()).then(|| format!("column product: {}", vc.product));
    join_notes(
        [
            Some(notes),
            qualifier.as_deref(),
            footnote.as_deref(),
            product.as_deref(),
            revision,
        ]
        .into_iter()
        .flatten(),
    )
}

/// Reads an edition's revision file: file name → the paragraph that names it.
pub fn read_revisions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        let para = para.trim();
        for word in para.split_whitespace() {
            let w = word.trim_matches(|c: char| c == ',' || c == '.' || c == ';');
            if w.to_lowercase().ends_with(".csv") {
                out.push((
                    w.to_string(),
                    format!(
                        "USGS revision note: {}",
                        para.split_whitespace().collect::<Vec<_>>().join(" ")
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_all_file_name_styles() {
        assert_eq!(
            file_code("mcs2024-tungs_world.csv").as_deref(),
            Some("tungs")
        );
        assert_eq!(
            file_code("MCS2024-bismu_world.csv").as_deref(),
            Some("bismu")
        );
        assert_eq!(
            file_code("tungsten_mcs2022-tungs_world.csv").as_deref(),
            Some("tungs")
        );
        assert_eq!(
            file_code("mcs2023-zirco-hafni_world.csv").as_deref(),
            Some("zirco")
        );
        assert_eq!(
            file_code("mcs2023tellu_salient.csv").as_deref(),
            Some("tellu")
        );
        assert_eq!(
            file_code("rare_earths_mcs2022-raree_world.csv").as_deref(),
            Some("raree")
        );
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn rows_carry_their_line_numbers() {
        let rows = csv_rows(
            Path::new("x.csv"),
            b"\xef\xbb\xbfa,b\r\n1,2\r\n\"x\ny\",3\r\n4,5\r\n",
        )
        .unwrap();
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![1, 2, 3, 5]);
    }
}
