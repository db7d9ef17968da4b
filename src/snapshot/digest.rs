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
        }
    }

    /// Several accounts' digests as one: counts added, a runtime old if any account says so.
    pub fn sum<'a>(digests: impl IntoIterator<Item = &'a Digest>) -> Digest {
        let mut runtimes: BTreeMap<String, (usize, bool)> = BTreeMap::new();
        let mut owners: BTreeMap<String, usize> = BTreeMap::new();
        let mut secrets = [0; 5];
        for d in digests {
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
        Digest {
            runtimes,
            owners: count_desc(owners),
            secrets,
        }
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
        };
        let b = Digest {
            runtimes: vec![
                ("python3.12".into(), 5, false),
                ("python3.8".into(), 1, false),
            ],
            owners: vec![("payments".into(), 1), ("search".into(), 5)],
            secrets: [2, 0, 1, 0, 1],
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
    }
}
