//! [`Convention`]: what a [`Checker`](super::Checker) knows about one API convention.

use std::fmt;
use std::panic::RefUnwindSafe;

use http::HeaderName;

use super::inspection::Inspection;
use crate::code::{Code, Dialect};

/// The conformance rules of one API convention: its dialect, its request-id header, the codes
/// it documents and the rules for its envelope.
///
/// A [`Checker`](super::Checker) applies the rules every convention shares (the request-id
/// header, `content-length`, the rules for codes and messages) and asks the convention for the
/// rest. The crate ships the BCE and Tencent Cloud API 3.0 rules; a third convention is a new
/// type implementing this trait, and the checker does not change:
///
/// ```
/// use bytes::Bytes;
/// use http::{HeaderName, Method, Response};
/// use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
/// use tower_cloud_error::Dialect;
///
/// /// Acme's errors: `text/plain` bodies of the form `CODE: message`.
/// #[derive(Debug)]
/// struct AcmeConformance;
///
/// static ACME_REQUEST_ID: HeaderName = HeaderName::from_static("x-acme-request-id");
///
/// impl Convention for AcmeConformance {
///     fn dialect(&self) -> Dialect { Dialect::new("acme") }
///     fn name(&self) -> &'static str { "Acme" }
///     fn request_id_header(&self) -> &'static HeaderName { &ACME_REQUEST_ID }
///     fn is_valid_code_name(&self, code: &str) -> bool {
///         !code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
///     }
///     fn code_name_syntax(&self) -> &'static str { "an Acme code name: `[A-Z_]+`" }
///     fn check_envelope(&self, inspection: &mut Inspection<'_>) {
///         if inspection.status().is_success() {
///             return;
///         }
///         inspection.check_content_type("text/plain");
///         let body = String::from_utf8_lossy(inspection.body()).into_owned();
///         match body.split_once(": ") {
///             Some((code, message)) => {
///                 let status = inspection.status();
///                 inspection.check_code(code, Some(status), Some(message));
///             }
///             None => inspection.report(Violation::Custom {
///                 rule: "acme-error-body",
///                 detail: format!("the error body is {body:?}, expected `CODE: message`"),
///             }),
///         }
///     }
/// }
///
/// let response = Response::builder()
///     .status(429)
///     .header("content-type", "text/plain")
///     .header("x-acme-request-id", "id-1")
///     .body(Bytes::from("SLOW_DOWN: Too many requests."))
///     .unwrap();
/// assert_eq!(Checker::new(AcmeConformance).check(&Method::GET, &response), Ok(()));
/// ```
// `RefUnwindSafe` keeps `Checker` usable inside `catch_unwind`, as tests often need.
pub trait Convention: fmt::Debug + Send + Sync + RefUnwindSafe + 'static {
    /// The dialect of the codes this convention renders.
    ///
    /// ```
    /// use tower_cloud_error::bce;
    /// use tower_cloud_error::conformance::{BceConformance, Convention};
    ///
    /// assert_eq!(BceConformance.dialect(), bce::DIALECT);
    /// ```
    fn dialect(&self) -> Dialect;

    /// The convention's name in messages, e.g. `BCE`.
    ///
    /// ```
    /// use tower_cloud_error::conformance::{Convention, TencentConformance};
    ///
    /// assert_eq!(TencentConformance.name(), "Tencent Cloud API 3.0");
    /// ```
    fn name(&self) -> &'static str;

    /// The header that carries the request id on every response.
    ///
    /// ```
    /// use tower_cloud_error::conformance::{BceConformance, Convention};
    ///
    /// assert_eq!(BceConformance.request_id_header(), "x-bce-request-id");
    /// ```
    fn request_id_header(&self) -> &'static HeaderName;

    /// The code tables the convention documents: every code in them is known to a checker of
    /// this convention. None by default.
    ///
    /// ```
    /// use tower_cloud_error::conformance::{Convention, TencentConformance};
    ///
    /// let known = TencentConformance.catalogs().iter().flat_map(|table| table.iter());
    /// assert!(known.clone().any(|code| code.name() == "ResourceNotFound.ErrNoRepo"));
    /// assert!(known.clone().all(|code| code.dialect() == TencentConformance.dialect()));
    /// ```
    fn catalogs(&self) -> &'static [&'static [Code]] {
        &[]
    }

    /// Whether `code` is a well-formed code name of this convention
    /// ([`Violation::InvalidCodeName`](super::Violation::InvalidCodeName) otherwise).
    ///
    /// ```
    /// use tower_cloud_error::conformance::{BceConformance, Convention};
    ///
    /// assert!(BceConformance.is_valid_code_name("Keypair.KeypairNotExist"));
    /// assert!(!BceConformance.is_valid_code_name("eip_not_found"));
    /// ```
    fn is_valid_code_name(&self, code: &str) -> bool;

    /// What a valid code name looks like, e.g. "a BCE code name: CamelCase segments ...", for
    /// the text of [`Violation::InvalidCodeName`](super::Violation::InvalidCodeName).
    ///
    /// ```
    /// use tower_cloud_error::conformance::{Convention, TencentConformance};
    ///
    /// assert!(TencentConformance.code_name_syntax().contains("1 to 3 segments"));
    /// ```
    fn code_name_syntax(&self) -> &'static str;

    /// Whether messages follow the request's language (Tencent's `X-TC-Language`): only then
    /// does [`Checker::expect_language`](super::Checker::expect_language) apply, and does a
    /// code's Chinese message count as canonical. `false` by default: messages are the codes'
    /// English ones.
    ///
    /// ```
    /// use tower_cloud_error::conformance::{BceConformance, Convention, TencentConformance};
    ///
    /// assert!(TencentConformance.messages_follow_language());
    /// assert!(!BceConformance.messages_follow_language());
    /// ```
    fn messages_follow_language(&self) -> bool {
        false
    }

    /// The convention's rules for the status, checked before any other rule. None by default.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response, StatusCode};
    /// use tower_cloud_error::conformance::{Checker, TencentConformance, Violation};
    ///
    /// // Tencent errors travel with HTTP 200.
    /// let response = Response::builder().status(503).body(Bytes::new()).unwrap();
    /// let violations = Checker::new(TencentConformance).check(&Method::POST, &response).unwrap_err();
    /// assert_eq!(violations[0], Violation::TencentStatusNot200 { status: StatusCode::SERVICE_UNAVAILABLE });
    /// ```
    fn check_status(&self, inspection: &mut Inspection<'_>) {
        let _ = inspection;
    }

    /// The convention's rules for a response's body and the headers that describe it: the
    /// envelope of an error, the shape of a success. The checker has checked the status and the
    /// rules every convention shares already; [`Inspection`] offers those for codes, messages
    /// and the body's request id.
    ///
    /// See the [trait's example](Convention) for a whole convention.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Method, Response};
    /// use tower_cloud_error::conformance::{BceConformance, Checker, Violation};
    ///
    /// let response = Response::builder()
    ///     .status(404)
    ///     .header("x-bce-request-id", "id-1")
    ///     .header("content-type", "application/json; charset=utf-8")
    ///     .body(Bytes::from("{}"))
    ///     .unwrap();
    /// let violations = Checker::new(BceConformance).check(&Method::GET, &response).unwrap_err();
    /// assert_eq!(violations[0], Violation::MissingKey { key: "requestId" });
    /// ```
    fn check_envelope(&self, inspection: &mut Inspection<'_>);
}
