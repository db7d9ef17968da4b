use serde::{Deserialize, Serialize};

use super::{Gap, PolicyDocument, Tags};

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
}

impl Role {
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
