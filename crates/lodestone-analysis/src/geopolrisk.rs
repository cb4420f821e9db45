//! Why this file exists: the GeoPolRisk method (Gemechu et al. 2016; Koyamparambath et al. 2024)
//! exactly as geopolrisk-py 2.0.1 computes it, for any importer or bloc, every material and year:
//!
//! Score = HHI × Σ_i (g_i · f_i) / (F + p),  CF = Score × price / CF_Cu.
//!
//! Conventions reproduced to the digit (see the differential test): HHI from the package's World
//! Mining Data table with missing years as 0 and values truncated to whole units, totals rows
//! excluded; f_i = BACI quantity (tonnes, "NA" = 0) summed over the material's HS codes; g_i =
//! the package's normalised political-stability score of exporter i, 0.5 where missing, 0 for
//! exporters inside the importing bloc; F = Σ f_i including intra-bloc flows; p = the importer's
//! own production (kg tables divided by 1000); price = Σ value / Σ quantity (thousand USD per
//! tonne = USD per kg); CF_Cu = 0.409412948.

use serde::Serialize;

use lodestone_model::{Dataset, Material, Scope, TradeData};

use crate::error::AnalysisError;
use crate::viewpoint::Viewpoint;

/// Copper's characterisation factor used as the reference (geopolrisk-py 2.0.1: OECD mean 2017–2021).
pub const CF_CU: f64 = 0.409412948;

/// The political-stability weight missing scores get.
pub const MISSING_STABILITY: f64 = 0.5;

/// One exporter's term in the import-risk sum.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PartnerTerm {
    pub code: u16,
    pub iso3: String,
    pub name: String,
    pub quantity_t: f64,
    pub value_kusd: f64,
    /// g_i as used.
    pub stability: f64,
    /// "table", "missing → 0.5" or "inside the bloc → 0".
    pub stability_rule: &'static str,
}

/// A GeoPolRisk result with every term of the formula.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GeoPolRisk {
    pub material: String,
    pub commodity: String,
    pub viewpoint: String,
    pub year: u16,
    pub hs_codes: Vec<u32>,
    pub hhi: f64,
    /// Σ f_i g_i.
    pub numerator: f64,
    /// F: total imports, tonnes.
    pub total_imports_t: f64,
    /// p: domestic production, tonnes (basis of the WMD table).
    pub production_t: f64,
    /// Σ f_i g_i / (F + p) — geopolrisk-py's "Import Risk".
    pub import_risk: f64,
    pub score: f64,
    /// USD per kg.
    pub price: f64,
    /// kg Cu-eq per kg.
    pub characterisation_factor: f64,
    pub partners: Vec<PartnerTerm>,
    /// True when the viewpoint neither imports nor produces the material that year: the score is
    /// then 0 by the formula, which says nothing about risk; callers show a message instead.
    pub no_trade: bool,
    pub production_source: String,
    pub trade_source: String,
    pub stability_source: String,
}

/// The material definitions, looked up by geopolrisk-py name or Lodestone commodity.
pub fn material<'a>(ds: &'a Dataset, name: &str) -> Result<&'a Material, AnalysisError> {
    if let Some(m) = ds
        .materials
        .iter()
        .find(|m| m.material.eq_ignore_ascii_case(name))
    {
        return Ok(m);
    }
    if let Some(c) = ds.commodities.resolve(name) {
        if let Some(m) = ds.materials.iter().find(|m| m.commodity == c.id) {
            return Ok(m);
        }
        return Err(AnalysisError::NoData {
            what: format!(
                "GeoPolRisk has no material for {} (geopolrisk-py 2.0.1 covers {} materials)",
                c.id,
                ds.materials.len()
            ),
            choices: ds.materials.iter().map(|m| m.commodity.clone()).collect(),
        });
    }
    Err(ds
        .commodities
        .lookup(name)
        .err()
        .map(AnalysisError::from)
        .unwrap_or(AnalysisError::NoData {
            what: format!("unknown material {name}"),
            choices: vec![],
        }))
}

/// Production rows of the material's WMD table in one year, in table order.
fn production_rows<'a>(
    ds: &'a Dataset,
    m: &Material,
    year: u16,
) -> Vec<&'a lodestone_model::Observation> {
    let suffix = format!("world_mining_data.db#{}", m.wmd_table);
    ds.observations
        .iter()
        .filter(|o| {
            o.year == year
                && o.commodity == m.commodity
                && ds.source(o.source).file.ends_with(&suffix)
        })
        .collect()
}

/// HHI of production as geopolrisk-py computes it; `None` when the table has no figure that year.
pub fn production_hhi(ds: &Dataset, m: &Material, year: u16) -> Option<f64> {
    let rows = production_rows(ds, m, year);
    let values: Vec<i128> = rows
        .iter()
        .filter(|o| o.scope != Scope::World)
        .map(|o| o.value.unwrap_or(0.0).trunc() as i128)
        .collect();
    if rows.iter().all(|o| o.scope == Scope::World) {
        return None;
    }
    let sum: i128 = values.iter().sum();
    let sq: i128 = values.iter().map(|v| v * v).sum();
    (sum != 0).then(|| sq as f64 / (sum as f64 * sum as f64))
}

/// Computes GeoPolRisk for a viewpoint, material and year.
pub fn geopolrisk(
    ds: &Dataset,
    trade: &TradeData,
    material_name: &str,
    viewpoint: &Viewpoint,
    year: u16,
) -> Result<GeoPolRisk, AnalysisError> {
    let m = material(ds, material_name)?;
    let hhi = production_hhi(ds, m, year).ok_or_else(|| AnalysisError::NoData {
        what: format!(
            "no {} production in the WMD table {:?} for {year}",
            m.material, m.wmd_table
        ),
        choices: (2018..=2024)
            .filter(|y| production_hhi(ds, m, *y).is_some())
            .map(|y| y.to_string())
            .collect(),
    })?;
    let codes = ds.concordance.geopolrisk_codes(&m.material);
    let mut partners: Vec<PartnerTerm> = Vec::new();
    for &k in &codes {
        for f in trade.flows_of(year, k) {
            if !viewpoint.contains_code(f.importer) {
                continue;
            }
            let q = f.quantity_t.unwrap_or(0.0);
            match partners.iter_mut().find(|p| p.code == f.exporter) {
                Some(p) => {
                    p.quantity_t += q;
                    p.value_kusd += f.value_kusd;
                }
                None => {
                    let (stability, rule) = if viewpoint.contains_code(f.exporter) {
                        (0.0, "inside the bloc → 0")
                    } else {
                        match trade.stability_of(f.exporter, year) {
                            Some(s) => (s, "table"),
                            None => (MISSING_STABILITY, "missing → 0.5"),
                        }
                    };
                    let c = trade.country(f.exporter);
                    partners.push(PartnerTerm {
                        code: f.exporter,
                        iso3: c.map(|c| c.iso3.clone()).unwrap_or_default(),
                        name: c
                            .map(|c| c.name.clone())
                            .unwrap_or_else(|| format!("BACI code {}", f.exporter)),
                        quantity_t: q,
                        value_kusd: f.value_kusd,
                        stability,
                        stability_rule: rule,
                    });
                }
            }
        }
    }
    partners.sort_by_key(|p| p.code);
    let numerator: f64 = partners.iter().map(|p| p.quantity_t * p.stability).sum();
    let total: f64 = partners.iter().map(|p| p.quantity_t).sum();
    let value: f64 = partners.iter().map(|p| p.value_kusd).sum();
    let rows = production_rows(ds, m, year);
    let mut production = 0.0;
    for iso3 in &viewpoint.members {
        if let Some(o) = rows
            .iter()
            .find(|o| o.scope == Scope::Country && o.country == iso3.as_str())
        {
            let v = o.value.unwrap_or(0.0);
            production += if o.unit == lodestone_model::Unit::Kilogram {
                v / 1000.0
            } else {
                v
            };
        }
    }
    let price = if total == 0.0 { 0.0 } else { value / total };
    let denominator = total + production;
    let import_risk = if denominator == 0.0 {
        0.0
    } else {
        numerator / denominator
    };
    let score = hhi * import_risk;
    let production_source = rows
        .first()
        .map(|o| {
            let s = ds.source(o.source);
            format!("{} {}, {}", s.source, s.edition, s.file)
        })
        .unwrap_or_default();
    partners.sort_by(|a, b| {
        b.quantity_t
            .total_cmp(&a.quantity_t)
            .then(a.code.cmp(&b.code))
    });
    Ok(GeoPolRisk {
        material: m.material.clone(),
        commodity: m.commodity.clone(),
        viewpoint: viewpoint.id.clone(),
        year,
        hs_codes: codes,
        hhi,
        numerator,
        total_imports_t: total,
        production_t: production,
        import_risk,
        score,
        price,
        characterisation_factor: score * price / CF_CU,
        no_trade: denominator == 0.0,
        partners,
        production_source,
        trade_source: trade.source.clone(),
        stability_source: trade.stability_source.clone(),
    })
}
