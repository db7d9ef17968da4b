//! The IoT topic rules that invoke functions. A function's resource policy names each one
//! (`iot.amazonaws.com`, with the rule's ARN as `aws:SourceArn`); each is read once (GetTopicRule:
//! its SQL, state and actions), in its region. No message is ever read.

use std::collections::BTreeMap;

use sprawl_model::{Detail, Function, IotRule};

use super::call::{CallContext, clients_by_region};
use super::ops::GET_TOPIC_RULE;
use super::policy::sources_named;

/// The topic rules the functions' resource policies (their own and their aliases') let invoke
/// them, by ARN, with the functions each names.
pub fn rules_named(functions: &[Function]) -> BTreeMap<String, Vec<String>> {
    sources_named(functions, [], "iot.amazonaws.com", "iot")
        .into_iter()
        .filter(|(arn, _)| rule_name(arn).is_some())
        .map(|(arn, named)| (arn, named.triggers))
        .collect()
}

/// A rule's region and name from its ARN (`arn:aws:iot:REGION:ACCOUNT:rule/NAME`).
fn rule_name(arn: &str) -> Option<(&str, &str)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, _, "iot", region, _, resource] = parts.as_slice() else {
        return None;
    };
    Some((region, resource.strip_prefix("rule/")?))
}

/// Reads each rule in its region, with one client per region.
pub async fn rules(
    ctx: &CallContext,
    client_of: impl Fn(&str) -> aws_sdk_iot::Client,
    named: BTreeMap<String, Vec<String>>,
) -> Vec<IotRule> {
    let clients = clients_by_region(
        named.keys().filter_map(|a| rule_name(a).map(|r| r.0)),
        client_of,
    );
    let reads = named.into_iter().filter_map(|(arn, triggers)| {
        let (region, name) = rule_name(&arn)?;
        let (region, name) = (region.to_string(), name.to_string());
        let client = &clients[&region];
        Some(async move {
            let answer = ctx
                .call_required(&GET_TOPIC_RULE, &region, || {
                    client.get_topic_rule().rule_name(&name).send()
                })
                .await;
            let (sql, disabled, functions) = match answer {
                Ok(out) => {
                    let rule = out.rule();
                    let functions = rule
                        .map(|r| r.actions())
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|a| a.lambda().map(|l| l.function_arn().to_string()))
                        .collect();
                    (
                        Detail::collected(rule.and_then(|r| r.sql()).map(str::to_string)),
                        Detail::collected(rule.and_then(|r| r.rule_disabled()).unwrap_or(false)),
                        Detail::collected(functions),
                    )
                }
                Err(f) => (Detail::failed(&f), Detail::failed(&f), Detail::failed(&f)),
            };
            IotRule {
                arn,
                region,
                triggers,
                sql,
                disabled,
                functions,
            }
        })
    });
    futures::future::join_all(reads).await
}
