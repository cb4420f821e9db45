//! Why this file exists: `plan` — the sourcing mix that minimises supply risk for an importer
//! within each supplier's exportable volume, the caps and floors asked for, and a cost weight.

use serde::Deserialize;

use lodestone_model::Stage;
use lodestone_planner::{Bound, Limits as SupplierLimits, Plan, PlanQuery as EngineQuery};

use crate::error::AppError;
use crate::limits::Limits;
use crate::params::{comma_list, opt_from_str, over_limit};
use crate::store::Store;

/// Which plan.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// At most this many suppliers (a mixed-integer program), e.g. 5.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub max_suppliers: Option<usize>,
    /// Each chosen supplier takes at least this share of use, e.g. 0.05.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub min_share: Option<f64>,
    /// Let trading hubs (exports without production at the stage) offer their exports.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub allow_hubs: bool,
    /// Countries or groups never to buy from, besides the `sanctioned` group, e.g. concern.
    #[serde(default, deserialize_with = "comma_list")]
    #[cfg_attr(feature = "clap", arg(long, value_delimiter = ','))]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub exclude: Vec<String>,
    /// Countries or groups to favour (their preference weight is halved), e.g. c5.
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
            max_suppliers: None,
            min_share: None,
            allow_hubs: false,
            exclude: vec![],
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
    if let Some(m) = q.min_share.filter(|m| !m.is_finite()) {
        return Err(AppError::invalid(format!(
            "min_share={m}: expected a share between 0 and 1"
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
        limits: SupplierLimits {
            max_suppliers: q.max_suppliers,
            min_share: q.min_share,
        },
        allow_hubs: q.allow_hubs,
        exclude: q.exclude.clone(),
        restrictions: restrictions_today(store),
    };
    Ok(lodestone_planner::plan(
        store.dataset(),
        store.trade(),
        store.projects(),
        &eq,
    )?)
}

/// Export restrictions in force on the registry's latest event date (flagged on the origins
/// they bind): the newest state the registry knows, the same on every run.
pub(crate) fn restrictions_today(store: &Store) -> Vec<lodestone_model::Restriction> {
    store
        .events()
        .iter()
        .filter_map(|e| chrono::NaiveDate::parse_from_str(&e.date, "%Y-%m-%d").ok())
        .max()
        .map(|day| lodestone_events::restrictions::in_force(store.events(), day))
        .unwrap_or_default()
}
