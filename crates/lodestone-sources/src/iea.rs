//! Why this file exists: most official series stop at the mine; the IEA's Critical Minerals Data
//! Explorer gives mining *and refining* output by country for copper, cobalt, lithium, nickel,
//! graphite and the magnet rare earths — the processing stage where China's share is largest.
//! This reader turns the explorer's "Total supply for key minerals" extract
//! (`supply[mineral].mining|refining.countries[country][year]`, kt) into records for the base
//! year (2024). The 2030–2040 columns are the IEA's "base case" projection, not observations,
//! and are left out here.
//!
//! Units and bases, as the IEA documents them (Data Explorer notes, quoted in Our World in Data's
//! metadata for the same dataset) or as their magnitudes against USGS MCS show: lithium is Li
//! content (not LCE); rare earths are the magnet rare earths only (Nd, Pr, Dy, Tb); graphite
//! mining is natural graphite and refining is battery-grade graphite; copper, cobalt and nickel
//! are metal content. Each record's note says which.
//!
//! The extract's "Rest of world" row for nickel and graphite also contains the last country
//! listed (the named countries and the residual add up to more than the IEA's total by exactly
//! that country's value); the reader detects this and subtracts it from the residual, saying so.

use serde_json::Value;

use lodestone_model::{CountryRegistry, Flags, Measure, Scope, Stage, Unit};

use crate::error::SourceError;
use crate::label::parse_label;
use crate::record::{ReadReport, Record};

/// The base year the reader keeps (the later columns are projections).
pub const BASE_YEAR: &str = "2024";

/// A mineral of the extract: its commodity id and the basis at each stage.
struct Mineral {
    name: &'static str,
    commodity: &'static str,
    mining: &'static str,
    refining: &'static str,
}

const MINERALS: [Mineral; 6] = [
    Mineral {
        name: "Copper",
        commodity: "copper",
        mining: "Cu content",
        refining: "Cu metal (refined)",
    },
    Mineral {
        name: "Cobalt",
        commodity: "cobalt",
        mining: "Co content",
        refining: "Co content (refined)",
    },
    Mineral {
        name: "Lithium",
        commodity: "lithium",
        mining: "Li content",
        refining: "Li content (refined chemicals)",
    },
    Mineral {
        name: "Nickel",
        commodity: "nickel",
        mining: "Ni content",
        refining: "Ni content (refined, class 1 and 2)",
    },
    Mineral {
        name: "Graphite",
        commodity: "graphite",
        mining: "natural graphite (gross weight)",
        refining: "battery-grade graphite",
    },
    Mineral {
        name: "Rare Earth Elements",
        commodity: "rare-earths",
        mining: "magnet REE (Nd, Pr, Dy, Tb)",
        refining: "magnet REE (Nd, Pr, Dy, Tb)",
    },
];

const NOTE: &str = "IEA Critical Minerals Data Explorer (Global Critical Minerals Outlook 2025), sheet \"2 Total supply for key minerals\", base year 2024, kt converted to t";

/// One stage's table: the named countries' values, the residual and the IEA's total (kt).
struct StageTable<'a> {
    named: Vec<(&'a str, f64)>,
    rest: Option<f64>,
    total: Option<f64>,
}

/// Reads the explorer extract (JSON) into records for the base year.
pub fn read_supply(
    file: &str,
    bytes: &[u8],
    countries: &CountryRegistry,
) -> Result<(Vec<Record>, ReadReport), SourceError> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        SourceError::parse(
            file,
            e.line() as u64,
            e.column() as u64,
            "the IEA extract's JSON",
            e.to_string(),
        )
    })?;
    let supply = doc
        .get("supply")
        .ok_or_else(|| SourceError::parse(file, 0, 0, "a \"supply\" object", "none"))?;
    let mut records = Vec::new();
    let mut report = ReadReport::default();
    for m in &MINERALS {
        for (stage_key, stage, basis) in [
            ("mining", Stage::Mine, m.mining),
            ("refining", Stage::Refinery, m.refining),
        ] {
            let path = format!("supply.{}.{stage_key}", m.name);
            let Some(node) = supply.get(m.name).and_then(|x| x.get(stage_key)) else {
                report.skipped.push((0, format!("{path}: absent")));
                continue;
            };
            let table = gather(node);
            let adjusted = residual_double_count(&table);
            let ctx = Ctx {
                path: &path,
                commodity: m.commodity,
                stage,
                basis,
            };
            records.extend(ctx.records(&table, adjusted, countries, &mut report));
        }
    }
    Ok((records, report))
}

/// The base-year values of one stage's table.
fn gather(node: &Value) -> StageTable<'_> {
    let at = |v: &Value| v.get(BASE_YEAR).and_then(Value::as_f64);
    let mut named = Vec::new();
    let mut rest = None;
    if let Some(map) = node.get("countries").and_then(Value::as_object) {
        for (name, years) in map {
            match (name.as_str(), at(years)) {
                ("Rest of world", v) => rest = v,
                (_, Some(v)) => named.push((name.as_str(), v)),
                // Note rows leaked into the extract carry no values.
                (_, None) => {}
            }
        }
    }
    StageTable {
        named,
        rest,
        total: node.get("total").and_then(at),
    }
}

/// The named country also counted inside "Rest of world", when the named countries and the
/// residual exceed the IEA's total by exactly one country's value (to 0.05 kt).
fn residual_double_count<'a>(t: &StageTable<'a>) -> Option<(&'a str, f64)> {
    let (rest, total) = (t.rest?, t.total?);
    let excess = t.named.iter().map(|(_, v)| v).sum::<f64>() + rest - total;
    if excess.abs() < 0.05 {
        return None;
    }
    t.named
        .iter()
        .find(|(_, v)| (v - excess).abs() < 0.05)
        .map(|&(n, v)| (n, v))
}

/// Where the records of one stage come from.
struct Ctx<'a> {
    path: &'a str,
    commodity: &'static str,
    stage: Stage,
    basis: &'static str,
}

impl Ctx<'_> {
    /// The stage's records: each named country, the residual and the world total.
    fn records(
        &self,
        t: &StageTable<'_>,
        adjusted: Option<(&str, f64)>,
        countries: &CountryRegistry,
        report: &mut ReadReport,
    ) -> Vec<Record> {
        let mut out = Vec::new();
        for (name, v) in &t.named {
            let label = parse_label(name, countries);
            if label.scope != Scope::Country {
                report.unresolved_labels.push((name.to_string(), 0));
            }
            out.push(self.record(label.scope, &label.iso3, name, *v, String::new()));
        }
        if let Some(rest) = t.rest {
            let (value, note) = match adjusted {
                Some((name, v)) => (
                    rest - v,
                    format!("the extract's \"Rest of world\" ({rest} kt) also counts {name} ({v} kt), listed above; subtracted so that the rows add up to the IEA's total"),
                ),
                None => (rest, String::new()),
            };
            out.push(self.record(Scope::Other, "", "Rest of world", value, note));
        }
        if let Some(total) = t.total {
            out.push(self.record(Scope::World, "", "Total", total, String::new()));
        }
        out
    }

    /// One figure (kt in the file) as a record in tonnes.
    fn record(&self, scope: Scope, iso3: &str, label: &str, kt: f64, extra: String) -> Record {
        let field = format!("{}.countries.{label}.{BASE_YEAR}", self.path);
        let field = if scope == Scope::World {
            format!("{}.total.{BASE_YEAR}", self.path)
        } else {
            field
        };
        Record {
            commodity: self.commodity.into(),
            stage: self.stage,
            measure: Measure::Production,
            scope,
            country: iso3.into(),
            label: label.into(),
            year: BASE_YEAR.parse().unwrap_or(2024),
            value: Some((kt * 1000.0 * 1e6).round() / 1e6),
            unit: Unit::Tonne,
            basis: self.basis.into(),
            flags: Flags::ESTIMATED,
            original: format!("{kt} kt"),
            field,
            // JSON has no rows: the field path locates the figure.
            row: 0,
            note: if extra.is_empty() {
                NOTE.into()
            } else {
                format!("{NOTE}; {extra}")
            },
            table: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> CountryRegistry {
        let mk = lodestone_model::Country::named;
        CountryRegistry::new(vec![
            mk("CHN", "China"),
            mk("FIN", "Finland"),
            mk("CAN", "Canada"),
        ])
    }

    #[test]
    fn base_year_rows_with_a_double_counted_residual_corrected() {
        let json = br#"{"supply": {"Nickel": {"refining": {
            "countries": {"China": {"2024": 800.0, "2030": 900.0}, "Finland": {"2024": 50.0},
                          "Canada": {"2024": 100.0}, "Rest of world": {"2024": 150.0}},
            "total": {"2024": 1000.0}}}}}"#;
        let (recs, report) = read_supply("iea.json", json, &registry()).unwrap();
        let by = |l: &str| recs.iter().find(|r| r.label == l).unwrap();
        assert_eq!(by("China").value, Some(800_000.0));
        assert_eq!(by("China").country, "CHN");
        assert_eq!(by("China").stage, Stage::Refinery);
        // 800 + 50 + 100 + 150 = 1100 = total + Canada: the residual also counts Canada.
        assert_eq!(by("Rest of world").value, Some(50_000.0));
        assert!(by("Rest of world").note.contains("also counts Canada"));
        assert_eq!(by("Total").scope, Scope::World);
        assert!(recs.iter().all(|r| r.year == 2024));
        assert!(report
            .skipped
            .iter()
            .any(|(_, why)| why.contains("Copper.mining")));
    }

    #[test]
    fn malformed_json_is_located() {
        let e = read_supply("iea.json", b"{\n  \"supply\": [,]\n}", &registry())
            .unwrap_err()
            .to_string();
        assert!(e.contains("iea.json:2:"), "{e}");
    }
}
