//! Why this file exists: reader errors say which file, which line and column, what was expected
//! and what was found.

use std::path::{Path, PathBuf};

use lodestone_formats::QuoteProblem;
use lodestone_model::ModelError;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{file}:{line}:{column}: expected {expected}, found {found:?}")]
    Parse {
        file: PathBuf,
        line: u64,
        column: u64,
        expected: String,
        found: String,
    },
    #[error("{file}: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: not a readable workbook: {message}")]
    Workbook { file: PathBuf, message: String },
    #[error("{file}: SQLite: {message}")]
    Sqlite { file: PathBuf, message: String },
    #[error("{file}: {message}")]
    Missing { file: PathBuf, message: String },
    #[error(transparent)]
    Model(#[from] ModelError),
}

impl SourceError {
    pub fn parse(
        file: impl Into<PathBuf>,
        line: u64,
        column: u64,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        SourceError::Parse {
            file: file.into(),
            line,
            column,
            expected: expected.into(),
            found: found.into(),
        }
    }

    /// A quote problem (a file cut inside a quoted field, text after a closing quote) in `file`,
    /// with its line and column: `file:line:column: expected …, found …`.
    pub fn quotes(file: &Path, problem: &QuoteProblem) -> Self {
        SourceError::Model(problem.error(file))
    }

    /// Checks the quotes of a whole CSV file's bytes before the csv crate, which would accept
    /// both problems without a word, reads them.
    pub fn check_quotes(file: &Path, bytes: &[u8]) -> Result<(), Self> {
        lodestone_formats::check_quotes(bytes).map_err(|p| Self::quotes(file, &p))
    }

    pub fn io(file: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SourceError::Io {
            file: file.into(),
            source,
        }
    }
}
