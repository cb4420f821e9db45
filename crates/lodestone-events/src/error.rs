//! Why this file exists: registry files that do not hold (located at file, line, column and
//! field) and articles the extractor refuses, each with its [`ErrorKind`].

use std::path::PathBuf;

use lodestone_model::{ErrorKind, Located, ModelError};

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// A registry or gazetteer file that does not parse or names what the data does not know.
    #[error(transparent)]
    Registry(#[from] Located),
    #[error(transparent)]
    Model(#[from] ModelError),
    /// An article or filter the extractor cannot take (empty, binary, too large, bad date).
    #[error("{0}")]
    Input(String),
    #[error("{file}: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl EventError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            EventError::Registry(_) | EventError::Input(_) => ErrorKind::Invalid,
            EventError::Model(e) => e.kind(),
            EventError::Io { .. } => ErrorKind::NotFound,
        }
    }
}
