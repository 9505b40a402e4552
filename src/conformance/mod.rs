//! Conformance kit: checks that a response follows the BCE or Tencent Cloud API 3.0 convention
//! (or one of your own, see [`Convention`]), and reports every [`Violation`].
//!
//! Dev tooling, behind the `conformance` feature: enable it for your tests only
//! (`[dev-dependencies] tower-cloud-error = { ..., features = ["conformance"] }`), and your
//! service does not compile the checker.
//!
//! Use it in your own tests, on the responses of your service behind
//! [`CloudErrorLayer`](crate::CloudErrorLayer) (or on any response that claims to follow one of
//! the two conventions):
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use bytes::Bytes;
//! use http::{Method, Request, Response};
//! use http_body_util::{BodyExt, Full};
//! use tower::{service_fn, ServiceBuilder, ServiceExt};
//! use tower_cloud_error::conformance::{BceConformance, Checker};
//! use tower_cloud_error::{bce::eip, CloudError, CloudErrorLayer};
//!
//! let service = ServiceBuilder::new()
//!     .layer(CloudErrorLayer::bce())
//!     .service(service_fn(|_: Request<()>| async {
//!         Err::<Response<Full<Bytes>>, _>(CloudError::new(eip::EIP_NOT_FOUND))
//!     }));
//! let response = service.oneshot(Request::new(())).await.unwrap();
//!
//! // The checker reads a collected body.
//! let (parts, body) = response.into_parts();
//! let body = body.collect().await.unwrap().to_bytes();
//! let response = Response::from_parts(parts, body);
//!
//! Checker::new(BceConformance).require_known_codes(true).assert_conforms(&Method::GET, &response);
//! # }
//! ```
//!
//! A [`Checker`] applies the rules every convention shares and asks a [`Convention`] for the
//! rest: [`BceConformance`] and [`TencentConformance`] are the two the crate ships; a third
//! convention implements the trait, and the checker does not change.
//!
//! A checker never stops at the first problem: [`Checker::check`] returns every violation it
//! finds, each with what it found and what it expected. [`check`] is the one-line form with the
//! default options.
//!
//! # Rules
//!
//! Each rule is a wire fact of the project's protocol notes (marked **\[doc\]** for the providers'
//! documentation, **\[sdk\]** for what the official SDKs do, **\[choice\]** for a decision of this
//! crate where the sources are silent) or a plain HTTP rule **\[http\]**.
//!
//! ## Every response, both conventions
//!
//! | Rule | Violation | Fact |
//! |---|---|---|
//! | The request-id header (`x-bce-request-id` / `X-TC-RequestId`) is present | [`MissingRequestIdHeader`](Violation::MissingRequestIdHeader) | BCE: the id is in that header on every response \[doc\]; Tencent: the header carries the id of streamed responses and is "harmless" on every response, so the crate sends it on all \[doc\]\[choice\] |
//! | ... exactly once | [`RepeatedHeader`](Violation::RepeatedHeader) | one request, one id \[choice\] |
//! | ... and is a valid id ([`is_valid_request_id`](crate::request_id::is_valid_request_id)) | [`InvalidRequestId`](Violation::InvalidRequestId) | the crate's rule for ids: 1 to 128 bytes of `A-Z a-z 0-9 - _ . :` \[choice\] |
//! | ... and, when told, is the expected id ([`Checker::expect_request_id`]) | [`UnexpectedRequestId`](Violation::UnexpectedRequestId) | one request, one id \[choice\] |
//! | `content-length`, if sent, appears once and is the body's length (not checked for `HEAD` and 304, where it describes the `GET` answer) | [`ContentLengthMismatch`](Violation::ContentLengthMismatch), [`RepeatedHeader`](Violation::RepeatedHeader) | \[http\] |
//!
//! ## BCE errors (status 400 to 599)
//!
//! | Rule | Violation | Fact |
//! |---|---|---|
//! | `content-type` is exactly `application/json; charset=utf-8` | [`ContentType`](Violation::ContentType) | the envelope \[doc\] |
//! | no `content-encoding` (other than `identity`) | [`ContentEncoding`](Violation::ContentEncoding) | the envelope is plain JSON \[http\] |
//! | an answer to `HEAD` has no body (nothing else about the body is checked) | [`BodyOnHeadResponse`](Violation::BodyOnHeadResponse) | the Go SDK infers the code from the status \[sdk\] |
//! | otherwise the body is a JSON object | [`EmptyErrorBody`](Violation::EmptyErrorBody), [`BodyNotJson`](Violation::BodyNotJson), [`BodyNotObject`](Violation::BodyNotObject) | a non-JSON error body crashes the Python SDK \[sdk\] |
//! | with exactly the keys `requestId`, `code`, `message`, each once, all strings | [`MissingKey`](Violation::MissingKey), [`ExtraKey`](Violation::ExtraKey), [`DuplicateKey`](Violation::DuplicateKey), [`WrongKeyType`](Violation::WrongKeyType) | the SDK reads the three keys with no fallback \[sdk\]; a duplicate key is read differently by different parsers |
//! | `requestId` equals the header | [`RequestIdMismatch`](Violation::RequestIdMismatch) | "the body and header carry the same id" \[doc\] |
//! | `code` is CamelCase segments joined by dots | [`InvalidCodeName`](Violation::InvalidCodeName) | the documented names; what [`bce::code`](crate::bce::code) accepts \[choice\] |
//! | a documented code has its documented status (a name documented in several tables, like `InstanceNotFound` in `eip` and `eip_group`, may have any of their statuses) | [`StatusMismatch`](Violation::StatusMismatch) | the code tables \[doc\] |
//! | `InternalError` (and any known `InternalError.*` code) carries its canonical message, "We encountered an internal error. Please try again." | [`InternalErrorMessageNotCanonical`](Violation::InternalErrorMessageNotCanonical) | the correct message of the disagreeing tables \[choice\]; never put internal details in a response \[choice\] |
//!
//! ## BCE successes (2xx)
//!
//! | Rule | Violation | Fact |
//! |---|---|---|
//! | the body is empty or JSON (not checked for `HEAD`) | [`SuccessBodyNotJson`](Violation::SuccessBodyNotJson) | "2xx bodies must be JSON or empty" \[sdk\] |
//! | the body is not an error envelope (an object with `requestId`, `code` and `message`) | [`ErrorEnvelopeOnSuccess`](Violation::ErrorEnvelopeOnSuccess) | the SDKs take any 2xx for a success \[sdk\] |
//!
//! Statuses 1xx and 3xx are neither successes nor errors of the convention (redirects,
//! `304 Not Modified`): only the rules for every response apply.
//!
//! ## Tencent, every response
//!
//! | Rule | Violation | Fact |
//! |---|---|---|
//! | the status is 200, errors included | [`TencentStatusNot200`](Violation::TencentStatusNot200) | the SDKs take any other status for `ServerNetworkError` and never read the envelope \[sdk\] |
//!
//! ## Tencent errors (a body with `Response.Error`, or a status of 400 or more)
//!
//! | Rule | Violation | Fact |
//! |---|---|---|
//! | `content-type` is exactly `application/json`, no charset | [`ContentType`](Violation::ContentType) | with a charset the Python SDK silently takes the error for a success \[sdk\] |
//! | no `content-encoding` (other than `identity`) | [`ContentEncoding`](Violation::ContentEncoding) | the envelope is plain JSON \[http\] |
//! | an answer to `HEAD` has no body | [`BodyOnHeadResponse`](Violation::BodyOnHeadResponse) | as for BCE \[choice\] |
//! | otherwise the body is `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, exactly these keys, each once, `Code`, `Message` and `RequestId` strings | [`EmptyErrorBody`](Violation::EmptyErrorBody), [`BodyNotJson`](Violation::BodyNotJson), [`BodyNotObject`](Violation::BodyNotObject), [`MissingKey`](Violation::MissingKey), [`ExtraKey`](Violation::ExtraKey), [`DuplicateKey`](Violation::DuplicateKey), [`WrongKeyType`](Violation::WrongKeyType) | the envelope \[doc\]; a missing `RequestId` is a `KeyError` in the SDK \[sdk\] |
//! | `RequestId` equals the header | [`RequestIdMismatch`](Violation::RequestIdMismatch) | one request, one id \[choice\] |
//! | `Code` is 1 to 3 dot-joined segments of `[A-Za-z0-9_]`, each starting with a capital | [`InvalidCodeName`](Violation::InvalidCodeName) | the shape of every code in the Go SDK \[sdk\] |
//! | `InternalError` (and any known `InternalError.*` code) carries its canonical message, Chinese or English (only the expected language's with [`Checker::expect_language`]) | [`InternalErrorMessageNotCanonical`](Violation::InternalErrorMessageNotCanonical) | never put internal details in a response \[choice\] |
//! | with [`Checker::expect_language`], a known code does not carry its default message of the other language | [`MessageNotInExpectedLanguage`](Violation::MessageNotInExpectedLanguage) | the language follows `X-TC-Language` \[doc\] |
//!
//! ## Tencent successes (status 200 without `Response.Error`)
//!
//! | Rule | Violation | Fact |
//! |---|---|---|
//! | a JSON body (other bodies, such as server-sent events, are not checked; nor is any body of an answer to `HEAD`) is an object whose `Response` object has a string `RequestId` equal to the header | [`BodyNotObject`](Violation::BodyNotObject), [`MissingKey`](Violation::MissingKey), [`DuplicateKey`](Violation::DuplicateKey), [`WrongKeyType`](Violation::WrongKeyType), [`RequestIdMismatch`](Violation::RequestIdMismatch) | success bodies carry `Response.RequestId` \[doc\] |
//!
//! ## Error codes and messages, both conventions
//!
//! | Rule | Violation | Fact |
//! |---|---|---|
//! | the code is not only a code of another convention (given to [`Checker::with_foreign_codes`], [`Checker::with_foreign_convention`] or [`Checker::with_codes`]) | [`CodeOfOtherDialect`](Violation::CodeOfOtherDialect) | a code renders only in its own dialect \[choice\] |
//! | with [`Checker::require_known_codes`], the code is in the dialect's catalogs or given to [`Checker::with_codes`] | [`UnknownCode`](Violation::UnknownCode) | the code tables \[doc\] |
//! | the message has at most [`CloudError::MAX_MESSAGE_LEN`](crate::CloudError::MAX_MESSAGE_LEN) bytes | [`MessageTooLong`](Violation::MessageTooLong) | messages are bounded \[choice\] |
//!
//! # Which codes are known
//!
//! A checker knows every code of its convention's [catalogs](Convention::catalogs). Your own
//! codes are declared with [`Checker::with_codes`]: a name declared there is checked against
//! your declarations only (its status, its canonical message if it is an `InternalError.*`
//! code), not against a catalog table that uses the same name for another service. Codes of
//! other conventions are foreign only when you say so ([`Checker::with_foreign_codes`],
//! [`Checker::with_foreign_convention`]): a checker knows no convention but its own.
//!
//! # Limits
//!
//! Messages are free text: apart from internal errors and the language of default messages, the
//! checker cannot tell a good message from a bad one (in particular it cannot see internals
//! leaking through a custom message). JSON nested more than 128 levels deep counts as not JSON.

mod bce;
mod convention;
mod inspection;
mod json;
mod tencent;
mod violation;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use http::{response, HeaderMap, Method, Response, StatusCode};

pub use self::bce::BceConformance;
pub use self::convention::Convention;
pub use self::inspection::Inspection;
pub use self::tencent::TencentConformance;
pub use self::violation::Violation;
use crate::code::{Code, Dialect};
use crate::error::CloudError;
use crate::language::Language;

/// Checks `response`, the answer to a `request_method` request, against `convention` with the
/// default options (every catalog code known, unknown codes allowed, either language).
///
/// Returns every [`Violation`] found. See the [module docs](self) for the rules, and [`Checker`]
/// for the options.
///
/// ```
/// use bytes::Bytes;
/// use http::{Method, Response};
/// use tower_cloud_error::conformance::{check, BceConformance, TencentConformance, Violation};
///
/// let response = Response::builder()
///     .status(404)
///     .header("content-type", "application/json; charset=utf-8")
///     .header("x-bce-request-id", "ae2225f7-1c2e-427a-a1ad-5413b762957d")
///     .body(Bytes::from_static(
///         br#"{"requestId":"ae2225f7-1c2e-427a-a1ad-5413b762957d","code":"EipNotFound","message":"The specified eip does not exist."}"#,
///     ))
///     .unwrap();
/// assert_eq!(check(BceConformance, &Method::GET, &response), Ok(()));
///
/// // The same envelope with a charset is no Tencent error, and not HTTP 200 either.
/// let violations = check(TencentConformance, &Method::GET, &response).unwrap_err();
/// assert!(violations.contains(&Violation::TencentStatusNot200 { status: http::StatusCode::NOT_FOUND }));
/// assert!(violations.contains(&Violation::MissingRequestIdHeader { header: "x-tc-requestid" }));
/// ```
pub fn check<B: AsRef<[u8]>>(
    convention: impl Convention,
    request_method: &Method,
    response: &Response<B>,
) -> Result<(), Vec<Violation>> {
    Checker::new(convention).check(request_method, response)
}

/// A configured conformance check for one [`Convention`]. See the [module docs](self) for the
/// rules.
///
/// ```
/// use bytes::Bytes;
/// use http::{Method, Response};
/// use tower_cloud_error::conformance::{Checker, TencentConformance, Violation};
/// use tower_cloud_error::{tencent, Code, Language};
///
/// const ERR_NO_CHART: Code = tencent::code(
///     "ResourceNotFound.ErrNoChart",
///     "Chart 不存在。",
///     "The chart does not exist.",
/// );
///
/// let checker = Checker::new(TencentConformance)
///     .with_codes(&[ERR_NO_CHART])
///     .require_known_codes(true)
///     .expect_language(Language::EnUs);
///
/// let response = Response::builder()
///     .header("content-type", "application/json")
///     .header("x-tc-requestid", "id-1")
///     .body(Bytes::from(
///         r#"{"Response":{"Error":{"Code":"ResourceNotFound.ErrNoChart","Message":"The chart does not exist."},"RequestId":"id-1"}}"#,
///     ))
///     .unwrap();
/// assert_eq!(checker.check(&Method::POST, &response), Ok(()));
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Checker {
    convention: Arc<dyn Convention>,
    /// Every declaration of each known name of this dialect.
    known: HashMap<&'static str, Vec<Code>>,
    /// Names declared with `with_codes`: they replace the catalogs' declarations.
    declared: HashSet<&'static str>,
    /// Names of other dialects' codes, with the dialect of the first one given.
    foreign: HashMap<&'static str, Dialect>,
    require_known_codes: bool,
    language: Option<Language>,
    request_id: Option<String>,
}

impl Checker {
    /// A checker for `convention` that knows every code of its
    /// [catalogs](Convention::catalogs), allows unknown codes and accepts messages in either
    /// language.
    ///
    /// ```
    /// use tower_cloud_error::conformance::{BceConformance, Checker, Convention};
    ///
    /// let checker = Checker::new(BceConformance);
    /// assert_eq!(checker.dialect(), BceConformance.dialect());
    /// ```
    pub fn new(convention: impl Convention) -> Self {
        let mut known: HashMap<&'static str, Vec<Code>> = HashMap::new();
        let codes = convention.catalogs().iter().flat_map(|table| table.iter());
        for code in codes {
            let declarations = known.entry(code.name()).or_default();
            if !declarations.iter().any(|seen| same_declaration(seen, code)) {
                declarations.push(*code);
            }
        }
        Checker {
            convention: Arc::new(convention),
            known,
            declared: HashSet::new(),
            foreign: HashMap::new(),
            require_known_codes: false,
            language: None,
            request_id: None,
        }
    }

    /// The dialect this checker checks: its convention's.
    ///
    /// ```
    /// use tower_cloud_error::conformance::{Checker, Convention, TencentConformance};
    ///
    /// assert_eq!(Checker::new(TencentConformance).dialect(), TencentConformance.dialect());
    /// ```
    #[must_use]
    pub fn dialect(&self) -> Dialect {
        self.convention.dialect()
    }

    /// The convention this checker checks.
    ///
    /// ```
    /// use tower_cloud_error::conformance::{BceConformance, Checker};
    ///
    /// assert_eq!(Checker::new(BceConformance).convention().name(), "BCE");
    /// ```
    #[must_use]
    pub fn convention(&self) -> &dyn Convention {
        &*self.convention
    }

    /// Declares your own codes. A code of the checker's dialect becomes known: its status (BCE)
    /// and, for an `InternalError.*` code, its canonical message are checked. A name declared
    /// here is checked against these declarations only, not against a catalog table that uses
    /// the same name. A code of another dialect is a foreign code, as with
    /// [`with_foreign_codes`](Checker::with_foreign_codes).
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response, StatusCode};
    /// use tower_cloud_error::conformance::{BceConformance, Checker, Violation};
    /// use tower_cloud_error::{bce, Code};
    ///
    /// const KEYPAIR_NOT_EXIST: Code =
    ///     bce::code("Keypair.KeypairNotExist", 404, "The specified keypair does not exist.");
    ///
    /// let response = Response::builder()
    ///     .status(400)
    ///     .header("content-type", "application/json; charset=utf-8")
    ///     .header("x-bce-request-id", "id-1")
    ///     .body(Bytes::from(
    ///         r#"{"requestId":"id-1","code":"Keypair.KeypairNotExist","message":"No such keypair."}"#,
    ///     ))
    ///     .unwrap();
    ///
    /// let checker = Checker::new(BceConformance).with_codes(&[KEYPAIR_NOT_EXIST]);
    /// assert_eq!(
    ///     checker.check(&Method::GET, &response),
    ///     Err(vec![Violation::StatusMismatch {
    ///         code: "Keypair.KeypairNotExist".into(),
    ///         documented: vec![StatusCode::NOT_FOUND],
    ///         actual: StatusCode::BAD_REQUEST,
    ///     }])
    /// );
    /// ```
    pub fn with_codes(mut self, codes: &[Code]) -> Self {
        let dialect = self.dialect();
        for code in codes {
            if code.dialect() != dialect {
                self.foreign.entry(code.name()).or_insert(code.dialect());
                continue;
            }
            let declarations = if self.declared.insert(code.name()) {
                let declarations = self.known.entry(code.name()).or_default();
                declarations.clear();
                declarations
            } else {
                self.known.entry(code.name()).or_default()
            };
            if !declarations.iter().any(|seen| same_declaration(seen, code)) {
                declarations.push(*code);
            }
        }
        self
    }

    /// Declares codes of other conventions, e.g. the catalogs of the other convention your
    /// service does not speak: an error with one of these names, and with no name of this
    /// checker's dialect, is a [`Violation::CodeOfOtherDialect`]. Codes of this checker's own
    /// dialect are ignored here. None by default.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response};
    /// use tower_cloud_error::conformance::{Checker, Convention, TencentConformance, Violation};
    /// use tower_cloud_error::bce::eip;
    ///
    /// let response = Response::builder()
    ///     .header("content-type", "application/json")
    ///     .header("x-tc-requestid", "id-1")
    ///     .body(Bytes::from(
    ///         r#"{"Response":{"Error":{"Code":"EipNotFound","Message":"?"},"RequestId":"id-1"}}"#,
    ///     ))
    ///     .unwrap();
    /// assert_eq!(Checker::new(TencentConformance).check(&Method::POST, &response), Ok(()));
    /// assert_eq!(
    ///     Checker::new(TencentConformance).with_foreign_codes(eip::ALL).check(&Method::POST, &response),
    ///     Err(vec![Violation::CodeOfOtherDialect {
    ///         code: "EipNotFound".into(),
    ///         dialect: eip::EIP_NOT_FOUND.dialect(),
    ///     }])
    /// );
    /// ```
    pub fn with_foreign_codes(mut self, codes: &[Code]) -> Self {
        let dialect = self.dialect();
        for code in codes.iter().filter(|code| code.dialect() != dialect) {
            self.foreign.entry(code.name()).or_insert(code.dialect());
        }
        self
    }

    /// Declares every code of `other`'s [catalogs](Convention::catalogs) foreign, as with
    /// [`with_foreign_codes`](Checker::with_foreign_codes).
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response};
    /// use tower_cloud_error::conformance::{BceConformance, Checker, TencentConformance, Violation};
    ///
    /// let response = Response::builder()
    ///     .status(404)
    ///     .header("content-type", "application/json; charset=utf-8")
    ///     .header("x-bce-request-id", "id-1")
    ///     .body(Bytes::from(r#"{"requestId":"id-1","code":"ResourceNotFound.ErrNoRepo","message":"?"}"#))
    ///     .unwrap();
    /// let checker = Checker::new(BceConformance).with_foreign_convention(&TencentConformance);
    /// assert!(matches!(
    ///     &checker.check(&Method::GET, &response).unwrap_err()[..],
    ///     [Violation::CodeOfOtherDialect { .. }]
    /// ));
    /// ```
    pub fn with_foreign_convention(self, other: &dyn Convention) -> Self {
        other
            .catalogs()
            .iter()
            .fold(self, |checker, table| checker.with_foreign_codes(table))
    }

    /// Whether a code that is neither in the dialect's catalogs nor declared with
    /// [`with_codes`](Checker::with_codes) is a violation ([`Violation::UnknownCode`]). Off by
    /// default.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response};
    /// use tower_cloud_error::conformance::{Checker, TencentConformance, Violation};
    ///
    /// let response = Response::builder()
    ///     .header("content-type", "application/json")
    ///     .header("x-tc-requestid", "id-1")
    ///     .body(Bytes::from(
    ///         r#"{"Response":{"Error":{"Code":"ResourceNotFound.Made","Message":"?"},"RequestId":"id-1"}}"#,
    ///     ))
    ///     .unwrap();
    /// assert_eq!(Checker::new(TencentConformance).check(&Method::POST, &response), Ok(()));
    /// assert_eq!(
    ///     Checker::new(TencentConformance).require_known_codes(true).check(&Method::POST, &response),
    ///     Err(vec![Violation::UnknownCode { code: "ResourceNotFound.Made".into() }])
    /// );
    /// ```
    pub fn require_known_codes(mut self, require: bool) -> Self {
        self.require_known_codes = require;
        self
    }

    /// The language Tencent messages must be in, e.g. the request's `X-TC-Language`: internal
    /// errors must carry the canonical message of that language, and a known code must not
    /// carry its default message of the other language. Without it, either language is
    /// accepted. It applies only to conventions whose
    /// [messages follow the language](Convention::messages_follow_language): BCE messages are
    /// English only.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response};
    /// use tower_cloud_error::conformance::{Checker, TencentConformance, Violation};
    /// use tower_cloud_error::Language;
    ///
    /// let response = Response::builder()
    ///     .header("content-type", "application/json")
    ///     .header("x-tc-requestid", "id-1")
    ///     .body(Bytes::from(
    ///         r#"{"Response":{"Error":{"Code":"InvalidAction","Message":"接口不存在。"},"RequestId":"id-1"}}"#,
    ///     ))
    ///     .unwrap();
    /// assert_eq!(Checker::new(TencentConformance).expect_language(Language::ZhCn).check(&Method::POST, &response), Ok(()));
    /// assert_eq!(
    ///     Checker::new(TencentConformance).expect_language(Language::EnUs).check(&Method::POST, &response),
    ///     Err(vec![Violation::MessageNotInExpectedLanguage {
    ///         code: "InvalidAction".into(),
    ///         expected: Language::EnUs,
    ///     }])
    /// );
    /// ```
    pub fn expect_language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// The request id the response must carry, e.g. the one your client sent when the layer
    /// [trusts incoming ids](crate::CloudErrorLayer::trust_incoming_request_id), or the one
    /// your handler saw in the request extensions.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response};
    /// use tower_cloud_error::conformance::{BceConformance, Checker, Violation};
    ///
    /// let response = Response::builder()
    ///     .header("x-bce-request-id", "id-2")
    ///     .body(Bytes::new())
    ///     .unwrap();
    /// assert_eq!(
    ///     Checker::new(BceConformance).expect_request_id("id-1").check(&Method::GET, &response),
    ///     Err(vec![Violation::UnexpectedRequestId { expected: "id-1".into(), actual: "id-2".into() }])
    /// );
    /// ```
    pub fn expect_request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    /// Checks `response`, the answer to a `request_method` request, and returns every
    /// violation found, in a stable order: the status, the headers, then the body from the
    /// outside in.
    ///
    /// The body is read as a whole: collect a streamed body first (see the
    /// [module docs](self)).
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response};
    /// use tower_cloud_error::conformance::{BceConformance, Checker, Violation};
    ///
    /// let response = Response::builder()
    ///     .status(500)
    ///     .header("content-type", "application/json; charset=utf-8")
    ///     .header("x-bce-request-id", "id-1")
    ///     .body(Bytes::from(r#"{"requestId":"id-1","code":"InternalError","message":"db down"}"#))
    ///     .unwrap();
    /// let violations = Checker::new(BceConformance).check(&Method::GET, &response).unwrap_err();
    /// assert!(matches!(
    ///     &violations[..],
    ///     [Violation::InternalErrorMessageNotCanonical { actual, .. }] if actual == "db down"
    /// ));
    ///
    /// // The same answer to HEAD must have no body at all.
    /// let violations = Checker::new(BceConformance).check(&Method::HEAD, &response).unwrap_err();
    /// assert_eq!(violations, [Violation::BodyOnHeadResponse { len: 63 }]);
    /// ```
    pub fn check<B: AsRef<[u8]>>(
        &self,
        request_method: &Method,
        response: &Response<B>,
    ) -> Result<(), Vec<Violation>> {
        self.check_head_and_body(
            request_method,
            response.status(),
            response.headers(),
            response.body().as_ref(),
        )
    }

    /// Like [`check`](Checker::check), for a response already split into its head and
    /// collected body.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response};
    /// use tower_cloud_error::conformance::{Checker, TencentConformance, Violation};
    ///
    /// let (parts, ()) = Response::builder()
    ///     .header("x-tc-requestid", "id-1")
    ///     .body(())
    ///     .unwrap()
    ///     .into_parts();
    /// assert_eq!(
    ///     Checker::new(TencentConformance).check_parts(&Method::POST, &parts, br#"{"Response":{"RequestId":"id-9"}}"#),
    ///     Err(vec![Violation::RequestIdMismatch { header: "id-1".into(), body: "id-9".into() }])
    /// );
    /// ```
    pub fn check_parts(
        &self,
        request_method: &Method,
        parts: &response::Parts,
        body: &[u8],
    ) -> Result<(), Vec<Violation>> {
        self.check_head_and_body(request_method, parts.status, &parts.headers, body)
    }

    /// Panics with a readable list of every violation if `response` does not conform: the
    /// assertion for your tests.
    ///
    /// # Panics
    ///
    /// When [`check`](Checker::check) finds a violation.
    ///
    /// ```should_panic
    /// use bytes::Bytes;
    /// use http::{Method, Response};
    /// use tower_cloud_error::conformance::{BceConformance, Checker};
    ///
    /// let bare = Response::builder().status(404).body(Bytes::from("not found")).unwrap();
    /// Checker::new(BceConformance).assert_conforms(&Method::GET, &bare); // no id header, no content-type, no JSON
    /// ```
    #[track_caller]
    pub fn assert_conforms<B: AsRef<[u8]>>(&self, request_method: &Method, response: &Response<B>) {
        let Err(violations) = self.check(request_method, response) else {
            return;
        };
        let mut text = format!(
            "the {} response to {request_method} breaks the {} convention in {} way(s):\n",
            response.status(),
            self.convention.name(),
            violations.len()
        );
        for violation in &violations {
            text.push_str("  - ");
            text.push_str(&violation.to_string());
            text.push('\n');
        }
        let body = String::from_utf8_lossy(response.body().as_ref());
        let shown: String = body.chars().take(1024).collect();
        text.push_str(&format!(
            "headers: {:?}\nbody: {shown:?}",
            response.headers()
        ));
        if shown.len() < body.len() {
            text.push_str(&format!(" (cut, {} bytes)", body.len()));
        }
        panic!("{text}");
    }

    fn check_head_and_body(
        &self,
        method: &Method,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), Vec<Violation>> {
        let mut inspection = Inspection::new(self, method, status, headers, body);
        self.convention.check_status(&mut inspection);
        inspection.check_shared_rules();
        self.convention.check_envelope(&mut inspection);
        let violations = inspection.into_violations();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }

    /// The header's expected request id, if one was given.
    fn expected_request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The rules for an error's code and message: see [`Inspection::check_code`].
    fn check_code(
        &self,
        code: &str,
        status: Option<StatusCode>,
        message: Option<&str>,
        out: &mut Vec<Violation>,
    ) {
        if !self.convention.is_valid_code_name(code) {
            out.push(Violation::InvalidCodeName {
                code: code.to_owned(),
                dialect: self.dialect(),
                syntax: self.convention.code_name_syntax(),
            });
        }
        let declarations = self.known.get(code).map_or(&[][..], Vec::as_slice);
        if declarations.is_empty() {
            if let Some(&dialect) = self.foreign.get(code) {
                out.push(Violation::CodeOfOtherDialect {
                    code: code.to_owned(),
                    dialect,
                });
            } else if self.require_known_codes {
                out.push(Violation::UnknownCode {
                    code: code.to_owned(),
                });
            }
        }

        if let Some(actual) = status {
            if !declarations.is_empty() && !declarations.iter().any(|d| d.status() == actual) {
                let mut documented: Vec<StatusCode> =
                    declarations.iter().map(Code::status).collect();
                documented.dedup();
                out.push(Violation::StatusMismatch {
                    code: code.to_owned(),
                    documented,
                    actual,
                });
            }
        }

        let Some(message) = message else {
            return;
        };
        let bilingual = self.convention.messages_follow_language();
        let language = self.language.filter(|_| bilingual);
        let is_internal = code.split('.').next() == Some("InternalError");
        if is_internal && !declarations.is_empty() {
            let mut expected: Vec<&'static str> = Vec::new();
            for declaration in declarations {
                let messages = match (bilingual, language) {
                    (false, _) => [Some(declaration.message()), None],
                    (true, None) => [Some(declaration.message_zh()), Some(declaration.message())],
                    (true, Some(language)) => [Some(message_in(declaration, language)), None],
                };
                for candidate in messages.into_iter().flatten() {
                    if !expected.contains(&candidate) {
                        expected.push(candidate);
                    }
                }
            }
            if !expected.contains(&message) {
                out.push(Violation::InternalErrorMessageNotCanonical {
                    code: code.to_owned(),
                    actual: message.to_owned(),
                    expected,
                });
            }
        } else if let Some(language) = language {
            let in_expected = declarations
                .iter()
                .any(|d| message_in(d, language) == message);
            let in_other = declarations
                .iter()
                .any(|d| message_in(d, other_language(language)) == message);
            if in_other && !in_expected {
                out.push(Violation::MessageNotInExpectedLanguage {
                    code: code.to_owned(),
                    expected: language,
                });
            }
        }
        self.check_message_length(message, out);
    }

    /// The rule for every message: at most [`CloudError::MAX_MESSAGE_LEN`] bytes.
    fn check_message_length(&self, message: &str, out: &mut Vec<Violation>) {
        if message.len() > CloudError::MAX_MESSAGE_LEN {
            out.push(Violation::MessageTooLong {
                len: message.len(),
                max: CloudError::MAX_MESSAGE_LEN,
            });
        }
    }
}

fn same_declaration(a: &Code, b: &Code) -> bool {
    a == b
        && a.status() == b.status()
        && a.message() == b.message()
        && a.message_zh() == b.message_zh()
}

fn message_in(code: &Code, language: Language) -> &'static str {
    match language {
        Language::ZhCn => code.message_zh(),
        Language::EnUs => code.message(),
    }
}

fn other_language(language: Language) -> Language {
    match language {
        Language::ZhCn => Language::EnUs,
        Language::EnUs => Language::ZhCn,
    }
}
