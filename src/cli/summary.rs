//! The short text summary printed after a scan, and by `sprawl summary`.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::model::ResourceCounts;
use crate::snapshot::Snapshot;

/// Counts per region and resource kind, then the coverage gaps.
pub fn render(snapshot: &Snapshot) -> String {
    let inv = &snapshot.inventory;
    // The scanned regions, and any other a resource names (a hand-edited file, say).
    let regions: BTreeSet<&str> = snapshot
        .regions
        .iter()
        .map(String::as_str)
        .chain(inv.functions.iter().map(|f| f.region.as_str()))
        .chain(inv.event_source_mappings.iter().map(|m| m.region.as_str()))
        .chain(inv.rest_apis.iter().map(|a| a.region.as_str()))
        .chain(inv.http_apis.iter().map(|a| a.region.as_str()))
        .chain(inv.secrets.iter().map(|s| s.region.as_str()))
        .collect();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "Account {} ({}), scanned {} by {}",
        snapshot.account.id,
        snapshot.account.partition,
        snapshot.scanned_at.format("%Y-%m-%d %H:%M:%S UTC"),
        snapshot.account.caller_arn
    );
    let _ = writeln!(out);
    let header = [
        "functions",
        "urls",
        "mappings",
        "rest apis",
        "rest stages",
        "http apis",
        "http stages",
        "secrets",
    ];
    let _ = write!(out, "{:<16}", "region");
    for h in header {
        let _ = write!(out, " {h:>11}");
    }
    let _ = writeln!(out);
    let row = |out: &mut String, name: &str, c: &ResourceCounts| {
        let _ = write!(out, "{name:<16}");
        for n in [
            c.functions,
            c.function_urls,
            c.event_source_mappings,
            c.rest_apis,
            c.rest_stages,
            c.http_apis,
            c.http_stages,
            c.secrets,
        ] {
            let _ = write!(out, " {n:>11}");
        }
        let _ = writeln!(out);
    };
    for region in regions {
        row(&mut out, region, &inv.counts_in(Some(region)));
    }
    row(&mut out, "all regions", &inv.counts());
    let _ = writeln!(out, "{:<16} {:>11} (global)", "roles", inv.roles.len());
    let act = crate::snapshot::digest::Digest::of(snapshot).activity;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Activity: {}; {} public with no alarm, {} with no log group.",
        if act.metrics_read == 0 {
            "metrics not collected (scan with --metrics)".to_string()
        } else {
            format!(
                "{} idle of {}, about {} a month (an estimate of requests and compute)",
                act.idle_total(),
                act.metrics_read,
                crate::assess::cost::dollars(act.cost_cents as f64 / 100.0)
            )
        },
        act.public_no_alarm,
        act.no_log_group
    );

    let gaps: Vec<_> = snapshot.coverage.gaps().collect();
    let _ = writeln!(out);
    if gaps.is_empty() {
        let _ = writeln!(out, "Coverage: complete, every call succeeded.");
    } else {
        let _ = writeln!(
            out,
            "Coverage gaps ({}): what depends on these calls is NOT assessed.",
            gaps.len()
        );
        for g in gaps {
            let _ = writeln!(
                out,
                "  {:<14} {:<14} {:<32} {} of {} failed: {}",
                g.service,
                g.region,
                g.operation,
                g.failed,
                g.failed + g.succeeded,
                g.why()
            );
        }
    }
    out
}

/// How the commands it suggests name the organization's snapshot: its path, or (the demo, which
/// is no file) the file `sprawl demo --save` writes.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    File(&'a std::path::Path),
    Demo,
}

impl Source<'_> {
    /// `sprawl CMD FILE ARGS`, with the real file; for the demo, how to save it first.
    pub fn command(&self, cmd: &str, args: &str) -> String {
        let args = if args.is_empty() {
            String::new()
        } else {
            format!(" {args}")
        };
        match self {
            Source::File(path) => format!("sprawl {cmd} {}{args}", shell_word(path)),
            Source::Demo => {
                format!("sprawl demo --save demo.json, then sprawl {cmd} demo.json{args}")
            }
        }
    }
}

/// A path as one word a shell reads back as it is.
fn shell_word(path: &std::path::Path) -> String {
    let s = path.display().to_string();
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+=:,@%".contains(&b))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// An organization's snapshot at a glance: one line per account, from the header alone. The
/// commands it suggests name `source`.
pub fn render_organization(h: &crate::snapshot::org::Header, source: Source) -> String {
    let mut out = String::new();
    let org = &h.organization;
    let _ = writeln!(
        out,
        "Organization {}{}: {} accounts",
        org.id.as_deref().unwrap_or("(merged, no organization id)"),
        org.management_account
            .as_deref()
            .map(|m| format!(", management account {m}"))
            .unwrap_or_default(),
        h.accounts.len()
    );
    let _ = writeln!(
        out,
        "\n{:<14} {:<20} {:<16} {:>9} {:>8} {:>6} {:>6} {:>6}  {:<28} scanned",
        "account", "name", "ou", "functions", "critical", "high", "medium", "gaps", "riskiest"
    );
    for a in &h.accounts {
        let name = crate::model::printable(a.info.name.as_deref().unwrap_or("-")).into_owned();
        let ou = crate::model::printable(&a.info.ou_path.join("/")).into_owned();
        let ou = if ou.is_empty() { "-".to_string() } else { ou };
        match (&a.summary, &a.failure) {
            (Some(s), _) => {
                let riskiest = s
                    .riskiest
                    .as_ref()
                    .map(|r| format!("{} ({})", crate::model::printable(&r.name), r.score))
                    .unwrap_or_else(|| "-".into());
                let _ = writeln!(
                    out,
                    "{:<14} {:<20} {:<16} {:>9} {:>8} {:>6} {:>6} {:>6}  {:<28} {}",
                    a.info.id,
                    name,
                    ou,
                    s.functions,
                    s.findings[0],
                    s.findings[1],
                    s.findings[2],
                    s.coverage_gaps + s.not_assessed,
                    riskiest,
                    a.scanned_at
                        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_default()
                );
            }
            (None, failure) => {
                let _ = writeln!(
                    out,
                    "{:<14} {:<20} {:<16} not scanned: {}",
                    a.info.id,
                    name,
                    ou,
                    crate::model::printable(failure.as_deref().unwrap_or("no snapshot"))
                );
            }
        }
    }
    let mut counts = crate::assess::FindingCounts::default();
    for s in h.accounts.iter().filter_map(|a| a.summary.as_ref()) {
        counts.add(&s.finding_counts());
    }
    let _ = writeln!(
        out,
        "\nFindings of the scanned accounts: {}",
        counts.described()
    );
    let to_admin: usize = h
        .accounts
        .iter()
        .filter_map(|a| a.summary.as_ref())
        .map(|s| s.paths_to_admin)
        .sum();
    if let Some(p) = h.paths {
        let guard = match &org.guardrails {
            Some(g) if g.failure.is_some() => {
                "; SCPs could not be read: by the roles' own policies"
            }
            Some(g) if g.scp_enabled && g.rcp_enabled => "; SCPs and RCPs applied",
            Some(g) if g.rcp_enabled => "; RCPs applied",
            Some(g) if g.scp_enabled => "; SCPs applied",
            Some(_) => "; SCPs not enabled",
            None => "; SCPs not read: by the roles' own policies",
        };
        // Read but not applicable to some account (a policy that does not parse, an account
        // whose place in the tree is unknown): its roles are judged by their own policies.
        let unapplied: Vec<String> = match &org.guardrails {
            Some(g) if g.failure.is_none() => h
                .accounts
                .iter()
                .filter(|a| a.part.is_some())
                .filter_map(|a| crate::snapshot::org::bounds_of(org, &a.info.id).err())
                .collect(),
            _ => Vec::new(),
        };
        let guard = match unapplied.first() {
            Some(why) => format!(
                "{guard}, but not to {}, whose roles are judged by their own policies ({why})",
                crate::model::counted(unapplied.len(), "account", "accounts")
            ),
            None => guard.to_string(),
        };
        let _ = writeln!(
            out,
            "\nPaths across accounts: {} may reach an administrator in another account, {} may read secrets of other accounts, {} may invoke functions of other accounts; {} between roles, {} of any kind stopped{}{guard} ({})",
            crate::model::counted(to_admin, "role", "roles"),
            p.secret_reads,
            p.invokes,
            crate::model::counted(p.edges, "edge", "edges"),
            p.stopped,
            if p.not_assessed > 0 {
                format!(
                    ", {} not assessed",
                    crate::model::counted(p.not_assessed, "role", "roles")
                )
            } else {
                String::new()
            },
            source.command("paths", "")
        );
    }
    let _ = writeln!(
        out,
        "\nOne account in full: {} (open, export, assess, diff and check take --account too)",
        source.command("summary", "--account ID|NAME")
    );
    out
}
