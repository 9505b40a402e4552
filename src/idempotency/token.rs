//! Finding and validating a client token: BCE's `clientToken` query parameter, or a named field
//! of a Tencent request's JSON body.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

/// The longest token accepted, in bytes (BCE documents at most 64 ASCII characters; Tencent's
/// `ClientToken` fields document the same bound).
pub(crate) const MAX_TOKEN_LEN: usize = 64;

/// A token that is present but unusable: empty, longer than [`MAX_TOKEN_LEN`], not ASCII, not
/// decodable, or given twice.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BadToken;

/// Checks a decoded token: 1 to [`MAX_TOKEN_LEN`] ASCII characters.
pub(crate) fn validate(token: &str) -> Result<(), BadToken> {
    if (1..=MAX_TOKEN_LEN).contains(&token.len()) && token.is_ascii() {
        Ok(())
    } else {
        Err(BadToken)
    }
}

/// The raw `key=value` pieces of a query string (empty pieces dropped).
pub(crate) fn query_pairs(query: &str) -> impl Iterator<Item = &str> {
    query.split('&').filter(|pair| !pair.is_empty())
}

/// Whether the piece `pair` of a query string is the parameter `name` (compared decoded, so
/// `client%54oken` is `clientToken`, as a form decoder reads it).
pub(crate) fn is_param(pair: &str, name: &str) -> bool {
    let key = pair.split_once('=').map_or(pair, |(key, _)| key);
    // Fast path: most keys need no decoding.
    if !key.contains(['%', '+']) {
        return key == name;
    }
    percent_decode(key).is_some_and(|key| key == name)
}

/// The token in the query parameter `name`: `Ok(None)` without one; a token given twice, not
/// decodable or invalid is [`BadToken`].
pub(crate) fn from_query(query: Option<&str>, name: &str) -> Result<Option<String>, BadToken> {
    let Some(query) = query else {
        return Ok(None);
    };
    let mut found = None;
    for pair in query_pairs(query).filter(|pair| is_param(pair, name)) {
        if found.is_some() {
            return Err(BadToken);
        }
        let value = pair.split_once('=').map_or("", |(_, value)| value);
        // A value far over the bound is refused before decoding allocates for it.
        if value.len() > 3 * MAX_TOKEN_LEN {
            return Err(BadToken);
        }
        let token = percent_decode(value).ok_or(BadToken)?;
        validate(&token)?;
        found = Some(token.into_owned());
    }
    Ok(found)
}

/// `application/x-www-form-urlencoded` decoding (`+` is a space, `%XX` a byte), as axum's
/// `Query` reads a query; `None` if an escape is malformed or the result is not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<Cow<'_, str>> {
    if !text.contains(['%', '+']) {
        return Some(Cow::Borrowed(text));
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

/// The token in the top-level JSON string field `field` of `body`: `Ok(None)` if the field is
/// absent or the body is not a JSON object (the handler then answers the body's own error); a
/// field that is not a string, is given twice or is invalid is [`BadToken`].
pub(crate) fn from_json_field(body: &[u8], field: &str) -> Result<Option<String>, BadToken> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match deserializer.deserialize_map(FieldVisitor { field }) {
        Ok(found) => found,
        // Not JSON, or not an object: no token here; the handler reports the body's error.
        Err(_) => Ok(None),
    }
}

/// Walks the top-level object once, skipping every other value without building it.
struct FieldVisitor<'f> {
    field: &'f str,
}

impl<'de> Visitor<'de> for FieldVisitor<'_> {
    type Value = Result<Option<String>, BadToken>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found: Option<Result<String, BadToken>> = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key != self.field {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value = map.next_value::<serde_json::Value>()?;
            found = Some(match (found, value) {
                (Some(_), _) => Err(BadToken),
                (None, serde_json::Value::String(token)) => validate(&token).map(|()| token),
                (None, _) => Err(BadToken),
            });
        }
        Ok(found.transpose())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_tokens_are_decoded_and_validated() {
        assert_eq!(from_query(None, "clientToken"), Ok(None));
        assert_eq!(from_query(Some("bind&x=1"), "clientToken"), Ok(None));
        assert_eq!(
            from_query(Some("bind&clientToken=a%2Db+c"), "clientToken"),
            Ok(Some("a-b c".to_owned()))
        );
        assert_eq!(
            from_query(Some("client%54oken=abc"), "clientToken"),
            Ok(Some("abc".to_owned()))
        );
        let longest = "t".repeat(64);
        assert_eq!(
            from_query(Some(&format!("clientToken={longest}")), "clientToken"),
            Ok(Some(longest))
        );
        for bad in [
            "clientToken=",
            "clientToken",
            "clientToken=a&clientToken=a",
            "clientToken=%zz",
            "clientToken=%C3%A9",
            "clientToken=%FF",
            "clientToken=%FF%FE",
            "clientToken=%E4%B8%AD",
            "clientToken=a%E4%B8%ADb",
        ] {
            assert_eq!(from_query(Some(bad), "clientToken"), Err(BadToken), "{bad}");
        }
        let too_long = format!("clientToken={}", "t".repeat(65));
        assert_eq!(from_query(Some(&too_long), "clientToken"), Err(BadToken));
        let huge = format!("clientToken={}", "%41".repeat(100_000));
        assert_eq!(from_query(Some(&huge), "clientToken"), Err(BadToken));
    }

    #[test]
    fn json_tokens_come_from_the_named_top_level_string_field() {
        let field = "ClientToken";
        assert_eq!(
            from_json_field(
                br#"{"A":{"ClientToken":"inner"},"ClientToken":"t-1"}"#,
                field
            ),
            Ok(Some("t-1".to_owned()))
        );
        assert_eq!(from_json_field(br#"{"A":1}"#, field), Ok(None));
        assert_eq!(from_json_field(b"not json", field), Ok(None));
        assert_eq!(from_json_field(br#"["ClientToken"]"#, field), Ok(None));
        for bad in [
            &br#"{"ClientToken":1}"#[..],
            br#"{"ClientToken":""}"#,
            br#"{"ClientToken":"a","ClientToken":"a"}"#,
            "{\"ClientToken\":\"\u{e9}\"}".as_bytes(),
            "{\"ClientToken\":\"中\"}".as_bytes(),
            br#"{"ClientToken":"a\u4e2d"}"#,
        ] {
            assert_eq!(
                from_json_field(bad, field),
                Err(BadToken),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
