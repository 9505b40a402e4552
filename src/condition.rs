//! [`Condition`]: what went wrong, independently of any style's codes.

use http::StatusCode;

/// A failure the crate recognises without a code of its own: an inner response's bare status, a
/// tower timeout, a body over its limit, a JSON error. Each [`Style`](crate::Style) maps it to
/// its documented code with [`Style::code_for`](crate::Style::code_for); the table of both
/// built-in styles is in the [rules](crate::rules#conditions).
///
/// ```
/// use http::StatusCode;
/// use tower_cloud_error::{CloudError, Condition, Style};
/// use tower_cloud_error::bce::Bce;
/// use tower_cloud_error::tencent::Tencent;
///
/// assert_eq!(Condition::from_status(StatusCode::NOT_FOUND), Condition::NotFound);
/// assert_eq!(Bce::new().code_for(Condition::NotFound).name(), "InvalidURI");
/// assert_eq!(Tencent::new().code_for(Condition::NotFound).name(), "InvalidAction");
///
/// // Errors can carry a condition; the layer renders the style's code for it.
/// let err = CloudError::from_condition(Condition::PayloadTooLarge);
/// # let _ = err;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Condition {
    /// The request was malformed in a way nothing more specific describes (400).
    BadRequest,
    /// The request carried no or invalid credentials (401).
    Unauthenticated,
    /// The request is not allowed (403).
    Forbidden,
    /// No route or operation matches the request (404).
    NotFound,
    /// The route exists, the method does not (405).
    MethodNotAllowed,
    /// The request took too long: tower's `timeout::error::Elapsed`, 408, 504.
    Timeout,
    /// A precondition (`If-Match`) failed (412).
    PreconditionFailed,
    /// The request body is over its limit (413).
    PayloadTooLarge,
    /// The request URI is over its limit (414).
    UriTooLong,
    /// The request's path or query does not parse into what the operation expects (axum's
    /// `Path` and `Query` rejections).
    MalformedUri,
    /// The request body's media type is not accepted (415).
    UnsupportedMediaType,
    /// The request body is not well-formed JSON.
    MalformedJson,
    /// The request body is well-formed JSON that does not fit the operation (422).
    InappropriateJson,
    /// The client sent too many requests (429).
    TooManyRequests,
    /// The service sheds load: tower's `load_shed::error::Overloaded`, 503.
    Overloaded,
    /// A server fault no other condition describes (5xx).
    Internal,
}

impl Condition {
    /// The condition an HTTP error status stands for; statuses without a condition of their own
    /// are [`BadRequest`](Condition::BadRequest) (4xx) or [`Internal`](Condition::Internal)
    /// (everything else).
    #[must_use]
    pub fn from_status(status: StatusCode) -> Condition {
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::PROXY_AUTHENTICATION_REQUIRED => {
                Condition::Unauthenticated
            }
            StatusCode::FORBIDDEN => Condition::Forbidden,
            StatusCode::NOT_FOUND | StatusCode::GONE => Condition::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => Condition::MethodNotAllowed,
            StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => Condition::Timeout,
            StatusCode::PRECONDITION_FAILED => Condition::PreconditionFailed,
            StatusCode::PAYLOAD_TOO_LARGE => Condition::PayloadTooLarge,
            StatusCode::URI_TOO_LONG | StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
                Condition::UriTooLong
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Condition::UnsupportedMediaType,
            StatusCode::UNPROCESSABLE_ENTITY => Condition::InappropriateJson,
            StatusCode::TOO_MANY_REQUESTS => Condition::TooManyRequests,
            StatusCode::SERVICE_UNAVAILABLE => Condition::Overloaded,
            status if status.is_client_error() => Condition::BadRequest,
            _ => Condition::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_conditions() {
        for (status, condition) in [
            (400, Condition::BadRequest),
            (401, Condition::Unauthenticated),
            (404, Condition::NotFound),
            (405, Condition::MethodNotAllowed),
            (408, Condition::Timeout),
            (413, Condition::PayloadTooLarge),
            (415, Condition::UnsupportedMediaType),
            (418, Condition::BadRequest),
            (422, Condition::InappropriateJson),
            (429, Condition::TooManyRequests),
            (500, Condition::Internal),
            (502, Condition::Internal),
            (503, Condition::Overloaded),
            (504, Condition::Timeout),
        ] {
            assert_eq!(
                Condition::from_status(StatusCode::from_u16(status).unwrap()),
                condition,
                "{status}"
            );
        }
    }
}
