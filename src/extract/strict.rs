//! [`Strict`]: a deserializer adapter under which a struct only ever comes from a JSON object.
//!
//! serde's derived `Deserialize` for a struct accepts a sequence too (`[10, "web"]` for
//! `{"bandwidthInMbps": 10, "name": "web"}`): serde_json's `deserialize_struct` reads either. A
//! cloud API's request body is made of objects, so an array where an object belongs is the wrong
//! shape, and must be reported as such rather than silently read by position. The adapter turns
//! every `deserialize_struct` (and every struct variant) into `deserialize_map`, at every depth,
//! and forwards everything else unchanged.
//!
//! Values a type buffers itself (untagged and internally tagged enums, `#[serde(flatten)]`)
//! are read from serde's internal buffer, outside the adapter.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// Wraps a deserializer so that structs are read from maps only, at any depth.
pub(super) struct Strict<D>(pub(super) D);

/// Forwards `deserialize_$method` with the visitor wrapped.
macro_rules! forward {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Wrap(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<D> {
    type Error = D::Error;

    forward! {
        deserialize_any deserialize_bool
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_bytes deserialize_byte_buf deserialize_option deserialize_unit
        deserialize_seq deserialize_map deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Wrap(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Wrap(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Wrap(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Wrap(visitor))
    }

    /// The one change: a struct is read as a map, so a sequence is an invalid type.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Wrap(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Wrap(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// A visitor, sequence, map, enum or variant access whose nested values are read through
/// [`Strict`].
struct Wrap<X>(X);

/// Forwards `visit_$method` for a scalar.
macro_rules! forward_visit {
    ($($method:ident($ty:ty))*) => {$(
        fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
            self.0.$method(value)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(formatter)
    }

    forward_visit! {
        visit_bool(bool)
        visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64) visit_i128(i128)
        visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64) visit_u128(u128)
        visit_f32(f32) visit_f64(f64) visit_char(char)
        visit_str(&str) visit_borrowed_str(&'de str) visit_string(String)
        visit_bytes(&[u8]) visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Strict(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Strict(deserializer))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Wrap(seq))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Wrap(map))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Wrap(data))
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Seed(seed))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Wrap<A> {
    type Error = A::Error;
    type Variant = Wrap<A::Variant>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(Seed(seed))?;
        Ok((value, Wrap(variant)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(visitor))
    }

    /// A struct variant's content is read as a map too: `{"Variant": {...}}`, never
    /// `{"Variant": [...]}`.
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.newtype_variant_seed(MapSeed(visitor))
    }
}

/// A seed whose deserializer is wrapped in [`Strict`].
struct Seed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Strict(deserializer))
    }
}

/// Reads a map with the visitor (a struct variant's content).
struct MapSeed<V>(V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for MapSeed<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_map(Wrap(self.0))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Point {
        x: i32,
        y: i32,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Shape {
        name: String,
        points: Vec<Point>,
        center: Option<Point>,
        kind: Kind,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Kind {
        Plain,
        Circle { radius: u32 },
        Pair(u8, u8),
        Wrapped(Point),
    }

    fn strict<'de, T: Deserialize<'de>>(json: &'de str) -> Result<T, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        T::deserialize(Strict(&mut de)).map_err(|e| e.to_string())
    }

    #[test]
    fn objects_still_read_at_every_depth() {
        let shape: Shape = strict(
            r#"{"name":"a","points":[{"x":1,"y":2}],"center":{"y":4,"x":3},"kind":{"Circle":{"radius":5}}}"#,
        )
        .unwrap();
        assert_eq!(shape.points, [Point { x: 1, y: 2 }]);
        assert_eq!(shape.center, Some(Point { x: 3, y: 4 }));
        assert_eq!(shape.kind, Kind::Circle { radius: 5 });
        for (json, kind) in [
            (r#""Plain""#, Kind::Plain),
            (r#"{"Pair":[1,2]}"#, Kind::Pair(1, 2)),
            (
                r#"{"Wrapped":{"x":1,"y":1}}"#,
                Kind::Wrapped(Point { x: 1, y: 1 }),
            ),
        ] {
            assert_eq!(strict::<Kind>(json).unwrap(), kind, "{json}");
        }
    }

    #[test]
    fn arrays_never_read_as_structs() {
        // Plain serde_json reads these.
        assert!(serde_json::from_str::<Point>("[1,2]").is_ok());
        assert!(serde_json::from_str::<Kind>(r#"{"Circle":[5]}"#).is_ok());

        let err = strict::<Point>("[1,2]").unwrap_err();
        assert!(
            err.starts_with("invalid type: sequence, expected struct Point"),
            "{err}"
        );
        for json in [
            r#"{"name":"a","points":[[1,2]],"kind":"Plain"}"#,
            r#"{"name":"a","points":[],"center":[1,2],"kind":"Plain"}"#,
            r#"{"name":"a","points":[],"kind":{"Circle":[5]}}"#,
            r#"{"name":"a","points":[],"kind":{"Wrapped":[1,2]}}"#,
        ] {
            let err = strict::<Shape>(json).unwrap_err();
            assert!(err.starts_with("invalid type: sequence"), "{json}: {err}");
        }
    }

    #[test]
    fn other_types_are_untouched() {
        let value: serde_json::Value = strict(r#"{"a":[1,{"b":null}],"c":1.5}"#).unwrap();
        assert_eq!(value["a"][1]["b"], serde_json::Value::Null);
        let tuple: (u8, String) = strict(r#"[1,"x"]"#).unwrap();
        assert_eq!(tuple, (1, "x".to_owned()));
        let bytes: Vec<u8> = strict("[1,2,3]").unwrap();
        assert_eq!(bytes, [1, 2, 3]);
    }
}
