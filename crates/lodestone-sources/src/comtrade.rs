//! Why this file exists: UN Comtrade exports (bulk download or API v1 CSV) are what each country
//! reports itself, so an import reported by A from B and the export B reports to A are two
//! different figures — kept apart here, paired as mirror flows, never merged silently. Real
//! extracts also come with shifted headers (a column name missing at the front), which is
//! detected from the content, not guessed.

use std::path::Path;

use crate::error::SourceError;
use crate::record::ReadReport;
use crate::usgs_world::{csv_rows, header_row};

/// The direction of a reported flow, from the reporter's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlowKind {
    Import,
    Export,
    ReImport,
    ReExport,
}

/// One flow as a reporter declared it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedFlow {
    pub year: u16,
    pub reporter: u16,
    pub reporter_iso3: String,
    pub partner: u16,
    pub kind: FlowKind,
    /// HS code as printed (the classification says which HS edition).
    pub hs: String,
    pub classification: String,
    /// Net weight, kg.
    pub net_weight_kg: Option<f64>,
    /// Value as reported (CIF for imports, FOB for exports), US dollars.
    pub primary_value_usd: f64,
    pub row: u32,
}

fn kind_of(code: &str) -> Option<FlowKind> {
    match code.trim() {
        "M" => Some(FlowKind::Import),
        "X" => Some(FlowKind::Export),
        "RM" => Some(FlowKind::ReImport),
        "RX" => Some(FlowKind::ReExport),
        _ => None,
    }
}

fn opt_num(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        t.parse().ok().filter(|v: &f64| v.is_finite())
    }
}

/// Reads a Comtrade CSV. Reporter and partner columns are found by name (`reporterCode`, or
/// `CountryCode` in some extracts); a header shifted by one against its values is detected by
/// checking where the flow code (M/X) and the year actually are.
pub fn read_comtrade(
    path: &Path,
    bytes: &[u8],
) -> Result<(Vec<ReportedFlow>, ReadReport), SourceError> {
    let rows = csv_rows(path, bytes)?;
    let header = header_row(path, &rows)?;
    let pos = |names: &[&str]| header.iter().position(|h| names.contains(&h.trim()));
    let need = |names: &[&str]| {
        pos(names).ok_or_else(|| {
            SourceError::parse(
                path,
                1,
                0,
                format!("a column {}", names.join(" or ")),
                header.join(","),
            )
        })
    };
    let c_year = need(&["refYear"])?;
    let c_rep = need(&["reporterCode", "CountryCode"])?;
    let c_flow = need(&["flowCode"])?;
    let c_partner = need(&["partnerCode"])?;
    let c_cmd = need(&["cmdCode"])?;
    let c_value = need(&["primaryValue"])?;
    let c_wgt = pos(&["netWgt"]);
    let c_class = pos(&["classificationCode"]);
    let c_iso = pos(&["reporterISO", "Country"]);
    let mut report = ReadReport::default();
    // Detect a header shifted against its values: the first data row's flow code tells.
    let shift: isize = match rows.get(1) {
        Some((_, r))
            if kind_of(r.get(c_flow).map_or("", |s| s)).is_none()
                && c_flow > 0
                && kind_of(&r[c_flow - 1]).is_some() =>
        {
            report.skipped.push((1, "header is shifted one column against the values (its first name has no column); read with the shift".into()));
            -1
        }
        _ => 0,
    };
    let at = |r: &[String], c: usize| -> String {
        let i = c as isize + shift;
        if i < 0 {
            String::new()
        } else {
            r.get(i as usize).cloned().unwrap_or_default()
        }
    };
    let mut out = Vec::new();
    for (line, r) in rows.iter().skip(1) {
        if r.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let err = |c: usize, what: &str| {
            SourceError::parse(
                path,
                *line,
                (c as isize + shift + 1).max(1) as u64,
                what,
                at(r, c),
            )
        };
        let year: u16 = at(r, c_year)
            .trim()
            .parse()
            .map_err(|_| err(c_year, "a year"))?;
        let reporter: u16 = at(r, c_rep)
            .trim()
            .parse()
            .map_err(|_| err(c_rep, "a numeric reporter code"))?;
        let partner: u16 = at(r, c_partner)
            .trim()
            .parse()
            .map_err(|_| err(c_partner, "a numeric partner code"))?;
        let kind =
            kind_of(&at(r, c_flow)).ok_or_else(|| err(c_flow, "a flow code M, X, RM or RX"))?;
        let hs = at(r, c_cmd).trim().to_string();
        if hs.is_empty() || !hs.chars().all(|c| c.is_ascii_digit()) {
            return Err(err(c_cmd, "an HS code"));
        }
        let value =
            opt_num(&at(r, c_value)).ok_or_else(|| err(c_value, "a value in US dollars"))?;
        if value < 0.0 {
            return Err(err(c_value, "a non-negative value"));
        }
        let net = c_wgt.and_then(|c| opt_num(&at(r, c)));
        if net.is_some_and(|w| w < 0.0) {
            return Err(err(c_wgt.unwrap_or(0), "a non-negative net weight"));
        }
        let iso = c_iso.map(|c| at(r, c)).unwrap_or_default();
        out.push(ReportedFlow {
            year,
            reporter,
            reporter_iso3: if iso.len() == 3 && iso.chars().all(|c| c.is_ascii_uppercase()) {
                iso
            } else {
                String::new()
            },
            partner,
            kind,
            hs,
            classification: c_class.map(|c| at(r, c)).unwrap_or_default(),
            net_weight_kg: net,
            primary_value_usd: value,
            row: *line as u32,
        });
    }
    Ok((out, report))
}

/// An import as the importer reports it, beside the same flow as the exporter reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct MirrorPair {
    pub year: u16,
    pub importer: u16,
    pub exporter: u16,
    pub hs: String,
    pub importer_report: Option<ReportedFlow>,
    pub exporter_report: Option<ReportedFlow>,
}

impl MirrorPair {
    /// (importer's value − exporter's value) / importer's value; CIF vs FOB makes a few percent normal.
    pub fn value_gap(&self) -> Option<f64> {
        let m = self.importer_report.as_ref()?.primary_value_usd;
        let x = self.exporter_report.as_ref()?.primary_value_usd;
        (m > 0.0).then(|| (m - x) / m)
    }
}

/// Pairs every import report with the partner's export report of the same flow (and lists the
/// unpaired ones alone), keeping both figures.
pub fn mirror_pairs(flows: &[ReportedFlow]) -> Vec<MirrorPair> {
    use std::collections::BTreeMap;
    let mut pairs: BTreeMap<(u16, u16, u16, String), MirrorPair> = BTreeMap::new();
    for f in flows {
        let (importer, exporter) = match f.kind {
            FlowKind::Import => (f.reporter, f.partner),
            FlowKind::Export => (f.partner, f.reporter),
            _ => continue,
        };
        let p = pairs
            .entry((f.year, importer, exporter, f.hs.clone()))
            .or_insert_with(|| MirrorPair {
                year: f.year,
                importer,
                exporter,
                hs: f.hs.clone(),
                importer_report: None,
                exporter_report: None,
            });
        match f.kind {
            FlowKind::Import => p.importer_report = Some(f.clone()),
            _ => p.exporter_report = Some(f.clone()),
        }
    }
    pairs.into_values().collect()
}
