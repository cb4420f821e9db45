//! Why this file exists: the workbook a ministry or a procurement team files: one sheet per
//! table, then "sources" (where every figure comes from) and "notes" (the method and the data's
//! coverage). Numbers stay numbers; the file is the same bytes for the same result (its creation
//! date is fixed).

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::flatten::Tables;
use crate::table::Values;

/// Excel's limit on the characters of one cell.
const CELL_CHARS: usize = 32_767;
/// Excel's limit on the rows of one sheet (the header takes one).
const SHEET_ROWS: usize = 1_048_575;

/// The workbook's bytes.
pub fn workbook(tables: &Tables) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("lodestone {}", tables.kind))
            .set_creation_datetime(&date),
    );
    let bold = Format::new().set_bold();
    let mut used: Vec<String> = Vec::new();
    for t in &tables.tables {
        let name = sheet_name(&t.name, &used);
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        used.push(name);
        for (c, col) in t.columns.iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, &col.name, &bold)?;
            let rows = col.values.len().min(SHEET_ROWS);
            for r in 0..rows {
                let at = (r + 1) as u32;
                match &col.values {
                    Values::Text(v) => {
                        if let Some(s) = &v[r] {
                            ws.write_string(at, c, clip(s))?;
                        }
                    }
                    Values::Int(v) => {
                        if let Some(i) = v[r] {
                            ws.write_number(at, c, i as f64)?;
                        }
                    }
                    Values::Float(v) => {
                        if let Some(f) = v[r].filter(|f| f.is_finite()) {
                            ws.write_number(at, c, f)?;
                        }
                    }
                    Values::Bool(v) => {
                        if let Some(b) = v[r] {
                            ws.write_boolean(at, c, b)?;
                        }
                    }
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofit();
    }
    // What Excel could not hold is said where the reader looks for caveats, never dropped
    // silently (Parquet holds it all).
    let cut = truncations(tables);
    if let (Some(notes), false) = (tables.get("notes"), cut.is_empty()) {
        let name = notes.name.clone();
        let ws = wb.worksheet_from_name(&name)?;
        for (i, text) in cut.iter().enumerate() {
            let at = (notes.rows() + 1 + i) as u32;
            ws.write_string(at, 0, "truncated in this workbook")?;
            ws.write_string(at, 1, text)?;
        }
    }
    wb.save_to_buffer()
}

/// Rows beyond a sheet's limit and cells beyond a cell's, one line per table and column.
fn truncations(tables: &Tables) -> Vec<String> {
    let mut out = Vec::new();
    for t in &tables.tables {
        if t.rows() > SHEET_ROWS {
            out.push(format!(
                "sheet {}: {} of {} rows (Excel's limit); --format parquet keeps them all",
                t.name,
                SHEET_ROWS,
                t.rows()
            ));
        }
        for c in &t.columns {
            if let Values::Text(v) = &c.values {
                let long = v
                    .iter()
                    .flatten()
                    .filter(|s| s.chars().count() > CELL_CHARS)
                    .count();
                if long > 0 {
                    out.push(format!(
                        "sheet {}, column {}: {long} cells cut at {CELL_CHARS} characters \
                         (Excel's limit); --format parquet keeps them whole",
                        t.name, c.name
                    ));
                }
            }
        }
    }
    out
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(name: &str, used: &[String]) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let mut n = clean.clone();
    let mut i = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&n)) {
        let tail = format!(" {i}");
        n = format!(
            "{}{tail}",
            clean.chars().take(31 - tail.len()).collect::<String>()
        );
        i += 1;
    }
    n
}

fn clip(s: &str) -> &str {
    match s.char_indices().nth(CELL_CHARS) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}
