//! Percent-encoding as the BCE signers do it, and the decoding the verifier applies first.

/// Appends `bytes` percent-encoded: every byte except `A-Za-z0-9.~-_` as `%XX` with uppercase
/// hex; `/` kept when `keep_slash` (paths). Follows bce-python-sdk 0.9.79 `baidubce/utils.py`
/// `_get_normalized_char_list` / `normalize_string`.
pub(crate) fn bce_encode_into(out: &mut String, bytes: &[u8], keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in bytes {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'.' | b'~' | b'-' | b'_')
            || (keep_slash && byte == b'/')
        {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// Percent-decodes `text` (either hex case); a `%` not followed by two hex digits stays a
/// literal `%`. `+` stays a `+`: the BCE SDKs never send a bare `+` for a space.
pub(crate) fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                out.push(high << 4 | low);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(bytes: &[u8], keep_slash: bool) -> String {
        let mut out = String::new();
        bce_encode_into(&mut out, bytes, keep_slash);
        out
    }

    #[test]
    fn unreserved_bytes_stay_and_the_rest_is_uppercase_hex() {
        assert_eq!(encode(b"aZ09.~-_", false), "aZ09.~-_");
        assert_eq!(encode(b"a b/c!*'()+", false), "a%20b%2Fc%21%2A%27%28%29%2B");
        assert_eq!(encode(b"/v1/eip/a b", true), "/v1/eip/a%20b");
        assert_eq!(encode("é".as_bytes(), true), "%C3%A9");
    }

    #[test]
    fn decoding_takes_either_case_and_keeps_stray_percents() {
        assert_eq!(percent_decode("%2a%2A%7e"), b"**~");
        assert_eq!(percent_decode("100%"), b"100%");
        assert_eq!(percent_decode("%4"), b"%4");
        assert_eq!(percent_decode("%zz+"), b"%zz+");
    }
}
