//! `ClientTokenLayer` with the in-memory store, behind `CloudErrorLayer`: replays, mismatches,
//! concurrent duplicates, failures that release the token, scoping, the Tencent variant, and the
//! memory bound under a flood of unique tokens.

#[path = "support/token_app.rs"]
mod token_app;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;
use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};
use tower_cloud_error::tencent::common::RESOURCE_IN_USE;

use token_app::{app, send, Answer, Creates};

const MISMATCH: &str =
    "The request uses the same client token as a previous, but non-identical request.";

fn create(token: &str) -> axum::http::request::Builder {
    Request::post(format!("/v1/eip?clientToken={token}")).header("content-type", "application/json")
}

fn request(token: &str, body: &'static str) -> Request<Body> {
    create(token).body(Body::from(body)).unwrap()
}

fn assert_bce_error(answer: &Answer, status: u16, code: &str, message: &str) {
    assert_eq!(answer.status, status, "{answer:?}");
    let id = answer.request_id("x-bce-request-id");
    assert_eq!(
        answer.json(),
        json!({ "requestId": id, "code": code, "message": message }),
        "{answer:?}"
    );
}

#[tokio::test]
async fn a_retry_replays_the_first_response_with_its_own_request_id() {
    let creates = Creates::default();
    let app = app(
        false,
        ClientTokenLayer::bce(MemoryStore::new()),
        creates.clone(),
    );
    let body = r#"{"bandwidthInMbps":10}"#;

    let first = send(&app, request("tok-1", body)).await;
    assert_eq!(first.status, StatusCode::OK, "{first:?}");
    let retry = send(
        &app,
        // Another date, request id and signature: still the same request.
        create("tok-1")
            .header("x-bce-date", "2026-12-01T00:00:00Z")
            .header("x-bce-request-id", "client-side-id")
            .header("authorization", "bce-auth-v1/other")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(creates.count(), 1);
    assert_eq!(retry.status, StatusCode::OK);

    let (first_id, retry_id) = (
        first.request_id("x-bce-request-id"),
        retry.request_id("x-bce-request-id"),
    );
    assert_ne!(first_id, retry_id);
    assert_eq!(first.json()["requestId"], json!(first_id));
    // The replayed body quotes the new request's id; everything else is the first answer.
    let mut expected = first.json();
    expected["requestId"] = json!(retry_id);
    assert_eq!(retry.json(), expected);
    assert_eq!(retry.json()["eip"], json!("100.88.0.1"));
    assert_eq!(retry.headers["etag"], "\"v1\"");
    assert_eq!(
        retry.headers["content-type"],
        "application/json; charset=utf-8"
    );
    // Cookies are never replayed.
    assert!(first.headers.contains_key("set-cookie"));
    assert!(!retry.headers.contains_key("set-cookie"));

    // A new token creates again.
    let other = send(&app, request("tok-2", body)).await;
    assert_eq!(other.json()["eip"], json!("100.88.0.2"));
    assert_eq!(creates.count(), 2);
}

#[tokio::test]
async fn the_same_token_with_another_request_is_a_mismatch() {
    let creates = Creates::default();
    let app = app(
        false,
        ClientTokenLayer::bce(MemoryStore::new()),
        creates.clone(),
    );
    send(&app, request("tok-1", r#"{"bandwidthInMbps":10}"#)).await;

    let another_body = send(&app, request("tok-1", r#"{"bandwidthInMbps":20}"#)).await;
    assert_bce_error(&another_body, 403, "IdempotentParameterMismatch", MISMATCH);
    let another_query = send(
        &app,
        Request::post("/v1/eip?clientToken=tok-1&extra=1")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"bandwidthInMbps":10}"#))
            .unwrap(),
    )
    .await;
    assert_bce_error(&another_query, 403, "IdempotentParameterMismatch", MISMATCH);
    let another_type = send(
        &app,
        Request::post("/v1/eip?clientToken=tok-1")
            .header("content-type", "text/plain")
            .body(Body::from(r#"{"bandwidthInMbps":10}"#))
            .unwrap(),
    )
    .await;
    assert_bce_error(&another_type, 403, "IdempotentParameterMismatch", MISMATCH);
    assert_eq!(creates.count(), 1);
}

#[tokio::test]
async fn concurrent_duplicates_run_once_and_all_get_the_first_answer() {
    let creates = Creates::default();
    let app = app(
        false,
        ClientTokenLayer::bce(MemoryStore::new()),
        creates.clone(),
    );
    let body = r#"{"bandwidthInMbps":10}"#;
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                let request = create("tok-c")
                    .header("x-delay-ms", "200")
                    .body(Body::from(body))
                    .unwrap();
                send(&app, request).await
            })
        })
        .collect();
    let mut eips = Vec::new();
    for task in tasks {
        let answer = task.await.unwrap();
        assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
        assert_eq!(
            answer.json()["requestId"],
            json!(answer.request_id("x-bce-request-id"))
        );
        eips.push(answer.json()["eip"].clone());
    }
    assert_eq!(creates.count(), 1);
    assert!(
        eips.iter().all(|eip| *eip == json!("100.88.0.1")),
        "{eips:?}"
    );
}

#[tokio::test]
async fn a_duplicate_waits_at_most_the_wait_bound() {
    let creates = Creates::default();
    let store = MemoryStore::new();
    let layer = ClientTokenLayer::bce(store.clone()).wait_bound(Duration::from_millis(100));
    let app = app(false, layer, creates.clone());
    let body = r#"{"bandwidthInMbps":10}"#;
    let slow = {
        let app = app.clone();
        tokio::spawn(async move {
            let request = create("tok-w")
                .header("x-delay-ms", "1500")
                .body(Body::from(body))
                .unwrap();
            send(&app, request).await
        })
    };
    // The slow request holds the token before the duplicate arrives.
    while store.is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let started = Instant::now();
    let duplicate = send(&app, request("tok-w", body)).await;
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(100), "{waited:?}");
    assert!(waited < Duration::from_millis(1000), "{waited:?}");
    // InternalError: the SDKs retry it, and the retry finds the finished answer.
    assert_bce_error(
        &duplicate,
        500,
        "InternalError",
        "We encountered an internal error. Please try again.",
    );
    assert_eq!(slow.await.unwrap().status, StatusCode::OK);
    let retry = send(&app, request("tok-w", body)).await;
    assert_eq!(retry.json()["eip"], json!("100.88.0.1"));
    assert_eq!(creates.count(), 1);
}

#[tokio::test]
async fn a_failed_request_releases_its_token_so_the_retry_runs() {
    let creates = Creates::default();
    let app = app(
        false,
        ClientTokenLayer::bce(MemoryStore::new()),
        creates.clone(),
    );
    let body = r#"{"bandwidthInMbps":10}"#;

    let failed = send(
        &app,
        create("tok-f")
            .header("x-fail", "status")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_bce_error(
        &failed,
        500,
        "InternalError",
        "We encountered an internal error. Please try again.",
    );
    let retried = send(&app, request("tok-f", body)).await;
    assert_eq!(retried.status, StatusCode::OK);
    assert_eq!(retried.json()["eip"], json!("100.88.0.1"));
    // An error is never stored: only the success is replayed.
    let replayed = send(
        &app,
        create("tok-f")
            .header("x-fail", "status")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(replayed.json()["eip"], json!("100.88.0.1"));
    assert_eq!(creates.count(), 1);
}

#[tokio::test]
async fn a_panicking_request_releases_its_token() {
    let creates = Creates::default();
    let app = app(
        false,
        ClientTokenLayer::bce(MemoryStore::new()),
        creates.clone(),
    );
    let body = r#"{"bandwidthInMbps":10}"#;
    let panicked = send(
        &app,
        create("tok-p")
            .header("x-fail", "panic")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(panicked.status, 500, "{panicked:?}");
    // The release runs on its own task once the panicked future is dropped: the retry may wait
    // for it a moment (the wait bound), never for the reservation TTL.
    let started = Instant::now();
    let retried = send(&app, request("tok-p", body)).await;
    assert_eq!(retried.status, StatusCode::OK, "{retried:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(creates.count(), 1);
}

#[tokio::test]
async fn bad_tokens_answer_invalid_uri_without_running_the_handler() {
    let creates = Creates::default();
    let app = app(
        false,
        ClientTokenLayer::bce(MemoryStore::new()),
        creates.clone(),
    );
    let long = "t".repeat(65);
    for query in [
        format!("clientToken={long}"),
        "clientToken=".to_owned(),
        "clientToken=a&clientToken=b".to_owned(),
        "clientToken=%C3%A9t%C3%A9".to_owned(),
        "clientToken=%ZZ".to_owned(),
    ] {
        let answer = send(
            &app,
            Request::post(format!("/v1/eip?{query}"))
                .header("content-type", "application/json")
                .header("content-length", "2")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
        assert_bce_error(
            &answer,
            400,
            "InvalidURI",
            "Could not parse the specified URI: clientToken must be 1 to 64 ASCII characters.",
        );
        // The body was left unread, then drained by the error layer: the connection stays.
        assert!(!answer.headers.contains_key("connection"), "{query}");
    }
    let longest = "t".repeat(64);
    let ok = send(
        &app,
        Request::post(format!("/v1/eip?clientToken={longest}"))
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(creates.count(), 1);
}

#[tokio::test]
async fn requests_without_a_token_run_every_time() {
    let creates = Creates::default();
    let app = app(
        false,
        ClientTokenLayer::bce(MemoryStore::new()),
        creates.clone(),
    );
    for _ in 0..3 {
        let answer = send(
            &app,
            Request::post("/v1/eip").body(Body::from("{}")).unwrap(),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    assert_eq!(creates.count(), 3);
}

#[tokio::test]
async fn tokens_are_scoped_by_caller_and_route() {
    let creates = Creates::default();
    let layer = ClientTokenLayer::bce(MemoryStore::new()).caller(|parts| {
        parts
            .headers
            .get("x-account")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    let app = app(false, layer, creates.clone());
    let body = r#"{"bandwidthInMbps":10}"#;
    let as_account = |account: &str| {
        create("tok-s")
            .header("x-account", account)
            .body(Body::from(body))
            .unwrap()
    };
    let alice = send(&app, as_account("alice")).await;
    let bob = send(&app, as_account("bob")).await;
    let alice_again = send(&app, as_account("alice")).await;
    assert_eq!(alice.json()["eip"], json!("100.88.0.1"));
    assert_eq!(bob.json()["eip"], json!("100.88.0.2"));
    assert_eq!(alice_again.json()["eip"], json!("100.88.0.1"));
    // Another route with the same token and caller is another scope.
    let other_route = send(
        &app,
        Request::post("/?clientToken=tok-s")
            .header("content-type", "application/json")
            .header("x-account", "alice")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(other_route.json()["eip"], json!("100.88.0.3"));
    assert_eq!(creates.count(), 3);
}

#[tokio::test]
async fn a_response_over_the_replay_limit_is_sent_but_not_stored() {
    let creates = Creates::default();
    let layer = ClientTokenLayer::bce(MemoryStore::new()).max_replay_bytes(1024);
    let app = app(false, layer, creates.clone());
    let big = || {
        create("tok-big")
            .header("x-response-bytes", "4096")
            .body(Body::from("{}"))
            .unwrap()
    };
    let first = send(&app, big()).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.json()["pad"].as_str().unwrap().len(), 4096);
    let second = send(&app, big()).await;
    assert_eq!(second.json()["eip"], json!("100.88.0.2"));
    assert_eq!(creates.count(), 2);
}

#[tokio::test]
async fn the_tencent_variant_takes_the_token_from_a_body_field_of_listed_actions() {
    let creates = Creates::default();
    let layer = ClientTokenLayer::tencent(
        MemoryStore::new(),
        "ClientToken",
        ["CreateRepository"],
        RESOURCE_IN_USE,
    );
    let app = app(true, layer, creates.clone());
    let call = |action: &str, body: &'static str| {
        Request::post("/")
            .header("content-type", "application/json")
            .header("x-tc-action", action)
            .header("x-tc-version", "2019-09-24")
            .header("x-tc-timestamp", "1700000000")
            .body(Body::from(body))
            .unwrap()
    };
    let first = send(
        &app,
        call("CreateRepository", r#"{"ClientToken":"t-1","Name":"a"}"#),
    )
    .await;
    let retry = send(
        &app,
        call("CreateRepository", r#"{"ClientToken":"t-1","Name":"a"}"#),
    )
    .await;
    assert_eq!(retry.json()["eip"], first.json()["eip"]);
    assert_eq!(
        retry.json()["requestId"],
        json!(retry.request_id("x-tc-requestid"))
    );
    assert_eq!(creates.count(), 1);

    let mismatch = send(
        &app,
        call("CreateRepository", r#"{"ClientToken":"t-1","Name":"b"}"#),
    )
    .await;
    assert_eq!(mismatch.status, StatusCode::OK);
    assert_eq!(
        mismatch.json()["Response"]["Error"]["Code"],
        json!("ResourceInUse")
    );
    let bad = send(&app, call("CreateRepository", r#"{"ClientToken":7}"#)).await;
    assert_eq!(
        bad.json()["Response"]["Error"]["Code"],
        json!("InvalidParameterValue")
    );
    // An action not listed, or a body without the field, is not idempotent.
    send(
        &app,
        call("CreateNamespace", r#"{"ClientToken":"t-1","Name":"a"}"#),
    )
    .await;
    send(
        &app,
        call("CreateNamespace", r#"{"ClientToken":"t-1","Name":"a"}"#),
    )
    .await;
    send(&app, call("CreateRepository", r#"{"Name":"a"}"#)).await;
    assert_eq!(creates.count(), 4);
}

#[tokio::test]
async fn tokens_are_scoped_by_the_verified_principal_by_default() {
    // The signature layer puts the caller's Principal in the extensions; without `.caller`,
    // the client-token layer scopes tokens by its access key.
    let creates = Creates::default();
    let layer = ClientTokenLayer::bce(MemoryStore::new());
    let app = app(false, layer, creates.clone());
    let body = r#"{"bandwidthInMbps":10}"#;
    let as_key = |key: &'static str| {
        let mut request = create("tok-p").body(Body::from(body)).unwrap();
        request
            .extensions_mut()
            .insert(tower_cloud_error::bce::Principal::new(key));
        request
    };
    let alice = send(&app, as_key("AK-ALICE")).await;
    let bob = send(&app, as_key("AK-BOB")).await;
    let alice_again = send(&app, as_key("AK-ALICE")).await;
    assert_eq!(alice.json()["eip"], json!("100.88.0.1"));
    assert_eq!(bob.json()["eip"], json!("100.88.0.2"));
    assert_eq!(alice_again.json()["eip"], json!("100.88.0.1"));
    assert_eq!(creates.count(), 2);
}
