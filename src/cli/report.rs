//! Text renderings of an assessment (`sprawl assess`, the end of `sprawl scan`) and of the rule
//! catalog (`sprawl rules`).

use std::fmt::Write;

use crate::assess::rules::{self, Rule};
use crate::assess::{Assessment, Severity};

fn counts_line(a: &Assessment) -> String {
    // Low hygiene findings of one resource are one row; both counts are named where they differ.
    let counts = a.counts();
    let groups = a.hygiene_groups();
    if groups.is_empty() {
        return counts.by_severity();
    }
    format!(
        "{} (a resource's low hygiene gaps are one row: {} gaps on {} resources)",
        counts.by_severity(),
        crate::assess::thousands(groups.values().map(Vec::len).sum::<usize>()),
        crate::assess::thousands(groups.len())
    )
}

/// Findings by severity, the riskiest functions with their chains, and the worst findings.
pub fn render_assessment(a: &Assessment, top: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Findings: {} ({} checks not assessed: input missing)",
        counts_line(a),
        a.not_assessed.len()
    );
    if a.functions.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nRiskiest functions (score 0-100):");
    for f in a.functions.iter().take(top) {
        let partial = if f.score.partial { "+" } else { " " };
        let _ = writeln!(
            out,
            "{:>3}. {:>3}{partial} {} ({})",
            f.rank, f.score.total, f.name, f.region
        );
        let chain = f
            .chain_line(false)
            .unwrap_or_else(|e| format!("(chain unreadable in this snapshot: {e})"));
        let _ = writeln!(out, "          {chain}");
    }
    if a.functions.iter().any(|f| f.score.partial) {
        let _ = writeln!(
            out,
            "     (+: part of the input was not collected; the score may be higher)"
        );
    }
    let serious: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::High)
        .collect();
    if !serious.is_empty() {
        let _ = writeln!(out, "\nCritical and high findings:");
        for f in serious.iter().take(top * 3) {
            let name = f.resource.rsplit([':', '/']).next().unwrap_or(&f.resource);
            let _ = writeln!(
                out,
                "  {:<8} {:<40} {name}: {}",
                f.severity, f.rule, f.message
            );
        }
        if serious.len() > top * 3 {
            let _ = writeln!(
                out,
                "  ... and {} more (see the snapshot)",
                serious.len() - top * 3
            );
        }
    }
    out
}

/// The catalog as a table.
pub fn render_rules(catalog: &[&Rule]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<46} {:<9} {:<6} {:<17} {:<11} title",
        "id", "severity", "owasp", "security hub", "resource"
    );
    for r in catalog {
        let _ = writeln!(
            out,
            "{:<46} {:<9} {:<6} {:<17} {:<11} {}",
            r.id,
            r.severity.label(),
            r.owasp.code(),
            r.security_hub.unwrap_or("-"),
            r.check.kind().label(),
            r.title
        );
    }
    let _ = writeln!(
        out,
        "\n{} rules. `sprawl rules ID` explains one.",
        catalog.len()
    );
    out
}

/// One rule in full.
pub fn render_rule(r: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", r.id, r.title);
    let _ = writeln!(out, "  severity:      {}", r.severity);
    let _ = writeln!(out, "  resource:      {}", r.check.kind().label());
    let _ = writeln!(
        out,
        "  OWASP:         {} {}",
        r.owasp.code(),
        r.owasp.title()
    );
    let _ = writeln!(out, "  Security Hub:  {}", r.security_hub.unwrap_or("-"));
    if !r.peers.is_empty() {
        let _ = writeln!(out, "  peers:         {}", r.peers.join("; "));
    }
    let _ = writeln!(out, "\n  Why it matters: {}", r.why);
    let _ = writeln!(out, "  How to fix it:  {}", r.fix);
    out
}

/// The catalog as JSON, for tools.
pub fn rules_json() -> serde_json::Value {
    serde_json::Value::Array(
        rules::catalog()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "title": r.title,
                    "severity": r.severity,
                    "resource": r.check.kind(),
                    "owasp": r.owasp.code(),
                    "security_hub": r.security_hub,
                    "peers": r.peers,
                    "why": r.why,
                    "fix": r.fix,
                })
            })
            .collect(),
    )
}

/// What an assessment made within an organization (`before`) had that the same account assessed
/// alone (`after`) does not, in one line, or None when `before` was the account alone too.
pub fn lost_alone(
    before: &crate::assess::Assessment,
    after: &crate::assess::Assessment,
) -> Option<String> {
    let within = before.within.as_ref()?;
    if after.within.is_some() {
        return None;
    }
    fn count(a: &crate::assess::Assessment) -> std::collections::BTreeMap<&str, usize> {
        let mut by_rule = std::collections::BTreeMap::new();
        for f in &a.findings {
            *by_rule.entry(f.rule.as_str()).or_default() += 1;
        }
        by_rule
    }
    let (was, now) = (count(before), count(after));
    let gone: Vec<(&str, usize)> = was
        .iter()
        .filter_map(|(rule, n)| {
            let left = now.get(rule).copied().unwrap_or(0);
            (*n > left).then(|| (*rule, n - left))
        })
        .collect();
    let score_of = |a: &crate::assess::Assessment, arn: &str| {
        a.functions
            .iter()
            .find(|f| f.arn == arn)
            .map(|f| f.score.total)
    };
    let mut dropped: Vec<(u8, u8, &str)> = before
        .functions
        .iter()
        .filter_map(|f| {
            let now = score_of(after, &f.arn)?;
            (now < f.score.total).then_some((f.score.total, now, f.name.as_str()))
        })
        .collect();
    dropped.sort_by_key(|d| std::cmp::Reverse(d.0 - d.1));
    let org = within
        .organization
        .as_deref()
        .map_or("its organization".to_string(), |o| {
            format!("organization {o}")
        });
    Some(format!(
        "assessed within {org} ({} accounts), assessed alone now: it no longer sees what crosses accounts{}{}{}; assess the organization's snapshot with --account to keep it",
        within.accounts,
        if within.guardrails {
            " or what the SCPs stop"
        } else {
            ""
        },
        if gone.is_empty() {
            String::new()
        } else {
            format!(
                " ({} finding(s) gone: {})",
                gone.iter().map(|(_, n)| n).sum::<usize>(),
                gone.iter()
                    .map(|(rule, n)| format!("{rule} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        match dropped.first() {
            Some((was, now, name)) => format!(
                ", {} function score(s) lower ({name} {was} -> {now})",
                dropped.len()
            ),
            None => String::new(),
        }
    ))
}
