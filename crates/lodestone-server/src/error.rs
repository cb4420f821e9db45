//! Why this file exists: every failure leaves the API as the same JSON object —
//! `{"error": {"status": 400, "kind": "usage", "message": "…"}}` — whatever layer it came from.

use axum::extract::rejection::{QueryRejection, StringRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use lodestone_analysis::AnalysisError;
use lodestone_cascade::CascadeError;
use lodestone_events::EventError;
use lodestone_model::ModelError;
use lodestone_planner::PlanError;

/// An error as the API reports it.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
        }
    }

    /// The client asked for something malformed or out of bounds (400).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "usage", message)
    }

    /// A name the dataset does not know (404, with "did you mean" from the model).
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// The request is well formed but the data cannot answer it (422).
    pub fn no_data(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "no_data", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// The JSON body every error response carries.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({ "error": {
            "status": self.status.as_u16(),
            "kind": self.kind,
            "message": self.message,
        }})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

impl ApiError {
    /// The status a kind of failure deserves.
    pub fn of_kind(kind: lodestone_model::ErrorKind, message: String) -> Self {
        use lodestone_model::ErrorKind as K;
        let status = match kind {
            K::NotFound => StatusCode::NOT_FOUND,
            K::Invalid => StatusCode::BAD_REQUEST,
            K::NoData | K::Infeasible => StatusCode::UNPROCESSABLE_ENTITY,
            K::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self::new(status, kind.as_str(), message)
    }
}

macro_rules! from_kinded {
    ($($t:ty),*) => {$(
        impl From<$t> for ApiError {
            fn from(e: $t) -> Self {
                ApiError::of_kind(e.kind(), e.to_string())
            }
        }
    )*};
}
from_kinded!(
    ModelError,
    AnalysisError,
    PlanError,
    CascadeError,
    EventError
);

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError::usage(e.body_text())
    }
}

impl From<StringRejection> for ApiError {
    fn from(e: StringRejection) -> Self {
        ApiError::new(e.status(), "usage", e.body_text())
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        ApiError::internal(format!("the computation failed: {e}"))
    }
}
