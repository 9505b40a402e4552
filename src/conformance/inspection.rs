//! [`Inspection`]: one response under check, and the rules every convention shares.

use std::collections::HashSet;

use http::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};

use super::json::Node;
use super::{Checker, Violation};
use crate::request_ids::is_valid_request_id;

/// One response under check: what a [`Convention`](super::Convention)'s rules look at, the
/// rules every convention shares, and the violations found so far.
///
/// A [`Checker`] creates it and hands it to the convention's
/// [`check_status`](super::Convention::check_status) and
/// [`check_envelope`](super::Convention::check_envelope); the convention reads the response
/// and reports what it finds:
///
/// ```
/// use bytes::Bytes;
/// use http::{HeaderName, Method, Response, StatusCode};
/// use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
/// use tower_cloud_error::Dialect;
///
/// /// A convention whose errors are all `503`, with no body.
/// #[derive(Debug)]
/// struct OnlyUnavailable;
///
/// static ID: HeaderName = HeaderName::from_static("x-request-id");
///
/// impl Convention for OnlyUnavailable {
///     fn dialect(&self) -> Dialect { Dialect::new("only-unavailable") }
///     fn name(&self) -> &'static str { "Only Unavailable" }
///     fn request_id_header(&self) -> &'static HeaderName { &ID }
///     fn is_valid_code_name(&self, _: &str) -> bool { true }
///     fn code_name_syntax(&self) -> &'static str { "anything" }
///     fn check_envelope(&self, inspection: &mut Inspection<'_>) {
///         let status = inspection.status();
///         if !status.is_success() && status != StatusCode::SERVICE_UNAVAILABLE {
///             inspection.report(Violation::Custom {
///                 rule: "only-503",
///                 detail: format!("status {status}, expected 503 Service Unavailable"),
///             });
///         }
///     }
/// }
///
/// let response = Response::builder()
///     .status(500)
///     .header("x-request-id", "id-1")
///     .body(Bytes::new())
///     .unwrap();
/// let violations = Checker::new(OnlyUnavailable).check(&Method::GET, &response).unwrap_err();
/// assert_eq!(violations.len(), 1);
/// assert!(violations[0].to_string().starts_with("status 500 Internal Server Error, expected 503"));
/// ```
#[derive(Debug)]
pub struct Inspection<'a> {
    checker: &'a Checker,
    is_head: bool,
    is_connect: bool,
    status: StatusCode,
    headers: &'a HeaderMap,
    body: &'a [u8],
    /// The request-id header's first value (lossy UTF-8), if any.
    request_id: Option<String>,
    violations: Vec<Violation>,
}

impl<'a> Inspection<'a> {
    pub(super) fn new(
        checker: &'a Checker,
        method: &Method,
        status: StatusCode,
        headers: &'a HeaderMap,
        body: &'a [u8],
    ) -> Self {
        Inspection {
            checker,
            is_head: method == Method::HEAD,
            is_connect: method == Method::CONNECT,
            status,
            headers,
            body,
            request_id: None,
            violations: Vec::new(),
        }
    }

    pub(super) fn into_violations(self) -> Vec<Violation> {
        self.violations
    }

    /// Whether the response answers a `HEAD` request (and so has no body to check).
    ///
    /// ```
    /// # use bytes::Bytes;
    /// # use http::{HeaderName, Method, Response};
    /// # use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
    /// # #[derive(Debug)]
    /// # struct Acme;
    /// # static ID: HeaderName = HeaderName::from_static("x-acme-request-id");
    /// # impl Convention for Acme {
    /// #     fn dialect(&self) -> tower_cloud_error::Dialect { tower_cloud_error::Dialect::new("acme") }
    /// #     fn name(&self) -> &'static str { "Acme" }
    /// #     fn request_id_header(&self) -> &'static HeaderName { &ID }
    /// #     fn is_valid_code_name(&self, _: &str) -> bool { true }
    /// #     fn code_name_syntax(&self) -> &'static str { "anything" }
    ///       fn check_envelope(&self, inspection: &mut Inspection<'_>) {
    ///           if inspection.is_head() && !inspection.body().is_empty() {
    ///               let len = inspection.body().len();
    ///               inspection.report(Violation::BodyOnHeadResponse { len });
    ///           }
    ///       }
    /// # }
    /// let response = Response::builder().header("x-acme-request-id", "id-1").body("x").unwrap();
    /// let checker = Checker::new(Acme);
    /// assert_eq!(checker.check(&Method::GET, &response), Ok(()));
    /// assert_eq!(checker.check(&Method::HEAD, &response), Err(vec![Violation::BodyOnHeadResponse { len: 1 }]));
    /// ```
    #[must_use]
    pub fn is_head(&self) -> bool {
        self.is_head
    }

    /// Whether the response answers a `CONNECT` request, which a 2xx would turn into a tunnel
    /// (so the layer answers its errors with 405 even in conventions whose errors are 200).
    #[must_use]
    pub fn is_connect(&self) -> bool {
        self.is_connect
    }

    /// The response's status.
    ///
    /// ```
    /// # use bytes::Bytes;
    /// # use http::{HeaderName, Method, Response, StatusCode};
    /// # use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
    /// # #[derive(Debug)]
    /// # struct Acme;
    /// # static ID: HeaderName = HeaderName::from_static("x-acme-request-id");
    /// # impl Convention for Acme {
    /// #     fn dialect(&self) -> tower_cloud_error::Dialect { tower_cloud_error::Dialect::new("acme") }
    /// #     fn name(&self) -> &'static str { "Acme" }
    /// #     fn request_id_header(&self) -> &'static HeaderName { &ID }
    /// #     fn is_valid_code_name(&self, _: &str) -> bool { true }
    /// #     fn code_name_syntax(&self) -> &'static str { "anything" }
    /// #     fn check_envelope(&self, _: &mut Inspection<'_>) {}
    ///       fn check_status(&self, inspection: &mut Inspection<'_>) {
    ///           if inspection.status().is_redirection() {
    ///               inspection.report(Violation::Custom { rule: "no-redirects", detail: "a redirect".into() });
    ///           }
    ///       }
    /// # }
    /// let response = Response::builder().status(302).header("x-acme-request-id", "id-1").body("").unwrap();
    /// assert_eq!(Checker::new(Acme).check(&Method::GET, &response).unwrap_err().len(), 1);
    /// ```
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response's headers.
    ///
    /// ```
    /// # use bytes::Bytes;
    /// # use http::{HeaderName, Method, Response};
    /// # use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
    /// # #[derive(Debug)]
    /// # struct Acme;
    /// # static ID: HeaderName = HeaderName::from_static("x-acme-request-id");
    /// # impl Convention for Acme {
    /// #     fn dialect(&self) -> tower_cloud_error::Dialect { tower_cloud_error::Dialect::new("acme") }
    /// #     fn name(&self) -> &'static str { "Acme" }
    /// #     fn request_id_header(&self) -> &'static HeaderName { &ID }
    /// #     fn is_valid_code_name(&self, _: &str) -> bool { true }
    /// #     fn code_name_syntax(&self) -> &'static str { "anything" }
    ///       fn check_envelope(&self, inspection: &mut Inspection<'_>) {
    ///           if !inspection.headers().contains_key("x-acme-version") {
    ///               inspection.report(Violation::Custom { rule: "version", detail: "no x-acme-version".into() });
    ///           }
    ///       }
    /// # }
    /// let response = Response::builder().header("x-acme-request-id", "id-1").body("").unwrap();
    /// assert!(Checker::new(Acme).check(&Method::GET, &response).is_err());
    /// ```
    #[must_use]
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }

    /// The response's collected body.
    ///
    /// ```
    /// # use bytes::Bytes;
    /// # use http::{HeaderName, Method, Response};
    /// # use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
    /// # #[derive(Debug)]
    /// # struct Acme;
    /// # static ID: HeaderName = HeaderName::from_static("x-acme-request-id");
    /// # impl Convention for Acme {
    /// #     fn dialect(&self) -> tower_cloud_error::Dialect { tower_cloud_error::Dialect::new("acme") }
    /// #     fn name(&self) -> &'static str { "Acme" }
    /// #     fn request_id_header(&self) -> &'static HeaderName { &ID }
    /// #     fn is_valid_code_name(&self, _: &str) -> bool { true }
    /// #     fn code_name_syntax(&self) -> &'static str { "anything" }
    ///       fn check_envelope(&self, inspection: &mut Inspection<'_>) {
    ///           if inspection.body().is_empty() {
    ///               inspection.report(Violation::EmptyErrorBody);
    ///           }
    ///       }
    /// # }
    /// let response = Response::builder().header("x-acme-request-id", "id-1").body("").unwrap();
    /// assert_eq!(Checker::new(Acme).check(&Method::GET, &response), Err(vec![Violation::EmptyErrorBody]));
    /// ```
    #[must_use]
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// The request id in the convention's request-id header (its first value, lossy UTF-8), if
    /// any. The checker has checked the header already.
    ///
    /// ```
    /// # use bytes::Bytes;
    /// # use http::{HeaderName, Method, Response};
    /// # use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
    /// # #[derive(Debug)]
    /// # struct Acme;
    /// # static ID: HeaderName = HeaderName::from_static("x-acme-request-id");
    /// # impl Convention for Acme {
    /// #     fn dialect(&self) -> tower_cloud_error::Dialect { tower_cloud_error::Dialect::new("acme") }
    /// #     fn name(&self) -> &'static str { "Acme" }
    /// #     fn request_id_header(&self) -> &'static HeaderName { &ID }
    /// #     fn is_valid_code_name(&self, _: &str) -> bool { true }
    /// #     fn code_name_syntax(&self) -> &'static str { "anything" }
    ///       fn check_envelope(&self, inspection: &mut Inspection<'_>) {
    ///           assert_eq!(inspection.request_id(), Some("id-1"));
    ///       }
    /// # }
    /// let response = Response::builder().header("x-acme-request-id", "id-1").body("").unwrap();
    /// assert_eq!(Checker::new(Acme).check(&Method::GET, &response), Ok(()));
    /// ```
    #[must_use]
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Reports a violation.
    ///
    /// ```
    /// # use bytes::Bytes;
    /// # use http::{HeaderName, Method, Response};
    /// # use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
    /// # #[derive(Debug)]
    /// # struct Acme;
    /// # static ID: HeaderName = HeaderName::from_static("x-acme-request-id");
    /// # impl Convention for Acme {
    /// #     fn dialect(&self) -> tower_cloud_error::Dialect { tower_cloud_error::Dialect::new("acme") }
    /// #     fn name(&self) -> &'static str { "Acme" }
    /// #     fn request_id_header(&self) -> &'static HeaderName { &ID }
    /// #     fn is_valid_code_name(&self, _: &str) -> bool { true }
    /// #     fn code_name_syntax(&self) -> &'static str { "anything" }
    ///       fn check_envelope(&self, inspection: &mut Inspection<'_>) {
    ///           inspection.report(Violation::Custom { rule: "never", detail: "nothing conforms".into() });
    ///       }
    /// # }
    /// let response = Response::builder().header("x-acme-request-id", "id-1").body("").unwrap();
    /// let violations = Checker::new(Acme).check(&Method::GET, &response).unwrap_err();
    /// assert_eq!(violations[0].to_string(), "nothing conforms (rule `never`)");
    /// ```
    pub fn report(&mut self, violation: Violation) {
        self.violations.push(violation);
    }

    /// The rule for an error's `content-type`: exactly `expected`, once
    /// ([`Violation::ContentType`], [`Violation::RepeatedHeader`]).
    ///
    /// ```
    /// # use bytes::Bytes;
    /// # use http::{HeaderName, Method, Response};
    /// # use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
    /// # #[derive(Debug)]
    /// # struct Acme;
    /// # static ID: HeaderName = HeaderName::from_static("x-acme-request-id");
    /// # impl Convention for Acme {
    /// #     fn dialect(&self) -> tower_cloud_error::Dialect { tower_cloud_error::Dialect::new("acme") }
    /// #     fn name(&self) -> &'static str { "Acme" }
    /// #     fn request_id_header(&self) -> &'static HeaderName { &ID }
    /// #     fn is_valid_code_name(&self, _: &str) -> bool { true }
    /// #     fn code_name_syntax(&self) -> &'static str { "anything" }
    ///       fn check_envelope(&self, inspection: &mut Inspection<'_>) {
    ///           inspection.check_content_type("text/plain");
    ///       }
    /// # }
    /// let response = Response::builder().header("x-acme-request-id", "id-1").body("").unwrap();
    /// assert_eq!(
    ///     Checker::new(Acme).check(&Method::GET, &response),
    ///     Err(vec![Violation::ContentType { expected: "text/plain", actual: None }])
    /// );
    /// ```
    pub fn check_content_type(&mut self, expected: &'static str) {
        match single(self.headers, &CONTENT_TYPE, &mut self.violations) {
            Some(value) if value.as_bytes() == expected.as_bytes() => {}
            value => self.violations.push(Violation::ContentType {
                expected,
                actual: value.map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            }),
        }
    }

    /// The rule for an error's `content-encoding`: none, or `identity`
    /// ([`Violation::ContentEncoding`]).
    ///
    /// ```
    /// # use bytes::Bytes;
    /// # use http::{HeaderName, Method, Response};
    /// # use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
    /// # #[derive(Debug)]
    /// # struct Acme;
    /// # static ID: HeaderName = HeaderName::from_static("x-acme-request-id");
    /// # impl Convention for Acme {
    /// #     fn dialect(&self) -> tower_cloud_error::Dialect { tower_cloud_error::Dialect::new("acme") }
    /// #     fn name(&self) -> &'static str { "Acme" }
    /// #     fn request_id_header(&self) -> &'static HeaderName { &ID }
    /// #     fn is_valid_code_name(&self, _: &str) -> bool { true }
    /// #     fn code_name_syntax(&self) -> &'static str { "anything" }
    ///       fn check_envelope(&self, inspection: &mut Inspection<'_>) {
    ///           inspection.check_content_encoding();
    ///       }
    /// # }
    /// let response = Response::builder()
    ///     .header("x-acme-request-id", "id-1")
    ///     .header("content-encoding", "gzip")
    ///     .body("")
    ///     .unwrap();
    /// assert_eq!(
    ///     Checker::new(Acme).check(&Method::GET, &response),
    ///     Err(vec![Violation::ContentEncoding { encoding: "gzip".into() }])
    /// );
    /// ```
    pub fn check_content_encoding(&mut self) {
        let encoded = self
            .headers
            .get_all(CONTENT_ENCODING)
            .iter()
            .find(|value| !value.as_bytes().eq_ignore_ascii_case(b"identity"));
        if let Some(encoding) = encoded {
            self.violations.push(Violation::ContentEncoding {
                encoding: String::from_utf8_lossy(encoding.as_bytes()).into_owned(),
            });
        }
    }

    /// The rule for a request id in the body: the same as the header's
    /// ([`Violation::RequestIdMismatch`]).
    ///
    /// ```
    /// # use bytes::Bytes;
    /// # use http::{HeaderName, Method, Response};
    /// # use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
    /// # #[derive(Debug)]
    /// # struct Acme;
    /// # static ID: HeaderName = HeaderName::from_static("x-acme-request-id");
    /// # impl Convention for Acme {
    /// #     fn dialect(&self) -> tower_cloud_error::Dialect { tower_cloud_error::Dialect::new("acme") }
    /// #     fn name(&self) -> &'static str { "Acme" }
    /// #     fn request_id_header(&self) -> &'static HeaderName { &ID }
    /// #     fn is_valid_code_name(&self, _: &str) -> bool { true }
    /// #     fn code_name_syntax(&self) -> &'static str { "anything" }
    ///       fn check_envelope(&self, inspection: &mut Inspection<'_>) {
    ///           let body = String::from_utf8_lossy(inspection.body()).into_owned();
    ///           inspection.check_body_request_id(&body);
    ///       }
    /// # }
    /// let response = Response::builder().header("x-acme-request-id", "id-1").body("id-2").unwrap();
    /// assert_eq!(
    ///     Checker::new(Acme).check(&Method::GET, &response),
    ///     Err(vec![Violation::RequestIdMismatch { header: "id-1".into(), body: "id-2".into() }])
    /// );
    /// ```
    pub fn check_body_request_id(&mut self, body_id: &str) {
        if let Some(header) = &self.request_id {
            if header != body_id {
                self.violations.push(Violation::RequestIdMismatch {
                    header: header.clone(),
                    body: body_id.to_owned(),
                });
            }
        }
    }

    /// The rules for an error's code and message, against the convention's catalogs and the
    /// codes given to the checker: the name's syntax, a known code (when required), a code of
    /// another dialect, the documented status, canonical internal-error messages, the
    /// expected language and the message's length. `status` is the response's when the
    /// convention's codes document one (`None` when every error travels with the same status);
    /// `message` is `None` when the body has no message.
    ///
    /// ```
    /// # use bytes::Bytes;
    /// # use http::{HeaderName, Method, Response, StatusCode};
    /// # use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
    /// # #[derive(Debug)]
    /// # struct Acme;
    /// # static ID: HeaderName = HeaderName::from_static("x-acme-request-id");
    /// # impl Convention for Acme {
    /// #     fn dialect(&self) -> tower_cloud_error::Dialect { tower_cloud_error::Dialect::new("acme") }
    /// #     fn name(&self) -> &'static str { "Acme" }
    /// #     fn request_id_header(&self) -> &'static HeaderName { &ID }
    /// #     fn is_valid_code_name(&self, code: &str) -> bool { code.bytes().all(|b| b.is_ascii_uppercase()) }
    /// #     fn code_name_syntax(&self) -> &'static str { "an Acme code name: `[A-Z]+`" }
    ///       fn check_envelope(&self, inspection: &mut Inspection<'_>) {
    ///           let body = String::from_utf8_lossy(inspection.body()).into_owned();
    ///           inspection.check_code(&body, None, None);
    ///       }
    /// # }
    /// let response = Response::builder().header("x-acme-request-id", "id-1").body("slow").unwrap();
    /// assert!(matches!(
    ///     &Checker::new(Acme).check(&Method::GET, &response).unwrap_err()[..],
    ///     [Violation::InvalidCodeName { code, .. }] if code == "slow"
    /// ));
    /// ```
    pub fn check_code(&mut self, code: &str, status: Option<StatusCode>, message: Option<&str>) {
        self.checker
            .check_code(code, status, message, &mut self.violations);
    }

    /// The rule for every message: at most [`CloudError::MAX_MESSAGE_LEN`](crate::CloudError::MAX_MESSAGE_LEN) bytes
    /// ([`Violation::MessageTooLong`]). [`check_code`](Inspection::check_code) includes it;
    /// this is for a message without a code.
    ///
    /// ```
    /// # use bytes::Bytes;
    /// # use http::{HeaderName, Method, Response};
    /// # use tower_cloud_error::conformance::{Checker, Convention, Inspection, Violation};
    /// # #[derive(Debug)]
    /// # struct Acme;
    /// # static ID: HeaderName = HeaderName::from_static("x-acme-request-id");
    /// # impl Convention for Acme {
    /// #     fn dialect(&self) -> tower_cloud_error::Dialect { tower_cloud_error::Dialect::new("acme") }
    /// #     fn name(&self) -> &'static str { "Acme" }
    /// #     fn request_id_header(&self) -> &'static HeaderName { &ID }
    /// #     fn is_valid_code_name(&self, _: &str) -> bool { true }
    /// #     fn code_name_syntax(&self) -> &'static str { "anything" }
    ///       fn check_envelope(&self, inspection: &mut Inspection<'_>) {
    ///           let body = String::from_utf8_lossy(inspection.body()).into_owned();
    ///           inspection.check_message_length(&body);
    ///       }
    /// # }
    /// let response = Response::builder().header("x-acme-request-id", "id-1").body("x".repeat(5000)).unwrap();
    /// assert!(matches!(
    ///     &Checker::new(Acme).check(&Method::GET, &response).unwrap_err()[..],
    ///     [Violation::MessageTooLong { len: 5000, .. }]
    /// ));
    /// ```
    pub fn check_message_length(&mut self, message: &str) {
        self.checker
            .check_message_length(message, &mut self.violations);
    }

    /// The rules for every response: the request-id header and `content-length`. Keeps the
    /// request id, if any, for the conventions' rules.
    pub(super) fn check_shared_rules(&mut self) {
        let header = self.checker.convention().request_id_header();
        let out = &mut self.violations;
        let mut ids = self.headers.get_all(header).iter();
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
                if let Some(expected) = self.checker.expected_request_id() {
                    if expected.as_bytes() != id.as_bytes() {
                        out.push(Violation::UnexpectedRequestId {
                            expected: expected.to_owned(),
                            actual: text.clone(),
                        });
                    }
                }
                self.request_id = Some(text);
            }
        }

        if let Some(length) = single(self.headers, &CONTENT_LENGTH, out) {
            let exempt = self.is_head || self.status == StatusCode::NOT_MODIFIED;
            let matches = length
                .to_str()
                .ok()
                .and_then(|text| text.parse::<usize>().ok())
                == Some(self.body.len());
            if !exempt && !matches {
                out.push(Violation::ContentLengthMismatch {
                    header: String::from_utf8_lossy(length.as_bytes()).into_owned(),
                    body_len: self.body.len(),
                });
            }
        }
    }

    /// The rules for an error body: none for `HEAD`; otherwise a JSON object, whose members
    /// are returned for the envelope rules.
    pub(super) fn error_object<'n>(
        &mut self,
        parsed: &'n Result<Node, serde_json::Error>,
    ) -> Option<&'n [(String, Node)]> {
        if self.is_head {
            if !self.body.is_empty() {
                self.violations.push(Violation::BodyOnHeadResponse {
                    len: self.body.len(),
                });
            }
            return None;
        }
        if self.body.is_empty() {
            self.violations.push(Violation::EmptyErrorBody);
            return None;
        }
        match parsed {
            Err(error) => {
                self.violations.push(Violation::BodyNotJson {
                    error: error.to_string(),
                });
                None
            }
            Ok(node) => {
                let members = node.as_object();
                if members.is_none() {
                    self.violations.push(Violation::BodyNotObject {
                        actual: node.type_name(),
                    });
                }
                members
            }
        }
    }

    /// Looks up `keys` (name and path) among `members`, last occurrence winning, and reports
    /// missing keys, duplicates of the looked-up keys and, when `exact`, every other key and
    /// its duplicates.
    pub(super) fn fields<'n, const N: usize>(
        &mut self,
        members: &'n [(String, Node)],
        parent: &str,
        keys: [(&'static str, &'static str); N],
        exact: bool,
    ) -> [Option<&'n Node>; N] {
        let out = &mut self.violations;
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
    pub(super) fn object<'n>(
        &mut self,
        node: &'n Node,
        key: &'static str,
    ) -> Option<&'n [(String, Node)]> {
        let members = node.as_object();
        if members.is_none() {
            self.violations.push(Violation::WrongKeyType {
                key,
                expected: "object",
                actual: node.type_name(),
            });
        }
        members
    }

    /// `node` as a string, or a [`Violation::WrongKeyType`] for `key`.
    pub(super) fn string<'n>(&mut self, node: &'n Node, key: &'static str) -> Option<&'n str> {
        let text = node.as_str();
        if text.is_none() {
            self.violations.push(Violation::WrongKeyType {
                key,
                expected: "string",
                actual: node.type_name(),
            });
        }
        text
    }
}

/// The first value of a header that must appear at most once, reporting repeats.
fn single<'h>(
    headers: &'h HeaderMap,
    name: &'static HeaderName,
    out: &mut Vec<Violation>,
) -> Option<&'h HeaderValue> {
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
