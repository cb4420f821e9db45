//! Why this file exists: the cross-cutting behaviour of every response — security headers, ETags
//! and caching for read-only GETs, panics turned into JSON 500s, and JSON for unknown routes.

use std::hash::{Hash, Hasher};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Headers every response carries: no inline script, no framing, no sniffing, no referrer.
pub const SECURITY_HEADERS: [(&str, &str); 4] = [
    (
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
];

/// Largest body the ETag layer hashes; larger responses go out without one.
const ETAG_MAX: usize = 64 * 1024 * 1024;

/// Adds an ETag (a hash of the body) and `Cache-Control` to successful GETs, and answers
/// `If-None-Match` with 304. The data is read-only for the life of the process, so a body's
/// hash names it exactly.
pub async fn etag(req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ETAG_MAX).await else {
        return ApiError::internal("response too large to send").into_response();
    };
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    let tag = format!("\"{:016x}\"", h.finish());
    let tag = HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"0\""));
    // A route that set its own policy keeps it (the dashboard's `index.html` is `no-cache`, so
    // a new build is seen at once); API answers may be reused for five minutes.
    parts
        .headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("public, max-age=300"));
    let matches = if_none_match.is_some_and(|v| {
        v.to_str()
            .is_ok_and(|s| s.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
    });
    parts.headers.insert(header::ETAG, tag);
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Error responses made outside the handlers (408 timeout, 405 wrong method, 413 from the body
/// cap) come out of their layers as plain text; this rewrites them as the API's error object.
pub async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let (kind, message) = match status {
        StatusCode::REQUEST_TIMEOUT => {
            ("timeout", "the request took longer than this server allows")
        }
        StatusCode::PAYLOAD_TOO_LARGE => (
            "invalid",
            "the request body is over this server's size limit",
        ),
        StatusCode::METHOD_NOT_ALLOWED => ("invalid", "this route does not take that method"),
        _ => (
            "invalid",
            status.canonical_reason().unwrap_or("request failed"),
        ),
    };
    let mut out = ApiError::new(status, kind, message).into_response();
    if let Some(allow) = res.headers().get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}

/// A panic in a handler becomes a JSON 500 (and a line on stderr), never a dropped connection.
pub fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".into());
    eprintln!("lodestone serve: handler panicked: {what}");
    ApiError::internal("the server hit a bug answering this request; it has been logged")
        .into_response()
}

/// Unknown routes get the same error object as everything else.
pub async fn not_found(req: Request) -> ApiError {
    ApiError::not_found(format!(
        "no route {} {}; the API is described at /api/openapi.json",
        req.method(),
        req.uri().path()
    ))
}
