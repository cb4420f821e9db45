//! Why this file exists: `plan` — the sourcing mix that minimises supply risk for an importer
//! within each supplier's exportable volume, the caps and floors asked for, and a cost weight.

use serde::Deserialize;

use lodestone_model::Stage;
use lodestone_planner::{Bound, Plan, PlanQuery as EngineQuery};

use crate::error::AppError;
use crate::limits::Limits;
use crate::params::{comma_list, opt_from_str, over_limit};
use crate::store::Store;

/// Which plan.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PlanQuery {
    /// Commodity id, name or synonym.
    #[serde(skip)]
    pub commodity: String,
    /// The importer: ISO3, country name or group id.
    #[serde(default = "crate::params::usa")]
    #[cfg_attr(feature = "clap", arg(long, default_value = "USA"))]
    pub importer: String,
    /// Target year (exportable supply grows with the forecast to this year).
    #[serde(default = "year_2030")]
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 2030))]
    pub year: u16,
    /// Stage (default: the first traded stage).
    #[serde(default, deserialize_with = "opt_from_str")]
    #[cfg_attr(feature = "clap", arg(long))]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub stage: Option<Stage>,
    /// Maximum shares, e.g. CHN=0.2 or concern=0.3 (repeatable or comma-separated).
    #[serde(default, deserialize_with = "comma_list")]
    #[cfg_attr(
        feature = "clap",
        arg(long = "cap", value_name = "WHO=SHARE", value_delimiter = ',')
    )]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub cap: Vec<Bound>,
    /// Minimum shares, e.g. c5=0.1 (repeatable or comma-separated).
    #[serde(default, deserialize_with = "comma_list")]
    #[cfg_attr(
        feature = "clap",
        arg(long = "floor", value_name = "WHO=SHARE", value_delimiter = ',')
    )]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub floor: Vec<Bound>,
    /// Countries or groups to favour (their governance weight is halved), e.g. c5.
    #[serde(default, deserialize_with = "comma_list")]
    #[cfg_attr(feature = "clap", arg(long, value_delimiter = ','))]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub prefer: Vec<String>,
    /// Weight of the cost proxy against risk.
    #[serde(default = "cost_weight")]
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 0.1))]
    pub cost_weight: f64,
    /// Also trace the risk–cost frontier.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub frontier: bool,
}

fn year_2030() -> u16 {
    2030
}

fn cost_weight() -> f64 {
    0.1
}

impl Default for PlanQuery {
    fn default() -> Self {
        PlanQuery {
            commodity: String::new(),
            importer: crate::params::usa(),
            year: 2030,
            stage: None,
            cap: vec![],
            floor: vec![],
            prefer: vec![],
            cost_weight: 0.1,
            frontier: false,
        }
    }
}

/// The plan the query asks for (an infeasible ask names the binding caps and floors).
pub fn plan(store: &Store, q: &PlanQuery, limits: &Limits) -> Result<Plan, AppError> {
    over_limit(
        "caps and floors",
        q.cap.len() + q.floor.len(),
        limits.plan_bounds,
    )?;
    if !(q.cost_weight.is_finite() && q.cost_weight >= 0.0) {
        return Err(AppError::invalid(format!(
            "cost_weight={}: expected a number ≥ 0",
            q.cost_weight
        )));
    }
    let eq = EngineQuery {
        commodity: q.commodity.clone(),
        stage: q.stage,
        importer: q.importer.clone(),
        year: q.year,
        caps: q.cap.clone(),
        floors: q.floor.clone(),
        prefer: q.prefer.clone(),
        cost_weight: q.cost_weight,
        frontier: q.frontier,
    };
    Ok(lodestone_planner::plan(
        store.dataset(),
        store.trade(),
        store.projects(),
        &eq,
    )?)
}
