//! Why this file exists: some figures no bulk release carries — uranium conversion and
//! enrichment capacity by country, where utilities' natural uranium comes from — are gathered by
//! hand from cited public documents into the project's own normalised files
//! (`data/sources/facts/*.csv`), every row with its publisher, address and publication date.
//! This reader turns them into observations and into flows of processed forms, checking each row
//! as strictly as a published table.
//!
//! Rows that name several countries at once (Urenco's plants in four countries, "others") are
//! kept as aggregate rows under their printed label: their share is not assigned to any country.

use std::path::Path;

use serde::Deserialize;

use lodestone_model::{
    CountryRegistry, Flags, FormFlow, Measure, Nomenclature, Provenance, Scope, SourceFile, Stage,
    Unit,
};

use crate::error::SourceError;
use crate::record::Record;

/// One row of an observation facts file.
#[derive(Debug, Deserialize)]
struct FactRow {
    commodity: String,
    stage: String,
    measure: String,
    country: String,
    label: String,
    year: u16,
    value: Option<f64>,
    unit: String,
    basis: String,
    flags: String,
    source: String,
    address: String,
    published: String,
    note: String,
}

/// A figure with the document it comes from (each row cites its own).
pub struct Fact {
    pub source: SourceFile,
    pub record: Record,
}

/// The source family name every cited fact is filed under.
pub const FAMILY: &str = "Cited facts";
/// Their edition: each row names its own document (publisher, date, address) in its note and file.
pub const EDITION: &str = "hand-gathered";

/// Reads an observation facts file (`commodity,stage,measure,country,label,year,value,unit,
/// basis,flags,source,address,published,note`).
pub fn read_observations(
    path: &Path,
    bytes: &[u8],
    countries: &CountryRegistry,
) -> Result<Vec<Fact>, SourceError> {
    let mut out = Vec::new();
    for (line, r) in rows::<FactRow>(path, bytes)? {
        let at = |col: u64, expected: &str, found: &str| {
            SourceError::parse(path, line, col, expected, found)
        };
        let stage: Stage = r.stage.parse().map_err(|_| at(2, "a stage", &r.stage))?;
        let measure = match r.measure.as_str() {
            "production" => Measure::Production,
            "capacity" => Measure::Capacity,
            "reserves" => Measure::Reserves,
            m => return Err(at(3, "production, capacity or reserves", m)),
        };
        // "tU" is tonnes with the uranium-content basis the row states.
        let unit: Unit = match r.unit.as_str() {
            "tU" => Unit::Tonne,
            u => u
                .parse()
                .map_err(|_| at(8, "a unit (t, tU, kg, tSWU)", u))?,
        };
        let (scope, country) = match r.country.as_str() {
            "WLD" => (Scope::World, "WLD".to_string()),
            c if c.contains(';') || c == "OTH" => (Scope::Other, String::new()),
            c => match countries.by_iso3(c) {
                Some(k) => (Scope::Country, k.iso3.clone()),
                None => return Err(at(4, "an ISO3 code, WLD, OTH or ISO3;ISO3", c)),
            },
        };
        let Some(value) = r.value.filter(|v| v.is_finite() && *v >= 0.0) else {
            return Err(at(7, "a non-negative number", "an empty or negative value"));
        };
        let flags = if r.flags.contains("estimated") || r.flags.contains("assumed") {
            Flags::ESTIMATED
        } else {
            Flags::default()
        };
        out.push(Fact {
            source: SourceFile {
                source: FAMILY.to_string(),
                edition: EDITION.to_string(),
                file: r.address.clone(),
            },
            record: Record {
                commodity: r.commodity,
                stage,
                measure,
                scope,
                country,
                label: r.label,
                year: r.year,
                value: Some(value),
                unit,
                basis: r.basis,
                flags,
                original: format!("{value} {}", r.unit),
                field: format!(
                    "{}:{line}",
                    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
                ),
                row: u32::try_from(line).unwrap_or(u32::MAX),
                note: format!(
                    "{} (published: {}); {}{}",
                    r.source,
                    r.published,
                    if r.flags.is_empty() {
                        String::new()
                    } else {
                        format!("{}; ", r.flags)
                    },
                    r.note
                ),
                table: String::new(),
            },
        });
    }
    Ok(out)
}

/// One row of a purchases facts file.
#[derive(Debug, Deserialize)]
struct PurchaseRow {
    year: u16,
    buyer: String,
    origin: String,
    origin_label: String,
    value: Option<f64>,
    unit: String,
    share: Option<f64>,
    source: String,
    address: String,
    published: String,
}

/// Tonnes of uranium in one pound of U3O8: 0.45359237 kg × 0.848 (the mass fraction of U in
/// U3O8, 3 × 238.03 / 842.08; World Nuclear Association, "Uranium Mining Overview"; NEA/IAEA Red
/// Book conversion 1 lb U3O8 = 0.3846 kg U).
pub const T_U_PER_LB_U3O8: f64 = 0.453_592_37 * 0.848 / 1000.0;

/// The code utilities' purchases of natural uranium are filed under (nomenclature "purchases").
pub const NATURAL_URANIUM: u32 = 1;

/// Reads a purchases facts file into flows origin → buyer of natural uranium, in tU: a row with
/// tonnes is used as printed; a row with only a share is the share of the buyer's total that
/// year (the `WLD` row). Rows for the buyer's own country (domestic supply, not trade), group
/// rows overlapping named countries (`CIS`) and second statements of an origin already read are
/// left out.
pub fn read_purchases(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<Vec<FormFlow>, SourceError> {
    let rows = rows::<PurchaseRow>(path, bytes)?;
    let mut out: Vec<FormFlow> = Vec::new();
    for (line, r) in &rows {
        if matches!(r.origin.as_str(), "WLD" | "CIS") || r.origin == r.buyer {
            continue;
        }
        if out
            .iter()
            .any(|f| f.year == r.year && f.importer == r.buyer && f.exporter == r.origin)
        {
            continue;
        }
        let tonnes = match (r.value, r.share) {
            (Some(v), _) => to_tonnes_u(v, &r.unit).ok_or_else(|| {
                SourceError::parse(path, *line, 6, "lb U3O8e, million lb U3O8e or tU", &r.unit)
            })?,
            (None, Some(s)) => {
                let Some(total) = total_of(&rows, r.year, &r.buyer) else {
                    return Err(SourceError::parse(
                        path,
                        *line,
                        5,
                        "a value, or a WLD total for the year to take the share of",
                        "a share only",
                    ));
                };
                s * total
            }
            (None, None) => {
                return Err(SourceError::parse(
                    path,
                    *line,
                    5,
                    "a value or a share",
                    "neither",
                ))
            }
        };
        out.push(FormFlow {
            year: r.year,
            exporter: r.origin.clone(),
            importer: r.buyer.clone(),
            commodity: "uranium".into(),
            stage: Stage::Mine,
            form: "natural uranium (U3O8 concentrate), by origin of the uranium".into(),
            nomenclature: Nomenclature::Purchases,
            code: NATURAL_URANIUM,
            quantity_t: Some(tonnes),
            value_kusd: None,
            provenance: Provenance::Estimated,
            source: source_id.to_string(),
            file: r.address.clone(),
            field: format!(
                "{}:{line}",
                path.file_name().and_then(|n| n.to_str()).unwrap_or("")
            ),
            note: format!("{} ({}): {}", r.source, r.published, r.origin_label),
        });
    }
    Ok(out)
}

/// The buyer's total in tU for a year: its `WLD` row, else a named row's value over its share.
fn total_of(rows: &[(u64, PurchaseRow)], year: u16, buyer: &str) -> Option<f64> {
    let of_year = || {
        rows.iter()
            .map(|(_, r)| r)
            .filter(|r| r.year == year && r.buyer == buyer)
    };
    if let Some(w) = of_year().find(|r| r.origin == "WLD") {
        return w.value.and_then(|v| to_tonnes_u(v, &w.unit));
    }
    of_year()
        .filter(|r| r.origin != "CIS")
        .find_map(|r| Some(to_tonnes_u(r.value?, &r.unit)? / r.share.filter(|s| *s > 0.0)?))
}

/// A purchase quantity in tonnes of uranium.
fn to_tonnes_u(v: f64, unit: &str) -> Option<f64> {
    match unit {
        "tU" => Some(v),
        "lb U3O8e" => Some(v * T_U_PER_LB_U3O8),
        "thousand lb U3O8e" => Some(v * 1e3 * T_U_PER_LB_U3O8),
        "million lb U3O8e" => Some(v * 1e6 * T_U_PER_LB_U3O8),
        _ => None,
    }
}

/// One row of an exports facts file (China's customs as quoted by the trade press).
#[derive(Debug, Deserialize)]
struct ExportRow {
    year: u16,
    commodity: String,
    flow: String,
    reporter: String,
    partner: String,
    value: Option<f64>,
    unit: String,
    source: String,
    address: String,
    published: String,
    note: String,
}

/// The China tariff line (CN8) each commodity's exports are filed under.
fn cn8_of(commodity: &str) -> Option<u32> {
    match commodity {
        "germanium" => Some(81129220),
        "gallium" => Some(81129210),
        _ => None,
    }
}

/// The period a row covers, from its note ("period=2025-H1; …"): a whole year or a half.
fn period_of(note: &str) -> Option<&str> {
    let rest = note.strip_prefix("period=")?;
    if rest.contains("year-to-date") || rest.contains("..") {
        return None;
    }
    let p = rest.split([';', ' ', '.']).next()?;
    let whole = p.len() == 4;
    let half = p.len() == 7 && (p.ends_with("-H1") || p.ends_with("-H2"));
    (whole || half).then_some(p)
}

/// Reads an exports facts file into flows reporter → partner, in tonnes, for the periods the
/// file splits by partner: per commodity and year, the whole-year or half-year period with the
/// most partner rows (monthly and year-to-date figures are left out, so no period is counted
/// twice); the reporter's total for that period (partner `WLD`), less the named partners, goes
/// to "other or undisclosed" (`OTH`). Rows with a zero quantity are not flows.
pub fn read_exports(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<Vec<FormFlow>, SourceError> {
    let rows = rows::<ExportRow>(path, bytes)?;
    let usable: Vec<&(u64, ExportRow)> = rows
        .iter()
        .filter(|(_, r)| r.flow == "export" && r.value.is_some() && cn8_of(&r.commodity).is_some())
        .filter(|(_, r)| period_of(&r.note).is_some())
        .collect();
    // Per (commodity, year): the period with the most partner rows.
    let mut chosen: std::collections::BTreeMap<(&str, u16), (&str, usize)> = Default::default();
    for (_, r) in &usable {
        let period = period_of(&r.note).unwrap_or_default();
        let n = usable
            .iter()
            .filter(|(_, x)| x.commodity == r.commodity && x.year == r.year && x.partner != "WLD")
            .filter(|(_, x)| x.value.is_some_and(|v| v > 0.0))
            .filter(|(_, x)| period_of(&x.note) == Some(period))
            .count();
        let e = chosen
            .entry((r.commodity.as_str(), r.year))
            .or_insert((period, n));
        if n > e.1 {
            *e = (period, n);
        }
    }
    let mut out = Vec::new();
    for ((commodity, year), (period, n)) in chosen {
        if n == 0 {
            continue;
        }
        let of_period: Vec<&&(u64, ExportRow)> = usable
            .iter()
            .filter(|(_, r)| r.commodity == commodity && r.year == year)
            .filter(|(_, r)| period_of(&r.note) == Some(period))
            .collect();
        let mut named = 0.0;
        let mut total = None;
        for (line, r) in of_period.iter().map(|x| (&x.0, &x.1)) {
            let t = match r.unit.as_str() {
                "kg" => r.value.unwrap_or(0.0) / 1000.0,
                "t" => r.value.unwrap_or(0.0),
                u => return Err(SourceError::parse(path, *line, 10, "kg or t", u)),
            };
            if r.partner == "WLD" {
                total = Some((t, *line, r));
                continue;
            }
            named += t;
            if t > 0.0 {
                out.push(export_flow(
                    r, &r.partner, t, period, *line, path, source_id,
                ));
            }
        }
        if let Some((t, line, r)) = total {
            if t - named > 1e-9 {
                out.push(export_flow(
                    r,
                    "OTH",
                    t - named,
                    period,
                    line,
                    path,
                    source_id,
                ));
            }
        }
    }
    Ok(out)
}

/// One exporter-reported flow of a facts row.
fn export_flow(
    r: &ExportRow,
    partner: &str,
    tonnes: f64,
    period: &str,
    line: u64,
    path: &Path,
    source_id: &str,
) -> FormFlow {
    FormFlow {
        year: r.year,
        exporter: r.reporter.clone(),
        importer: partner.to_string(),
        commodity: r.commodity.clone(),
        stage: Stage::Refinery,
        form: format!("unwrought and wrought {}", r.commodity),
        nomenclature: Nomenclature::Cn8,
        code: cn8_of(&r.commodity).unwrap_or_default(),
        // Kilogram precision: differences of printed figures carry float noise below it.
        quantity_t: Some((tonnes * 1e3).round() / 1e3),
        value_kusd: None,
        provenance: Provenance::ReportedByExporter,
        source: source_id.to_string(),
        file: r.address.clone(),
        field: format!(
            "{}:{line}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("")
        ),
        note: format!(
            "period {period}{}; {} ({})",
            if partner == "OTH" {
                ", the total less the named partners"
            } else {
                ""
            },
            r.source,
            r.published
        ),
    }
}

/// The rows of a CSV file with their line numbers (header = line 1).
fn rows<T: serde::de::DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
) -> Result<Vec<(u64, T)>, SourceError> {
    SourceError::check_quotes(path, bytes)?;
    let mut rdr = csv::Reader::from_reader(bytes);
    let mut out = Vec::new();
    for rec in rdr.deserialize::<T>() {
        match rec {
            Ok(r) => out.push((out.len() as u64 + 2, r)),
            Err(e) => {
                let (line, col) = e.position().map_or((0, 0), |p| (p.line(), 1));
                return Err(SourceError::parse(
                    path,
                    line,
                    col,
                    "a row of the facts layout",
                    e.to_string(),
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PURCHASES: &str = "year,buyer,buyer_label,origin,origin_label,value,unit,share,basis,source,address,published,note
2023,USA,US utilities,WLD,Total,51.6,million lb U3O8e,,natural uranium,EIA UMAR,https://eia.gov/uranium/marketing,2024-06-06,
2023,USA,US utilities,KAZ,Kazakhstan,,,0.22,natural uranium,EIA UMAR,https://eia.gov/uranium/marketing,2024-06-06,
2023,USA,US utilities,USA,United States,,,0.05,natural uranium,EIA UMAR,https://eia.gov/uranium/marketing,2024-06-06,
2022,EU27,EU utilities,KAZ,Kazakhstan,3145,tU,0.268,natural uranium,ESA,https://example.org,2023-10-13,
2022,EU27,EU utilities,OTH,Others,,,0.0223,natural uranium,ESA,https://example.org,2023-10-13,
2022,EU27,EU utilities,CIS,CIS,5565,tU,0.47,natural uranium,ESA,https://example.org,2023-10-13,
";

    #[test]
    fn purchases_become_flows_in_tonnes_of_uranium() {
        let f = read_purchases(Path::new("p.csv"), PURCHASES.as_bytes(), "purchases").unwrap();
        // The WLD total, the domestic row and the overlapping CIS group are not flows.
        assert_eq!(f.len(), 3);
        let kaz = &f[0];
        // 22 % of 51.6 Mlb U3O8e = 11.352 Mlb × 0.3846 kg U/lb ≈ 4,366 tU.
        let t = kaz.quantity_t.unwrap();
        assert!(
            (t - 0.22 * 51.6e6 * 0.453_592_37 * 0.848 / 1000.0).abs() < 1e-6,
            "{t}"
        );
        assert!((4360.0..4370.0).contains(&t), "{t}");
        assert_eq!(kaz.provenance, Provenance::Estimated);
        // A share-only EU row is taken of the total implied by a named row (3145 / 0.268).
        let oth = f.iter().find(|x| x.exporter == "OTH").unwrap();
        assert!((oth.quantity_t.unwrap() - 0.0223 * 3145.0 / 0.268).abs() < 1e-6);
    }

    #[test]
    fn exports_use_one_period_per_year_with_the_rest_as_other() {
        let csv = "year,commodity,flow,reporter,partner,partner_label,form,code,value,unit,share,source,address,published,note
2025,germanium,export,CHN,WLD,World,germanium,,5068,kg,,S,https://x,2025-07-29,period=2025-H1.
2025,germanium,export,CHN,BEL,Belgium,germanium,,1950,kg,,S,https://x,2025-07-29,period=2025-H1; top.
2025,germanium,export,CHN,JPN,Japan,germanium,,1000,kg,,S,https://x,2025-07-29,period=2025-H1; top.
2025,germanium,export,CHN,DEU,Germany,germanium,,74,kg,,S,https://x,2025-07-29,period=2025-06.
2025,germanium,export,CHN,RUS,Russia,germanium,,900,kg,,S,https://x,2025-07-29,period=2025 year-to-date.
2025,germanium,export,CHN,WLD,World,germanium,,96,kg,,S,https://x,2025-07-29,period=2025-06.
";
        let f = read_exports(Path::new("e.csv"), csv.as_bytes(), "ex").unwrap();
        // The monthly rows (June) are left out; the half-year's rest goes to OTH.
        assert_eq!(f.len(), 3);
        assert!(f
            .iter()
            .all(|x| x.provenance == Provenance::ReportedByExporter));
        let oth = f.iter().find(|x| x.importer == "OTH").unwrap();
        assert!((oth.quantity_t.unwrap() - (5.068 - 1.95 - 1.0)).abs() < 1e-9);
        assert_eq!(f.iter().filter(|x| x.importer == "DEU").count(), 0);
    }

    #[test]
    fn a_bad_unit_is_refused_at_its_line() {
        let bad = PURCHASES.replace("3145,tU", "3145,tonnes");
        let e = read_purchases(Path::new("p.csv"), bad.as_bytes(), "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("p.csv:5:6"), "{e}");
    }

    /// Issue #14: a facts file cut inside a quoted field, or with text after a closing quote,
    /// read without a word.
    #[test]
    fn quote_problems_are_refused_at_their_line_and_column() {
        let read = |text: &str| {
            read_purchases(Path::new("p.csv"), text.as_bytes(), "x")
                .unwrap_err()
                .to_string()
        };
        let e = read(&PURCHASES.replacen("US utilities", "\"US utilities\"x", 1));
        assert_eq!(
            e,
            "p.csv:2:24: expected a comma or a line end after the closing quote, found 'x'"
        );
        let quoted = PURCHASES.replacen("https://example.org", "\"https://example.org\"", 1);
        let e = read(&quoted[..quoted.find("example.org").unwrap()]);
        assert!(
            e.starts_with("p.csv:5:73: expected a closing quote before the end of the file"),
            "{e}"
        );
        // Well quoted, the same flows as unquoted.
        let ok = read_purchases(Path::new("p.csv"), quoted.as_bytes(), "x").unwrap();
        assert_eq!(ok.len(), 3);
    }
}
