//! The short text summary printed after a scan, and by `sprawl summary`.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::{Detail, ResourceCounts};
use crate::snapshot::Snapshot;

/// Counts per region and resource kind, then the coverage gaps.
pub fn render(snapshot: &Snapshot) -> String {
    let inv = &snapshot.inventory;
    let mut per_region: BTreeMap<&str, ResourceCounts> = snapshot
        .regions
        .iter()
        .map(|r| (r.as_str(), ResourceCounts::default()))
        .collect();
    for f in &inv.functions {
        let c = per_region.entry(&f.region).or_default();
        c.functions += 1;
        c.function_urls += usize::from(matches!(f.url, Detail::Collected { value: Some(_) }));
    }
    for m in &inv.event_source_mappings {
        per_region
            .entry(&m.region)
            .or_default()
            .event_source_mappings += 1;
    }
    for a in &inv.rest_apis {
        let c = per_region.entry(&a.region).or_default();
        c.rest_apis += 1;
        c.rest_stages += a.stages.value().map_or(0, Vec::len);
    }
    for a in &inv.http_apis {
        let c = per_region.entry(&a.region).or_default();
        c.http_apis += 1;
        c.http_stages += a.stages.value().map_or(0, Vec::len);
    }
    for s in &inv.secrets {
        per_region.entry(&s.region).or_default().secrets += 1;
    }

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
    for (region, c) in &per_region {
        row(&mut out, region, c);
    }
    row(&mut out, "all regions", &inv.counts());
    let _ = writeln!(out, "{:<16} {:>11} (global)", "roles", inv.roles.len());

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
            let (kind, message) = g
                .failure
                .as_ref()
                .map_or(("failed", ""), |f| (f.kind.label(), f.message.as_str()));
            let _ = writeln!(
                out,
                "  {:<14} {:<14} {:<32} {} of {} failed: {kind}: {message}",
                g.service,
                g.region,
                g.operation,
                g.failed,
                g.failed + g.succeeded
            );
        }
    }
    out
}
