//! Why this file exists: every way a fetch can fail, typed, each carrying the URL or path it
//! concerns so the one line a user reads says what to do next. Front ends sort them into usage
//! errors ([`FetchError::is_usage`]) and failures (network, checksum, disk).

use std::path::PathBuf;

/// A failure to resolve, download, verify or store a release.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// An id the catalogue does not know.
    #[error("unknown release {id:?}{}; known: {}", did_you_mean(.suggestion), .known.join(", "))]
    UnknownRelease {
        id: String,
        suggestion: Option<String>,
        known: Vec<String>,
    },

    /// A malformed catalogue (the embedded one, or `--data DIR`'s).
    #[error("{origin}: {message}")]
    Catalogue { origin: String, message: String },

    /// A parameter the release's URL needs and nobody gave.
    #[error("release {id}: --{name} is required ({hint})")]
    MissingParam {
        id: String,
        name: String,
        hint: String,
    },

    /// A parameter value that cannot go into a URL or a file name.
    #[error("release {id}: --{name} {value:?}: {message}")]
    BadParam {
        id: String,
        name: String,
        value: String,
        message: String,
    },

    /// A release that needs the user's key, and none was given.
    #[error("release {id} needs an API key: set {env} or pass --api-key")]
    MissingKey { id: String, env: String },

    /// A URL (or mirror base) that is not http(s)://host/...
    #[error("invalid URL {url:?}: {message}")]
    BadUrl { url: String, message: String },

    /// No connection could be made (DNS, refused, TLS, timed out before an answer).
    #[error("cannot reach {host}: {reason}; check the network or download {url} by hand into {}", .dir.display())]
    Offline {
        host: String,
        reason: String,
        url: String,
        dir: PathBuf,
    },

    /// The server answered, with an error status.
    #[error("{url}: the server answered {status}{}{}", if .reason.is_empty() { "" } else { " " }, .reason)]
    Http {
        url: String,
        status: u16,
        reason: String,
    },

    /// The body stopped before its end; what arrived is kept in `part` for the next run.
    #[error("download of {url} interrupted after {received} bytes: {reason}; run the same command again to resume from {}", .part.display())]
    Interrupted {
        url: String,
        received: u64,
        reason: String,
        part: PathBuf,
    },

    /// The server broke the protocol (a malformed answer, a range it was not asked for).
    #[error("{url}: {reason}")]
    Protocol { url: String, reason: String },

    /// The file arrived whole but is not the one the catalogue describes.
    #[error("{url}: checksum mismatch, expected sha256 {expected}, got {actual}; the download was deleted and nothing was written to {}", .target.display())]
    Checksum {
        url: String,
        expected: String,
        actual: String,
        target: PathBuf,
    },

    /// The file arrived with another size than the catalogue gives.
    #[error("{url}: {actual} bytes where the catalogue gives {expected}; the download was deleted and nothing was written to {}", .target.display())]
    Size {
        url: String,
        expected: u64,
        actual: u64,
        target: PathBuf,
    },

    /// The local disk: creating the folder, writing, renaming.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn did_you_mean(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!(" (did you mean {s:?}?)"))
        .unwrap_or_default()
}

impl FetchError {
    /// A mistake in what was asked (unknown id, missing or bad parameter, bad URL), as opposed to
    /// a failure of the network, the server, the file or the disk.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            FetchError::UnknownRelease { .. }
                | FetchError::MissingParam { .. }
                | FetchError::BadParam { .. }
                | FetchError::MissingKey { .. }
                | FetchError::BadUrl { .. }
                | FetchError::Catalogue { .. }
        )
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        FetchError::Io {
            path: path.into(),
            source,
        }
    }
}
