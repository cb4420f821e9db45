//! Why this file exists: a release is hundreds of megabytes over a link that can drop, so the
//! download must survive a restart and never leave a file that looks finished but is not. The
//! body goes to `<target>.part`; a later run asks for the rest with `Range: bytes=N-` (and starts
//! over when the server answers 200 instead of 206); the whole file is checked against the size
//! and SHA-256 the catalogue gives, refused (and the part deleted) when it differs, and only
//! then renamed to its name. Every wait is bounded, and a server that cannot be reached gives
//! one line saying what to do by hand.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::catalogue::host_of;
use crate::error::FetchError;

/// A value that must never be printed: an API key. `Debug` shows `Secret(***)`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the one place it is sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

/// One file to fetch.
#[derive(Debug, Clone)]
pub struct Request {
    pub url: String,
    /// Where the finished file goes; `<target>.part` holds it meanwhile.
    pub target: PathBuf,
    /// Lower-case hex; when given, a file that differs is refused.
    pub sha256: Option<String>,
    /// Bytes; when given, a file of another size is refused.
    pub size: Option<u64>,
    /// A header carrying the user's key (name, value).
    pub auth: Option<(String, Secret)>,
}

/// How long to wait, and who we say we are.
#[derive(Debug, Clone)]
pub struct Options {
    /// DNS, TCP connect and TLS handshake, and sending the request.
    pub connect_timeout: Duration,
    /// The answer's headers, and then each read of the body (a stalled transfer ends here).
    pub read_timeout: Duration,
    pub user_agent: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            connect_timeout: Duration::from_secs(20),
            read_timeout: Duration::from_secs(60),
            user_agent: format!(
                "lodestone/{} (data fetch; +https://example.invalid/lodestone)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

/// Told how far a download has got (bytes, counting what a resumed part already held).
pub trait Progress {
    /// The transfer begins: the total when the server said it, and the bytes already held.
    fn start(&self, _total: Option<u64>, _done: u64) {}
    /// Bytes held so far.
    fn advance(&self, _done: u64) {}
}

/// No progress reporting.
pub struct Silent;
impl Progress for Silent {}

/// How the file came to be at its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "how")]
pub enum Status {
    /// Downloaded from the first byte.
    Downloaded,
    /// Continued from a `.part` of `from` bytes (the server answered 206).
    Resumed { from: u64 },
    /// A `.part` of `discarded` bytes was there, but the server sent the whole file (200).
    Restarted { discarded: u64 },
    /// The target was already there (and matched the checksum, when one is known).
    AlreadyPresent,
}

/// A file at its target.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
    /// The catalogue gave a SHA-256 and the file matches it.
    pub verified: bool,
    pub status: Status,
}

/// The path of the partial download for `target`.
pub fn part_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    target.with_file_name(name)
}

/// A blocking HTTP(S) client with bounded timeouts, reused for every request.
pub struct Downloader {
    agent: ureq::Agent,
}

/// What a server's answer means for the `.part` file.
enum Answer {
    /// 206 from the offset asked: append.
    Append,
    /// 200: the whole file, from byte 0.
    Whole,
    /// 416 and the part is already the whole file.
    Complete,
    /// An answer that cannot continue the part: drop it and ask for the whole file.
    StartOver(String),
}

impl Downloader {
    pub fn new(options: &Options) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_resolve(Some(options.connect_timeout))
            .timeout_connect(Some(options.connect_timeout))
            .timeout_send_request(Some(options.connect_timeout))
            .timeout_recv_response(Some(options.read_timeout))
            .timeout_per_read(Some(options.read_timeout))
            .user_agent(options.user_agent.as_str())
            .max_redirects(10)
            .build();
        Downloader {
            agent: config.into(),
        }
    }

    /// Fetches `req.url` to `req.target`: resumes a `.part` left by an earlier run, verifies,
    /// renames. On a network failure the `.part` is kept for the next run; on a checksum or
    /// size mismatch it is deleted. The target is only ever a complete, verified file.
    pub fn fetch(&self, req: &Request, progress: &dyn Progress) -> Result<Outcome, FetchError> {
        let dir = req.target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| FetchError::io(dir, e))?;
        if req.target.is_file() {
            if let Some(done) = already_present(req)? {
                return Ok(done);
            }
        }
        let part = part_path(&req.target);
        let held = std::fs::metadata(&part).map_or(0, |m| m.len());
        let mut offset = held;
        let mut started_over = false;
        let (answer, response) = loop {
            let response = self.get(req, offset, dir)?;
            match classify(&response, offset) {
                Ok(Answer::StartOver(_)) if offset > 0 && !started_over => {
                    // A range the server will not serve as asked: ask for the whole file.
                    remove(&part)?;
                    offset = 0;
                    started_over = true;
                }
                Ok(Answer::StartOver(why)) => {
                    return Err(FetchError::Protocol {
                        url: req.url.clone(),
                        reason: why,
                    })
                }
                Ok(answer) => break (answer, response),
                Err(e) => return Err(e(req.url.clone())),
            }
        };
        let (bytes, sha256) = match answer {
            Answer::Complete => {
                let sha = hash_file(&part)?;
                progress.start(Some(held), held);
                (held, sha)
            }
            Answer::Append => receive(req, &part, offset, response, progress)?,
            _ => receive(req, &part, 0, response, progress)?,
        };
        let status = match answer {
            Answer::Append | Answer::Complete if offset > 0 => Status::Resumed { from: offset },
            _ if held > 0 => Status::Restarted { discarded: held },
            _ => Status::Downloaded,
        };
        let verified = verify(req, &part, bytes, &sha256)?;
        std::fs::rename(&part, &req.target).map_err(|e| FetchError::io(&req.target, e))?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(Outcome {
            path: req.target.clone(),
            bytes,
            sha256,
            verified,
            status,
        })
    }

    /// One GET, from `offset` when resuming. Errors before an answer are "cannot reach".
    fn get(
        &self,
        req: &Request,
        offset: u64,
        dir: &Path,
    ) -> Result<ureq::http::Response<ureq::Body>, FetchError> {
        let mut r = self.agent.get(&req.url);
        if offset > 0 {
            r = r.header("Range", format!("bytes={offset}-"));
        }
        if let Some((name, key)) = &req.auth {
            r = r.header(name.as_str(), key.expose());
        }
        r.call().map_err(|e| transport_error(req, dir, e))
    }
}

/// The target already exists: keep it if it matches (or nothing says what it should be).
fn already_present(req: &Request) -> Result<Option<Outcome>, FetchError> {
    let sha256 = hash_file(&req.target)?;
    let bytes = std::fs::metadata(&req.target)
        .map_err(|e| FetchError::io(&req.target, e))?
        .len();
    let size_ok = req.size.is_none_or(|s| s == bytes);
    let sha_ok = req.sha256.as_ref().is_none_or(|s| *s == sha256);
    Ok((size_ok && sha_ok).then(|| Outcome {
        path: req.target.clone(),
        bytes,
        verified: req.sha256.is_some(),
        sha256,
        status: Status::AlreadyPresent,
    }))
}

type LateError = Box<dyn FnOnce(String) -> FetchError>;

fn classify(response: &ureq::http::Response<ureq::Body>, offset: u64) -> Result<Answer, LateError> {
    let status = response.status().as_u16();
    let content_range = response
        .headers()
        .get("content-range")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    match status {
        200 => Ok(Answer::Whole),
        206 => match parse_content_range(&content_range) {
            Some((Some(start), _)) if start == offset => Ok(Answer::Append),
            _ => Ok(Answer::StartOver(format!(
                "asked for bytes from {offset}, the server sent Content-Range {content_range:?}"
            ))),
        },
        416 => match parse_content_range(&content_range) {
            Some((None, Some(total))) if total == offset && offset > 0 => Ok(Answer::Complete),
            _ => Ok(Answer::StartOver(format!(
                "the server cannot serve bytes from {offset} (416, Content-Range {content_range:?})"
            ))),
        },
        _ => {
            let reason = response
                .status()
                .canonical_reason()
                .unwrap_or("")
                .to_string();
            Err(Box::new(move |url| FetchError::Http {
                url,
                status,
                reason,
            }))
        }
    }
}

/// `bytes 100-199/1000` → (Some(100), Some(1000)); `bytes */1000` → (None, Some(1000)).
fn parse_content_range(v: &str) -> Option<(Option<u64>, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let total = total.trim().parse().ok();
    if range.trim() == "*" {
        return Some((None, total));
    }
    let (start, _) = range.split_once('-')?;
    Some((Some(start.trim().parse().ok()?), total))
}

/// Streams the body into the part file from `start`, hashing the bytes already held first.
fn receive(
    req: &Request,
    part: &Path,
    start: u64,
    response: ureq::http::Response<ureq::Body>,
    progress: &dyn Progress,
) -> Result<(u64, String), FetchError> {
    let io = |e| FetchError::io(part, e);
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(part)
        .map_err(io)?;
    let mut hasher = Sha256::new();
    if start > 0 {
        let mut held = (&file).take(start);
        let n = std::io::copy(&mut held, &mut HashInto(&mut hasher)).map_err(io)?;
        if n != start {
            return Err(FetchError::io(
                part,
                std::io::Error::other(format!("held {n} bytes, expected {start}")),
            ));
        }
    }
    file.set_len(start).map_err(io)?;
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    let body = response.into_body();
    let total = body.content_length().map(|n| start + n);
    progress.start(total, start);
    let mut reader = body.into_reader();
    let mut buf = vec![0u8; 64 * 1024];
    let mut done = start;
    let interrupted = |done: u64, reason: String| FetchError::Interrupted {
        url: req.url.clone(),
        received: done,
        reason,
        part: part.to_path_buf(),
    };
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                file.write_all(&buf[..n]).map_err(io)?;
                hasher.update(&buf[..n]);
                done += n as u64;
                progress.advance(done);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                let _ = file.sync_all();
                return Err(interrupted(done, e.to_string()));
            }
        }
    }
    file.sync_all().map_err(io)?;
    if let Some(total) = total {
        if done < total {
            return Err(interrupted(
                done,
                format!("the connection closed at {done} of {total} bytes"),
            ));
        }
    }
    Ok((done, hex(&hasher.finalize())))
}

/// Size and checksum against the catalogue; a mismatch deletes the part.
fn verify(req: &Request, part: &Path, bytes: u64, sha256: &str) -> Result<bool, FetchError> {
    if let Some(expected) = req.size {
        if expected != bytes {
            remove(part)?;
            return Err(FetchError::Size {
                url: req.url.clone(),
                expected,
                actual: bytes,
                target: req.target.clone(),
            });
        }
    }
    match &req.sha256 {
        Some(expected) if expected != sha256 => {
            remove(part)?;
            Err(FetchError::Checksum {
                url: req.url.clone(),
                expected: expected.clone(),
                actual: sha256.to_string(),
                target: req.target.clone(),
            })
        }
        Some(_) => Ok(true),
        None => Ok(false),
    }
}

fn transport_error(req: &Request, dir: &Path, e: ureq::Error) -> FetchError {
    let reason = match e {
        ureq::Error::BadUri(message) => {
            return FetchError::BadUrl {
                url: req.url.clone(),
                message,
            }
        }
        ureq::Error::Protocol(_)
        | ureq::Error::TooManyRedirects
        | ureq::Error::RedirectFailed
        | ureq::Error::LargeResponseHeader(..) => {
            return FetchError::Protocol {
                url: req.url.clone(),
                reason: e.to_string(),
            }
        }
        ureq::Error::Io(io) => io.to_string(),
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        other => other.to_string(),
    };
    FetchError::Offline {
        host: host_of(&req.url),
        reason,
        url: req.url.clone(),
        dir: dir.to_path_buf(),
    }
}

fn remove(path: &Path) -> Result<(), FetchError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(FetchError::io(path, e)),
        _ => Ok(()),
    }
}

/// Lower-case hex SHA-256 of a file.
pub fn hash_file(path: &Path) -> Result<String, FetchError> {
    let mut f = File::open(path).map_err(|e| FetchError::io(path, e))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut f, &mut HashInto(&mut hasher)).map_err(|e| FetchError::io(path, e))?;
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct HashInto<'a>(&'a mut Sha256);

impl Write for HashInto<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_parse() {
        assert_eq!(
            parse_content_range("bytes 100-199/1000"),
            Some((Some(100), Some(1000)))
        );
        assert_eq!(
            parse_content_range("bytes */1000"),
            Some((None, Some(1000)))
        );
        assert_eq!(parse_content_range("bytes 5-9/*"), Some((Some(5), None)));
        assert_eq!(parse_content_range("items 1-2/3"), None);
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("abc123");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        let r = Request {
            url: "https://h/x".into(),
            target: "x".into(),
            sha256: None,
            size: None,
            auth: Some(("Key".into(), s)),
        };
        assert!(!format!("{r:?}").contains("abc123"));
    }

    #[test]
    fn the_part_sits_beside_the_target() {
        assert_eq!(
            part_path(Path::new("/d/BACI_HS22_V202601.zip")),
            PathBuf::from("/d/BACI_HS22_V202601.zip.part")
        );
    }
}
