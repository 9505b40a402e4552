//! The services and requests both benchmark binaries measure, built the same way in each.

#![allow(dead_code)]

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Request, Response};
use http_body_util::Full;
use tower::{service_fn, Service, ServiceBuilder};
use tower_cloud_error::{bce::eip, CloudError};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

pub mod signed;

pub type Body = Full<Bytes>;

/// Polls a future that completes without waiting (every benchmarked service does).
pub fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("benchmarked services are always ready"),
    }
}

/// One request through `service`: `poll_ready`, then `call`, then the future.
pub fn one_request<S: Service<Request<()>>>(service: &mut S, request: Request<()>) -> S::Response
where
    S::Error: std::fmt::Debug,
{
    now(std::future::poll_fn(|cx| service.poll_ready(cx))).unwrap();
    now(service.call(request)).unwrap()
}

/// One request with a body through `service` (the TC3 verifier reads and hashes it).
pub fn one_full_request<S: Service<Request<Body>>>(
    service: &mut S,
    request: Request<Body>,
) -> S::Response
where
    S::Error: std::fmt::Debug,
{
    now(std::future::poll_fn(|cx| service.poll_ready(cx))).unwrap();
    now(service.call(request)).unwrap()
}

/// The bare inner service: an empty 200.
pub fn ok(_: Request<()>) -> std::future::Ready<Result<Response<Body>, Infallible>> {
    std::future::ready(Ok(Response::new(Full::new(Bytes::new()))))
}

/// An inner service whose handler sets headers of its own (content type and an etag).
pub fn ok_with_headers(_: Request<()>) -> std::future::Ready<Result<Response<Body>, Infallible>> {
    let mut response = Response::new(Full::new(Bytes::from_static(b"{}")));
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(http::header::ETAG, HeaderValue::from_static("\"v1\""));
    std::future::ready(Ok(response))
}

/// An inner service that fails with `EipNotFound`.
pub fn fails(_: Request<()>) -> std::future::Ready<Result<Response<Body>, CloudError>> {
    std::future::ready(Err(CloudError::new(eip::EIP_NOT_FOUND)))
}

/// An inner service that panics (install a silent panic hook first).
pub fn panics(_: Request<()>) -> std::future::Ready<Result<Response<Body>, CloudError>> {
    panic!("benchmark panic")
}

/// The stack users would otherwise assemble from tower-http: it sets and propagates a request id
/// and catches panics (without compliant error bodies).
pub fn tower_http_stack<S>(
    inner: S,
) -> impl Service<Request<()>, Response = Response<impl http_body::Body>, Error = S::Error>
where
    S: Service<Request<()>, Response = Response<Body>> + Clone,
    S::Error: std::fmt::Display + Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let x_request_id = HeaderName::from_static("x-request-id");
    ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(
            x_request_id.clone(),
            MakeRequestUuid,
        ))
        .layer(PropagateRequestIdLayer::new(x_request_id))
        .layer(CatchPanicLayer::new())
        .service(inner)
}

/// `service_fn` re-exported for the binaries.
pub fn service<F>(f: F) -> tower::util::ServiceFn<F> {
    service_fn(f)
}

/// A plain `GET /` request.
pub fn request() -> Request<()> {
    Request::new(())
}

pub mod hand_written;
