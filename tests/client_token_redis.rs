//! `RedisStore` against a real `redis-server` the test starts: the store's atomic operations and
//! TTLs, two services sharing one Redis, and a Redis outage (InternalError, the handler not run,
//! the reason logged).

mod support;

#[path = "support/redis.rs"]
mod redis_server;

#[path = "support/token_app.rs"]
mod token_app;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use bytes::Bytes;
use serde_json::json;
use tower_cloud_error::idempotency::{
    ClientTokenLayer, Fingerprint, IdempotencyStore, MemoryStore, RedisStore, Reservation,
    ReserveOutcome, StoreKey, StoredResponse,
};

use redis_server::RedisServer;
use token_app::{app, send, Creates};

const BODY: &str = r#"{"bandwidthInMbps":10}"#;

fn create(token: &str) -> Request<Body> {
    Request::post(format!("/v1/eip?clientToken={token}"))
        .header("content-type", "application/json")
        .body(Body::from(BODY))
        .unwrap()
}

fn key(n: u8) -> StoreKey {
    StoreKey::from_bytes([n; 32])
}

#[tokio::test]
async fn the_redis_store_reserves_completes_and_releases_atomically() {
    let redis = RedisServer::start();
    let store = RedisStore::connect(&redis.url()).await.unwrap();
    let minute = Duration::from_secs(60);
    let first = Reservation::new(Fingerprint::from_bytes([1; 32]));
    let second = Reservation::new(Fingerprint::from_bytes([1; 32]));

    assert!(matches!(
        store.reserve(&key(1), &first, minute).await.unwrap(),
        ReserveOutcome::Reserved
    ));
    match store.reserve(&key(1), &second, minute).await.unwrap() {
        ReserveOutcome::InFlight(fingerprint) => assert_eq!(fingerprint, *first.fingerprint()),
        other => panic!("{other:?}"),
    }
    // Only the owner completes or releases.
    let response = StoredResponse::new(
        *first.fingerprint(),
        StatusCode::OK,
        vec![(
            http::header::CONTENT_TYPE,
            "application/json".parse().unwrap(),
        )],
        Bytes::from_static(br#"{"eip":"100.88.0.1"}"#),
        Some("0b1c2d3e-aaaa-4bbb-8ccc-123456789abc".parse().unwrap()),
    );
    assert!(!store
        .complete(&key(1), &second, &response, minute)
        .await
        .unwrap());
    assert!(!store.release(&key(1), &second).await.unwrap());
    assert!(store
        .complete(&key(1), &first, &response, minute)
        .await
        .unwrap());
    match store.reserve(&key(1), &second, minute).await.unwrap() {
        ReserveOutcome::Done(stored) => assert_eq!(*stored, response),
        other => panic!("{other:?}"),
    }
    // A completed token is not released by its former owner.
    assert!(!store.release(&key(1), &first).await.unwrap());

    // Release frees the token.
    store.reserve(&key(2), &first, minute).await.unwrap();
    assert!(store.release(&key(2), &first).await.unwrap());
    assert!(matches!(
        store.reserve(&key(2), &second, minute).await.unwrap(),
        ReserveOutcome::Reserved
    ));

    // Prefixes separate services.
    let other = RedisStore::connect(&redis.url())
        .await
        .unwrap()
        .prefix("other-service:");
    assert!(matches!(
        other.reserve(&key(1), &second, minute).await.unwrap(),
        ReserveOutcome::Reserved
    ));
}

#[tokio::test]
async fn redis_expires_reservations_and_responses_after_their_ttls() {
    let redis = RedisServer::start();
    let store = RedisStore::connect(&redis.url()).await.unwrap();
    let crashed = Reservation::new(Fingerprint::from_bytes([1; 32]));
    store
        .reserve(&key(1), &crashed, Duration::from_millis(300))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    // The crashed request's reservation is gone; its late completion cannot overwrite the retry.
    let retry = Reservation::new(Fingerprint::from_bytes([1; 32]));
    assert!(matches!(
        store
            .reserve(&key(1), &retry, Duration::from_secs(60))
            .await
            .unwrap(),
        ReserveOutcome::Reserved
    ));
    let response = StoredResponse::new(
        *retry.fingerprint(),
        StatusCode::OK,
        Vec::new(),
        Bytes::new(),
        None,
    );
    assert!(!store
        .complete(&key(1), &crashed, &response, Duration::from_secs(60))
        .await
        .unwrap());
    assert!(store
        .complete(&key(1), &retry, &response, Duration::from_millis(300))
        .await
        .unwrap());
    assert!(matches!(
        store
            .reserve(&key(1), &crashed, Duration::from_secs(60))
            .await
            .unwrap(),
        ReserveOutcome::Done(_)
    ));
    tokio::time::sleep(Duration::from_millis(400)).await;
    let later = Reservation::new(Fingerprint::from_bytes([1; 32]));
    assert!(matches!(
        store
            .reserve(&key(1), &later, Duration::from_secs(60))
            .await
            .unwrap(),
        ReserveOutcome::Reserved
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_services_on_one_redis_answer_a_retry_alike_and_create_once() {
    let redis = RedisServer::start();
    let creates = Creates::default();
    let a = app(
        false,
        ClientTokenLayer::bce(RedisStore::connect(&redis.url()).await.unwrap()),
        creates.clone(),
    );
    let b = app(
        false,
        ClientTokenLayer::bce(RedisStore::connect(&redis.url()).await.unwrap()),
        creates.clone(),
    );

    let on_a = send(&a, create("tok-1")).await;
    let on_b = send(&b, create("tok-1")).await;
    assert_eq!(on_a.status, StatusCode::OK, "{on_a:?}");
    assert_eq!(on_b.json()["eip"], on_a.json()["eip"]);
    assert_eq!(
        on_b.json()["requestId"],
        json!(on_b.request_id("x-bce-request-id"))
    );
    assert_eq!(creates.count(), 1);

    let mismatch = send(
        &b,
        Request::post("/v1/eip?clientToken=tok-1")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"bandwidthInMbps":20}"#))
            .unwrap(),
    )
    .await;
    assert_eq!(mismatch.status, 403);
    assert_eq!(
        mismatch.json()["code"],
        json!("IdempotentParameterMismatch")
    );

    // Ten concurrent creates with one token, spread over both services: one create.
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let service = if i % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(async move {
                let request = Request::post("/v1/eip?clientToken=tok-c")
                    .header("content-type", "application/json")
                    .header("x-delay-ms", "200")
                    .body(Body::from(BODY))
                    .unwrap();
                send(&service, request).await
            })
        })
        .collect();
    let mut eips = Vec::new();
    for task in tasks {
        let answer = task.await.unwrap();
        assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
        eips.push(answer.json()["eip"].clone());
    }
    assert_eq!(creates.count(), 2);
    assert!(eips.iter().all(|eip| *eip == eips[0]), "{eips:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_outage_answers_internal_error_without_running_the_handler() {
    let logs = support::LogCapture::install();
    let mut redis = RedisServer::start();
    let creates = Creates::default();
    let store = RedisStore::connect(&redis.url()).await.unwrap();
    let app = app(false, ClientTokenLayer::bce(store), creates.clone());
    assert_eq!(send(&app, create("tok-1")).await.status, StatusCode::OK);

    redis.stop();
    let started = Instant::now();
    let answer = send(&app, create("tok-2")).await;
    let took = started.elapsed();
    assert_eq!(answer.status, 500, "{answer:?}");
    let id = answer.request_id("x-bce-request-id");
    assert_eq!(
        answer.json(),
        json!({
            "requestId": id,
            "code": "InternalError",
            "message": "We encountered an internal error. Please try again."
        })
    );
    assert_eq!(creates.count(), 1, "the handler ran during the outage");
    assert!(took < Duration::from_secs(3), "{took:?}");
    let lines = logs.lines_with(&id);
    assert!(
        lines
            .iter()
            .any(|line| line.contains("client token store is unavailable")),
        "the outage is not logged with the request id: {lines:#?}"
    );
    // Requests without a token do not need the store.
    let plain = send(
        &app,
        Request::post("/v1/eip").body(Body::from(BODY)).unwrap(),
    )
    .await;
    assert_eq!(plain.status, StatusCode::OK);

    // Redis back (empty: it keeps nothing on disk): the service reconnects by itself.
    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = send(&app, create("tok-3")).await;
        if answer.status == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "no reconnection: {answer:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The layer's cost per request, in memory and with Redis on loopback: prints the mean time of a
/// create (reserve, run, complete) and of a replay (one reserve), next to the same service
/// answering requests without a token (which the layer passes on untouched). Run with
/// `--release --nocapture` for meaningful numbers.
#[tokio::test]
async fn per_request_cost() {
    const N: usize = 2000;
    let redis = RedisServer::start();
    let redis_store = RedisStore::connect(&redis.url()).await.unwrap();
    let no_token = || {
        Request::post("/v1/eip")
            .header("content-type", "application/json")
            .body(Body::from(BODY))
            .unwrap()
    };
    let mut report = Vec::new();
    for (name, layer) in [
        ("memory", ClientTokenLayer::bce(MemoryStore::new())),
        ("redis", ClientTokenLayer::bce(redis_store)),
    ] {
        let creates = Creates::default();
        let service = app(false, layer, creates.clone());
        // Warm up the runtime, the allocator and the connection.
        for n in 0..200 {
            assert_eq!(
                send(&service, create(&format!("warm-{n}"))).await.status,
                200
            );
            assert_eq!(send(&service, no_token()).await.status, 200);
        }
        let started = Instant::now();
        for _ in 0..N {
            assert_eq!(send(&service, no_token()).await.status, StatusCode::OK);
        }
        let base = started.elapsed() / N as u32;
        let started = Instant::now();
        for n in 0..N {
            assert_eq!(
                send(&service, create(&format!("cost-{n}"))).await.status,
                200
            );
        }
        let create_cost = started.elapsed() / N as u32;
        let started = Instant::now();
        for n in 0..N {
            assert_eq!(
                send(&service, create(&format!("cost-{n}"))).await.status,
                200
            );
        }
        let replay_cost = started.elapsed() / N as u32;
        assert_eq!(creates.count(), 2 * 200 + 2 * N);
        report.push(format!(
            "{name}: no token {base:?}; create {create_cost:?} (+{:?}); replay {replay_cost:?}",
            create_cost.saturating_sub(base)
        ));
    }
    eprintln!("per request (mean of {N}):\n  {}", report.join("\n  "));
}
