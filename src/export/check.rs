//! `sprawl check`: a gate for pipelines. Fails when the snapshot holds an unmuted finding at or
//! above a severity, a function above a score, or (unless allowed) a partial scan. Muted findings
//! are counted but never fail; expired mutes are listed, since their findings fail again.

use std::fmt::Write;

use crate::assess::mute::Muting;
use crate::assess::{Assessment, Finding, Severity};
use crate::model::Coverage;

/// The lowest severity that fails the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
}

impl FailOn {
    pub fn severity(self) -> Severity {
        match self {
            FailOn::Critical => Severity::Critical,
            FailOn::High => Severity::High,
            FailOn::Medium => Severity::Medium,
            FailOn::Low => Severity::Low,
        }
    }
}

/// What the gate found.
pub struct Verdict {
    pub passed: bool,
    pub report: String,
}

/// How many offending lines of each kind the report lists.
const SHOWN: usize = 10;

/// The findings a check judges: every one, or (`check --since OLD`) only those new since an
/// older scan or raised in severity since (places in the assessment's findings, see
/// `diff::new_findings`), named by the older scan.
pub enum Judged<'a> {
    All,
    NewSince {
        findings: &'a std::collections::HashSet<usize>,
        old: &'a str,
    },
}

#[allow(clippy::too_many_arguments)]
pub fn check(
    a: &Assessment,
    coverage: &Coverage,
    muting: &Muting,
    fail_on: FailOn,
    max_score: Option<u8>,
    allow_partial: bool,
    judged: Judged,
) -> Verdict {
    let threshold = fail_on.severity();
    let counts = |i: usize| match &judged {
        Judged::All => true,
        Judged::NewSince { findings, .. } => findings.contains(&i),
    };
    let mut failing: Vec<&Finding> = a
        .findings
        .iter()
        .enumerate()
        .filter(|(i, f)| f.severity >= threshold && muting.of(*i).is_none() && counts(*i))
        .map(|(_, f)| f)
        .collect();
    let muted = (0..a.findings.len())
        .filter(|i| a.findings[*i].severity >= threshold && muting.of(*i).is_some())
        .count();
    failing.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then(x.resource.cmp(&y.resource))
    });
    let over: Vec<_> = max_score
        .map(|max| a.functions.iter().filter(|f| f.score.total > max).collect())
        .unwrap_or_default();
    let gaps: Vec<_> = coverage.gaps().collect();
    let partial = !gaps.is_empty() || !a.not_assessed.is_empty();
    let passed = failing.is_empty() && over.is_empty() && (!partial || allow_partial);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "sprawl check: {}{}",
        if passed { "PASS" } else { "FAIL" },
        match &judged {
            Judged::All => String::new(),
            Judged::NewSince { findings, old } => format!(
                " (only the {} finding(s) new or raised in severity since {old} can fail it)",
                findings.len()
            ),
        }
    );
    if failing.is_empty() {
        let _ = writeln!(out, "  no unmuted finding at or above {threshold}");
    } else {
        let by: Vec<String> = Severity::DESCENDING
            .iter()
            .filter(|s| **s >= threshold)
            .map(|s| {
                let n = failing.iter().filter(|f| f.severity == *s).count();
                format!("{s} {n}")
            })
            .collect();
        let _ = writeln!(
            out,
            "  {} at or above {threshold} ({})",
            count(failing.len(), "finding", "findings"),
            by.join(", ")
        );
        for f in failing.iter().take(SHOWN) {
            let name = crate::model::short_name(&f.resource);
            let _ = writeln!(
                out,
                "    {:<8} {:<36} {name}: {}",
                f.severity.label(),
                f.rule,
                f.message
            );
        }
        more(&mut out, failing.len());
    }
    if muted > 0 {
        let _ = writeln!(
            out,
            "  {} at or above {threshold} muted (not failing)",
            count(muted, "finding", "findings")
        );
    }
    let expired: Vec<_> = muting.expired().collect();
    if !expired.is_empty() {
        let _ = writeln!(
            out,
            "  {} expired (no longer applied):",
            count(expired.len(), "mute", "mutes")
        );
        for m in expired.iter().take(SHOWN) {
            let _ = writeln!(
                out,
                "    line {}: {} on {}, expired {}",
                m.line,
                m.rule,
                m.target.describe(),
                m.expires.format("%Y-%m-%d")
            );
        }
        more(&mut out, expired.len());
    }
    if let Some(max) = max_score {
        if over.is_empty() {
            let _ = writeln!(out, "  no function scores above {max}");
        } else {
            let _ = writeln!(
                out,
                "  {} above {max}",
                count(over.len(), "function scores", "functions score")
            );
            for f in over.iter().take(SHOWN) {
                let _ = writeln!(out, "    {:>3}  {} ({})", f.score.total, f.name, f.region);
            }
            more(&mut out, over.len());
        }
    }
    if partial {
        let _ = writeln!(
            out,
            "  partial scan{}: {}, {}",
            if allow_partial { " (allowed)" } else { "" },
            count(gaps.len(), "coverage gap", "coverage gaps"),
            count(
                a.not_assessed.len(),
                "check not assessed",
                "checks not assessed"
            )
        );
        for g in gaps.iter().take(SHOWN) {
            let _ = writeln!(
                out,
                "    {} {} {}: {}",
                g.service,
                g.region,
                g.operation,
                g.why()
            );
        }
        more(&mut out, gaps.len());
    }
    Verdict {
        passed,
        report: out,
    }
}

/// `1 finding`, `3 findings`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn more(out: &mut String, total: usize) {
    if total > SHOWN {
        let _ = writeln!(out, "    ... and {} more", total - SHOWN);
    }
}
