//! Mutes: a team's accepted risks. A mute file (`sprawl.toml`, or `--mute FILE`) lists entries
//! that each match one rule id and a set of resources (an ARN, a glob of ARNs, or a tag), with a
//! reason and an expiry date:
//!
//! ```toml
//! [[mute]]
//! rule = "lambda-url-public"
//! resource = "arn:aws:lambda:eu-west-1:123456789012:function:stripe-webhook"
//! reason = "Public by design: Stripe signs every payload (SEC-1234)"
//! expires = 2027-03-31
//! ```
//!
//! A muted finding is never hidden: the explorer and the exports show it as muted, with the
//! reason; only `check` skips it. A mute applies up to and including its expiry day; after that
//! it stops applying and is reported, so an accepted risk comes back to the team by itself.
//!
//! Pure like the rest of `assess`: the caller reads the file and passes "today".

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::report::{Assessment, Finding};
use sprawl_model::{Detail, Inventory, Tags};

/// The default mute file, read from the working directory when it exists.
pub const DEFAULT_FILE: &str = "sprawl.toml";

/// One accepted risk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mute {
    /// The line of its `[[mute]]` header, for reports.
    pub line: usize,
    pub rule: String,
    pub target: Target,
    pub reason: String,
    /// The last day the mute applies.
    pub expires: NaiveDate,
}

/// Which resources a mute covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An ARN, or a glob of ARNs (`*` any run of characters, `?` one character). A stage's
    /// findings are on `API-ARN/stages/NAME`.
    Resource(String),
    /// Resources carrying this tag (any value when `value` is `None`). A stage goes by its
    /// API's tags.
    Tag { key: String, value: Option<String> },
}

impl Target {
    pub fn describe(&self) -> String {
        match self {
            Target::Resource(p) => p.clone(),
            Target::Tag { key, value: None } => format!("tag {key}"),
            Target::Tag {
                key,
                value: Some(v),
            } => format!("tag {key}={v}"),
        }
    }
}

/// A mute file that cannot be used: the line and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct MuteError {
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    mute: Vec<Spanned<RawMute>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMute {
    rule: Option<Spanned<String>>,
    resource: Option<Spanned<String>>,
    tag: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    expires: Option<Spanned<toml::Value>>,
}

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Reads a mute file's text. Every entry needs `rule`, `reason`, `expires` and one of `resource`
/// or `tag`; the rule must be in the catalog, so a typo cannot silently mute nothing.
pub fn parse(text: &str) -> Result<Vec<Mute>, MuteError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| MuteError {
        line: e.span().map_or(1, |s| line_of(text, s.start)),
        // toml's message may span lines; a report line holds one.
        message: e.message().split_whitespace().collect::<Vec<_>>().join(" "),
    })?;
    raw.mute
        .into_iter()
        .map(|entry| {
            let line = line_of(text, entry.span().start);
            read_entry(text, line, entry.into_inner())
        })
        .collect()
}

fn read_entry(text: &str, line: usize, raw: RawMute) -> Result<Mute, MuteError> {
    let at = |span: std::ops::Range<usize>, message: String| MuteError {
        line: line_of(text, span.start),
        message,
    };
    let missing = |key: &str| MuteError {
        line,
        message: format!("this [[mute]] has no `{key}`"),
    };
    let rule = raw.rule.ok_or_else(|| missing("rule"))?;
    if super::rules::find(rule.get_ref()).is_none() {
        return Err(at(
            rule.span(),
            format!(
                "unknown rule id {:?} (`sprawl rules` lists them)",
                rule.get_ref()
            ),
        ));
    }
    let target = match (raw.resource, raw.tag) {
        (Some(_), Some(tag)) => {
            return Err(at(
                tag.span(),
                "a [[mute]] takes `resource` or `tag`, not both".into(),
            ));
        }
        (None, None) => return Err(missing("resource` or `tag")),
        (Some(r), None) => {
            let pattern = r.get_ref().trim();
            let glob = pattern.contains(['*', '?']);
            if pattern.is_empty() || (!glob && !pattern.starts_with("arn:")) {
                return Err(at(
                    r.span(),
                    format!(
                        "resource {pattern:?} is not an ARN or a glob of ARNs (such as \"arn:aws:lambda:*:*:function:public-*\")"
                    ),
                ));
            }
            Target::Resource(pattern.to_string())
        }
        (None, Some(t)) => {
            let (key, value) = match t.get_ref().split_once('=') {
                Some((k, v)) => (k.trim(), Some(v.trim().to_string())),
                None => (t.get_ref().trim(), None),
            };
            if key.is_empty() {
                return Err(at(
                    t.span(),
                    "tag needs a key: \"KEY=VALUE\" or \"KEY\"".into(),
                ));
            }
            Target::Tag {
                key: key.to_string(),
                value,
            }
        }
    };
    let reason = raw.reason.ok_or_else(|| missing("reason"))?;
    if reason.get_ref().trim().is_empty() {
        return Err(at(
            reason.span(),
            "`reason` is empty: say why the risk is accepted".into(),
        ));
    }
    let expires = raw.expires.ok_or_else(|| missing("expires"))?;
    let date = date_of(expires.get_ref()).ok_or_else(|| {
        at(
            expires.span(),
            "`expires` must be a date such as 2027-03-31".into(),
        )
    })?;
    Ok(Mute {
        line,
        rule: rule.into_inner(),
        target,
        reason: reason.into_inner().trim().to_string(),
        expires: date,
    })
}

/// A TOML date (`2027-03-31`, or a date-time, whose day counts) or the same as a string.
fn date_of(v: &toml::Value) -> Option<NaiveDate> {
    match v {
        toml::Value::Datetime(dt) => {
            let d = dt.date?;
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }
        toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
        _ => None,
    }
}

/// Which finding each mute covers, as of a day.
#[derive(Debug, Clone, Default)]
pub struct Muting {
    mutes: Vec<Mute>,
    today: NaiveDate,
    /// Per finding (same index as `Assessment::findings`), the mute that covers it.
    by_finding: Vec<Option<usize>>,
    /// Mutes past their expiry day (they apply to nothing).
    expired: Vec<usize>,
    /// Mutes in force that matched no finding (the risk went away, or the entry is wrong).
    unused: Vec<usize>,
}

impl Muting {
    /// Matches `mutes` against the assessment's findings, as of `today`.
    pub fn apply(
        mutes: Vec<Mute>,
        assessment: &Assessment,
        inventory: &Inventory,
        today: NaiveDate,
    ) -> Muting {
        let tags = tags_by_arn(inventory);
        let mut used = vec![false; mutes.len()];
        let live: Vec<usize> = (0..mutes.len())
            .filter(|i| mutes[*i].expires >= today)
            .collect();
        let by_finding = assessment
            .findings
            .iter()
            .map(|f| {
                let hit = live
                    .iter()
                    .copied()
                    .find(|i| covers(&mutes[*i], f, &tags))?;
                used[hit] = true;
                Some(hit)
            })
            .collect();
        Muting {
            expired: (0..mutes.len())
                .filter(|i| mutes[*i].expires < today)
                .collect(),
            unused: live.into_iter().filter(|i| !used[*i]).collect(),
            by_finding,
            mutes,
            today,
        }
    }

    /// Mutes as of `today` not yet applied to any assessment (a scan under way): see
    /// [`Muting::reapply`].
    pub fn pending(mutes: Vec<Mute>, today: NaiveDate) -> Muting {
        Muting {
            mutes,
            today,
            ..Muting::default()
        }
    }

    /// The same mutes, as of the same day, on another assessment (a rescan).
    pub fn reapply(&self, assessment: &Assessment, inventory: &Inventory) -> Muting {
        Muting::apply(self.mutes.clone(), assessment, inventory, self.today)
    }

    /// The mute covering finding `index`, if any.
    pub fn of(&self, index: usize) -> Option<&Mute> {
        self.by_finding
            .get(index)
            .copied()
            .flatten()
            .map(|i| &self.mutes[i])
    }

    pub fn muted_count(&self) -> usize {
        self.by_finding.iter().filter(|m| m.is_some()).count()
    }

    pub fn expired(&self) -> impl Iterator<Item = &Mute> {
        self.expired.iter().map(|i| &self.mutes[*i])
    }

    pub fn unused(&self) -> impl Iterator<Item = &Mute> {
        self.unused.iter().map(|i| &self.mutes[*i])
    }

    pub fn is_empty(&self) -> bool {
        self.mutes.is_empty()
    }
}

fn covers(m: &Mute, f: &Finding, tags: &HashMap<&str, &Tags>) -> bool {
    if m.rule != f.rule {
        return false;
    }
    match &m.target {
        Target::Resource(pattern) => sprawl_iam::wildcard::matches(pattern, &f.resource, true),
        Target::Tag { key, value } => {
            // A stage's findings are on `API-ARN/stages/NAME`; it goes by its API's tags.
            let owner = sprawl_model::api_of(&f.resource);
            tags.get(owner)
                .and_then(|t| t.get(key))
                .is_some_and(|v| value.as_deref().is_none_or(|want| want == v))
        }
    }
}

fn tags_by_arn(inv: &Inventory) -> HashMap<&str, &Tags> {
    let mut out = HashMap::new();
    for f in &inv.functions {
        // Tags not collected: a tag mute cannot match (the finding stays unmuted, never hidden).
        if let Detail::Collected { value } = &f.tags {
            out.insert(f.arn.as_str(), value);
        }
    }
    out.extend(inv.roles.iter().map(|r| (r.arn.as_str(), &r.tags)));
    out.extend(inv.secrets.iter().map(|s| (s.arn.as_str(), &s.tags)));
    out.extend(inv.rest_apis.iter().map(|a| (a.arn.as_str(), &a.tags)));
    out.extend(inv.http_apis.iter().map(|a| (a.arn.as_str(), &a.tags)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_reads() {
        let text = r#"
# accepted risks
[[mute]]
rule = "lambda-url-public"
resource = "arn:aws:lambda:*:*:function:public-*"
reason = "Signed webhooks"
expires = 2027-03-31

[[mute]]
rule = "lambda-no-vpc"
tag = "team=edge"
reason = "Edge functions need no VPC"
expires = "2026-12-31"
"#;
        let mutes = parse(text).unwrap();
        assert_eq!(mutes.len(), 2);
        assert_eq!(mutes[0].line, 3);
        assert_eq!(
            mutes[0].expires,
            NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()
        );
        assert_eq!(
            mutes[1].target,
            Target::Tag {
                key: "team".into(),
                value: Some("edge".into())
            }
        );
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn a_bad_file_names_the_line() {
        let entry = |body: &str| format!("\n[[mute]]\n{body}\n");
        let good = "rule = \"lambda-no-vpc\"\nresource = \"arn:aws:lambda:x\"\nreason = \"r\"\nexpires = 2027-01-01";
        let cases = [
            (
                entry(&good.replace("lambda-no-vpc", "lamda-no-vpc")),
                3,
                "unknown rule id",
            ),
            (
                entry(&good.replace("reason = \"r\"\n", "")),
                2,
                "no `reason`",
            ),
            (
                entry(&good.replace("2027-01-01", "\"soon\"")),
                6,
                "must be a date",
            ),
            (entry(&good.replace("2027-01-01", "2027-02-30")), 6, "date"),
            (
                entry(&good.replace("arn:aws:lambda:x", "my-function")),
                4,
                "not an ARN",
            ),
            (entry(&format!("{good}\ntag = \"a=b\"")), 7, "not both"),
            (
                entry(&format!("{good}\nexpiry = 2027-01-01")),
                7,
                "unknown field",
            ),
            (
                entry(&good.replace("reason = \"r\"", "reason = \"  \"")),
                5,
                "empty",
            ),
            (
                "[[mute]]\nrule = \"lambda-no-vpc\"\nreason = \"r".to_string(),
                3,
                "",
            ),
            ("mutes = 3".to_string(), 1, "unknown field"),
        ];
        for (text, line, words) in cases {
            let e = parse(&text).expect_err(&text);
            assert_eq!(e.line, line, "{text}: {e}");
            assert!(e.message.contains(words), "{text}: {e}");
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }
}
