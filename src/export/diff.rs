//! `sprawl diff OLD NEW`: what changed between two snapshots of one account. Resources are
//! matched by ARN (added, removed, or changed with the fields that differ), findings by their
//! stable key (rule, resource, evidence paths: see [`finding_key`]), scores by function.
//!
//! A partial scan is flagged: a resource or finding missing from a scan whose calls failed may
//! still be there, so "removed" and "resolved" are then only as good as that scan's coverage.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::{ExportError, finding_id, finding_key};
use crate::assess::{Assessment, Finding, Severity};
use crate::snapshot::Snapshot;

#[derive(Debug, Serialize)]
pub struct Diff {
    pub account: String,
    pub old: Side,
    pub new: Side,
    pub functions: Changes,
    pub roles: Changes,
    pub apis: Changes,
    pub secrets: Changes,
    pub findings: FindingChanges,
    /// Functions in both scans whose risk score moved, the largest move first.
    pub scores: Vec<ScoreMove>,
}

#[derive(Debug, Serialize)]
pub struct Side {
    pub scanned_at: DateTime<Utc>,
    /// Calls failed or checks could not run in this scan.
    pub partial: bool,
}

#[derive(Debug, Default, Serialize)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<Changed>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

#[derive(Debug, Serialize)]
pub struct Changed {
    pub arn: String,
    /// The resource's fields (as in the snapshot) whose values differ.
    pub fields: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct FindingChanges {
    pub new: Vec<FindingRef>,
    pub resolved: Vec<FindingRef>,
    /// Findings in both whose severity rose (a function made public, say).
    pub raised: Vec<SeverityChange>,
    /// Findings in both whose severity fell (a runtime upgraded, a URL given auth).
    pub lowered: Vec<SeverityChange>,
}

/// A finding in both snapshots whose severity moved.
#[derive(Debug, Serialize)]
pub struct SeverityChange {
    #[serde(flatten)]
    pub finding: FindingRef,
    /// Its severity in the older snapshot (`finding.severity` is the newer's).
    pub was: Severity,
}

#[derive(Debug, Serialize)]
pub struct FindingRef {
    pub id: String,
    pub rule: String,
    pub severity: Severity,
    pub resource: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct ScoreMove {
    pub arn: String,
    pub name: String,
    pub old: u8,
    pub new: u8,
}

/// Why two snapshots cannot be compared, or a damaged part of one.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error(
        "the snapshots are of different accounts ({old} and {new}); diff compares two scans of one account"
    )]
    Accounts { old: String, new: String },
    #[error(transparent)]
    Unreadable(#[from] ExportError),
}

/// Assesses both snapshots again with this build's rules, each as of its own scan (on two
/// threads), so that a finding that differs is the account's change, not a rule's; unless both
/// were assessed within their organization, when both keep their own assessments.
pub fn reassess_both(old: &mut Snapshot, new: &mut Snapshot) {
    // Snapshots both assessed within their organization would lose, assessed alone, what
    // crosses accounts: they keep their own assessments. Otherwise both are assessed alone, so
    // like is compared with like.
    if old.assessment.within.is_some() && new.assessment.within.is_some() {
        return;
    }
    std::thread::scope(|scope| {
        scope.spawn(|| old.reassess(old.scanned_at));
        new.reassess(new.scanned_at);
    });
}

/// Two snapshots already assessed with this build's rules (each alone, or within its
/// organization) made comparable: when one was assessed within an organization and the other
/// alone, both are assessed alone, as [`reassess_both`] would; else they stay as they are.
pub fn alike(old: &mut Snapshot, new: &mut Snapshot) {
    if old.assessment.within.is_some() != new.assessment.within.is_some() {
        reassess_both(old, new);
    }
}

/// Compares two assessed snapshots (see [`reassess_both`]).
pub fn diff(old: &Snapshot, new: &Snapshot) -> Result<Diff, DiffError> {
    if old.account.id != new.account.id {
        return Err(DiffError::Accounts {
            old: old.account.id.clone(),
            new: new.account.id.clone(),
        });
    }
    let (a, b) = (&old.assessment, &new.assessment);
    let new_keys = keys(b)?;
    let old_keys = keys(a)?;
    let old_set: HashSet<&str> = old_keys.iter().map(|(k, _)| k.as_str()).collect();
    let new_set: HashSet<&str> = new_keys.iter().map(|(k, _)| k.as_str()).collect();
    let refs =
        |list: &[(String, &Finding)], other: &HashSet<&str>| -> Result<Vec<_>, ExportError> {
            list.iter()
                .filter(|(k, _)| !other.contains(k.as_str()))
                .map(|(_, f)| finding_ref(f))
                .collect()
        };
    let old_scores: HashMap<&str, u8> = a
        .functions
        .iter()
        .map(|f| (f.arn.as_str(), f.score.total))
        .collect();
    let mut scores: Vec<ScoreMove> = b
        .functions
        .iter()
        .filter_map(|f| {
            let before = *old_scores.get(f.arn.as_str())?;
            (before != f.score.total).then(|| ScoreMove {
                arn: f.arn.clone(),
                name: f.name.clone(),
                old: before,
                new: f.score.total,
            })
        })
        .collect();
    scores.sort_by(|x, y| {
        let delta = |m: &ScoreMove| (i16::from(m.new) - i16::from(m.old)).abs();
        delta(y).cmp(&delta(x)).then(x.arn.cmp(&y.arn))
    });
    let (oi, ni) = (&old.inventory, &new.inventory);
    let mut apis = changes(
        &arn_map(&oi.rest_apis, |x| &x.arn),
        &arn_map(&ni.rest_apis, |x| &x.arn),
    );
    let http = changes(
        &arn_map(&oi.http_apis, |x| &x.arn),
        &arn_map(&ni.http_apis, |x| &x.arn),
    );
    apis.added.extend(http.added);
    apis.removed.extend(http.removed);
    apis.changed.extend(http.changed);
    Ok(Diff {
        account: new.account.id.clone(),
        old: side(old, a),
        new: side(new, b),
        functions: changes(
            &arn_map(&oi.functions, |x| &x.arn),
            &arn_map(&ni.functions, |x| &x.arn),
        ),
        roles: changes(
            &arn_map(&oi.roles, |x| &x.arn),
            &arn_map(&ni.roles, |x| &x.arn),
        ),
        apis,
        secrets: changes(
            &arn_map(&oi.secrets, |x| &x.arn),
            &arn_map(&ni.secrets, |x| &x.arn),
        ),
        findings: {
            let (raised, lowered) = moved(&old_keys, &new_keys)?;
            FindingChanges {
                new: refs(&new_keys, &old_set)?,
                resolved: refs(&old_keys, &new_set)?,
                raised,
                lowered,
            }
        },
        scores,
    })
}

/// The findings in both whose severity moved: raised, then lowered, the highest first.
fn moved(
    old: &[(String, &Finding)],
    new: &[(String, &Finding)],
) -> Result<(Vec<SeverityChange>, Vec<SeverityChange>), ExportError> {
    let before: HashMap<&str, Severity> =
        old.iter().map(|(k, f)| (k.as_str(), f.severity)).collect();
    let (mut raised, mut lowered) = (Vec::new(), Vec::new());
    for (k, f) in new {
        let Some(&was) = before.get(k.as_str()) else {
            continue;
        };
        if was == f.severity {
            continue;
        }
        let change = SeverityChange {
            finding: finding_ref(f)?,
            was,
        };
        if f.severity > was {
            raised.push(change);
        } else {
            lowered.push(change);
        }
    }
    Ok((raised, lowered))
}

/// The indices (in `new`'s findings) of findings `old` did not have, or had at a lower
/// severity: the explorer marks them, and `check --since` fails only on them.
pub fn new_findings(old: &Assessment, new: &Assessment) -> Result<HashSet<usize>, ExportError> {
    let before: HashMap<String, Severity> = keys(old)?
        .into_iter()
        .map(|(k, f)| (k, f.severity))
        .collect();
    Ok(keys(new)?
        .into_iter()
        .enumerate()
        .filter(|(_, (k, f))| before.get(k).is_none_or(|was| f.severity > *was))
        .map(|(i, _)| i)
        .collect())
}

fn side(s: &Snapshot, a: &Assessment) -> Side {
    Side {
        scanned_at: s.scanned_at,
        partial: !s.coverage.is_complete() || !a.not_assessed.is_empty(),
    }
}

fn keys(a: &Assessment) -> Result<Vec<(String, &Finding)>, ExportError> {
    a.findings
        .iter()
        .map(|f| Ok((finding_key(f, super::Report::evidence(f)?), f)))
        .collect()
}

fn finding_ref(f: &Finding) -> Result<FindingRef, ExportError> {
    Ok(FindingRef {
        id: finding_id(f, super::Report::evidence(f)?),
        rule: f.rule.clone(),
        severity: f.severity,
        resource: f.resource.clone(),
        message: f.message.clone(),
    })
}

fn arn_map<T>(items: &[T], arn: impl Fn(&T) -> &String) -> BTreeMap<&str, &T> {
    items.iter().map(|x| (arn(x).as_str(), x)).collect()
}

fn changes<T: Serialize>(old: &BTreeMap<&str, &T>, new: &BTreeMap<&str, &T>) -> Changes {
    let mut out = Changes::default();
    for (arn, after) in new {
        match old.get(arn) {
            None => out.added.push(arn.to_string()),
            Some(before) => {
                let fields = differing_fields(*before, *after);
                if !fields.is_empty() {
                    out.changed.push(Changed {
                        arn: arn.to_string(),
                        fields,
                    });
                }
            }
        }
    }
    out.removed = old
        .keys()
        .filter(|arn| !new.contains_key(*arn))
        .map(|arn| arn.to_string())
        .collect();
    out
}

fn differing_fields<T: Serialize>(before: &T, after: &T) -> Vec<String> {
    let (Ok(Value::Object(b)), Ok(Value::Object(a))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    let mut fields: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .chain(b.keys().filter(|k| !a.contains_key(*k)).cloned())
        .collect();
    fields.sort();
    fields
}

/// The diff as a terminal summary.
pub fn render(d: &Diff) -> String {
    let mut out = String::new();
    let when = |s: &Side| s.scanned_at.format("%Y-%m-%d %H:%M UTC").to_string();
    let _ = writeln!(
        out,
        "Account {}: {} -> {}",
        d.account,
        when(&d.old),
        when(&d.new)
    );
    for (side, name) in [(&d.old, "OLD"), (&d.new, "NEW")] {
        if side.partial {
            let _ = writeln!(
                out,
                "  note: the {name} scan is partial (calls failed or checks not assessed): what it lacks may only be unread"
            );
        }
    }
    let _ = writeln!(out, "\nResources");
    for (label, c) in [
        ("functions", &d.functions),
        ("roles", &d.roles),
        ("APIs", &d.apis),
        ("secrets", &d.secrets),
    ] {
        let _ = writeln!(
            out,
            "  {label:<10} {} added, {} removed, {} changed",
            c.added.len(),
            c.removed.len(),
            c.changed.len()
        );
        for arn in &c.added {
            let _ = writeln!(out, "    + {arn}");
        }
        for arn in &c.removed {
            let _ = writeln!(out, "    - {arn}");
        }
        for ch in &c.changed {
            let _ = writeln!(out, "    ~ {} ({})", ch.arn, ch.fields.join(", "));
        }
    }
    let _ = writeln!(
        out,
        "\nFindings: {} new, {} resolved, {} raised, {} lowered",
        d.findings.new.len(),
        d.findings.resolved.len(),
        d.findings.raised.len(),
        d.findings.lowered.len()
    );
    for (mark, list) in [("new", &d.findings.new), ("resolved", &d.findings.resolved)] {
        for f in list {
            let _ = writeln!(
                out,
                "  {mark:<8} {:<8} {:<36} {}: {}",
                f.severity.label(),
                f.rule,
                crate::model::short_name(&f.resource),
                f.message
            );
        }
    }
    for (mark, list) in [
        ("raised", &d.findings.raised),
        ("lowered", &d.findings.lowered),
    ] {
        for c in list {
            let f = &c.finding;
            let _ = writeln!(
                out,
                "  {mark:<8} {:<8} {:<36} {}: {}",
                format!("{} -> {}", c.was.label(), f.severity.label()),
                f.rule,
                crate::model::short_name(&f.resource),
                f.message
            );
        }
    }
    let _ = writeln!(out, "\nScores: {} moved", d.scores.len());
    for m in &d.scores {
        let delta = i16::from(m.new) - i16::from(m.old);
        let _ = writeln!(
            out,
            "  {:>3} -> {:>3} ({delta:+})  {}",
            m.old, m.new, m.name
        );
    }
    out
}
