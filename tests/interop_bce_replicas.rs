//! Two processes of `examples/bce_eip.rs` sharing one Redis (`REDIS_URL`), driven by the official
//! BCE Python SDK (`tests/interop/bce_replicas_driver.py`): a retried create that lands on the
//! other process gets the first answer, a different request with the token is refused, ten
//! concurrent creates with one token over both make one EIP, a create that failed runs again,
//! the answer survives the first process, and a Redis outage answers InternalError without
//! creating.
//!
//! The test starts everything itself: a `redis-server` on a free loopback port
//! (`tests/support/redis.rs`) and the two example processes. Each process is this test binary
//! started again with `BCE_EIP_REPLICA=1` (so it runs exactly the example's `app`, built with
//! the example's `client_token_store` from `REDIS_URL`); both are stopped by PID.

mod support;

#[path = "support/redis.rs"]
mod redis_server;

#[path = "../examples/bce_eip.rs"]
#[allow(dead_code)]
mod bce_eip;

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Value};

use redis_server::RedisServer;

const REPLICA_ENV: &str = "BCE_EIP_REPLICA";
const DRIVER: &str = "bce_replicas_driver.py";
const MISMATCH: &str =
    "The request uses the same client token as a previous, but non-identical request.";
const INTERNAL: &str = "We encountered an internal error. Please try again.";

fn main() {
    if std::env::var(REPLICA_ENV).is_ok_and(|value| value == "1") {
        serve_replica();
    } else {
        two_replicas_on_one_redis();
        println!("interop_bce_replicas: ok");
    }
}

/// The child: the example's service on a free loopback port, its address on stdout.
fn serve_replica() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client_tokens, kept) = bce_eip::client_token_store();
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .unwrap();
        println!(
            "listening http://{} (client tokens {kept})",
            listener.local_addr().unwrap()
        );
        let app = bce_eip::app(bce_eip::Config {
            faults: true,
            client_tokens,
            ..bce_eip::Config::default()
        });
        axum::serve(listener, app).await.unwrap();
    });
}

/// One example process, killed by PID when dropped.
struct Replica {
    name: &'static str,
    url: String,
    child: Option<Child>,
    log: PathBuf,
}

impl Replica {
    fn start(name: &'static str, redis_url: &str) -> Replica {
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("bce-replica-{name}-{}.log", std::process::id()));
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env(REPLICA_ENV, "1")
            .env("REDIS_URL", redis_url)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(File::create(&log).unwrap())
            .spawn()
            .expect("start an example process");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .strip_prefix("listening ")
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!(
                    "replica {name} did not start: {line:?}\n{}",
                    fs::read_to_string(&log).unwrap_or_default()
                )
            })
            .to_owned();
        assert!(line.contains("client tokens in Redis"), "{line}");
        Replica {
            name,
            url,
            child: Some(child),
            log,
        }
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
        if !std::thread::panicking() {
            let _ = fs::remove_file(&self.log);
        } else {
            eprintln!("replica {} log: {}", self.name, self.log.display());
        }
    }
}

/// One SDK call, as the driver reported it.
#[derive(Debug, Deserialize)]
struct Report {
    raised: bool,
    exception: Option<String>,
    code: Option<String>,
    message: Option<String>,
    status_code: Option<u16>,
    request_id: Option<String>,
    eip: Option<String>,
    eips: Option<Vec<String>>,
    requests: u32,
    http_status: Option<u16>,
    header_request_id: Option<String>,
    content_type: Option<String>,
    raw_body: Option<String>,
}

impl Report {
    fn id(&self) -> &str {
        let id = self.header_request_id.as_deref().expect("x-bce-request-id");
        let uuid = uuid::Uuid::parse_str(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(uuid.get_version(), Some(uuid::Version::Random), "{id}");
        id
    }

    fn created(&self) -> &str {
        assert!(!self.raised, "expected a create: {self:#?}");
        assert_eq!(self.http_status, Some(200), "{self:#?}");
        assert_eq!(self.requests, 1, "{self:#?}");
        self.id();
        self.eip.as_deref().expect("an eip")
    }

    /// The SDK raised `code` with `message` and `status`, over the exact BCE envelope.
    fn error(&self, code: &str, status: u16, message: &str) {
        assert!(self.raised, "expected {code}: {self:#?}");
        assert_eq!(
            self.exception.as_deref(),
            Some("BceHttpClientError"),
            "{self:#?}"
        );
        assert_eq!(self.code.as_deref(), Some(code), "{self:#?}");
        assert_eq!(self.message.as_deref(), Some(message), "{self:#?}");
        assert_eq!(self.status_code, Some(status), "{self:#?}");
        assert_eq!(self.http_status, Some(status), "{self:#?}");
        assert_eq!(self.requests, 1, "{self:#?}");
        let id = self.id();
        assert_eq!(self.request_id.as_deref(), Some(id), "{self:#?}");
        assert_eq!(
            self.content_type.as_deref(),
            Some("application/json; charset=utf-8")
        );
        let body: Value = serde_json::from_str(self.raw_body.as_deref().unwrap_or("")).unwrap();
        assert_eq!(
            body,
            json!({ "requestId": id, "code": code, "message": message })
        );
    }
}

fn drive(args: &[&str]) -> Vec<Report> {
    support::run_driver(DRIVER, args)
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("driver line is not a report ({e}): {line}"))
        })
        .collect()
}

fn create(replica: &Replica, token: &str, bandwidth: u32) -> Report {
    drive(&["create", &replica.url, token, &bandwidth.to_string()])
        .pop()
        .unwrap()
}

fn list(replica: &Replica) -> Vec<String> {
    let report = drive(&["list", &replica.url]).pop().unwrap();
    assert!(!report.raised, "{report:#?}");
    report.eips.expect("eips")
}

/// Every EIP of both processes: each keeps its own table.
fn all_eips(a: &Replica, b: &Replica) -> usize {
    list(a).len() + list(b).len()
}

fn two_replicas_on_one_redis() {
    // The venv first (its first creation takes a while), then Redis and the processes.
    support::python();
    let mut redis = RedisServer::start();
    let mut a = Replica::start("a", &redis.url());
    let b = Replica::start("b", &redis.url());

    // Token T on A, then on B: one EIP, the same answer, each with its own request id.
    let on_a = create(&a, "replica-t1", 10);
    let on_b = create(&b, "replica-t1", 10);
    assert_eq!(on_b.created(), on_a.created());
    assert_ne!(on_a.id(), on_b.id());
    assert_eq!(list(&a), [on_a.created()]);
    assert_eq!(list(&b), Vec::<String>::new());

    // A different body with T on B.
    create(&b, "replica-t1", 20).error("IdempotentParameterMismatch", 403, MISMATCH);

    // Ten concurrent creates with one token, alternating between the processes: one EIP.
    let urls: Vec<&str> = (0..10)
        .map(|i| {
            if i % 2 == 0 {
                a.url.as_str()
            } else {
                b.url.as_str()
            }
        })
        .collect();
    let mut args = vec!["concurrent", "replica-t2", "10"];
    args.extend(&urls);
    let reports = drive(&args);
    assert_eq!(reports.len(), 10);
    let first = reports[0].created().to_owned();
    for report in &reports {
        assert_eq!(report.created(), first, "{reports:#?}");
    }
    let ids: std::collections::HashSet<&str> = reports.iter().map(Report::id).collect();
    assert_eq!(ids.len(), 10, "request ids are not per request");
    assert_eq!(all_eips(&a, &b), 2);

    // A create that fails with an injected fault releases its token: the retry creates.
    let failed = drive(&["create", &b.url, "replica-t3", "10", "internal"])
        .pop()
        .unwrap();
    failed.error("InternalError", 500, INTERNAL);
    assert_eq!(all_eips(&a, &b), 2);
    let retried = create(&a, "replica-t3", 10);
    let created = retried.created().to_owned();
    assert_eq!(all_eips(&a, &b), 3);
    assert_eq!(create(&b, "replica-t3", 10).created(), created);
    assert_eq!(all_eips(&a, &b), 3);

    // The answer outlives the process that gave it.
    let on_a = create(&a, "replica-t4", 10);
    let eip = on_a.created().to_owned();
    a.kill();
    let b_before = list(&b);
    assert_eq!(create(&b, "replica-t4", 10).created(), eip);
    assert_eq!(list(&b), b_before, "B created again");

    // Redis down: InternalError, and nothing created.
    redis.stop();
    let started = Instant::now();
    let outage = create(&b, "replica-t5", 10);
    outage.error("InternalError", 500, INTERNAL);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(list(&b), b_before, "B created during the outage");
    let log = b.log();
    let outage_id = outage.id();
    assert!(
        log.lines()
            .any(|line| line.contains(outage_id)
                && line.contains("client token store is unavailable")),
        "B did not log why it refused {outage_id}:\n{log}"
    );
}
