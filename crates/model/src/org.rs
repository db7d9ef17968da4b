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
