//! The SES receipt rules that invoke functions: mail from anyone on the internet becomes their
//! event. SES's permission on a function often names no rule (only the account), so the rules
//! are found from the other side: in each region where a function's resource policy lets
//! `ses.amazonaws.com` invoke it, the active receipt rule set is read once
//! (DescribeActiveReceiptRuleSet), and its rules whose Lambda action names one of the functions
//! are kept. No mail is ever read.

use std::collections::BTreeSet;

use sprawl_model::{Function, MailRule, unqualified};

use super::call::{CallContext, clients_by_region};
use super::ops::DESCRIBE_ACTIVE_RECEIPT_RULE_SET;
use super::policy::functions_admitting;

/// The regions where a function's resource policy (its own or an alias's) lets SES invoke it.
pub fn regions_named(functions: &[Function]) -> Vec<String> {
    let regions: BTreeSet<String> = functions_admitting(functions, "ses.amazonaws.com")
        .filter_map(|f| f.arn.split(':').nth(3).map(str::to_string))
        .collect();
    regions.into_iter().collect()
}

/// Reads each region's active receipt rule set, keeping the rules that invoke one of
/// `functions`. A region whose rule set could not be read gives one rule that stands for it,
/// not read, triggering the region's functions SES may invoke: who mails them is not judged,
/// never no one.
pub async fn rules(
    ctx: &CallContext,
    client_of: impl Fn(&str) -> aws_sdk_ses::Client,
    account: &str,
    partition: &str,
    regions: &[String],
    functions: &[Function],
) -> Vec<MailRule> {
    let clients = clients_by_region(regions.iter().map(String::as_str), client_of);
    let known: BTreeSet<&str> = functions.iter().map(|f| f.arn.as_str()).collect();
    let admitting: Vec<&Function> = functions_admitting(functions, "ses.amazonaws.com").collect();
    let set_arn = |region: &str, set: &str| {
        format!("arn:{partition}:ses:{region}:{account}:receipt-rule-set/{set}")
    };
    let reads = regions.iter().map(|region| {
        let client = &clients[region];
        let (known, admitting, set_arn) = (&known, &admitting, &set_arn);
        async move {
            let answer = ctx
                .call_optional(&DESCRIBE_ACTIVE_RECEIPT_RULE_SET, region, || {
                    client.describe_active_receipt_rule_set().send()
                })
                .await;
            let out = match answer {
                Ok(Some(out)) => out,
                Ok(None) => return Vec::new(),
                Err(f) => {
                    let triggers = admitting
                        .iter()
                        .filter(|f| f.arn.split(':').nth(3) == Some(region.as_str()))
                        .map(|f| f.arn.clone())
                        .collect();
                    return vec![MailRule {
                        arn: set_arn(region, "active"),
                        region: region.clone(),
                        triggers,
                        enabled: sprawl_model::Detail::failed(&f),
                        recipients: Vec::new(),
                    }];
                }
            };
            let set = out.metadata().and_then(|m| m.name()).unwrap_or_default();
            out.rules()
                .iter()
                .filter_map(|rule| {
                    let triggers: Vec<String> = rule
                        .actions()
                        .iter()
                        .filter_map(|a| a.lambda_action().map(|l| l.function_arn()))
                        .filter(|f| known.contains(unqualified(f)))
                        .map(str::to_string)
                        .collect();
                    (!triggers.is_empty()).then(|| MailRule {
                        arn: format!("{}:receipt-rule/{}", set_arn(region, set), rule.name()),
                        region: region.clone(),
                        triggers,
                        enabled: sprawl_model::Detail::collected(rule.enabled()),
                        recipients: rule.recipients().to_vec(),
                    })
                })
                .collect::<Vec<_>>()
        }
    });
    futures::future::join_all(reads)
        .await
        .into_iter()
        .flatten()
        .collect()
}
