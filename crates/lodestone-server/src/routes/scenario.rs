//! Why this file exists: disruption scenarios — the canned ones, and running a scenario the
//! client sends (edited or new) through the trade cascade with Monte Carlo bands.

use axum::extract::rejection::{QueryRejection, StringRejection};
use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use lodestone_cascade::{scenario, Simulation};

use super::{blocking, ApiResult};
use crate::error::ApiError;
use crate::state::Shared;

/// A scenario shipped with Lodestone, as TOML the client can edit and post back.
#[derive(Debug, Serialize)]
pub struct CannedScenario {
    pub file: &'static str,
    pub name: String,
    pub description: String,
    pub toml: &'static str,
}

/// The canned scenarios (China's export controls, a Kazakh uranium outage, …).
#[utoipa::path(get, path = "/api/scenarios", tag = "scenarios",
    responses((status = 200, description = "Canned scenarios with their TOML", body = serde_json::Value)))]
pub async fn canned(State(st): State<Shared>) -> ApiResult<Vec<CannedScenario>> {
    let years = st.trade.years();
    lodestone_data::texts::SCENARIOS
        .iter()
        .map(|(file, toml)| {
            let sc = scenario::parse(toml, std::path::Path::new(file), st.ds, &years)?;
            Ok(CannedScenario {
                file,
                name: sc.name,
                description: sc.description,
                toml,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()
        .map(Json)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimulateParams {
    /// Monte Carlo draws (overrides the scenario's; capped per request).
    draws: Option<u32>,
    /// Seed of the draws.
    seed: Option<u64>,
    /// Trade year of the network (default: the scenario's, else the latest).
    year: Option<u16>,
}

/// Runs a scenario (TOML in the body) through the trade network: losses per country and stage,
/// with bands.
#[utoipa::path(post, path = "/api/simulate", tag = "scenarios", params(SimulateParams),
    request_body(content = String, content_type = "application/toml", description = "A scenario file"),
    responses((status = 200, description = "The simulation", body = serde_json::Value),
              (status = 400, description = "The scenario does not parse (line and field named)", body = serde_json::Value)))]
pub async fn simulate(
    State(st): State<Shared>,
    q: Result<Query<SimulateParams>, QueryRejection>,
    body: Result<String, StringRejection>,
) -> ApiResult<Simulation> {
    let Query(q) = q?;
    let text = body?;
    let years = st.trade.years();
    let mut sc = scenario::parse(&text, std::path::Path::new("request body"), st.ds, &years)?;
    if let Some(d) = q.draws {
        sc.montecarlo.draws = d;
    }
    if sc.montecarlo.draws > st.limits.draws {
        return Err(ApiError::usage(format!(
            "draws={}: this server caps a request at {}",
            sc.montecarlo.draws, st.limits.draws
        )));
    }
    if let Some(s) = q.seed {
        sc.montecarlo.seed = s;
    }
    if let Some(y) = q.year {
        if !years.contains(&y) {
            return Err(ApiError::usage(format!(
                "year={y}: no trade data; valid choices: {years:?}"
            )));
        }
        sc.year = Some(y);
    }
    blocking(&st, move |st| {
        Ok(lodestone_cascade::simulate(st.ds, st.trade, &sc, &|| {})?)
    })
    .await
}
