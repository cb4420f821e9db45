//! Why this file exists: every failure leaves the API as the same JSON object —
//! `{"error": {"status": 400, "kind": "invalid", "message": "…"}}` — whatever layer it came from.
//! The status is one match on the use case's [`ErrorKind`].

use axum::extract::rejection::{BytesRejection, QueryRejection, StringRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use lodestone_app::{AppError, ErrorKind};

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

    /// A name the data does not know (404, with "did you mean").
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::of(ErrorKind::NotFound, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::of(ErrorKind::Internal, message)
    }

    /// The status a kind of failure deserves.
    pub fn of(kind: ErrorKind, message: impl Into<String>) -> Self {
        let status = match kind {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Invalid => StatusCode::BAD_REQUEST,
            ErrorKind::NoData | ErrorKind::Infeasible => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self::new(status, kind.as_str(), message)
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

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::of(e.kind, e.message)
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError::of(ErrorKind::Invalid, e.body_text())
    }
}

impl From<StringRejection> for ApiError {
    fn from(e: StringRejection) -> Self {
        ApiError::new(e.status(), ErrorKind::Invalid.as_str(), e.body_text())
    }
}

impl From<BytesRejection> for ApiError {
    fn from(e: BytesRejection) -> Self {
        ApiError::new(e.status(), ErrorKind::Invalid.as_str(), e.body_text())
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        ApiError::internal(format!("the computation failed: {e}"))
    }
}
