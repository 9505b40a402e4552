//! Compliant JSON extraction: request bodies parsed into your types, every failure answered
//! with the code the provider documents for it.
//!
//! | | BCE | Tencent Cloud API 3.0 |
//! |---|---|---|
#![cfg_attr(
    feature = "axum",
    doc = "| axum extractor (feature `axum`) | [`BceJson`] | [`TencentJson`] |"
)]
#![cfg_attr(
    not(feature = "axum"),
    doc = "| axum extractor (feature `axum`) | `BceJson` | `TencentJson` |"
)]
//! | a body (hyper, any `http_body::Body`) | [`bce::from_body`] | [`tencent::from_body`] |
//! | a body, read now and parsed later | [`bce::read_body`] | [`tencent::read_body`] |
//! | bytes | [`bce::from_slice`] | [`tencent::from_slice`] |
//! | parsed JSON | [`bce::from_value`] | [`tencent::from_value`] |
//! | the `Content-Type` check | [`bce::check_content_type`] | [`tencent::check_content_type`] |
//! | default limit | [`bce::DEFAULT_LIMIT`] (2 MiB) | [`tencent::DEFAULT_LIMIT`] (10 MiB) |
//!
//! A request type derives `Deserialize` and implements [`Validate`] (the checks on values; an
//! empty `impl` when there are none). The extraction returns `Result<T, CloudError>`: in an
//! axum handler the rejection is rendered by [`CloudErrorLayer`](crate::CloudErrorLayer) with
//! the request id and language; elsewhere, return the [`CloudError`](crate::CloudError) through
//! your service's error type.
//!
//! ```
//! use serde::Deserialize;
//! use tower_cloud_error::catalog::{bce::common as bce_codes, tencent::common as tencent_codes};
//! use tower_cloud_error::extract::{bce, tencent, Validate};
//!
//! #[derive(Debug, Deserialize)]
//! struct Request {
//!     #[serde(rename = "Name", alias = "name")]
//!     name: String,
//! }
//! impl Validate for Request {}
//!
//! let body = br#"{"Name": "web", "Extra": 1}"#;
//! // BCE ignores unknown items; Tencent refuses unknown parameters.
//! assert_eq!(bce::from_slice::<Request>(body).unwrap().name, "web");
//! let err = tencent::from_slice::<Request>(body).unwrap_err();
//! assert_eq!(err.code(), Some(&tencent_codes::UNKNOWN_PARAMETER));
//!
//! // A syntax error is found wherever it is, even after a misfit.
//! let body = br#"{"Name": 42, "Extra": }"#;
//! let err = bce::from_slice::<Request>(body).unwrap_err();
//! assert_eq!(err.code(), Some(&bce_codes::MALFORMED_JSON));
//! ```
//!
//! # Order of the checks
//!
//! Each failure has one code; when a request has several, the first check that fails answers:
//!
//! 1. **`Content-Type`** (extractors and `check_content_type`): `application/json`, parameters
//!    allowed, a `charset` only if UTF-8. Its error comes first, but the extractors read the
//!    body (within the limit) even so: hyper closes a keep-alive connection whose request body
//!    was left unread, and the client would find it closed on its next request.
//! 2. **Size**: a body announced larger than the limit (`Content-Length`, or an exact size
//!    hint) is refused before it is read; otherwise reading stops at the first frame past the
//!    limit, so at most the limit is ever buffered. A `LengthLimitError` from a limit further
//!    out (tower-http's `RequestBodyLimitLayer`) counts the same. axum's `DefaultBodyLimit`
//!    does not apply: the extractors have their own limit.
//! 3. **Encoding**: the body must be UTF-8 (RFC 8259 §8.1).
//! 4. **Syntax**: the body must be one well-formed JSON value (an empty body is not). A syntax
//!    error anywhere wins over a misfit anywhere, whatever their order: a valid body is read
//!    once, straight into the type, and only when that fails is it scanned again
//!    ([`serde::de::IgnoredAny`]: no allocation, no recursion, so any nesting depth is safe) to
//!    tell a syntax error from a misfit.
//! 5. **Fit**: the body against the type. A struct is only ever read from a JSON object (serde
//!    would also read it from an array, by position); for Tencent every item the type ignores
//!    is reported (serde_ignored). The first misfit in the body's order is reported; to name
//!    it, the body is typed once more with serde_path_to_error, which allocates a string per
//!    key and is therefore kept off the success path.
//! 6. **[`Validate`]**: the type's own checks on values.
//!
//! | Failure | BCE | Tencent |
//! |---|---|---|
//! | 1. not `application/json` | `InvalidHTTPRequest` | `InvalidParameter` |
//! | 2. over the limit | `InvalidHTTPRequest` | `RequestSizeLimitExceeded` |
//! | 2. the body fails | `InvalidHTTPRequest` | `InvalidParameter` |
//! | 3. not UTF-8 | `InvalidHTTPRequest` | `InvalidParameter` |
//! | 4. not well-formed | `MalformedJSON` | `InvalidParameter` |
//! | 5. unknown item | ignored | `UnknownParameter` |
//! | 5. missing (or, Tencent, `null`) required item | `InappropriateJSON` | `MissingParameter` |
//! | 5. wrong type or shape | `InappropriateJSON` | `InvalidParameter` |
//! | 5. value the type rejects | `InappropriateJSON` | `InvalidParameterValue` |
//! | 6. [`Validate`] | its error | its error |
//!
//! The [`bce`] and [`tencent`] modules quote the spec line behind each row, the messages, and
//! the decisions taken where the providers document nothing (BCE's size and content-type
//! codes, nesting depth).
//!
//! # Cost
//!
//! A valid BCE body costs about what `serde_json::from_slice` costs (UTF-8 is checked once
//! for the whole body, then strings are not checked again). A valid Tencent body costs about
//! one and a half times that: serde_ignored keeps the name of every key it passes, to report
//! the path of an unknown one. A refused body costs up to three reads (typed, scanned, typed
//! with its path), each bounded by the limit.
//!
//! # Messages
//!
//! Messages name the item (`billing.paymentTiming`, `Filters.0.Values`); Tencent's in Chinese
//! and English. Names and any other request text they quote are bounded and stripped of
//! control, bidirectional and zero-width characters; the parser's own error goes to the log
//! as the error's source, never to the client.

mod body;
mod content_type;
mod echo;
#[cfg(feature = "axum")]
mod extractor;
mod parse;
mod strict;
mod validate;

pub mod bce;
pub mod tencent;

#[cfg(feature = "axum")]
pub use self::extractor::{BceJson, TencentJson};
pub use self::validate::Validate;

#[cfg(all(test, feature = "axum"))]
mod tests {
    use super::*;

    /// The extractors are Send and Sync, so they work in any handler.
    #[test]
    fn traits() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<BceJson<serde_json::Value>>();
        send_sync::<TencentJson<serde_json::Value, 1024>>();
    }
}
