//! Request ids: the default generator and the rule for ids that come from outside.

use bytes::Bytes;
use http::{HeaderValue, Request};
use tower_http::request_id::{MakeRequestId, RequestId};

/// The longest request id accepted from a client or an outer layer.
pub const MAX_REQUEST_ID_LEN: usize = 128;

/// The default request-id generator: a random UUID v4, hyphenated, lower case
/// (`ae2225f7-1c2e-427a-a1ad-5413b762957d`), as BCE and Tencent servers send.
///
/// Randomness comes from uuid's `fast-rng` feature (the `rand` crate's thread-local generator,
/// seeded from the operating system). Plug in your own generator with
/// [`CloudErrorLayer::make_request_id`](crate::CloudErrorLayer::make_request_id): any
/// [`MakeRequestId`] works.
///
/// ```
/// use http::Request;
/// use tower_cloud_error::request_id::MakeRequestUuidV4;
/// use tower_http::request_id::MakeRequestId;
///
/// let id = MakeRequestUuidV4::default().make_request_id(&Request::new(())).unwrap();
/// let id = id.header_value().to_str().unwrap();
/// assert_eq!(id.len(), 36);
/// assert_eq!(&id[14..15], "4"); // version 4
/// ```
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct MakeRequestUuidV4;

impl MakeRequestId for MakeRequestUuidV4 {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        Some(RequestId::new(new_uuid_v4()))
    }
}

/// The length of a hyphenated UUID.
const UUID_LEN: usize = 36;

/// A fresh UUID v4 as a header value: one allocation, shared (not copied) by the clones for the
/// extension, the header and the body.
///
/// `HeaderValue::from_str` would copy into a `Vec`-backed `Bytes`, which allocates a second time
/// on its first clone; an owned array behind `Bytes::from_owner` is reference-counted from the
/// start.
pub(crate) fn new_uuid_v4() -> HeaderValue {
    let text = hyphenated_lower(uuid::Uuid::new_v4().as_bytes());
    HeaderValue::from_maybe_shared(Bytes::from_owner(text))
        .unwrap_or_else(|_| unreachable!("a UUID is a valid header value"))
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lower case, two hex digits per table lookup.
fn hyphenated_lower(bytes: &[u8; 16]) -> [u8; UUID_LEN] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    const PAIRS: [[u8; 2]; 256] = {
        let mut pairs = [[0; 2]; 256];
        let mut i = 0;
        while i < 256 {
            pairs[i] = [HEX[i >> 4], HEX[i & 0xf]];
            i += 1;
        }
        pairs
    };
    let mut out = [b'-'; UUID_LEN];
    let mut at = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            at += 1; // the hyphen already in `out`
        }
        let [high, low] = PAIRS[usize::from(byte)];
        out[at] = high;
        out[at + 1] = low;
        at += 2;
    }
    out
}

/// Whether an id that came from outside (a client header, an outer layer) may be used: 1 to
/// [`MAX_REQUEST_ID_LEN`] bytes of `A-Z a-z 0-9 - _ . :`.
///
/// ```
/// use tower_cloud_error::request_id::is_valid_request_id;
///
/// assert!(is_valid_request_id(b"ae2225f7-1c2e-427a-a1ad-5413b762957d"));
/// assert!(!is_valid_request_id(b"id\r\nSet-Cookie: x"));
/// assert!(!is_valid_request_id(b""));
/// ```
#[must_use]
pub fn is_valid_request_id(id: &[u8]) -> bool {
    // Branch-free per byte, so the loop vectorizes: every generated id is checked on every
    // request.
    !id.is_empty()
        && id.len() <= MAX_REQUEST_ID_LEN
        && id.iter().fold(true, |valid, &b| valid & is_id_byte(b))
}

/// `A-Z a-z 0-9 - _ . :`, as range checks without branches.
#[inline(always)]
fn is_id_byte(b: u8) -> bool {
    let digit = b.wrapping_sub(b'0') < 10;
    let letter = (b | 0x20).wrapping_sub(b'a') < 26;
    let punctuation = (b == b'-') | (b == b'_') | (b == b'.') | (b == b':');
    digit | letter | punctuation
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn uuids_are_well_formed_and_distinct() {
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let id = new_uuid_v4();
            let text = id.to_str().unwrap();
            let parsed = uuid::Uuid::parse_str(text).unwrap();
            assert_eq!(parsed.get_version_num(), 4);
            assert_eq!(text, parsed.hyphenated().to_string());
            assert!(is_valid_request_id(id.as_bytes()));
            assert!(seen.insert(id));
        }
    }

    #[test]
    fn hex_encoding_matches_uuid() {
        for _ in 0..1000 {
            let id = uuid::Uuid::new_v4();
            let ours = hyphenated_lower(id.as_bytes());
            assert_eq!(
                std::str::from_utf8(&ours).unwrap(),
                id.hyphenated().to_string()
            );
        }
        let max = uuid::Uuid::max();
        assert_eq!(
            &hyphenated_lower(max.as_bytes()),
            b"ffffffff-ffff-ffff-ffff-ffffffffffff"
        );
    }

    #[test]
    fn id_bytes_are_exactly_the_documented_ones() {
        for b in 0..=255u8 {
            let documented = b.is_ascii_alphanumeric() || b"-_.:".contains(&b);
            assert_eq!(is_id_byte(b), documented, "{b:#x}");
        }
    }

    #[test]
    fn validation_rejects_unsafe_ids() {
        for bad in [
            &b""[..],
            b" ",
            b"a b",
            b"a\0b",
            b"a\rb",
            b"a\nb",
            b"caf\xc3\xa9",
            b"a\"b",
            b"<script>",
        ] {
            assert!(!is_valid_request_id(bad), "{bad:?}");
        }
        assert!(is_valid_request_id(&[b'a'; MAX_REQUEST_ID_LEN]));
        assert!(!is_valid_request_id(&[b'a'; MAX_REQUEST_ID_LEN + 1]));
        assert!(is_valid_request_id(b"req-01.A_b:9"));
    }
}
