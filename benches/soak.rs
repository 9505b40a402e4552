//! Soak test with injected faults, on loopback: a program, not a timed benchmark.
//!
//! ```text
//! cargo bench --bench soak --features axum                 # both examples, 60 s each
//! SOAK_SECONDS=600 SOAK_SERVICES=tencent cargo bench --bench soak --features axum
//! ```
//!
//! For each example service (`bce_eip`, `tencent_tcr`) it builds the example binary
//! (`cargo build --release --example NAME --features axum,idempotency`), starts it as a child process with
//! `DEMO_FAULTS=1` on a free loopback port, and drives it with concurrent keep-alive HTTP/1.1
//! connections (a minimal blocking client on `std::net`, one thread per connection) for a
//! bounded time. The mix: about 10% requests that panic in the handler (`x-demo-fault: panic`),
//! 10% that fail with an internal error (`x-demo-fault: internal`), 10% malformed JSON bodies,
//! the rest valid operations (BCE: list, create, release; Tencent: Describe, Create and Delete
//! namespaces via `POST /` with the `X-TC-*` headers).
//!
//! Counted: requests, dropped connections and transport errors, responses that break the
//! convention (`conformance::Checker`, with known codes required and, for Tencent, the language
//! the request asked for), answers of the wrong kind (a fault not answered with
//! `InternalError`, malformed JSON not with the style's syntax code, a list that fails), server
//! secrets leaking into a body, duplicate request ids; the server's RSS is sampled every second
//! from `/proc/<pid>/status`. Exits non-zero if anything but requests and RSS is not zero.
//!
//! Beside the mix, three connection cases run on their own threads (`soak_cases/mod.rs`):
//! bodies of 3 MiB and 12 MiB that the example refuses unread, each sent whole with a pipelined
//! list request behind it before anything is read (as Python's `http.client` sends), on one
//! keep-alive connection (the refusal must be the whole envelope without `Connection: close`,
//! and the list answered); and HTTP/2 with prior knowledge (hyper's client), batches of 8
//! concurrent streams of faults, malformed JSON and lists on one connection (conformant, of the
//! right kind, no connection-specific header). `SOAK_CASES=0` leaves them out.
//!
//! Environment: `SOAK_SECONDS` (default 60) per service, `SOAK_CONNECTIONS` (default 24),
//! `SOAK_SERVICES` (default `bce,tencent`), `SOAK_KINDS` (default all of `panic`, `internal`,
//! `bad-json`, `list`, `create`, `delete`: restricts the mix, to tell which kind of request a
//! trend comes from), `SOAK_BCE_CLIENT_TOKENS=0` (BCE mutations without `clientToken`, which
//! the service remembers forever), `SOAK_SKIP_BUILD=1` to use the example binaries
//! already in `target/release/examples/`. The server's output goes to
//! `target/soak/<service>.log`. Results of a run are in docs/soak.md.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[path = "soak_cases/mod.rs"]
mod cases;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method, Response, StatusCode};
use serde_json::Value;
use tower_cloud_error::conformance::{BceConformance, Checker, TencentConformance};
use tower_cloud_error::Language;

// -------------------------------------------------------------------------------------------
// Settings
// -------------------------------------------------------------------------------------------

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, got {value:?}")),
        Err(_) => default,
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Service {
    Bce,
    Tencent,
}

impl Service {
    fn example(self) -> &'static str {
        match self {
            Service::Bce => "bce_eip",
            Service::Tencent => "tencent_tcr",
        }
    }

    fn id_header(self) -> &'static str {
        match self {
            Service::Bce => "x-bce-request-id",
            Service::Tencent => "x-tc-requestid",
        }
    }
}

// -------------------------------------------------------------------------------------------
// The server: the example binary as a child process
// -------------------------------------------------------------------------------------------

/// The example binary next to this bench's (`target/release/examples/NAME`).
fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the bench's own path");
    // target/release/deps/soak-<hash> -> target/release/examples/NAME
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the bench runs from target/<profile>/deps");
    profile_dir.join("examples").join(name)
}

fn build_example(name: &str) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("soak: building {name} (cargo build --release --example {name} --features axum,idempotency)");
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--example",
            name,
            "--features",
            "axum,idempotency",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run cargo build");
    assert!(status.success(), "building the example {name} failed");
}

/// The child process, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(service: Service) -> Server {
        let binary = example_binary(service.example());
        assert!(
            binary.exists(),
            "{} is missing: build it, or unset SOAK_SKIP_BUILD",
            binary.display()
        );
        // A free port: bound, read, released (the child binds it a moment later).
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let log_dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("soak");
        std::fs::create_dir_all(&log_dir).expect("create target/soak");
        let log = File::create(log_dir.join(format!("{}.log", service.example())))
            .expect("create the server log");
        let child = Command::new(&binary)
            .env("DEMO_FAULTS", "1")
            .env("PORT", port.to_string())
            .env(
                "RUST_LOG",
                std::env::var("SOAK_RUST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("clone the log handle"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
        let server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(server.addr).is_err() {
            assert!(
                Instant::now() < deadline,
                "{} did not listen on {} within 30 s",
                service.example(),
                server.addr
            );
            thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// The resident set size, in KiB, from `/proc/<pid>/status`.
    fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
    }

    fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// -------------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client: one keep-alive connection, requests written whole, responses
// read by content-length (or chunked, or to the end of a closing connection)
// -------------------------------------------------------------------------------------------

struct Connection {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
}

impl Connection {
    fn new(addr: SocketAddr) -> Connection {
        Connection { addr, stream: None }
    }

    /// Sends `request` and reads the answer. An error drops the connection (the next request
    /// opens a new one).
    fn exchange(&mut self, request: &[u8]) -> Result<Response<Bytes>, String> {
        self.connect()?;
        let result = self.try_exchange(request);
        match &result {
            Ok(response) if closes(response) => self.stream = None,
            Ok(_) => {}
            Err(_) => self.stream = None,
        }
        result
    }

    /// Sends `requests` (several, pipelined) whole before reading anything, as Python's
    /// `http.client` does, then reads `answers` responses. A closing answer or an error drops
    /// the connection.
    fn exchange_pipelined(
        &mut self,
        requests: &[u8],
        answers: usize,
    ) -> Result<Vec<Response<Bytes>>, String> {
        self.connect()?;
        let reader = self.stream.as_mut().expect("connected");
        let result = reader
            .get_mut()
            .write_all(requests)
            .map_err(|e| format!("write: {e}"))
            .and_then(|()| {
                (0..answers)
                    .map(|_| read_response(self.stream.as_mut().expect("connected")))
                    .collect::<Result<Vec<_>, _>>()
            });
        match &result {
            Ok(responses) if responses.iter().any(closes) => self.stream = None,
            Ok(_) => {}
            Err(_) => self.stream = None,
        }
        result
    }

    fn connect(&mut self) -> Result<(), String> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(self.addr).map_err(|e| format!("connect: {e}"))?;
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .and_then(|()| stream.set_write_timeout(Some(Duration::from_secs(10))))
                .and_then(|()| stream.set_nodelay(true))
                .map_err(|e| format!("configure: {e}"))?;
            self.stream = Some(BufReader::new(stream));
        }
        Ok(())
    }

    fn try_exchange(&mut self, request: &[u8]) -> Result<Response<Bytes>, String> {
        let reader = self.stream.as_mut().expect("connected");
        reader
            .get_mut()
            .write_all(request)
            .map_err(|e| format!("write: {e}"))?;
        read_response(reader)
    }
}

/// Reads one response from `reader`.
fn read_response(reader: &mut BufReader<TcpStream>) -> Result<Response<Bytes>, String> {
    {
        let mut line = String::new();
        read_line(reader, &mut line)?;
        let mut parts = line.trim_end().splitn(3, ' ');
        let (Some("HTTP/1.1"), Some(status)) = (parts.next(), parts.next()) else {
            return Err(format!("bad status line {line:?}"));
        };
        let status: u16 = status
            .parse()
            .map_err(|_| format!("bad status {status:?}"))?;
        let mut builder = Response::builder().status(status);
        let mut length = None;
        let mut chunked = false;
        loop {
            line.clear();
            read_line(reader, &mut line)?;
            let header = line.trim_end_matches(['\r', '\n']);
            if header.is_empty() {
                break;
            }
            let (name, value) = header
                .split_once(':')
                .ok_or_else(|| format!("bad header line {header:?}"))?;
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
            if name == "content-length" {
                length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| format!("bad content-length {value:?}"))?,
                );
            }
            if name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked") {
                chunked = true;
            }
            builder = builder.header(
                HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?,
                HeaderValue::from_str(value).map_err(|e| e.to_string())?,
            );
        }
        let body = if chunked {
            read_chunked(reader)?
        } else if let Some(length) = length {
            let mut body = vec![0; length];
            reader
                .read_exact(&mut body)
                .map_err(|e| format!("body: {e}"))?;
            body
        } else if status == 204 || status == 304 {
            Vec::new()
        } else {
            let mut body = Vec::new();
            reader
                .read_to_end(&mut body)
                .map_err(|e| format!("body to close: {e}"))?;
            body
        };
        builder
            .body(Bytes::from(body))
            .map_err(|e| format!("response: {e}"))
    }
}

fn closes(response: &Response<Bytes>) -> bool {
    response
        .headers()
        .get("connection")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"close"))
}

fn read_line(reader: &mut BufReader<TcpStream>, line: &mut String) -> Result<(), String> {
    match reader.read_line(line) {
        Ok(0) => Err("connection closed before the response".into()),
        Ok(_) => Ok(()),
        Err(e) => Err(format!("read: {e}")),
    }
}

fn read_chunked(reader: &mut BufReader<TcpStream>) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        read_line(reader, &mut line)?;
        let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
            .map_err(|_| format!("bad chunk size {line:?}"))?;
        if size == 0 {
            // Trailers, then the empty line.
            loop {
                line.clear();
                read_line(reader, &mut line)?;
                if line.trim_end().is_empty() {
                    return Ok(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size + 2, 0);
        reader
            .read_exact(&mut body[start..])
            .map_err(|e| format!("chunk: {e}"))?;
        body.truncate(start + size);
    }
}

// -------------------------------------------------------------------------------------------
// The load: what each request is, and what counts as the right answer
// -------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Panic,
    Internal,
    BadJson,
    List,
    Create,
    Delete,
}

/// xorshift64*: enough to mix request kinds, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The mix, in percent: 10% panics, 10% internal errors, 10% malformed JSON, 70% valid.
const MIX: [(Kind, u64); 6] = [
    (Kind::Panic, 10),
    (Kind::Internal, 10),
    (Kind::BadJson, 10),
    (Kind::List, 30),
    (Kind::Create, 20),
    (Kind::Delete, 20),
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Panic => "panic",
            Kind::Internal => "internal",
            Kind::BadJson => "bad-json",
            Kind::List => "list",
            Kind::Create => "create",
            Kind::Delete => "delete",
        }
    }
}

/// The mix restricted to `SOAK_KINDS` (comma-separated kind names), to tell which kind of
/// request a trend comes from.
fn mix() -> Vec<(Kind, u64)> {
    let Ok(kinds) = std::env::var("SOAK_KINDS") else {
        return MIX.to_vec();
    };
    let chosen: Vec<(Kind, u64)> = MIX
        .iter()
        .copied()
        .filter(|(kind, _)| kinds.split(',').any(|name| name.trim() == kind.name()))
        .collect();
    assert!(
        !chosen.is_empty(),
        "SOAK_KINDS names none of panic, internal, bad-json, list, create, delete"
    );
    chosen
}

fn pick(rng: &mut Rng, mix: &[(Kind, u64)]) -> Kind {
    let total: u64 = mix.iter().map(|(_, weight)| weight).sum();
    let mut at = rng.below(total);
    for &(kind, weight) in mix {
        if at < weight {
            return kind;
        }
        at -= weight;
    }
    unreachable!("at < total")
}

/// What a client thread remembers between requests.
struct Client {
    service: Service,
    thread: usize,
    sequence: u64,
    /// BCE: EIPs this thread created; Tencent: namespaces.
    owned: Vec<String>,
    rng: Rng,
    mix: Vec<(Kind, u64)>,
}

/// Whether BCE mutations carry a `clientToken` (`SOAK_BCE_CLIENT_TOKENS`, default 1).
fn client_tokens() -> bool {
    std::env::var("SOAK_BCE_CLIENT_TOKENS").as_deref() != Ok("0")
}

/// A request, and what it expects.
struct Planned {
    kind: Kind,
    bytes: Vec<u8>,
    method: Method,
    language: Option<Language>,
    /// The created resource to remember, if the request succeeds (BCE returns the IP).
    created: Option<String>,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Client {
    fn plan(&mut self) -> Planned {
        let kind = pick(&mut self.rng, &self.mix);
        self.sequence += 1;
        match self.service {
            Service::Bce => self.plan_bce(kind),
            Service::Tencent => self.plan_tencent(kind),
        }
    }

    fn plan_bce(&mut self, kind: Kind) -> Planned {
        // A fresh `clientToken` per mutation, as the SDKs send; with `SOAK_BCE_CLIENT_TOKENS=0` the
        // parameter is renamed (and so ignored by the service), to tell the service's token
        // records from the rest of its memory.
        let token = format!("soak-{}-{}", self.thread, self.sequence);
        let token = if client_tokens() {
            format!("clientToken={token}")
        } else {
            format!("ignored={token}")
        };
        let json = |method: &str, path: &str, body: &str, fault: Option<&str>| {
            let fault = fault.map_or(String::new(), |f| format!("x-demo-fault: {f}\r\n"));
            format!(
                "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json; charset=utf-8\r\n\
                 content-length: {}\r\n{fault}\r\n{body}",
                body.len()
            )
            .into_bytes()
        };
        let create_body = r#"{"bandwidthInMbps":10,"billing":{"paymentTiming":"Postpaid","billingMethod":"ByTraffic"},"name":"soak"}"#;
        let (method, bytes) = match kind {
            Kind::Panic | Kind::Internal => {
                let fault = if kind == Kind::Panic {
                    "panic"
                } else {
                    "internal"
                };
                (Method::GET, json("GET", "/v1/eip", "", Some(fault)))
            }
            Kind::BadJson => (
                Method::POST,
                json(
                    "POST",
                    &format!("/v1/eip?{token}"),
                    r#"{"bandwidthInMbps":10,"billing":{"paymentTiming""#,
                    None,
                ),
            ),
            Kind::List => (Method::GET, json("GET", "/v1/eip?maxKeys=10", "", None)),
            Kind::Create => (
                Method::POST,
                json("POST", &format!("/v1/eip?{token}"), create_body, None),
            ),
            Kind::Delete => {
                let ip = self.owned.pop().unwrap_or_else(|| {
                    format!("100.88.{}.{}", self.rng.below(4), self.rng.below(250))
                });
                (
                    Method::DELETE,
                    json("DELETE", &format!("/v1/eip/{ip}?{token}"), "", None),
                )
            }
        };
        Planned {
            kind,
            bytes,
            method,
            language: None,
            created: None,
        }
    }

    fn plan_tencent(&mut self, kind: Kind) -> Planned {
        let language = if self.rng.below(2) == 0 {
            Language::ZhCn
        } else {
            Language::EnUs
        };
        let namespace = format!("soak-t{}-{}", self.thread, self.sequence);
        let (action, body, fault, created) = match kind {
            Kind::Panic => (
                "DescribeNamespacePersonal",
                "{}".to_owned(),
                Some("panic"),
                None,
            ),
            Kind::Internal => (
                "DescribeNamespacePersonal",
                "{}".to_owned(),
                Some("internal"),
                None,
            ),
            Kind::BadJson => (
                "CreateNamespacePersonal",
                r#"{"Namespace":"#.to_owned(),
                None,
                None,
            ),
            Kind::List => (
                "DescribeNamespacePersonal",
                r#"{"Limit":20,"Offset":0}"#.to_owned(),
                None,
                None,
            ),
            Kind::Create => (
                "CreateNamespacePersonal",
                format!(r#"{{"Namespace":"{namespace}"}}"#),
                None,
                Some(namespace),
            ),
            Kind::Delete => {
                let name = self.owned.pop().unwrap_or(namespace);
                (
                    "DeleteNamespacePersonal",
                    format!(r#"{{"Namespace":"{name}"}}"#),
                    None,
                    None,
                )
            }
        };
        let fault = fault.map_or(String::new(), |f| format!("x-demo-fault: {f}\r\n"));
        let bytes = format!(
            "POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
             authorization: TC3-HMAC-SHA256 Credential=soak/2024-01-01/tcr/tc3_request, SignedHeaders=content-type;host, Signature=0\r\n\
             x-tc-action: {action}\r\nx-tc-version: 2019-09-24\r\nx-tc-timestamp: {}\r\n\
             x-tc-language: {}\r\ncontent-length: {}\r\n{fault}\r\n{body}",
            unix_now(),
            language.as_str(),
            body.len()
        )
        .into_bytes();
        Planned {
            kind,
            bytes,
            method: Method::POST,
            language: Some(language),
            created,
        }
    }
}

/// The error code of an envelope, if the response is one.
fn error_code(service: Service, response: &Response<Bytes>) -> Option<String> {
    let json: Value = serde_json::from_slice(response.body()).ok()?;
    let code = match service {
        Service::Bce if response.status().as_u16() >= 400 => &json["code"],
        Service::Bce => return None,
        Service::Tencent => &json["Response"]["Error"]["Code"],
    };
    code.as_str().map(str::to_owned)
}

/// Whether the answer is of the kind the request calls for (beyond conformance).
fn expected_answer(service: Service, kind: Kind, response: &Response<Bytes>) -> bool {
    let code = error_code(service, response);
    let code = code.as_deref();
    match (service, kind) {
        (_, Kind::Panic | Kind::Internal) => code == Some("InternalError"),
        (Service::Bce, Kind::BadJson) => code == Some("MalformedJSON"),
        (Service::Tencent, Kind::BadJson) => code == Some("InvalidParameter"),
        (_, Kind::List) => code.is_none() && response.status() == StatusCode::OK,
        (Service::Bce, Kind::Create) => matches!(code, None | Some("ExceedLimit")),
        (Service::Tencent, Kind::Create) => matches!(
            code,
            None | Some("LimitExceeded.ErrNamespaceMaxLimit")
                | Some("InvalidParameter.ErrNamespaceExist")
        ),
        (Service::Bce, Kind::Delete) => matches!(code, None | Some("EipNotFound")),
        (Service::Tencent, Kind::Delete) => matches!(
            code,
            None | Some("ResourceNotFound.ErrNoNamespace") | Some("ResourceInUse")
        ),
    }
}

/// Text the examples' faults carry, which must stay in the server's log.
const SECRETS: [&str; 4] = ["S3cr3tP4ss", "hunter2", "postgres://", "redis://"];

// -------------------------------------------------------------------------------------------
// One soak run
// -------------------------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    requests: u64,
    by_kind: BTreeMap<Kind, u64>,
    dropped: u64,
    non_compliant: u64,
    unexpected: u64,
    leaks: u64,
    ids: Vec<String>,
    latencies_us: Vec<u32>,
    samples: Vec<String>,
}

impl Tally {
    fn sample(&mut self, text: String) {
        if self.samples.len() < 5 {
            self.samples.push(text);
        }
    }

    fn merge(&mut self, other: Tally) {
        self.requests += other.requests;
        for (kind, count) in other.by_kind {
            *self.by_kind.entry(kind).or_default() += count;
        }
        self.dropped += other.dropped;
        self.non_compliant += other.non_compliant;
        self.unexpected += other.unexpected;
        self.leaks += other.leaks;
        self.ids.extend(other.ids);
        self.latencies_us.extend(other.latencies_us);
        for sample in other.samples {
            self.sample(sample);
        }
    }
}

fn drive(service: Service, addr: SocketAddr, thread: usize, stop: &AtomicBool) -> Tally {
    let mut tally = Tally::default();
    let mut connection = Connection::new(addr);
    let seed =
        (thread as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(std::process::id());
    let mut client = Client {
        service,
        thread,
        sequence: 0,
        owned: Vec::new(),
        rng: Rng(seed | 1),
        mix: mix(),
    };
    let checker = match service {
        Service::Bce => Checker::new(BceConformance).require_known_codes(true),
        Service::Tencent => Checker::new(TencentConformance).require_known_codes(true),
    };
    while !stop.load(Ordering::Relaxed) {
        let planned = client.plan();
        let started = Instant::now();
        let result = connection.exchange(&planned.bytes);
        let elapsed = started.elapsed();
        tally.requests += 1;
        *tally.by_kind.entry(planned.kind).or_default() += 1;
        let response = match result {
            Ok(response) => response,
            Err(error) => {
                tally.dropped += 1;
                tally.sample(format!("dropped ({:?}): {error}", planned.kind));
                continue;
            }
        };
        tally
            .latencies_us
            .push(u32::try_from(elapsed.as_micros()).unwrap_or(u32::MAX));

        let checker = match planned.language {
            Some(language) => checker.clone().expect_language(language),
            None => checker.clone(),
        };
        if let Err(violations) = checker.check(&planned.method, &response) {
            tally.non_compliant += 1;
            tally.sample(format!(
                "non-compliant ({:?}): {violations:?}: {}",
                planned.kind,
                String::from_utf8_lossy(response.body())
            ));
        }
        if !expected_answer(service, planned.kind, &response) {
            tally.unexpected += 1;
            tally.sample(format!(
                "unexpected ({:?}): {} {}",
                planned.kind,
                response.status(),
                String::from_utf8_lossy(response.body())
            ));
        }
        let body = String::from_utf8_lossy(response.body());
        if SECRETS.iter().any(|secret| body.contains(secret)) {
            tally.leaks += 1;
            tally.sample(format!("leak ({:?}): {body}", planned.kind));
        }
        let ids: Vec<_> = response
            .headers()
            .get_all(service.id_header())
            .iter()
            .collect();
        match ids[..] {
            [id] => tally
                .ids
                .push(id.to_str().unwrap_or("<not ASCII>").to_owned()),
            _ => {
                // Conformance reported it; keep the count of ids honest.
                tally.ids.push(format!("<{} id headers>", ids.len()));
            }
        }
        if error_code(service, &response).is_none() {
            match (service, planned.kind) {
                (Service::Bce, Kind::Create) => {
                    if let Ok(json) = serde_json::from_slice::<Value>(response.body()) {
                        if let Some(ip) = json["eip"].as_str() {
                            client.owned.push(ip.to_owned());
                        }
                    }
                }
                (Service::Tencent, Kind::Create) => {
                    client.owned.extend(planned.created.clone());
                }
                _ => {}
            }
        }
    }
    tally
}

struct Report {
    service: Service,
    seconds: f64,
    connections: usize,
    tally: Tally,
    duplicates: u64,
    rss_kib: Vec<u64>,
    server_alive: bool,
    /// The connection cases run beside the mix (`cases`).
    cases: Vec<cases::CaseTally>,
}

fn run(service: Service, seconds: u64, connections: usize) -> Report {
    let mut server = Server::start(service);
    eprintln!(
        "soak: {} (pid {}) on {}, {connections} connections, {seconds} s",
        service.example(),
        server.child.id(),
        server.addr
    );
    let stop = Arc::new(AtomicBool::new(false));
    let rss = Arc::new(Mutex::new(vec![server.rss_kib().unwrap_or(0)]));
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|thread| {
            let stop = stop.clone();
            let addr = server.addr;
            thread::spawn(move || drive(service, addr, thread, &stop))
        })
        .collect();
    // Beside the mix: refused large bodies sent whole with a pipelined request behind them
    // (3 MiB and 12 MiB), and HTTP/2 with prior knowledge.
    let case_workers: Vec<_> = if std::env::var("SOAK_CASES").as_deref() == Ok("0") {
        Vec::new()
    } else {
        let addr = server.addr;
        let large = |size: usize| {
            let stop = stop.clone();
            thread::spawn(move || cases::large_bodies(service, addr, size, &stop))
        };
        let h2 = {
            let stop = stop.clone();
            thread::spawn(move || cases::http2(service, addr, &stop))
        };
        vec![large(3 << 20), large(12 << 20), h2]
    };
    let deadline = started + Duration::from_secs(seconds);
    let mut next_sample = started + Duration::from_secs(1);
    while Instant::now() < deadline {
        thread::sleep(next_sample.saturating_duration_since(Instant::now()));
        next_sample += Duration::from_secs(1);
        if let Some(kib) = server.rss_kib() {
            rss.lock().unwrap().push(kib);
        }
    }
    stop.store(true, Ordering::Relaxed);
    let mut tally = Tally::default();
    for worker in workers {
        tally.merge(worker.join().expect("a client thread panicked"));
    }
    let cases: Vec<cases::CaseTally> = case_workers
        .into_iter()
        .map(|worker| worker.join().expect("a case thread panicked"))
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(kib) = server.rss_kib() {
        rss.lock().unwrap().push(kib);
    }
    let server_alive = server.is_running();
    drop(server);

    let mut seen = HashSet::with_capacity(tally.ids.len());
    let duplicates = tally
        .ids
        .iter()
        .filter(|id| !seen.insert(id.as_str()))
        .count() as u64;
    let rss_kib = rss.lock().unwrap().clone();
    Report {
        service,
        seconds: elapsed,
        connections,
        tally,
        duplicates,
        rss_kib,
        server_alive,
        cases,
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() - 1) as f64 * p).round() as usize;
    f64::from(sorted[at]) / 1000.0
}

fn print(reports: &mut [Report]) {
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!();
    println!(
        "| service | s | conns | requests | req/s | panic | internal | bad JSON | valid | dropped | non-compliant | unexpected | leaks | duplicate ids | p50 ms | p99 ms | RSS start MiB | RSS at 10 s | RSS max | RSS end |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for report in reports.iter_mut() {
        let t = &mut report.tally;
        t.latencies_us.sort_unstable();
        let kind = |k: Kind| t.by_kind.get(&k).copied().unwrap_or(0);
        let valid = kind(Kind::List) + kind(Kind::Create) + kind(Kind::Delete);
        let rss = &report.rss_kib;
        println!(
            "| {} | {:.0} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {:.2} | {:.1} | {:.1} | {:.1} | {:.1} |",
            report.service.example(),
            report.seconds,
            report.connections,
            t.requests,
            t.requests as f64 / report.seconds,
            kind(Kind::Panic),
            kind(Kind::Internal),
            kind(Kind::BadJson),
            valid,
            t.dropped,
            t.non_compliant,
            t.unexpected,
            t.leaks,
            report.duplicates,
            percentile(&t.latencies_us, 0.50),
            percentile(&t.latencies_us, 0.99),
            mib(rss.first().copied().unwrap_or(0)),
            mib(rss.get(10).or(rss.last()).copied().unwrap_or(0)),
            mib(rss.iter().copied().max().unwrap_or(0)),
            mib(rss.last().copied().unwrap_or(0)),
        );
    }
    for report in reports.iter() {
        let series: Vec<String> = report
            .rss_kib
            .iter()
            .step_by(10)
            .map(|kib| format!("{:.1}", mib(*kib)))
            .collect();
        println!(
            "\n{}: RSS every 10 s (MiB): {}; server still running at the end: {}",
            report.service.example(),
            series.join(" "),
            report.server_alive
        );
        for sample in &report.tally.samples {
            println!("  {sample}");
        }
    }
    println!();
    println!("| service | case | attempts | ok | failures |");
    println!("|---|---|---|---|---|");
    for report in reports.iter() {
        for case in &report.cases {
            println!(
                "| {} | {} | {} | {} | {} |",
                report.service.example(),
                case.name,
                case.attempts,
                case.ok,
                case.failures
            );
        }
    }
    for report in reports.iter() {
        for case in &report.cases {
            for sample in &case.samples {
                println!("  {} {}: {sample}", report.service.example(), case.name);
            }
        }
    }
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; there are no other options.
    let seconds = env_number("SOAK_SECONDS", 60);
    let connections = env_number("SOAK_CONNECTIONS", 24) as usize;
    let services: Vec<Service> = std::env::var("SOAK_SERVICES")
        .unwrap_or_else(|_| "bce,tencent".into())
        .split(',')
        .map(|name| match name.trim() {
            "bce" | "bce_eip" => Service::Bce,
            "tencent" | "tencent_tcr" => Service::Tencent,
            other => panic!("unknown service {other:?} in SOAK_SERVICES (bce, tencent)"),
        })
        .collect();
    if std::env::var("SOAK_SKIP_BUILD").as_deref() != Ok("1") {
        for service in &services {
            build_example(service.example());
        }
    }
    let mut reports: Vec<Report> = services
        .iter()
        .map(|&service| run(service, seconds, connections))
        .collect();
    print(&mut reports);
    let failed = reports.iter().any(|r| {
        r.tally.dropped + r.tally.non_compliant + r.tally.unexpected + r.tally.leaks + r.duplicates
            > 0
            || !r.server_alive
            || r.tally.requests == 0
            || r.cases.iter().any(|case| case.failures > 0 || case.ok == 0)
    });
    if failed {
        println!("\nsoak: FAILED");
        ExitCode::FAILURE
    } else {
        println!("\nsoak: ok");
        ExitCode::SUCCESS
    }
}
