//! Run with `cargo run --example rate_limit --features axum,tower`
//!
//! Per-client-IP rate limiting with `tower_governor`, whose refusals reach the client as the
//! style's envelope:
//!
//! - Tencent: `RequestLimitExceeded` (HTTP 200, as every Tencent error), which the SDKs' retryers
//!   retry with back-off.
//! - BCE, which documents no throttling code: this service's own code
//!   [`REQUEST_LIMIT_EXCEEDED`], HTTP 429 (`docs/recipes.md` says why not `InternalError`).
//!
//! Both keep governor's `Retry-After` header (seconds until the next request is allowed).

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use tower::ServiceBuilder;
use tower_cloud_error::{bce, tencent, CloudError, CloudErrorLayer, Code, Style};
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;
use tracing_subscriber::EnvFilter;

/// This service's BCE code for a client over its rate: BCE documents none, and InternalError
/// would tell the client (and every error-rate dashboard) that the server failed.
pub const REQUEST_LIMIT_EXCEEDED: Code = bce::code(
    "RequestLimitExceeded",
    429,
    "The request rate exceeds the limit. Retry after the time in the Retry-After header.",
);

/// `routes` behind a per-IP rate limit, in the layer of the given style.
///
/// Serve it with `into_make_service_with_connect_info::<SocketAddr>()`: the limit is keyed by
/// the peer's address, and without it every request fails with InternalError (logged as governor's
/// "Unable To Extract Key!"). Behind a proxy, use governor's `SmartIpKeyExtractor`, and only if
/// the proxy overwrites the `X-Forwarded-For` / `X-Real-Ip` / `Forwarded` headers clients send.
pub fn app<St: Style>(routes: Router, layer: CloudErrorLayer<St>, rate: Rate) -> Router {
    let governor = GovernorConfigBuilder::default()
        .period(rate.replenish_every)
        .burst_size(rate.burst.get())
        .finish()
        .expect("a rate needs a non-zero period");
    routes.layer(
        ServiceBuilder::new()
            // Governor answers a bare 429 with `Retry-After`; the layer renders it, keeping
            // that header, with the code `throttled` chooses.
            .layer(layer.map_bare_status(throttled))
            // The limiter's state is shared by every route: one budget per client.
            .layer(GovernorLayer::new(governor)),
    )
}

/// The error for governor's 429, in both dialects; other statuses keep the default mapping.
pub fn throttled(status: StatusCode) -> Option<CloudError> {
    (status == StatusCode::TOO_MANY_REQUESTS).then(|| {
        CloudError::new(REQUEST_LIMIT_EXCEEDED).or_code(tencent::common::REQUEST_LIMIT_EXCEEDED)
    })
}

/// A client's budget: `burst` requests at once, one more every `replenish_every`.
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    /// How often one request is added back to a client's budget.
    pub replenish_every: Duration,
    /// How many requests a client may send at once.
    pub burst: NonZeroU32,
}

impl Default for Rate {
    /// 10 requests per second per client, in bursts of up to 20.
    fn default() -> Self {
        Rate {
            replenish_every: Duration::from_millis(100),
            burst: NonZeroU32::new(20).expect("20 is not zero"),
        }
    }
}

/// The demo's own routes: `GET /v1/ping` answers `{"pong":true}`.
pub fn routes() -> Router {
    Router::new().route(
        "/v1/ping",
        get(|| async { axum::Json(serde_json::json!({ "pong": true })) }),
    )
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let port = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse::<u16>().ok())
        .unwrap_or(8080);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let url = format!("http://{}", listener.local_addr()?);
    println!("Rate-limited (BCE style) on {url}; try: for i in $(seq 30); do curl -s {url}/v1/ping; echo; done");
    let app = app(routes(), CloudErrorLayer::bce(), Rate::default());
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
