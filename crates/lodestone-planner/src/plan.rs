//! Why this file exists: the diversification planner — for an importer, commodity, stage and
//! target year, the shares of its need by origin that minimise governance-weighted
//! concentration (Σ s² × weight) plus a weighted cost proxy, buying only from countries that
//! produce the stage (see [`crate::supply`]), never from excluded ones, within each origin's
//! offer, the caps and floors, and (as a mixed-integer program, [`crate::mix`]) a maximum
//! number of suppliers and a minimum share per chosen one.
//!
//! [`plan`] is a pipeline: resolve the request, measure supply at origin and the need, gather
//! the candidate suppliers (offers, governance, preference weight, cost proxy, flags), check
//! that the caps and floors leave a feasible mix, solve, and explain the result — risk and cost
//! before and after, the binding constraints and why each supplier was chosen.

use lodestone_analysis::dependence::{
    latest_import_year, product_sets, set_codes, traded_stages, ProductSet,
};
use lodestone_analysis::eu_supply_risk::scaled_wgi;
use lodestone_analysis::viewpoint::Viewpoint;
use lodestone_model::{Dataset, Restriction, Stage, TradeData};
use serde::Serialize;

use crate::error::PlanError;
use crate::forecast::{commodity_id, forecast, Forecast, ForecastQuery};
use crate::mix::solve_mix;
pub use crate::mix::{solve, Group, Limits, Problem};
use crate::project::Project;
use crate::supply::{measure, Demand, Request as SupplyRequest, Supply};

/// A constraint on the share of a country or group ("CHN", "concern", "c5").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bound {
    pub target: String,
    pub value: f64,
}

impl std::str::FromStr for Bound {
    type Err = String;

    /// Parses `WHO=SHARE`, e.g. `CHN=0.2` or `concern=0.3`.
    fn from_str(x: &str) -> Result<Self, String> {
        let (who, v) = x
            .split_once('=')
            .ok_or_else(|| format!("{x:?}: expected WHO=SHARE, e.g. CHN=0.2"))?;
        let value: f64 = v
            .trim()
            .parse()
            .map_err(|_| format!("{x:?}: {v:?} is not a number"))?;
        if !value.is_finite() {
            return Err(format!("{x:?}: {v:?} is not a finite number"));
        }
        Ok(Bound {
            target: who.trim().to_string(),
            value,
        })
    }
}

/// The group whose members are never planned from (redefine it in lodestone.toml).
pub const SANCTIONED: &str = "sanctioned";

/// The group whose members are flagged as conflict-affected or high-risk.
pub const CAHRA: &str = "cahra";

#[derive(Debug, Clone, Default)]
pub struct PlanQuery {
    pub commodity: String,
    pub stage: Option<Stage>,
    pub importer: String,
    pub year: u16,
    pub caps: Vec<Bound>,
    pub floors: Vec<Bound>,
    /// Countries or groups whose preference weight is halved (a stated preference).
    pub prefer: Vec<String>,
    /// Weight of the cost proxy against risk.
    pub cost_weight: f64,
    pub frontier: bool,
    /// Supplier limits (a mixed-integer program when set).
    pub limits: Limits,
    /// Let trading hubs (exports without production at the stage) offer their exports.
    pub allow_hubs: bool,
    /// Countries or groups never planned from, besides the `sanctioned` group.
    pub exclude: Vec<String>,
    /// Export restrictions in force (flagged on the origins they bind).
    pub restrictions: Vec<Restriction>,
}

/// One origin in the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OriginPlan {
    pub origin: String,
    pub name: String,
    /// "producer", "hub" (exports without production at the stage) or "home".
    pub role: String,
    /// Share of the importer's use today (its imports by origin, scaled to the need).
    pub current_share: f64,
    pub planned_share: f64,
    pub planned_t: f64,
    /// Largest share the origin's offer allows.
    pub max_share: f64,
    pub offer_t: f64,
    /// The governance indicator: World Bank WGI, six-indicator mean, scaled 0 (best) – 10
    /// (worst); `None` where the WGI has no figure (the median stands in, in `weight`).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub wgi: Option<f64>,
    /// The weight the optimiser used: the WGI (or the median), halved for preferred origins,
    /// and for a hub the import-weighted WGI of the countries it buys from.
    pub weight: f64,
    /// Export unit value relative to the median origin (cost proxy).
    pub relative_cost: f64,
    /// Conflict-affected or high-risk, export restrictions in force: each with its source.
    pub flags: Vec<String>,
    /// Why the origin takes its planned share (empty when it takes none).
    pub why: String,
}

/// An origin the plan may not buy from, with what it supplies today.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Excluded {
    pub origin: String,
    /// The group or country that excludes it.
    pub by: String,
    pub current_share: f64,
    pub offer_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    pub commodity: String,
    pub stage: Stage,
    pub importer: String,
    pub year: u16,
    pub trade_year: u16,
    /// The basis every tonne and share is on.
    pub basis: String,
    pub demand: Demand,
    /// Share of use met by the importer's own production (fixed, not planned).
    pub home_share: f64,
    pub origins: Vec<OriginPlan>,
    pub excluded: Vec<Excluded>,
    pub limits: Limits,
    pub risk_before: f64,
    pub risk_after: f64,
    pub cost_before: f64,
    pub cost_after: f64,
    /// Constraints that hold with equality at the optimum.
    pub binding: Vec<String>,
    /// (cost weight, risk, cost) along the risk–cost frontier.
    pub frontier: Vec<(f64, f64, f64)>,
    pub notes: Vec<String>,
}

/// The resolved id and member countries of a country or group.
fn members_of(ds: &Dataset, target: &str) -> Result<(String, Vec<String>), PlanError> {
    let p = ds.place(target)?;
    Ok((p.id, p.members))
}

/// Cost weights along the risk–cost frontier.
const FRONTIER_WEIGHTS: [f64; 9] = [0.0, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0];

/// Plans the sourcing mix: resolve the request, measure supply at origin and the need, gather
/// the suppliers, check the caps and floors, solve and explain.
pub fn plan(
    ds: &Dataset,
    trade: &TradeData,
    projects: &[Project],
    q: &PlanQuery,
) -> Result<Plan, PlanError> {
    check_limits(q)?;
    let commodity = commodity_id(ds, &q.commodity)?;
    let stages = match q.stage {
        Some(s) => vec![s],
        None => traded_stages(ds, &commodity),
    };
    let mut skipped: Vec<String> = Vec::new();
    for (stage, set) in stages.into_iter().flat_map(|st| {
        product_sets(ds, &commodity, st)
            .into_iter()
            .map(move |set| (st, set))
    }) {
        let req = resolve_request(ds, trade, q, &commodity, stage, set)?;
        let fc = target_year_forecast(ds, projects, &req, q.year);
        match measure(ds, trade, &supply_request(&req, q), fc.as_ref()) {
            Ok(supply) => {
                let mut p = plan_stage(ds, q, req, &supply)?;
                if !skipped.is_empty() {
                    p.notes.insert(0, format!("stage and products chosen: the first traded stage {} needs from abroad, in world trade where it can be seen ({})", p.importer, skipped.join("; ")));
                }
                return Ok(p);
            }
            Err(PlanError::NoData(why)) => {
                skipped.push(why);
            }
            Err(e) => return Err(e),
        }
    }
    Err(PlanError::NoData(if skipped.is_empty() {
        format!("{commodity} has no HS code in the concordance at the stage, so no trade to plan")
    } else {
        skipped.join("; ")
    }))
}

/// What the supply measurement needs from the request.
fn supply_request<'a>(req: &'a Request, q: &PlanQuery) -> SupplyRequest<'a> {
    SupplyRequest {
        commodity: &req.commodity,
        stage: req.stage,
        vp: &req.vp,
        trade_year: req.trade_year,
        codes: &req.codes,
        target_year: q.year,
        allow_hubs: q.allow_hubs,
        world_trade: req.set == ProductSet::Reconciled,
    }
}

/// The plan at one stage once supply and the need are measured.
fn plan_stage(
    ds: &Dataset,
    q: &PlanQuery,
    req: Request,
    supply: &Supply,
) -> Result<Plan, PlanError> {
    let sup = gather_suppliers(ds, q, &req, supply)?;
    let groups = constraint_groups(ds, q, &sup.origins)?;
    let total = 1.0 - sup.home_share;
    check_feasibility(&sup.upper, &groups, total, &req.vp.name, &supply.demand)?;
    let problem = Problem {
        w: sup.weight.clone(),
        k: sup.k.clone(),
        upper: sup.upper.clone(),
        groups,
        total,
    };
    let shares = solve_mix(&problem, q.limits, q.cost_weight)?;
    Ok(explain(ds, q, req, supply, &sup, &problem, &shares))
}

/// Supplier limits must make sense before anything is measured.
fn check_limits(q: &PlanQuery) -> Result<(), PlanError> {
    if q.limits.max_suppliers == Some(0) {
        return Err(PlanError::Usage(
            "--max-suppliers 0: expected at least one supplier".into(),
        ));
    }
    if let Some(m) = q.limits.min_share {
        if !(0.0..=1.0).contains(&m) {
            return Err(PlanError::Usage(format!(
                "--min-share {m}: expected a share between 0 and 1, e.g. 0.05"
            )));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- resolve the request

/// The request resolved against the dataset and the trade data.
struct Request {
    commodity: String,
    stage: Stage,
    vp: Viewpoint,
    /// The latest year with trade data: the base of the plan.
    trade_year: u16,
    /// The commodity's codes at the stage in one product set.
    codes: Vec<u32>,
    set: ProductSet,
}

/// Resolves the importer, the base trade year and the stage's products.
fn resolve_request(
    ds: &Dataset,
    trade: &TradeData,
    q: &PlanQuery,
    commodity: &str,
    stage: Stage,
    set: ProductSet,
) -> Result<Request, PlanError> {
    let commodity = commodity.to_string();
    let vp = Viewpoint::resolve(ds, trade, &q.importer)?;
    let latest = *trade
        .years()
        .last()
        .ok_or_else(|| PlanError::NoData("no trade data".into()))?;
    // The latest year the importer's imports of these products are reported (processed forms
    // come from yearbooks that end earlier than the world table).
    let trade_year = latest_import_year(ds, trade, &commodity, stage, set, &vp)
        .filter(|y| *y <= latest)
        .unwrap_or(latest);
    if q.year < latest {
        return Err(PlanError::Usage(format!(
            "--year {}: a plan is for the trade data's latest year {latest} or later",
            q.year
        )));
    }
    let codes = set_codes(ds, &commodity, stage, set);
    Ok(Request {
        commodity,
        stage,
        vp,
        trade_year,
        codes,
        set,
    })
}

/// The supply forecast to the target year (the stage's, else the commodity's default series),
/// or None when the target year is not after the base year or no forecast can be made.
fn target_year_forecast(
    ds: &Dataset,
    projects: &[Project],
    req: &Request,
    year: u16,
) -> Option<Forecast> {
    if year <= req.trade_year {
        return None;
    }
    let query = |stage: Option<Stage>| ForecastQuery {
        commodity: req.commodity.clone(),
        stage,
        to: year,
        draws: 0,
        ..Default::default()
    };
    forecast(ds, projects, &query(Some(req.stage)))
        .or_else(|_| forecast(ds, projects, &query(None)))
        .ok()
}

// ---------------------------------------------------------------- gather the suppliers

/// The candidate origins and what the optimiser weighs them by, all per origin.
struct Suppliers {
    origins: Vec<String>,
    /// The WGI scaled 0–10 (`None`: missing).
    wgi: Vec<Option<f64>>,
    /// The weight used: WGI (or median, at least 0.05), halved when preferred; a hub's traced.
    weight: Vec<f64>,
    /// Cost index: export unit value relative to the median origin.
    k: Vec<f64>,
    /// Largest share the origin's offer allows.
    upper: Vec<f64>,
    /// The origin's share of use today.
    current: Vec<f64>,
    hub: Vec<bool>,
    flags: Vec<Vec<String>>,
    preferred: Vec<bool>,
    /// Share of use met at home.
    home_share: f64,
    wgi_year: u16,
    wgi_median: f64,
    excluded: Vec<Excluded>,
}

/// Every origin that supplies the importer today or offers anything, with weights, cost
/// indices, bounds (0 for excluded origins and, by default, hubs), current shares and flags.
fn gather_suppliers(
    ds: &Dataset,
    q: &PlanQuery,
    req: &Request,
    supply: &Supply,
) -> Result<Suppliers, PlanError> {
    let d = &supply.demand;
    let origins: Vec<String> = supply
        .origins
        .iter()
        .filter(|(c, o)| !req.vp.contains(c) && (o.offer > 0.0 || o.to_importer > 0.0))
        .map(|(c, _)| c.clone())
        .collect();
    let (wgi_year, wgi_map, wgi_median) = scaled_wgi(ds, req.trade_year);
    let preferred_set = preferred_members(ds, &q.prefer)?;
    let exclusions = exclusion_sets(ds, &q.exclude)?;
    let home_share = d.production_t.map_or(0.0, |p| p / d.of_t);
    let total = 1.0 - home_share;
    let imports_total: f64 = origins.iter().map(|c| supply.origins[c].to_importer).sum();
    let base_weight = |c: &str| wgi_map.get(c).copied().unwrap_or(wgi_median).max(0.05);
    let mut s = Suppliers {
        wgi: origins.iter().map(|c| wgi_map.get(c).copied()).collect(),
        weight: Vec::new(),
        k: cost_indices(&unit_values(&origins, supply)),
        upper: Vec::new(),
        current: Vec::new(),
        hub: Vec::new(),
        flags: Vec::new(),
        preferred: origins.iter().map(|c| preferred_set.contains(c)).collect(),
        home_share,
        wgi_year,
        wgi_median,
        excluded: Vec::new(),
        origins: Vec::new(),
    };
    for c in &origins {
        let o = &supply.origins[c];
        let current = if imports_total > 0.0 {
            o.to_importer / imports_total * total
        } else {
            0.0
        };
        let offer_share = (o.offer / d.of_t).min(total);
        let by = exclusions
            .iter()
            .find(|(_, m)| m.contains(c))
            .map(|(g, _)| g);
        if let Some(g) = by {
            s.excluded.push(Excluded {
                origin: c.clone(),
                by: g.clone(),
                current_share: current,
                offer_share,
            });
        }
        let traced = if o.hub {
            hub_weight(c, supply, &base_weight)
        } else {
            base_weight(c)
        };
        let pref = preferred_set.contains(c);
        s.weight.push(if pref { traced * 0.5 } else { traced });
        s.upper.push(if by.is_some() { 0.0 } else { offer_share });
        s.current.push(current);
        s.hub.push(o.hub);
        s.flags.push(flags_of(ds, q, req, c));
    }
    s.origins = origins;
    Ok(s)
}

/// The sanctioned group and every user exclusion, as (name, members).
fn exclusion_sets(
    ds: &Dataset,
    exclude: &[String],
) -> Result<Vec<(String, Vec<String>)>, PlanError> {
    let mut sets: Vec<(String, Vec<String>)> = ds
        .groups
        .get(SANCTIONED)
        .map(|g| vec![(SANCTIONED.to_string(), g.members.clone())])
        .unwrap_or_default();
    for e in exclude {
        sets.push(members_of(ds, e)?);
    }
    Ok(sets)
}

/// A hub's weight traced back to where it buys: the import-weighted weight of its sources.
fn hub_weight(hub: &str, supply: &Supply, base: &impl Fn(&str) -> f64) -> f64 {
    let Some(from) = supply.imports_by.get(hub) else {
        return base(hub);
    };
    let total: f64 = from.iter().filter(|(c, _)| *c != hub).map(|(_, v)| v).sum();
    if total <= 0.0 {
        return base(hub);
    }
    from.iter()
        .filter(|(c, _)| *c != hub)
        .map(|(c, v)| v / total * base(c))
        .sum()
}

/// Conflict-affected and high-risk listing, and export restrictions in force on the stage.
fn flags_of(ds: &Dataset, q: &PlanQuery, req: &Request, c: &str) -> Vec<String> {
    let mut flags = Vec::new();
    if let Some(g) = ds.groups.get(CAHRA).filter(|g| g.contains(c)) {
        flags.push(format!(
            "listed in {} (group `{CAHRA}`; source in `lodestone groups`)",
            g.name
        ));
    }
    for r in q.restrictions.iter().filter(|r| {
        r.country == c
            && r.commodity == req.commodity
            && r.stage.is_none_or(|s| {
                s == lodestone_model::AssessedStage::Both
                    || s == lodestone_model::AssessedStage::of(req.stage)
            })
            && (r.targets.is_empty() || r.targets.iter().any(|t| req.vp.contains(t)))
    }) {
        flags.push(format!(
            "{} since {} (event {})",
            r.measure, r.since, r.event
        ));
    }
    flags
}

/// The member countries of every preferred country or group.
fn preferred_members(ds: &Dataset, prefer: &[String]) -> Result<Vec<String>, PlanError> {
    let mut members = Vec::new();
    for p in prefer {
        members.extend(members_of(ds, p)?.1);
    }
    Ok(members)
}

/// Export unit value per origin (thousand USD per gross tonne), or 0 for thin flows: origins
/// exporting under 0.5 % of world tonnes, whose unit values are noise.
fn unit_values(origins: &[String], supply: &Supply) -> Vec<f64> {
    let world: f64 = supply.origins.values().map(|o| o.exports_gross_t).sum();
    origins
        .iter()
        .map(|c| {
            let o = &supply.origins[c];
            if o.exports_gross_t > 0.005 * world {
                o.exports_kusd / o.exports_gross_t
            } else {
                0.0
            }
        })
        .collect()
}

/// Unit values relative to the median positive one, clamped to 0.2–5; thin exporters take 1.
fn cost_indices(unit_values: &[f64]) -> Vec<f64> {
    let mut positive: Vec<f64> = unit_values.iter().copied().filter(|u| *u > 0.0).collect();
    positive.sort_by(f64::total_cmp);
    let med_uv = positive.get(positive.len() / 2).copied().unwrap_or(1.0);
    unit_values
        .iter()
        .map(|u| {
            if *u > 0.0 {
                (u / med_uv).clamp(0.2, 5.0)
            } else {
                1.0
            }
        })
        .collect()
}

// ---------------------------------------------------------------- caps, floors, feasibility

/// Every cap and floor must be a share between 0 and 1.
fn check_bound_values(q: &PlanQuery) -> Result<(), PlanError> {
    for b in q.caps.iter().chain(&q.floors) {
        if !(0.0..=1.0).contains(&b.value) {
            return Err(PlanError::Usage(format!(
                "{}={}: a share must be between 0 and 1",
                b.target, b.value
            )));
        }
    }
    Ok(())
}

/// The caps, then the floors, as named groups of origin indices.
fn constraint_groups(
    ds: &Dataset,
    q: &PlanQuery,
    origins: &[String],
) -> Result<Vec<Group>, PlanError> {
    check_bound_values(q)?;
    let bounds = q
        .caps
        .iter()
        .map(|b| (b, "cap", Some(b.value), None))
        .chain(q.floors.iter().map(|b| (b, "floor", None, Some(b.value))));
    let mut groups = Vec::new();
    for (b, kind, cap, floor) in bounds {
        let (id, m) = members_of(ds, &b.target)?;
        groups.push((
            format!("{kind} {id}={}", b.value),
            origins
                .iter()
                .enumerate()
                .filter(|(_, c)| m.contains(c))
                .map(|(i, _)| i)
                .collect::<Vec<_>>(),
            cap,
            floor,
        ));
    }
    Ok(groups)
}

/// The largest total share the offers cover once each cap scales its members down.
fn reachable_share(upper: &[f64], groups: &[Group]) -> f64 {
    let mut cap_left: Vec<f64> = upper.to_vec();
    let mut total = cap_left.iter().sum::<f64>();
    for (_, idx, cap, _) in groups {
        if let Some(c) = cap {
            let within: f64 = idx.iter().map(|i| cap_left[*i]).sum();
            if within > *c {
                total -= within - c;
                for i in idx {
                    cap_left[*i] *= c / within;
                }
            }
        }
    }
    total
}

/// Says which constraint makes the plan impossible before the solver is asked: a need beyond
/// the offers within the caps, a floor beyond its origins' offers, or floors over the need.
fn check_feasibility(
    upper: &[f64],
    groups: &[Group],
    total: f64,
    importer: &str,
    demand: &Demand,
) -> Result<(), PlanError> {
    let reachable = reachable_share(upper, groups);
    if reachable < total - 1e-9 {
        return Err(unreachable_need(
            groups,
            reachable / total,
            importer,
            demand,
        ));
    }
    for (name, idx, _, floor) in groups {
        if let Some(f) = floor {
            let most: f64 = idx.iter().map(|i| upper[*i]).sum();
            if most < *f - 1e-9 {
                return Err(PlanError::Infeasible(format!(
                    "{name}: these origins can supply at most {:.1}% of use",
                    most * 100.0
                )));
            }
        }
    }
    let floors_total: f64 = groups.iter().filter_map(|g| g.3).sum();
    if floors_total > total + 1e-9 {
        return Err(PlanError::Infeasible(format!(
            "the floors add up to {:.0}%, over the {:.0}% to source abroad",
            floors_total * 100.0,
            total * 100.0
        )));
    }
    Ok(())
}

/// The error for a need the offers within the caps cannot cover, naming the caps.
fn unreachable_need(groups: &[Group], reachable: f64, importer: &str, d: &Demand) -> PlanError {
    let caps: Vec<&str> = groups
        .iter()
        .filter(|g| g.2.is_some())
        .map(|g| g.0.as_str())
        .collect();
    let (within, binding) = if caps.is_empty() {
        (
            String::new(),
            "the producing countries' offers (their exports, at most their production)".to_string(),
        )
    } else {
        (format!(" within {}", caps.join(", ")), caps.join(", "))
    };
    PlanError::Infeasible(format!(
        "the offers{within} cover at most {:.1}% of {importer}'s need of {:.0} t ({}); binding: {binding}",
        reachable * 100.0,
        d.need_t,
        d.basis
    ))
}

// ---------------------------------------------------------------- explain the result

/// Governance-weighted concentration of a mix: Σ s² × w.
fn weighted_risk(shares: &[f64], w: &[f64]) -> f64 {
    shares.iter().zip(w).map(|(s, w)| s * s * w).sum::<f64>() + 0.0
}

/// The cost proxy of a mix: Σ s × k.
fn cost_proxy(shares: &[f64], k: &[f64]) -> f64 {
    shares.iter().zip(k).map(|(s, k)| s * k).sum::<f64>() + 0.0
}

/// The solved mix explained: shares per origin, risk and cost before and after, the binding
/// constraints, the frontier when asked for, and notes on the method.
fn explain(
    ds: &Dataset,
    q: &PlanQuery,
    req: Request,
    supply: &Supply,
    sup: &Suppliers,
    problem: &Problem,
    shares: &[f64],
) -> Plan {
    let frontier = if q.frontier {
        risk_cost_frontier(problem, q.limits)
    } else {
        Vec::new()
    };
    let binding = binding_constraints(sup, shares, &problem.groups, q.limits);
    // Today's risk uses the unpreferred weights: a preference is not a property of today's mix.
    let plain: Vec<f64> = sup
        .weight
        .iter()
        .zip(&sup.preferred)
        .map(|(w, p)| if *p { w * 2.0 } else { *w })
        .collect();
    Plan {
        importer: req.vp.id.clone(),
        year: q.year,
        trade_year: req.trade_year,
        basis: supply.demand.basis.clone(),
        demand: supply.demand.clone(),
        home_share: sup.home_share,
        risk_before: weighted_risk(&sup.current, &plain),
        risk_after: weighted_risk(shares, &plain),
        cost_before: cost_proxy(&sup.current, &sup.k),
        cost_after: cost_proxy(shares, &sup.k),
        origins: origin_rows(
            ds,
            (req.vp.id.clone(), req.vp.name.clone()),
            supply,
            sup,
            shares,
            &problem.groups,
            q,
        ),
        excluded: sup.excluded.clone(),
        limits: q.limits,
        binding,
        frontier,
        notes: plan_notes(q, &req, supply, sup),
        commodity: req.commodity,
        stage: req.stage,
    }
}

/// Origins at their offer, then caps and floors that hold with equality, then the limits.
fn binding_constraints(
    sup: &Suppliers,
    shares: &[f64],
    groups: &[Group],
    limits: Limits,
) -> Vec<String> {
    let mut binding = Vec::new();
    for (i, c) in sup.origins.iter().enumerate() {
        if shares[i] > 1e-3 && (sup.upper[i] - shares[i]).abs() < 1e-5 {
            binding.push(format!("{c} at its offer ({:.1}%)", sup.upper[i] * 100.0));
        }
    }
    for (name, idx, cap, floor) in groups {
        let sum: f64 = idx.iter().map(|i| shares[*i]).sum();
        if cap.is_some_and(|c| (sum - c).abs() < 1e-5)
            || floor.is_some_and(|f| (sum - f).abs() < 1e-5)
        {
            binding.push(name.clone());
        }
    }
    let used = shares.iter().filter(|s| **s > 1e-6).count();
    if limits.max_suppliers.is_some_and(|k| used == k) {
        binding.push(format!("max-suppliers {used}"));
    }
    if let Some(m) = limits.min_share {
        if shares.iter().any(|s| *s > 1e-6 && (s - m).abs() < 1e-5) {
            binding.push(format!("min-share {:.1}%", m * 100.0));
        }
    }
    binding
}

/// (cost weight, risk, cost) of the optimum at each frontier weight that solves.
fn risk_cost_frontier(problem: &Problem, limits: Limits) -> Vec<(f64, f64, f64)> {
    FRONTIER_WEIGHTS
        .iter()
        .filter_map(|&lambda| {
            let x = solve_mix(problem, limits, lambda).ok()?;
            Some((
                lambda,
                weighted_risk(&x, &problem.w),
                cost_proxy(&x, &problem.k),
            ))
        })
        .collect()
}

/// Why origin `i` takes its planned share, in the optimiser's terms.
fn why_chosen(sup: &Suppliers, i: usize, share: f64, groups: &[Group], q: &PlanQuery) -> String {
    if share <= 1e-6 {
        return String::new();
    }
    let mut why = Vec::new();
    let wgi = sup.wgi[i].map_or(
        format!("no WGI figure, median {:.2} used", sup.wgi_median),
        |w| format!("WGI {w:.2}"),
    );
    why.push(format!(
        "weight {:.2} ({wgi}{}), cost {:.2}",
        sup.weight[i],
        if sup.preferred[i] {
            ", halved: preferred"
        } else {
            ""
        },
        sup.k[i]
    ));
    if (sup.upper[i] - share).abs() < 1e-5 {
        why.push("takes all it offers".into());
    }
    if q.limits.min_share.is_some_and(|m| (share - m).abs() < 1e-5) {
        why.push("held at the minimum share".into());
    }
    for (name, idx, _, floor) in groups {
        if floor.is_some() && idx.contains(&i) {
            why.push(format!("counts toward {name}"));
        }
    }
    why.join("; ")
}

/// One row per origin with a current or planned share, largest planned share first; the
/// importer's own production first when it has any; excluded origins only in `excluded`.
fn origin_rows(
    ds: &Dataset,
    (home_id, home_name): (String, String),
    supply: &Supply,
    sup: &Suppliers,
    shares: &[f64],
    groups: &[Group],
    q: &PlanQuery,
) -> Vec<OriginPlan> {
    let of = supply.demand.of_t;
    let mut out: Vec<OriginPlan> = sup
        .origins
        .iter()
        .enumerate()
        .filter(|(i, _)| shares[*i] > 1e-6 || sup.current[*i] >= 5e-4)
        .filter(|(_, c)| !sup.excluded.iter().any(|e| e.origin == **c))
        .map(|(i, c)| OriginPlan {
            origin: c.clone(),
            name: ds.countries.name_of(c).to_string(),
            role: if sup.hub[i] { "hub" } else { "producer" }.to_string(),
            current_share: sup.current[i],
            planned_share: shares[i],
            planned_t: shares[i] * of,
            max_share: sup.upper[i],
            offer_t: supply.origins[c].offer,
            wgi: sup.wgi[i],
            weight: sup.weight[i],
            relative_cost: sup.k[i],
            flags: sup.flags[i].clone(),
            why: why_chosen(sup, i, shares[i], groups, q),
        })
        .collect();
    out.sort_by(|a, b| {
        b.planned_share
            .total_cmp(&a.planned_share)
            .then(b.current_share.total_cmp(&a.current_share))
    });
    if sup.home_share > 0.0 {
        out.insert(
            0,
            OriginPlan {
                origin: home_id,
                name: home_name,
                role: "home".into(),
                current_share: sup.home_share,
                planned_share: sup.home_share,
                planned_t: sup.home_share * of,
                max_share: sup.home_share,
                offer_t: supply.demand.production_t.unwrap_or(0.0),
                wgi: None,
                weight: 0.0,
                relative_cost: 1.0,
                flags: vec![],
                why: "own production, kept as it is (not planned, no supply risk counted)".into(),
            },
        );
    }
    out
}

/// How supply, demand, risk and cost were measured, exclusions, preferences and limits.
fn plan_notes(q: &PlanQuery, req: &Request, supply: &Supply, sup: &Suppliers) -> Vec<String> {
    let mut notes = vec![supply.demand.how.clone()];
    notes.push(if q.allow_hubs {
        "offers: what each producing country sells abroad (its exports of the stage's products, at most its production); trading hubs allowed (--allow-hubs): they offer their exports, weighted by the governance of the countries they buy from".to_string()
    } else {
        "offers: what each producing country sells abroad (its exports of the stage's products, at most its production); trading hubs that produce none of the stage offer nothing (--allow-hubs to include them)".to_string()
    });
    if !supply.production_source.is_empty() {
        notes.push(format!("production: {}", supply.production_source));
    }
    notes.extend(supply.notes.iter().cloned());
    let (wgi_year, median) = (sup.wgi_year, sup.wgi_median);
    notes.push(format!(
        "risk = Σ share² × WGI (World Bank WGI {wgi_year}, six-indicator mean scaled 0 best – 10 worst; missing → median {median:.2}); cost proxy = export unit value relative to the median origin (BACI {}; thin exporters take the median; clamped to 0.2–5); distance not modelled",
        req.trade_year
    ));
    if !sup.excluded.is_empty() {
        let listed: Vec<String> = sup
            .excluded
            .iter()
            .map(|e| {
                format!(
                    "{} by {} (today {:.1}% of use; offer up to {:.1}%)",
                    e.origin,
                    e.by,
                    e.current_share * 100.0,
                    e.offer_share * 100.0
                )
            })
            .collect();
        notes.push(format!(
            "excluded (group `sanctioned` always — redefine it in lodestone.toml; others by --exclude): {}",
            listed.join(", ")
        ));
    }
    if !q.prefer.is_empty() {
        notes.push(format!(
            "preferred origins ({}) have their weight halved; the WGI column is the indicator itself",
            q.prefer.join(", ")
        ));
    }
    if q.limits.is_set() {
        notes.push(format!(
            "supplier limits: at most {} suppliers, each at least {} — chosen by a mixed-integer program (microlp), shares then solved exactly",
            q.limits.max_suppliers.map_or("any number of".to_string(), |k| k.to_string()),
            q.limits.min_share.map_or("any share".to_string(), |m| format!("{:.1}%", m * 100.0))
        ));
    }
    notes
}
