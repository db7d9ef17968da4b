//! Edges between the accounts of an organization: a role in one account that may become a role
//! in another. Across accounts both sides must agree: the target's trust policy admits the
//! role (by its ARN, or its whole account), and the role's own policies allow `sts:AssumeRole`
//! on the target (an unconditional Deny or a permissions boundary stops it). Pure, like the
//! rest of the assessment: it reads the accounts' roles and nothing else.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sprawl_model::Role;

use crate::access::{Analyzer, RoleAccess, Target};
use crate::members::Members;
use crate::policy::{Policy, StatementRef};
use crate::principals::{Admission, Principal, admissions};

/// One account's roles, as the edges read them.
pub struct AccountRoles<'a> {
    pub account: &'a str,
    pub roles: &'a [Role],
}

/// A role of one account that may become a role of another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossEdge {
    pub from_account: String,
    pub from_role: String,
    pub to_account: String,
    pub to_role: String,
    /// The target's trust names the role itself (else it admits its whole account).
    pub named: bool,
    /// The trust statement, then the role's own statements allowing `sts:AssumeRole`.
    pub trust: StatementRef,
    pub via: Vec<StatementRef>,
    /// The trust's conditions (an external id, MFA, an organization), which may stand in the way.
    pub conditions: Vec<String>,
    /// The role's own grant is conditional.
    pub conditional: bool,
    /// The target is an administrator.
    pub to_admin: bool,
}

struct Known<'a> {
    account: &'a str,
    role: &'a Role,
    access: RoleAccess,
    trusted: Vec<Admission>,
}

/// Every edge between the accounts' roles, sorted by source and target. `members` (when known)
/// decides whether a trust that admits anyone kept to an organization admits these accounts.
pub fn cross_account_edges(
    accounts: &[AccountRoles],
    members: Option<&Members>,
    now: DateTime<Utc>,
) -> Vec<CrossEdge> {
    let analyzer = Analyzer::at(now);
    let known: Vec<Known> = accounts
        .iter()
        .flat_map(|a| {
            let analyzer = &analyzer;
            a.roles.iter().map(move |role| Known {
                account: a.account,
                role,
                access: analyzer.role(role),
                trusted: role
                    .trust_policy
                    .as_ref()
                    .and_then(|d| Policy::from_document(d).ok())
                    .map(|p| admissions(&p, "trust policy", "sts:AssumeRole", a.account))
                    .unwrap_or_default(),
            })
        })
        .collect();
    let by_arn: BTreeMap<&str, &Known> = known.iter().map(|k| (k.role.arn.as_str(), k)).collect();
    let ours = members.and_then(|m| m.id.as_deref());
    let mut edges = Vec::new();
    for target in &known {
        for a in &target.trusted {
            // Who the statement lets in from another account of these.
            let sources: Vec<&Known> = match &a.principal {
                Principal::Account {
                    id,
                    arn,
                    same: false,
                } if arn.contains(":role/") => by_arn
                    .get(arn.as_str())
                    .filter(|k| k.account == id)
                    .into_iter()
                    .copied()
                    .collect(),
                Principal::Account {
                    id, same: false, ..
                } => known.iter().filter(|k| k.account == id).collect(),
                // Anyone kept to this organization: every other account of it.
                Principal::Anyone if ours.is_some_and(|o| a.scope.orgs.iter().any(|x| x == o)) => {
                    known
                        .iter()
                        .filter(|k| k.account != target.account)
                        .collect()
                }
                _ => Vec::new(),
            };
            for source in sources {
                let Some(p) = source
                    .access
                    .permit("sts:AssumeRole", Target::Arn(&target.role.arn))
                else {
                    continue;
                };
                edges.push(CrossEdge {
                    from_account: source.account.to_string(),
                    from_role: source.role.arn.clone(),
                    to_account: target.account.to_string(),
                    to_role: target.role.arn.clone(),
                    named: matches!(&a.principal, Principal::Account { arn, .. } if arn.contains(":role/")),
                    trust: a.at.clone(),
                    via: p.via,
                    conditions: a.conditions.clone(),
                    conditional: p.conditional,
                    to_admin: target.access.admin_via().is_some(),
                });
            }
        }
    }
    edges.sort_by(|a, b| (&a.from_role, &a.to_role).cmp(&(&b.from_role, &b.to_role)));
    edges.dedup_by(|a, b| a.from_role == b.from_role && a.to_role == b.to_role);
    edges
}
