//! A header that is present but unreadable (`\xff\xfe`, `中`: bytes that are not visible
//! ASCII) is invalid, never absent: through the layer's BCE and Tencent checks, and through
//! both signature verifiers.

use std::convert::Infallible;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderValue, Request, Response};
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use tower::{service_fn, Layer, ServiceExt};
use tower_cloud_error::bce::{self, Bce, Checks as BceChecks};
use tower_cloud_error::tencent::{self, Checks as TencentChecks, Tencent};
use tower_cloud_error::{CloudErrorLayer, Code, Style};

/// The unreadable values: not UTF-8, and UTF-8 that is not ASCII.
const UNREADABLE: [&[u8]; 2] = [b"\xff\xfe", "中".as_bytes()];

fn header(bytes: &[u8]) -> HeaderValue {
    HeaderValue::from_bytes(bytes).unwrap()
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The answer of the layer with `style` around a service that always succeeds with `{}`.
async fn answer<St: Style>(style: St, request: Request<()>) -> Value {
    let service = CloudErrorLayer::new(style).layer(service_fn(|_: Request<()>| async {
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(b"{}"))))
    }));
    let response = service.oneshot(request).await.unwrap();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&body).unwrap()
}

#[tokio::test]
async fn bce_unreadable_dates_are_request_expired_not_skipped() {
    let style = || Bce::new().checks(BceChecks::new(&[1]));
    for name in ["x-bce-date", "date"] {
        for bytes in UNREADABLE {
            let request = Request::builder()
                .uri("/v1/eip")
                .header(name, header(bytes))
                .body(())
                .unwrap();
            let json = answer(style(), request).await;
            assert_eq!(json["code"], "RequestExpired", "{name}: {bytes:?}: {json}");
            let quoted = String::from_utf8_lossy(bytes);
            assert_eq!(
                json["message"],
                format!("Request has expired. Timestamp date is {quoted}."),
                "{name}"
            );
        }
    }
    // Control: no date at all still passes (signing is the verifier's business).
    let request = Request::builder().uri("/v1/eip").body(()).unwrap();
    assert_eq!(answer(style(), request).await, serde_json::json!({}));
}

#[tokio::test]
async fn tencent_unreadable_headers_are_invalid_parameter_naming_the_header() {
    let now = unix_now().to_string();
    let valid = [
        ("X-TC-Timestamp", now.as_bytes()),
        ("X-TC-Action", b"CreateRepository".as_slice()),
        ("X-TC-Version", b"2019-09-24".as_slice()),
    ];
    for (index, (label, _)) in valid.iter().enumerate() {
        for bytes in UNREADABLE {
            let mut request = Request::builder()
                .method("POST")
                .uri("/")
                .header("x-tc-language", "en-US");
            for (i, (name, value)) in valid.iter().enumerate() {
                let value = if i == index { bytes } else { value };
                request = request.header(*name, header(value));
            }
            let style = Tencent::new().checks(TencentChecks::new(&["2019-09-24"]));
            let json = answer(style, request.body(()).unwrap()).await;
            let error = &json["Response"]["Error"];
            assert_eq!(
                error["Code"], "InvalidParameter",
                "{label}: {bytes:?}: {json}"
            );
            let message = error["Message"].as_str().unwrap();
            assert!(message.contains(&format!("`{label}`")), "{message}");
        }
    }
}

type Inner = fn(Request<Full<Bytes>>) -> std::future::Ready<Result<Response<()>, Infallible>>;

/// The code the BCE verifier rejects `request` with (`None` if it let it through).
async fn bce_rejection(request: Request<Full<Bytes>>) -> Option<Code> {
    let store = bce::InMemoryCredentials::new().with(bce::Credential::new("ak", "sk"));
    let inner: Inner = |_| std::future::ready(Ok(Response::new(())));
    match bce::SignatureLayer::new(store)
        .layer(service_fn(inner))
        .oneshot(request)
        .await
    {
        Ok(_) => None,
        Err(bce::SignatureError::Rejected(error)) => error.code().copied(),
        Err(bce::SignatureError::Inner(never)) => match never {},
    }
}

/// The code the TC3 verifier rejects `request` with (`None` if it let it through).
async fn tc3_rejection(request: Request<Full<Bytes>>) -> Option<Code> {
    let store = tencent::InMemoryCredentials::new().with(tencent::Credential::new("AKID", "sk"));
    let clock = tencent::ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_764_547_200));
    let inner: Inner = |_| std::future::ready(Ok(Response::new(())));
    match tencent::SignatureLayer::new(store)
        .clock(clock)
        .layer(service_fn(inner))
        .oneshot(request)
        .await
    {
        Ok(_) => None,
        Err(tencent::SignatureError::Rejected(error)) => error.code().copied(),
        Err(tencent::SignatureError::Inner(never)) => match never {},
    }
}

#[tokio::test]
async fn verifiers_answer_the_malformed_header_code_for_unreadable_headers() {
    for bytes in UNREADABLE {
        // BCE: an unreadable Authorization is malformed, not missing (AccessDenied).
        let request = Request::post("/v1/eip")
            .header("authorization", header(bytes))
            .body(Full::default())
            .unwrap();
        assert_eq!(
            bce_rejection(request).await,
            Some(bce::common::INVALID_HTTP_AUTH_HEADER),
            "{bytes:?}"
        );

        // TC3: an unreadable Authorization is an invalid one.
        let request = Request::post("/")
            .header("authorization", header(bytes))
            .header("x-tc-timestamp", "1764547200")
            .body(Full::default())
            .unwrap();
        assert_eq!(
            tc3_rejection(request).await,
            Some(tencent::common::AUTH_FAILURE_INVALID_AUTHORIZATION),
            "{bytes:?}"
        );

        // TC3: a well-formed Authorization with an unreadable X-TC-Timestamp is
        // InvalidParameter, not MissingParameter.
        let request = Request::post("/")
            .header(
                "authorization",
                "TC3-HMAC-SHA256 Credential=AKID/2025-12-01/tcr/tc3_request, \
                 SignedHeaders=content-type;host, Signature=\
                 0000000000000000000000000000000000000000000000000000000000000000",
            )
            .header("content-type", "application/json")
            .header("host", "tcr.tencentcloudapi.com")
            .header("x-tc-timestamp", header(bytes))
            .body(Full::default())
            .unwrap();
        assert_eq!(
            tc3_rejection(request).await,
            Some(tencent::common::INVALID_PARAMETER),
            "{bytes:?}"
        );
    }
}
