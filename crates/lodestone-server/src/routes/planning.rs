//! Why this file exists: the future-supply endpoints — the project registry, the supply forecast
//! with Monte Carlo bands, and the diversification planner.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use lodestone_planner::{Bound, Forecast, ForecastQuery, Plan, PlanQuery, Project};

use super::{blocking, stage_of, ApiResult};
use crate::error::ApiError;
use crate::state::Shared;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectParams {
    /// Only this commodity.
    commodity: Option<String>,
    /// Only this country (ISO3 or name) or group id.
    country: Option<String>,
    /// Only this status: producing, construction, financing, feasibility, exploration.
    status: Option<String>,
}

/// Announced and producing projects with capacity, status, financing and sources.
#[utoipa::path(get, path = "/api/projects", tag = "planning", params(ProjectParams),
    responses((status = 200, description = "Matching projects", body = serde_json::Value)))]
pub async fn projects(
    State(st): State<Shared>,
    q: Result<Query<ProjectParams>, QueryRejection>,
) -> ApiResult<Vec<Project>> {
    let Query(q) = q?;
    let rows = lodestone_planner::project::select(
        st.ds,
        &st.projects,
        q.commodity.as_deref(),
        q.country.as_deref(),
        q.status.as_deref(),
    )?
    .into_iter()
    .cloned()
    .collect();
    Ok(Json(rows))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ForecastParams {
    /// Last year of the forecast (default 2035).
    to: Option<u16>,
    /// Stage (default: the commodity's main series).
    stage: Option<String>,
    /// Only projects with recorded financing or under construction.
    only_financed: Option<bool>,
    /// Monte Carlo draws (default 2000; capped per request).
    draws: Option<u32>,
    /// Seed of the draws (default 2035).
    seed: Option<u64>,
}

/// Supply by country to a future year: expected values and Monte Carlo bands.
#[utoipa::path(get, path = "/api/forecast/{commodity}", tag = "planning",
    params(("commodity" = String, Path, description = "Commodity id, name or synonym"), ForecastParams),
    responses((status = 200, description = "The forecast", body = serde_json::Value)))]
pub async fn forecast(
    State(st): State<Shared>,
    Path(commodity): Path<String>,
    q: Result<Query<ForecastParams>, QueryRejection>,
) -> ApiResult<Forecast> {
    let Query(q) = q?;
    let draws = q.draws.unwrap_or(2000);
    if draws > st.limits.draws {
        return Err(ApiError::usage(format!(
            "draws={draws}: this server caps a request at {}",
            st.limits.draws
        )));
    }
    let fq = ForecastQuery {
        commodity,
        stage: stage_of(q.stage.as_deref())?,
        to: q.to.unwrap_or(2035),
        only_financed: q.only_financed.unwrap_or(false),
        draws,
        seed: q.seed.unwrap_or(2035),
    };
    blocking(&st, move |st| {
        Ok(lodestone_planner::forecast(st.ds, &st.projects, &fq)?)
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanParams {
    /// Importer: ISO3 or country name (default USA).
    importer: Option<String>,
    /// Target year (default 2030).
    year: Option<u16>,
    /// Stage (default: the first traded stage).
    stage: Option<String>,
    /// Comma-separated maximum shares, e.g. `CHN=0.2,concern=0.3`.
    cap: Option<String>,
    /// Comma-separated minimum shares, e.g. `c5=0.1`.
    floor: Option<String>,
    /// Comma-separated countries or groups to favour, e.g. `c5`.
    prefer: Option<String>,
    /// Weight of the cost proxy against risk (default 0.1).
    cost_weight: Option<f64>,
    /// Also trace the risk–cost frontier.
    frontier: Option<bool>,
}

fn list(s: &Option<String>) -> Vec<String> {
    s.as_deref()
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn bounds(s: &Option<String>, name: &str) -> Result<Vec<Bound>, ApiError> {
    list(s)
        .iter()
        .map(|x| {
            x.parse::<Bound>()
                .map_err(|e| ApiError::usage(format!("{name}: {e}")))
        })
        .collect()
}

/// The sourcing mix that minimises supply risk within exportable supply, caps and floors.
#[utoipa::path(get, path = "/api/plan/{commodity}", tag = "planning",
    params(("commodity" = String, Path, description = "Commodity id, name or synonym"), PlanParams),
    responses((status = 200, description = "The plan", body = serde_json::Value),
              (status = 422, description = "Infeasible: names the binding caps or floors", body = serde_json::Value)))]
pub async fn plan(
    State(st): State<Shared>,
    Path(commodity): Path<String>,
    q: Result<Query<PlanParams>, QueryRejection>,
) -> ApiResult<Plan> {
    let Query(q) = q?;
    let caps = bounds(&q.cap, "cap")?;
    let floors = bounds(&q.floor, "floor")?;
    if caps.len() + floors.len() > st.limits.plan_bounds {
        return Err(ApiError::usage(format!(
            "{} caps and floors: this server takes at most {}",
            caps.len() + floors.len(),
            st.limits.plan_bounds
        )));
    }
    let pq = PlanQuery {
        commodity,
        stage: stage_of(q.stage.as_deref())?,
        importer: q.importer.clone().unwrap_or_else(|| "USA".into()),
        year: q.year.unwrap_or(2030),
        caps,
        floors,
        prefer: list(&q.prefer),
        cost_weight: q.cost_weight.unwrap_or(0.1),
        frontier: q.frontier.unwrap_or(false),
    };
    blocking(&st, move |st| {
        Ok(lodestone_planner::plan(st.ds, st.trade, &st.projects, &pq)?)
    })
    .await
}
