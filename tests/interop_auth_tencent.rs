//! `TC3-HMAC-SHA256` verification against the official Tencent Cloud SDK for Python
//! (`TcrClient`), in both languages: `examples/tencent_tcr.rs` started with credentials (as with
//! `DEMO_CREDENTIALS`) serves every action to the right key, over POST, GET and with
//! `UNSIGNED-PAYLOAD`; a wrong secret, an unknown SecretId, a session token for a permanent key,
//! a clock ten minutes off either way, and a request tampered after signing (query, path, body)
//! each get their exact code and message in the caller's language, as an HTTP 200 envelope whose
//! RequestId is the `X-TC-RequestId` header; a replay inside the window is served.
//!
//! The driver (`tests/interop/auth_tencent_driver.py`) only reports; this file asserts.

mod support;

#[path = "../examples/tencent_tcr.rs"]
#[allow(dead_code)]
mod tencent_tcr;

use serde::Deserialize;
use tower_cloud_error::tencent::{common, Credential, InMemoryCredentials};
use tower_cloud_error::Code;

use tencent_tcr::Config;

const SECRET_ID: &str = "AKIDinteropTc0001";
const SECRET_KEY: &str = "interop-tc-secret-0001";

/// Every case the driver runs per language, in order, and the code it must get (`None`: success).
const CASES: &[(&str, Option<Code>)] = &[
    ("create_namespace", None),
    ("validate_namespace", None),
    ("describe_namespaces", None),
    ("get_describe_namespaces", None),
    ("unsigned_payload", None),
    ("create_repository", None),
    ("describe_repository", None),
    ("replay", None),
    ("delete_repository", None),
    ("wrong_secret", Some(common::AUTH_FAILURE_SIGNATURE_FAILURE)),
    (
        "unknown_key",
        Some(common::AUTH_FAILURE_SECRET_ID_NOT_FOUND),
    ),
    (
        "token_for_a_permanent_key",
        Some(common::AUTH_FAILURE_TOKEN_FAILURE),
    ),
    ("clock_behind", Some(common::AUTH_FAILURE_SIGNATURE_EXPIRE)),
    ("clock_ahead", Some(common::AUTH_FAILURE_SIGNATURE_EXPIRE)),
    (
        "tampered_query",
        Some(common::AUTH_FAILURE_SIGNATURE_FAILURE),
    ),
    (
        "tampered_path",
        Some(common::AUTH_FAILURE_SIGNATURE_FAILURE),
    ),
    (
        "tampered_body",
        Some(common::AUTH_FAILURE_SIGNATURE_FAILURE),
    ),
    ("delete_namespace", None),
];

#[derive(Debug, Deserialize)]
struct Outcome {
    case: String,
    lang: String,
    raised: bool,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    status: Option<u16>,
    header_request_id: Option<String>,
    traceback: Option<String>,
}

#[test]
fn official_sdk_signatures_verify_and_every_failure_gets_its_code_in_both_languages() {
    let logs = support::LogCapture::install();
    let store = InMemoryCredentials::new().with(Credential::new(SECRET_ID, SECRET_KEY));
    let server = support::Server::start(tencent_tcr::app(Config {
        credentials: Some(store),
        ..Config::default()
    }));
    let output = support::run_driver(
        "auth_tencent_driver.py",
        &[&server.url(), SECRET_ID, SECRET_KEY],
    );
    let outcomes: Vec<Outcome> = output
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert_eq!(outcomes.len(), 2 * CASES.len(), "{output}");

    for (outcome, (case, expected)) in outcomes.iter().zip(CASES.iter().chain(CASES)) {
        assert_eq!(outcome.case, *case);
        let what = format!("{} ({})", outcome.case, outcome.lang);
        assert_eq!(outcome.status, Some(200), "{what}: {outcome:#?}");
        let header_id = outcome
            .header_request_id
            .as_deref()
            .expect("X-TC-RequestId");
        assert_eq!(
            outcome.request_id.as_deref(),
            Some(header_id),
            "{what}: RequestId = header"
        );
        match expected {
            None => assert!(!outcome.raised, "{what}: expected success: {outcome:#?}"),
            Some(code) => {
                assert!(outcome.raised, "{what}: expected {}", code.name());
                assert_eq!(
                    outcome.code.as_deref(),
                    Some(code.name()),
                    "{what}: {outcome:#?}"
                );
                let message = if outcome.lang == "en-US" {
                    code.message()
                } else {
                    code.message_zh()
                };
                assert_eq!(outcome.message.as_deref(), Some(message), "{what}");
                assert!(outcome.traceback.is_none(), "{what}");
            }
        }
    }
    let langs: Vec<&str> = outcomes.iter().map(|o| o.lang.as_str()).collect();
    assert!(langs.contains(&"zh-CN") && langs.contains(&"en-US"));

    for needle in [SECRET_KEY, "Signature="] {
        assert!(logs.lines_with(needle).is_empty(), "{needle} was logged");
    }
}
