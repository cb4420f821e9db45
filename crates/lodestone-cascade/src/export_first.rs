//! Why this file exists: the export-first variant of the cascade, kept only as a named variant
//! (`model = "export-first"`) for comparison with Lodestone's earlier results. It is NOT the
//! published Marchand et al. 2016 rule ([`crate::marchand`] is): here a country cuts its exports
//! first and only then raises imports, and the rounds stop on a global threshold.
//!
//! Each round every country carrying a loss s_i acts at once on the state the round started with:
//! 1. stocks absorb first: a_i = min(s_i, R_i);
//! 2. a fixed fraction of the rest is absorbed by cutting consumption: c_i = cfrac·(s_i − a_i);
//! 3. the rest is passed on by cutting exports pro rata to link size, at most all exports;
//! 4. what remains is passed on by raising imports from partners not yet hit, pro rata to link
//!    size, at most doubling those links; what still remains falls on consumption;
//! 5. the trade changes are the next round's losses.
//!
//! Rounds stop when no loss exceeds `threshold` × the country's initial supply, or at
//! `max_rounds`; losses left then fall on consumption.

use crate::marchand::{Outcome, Params, Round, State};

/// Runs the export-first cascade from initial losses `shock` (tonnes, ≥ 0 per country).
pub fn run(state: &State, shock: &[f64], p: &Params) -> Outcome {
    let n = state.n;
    let mut stocks = state.stocks.clone();
    let mut tonnes = state.tonnes.clone();
    let mut s: Vec<f64> = shock.iter().map(|x| x.max(0.0)).collect();
    let mut out = Outcome {
        stock_draw: vec![0.0; n],
        consumption_cut: vec![0.0; n],
        depth: s.iter().map(|x| (*x > 0.0).then_some(0)).collect(),
        tonnes_after: Vec::new(),
        rounds: Vec::new(),
        unresolved: vec![0.0; n],
    };
    let mut hit: Vec<bool> = s.iter().map(|x| *x > 0.0).collect();
    let mut exports = vec![0.0; n];
    let mut open_imports = vec![0.0; n];
    for round in 1..=p.max_rounds {
        if s.iter().all(|x| *x <= 0.0) {
            break;
        }
        let losses_in: f64 = s.iter().sum();
        // 1–2: stocks, then a fixed share by consumption.
        let mut rest = vec![0.0; n];
        let (mut draws, mut cuts) = (0.0, 0.0);
        for i in 0..n {
            if s[i] <= 0.0 {
                continue;
            }
            let a = s[i].min(stocks[i]);
            stocks[i] -= a;
            let c = p.consumption_cut * (s[i] - a);
            out.stock_draw[i] += a;
            out.consumption_cut[i] += c;
            draws += a;
            cuts += c;
            rest[i] = s[i] - a - c;
        }
        // 3: cut exports pro rata.
        exports.iter_mut().for_each(|x| *x = 0.0);
        open_imports.iter_mut().for_each(|x| *x = 0.0);
        for (l, &t) in tonnes.iter().enumerate() {
            exports[state.from[l]] += t;
            if !hit[state.from[l]] {
                open_imports[state.to[l]] += t;
            }
        }
        let cut_factor: Vec<f64> = (0..n)
            .map(|i| {
                if rest[i] > 0.0 && exports[i] > 0.0 {
                    rest[i].min(exports[i]) / exports[i]
                } else {
                    0.0
                }
            })
            .collect();
        let after_cut: Vec<f64> = (0..n)
            .map(|i| rest[i] - cut_factor[i] * exports[i])
            .collect();
        // 4: raise imports from partners not yet hit.
        let grow_factor: Vec<f64> = (0..n)
            .map(|i| {
                if after_cut[i] > 0.0 && open_imports[i] > 0.0 {
                    after_cut[i].min(open_imports[i]) / open_imports[i]
                } else {
                    0.0
                }
            })
            .collect();
        let mut next = vec![0.0; n];
        let mut passed = 0.0;
        for (l, t) in tonnes.iter_mut().enumerate() {
            let (i, j) = (state.from[l], state.to[l]);
            let t0 = *t;
            let cut = t0 * cut_factor[i];
            let grow = if hit[i] { 0.0 } else { t0 * grow_factor[j] };
            *t = t0 - cut + grow;
            next[j] += cut;
            next[i] += grow;
            passed += cut + grow;
        }
        for i in 0..n {
            let left = after_cut[i] - grow_factor[i] * open_imports[i];
            if left > 0.0 {
                out.consumption_cut[i] += left;
                cuts += left;
            }
        }
        out.rounds.push(Round {
            losses_in,
            stock_draws: draws,
            consumption_cuts: cuts,
            passed_on: passed,
        });
        for i in 0..n {
            if next[i] > 0.0 && !hit[i] {
                hit[i] = true;
                out.depth[i] = Some(round);
            }
        }
        s = next;
        let small = (0..n).all(|i| s[i] <= p.threshold * state.supply[i].max(1e-9));
        if small {
            break;
        }
    }
    // What is still in flight falls on consumption.
    for (cut, left) in out.consumption_cut.iter_mut().zip(&s) {
        if *left > 0.0 {
            *cut += left;
        }
    }
    out.tonnes_after = tonnes;
    out
}
