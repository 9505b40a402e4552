//! [`Tencent`]: the Tencent Cloud API 3.0 envelope.

use std::sync::Arc;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderName, HeaderValue, Request, Response, StatusCode};

use super::{ErrorReport, Style, TencentChecks};
use crate::catalog::tencent::common::{self, INTERNAL_ERROR};
use crate::code::{Code, Dialect};
use crate::condition::Condition;
use crate::error::CloudError;
use crate::json::{push_code_name, push_json_string};
use crate::language::Language;

/// The Tencent request-id header (`X-TC-RequestId`), on every response.
pub const TENCENT_REQUEST_ID: HeaderName = HeaderName::from_static("x-tc-requestid");

/// The header a Tencent client chooses its message language with.
pub const TENCENT_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");

/// The envelope's bytes besides its three strings' contents, for sizing its buffer.
const BODY_FRAME: &str = r#"{"Response":{"Error":{"Code":"","Message":""},"RequestId":""}}"#;

/// Exactly `application/json`: the Python SDK compares the whole value, and with a charset
/// parameter it silently takes an error for a success.
const CONTENT_TYPE_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The Tencent Cloud API 3.0 style: HTTP 200 for every error, `content-type: application/json`
/// exactly, the `X-TC-RequestId` header, and the body
/// `{"Response":{"Error":{"Code":"<Code>","Message":"<message>"},"RequestId":"<id>"}}`, with the
/// message in the language of the request's `X-TC-Language` header.
///
/// ```
/// use tower_cloud_error::{CloudErrorLayer, Language};
/// use tower_cloud_error::tencent::Tencent;
///
/// // Requests without a valid X-TC-Language get English messages.
/// let layer = CloudErrorLayer::new(Tencent::new().default_language(Language::EnUs));
/// # let _ = layer;
/// ```
#[derive(Debug, Clone, Default)]
pub struct Tencent {
    default_language: Language,
    checks: Option<Arc<TencentChecks>>,
}

impl Tencent {
    /// The Tencent style, with Chinese (`zh-CN`, what the SDKs send by default) as the default
    /// language.
    #[must_use]
    pub const fn new() -> Self {
        Tencent {
            default_language: Language::ZhCn,
            checks: None,
        }
    }

    /// The message language for requests without a valid `X-TC-Language` header.
    #[must_use]
    pub fn default_language(mut self, language: Language) -> Self {
        self.default_language = language;
        self
    }

    /// Runs Tencent Cloud API 3.0's documented request checks (method, timestamp, action,
    /// version) before the inner service.
    #[must_use]
    pub fn checks(mut self, checks: TencentChecks) -> Self {
        self.checks = Some(Arc::new(checks));
        self
    }
}

impl Style for Tencent {
    type RequestInfo = Language;

    fn dialect(&self) -> Dialect {
        crate::tencent::DIALECT
    }

    fn request_id_header(&self) -> &HeaderName {
        static HEADER: HeaderName = TENCENT_REQUEST_ID;
        &HEADER
    }

    fn internal_error(&self) -> Code {
        INTERNAL_ERROR
    }

    fn code_for(&self, condition: Condition) -> Code {
        match condition {
            Condition::BadRequest
            | Condition::MalformedUri
            | Condition::UnsupportedMediaType
            | Condition::MalformedJson
            | Condition::InappropriateJson => common::INVALID_PARAMETER,
            Condition::Unauthenticated => common::AUTH_FAILURE,
            Condition::Forbidden => common::UNAUTHORIZED_OPERATION,
            Condition::NotFound => common::INVALID_ACTION,
            Condition::MethodNotAllowed => common::UNSUPPORTED_PROTOCOL,
            Condition::PreconditionFailed => common::FAILED_OPERATION,
            Condition::PayloadTooLarge | Condition::UriTooLong => {
                common::REQUEST_SIZE_LIMIT_EXCEEDED
            }
            Condition::TooManyRequests => common::REQUEST_LIMIT_EXCEEDED,
            Condition::Timeout | Condition::Overloaded => common::SERVICE_UNAVAILABLE,
            Condition::Internal => common::INTERNAL_ERROR,
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

    fn request_info<B>(&self, request: &Request<B>) -> Language {
        request
            .headers()
            .get(TENCENT_LANGUAGE)
            .and_then(Language::from_header)
            .unwrap_or(self.default_language)
    }

    fn render(&self, report: &ErrorReport<'_>, language: &Language) -> Response<Bytes> {
        let code = report.code();
        let message = report.message(*language);
        let id = report.request_id();
        // Exactly the body's length when nothing needs an escape (the usual case): a buffer
        // filled to its capacity becomes `Bytes` without a second allocation.
        let mut body =
            Vec::with_capacity(BODY_FRAME.len() + id.len() + code.name().len() + message.len());
        body.extend_from_slice(b"{\"Response\":{\"Error\":{\"Code\":");
        push_code_name(&mut body, code.name());
        body.extend_from_slice(b",\"Message\":");
        push_json_string(&mut body, &message);
        body.extend_from_slice(b"},\"RequestId\":");
        push_json_string(&mut body, id);
        body.extend_from_slice(b"}}");

        let mut response = Response::new(Bytes::from(body));
        *response.status_mut() = StatusCode::OK;
        response
            .headers_mut()
            .insert(CONTENT_TYPE, CONTENT_TYPE_JSON);
        response
    }

    /// `{"Response":{...fields,"RequestId":"<id>"}}`: the documented success envelope.
    fn success_body(&self, fields: Bytes, request_id: &str) -> Bytes {
        // `fields` is one JSON object (`tencent::Success` checks it): open it up.
        let inner = fields
            .strip_prefix(b"{")
            .and_then(|rest| rest.strip_suffix(b"}"))
            .unwrap_or(b"");
        let empty = inner.iter().all(u8::is_ascii_whitespace);
        let mut body = Vec::with_capacity(fields.len() + request_id.len() + 32);
        body.extend_from_slice(b"{\"Response\":{");
        body.extend_from_slice(inner);
        if !empty {
            body.push(b',');
        }
        body.extend_from_slice(b"\"RequestId\":");
        push_json_string(&mut body, request_id);
        body.extend_from_slice(b"}}");
        Bytes::from(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::CloudError;

    fn render(error: &CloudError, language: Language) -> Response<Bytes> {
        let style = Tencent::new();
        let report = ErrorReport::new(error, "id-1", &style);
        style.render(&report, &language)
    }

    #[test]
    fn renders_the_exact_documented_bytes_in_both_languages() {
        let error = CloudError::new(common::INVALID_ACTION);
        let response = render(&error, Language::ZhCn);
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(
            response.body(),
            r#"{"Response":{"Error":{"Code":"InvalidAction","Message":"接口不存在。"},"RequestId":"id-1"}}"#
        );
        let response = render(&error, Language::EnUs);
        let json: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
        assert_eq!(
            json["Response"]["Error"]["Message"],
            common::INVALID_ACTION.message()
        );
    }

    #[test]
    fn success_bodies_get_the_request_id_inside_response() {
        let style = Tencent::new();
        let body = style.success_body(Bytes::from_static(br#"{"A":1,"B":"x"}"#), "id-1");
        assert_eq!(body, r#"{"Response":{"A":1,"B":"x","RequestId":"id-1"}}"#);
        let body = style.success_body(Bytes::from_static(b"{}"), "id-2");
        assert_eq!(body, r#"{"Response":{"RequestId":"id-2"}}"#);
    }

    #[test]
    fn language_comes_from_the_header_or_the_default() {
        let style = Tencent::new();
        let mut request = Request::new(());
        assert_eq!(style.request_info(&request), Language::ZhCn);
        assert_eq!(
            style
                .clone()
                .default_language(Language::EnUs)
                .request_info(&request),
            Language::EnUs
        );
        request
            .headers_mut()
            .insert(TENCENT_LANGUAGE, HeaderValue::from_static("en-US"));
        assert_eq!(style.request_info(&request), Language::EnUs);
    }
}
