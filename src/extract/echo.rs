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

/// A request header's text (e.g. a date that does not parse), safe to quote in a message:
/// see [`echo`].
pub(crate) fn header_value(text: &str) -> String {
    echo(text, MAX_NAME_CHARS, false)
}

/// `text` with every character that could hide or reorder what a reader sees replaced by
/// U+FFFD (see [`is_hidden`]), and cut after `max_chars` characters (with `…`). With
/// `backticks`, the backtick is replaced too. The envelope is escaped JSON whatever the text;
/// this keeps the *message* readable and honest in a log viewer or a terminal.
fn echo(text: &str, max_chars: usize, backticks: bool) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4 + 3));
    for (count, c) in text.chars().enumerate() {
        if count == max_chars {
            out.push('…');
            break;
        }
        let replace = is_hidden(c) || (backticks && c == '`');
        out.push(if replace { '\u{FFFD}' } else { c });
    }
    out
}

/// Whether `c` is invisible, or changes how the text around it is seen, so that it is never
/// echoed to a client nor written raw to a log:
///
/// - by Unicode general category (from `unicode-general-category`, not a hand-written list):
///   `Cc` (C0, DEL, C1: line breaks, escape sequences), `Cf` (bidi marks, overrides and
///   isolates such as U+061C and U+202E, zero-width characters, U+00AD, U+180E, the byte order
///   mark, interlinear annotations U+FFF9–FFFB, tags U+E0000–E007F), `Zl` and `Zp` (U+2028,
///   U+2029), `Co` (private use: no agreed glyph) and `Cn` (unassigned in the crate's Unicode
///   version);
/// - the fillers and ignorables that are letters or marks by category but show nothing:
///   Hangul fillers U+115F, U+1160, U+3164, U+FFA0; U+034F (combining grapheme joiner);
///   U+17B4, U+17B5 (Khmer inherent vowels); variation selectors U+FE00–FE0F and
///   U+E0100–E01EF; and U+2800 (Braille blank), which looks like a space but is not one —
///   a name made of it would read as empty.
///
/// Visible spaces (`Zs`, e.g. U+3000) are kept: they show as space.
pub(crate) fn is_hidden(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    matches!(
        get_general_category(c),
        G::Control
            | G::Format
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::PrivateUse
            | G::Surrogate
            | G::Unassigned
    ) || matches!(
        c,
        '\u{115F}'
            | '\u{1160}'
            | '\u{3164}'
            | '\u{FFA0}'
            | '\u{034F}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{E0100}'..='\u{E01EF}'
            | '\u{2800}'
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
    fn each_reported_invisible_character_is_replaced() {
        let reported = [
            ('\u{061C}', "arabic letter mark (Cf)"),
            ('\u{2028}', "line separator (Zl)"),
            ('\u{2029}', "paragraph separator (Zp)"),
            ('\u{E0000}', "tag range start (Cn)"),
            ('\u{E0001}', "language tag (Cf)"),
            ('\u{E0041}', "tag latin capital A (Cf)"),
            ('\u{E007F}', "cancel tag (Cf)"),
            ('\u{00AD}', "soft hyphen (Cf)"),
            ('\u{180E}', "mongolian vowel separator (Cf)"),
            ('\u{3164}', "hangul filler (Lo)"),
            ('\u{FFF9}', "interlinear annotation anchor (Cf)"),
            ('\u{034F}', "combining grapheme joiner (Mn)"),
            ('\u{115F}', "hangul choseong filler"),
            ('\u{1160}', "hangul jungseong filler"),
            ('\u{FFA0}', "halfwidth hangul filler"),
            ('\u{2800}', "braille blank"),
            ('\u{FE0F}', "variation selector"),
            ('\u{E000}', "private use (Co)"),
            ('\u{0378}', "unassigned (Cn)"),
        ];
        for (c, what) in reported {
            let text = format!("a{c}b");
            assert_eq!(name(&text), "a\u{FFFD}b", "{what}: U+{:04X}", u32::from(c));
            assert_eq!(
                detail(&text),
                "a\u{FFFD}b",
                "{what}: U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn visible_text_of_every_script_is_kept() {
        for text in [
            "名称",
            "Имя",
            "اسم",
            "ชื่อ",
            "이름",
            "a\u{3000}b",
            "e\u{301}",
            "😀",
        ] {
            assert_eq!(name(text), text);
        }
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
