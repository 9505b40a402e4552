//! The request fingerprint (what "the same request" means) and the store key (whose token, on
//! which route).

use std::fmt;

use http::request::Parts;
use http::HeaderName;
use sha2::{Digest, Sha256};

use super::token::{is_param, query_pairs};

/// What makes two requests with one client token "the same request": a SHA-256 over the
/// method, the path, the query without the token, the headers that carry parameters and the
/// SHA-256 of the body.
///
/// Exactly (each item length-prefixed, so no two different requests encode alike):
///
/// 1. the domain tag `tower-cloud-error/fingerprint/v1`;
/// 2. the method;
/// 3. the path, as sent (not decoded);
/// 4. the query's `&`-separated pieces as sent, without the token parameter and empty pieces,
///    sorted bytewise (so a retry that orders its parameters differently still matches);
/// 5. the fingerprinted headers (see
///    [`ClientTokenLayer::fingerprint_header`](super::ClientTokenLayer::fingerprint_header)):
///    lower-case name and value, sorted by name, a name's values in their order;
/// 6. the SHA-256 of the body.
///
/// Never part of it: `Authorization`, dates (`x-bce-date`, `Date`, `X-TC-Timestamp`), request
/// ids, `Host`, `User-Agent`, `Content-Length` (the body hash covers it) and everything else a
/// client changes between two tries of one call.
///
/// ```
/// use tower_cloud_error::idempotency::Fingerprint;
///
/// let fingerprint = Fingerprint::from_bytes([7; 32]);
/// assert_eq!(fingerprint.as_bytes(), &[7; 32]);
/// assert_eq!(format!("{fingerprint:?}"), format!("Fingerprint({})", "07".repeat(32)));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint whose SHA-256 is `bytes` (stores read fingerprints back this way).
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 32]) -> Fingerprint {
        Fingerprint(bytes)
    }

    /// The SHA-256.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({})", hex(&self.0))
    }
}

/// Where a token lives in a store: a SHA-256 over the caller, the route (method and path; for
/// Tencent also the action) and the token, so that two callers, or two routes, never share a
/// token, and a key has a fixed size whatever the client sent.
///
/// ```
/// use tower_cloud_error::idempotency::StoreKey;
///
/// let key = StoreKey::from_bytes([0xab; 32]);
/// assert_eq!(key.to_hex(), "ab".repeat(32));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoreKey([u8; 32]);

impl StoreKey {
    /// The key whose SHA-256 is `bytes`.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 32]) -> StoreKey {
        StoreKey(bytes)
    }

    /// The SHA-256.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The SHA-256 in lower-case hex (64 characters), as the Redis store names its keys.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreKey({})", hex(&self.0))
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// A SHA-256 over length-prefixed items.
struct Items(Sha256);

impl Items {
    fn new(tag: &str) -> Items {
        let mut items = Items(Sha256::new());
        items.push(tag.as_bytes());
        items
    }

    fn push(&mut self, item: &[u8]) {
        self.0.update((item.len() as u64).to_be_bytes());
        self.0.update(item);
    }

    fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

/// Which request headers are part of the fingerprint.
#[derive(Debug, Clone)]
pub(crate) struct HeaderRule {
    /// Headers fingerprinted by name.
    pub(crate) names: Vec<HeaderName>,
    /// Headers fingerprinted by prefix (`x-bce-`), except `prefix_exceptions`.
    pub(crate) prefix: Option<&'static str>,
    pub(crate) prefix_exceptions: &'static [&'static str],
}

impl HeaderRule {
    fn matches(&self, name: &HeaderName) -> bool {
        self.names.contains(name)
            || self.prefix.is_some_and(|prefix| {
                name.as_str().starts_with(prefix)
                    && !self.prefix_exceptions.contains(&name.as_str())
            })
    }
}

/// The fingerprint of a request whose body hashes to `body_sha256`; `token_param` is the query
/// parameter that carries the token (left out), if any.
pub(crate) fn fingerprint(
    parts: &Parts,
    token_param: Option<&str>,
    headers: &HeaderRule,
    body_sha256: [u8; 32],
) -> Fingerprint {
    let mut items = Items::new("tower-cloud-error/fingerprint/v1");
    items.push(parts.method.as_str().as_bytes());
    items.push(parts.uri.path().as_bytes());

    let mut query: Vec<&str> = query_pairs(parts.uri.query().unwrap_or(""))
        .filter(|pair| token_param.is_none_or(|name| !is_param(pair, name)))
        .collect();
    query.sort_unstable();
    items.push(&(query.len() as u64).to_be_bytes());
    for pair in query {
        items.push(pair.as_bytes());
    }

    let mut selected: Vec<(&HeaderName, &[u8])> = parts
        .headers
        .iter()
        .filter(|(name, _)| headers.matches(name))
        .map(|(name, value)| (name, value.as_bytes()))
        .collect();
    // Stable: one name's values keep their order.
    selected.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    items.push(&(selected.len() as u64).to_be_bytes());
    for (name, value) in selected {
        items.push(name.as_str().as_bytes());
        items.push(value);
    }

    items.push(&body_sha256);
    Fingerprint(items.finish())
}

/// The key of `token` for `caller` on the route of `parts` (`action`: Tencent's `X-TC-Action`).
pub(crate) fn store_key(
    caller: Option<&str>,
    parts: &Parts,
    action: Option<&str>,
    token: &str,
) -> StoreKey {
    let mut items = Items::new("tower-cloud-error/client-token-key/v1");
    match caller {
        Some(caller) => {
            items.push(b"caller");
            items.push(caller.as_bytes());
        }
        None => items.push(b"anonymous"),
    }
    items.push(parts.method.as_str().as_bytes());
    items.push(parts.uri.path().as_bytes());
    items.push(action.unwrap_or("").as_bytes());
    items.push(token.as_bytes());
    StoreKey(items.finish())
}

#[cfg(test)]
mod tests {
    use http::Request;

    use super::*;

    fn parts(request: Request<()>) -> Parts {
        request.into_parts().0
    }

    fn bce_rule() -> HeaderRule {
        HeaderRule {
            names: vec![http::header::CONTENT_TYPE],
            prefix: Some("x-bce-"),
            prefix_exceptions: &["x-bce-date", "x-bce-request-id"],
        }
    }

    fn print(request: Request<()>, body: [u8; 32]) -> Fingerprint {
        fingerprint(&parts(request), Some("clientToken"), &bce_rule(), body)
    }

    #[test]
    fn retries_of_one_call_share_a_fingerprint() {
        let first = Request::post("/v1/eip?clientToken=a&b=1&c=2")
            .header("content-type", "application/json")
            .header("authorization", "bce-auth-v1/ak/1")
            .header("x-bce-date", "2026-01-01T00:00:00Z")
            .header("x-bce-request-id", "r-1")
            .header("host", "a")
            .body(())
            .unwrap();
        let retry = Request::post("/v1/eip?c=2&clientToken=a&b=1")
            .header("content-type", "application/json")
            .header("authorization", "bce-auth-v1/ak/2")
            .header("x-bce-date", "2026-01-01T00:00:05Z")
            .header("x-bce-request-id", "r-2")
            .header("host", "b")
            .body(())
            .unwrap();
        assert_eq!(print(first, [1; 32]), print(retry, [1; 32]));
    }

    #[test]
    fn every_part_of_the_request_counts() {
        let base = || Request::post("/v1/eip?x=1&clientToken=a");
        let reference = print(base().body(()).unwrap(), [1; 32]);
        let variants = [
            print(base().body(()).unwrap(), [2; 32]),
            print(Request::put("/v1/eip?x=1").body(()).unwrap(), [1; 32]),
            print(Request::post("/v1/eips?x=1").body(()).unwrap(), [1; 32]),
            print(Request::post("/v1/eip?x=2").body(()).unwrap(), [1; 32]),
            print(Request::post("/v1/eip?x=1&y").body(()).unwrap(), [1; 32]),
            print(
                base()
                    .header("content-type", "text/plain")
                    .body(())
                    .unwrap(),
                [1; 32],
            ),
            print(
                base().header("x-bce-acl", "private").body(()).unwrap(),
                [1; 32],
            ),
        ];
        for (i, variant) in variants.iter().enumerate() {
            assert_ne!(*variant, reference, "variant {i}");
        }
        // The token itself is not part of the fingerprint; its key is.
        assert_eq!(
            print(
                Request::post("/v1/eip?x=1&clientToken=b").body(()).unwrap(),
                [1; 32]
            ),
            reference
        );
    }

    #[test]
    fn keys_separate_callers_routes_and_tokens() {
        let post = parts(Request::post("/v1/eip").body(()).unwrap());
        let key = store_key(Some("alice"), &post, None, "t");
        assert_eq!(key, store_key(Some("alice"), &post, None, "t"));
        let put = parts(Request::put("/v1/eip").body(()).unwrap());
        let other_path = parts(Request::post("/v1/eip/1").body(()).unwrap());
        for other in [
            store_key(Some("bob"), &post, None, "t"),
            store_key(None, &post, None, "t"),
            store_key(Some(""), &post, None, "t"),
            store_key(Some("alice"), &put, None, "t"),
            store_key(Some("alice"), &other_path, None, "t"),
            store_key(Some("alice"), &post, Some("RunInstances"), "t"),
            store_key(Some("alice"), &post, None, "u"),
        ] {
            assert_ne!(other, key);
        }
    }
}
