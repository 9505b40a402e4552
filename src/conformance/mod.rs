//! Conformance kit: checks that a response follows the BCE or Tencent Cloud API 3.0 convention,
//! and reports every [`Violation`].
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
//! use tower_cloud_error::conformance::Checker;
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
//! Checker::bce().require_known_codes(true).assert_conforms(&Method::GET, &response);
//! # }
//! ```
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
//! | ... and is a valid id ([`is_valid_request_id`]) | [`InvalidRequestId`](Violation::InvalidRequestId) | the crate's rule for ids: 1 to 128 bytes of `A-Z a-z 0-9 - _ . :` \[choice\] |
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
//! | the code is not only a code of the other convention (in its catalogs, or given to [`Checker::with_codes`] with the other dialect) | [`CodeOfOtherDialect`](Violation::CodeOfOtherDialect) | a code renders only in its own dialect \[choice\] |
//! | with [`Checker::require_known_codes`], the code is in the dialect's catalogs or given to [`Checker::with_codes`] | [`UnknownCode`](Violation::UnknownCode) | the code tables \[doc\] |
//! | the message has at most [`CloudError::MAX_MESSAGE_LEN`](crate::CloudError::MAX_MESSAGE_LEN) bytes | [`MessageTooLong`](Violation::MessageTooLong) | messages are bounded \[choice\] |
//!
//! # Which codes are known
//!
//! A checker knows every code of the dialect's [catalogs](crate::rules#catalogs). Your own codes are
//! declared with [`Checker::with_codes`]: a name declared there is checked against your
//! declarations only (its status, its canonical message if it is an `InternalError.*` code), not
//! against a catalog table that uses the same name for another service.
//!
//! # Limits
//!
//! Messages are free text: apart from internal errors and the language of default messages, the
//! checker cannot tell a good message from a bad one (in particular it cannot see internals
//! leaking through a custom message). JSON nested more than 128 levels deep counts as not JSON.

mod bce;
mod json;
mod tencent;
mod violation;

use std::collections::{HashMap, HashSet};

use http::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use http::{response, HeaderMap, HeaderName, Method, Response, StatusCode};

use self::json::Node;
pub use self::violation::Violation;
use crate::catalog;
use crate::code::{is_bce_name, is_tencent_name, Code, Dialect};
use crate::error::MAX_MESSAGE_LEN;
use crate::language::Language;
use crate::request_ids::is_valid_request_id;
use crate::style::{BCE_REQUEST_ID, TENCENT_REQUEST_ID};

/// Checks `response`, the answer to a `request_method` request, against `dialect`'s convention
/// with the default options (every catalog code known, unknown codes allowed, either language).
///
/// Returns every [`Violation`] found. See the [module docs](self) for the rules, and [`Checker`]
/// for the options.
///
/// ```
/// use bytes::Bytes;
/// use http::{Method, Response};
/// use tower_cloud_error::conformance::{check, Violation};
/// use tower_cloud_error::Dialect;
///
/// let response = Response::builder()
///     .status(404)
///     .header("content-type", "application/json; charset=utf-8")
///     .header("x-bce-request-id", "ae2225f7-1c2e-427a-a1ad-5413b762957d")
///     .body(Bytes::from_static(
///         br#"{"requestId":"ae2225f7-1c2e-427a-a1ad-5413b762957d","code":"EipNotFound","message":"The specified eip does not exist."}"#,
///     ))
///     .unwrap();
/// assert_eq!(check(tower_cloud_error::bce::DIALECT, &Method::GET, &response), Ok(()));
///
/// // The same envelope with a charset is no Tencent error, and not HTTP 200 either.
/// let violations = check(tower_cloud_error::tencent::DIALECT, &Method::GET, &response).unwrap_err();
/// assert!(violations.contains(&Violation::TencentStatusNot200 { status: http::StatusCode::NOT_FOUND }));
/// assert!(violations.contains(&Violation::MissingRequestIdHeader { header: "x-tc-requestid" }));
/// ```
pub fn check<B: AsRef<[u8]>>(
    dialect: Dialect,
    request_method: &Method,
    response: &Response<B>,
) -> Result<(), Vec<Violation>> {
    Checker::new(dialect).check(request_method, response)
}

/// A configured conformance check for one dialect. See the [module docs](self) for the rules.
///
/// ```
/// use bytes::Bytes;
/// use http::{Method, Response};
/// use tower_cloud_error::conformance::{Checker, Violation};
/// use tower_cloud_error::{tencent, tencent::tcr, Code, Language};
///
/// const ERR_NO_CHART: Code = tencent::code(
///     "ResourceNotFound.ErrNoChart",
///     "Chart 不存在。",
///     "The chart does not exist.",
/// );
///
/// let checker = Checker::tencent()
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
    dialect: Dialect,
    /// Every declaration of each known name of this dialect.
    known: HashMap<&'static str, Vec<Code>>,
    /// Names declared with `with_codes`: they replace the catalogs' declarations.
    declared: HashSet<&'static str>,
    /// Names of the other dialect's codes.
    foreign: HashSet<&'static str>,
    require_known_codes: bool,
    language: Option<Language>,
    request_id: Option<String>,
}

/// Every catalog code of `dialect`.
fn catalog_codes(dialect: Dialect) -> impl Iterator<Item = &'static Code> {
    let tables: &[&'static [Code]] = if dialect == crate::bce::DIALECT {
        &[
            catalog::bce::common::ALL,
            catalog::bce::dev_machine::ALL,
            catalog::bce::eip::ALL,
            catalog::bce::eip_group::ALL,
            catalog::bce::bandwidth_package::ALL,
        ]
    } else {
        &[catalog::tencent::common::ALL, catalog::tencent::tcr::ALL]
    };
    tables.iter().flat_map(|table| table.iter())
}

fn other(dialect: Dialect) -> Dialect {
    if dialect == crate::bce::DIALECT {
        crate::tencent::DIALECT
    } else {
        crate::bce::DIALECT
    }
}

impl Checker {
    /// A checker for `dialect` that knows every code of its [catalogs](crate::rules#catalogs), allows
    /// unknown codes and accepts messages in either language.
    ///
    /// ```
    /// use tower_cloud_error::{conformance::Checker, Dialect};
    ///
    /// let checker = Checker::new(tower_cloud_error::bce::DIALECT);
    /// # let _ = checker;
    /// ```
    pub fn new(dialect: Dialect) -> Self {
        let mut known: HashMap<&'static str, Vec<Code>> = HashMap::new();
        for code in catalog_codes(dialect) {
            let declarations = known.entry(code.name()).or_default();
            if !declarations.iter().any(|seen| same_declaration(seen, code)) {
                declarations.push(*code);
            }
        }
        Checker {
            dialect,
            known,
            declared: HashSet::new(),
            foreign: catalog_codes(other(dialect)).map(Code::name).collect(),
            require_known_codes: false,
            language: None,
            request_id: None,
        }
    }

    /// A checker for the BCE convention: `Checker::new(tower_cloud_error::bce::DIALECT)`.
    ///
    /// ```
    /// use tower_cloud_error::{conformance::Checker, Dialect};
    ///
    /// assert_eq!(Checker::bce().dialect(), tower_cloud_error::bce::DIALECT);
    /// ```
    pub fn bce() -> Self {
        Checker::new(crate::bce::DIALECT)
    }

    /// A checker for the Tencent Cloud API 3.0 convention: `Checker::new(tower_cloud_error::tencent::DIALECT)`.
    ///
    /// ```
    /// use tower_cloud_error::{conformance::Checker, Dialect};
    ///
    /// assert_eq!(Checker::tencent().dialect(), tower_cloud_error::tencent::DIALECT);
    /// ```
    pub fn tencent() -> Self {
        Checker::new(crate::tencent::DIALECT)
    }

    /// The dialect this checker checks.
    #[must_use]
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Declares your own codes. A code of the checker's dialect becomes known: its status (BCE)
    /// and, for an `InternalError.*` code, its canonical message are checked. A name declared
    /// here is checked against these declarations only, not against a catalog table that uses
    /// the same name. A code of the other dialect marks its name as foreign
    /// ([`Violation::CodeOfOtherDialect`]) unless this dialect knows it too.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response, StatusCode};
    /// use tower_cloud_error::conformance::{Checker, Violation};
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
    /// let checker = Checker::bce().with_codes(&[KEYPAIR_NOT_EXIST]);
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
        for code in codes {
            if code.dialect() != self.dialect {
                self.foreign.insert(code.name());
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

    /// Whether a code that is neither in the dialect's catalogs nor declared with
    /// [`with_codes`](Checker::with_codes) is a violation ([`Violation::UnknownCode`]). Off by
    /// default.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response};
    /// use tower_cloud_error::conformance::{Checker, Violation};
    ///
    /// let response = Response::builder()
    ///     .header("content-type", "application/json")
    ///     .header("x-tc-requestid", "id-1")
    ///     .body(Bytes::from(
    ///         r#"{"Response":{"Error":{"Code":"ResourceNotFound.Made","Message":"?"},"RequestId":"id-1"}}"#,
    ///     ))
    ///     .unwrap();
    /// assert_eq!(Checker::tencent().check(&Method::POST, &response), Ok(()));
    /// assert_eq!(
    ///     Checker::tencent().require_known_codes(true).check(&Method::POST, &response),
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
    /// accepted. BCE messages are English only: this option does not apply to them.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response};
    /// use tower_cloud_error::conformance::{Checker, Violation};
    /// use tower_cloud_error::Language;
    ///
    /// let response = Response::builder()
    ///     .header("content-type", "application/json")
    ///     .header("x-tc-requestid", "id-1")
    ///     .body(Bytes::from(
    ///         r#"{"Response":{"Error":{"Code":"InvalidAction","Message":"接口不存在。"},"RequestId":"id-1"}}"#,
    ///     ))
    ///     .unwrap();
    /// assert_eq!(Checker::tencent().expect_language(Language::ZhCn).check(&Method::POST, &response), Ok(()));
    /// assert_eq!(
    ///     Checker::tencent().expect_language(Language::EnUs).check(&Method::POST, &response),
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
    /// use tower_cloud_error::conformance::{Checker, Violation};
    ///
    /// let response = Response::builder()
    ///     .header("x-bce-request-id", "id-2")
    ///     .body(Bytes::new())
    ///     .unwrap();
    /// assert_eq!(
    ///     Checker::bce().expect_request_id("id-1").check(&Method::GET, &response),
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
    /// [module docs](crate::tencent#json-bodies)).
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response};
    /// use tower_cloud_error::conformance::{Checker, Violation};
    ///
    /// let response = Response::builder()
    ///     .status(500)
    ///     .header("content-type", "application/json; charset=utf-8")
    ///     .header("x-bce-request-id", "id-1")
    ///     .body(Bytes::from(r#"{"requestId":"id-1","code":"InternalError","message":"db down"}"#))
    ///     .unwrap();
    /// let violations = Checker::bce().check(&Method::GET, &response).unwrap_err();
    /// assert!(matches!(
    ///     &violations[..],
    ///     [Violation::InternalErrorMessageNotCanonical { actual, .. }] if actual == "db down"
    /// ));
    ///
    /// // The same answer to HEAD must have no body at all.
    /// let violations = Checker::bce().check(&Method::HEAD, &response).unwrap_err();
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
    /// use tower_cloud_error::conformance::{Checker, Violation};
    ///
    /// let (parts, ()) = Response::builder()
    ///     .header("x-tc-requestid", "id-1")
    ///     .body(())
    ///     .unwrap()
    ///     .into_parts();
    /// assert_eq!(
    ///     Checker::tencent().check_parts(&Method::POST, &parts, br#"{"Response":{"RequestId":"id-9"}}"#),
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
    /// use tower_cloud_error::conformance::Checker;
    ///
    /// let bare = Response::builder().status(404).body(Bytes::from("not found")).unwrap();
    /// Checker::bce().assert_conforms(&Method::GET, &bare); // no id header, no content-type, no JSON
    /// ```
    #[track_caller]
    pub fn assert_conforms<B: AsRef<[u8]>>(&self, request_method: &Method, response: &Response<B>) {
        let Err(violations) = self.check(request_method, response) else {
            return;
        };
        let mut text = format!(
            "the {} response to {request_method} breaks the {} convention in {} way(s):\n",
            response.status(),
            dialect_name(self.dialect),
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
        let answer = Answer {
            is_head: method == Method::HEAD,
            status,
            headers,
            body,
            request_id: None,
        };
        let mut out = Vec::new();
        if self.dialect == crate::tencent::DIALECT && status != StatusCode::OK {
            out.push(Violation::TencentStatusNot200 { status });
        }
        let answer = self.check_common(answer, &mut out);
        if self.dialect == crate::bce::DIALECT {
            bce::check(self, &answer, &mut out)
        } else {
            tencent::check(self, &answer, &mut out)
        }
        if out.is_empty() {
            Ok(())
        } else {
            Err(out)
        }
    }

    /// The rules for every response: the request-id header and `content-length`. Returns the
    /// answer with its request id, if any.
    fn check_common<'a>(&self, mut answer: Answer<'a>, out: &mut Vec<Violation>) -> Answer<'a> {
        let header = self.request_id_header();
        let mut ids = answer.headers.get_all(header).iter();
        match ids.next() {
            None => out.push(Violation::MissingRequestIdHeader {
                header: header.as_str(),
            }),
            Some(id) => {
                let count = 1 + ids.count();
                if count > 1 {
                    out.push(Violation::RepeatedHeader {
                        header: header.as_str(),
                        count,
                    });
                }
                let text = String::from_utf8_lossy(id.as_bytes()).into_owned();
                if !is_valid_request_id(id.as_bytes()) {
                    out.push(Violation::InvalidRequestId { id: text.clone() });
                }
                if let Some(expected) = &self.request_id {
                    if expected.as_bytes() != id.as_bytes() {
                        out.push(Violation::UnexpectedRequestId {
                            expected: expected.clone(),
                            actual: text.clone(),
                        });
                    }
                }
                answer.request_id = Some(text);
            }
        }

        if let Some(length) = single(answer.headers, &CONTENT_LENGTH, out) {
            let exempt = answer.is_head || answer.status == StatusCode::NOT_MODIFIED;
            let matches = length
                .to_str()
                .ok()
                .and_then(|text| text.parse::<usize>().ok())
                == Some(answer.body.len());
            if !exempt && !matches {
                out.push(Violation::ContentLengthMismatch {
                    header: String::from_utf8_lossy(length.as_bytes()).into_owned(),
                    body_len: answer.body.len(),
                });
            }
        }
        answer
    }

    fn request_id_header(&self) -> &'static HeaderName {
        static BCE: HeaderName = BCE_REQUEST_ID;
        static TENCENT: HeaderName = TENCENT_REQUEST_ID;
        match self.dialect {
            crate::bce::DIALECT => &BCE,
            _ => &TENCENT,
        }
    }

    /// The rules for an error's code and message. `status` is the response's, for BCE's
    /// documented statuses; `message` is `None` when the body has no string message.
    fn check_code(
        &self,
        code: &str,
        status: Option<StatusCode>,
        message: Option<&str>,
        out: &mut Vec<Violation>,
    ) {
        let valid = if self.dialect == crate::bce::DIALECT {
            is_bce_name(code)
        } else {
            is_tencent_name(code)
        };
        if !valid {
            out.push(Violation::InvalidCodeName {
                code: code.to_owned(),
                dialect: self.dialect,
            });
        }
        let declarations = self.known.get(code).map_or(&[][..], Vec::as_slice);
        if declarations.is_empty() {
            if self.foreign.contains(code) {
                out.push(Violation::CodeOfOtherDialect {
                    code: code.to_owned(),
                    dialect: other(self.dialect),
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
        let language = match self.dialect {
            crate::bce::DIALECT => None,
            _ => self.language,
        };
        let is_internal = code.split('.').next() == Some("InternalError");
        if is_internal && !declarations.is_empty() {
            let mut expected: Vec<&'static str> = Vec::new();
            for declaration in declarations {
                let messages = match (self.dialect, language) {
                    (crate::bce::DIALECT, _) => [Some(declaration.message()), None],
                    (_, None) => [Some(declaration.message_zh()), Some(declaration.message())],
                    (_, Some(language)) => [Some(message_in(declaration, language)), None],
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

    /// The rule for every message: at most [`CloudError::MAX_MESSAGE_LEN`](crate::CloudError::MAX_MESSAGE_LEN) bytes.
    fn check_message_length(&self, message: &str, out: &mut Vec<Violation>) {
        if message.len() > MAX_MESSAGE_LEN {
            out.push(Violation::MessageTooLong {
                len: message.len(),
                max: MAX_MESSAGE_LEN,
            });
        }
    }
}

/// What the dialect rules look at.
struct Answer<'a> {
    is_head: bool,
    status: StatusCode,
    headers: &'a HeaderMap,
    body: &'a [u8],
    /// The request-id header's first value (lossy UTF-8), if any.
    request_id: Option<String>,
}

impl Answer<'_> {
    /// The rule for a request id in the body: the same as the header's.
    fn check_body_request_id(&self, body_id: &str, out: &mut Vec<Violation>) {
        if let Some(header) = &self.request_id {
            if header != body_id {
                out.push(Violation::RequestIdMismatch {
                    header: header.clone(),
                    body: body_id.to_owned(),
                });
            }
        }
    }

    /// The rule for an error's `content-type`: exactly `expected`, once.
    fn check_content_type(&self, expected: &'static str, out: &mut Vec<Violation>) {
        match single(self.headers, &CONTENT_TYPE, out) {
            Some(value) if value.as_bytes() == expected.as_bytes() => {}
            value => out.push(Violation::ContentType {
                expected,
                actual: value.map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            }),
        }
    }

    /// The rule for an error's `content-encoding`: none, or `identity`.
    fn check_content_encoding(&self, out: &mut Vec<Violation>) {
        let encoded = self
            .headers
            .get_all(CONTENT_ENCODING)
            .iter()
            .find(|value| !value.as_bytes().eq_ignore_ascii_case(b"identity"));
        if let Some(encoding) = encoded {
            out.push(Violation::ContentEncoding {
                encoding: String::from_utf8_lossy(encoding.as_bytes()).into_owned(),
            });
        }
    }

    /// The rules for an error body: none for `HEAD`; otherwise a JSON object, whose members
    /// are returned for the envelope rules.
    fn error_object<'n>(
        &self,
        parsed: &'n Result<Node, serde_json::Error>,
        out: &mut Vec<Violation>,
    ) -> Option<&'n [(String, Node)]> {
        if self.is_head {
            if !self.body.is_empty() {
                out.push(Violation::BodyOnHeadResponse {
                    len: self.body.len(),
                });
            }
            return None;
        }
        if self.body.is_empty() {
            out.push(Violation::EmptyErrorBody);
            return None;
        }
        match parsed {
            Err(error) => {
                out.push(Violation::BodyNotJson {
                    error: error.to_string(),
                });
                None
            }
            Ok(node) => {
                let members = node.as_object();
                if members.is_none() {
                    out.push(Violation::BodyNotObject {
                        actual: node.type_name(),
                    });
                }
                members
            }
        }
    }
}

/// The first value of a header that must appear at most once, reporting repeats.
fn single<'a>(
    headers: &'a HeaderMap,
    name: &'static HeaderName,
    out: &mut Vec<Violation>,
) -> Option<&'a http::HeaderValue> {
    let mut values = headers.get_all(name).iter();
    let first = values.next()?;
    let more = values.count();
    if more > 0 {
        out.push(Violation::RepeatedHeader {
            header: name.as_str(),
            count: 1 + more,
        });
    }
    Some(first)
}

/// Looks up `keys` (name and path) among `members`, last occurrence winning, and reports
/// missing keys, duplicates of the looked-up keys and, when `exact`, every other key and its
/// duplicates.
fn fields<'a, const N: usize>(
    members: &'a [(String, Node)],
    parent: &str,
    keys: [(&'static str, &'static str); N],
    exact: bool,
    out: &mut Vec<Violation>,
) -> [Option<&'a Node>; N] {
    let mut found = [None; N];
    let mut seen: HashSet<&str> = HashSet::new();
    let mut repeated: HashSet<&str> = HashSet::new();
    for (key, value) in members {
        let slot = keys.iter().position(|(name, _)| name == key);
        if !exact && slot.is_none() {
            continue;
        }
        let path = || match slot {
            Some(slot) => keys[slot].1.to_owned(),
            None if parent.is_empty() => key.clone(),
            None => format!("{parent}.{key}"),
        };
        if !seen.insert(key) {
            if repeated.insert(key) {
                out.push(Violation::DuplicateKey { key: path() });
            }
        } else if slot.is_none() {
            out.push(Violation::ExtraKey { key: path() });
        }
        if let Some(slot) = slot {
            found[slot] = Some(value);
        }
    }
    for (slot, (_, path)) in keys.iter().enumerate() {
        if found[slot].is_none() {
            out.push(Violation::MissingKey { key: path });
        }
    }
    found
}

/// `node` as an object, or a [`Violation::WrongKeyType`] for `key`.
fn object<'a>(
    node: &'a Node,
    key: &'static str,
    out: &mut Vec<Violation>,
) -> Option<&'a [(String, Node)]> {
    let members = node.as_object();
    if members.is_none() {
        out.push(Violation::WrongKeyType {
            key,
            expected: "object",
            actual: node.type_name(),
        });
    }
    members
}

/// `node` as a string, or a [`Violation::WrongKeyType`] for `key`.
fn string<'a>(node: &'a Node, key: &'static str, out: &mut Vec<Violation>) -> Option<&'a str> {
    let text = node.as_str();
    if text.is_none() {
        out.push(Violation::WrongKeyType {
            key,
            expected: "string",
            actual: node.type_name(),
        });
    }
    text
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

fn dialect_name(dialect: Dialect) -> &'static str {
    if dialect == crate::bce::DIALECT {
        "BCE"
    } else {
        "Tencent"
    }
}
