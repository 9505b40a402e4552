//! Run with `cargo run --example production_stack --features axum,tower`
//!
//! The middleware every real service adds (a timeout, a body limit, load shedding behind one
//! global concurrency limit) in the order that makes each of their refusals reach the client as
//! the style's documented envelope, with the request id.
//!
//! Outermost first:
//!
//! | Layer | Refuses with | BCE client gets | Tencent client gets (HTTP 200) |
//! |---|---|---|---|
//! | `CloudErrorLayer` | (renders everything below) | | |
//! | tower `LoadShed` | `Overloaded` error when every slot is taken | 500 `InternalError` | `ServiceUnavailable` |
//! | tower `ConcurrencyLimit` (one, global) | (makes `LoadShed` refuse) | | |
//! | tower-http `Timeout` | a bare 504 | 500 `InternalError` | `ServiceUnavailable` |
//! | tower-http `RequestBodyLimit` | a bare 413 (`Content-Length` over the limit) | 400 `InvalidHTTPRequest` | `RequestSizeLimitExceeded` |
//! | your `Router` | a streamed body over the limit fails in `bce::Json` / `tencent::Json` | 400 `InvalidHTTPRequest` naming the limit | `RequestSizeLimitExceeded` naming the limit |
//!
//! `docs/recipes.md` explains each choice; `tests/recipes.rs` asserts every cell.

use std::convert::Infallible;
use std::io;
use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::{Deserialize, Serialize};
use tower::{Service, ServiceBuilder};
use tower_cloud_error::{bce, CloudErrorLayer, Style, Validate};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tracing_subscriber::EnvFilter;

/// `router` behind the production stack, ready for `axum::serve`.
///
/// The stack sits **outside** the router: a layer added with `Router::layer` is applied to each
/// route separately, so a `ConcurrencyLimitLayer` there would give every route its own limit
/// (and `LoadShed`'s error type is not even accepted there).
pub fn app<St: Style>(
    router: Router,
    layer: CloudErrorLayer<St>,
    limits: &Limits,
) -> impl Service<Request, Response = Response, Error = Infallible, Future = impl Send>
       + Clone
       + Send
       + 'static {
    ServiceBuilder::new()
        // Only a type adapter: `axum::serve` wants axum's `Response`.
        .map_response(IntoResponse::into_response)
        // Outermost, so that every refusal below becomes the style's envelope with the id.
        .layer(layer)
        // Refuses at once (tower's `Overloaded`) when no slot is free, instead of queueing.
        .load_shed()
        // One semaphore shared by every clone of the service: all routes, all connections.
        .concurrency_limit(limits.max_in_flight)
        // A bare 504: the handler was slow (408 would blame the client).
        .layer(TimeoutLayer::with_status_code(
            StatusCode::GATEWAY_TIMEOUT,
            limits.timeout,
        ))
        // A bare 413 for an announced length; a streamed body fails while it is read.
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes))
        .service(router)
}

#[tokio::main]
async fn main() -> io::Result<()> {
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
    println!("Production stack (BCE style) listening on {url}");
    println!("Try (answers InvalidHTTPRequest, the body is over the limit):");
    println!(
        "  head -c 3000000 /dev/zero | curl -s {url}/v1/echo -H 'content-type: application/json' --data-binary @-"
    );
    let service = app(routes(), CloudErrorLayer::bce(), &Limits::default());
    axum::serve(listener, tower::make::Shared::new(service)).await
}

/// The stack's settings.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How long a request may take until its response head is ready.
    pub timeout: Duration,
    /// The largest request body, in bytes. The JSON extractors get the same limit
    /// ([`MAX_BODY_BYTES`] here), so that no body they read can pass one limit and not the other.
    pub max_body_bytes: usize,
    /// How many requests are served at once, over every route and connection; the next one is
    /// refused at once.
    pub max_in_flight: usize,
}

/// The largest request body: BCE's JSON limit (2 MiB, axum's default too).
pub const MAX_BODY_BYTES: usize = bce::DEFAULT_LIMIT;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(30),
            max_body_bytes: MAX_BODY_BYTES,
            max_in_flight: 1024,
        }
    }
}

/// The service's own routes: one operation that reads a JSON body.
pub fn routes() -> Router {
    Router::new().route("/v1/echo", post(echo))
}

/// `POST /v1/echo` `{"text": "..."}` answers the same object.
async fn echo(bce::Json(request): bce::Json<Echo, MAX_BODY_BYTES>) -> axum::Json<Echo> {
    axum::Json(request)
}

/// The body of `POST /v1/echo`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Echo {
    /// Any text.
    pub text: String,
}

impl Validate for Echo {}
