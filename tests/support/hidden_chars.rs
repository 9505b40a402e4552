//! The test oracle for the echo filter: characters that are invisible or change how the text
//! around them reads, by Unicode general category (Cc, Cf, Zl, Zp, Co, Cs, Cn) and the invisible
//! fillers. Written from the categories, not from the crate's code, and shared by the tests that
//! check reflected messages.

use unicode_general_category::{get_general_category, GeneralCategory as G};

/// The oracle, from the categories (not from the crate's code).
pub fn is_hidden(c: char) -> bool {
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
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{034F}' | '\u{2800}'
    )
}
