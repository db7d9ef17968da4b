//! Parts of an assessment that only a detail screen reads, kept as JSON text once loaded.
//!
//! Every role's statement summary and trust admissions are most of a loaded assessment (tens of
//! megabytes of small strings at ten thousand roles), yet the explorer shows them for one role at
//! a time. A [`Deferred`] read from a snapshot holds the compact JSON it was written as and builds
//! the value the first time it is asked for; one built by the assessment holds the value. Either
//! way it serializes to the same JSON.

use std::fmt;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

pub struct Deferred<T> {
    /// The JSON it was read from; None when built from a value.
    text: Option<Box<RawValue>>,
    /// The value, or why the text did not read as one (a damaged snapshot: the screen says so,
    /// rather than showing nothing, which would read as "none").
    value: OnceLock<Result<T, String>>,
}

impl<T> Deferred<T> {
    pub fn new(value: T) -> Self {
        Deferred {
            text: None,
            value: OnceLock::from(Ok(value)),
        }
    }
}

impl<T: DeserializeOwned> Deferred<T> {
    /// The value, read from the snapshot's text on first use.
    pub fn get(&self) -> Result<&T, &str> {
        self.value
            .get_or_init(|| match &self.text {
                Some(text) => serde_json::from_str(text.get()).map_err(|e| e.to_string()),
                None => Err("no value".to_string()),
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

impl<T: Clone> Clone for Deferred<T> {
    fn clone(&self) -> Self {
        Deferred {
            text: self.text.clone(),
            value: self.value.clone(),
        }
    }
}

impl<T: DeserializeOwned + PartialEq> PartialEq for Deferred<T> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl<T: DeserializeOwned + Eq> Eq for Deferred<T> {}

impl<T: DeserializeOwned + fmt::Debug> fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl<T: Serialize> Serialize for Deferred<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.value.get(), &self.text) {
            (Some(Ok(value)), _) => value.serialize(serializer),
            (_, Some(text)) => text.serialize(serializer),
            (_, None) => unreachable!("a Deferred holds its text or its value"),
        }
    }
}

impl<'de, T> Deserialize<'de> for Deferred<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Deferred {
            text: Some(Box::<RawValue>::deserialize(deserializer)?),
            value: OnceLock::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_on_first_use_and_writes_what_it_read() {
        let built = Deferred::new(vec![1u32, 2]);
        let json = serde_json::to_string(&built).unwrap();
        assert_eq!(json, "[1,2]");
        let read: Deferred<Vec<u32>> = serde_json::from_str(&json).unwrap();
        assert!(read.value.get().is_none());
        assert_eq!(read, built);
        assert_eq!(serde_json::to_string(&read).unwrap(), json);

        let damaged: Deferred<Vec<u32>> = serde_json::from_str(r#"["x"]"#).unwrap();
        assert!(damaged.get().unwrap_err().contains("invalid type"));
        assert_eq!(serde_json::to_string(&damaged).unwrap(), r#"["x"]"#);
    }
}
