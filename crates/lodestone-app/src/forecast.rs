//! Why this file exists: `forecast` — supply by country to a future year: today's output plus
//! the project pipeline weighted by status, with Monte Carlo bands.

use serde::Deserialize;

use lodestone_model::{Cancel, Stage};
use lodestone_planner::{Forecast, ForecastQuery as EngineQuery};

use crate::error::AppError;
use crate::limits::Limits;
use crate::params::{opt_from_str, over_limit};
use crate::store::Store;

/// Which forecast.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ForecastQuery {
    /// Commodity id, name or synonym.
    #[serde(skip)]
    pub commodity: String,
    /// Last year of the forecast.
    #[serde(default = "to_2035")]
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 2035))]
    pub to: u16,
    /// Stage (default: the commodity's main series).
    #[serde(default, deserialize_with = "opt_from_str")]
    #[cfg_attr(feature = "clap", arg(long))]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub stage: Option<Stage>,
    /// Only projects with recorded financing or under construction.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub only_financed: bool,
    /// Monte Carlo draws (0 = expected values only).
    #[serde(default = "draws_2000")]
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 2000))]
    pub draws: u32,
    /// Seed of the draws.
    #[serde(default = "to_2035")]
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 2035))]
    pub seed: u64,
}

fn to_2035<T: From<u16>>() -> T {
    T::from(2035)
}

fn draws_2000() -> u32 {
    2000
}

impl Default for ForecastQuery {
    fn default() -> Self {
        ForecastQuery {
            commodity: String::new(),
            to: 2035,
            stage: None,
            only_financed: false,
            draws: 2000,
            seed: 2035,
        }
    }
}

/// The forecast the query asks for.
pub fn forecast(
    store: &Store,
    q: &ForecastQuery,
    limits: &Limits,
    cancel: &Cancel,
) -> Result<Forecast, AppError> {
    over_limit("draws", q.draws as usize, limits.draws as usize)?;
    let eq = EngineQuery {
        commodity: q.commodity.clone(),
        stage: q.stage,
        to: q.to,
        only_financed: q.only_financed,
        draws: q.draws,
        seed: q.seed,
        effects: output_effects(store),
        assets: store.assets().to_vec(),
    };
    Ok(lodestone_planner::forecast_until(
        store.dataset(),
        store.projects(),
        &eq,
        cancel,
    )?)
}

/// Every announced output change in the events registry.
pub(crate) fn output_effects(store: &Store) -> Vec<lodestone_model::OutputEffect> {
    store
        .events()
        .iter()
        .flat_map(|e| e.output.iter().cloned())
        .collect()
}
