//! Why this file exists: the diversification planner — for an importer, commodity and target
//! year, the import shares by origin that minimise governance-weighted concentration
//! (Σ s_c² × WGI_c) plus a weighted cost proxy, within each origin's exportable supply, caps,
//! floors and preferences; solved as a quadratic program by Clarabel.
//!
//! [`plan`] is a pipeline: resolve the request, gather the suppliers (exportable volume,
//! governance weights, cost proxy), check that the caps and floors leave a feasible mix, [`solve`]
//! the QP, and explain the result (risk and cost before and after, binding constraints, notes).

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, SolverStatus, SupportedConeT,
};
use serde::Serialize;
use std::collections::BTreeMap;

use lodestone_analysis::dependence::traded_stages;
use lodestone_analysis::eu_supply_risk::scaled_wgi;
use lodestone_analysis::viewpoint::Viewpoint;
use lodestone_model::{Dataset, Stage, TradeData};

use crate::error::PlanError;
use crate::forecast::{commodity_id, forecast, Forecast, ForecastQuery};
use crate::project::Project;

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
        Ok(Bound {
            target: who.trim().to_string(),
            value,
        })
    }
}

#[derive(Debug, Clone)]
pub struct PlanQuery {
    pub commodity: String,
    pub stage: Option<Stage>,
    pub importer: String,
    pub year: u16,
    pub caps: Vec<Bound>,
    pub floors: Vec<Bound>,
    /// Countries or groups whose governance weight is halved (a stated preference).
    pub prefer: Vec<String>,
    /// Weight of the cost proxy against risk.
    pub cost_weight: f64,
    pub frontier: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OriginPlan {
    pub origin: String,
    pub current_share: f64,
    pub planned_share: f64,
    /// Largest share the origin's exportable supply allows.
    pub max_share: f64,
    pub wgi: f64,
    /// Export unit value relative to the median origin (cost proxy).
    pub relative_cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub commodity: String,
    pub stage: Stage,
    pub importer: String,
    pub year: u16,
    pub trade_year: u16,
    pub demand_t: f64,
    pub origins: Vec<OriginPlan>,
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

/// A named group of origins (indices) with an optional cap and floor on their summed share.
pub type Group = (String, Vec<usize>, Option<f64>, Option<f64>);

/// The QP data: one variable per origin — governance weights, cost indices, upper bounds, and
/// named groups of origins with an optional cap and floor on their summed share.
pub struct Problem {
    pub w: Vec<f64>,
    pub k: Vec<f64>,
    pub upper: Vec<f64>,
    pub groups: Vec<Group>,
}

/// Compressed-column matrix from dense rows (small problems).
fn csc(rows: &[Vec<f64>], n: usize) -> CscMatrix<f64> {
    let m = rows.len();
    let (mut colptr, mut rowval, mut nzval) = (vec![0usize], Vec::new(), Vec::new());
    for j in 0..n {
        for (i, r) in rows.iter().enumerate() {
            if r[j] != 0.0 {
                rowval.push(i);
                nzval.push(r[j]);
            }
        }
        colptr.push(rowval.len());
    }
    CscMatrix::new(m, n, colptr, rowval, nzval)
}

/// Solves min Σ w s² + λ Σ k s subject to Σ s = 1, 0 ≤ s ≤ upper, group caps and floors.
pub fn solve(p: &Problem, lambda: f64) -> Result<Vec<f64>, PlanError> {
    let n = p.w.len();
    let pm = csc(
        &(0..n)
            .map(|i| {
                (0..n)
                    .map(|j| if i == j { 2.0 * p.w[i] } else { 0.0 })
                    .collect()
            })
            .collect::<Vec<_>>(),
        n,
    );
    let q: Vec<f64> = p.k.iter().map(|k| lambda * k).collect();
    let mut rows: Vec<Vec<f64>> = vec![vec![1.0; n]];
    let mut b = vec![1.0];
    for i in 0..n {
        let mut r = vec![0.0; n];
        r[i] = -1.0;
        rows.push(r);
        b.push(0.0);
        let mut r = vec![0.0; n];
        r[i] = 1.0;
        rows.push(r);
        b.push(p.upper[i]);
    }
    for (_, members, cap, floor) in &p.groups {
        if let Some(c) = cap {
            rows.push(
                (0..n)
                    .map(|i| if members.contains(&i) { 1.0 } else { 0.0 })
                    .collect(),
            );
            b.push(*c);
        }
        if let Some(f) = floor {
            rows.push(
                (0..n)
                    .map(|i| if members.contains(&i) { -1.0 } else { 0.0 })
                    .collect(),
            );
            b.push(-*f);
        }
    }
    let a = csc(&rows, n);
    let cones = [
        SupportedConeT::ZeroConeT(1),
        SupportedConeT::NonnegativeConeT(rows.len() - 1),
    ];
    let settings = DefaultSettingsBuilder::default()
        .verbose(false)
        .build()
        .map_err(|e| PlanError::Solver(format!("{e:?}")))?;
    let mut solver = DefaultSolver::new(&pm, &q, &a, &b, &cones, settings)
        .map_err(|e| PlanError::Solver(format!("{e:?}")))?;
    solver.solve();
    match solver.solution.status {
        SolverStatus::Solved | SolverStatus::AlmostSolved => {
            Ok(solver.solution.x.iter().map(|x| x.max(0.0)).collect())
        }
        SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => Err(
            PlanError::Infeasible("the constraints leave no feasible mix".into()),
        ),
        s => Err(PlanError::Solver(format!("{s:?}"))),
    }
}

/// The resolved id and member countries of a country or group.
fn members_of(ds: &Dataset, target: &str) -> Result<(String, Vec<String>), PlanError> {
    let p = ds.place(target)?;
    Ok((p.id, p.members))
}

/// Cost weights along the risk–cost frontier.
const FRONTIER_WEIGHTS: [f64; 9] = [0.0, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0];

/// Plans the sourcing mix: resolve the request, gather the suppliers, check that the caps and
/// floors leave a feasible mix, solve the QP and explain the result.
pub fn plan(
    ds: &Dataset,
    trade: &TradeData,
    projects: &[Project],
    q: &PlanQuery,
) -> Result<Plan, PlanError> {
    let req = resolve_request(ds, trade, q)?;
    let base = gather_base_trade(trade, &req)?;
    let fc = target_year_forecast(ds, projects, &req, q.year);
    let exportable = exportable_supply(ds, &req.commodity, &base, fc.as_ref(), q.year);
    let sup = gather_suppliers(ds, q, &req, &base, &exportable)?;
    let groups = constraint_groups(ds, q, &sup.origins)?;
    check_feasibility(&sup.upper, &groups, &req.vp.name, sup.demand)?;
    let problem = Problem {
        w: sup.w.clone(),
        k: sup.k.clone(),
        upper: sup.upper.clone(),
        groups,
    };
    let shares = solve(&problem, q.cost_weight)?;
    Ok(explain(q, req, &sup, &problem, &shares, fc.is_some()))
}

// ---------------------------------------------------------------- resolve the request

/// The request resolved against the dataset and the trade data.
struct Request {
    commodity: String,
    stage: Stage,
    vp: Viewpoint,
    /// The latest year with trade data: the base of the plan.
    trade_year: u16,
    /// HS6 codes of the commodity at the stage.
    codes: Vec<u32>,
}

/// Resolves the commodity, the stage (the first traded one by default), the importer and the
/// base trade year.
fn resolve_request(ds: &Dataset, trade: &TradeData, q: &PlanQuery) -> Result<Request, PlanError> {
    let commodity = commodity_id(ds, &q.commodity)?;
    let stage = match q.stage {
        Some(s) => s,
        None => *traded_stages(ds, &commodity).first().ok_or_else(|| {
            PlanError::NoData(format!(
                "{commodity} has no HS code in the concordance, so no trade to plan"
            ))
        })?,
    };
    let vp = Viewpoint::resolve(ds, trade, &q.importer)?;
    let trade_year = *trade
        .years()
        .last()
        .ok_or_else(|| PlanError::NoData("no trade data".into()))?;
    let codes: Vec<u32> = ds
        .concordance
        .of_commodity(&commodity)
        .filter(|l| l.stage == stage)
        .map(|l| l.hs6)
        .collect();
    Ok(Request {
        commodity,
        stage,
        vp,
        trade_year,
        codes,
    })
}

// ---------------------------------------------------------------- gather the suppliers

/// The base year's trade in the commodity, seen from the importer.
struct BaseTrade {
    /// World exports by origin outside the importer: (tonnes, thousand USD).
    exports: BTreeMap<String, (f64, f64)>,
    /// The importer's imports by origin (tonnes).
    current: BTreeMap<String, f64>,
    /// The importer's total imports (tonnes): the demand to cover.
    demand: f64,
    /// Σ of world exports (tonnes).
    world_exports: f64,
}

/// World exports and the importer's current imports by origin (tonnes), with export values for
/// unit values; an error when the importer imported none.
fn gather_base_trade(trade: &TradeData, req: &Request) -> Result<BaseTrade, PlanError> {
    let mut exports: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let mut current: BTreeMap<String, f64> = BTreeMap::new();
    for &k in &req.codes {
        for f in trade.flows_of(req.trade_year, k) {
            let Some(origin) = trade.iso3_of(f.exporter) else {
                continue;
            };
            if req.vp.contains(origin) {
                continue;
            }
            let qy = f.quantity_t.unwrap_or(0.0);
            let e = exports.entry(origin.to_string()).or_default();
            e.0 += qy;
            e.1 += f.value_kusd;
            if req.vp.contains_code(f.importer) {
                *current.entry(origin.to_string()).or_default() += qy;
            }
        }
    }
    let demand: f64 = current.values().sum();
    if demand <= 0.0 {
        return Err(PlanError::NoData(format!(
            "{} imported no {} ({}, {}) in {}; nothing to plan",
            req.vp.name,
            req.commodity,
            req.stage,
            lodestone_model::product_labels(&req.codes),
            req.trade_year
        )));
    }
    let world_exports: f64 = exports.values().map(|e| e.0).sum();
    Ok(BaseTrade {
        exports,
        current,
        demand,
        world_exports,
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
        only_financed: false,
        draws: 0,
        seed: 0,
    };
    forecast(ds, projects, &query(Some(req.stage)))
        .or_else(|_| forecast(ds, projects, &query(None)))
        .ok()
}

/// World production of the commodity's default series (the denominator of its shares), or 0.
fn world_production(ds: &Dataset, commodity: &str) -> f64 {
    lodestone_analysis::profile(
        ds,
        &lodestone_analysis::SeriesQuery {
            commodity: commodity.to_string(),
            ..Default::default()
        },
    )
    .map_or(0.0, |p| p.denominator)
}

/// Each origin's exportable supply in the target year (tonnes): base-year exports plus the
/// forecast's expected project additions, assumed exported in proportion to world trade
/// intensity (the addition's share of world production, applied to world exports).
fn exportable_supply(
    ds: &Dataset,
    commodity: &str,
    base: &BaseTrade,
    fc: Option<&Forecast>,
    year: u16,
) -> BTreeMap<String, f64> {
    let mut exportable: BTreeMap<String, f64> =
        base.exports.iter().map(|(c, e)| (c.clone(), e.0)).collect();
    let Some(f) = fc else {
        return exportable;
    };
    let world_base = world_production(ds, commodity);
    let models = crate::forecast::default_status_models();
    for c in &f.contributions {
        let add = crate::forecast::expected_addition(c, year, &models);
        if add <= 0.0 || world_base <= 0.0 {
            continue;
        }
        *exportable.entry(c.country.clone()).or_default() += add / world_base * base.world_exports;
    }
    exportable
}

/// The candidate origins and what the QP weighs them by, all per origin.
struct Suppliers {
    origins: Vec<String>,
    /// Governance weight: WGI scaled 0–10 (at least 0.05), halved for preferred origins.
    w: Vec<f64>,
    /// Cost index: export unit value relative to the median origin.
    k: Vec<f64>,
    /// Largest share the origin's exportable supply allows.
    upper: Vec<f64>,
    /// The origin's share of the importer's current imports.
    current: Vec<f64>,
    /// The importer's demand (tonnes).
    demand: f64,
    /// The WGI year used and the median weight given to countries without one.
    wgi_year: u16,
    wgi_median: f64,
    /// Origins given no share because they are in the `sanctioned` group, with the share their
    /// exportable supply would have allowed.
    excluded: Vec<(String, f64)>,
}

/// Origins with exportable supply outside the importer, with their weights, cost indices,
/// supply bounds and current shares.
fn gather_suppliers(
    ds: &Dataset,
    q: &PlanQuery,
    req: &Request,
    base: &BaseTrade,
    exportable: &BTreeMap<String, f64>,
) -> Result<Suppliers, PlanError> {
    let origins: Vec<String> = exportable
        .iter()
        .filter(|(c, v)| **v > 0.0 && !req.vp.contains(c))
        .map(|(c, _)| c.clone())
        .collect();
    let (wgi_year, wgi, wgi_median) = scaled_wgi(ds, req.trade_year);
    let preferred = preferred_members(ds, &q.prefer)?;
    let w = governance_weights(&origins, &wgi, wgi_median, &preferred);
    let k = cost_indices(&unit_values(&origins, base));
    // Sanctioned origins stay in the problem (their current imports count in today's risk) but
    // may take no share of the plan.
    let sanctioned = ds.groups.get("sanctioned");
    let is_sanctioned = |c: &str| sanctioned.is_some_and(|g| g.contains(c));
    let allowed = |c: &String| (exportable[c] / base.demand).min(1.0);
    let upper = origins
        .iter()
        .map(|c| if is_sanctioned(c) { 0.0 } else { allowed(c) })
        .collect();
    let excluded = origins
        .iter()
        .filter(|c| is_sanctioned(c))
        .map(|c| (c.clone(), allowed(c)))
        .collect();
    let current = origins
        .iter()
        .map(|c| base.current.get(c).copied().unwrap_or(0.0) / base.demand)
        .collect();
    Ok(Suppliers {
        origins,
        w,
        k,
        upper,
        current,
        demand: base.demand,
        wgi_year,
        wgi_median,
        excluded,
    })
}

/// The member countries of every preferred country or group.
fn preferred_members(ds: &Dataset, prefer: &[String]) -> Result<Vec<String>, PlanError> {
    let mut members = Vec::new();
    for p in prefer {
        members.extend(members_of(ds, p)?.1);
    }
    Ok(members)
}

/// Scaled WGI per origin (the median when missing, at least 0.05), halved for preferred origins.
fn governance_weights(
    origins: &[String],
    wgi: &BTreeMap<String, f64>,
    median: f64,
    preferred: &[String],
) -> Vec<f64> {
    origins
        .iter()
        .map(|c| {
            let base = wgi.get(c).copied().unwrap_or(median).max(0.05);
            if preferred.contains(c) {
                base * 0.5
            } else {
                base
            }
        })
        .collect()
}

/// Export unit value per origin (thousand USD per tonne), or 0 for thin flows: origins exporting
/// under 0.5 % of world tonnes, whose unit values are noise.
fn unit_values(origins: &[String], base: &BaseTrade) -> Vec<f64> {
    origins
        .iter()
        .map(|c| {
            base.exports
                .get(c)
                .filter(|e| e.0 > 0.005 * base.world_exports)
                .map(|e| e.1 / e.0)
                .unwrap_or(0.0)
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

/// The largest total share exportable supply covers once each cap scales its members down.
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

/// Says which constraint makes the plan impossible before the solver is asked: demand beyond
/// reach of the caps, a floor beyond its origins' supply, or floors over 100 %.
fn check_feasibility(
    upper: &[f64],
    groups: &[Group],
    importer: &str,
    demand: f64,
) -> Result<(), PlanError> {
    let reachable = reachable_share(upper, groups);
    if reachable < 1.0 - 1e-9 {
        return Err(unreachable_demand(groups, reachable, importer, demand));
    }
    for (name, idx, _, floor) in groups {
        if let Some(f) = floor {
            let most: f64 = idx.iter().map(|i| upper[*i]).sum();
            if most < *f - 1e-9 {
                return Err(PlanError::Infeasible(format!(
                    "{name}: these origins can supply at most {:.1}% of demand",
                    most * 100.0
                )));
            }
        }
    }
    let floors_total: f64 = groups.iter().filter_map(|g| g.3).sum();
    if floors_total > 1.0 + 1e-9 {
        return Err(PlanError::Infeasible(format!(
            "the floors add up to {:.0}%, over 100%",
            floors_total * 100.0
        )));
    }
    Ok(())
}

/// The error for demand that exportable supply within the caps cannot cover, naming the caps.
fn unreachable_demand(groups: &[Group], reachable: f64, importer: &str, demand: f64) -> PlanError {
    let caps: Vec<&str> = groups
        .iter()
        .filter(|g| g.2.is_some())
        .map(|g| g.0.as_str())
        .collect();
    let (within, binding) = if caps.is_empty() {
        (String::new(), "origins' exportable supply".to_string())
    } else {
        (format!(" within {}", caps.join(", ")), caps.join(", "))
    };
    PlanError::Infeasible(format!(
        "exportable supply{within} covers at most {:.1}% of {importer}'s demand of {demand:.0} t; binding: {binding}",
        reachable * 100.0,
    ))
}

// ---------------------------------------------------------------- explain the result

/// Governance-weighted concentration of a mix: Σ s² × w.
fn weighted_risk(shares: &[f64], w: &[f64]) -> f64 {
    shares.iter().zip(w).map(|(s, w)| s * s * w).sum::<f64>()
}

/// The cost proxy of a mix: Σ s × k.
fn cost_proxy(shares: &[f64], k: &[f64]) -> f64 {
    shares.iter().zip(k).map(|(s, k)| s * k).sum::<f64>()
}

/// The solved mix explained: shares per origin, risk and cost before and after, the binding
/// constraints, the frontier when asked for, and notes on the method.
fn explain(
    q: &PlanQuery,
    req: Request,
    sup: &Suppliers,
    problem: &Problem,
    shares: &[f64],
    has_forecast: bool,
) -> Plan {
    let frontier = if q.frontier {
        risk_cost_frontier(problem)
    } else {
        Vec::new()
    };
    Plan {
        importer: req.vp.id.clone(),
        year: q.year,
        trade_year: req.trade_year,
        demand_t: sup.demand,
        risk_before: weighted_risk(&sup.current, &sup.w),
        risk_after: weighted_risk(shares, &sup.w),
        cost_before: cost_proxy(&sup.current, &sup.k),
        cost_after: cost_proxy(shares, &sup.k),
        origins: origin_rows(sup, shares),
        binding: binding_constraints(&sup.origins, shares, &sup.upper, &problem.groups),
        frontier,
        notes: plan_notes(q, req.trade_year, sup, has_forecast),
        commodity: req.commodity,
        stage: req.stage,
    }
}

/// Origins at their exportable supply, then caps and floors that hold with equality.
fn binding_constraints(
    origins: &[String],
    shares: &[f64],
    upper: &[f64],
    groups: &[Group],
) -> Vec<String> {
    let mut binding = Vec::new();
    for (i, c) in origins.iter().enumerate() {
        if shares[i] > 1e-3 && (upper[i] - shares[i]).abs() < 1e-5 {
            binding.push(format!(
                "{c} at its exportable supply ({:.1}%)",
                upper[i] * 100.0
            ));
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
    binding
}

/// (cost weight, risk, cost) of the optimum at each frontier weight that solves.
fn risk_cost_frontier(problem: &Problem) -> Vec<(f64, f64, f64)> {
    FRONTIER_WEIGHTS
        .iter()
        .filter_map(|&lambda| {
            let x = solve(problem, lambda).ok()?;
            Some((
                lambda,
                weighted_risk(&x, &problem.w),
                cost_proxy(&x, &problem.k),
            ))
        })
        .collect()
}

/// How exportable supply, risk and cost were measured, and the stated preferences.
fn plan_notes(q: &PlanQuery, trade_year: u16, sup: &Suppliers, has_forecast: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if has_forecast {
        notes.push(format!(
            "exportable supply in {}: {trade_year} exports plus expected project additions (share of world output × world exports)",
            q.year
        ));
    }
    let (wgi_year, median) = (sup.wgi_year, sup.wgi_median);
    notes.push(format!(
        "risk = Σ share² × WGI (World Bank WGI {wgi_year}, six-indicator mean scaled 0–10; missing → median {median:.2}); cost proxy = export unit value relative to the median origin (BACI {trade_year}; thin exporters take the median; clamped to 0.2–5); distance not modelled"
    ));
    if !sup.excluded.is_empty() {
        let listed: Vec<String> = sup
            .excluded
            .iter()
            .map(|(c, max)| {
                let now = sup
                    .origins
                    .iter()
                    .position(|o| o == c)
                    .map_or(0.0, |i| sup.current[i]);
                format!(
                    "{c} (today {:.1}% of imports; exportable supply up to {:.1}% of demand)",
                    now * 100.0,
                    max * 100.0
                )
            })
            .collect();
        notes.push(format!(
            "excluded as sanctioned (group `sanctioned`, redefine in lodestone.toml): {}",
            listed.join(", ")
        ));
    }
    if !q.prefer.is_empty() {
        notes.push(format!(
            "preferred origins ({}) have their governance weight halved",
            q.prefer.join(", ")
        ));
    }
    notes
}

/// One row per origin with a current or planned share, largest planned share first.
fn origin_rows(sup: &Suppliers, shares: &[f64]) -> Vec<OriginPlan> {
    let mut out: Vec<OriginPlan> = sup
        .origins
        .iter()
        .enumerate()
        .map(|(i, c)| OriginPlan {
            origin: c.clone(),
            current_share: sup.current[i],
            planned_share: shares[i],
            max_share: sup.upper[i],
            wgi: sup.w[i],
            relative_cost: sup.k[i],
        })
        .filter(|o| o.planned_share > 1e-6 || o.current_share > 1e-6)
        // Sanctioned origins are named in the notes with their current share, not as suppliers.
        .filter(|o| !sup.excluded.iter().any(|(c, _)| *c == o.origin))
        .collect();
    out.sort_by(|a, b| {
        b.planned_share
            .total_cmp(&a.planned_share)
            .then(b.current_share.total_cmp(&a.current_share))
    });
    out
}
