//! Benchmark of the assessment: a synthetic inventory of N functions (default 10,000), each with
//! its own role (so N roles), a tenth with escalation grants, a tenth with data wildcards, a tenth
//! administrators, public URLs, secrets in environments, secrets and HTTP APIs in proportion
//! (`tests/rules/inventory.rs`, `synthetic`).
//!
//! Run: `cargo bench -p sprawl-assess --bench assess` (release), or add `-- --functions N`.
//! Prints the time to build the inventory, to assess it (best and median of 5 runs), to serialize
//! the snapshot, the snapshot's size, and the process's peak memory.

// A benchmark times the assessment with the wall clock; the assessment itself never reads it.
#![allow(clippy::disallowed_methods)]

#[path = "../tests/rules/inventory.rs"]
#[allow(dead_code)]
mod inventory;

#[path = "../../../benches/common/mod.rs"]
mod common;

use common::{arg, peak_rss_mb};
use std::time::Instant;

fn json_len<T: serde::Serialize>(v: &T) -> usize {
    serde_json::to_vec(v).map_or(0, |b| b.len())
}

fn main() {
    // `cargo test --all-targets` builds this without `--bench`: nothing to run then.
    if !common::benchmarking() {
        return;
    }
    let n: usize = arg("--functions")
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let t = Instant::now();
    let inv = inventory::synthetic(n);
    println!(
        "built {} functions, {} roles, {} secrets, {} HTTP APIs in {:.2} s",
        inv.functions.len(),
        inv.roles.len(),
        inv.secrets.len(),
        inv.http_apis.len(),
        t.elapsed().as_secs_f64()
    );
    if std::env::args().any(|a| a == "--phases") {
        let t = Instant::now();
        let ctx = sprawl_assess::reach::Context::build(
            &inv,
            &Default::default(),
            inventory::ACCOUNT,
            inventory::now(),
        );
        println!(
            "context (roles, reachability): {:.3} s",
            t.elapsed().as_secs_f64()
        );
        let t = Instant::now();
        let levels: usize = ctx
            .roles
            .values()
            .map(|r| r.access.levels().iter().filter(|(_, n)| *n > 0).count())
            .sum();
        let grants: usize = ctx.roles.values().map(|r| r.access.summary().len()).sum();
        println!(
            "levels and summaries ({levels}, {grants}): {:.3} s",
            t.elapsed().as_secs_f64()
        );
        for rule in sprawl_assess::rules::catalog() {
            let t = Instant::now();
            let _ = sprawl_assess::rules::run_one(&ctx, rule);
            let el = t.elapsed().as_secs_f64();
            if el > 0.02 {
                println!("rule {}: {el:.3} s", rule.id);
            }
        }
        return;
    }
    let rss_inventory = peak_rss_mb();
    let mut times = Vec::new();
    let mut last: Option<sprawl_assess::Assessment> = None;
    for _ in 0..5 {
        // Drop the previous run's result first, so at most one is alive.
        drop(last.take());
        let t = Instant::now();
        let a = sprawl_assess::assess(
            &inv,
            &Default::default(),
            inventory::ACCOUNT,
            inventory::now(),
        );
        times.push(t.elapsed().as_secs_f64());
        last = Some(a);
    }
    times.sort_by(f64::total_cmp);
    let a = last.unwrap();
    println!(
        "assessed in {:.3} s (best), {:.3} s (median of 5): {} findings, {} not assessed",
        times[0],
        times[2],
        a.findings.len(),
        a.not_assessed.len()
    );
    let rss_assessed = peak_rss_mb();
    println!("peak RSS after assessing: {rss_assessed:.0} MB");
    if std::env::args().any(|a| a == "--sizes") {
        let roles = &a.roles;
        let sum =
            |f: &dyn Fn(&sprawl_assess::RoleReport) -> usize| roles.iter().map(f).sum::<usize>();
        println!(
            "JSON bytes: findings {}, functions {}, roles {} (grants {}, escalations {}), apis {}, secrets {}",
            json_len(&a.findings),
            json_len(&a.functions),
            json_len(&a.roles),
            sum(&|r| json_len(&r.grants)),
            sum(&|r| json_len(&r.escalations)),
            json_len(&a.apis),
            json_len(&a.secrets)
        );
    }
    let t = Instant::now();
    let json = serde_json::to_vec(&a).unwrap();
    println!(
        "assessment JSON: {:.1} MB in {:.2} s",
        json.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    {
        let mb = peak_rss_mb();
        println!(
            "peak RSS: {mb:.0} MB ({rss_inventory:.0} MB holding the inventory, {:.0} MB assessing and serializing)",
            mb - rss_inventory
        );
    }
    let top = &a.functions[0];
    println!("riskiest: {} ({})", top.name, top.score.total);
}
