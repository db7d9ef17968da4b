use serde::{Deserialize, Serialize};

use super::{Detail, Gap, PolicyDocument, Tags};

/// An IAM role that Lambda can assume or that a function uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub arn: String,
    pub name: String,
    pub path: String,
    pub created: Option<String>,
    pub trust_policy: Option<PolicyDocument>,
    pub inline_policies: Vec<InlinePolicy>,
    pub attached_policies: Vec<ManagedPolicy>,
    /// The permissions boundary's policy, when the role has one.
    pub permissions_boundary: Option<ManagedPolicy>,
    /// When the role was last used, and where (absent: never, or not tracked).
    pub last_used: Option<RoleLastUsed>,
    pub tags: Tags,
    /// Parts of the role that could not be read: what depends on them is not assessed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<Gap>,
    /// IAM Access Advisor's report on the role (`scan --access-advisor`): skipped otherwise.
    #[serde(default = "super::detail::not_read_by_older_sprawl")]
    pub access_advisor: Detail<AccessAdvisor>,
}

/// Why a role has no Access Advisor report in a scan made without `--access-advisor`.
pub const NO_ACCESS_ADVISOR: &str =
    "Access Advisor not read (a job per role, minutes per account): scan with --access-advisor";

/// IAM's service last accessed report on a role (Access Advisor): every service its policies
/// grant, each with the role's last use of it within IAM's tracking period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessAdvisor {
    /// When IAM completed the report.
    pub completed: Option<String>,
    pub services: Vec<ServiceAccess>,
}

/// One service a role's policies grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceAccess {
    /// The IAM prefix (`s3`, `dynamodb`).
    pub namespace: String,
    pub name: String,
    /// The last time the role authenticated against it; `None`: not in the tracking period.
    pub last_authenticated: Option<String>,
    /// The actions IAM tracks at action level for this service, each with its last use; empty
    /// where IAM tracks the service only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionAccess>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionAccess {
    /// The action's name without its prefix (`GetObject`).
    pub name: String,
    pub last_accessed: Option<String>,
}

impl AccessAdvisor {
    /// The services granted and never used in the tracking period.
    pub fn unused(&self) -> impl Iterator<Item = &ServiceAccess> {
        self.services
            .iter()
            .filter(|s| s.last_authenticated.is_none())
    }
}

impl Role {
    /// Its identity policies, inline then attached, each with its name and its document (`None`
    /// where a managed policy's could not be read).
    pub fn policy_documents(&self) -> impl Iterator<Item = (&str, Option<&PolicyDocument>)> {
        let inline = self
            .inline_policies
            .iter()
            .map(|p| (p.name.as_str(), Some(&p.document)));
        let attached = self
            .attached_policies
            .iter()
            .map(|p| (p.name.as_str(), p.document.as_ref()));
        inline.chain(attached)
    }

    pub(super) fn sort(&mut self) {
        self.inline_policies.sort_by(|a, b| a.name.cmp(&b.name));
        self.attached_policies.sort_by(|a, b| a.arn.cmp(&b.arn));
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InlinePolicy {
    pub name: String,
    pub document: PolicyDocument,
}

/// A managed policy attached to a role, with its default version's document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedPolicy {
    pub arn: String,
    pub name: String,
    /// `None` when the document could not be read (see the scan's coverage).
    pub document: Option<PolicyDocument>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleLastUsed {
    pub date: Option<String>,
    pub region: Option<String>,
}
