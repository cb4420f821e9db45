//! Why this file exists: supply to 2035 — today's production (the core dataset) plus announced
//! projects, each weighted by a status-dependent chance of coming online and a delay distribution,
//! with Monte Carlo bands on concentration, the concern-set share and Central Asia's share.

use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

use lodestone_analysis::{profile, SeriesQuery};
use lodestone_model::{Dataset, Stage, Unit};

use crate::error::PlanError;
use crate::project::Project;

/// Chance of coming online and the delay distribution (years after the announced start, with
/// probabilities) by status. Documented defaults; callers may pass their own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusModel {
    pub status: String,
    pub probability: f64,
    pub delays: Vec<(u16, f64)>,
}

/// Defaults: producing 1 (already in the base, not added), construction 0.85, financing 0.6,
/// feasibility 0.35, exploration 0.1; delays widen as projects are earlier.
pub fn default_status_models() -> Vec<StatusModel> {
    let m = |s: &str, p: f64, d: &[(u16, f64)]| StatusModel {
        status: s.into(),
        probability: p,
        delays: d.to_vec(),
    };
    vec![
        m("producing", 1.0, &[(0, 1.0)]),
        m("construction", 0.85, &[(0, 0.5), (1, 0.3), (2, 0.2)]),
        m(
            "financing",
            0.6,
            &[(0, 0.3), (1, 0.3), (2, 0.25), (3, 0.15)],
        ),
        m(
            "feasibility",
            0.35,
            &[(1, 0.3), (2, 0.3), (3, 0.25), (4, 0.15)],
        ),
        m(
            "exploration",
            0.1,
            &[(2, 0.3), (3, 0.3), (4, 0.2), (5, 0.2)],
        ),
    ]
}

/// Share of capacity produced `t` years after first production (linear ramp-up).
pub fn ramp(t: i32, ramp_years: u16) -> f64 {
    if t < 0 {
        0.0
    } else if ramp_years == 0 {
        1.0
    } else {
        ((t + 1) as f64 / ramp_years as f64).min(1.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

/// A project as the forecast uses it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub id: String,
    pub country: String,
    pub status: String,
    /// Capacity on the forecast's unit and basis.
    pub capacity: f64,
    pub conversion: String,
    pub probability: f64,
    pub first_production: u16,
    pub ramp_up_years: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearForecast {
    pub year: u16,
    /// Expected world output (unit and basis of the forecast).
    pub world: f64,
    /// Expected production by country, largest first (top 10).
    pub top: Vec<(String, f64)>,
    pub hhi: f64,
    pub concern_share: f64,
    pub c5_share: f64,
    pub hhi_band: Option<Band>,
    pub concern_band: Option<Band>,
    pub c5_band: Option<Band>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    pub commodity: String,
    pub stage: Stage,
    pub unit: String,
    pub basis: String,
    pub base_year: u16,
    pub base_source: String,
    pub contributions: Vec<Contribution>,
    pub years: Vec<YearForecast>,
    pub draws: u32,
    pub notes: Vec<String>,
}

impl Forecast {
    pub fn year(&self, y: u16) -> Option<&YearForecast> {
        self.years.iter().find(|f| f.year == y)
    }

    /// Expected production of a country in a year.
    pub fn expected(&self, iso3: &str, y: u16, base: &BTreeMap<String, f64>) -> f64 {
        base.get(iso3).copied().unwrap_or(0.0)
            + self
                .contributions
                .iter()
                .filter(|c| c.country == iso3)
                .map(|c| expected_addition(c, y, &default_status_models()))
                .sum::<f64>()
    }
}

fn model_of<'a>(models: &'a [StatusModel], status: &str) -> &'a StatusModel {
    models
        .iter()
        .find(|m| m.status == status)
        .unwrap_or(&models[0])
}

/// Expected addition of one project in year `y`: p × Σ_d P(d) × capacity × ramp(y − start − d).
pub fn expected_addition(c: &Contribution, y: u16, models: &[StatusModel]) -> f64 {
    let m = model_of(models, &c.status);
    m.delays
        .iter()
        .map(|(d, pd)| pd * ramp(y as i32 - (c.first_production + d) as i32, c.ramp_up_years))
        .sum::<f64>()
        * c.probability
        * c.capacity
}

fn shares_stats(
    prod: &BTreeMap<String, f64>,
    world: f64,
    concern: &[String],
    c5: &[String],
) -> (f64, f64, f64) {
    if world <= 0.0 {
        return (0.0, 0.0, 0.0);
    }
    let hhi = prod.values().map(|v| (v / world).powi(2)).sum();
    let sum_of = |g: &[String]| {
        prod.iter()
            .filter(|(c, _)| g.contains(c))
            .map(|(_, v)| v / world)
            .sum::<f64>()
    };
    (hhi, sum_of(concern), sum_of(c5))
}

fn band(mut v: Vec<f64>) -> Band {
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    Band {
        p05: q(0.05),
        p50: q(0.5),
        p95: q(0.95),
    }
}

/// The forecast query.
#[derive(Debug, Clone)]
pub struct ForecastQuery {
    pub commodity: String,
    pub stage: Option<Stage>,
    pub to: u16,
    pub only_financed: bool,
    pub draws: u32,
    pub seed: u64,
}

/// Base production by country (the latest year the default series has) and the world total.
pub fn base(
    ds: &Dataset,
    commodity: &str,
    stage: Option<Stage>,
) -> Result<(lodestone_analysis::Profile, BTreeMap<String, f64>, f64), PlanError> {
    let p = profile(
        ds,
        &SeriesQuery {
            commodity: commodity.into(),
            stage,
            ..Default::default()
        },
    )?;
    let base: BTreeMap<String, f64> = p
        .producers
        .iter()
        .filter_map(|r| r.value.map(|v| (r.iso3.clone(), v)))
        .collect();
    let world = p.denominator;
    Ok((p, base, world))
}

/// The dataset id of a commodity the user named, or a usage error with "did you mean".
pub(crate) fn commodity_id(ds: &Dataset, name: &str) -> Result<String, PlanError> {
    ds.commodities
        .lookup(name)
        .map(|c| c.id.clone())
        .map_err(PlanError::from)
}

/// Forecasts supply of a commodity to `to`.
pub fn forecast(
    ds: &Dataset,
    projects: &[Project],
    q: &ForecastQuery,
) -> Result<Forecast, PlanError> {
    let commodity = commodity_id(ds, &q.commodity)?;
    let (p, base, world0) = base(ds, &commodity, q.stage)?;
    if q.to <= p.year || q.to > p.year + 30 {
        return Err(PlanError::Usage(format!(
            "--to {}: expected a year after the base year {} and at most 30 years ahead",
            q.to, p.year
        )));
    }
    let unit: Unit = p.unit.parse().unwrap_or(Unit::Tonne);
    let models = default_status_models();
    let mut notes = Vec::new();
    let mut contributions = Vec::new();
    for pr in projects
        .iter()
        .filter(|x| x.commodity == commodity && x.stage.to_string() == p.stage)
    {
        if q.only_financed && !pr.is_financed() {
            continue;
        }
        if pr.status == "producing" {
            notes.push(format!(
                "{} is producing: its output is already in the {} base",
                pr.id, p.year
            ));
            continue;
        }
        let Some(cap) = pr.capacity.unit.convert(pr.capacity.value, unit) else {
            notes.push(format!(
                "{}: capacity unit {} cannot be converted to {}",
                pr.id, pr.capacity.unit, unit
            ));
            continue;
        };
        let Some(conv) = ds.conversions.find(&pr.capacity.basis, &p.basis) else {
            notes.push(format!(
                "{}: capacity basis {:?} has no cited factor to {:?}; left out",
                pr.id, pr.capacity.basis, p.basis
            ));
            continue;
        };
        contributions.push(Contribution {
            id: pr.id.clone(),
            country: pr.country.clone(),
            status: pr.status.clone(),
            capacity: cap * conv.factor,
            conversion: if conv.factor == 1.0 {
                String::new()
            } else {
                format!(
                    "{} × {} ({})",
                    pr.capacity.basis, conv.factor, conv.citation
                )
            },
            probability: model_of(&models, &pr.status).probability,
            first_production: pr.first_production,
            ramp_up_years: pr.ramp_up_years,
        });
    }
    let concern = ds
        .groups
        .get("concern")
        .map(|g| g.members.clone())
        .unwrap_or_default();
    let c5 = ds
        .groups
        .get("c5")
        .map(|g| g.members.clone())
        .unwrap_or_default();
    let listed: f64 = base.values().sum();
    let unassigned = (world0 - listed).max(0.0);
    let years: Vec<u16> = (p.year + 1..=q.to).collect();
    // Monte Carlo: one ChaCha stream per draw.
    let draws: Vec<Vec<(f64, f64, f64)>> = (0..q.draws)
        .into_par_iter()
        .map(|d| {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(q.seed);
            rng.set_stream(d as u64);
            let online: Vec<Option<u16>> = contributions
                .iter()
                .map(|c| {
                    let m = model_of(&models, &c.status);
                    if rng.random::<f64>() >= c.probability {
                        return None;
                    }
                    let u: f64 = rng.random();
                    let mut acc = 0.0;
                    for (delay, pd) in &m.delays {
                        acc += pd;
                        if u < acc {
                            return Some(c.first_production + delay);
                        }
                    }
                    m.delays.last().map(|(delay, _)| c.first_production + delay)
                })
                .collect();
            years
                .iter()
                .map(|&y| {
                    let mut prod = base.clone();
                    for (c, start) in contributions.iter().zip(&online) {
                        if let Some(s) = start {
                            let add = c.capacity * ramp(y as i32 - *s as i32, c.ramp_up_years);
                            *prod.entry(c.country.clone()).or_insert(0.0) += add;
                        }
                    }
                    let world = prod.values().sum::<f64>() + unassigned;
                    shares_stats(&prod, world, &concern, &c5)
                })
                .collect()
        })
        .collect();
    let mut out_years = Vec::new();
    for (k, &y) in years.iter().enumerate() {
        let mut prod = base.clone();
        for c in &contributions {
            *prod.entry(c.country.clone()).or_insert(0.0) += expected_addition(c, y, &models);
        }
        let world = prod.values().sum::<f64>() + unassigned;
        let (hhi, cs, c5s) = shares_stats(&prod, world, &concern, &c5);
        let mut top: Vec<(String, f64)> = prod.into_iter().collect();
        top.sort_by(|a, b| b.1.total_cmp(&a.1));
        top.truncate(10);
        let pick = |i: usize| -> Option<Band> {
            (!draws.is_empty())
                .then(|| band(draws.iter().map(|d| [d[k].0, d[k].1, d[k].2][i]).collect()))
        };
        out_years.push(YearForecast {
            year: y,
            world,
            top,
            hhi,
            concern_share: cs,
            c5_share: c5s,
            hhi_band: pick(0),
            concern_band: pick(1),
            c5_band: pick(2),
        });
    }
    if unassigned > 0.0 {
        notes.push(format!("{unassigned} {} of the base world total is not assigned to a country (the source's other countries); it is held constant", p.unit));
    }
    Ok(Forecast {
        commodity,
        stage: p.stage.parse().unwrap_or(Stage::Mine),
        unit: p.unit.clone(),
        basis: p.basis.clone(),
        base_year: p.year,
        base_source: format!(
            "{} {} ({})",
            p.source.as_str().to_uppercase(),
            p.edition,
            p.basis
        ),
        contributions,
        years: out_years,
        draws: q.draws,
        notes,
    })
}
