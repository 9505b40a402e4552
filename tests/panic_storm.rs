//! Panics cost only their own request (issue 9, item 7), in the log: each example runs as
//! deployed (its own `main`, which installs `panic_hook`) in a child process started with
//! `RUST_BACKTRACE=1`; a keep-alive client on loopback sends 200 requests, every fifth one made to
//! panic. Each panic is answered `InternalError` on the same connection (no reconnect) and
//! costs exactly one bounded log line carrying its request id: no backtrace, no second line from
//! std's hook, nothing about the panic on a line of its own.
//!
//! What the panics cost the *other* requests (throughput at 10% panics against none, with
//! `RUST_BACKTRACE=1`) is a timing, so it is measured by `benches/panic_storm.rs`, not here.

#![allow(clippy::duplicate_mod)]

#[path = "../examples/bce_eip.rs"]
#[allow(dead_code)]
mod bce_eip;

#[path = "../examples/tencent_tcr.rs"]
#[allow(dead_code)]
mod tencent_tcr;

#[path = "support/storm.rs"]
mod storm;

use std::collections::HashSet;
use std::path::Path;

use storm::{Connection, Example, Server, CHILD_ENV};

const REQUESTS: usize = 200;
/// Every `PANIC_EVERY`th request panics.
const PANIC_EVERY: usize = 5;
/// The longest a log line may be: the layer bounds every client-influenced field to 1 KiB.
const MAX_LINE_BYTES: usize = 2048;

fn main() {
    if let Some(example) = std::env::var(CHILD_ENV)
        .ok()
        .and_then(|name| Example::from_name(&name))
    {
        match example {
            Example::Bce => bce_eip::main(),
            Example::Tencent => tencent_tcr::main().expect("the example serves"),
        }
        return;
    }
    for example in Example::ALL {
        one_line_per_panic(example);
        println!("panic_storm: {}: ok", example.name());
    }
}

fn one_line_per_panic(example: Example) {
    let log = storm::log_path(Path::new(env!("CARGO_TARGET_TMPDIR")), example.name());
    let server = Server::start(example, log.clone());
    let mut connection = Connection::open(server.addr).expect("connect");
    let mut panic_ids = Vec::new();
    let mut other_ids = Vec::new();
    for i in 0..REQUESTS {
        let panics = i % PANIC_EVERY == 0;
        // One connection throughout: a panic that closed it would fail the next exchange.
        let answer = connection
            .exchange(&example.request(panics))
            .unwrap_or_else(|e| panic!("{}: request {i} (panics: {panics}): {e}", example.name()));
        let id = answer
            .header(example.id_header())
            .unwrap_or_else(|| panic!("{}: no request id: {answer:?}", example.name()))
            .to_owned();
        assert_ne!(
            answer.header("connection"),
            Some("close"),
            "{}: request {i} closes its connection",
            example.name()
        );
        let code = example.error_code(&answer);
        if panics {
            assert_eq!(code.as_deref(), Some("InternalError"), "{answer:?}");
            panic_ids.push(id);
        } else {
            assert_eq!(code, None, "{}: {answer:?}", example.name());
            other_ids.push(id);
        }
    }
    let text = server.stop();
    let lines: Vec<&str> = text.lines().collect();

    // std's hook prints `thread '…' panicked at …` and, with RUST_BACKTRACE=1, a backtrace.
    for forbidden in ["panicked at", "stack backtrace", "note: run with"] {
        assert!(
            !text.contains(forbidden),
            "{}: {forbidden:?} in the log:\n{text}",
            example.name()
        );
    }
    for line in &lines {
        assert!(
            line.len() <= MAX_LINE_BYTES,
            "{}: a log line of {} bytes: {:.300}…",
            example.name(),
            line.len(),
            line
        );
    }
    // Exactly one line per panic, with its id; the panics' lines are all that mention a panic.
    for id in &panic_ids {
        let with_id: Vec<&&str> = lines
            .iter()
            .filter(|line| line.contains(id.as_str()))
            .collect();
        assert_eq!(
            with_id.len(),
            1,
            "{}: panic {id} has {} log lines: {with_id:#?}",
            example.name(),
            with_id.len()
        );
        assert!(
            with_id[0].contains("InternalError") && with_id[0].contains("panic"),
            "{}: {}",
            example.name(),
            with_id[0]
        );
    }
    let panic_lines = lines.iter().filter(|line| line.contains("panic")).count();
    assert_eq!(
        panic_lines,
        panic_ids.len(),
        "{}: {panic_lines} lines mention a panic for {} panics:\n{text}",
        example.name(),
        panic_ids.len()
    );
    // The successful requests log nothing at all at the examples' default level.
    let ids: HashSet<&String> = other_ids.iter().collect();
    assert_eq!(ids.len(), other_ids.len(), "duplicate request ids");
    for id in &other_ids {
        assert!(
            !text.contains(id.as_str()),
            "{}: a successful request {id} was logged",
            example.name()
        );
    }
    std::fs::remove_file(&log).ok();
}
