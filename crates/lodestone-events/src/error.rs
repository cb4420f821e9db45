//! Why this file exists: registry and input errors name the file, line and field.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("{file}:{line}:{column}: {field}: {message}")]
    Registry {
        file: PathBuf,
        line: u64,
        column: u64,
        field: String,
        message: String,
    },
    #[error("{0}")]
    Input(String),
    #[error("{file}: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
