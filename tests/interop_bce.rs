//! The official BCE Python SDK (`bce-python-sdk`, `EipClient`) against `examples/bce_eip.rs`:
//! every route's successes and errors, the layer's own answers (its version and date checks,
//! its rewrite of axum's bare 404 and 405), a body over the limit, a panic and an internal
//! error, as the SDK reads them.
//!
//! The driver (`tests/interop/bce_eip_driver.py`) only reports what the SDK and the wire said;
//! this file asserts.

mod support;

#[path = "../examples/bce_eip.rs"]
#[allow(dead_code)]
mod bce_eip;

use std::collections::HashSet;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use serde::Deserialize;
use serde_json::{json, Value};
use tower::ServiceExt;
use tower_cloud_error::bce::{common, eip};
use tower_cloud_error::Code;

use bce_eip::Config;

/// Every case the driver runs, in order. A driver that skips one fails the test.
const CASES: &[&str] = &[
    "create_postpaid",
    "create_idempotent_replay",
    "create_idempotent_mismatch",
    "create_prepaid",
    "create_unknown_fields_ignored",
    "create_malformed_json",
    "create_missing_field",
    "create_wrong_type",
    "create_body_not_object",
    "create_billing_not_object",
    "create_malformed_after_misfit",
    "create_text_body",
    "create_unknown_payment_timing",
    "create_bandwidth_out_of_range",
    "create_prepaid_without_length",
    "create_client_token_too_long",
    "create_by_traffic",
    "create_default_billing",
    "create_beyond_quota",
    "list_all",
    "list_first_page",
    "list_next_page",
    "list_by_eip",
    "list_max_keys_invalid",
    "bind",
    "list_by_instance",
    "list_instance_type_without_id",
    "bind_eip_not_found",
    "bind_instance_not_found",
    "bind_instance_already_bound",
    "bind_eip_already_bound",
    "bind_missing_instance_id",
    "put_without_action",
    "release_bound",
    "unbind",
    "unbind_not_bound",
    "resize",
    "list_after_resize",
    "resize_out_of_range",
    "resize_eip_not_found",
    "release_prepaid",
    "release",
    "release_eip_not_found",
    "create_after_release",
    "unknown_path",
    "invalid_version",
    "invalid_version_with_body",
    "method_not_allowed",
    "create_request_expired",
    "create_body_too_large",
    "panic",
    "internal",
    "head_error",
];

const JSON_UTF8: &str = "application/json; charset=utf-8";
const INTERNAL_MESSAGE: &str = "We encountered an internal error. Please try again.";
/// What the fault injection puts in the panic payload and the storage error.
const PANIC_TEXT: &[&str] = &["index out of bounds", "eip_table", "shard 3"];
const SECRET_TEXT: &[&str] = &["S3cr3tP4ss", "postgres://", "eip_admin", "10.0.0.7"];

/// One line of the driver's output.
#[derive(Debug, Deserialize)]
struct Report {
    case: String,
    raised: bool,
    exception: Option<String>,
    last_error: Option<String>,
    status_code: Option<u16>,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    result: Option<Value>,
    requests: u32,
    http_status: Option<u16>,
    header_request_id: Option<String>,
    content_type: Option<String>,
    allow: Option<String>,
    connection: Option<String>,
    raw_body: Option<String>,
    sent_bce_date: Option<String>,
}

impl Report {
    /// The `x-bce-request-id` response header, checked to be a UUID v4.
    fn header_id(&self) -> &str {
        let id = self
            .header_request_id
            .as_deref()
            .unwrap_or_else(|| panic!("{}: no x-bce-request-id header: {self:#?}", self.case));
        assert_uuid_v4(id, &self.case);
        id
    }

    fn raw_body(&self) -> &str {
        self.raw_body.as_deref().unwrap_or_default()
    }

    /// Asserts the SDK call succeeded with 200 and returns what the SDK parsed.
    fn ok(&self) -> &Value {
        assert!(!self.raised, "{}: expected success: {self:#?}", self.case);
        assert_eq!(self.http_status, Some(200), "{}", self.case);
        self.header_id();
        self.result.as_ref().expect("a result for a success")
    }

    /// Asserts an empty 200, as BCE answers bind, unbind, resize and release.
    fn ok_empty(&self) {
        assert_eq!(self.ok(), &json!({}), "{}", self.case);
        assert_eq!(self.raw_body(), "", "{}", self.case);
    }

    /// Asserts a JSON 200 and returns the SDK's view of it.
    fn ok_json(&self) -> &Value {
        let result = self.ok();
        assert_eq!(
            self.content_type.as_deref(),
            Some(JSON_UTF8),
            "{}",
            self.case
        );
        result
    }

    /// The EIP a create returned.
    fn created(&self) -> &str {
        self.ok_json()["eip"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: no eip in {self:#?}", self.case))
    }

    /// The `eip` of each EIP a list returned.
    fn listed(&self) -> Vec<&str> {
        self.ok_json()["eip_list"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no eip_list in {self:#?}", self.case))
            .iter()
            .map(|item| item["eip"].as_str().expect("eip"))
            .collect()
    }

    /// Asserts the SDK raised `code` with `message` and the documented status, and that the
    /// envelope on the wire is exactly the BCE one with the header's request id.
    fn error(&self, code: Code, message: &str) {
        let case = &self.case;
        assert!(self.raised, "{case}: expected {code}: {self:#?}");
        assert_eq!(
            self.exception.as_deref(),
            Some("BceHttpClientError"),
            "{case}: {self:#?}"
        );
        assert_eq!(self.last_error.as_deref(), Some("BceServerError"), "{case}");
        assert_eq!(self.code.as_deref(), Some(code.name()), "{case}: {self:#?}");
        assert_eq!(self.message.as_deref(), Some(message), "{case}");
        assert_eq!(self.status_code, Some(code.status().as_u16()), "{case}");
        assert_eq!(self.http_status, Some(code.status().as_u16()), "{case}");
        let id = self.header_id();
        assert_eq!(
            self.request_id.as_deref(),
            Some(id),
            "{case}: SDK id vs header"
        );
        assert_eq!(self.content_type.as_deref(), Some(JSON_UTF8), "{case}");
        let body: Value = serde_json::from_str(self.raw_body())
            .unwrap_or_else(|e| panic!("{case}: error body is not JSON ({e}): {self:#?}"));
        assert_eq!(
            body,
            json!({ "requestId": id, "code": code.name(), "message": message }),
            "{case}"
        );
    }
}

/// `code`'s documented message with the example's detail, as the example words it.
fn detailed(code: Code, detail: &str) -> String {
    format!("{}: {detail}.", code.message().trim_end_matches('.'))
}

fn assert_uuid_v4(id: &str, case: &str) {
    let uuid = uuid::Uuid::parse_str(id)
        .unwrap_or_else(|e| panic!("{case}: request id {id:?} is not a UUID: {e}"));
    assert_eq!(
        uuid.get_version(),
        Some(uuid::Version::Random),
        "{case}: {id} is not v4"
    );
    assert_eq!(
        uuid.hyphenated().to_string(),
        id,
        "{case}: {id} is not canonical"
    );
}

/// `YYYY-MM-DDTHH:MM:SSZ`, as BCE writes times.
fn assert_bce_time(time: &Value, what: &str) {
    let time = time
        .as_str()
        .unwrap_or_else(|| panic!("{what}: {time} is not a string"));
    let shape: String = time
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    assert_eq!(shape, "9999-99-99T99:99:99Z", "{what}: {time}");
}

#[test]
fn official_sdk_reads_every_success_and_error_of_the_eip_example() {
    let logs = support::LogCapture::install();
    let server = support::Server::start(bce_eip::app(Config {
        faults: true,
        ..Config::default()
    }));
    let output = support::run_driver("bce_eip_driver.py", &[&server.url()]);

    let reports: Vec<Report> = output
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("driver line is not a report ({e}): {line}"))
        })
        .collect();
    let names: Vec<&str> = reports.iter().map(|r| r.case.as_str()).collect();
    assert_eq!(names, CASES, "the driver ran other cases:\n{output}");
    let case = |name: &str| reports.iter().find(|r| r.case == name).unwrap();

    // Every call: one request (no retries), a UUID v4 in x-bce-request-id, never twice the same.
    let mut ids = HashSet::new();
    for report in &reports {
        assert_eq!(report.requests, 1, "{}: {report:#?}", report.case);
        assert!(ids.insert(report.header_id()), "{}: id reused", report.case);
    }
    // Nothing internal reached any client.
    for text in PANIC_TEXT.iter().chain(SECRET_TEXT) {
        assert!(
            !output.contains(text),
            "{text:?} reached a client:\n{output}"
        );
    }

    // create_eip, idempotency, body errors, quota.
    assert_eq!(case("create_postpaid").created(), "100.88.0.1");
    assert_eq!(case("create_idempotent_replay").created(), "100.88.0.1");
    case("create_idempotent_mismatch").error(
        common::IDEMPOTENT_PARAMETER_MISMATCH,
        "The request uses the same client token as a previous, but non-identical request.",
    );
    assert_eq!(case("create_prepaid").created(), "100.88.0.2");
    assert_eq!(
        case("create_unknown_fields_ignored").created(),
        "100.88.0.3"
    );
    case("create_malformed_json").error(
        common::MALFORMED_JSON,
        "The JSON you provided was not well-formed.",
    );
    let inappropriate = common::INAPPROPRIATE_JSON;
    assert_eq!(
        detailed(inappropriate, "x"),
        "The JSON you provided was well-formed and valid, but not appropriate for this \
         operation: x."
    );
    case("create_missing_field").error(
        inappropriate,
        &detailed(inappropriate, "missing field `bandwidthInMbps`"),
    );
    // The extractor names the item and quotes serde's description of the misfit.
    case("create_wrong_type").error(
        inappropriate,
        &detailed(
            inappropriate,
            r#"`bandwidthInMbps`: invalid type: string "ten", expected u32"#,
        ),
    );
    case("create_body_not_object").error(
        inappropriate,
        &detailed(inappropriate, "the body must be a JSON object"),
    );
    case("create_billing_not_object").error(
        inappropriate,
        &detailed(
            inappropriate,
            "`billing`: invalid type: sequence, expected a JSON object",
        ),
    );
    case("create_malformed_after_misfit").error(
        common::MALFORMED_JSON,
        "The JSON you provided was not well-formed.",
    );
    case("create_text_body").error(
        common::INVALID_HTTP_REQUEST,
        "There was an error in the body of your HTTP request: the content type must be \
         application/json (UTF-8).",
    );
    case("create_unknown_payment_timing").error(
        inappropriate,
        &detailed(
            inappropriate,
            "`billing.paymentTiming`: unknown variant `Weekly`, expected `Prepaid` or `Postpaid`",
        ),
    );
    case("create_bandwidth_out_of_range").error(
        inappropriate,
        &detailed(
            inappropriate,
            "bandwidthInMbps must be an integer from 1 to 200",
        ),
    );
    case("create_prepaid_without_length").error(
        inappropriate,
        &detailed(
            inappropriate,
            "a Prepaid EIP is billed ByBandwidth, with billing.reservation.reservationLength \
             of 1 to 9, 12, 24 or 36 Month",
        ),
    );
    case("create_client_token_too_long").error(
        common::INVALID_URI,
        &detailed(
            common::INVALID_URI,
            "clientToken must be 1 to 64 ASCII characters",
        ),
    );
    assert_eq!(case("create_by_traffic").created(), "100.88.0.4");
    assert_eq!(case("create_default_billing").created(), "100.88.0.5");
    case("create_beyond_quota").error(eip::EXCEED_LIMIT, "The amount of eip exceed limit");
    assert_eq!(eip::EXCEED_LIMIT.status(), 413);

    // list_eips: the SDK's model of each EIP, pages, filters.
    let all = case("list_all");
    assert_eq!(
        all.listed(),
        [
            "100.88.0.1",
            "100.88.0.2",
            "100.88.0.3",
            "100.88.0.4",
            "100.88.0.5"
        ]
    );
    let list = all.ok_json();
    assert_eq!(list["is_truncated"], json!(false));
    assert_eq!(list["max_keys"], json!(1000));
    assert_eq!(list["marker"], json!(""));
    assert!(list.get("next_marker").is_none(), "{list:#}");
    let items = list["eip_list"].as_array().unwrap();
    let mut fields: Vec<&str> = items[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "bandwidth_in_mbps",
            "billing_method",
            "create_time",
            "eip",
            "eip_id",
            "expire_time",
            "instance_id",
            "instance_type",
            "name",
            "payment_timing",
            "share_group_id",
            "status"
        ]
    );
    for item in items {
        assert_bce_time(&item["create_time"], "create_time");
        assert_eq!(item["status"], json!("available"));
    }
    let (a, b, c, d, e) = (&items[0], &items[1], &items[2], &items[3], &items[4]);
    assert_eq!(a["name"], json!("web-1"));
    assert_eq!(a["bandwidth_in_mbps"], json!(10));
    assert_eq!(a["payment_timing"], json!("Postpaid"));
    assert_eq!(a["billing_method"], json!("ByBandwidth"));
    assert_eq!(a["expire_time"], Value::Null);
    assert_eq!(b["name"], json!("db-1"));
    assert_eq!(b["payment_timing"], json!("Prepaid"));
    assert_bce_time(&b["expire_time"], "expire_time");
    assert!(b["expire_time"].as_str() > b["create_time"].as_str());
    assert_eq!(c["name"], json!("batch-1"));
    assert_eq!(d["billing_method"], json!("ByTraffic"));
    assert_eq!(d["bandwidth_in_mbps"], json!(100));
    assert_eq!(e["bandwidth_in_mbps"], json!(2));

    let first = case("list_first_page");
    assert_eq!(first.listed(), ["100.88.0.1", "100.88.0.2"]);
    assert_eq!(first.ok_json()["is_truncated"], json!(true));
    assert_eq!(first.ok_json()["next_marker"], c["eip_id"]);
    let next = case("list_next_page");
    assert_eq!(next.listed(), ["100.88.0.3", "100.88.0.4"]);
    assert_eq!(next.ok_json()["marker"], c["eip_id"]);
    assert_eq!(next.ok_json()["next_marker"], e["eip_id"]);
    assert_eq!(case("list_by_eip").listed(), ["100.88.0.2"]);
    case("list_max_keys_invalid").error(
        common::INVALID_URI,
        &detailed(
            common::INVALID_URI,
            "maxKeys must be an integer from 1 to 1000",
        ),
    );

    // bind_eip.
    case("bind").ok_empty();
    let bound = case("list_by_instance");
    assert_eq!(bound.listed(), ["100.88.0.1"]);
    let item = &bound.ok_json()["eip_list"][0];
    assert_eq!(item["status"], json!("binded"));
    assert_eq!(item["instance_type"], json!("BCC"));
    assert_eq!(item["instance_id"], json!("i-web00001"));
    case("list_instance_type_without_id").error(
        common::INVALID_URI,
        &detailed(
            common::INVALID_URI,
            "instanceType and instanceId go together",
        ),
    );
    case("bind_eip_not_found").error(eip::EIP_NOT_FOUND, "The specified eip does not exist.");
    case("bind_instance_not_found")
        .error(eip::INSTANCE_NOT_FOUND, eip::INSTANCE_NOT_FOUND.message());
    case("bind_instance_already_bound").error(
        eip::INSTANCE_ALREADY_BIND,
        "The specified instance is already binded.",
    );
    case("bind_eip_already_bound").error(
        eip::UNSUPPORTED_EIP_OPERATION,
        eip::UNSUPPORTED_EIP_OPERATION.message(),
    );
    case("bind_missing_instance_id").error(
        inappropriate,
        &detailed(inappropriate, "missing field `instanceId`"),
    );
    case("put_without_action").error(
        common::INVALID_URI,
        &detailed(
            common::INVALID_URI,
            "expected exactly one of the actions bind, unbind or resize",
        ),
    );
    case("release_bound").error(
        eip::UNSUPPORTED_EIP_OPERATION,
        "The status of specified eip does not support this operation.",
    );

    // unbind_eip, resize_eip.
    case("unbind").ok_empty();
    case("unbind_not_bound").error(
        eip::UNSUPPORTED_EIP_OPERATION,
        eip::UNSUPPORTED_EIP_OPERATION.message(),
    );
    case("resize").ok_empty();
    let resized = case("list_after_resize");
    assert_eq!(resized.listed(), ["100.88.0.1"]);
    let item = &resized.ok_json()["eip_list"][0];
    assert_eq!(item["bandwidth_in_mbps"], json!(50));
    assert_eq!(item["status"], json!("available"));
    assert_eq!(item["instance_id"], Value::Null);
    case("resize_out_of_range").error(
        inappropriate,
        &detailed(
            inappropriate,
            "newBandwidthInMbps must be an integer from 1 to 200",
        ),
    );
    case("resize_eip_not_found").error(eip::EIP_NOT_FOUND, eip::EIP_NOT_FOUND.message());

    // release_eip.
    case("release_prepaid").error(eip::PREPAY_EIP, "The specified eip is prepay");
    case("release").ok_empty();
    case("release_eip_not_found").error(eip::EIP_NOT_FOUND, eip::EIP_NOT_FOUND.message());
    assert_eq!(case("create_after_release").created(), "100.88.0.6");

    // Routing: the layer's version check, and its rewrite of axum's bare 404 and 405 (the
    // example has no fallback of its own).
    case("unknown_path").error(common::INVALID_URI, "Could not parse the specified URI.");
    case("invalid_version").error(
        common::INVALID_VERSION,
        "The API version specified was invalid.",
    );
    case("invalid_version_with_body").error(
        common::INVALID_VERSION,
        "The API version specified was invalid.",
    );
    assert_eq!(common::INVALID_VERSION.status(), 404);
    let wrong_method = case("method_not_allowed");
    // The code is BCE's for a request no operation matches; the message says what was wrong
    // with the request (the URI parsed fine).
    wrong_method.error(
        common::INVALID_URI,
        "The HTTP method POST is not supported by this resource.",
    );
    // axum's `Allow` survives the rewrite.
    let mut allowed: Vec<&str> = wrong_method
        .allow
        .as_deref()
        .unwrap_or_else(|| panic!("method_not_allowed: no Allow header: {wrong_method:#?}"))
        .split(',')
        .map(str::trim)
        .collect();
    allowed.sort_unstable();
    assert_eq!(allowed, ["DELETE", "PUT"], "method_not_allowed: Allow");

    // The layer's date check: the SDK dated (x-bce-date) and signed the request an hour ago.
    let expired = case("create_request_expired");
    let sent = expired
        .sent_bce_date
        .as_deref()
        .expect("create_request_expired: the x-bce-date sent");
    assert_bce_time(&json!(sent), "x-bce-date");
    expired.error(
        common::REQUEST_EXPIRED,
        &format!("Request has expired. Timestamp date is {sent}."),
    );
    assert_eq!(common::REQUEST_EXPIRED.status(), 400);
    // Every other request carried a fresh date and passed.
    for report in reports
        .iter()
        .filter(|r| r.case != "create_request_expired")
    {
        assert!(
            report.sent_bce_date.is_some(),
            "{}: no x-bce-date",
            report.case
        );
        assert!(
            report.sent_bce_date.as_deref() > Some(sent),
            "{}: {:?} is not later than the stale {sent}",
            report.case,
            report.sent_bce_date
        );
    }

    // A body over BceJson's 2 MiB, refused unread (the driver reads the answer even if the send
    // broke off; see `Tolerant` in the driver).
    case("create_body_too_large").error(
        common::INVALID_HTTP_REQUEST,
        "There was an error in the body of your HTTP request: the body is larger than 2097152 \
         bytes.",
    );

    // No answer says `Connection: close`: the bodies left unread (the layer's checks, its
    // rewrites of axum's bare answers, a clientToken refused before the body was read, a body
    // refused over its limit) are drained before the answer, and the SDK's connection stays
    // usable.
    for report in &reports {
        assert_eq!(
            report.connection.as_deref(),
            None,
            "{}: Connection",
            report.case
        );
    }

    // Every error's id is in the server log, next to its code.
    for report in reports.iter().filter(|r| r.code.is_some()) {
        let code = report.code.as_deref().unwrap();
        let lines = logs.lines_with(report.header_id());
        assert!(
            lines.iter().any(|line| line.contains(code)),
            "{}: no log line with the request id and {code}: {lines:#?}",
            report.case
        );
    }

    // A panic: InternalError, nothing of the payload in the response, the payload in the log.
    let panic = case("panic");
    panic.error(common::INTERNAL_ERROR, INTERNAL_MESSAGE);
    assert_eq!(common::INTERNAL_ERROR.message(), INTERNAL_MESSAGE);
    for text in PANIC_TEXT {
        assert!(!panic.raw_body().contains(text), "{text:?} in the response");
    }
    let lines = logs.lines_with(panic.header_id());
    assert!(
        lines.iter().any(|line| line.contains("eip_table shard 3")),
        "the panic payload is not logged with the request id: {lines:#?}"
    );

    // An internal error: the same answer; the secret only in the server's log.
    let internal = case("internal");
    internal.error(common::INTERNAL_ERROR, INTERNAL_MESSAGE);
    for text in SECRET_TEXT {
        assert!(
            !internal.raw_body().contains(text),
            "{text:?} in the response"
        );
    }
    let lines = logs.lines_with(internal.header_id());
    assert!(
        lines.iter().any(|line| line.contains("S3cr3tP4ss")),
        "the storage error is not logged with the request id: {lines:#?}"
    );

    // HEAD: no body; the SDK reports the reason and takes the id from the header.
    let head = case("head_error");
    assert!(head.raised, "{head:#?}");
    assert_eq!(head.exception.as_deref(), Some("BceHttpClientError"));
    assert_eq!(head.last_error.as_deref(), Some("BceServerError"));
    assert_eq!(head.code, None);
    assert_eq!(head.message.as_deref(), Some("Not Found"));
    assert_eq!(head.status_code, Some(404));
    assert_eq!(head.http_status, Some(404));
    assert_eq!(head.request_id.as_deref(), Some(head.header_id()));
    assert_eq!(head.content_type.as_deref(), Some(JSON_UTF8));
    assert_eq!(head.raw_body(), "");
    let lines = logs.lines_with(head.header_id());
    assert!(
        lines.iter().any(|line| line.contains("InvalidVersion")),
        "the HEAD error is not logged with the header's request id: {lines:#?}"
    );
}

#[tokio::test]
async fn the_fault_header_is_ignored_without_demo_faults() {
    let app = bce_eip::app(Config::default());
    for fault in ["panic", "internal"] {
        let request = Request::get("/v1/eip?maxKeys=10")
            .header("x-demo-fault", fault)
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), 200, "x-demo-fault: {fault}");
        let id = response.headers()["x-bce-request-id"].to_str().unwrap();
        assert_uuid_v4(id, fault);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            body,
            json!({ "eipList": [], "marker": "", "isTruncated": false, "maxKeys": 10 }),
            "x-demo-fault: {fault}"
        );
    }
}
