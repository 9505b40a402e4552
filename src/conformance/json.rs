//! A JSON reader that keeps what the checker needs and `serde_json::Value` loses: every key of
//! an object, in order, duplicates included.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A parsed JSON value, reduced to what the rules look at.
#[derive(Debug)]
pub(super) enum Node {
    /// An object's members, in order, duplicates included.
    Object(Vec<(String, Node)>),
    /// A string.
    String(String),
    /// Anything else, by its JSON type name (`number`, `boolean`, `null`, `array`).
    Other(&'static str),
}

impl Node {
    /// Parses `bytes` as one JSON value (surrounding whitespace allowed).
    pub(super) fn parse(bytes: &[u8]) -> Result<Node, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// The JSON type name: `object`, `string`, `number`, `boolean`, `null` or `array`.
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            Node::Object(_) => "object",
            Node::String(_) => "string",
            Node::Other(name) => name,
        }
    }

    /// The members, if this is an object.
    pub(super) fn as_object(&self) -> Option<&[(String, Node)]> {
        match self {
            Node::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The text, if this is a string.
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(text) => Some(text),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Other("boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Other("number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Other("number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Other("number"))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Node, E> {
        Ok(Node::String(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Node, E> {
        Ok(Node::String(text))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Other("null"))
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Other("null"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        // Elements are validated, not kept: no rule looks inside an array.
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Node::Other("array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry::<String, Node>()? {
            members.push(member);
        }
        Ok(Node::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_duplicates_in_order_and_names_types() {
        let node = Node::parse(br#" {"a":"x","b":1,"a":{"c":[{"d":null}]},"e":true} "#).unwrap();
        let members = node.as_object().unwrap();
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b", "a", "e"]);
        assert_eq!(members[0].1.as_str(), Some("x"));
        assert_eq!(members[1].1.type_name(), "number");
        assert_eq!(members[2].1.type_name(), "object");
        assert_eq!(members[3].1.type_name(), "boolean");
        assert_eq!(Node::parse(b"null").unwrap().type_name(), "null");
        assert_eq!(Node::parse(b"[1,[2]]").unwrap().type_name(), "array");
    }

    #[test]
    fn rejects_what_is_not_one_json_value() {
        for bad in [
            &b""[..],
            b"{",
            b"{} {}",
            b"\"\xff\"",
            b"text",
            b"{\"a\":1,}",
        ] {
            assert!(Node::parse(bad).is_err(), "{bad:?}");
        }
    }
}
