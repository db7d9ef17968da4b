//! The quick reading of a policy document held as JSON text: straight into statements, with no
//! tree of JSON values in between (building that tree and copying out of it was most of the
//! time an organization's tens of thousands of roles took to read).
//!
//! It reads only what it is sure to read exactly as [`Policy::parse`] does, and refuses the
//! rest: a document that is not an object, a key given twice (the tree keeps the last value in
//! the first one's place), a number that is not whole, a `Sid` that is not text, anything
//! malformed. [`Policy::from_document`] reads what it refuses the slow way, with that way's
//! errors, so a refusal costs time, never a different answer.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Condition, Effect, Patterns, Policy, PrincipalMap, Statement};

/// `text` read as a policy, or `None` where the slow reading must decide.
pub(super) fn policy(text: &str) -> Option<Policy> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc = Doc::deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(doc.0)
}

/// A refusal: the reason is never shown, the slow reading gives its own.
fn refuse<E: de::Error>() -> E {
    E::custom("left to the slow reading")
}

/// A key or string, borrowed from the text where it has no escapes.
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

struct Doc(Policy);

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Doc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a policy document")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
                let mut statements = None;
                let mut seen = Vec::new();
                while let Some(Text(key)) = map.next_key()? {
                    if seen.contains(&key) {
                        return Err(refuse());
                    }
                    if key == "Statement" {
                        statements = Some(map.next_value::<Statements>()?.0);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                    seen.push(key);
                }
                Ok(Doc(Policy {
                    statements: statements.unwrap_or_default(),
                }))
            }
        }
        d.deserialize_map(V)
    }
}

/// `Statement`: a list of statements, or one.
struct Statements(Vec<Statement>);

impl<'de> Deserialize<'de> for Statements {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Statements;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("statements")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Statements, A::Error> {
                let mut all = Vec::new();
                while let Some(st) = seq.next_element_seed(At(all.len()))? {
                    all.push(st);
                }
                Ok(Statements(all))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Statements, A::Error> {
                Ok(Statements(vec![At(0).visit_map(map)?]))
            }
        }
        d.deserialize_any(V)
    }
}

/// The statement at position `.0`.
struct At(usize);

impl<'de> DeserializeSeed<'de> for At {
    type Value = Statement;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Statement, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for At {
    type Value = Statement;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a statement")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Statement, A::Error> {
        let mut sid = None;
        let mut effect = None;
        let (mut action, mut not_action) = (None, None);
        let (mut resource, mut not_resource) = (None, None);
        let (mut principal, mut not_principal) = (None, None);
        let mut conditions = None;
        let mut seen = Vec::new();
        while let Some(Text(key)) = map.next_key()? {
            if seen.contains(&key) {
                return Err(refuse());
            }
            match key.as_ref() {
                "Sid" => sid = Some(map.next_value::<Text>()?.0.into_owned()),
                "Effect" => {
                    effect = Some(match map.next_value::<Text>()?.0.as_ref() {
                        "Allow" => Effect::Allow,
                        "Deny" => Effect::Deny,
                        _ => return Err(refuse()),
                    })
                }
                "Action" => action = Some(map.next_value::<Strings>()?.0),
                "NotAction" => not_action = Some(map.next_value::<Strings>()?.0),
                "Resource" => resource = Some(map.next_value::<Strings>()?.0),
                "NotResource" => not_resource = Some(map.next_value::<Strings>()?.0),
                "Principal" => principal = Some(map.next_value::<Principals>()?.0),
                "NotPrincipal" => not_principal = Some(map.next_value::<Principals>()?.0),
                "Condition" => conditions = Some(map.next_value::<Conditions>()?.0),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            seen.push(key);
        }
        // Each pair as the slow reading takes it: the positive form wins.
        fn pick<T>(yes: Option<T>, no: Option<T>) -> Option<Patterns<T>> {
            match (yes, no) {
                (Some(v), _) => Some(Patterns::Only(v)),
                (None, Some(v)) => Some(Patterns::AllBut(v)),
                (None, None) => None,
            }
        }
        Ok(Statement {
            index: self.0,
            sid,
            effect: effect.ok_or_else(refuse)?,
            actions: pick(action, not_action).ok_or_else(refuse)?,
            resources: pick(resource, not_resource)
                .unwrap_or_else(|| Patterns::Only(vec!["*".to_string()])),
            principals: pick(principal, not_principal),
            conditions: conditions.unwrap_or_default(),
        })
    }
}

/// A string or a list of strings; whole numbers and booleans as text, as the slow reading
/// writes them.
struct Strings(Vec<String>);

/// One element of [`Strings`].
struct One(String);

/// Reads a string, a whole number or a boolean as text into `one`, and, where `list` is
/// given, a list of them into it.
struct Scalars<T> {
    one: fn(String) -> T,
    list: Option<fn(Vec<String>) -> T>,
}

impl<'de, T> Visitor<'de> for Scalars<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a list of strings")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
        Ok((self.one)(s.to_string()))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<T, E> {
        Ok((self.one)(n.to_string()))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<T, E> {
        Ok((self.one)(n.to_string()))
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<T, E> {
        Ok((self.one)(b.to_string()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let Some(list) = self.list else {
            return Err(refuse());
        };
        let mut all = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(One(s)) = seq.next_element()? {
            all.push(s);
        }
        Ok(list(all))
    }
}

impl<'de> Deserialize<'de> for One {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Scalars {
            one: One,
            list: None,
        })
    }
}

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Scalars {
            one: |s| Strings(vec![s]),
            list: Some(Strings),
        })
    }
}

/// `Principal`: `"*"` (anyone), an account or ARN, or principals by kind.
struct Principals(PrincipalMap);

impl<'de> Deserialize<'de> for Principals {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Principals;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("principals")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Principals, E> {
                let kind = if s == "*" { "*" } else { "AWS" };
                Ok(Principals(PrincipalMap::from([(
                    kind.to_string(),
                    vec![s.to_string()],
                )])))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Principals, A::Error> {
                // A kind given twice keeps its last list, as the slow reading's map does.
                let mut all = PrincipalMap::new();
                while let Some((Text(kind), Strings(ids))) = map.next_entry()? {
                    all.insert(kind.into_owned(), ids);
                }
                Ok(Principals(all))
            }
        }
        d.deserialize_any(V)
    }
}

/// `Condition`: operators, each of keys and their values, in the document's order.
struct Conditions(Vec<Condition>);

impl<'de> Deserialize<'de> for Conditions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys(Vec<(String, Vec<String>)>);
        impl<'de> Deserialize<'de> for Keys {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = Keys;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("condition keys")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                        let mut all: Vec<(String, Vec<String>)> = Vec::new();
                        while let Some((Text(key), Strings(values))) = map.next_entry()? {
                            if all.iter().any(|(k, _)| *k == key) {
                                return Err(refuse());
                            }
                            all.push((key.into_owned(), values));
                        }
                        Ok(Keys(all))
                    }
                }
                d.deserialize_map(V)
            }
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Conditions;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a condition block")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Conditions, A::Error> {
                let mut operators: Vec<String> = Vec::new();
                let mut all = Vec::new();
                while let Some((Text(operator), Keys(keys))) = map.next_entry()? {
                    if operators.iter().any(|o| *o == operator) {
                        return Err(refuse());
                    }
                    for (key, values) in keys {
                        all.push(Condition {
                            operator: operator.to_string(),
                            key,
                            values,
                        });
                    }
                    operators.push(operator.into_owned());
                }
                Ok(Conditions(all))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::super::PolicyError;
    use super::*;

    /// The slow reading: the tree of values, then the grammar.
    fn slow(text: &str) -> Result<Policy, PolicyError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|_| PolicyError::NotAnObject)?;
        Policy::from_value(&value)
    }

    /// Conditions in one order: the tree keeps the document's order where serde_json's
    /// `preserve_order` is on (as in sprawl's build) and sorts its keys where it is not (this
    /// crate built alone); the quick reading keeps the document's.
    fn sorted(p: Result<Policy, PolicyError>) -> Result<Policy, PolicyError> {
        p.map(|mut p| {
            for st in &mut p.statements {
                st.conditions
                    .sort_by(|a, b| (&a.operator, &a.key).cmp(&(&b.operator, &b.key)));
            }
            p
        })
    }

    /// Documents the quick reading must read, each exactly as the slow one does.
    const READ: &[&str] = &[
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*","arn:aws:s3:::c/*"]}]}"#,
        r#"{"Statement":{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:s3:::b/*"}}"#,
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Principal":"123456789012","Action":"sts:AssumeRole"}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::210987654321:root"],"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction"}]}"#,
        r#"{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":"*"}]}"#,
        // Conditions keep the document's order; numbers and booleans read as text.
        r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":10,"a:b":-3},"StringNotEquals":{"aws:PrincipalOrgID":["o-1","o-2"]}}}]}"#,
        // Both forms of a pair: the positive one counts.
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"s3:Get*","Resource":"*","NotResource":"x"}]}"#,
        // A kind given twice in a principal: its last list.
        r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"a","AWS":"b"},"Action":"x:y"}]}"#,
        // Escapes, unknown keys, an empty list, no statement at all.
        r#"{"Statement":[{"Sid":"\u0041\n","Effect":"Allow","Action":[],"Resource":"arn:aws:s3:::a\"b","Extra":{"x":[1,{"y":null}]}}]}"#,
        r#"{"Version":"2012-10-17"}"#,
        r#"{"Statement":[]}"#,
        " {\"Statement\" : [ {\"Effect\" : \"Allow\" , \"Action\" : \"*\" } ] } ",
    ];

    /// Documents the quick reading leaves to the slow one (which reads or refuses them).
    const LEFT: &[&str] = &[
        // A key given twice: the tree keeps the last value where the first one stood.
        r#"{"Statement":[{"Effect":"Allow","Action":"a:b","Action":"c:d"}]}"#,
        r#"{"Statement":[],"Statement":[{"Effect":"Allow","Action":"*"}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"Bool":{"k":"1"},"Bool":{"k":"2"}}}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"Bool":{"k":"1","k":"2"}}}]}"#,
        // Numbers that are not whole; a Sid that is not text.
        r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"NumericLessThan":{"k":1.5}}}]}"#,
        r#"{"Statement":[{"Sid":7,"Effect":"Allow","Action":"*"}]}"#,
        // What the grammar refuses.
        r#"{"Statement":[{"Effect":"Maybe","Action":"*"}]}"#,
        r#"{"Statement":[{"Effect":"Allow"}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":null}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":[["a"]]}]}"#,
        r#"{"Statement":["x"]}"#,
        r#"{"Statement":null}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":"*","Principal":7}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"Bool":"x"}}]}"#,
        // Not an object, or not JSON.
        r#""{\"Statement\":[]}""#,
        "[1]",
        "{\"Statement\":[]} trailing",
        "{",
    ];

    #[test]
    fn what_it_reads_it_reads_as_the_slow_reading_does() {
        for text in READ {
            let quick = policy(text).unwrap_or_else(|| panic!("left to the slow reading: {text}"));
            assert_eq!(sorted(Ok(quick)), sorted(slow(text)), "{text}");
        }
        let doc: sprawl_model::PolicyDocument = serde_json::from_str(READ[6]).expect("a document");
        assert_eq!(policy(READ[6]), Policy::from_document(&doc).ok());
        let conditions = &policy(READ[6]).unwrap().statements[0].conditions;
        let read: Vec<(&str, &str, Vec<&str>)> = conditions
            .iter()
            .map(|c| {
                let values = c.values.iter().map(String::as_str).collect();
                (c.operator.as_str(), c.key.as_str(), values)
            })
            .collect();
        assert_eq!(
            read,
            [
                ("Bool", "aws:SecureTransport", vec!["false"]),
                ("NumericLessThan", "s3:max-keys", vec!["10"]),
                ("NumericLessThan", "a:b", vec!["-3"]),
                ("StringNotEquals", "aws:PrincipalOrgID", vec!["o-1", "o-2"]),
            ]
        );
    }

    #[test]
    fn what_it_cannot_be_sure_of_it_leaves_to_the_slow_reading() {
        for text in LEFT {
            assert_eq!(policy(text), None, "{text}");
        }
        // Which reads a duplicated key as the tree keeps it, and refuses the rest with its
        // own errors.
        let doc: sprawl_model::PolicyDocument = serde_json::from_str(LEFT[0]).expect("a document");
        let read = Policy::from_document(&doc).expect("readable");
        assert_eq!(
            read.statements[0].actions,
            Patterns::Only(vec!["c:d".to_string()])
        );
        let doc: sprawl_model::PolicyDocument = serde_json::from_str(LEFT[6]).expect("a document");
        assert_eq!(Policy::from_document(&doc), Err(PolicyError::BadEffect(0)));
    }
}
