//! Why this file exists: the cascade's failures — a scenario file that does not hold (located at
//! its file, line, column and field), or a scenario the trade data cannot carry — each with its
//! [`ErrorKind`].

use std::path::PathBuf;

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
    #[error("{file}: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl CascadeError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            CascadeError::Scenario(_) => ErrorKind::Invalid,
            CascadeError::Model(e) => e.kind(),
            CascadeError::Analysis(e) => e.kind(),
            CascadeError::NoNetwork(_) => ErrorKind::NoData,
            CascadeError::Io { .. } => ErrorKind::NotFound,
        }
    }
}
