//! The SNS topics that trigger functions. A function's resource policy names each one
//! (`sns.amazonaws.com`, with the topic's ARN as `aws:SourceArn`); each is read once, in its own
//! region, however many functions it triggers, and no other topic is read.

use std::collections::BTreeMap;

use serde_json::Value;
use sprawl_model::{Detail, Function, PolicyDocument, Topic, statements};

use super::call::CallContext;
use super::ops::GET_TOPIC_ATTRIBUTES;
use super::policy::parse_policy;

/// The topics the functions' resource policies (their own and their aliases') let invoke them,
/// by ARN, with the functions each triggers. A topic named through a wildcard is no topic that
/// can be read; the assessment judges such a permission itself.
pub fn topics_named(functions: &[Function]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in functions {
        let aliases = f.aliases.value().map_or(&[][..], Vec::as_slice);
        let documents = std::iter::once(&f.policy).chain(aliases.iter().map(|a| &a.policy));
        for doc in documents.filter_map(|d| d.value().and_then(Option::as_ref)) {
            for topic in sns_sources(doc) {
                let triggers = out.entry(topic).or_default();
                if !triggers.contains(&f.arn) {
                    triggers.push(f.arn.clone());
                }
            }
        }
    }
    out
}

/// The topic ARNs an Allow for `sns.amazonaws.com` names as its `aws:SourceArn`.
fn sns_sources(doc: &PolicyDocument) -> Vec<String> {
    let value = doc.value();
    let mut out = Vec::new();
    for st in statements::of(&value) {
        let by_sns = statements::allows(st)
            && match st.get("Principal") {
                Some(Value::Object(p)) => statements::strings(p.get("Service"))
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case("sns.amazonaws.com")),
                _ => false,
            };
        if !by_sns {
            continue;
        }
        let Some(Value::Object(conditions)) = st.get("Condition") else {
            continue;
        };
        for keys in conditions.values().filter_map(Value::as_object) {
            for (key, values) in keys {
                if !key.eq_ignore_ascii_case("aws:SourceArn") {
                    continue;
                }
                out.extend(
                    statements::strings(Some(values))
                        .into_iter()
                        .filter(|arn| arn.split(':').nth(2) == Some("sns"))
                        .filter(|arn| !arn.contains(['*', '?']))
                        .map(str::to_string),
                );
            }
        }
    }
    out
}

/// Reads each topic's access policy and key, in the topic's region (its ARN's), with one client
/// per region.
pub async fn topics(
    ctx: &CallContext,
    client_of: impl Fn(&str) -> aws_sdk_sns::Client,
    named: BTreeMap<String, Vec<String>>,
) -> Vec<Topic> {
    let region_of = |arn: &str| arn.split(':').nth(3).unwrap_or_default().to_string();
    let mut clients: BTreeMap<String, aws_sdk_sns::Client> = BTreeMap::new();
    for arn in named.keys() {
        let region = region_of(arn);
        clients
            .entry(region)
            .or_insert_with_key(|region| client_of(region));
    }
    let reads = named.into_iter().map(|(arn, triggers)| {
        let region = region_of(&arn);
        let client = &clients[&region];
        async move {
            let answer = ctx
                .call_required(&GET_TOPIC_ATTRIBUTES, &region, || {
                    client.get_topic_attributes().topic_arn(&arn).send()
                })
                .await;
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
                triggers,
                policy,
                kms_key_id,
            }
        }
    });
    futures::future::join_all(reads).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_exact_topic_arns_of_an_sns_permission_are_named() {
        let doc: PolicyDocument = json!({"Statement": [
            {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "lambda:InvokeFunction",
             "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:eu-west-1:111122223333:orders"}}},
            {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "lambda:InvokeFunction",
             "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:*:*:*"}}},
            {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
             "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:eu-west-1:111122223333:not-this"}}},
            {"Effect": "Deny", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "lambda:InvokeFunction",
             "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:eu-west-1:111122223333:denied"}}}
        ]})
        .into();
        assert_eq!(
            sns_sources(&doc),
            ["arn:aws:sns:eu-west-1:111122223333:orders"]
        );
    }
}
