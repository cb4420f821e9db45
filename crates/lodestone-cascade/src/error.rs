//! Why this file exists: the cascade's failures — a scenario file that does not hold (located at
//! its file, line, column and field), or a scenario the trade data cannot carry — each with its
//! [`ErrorKind`].

use lodestone_analysis::AnalysisError;
use lodestone_model::{ErrorKind, Located, ModelError};

#[derive(Debug, thiserror::Error)]
pub enum CascadeError {
    /// A scenario file that does not parse or names what the data does not know.
    #[error(transparent)]
    Scenario(#[from] Located),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// The trade data has no network for the scenario's commodity, stage or year.
    #[error("{0}")]
    NoNetwork(String),
    /// The run would cost more than its budget allows (checked before any draw).
    #[error(
        "this scenario would cost {} work units ({} draws + 1 over {} network(s), {} links, {} shocks); \
         the limit is {}: lower the draws to about {} or shock fewer commodities",
        .work.units, .work.draws, .work.networks, .work.links, .work.shocks, .budget,
        crate::simulate::draws_within(.work, *.budget)
    )]
    OverBudget {
        work: crate::simulate::Work,
        budget: u64,
    },
    /// Whoever asked for the run gave up on it (a timed-out or disconnected request).
    #[error("the run was cancelled")]
    Cancelled,
}

impl CascadeError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            CascadeError::Scenario(_) => ErrorKind::Invalid,
            CascadeError::Model(e) => e.kind(),
            CascadeError::Analysis(e) => e.kind(),
            CascadeError::NoNetwork(_) => ErrorKind::NoData,
            CascadeError::OverBudget { .. } => ErrorKind::OverBudget,
            CascadeError::Cancelled => ErrorKind::Cancelled,
        }
    }
}
