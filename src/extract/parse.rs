//! The parse both styles share: encoding, then syntax, then fit, each failure a [`Problem`] the
//! style turns into its documented code.

use std::error::Error as StdError;
use std::fmt;
use std::str::Utf8Error;

use serde::de::{Deserialize, Deserializer, IgnoredAny};
use serde_json::Value;

use super::strict::Strict;

/// Why a body did not become a `T`.
#[derive(Debug)]
pub(super) enum Problem {
    /// The body is not UTF-8 (RFC 8259 §8.1: JSON exchanged between systems is UTF-8).
    Encoding(Utf8Error),
    /// The body is not well-formed JSON: a syntax error anywhere, an early end, trailing
    /// characters, an empty body.
    Syntax(serde_json::Error),
    /// The body is well-formed JSON that does not fit the type.
    Misfit(Misfit),
}

/// Well-formed JSON that does not fit: what is wrong, and where.
#[derive(Debug)]
pub(super) struct Misfit {
    pub(super) kind: MisfitKind,
    /// The parameter, as dot-joined segments from the body's root (`Filters.0.Name`); empty for
    /// the body itself. Raw request text: echo it through [`super::echo`].
    pub(super) path: String,
    /// serde's description, without the parser's position (`missing field `x``, `invalid
    /// type: string "ten", expected u32`). May hold request text.
    pub(super) description: String,
    /// Whether the body is a JSON object. A misfit with an empty path in an object body is an
    /// item serde could not locate (inside `#[serde(flatten)]`), not the body's shape.
    pub(super) body_is_object: bool,
    /// For the logs.
    pub(super) source: Box<dyn StdError + Send + Sync>,
}

/// The kinds of misfit the styles tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MisfitKind {
    /// A required item is absent (`path` names it).
    Missing,
    /// A required item is `null`.
    Null,
    /// An item the type does not define (reported by serde_ignored, or by a type with
    /// `deny_unknown_fields`).
    Unknown,
    /// The wrong type or shape, or a format the type rejects.
    Type,
    /// The right type, but a value the type rejects: out of range, not one of the variants.
    Value,
}

/// Whether items the type does not define are a problem (Tencent) or ignored (BCE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unknown {
    Ignore,
    Report,
}

/// Parses `bytes` as a `T`, proving syntax before fit: a syntax error anywhere wins over a
/// misfit, whatever their order in the body.
///
/// A valid body is read once, by the fast pass ([`Strict`], and with [`Unknown::Report`]
/// serde_ignored). Only when that fails is the body read again: scanned as [`IgnoredAny`] (no
/// allocation, no recursion) to tell a syntax error from a misfit, then, for a misfit, typed
/// once more with serde_path_to_error to name the item. Path tracking allocates a string per
/// key, so it is kept off the success path.
pub(super) fn from_slice<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    unknown: Unknown,
) -> Result<T, Problem> {
    let text = std::str::from_utf8(bytes).map_err(Problem::Encoding)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut first_unknown = None;
    let error = match fast::<T, _>(&mut deserializer, unknown, &mut first_unknown) {
        Ok(value) => {
            deserializer.end().map_err(Problem::Syntax)?;
            return match first_unknown {
                Some(path) => Err(Problem::Misfit(Misfit::unknown(path))),
                None => Ok(value),
            };
        }
        Err(error) => error,
    };
    if let Err(syntax) = serde_json::from_str::<IgnoredAny>(text) {
        return Err(Problem::Syntax(syntax));
    }
    if let Some(path) = first_unknown {
        // Reported before the failure, so earlier in the body.
        return Err(Problem::Misfit(Misfit::unknown(path)));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    // The body is well-formed: it starts with `{` after JSON whitespace, or is no object.
    let is_object = text.trim_start().starts_with('{');
    Err(Problem::Misfit(locate::<T, _>(
        &mut deserializer,
        unknown,
        error,
        is_object,
    )))
}

/// Reads a `T` from JSON that is already parsed: only misfits are possible.
pub(super) fn from_value<'de, T: Deserialize<'de>>(
    value: &'de Value,
    unknown: Unknown,
) -> Result<T, Misfit> {
    let mut first_unknown = None;
    let result = fast::<T, _>(value, unknown, &mut first_unknown);
    if let Some(path) = first_unknown {
        return Err(Misfit::unknown(path));
    }
    result.map_err(|error| locate::<T, _>(value, unknown, error, value.is_object()))
}

/// The fast pass: structs from objects only ([`Strict`]), and with [`Unknown::Report`] the
/// first item the type ignored (serde_ignored).
fn fast<'de, T, D>(
    deserializer: D,
    unknown: Unknown,
    first_unknown: &mut Option<String>,
) -> Result<T, serde_json::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de, Error = serde_json::Error>,
{
    match unknown {
        Unknown::Ignore => T::deserialize(Strict(deserializer)),
        Unknown::Report => {
            let mut on_ignored = |path: serde_ignored::Path<'_>| {
                if first_unknown.is_none() {
                    *first_unknown = Some(ignored_path(&path));
                }
            };
            T::deserialize(serde_ignored::Deserializer::new(
                Strict(deserializer),
                &mut on_ignored,
            ))
        }
    }
}

/// The fast pass again, on input it failed on, with serde_path_to_error: the misfit with the
/// path of the failing item. `error` is the fast pass's, kept should this pass (against
/// expectation) succeed.
fn locate<'de, T, D>(
    deserializer: D,
    unknown: Unknown,
    error: serde_json::Error,
    body_is_object: bool,
) -> Misfit
where
    T: Deserialize<'de>,
    D: Deserializer<'de, Error = serde_json::Error>,
{
    let mut first_unknown = None;
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(deserializer, &mut track);
    let result = fast::<T, _>(tracked, unknown, &mut first_unknown);
    if let Some(path) = first_unknown {
        return Misfit::unknown(path);
    }
    let error = match result {
        Err(error) => serde_path_to_error::Error::new(track.path(), error),
        Ok(_) => serde_path_to_error::Error::new(serde_path_to_error::Track::new().path(), error),
    };
    Misfit::from_error(error, body_is_object)
}

impl Misfit {
    fn unknown(path: String) -> Self {
        let description = format!("unknown field `{path}`");
        Misfit {
            kind: MisfitKind::Unknown,
            source: description.clone().into(),
            path,
            description,
            body_is_object: true,
        }
    }

    /// Classifies serde's error by the wording of `serde::de::Error`'s provided methods
    /// (`missing_field`, `invalid_type`, ...), which serde_json keeps.
    fn from_error(
        error: serde_path_to_error::Error<serde_json::Error>,
        body_is_object: bool,
    ) -> Self {
        let mut path = join(error.path().iter().filter_map(|segment| {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => Some(index.to_string()),
                Segment::Map { key } => Some(key.clone()),
                Segment::Enum { variant } => Some(variant.clone()),
                Segment::Unknown => None,
            }
        }));
        let error = error.into_inner();
        let description = without_position(&error);
        let kind = if let Some(field) = quoted(&description, "missing field `") {
            // Reported by the object that lacks the field.
            push_segment(&mut path, field);
            MisfitKind::Missing
        } else if let Some(field) = quoted(&description, "duplicate field `") {
            push_segment(&mut path, field);
            MisfitKind::Type
        } else if description.starts_with("unknown field `") {
            // The path ends with the unknown key already.
            MisfitKind::Unknown
        } else if description.starts_with("invalid type: null,") {
            MisfitKind::Null
        } else if description.starts_with("invalid value: ")
            || description.starts_with("unknown variant `")
            || description == "number out of range"
        {
            MisfitKind::Value
        } else {
            // `invalid type`, `invalid length`, a type's own message, `recursion limit
            // exceeded`, a lone surrogate escape.
            MisfitKind::Type
        };
        Misfit {
            kind,
            path,
            description,
            body_is_object,
            source: Box::new(error),
        }
    }
}

/// The text between `prefix` and the next backtick, if `description` starts with `prefix`.
fn quoted<'a>(description: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = description.strip_prefix(prefix)?;
    rest.split_once('`').map(|(field, _)| field)
}

fn push_segment(path: &mut String, segment: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(segment);
}

fn join(segments: impl Iterator<Item = String>) -> String {
    let mut path = String::new();
    for segment in segments {
        push_segment(&mut path, &segment);
    }
    path
}

/// serde_ignored's path, without its `?` for options and newtypes: `Filters.0.Bogus`.
fn ignored_path(path: &serde_ignored::Path<'_>) -> String {
    fn segments(path: &serde_ignored::Path<'_>, out: &mut Vec<String>) {
        use serde_ignored::Path;
        match path {
            Path::Root => {}
            Path::Seq { parent, index } => {
                segments(parent, out);
                out.push(index.to_string());
            }
            Path::Map { parent, key } => {
                segments(parent, out);
                out.push(key.clone());
            }
            Path::Some { parent }
            | Path::NewtypeStruct { parent }
            | Path::NewtypeVariant { parent } => segments(parent, out),
        }
    }
    let mut out = Vec::new();
    segments(path, &mut out);
    join(out.into_iter())
}

/// serde_json's message without ` at line L column C`, which means nothing to a client that
/// did not format the body itself (and nothing at all for a value parsed earlier).
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    if error.line() == 0 {
        return text;
    }
    let suffix = Position(error.line(), error.column()).to_string();
    match text.strip_suffix(&suffix) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

struct Position(usize, usize);

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " at line {} column {}", self.0, self.1)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    #[allow(dead_code)]
    struct Request {
        namespace: String,
        limit: Option<u32>,
        filters: Option<Vec<Filter>>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    #[allow(dead_code)]
    struct Filter {
        name: String,
        values: Vec<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Kind {
        Public,
        Private,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Closed {
        a: u8,
        inner: Option<ClosedInner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct ClosedInner {
        b: u8,
    }

    fn misfit<'de, T: Deserialize<'de> + fmt::Debug>(
        json: &'de str,
        unknown: Unknown,
    ) -> (MisfitKind, String, String) {
        match from_slice::<T>(json.as_bytes(), unknown) {
            Err(Problem::Misfit(misfit)) => (misfit.kind, misfit.path, misfit.description),
            other => panic!("{json}: expected a misfit, got {other:?}"),
        }
    }

    #[test]
    fn misfits_are_classified_and_located() {
        use MisfitKind::{Missing, Null, Type, Value};
        let report = Unknown::Report;
        for (json, kind, path) in [
            (r#"{"Limit":1}"#, Missing, "Namespace"),
            (r#"{"Namespace":null}"#, Null, "Namespace"),
            (r#"{"Namespace":"a","Limit":"ten"}"#, Type, "Limit"),
            (r#"{"Namespace":"a","Limit":-1}"#, Value, "Limit"),
            (r#"{"Namespace":"a","Limit":5000000000}"#, Value, "Limit"),
            (r#"{"Namespace":"a","Limit":1e400}"#, Value, "Limit"),
            (r#"{"Namespace":"a","Kind":"Secret"}"#, Value, "Kind"),
            (
                r#"{"Namespace":"a","Filters":[{"Name":"x"}]}"#,
                Missing,
                "Filters.0.Values",
            ),
            (
                r#"{"Namespace":"a","Filters":[{"Name":"x","Values":["a",1]}]}"#,
                Type,
                "Filters.0.Values.1",
            ),
            (r#"{"Namespace":"a","Filters":[[1]]}"#, Type, "Filters.0"),
            (
                r#"{"Namespace":"a","Bogus":1}"#,
                MisfitKind::Unknown,
                "Bogus",
            ),
            (
                r#"{"Namespace":"a","Filters":[{"Name":"x","Values":[],"Bogus":1}]}"#,
                MisfitKind::Unknown,
                "Filters.0.Bogus",
            ),
            (r#"{"Namespace":"\ud800"}"#, Type, "Namespace"),
            (r#"{"Namespace":"a","Namespace":"b"}"#, Type, "Namespace"),
            (r#"[1]"#, Type, ""),
            (r#""text""#, Type, ""),
        ] {
            let (got_kind, got_path, description) = misfit::<Request>(json, report);
            assert_eq!(
                (got_kind, got_path.as_str()),
                (kind, path),
                "{json}: {description}"
            );
            assert!(!description.contains(" at line "), "{description}");
        }
    }

    #[test]
    fn deny_unknown_fields_is_reported_with_its_path() {
        for unknown in [Unknown::Ignore, Unknown::Report] {
            assert_eq!(
                misfit::<Closed>(r#"{"a":1,"inner":{"b":1,"c":2}}"#, unknown).0,
                MisfitKind::Unknown
            );
            assert_eq!(
                misfit::<Closed>(r#"{"a":1,"inner":{"c":2}}"#, unknown).1,
                "inner.c"
            );
        }
    }

    #[test]
    fn unknown_items_are_ignored_or_reported() {
        let json = r#"{"Namespace":"a","Extra":{"deep":[1,2]},"Filters":[{"Name":"x","Values":[],"Bogus":1}]}"#;
        assert!(from_slice::<Request>(json.as_bytes(), Unknown::Ignore).is_ok());
        let (kind, path, _) = misfit::<Request>(json, Unknown::Report);
        assert_eq!((kind, path.as_str()), (MisfitKind::Unknown, "Extra"));
    }

    #[test]
    fn the_earliest_problem_in_the_body_wins() {
        let (kind, path, _) = misfit::<Request>(
            r#"{"Bogus":1,"Namespace":"a","Limit":"x"}"#,
            Unknown::Report,
        );
        assert_eq!((kind, path.as_str()), (MisfitKind::Unknown, "Bogus"));
        let (kind, path, _) = misfit::<Request>(
            r#"{"Namespace":"a","Limit":"x","Bogus":1}"#,
            Unknown::Report,
        );
        assert_eq!((kind, path.as_str()), (MisfitKind::Type, "Limit"));
    }

    #[test]
    fn syntax_wins_over_an_earlier_misfit() {
        for json in [
            r#"{"Namespace":1,"Limit":"#,
            r#"{"Bogus":1,"Namespace":"a" x}"#,
            r#"{"Namespace":"a"} trailing"#,
            r#"[1] ]"#,
            "",
            "  \n",
        ] {
            let result = from_slice::<Request>(json.as_bytes(), Unknown::Report);
            assert!(
                matches!(result, Err(Problem::Syntax(_))),
                "{json}: {result:?}"
            );
        }
    }

    #[test]
    fn encoding_is_checked_first() {
        let result = from_slice::<Request>(b"{\"Namespace\":\"\xff\"", Unknown::Report);
        assert!(matches!(result, Err(Problem::Encoding(_))), "{result:?}");
    }

    #[test]
    fn values_are_read_the_same_way() {
        let value = serde_json::json!({"Namespace": "a", "Filters": [{"Name": "x", "Values": [], "Bogus": 1}]});
        let misfit = from_value::<Request>(&value, Unknown::Report).unwrap_err();
        assert_eq!(
            (misfit.kind, misfit.path.as_str()),
            (MisfitKind::Unknown, "Filters.0.Bogus")
        );
        assert!(from_value::<Request>(&value, Unknown::Ignore).is_ok());
        let misfit =
            from_value::<Request>(&serde_json::json!({"Limit": 1}), Unknown::Report).unwrap_err();
        assert_eq!(misfit.kind, MisfitKind::Missing);
        assert_eq!(misfit.description, "missing field `Namespace`");
    }
}
