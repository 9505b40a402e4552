//! Minimal JSON string writing for envelopes: no intermediate value trees, no error paths.

/// Appends `value` to `out` as a JSON string literal, quotes included.
///
/// Escapes `"`, `\` and every control character, so any Rust string (which is valid UTF-8)
/// becomes valid JSON.
pub(crate) fn push_json_string(out: &mut Vec<u8>, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = value.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1f | 0x7f => &[],
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(value: &str) {
        let mut out = Vec::new();
        push_json_string(&mut out, value);
        let parsed: String = serde_json::from_slice(&out).expect("valid JSON");
        assert_eq!(parsed, value);
    }

    #[test]
    fn every_string_round_trips() {
        roundtrip("");
        roundtrip("plain");
        roundtrip("quote \" backslash \\ slash / ");
        roundtrip("ctl \u{0} \u{1} \u{1f} \u{7f} \n\r\t\u{8}\u{c}");
        roundtrip("中文消息。emoji 🦀 \u{2028}\u{2029}");
        let all: String = (0u32..0x800).filter_map(char::from_u32).collect();
        roundtrip(&all);
    }

    #[test]
    fn output_is_exact() {
        let mut out = Vec::new();
        push_json_string(&mut out, "a\"b\u{1}");
        assert_eq!(out, br#""a\"b\u0001""#);
    }
}
