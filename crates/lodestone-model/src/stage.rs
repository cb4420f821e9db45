//! Why this file exists: supply risk differs by stage; a mine in one country may feed a refinery in another.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::ModelError;
use crate::suggest;

/// A supply-chain stage as the sources report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Extraction: mine production (ore, concentrate or contained content).
    Mine,
    /// Refining of a metal or oxide (refined copper, primary gallium, alumina, refined bismuth).
    Refinery,
    /// Smelting to metal (primary aluminium, magnesium metal, pig iron, titanium sponge).
    Smelter,
    /// Other plant production (chemicals, compounds, cement, synthetic products).
    Processing,
    /// Uranium conversion: U3O8 concentrate to UF6 (tU as UF6).
    Conversion,
    /// Uranium enrichment: separative work on UF6 (tSWU).
    Enrichment,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Mine,
        Stage::Refinery,
        Stage::Smelter,
        Stage::Processing,
        Stage::Conversion,
        Stage::Enrichment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Mine => "mine",
            Stage::Refinery => "refinery",
            Stage::Smelter => "smelter",
            Stage::Processing => "processing",
            Stage::Conversion => "conversion",
            Stage::Enrichment => "enrichment",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Stage {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "mine" | "mining" | "extraction" => Ok(Stage::Mine),
            "refinery" | "refining" | "refined" => Ok(Stage::Refinery),
            "smelter" | "smelting" => Ok(Stage::Smelter),
            "processing" | "plant" => Ok(Stage::Processing),
            "conversion" | "uf6" => Ok(Stage::Conversion),
            "enrichment" | "swu" => Ok(Stage::Enrichment),
            other => Err(ModelError::Unknown {
                kind: "stage",
                name: other.to_string(),
                suggestions: suggest::closest(other, Stage::ALL.iter().map(|s| s.as_str()), 4),
            }),
        }
    }
}
