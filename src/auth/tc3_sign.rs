//! `TC3-HMAC-SHA256`: the `Authorization` parser, the canonical request and the signature,
//! exactly as the official SDKs compute them (tencentcloud-sdk-python-common 3.1.195
//! `tencentcloud/common/abstract_client.py` `_build_req_with_tc3_signature` /
//! `_get_tc3_signature` and `tencentcloud/common/sign.py` `sign_tc3`).

use hmac::{Hmac, KeyInit, Mac};
use http::{HeaderMap, Method, Uri};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::headers::{header_text, trim_ascii_whitespace};
use super::Secret;

type HmacSha256 = Hmac<Sha256>;

/// The algorithm name that starts the header and the string to sign.
pub(crate) const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The value of `X-TC-Content-SHA256` that leaves the body out of the signature; the payload
/// hash is then the hash of this literal (abstract_client.py lines 237-238).
pub(crate) const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// A parsed `TC3-HMAC-SHA256 Credential={id}/{date}/{service}/tc3_request,
/// SignedHeaders={names}, Signature={hex}`.
#[derive(Debug)]
pub(crate) struct Tc3Authorization<'a> {
    pub(crate) secret_id: &'a str,
    /// The scope date, `YYYY-MM-DD`.
    pub(crate) date: &'a str,
    pub(crate) service: &'a str,
    signed_headers: &'a str,
    signature: [u8; 32],
}

impl<'a> Tc3Authorization<'a> {
    /// Parses the header value; `None` if it does not have the documented form (which includes
    /// signing at least `content-type` and `host`).
    pub(crate) fn parse(value: &'a str) -> Option<Tc3Authorization<'a>> {
        let rest = value.strip_prefix(ALGORITHM)?;
        if !rest.starts_with(' ') {
            return None;
        }
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for part in rest.split(',') {
            let (key, value) = part.trim_matches(' ').split_once('=')?;
            let slot = match key {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                _ => return None,
            };
            if slot.replace(value).is_some() {
                return None;
            }
        }
        let mut scope = credential?.split('/');
        let (secret_id, date, service) = (scope.next()?, scope.next()?, scope.next()?);
        if scope.next()? != "tc3_request" || scope.next().is_some() {
            return None;
        }
        if secret_id.is_empty() || !secret_id.bytes().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        if !is_scope_date(date)
            || service.is_empty()
            || !service.bytes().all(|b| b.is_ascii_graphic())
        {
            return None;
        }
        let signed_headers = signed_headers?;
        let names_valid = signed_headers
            .split(';')
            .all(|name| !name.is_empty() && http::HeaderName::from_bytes(name.as_bytes()).is_ok());
        let lists = |wanted: &str| {
            signed_headers
                .split(';')
                .any(|name| name.eq_ignore_ascii_case(wanted))
        };
        if !names_valid || !lists("content-type") || !lists("host") {
            return None;
        }
        let signature = signature?;
        let mut decoded = [0u8; 32];
        if signature.len() != 64 || hex::decode_to_slice(signature, &mut decoded).is_err() {
            return None;
        }
        Some(Tc3Authorization {
            secret_id,
            date,
            service,
            signed_headers,
            signature: decoded,
        })
    }

    /// The signing key: `HMAC("TC3" + sk, date)` → `service` → `"tc3_request"` (sign.py lines
    /// 40-44).
    pub(crate) fn signing_key(&self, secret: &Secret) -> Zeroizing<[u8; 32]> {
        let mut first_key = Zeroizing::new(Vec::with_capacity(3 + secret.expose().len()));
        first_key.extend_from_slice(b"TC3");
        first_key.extend_from_slice(secret.expose());
        let date_key = Zeroizing::new(hmac_sha256(&first_key, self.date.as_bytes()));
        let service_key = Zeroizing::new(hmac_sha256(&*date_key, self.service.as_bytes()));
        Zeroizing::new(hmac_sha256(&*service_key, b"tc3_request"))
    }

    /// Whether the signature is the one `signing_key` gives `canonical_request` at
    /// `timestamp` (the `X-TC-Timestamp` text), compared in constant time. The string to sign
    /// is `TC3-HMAC-SHA256\n{timestamp}\n{date}/{service}/tc3_request\nhex(sha256(canonical))`
    /// (abstract_client.py lines 255-263).
    pub(crate) fn verify(
        &self,
        signing_key: &[u8; 32],
        timestamp: &str,
        canonical_request: &[u8],
    ) -> bool {
        let mac = string_to_sign_mac(
            signing_key,
            timestamp,
            self.date,
            self.service,
            canonical_request,
        );
        mac.verify_slice(&self.signature).is_ok()
    }

    /// Whether `signing_key` signed one of the canonical requests a genuine client may have
    /// signed (see [`VARIANTS`]), tried most likely first and built only when
    /// needed.
    pub(crate) fn verify_request(
        &self,
        signing_key: &[u8; 32],
        timestamp: &str,
        request: (&Method, &Uri, &HeaderMap),
        payload_hash: &str,
    ) -> bool {
        let (method, uri, headers) = request;
        let mut tried: Vec<Vec<u8>> = Vec::new();
        for (lowercase, strip_port) in VARIANTS {
            let candidate = canonical_request(
                method,
                uri,
                headers,
                self.signed_headers,
                payload_hash,
                lowercase,
                strip_port,
            );
            if tried.contains(&candidate) {
                continue;
            }
            if self.verify(signing_key, timestamp, &candidate) {
                return true;
            }
            tried.push(candidate);
        }
        false
    }
}

fn string_to_sign_mac(
    signing_key: &[u8; 32],
    timestamp: &str,
    date: &str,
    service: &str,
    canonical_request: &[u8],
) -> HmacSha256 {
    let digest = hex::encode(Sha256::digest(canonical_request));
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(signing_key)
        .expect("HMAC takes keys of any length");
    for piece in [
        ALGORITHM,
        "\n",
        timestamp,
        "\n",
        date,
        "/",
        service,
        "/tc3_request\n",
        &digest,
    ] {
        mac.update(piece.as_bytes());
    }
    mac
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac =
        <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// `hex(sha256(payload))`, the canonical request's last line.
pub(crate) fn payload_hash(payload: &[u8]) -> String {
    hex::encode(Sha256::digest(payload))
}

fn is_scope_date(date: &str) -> bool {
    let b = date.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The canonical request `METHOD\nPATH\nQUERY\nHEADERS\nSIGNED\nPAYLOAD_HASH`
/// (abstract_client.py lines 229-253): PATH and QUERY as sent (the Python SDK signs
/// `req.uri`, `/`, and for GET the urlencoded query it sends, unsorted with `+` for spaces; for
/// POST it sends and signs no query), HEADERS one `name:value\n` line per signed header in the
/// client's order.
///
/// Header values are lowercased and trimmed as the API documentation says; because the Python
/// SDK signs them verbatim (line 245) and the Node SDK signs the host without the port it
/// sends, the verbatim values and the port-less host are tried too (each variant once): `(lowercase, strip_port)`, the
/// documented one first.
const VARIANTS: [(bool, bool); 4] = [(true, false), (false, false), (true, true), (false, true)];

fn canonical_request(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    signed_headers: &str,
    payload_hash: &str,
    lowercase: bool,
    strip_port: bool,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let push = |out: &mut Vec<u8>, piece: &[u8]| out.extend_from_slice(piece);
    push(&mut out, method.as_str().as_bytes());
    push(&mut out, b"\n");
    push(&mut out, uri.path().as_bytes());
    push(&mut out, b"\n");
    push(&mut out, uri.query().unwrap_or("").as_bytes());
    push(&mut out, b"\n");
    for name in signed_headers.split(';') {
        let lower_name = name.to_ascii_lowercase();
        let mut value = header_text(headers, &lower_name);
        if value.is_empty() && lower_name == "host" {
            // HTTP/2 carries the host in `:authority` (the request URI).
            if let Some(authority) = uri.authority() {
                value = std::borrow::Cow::Owned(authority.as_str().as_bytes().to_vec());
            }
        }
        let mut value = trim_ascii_whitespace(&value).to_vec();
        if strip_port && lower_name == "host" {
            if let Some(colon) = value.iter().rposition(|&b| b == b':') {
                if colon + 1 < value.len() && value[colon + 1..].iter().all(u8::is_ascii_digit) {
                    value.truncate(colon);
                }
            }
        }
        if lowercase {
            value.make_ascii_lowercase();
        }
        push(&mut out, lower_name.as_bytes());
        push(&mut out, b":");
        push(&mut out, &value);
        push(&mut out, b"\n");
    }
    push(&mut out, b"\n");
    push(&mut out, signed_headers.as_bytes());
    push(&mut out, b"\n");
    push(&mut out, payload_hash.as_bytes());
    out
}
