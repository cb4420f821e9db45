//! Why this file exists: disruption scenarios — the canned ones, and running a scenario the
//! client sends (edited or new) through the trade cascade with Monte Carlo bands.

use axum::extract::rejection::{QueryRejection, StringRejection};
use axum::extract::{Query, State};

use lodestone_app::simulate::{
    canned as canned_list, run, CannedScenario, ScenarioSource, SimulateQuery,
};
use lodestone_app::types::Simulation;

use super::{blocking, heavy, ApiResult, NoQuery};
use crate::error::ErrorBody;
use crate::state::Shared;

/// The canned scenarios (China's export controls, a Kazakh uranium outage, …).
#[utoipa::path(get, path = "/api/scenarios", tag = "scenarios",
    responses((status = 200, description = "Canned scenarios with their TOML", body = Vec<CannedScenario>)))]
pub async fn canned(
    State(st): State<Shared>,
    q: Result<Query<NoQuery>, QueryRejection>,
) -> ApiResult<Vec<CannedScenario>> {
    let Query(NoQuery {}) = q?;
    blocking(&st, |st| canned_list(&st.store)).await
}

/// Runs a scenario (TOML in the body) through the trade network: losses per country and stage,
/// with bands.
#[utoipa::path(post, path = "/api/simulate", tag = "scenarios", params(SimulateQuery),
    request_body(content = String, content_type = "application/toml", description = "A scenario file"),
    responses((status = 200, description = "The simulation", body = Simulation),
              (status = 400, description = "The scenario does not parse (line and field named)", body = ErrorBody),
              (status = 415, description = "The body is not application/toml or text/plain", body = ErrorBody),
              (status = 422, description = "Over the server's work budget (`over_budget`; the draws that fit are named)", body = ErrorBody),
              (status = 503, description = "Every computing slot is taken (`Retry-After`)", body = ErrorBody)))]
pub async fn simulate(
    State(st): State<Shared>,
    q: Result<Query<SimulateQuery>, QueryRejection>,
    body: Result<String, StringRejection>,
) -> ApiResult<Simulation> {
    let Query(q) = q?;
    let source = ScenarioSource::Text {
        name: "request body".into(),
        text: body?,
    };
    heavy(&st, move |st, cancel| {
        run(&st.store, &source, &q, &st.limits.app(), cancel)
    })
    .await
}
