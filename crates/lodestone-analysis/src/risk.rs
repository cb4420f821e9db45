//! Why this file exists: `lodestone risk` ranks every mineral for a viewpoint by one published
//! method — EU supply risk, GeoPolRisk, or plain production concentration.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

use lodestone_model::{Dataset, ModelError, TradeData};

use crate::error::AnalysisError;
use crate::eu_supply_risk::assess_all_stages;
use crate::profile::profile;
use crate::select::SeriesQuery;
use crate::viewpoint::Viewpoint;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Eu,
    GeoPolRisk,
    Hhi,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Eu => "eu",
            Method::GeoPolRisk => "geopolrisk",
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
            "hhi" => Ok(Method::Hhi),
            o => Err(ModelError::Unknown {
                kind: "method",
                name: o.into(),
                suggestions: vec!["eu".into(), "geopolrisk".into(), "hhi".into()],
            }),
        }
    }
}

/// One mineral in a ranking.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RiskRow {
    pub commodity: String,
    pub name: String,
    pub score: Option<f64>,
    /// What the score is made of, briefly (stage, HHI, import risk, ...).
    pub detail: String,
    pub year: u16,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub missing: String,
}

/// Ranks every mineral the method covers, highest score first; minerals without a score last.
pub fn rank(
    ds: &Dataset,
    trade: &TradeData,
    vp: &Viewpoint,
    method: Method,
    year: u16,
) -> Vec<RiskRow> {
    let name_of = |c: &str| {
        ds.commodities
            .get(c)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    let mut rows: Vec<RiskRow> = match method {
        Method::Hhi => ds
            .commodities
            .all()
            .iter()
            .filter_map(|c| {
                let p = profile(
                    ds,
                    &SeriesQuery {
                        commodity: c.id.clone(),
                        year: Some(year),
                        ..Default::default()
                    },
                )
                .or_else(|_| {
                    profile(
                        ds,
                        &SeriesQuery {
                            commodity: c.id.clone(),
                            ..Default::default()
                        },
                    )
                })
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
            })
            .collect(),
        Method::GeoPolRisk => {
            let index = crate::geopolrisk::GeoPolRiskIndex::new(ds, trade, None);
            ds.materials
                .iter()
                .map(|m| match index.compute(&m.material, vp, year) {
                    Ok(g) if g.no_trade => RiskRow {
                        commodity: m.commodity.clone(),
                        name: name_of(&m.commodity),
                        score: None,
                        detail: String::new(),
                        year,
                        missing: format!(
                            "{} neither imports nor produces {} in {year} (HS {:?})",
                            vp.name, m.material, g.hs_codes
                        ),
                    },
                    Ok(g) => RiskRow {
                        commodity: m.commodity.clone(),
                        name: name_of(&m.commodity),
                        score: Some(g.score),
                        detail: format!(
                            "HHI {:.3} × import risk {:.3}; CF {:.3} kg Cu-eq/kg",
                            g.hhi, g.import_risk, g.characterisation_factor
                        ),
                        year,
                        missing: String::new(),
                    },
                    Err(e) => RiskRow {
                        commodity: m.commodity.clone(),
                        name: name_of(&m.commodity),
                        score: None,
                        detail: String::new(),
                        year,
                        missing: e.to_string(),
                    },
                })
                .collect()
        }
        Method::Eu => {
            let mut ids: Vec<&str> = ds
                .concordance
                .links
                .iter()
                .map(|l| l.commodity.as_str())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids.into_iter()
                .map(|c| match assess_all_stages(ds, trade, c, vp, year) {
                    Ok(r) => {
                        let detail = match (
                            r.bottleneck,
                            r.stages
                                .iter()
                                .find(|s| Some(s.stage) == r.bottleneck)
                                .and_then(|s| s.result.as_ref()),
                        ) {
                            (Some(st), Some(res)) => format!(
                                "{st}: HHI_GS {:.2}, HHI_src {:.2}, IR {:.2}, EoL-RIR {:.2}",
                                res.hhi_wgi_t_global,
                                res.hhi_wgi_t_sourcing,
                                res.import_reliance,
                                res.eol_rir
                            ),
                            _ => String::new(),
                        };
                        let missing = if r.supply_risk.is_none() {
                            r.stages
                                .iter()
                                .map(|s| format!("{}: {}", s.stage, s.missing))
                                .collect::<Vec<_>>()
                                .join("; ")
                        } else {
                            String::new()
                        };
                        RiskRow {
                            commodity: c.to_string(),
                            name: name_of(c),
                            score: r.supply_risk,
                            detail,
                            year,
                            missing,
                        }
                    }
                    Err(e) => RiskRow {
                        commodity: c.to_string(),
                        name: name_of(c),
                        score: None,
                        detail: String::new(),
                        year,
                        missing: e.to_string(),
                    },
                })
                .collect()
        }
    };
    rows.sort_by(|a, b| match (a.score, b.score) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.commodity.cmp(&b.commodity),
    });
    rows
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
