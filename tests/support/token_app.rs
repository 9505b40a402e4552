//! A small create service behind `CloudErrorLayer` and `ClientTokenLayer`, for the client-token
//! tests: it counts the creates it ran, and fails, panics or dawdles on request.
//!
//! Include with `#[path = "support/token_app.rs"] mod token_app;`.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use http_body_util::BodyExt;
use tower::{ServiceBuilder, ServiceExt};
use tower_cloud_error::idempotency::ClientTokenLayer;
use tower_cloud_error::request_id::RequestId;
use tower_cloud_error::CloudErrorLayer;

/// How many creates ran.
#[derive(Clone, Default)]
pub struct Creates(pub Arc<AtomicUsize>);

impl Creates {
    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// `POST /v1/eip` (BCE) and `POST /` (Tencent): counts a create and answers
/// `{"eip":"100.88.0.N","requestId":"<id>","bodyBytes":N}` with an `ETag`, a `Set-Cookie` and
/// `x-response-bytes: N` extra bytes of padding in `"pad"`.
///
/// Request headers: `x-delay-ms: N` sleeps first; `x-fail: status` answers a bare 500 without
/// creating, `x-fail: panic` panics.
async fn create(
    State(creates): State<Creates>,
    Extension(request_id): Extension<RequestId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(ms) = header("x-delay-ms").and_then(|v| v.parse().ok()) {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    match header("x-fail") {
        Some("status") => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Some("panic") => panic!("injected panic"),
        _ => {}
    }
    let n = creates.0.fetch_add(1, Ordering::SeqCst) + 1;
    let pad = "p".repeat(
        header("x-response-bytes")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    );
    let id = request_id.header_value().to_str().unwrap().to_owned();
    // The padding is spliced in as is (it is JSON-safe): serialising it would dominate a flood.
    let body = format!(
        r#"{{"eip":"100.88.0.{n}","requestId":"{id}","bodyBytes":{},"pad":"{pad}"}}"#,
        body.len()
    );
    (
        [
            ("content-type", "application/json; charset=utf-8"),
            ("etag", "\"v1\""),
            ("set-cookie", "session=secret"),
        ],
        body,
    )
        .into_response()
}

/// The service: `CloudErrorLayer` (BCE or Tencent style) outside, `layer` inside, the create
/// handler at `POST /v1/eip` and `POST /`.
pub fn app(tencent: bool, layer: ClientTokenLayer, creates: Creates) -> Router {
    let routes = Router::new()
        .route("/v1/eip", post(create))
        .route("/", post(create))
        .with_state(creates);
    if tencent {
        let service = ServiceBuilder::new()
            .layer(CloudErrorLayer::tencent())
            .layer(layer)
            .service(routes);
        Router::new().fallback_service(service)
    } else {
        let service = ServiceBuilder::new()
            .layer(CloudErrorLayer::bce())
            .layer(layer)
            .service(routes);
        Router::new().fallback_service(service)
    }
}

/// One answer, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    pub fn request_id(&self, header: &str) -> String {
        self.headers[header].to_str().unwrap().to_owned()
    }
}

pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}
