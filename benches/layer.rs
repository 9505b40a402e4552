//! Cost of the layer per request, in one run: the bare service, the tower-http stack users would
//! otherwise assemble (SetRequestId + PropagateRequestId + CatchPanic, which still renders no
//! compliant error bodies), and this crate's layer on every path; plus the micro-costs of an id
//! and of an envelope. Prints a table of medians with ratios at the end.
//!
//! Run with `env -u RUST_BACKTRACE cargo bench --bench layer` (a backtrace per caught panic makes
//! the panic path 20x slower). Requests are built outside the timed region; each service is built
//! once.

mod common;

use std::hint::black_box;

use bytes::Bytes;
use criterion::{criterion_group, BatchSize, Criterion};
use http::{Request, Response};
use tower::{Layer, Service};
use tower_cloud_error::bce::{Bce, RequestDate};
use tower_cloud_error::request_id::{MakeRequestId, MakeRequestUuidV4};
use tower_cloud_error::{bce::eip, CloudError, CloudErrorLayer, ErrorReport, Style};

use common::{fails, ok, ok_with_headers, one_request, panics, request, service, tower_http_stack};

const GROUP: &str = "layer";

fn bench_service<S>(c: &mut Criterion, name: &str, mut service: S)
where
    S: Service<Request<()>>,
    S::Error: std::fmt::Debug,
{
    c.benchmark_group(GROUP).bench_function(name, |b| {
        b.iter_batched(
            request,
            |request| black_box(one_request(&mut service, request)),
            BatchSize::SmallInput,
        )
    });
}

fn benches(c: &mut Criterion) {
    // Only the panics this benchmark provokes are silenced.
    std::panic::set_hook(Box::new(|_| {}));

    bench_service(c, "bare", service(ok));
    bench_service(c, "bare, handler headers", service(ok_with_headers));
    bench_service(c, "tower-http stack", tower_http_stack(service(ok)));
    bench_service(
        c,
        "hand-written floor",
        common::hand_written::HandWritten(service(ok)),
    );
    bench_service(c, "success bce", CloudErrorLayer::bce().layer(service(ok)));
    bench_service(
        c,
        "success tencent",
        CloudErrorLayer::tencent().layer(service(ok)),
    );
    bench_service(
        c,
        "success bce, handler headers",
        CloudErrorLayer::bce().layer(service(ok_with_headers)),
    );
    bench_service(c, "error bce", CloudErrorLayer::bce().layer(service(fails)));
    bench_service(
        c,
        "hand-written floor, error",
        common::hand_written::HandWrittenErrors(service(fails)),
    );
    bench_service(
        c,
        "panic bce",
        CloudErrorLayer::bce().layer(service(panics)),
    );

    let mut group = c.benchmark_group(GROUP);
    group.bench_function("raw catch_unwind", |b| {
        b.iter_batched(
            request,
            |request| {
                black_box(std::panic::catch_unwind(std::panic::AssertUnwindSafe(
                    || panics(request),
                )))
                .is_err()
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("micro: request id", |b| {
        let mut make = MakeRequestUuidV4::default();
        let request = request();
        b.iter(|| black_box(make.make_request_id(&request)))
    });
    group.bench_function("micro: bce envelope", |b| {
        let style = Bce::new();
        let error = CloudError::new(eip::EIP_NOT_FOUND);
        let info = RequestDate::default();
        b.iter(|| {
            let report = ErrorReport::new(&error, "5b0b6a7e-3f5c-4b71-9a53-2f0d4c1e8a90", &style);
            black_box::<Response<Bytes>>(style.render(&report, &info))
        })
    });
    group.finish();
}

/// The median of a benchmark of this run, in nanoseconds, from criterion's estimates.
fn median(name: &str) -> Option<f64> {
    // Criterion keeps spaces and commas in directory names and replaces colons.
    let dir = name.replace(':', "_");
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let path = format!("{target}/criterion/{GROUP}/{dir}/new/estimates.json");
    let estimates: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

/// Prints the medians with their ratios to the bare service and to the tower-http stack.
fn report() {
    let (Some(bare), Some(bare_headers), Some(stack)) = (
        median("bare"),
        median("bare, handler headers"),
        median("tower-http stack"),
    ) else {
        return; // A filtered run: nothing to compare.
    };
    let stack_overhead = stack - bare;
    println!("\n| benchmark | median | over bare | vs tower-http overhead |");
    println!("|---|---:|---:|---:|");
    for name in [
        "bare",
        "tower-http stack",
        "hand-written floor",
        "success bce",
        "success tencent",
        "success bce, handler headers",
        "error bce",
        "hand-written floor, error",
        "panic bce",
        "raw catch_unwind",
        "micro: request id",
        "micro: bce envelope",
    ] {
        let Some(time) = median(name) else { continue };
        if name.starts_with("micro") || name.starts_with("raw") {
            println!("| {name} | {time:.0} ns | | |");
            continue;
        }
        let base = if name.ends_with("handler headers") {
            bare_headers
        } else {
            bare
        };
        let over = time - base;
        println!(
            "| {name} | {time:.0} ns | {over:+.0} ns | {:.2}x |",
            over / stack_overhead
        );
    }
    if let (Some(panic), Some(raw)) = (median("panic bce"), median("raw catch_unwind")) {
        println!(
            "\npanic path: {:.2}x a raw catch_unwind of the same panic",
            panic / raw
        );
    }
}

criterion_group!(layer, benches);

fn main() {
    layer();
    Criterion::default().configure_from_args().final_summary();
    report();
}
