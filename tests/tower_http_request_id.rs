//! An outer tower-http 0.7 `SetRequestIdLayer` + `PropagateRequestIdLayer` around an axum app
//! with the layer inside: one id in the error body, both response headers, and the handler's
//! `Extension<RequestId>`; and the documented consequence for client-sent `x-request-id`.
#![cfg(feature = "axum")]

use std::sync::{Arc, Mutex};

use axum::routing::get;
use axum::{Extension, Router};
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::{ServiceBuilder, ServiceExt};
use tower_cloud_error::request_id::RequestId;
use tower_cloud_error::{bce, CloudError, CloudErrorLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

/// The id each handler saw in its `Extension<RequestId>`.
type Seen = Arc<Mutex<Vec<String>>>;

fn app(seen: Seen) -> axum::routing::RouterIntoService<axum::body::Body> {
    let handler = move |Extension(id): Extension<RequestId>| {
        let seen = seen.clone();
        async move {
            seen.lock()
                .unwrap()
                .push(id.header_value().to_str().unwrap().to_owned());
            Err::<(), _>(CloudError::new(bce::eip::EIP_NOT_FOUND))
        }
    };
    let router = Router::new()
        .route("/v1/eip/{ip}", get(handler))
        .layer(CloudErrorLayer::bce());
    let stack = ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(PropagateRequestIdLayer::x_request_id())
        .service(router);
    // Router::into_service of the whole stack, so the test drives it with oneshot.
    Router::new().fallback_service(stack).into_service()
}

async fn call(request: Request<axum::body::Body>) -> (StatusCode, String, String, Value, String) {
    let seen = Seen::default();
    let response = app(seen.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    let (ours, theirs) = (header("x-bce-request-id"), header("x-request-id"));
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let handler_saw = seen.lock().unwrap().pop().expect("the handler ran");
    (
        status,
        ours,
        theirs,
        serde_json::from_slice(&body).unwrap(),
        handler_saw,
    )
}

#[tokio::test]
async fn one_id_in_the_body_both_headers_and_the_handlers_extension() {
    let request = Request::get("/v1/eip/100.88.0.1")
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, ours, theirs, json, handler_saw) = call(request).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json["code"], "EipNotFound");
    assert_eq!(json["requestId"], ours.as_str());
    assert_eq!(ours, theirs, "x-bce-request-id and x-request-id differ");
    assert_eq!(handler_saw, ours, "the handler saw another id");
    assert!(uuid_v4(&ours), "{ours}");
}

#[tokio::test]
async fn an_outer_layer_that_keeps_a_client_id_decides_for_clients() {
    // tower-http's SetRequestIdLayer keeps a client's x-request-id: the layer adopts the outer
    // layer's choice (documented in `request_id`), so there is still one id everywhere.
    let request = Request::get("/v1/eip/100.88.0.1")
        .header("x-request-id", "client-chosen-1")
        .body(axum::body::Body::empty())
        .unwrap();
    let (_, ours, theirs, json, handler_saw) = call(request).await;
    assert_eq!(ours, "client-chosen-1");
    assert_eq!(theirs, "client-chosen-1");
    assert_eq!(json["requestId"], "client-chosen-1");
    assert_eq!(handler_saw, "client-chosen-1");

    // An unusable client id is replaced everywhere the layer writes, and in the extension.
    let request = Request::get("/v1/eip/100.88.0.1")
        .header("x-request-id", "has spaces")
        .body(axum::body::Body::empty())
        .unwrap();
    let (_, ours, _, json, handler_saw) = call(request).await;
    assert!(uuid_v4(&ours), "{ours}");
    assert_eq!(json["requestId"], ours.as_str());
    assert_eq!(handler_saw, ours);
}

#[tokio::test]
async fn stripping_x_request_id_in_front_keeps_client_ids_out() {
    // The recipe of the `request_id` docs: remove the client's header before tower-http sees it.
    let seen = Seen::default();
    let inner = app(seen.clone());
    let service = ServiceBuilder::new()
        .map_request(|mut request: Request<axum::body::Body>| {
            request.headers_mut().remove("x-request-id");
            request
        })
        .service(inner);
    let request = Request::get("/v1/eip/100.88.0.1")
        .header("x-request-id", "client-chosen-2")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    let ours = response.headers()["x-bce-request-id"].to_str().unwrap();
    assert_ne!(ours, "client-chosen-2");
    assert!(uuid_v4(ours), "{ours}");
    assert_eq!(response.headers()["x-request-id"], ours);
    assert_eq!(seen.lock().unwrap().pop().unwrap(), ours);
}

fn uuid_v4(id: &str) -> bool {
    id.len() == 36 && id.as_bytes()[14] == b'4'
}
