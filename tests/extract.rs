//! `tower_cloud_error::extract`: every classification of both styles, through the functions and
//! (feature `axum`) through the extractors behind `CloudErrorLayer`, as a client sees them.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::Full;
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};
use tower_cloud_error::bce::common as bce_codes;
use tower_cloud_error::tencent::common as tencent_codes;
use tower_cloud_error::{bce, tencent, Validate};
use tower_cloud_error::{CloudError, Code, Language};

// ---------------------------------------------------------------------------------------------
// Request types
// ---------------------------------------------------------------------------------------------

/// A BCE request: camelCase items, a nested object, an enum.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateEip {
    bandwidth_in_mbps: u32,
    name: Option<String>,
    billing: Billing,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Billing {
    payment_timing: PaymentTiming,
    reservation: Option<Reservation>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reservation {
    reservation_length: u32,
}

#[derive(Debug, Deserialize, PartialEq)]
enum PaymentTiming {
    Prepaid,
    Postpaid,
}

impl Validate for CreateEip {
    fn validate(&self) -> Result<(), CloudError> {
        if !(1..=200).contains(&self.bandwidth_in_mbps) {
            return Err(bce::inappropriate_json(
                "bandwidthInMbps must be an integer from 1 to 200",
            ));
        }
        Ok(())
    }
}

/// A Tencent request: PascalCase parameters, nested filters, a range checked by `Validate`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeInstances {
    zone: String,
    limit: Option<i64>,
    filters: Option<Vec<Filter>>,
    tags: Option<Vec<Tag>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Filter {
    #[allow(dead_code)]
    name: String,
    values: Vec<String>,
}

/// Denies unknown fields itself: the result is the same.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Tag {
    key: String,
    #[allow(dead_code)]
    value: Option<String>,
}

impl Validate for DescribeInstances {
    fn validate(&self) -> Result<(), CloudError> {
        match self.limit {
            Some(limit) if !(1..=100).contains(&limit) => {
                Err(tencent::invalid_parameter_value("Limit"))
            }
            _ => Ok(()),
        }
    }
}

const BCE_VALID: &str = r#"{"bandwidthInMbps":10,"billing":{"paymentTiming":"Postpaid"}}"#;
const TENCENT_VALID: &str = r#"{"Zone":"ap-guangzhou-3","Limit":20}"#;

const INAPPROPRIATE: &str =
    "The JSON you provided was well-formed and valid, but not appropriate for this operation";

fn bce_err(body: &[u8]) -> CloudError {
    match bce::from_slice::<CreateEip>(body) {
        Ok(value) => panic!("{}: parsed as {value:?}", String::from_utf8_lossy(body)),
        Err(err) => err,
    }
}

fn tencent_err(body: &[u8]) -> CloudError {
    match tencent::from_slice::<DescribeInstances>(body) {
        Ok(value) => panic!("{}: parsed as {value:?}", String::from_utf8_lossy(body)),
        Err(err) => err,
    }
}

fn code(err: &CloudError) -> Code {
    *err.code().expect("a documented code")
}

fn en(err: &CloudError) -> String {
    err.message(Language::EnUs).into_owned()
}

fn zh(err: &CloudError) -> String {
    err.message(Language::ZhCn).into_owned()
}

// ---------------------------------------------------------------------------------------------
// BCE
// ---------------------------------------------------------------------------------------------

#[test]
fn bce_accepts_valid_bodies_and_ignores_unknown_items_at_any_depth() {
    let eip: CreateEip = bce::from_slice(BCE_VALID.as_bytes()).unwrap();
    assert_eq!(eip.bandwidth_in_mbps, 10);
    assert_eq!(eip.billing.payment_timing, PaymentTiming::Postpaid);

    let with_unknown = r#"{"bandwidthInMbps":10,"routeType":"BGP","future":{"a":[1,{"b":null}]},
        "billing":{"paymentTiming":"Prepaid","futureOption":true,
                   "reservation":{"reservationLength":1,"reservationTimeUnit":"Month"}},
        "name":"web"}"#;
    let eip: CreateEip = bce::from_slice(with_unknown.as_bytes()).unwrap();
    assert_eq!(eip.name.as_deref(), Some("web"));
    assert_eq!(eip.billing.reservation.unwrap().reservation_length, 1);
}

#[test]
fn bce_malformed_json() {
    for body in [
        &br#"{"bandwidthInMbps":10,"billing":"#[..],
        br#"{"bandwidthInMbps":10,}"#,
        br#"{'bandwidthInMbps':10}"#,
        br#"{"bandwidthInMbps":10,"billing":{"paymentTiming":"Postpaid"}} {}"#,
        b"",
        b"   \n\t ",
        b"\xef\xbb\xbf{}", // a byte order mark is not JSON
        b"nul",
    ] {
        let err = bce_err(body);
        assert_eq!(code(&err), bce_codes::MALFORMED_JSON, "{body:?}");
        assert_eq!(en(&err), "The JSON you provided was not well-formed.");
        assert!(
            std::error::Error::source(&err).is_some(),
            "the parser's error is logged"
        );
    }
}

#[test]
fn bce_syntax_wins_whatever_comes_first() {
    // A wrong type, a missing item, an array for an object, then a syntax error.
    for body in [
        r#"{"bandwidthInMbps":"ten","billing":{"paymentTiming":"Postpaid"},"name":}"#,
        r#"{"billing":{}, "x": [1, 2,, 3]}"#,
        r#"[1, 2, 3"#,
        r#"{"bandwidthInMbps":10,"billing":{"paymentTiming":"Weekly"}} trailing"#,
    ] {
        assert_eq!(
            code(&bce_err(body.as_bytes())),
            bce_codes::MALFORMED_JSON,
            "{body}"
        );
    }
}

#[test]
fn bce_inappropriate_json_names_the_item() {
    for (body, detail) in [
        (
            r#"{"billing":{"paymentTiming":"Postpaid"}}"#,
            "missing field `bandwidthInMbps`",
        ),
        (
            r#"{"bandwidthInMbps":1,"billing":{}}"#,
            "missing field `billing.paymentTiming`",
        ),
        (
            r#"{"bandwidthInMbps":"ten","billing":{"paymentTiming":"Postpaid"}}"#,
            r#"`bandwidthInMbps`: invalid type: string "ten", expected u32"#,
        ),
        (
            r#"{"bandwidthInMbps":-1,"billing":{"paymentTiming":"Postpaid"}}"#,
            "`bandwidthInMbps`: invalid value: integer `-1`, expected u32",
        ),
        (
            r#"{"bandwidthInMbps":1,"billing":{"paymentTiming":"Weekly"}}"#,
            "`billing.paymentTiming`: unknown variant `Weekly`, expected `Prepaid` or `Postpaid`",
        ),
        (
            // The wrong shape: serde alone would read this array as a Billing.
            r#"{"bandwidthInMbps":1,"billing":["Postpaid", null]}"#,
            "`billing`: invalid type: sequence, expected a JSON object",
        ),
        (
            r#"{"bandwidthInMbps":1,"billing":{"paymentTiming":"Prepaid","reservation":{"reservationLength":null}}}"#,
            "`billing.reservation.reservationLength`: invalid type: null, expected u32",
        ),
        (
            r#"[10, {"paymentTiming":"Postpaid"}, "web"]"#,
            "the body must be a JSON object",
        ),
        (r#""a string""#, "the body must be a JSON object"),
        (
            r#"{"bandwidthInMbps":500,"billing":{"paymentTiming":"Postpaid"}}"#,
            "bandwidthInMbps must be an integer from 1 to 200",
        ),
    ] {
        let err = bce_err(body.as_bytes());
        assert_eq!(code(&err), bce_codes::INAPPROPRIATE_JSON, "{body}");
        assert_eq!(en(&err), format!("{INAPPROPRIATE}: {detail}."), "{body}");
    }
}

#[test]
fn bce_encoding_is_invalid_http_request() {
    for (body, byte) in [
        (&b"{\"name\":\"\xff\"}"[..], 9),
        (b"\xfe\xff\x00{", 0),
        (b"{\"bandwidthInMbps\":1,\"billing\":\"\xc3\x28", 32),
    ] {
        let err = bce_err(body);
        assert_eq!(code(&err), bce_codes::INVALID_HTTP_REQUEST, "{body:?}");
        assert_eq!(
            en(&err),
            format!(
                "There was an error in the body of your HTTP request: the body is not valid \
                 UTF-8 (byte {byte})."
            )
        );
    }
}

#[test]
fn bce_value_reads_like_a_body() {
    let eip: CreateEip = bce::from_value(&json!({
        "bandwidthInMbps": 5, "billing": { "paymentTiming": "Prepaid", "x": 1 }, "y": [1]
    }))
    .unwrap();
    assert_eq!(eip.bandwidth_in_mbps, 5);
    let err = bce::from_value::<CreateEip>(&json!({ "bandwidthInMbps": 5 })).unwrap_err();
    assert_eq!(
        en(&err),
        format!("{INAPPROPRIATE}: missing field `billing`.")
    );
    let err = bce::from_value::<CreateEip>(&json!([5])).unwrap_err();
    assert_eq!(
        en(&err),
        format!("{INAPPROPRIATE}: the body must be a JSON object.")
    );
}

// ---------------------------------------------------------------------------------------------
// Tencent
// ---------------------------------------------------------------------------------------------

const UNPARSEABLE_EN: &str =
    "The request parameters cannot be parsed: a POST body must be a JSON object.";
const UNPARSEABLE_ZH: &str = "请求参数无法解析，POST 请求体须为 JSON 对象。";

#[test]
fn tencent_accepts_valid_bodies() {
    let request: DescribeInstances = tencent::from_slice(TENCENT_VALID.as_bytes()).unwrap();
    assert_eq!(request.limit, Some(20));
    let request: DescribeInstances = tencent::from_slice(
        br#"{"Zone":"z","Filters":[{"Name":"n","Values":["a","b"]}],"Tags":[{"Key":"k"}]}"#,
    )
    .unwrap();
    assert_eq!(request.filters.unwrap()[0].values, ["a", "b"]);
    assert_eq!(request.tags.unwrap()[0].key, "k");
}

#[test]
fn tencent_unparseable_bodies_are_invalid_parameter() {
    for body in [
        &br#"{"Zone":"z","Limit":"#[..],
        br#"{"Zone":"z"} {"Zone":"y"}"#,
        b"",
        b" ",
        b"\xff\xfe{",
        b"{\"Zone\":\"\xe4\xb8\"}",
        b"[]",
        br#"["z", 20]"#,
        b"null",
        b"42",
        br#""Zone""#,
    ] {
        let err = tencent_err(body);
        assert_eq!(code(&err), tencent_codes::INVALID_PARAMETER, "{body:?}");
        assert_eq!(en(&err), UNPARSEABLE_EN, "{body:?}");
        assert_eq!(zh(&err), UNPARSEABLE_ZH, "{body:?}");
    }
}

#[test]
fn tencent_syntax_wins_over_every_parameter_error() {
    for body in [
        r#"{"Bogus":1,"Zone":"z",}"#,
        r#"{"Limit":"ten","Zone":"z","Filters":[}"#,
        r#"{"Filters":[{"Name":1}], "Zone": tru}"#,
        r#"{"Limit":1000,"Zone":"z""#,
    ] {
        let err = tencent_err(body.as_bytes());
        assert_eq!(en(&err), UNPARSEABLE_EN, "{body}");
    }
}

#[test]
fn tencent_unknown_parameters_at_any_depth() {
    for (body, name) in [
        (r#"{"Zone":"z","Quota":5}"#, "Quota"),
        (r#"{"Quota":5,"Zone":"z"}"#, "Quota"),
        (r#"{"zone":"z"}"#, "zone"), // names are case-sensitive
        (
            r#"{"Zone":"z","Filters":[{"Name":"n","Values":[]},{"Name":"m","Values":[],"Bogus":{"x":1}}]}"#,
            "Filters.1.Bogus",
        ),
        // Tag denies unknown fields itself: the same code and path.
        (
            r#"{"Zone":"z","Tags":[{"Key":"k","Colour":"red"}]}"#,
            "Tags.0.Colour",
        ),
    ] {
        let err = tencent_err(body.as_bytes());
        assert_eq!(code(&err), tencent_codes::UNKNOWN_PARAMETER, "{body}");
        assert_eq!(
            en(&err),
            format!("The parameter `{name}` is not defined by this action."),
            "{body}"
        );
        assert_eq!(
            zh(&err),
            format!("参数 `{name}` 未定义，该接口不接受此参数。")
        );
    }
}

#[test]
fn tencent_missing_parameters() {
    for (body, name) in [
        (r#"{"Limit":20}"#, "Zone"),
        (r#"{}"#, "Zone"),
        (r#"{"Zone":null}"#, "Zone"),
        (
            r#"{"Zone":"z","Filters":[{"Name":"n"}]}"#,
            "Filters.0.Values",
        ),
        (r#"{"Zone":"z","Tags":[{"Value":"v"}]}"#, "Tags.0.Key"),
    ] {
        let err = tencent_err(body.as_bytes());
        assert_eq!(code(&err), tencent_codes::MISSING_PARAMETER, "{body}");
        assert_eq!(
            en(&err),
            format!("The request is missing a required parameter `{name}`.")
        );
        assert_eq!(zh(&err), format!("缺少必需参数 `{name}`。"));
    }
    // `null` for an optional parameter is absent.
    let request: DescribeInstances = tencent::from_slice(br#"{"Zone":"z","Limit":null}"#).unwrap();
    assert_eq!(request.limit, None);
}

#[test]
fn tencent_invalid_parameters() {
    for (body, name) in [
        (r#"{"Zone":"z","Limit":"ten"}"#, "Limit"),
        (r#"{"Zone":"z","Limit":1.5}"#, "Limit"),
        (r#"{"Zone":["z"]}"#, "Zone"),
        (r#"{"Zone":"z","Filters":{"Name":"n"}}"#, "Filters"),
        (r#"{"Zone":"z","Filters":[["n", []]]}"#, "Filters.0"), // an array for an object
        (
            r#"{"Zone":"z","Filters":[{"Name":"n","Values":["a",2]}]}"#,
            "Filters.0.Values.1",
        ),
        (r#"{"Zone":"z","Zone":"y"}"#, "Zone"),
    ] {
        let err = tencent_err(body.as_bytes());
        assert_eq!(code(&err), tencent_codes::INVALID_PARAMETER, "{body}");
        assert_eq!(
            en(&err),
            format!("The parameter `{name}` has the wrong type or format."),
            "{body}"
        );
        assert_eq!(zh(&err), format!("参数 `{name}` 的类型或格式错误。"));
    }
}

#[test]
fn tencent_invalid_parameter_values() {
    for (body, name) in [
        // Validate.
        (r#"{"Zone":"z","Limit":0}"#, "Limit"),
        (r#"{"Zone":"z","Limit":101}"#, "Limit"),
        // The type's own range.
        (r#"{"Zone":"z","Limit":9223372036854775808}"#, "Limit"),
        (r#"{"Zone":"z","Limit":1e400}"#, "Limit"),
    ] {
        let err = tencent_err(body.as_bytes());
        assert_eq!(code(&err), tencent_codes::INVALID_PARAMETER_VALUE, "{body}");
        assert_eq!(
            en(&err),
            format!("The value of the parameter `{name}` is invalid.")
        );
        assert_eq!(zh(&err), format!("参数 `{name}` 的取值无效。"));
    }
}

#[test]
fn tencent_reports_the_first_problem_in_the_body() {
    let unknown_first = tencent_err(br#"{"Bogus":1,"Zone":"z","Limit":"ten"}"#);
    assert_eq!(code(&unknown_first), tencent_codes::UNKNOWN_PARAMETER);
    let type_first = tencent_err(br#"{"Limit":"ten","Bogus":1,"Zone":"z"}"#);
    assert_eq!(code(&type_first), tencent_codes::INVALID_PARAMETER);
    // An unknown parameter in a well-typed body wins over a value Validate would refuse.
    let unknown = tencent_err(br#"{"Zone":"z","Limit":0,"Bogus":1}"#);
    assert_eq!(code(&unknown), tencent_codes::UNKNOWN_PARAMETER);
    // A missing parameter is noticed at the end of its object.
    let unknown = tencent_err(br#"{"Limit":1,"Bogus":1}"#);
    assert_eq!(code(&unknown), tencent_codes::UNKNOWN_PARAMETER);
}

#[test]
fn tencent_flattened_types() {
    use std::collections::HashMap;

    /// Paging parameters shared by several actions.
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Page {
        limit: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct List {
        zone: String,
        #[serde(flatten)]
        page: Page,
    }
    impl Validate for List {}

    #[derive(Debug, Deserialize)]
    struct Tagged {
        #[serde(rename = "Zone")]
        zone: String,
        #[serde(flatten)]
        tags: HashMap<String, String>,
    }
    impl Validate for Tagged {}

    let list: List = tencent::from_slice(br#"{"Zone":"z","Limit":5}"#).unwrap();
    assert_eq!((list.zone.as_str(), list.page.limit), ("z", Some(5)));
    // An error inside the flattened struct has no path: the catalog's message, no name.
    let err = tencent::from_slice::<List>(br#"{"Zone":"z","Limit":"x"}"#).unwrap_err();
    assert_eq!(code(&err), tencent_codes::INVALID_PARAMETER);
    assert_eq!(en(&err), tencent_codes::INVALID_PARAMETER.message());
    // A map gathers the other parameters: they are defined by the type.
    let tagged: Tagged = tencent::from_slice(br#"{"Zone":"z","Team":"web"}"#).unwrap();
    assert_eq!(
        (tagged.zone.as_str(), tagged.tags["Team"].as_str()),
        ("z", "web")
    );
    let err = tencent::from_slice::<Tagged>(br#"{"Zone":"z","Team":1}"#).unwrap_err();
    assert_eq!(code(&err), tencent_codes::INVALID_PARAMETER);
}

#[test]
fn tencent_echoed_names_are_bounded_and_cleaned() {
    let long = "P".repeat(10_000);
    let err = tencent_err(format!(r#"{{"Zone":"z","{long}":1}}"#).as_bytes());
    let message = en(&err);
    assert!(message.len() < 250, "{} bytes: {message}", message.len());
    assert!(message.contains(&format!("`{}…`", "P".repeat(128))));

    // Control characters, a terminal escape, a bidirectional override, a zero-width space and
    // a backtick in a name: replaced, one U+FFFD each.
    let err = tencent_err(br#"{"Zone":"z","a\n\r\u001b[2J\u202egnp.exe\u200b`b":1}"#);
    let message = en(&err);
    assert_eq!(
        message,
        "The parameter `a\u{FFFD}\u{FFFD}\u{FFFD}[2J\u{FFFD}gnp.exe\u{FFFD}\u{FFFD}b` is not \
         defined by this action."
    );
    assert!(!message.chars().any(char::is_control));

    // The helpers clean what they are given too.
    let err = tencent::missing_parameter("X-TC-\u{0}Timestamp");
    assert_eq!(
        en(&err),
        "The request is missing a required parameter `X-TC-\u{FFFD}Timestamp`."
    );
    let err = tencent::invalid_parameter_value(&"N".repeat(5000));
    assert!(en(&err).len() < 250);
}

#[test]
fn tencent_value_reads_like_a_body() {
    let request: DescribeInstances =
        tencent::from_value(&json!({ "Zone": "z", "Limit": 5 })).unwrap();
    assert_eq!(request.limit, Some(5));
    for (value, expected) in [
        (
            json!({ "Zone": "z", "Limit": "5" }),
            tencent_codes::INVALID_PARAMETER,
        ),
        (
            json!({ "Zone": "z", "Limit": 500 }),
            tencent_codes::INVALID_PARAMETER_VALUE,
        ),
        (json!({ "Limit": 5 }), tencent_codes::MISSING_PARAMETER),
        (
            json!({ "Zone": "z", "Bogus": 5 }),
            tencent_codes::UNKNOWN_PARAMETER,
        ),
        (json!([1]), tencent_codes::INVALID_PARAMETER),
    ] {
        let err = tencent::from_value::<DescribeInstances>(&value).unwrap_err();
        assert_eq!(code(&err), expected, "{value}");
    }
}

#[test]
fn helpers_carry_the_documented_codes() {
    assert_eq!(
        code(&tencent::missing_parameter("A")),
        tencent_codes::MISSING_PARAMETER
    );
    assert_eq!(
        code(&tencent::unknown_parameter("A")),
        tencent_codes::UNKNOWN_PARAMETER
    );
    assert_eq!(
        code(&tencent::invalid_parameter("A")),
        tencent_codes::INVALID_PARAMETER
    );
    assert_eq!(
        code(&tencent::invalid_parameter_value("A")),
        tencent_codes::INVALID_PARAMETER_VALUE
    );
    assert_eq!(
        code(&bce::inappropriate_json("x")),
        bce_codes::INAPPROPRIATE_JSON
    );
}

// ---------------------------------------------------------------------------------------------
// Nesting
// ---------------------------------------------------------------------------------------------

/// Runs `f` on a thread with the stack of a tokio worker (2 MiB), where handlers run.
///
/// The typed pass recurses at most serde_json's 127 levels (about 1 MiB of stack in a debug
/// build with the three adapters, 256 KiB in release); the syntax scan does not recurse. Any
/// recursion that followed the input's depth (100 000 levels here) would crash this test.
fn on_worker_stack<F: FnOnce() + Send + 'static>(f: F) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no stack overflow");
}

#[test]
fn deep_nesting_never_overflows_the_stack() {
    on_worker_stack(|| {
        let open = "[".repeat(100_000);
        let closed = format!("{open}{}", "]".repeat(100_000));
        let open_objects = r#"{"a":"#.repeat(100_000);

        for body in [open.as_bytes(), open_objects.as_bytes()] {
            assert_eq!(code(&bce_err(body)), bce_codes::MALFORMED_JSON);
            assert_eq!(en(&tencent_err(body)), UNPARSEABLE_EN);
            assert_eq!(
                code(&bce::from_slice::<Value>(body).unwrap_err()),
                bce_codes::MALFORMED_JSON
            );
        }
        // Well-formed, too deep for the type: the wrong shape.
        assert_eq!(
            code(&bce_err(closed.as_bytes())),
            bce_codes::INAPPROPRIATE_JSON
        );
        assert_eq!(en(&tencent_err(closed.as_bytes())), UNPARSEABLE_EN);

        // Deep inside an item the type reads as a value: beyond the 127 levels serde_json reads.
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Raw {
            #[allow(dead_code)]
            data: Value,
        }
        impl Validate for Raw {}
        let deep = format!(r#"{{"Data":{closed}}}"#);
        let err = bce::from_slice::<Raw>(deep.as_bytes()).unwrap_err();
        let message = en(&err);
        assert!(
            message.starts_with(&format!("{INAPPROPRIATE}: `Data.0.0.0.")),
            "{message}"
        );
        assert!(
            message.ends_with("0.0…`: recursion limit exceeded."),
            "{message}"
        );
        let err = tencent::from_slice::<Raw>(deep.as_bytes()).unwrap_err();
        assert_eq!(code(&err), tencent_codes::INVALID_PARAMETER);
        assert!(
            en(&err).starts_with("The parameter `Data.0.0."),
            "{}",
            en(&err)
        );

        // Deep inside an unknown item: BCE skips it without recursion, Tencent reports it.
        let deep = format!(
            r#"{{"bandwidthInMbps":1,"billing":{{"paymentTiming":"Prepaid"}},"x":{closed}}}"#
        );
        assert!(bce::from_slice::<CreateEip>(deep.as_bytes()).is_ok());
        let deep = format!(r#"{{"Zone":"z","X":{closed}}}"#);
        assert_eq!(
            code(&tencent_err(deep.as_bytes())),
            tencent_codes::UNKNOWN_PARAMETER
        );

        // 127 levels are read.
        let fine = format!(r#"{{"Data":{}{}}}"#, "[".repeat(126), "]".repeat(126));
        assert!(bce::from_slice::<Raw>(fine.as_bytes()).is_ok());
    });
}

// ---------------------------------------------------------------------------------------------
// Bodies and limits
// ---------------------------------------------------------------------------------------------

/// A body that never ends: `chunk` after `chunk`, counting the polls.
struct Endless {
    chunk: Bytes,
    polls: Arc<AtomicUsize>,
    announce: Option<u64>,
}

impl Endless {
    fn new(chunk_len: usize) -> (Self, Arc<AtomicUsize>) {
        let polls = Arc::new(AtomicUsize::new(0));
        let body = Endless {
            chunk: Bytes::from(vec![b' '; chunk_len]),
            polls: polls.clone(),
            announce: None,
        };
        (body, polls)
    }
}

impl Body for Endless {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        Poll::Ready(Some(Ok(Frame::data(self.chunk.clone()))))
    }

    fn size_hint(&self) -> SizeHint {
        match self.announce {
            Some(len) => SizeHint::with_exact(len),
            None => SizeHint::default(),
        }
    }
}

/// A body that fails after one chunk.
struct Broken;

impl Body for Broken {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection reset by peer 10.0.0.7",
        ))))
    }
}

#[tokio::test]
async fn an_endless_body_is_refused_after_the_limit() {
    const CHUNK: usize = 64 * 1024;
    const LIMIT: usize = 1024 * 1024;

    let (body, polls) = Endless::new(CHUNK);
    let err = tencent::from_body::<Value, _>(body, LIMIT)
        .await
        .unwrap_err();
    assert_eq!(code(&err), tencent_codes::REQUEST_SIZE_LIMIT_EXCEEDED);
    assert_eq!(
        en(&err),
        "The request body exceeds the size limit of 1048576 bytes."
    );
    assert_eq!(zh(&err), "请求包超过限制大小（1048576 字节）。");
    // 16 chunks fill the limit, the 17th goes past it: nothing after that is read.
    assert_eq!(polls.load(Ordering::SeqCst), LIMIT / CHUNK + 1);

    let (body, polls) = Endless::new(CHUNK);
    let err = bce::from_body::<Value, _>(body, LIMIT).await.unwrap_err();
    assert_eq!(code(&err), bce_codes::INVALID_HTTP_REQUEST);
    assert_eq!(
        en(&err),
        "There was an error in the body of your HTTP request: the body is larger than 1048576 \
         bytes."
    );
    assert_eq!(polls.load(Ordering::SeqCst), LIMIT / CHUNK + 1);
}

#[tokio::test]
async fn a_body_announced_too_large_is_not_read_at_all() {
    let (mut body, polls) = Endless::new(1024);
    body.announce = Some(11 * 1024 * 1024);
    let err = tencent::from_body::<Value, _>(body, tencent::DEFAULT_LIMIT)
        .await
        .unwrap_err();
    assert_eq!(code(&err), tencent_codes::REQUEST_SIZE_LIMIT_EXCEEDED);
    assert_eq!(polls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn bodies_at_the_limit_are_read() {
    let json = br#"{"Zone":"z"}"#;
    let body = Full::new(Bytes::from_static(json));
    let request: DescribeInstances = tencent::from_body(body, json.len()).await.unwrap();
    assert_eq!(request.zone, "z");
    let body = Full::new(Bytes::from_static(json));
    let err = tencent::from_body::<DescribeInstances, _>(body, json.len() - 1)
        .await
        .unwrap_err();
    assert_eq!(code(&err), tencent_codes::REQUEST_SIZE_LIMIT_EXCEEDED);
}

#[tokio::test]
async fn a_failing_body_keeps_its_error_for_the_log_only() {
    let err = tencent::from_body::<Value, _>(Broken, 1024)
        .await
        .unwrap_err();
    assert_eq!(code(&err), tencent_codes::INVALID_PARAMETER);
    assert_eq!(en(&err), "The request body could not be read.");
    assert!(std::error::Error::source(&err)
        .unwrap()
        .to_string()
        .contains("10.0.0.7"));

    let err = bce::from_body::<Value, _>(Broken, 1024).await.unwrap_err();
    assert_eq!(code(&err), bce_codes::INVALID_HTTP_REQUEST);
    assert_eq!(
        en(&err),
        "There was an error in the body of your HTTP request: the body could not be read."
    );
    assert!(!en(&err).contains("10.0.0.7"));
}

#[test]
fn content_types() {
    use http::header::CONTENT_TYPE;
    use http::{HeaderMap, HeaderValue};

    let headers = |value: Option<&'static str>| {
        let mut headers = HeaderMap::new();
        if let Some(value) = value {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(value));
        }
        headers
    };
    for ok in [
        "application/json",
        "application/json;charset=utf-8",
        "application/json; charset=UTF-8",
        "APPLICATION/JSON; Charset=\"utf-8\"",
    ] {
        assert!(bce::check_content_type(&headers(Some(ok))).is_ok(), "{ok}");
        assert!(
            tencent::check_content_type(&headers(Some(ok))).is_ok(),
            "{ok}"
        );
    }
    for bad in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/json; charset=iso-8859-1"),
        Some("text/json"),
    ] {
        let err = bce::check_content_type(&headers(bad)).unwrap_err();
        assert_eq!(code(&err), bce_codes::INVALID_HTTP_REQUEST, "{bad:?}");
        assert_eq!(
            en(&err),
            "There was an error in the body of your HTTP request: the content type must be \
             application/json (UTF-8)."
        );
        let err = tencent::check_content_type(&headers(bad)).unwrap_err();
        assert_eq!(code(&err), tencent_codes::INVALID_PARAMETER, "{bad:?}");
        assert_eq!(
            en(&err),
            "A POST request must have the content type application/json."
        );
        assert_eq!(zh(&err), "POST 请求的 Content-Type 须为 application/json。");
    }
}

// ---------------------------------------------------------------------------------------------
// Every input
// ---------------------------------------------------------------------------------------------

const BCE_CODES: &[Code] = &[
    bce_codes::MALFORMED_JSON,
    bce_codes::INAPPROPRIATE_JSON,
    bce_codes::INVALID_HTTP_REQUEST,
];

const TENCENT_CODES: &[Code] = &[
    tencent_codes::INVALID_PARAMETER,
    tencent_codes::MISSING_PARAMETER,
    tencent_codes::UNKNOWN_PARAMETER,
    tencent_codes::INVALID_PARAMETER_VALUE,
];

fn check_every_input(body: &[u8]) {
    for result in [
        bce::from_slice::<CreateEip>(body).map(drop),
        bce::from_slice::<Value>(body).map(drop),
    ] {
        if let Err(err) = result {
            assert!(BCE_CODES.contains(&code(&err)), "{err:?}");
            assert!(en(&err).len() <= tower_cloud_error::CloudError::MAX_MESSAGE_LEN);
        }
    }
    for result in [
        tencent::from_slice::<DescribeInstances>(body).map(drop),
        tencent::from_slice::<Value>(body).map(drop),
    ] {
        if let Err(err) = result {
            assert!(TENCENT_CODES.contains(&code(&err)), "{err:?}");
            for language in [Language::ZhCn, Language::EnUs] {
                let message = err.message(language);
                assert!(message.len() <= tower_cloud_error::CloudError::MAX_MESSAGE_LEN);
                assert!(!message.chars().any(char::is_control), "{message:?}");
            }
        }
    }
}

/// JSON-ish text: the characters JSON is made of, the parameter names above, and some that
/// are not allowed, so that most inputs get past the first byte.
fn jsonish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("\"Zone\"".to_owned()),
        Just("\"Limit\"".to_owned()),
        Just("\"Filters\"".to_owned()),
        Just("\"Name\"".to_owned()),
        Just("\"Values\"".to_owned()),
        Just("\"bandwidthInMbps\"".to_owned()),
        Just("\"billing\"".to_owned()),
        Just("\"paymentTiming\"".to_owned()),
        Just("\"Postpaid\"".to_owned()),
        "-?[0-9]{1,25}(\\.[0-9]{1,3})?(e[0-9]{1,3})?",
        "\"[a-zA-Z\\\\\\u{0}-\\u{1f}\\u{202e}`]{0,8}\"",
        Just(" ".to_owned()),
    ];
    prop::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat())
}

/// A JSON value built from the names of the request types above and a few others, nested a
/// few levels, so that generated bodies fit, miss, misname and mistype parameters.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-5i64..300).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "[a-zA-Z]{0,6}".prop_map(Value::from),
        prop_oneof![Just("Postpaid"), Just("Prepaid")].prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            object(inner),
        ]
    })
}

/// A parameter name: one of the request types', or another (with control and invisible
/// characters).
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Zone",
            "Limit",
            "Filters",
            "Name",
            "Values",
            "Tags",
            "Key",
            "Value",
            "bandwidthInMbps",
            "billing",
            "paymentTiming",
            "reservation",
            "reservationLength",
            "name",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z\\u{0}-\\u{1f}\\u{202e}`]{1,6}",
    ]
}

fn object(values: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    prop::collection::vec((key(), values), 0..6)
        .prop_map(|entries| Value::Object(entries.into_iter().collect()))
}

/// A valid request of either style with up to two edits: an item added or replaced, one
/// removed, `Limit` set to an integer.
fn near_valid() -> impl Strategy<Value = Value> {
    let base = prop_oneof![
        Just(json!({ "Zone": "z", "Limit": 20, "Filters": [{ "Name": "n", "Values": ["a"] }] })),
        Just(json!({ "bandwidthInMbps": 10, "billing": { "paymentTiming": "Postpaid" } })),
    ];
    let edits = prop::collection::vec((0..3u8, key(), json_value(), -5i64..300), 0..3);
    (base, edits).prop_map(|(mut base, edits)| {
        let map = base.as_object_mut().expect("an object");
        for (edit, key, value, limit) in edits {
            match edit {
                0 => map.insert(key, value),
                1 => map.remove(&key),
                _ => map.insert("Limit".to_owned(), limit.into()),
            };
        }
        base
    })
}

/// A body: mostly a JSON object (often nearly a valid request), sometimes another value; then perhaps cut short or with a
/// byte inserted (a syntax error, or invalid UTF-8, anywhere).
fn json_body() -> impl Strategy<Value = Vec<u8>> {
    let value = prop_oneof![3 => near_valid(), 2 => object(json_value()), 1 => json_value()];
    (value, 0..4u8, any::<prop::sample::Index>(), any::<u8>()).prop_map(
        |(value, damage, at, byte)| {
            let mut body = serde_json::to_vec(&value).unwrap();
            let at = at.index(body.len() + 1);
            match damage {
                0 => body.truncate(at),
                1 => body.insert(at, byte),
                _ => {}
            }
            body
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn arbitrary_bytes_never_panic_and_get_a_documented_code(
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        check_every_input(&body);
    }

    #[test]
    fn arbitrary_json_bodies_get_a_documented_code(body in json_body()) {
        check_every_input(&body);
    }

    #[test]
    fn arbitrary_json_like_text_gets_a_documented_code(body in jsonish()) {
        check_every_input(body.as_bytes());
    }
}

/// The generated bodies reach every classification, so the properties above are not vacuous.
#[test]
fn generated_bodies_reach_every_code() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..2000 {
        let body = json_body().new_tree(&mut runner).unwrap().current();
        match tencent::from_slice::<DescribeInstances>(&body) {
            Ok(_) => seen.insert("Tencent success"),
            Err(err) => seen.insert(code(&err).name()),
        };
        match bce::from_slice::<CreateEip>(&body) {
            Ok(_) => seen.insert("BCE success"),
            Err(err) => seen.insert(code(&err).name()),
        };
    }
    let expected = [
        "BCE success",
        "InappropriateJSON",
        "InvalidHTTPRequest",
        "InvalidParameter",
        "InvalidParameterValue",
        "MalformedJSON",
        "MissingParameter",
        "Tencent success",
        "UnknownParameter",
    ];
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), expected);
}

// ---------------------------------------------------------------------------------------------
// The extractors behind the layer (feature `axum`)
// ---------------------------------------------------------------------------------------------

#[cfg(feature = "axum")]
mod extractors {
    use axum::body::Body as AxumBody;
    use axum::routing::{post, put};
    use axum::Router;
    use http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    use tower_cloud_error::bce::Json as BceJson;
    use tower_cloud_error::tencent::Json as TencentJson;
    use tower_cloud_error::CloudErrorLayer;

    use super::*;

    async fn create(BceJson(eip): BceJson<CreateEip>) -> String {
        eip.bandwidth_in_mbps.to_string()
    }

    async fn small(BceJson(value): BceJson<Value, 16>) -> String {
        value.to_string()
    }

    async fn describe(TencentJson(request): TencentJson<DescribeInstances>) -> String {
        request.zone
    }

    fn bce_app() -> Router {
        Router::new()
            .route("/v1/eip", post(create))
            .route("/v1/small", put(small))
            .layer(CloudErrorLayer::bce())
    }

    fn tencent_app() -> Router {
        Router::new()
            .route("/", post(describe))
            .layer(CloudErrorLayer::tencent())
    }

    async fn send(
        app: Router,
        request: Request<AxumBody>,
    ) -> (http::StatusCode, http::HeaderMap, Value) {
        let response = app.oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes();
        let json = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()))
        };
        (parts.status, parts.headers, json)
    }

    fn bce_request(
        uri: &str,
        content_type: Option<&str>,
        body: impl Into<AxumBody>,
    ) -> Request<AxumBody> {
        let mut request = Request::builder().method("POST").uri(uri);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.body(body.into()).unwrap()
    }

    const JSON_UTF8: Option<&str> = Some("application/json;charset=utf-8");

    /// Asserts the BCE envelope with `code`, its status and `message`.
    fn assert_bce(
        (status, headers, body): &(http::StatusCode, http::HeaderMap, Value),
        code: Code,
        message: &str,
    ) {
        assert_eq!(*status, code.status(), "{body}");
        let id = headers["x-bce-request-id"].to_str().unwrap();
        assert_eq!(
            body,
            &json!({ "requestId": id, "code": code.name(), "message": message })
        );
    }

    #[tokio::test]
    async fn bce_extractor_answers_each_documented_code() {
        let ok = send(bce_app(), bce_request("/v1/eip", JSON_UTF8, BCE_VALID)).await;
        assert_eq!(ok.0, 200);
        assert_eq!(ok.2, json!(10));

        let cases: Vec<(Option<&str>, AxumBody, Code, String)> = vec![
            (
                Some("text/plain"),
                BCE_VALID.into(),
                bce_codes::INVALID_HTTP_REQUEST,
                "There was an error in the body of your HTTP request: the content type must be \
                 application/json (UTF-8)."
                    .into(),
            ),
            (
                None,
                BCE_VALID.into(),
                bce_codes::INVALID_HTTP_REQUEST,
                "There was an error in the body of your HTTP request: the content type must be \
                 application/json (UTF-8)."
                    .into(),
            ),
            (
                JSON_UTF8,
                AxumBody::from(&b"{\"name\":\"\x80\"}"[..]),
                bce_codes::INVALID_HTTP_REQUEST,
                "There was an error in the body of your HTTP request: the body is not valid UTF-8 \
                 (byte 9)."
                    .into(),
            ),
            (
                JSON_UTF8,
                AxumBody::empty(),
                bce_codes::MALFORMED_JSON,
                "The JSON you provided was not well-formed.".into(),
            ),
            (
                JSON_UTF8,
                r#"{"bandwidthInMbps":"ten","billing":"#.into(),
                bce_codes::MALFORMED_JSON,
                "The JSON you provided was not well-formed.".into(),
            ),
            (
                JSON_UTF8,
                r#"{"bandwidthInMbps":10}"#.into(),
                bce_codes::INAPPROPRIATE_JSON,
                format!("{INAPPROPRIATE}: missing field `billing`."),
            ),
            (
                JSON_UTF8,
                r#"{"bandwidthInMbps":0,"billing":{"paymentTiming":"Postpaid"},"x":1}"#.into(),
                bce_codes::INAPPROPRIATE_JSON,
                format!("{INAPPROPRIATE}: bandwidthInMbps must be an integer from 1 to 200."),
            ),
        ];
        for (content_type, body, code, message) in cases {
            let response = send(bce_app(), bce_request("/v1/eip", content_type, body)).await;
            assert_bce(&response, code, &message);
        }
    }

    #[tokio::test]
    async fn bce_extractor_limit_is_a_const_parameter() {
        let fits = send(bce_app(), {
            let mut r = bce_request("/v1/small", JSON_UTF8, r#"{"a":"01234567"}"#);
            *r.method_mut() = http::Method::PUT;
            r
        })
        .await;
        assert_eq!(fits.0, 200, "{}", fits.2);
        let mut request = bce_request("/v1/small", JSON_UTF8, r#"{"a":"012345678"}"#);
        *request.method_mut() = http::Method::PUT;
        let response = send(bce_app(), request).await;
        assert_bce(
            &response,
            bce_codes::INVALID_HTTP_REQUEST,
            "There was an error in the body of your HTTP request: the body is larger than 16 bytes.",
        );
    }

    /// A refused content type still has its body read (within the limit), so that hyper keeps
    /// the connection; the content type's error wins over the size's.
    #[tokio::test]
    async fn a_wrong_content_type_is_answered_after_reading_the_body() {
        let (body, polls) = Endless::new(8);
        let mut request = bce_request("/v1/small", Some("text/plain"), AxumBody::new(body));
        *request.method_mut() = http::Method::PUT;
        let response = send(bce_app(), request).await;
        assert_bce(
            &response,
            bce_codes::INVALID_HTTP_REQUEST,
            "There was an error in the body of your HTTP request: the content type must be \
             application/json (UTF-8).",
        );
        assert_eq!(polls.load(Ordering::SeqCst), 16 / 8 + 1);
    }

    #[tokio::test]
    async fn bce_extractor_stops_reading_an_endless_body() {
        let (body, polls) = Endless::new(256 * 1024);
        let request = bce_request("/v1/eip", JSON_UTF8, AxumBody::new(body));
        let response = send(bce_app(), request).await;
        assert_bce(
            &response,
            bce_codes::INVALID_HTTP_REQUEST,
            "There was an error in the body of your HTTP request: the body is larger than 2097152 \
             bytes.",
        );
        assert_eq!(
            polls.load(Ordering::SeqCst),
            bce::DEFAULT_LIMIT / (256 * 1024) + 1
        );
    }

    fn tencent_request(
        content_type: Option<&str>,
        language: &str,
        body: impl Into<AxumBody>,
    ) -> Request<AxumBody> {
        let mut request = Request::post("/").header("x-tc-language", language);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.body(body.into()).unwrap()
    }

    /// Asserts the Tencent envelope: 200, `application/json` exactly, `code` and `message`.
    fn assert_tencent(
        (status, headers, body): &(http::StatusCode, http::HeaderMap, Value),
        code: Code,
        message: &str,
    ) {
        assert_eq!(*status, 200);
        assert_eq!(headers["content-type"], "application/json");
        let id = headers["x-tc-requestid"].to_str().unwrap();
        assert_eq!(
            body,
            &json!({ "Response": { "Error": { "Code": code.name(), "Message": message }, "RequestId": id } })
        );
    }

    #[tokio::test]
    async fn tencent_extractor_answers_each_documented_code_in_both_languages() {
        let json = Some("application/json");
        let ok = send(tencent_app(), tencent_request(json, "zh-CN", TENCENT_VALID)).await;
        assert_eq!(ok.2, Value::String("ap-guangzhou-3".into()));

        /// Content type, body, code, Chinese and English messages.
        type Case = (
            Option<&'static str>,
            &'static [u8],
            Code,
            &'static str,
            &'static str,
        );
        let cases: Vec<Case> = vec![
            (
                Some("text/plain"),
                TENCENT_VALID.as_bytes(),
                tencent_codes::INVALID_PARAMETER,
                "POST 请求的 Content-Type 须为 application/json。",
                "A POST request must have the content type application/json.",
            ),
            (
                json,
                br#"{"Zone":"z","Limit":"#,
                tencent_codes::INVALID_PARAMETER,
                UNPARSEABLE_ZH,
                UNPARSEABLE_EN,
            ),
            (
                json,
                b"\xff",
                tencent_codes::INVALID_PARAMETER,
                UNPARSEABLE_ZH,
                UNPARSEABLE_EN,
            ),
            (
                json,
                br#"{"Zone":"z","Filters":[{"Name":"n","Values":[],"Bogus":1}]}"#,
                tencent_codes::UNKNOWN_PARAMETER,
                "参数 `Filters.0.Bogus` 未定义，该接口不接受此参数。",
                "The parameter `Filters.0.Bogus` is not defined by this action.",
            ),
            (
                json,
                br#"{"Limit":1}"#,
                tencent_codes::MISSING_PARAMETER,
                "缺少必需参数 `Zone`。",
                "The request is missing a required parameter `Zone`.",
            ),
            (
                json,
                br#"{"Zone":"z","Limit":"1"}"#,
                tencent_codes::INVALID_PARAMETER,
                "参数 `Limit` 的类型或格式错误。",
                "The parameter `Limit` has the wrong type or format.",
            ),
            (
                json,
                br#"{"Zone":"z","Limit":1000}"#,
                tencent_codes::INVALID_PARAMETER_VALUE,
                "参数 `Limit` 的取值无效。",
                "The value of the parameter `Limit` is invalid.",
            ),
        ];
        for (content_type, body, code, zh, en) in cases {
            for (language, message) in [("zh-CN", zh), ("en-US", en)] {
                let request = tencent_request(content_type, language, body);
                let response = send(tencent_app(), request).await;
                assert_tencent(&response, code, message);
            }
        }
    }

    #[tokio::test]
    async fn tencent_extractor_stops_reading_an_endless_body() {
        let (body, polls) = Endless::new(1024 * 1024);
        let request = tencent_request(Some("application/json"), "en-US", AxumBody::new(body));
        let response = send(tencent_app(), request).await;
        assert_tencent(
            &response,
            tencent_codes::REQUEST_SIZE_LIMIT_EXCEEDED,
            "The request body exceeds the size limit of 10485760 bytes.",
        );
        assert_eq!(polls.load(Ordering::SeqCst), 11);
    }

    #[tokio::test]
    async fn a_content_length_over_the_limit_is_refused_unread() {
        let (mut body, polls) = Endless::new(1024);
        body.announce = Some(tencent::DEFAULT_LIMIT as u64 + 1);
        let request = tencent_request(Some("application/json"), "en-US", AxumBody::new(body));
        let response = send(tencent_app(), request).await;
        assert_eq!(
            response.2["Response"]["Error"]["Code"],
            "RequestSizeLimitExceeded"
        );
        assert_eq!(polls.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn extractors_are_plain_wrappers() {
        let mut json = TencentJson::<u8>::from(1);
        *json += 1;
        assert_eq!(json.into_inner(), 2);
        let json: BceJson<&str, 10> = BceJson("x");
        assert_eq!(*json, "x");
    }
}
