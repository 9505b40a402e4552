//! Refused request bodies are drained, bounded (`CloudErrorLayer::drain_unread_bodies`), over
//! real sockets (axum served by hyper, a raw HTTP/1.1 client that sends its whole request, and
//! the next one, before it reads, as Python's `http.client` does): the client reads the whole
//! envelope, and the connection serves the next request; past a bound the answer says
//! `Connection: close`, and the server closes.

#![cfg(feature = "axum")]

mod raw_http;

use std::time::{Duration, Instant};

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use bytes::Bytes;
use raw_http::{serve, Answer, Connection};
use tower_cloud_error::{CloudError, CloudErrorLayer, Style};
use tower_http::limit::RequestBodyLimitLayer;

const MIB: usize = 1024 * 1024;

fn app<St: Style>(layer: CloudErrorLayer<St>) -> axum::Router {
    axum::Router::new()
        .route("/v1/ping", get(|| async { "pong" }))
        .route(
            "/v1/fail-unread",
            post(|| async { Err::<(), _>(CloudError::internal()) }),
        )
        // axum's limit: the extractor reads up to 1 MiB, then refuses with a bare 413.
        .route(
            "/v1/axum-limit",
            post(|body: Bytes| async move { body.len().to_string() })
                .layer(DefaultBodyLimit::max(MIB)),
        )
        // tower-http's limit: a `Content-Length` over 1 MiB is refused unread with a bare 413.
        .route(
            "/v1/tower-http-limit",
            post(|body: Bytes| async move { body.len().to_string() })
                .layer(RequestBodyLimitLayer::new(MIB)),
        )
        .layer(layer)
}

fn post_with_body(path: &str, length: usize) -> Vec<u8> {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\n\r\n"
    )
    .into_bytes();
    request.resize(request.len() + length, b'7');
    request
}

const PING: &[u8] = b"GET /v1/ping HTTP/1.1\r\nHost: localhost\r\n\r\n";

#[derive(Clone, Copy, Debug)]
enum Styled {
    Bce,
    Tencent,
}

impl Styled {
    /// The app under this style's layer, draining at most `max_bytes` within `max_time`.
    fn app(self, max_bytes: u64, max_time: Duration) -> axum::Router {
        match self {
            Styled::Bce => app(CloudErrorLayer::bce().drain_unread_bodies(max_bytes, max_time)),
            Styled::Tencent => {
                app(CloudErrorLayer::tencent().drain_unread_bodies(max_bytes, max_time))
            }
        }
    }

    /// The app under this style's layer with its defaults.
    fn default_app(self) -> axum::Router {
        match self {
            Styled::Bce => app(CloudErrorLayer::bce()),
            Styled::Tencent => app(CloudErrorLayer::tencent()),
        }
    }

    /// The envelope's code, after checking that its request id is the id header's.
    fn code(self, answer: &Answer) -> String {
        let body = answer.json();
        match self {
            Styled::Bce => {
                let id = answer.header("x-bce-request-id").expect("an id header");
                assert_eq!(body["requestId"], id.as_str(), "{body}");
                assert!(body["message"].is_string(), "{body}");
                body["code"].as_str().expect("a code").to_owned()
            }
            Styled::Tencent => {
                let id = answer.header("x-tc-requestid").expect("an id header");
                let response = &body["Response"];
                assert_eq!(response["RequestId"], id.as_str(), "{body}");
                assert!(response["Error"]["Message"].is_string(), "{body}");
                response["Error"]["Code"]
                    .as_str()
                    .expect("a code")
                    .to_owned()
            }
        }
    }
}

/// Sends `request` and a pipelined ping, both whole, before reading anything; returns the two
/// answers (the second `None` if the server closed instead).
async fn send_all_then_read(app: axum::Router, request: &[u8]) -> (Answer, Option<Answer>) {
    let addr = serve(app).await;
    let mut connection = Connection::open(addr).await;
    let mut both = request.to_vec();
    both.extend_from_slice(PING);
    assert!(
        connection.send(&both).await,
        "the whole body is accepted (drained), not reset"
    );
    let answer = connection.answer("POST").await.expect("an answer");
    let ping = connection.answer("GET").await;
    (answer, ping)
}

async fn assert_drained_and_kept_alive(style: Styled, app: axum::Router, request: &[u8]) -> Answer {
    let (answer, ping) = send_all_then_read(app, request).await;
    assert_eq!(answer.header("connection"), None, "{style:?}: {answer:?}");
    let ping = ping.unwrap_or_else(|| panic!("{style:?}: the pipelined request is answered"));
    assert_eq!((ping.status, ping.body.as_slice()), (200, &b"pong"[..]));
    answer
}

#[tokio::test]
async fn large_bodies_sent_before_reading_get_the_envelope_and_keep_the_connection() {
    for style in [Styled::Bce, Styled::Tencent] {
        for size in [3 * MIB, 12 * MIB] {
            let answer = assert_drained_and_kept_alive(
                style,
                style.default_app(),
                &post_with_body("/v1/fail-unread", size),
            )
            .await;
            assert_eq!(style.code(&answer), "InternalError", "{style:?} {size}");
        }
    }
}

#[tokio::test]
async fn bodies_refused_over_a_limit_are_drained() {
    for style in [Styled::Bce, Styled::Tencent] {
        for path in ["/v1/axum-limit", "/v1/tower-http-limit"] {
            let answer = assert_drained_and_kept_alive(
                style,
                style.default_app(),
                &post_with_body(path, 3 * MIB),
            )
            .await;
            // The style's codes for a body over its limit (BCE documents no 413).
            let expected = match style {
                Styled::Bce => (400, "InvalidHTTPRequest"),
                Styled::Tencent => (200, "RequestSizeLimitExceeded"),
            };
            let code = style.code(&answer);
            assert_eq!((answer.status, code.as_str()), expected, "{style:?} {path}");
        }
    }
}

#[tokio::test]
async fn a_body_announced_over_the_byte_bound_is_answered_at_once_with_close() {
    // 20 MiB announced, over the default 16 MiB: not drained. The client sends nothing more.
    for style in [Styled::Bce, Styled::Tencent] {
        let addr = serve(style.default_app()).await;
        let mut connection = Connection::open(addr).await;
        let head = format!(
            "POST /v1/fail-unread HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n",
            20 * MIB
        );
        let started = Instant::now();
        assert!(connection.send(head.as_bytes()).await);
        let answer = connection.answer("POST").await.expect("an answer");
        assert!(started.elapsed() < Duration::from_secs(5), "at once");
        assert_eq!(answer.header("connection").as_deref(), Some("close"));
        assert_eq!(style.code(&answer), "InternalError");
        assert!(
            connection.is_closed().await,
            "{style:?}: closes as announced"
        );
    }
}

#[tokio::test]
async fn a_chunked_body_past_the_byte_bound_says_close() {
    // Draining stops at 64 KiB: the answer says close. The client has sent all it will send.
    for style in [Styled::Bce, Styled::Tencent] {
        let addr = serve(style.app(64 * 1024, Duration::from_secs(10))).await;
        let mut connection = Connection::open(addr).await;
        let mut request = b"POST /v1/fail-unread HTTP/1.1\r\nHost: localhost\r\n\
                            Transfer-Encoding: chunked\r\n\r\n"
            .to_vec();
        for _ in 0..8 {
            request.extend_from_slice(b"4000\r\n");
            request.resize(request.len() + 0x4000, b'7');
            request.extend_from_slice(b"\r\n");
        }
        request.extend_from_slice(b"0\r\n\r\n");
        assert!(connection.send(&request).await);
        let answer = connection.answer("POST").await.expect("an answer");
        assert_eq!(
            answer.header("connection").as_deref(),
            Some("close"),
            "{style:?}"
        );
        assert_eq!(style.code(&answer), "InternalError");
        assert!(
            connection.is_closed().await,
            "{style:?}: closes as announced"
        );
    }
}

#[tokio::test]
async fn a_client_stalling_mid_body_gets_close_after_the_time_bound() {
    let bound = Duration::from_millis(400);
    for style in [Styled::Bce, Styled::Tencent] {
        let addr = serve(style.app(16 << 20, bound)).await;
        let mut connection = Connection::open(addr).await;
        let mut request = post_with_body("/v1/fail-unread", 100_000);
        request.truncate(request.len() - 50_000); // half the body, then nothing
        let started = Instant::now();
        assert!(connection.send(&request).await);
        let answer = connection.answer("POST").await.expect("an answer");
        let waited = started.elapsed();
        assert!(
            waited >= bound,
            "{style:?}: answered after the bound ({waited:?})"
        );
        assert!(
            waited < Duration::from_secs(5),
            "{style:?}: not much later ({waited:?})"
        );
        assert_eq!(answer.header("connection").as_deref(), Some("close"));
        assert_eq!(style.code(&answer), "InternalError");
        assert!(
            connection.is_closed().await,
            "{style:?}: closes as announced"
        );
    }
}

#[tokio::test]
async fn draining_turned_off_answers_large_bodies_with_close() {
    for style in [Styled::Bce, Styled::Tencent] {
        let addr = serve(style.app(0, Duration::ZERO)).await;
        let mut connection = Connection::open(addr).await;
        // Only the head: the answer comes at once, with close.
        let head =
            "POST /v1/fail-unread HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n";
        assert!(connection.send(head.as_bytes()).await);
        let answer = connection.answer("POST").await.expect("an answer");
        assert_eq!(answer.header("connection").as_deref(), Some("close"));
        assert_eq!(style.code(&answer), "InternalError");
    }
}

#[test]
fn without_tokio_timers_nothing_is_drained_and_nothing_panics() {
    // The server on a runtime built without timers (tokio's timer would panic): the answer
    // says close, at once, and the server keeps serving.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, Styled::Bce.default_app()).await
        })
    });
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    client.block_on(async move {
        for _ in 0..2 {
            let mut connection = Connection::open(addr).await;
            let head = "POST /v1/fail-unread HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n";
            assert!(connection.send(head.as_bytes()).await);
            let answer = connection.answer("POST").await.expect("an answer");
            assert_eq!(answer.header("connection").as_deref(), Some("close"));
            assert_eq!(Styled::Bce.code(&answer), "InternalError");
        }
    });
}
