//! The BCE rules.

use http::HeaderName;

use super::json::Node;
use super::{Convention, Inspection, Violation};
use crate::catalog;
use crate::code::{is_bce_name, Code, Dialect};
use crate::style::BCE_REQUEST_ID;

/// Exactly this, for every error.
const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// The conformance rules of Baidu AI Cloud (BCE), for a [`Checker`](super::Checker): errors are
/// `{"requestId","code","message"}` with the code's documented status, the id is in
/// `x-bce-request-id`, and every code of the BCE catalogs ([`bce::common`](crate::bce::common),
/// [`bce::eip`](crate::bce::eip), ...) is known. The [module docs](super) list the rules.
///
/// ```
/// use bytes::Bytes;
/// use http::{Method, Response};
/// use tower_cloud_error::conformance::{BceConformance, Checker, Violation};
///
/// let response = Response::builder()
///     .status(400) // EipNotFound is documented as 404
///     .header("content-type", "application/json; charset=utf-8")
///     .header("x-bce-request-id", "id-1")
///     .body(Bytes::from(
///         r#"{"requestId":"id-1","code":"EipNotFound","message":"The specified eip does not exist."}"#,
///     ))
///     .unwrap();
/// let violations = Checker::new(BceConformance).check(&Method::GET, &response).unwrap_err();
/// assert!(matches!(&violations[..], [Violation::StatusMismatch { .. }]));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct BceConformance;

impl Convention for BceConformance {
    fn dialect(&self) -> Dialect {
        crate::bce::DIALECT
    }

    fn name(&self) -> &'static str {
        "BCE"
    }

    fn request_id_header(&self) -> &'static HeaderName {
        static HEADER: HeaderName = BCE_REQUEST_ID;
        &HEADER
    }

    fn catalogs(&self) -> &'static [&'static [Code]] {
        &[
            catalog::bce::common::ALL,
            catalog::bce::dev_machine::ALL,
            catalog::bce::eip::ALL,
            catalog::bce::eip_group::ALL,
            catalog::bce::bandwidth_package::ALL,
        ]
    }

    fn is_valid_code_name(&self, code: &str) -> bool {
        is_bce_name(code)
    }

    fn code_name_syntax(&self) -> &'static str {
        "a BCE code name: CamelCase segments `[A-Z][A-Za-z0-9]*` joined by dots, at most 128 bytes"
    }

    fn check_envelope(&self, inspection: &mut Inspection<'_>) {
        let status = inspection.status().as_u16();
        if inspection.status().is_success() {
            check_success(inspection);
        } else if (400..=599).contains(&status) {
            check_error(inspection);
        }
        // 1xx and 3xx: neither a success nor an error of the convention.
    }
}

fn check_success(answer: &mut Inspection<'_>) {
    if answer.is_head() || answer.body().is_empty() {
        return;
    }
    match Node::parse(answer.body()) {
        Err(error) => answer.report(Violation::SuccessBodyNotJson {
            error: error.to_string(),
        }),
        Ok(node) => {
            let looks_like_an_envelope = node.as_object().is_some_and(|members| {
                ["requestId", "code", "message"]
                    .iter()
                    .all(|key| members.iter().any(|(name, _)| name == key))
            });
            if looks_like_an_envelope {
                let status = answer.status();
                answer.report(Violation::ErrorEnvelopeOnSuccess { status });
            }
        }
    }
}

fn check_error(answer: &mut Inspection<'_>) {
    answer.check_content_type(CONTENT_TYPE);
    answer.check_content_encoding();
    let parsed = Node::parse(answer.body());
    let Some(members) = answer.error_object(&parsed) else {
        return;
    };
    let [request_id, code, message] = answer.fields(
        members,
        "",
        [
            ("requestId", "requestId"),
            ("code", "code"),
            ("message", "message"),
        ],
        true,
    );
    if let Some(id) = request_id.and_then(|node| answer.string(node, "requestId")) {
        answer.check_body_request_id(id);
    }
    let code = code.and_then(|node| answer.string(node, "code"));
    let message = message.and_then(|node| answer.string(node, "message"));
    if let Some(code) = code {
        let status = answer.status();
        answer.check_code(code, Some(status), message);
    } else if let Some(message) = message {
        answer.check_message_length(message);
    }
}
