//! Tags: a few key/value pairs per resource, kept as one sorted vector.
//!
//! Every function, role and secret has a handful of tags. As `BTreeMap`s each set cost a
//! 544-byte tree node however few tags it held (ten megabytes at ten thousand functions and roles);
//! a sorted vector costs what it holds, serializes in the same stable order, and is as quick to
//! search at these sizes.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Tag keys that name an owner, in order of preference, compared case-insensitively. The one
/// definition that the `lambda-no-owner` rule, the explorer's TEAM column and the overview share.
pub const OWNER_KEYS: &[&str] = &[
    "team",
    "owner",
    "owner_team",
    "owning-team",
    "contact",
    "maintainer",
    "squad",
];

/// Key/value pairs sorted by key, each key once. Written as a JSON object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    pub fn new() -> Self {
        Tags(Vec::new())
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key` (replacing its value), keeping the order; returns the old value.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Pairs in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The owner these tags name: the value of the first of [`OWNER_KEYS`] present.
    pub fn owner(&self) -> Option<&str> {
        OWNER_KEYS.iter().find_map(|want| {
            self.0
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(want))
                .map(|(_, v)| v.as_str())
        })
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(_, v)| v)
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }
}

impl FromIterator<(String, String)> for Tags {
    /// Later pairs win over earlier ones with the same key, as with a map.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        let mut tags = Tags::new();
        for (k, v) in pairs {
            tags.insert(k, v);
        }
        tags.0.shrink_to_fit();
        tags
    }
}

impl<const N: usize> From<[(String, String); N]> for Tags {
    fn from(pairs: [(String, String); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a Tags {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl Serialize for Tags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Tags {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagsVisitor;
        impl<'de> Visitor<'de> for TagsVisitor {
            type Value = Tags;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of tag names and values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tags, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(pair) = map.next_entry::<String, String>()? {
                    pairs.push(pair);
                }
                // Files sprawl writes are sorted already; anything else is sorted here.
                if pairs.is_sorted_by(|a, b| a.0 < b.0) {
                    pairs.shrink_to_fit();
                    Ok(Tags(pairs))
                } else {
                    Ok(pairs.into_iter().collect())
                }
            }
        }
        deserializer.deserialize_map(TagsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_sorted_map() {
        let mut t: Tags = [("team", "a"), ("app", "x"), ("team", "b")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(t.get("team").map(String::as_str), Some("b"));
        assert_eq!(t.keys().collect::<Vec<_>>(), ["app", "team"]);
        assert_eq!(t.insert("app".into(), "y".into()).as_deref(), Some("x"));
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"app":"y","team":"b"}"#);
        assert_eq!(serde_json::from_str::<Tags>(&json).unwrap(), t);
        let unsorted: Tags = serde_json::from_str(r#"{"z":"1","a":"2","z":"3"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&unsorted).unwrap(),
            r#"{"a":"2","z":"3"}"#
        );
        assert!(!t.contains_key("owner") && t.len() == 2 && !t.is_empty());
    }
}
