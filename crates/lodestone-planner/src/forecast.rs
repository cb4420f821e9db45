//! Why this file exists: supply to 2035 — today's production (the core dataset) plus announced
//! projects, each weighted by a status-dependent chance of coming online and a delay distribution,
//! with Monte Carlo bands on concentration, the concern-set share and Central Asia's share.

use rand::Rng;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

use lodestone_analysis::montecarlo;
pub use lodestone_analysis::montecarlo::Band;
use lodestone_analysis::{control, profile, Control, Profile, SeriesQuery};
use lodestone_model::ownership::{controlled_by, held_by};
use lodestone_model::{Asset, Cancel, Dataset, Stage, Unit};

use crate::error::PlanError;
use crate::project::{Evidence, EvidenceKind, Project, ProjectStatus};
use lodestone_model::OutputEffect;

/// Chance of coming online and the delay distribution (years after the announced start, with
/// probabilities) by status. Documented defaults; callers may pass their own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusModel {
    pub status: ProjectStatus,
    pub probability: f64,
    pub delays: Vec<(u16, f64)>,
}

/// Defaults: producing 1 (already in the base, not added), construction 0.85, financing 0.6,
/// feasibility 0.35, exploration 0.1; delays widen as projects are earlier.
pub fn default_status_models() -> Vec<StatusModel> {
    use ProjectStatus::{Construction, Exploration, Feasibility, Financing, Producing};
    let m = |status: ProjectStatus, p: f64, d: &[(u16, f64)]| StatusModel {
        status,
        probability: p,
        delays: d.to_vec(),
    };
    vec![
        m(Producing, 1.0, &[(0, 1.0)]),
        m(Construction, 0.85, &[(0, 0.5), (1, 0.3), (2, 0.2)]),
        m(Financing, 0.6, &[(0, 0.3), (1, 0.3), (2, 0.25), (3, 0.15)]),
        m(
            Feasibility,
            0.35,
            &[(1, 0.3), (2, 0.3), (3, 0.25), (4, 0.15)],
        ),
        m(Exploration, 0.1, &[(2, 0.3), (3, 0.3), (4, 0.2), (5, 0.2)]),
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

/// A project as the forecast uses it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contribution {
    pub id: String,
    pub country: String,
    pub status: ProjectStatus,
    /// Capacity on the forecast's unit and basis.
    pub capacity: f64,
    pub conversion: String,
    pub probability: f64,
    /// The evidence the probability rests on (or the status it falls back to).
    pub evidence: String,
    pub first_production: u16,
    pub ramp_up_years: u16,
    /// Share of capacity already in the base year's figures (a producing project ramping up).
    pub base_ramp: f64,
    /// Share held by owners from the concern set, and whether that controls the project
    /// (25 % rule, [`lodestone_model::ownership::CONTROL_RULE`]).
    pub concern_held: f64,
    pub controlled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearForecast {
    pub year: u16,
    /// Expected world output (unit and basis of the forecast).
    pub world: f64,
    /// Expected production by country, largest first (top 10).
    pub top: Vec<(String, f64)>,
    pub hhi: f64,
    pub concern_share: f64,
    pub c5_share: f64,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub hhi_band: Option<Band>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub concern_band: Option<Band>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub c5_band: Option<Band>,
    /// Share controlled by the concern set through ownership (expected path): low and high
    /// ends; `None` when the ownership registry has no asset for the stage.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub concern_controlled: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The base year's control by the concern set through ownership, with the assets and their
    /// owners (`None` when the ownership registry has no asset for the stage).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub control: Option<Control>,
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

/// The model of a status (the first model when the list has none for it).
fn model_of(models: &[StatusModel], status: ProjectStatus) -> &StatusModel {
    models
        .iter()
        .find(|m| m.status == status)
        .unwrap_or(&models[0])
}

/// Expected addition of one project in year `y`:
/// p × Σ_d P(d) × capacity × (ramp(y − start − d) − what the base already holds).
pub fn expected_addition(c: &Contribution, y: u16, models: &[StatusModel]) -> f64 {
    let m = model_of(models, c.status);
    m.delays
        .iter()
        .map(|(d, pd)| {
            pd * (ramp(y as i32 - (c.first_production + d) as i32, c.ramp_up_years) - c.base_ramp)
                .max(0.0)
        })
        .sum::<f64>()
        * c.probability
        * c.capacity
}

/// The chance a project comes online, from its recorded evidence (Lodestone's documented
/// tiers): producing 1; construction or binding finance 0.85; two of conditional finance,
/// binding offtake and permits 0.6, one of them 0.45; a completed feasibility study 0.3;
/// letters of interest or MoUs only 0.2; exploration 0.1. Without evidence, the status model.
pub fn evidence_probability(evidence: &[Evidence]) -> Option<(f64, String)> {
    use EvidenceKind as K;
    let has = |k: K| evidence.iter().any(|e| e.kind == k);
    let names = |ks: &[K]| {
        ks.iter()
            .filter(|k| has(**k))
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let advanced = [K::ConditionalFinance, K::Offtake, K::Permits];
    let n_advanced = advanced.iter().filter(|k| has(**k)).count();
    let (p, why) = if has(K::Producing) {
        (1.0, "producing".to_string())
    } else if has(K::Construction) || has(K::BindingFinance) {
        (0.85, names(&[K::Construction, K::BindingFinance]))
    } else if n_advanced >= 2 {
        (0.6, names(&advanced))
    } else if n_advanced == 1 {
        (0.45, names(&advanced))
    } else if has(K::FeasibilityStudy) {
        (0.3, names(&[K::FeasibilityStudy, K::LetterOfInterest]))
    } else if has(K::LetterOfInterest) {
        (0.2, "letter-of-interest only (non-binding)".to_string())
    } else if has(K::Exploration) {
        (0.1, "exploration".to_string())
    } else {
        return None;
    };
    Some((p, why))
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
    // `+ 0.0`: a sum over no countries is −0.0 in Rust; shares are never negative zero.
    let hhi = prod.values().map(|v| (v / world).powi(2)).sum::<f64>() + 0.0;
    let sum_of = |g: &[String]| {
        prod.iter()
            .filter(|(c, _)| g.contains(c))
            .map(|(_, v)| v / world)
            .sum::<f64>()
            + 0.0
    };
    (hhi, sum_of(concern), sum_of(c5))
}

/// The forecast query.
#[derive(Debug, Clone, Default)]
pub struct ForecastQuery {
    pub commodity: String,
    pub stage: Option<Stage>,
    pub to: u16,
    pub only_financed: bool,
    pub draws: u32,
    pub seed: u64,
    /// Announced output changes (from the events registry) the forecast applies.
    pub effects: Vec<OutputEffect>,
    /// The asset-ownership registry, for the share the concern set controls.
    pub assets: Vec<Asset>,
}

/// Base production by country (the latest year the default series has) and the world total.
pub fn base(
    ds: &Dataset,
    commodity: &str,
    stage: Option<Stage>,
) -> Result<(Profile, BTreeMap<String, f64>, f64), PlanError> {
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
    forecast_until(ds, projects, q, &Cancel::never())
}

/// [`forecast`], stopping with [`PlanError::Cancelled`] soon after `cancel` is set (the draws
/// check it).
pub fn forecast_until(
    ds: &Dataset,
    projects: &[Project],
    q: &ForecastQuery,
    cancel: &Cancel,
) -> Result<Forecast, PlanError> {
    let commodity = commodity_id(ds, &q.commodity)?;
    let (p, base, world0) = base(ds, &commodity, q.stage)?;
    if q.to <= p.year || q.to > p.year + 30 {
        return Err(PlanError::Usage(format!(
            "--to {}: expected a year after the base year {} and at most 30 years ahead",
            q.to, p.year
        )));
    }
    let models = default_status_models();
    let (contributions, mut notes) = contributions(ds, projects, q, &commodity, &p, &models);
    let listed: f64 = base.values().sum();
    let effects = applicable_effects(q, &commodity, &p, &mut notes);
    let control = control(ds, &p, &q.assets, "concern");
    let start = Start {
        effects,
        unassigned: (world0 - listed).max(0.0),
        base,
        concern: group_members(ds, "concern"),
        c5: group_members(ds, "c5"),
        controlled_abroad: control.as_ref().map(|c| {
            (
                (c.controlled_low - c.by_location) * world0,
                (c.controlled_high - c.controlled_low) * world0,
            )
        }),
    };
    let years: Vec<u16> = (p.year + 1..=q.to).collect();
    let draws = monte_carlo(q, &contributions, &models, &start, &years, cancel)?;
    let out_years = years
        .iter()
        .enumerate()
        .map(|(k, &y)| year_forecast(y, &contributions, &models, &start, drawn_year(&draws, k)))
        .collect();
    if control.is_some() {
        notes.push(format!(
            "controlled share: the base year's assets abroad controlled by the concern set are held \
             at their {} output; projects abroad add their expected output when owners from the \
             concern set hold 25 % or more",
            p.year
        ));
    }
    if start.unassigned > 0.0 {
        notes.push(format!("{} {} of the base world total is not assigned to a country (the source's other countries); it is held constant", start.unassigned, p.unit));
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
        control,
        notes,
    })
}

/// What every forecast year starts from: base production by country, the part of the world
/// total no country holds (held constant), and the groups whose shares are reported.
struct Start {
    base: BTreeMap<String, f64>,
    /// Announced outputs that replace the model's figure for a country and year.
    effects: Vec<OutputEffect>,
    unassigned: f64,
    concern: Vec<String>,
    c5: Vec<String>,
    /// Base-year output abroad known to be controlled by the concern set, and output that may be
    /// (the open part of the range); `None` without ownership data.
    controlled_abroad: Option<(f64, f64)>,
}

impl Start {
    /// World output, HHI, concern-set share and C5 share of production by country.
    fn stats(&self, prod: &BTreeMap<String, f64>) -> (f64, (f64, f64, f64)) {
        let world = prod.values().sum::<f64>() + self.unassigned;
        (world, shares_stats(prod, world, &self.concern, &self.c5))
    }
}

/// The announced outputs for the commodity in the forecast's years and basis; each applied one
/// and each left out (another basis) is named in the notes.
fn applicable_effects(
    q: &ForecastQuery,
    commodity: &str,
    p: &Profile,
    notes: &mut Vec<String>,
) -> Vec<OutputEffect> {
    let mut out = Vec::new();
    for e in q
        .effects
        .iter()
        .filter(|e| e.commodity == commodity && e.year > p.year && e.year <= q.to)
    {
        if e.basis != p.basis || p.unit != "t" {
            notes.push(format!(
                "event {} ({} {} in {}) not applied: its figures are t {}, the forecast's {} {}",
                e.event, e.country, e.commodity, e.year, e.basis, p.unit, p.basis
            ));
            continue;
        }
        notes.push(format!(
            "event {} sets {} output in {} to {:.0}–{:.0} t {} (middle {:.0} in the expected path; drawn uniformly in the bands){}",
            e.event,
            e.country,
            e.year,
            e.low_t,
            e.high_t,
            e.basis,
            e.mid(),
            if e.scope.is_empty() { String::new() } else { format!("; {}", e.scope) }
        ));
        out.push(e.clone());
    }
    out
}

/// Members of a country group (none when the dataset lacks it).
fn group_members(ds: &Dataset, group: &str) -> Vec<String> {
    ds.groups
        .get(group)
        .map(|g| g.members.clone())
        .unwrap_or_default()
}

/// The projects that add to the base, and notes on those left out (producing, or capacity in a
/// unit or basis that cannot be converted).
fn contributions(
    ds: &Dataset,
    projects: &[Project],
    q: &ForecastQuery,
    commodity: &str,
    p: &Profile,
    models: &[StatusModel],
) -> (Vec<Contribution>, Vec<String>) {
    let unit: Unit = p.unit.parse().unwrap_or(Unit::Tonne);
    let (mut out, mut notes) = (Vec::new(), Vec::new());
    for pr in projects
        .iter()
        .filter(|x| x.commodity == commodity && x.stage.to_string() == p.stage)
    {
        if q.only_financed && !pr.is_financed() {
            continue;
        }
        match contribution(ds, pr, p, unit, models) {
            Ok(c) => out.push(c),
            Err(note) => notes.push(note),
        }
    }
    (out, notes)
}

/// One project's capacity on the forecast's unit and basis, or why it is left out.
fn contribution(
    ds: &Dataset,
    pr: &Project,
    p: &Profile,
    unit: Unit,
    models: &[StatusModel],
) -> Result<Contribution, String> {
    let base_ramp = if pr.status == ProjectStatus::Producing {
        ramp(
            i32::from(p.year) - i32::from(pr.first_production),
            pr.ramp_up_years,
        )
    } else {
        0.0
    };
    if base_ramp >= 1.0 {
        return Err(format!(
            "{} has produced at capacity since before {}: its output is in the base",
            pr.id, p.year
        ));
    }
    let Some(cap) = pr.capacity.unit.convert(pr.capacity.value, unit) else {
        return Err(format!(
            "{}: capacity unit {} cannot be converted to {}",
            pr.id, pr.capacity.unit, unit
        ));
    };
    let Some(conv) = ds.conversions.find(&pr.capacity.basis, &p.basis) else {
        return Err(format!(
            "{}: capacity basis {:?} has no cited factor to {:?}; left out",
            pr.id, pr.capacity.basis, p.basis
        ));
    };
    let (probability, evidence) = match evidence_probability(&pr.evidence) {
        Some(e) => e,
        None => (
            model_of(models, pr.status).probability,
            format!("status {} (no evidence recorded)", pr.status),
        ),
    };
    Ok(Contribution {
        id: pr.id.clone(),
        country: pr.country.clone(),
        status: pr.status,
        capacity: cap * conv.factor,
        conversion: if conv.factor == 1.0 {
            String::new()
        } else {
            format!(
                "{} × {} ({})",
                pr.capacity.basis, conv.factor, conv.citation
            )
        },
        probability,
        evidence,
        first_production: pr.first_production,
        ramp_up_years: pr.ramp_up_years,
        base_ramp,
        concern_held: held_by(&pr.owners, &group_members(ds, "concern")),
        controlled: controlled_by(&pr.owners, &group_members(ds, "concern")),
    })
}

/// One draw's (HHI, concern share, C5 share) for each forecast year.
type DrawnYears = Vec<(f64, f64, f64)>;

/// HHI, concern share and C5 share per year in every draw, one seeded stream per draw.
fn monte_carlo(
    q: &ForecastQuery,
    contributions: &[Contribution],
    models: &[StatusModel],
    start: &Start,
    years: &[u16],
    cancel: &Cancel,
) -> Result<Vec<DrawnYears>, PlanError> {
    (0..q.draws)
        .into_par_iter()
        .map(|d| {
            if cancel.is_cancelled() {
                return None;
            }
            let mut rng = montecarlo::stream(q.seed, u64::from(d));
            let online: Vec<Option<u16>> = contributions
                .iter()
                .map(|c| online_year(c, model_of(models, c.status), &mut rng))
                .collect();
            let per_year = years
                .iter()
                .map(|&y| {
                    let mut prod = start.base.clone();
                    for (c, online_from) in contributions.iter().zip(&online) {
                        if let Some(s) = online_from {
                            let add = c.capacity
                                * (ramp(y as i32 - *s as i32, c.ramp_up_years) - c.base_ramp)
                                    .max(0.0);
                            *prod.entry(c.country.clone()).or_insert(0.0) += add;
                        }
                    }
                    for e in start.effects.iter().filter(|e| e.year == y) {
                        let u: f64 = rng.random();
                        prod.insert(e.country.clone(), e.low_t + u * (e.high_t - e.low_t));
                    }
                    start.stats(&prod).1
                })
                .collect();
            Some(per_year)
        })
        .collect::<Option<Vec<_>>>()
        .ok_or(PlanError::Cancelled)
}

/// The year a project starts producing in one draw: it comes online with its status's
/// probability, after a delay drawn from its status's distribution; `None` when it does not.
fn online_year(c: &Contribution, m: &StatusModel, rng: &mut impl Rng) -> Option<u16> {
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
}

/// The draws' HHI, concern share and C5 share of year `k`, as three columns.
fn drawn_year(draws: &[Vec<(f64, f64, f64)>], k: usize) -> [Vec<f64>; 3] {
    [
        draws.iter().map(|d| d[k].0).collect(),
        draws.iter().map(|d| d[k].1).collect(),
        draws.iter().map(|d| d[k].2).collect(),
    ]
}

/// One year: expected production by country and its shares, with the draws' bands.
fn year_forecast(
    y: u16,
    contributions: &[Contribution],
    models: &[StatusModel],
    start: &Start,
    drawn: [Vec<f64>; 3],
) -> YearForecast {
    let mut prod = start.base.clone();
    for c in contributions {
        *prod.entry(c.country.clone()).or_insert(0.0) += expected_addition(c, y, models);
    }
    for e in start.effects.iter().filter(|e| e.year == y) {
        prod.insert(e.country.clone(), e.mid());
    }
    let (world, (hhi, concern_share, c5_share)) = start.stats(&prod);
    let concern_controlled = start.controlled_abroad.map(|(known, open)| {
        let projects: f64 = contributions
            .iter()
            .filter(|c| c.controlled && !start.concern.contains(&c.country))
            .map(|c| expected_addition(c, y, models))
            .sum();
        let low = (concern_share + (known + projects) / world).min(1.0);
        (low, (low + open / world).min(1.0))
    });
    let mut top: Vec<(String, f64)> = prod.into_iter().collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1));
    top.truncate(10);
    let [hhi_band, concern_band, c5_band] = drawn.map(Band::of);
    YearForecast {
        year: y,
        world,
        top,
        hhi,
        concern_share,
        c5_share,
        hhi_band,
        concern_band,
        c5_band,
        concern_controlled,
    }
}
