//! [`Style`]: the extension point that turns an error into one provider's envelope.
//!
//! The crate ships [`Bce`] and [`Tencent`]. A third convention is a new type implementing
//! [`Style`]; the layer does not change.

mod bce;
mod bce_checks;
mod report;
mod tencent;
pub(crate) mod tencent_checks;
mod tencent_success;

use bytes::Bytes;
use http::{HeaderName, Request, Response};

use crate::code::{Code, Dialect};
use crate::condition::Condition;
use crate::error::CloudError;

pub use self::bce::{Bce, RequestDate, BCE_REQUEST_ID};
pub use self::bce_checks::BceChecks;
pub use self::report::ErrorReport;
pub use self::tencent::{Tencent, TENCENT_LANGUAGE, TENCENT_REQUEST_ID};
pub use self::tencent_checks::TencentChecks;
pub use self::tencent_success::Success;

/// An API convention's error envelope: its request-id header, its `InternalError`, and how an
/// error is rendered.
///
/// The layer clones the style once per request: keep it cheap to clone (put large configuration
/// behind an `Arc`).
///
/// The layer owns the rules every style shares: it resolves which [`Code`] is rendered (a code of
/// another dialect, or an error without a code, becomes [`internal_error`](Style::internal_error)),
/// keeps custom messages off internal errors (see [`ErrorReport::message`]), sets the request-id
/// header on every response and drops the body for `HEAD`. A style only renders.
pub trait Style: Clone + Send + Sync + 'static {
    /// What the style needs to know about a request to render an error for it, captured before
    /// the request moves into the inner service (for Tencent, the message language).
    ///
    /// `Default` stands in when capturing it panics (the request is then answered with
    /// InternalError).
    type RequestInfo: Default + Send + 'static;

    /// The dialect whose codes this style renders.
    fn dialect(&self) -> Dialect;

    /// The response header that carries the request id (on every response).
    fn request_id_header(&self) -> &HeaderName;

    /// The code rendered when no specific code applies.
    fn internal_error(&self) -> Code;

    /// The code this style documents for `condition`. The default is
    /// [`internal_error`](Style::internal_error) for every condition; the built-in styles map
    /// each one (see the [rules](crate::rules#conditions)).
    fn code_for(&self, condition: Condition) -> Code {
        let _ = condition;
        self.internal_error()
    }

    /// Checks a request before the inner service sees it (the style's opt-in protocol checks,
    /// such as [`BceChecks`] and [`TencentChecks`]); an error is answered at once, without
    /// calling the inner service. The default accepts every request.
    fn check_request<B>(&self, request: &Request<B>) -> Result<(), CloudError> {
        let _ = request;
        Ok(())
    }

    /// Captures [`RequestInfo`](Style::RequestInfo) from the request head. Called for every
    /// request, so it should be cheap.
    fn request_info<B>(&self, request: &Request<B>) -> Self::RequestInfo;

    /// Renders the error response: status, content type and body. The layer adds the request-id
    /// header afterwards.
    fn render(&self, report: &ErrorReport<'_>, info: &Self::RequestInfo) -> Response<Bytes>;

    /// The body of a success a handler deferred to the layer (such as
    /// [`tencent::Success`](crate::tencent::Success)): `fields` is the JSON object the handler
    /// answered, `request_id` the request's id. The default answers `fields` as they are (BCE
    /// successes are plain JSON); Tencent wraps them as
    /// `{"Response":{...fields,"RequestId":"<id>"}}`.
    fn success_body(&self, fields: Bytes, request_id: &str) -> Bytes {
        let _ = request_id;
        fields
    }
}
