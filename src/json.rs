//! Minimal JSON string writing for envelopes: no intermediate value trees, no error paths.

/// Appends `value` to `out` as a JSON string literal, quotes included.
///
/// Escapes `"`, `\` and every control character, so any Rust string (which is valid UTF-8)
/// becomes valid JSON. Runs of bytes that need no escape are copied whole.
pub(crate) fn push_json_string(out: &mut Vec<u8>, value: &str) {
    out.reserve(value.len() + 2);
    out.push(b'"');
    let mut rest = value.as_bytes();
    while let Some(at) = find_escape(rest) {
        out.extend_from_slice(&rest[..at]);
        push_escape(out, rest[at]);
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Appends a code name as a JSON string literal, quotes included, without looking for escapes:
/// code names are `[A-Za-z0-9._-]` by construction (every `Code` constructor checks), so none
/// is needed.
pub(crate) fn push_code_name(out: &mut Vec<u8>, name: &str) {
    debug_assert!(find_escape(name.as_bytes()).is_none(), "{name:?}");
    out.reserve(name.len() + 2);
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.push(b'"');
}

/// The position of the first byte of `bytes` that needs an escape. Skips eight clean bytes at
/// a time (envelope strings are mostly clean: a fraction of a table lookup per byte), then
/// settles the rest byte by byte.
#[inline(always)]
fn find_escape(bytes: &[u8]) -> Option<usize> {
    let mut clean = 0;
    for word in bytes.chunks_exact(8) {
        let word = u64::from_le_bytes([
            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
        ]);
        if may_need_escape(word) {
            break;
        }
        clean += 8;
    }
    // The last bytes (fewer than eight) in one more word, overlapping the clean ones before.
    if clean == bytes.len() {
        return None;
    }
    if clean >= 8 && bytes.len() - clean < 8 {
        let last = &bytes[bytes.len() - 8..];
        let word = u64::from_le_bytes([
            last[0], last[1], last[2], last[3], last[4], last[5], last[6], last[7],
        ]);
        if !may_need_escape(word) {
            return None;
        }
    }
    bytes[clean..]
        .iter()
        .position(|&b| NEEDS_ESCAPE[usize::from(b)])
        .map(|at| clean + at)
}

/// Whether one of the eight bytes of `word` may need an escape: a byte below 0x20, `"`, `\` or
/// DEL. Never a false "no" (the classic "has a zero byte" test; a "yes" is settled byte by
/// byte).
#[inline(always)]
fn may_need_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    (below_space
        | zero(word ^ (ONES * u64::from(b'"')))
        | zero(word ^ (ONES * u64::from(b'\\')))
        | zero(word ^ (ONES * 0x7f)))
        & HIGH
        != 0
}

/// Bytes that cannot appear raw in a JSON string: `"`, `\`, the C0 controls and DEL.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[0x7f] = true;
    table
};

fn push_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ]),
    }
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
    fn escapes_are_found_at_every_offset_of_a_word() {
        for special in ['"', '\\', '\u{0}', '\u{1f}', '\u{7f}', '\n'] {
            for at in 0..20 {
                let mut value: String = "abcdefghijklmnopqrst".into();
                value.replace_range(at..=at, &special.to_string());
                roundtrip(&value);
                let mut out = Vec::new();
                push_json_string(&mut out, &value);
                assert_eq!(
                    out.iter().filter(|&&b| b == b'\\').count(),
                    if special == '\\' { 2 } else { 1 },
                    "{value:?}"
                );
            }
        }
        // Bytes just around the escaped ranges need none.
        roundtrip(" !#[]~\u{80}é中 !#[]~");
    }

    #[test]
    fn code_names_are_written_as_they_are() {
        let mut out = Vec::new();
        push_code_name(&mut out, "InvalidParameter.Name_x-1");
        assert_eq!(out, br#""InvalidParameter.Name_x-1""#);
    }

    #[test]
    fn output_is_exact() {
        let mut out = Vec::new();
        push_json_string(&mut out, "a\"b\u{1}");
        assert_eq!(out, br#""a\"b\u0001""#);
    }
}
