//! Execution roles: administrator, escalation, wildcards, data and credential reach, trust, and
//! the sprawl of shared and unused roles.

use super::{Check, Hit, Outcome, Owasp, Points, Power, Rule, ScorePart, age_days, hit, when};
use crate::reach::{Context, Listing};
use crate::report::Reached;
use crate::report::Severity;
use crate::roles::{Becomes, RoleFacts};
use sprawl_iam::access::{Grant, Target};
use sprawl_iam::actions::{AccessLevel, table};
use sprawl_iam::policy::Patterns;
use sprawl_iam::principals::Principal;
use sprawl_model::Role;

pub const RULES: &[&Rule] = &[
    &ADMIN,
    &SELF_ESCALATION,
    &PRIVILEGE_ESCALATION,
    &SERVICE_WILDCARD,
    &PERMISSIONS_MANAGEMENT_UNRESTRICTED,
    &WRITE_UNRESTRICTED,
    &DATA_EXFILTRATION,
    &CREDENTIALS_EXPOSURE,
    &ASSUME_ANY_ROLE,
    &ROLE_CHAIN,
    &CROSS_ACCOUNT_ADMIN,
    &CROSS_ACCOUNT_ASSUME,
    &ASSUME_OUTSIDE_ORG,
    &SHARED,
    &TRUST_BROAD,
    &TRUST_WHOLE_ACCOUNT,
    &TRUST_OUTSIDE_ORG,
    &NO_LOGS,
    &UNUSED,
    &CLOUDSHELL,
    &UNTAGGED,
];

/// The role rules that judge every role of the inventory: the paths, and trusts of strangers.
/// The others judge execution roles only: a deployer or an account's administration role is in
/// the inventory as a hop of a function's chain, not as a function's role, and an account's
/// standard roles (its `OrganizationAccountAccessRole`, the scanner's own) are not its sprawl.
pub const ANY_ROLE: &[&str] = &[
    ROLE_CHAIN.id,
    CROSS_ACCOUNT_ADMIN.id,
    CROSS_ACCOUNT_ASSUME.id,
    ASSUME_OUTSIDE_ORG.id,
    TRUST_WHOLE_ACCOUNT.id,
    TRUST_OUTSIDE_ORG.id,
];

/// A role rule that found nothing on a role with unreadable policies has not shown a pass.
fn complete(facts: &RoleFacts, hits: Vec<Hit>) -> Outcome {
    if hits.is_empty() && !facts.access.unreadable.is_empty() {
        return Err(format!(
            "policies not readable: {}",
            facts.access.unreadable.join("; ")
        ));
    }
    Ok(hits)
}

fn refs(via: &[sprawl_iam::access::StatementRef]) -> String {
    via.iter()
        .map(|r| r.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

fn blast(ctx: &Context, role: &Role) -> String {
    let n = ctx.role_users.get(role.arn.as_str()).map_or(0, Vec::len);
    match n {
        0 => "no function uses it".into(),
        1 => "1 function runs as it".into(),
        n => format!("{n} functions run as it"),
    }
}

/// Actions AWS's own Lambda execution policies grant on `*` (basic logging, VPC networking,
/// X-Ray): flagging them would flag every function.
const LAMBDA_BASELINE: &[&str] = &[
    "logs:createloggroup",
    "logs:createlogstream",
    "logs:putlogevents",
    "ec2:createnetworkinterface",
    "ec2:deletenetworkinterface",
    "ec2:assignprivateipaddresses",
    "ec2:unassignprivateipaddresses",
    "xray:puttracesegments",
    "xray:puttelemetryrecords",
    "xray:getsamplingrules",
    "xray:getsamplingtargets",
    "xray:getsamplingstatisticsummaries",
    "cloudwatch:putmetricdata",
];

pub const ADMIN: Rule = Rule {
    id: "iam-role-admin",
    title: "Execution role is an administrator",
    severity: Severity::Critical,
    owasp: Owasp::OverPrivileged,
    security_hub: Some("IAM.1"),
    peers: &[
        "prowler iam_inline_policy_no_administrative_privileges",
        "prowler iam_role_administratoraccess_policy",
        "cloudsploit lambdaAdminPrivileges",
    ],
    why: "Code running as this role can do anything in the account: one injected event or vulnerable dependency in any of its functions is a full account compromise.",
    fix: "Replace the administrator grant with the actions and resources the function uses (IAM Access Analyzer can generate a policy from CloudTrail).",
    score: ScorePart::Privilege(Points::flat(30), Power::Administrator),
    overview: None,
    check: Check::Role(admin),
};

fn admin(ctx: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    when(!facts.admin_via.is_empty(), || {
        hit(format!(
            "{} may call every action on every resource; {}",
            role.name,
            blast(ctx, role)
        ))
        .ev("grants", refs(&facts.admin_via))
    })
}

pub const SELF_ESCALATION: Rule = Rule {
    id: "iam-role-self-escalation",
    title: "Execution role can make itself an administrator",
    severity: Severity::Critical,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &["PMapper admin test"],
    why: "The role may rewrite its own permissions (put or attach a policy on itself, publish a new version of its own policy, or drop its boundary): it is an administrator one API call away.",
    fix: "Remove IAM write actions on the role's own ARN and its policies; scope iam:* grants to other, specific resources.",
    score: ScorePart::Privilege(Points::flat(30), Power::SelfEscalation),
    overview: None,
    check: Check::Role(self_escalation),
};

fn self_escalation(ctx: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    if !facts.admin_via.is_empty() {
        return Ok(Vec::new());
    }
    let hits = if facts.self_escalation.is_empty() {
        Vec::new()
    } else {
        let mut h = hit(format!(
            "{} can grant itself anything; {}",
            role.name,
            blast(ctx, role)
        ));
        for s in &facts.self_escalation {
            h = h.ev(s.action.clone(), refs(&s.via));
        }
        vec![h]
    };
    complete(facts, hits)
}

pub const PRIVILEGE_ESCALATION: Rule = Rule {
    id: "iam-role-privilege-escalation",
    title: "Execution role allows privilege escalation",
    severity: Severity::High,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &[
        "prowler iam_policy_allows_privilege_escalation",
        "prowler iam_inline_policy_allows_privilege_escalation",
        "cloudsplaining PrivilegeEscalation",
    ],
    why: "The role holds a known combination of permissions (Rhino, Cloudsplaining, Prowler, pathfinding.cloud) that turns into more privilege than it was given: passing a role to new compute, rewriting policy, or hijacking existing code.",
    fix: "Remove the combination: scope iam:PassRole to specific roles and iam:PassedToService, and drop create/update actions on compute the function does not manage.",
    score: ScorePart::Privilege(
        // critical: the escalation reaches administrator
        Points {
            critical: 30,
            high: 24,
            medium: 24,
            low: 24,
        },
        Power::Escalation,
    ),
    overview: None,
    check: Check::Role(privilege_escalation),
};

fn privilege_escalation(ctx: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    if !facts.admin_via.is_empty() || facts.escalations.is_empty() {
        return complete(facts, Vec::new());
    }
    let mut h = hit(format!(
        "{} can escalate by {} method{}{}; {}",
        role.name,
        facts.escalations.len(),
        if facts.escalations.len() == 1 {
            ""
        } else {
            "s"
        },
        if facts.reaches_admin {
            ", up to administrator"
        } else {
            ""
        },
        blast(ctx, role)
    ));
    if facts.reaches_admin {
        h = h.severity(Severity::Critical);
    } else if facts.escalations.iter().all(|e| e.conditional) {
        h = h.severity(Severity::Medium);
    }
    for e in &facts.escalations {
        let via: Vec<String> = e
            .steps
            .iter()
            .map(|s| format!("{} by {}", s.action, refs(&s.via)))
            .collect();
        h = h.ev(
            format!(
                "{}{}",
                e.method,
                if e.conditional { " (conditional)" } else { "" }
            ),
            format!("{}: {}", e.description, via.join("; ")),
        );
    }
    Ok(vec![h])
}

/// Allow statements that grant a whole service (`s3:*`) or everything (`*`).
fn service_wildcards(g: &Grant) -> Vec<String> {
    match &g.statement.actions {
        Patterns::Only(ps) => ps
            .iter()
            .filter(|p| p.as_str() == "*" || p.ends_with(":*"))
            .cloned()
            .collect(),
        Patterns::AllBut(ps) => vec![format!("NotAction {}", ps.join(","))],
    }
}

pub const SERVICE_WILDCARD: Rule = Rule {
    id: "iam-role-service-wildcard",
    title: "Execution role grants whole services (svc:*)",
    severity: Severity::Medium,
    owasp: Owasp::OverPrivileged,
    security_hub: Some("IAM.21"),
    peers: &[
        "Security Hub IAM.21",
        "cloudsplaining ServiceWildcard",
        "prowler iam_policy_no_full_access_to_kms",
        "LambdaGuard svc:* actions",
    ],
    why: "A service wildcard grants every present and future action of the service, including deletes and permission changes the function never needs.",
    fix: "List the actions the function calls.",
    score: ScorePart::Privilege(Points::flat(8), Power::AsWorded),
    overview: None,
    check: Check::Role(service_wildcard),
};

fn service_wildcard(_: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    if !facts.admin_via.is_empty() {
        return Ok(Vec::new());
    }
    let hits: Vec<Hit> = facts
        .access
        .own
        .allows
        .iter()
        .filter_map(|g| {
            let w = service_wildcards(g);
            (!w.is_empty()).then(|| {
                hit(format!("{} grants {}", role.name, w.join(", ")))
                    .ev(g.at.to_string(), w.join(", "))
            })
        })
        .collect();
    complete(facts, hits)
}

/// Effective actions of `level` granted on every resource without conditions, minus Lambda's
/// baseline, with the statements granting them.
fn unrestricted_at(facts: &RoleFacts, level: AccessLevel) -> (Vec<String>, Vec<String>) {
    let t = table();
    let mut names = Vec::new();
    let mut via = Vec::new();
    for g in facts
        .access
        .own
        .allows
        .iter()
        .filter(|g| g.is_unrestricted() && !g.statement.is_conditional())
    {
        let mut found = false;
        for i in g.actions.iter() {
            if t.level(i) != level || !facts.access.effective().contains(i) {
                continue;
            }
            let name = t.name(i);
            if LAMBDA_BASELINE.contains(&name.to_ascii_lowercase().as_str()) {
                continue;
            }
            found = true;
            if !names.contains(&name) {
                names.push(name);
            }
        }
        if found {
            via.push(g.at.to_string());
        }
    }
    (names, via)
}

fn sample(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(6).map(String::as_str).collect();
    if names.len() > shown.len() {
        format!(
            "{} and {} more",
            shown.join(", "),
            names.len() - shown.len()
        )
    } else {
        shown.join(", ")
    }
}

pub const PERMISSIONS_MANAGEMENT_UNRESTRICTED: Rule = Rule {
    id: "iam-role-permissions-management-unrestricted",
    title: "Execution role can change permissions on any resource",
    severity: Severity::High,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &["cloudsplaining ResourceExposure"],
    why: "Permissions-management actions on \"*\" (resource policies, grants, IAM) let the function expose any resource to anyone or widen its own reach.",
    fix: "Scope these actions to named resources, or remove them.",
    score: ScorePart::Privilege(Points::flat(18), Power::AsWorded),
    overview: None,
    check: Check::Role(permissions_management_unrestricted),
};

fn permissions_management_unrestricted(_: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    unrestricted(
        role,
        facts,
        AccessLevel::PermissionsManagement,
        "may manage permissions of every resource with",
    )
}

/// One hit listing the unconditional, unscoped actions of a level (nothing for administrators:
/// `iam-role-admin` says it all).
fn unrestricted(role: &Role, facts: &RoleFacts, level: AccessLevel, what: &str) -> Outcome {
    if !facts.admin_via.is_empty() {
        return Ok(Vec::new());
    }
    let (names, via) = unrestricted_at(facts, level);
    let hits = if names.is_empty() {
        Vec::new()
    } else {
        let plural = if names.len() == 1 { "" } else { "s" };
        vec![
            hit(format!(
                "{} {what} {} action{plural}",
                role.name,
                names.len()
            ))
            .ev("actions", sample(&names))
            .ev("granted by", via.join("; ")),
        ]
    };
    complete(facts, hits)
}

pub const WRITE_UNRESTRICTED: Rule = Rule {
    id: "iam-role-write-unrestricted",
    title: "Execution role can write to any resource",
    severity: Severity::Medium,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &[
        "cloudsplaining InfrastructureModification",
        "LambdaGuard Resource * without condition",
    ],
    why: "Write actions on \"*\" let compromised function code modify or delete resources it has nothing to do with.",
    fix: "Name the resources in the statement's Resource element.",
    score: ScorePart::Privilege(Points::flat(14), Power::AsWorded),
    overview: None,
    check: Check::Role(write_unrestricted),
};

fn write_unrestricted(_: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    unrestricted(
        role,
        facts,
        AccessLevel::Write,
        "may write to every resource with",
    )
}

/// Reads that take data out: Cloudsplaining's list plus KMS decryption.
const EXFILTRATION: &[&str] = &[
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "s3:GetObject",
    "kms:Decrypt",
];

pub const DATA_EXFILTRATION: Rule = Rule {
    id: "iam-role-data-exfiltration",
    title: "Execution role can read secrets, parameters, objects or decrypt on every resource",
    severity: Severity::Medium,
    owasp: Owasp::OverPrivileged,
    security_hub: Some("KMS.2"),
    peers: &[
        "cloudsplaining DataExfiltration",
        "Security Hub KMS.1/KMS.2",
    ],
    why: "Unscoped data reads let a compromised function take every secret, parameter, object or encrypted value in the account, not just its own.",
    fix: "Scope reads to the ARNs the function needs (its own secret, its bucket prefix, its key).",
    score: ScorePart::Privilege(Points::flat(12), Power::AsWorded),
    overview: None,
    check: Check::Role(data_exfiltration),
};

fn data_exfiltration(_: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    if !facts.admin_via.is_empty() {
        return Ok(Vec::new());
    }
    let mut h = hit(format!("{} may read data account-wide", role.name));
    let mut any = false;
    for action in EXFILTRATION {
        if let Some(p) = facts.access.permit(action, Target::Every) {
            any = true;
            h = h.ev(
                format!(
                    "{action} on *{}",
                    if p.conditional { " (conditional)" } else { "" }
                ),
                refs(&p.via),
            );
        }
    }
    complete(facts, if any { vec![h] } else { Vec::new() })
}

pub const CREDENTIALS_EXPOSURE: Rule = Rule {
    id: "iam-role-credentials-exposure",
    title: "Execution role can obtain or mint credentials",
    severity: Severity::High,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &["cloudsplaining CredentialsExposure", "checkov CKV_AWS_107"],
    why: "Actions that return credentials (access keys, session tokens, database passwords) let stolen function credentials become long-lived or wider ones.",
    fix: "Remove the actions, or scope them to the exact resources and add conditions.",
    score: ScorePart::Privilege(Points::flat(18), Power::AsWorded),
    overview: None,
    check: Check::Role(credentials_exposure),
};

fn credentials_exposure(_: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    if !facts.admin_via.is_empty() {
        return Ok(Vec::new());
    }
    let mut h = hit(format!("{} may obtain credentials", role.name));
    let mut any = false;
    for action in table().credentials_exposure() {
        // Pulling container images needs it; Lambda does that with its own service identity,
        // but build tooling often grants it, and it returns only a registry token.
        if *action == "ecr:getauthorizationtoken" || *action == "sts:assumerole" {
            continue;
        }
        if let Some(p) = facts.access.permit(action, Target::Any) {
            any = true;
            h = h.ev(action.to_string(), refs(&p.via));
        }
    }
    complete(facts, if any { vec![h] } else { Vec::new() })
}

pub const ASSUME_ANY_ROLE: Rule = Rule {
    id: "iam-role-assume-any-role",
    title: "Execution role may assume any role",
    severity: Severity::High,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &["prowler iam_no_custom_policy_permissive_role_assumption"],
    why: "sts:AssumeRole on \"*\" lets the function become every role whose trust policy admits this account: its reach is theirs.",
    fix: "List the role ARNs the function needs to assume.",
    score: ScorePart::Privilege(Points::flat(18), Power::AsWorded),
    overview: None,
    check: Check::Role(assume_any_role),
};

fn assume_any_role(_: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    if !facts.admin_via.is_empty() {
        return Ok(Vec::new());
    }
    let p = facts.access.permit("sts:AssumeRole", Target::Every);
    complete(
        facts,
        p.map(|p| {
            vec![
                hit(format!("{} may assume any role", role.name))
                    .ev("sts:AssumeRole on *", refs(&p.via)),
            ]
        })
        .unwrap_or_default(),
    )
}

/// A chain's privilege points, by its finding's severity: an administrator reached for sure
/// counts as much as being one.
const CHAIN_POINTS: Points = Points {
    critical: 30,
    high: 24,
    medium: 12,
    low: 6,
};

pub const ROLE_CHAIN: Rule = Rule {
    id: "iam-role-assume-chain",
    title: "Execution role may become a more powerful role through trust",
    severity: Severity::High,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &["PMapper (sts:AssumeRole edges)"],
    why: "A role whose ARN another role's trust policy names may assume that role without any sts:AssumeRole of its own, and so on down a chain: a function whose role has no policy at all can end as an administrator. Scanners that judge each role alone see a harmless role.",
    fix: "Remove the function's role from trust policies that do not need it, or require an sts:ExternalId or MFA condition; keep deployer and administrator roles trusted only by the principals that use them.",
    // critical: the chain ends at an administrator or a role that can become one
    score: ScorePart::Privilege(CHAIN_POINTS, Power::AsWorded),
    overview: None,
    check: Check::Role(role_chain),
};

fn role_chain(ctx: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    // An administrator has nothing more to become; a chain into another account is
    // `iam-role-cross-account-*`'s.
    let Some(b) = chain_of(facts).filter(|b| !b.crosses()) else {
        return complete(facts, Vec::new());
    };
    let severity = match (b.reached, b.conditional()) {
        (Reached::Administrator | Reached::EscalatesToAdministrator, false) => Severity::Critical,
        (Reached::Administrator | Reached::EscalatesToAdministrator, true) => Severity::High,
        (Reached::Escalation, _) => Severity::Medium,
        (Reached::Role, _) => Severity::Low,
    };
    Ok(vec![chain_hit(ctx, role, b).severity(severity)])
}

/// The most powerful role a role may become, unless it is an administrator already.
fn chain_of(facts: &RoleFacts) -> Option<&Becomes> {
    facts
        .becomes
        .as_ref()
        .filter(|_| facts.admin_via.is_empty())
}

/// `prod-deployer`, or `prod-deployer (prod)` for a role of another account.
fn hop_name(ctx: &Context, arn: &str, account: Option<&str>) -> String {
    let name = arn.rsplit('/').next().unwrap_or(arn);
    match account {
        Some(id) => format!("{name} ({})", ctx.account_label(id)),
        None => name.to_string(),
    }
}

/// A chain's finding: the path in its message (the function's chain label reads it), each hop
/// with the statements on both sides in the evidence.
fn chain_hit(ctx: &Context, role: &Role, b: &Becomes) -> Hit {
    let path: Vec<String> = b
        .path
        .iter()
        .map(|h| hop_name(ctx, &h.to, h.account.as_deref()))
        .collect();
    let what = match b.reached {
        Reached::Administrator => "administrator",
        Reached::EscalatesToAdministrator => "which can escalate to administrator",
        Reached::Escalation => "which can escalate",
        Reached::Role => "its privileges",
    };
    // The message is the function's chain label (`role r (may assume ...)`): who runs as the
    // role goes in the evidence.
    let mut h = hit(format!(
        "{} may assume {} ({what}){}",
        role.name,
        path.join(" -> "),
        if b.conditional() {
            ", if its conditions hold"
        } else {
            ""
        },
    ))
    .ev("blast radius", blast(ctx, role));
    let mut from = role.name.clone();
    let mut from_account: Option<&str> = None;
    for hop in &b.path {
        let how = match (hop.named, hop.account.as_deref()) {
            (true, _) => format!("its trust policy names {from}"),
            (false, Some(_)) => format!(
                "its trust admits account {}, and {from} may call sts:AssumeRole on it",
                from_account
                    .map_or_else(|| ctx.account_label(ctx.account), |a| ctx.account_label(a))
            ),
            (false, None) => {
                format!("its trust admits the account, and {from} may call sts:AssumeRole on it")
            }
        };
        let to = hop_name(ctx, &hop.to, hop.account.as_deref());
        let mut why = format!("{how}: {}", refs(&hop.via));
        if !hop.conditions.is_empty() {
            why.push_str(&format!("; if {}", hop.conditions.join("; ")));
        }
        h = h.ev(
            format!(
                "{from} -> {to}{}",
                if hop.conditional {
                    " (conditional)"
                } else {
                    ""
                }
            ),
            why,
        );
        from = to;
        if hop.account.is_some() {
            from_account = hop.account.as_deref();
        }
    }
    h
}

pub const CROSS_ACCOUNT_ADMIN: Rule = Rule {
    id: "iam-role-cross-account-admin",
    title: "Execution role may become an administrator in another account",
    severity: Severity::Critical,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &["PMapper (cross-account sts:AssumeRole edges)"],
    why: "The role may assume a role in another account of the organization (its policies allow sts:AssumeRole on it, and that role's trust admits it), and so on to an administrator there: whoever runs code as this function owns that account too. Scanners that judge one account at a time see a deployer role trusted by a sibling account, and nothing more.",
    fix: "Trust named deployer principals only (never a whole account), keep sts:AssumeRole on other accounts' roles out of execution roles, and require sts:ExternalId or MFA where a person is meant to cross.",
    // critical: unconditional; high: some hop's conditions may stop it
    score: ScorePart::Privilege(CHAIN_POINTS, Power::AsWorded),
    overview: None,
    check: Check::Role(cross_account_admin),
};

fn cross_account_admin(ctx: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    // An administrator here that may become one in another account gains that account.
    let hits = facts
        .becomes
        .as_ref()
        .filter(|b| b.crosses() && b.reached <= Reached::EscalatesToAdministrator)
        .map(|b| {
            chain_hit(ctx, role, b).severity(if b.conditional() {
                Severity::High
            } else {
                Severity::Critical
            })
        });
    complete(facts, hits.into_iter().collect())
}

pub const CROSS_ACCOUNT_ASSUME: Rule = Rule {
    id: "iam-role-cross-account-assume",
    title: "Execution role may assume roles in other accounts",
    severity: Severity::Medium,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &["PMapper (cross-account sts:AssumeRole edges)"],
    why: "What the function can do does not end at its account: the roles it may become in other accounts add their permissions to its own. Ranked by what the best of them can do.",
    fix: "Keep sts:AssumeRole on other accounts' roles out of execution roles; where a function must cross, name the one role and have its trust name this role.",
    score: ScorePart::Privilege(
        // medium: a role there can escalate; low: a role no broader than its grants
        Points {
            critical: 30,
            high: 24,
            medium: 12,
            low: 4,
        },
        Power::AsWorded,
    ),
    overview: None,
    check: Check::Role(cross_account_assume),
};

/// The roles of other accounts a role's own policies name for `sts:AssumeRole` (by a literal
/// account id, and not denied): (account, resource, statement).
fn named_elsewhere<'f>(
    ctx: &Context,
    facts: &'f RoleFacts,
) -> Vec<(String, String, &'f sprawl_iam::access::StatementRef)> {
    let mut out = Vec::new();
    for g in facts
        .access
        .own
        .allows
        .iter()
        .filter(|g| g.statement.actions.covers_action("sts:AssumeRole"))
    {
        let sprawl_iam::policy::Patterns::Only(resources) = &g.statement.resources else {
            continue;
        };
        for r in resources {
            let Some(account) = r.split(':').nth(4) else {
                continue;
            };
            if account.len() != 12
                || !account.bytes().all(|b| b.is_ascii_digit())
                || account == ctx.account
                || facts
                    .access
                    .permit("sts:AssumeRole", Target::Arn(r))
                    .is_none()
            {
                continue;
            }
            out.push((account.to_string(), r.clone(), &g.at));
        }
    }
    out
}

pub const ASSUME_OUTSIDE_ORG: Rule = Rule {
    id: "iam-role-assume-outside-org",
    title: "Execution role may assume roles of an account outside the organization",
    severity: Severity::Medium,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &["PMapper (cross-account sts:AssumeRole edges)"],
    why: "A role allowed sts:AssumeRole on another account's roles reaches whatever that account lets it become: outside the organization, no guardrail of ours applies there, and nothing of it can be scanned from here. It is also a way out for data.",
    fix: "Remove the grant, or confirm the partner account and name the one role, with the external id it requires.",
    score: ScorePart::None,
    overview: None,
    check: Check::Role(assume_outside_org),
};

fn assume_outside_org(ctx: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    use sprawl_iam::members::Membership;
    let Some(m) = ctx.members else {
        return Ok(Vec::new());
    };
    let outside: Vec<_> = named_elsewhere(ctx, facts)
        .into_iter()
        .filter(|(account, _, _)| m.of(account) == Membership::Outside)
        .collect();
    if outside.is_empty() {
        return complete(facts, Vec::new());
    }
    let mut accounts: Vec<&str> = outside.iter().map(|(a, _, _)| a.as_str()).collect();
    accounts.sort();
    accounts.dedup();
    let mut h = hit(format!(
        "{} may assume roles of account {}, outside the organization",
        role.name,
        accounts.join(", ")
    ))
    .ev("blast radius", blast(ctx, role));
    for (_, resource, at) in &outside {
        h = h.ev(at.to_string(), format!("sts:AssumeRole on {resource}"));
    }
    Ok(vec![h])
}

fn cross_account_assume(ctx: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    // A path to an administrator is `iam-role-cross-account-admin`'s.
    if facts
        .becomes
        .as_ref()
        .is_some_and(|b| b.crosses() && b.reached <= Reached::EscalatesToAdministrator)
    {
        return complete(facts, Vec::new());
    }
    let across: Vec<_> = facts
        .assumes
        .iter()
        .filter_map(|h| h.account.as_deref().map(|a| (h, a)))
        .collect();
    // Roles named in accounts of the organization that were not scanned: where they lead is
    // unknown, and said so.
    let unscanned: Vec<(String, String, &sprawl_iam::access::StatementRef)> =
        match (ctx.members, ctx.crossings) {
            (Some(m), Some(c)) => named_elsewhere(ctx, facts)
                .into_iter()
                .filter(|(account, _, _)| {
                    m.of(account) != sprawl_iam::members::Membership::Outside
                        && c.scanned(account) == Some(false)
                })
                .collect(),
            _ => Vec::new(),
        };
    if across.is_empty() && unscanned.is_empty() {
        return complete(facts, Vec::new());
    }
    if across.is_empty() {
        let mut accounts: Vec<String> = unscanned
            .iter()
            .map(|(a, _, _)| ctx.account_label(a))
            .collect();
        accounts.dedup();
        let mut h = hit(format!(
            "{} may assume roles of account {} of the organization, which was not scanned: what they reach is unknown",
            role.name,
            accounts.join(", ")
        ))
        .severity(Severity::Low)
        .ev("blast radius", blast(ctx, role));
        for (_, resource, at) in &unscanned {
            h = h.ev(
                at.to_string(),
                format!("sts:AssumeRole on {resource} (not scanned)"),
            );
        }
        return Ok(vec![h]);
    }
    let reached = |arn: &str| {
        ctx.crossings
            .and_then(|c| c.reached(arn))
            .unwrap_or(Reached::Role)
    };
    // Hops no function can take are shown, and rank nothing.
    let open: Vec<_> = across.iter().filter(|(h, _)| h.stopped.is_none()).collect();
    let best = open
        .iter()
        .map(|(h, _)| reached(&h.to))
        .min()
        .unwrap_or(Reached::Role);
    let names: Vec<String> = across
        .iter()
        .map(|(h, a)| hop_name(ctx, &h.to, Some(a)))
        .collect();
    let severity = match (open.is_empty(), best) {
        (true, _) => Severity::Info,
        (false, Reached::Role) => Severity::Low,
        (false, Reached::Administrator | Reached::EscalatesToAdministrator) => Severity::High,
        (false, Reached::Escalation) => Severity::Medium,
    };
    let mut h = hit(if open.is_empty() {
        format!(
            "{} would assume {} in other accounts, but is stopped: {}",
            role.name,
            sample(&names),
            across[0].0.stopped.as_deref().unwrap_or_default()
        )
    } else {
        format!(
            "{} may assume {} in other accounts ({})",
            role.name,
            sample(&names),
            best.label()
        )
    })
    .severity(severity)
    .ev("blast radius", blast(ctx, role));
    for (hop, account) in &across {
        let mut why = refs(&hop.via);
        if !hop.conditions.is_empty() {
            why.push_str(&format!("; if {}", hop.conditions.join("; ")));
        }
        if let Some(stop) = &hop.stopped {
            why.push_str(&format!("; stopped: {stop}"));
        }
        h = h.ev(
            format!(
                "{} -> {} ({}){}",
                role.name,
                hop_name(ctx, &hop.to, Some(account)),
                reached(&hop.to).label(),
                match (&hop.stopped, hop.conditional) {
                    (Some(_), _) => ", stopped",
                    (None, true) => ", conditional",
                    (None, false) => "",
                }
            ),
            why,
        );
    }
    for (_, resource, at) in &unscanned {
        h = h.ev(
            at.to_string(),
            format!("sts:AssumeRole on {resource} (its account was not scanned: unknown)"),
        );
    }
    Ok(vec![h])
}

pub const SHARED: Rule = Rule {
    id: "iam-role-shared",
    title: "Execution role is shared by several functions",
    severity: Severity::Medium,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &["cloudsploit lambdaUniqueExecutionRole"],
    why: "A shared role holds the union of what every function needs, so each function has more than it uses, and one compromise reaches all their data.",
    fix: "Give each function its own role with its own least-privilege policy.",
    score: ScorePart::None,
    overview: None,
    check: Check::Role(shared),
};

/// Who runs as a role is known only when every function listing succeeded.
fn users_known(ctx: &Context) -> Result<(), String> {
    match ctx.gap(Listing::Functions, None) {
        Some(reason) => Err(reason.to_string()),
        None => Ok(()),
    }
}

fn shared(ctx: &Context, role: &Role, _: &RoleFacts) -> Outcome {
    let users = ctx
        .role_users
        .get(role.arn.as_str())
        .map_or(&[][..], Vec::as_slice);
    if users.len() <= 1 {
        users_known(ctx)?;
    }
    when(users.len() > 1, || {
        let names: Vec<&str> = users
            .iter()
            .map(|a| a.rsplit(':').next().unwrap_or(a))
            .collect();
        hit(format!("{} functions run as {}", users.len(), role.name)).ev(
            "functions",
            sample(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        )
    })
}

/// Service principals that legitimately assume a Lambda execution role.
const LAMBDA_SERVICES: &[&str] = &["lambda.amazonaws.com", "edgelambda.amazonaws.com"];

pub const TRUST_BROAD: Rule = Rule {
    id: "iam-role-trust-broad",
    title: "Execution role can be assumed by more than Lambda",
    severity: Severity::High,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &[
        "cloudsplaining AssumableByAnyPrincipal",
        "cloudsplaining AssumableByCrossAccountPrincipal",
        "cloudsplaining AssumableByComputeService",
    ],
    why: "Whoever else the trust policy admits (people, other accounts, other services) gets the function's permissions without going through its code.",
    fix: "Trust lambda.amazonaws.com only; give other callers their own roles.",
    score: ScorePart::None,
    overview: None,
    check: Check::Role(trust_broad),
};

/// A role Lambda may assume, or one a function runs as: what the execution-role rules judge
/// (the inventory also holds the roles other roles may become, the hops of their chains).
pub fn is_execution_role(ctx: &Context, role: &Role, facts: &RoleFacts) -> bool {
    ctx.role_users.contains_key(role.arn.as_str())
        || facts.trusted.iter().any(|a| {
            matches!(&a.principal, Principal::Service { name } if LAMBDA_SERVICES.contains(&name.as_str()))
        })
}

fn trust_broad(ctx: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    if let Some(e) = &facts.trust_error {
        return Err(e.clone());
    }
    // A deployer trusted by another account is one by design: how widely is
    // `iam-role-trust-whole-account`'s, and strangers `iam-role-trust-outside-org`'s.
    if !is_execution_role(ctx, role, facts) {
        return Ok(Vec::new());
    }
    Ok(facts
        .trusted
        .iter()
        .filter(|a| !matches!(&a.principal, Principal::Service { name } if LAMBDA_SERVICES.contains(&name.as_str())))
        // Strangers are `iam-role-trust-outside-org`'s.
        .filter(|a| ctx.stranger(a).is_none())
        .map(|a| {
            let member = ctx.members.is_some() && ctx.other_account(&a.principal).is_some();
            let sev = match (&a.principal, a.is_narrowed()) {
                (Principal::Anyone, false) => Severity::Critical,
                (Principal::Anyone, true) => Severity::Medium,
                (Principal::Account { same: true, .. }, _) => Severity::Medium,
                (Principal::Service { .. }, _) => Severity::Low,
                // An account of the organization.
                (Principal::Account { .. }, _) if member => Severity::Medium,
                _ => Severity::High,
            };
            hit(format!("{} trusts {}", role.name, ctx.describe_account(&a.principal)))
                .severity(sev)
                .ev(a.at.to_string(), trust_conditions(a))
        })
        .collect())
}

fn trust_conditions(a: &sprawl_iam::principals::Admission) -> String {
    if a.conditions.is_empty() {
        "no condition".into()
    } else {
        a.conditions.join("; ")
    }
}

pub const TRUST_WHOLE_ACCOUNT: Rule = Rule {
    id: "iam-role-trust-whole-account",
    title: "Role's trust admits a whole account rather than named principals",
    severity: Severity::Medium,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &["PMapper (cross-account sts:AssumeRole edges)"],
    why: "A trust that names another account (its id or its root), or every account of the organization, admits any principal there whose own policies allow sts:AssumeRole: who may become the role is decided by that account's administrators, not by this one. It is how a function in a dev account comes to reach a deployer in prod.",
    fix: "Name the roles that need it (Principal: arn:aws:iam::ACCOUNT:role/NAME), or condition the statement on aws:PrincipalArn.",
    score: ScorePart::None,
    overview: None,
    check: Check::Role(trust_whole_account),
};

fn trust_whole_account(ctx: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    if let Some(e) = &facts.trust_error {
        return Err(e.clone());
    }
    // Named by a condition on the principal's ARN: not the whole account.
    let named = |a: &sprawl_iam::principals::Admission| {
        a.conditions
            .iter()
            .any(|c| c.to_ascii_lowercase().starts_with("aws:principalarn "))
    };
    // The management account administers every account already (its
    // `OrganizationAccountAccessRole` is this trust): naming it adds no one.
    let management = ctx.members.and_then(|m| m.management.as_deref());
    Ok(facts
        .trusted
        .iter()
        .filter(|a| a.at.policy == "trust policy" && !named(a))
        .filter(|a| {
            !matches!(&a.principal, Principal::Account { id, .. } if Some(id.as_str()) == management)
        })
        .filter_map(|a| {
            match &a.principal {
                Principal::Account {
                    arn, same: false, ..
                } if arn.ends_with(":root") || arn.bytes().all(|b| b.is_ascii_digit()) => {
                    Some(ctx.describe_account(&a.principal))
                }
                Principal::Anyone if !a.scope.orgs.is_empty() => Some(format!(
                    "every account of organization {}",
                    a.scope.orgs.join(", ")
                )),
                _ => None,
            }
            .map(|who| {
                hit(format!("{} trusts {who}", role.name)).ev(a.at.to_string(), trust_conditions(a))
            })
        })
        .collect())
}

pub const TRUST_OUTSIDE_ORG: Rule = Rule {
    id: "iam-role-trust-outside-org",
    title: "Execution role can be assumed from outside the organization",
    severity: Severity::Critical,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &["cloudsplaining AssumableByCrossAccountPrincipal"],
    why: "An account that is not the organization's can become the function's role: its permissions are a stranger's, and none of the organization's guardrails apply to who uses them there.",
    fix: "Remove the account from the trust policy, or, for a contracted partner, name its role and require sts:ExternalId.",
    score: ScorePart::None,
    overview: None,
    check: Check::Role(trust_outside_org),
};

fn trust_outside_org(ctx: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    if let Some(e) = &facts.trust_error {
        return Err(e.clone());
    }
    Ok(facts
        .trusted
        .iter()
        .filter_map(|a| ctx.stranger(a).map(|who| (a, who)))
        .map(|(a, who)| {
            let h = hit(format!("{} trusts {who}", role.name))
                .ev(a.at.to_string(), trust_conditions(a));
            // An RCP that denies strangers sts:AssumeRole on it: the grant is blocked.
            if let Some(rcp) = ctx.rcp_blocks_strangers("sts:AssumeRole", &role.arn) {
                return h.severity(Severity::Info).ev(
                    "blocked",
                    format!("{rcp} denies principals outside the organization"),
                );
            }
            // An external id or another condition stands in the stranger's way, a little.
            if a.conditions.is_empty() {
                h
            } else {
                h.severity(Severity::High)
            }
        })
        .collect())
}

pub const NO_LOGS: Rule = Rule {
    id: "iam-role-no-logs",
    title: "Execution role cannot write CloudWatch Logs",
    severity: Severity::Low,
    owasp: Owasp::InadequateLogging,
    security_hub: None,
    peers: &["LambdaGuard no logs permission"],
    why: "Without logs:CreateLogStream and logs:PutLogEvents the function's output, errors and any attack on it vanish.",
    fix: "Attach AWSLambdaBasicExecutionRole, or grant the two actions on the function's log group.",
    score: ScorePart::None,
    overview: None,
    check: Check::Role(no_logs),
};

fn no_logs(ctx: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    if !ctx.role_users.contains_key(role.arn.as_str()) {
        return Ok(Vec::new());
    }
    let missing: Vec<&str> = ["logs:CreateLogStream", "logs:PutLogEvents"]
        .into_iter()
        .filter(|a| facts.access.permit(a, Target::Any).is_none())
        .collect();
    if !missing.is_empty() && !facts.access.unreadable.is_empty() {
        return Err(format!(
            "policies not readable: {}",
            facts.access.unreadable.join("; ")
        ));
    }
    when(!missing.is_empty(), || {
        hit(format!("{} cannot write logs", role.name)).ev("not allowed", missing.join(", "))
    })
}

/// How long a role may sit unused before it counts as forgotten.
const UNUSED_DAYS: i64 = 90;

pub const UNUSED: Rule = Rule {
    id: "iam-role-unused",
    title: "Lambda role is unused",
    severity: Severity::Low,
    owasp: Owasp::InsecureConfiguration,
    security_hub: None,
    peers: &[],
    why: "A role no function uses and nobody has assumed for 90 days is sprawl: permissions waiting for someone to find them.",
    fix: "Delete the role, or record who owns it and why it stays.",
    score: ScorePart::None,
    overview: None,
    check: Check::Role(unused),
};

fn unused(ctx: &Context, role: &Role, facts: &RoleFacts) -> Outcome {
    // An unused execution role: one Lambda may assume that no function runs as.
    if ctx.role_users.contains_key(role.arn.as_str()) || !is_execution_role(ctx, role, facts) {
        return Ok(Vec::new());
    }
    users_known(ctx)?;
    let last = role.last_used.as_ref().and_then(|l| l.date.as_deref());
    let idle = match age_days(ctx, last) {
        Some(days) => days >= UNUSED_DAYS,
        None => age_days(ctx, role.created.as_deref()).is_none_or(|d| d >= UNUSED_DAYS),
    };
    when(idle, || {
        hit(format!(
            "no function uses {} and it was last used {}",
            role.name,
            last.unwrap_or("never")
        ))
        .ev("last_used", last.unwrap_or("never").to_string())
    })
}

pub const CLOUDSHELL: Rule = Rule {
    id: "iam-role-cloudshell-full-access",
    title: "Execution role has AWSCloudShellFullAccess",
    severity: Severity::Medium,
    owasp: Owasp::OverPrivileged,
    security_hub: Some("IAM.27"),
    peers: &["prowler iam_policy_cloudshell_admin_not_attached"],
    why: "CloudShell full access includes file upload and download: a data exfiltration path no function needs.",
    fix: "Detach the policy.",
    score: ScorePart::None,
    overview: None,
    check: Check::Role(cloudshell),
};

fn cloudshell(_: &Context, role: &Role, _: &RoleFacts) -> Outcome {
    Ok(role
        .attached_policies
        .iter()
        .filter(|p| p.arn.ends_with(":policy/AWSCloudShellFullAccess"))
        .map(|p| {
            hit(format!("{} has {}", role.name, p.name)).ev("attached_policies", p.arn.clone())
        })
        .collect())
}

pub const UNTAGGED: Rule = Rule {
    id: "iam-role-untagged",
    title: "Execution role has no tags",
    severity: Severity::Low,
    owasp: Owasp::InsecureConfiguration,
    security_hub: Some("IAM.24"),
    peers: &["Security Hub IAM.24"],
    why: "Untagged roles cannot be traced to an owner, so nobody reviews or removes them.",
    fix: "Tag the role with its owner and application.",
    score: ScorePart::None,
    overview: None,
    check: Check::Role(untagged),
};

fn untagged(_: &Context, role: &Role, _: &RoleFacts) -> Outcome {
    when(role.tags.is_empty(), || {
        hit(format!("{} has no tags", role.name)).ev("tags", "{}")
    })
}
