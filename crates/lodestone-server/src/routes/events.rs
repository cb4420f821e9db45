//! Why this file exists: the deals and export-control tracker — the reviewed registry, and the
//! extractor run on an article the client posts.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use lodestone_events::event::{parse_date, Filter};
use lodestone_events::{extract, input, link, Event};

use super::{blocking, ApiResult};
use crate::error::ApiError;
use crate::state::Shared;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    /// Only events involving this country (ISO3 or name) or group id.
    country: Option<String>,
    /// Only events about this commodity.
    commodity: Option<String>,
    /// Only this type: export-control, financing, agreement, …
    #[serde(rename = "type")]
    #[param(rename = "type")]
    kind: Option<String>,
    /// Only events on or after this date (YYYY-MM-DD).
    since: Option<String>,
}

/// Reviewed events (deals, financing, export controls, lists), each with its sources.
#[utoipa::path(get, path = "/api/events", tag = "events", params(EventParams),
    responses((status = 200, description = "Matching events, oldest first", body = serde_json::Value)))]
pub async fn list(
    State(st): State<Shared>,
    q: Result<Query<EventParams>, QueryRejection>,
) -> ApiResult<Vec<Event>> {
    let Query(q) = q?;
    let ds = st.ds;
    let filter = Filter::resolve(
        ds,
        q.country.as_deref(),
        q.commodity.as_deref(),
        q.kind.as_deref(),
        q.since.as_deref(),
    )?;
    Ok(Json(
        st.events
            .iter()
            .filter(|e| filter.matches(e, ds))
            .cloned()
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExtractParams {
    /// Publication date (YYYY-MM-DD), to resolve "on Thursday" and "last year".
    date: Option<String>,
}

/// Extracts entities, amounts, dates and candidate events from an article (plain text or HTML
/// in the body), with links to registered projects and a scenario per export control.
#[utoipa::path(post, path = "/api/events/extract", tag = "events", params(ExtractParams),
    request_body(content = String, content_type = "text/plain", description = "The article"),
    responses((status = 200, description = "The extraction", body = serde_json::Value),
              (status = 413, description = "Body over the size cap", body = serde_json::Value)))]
pub async fn extract_article(
    State(st): State<Shared>,
    q: Result<Query<ExtractParams>, QueryRejection>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<serde_json::Value> {
    let Query(q) = q?;
    let bytes = body.map_err(|e| ApiError::new(e.status(), "usage", e.body_text()))?;
    let published = match &q.date {
        Some(d) => Some(
            parse_date(d)
                .ok_or_else(|| ApiError::usage(format!("date={d:?}: expected YYYY-MM-DD")))?,
        ),
        None => None,
    };
    blocking(&st, move |st| {
        let text = input::prepare(&bytes)?;
        let ex = extract(&text, published, &st.gazetteer, &st.triggers);
        let candidates: Vec<serde_json::Value> = ex
            .events
            .iter()
            .map(|c| {
                serde_json::json!({
                    "project_matches": link::match_projects(c, &st.events),
                    "scenario_toml": link::scenario_toml(c, 0.5),
                })
            })
            .collect();
        Ok(serde_json::json!({ "extraction": ex, "links": candidates }))
    })
    .await
}
