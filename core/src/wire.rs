//! The two shapes the generated types in [`crate::types`] share, as macros: enums of strings
//! that keep values they do not know, and unions told apart by a discriminator field that keep
//! types they do not know.

use serde::Serialize;
use serde_json::{Map, Value};

/// An enum of wire strings with an `Unknown(String)` variant for values this crate does not
/// know, plus `as_str`, `From<&str>`, `Display` and serde as the plain string.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version of the crate does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The value as it is spelled on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            fn from(wire: &str) -> Self {
                match wire {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let wire = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(Self::from(wire.as_ref()))
            }
        }
    };
}
pub(crate) use string_enum;

/// A union of object types told apart by a discriminator field (`type`), with an
/// `Unknown(Value)` variant that keeps, tag included, an object of a type this crate does not
/// know. The variants' structs do not hold the tag: it is written first when serialising.
macro_rules! tagged_union {
    (
        $(#[$meta:meta])*
        $name:ident, $tag:literal { $($(#[$vmeta:meta])* $variant:ident = $wire:literal => $ty:ty,)* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub enum $name {
            $($(#[$vmeta])* $variant($ty),)*
            /// A type this version of the crate does not know, kept as sent (tag included).
            Unknown(serde_json::Value),
        }

        impl $name {
            /// The value of the discriminator field, if it has one.
            pub fn tag(&self) -> Option<&str> {
                match self {
                    $(Self::$variant(_) => Some($wire),)*
                    Self::Unknown(v) => v.get($tag).and_then(serde_json::Value::as_str),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(v) => $crate::wire::tagged(s, $tag, $wire, v),)*
                    Self::Unknown(v) => serde::Serialize::serialize(v, s),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #[allow(unused_mut)]
                let mut value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                let tag = value.get($tag).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    $(Some($wire) => {
                        if let Some(fields) = value.as_object_mut() {
                            fields.remove($tag);
                        }
                        serde_json::from_value(value)
                            .map(Self::$variant)
                            .map_err(|e| serde::de::Error::custom(format_args!("{} {}: {e}", $tag, $wire)))
                    })*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
    };
}
pub(crate) use tagged_union;

/// Serialises `value` (an object) with `tag: wire` as its first field.
pub(crate) fn tagged<S: serde::Serializer, T: Serialize>(
    s: S,
    tag: &str,
    wire: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let fields = match serde_json::to_value(value).map_err(serde::ser::Error::custom)? {
        Value::Object(fields) => fields,
        _ => {
            return Err(serde::ser::Error::custom(
                "a union variant must be an object",
            ));
        }
    };
    let mut out = Map::with_capacity(fields.len() + 1);
    out.insert(tag.to_owned(), Value::String(wire.to_owned()));
    out.extend(fields.into_iter().filter(|(k, _)| k != tag));
    out.serialize(s)
}
