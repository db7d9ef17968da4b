//! Running a rule: over every resource of its kind, each hit a finding, each failed read a "not
//! assessed", and the resources a failed listing may have missed "not assessed" too.

use sprawl_model::stage_arn;

use super::{Check, Hit, Outcome, Rule};
use crate::deferred::Deferred;
use crate::reach::{Context, Listing, refuses_every};
use crate::report::{Finding, NotAssessed, ResourceKind, foreign_readers_of};

/// How many of a secret's readers in other accounts its findings name (the secret's report
/// holds them all).
const FOREIGN_READERS_NAMED: usize = 5;

/// A hit on a secret, with the functions of other accounts that can read it as evidence.
fn foreign_readers_evidence(ctx: &Context, s: &sprawl_model::Secret, mut h: Hit) -> Hit {
    let own = ctx
        .foreign
        .by_secret
        .get(&s.arn)
        .map_or(&[][..], Vec::as_slice);
    let readers = foreign_readers_of(own, refuses_every(s), &ctx.foreign.every);
    let total = ctx.foreign.totals.get(&s.arn).copied().unwrap_or(0);
    if readers.is_empty() {
        return h;
    }
    for r in readers.iter().take(FOREIGN_READERS_NAMED) {
        let name = r.function.rsplit(':').next().unwrap_or(&r.function);
        h = h.ev(
            format!(
                "read from another account by {name} ({})",
                r.account_name.as_deref().unwrap_or(&r.account)
            ),
            r.how.clone(),
        );
    }
    let total = total.max(readers.len());
    if total > FOREIGN_READERS_NAMED {
        h = h.ev(
            "read from other accounts by",
            format!(
                "{} (the secret's readers list them)",
                sprawl_model::counted(
                    total - FOREIGN_READERS_NAMED,
                    "more function",
                    "more functions"
                )
            ),
        );
    }
    h
}

/// Runs one rule over every resource of its kind.
pub fn run(
    ctx: &Context,
    rule: &'static Rule,
    findings: &mut Vec<Finding>,
    not_assessed: &mut Vec<NotAssessed>,
) {
    let inv = ctx.inventory;
    let mut record = |resource: &str, region: &str, outcome: Outcome| match outcome {
        Ok(hits) => findings.extend(hits.into_iter().map(|h: Hit| Finding {
            rule: rule.id.to_string(),
            title: rule.title.to_string(),
            severity: h.severity.unwrap_or(rule.severity),
            kind: rule.check.kind(),
            resource: resource.to_string(),
            region: region.to_string(),
            message: h.message,
            evidence: Deferred::new(h.evidence),
        })),
        Err(reason) => not_assessed.push(NotAssessed {
            rule: rule.id.to_string(),
            kind: rule.check.kind(),
            resource: resource.to_string(),
            reason,
        }),
    };
    // Resources a failed listing may have missed: each rule over that kind is not assessed for
    // them, under a name that says what is missing (`functions in eu-west-1`).
    let listed = match rule.check.kind() {
        ResourceKind::Function => Some((Listing::Functions, "functions")),
        ResourceKind::Secret => Some((Listing::Secrets, "secrets")),
        ResourceKind::RestApi | ResourceKind::RestStage => Some((Listing::RestApis, "REST APIs")),
        ResourceKind::HttpApi | ResourceKind::HttpStage => Some((Listing::HttpApis, "HTTP APIs")),
        _ => None,
    };
    if let Some((listing, what)) = listed {
        for g in ctx.gaps.iter().filter(|g| g.listing == listing) {
            record(
                &format!("{what} in {}", g.region),
                &g.region,
                Err(g.reason.clone()),
            );
        }
    }
    match rule.check {
        Check::Function(check) => {
            for (f, facts) in inv.functions.iter().zip(&ctx.functions) {
                record(&f.arn, &f.region, check(ctx, f, facts));
            }
        }
        Check::Role(check) => {
            for r in &inv.roles {
                if let Some(facts) = ctx.role(&r.arn)
                    && super::judges_role(rule, ctx, r, facts)
                {
                    record(&r.arn, "global", check(ctx, r, facts));
                }
            }
            // A role a function runs as but the scan could not read: not assessed, not passed.
            for role_arn in ctx.role_users.keys().filter(|a| ctx.role(a).is_none()) {
                record(
                    role_arn,
                    "global",
                    Err("the role was not collected (see the scan's IAM coverage)".into()),
                );
            }
        }
        Check::RestApi(check) => {
            for a in &inv.rest_apis {
                record(&a.arn, &a.region, check(ctx, a));
            }
        }
        Check::RestStage(check) => {
            for a in &inv.rest_apis {
                match a.stages.require("stages") {
                    Ok(list) => list.iter().for_each(|s| {
                        record(&stage_arn(&a.arn, &s.name), &a.region, check(ctx, a, s))
                    }),
                    Err(reason) => record(&a.arn, &a.region, Err(reason)),
                }
            }
        }
        Check::HttpApi(check) => {
            for a in &inv.http_apis {
                record(&a.arn, &a.region, check(ctx, a));
            }
        }
        Check::HttpStage(check) => {
            for a in &inv.http_apis {
                match a.stages.require("stages") {
                    Ok(list) => list.iter().for_each(|s| {
                        record(&stage_arn(&a.arn, &s.name), &a.region, check(ctx, a, s))
                    }),
                    Err(reason) => record(&a.arn, &a.region, Err(reason)),
                }
            }
        }
        Check::Secret(check) => {
            for s in &inv.secrets {
                // Whoever reads it from other accounts is part of every finding on it.
                let outcome = check(ctx, s).map(|hits| {
                    hits.into_iter()
                        .map(|h| foreign_readers_evidence(ctx, s, h))
                        .collect()
                });
                record(&s.arn, &s.region, outcome);
            }
        }
    }
}
