//! One risk score per function, 0 to 100, and the chain that explains it.
//!
//! score = exposure + (privilege + data) x (0.5 + 0.5 x exposure / 40) + hygiene
//!
//! - exposure (0-40): the most exposed way in. Public URL 40 (auth NONE and anyone admitted to
//!   either invoke action: the legacy authorization model counts); anyone via the resource policy or
//!   an open API route 35; API authorizer (sees every unauthenticated request) 25; a service
//!   without SourceArn/SourceAccount 20; URL with auth NONE that is not (yet) invocable, or
//!   another account 15; authenticated API route 12; event sources and narrowed principals 8.
//! - privilege (0-30): what its role can do. Administrator, self-escalation or escalation to
//!   administrator 30; other escalation 24; permissions management, credentials or any-role
//!   assumption on `*` 18; write on `*` 14; data reads on `*` 12; service wildcards 8.
//! - data (0-20): 4 per secret the role can read (at most 12), plus the worst secret in its
//!   environment (critical 8, high 6, otherwise 3).
//! - hygiene (0-10): the runtime's lifecycle (update blocked 5, create blocked 4, deprecated 3,
//!   soon 1), a foreign layer 2, and 1 per other configuration finding.
//!
//! Damage (privilege, data) counts at half weight for a function nothing outside can reach and
//! full weight for a public one: a public function that can become administrator outranks an
//! internal administrator and a public function that can do nothing.

use std::collections::BTreeMap;

use super::report::{EntryPoint, Finding, Hop, Score, Severity};
use super::rules::{CROSS_ACCOUNT_ADMIN, CROSS_ACCOUNT_ASSUME, Power, ScorePart, score_part};
use crate::reach::{Context, FunctionFacts};
use crate::report::Reached;
use crate::roles::Becomes;
use sprawl_model::Function;

/// Privilege points of a role's finding: its rule's [`ScorePart::Privilege`], else none.
fn privilege_points(f: &Finding) -> u8 {
    // Info: shown, adds nothing (a path that is stopped).
    if f.severity == Severity::Info {
        return 0;
    }
    match score_part(&f.rule) {
        ScorePart::Privilege(points, _) => points.at(f.severity),
        _ => 0,
    }
}

/// Hygiene points of a function's own finding: its rule's [`ScorePart::Hygiene`], else none.
fn hygiene_points(f: &Finding) -> u8 {
    match score_part(&f.rule) {
        ScorePart::Hygiene { points, .. } => points.at(f.severity),
        _ => 0,
    }
}

/// Data points of a function's own finding (a secret in its configuration).
fn data_points(f: &Finding) -> u8 {
    match score_part(&f.rule) {
        ScorePart::Data(points) => points.at(f.severity),
        _ => 0,
    }
}

/// Whether a function's own finding is named in the function's hop of the chain.
fn in_chain(f: &Finding) -> bool {
    matches!(
        score_part(&f.rule),
        ScorePart::Data(_) | ScorePart::Hygiene { in_chain: true, .. }
    )
}

/// Scores one function and explains it.
pub fn score(
    ctx: &Context,
    f: &Function,
    facts: &FunctionFacts,
    own: &[&Finding],
    role: &[&Finding],
    partial: bool,
) -> (Score, Vec<Hop>) {
    let entry = facts.entry_points.iter().max_by_key(|e| e.exposure());
    let exposure = entry.map_or(0, EntryPoint::exposure);
    let top_privilege = role
        .iter()
        .max_by_key(|f| privilege_points(f))
        .filter(|f| privilege_points(f) > 0);
    let privilege = top_privilege.map_or(0, |f| privilege_points(f));
    let every = facts.reads_every_secret.is_some();
    let foreign = facts
        .readable_secrets
        .iter()
        .filter(|s| s.account.is_some())
        .count();
    let total_secrets = if every {
        ctx.inventory.secrets.len() + foreign
    } else {
        facts.readable_secrets.len()
    };
    let readable = total_secrets as u32;
    let env_worst = own.iter().map(|x| data_points(x)).max().unwrap_or(0);
    let data = ((readable * 4).min(12) as u8 + env_worst).min(20);
    let hygiene = own
        .iter()
        .map(|x| hygiene_points(x) as u32)
        .sum::<u32>()
        .min(10) as u8;
    let weight = 0.5 + 0.5 * f64::from(exposure) / 40.0;
    let total =
        (f64::from(exposure) + f64::from(privilege + data) * weight + f64::from(hygiene)).round();
    let score = Score {
        total: total.clamp(0.0, 100.0) as u8,
        exposure,
        privilege,
        data,
        hygiene,
        partial,
    };

    let mut chain = Vec::new();
    chain.push(match entry {
        Some(e) => Hop {
            label: e.describe(),
            evidence: entry_evidence(e),
            role: None,
        },
        None => Hop {
            label: "no entry point found".into(),
            evidence: Vec::new(),
            role: None,
        },
    });
    let mut fn_evidence: Vec<String> = own
        .iter()
        .filter(|x| in_chain(x))
        .map(|x| x.message.clone())
        .collect();
    fn_evidence.dedup();
    chain.push(Hop {
        label: format!("function {}", f.name),
        evidence: fn_evidence,
        role: None,
    });
    let role_name = f.role_arn.rsplit('/').next().unwrap_or(&f.role_arn);
    // A chain into other accounts: every hop with its account and the statements on both sides.
    let crossing = top_privilege
        .filter(|p| p.rule == CROSS_ACCOUNT_ADMIN.id || p.rule == CROSS_ACCOUNT_ASSUME.id)
        .and_then(|_| ctx.role(&f.role_arn))
        .and_then(|r| r.becomes.as_ref())
        .filter(|b| b.crosses());
    if let Some(b) = crossing {
        chain.push(Hop {
            label: format!("role {role_name} ({})", ctx.account_label(ctx.account)),
            evidence: Vec::new(),
            role: Some(f.role_arn.clone()),
        });
        chain.extend(crossing_hops(ctx, role_name, b));
    } else {
        chain.push(Hop {
            label: match top_privilege {
                Some(p) => format!("role {role_name} ({})", role_summary(ctx, &f.role_arn, p)),
                None if ctx.role(&f.role_arn).is_none() => {
                    format!("role {role_name} (not collected: privileges unknown)")
                }
                None => format!("role {role_name} (no broad privilege found)"),
            },
            evidence: top_privilege
                .map(|p| {
                    p.evidence
                        .get()
                        .into_iter()
                        .flatten()
                        .map(|e| format!("{}: {}", e.path, e.value))
                        .collect()
                })
                .unwrap_or_default(),
            role: Some(f.role_arn.clone()),
        });
    }
    if total_secrets > 0 {
        let mut evidence: Vec<String> = facts
            .reads_every_secret
            .iter()
            .flatten()
            .map(|v| format!("every secret via {v}"))
            .collect();
        evidence.extend(facts.readable_secrets.iter().map(|s| {
            let how = if s.by_resource_policy {
                "its resource policy".to_string()
            } else {
                s.via
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            match &s.account {
                Some(a) => format!(
                    "{} ({}) via {how}, if its key allows it",
                    s.name,
                    ctx.account_label(a)
                ),
                None => format!("{} via {how}", s.name),
            }
        }));
        chain.push(Hop {
            label: format!(
                "reads {}{total_secrets} secret{}",
                if every { "all " } else { "" },
                if total_secrets == 1 { "" } else { "s" }
            ),
            evidence,
            role: None,
        });
    }
    (score, chain)
}

/// `may assume prod-deployer (prod; trusts account dev)` for each hop, then what the chain
/// ends at: `administrator (prod)`.
fn crossing_hops(ctx: &Context, role_name: &str, b: &Becomes) -> Vec<Hop> {
    let mut hops = Vec::new();
    let mut from_account = ctx.account;
    let mut from = ctx.account_label(ctx.account);
    let mut from_role = role_name.to_string();
    for h in &b.path {
        let to_account = h.account.as_deref().unwrap_or(ctx.account);
        let name = h.to.rsplit('/').next().unwrap_or(&h.to);
        let trusts = if h.named {
            "trusts the role by name".to_string()
        } else if to_account == from_account {
            "trusts its own account".to_string()
        } else {
            format!("trusts account {from}")
        };
        // The trust's statement, then the role's own that allow it (none when named).
        let mut evidence: Vec<String> = h
            .via
            .iter()
            .enumerate()
            .map(|(i, v)| {
                if i == 0 {
                    format!("{name}'s {v}")
                } else {
                    format!("{from_role}'s {v}")
                }
            })
            .collect();
        evidence.extend(h.conditions.iter().map(|c| format!("if {c}")));
        hops.push(Hop {
            label: format!(
                "may assume {name} ({}; {trusts}){}",
                ctx.account_label(to_account),
                if h.conditional {
                    ", if its conditions hold"
                } else {
                    ""
                }
            ),
            evidence,
            role: Some(h.to.clone()),
        });
        from_account = to_account;
        from = ctx.account_label(to_account);
        from_role = name.to_string();
    }
    let what = match b.reached {
        Reached::Administrator => "administrator".to_string(),
        Reached::EscalatesToAdministrator => "escalation to administrator".to_string(),
        Reached::Escalation => "escalation".to_string(),
        Reached::Role => "its privileges".to_string(),
    };
    hops.push(Hop {
        label: format!("{what} ({from})"),
        evidence: Vec::new(),
        role: None,
    });
    hops
}

fn entry_evidence(e: &EntryPoint) -> Vec<String> {
    match e {
        EntryPoint::FunctionUrl { url, evidence, .. } => std::iter::once(url.clone())
            .chain(evidence.iter().cloned())
            .collect(),
        EntryPoint::Principal { admission } => {
            let mut v = vec![admission.at.to_string()];
            v.extend(admission.conditions.iter().cloned());
            v
        }
        EntryPoint::RestMethod { api_id, region, .. }
        | EntryPoint::HttpRoute { api_id, region, .. }
        | EntryPoint::Authorizer { api_id, region, .. } => {
            vec![format!("API {api_id} in {region}")]
        }
        EntryPoint::EventSource { uuid, .. } => vec![format!("event source mapping {uuid}")],
        EntryPoint::Source { arn, path, via, .. } => std::iter::once(arn.clone())
            .chain(path.iter().cloned())
            .chain(via.iter().cloned())
            .collect(),
    }
}

fn role_summary(ctx: &Context, role_arn: &str, top: &Finding) -> String {
    let power = match score_part(&top.rule) {
        ScorePart::Privilege(_, power) => power,
        _ => Power::AsWorded,
    };
    match power {
        Power::Administrator => "administrator".into(),
        Power::SelfEscalation => "can make itself administrator".into(),
        Power::Escalation => {
            let first = ctx
                .role(role_arn)
                .and_then(|r| r.escalations.first())
                .map(|e| format!("{}: escalation", e.actions()))
                .unwrap_or_else(|| "escalation".into());
            if top.severity == Severity::Critical {
                format!("{first} to administrator")
            } else {
                first
            }
        }
        Power::AsWorded => {
            let name = role_arn.rsplit('/').next().unwrap_or(role_arn);
            top.message
                .strip_prefix(name)
                .unwrap_or(&top.message)
                .trim()
                .to_string()
        }
    }
}

/// Severity counts, highest first, for ranking ties.
pub fn counts(findings: &[&Finding]) -> BTreeMap<Severity, usize> {
    let mut out = BTreeMap::new();
    for f in findings {
        *out.entry(f.severity).or_insert(0) += 1;
    }
    out
}
