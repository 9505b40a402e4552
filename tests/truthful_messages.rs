//! Messages that tell the truth: the limit that fired, a path error called a URI error, a
//! wrong method named, and the text of a replaced bare response kept for the log.
#![cfg(feature = "axum")]

mod support;

use axum::body::Body;
use axum::extract::Path;
use axum::routing::{get, post};
use axum::Router;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde::Deserialize;
use serde_json::Value;
use support::LogCapture;
use tower::ServiceExt;
use tower_cloud_error::{bce, CloudErrorLayer, Validate};
use tower_http::limit::RequestBodyLimitLayer;

#[derive(Debug, Deserialize)]
struct CreateEip {
    #[allow(dead_code)]
    name: String,
}
impl Validate for CreateEip {}

async fn create(bce::Json(_): bce::Json<CreateEip>) -> &'static str {
    "created"
}

async fn number(Path(n): Path<u32>) -> String {
    n.to_string()
}

async fn send(app: Router, request: Request<Body>) -> (StatusCode, String, Value) {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let id = response
        .headers()
        .get("x-bce-request-id")
        .or_else(|| response.headers().get("x-tc-requestid"))
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, id, serde_json::from_slice(&body).unwrap())
}

/// A body of `len` bytes sent in chunks, without `Content-Length`.
fn chunked(len: usize) -> Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..len / 256).map(|_| Ok(vec![b' '; 256])).collect();
    Body::from_stream(tokio_stream_from(chunks))
}

fn tokio_stream_from<T: Unpin>(items: Vec<T>) -> impl futures_core::Stream<Item = T> {
    struct Iter<I>(I);
    impl<I: Iterator + Unpin> futures_core::Stream for Iter<I> {
        type Item = I::Item;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<I::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    Iter(items.into_iter())
}

#[tokio::test]
async fn an_outer_limit_is_not_reported_as_the_extractors() {
    let app = Router::new()
        .route("/v1/eip", post(create))
        .layer(RequestBodyLimitLayer::new(1024))
        .layer(CloudErrorLayer::bce());
    let request = Request::post("/v1/eip")
        .header("content-type", "application/json")
        .body(chunked(4096))
        .unwrap();
    let (status, _, json) = send(app, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json["code"], "InvalidHTTPRequest");
    assert_eq!(
        json["message"],
        "There was an error in the body of your HTTP request: the body is larger than the service accepts."
    );
}

#[tokio::test]
async fn a_path_that_does_not_parse_is_a_uri_error_not_a_body_error() {
    let logs = LogCapture::install();
    let app = Router::new()
        .route("/num/{n}", get(number))
        .layer(CloudErrorLayer::bce());
    let request = Request::get("/num/abc").body(Body::empty()).unwrap();
    let (status, id, json) = send(app, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json["code"], "InvalidURI");
    assert_eq!(json["message"], "Could not parse the specified URI.");
    // The replaced response's text is in the log line, with the request id.
    let lines = logs.lines_with(&id);
    assert!(
        lines.iter().any(|line| line.contains("Invalid URL")),
        "{lines:#?}"
    );

    let app = Router::new()
        .route("/num/{n}", get(number))
        .layer(CloudErrorLayer::tencent());
    let request = Request::get("/num/abc")
        .header("x-tc-language", "en-US")
        .body(Body::empty())
        .unwrap();
    let (status, _, json) = send(app, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["Response"]["Error"]["Code"], "InvalidParameter");
}

#[tokio::test]
async fn a_wrong_method_is_named_in_both_languages() {
    let app = || {
        Router::new()
            .route("/", post(|| async { "ok" }))
            .layer(CloudErrorLayer::tencent())
    };
    for (language, message) in [
        (
            "en-US",
            "The HTTP method GET is not supported by this resource.",
        ),
        ("zh-CN", "该资源不支持 HTTP 方法 GET。"),
    ] {
        let request = Request::get("/")
            .header("x-tc-language", language)
            .body(Body::empty())
            .unwrap();
        let (status, _, json) = send(app(), request).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(json["Response"]["Error"]["Code"], "UnsupportedProtocol");
        assert_eq!(json["Response"]["Error"]["Message"], message);
    }
}
