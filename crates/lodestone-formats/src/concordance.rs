//! Why this file exists: `hs-concordance.csv` links HS6 trade codes to commodities and stages,
//! each link with its product form, content factor and citation; it is curated by hand, so it
//! is only read, and a link to a commodity the catalogue lacks is an error at its line.

use serde::Deserialize;
use std::path::Path;

use lodestone_model::{CommodityCatalog, Concordance, HsLink, ModelError, Nomenclature};

use crate::csv::{parse_field, read_csv, row_line, split_list};

/// The file's name in `data/`.
pub const FILE: &str = "hs-concordance.csv";

/// One row of `hs-concordance.csv`.
#[derive(Debug, Deserialize)]
struct ConcordanceRow {
    nomenclature: String,
    code: u32,
    description: String,
    commodity: String,
    stage: String,
    form: String,
    #[serde(deserialize_with = "crate::csv::opt_finite")]
    content_factor: Option<f64>,
    content_source: String,
    #[serde(default)]
    content_basis: String,
    geopolrisk: String,
    source: String,
}

/// Reads `hs-concordance.csv` from `dir`; every commodity must be in `commodities`.
pub fn read_concordance(
    dir: &Path,
    commodities: &CommodityCatalog,
) -> Result<Concordance, ModelError> {
    let path = dir.join(FILE);
    let mut links = Vec::new();
    for (i, r) in read_csv::<ConcordanceRow>(&path)?.into_iter().enumerate() {
        let line = row_line(i);
        if commodities.get(&r.commodity).is_none() {
            return Err(ModelError::parse(
                &path,
                line,
                4,
                "a commodity id from commodities.csv",
                r.commodity,
            ));
        }
        let nomenclature: Nomenclature =
            parse_field(&path, line, 1, "a nomenclature", &r.nomenclature)?;
        let Some(key) = nomenclature.key(r.code) else {
            return Err(ModelError::parse(
                &path,
                line,
                2,
                format!("a {nomenclature} code"),
                r.code.to_string(),
            ));
        };
        if links.iter().any(|l: &HsLink| l.hs6 == key) {
            return Err(ModelError::parse(
                &path,
                line,
                2,
                "a code not listed before",
                format!("{nomenclature} {} again", r.code),
            ));
        }
        links.push(HsLink {
            hs6: key,
            nomenclature,
            description: r.description,
            commodity: r.commodity,
            stage: parse_field(&path, line, 5, "a stage", &r.stage)?,
            form: r.form,
            content_factor: r.content_factor,
            content_source: r.content_source,
            content_basis: r.content_basis,
            geopolrisk: split_list(&r.geopolrisk),
            source: r.source,
        });
    }
    Ok(Concordance { links })
}
