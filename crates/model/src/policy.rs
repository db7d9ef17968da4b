//! Policy documents as the inventory keeps them: compact JSON text, not a tree of values.
//!
//! An account with ten thousand functions carries tens of thousands of identity, trust and
//! resource policies. As `serde_json::Value` trees they were most of a loaded snapshot's memory
//! (maps of maps, an allocation per key); as text they cost their length, load without building
//! anything, and are parsed only by the code that interprets them (the assessment, once per scan).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// A policy document (identity, trust or resource policy) as AWS returned it after URL-decoding,
/// held as compact JSON. It serializes as the JSON it holds, so snapshots show the document itself.
#[derive(Clone)]
pub struct PolicyDocument(Box<RawValue>);

impl PolicyDocument {
    /// The document as compact JSON text.
    pub fn text(&self) -> &str {
        self.0.get()
    }

    /// The document as a JSON value (parsed on every call: interpreters call it once). A
    /// document that does not parse (none does: loading checks their depth) reads as `null`.
    pub fn value(&self) -> Value {
        self.try_value().unwrap_or(Value::Null)
    }

    /// The document as a JSON value, or why it cannot be one.
    pub fn try_value(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }

    fn from_json_text(text: String) -> Self {
        // Text that serde_json wrote or minified from valid JSON is valid JSON; should it not be,
        // it is kept as a JSON string, which every interpreter refuses as a document.
        match RawValue::from_string(text) {
            Ok(raw) => PolicyDocument(raw),
            Err(e) => Self::from(Value::String(format!("unreadable document: {e}"))),
        }
    }
}

/// `null`: what a document that AWS did not return reads as.
impl Default for PolicyDocument {
    fn default() -> Self {
        Self::from(Value::Null)
    }
}

impl From<Value> for PolicyDocument {
    fn from(value: Value) -> Self {
        Self::from(&value)
    }
}

impl From<&Value> for PolicyDocument {
    fn from(value: &Value) -> Self {
        Self::from_json_text(value.to_string())
    }
}

impl PartialEq for PolicyDocument {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
    }
}

impl Eq for PolicyDocument {}

impl std::fmt::Debug for PolicyDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PolicyDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        // serde_json skips a raw value without its recursion limit: a crafted file could carry a
        // document too deep to ever parse. No policy AWS accepts is nested a tenth as deep.
        if nesting(raw.get()) > MAX_DEPTH {
            return Err(serde::de::Error::custom(format_args!(
                "a policy document is nested deeper than {MAX_DEPTH} levels"
            )));
        }
        // A snapshot someone pretty-printed still loads; its documents are kept compact.
        Ok(match minified(raw.get()) {
            Some(text) => Self::from_json_text(text),
            None => PolicyDocument(raw),
        })
    }
}

/// The deepest nesting a loaded policy document may have (serde_json parses 128).
const MAX_DEPTH: usize = 64;

/// How deeply arrays and objects nest in `json` (valid JSON).
fn nesting(json: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in json.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// `json` without the whitespace between its tokens, or None when it has none. `json` is valid
/// JSON (the parser checked it), so whitespace outside strings is insignificant.
fn minified(json: &str) -> Option<String> {
    if !json.bytes().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if matches!(c, ' ' | '\t' | '\n' | '\r') {
            continue;
        }
        out.push(c);
    }
    (out.len() != json.len()).then_some(out)
}

/// Walking a document's statements as written, for code that lists or rewrites them rather than
/// judging them (the collectors' service principals, a least-privilege suggestion, the actions a
/// policy keeps). What a policy allows, and to whom, is the IAM engine's (`sprawl-iam`), which
/// reads the same grammar into types.
pub mod statements {
    use serde_json::Value;

    /// A document's statements: `Statement` as one object or a list (IAM takes both).
    pub fn of(document: &Value) -> Vec<&Value> {
        match document.get("Statement") {
            Some(Value::Array(list)) => list.iter().collect(),
            Some(one @ Value::Object(_)) => vec![one],
            _ => Vec::new(),
        }
    }

    /// A string-or-list field (`Action`, `Resource`, a principal's `AWS`) as its strings;
    /// anything else as none.
    pub fn strings(field: Option<&Value>) -> Vec<&str> {
        match field {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The statement allows (its `Effect` is `Allow`), rather than denies.
    pub fn allows(statement: &Value) -> bool {
        statement.get("Effect").and_then(Value::as_str) == Some("Allow")
    }

    /// The actions an Allow statement names in `Action`; none for a Deny, and none for a
    /// `NotAction` statement (it names what it does not grant).
    pub fn allowed_actions(statement: &Value) -> Vec<&str> {
        if allows(statement) {
            strings(statement.get("Action"))
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_compact_text_and_round_trips() {
        let doc = PolicyDocument::from(
            json!({"Statement": [{"Effect": "Allow", "Sid": "a \" b\\ c  d"}]}),
        );
        assert_eq!(
            doc.text(),
            r#"{"Statement":[{"Effect":"Allow","Sid":"a \" b\\ c  d"}]}"#
        );
        let pretty = serde_json::to_string_pretty(&doc.value()).unwrap();
        let back: PolicyDocument = serde_json::from_str(&pretty).unwrap();
        assert_eq!(back, doc);
        assert_eq!(serde_json::to_string(&back).unwrap(), doc.text());
        let s: PolicyDocument = serde_json::from_str(r#" "%7B%7D" "#).unwrap();
        assert_eq!(s.value(), json!("%7B%7D"));
    }

    #[test]
    fn a_document_nested_too_deep_is_refused_when_loaded() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(serde_json::from_str::<PolicyDocument>(&deep(MAX_DEPTH)).is_ok());
        let err = serde_json::from_str::<PolicyDocument>(&deep(100_000))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nested deeper than 64"), "{err}");
        // Brackets inside strings do not count.
        let text = format!("{{\"Sid\":\"{}\"}}", "[".repeat(1000));
        assert!(serde_json::from_str::<PolicyDocument>(&text).is_ok());
    }

    #[test]
    fn statements_are_walked_as_iam_reads_them() {
        use super::statements::{allowed_actions, allows, of, strings};
        let one = serde_json::json!({"Statement": {"Effect": "Allow", "Action": "s3:GetObject"}});
        let list = serde_json::json!({"Statement": [
            {"Effect": "Allow", "Action": ["sqs:SendMessage", "sns:Publish"], "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:*"},
            {"Effect": "Allow", "NotAction": "iam:*"},
            {"Effect": "allow", "Action": "kms:Decrypt"}
        ]});
        assert_eq!(of(&one).len(), 1);
        assert_eq!(allowed_actions(of(&one)[0]), ["s3:GetObject"]);
        let all: Vec<&str> = of(&list).into_iter().flat_map(allowed_actions).collect();
        // A Deny grants nothing, NotAction names what it does not grant, and IAM's Effect is
        // case-sensitive.
        assert_eq!(all, ["sqs:SendMessage", "sns:Publish"]);
        assert!(!allows(of(&list)[3]));
        assert_eq!(strings(of(&list)[0].get("Resource")), ["*"]);
        assert!(strings(Some(&serde_json::json!(7))).is_empty());
        assert!(of(&serde_json::json!({"Version": "2012-10-17"})).is_empty());
    }
}
