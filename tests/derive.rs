//! `#[derive(IntoCloudError)]` beside `thiserror::Error`: axum handlers return the domain error,
//! `?` converts `io::Error` and `serde_json::Error` through thiserror's `#[from]`, and the same
//! enum is served under both styles with the exact documented envelopes.
#![cfg(all(feature = "derive", feature = "axum"))]

mod support;

use std::fmt;

use axum::body::{Body, Bytes};
use axum::extract::Path;
use axum::routing::{get, post};
use axum::Router;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use tower_cloud_error::{bce, tencent};
use tower_cloud_error::{CloudError, CloudErrorLayer, Code, IntoCloudError};

/// The service's own codes, with message templates.
const BCE_QUOTA_EXCEEDED: Code = bce::code(
    "Repo.QuotaExceeded",
    409,
    "At most {} repositories are allowed in {}.",
);
const TENCENT_QUOTA_EXCEEDED: Code = tencent::code(
    "LimitExceeded.RepoQuota",
    "最多允许 {} 个仓库（地域：{}）。",
    "At most {} repositories are allowed in {}.",
);

/// Generic struct with a where-clause: per-style codes whose templates take two fields.
#[derive(Debug, thiserror::Error, IntoCloudError)]
#[error("quota of {limit} repositories reached in {region}")]
#[cloud(bce = BCE_QUOTA_EXCEEDED, tencent = TENCENT_QUOTA_EXCEEDED, args(limit, region))]
struct QuotaExceeded<N>
where
    N: fmt::Display + fmt::Debug + Send + Sync + 'static,
{
    limit: N,
    region: String,
}

/// A second domain error, reached through `transparent`.
#[derive(Debug, thiserror::Error, IntoCloudError)]
enum AuthError {
    #[error("token of user {0} lacks repo:write")]
    #[cloud(bce = bce::common::ACCESS_DENIED, tencent = tencent::common::UNAUTHORIZED_OPERATION)]
    Denied(String),
}

#[derive(Debug, thiserror::Error, IntoCloudError)]
enum RepoError {
    /// One code per style.
    #[error("repository {name} not found")]
    #[cloud(bce = bce::eip::EIP_NOT_FOUND, tencent = tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO)]
    NotFound { name: String },

    /// One code whatever the style (a BCE-only service would write `code = ...`); the message is
    /// the variant's Display.
    #[error("repository name {0:?} is reserved")]
    #[cloud(condition = BadRequest, message)]
    Reserved(String),

    /// A template filled from tuple fields.
    #[error("quota")]
    #[cloud(bce = BCE_QUOTA_EXCEEDED, tencent = TENCENT_QUOTA_EXCEEDED, args(1, 0))]
    RegionFull(String, u32),

    #[error(transparent)]
    #[cloud(transparent)]
    Quota(#[from] QuotaExceeded<u32>),

    #[error(transparent)]
    #[cloud(transparent)]
    Auth(#[from] AuthError),

    /// The body is not JSON: each style's own code for the condition.
    #[error("request body is not JSON")]
    #[cloud(condition = MalformedJson)]
    Json(#[from] serde_json::Error),

    /// Storage failed: InternalError, the io::Error only in the logs.
    #[error("storage failed")]
    #[cloud(internal)]
    Storage(#[from] std::io::Error),

    /// Anything else, with anyhow's context: InternalError unless its chain holds a code.
    #[error(transparent)]
    #[cloud(internal)]
    Other(#[from] anyhow::Error),
}

/// Generic enum: `E: IntoCloudError` and `Stage<E>: Error + Send + Sync + 'static` are added by
/// the derive.
#[derive(Debug, thiserror::Error, IntoCloudError)]
enum Stage<E: std::error::Error + 'static> {
    #[error(transparent)]
    #[cloud(transparent)]
    Domain(E),
    #[error("stage {stage} timed out")]
    #[cloud(code = bce::common::INVALID_HTTP_REQUEST, message)]
    Aborted { stage: &'static str },
}

/// A storage layer whose error text holds a secret: it must never reach a client.
fn read_storage() -> std::io::Result<String> {
    Err(std::io::Error::other(
        "redis://:hunter2@10.1.2.3:6379 connection refused",
    ))
}

/// A billing call that refuses with a documented code, wrapped in anyhow's context.
fn bill() -> anyhow::Result<String> {
    let refused: anyhow::Result<String> = Err(CloudError::new(bce::eip::PREPAY_EIP).into());
    anyhow::Context::context(refused, "billing refused eip 100.88.1.1")
}

async fn show(Path(name): Path<String>) -> Result<String, RepoError> {
    match name.as_str() {
        "billed" => Ok(bill()?),
        "storage" => Ok(read_storage()?),
        "admin" => Err(RepoError::Reserved(name)),
        "full" => Err(RepoError::RegionFull("bj".into(), 5)),
        "quota" => Err(QuotaExceeded {
            limit: 10,
            region: "gz".into(),
        })?,
        "locked" => Err(AuthError::Denied("alice".into()))?,
        _ => Err(RepoError::NotFound { name }),
    }
}

async fn create(body: Bytes) -> Result<String, RepoError> {
    let repo: serde_json::Value = serde_json::from_slice(&body)?;
    Ok(repo.to_string())
}

async fn staged(Path(stage): Path<String>) -> Result<String, Stage<RepoError>> {
    match stage.as_str() {
        "fetch" => Err(Stage::Domain(RepoError::NotFound {
            name: "nginx".into(),
        })),
        _ => Err(Stage::Aborted { stage: "push" }),
    }
}

/// Errors wrapping a `CloudError` with a more specific code of their own.
#[derive(Debug, thiserror::Error, IntoCloudError)]
enum Upstream {
    /// A chosen code is final: the wrapped code stays in the logs.
    #[error("upstream rejected the request")]
    #[cloud(code = bce::common::INVALID_HTTP_REQUEST)]
    Rejected(#[source] CloudError),
    /// An internal error is refined from its source chain.
    #[error("upstream failed")]
    #[cloud(internal)]
    Failed(#[source] CloudError),
}

async fn upstream(Path(how): Path<String>) -> Result<String, Upstream> {
    let inner = CloudError::new(bce::eip::EIP_NOT_FOUND);
    match how.as_str() {
        "rejected" => Err(Upstream::Rejected(inner)),
        _ => Err(Upstream::Failed(inner)),
    }
}

async fn release() -> Result<String, CloudError> {
    Err(bce::eip::PREPAY_EIP)?;
    Ok("released".into())
}

fn routes() -> Router {
    Router::new()
        .route("/repos/{name}", get(show))
        .route("/repos", post(create))
        .route("/stages/{stage}", get(staged))
        .route("/release", post(release))
        .route("/upstream/{how}", get(upstream))
}

/// A response as the test reads it: status, content type, request id header, body.
struct Answer {
    status: StatusCode,
    content_type: String,
    id: String,
    body: String,
}

async fn call(app: Router, method: &str, uri: &str, body: &'static str) -> Answer {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::from(body))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let content_type = header("content-type");
    let id = header("x-bce-request-id") + &header("x-tc-requestid");
    assert!(!id.is_empty(), "no request id header on {uri}");
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        content_type,
        id,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

/// Asserts the exact BCE envelope.
async fn assert_bce(
    method: &str,
    uri: &str,
    body: &'static str,
    status: u16,
    code: &str,
    message: &str,
) {
    let app = routes().layer(CloudErrorLayer::bce());
    let answer = call(app, method, uri, body).await;
    assert_eq!(answer.status.as_u16(), status, "{uri}: {}", answer.body);
    assert_eq!(answer.content_type, "application/json; charset=utf-8");
    assert_eq!(
        answer.body,
        format!(
            r#"{{"requestId":"{}","code":"{code}","message":"{message}"}}"#,
            answer.id
        )
    );
}

/// Asserts the exact Tencent envelope (HTTP 200, the default language zh-CN).
async fn assert_tencent(method: &str, uri: &str, body: &'static str, code: &str, message: &str) {
    let app = routes().layer(CloudErrorLayer::tencent());
    let answer = call(app, method, uri, body).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
    assert_eq!(answer.content_type, "application/json");
    assert_eq!(
        answer.body,
        format!(
            r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"{message}"}},"RequestId":"{}"}}}}"#,
            answer.id
        )
    );
}

#[tokio::test]
async fn one_enum_renders_its_own_code_under_each_style() {
    assert_bce(
        "GET",
        "/repos/nginx",
        "",
        404,
        "EipNotFound",
        "The specified eip does not exist.",
    )
    .await;
    assert_tencent(
        "GET",
        "/repos/nginx",
        "",
        "ResourceNotFound.ErrNoRepo",
        "仓库不存在。",
    )
    .await;
}

#[tokio::test]
async fn question_mark_on_io_error_is_internal_error_and_leaks_nothing() {
    assert_bce(
        "GET",
        "/repos/storage",
        "",
        500,
        "InternalError",
        "We encountered an internal error. Please try again.",
    )
    .await;
    assert_tencent("GET", "/repos/storage", "", "InternalError", "内部错误。").await;
}

#[tokio::test]
async fn the_internal_variant_and_its_chain_are_logged_with_the_request_id() {
    let logs = support::LogCapture::install();
    let app = routes().layer(CloudErrorLayer::tencent());
    let answer = call(app, "GET", "/repos/storage", "").await;
    assert!(!answer.body.contains("hunter2"), "{}", answer.body);
    let lines = logs.lines_with(&answer.id);
    assert!(
        lines.iter().any(|line| line.contains("ERROR")
            && line.contains("storage failed")
            && line.contains("redis://:hunter2@10.1.2.3:6379 connection refused")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn question_mark_on_anyhow_finds_the_code_in_the_chain_and_logs_the_context() {
    let logs = support::LogCapture::install();
    let app = routes().layer(CloudErrorLayer::bce());
    let answer = call(app, "GET", "/repos/billed", "").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.body,
        format!(
            r#"{{"requestId":"{}","code":"PrepayEip","message":"The specified eip is prepay"}}"#,
            answer.id
        )
    );
    let lines = logs.lines_with(&answer.id);
    assert!(
        lines
            .iter()
            .any(|line| line.contains("billing refused eip 100.88.1.1")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn question_mark_on_serde_json_error_is_each_styles_json_error() {
    assert_bce(
        "POST",
        "/repos",
        "{\"name\":",
        400,
        "MalformedJSON",
        "The JSON you provided was not well-formed.",
    )
    .await;
    assert_tencent(
        "POST",
        "/repos",
        "{\"name\":",
        "InvalidParameter",
        "参数错误(包括参数格式、类型等错误)。",
    )
    .await;
}

#[tokio::test]
async fn the_success_path_is_untouched() {
    let app = routes().layer(CloudErrorLayer::bce());
    let answer = call(app, "POST", "/repos", r#"{"name":"nginx"}"#).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, r#"{"name":"nginx"}"#);
}

#[tokio::test]
async fn message_is_the_variants_display() {
    assert_bce(
        "GET",
        "/repos/admin",
        "",
        400,
        "InvalidHTTPRequest",
        r#"repository name \"admin\" is reserved"#,
    )
    .await;
    assert_tencent(
        "GET",
        "/repos/admin",
        "",
        "InvalidParameter",
        r#"repository name \"admin\" is reserved"#,
    )
    .await;
}

#[tokio::test]
async fn args_fill_the_template_from_tuple_fields_in_the_order_given() {
    assert_bce(
        "GET",
        "/repos/full",
        "",
        409,
        "Repo.QuotaExceeded",
        "At most 5 repositories are allowed in bj.",
    )
    .await;
    assert_tencent(
        "GET",
        "/repos/full",
        "",
        "LimitExceeded.RepoQuota",
        "最多允许 5 个仓库（地域：bj）。",
    )
    .await;
}

#[tokio::test]
async fn transparent_delegates_to_a_generic_struct_with_named_args() {
    assert_bce(
        "GET",
        "/repos/quota",
        "",
        409,
        "Repo.QuotaExceeded",
        "At most 10 repositories are allowed in gz.",
    )
    .await;
}

#[tokio::test]
async fn transparent_delegates_to_another_derived_enum() {
    assert_bce(
        "GET",
        "/repos/locked",
        "",
        403,
        "AccessDenied",
        "Access denied.",
    )
    .await;
    assert_tencent(
        "GET",
        "/repos/locked",
        "",
        "UnauthorizedOperation",
        "未授权操作。",
    )
    .await;
}

#[tokio::test]
async fn generic_enums_delegate_and_map() {
    assert_bce(
        "GET",
        "/stages/fetch",
        "",
        404,
        "EipNotFound",
        "The specified eip does not exist.",
    )
    .await;
    assert_bce(
        "GET",
        "/stages/push",
        "",
        400,
        "InvalidHTTPRequest",
        "stage push timed out",
    )
    .await;
}

#[tokio::test]
async fn a_code_can_be_returned_with_question_mark_from_a_cloud_error_handler() {
    assert_bce(
        "POST",
        "/release",
        "",
        400,
        "PrepayEip",
        "The specified eip is prepay",
    )
    .await;
}

#[tokio::test]
async fn a_chosen_code_is_final_and_only_internal_is_refined_from_the_source() {
    assert_bce(
        "GET",
        "/upstream/rejected",
        "",
        400,
        "InvalidHTTPRequest",
        "There was an error in the body of your HTTP request.",
    )
    .await;
    assert_bce(
        "GET",
        "/upstream/failed",
        "",
        404,
        "EipNotFound",
        "The specified eip does not exist.",
    )
    .await;
}

#[test]
fn the_value_is_kept_as_the_source_for_the_logs() {
    let err = RepoError::Storage(read_storage().unwrap_err()).into_cloud_error();
    assert!(err.is_internal());
    let kept = std::error::Error::source(&err).expect("the variant is the source");
    assert_eq!(kept.to_string(), "storage failed");
    let chain = kept.source().expect("thiserror's #[from] field is next");
    assert!(chain.to_string().contains("hunter2"), "{chain}");
    // The rendered text holds none of it.
    assert_eq!(err.to_string(), "internal error");

    let err = RepoError::NotFound {
        name: "nginx".into(),
    }
    .into_cloud_error();
    assert_eq!(err.code(), Some(&bce::eip::EIP_NOT_FOUND));
    assert_eq!(
        std::error::Error::source(&err).unwrap().to_string(),
        "repository nginx not found"
    );
}

#[test]
fn transparent_adds_no_source_of_its_own() {
    let err = RepoError::Auth(AuthError::Denied("alice".into())).into_cloud_error();
    assert_eq!(err.code(), Some(&bce::common::ACCESS_DENIED));
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(source.to_string(), "token of user alice lacks repo:write");
    assert!(source.source().is_none());
}

/// No variants: the derive still compiles (`match self {}`).
#[derive(Debug, thiserror::Error, IntoCloudError)]
enum Never {}

/// A unit struct with one code.
#[derive(Debug, thiserror::Error, IntoCloudError)]
#[error("eip released already")]
#[cloud(code = bce::eip::EIP_NOT_FOUND)]
struct Released;

/// A generic transparent struct.
#[derive(Debug, thiserror::Error, IntoCloudError)]
#[error(transparent)]
#[cloud(transparent)]
struct Traced<E: std::error::Error + 'static>(E);

const REPO_MISSING: Code = bce::code("Repo.Missing", 404, "{} in {} ({}).");

/// A lifetime, and a field used twice in `args`.
#[derive(Debug, thiserror::Error, IntoCloudError)]
#[error("{region}/{name}")]
#[cloud(code = REPO_MISSING, args(name, region, name))]
struct Borrowed<'a> {
    region: &'static str,
    name: &'a str,
}

/// A condition by its full path.
#[derive(Debug, thiserror::Error, IntoCloudError)]
#[error("lost")]
#[cloud(condition = tower_cloud_error::Condition::NotFound)]
struct Lost;

#[test]
fn structs_lifetimes_and_empty_enums_derive_too() {
    fn never(error: Never) -> CloudError {
        error.into_cloud_error()
    }
    let _ = never;
    assert_eq!(
        Traced(Released).into_cloud_error().code(),
        Some(&bce::eip::EIP_NOT_FOUND)
    );
    let err = Borrowed {
        region: "bj",
        name: "nginx",
    }
    .into_cloud_error();
    assert_eq!(
        err.message(tower_cloud_error::Language::EnUs),
        "nginx in bj (nginx)."
    );
    assert_eq!(
        Lost.into_cloud_error().condition(),
        Some(tower_cloud_error::Condition::NotFound)
    );
}
