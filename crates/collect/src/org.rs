//! An organization's accounts, read from AWS Organizations (from the management account or a
//! delegated administrator): the organization, then each root or asked-for OU walked down, with
//! every account's name, OU path and state. Suspended and closed accounts are left out: there is
//! nothing to scan, and their roles cannot be assumed.

use std::collections::VecDeque;

use aws_config::SdkConfig;
use sprawl_model::{
    AccountInfo, FailureKind, GuardrailKind, GuardrailPolicy, Guardrails, Organization,
};

use super::call::CallContext;
use super::ops::{
    DESCRIBE_ORGANIZATION, DESCRIBE_ORGANIZATIONAL_UNIT, DESCRIBE_POLICY, LIST_ACCOUNTS_FOR_PARENT,
    LIST_ORGANIZATIONAL_UNITS_FOR_PARENT, LIST_POLICIES, LIST_ROOTS, LIST_TARGETS_FOR_POLICY, Op,
};
use super::{QuotaPlan, RetryPolicy};
use aws_sdk_organizations::types::{PolicyType, PolicyTypeStatus};
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
        guardrails: None,
    };

    // Where the walk starts: the root, or each OU asked for (its path starts with its name);
    // each step carries the ids from where it started, for the guardrails above an account.
    let mut queue: VecDeque<(String, Vec<String>, Vec<String>)> = VecDeque::new();
    let mut enabled = (false, false);
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
        for root in &roots.items {
            for t in root.policy_types() {
                let on = t.status() == Some(&PolicyTypeStatus::Enabled);
                match t.r#type() {
                    Some(PolicyType::ServiceControlPolicy) => enabled.0 |= on,
                    Some(PolicyType::ResourceControlPolicy) => enabled.1 |= on,
                    _ => {}
                }
            }
        }
        queue.extend(roots.items.iter().filter_map(|r| {
            r.id()
                .map(|id| (id.to_string(), Vec::new(), vec![id.to_string()]))
        }));
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
            queue.push_back((ou.clone(), vec![name], vec![ou.clone()]));
        }
    }

    let mut accounts: Vec<AccountInfo> = Vec::new();
    let mut skipped = Vec::new();
    let mut places = std::collections::BTreeMap::new();
    while let Some((parent, path, ids)) = queue.pop_front() {
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
            places.insert(
                id.to_string(),
                ids.iter()
                    .cloned()
                    .chain([id.to_string()])
                    .collect::<Vec<_>>(),
            );
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
                let mut under = ids.clone();
                under.push(id.to_string());
                queue.push_back((id.to_string(), below, under));
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
        // The guardrails above every account: read from the root down, or not at all.
        organization.guardrails = Some(guardrails(&ctx, &client, enabled, places).await);
    }
    Ok(OrgListing {
        organization,
        accounts,
        skipped,
    })
}

/// The organization's service and resource control policies (those of the types enabled on the
/// root), each read once, with where each is attached: a few calls per policy, not per account.
/// A call that fails leaves the guardrails unread (their `failure` says which and why): none is
/// then applied, and what a role may do is what its own policies allow.
async fn guardrails(
    ctx: &CallContext,
    client: &aws_sdk_organizations::Client,
    (scp, rcp): (bool, bool),
    paths: std::collections::BTreeMap<String, Vec<String>>,
) -> Guardrails {
    let mut g = Guardrails {
        scp_enabled: scp,
        rcp_enabled: rcp,
        paths,
        ..Guardrails::default()
    };
    let kinds = [
        (
            scp,
            PolicyType::ServiceControlPolicy,
            GuardrailKind::ServiceControlPolicy,
        ),
        (
            rcp,
            PolicyType::ResourceControlPolicy,
            GuardrailKind::ResourceControlPolicy,
        ),
    ];
    for (_, filter, kind) in kinds.into_iter().filter(|k| k.0) {
        let listed = ctx
            .paginate(
                &LIST_POLICIES,
                GLOBAL,
                |token| {
                    client
                        .list_policies()
                        .filter(filter.clone())
                        .set_next_token(token)
                        .send()
                },
                |out| (out.policies.unwrap_or_default(), out.next_token),
            )
            .await;
        if let Some(f) = listed.failure {
            g.failure = Some(failure_entry(&LIST_POLICIES, f));
            return g;
        }
        for summary in &listed.items {
            let Some(id) = summary.id() else { continue };
            let described = ctx
                .call_required(&DESCRIBE_POLICY, GLOBAL, || {
                    client.describe_policy().policy_id(id).send()
                })
                .await;
            let content = match described {
                Ok(out) => out
                    .policy()
                    .and_then(|p| p.content())
                    .map(crate::policy::parse_policy)
                    .unwrap_or_default(),
                Err(f) => {
                    g.failure = Some(failure_entry(&DESCRIBE_POLICY, f));
                    return g;
                }
            };
            let targets = ctx
                .paginate(
                    &LIST_TARGETS_FOR_POLICY,
                    GLOBAL,
                    |token| {
                        client
                            .list_targets_for_policy()
                            .policy_id(id)
                            .set_next_token(token)
                            .send()
                    },
                    |out| (out.targets.unwrap_or_default(), out.next_token),
                )
                .await;
            if let Some(f) = targets.failure {
                g.failure = Some(failure_entry(&LIST_TARGETS_FOR_POLICY, f));
                return g;
            }
            for t in targets.items.iter().filter_map(|t| t.target_id()) {
                g.attached
                    .entry(t.to_string())
                    .or_default()
                    .push(id.to_string());
            }
            g.policies.insert(
                id.to_string(),
                GuardrailPolicy {
                    name: summary.name().unwrap_or(id).to_string(),
                    kind,
                    aws_managed: summary.aws_managed(),
                    document: content,
                },
            );
        }
    }
    g
}

/// A failed guardrail read, as a coverage entry each account's snapshot carries.
fn failure_entry(op: &Op, f: Failure) -> sprawl_model::CoverageEntry {
    sprawl_model::CoverageEntry {
        service: "organizations".into(),
        region: GLOBAL.into(),
        operation: op.name.into(),
        succeeded: 0,
        failed: 1,
        items: 0,
        skipped: 0,
        failure: Some(f),
    }
}
