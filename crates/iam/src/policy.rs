//! IAM policy documents, typed: the grammar of statements before any judgement about them.
//!
//! Accepts documents as the collectors store them (already URL-decoded JSON): `Statement` as one
//! object or a list; `Action`/`NotAction`, `Resource`/`NotResource`, `Principal`/`NotPrincipal`
//! each as a string or a list; `Condition` blocks of any operator. Nothing is dropped silently: a
//! statement the grammar cannot read is an error naming its position.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use sprawl_model::PolicyDocument;

use crate::wildcard;

mod quick;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// A list of patterns that either names what it covers (`Action`, `Resource`, `Principal`) or
/// everything except it (`NotAction`, `NotResource`, `NotPrincipal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patterns<T> {
    Only(T),
    AllBut(T),
}

/// Principals by kind (`AWS`, `Service`, `Federated`, `CanonicalUser`); `"*"` as a bare string
/// is the kind `*`.
pub type PrincipalMap = BTreeMap<String, Vec<String>>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// `StringEquals`, `ArnLike`, `ForAnyValue:StringLike`, `Bool`, ...
    pub operator: String,
    /// The context key, as written (`aws:SourceArn`).
    pub key: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Position in the document, for evidence.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub actions: Patterns<Vec<String>>,
    /// Resource policies and trust policies may omit it: then it covers the resource the policy
    /// is attached to, which reads as `*` here.
    pub resources: Patterns<Vec<String>>,
    /// Present in resource and trust policies; absent in identity policies.
    pub principals: Option<Patterns<PrincipalMap>>,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("the policy is not a JSON object")]
    NotAnObject,
    #[error("statement {0} is not an object")]
    StatementNotAnObject(usize),
    #[error("statement {0} has no valid Effect (Allow or Deny)")]
    BadEffect(usize),
    #[error("statement {0} has neither Action nor NotAction")]
    NoAction(usize),
    #[error("statement {0} has an unreadable {1}")]
    BadField(usize, &'static str),
}

/// A string or a list of strings (numbers and booleans, which conditions allow, as text).
fn strings(v: &Value) -> Option<Vec<String>> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match v {
        Value::Array(list) => list.iter().map(one).collect(),
        other => one(other).map(|s| vec![s]),
    }
}

fn patterns(
    st: &serde_json::Map<String, Value>,
    index: usize,
    yes: &'static str,
    no: &'static str,
) -> Result<Option<Patterns<Vec<String>>>, PolicyError> {
    match (st.get(yes), st.get(no)) {
        (Some(v), _) => strings(v)
            .map(|s| Some(Patterns::Only(s)))
            .ok_or(PolicyError::BadField(index, yes)),
        (None, Some(v)) => strings(v)
            .map(|s| Some(Patterns::AllBut(s)))
            .ok_or(PolicyError::BadField(index, no)),
        (None, None) => Ok(None),
    }
}

fn principal_map(v: &Value) -> Option<PrincipalMap> {
    match v {
        // `"Principal": "*"` is anyone; a bare string otherwise is an AWS account or ARN.
        Value::String(s) if s == "*" => Some(BTreeMap::from([("*".into(), vec!["*".into()])])),
        Value::String(s) => Some(BTreeMap::from([("AWS".into(), vec![s.clone()])])),
        Value::Object(map) => map
            .iter()
            .map(|(kind, ids)| Some((kind.clone(), strings(ids)?)))
            .collect(),
        _ => None,
    }
}

impl Policy {
    /// Reads a collected document.
    pub fn from_document(doc: &PolicyDocument) -> Result<Policy, PolicyError> {
        if let Some(policy) = quick::policy(doc.text()) {
            return Ok(policy);
        }
        Policy::from_value(&doc.try_value().map_err(|_| PolicyError::NotAnObject)?)
    }

    /// Reads a document in any form AWS hands out: a JSON object, a JSON string, or a
    /// URL-encoded JSON string (IAM's GetRolePolicy and GetPolicyVersion return those).
    pub fn from_value(doc: &Value) -> Result<Policy, PolicyError> {
        match doc {
            Value::String(text) => {
                let decoded = if text.trim_start().starts_with('{') {
                    text.clone()
                } else {
                    percent_encoding::percent_decode_str(text)
                        .decode_utf8()
                        .map_err(|_| PolicyError::NotAnObject)?
                        .into_owned()
                };
                let value: Value =
                    serde_json::from_str(&decoded).map_err(|_| PolicyError::NotAnObject)?;
                Policy::parse(&value)
            }
            other => Policy::parse(other),
        }
    }

    pub fn parse(doc: &Value) -> Result<Policy, PolicyError> {
        let Value::Object(obj) = doc else {
            return Err(PolicyError::NotAnObject);
        };
        let raw: Vec<&Value> = match obj.get("Statement") {
            Some(Value::Array(list)) => list.iter().collect(),
            Some(one @ Value::Object(_)) => vec![one],
            None => Vec::new(),
            Some(_) => return Err(PolicyError::StatementNotAnObject(0)),
        };
        let mut statements = Vec::with_capacity(raw.len());
        for (index, st) in raw.into_iter().enumerate() {
            let Value::Object(st) = st else {
                return Err(PolicyError::StatementNotAnObject(index));
            };
            let effect = match st.get("Effect").and_then(Value::as_str) {
                Some("Allow") => Effect::Allow,
                Some("Deny") => Effect::Deny,
                _ => return Err(PolicyError::BadEffect(index)),
            };
            let actions =
                patterns(st, index, "Action", "NotAction")?.ok_or(PolicyError::NoAction(index))?;
            let resources = patterns(st, index, "Resource", "NotResource")?
                .unwrap_or_else(|| Patterns::Only(vec!["*".to_string()]));
            let principals = match (st.get("Principal"), st.get("NotPrincipal")) {
                (Some(v), _) => Some(Patterns::Only(
                    principal_map(v).ok_or(PolicyError::BadField(index, "Principal"))?,
                )),
                (None, Some(v)) => Some(Patterns::AllBut(
                    principal_map(v).ok_or(PolicyError::BadField(index, "NotPrincipal"))?,
                )),
                (None, None) => None,
            };
            let mut conditions = Vec::new();
            if let Some(block) = st.get("Condition") {
                let Value::Object(ops) = block else {
                    return Err(PolicyError::BadField(index, "Condition"));
                };
                for (operator, keys) in ops {
                    let Value::Object(keys) = keys else {
                        return Err(PolicyError::BadField(index, "Condition"));
                    };
                    for (key, values) in keys {
                        conditions.push(Condition {
                            operator: operator.clone(),
                            key: key.clone(),
                            values: strings(values)
                                .ok_or(PolicyError::BadField(index, "Condition"))?,
                        });
                    }
                }
            }
            statements.push(Statement {
                index,
                sid: st.get("Sid").and_then(Value::as_str).map(str::to_string),
                effect,
                actions,
                resources,
                principals,
                conditions,
            });
        }
        Ok(Policy { statements })
    }
}

/// Where a grant comes from: a policy and a statement in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StatementRef {
    /// The policy's name (inline) or ARN (managed), or `trust policy` / `resource policy`.
    pub policy: String,
    /// Position in the document, from 0.
    pub statement: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

impl StatementRef {
    pub fn new(policy: &str, st: &Statement) -> Self {
        StatementRef {
            policy: policy.to_string(),
            statement: st.index,
            sid: st.sid.clone(),
        }
    }
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} statement {}", self.policy, self.statement)?;
        if let Some(sid) = &self.sid {
            write!(f, " ({sid})")?;
        }
        Ok(())
    }
}

/// `aws:SourceArn ArnLike arn:aws:s3:::b` for evidence.
pub fn condition_text(st: &Statement) -> Vec<String> {
    st.conditions
        .iter()
        .map(|c| format!("{} {} {}", c.key, c.operator, c.values.join(",")))
        .collect()
}

/// One of [`condition_text`]'s lines read back: its key, its operator and its values (joined by
/// commas), each empty where the line has none.
pub fn condition_parts(text: &str) -> (&str, &str, &str) {
    let mut parts = text.splitn(3, ' ');
    (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    )
}

impl Patterns<Vec<String>> {
    /// Whether these action patterns cover `action` (`Action` lists it, or `NotAction` does not).
    pub fn covers_action(&self, action: &str) -> bool {
        match self {
            Patterns::Only(ps) => ps.iter().any(|p| wildcard::matches(p, action, false)),
            Patterns::AllBut(ps) => !ps.iter().any(|p| wildcard::matches(p, action, false)),
        }
    }

    /// Whether these resource patterns cover `arn`.
    pub fn covers_resource(&self, arn: &str) -> bool {
        match self {
            Patterns::Only(ps) => ps.iter().any(|p| wildcard::matches(p, arn, true)),
            Patterns::AllBut(ps) => !ps.iter().any(|p| wildcard::matches(p, arn, true)),
        }
    }
}

impl Statement {
    /// What it grants or denies, as written: `s3:GetObject, s3:PutObject`, or `every action
    /// but iam:*` for a `NotAction` statement.
    pub fn actions_text(&self) -> String {
        match &self.actions {
            Patterns::Only(a) => a.join(", "),
            Patterns::AllBut(a) => format!("every action but {}", a.join(", ")),
        }
    }

    /// A grant that holds only when its conditions do: the analyser keeps it, marked as such.
    pub fn is_conditional(&self) -> bool {
        !self.conditions.is_empty()
    }

    /// The statement as it stands at `now`: None when a condition that can be decided then (a
    /// date on `aws:CurrentTime` or `aws:TokenIssueTime`) is false, so the statement applies to
    /// no request; else the statement without the conditions that are true then. Conditions on
    /// anything else stay, and keep it conditional.
    pub fn at(&self, now: chrono::DateTime<chrono::Utc>) -> Option<Statement> {
        let mut left = Vec::with_capacity(self.conditions.len());
        for c in &self.conditions {
            match c.at(now) {
                Some(false) => return None,
                Some(true) => {}
                None => left.push(c.clone()),
            }
        }
        Some(Statement {
            conditions: left,
            ..self.clone()
        })
    }
}

impl Condition {
    /// Whether the condition holds at `now`, when that can be known without the request: a date
    /// operator on the time of the request (`aws:CurrentTime`) or of its credentials
    /// (`aws:TokenIssueTime`: a function's credentials are minted as it runs, so "now" too).
    /// None for anything else, or a value that is not a date.
    pub fn at(&self, now: chrono::DateTime<chrono::Utc>) -> Option<bool> {
        use std::cmp::Ordering::*;
        let key = self.key.to_ascii_lowercase();
        if key != "aws:currenttime" && key != "aws:tokenissuetime" {
            return None;
        }
        // `...IfExists` is the same here: the key is always present. Set operators are left
        // alone (a date key has one value; such a condition is unusual enough to keep).
        let op = self
            .operator
            .strip_suffix("IfExists")
            .unwrap_or(&self.operator);
        let holds: fn(std::cmp::Ordering) -> bool = match op {
            "DateEquals" | "DateNotEquals" => |o| o == Equal,
            "DateLessThan" => |o| o == Less,
            "DateLessThanEquals" => |o| o != Greater,
            "DateGreaterThan" => |o| o == Greater,
            "DateGreaterThanEquals" => |o| o != Less,
            _ => return None,
        };
        let mut any = false;
        for v in &self.values {
            any |= holds(now.cmp(&parse_date(v)?));
        }
        // A negated operator holds when no value matches.
        Some(if op == "DateNotEquals" { !any } else { any })
    }
}

/// A date as IAM reads one: ISO 8601 (with or without a time and zone) or seconds since 1970.
fn parse_date(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S") {
        return Some(t.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    text.parse::<i64>()
        .ok()
        .and_then(|s| DateTime::from_timestamp(s, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statements_parse_in_every_shape() {
        let doc = json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::c/*"]},
                {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"},
                {"Effect": "Deny", "Action": "*", "NotResource": "arn:aws:s3:::b/*",
                 "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}, "NumericLessThan": {"s3:max-keys": 10}}},
                {"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunctionUrl"},
                {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::210987654321:root"], "Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction"}
            ]
        });
        let p = Policy::parse(&doc).unwrap();
        assert_eq!(p.statements.len(), 5);
        assert_eq!(p.statements[0].sid.as_deref(), Some("A"));
        assert_eq!(
            p.statements[0].resources,
            Patterns::Only(vec!["arn:aws:s3:::b/*".into(), "arn:aws:s3:::c/*".into()])
        );
        assert!(matches!(p.statements[1].actions, Patterns::AllBut(ref a) if a.len() == 2));
        let deny = &p.statements[2];
        assert_eq!(deny.effect, Effect::Deny);
        assert!(deny.is_conditional());
        assert_eq!(deny.conditions.len(), 2);
        assert!(
            deny.conditions
                .iter()
                .any(|c| c.operator == "NumericLessThan" && c.values == ["10"])
        );
        assert_eq!(
            p.statements[3].resources,
            Patterns::Only(vec!["*".into()]),
            "resource policies may omit Resource"
        );
        let Some(Patterns::Only(anyone)) = &p.statements[3].principals else {
            panic!()
        };
        assert_eq!(anyone["*"], ["*"]);
        let Some(Patterns::Only(named)) = &p.statements[4].principals else {
            panic!()
        };
        assert_eq!(named["Service"], ["s3.amazonaws.com"]);
        assert_eq!(named["AWS"], ["arn:aws:iam::210987654321:root"]);
    }

    #[test]
    fn url_encoded_and_string_documents_read_like_objects() {
        let raw = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}"#;
        let encoded: String =
            percent_encoding::utf8_percent_encode(raw, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        let a = Policy::from_value(&Value::String(encoded)).unwrap();
        let b = Policy::from_value(&Value::String(raw.into())).unwrap();
        let c = Policy::from_value(&serde_json::from_str(raw).unwrap()).unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert!(Policy::from_value(&Value::String("%7B%7D%7".into())).is_err());
    }

    #[test]
    fn a_single_statement_object_and_a_bare_account_principal() {
        let doc = json!({"Statement": {"Effect": "Allow", "Principal": "210987654321", "Action": "lambda:InvokeFunction"}});
        let p = Policy::parse(&doc).unwrap();
        let Some(Patterns::Only(m)) = &p.statements[0].principals else {
            panic!()
        };
        assert_eq!(m["AWS"], ["210987654321"]);
    }

    #[test]
    fn unreadable_documents_are_errors_naming_the_statement() {
        assert_eq!(
            Policy::parse(&json!("not json")),
            Err(PolicyError::NotAnObject)
        );
        assert_eq!(
            Policy::parse(
                &json!({"Statement": [{"Effect": "Allow", "Action": "*"}, {"Effect": "Maybe", "Action": "*"}]})
            ),
            Err(PolicyError::BadEffect(1))
        );
        assert_eq!(
            Policy::parse(&json!({"Statement": [{"Effect": "Allow", "Resource": "*"}]})),
            Err(PolicyError::NoAction(0))
        );
        assert_eq!(
            Policy::parse(&json!({"Statement": [{"Effect": "Allow", "Action": {"x": 1}}]})),
            Err(PolicyError::BadField(0, "Action"))
        );
    }

    #[test]
    fn not_action_covers_everything_else() {
        let p = Policy::parse(&json!({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::private/*"}]})).unwrap();
        let st = &p.statements[0];
        assert!(st.actions.covers_action("s3:GetObject"));
        assert!(!st.actions.covers_action("IAM:CreateUser"));
        assert!(st.resources.covers_resource("arn:aws:s3:::public/x"));
        assert!(!st.resources.covers_resource("arn:aws:s3:::private/x"));
    }
}
