//! Why this file exists: `eu-crm-2023.csv` holds the EU 2023 criticality assessment's published
//! values and `eu-crm-2023-t.csv` the export-restriction factors it applied, one per row with
//! its address and locator; read here (curated files, never derived).

use serde::Deserialize;
use std::path::Path;

use lodestone_model::{
    AssessedStage, CommodityCatalog, ModelError, PublishedAssessment, PublishedTradeFactor,
    PublishedValue,
};

use crate::csv::{read_csv, row_line};

/// The file's name in `data/`.
pub const FILE: &str = "eu-crm-2023.csv";

/// The t factors' file in `data/`.
pub const T_FILE: &str = "eu-crm-2023-t.csv";

#[derive(Debug, Deserialize)]
struct TRow {
    material: String,
    commodity: String,
    stage: AssessedStage,
    country: String,
    #[serde(deserialize_with = "crate::csv::finite")]
    t: f64,
    source: String,
    address: String,
    #[allow(
        dead_code,
        reason = "kept in the file for the reader; not needed in the dataset"
    )]
    published: String,
    locator: String,
    #[allow(
        dead_code,
        reason = "kept in the file for the reader; not needed in the dataset"
    )]
    note: String,
}

/// The quantities a row may carry.
pub const QUANTITIES: [&str; 10] = [
    "sr",
    "ei",
    "si_sr",
    "si_ei",
    "eol_rir",
    "ir",
    "hhi_wgi_t_gs",
    "hhi_wgi_t_eu",
    "critical",
    "strategic",
];

#[derive(Debug, Deserialize)]
struct Row {
    material: String,
    commodity: String,
    stage: AssessedStage,
    quantity: String,
    #[serde(deserialize_with = "crate::csv::finite")]
    value: f64,
    year_of_assessment: u16,
    source: String,
    address: String,
    published: String,
    locator: String,
    note: String,
}

/// Reads `eu-crm-2023.csv` under `dir` (empty when the file is absent); every commodity must be
/// in the catalogue and every quantity known.
pub fn read_eu_assessment(
    dir: &Path,
    commodities: &CommodityCatalog,
) -> Result<PublishedAssessment, ModelError> {
    let path = dir.join(FILE);
    if !path.exists() {
        return Ok(PublishedAssessment::default());
    }
    let rows: Vec<Row> = read_csv(&path)?;
    let mut values = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let line = row_line(i);
        if !r.commodity.is_empty() && commodities.get(&r.commodity).is_none() {
            return Err(ModelError::parse(
                &path,
                line,
                2,
                "a commodity id from commodities.csv (or empty)",
                r.commodity,
            ));
        }
        if !QUANTITIES.contains(&r.quantity.as_str()) {
            return Err(ModelError::parse(
                &path,
                line,
                4,
                format!("one of {}", QUANTITIES.join(", ")),
                r.quantity,
            ));
        }
        let fraction = matches!(r.quantity.as_str(), "eol_rir" | "ir" | "si_sr" | "si_ei");
        if fraction && !(0.0..=1.0).contains(&r.value) {
            return Err(ModelError::parse(
                &path,
                line,
                5,
                format!("a fraction in [0, 1] for {}", r.quantity),
                r.value.to_string(),
            ));
        }
        if r.address.trim().is_empty() {
            return Err(ModelError::parse(
                &path,
                line,
                8,
                "the address the value was read at",
                "",
            ));
        }
        values.push(PublishedValue {
            material: r.material,
            commodity: r.commodity,
            stage: r.stage,
            quantity: r.quantity,
            value: r.value,
            assessment: r.year_of_assessment,
            source: r.source,
            address: r.address,
            published: r.published,
            locator: r.locator,
            note: r.note,
        });
    }
    Ok(PublishedAssessment {
        values,
        trade_factors: read_trade_factors(dir, commodities)?,
    })
}

/// Reads `eu-crm-2023-t.csv` (empty when absent): t above 1 and at most 2, a known commodity.
fn read_trade_factors(
    dir: &Path,
    commodities: &CommodityCatalog,
) -> Result<Vec<PublishedTradeFactor>, ModelError> {
    let path = dir.join(T_FILE);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (i, r) in read_csv::<TRow>(&path)?.into_iter().enumerate() {
        let line = row_line(i);
        if !r.commodity.is_empty() && commodities.get(&r.commodity).is_none() {
            return Err(ModelError::parse(
                &path,
                line,
                2,
                "a commodity id from commodities.csv (or empty)",
                r.commodity,
            ));
        }
        if !(r.t > 0.0 && r.t <= 2.0) {
            return Err(ModelError::parse(
                &path,
                line,
                5,
                "a factor t in (0, 2]",
                r.t.to_string(),
            ));
        }
        out.push(PublishedTradeFactor {
            material: r.material,
            commodity: r.commodity,
            stage: r.stage,
            country: r.country,
            t: r.t,
            source: r.source,
            address: r.address,
            locator: r.locator,
        });
    }
    Ok(out)
}
