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

/// The rows of a CSV file with their line numbers (header = line 1).
fn rows<T: serde::de::DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
) -> Result<Vec<(u64, T)>, SourceError> {
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
    fn a_bad_unit_is_refused_at_its_line() {
        let bad = PURCHASES.replace("3145,tU", "3145,tonnes");
        let e = read_purchases(Path::new("p.csv"), bad.as_bytes(), "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("p.csv:5:6"), "{e}");
    }
}
