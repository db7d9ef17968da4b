//! What the demo's functions do: log groups, alarms and 90 days of metrics, drawn from each
//! function's name (not from the generator, so the rest of the demo stays as it was).
//!
//! The estate a team touring an account finds: the forgotten functions idle, and a few that
//! still have triggers idle too (the bucket that no longer receives files); most logs never
//! expire; alarms only on some teams' functions, none on the public URLs; 900-second timeouts on
//! functions that run for a few hundred milliseconds; one in twenty-three failing on one day a
//! week; one in seventeen no longer called for some weeks; the capped functions with heavy traffic
//! throttled.

use chrono::{DateTime, Utc};

use super::fnv;
use crate::collect::cloudwatch::MetricsWindow;
use crate::model::*;

/// Days of metrics in the demo (`scan --metrics`'s default).
pub const DAYS: u16 = MetricsWindow::DEFAULT_DAYS;

/// Gives every function of `inv` its log group, alarms and activity, as a scan with `--metrics`
/// at `now` would.
pub fn observe(inv: &mut Inventory, now: DateTime<Utc>) {
    let window = MetricsWindow::ending(now, DAYS);
    let triggered: std::collections::BTreeSet<String> = inv
        .event_source_mappings
        .iter()
        .map(|m| m.function_arn.clone())
        .chain(inv.rest_apis.iter().flat_map(|a| {
            a.resources
                .value()
                .into_iter()
                .flatten()
                .flat_map(|r| &r.methods)
                .filter_map(|m| m.integration.as_ref()?.lambda_arn.clone())
        }))
        .chain(inv.http_apis.iter().flat_map(|a| {
            a.integrations
                .value()
                .into_iter()
                .flatten()
                .filter_map(|i| i.lambda_arn.clone())
        }))
        .collect();
    advise(inv, now);
    for f in &mut inv.functions {
        let h = fnv(&f.name) ^ 0x9e37_79b9_7f4a_7c15;
        let public = matches!(f.url.value(), Some(Some(u)) if u.auth_type == "NONE");
        let has_policy = matches!(f.policy.value(), Some(Some(_)));
        let old = f
            .last_modified
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .is_some_and(|t| (now - t.with_timezone(&Utc)).num_days() > 400);
        let no_trigger =
            !triggered.contains(&f.arn) && !has_policy && f.url.value().is_none_or(Option::is_none);
        let idle = !public && ((old && no_trigger) || h.is_multiple_of(13));
        // Some idle functions with versions are still kept warm: paid for, invoked or not.
        f.provisioned_concurrency = Detail::collected(
            if idle && !f.versions.is_empty() && (h >> 7).is_multiple_of(3) {
                vec![ProvisionedConcurrency {
                    qualifier: "live".into(),
                    allocated: 5,
                    requested: 5,
                    status: Some("READY".into()),
                }]
            } else {
                Vec::new()
            },
        );
        f.logs = Detail::collected(log_group(f, h, idle));
        f.alarms = Detail::collected(alarms(f, h, public));
        f.activity = Detail::collected(if idle {
            quiet(&window)
        } else {
            busy(f, h, &window)
        });
    }
}

fn log_group(f: &Function, h: u64, idle: bool) -> Option<LogGroup> {
    // Lambda makes the group on the first invocation: some idle functions never ran.
    if idle && h.is_multiple_of(2) {
        return None;
    }
    Some(LogGroup {
        name: f.log_group_name(),
        retention_days: match (h >> 5) % 10 {
            0..=5 => None,
            6 | 7 => Some(30),
            8 => Some(14),
            _ => Some(365),
        },
        kms_key_id: h.is_multiple_of(11).then(|| {
            format!(
                "arn:aws:kms:{}:{}:key/demo-logs",
                f.region,
                account_of(&f.arn)
            )
        }),
        stored_bytes: Some(((h >> 12) % 4_000_000_000) as i64),
    })
}

fn account_of(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or_default()
}

fn alarms(f: &Function, h: u64, public: bool) -> Vec<Alarm> {
    let team = f
        .tags
        .value()
        .and_then(|t| t.get("team").cloned())
        .unwrap_or_default();
    // The teams that watch theirs; nobody put an alarm on the public URLs.
    if public || !["payments", "orders", "identity"].contains(&team.as_str()) || h.is_multiple_of(3)
    {
        return Vec::new();
    }
    let mut out = vec![Alarm {
        name: format!("{}-errors", f.name),
        metric: "Errors".into(),
        state: Some("OK".into()),
        notifies: true,
    }];
    if h.is_multiple_of(2) {
        out.push(Alarm {
            name: format!("{}-throttles", f.name),
            metric: "Throttles".into(),
            state: Some("OK".into()),
            notifies: true,
        });
    }
    out
}

/// Not invoked once in the window: CloudWatch has no datapoint at all.
fn quiet(window: &MetricsWindow) -> Activity {
    Activity::of_series(window.start_date(), window.days, Default::default())
}

fn busy(f: &Function, h: u64, window: &MetricsWindow) -> Activity {
    let base = [5.0, 40.0, 300.0, 2_500.0, 20_000.0][(h % 5) as usize];
    let timeout_ms = f64::from(f.timeout_seconds) * 1000.0;
    let avg =
        [35.0_f64, 120.0, 310.0, 900.0, 2_400.0][((h >> 3) % 5) as usize].min(timeout_ms * 0.6);
    let reserved = f.reserved_concurrency.value().copied().flatten();
    let throttled = reserved.is_some_and(|r| r <= 10) && base >= 300.0;
    let failing = h.is_multiple_of(23) && base >= 40.0;
    // One in seventeen stopped being called some weeks ago (a migration, a client retired).
    let last_day = if h.is_multiple_of(17) {
        55 + ((h >> 9) % 25) as u16
    } else {
        window.days
    };
    let mut days: [Vec<(u16, f64)>; 7] = Default::default();
    for d in 0..window.days.min(last_day) {
        // Weekly rhythm and a drift, the same on every machine.
        let wave = 0.6 + (((h >> (d % 48)) & 7) as f64) / 10.0;
        let weekend = if d % 7 >= 5 { 0.4 } else { 1.0 };
        let calls = (base * wave * weekend).round().max(1.0);
        let error_share = if failing && d % 7 == 3 { 0.18 } else { 0.002 };
        let throttles = if throttled && d % 9 == 4 {
            (calls * 0.15).round()
        } else {
            0.0
        };
        let day_avg = avg * (0.8 + wave / 5.0);
        let peak = (calls * day_avg / 86_400_000.0 * 20.0).ceil().max(1.0);
        let values = [
            calls,
            (calls * error_share).floor(),
            throttles,
            (calls * day_avg).round(),
            (day_avg * 3.0).min(timeout_ms).round(),
            (day_avg * 2.2).min(timeout_ms).round(),
            reserved.map_or(peak, |r| peak.min(f64::from(r))),
        ];
        for (series, v) in days.iter_mut().zip(values) {
            series.push((d, v));
        }
    }
    Activity::of_series(window.start_date(), window.days, days.map(Series::from))
}

/// What Access Advisor reports for an administrator role: a dozen of the services `*` grants.
const EVERYTHING: &[&str] = &[
    "cloudformation",
    "dynamodb",
    "ec2",
    "iam",
    "kms",
    "lambda",
    "logs",
    "s3",
    "secretsmanager",
    "sns",
    "sqs",
    "sts",
];

/// Gives every execution role its Access Advisor report, as `scan --access-advisor` would: the
/// services its policies grant, logs always used, the rest by a draw on the role's name; the
/// migration's S3 and KMS grants and an administrator's IAM and STS never used.
fn advise(inv: &mut Inventory, now: DateTime<Utc>) {
    let used_roles: std::collections::BTreeSet<String> =
        inv.functions.iter().map(|f| f.role_arn.clone()).collect();
    let last_week = (now - chrono::Duration::days(6)).to_rfc3339();
    for r in inv.roles.iter_mut().filter(|r| used_roles.contains(&r.arn)) {
        let mut granted = std::collections::BTreeSet::new();
        let documents = r.policy_documents().filter_map(|(_, doc)| doc);
        for doc in documents {
            let v = doc.value();
            for a in statements::of(&v)
                .into_iter()
                .flat_map(statements::allowed_actions)
            {
                match a.split_once(':') {
                    Some((ns, _)) => {
                        granted.insert(ns.to_ascii_lowercase());
                    }
                    None if a == "*" => granted.extend(EVERYTHING.iter().map(|s| s.to_string())),
                    None => {}
                }
            }
        }
        let migration = r.inline_policies.iter().any(|p| p.name == "migration-2024");
        let services = granted
            .into_iter()
            .map(|ns| {
                let h = fnv(&format!("{}:{ns}", r.name));
                let used = match ns.as_str() {
                    "logs" => true,
                    "s3" | "kms" if migration => false,
                    "iam" | "sts" | "organizations" | "cloudformation" | "ec2" => false,
                    _ => !h.is_multiple_of(3),
                };
                let actions = if ns == "s3" && used {
                    vec![
                        ActionAccess {
                            name: "GetObject".into(),
                            last_accessed: Some(last_week.clone()),
                        },
                        ActionAccess {
                            name: "DeleteObject".into(),
                            last_accessed: None,
                        },
                    ]
                } else {
                    Vec::new()
                };
                ServiceAccess {
                    name: ns.to_uppercase(),
                    last_authenticated: used.then(|| last_week.clone()),
                    namespace: ns,
                    actions,
                }
            })
            .collect();
        r.access_advisor = Detail::collected(AccessAdvisor {
            completed: Some(now.to_rfc3339()),
            services,
        });
    }
}
