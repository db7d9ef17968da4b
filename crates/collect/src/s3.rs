//! The S3 buckets that trigger functions: those a function's resource policy names
//! (`s3.amazonaws.com` with the bucket's ARN as `aws:SourceArn`), and those a triggering topic's
//! policy lets publish (the bucket notifies the topic, which invokes functions). Each is read once,
//! in its own region, however many functions it reaches; no other bucket is read, and no object
//! ever is.
//!
//! Per bucket: GetBucketLocation (its region: a bucket's ARN names none), then in that region
//! GetBucketNotificationConfiguration, GetBucketPolicy, GetBucketAcl, GetPublicAccessBlock and
//! GetBucketOwnershipControls. Per account, once: S3 Control's GetPublicAccessBlock (the
//! account's Block Public Access, which covers every bucket).

use std::collections::BTreeMap;

use sprawl_model::{
    AclGrant, Bucket, BucketNotifications, Detail, EventRule, Failure, Function, PublicAccessBlock,
    Queue, Topic,
};

use super::call::{CallContext, clients_by_region};
use super::ops::{
    GET_ACCOUNT_PUBLIC_ACCESS_BLOCK, GET_BUCKET_ACL, GET_BUCKET_LOCATION,
    GET_BUCKET_NOTIFICATION_CONFIGURATION, GET_BUCKET_OWNERSHIP_CONTROLS, GET_BUCKET_POLICY,
    GET_PUBLIC_ACCESS_BLOCK,
};
use super::policy::{Named, parse_policy, sources_named};

/// The buckets the functions' resource policies (their own and their aliases') let invoke them,
/// those the topics' and queues' policies let deliver to them, and those whose S3 events an
/// enabled rule on the account's default bus selects by name (the bucket delivers through the
/// rule when it sends its events to EventBridge), by ARN.
pub fn buckets_named(
    functions: &[Function],
    topics: &[Topic],
    queues: &[Queue],
    rules: &[EventRule],
) -> BTreeMap<String, Named> {
    let downstream = topics
        .iter()
        .map(|t| (t.arn.as_str(), &t.policy))
        .chain(queues.iter().map(|q| (q.arn.as_str(), &q.policy)));
    let mut named = sources_named(functions, downstream, "s3.amazonaws.com", "s3");
    let partition = |arn: &str| arn.split(':').nth(1).unwrap_or("aws").to_string();
    for r in rules {
        let Some(selection) = r.s3_selection() else {
            continue;
        };
        // The buckets it names; those it does not are not read (the assessment says so).
        for name in selection.named {
            let arn = format!("arn:{}:s3:::{name}", partition(&r.arn));
            let entry = named.entry(arn).or_default();
            if !entry.feeds.contains(&r.arn) {
                entry.feeds.push(r.arn.clone());
            }
        }
    }
    named
}

/// The region a bucket's location constraint names: none is us-east-1, and `EU` the old name
/// of eu-west-1.
fn region_of(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => "us-east-1".into(),
        Some("EU") => "eu-west-1".into(),
        Some(r) => r.to_string(),
    }
}

/// The four Block Public Access settings of an S3 or S3 Control configuration, in
/// [`block_of`]'s order (the two SDKs' types differ, their getters do not).
macro_rules! settings {
    ($c:expr) => {
        [
            $c.block_public_acls(),
            $c.ignore_public_acls(),
            $c.block_public_policy(),
            $c.restrict_public_buckets(),
        ]
    };
}

/// Block Public Access from its four settings as S3 and S3 Control answer them (BlockPublicAcls,
/// IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets), an unset one false.
fn block_of(settings: Option<[Option<bool>; 4]>) -> Option<PublicAccessBlock> {
    settings.map(|[acls, ignore, policy, restrict]| PublicAccessBlock {
        block_public_acls: acls.unwrap_or(false),
        ignore_public_acls: ignore.unwrap_or(false),
        block_public_policy: policy.unwrap_or(false),
        restrict_public_buckets: restrict.unwrap_or(false),
    })
}

/// The account's Block Public Access (S3 Control), read once: `None` when none is set.
pub async fn account_block(
    ctx: &CallContext,
    control: &aws_sdk_s3control::Client,
    account: &str,
    region: &str,
) -> Detail<Option<PublicAccessBlock>> {
    let answer = ctx
        .call_optional(&GET_ACCOUNT_PUBLIC_ACCESS_BLOCK, region, || {
            control.get_public_access_block().account_id(account).send()
        })
        .await;
    match answer {
        Ok(out) => Detail::collected(block_of(out.as_ref().and_then(|o| {
            let c = o.public_access_block_configuration()?;
            Some(settings!(c))
        }))),
        Err(f) => Detail::failed(&f),
    }
}

/// Reads each named bucket of `account` (the only owner sprawl expects: a bucket of another
/// account answers AccessDenied, and its writers are not judged), its location asked of
/// `home`'s endpoint, the rest in its own region, with one client per region.
pub async fn buckets(
    ctx: &CallContext,
    client_of: impl Fn(&str) -> aws_sdk_s3::Client,
    account: &str,
    home: &str,
    account_block: Detail<Option<PublicAccessBlock>>,
    named: BTreeMap<String, Named>,
) -> Vec<Bucket> {
    let home_client = client_of(home);
    let locations = futures::future::join_all(named.keys().map(|arn| {
        let name = arn.rsplit(':').next().unwrap_or_default().to_string();
        let client = &home_client;
        async move {
            ctx.call_required(&GET_BUCKET_LOCATION, home, || {
                client
                    .get_bucket_location()
                    .bucket(&name)
                    .expected_bucket_owner(account)
                    .send()
            })
            .await
            .map(|out| region_of(out.location_constraint().map(|c| c.as_str())))
        }
    }))
    .await;
    let clients = clients_by_region(locations.iter().flatten().map(String::as_str), client_of);
    let reads = named
        .into_iter()
        .zip(locations)
        .map(|((arn, named), location)| {
            let name = arn.rsplit(':').next().unwrap_or_default().to_string();
            let client = location.as_ref().ok().map(|r| &clients[r]);
            let account_block = account_block.clone();
            async move {
                let mut b = match (location, client) {
                    (Ok(region), Some(client)) => read(ctx, client, account, &name, region).await,
                    (Err(f), _) => unread(&name, &f),
                    (Ok(_), None) => unreachable!("a client for every region located"),
                };
                b.arn = arn;
                b.triggers = named.triggers;
                b.feeds = named.feeds;
                b.account_public_access_block = account_block;
                b
            }
        });
    futures::future::join_all(reads).await
}

/// A bucket whose region could not be read: nothing else about it was.
fn unread(name: &str, f: &Failure) -> Bucket {
    Bucket {
        name: name.to_string(),
        arn: String::new(),
        region: Detail::failed(f),
        triggers: Vec::new(),
        feeds: Vec::new(),
        notifications: Detail::failed(f),
        policy: Detail::failed(f),
        acl: Detail::failed(f),
        public_access_block: Detail::failed(f),
        account_public_access_block: Detail::failed(f),
        ownership: Detail::failed(f),
    }
}

/// A bucket's configuration, read in its region.
async fn read(
    ctx: &CallContext,
    client: &aws_sdk_s3::Client,
    account: &str,
    name: &str,
    region: String,
) -> Bucket {
    let r = region.as_str();
    // Every call names the bucket and this account as its expected owner.
    macro_rules! ask {
        ($how:ident, $op:expr, $call:ident) => {
            ctx.$how(&$op, r, || {
                client
                    .$call()
                    .bucket(name)
                    .expected_bucket_owner(account)
                    .send()
            })
        };
    }
    let notifications = async {
        let out = ask!(
            call_required,
            GET_BUCKET_NOTIFICATION_CONFIGURATION,
            get_bucket_notification_configuration
        )
        .await?;
        Ok::<_, Failure>(BucketNotifications {
            functions: out
                .lambda_function_configurations()
                .iter()
                .map(|c| c.lambda_function_arn().to_string())
                .collect(),
            topics: out
                .topic_configurations()
                .iter()
                .map(|c| c.topic_arn().to_string())
                .collect(),
            queues: out
                .queue_configurations()
                .iter()
                .map(|c| c.queue_arn().to_string())
                .collect(),
            eventbridge: out.event_bridge_configuration().is_some(),
        })
    };
    let policy = async {
        let out = ask!(call_optional, GET_BUCKET_POLICY, get_bucket_policy).await?;
        Ok::<_, Failure>(
            out.and_then(|o| o.policy)
                .filter(|p| !p.trim().is_empty())
                .map(|p| parse_policy(&p)),
        )
    };
    let acl = async {
        let out = ask!(call_required, GET_BUCKET_ACL, get_bucket_acl).await?;
        Ok::<_, Failure>(
            out.grants()
                .iter()
                .filter_map(|g| {
                    let grantee = g.grantee()?;
                    let who = grantee.uri().or(grantee.id()).or(grantee.email_address())?;
                    Some(AclGrant {
                        grantee: who.to_string(),
                        permission: g.permission()?.as_str().to_string(),
                    })
                })
                .collect(),
        )
    };
    let block = async {
        let out = ask!(
            call_optional,
            GET_PUBLIC_ACCESS_BLOCK,
            get_public_access_block
        )
        .await?;
        Ok::<_, Failure>(block_of(out.as_ref().and_then(|o| {
            let c = o.public_access_block_configuration()?;
            Some(settings!(c))
        })))
    };
    let ownership = async {
        let out = ask!(
            call_optional,
            GET_BUCKET_OWNERSHIP_CONTROLS,
            get_bucket_ownership_controls
        )
        .await?;
        Ok::<_, Failure>(out.and_then(|o| {
            let rule = o.ownership_controls()?.rules().first()?;
            Some(rule.object_ownership().as_str().to_string())
        }))
    };
    let (notifications, policy, acl, block, ownership) =
        tokio::join!(notifications, policy, acl, block, ownership);
    Bucket {
        name: name.to_string(),
        arn: String::new(),
        region: Detail::collected(region),
        triggers: Vec::new(),
        feeds: Vec::new(),
        notifications: super::call::detail(notifications),
        policy: super::call::detail(policy),
        acl: super::call::detail(acl),
        public_access_block: super::call::detail(block),
        account_public_access_block: Detail::skipped("set by the caller"),
        ownership: super::call::detail(ownership),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_constraint_names_its_region() {
        assert_eq!(region_of(None), "us-east-1");
        assert_eq!(region_of(Some("")), "us-east-1");
        assert_eq!(region_of(Some("EU")), "eu-west-1");
        assert_eq!(region_of(Some("ap-south-2")), "ap-south-2");
    }
}
