//! Findings counted, the one way every surface counts them ([`FindingCounts`]): each finding
//! once, and as a person reads them, a resource's low hygiene findings as one row. Which findings
//! are hygiene is the rules' to say (their [`ScorePart`]), so the counting sits above them.

use std::collections::BTreeMap;

use crate::report::{Assessment, FindingCounts, Severity};
use crate::rules::{ScorePart, score_part};

impl Assessment {
    /// The low findings of hygiene rules (no code signing, no VPC, tracing off, ...) by
    /// resource, where a resource has two or more: a person reads each group as one finding
    /// ("3 hygiene gaps"), so a tidy account's hundreds of lows are a few per function. The
    /// findings themselves stay whole (exports, mutes and `check` go by each rule); the values
    /// are places in `findings`.
    pub fn hygiene_groups(&self) -> BTreeMap<&str, Vec<usize>> {
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, f) in self.findings.iter().enumerate() {
            if f.severity == Severity::Low
                && matches!(score_part(&f.rule), ScorePart::Hygiene { .. })
            {
                groups.entry(f.resource.as_str()).or_default().push(i);
            }
        }
        groups.retain(|_, v| v.len() > 1);
        groups
    }

    /// [`Assessment::severity_counts`] as a person reads the findings: each of the
    /// [`Assessment::hygiene_groups`] one low finding.
    pub fn shown_severity_counts(&self) -> BTreeMap<Severity, usize> {
        let mut out = self.severity_counts();
        let folded: usize = self.hygiene_groups().values().map(|g| g.len() - 1).sum();
        if let Some(low) = out.get_mut(&Severity::Low) {
            *low -= folded;
        }
        out
    }

    /// Its findings counted, as every surface counts them (see [`FindingCounts`]).
    pub fn counts(&self) -> FindingCounts {
        let all = self.severity_counts();
        let rows = self.shown_severity_counts();
        let at = |m: &BTreeMap<Severity, usize>| {
            Severity::DESCENDING.map(|s| m.get(&s).copied().unwrap_or(0))
        };
        FindingCounts {
            findings: at(&all),
            rows: at(&rows),
        }
    }
}
