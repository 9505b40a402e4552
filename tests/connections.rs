//! Connection handling over real sockets (axum served by hyper, a raw HTTP/1.1 client): an
//! answer says `Connection: close` exactly when it leaves an announced request body unread and
//! not drained (hyper then closes the connection), and never when the body was read or drained
//! to its end; whenever no close is announced, a second request on the same keep-alive
//! connection is answered.

#![cfg(feature = "axum")]

mod raw_http;

use std::time::{Duration, Instant};

use axum::routing::{get, post};
use bytes::Bytes;
use raw_http::{serve, Answer, Connection};
use tower_cloud_error::bce::{Bce, Checks as BceChecks};
use tower_cloud_error::{bce, CloudError, CloudErrorLayer, Style};

/// The routes every case uses, under `layer`.
fn app<St: Style>(layer: CloudErrorLayer<St>) -> axum::Router {
    axum::Router::new()
        .route("/v1/ping", get(|| async { "pong" }))
        .route(
            "/v1/fail-unread",
            post(|| async { Err::<(), _>(CloudError::internal()) }),
        )
        .route(
            "/v1/fail-read",
            post(|body: Bytes| async move {
                assert!(!body.is_empty());
                Err::<(), _>(CloudError::new(bce::eip::EXCEED_LIMIT))
            }),
        )
        .route(
            "/v1/panic-unread",
            post(|| async {
                if true {
                    panic!("a handler panicked before reading the body");
                }
                "unreachable"
            }),
        )
        .route(
            "/v1/panic-read",
            post(|body: Bytes| async move {
                if !body.is_empty() {
                    panic!("a handler panicked after reading the body");
                }
                "unreachable"
            }),
        )
        .route("/v1/ignore", post(|| async { "ignored" }))
        .route("/v1/echo", post(|body: Bytes| async move { body }))
        .route(
            "/v1/json",
            post(|bce::Json(value): bce::Json<serde_json::Value>| async move { value.to_string() }),
        )
        .layer(layer)
}

/// A request with a body announced by `Content-Length` but not sent: what a client that waits
/// for the answer (or for `100 Continue`) has sent when the server answers without reading.
fn announced_only(path: &str, extra: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: 100000\r\n{extra}\r\n"
    )
    .into_bytes()
}

/// A request with a body of `length` bytes, sent whole.
fn with_body_of(path: &str, length: usize, extra: &str) -> Vec<u8> {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\n{extra}\r\n"
    )
    .into_bytes();
    request.resize(request.len() + length, b'7');
    request
}

/// A layer that gives up draining after `bound`.
fn short_drain(layer: CloudErrorLayer<Bce>, bound: Duration) -> CloudErrorLayer<Bce> {
    layer.drain_unread_bodies(16 << 20, bound)
}

/// A request with a small body, sent whole.
fn with_body(path: &str) -> Vec<u8> {
    let body = r#"{"name":"eip-1"}"#;
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

const PING: &[u8] = b"GET /v1/ping HTTP/1.1\r\nHost: localhost\r\n\r\n";

/// Sends `request` on a new connection; returns the answer and the connection.
async fn ask(app: axum::Router, request: &[u8]) -> (Answer, Connection) {
    let addr = serve(app).await;
    let mut connection = Connection::open(addr).await;
    assert!(connection.send(request).await);
    let answer = connection.answer("POST").await.expect("an answer");
    assert!(answer.status >= 200, "a final answer first: {answer:?}");
    (answer, connection)
}

/// The answer says `Connection: close`, and the server does close.
async fn assert_closes(app: axum::Router, request: &[u8]) -> Answer {
    let (answer, mut connection) = ask(app, request).await;
    assert_eq!(
        answer.header("connection").as_deref(),
        Some("close"),
        "{answer:?}"
    );
    assert!(
        connection.is_closed().await,
        "the server closes as announced"
    );
    answer
}

/// The answer has no `connection` header, and a second request on the connection is answered.
async fn assert_keeps_alive(app: axum::Router, request: &[u8]) -> Answer {
    let (answer, mut connection) = ask(app, request).await;
    assert_eq!(answer.header("connection"), None, "{answer:?}");
    assert!(connection.send(PING).await, "the connection is still open");
    let ping = tokio::time::timeout(Duration::from_secs(10), connection.answer("GET"))
        .await
        .unwrap()
        .expect("the next request on the connection is answered");
    assert_eq!(ping.status, 200);
    assert_eq!(ping.body, b"pong");
    answer
}

fn quiet_panics() {
    std::panic::set_hook(Box::new(|_| {}));
}

#[tokio::test]
async fn a_handler_error_before_reading_the_body_drains_it_and_keeps_the_connection() {
    let answer = assert_keeps_alive(
        app(CloudErrorLayer::bce()),
        &with_body_of("/v1/fail-unread", 100_000, ""),
    )
    .await;
    assert_eq!(answer.json()["code"], "InternalError");
}

#[tokio::test]
async fn a_body_not_sent_within_the_drain_bound_says_close() {
    // The client announced a body and waits: after the time bound, the answer says close.
    let bound = Duration::from_millis(300);
    let started = Instant::now();
    let answer = assert_closes(
        app(short_drain(CloudErrorLayer::bce(), bound)),
        &announced_only("/v1/fail-unread", ""),
    )
    .await;
    assert!(started.elapsed() >= bound, "answered after the bound");
    assert_eq!(answer.json()["code"], "InternalError");
}

#[tokio::test]
async fn draining_turned_off_says_close_at_once() {
    let layer = CloudErrorLayer::bce().drain_unread_bodies(0, Duration::ZERO);
    let started = Instant::now();
    let answer = assert_closes(app(layer), &announced_only("/v1/fail-unread", "")).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(answer.json()["code"], "InternalError");
}

#[tokio::test]
async fn a_handler_error_after_reading_the_body_keeps_the_connection() {
    let answer = assert_keeps_alive(app(CloudErrorLayer::bce()), &with_body("/v1/fail-read")).await;
    assert_eq!(answer.json()["code"], "ExceedLimit");
}

#[tokio::test]
async fn a_panic_before_reading_the_body_drains_it_and_keeps_the_connection() {
    quiet_panics();
    for app in [app(CloudErrorLayer::bce()), app(CloudErrorLayer::tencent())] {
        assert_keeps_alive(app, &with_body_of("/v1/panic-unread", 100_000, "")).await;
    }
    // Not sent within the bound: close.
    let layer = short_drain(CloudErrorLayer::bce(), Duration::from_millis(200));
    assert_closes(app(layer), &announced_only("/v1/panic-unread", "")).await;
}

#[tokio::test]
async fn a_panic_after_reading_the_body_keeps_the_connection() {
    quiet_panics();
    let answer = assert_keeps_alive(
        app(CloudErrorLayer::tencent()),
        &with_body("/v1/panic-read"),
    )
    .await;
    assert_eq!(answer.json()["Response"]["Error"]["Code"], "InternalError");
    let answer =
        assert_keeps_alive(app(CloudErrorLayer::bce()), &with_body("/v1/panic-read")).await;
    assert_eq!(answer.json()["code"], "InternalError");
}

#[tokio::test]
async fn a_body_read_failure_says_close() {
    // Malformed chunk framing: hyper fails the body read, and closes.
    let request = b"POST /v1/echo HTTP/1.1\r\nHost: localhost\r\n\
                    Transfer-Encoding: chunked\r\n\r\nzz\r\n";
    let answer = assert_closes(app(CloudErrorLayer::bce()), request).await;
    assert_eq!(answer.status, 400);
    assert!(answer.json()["code"].is_string());
    // The crate's own extractor, which answers the failure as a handler error; a 40-digit
    // chunk size too.
    for framing in ["zz\r\n", "1234567890123456789012345678901234567890\r\n"] {
        let request = format!(
            "POST /v1/json HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
             Transfer-Encoding: chunked\r\n\r\n{framing}"
        );
        let answer = assert_closes(app(CloudErrorLayer::bce()), request.as_bytes()).await;
        assert!(answer.json()["code"].is_string(), "{answer:?}");
    }
}

#[tokio::test]
async fn a_failed_check_drains_the_body() {
    let layer = CloudErrorLayer::new(Bce::new().checks(BceChecks::new(&[1])));
    let answer = assert_keeps_alive(app(layer), &with_body_of("/v9/eip", 100_000, "")).await;
    assert_eq!(answer.json()["code"], "InvalidVersion");
    // Not sent within the bound: close.
    let layer = CloudErrorLayer::new(Bce::new().checks(BceChecks::new(&[1])));
    let layer = short_drain(layer, Duration::from_millis(200));
    let answer = assert_closes(app(layer), &announced_only("/v9/eip", "")).await;
    assert_eq!(answer.json()["code"], "InvalidVersion");
    // Without a body, nothing is left unread.
    let layer = CloudErrorLayer::new(Bce::new().checks(BceChecks::new(&[1])));
    let answer = assert_keeps_alive(
        app(layer),
        b"POST /v9/eip HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n",
    )
    .await;
    assert_eq!(answer.json()["code"], "InvalidVersion");
}

#[tokio::test]
async fn expect_100_continue_refused_before_reading_says_close() {
    // The handler answers without reading: no `100 Continue` is sent (the first answer is the
    // final one), the body is not drained (that would invite it), and the client must not
    // send it on this connection. Both styles, at once (not after a drain bound).
    for layer in [app(CloudErrorLayer::bce()), app(CloudErrorLayer::tencent())] {
        let started = Instant::now();
        let answer = assert_closes(
            layer,
            &announced_only("/v1/fail-unread", "Expect: 100-continue\r\n"),
        )
        .await;
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(
            answer.header("x-bce-request-id").is_some()
                || answer.json()["Response"]["RequestId"].is_string()
        );
    }
}

#[tokio::test]
async fn a_success_that_drops_the_body_unread_drains_it() {
    let answer = assert_keeps_alive(
        app(CloudErrorLayer::bce()),
        &with_body_of("/v1/ignore", 100_000, ""),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, b"ignored");
    // Not sent within the bound: close.
    let layer = short_drain(CloudErrorLayer::bce(), Duration::from_millis(200));
    let answer = assert_closes(app(layer), &announced_only("/v1/ignore", "")).await;
    assert_eq!(answer.status, 200);
    // Read, it keeps the connection.
    let answer = assert_keeps_alive(app(CloudErrorLayer::bce()), &with_body("/v1/echo")).await;
    assert_eq!(answer.body, br#"{"name":"eip-1"}"#);
}

#[tokio::test]
async fn an_unknown_route_drains_the_body_and_keeps_alive() {
    let answer = assert_keeps_alive(
        app(CloudErrorLayer::bce()),
        &with_body_of("/v1/nothing", 100_000, ""),
    )
    .await;
    assert_eq!(answer.json()["code"], "InvalidURI");
    let answer = assert_keeps_alive(
        app(CloudErrorLayer::bce()),
        b"GET /v1/nothing HTTP/1.1\r\nHost: localhost\r\n\r\n",
    )
    .await;
    assert_eq!(answer.json()["code"], "InvalidURI");
}
