//! Header values as the signers see them.

use std::borrow::Cow;

use http::HeaderMap;

/// The value of header `name`: repeated headers joined with `,` (RFC 9110 §5.3's combination;
/// the SDKs send each signed header once), empty if absent.
pub(crate) fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Cow<'a, [u8]> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else {
        return Cow::Borrowed(&[]);
    };
    let Some(second) = values.next() else {
        return Cow::Borrowed(first.as_bytes());
    };
    let mut joined = first.as_bytes().to_vec();
    for value in std::iter::once(second).chain(values) {
        joined.push(b',');
        joined.extend_from_slice(value.as_bytes());
    }
    Cow::Owned(joined)
}

/// `value` without leading and trailing ASCII whitespace (Python's `bytes.strip()`, which the
/// BCE signer applies; the Node SDK's `strings.trim` strips the same characters in practice).
pub(crate) fn trim_ascii_whitespace(value: &[u8]) -> &[u8] {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let start = value
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |i| i + 1);
    &value[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_headers_join_with_commas() {
        let mut headers = HeaderMap::new();
        headers.append("x-bce-meta", "a".parse().unwrap());
        assert_eq!(&*header_text(&headers, "x-bce-meta"), b"a");
        headers.append("x-bce-meta", "b".parse().unwrap());
        assert_eq!(&*header_text(&headers, "x-bce-meta"), b"a,b");
        assert_eq!(&*header_text(&headers, "absent"), b"");
    }

    #[test]
    fn trimming_strips_ascii_whitespace_only_at_the_ends() {
        assert_eq!(trim_ascii_whitespace(b" \t a b \r\n"), b"a b");
        assert_eq!(trim_ascii_whitespace(b"   "), b"");
        assert_eq!(trim_ascii_whitespace(b""), b"");
    }
}
