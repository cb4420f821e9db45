//! Why this file exists: every failure leaves the API as the same JSON object —
//! `{"error": {"status": 400, "kind": "invalid", "message": "…"}}` — whatever layer it came from.
//! The status is one match on the use case's [`ErrorKind`].

use axum::extract::rejection::{BytesRejection, QueryRejection, StringRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use lodestone_app::{AppError, ErrorKind};
use serde::Serialize;
use utoipa::ToSchema;

/// The JSON body of every error response: `{"error": {"status", "kind", "message"}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status, repeated in the body.
    pub status: u16,
    /// The kind of failure: `not_found`, `invalid`, `no_data`, `infeasible`, `over_budget`,
    /// `cancelled` or `internal` from the use case; `busy`, `rate_limited`, `forbidden` or
    /// `timeout` from the server's layers.
    pub kind: String,
    /// One line for a person: what failed, and for a name the data does not know, what it could
    /// have been.
    pub message: String,
}

/// An error as the API reports it.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
    /// Seconds a client should wait before retrying (429, 503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: lodestone_app::types::one_line(&message.into()),
            retry_after: None,
        }
    }

    /// The server cannot take the request now (503 with `Retry-After`).
    pub fn busy(message: impl Into<String>, retry_after_secs: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after_secs),
            ..Self::new(StatusCode::SERVICE_UNAVAILABLE, "busy", message)
        }
    }

    /// One client sent more requests than its rate allows (429 with `Retry-After`).
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after_secs.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "too many requests from this address; retry in {} s",
                    retry_after_secs.max(1)
                ),
            )
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
            ErrorKind::NoData | ErrorKind::Infeasible | ErrorKind::OverBudget => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ErrorKind::Cancelled => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self::new(status, kind.as_str(), message)
    }

    /// The JSON body every error response carries.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                kind: self.kind.to_string(),
                message: self.message.clone(),
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Json(self.body())).into_response();
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        res
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
