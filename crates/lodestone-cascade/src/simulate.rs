//! Why this file exists: turns a scenario into results — builds each shocked commodity's network,
//! applies the shocks, runs the chosen model deterministically, then N Monte Carlo draws (one
//! seeded ChaCha stream per draw, on all cores) for 5–95 % bands.

use rand::Rng;
use rand_distr::{Distribution, Normal};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

use lodestone_analysis::dependence::traded_stages;
use lodestone_analysis::montecarlo;
pub use lodestone_analysis::montecarlo::Band;
use lodestone_model::{Cancel, Dataset, Stage, TradeData};

use crate::error::CascadeError;
use crate::export_first;
use crate::marchand::{self, Params, State};
use crate::network::{build, Network};
use crate::passthrough;
use crate::scenario::{Model, MonteCarlo, Scenario, Shock, ShockKind};

/// One country's result, every tonne on the network's basis.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryResult {
    pub country: String,
    /// Supply lost, tonnes (stock draws + use cuts; pass-through: missing imports it could not
    /// pass on as lower exports).
    pub loss_t: f64,
    /// What the country had to use: apparent use P + M − X before the shock, plus what it
    /// withholds from its exports under the scenario (0 for a transit country).
    pub use_t: f64,
    /// Use cut as a share of apparent use (checked to stay within [0, 1] by a property test
    /// and over every canned scenario); `None` where the country has no use of its own.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub share_of_use: Option<f64>,
    /// Material a withholding exporter kept (export bans), tonnes.
    pub retained_t: f64,
    pub stock_draw_t: f64,
    pub consumption_cut_t: f64,
    /// Round in which the country was first hit (0 = directly).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub depth: Option<usize>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub band: Option<Band>,
}

/// A link whose tonnes changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkChange {
    pub from: String,
    pub to: String,
    pub before_t: f64,
    pub after_t: f64,
}

/// One shock as applied to a network, for the result's heading.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShockLine {
    /// The origin as the scenario named it (a country or a group).
    pub origin: String,
    /// Its members that are in this network (ISO3).
    pub countries: Vec<String>,
    pub kind: String,
    pub magnitude: f64,
    /// Who it is aimed at ("everyone" or ISO3 codes), and who is spared.
    pub targets: String,
    /// The tonnes this shock took out at the start, on the network's basis.
    pub initial_t: f64,
}

impl ShockLine {
    /// "Russia (RUS): exports cut 50 % to everyone, 977,851 t".
    pub fn describe(&self) -> String {
        let line = format!(
            "{} ({}): {} cut {}% {}",
            self.origin,
            if self.countries.is_empty() {
                "not in this network".to_string()
            } else {
                self.countries.join(", ")
            },
            self.kind,
            round_pct(self.magnitude),
            self.targets
        );
        line.trim_end().to_string()
    }
}

/// A fraction as a whole or one-decimal percentage for headings.
pub fn round_pct(f: f64) -> String {
    let s = lodestone_model::display::fixed(f * 100.0, 1);
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The result for one commodity and stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageResult {
    pub commodity: String,
    pub stage: Stage,
    pub year: u16,
    pub hs_codes: Vec<u32>,
    /// The shocks applied to this network: who, what, how much, aimed at whom.
    pub shocks: Vec<ShockLine>,
    /// What one tonne means here (production basis, or gross weight of the traded products).
    pub basis: String,
    /// Losses still in flight when the rounds stopped (none absorbed them), tonnes.
    pub unresolved_t: f64,
    pub network_countries: usize,
    pub network_links: usize,
    pub initial_shock_t: f64,
    pub countries: Vec<CountryResult>,
    pub links_changed: Vec<LinkChange>,
    /// For each shock target: partners whose exports to it grew (the rerouted sources).
    pub rerouted: BTreeMap<String, Vec<LinkChange>>,
    pub rounds: usize,
    /// Largest |losses in − (stock draws + consumption cuts + passed on)| over all rounds, tonnes.
    pub mass_balance_error: f64,
    pub production_rule: String,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Simulation {
    pub scenario: String,
    pub model: String,
    pub draws: u32,
    pub seed: u64,
    pub results: Vec<StageResult>,
    pub trade_source: String,
}

/// Initial losses and retained material of the shocks on one network.
pub fn initial_shock(net: &Network, shocks: &[&Shock]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let n = net.n();
    let mut loss = vec![0.0; n];
    let mut retained = vec![0.0; n];
    let mut tonnes: Vec<f64> = net.links.iter().map(|l| l.tonnes).collect();
    for s in shocks {
        let origins: Vec<usize> = s.origin.iter().filter_map(|o| net.index_of(o)).collect();
        match s.kind {
            ShockKind::Production => {
                for &o in &origins {
                    loss[o] += s.magnitude * net.production[o];
                }
            }
            ShockKind::Exports => {
                for (l, link) in net.links.iter().enumerate() {
                    if !origins.contains(&link.from) {
                        continue;
                    }
                    let to = &net.countries[link.to];
                    let aimed = (s.targets.is_empty() || s.targets.contains(to))
                        && !s.exclude_targets.contains(to)
                        && !s.origin.contains(to);
                    if aimed {
                        let cut = s.magnitude * tonnes[l];
                        tonnes[l] -= cut;
                        loss[link.to] += cut;
                        retained[link.from] += cut;
                    }
                }
            }
        }
    }
    (loss, retained, tonnes)
}

/// The model's state: the links after the shock's export cuts, stocks of `stock_months` of
/// apparent use, and net supply P + M − X on those links (the R code's `S[, 1]`).
pub fn state_of(net: &Network, tonnes: Vec<f64>, stock_months: f64) -> State {
    let consumption = net.consumption();
    let n = net.n();
    let mut supply = net.production.clone();
    for (l, t) in net.links.iter().zip(&tonnes) {
        supply[l.to] += t;
        supply[l.from] -= t;
    }
    State {
        n,
        from: net.links.iter().map(|l| l.from).collect(),
        to: net.links.iter().map(|l| l.to).collect(),
        tonnes,
        stocks: consumption
            .iter()
            .map(|c| c * stock_months / 12.0)
            .collect(),
        use_before: consumption
            .iter()
            .zip(&supply)
            .map(|(before, after)| before.max(*after))
            .collect(),
        supply,
        held: Vec::new(),
    }
}

/// What a model run gives per country: supply lost, use cut, and the cascade's own outcome.
struct Losses {
    loss: Vec<f64>,
    use_cut: Vec<f64>,
    outcome: Option<marchand::Outcome>,
}

/// Losses per country under the chosen model.
fn losses(
    net: &Network,
    model: Model,
    shocked: (&[f64], &[f64]),
    tonnes: &[f64],
    params: &Params,
    stock_months: f64,
) -> Losses {
    let (loss0, _retained) = shocked;
    match model {
        Model::Marchand | Model::ExportFirst => {
            let mut state = state_of(net, tonnes.to_vec(), stock_months);
            // The links the shock cut are held: no importer draws more on them.
            state.held = net
                .links
                .iter()
                .zip(tonnes)
                .map(|(l, t)| *t < l.tonnes)
                .collect();
            let out = if model == Model::Marchand {
                marchand::run(&state, loss0, params)
            } else {
                export_first::run(&state, loss0, params)
            };
            Losses {
                loss: (0..net.n()).map(|i| out.loss(i)).collect(),
                use_cut: out.consumption_cut.clone(),
                outcome: Some(out),
            }
        }
        Model::PassThrough => {
            let use_cut = pass_through_losses(net, loss0, tonnes, params);
            Losses {
                loss: use_cut.clone(),
                use_cut,
                outcome: None,
            }
        }
    }
}

/// Use cuts under the pass-through model: each hit exporter ships the smaller of what its ban
/// keeps flowing and what its lost production leaves; a country's missing imports fall on its
/// use only beyond what it passes on as lower exports (a transit country passes them all on).
fn pass_through_losses(net: &Network, loss0: &[f64], tonnes: &[f64], params: &Params) -> Vec<f64> {
    let from: Vec<usize> = net.links.iter().map(|l| l.from).collect();
    let to: Vec<usize> = net.links.iter().map(|l| l.to).collect();
    let original: Vec<f64> = net.links.iter().map(|l| l.tonnes).collect();
    let exports = net.exports();
    let mut kept = vec![0.0; net.n()];
    for (l, t) in tonnes.iter().enumerate() {
        kept[from[l]] += t;
    }
    let fixed: Vec<Option<f64>> = (0..net.n())
        .map(|i| {
            if exports[i] <= 0.0 {
                return None;
            }
            let after_ban = kept[i] / exports[i];
            let after_prod = ((exports[i] - loss0[i].min(exports[i])) / exports[i]).clamp(0.0, 1.0);
            let f = after_ban.min(after_prod);
            (f < 1.0).then_some(f)
        })
        .collect();
    let rounds = params.max_rounds.max(100);
    let r = passthrough::run(net.n(), &from, &to, &original, &fixed, rounds);
    (0..net.n())
        .map(|i| {
            let passed_on = if fixed[i].is_some() {
                0.0
            } else {
                exports[i] * (1.0 - r.export_fraction[i])
            };
            (r.import_loss[i] - passed_on).max(0.0)
        })
        .collect()
}

/// Runs a scenario to the end. `progress` is called once per finished draw (from any thread).
pub fn simulate(
    ds: &Dataset,
    trade: &TradeData,
    sc: &Scenario,
    progress: &(dyn Fn() + Sync),
) -> Result<Simulation, CascadeError> {
    simulate_until(ds, trade, sc, progress, &Guard::unbounded())
}

/// What bounds one run: its work budget (checked before any draw starts) and its cancel token
/// (polled between draws and between networks).
#[derive(Debug, Clone)]
pub struct Guard {
    /// Most work units ([`Work::units`]) the run may cost.
    pub budget: u64,
    pub cancel: Cancel,
}

impl Guard {
    /// No budget and never cancelled (the command line).
    pub fn unbounded() -> Self {
        Guard {
            budget: u64::MAX,
            cancel: Cancel::never(),
        }
    }
}

/// What a run costs before it starts: per network, (draws + 1) runs of the model, each visiting
/// every link once per shock (the initial cut) and once per round (the cascade).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Work {
    pub draws: u32,
    pub networks: usize,
    pub shocks: usize,
    pub links: usize,
    /// Link visits: Σ over networks of (draws + 1) × links × (shocks + max_rounds).
    pub units: u64,
}

impl Work {
    fn of(nets: &[(Network, Vec<&Shock>)], sc: &Scenario) -> Work {
        let runs = u64::from(sc.montecarlo.draws) + 1;
        let rounds = sc.params.max_rounds as u64;
        let units = nets.iter().fold(0u64, |acc, (net, shocks)| {
            let per_run = (net.links.len() as u64).saturating_mul(shocks.len() as u64 + rounds);
            acc.saturating_add(runs.saturating_mul(per_run))
        });
        Work {
            draws: sc.montecarlo.draws,
            networks: nets.len(),
            shocks: sc.shocks.len(),
            links: nets.iter().map(|(n, _)| n.links.len()).sum(),
            units,
        }
    }
}

/// The most draws that keep `work` within `budget` (0 when even the deterministic run is over).
pub fn draws_within(work: &Work, budget: u64) -> u64 {
    let per_run = work.units / (u64::from(work.draws) + 1);
    if per_run == 0 {
        return u64::from(work.draws);
    }
    (budget / per_run).saturating_sub(1)
}

/// The networks a scenario shocks, each with its shocks: the gathering step of a run, and all a
/// cost estimate needs.
fn networks<'a>(
    ds: &Dataset,
    trade: &TradeData,
    year: u16,
    sc: &'a Scenario,
    cancel: &Cancel,
) -> Result<Vec<(Network, Vec<&'a Shock>)>, CascadeError> {
    let mut nets = Vec::new();
    for ((commodity, stage), shocks) in shock_groups(ds, trade, year, sc)? {
        if cancel.is_cancelled() {
            return Err(CascadeError::Cancelled);
        }
        nets.push((build(ds, trade, &commodity, stage, year)?, shocks));
    }
    Ok(nets)
}

/// How many networks (commodity × stage) a run of `sc` shocks, without building them: the
/// number of Monte Carlo passes a progress display counts.
pub fn networks_shocked(
    ds: &Dataset,
    trade: &TradeData,
    sc: &Scenario,
) -> Result<usize, CascadeError> {
    let year = scenario_year(sc, trade)?;
    Ok(shock_groups(ds, trade, year, sc)?.len())
}

/// Runs a scenario within `guard`: refused before any draw when its [`Work`] is over the
/// budget, stopped with [`CascadeError::Cancelled`] soon after the token is set.
pub fn simulate_until(
    ds: &Dataset,
    trade: &TradeData,
    sc: &Scenario,
    progress: &(dyn Fn() + Sync),
    guard: &Guard,
) -> Result<Simulation, CascadeError> {
    let year = scenario_year(sc, trade)?;
    let nets = networks(ds, trade, year, sc, &guard.cancel)?;
    let work = Work::of(&nets, sc);
    if work.units > guard.budget {
        return Err(CascadeError::OverBudget {
            work,
            budget: guard.budget,
        });
    }
    let mut results = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    for (net, shocks) in &nets {
        for c in lodestone_analysis::dependence::coverage(trade, &net.hs_codes, year) {
            let line = format!("{} ({})", c.source, c.provenance);
            if !sources.contains(&line) {
                sources.push(line);
            }
        }
        results.push(stage_result(net, shocks, sc, progress, &guard.cancel)?);
    }
    Ok(Simulation {
        scenario: sc.name.clone(),
        model: sc.model.as_str().into(),
        draws: sc.montecarlo.draws,
        seed: sc.montecarlo.seed,
        results,
        trade_source: if sources.is_empty() {
            trade.source.clone()
        } else {
            sources.join("; ")
        },
    })
}

/// The scenario's year, or the latest year with trade data.
fn scenario_year(sc: &Scenario, trade: &TradeData) -> Result<u16, CascadeError> {
    match sc.year {
        Some(y) => Ok(y),
        None => trade
            .years()
            .last()
            .copied()
            .ok_or_else(|| CascadeError::NoNetwork("no trade data".into())),
    }
}

/// The traded stages of a commodity with any flow in `year` (all traded stages when none has,
/// so the error names them).
fn stages_with_flows(ds: &Dataset, trade: &TradeData, commodity: &str, year: u16) -> Vec<Stage> {
    let all = traded_stages(ds, commodity);
    let with_flows: Vec<Stage> = all
        .iter()
        .copied()
        .filter(|st| {
            ds.concordance
                .of_commodity(commodity)
                .filter(|l| l.stage == *st)
                .any(|l| trade.has_flows(year, &[l.hs6]))
        })
        .collect();
    if with_flows.is_empty() {
        all
    } else {
        with_flows
    }
}

/// Shocks grouped by commodity and stage (a shock without a stage applies to every traded stage
/// with flows in the scenario's year).
fn shock_groups<'a>(
    ds: &Dataset,
    trade: &TradeData,
    year: u16,
    sc: &'a Scenario,
) -> Result<BTreeMap<(String, Stage), Vec<&'a Shock>>, CascadeError> {
    let mut groups: BTreeMap<(String, Stage), Vec<&Shock>> = BTreeMap::new();
    for s in &sc.shocks {
        let stages = match s.stage {
            Some(st) => vec![st],
            None => stages_with_flows(ds, trade, &s.commodity, year),
        };
        if stages.is_empty() {
            return Err(CascadeError::NoNetwork(format!(
                "{} has no HS code in the concordance, so no trade network",
                s.commodity
            )));
        }
        for st in stages {
            groups.entry((s.commodity.clone(), st)).or_default().push(s);
        }
    }
    Ok(groups)
}

/// The deterministic run, its Monte Carlo bands and what changed, on one network.
fn stage_result(
    net: &Network,
    shocks: &[&Shock],
    sc: &Scenario,
    progress: &(dyn Fn() + Sync),
    cancel: &Cancel,
) -> Result<StageResult, CascadeError> {
    if cancel.is_cancelled() {
        return Err(CascadeError::Cancelled);
    }
    let (loss0, retained, tonnes) = initial_shock(net, shocks);
    let run = losses(
        net,
        sc.model,
        (&loss0, &retained),
        &tonnes,
        &sc.params,
        sc.stock_months,
    );
    let outcome = run.outcome.as_ref();
    let draws = monte_carlo(net, shocks, sc, progress, cancel)?;
    let countries = country_results(net, &run, &retained, &draws);
    let (links_changed, rerouted) = match outcome {
        Some(o) => changed_links(net, shocks, o),
        None => Default::default(),
    };
    let (rounds, mass_balance_error) = outcome.map_or((0, 0.0), round_summary);
    let unresolved_t = outcome.map_or(0.0, |o| o.unresolved.iter().sum::<f64>() + 0.0);
    Ok(StageResult {
        commodity: net.commodity.clone(),
        stage: net.stage,
        year: net.year,
        hs_codes: net.hs_codes.clone(),
        shocks: shock_lines(net, shocks),
        basis: net.basis.clone(),
        unresolved_t,
        network_countries: net.n(),
        network_links: net.links.len(),
        initial_shock_t: loss0.iter().sum(),
        countries,
        links_changed,
        rerouted,
        rounds,
        mass_balance_error,
        production_rule: net.production_rule.clone(),
        notes: stage_notes(net, shocks, &loss0),
    })
}

/// Losses per country in every Monte Carlo draw, one seeded stream per draw, on all cores;
/// each draw first checks the cancel token, so a cancelled run stops after the draws in flight.
fn monte_carlo(
    net: &Network,
    shocks: &[&Shock],
    sc: &Scenario,
    progress: &(dyn Fn() + Sync),
    cancel: &Cancel,
) -> Result<Vec<Vec<f64>>, CascadeError> {
    (0..sc.montecarlo.draws)
        .into_par_iter()
        .map(|d| {
            if cancel.is_cancelled() {
                return Err(CascadeError::Cancelled);
            }
            let loss = draw_losses(net, shocks, sc, u64::from(d));
            progress();
            Ok(loss)
        })
        .collect()
}

/// One draw: perturbed link tonnes, stock months and consumption-cut fraction, then the model.
fn draw_losses(net: &Network, shocks: &[&Shock], sc: &Scenario, draw: u64) -> Vec<f64> {
    let mc = &sc.montecarlo;
    let mut rng = montecarlo::stream(mc.seed, draw);
    let perturbed = perturb_links(net, mc, &mut rng);
    let months = lerp(mc.stock_months, rng.random::<f64>());
    let params = Params {
        consumption_cut: lerp(mc.consumption_cut, rng.random::<f64>()),
        ..sc.params
    };
    let (l0, kept, t) = initial_shock(&perturbed, shocks);
    losses(&perturbed, sc.model, (&l0, &kept), &t, &params, months).loss
}

/// The network with every link's tonnes scaled by a mean-one lognormal factor (wider for
/// links imputed from value or estimated from buyers' statistics).
fn perturb_links(net: &Network, mc: &MonteCarlo, rng: &mut impl Rng) -> Network {
    let mut perturbed = net.clone();
    for l in perturbed.links.iter_mut() {
        let sigma = if l.imputed || l.estimated {
            mc.imputed_sigma
        } else {
            mc.link_sigma
        };
        if sigma > 0.0 {
            let z: f64 = Normal::new(0.0, 1.0).map(|n| n.sample(rng)).unwrap_or(0.0);
            l.tonnes *= (sigma * z - sigma * sigma / 2.0).exp();
        }
    }
    perturbed
}

/// Countries that lost or retained material, largest loss first, with their bands.
fn country_results(
    net: &Network,
    run: &Losses,
    retained: &[f64],
    draws: &[Vec<f64>],
) -> Vec<CountryResult> {
    let consumption = net.consumption();
    let outcome = run.outcome.as_ref();
    // Rounding residues (|x| below a millionth of a tonne) are not losses.
    let clean = |x: f64| if x.abs() < 1e-6 { 0.0 } else { x };
    let mut countries: Vec<CountryResult> = (0..net.n())
        .filter(|&i| clean(run.loss[i]) > 0.0 || retained[i] > 0.0)
        .map(|i| CountryResult {
            country: net.countries[i].clone(),
            loss_t: clean(run.loss[i]),
            use_t: consumption[i],
            share_of_use: (consumption[i] > 0.0).then(|| clean(run.use_cut[i]) / consumption[i]),
            retained_t: retained[i],
            stock_draw_t: outcome.map_or(0.0, |o| clean(o.stock_draw[i])),
            consumption_cut_t: clean(run.use_cut[i]),
            depth: outcome.and_then(|o| o.depth[i]),
            band: Band::of(draws.iter().map(|d| d[i]).collect()),
        })
        .collect();
    countries.sort_by(|a, b| {
        b.loss_t
            .total_cmp(&a.loss_t)
            .then(a.country.cmp(&b.country))
    });
    countries
}

/// The shocks as applied to this network, for the heading.
fn shock_lines(net: &Network, shocks: &[&Shock]) -> Vec<ShockLine> {
    shocks
        .iter()
        .map(|s| {
            let single = std::slice::from_ref(s);
            let (l0, _, _) = initial_shock(net, single);
            let targets = match (s.targets.is_empty(), s.exclude_targets.is_empty()) {
                (true, true) => "to everyone".to_string(),
                (true, false) => format!("to everyone but {}", s.exclude_targets.join(", ")),
                (false, true) => format!("to {}", s.targets.join(", ")),
                (false, false) => format!(
                    "to {} but {}",
                    s.targets.join(", "),
                    s.exclude_targets.join(", ")
                ),
            };
            ShockLine {
                origin: s.origin_name.clone(),
                countries: s
                    .origin
                    .iter()
                    .filter(|c| net.index_of(c).is_some())
                    .cloned()
                    .collect(),
                kind: match s.kind {
                    ShockKind::Exports => "exports".into(),
                    ShockKind::Production => "production".into(),
                },
                magnitude: s.magnitude,
                targets: if s.kind == ShockKind::Production {
                    String::new()
                } else {
                    targets
                },
                initial_t: l0.iter().sum(),
            }
        })
        .collect()
}

/// Links whose tonnes the cascade changed (largest change first), and for each shock target the
/// partners whose exports to it grew.
fn changed_links(
    net: &Network,
    shocks: &[&Shock],
    o: &marchand::Outcome,
) -> (Vec<LinkChange>, BTreeMap<String, Vec<LinkChange>>) {
    let mut links_changed = Vec::new();
    let mut rerouted: BTreeMap<String, Vec<LinkChange>> = BTreeMap::new();
    let targets: Vec<&String> = shocks.iter().flat_map(|s| s.targets.iter()).collect();
    for (l, link) in net.links.iter().enumerate() {
        let after = o.tonnes_after[l];
        if (after - link.tonnes).abs() <= 1e-9 * link.tonnes.max(1.0) {
            continue;
        }
        let change = LinkChange {
            from: net.countries[link.from].clone(),
            to: net.countries[link.to].clone(),
            before_t: link.tonnes,
            after_t: after,
        };
        if after > link.tonnes && targets.contains(&&change.to) {
            rerouted
                .entry(change.to.clone())
                .or_default()
                .push(change.clone());
        }
        links_changed.push(change);
    }
    links_changed.sort_by(|a, b| {
        (b.before_t - b.after_t)
            .abs()
            .total_cmp(&(a.before_t - a.after_t).abs())
    });
    (links_changed, rerouted)
}

/// Rounds the cascade ran and its largest mass-balance error over them.
fn round_summary(o: &marchand::Outcome) -> (usize, f64) {
    let error = o
        .rounds
        .iter()
        .map(|r| (r.losses_in - r.stock_draws - r.consumption_cuts - r.passed_on).abs())
        .fold(0.0, f64::max);
    (o.rounds.len(), error)
}

/// The network's notes, plus one when the shocks hit nothing in it.
fn stage_notes(net: &Network, shocks: &[&Shock], loss0: &[f64]) -> Vec<String> {
    let mut notes = net.notes.clone();
    if loss0.iter().sum::<f64>() == 0.0 {
        notes.push(format!(
            "the shock hits nothing in this network: {} neither produces (on the traded basis) nor exports {} here",
            shocks.iter().map(|s| s.origin_name.as_str()).collect::<Vec<_>>().join(", "),
            lodestone_model::product_labels(&net.hs_codes)
        ));
    }
    notes
}

fn lerp(r: [f64; 2], u: f64) -> f64 {
    r[0] + (r[1] - r[0]) * u
}

/// The IEA-style stress test: the largest exporter of a commodity (at a stage) stops exporting.
pub fn largest_supplier(
    ds: &Dataset,
    trade: &TradeData,
    commodity: &str,
    stage: Option<Stage>,
    year: u16,
) -> Result<Vec<Shock>, CascadeError> {
    let stages = match stage {
        Some(s) => vec![s],
        None => stages_with_flows(ds, trade, commodity, year),
    };
    let mut shocks = Vec::new();
    for st in stages {
        let net = build(ds, trade, commodity, st, year)?;
        let x = net.exports();
        let (top, _) = x
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .ok_or_else(|| CascadeError::NoNetwork("empty network".into()))?;
        shocks.push(Shock {
            origin: vec![net.countries[top].clone()],
            origin_name: ds.countries.name_of(&net.countries[top]).to_string(),
            commodity: commodity.to_string(),
            stage: Some(st),
            kind: ShockKind::Exports,
            magnitude: 1.0,
            targets: vec![],
            exclude_targets: vec![],
        });
    }
    Ok(shocks)
}
