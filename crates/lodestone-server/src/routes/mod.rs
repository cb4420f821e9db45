//! Why this file exists: the API's routes, one file per capability, and the helpers they share.
//! Each handler reads its query (the use case's own type), runs the use case and answers JSON.

pub mod data;
pub mod events;
pub mod planning;
pub mod risk;
pub mod scenario;

use axum::Json;
use serde::Serialize;

use lodestone_app::{AppError, Cancel, CancelOnDrop};

use crate::error::ApiError;
use crate::state::{AppState, Shared};

/// The query of a route that takes no parameters: any parameter is refused (400, named), so a
/// misspelt or misplaced one is never silently ignored.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoQuery {}

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

/// Runs heavy work behind the admission gate, with a cancel token that is set when this
/// request's future is dropped — by the timeout layer, or by hyper when the client hangs up —
/// so the computation stops at its next check and its slot frees.
pub(crate) async fn heavy<T, F>(st: &Shared, f: F) -> ApiResult<T>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&AppState, &Cancel) -> Result<T, AppError> + Send + 'static,
{
    let slot = st.admission.enter().await?;
    let cancel = Cancel::never();
    let _stop_when_abandoned = CancelOnDrop(cancel.clone());
    let st = st.clone();
    let out = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        f(&st, &cancel)
    })
    .await??;
    Ok(Json(out))
}
