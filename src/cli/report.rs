//! Text renderings of an assessment (`sprawl assess`, the end of `sprawl scan`) and of the rule
//! catalog (`sprawl rules`).

use std::fmt::Write;

use crate::assess::rules::{self, Rule};
use crate::assess::{Assessment, Severity};

fn counts_line(a: &Assessment) -> String {
    let counts = a.severity_counts();
    Severity::DESCENDING
        .iter()
        .map(|s| format!("{} {s}", counts.get(s).copied().unwrap_or(0)))
        .collect::<Vec<_>>()
        .join(", ")
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
