//! [`BceChecks`]: BCE's documented request checks, run by the layer before the inner service.

use std::time::{Duration, SystemTime};

use http::header::DATE;
use http::{HeaderName, Request};

use crate::catalog::bce::common;
use crate::date::{bce_request_date, is_skewed};
use crate::error::CloudError;

/// The BCE date header.
pub(crate) const X_BCE_DATE: HeaderName = HeaderName::from_static("x-bce-date");

/// BCE's documented request checks, opt-in with [`Bce::checks`](crate::bce::Bce::checks):
///
/// | Check | Code |
/// |---|---|
/// | a `/v{N}/` path whose version is not served | `InvalidVersion` (404) |
/// | `x-bce-date` (or, without it, `Date`) more than 30 minutes off the server clock, or unreadable | `RequestExpired` (400), quoting the date in the `x-bce-date` format |
///
/// Unreadable is any value that does not parse, including one that is not UTF-8 or not ASCII
/// (`\xff\xfe`, `中`): a date header that is present is never treated as absent. Its quote
/// shows invalid bytes as U+FFFD and hides nothing invisible.
///
/// Requests without a date pass: signing (and so the date) is the authentication layer's
/// business, and an unsigned request fails there.
///
/// ```
/// use std::time::Duration;
/// use tower_cloud_error::CloudErrorLayer;
/// use tower_cloud_error::bce::{Bce, Checks as BceChecks};
///
/// let layer = CloudErrorLayer::new(Bce::new().checks(BceChecks::new(&[1])));
/// let lenient = BceChecks::new(&[1, 2]).max_clock_skew(Duration::from_secs(3600));
/// # let _ = (layer, lenient);
/// ```
#[derive(Debug, Clone)]
pub struct BceChecks {
    versions: &'static [u32],
    max_clock_skew: Duration,
}

impl BceChecks {
    /// The checks, serving the URI versions `versions` (`/v1/...` is version 1), with the
    /// documented 30-minute clock skew.
    #[must_use]
    pub const fn new(versions: &'static [u32]) -> Self {
        BceChecks {
            versions,
            max_clock_skew: Duration::from_secs(30 * 60),
        }
    }

    /// Another largest clock skew than the documented 30 minutes.
    #[must_use]
    pub const fn max_clock_skew(mut self, max: Duration) -> Self {
        self.max_clock_skew = max;
        self
    }

    pub(crate) fn check<B>(&self, request: &Request<B>) -> Result<(), CloudError> {
        if let Some(version) = uri_version(request.uri().path()) {
            if version
                .parse()
                .map_or(true, |v: u32| !self.versions.contains(&v))
            {
                return Err(CloudError::new(common::INVALID_VERSION));
            }
        }
        let headers = request.headers();
        // Raw bytes: a date header that is present but unreadable fails as unparseable.
        let bytes = |name| headers.get(name).map(http::HeaderValue::as_bytes);
        let date = bce_request_date(bytes(X_BCE_DATE), bytes(DATE));
        if let Some((quoted, time)) = date {
            let fresh =
                time.is_some_and(|time| !is_skewed(time, SystemTime::now(), self.max_clock_skew));
            if !fresh {
                return Err(CloudError::new(common::REQUEST_EXPIRED).with_args([quoted]));
            }
        }
        Ok(())
    }
}

/// The `N` of a path that starts with `/vN/` (or is `/vN`), as text.
fn uri_version(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/v")?;
    let end = rest.find('/').unwrap_or(rest.len());
    let version = &rest[..end];
    (!version.is_empty() && version.bytes().all(|b| b.is_ascii_digit())).then_some(version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::format_bce_date;
    use crate::language::Language;

    fn request(path: &str, headers: &[(&str, String)]) -> Request<()> {
        let mut builder = Request::builder().uri(path);
        for (name, value) in headers {
            builder = builder.header(*name, value);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn versions_are_checked_on_versioned_paths_only() {
        let checks = BceChecks::new(&[1]);
        assert!(checks.check(&request("/v1/eip", &[])).is_ok());
        assert!(checks.check(&request("/v1", &[])).is_ok());
        assert!(checks.check(&request("/health", &[])).is_ok());
        assert!(checks.check(&request("/vip/list", &[])).is_ok());
        for path in ["/v2/eip", "/v0", "/v99999999999999999999/x"] {
            let err = checks.check(&request(path, &[])).unwrap_err();
            assert_eq!(err.code(), Some(&common::INVALID_VERSION), "{path}");
        }
    }

    #[test]
    fn stale_dates_are_request_expired_quoting_the_bce_date() {
        let checks = BceChecks::new(&[1]);
        let now = SystemTime::now();
        let fresh = format_bce_date(now);
        assert!(checks
            .check(&request("/v1/eip", &[("x-bce-date", fresh)]))
            .is_ok());

        let stale = format_bce_date(now - Duration::from_secs(31 * 60));
        let err = checks
            .check(&request("/v1/eip", &[("x-bce-date", stale.clone())]))
            .unwrap_err();
        assert_eq!(err.code(), Some(&common::REQUEST_EXPIRED));
        assert_eq!(
            err.message(Language::EnUs),
            format!("Request has expired. Timestamp date is {stale}.")
        );

        let err = checks
            .check(&request(
                "/v1/eip",
                &[("date", "Wed, 06 Apr 2016 06:34:40 GMT".into())],
            ))
            .unwrap_err();
        assert_eq!(
            err.message(Language::EnUs),
            "Request has expired. Timestamp date is 2016-04-06T06:34:40Z."
        );

        let err = checks
            .check(&request("/v1/eip", &[("x-bce-date", "soon".into())]))
            .unwrap_err();
        assert_eq!(err.code(), Some(&common::REQUEST_EXPIRED));
        assert!(checks.check(&request("/v1/eip", &[])).is_ok());
    }

    #[test]
    fn present_but_unreadable_dates_are_request_expired_never_skipped() {
        let checks = BceChecks::new(&[1]);
        let fresh = format_bce_date(SystemTime::now());
        for header in ["x-bce-date", "date"] {
            for (bad, quoted) in [
                (b"\xff\xfe".as_slice(), "\u{FFFD}\u{FFFD}"),
                ("中".as_bytes(), "中"),
            ] {
                let mut request = Request::builder().uri("/v1/eip");
                request = request.header(header, http::HeaderValue::from_bytes(bad).unwrap());
                if header == "x-bce-date" {
                    // A valid Date does not rescue an unreadable x-bce-date.
                    request = request.header("date", httpdate::fmt_http_date(SystemTime::now()));
                }
                let err = checks.check(&request.body(()).unwrap()).unwrap_err();
                assert_eq!(
                    err.code(),
                    Some(&common::REQUEST_EXPIRED),
                    "{header} {bad:?}"
                );
                assert_eq!(
                    err.message(Language::EnUs),
                    format!("Request has expired. Timestamp date is {quoted}.")
                );
            }
        }
        // A readable fresh x-bce-date still wins over an unreadable Date.
        let request = Request::builder()
            .uri("/v1/eip")
            .header("x-bce-date", fresh)
            .header("date", http::HeaderValue::from_bytes(b"\xff").unwrap())
            .body(())
            .unwrap();
        assert!(checks.check(&request).is_ok());
    }
}
