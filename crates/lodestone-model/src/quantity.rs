//! Why this file exists: a number without unit and basis is how bases get silently mixed.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::conversion::{Conversion, ConversionTable};
use crate::error::ModelError;
use crate::unit::Unit;

/// A quantity with its unit and its basis (what is weighed: "W content", "WO3", "REO", ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub value: f64,
    pub unit: Unit,
    pub basis: String,
}

impl Quantity {
    pub fn new(value: f64, unit: Unit, basis: impl Into<String>) -> Self {
        Quantity {
            value,
            unit,
            basis: basis.into(),
        }
    }

    /// The same quantity in another unit of the same dimension.
    pub fn in_unit(&self, unit: Unit) -> Result<Quantity, ModelError> {
        let value =
            self.unit
                .convert(self.value, unit)
                .ok_or_else(|| ModelError::Incompatible {
                    left: self.unit.to_string(),
                    right: unit.to_string(),
                    why: "different dimensions".into(),
                })?;
        Ok(Quantity {
            value,
            unit,
            basis: self.basis.clone(),
        })
    }

    /// Sum of two quantities of the same basis (units are reconciled; bases never are).
    pub fn checked_add(&self, other: &Quantity) -> Result<Quantity, ModelError> {
        if self.basis != other.basis {
            return Err(ModelError::Incompatible {
                left: self.to_string(),
                right: other.to_string(),
                why: "different bases; convert one with a cited factor first".into(),
            });
        }
        let o = other.in_unit(self.unit)?;
        Ok(Quantity {
            value: self.value + o.value,
            unit: self.unit,
            basis: self.basis.clone(),
        })
    }

    /// Converts to another basis through a cited factor; returns the factor used.
    pub fn to_basis(
        &self,
        basis: &str,
        table: &ConversionTable,
    ) -> Result<(Quantity, Conversion), ModelError> {
        let conv = table
            .find(&self.basis, basis)
            .ok_or_else(|| ModelError::Incompatible {
                left: self.basis.clone(),
                right: basis.to_string(),
                why: "no cited conversion factor between these bases".into(),
            })?;
        Ok((
            Quantity {
                value: self.value * conv.factor,
                unit: self.unit,
                basis: basis.to_string(),
            },
            conv,
        ))
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.value, self.unit, self.basis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_mixes_bases_silently() {
        let w = Quantity::new(10.0, Unit::Tonne, "W content");
        let wo3 = Quantity::new(1.0, Unit::Kilotonne, "WO3");
        assert!(w.checked_add(&wo3).is_err());
        let table = ConversionTable {
            conversions: vec![Conversion {
                from: "WO3".into(),
                to: "W content".into(),
                factor: 0.7931,
                citation: "stoichiometry".into(),
            }],
        };
        let (as_w, conv) = wo3.to_basis("W content", &table).unwrap();
        assert!((as_w.value - 0.7931).abs() < 1e-12);
        assert_eq!(conv.citation, "stoichiometry");
        let sum = w.checked_add(&as_w).unwrap();
        assert!((sum.value - 803.1).abs() < 1e-9);
        let (back, conv) = as_w.to_basis("WO3", &table).unwrap();
        assert!((back.value - 1.0).abs() < 1e-12);
        assert!(conv.citation.starts_with("inverse of"));
        assert!(w.to_basis("REO", &table).is_err());
    }
}
