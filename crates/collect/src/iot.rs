//! The IoT topic rules that invoke functions. A function's resource policy names each one
//! (`iot.amazonaws.com`, with the rule's ARN as `aws:SourceArn`); each is read once (GetTopicRule:
//! its SQL, state and actions), in its region. No message is ever read.

use std::collections::BTreeMap;

use sprawl_model::{Detail, Function, IotRule};

use super::call::{CallContext, read_each};
use super::ops::GET_TOPIC_RULE;
use super::policy::named_by_functions;

/// The topic rules the functions' resource policies (their own and their aliases') let invoke
/// them, by ARN, with the functions each names.
pub fn rules_named(functions: &[Function]) -> BTreeMap<String, Vec<String>> {
    named_by_functions(functions, "iot.amazonaws.com", "iot", rule_name)
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
    read_each(named, rule_name, client_of, |client, each| async move {
        let answer = ctx
            .call_required(&GET_TOPIC_RULE, &each.region, || {
                client.get_topic_rule().rule_name(&each.id).send()
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
            arn: each.arn,
            region: each.region,
            triggers: each.named,
            sql,
            disabled,
            functions,
        }
    })
    .await
}
