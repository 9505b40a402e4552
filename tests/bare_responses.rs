//! Bare 4xx/5xx responses of the inner service become the style's envelope.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use tower::{service_fn, Layer, ServiceExt};
use tower_cloud_error::bce::Bce;
use tower_cloud_error::tencent::Tencent;
use tower_cloud_error::{bce, tencent};
use tower_cloud_error::{CloudError, CloudErrorLayer, Style};

/// The inner service answers `status` with a text body and some headers.
fn bare(
    status: u16,
) -> impl Fn(Request<()>) -> std::future::Ready<Result<Response<Full<Bytes>>, Infallible>> + Clone {
    move |_| {
        let mut response = Response::new(Full::new(Bytes::from_static(
            b"Failed to deserialize: secret internals",
        )));
        *response.status_mut() = StatusCode::from_u16(status).unwrap();
        let headers = response.headers_mut();
        headers.insert("content-type", "text/plain".parse().unwrap());
        headers.insert("allow", "GET, HEAD".parse().unwrap());
        headers.insert("retry-after", "3".parse().unwrap());
        headers.insert("x-internal-trace", "node-7".parse().unwrap());
        std::future::ready(Ok(response))
    }
}

async fn send<St: Style>(layer: CloudErrorLayer<St>, status: u16) -> (Response<()>, Value) {
    let response = layer
        .layer(service_fn(bare(status)))
        .oneshot(Request::new(()))
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&body).into_owned();
    assert!(!text.contains("secret"), "{text}");
    let json = serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{e}: {text}"));
    (Response::from_parts(parts, ()), json)
}

#[tokio::test]
async fn bce_statuses_map_to_documented_codes() {
    for (status, code, documented) in [
        (400, "InvalidHTTPRequest", 400),
        (401, "InvalidHTTPAuthHeader", 400),
        (403, "AccessDenied", 403),
        (404, "InvalidURI", 400),
        (405, "InvalidURI", 400),
        (408, "InternalError", 500),
        (412, "PreconditionFailed", 412),
        (413, "InvalidHTTPRequest", 400),
        (415, "InvalidHTTPRequest", 400),
        (422, "InappropriateJSON", 400),
        (429, "InternalError", 500),
        (500, "InternalError", 500),
        (502, "InternalError", 500),
        (503, "InternalError", 500),
    ] {
        let (response, json) = send(CloudErrorLayer::bce(), status).await;
        assert_eq!(json["code"], code, "{status}");
        assert_eq!(
            response.status(),
            documented,
            "{status}: the code's documented status"
        );
        assert_eq!(
            response.headers()["content-type"],
            "application/json; charset=utf-8"
        );
        assert_eq!(
            json["requestId"],
            response.headers()["x-bce-request-id"].to_str().unwrap()
        );
        // The headers a client needs stay; the others go with the body.
        assert_eq!(response.headers()["allow"], "GET, HEAD");
        assert_eq!(response.headers()["retry-after"], "3");
        assert!(!response.headers().contains_key("x-internal-trace"));
    }
}

#[tokio::test]
async fn tencent_rewrites_are_http_200() {
    for (status, code) in [
        (400, "InvalidParameter"),
        (401, "AuthFailure"),
        (403, "UnauthorizedOperation"),
        (404, "InvalidAction"),
        (405, "UnsupportedProtocol"),
        (408, "ServiceUnavailable"),
        (413, "RequestSizeLimitExceeded"),
        (429, "RequestLimitExceeded"),
        (500, "InternalError"),
        (503, "ServiceUnavailable"),
    ] {
        let (response, json) = send(CloudErrorLayer::tencent(), status).await;
        assert_eq!(response.status(), StatusCode::OK, "{status}");
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(json["Response"]["Error"]["Code"], code, "{status}");
    }
}

#[tokio::test]
async fn the_mapping_can_be_overridden_and_rewriting_turned_off() {
    let layer = CloudErrorLayer::bce().map_bare_status(|status| {
        (status == StatusCode::NOT_FOUND).then(|| CloudError::new(bce::eip::EIP_NOT_FOUND))
    });
    let (response, json) = send(layer.clone(), 404).await;
    assert_eq!(json["code"], "EipNotFound");
    assert_eq!(response.status(), 404);
    let (_, json) = send(layer, 405).await;
    assert_eq!(
        json["code"], "InvalidURI",
        "None falls back to the default mapping"
    );

    let response = CloudErrorLayer::bce()
        .rewrite_bare_errors(false)
        .layer(service_fn(bare(404)))
        .oneshot(Request::new(()))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.headers().contains_key("x-bce-request-id"));
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(body.starts_with(b"Failed to deserialize"));
}

#[tokio::test]
async fn nested_layers_pass_envelopes_through_with_one_id() {
    let inner = CloudErrorLayer::new(Tencent::new()).layer(service_fn(|_: Request<()>| async {
        Err::<Response<Full<Bytes>>, _>(CloudError::new(
            tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO,
        ))
    }));
    let outer = CloudErrorLayer::new(Tencent::new()).layer(inner);
    let response = outer.oneshot(Request::new(())).await.unwrap();
    let id = response.headers()["x-tc-requestid"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let json: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        json["Response"]["Error"]["Code"],
        "ResourceNotFound.ErrNoRepo"
    );
    assert_eq!(json["Response"]["RequestId"], id);

    // A BCE envelope (status 404) through an outer BCE layer: not rewritten.
    let inner = CloudErrorLayer::new(Bce::new()).layer(service_fn(|_: Request<()>| async {
        Err::<Response<Full<Bytes>>, _>(CloudError::new(bce::eip::EIP_NOT_FOUND))
    }));
    let response = CloudErrorLayer::new(Bce::new())
        .layer(inner)
        .oneshot(Request::new(()))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let json: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["code"], "EipNotFound");
}

#[tokio::test]
async fn axum_unknown_routes_and_methods_are_rewritten() {
    use axum::routing::get;
    let app = axum::Router::new()
        .route("/v1/eip", get(|| async { "[]" }))
        .layer(CloudErrorLayer::bce());
    let unknown = Request::builder()
        .uri("/v1/nothing")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.clone().oneshot(unknown).await.unwrap();
    assert_eq!(response.status(), 400);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["code"],
        "InvalidURI"
    );

    let wrong_method = Request::builder()
        .method("DELETE")
        .uri("/v1/eip")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.oneshot(wrong_method).await.unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["allow"], "GET,HEAD");
}

#[tokio::test]
async fn answers_that_leave_a_body_unread_drain_it_or_close_the_connection() {
    use axum::routing::post;
    let app = |layer: CloudErrorLayer<Bce>| {
        axum::Router::new()
            .route(
                "/v1/eip",
                post(|| async { Err::<(), _>(CloudError::new(bce::eip::EXCEED_LIMIT)) }),
            )
            .layer(layer.map_bare_status(|_| None))
    };
    let send = |app: axum::Router, uri: &'static str, body: &'static str| async move {
        let request = Request::builder()
            .method("POST")
            .uri(uri)
            .header("content-length", body.len())
            .body(axum::body::Body::from(body))
            .unwrap();
        app.oneshot(request).await.unwrap()
    };
    // Draining on (the default): the body left unread is drained before the answer, which
    // keeps the connection (tests/drain_bodies.rs: over real sockets).
    let draining = app(CloudErrorLayer::bce());
    let response = send(draining.clone(), "/v1/unknown", "{\"a\":1}").await;
    assert!(!response.headers().contains_key("connection"));
    let response = send(draining, "/v1/eip", "{\"a\":1}").await;
    assert_eq!(response.status(), 413);
    assert!(!response.headers().contains_key("connection"));

    // Draining off: hyper will close, so the answer says so.
    let closing = app(CloudErrorLayer::bce().drain_unread_bodies(0, Duration::ZERO));
    // An unknown route never reads the body.
    let response = send(closing.clone(), "/v1/unknown", "{\"a\":1}").await;
    assert_eq!(response.headers()["connection"], "close");
    // Without a body there is nothing left unread.
    let response = send(closing.clone(), "/v1/unknown", "").await;
    assert!(!response.headers().contains_key("connection"));
    // A handler's own error, the body left unread (tests/connections.rs: the read cases keep
    // the connection).
    let response = send(closing, "/v1/eip", "{\"a\":1}").await;
    assert_eq!(response.status(), 413);
    assert_eq!(response.headers()["connection"], "close");
}

#[tokio::test]
async fn a_handlers_error_response_keeps_retry_after() {
    // A handler (or a rate limiter's error handler) answers a deferred error with Retry-After.
    let service = CloudErrorLayer::tencent().layer(service_fn(|_: Request<()>| async {
        let mut response: Response<Full<Bytes>> =
            CloudError::new(tencent::common::REQUEST_LIMIT_EXCEEDED).into_response();
        response
            .headers_mut()
            .insert("retry-after", http::HeaderValue::from_static("7"));
        Ok::<_, Infallible>(response)
    }));
    let response = service.oneshot(Request::new(())).await.unwrap();
    assert_eq!(response.headers()["retry-after"], "7");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let json: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["Response"]["Error"]["Code"], "RequestLimitExceeded");
}
