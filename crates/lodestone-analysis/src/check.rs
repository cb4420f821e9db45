//! Why this file exists: USGS and World Mining Data often print different figures for the same
//! country and year; `lodestone data check` keeps both and reports the gaps that matter.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

use lodestone_model::{Dataset, Measure, Scope, Stage, Unit};

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

/// The citation of a country's first figure in a profile, empty when it is not listed.
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
    let mut report = CheckReport {
        threshold,
        ..Default::default()
    };
    for series in series_in_both(ds) {
        compare_series(ds, &series, &mut report);
    }
    report
}

/// One commodity, stage and year.
struct Series {
    commodity: String,
    stage: Stage,
    year: u16,
}

/// Every series for which both source families print country production figures, in order.
fn series_in_both(ds: &Dataset) -> Vec<Series> {
    let mut keys: BTreeMap<(String, Stage, u16), BTreeSet<SourceFamily>> = BTreeMap::new();
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
    keys.into_iter()
        .filter(|(_, fams)| fams.len() >= 2)
        .map(|((commodity, stage, year), _)| Series {
            commodity,
            stage,
            year,
        })
        .collect()
}

/// Compares one series' USGS and WMD profiles and adds its gaps (or its incomparability) to the
/// report.
fn compare_series(ds: &Dataset, s: &Series, report: &mut CheckReport) {
    let q = |f| SeriesQuery {
        commodity: s.commodity.clone(),
        stage: Some(s.stage),
        year: Some(s.year),
        source: Some(f),
        measure: None,
    };
    let (Ok(u), Ok(w)) = (
        profile(ds, &q(SourceFamily::Usgs)),
        profile(ds, &q(SourceFamily::Wmd)),
    ) else {
        return;
    };
    let Some(conv) = ds.conversions.find(&w.basis, &u.basis) else {
        report.not_comparable.push(NotComparable {
            commodity: s.commodity.clone(),
            stage: s.stage.to_string(),
            year: s.year,
            usgs_basis: u.basis.clone(),
            wmd_basis: w.basis.clone(),
        });
        return;
    };
    let unit: Unit = u.unit.parse().unwrap_or(Unit::Tonne);
    let wunit: Unit = w.unit.parse().unwrap_or(unit);
    report.series_compared += 1;
    if u.denominator <= 0.0 {
        return;
    }
    let conversion = if conv.factor == 1.0 {
        String::new()
    } else {
        format!(
            "WMD {} × {} = {} ({})",
            w.basis, conv.factor, u.basis, conv.citation
        )
    };
    let pair = Pair {
        series: s,
        threshold: report.threshold,
        factor: conv.factor,
        conversion,
        unit,
        wunit,
        u,
        w,
    };
    country_gaps(&pair, report);
    report.gaps.extend(world_gap(&pair));
}

/// The USGS and WMD profiles of one series, with how WMD figures reach the USGS unit and basis.
struct Pair<'a> {
    series: &'a Series,
    threshold: f64,
    u: Profile,
    w: Profile,
    unit: Unit,
    wunit: Unit,
    /// The cited basis factor from WMD's basis to USGS's.
    factor: f64,
    /// How the WMD figures were converted, empty when the factor is 1.
    conversion: String,
}

impl Pair<'_> {
    /// A WMD figure in the USGS unit and basis.
    fn to_usgs(&self, v: f64) -> Option<f64> {
        self.wunit.convert(v, self.unit).map(|x| x * self.factor)
    }

    /// The gap between two figures as a fraction of the USGS denominator.
    fn gap_of_world(&self, usgs: f64, wmd: f64) -> f64 {
        (usgs - wmd).abs() / self.u.denominator
    }

    /// A reported gap for one country (or "WORLD") with the two figures and their sources.
    fn gap(&self, country: &str, figures: (f64, f64), gap: f64, sources: (String, String)) -> Gap {
        Gap {
            commodity: self.series.commodity.clone(),
            stage: self.series.stage.to_string(),
            year: self.series.year,
            country: country.to_string(),
            unit: self.u.unit.clone(),
            basis: self.u.basis.clone(),
            usgs: Some(figures.0),
            wmd: Some(figures.1),
            gap_of_world: gap,
            usgs_source: sources.0,
            wmd_source: sources.1,
            conversion: self.conversion.clone(),
        }
    }
}

/// Compares every country either source lists; withheld or unlisted on one side is not a
/// disagreement about a number.
fn country_gaps(pair: &Pair, report: &mut CheckReport) {
    let (u, w) = (&pair.u, &pair.w);
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
            .and_then(|v| pair.to_usgs(v));
        let (Some(uv), Some(wv)) = (uv, wv) else {
            continue;
        };
        report.countries_compared += 1;
        let gap = pair.gap_of_world(uv, wv);
        if exceeds(gap, pair.threshold) {
            let sources = (source_of(u, iso3), source_of(w, iso3));
            report.gaps.push(pair.gap(iso3, (uv, wv), gap, sources));
        }
    }
}

/// The gap between the two printed world totals, when both exist and it exceeds the threshold.
fn world_gap(pair: &Pair) -> Option<Gap> {
    let uw = pair.u.world_total?;
    let ww = pair.w.world_total.and_then(|v| pair.to_usgs(v))?;
    let gap = pair.gap_of_world(uw, ww);
    if !exceeds(gap, pair.threshold) {
        return None;
    }
    let cite = |p: &Profile| {
        p.world_total_provenance
            .as_ref()
            .map(|p| p.cite())
            .unwrap_or_default()
    };
    Some(pair.gap("WORLD", (uw, ww), gap, (cite(&pair.u), cite(&pair.w))))
}

/// Whether a gap is reported: strictly above the threshold (a NaN gap never is).
fn exceeds(gap: f64, threshold: f64) -> bool {
    gap > threshold
}
