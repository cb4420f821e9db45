//! Why this file exists: the API's routes, one file per capability, and the helpers they share.

pub mod data;
pub mod events;
pub mod planning;
pub mod risk;
pub mod scenario;

use axum::Json;
use serde::Serialize;

use lodestone_model::Stage;

use crate::error::ApiError;
use crate::state::Shared;

/// The JSON a handler answers with.
pub type ApiResult<T> = Result<Json<T>, ApiError>;

pub(crate) fn stage_of(s: Option<&str>) -> Result<Option<Stage>, ApiError> {
    s.map(|x| {
        x.parse::<Stage>()
            .map_err(|e| ApiError::usage(e.to_string()))
    })
    .transpose()
}

/// Runs CPU-bound work off the async workers so slow requests do not stall fast ones.
pub(crate) async fn blocking<T, F>(st: &Shared, f: F) -> Result<Json<T>, ApiError>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&crate::state::AppState) -> Result<T, ApiError> + Send + 'static,
{
    let st = st.clone();
    let out = tokio::task::spawn_blocking(move || f(&st)).await??;
    Ok(Json(out))
}
