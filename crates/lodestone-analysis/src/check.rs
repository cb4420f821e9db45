//! Why this file exists: USGS and World Mining Data often print different figures for the same
//! country and year; `lodestone data check` keeps both and reports the gaps that matter.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

use lodestone_model::{Dataset, Measure, Scope};

use crate::profile::{profile, Profile};
use crate::select::{SeriesQuery, SourceFamily};

/// One country (or the world row) where the two sources differ by more than the threshold.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub commodity: String,
    pub stage: String,
    pub year: u16,
    /// ISO3, or "WORLD" for the world totals.
    pub country: String,
    pub unit: String,
    pub basis: String,
    pub usgs: Option<f64>,
    pub wmd: Option<f64>,
    /// |USGS − WMD| as a fraction of the USGS world total (the comparison's denominator).
    pub gap_of_world: f64,
    pub usgs_source: String,
    pub wmd_source: String,
    /// The conversion applied to the WMD figure, when the bases differ.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub conversion: String,
}

/// A commodity/stage/year both sources cover but on bases with no cited factor between them.
#[derive(Debug, Clone, Serialize)]
pub struct NotComparable {
    pub commodity: String,
    pub stage: String,
    pub year: u16,
    pub usgs_basis: String,
    pub wmd_basis: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct CheckReport {
    pub threshold: f64,
    pub series_compared: usize,
    pub countries_compared: usize,
    pub gaps: Vec<Gap>,
    pub not_comparable: Vec<NotComparable>,
}

fn source_of(p: &Profile, iso3: &str) -> String {
    p.producers
        .iter()
        .find(|r| r.iso3 == iso3)
        .and_then(|r| r.provenance.first())
        .map(|v| v.cite())
        .unwrap_or_default()
}

/// Compares every commodity, stage and year both source families print for countries.
pub fn check(ds: &Dataset, threshold: f64) -> CheckReport {
    let mut keys: BTreeMap<(String, lodestone_model::Stage, u16), BTreeSet<SourceFamily>> =
        BTreeMap::new();
    for o in &ds.observations {
        if o.measure != Measure::Production || o.scope != Scope::Country || o.value.is_none() {
            continue;
        }
        if let Some(f) = SourceFamily::of(&ds.source(o.source).source) {
            keys.entry((o.commodity.to_string(), o.stage, o.year))
                .or_default()
                .insert(f);
        }
    }
    let mut report = CheckReport {
        threshold,
        ..Default::default()
    };
    for ((commodity, stage, year), fams) in keys {
        if fams.len() < 2 {
            continue;
        }
        let q = |f| SeriesQuery {
            commodity: commodity.clone(),
            stage: Some(stage),
            year: Some(year),
            source: Some(f),
            measure: None,
        };
        let (Ok(u), Ok(w)) = (
            profile(ds, &q(SourceFamily::Usgs)),
            profile(ds, &q(SourceFamily::Wmd)),
        ) else {
            continue;
        };
        let Some(conv) = ds.conversions.find(&w.basis, &u.basis) else {
            report.not_comparable.push(NotComparable {
                commodity: commodity.clone(),
                stage: stage.to_string(),
                year,
                usgs_basis: u.basis.clone(),
                wmd_basis: w.basis.clone(),
            });
            continue;
        };
        let unit: lodestone_model::Unit = u.unit.parse().unwrap_or(lodestone_model::Unit::Tonne);
        let wunit: lodestone_model::Unit = w.unit.parse().unwrap_or(unit);
        let to_u = |v: f64| wunit.convert(v, unit).map(|x| x * conv.factor);
        report.series_compared += 1;
        let denom = u.denominator;
        if denom <= 0.0 {
            continue;
        }
        let conversion = if conv.factor == 1.0 {
            String::new()
        } else {
            format!(
                "WMD {} × {} = {} ({})",
                w.basis, conv.factor, u.basis, conv.citation
            )
        };
        let mut countries: BTreeSet<&str> = u.producers.iter().map(|p| p.iso3.as_str()).collect();
        countries.extend(w.producers.iter().map(|p| p.iso3.as_str()));
        for iso3 in countries {
            let uv = u
                .producers
                .iter()
                .find(|p| p.iso3 == iso3)
                .and_then(|p| p.value);
            let wv = w
                .producers
                .iter()
                .find(|p| p.iso3 == iso3)
                .and_then(|p| p.value)
                .and_then(to_u);
            if uv.is_none() || wv.is_none() {
                continue; // withheld or unlisted on one side: not a disagreement about a number
            }
            report.countries_compared += 1;
            let gap = (uv.unwrap_or(0.0) - wv.unwrap_or(0.0)).abs() / denom;
            if gap > threshold {
                report.gaps.push(Gap {
                    commodity: commodity.clone(),
                    stage: stage.to_string(),
                    year,
                    country: iso3.to_string(),
                    unit: u.unit.clone(),
                    basis: u.basis.clone(),
                    usgs: uv,
                    wmd: wv,
                    gap_of_world: gap,
                    usgs_source: source_of(&u, iso3),
                    wmd_source: source_of(&w, iso3),
                    conversion: conversion.clone(),
                });
            }
        }
        if let (Some(uw), Some(ww)) = (u.world_total, w.world_total.and_then(to_u)) {
            let gap = (uw - ww).abs() / denom;
            if gap > threshold {
                report.gaps.push(Gap {
                    commodity: commodity.clone(),
                    stage: stage.to_string(),
                    year,
                    country: "WORLD".into(),
                    unit: u.unit.clone(),
                    basis: u.basis.clone(),
                    usgs: Some(uw),
                    wmd: Some(ww),
                    gap_of_world: gap,
                    usgs_source: u
                        .world_total_provenance
                        .as_ref()
                        .map(|p| p.cite())
                        .unwrap_or_default(),
                    wmd_source: w
                        .world_total_provenance
                        .as_ref()
                        .map(|p| p.cite())
                        .unwrap_or_default(),
                    conversion: conversion.clone(),
                });
            }
        }
    }
    report
}
