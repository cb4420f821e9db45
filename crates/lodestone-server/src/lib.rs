//! # lodestone-server
//!
//! `lodestone serve`: every capability of the CLI as a JSON API over the embedded dataset.
//!
//! - [`state`] — what requests share: the one `lodestone_app::Store` (dataset, trade, registries,
//!   gazetteer, scenarios) and the per-request [`state::Limits`] (body size, Monte Carlo draws,
//!   plan size, timeout).
//! - [`routes`] — one file per capability, each handler a few lines over the use case in
//!   `lodestone-app` (the CLI calls the same ones): `data` (commodities, countries, groups, profile,
//!   trade), `risk` (ranking, one mineral explained, the brief), `scenario` (canned scenarios,
//!   simulate), `planning` (projects, forecast, plan), `events` (registry, extract).
//! - [`openapi`] — the OpenAPI 3 document at `/api/openapi.json`, generated from the handlers.
//! - [`error`] — one JSON error object for every failure, with the status the cause deserves.
//! - [`assets`] — the dashboard (TypeScript + ECharts, built by Vite from `web/`), embedded.
//! - [`layers`] — security headers, ETags with `Cache-Control` on GETs, panics as JSON 500s.
//! - [`access`] — who may call: the `Host` allow-list (DNS rebinding), the `Origin` check and
//!   the documented body types (cross-site POSTs), the size of a request's head.
//! - [`admission`] — the gate of the heavy routes: a fixed number compute, a few wait, the rest
//!   get 503 with `Retry-After`; [`rate`] — the per-client rate limit (429).
//! - [`listen`] — the socket: header and idle timeouts, a cap on open connections.
//!
//! The server is read-only: nothing a request sends is written anywhere, and no filesystem path
//! is taken from a request. CPU-heavy work (simulate, forecast, plan, rankings, the brief,
//! extraction) runs on the blocking pool behind the admission gate, within a work budget checked
//! before it starts, and stops when its request times out or its client disconnects.

pub mod access;
pub mod admission;
pub mod assets;
pub mod error;
pub mod layers;
pub mod listen;
pub mod openapi;
pub mod rate;
pub mod routes;
pub mod state;

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use utoipa::OpenApi;

pub use error::ApiError;
pub use state::{AppState, Limits, Shared};

/// The whole application: routes, limits and layers.
pub fn router(state: Shared) -> Router {
    use routes::{data, events, planning, risk, scenario};
    let limits = state.limits;
    let guard_state = state.clone();
    let api = Router::new()
        .route("/api/commodities", get(data::commodities))
        .route("/api/countries", get(data::countries))
        .route("/api/groups", get(data::groups))
        .route("/api/profile/{commodity}", get(data::profile_of))
        .route("/api/trade/{commodity}", get(data::trade_of))
        .route("/api/risk", get(risk::ranking))
        .route("/api/risk/{commodity}", get(risk::explain))
        .route("/api/brief", get(risk::brief))
        .route("/api/scenarios", get(scenario::canned))
        .route("/api/simulate", post(scenario::simulate))
        .route("/api/projects", get(planning::projects))
        .route("/api/forecast/{commodity}", get(planning::forecast))
        .route("/api/plan/{commodity}", get(planning::plan))
        .route("/api/events", get(events::list))
        .route("/api/events/extract", post(events::extract_article))
        .route(
            "/api/openapi.json",
            get(|| async { Json(openapi::ApiDoc::openapi()) }),
        )
        .fallback(assets::serve)
        .with_state(state);
    let mut app = api
        .layer(axum::middleware::from_fn(layers::etag))
        .layer(RequestBodyLimitLayer::new(limits.body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(limits.timeout_secs),
        ))
        .layer(rate::layer(&limits))
        .layer(axum::middleware::from_fn_with_state(
            guard_state,
            access::guard,
        ))
        .layer(CatchPanicLayer::custom(layers::panic_response))
        .layer(axum::middleware::from_fn(layers::json_errors));
    for (name, value) in layers::SECURITY_HEADERS {
        app = app.layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        ));
    }
    app
}

/// Serves `store` on `addr` until Ctrl-C, on a runtime of its own (the caller stays synchronous).
/// `allow_hosts` adds host names to the loopback ones the server answers to.
pub fn serve(
    store: lodestone_app::Store,
    addr: SocketAddr,
    limits: Limits,
    allow_hosts: &[String],
) -> Result<(), String> {
    let state = AppState::with_access(store, limits, access::Access::with_hosts(allow_hosts));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting the runtime: {e}"))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("binding {addr}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        if !listen::is_loopback(&local) {
            eprintln!(
                "lodestone serve: WARNING: listening on {local}, reachable from other machines; \
                 the API has no authentication. Name the hosts clients use with --allow-host."
            );
        }
        eprintln!("lodestone serve: listening on http://{local}/ (API at /api/, OpenAPI at /api/openapi.json); Ctrl-C stops");
        if !assets::dashboard_built() {
            eprintln!("lodestone serve: the dashboard was not built into this binary; run `tools/build-web`, then rebuild");
        }
        listen::run(listener, router(state), &limits, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        Ok(())
    })
}
