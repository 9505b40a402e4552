//! A flood of unique client tokens with large bodies keeps the in-memory store, and the process,
//! within the store's byte bound. Its own test binary, so that no other test allocates while the
//! process's resident set is measured.

#[path = "support/token_app.rs"]
mod token_app;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};

use token_app::{app, send, Creates};

fn create(token: &str) -> axum::http::request::Builder {
    Request::post(format!("/v1/eip?clientToken={token}")).header("content-type", "application/json")
}

/// The resident set of this process, from `/proc/self/status`.
fn rss_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: usize = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status");
    kib * 1024
}

#[tokio::test]
async fn a_flood_of_unique_tokens_with_large_bodies_stays_within_the_byte_bound() {
    const BOUND: usize = 4 * 1024 * 1024;
    const REQUESTS: usize = 1500;
    const RESPONSE_BYTES: usize = 200 * 1024;
    let store = MemoryStore::new().max_bytes(BOUND);
    let creates = Creates::default();
    let app = app(false, ClientTokenLayer::bce(store.clone()), creates.clone());
    let request_body: &'static str = Box::leak("x".repeat(64 * 1024).into_boxed_str());

    // Warm up the allocator and the runtime, then measure.
    for n in 0..20 {
        let token = format!("warm-{n}");
        send(
            &app,
            create(&token)
                .header("x-response-bytes", RESPONSE_BYTES.to_string())
                .body(Body::from(request_body))
                .unwrap(),
        )
        .await;
    }
    let before = rss_bytes();
    let mut max_store_bytes = 0;
    for n in 0..REQUESTS {
        let token = format!("flood-{n}");
        let answer = send(
            &app,
            create(&token)
                .header("x-response-bytes", RESPONSE_BYTES.to_string())
                .body(Body::from(request_body))
                .unwrap(),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK);
        max_store_bytes = max_store_bytes.max(store.bytes());
        assert!(store.bytes() <= BOUND, "{} > {BOUND}", store.bytes());
    }
    let growth = rss_bytes().saturating_sub(before);
    let unbounded = REQUESTS * RESPONSE_BYTES;
    eprintln!(
        "flood: {REQUESTS} tokens x {RESPONSE_BYTES} B responses ({} MiB if all were kept); \
         store held at most {max_store_bytes} B (bound {BOUND} B), {} entries at the end; \
         RSS grew {} KiB",
        unbounded / (1024 * 1024),
        store.len(),
        growth / 1024
    );
    assert_eq!(creates.count(), REQUESTS + 20);
    // Roughly 20 responses fit the bound: the store is full, not leaking.
    assert!(max_store_bytes > BOUND / 2, "{max_store_bytes}");
    assert!(store.len() < 30, "{}", store.len());
    // What the process kept is the bound plus allocator slack, far from what a store without
    // bounds would keep.
    assert!(
        growth < 2 * BOUND,
        "RSS grew {growth} B under a {BOUND} B bound ({unbounded} B unbounded)"
    );
}
