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

impl From<ModelError> for ApiError {
    fn from(e: ModelError) -> Self {
        match e {
            ModelError::Unknown { .. } => ApiError::not_found(e.to_string()),
            _ => ApiError::internal(e.to_string()),
        }
    }
}

impl From<AnalysisError> for ApiError {
    fn from(e: AnalysisError) -> Self {
        match e {
            AnalysisError::Model(m) => m.into(),
            e if e.is_usage() => ApiError::usage(e.to_string()),
            e => ApiError::no_data(e.to_string()),
        }
    }
}

impl From<PlanError> for ApiError {
    fn from(e: PlanError) -> Self {
        match &e {
            PlanError::Usage(_) => ApiError::usage(e.to_string()),
            PlanError::Infeasible(_) | PlanError::NoData(_) => ApiError::no_data(e.to_string()),
            PlanError::Registry { .. } | PlanError::Solver(_) => ApiError::internal(e.to_string()),
        }
    }
}

impl From<CascadeError> for ApiError {
    fn from(e: CascadeError) -> Self {
        match &e {
            CascadeError::Scenario { .. } => ApiError::usage(e.to_string()),
            CascadeError::NoNetwork(_) => ApiError::no_data(e.to_string()),
            _ => ApiError::internal(e.to_string()),
        }
    }
}

impl From<EventError> for ApiError {
    fn from(e: EventError) -> Self {
        match &e {
            EventError::Input(_) => ApiError::usage(e.to_string()),
            _ => ApiError::internal(e.to_string()),
        }
    }
}

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
