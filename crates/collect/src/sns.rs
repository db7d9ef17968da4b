//! The SNS topics that trigger functions. A function's resource policy names each one
//! (`sns.amazonaws.com`, with the topic's ARN as `aws:SourceArn`); each is read once, in its own
//! region, however many functions it triggers, and no other topic is read.

use std::collections::BTreeMap;

use sprawl_model::{Detail, Function, Queue, Subscription, Topic};

use super::call::{CallContext, clients_by_region};
use super::ops::{GET_TOPIC_ATTRIBUTES, LIST_SUBSCRIPTIONS_BY_TOPIC};
use super::policy::{Named, parse_policy, sources_named};

/// The topics the functions' resource policies (their own and their aliases') let invoke them,
/// and those the queues' policies let send to them, by ARN. A topic named through a wildcard is
/// no topic that can be read; the assessment judges such a permission itself.
pub fn topics_named(functions: &[Function], queues: &[Queue]) -> BTreeMap<String, Named> {
    let downstream = queues.iter().map(|q| (q.arn.as_str(), &q.policy));
    sources_named(functions, downstream, "sns.amazonaws.com", "sns")
}

/// Reads each topic's access policy and key, in the topic's region (its ARN's), with one client
/// per region.
pub async fn topics(
    ctx: &CallContext,
    client_of: impl Fn(&str) -> aws_sdk_sns::Client,
    named: BTreeMap<String, Named>,
) -> Vec<Topic> {
    fn region_of(arn: &str) -> &str {
        arn.split(':').nth(3).unwrap_or_default()
    }
    let clients = clients_by_region(named.keys().map(|arn| region_of(arn)), client_of);
    let reads = named.into_iter().map(|(arn, named)| {
        let region = region_of(&arn).to_string();
        let client = &clients[&region];
        async move {
            let attributes = ctx.call_required(&GET_TOPIC_ATTRIBUTES, &region, || {
                client.get_topic_attributes().topic_arn(&arn).send()
            });
            let subscriptions = ctx.paginate(
                &LIST_SUBSCRIPTIONS_BY_TOPIC,
                &region,
                |token| {
                    client
                        .list_subscriptions_by_topic()
                        .topic_arn(&arn)
                        .set_next_token(token)
                        .send()
                },
                |out| (out.subscriptions.unwrap_or_default(), out.next_token),
            );
            let (answer, subscriptions) = tokio::join!(attributes, subscriptions);
            let subscriptions = subscriptions.into_detail(|s| Subscription {
                protocol: s.protocol.unwrap_or_default(),
                endpoint: s.endpoint.unwrap_or_default(),
            });
            let (policy, kms_key_id) = match answer {
                Ok(out) => {
                    let attributes = out.attributes.unwrap_or_default();
                    let present = |key: &str| attributes.get(key).filter(|v| !v.trim().is_empty());
                    (
                        Detail::collected(present("Policy").map(|p| parse_policy(p))),
                        Detail::collected(present("KmsMasterKeyId").cloned()),
                    )
                }
                Err(f) => (Detail::failed(&f), Detail::failed(&f)),
            };
            Topic {
                arn,
                region,
                triggers: named.triggers,
                feeds: named.feeds,
                policy,
                kms_key_id,
                subscriptions,
            }
        }
    });
    futures::future::join_all(reads).await
}
