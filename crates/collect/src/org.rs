//! An organization's accounts, read from AWS Organizations (from the management account or a
//! delegated administrator): the organization, then each root or asked-for OU walked down, with
//! every account's name, OU path and state. Suspended and closed accounts are left out: there is
//! nothing to scan, and their roles cannot be assumed.

use std::collections::VecDeque;

use aws_config::SdkConfig;
use sprawl_model::{AccountInfo, FailureKind, Organization};

use super::call::CallContext;
use super::ops::{
    DESCRIBE_ORGANIZATION, DESCRIBE_ORGANIZATIONAL_UNIT, LIST_ACCOUNTS_FOR_PARENT,
    LIST_ORGANIZATIONAL_UNITS_FOR_PARENT, LIST_ROOTS, Op,
};
use super::{QuotaPlan, RetryPolicy};
use sprawl_model::Failure;

/// Organizations is a global service: its calls are recorded under this region.
const GLOBAL: &str = "global";

/// The accounts an organization scan covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgListing {
    pub organization: Organization,
    /// Sorted by id, each once; active accounts only.
    pub accounts: Vec<AccountInfo>,
    /// Accounts left out for their state (suspended, closing, closed), for the record.
    pub skipped: Vec<AccountInfo>,
}

/// Why the organization's accounts could not be listed: without them there is nothing to scan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "could not list the organization's accounts ({operation}, {kind}): {message}; run from the management account or a delegated administrator, with `sprawl iam-policy --org`"
)]
pub struct OrgError {
    pub operation: &'static str,
    pub kind: FailureKind,
    pub message: String,
}

fn failed(op: &Op) -> impl Fn(Failure) -> OrgError + '_ {
    move |f| OrgError {
        operation: op.name,
        kind: f.kind,
        message: f.message,
    }
}

/// Lists the organization's active accounts: every account, or those under the OUs `ous` (and
/// their OUs, all the way down).
pub async fn list_accounts(
    config: &SdkConfig,
    ous: &[String],
    plan: QuotaPlan,
    retry: RetryPolicy,
) -> Result<OrgListing, OrgError> {
    let client = super::aws::organizations_client(config);
    // No variable is read here: the key fingerprints nothing.
    let ctx = CallContext::new(
        plan,
        super::call::Permits::new(2, None),
        retry,
        None,
        sprawl_redact::FingerprintKey::from_bytes([0; 32]),
    );
    let described = ctx
        .call_required(&DESCRIBE_ORGANIZATION, GLOBAL, || {
            client.describe_organization().send()
        })
        .await
        .map_err(failed(&DESCRIBE_ORGANIZATION))?;
    let mut organization = Organization {
        members: Vec::new(),
        id: described
            .organization()
            .and_then(|o| o.id())
            .map(str::to_string),
        management_account: described
            .organization()
            .and_then(|o| o.master_account_id())
            .map(str::to_string),
    };

    // Where the walk starts: the root, or each OU asked for (its path starts with its name).
    let mut queue: VecDeque<(String, Vec<String>)> = VecDeque::new();
    if ous.is_empty() {
        let roots = ctx
            .paginate(
                &LIST_ROOTS,
                GLOBAL,
                |token| client.list_roots().set_next_token(token).send(),
                |out| (out.roots.unwrap_or_default(), out.next_token),
            )
            .await;
        if let Some(f) = roots.failure {
            return Err(failed(&LIST_ROOTS)(f));
        }
        queue.extend(
            roots
                .items
                .iter()
                .filter_map(|r| r.id().map(|id| (id.to_string(), Vec::new()))),
        );
    } else {
        for ou in ous {
            let out = ctx
                .call_required(&DESCRIBE_ORGANIZATIONAL_UNIT, GLOBAL, || {
                    client
                        .describe_organizational_unit()
                        .organizational_unit_id(ou)
                        .send()
                })
                .await
                .map_err(failed(&DESCRIBE_ORGANIZATIONAL_UNIT))?;
            let name = out
                .organizational_unit()
                .and_then(|u| u.name())
                .unwrap_or(ou)
                .to_string();
            queue.push_back((ou.clone(), vec![name]));
        }
    }

    let mut accounts: Vec<AccountInfo> = Vec::new();
    let mut skipped = Vec::new();
    while let Some((parent, path)) = queue.pop_front() {
        let listed = ctx
            .paginate(
                &LIST_ACCOUNTS_FOR_PARENT,
                GLOBAL,
                |token| {
                    client
                        .list_accounts_for_parent()
                        .parent_id(&parent)
                        .set_next_token(token)
                        .send()
                },
                |out| (out.accounts.unwrap_or_default(), out.next_token),
            )
            .await;
        if let Some(f) = listed.failure {
            return Err(failed(&LIST_ACCOUNTS_FOR_PARENT)(f));
        }
        for a in &listed.items {
            let Some(id) = a.id() else { continue };
            // `State` replaced `Status` (retired in September 2026); either may be all there is.
            let state = a
                .state()
                .map(|s| s.as_str().to_string())
                .or_else(|| a.status().map(|s| s.as_str().to_string()));
            let info = AccountInfo {
                id: id.to_string(),
                name: a.name().map(str::to_string),
                ou_path: path.clone(),
                status: state.clone(),
            };
            match state.as_deref() {
                Some("SUSPENDED" | "PENDING_CLOSURE" | "CLOSED") => skipped.push(info),
                _ => accounts.push(info),
            }
        }
        let children = ctx
            .paginate(
                &LIST_ORGANIZATIONAL_UNITS_FOR_PARENT,
                GLOBAL,
                |token| {
                    client
                        .list_organizational_units_for_parent()
                        .parent_id(&parent)
                        .set_next_token(token)
                        .send()
                },
                |out| (out.organizational_units.unwrap_or_default(), out.next_token),
            )
            .await;
        if let Some(f) = children.failure {
            return Err(failed(&LIST_ORGANIZATIONAL_UNITS_FOR_PARENT)(f));
        }
        for ou in &children.items {
            if let Some(id) = ou.id() {
                let mut below = path.clone();
                below.push(ou.name().unwrap_or(id).to_string());
                queue.push_back((id.to_string(), below));
            }
        }
    }
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    accounts.dedup_by(|a, b| a.id == b.id);
    skipped.sort_by(|a, b| a.id.cmp(&b.id));
    // Walked from the root, the listing is the whole organization: what "of the organization"
    // means. From some OUs only, it is not, and membership stays unknown.
    if ous.is_empty() {
        organization.members = accounts.iter().chain(&skipped).cloned().collect();
        organization.members.sort_by(|a, b| a.id.cmp(&b.id));
    }
    Ok(OrgListing {
        organization,
        accounts,
        skipped,
    })
}
