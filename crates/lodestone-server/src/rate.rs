//! Why this file exists: one client must not crowd out the others — each address gets a token
//! bucket (the `governor` crate through `tower_governor`), and a client over its rate is
//! answered 429 with `Retry-After`, as the API's JSON error.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::response::IntoResponse;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_governor::{GovernorError, GovernorLayer};

use crate::error::ApiError;
use crate::state::Limits;

/// The client's address, as the listener recorded it; requests that did not come through a
/// socket (in-process calls) share the loopback bucket.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp;

impl KeyExtractor for ClientIp {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0.ip()))
    }
}

/// The per-client limit as a layer: `rate_per_sec` sustained, `rate_burst` at once.
pub fn layer(
    limits: &Limits,
) -> GovernorLayer<
    ClientIp,
    governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>,
    Body,
> {
    // At least a nanosecond: governor refuses a zero period (rates beyond 1e9/s mean "no limit").
    let period =
        Duration::from_nanos((1_000_000_000 / u64::from(limits.rate_per_sec.max(1))).max(1));
    let config = GovernorConfigBuilder::default()
        .key_extractor(ClientIp)
        .period(period)
        .burst_size(limits.rate_burst.max(1))
        .finish()
        .expect("a non-zero period and burst make a valid rate-limit configuration");
    GovernorLayer::new(config).error_handler(|e| match e {
        GovernorError::TooManyRequests { wait_time, .. } => {
            ApiError::rate_limited(wait_time).into_response()
        }
        _ => ApiError::internal("the rate limiter could not place this request").into_response(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_configured_rate_makes_a_limiter() {
        for rate_per_sec in [0, 1, 50, 1_000_000_000, u32::MAX] {
            let limits = Limits {
                rate_per_sec,
                rate_burst: 0,
                ..Limits::default()
            };
            let _ = layer(&limits);
        }
    }
}
