//! [`TencentChecks`]: Tencent Cloud API 3.0's documented request checks, run by the layer
//! before the inner service.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderName, HeaderValue, Method, Request};

use crate::catalog::tencent::common;
use crate::date::{is_skewed, parse_unix_seconds};
use crate::error::CloudError;
// One wording per code in a service: the same messages as the JSON extraction's.
use crate::extract::tencent::{invalid_parameter, missing_parameter};

const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");

/// Tencent Cloud API 3.0's documented request checks, opt-in with
/// [`Tencent::checks`](crate::tencent::Tencent::checks), in this order:
///
/// | Check | Code |
/// |---|---|
/// | a method other than GET and POST | `UnsupportedProtocol` |
/// | `X-TC-Timestamp` absent / not Unix seconds | `MissingParameter` / `InvalidParameter` |
/// | `X-TC-Timestamp` more than 5 minutes off the server clock | `AuthFailure.SignatureExpire` |
/// | `X-TC-Action` absent | `MissingParameter` |
/// | `X-TC-Version` absent / not served | `MissingParameter` / `NoSuchVersion` |
///
/// A header that is present but unreadable (bytes that are not visible ASCII) is
/// `InvalidParameter` naming it, never `MissingParameter`; an empty one counts as absent.
///
/// Messages name the header, in both languages, worded as the JSON extraction's
/// ([`tencent` JSON bodies](crate::tencent#json-bodies)).
///
/// ```
/// use tower_cloud_error::CloudErrorLayer;
/// use tower_cloud_error::tencent::{Tencent, Checks as TencentChecks};
///
/// let layer = CloudErrorLayer::new(Tencent::new().checks(TencentChecks::new(&["2019-09-24"])));
/// # let _ = layer;
/// ```
#[derive(Debug, Clone)]
pub struct TencentChecks {
    versions: &'static [&'static str],
    max_clock_skew: Duration,
}

impl TencentChecks {
    /// The checks, serving the API versions `versions`, with the documented 5-minute clock
    /// skew.
    #[must_use]
    pub const fn new(versions: &'static [&'static str]) -> Self {
        TencentChecks {
            versions,
            max_clock_skew: Duration::from_secs(5 * 60),
        }
    }

    /// Another largest clock skew than the documented 5 minutes.
    #[must_use]
    pub const fn max_clock_skew(mut self, max: Duration) -> Self {
        self.max_clock_skew = max;
        self
    }

    pub(crate) fn check<B>(&self, request: &Request<B>) -> Result<(), CloudError> {
        if request.method() != Method::GET && request.method() != Method::POST {
            return Err(CloudError::new(common::UNSUPPORTED_PROTOCOL));
        }
        let headers = request.headers();
        let timestamp = required_header(headers, &X_TC_TIMESTAMP, "X-TC-Timestamp")?;
        let time =
            parse_unix_seconds(timestamp).ok_or_else(|| invalid_parameter("X-TC-Timestamp"))?;
        if is_skewed(time, SystemTime::now(), self.max_clock_skew) {
            return Err(CloudError::new(common::AUTH_FAILURE_SIGNATURE_EXPIRE));
        }

        required_header(headers, &X_TC_ACTION, "X-TC-Action")?;
        let version = required_header(headers, &X_TC_VERSION, "X-TC-Version")?;
        if !self.versions.contains(&version) {
            return Err(CloudError::new(common::NO_SUCH_VERSION));
        }
        Ok(())
    }
}

/// The text of a required Tencent header: absent or empty is `MissingParameter`; present but
/// unreadable (not visible ASCII, e.g. `\xff` or `中`) is `InvalidParameter`, never missing.
/// Both name the header as `label`.
pub(crate) fn required_header<'a>(
    headers: &'a HeaderMap,
    name: &HeaderName,
    label: &str,
) -> Result<&'a str, CloudError> {
    match headers.get(name).map(HeaderValue::to_str) {
        None => Err(missing_parameter(label)),
        Some(Ok("")) => Err(missing_parameter(label)),
        Some(Ok(text)) => Ok(text),
        Some(Err(_)) => Err(invalid_parameter(label)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;
    use std::time::UNIX_EPOCH;

    fn now() -> String {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            .to_string()
    }

    fn request(method: &str, headers: &[(&str, &str)]) -> Request<()> {
        let mut builder = Request::builder().method(method).uri("/");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn each_check_answers_its_documented_code() {
        let checks = TencentChecks::new(&["2019-09-24"]);
        let now = now();
        let stale = (now.parse::<u64>().unwrap() - 301).to_string();
        let ok = [
            ("x-tc-timestamp", now.as_str()),
            ("x-tc-action", "CreateNamespacePersonal"),
            ("x-tc-version", "2019-09-24"),
        ];
        assert!(checks.check(&request("POST", &ok)).is_ok());
        assert!(checks.check(&request("GET", &ok)).is_ok());

        // Method, headers, the code expected, and the header its message must name.
        type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, crate::Code, &'a str);
        let cases: [Case<'_>; 7] = [
            ("PUT", ok.to_vec(), common::UNSUPPORTED_PROTOCOL, ""),
            (
                "POST",
                ok[1..].to_vec(),
                common::MISSING_PARAMETER,
                "X-TC-Timestamp",
            ),
            (
                "POST",
                vec![ok[1], ok[2], ("x-tc-timestamp", "12:00")],
                common::INVALID_PARAMETER,
                "X-TC-Timestamp",
            ),
            (
                "POST",
                vec![ok[1], ok[2], ("x-tc-timestamp", &stale)],
                common::AUTH_FAILURE_SIGNATURE_EXPIRE,
                "",
            ),
            (
                "POST",
                vec![ok[0], ok[2]],
                common::MISSING_PARAMETER,
                "X-TC-Action",
            ),
            (
                "POST",
                vec![ok[0], ok[1]],
                common::MISSING_PARAMETER,
                "X-TC-Version",
            ),
            (
                "POST",
                vec![ok[0], ok[1], ("x-tc-version", "2017-03-12")],
                common::NO_SUCH_VERSION,
                "",
            ),
        ];
        for (method, headers, code, named) in cases {
            let err = checks.check(&request(method, &headers)).unwrap_err();
            assert_eq!(err.code(), Some(&code), "{method} {headers:?}");
            assert!(err.message(Language::EnUs).contains(named));
            assert!(err.message(Language::ZhCn).contains(named));
        }
    }

    #[test]
    fn present_but_unreadable_headers_are_invalid_not_missing() {
        let checks = TencentChecks::new(&["2019-09-24"]);
        let now = now();
        let valid = [
            ("x-tc-timestamp", now.as_bytes()),
            ("x-tc-action", b"CreateNamespacePersonal".as_slice()),
            ("x-tc-version", b"2019-09-24".as_slice()),
        ];
        for (index, (header, label)) in [
            ("x-tc-timestamp", "X-TC-Timestamp"),
            ("x-tc-action", "X-TC-Action"),
            ("x-tc-version", "X-TC-Version"),
        ]
        .into_iter()
        .enumerate()
        {
            for bad in [b"\xff".as_slice(), b"\xff\xfe", "中".as_bytes()] {
                let mut request = Request::builder().method("POST").uri("/");
                for (i, (name, value)) in valid.iter().enumerate() {
                    let value = if i == index { bad } else { value };
                    request = request.header(*name, HeaderValue::from_bytes(value).unwrap());
                }
                let err = checks.check(&request.body(()).unwrap()).unwrap_err();
                assert_eq!(
                    err.code(),
                    Some(&common::INVALID_PARAMETER),
                    "{header} {bad:?}"
                );
                assert!(err.message(Language::EnUs).contains(label), "{header}");
                assert!(err.message(Language::ZhCn).contains(label), "{header}");
            }
        }
    }
}
