//! The rest of the panic matrix, after tests/panics.rs: every place user code runs inside the
//! layer, and whether a panic there is answered with an envelope.
//!
//! Every one is caught: every payload type in `poll_ready`; a panicking `IntoCloudError` for a
//! `poll_ready` error; a panicking payload `Drop`; a panic in `Style::check_request`,
//! `Style::request_info`, `Style::code_for` or `Style::render` (InternalError; a bare 500 when
//! even the style's InternalError cannot be rendered); a panic in `MakeRequestId` (UUID v4
//! instead); in a `recognize` or `map_bare_status` mapper (InternalError); in the `Display` of an
//! error's source while it is logged (the envelope stands); in the inner body's `size_hint` /
//! `is_end_stream` (neutral answers); and in a streaming body (the server survives, over
//! loopback).

mod support;

use std::convert::Infallible;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Once;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body::{Body, Frame, SizeHint};
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use support::LogCapture;
use tower::{service_fn, Layer, Service, ServiceExt};
use tower_cloud_error::bce;
use tower_cloud_error::bce::{Bce, RequestDate};
use tower_cloud_error::conformance::{BceConformance, Checker};
use tower_cloud_error::request_id::{MakeRequestId, RequestId};
use tower_cloud_error::{
    CloudError, CloudErrorLayer, Code, Condition, Dialect, ErrorReport, IntoCloudError, Style,
};

const CANONICAL: &str = "We encountered an internal error. Please try again.";

/// A silent panic hook (this binary panics on purpose a lot) and the log capture.
fn quiet_panics() -> LogCapture {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    LogCapture::install()
}

/// Collects a response; the body must be ready.
async fn collected<B>(response: Response<B>) -> Response<Bytes>
where
    B: Body,
    B::Error: std::fmt::Debug,
{
    let (parts, body) = response.into_parts();
    Response::from_parts(parts, body.collect().await.unwrap().to_bytes())
}

/// The BCE `InternalError` envelope with the canonical message, conforming.
fn assert_internal(response: &Response<Bytes>) {
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let json: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(json["code"], "InternalError");
    assert_eq!(json["message"], CANONICAL);
    Checker::new(BceConformance).assert_conforms(&Method::GET, response);
}

fn ok() -> Response<Full<Bytes>> {
    Response::new(Full::new(Bytes::new()))
}

// -------------------------------------------------------------------------------------------
// Caught
// -------------------------------------------------------------------------------------------

/// Payloads of every kind, including one whose `Drop` panics too.
fn raise(kind: usize) {
    struct PanicsOnDrop;
    impl Drop for PanicsOnDrop {
        fn drop(&mut self) {
            panic!("the payload's drop panicked too");
        }
    }
    match kind {
        0 => panic!("formatted {}", "payload"),
        1 => std::panic::panic_any("a &'static str"),
        2 => std::panic::panic_any(String::from("a String")),
        3 => std::panic::panic_any(42_u64),
        4 => std::panic::panic_any(Box::new(std::io::Error::other("boxed"))),
        _ => std::panic::panic_any(PanicsOnDrop),
    }
}

/// Panics in `poll_ready` once, with payload `kind`, then serves.
struct PanicsWhenPolled {
    kind: Option<usize>,
}

impl Service<Request<()>> for PanicsWhenPolled {
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Self::Response, Infallible>>;
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        if let Some(kind) = self.kind.take() {
            raise(kind);
        }
        Poll::Ready(Ok(()))
    }
    fn call(&mut self, _: Request<()>) -> Self::Future {
        std::future::ready(Ok(ok()))
    }
}

#[tokio::test]
async fn panics_of_every_payload_type_in_poll_ready_answer_internal_error_from_then_on() {
    let _logs = quiet_panics();
    for kind in 0..6 {
        let mut service = CloudErrorLayer::bce().layer(PanicsWhenPolled { kind: Some(kind) });
        let response = service.ready().await.unwrap().call(Request::new(())).await;
        assert_internal(&collected(response.unwrap()).await);
        // tower's contract: the failed service is discarded, never polled or called again.
        let response = service.ready().await.unwrap().call(Request::new(())).await;
        assert_internal(&collected(response.unwrap()).await);
    }
}

/// `poll_ready` fails once with an error whose conversion panics.
struct FailsWhenPolled {
    failed: bool,
}

#[derive(Debug)]
struct ConversionPanics;

impl IntoCloudError for ConversionPanics {
    fn into_cloud_error(self) -> CloudError {
        panic!("conversion of a poll_ready error panicked")
    }
}

impl Service<Request<()>> for FailsWhenPolled {
    type Response = Response<Full<Bytes>>;
    type Error = ConversionPanics;
    type Future = std::future::Ready<Result<Self::Response, ConversionPanics>>;
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), ConversionPanics>> {
        if !self.failed {
            self.failed = true;
            return Poll::Ready(Err(ConversionPanics));
        }
        Poll::Ready(Ok(()))
    }
    fn call(&mut self, _: Request<()>) -> Self::Future {
        std::future::ready(Ok(ok()))
    }
}

#[tokio::test]
async fn a_panicking_conversion_of_a_poll_ready_error_answers_internal_error() {
    let _logs = quiet_panics();
    let mut service = CloudErrorLayer::bce().layer(FailsWhenPolled { failed: false });
    let response = service.ready().await.unwrap().call(Request::new(())).await;
    assert_internal(&collected(response.unwrap()).await);
    // The failure stands: the inner service is not polled again.
    let response = service.ready().await.unwrap().call(Request::new(())).await;
    assert_internal(&collected(response.unwrap()).await);
    assert!(service.get_ref().failed);
}

/// Where [`Faulty`] panics.
#[derive(Clone, Copy, Debug, PartialEq)]
enum At {
    CheckRequest,
    RequestInfo,
    Render,
    CodeFor,
}

/// The BCE style, panicking at one place.
#[derive(Clone)]
struct Faulty(At);

impl Style for Faulty {
    type RequestInfo = RequestDate;

    fn dialect(&self) -> Dialect {
        bce::DIALECT
    }

    fn request_id_header(&self) -> &http::HeaderName {
        static HEADER: http::HeaderName = http::HeaderName::from_static("x-bce-request-id");
        &HEADER
    }

    fn internal_error(&self) -> Code {
        Bce::new().internal_error()
    }

    fn code_for(&self, condition: Condition) -> Code {
        if self.0 == At::CodeFor {
            panic!("code_for panicked");
        }
        Bce::new().code_for(condition)
    }

    fn check_request<B>(&self, request: &Request<B>) -> Result<(), CloudError> {
        if self.0 == At::CheckRequest {
            panic!("check_request panicked");
        }
        Bce::new().check_request(request)
    }

    fn request_info<B>(&self, request: &Request<B>) -> RequestDate {
        if self.0 == At::RequestInfo {
            panic!("request_info panicked");
        }
        Bce::new().request_info(request)
    }

    fn render(&self, report: &ErrorReport<'_>, info: &RequestDate) -> Response<Bytes> {
        if self.0 == At::Render {
            panic!("render panicked");
        }
        Bce::new().render(report, info)
    }
}

/// One request through `Faulty(at)` around a service failing with `error`; `None` when the
/// panic escaped the layer.
async fn through_faulty(at: At, error: CloudError) -> Option<Response<Bytes>> {
    let mut service = CloudErrorLayer::new(Faulty(at)).layer(service_fn(move |_: Request<()>| {
        std::future::ready(Err::<Response<Full<Bytes>>, _>(error.clone()))
    }));
    let ready = service.ready().await.unwrap();
    let future = catch_unwind(AssertUnwindSafe(|| ready.call(Request::new(())))).ok()?;
    let response = AssertUnwindSafeFuture(Box::pin(future)).await?;
    Some(collected(response.unwrap()).await)
}

/// Polls a future, turning a panic into `None`.
struct AssertUnwindSafeFuture<F>(F);

impl<F: std::future::Future + Unpin> std::future::Future for AssertUnwindSafeFuture<F> {
    type Output = Option<F::Output>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match catch_unwind(AssertUnwindSafe(|| Pin::new(&mut self.0).poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Some(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_) => Poll::Ready(None),
        }
    }
}

#[tokio::test]
async fn a_panic_in_style_check_request_answers_internal_error() {
    let _logs = quiet_panics();
    let response = through_faulty(At::CheckRequest, CloudError::new(bce::eip::EIP_NOT_FOUND))
        .await
        .expect("caught");
    assert_internal(&response);
}

/// Yields one frame, then panics (the head is sent by then).
struct PanickingBody {
    sent: bool,
}

impl Body for PanickingBody {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.sent {
            panic!("body panicked while streaming");
        }
        self.sent = true;
        Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"first")))))
    }
}

/// Sends `GET path` on a fresh connection; the status, or `None` when the connection closed
/// without a complete head.
fn get(addr: std::net::SocketAddr, path: &str) -> (Option<u16>, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|status| status.parse().ok());
    (status, text)
}

#[test]
fn over_loopback_a_body_panic_cuts_the_response_and_the_server_keeps_serving() {
    let _logs = quiet_panics();
    let app = axum::Router::new()
        .route(
            "/stream",
            axum::routing::get(|| async {
                Response::new(axum::body::Body::new(PanickingBody { sent: false }))
            }),
        )
        .route("/ok", axum::routing::get(|| async { StatusCode::OK }))
        .layer(CloudErrorLayer::bce());
    let server = support::Server::start(app);
    for _ in 0..3 {
        let (status, text) = get(server.addr, "/stream");
        // The connection ends before the chunked body does (hyper buffers the head with the
        // first chunk, so a client usually sees nothing at all): a failed transfer, never a
        // complete success.
        assert!(status.is_none() || status == Some(200), "{text:?}");
        assert!(!text.ends_with("0\r\n\r\n"), "a complete body: {text:?}");
        let (status, text) = get(server.addr, "/ok");
        assert_eq!(status, Some(200), "{text}");
    }
}

// -------------------------------------------------------------------------------------------
// Once not caught; now each is contained
// -------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_panic_in_style_request_info_answers_internal_error() {
    let _logs = quiet_panics();
    let response = through_faulty(At::RequestInfo, CloudError::new(bce::eip::EIP_NOT_FOUND)).await;
    assert_internal(&response.expect("escaped the layer"));
}

#[tokio::test]
async fn a_panic_in_style_render_answers_internal_error() {
    let _logs = quiet_panics();
    let response = through_faulty(At::Render, CloudError::new(bce::eip::EIP_NOT_FOUND)).await;
    // The style's own render cannot be trusted any more: a fixed fallback envelope would do.
    assert_eq!(
        response.expect("escaped the layer").status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

#[tokio::test]
async fn a_panic_in_style_code_for_answers_internal_error() {
    let _logs = quiet_panics();
    let error = CloudError::from_condition(Condition::NotFound);
    let response = through_faulty(At::CodeFor, error).await;
    assert_internal(&response.expect("escaped the layer"));
}

/// A generator that panics.
#[derive(Clone)]
struct PanickingGenerator;

impl MakeRequestId for PanickingGenerator {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        panic!("make_request_id panicked")
    }
}

#[tokio::test]
async fn a_panic_in_make_request_id_falls_back_to_uuid_v4() {
    let _logs = quiet_panics();
    let mut service = CloudErrorLayer::bce()
        .make_request_id(PanickingGenerator)
        .layer(service_fn(|_: Request<()>| async {
            Ok::<_, Infallible>(ok())
        }));
    let ready = service.ready().await.unwrap();
    let future = catch_unwind(AssertUnwindSafe(|| ready.call(Request::new(()))));
    let response = future.expect("escaped the layer").await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().contains_key("x-bce-request-id"));
}

#[derive(Debug)]
struct Quota;

impl std::fmt::Display for Quota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("quota")
    }
}

impl std::error::Error for Quota {}

#[tokio::test]
async fn a_panic_in_a_recognize_mapper_answers_internal_error() {
    let _logs = quiet_panics();
    let service = CloudErrorLayer::bce()
        .recognize(|_: &Quota| -> CloudError { panic!("recognize mapper panicked") })
        .layer(service_fn(|_: Request<()>| async {
            Err::<Response<Full<Bytes>>, _>(CloudError::internal().with_source(Quota))
        }));
    let response = AssertUnwindSafeFuture(Box::pin(service.oneshot(Request::new(())))).await;
    assert_internal(&collected(response.expect("escaped the layer").unwrap()).await);
}

#[tokio::test]
async fn a_panic_in_a_map_bare_status_mapper_answers_internal_error() {
    let _logs = quiet_panics();
    let service = CloudErrorLayer::bce()
        .map_bare_status(|_| panic!("map_bare_status mapper panicked"))
        .layer(service_fn(|_: Request<()>| async {
            let mut response = ok();
            *response.status_mut() = StatusCode::NOT_FOUND;
            Ok::<_, Infallible>(response)
        }));
    let response = AssertUnwindSafeFuture(Box::pin(service.oneshot(Request::new(())))).await;
    assert_internal(&collected(response.expect("escaped the layer").unwrap()).await);
}

/// An error whose `Display` panics: formatted only when the layer logs it.
#[derive(Debug)]
struct DisplayPanics;

impl std::fmt::Display for DisplayPanics {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        panic!("Display panicked")
    }
}

impl std::error::Error for DisplayPanics {}

#[tokio::test]
async fn a_panic_while_logging_a_source_still_answers_the_envelope() {
    let _logs = quiet_panics(); // a subscriber, so that the error is formatted
    let service = CloudErrorLayer::bce().layer(service_fn(|_: Request<()>| async {
        Err::<Response<Full<Bytes>>, _>(
            CloudError::new(bce::eip::EIP_NOT_FOUND).with_source(DisplayPanics),
        )
    }));
    let response = AssertUnwindSafeFuture(Box::pin(service.oneshot(Request::new(())))).await;
    let response = collected(response.expect("escaped the layer").unwrap()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// A body whose `size_hint` and `is_end_stream` panic (`poll_frame` is fine).
struct PanickingHints;

impl Body for PanickingHints {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(None)
    }
    fn is_end_stream(&self) -> bool {
        panic!("is_end_stream panicked")
    }
    fn size_hint(&self) -> SizeHint {
        panic!("size_hint panicked")
    }
}

#[tokio::test]
async fn a_panic_in_a_body_size_hint_or_is_end_stream_is_contained() {
    let _logs = quiet_panics();
    let service = CloudErrorLayer::bce().layer(service_fn(|_: Request<()>| async {
        Ok::<_, Infallible>(Response::new(PanickingHints))
    }));
    let response = service.oneshot(Request::new(())).await.unwrap();
    let body = response.into_body();
    assert!(catch_unwind(AssertUnwindSafe(|| body.size_hint())).is_ok());
    assert!(catch_unwind(AssertUnwindSafe(|| body.is_end_stream())).is_ok());
}
