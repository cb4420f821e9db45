//! Why this file exists: every trade measure is seen from a viewpoint — one country or a bloc
//! (EU27 counted as one, intra-bloc trade excluded) — named by ISO3, country name or group id.

use serde::Serialize;

use lodestone_model::{Dataset, TradeData};

use crate::error::AnalysisError;

/// An importer: one country or a group of countries.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Viewpoint {
    /// What the user typed, resolved: "USA", "eu27".
    pub id: String,
    pub name: String,
    /// ISO3 of every member.
    pub members: Vec<String>,
    /// BACI codes of every member.
    #[serde(skip)]
    pub codes: Vec<u16>,
}

impl Viewpoint {
    /// Resolves a group id (c5, g7, eu27, concern, or one from the config) or a country.
    pub fn resolve(
        ds: &Dataset,
        trade: &TradeData,
        name: &str,
    ) -> Result<Viewpoint, AnalysisError> {
        let place = ds.place(name)?;
        let (id, display, members) = (place.id, place.name, place.members);
        let mut codes: Vec<u16> = members.iter().flat_map(|m| trade.codes_of(m)).collect();
        // A bloc some sources report as one buyer (the Euratom Supply Agency's "EU27").
        if members.len() > 1 {
            codes.extend(trade.codes_of(&id.to_ascii_uppercase()));
        }
        if codes.is_empty() {
            return Err(AnalysisError::NoData {
                what: format!(
                    "{display} has no country code in the trade data ({})",
                    trade.source
                ),
                choices: vec![],
            });
        }
        Ok(Viewpoint {
            id,
            name: display,
            members,
            codes,
        })
    }

    pub fn contains_code(&self, code: u16) -> bool {
        self.codes.contains(&code)
    }

    pub fn contains(&self, iso3: &str) -> bool {
        self.members.iter().any(|m| m == iso3)
    }

    pub fn is_bloc(&self) -> bool {
        self.members.len() > 1
    }
}
