//! The measure of refused-body draining: the examples as deployed (`bce_eip` and `tencent_tcr`
//! served by their own hyper-util `serve` on loopback) refuse 3 MiB and 12 MiB bodies, and
//! Python's `http.client` (both examples) and the official BCE SDK with retries off (`bce_eip`)
//! send each whole before reading the answer, 30 times per size. At least 29 of 30 must read
//! the whole envelope (code, message, and the id header's request id in the body).
//!
//! The driver (`tests/interop/drain_driver.py`) only reports; this file asserts, and prints the
//! numbers (`cargo test --test drain_interop -- --nocapture`).

// Both examples include `examples/support/serve.rs`, as their binaries do.
#![allow(clippy::duplicate_mod)]

mod support;

#[path = "../examples/bce_eip.rs"]
#[allow(dead_code)]
mod bce_eip;

#[path = "../examples/tencent_tcr.rs"]
#[allow(dead_code)]
mod tencent_tcr;

use std::collections::BTreeMap;
use std::net::SocketAddr;

use serde::Deserialize;
use tower_cloud_error::{bce, tencent, Code};

const MIB: usize = 1024 * 1024;
const SIZES: [usize; 2] = [3 * MIB, 12 * MIB];
const ATTEMPTS: u32 = 30;
const AT_LEAST: u32 = 29;

/// One line of the driver's output.
#[derive(Debug, Deserialize)]
struct Tally {
    client: String,
    size: usize,
    attempts: u32,
    read: u32,
    codes: BTreeMap<String, u32>,
    messages: BTreeMap<String, u32>,
    failures: Vec<String>,
}

/// Serves `app` with the examples' own `serve` on a runtime of its own, until the runtime is
/// dropped.
fn serve(app: axum::Router) -> (SocketAddr, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(("127.0.0.1", 0)))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    runtime.spawn(bce_eip::serve::serve(
        listener,
        app,
        bce_eip::serve::Limits::default(),
        std::future::pending(),
    ));
    (addr, runtime)
}

fn measure(style: &str, app: axum::Router) -> Vec<Tally> {
    let (addr, runtime) = serve(app);
    let sizes: Vec<String> = SIZES.iter().map(usize::to_string).collect();
    let mut args = vec![
        style.to_owned(),
        format!("http://{addr}"),
        ATTEMPTS.to_string(),
    ];
    args.extend(sizes);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = support::run_driver("drain_driver.py", &args);
    runtime.shutdown_background();
    let tallies: Vec<Tally> = output
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    // The numbers, for the record (`-- --nocapture`).
    for tally in &tallies {
        println!(
            "{style} {} {} MiB: {}/{} read the envelope {:?} {:?}",
            tally.client,
            tally.size / MIB,
            tally.read,
            tally.attempts,
            tally.codes,
            tally.failures.first()
        );
    }
    tallies
}

fn assert_read(
    style: &str,
    tallies: &[Tally],
    clients: &[&str],
    expected: impl Fn(usize) -> (Code, String),
) {
    for client in clients {
        for size in SIZES {
            let tally = tallies
                .iter()
                .find(|t| t.client == *client && t.size == size)
                .unwrap_or_else(|| panic!("{style}: no tally for {client} {size}: {tallies:#?}"));
            assert_eq!(tally.attempts, ATTEMPTS);
            assert!(
                tally.read >= AT_LEAST,
                "{style} {client} {size}: {tally:#?}"
            );
            let (code, message) = expected(size);
            assert_eq!(
                tally.codes.keys().collect::<Vec<_>>(),
                vec![code.name()],
                "{style} {client} {size}: {tally:#?}"
            );
            // The exact English message (the requests ask for en-US).
            assert_eq!(
                tally.messages.keys().collect::<Vec<_>>(),
                vec![&message],
                "{style} {client} {size}: {tally:#?}"
            );
        }
    }
}

#[test]
fn http_client_and_the_bce_sdk_read_the_envelope_for_large_refused_bodies() {
    let bce = measure("bce", bce_eip::app(bce_eip::Config::default()));
    let tencent = measure("tencent", tencent_tcr::app(tencent_tcr::Config::default()));
    // Over the example's 2 MiB: refused, the rest drained.
    // The extractor's limit is named: the body was refused by the example's `BceJson`.
    assert_read("bce", &bce, &["http.client", "bce-python-sdk"], |_| {
        let code = bce::common::INVALID_HTTP_REQUEST;
        let message = format!(
            "{}: the body is larger than {} bytes.",
            code.message().trim_end_matches('.'),
            bce::DEFAULT_LIMIT
        );
        (code, message)
    });

    // 3 MiB (under the example's 10 MiB) goes to a version the example does not serve, refused
    // unread by the layer's check; 12 MiB is refused unread by its `Content-Length`. Both are
    // drained.
    assert_read("tencent", &tencent, &["http.client"], |size| {
        if size > tencent_tcr::MAX_BODY_BYTES {
            let code = tencent::common::REQUEST_SIZE_LIMIT_EXCEEDED;
            let limit = tencent_tcr::MAX_BODY_BYTES;
            let message = format!("The request body exceeds the size limit of {limit} bytes.");
            (code, message)
        } else {
            let code = tencent::common::NO_SUCH_VERSION;
            (code, code.message().to_owned())
        }
    });
}
