//! The Tencent Cloud API 3.0 rules.

use http::{HeaderName, StatusCode};

use super::json::Node;
use super::{Convention, Inspection, Violation};
use crate::catalog;
use crate::code::{is_tencent_name, Code, Dialect};
use crate::style::TENCENT_REQUEST_ID;

/// Exactly this, for every error: with a charset the Python SDK takes an error for a success.
const CONTENT_TYPE: &str = "application/json";

/// The conformance rules of Tencent Cloud API 3.0, for a [`Checker`](super::Checker): every
/// response is HTTP 200, errors are `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, the
/// id is in `X-TC-RequestId`, messages follow `X-TC-Language`, and every code of the Tencent
/// catalogs ([`tencent::common`](crate::tencent::common), [`tencent::tcr`](crate::tencent::tcr))
/// is known. The [module docs](super) list the rules.
///
/// ```
/// use bytes::Bytes;
/// use http::{Method, Response};
/// use tower_cloud_error::conformance::{Checker, TencentConformance};
///
/// let response = Response::builder()
///     .header("content-type", "application/json")
///     .header("x-tc-requestid", "id-1")
///     .body(Bytes::from(
///         r#"{"Response":{"Error":{"Code":"InvalidAction","Message":"接口不存在。"},"RequestId":"id-1"}}"#,
///     ))
///     .unwrap();
/// assert_eq!(Checker::new(TencentConformance).check(&Method::POST, &response), Ok(()));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TencentConformance;

impl Convention for TencentConformance {
    fn dialect(&self) -> Dialect {
        crate::tencent::DIALECT
    }

    fn name(&self) -> &'static str {
        "Tencent Cloud API 3.0"
    }

    fn request_id_header(&self) -> &'static HeaderName {
        static HEADER: HeaderName = TENCENT_REQUEST_ID;
        &HEADER
    }

    fn catalogs(&self) -> &'static [&'static [Code]] {
        &[catalog::tencent::common::ALL, catalog::tencent::tcr::ALL]
    }

    fn is_valid_code_name(&self, code: &str) -> bool {
        is_tencent_name(code)
    }

    fn code_name_syntax(&self) -> &'static str {
        "a Tencent code name: 1 to 3 segments `[A-Z][A-Za-z0-9_]*` joined by dots, at most 128 bytes"
    }

    fn messages_follow_language(&self) -> bool {
        true
    }

    fn check_status(&self, inspection: &mut Inspection<'_>) {
        let status = inspection.status();
        // A 2xx to CONNECT opens a tunnel: its errors are 405 (see `CatchCloudError`).
        let connect_refused = inspection.is_connect() && status == StatusCode::METHOD_NOT_ALLOWED;
        if status != StatusCode::OK && !connect_refused {
            inspection.report(Violation::TencentStatusNot200 { status });
        }
    }

    /// The rules for errors and successes.
    fn check_envelope(&self, answer: &mut Inspection<'_>) {
        let parsed = Node::parse(answer.body());
        let has_error = parsed.as_ref().is_ok_and(|node| {
            node.as_object()
                .and_then(|members| last(members, "Response"))
                .and_then(Node::as_object)
                .is_some_and(|response| last(response, "Error").is_some())
        });
        if has_error || answer.status().as_u16() >= 400 {
            check_error(answer, &parsed);
        } else if !answer.is_head() {
            if let Ok(node) = &parsed {
                check_success(answer, node);
            }
        }
    }
}

/// The last value of `key` among `members`, as JSON parsers read it.
fn last<'a>(members: &'a [(String, Node)], key: &str) -> Option<&'a Node> {
    members
        .iter()
        .rev()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value)
}

fn check_error(answer: &mut Inspection<'_>, parsed: &Result<Node, serde_json::Error>) {
    answer.check_content_type(CONTENT_TYPE);
    answer.check_content_encoding();
    let Some(members) = answer.error_object(parsed) else {
        return;
    };
    let [response] = answer.fields(members, "", [("Response", "Response")], true);
    let Some(response) = response.and_then(|node| answer.object(node, "Response")) else {
        return;
    };
    let [error, request_id] = answer.fields(
        response,
        "Response",
        [
            ("Error", "Response.Error"),
            ("RequestId", "Response.RequestId"),
        ],
        true,
    );
    if let Some(error) = error.and_then(|node| answer.object(node, "Response.Error")) {
        let [code, message] = answer.fields(
            error,
            "Response.Error",
            [
                ("Code", "Response.Error.Code"),
                ("Message", "Response.Error.Message"),
            ],
            true,
        );
        let code = code.and_then(|node| answer.string(node, "Response.Error.Code"));
        let message = message.and_then(|node| answer.string(node, "Response.Error.Message"));
        if let Some(code) = code {
            answer.check_code(code, None, message);
        } else if let Some(message) = message {
            answer.check_message_length(message);
        }
    }
    if let Some(id) = request_id.and_then(|node| answer.string(node, "Response.RequestId")) {
        answer.check_body_request_id(id);
    }
}

fn check_success(answer: &mut Inspection<'_>, node: &Node) {
    let Some(members) = node.as_object() else {
        answer.report(Violation::BodyNotObject {
            actual: node.type_name(),
        });
        return;
    };
    let [response] = answer.fields(members, "", [("Response", "Response")], false);
    let Some(response) = response.and_then(|node| answer.object(node, "Response")) else {
        return;
    };
    let [request_id] = answer.fields(
        response,
        "Response",
        [("RequestId", "Response.RequestId")],
        false,
    );
    if let Some(id) = request_id.and_then(|node| answer.string(node, "Response.RequestId")) {
        answer.check_body_request_id(id);
    }
}
