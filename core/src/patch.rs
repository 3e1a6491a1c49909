//! [`Patch`]: the tri-state value of an update field.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One field of a PATCH body: leave it as it is, clear it (`null` on the wire), or set it.
///
/// `Patch::Unchanged` is skipped when serialising, `Patch::Clear` is sent as `null`.
/// `From<T>` gives `Set`, and `From<Option<T>>` maps `None` to `Clear`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// Do not send the field: the server keeps its value.
    #[default]
    Unchanged,
    /// Send `null`: the server clears the field.
    Clear,
    /// Send this value.
    Set(T),
}

impl<T> Patch<T> {
    /// Whether this is `Unchanged` (used to skip the field when serialising).
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Patch::Unchanged)
    }

    /// The value, if `Set`.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Patch::Set(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<T> for Patch<T> {
    fn from(v: T) -> Self {
        Patch::Set(v)
    }
}

impl From<&str> for Patch<String> {
    fn from(v: &str) -> Self {
        Patch::Set(v.to_owned())
    }
}

impl<T> From<Option<T>> for Patch<T> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Patch::Clear, Patch::Set)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(v) => v.serialize(s),
            // `Unchanged` is skipped by `skip_serializing_if`; if it is serialised anyway, `null`
            // would clear the field, so refuse instead of silently changing meaning.
            Patch::Unchanged => Err(serde::ser::Error::custom(
                "Patch::Unchanged must be skipped with skip_serializing_if",
            )),
            Patch::Clear => s.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    /// A present `null` is `Clear`; a value is `Set`. Absence is handled by `#[serde(default)]`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(d)?.into())
    }
}
