//! The BCE rules.

use super::json::Node;
use super::{fields, string, Answer, Checker, Violation};

/// Exactly this, for every error.
const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Checks `answer` against the BCE rules (those for every response are checked already).
pub(super) fn check(checker: &Checker, answer: &Answer<'_>, out: &mut Vec<Violation>) {
    let status = answer.status.as_u16();
    if answer.status.is_success() {
        check_success(answer, out);
    } else if (400..=599).contains(&status) {
        check_error(checker, answer, out);
    }
    // 1xx and 3xx: neither a success nor an error of the convention.
}

fn check_success(answer: &Answer<'_>, out: &mut Vec<Violation>) {
    if answer.is_head || answer.body.is_empty() {
        return;
    }
    match Node::parse(answer.body) {
        Err(error) => out.push(Violation::SuccessBodyNotJson {
            error: error.to_string(),
        }),
        Ok(node) => {
            let looks_like_an_envelope = node.as_object().is_some_and(|members| {
                ["requestId", "code", "message"]
                    .iter()
                    .all(|key| members.iter().any(|(name, _)| name == key))
            });
            if looks_like_an_envelope {
                out.push(Violation::ErrorEnvelopeOnSuccess {
                    status: answer.status,
                });
            }
        }
    }
}

fn check_error(checker: &Checker, answer: &Answer<'_>, out: &mut Vec<Violation>) {
    answer.check_content_type(CONTENT_TYPE, out);
    answer.check_content_encoding(out);
    let parsed = Node::parse(answer.body);
    let Some(members) = answer.error_object(&parsed, out) else {
        return;
    };
    let [request_id, code, message] = fields(
        members,
        "",
        [
            ("requestId", "requestId"),
            ("code", "code"),
            ("message", "message"),
        ],
        true,
        out,
    );
    if let Some(id) = request_id.and_then(|node| string(node, "requestId", out)) {
        answer.check_body_request_id(id, out);
    }
    let code = code.and_then(|node| string(node, "code", out));
    let message = message.and_then(|node| string(node, "message", out));
    if let Some(code) = code {
        checker.check_code(code, Some(answer.status), message, out);
    } else if let Some(message) = message {
        checker.check_message_length(message, out);
    }
}
