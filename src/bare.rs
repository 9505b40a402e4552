//! What a bare inner error response (axum's 404, 405 and rejections, tower-http's 408 and 413)
//! becomes: plain functions, so the future only drives states.

use std::error::Error as StdError;
use std::fmt;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use bytes::Buf;
use http::{Method, StatusCode};
use http_body::Body;

use crate::condition::Condition;
use crate::error::CloudError;
use crate::guard::guarded;

/// The longest part of a bare response's text that is read, logged and classified.
const MAX_TEXT: usize = 256;

/// The start of the text of a bare response whose first frame is ready at once (axum's and
/// tower-http's are), bounded; `None` for an empty, streaming or failing body. The body is
/// polled once, without a real waker, and dropped after.
pub(crate) fn peek_text<B: Body>(body: B) -> Option<String> {
    let mut body = pin!(body);
    let mut cx = Context::from_waker(Waker::noop());
    let polled = guarded(|| body.as_mut().poll_frame(&mut cx)).ok()?;
    let Poll::Ready(Some(Ok(frame))) = polled else {
        return None;
    };
    let data = frame.into_data().ok()?;
    let chunk = data.chunk();
    let text = String::from_utf8_lossy(&chunk[..chunk.len().min(MAX_TEXT)]).into_owned();
    (!text.is_empty()).then_some(text)
}

/// The error a bare response of `status` to a `method` request stands for, by default (when no
/// `map_bare_status` mapper chose one). `text` is the response's text, when known.
///
/// - axum's path and query rejections (`Invalid URL: …`, `Failed to deserialize query
///   string: …`, 400) are URI errors, not body errors;
/// - axum's JSON syntax rejection (`Failed to parse the request body as JSON: …`, 400) is
///   malformed JSON;
/// - a 405 says which method is not allowed, in both languages (the styles' codes for a wrong
///   method speak of URIs or protocols);
/// - anything else is [`Condition::from_status`].
pub(crate) fn default_error(status: StatusCode, method: &str, text: Option<&str>) -> CloudError {
    let text = text.unwrap_or_default();
    if status == StatusCode::BAD_REQUEST {
        if text.starts_with("Invalid URL") || text.starts_with("Failed to deserialize query string")
        {
            return CloudError::from_condition(Condition::MalformedUri);
        }
        if text.starts_with("Failed to parse the request body as JSON") {
            return CloudError::from_condition(Condition::MalformedJson);
        }
    }
    let error = CloudError::from_condition(Condition::from_status(status));
    if status == StatusCode::METHOD_NOT_ALLOWED {
        // One of the standard methods' names (see `method_name`), never request text.
        return error.with_messages(
            format!("该资源不支持 HTTP 方法 {method}。"),
            format!("The HTTP method {method} is not supported by this resource."),
        );
    }
    error
}

/// The name of a standard method, kept per request for a 405's message without cloning the
/// request's `Method`; an extension method is not echoed.
pub(crate) fn method_name(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::PATCH => "PATCH",
        Method::TRACE => "TRACE",
        _ => "of this request",
    }
}

/// The source of an error made from a bare inner response, for the logs: its status and the
/// start of its text, escaped (it may echo request text: no raw newline or control character
/// reaches a log line).
#[derive(Debug)]
pub(crate) struct BareResponse {
    pub(crate) status: StatusCode,
    pub(crate) text: Option<String>,
}

impl fmt::Display for BareResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the inner service answered a bare {}", self.status)?;
        if let Some(text) = &self.text {
            write!(f, ": \"{}\"", text.escape_debug())?;
        }
        Ok(())
    }
}

impl StdError for BareResponse {}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http_body_util::{Empty, Full};

    #[test]
    fn the_text_of_a_ready_body_is_read_bounded() {
        let long = "x".repeat(1000);
        assert_eq!(
            peek_text(Full::new(Bytes::from(long))).unwrap().len(),
            MAX_TEXT
        );
        assert_eq!(
            peek_text(Full::new(Bytes::from_static(b"abc"))).unwrap(),
            "abc"
        );
        assert_eq!(peek_text(Empty::<Bytes>::new()), None);
    }

    #[test]
    fn axum_rejections_get_the_condition_they_describe() {
        let uri = default_error(
            StatusCode::BAD_REQUEST,
            "GET",
            Some("Invalid URL: Cannot parse `abc` to a `u32`"),
        );
        assert_eq!(uri.condition(), Some(Condition::MalformedUri));
        let query = default_error(
            StatusCode::BAD_REQUEST,
            "GET",
            Some("Failed to deserialize query string: missing field `a`"),
        );
        assert_eq!(query.condition(), Some(Condition::MalformedUri));
        let json = default_error(
            StatusCode::BAD_REQUEST,
            "POST",
            Some("Failed to parse the request body as JSON: EOF"),
        );
        assert_eq!(json.condition(), Some(Condition::MalformedJson));
        let other = default_error(StatusCode::BAD_REQUEST, "POST", Some("nope"));
        assert_eq!(other.condition(), Some(Condition::BadRequest));
    }

    #[test]
    fn a_405_names_the_method() {
        let error = default_error(StatusCode::METHOD_NOT_ALLOWED, "GET", None);
        assert_eq!(error.condition(), Some(Condition::MethodNotAllowed));
        assert_eq!(
            error.message(crate::Language::EnUs),
            "The HTTP method GET is not supported by this resource."
        );
    }

    #[test]
    fn logged_text_is_escaped() {
        let source = BareResponse {
            status: StatusCode::BAD_REQUEST,
            text: Some("a\nERROR forged\u{1b}[31m".into()),
        };
        let line = source.to_string();
        assert!(!line.contains('\n') && !line.contains('\u{1b}'), "{line}");
        assert!(line.contains("\\n"), "{line}");
    }
}
