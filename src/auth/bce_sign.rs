//! `bce-auth-v1`: the `Authorization` parser, the canonical request and the signature, exactly
//! as the official SDKs compute them (bce-python-sdk 0.9.79 `baidubce/auth/bce_v1_signer.py` and
//! `baidubce/utils.py`; `@baiducloud/sdk` 1.0.7 `src/auth.js` and `src/http_client.js`).

use std::time::SystemTime;

use hmac::{Hmac, KeyInit, Mac};
use http::{HeaderMap, Method, Uri};
use sha2::Sha256;

use super::encode::{bce_encode_into, percent_decode};
use super::headers::{header_text, trim_ascii_whitespace};
use super::Secret;
use crate::date::parse_bce_date;

type HmacSha256 = Hmac<Sha256>;

/// The scheme's prefix.
pub(crate) const PREFIX: &str = "bce-auth-v1";

/// The headers signed when the client names none: bce_v1_signer.py lines 33-37 (the Node SDK's
/// `auth.js` `headersCanonicalization` uses the same set); `x-bce-*` headers are always added.
const DEFAULT_SIGNED: [&str; 4] = ["host", "content-md5", "content-length", "content-type"];

/// The largest expiration accepted, a week: a bound, so `timestamp + expiration` cannot overflow.
const MAX_EXPIRATION_SECONDS: u64 = 7 * 24 * 3600;

/// A parsed `bce-auth-v1/{ak}/{timestamp}/{expiration}/{signedHeaders}/{signature}`.
#[derive(Debug)]
pub(crate) struct BceAuthorization<'a> {
    pub(crate) access_key_id: &'a str,
    /// The timestamp as sent (`2015-04-27T08:23:49Z`), and as a time.
    pub(crate) timestamp: &'a str,
    pub(crate) time: SystemTime,
    pub(crate) expiration_seconds: u64,
    /// `{ak}/{timestamp}/{expiration}` after the prefix: the signing key's input, verbatim.
    auth_string_prefix: &'a str,
    /// The signed header names as listed (`;`-separated, maybe empty).
    signed_headers: &'a str,
    signature: [u8; 32],
}

impl<'a> BceAuthorization<'a> {
    /// Parses the header value; `None` if it does not have the documented form.
    pub(crate) fn parse(value: &'a str) -> Option<BceAuthorization<'a>> {
        let mut parts = value.splitn(6, '/');
        if parts.next()? != PREFIX {
            return None;
        }
        let access_key_id = parts.next()?;
        let timestamp = parts.next()?;
        let expiration = parts.next()?;
        let signed_headers = parts.next()?;
        let signature = parts.next()?;
        if access_key_id.is_empty() || !access_key_id.bytes().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        let time = parse_bce_date(timestamp)?;
        if expiration.is_empty()
            || expiration.len() > 9
            || !expiration.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let expiration_seconds: u64 = expiration.parse().ok()?;
        if expiration_seconds == 0 || expiration_seconds > MAX_EXPIRATION_SECONDS {
            return None;
        }
        if !signed_headers.is_empty()
            && !signed_headers.split(';').all(|name| {
                !name.is_empty() && http::HeaderName::from_bytes(name.as_bytes()).is_ok()
            })
        {
            return None;
        }
        let mut decoded = [0u8; 32];
        if signature.len() != 64 || hex::decode_to_slice(signature, &mut decoded).is_err() {
            return None;
        }
        let prefix_end =
            PREFIX.len() + 1 + access_key_id.len() + 1 + timestamp.len() + 1 + expiration.len();
        Some(BceAuthorization {
            access_key_id,
            timestamp,
            time,
            expiration_seconds,
            auth_string_prefix: &value[PREFIX.len() + 1..prefix_end],
            signed_headers,
            signature: decoded,
        })
    }

    /// Whether a header (lower-case name) is signed: listed (or, with no list, in the default
    /// set), or an `x-bce-*` header, which both SDKs always sign (bce_v1_signer.py line 45;
    /// auth.js `headersCanonicalization`).
    fn signs_header(&self, name: &str) -> bool {
        if name.starts_with("x-bce-") {
            return true;
        }
        if self.signed_headers.is_empty() {
            DEFAULT_SIGNED.contains(&name)
        } else {
            self.signed_headers
                .split(';')
                .any(|listed| listed.eq_ignore_ascii_case(name))
        }
    }

    /// Whether the signature is `secret`'s signature of the canonical request, compared in
    /// constant time (`hmac`'s `verify_slice`).
    pub(crate) fn verify(&self, secret: &Secret, canonical_request: &str) -> bool {
        let mut mac = signature_mac(secret, self.auth_string_prefix);
        mac.update(canonical_request.as_bytes());
        mac.verify_slice(&self.signature).is_ok()
    }
}

/// The signature's MAC: keyed with the signing key `hex(HMAC-SHA256(sk,
/// "bce-auth-v1/{ak}/{ts}/{exp}"))` as its hex text (bce_v1_signer.py lines 65-72 and 82).
fn signature_mac(secret: &Secret, auth_string_prefix: &str) -> HmacSha256 {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(secret.expose())
        .expect("HMAC takes keys of any length");
    mac.update(PREFIX.as_bytes());
    mac.update(b"/");
    mac.update(auth_string_prefix.as_bytes());
    let signing_key = zeroize::Zeroizing::new(hex::encode(mac.finalize().into_bytes()));
    <HmacSha256 as KeyInit>::new_from_slice(signing_key.as_bytes())
        .expect("HMAC takes keys of any length")
}

/// The canonical request `METHOD\nURI\nQUERY\nHEADERS` (bce_v1_signer.py lines 74-81), built
/// from the request as received.
///
/// - URI: each `/`-separated segment of the path percent-decoded, then encoded (the SDKs send
///   it already in that form, utils.py `append_uri` → `normalize_string(path, False)`; an
///   encoded `%2F` stays `%2F`).
/// - QUERY: each `k=v` pair decoded then encoded (`k=` for `k` and `k=`), `authorization`
///   left out, sorted bytewise, joined with `&` (utils.py `get_canonical_querystring`; the Node
///   SDK sends `- . _ ~ ! ' ( ) *` as lowercase `%xx`, http_client.js `buildQueryString`, but
///   signs them bare or uppercase, auth.js `queryStringCanonicalization`).
/// - HEADERS: the signed headers, `enc(name):enc(trimmed value)`, empty values left out,
///   sorted, joined with `\n` (bce_v1_signer.py `_get_canonical_headers`).
pub(crate) fn canonical_request(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    authorization: &BceAuthorization<'_>,
) -> String {
    let mut out = String::with_capacity(256);
    out.push_str(method.as_str());
    out.push('\n');
    for (index, segment) in uri.path().split('/').enumerate() {
        if index > 0 {
            out.push('/');
        }
        // Per segment: an encoded `%2F` stays inside its segment.
        bce_encode_into(&mut out, &percent_decode(segment), false);
    }
    out.push('\n');
    push_canonical_query(&mut out, uri.query().unwrap_or(""));
    out.push('\n');
    push_canonical_headers(&mut out, uri, headers, authorization);
    out
}

fn push_canonical_query(out: &mut String, query: &str) {
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = percent_decode(key);
            if key.eq_ignore_ascii_case(b"authorization") {
                return None;
            }
            let mut encoded = String::with_capacity(pair.len() + 8);
            bce_encode_into(&mut encoded, &key, false);
            encoded.push('=');
            bce_encode_into(&mut encoded, &percent_decode(value), false);
            Some(encoded)
        })
        .collect();
    pairs.sort_unstable();
    join_into(out, &pairs, '&');
}

fn push_canonical_headers(
    out: &mut String,
    uri: &Uri,
    headers: &HeaderMap,
    authorization: &BceAuthorization<'_>,
) {
    let mut lines: Vec<String> = Vec::new();
    let mut saw_host = false;
    for name in headers.keys() {
        let name = name.as_str();
        if !authorization.signs_header(name) {
            continue;
        }
        saw_host |= name == "host";
        let value = header_text(headers, name);
        let value = trim_ascii_whitespace(&value);
        if value.is_empty() {
            continue;
        }
        lines.push(header_line(name, value));
    }
    // HTTP/2 carries the host in `:authority` (the request URI), not in a `Host` header.
    if !saw_host && authorization.signs_header("host") {
        if let Some(authority) = uri.authority() {
            lines.push(header_line("host", authority.as_str().as_bytes()));
        }
    }
    lines.sort_unstable();
    join_into(out, &lines, '\n');
}

fn header_line(name: &str, value: &[u8]) -> String {
    let mut line = String::with_capacity(name.len() + value.len() + 8);
    bce_encode_into(&mut line, name.as_bytes(), false);
    line.push(':');
    bce_encode_into(&mut line, value, false);
    line
}

fn join_into(out: &mut String, parts: &[String], separator: char) {
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            out.push(separator);
        }
        out.push_str(part);
    }
}
