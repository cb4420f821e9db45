//! Why this file exists: scenario errors name the field and the line of the TOML file.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CascadeError {
    #[error("{file}:{line}:{column}: {field}: {message}")]
    Scenario {
        file: PathBuf,
        line: u64,
        column: u64,
        field: String,
        message: String,
    },
    #[error("{0}")]
    NoNetwork(String),
    #[error("{file}: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
