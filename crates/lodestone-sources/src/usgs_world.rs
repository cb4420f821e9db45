//! Why this file exists: the USGS MCS "world" tables (world mine/refinery production by country
//! and reserves) are the most cited figures in the field, and the messiest CSVs: byte-order marks,
//! units in column names, footnote digits glued to country names, "W"/"NA"/">50" cells, totals
//! rows, trailing empty columns and rows.

use std::path::Path;

use lodestone_model::{CountryRegistry, Flags, Measure, Scope};

use crate::cell::parse_cell;
use crate::error::SourceError;
use crate::label::parse_label;
use crate::record::{join_notes, ReadReport, Record};
use crate::series::UsgsRules;
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

/// Splits CSV bytes into records of text, with a clear error for text that is not UTF-8.
pub(crate) fn csv_rows(path: &Path, bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>, SourceError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
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
    let find = |want: &Column| columns.iter().position(|c| c == want);
    let country_col = find(&Column::Country)
        .ok_or_else(|| SourceError::parse(path, 1, 0, "a Country column", header.join(",")))?;
    let type_col = find(&Column::Type)
        .ok_or_else(|| SourceError::parse(path, 1, 0, "a Type column", header.join(",")))?;
    let values: Vec<(usize, &ValueColumn)> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Column::Value(v) => Some((i, v)),
            _ => None,
        })
        .collect();
    if values.is_empty() {
        return Err(SourceError::parse(
            path,
            1,
            0,
            "at least one value column",
            header.join(","),
        ));
    }
    let latest_year = values
        .iter()
        .filter_map(|(_, v)| v.year)
        .max()
        .ok_or_else(|| {
            SourceError::parse(path, 1, 0, "a year in some value column", header.join(","))
        })?;
    let fluor_type = header
        .get(type_col)
        .filter(|h| h.as_str() != "Type")
        .cloned();

    let mut out = Vec::new();
    let mut report = ReadReport::default();
    for (line, row) in rows.iter().skip(1) {
        let line = *line as u32;
        if row.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
        let raw_label = get(country_col);
        if raw_label.trim().is_empty() {
            report
                .skipped
                .push((line, "row without a country label".into()));
            continue;
        }
        let type_text = match (&fluor_type, get(type_col).trim()) {
            (Some(t), "") => t.as_str(),
            (_, t) => t,
        };
        let label = parse_label(raw_label, countries);
        if label.unresolved {
            report.unresolved_labels.push((raw_label.to_string(), line));
        }
        for (col, vc) in &values {
            let text = get(*col);
            let cell = parse_cell(text).map_err(|_| {
                SourceError::parse(
                    path,
                    line as u64,
                    *col as u64 + 1,
                    "a number, W, NA, XX, >N, <N, eN or a range",
                    text,
                )
            })?;
            let series = rules.find(&code, type_text).or_else(|| {
                // Files with a blank Type on some rows: fall back to the code's catch-all rule.
                rules.find(&code, "*")
            });
            let Some(series) = series else {
                return Err(SourceError::parse(
                    path,
                    line as u64,
                    type_col as u64 + 1,
                    format!("a Type text covered by a rule for code {code} in data/sources/usgs-series.csv"),
                    type_text,
                ));
            };
            let measure = match (series.measure, vc.measure) {
                (Some(m), Measure::Production) => m,
                (_, m) => m,
            };
            let mut flags = cell.flags;
            if vc.estimated || label.estimated {
                flags |= Flags::ESTIMATED;
            }
            if revision.is_some() {
                flags |= Flags::REVISED;
            }
            let note_col = columns.iter().position(|c| *c == Column::Notes(vc.measure));
            let mut notes = vec![note_col.map(get).unwrap_or("")];
            let qualifier;
            if let Some(q) = &label.qualifier {
                qualifier = format!("row qualifier: {q}");
                notes.push(&qualifier);
            }
            let footnote;
            if let Some(f) = &label.footnote {
                footnote = format!("footnote {f} in the source");
                notes.push(&footnote);
            }
            let product;
            if !vc.product.is_empty() {
                product = format!("column product: {}", vc.product);
                notes.push(&product);
            }
            if let Some(r) = revision {
                notes.push(r);
            }
            let mut basis = series.basis.clone();
            if !vc.product.is_empty() && vc.measure != Measure::Production {
                basis = format!("{basis} ({})", vc.product);
            }
            out.push(Record {
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
                year: vc.year.unwrap_or(latest_year),
                value: cell.value,
                unit: vc.unit,
                basis,
                flags,
                original: text.to_string(),
                field: header[*col].trim_start_matches('\u{feff}').to_string(),
                row: line,
                note: join_notes(notes),
                table: String::new(),
            });
        }
    }
    Ok((out, report))
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
