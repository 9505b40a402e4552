//! The recipes of `docs/recipes.md`, each example's service on a real loopback socket, spoken to
//! in raw HTTP/1.1 so that every byte of the answer is seen: the exact envelope, status, content
//! type and request-id header each refusal becomes in each style.

mod support;

#[path = "../examples/production_stack.rs"]
#[allow(dead_code)]
mod production_stack;

#[path = "../examples/hyper_serve.rs"]
#[allow(dead_code)]
mod hyper_serve;

#[path = "../examples/tencent_actions.rs"]
#[allow(dead_code)]
mod tencent_actions;

#[path = "../examples/rate_limit.rs"]
#[allow(dead_code)]
mod rate_limit;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::Request;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Notify};
use tower::Service;
use tower_cloud_error::{bce, tencent, CloudErrorLayer, Validate};

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 client
// ---------------------------------------------------------------------------------------------

/// An answer as it came off the wire.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    /// The values of the header `name`.
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The single value of the header `name`.
    fn header(&self, name: &str) -> &str {
        match self.all(name).as_slice() {
            [value] => value,
            values => panic!("expected one `{name}` header, got {values:?} in {self:#?}"),
        }
    }

    /// Asserts the exact BCE envelope: status, content type, and a body whose `requestId` is the
    /// `x-bce-request-id` header.
    fn assert_bce(&self, status: u16, code: &str, message: &str) {
        let id = self.header("x-bce-request-id");
        assert_eq!(self.status, status, "{self:#?}");
        assert_eq!(
            self.header("content-type"),
            "application/json; charset=utf-8"
        );
        assert_eq!(
            self.body,
            format!(r#"{{"requestId":"{id}","code":"{code}","message":"{message}"}}"#)
        );
        assert_uuid_v4(id);
    }

    /// Asserts the exact Tencent envelope: HTTP 200, `application/json` exactly, and a body whose
    /// `RequestId` is the `X-TC-RequestId` header.
    fn assert_tencent(&self, code: &str, message: &str) {
        let id = self.header("x-tc-requestid");
        assert_eq!(self.status, 200, "{self:#?}");
        assert_eq!(self.header("content-type"), "application/json");
        assert_eq!(
            self.body,
            format!(
                r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"{message}"}},"RequestId":"{id}"}}}}"#
            )
        );
        assert_uuid_v4(id);
    }

    /// Asserts a Tencent success: HTTP 200 and `{"Response":{<fields>,"RequestId":"<id>"}}` with
    /// the id of the `X-TC-RequestId` header (`fields` empty for an answer without fields).
    fn assert_tencent_success(&self, fields: &str) {
        let id = self.header("x-tc-requestid");
        assert_eq!(self.status, 200, "{self:#?}");
        assert_eq!(self.header("content-type"), "application/json");
        let comma = if fields.is_empty() { "" } else { "," };
        assert_eq!(
            self.body,
            format!(r#"{{"Response":{{{fields}{comma}"RequestId":"{id}"}}}}"#)
        );
        assert_uuid_v4(id);
    }
}

fn assert_uuid_v4(id: &str) {
    let bytes = id.as_bytes();
    assert!(
        bytes.len() == 36
            && [8, 13, 18, 23].iter().all(|&i| bytes[i] == b'-')
            && bytes[14] == b'4'
            && bytes
                .iter()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase() || *b == b'-'),
        "not a UUID v4: {id:?}"
    );
}

/// Sends `request` (whole, as bytes) and reads the answer until the server closes the
/// connection.
async fn exchange(addr: SocketAddr, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    read_answer(&mut stream).await
}

async fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .expect("the server answers and closes within 10 s")
        .unwrap();
    parse(&raw)
}

fn parse(raw: &[u8]) -> Answer {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no complete head in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap()[9..12].parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v == "chunked")
    {
        body = dechunk(&body);
    } else if let Some((_, length)) = headers.iter().find(|(n, _)| n == "content-length") {
        let length: usize = length.parse().unwrap();
        assert_eq!(body.len(), length, "the body has its announced length");
    }
    Answer {
        status,
        headers,
        body: String::from_utf8(body).unwrap(),
    }
}

fn dechunk(mut chunked: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = chunked.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&chunked[..line_end]).unwrap(), 16).unwrap();
        if size == 0 {
            return body;
        }
        let start = line_end + 2;
        body.extend_from_slice(&chunked[start..start + size]);
        chunked = &chunked[start + size + 2..];
    }
}

/// A `Connection: close` request with `headers` (each a full `Name: value`) and `body`.
fn request(method: &str, path: &str, headers: &[&str], body: &str) -> Vec<u8> {
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    if !body.is_empty() || method == "POST" {
        text.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    text.push_str("\r\n");
    text.push_str(body);
    text.into_bytes()
}

/// Serves a service made for `axum::serve` on a free loopback port.
async fn serve<S>(service: S) -> SocketAddr
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, tower::make::Shared::new(service)).await });
    addr
}

// ---------------------------------------------------------------------------------------------
// 1. The production stack
// ---------------------------------------------------------------------------------------------

/// The test's own routes behind the stack: one that never answers, one that holds its slot until
/// released, and one that reads a JSON body with the stack's limit.
struct Routes {
    router: Router,
    entered: mpsc::UnboundedReceiver<()>,
    release: Arc<Notify>,
}

const TEST_BODY_LIMIT: usize = 1024;

#[derive(Debug, Serialize, Deserialize)]
struct Echo {
    text: String,
}
impl Validate for Echo {}

fn routes(tencent_style: bool) -> Routes {
    let (entered_tx, entered) = mpsc::unbounded_channel();
    let release = Arc::new(Notify::new());
    let hold_release = release.clone();
    let hold = move || {
        let entered_tx = entered_tx.clone();
        let release = hold_release.clone();
        async move {
            entered_tx.send(()).unwrap();
            release.notified().await;
            "released"
        }
    };
    let router = Router::new()
        .route("/v1/slow", get(std::future::pending::<()>))
        .route("/v1/hold", get(hold));
    let router = if tencent_style {
        router.route(
            "/v1/echo",
            post(
                |tencent::Json(echo): tencent::Json<Echo, TEST_BODY_LIMIT>| async move {
                    echo.text
                },
            ),
        )
    } else {
        router.route(
            "/v1/echo",
            post(|bce::Json(echo): bce::Json<Echo, TEST_BODY_LIMIT>| async move { echo.text }),
        )
    };
    Routes {
        router,
        entered,
        release,
    }
}

fn test_limits() -> production_stack::Limits {
    production_stack::Limits {
        timeout: Duration::from_millis(300),
        max_body_bytes: TEST_BODY_LIMIT,
        max_in_flight: 1,
    }
}

const EN: &str = "X-TC-Language: en-US";
const JSON: &str = "Content-Type: application/json";

async fn stack_bce() -> (SocketAddr, Routes) {
    stack_bce_with(CloudErrorLayer::bce()).await
}

async fn stack_bce_with(
    layer: CloudErrorLayer<tower_cloud_error::bce::Bce>,
) -> (SocketAddr, Routes) {
    let mut routes = routes(false);
    let router = std::mem::take(&mut routes.router);
    let service = production_stack::app(router, layer, &test_limits());
    (serve(service).await, routes)
}

async fn stack_tencent() -> (SocketAddr, Routes) {
    stack_tencent_with(CloudErrorLayer::tencent()).await
}

async fn stack_tencent_with(
    layer: CloudErrorLayer<tower_cloud_error::tencent::Tencent>,
) -> (SocketAddr, Routes) {
    let mut routes = routes(true);
    let router = std::mem::take(&mut routes.router);
    let service = production_stack::app(router, layer, &test_limits());
    (serve(service).await, routes)
}

/// The layer drains a refused body before answering; these tests send none (or never its end),
/// so a short bound answers them soon, with `Connection: close`.
const SHORT_DRAIN: Duration = Duration::from_millis(300);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_stack_serves_a_request_within_every_limit() {
    let (addr, _routes) = stack_bce().await;
    let answer = exchange(
        addr,
        &request("POST", "/v1/echo", &[JSON], r#"{"text":"hi"}"#),
    )
    .await;
    assert_eq!(answer.status, 200, "{answer:#?}");
    assert_eq!(answer.body, "hi");
    assert_uuid_v4(answer.header("x-bce-request-id"));

    let (addr, _routes) = stack_tencent().await;
    let answer = exchange(
        addr,
        &request("POST", "/v1/echo", &[JSON], r#"{"text":"hi"}"#),
    )
    .await;
    assert_eq!(answer.status, 200, "{answer:#?}");
    assert_eq!(answer.body, "hi");
    assert_uuid_v4(answer.header("x-tc-requestid"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_stack_timeout_is_internal_error_for_bce_and_service_unavailable_for_tencent() {
    let (addr, _routes) = stack_bce().await;
    let answer = exchange(addr, &request("GET", "/v1/slow", &[], "")).await;
    answer.assert_bce(
        500,
        "InternalError",
        "We encountered an internal error. Please try again.",
    );

    let (addr, _routes) = stack_tencent().await;
    let answer = exchange(addr, &request("GET", "/v1/slow", &[EN], "")).await;
    answer.assert_tencent(
        "ServiceUnavailable",
        "The service is temporarily unavailable.",
    );
    let answer = exchange(addr, &request("GET", "/v1/slow", &[], "")).await;
    answer.assert_tencent("ServiceUnavailable", "当前服务暂时不可用。");
}

/// A `Content-Length` over the limit is refused by tower-http before the body is read; the
/// head alone is sent, so the refusal cannot race the upload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_stack_announced_body_over_the_limit() {
    let head = format!(
        "POST /v1/echo HTTP/1.1\r\nHost: localhost\r\n{JSON}\r\n{EN}\r\nContent-Length: {}\r\n\r\n",
        TEST_BODY_LIMIT + 1
    );
    let (addr, _routes) =
        stack_bce_with(CloudErrorLayer::bce().drain_unread_bodies(1 << 20, SHORT_DRAIN)).await;
    let answer = exchange(addr, head.as_bytes()).await;
    answer.assert_bce(
        400,
        "InvalidHTTPRequest",
        "There was an error in the body of your HTTP request.",
    );
    assert_eq!(
        answer.header("connection"),
        "close",
        "the body was never read"
    );

    let (addr, _routes) =
        stack_tencent_with(CloudErrorLayer::tencent().drain_unread_bodies(1 << 20, SHORT_DRAIN))
            .await;
    let answer = exchange(addr, head.as_bytes()).await;
    answer.assert_tencent(
        "RequestSizeLimitExceeded",
        "The request exceeds the size limit.",
    );
    assert_eq!(
        answer.header("connection"),
        "close",
        "the body was never read"
    );
}

/// A chunked body has no announced length: tower-http's limit fires while the extractor reads
/// it, and the extractor says so without quoting a number that is not its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_stack_streamed_body_over_the_limit_is_refused_while_read() {
    let payload = format!(r#"{{"text":"{}"}}"#, "x".repeat(TEST_BODY_LIMIT));
    // The terminating chunk is not sent: everything sent is read, nothing races the answer.
    let chunked = format!(
        "POST /v1/echo HTTP/1.1\r\nHost: localhost\r\n{JSON}\r\n{EN}\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{payload}\r\n",
        payload.len()
    );
    let (addr, _routes) =
        stack_bce_with(CloudErrorLayer::bce().drain_unread_bodies(1 << 20, SHORT_DRAIN)).await;
    let answer = exchange(addr, chunked.as_bytes()).await;
    answer.assert_bce(
        400,
        "InvalidHTTPRequest",
        "There was an error in the body of your HTTP request: the body is larger than the service accepts.",
    );

    let (addr, _routes) =
        stack_tencent_with(CloudErrorLayer::tencent().drain_unread_bodies(1 << 20, SHORT_DRAIN))
            .await;
    let answer = exchange(addr, chunked.as_bytes()).await;
    answer.assert_tencent(
        "RequestSizeLimitExceeded",
        "The request body exceeds the size the service accepts.",
    );
}

/// With every slot taken (one, here) a request to another route, on another connection, is
/// refused at once: the limit is global, and `LoadShed` does not queue.
async fn overload(addr: SocketAddr, mut routes: Routes, headers: &[&str]) -> Answer {
    let mut holder = TcpStream::connect(addr).await.unwrap();
    holder
        .write_all(&request("GET", "/v1/hold", headers, ""))
        .await
        .unwrap();
    routes.entered.recv().await.unwrap();

    let shed = exchange(
        addr,
        &request(
            "POST",
            "/v1/echo",
            &[&[JSON][..], headers].concat(),
            r#"{"text":"hi"}"#,
        ),
    )
    .await;

    routes.release.notify_one();
    let held = read_answer(&mut holder).await;
    assert_eq!(held.status, 200, "{held:#?}");
    assert_eq!(held.body, "released");

    let after = exchange(
        addr,
        &request("POST", "/v1/echo", &[JSON], r#"{"text":"hi"}"#),
    )
    .await;
    assert_eq!(after.status, 200, "the slot is free again: {after:#?}");
    shed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_stack_overload_is_shed_at_once_across_routes() {
    let (addr, routes) = stack_bce().await;
    overload(addr, routes, &[]).await.assert_bce(
        500,
        "InternalError",
        "We encountered an internal error. Please try again.",
    );

    let (addr, routes) = stack_tencent().await;
    overload(addr, routes, &[EN]).await.assert_tencent(
        "ServiceUnavailable",
        "The service is temporarily unavailable.",
    );
}

/// The contrast that makes the stack go outside the router: the same limit added with
/// `Router::layer` is one limit per route, so a held route does not limit another one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrency_limit_added_with_router_layer_is_per_route() {
    let mut routes = routes(false);
    let router = std::mem::take(&mut routes.router)
        .layer(tower::limit::ConcurrencyLimitLayer::new(1))
        .layer(CloudErrorLayer::bce());
    let addr = serve(router).await;

    let mut holder = TcpStream::connect(addr).await.unwrap();
    holder
        .write_all(&request("GET", "/v1/hold", &[], ""))
        .await
        .unwrap();
    routes.entered.recv().await.unwrap();
    let echo = request("POST", "/v1/echo", &[JSON], r#"{"text":"hi"}"#);
    let other_route = tokio::time::timeout(Duration::from_secs(5), exchange(addr, &echo))
        .await
        .expect("another route is not limited by the held one");
    assert_eq!(other_route.status, 200, "{other_route:#?}");
    routes.release.notify_one();
    assert_eq!(read_answer(&mut holder).await.status, 200);
}

// ---------------------------------------------------------------------------------------------
// 2. hyper 1 + hyper-util
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hyper_serve_answers_successes_and_envelopes() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(hyper_serve::serve(
        listener,
        hyper_serve::service(),
        hyper_serve::Timeouts::default(),
        async {
            let _ = stopped.await;
        },
    ));

    let answer = exchange(addr, &request("GET", "/v1/eip/100.88.1.1", &[], "")).await;
    assert_eq!(answer.status, 200, "{answer:#?}");
    assert_eq!(answer.body, r#"{"eip":"100.88.1.1","status":"available"}"#);
    assert_uuid_v4(answer.header("x-bce-request-id"));

    exchange(addr, &request("GET", "/v1/eip/10.0.0.1", &[], ""))
        .await
        .assert_bce(404, "EipNotFound", "The specified eip does not exist.");
    exchange(addr, &request("GET", "/v2/other", &[], ""))
        .await
        .assert_bce(400, "InvalidURI", "Could not parse the specified URI.");

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hyper_serve_closes_a_connection_whose_head_is_too_slow() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let timeouts = hyper_serve::Timeouts {
        header_read: Duration::from_millis(300),
        ..hyper_serve::Timeouts::default()
    };
    tokio::spawn(hyper_serve::serve(
        listener,
        hyper_serve::service(),
        timeouts,
        std::future::pending(),
    ));

    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /v1/eip/100.88.1.1 HTTP/1.1\r\nHost: loc")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut raw))
        .await
        .expect("the server closes the connection")
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(250));
    assert!(
        raw.is_empty(),
        "closed without an answer: {:?}",
        String::from_utf8_lossy(&raw)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hyper_serve_shutdown_finishes_requests_in_flight_then_refuses_connections() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (entered_tx, mut entered) = mpsc::unbounded_channel();
    let release = Arc::new(Notify::new());
    let hold = release.clone();
    // A handler that holds until released, in the same layer as the example's.
    let service = tower::ServiceBuilder::new()
        .layer(CloudErrorLayer::bce())
        .service(tower::service_fn(
            move |_: http::Request<hyper::body::Incoming>| {
                let entered_tx = entered_tx.clone();
                let hold = hold.clone();
                async move {
                    entered_tx.send(()).unwrap();
                    hold.notified().await;
                    Ok::<_, tower_cloud_error::CloudError>(http::Response::new(
                        http_body_util::Full::new(bytes::Bytes::from_static(b"done")),
                    ))
                }
            },
        ));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(hyper_serve::serve(
        listener,
        service,
        hyper_serve::Timeouts::default(),
        async {
            let _ = stopped.await;
        },
    ));

    let mut in_flight = TcpStream::connect(addr).await.unwrap();
    in_flight
        .write_all(b"GET /v1/any HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    entered.recv().await.unwrap();
    stop.send(()).unwrap();
    // The listener closes as soon as the accept loop sees the shutdown.
    tokio::time::timeout(Duration::from_secs(5), async {
        while TcpStream::connect(addr).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("new connections are refused after the shutdown");
    assert!(
        !server.is_finished(),
        "the server waits for the request in flight"
    );

    release.notify_one();
    // Keep-alive was not asked to stop by the client: the server closes after this answer.
    let answer = read_answer(&mut in_flight).await;
    assert_eq!(answer.status, 200, "{answer:#?}");
    assert_eq!(answer.body, "done");
    assert_uuid_v4(answer.header("x-bce-request-id"));
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server returns once the request in flight is answered")
        .unwrap()
        .unwrap();
}

// ---------------------------------------------------------------------------------------------
// 3. A Tencent service with several actions
// ---------------------------------------------------------------------------------------------

async fn tencent_actions() -> SocketAddr {
    serve(tencent_actions::app()).await
}

fn now() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string()
}

/// A `POST /` for `action` (none if empty) with the headers the SDKs send.
fn action(action: &str, body: &str, language: &str) -> Vec<u8> {
    let timestamp = format!("X-TC-Timestamp: {}", now());
    let version = format!("X-TC-Version: {}", tencent_actions::VERSION);
    let action_header = format!("X-TC-Action: {action}");
    let language = format!("X-TC-Language: {language}");
    let mut headers = vec![JSON, &timestamp, &version, &language];
    if !action.is_empty() {
        headers.push(&action_header);
    }
    request("POST", "/", &headers, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tencent_actions_answer_success_envelopes_with_the_request_id() {
    let addr = tencent_actions().await;
    exchange(addr, &action("CreateNote", r#"{"Title":"first"}"#, "en-US"))
        .await
        .assert_tencent_success(r#""NoteId":"note-1""#);
    exchange(
        addr,
        &action("CreateNote", r#"{"Title":"second"}"#, "en-US"),
    )
    .await
    .assert_tencent_success(r#""NoteId":"note-2""#);
    exchange(
        addr,
        &action("DescribeNotes", r#"{"Limit":1,"Offset":1}"#, "en-US"),
    )
    .await
    .assert_tencent_success(r#""TotalCount":2,"Notes":[{"NoteId":"note-2","Title":"second"}]"#);
    exchange(
        addr,
        &action("DeleteNote", r#"{"NoteId":"note-1"}"#, "en-US"),
    )
    .await
    .assert_tencent_success("");
    exchange(addr, &action("DescribeNotes", "{}", "en-US"))
        .await
        .assert_tencent_success(r#""TotalCount":1,"Notes":[{"NoteId":"note-2","Title":"second"}]"#);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tencent_actions_unknown_and_missing_actions() {
    let addr = tencent_actions().await;
    exchange(addr, &action("DescribeEverything", "{}", "en-US"))
        .await
        .assert_tencent("InvalidAction", "The action does not exist.");
    exchange(addr, &action("DescribeEverything", "{}", "zh-CN"))
        .await
        .assert_tencent("InvalidAction", "接口不存在。");
    exchange(addr, &action("", "{}", "en-US"))
        .await
        .assert_tencent(
            "MissingParameter",
            "The request is missing a required parameter `X-TC-Action`.",
        );
    exchange(addr, &action("", "{}", "zh-CN"))
        .await
        .assert_tencent("MissingParameter", "缺少必需参数 `X-TC-Action`。");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tencent_actions_parameters_and_business_errors() {
    let addr = tencent_actions().await;
    exchange(addr, &action("CreateNote", "{}", "en-US"))
        .await
        .assert_tencent(
            "MissingParameter",
            "The request is missing a required parameter `Title`.",
        );
    exchange(
        addr,
        &action("CreateNote", r#"{"Title":"a","Color":"red"}"#, "en-US"),
    )
    .await
    .assert_tencent(
        "UnknownParameter",
        "The parameter `Color` is not defined by this action.",
    );
    exchange(addr, &action("DescribeNotes", r#"{"Limit":0}"#, "en-US"))
        .await
        .assert_tencent(
            "InvalidParameterValue",
            "The value of the parameter `Limit` is invalid.",
        );
    exchange(
        addr,
        &action("DeleteNote", r#"{"NoteId":"note-9"}"#, "en-US"),
    )
    .await
    .assert_tencent("ResourceNotFound", "The resource does not exist.");
}

// ---------------------------------------------------------------------------------------------
// 4. Rate limiting with tower_governor
// ---------------------------------------------------------------------------------------------

/// Two requests at once per client, the next one a minute later: the third is refused.
fn strict_rate() -> rate_limit::Rate {
    rate_limit::Rate {
        replenish_every: Duration::from_secs(60),
        burst: NonZeroU32::new(2).unwrap(),
    }
}

async fn serve_with_peer_address(app: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    addr
}

/// Sends three pings; the first two pass. Returns the third answer after checking its
/// `Retry-After` (whole seconds, at most the replenish period).
async fn third_ping(addr: SocketAddr, headers: &[&str]) -> Answer {
    for _ in 0..2 {
        let answer = exchange(addr, &request("GET", "/v1/ping", headers, "")).await;
        assert_eq!(answer.status, 200, "{answer:#?}");
        assert_eq!(answer.body, r#"{"pong":true}"#);
    }
    let refused = exchange(addr, &request("GET", "/v1/ping", headers, "")).await;
    let retry_after: u64 = refused.header("retry-after").parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{refused:#?}");
    refused
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_refusals_are_bce_request_limit_exceeded_429() {
    let app = rate_limit::app(rate_limit::routes(), CloudErrorLayer::bce(), strict_rate());
    let addr = serve_with_peer_address(app).await;
    third_ping(addr, &[]).await.assert_bce(
        429,
        "RequestLimitExceeded",
        "The request rate exceeds the limit. Retry after the time in the Retry-After header.",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_refusals_are_tencent_request_limit_exceeded_http_200() {
    let app = rate_limit::app(
        rate_limit::routes(),
        CloudErrorLayer::tencent(),
        strict_rate(),
    );
    let addr = serve_with_peer_address(app).await;
    third_ping(addr, &[EN]).await.assert_tencent(
        "RequestLimitExceeded",
        "The number of requests exceeds the rate limit.",
    );
    let zh = exchange(addr, &request("GET", "/v1/ping", &[], "")).await;
    zh.assert_tencent("RequestLimitExceeded", "请求的次数超过了频率限制。");
}

/// Served without the peer address, the limiter cannot key a request: every request is a server
/// fault, which is why the recipe insists on `into_make_service_with_connect_info`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_without_the_peer_address_is_internal_error() {
    let app = rate_limit::app(rate_limit::routes(), CloudErrorLayer::bce(), strict_rate());
    let addr = serve(app).await;
    exchange(addr, &request("GET", "/v1/ping", &[], ""))
        .await
        .assert_bce(
            500,
            "InternalError",
            "We encountered an internal error. Please try again.",
        );
}

// ---------------------------------------------------------------------------------------------
// 4b. The official SDKs against the rate limit, with their own retry policies
// ---------------------------------------------------------------------------------------------

/// Serves `app` (with the peer address) on its own runtime, counting the requests that reach
/// it, refused ones included.
fn serve_counted(app: Router) -> (tokio::runtime::Runtime, String, Arc<AtomicUsize>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let app = app.layer(axum::middleware::map_request(move |request: Request| {
        counter.fetch_add(1, Ordering::SeqCst);
        async move { request }
    }));
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    (runtime, url, seen)
}

fn driver_reports(style: &str, endpoint: &str) -> Vec<serde_json::Value> {
    support::run_driver("rate_limit_driver.py", &[style, endpoint])
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The BCE SDK reads the 429 envelope (status, code, message, request id) and, with its default
/// retry policy, does not retry it: the service sees each call once.
#[test]
fn bce_sdk_reads_request_limit_exceeded_and_does_not_retry_it() {
    let app = rate_limit::app(rate_limit::routes(), CloudErrorLayer::bce(), strict_rate());
    let (_runtime, url, seen) = serve_counted(app);
    let reports = driver_reports("bce", &url);
    assert_eq!(reports.len(), 3, "{reports:#?}");
    for passed in &reports[..2] {
        assert_eq!(passed["raised"], false, "{passed:#}");
        assert_eq!(passed["result"]["pong"], true, "{passed:#}");
    }
    let refused = &reports[2];
    assert_eq!(refused["raised"], true, "{refused:#}");
    assert_eq!(refused["status_code"], 429);
    assert_eq!(refused["code"], "RequestLimitExceeded");
    assert_eq!(
        refused["message"],
        "The request rate exceeds the limit. Retry after the time in the Retry-After header."
    );
    assert_uuid_v4(refused["request_id"].as_str().unwrap());
    assert_eq!(seen.load(Ordering::SeqCst), 3, "no call was retried");
}

/// The Tencent SDK with its StandardRetryer retries `RequestLimitExceeded` (HTTP 200) and then
/// reports it: the refused call reaches the service three times.
#[test]
fn tencent_sdk_retries_request_limit_exceeded_then_reports_it() {
    let routes = Router::new().route(
        "/",
        post(|| async { tencent::Success(serde_json::json!({ "Pong": true })) }),
    );
    let app = rate_limit::app(routes, CloudErrorLayer::tencent(), strict_rate());
    let (_runtime, url, seen) = serve_counted(app);
    let endpoint = url.trim_start_matches("http://");
    let reports = driver_reports("tencent", endpoint);
    assert_eq!(reports.len(), 3, "{reports:#?}");
    for passed in &reports[..2] {
        assert_eq!(passed["raised"], false, "{passed:#}");
        assert_eq!(passed["result"]["Pong"], true, "{passed:#}");
        assert_uuid_v4(passed["result"]["RequestId"].as_str().unwrap());
    }
    let refused = &reports[2];
    assert_eq!(refused["raised"], true, "{refused:#}");
    assert_eq!(refused["code"], "RequestLimitExceeded");
    assert_eq!(
        refused["message"],
        "The number of requests exceeds the rate limit."
    );
    assert_uuid_v4(refused["request_id"].as_str().unwrap());
    assert_eq!(
        seen.load(Ordering::SeqCst),
        2 + 3,
        "the refused call was sent three times (max_attempts = 3)"
    );
}
