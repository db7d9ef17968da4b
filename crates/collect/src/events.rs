//! The EventBridge rules that trigger functions, and the buses they are on. A function's resource
//! policy names each rule (`events.amazonaws.com`, with the rule's ARN as `aws:SourceArn`); each
//! rule is read once (DescribeRule: its state and pattern) and each bus once (DescribeEventBus:
//! its policy, which says who else may put events on it), in their region. No other rule or bus
//! is read, and never an event.

use std::collections::BTreeMap;

use sprawl_model::{Detail, EventBus, EventRule, Function, Queue, Topic};

use super::call::{CallContext, clients_by_region};
use super::ops::{DESCRIBE_EVENT_BUS, DESCRIBE_RULE};
use super::policy::{Named, parse_policy, sources_named};

/// A rule's ARN in parts: its region, account, bus name (`default` for the default bus) and
/// name. `rule/NAME` is on the default bus, `rule/BUS/NAME` on another.
pub fn rule_parts(arn: &str) -> Option<(&str, &str, &str, &str)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, _, "events", region, account, resource] = parts.as_slice() else {
        return None;
    };
    let rest = resource.strip_prefix("rule/")?;
    let (bus, name) = rest.rsplit_once('/').unwrap_or(("default", rest));
    Some((region, account, bus, name))
}

/// The ARN of the bus a rule is on.
fn bus_arn(rule: &str) -> Option<String> {
    let (region, account, bus, _) = rule_parts(rule)?;
    let partition = rule.split(':').nth(1).unwrap_or("aws");
    Some(format!(
        "arn:{partition}:events:{region}:{account}:event-bus/{bus}"
    ))
}

/// The rules the functions' resource policies (their own and their aliases') let invoke them,
/// and those the triggering queues' and topics' policies let deliver to them (a rule's queue or
/// topic target), by ARN, with the functions each triggers and the sources it feeds.
pub fn rules_named(
    functions: &[Function],
    queues: &[Queue],
    topics: &[Topic],
) -> BTreeMap<String, Named> {
    let downstream = queues
        .iter()
        .map(|q| (q.arn.as_str(), &q.policy))
        .chain(topics.iter().map(|t| (t.arn.as_str(), &t.policy)));
    sources_named(functions, downstream, "events.amazonaws.com", "events")
        .into_iter()
        .filter(|(arn, _)| rule_parts(arn).is_some())
        .collect()
}

/// Reads each rule and then each bus they are on, in their region, with one client per region.
pub async fn rules_and_buses(
    ctx: &CallContext,
    client_of: impl Fn(&str) -> aws_sdk_eventbridge::Client,
    named: BTreeMap<String, Named>,
) -> (Vec<EventRule>, Vec<EventBus>) {
    let regions = named.keys().filter_map(|arn| rule_parts(arn).map(|p| p.0));
    let clients = clients_by_region(regions, client_of);
    let rules = named.into_iter().filter_map(|(arn, named)| {
        let (region, _, bus, name) = rule_parts(&arn)?;
        let (region, bus, name) = (region.to_string(), bus.to_string(), name.to_string());
        let client = &clients[&region];
        let bus_arn = bus_arn(&arn)?;
        Some(async move {
            let answer = ctx
                .call_required(&DESCRIBE_RULE, &region, || {
                    client
                        .describe_rule()
                        .name(&name)
                        .event_bus_name(&bus)
                        .send()
                })
                .await;
            let (state, pattern) = match answer {
                Ok(out) => (
                    Detail::collected(out.state().map(|s| s.as_str().to_string())),
                    Detail::collected(out.event_pattern().map(str::to_string)),
                ),
                Err(f) => (Detail::failed(&f), Detail::failed(&f)),
            };
            EventRule {
                arn,
                region,
                bus: bus_arn,
                triggers: named.triggers,
                feeds: named.feeds,
                state,
                pattern,
            }
        })
    });
    let rules = futures::future::join_all(rules).await;
    let mut buses: Vec<(&str, &str)> = rules
        .iter()
        .map(|r| (r.bus.as_str(), r.region.as_str()))
        .collect();
    buses.sort();
    buses.dedup();
    let buses = buses.into_iter().map(|(arn, region)| {
        let client = &clients[region];
        let name = arn.rsplit_once("event-bus/").map_or(arn, |(_, n)| n);
        async move {
            let answer = ctx
                .call_required(&DESCRIBE_EVENT_BUS, region, || {
                    client.describe_event_bus().name(name).send()
                })
                .await;
            EventBus {
                arn: arn.to_string(),
                region: region.to_string(),
                policy: match answer {
                    Ok(out) => Detail::collected(
                        out.policy()
                            .filter(|p| !p.trim().is_empty())
                            .map(parse_policy),
                    ),
                    Err(f) => Detail::failed(&f),
                },
            }
        }
    });
    let buses = futures::future::join_all(buses).await;
    (rules, buses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_s_arn_names_its_bus() {
        let default = "arn:aws:events:eu-west-1:111122223333:rule/nightly";
        assert_eq!(
            rule_parts(default),
            Some(("eu-west-1", "111122223333", "default", "nightly"))
        );
        assert_eq!(
            bus_arn(default).as_deref(),
            Some("arn:aws:events:eu-west-1:111122223333:event-bus/default")
        );
        let custom = "arn:aws:events:eu-west-1:111122223333:rule/orders/created";
        assert_eq!(
            bus_arn(custom).as_deref(),
            Some("arn:aws:events:eu-west-1:111122223333:event-bus/orders")
        );
        assert_eq!(
            rule_parts("arn:aws:events:eu-west-1:111122223333:event-bus/orders"),
            None
        );
    }
}
