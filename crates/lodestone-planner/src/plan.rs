//! Why this file exists: the diversification planner — for an importer, commodity and target
//! year, the import shares by origin that minimise governance-weighted concentration
//! (Σ s_c² × WGI_c) plus a weighted cost proxy, within each origin's exportable supply, caps,
//! floors and preferences; solved as a quadratic program by Clarabel.

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

fn members_of(ds: &Dataset, target: &str) -> Result<(String, Vec<String>), PlanError> {
    let p = ds.place(target)?;
    Ok((p.id, p.members))
}

/// Plans the sourcing mix.
pub fn plan(
    ds: &Dataset,
    trade: &TradeData,
    projects: &[Project],
    q: &PlanQuery,
) -> Result<Plan, PlanError> {
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
    // World exports and the importer's current imports by origin (tonnes), and unit values.
    let mut exports: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let mut current: BTreeMap<String, f64> = BTreeMap::new();
    for &k in &codes {
        for f in trade.flows_of(trade_year, k) {
            let Some(origin) = trade.iso3_of(f.exporter) else {
                continue;
            };
            if vp.contains(origin) {
                continue;
            }
            let qy = f.quantity_t.unwrap_or(0.0);
            let e = exports.entry(origin.to_string()).or_default();
            e.0 += qy;
            e.1 += f.value_kusd;
            if vp.contains_code(f.importer) {
                *current.entry(origin.to_string()).or_default() += qy;
            }
        }
    }
    let demand: f64 = current.values().sum();
    if demand <= 0.0 {
        return Err(PlanError::NoData(format!(
            "{} imported no {commodity} ({stage}, HS {codes:?}) in {trade_year}; nothing to plan",
            vp.name
        )));
    }
    // Growth of each origin's output to the target year from the forecast (unit-free ratios).
    let mut notes = Vec::new();
    let fc: Option<Forecast> = if q.year > trade_year {
        forecast(
            ds,
            projects,
            &ForecastQuery {
                commodity: commodity.clone(),
                stage: Some(stage),
                to: q.year,
                only_financed: false,
                draws: 0,
                seed: 0,
            },
        )
        .or_else(|_| {
            forecast(
                ds,
                projects,
                &ForecastQuery {
                    commodity: commodity.clone(),
                    stage: None,
                    to: q.year,
                    only_financed: false,
                    draws: 0,
                    seed: 0,
                },
            )
        })
        .ok()
    } else {
        None
    };
    let (base, world_base) = match lodestone_analysis::profile(
        ds,
        &lodestone_analysis::SeriesQuery {
            commodity: commodity.clone(),
            ..Default::default()
        },
    ) {
        Ok(p) => (
            p.producers
                .iter()
                .filter_map(|r| r.value.map(|v| (r.iso3.clone(), v)))
                .collect::<BTreeMap<_, _>>(),
            p.denominator,
        ),
        Err(_) => (BTreeMap::new(), 0.0),
    };
    let world_exports: f64 = exports.values().map(|e| e.0).sum();
    let mut exportable: BTreeMap<String, f64> =
        exports.iter().map(|(c, e)| (c.clone(), e.0)).collect();
    if let Some(f) = &fc {
        let models = crate::forecast::default_status_models();
        for c in &f.contributions {
            let add = crate::forecast::expected_addition(c, q.year, &models);
            if add <= 0.0 || world_base <= 0.0 {
                continue;
            }
            // New output is assumed exported in proportion to world trade intensity: the
            // addition's share of world production, applied to world exports.
            *exportable.entry(c.country.clone()).or_default() += add / world_base * world_exports;
        }
        notes.push(format!(
            "exportable supply in {}: {trade_year} exports plus expected project additions (share of world output × world exports)",
            q.year
        ));
    }
    let _ = base;
    let origins: Vec<String> = exportable
        .iter()
        .filter(|(c, v)| **v > 0.0 && !vp.contains(c))
        .map(|(c, _)| c.clone())
        .collect();
    let (wgi_year, wgi, median) = scaled_wgi(ds, trade_year);
    let mut prefer_members = Vec::new();
    for p in &q.prefer {
        prefer_members.extend(members_of(ds, p)?.1);
    }
    // Unit values of thin flows are noise: origins exporting under 0.5 % of world tonnes take the
    // median unit value.
    let unit_values: Vec<f64> = origins
        .iter()
        .map(|c| {
            exports
                .get(c)
                .filter(|e| e.0 > 0.005 * world_exports)
                .map(|e| e.1 / e.0)
                .unwrap_or(0.0)
        })
        .collect();
    let mut positive: Vec<f64> = unit_values.iter().copied().filter(|u| *u > 0.0).collect();
    positive.sort_by(f64::total_cmp);
    let med_uv = positive.get(positive.len() / 2).copied().unwrap_or(1.0);
    let w: Vec<f64> = origins
        .iter()
        .map(|c| {
            let base = wgi.get(c).copied().unwrap_or(median).max(0.05);
            if prefer_members.contains(c) {
                base * 0.5
            } else {
                base
            }
        })
        .collect();
    let k: Vec<f64> = unit_values
        .iter()
        .map(|u| {
            if *u > 0.0 {
                (u / med_uv).clamp(0.2, 5.0)
            } else {
                1.0
            }
        })
        .collect();
    let upper: Vec<f64> = origins
        .iter()
        .map(|c| (exportable[c] / demand).min(1.0))
        .collect();
    let mut groups = Vec::new();
    for b in q.caps.iter().chain(&q.floors) {
        if !(0.0..=1.0).contains(&b.value) {
            return Err(PlanError::Usage(format!(
                "{}={}: a share must be between 0 and 1",
                b.target, b.value
            )));
        }
    }
    let bounds = q
        .caps
        .iter()
        .map(|b| (b, "cap", Some(b.value), None))
        .chain(q.floors.iter().map(|b| (b, "floor", None, Some(b.value))));
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
    // Say which constraint makes the plan impossible before asking the solver.
    let reachable: f64 = {
        let mut cap_left: Vec<f64> = upper.clone();
        let mut total = cap_left.iter().sum::<f64>();
        for (_, idx, cap, _) in &groups {
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
    };
    if reachable < 1.0 - 1e-9 {
        let caps: Vec<&str> = groups
            .iter()
            .filter(|g| g.2.is_some())
            .map(|g| g.0.as_str())
            .collect();
        return Err(PlanError::Infeasible(format!(
            "exportable supply{} covers at most {:.1}% of {}'s demand of {:.0} t; binding: {}",
            if caps.is_empty() {
                String::new()
            } else {
                format!(" within {}", caps.join(", "))
            },
            reachable * 100.0,
            vp.name,
            demand,
            if caps.is_empty() {
                "origins' exportable supply".to_string()
            } else {
                caps.join(", ")
            }
        )));
    }
    for (name, idx, _, floor) in &groups {
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
    let problem = Problem {
        w: w.clone(),
        k: k.clone(),
        upper: upper.clone(),
        groups: groups.clone(),
    };
    let s = solve(&problem, q.cost_weight)?;
    let cur: Vec<f64> = origins
        .iter()
        .map(|c| current.get(c).copied().unwrap_or(0.0) / demand)
        .collect();
    let risk = |x: &[f64]| x.iter().zip(&w).map(|(s, w)| s * s * w).sum::<f64>();
    let cost = |x: &[f64]| x.iter().zip(&k).map(|(s, k)| s * k).sum::<f64>();
    let mut binding = Vec::new();
    for (i, c) in origins.iter().enumerate() {
        if s[i] > 1e-3 && (upper[i] - s[i]).abs() < 1e-5 {
            binding.push(format!(
                "{c} at its exportable supply ({:.1}%)",
                upper[i] * 100.0
            ));
        }
    }
    for (name, idx, cap, floor) in &groups {
        let sum: f64 = idx.iter().map(|i| s[*i]).sum();
        if cap.is_some_and(|c| (sum - c).abs() < 1e-5)
            || floor.is_some_and(|f| (sum - f).abs() < 1e-5)
        {
            binding.push(name.clone());
        }
    }
    let mut frontier = Vec::new();
    if q.frontier {
        for lambda in [0.0, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0] {
            if let Ok(x) = solve(&problem, lambda) {
                frontier.push((lambda, risk(&x), cost(&x)));
            }
        }
    }
    notes.push(format!(
        "risk = Σ share² × WGI (World Bank WGI {wgi_year}, six-indicator mean scaled 0–10; missing → median {median:.2}); cost proxy = export unit value relative to the median origin (BACI {trade_year}; thin exporters take the median; clamped to 0.2–5); distance not modelled"
    ));
    if !q.prefer.is_empty() {
        notes.push(format!(
            "preferred origins ({}) have their governance weight halved",
            q.prefer.join(", ")
        ));
    }
    let mut out: Vec<OriginPlan> = origins
        .iter()
        .enumerate()
        .map(|(i, c)| OriginPlan {
            origin: c.clone(),
            current_share: cur[i],
            planned_share: s[i],
            max_share: upper[i],
            wgi: w[i],
            relative_cost: k[i],
        })
        .filter(|o| o.planned_share > 1e-6 || o.current_share > 1e-6)
        .collect();
    out.sort_by(|a, b| {
        b.planned_share
            .total_cmp(&a.planned_share)
            .then(b.current_share.total_cmp(&a.current_share))
    });
    Ok(Plan {
        commodity,
        stage,
        importer: vp.id.clone(),
        year: q.year,
        trade_year,
        demand_t: demand,
        risk_before: risk(&cur),
        risk_after: risk(&s),
        cost_before: cost(&cur),
        cost_after: cost(&s),
        origins: out,
        binding,
        frontier,
        notes,
    })
}
