//! Why this file exists: registry files that do not hold (located at file, line, column and
//! field), and plans that cannot be made — which constraint binds, what data is missing — each
//! with its [`ErrorKind`].

use lodestone_analysis::AnalysisError;
use lodestone_model::{ErrorKind, Located, ModelError};

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A project file that does not parse or names what the data does not know.
    #[error(transparent)]
    Registry(#[from] Located),
    /// An unknown commodity, country or group (with "did you mean").
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// A request outside what the planner accepts (bad bound, year before the data).
    #[error("{0}")]
    Usage(String),
    #[error("infeasible: {0}")]
    Infeasible(String),
    #[error("{0}")]
    NoData(String),
    #[error("solver: {0}")]
    Solver(String),
    /// Whoever asked for the forecast gave up on it.
    #[error("the forecast was cancelled")]
    Cancelled,
}

impl PlanError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            PlanError::Registry(_) | PlanError::Usage(_) => ErrorKind::Invalid,
            PlanError::Model(e) => e.kind(),
            PlanError::Analysis(e) => e.kind(),
            PlanError::Infeasible(_) => ErrorKind::Infeasible,
            PlanError::NoData(_) => ErrorKind::NoData,
            PlanError::Solver(_) => ErrorKind::Internal,
            PlanError::Cancelled => ErrorKind::Cancelled,
        }
    }
}
