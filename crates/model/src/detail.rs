use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::FailureKind;

/// The outcome of collecting one piece of a resource's detail with its own API call.
///
/// A failed or skipped call is never the same as "nothing there": `Collected(None)` says AWS
/// answered that there is no policy (or URL, or config); `Failed` and `Skipped` say we do not
/// know, and the assessment must mark what depends on it as not assessed.
///
/// In JSON: `{"status": "collected", "value": …}`, `{"status": "skipped", "reason": …}` or
/// `{"status": "failed", "kind": …, "message": …}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Detail<T> {
    /// The call succeeded; `value` is what AWS returned.
    Collected { value: T },
    /// The call was not made, on purpose (the cheaper data says it cannot matter).
    Skipped { reason: String },
    /// The call failed after its retries.
    Failed { kind: FailureKind, message: String },
}

/// What a snapshot written before sprawl read a detail holds for it.
pub(crate) fn not_read_by_older_sprawl<T>() -> Detail<T> {
    Detail::skipped("not read by the sprawl that wrote this snapshot")
}

impl<T> Detail<T> {
    /// A collected value.
    pub fn collected(value: T) -> Self {
        Detail::Collected { value }
    }

    /// A detail skipped on purpose, with the reason recorded.
    pub fn skipped(reason: impl Into<String>) -> Self {
        Detail::Skipped {
            reason: reason.into(),
        }
    }

    /// A detail whose call failed.
    pub fn failed(failure: &super::Failure) -> Self {
        Detail::Failed {
            kind: failure.kind,
            message: failure.message.clone(),
        }
    }

    /// The collected value, if the call succeeded.
    pub fn value(&self) -> Option<&T> {
        match self {
            Detail::Collected { value } => Some(value),
            _ => None,
        }
    }

    /// The collected value, or why it is missing (`"{what} skipped: …"`, `"{what} not read
    /// (kind: message)"`): the reason a check that needs it reports as "not assessed".
    pub fn require(&self, what: &str) -> Result<&T, String> {
        match self {
            Detail::Collected { value } => Ok(value),
            Detail::Skipped { reason } => Err(format!("{what} skipped: {reason}")),
            Detail::Failed { kind, message } => Err(format!("{what} not read ({kind}: {message})")),
        }
    }

    /// True when the call succeeded.
    pub fn is_collected(&self) -> bool {
        matches!(self, Detail::Collected { .. })
    }
}

/// Read by hand rather than derived: serde's derive for an internally tagged enum copies each
/// value into an intermediate buffer before reading it (slow at ten thousand functions, and a
/// policy document's raw JSON cannot be read back out of that buffer). A `value` has the same type
/// whatever the status, so every field is read straight into its type, in any order.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Detail<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(DetailVisitor(PhantomData))
    }
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
enum Status {
    Collected,
    Skipped,
    Failed,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Status,
    Value,
    Reason,
    Kind,
    Message,
    #[serde(other)]
    Other,
}

struct DetailVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for DetailVisitor<T> {
    type Value = Detail<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a detail ({\"status\": \"collected\" | \"skipped\" | \"failed\", ...})")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Detail<T>, A::Error> {
        let (mut status, mut value, mut reason, mut kind, mut message) =
            (None, None, None, None, None);
        while let Some(field) = map.next_key()? {
            match field {
                Field::Status if status.is_some() => {
                    return Err(de::Error::duplicate_field("status"));
                }
                Field::Status => status = Some(map.next_value::<Status>()?),
                // A value beside a skipped or failed status is ignored (read, if it comes first).
                Field::Value if status.is_none_or(|s| s == Status::Collected) => {
                    value = Some(map.next_value::<T>()?)
                }
                Field::Reason => reason = Some(map.next_value()?),
                Field::Kind => kind = Some(map.next_value()?),
                Field::Message => message = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let missing = |field| de::Error::missing_field(field);
        Ok(match status.ok_or_else(|| missing("status"))? {
            Status::Collected => Detail::Collected {
                value: value.ok_or_else(|| missing("value"))?,
            },
            Status::Skipped => Detail::Skipped {
                reason: reason.ok_or_else(|| missing("reason"))?,
            },
            Status::Failed => Detail::Failed {
                kind: kind.ok_or_else(|| missing("kind"))?,
                message: message.ok_or_else(|| missing("message"))?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PolicyDocument;

    type Doc = Detail<Option<PolicyDocument>>;

    #[test]
    fn reads_what_it_writes_and_reordered_fields() {
        let doc: PolicyDocument = serde_json::json!({"Statement": []}).into();
        let cases: Vec<Doc> = vec![
            Detail::collected(Some(doc)),
            Detail::collected(None),
            Detail::skipped("not needed"),
            Detail::Failed {
                kind: FailureKind::AccessDenied,
                message: "no".into(),
            },
        ];
        for d in cases {
            let json = serde_json::to_string(&d).unwrap();
            assert!(json.starts_with(r#"{"status":"#), "{json}");
            assert_eq!(serde_json::from_str::<Doc>(&json).unwrap(), d);
            // The same object with its status last, and an unknown field.
            let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
            let status = v.as_object_mut().unwrap().remove("status").unwrap();
            v["extra"] = 1.into();
            v["status"] = status;
            let reordered = v.to_string();
            assert!(!reordered.starts_with(r#"{"status""#), "{reordered}");
            assert_eq!(serde_json::from_str::<Doc>(&reordered).unwrap(), d);
        }
    }

    #[test]
    fn missing_and_unknown_fields_are_errors() {
        for bad in [
            r#"{"status":"collected"}"#,
            r#"{"status":"skipped"}"#,
            r#"{"status":"failed","kind":"throttled"}"#,
            r#"{"status":"maybe","value":null}"#,
            r#"{"value":null}"#,
            r#"[1]"#,
        ] {
            assert!(serde_json::from_str::<Doc>(bad).is_err(), "{bad}");
        }
    }
}
