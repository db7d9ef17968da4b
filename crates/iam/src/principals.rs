//! Who a resource-based policy (a function's, a secret's, an API's) or a trust policy lets in.
//!
//! Each Allow statement is reduced to the principals it names and whether a condition narrows
//! them to a known caller. Only conditions that pin the caller's identity or origin count as
//! narrowing (`aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID`, ...); a condition such
//! as `lambda:FunctionUrlAuthType` says how the caller arrives, not who it is.

use serde::{Deserialize, Serialize};

use crate::policy::{Effect, Patterns, Policy, Statement, StatementRef, condition_text};

/// Condition keys that narrow a grant to known callers (compared case-insensitively).
const NARROWING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalservicename",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "aws:vpcesourceip",
    "aws:userid",
    "aws:username",
    "aws:calledvia",
    "lambda:eventsourcetoken",
    "sts:externalid",
];

/// A principal, classified.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Principal {
    /// `"*"`, `{"AWS": "*"}`, or everyone but a few (`NotPrincipal`).
    Anyone,
    /// An account or an identity in it; `same` when it is the scanned account.
    Account { id: String, arn: String, same: bool },
    /// An AWS service (`s3.amazonaws.com`).
    Service { name: String },
    /// A web identity or SAML provider.
    Federated { name: String },
}

impl Principal {
    pub fn describe(&self) -> String {
        match self {
            Principal::Anyone => "anyone (*)".into(),
            Principal::Account {
                arn, same: true, ..
            } => format!("{arn} (this account)"),
            Principal::Account { arn, .. } => format!("{arn} (another account)"),
            Principal::Service { name } => format!("service {name}"),
            Principal::Federated { name } => format!("federated {name}"),
        }
    }
}

/// One principal an Allow statement admits, with what narrows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Admission {
    pub principal: Principal,
    pub at: StatementRef,
    /// The statement's narrowing conditions (`aws:SourceArn StringEquals arn:...`); empty means
    /// the principal is admitted whatever the request's origin.
    pub narrowed_by: Vec<String>,
    /// Every condition, narrowing or not, for evidence.
    pub conditions: Vec<String>,
    /// The organizations and accounts its conditions keep it to, for judging it against the
    /// organization the account is in (during the assessment only: `conditions` shows them).
    #[serde(skip)]
    pub scope: Scope,
}

/// Whose principals a statement's conditions keep: organizations (`aws:PrincipalOrgID`,
/// `aws:SourceOrgID`, the organization of `aws:PrincipalOrgPaths`/`aws:SourceOrgPaths`) and
/// accounts (`aws:SourceAccount`, `aws:PrincipalAccount`, `aws:SourceOwner`), as written with a
/// positive string operator. Empty: not kept that way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub orgs: Vec<String>,
    pub accounts: Vec<String>,
    /// The `aws:PrincipalOrgPaths` (or `aws:SourceOrgPaths`) patterns, when the statement
    /// keeps its principals to some OUs.
    pub org_paths: Vec<String>,
}

impl Scope {
    fn of(st: &Statement) -> Scope {
        let mut scope = Scope::default();
        for c in &st.conditions {
            let op = c
                .operator
                .strip_prefix("ForAnyValue:")
                .unwrap_or(&c.operator);
            let op = op.strip_suffix("IfExists").unwrap_or(op);
            if !matches!(op, "StringEquals" | "StringLike" | "StringEqualsIgnoreCase") {
                continue;
            }
            match c.key.to_ascii_lowercase().as_str() {
                "aws:principalorgid" | "aws:sourceorgid" => {
                    scope.orgs.extend(c.values.iter().cloned())
                }
                // `o-abc/r-root/ou-x/`: the organization is its first part.
                "aws:principalorgpaths" | "aws:sourceorgpaths" => {
                    scope.orgs.extend(
                        c.values
                            .iter()
                            .filter_map(|v| v.split('/').next().map(str::to_string)),
                    );
                    scope.org_paths.extend(c.values.iter().cloned());
                }
                "aws:sourceaccount" | "aws:principalaccount" | "aws:sourceowner" => {
                    scope.accounts.extend(c.values.iter().cloned())
                }
                _ => {}
            }
        }
        scope
    }
}

/// Equal when they say the same: `scope` is read from the same conditions as `conditions`
/// (and is not stored, so an admission read back from a snapshot equals the one written).
impl PartialEq for Admission {
    fn eq(&self, other: &Self) -> bool {
        (
            &self.principal,
            &self.at,
            &self.narrowed_by,
            &self.conditions,
        ) == (
            &other.principal,
            &other.at,
            &other.narrowed_by,
            &other.conditions,
        )
    }
}

impl Eq for Admission {}

impl Admission {
    pub fn is_narrowed(&self) -> bool {
        !self.narrowed_by.is_empty()
    }
}

/// Whether a condition operator is negated (`StringNotEquals`, `StringNotLike`, `ArnNotEquals`,
/// `ArnNotLike`, `NotIpAddress`, with `IfExists` or a set prefix): on an Allow it admits
/// everyone but the values listed, so it never narrows a grant to known callers.
pub fn is_negated(operator: &str) -> bool {
    let op = operator
        .split_once(':')
        .map_or(operator, |(_, rest)| rest)
        .trim_end_matches("IfExists");
    op.contains("Not")
}

fn narrowing(st: &Statement) -> Vec<String> {
    st.conditions
        .iter()
        .filter(|c| NARROWING_KEYS.contains(&c.key.to_ascii_lowercase().as_str()))
        // `StringNotEquals aws:PrincipalArn ...` lets in everyone but those listed.
        .filter(|c| !is_negated(&c.operator))
        // `StringLike aws:SourceArn "*"` narrows nothing.
        .filter(|c| !c.values.iter().all(|v| v.chars().all(|ch| ch == '*')))
        .map(|c| format!("{} {} {}", c.key, c.operator, c.values.join(",")))
        .collect()
}

/// The account id in an ARN or a bare 12-digit id.
pub fn account_of(id_or_arn: &str) -> Option<&str> {
    if id_or_arn.len() == 12 && id_or_arn.bytes().all(|b| b.is_ascii_digit()) {
        return Some(id_or_arn);
    }
    let account = id_or_arn.split(':').nth(4)?;
    (!account.is_empty()).then_some(account)
}

fn classify(kind: &str, id: &str, own_account: &str) -> Principal {
    match kind {
        "*" => Principal::Anyone,
        "AWS" if id == "*" => Principal::Anyone,
        "AWS" => {
            let account = account_of(id).unwrap_or(id).to_string();
            Principal::Account {
                same: account == own_account,
                id: account,
                arn: id.to_string(),
            }
        }
        "Service" => Principal::Service {
            name: id.to_ascii_lowercase(),
        },
        "Federated" => Principal::Federated {
            name: id.to_string(),
        },
        // CanonicalUser and anything new: an identity outside IAM's reach, treated as foreign.
        _ => Principal::Account {
            id: id.to_string(),
            arn: format!("{kind}:{id}"),
            same: false,
        },
    }
}

/// Everyone an Allow statement of a resource or trust policy admits for actions matching
/// `action` (for example `lambda:InvokeFunction`, `sts:AssumeRole`).
pub fn admissions(
    policy: &Policy,
    policy_name: &str,
    action: &str,
    own_account: &str,
) -> Vec<Admission> {
    let fence = org_fence(policy, policy_name, action);
    let mut out = Vec::new();
    for st in &policy.statements {
        if st.effect != Effect::Allow || !st.actions.covers_action(action) {
            continue;
        }
        let at = StatementRef::new(policy_name, st);
        let narrowed_by = narrowing(st);
        let conditions = condition_text(st);
        let scope = Scope::of(st);
        let principals: Vec<Principal> = match &st.principals {
            None => continue,
            Some(Patterns::AllBut(_)) => vec![Principal::Anyone],
            Some(Patterns::Only(map)) => map
                .iter()
                .flat_map(|(kind, ids)| ids.iter().map(move |id| classify(kind, id, own_account)))
                .collect(),
        };
        for principal in principals {
            let mut admission = Admission {
                principal,
                at: at.clone(),
                narrowed_by: narrowed_by.clone(),
                conditions: conditions.clone(),
                scope: scope.clone(),
            };
            // Anyone, fenced by a Deny of everyone outside some organizations: anyone of those.
            if let Some((orgs, deny)) = &fence
                && admission.principal == Principal::Anyone
                && admission.scope.orgs.is_empty()
            {
                let kept = format!(
                    "aws:PrincipalOrgID {} (a Deny of everyone else: {deny})",
                    orgs.join(",")
                );
                admission.narrowed_by.push(kept.clone());
                admission.conditions.push(kept);
                admission.scope.orgs = orgs.clone();
            }
            out.push(admission);
        }
    }
    out
}

/// The organizations a policy keeps `action` to by denying everyone else: a Deny for every
/// principal whose one condition is `StringNotEquals aws:PrincipalOrgID` (the usual way to say
/// "only my organization" beside an `Allow *`), with that statement.
fn org_fence(
    policy: &Policy,
    policy_name: &str,
    action: &str,
) -> Option<(Vec<String>, StatementRef)> {
    policy.statements.iter().find_map(|st| {
        let everyone = matches!(&st.principals, Some(Patterns::Only(m))
            if m.get("*").is_some() || m.get("AWS").is_some_and(|ids| ids.iter().any(|i| i == "*")));
        let [c] = st.conditions.as_slice() else {
            return None;
        };
        let op = c.operator.strip_suffix("IfExists").unwrap_or(&c.operator);
        (st.effect == Effect::Deny
            && everyone
            && st.actions.covers_action(action)
            && matches!(op, "StringNotEquals" | "StringNotEqualsIgnoreCase")
            && c.key.eq_ignore_ascii_case("aws:PrincipalOrgID")
            && !c.values.is_empty()
            && c.values.iter().all(|v| !v.contains(['*', '?'])))
        .then(|| (c.values.clone(), StatementRef::new(policy_name, st)))
    })
}

/// Whether an explicit Deny in the policy refuses `action` to everyone without conditions.
pub fn denies_everyone(policy: &Policy, action: &str) -> bool {
    policy.statements.iter().any(|st| {
        st.effect == Effect::Deny
            && st.actions.covers_action(action)
            && !st.is_conditional()
            && matches!(&st.principals, Some(Patterns::Only(m))
                if m.get("*").is_some() || m.get("AWS").is_some_and(|ids| ids.iter().any(|i| i == "*")))
    })
}

/// A layer version's ARN as people say it: `NAME:VERSION`.
pub fn short_layer(arn: &str) -> String {
    let parts: Vec<&str> = arn.split(':').collect();
    match parts.as_slice() {
        [.., "layer", name, version] => format!("{name}:{version}"),
        _ => arn.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(v: serde_json::Value) -> Policy {
        Policy::parse(&v).unwrap()
    }

    #[test]
    fn principals_are_classified_and_conditions_sorted_by_what_they_narrow() {
        let p = policy(json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunctionUrl",
             "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}},
            {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
             "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::b"}}},
            {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::210987654321:root", "123456789012"]}, "Action": "lambda:*"},
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "lambda:InvokeFunction",
             "Condition": {"StringLike": {"aws:SourceArn": "*"}}},
            {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "lambda:InvokeFunction"}
        ]}));
        let url = admissions(
            &p,
            "function policy",
            "lambda:InvokeFunctionUrl",
            "123456789012",
        );
        assert_eq!(url[0].principal, Principal::Anyone);
        assert!(!url[0].is_narrowed(), "auth type is not an identity");
        let invoke = admissions(
            &p,
            "function policy",
            "lambda:InvokeFunction",
            "123456789012",
        );
        assert_eq!(invoke.len(), 5);
        assert!(invoke[0].is_narrowed());
        assert!(
            matches!(&invoke[1].principal, Principal::Account { id, same: false, .. } if id == "210987654321")
        );
        assert!(matches!(
            &invoke[2].principal,
            Principal::Account { same: true, .. }
        ));
        assert!(
            !invoke[3].is_narrowed(),
            "a wildcard SourceArn narrows nothing"
        );
        assert_eq!(
            invoke[4].principal,
            Principal::Anyone,
            "NotPrincipal admits nearly everyone"
        );
    }
}

/// The Allow statement of a trust policy that lets the web identities of `provider`
/// (`cognito-identity.amazonaws.com`) assume the role (`sts:AssumeRoleWithWebIdentity`) when
/// their token carries `claims` (context key, value), if one does. Every condition of that
/// statement must be on a claim given and hold for its value: a condition on anything else is
/// not known to hold, so the statement does not count. An unconditional Deny of the action takes
/// it away.
pub fn admits_web_identity(
    policy: &Policy,
    policy_name: &str,
    provider: &str,
    claims: &[(&str, &str)],
) -> Option<StatementRef> {
    const ACTION: &str = "sts:AssumeRoleWithWebIdentity";
    let names_provider = |st: &Statement| {
        matches!(&st.principals, Some(Patterns::Only(m))
            if m.get("Federated").is_some_and(|ids| ids.iter().any(|id| id == provider)))
    };
    let holds = |c: &crate::policy::Condition| {
        let Some((_, value)) = claims
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(&c.key))
        else {
            return false;
        };
        let op = c
            .operator
            .split_once(':')
            .map_or(c.operator.as_str(), |(_, op)| op);
        let op = op.strip_suffix("IfExists").unwrap_or(op);
        c.values.iter().any(|v| match op {
            "StringEquals" => v == value,
            "StringEqualsIgnoreCase" => v.eq_ignore_ascii_case(value),
            "StringLike" => crate::wildcard::matches(v, value, true),
            _ => false,
        })
    };
    let denied = policy.statements.iter().any(|st| {
        st.effect == Effect::Deny && st.actions.covers_action(ACTION) && !st.is_conditional()
    });
    if denied {
        return None;
    }
    policy
        .statements
        .iter()
        .find(|st| {
            st.effect == Effect::Allow
                && st.actions.covers_action(ACTION)
                && names_provider(st)
                && st.conditions.iter().all(holds)
        })
        .map(|st| StatementRef::new(policy_name, st))
}

#[cfg(test)]
mod web_identity_tests {
    use super::*;

    fn trust(conditions: serde_json::Value) -> Policy {
        Policy::from_value(&serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": conditions
            }]
        }))
        .unwrap()
    }

    const GUEST: [(&str, &str); 2] = [
        ("cognito-identity.amazonaws.com:aud", "eu-west-1:pool"),
        ("cognito-identity.amazonaws.com:amr", "unauthenticated"),
    ];

    #[test]
    fn a_pool_s_guests_are_admitted_by_its_unauthenticated_trust() {
        let guests = trust(serde_json::json!({
            "StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-west-1:pool"},
            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "unauthenticated"}
        }));
        let at = admits_web_identity(&guests, "trust", "cognito-identity.amazonaws.com", &GUEST);
        assert_eq!(at.map(|at| at.statement), Some(0));
    }

    #[test]
    fn another_pool_signed_in_users_or_an_unknown_condition_are_not_guests() {
        for conditions in [
            serde_json::json!({"StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-west-1:other"}}),
            serde_json::json!({"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}),
            serde_json::json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
        ] {
            let policy = trust(conditions.clone());
            let at =
                admits_web_identity(&policy, "trust", "cognito-identity.amazonaws.com", &GUEST);
            assert_eq!(at, None, "{conditions}");
        }
    }
}
