//! Assessment: a pure function from an inventory to findings, reachability and scores. No I/O,
//! no clock read (the caller passes "now"), no AWS SDK type, so a saved snapshot re-assesses the
//! same way tomorrow.
//!
//! In layers (ARCHITECTURE.md lists them, a test keeps them): the [`report`] types at the bottom;
//! the facts built once from the inventory ([`roles`]: what each role is, using the IAM engine
//! [`sprawl_iam`]; [`paths`]: the edges between accounts; [`reach`]: what reaches each function
//! and what each can reach); the [`rules`], each reading facts and writing findings; then the
//! verdicts ([`score`], [`calibrate`], [`counts`], [`mute`]); and [`assess`] running them in order.

pub mod activity;
pub mod calibrate;
pub mod cost;
pub mod counts;
pub mod deferred;
pub mod layers;
pub mod least_privilege;
pub mod mute;
pub mod paths;
pub mod reach;
pub mod report;
pub mod roles;
pub mod rules;
pub mod runtimes;
pub mod score;
pub mod sources;
pub mod time;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sprawl_iam::{actions, guardrails, policy, principals};

pub use deferred::Deferred;
pub use reach::Within;
pub use report::*;
use sprawl_model::{Coverage, Detail, Inventory};

/// Assesses an inventory as of `now`, for the account `account` (its 12-digit id).
///
/// The coverage says which listings failed: whatever rests on one (a function's triggers, a
/// role's users, the secrets a role can read) is not assessed rather than passed, and the scores
/// it feeds are marked partial.
pub fn assess(
    inventory: &Inventory,
    coverage: &Coverage,
    account: &str,
    now: DateTime<Utc>,
) -> Assessment {
    assess_in(inventory, coverage, account, now, Within::default())
}

/// [`assess`] within an organization: grants to its accounts are grants within the estate (low,
/// with the account's name), grants to any other account are grants to strangers, reported by
/// rules of their own; chains of roles go on into the other accounts.
pub fn assess_in(
    inventory: &Inventory,
    coverage: &Coverage,
    account: &str,
    now: DateTime<Utc>,
    within: Within,
) -> Assessment {
    let mut assessed_within =
        (within.members.is_some() || within.crossings.is_some()).then(|| AssessedWithin {
            organization: within.members.and_then(|m| m.id.clone()),
            accounts: within.members.map_or(0, |m| m.accounts.len()),
            crossings: within.crossings.is_some(),
            guardrails: matches!(within.guard, guardrails::Guard::Apply(_)),
            names: BTreeMap::new(),
        });
    let ctx = reach::Context::build_in(inventory, coverage, account, now, within);
    let mut findings = Vec::new();
    let mut not_assessed = Vec::new();
    for rule in rules::catalog() {
        rules::run(&ctx, rule, &mut findings, &mut not_assessed);
    }
    sort_findings(&mut findings);
    not_assessed.sort_by(|a, b| (&a.rule, &a.resource).cmp(&(&b.rule, &b.resource)));

    let mut by_resource: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in &findings {
        by_resource.entry(f.resource.as_str()).or_default().push(f);
    }
    let unknown: std::collections::HashSet<&str> =
        not_assessed.iter().map(|n| n.resource.as_str()).collect();
    let mut functions: Vec<FunctionReport> = inventory
        .functions
        .iter()
        .zip(&ctx.functions)
        .map(|(f, facts)| {
            let own = by_resource.get(f.arn.as_str()).cloned().unwrap_or_default();
            let role = by_resource
                .get(f.role_arn.as_str())
                .cloned()
                .unwrap_or_default();
            // A failed listing of triggers or APIs in its region, or of secrets anywhere, leaves
            // its exposure or its data reach unknown.
            let partial = unknown.contains(f.arn.as_str())
                || unknown.contains(f.role_arn.as_str())
                || ctx.role(&f.role_arn).is_none()
                || ctx.trigger_gap(&f.region).is_some();
            let (score, chain) = score::score(&ctx, f, facts, &own, &role, partial);
            let all: Vec<&Finding> = own.iter().chain(role.iter()).copied().collect();
            FunctionReport {
                arn: f.arn.clone(),
                name: f.name.clone(),
                region: f.region.clone(),
                rank: 0,
                score,
                chain: Deferred::new(chain),
                entry_points: facts.entry_points.clone(),
                readable_secrets: facts.readable_secrets.clone(),
                reads_every_secret: facts.reads_every_secret.clone(),
                env_secrets: f
                    .environment
                    .iter()
                    .filter(|v| v.value.kind.is_secret())
                    .map(|v| v.name.clone())
                    .collect(),
                findings: score::counts(&all),
                usage: activity::usage(f, now),
            }
        })
        .collect();
    // The scores rest on each rule's own severity (exposure is a part of the score already);
    // what is shown is critical only on an exploitable path (exposure plus privilege or data),
    // and each function's counts are of what is shown.
    if calibrate::calibrate(&ctx, &mut findings) {
        sort_findings(&mut findings);
        let mut shown: HashMap<&str, Vec<&Finding>> = HashMap::new();
        for f in &findings {
            shown.entry(f.resource.as_str()).or_default().push(f);
        }
        for (report, f) in functions.iter_mut().zip(&inventory.functions) {
            let all: Vec<&Finding> = [f.arn.as_str(), f.role_arn.as_str()]
                .iter()
                .flat_map(|r| shown.get(r).into_iter().flatten().copied())
                .collect();
            report.findings = score::counts(&all);
        }
    }
    // Score, then severity counts (most critical first), then ARN: a stable order.
    functions.sort_by(|a, b| {
        b.score
            .total
            .cmp(&a.score.total)
            .then_with(|| {
                let key = |r: &FunctionReport| {
                    Severity::DESCENDING.map(|s| r.findings.get(&s).copied().unwrap_or(0))
                };
                key(b).cmp(&key(a))
            })
            .then_with(|| a.arn.cmp(&b.arn))
    });
    for (i, f) in functions.iter_mut().enumerate() {
        f.rank = i + 1;
    }

    let roles: Vec<RoleReport> = inventory
        .roles
        .iter()
        .filter_map(|r| {
            let facts = ctx.role(&r.arn)?;
            let inbound = paths::functions_of(ctx.chains_into(&r.arn));
            Some(RoleReport {
                arn: r.arn.clone(),
                name: r.name.clone(),
                functions: ctx
                    .role_users
                    .get(r.arn.as_str())
                    .map(|v| v.iter().map(|s| s.to_string()).collect())
                    .unwrap_or_default(),
                admin_via: facts.admin_via.clone(),
                self_escalation: facts.self_escalation.clone(),
                escalations: facts.escalations.clone(),
                levels: facts.access.levels(),
                grants: Deferred::new(facts.access.summary()),
                trusted: Deferred::new(facts.trusted.clone()),
                unreadable: facts.access.unreadable.clone(),
                from_other_accounts: inbound
                    .iter()
                    .take(FROM_OTHER_ACCOUNTS_KEPT)
                    .map(|f| f.to_string())
                    .collect(),
                from_other_accounts_total: inbound.len(),
                becomes: facts.becomes.as_ref().map(|b| b.reached),
            })
        })
        .collect();

    // The accounts the blast radius names by id, with their names.
    if let (Some(w), Some(m)) = (assessed_within.as_mut(), within.members) {
        for arn in roles.iter().flat_map(|r| &r.from_other_accounts) {
            if let Some(id) = principals::account_of(arn)
                && let Some(Some(name)) = m.accounts.get(id)
            {
                w.names.insert(id.to_string(), name.clone());
            }
        }
    }

    // Each function that can read a secret is one reader, however many ways it can (by name,
    // through the secret's policy, through GetSecretValue on `*`).
    let mut readers: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let every: Vec<&str> = inventory
        .functions
        .iter()
        .zip(&ctx.functions)
        .filter(|(_, facts)| facts.reads_every_secret.is_some())
        .map(|(f, _)| f.arn.as_str())
        .collect();
    for (f, facts) in inventory.functions.iter().zip(&ctx.functions) {
        for s in &facts.readable_secrets {
            readers
                .entry(s.secret.as_str())
                .or_default()
                .push(f.arn.clone());
        }
    }
    // The readers of a secret by name or policy, and how many of those of `*` are not among
    // them: those are kept once, on the assessment.
    let readers_of = |named: Option<Vec<String>>| -> (Vec<String>, usize) {
        let named = named.unwrap_or_default();
        let by_name: std::collections::HashSet<&str> = named.iter().map(String::as_str).collect();
        let n = every.iter().filter(|f| !by_name.contains(**f)).count();
        (named, n)
    };
    let secrets = inventory
        .secrets
        .iter()
        .map(|s| {
            let (readers, wildcard_readers) = readers_of(readers.remove(s.arn.as_str()));
            (s, readers, wildcard_readers)
        })
        .map(|(s, readers, wildcard_readers)| SecretReport {
            arn: s.arn.clone(),
            name: s.name.clone(),
            readers,
            wildcard_readers,
            admitted: match &s.policy {
                Detail::Collected { value: Some(doc) } => policy::Policy::from_document(doc)
                    .map(|p| {
                        principals::admissions(
                            &p,
                            "secret policy",
                            "secretsmanager:GetSecretValue",
                            account,
                        )
                        .into_iter()
                        .map(|a| a.principal)
                        .collect()
                    })
                    .unwrap_or_default(),
                _ => Vec::new(),
            },
            foreign_readers: ctx
                .foreign
                .by_secret
                .get(&s.arn)
                .cloned()
                .unwrap_or_default(),
            foreign_reader_total: ctx.foreign.totals.get(&s.arn).copied().unwrap_or(0),
            refuses_every: reach::refuses_every(s),
        })
        .collect();

    Assessment {
        assessed_at: now,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        iam_data: actions::table().source().to_string(),
        findings,
        not_assessed,
        functions,
        roles,
        apis: ctx.apis.clone(),
        secrets,
        foreign_readers_of_every_secret: ctx.foreign.every.clone(),
        readers_of_every_secret: every.iter().map(|f| f.to_string()).collect(),
        within: assessed_within,
    }
}

/// Findings in the assessment's order: severity (highest first), then rule, resource, message.
fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (b.severity, &a.rule, &a.resource, &a.message).cmp(&(
            a.severity,
            &b.rule,
            &b.resource,
            &b.message,
        ))
    });
}
