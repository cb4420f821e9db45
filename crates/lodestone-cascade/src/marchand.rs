//! Why this file exists: the trade-shock cascade exactly as Marchand et al. 2016 (Environ. Res.
//! Lett. 11 095009) published it and as the authors' R code runs it (`sim_cascade` and `dEalloc`
//! in pmarchand1/cereals-network-shocks), on a sparse link list. It is Lodestone's default model;
//! `tests/marchand_reference.rs` holds it to numbers produced by the authors' code.
//!
//! Losses are positive here (the R code writes them as negative changes). Each round, every
//! country carrying a loss s_i acts at once on the state the round started with:
//! 1. stocks absorb first: a_i = min(s_i, R_i);
//! 2. a country with a loss left after its stocks is *shocked* from now on (with `asymmetric`,
//!    the paper's rule: a shocked country never raises its exports for others); a link the
//!    scenario cuts (an export ban or cut) is never raised either (Lodestone's addition for
//!    export shocks; the R code has production shocks only and no such input);
//! 3. a fixed fraction `consumption_cut` (cfrac) of the rest is absorbed by cutting use;
//! 4. the rest, r_i, is passed on through trade, at most the country's trade volume
//!    T_i = its exports + its imports from partners not shocked. A rest below α × the country's
//!    *current* supply S_i is absorbed by use instead (α = `threshold`, the paper's 1e-5);
//! 5. ONE proportion p_i = passed_i / T_i applies at once to every export link of i (cut by
//!    p_i × link) and every import link from a partner not shocked (raised by p_i × link); what
//!    exceeds T_i falls on use;
//! 6. the link changes are the next round's losses: an importer lost what its partner cut, an
//!    exporter lost what its partner drew more of.
//!
//! Rounds stop when the largest next-round loss is zero within the R code's test
//! (`isTRUE(all.equal(min(dS), 0))`: |loss| ≤ √ε ≈ 1.49e-8 t) or after `max_rounds` (the R code's
//! `kmax − 1` = 49). What is still in flight then is reported as `unresolved`, as the R code
//! leaves it out of dR and dC. Mass balance: the initial losses equal the stock draws, the use
//! cuts and the unresolved remainder summed over all countries.

use serde::Serialize;

/// Model parameters (defaults: the authors' code's `sim_cascade` defaults: cfrac 0, α 1e-5,
/// kmax − 1 = 49 rounds, asymmetric; the use floor off).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Params {
    /// cfrac: fraction of a loss left after stocks absorbed by cutting use before trade adjusts.
    pub consumption_cut: f64,
    /// α (`amin`): a country absorbs any loss below α × its current supply instead of passing it.
    pub threshold: f64,
    /// Rounds at most (the R code's `kmax − 1`).
    pub max_rounds: usize,
    /// The paper's asymmetry: a shocked country cannot raise its exports (`asym = TRUE`).
    pub asymmetric: bool,
    /// Lodestone's one guard, off in the published rule: a country's fixed-fraction use cut never
    /// exceeds the use it has left (its apparent use P + M − X less earlier cuts); the rest of
    /// the fraction is passed through trade like any other loss. It binds only for transit
    /// countries with little use of their own when cfrac > 0, where the published rule would
    /// cut more than the country uses.
    pub use_floor: bool,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            consumption_cut: 0.0,
            threshold: 1e-5,
            max_rounds: 49,
            asymmetric: true,
            use_floor: false,
        }
    }
}

impl Params {
    /// What scenarios run with unless they say otherwise: the published defaults with the use
    /// floor on, so that no country is cut below zero use when a scenario sets cfrac > 0.
    pub fn scenario_default() -> Self {
        Params {
            use_floor: true,
            ..Params::default()
        }
    }
}

/// The R code's stop test: `all.equal(x, 0)` holds when |x| ≤ √(machine ε).
pub const STOP_TOLERANCE: f64 = 1.490_116_119_384_765_6e-8;

/// The state a cascade runs on: sparse links and per-country stocks and supply.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub n: usize,
    pub from: Vec<usize>,
    pub to: Vec<usize>,
    pub tonnes: Vec<f64>,
    pub stocks: Vec<f64>,
    /// Net supply S = P + M − X on these links (not floored: the R code's `S[, 1]`).
    pub supply: Vec<f64>,
    /// Links the scenario cuts (same order as the links): the importer may not draw more on
    /// them, so an export cut is not undone; the exporter may still sell more elsewhere. Empty =
    /// none (the R code's start, which models production shocks only).
    pub held: Vec<bool>,
    /// Apparent use P + M − X before the shock, for the use floor (empty: `supply`).
    pub use_before: Vec<f64>,
}

/// What one round did (for the mass-balance check and the report).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Round {
    pub losses_in: f64,
    pub stock_draws: f64,
    pub consumption_cuts: f64,
    pub passed_on: f64,
}

/// The outcome per country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Tonnes absorbed by drawing stocks (the R code's −dR).
    pub stock_draw: Vec<f64>,
    /// Tonnes absorbed by cutting use (the R code's −dC).
    pub consumption_cut: Vec<f64>,
    /// Round in which the country was first hit (0 = initial shock), `None` if never.
    pub depth: Vec<Option<usize>>,
    /// Link tonnes after the cascade (same order as the input links).
    pub tonnes_after: Vec<f64>,
    pub rounds: Vec<Round>,
    /// Losses still in flight when the rounds stopped (within the stop test, or at the round
    /// limit), which no country absorbed.
    pub unresolved: Vec<f64>,
}

impl Outcome {
    pub fn loss(&self, i: usize) -> f64 {
        self.stock_draw[i] + self.consumption_cut[i]
    }
}

/// Runs the cascade from initial losses `shock` (tonnes, ≥ 0 per country).
pub fn run(state: &State, shock: &[f64], p: &Params) -> Outcome {
    let n = state.n;
    let mut stocks = state.stocks.clone();
    let mut supply = state.supply.clone();
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
    if s.iter().all(|x| *x <= 0.0) {
        out.tonnes_after = tonnes;
        return out;
    }
    let mut shocked = vec![false; n];
    let held = |l: usize| state.held.get(l).copied().unwrap_or(false);
    let before = if state.use_before.len() == n {
        &state.use_before
    } else {
        &state.supply
    };
    let mut use_left: Vec<f64> = before.iter().map(|x| x.max(0.0)).collect();
    let mut volume = vec![0.0; n];
    for round in 1..=p.max_rounds {
        let losses_in: f64 = s.iter().sum();
        // 1–3: stocks first, then the fixed fraction on use.
        let mut draw = vec![0.0; n];
        let mut cut = vec![0.0; n];
        let mut rest = vec![0.0; n];
        for i in 0..n {
            // As the R code's dR = max(dS, −R): a (rounding-size) gain goes to stocks.
            draw[i] = s[i].min(stocks[i]);
            let left = s[i] - draw[i];
            if p.asymmetric && left > 0.0 {
                shocked[i] = true;
            }
            if p.use_floor && left > 0.0 {
                cut[i] = (p.consumption_cut * left).min(use_left[i].max(0.0));
                rest[i] = left - cut[i];
            } else {
                cut[i] = p.consumption_cut * left;
                rest[i] = (1.0 - p.consumption_cut) * left;
            }
        }
        // 4: trade volume (exports + imports from partners not shocked) and what is passed.
        volume.iter_mut().for_each(|v| *v = 0.0);
        for (l, &t) in tonnes.iter().enumerate() {
            volume[state.from[l]] += t;
            if !shocked[state.from[l]] && !held(l) {
                volume[state.to[l]] += t;
            }
        }
        let mut passed = vec![0.0; n];
        let mut share = vec![0.0; n];
        for i in 0..n {
            passed[i] = if rest[i].abs() < p.threshold * supply[i] {
                0.0
            } else {
                rest[i].min(volume[i])
            };
            cut[i] += rest[i] - passed[i];
            if volume[i] != 0.0 {
                share[i] = passed[i] / volume[i];
            }
        }
        // 5–6: one proportion over exports and open imports; the changes are the next losses.
        let mut next = passed.clone();
        for (l, t) in tonnes.iter_mut().enumerate() {
            let (i, j) = (state.from[l], state.to[l]);
            let raise = if shocked[i] || held(l) { 0.0 } else { share[j] };
            let change = (raise - share[i]) * *t;
            *t += change;
            next[i] += change;
            next[j] -= change;
        }
        for i in 0..n {
            stocks[i] -= draw[i];
            supply[i] -= draw[i] + cut[i];
            use_left[i] -= cut[i];
            out.stock_draw[i] += draw[i];
            out.consumption_cut[i] += cut[i];
        }
        out.rounds.push(Round {
            losses_in,
            stock_draws: draw.iter().sum(),
            consumption_cuts: cut.iter().sum(),
            passed_on: passed.iter().sum(),
        });
        for (depth, loss) in out.depth.iter_mut().zip(&next) {
            if *loss > STOP_TOLERANCE && depth.is_none() {
                *depth = Some(round);
            }
        }
        s = next;
        if s.iter().fold(f64::NEG_INFINITY, |m, x| m.max(*x)).abs() <= STOP_TOLERANCE {
            break;
        }
    }
    out.unresolved = s;
    out.tonnes_after = tonnes;
    out
}
