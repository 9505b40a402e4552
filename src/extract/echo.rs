//! Text from the request (a parameter name, serde's description of a value), made safe to echo
//! in a message.

/// The most characters of a parameter name or path echoed in a message.
pub(super) const MAX_NAME_CHARS: usize = 128;

/// The most characters of a value description echoed in a message (BCE only).
pub(super) const MAX_DETAIL_CHARS: usize = 384;

/// A parameter name or path from the request, safe to quote between backticks: see [`echo`];
/// a backtick in the name is replaced too, so the quoting stays unambiguous.
pub(super) fn name(text: &str) -> String {
    echo(text, MAX_NAME_CHARS, true)
}

/// A description that may hold request text (serde's `invalid type: string "…"`): see
/// [`echo`]. Backticks are kept: serde quotes names with them.
pub(super) fn detail(text: &str) -> String {
    echo(text, MAX_DETAIL_CHARS, false)
}

/// `text` with every character that could hide or reorder what a reader sees replaced by
/// U+FFFD, and cut after `max_chars` characters (with `…`).
///
/// Replaced: control characters (C0, DEL, C1: line breaks, escape sequences), bidirectional
/// overrides and isolates, zero-width characters and the byte order mark, and with
/// `backticks`, the backtick. The envelope is escaped JSON whatever the text; this keeps the
/// *message* readable and honest in a log viewer or a terminal.
fn echo(text: &str, max_chars: usize, backticks: bool) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4 + 3));
    for (count, c) in text.chars().enumerate() {
        if count == max_chars {
            out.push('…');
            break;
        }
        let replace = is_invisible(c) || (backticks && c == '`');
        out.push(if replace { '\u{FFFD}' } else { c });
    }
    out
}

fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(name("Filters.0.Name"), "Filters.0.Name");
        assert_eq!(name("名称"), "名称");
        assert_eq!(name(""), "");
        assert_eq!(
            detail("unknown variant `Weekly`"),
            "unknown variant `Weekly`"
        );
    }

    #[test]
    fn controls_and_invisible_characters_are_replaced() {
        assert_eq!(name("a\nb\r\u{1b}[31m"), "a\u{FFFD}b\u{FFFD}\u{FFFD}[31m");
        assert_eq!(
            name("\u{202E}evil\u{200B}`"),
            "\u{FFFD}evil\u{FFFD}\u{FFFD}"
        );
        assert_eq!(detail("\u{202E}evil\u{200B}`"), "\u{FFFD}evil\u{FFFD}`");
        assert_eq!(name("\u{0}\u{7f}\u{85}\u{FEFF}"), "\u{FFFD}".repeat(4));
    }

    #[test]
    fn long_text_is_cut_at_a_character() {
        assert_eq!(echo("abcdef", 3, true), "abc…");
        assert_eq!(echo("abc", 3, true), "abc");
        let cut = name(&"名".repeat(1000));
        assert_eq!(cut.chars().count(), MAX_NAME_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(
            detail(&"x".repeat(1000)).chars().count(),
            MAX_DETAIL_CHARS + 1
        );
    }
}
