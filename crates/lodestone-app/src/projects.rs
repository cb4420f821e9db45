//! Why this file exists: `projects` — the registry of mines, refineries and expansions with
//! status, capacity, financing and sources, filtered by commodity, country or group, and status.

use serde::Deserialize;

use lodestone_planner::Project;

use crate::error::AppError;
use crate::store::Store;

/// Which projects.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ProjectsQuery {
    /// Only this commodity.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub commodity: Option<String>,
    /// Only this country (ISO3 or name) or group id.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub country: Option<String>,
    /// Only this status: exploration, feasibility, financing, construction, producing.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub status: Option<String>,
}

/// The projects matching the query, in registry order.
pub fn projects(store: &Store, q: &ProjectsQuery) -> Result<Vec<Project>, AppError> {
    Ok(lodestone_planner::project::select(
        store.dataset(),
        store.projects(),
        q.commodity.as_deref(),
        q.country.as_deref(),
        q.status.as_deref(),
    )?
    .into_iter()
    .cloned()
    .collect())
}
