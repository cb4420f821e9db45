//! Why this file exists: sources hide units in column names (Prod_kt_2022, Reserves_mct); a value
//! is meaningless until its unit is pinned down and converted only within its dimension.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::ModelError;

/// What a unit measures; conversions never cross dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dimension {
    Mass,
    Carats,
    Volume,
    /// Separative work (uranium enrichment), counted in SWU.
    SeparativeWork,
}

/// The units the official sources use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Unit {
    Kilogram,
    Tonne,
    Kilotonne,
    Megatonne,
    Carat,
    Kilocarat,
    MillionCarats,
    MillionCubicMetres,
    /// Tonnes of separative work (1 tSWU = 1,000 SWU = 1,000 kg SWU).
    TonneSwu,
}

impl Unit {
    pub fn dimension(self) -> Dimension {
        match self {
            Unit::Kilogram | Unit::Tonne | Unit::Kilotonne | Unit::Megatonne => Dimension::Mass,
            Unit::Carat | Unit::Kilocarat | Unit::MillionCarats => Dimension::Carats,
            Unit::MillionCubicMetres => Dimension::Volume,
            Unit::TonneSwu => Dimension::SeparativeWork,
        }
    }

    /// Factor to the dimension's base unit (tonne, carat, million cubic metres).
    pub fn to_base(self) -> f64 {
        match self {
            Unit::Kilogram => 1e-3,
            Unit::Tonne => 1.0,
            Unit::Kilotonne => 1e3,
            Unit::Megatonne => 1e6,
            Unit::Carat => 1.0,
            Unit::Kilocarat => 1e3,
            Unit::MillionCarats => 1e6,
            Unit::MillionCubicMetres => 1.0,
            Unit::TonneSwu => 1.0,
        }
    }

    /// The base unit of this unit's dimension.
    pub fn base(self) -> Unit {
        match self.dimension() {
            Dimension::Mass => Unit::Tonne,
            Dimension::Carats => Unit::Carat,
            Dimension::Volume => Unit::MillionCubicMetres,
            Dimension::SeparativeWork => Unit::TonneSwu,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Kilogram => "kg",
            Unit::Tonne => "t",
            Unit::Kilotonne => "kt",
            Unit::Megatonne => "Mt",
            Unit::Carat => "ct",
            Unit::Kilocarat => "kct",
            Unit::MillionCarats => "Mct",
            Unit::MillionCubicMetres => "Mm3",
            Unit::TonneSwu => "tSWU",
        }
    }

    /// Converts `value` in `self` to `to`; `None` across dimensions.
    pub fn convert(self, value: f64, to: Unit) -> Option<f64> {
        (self.dimension() == to.dimension()).then(|| value * self.to_base() / to.to_base())
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

impl FromStr for Unit {
    type Err = ModelError;
    /// Accepts the spellings found in source column names and tables: `t`, `kt`, `mt`/`mmt`/`Mt`
    /// (million metric tons), `kg`, `ct`, `kct`, `mct`, `mcm` (million cubic metres), `metr. t`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Ok(match t {
            "kg" => Unit::Kilogram,
            "t" | "metr. t" | "metr. tons" | "metric tons" => Unit::Tonne,
            "kt" => Unit::Kilotonne,
            "Mt" | "mt" | "mmt" | "MMt" => Unit::Megatonne,
            "ct" | "ct." | "carat" | "carats" => Unit::Carat,
            "kct" => Unit::Kilocarat,
            "mct" | "Mct" | "Mio ct" => Unit::MillionCarats,
            "mcm" | "Mm3" | "Mio m3" => Unit::MillionCubicMetres,
            "tSWU" | "tswu" | "t SWU" => Unit::TonneSwu,
            other => {
                return Err(ModelError::Unknown {
                    kind: "unit",
                    name: other.to_string(),
                    suggestions: vec![],
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_within_dimension_only() {
        assert_eq!(Unit::Kilotonne.convert(78.0, Unit::Tonne), Some(78_000.0));
        assert_eq!(Unit::Kilogram.convert(1000.0, Unit::Tonne), Some(1.0));
        assert_eq!(Unit::Carat.convert(1.0, Unit::Tonne), None);
        assert_eq!("mmt".parse::<Unit>().unwrap(), Unit::Megatonne);
        assert!("furlong".parse::<Unit>().is_err());
        assert_eq!(Unit::TonneSwu.convert(1.0, Unit::Tonne), None);
        assert_eq!("tSWU".parse::<Unit>().unwrap(), Unit::TonneSwu);
    }
}
