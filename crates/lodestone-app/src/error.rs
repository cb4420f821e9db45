//! Why this file exists: whatever crate a failure comes from, the front ends see one error with
//! one [`ErrorKind`]; the CLI turns the kind into an exit code and the server into an HTTP
//! status, each with a single `match`.

use lodestone_analysis::AnalysisError;
use lodestone_cascade::CascadeError;
use lodestone_events::EventError;
use lodestone_model::{ErrorKind, Located, ModelError};
use lodestone_planner::PlanError;
use lodestone_sources::SourceError;

/// A failure of a use case: its kind and the one line a user reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
}

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        AppError {
            kind,
            message: lodestone_model::one_line(&message.into()),
        }
    }

    /// A malformed or out-of-bounds request.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, message)
    }

    /// A well-formed request the data cannot answer.
    pub fn no_data(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NoData, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }

    /// The same failure, its message prefixed with where it happened (a file, a flag).
    pub fn prefixed(self, place: &str) -> Self {
        AppError {
            message: format!("{place}: {}", self.message),
            ..self
        }
    }

    /// The same failure, reclassified (e.g. a broken embedded registry is internal, not invalid).
    pub fn as_kind(self, kind: ErrorKind) -> Self {
        AppError { kind, ..self }
    }
}

macro_rules! from_kinded {
    ($($t:ty),*) => {$(
        impl From<$t> for AppError {
            fn from(e: $t) -> Self {
                AppError::new(e.kind(), e.to_string())
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

impl From<Located> for AppError {
    fn from(e: Located) -> Self {
        AppError::invalid(e.to_string())
    }
}

impl From<SourceError> for AppError {
    fn from(e: SourceError) -> Self {
        let kind = match &e {
            SourceError::Model(m) => m.kind(),
            SourceError::Io { .. } => ErrorKind::NotFound,
            _ => ErrorKind::Invalid,
        };
        AppError::new(kind, e.to_string())
    }
}
