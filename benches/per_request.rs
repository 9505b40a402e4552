//! Instructions and heap allocations per request, counted by valgrind: repeatable numbers that
//! do not depend on timing, for the same variants as the `layer` timing benchmark.
//!
//! Run with `cargo bench --bench per_request -- count` (needs valgrind). It runs itself under
//! callgrind (instructions) and DHAT (allocated blocks) for each variant at two iteration counts
//! and reports the difference per request, so that start-up and setup cancel out. It exits
//! non-zero when a path costs more than its budget below over the bare service: CI runs it.
//!
//! Internally, `per_request run <variant> <iterations>` is one measured run.

mod common;

use std::process::{Command, ExitCode};

use common::{
    fails, ok, ok_with_headers, one_full_request, one_request, panics, request, service, signed,
    tower_http_stack,
};
use tower::Layer;
use tower_cloud_error::CloudErrorLayer;

/// Instructions the layer may add to a successful request over the bare service: today's count
/// (+2,684 BCE, +2,598 Tencent, +2,353 when the handler sets headers) and a margin of 10.
/// Counts are exact for one binary on one machine kind; a regression fails CI.
const SUCCESS_BUDGET: i64 = 2_694;

/// Allocations the layer may add to a successful request: the request-extension insert (3:
/// http's map, its table, the boxed value) and, for a response without headers, the header
/// map's storage (2). The id's own allocation is shared by a batch of 16 ids (one sixteenth per
/// request, which the per-request count rounds away).
const SUCCESS_ALLOCATIONS: i64 = 5;

/// Instructions the layer may add to a request whose inner service fails: today's count
/// (+4,244) and a margin of 17.
const ERROR_BUDGET: i64 = 4_261;

const VARIANTS: [&str; 14] = [
    "bare",
    "bare, handler headers",
    "tower-http stack",
    // The floor: only the three duties and a catch_unwind, written by hand (common/hand_written.rs).
    "hand-written floor",
    "success bce",
    "success tencent",
    "success bce, handler headers",
    "error bce",
    // The error path's floor: the success floor plus a BCE-shaped body written by hand.
    "hand-written floor, error",
    "panic bce",
    "raw catch_unwind",
    // Signature verification (issue 10): opt-in, so outside the success budget; compare with
    // "success bce" / "success tencent".
    "verified bce",
    "verified tencent",
    "rejected bce, tampered path",
];

fn run(variant: &str, iterations: u64) {
    std::panic::set_hook(Box::new(|_| {}));
    macro_rules! drive {
        ($service:expr) => {{
            let mut service = $service;
            for _ in 0..iterations {
                std::hint::black_box(one_request(&mut service, request()));
            }
        }};
    }
    match variant {
        "bare" => drive!(service(ok)),
        "bare, handler headers" => drive!(service(ok_with_headers)),
        "tower-http stack" => drive!(tower_http_stack(service(ok))),
        "hand-written floor" => drive!(common::hand_written::HandWritten(service(ok))),
        "success bce" => drive!(CloudErrorLayer::bce().layer(service(ok))),
        "success tencent" => drive!(CloudErrorLayer::tencent().layer(service(ok))),
        "success bce, handler headers" => {
            drive!(CloudErrorLayer::bce().layer(service(ok_with_headers)))
        }
        "error bce" => drive!(CloudErrorLayer::bce().layer(service(fails))),
        "hand-written floor, error" => {
            let mut service = common::hand_written::HandWrittenErrors(service(fails));
            let first = one_request(&mut service, request());
            assert_eq!(first.status(), 404, "EipNotFound");
            assert!(first.headers().contains_key("x-bce-request-id"));
            drive!(service)
        }
        "panic bce" => drive!(CloudErrorLayer::bce().layer(service(panics))),
        "raw catch_unwind" => {
            for _ in 0..iterations {
                let request = request();
                let _ = std::hint::black_box(std::panic::catch_unwind(
                    std::panic::AssertUnwindSafe(|| panics(request)),
                ));
            }
        }
        "verified bce" => {
            let mut service = CloudErrorLayer::bce().layer(signed::bce_layer().layer(service(ok)));
            let first = one_request(&mut service, signed::bce_signed(false));
            assert_eq!(first.status(), 200, "the signed request verifies");
            for _ in 0..iterations {
                std::hint::black_box(one_request(&mut service, signed::bce_signed(false)));
            }
        }
        "rejected bce, tampered path" => {
            let mut service = CloudErrorLayer::bce().layer(signed::bce_layer().layer(service(ok)));
            let first = one_request(&mut service, signed::bce_signed(true));
            assert_eq!(first.status(), 400, "SignatureDoesNotMatch");
            for _ in 0..iterations {
                std::hint::black_box(one_request(&mut service, signed::bce_signed(true)));
            }
        }
        "verified tencent" => {
            let mut service = CloudErrorLayer::tencent()
                .layer(signed::tencent_layer().layer(service(signed::ok_full)));
            let first = one_full_request(&mut service, signed::tencent_signed());
            assert!(
                first.headers().get("content-type").is_none(),
                "no error envelope"
            );
            for _ in 0..iterations {
                std::hint::black_box(one_full_request(&mut service, signed::tencent_signed()));
            }
        }
        other => panic!("unknown variant {other:?}; one of {VARIANTS:?}"),
    }
}

/// Runs one measured run under `tool` and returns the number the tool reports.
fn measure(tool: &str, variant: &str, iterations: u64) -> i64 {
    let exe = std::env::current_exe().expect("own path");
    let output = Command::new("valgrind")
        .arg(format!("--tool={tool}"))
        .args(match tool {
            "callgrind" => ["--callgrind-out-file=/dev/null"],
            _ => ["--dhat-out-file=/dev/null"],
        })
        .arg(exe)
        .args(["run", variant, &iterations.to_string()])
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap_or_else(|e| panic!("could not run valgrind (apt-get install valgrind): {e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{variant} under {tool} failed:\n{stderr}"
    );
    let (marker, field) = match tool {
        "callgrind" => ("Collected :", 0),
        _ => ("Total:", 3), // "Total:     1,234 bytes in 56 blocks"
    };
    let line = stderr
        .lines()
        .find_map(|line| line.split_once(marker).map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("no {marker:?} in valgrind output:\n{stderr}"));
    let number = line.split_whitespace().nth(field).expect("a number");
    number.replace(',', "").parse().expect("a number")
}

/// Per-request cost: the difference between two run lengths, divided by the difference.
fn per_request(tool: &str, variant: &str) -> i64 {
    const SHORT: u64 = 1_000;
    const LONG: u64 = 3_000;
    let short = measure(tool, variant, SHORT);
    let long = measure(tool, variant, LONG);
    (long - short) / (LONG - SHORT) as i64
}

fn count() -> ExitCode {
    println!("| variant | instructions | over bare | allocations | over bare |");
    println!("|---|---:|---:|---:|---:|");
    let bare = (
        per_request("callgrind", "bare"),
        per_request("dhat", "bare"),
    );
    let bare_with_headers = (
        per_request("callgrind", "bare, handler headers"),
        per_request("dhat", "bare, handler headers"),
    );
    let mut over_budget = Vec::new();
    for variant in VARIANTS {
        let instructions = per_request("callgrind", variant);
        let allocations = per_request("dhat", variant);
        // Each variant against the bare service with the same handler.
        let base = if variant.ends_with("handler headers") {
            bare_with_headers
        } else {
            bare
        };
        let (extra_i, extra_a) = (instructions - base.0, allocations - base.1);
        println!("| {variant} | {instructions} | {extra_i:+} | {allocations} | {extra_a:+} |");
        if variant.starts_with("success") && extra_i > SUCCESS_BUDGET {
            over_budget.push(format!(
                "{variant}: {extra_i} > {SUCCESS_BUDGET} instructions"
            ));
        }
        if variant.starts_with("success") && extra_a > SUCCESS_ALLOCATIONS {
            over_budget.push(format!(
                "{variant}: {extra_a} > {SUCCESS_ALLOCATIONS} allocations"
            ));
        }
        if variant.starts_with("error") && extra_i > ERROR_BUDGET {
            over_budget.push(format!(
                "{variant}: {extra_i} > {ERROR_BUDGET} instructions"
            ));
        }
    }
    if over_budget.is_empty() {
        println!(
            "\nwithin budget: success +{SUCCESS_BUDGET} instructions and +{SUCCESS_ALLOCATIONS} \
             allocations, error +{ERROR_BUDGET} instructions over bare"
        );
        ExitCode::SUCCESS
    } else {
        eprintln!("\nover budget: {}", over_budget.join("; "));
        ExitCode::FAILURE
    }
}

/// Wall time per request of each variant in a plain loop (no harness between the requests),
/// each variant in its own process, the median of five runs: `cargo bench --bench per_request --
/// time`. Timings carry this machine's noise; criterion (`benches/layer.rs`) gives the
/// statistics. Reported beside criterion because the two disagree on the panic path's baseline:
/// criterion's raw `catch_unwind` runs faster in its harness than in a plain loop, while the
/// layer's panic path takes the same time in both (README, Performance).
fn time() {
    const ITERATIONS: u64 = 200_000;
    let exe = std::env::current_exe().expect("own path");
    let mut medians = Vec::new();
    println!("| variant | ns per request (median of 5 runs of {ITERATIONS}) |");
    println!("|---|---:|");
    for variant in VARIANTS {
        let mut runs: Vec<f64> = (0..5)
            .map(|_| {
                let started = std::time::Instant::now();
                let status = Command::new(&exe)
                    .args(["run", variant, &ITERATIONS.to_string()])
                    .env_remove("RUST_BACKTRACE")
                    .status()
                    .expect("run a variant");
                assert!(status.success(), "{variant} failed");
                started.elapsed().as_nanos() as f64 / ITERATIONS as f64
            })
            .collect();
        runs.sort_by(f64::total_cmp);
        println!("| {variant} | {:.0} |", runs[2]);
        medians.push((variant, runs[2]));
    }
    let median = |name: &str| medians.iter().find(|(v, _)| *v == name).map(|(_, t)| *t);
    if let (Some(panic), Some(raw)) = (median("panic bce"), median("raw catch_unwind")) {
        println!(
            "\npanic path: {:.2}x a raw catch_unwind of the same panic",
            panic / raw
        );
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["run", variant, iterations] => {
            run(variant, iterations.parse().expect("iterations"));
            ExitCode::SUCCESS
        }
        args if args.contains(&"count") => count(),
        args if args.contains(&"time") => {
            time();
            ExitCode::SUCCESS
        }
        // Plain `cargo bench` passes `--bench`: the valgrind counts are opt-in.
        _ => {
            println!(
                "per_request: run `cargo bench --bench per_request -- count` (needs valgrind)"
            );
            ExitCode::SUCCESS
        }
    }
}
