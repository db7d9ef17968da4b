//! The event source screen: a topic, queue, bucket, bus, stream, user pool, receipt rule, IoT
//! rule or log group that triggers functions, who may write to
//! it (and why), what it delivers to, and what feeds it. Reached from a function's entry points.

use super::B;
use crate::assess::sources::{
    Writers, bucket_writers, bus_writers, iot_publishers, mail_senders, pool_writers,
    queue_senders, stream_writers, topic_publishers,
};
use crate::iam::principals::Principal;
use crate::model::{Bucket, Detail, Inventory};
use crate::snapshot::Snapshot;
use crate::tui::screen::Screen;

/// A source of the inventory, whatever its kind.
enum Source<'a> {
    Topic(&'a crate::model::Topic),
    Queue(&'a crate::model::Queue),
    Bucket(&'a Bucket),
    Bus(&'a crate::model::EventBus),
    Stream(&'a crate::model::Stream),
    Pool(&'a crate::model::UserPool),
    Mail(&'a crate::model::MailRule),
    Iot(&'a crate::model::IotRule),
    Logs(&'a crate::model::LogSubscription),
}

/// The source of the inventory with this ARN.
fn find<'a>(inv: &'a Inventory, arn: &str) -> Option<Source<'a>> {
    let topic = inv.topics.iter().find(|t| t.arn == arn).map(Source::Topic);
    let queue = || inv.queues.iter().find(|q| q.arn == arn).map(Source::Queue);
    let bucket = || {
        inv.buckets
            .iter()
            .find(|b| b.arn == arn)
            .map(Source::Bucket)
    };
    let bus = || {
        inv.event_buses
            .iter()
            .find(|b| b.arn == arn)
            .map(Source::Bus)
    };
    let stream = || {
        inv.streams
            .iter()
            .find(|s| s.arn == arn)
            .map(Source::Stream)
    };
    let pool = || {
        inv.user_pools
            .iter()
            .find(|p| p.arn == arn)
            .map(Source::Pool)
    };
    let mail = || {
        inv.mail_rules
            .iter()
            .find(|r| r.arn == arn)
            .map(Source::Mail)
    };
    let iot = || inv.iot_rules.iter().find(|r| r.arn == arn).map(Source::Iot);
    let logs = || {
        inv.log_subscriptions
            .iter()
            .find(|g| g.arn == arn)
            .map(Source::Logs)
    };
    topic
        .or_else(queue)
        .or_else(bucket)
        .or_else(bus)
        .or_else(stream)
        .or_else(pool)
        .or_else(mail)
        .or_else(iot)
        .or_else(logs)
}

/// Whether the inventory holds a source with this ARN.
pub fn holds(inv: &Inventory, arn: &str) -> bool {
    find(inv, arn).is_some()
}

/// The identity pools of an IoT rule's region, each with whether it gives anyone (an
/// unauthenticated identity) credentials, and for which role.
fn identity_pools(inv: &Inventory, region: &str, b: &mut B) {
    let Some(read) = inv.identity_pools.iter().find(|p| p.region == region) else {
        b.kv("identity pools", "not read");
        return;
    };
    let pools = match &read.pools {
        Detail::Collected { value } if value.is_empty() => {
            return b.kv("identity pools", format!("none in {region}"));
        }
        Detail::Collected { value } => value,
        other => return b.kv("identity pools", shown(other, |_| String::new())),
    };
    for p in pools {
        let guests = match (p.unauthenticated.value(), p.unauthenticated_role.value()) {
            (Some(false), _) => "no unauthenticated identities".to_string(),
            (Some(true), Some(Some(role))) => {
                let classic = if p.classic_flow.value() == Some(&true) {
                    ", basic flow on"
                } else {
                    ""
                };
                format!("anyone may be an unauthenticated identity, as {role}{classic}")
            }
            (Some(true), Some(None)) => "unauthenticated identities, with no role".to_string(),
            (Some(true), None) => shown(&p.unauthenticated_role, |_| String::new()),
            (None, _) => shown(&p.unauthenticated, |_| String::new()),
        };
        b.kv("identity pool", format!("{} ({}): {guests}", p.name, p.id));
    }
}

/// The source's name, for the breadcrumb.
pub fn name(arn: &str) -> &str {
    crate::assess::source_name(arn)
}

pub(super) fn build(snap: &Snapshot, arn: &str, b: &mut B) -> String {
    let inv = &snap.inventory;
    let Some(source) = find(inv, arn) else {
        return super::not_here(snap, "event source", arn, b);
    };
    let t = b.t;
    let account = &snap.account.id;
    let no_one: Vec<String> = Vec::new();
    let (service, region, triggers, feeds, writers) = match &source {
        Source::Topic(x) => (
            "sns",
            x.region.clone(),
            &x.triggers,
            &x.feeds,
            topic_publishers(x, account),
        ),
        Source::Queue(x) => (
            "sqs",
            x.region.clone(),
            &x.triggers,
            &no_one,
            queue_senders(x, account),
        ),
        Source::Bucket(x) => (
            "s3",
            match &x.region {
                Detail::Collected { value } => value.clone(),
                _ => "not read".into(),
            },
            &x.triggers,
            &x.feeds,
            bucket_writers(x, account),
        ),
        Source::Stream(x) => (
            kind_of(&source),
            x.region.clone(),
            &x.triggers,
            &no_one,
            stream_writers(x, account),
        ),
        Source::Bus(x) => (
            "events",
            x.region.clone(),
            &no_one,
            &no_one,
            bus_writers(x, account),
        ),
        Source::Pool(x) => (
            "cognito",
            x.region.clone(),
            &x.triggers,
            &no_one,
            pool_writers(x),
        ),
        Source::Mail(x) => (
            "ses",
            x.region.clone(),
            &x.triggers,
            &no_one,
            mail_senders(x),
        ),
        Source::Iot(x) => (
            "iot",
            x.region.clone(),
            &x.triggers,
            &no_one,
            iot_publishers(x, inv),
        ),
        Source::Logs(x) => (
            "logs",
            x.region.clone(),
            &x.triggers,
            &no_one,
            Ok(Vec::new()),
        ),
    };
    let writers = crate::assess::sources::with_guests(inv, account, arn, writers);
    let (what, verb) = crate::assess::source_words(service);
    b.kv("kind", what);
    b.kv("arn", arn.to_string());
    b.kv("region", region);
    match &source {
        Source::Topic(x) => {
            b.kv("key", key(&x.kms_key_id, "sns"));
            match &x.subscriptions {
                Detail::Collected { value } if value.is_empty() => b.kv("subscriptions", "none"),
                Detail::Collected { value } => {
                    for sub in value {
                        b.kv(
                            "subscription",
                            match sub.endpoint.as_str() {
                                "" => format!("{} (its endpoint is not kept)", sub.protocol),
                                arn => format!("{} {}", sub.protocol, target(arn)),
                            },
                        );
                    }
                }
                other => b.kv("subscriptions", shown(other, |_| String::new())),
            }
        }
        Source::Queue(x) => b.kv("key", key(&x.kms_key_id, "sqs")),
        Source::Bucket(x) => bucket_settings(x, b),
        Source::Pool(x) => pool_settings(x, b),
        Source::Mail(x) => {
            b.kv(
                "state",
                shown(&x.enabled, |on| {
                    if *on { "enabled" } else { "disabled" }.into()
                }),
            );
            b.kv(
                "recipients",
                if x.recipients.is_empty() {
                    "every address of the account's domains".to_string()
                } else {
                    x.recipients.join(", ")
                },
            );
        }
        Source::Iot(x) => {
            b.kv(
                "sql",
                shown(&x.sql, |s| s.clone().unwrap_or_else(|| "none".into())),
            );
            b.kv(
                "state",
                shown(&x.disabled, |d| {
                    if *d { "disabled" } else { "enabled" }.into()
                }),
            );
            identity_pools(inv, &x.region, b);
        }
        Source::Logs(x) => {
            b.kv("log group", x.name().to_string());
            match &x.filters {
                Detail::Collected { value } => {
                    for f in value {
                        let pattern = if f.pattern.is_empty() {
                            "every event"
                        } else {
                            &f.pattern
                        };
                        b.kv(
                            "filter",
                            format!("{} ({pattern}) -> {}", f.name, target(&f.destination)),
                        );
                    }
                }
                other => b.kv("filters", shown(other, |_| String::new())),
            }
        }
        Source::Bus(_) | Source::Stream(_) => {}
    }

    b.heading(format!("Who may {verb}"));
    say_writers(&writers, b);
    if let Source::Logs(_) = source {
        b.text(
            2,
            "what they log (access logs, request data) may still be an outsider's",
            t.muted,
        );
    }

    b.heading("What it triggers");
    let mut any = false;
    for f in triggers {
        any = true;
        function_link(snap, f, "", b);
    }
    for to in feeds {
        if let Some(next) = find(inv, to) {
            any = true;
            let (kind, _) = crate::assess::source_words(kind_of(&next));
            b.link(
                2,
                "- ",
                format!("{kind} {} (delivers to it)", name(to)),
                Screen::Source(to.clone()),
            );
        } else if let Some(rule) = inv.event_rules.iter().find(|r| &r.arn == to) {
            // A bucket's events through its default bus, which a rule there selects.
            any = true;
            b.link(
                2,
                "- ",
                format!("EventBridge rule {} (through the default bus)", name(to)),
                Screen::Source(rule.bus.clone()),
            );
            for f in &rule.triggers {
                function_link(snap, f, " (through the rule)", b);
            }
        }
    }
    // A bus triggers what its rules target.
    for rule in inv.event_rules.iter().filter(|r| r.bus == arn) {
        let state = match rule.state.value() {
            Some(Some(s)) => s.to_ascii_lowercase(),
            _ => "state not read".into(),
        };
        b.text(2, format!("- rule {} ({state})", name(&rule.arn)), t.text);
        for f in &rule.triggers {
            any = true;
            function_link(snap, f, " (through the rule)", b);
        }
        for to in &rule.feeds {
            any = true;
            let (kind, _) = crate::assess::source_words(crate::assess::source_kind(to));
            b.link(
                2,
                "- ",
                format!("{kind} {} (the rule delivers to it)", name(to)),
                Screen::Source(to.clone()),
            );
        }
    }
    if !any {
        b.text(2, "none that sprawl read", t.muted);
    }

    let upstream: Vec<(&str, &str)> = inv
        .topics
        .iter()
        .filter(|x| x.feeds.iter().any(|f| f == arn))
        .map(|x| ("sns", x.arn.as_str()))
        .chain(
            inv.buckets
                .iter()
                .filter(|x| x.feeds.iter().any(|f| f == arn))
                .map(|x| ("s3", x.arn.as_str())),
        )
        .chain(
            inv.event_rules
                .iter()
                .filter(|x| x.feeds.iter().any(|f| f == arn))
                .map(|x| ("events", x.bus.as_str())),
        )
        .collect();
    if !upstream.is_empty() {
        b.heading("Fed by");
        for (kind, from) in upstream {
            let (what, _) = crate::assess::source_words(kind);
            b.link(
                2,
                "- ",
                format!("{what} {}", name(from)),
                Screen::Source(from.to_string()),
            );
        }
    }
    format!("{what} {}", name(arn))
}

fn kind_of(s: &Source) -> &'static str {
    match s {
        Source::Topic(_) => "sns",
        Source::Queue(_) => "sqs",
        Source::Bucket(_) => "s3",
        Source::Bus(_) => "events",
        Source::Stream(x) => x.service(),
        Source::Pool(_) => "cognito",
        Source::Mail(_) => "ses",
        Source::Iot(_) => "iot",
        Source::Logs(_) => "logs",
    }
}

/// Where a trigger delivers, in words: `function NAME` for a function, the name otherwise.
fn target(arn: &str) -> String {
    if arn.contains(":function:") {
        let function = crate::model::unqualified(arn);
        format!(
            "function {}",
            function.rsplit(':').next().unwrap_or(function)
        )
    } else {
        name(arn).to_string()
    }
}

/// A detail as a line: its value, or why it is not known.
fn shown<T>(d: &Detail<T>, f: impl Fn(&T) -> String) -> String {
    match d {
        Detail::Collected { value } => f(value),
        other => format!(
            "not read: {}",
            other.require("it").err().unwrap_or_default()
        ),
    }
}

/// A user pool's name, whether anyone may sign up, and which flow runs which function.
fn pool_settings(x: &crate::model::UserPool, b: &mut B) {
    if let Some(n) = &x.name {
        b.kv("name", n.clone());
    }
    b.kv(
        "self sign-up",
        shown(&x.self_sign_up, |open| {
            if *open {
                "on (anyone holding an app client id)".into()
            } else {
                "off (administrators create users)".into()
            }
        }),
    );
    match &x.lambda_triggers {
        Detail::Collected { value } => {
            for tr in value {
                b.kv(
                    "trigger",
                    format!("{} -> {}", tr.event, target(&tr.function)),
                );
            }
        }
        other => b.kv("triggers", shown(other, |_| String::new())),
    }
}

/// A topic's or queue's key, and what its service's AWS managed key stops.
fn key(k: &Detail<Option<String>>, service: &str) -> String {
    match k {
        Detail::Collected { value: Some(name) }
            if crate::assess::sources::under_managed_key(k, service) =>
        {
            format!(
                "{name} (AWS managed: only its own account's principals can use it; no other \
                 account, and no AWS service, can write)"
            )
        }
        Detail::Collected { value: Some(k) } => k.clone(),
        Detail::Collected { value: None } => "none".into(),
        other => other.require("it").err().unwrap_or_default(),
    }
}

/// A bucket's settings that decide who may upload: Block Public Access, ownership, ACL grants.
fn bucket_settings(x: &Bucket, b: &mut B) {
    let block = |d: &Detail<Option<crate::model::PublicAccessBlock>>| {
        shown(d, |v| match v {
            None => "none set".to_string(),
            Some(s) => {
                let on: Vec<&str> = [
                    (s.block_public_acls, "BlockPublicAcls"),
                    (s.ignore_public_acls, "IgnorePublicAcls"),
                    (s.block_public_policy, "BlockPublicPolicy"),
                    (s.restrict_public_buckets, "RestrictPublicBuckets"),
                ]
                .into_iter()
                .filter(|(set, _)| *set)
                .map(|(_, n)| n)
                .collect();
                if on.is_empty() {
                    "all off".into()
                } else {
                    on.join(" ")
                }
            }
        })
    };
    b.kv("block public access", block(&x.public_access_block));
    b.kv("account's", block(&x.account_public_access_block));
    b.kv(
        "ownership",
        shown(&x.ownership, |o| match o {
            Some(o) => o.clone(),
            None => "none set (ACLs apply)".into(),
        }),
    );
    if let Some(grants) = x.acl.value() {
        let public: Vec<String> = grants
            .iter()
            .filter(|g| g.is_public())
            .map(|g| {
                let who = g.grantee.rsplit('/').next().unwrap_or(&g.grantee);
                format!("{who} {}", g.permission)
            })
            .collect();
        b.kv(
            "public ACL grants",
            if public.is_empty() {
                "none".into()
            } else {
                public.join(", ")
            },
        );
    }
}

/// Who may write, one line each: the principal, its statement, and what narrows it.
fn say_writers(writers: &Writers, b: &mut B) {
    let t = b.t;
    match writers {
        Err(why) => b.text(2, format!("not judged: {why}"), t.error),
        Ok(w) if w.is_empty() => b.text(
            2,
            "its own account's principals only (by their identity policies)",
            t.text,
        ),
        Ok(w) => {
            for a in w {
                let style = match &a.principal {
                    Principal::Anyone if !a.is_narrowed() => t.critical,
                    Principal::Account { same: false, .. } => t.high,
                    _ => t.text,
                };
                let narrowed = if a.is_narrowed() {
                    format!(" when {}", a.narrowed_by.join(", "))
                } else {
                    String::new()
                };
                b.text(
                    2,
                    format!(
                        "- {}{narrowed} ({})",
                        b.principal(&a.principal),
                        crate::assess::sources::admitted_by(&a.at)
                    ),
                    style,
                );
            }
        }
    }
}

/// A line that opens a function of this account, or names one of another.
fn function_link(snap: &Snapshot, arn: &str, suffix: &str, b: &mut B) {
    let t = b.t;
    match snap.inventory.functions.iter().find(|f| f.arn == arn) {
        Some(f) => b.link(
            2,
            "- ",
            format!("function {}{suffix}", f.name),
            Screen::Function(arn.to_string()),
        ),
        None => b.text(2, format!("- function {arn}{suffix}"), t.text),
    }
}
