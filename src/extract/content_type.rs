//! The `Content-Type` a JSON body must be sent with.

use http::header::CONTENT_TYPE;
use http::HeaderMap;

/// Whether the (first) `Content-Type` is `application/json`, with any parameters, and a
/// `charset`, if present, of `utf-8`.
///
/// The media type and the charset compare case-insensitively; the charset may be quoted
/// (RFC 9110 §8.3.1). `application/json;charset=utf-8` (the BCE SDK) and `application/json`
/// (the Tencent SDKs) both pass; an absent header does not.
pub(super) fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return false;
    }
    parts.all(|parameter| match parameter.split_once('=') {
        Some((name, charset)) if name.trim().eq_ignore_ascii_case("charset") => {
            let charset = charset.trim();
            let charset = charset
                .strip_prefix('"')
                .and_then(|c| c.strip_suffix('"'))
                .unwrap_or(charset);
            charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8")
        }
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn with(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn json_with_any_parameters_and_a_utf8_charset() {
        for ok in [
            "application/json",
            "Application/JSON",
            "application/json;charset=utf-8",
            "application/json; charset=UTF-8",
            "application/json; charset=\"utf-8\"",
            "application/json ; charset=utf8; version=2",
            "application/json; profile",
        ] {
            assert!(is_json(&with(ok)), "{ok}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/jsonp",
            "application/merge-patch+json",
            "multipart/form-data; boundary=x",
            "application/json; charset=latin1",
            "application/json; charset=utf-16",
            "",
        ] {
            assert!(!is_json(&with(bad)), "{bad}");
        }
        assert!(!is_json(&HeaderMap::new()));
        let mut opaque = HeaderMap::new();
        opaque.insert(
            CONTENT_TYPE,
            HeaderValue::from_bytes(b"application/json\xff").unwrap(),
        );
        assert!(!is_json(&opaque));
    }
}
