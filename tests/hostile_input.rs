//! Hostile input through the real layer, in both styles: request-id headers a client controls
//! (every byte `HeaderValue` lets through, 10 KB, repeated 100 times, trusted or not), messages
//! of any size and content, `X-TC-Language` values, and ids from a custom `MakeRequestId` or an
//! outer layer. Every response must carry exactly one valid id header, never a client's id
//! unless it is trusted, single and valid, never a 500, and pass `conformance`.
//!
//! Oversized and deeply nested JSON bodies are the extraction module's (tests/extract.rs,
//! `deep_nesting_never_overflows_the_stack`), not repeated here. The limits are listed in
//! docs/fuzzing.md ("Limits").

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use tower::{service_fn, Layer, ServiceExt};
use tower_cloud_error::bce::Bce;
use tower_cloud_error::conformance::{BceConformance, Checker, TencentConformance};
use tower_cloud_error::request_id::{
    is_valid_request_id, MakeRequestId, RequestId, MAX_REQUEST_ID_LEN,
};
use tower_cloud_error::tencent::Tencent;
use tower_cloud_error::{bce, tencent};
use tower_cloud_error::{CloudError, CloudErrorLayer, Code, Dialect, Language, Style};

// -------------------------------------------------------------------------------------------
// Helpers
// -------------------------------------------------------------------------------------------

/// One request through `layer` around a service that answers an empty 200, or fails with
/// `error`; the body collected.
async fn exchange<St, M>(
    layer: CloudErrorLayer<St, M>,
    request: Request<()>,
    error: Option<CloudError>,
) -> Response<Bytes>
where
    St: Style,
    M: MakeRequestId + Clone + Send + 'static,
{
    let service = layer.layer(service_fn(move |_: Request<()>| {
        let error = error.clone();
        async move {
            match error {
                Some(error) => Err(error),
                None => Ok(Response::new(Full::new(Bytes::new()))),
            }
        }
    }));
    let response = service.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    Response::from_parts(parts, body)
}

/// Lower-case hyphenated UUID v4, RFC 4122 variant.
fn is_uuid_v4(id: &[u8]) -> bool {
    id.len() == 36
        && id.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            14 => b == b'4',
            19 => matches!(b, b'8' | b'9' | b'a' | b'b'),
            _ => matches!(b, b'0'..=b'9' | b'a'..=b'f'),
        })
}

/// The invariants of every response: exactly one valid id header, `expected` if given (else a
/// fresh UUID v4), and no conformance violation. Returns the id.
fn assert_sound(
    dialect: Dialect,
    method: &Method,
    response: &Response<Bytes>,
    expected: Option<&[u8]>,
    context: &dyn std::fmt::Debug,
) -> String {
    let header = match dialect {
        bce::DIALECT => "x-bce-request-id",
        _ => "x-tc-requestid",
    };
    let ids: Vec<&HeaderValue> = response.headers().get_all(header).iter().collect();
    assert_eq!(ids.len(), 1, "exactly one id header for {context:?}");
    let id = ids[0].as_bytes();
    assert!(is_valid_request_id(id), "{id:?} for {context:?}");
    match expected {
        Some(expected) => assert_eq!(id, expected, "{context:?}"),
        None => assert!(
            is_uuid_v4(id),
            "a fresh UUID v4, got {id:?}, for {context:?}"
        ),
    }
    assert_ne!(
        response.status(),
        StatusCode::INTERNAL_SERVER_ERROR,
        "{context:?}"
    );
    let id = String::from_utf8(id.to_vec()).unwrap();
    let checker = if dialect == bce::DIALECT {
        Checker::new(BceConformance).with_foreign_convention(&TencentConformance)
    } else {
        Checker::new(TencentConformance).with_foreign_convention(&BceConformance)
    };
    if let Err(violations) = checker
        .require_known_codes(true)
        .expect_request_id(id.clone())
        .check(method, response)
    {
        panic!(
            "{violations:?} for {context:?}\nheaders: {:?}\nbody: {:?}",
            response.headers(),
            String::from_utf8_lossy(response.body())
        );
    }
    id
}

/// Request-id header values a client can send: everything `HeaderValue` lets through that is
/// not a valid id, and a few valid ones.
fn hostile_ids() -> Vec<Vec<u8>> {
    let mut ids: Vec<Vec<u8>> = Vec::new();
    // Every obs-text byte alone, and inside an otherwise valid id.
    for b in 0x80..=0xffu8 {
        ids.push(vec![b]);
        ids.push([&b"req-"[..], &[b], b"-id"].concat());
    }
    for text in [
        "",
        " ",
        "\t",
        "id\twith\ttabs",
        "a b",
        " leading-space",
        "trailing-space ",
        "café",
        "请求-1",
        "🦀",
        "abc\",\"code\":\"Evil",
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "id;Set-Cookie=x",
        "%0d%0aSet-Cookie:x",
        "a,b",
        "${jndi:ldap://127.0.0.1/a}",
        "\\u0000",
        "{\"json\":true}",
        "~!@#$%^&*()+=[]{}|'`<>?/",
    ] {
        ids.push(text.as_bytes().to_vec());
    }
    ids.push(vec![b'a'; MAX_REQUEST_ID_LEN + 1]);
    ids.push(vec![b'a'; 10 * 1024]);
    ids.push(vec![0xff; 10 * 1024]);
    ids.push("请".repeat(10 * 1024 / 3).into_bytes());
    ids
}

/// Valid ids, reflected when trusted.
fn valid_ids() -> Vec<Vec<u8>> {
    vec![
        b"a".to_vec(),
        b"client-id-1.a_b:c".to_vec(),
        b"ae2225f7-1c2e-427a-a1ad-5413b762957d".to_vec(),
        vec![b'Z'; MAX_REQUEST_ID_LEN],
        b"-._:".to_vec(),
    ]
}

// -------------------------------------------------------------------------------------------
// Request ids
// -------------------------------------------------------------------------------------------

#[test]
fn control_characters_cannot_even_reach_the_layer() {
    // `http` refuses these in a HeaderValue: no server built on it hands them to a service.
    for bad in [
        &b"a\rb"[..],
        b"a\nb",
        b"a\r\nSet-Cookie: x",
        b"a\0b",
        b"\x1b[31mred",
        b"\x7f",
        b"\x08",
    ] {
        assert!(HeaderValue::from_bytes(bad).is_err(), "{bad:?}");
    }
    // Everything the layer may see from a client is what `hostile_ids` covers.
    for id in hostile_ids() {
        assert!(HeaderValue::from_bytes(&id).is_ok(), "{id:?}");
    }
}

async fn incoming_ids<St: Style>(style: St, dialect: Dialect) {
    let header = style.request_id_header().clone();
    let error = match dialect {
        bce::DIALECT => CloudError::new(bce::eip::EIP_NOT_FOUND),
        _ => CloudError::new(tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO),
    };
    let cases = hostile_ids()
        .into_iter()
        .map(|id| (id, false))
        .chain(valid_ids().into_iter().map(|id| (id, true)));
    for (id, valid) in cases {
        assert_eq!(is_valid_request_id(&id), valid, "{id:?}");
        for trust in [false, true] {
            for fail in [false, true] {
                for method in [Method::POST, Method::HEAD] {
                    let mut request = Request::builder().method(method.clone()).body(()).unwrap();
                    request
                        .headers_mut()
                        .insert(&header, HeaderValue::from_bytes(&id).unwrap());
                    let layer =
                        CloudErrorLayer::new(style.clone()).trust_incoming_request_id(trust);
                    let response = exchange(layer, request, fail.then(|| error.clone())).await;
                    let reflected = (trust && valid).then_some(&id[..]);
                    let context = (String::from_utf8_lossy(&id), trust, fail, &method);
                    assert_sound(dialect, &method, &response, reflected, &context);
                }
            }
        }
    }
}

#[tokio::test]
async fn incoming_ids_are_reflected_only_when_trusted_and_valid_bce() {
    incoming_ids(Bce::new(), bce::DIALECT).await;
}

#[tokio::test]
async fn incoming_ids_are_reflected_only_when_trusted_and_valid_tencent() {
    incoming_ids(Tencent::new(), tencent::DIALECT).await;
}

async fn repeated_ids<St: Style>(style: St, dialect: Dialect) {
    let header = style.request_id_header().clone();
    // The same valid id 100 times, 100 different valid ids, and 99 hostile values around one
    // valid id: ambiguous, never used.
    let same: Vec<Vec<u8>> = vec![b"client-id".to_vec(); 100];
    let different: Vec<Vec<u8>> = (0..100).map(|i| format!("id-{i}").into_bytes()).collect();
    let mut mixed: Vec<Vec<u8>> = hostile_ids().into_iter().take(99).collect();
    mixed.insert(50, b"the-valid-one".to_vec());
    for (name, values) in [("same", same), ("different", different), ("mixed", mixed)] {
        for trust in [false, true] {
            for fail in [false, true] {
                let mut request = Request::new(());
                for value in &values {
                    request
                        .headers_mut()
                        .append(&header, HeaderValue::from_bytes(value).unwrap());
                }
                assert_eq!(request.headers().get_all(&header).iter().count(), 100);
                let layer = CloudErrorLayer::new(style.clone()).trust_incoming_request_id(trust);
                let error = fail
                    .then(|| CloudError::from_condition(tower_cloud_error::Condition::NotFound));
                let response = exchange(layer, request, error).await;
                assert_sound(dialect, &Method::GET, &response, None, &(name, trust, fail));
            }
        }
    }
}

#[tokio::test]
async fn an_id_header_repeated_100_times_is_never_used() {
    repeated_ids(Bce::new(), bce::DIALECT).await;
    repeated_ids(Tencent::new(), tencent::DIALECT).await;
}

/// A generator that returns a fixed value, hostile or not.
#[derive(Clone)]
struct Fixed(Option<HeaderValue>);

impl MakeRequestId for Fixed {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        self.0.clone().map(RequestId::new)
    }
}

async fn generated_and_outer_ids<St: Style>(style: St, dialect: Dialect) {
    let error = CloudError::from_condition(tower_cloud_error::Condition::Forbidden);
    let cases = hostile_ids()
        .into_iter()
        .map(|id| (id, false))
        .chain(valid_ids().into_iter().map(|id| (id, true)));
    for (id, valid) in cases {
        let value = HeaderValue::from_bytes(&id).unwrap();
        let used = valid.then_some(&id[..]);
        for fail in [false, true] {
            // A custom generator's id.
            let layer =
                CloudErrorLayer::new(style.clone()).make_request_id(Fixed(Some(value.clone())));
            let response = exchange(layer, Request::new(()), fail.then(|| error.clone())).await;
            let context = ("generator", String::from_utf8_lossy(&id), fail);
            assert_sound(dialect, &Method::GET, &response, used, &context);

            // An outer layer's id (tower-http's `SetRequestIdLayer` puts it there).
            let mut request = Request::new(());
            request
                .extensions_mut()
                .insert(RequestId::new(value.clone()));
            let layer = CloudErrorLayer::new(style.clone());
            let response = exchange(layer, request, fail.then(|| error.clone())).await;
            let context = ("outer", String::from_utf8_lossy(&id), fail);
            assert_sound(dialect, &Method::GET, &response, used, &context);
        }
    }
    // A generator that declines: a UUID v4.
    let layer = CloudErrorLayer::new(style.clone()).make_request_id(Fixed(None));
    let response = exchange(layer, Request::new(()), Some(error.clone())).await;
    assert_sound(dialect, &Method::GET, &response, None, &"declines");

    // A trusted, valid client id comes before a hostile generator.
    let header = style.request_id_header().clone();
    let mut request = Request::new(());
    request
        .headers_mut()
        .insert(&header, HeaderValue::from_static("from-the-client"));
    let layer = CloudErrorLayer::new(style)
        .trust_incoming_request_id(true)
        .make_request_id(Fixed(Some(HeaderValue::from_static("bad id"))));
    let response = exchange(layer, request, Some(error)).await;
    assert_sound(
        dialect,
        &Method::GET,
        &response,
        Some(b"from-the-client"),
        &"client first",
    );
}

#[tokio::test]
async fn hostile_generated_or_outer_ids_fall_back_to_uuid_v4() {
    generated_and_outer_ids(Bce::new(), bce::DIALECT).await;
    generated_and_outer_ids(Tencent::new(), tencent::DIALECT).await;
}

// -------------------------------------------------------------------------------------------
// Messages
// -------------------------------------------------------------------------------------------

/// Messages of every awkward kind; the big ones are 1 MB.
fn hostile_messages() -> Vec<(&'static str, String)> {
    const MB: usize = 1024 * 1024;
    let controls: String = (0u8..0x20).chain([0x7f]).map(char::from).collect();
    vec![
        ("empty", String::new()),
        ("ascii 1 MB", "x".repeat(MB)),
        ("2-byte 1 MB", "é".repeat(MB / 2)),
        (
            "3-byte 1 MB, off by one",
            format!("a{}", "中".repeat(MB / 3)),
        ),
        (
            "4-byte 1 MB, off by two",
            format!("ab{}", "🦀".repeat(MB / 4)),
        ),
        ("controls", controls.repeat(64)),
        ("NUL 1 MB", "\0".repeat(MB)),
        ("quotes and backslashes", "\"\\".repeat(MB / 2)),
        ("line separators", "\u{2028}\u{2029}".repeat(600)),
        (
            "bidi and zero-width",
            "\u{202e}\u{2066}\u{200b}\u{feff}".repeat(300),
        ),
        ("combining marks", "e\u{301}\u{302}\u{303}".repeat(500)),
        (
            "json in a message",
            "\"},\"code\":\"Evil\",\"x\":{\"".repeat(100),
        ),
        ("exactly the limit", "y".repeat(CloudError::MAX_MESSAGE_LEN)),
        (
            "one past the limit",
            "y".repeat(CloudError::MAX_MESSAGE_LEN + 1),
        ),
    ]
}

/// `message` as rendered: `original` itself, or a prefix of it (cut at a character boundary)
/// ending with `…`, at most `CloudError::MAX_MESSAGE_LEN` bytes.
fn assert_bounded(message: &str, original: &str, context: &dyn std::fmt::Debug) {
    assert!(
        message.len() <= CloudError::MAX_MESSAGE_LEN,
        "{} bytes for {context:?}",
        message.len()
    );
    if original.len() <= CloudError::MAX_MESSAGE_LEN {
        assert_eq!(message, original, "{context:?}");
    } else {
        let kept = message
            .strip_suffix('…')
            .expect("a cut message ends with …");
        assert!(original.starts_with(kept), "{context:?}");
        assert!(
            kept.len() + 3 * 4 > CloudError::MAX_MESSAGE_LEN - '…'.len_utf8(),
            "cut no shorter than needed: {} bytes for {context:?}",
            kept.len()
        );
    }
}

/// The message of an envelope, and checks that the body is small whatever the message.
fn envelope_message(dialect: Dialect, response: &Response<Bytes>) -> String {
    // Escaping can make each byte of a message six (`\u0000`): still bounded.
    assert!(
        response.body().len() <= 6 * CloudError::MAX_MESSAGE_LEN + 512,
        "{} bytes",
        response.body().len()
    );
    let json: Value = serde_json::from_slice(response.body()).expect("the body is JSON");
    let message = match dialect {
        bce::DIALECT => &json["message"],
        _ => &json["Response"]["Error"]["Message"],
    };
    message.as_str().expect("a string message").to_owned()
}

async fn messages<St: Style>(style: St, dialect: Dialect, code: Code, language: Language) {
    let request = || {
        let mut request = Request::builder().method(Method::POST).body(()).unwrap();
        request
            .headers_mut()
            .insert("x-tc-language", HeaderValue::from_static(language.as_str()));
        request
    };
    for (name, message) in hostile_messages() {
        let variants = [
            (
                "with_message",
                CloudError::new(code).with_message(message.clone()),
            ),
            (
                "with_messages",
                CloudError::new(code).with_messages(message.clone(), message.clone()),
            ),
        ];
        for (how, error) in variants {
            let layer = CloudErrorLayer::new(style.clone());
            let response = exchange(layer, request(), Some(error)).await;
            let context = (name, how, code.name(), language);
            assert_sound(dialect, &Method::POST, &response, None, &context);
            assert_eq!(
                response.status(),
                match dialect {
                    bce::DIALECT => code.status(),
                    _ => StatusCode::OK,
                }
            );
            let rendered = envelope_message(dialect, &response);
            assert_bounded(&rendered, &message, &context);
        }

        // The same message on an internal error: the canonical message, whatever was asked.
        let layer = CloudErrorLayer::new(style.clone());
        let error = CloudError::internal().with_message(message.clone());
        let response = exchange(layer, request(), Some(error)).await;
        let rendered = envelope_message(dialect, &response);
        let internal = style.internal_error();
        let canonical = match (dialect, language) {
            (tencent::DIALECT, Language::ZhCn) => internal.message_zh(),
            _ => internal.message(),
        };
        assert_eq!(rendered, canonical, "{name}");
    }
}

#[tokio::test]
async fn huge_multibyte_and_control_messages_render_valid_bounded_json_bce() {
    messages(
        Bce::new(),
        bce::DIALECT,
        bce::eip::EIP_NOT_FOUND,
        Language::EnUs,
    )
    .await;
}

#[tokio::test]
async fn huge_multibyte_and_control_messages_render_valid_bounded_json_tencent() {
    let code = tencent::common::INVALID_PARAMETER_VALUE;
    messages(Tencent::new(), tencent::DIALECT, code, Language::ZhCn).await;
    messages(Tencent::new(), tencent::DIALECT, code, Language::EnUs).await;
}

#[tokio::test]
async fn huge_template_arguments_are_bounded() {
    let huge = "{}\"\0é".repeat(300_000);
    // BCE's RequestExpired has a `{}` in its template.
    let error =
        CloudError::new(bce::common::REQUEST_EXPIRED).with_args([huge.clone(), huge.clone()]);
    let response = exchange(CloudErrorLayer::bce(), Request::new(()), Some(error)).await;
    assert_sound(bce::DIALECT, &Method::GET, &response, None, &"args");
    let rendered = envelope_message(bce::DIALECT, &response);
    let original = format!("Request has expired. Timestamp date is {huge}.");
    assert_bounded(&rendered, &original, &"args");

    // A code without placeholders ignores its arguments.
    let error = CloudError::new(tencent::common::MISSING_PARAMETER).with_args([huge]);
    let response = exchange(CloudErrorLayer::tencent(), Request::new(()), Some(error)).await;
    assert_sound(
        tencent::DIALECT,
        &Method::GET,
        &response,
        None,
        &"no placeholder",
    );
    assert_eq!(
        envelope_message(tencent::DIALECT, &response),
        tencent::common::MISSING_PARAMETER.message_zh()
    );
}

#[tokio::test]
async fn hostile_language_headers_fall_back_to_the_default_language() {
    let code = tencent::common::INVALID_ACTION;
    let cases: Vec<(Vec<u8>, Language)> = vec![
        (b"en-US".to_vec(), Language::EnUs),
        (b"EN-us".to_vec(), Language::EnUs),
        (b"zh-CN".to_vec(), Language::ZhCn),
        (b"en-US ".to_vec(), Language::ZhCn),
        (b"\ten-US".to_vec(), Language::ZhCn),
        (b"en-US,zh-CN".to_vec(), Language::ZhCn),
        (b"en".to_vec(), Language::ZhCn),
        (b"fr-FR".to_vec(), Language::ZhCn),
        (b"".to_vec(), Language::ZhCn),
        (b"en-\xffUS".to_vec(), Language::ZhCn),
        (vec![0xff; 10 * 1024], Language::ZhCn),
        ("en-US".repeat(2000).into_bytes(), Language::ZhCn),
    ];
    for (value, language) in cases {
        let mut request = Request::new(());
        request
            .headers_mut()
            .insert("x-tc-language", HeaderValue::from_bytes(&value).unwrap());
        let response = exchange(
            CloudErrorLayer::tencent(),
            request,
            Some(CloudError::new(code)),
        )
        .await;
        let id = assert_sound(tencent::DIALECT, &Method::POST, &response, None, &value);
        Checker::new(TencentConformance)
            .expect_language(language)
            .expect_request_id(id)
            .assert_conforms(&Method::POST, &response);
        let expected = match language {
            Language::EnUs => code.message(),
            _ => code.message_zh(),
        };
        assert_eq!(envelope_message(tencent::DIALECT, &response), expected);
    }
}

/// Found by this file (and the envelope fuzz target): BCE's `RequestExpired` with its default
/// message quotes the request's `x-bce-date`, which a client can make 64 KB long; the quote is
/// bounded like any message argument.
#[tokio::test]
async fn request_expired_quotes_a_bounded_date() {
    let mut request = Request::new(());
    request.headers_mut().insert(
        "x-bce-date",
        HeaderValue::from_str(&"9".repeat(10_000)).unwrap(),
    );
    let error = CloudError::new(bce::common::REQUEST_EXPIRED);
    let response = exchange(CloudErrorLayer::bce(), request, Some(error)).await;
    assert_sound(bce::DIALECT, &Method::GET, &response, None, &"date");
    assert!(envelope_message(bce::DIALECT, &response).len() <= CloudError::MAX_MESSAGE_LEN);
}

// -------------------------------------------------------------------------------------------
// Through a real HTTP/1.1 server on loopback: what reaches the service
// -------------------------------------------------------------------------------------------

/// Sends raw bytes to `addr`, returns the status and the raw response head (empty when the
/// server closed the connection without answering).
fn raw_exchange(addr: std::net::SocketAddr, request: &[u8]) -> (Option<u16>, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    // A reset after a refused request still leaves what was read.
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let head = text.split("\r\n\r\n").next().unwrap_or_default().to_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok());
    (status, head)
}

fn header_of<'a>(head: &'a str, name: &str) -> Vec<&'a str> {
    head.lines()
        .filter_map(|line| line.split_once(':'))
        .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .collect()
}

#[test]
fn over_loopback_hostile_ids_are_not_reflected_and_unparsable_heads_never_reach_the_service() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let app = axum::Router::new()
        .route(
            "/ok",
            axum::routing::get(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                async { StatusCode::OK }
            }),
        )
        .layer(CloudErrorLayer::bce().trust_incoming_request_id(true));
    let server = support::Server::start(app);
    let request = |id: &[u8]| {
        [
            &b"GET /ok HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\nx-bce-request-id: "[..],
            id,
            b"\r\n\r\n",
        ]
        .concat()
    };

    // Bytes hyper hands to the service: never reflected, one fresh id.
    let mut served = 0;
    for id in [
        &b"\xff\xfe"[..],
        b"caf\xc3\xa9",
        b"a\tb",
        b"\x80\x81-id",
        &[b'a'; 10 * 1024],
        b"valid-trusted-id",
    ] {
        let (status, head) = raw_exchange(server.addr, &request(id));
        assert_eq!(status, Some(200), "{head}");
        served += 1;
        let ids = header_of(&head, "x-bce-request-id");
        assert_eq!(ids.len(), 1, "{head}");
        if id == b"valid-trusted-id" {
            assert_eq!(ids[0], "valid-trusted-id");
        } else {
            assert!(is_uuid_v4(ids[0].as_bytes()), "{head}");
        }
    }
    assert_eq!(calls.load(Ordering::SeqCst), served);

    // Bytes hyper refuses before any service runs (no envelope can answer them: hyper's own
    // 400 or 431, without an id, or a closed connection).
    for id in [
        &b"a\rb"[..],
        b"a\0b",
        b"a\x1bb",
        b"a\r\n continued",
        &vec![b'a'; 1024 * 1024],
    ] {
        let (status, head) = raw_exchange(server.addr, &request(id));
        assert!(
            status.is_none_or(|status| (400..500).contains(&status)),
            "{head}"
        );
        assert!(header_of(&head, "x-bce-request-id").is_empty(), "{head}");
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        served,
        "refused heads never reach the service"
    );
}
