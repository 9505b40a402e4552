//! Arbitrary bytes through `extract::bce::from_slice` / `extract::tencent::from_slice` (and
//! `from_body` with a fuzzed limit), read as `serde_json::Value` and as request types shaped
//! like the examples' (nested objects, arrays, enums, integers, a `Validate` rule).
//!
//! Checked: nothing panics; every failure is one of the documented codes of the dialect, in the
//! order the module documents (not UTF-8, then syntax, then fit); a body serde_json accepts as
//! a `Value` is accepted as a `Value`, and a struct refuses any other JSON than an object; messages are at most
//! `CloudError::MAX_MESSAGE_LEN` bytes in both languages and never carry control or bidirectional
//! characters; and every error renders through the real layer as a conforming envelope.

#![no_main]

use bytes::Bytes;
use http::{Method, Request, Response};
use http_body_util::Full;
use libfuzzer_sys::fuzz_target;
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::Value;
use tower_cloud_error::{bce as bce_codes, tencent as tencent_codes};
use tower_cloud_error::conformance::{BceConformance, Checker, TencentConformance};
use tower_cloud_error::{bce, tencent, Validate};
use tower_cloud_error::{CloudError, CloudErrorLayer, Code, Dialect, Language, Style};
use tower_cloud_error::bce::Bce;
use tower_cloud_error::tencent::Tencent;
use tower_cloud_error_fuzz::{now, respond};
use tower_layer::Layer;

/// The input: the first two bytes are the `from_body` limit (little-endian), the rest the body,
/// so that seeds are readable JSON files behind a two-byte prefix.
struct Input<'a> {
    limit: u16,
    body: &'a [u8],
}

impl<'a> Input<'a> {
    fn new(data: &'a [u8]) -> Self {
        match data {
            [low, high, body @ ..] => Input {
                limit: u16::from_le_bytes([*low, *high]),
                body,
            },
            _ => Input {
                limit: u16::MAX,
                body: data,
            },
        }
    }
}

// ---- BCE request types, shaped like examples/bce_eip.rs ----

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct CreateEip {
    bandwidth_in_mbps: u32,
    name: Option<String>,
    billing: Billing,
    tags: Option<Vec<Tag>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Billing {
    payment_timing: PaymentTiming,
    reservation: Option<Reservation>,
}

#[derive(Debug, Deserialize)]
enum PaymentTiming {
    Prepaid,
    Postpaid,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Reservation {
    reservation_length: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Tag {
    tag_key: String,
    tag_value: Option<String>,
}

impl Validate for CreateEip {
    fn validate(&self) -> Result<(), CloudError> {
        if (1..=200).contains(&self.bandwidth_in_mbps) {
            Ok(())
        } else {
            Err(bce::inappropriate_json(
                "bandwidthInMbps must be an integer from 1 to 200",
            ))
        }
    }
}

// ---- Tencent request types, shaped like examples/tencent_tcr.rs ----

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct Describe {
    namespace: String,
    limit: Option<i64>,
    offset: Option<u32>,
    filters: Option<Vec<Filter>>,
    kind: Option<Kind>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct Filter {
    name: String,
    values: Vec<String>,
}

#[derive(Debug, Deserialize)]
enum Kind {
    Public,
    Private,
}

impl Validate for Describe {
    fn validate(&self) -> Result<(), CloudError> {
        if self.limit.is_some_and(|limit| !(1..=100).contains(&limit)) {
            return Err(tencent::invalid_parameter_value("Limit"));
        }
        Ok(())
    }
}

const BCE_DOCUMENTED: [Code; 3] = [
    bce_codes::common::INVALID_HTTP_REQUEST,
    bce_codes::common::MALFORMED_JSON,
    bce_codes::common::INAPPROPRIATE_JSON,
];

const TENCENT_DOCUMENTED: [Code; 5] = [
    tencent_codes::common::INVALID_PARAMETER,
    tencent_codes::common::MISSING_PARAMETER,
    tencent_codes::common::UNKNOWN_PARAMETER,
    tencent_codes::common::INVALID_PARAMETER_VALUE,
    tencent_codes::common::REQUEST_SIZE_LIMIT_EXCEEDED,
];

/// What serde_json alone says of the bytes.
#[derive(Debug, PartialEq)]
enum Shape {
    NotUtf8,
    /// A syntax error (not the recursion limit, which a non-recursive scan does not have).
    Malformed,
    /// serde_json's recursion limit: the crate may call it either way.
    TooDeep,
    WellFormed {
        object: bool,
    },
}

fn shape(bytes: &[u8]) -> Shape {
    if std::str::from_utf8(bytes).is_err() {
        return Shape::NotUtf8;
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => Shape::WellFormed {
            object: value.is_object(),
        },
        Err(error) if error.to_string().contains("recursion limit") => Shape::TooDeep,
        Err(_) => match serde_json::from_slice::<IgnoredAny>(bytes) {
            // Well-formed for the scan, not for `Value` (a number too large for it, say).
            Ok(_) => Shape::TooDeep,
            Err(error) if error.to_string().contains("recursion limit") => Shape::TooDeep,
            Err(_) => Shape::Malformed,
        },
    }
}

fuzz_target!(|data: &[u8]| {
    let input = Input::new(data);
    let bytes = input.body;
    let shape = shape(bytes);

    // BCE.
    let as_value = bce::from_slice::<Value>(bytes);
    let typed = bce::from_slice::<CreateEip>(bytes);
    for result in [as_value.as_ref().err(), typed.as_ref().err()]
        .into_iter()
        .flatten()
    {
        check_error(result, bce::DIALECT, &BCE_DOCUMENTED);
    }
    match shape {
        Shape::NotUtf8 => {
            assert_code(&as_value, bce_codes::common::INVALID_HTTP_REQUEST);
            assert_code(&typed, bce_codes::common::INVALID_HTTP_REQUEST);
        }
        Shape::Malformed => {
            assert_code(&as_value, bce_codes::common::MALFORMED_JSON);
            assert_code(&typed, bce_codes::common::MALFORMED_JSON);
        }
        Shape::WellFormed { .. } => {
            assert!(as_value.is_ok(), "{:?}", as_value.err());
            if let Err(error) = &typed {
                assert_eq!(error.code(), Some(&bce_codes::common::INAPPROPRIATE_JSON));
            }
        }
        Shape::TooDeep => {}
    }

    // Tencent.
    let as_value = tencent::from_slice::<Value>(bytes);
    let typed = tencent::from_slice::<Describe>(bytes);
    for result in [as_value.as_ref().err(), typed.as_ref().err()]
        .into_iter()
        .flatten()
    {
        check_error(result, tencent::DIALECT, &TENCENT_DOCUMENTED);
    }
    match shape {
        Shape::NotUtf8 | Shape::Malformed => {
            assert_code(&as_value, tencent_codes::common::INVALID_PARAMETER);
            assert_code(&typed, tencent_codes::common::INVALID_PARAMETER);
        }
        // "Not a JSON object" is refused by a struct; a `Value` takes any JSON.
        Shape::WellFormed { object } => {
            assert!(as_value.is_ok(), "{:?}", as_value.err());
            if !object {
                assert_code(&typed, tencent_codes::common::INVALID_PARAMETER);
            }
        }
        Shape::TooDeep => {}
    }

    // Through a body with a limit: the same verdict, or the size code.
    let limit = usize::from(input.limit);
    let body = || Full::new(Bytes::copy_from_slice(bytes));
    let bce_body = now(bce::from_body::<Value, _>(body(), limit));
    let tencent_body = now(tencent::from_body::<Value, _>(body(), limit));
    if bytes.len() > limit {
        assert_code(&bce_body, bce_codes::common::INVALID_HTTP_REQUEST);
        assert_code(
            &tencent_body,
            tencent_codes::common::REQUEST_SIZE_LIMIT_EXCEEDED,
        );
    } else {
        let same = |a: &Result<Value, CloudError>, b: &Result<Value, CloudError>| match (a, b) {
            (Ok(a), Ok(b)) => a == b,
            (Err(a), Err(b)) => a.code() == b.code(),
            _ => false,
        };
        assert!(same(&bce_body, &bce::from_slice::<Value>(bytes)));
        assert!(same(&tencent_body, &as_value));
    }
    for error in [bce_body.err(), tencent_body.err()].into_iter().flatten() {
        let dialect = error.code().map(Code::dialect).unwrap();
        let documented: &[Code] = match dialect {
            bce::DIALECT => &BCE_DOCUMENTED,
            _ => &TENCENT_DOCUMENTED,
        };
        check_error(&error, dialect, documented);
    }
});

fn assert_code<T: std::fmt::Debug>(result: &Result<T, CloudError>, code: Code) {
    match result {
        Err(error) => assert_eq!(error.code(), Some(&code), "{error:?}"),
        Ok(value) => panic!("expected {}, got {value:?}", code.name()),
    }
}

/// A documented code, bounded clean messages, and a conforming envelope through the layer.
fn check_error(error: &CloudError, dialect: Dialect, documented: &[Code]) {
    let code = error.code().expect("extraction errors carry a code");
    assert!(documented.contains(code), "undocumented code {code:?}");
    for language in [Language::ZhCn, Language::EnUs] {
        let message = error.message(language);
        assert!(message.len() <= CloudError::MAX_MESSAGE_LEN);
        assert!(
            !message.chars().any(|c| c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
            "{message:?}"
        );
    }
    match dialect {
        bce::DIALECT => render(error, Bce::new(), dialect),
        _ => render(error, Tencent::new(), dialect),
    }
}

fn render<St: Style>(error: &CloudError, style: St, dialect: Dialect) {
    let error = error.clone();
    let mut service = CloudErrorLayer::new(style).layer(tower::service_fn(move |_| {
        std::future::ready(Err::<Response<Full<Bytes>>, _>(error.clone()))
    }));
    let response = respond(&mut service, Request::post("/").body(()).unwrap());
    if let Err(violations) = checker_for(dialect)
        .require_known_codes(true)
        .check(&Method::POST, &response)
    {
        panic!(
            "{violations:?}: {:?}",
            String::from_utf8_lossy(response.body())
        );
    }
}

/// The checker of `dialect`'s convention, with the other built-in convention's codes foreign.
fn checker_for(dialect: Dialect) -> Checker {
    if dialect == tower_cloud_error::bce::DIALECT {
        Checker::new(BceConformance).with_foreign_convention(&TencentConformance)
    } else {
        Checker::new(TencentConformance).with_foreign_convention(&BceConformance)
    }
}
