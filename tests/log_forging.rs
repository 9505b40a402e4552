//! Client text cannot forge, hide or flood the server log: requests over a real socket put a
//! forged log line, ESC sequences, Unicode line separators and a 5 MiB key into a JSON key, a
//! JSON value, a query key, an error chain and a panic message; every captured line stays one
//! bounded line and the forged text only ever appears escaped. Its own test binary: it installs
//! the global log capture and the crate's panic hook.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;

use axum::extract::Query;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use support::{LogCapture, Server};
use tower_cloud_error::{bce, tencent, CloudError, CloudErrorLayer, Validate};

/// What an attacker wants the log to show as a line of its own.
const FORGED: &str = "2026-12-01T21:30:00Z ERROR tower_cloud_error::log: forged request_id=evil";

/// The longest line the test accepts: a line holds a few fields of at most
/// 1 KiB each (the crate's documented bound) plus the subscriber's own text.
const MAX_LINE_BYTES: usize = 4 * 1024;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Eip {
    #[allow(dead_code)]
    name: String,
    #[allow(dead_code)]
    count: u32,
}

impl Validate for Eip {}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Filter {
    #[allow(dead_code)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Named {
    name: String,
}

impl Validate for Named {}

/// 8 MiB: large enough for the 5 MiB key to reach the parser.
const LIMIT: usize = 8 << 20;

fn app() -> Router {
    let bce_routes =
        Router::new()
            .route(
                "/v1/eip",
                post(|_: bce::Json<Eip, LIMIT>| async { "created" }),
            )
            .route("/v1/query", get(|_: Query<Filter>| async { "listed" }))
            .route(
                "/v1/fail",
                post(|bce::Json(named): bce::Json<Named>| async move {
                    // A downstream error quoting the client's text, as handlers do.
                    Err::<(), _>(CloudError::internal().with_source(std::io::Error::other(
                        format!("backend refused name {}", named.name),
                    )))
                }),
            )
            .route(
                "/v1/panic",
                post(|bce::Json(named): bce::Json<Named>| async move {
                    if !named.name.is_empty() {
                        panic!("cannot handle name {}", named.name);
                    }
                    "never"
                }),
            )
            .layer(CloudErrorLayer::bce());
    let tencent_routes = Router::new()
        .route(
            "/tc",
            post(|_: tencent::Json<Eip, LIMIT>| async { "created" }),
        )
        .layer(CloudErrorLayer::tencent());
    bce_routes.merge(tencent_routes)
}

/// Sends one HTTP/1.1 request over a new connection and returns the whole answer.
fn exchange(server: &Server, method: &str, target: &str, body: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    let head = format!(
        "{method} {target} HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n\
         x-tc-action: CreateEip\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

/// `text` as a JSON string literal.
fn json(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

#[test]
fn client_text_cannot_forge_hide_or_flood_log_lines() {
    let logs = LogCapture::install();
    tower_cloud_error::panic_hook::install();
    let server = Server::start(app());

    let hostile =
        format!("x\n{FORGED}\r\n{FORGED}\u{1b}[31m\u{1b}[8m\u{2028}{FORGED}\u{85}\u{202E}");
    let huge_key = "k".repeat(5 * 1024 * 1024);
    let json_key = format!("{{{}:1,\"name\":\"a\",\"count\":1}}", json(&hostile));
    let json_value = format!("{{\"name\":\"a\",\"count\":{}}}", json(&hostile));
    let json_huge = format!("{{{}:1}}", json(&huge_key));
    let named = format!("{{\"name\":{}}}", json(&hostile));
    let query_key: String = hostile
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect::<String>();
    let requests: Vec<(&str, String, Vec<u8>)> = vec![
        ("POST", "/v1/eip".into(), json_key.clone().into_bytes()),
        ("POST", "/v1/eip".into(), json_value.clone().into_bytes()),
        ("POST", "/v1/eip".into(), json_huge.clone().into_bytes()),
        ("GET", format!("/v1/query?{query_key}=1"), Vec::new()),
        ("POST", "/v1/fail".into(), named.clone().into_bytes()),
        ("POST", "/v1/panic".into(), named.into_bytes()),
        ("POST", "/tc".into(), json_key.into_bytes()),
        ("POST", "/tc".into(), json_value.into_bytes()),
        ("POST", "/tc".into(), json_huge.into_bytes()),
    ];
    for (method, target, body) in &requests {
        let answer = exchange(&server, method, target, body);
        assert!(
            answer.contains("x-bce-request-id") || answer.contains("x-tc-requestid"),
            "{method} {target}: no envelope: {}",
            &answer[..answer.len().min(300)]
        );
    }
    drop(server);

    let all = logs.lines_with("");
    // The hostile text was logged (so the test looks at the right lines), escaped.
    let escaped_forgery = format!("\\n{FORGED}\\r\\n{FORGED}\\u{{1b}}[31m\\u{{1b}}[8m\\u{{2028}}");
    assert!(
        all.iter().any(|line| line.contains(&escaped_forgery)),
        "the hostile text should appear escaped: {all:#?}"
    );
    assert!(
        all.iter()
            .any(|line| line.contains("backend refused name x\\n")),
        "the handler's error chain should be logged, escaped"
    );
    assert!(
        all.iter()
            .any(|line| line.contains("cannot handle name x\\n")),
        "the panic message should be logged, escaped"
    );
    assert!(
        all.iter().any(|line| line.contains("more bytes)")),
        "the 5 MiB key should be logged cut, with the count of bytes left out"
    );
    for line in &all {
        assert!(
            !line.starts_with(FORGED) && !line.trim_start().starts_with("2026-12-01T21:30:00Z"),
            "a forged line: {line}"
        );
        assert!(
            !line.contains('\u{2028}') && !line.contains('\u{85}'),
            "{line}"
        );
        assert!(!line.contains('\u{202E}'), "{line}");
        assert!(
            line.len() <= MAX_LINE_BYTES,
            "a line of {} bytes: {}…",
            line.len(),
            &line[..200]
        );
    }
    let raw = logs.lines_with("").join("\n");
    assert!(!raw.contains('\u{1b}'), "an ESC byte reached the log");
}
