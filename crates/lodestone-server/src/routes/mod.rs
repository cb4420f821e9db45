//! Why this file exists: the API's routes, one file per capability, and the helpers they share.
//! Each handler reads its query (the use case's own type), runs the use case and answers JSON.

pub mod data;
pub mod events;
pub mod planning;
pub mod risk;
pub mod scenario;

use axum::Json;
use serde::Serialize;

use lodestone_app::AppError;

use crate::error::ApiError;
use crate::state::{AppState, Shared};

/// The JSON a handler answers with.
pub type ApiResult<T> = Result<Json<T>, ApiError>;

/// Runs CPU-bound work off the async workers so slow requests do not stall fast ones.
pub(crate) async fn blocking<T, F>(st: &Shared, f: F) -> ApiResult<T>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
{
    let st = st.clone();
    let out = tokio::task::spawn_blocking(move || f(&st)).await??;
    Ok(Json(out))
}
