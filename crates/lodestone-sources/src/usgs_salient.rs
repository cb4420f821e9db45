//! Why this file exists: the USGS MCS "salient statistics" tables give the US view — production,
//! imports, exports, apparent consumption and net import reliance (NIR) — with one column naming
//! scheme per commodity (`NIR_pct`, `NIR_ct`, `Imports_Concentratet`, `NIR_Concentrate_t`).

use std::path::Path;

use lodestone_model::{CommodityCatalog, Flags};

use crate::cell::parse_cell;
use crate::error::SourceError;
use crate::record::ReadReport;
use crate::series::UsgsRules;
use crate::usgs_world::{csv_rows, file_code, header_row};

/// One salient figure before interning.
#[derive(Debug, Clone, PartialEq)]
pub struct SalientRecord {
    pub commodity: String,
    pub year: u16,
    pub measure: String,
    pub field: String,
    pub unit: String,
    pub value: Option<f64>,
    pub flags: Flags,
    pub original: String,
    pub row: u32,
}

/// The measure a column's first word names.
pub fn salient_measure(field: &str) -> &'static str {
    let first = field.split('_').next().unwrap_or("").to_lowercase();
    match first.as_str() {
        "usprod" | "prod" | "usprodcrude" => "usprod",
        "imports" => "imports",
        "exports" => "exports",
        "consump" => "consumption",
        "nir" => "nir",
        "price" => "price",
        "stocks" => "stocks",
        "employment" => "employment",
        "shipments" => "shipments",
        _ => "other",
    }
}

/// The unit printed at the end of a column name, when it is one of the known tokens.
pub fn salient_unit(field: &str) -> &'static str {
    let last = field.rsplit('_').next().unwrap_or("");
    const UNITS: [&str; 14] = [
        "pct", "t", "kt", "mt", "kg", "dt", "dlb", "dkg", "dtoz", "num", "m", "mcm", "ct", "ton",
    ];
    if let Some(u) = UNITS.iter().find(|u| **u == last) {
        return u;
    }
    // Glued units: "Imports_Concentratet", "NIR_ct" (ct = percent here, the release's spelling).
    if field.starts_with("NIR") {
        return "pct";
    }
    if last.ends_with('t') && last.len() > 1 {
        return "t";
    }
    ""
}

/// Reads one salient CSV.
pub fn read_salient(
    path: &Path,
    file: &str,
    bytes: &[u8],
    catalog: &CommodityCatalog,
    rules: &UsgsRules,
) -> Result<(Vec<SalientRecord>, ReadReport), SourceError> {
    let rows = csv_rows(path, bytes)?;
    let header = header_row(path, &rows)?;
    let pos = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    if pos("Year").is_none() && pos("Country").is_some() && pos("Type").is_some() {
        // The 2024 release's cobalt "salient" file holds a copy of a world table instead.
        let mut report = ReadReport::default();
        report.skipped.push((
            1,
            "file holds a world production table, not salient statistics".into(),
        ));
        return Ok((Vec::new(), report));
    }
    let (Some(c_commodity), Some(c_year)) = (pos("Commodity"), pos("Year")) else {
        return Err(SourceError::parse(
            path,
            1,
            0,
            "columns DataSource, Commodity, Year",
            header.join(","),
        ));
    };
    let code = file_code(file).unwrap_or_default();
    let mut out = Vec::new();
    let mut report = ReadReport::default();
    for (line, row) in rows.iter().skip(1) {
        let line = *line as u32;
        if row.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |i: usize| row.get(i).map(String::as_str).unwrap_or("").trim();
        let Ok(year) = get(c_year).parse::<u16>() else {
            report
                .skipped
                .push((line, format!("no year in column Year: {:?}", get(c_year))));
            continue;
        };
        let name = get(c_commodity);
        let commodity = catalog
            .resolve(name)
            .map(|c| c.id.clone())
            .or_else(|| rules.find(&code, name).map(|s| s.commodity.clone()))
            .or_else(|| rules.find(&code, "*").map(|s| s.commodity.clone()));
        let Some(commodity) = commodity else {
            report.skipped.push((
                line,
                format!("commodity {name:?} (code {code}) not in the catalogue"),
            ));
            continue;
        };
        for (col, field) in header.iter().enumerate() {
            if col == c_commodity || col == c_year || col == 0 || field.trim().is_empty() {
                continue;
            }
            let text = get(col);
            if text.is_empty() {
                continue;
            }
            let cell = parse_cell(text).map_err(|_| {
                SourceError::parse(
                    path,
                    line as u64,
                    col as u64 + 1,
                    "a number, W, NA, E, >N or <N",
                    text,
                )
            })?;
            out.push(SalientRecord {
                commodity: commodity.clone(),
                year,
                measure: salient_measure(field).to_string(),
                field: field.trim().to_string(),
                unit: salient_unit(field.trim()).to_string(),
                value: cell.value,
                flags: cell.flags,
                original: text.to_string(),
                row: line,
            });
        }
    }
    Ok((out, report))
}

/// One row of the "Net import reliance" figure data (MCS industry trends, figure 2).
#[derive(Debug, Clone, PartialEq)]
pub struct RelianceRecord {
    pub commodity: String,
    pub label: String,
    pub year: u16,
    pub value: Option<f64>,
    pub flags: Flags,
    pub original: String,
    pub sources: Vec<String>,
    pub sources_period: String,
    pub row: u32,
}

/// Resolves a USGS figure label ("COPPER, refined", "GRAPHITE (NATURAL)", "MICA (NATURAL), sheet").
pub fn resolve_label(label: &str, catalog: &CommodityCatalog) -> Option<String> {
    let l = label.trim();
    let specials = [
        ("mica (natural), sheet", "mica-sheet"),
        ("mica (natural), scrap and flake", "mica-scrap-flake"),
        ("diamond (industrial)", "diamond-industrial"),
        ("magnesium compounds", "magnesite"),
        ("magnesium metal", "magnesium"),
        ("titanium, sponge", "titanium"),
        ("titanium mineral concentrates", "titanium"),
        ("abrasives, fused aluminum oxide", "abrasives-fused-alumina"),
        ("abrasives, silicon carbide", "abrasives-silicon-carbide"),
        ("iron and steel", "raw-steel"),
        ("gemstones", "diamond-gem"),
        ("iron ore", "iron-ore"),
        ("nitrogen (fixed)", "nitrogen"),
        ("stone (dimension)", "dimension-stone"),
    ];
    let lower = l.to_lowercase();
    if let Some((_, id)) = specials.iter().find(|(k, _)| lower.starts_with(k)) {
        return Some(id.to_string());
    }
    for cand in [
        l,
        l.split(',').next().unwrap_or(l),
        l.split(" (").next().unwrap_or(l),
        l.split([',', '(']).next().unwrap_or(l),
    ] {
        if let Some(c) = catalog.resolve(cand.trim()) {
            return Some(c.id.clone());
        }
    }
    None
}

/// Reads the NIR figure table: `Source, Import_Share_Order|Import_Share_Rank, Commodity,
/// Net_Import_Reliance_pct_<year>, Major_Import_Sources_<y1>_<y2>[, Notes]`.
pub fn read_reliance(
    path: &Path,
    bytes: &[u8],
    catalog: &CommodityCatalog,
    countries: &lodestone_model::CountryRegistry,
) -> Result<(Vec<RelianceRecord>, ReadReport), SourceError> {
    let rows = csv_rows(path, bytes)?;
    let header = header_row(path, &rows)?;
    let find = |prefix: &str| header.iter().position(|h| h.trim().starts_with(prefix));
    let (Some(c_com), Some(c_nir), Some(c_src)) = (
        find("Commodity"),
        find("Net_Import_Reliance_pct_"),
        find("Major_Import_Sources_"),
    ) else {
        return Err(SourceError::parse(
            path,
            1,
            0,
            "columns Commodity, Net_Import_Reliance_pct_<year>, Major_Import_Sources_<years>",
            header.join(","),
        ));
    };
    let year: u16 = header[c_nir]
        .trim()
        .rsplit('_')
        .next()
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| {
            SourceError::parse(
                path,
                1,
                c_nir as u64 + 1,
                "a year at the end",
                header[c_nir].as_str(),
            )
        })?;
    let period = header[c_src]
        .trim()
        .trim_start_matches("Major_Import_Sources_")
        .replace('_', "–");
    let mut out = Vec::new();
    let mut report = ReadReport::default();
    for (line, row) in rows.iter().skip(1) {
        let line = *line as u32;
        let get = |i: usize| row.get(i).map(String::as_str).unwrap_or("").trim();
        if get(c_com).is_empty() {
            continue;
        }
        let label = get(c_com).to_string();
        let text = get(c_nir);
        let cell = parse_cell(text).map_err(|_| {
            SourceError::parse(
                path,
                line as u64,
                c_nir as u64 + 1,
                "a percentage, >N, <N or E",
                text,
            )
        })?;
        let commodity = resolve_label(&label, catalog);
        if commodity.is_none() {
            report
                .skipped
                .push((line, format!("kept without a commodity id: {label}")));
        }
        let sources = get(c_src)
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                countries
                    .resolve(s)
                    .map(|c| c.iso3.clone())
                    .unwrap_or_else(|| s.to_string())
            })
            .collect();
        out.push(RelianceRecord {
            commodity: commodity.unwrap_or_default(),
            label,
            year,
            value: cell.value,
            flags: cell.flags,
            original: text.to_string(),
            sources,
            sources_period: period.clone(),
            row: line,
        });
    }
    Ok((out, report))
}
