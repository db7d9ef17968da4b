//! An account's sprawl, counted: the runtimes, owners and secrets hygiene that the overview shows,
//! and that an organization's header keeps per account so the organization's view can sum them
//! without reading any account.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::assess::rules::{self, Tally};
use crate::assess::runtimes::{self, Stage};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// Functions per runtime (or package type), most first, and whether that runtime is
    /// deprecated or soon to be, as of the assessment.
    pub runtimes: Vec<(String, usize, bool)>,
    /// Functions per owner tag (`(no owner)` for none), most first.
    pub owners: Vec<(String, usize)>,
    /// Secrets: in all, rotation off, rotation overdue, unused, public or cross-account.
    pub secrets: [usize; 5],
    /// What the functions did (absent from organization files written before sprawl read it).
    #[serde(default)]
    pub activity: ActivityDigest,
    /// The functions anyone may inject events into through a source (a topic, queue or bucket
    /// anyone may write to, or one upstream of it), per trigger kind of that source, most first:
    /// a function counts once per kind (absent from files written before sprawl judged sources).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub injectable: Vec<(String, usize)>,
}

/// [`Digest::injectable`] of an assessment's functions.
pub fn injectable_by_anyone(a: &crate::assess::Assessment) -> Vec<(String, usize)> {
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for f in &a.functions {
        let mut seen: Vec<&str> = Vec::new();
        for e in &f.entry_points {
            if let crate::assess::EntryPoint::Source {
                anyone: true,
                service,
                ..
            } = e
                && !seen.contains(&service.as_str())
            {
                seen.push(service);
                *kinds.entry(service.clone()).or_default() += 1;
            }
        }
    }
    count_desc(kinds)
}

/// What an account's functions did: idle ones, their cost, and the ones nobody watches. The
/// metrics' part is zero where the scan had no `--metrics`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityDigest {
    /// Functions whose metrics were read.
    pub metrics_read: usize,
    /// Idle functions (not invoked in the window, older than it) per owner tag, most first.
    pub idle: Vec<(String, usize)>,
    /// Estimated monthly cost of the functions whose metrics were read, in cents.
    pub cost_cents: u64,
    /// The costliest functions, most first: name, cents a month (at most [`TOP_COST`]).
    pub top_cost: Vec<(String, u64)>,
    /// The estimated monthly cost per owner tag (`(no owner)` for none), in cents, most first.
    #[serde(default)]
    pub cost_by_owner: Vec<(String, u64)>,
    /// Publicly invocable functions no alarm watches.
    pub public_no_alarm: usize,
    /// Functions without a log group.
    pub no_log_group: usize,
}

/// The costliest functions a digest keeps.
pub const TOP_COST: usize = 5;

impl ActivityDigest {
    pub fn idle_total(&self) -> usize {
        self.idle.iter().map(|(_, n)| n).sum()
    }
}

/// Counts, most first, ties by name.
pub fn count_desc(map: BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

impl Digest {
    pub fn of(s: &Snapshot) -> Digest {
        let a = &s.assessment;
        let mut runtime_counts = BTreeMap::new();
        let mut owners = BTreeMap::new();
        for f in &s.inventory.functions {
            *runtime_counts
                .entry(f.runtime.clone().unwrap_or_else(|| f.package_type.clone()))
                .or_insert(0) += 1;
            let owner = f
                .tags
                .value()
                .and_then(|t| t.owner())
                .unwrap_or("(no owner)")
                .to_string();
            *owners.entry(owner).or_insert(0) += 1;
        }
        let today = a.assessed_at.date_naive();
        let runtimes = count_desc(runtime_counts)
            .into_iter()
            .map(|(r, n)| {
                let old = !matches!(
                    runtimes::stage(&r, today),
                    Stage::Supported | Stage::Unknown
                );
                (r, n, old)
            })
            .collect();
        // Distinct resources per rule, summed over the rules of one tally (the rules say which).
        let tally = |which: Tally| -> usize {
            let mut per_rule: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
            for f in &a.findings {
                if rules::find(&f.rule).and_then(|r| r.overview) == Some(which) {
                    per_rule.entry(&f.rule).or_default().insert(&f.resource);
                }
            }
            per_rule.values().map(|r| r.len()).sum()
        };
        Digest {
            runtimes,
            owners: count_desc(owners),
            secrets: [
                s.inventory.secrets.len(),
                tally(Tally::SecretRotationDisabled),
                tally(Tally::SecretRotationOverdue),
                tally(Tally::SecretUnused),
                tally(Tally::SecretShared),
            ],
            activity: activity(s, &tally),
            injectable: injectable_by_anyone(&s.assessment),
        }
    }

    /// Several accounts' digests as one: counts added, a runtime old if any account says so.
    pub fn sum<'a>(digests: impl IntoIterator<Item = &'a Digest>) -> Digest {
        let mut runtimes: BTreeMap<String, (usize, bool)> = BTreeMap::new();
        let mut owners: BTreeMap<String, usize> = BTreeMap::new();
        let mut secrets = [0; 5];
        let mut activity = ActivityDigest::default();
        let mut idle: BTreeMap<String, usize> = BTreeMap::new();
        let mut cost_by_owner: BTreeMap<String, u64> = BTreeMap::new();
        let mut injectable: BTreeMap<String, usize> = BTreeMap::new();
        for d in digests {
            for (k, n) in &d.injectable {
                *injectable.entry(k.clone()).or_default() += n;
            }
            let a = &d.activity;
            activity.metrics_read += a.metrics_read;
            activity.cost_cents += a.cost_cents;
            activity.public_no_alarm += a.public_no_alarm;
            activity.no_log_group += a.no_log_group;
            activity.top_cost.extend(a.top_cost.iter().cloned());
            for (o, n) in &a.idle {
                *idle.entry(o.clone()).or_default() += n;
            }
            for (o, c) in &a.cost_by_owner {
                *cost_by_owner.entry(o.clone()).or_default() += c;
            }
            for (r, n, old) in &d.runtimes {
                let e = runtimes.entry(r.clone()).or_default();
                e.0 += n;
                e.1 |= old;
            }
            for (o, n) in &d.owners {
                *owners.entry(o.clone()).or_default() += n;
            }
            for (total, n) in secrets.iter_mut().zip(d.secrets) {
                *total += n;
            }
        }
        // Most first, ties by name, as `count_desc` orders.
        let mut runtimes: Vec<(String, usize, bool)> = runtimes
            .into_iter()
            .map(|(r, (n, old))| (r, n, old))
            .collect();
        runtimes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        activity.idle = count_desc(idle);
        activity.cost_by_owner = most_first(cost_by_owner);
        activity
            .top_cost
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        activity.top_cost.truncate(TOP_COST);
        Digest {
            runtimes,
            owners: count_desc(owners),
            secrets,
            activity,
            injectable: count_desc(injectable),
        }
    }
}

/// Amounts, most first, ties by name.
fn most_first(map: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The activity part of an account's digest; `tally` counts a tally's resources.
fn activity(s: &Snapshot, tally: &dyn Fn(Tally) -> usize) -> ActivityDigest {
    let idle_arns: std::collections::BTreeSet<&str> = s
        .assessment
        .findings
        .iter()
        .filter(|f| rules::find(&f.rule).and_then(|r| r.overview) == Some(Tally::FunctionIdle))
        .map(|f| f.resource.as_str())
        .collect();
    let mut idle = BTreeMap::new();
    let mut by_owner: BTreeMap<String, u64> = BTreeMap::new();
    let mut costs = Vec::new();
    let mut metrics_read = 0;
    for f in &s.inventory.functions {
        if idle_arns.contains(f.arn.as_str()) {
            let owner = f
                .tags
                .value()
                .and_then(|t| t.owner())
                .unwrap_or("(no owner)");
            *idle.entry(owner.to_string()).or_insert(0) += 1;
        }
        if let Some(c) = crate::assess::cost::monthly(f) {
            metrics_read += 1;
            let cents = (c.usd * 100.0).round() as u64;
            let owner = f
                .tags
                .value()
                .and_then(|t| t.owner())
                .unwrap_or("(no owner)");
            *by_owner.entry(owner.to_string()).or_default() += cents;
            costs.push((f.name.clone(), cents));
        }
    }
    let cost_cents = costs.iter().map(|(_, c)| c).sum();
    costs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    costs.truncate(TOP_COST);
    ActivityDigest {
        metrics_read,
        idle: count_desc(idle),
        cost_cents,
        top_cost: costs,
        cost_by_owner: most_first(by_owner),
        public_no_alarm: tally(Tally::PublicNoAlarm),
        no_log_group: tally(Tally::NoLogGroup),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_add_counts_and_keep_a_runtime_old_if_any_account_says_so() {
        let a = Digest {
            runtimes: vec![
                ("python3.8".into(), 3, true),
                ("python3.12".into(), 1, false),
            ],
            owners: vec![("payments".into(), 3), ("(no owner)".into(), 1)],
            secrets: [4, 1, 0, 2, 0],
            injectable: Vec::new(),
            activity: ActivityDigest {
                metrics_read: 4,
                idle: vec![("payments".into(), 1)],
                cost_cents: 900,
                top_cost: vec![("a-big".into(), 800), ("a-small".into(), 100)],
                cost_by_owner: vec![("payments".into(), 900)],
                public_no_alarm: 1,
                no_log_group: 0,
            },
        };
        let b = Digest {
            runtimes: vec![
                ("python3.12".into(), 5, false),
                ("python3.8".into(), 1, false),
            ],
            owners: vec![("payments".into(), 1), ("search".into(), 5)],
            secrets: [2, 0, 1, 0, 1],
            injectable: Vec::new(),
            activity: ActivityDigest {
                metrics_read: 6,
                idle: vec![("(no owner)".into(), 2), ("payments".into(), 1)],
                cost_cents: 1_000,
                top_cost: vec![("b-mid".into(), 500)],
                cost_by_owner: vec![("search".into(), 1_000)],
                public_no_alarm: 2,
                no_log_group: 3,
            },
        };
        let sum = Digest::sum([&a, &b]);
        assert_eq!(
            sum.runtimes,
            [
                ("python3.12".to_string(), 6, false),
                ("python3.8".to_string(), 4, true)
            ]
        );
        assert_eq!(
            sum.owners,
            [
                ("search".to_string(), 5),
                ("payments".to_string(), 4),
                ("(no owner)".to_string(), 1)
            ]
        );
        assert_eq!(sum.secrets, [6, 1, 1, 2, 1]);
        let act = &sum.activity;
        assert_eq!(
            (
                act.metrics_read,
                act.cost_cents,
                act.public_no_alarm,
                act.no_log_group
            ),
            (10, 1_900, 3, 3)
        );
        assert_eq!(
            act.idle,
            [("(no owner)".to_string(), 2), ("payments".to_string(), 2)]
        );
        assert_eq!(
            act.cost_by_owner,
            [("search".to_string(), 1_000), ("payments".to_string(), 900)]
        );
        let top: Vec<&str> = act.top_cost.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(top, ["a-big", "b-mid", "a-small"]);
    }

    /// The demo's digest is what its overview shows.
    #[test]
    fn the_digest_is_the_overviews() {
        let s = crate::demo::snapshot();
        let d = Digest::of(&s);
        let o = crate::tui::overview::Overview::build(&s, &s.assessment);
        assert_eq!(d.runtimes, o.runtimes);
        assert_eq!(d.owners, o.owners);
        assert_eq!(d.secrets, o.secrets);
        assert_eq!(d.activity, o.activity);
        assert_eq!(d.injectable, o.injectable);
        // Anyone may inject events into four of its functions: one behind a user pool, one
        // behind an IoT rule (an identity pool's guests publish), one behind a bucket, one behind
        // a topic; an organization's panel adds its accounts' counts.
        let kinds = |n: usize| {
            ["cognito", "iot", "s3", "sns"]
                .map(|k| (k.to_string(), n))
                .to_vec()
        };
        assert_eq!(d.injectable, kinds(1));
        let twice = Digest::sum([&d, &d]);
        assert_eq!(twice.injectable, kinds(2));
        // The demo was scanned with --metrics: idle functions, a cost, and public ones unwatched.
        assert!(d.activity.metrics_read == s.inventory.functions.len());
        assert!(d.activity.idle_total() > 0 && d.activity.cost_cents > 0);
        assert!(d.activity.public_no_alarm > 0);
    }
}
