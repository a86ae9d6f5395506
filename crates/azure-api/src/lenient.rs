//! How Azure mode reads a member Azure may leave out or extend: absent or `null` reads as the
//! default, and an enum value the desk does not know is kept as the text Azure sent. Shared by the
//! reservation reader (`read`) and the order's price (`order_price`).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// A member that may be absent or `null`: either reads as its default.
pub fn or_default<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(deserializer: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A value of an enum Azure may extend: one the desk knows, or the text Azure sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lenient<T> {
    /// A value the desk knows.
    Known(T),
    /// Another value (kept as Azure wrote it: a string, or the JSON of anything else).
    Other(String),
}

impl<T> Lenient<T> {
    /// The known value, if it is one.
    pub fn known(&self) -> Option<&T> {
        match self {
            Lenient::Known(t) => Some(t),
            Lenient::Other(_) => None,
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(match T::deserialize(&value) {
            Ok(known) => Lenient::Known(known),
            Err(_) => Lenient::Other(value.as_str().map_or_else(|| value.to_string(), str::to_owned)),
        })
    }
}
