//! A third convention, written here and nowhere in the crate: its `Style` renders through the
//! layer, its `Convention` checks the result with the crate's `Checker`, and neither pretends to
//! be BCE or Tencent. Plus: foreign codes are an explicit option, not a built-in pair.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use serde_json::{json, Value};
use tower::{service_fn, Layer, ServiceExt};
use tower_cloud_error::conformance::{
    BceConformance, Checker, Convention, Inspection, TencentConformance, Violation,
};
use tower_cloud_error::{
    bce, CloudError, CloudErrorLayer, Code, Dialect, ErrorReport, Language, Style,
};

/// An Aliyun-like convention: `{"RequestId","HostId","Code","Message"}` with the code's status,
/// the id in `x-acs-request-id`, the host id taken from the request.
const ACS: Dialect = Dialect::new("acs");

const INTERNAL: Code = Code::new(
    ACS,
    "InternalError",
    500,
    "The request processing has failed due to some unknown error.",
    "请求处理因未知错误失败。",
);
const NO_SUCH_BUCKET: Code = Code::new(
    ACS,
    "NoSuchBucket",
    404,
    "The specified bucket does not exist.",
    "指定的存储空间不存在。",
);
const ACCESS_DENIED: Code = Code::new(
    ACS,
    "AccessDenied",
    403,
    "You have no right to access this object.",
    "您无权访问此对象。",
);

/// The convention's one code table.
const ACS_CODES: &[Code] = &[INTERNAL, NO_SUCH_BUCKET, ACCESS_DENIED];

static ACS_REQUEST_ID: HeaderName = HeaderName::from_static("x-acs-request-id");

#[derive(Clone)]
struct AcsStyle;

impl Style for AcsStyle {
    type RequestInfo = String;

    fn dialect(&self) -> Dialect {
        ACS
    }

    fn request_id_header(&self) -> &HeaderName {
        &ACS_REQUEST_ID
    }

    fn internal_error(&self) -> Code {
        INTERNAL
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

/// The conformance rules of the convention above.
#[derive(Debug)]
struct AcsConformance;

impl Convention for AcsConformance {
    fn dialect(&self) -> Dialect {
        ACS
    }

    fn name(&self) -> &'static str {
        "ACS"
    }

    fn request_id_header(&self) -> &'static HeaderName {
        &ACS_REQUEST_ID
    }

    fn catalogs(&self) -> &'static [&'static [Code]] {
        &[ACS_CODES]
    }

    fn is_valid_code_name(&self, code: &str) -> bool {
        code.split('.').all(|segment| {
            segment.starts_with(|c: char| c.is_ascii_uppercase())
                && segment.chars().all(|c| c.is_ascii_alphanumeric())
        })
    }

    fn code_name_syntax(&self) -> &'static str {
        "an ACS code name: CamelCase segments joined by dots"
    }

    fn check_envelope(&self, inspection: &mut Inspection<'_>) {
        if !inspection.status().is_client_error() && !inspection.status().is_server_error() {
            return;
        }
        inspection.check_content_type("application/json");
        inspection.check_content_encoding();
        if inspection.is_head() {
            return;
        }
        let body: Value = match serde_json::from_slice(inspection.body()) {
            Ok(body) => body,
            Err(error) => {
                inspection.report(Violation::BodyNotJson {
                    error: error.to_string(),
                });
                return;
            }
        };
        let text = |key: &str| body.get(key).and_then(Value::as_str);
        for key in ["RequestId", "HostId", "Code", "Message"] {
            if body.get(key).is_none() {
                inspection.report(Violation::Custom {
                    rule: "acs-envelope",
                    detail: format!("key `{key}` is missing"),
                });
            }
        }
        if let Some(id) = text("RequestId") {
            inspection.check_body_request_id(id);
        }
        if text("HostId") == Some("") {
            inspection.report(Violation::Custom {
                rule: "acs-host-id",
                detail: "`HostId` is empty, expected the host the request was sent to".into(),
            });
        }
        if let Some(code) = text("Code") {
            let status = inspection.status();
            inspection.check_code(code, Some(status), text("Message"));
        }
    }
}

/// `error` rendered by the layer in the ACS style, its body collected.
async fn rendered(method: Method, error: CloudError) -> Response<Bytes> {
    let service = CloudErrorLayer::new(AcsStyle).layer(service_fn(move |_: Request<()>| {
        let error = error.clone();
        async move { Err::<Response<Full<Bytes>>, _>(error) }
    }));
    let request = Request::builder()
        .method(method)
        .header("host", "oss.example.com")
        .body(())
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    Response::from_parts(parts, body.collect().await.unwrap().to_bytes())
}

/// An ACS error built by hand.
fn acs_error(status: u16, body: Value) -> Response<Bytes> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-acs-request-id", "id-1")
        .body(Bytes::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn the_layer_output_of_a_third_style_conforms_to_its_own_convention() {
    let checker = Checker::new(AcsConformance).require_known_codes(true);
    for error in [
        CloudError::new(NO_SUCH_BUCKET),
        CloudError::new(ACCESS_DENIED).with_message("Bucket `logs` is private."),
        CloudError::internal(),
    ] {
        for method in [Method::GET, Method::HEAD] {
            let response = rendered(method.clone(), error.clone()).await;
            checker.assert_conforms(&method, &response);
        }
    }
    // The same response breaks the built-in conventions: it is nobody's impersonation.
    let response = rendered(Method::GET, CloudError::new(NO_SUCH_BUCKET)).await;
    assert_eq!(
        Checker::new(AcsConformance).dialect(),
        ACS,
        "the checker reports the convention's own dialect"
    );
    assert!(Checker::new(BceConformance)
        .check(&Method::GET, &response)
        .is_err());
    assert!(Checker::new(TencentConformance)
        .check(&Method::GET, &response)
        .is_err());
}

#[test]
fn the_shared_rules_apply_to_a_third_convention() {
    let checker = Checker::new(AcsConformance).require_known_codes(true);
    let good = json!({
        "RequestId": "id-1",
        "HostId": "oss.example.com",
        "Code": "NoSuchBucket",
        "Message": "The specified bucket does not exist.",
    });
    assert_eq!(
        checker.check(&Method::GET, &acs_error(404, good.clone())),
        Ok(())
    );

    // The catalog's status.
    assert_eq!(
        checker.check(&Method::GET, &acs_error(400, good.clone())),
        Err(vec![Violation::StatusMismatch {
            code: "NoSuchBucket".into(),
            documented: vec![StatusCode::NOT_FOUND],
            actual: StatusCode::BAD_REQUEST,
        }])
    );

    // The convention's name syntax, known codes, canonical internal messages.
    let mut body = good.clone();
    body["Code"] = json!("no_such_bucket");
    assert_eq!(
        checker.check(&Method::GET, &acs_error(404, body)),
        Err(vec![
            Violation::InvalidCodeName {
                code: "no_such_bucket".into(),
                dialect: ACS,
                syntax: "an ACS code name: CamelCase segments joined by dots",
            },
            Violation::UnknownCode {
                code: "no_such_bucket".into()
            },
        ])
    );
    let mut body = good.clone();
    body["Code"] = json!("InternalError");
    body["Message"] = json!("connection to db-3 refused");
    assert_eq!(
        checker.check(&Method::GET, &acs_error(500, body)),
        Err(vec![Violation::InternalErrorMessageNotCanonical {
            code: "InternalError".into(),
            actual: "connection to db-3 refused".into(),
            expected: vec![INTERNAL.message()],
        }])
    );

    // The request-id header and the body's id.
    let mut body = good.clone();
    body["RequestId"] = json!("id-2");
    let mut response = acs_error(404, body);
    response.headers_mut().remove("x-acs-request-id");
    assert_eq!(
        checker.check(&Method::GET, &response),
        Err(vec![Violation::MissingRequestIdHeader {
            header: "x-acs-request-id"
        }])
    );
    response
        .headers_mut()
        .insert("x-acs-request-id", HeaderValue::from_static("id-1"));
    assert_eq!(
        checker.check(&Method::GET, &response),
        Err(vec![Violation::RequestIdMismatch {
            header: "id-1".into(),
            body: "id-2".into(),
        }])
    );

    // The convention's own rule, reported through `Violation::Custom`.
    let mut body = good;
    body["HostId"] = json!("");
    let violations = checker
        .check(&Method::GET, &acs_error(404, body))
        .unwrap_err();
    assert!(
        matches!(
            &violations[..],
            [Violation::Custom {
                rule: "acs-host-id",
                ..
            }]
        ),
        "{violations:?}"
    );
    assert!(violations[0].to_string().contains("(rule `acs-host-id`)"));
}

#[test]
fn messages_follow_the_language_only_where_the_convention_says_so() {
    // ACS does not follow `X-TC-Language`: a Chinese default message is no canonical internal
    // message, whatever language the checker expects.
    let body = json!({
        "RequestId": "id-1",
        "HostId": "oss.example.com",
        "Code": "InternalError",
        "Message": INTERNAL.message_zh(),
    });
    let checker = Checker::new(AcsConformance).expect_language(Language::ZhCn);
    assert!(matches!(
        &checker
            .check(&Method::GET, &acs_error(500, body))
            .unwrap_err()[..],
        [Violation::InternalErrorMessageNotCanonical { .. }]
    ));
}

#[test]
fn foreign_codes_are_an_explicit_option() {
    let body = json!({
        "RequestId": "id-1",
        "HostId": "oss.example.com",
        "Code": "EipNotFound",
        "Message": "m",
    });
    let response = acs_error(404, body);
    // A checker knows no convention but its own.
    assert_eq!(
        Checker::new(AcsConformance).check(&Method::GET, &response),
        Ok(())
    );
    let expected = Err(vec![Violation::CodeOfOtherDialect {
        code: "EipNotFound".into(),
        dialect: bce::DIALECT,
    }]);
    assert_eq!(
        Checker::new(AcsConformance)
            .with_foreign_codes(bce::eip::ALL)
            .check(&Method::GET, &response),
        expected
    );
    assert_eq!(
        Checker::new(AcsConformance)
            .with_foreign_convention(&BceConformance)
            .with_foreign_convention(&TencentConformance)
            .check(&Method::GET, &response),
        expected
    );
    // The checker's own codes are never foreign, whoever else declares the name.
    assert_eq!(
        Checker::new(AcsConformance)
            .with_foreign_codes(&[bce::code("NoSuchBucket", 404, "m")])
            .check(
                &Method::GET,
                &acs_error(
                    404,
                    json!({"RequestId": "id-1", "HostId": "h", "Code": "NoSuchBucket", "Message": "m"}),
                ),
            ),
        Ok(())
    );

    // And the other way round: the third convention's codes are foreign to a BCE checker.
    let response = Response::builder()
        .status(404)
        .header("content-type", "application/json; charset=utf-8")
        .header("x-bce-request-id", "id-1")
        .body(Bytes::from(
            r#"{"requestId":"id-1","code":"NoSuchBucket","message":"m"}"#,
        ))
        .unwrap();
    assert_eq!(
        Checker::new(BceConformance).check(&Method::GET, &response),
        Ok(())
    );
    assert_eq!(
        Checker::new(BceConformance)
            .with_foreign_convention(&AcsConformance)
            .check(&Method::GET, &response),
        Err(vec![Violation::CodeOfOtherDialect {
            code: "NoSuchBucket".into(),
            dialect: ACS,
        }])
    );
}

#[test]
fn a_checker_names_its_convention() {
    let checker = Checker::new(AcsConformance);
    assert_eq!(checker.convention().name(), "ACS");
    assert!(format!("{checker:?}").contains("AcsConformance"));
    let bare = Response::builder().status(404).body(Bytes::new()).unwrap();
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        checker.assert_conforms(&Method::GET, &bare)
    }))
    .unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(message.contains("breaks the ACS convention"), "{message}");
}
