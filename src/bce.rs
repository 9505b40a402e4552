//! Baidu AI Cloud (BCE): its envelope style, its documented codes, its protocol checks and its
//! JSON request bodies, in one place.
//!
//! | | |
//! |---|---|
//! | Style | [`Bce`]: the code's documented status, `application/json; charset=utf-8`, [`REQUEST_ID_HEADER`], `{"requestId","code","message"}` |
//! | Codes | [`common`], [`eip`], [`eip_group`], [`bandwidth_package`], [`dev_machine`]; your own with [`code`] |
//! | Signatures | [`SignatureLayer`] verifies `bce-auth-v1` over your [`CredentialStore`], answering the documented codes; the verified [`Principal`] goes to the handler |
//! | Client tokens (feature `idempotency`) | `ClientTokenLayer::bce`: a retried create answers its first result (see [`idempotency`](crate::idempotency)) |
//! | Protocol checks | [`Checks`] (URI version, 30-minute clock skew), opt-in |
//! | Conformance (feature `conformance`) | `Conformance`: this convention's rules for `conformance::Checker`, for your own tests |
//! | JSON bodies | `Json` (axum extractor, feature `axum`), [`from_body`], [`read_body`], [`from_slice`], [`from_value`], [`check_content_type`] |
//!
//! ```
//! use tower_cloud_error::{bce, CloudError, CloudErrorLayer};
//!
//! // Serves the EIP API's v1 only, and refuses requests dated more than 30 minutes off.
//! let layer = CloudErrorLayer::new(bce::Bce::new().checks(bce::Checks::new(&[1])));
//! let err = CloudError::new(bce::eip::EIP_NOT_FOUND);
//! assert_eq!(err.code().unwrap().status(), 404);
//! # let _ = layer;
//! ```
//!
//! # JSON bodies
//!
//! | The body | Code (status) | Message (English, the only BCE language) |
//! |---|---|---|
//! | `Content-Type` not `application/json` (parameters allowed; a `charset` must be UTF-8), or absent | `InvalidHTTPRequest` (400) | `...: the content type must be application/json (UTF-8).` |
//! | larger than the limit ([`DEFAULT_LIMIT`] in `Json`) | `InvalidHTTPRequest` (400) | `...: the body is larger than N bytes.` |
//! | fails while being read | `InvalidHTTPRequest` (400) | `...: the body could not be read.` |
//! | not UTF-8 | `InvalidHTTPRequest` (400) | `...: the body is not valid UTF-8 (byte N).` |
//! | not well-formed JSON (a syntax error anywhere, an early end, trailing characters, an empty body) | `MalformedJSON` (400) | the documented message |
//! | a required item absent | `InappropriateJSON` (400) | ``...: missing field `billing.paymentTiming`.`` |
//! | an item of the wrong type or shape (an array for an object), or a value the type rejects | `InappropriateJSON` (400) | ``...: `bandwidthInMbps`: invalid type: string "ten", expected u32.`` |
//! | an item the type does not define | ignored | |
//! | a value [`Validate`](crate::Validate) rejects | what it returns, usually [`inappropriate_json`] | |
//!
//! `...` stands for the code's documented message without its full stop. The spec lines behind
//! each row:
//!
//! - `MalformedJSON`: "The JSON you provided was not well-formed." (JSON格式不合法)
//! - `InappropriateJSON`: "The JSON you provided was well-formed and valid, but not appropriate
//!   for this operation." — "For example, any required item is missing or the value type does
//!   not match. For compatibility, all unrecognized items should be directly ignored without
//!   returning this error." (如缺少某个必需项,或者值类型不匹配等。出于兼容性考虑,对于所有无法识别的项应直接忽略)
//! - `InvalidHTTPRequest`: "There was an error in the body of your HTTP request." — "HTTP body
//!   格式错误。例如不符合指定的Encoding等" (the body is malformed, e.g. not in the required
//!   encoding). BCE documents JSON bodies as `Content-Type: application/json; charset=utf-8`.
//!
//! Decisions where BCE documents nothing:
//!
//! - **Size.** BCE has no size code. A body over the limit is a body the service cannot take,
//!   reported as `InvalidHTTPRequest` (400, which the SDKs know) with the limit in the message,
//!   rather than `InappropriateJSON` (its JSON was never looked at). [`DEFAULT_LIMIT`] is 2 MiB,
//!   axum's default body limit.
//! - **Content type.** A body sent as another media type is not in the required format:
//!   `InvalidHTTPRequest`. The official SDKs always send `application/json;charset=utf-8`.
//! - **Depth.** serde_json reads at most 127 nested arrays and objects (its recursion limit).
//!   The syntax check has no such limit and does not recurse, so an unterminated `[[[[…` of any
//!   depth is `MalformedJSON`, while well-formed JSON nested deeper than 127 where the type
//!   reads it is `InappropriateJSON` (`recursion limit exceeded`). Deep JSON inside an
//!   unrecognised item is skipped without recursion. The typed pass thus recurses at most 127
//!   levels: under 128 KiB of stack in a release build, well within a tokio worker's 2 MiB.
//! - **Messages.** `MalformedJSON` keeps its documented message (the parser's position goes to
//!   the log); `InappropriateJSON` names the item and quotes serde's description of the
//!   problem, which comes from your types (word it with `#[serde(expecting = "...")]` or a
//!   `deserialize_with` error). A struct's Rust name never appears (`expected struct
//!   CreateEipRequest` reads `expected a JSON object`). Echoed request text is bounded (128
//!   characters for an item, 384 for a description) and its control, bidirectional and
//!   zero-width characters are replaced by U+FFFD.
//! - **`deny_unknown_fields`.** BCE ignores unknown items, so request types should not deny
//!   them; a type that does fails with `InappropriateJSON` naming the item, by its own choice.
//!
//! The order of the checks, and which one answers when a body fails several, is in the [rules](crate::rules#json-request-bodies).

pub use crate::catalog::bce::{bandwidth_package, common, dev_machine, eip, eip_group};
#[cfg(feature = "conformance")]
#[cfg_attr(docsrs, doc(cfg(feature = "conformance")))]
pub use crate::conformance::BceConformance as Conformance;
pub use crate::extract::bce::{
    check_content_type, from_body, from_slice, from_value, inappropriate_json, read_body,
    DEFAULT_LIMIT,
};
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use crate::extract::BceJson as Json;
pub use crate::style::{
    Bce, BceChecks as Checks, RequestDate, BCE_REQUEST_ID as REQUEST_ID_HEADER,
};

#[cfg(feature = "idempotency")]
#[cfg_attr(docsrs, doc(cfg(feature = "idempotency")))]
pub use crate::idempotency::ClientTokenLayer;

// The front door: `bce-auth-v1` signature verification.
pub use crate::auth::bce::{
    Clock, Credential, CredentialStore, InMemoryCredentials, ManualClock, Principal, Secret,
    SignatureError, SignatureLayer, SignatureService, SystemClock,
};

use crate::code::{Code, Dialect};

/// The BCE dialect: every code declared with [`code`] belongs to it, and [`Bce`] renders it.
pub const DIALECT: Dialect = crate::code::BCE;

/// Declares a BCE code: `name` is CamelCase segments optionally joined by dots
/// (`EipNotFound`, `Keypair.KeypairNotExist`), `status` a 4xx or 5xx status, `message` the
/// documented English message (BCE messages are English only).
///
/// ```
/// use tower_cloud_error::{bce, Code};
///
/// const KEYPAIR_NOT_EXIST: Code =
///     bce::code("Keypair.KeypairNotExist", 404, "The specified keypair does not exist.");
/// assert_eq!(KEYPAIR_NOT_EXIST.dialect(), bce::DIALECT);
/// ```
///
/// # Panics
///
/// At compile time, in `const` context, when the name, status or message is malformed.
#[must_use]
pub const fn code(name: &'static str, status: u16, message: &'static str) -> Code {
    Code::bce(name, status, message)
}
