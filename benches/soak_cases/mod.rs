//! The soak's connection cases, run beside the main mix: large bodies the example refuses unread,
//! sent whole before reading as Python's `http.client` does, each followed by a pipelined request
//! on the same connection; and HTTP/2 with prior knowledge (hyper's client), many streams on one
//! connection.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tower_cloud_error::conformance::{BceConformance, Checker, TencentConformance};
use tower_cloud_error::Language;

use super::{closes, error_code, expected_answer, unix_now, Connection, Kind, Service};

/// What one case counted.
#[derive(Default)]
pub struct CaseTally {
    pub name: String,
    /// Requests sent (large bodies: the refused one and its pipelined follower count as one).
    pub attempts: u64,
    /// Answered exactly as expected: the envelope read whole and conformant, and (large bodies)
    /// the pipelined request answered on the same connection, no `Connection: close`.
    pub ok: u64,
    pub failures: u64,
    pub samples: Vec<String>,
}

impl CaseTally {
    fn fail(&mut self, text: String) {
        self.failures += 1;
        if self.samples.len() < 5 {
            self.samples.push(text);
        }
    }
}

fn checker(service: Service) -> Checker {
    match service {
        Service::Bce => Checker::new(BceConformance).require_known_codes(true),
        Service::Tencent => Checker::new(TencentConformance)
            .require_known_codes(true)
            .expect_language(Language::EnUs),
    }
}

/// The Tencent example's body limit: bodies under it are read, so the 3 MiB case goes to a
/// version the example does not serve (refused unread by the layer's check).
const TENCENT_LIMIT: usize = 10 << 20;

/// A request with a body of `size` bytes that the example refuses unread, and the code it
/// answers.
fn refused(service: Service, size: usize) -> (Vec<u8>, &'static str) {
    let (head, code) = match service {
        Service::Bce => (
            format!(
                "POST /v1/eip?clientToken=soak-large-{} HTTP/1.1\r\nhost: 127.0.0.1\r\n\
                 content-type: application/json\r\ncontent-length: {size}\r\n\r\n",
                unix_now()
            ),
            "InvalidHTTPRequest",
        ),
        Service::Tencent => {
            let (version, code) = if size > TENCENT_LIMIT {
                ("2019-09-24", "RequestSizeLimitExceeded")
            } else {
                ("2017-03-12", "NoSuchVersion")
            };
            (
                format!(
                    "POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
                     authorization: TC3-HMAC-SHA256 Credential=soak/2024-01-01/tcr/tc3_request, SignedHeaders=content-type;host, Signature=0\r\n\
                     x-tc-action: CreateNamespacePersonal\r\nx-tc-version: {version}\r\n\
                     x-tc-timestamp: {}\r\nx-tc-language: en-US\r\ncontent-length: {size}\r\n\r\n",
                    unix_now()
                ),
                code,
            )
        }
    };
    let mut bytes = head.into_bytes();
    let prefix = br#"{"Namespace":""#;
    bytes.extend_from_slice(prefix);
    bytes.resize(bytes.len() + size - prefix.len() - 2, b'x');
    bytes.extend_from_slice(br#""}"#);
    (bytes, code)
}

/// A list request, answered 200.
fn list(service: Service) -> Vec<u8> {
    match service {
        Service::Bce => b"GET /v1/eip?maxKeys=10 HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n".to_vec(),
        Service::Tencent => {
            let body = r#"{"Limit":20,"Offset":0}"#;
            format!(
                "POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
                 authorization: TC3-HMAC-SHA256 Credential=soak/2024-01-01/tcr/tc3_request, SignedHeaders=content-type;host, Signature=0\r\n\
                 x-tc-action: DescribeNamespacePersonal\r\nx-tc-version: 2019-09-24\r\n\
                 x-tc-timestamp: {}\r\nx-tc-language: en-US\r\ncontent-length: {}\r\n\r\n{body}",
                unix_now(),
                body.len()
            )
            .into_bytes()
        }
    }
}

/// Large bodies of `size` bytes refused unread, each sent whole with a pipelined list request
/// behind it before anything is read, on one keep-alive connection, until `stop`.
pub fn large_bodies(
    service: Service,
    addr: SocketAddr,
    size: usize,
    stop: &AtomicBool,
) -> CaseTally {
    let mut tally = CaseTally {
        name: format!("refused {} MiB body + pipelined request", size >> 20),
        ..CaseTally::default()
    };
    let checker = checker(service);
    let mut connection = Connection::new(addr);
    while !stop.load(Ordering::Relaxed) {
        let (mut bytes, code) = refused(service, size);
        bytes.extend_from_slice(&list(service));
        tally.attempts += 1;
        let answers = match connection.exchange_pipelined(&bytes, 2) {
            Ok(answers) => answers,
            Err(error) => {
                tally.fail(format!("dropped: {error}"));
                continue;
            }
        };
        let (refusal, listed) = (&answers[0], &answers[1]);
        let got = error_code(service, refusal);
        if got.as_deref() != Some(code) {
            tally.fail(format!(
                "expected {code}, got {got:?} ({})",
                refusal.status()
            ));
        } else if let Err(violations) = checker.check(&Method::POST, refusal) {
            tally.fail(format!("non-compliant: {violations:?}"));
        } else if closes(refusal) {
            tally.fail("the refusal says Connection: close".into());
        } else if !expected_answer(service, Kind::List, listed) {
            tally.fail(format!("pipelined list: {}", listed.status()));
        } else {
            tally.ok += 1;
        }
    }
    tally
}

/// HTTP/2 with prior knowledge: batches of concurrent streams (panics, internal errors,
/// malformed JSON, lists) on one connection, until `stop`. Envelopes must conform, be of the
/// right kind, and carry no connection-specific header.
pub fn http2(service: Service, addr: SocketAddr, stop: &AtomicBool) -> CaseTally {
    let mut tally = CaseTally {
        name: "HTTP/2, 8 concurrent streams".into(),
        ..CaseTally::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the HTTP/2 client");
    runtime.block_on(async {
        let mut sender = None;
        let mut round = 0u64;
        while !stop.load(Ordering::Relaxed) {
            if sender.is_none() {
                match connect_h2(addr).await {
                    Ok(connected) => sender = Some(connected),
                    Err(error) => {
                        tally.attempts += 1;
                        tally.fail(format!("connect: {error}"));
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                }
            }
            let client = sender.as_mut().expect("connected");
            let kinds = [
                Kind::Panic,
                Kind::Internal,
                Kind::BadJson,
                Kind::List,
                Kind::List,
                Kind::List,
                Kind::Internal,
                Kind::BadJson,
            ];
            let sends = kinds.map(|kind| {
                round += 1;
                let request = h2_request(service, kind);
                let mut client = client.clone();
                async move {
                    let response = client.send_request(request).await?;
                    let (parts, body) = response.into_parts();
                    let body = body.collect().await?.to_bytes();
                    Ok::<_, hyper::Error>((kind, Response::from_parts(parts, body)))
                }
            });
            let results = futures_join(sends).await;
            let checker = checker(service);
            for result in results {
                tally.attempts += 1;
                match result {
                    Err(error) => {
                        tally.fail(format!("stream failed: {error}"));
                        sender = None;
                    }
                    Ok((kind, response)) => {
                        let method = match (service, kind) {
                            (Service::Bce, Kind::Panic | Kind::Internal | Kind::List) => {
                                Method::GET
                            }
                            _ => Method::POST,
                        };
                        if let Err(violations) = checker.check(&method, &response) {
                            tally.fail(format!("non-compliant ({kind:?}): {violations:?}"));
                        } else if !expected_answer(service, kind, &response) {
                            tally.fail(format!("unexpected ({kind:?}): {}", response.status()));
                        } else if let Some(name) = CONNECTION_SPECIFIC
                            .iter()
                            .find(|name| response.headers().contains_key(**name))
                        {
                            tally.fail(format!("connection-specific header {name} ({kind:?})"));
                        } else {
                            tally.ok += 1;
                        }
                    }
                }
            }
        }
    });
    tally
}

/// Headers HTTP/2 forbids (RFC 9113 §8.2.2).
const CONNECTION_SPECIFIC: [&str; 5] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
];

type H2Sender = hyper::client::conn::http2::SendRequest<Full<Bytes>>;

async fn connect_h2(addr: SocketAddr) -> Result<H2Sender, String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    let (sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    Ok(sender)
}

fn h2_request(service: Service, kind: Kind) -> Request<Full<Bytes>> {
    let fault = match kind {
        Kind::Panic => Some("panic"),
        Kind::Internal => Some("internal"),
        _ => None,
    };
    let mut builder = match service {
        Service::Bce => {
            let (method, uri, body) = match kind {
                Kind::BadJson => (
                    "POST",
                    format!(
                        "http://{}/v1/eip?clientToken=soak-h2-{}",
                        "127.0.0.1",
                        unix_now()
                    ),
                    r#"{"bandwidthInMbps":10,"billing":{"paymentTiming""#,
                ),
                _ => ("GET", "http://127.0.0.1/v1/eip?maxKeys=10".to_owned(), ""),
            };
            let builder = Request::builder()
                .method(method)
                .uri(uri)
                .header("content-type", "application/json; charset=utf-8");
            return with_fault(builder, fault)
                .body(Full::new(Bytes::from(body)))
                .expect("a request");
        }
        Service::Tencent => Request::builder()
            .method("POST")
            .uri("http://127.0.0.1/")
            .header("content-type", "application/json")
            .header(
                "authorization",
                "TC3-HMAC-SHA256 Credential=soak/2024-01-01/tcr/tc3_request, \
                 SignedHeaders=content-type;host, Signature=0",
            )
            .header("x-tc-version", "2019-09-24")
            .header("x-tc-timestamp", unix_now().to_string())
            .header("x-tc-language", "en-US"),
    };
    let (action, body) = match kind {
        Kind::BadJson => ("CreateNamespacePersonal", r#"{"Namespace":"#),
        _ => ("DescribeNamespacePersonal", r#"{"Limit":20,"Offset":0}"#),
    };
    builder = builder.header("x-tc-action", action);
    with_fault(builder, fault)
        .body(Full::new(Bytes::from(body)))
        .expect("a request")
}

fn with_fault(builder: http::request::Builder, fault: Option<&str>) -> http::request::Builder {
    match fault {
        Some(fault) => builder.header("x-demo-fault", fault),
        None => builder,
    }
}

/// Awaits every future of `futures`, concurrently (the streams of one connection).
async fn futures_join<F: std::future::Future>(futures: [F; 8]) -> Vec<F::Output> {
    let handles: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs = Vec::with_capacity(handles.len());
    let mut pending: Vec<_> = handles.into_iter().map(Some).collect();
    let mut done: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (slot, output) in pending.iter_mut().zip(done.iter_mut()) {
            if let Some(future) = slot {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => {
                        *output = Some(value);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    outputs.extend(done.into_iter().map(|output| output.expect("finished")));
    outputs
}
