//! Why this file exists: `simulate` — a disruption scenario (a file, a posted TOML text, or the
//! IEA-style "largest supplier out" stress test) run through the trade network: losses per
//! country and stage with Monte Carlo bands. Also the canned scenarios the store carries.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use lodestone_cascade::scenario::{self, Model, MonteCarlo, Scenario};
use lodestone_cascade::simulate::{largest_supplier, simulate_until, Guard, Simulation};
use lodestone_model::Cancel;

use crate::error::AppError;
use crate::limits::Limits;
use crate::params::{over_limit, years_list};
use crate::store::Store;

/// Overrides of a scenario's own settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct SimulateQuery {
    /// Monte Carlo draws (overrides the scenario's; 0 = deterministic only).
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub draws: Option<u32>,
    /// Seed of the draws (overrides the scenario's).
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub seed: Option<u64>,
    /// Trade year of the network (default: the scenario's, else the latest).
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub year: Option<u16>,
}

/// Where a scenario comes from.
#[derive(Debug, Clone)]
pub enum ScenarioSource {
    /// A scenario file on disk.
    File(PathBuf),
    /// Scenario TOML sent as text; `name` is what errors call it ("request body").
    Text { name: String, text: String },
    /// The largest exporter of this commodity at each traded stage stops exporting.
    LargestSupplier(String),
}

/// A scenario shipped with the data, as TOML a client can edit and send back.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedScenario {
    pub file: String,
    pub name: String,
    pub description: String,
    pub toml: String,
}

/// The canned scenarios, each checked against the store's data.
pub fn canned(store: &Store) -> Result<Vec<CannedScenario>, AppError> {
    let years = store.trade().all_years();
    store
        .scenarios()
        .iter()
        .map(|s| {
            let sc = scenario::parse(&s.text, Path::new(&s.file), store.dataset(), &years)?;
            Ok(CannedScenario {
                file: s.file.clone(),
                name: sc.name,
                description: sc.description,
                toml: s.text.clone(),
            })
        })
        .collect()
}

/// The scenario to run: read and checked, with the query's overrides applied within `limits`.
pub fn prepare(
    store: &Store,
    source: &ScenarioSource,
    q: &SimulateQuery,
    limits: &Limits,
) -> Result<Scenario, AppError> {
    let years = store.trade().all_years();
    let ds = store.dataset();
    let mut sc = match source {
        ScenarioSource::File(path) => scenario::load(path, ds, &years)?,
        ScenarioSource::Text { name, text } => scenario::parse(text, Path::new(name), ds, &years)?,
        ScenarioSource::LargestSupplier(c) => largest_supplier_out(store, c, q.year)?,
    };
    if let Some(d) = q.draws {
        sc.montecarlo.draws = d;
    }
    over_limit("draws", sc.montecarlo.draws as usize, limits.draws as usize)?;
    if let Some(s) = q.seed {
        sc.montecarlo.seed = s;
    }
    if let Some(y) = q.year {
        if !years.contains(&y) {
            return Err(AppError::invalid(format!(
                "year={y}: no trade data; valid choices: {}",
                years_list(&years)
            )));
        }
        sc.year = Some(y);
    }
    Ok(sc)
}

/// The IEA-style stress test as a scenario.
fn largest_supplier_out(
    store: &Store,
    commodity: &str,
    year: Option<u16>,
) -> Result<Scenario, AppError> {
    let c = store.dataset().commodities.lookup(commodity)?.id.clone();
    // Without a year: the latest year in which any of the commodity's products has flows.
    let codes: Vec<u32> = store
        .dataset()
        .concordance
        .of_commodity(&c)
        .map(|l| l.hs6)
        .collect();
    let trade = store.trade();
    let latest_with_flows = trade
        .all_years()
        .into_iter()
        .rev()
        .find(|y| trade.has_flows(*y, &codes));
    let year = year
        .or(latest_with_flows)
        .or(trade.years().last().copied())
        .ok_or_else(|| AppError::no_data("the store holds no trade data"))?;
    let shocks = largest_supplier(store.dataset(), store.trade(), &c, None, year)?;
    Ok(Scenario {
        name: format!("Largest supplier of {c} out"),
        description:
            "IEA-style stress test: the largest exporter at each traded stage stops exporting."
                .into(),
        year: Some(year),
        model: Model::Marchand,
        shocks,
        params: lodestone_cascade::marchand::Params::scenario_default(),
        stock_months: 0.0,
        montecarlo: MonteCarlo {
            draws: 1000,
            seed: 1,
            link_sigma: 0.10,
            imputed_sigma: 0.50,
            stock_months: [0.0, 3.0],
            consumption_cut: [0.2, 0.5],
        },
        sources: vec![],
    })
}

/// Runs a prepared scenario within the work budget of `limits`, until `cancel` is set;
/// `progress` is called once per finished draw.
pub fn simulate(
    store: &Store,
    sc: &Scenario,
    progress: &(dyn Fn() + Sync),
    limits: &Limits,
    cancel: &Cancel,
) -> Result<Simulation, AppError> {
    let guard = Guard {
        budget: limits.work,
        cancel: cancel.clone(),
    };
    Ok(simulate_until(
        store.dataset(),
        store.trade(),
        sc,
        progress,
        &guard,
    )?)
}

/// How many networks a prepared scenario shocks (each runs every Monte Carlo draw).
pub fn networks(store: &Store, sc: &Scenario) -> Result<usize, AppError> {
    Ok(lodestone_cascade::simulate::networks_shocked(
        store.dataset(),
        store.trade(),
        sc,
    )?)
}

/// Prepares and runs a scenario in one step.
pub fn run(
    store: &Store,
    source: &ScenarioSource,
    q: &SimulateQuery,
    limits: &Limits,
    cancel: &Cancel,
) -> Result<Simulation, AppError> {
    let sc = prepare(store, source, q, limits)?;
    simulate(store, &sc, &|| {}, limits, cancel)
}

/// The simulation as a self-contained HTML page (a map of losses, bands, the largest changes).
pub fn html(store: &Store, sc: &Scenario, sim: &Simulation) -> String {
    lodestone_report::simulation_html(store.dataset(), sc, sim)
}
