//! Why this file exists: the dashboard's files, embedded in the binary at build time (no CDN, no
//! filesystem path taken from a request), and the notice served when they were not built.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::error::ApiError;

#[derive(rust_embed::RustEmbed)]
#[folder = "../../web/dist/"]
#[allow_missing = true]
struct Dashboard;

/// True when the front end was built before this binary.
pub fn dashboard_built() -> bool {
    Dashboard::get("index.html").is_some()
}

/// The page at `/` when the front end was not built: where the API is and how to build the rest.
const NOT_BUILT: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lodestone</title></head>
<body>
<h1>Lodestone</h1>
<p>The dashboard was not built into this binary (it needs Node.js and npm). Build it with
<code>tools/build-web</code> and rebuild
(<code>cargo build --release</code>).</p>
<p>The JSON API works without it: its OpenAPI 3 description is at
<a href="/api/openapi.json">/api/openapi.json</a>; try <a href="/api/profile/tungsten">/api/profile/tungsten</a>.</p>
</body></html>
"#;

/// Serves an embedded file by its path, `index.html` at `/`; unknown API paths get JSON 404s.
pub async fn serve(req: Request) -> Response {
    let path = req.uri().path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" {
        return crate::layers::not_found(req).await.into_response();
    }
    let path = if path.is_empty() { "index.html" } else { path };
    match Dashboard::get(path) {
        Some(file) => {
            let mime = file.metadata.mimetype();
            let mut res = (StatusCode::OK, file.data.into_owned()).into_response();
            if let Ok(v) = HeaderValue::from_str(mime) {
                res.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            // Vite names assets by content hash, so they never change under their name.
            let cache = if path.starts_with("assets/") {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            res
        }
        None if path == "index.html" => {
            let mut res = Html(NOT_BUILT).into_response();
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            res
        }
        None => ApiError::not_found(format!("no file /{path} in the dashboard")).into_response(),
    }
}
