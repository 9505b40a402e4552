//! Property test of the echo filter: whatever a client puts in a JSON key, a value or a
//! parameter name, no message the extract functions build (BCE and Tencent, both languages)
//! reflects a character that is invisible or changes how the text around it reads: general
//! categories Cc, Cf, Zl, Zp, Co, Cn, and the invisible fillers.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde::Deserialize;
use tower_cloud_error::{bce, tencent, CloudError, Language, Validate};

#[path = "support/hidden_chars.rs"]
mod hidden_chars;

use hidden_chars::is_hidden;

/// Characters that the issue found reflected, and their neighbours.
const REPORTED: &[char] = &[
    '\u{061C}',
    '\u{2028}',
    '\u{2029}',
    '\u{E0001}',
    '\u{E0020}',
    '\u{E007F}',
    '\u{00AD}',
    '\u{180E}',
    '\u{3164}',
    '\u{FFF9}',
    '\u{FFFA}',
    '\u{FFFB}',
    '\u{034F}',
    '\u{115F}',
    '\u{1160}',
    '\u{FFA0}',
    '\u{2800}',
    '\u{1B}',
    '\n',
    '\r',
    '\u{85}',
    '\u{202E}',
    '\u{2066}',
    '\u{200B}',
    '\u{200D}',
    '\u{FEFF}',
    '\u{E000}',
    '\u{F8FF}',
    '\u{0378}',
    '\u{1D173}',
];

fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        any::<char>(),
        proptest::sample::select(REPORTED),
        (0xE0000u32..=0xE007F).prop_map(|c| char::from_u32(c).unwrap()),
        proptest::char::range('a', 'z'),
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(hostile_char(), 0..24).prop_map(String::from_iter)
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
enum Period {
    Weekly,
    Daily,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Target {
    tags: Option<BTreeMap<String, u32>>,
    period: Option<Period>,
    count: Option<u32>,
}

impl Validate for Target {}

fn assert_clean(error: &CloudError, what: &str) -> Result<(), TestCaseError> {
    for language in [Language::EnUs, Language::ZhCn] {
        let message = error.message(language);
        let hidden: Vec<String> = message
            .chars()
            .filter(|&c| is_hidden(c))
            .map(|c| format!("U+{:04X}", u32::from(c)))
            .collect();
        prop_assert!(
            hidden.is_empty(),
            "{} in the {:?} message for {}: {:?}",
            hidden.join(" "),
            language,
            what,
            message
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 512, failure_persistence: None, ..Config::default() })]

    #[test]
    fn no_reflected_message_contains_a_hidden_character(
        key in hostile_text(),
        value in hostile_text(),
    ) {
        let key_json = serde_json::to_string(&key).unwrap();
        let value_json = serde_json::to_string(&value).unwrap();
        let bodies = [
            // A hostile key on the path of a value of the wrong type.
            format!(r#"{{"tags":{{{key_json}:{value_json}}}}}"#),
            // A hostile value of the wrong type, and an unknown enum variant.
            format!(r#"{{"count":{value_json}}}"#),
            format!(r#"{{"period":{value_json}}}"#),
            // An unknown parameter (Tencent reports it; BCE ignores it).
            format!(r#"{{{key_json}:1}}"#),
        ];
        for body in &bodies {
            if let Err(error) = bce::from_slice::<Target>(body.as_bytes()) {
                assert_clean(&error, &format!("BCE {body}"))?;
            }
            if let Err(error) = tencent::from_slice::<Target>(body.as_bytes()) {
                assert_clean(&error, &format!("Tencent {body}"))?;
            }
        }
        for error in [
            tencent::missing_parameter(&key),
            tencent::invalid_parameter(&key),
            tencent::invalid_parameter_value(&key),
            tencent::unknown_parameter(&key),
        ] {
            assert_clean(&error, &format!("a named parameter {key:?}"))?;
        }
    }
}

#[test]
fn the_oracle_knows_the_reported_characters() {
    // The property above is only as strong as its oracle: every reported character is hidden.
    for &c in REPORTED {
        assert!(is_hidden(c), "U+{:04X}", u32::from(c));
    }
    assert!(!is_hidden('a') && !is_hidden('名') && !is_hidden(' '));
}
