//! `bce-auth-v1` verification against the official BCE Python SDK (`bce-python-sdk`,
//! `EipClient`): `examples/bce_eip.rs` started with credentials (as with `DEMO_CREDENTIALS`)
//! serves every route to the right key; a wrong secret, an unknown key, a clock an hour off
//! either way, a request tampered after signing (query, path, body with its length) and an
//! unsigned request each get their exact code, message and status, with the request id of the
//! response header; a replay inside the window is served.
//!
//! The driver (`tests/interop/auth_bce_driver.py`) only reports; this file asserts.

mod support;

#[path = "../examples/bce_eip.rs"]
#[allow(dead_code)]
mod bce_eip;

use serde::Deserialize;
use serde_json::{json, Value};
use tower_cloud_error::bce::{common, Credential, InMemoryCredentials};
use tower_cloud_error::Code;

use bce_eip::Config;

const ACCESS_KEY: &str = "AKIDinterop0001";
const SECRET_KEY: &str = "interop-secret-0001";

/// Every case the driver runs, in order.
const CASES: &[&str] = &[
    "create",
    "list",
    "replay_list",
    "bind",
    "list_by_instance",
    "unbind",
    "resize",
    "wrong_secret",
    "unknown_key",
    "clock_behind",
    "clock_ahead",
    "tampered_query",
    "tampered_path",
    "tampered_body",
    "unsigned",
    "release",
];

#[derive(Debug, Deserialize)]
struct Report {
    case: String,
    raised: bool,
    status_code: Option<u16>,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    http_status: Option<u16>,
    header_request_id: Option<String>,
    raw_body: Option<String>,
    sent_bce_date: Option<String>,
    sent_uri: Option<String>,
}

impl Report {
    fn ok(&self) {
        assert!(!self.raised, "{}: expected success: {self:#?}", self.case);
        assert_eq!(self.http_status, Some(200), "{}", self.case);
        assert!(self.header_request_id.is_some(), "{}", self.case);
    }

    /// The SDK raised `code` with `message`; the wire carries the envelope with the header's id.
    fn error(&self, code: Code, message: &str) {
        let case = &self.case;
        assert!(self.raised, "{case}: expected {}: {self:#?}", code.name());
        assert_eq!(self.code.as_deref(), Some(code.name()), "{case}: {self:#?}");
        assert_eq!(self.message.as_deref(), Some(message), "{case}");
        assert_eq!(self.status_code, Some(code.status().as_u16()), "{case}");
        assert_eq!(self.http_status, Some(code.status().as_u16()), "{case}");
        let id = self.header_request_id.as_deref().expect("x-bce-request-id");
        assert_eq!(
            self.request_id.as_deref(),
            Some(id),
            "{case}: body id = header id"
        );
        let body: Value = serde_json::from_str(self.raw_body.as_deref().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{case}: error body is not JSON ({e}): {self:#?}"));
        assert_eq!(
            body,
            json!({ "requestId": id, "code": code.name(), "message": message })
        );
    }
}

#[test]
fn official_sdk_signatures_verify_and_every_failure_gets_its_code() {
    let logs = support::LogCapture::install();
    let store = InMemoryCredentials::new().with(Credential::new(ACCESS_KEY, SECRET_KEY));
    let server = support::Server::start(bce_eip::app(Config {
        credentials: Some(store),
        ..Config::default()
    }));
    let output = support::run_driver(
        "auth_bce_driver.py",
        &[&server.url(), ACCESS_KEY, SECRET_KEY],
    );
    let reports: Vec<Report> = output
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let names: Vec<&str> = reports.iter().map(|r| r.case.as_str()).collect();
    assert_eq!(names, CASES);
    let report = |name: &str| reports.iter().find(|r| r.case == name).unwrap();

    for name in [
        "create",
        "list",
        "replay_list",
        "bind",
        "list_by_instance",
        "unbind",
        "resize",
        "release",
    ] {
        report(name).ok();
    }
    let mismatch = common::SIGNATURE_DOES_NOT_MATCH;
    report("wrong_secret").error(mismatch, mismatch.message());
    let unknown = common::INVALID_ACCESS_KEY_ID;
    report("unknown_key").error(unknown, unknown.message());
    for name in ["clock_behind", "clock_ahead"] {
        let r = report(name);
        let date = r.sent_bce_date.as_deref().expect("the SDK sent x-bce-date");
        r.error(
            common::REQUEST_EXPIRED,
            &format!("Request has expired. Timestamp date is {date}."),
        );
    }
    // The tampering hit the path: the later, untampered release of the same EIP sent another.
    let path = |name: &str| {
        let uri = report(name).sent_uri.clone().expect("a request was sent");
        uri.split('?').next().unwrap().to_owned()
    };
    assert_ne!(path("tampered_path"), path("release"));
    assert!(path("release").starts_with("/v1/eip/"));
    for name in ["tampered_query", "tampered_path", "tampered_body"] {
        report(name).error(mismatch, mismatch.message());
    }
    report("unsigned").error(common::ACCESS_DENIED, common::ACCESS_DENIED.message());

    // Nothing secret in the logs: neither the secret key nor a signature.
    for needle in [SECRET_KEY, "bce-auth-v1/"] {
        assert!(logs.lines_with(needle).is_empty(), "{needle} was logged");
    }
}
