//! [`Bce`]: the Baidu AI Cloud envelope.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderName, HeaderValue, Request, Response};

use super::{ErrorReport, Style};
use crate::catalog::bce::common::{self, INTERNAL_ERROR};
use crate::code::{Code, Dialect};
use crate::condition::Condition;
use crate::json::push_json_string;
use crate::language::Language;

/// The BCE request-id header, on every response.
pub const BCE_REQUEST_ID: HeaderName = HeaderName::from_static("x-bce-request-id");

const CONTENT_TYPE_JSON_UTF8: HeaderValue =
    HeaderValue::from_static("application/json; charset=utf-8");

/// The Baidu AI Cloud (BCE) style: the code's documented status,
/// `content-type: application/json; charset=utf-8`, the `x-bce-request-id` header, and the body
/// `{"requestId":"<id>","code":"<Code>","message":"<message>"}`.
///
/// ```
/// use tower_cloud_error::{Bce, CloudErrorLayer};
///
/// let layer = CloudErrorLayer::new(Bce::new());
/// # let _ = layer;
/// ```
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct Bce {}

impl Bce {
    /// The BCE style.
    #[must_use]
    pub const fn new() -> Self {
        Bce {}
    }
}

impl Style for Bce {
    type RequestInfo = ();

    fn dialect(&self) -> Dialect {
        Dialect::Bce
    }

    fn request_id_header(&self) -> &HeaderName {
        static HEADER: HeaderName = BCE_REQUEST_ID;
        &HEADER
    }

    fn internal_error(&self) -> Code {
        INTERNAL_ERROR
    }

    fn code_for(&self, condition: Condition) -> Code {
        match condition {
            Condition::BadRequest
            | Condition::PayloadTooLarge
            | Condition::UnsupportedMediaType => common::INVALID_HTTP_REQUEST,
            Condition::Unauthenticated => common::INVALID_HTTP_AUTH_HEADER,
            Condition::Forbidden => common::ACCESS_DENIED,
            // BCE documents no method code: the method and URI name no operation.
            Condition::NotFound | Condition::MethodNotAllowed | Condition::UriTooLong => {
                common::INVALID_URI
            }
            Condition::PreconditionFailed => common::PRECONDITION_FAILED,
            Condition::MalformedJson => common::MALFORMED_JSON,
            Condition::InappropriateJson => common::INAPPROPRIATE_JSON,
            // No BCE code for these: InternalError (500), which the SDKs retry with back-off.
            Condition::Timeout
            | Condition::TooManyRequests
            | Condition::Overloaded
            | Condition::Internal => common::INTERNAL_ERROR,
        }
    }

    fn request_info<B>(&self, _request: &Request<B>) -> Self::RequestInfo {}

    fn render(&self, report: &ErrorReport<'_>, _info: &()) -> Response<Bytes> {
        let code = report.code();
        let message = report.message(Language::EnUs);
        let id = report.request_id();
        let mut body = Vec::with_capacity(48 + id.len() + code.name().len() + message.len());
        body.extend_from_slice(b"{\"requestId\":");
        push_json_string(&mut body, id);
        body.extend_from_slice(b",\"code\":");
        push_json_string(&mut body, code.name());
        body.extend_from_slice(b",\"message\":");
        push_json_string(&mut body, &message);
        body.push(b'}');

        let mut response = Response::new(Bytes::from(body));
        *response.status_mut() = code.status();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, CONTENT_TYPE_JSON_UTF8);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::bce::eip;
    use crate::error::CloudError;

    fn render(error: &CloudError) -> Response<Bytes> {
        let style = Bce::new();
        let report = ErrorReport::new(error, "id-1", &style);
        style.render(&report, &())
    }

    #[test]
    fn renders_the_exact_documented_bytes() {
        let response = render(&CloudError::new(eip::EXCEED_LIMIT));
        assert_eq!(response.status(), 413);
        assert_eq!(
            response.headers()[CONTENT_TYPE],
            "application/json; charset=utf-8"
        );
        assert_eq!(
            response.body(),
            r#"{"requestId":"id-1","code":"ExceedLimit","message":"The amount of eip exceed limit"}"#
        );
    }

    #[test]
    fn internal_renders_the_canonical_message() {
        let response = render(&CloudError::internal().with_message("leak"));
        assert_eq!(response.status(), 500);
        assert_eq!(
            response.body(),
            r#"{"requestId":"id-1","code":"InternalError","message":"We encountered an internal error. Please try again."}"#
        );
        assert_eq!(Bce::new().internal_error(), common::INTERNAL_ERROR);
        assert_eq!(Bce::new().request_id_header(), "x-bce-request-id");
    }
}
