//! Why this file exists: `lodestone risk` ranks every mineral for a viewpoint by one published
//! method — EU supply risk, GeoPolRisk, or plain production concentration.

use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use lodestone_model::{Commodity, Dataset, Material, ModelError, Restriction, TradeData};

use crate::error::AnalysisError;
use crate::eu_supply_risk::{assess_all_stages, SupplyRisk};
use crate::geopolrisk::GeoPolRiskIndex;
use crate::geopolrisk_stage::{processing_stages, stage_geopolrisk_all};
use crate::profile::profile;
use crate::select::SeriesQuery;
use crate::viewpoint::Viewpoint;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Eu,
    GeoPolRisk,
    /// Lodestone's stage-aware extension of GeoPolRisk (processing stages).
    #[serde(rename = "geopolrisk-stage")]
    GeoPolRiskStage,
    Hhi,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Eu => "eu",
            Method::GeoPolRisk => "geopolrisk",
            Method::GeoPolRiskStage => "geopolrisk-stage",
            Method::Hhi => "hhi",
        })
    }
}

impl FromStr for Method {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_lowercase().as_str() {
            "eu" => Ok(Method::Eu),
            "geopolrisk" | "gpr" => Ok(Method::GeoPolRisk),
            "geopolrisk-stage" | "gpr-stage" => Ok(Method::GeoPolRiskStage),
            "hhi" => Ok(Method::Hhi),
            o => Err(ModelError::Unknown {
                kind: "method",
                name: o.into(),
                suggestions: vec![
                    "eu".into(),
                    "geopolrisk".into(),
                    "geopolrisk-stage".into(),
                    "hhi".into(),
                ],
            }),
        }
    }
}

/// One mineral in a ranking.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskRow {
    pub commodity: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub score: Option<f64>,
    /// What the score is made of, briefly (stage, HHI, import risk, ...).
    pub detail: String,
    pub year: u16,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub missing: String,
}

/// Ranks every mineral the method covers, highest score first; minerals without a score last.
/// `restrictions` are the export restrictions in force (the EU method's t); other methods
/// ignore them.
pub fn rank(
    ds: &Dataset,
    trade: &TradeData,
    vp: &Viewpoint,
    method: Method,
    year: u16,
    restrictions: &[Restriction],
) -> Vec<RiskRow> {
    let mut rows: Vec<RiskRow> = match method {
        Method::Hhi => ds
            .commodities
            .all()
            .iter()
            .filter_map(|c| hhi_row(ds, c, year))
            .collect(),
        Method::GeoPolRisk => {
            let index = GeoPolRiskIndex::new(ds, trade, None);
            ds.materials
                .iter()
                .map(|m| geopolrisk_row(ds, &index, m, vp, year))
                .collect()
        }
        Method::GeoPolRiskStage => eu_commodities(ds)
            .into_iter()
            .filter(|c| !processing_stages(ds, c).is_empty())
            .map(|c| stage_row(ds, trade, c, vp, year))
            .collect(),
        Method::Eu => eu_commodities(ds)
            .into_iter()
            .map(|c| eu_row(ds, trade, c, vp, year, restrictions))
            .collect(),
    };
    rows.sort_by(score_order);
    rows
}

/// Highest score first, unscored minerals last, ties (and the unscored) by commodity id.
fn score_order(a: &RiskRow, b: &RiskRow) -> Ordering {
    match (a.score, b.score) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.commodity.cmp(&b.commodity),
    }
}

/// A commodity's display name, empty when the catalogue has none.
fn name_of(ds: &Dataset, c: &str) -> String {
    ds.commodities
        .get(c)
        .map(|x| x.name.clone())
        .unwrap_or_default()
}

/// A row without a score, saying why.
fn unscored(ds: &Dataset, c: &str, year: u16, missing: String) -> RiskRow {
    RiskRow {
        commodity: c.to_string(),
        name: name_of(ds, c),
        score: None,
        detail: String::new(),
        year,
        missing,
    }
}

/// Production HHI of a commodity in `year`, else in its latest year; `None` without figures.
fn hhi_row(ds: &Dataset, c: &Commodity, year: u16) -> Option<RiskRow> {
    let query = |year| SeriesQuery {
        commodity: c.id.clone(),
        year,
        ..Default::default()
    };
    let p = profile(ds, &query(Some(year)))
        .or_else(|_| profile(ds, &query(None)))
        .ok()?;
    Some(RiskRow {
        commodity: c.id.clone(),
        name: c.name.clone(),
        score: Some(p.hhi),
        detail: format!(
            "{} {} {}: top {} {:.0}%",
            p.stage,
            p.source.as_str().to_uppercase(),
            p.year,
            p.producers.first().map(|r| r.iso3.as_str()).unwrap_or("–"),
            p.producers.first().and_then(|r| r.share).unwrap_or(0.0) * 100.0
        ),
        year: p.year,
        missing: String::new(),
    })
}

/// GeoPolRisk of one material for the viewpoint, or why there is none.
fn geopolrisk_row(
    ds: &Dataset,
    index: &GeoPolRiskIndex,
    m: &Material,
    vp: &Viewpoint,
    year: u16,
) -> RiskRow {
    match index.compute(&m.material, vp, year) {
        Ok(g) if g.no_flows => unscored(
            ds,
            &m.commodity,
            year,
            format!(
                "the trade data holds no flow of {} in {year} for any country: not scored (0 would be a silent gap)",
                lodestone_model::product_labels(&g.hs_codes)
            ),
        ),
        Ok(g) if g.no_trade => unscored(
            ds,
            &m.commodity,
            year,
            format!(
                "{} neither imports nor produces {} in {year} (HS {:?})",
                vp.name, m.material, g.hs_codes
            ),
        ),
        Ok(g) => RiskRow {
            commodity: m.commodity.clone(),
            name: name_of(ds, &m.commodity),
            score: Some(g.score),
            detail: format!(
                "HHI {:.3} × import risk {:.3}; CF {:.3} kg Cu-eq/kg",
                g.hhi, g.import_risk, g.characterisation_factor
            ),
            year,
            missing: String::new(),
        },
        Err(e) => unscored(ds, &m.commodity, year, e.to_string()),
    }
}

/// The stage-aware GeoPolRisk of one commodity (its highest processing stage), or why none.
fn stage_row(ds: &Dataset, trade: &TradeData, c: &str, vp: &Viewpoint, year: u16) -> RiskRow {
    match stage_geopolrisk_all(ds, trade, c, vp, year) {
        Ok(all) => {
            let top = &all[0];
            RiskRow {
                commodity: c.to_string(),
                name: name_of(ds, c),
                score: Some(top.score),
                detail: format!(
                    "{} {}: HHI {} × import risk {} (extension, not geopolrisk-py)",
                    top.stage,
                    top.year,
                    lodestone_model::display::fixed(top.hhi, 3),
                    lodestone_model::display::fixed(top.import_risk, 3)
                ),
                year: top.year,
                missing: String::new(),
            }
        }
        Err(e) => unscored(ds, c, year, e.to_string()),
    }
}

/// Commodities the concordance links to HS codes (the EU method needs trade), sorted.
fn eu_commodities(ds: &Dataset) -> Vec<&str> {
    let mut ids: Vec<&str> = ds
        .concordance
        .links
        .iter()
        .map(|l| l.commodity.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// EU supply risk of one commodity (its bottleneck stage) for the viewpoint, or why there is none.
fn eu_row(
    ds: &Dataset,
    trade: &TradeData,
    c: &str,
    vp: &Viewpoint,
    year: u16,
    restrictions: &[Restriction],
) -> RiskRow {
    match assess_all_stages(ds, trade, c, vp, year, restrictions) {
        Ok(r) => RiskRow {
            commodity: c.to_string(),
            name: name_of(ds, c),
            score: r.supply_risk,
            detail: eu_detail(&r),
            year,
            missing: eu_missing(&r),
        },
        Err(e) => unscored(ds, c, year, e.to_string()),
    }
}

/// The bottleneck stage's terms: HHI_GS, HHI_src, IR and EoL-RIR.
fn eu_detail(r: &SupplyRisk) -> String {
    let bottleneck = r
        .stages
        .iter()
        .find(|s| Some(s.stage) == r.bottleneck)
        .and_then(|s| s.result.as_ref());
    match (r.bottleneck, bottleneck) {
        (Some(st), Some(res)) => format!(
            "{st}: HHI_GS {:.2}, HHI_src {:.2}, IR {:.2}, EoL-RIR {:.2}",
            res.hhi_wgi_t_global, res.hhi_wgi_t_sourcing, res.import_reliance, res.eol_rir
        ),
        _ => String::new(),
    }
}

/// Why no stage has a score ("stage: reason; ..."), empty when one has.
fn eu_missing(r: &SupplyRisk) -> String {
    if r.supply_risk.is_none() {
        r.stages
            .iter()
            .map(|s| format!("{}: {}", s.stage, s.missing))
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        String::new()
    }
}

/// The default year for trade-based scores: the latest year with trade data.
pub fn default_year(trade: &TradeData) -> Result<u16, AnalysisError> {
    trade
        .years()
        .last()
        .copied()
        .ok_or_else(|| AnalysisError::NoData {
            what: "the dataset holds no trade data".into(),
            choices: vec![],
        })
}
