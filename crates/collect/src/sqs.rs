//! The SQS queues behind event source mappings: the function polls each, so every message sent
//! to it is the function's event. Each queue a mapping names is read once (GetQueueAttributes: its
//! policy and key), beside the region's functions (the mappings are listed first); no other queue
//! is read, and never a message.

use std::collections::BTreeMap;

use sprawl_model::{Detail, EventSourceMapping, Queue};

use super::call::CallContext;
use super::ops::GET_QUEUE_ATTRIBUTES;
use super::policy::parse_policy;

/// The queues the mappings poll, by ARN, with the functions each feeds.
pub fn queues_named(mappings: &[EventSourceMapping]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in mappings {
        let Some(arn) = m.source_arn.as_deref() else {
            continue;
        };
        if arn.split(':').nth(2) != Some("sqs") {
            continue;
        }
        let functions = out.entry(arn.to_string()).or_default();
        if !functions.contains(&m.function_arn) {
            functions.push(m.function_arn.clone());
        }
    }
    out
}

/// A queue's URL from its ARN (`arn:PARTITION:sqs:REGION:ACCOUNT:NAME`), in the form SQS gives
/// every queue: one call fewer per queue than asking GetQueueUrl.
pub fn queue_url(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, "sqs", region, account, name] = parts.as_slice() else {
        return None;
    };
    let domain = match *partition {
        "aws-cn" => "amazonaws.com.cn",
        _ => "amazonaws.com",
    };
    Some(format!("https://sqs.{region}.{domain}/{account}/{name}"))
}

/// Reads each queue of `region` (a mapping polls a queue of its own region) once.
pub async fn queues(
    ctx: &CallContext,
    client: &aws_sdk_sqs::Client,
    region: &str,
    named: BTreeMap<String, Vec<String>>,
) -> Vec<Queue> {
    use aws_sdk_sqs::types::QueueAttributeName as A;
    let reads = named.into_iter().map(|(arn, triggers)| async move {
        let (policy, kms_key_id) = match queue_url(&arn) {
            None => {
                let why = "its ARN names no queue";
                (Detail::skipped(why), Detail::skipped(why))
            }
            Some(url) => {
                let answer = ctx
                    .call_required(&GET_QUEUE_ATTRIBUTES, region, || {
                        client
                            .get_queue_attributes()
                            .queue_url(&url)
                            .attribute_names(A::Policy)
                            .attribute_names(A::KmsMasterKeyId)
                            .send()
                    })
                    .await;
                match answer {
                    Ok(out) => {
                        let attributes = out.attributes.unwrap_or_default();
                        let present =
                            |key: &A| attributes.get(key).filter(|v| !v.trim().is_empty());
                        (
                            Detail::collected(present(&A::Policy).map(|p| parse_policy(p))),
                            Detail::collected(present(&A::KmsMasterKeyId).cloned()),
                        )
                    }
                    Err(f) => (Detail::failed(&f), Detail::failed(&f)),
                }
            }
        };
        Queue {
            arn,
            region: region.to_string(),
            triggers,
            policy,
            kms_key_id,
        }
    });
    futures::future::join_all(reads).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_s_url_comes_from_its_arn() {
        assert_eq!(
            queue_url("arn:aws:sqs:eu-west-1:111122223333:orders").as_deref(),
            Some("https://sqs.eu-west-1.amazonaws.com/111122223333/orders")
        );
        assert_eq!(
            queue_url("arn:aws-cn:sqs:cn-north-1:111122223333:q.fifo").as_deref(),
            Some("https://sqs.cn-north-1.amazonaws.com.cn/111122223333/q.fifo")
        );
        assert_eq!(queue_url("arn:aws:kinesis:eu-west-1:1:stream/s"), None);
    }
}
