//! Tencent Cloud API 3.0: its envelope style, its documented codes, its protocol checks, its
//! JSON request bodies and its success envelope, in one place.
//!
//! | | |
//! |---|---|
//! | Style | [`Tencent`]: HTTP 200, `application/json` exactly, [`REQUEST_ID_HEADER`], `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, messages in the language of [`LANGUAGE_HEADER`] |
//! | Codes | [`common`], [`tcr`]; your own with [`code`] |
//! | Signatures | [`SignatureLayer`] verifies `TC3-HMAC-SHA256` over your [`CredentialStore`], answering the documented codes; the verified [`Principal`] goes to the handler |
//! | Client tokens (feature `idempotency`) | `ClientTokenLayer::tencent`: a retried create answers its first result (see [`idempotency`](crate::idempotency)) |
//! | Protocol checks | [`Checks`] (method, 5-minute timestamp, action, version), opt-in |
//! | Success envelope | [`Success`]: `{"Response":{...,"RequestId"}}` with the request's id |
//! | Conformance (feature `conformance`) | `Conformance`: this convention's rules for `conformance::Checker`, for your own tests |
//! | JSON bodies | `Json` (axum extractor, feature `axum`), [`from_body`], [`read_body`], [`from_slice`], [`from_value`], [`check_content_type`] |
//!
//! ```
//! use tower_cloud_error::{tencent, CloudError, CloudErrorLayer, Language};
//!
//! // Requests without a valid X-TC-Language get English messages.
//! let layer = CloudErrorLayer::new(tencent::Tencent::new().default_language(Language::EnUs));
//! let err = CloudError::new(tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO);
//! assert_eq!(err.code().unwrap().status(), 200); // Tencent errors travel with HTTP 200
//! # let _ = layer;
//! ```
//!
//! # JSON bodies
//!
//! | The body | Code | English message (the Chinese one says the same) |
//! |---|---|---|
//! | `Content-Type` not `application/json` (parameters allowed; a `charset` must be UTF-8), or absent | `InvalidParameter` | `A POST request must have the content type application/json.` |
//! | larger than the limit ([`DEFAULT_LIMIT`], 10 MiB, in `Json`) | `RequestSizeLimitExceeded` | `The request body exceeds the size limit of N bytes.` |
//! | fails while being read | `InvalidParameter` | `The request body could not be read.` |
//! | not UTF-8, not well-formed JSON (a syntax error anywhere, an early end, trailing characters, an empty body), or not a JSON object | `InvalidParameter` | `The request parameters cannot be parsed: a POST body must be a JSON object.` |
//! | a parameter the type does not define, at any depth (`Filters.0.Bogus`) | `UnknownParameter` | ``The parameter `Filters.0.Bogus` is not defined by this action.`` |
//! | a required parameter absent or `null` | `MissingParameter` | ``The request is missing a required parameter `Namespace`.`` |
//! | a parameter of the wrong type, shape or format | `InvalidParameter` | ``The parameter `Limit` has the wrong type or format.`` |
//! | a value the type rejects (`invalid value`: an integer out of the type's range; `unknown variant`) | `InvalidParameterValue` | ``The value of the parameter `Kind` is invalid.`` |
//! | a value [`Validate`](crate::Validate) rejects | what it returns, usually [`invalid_parameter_value`] | |
//!
//! The spec lines behind each row (公共错误码):
//!
//! - `InvalidParameter`: 参数错误(包括参数格式、类型等错误)。 (format and type errors)
//! - `MissingParameter`: 缺少参数。
//! - `UnknownParameter`: 未知参数错误,用户多传未定义的参数会导致错误。 (passing a parameter the
//!   API does not define is an error; unlike BCE, unknown parameters are never ignored)
//! - `InvalidParameterValue`: 参数取值错误。 (the value is wrong or out of range)
//! - `RequestSizeLimitExceeded`: 请求包超过限制大小。 The API 3.0 docs limit a POST JSON request
//!   to 10 MB.
//! - Requests are `POST` with `Content-Type: application/json` (or `GET` with the parameters in
//!   the query, which this module does not read: see [`from_value`]).
//!
//! Decisions where Tencent documents nothing:
//!
//! - **Unknown parameters** are found with serde_ignored whether or not the type uses
//!   `#[serde(deny_unknown_fields)]` (with it, serde reports the same path). Fields gathered by
//!   `#[serde(flatten)]` into a map are defined by the type; with a flattened *struct*, serde
//!   drops what the struct does not define before anyone can see it, so such types cannot
//!   report unknown parameters; and an error inside a flattened struct has no path, so it is
//!   answered with the code's catalog message, without a name.
//! - **Which problem is reported**: one per request, as the API does. Encoding and syntax come
//!   first, wherever they are in the body; then the first problem in the body's order (an
//!   unknown parameter before the wrong type of a later one, and the other way round). A missing
//!   parameter is noticed at the end of its object.
//! - **`null`** for a required parameter is a missing parameter; for an optional one, absent.
//! - **Names**: nested parameters are named as the API 3.0 query form names them
//!   (`Filters.0.Values.1`). Names are request text: at most 128 characters are echoed, control,
//!   bidirectional and zero-width characters and backticks are replaced by U+FFFD. serde's own
//!   description (English only) goes to the log, not the message.
//! - **Depth**: serde_json reads at most 127 nested arrays and objects (its recursion limit);
//!   deeper well-formed JSON is `InvalidParameter` naming the parameter, and unterminated
//!   nesting of any depth is unparseable (the syntax check does not recurse). The typed pass
//!   recurses at most 127 levels: under 256 KiB of stack in a release build, well within a
//!   tokio worker's 2 MiB.
//!
//! The order of the checks, and which one answers when a body fails several, is in the [rules](crate::rules#json-request-bodies).

pub use crate::catalog::tencent::{common, tcr};
#[cfg(feature = "conformance")]
#[cfg_attr(docsrs, doc(cfg(feature = "conformance")))]
pub use crate::conformance::TencentConformance as Conformance;
pub use crate::extract::tencent::{
    check_content_type, from_body, from_slice, from_value, invalid_parameter,
    invalid_parameter_value, missing_parameter, read_body, unknown_parameter, DEFAULT_LIMIT,
};
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use crate::extract::TencentJson as Json;
pub use crate::style::{
    Success, Tencent, TencentChecks as Checks, TENCENT_LANGUAGE as LANGUAGE_HEADER,
    TENCENT_REQUEST_ID as REQUEST_ID_HEADER,
};

#[cfg(feature = "idempotency")]
#[cfg_attr(docsrs, doc(cfg(feature = "idempotency")))]
pub use crate::idempotency::ClientTokenLayer;

// The front door: `TC3-HMAC-SHA256` signature verification.
pub use crate::auth::tencent::{
    Clock, Credential, CredentialStore, InMemoryCredentials, ManualClock, Principal, Secret,
    SignatureError, SignatureLayer, SignatureService, SystemClock,
};

use crate::code::{Code, Dialect};

/// The Tencent Cloud API 3.0 dialect: every code declared with [`code`] belongs to it, and
/// [`Tencent`] renders it.
pub const DIALECT: Dialect = crate::code::TENCENT;

/// Declares a Tencent Cloud API 3.0 code: `name` is 1 to 3 dot-joined segments of
/// `[A-Za-z0-9_]`, each starting with a capital letter (`ResourceNotFound.ErrNoRepo`), with a
/// Chinese and an English message. Tencent errors are always sent with HTTP 200.
///
/// ```
/// use tower_cloud_error::{tencent, Code};
///
/// const NO_CHART: Code =
///     tencent::code("ResourceNotFound.ErrNoChart", "Chart 不存在。", "The chart does not exist.");
/// assert_eq!(NO_CHART.status(), 200);
/// ```
///
/// # Panics
///
/// At compile time, in `const` context, when the name or a message is malformed.
#[must_use]
pub const fn code(name: &'static str, message_zh: &'static str, message_en: &'static str) -> Code {
    Code::tencent(name, message_zh, message_en)
}
