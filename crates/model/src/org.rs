//! An AWS Organization and its accounts, as far as sprawl knows them: from AWS Organizations, or
//! only an account id when snapshots of lone accounts are merged.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// `o-...`, when the accounts came from AWS Organizations.
    pub id: Option<String>,
    pub management_account: Option<String>,
    /// Every account AWS Organizations listed when the scan began, scanned or not (suspended
    /// and left-out ones too): what "of the organization" means when a policy names an
    /// account. Empty when the accounts did not come from AWS Organizations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<AccountInfo>,
    /// Its service and resource control policies and where they are attached (None: not read,
    /// as for a scan of some OUs, of profiles, or a merge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardrails: Option<Guardrails>,
}

/// The organization's guardrails: its service control policies (SCPs, which bound what the
/// principals of its accounts may do) and resource control policies (RCPs, which bound what
/// may be done to their resources), where each is attached, and each account's place in the
/// tree. A policy applies to an account when it is attached to the root, to an OU above the
/// account, or to the account itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guardrails {
    /// The policy types enabled on the root: a type that is not enabled bounds nothing.
    pub scp_enabled: bool,
    pub rcp_enabled: bool,
    /// Each policy once, by id.
    pub policies: std::collections::BTreeMap<String, GuardrailPolicy>,
    /// The ids of the policies attached to each target (the root's, an OU's or an account's id).
    pub attached: std::collections::BTreeMap<String, Vec<String>>,
    /// Each account's targets from the root down: the root, the OUs, then the account itself.
    pub paths: std::collections::BTreeMap<String, Vec<String>>,
    /// The call that failed, when the guardrails could not all be read (each account's
    /// coverage carries it too). Then none is applied: what a role may do is what its own
    /// policies allow, as when they are not read at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<crate::CoverageEntry>,
}

/// One service or resource control policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardrailPolicy {
    pub name: String,
    pub kind: GuardrailKind,
    /// AWS's own (`FullAWSAccess`, `RCPFullAWSAccess`).
    #[serde(default)]
    pub aws_managed: bool,
    pub document: crate::PolicyDocument,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GuardrailKind {
    ServiceControlPolicy,
    ResourceControlPolicy,
}

/// One level of the tree over an account: the target's id, and the ids and policies attached.
pub type Level<'a> = (&'a str, Vec<(&'a str, &'a GuardrailPolicy)>);

impl Guardrails {
    /// The policies of `kind` that apply to `account`, level by level from the root down (each
    /// level: the target's id and its policies). None when the account's place is not known or
    /// the type is not enabled.
    pub fn levels(&self, account: &str, kind: GuardrailKind) -> Option<Vec<Level<'_>>> {
        let enabled = match kind {
            GuardrailKind::ServiceControlPolicy => self.scp_enabled,
            GuardrailKind::ResourceControlPolicy => self.rcp_enabled,
        };
        if !enabled || self.failure.is_some() {
            return None;
        }
        let path = self.paths.get(account)?;
        Some(
            path.iter()
                .map(|target| {
                    let policies = self
                        .attached
                        .get(target)
                        .into_iter()
                        .flatten()
                        .filter_map(|id| {
                            self.policies
                                .get(id)
                                .filter(|p| p.kind == kind)
                                .map(|p| (id.as_str(), p))
                        })
                        .collect();
                    (target.as_str(), policies)
                })
                .collect(),
        )
    }
}

/// What an account is, as the organization knows it (and what `merge` can tell of a lone file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub id: String,
    pub name: Option<String>,
    /// OU names from the root down; empty when not known.
    #[serde(default)]
    pub ou_path: Vec<String>,
    /// `ACTIVE`, `SUSPENDED`, ...
    pub status: Option<String>,
}

impl AccountInfo {
    /// Takes what it does not know from another description of the same account (an account's
    /// own file names no account name or OU; its organization's file does).
    pub fn fill_from(&mut self, other: &AccountInfo) {
        if self.name.is_none() {
            self.name.clone_from(&other.name);
        }
        if self.ou_path.is_empty() {
            self.ou_path.clone_from(&other.ou_path);
        }
        if self.status.is_none() {
            self.status.clone_from(&other.status);
        }
    }
}
