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
use std::collections::{BTreeMap, HashMap};

use lodestone_model::{Dataset, Material, Scope, TradeData};

use crate::error::AnalysisError;
use crate::viewpoint::Viewpoint;

/// Copper's characterisation factor used as the reference (geopolrisk-py 2.0.1: OECD mean 2017–2021).
pub const CF_CU: f64 = 0.409412948;

/// The political-stability weight missing scores get.
pub const MISSING_STABILITY: f64 = 0.5;

/// One exporter's term in the import-risk sum.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// True when the trade data holds no flow of the material's HS codes that year for anyone
    /// (germanium's HS 811230 after 2015): a score would be a silent zero, so callers show why.
    pub no_flows: bool,
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

/// One year of a material's production table: HHI and each country's production in tonnes.
#[derive(Debug, Clone, Default)]
struct YearTable {
    hhi: Option<f64>,
    /// ISO3 → production in tonnes (the first row of a country, as geopolrisk-py takes it).
    production: HashMap<String, f64>,
}

/// A material with its HS codes and its production table by year.
#[derive(Debug, Clone)]
struct MaterialTable<'a> {
    material: &'a Material,
    codes: Vec<u32>,
    years: BTreeMap<u16, YearTable>,
    source: String,
}

/// Everything GeoPolRisk needs, prepared once: per material its HS codes and its production
/// table by year (HHI, production per country), and a lookup from BACI codes to countries.
pub struct GeoPolRiskIndex<'a> {
    ds: &'a Dataset,
    trade: &'a TradeData,
    materials: Vec<MaterialTable<'a>>,
    country_at: HashMap<u16, usize>,
}

impl<'a> GeoPolRiskIndex<'a> {
    /// Indexes every material (or only `only`, for a single computation).
    pub fn new(ds: &'a Dataset, trade: &'a TradeData, only: Option<&Material>) -> Self {
        let wanted: Vec<&'a Material> = ds
            .materials
            .iter()
            .filter(|m| only.is_none_or(|o| o.material == m.material))
            .collect();
        let mut tables: Vec<MaterialTable<'a>> = wanted
            .iter()
            .map(|m| MaterialTable {
                material: m,
                codes: ds.concordance.geopolrisk_codes(&m.material),
                years: BTreeMap::new(),
                source: String::new(),
            })
            .collect();
        // One pass over the observations of the package's WMD tables.
        let mut ints: HashMap<(usize, u16), (i128, i128)> = HashMap::new();
        let mut by_source: HashMap<u32, Option<usize>> = HashMap::new();
        for o in &ds.observations {
            let t = *by_source.entry(o.source).or_insert_with(|| {
                let f = &ds.source(o.source).file;
                let table = f.split_once("world_mining_data.db#").map(|(_, t)| t)?;
                tables.iter().position(|m| m.material.wmd_table == table)
            });
            let Some(t) = t else { continue };
            if tables[t].source.is_empty() {
                let s = ds.source(o.source);
                tables[t].source = format!("{} {}, {}", s.source, s.edition, s.file);
            }
            let year = tables[t].years.entry(o.year).or_default();
            if o.scope == Scope::World {
                continue;
            }
            let v = o.value.unwrap_or(0.0);
            let e = ints.entry((t, o.year)).or_default();
            let trunc = v.trunc() as i128;
            e.0 += trunc;
            e.1 += trunc * trunc;
            if o.scope == Scope::Country && !year.production.contains_key(o.country.as_str()) {
                let tonnes = if o.unit == lodestone_model::Unit::Kilogram {
                    v / 1000.0
                } else {
                    v
                };
                year.production.insert(o.country.to_string(), tonnes);
            }
        }
        for ((t, y), (sum, sq)) in ints {
            if let Some(year) = tables[t].years.get_mut(&y) {
                year.hhi = (sum != 0).then(|| sq as f64 / (sum as f64 * sum as f64));
            }
        }
        let country_at = trade
            .countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code, i))
            .collect();
        GeoPolRiskIndex {
            ds,
            trade,
            materials: tables,
            country_at,
        }
    }

    fn table(&self, name: &str) -> Result<&MaterialTable<'a>, AnalysisError> {
        let m = material(self.ds, name)?;
        self.materials
            .iter()
            .find(|t| t.material.material == m.material)
            .ok_or_else(|| AnalysisError::NoData {
                what: format!("{} is not in this index", m.material),
                choices: vec![],
            })
    }

    /// HHI of production as geopolrisk-py computes it; `None` when the table has no figure that year.
    pub fn hhi(&self, material: &str, year: u16) -> Option<f64> {
        self.table(material).ok()?.years.get(&year)?.hhi
    }

    /// Computes GeoPolRisk for a viewpoint, material and year.
    pub fn compute(
        &self,
        material_name: &str,
        viewpoint: &Viewpoint,
        year: u16,
    ) -> Result<GeoPolRisk, AnalysisError> {
        let t = self.table(material_name)?;
        let m = t.material;
        let table = t.years.get(&year).filter(|y| y.hhi.is_some());
        let Some(table) = table else {
            return Err(AnalysisError::NoData {
                what: format!(
                    "no {} production in the WMD table {:?} for {year}",
                    m.material, m.wmd_table
                ),
                choices: t
                    .years
                    .iter()
                    .filter(|(_, y)| y.hhi.is_some())
                    .map(|(y, _)| y.to_string())
                    .collect(),
            });
        };
        let hhi = table.hhi.unwrap_or(0.0);
        let trade = self.trade;
        let mut partners: Vec<PartnerTerm> = Vec::new();
        for &k in &t.codes {
            let slice = trade.flows_of(year, k);
            for &importer in &viewpoint.codes {
                let lo = slice.partition_point(|f| f.importer < importer);
                let hi = slice.partition_point(|f| f.importer <= importer);
                for f in &slice[lo..hi] {
                    let q = f.quantity_t.unwrap_or(0.0);
                    if let Some(p) = partners.iter_mut().find(|p| p.code == f.exporter) {
                        p.quantity_t += q;
                        p.value_kusd += f.value_kusd;
                        continue;
                    }
                    let (stability, rule) = if viewpoint.contains_code(f.exporter) {
                        (0.0, "inside the bloc → 0")
                    } else {
                        match trade.stability_of(f.exporter, year) {
                            Some(s) if s.is_finite() => (s, "table"),
                            Some(_) => (
                                MISSING_STABILITY,
                                "NaN in the table → 0.5 (geopolrisk-py 2.0.1 would return NaN)",
                            ),
                            None => (MISSING_STABILITY, "missing → 0.5"),
                        }
                    };
                    let c = self
                        .country_at
                        .get(&f.exporter)
                        .map(|&i| &trade.countries[i]);
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
        partners.sort_by_key(|p| p.code);
        // `+ 0.0` on each sum: a sum over nothing is −0.0 in Rust; no figure is negative zero.
        let numerator: f64 = partners
            .iter()
            .map(|p| p.quantity_t * p.stability)
            .sum::<f64>()
            + 0.0;
        let total: f64 = partners.iter().map(|p| p.quantity_t).sum::<f64>() + 0.0;
        let value: f64 = partners.iter().map(|p| p.value_kusd).sum();
        let production: f64 = viewpoint
            .members
            .iter()
            .filter_map(|iso3| table.production.get(iso3))
            .sum::<f64>()
            + 0.0;
        let price = if total == 0.0 { 0.0 } else { value / total };
        let denominator = total + production;
        let import_risk = if denominator == 0.0 {
            0.0
        } else {
            numerator / denominator
        };
        let score = hhi * import_risk + 0.0;
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
            hs_codes: t.codes.clone(),
            hhi,
            numerator,
            total_imports_t: total,
            production_t: production,
            import_risk,
            score,
            price,
            characterisation_factor: score * price / CF_CU,
            no_trade: denominator == 0.0,
            no_flows: !t.codes.iter().any(|k| !trade.flows_of(year, *k).is_empty()),
            partners,
            production_source: t.source.clone(),
            trade_source: trade.source.clone(),
            stability_source: trade.stability_source.clone(),
        })
    }
}

/// HHI of production as geopolrisk-py computes it (indexes the one material).
pub fn production_hhi(ds: &Dataset, m: &Material, year: u16) -> Option<f64> {
    let empty = TradeData::default();
    GeoPolRiskIndex::new(ds, &empty, Some(m)).hhi(&m.material, year)
}

/// Computes GeoPolRisk for a viewpoint, material and year (indexing the one material; use
/// [`GeoPolRiskIndex`] for many computations).
pub fn geopolrisk(
    ds: &Dataset,
    trade: &TradeData,
    material_name: &str,
    viewpoint: &Viewpoint,
    year: u16,
) -> Result<GeoPolRisk, AnalysisError> {
    let m = material(ds, material_name)?;
    GeoPolRiskIndex::new(ds, trade, Some(m)).compute(&m.material, viewpoint, year)
}
