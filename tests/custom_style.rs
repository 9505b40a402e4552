//! A third convention plugs in through `Style` without touching the layer, with a dialect of
//! its own: it does not pretend to be BCE or Tencent.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderName, HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use serde_json::{json, Value};
use tower::{service_fn, Layer, ServiceExt};
use tower_cloud_error::{
    bce, CloudError, CloudErrorLayer, Code, Condition, Dialect, ErrorReport, Language, Style,
};

/// An Aliyun-like envelope: `{"RequestId","HostId","Code","Message"}`, codes of its own
/// dialect (real statuses), the host id taken from the request.
#[derive(Clone)]
struct HostStyle;

const ALIYUN: Dialect = Dialect::new("aliyun");

const INTERNAL: Code = Code::new(
    ALIYUN,
    "InternalError",
    500,
    "The request processing has failed due to some unknown error.",
    "请求处理失败。",
);
const NO_SUCH_BUCKET: Code = Code::new(
    ALIYUN,
    "NoSuchBucket",
    404,
    "The specified bucket does not exist.",
    "存储空间不存在。",
);
const INVALID_ARGUMENT: Code = Code::new(
    ALIYUN,
    "InvalidArgument",
    400,
    "The argument is invalid.",
    "参数无效。",
);

impl Style for HostStyle {
    type RequestInfo = String;

    fn dialect(&self) -> Dialect {
        ALIYUN
    }

    fn request_id_header(&self) -> &HeaderName {
        static HEADER: HeaderName = HeaderName::from_static("x-acs-request-id");
        &HEADER
    }

    fn internal_error(&self) -> Code {
        INTERNAL
    }

    fn code_for(&self, condition: Condition) -> Code {
        match condition {
            Condition::MalformedJson | Condition::BadRequest => INVALID_ARGUMENT,
            _ => INTERNAL,
        }
    }

    fn request_info<B>(&self, request: &Request<B>) -> String {
        request
            .headers()
            .get("host")
            .and_then(|host| host.to_str().ok())
            .unwrap_or("unknown")
            .to_owned()
    }

    fn render(&self, report: &ErrorReport<'_>, host: &String) -> Response<Bytes> {
        let body = json!({
            "RequestId": report.request_id(),
            "HostId": host,
            "Code": report.code().name(),
            "Message": report.message(Language::EnUs),
        });
        let mut response = Response::new(Bytes::from(body.to_string()));
        *response.status_mut() = report.code().status();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    }
}

async fn send(error: CloudError) -> (StatusCode, String, Value) {
    let service = CloudErrorLayer::new(HostStyle).layer(service_fn(move |_: Request<()>| {
        let error = error.clone();
        async move { Err::<Response<Full<Bytes>>, _>(error) }
    }));
    let request = Request::builder()
        .header("host", "oss.example.com")
        .body(())
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    let status = response.status();
    let id = response.headers()["x-acs-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let json: Value = serde_json::from_slice(&body).unwrap();
    (status, id, json)
}

#[tokio::test]
async fn a_custom_style_renders_with_the_layer_rules() {
    let (status, id, json) = send(CloudError::new(NO_SUCH_BUCKET)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        json,
        json!({
            "RequestId": id,
            "HostId": "oss.example.com",
            "Code": "NoSuchBucket",
            "Message": "The specified bucket does not exist.",
        })
    );

    // The layer's rules hold for any style: internal errors get the style's canonical message.
    let (status, _, json) = send(CloudError::internal().with_message("secret")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(json["Code"], "InternalError");
    assert_eq!(
        json["Message"],
        "The request processing has failed due to some unknown error."
    );
}

#[tokio::test]
async fn one_error_serves_the_third_style_beside_bce() {
    // The same error carries a BCE code and this style's code; each style renders its own.
    let error = CloudError::new(bce::eip::EIP_NOT_FOUND).or_code(NO_SUCH_BUCKET);
    let (status, _, json) = send(error).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json["Code"], "NoSuchBucket");

    // A code of another dialect only is a programming error: this style's InternalError.
    let (status, _, json) = send(CloudError::new(bce::eip::EIP_NOT_FOUND)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(json["Code"], "InternalError");

    // Conditions render under every style through its own `code_for`.
    let (status, _, json) = send(CloudError::from_condition(Condition::MalformedJson)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json["Code"], "InvalidArgument");
}
