//! [`Bce`]: the Baidu AI Cloud envelope.

use std::borrow::Cow;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, DATE};
use http::{HeaderName, HeaderValue, Request, Response};

use super::bce_checks::X_BCE_DATE;
use super::{BceChecks, ErrorReport, Style};
use crate::catalog::bce::common::{self, INTERNAL_ERROR};
use crate::code::{Code, Dialect};
use crate::condition::Condition;
use crate::date::bce_request_date;
use crate::error::CloudError;
use crate::json::{push_code_name, push_json_string};
use crate::language::Language;

/// The BCE request-id header, on every response.
pub const BCE_REQUEST_ID: HeaderName = HeaderName::from_static("x-bce-request-id");

/// The envelope's bytes besides its three strings' contents, for sizing its buffer.
const BODY_FRAME: &str = r#"{"requestId":"","code":"","message":""}"#;

const CONTENT_TYPE_JSON_UTF8: HeaderValue =
    HeaderValue::from_static("application/json; charset=utf-8");

/// The Baidu AI Cloud (BCE) style: the code's documented status,
/// `content-type: application/json; charset=utf-8`, the `x-bce-request-id` header, and the body
/// `{"requestId":"<id>","code":"<Code>","message":"<message>"}`.
///
/// ```
/// use tower_cloud_error::CloudErrorLayer;
/// use tower_cloud_error::bce::Bce;
///
/// let layer = CloudErrorLayer::new(Bce::new());
/// # let _ = layer;
/// ```
#[derive(Debug, Clone, Default)]
pub struct Bce {
    checks: Option<Arc<BceChecks>>,
}

impl Bce {
    /// The BCE style, without request checks.
    #[must_use]
    pub const fn new() -> Self {
        Bce { checks: None }
    }

    /// Runs BCE's documented request checks (URI version, clock skew) before the inner service.
    #[must_use]
    pub fn checks(mut self, checks: BceChecks) -> Self {
        self.checks = Some(Arc::new(checks));
        self
    }
}

/// The date headers of a request, kept to quote in `RequestExpired`.
#[derive(Debug, Default)]
pub struct RequestDate {
    /// The request's `x-bce-date` if it has one, else its `Date` (one value: the future that
    /// carries it stays small).
    date: Option<HeaderValue>,
    /// Whether `date` is the `x-bce-date`.
    is_bce_date: bool,
}

impl Style for Bce {
    /// The request's `x-bce-date`, else its `Date`: `RequestExpired` quotes it.
    type RequestInfo = RequestDate;

    fn dialect(&self) -> Dialect {
        crate::bce::DIALECT
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
            Condition::NotFound
            | Condition::MethodNotAllowed
            | Condition::UriTooLong
            | Condition::MalformedUri => common::INVALID_URI,
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

    // Inlined: without checks, a branch per request instead of a call.
    #[inline]
    fn check_request<B>(&self, request: &Request<B>) -> Result<(), CloudError> {
        match &self.checks {
            Some(checks) => checks.check(request),
            None => Ok(()),
        }
    }

    fn request_info<B>(&self, request: &Request<B>) -> RequestDate {
        let headers = request.headers();
        // `x-bce-date` wins over `Date` (present but unreadable included): only without it is
        // `Date` worth capturing.
        match headers.get(X_BCE_DATE) {
            Some(bce_date) => RequestDate {
                date: Some(bce_date.clone()),
                is_bce_date: true,
            },
            None => RequestDate {
                date: headers.get(DATE).cloned(),
                is_bce_date: false,
            },
        }
    }

    fn render(&self, report: &ErrorReport<'_>, date: &RequestDate) -> Response<Bytes> {
        let code = report.code();
        let mut message = report.message(Language::EnUs);
        if *code == common::REQUEST_EXPIRED && report.has_default_message() {
            // "Timestamp date is <x-bce-date>": the request's, or its Date in that format.
            let value = date.date.as_ref().map(HeaderValue::as_bytes);
            let (bce_date, http_date) = if date.is_bce_date {
                (value, None)
            } else {
                (None, value)
            };
            let quoted = bce_request_date(bce_date, http_date)
                .map(|(quoted, _)| quoted)
                .unwrap_or_default();
            // Through the template machinery, so the quote is bounded like any argument.
            let filled = CloudError::new(*code).with_args([quoted]);
            message = Cow::Owned(filled.message(Language::EnUs).into_owned());
        }
        let id = report.request_id();
        // Exactly the body's length when nothing needs an escape (the usual case): a buffer
        // filled to its capacity becomes `Bytes` without a second allocation.
        let mut body =
            Vec::with_capacity(BODY_FRAME.len() + id.len() + code.name().len() + message.len());
        body.extend_from_slice(b"{\"requestId\":");
        push_json_string(&mut body, id);
        body.extend_from_slice(b",\"code\":");
        push_code_name(&mut body, code.name());
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
        style.render(&report, &RequestDate::default())
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
