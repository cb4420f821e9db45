//! Why this file exists: `data fetch` — download an official release the user is entitled to
//! (BACI, USGS MCS, WGI, a Comtrade query) into a folder, resumable and checksummed, by id from
//! the release catalogue. The front end only parses flags and draws the progress bar; choosing
//! the catalogue, the mirror and the key (flag, then environment) happens here, once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lodestone_fetch::{with_mirror, Downloader, FetchError, Options, Request};
pub use lodestone_fetch::{Catalogue, Outcome, Progress, Release, Secret, Silent, Status};

use crate::error::AppError;
use lodestone_model::ErrorKind;

/// The environment variable a mirror base is read from when `--mirror` is not given.
pub const MIRROR_ENV: &str = "LODESTONE_FETCH_BASE";

/// Which release, with which parameters, into which folder, from where.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct FetchQuery {
    /// The release id (baci-hs22, baci-hs17, usgs-mcs-2025-world, usgs-mcs-2025-salient, wgi,
    /// comtrade); `--list` shows them all.
    #[cfg_attr(feature = "clap", arg(required_unless_present = "list"))]
    pub id: Option<String>,
    /// List the catalogue (publisher, terms, URL, what reads it) instead of downloading.
    #[cfg_attr(feature = "clap", arg(long))]
    pub list: bool,
    /// The folder to download into (created if absent).
    #[cfg_attr(feature = "clap", arg(long, value_name = "DIR", default_value = "."))]
    pub dir: PathBuf,
    /// The release's version where it has one (BACI: V202601, V202501, …).
    #[cfg_attr(feature = "clap", arg(long))]
    pub version: Option<String>,
    /// Comtrade: the year (period).
    #[cfg_attr(feature = "clap", arg(long))]
    pub year: Option<String>,
    /// Comtrade: the reporter's M49 code (842 USA, 398 Kazakhstan, 860 Uzbekistan, …).
    #[cfg_attr(feature = "clap", arg(long))]
    pub reporter: Option<String>,
    /// Comtrade: HS codes, comma-separated (e.g. 810194,261100).
    #[cfg_attr(feature = "clap", arg(long))]
    pub hs: Option<String>,
    /// The same paths on another server (an offline mirror, a test server), e.g.
    /// http://127.0.0.1:8000; default: $LODESTONE_FETCH_BASE, else the publisher.
    #[cfg_attr(feature = "clap", arg(long, value_name = "URL"))]
    pub mirror: Option<String>,
    /// The key for a release behind one (Comtrade); default: $COMTRADE_API_KEY. Sent in a
    /// header, never printed.
    #[cfg_attr(feature = "clap", arg(long, value_name = "KEY"))]
    pub api_key: Option<Secret>,
    /// The SHA-256 the file must have (lower-case hex), when the catalogue gives none.
    #[cfg_attr(feature = "clap", arg(long, value_name = "HEX"))]
    pub sha256: Option<String>,
    /// Seconds to wait for a connection.
    #[cfg_attr(
        feature = "clap",
        arg(long, value_name = "SECONDS", default_value_t = 20)
    )]
    pub connect_timeout: u64,
    /// Seconds to wait for an answer and for each read of the body.
    #[cfg_attr(
        feature = "clap",
        arg(long, value_name = "SECONDS", default_value_t = 60)
    )]
    pub read_timeout: u64,
}

/// A release in place.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Fetched {
    pub release: Release,
    /// The URL actually fetched (the mirror's, when one was used).
    pub url: String,
    pub outcome: Outcome,
}

impl From<FetchError> for AppError {
    fn from(e: FetchError) -> Self {
        let kind = match &e {
            FetchError::UnknownRelease { .. } => ErrorKind::NotFound,
            e if e.is_usage() => ErrorKind::Invalid,
            FetchError::Io { .. } => ErrorKind::Internal,
            // Network, server, checksum: the release cannot be had now.
            _ => ErrorKind::NoData,
        };
        AppError::new(kind, e.to_string())
    }
}

/// The catalogue: `DATA/sources/releases.toml` under `--data DATA`, else the embedded one.
pub fn catalogue(data: Option<&Path>) -> Result<Catalogue, AppError> {
    Ok(match data {
        Some(dir) => Catalogue::load(&dir.join("sources").join("releases.toml"))?,
        None => Catalogue::embedded()?,
    })
}

/// Downloads the release `q.id` into `q.dir`.
pub fn fetch(
    catalogue: &Catalogue,
    q: &FetchQuery,
    progress: &dyn Progress,
) -> Result<Fetched, AppError> {
    let id =
        q.id.as_deref()
            .ok_or_else(|| AppError::invalid("which release? give its id, or --list"))?;
    let release = catalogue.get(id)?;
    let mut params = BTreeMap::new();
    for (name, value) in [
        ("version", &q.version),
        ("year", &q.year),
        ("reporter", &q.reporter),
        ("hs", &q.hs),
    ] {
        if let Some(v) = value {
            params.insert(name.to_string(), v.clone());
        }
    }
    let resolved = release.resolve(&params)?;
    let mirror = q.mirror.clone().or_else(|| {
        std::env::var(MIRROR_ENV)
            .ok()
            .filter(|s| !s.trim().is_empty())
    });
    let url = match &mirror {
        Some(base) => with_mirror(&resolved.url, base)?,
        None => resolved.url.clone(),
    };
    let auth = match (&release.auth_env, &release.auth_header) {
        (Some(env), Some(header)) => {
            let key = q
                .api_key
                .clone()
                .or_else(|| {
                    std::env::var(env)
                        .ok()
                        .filter(|s| !s.trim().is_empty())
                        .map(Secret::new)
                })
                .ok_or_else(|| FetchError::MissingKey {
                    id: release.id.clone(),
                    env: env.clone(),
                })?;
            Some((header.clone(), key))
        }
        _ => None,
    };
    let sha256 = match &q.sha256 {
        Some(h) if h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()) => {
            Some(h.to_ascii_lowercase())
        }
        Some(h) => {
            return Err(AppError::invalid(format!(
                "--sha256 {h:?}: not 64 hex digits"
            )))
        }
        None => release.sha256.clone(),
    };
    let request = Request {
        url: url.clone(),
        target: q.dir.join(&resolved.file),
        sha256,
        size: release.size,
        auth,
    };
    let downloader = Downloader::new(&Options {
        connect_timeout: Duration::from_secs(q.connect_timeout.max(1)),
        read_timeout: Duration::from_secs(q.read_timeout.max(1)),
        ..Options::default()
    });
    let outcome = downloader.fetch(&request, progress)?;
    Ok(Fetched {
        release: release.clone(),
        url,
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(id: &str) -> FetchQuery {
        FetchQuery {
            id: Some(id.into()),
            dir: std::env::temp_dir(),
            connect_timeout: 1,
            read_timeout: 1,
            ..Default::default()
        }
    }

    #[test]
    fn usage_mistakes_are_usage_errors() {
        let c = catalogue(None).unwrap();
        let e = fetch(&c, &query("baci-hs2"), &Silent).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert!(e.message.contains("did you mean \"baci-hs22\""), "{e}");
        let mut q = query("comtrade");
        q.year = Some("2023".into());
        let e = fetch(&c, &q, &Silent).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert!(e.message.contains("--reporter is required"), "{e}");
        let mut q = query("baci-hs22");
        q.mirror = Some("not a url".into());
        let e = fetch(&c, &q, &Silent).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid, "{e}");
        let mut q = query("baci-hs22");
        q.sha256 = Some("abc".into());
        assert_eq!(fetch(&c, &q, &Silent).unwrap_err().kind, ErrorKind::Invalid);
    }
}
