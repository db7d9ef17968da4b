//! IAM, once per scan (it is global): the roles Lambda can assume or functions use, with every
//! policy that shapes what they can do.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aws_sdk_iam::Client;
use aws_sdk_iam::types::EntityType;
use futures::StreamExt;

use super::call::{CallContext, Listing};
use super::ops::*;
use super::policy::{parse_policy, trusts_aws_principals, trusts_lambda};
use sprawl_model::{
    Failure, FailureKind, Gap, InlinePolicy, ManagedPolicy, PolicyDocument, Role, RoleLastUsed,
    Tags,
};

const REGION: &str = "global";

/// Everything one GetAccountAuthorizationDetails listing returned that sprawl keeps.
pub struct AuthorizationDetails {
    roles: Vec<Role>,
}

fn date(d: &aws_smithy_types::DateTime) -> String {
    d.fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default()
}

fn tags_of(tags: &[aws_sdk_iam::types::Tag]) -> Tags {
    tags.iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect()
}

/// Reads roles and the documents of their managed policies in one paginated call: on a large
/// account a handful of pages instead of four or five calls per role.
pub async fn authorization_details(
    ctx: &CallContext,
    client: &Client,
) -> Result<AuthorizationDetails, Failure> {
    let Listing { items, failure } = ctx
        .paginate(
            &GET_ACCOUNT_AUTHORIZATION_DETAILS,
            REGION,
            |marker| {
                client
                    .get_account_authorization_details()
                    .filter(EntityType::Role)
                    .filter(EntityType::LocalManagedPolicy)
                    .filter(EntityType::AwsManagedPolicy)
                    .max_items(1000)
                    .set_marker(marker)
                    .send()
            },
            |out| {
                let next = if out.is_truncated {
                    out.marker.clone()
                } else {
                    None
                };
                (vec![out], next)
            },
        )
        .await;
    if let Some(f) = failure {
        return Err(f);
    }
    // Default-version documents of every managed policy, by ARN.
    let mut documents: HashMap<String, (String, PolicyDocument)> = HashMap::new();
    for page in &items {
        for p in page.policies() {
            let Some(arn) = p.arn() else { continue };
            let name = p
                .policy_name()
                .map(str::to_string)
                .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or(arn).to_string());
            let doc = p
                .policy_version_list()
                .iter()
                .find(|v| v.is_default_version())
                .or_else(|| {
                    p.policy_version_list()
                        .iter()
                        .find(|v| v.version_id() == p.default_version_id())
                })
                .and_then(|v| v.document())
                .map(parse_policy);
            if let Some(doc) = doc {
                documents.insert(arn.to_string(), (name, doc));
            }
        }
    }
    let managed = |arn: &str, name: Option<&str>| -> ManagedPolicy {
        let found = documents.get(arn);
        ManagedPolicy {
            arn: arn.to_string(),
            name: name
                .map(str::to_string)
                .or_else(|| found.map(|(n, _)| n.clone()))
                .unwrap_or_default(),
            document: found.map(|(_, d)| d.clone()),
        }
    };
    let mut roles = Vec::new();
    for page in &items {
        for r in page.role_detail_list() {
            roles.push(Role {
                arn: r.arn().unwrap_or_default().to_string(),
                name: r.role_name().unwrap_or_default().to_string(),
                path: r.path().unwrap_or("/").to_string(),
                created: r.create_date().map(date),
                trust_policy: r.assume_role_policy_document().map(parse_policy),
                inline_policies: r
                    .role_policy_list()
                    .iter()
                    .map(|p| InlinePolicy {
                        name: p.policy_name().unwrap_or_default().to_string(),
                        document: p.policy_document().map(parse_policy).unwrap_or_default(),
                    })
                    .collect(),
                attached_policies: r
                    .attached_managed_policies()
                    .iter()
                    .filter_map(|p| Some(managed(p.policy_arn()?, p.policy_name())))
                    .collect(),
                permissions_boundary: r
                    .permissions_boundary()
                    .and_then(|b| b.permissions_boundary_arn())
                    .map(|arn| managed(arn, None)),
                last_used: r.role_last_used().and_then(|u| {
                    let date = u.last_used_date().map(date);
                    let region = u.region().map(str::to_string);
                    (date.is_some() || region.is_some()).then_some(RoleLastUsed { date, region })
                }),
                tags: tags_of(r.tags()),
                gaps: Vec::new(),
                access_advisor: sprawl_model::Detail::skipped(sprawl_model::NO_ACCESS_ADVISOR),
            });
        }
    }
    Ok(AuthorizationDetails { roles })
}

/// Whether a role belongs in the inventory: Lambda may assume it, a function uses it, or other
/// roles may become it (its trust admits AWS principals): a deployer or administrator a
/// function's role can reach, here or from another account, is a hop of its chain.
fn relevant(role: &Role, used: &BTreeSet<String>) -> bool {
    used.contains(&role.arn)
        || role
            .trust_policy
            .as_ref()
            .is_some_and(|t| trusts_lambda(t) || trusts_aws_principals(t))
}

impl AuthorizationDetails {
    /// The roles that belong in a serverless inventory.
    pub fn into_roles(self, used: &BTreeSet<String>) -> Vec<Role> {
        self.roles
            .into_iter()
            .filter(|r| relevant(r, used))
            .collect()
    }
}

/// Reads roles one by one, for principals denied GetAccountAuthorizationDetails (which needs a
/// broader permission than the per-role reads). Only the roles that belong get the per-role calls.
pub async fn roles_one_by_one(
    ctx: &CallContext,
    client: &Client,
    used: &BTreeSet<String>,
) -> Result<Vec<Role>, Failure> {
    let listing = ctx
        .paginate(
            &LIST_ROLES,
            REGION,
            |marker| {
                client
                    .list_roles()
                    .max_items(1000)
                    .set_marker(marker)
                    .send()
            },
            |out| {
                let next = if out.is_truncated { out.marker } else { None };
                (out.roles, next)
            },
        )
        .await;
    // A listing that failed part-way keeps the roles it got (the coverage records the gap).
    if listing.items.is_empty()
        && let Some(f) = listing.failure
    {
        return Err(f);
    }
    let mut roles: Vec<Role> = listing
        .items
        .iter()
        .map(|r| Role {
            arn: r.arn().to_string(),
            name: r.role_name().to_string(),
            path: r.path().to_string(),
            created: Some(date(r.create_date())),
            trust_policy: r.assume_role_policy_document().map(parse_policy),
            inline_policies: Vec::new(),
            attached_policies: Vec::new(),
            permissions_boundary: None,
            last_used: None,
            tags: Tags::new(),
            gaps: Vec::new(),
            access_advisor: sprawl_model::Detail::skipped(sprawl_model::NO_ACCESS_ADVISOR),
        })
        .filter(|r| relevant(r, used))
        .collect();

    roles = futures::stream::iter(roles)
        .map(|role| role_details(ctx, client, role))
        .buffer_unordered(8)
        .collect()
        .await;

    // Each managed policy once, however many roles attach it.
    let arns: BTreeSet<String> = roles
        .iter()
        .flat_map(|r| r.attached_policies.iter().chain(&r.permissions_boundary))
        .map(|p| p.arn.clone())
        .collect();
    let documents: BTreeMap<String, Result<PolicyDocument, Failure>> = futures::stream::iter(arns)
        .map(|arn| async move {
            let doc = managed_policy_document(ctx, client, &arn).await;
            (arn, doc)
        })
        .buffer_unordered(8)
        .collect()
        .await;
    for role in &mut roles {
        let mut gaps = Vec::new();
        for p in role
            .attached_policies
            .iter_mut()
            .chain(role.permissions_boundary.as_mut())
        {
            match documents.get(&p.arn) {
                Some(Ok(doc)) => p.document = Some(doc.clone()),
                Some(Err(f)) => gaps.push(Gap {
                    part: format!("managed policy {}", p.arn),
                    kind: f.kind,
                    message: f.message.clone(),
                }),
                None => {}
            }
        }
        role.gaps.extend(gaps);
    }
    Ok(roles)
}

async fn role_details(ctx: &CallContext, client: &Client, mut role: Role) -> Role {
    let name = role.name.clone();
    let (got, inline_names, attached) = tokio::join!(
        ctx.call_required(&GET_ROLE, REGION, || client
            .get_role()
            .role_name(&name)
            .send()),
        ctx.paginate(
            &LIST_ROLE_POLICIES,
            REGION,
            |marker| {
                client
                    .list_role_policies()
                    .role_name(&name)
                    .set_marker(marker)
                    .send()
            },
            |out| {
                let next = if out.is_truncated { out.marker } else { None };
                (out.policy_names, next)
            },
        ),
        ctx.paginate(
            &LIST_ATTACHED_ROLE_POLICIES,
            REGION,
            |marker| {
                client
                    .list_attached_role_policies()
                    .role_name(&name)
                    .set_marker(marker)
                    .send()
            },
            |out| {
                let next = if out.is_truncated { out.marker } else { None };
                (out.attached_policies.unwrap_or_default(), next)
            },
        ),
    );
    let mut gaps = Vec::new();
    let mut gap = |part: &str, f: Failure| {
        gaps.push(Gap {
            part: part.to_string(),
            kind: f.kind,
            message: f.message,
        })
    };
    match got {
        Ok(out) => {
            if let Some(r) = out.role() {
                role.permissions_boundary = r
                    .permissions_boundary()
                    .and_then(|b| b.permissions_boundary_arn())
                    .map(|arn| ManagedPolicy {
                        arn: arn.to_string(),
                        name: arn.rsplit('/').next().unwrap_or(arn).to_string(),
                        document: None,
                    });
                role.last_used = r.role_last_used().and_then(|u| {
                    let date = u.last_used_date().map(date);
                    let region = u.region().map(str::to_string);
                    (date.is_some() || region.is_some()).then_some(RoleLastUsed { date, region })
                });
                role.tags = tags_of(r.tags());
            }
        }
        Err(f) => gap("role details (boundary, last use, tags)", f),
    }
    if let Some(f) = inline_names.failure {
        gap("inline policies", f);
    }
    for policy_name in inline_names.items {
        match ctx
            .call_required(&GET_ROLE_POLICY, REGION, || {
                client
                    .get_role_policy()
                    .role_name(&name)
                    .policy_name(&policy_name)
                    .send()
            })
            .await
        {
            Ok(out) => role.inline_policies.push(InlinePolicy {
                name: policy_name.clone(),
                document: parse_policy(out.policy_document()),
            }),
            Err(f) => gap(&format!("inline policy {policy_name}"), f),
        }
    }
    if let Some(f) = attached.failure {
        gap("attached policies", f);
    }
    role.attached_policies = attached
        .items
        .iter()
        .filter_map(|p| {
            Some(ManagedPolicy {
                arn: p.policy_arn()?.to_string(),
                name: p.policy_name().unwrap_or_default().to_string(),
                document: None,
            })
        })
        .collect();
    role.gaps.extend(gaps);
    role
}

async fn managed_policy_document(
    ctx: &CallContext,
    client: &Client,
    arn: &str,
) -> Result<PolicyDocument, Failure> {
    let policy = ctx
        .call_required(&IAM_GET_POLICY, REGION, || {
            client.get_policy().policy_arn(arn).send()
        })
        .await?;
    let version = policy
        .policy()
        .and_then(|p| p.default_version_id())
        .ok_or_else(|| Failure {
            kind: FailureKind::Other,
            message: format!("{arn} has no default version"),
        })?
        .to_string();
    let out = ctx
        .call_required(&GET_POLICY_VERSION, REGION, || {
            client
                .get_policy_version()
                .policy_arn(arn)
                .version_id(&version)
                .send()
        })
        .await?;
    out.policy_version()
        .and_then(|v| v.document())
        .map(parse_policy)
        .ok_or_else(|| Failure {
            kind: FailureKind::Other,
            message: format!("{arn} version {version} has no document"),
        })
}
