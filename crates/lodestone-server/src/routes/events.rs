//! Why this file exists: the deals and export-control tracker — the reviewed registry, and the
//! extractor run on an article the client posts.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};

use lodestone_app::events::{events as select, EventsQuery};
use lodestone_app::extract::{extract, ArticleEvents, ExtractQuery};
use lodestone_app::types::Event;

use super::{blocking, heavy, ApiResult};
use crate::error::ErrorBody;
use crate::state::Shared;

/// Reviewed events (deals, financing, export controls, lists), each with its sources.
#[utoipa::path(get, path = "/api/events", tag = "events", params(EventsQuery),
    responses((status = 200, description = "Matching events, oldest first", body = Vec<Event>)))]
pub async fn list(
    State(st): State<Shared>,
    q: Result<Query<EventsQuery>, QueryRejection>,
) -> ApiResult<Vec<Event>> {
    let Query(q) = q?;
    blocking(&st, move |st| select(&st.store, &q)).await
}

/// Extracts entities, amounts, dates and candidate events from an article (plain text or HTML
/// in the body), with links to registered projects and a scenario per export control.
#[utoipa::path(post, path = "/api/events/extract", tag = "events", params(ExtractQuery),
    request_body(content = String, content_type = "text/plain", description = "The article"),
    responses((status = 200, description = "The extraction", body = ArticleEvents),
              (status = 413, description = "Body over the size cap", body = ErrorBody)))]
pub async fn extract_article(
    State(st): State<Shared>,
    q: Result<Query<ExtractQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<ArticleEvents> {
    let Query(q) = q?;
    let bytes = body?;
    heavy(&st, move |st, _| {
        extract(&st.store, "request body", &bytes, &q)
    })
    .await
}
