//! [`Violation`]: one way a response breaks its convention.

use std::error::Error as StdError;
use std::fmt;

use http::StatusCode;

use crate::code::Dialect;
use crate::language::Language;

/// One way a response breaks its convention (BCE, Tencent Cloud API 3.0 or a
/// [`Convention`](super::Convention) of your own), as found by a [`Checker`](super::Checker).
///
/// Each variant names the rule it comes from (the [module docs](super) list them all with the
/// protocol fact behind each one) and carries what was found and what was expected. `Display`
/// says both in one line:
///
/// ```
/// use bytes::Bytes;
/// use http::{Method, Response};
/// use tower_cloud_error::conformance::{Checker, TencentConformance, Violation};
///
/// let response = Response::builder()
///     .status(400) // a Tencent error must travel with 200
///     .header("content-type", "application/json")
///     .header("x-tc-requestid", "id-1")
///     .body(Bytes::from(
///         r#"{"Response":{"Error":{"Code":"InvalidAction","Message":"接口不存在。"},"RequestId":"id-1"}}"#,
///     ))
///     .unwrap();
///
/// let violations = Checker::new(TencentConformance).check(&Method::POST, &response).unwrap_err();
/// assert_eq!(violations, [Violation::TencentStatusNot200 { status: http::StatusCode::BAD_REQUEST }]);
/// assert!(violations[0].to_string().starts_with("status 400 Bad Request, expected 200 OK"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// Tencent: a status other than 200. The SDKs take any other status for a network error
    /// and never read the body, so the code and the request id are lost.
    TencentStatusNot200 {
        /// The status sent.
        status: StatusCode,
    },
    /// BCE: a documented code sent with another status than the one its table documents.
    StatusMismatch {
        /// The code in the body.
        code: String,
        /// The documented status(es): a name declared in several tables has each of them.
        documented: Vec<StatusCode>,
        /// The status sent.
        actual: StatusCode,
    },
    /// An error's `content-type` is not exactly the convention's.
    ContentType {
        /// `application/json; charset=utf-8` (BCE) or `application/json` (Tencent).
        expected: &'static str,
        /// The value sent (lossy UTF-8), `None` when the header is missing.
        actual: Option<String>,
    },
    /// An error envelope declares a `content-encoding`: the envelope is plain JSON, and a
    /// client would try to decode it.
    ContentEncoding {
        /// The declared encoding.
        encoding: String,
    },
    /// `content-length` does not match the body.
    ContentLengthMismatch {
        /// The header's value (lossy UTF-8).
        header: String,
        /// The body's length in bytes.
        body_len: usize,
    },
    /// A header that must appear at most once appears several times.
    RepeatedHeader {
        /// The header name (lower case).
        header: &'static str,
        /// How many times it appears.
        count: usize,
    },
    /// The request-id header (`x-bce-request-id`, `X-TC-RequestId`) is missing.
    MissingRequestIdHeader {
        /// The header that should carry the id.
        header: &'static str,
    },
    /// The request id is not 1 to [`MAX_REQUEST_ID_LEN`](crate::request_id::MAX_REQUEST_ID_LEN) bytes of
    /// `A-Z a-z 0-9 - _ . :` (see [`is_valid_request_id`](crate::request_id::is_valid_request_id)).
    InvalidRequestId {
        /// The id sent (lossy UTF-8).
        id: String,
    },
    /// The request-id header differs from the id the checker was told to expect
    /// ([`Checker::expect_request_id`](super::Checker::expect_request_id)).
    UnexpectedRequestId {
        /// The expected id.
        expected: String,
        /// The id in the header (lossy UTF-8).
        actual: String,
    },
    /// The body's request id differs from the header's: one request, one id.
    RequestIdMismatch {
        /// The id in the header (lossy UTF-8).
        header: String,
        /// The id in the body.
        body: String,
    },
    /// An error answer to a request other than `HEAD` has an empty body instead of the
    /// envelope.
    EmptyErrorBody,
    /// An error body is not JSON.
    BodyNotJson {
        /// What the JSON parser said.
        error: String,
    },
    /// The body is JSON, but not an object.
    BodyNotObject {
        /// The JSON type found: `array`, `string`, `number`, `boolean` or `null`.
        actual: &'static str,
    },
    /// A key the envelope requires is missing.
    MissingKey {
        /// The key's path, e.g. `requestId` or `Response.Error.Code`.
        key: &'static str,
    },
    /// An error envelope has a key the convention does not define.
    ExtraKey {
        /// The key's path, e.g. `Response.Error.Detail`.
        key: String,
    },
    /// A key appears twice in one object: clients disagree on which value counts.
    DuplicateKey {
        /// The key's path.
        key: String,
    },
    /// A key has the wrong JSON type.
    WrongKeyType {
        /// The key's path.
        key: &'static str,
        /// The type required: `string` or `object`.
        expected: &'static str,
        /// The type found.
        actual: &'static str,
    },
    /// The code is not a valid name in its dialect.
    InvalidCodeName {
        /// The code sent.
        code: String,
        /// The dialect whose syntax it breaks.
        dialect: Dialect,
        /// What a valid name looks like
        /// ([`Convention::code_name_syntax`](super::Convention::code_name_syntax)).
        syntax: &'static str,
    },
    /// The code is in no catalog of the dialect and was not declared with
    /// [`Checker::with_codes`](super::Checker::with_codes). Only reported when
    /// [`Checker::require_known_codes`](super::Checker::require_known_codes) is on.
    UnknownCode {
        /// The code sent.
        code: String,
    },
    /// The code is a code of another dialect, given to
    /// [`Checker::with_foreign_codes`](super::Checker::with_foreign_codes) (or
    /// [`with_codes`](super::Checker::with_codes)), and none of this one's.
    CodeOfOtherDialect {
        /// The code sent.
        code: String,
        /// The dialect the code belongs to.
        dialect: Dialect,
    },
    /// An internal error (`InternalError`, or a known `InternalError.*` code) carries another
    /// message than its canonical one.
    InternalErrorMessageNotCanonical {
        /// The code sent.
        code: String,
        /// The message sent.
        actual: String,
        /// The canonical message(s) accepted.
        expected: Vec<&'static str>,
    },
    /// Tencent: a known code carries its default message in the other language than the one
    /// expected ([`Checker::expect_language`](super::Checker::expect_language)).
    MessageNotInExpectedLanguage {
        /// The code sent.
        code: String,
        /// The language expected.
        expected: Language,
    },
    /// The message is longer than [`CloudError::MAX_MESSAGE_LEN`](crate::CloudError::MAX_MESSAGE_LEN) bytes.
    MessageTooLong {
        /// The message's length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// An error answer to `HEAD` has a body.
    BodyOnHeadResponse {
        /// The body's length in bytes.
        len: usize,
    },
    /// BCE: a 2xx body is neither empty nor JSON.
    SuccessBodyNotJson {
        /// What the JSON parser said.
        error: String,
    },
    /// BCE: a 2xx response carries an error envelope; the SDKs take it for a success and the
    /// error is lost.
    ErrorEnvelopeOnSuccess {
        /// The status sent.
        status: StatusCode,
    },
    /// A rule of a [`Convention`](super::Convention) that no other variant names: a third
    /// convention reports its own rules with it.
    Custom {
        /// A short, stable name of the rule, e.g. `acme-error-body`.
        rule: &'static str,
        /// What was found and what was expected, in one lower-case line.
        detail: String,
    },
}

/// A string as a quoted literal, cut after 120 characters.
struct Preview<'a>(&'a str);

impl fmt::Display for Preview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX_CHARS: usize = 120;
        match self.0.char_indices().nth(MAX_CHARS) {
            None => write!(f, "{:?}", self.0),
            Some((end, _)) => write!(f, "{:?}… ({} bytes)", &self.0[..end], self.0.len()),
        }
    }
}

/// A list of statuses or messages joined with " or ".
struct Either<'a, T>(&'a [T]);

impl<T: fmt::Display> fmt::Display for Either<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" or ")?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::TencentStatusNot200 { status } => write!(
                f,
                "status {status}, expected 200 OK: Tencent Cloud SDKs take any other status for a \
                 network error and never read the body"
            ),
            Violation::StatusMismatch {
                code,
                documented,
                actual,
            } => write!(
                f,
                "code `{code}` sent with status {actual}, expected its documented status {}",
                Either(documented)
            ),
            Violation::ContentType {
                expected,
                actual: Some(actual),
            } => write!(
                f,
                "content-type is {}, expected exactly {expected:?}",
                Preview(actual)
            ),
            Violation::ContentType {
                expected,
                actual: None,
            } => write!(f, "content-type is missing, expected exactly {expected:?}"),
            Violation::ContentEncoding { encoding } => write!(
                f,
                "content-encoding is {} on an error envelope, expected none: the envelope is \
                 plain JSON",
                Preview(encoding)
            ),
            Violation::ContentLengthMismatch { header, body_len } => write!(
                f,
                "content-length is {}, but the body has {body_len} bytes",
                Preview(header)
            ),
            Violation::RepeatedHeader { header, count } => {
                write!(f, "header `{header}` appears {count} times, expected once")
            }
            Violation::MissingRequestIdHeader { header } => {
                write!(f, "header `{header}` is missing, expected the request id")
            }
            Violation::InvalidRequestId { id } => write!(
                f,
                "request id {} is not 1 to {} bytes of `A-Z a-z 0-9 - _ . :`",
                Preview(id),
                crate::request_id::MAX_REQUEST_ID_LEN
            ),
            Violation::UnexpectedRequestId { expected, actual } => write!(
                f,
                "request id is {}, expected {}",
                Preview(actual),
                Preview(expected)
            ),
            Violation::RequestIdMismatch { header, body } => write!(
                f,
                "the body's request id {} differs from the header's {}, expected the same id",
                Preview(body),
                Preview(header)
            ),
            Violation::EmptyErrorBody => {
                f.write_str("the error body is empty, expected the JSON error envelope")
            }
            Violation::BodyNotJson { error } => write!(
                f,
                "the error body is not JSON ({error}), expected the JSON error envelope"
            ),
            Violation::BodyNotObject { actual } => {
                write!(f, "the body is a JSON {actual}, expected a JSON object")
            }
            Violation::MissingKey { key } => write!(f, "key `{key}` is missing"),
            Violation::ExtraKey { key } => {
                write!(f, "key {} is not part of the error envelope", Preview(key))
            }
            Violation::DuplicateKey { key } => {
                write!(f, "key {} appears more than once", Preview(key))
            }
            Violation::WrongKeyType {
                key,
                expected,
                actual,
            } => write!(
                f,
                "key `{key}` is a JSON {actual}, expected a JSON {expected}"
            ),
            Violation::InvalidCodeName { code, syntax, .. } => {
                write!(f, "code {} is not valid, expected {syntax}", Preview(code))
            }
            Violation::UnknownCode { code } => write!(
                f,
                "code {} is in no catalog of this dialect, expected a documented code or one \
                 declared with `Checker::with_codes`",
                Preview(code)
            ),
            Violation::CodeOfOtherDialect { code, dialect } => write!(
                f,
                "code `{code}` is a {} code, expected a code of this response's dialect",
                dialect.name()
            ),
            Violation::InternalErrorMessageNotCanonical {
                code,
                actual,
                expected,
            } => {
                write!(
                    f,
                    "`{code}` carries the message {}, expected ",
                    Preview(actual)
                )?;
                for (i, message) in expected.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" or ")?;
                    }
                    write!(f, "{message:?}")?;
                }
                f.write_str(": a server fault shows only its canonical message")
            }
            Violation::MessageNotInExpectedLanguage { code, expected } => write!(
                f,
                "code `{code}` carries its default message in the wrong language, expected {}",
                expected.as_str()
            ),
            Violation::MessageTooLong { len, max } => {
                write!(f, "the message has {len} bytes, expected at most {max}")
            }
            Violation::BodyOnHeadResponse { len } => write!(
                f,
                "the error answer to HEAD has a {len}-byte body, expected none"
            ),
            Violation::SuccessBodyNotJson { error } => write!(
                f,
                "the 2xx body is not JSON ({error}), expected JSON or an empty body"
            ),
            Violation::Custom { rule, detail } => write!(f, "{detail} (rule `{rule}`)"),
            Violation::ErrorEnvelopeOnSuccess { status } => write!(
                f,
                "status {status} carries an error envelope, expected the code's error status: \
                 the SDKs take a 2xx for a success and lose the error"
            ),
        }
    }
}

impl StdError for Violation {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_cut_long_strings() {
        let long = "é".repeat(200);
        let shown = Preview(&long).to_string();
        assert!(shown.ends_with("… (400 bytes)"), "{shown}");
        assert_eq!(Preview("a\nb").to_string(), r#""a\nb""#);
    }

    #[test]
    fn display_is_one_lower_case_line_without_a_full_stop() {
        let samples = [
            Violation::EmptyErrorBody,
            Violation::StatusMismatch {
                code: "EipNotFound".into(),
                documented: vec![StatusCode::NOT_FOUND],
                actual: StatusCode::BAD_REQUEST,
            },
            Violation::InternalErrorMessageNotCanonical {
                code: "InternalError".into(),
                actual: "db down".into(),
                expected: vec!["内部错误。", "An internal error occurred."],
            },
        ];
        for violation in samples {
            let text = violation.to_string();
            assert!(!text.contains('\n') && !text.ends_with('.'), "{text}");
            assert!(text.starts_with(|c: char| !c.is_uppercase()), "{text}");
        }
    }
}
