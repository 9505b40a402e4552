//! The Tencent Cloud API 3.0 rules.

use super::json::Node;
use super::{fields, object, string, Answer, Checker, Violation};

/// Exactly this, for every error: with a charset the Python SDK takes an error for a success.
const CONTENT_TYPE: &str = "application/json";

/// Checks `answer` against the Tencent rules for errors and successes (the status and the rules
/// for every response are checked already).
pub(super) fn check(checker: &Checker, answer: &Answer<'_>, out: &mut Vec<Violation>) {
    let parsed = Node::parse(answer.body);
    let has_error = parsed.as_ref().is_ok_and(|node| {
        node.as_object()
            .and_then(|members| last(members, "Response"))
            .and_then(Node::as_object)
            .is_some_and(|response| last(response, "Error").is_some())
    });
    if has_error || answer.status.as_u16() >= 400 {
        check_error(checker, answer, &parsed, out);
    } else if !answer.is_head {
        if let Ok(node) = &parsed {
            check_success(answer, node, out);
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

fn check_error(
    checker: &Checker,
    answer: &Answer<'_>,
    parsed: &Result<Node, serde_json::Error>,
    out: &mut Vec<Violation>,
) {
    answer.check_content_type(CONTENT_TYPE, out);
    answer.check_content_encoding(out);
    let Some(members) = answer.error_object(parsed, out) else {
        return;
    };
    let [response] = fields(members, "", [("Response", "Response")], true, out);
    let Some(response) = response.and_then(|node| object(node, "Response", out)) else {
        return;
    };
    let [error, request_id] = fields(
        response,
        "Response",
        [
            ("Error", "Response.Error"),
            ("RequestId", "Response.RequestId"),
        ],
        true,
        out,
    );
    if let Some(error) = error.and_then(|node| object(node, "Response.Error", out)) {
        let [code, message] = fields(
            error,
            "Response.Error",
            [
                ("Code", "Response.Error.Code"),
                ("Message", "Response.Error.Message"),
            ],
            true,
            out,
        );
        let code = code.and_then(|node| string(node, "Response.Error.Code", out));
        let message = message.and_then(|node| string(node, "Response.Error.Message", out));
        if let Some(code) = code {
            checker.check_code(code, None, message, out);
        } else if let Some(message) = message {
            checker.check_message_length(message, out);
        }
    }
    if let Some(id) = request_id.and_then(|node| string(node, "Response.RequestId", out)) {
        answer.check_body_request_id(id, out);
    }
}

fn check_success(answer: &Answer<'_>, node: &Node, out: &mut Vec<Violation>) {
    let Some(members) = node.as_object() else {
        out.push(Violation::BodyNotObject {
            actual: node.type_name(),
        });
        return;
    };
    let [response] = fields(members, "", [("Response", "Response")], false, out);
    let Some(response) = response.and_then(|node| object(node, "Response", out)) else {
        return;
    };
    let [request_id] = fields(
        response,
        "Response",
        [("RequestId", "Response.RequestId")],
        false,
        out,
    );
    if let Some(id) = request_id.and_then(|node| string(node, "Response.RequestId", out)) {
        answer.check_body_request_id(id, out);
    }
}
