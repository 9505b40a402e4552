//! Known vectors: requests signed by the official SDKs (bce-python-sdk 0.9.79
//! `bce_v1_signer.sign`, tencentcloud-sdk-python-common 3.1.195 `_build_req_with_tc3_signature`
//! with `time.time` fixed at 1764547200.5; `@baiducloud/sdk` 1.0.7 `Auth.generateAuthorization`
//! with its `HttpClient.buildQueryString` for the wire query; tencentcloud-sdk-nodejs-common
//! 4.1.220 `Sign.sign3`), recorded verbatim, verified by the layers; and the same requests
//! tampered with, rejected with the documented codes.

use std::convert::Infallible;
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use tower::{service_fn, Layer, ServiceExt};

use super::{
    bce, tencent, Credential, InMemoryCredentials, ManualClock, Principal, SignatureError,
};
use crate::catalog::{bce::common as bce_codes, tencent::common as tc_codes};
use crate::code::Code;

/// 2025-12-01T00:00:00Z, the SDKs' signing time.
const SIGNED_AT: u64 = 1_764_547_200;

fn clock(offset: i64) -> ManualClock {
    ManualClock::new(UNIX_EPOCH + Duration::from_secs(SIGNED_AT.saturating_add_signed(offset)))
}

fn request(method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> Request<Full<Bytes>> {
    let mut builder = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(Full::new(Bytes::from(body.to_owned())))
        .unwrap()
}

async fn echo_principal(
    request: Request<Full<Bytes>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let principal = request
        .extensions()
        .get::<Principal>()
        .expect("verified requests carry their principal");
    Ok(Response::new(Full::new(Bytes::from(
        principal.access_key_id().to_owned(),
    ))))
}

type Inner = fn(Request<Full<Bytes>>) -> BoxedResponse;
type BoxedResponse = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<Response<Full<Bytes>>, Infallible>> + Send>,
>;

/// The access key the layer accepted, or the code it rejected with.
async fn outcome<L>(layer: L, request: Request<Full<Bytes>>) -> Result<String, Code>
where
    L: Layer<tower::util::ServiceFn<Inner>>,
    L::Service: tower::Service<
        Request<Full<Bytes>>,
        Response = Response<Full<Bytes>>,
        Error = SignatureError<Infallible>,
    >,
{
    let inner: Inner = |request| Box::pin(echo_principal(request));
    match layer.layer(service_fn(inner)).oneshot(request).await {
        Ok(response) => {
            let body = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            Ok(String::from_utf8(body.to_vec()).unwrap())
        }
        Err(SignatureError::Rejected(error)) => Err(*error.code().expect("a documented code")),
        Err(SignatureError::Inner(never)) => match never {},
    }
}

fn bce_store() -> InMemoryCredentials {
    InMemoryCredentials::new().with(Credential::new("AKIDbce0001", "bce-secret-0001"))
}

fn bce_layer(offset: i64) -> bce::SignatureLayer<InMemoryCredentials> {
    bce::SignatureLayer::new(bce_store()).clock(clock(offset))
}

const BCE_PUT_AUTH: &str = "bce-auth-v1/AKIDbce0001/2025-12-01T00:00:00Z/1800//f0d7b5c7af511b0db523f26cbb95a16aa3d5819e87fc91a8364e50e24e7c1973";
const BCE_PUT_HEADERS: [(&str, &str); 4] = [
    ("host", "127.0.0.1:8080"),
    ("content-type", "application/json; charset=utf-8"),
    ("content-length", "27"),
    ("x-bce-date", "2025-12-01T00:00:01Z"),
];

fn bce_put(uri: &str, authorization: &str, extra: &[(&str, &str)]) -> Request<Full<Bytes>> {
    let mut headers = BCE_PUT_HEADERS.to_vec();
    headers.push(("authorization", authorization));
    headers.extend_from_slice(extra);
    request("PUT", uri, &headers, "{\"eip\":\"1.2.3.4\",\"x\":\"y\"}")
}

#[tokio::test]
async fn bce_python_sdk_vectors_verify() {
    // Default signed headers, `bind=` from a `None` parameter, x-bce-date a second after the
    // auth timestamp (two clock reads in the SDK).
    let signed = bce_put("/v1/eip/1.2.3.4?bind=", BCE_PUT_AUTH, &[]);
    assert_eq!(
        outcome(bce_layer(5), signed).await.as_deref(),
        Ok("AKIDbce0001")
    );
    // curl-style `?bind` (no `=`) has the same canonical query.
    let bare = bce_put("/v1/eip/1.2.3.4?bind", BCE_PUT_AUTH, &[]);
    assert_eq!(
        outcome(bce_layer(5), bare).await.as_deref(),
        Ok("AKIDbce0001")
    );

    // Query values the SDK escapes, an empty value, an x-bce header with spaces to trim; the
    // query sent in another order, with the Node SDK's lowercase escapes of `~` and `*`.
    let get = request(
        "GET",
        "/v1/eip?status=available&maxKeys=10&marker=a%20b%7e%2a%21%27%28%29&empty=",
        &[
            ("host", "eip.bj.baidubce.com"),
            ("content-length", "0"),
            ("x-bce-date", "2025-12-01T00:00:00Z"),
            ("x-bce-request-id", "  spaced value  "),
            ("authorization", "bce-auth-v1/AKIDbce0001/2025-12-01T00:00:00Z/1800//7c41ca5f2dfa5b010069d0698e4a01aafd23d5b2b40b52a3d16e221784e2bb24"),
        ],
        "",
    );
    assert_eq!(
        outcome(bce_layer(0), get).await.as_deref(),
        Ok("AKIDbce0001")
    );

    // An explicit signed-header list (an absent x-bce-date in it), x-bce-* headers signed
    // although unlisted, an already-encoded path.
    let listed = request(
        "POST",
        "/v1/eip/%E4%B8%AD/x",
        &[
            ("host", "h"),
            ("content-type", "application/json"),
            ("x-bce-meta", "M"),
            ("authorization", "bce-auth-v1/AKIDbce0001/2025-12-01T00:00:00Z/1800/host;x-bce-date/71ebc2129e2586765065b0cbd0d2a832be1732d73753ba6a78c71196eef39b81"),
        ],
        "",
    );
    assert_eq!(
        outcome(bce_layer(0), listed).await.as_deref(),
        Ok("AKIDbce0001")
    );
}

#[tokio::test]
async fn bce_node_sdk_vector_verifies() {
    // The Node SDK lists its signed headers (sorted, with every x-bce-*), signs `content-length`
    // as the number 0, and escapes `~ * ! ' ( ) - . _` as lowercase `%xx` on the wire while
    // signing them bare or uppercase.
    let store =
        InMemoryCredentials::new().with(Credential::new("AKIDnode0001", "node-secret-0001"));
    let layer = bce::SignatureLayer::new(store).clock(clock(0));
    let get = request(
        "GET",
        "/v1/eip?marker=a%20b%7e%2a%21%27%28%29%2d%2e%5f&maxKeys=10&bind=",
        &[
            ("host", "127.0.0.1:8080"),
            ("content-type", "application/json; charset=UTF-8"),
            ("x-bce-date", "2025-12-01T00:00:00Z"),
            ("content-length", "0"),
            ("authorization", "bce-auth-v1/AKIDnode0001/2025-12-01T00:00:00Z/1800/content-length;content-type;host;x-bce-date/a872b0924f8babde1bc49406c46f38a4798a79e903971975237def81d5dc2a58"),
        ],
        "",
    );
    assert_eq!(outcome(layer, get).await.as_deref(), Ok("AKIDnode0001"));
}

#[tokio::test]
async fn bce_presigned_urls_verify_until_they_expire() {
    // bos_client.py `generate_pre_signed_url(b"bucket", b"dir/my object.txt",
    // timestamp=1764547200, expiration_in_seconds=3600)` at endpoint 127.0.0.1:8080.
    let presigned = || {
        request(
            "GET",
            "/bucket/dir/my%20object.txt?authorization=bce-auth-v1%2FAKIDbce0001%2F2025-12-01T00%3A00%3A00Z%2F3600%2F%2F760b26f1efacc0b1b9836c7450f88ad61eebd6168a3791f5eee2f91d6526e818",
            &[("host", "127.0.0.1:8080")],
            "",
        )
    };
    // Used 50 minutes after signing: beyond the 30-minute window, within its expiration.
    assert_eq!(
        outcome(bce_layer(3000), presigned()).await.as_deref(),
        Ok("AKIDbce0001")
    );
    assert_eq!(
        outcome(bce_layer(3601), presigned()).await,
        Err(bce_codes::REQUEST_EXPIRED)
    );
    assert_eq!(
        outcome(bce_layer(-1801), presigned()).await,
        Err(bce_codes::REQUEST_EXPIRED)
    );
    let mut other_object = presigned();
    *other_object.uri_mut() = other_object
        .uri()
        .to_string()
        .replace("my%20", "your%20")
        .parse()
        .unwrap();
    assert_eq!(
        outcome(bce_layer(0), other_object).await,
        Err(bce_codes::SIGNATURE_DOES_NOT_MATCH)
    );
}

#[tokio::test]
async fn bce_failures_answer_their_documented_codes() {
    let cases: Vec<(Request<Full<Bytes>>, i64, Code)> = vec![
        (
            request("GET", "/v1/eip", &[("host", "h")], ""),
            0,
            bce_codes::ACCESS_DENIED,
        ),
        (
            bce_put(
                "/v1/eip/1.2.3.4?bind=",
                "bce-auth-v1/AKIDbce0001/now/1800//00",
                &[],
            ),
            0,
            bce_codes::INVALID_HTTP_AUTH_HEADER,
        ),
        (
            bce_put("/v1/eip/1.2.3.4?bind=", "Bearer x", &[]),
            0,
            bce_codes::INVALID_HTTP_AUTH_HEADER,
        ),
        (
            bce_put(
                "/v1/eip/1.2.3.4?bind=",
                &BCE_PUT_AUTH.replace("AKIDbce0001", "AKIDunknown"),
                &[],
            ),
            0,
            bce_codes::INVALID_ACCESS_KEY_ID,
        ),
        // Tampered after signing: the query, the path, a signed header, the method.
        (
            bce_put("/v1/eip/1.2.3.4?unbind=", BCE_PUT_AUTH, &[]),
            0,
            bce_codes::SIGNATURE_DOES_NOT_MATCH,
        ),
        (
            bce_put("/v1/eip/1.2.3.5?bind=", BCE_PUT_AUTH, &[]),
            0,
            bce_codes::SIGNATURE_DOES_NOT_MATCH,
        ),
        (
            bce_put(
                "/v1/eip/1.2.3.4?bind=",
                BCE_PUT_AUTH,
                &[("x-bce-added", "1")],
            ),
            0,
            bce_codes::SIGNATURE_DOES_NOT_MATCH,
        ),
        // Expired: past timestamp + expiration, and skew beyond the window either way.
        (
            bce_put("/v1/eip/1.2.3.4?bind=", BCE_PUT_AUTH, &[]),
            1801,
            bce_codes::REQUEST_EXPIRED,
        ),
        (
            bce_put("/v1/eip/1.2.3.4?bind=", BCE_PUT_AUTH, &[]),
            -1801,
            bce_codes::REQUEST_EXPIRED,
        ),
    ];
    for (index, (request, offset, code)) in cases.into_iter().enumerate() {
        assert_eq!(
            outcome(bce_layer(offset), request).await,
            Err(code),
            "case {index}"
        );
    }
}

#[tokio::test]
async fn bce_session_tokens_must_match_the_store() {
    let temporary = InMemoryCredentials::new()
        .with(Credential::new("AKIDbce0001", "bce-secret-0001").with_session_token("sts-token"));
    let layer = || bce::SignatureLayer::new(temporary.clone()).clock(clock(0));
    let without = bce_put("/v1/eip/1.2.3.4?bind=", BCE_PUT_AUTH, &[]);
    assert_eq!(
        outcome(layer(), without).await,
        Err(bce_codes::ACCESS_DENIED)
    );
    let wrong = bce_put(
        "/v1/eip/1.2.3.4?bind=",
        BCE_PUT_AUTH,
        &[("x-bce-security-token", "other")],
    );
    assert_eq!(outcome(layer(), wrong).await, Err(bce_codes::ACCESS_DENIED));
    // The right token passes the token check; the token header is an x-bce-* header, which
    // this vector did not sign.
    let right = bce_put(
        "/v1/eip/1.2.3.4?bind=",
        BCE_PUT_AUTH,
        &[("x-bce-security-token", "sts-token")],
    );
    assert_eq!(
        outcome(layer(), right).await,
        Err(bce_codes::SIGNATURE_DOES_NOT_MATCH)
    );
}

#[tokio::test]
async fn request_expired_quotes_the_request_date() {
    let layer = bce_layer(3600);
    let inner = service_fn(echo_principal);
    let error = match layer
        .layer(inner)
        .oneshot(bce_put("/v1/eip/1.2.3.4?bind=", BCE_PUT_AUTH, &[]))
        .await
    {
        Err(SignatureError::Rejected(error)) => error,
        other => panic!("expected a rejection, got {:?}", other.map(|_| ())),
    };
    assert_eq!(
        error.message(crate::language::Language::EnUs),
        "Request has expired. Timestamp date is 2025-12-01T00:00:01Z."
    );
}

fn tc_layer(offset: i64) -> tencent::SignatureLayer<InMemoryCredentials> {
    let store = InMemoryCredentials::new().with(Credential::new("AKIDtc0001", "tc-secret-0001"));
    tencent::SignatureLayer::new(store).clock(clock(offset))
}

fn tc_request(
    method: &str,
    uri: &str,
    host: &str,
    content_type: &str,
    extra: &[(&str, &str)],
    authorization: &str,
    body: &str,
) -> Request<Full<Bytes>> {
    let mut headers = vec![
        ("content-type", content_type),
        ("host", host),
        ("x-tc-action", "DescribeInstances"),
        ("x-tc-requestclient", "SDK_PYTHON_3.1.189"),
        ("x-tc-timestamp", "1764547200"),
        ("x-tc-version", "2019-09-24"),
        ("x-tc-region", "ap-guangzhou"),
        ("x-tc-language", "zh-CN"),
        ("authorization", authorization),
    ];
    headers.extend_from_slice(extra);
    request(method, uri, &headers, body)
}

const TC_POST_AUTH: &str = "TC3-HMAC-SHA256 Credential=AKIDtc0001/2025-12-01/tcr/tc3_request, SignedHeaders=content-type;host, Signature=d08fa356ee58b8774c3f3deea1dc8e2f0dfa597c1675ccf70e1e99bb08089303";
const TC_POST_BODY: &str = "{\"RegistryId\": \"tcr-1\", \"Limit\": 2}";

fn tc_post(uri: &str, body: &str, authorization: &str) -> Request<Full<Bytes>> {
    tc_request(
        "POST",
        uri,
        "tcr.tencentcloudapi.com",
        "application/json",
        &[],
        authorization,
        body,
    )
}

#[tokio::test]
async fn tencent_python_sdk_vectors_verify() {
    assert_eq!(
        outcome(tc_layer(0), tc_post("/", TC_POST_BODY, TC_POST_AUTH))
            .await
            .as_deref(),
        Ok("AKIDtc0001")
    );
    // GET: the raw query as sent, `+` for a space; the host with its port.
    let get = tc_request(
        "GET",
        "/?RegistryId=tcr+1%2Bx&Offset=0",
        "127.0.0.1:9000",
        "application/x-www-form-urlencoded",
        &[],
        "TC3-HMAC-SHA256 Credential=AKIDtc0001/2025-12-01/tcr/tc3_request, SignedHeaders=content-type;host, Signature=4c7e7e097df1f99aac85a7f841e0bbe43a9c81dc7e4c76c7d887292879134526",
        "",
    );
    assert_eq!(outcome(tc_layer(0), get).await.as_deref(), Ok("AKIDtc0001"));
    // UNSIGNED-PAYLOAD: the body is not signed (the hash of the literal is).
    let unsigned = tc_request(
        "POST",
        "/",
        "tcr.tencentcloudapi.com",
        "application/json",
        &[("x-tc-content-sha256", "UNSIGNED-PAYLOAD")],
        "TC3-HMAC-SHA256 Credential=AKIDtc0001/2025-12-01/tcr/tc3_request, SignedHeaders=content-type;host, Signature=2646a677658e2f9864d2c2318cd2ce437bed6b23128c25e0dc3a1330933b3d4c",
        "{\"Name\": \"anything\"}",
    );
    assert_eq!(
        outcome(tc_layer(0), unsigned).await.as_deref(),
        Ok("AKIDtc0001")
    );
}

#[tokio::test]
async fn tencent_node_sdk_vector_verifies() {
    // The Node SDK at `http://127.0.0.1:9000` signs service `127` and the host without the
    // port it sends.
    let node = tc_request(
        "POST",
        "/",
        "127.0.0.1:9000",
        "application/json",
        &[],
        "TC3-HMAC-SHA256 Credential=AKIDtc0001/2025-12-01/127/tc3_request, SignedHeaders=content-type;host, Signature=9203da742b2140e5df5d92c552ef0c27cdca901787b73995821221862ec5b714",
        "{\"Namespace\":\"node-ns\",\"Limit\":2}",
    );
    assert_eq!(
        outcome(tc_layer(0), node).await.as_deref(),
        Ok("AKIDtc0001")
    );
}

#[tokio::test]
async fn tencent_failures_answer_their_documented_codes() {
    let no_auth = tc_request("POST", "/", "h", "application/json", &[], "", "{}");
    let cases: Vec<(Request<Full<Bytes>>, i64, Code)> = vec![
        (no_auth, 0, tc_codes::AUTH_FAILURE_INVALID_AUTHORIZATION),
        (
            tc_post(
                "/",
                TC_POST_BODY,
                "TC3-HMAC-SHA256 Credential=AKIDtc0001/2025-12-01/tcr/tc3_request, Signature=00",
            ),
            0,
            tc_codes::AUTH_FAILURE_INVALID_AUTHORIZATION,
        ),
        (
            tc_post(
                "/",
                TC_POST_BODY,
                &TC_POST_AUTH.replace("AKIDtc0001", "AKIDother"),
            ),
            0,
            tc_codes::AUTH_FAILURE_SECRET_ID_NOT_FOUND,
        ),
        (
            tc_post(
                "/",
                TC_POST_BODY,
                &TC_POST_AUTH.replace("2025-12-01", "2025-12-02"),
            ),
            0,
            tc_codes::AUTH_FAILURE_SIGNATURE_FAILURE,
        ),
        (
            tc_post(
                "/",
                "{\"RegistryId\": \"tcr-2\", \"Limit\": 2}",
                TC_POST_AUTH,
            ),
            0,
            tc_codes::AUTH_FAILURE_SIGNATURE_FAILURE,
        ),
        (
            tc_post("/?x=1", TC_POST_BODY, TC_POST_AUTH),
            0,
            tc_codes::AUTH_FAILURE_SIGNATURE_FAILURE,
        ),
        (
            tc_post("/x", TC_POST_BODY, TC_POST_AUTH),
            0,
            tc_codes::AUTH_FAILURE_SIGNATURE_FAILURE,
        ),
        (
            tc_post("/", TC_POST_BODY, TC_POST_AUTH),
            301,
            tc_codes::AUTH_FAILURE_SIGNATURE_EXPIRE,
        ),
        (
            tc_post("/", TC_POST_BODY, TC_POST_AUTH),
            -301,
            tc_codes::AUTH_FAILURE_SIGNATURE_EXPIRE,
        ),
        (
            tc_request(
                "POST",
                "/",
                "tcr.tencentcloudapi.com",
                "application/json",
                &[("x-tc-token", "t")],
                TC_POST_AUTH,
                TC_POST_BODY,
            ),
            0,
            tc_codes::AUTH_FAILURE_TOKEN_FAILURE,
        ),
    ];
    for (index, (request, offset, code)) in cases.into_iter().enumerate() {
        assert_eq!(
            outcome(tc_layer(offset), request).await,
            Err(code),
            "case {index}"
        );
    }
    // A replay inside the window is accepted: no nonce rule is documented.
    assert!(
        outcome(tc_layer(299), tc_post("/", TC_POST_BODY, TC_POST_AUTH))
            .await
            .is_ok()
    );
    // A pinned service refuses other scopes.
    let pinned = tc_layer(0).service("cvm");
    assert_eq!(
        outcome(pinned, tc_post("/", TC_POST_BODY, TC_POST_AUTH)).await,
        Err(tc_codes::AUTH_FAILURE_SIGNATURE_FAILURE)
    );
}

#[tokio::test]
async fn http2_requests_sign_their_authority_as_host() {
    // An HTTP/2 request has no Host header: the URI's authority stands for it.
    let mut signed = tc_post(
        "http://tcr.tencentcloudapi.com/",
        TC_POST_BODY,
        TC_POST_AUTH,
    );
    signed.headers_mut().remove("host");
    *signed.version_mut() = http::Version::HTTP_2;
    assert_eq!(
        outcome(tc_layer(0), signed).await.as_deref(),
        Ok("AKIDtc0001")
    );

    let mut bce = bce_put(
        "http://127.0.0.1:8080/v1/eip/1.2.3.4?bind=",
        BCE_PUT_AUTH,
        &[],
    );
    bce.headers_mut().remove("host");
    *bce.version_mut() = http::Version::HTTP_2;
    assert_eq!(
        outcome(bce_layer(0), bce).await.as_deref(),
        Ok("AKIDbce0001")
    );
}
