//! Typed fields from parsed JSON, with the path of the first field that is wrong.
//!
//! The scenario decoder tells an analyst *where* a field is wrong (`places[0].need_index`).
//! This reads a [`serde_json::Value`] into any `Deserialize` type and, on failure, names
//! the field the same way `serde_path_to_error` does (the innermost failing field; keys
//! joined by `.`, list positions as `[i]`, an enum's variant as a key; the whole value
//! is `.`), with serde_json's own message, and says what kind of failure it was
//! ([`Fault`]: a field missing, unknown, or of the wrong kind), so the decoder can put it
//! in the product's own words and read on past it.
//!
//! *Why not `serde_path_to_error`:* it wraps every visitor and seed in its own generic
//! types, which doubles the deserialisation code of every scenario type; in the browser
//! build that cost tens of KB of wasm (docs/SIZE.md). Walking the `Value` directly needs
//! one small deserializer, which reads a value by what it is (as serde_json's `Value`
//! does), so every message is the one serde_json gives, word for word.
//! `tests/field_path_parity.rs` checks the two agree on thousands of broken scenarios.

use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use serde_json::{Error, Map, Value};
use std::cell::RefCell;
use std::fmt::Write as _;

/// A value that could not be read as its type: where, and what kind of failure.
#[derive(Debug)]
pub struct FieldError {
    /// `places[0].need_index`; `.` for the whole value.
    pub path: String,
    /// The same place as a JSON pointer: `/places/0/need_index`; empty for the whole value.
    pub pointer: String,
    pub kind: Fault,
    /// serde_json's words, exactly as it would have said them: kept only for the test that
    /// this reader agrees with `serde_path_to_error` (feature `serde-words`).
    #[cfg(feature = "serde-words")]
    pub error: Error,
}

/// What kind of failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// A required field is not there (at the path of the object holding it).
    Missing(&'static str),
    /// A field the type does not have; the fields it does have.
    Unknown(&'static [&'static str]),
    /// A value of the wrong kind (text for a number), or not one of the words allowed.
    WrongKind,
    /// A value of the right kind out of its type's range (`-500` for a count of people).
    OutOfRange,
    /// Anything else (a list of the wrong length, a duplicate field).
    Other,
}

/// serde_json's words for a failure, or nothing. The product says every failure in its
/// own words (the scenario decoder, from the registry of inputs), so it never formats
/// serde's: leaving them out keeps every type's "expected …" text out of the browser build
/// (3 KB brotli).
#[cfg(feature = "serde-words")]
type Words = Error;
#[cfg(not(feature = "serde-words"))]
type Words = ();

#[cfg(feature = "serde-words")]
fn words(error: impl FnOnce() -> Error) -> Words {
    error()
}
#[cfg(not(feature = "serde-words"))]
fn words(_: impl FnOnce() -> Error) -> Words {}

/// serde's errors for [`deserialize`]: the kind of failure (and, for the parity test,
/// serde_json's words). Boxed, so a result is no larger than with serde_json's own error
/// (a pointer): every field's reading returns one, and a wider error cost 16 KB of the
/// browser build.
#[derive(Debug)]
pub struct ReadError(Box<(Fault, Words)>);

impl ReadError {
    fn new(kind: Fault, words: Words) -> Self {
        ReadError(Box::new((kind, words)))
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.0 .1)
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ReadError::new(Fault::Other, words(|| Error::custom(msg)))
    }

    fn invalid_type(unexp: Unexpected, exp: &dyn de::Expected) -> Self {
        ReadError::new(Fault::WrongKind, words(|| Error::invalid_type(unexp, exp)))
    }

    fn invalid_value(unexp: Unexpected, exp: &dyn de::Expected) -> Self {
        ReadError::new(
            Fault::OutOfRange,
            words(|| Error::invalid_value(unexp, exp)),
        )
    }

    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        ReadError::new(Fault::Other, words(|| Error::invalid_length(len, exp)))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        ReadError::new(
            Fault::WrongKind,
            words(|| Error::unknown_variant(variant, expected)),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        ReadError::new(
            Fault::Unknown(expected),
            words(|| Error::unknown_field(field, expected)),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        ReadError::new(Fault::Missing(field), words(|| Error::missing_field(field)))
    }

    fn duplicate_field(field: &'static str) -> Self {
        ReadError::new(Fault::Other, words(|| Error::duplicate_field(field)))
    }
}

/// Read `value` as a `T`, or say which field is wrong and why.
pub fn deserialize<'de, T: de::Deserialize<'de>>(value: &'de Value) -> Result<T, FieldError> {
    let track = Track::default();
    let result = T::deserialize(Field {
        value,
        at: &At::Root,
        track: &track,
    });
    result.map_err(|e| {
        let (path, pointer) = track
            .path
            .into_inner()
            .unwrap_or_else(|| (".".to_string(), String::new()));
        let (kind, words) = *e.0;
        #[cfg(not(feature = "serde-words"))]
        let () = words;
        FieldError {
            path,
            pointer,
            kind,
            #[cfg(feature = "serde-words")]
            error: words,
        }
    })
}

/// Where a value sits: a chain of parents on the stack, turned into text only on error.
enum At<'p> {
    Root,
    Key(&'p At<'p>, &'p str),
    Index(&'p At<'p>, usize),
}

impl At<'_> {
    fn path(&self) -> String {
        let mut parts = Vec::new();
        let mut at = self;
        loop {
            match at {
                At::Root => break,
                At::Key(parent, key) => {
                    parts.push(Err(*key));
                    at = parent;
                }
                At::Index(parent, i) => {
                    parts.push(Ok(*i));
                    at = parent;
                }
            }
        }
        if parts.is_empty() {
            return ".".to_string();
        }
        let mut out = String::new();
        for (n, part) in parts.iter().rev().enumerate() {
            match part {
                Ok(i) => {
                    let _ = write!(out, "[{i}]");
                }
                Err(key) => {
                    if n > 0 {
                        out.push('.');
                    }
                    out.push_str(key);
                }
            }
        }
        out
    }
}

impl At<'_> {
    /// The same place as a JSON pointer (`/places/0/name`), keys escaped.
    fn pointer(&self) -> String {
        match self {
            At::Root => String::new(),
            At::Key(parent, key) => format!(
                "{}/{}",
                parent.pointer(),
                key.replace('~', "~0").replace('/', "~1")
            ),
            At::Index(parent, i) => format!("{}/{i}", parent.pointer()),
        }
    }
}

/// The path (and pointer) of the first (innermost) failure; outer failures of the same
/// error keep it.
#[derive(Default)]
struct Track {
    path: RefCell<Option<(String, String)>>,
}

impl Track {
    fn mark(&self, at: &At) {
        let mut path = self.path.borrow_mut();
        if path.is_none() {
            *path = Some((at.path(), at.pointer()));
        }
    }
}

/// A value being read (borrowed for `'de`), where it sits, and the shared record of
/// where reading failed (both on the stack, for `'p`).
#[derive(Clone, Copy)]
struct Field<'de, 'p> {
    value: &'de Value,
    at: &'p At<'p>,
    track: &'p Track,
}

impl<'de, 'p> Field<'de, 'p> {
    fn mark<T>(self, result: Result<T, ReadError>) -> Result<T, ReadError> {
        if result.is_err() {
            self.track.mark(self.at);
        }
        result
    }

    fn array<V: Visitor<'de>>(
        self,
        items: &'de [Value],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let mut seq = Items {
            items: items.iter(),
            index: 0,
            at: self.at,
            track: self.track,
        };
        let read = visitor.visit_seq(&mut seq)?;
        if seq.items.len() == 0 {
            Ok(read)
        } else {
            Err(de::Error::invalid_length(
                items.len(),
                &"fewer elements in array",
            ))
        }
    }

    fn object<V: Visitor<'de>>(
        self,
        map: &'de Map<String, Value>,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let mut entries = Entries {
            entries: map.iter(),
            value: None,
            at: self.at,
            track: self.track,
        };
        let read = visitor.visit_map(&mut entries)?;
        if entries.entries.len() == 0 {
            Ok(read)
        } else {
            Err(de::Error::invalid_length(
                map.len(),
                &"fewer elements in map",
            ))
        }
    }
}

/// What serde_json calls a value in its messages ("invalid type: string \"x\", ...").
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            (None, None) => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

impl<'de> de::Deserializer<'de> for Field<'de, '_> {
    type Error = ReadError;

    /// Every type but options, enums and newtypes is read by what the value is, as
    /// serde_json's `Value` does: a mismatch is the visitor's "invalid type" message,
    /// word for word the one serde_json gives.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let read = match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                (None, None) => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => self.array(items, visitor),
            Value::Object(map) => self.object(map, visitor),
        };
        self.mark(read)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let read = match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        };
        self.mark(read)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let read = visitor.visit_newtype_struct(self);
        self.mark(read)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let variant = |name, value| Variant {
            name,
            value,
            at: self.at,
            track: self.track,
        };
        let read = match self.value {
            // An enum is a string (a variant without data) or an object of one key.
            Value::Object(map) => match (map.iter().next(), map.len()) {
                (Some((name, value)), 1) => visitor.visit_enum(variant(name.as_str(), Some(value))),
                _ => Err(de::Error::invalid_value(
                    Unexpected::Map,
                    &"map with a single key",
                )),
            },
            Value::String(name) => visitor.visit_enum(variant(name.as_str(), None)),
            other => Err(de::Error::invalid_type(unexpected(other), &"string or map")),
        };
        self.mark(read)
    }
}

/// The elements of an array, each read at `[index]`.
struct Items<'de, 'p> {
    items: std::slice::Iter<'de, Value>,
    index: usize,
    at: &'p At<'p>,
    track: &'p Track,
}

impl<'de> de::SeqAccess<'de> for Items<'de, '_> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ReadError> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        let at = At::Index(self.at, self.index);
        self.index += 1;
        seed.deserialize(Field {
            value,
            at: &at,
            track: self.track,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of an object, each value read at `.key`; a key that is refused (an
/// unknown field) is reported at that key too.
struct Entries<'de, 'p> {
    entries: serde_json::map::Iter<'de>,
    value: Option<(&'de str, &'de Value)>,
    at: &'p At<'p>,
    track: &'p Track,
}

impl<'de> de::MapAccess<'de> for Entries<'de, '_> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some((key.as_str(), value));
        let read = seed.deserialize(de::value::BorrowedStrDeserializer::<ReadError>::new(key));
        if read.is_err() {
            self.track.mark(&At::Key(self.at, key));
        }
        read.map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        let Some((key, value)) = self.value.take() else {
            return Err(de::Error::custom(
                "a map value was asked for before its key",
            ));
        };
        let at = At::Key(self.at, key);
        seed.deserialize(Field {
            value,
            at: &at,
            track: self.track,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An enum's variant: its name, and its data if any, which is read at `.variant`
/// (every failure of a variant's data is reported there or deeper).
struct Variant<'de, 'p> {
    name: &'de str,
    value: Option<&'de Value>,
    at: &'p At<'p>,
    track: &'p Track,
}

impl<'de, 'p> de::EnumAccess<'de> for Variant<'de, 'p> {
    type Error = ReadError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), ReadError> {
        let name: de::value::StrDeserializer<'_, ReadError> = self.name.into_deserializer();
        seed.deserialize(name).map(|read| (read, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'de, '_> {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        let at = At::Key(self.at, self.name);
        let read = match self.value {
            Some(value) => de::Deserialize::deserialize(value)
                .map_err(|e: Error| ReadError::new(Fault::Other, words(|| e))),
            None => Ok(()),
        };
        mark_at(self.track, &at, read)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, ReadError> {
        let at = At::Key(self.at, self.name);
        let read = match self.value {
            Some(value) => seed.deserialize(Field {
                value,
                at: &at,
                track: self.track,
            }),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        };
        mark_at(self.track, &at, read)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let at = At::Key(self.at, self.name);
        let read = match self.value {
            Some(Value::Array(items)) if items.is_empty() => visitor.visit_unit(),
            Some(value @ Value::Array(items)) => Field {
                value,
                at: &at,
                track: self.track,
            }
            .array(items, visitor),
            Some(other) => Err(de::Error::invalid_type(unexpected(other), &"tuple variant")),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"tuple variant",
            )),
        };
        mark_at(self.track, &at, read)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let at = At::Key(self.at, self.name);
        let read = match self.value {
            Some(value @ Value::Object(map)) => Field {
                value,
                at: &at,
                track: self.track,
            }
            .object(map, visitor),
            Some(other) => Err(de::Error::invalid_type(
                unexpected(other),
                &"struct variant",
            )),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            )),
        };
        mark_at(self.track, &at, read)
    }
}

fn mark_at<T>(track: &Track, at: &At, result: Result<T, ReadError>) -> Result<T, ReadError> {
    if result.is_err() {
        track.mark(at);
    }
    result
}
