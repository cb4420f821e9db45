//! Why this file exists: crossing a basis (WO3 → W, Li2O → Li, U3O8 → U) is allowed only through
//! an explicit factor with its citation, kept as data in `data/conversions.csv`.

use serde::{Deserialize, Serialize};

/// `to = factor × from`, as published in `citation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversion {
    pub from: String,
    pub to: String,
    pub factor: f64,
    pub citation: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConversionTable {
    pub conversions: Vec<Conversion>,
}

impl ConversionTable {
    /// The factor from one basis to another: the stated one, or the inverse of the reverse one.
    pub fn find(&self, from: &str, to: &str) -> Option<Conversion> {
        if from == to {
            return Some(Conversion {
                from: from.into(),
                to: to.into(),
                factor: 1.0,
                citation: "identity".into(),
            });
        }
        if let Some(c) = self
            .conversions
            .iter()
            .find(|c| c.from == from && c.to == to)
        {
            return Some(c.clone());
        }
        self.conversions
            .iter()
            .find(|c| c.from == to && c.to == from)
            .map(|c| Conversion {
                from: from.into(),
                to: to.into(),
                factor: 1.0 / c.factor,
                citation: format!("inverse of: {}", c.citation),
            })
    }
}
