//! What a client that triggers panics costs everyone else (issue 9, item 7): each example runs as
//! deployed (its own `main`, which installs `panic_hook`) in a child process with
//! `RUST_BACKTRACE=1`, and keep-alive clients on loopback drive it in alternating rounds without
//! panics and with 10% of requests panicking (`x-demo-fault: panic`). Reported per example:
//! throughput of each mix and their ratio (target: at least 0.8), the p50 latency of the
//! successful requests, and the log bytes and lines per panic.
//!
//! A program, not a criterion benchmark (CI does not run it; `tests/panic_storm.rs` checks the
//! log per panic in CI):
//!
//! ```sh
//! cargo bench --bench panic_storm --features axum
//! STORM_SECONDS=5 STORM_ROUNDS=3 STORM_CONNECTIONS=16 cargo bench --bench panic_storm --features axum
//! ```
//!
//! It exits non-zero when a ratio is under `STORM_MIN_RATIO` (default 0.8) or an answer is not
//! the expected one. Results: `docs/soak.md`.

#![allow(clippy::duplicate_mod)]

#[path = "../examples/bce_eip.rs"]
#[allow(dead_code)]
mod bce_eip;

#[path = "../examples/tencent_tcr.rs"]
#[allow(dead_code)]
mod tencent_tcr;

#[path = "../tests/support/storm.rs"]
mod storm;

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use storm::{Connection, Example, Server, CHILD_ENV};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// What one round of one mix did.
#[derive(Debug, Default, Clone)]
struct Round {
    requests: u64,
    panics: u64,
    wrong: u64,
    /// Latencies of the successful requests, in microseconds.
    latencies: Vec<u32>,
    seconds: f64,
}

impl Round {
    fn merge(&mut self, other: Round) {
        self.requests += other.requests;
        self.panics += other.panics;
        self.wrong += other.wrong;
        self.latencies.extend(other.latencies);
    }
}

/// `connections` clients for `seconds`, each request panicking with probability `panic_share`
/// (every n-th request of a thread, offset per thread).
fn round(example: Example, server: &Server, connections: u64, seconds: u64, every: u64) -> Round {
    let stop = Arc::new(AtomicBool::new(false));
    let addr = server.addr;
    let workers: Vec<_> = (0..connections)
        .map(|thread| {
            let stop = stop.clone();
            thread::spawn(move || {
                let mut tally = Round::default();
                let mut connection = Connection::open(addr).expect("connect");
                let mut n = thread;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let panics = every != 0 && n % every == 0;
                    let started = Instant::now();
                    match connection.exchange(&example.request(panics)) {
                        Ok(answer) => {
                            tally.requests += 1;
                            let code = example.error_code(&answer);
                            if panics {
                                tally.panics += 1;
                                if code.as_deref() != Some("InternalError") {
                                    tally.wrong += 1;
                                }
                            } else if code.is_none() {
                                let micros = started.elapsed().as_micros();
                                tally
                                    .latencies
                                    .push(u32::try_from(micros).unwrap_or(u32::MAX));
                            } else {
                                tally.wrong += 1;
                            }
                            if answer.header("connection") == Some("close") {
                                connection = Connection::open(addr).expect("reconnect");
                            }
                        }
                        Err(e) => {
                            eprintln!("{}: {e}", example.name());
                            tally.wrong += 1;
                            connection = Connection::open(addr).expect("reconnect");
                        }
                    }
                }
                tally
            })
        })
        .collect();
    let started = Instant::now();
    thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut total = Round::default();
    for worker in workers {
        total.merge(worker.join().expect("client thread"));
    }
    total.seconds = started.elapsed().as_secs_f64();
    total
}

fn p50_ms(latencies: &mut [u32]) -> f64 {
    latencies.sort_unstable();
    latencies
        .get(latencies.len() / 2)
        .map_or(0.0, |&micros| f64::from(micros) / 1000.0)
}

fn main() -> ExitCode {
    if let Some(example) = std::env::var(CHILD_ENV)
        .ok()
        .and_then(|name| Example::from_name(&name))
    {
        match example {
            Example::Bce => bce_eip::main(),
            Example::Tencent => tencent_tcr::main().expect("the example serves"),
        }
        return ExitCode::SUCCESS;
    }
    if !std::env::args().any(|arg| arg == "--bench") {
        // `cargo test --benches` runs benches once without `--bench`: nothing to measure.
        return ExitCode::SUCCESS;
    }
    let seconds = env_number("STORM_SECONDS", 5);
    let rounds = env_number("STORM_ROUNDS", 3);
    let connections = env_number("STORM_CONNECTIONS", 16);
    let min_ratio: f64 = std::env::var("STORM_MIN_RATIO")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(0.8);
    let log_dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("soak");
    println!(
        "panic storm: RUST_BACKTRACE=1, {connections} keep-alive connections, {rounds} rounds of \
         {seconds} s per mix, alternating"
    );
    println!(
        "\n| example | req/s, no panics | req/s, 10% panics | ratio | p50 ms, no panics | p50 ms of \
         successes, 10% panics | panics | log bytes per panic | log lines per panic | wrong answers |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut failed = false;
    for example in Example::ALL {
        let server = Server::start(example, storm::log_path(&log_dir, example.name()));
        round(example, &server, connections, 1, 0); // warm-up
        let (mut calm, mut storm) = (Round::default(), Round::default());
        let (mut calm_seconds, mut storm_seconds) = (0.0, 0.0);
        let (mut storm_log_bytes, mut storm_log_lines) = (0, 0);
        for _ in 0..rounds {
            let calm_round = round(example, &server, connections, seconds, 0);
            calm_seconds += calm_round.seconds;
            calm.merge(calm_round);
            let before = std::fs::read(&server.log).unwrap_or_default();
            let storm_round = round(example, &server, connections, seconds, 10);
            let after = std::fs::read(&server.log).unwrap_or_default();
            let grown = &after[before.len().min(after.len())..];
            storm_log_bytes += grown.len();
            storm_log_lines += grown.iter().filter(|&&byte| byte == b'\n').count();
            storm_seconds += storm_round.seconds;
            storm.merge(storm_round);
        }
        drop(server);
        let calm_rate = calm.requests as f64 / calm_seconds;
        let storm_rate = storm.requests as f64 / storm_seconds;
        let ratio = storm_rate / calm_rate;
        let panics = storm.panics.max(1);
        println!(
            "| `{}` | {calm_rate:.0} | {storm_rate:.0} | {ratio:.2} | {:.2} | {:.2} | {} | {:.0} | {:.2} | {} |",
            example.name(),
            p50_ms(&mut calm.latencies),
            p50_ms(&mut storm.latencies),
            storm.panics,
            storm_log_bytes as f64 / panics as f64,
            storm_log_lines as f64 / panics as f64,
            calm.wrong + storm.wrong,
        );
        failed |= ratio < min_ratio || calm.wrong + storm.wrong > 0;
    }
    if failed {
        eprintln!("panic storm: a ratio under {min_ratio}, or wrong answers");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
