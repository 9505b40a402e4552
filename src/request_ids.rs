//! Request ids: the default generator and the rule for ids that come from outside.

use std::cell::RefCell;

use bytes::Bytes;
use http::{HeaderValue, Request};
use tower_http::request_id::{MakeRequestId, RequestId};

/// The longest request id accepted from a client or an outer layer.
pub const MAX_REQUEST_ID_LEN: usize = 128;

/// The default request-id generator: a random UUID v4, hyphenated, lower case
/// (`ae2225f7-1c2e-427a-a1ad-5413b762957d`), as BCE and Tencent servers send.
///
/// Each id is 122 random bits (the other 6 are UUID v4's version and variant) from `rand`'s
/// thread-local generator: ChaCha12, seeded from the operating system and reseeded from it
/// every 64 KiB of output. Distinct ids come from that randomness alone (no counter, no clock,
/// no host part): two of a billion ids collide with a probability below 1e-19.
///
/// Ids are drawn 16 at a time per thread, hex-encoded into one shared buffer of 576 bytes
/// (one allocation per 16 ids); each id handed out is a reference-counted view of its 36 bytes,
/// shared without copying by the request extension, the response header and the body. A view
/// kept after its response (a handler that stores the [`RequestId`]) keeps the buffer alive:
/// copy its bytes to keep it longer. A process that `fork`s after making ids shares with its
/// child the up to 15 ids left in the forking thread's batch (see docs/fuzzing.md,
/// "Randomness").
///
/// Plug in your own generator with
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

/// How many ids a thread draws at once: one allocation and one call into the random generator
/// per this many ids. Small, so that an id kept alive keeps little else alive.
const BATCH: usize = 16;

thread_local! {
    /// The ids this thread has drawn and not handed out yet, back to back.
    static DRAWN: RefCell<Bytes> = const { RefCell::new(Bytes::new()) };
}

/// A fresh UUID v4 as a header value: a view of the thread's batch of ids, shared (not copied)
/// by the clones for the extension, the header and the body.
pub(crate) fn new_uuid_v4() -> HeaderValue {
    let id = DRAWN.with(|drawn| {
        let mut drawn = drawn.borrow_mut();
        if drawn.is_empty() {
            *drawn = draw_batch();
        }
        drawn.split_to(UUID_LEN)
    });
    HeaderValue::from_maybe_shared(id)
        .unwrap_or_else(|_| unreachable!("a UUID is a valid header value"))
}

/// [`BATCH`] new hyphenated UUID v4s, back to back, in one reference-counted buffer.
#[cold]
fn draw_batch() -> Bytes {
    let mut random = [0u8; 16 * BATCH];
    rand::fill(&mut random[..]);
    let mut text = [0u8; UUID_LEN * BATCH];
    for (random, out) in random.chunks_exact(16).zip(text.chunks_exact_mut(UUID_LEN)) {
        let (high, low) = random.split_at(8);
        let high = u64::from_le_bytes(high.try_into().expect("8 bytes"));
        let low = u64::from_le_bytes(low.try_into().expect("8 bytes"));
        out.copy_from_slice(&uuid_v4_text(high, low));
    }
    Bytes::from_owner(text)
}

/// The hyphenated lower-case UUID v4 whose 32 hex digits are the nibbles of `high` and `low`,
/// but for the version digit (`4`) and the top two bits of the variant digit (`10`): 122 of the
/// 128 bits show.
fn uuid_v4_text(high: u64, low: u64) -> [u8; UUID_LEN] {
    const NIBBLES: u64 = 0x0f0f_0f0f_0f0f_0f0f;
    // Digits 0–15 come from `high`, 16–31 from `low`; each group of eight is one word holding
    // one nibble per byte, the first digit in the most significant byte.
    let digits_0_7 = high & NIBBLES;
    // Digit 12 (byte 4 of this word) is the version: 4.
    let digits_8_15 = ((high >> 4) & NIBBLES & !(0x0f << 24)) | (0x04 << 24);
    // Digit 16 (byte 0) is the variant: binary 10xx.
    let digits_16_23 = ((low & NIBBLES) & !(0x0c << 56)) | (0x08 << 56);
    let digits_24_31 = (low >> 4) & NIBBLES;
    let (a, b, c, d) = (
        hex_digits(digits_0_7),
        hex_digits(digits_8_15),
        hex_digits(digits_16_23),
        hex_digits(digits_24_31),
    );
    let mut out = [b'-'; UUID_LEN];
    out[0..8].copy_from_slice(&a);
    out[9..13].copy_from_slice(&b[..4]);
    out[14..18].copy_from_slice(&b[4..]);
    out[19..23].copy_from_slice(&c[..4]);
    out[24..28].copy_from_slice(&c[4..]);
    out[28..36].copy_from_slice(&d);
    out
}

/// Eight lower-case hex digits, one per byte of `nibbles` (each byte 0–15), most significant
/// first: all eight at once, offset to `0`–`9` or `a`–`f`.
fn hex_digits(nibbles: u64) -> [u8; 8] {
    // 1 in each byte whose nibble is 10 or more.
    let letters = ((nibbles + 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101;
    let ascii = nibbles + 0x3030_3030_3030_3030 + letters * u64::from(b'a' - b'0' - 10);
    ascii.to_be_bytes()
}

/// The words [`uuid_v4_text`] turns into the digits of `bytes`, for tests (a UUID's own bytes
/// must come out as uuid writes them).
#[cfg(test)]
fn words_of(bytes: &[u8; 16]) -> (u64, u64) {
    let mut words = [0u64; 2];
    for (i, &byte) in bytes.iter().enumerate() {
        for (j, nibble) in [byte >> 4, byte & 0xf].into_iter().enumerate() {
            // Digit `d` of a word: the low nibble of its byte `7 - d` for the first eight, the
            // high nibble of its byte `15 - d` for the next eight.
            let d = (2 * i + j) % 16;
            let shift = if d < 8 { 8 * (7 - d) } else { 8 * (15 - d) + 4 };
            words[(2 * i + j) / 16] |= u64::from(nibble) << shift;
        }
    }
    (words[0], words[1])
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
    fn text_shows_the_random_bits_as_uuid_does() {
        // Any UUID v4 comes out as uuid writes it: every random bit shows, in order.
        for _ in 0..1000 {
            let id = uuid::Uuid::new_v4();
            let (high, low) = words_of(id.as_bytes());
            let ours = uuid_v4_text(high, low);
            assert_eq!(
                std::str::from_utf8(&ours).unwrap(),
                id.hyphenated().to_string()
            );
        }
        // All ones and all zeros: only the version and variant bits are fixed.
        assert_eq!(
            &uuid_v4_text(u64::MAX, u64::MAX),
            b"ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        assert_eq!(&uuid_v4_text(0, 0), b"00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn every_nibble_has_its_digit() {
        for nibble in 0..16u64 {
            let repeated = nibble * 0x0101_0101_0101_0101;
            assert_eq!(
                hex_digits(repeated),
                *format!("{:08x}", nibble * 0x1111_1111).as_bytes()
            );
        }
        assert_eq!(&hex_digits(0x0001_0203_0a0b_0c0f), b"0123abcf");
    }

    #[test]
    fn ids_span_batches_without_sharing_bytes() {
        // Three batches and a half: every id a distinct, complete view of its own 36 bytes.
        let ids: Vec<HeaderValue> = (0..BATCH * 7 / 2).map(|_| new_uuid_v4()).collect();
        let distinct: HashSet<&[u8]> = ids.iter().map(HeaderValue::as_bytes).collect();
        assert_eq!(distinct.len(), ids.len());
        for id in &ids {
            assert_eq!(id.len(), UUID_LEN);
            assert!(uuid::Uuid::parse_str(id.to_str().unwrap()).is_ok());
        }
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
