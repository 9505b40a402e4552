//! The examples as deployed: `bce_eip` and `tencent_tcr` served by their own `serve` module
//! (hyper-util, HTTP/1.1 and HTTP/2 on one port) on a real loopback socket. Covers the limits of
//! `examples/support/serve.rs` (header-read and idle timeouts, the connection bound, graceful
//! shutdown), envelopes over HTTP/2, the examples' input bounds and the Tencent repository
//! quota, and what hyper answers by itself before any layer runs (`docs/hyper-bare-answers.md`).

// Both examples include `examples/support/serve.rs`, as their binaries do.
#![allow(clippy::duplicate_mod)]

#[path = "../examples/bce_eip.rs"]
#[allow(dead_code)]
mod bce_eip;

#[path = "../examples/tencent_tcr.rs"]
#[allow(dead_code)]
mod tencent_tcr;

use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use bytes::Bytes;
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use bce_eip::serve::Limits;

/// A served example: its address, and how to stop it.
struct Served {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Served {
    async fn start(app: Router, limits: Limits) -> Served {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(bce_eip::serve::serve(listener, app, limits, async {
            let _ = stopped.await;
        }));
        Served {
            addr,
            stop: Some(stop),
            task,
        }
    }

    async fn bce(limits: Limits) -> Served {
        let config = bce_eip::Config {
            faults: true,
            ..bce_eip::Config::default()
        };
        Served::start(bce_eip::app(config), limits).await
    }

    async fn tencent(config: tencent_tcr::Config) -> Served {
        Served::start(tencent_tcr::app(config), Limits::default()).await
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP/1 over a socket
// ---------------------------------------------------------------------------------------------

/// What came back on a connection: the bytes, and whether the server closed it.
struct Exchange {
    bytes: Vec<u8>,
    closed: bool,
}

/// Sends `request`, then reads until the server closes or `wait` passes without a byte.
async fn exchange(addr: SocketAddr, request: &[u8], wait: Duration) -> Exchange {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    // A refused request may close before all of it is written: what was read still counts.
    let _ = stream.write_all(request).await;
    read_until_quiet(&mut stream, wait).await
}

async fn read_until_quiet(stream: &mut TcpStream, wait: Duration) -> Exchange {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match tokio::time::timeout(wait, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                return Exchange {
                    bytes,
                    closed: true,
                }
            }
            Ok(Ok(n)) => bytes.extend_from_slice(&buf[..n]),
            Err(_) => {
                return Exchange {
                    bytes,
                    closed: false,
                }
            }
        }
    }
}

/// A parsed HTTP/1 response: status, headers (names lower-case, in order) and body.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    fn header_names(&self) -> Vec<&str> {
        self.headers.iter().map(|(key, _)| key.as_str()).collect()
    }
}

/// The first response in `bytes` (content-length or chunked framing).
fn parse_answer(bytes: &[u8]) -> Answer {
    let text = bytes;
    let head_end = text
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(bytes)));
    let head = std::str::from_utf8(&text[..head_end]).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (key, value) = line.split_once(':').unwrap();
            (key.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let rest = &text[head_end + 4..];
    let mut answer = Answer {
        status,
        headers,
        body: Vec::new(),
    };
    answer.body = if let Some(length) = answer.header("content-length") {
        rest[..length.parse::<usize>().unwrap()].to_vec()
    } else if answer.header("transfer-encoding") == Some("chunked") {
        let mut body = Vec::new();
        let mut rest = rest;
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap(), 16).unwrap();
            rest = &rest[line_end + 2..];
            if size == 0 {
                break body;
            }
            body.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
    } else {
        rest.to_vec()
    };
    answer
}

/// One request on its own connection (`Connection: close`), the answer parsed.
async fn call(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut request =
        format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "POST" || method == "PUT" {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    request.push_str(body);
    let exchange = exchange(addr, request.as_bytes(), Duration::from_secs(5)).await;
    assert!(
        exchange.closed,
        "the answer to a Connection: close request ends the connection"
    );
    parse_answer(&exchange.bytes)
}

// ---------------------------------------------------------------------------------------------
// HTTP/2 (prior knowledge) next to HTTP/1.1
// ---------------------------------------------------------------------------------------------

type H2Sender = hyper::client::conn::http2::SendRequest<Full<Bytes>>;

async fn h2_connect(addr: SocketAddr) -> (H2Sender, JoinHandle<Result<(), hyper::Error>>) {
    let tcp = TcpStream::connect(addr).await.unwrap();
    let (sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(tcp))
            .await
            .expect("HTTP/2 prior knowledge is spoken");
    (sender, tokio::spawn(connection))
}

/// An HTTP/2 answer: status, headers, body.
async fn h2_call(
    sender: &mut H2Sender,
    request: Request<Full<Bytes>>,
) -> (StatusCode, http::HeaderMap, Value) {
    let response = sender.send_request(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    let value =
        serde_json::from_slice(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {body:?}"));
    (parts.status, parts.headers, value)
}

/// No header that HTTP/2 forbids in a response (RFC 9113 §8.2.2).
fn assert_no_connection_specific_headers(headers: &http::HeaderMap) {
    for name in [
        "connection",
        "keep-alive",
        "proxy-connection",
        "transfer-encoding",
        "upgrade",
    ] {
        assert!(
            headers.get(name).is_none(),
            "HTTP/2 answer carries `{name}`: {headers:?}"
        );
    }
}

#[tokio::test]
async fn bce_errors_over_http2_are_envelopes_without_connection_headers() {
    let served = Served::bce(Limits::default()).await;
    let (mut sender, _connection) = h2_connect(served.addr).await;
    let uri = |path: &str| format!("http://{}{path}", served.addr);

    // The layer's own check (the version), a panic, and a body refused unread (announced over
    // the 2 MiB limit): the last two answer `Connection: close` over HTTP/1.
    let requests = [
        (
            Request::get(uri("/v2/eip")).body(Full::default()).unwrap(),
            StatusCode::NOT_FOUND,
            "InvalidVersion",
        ),
        (
            Request::get(uri("/v1/eip"))
                .header("x-demo-fault", "panic")
                .body(Full::default())
                .unwrap(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
        ),
        (
            Request::post(uri("/v1/eip"))
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(vec![b' '; 3 << 20])))
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "InvalidHTTPRequest",
        ),
    ];
    for (request, status, code) in requests {
        let (got_status, headers, body) = h2_call(&mut sender, request).await;
        assert_eq!(got_status, status, "{body}");
        assert_no_connection_specific_headers(&headers);
        assert_eq!(body["code"], json!(code), "{body}");
        let id = headers["x-bce-request-id"].to_str().unwrap();
        assert_eq!(body["requestId"], json!(id));
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(
            headers["content-type"], "application/json; charset=utf-8",
            "{code}"
        );
    }
    // The same connection still serves: nothing above reset it.
    let (status, headers, body) = h2_call(
        &mut sender,
        Request::get(uri("/v1/eip")).body(Full::default()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_no_connection_specific_headers(&headers);
    assert_eq!(body["eipList"], json!([]));
}

#[tokio::test]
async fn tencent_errors_over_http2_are_envelopes_without_connection_headers() {
    let served = Served::tencent(tencent_tcr::Config {
        faults: true,
        ..tencent_tcr::Config::default()
    })
    .await;
    let (mut sender, _connection) = h2_connect(served.addr).await;
    for (fault, code) in [
        (None, "ResourceNotFound.ErrNoNamespace"),
        (Some("panic"), "InternalError"),
    ] {
        let mut request = tencent_request(
            served.addr,
            "DeleteNamespacePersonal",
            &json!({"Namespace": "ghost"}),
        );
        if let Some(fault) = fault {
            request
                .headers_mut()
                .insert("x-demo-fault", fault.parse().unwrap());
        }
        let (status, headers, body) = h2_call(&mut sender, request).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "Tencent answers errors with HTTP 200"
        );
        assert_no_connection_specific_headers(&headers);
        assert_eq!(body["Response"]["Error"]["Code"], json!(code), "{body}");
        let id = headers["x-tc-requestid"].to_str().unwrap();
        assert_eq!(body["Response"]["RequestId"], json!(id));
    }
}

#[tokio::test]
async fn http1_and_http2_share_the_port() {
    let served = Served::bce(Limits::default()).await;
    let answer = call(served.addr, "GET", "/v1/eip", &[], "").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["eipList"], json!([]));
    let (mut sender, _connection) = h2_connect(served.addr).await;
    let (status, _, body) = h2_call(
        &mut sender,
        Request::get(format!("http://{}/v1/eip", served.addr))
            .body(Full::default())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["eipList"], json!([]));
}

// ---------------------------------------------------------------------------------------------
// Timeouts, the connection bound, graceful shutdown
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_head_not_sent_in_time_closes_the_connection_unanswered() {
    let served = Served::bce(Limits {
        header_read: Duration::from_millis(300),
        ..Limits::default()
    })
    .await;
    let started = Instant::now();
    let got = exchange(
        served.addr,
        b"GET /v1/eip HTTP/1.1\r\nHost: x\r\nX-Slow: ",
        Duration::from_secs(5),
    )
    .await;
    assert!(got.closed, "the connection is closed");
    assert!(
        got.bytes.is_empty(),
        "no answer: {:?}",
        String::from_utf8_lossy(&got.bytes)
    );
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_secs(3),
        "{took:?}"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_closes_after_the_header_read_timeout() {
    let served = Served::bce(Limits {
        header_read: Duration::from_millis(300),
        ..Limits::default()
    })
    .await;
    let mut stream = TcpStream::connect(served.addr).await.unwrap();
    stream
        .write_all(b"GET /v1/eip HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let got = read_until_quiet(&mut stream, Duration::from_secs(5)).await;
    assert_eq!(parse_answer(&got.bytes).status, 200);
    assert!(got.closed, "closed once idle");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_secs(3),
        "{took:?}"
    );
}

#[tokio::test]
async fn an_idle_http2_connection_is_closed_by_the_idle_timeout() {
    let served = Served::bce(Limits {
        idle: Duration::from_millis(300),
        ..Limits::default()
    })
    .await;
    let (mut sender, connection) = h2_connect(served.addr).await;
    let (status, _, _) = h2_call(
        &mut sender,
        Request::get(format!("http://{}/v1/eip", served.addr))
            .body(Full::default())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let started = Instant::now();
    let ended = tokio::time::timeout(Duration::from_secs(5), connection).await;
    assert!(ended.is_ok(), "the idle HTTP/2 connection was closed");
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(250), "{took:?}");
}

#[tokio::test]
async fn a_stalled_request_body_is_dropped_after_the_idle_timeout() {
    let served = Served::bce(Limits {
        idle: Duration::from_millis(300),
        ..Limits::default()
    })
    .await;
    let started = Instant::now();
    let got = exchange(
        served.addr,
        b"POST /v1/eip HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 100\r\n\r\n{\"bandwidth",
        Duration::from_secs(10),
    )
    .await;
    assert!(got.closed);
    assert!(
        got.bytes.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&got.bytes)
    );
    // The idle timeout, then the 1 s allowed to finish gracefully.
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(1200) && took < Duration::from_secs(5),
        "{took:?}"
    );
}

#[tokio::test]
async fn connections_past_the_bound_wait_until_one_ends() {
    let served = Served::bce(Limits {
        max_connections: 2,
        ..Limits::default()
    })
    .await;
    let mut first = TcpStream::connect(served.addr).await.unwrap();
    let mut second = TcpStream::connect(served.addr).await.unwrap();
    let request = b"GET /v1/eip HTTP/1.1\r\nHost: x\r\n\r\n";
    for stream in [&mut first, &mut second] {
        stream.write_all(request).await.unwrap();
        let got = read_until_quiet(stream, Duration::from_millis(300)).await;
        assert_eq!(parse_answer(&got.bytes).status, 200);
    }
    // The third connects (the kernel's backlog) but is not served...
    let mut third = TcpStream::connect(served.addr).await.unwrap();
    third.write_all(request).await.unwrap();
    let waiting = read_until_quiet(&mut third, Duration::from_millis(500)).await;
    assert!(waiting.bytes.is_empty() && !waiting.closed);
    // ...until one of the two ends.
    drop(first);
    let got = read_until_quiet(&mut third, Duration::from_secs(2)).await;
    assert_eq!(parse_answer(&got.bytes).status, 200);
}

#[tokio::test]
async fn shutdown_stops_accepting_closes_idle_connections_and_returns() {
    let mut served = Served::bce(Limits::default()).await;
    let mut kept = TcpStream::connect(served.addr).await.unwrap();
    kept.write_all(b"GET /v1/eip HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let got = read_until_quiet(&mut kept, Duration::from_millis(300)).await;
    assert_eq!(parse_answer(&got.bytes).status, 200);
    assert!(!got.closed);

    served.stop.take().unwrap().send(()).unwrap();
    let returned = tokio::time::timeout(Duration::from_secs(5), &mut served.task).await;
    assert!(matches!(returned, Ok(Ok(Ok(())))), "serve returned");
    let after = read_until_quiet(&mut kept, Duration::from_secs(2)).await;
    assert!(after.closed && after.bytes.is_empty());
    assert!(
        TcpStream::connect(served.addr).await.is_err(),
        "the listener is closed"
    );
}

#[tokio::test]
async fn shutdown_lets_the_request_in_flight_finish() {
    let mut served = Served::bce(Limits::default()).await;
    let body = r#"{"bandwidthInMbps":1,"billing":{"paymentTiming":"Postpaid"}}"#;
    let (first, rest) = body.split_at(10);
    let mut stream = TcpStream::connect(served.addr).await.unwrap();
    let head = format!(
        "POST /v1/eip HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{first}",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // The handler is now waiting for the rest of the body.
    tokio::time::sleep(Duration::from_millis(200)).await;
    served.stop.take().unwrap().send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !served.task.is_finished(),
        "serve waits for the request in flight"
    );
    stream.write_all(rest.as_bytes()).await.unwrap();
    let got = read_until_quiet(&mut stream, Duration::from_secs(5)).await;
    let answer = parse_answer(&got.bytes);
    assert_eq!(answer.status, 200, "{answer:?}");
    assert!(answer.json()["eip"].is_string());
    assert!(got.closed, "the connection closes after the last answer");
    let returned = tokio::time::timeout(Duration::from_secs(5), &mut served.task).await;
    assert!(matches!(returned, Ok(Ok(Ok(())))), "serve returned");
}

// ---------------------------------------------------------------------------------------------
// BCE bounds
// ---------------------------------------------------------------------------------------------

const POSTPAID: &str = r#"{"paymentTiming":"Postpaid","billingMethod":"ByTraffic"}"#;

async fn create_eip(addr: SocketAddr, body: &str) -> Answer {
    call(
        addr,
        "POST",
        "/v1/eip",
        &[("Content-Type", "application/json")],
        body,
    )
    .await
}

fn assert_bce_error(answer: &Answer, status: u16, code: &str, message: &str) {
    assert_eq!(answer.status, status, "{answer:?}");
    let body = answer.json();
    assert_eq!(body["code"], json!(code), "{body}");
    assert_eq!(body["message"], json!(message), "{body}");
}

#[tokio::test]
async fn bce_names_follow_the_documented_rule() {
    let served = Served::bce(Limits::default()).await;
    let longest = format!("a{}", "b/_-.9".repeat(64)[..64].to_owned());
    assert_eq!(longest.len(), 65);
    let answer = create_eip(
        served.addr,
        &format!(r#"{{"bandwidthInMbps":1,"name":"{longest}","billing":{POSTPAID}}}"#),
    )
    .await;
    assert_eq!(answer.status, 200, "{answer:?}");

    let message = "The JSON you provided was well-formed and valid, but not appropriate for this \
                   operation: name must be 1 to 65 characters, a letter first, then letters, \
                   digits, -, _, / or .";
    for name in [
        "a".repeat(66),
        String::new(),
        "1eip".into(),
        "web 1".into(),
        "名字".into(),
        "-eip".into(),
    ] {
        let answer = create_eip(
            served.addr,
            &format!(r#"{{"bandwidthInMbps":1,"name":"{name}","billing":{POSTPAID}}}"#),
        )
        .await;
        assert_bce_error(&answer, 400, "InappropriateJSON", message);
    }
}

#[tokio::test]
async fn bce_string_parameters_are_bounded() {
    let served = Served::bce(Limits::default()).await;
    let long_unit = "M".repeat(65);
    let answer = create_eip(
        served.addr,
        &format!(
            r#"{{"bandwidthInMbps":1,"billing":{{"paymentTiming":"Prepaid","billingMethod":"ByBandwidth","reservation":{{"reservationLength":1,"reservationTimeUnit":"{long_unit}"}}}}}}"#
        ),
    )
    .await;
    assert_bce_error(
        &answer,
        400,
        "InappropriateJSON",
        "The JSON you provided was well-formed and valid, but not appropriate for this \
         operation: billing.reservation.reservationTimeUnit must be Month.",
    );

    let created = create_eip(
        served.addr,
        &format!(r#"{{"bandwidthInMbps":1,"billing":{POSTPAID}}}"#),
    )
    .await;
    let ip = created.json()["eip"].as_str().unwrap().to_owned();
    for (item, body) in [
        (
            "instanceId",
            format!(
                r#"{{"instanceType":"BCC","instanceId":"{}"}}"#,
                "i".repeat(65)
            ),
        ),
        (
            "instanceType",
            format!(
                r#"{{"instanceType":"{}","instanceId":"i-web00001"}}"#,
                "B".repeat(65)
            ),
        ),
        (
            "instanceType",
            r#"{"instanceType":"","instanceId":"i-web00001"}"#.to_owned(),
        ),
    ] {
        let answer = call(
            served.addr,
            "PUT",
            &format!("/v1/eip/{ip}?bind"),
            &[("Content-Type", "application/json")],
            &body,
        )
        .await;
        assert_bce_error(
            &answer,
            400,
            "InappropriateJSON",
            &format!(
                "The JSON you provided was well-formed and valid, but not appropriate for this \
                 operation: {item} must be 1 to 64 characters."
            ),
        );
    }
    // At the bounds, an unknown instance is just not found.
    let answer = call(
        served.addr,
        "PUT",
        &format!("/v1/eip/{ip}?bind"),
        &[("Content-Type", "application/json")],
        &format!(
            r#"{{"instanceType":"BCC","instanceId":"{}"}}"#,
            "i".repeat(64)
        ),
    )
    .await;
    assert_eq!(answer.json()["code"], json!("InstanceNotFound"));

    for (key, max) in [
        ("eip", 64),
        ("instanceType", 64),
        ("instanceId", 64),
        ("marker", 64),
        ("name", 65),
    ] {
        // `instanceType` and `instanceId` go together.
        let pair = match key {
            "instanceType" => "&instanceId=y",
            "instanceId" => "&instanceType=x",
            _ => "",
        };
        let ok = call(
            served.addr,
            "GET",
            &format!("/v1/eip?{key}={}{pair}", "a".repeat(max)),
            &[],
            "",
        )
        .await;
        assert_eq!(ok.status, 200, "{key} at {max}: {ok:?}");
        let answer = call(
            served.addr,
            "GET",
            &format!("/v1/eip?{key}={}{pair}", "a".repeat(max + 1)),
            &[],
            "",
        )
        .await;
        assert_bce_error(
            &answer,
            400,
            "InvalidURI",
            &format!("Could not parse the specified URI: {key} must be at most {max} characters."),
        );
    }
    let answer = call(
        served.addr,
        "GET",
        &format!("/v1/eip?junk={}", "j".repeat(2048)),
        &[],
        "",
    )
    .await;
    assert_bce_error(
        &answer,
        400,
        "InvalidURI",
        "Could not parse the specified URI: the query must be at most 2048 bytes.",
    );
}

// ---------------------------------------------------------------------------------------------
// Tencent bounds and the repository quota
// ---------------------------------------------------------------------------------------------

fn now_secs() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string()
}

fn tencent_request(addr: SocketAddr, action: &str, body: &Value) -> Request<Full<Bytes>> {
    Request::post(format!("http://{addr}/"))
        .header("content-type", "application/json")
        .header("x-tc-action", action)
        .header("x-tc-version", tencent_tcr::VERSION)
        .header("x-tc-timestamp", now_secs())
        .header("x-tc-language", "en-US")
        .header(
            "authorization",
            "TC3-HMAC-SHA256 Credential=demo/2024-01-01/tcr/tc3_request, \
             SignedHeaders=content-type;host, Signature=0",
        )
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap()
}

/// The `Response` object of a Tencent action, over HTTP/1.
async fn tencent(addr: SocketAddr, action: &str, body: Value) -> Value {
    let timestamp = now_secs();
    let answer = call(
        addr,
        "POST",
        "/",
        &[
            ("Content-Type", "application/json"),
            ("X-TC-Action", action),
            ("X-TC-Version", tencent_tcr::VERSION),
            ("X-TC-Timestamp", &timestamp),
            ("X-TC-Language", "en-US"),
            (
                "Authorization",
                "TC3-HMAC-SHA256 Credential=demo/2024-01-01/tcr/tc3_request, \
                 SignedHeaders=content-type;host, Signature=0",
            ),
        ],
        &body.to_string(),
    )
    .await;
    assert_eq!(answer.status, 200);
    answer.json()["Response"].clone()
}

fn error_code(response: &Value) -> Option<&str> {
    response["Error"]["Code"].as_str()
}

#[tokio::test]
async fn tencent_repositories_have_a_quota_per_namespace() {
    let served = Served::tencent(tencent_tcr::Config::default()).await;
    let addr = served.addr;
    for namespace in ["team-a", "team-b"] {
        let created = tencent(
            addr,
            "CreateNamespacePersonal",
            json!({"Namespace": namespace}),
        )
        .await;
        assert_eq!(error_code(&created), None, "{created}");
    }
    for n in 0..100 {
        let created = tencent(
            addr,
            "CreateRepositoryPersonal",
            json!({"RepoName": format!("team-a/app-{n}")}),
        )
        .await;
        assert_eq!(error_code(&created), None, "repository {n}: {created}");
    }
    let refused = tencent(
        addr,
        "CreateRepositoryPersonal",
        json!({"RepoName": "team-a/app-100"}),
    )
    .await;
    assert_eq!(error_code(&refused), Some("LimitExceeded"), "{refused}");
    assert_eq!(
        refused["Error"]["Message"],
        json!(tower_cloud_error::tencent::common::LIMIT_EXCEEDED.message())
    );
    // An existing name is still reported as such, and the other namespace has its own quota.
    let exists = tencent(
        addr,
        "CreateRepositoryPersonal",
        json!({"RepoName": "team-a/app-7"}),
    )
    .await;
    assert_eq!(error_code(&exists), Some("InvalidParameter.ErrRepoExist"));
    let other = tencent(
        addr,
        "CreateRepositoryPersonal",
        json!({"RepoName": "team-b/app-100"}),
    )
    .await;
    assert_eq!(error_code(&other), None, "{other}");
    // Deleting one makes room again.
    let deleted = tencent(
        addr,
        "DeleteRepositoryPersonal",
        json!({"RepoName": "team-a/app-0"}),
    )
    .await;
    assert_eq!(error_code(&deleted), None);
    let again = tencent(
        addr,
        "CreateRepositoryPersonal",
        json!({"RepoName": "team-a/app-100"}),
    )
    .await;
    assert_eq!(error_code(&again), None, "{again}");
}

#[tokio::test]
async fn tencent_names_are_bounded_in_every_action() {
    let served = Served::tencent(tencent_tcr::Config::default()).await;
    let addr = served.addr;
    let namespace_31 = "n".repeat(31);
    for action in [
        "DescribeNamespacePersonal",
        "DeleteNamespacePersonal",
        "ValidateNamespaceExistPersonal",
        "CreateNamespacePersonal",
    ] {
        let answer = tencent(addr, action, json!({"Namespace": namespace_31})).await;
        assert_eq!(
            error_code(&answer),
            Some("InvalidParameterValue"),
            "{action}: {answer}"
        );
        assert!(answer["Error"]["Message"]
            .as_str()
            .unwrap()
            .contains("Namespace"));
    }
    // 30 characters is a name that may exist: just not found.
    let answer = tencent(
        addr,
        "DeleteNamespacePersonal",
        json!({"Namespace": "n".repeat(30)}),
    )
    .await;
    assert_eq!(error_code(&answer), Some("ResourceNotFound.ErrNoNamespace"));

    for repo_name in [
        format!("team/{}", "i".repeat(201)),
        format!("{namespace_31}/app"),
    ] {
        for action in [
            "DescribeRepositoryPersonal",
            "DeleteRepositoryPersonal",
            "CreateRepositoryPersonal",
        ] {
            let answer = tencent(addr, action, json!({"RepoName": repo_name})).await;
            assert_eq!(
                error_code(&answer),
                Some("InvalidParameterValue"),
                "{action}: {answer}"
            );
            assert!(answer["Error"]["Message"]
                .as_str()
                .unwrap()
                .contains("RepoName"));
        }
    }
    let answer = tencent(
        addr,
        "DescribeRepositoryPersonal",
        json!({"RepoName": format!("team/{}", "i".repeat(200))}),
    )
    .await;
    assert_eq!(error_code(&answer), Some("ResourceNotFound.ErrNoNamespace"));

    let created = tencent(
        addr,
        "CreateNamespacePersonal",
        json!({"Namespace": "team"}),
    )
    .await;
    assert_eq!(error_code(&created), None);
    let answer = tencent(
        addr,
        "CreateRepositoryPersonal",
        json!({"RepoName": "team/app", "Description": "d".repeat(1001)}),
    )
    .await;
    assert_eq!(error_code(&answer), Some("InvalidParameterValue"));
    assert!(answer["Error"]["Message"]
        .as_str()
        .unwrap()
        .contains("Description"));
}

// ---------------------------------------------------------------------------------------------
// What hyper answers by itself (docs/hyper-bare-answers.md)
// ---------------------------------------------------------------------------------------------

/// The bare answer to `request`: status, header names, body, and whether the server closed.
async fn bare(addr: SocketAddr, request: &[u8]) -> (Option<Answer>, bool) {
    let got = exchange(addr, request, Duration::from_secs(3)).await;
    let answer = (!got.bytes.is_empty()).then(|| parse_answer(&got.bytes));
    (answer, got.closed)
}

#[tokio::test]
async fn hyper_answers_unparseable_requests_bare_and_closes() {
    let served = Served::bce(Limits::default()).await;
    let addr = served.addr;
    let big_header = format!(
        "GET /v1/eip HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(70 * 1024)
    );
    let long_uri = format!(
        "GET /v1/eip?{} HTTP/1.1\r\nHost: x\r\n\r\n",
        "q".repeat(70 * 1024)
    );
    let many_headers = format!(
        "GET /v1/eip HTTP/1.1\r\nHost: x\r\n{}\r\n",
        (0..101)
            .map(|n| format!("X-H{n}: v\r\n"))
            .collect::<String>()
    );
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("malformed request line", b"GARBAGE\r\n\r\n".to_vec(), 400),
        (
            "invalid method token",
            b"G(T /v1/eip HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
            400,
        ),
        (
            "invalid header name",
            b"GET /v1/eip HTTP/1.1\r\nHost: x\r\nBad Header: v\r\n\r\n".to_vec(),
            400,
        ),
        (
            "header without colon",
            b"GET /v1/eip HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n".to_vec(),
            400,
        ),
        (
            "invalid Content-Length",
            b"POST /v1/eip HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n".to_vec(),
            400,
        ),
        (
            "conflicting Content-Length",
            b"POST /v1/eip HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"
                .to_vec(),
            400,
        ),
        (
            "Transfer-Encoding not ending in chunked",
            b"POST /v1/eip HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n".to_vec(),
            400,
        ),
        (
            "unsupported HTTP version",
            b"GET /v1/eip HTTP/3.0\r\nHost: x\r\n\r\n".to_vec(),
            400,
        ),
        (
            "head over 64 KiB (one header)",
            big_header.into_bytes(),
            431,
        ),
        ("URI over 64 KiB", long_uri.into_bytes(), 431),
        ("more than 100 headers", many_headers.into_bytes(), 431),
        (
            "binary junk",
            vec![0x16, 0x03, 0x01, 0x00, 0xff, b'\r', b'\n', b'\r', b'\n'],
            400,
        ),
        (
            "obsolete line folding",
            b"GET /v1/eip HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n".to_vec(),
            400,
        ),
        (
            "NUL in a header value",
            b"GET /v1/eip HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n".to_vec(),
            400,
        ),
        (
            "HTTP/1.0 with Transfer-Encoding",
            b"POST /v1/eip HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                .to_vec(),
            400,
        ),
    ];
    for (name, request, status) in &cases {
        let (answer, closed) = bare(addr, request).await;
        let answer = answer.unwrap_or_else(|| panic!("{name}: no answer"));
        assert_eq!(answer.status, *status, "{name}: {answer:?}");
        // Bare: no envelope, no request id, an empty body, and the connection closed.
        assert_eq!(
            answer.header_names(),
            ["connection", "content-length", "date"],
            "{name}: {answer:?}"
        );
        assert_eq!(answer.header("connection"), Some("close"), "{name}");
        assert_eq!(answer.header("content-length"), Some("0"), "{name}");
        assert!(answer.body.is_empty(), "{name}");
        assert!(closed, "{name}: the connection is closed");
    }

    // A long URI that fits the 64 KiB head reaches the layer: an envelope, not a bare 414.
    let path = format!("/{}", "p".repeat(60 * 1024));
    let answer = call(addr, "GET", &path, &[], "").await;
    assert_bce_error(
        &answer,
        400,
        "InvalidURI",
        "Could not parse the specified URI.",
    );
    assert!(answer.header("x-bce-request-id").is_some());
}
