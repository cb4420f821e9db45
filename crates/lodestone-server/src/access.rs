//! Why this file exists: the API has no authentication and runs on the analyst's own machine,
//! so a web page the analyst visits must not be able to use it: not by DNS rebinding (a foreign
//! name resolving to 127.0.0.1 — refused by the `Host` allow-list), not by a cross-site POST
//! (refused by the `Origin` check and by accepting only the documented body types). Requests
//! with an oversized target or header block are refused here too, as JSON like every error.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::Shared;

/// Longest request target (path and query) accepted.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Largest header block accepted (names and values).
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// Host names the server answers to: loopback names always, others added by `--allow-host`.
#[derive(Debug, Clone)]
pub struct Access {
    hosts: Vec<String>,
}

impl Default for Access {
    fn default() -> Self {
        Access {
            hosts: ["localhost", "127.0.0.1", "[::1]", "::1"]
                .map(String::from)
                .to_vec(),
        }
    }
}

impl Access {
    /// The loopback names plus `extra` (host names or addresses, without port).
    pub fn with_hosts(extra: &[String]) -> Self {
        let mut a = Access::default();
        for h in extra {
            let h = h.trim().to_ascii_lowercase();
            if !h.is_empty() && !a.hosts.contains(&h) {
                a.hosts.push(h);
            }
        }
        a
    }

    fn allows(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.hosts.contains(&host)
    }
}

/// The host part of a `Host` header or an origin's authority (`[::1]:8080` → `[::1]`).
fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.split_inclusive(']').next().unwrap_or(authority);
    }
    authority.rsplit_once(':').map_or(authority, |(h, _)| h)
}

/// The body types each POST route documents.
fn body_types(path: &str) -> Option<&'static [&'static str]> {
    match path {
        "/api/simulate" => Some(&["application/toml", "text/plain"]),
        "/api/events/extract" => Some(&["text/plain", "text/html"]),
        _ => None,
    }
}

/// The allow-list, the origin check, body types, and the size of the request head.
pub async fn guard(State(st): State<Shared>, req: Request, next: Next) -> Response {
    match check(&st.access, &req) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn check(access: &Access, req: &Request) -> Result<(), ApiError> {
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target > MAX_URI_BYTES {
        return Err(ApiError::new(
            StatusCode::URI_TOO_LONG,
            "invalid",
            format!("the request target is {target} bytes; the limit is {MAX_URI_BYTES}"),
        ));
    }
    let head: usize = req
        .headers()
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len())
        .sum();
    if head > MAX_HEADER_BYTES {
        return Err(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "invalid",
            format!("the request headers are {head} bytes; the limit is {MAX_HEADER_BYTES}"),
        ));
    }
    check_host(access, req.headers())?;
    check_origin(access, req.headers())?;
    if req.method() == Method::POST {
        check_body_type(req.uri().path(), req.headers())?;
    }
    Ok(())
}

fn forbidden(message: String) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
}

/// A request naming a host outside the allow-list is refused (DNS rebinding). A request
/// without `Host` (HTTP/1.0, in-process tests) is let through: a browser always sends one.
fn check_host(access: &Access, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(host) = headers.get(header::HOST) else {
        return Ok(());
    };
    let host = host.to_str().unwrap_or("");
    if access.allows(host_of(host)) {
        return Ok(());
    }
    Err(forbidden(format!(
        "host {host:?} is not served here; start the server with --allow-host {} to allow it",
        host_of(host)
    )))
}

/// A browser names the page that sent a request in `Origin`; only pages of an allowed host may
/// call the API (the dashboard is served from the same host, so it passes).
fn check_origin(access: &Access, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or("");
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    match authority {
        Some(a) if access.allows(host_of(a)) => Ok(()),
        _ => Err(forbidden(format!(
            "requests from the page at {origin:?} are not accepted; only pages served by an \
             allowed host may call this API"
        ))),
    }
}

/// POST bodies only with the route's documented content types (a cross-site form cannot send
/// them without a preflight the server never grants).
fn check_body_type(path: &str, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(types) = body_types(path) else {
        return Ok(());
    };
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = given
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if types.contains(&essence.as_str()) {
        return Ok(());
    }
    let found = if given.is_empty() {
        "none".to_string()
    } else {
        format!("{given:?}")
    };
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "invalid",
        format!(
            "{path} takes a body of type {}; found Content-Type {found}",
            types.join(" or ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_parts() {
        assert_eq!(host_of("localhost:8080"), "localhost");
        assert_eq!(host_of("[::1]:8080"), "[::1]");
        assert_eq!(host_of("[::1]"), "[::1]");
        assert_eq!(host_of("example.org"), "example.org");
        let a = Access::with_hosts(&["Lab.Example.org".into()]);
        assert!(a.allows("lab.example.org") && a.allows("LOCALHOST"));
        assert!(!a.allows("evil.example"));
    }
}
