//! Why this file exists: analysis errors name what was asked for and what the data does hold.

use lodestone_model::{ErrorKind, ModelError};

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The request is well-formed but the dataset holds nothing for it.
    #[error("{what}{}", if .choices.is_empty() { String::new() } else { format!("; valid choices: {}", .choices.join(", ")) })]
    NoData { what: String, choices: Vec<String> },
}

impl AnalysisError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            AnalysisError::Model(e) => e.kind(),
            // A year, stage or basis outside the valid choices the message lists.
            AnalysisError::NoData { choices, .. } if !choices.is_empty() => ErrorKind::Invalid,
            AnalysisError::NoData { .. } => ErrorKind::NoData,
        }
    }
}
