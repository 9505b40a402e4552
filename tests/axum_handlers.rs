//! axum integration: handlers return errors, the layer renders them with the request's id.
#![cfg(feature = "axum")]

use axum::body::Body;
use axum::routing::get;
use axum::Router;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use tower_cloud_error::{bce, tencent};
use tower_cloud_error::{CloudError, CloudErrorLayer, CloudRequestId, IntoCloudError};

#[derive(Debug)]
enum RepoError {
    Missing,
    Database(std::io::Error),
}

impl IntoCloudError for RepoError {
    fn into_cloud_error(self) -> CloudError {
        match self {
            RepoError::Missing => CloudError::new(tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO),
            RepoError::Database(e) => CloudError::internal().with_source(e),
        }
    }
}

/// A hand-written handler error: one line of `IntoResponse` (the `derive` feature writes it).
impl axum::response::IntoResponse for RepoError {
    fn into_response(self) -> axum::response::Response {
        self.into_cloud_error().into_response()
    }
}

fn lookup(name: &str) -> Result<&'static str, RepoError> {
    match name {
        "ok" => Ok("found"),
        "db" => Err(RepoError::Database(std::io::Error::other(
            "redis://:hunter2@10.1.2.3 AUTH failed",
        ))),
        _ => Err(RepoError::Missing),
    }
}

async fn repo(
    id: CloudRequestId,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<String, RepoError> {
    let found = lookup(&name)?;
    Ok(format!("{found} {id}"))
}

async fn eip() -> Result<String, CloudError> {
    // `?` turns a `Code` into a `CloudError`.
    Err(bce::eip::PREPAY_EIP)?
}

async fn call(
    app: Router,
    uri: &str,
    language: Option<&str>,
) -> (StatusCode, String, Value, String) {
    let mut request = Request::builder().uri(uri);
    if let Some(language) = language {
        request = request.header("x-tc-language", language);
    }
    let response = app
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let id = response
        .headers()
        .get("x-tc-requestid")
        .or_else(|| response.headers().get("x-bce-request-id"))
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8(body.to_vec()).unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, id, json, text)
}

fn tencent_app() -> Router {
    Router::new()
        .route("/repo/{name}", get(repo))
        .layer(CloudErrorLayer::tencent())
}

#[tokio::test]
async fn the_extractor_sees_the_id_of_the_response_header() {
    let (status, id, _, text) = call(tencent_app(), "/repo/ok", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text, format!("found {id}"));
}

#[tokio::test]
async fn handler_errors_render_in_the_layer_style_and_language() {
    let (status, id, json, _) = call(tencent_app(), "/repo/nope", Some("en-US")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["Response"]["RequestId"], id);
    assert_eq!(
        json["Response"]["Error"]["Code"],
        "ResourceNotFound.ErrNoRepo"
    );
    assert_eq!(
        json["Response"]["Error"]["Message"],
        tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO.message()
    );
}

#[tokio::test]
async fn internal_handler_errors_leak_nothing() {
    let (_, id, json, text) = call(tencent_app(), "/repo/db", None).await;
    assert!(!text.contains("hunter2"), "{text}");
    assert_eq!(json["Response"]["Error"]["Code"], "InternalError");
    assert_eq!(
        json["Response"]["Error"]["Message"],
        tencent::common::INTERNAL_ERROR.message_zh()
    );
    assert_eq!(json["Response"]["RequestId"], id);
}

#[tokio::test]
async fn plain_cloud_error_handlers_work_in_bce_style() {
    let app = Router::new()
        .route("/eip", get(eip))
        .layer(CloudErrorLayer::bce());
    let (status, id, json, _) = call(app, "/eip", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json["code"], "PrepayEip");
    assert_eq!(json["requestId"], id);
}

#[tokio::test]
async fn without_the_layer_the_placeholder_is_a_bare_500_and_the_extractor_fails() {
    let app = Router::new()
        .route("/eip", get(eip))
        .route("/repo/{name}", get(repo));
    let (status, _, _, text) = call(app.clone(), "/eip", None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(text.is_empty());
    let (status, _, _, _) = call(app, "/repo/ok", None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
}
