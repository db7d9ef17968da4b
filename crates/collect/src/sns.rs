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

/// The endpoint of a subscription as sprawl keeps it: a function's or a queue's ARN (`lambda`,
/// `sqs`), and nothing of any other. An HTTP(S) endpoint may carry a token in its path or query,
/// or credentials before its host, and an email or SMS one is a person's: none leaves the
/// collector, whatever its shape (fails closed: an ARN only under those two protocols).
fn kept_endpoint(protocol: &str, endpoint: Option<&str>) -> String {
    match (protocol, endpoint) {
        ("lambda" | "sqs", Some(arn))
            if arn.starts_with("arn:") && !arn.contains(['/', '?', '@']) =>
        {
            arn.to_string()
        }
        _ => String::new(),
    }
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
            let subscriptions = subscriptions.into_detail(|s| {
                let protocol = s.protocol.unwrap_or_default();
                let endpoint = kept_endpoint(&protocol, s.endpoint.as_deref());
                Subscription { protocol, endpoint }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_function_s_or_a_queue_s_arn_is_kept_of_a_subscription() {
        let function = "arn:aws:lambda:eu-west-1:111122223333:function:notify";
        assert_eq!(kept_endpoint("lambda", Some(function)), function);
        let queue = "arn:aws:sqs:eu-west-1:111122223333:work";
        assert_eq!(kept_endpoint("sqs", Some(queue)), queue);
        for (protocol, endpoint) in [
            (
                "https",
                "https://hooks.example.com/services/T0/B0/s3cr3tT0ken",
            ),
            ("https", "https://user:hunter2@example.com/hook"),
            ("http", "http://example.com/hook?token=123456"),
            ("email", "ops@example.com"),
            ("sms", "+15555550100"),
            ("lambda", "https://example.com/not-an-arn"),
            ("sqs", "arn:aws:sqs:eu-west-1:111122223333:q?token=1"),
        ] {
            assert_eq!(
                kept_endpoint(protocol, Some(endpoint)),
                "",
                "{protocol} {endpoint}"
            );
        }
        assert_eq!(kept_endpoint("lambda", None), "");
    }
}
