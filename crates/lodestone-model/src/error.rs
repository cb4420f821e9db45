//! Why this file exists: one small error enum for the model crate, with locations on parse errors.

use std::fmt;
use std::path::PathBuf;

/// Where in a text file a problem was found (1-based line and column; column 0 = whole line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseLocation {
    pub file: PathBuf,
    pub line: u64,
    pub column: u64,
}

impl fmt::Display for ParseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column > 0 {
            write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
        } else {
            write!(f, "{}:{}", self.file.display(), self.line)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{at}: expected {expected}, found {found:?}")]
    Parse {
        at: ParseLocation,
        expected: String,
        found: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("unknown {kind} {name:?}{}", crate::suggest::did_you_mean(.suggestions))]
    Unknown {
        kind: &'static str,
        name: String,
        suggestions: Vec<String>,
    },
    #[error("cannot combine {left} with {right}: {why}")]
    Incompatible {
        left: String,
        right: String,
        why: String,
    },
    #[error("snapshot: {0}")]
    Snapshot(String),
}

impl ModelError {
    pub fn parse(
        file: impl Into<PathBuf>,
        line: u64,
        column: u64,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        ModelError::Parse {
            at: ParseLocation {
                file: file.into(),
                line,
                column,
            },
            expected: expected.into(),
            found: found.into(),
        }
    }
}
