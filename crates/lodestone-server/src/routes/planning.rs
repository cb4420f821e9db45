//! Why this file exists: the future-supply endpoints — the project registry, the supply forecast
//! with Monte Carlo bands, and the diversification planner.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};

use lodestone_app::forecast::{forecast as run_forecast, ForecastQuery};
use lodestone_app::plan::{plan as run_plan, PlanQuery};
use lodestone_app::projects::{projects as select, ProjectsQuery};
use lodestone_app::types::{Forecast, Plan, Project};

use super::{blocking, heavy, ApiResult};
use crate::error::ErrorBody;
use crate::state::Shared;

/// Announced and producing projects with capacity, status, financing and sources.
#[utoipa::path(get, path = "/api/projects", tag = "planning", params(ProjectsQuery),
    responses((status = 200, description = "Matching projects", body = Vec<Project>)))]
pub async fn projects(
    State(st): State<Shared>,
    q: Result<Query<ProjectsQuery>, QueryRejection>,
) -> ApiResult<Vec<Project>> {
    let Query(q) = q?;
    blocking(&st, move |st| select(&st.store, &q)).await
}

/// Supply by country to a future year: expected values and Monte Carlo bands.
#[utoipa::path(get, path = "/api/forecast/{commodity}", tag = "planning",
    params(("commodity" = String, Path, description = "Commodity id, name or synonym"), ForecastQuery),
    responses((status = 200, description = "The forecast", body = Forecast)))]
pub async fn forecast(
    State(st): State<Shared>,
    Path(commodity): Path<String>,
    q: Result<Query<ForecastQuery>, QueryRejection>,
) -> ApiResult<Forecast> {
    let Query(q) = q?;
    let q = ForecastQuery { commodity, ..q };
    heavy(&st, move |st, cancel| {
        run_forecast(&st.store, &q, &st.limits.app(), cancel)
    })
    .await
}

/// The sourcing mix that minimises supply risk within exportable supply, caps and floors.
#[utoipa::path(get, path = "/api/plan/{commodity}", tag = "planning",
    params(("commodity" = String, Path, description = "Commodity id, name or synonym"), PlanQuery),
    responses((status = 200, description = "The plan", body = Plan),
              (status = 422, description = "Infeasible: names the binding caps or floors", body = ErrorBody)))]
pub async fn plan(
    State(st): State<Shared>,
    Path(commodity): Path<String>,
    q: Result<Query<PlanQuery>, QueryRejection>,
) -> ApiResult<Plan> {
    let Query(q) = q?;
    let q = PlanQuery { commodity, ..q };
    heavy(&st, move |st, _| run_plan(&st.store, &q, &st.limits.app())).await
}
