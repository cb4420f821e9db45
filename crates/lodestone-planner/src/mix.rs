//! Why this file exists: the optimisation behind the sourcing plan, apart from the data.
//!
//! The continuous plan is a quadratic program, min Σ wᵢ sᵢ² + λ Σ kᵢ sᵢ over shares within each
//! origin's offer, the caps and the floors; Clarabel solves it exactly ([`solve`]).
//!
//! A realistic plan also limits the number of suppliers and gives each chosen one at least a
//! minimum share. That adds a yes/no choice per origin: a mixed-integer program. [`solve_mix`]
//! picks the suppliers with a mixed-integer linear program (good_lp over the pure-Rust microlp
//! solver; sᵢ² replaced by its tangents at 16 points, an outer approximation), then solves the
//! exact quadratic program over the chosen suppliers. When the asked-for limits cannot be met,
//! [`why_infeasible`] says which one cannot, with the numbers.

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, SolverStatus, SupportedConeT,
};
use good_lp::{
    constraint, microlp, variable, Expression, ProblemVariables, Solution, SolverModel, Variable,
    WithMipGap, WithTimeLimit,
};

use crate::error::PlanError;

/// A named group of origins (indices) with an optional cap and floor on their summed share.
pub type Group = (String, Vec<usize>, Option<f64>, Option<f64>);

/// The plan's data: one variable per origin — weights, cost indices, upper bounds (the offer as
/// a share of the need), named groups with caps and floors, and the total the shares add to.
#[derive(Debug, Clone)]
pub struct Problem {
    pub w: Vec<f64>,
    pub k: Vec<f64>,
    pub upper: Vec<f64>,
    pub groups: Vec<Group>,
    /// What the shares add up to (1 unless part of the need is met otherwise, e.g. at home).
    pub total: f64,
}

/// How many suppliers a plan may use and the least share each chosen one takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Limits {
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub max_suppliers: Option<usize>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub min_share: Option<f64>,
}

impl Limits {
    pub fn is_set(&self) -> bool {
        self.max_suppliers.is_some() || self.min_share.is_some_and(|m| m > 0.0)
    }
}

/// The objective of a mix: Σ w s² + λ Σ k s.
pub fn objective(p: &Problem, s: &[f64], lambda: f64) -> f64 {
    s.iter()
        .zip(&p.w)
        .zip(&p.k)
        .map(|((s, w), k)| w * s * s + lambda * k * s)
        .sum()
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

/// Solves min Σ w s² + λ Σ k s subject to Σ s = total, 0 ≤ s ≤ upper, group caps and floors.
pub fn solve(p: &Problem, lambda: f64) -> Result<Vec<f64>, PlanError> {
    solve_within(p, &vec![0.0; p.w.len()], lambda)
}

/// The quadratic program with a lower bound per origin as well (a chosen supplier's minimum).
pub fn solve_within(p: &Problem, lower: &[f64], lambda: f64) -> Result<Vec<f64>, PlanError> {
    let n = p.w.len();
    let diag: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| if i == j { 2.0 * p.w[i] } else { 0.0 })
                .collect()
        })
        .collect();
    let pm = csc(&diag, n);
    let q: Vec<f64> = p.k.iter().map(|k| lambda * k).collect();
    let mut rows: Vec<Vec<f64>> = vec![vec![1.0; n]];
    let mut b = vec![p.total];
    for (i, (lo, up)) in lower.iter().zip(&p.upper).enumerate() {
        let unit = |sign: f64| (0..n).map(|j| if i == j { sign } else { 0.0 }).collect();
        rows.push(unit(-1.0));
        b.push(-lo);
        rows.push(unit(1.0));
        b.push(*up);
    }
    for (_, members, cap, floor) in &p.groups {
        let member = |sign: f64| {
            (0..n)
                .map(|i| if members.contains(&i) { sign } else { 0.0 })
                .collect()
        };
        if let Some(c) = cap {
            rows.push(member(1.0));
            b.push(*c);
        }
        if let Some(f) = floor {
            rows.push(member(-1.0));
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
        SolverStatus::Solved | SolverStatus::AlmostSolved => Ok(solver
            .solution
            .x
            .iter()
            .zip(p.upper.iter().zip(lower))
            .map(|(x, (u, l))| x.clamp(*l, u.max(*l)))
            .collect()),
        SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => Err(
            PlanError::Infeasible("the constraints leave no feasible mix".into()),
        ),
        s => Err(PlanError::Solver(format!("{s:?}"))),
    }
}

/// Tangent points per origin in the linear outer approximation of s².
const TANGENTS: usize = 16;

/// Origins the supplier choice considers (those the continuous optimum gives most).
pub const CANDIDATES: usize = 12;

/// Seconds the supplier choice may take before the best choice found so far is used.
const CHOICE_SECONDS: f64 = 2.0;

/// Share below which a solved share counts as not chosen.
const CHOSEN: f64 = 1e-6;

/// The best mix within the limits: the continuous optimum when it already meets them, else a
/// supplier choice by mixed-integer programming followed by the exact optimum over the chosen.
pub fn solve_mix(p: &Problem, limits: Limits, lambda: f64) -> Result<Vec<f64>, PlanError> {
    let continuous = solve(p, lambda)?;
    if meets(&continuous, limits) {
        return Ok(continuous);
    }
    // Origins whose whole offer is below the minimum share can never be chosen: they leave the
    // integer program, which then has fewer yes/no choices to make.
    let m = limits.min_share.unwrap_or(0.0);
    let mut eligible: Vec<usize> = (0..p.w.len())
        .filter(|i| p.upper[*i] >= m && p.upper[*i] > 0.0)
        .collect();
    // The choice is made among the origins the continuous optimum gives most (and every member
    // of a floor group): with many near-equal producers the integer program otherwise spends
    // its whole time limit proving which of equivalent mixes is best.
    eligible.sort_by(|a, b| continuous[*b].total_cmp(&continuous[*a]));
    let in_floor = |i: usize| p.groups.iter().any(|g| g.3.is_some() && g.1.contains(&i));
    let mut kept: Vec<usize> = eligible.iter().copied().take(CANDIDATES).collect();
    kept.extend(
        eligible
            .iter()
            .copied()
            .skip(CANDIDATES)
            .filter(|i| in_floor(*i)),
    );
    kept.sort_unstable();
    let eligible = kept;
    let sub = Problem {
        w: eligible.iter().map(|i| p.w[*i]).collect(),
        k: eligible.iter().map(|i| p.k[*i]).collect(),
        upper: eligible.iter().map(|i| p.upper[*i]).collect(),
        groups: p
            .groups
            .iter()
            .map(|(n, members, cap, floor)| {
                let idx = eligible
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| members.contains(i))
                    .map(|(j, _)| j)
                    .collect();
                (n.clone(), idx, *cap, *floor)
            })
            .collect(),
        total: p.total,
    };
    let picked = choose_suppliers(&sub, limits, lambda).map_err(|e| match e {
        PlanError::Infeasible(_) => PlanError::Infeasible(why_infeasible(p, limits)),
        other => other,
    })?;
    let mut chosen = vec![false; p.w.len()];
    for (j, i) in eligible.iter().enumerate() {
        chosen[*i] = picked[j];
    }
    let restricted = Problem {
        upper: p
            .upper
            .iter()
            .zip(&chosen)
            .map(|(u, c)| if *c { *u } else { 0.0 })
            .collect(),
        ..p.clone()
    };
    let lower: Vec<f64> = chosen.iter().map(|c| if *c { m } else { 0.0 }).collect();
    solve_within(&restricted, &lower, lambda)
}

/// Whether a mix uses at most the allowed suppliers, each at the minimum share or more.
pub fn meets(s: &[f64], limits: Limits) -> bool {
    let used: Vec<f64> = s.iter().copied().filter(|x| *x > CHOSEN).collect();
    limits.max_suppliers.is_none_or(|k| used.len() <= k)
        && limits
            .min_share
            .is_none_or(|m| used.iter().all(|x| *x >= m - 1e-7))
}

/// The suppliers a mixed-integer linear program chooses (s² by its tangents).
fn choose_suppliers(p: &Problem, limits: Limits, lambda: f64) -> Result<Vec<bool>, PlanError> {
    let n = p.w.len();
    let mut vars = ProblemVariables::new();
    let s: Vec<Variable> = p
        .upper
        .iter()
        .map(|u| vars.add(variable().min(0.0).max(u.max(0.0))))
        .collect();
    let y: Vec<Variable> = (0..n).map(|_| vars.add(variable().binary())).collect();
    let t: Vec<Variable> = (0..n).map(|_| vars.add(variable().min(0.0))).collect();
    let objective: Expression = (0..n).map(|i| p.w[i] * t[i] + lambda * p.k[i] * s[i]).sum();
    let mut model = vars.minimise(objective).using(microlp);
    let total: Expression = s.iter().copied().sum();
    model = model.with(constraint!(total == p.total));
    for i in 0..n {
        model = model.with(constraint!(s[i] <= p.upper[i].max(0.0) * y[i]));
        if let Some(m) = limits.min_share {
            model = model.with(constraint!(s[i] >= m * y[i]));
        }
        for j in 1..=TANGENTS {
            let a = p.upper[i].max(0.0) * j as f64 / TANGENTS as f64;
            model = model.with(constraint!(t[i] >= 2.0 * a * s[i] - a * a));
        }
    }
    if let Some(k) = limits.max_suppliers {
        let count: Expression = y.iter().copied().sum();
        model = model.with(constraint!(count <= k as f64));
    }
    for (_, members, cap, floor) in &p.groups {
        let sum: Expression = members.iter().map(|i| s[*i]).sum();
        if let Some(c) = cap {
            model = model.with(constraint!(sum.clone() <= *c));
        }
        if let Some(f) = floor {
            model = model.with(constraint!(sum >= *f));
        }
    }
    let solution = model
        .with_time_limit(CHOICE_SECONDS)
        .with_mip_gap(1e-3)
        .map_err(|e| PlanError::Solver(e.to_string()))?
        .solve()
        .map_err(|e| match e {
            good_lp::ResolutionError::Infeasible => {
                PlanError::Infeasible(why_infeasible(p, limits))
            }
            other => PlanError::Solver(other.to_string()),
        })?;
    Ok(s.iter().map(|v| solution.value(*v) > CHOSEN).collect())
}

/// Why no mix meets the limits, in numbers: too few suppliers for the need, or a minimum share
/// that no origin (or too few) can supply, or the caps and floors together with the limits.
pub fn why_infeasible(p: &Problem, limits: Limits) -> String {
    let m = limits.min_share.unwrap_or(0.0);
    let mut eligible: Vec<f64> = p.upper.iter().copied().filter(|u| *u >= m).collect();
    eligible.sort_by(|a, b| b.total_cmp(a));
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    if let Some(k) = limits.max_suppliers {
        let best: f64 = eligible.iter().take(k).sum();
        if best < p.total - 1e-9 {
            return format!(
                "at most {k} suppliers{}: the {} largest offers cover {} of the need of {}; binding: max-suppliers {k}",
                if m > 0.0 { format!(" of at least {} each", pct(m)) } else { String::new() },
                eligible.len().min(k),
                pct(best),
                pct(p.total)
            );
        }
    }
    if m > 0.0 {
        let reach: f64 = eligible.iter().sum();
        if reach < p.total - 1e-9 {
            return format!(
                "only {} origins can supply the minimum share {} and together offer {} of the need; binding: min-share {}",
                eligible.len(),
                pct(m),
                pct(reach),
                pct(m)
            );
        }
    }
    let names: Vec<&str> = p.groups.iter().map(|g| g.0.as_str()).collect();
    format!(
        "the supplier limits (max {} suppliers, min share {}) cannot be met together with {}; binding: {}",
        limits
            .max_suppliers
            .map_or("any".to_string(), |k| k.to_string()),
        pct(m),
        if names.is_empty() { "the offers".to_string() } else { names.join(", ") },
        if names.is_empty() { "max-suppliers, min-share".to_string() } else { names.join(", ") }
    )
}
