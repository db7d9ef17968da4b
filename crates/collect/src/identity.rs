//! The Cognito identity pools of the regions with functions. An identity pool that gives
//! unauthenticated identities credentials lets anyone who asks act as a role of the account: a
//! source's writers, and an IoT topic's publishers, include whoever that role lets write.
//! Per region: ListIdentityPools; per pool: DescribeIdentityPool, and GetIdentityPoolRoles where
//! it gives unauthenticated identities credentials. No identity is ever listed, no credential
//! ever asked for.

use sprawl_model::{Detail, IdentityPool, IdentityPools};

use super::call::{CallContext, clients_by_region, detail};
use super::ops::{DESCRIBE_IDENTITY_POOL, GET_IDENTITY_POOL_ROLES, LIST_IDENTITY_POOLS};

/// The most pools ListIdentityPools returns a page.
const PAGE: i32 = 60;

/// Reads each region's identity pools, with one client per region.
pub async fn pools(
    ctx: &CallContext,
    client_of: impl Fn(&str) -> aws_sdk_cognitoidentity::Client,
    regions: &[String],
) -> Vec<IdentityPools> {
    let clients = clients_by_region(regions.iter().map(String::as_str), client_of);
    let reads = regions.iter().map(|region| {
        let client = &clients[region];
        async move {
            let listing = ctx
                .paginate(
                    &LIST_IDENTITY_POOLS,
                    region,
                    |token| {
                        client
                            .list_identity_pools()
                            .max_results(PAGE)
                            .set_next_token(token)
                            .send()
                    },
                    |out| (out.identity_pools.unwrap_or_default(), out.next_token),
                )
                .await;
            let pools = match listing.failure {
                Some(f) => Detail::failed(&f),
                None => {
                    let reads = listing.items.into_iter().map(|p| async move {
                        let id = p.identity_pool_id.unwrap_or_default();
                        let name = p.identity_pool_name.unwrap_or_default();
                        pool(ctx, client, region, id, name).await
                    });
                    Detail::collected(futures::future::join_all(reads).await)
                }
            };
            IdentityPools {
                region: region.clone(),
                pools,
            }
        }
    });
    futures::future::join_all(reads).await
}

/// One pool: whether anyone may have an identity with credentials, by which flows, and the role
/// they get.
async fn pool(
    ctx: &CallContext,
    client: &aws_sdk_cognitoidentity::Client,
    region: &str,
    id: String,
    name: String,
) -> IdentityPool {
    let answer = ctx
        .call_required(&DESCRIBE_IDENTITY_POOL, region, || {
            client.describe_identity_pool().identity_pool_id(&id).send()
        })
        .await;
    let out = match answer {
        Ok(out) => out,
        Err(f) => {
            return IdentityPool {
                id,
                name,
                unauthenticated: Detail::failed(&f),
                classic_flow: Detail::failed(&f),
                unauthenticated_role: Detail::failed(&f),
            };
        }
    };
    let unauthenticated = Detail::collected(out.allow_unauthenticated_identities());
    // Absent is the API's default: the basic flow is off.
    let classic_flow = Detail::collected(out.allow_classic_flow().unwrap_or(false));
    let unauthenticated_role = if out.allow_unauthenticated_identities() {
        detail(
            ctx.call_required(&GET_IDENTITY_POOL_ROLES, region, || {
                client
                    .get_identity_pool_roles()
                    .identity_pool_id(&id)
                    .send()
            })
            .await
            .map(|out| {
                out.roles()
                    .and_then(|roles| roles.get("unauthenticated"))
                    .cloned()
            }),
        )
    } else {
        Detail::collected(None)
    };
    IdentityPool {
        id,
        name,
        unauthenticated,
        classic_flow,
        unauthenticated_role,
    }
}
