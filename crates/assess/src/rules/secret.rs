//! Secrets Manager secrets: rotation, use, exposure through resource policies, ownership.

use super::{Check, Outcome, Owasp, Rule, ScorePart, Tally, age_days, hit, when};
use crate::reach::Context;
use crate::report::Severity;
use sprawl_iam::members::Membership;
use sprawl_iam::policy::Policy;
use sprawl_iam::principals::{Admission, Principal, admissions};
use sprawl_model::Secret;

pub const RULES: &[&Rule] = &[
    &ROTATION_DISABLED,
    &ROTATION_OVERDUE,
    &UNUSED,
    &POLICY_PUBLIC,
    &POLICY_CROSS_ACCOUNT,
    &POLICY_OUTSIDE_ORG,
    &UNTAGGED,
    &NO_CMK,
];

/// Days after which a secret counts as unrotated or unused (Security Hub's default).
const MAX_DAYS: i64 = 90;

pub const ROTATION_DISABLED: Rule = Rule {
    id: "secret-rotation-disabled",
    title: "Secret is never rotated automatically",
    severity: Severity::Medium,
    owasp: Owasp::InsecureSecrets,
    security_hub: Some("SecretsManager.1"),
    peers: &["prowler secretsmanager_automatic_rotation_enabled"],
    why: "A secret that never changes stays valid forever once leaked (in a log, a laptop, a former employee's notes).",
    fix: "Configure a rotation function and schedule (managed rotation for RDS, Redshift and DocumentDB secrets).",
    score: ScorePart::None,
    overview: Some(Tally::SecretRotationDisabled),
    check: Check::Secret(rotation_disabled),
};

fn rotation_disabled(_: &Context, s: &Secret) -> Outcome {
    when(!s.rotation_enabled, || {
        hit(format!("{} has no automatic rotation", s.name)).ev("rotation_enabled", "false")
    })
}

pub const ROTATION_OVERDUE: Rule = Rule {
    id: "secret-rotation-overdue",
    title: "Secret has not been rotated in 90 days",
    severity: Severity::Medium,
    owasp: Owasp::InsecureSecrets,
    security_hub: Some("SecretsManager.4"),
    peers: &["prowler secretsmanager_secret_rotated_periodically"],
    why: "Rotation is configured but has not happened (a failing rotation function, or a schedule longer than 90 days).",
    fix: "Check the rotation function's logs and run rotate-secret; shorten the schedule to 90 days or less.",
    score: ScorePart::None,
    overview: Some(Tally::SecretRotationOverdue),
    check: Check::Secret(rotation_overdue),
};

fn rotation_overdue(ctx: &Context, s: &Secret) -> Outcome {
    if !s.rotation_enabled {
        return Ok(Vec::new());
    }
    let since = s.last_rotated.as_deref().or(s.created.as_deref());
    let age = age_days(ctx, since);
    when(age.is_some_and(|d| d > MAX_DAYS), || {
        hit(format!(
            "{} was last rotated {} days ago",
            s.name,
            age.unwrap_or_default()
        ))
        .ev(
            "last_rotated",
            s.last_rotated.clone().unwrap_or_else(|| "never".into()),
        )
    })
}

pub const UNUSED: Rule = Rule {
    id: "secret-unused",
    title: "Secret has not been read in 90 days",
    severity: Severity::Medium,
    owasp: Owasp::InsecureSecrets,
    security_hub: Some("SecretsManager.3"),
    peers: &["prowler secretsmanager_secret_unused"],
    why: "An unused secret is a live credential nobody watches.",
    fix: "Delete it (with a recovery window), or record why it stays.",
    score: ScorePart::None,
    overview: Some(Tally::SecretUnused),
    check: Check::Secret(unused),
};

fn unused(ctx: &Context, s: &Secret) -> Outcome {
    let idle = match age_days(ctx, s.last_accessed.as_deref()) {
        Some(d) => d > MAX_DAYS,
        None => age_days(ctx, s.created.as_deref()).is_some_and(|d| d > MAX_DAYS),
    };
    when(idle, || {
        hit(format!(
            "{} has not been read since {}",
            s.name,
            s.last_accessed.as_deref().unwrap_or("it was created")
        ))
        .ev(
            "last_accessed",
            s.last_accessed.clone().unwrap_or_else(|| "never".into()),
        )
    })
}

fn policy_admissions(ctx: &Context, s: &Secret) -> Result<Vec<Admission>, String> {
    Ok(secret_policy(s)?.map_or_else(Vec::new, |p| {
        admissions(
            &p,
            "secret policy",
            "secretsmanager:GetSecretValue",
            ctx.account,
        )
    }))
}

fn secret_policy(s: &Secret) -> Result<Option<Policy>, String> {
    let Some(doc) = s.policy.require("resource policy")? else {
        return Ok(None);
    };
    Policy::from_document(doc)
        .map(Some)
        .map_err(|e| format!("resource policy unreadable: {e}"))
}

/// The actions a statement of `p` allows, as written (write and delete included), and whether
/// every one of them needs the secret's key (reading or writing its value): only then does a
/// key no other account can use stop the grant (`DeleteSecret`, a new resource policy, tags
/// need no key).
fn actions_of(p: &Policy, statement: usize) -> (String, bool) {
    const NEED_THE_KEY: &[&str] = &[
        "secretsmanager:getsecretvalue",
        "secretsmanager:batchgetsecretvalue",
        "secretsmanager:putsecretvalue",
        "secretsmanager:updatesecret",
    ];
    match p.statements.iter().find(|st| st.index == statement) {
        Some(st) => (
            st.actions_text(),
            match &st.actions {
                sprawl_iam::policy::Patterns::Only(a) => a
                    .iter()
                    .all(|x| NEED_THE_KEY.contains(&x.to_ascii_lowercase().as_str())),
                sprawl_iam::policy::Patterns::AllBut(_) => false,
            },
        ),
        None => ("secretsmanager:GetSecretValue".into(), true),
    }
}

pub const POLICY_PUBLIC: Rule = Rule {
    id: "secret-policy-public",
    title: "Secret's resource policy lets anyone read it",
    severity: Severity::Critical,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &["prowler secretsmanager_not_publicly_accessible"],
    why: "Any AWS principal in any account can fetch the value: the secret is public. Under the AWS managed key no other account can decrypt it, but every principal of this account may read it, whatever its own policies say (high).",
    fix: "Remove the \"*\" principal, or narrow it with aws:PrincipalOrgID or aws:PrincipalAccount.",
    score: ScorePart::None,
    overview: Some(Tally::SecretShared),
    check: Check::Secret(policy_public),
};

fn policy_public(ctx: &Context, s: &Secret) -> Outcome {
    Ok(policy_admissions(ctx, s)?
        .iter()
        .filter(|a| a.principal == Principal::Anyone && !a.is_narrowed())
        .map(|a| {
            let h = hit(format!("{} lets anyone read {}", a.at, s.name))
                .ev(a.at.to_string(), "Principal *, no narrowing condition");
            // As `paths` says: the AWS managed key keeps every other account out.
            if s.under_aws_managed_key() {
                h.severity(Severity::High)
                    .ev("key", Secret::MANAGED_KEY_STOPS)
            } else {
                h
            }
        })
        .collect())
}

pub const POLICY_CROSS_ACCOUNT: Rule = Rule {
    id: "secret-policy-cross-account",
    title: "Secret's resource policy lets another account read it",
    severity: Severity::Medium,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &["prowler secretsmanager_has_restrictive_resource_policy"],
    why: "Another account can fetch the value (if the key policy lets it decrypt): its compromise is yours.",
    fix: "Confirm the account is yours or a contracted partner's; narrow to a role ARN.",
    score: ScorePart::None,
    overview: Some(Tally::SecretShared),
    check: Check::Secret(policy_cross_account),
};

fn policy_cross_account(ctx: &Context, s: &Secret) -> Outcome {
    let Some(p) = secret_policy(s)? else {
        return Ok(Vec::new());
    };
    // As `paths` says: the AWS managed key keeps every other account from the value.
    let keyed = |h: super::Hit, needs_the_key: bool| {
        if needs_the_key && s.under_aws_managed_key() {
            h.severity(Severity::Info)
                .ev("stopped", Secret::MANAGED_KEY_STOPS)
        } else {
            h
        }
    };
    Ok(admissions(
        &p,
        "secret policy",
        "secretsmanager:GetSecretValue",
        ctx.account,
    )
    .iter()
    .filter_map(|a| {
        // Anyone kept to an organization is every account of it: this one's (low), or
        // one not verified as the account's (as another account); the actions named,
        // writes and deletes too.
        if let Some((who, ours)) = ctx.org_grant(a) {
            let (actions, needs_the_key) = actions_of(&p, a.at.statement);
            let h = hit(format!("{} lets {who} call {actions} on {}", a.at, s.name))
                .ev(a.at.to_string(), a.conditions.join("; "));
            return Some(keyed(
                if ours { h.severity(Severity::Low) } else { h },
                needs_the_key,
            ));
        }
        // Another account the organization counts as its own (low, named), or any other
        // account when the account is not assessed within one; strangers are
        // `secret-policy-outside-org`'s.
        let (_, membership) = ctx.other_account(&a.principal)?;
        if matches!(membership, Some(Membership::Outside)) {
            return None;
        }
        let who = ctx.describe_account(&a.principal);
        let h = hit(format!("{} lets {who} read {}", a.at, s.name)).ev(a.at.to_string(), who);
        Some(keyed(
            if matches!(membership, Some(Membership::Member(_))) {
                h.severity(Severity::Low)
            } else {
                h
            },
            true,
        ))
    })
    .collect())
}

pub const POLICY_OUTSIDE_ORG: Rule = Rule {
    id: "secret-policy-outside-org",
    title: "Secret's resource policy lets an account outside the organization read it",
    severity: Severity::High,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &["prowler secretsmanager_has_restrictive_resource_policy"],
    why: "An account that is not the organization's can fetch the value (if the key policy lets it decrypt), and none of the organization's guardrails apply there.",
    fix: "Remove the grant, or confirm a contracted partner and narrow it to one role ARN.",
    score: ScorePart::None,
    overview: Some(Tally::SecretShared),
    check: Check::Secret(policy_outside_org),
};

fn policy_outside_org(ctx: &Context, s: &Secret) -> Outcome {
    Ok(policy_admissions(ctx, s)?
        .iter()
        .filter_map(|a| ctx.stranger(a).map(|who| (a, who)))
        .map(|(a, who)| {
            let h = hit(format!("{} lets {who} read {}", a.at, s.name)).ev(a.at.to_string(), who);
            // An RCP that denies strangers the read, or a key they cannot use: the grant is
            // blocked.
            match ctx.rcp_blocks_strangers("secretsmanager:GetSecretValue", &s.arn) {
                Some(rcp) => h.severity(Severity::Info).ev(
                    "blocked",
                    format!("{rcp} denies principals outside the organization"),
                ),
                None if s.under_aws_managed_key() => h
                    .severity(Severity::Info)
                    .ev("stopped", Secret::MANAGED_KEY_STOPS),
                None => h,
            }
        })
        .collect())
}

pub const UNTAGGED: Rule = Rule {
    id: "secret-untagged",
    title: "Secret has no tags",
    severity: Severity::Low,
    owasp: Owasp::InsecureSecrets,
    security_hub: Some("SecretsManager.5"),
    peers: &["Security Hub SecretsManager.5"],
    why: "An untagged secret has no recorded owner: nobody rotates, reviews or deletes it.",
    fix: "Tag the secret with its owner and application.",
    score: ScorePart::None,
    overview: None,
    check: Check::Secret(untagged),
};

fn untagged(_: &Context, s: &Secret) -> Outcome {
    when(s.tags.is_empty(), || {
        hit(format!("{} has no tags", s.name)).ev("tags", "{}")
    })
}

pub const NO_CMK: Rule = Rule {
    id: "secret-no-cmk",
    title: "Secret is encrypted with the AWS-managed key",
    severity: Severity::Low,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &["cloudsploit secretsManagerEncrypted"],
    why: "With aws/secretsmanager, anyone allowed GetSecretValue can decrypt; a customer key adds a second, separately audited gate and allows cross-account sharing on your terms.",
    fix: "Re-encrypt the secret with a customer-managed KMS key.",
    score: ScorePart::None,
    overview: None,
    check: Check::Secret(no_cmk),
};

fn no_cmk(_: &Context, s: &Secret) -> Outcome {
    when(s.under_aws_managed_key(), || {
        hit(format!("{} uses the AWS-managed key", s.name)).ev(
            "kms_key_id",
            s.kms_key_id
                .clone()
                .unwrap_or_else(|| "aws/secretsmanager".into()),
        )
    })
}
