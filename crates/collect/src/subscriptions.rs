//! The CloudWatch Logs log groups whose subscription filters deliver to functions. A function's
//! resource policy names each one (`logs.amazonaws.com`, with the group's ARN as
//! `aws:SourceArn`); each is read once (DescribeSubscriptionFilters), in its region. No log
//! event is ever read.

use std::collections::BTreeMap;

use sprawl_model::{Function, LogSubscription, SubscriptionFilter};

use super::call::{CallContext, detail, read_each};
use super::ops::DESCRIBE_SUBSCRIPTION_FILTERS;
use super::policy::named_by_functions;

/// The log groups the functions' resource policies (their own and their aliases') let invoke
/// them, by ARN (without `:*`), with the functions each names.
pub fn groups_named(functions: &[Function]) -> BTreeMap<String, Vec<String>> {
    named_by_functions(functions, "logs.amazonaws.com", "logs", group_name)
}

/// A log group's region and name from its ARN (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`).
fn group_name(arn: &str) -> Option<(&str, &str)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, _, "logs", region, _, resource] = parts.as_slice() else {
        return None;
    };
    let name = resource.strip_prefix("log-group:")?;
    (!name.is_empty()).then_some((region, name))
}

/// Reads each group's subscription filters in its region (a group has at most two: one page),
/// with one client per region.
pub async fn groups(
    ctx: &CallContext,
    client_of: impl Fn(&str) -> aws_sdk_cloudwatchlogs::Client,
    named: BTreeMap<String, Vec<String>>,
) -> Vec<LogSubscription> {
    read_each(named, group_name, client_of, |client, each| async move {
        let answer = ctx
            .call_required(&DESCRIBE_SUBSCRIPTION_FILTERS, &each.region, || {
                client
                    .describe_subscription_filters()
                    .log_group_name(&each.id)
                    .send()
            })
            .await;
        let filters = answer.map(|out| {
            out.subscription_filters()
                .iter()
                .map(|f| SubscriptionFilter {
                    name: f.filter_name().unwrap_or_default().to_string(),
                    pattern: f.filter_pattern().unwrap_or_default().to_string(),
                    destination: f.destination_arn().unwrap_or_default().to_string(),
                })
                .collect()
        });
        LogSubscription {
            arn: each.arn,
            region: each.region,
            triggers: each.named,
            filters: detail(filters),
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_group_s_arn_names_its_region_and_name() {
        assert_eq!(
            group_name("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/apigateway/access"),
            Some(("eu-west-1", "/aws/apigateway/access"))
        );
        assert_eq!(
            group_name("arn:aws:logs:eu-west-1:111122223333:destination:x"),
            None
        );
    }
}
