//! Run with `cargo run --example hyper_serve`
//!
//! The layer without axum: a plain `tower::service_fn` wrapped in `CloudErrorLayer`, served by
//! hyper 1 and hyper-util, with a timeout for reading request heads and a graceful shutdown on
//! Ctrl-C. No crate feature is needed.
//!
//! ```text
//! GET /v1/eip/{ip}   200 {"eip":"<ip>","status":"available"} for a known address,
//!                    404 EipNotFound otherwise
//! anything else      400 InvalidURI
//! ```

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::pin;
use std::time::Duration;

use bytes::Bytes;
use http::{header, Method, Request, Response};
use http_body::Body;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::{service_fn, Service, ServiceBuilder};
use tower_cloud_error::service::ResponseBody;
use tower_cloud_error::{bce, BoxError, CloudError, CloudErrorLayer, Condition};
use tracing_subscriber::EnvFilter;

/// How long the server waits for slow clients and for a shutdown.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// How long a client may take to send a request head (also between requests on a kept-alive
    /// connection); then the connection is closed without an answer: there is no request yet.
    pub header_read: Duration,
    /// How long a shutdown waits for the requests in flight before it drops them.
    pub shutdown_grace: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header_read: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// The service: [`handle`] in `CloudErrorLayer` with the BCE style.
pub fn service() -> impl Service<
    Request<Incoming>,
    Response = Response<ResponseBody<Full<Bytes>>>,
    Error = Infallible,
    Future = impl Send,
> + Clone
       + Send
       + 'static {
    ServiceBuilder::new()
        .layer(CloudErrorLayer::bce())
        .service(service_fn(handle))
}

/// Serves `service` on `listener` until `shutdown` completes, then stops accepting, lets the
/// requests in flight finish (at most `timeouts.shutdown_grace`), and returns.
pub async fn serve<S, B>(
    listener: TcpListener,
    service: S,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()>
where
    S: Service<Request<Incoming>, Response = Response<B>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    // Out of file descriptors, usually: back off instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(timeouts.header_read)
            .serve_connection(
                TokioIo::new(stream),
                TowerToHyperService::new(service.clone()),
            );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(timeouts.shutdown_grace) => {
            tracing::warn!("requests still in flight after the grace period were dropped");
        }
    }
    Ok(())
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
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let url = format!("http://{}", listener.local_addr()?);
    println!("hyper service listening on {url}; Ctrl-C stops it gracefully");
    println!("Try: curl -i {url}/v1/eip/100.88.1.1 and curl -i {url}/v1/eip/10.0.0.1");
    let ctrl_c = async {
        // If the signal cannot be listened for, run until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    serve(listener, service(), Timeouts::default(), ctrl_c).await
}

/// The addresses this demo knows.
pub const KNOWN_EIPS: &[&str] = &["100.88.1.1", "100.88.1.2"];

/// The inner service: any framework's handler works the same way, answering `CloudError` for
/// every failure.
async fn handle(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, CloudError> {
    let ip = match (
        request.method(),
        request.uri().path().strip_prefix("/v1/eip/"),
    ) {
        (&Method::GET, Some(ip)) => ip,
        _ => return Err(CloudError::from_condition(Condition::NotFound)),
    };
    if !KNOWN_EIPS.contains(&ip) {
        return Err(CloudError::new(bce::eip::EIP_NOT_FOUND));
    }
    let body = serde_json::json!({ "eip": ip, "status": "available" }).to_string();
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Full::new(Bytes::from(body)))
        .map_err(|error| CloudError::internal().with_source(error))
}
