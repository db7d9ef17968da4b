//! The list filter: plain words and `key:value` / `key>=value` terms, all of which must match.
//!
//! `runtime:python3.8 severity>=high region:eu-west-1 team:payments orders` keeps the rows whose
//! runtime contains "python3.8", whose worst finding is high or critical, in eu-west-1, tagged
//! team=payments, with "orders" anywhere in their text. A key a row does not know is looked up
//! as a tag (`app:checkout`). Text compares case-insensitively; `:` means "contains", `=` means
//! "equals"; numbers and severities compare by value (`score>50`, `severity<medium`).
//!
//! The words match the columns: `score` is the SCORE column (a function's risk score, 0-100),
//! `severity` the SEVERITY column (the worst finding's); `risk` is another name for `severity`.
//! A key no row has, or a value its key cannot take (`severity>=hgh`), is reported by
//! [`Query::problem`] instead of silently matching nothing.

use crate::assess::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Contains,
    Eq,
    Ge,
    Gt,
    Le,
    Lt,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Word(String),
    Field { key: String, op: Op, value: String },
}

/// A field's value on a row, borrowed from it where it can be (a filter reads every row on
/// every keystroke).
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Text(std::borrow::Cow<'a, str>),
    Number(f64),
    Severity(Option<Severity>),
}

/// What a row offers the filter.
pub trait Filterable {
    /// All the row's text, lower-cased, for plain words.
    fn haystack(&self) -> &str;
    /// A named field (`runtime`, `severity`, ...), or a tag, or nothing.
    fn field(&self, key: &str) -> Option<Value<'_>>;
    /// The keys `field` knows (tags aside), for the filter's messages.
    fn keys() -> &'static [&'static str]
    where
        Self: Sized;
    /// True when any other key is looked up as a tag.
    fn tagged() -> bool
    where
        Self: Sized,
    {
        false
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
}

pub fn severity_named(s: &str) -> Option<Severity> {
    Some(match s {
        "critical" | "crit" => Severity::Critical,
        "high" => Severity::High,
        "medium" | "med" => Severity::Medium,
        "low" => Severity::Low,
        "info" | "none" => Severity::Info,
        _ => return None,
    })
}

impl Query {
    pub fn parse(text: &str) -> Query {
        let terms = text
            .split_whitespace()
            .map(|token| {
                for (sym, op) in [
                    (">=", Op::Ge),
                    ("<=", Op::Le),
                    (">", Op::Gt),
                    ("<", Op::Lt),
                    (":", Op::Contains),
                    ("=", Op::Eq),
                ] {
                    if let Some((key, value)) = token.split_once(sym)
                        && !key.is_empty()
                        && key
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
                    {
                        return Term::Field {
                            key: key.to_ascii_lowercase(),
                            op,
                            value: value.to_ascii_lowercase(),
                        };
                    }
                }
                Term::Word(token.to_ascii_lowercase())
            })
            .collect();
        Query { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Why this query cannot mean what it says on `rows`: a key they do not have (nor, where
    /// rows have tags, any row's tag), or a value its key cannot take. None when it can.
    pub fn problem<R: Filterable>(&self, rows: &[R]) -> Option<String> {
        self.terms.iter().find_map(|t| term_problem(t, rows))
    }

    /// Leaves out the terms that cannot mean what they say on `rows` (a bad term would keep no
    /// row, and the list would look empty); says why, for the status line.
    pub fn drop_problems<R: Filterable>(&mut self, rows: &[R]) -> Option<String> {
        let mut first = None;
        self.terms.retain(|t| match term_problem(t, rows) {
            Some(p) => {
                first.get_or_insert(p);
                false
            }
            None => true,
        });
        first.map(|p| format!("{p} (that term is left out)"))
    }

    /// Whether every row of `rows` this query keeps, `wider` keeps too, so that this query
    /// need only look at the rows `wider` kept: each of `wider`'s terms is implied by one of
    /// these (the same term, or a word or a text field's value typed further: `acc` then
    /// `account`). Typing further does not always narrow (`score<5` then `score<50`, a number
    /// or severity field's value), so only the same term implies any other.
    pub fn narrows<R: Filterable>(&self, wider: &Query, rows: &[R]) -> bool {
        let implies = |t: &Term, w: &Term| match (t, w) {
            _ if t == w => true,
            (Term::Word(t), Term::Word(w)) => t.contains(w.as_str()),
            (
                Term::Field {
                    key,
                    op: Op::Contains,
                    value,
                },
                Term::Field {
                    key: wider_key,
                    op: Op::Contains,
                    value: wider_value,
                },
            ) => {
                key == wider_key
                    && value.contains(wider_value.as_str())
                    && matches!(rows.iter().find_map(|r| r.field(key)), Some(Value::Text(_)))
            }
            _ => false,
        };
        wider
            .terms
            .iter()
            .all(|w| self.terms.iter().any(|t| implies(t, w)))
    }

    pub fn matches(&self, row: &dyn Filterable) -> bool {
        self.terms.iter().all(|t| match t {
            Term::Word(w) => row.haystack().contains(w.as_str()),
            Term::Field { key, op, value } => match row.field(key) {
                Some(v) => compare(&v, *op, value),
                None => false,
            },
        })
    }
}

/// Keys whose value is yes or no, in every list that has them.
const FLAG_KEYS: &[&str] = &[
    "idle",
    "admin",
    "deprecated",
    "conditional",
    "stopped",
    "scanned",
];

/// Keys whose value is a day (`2026-11-23`; a year or a month compares as a prefix), in every
/// list that has them; `never` is a value too (not invoked in the window).
const DATE_KEYS: &[&str] = &["last-invoked", "invoked", "modified"];

/// Whether `value` can be a day as the lists write them: `2026`, `2026-11`, `2026-11-23`.
fn is_day(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    }
}

/// Why one term cannot mean what it says on `rows`, if it cannot.
fn term_problem<R: Filterable>(term: &Term, rows: &[R]) -> Option<String> {
    let Term::Field { key, op, value } = term else {
        return None;
    };
    let sym = match op {
        Op::Contains => ":",
        Op::Eq => "=",
        Op::Ge => ">=",
        Op::Gt => ">",
        Op::Le => "<=",
        Op::Lt => "<",
    };
    // A value its key cannot take, whether or not any row has one (no metrics read, say).
    if R::keys().contains(&key.as_str()) {
        if FLAG_KEYS.contains(&key.as_str())
            && (!matches!(op, Op::Contains | Op::Eq) || !matches!(value.as_str(), "yes" | "no"))
        {
            return Some(format!("{key}{sym}{value}: {key} is yes or no ({key}:yes)"));
        }
        if DATE_KEYS.contains(&key.as_str())
            && !is_day(value)
            && !(value == "never" && matches!(op, Op::Contains | Op::Eq))
        {
            return Some(format!(
                "{key}{sym}{value}: {key} is a day, as 2026-11-23 (or 2026-11, or never)"
            ));
        }
    }
    match rows.iter().find_map(|r| r.field(key)) {
        // A key of this list that no row has a value for (no function has a team): fine.
        None if R::keys().contains(&key.as_str()) => None,
        None => Some(format!(
            "no key {key:?} here: keys are {}{}",
            R::keys().join(", "),
            if R::tagged() { ", or a tag's key" } else { "" }
        )),
        Some(Value::Severity(_)) if severity_named(value).is_none() => Some(format!(
            "{key}{sym}{value}: {value:?} is no severity (critical, high, medium, low, info)"
        )),
        Some(Value::Number(_)) if value.parse::<f64>().is_err() => Some(format!(
            "{key}{sym}{value}: {key} is a number{}",
            if severity_named(value).is_some() {
                format!("; for the worst finding write severity{sym}{value}")
            } else {
                String::new()
            }
        )),
        Some(_) => None,
    }
}

fn compare(v: &Value, op: Op, want: &str) -> bool {
    match v {
        Value::Text(have) => match op {
            Op::Contains => contains_ignoring_case(have, want),
            Op::Eq => have.eq_ignore_ascii_case(want),
            _ => {
                let have = have.to_ascii_lowercase();
                order(Some(have.as_str().cmp(want)), op)
            }
        },
        Value::Number(have) => {
            let Ok(want) = want.parse::<f64>() else {
                return false;
            };
            order(have.partial_cmp(&want), op)
        }
        Value::Severity(have) => {
            let Some(want) = severity_named(want) else {
                return false;
            };
            let have = have.unwrap_or(Severity::Info);
            if op == Op::Contains {
                return have == want;
            }
            order(Some(have.cmp(&want)), op)
        }
    }
}

/// Whether `have` contains `want` (lower case), ASCII case aside, without a lower-cased copy.
fn contains_ignoring_case(have: &str, want: &str) -> bool {
    if !have.bytes().any(|b| b.is_ascii_uppercase()) {
        return have.contains(want);
    }
    want.is_empty()
        || have
            .as_bytes()
            .windows(want.len())
            .any(|w| w.eq_ignore_ascii_case(want.as_bytes()))
}

fn order(o: Option<std::cmp::Ordering>, op: Op) -> bool {
    use std::cmp::Ordering::*;
    match (o, op) {
        (None, _) => false,
        (Some(o), Op::Eq | Op::Contains) => o == Equal,
        (Some(o), Op::Ge) => o != Less,
        (Some(o), Op::Gt) => o == Greater,
        (Some(o), Op::Le) => o != Greater,
        (Some(o), Op::Lt) => o == Less,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row;
    impl Filterable for Row {
        fn keys() -> &'static [&'static str] {
            &["runtime", "region", "severity", "score", "team", "owner"]
        }
        fn haystack(&self) -> &str {
            "payments-refund-api python3.8 eu-west-1"
        }
        fn field(&self, key: &str) -> Option<Value<'_>> {
            match key {
                "runtime" => Some(Value::Text("python3.8".into())),
                "region" => Some(Value::Text("eu-west-1".into())),
                "severity" => Some(Value::Severity(Some(Severity::High))),
                "score" => Some(Value::Number(61.0)),
                "team" => Some(Value::Text("payments".into())),
                _ => None,
            }
        }
    }

    #[test]
    fn terms_combine_and_compare_by_kind() {
        let yes = [
            "runtime:python3.8 severity>=high region:eu-west-1 team:payments",
            "refund",
            "score>60",
            "severity:high",
            "severity<critical",
            "RUNTIME:PYTHON",
        ];
        let no = [
            "severity>=critical",
            "team=pay",
            "score<=60",
            "app:x",
            "python3.9",
            "severity>=bogus",
        ];
        for q in yes {
            assert!(Query::parse(q).matches(&Row), "{q}");
        }
        for q in no {
            assert!(!Query::parse(q).matches(&Row), "{q}");
        }
        assert!(Query::parse("").matches(&Row));
    }

    #[test]
    fn unknown_keys_and_values_are_problems() {
        let rows = [Row];
        let problem = |q: &str| Query::parse(q).problem(&rows[..]);
        for fine in [
            "severity>=high",
            "score>50",
            "team:pay",
            "refund",
            "owner:x",
            "",
        ] {
            assert_eq!(problem(fine), None, "{fine}");
        }
        let p = problem("severity>=hgh").unwrap();
        assert!(p.contains("\"hgh\" is no severity"), "{p}");
        let p = problem("foo:bar").unwrap();
        assert!(p.contains("no key \"foo\"") && p.contains("runtime"), "{p}");
        let p = problem("score>=high").unwrap();
        assert!(p.contains("severity>=high"), "{p}");
    }

    /// Issue 26 (14): a value a yes-or-no or a day key cannot take is said, like an unknown key,
    /// even where no row has the field (no metrics read).
    #[test]
    fn flags_and_days_take_only_their_values() {
        struct Fn;
        impl Filterable for Fn {
            fn keys() -> &'static [&'static str] {
                &["idle", "admin", "last-invoked", "modified"]
            }
            fn haystack(&self) -> &str {
                ""
            }
            fn field(&self, key: &str) -> Option<Value<'_>> {
                match key {
                    "admin" => Some(Value::Text("no".into())),
                    "modified" => Some(Value::Text("2026-11-02".into())),
                    _ => None,
                }
            }
        }
        let rows = [Fn];
        let problem = |q: &str| Query::parse(q).problem(&rows[..]);
        for bad in [
            "idle:maybe",
            "admin:maybe",
            "idle>yes",
            "last-invoked<yesterday",
            "modified>=last-week",
            "last-invoked<never",
        ] {
            assert!(problem(bad).is_some(), "{bad}");
        }
        assert!(problem("idle:maybe").unwrap().contains("yes or no"));
        assert!(problem("last-invoked<yesterday").unwrap().contains("a day"));
        for fine in [
            "idle:yes",
            "admin=no",
            "last-invoked<2026-11-01",
            "last-invoked:never",
            "modified>=2026-11",
            "modified<2027",
        ] {
            assert_eq!(problem(fine), None, "{fine}");
        }
    }
}
