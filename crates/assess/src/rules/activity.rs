//! What functions do, not how they are set up: logs, alarms, and (with `scan --metrics`) their
//! daily invocations, errors, throttles and durations.
//!
//! A detail read on request and not requested (metrics without `--metrics`, anything a snapshot
//! of an older sprawl lacks) is `Skipped`: these rules then say nothing, and the views say the
//! data was not collected and how to collect it. A read that failed is not assessed, never a pass.

use super::{Check, Hit, Outcome, Owasp, Points, Rule, ScorePart, Tally, age_days, hit, when};
use crate::activity::date_of;
use crate::reach::{Context, FunctionFacts};
use crate::report::Severity;
use crate::roles::RoleFacts;
use sprawl_model::{Activity, Detail, Function, Role, Series, WATCHED_METRICS};

pub const RULES: &[&Rule] = &[
    &NO_LOG_GROUP,
    &LOGS_NEVER_EXPIRE,
    &LOGS_NO_CMK,
    &PUBLIC_NO_ALARM,
    &IDLE,
    &TIMEOUT_OVER_DURATION,
    &ERROR_RATE,
    &THROTTLED,
    &UNUSED_SERVICES,
];

/// The detail, `None` when it was not requested (skipped), or why it is missing when its read
/// failed.
fn read<'a, T>(d: &'a Detail<T>, what: &str) -> Result<Option<&'a T>, String> {
    match d {
        Detail::Collected { value } => Ok(Some(value)),
        Detail::Skipped { .. } => Ok(None),
        Detail::Failed { .. } => d.require(what).map(Some),
    }
}

/// The function's public ways in, described.
fn public_ways_in(facts: &FunctionFacts) -> Vec<String> {
    facts
        .entry_points
        .iter()
        .filter(|e| e.is_public())
        .map(|e| e.describe())
        .collect()
}

pub const NO_LOG_GROUP: Rule = Rule {
    id: "lambda-no-log-group",
    title: "Function has no log group",
    severity: Severity::Low,
    owasp: Owasp::InadequateLogging,
    security_hub: None,
    peers: &[],
    why: "Nothing the function does is kept: an attack through it leaves no trace. Lambda makes the group on the first invocation that can write to it, so a missing group means the function never ran, or its role cannot write logs.",
    fix: "Create the log group (with a retention and, for sensitive functions, a KMS key) and grant the role logs:CreateLogStream and logs:PutLogEvents on it.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: Some(Tally::NoLogGroup),
    check: Check::Function(no_log_group),
};

fn no_log_group(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    let Some(logs) = read(&f.logs, "log group")? else {
        return Ok(Vec::new());
    };
    let invoked = f
        .activity
        .value()
        .map(Activity::invocation_count)
        .filter(|n| *n > 0.0);
    when(logs.is_none(), || {
        let h = hit(format!("no log group {}", f.log_group_name()))
            .ev("logs", format!("{}: none", f.log_group_name()));
        match invoked {
            // It runs, and nothing is kept: the role cannot write its logs.
            Some(n) => h.severity(Severity::Medium).ev(
                "activity.invocations",
                format!("{n:.0} in the window, none logged"),
            ),
            None => h,
        }
    })
}

pub const LOGS_NEVER_EXPIRE: Rule = Rule {
    id: "lambda-logs-never-expire",
    title: "Function logs never expire",
    severity: Severity::Low,
    owasp: Owasp::InadequateLogging,
    security_hub: None,
    peers: &["Security Hub CloudWatch.16"],
    why: "Logs keep whatever the function printed (request bodies, tokens, personal data) for ever, and are billed for ever; a retention is the data-retention policy applied.",
    fix: "Set a retention on the log group that matches your data-retention policy (e.g. 30 to 365 days).",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(logs_never_expire),
};

fn logs_never_expire(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    let Some(Some(group)) = read(&f.logs, "log group")? else {
        return Ok(Vec::new());
    };
    when(group.retention_days.is_none(), || {
        hit(format!("log group {} keeps its logs for ever", group.name))
            .ev("logs.retention_days", "never expire")
    })
}

pub const LOGS_NO_CMK: Rule = Rule {
    id: "lambda-logs-no-cmk",
    title: "Logs of a function that reads secrets are not under a customer-managed key",
    severity: Severity::Low,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &["prowler cloudwatch_log_group_kms_encryption_enabled"],
    why: "A function that reads secrets can print them (a debug line, an exception with the connection string). Under a key of your own, reading those logs needs kms:Decrypt too, and the key's policy and CloudTrail say who did.",
    fix: "Associate a customer-managed KMS key with the log group (logs:AssociateKmsKey) and keep kms:Decrypt on it to the people who debug the function.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(logs_no_cmk),
};

fn logs_no_cmk(_: &Context, f: &Function, facts: &FunctionFacts) -> Outcome {
    let Some(Some(group)) = read(&f.logs, "log group")? else {
        return Ok(Vec::new());
    };
    let reads = facts.readable_secrets.len();
    let every = facts.reads_every_secret.is_some();
    when(group.kms_key_id.is_none() && (reads > 0 || every), || {
        let what = if every {
            "every secret".to_string()
        } else {
            format!("{reads} secret(s)")
        };
        hit(format!(
            "the function reads {what}; its logs are under CloudWatch's own key"
        ))
        .ev("logs.kms_key_id", "none")
        .ev("reads", what)
    })
}

pub const PUBLIC_NO_ALARM: Rule = Rule {
    id: "lambda-public-no-alarm",
    title: "Publicly invocable function has no alarm",
    severity: Severity::Medium,
    owasp: Owasp::InadequateLogging,
    security_hub: None,
    peers: &[],
    why: "Anyone can call it, and nobody is told when they do: a flood of calls, a burst of errors from someone probing it, or throttling that takes it down goes unnoticed until the bill.",
    fix: "Alarm on its Errors and Throttles (and on Invocations well above normal) with an action that reaches whoever owns it.",
    score: ScorePart::Hygiene {
        points: Points::flat(2),
        in_chain: false,
    },
    overview: Some(Tally::PublicNoAlarm),
    check: Check::Function(public_no_alarm),
};

fn public_no_alarm(_: &Context, f: &Function, facts: &FunctionFacts) -> Outcome {
    let ways = public_ways_in(facts);
    if ways.is_empty() {
        return Ok(Vec::new());
    }
    let Some(alarms) = read(&f.alarms, "alarms")? else {
        return Ok(Vec::new());
    };
    let watching: Vec<_> = alarms
        .iter()
        .filter(|a| WATCHED_METRICS.contains(&a.metric.as_str()))
        .collect();
    when(!watching.iter().any(|a| a.notifies), || {
        let alarms = if watching.is_empty() {
            "none on Errors, Throttles, Invocations or ConcurrentExecutions".to_string()
        } else {
            format!(
                "{} (notifying nobody)",
                watching
                    .iter()
                    .map(|a| a.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        hit(format!("public ({}), and no alarm tells anyone", ways[0]))
            .ev("entry_points", ways.join("; "))
            .ev("alarms", alarms)
    })
}

pub const IDLE: Rule = Rule {
    id: "lambda-idle",
    title: "Idle function: not invoked in the metrics window",
    severity: Severity::Low,
    owasp: Owasp::InsecureConfiguration,
    security_hub: None,
    peers: &[],
    why: "CloudWatch recorded no invocation in the whole window: the function does no work, yet keeps its role, its secrets, its runtime and any way in. This is the evidence that \"no trigger\" only guesses at.",
    fix: "Confirm with its owner, then delete it with its role, log group and triggers; until then, remove its ways in.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: Some(Tally::FunctionIdle),
    check: Check::Function(idle),
};

fn idle(ctx: &Context, f: &Function, facts: &FunctionFacts) -> Outcome {
    let Some(a) = read(&f.activity, "metrics")? else {
        return Ok(Vec::new());
    };
    let age = age_days(ctx, f.last_modified.as_deref());
    // A function changed within the window may simply be new.
    when(crate::activity::is_idle(f, ctx.now) == Some(true), || {
        let ways = public_ways_in(facts);
        let mut h = hit(format!(
            "not invoked in {} days (since {}), last changed {} days ago",
            a.days,
            a.start,
            age.unwrap_or_default()
        ))
        .ev(
            "activity.invocations",
            format!("no datapoint in {} days", a.days),
        )
        .ev("last_modified", f.last_modified.clone().unwrap_or_default())
        .ev("role_arn", f.role_arn.clone());
        // Kept warm for nothing: the money an idle function still spends.
        let warm: Vec<String> = f
            .provisioned_concurrency
            .value()
            .into_iter()
            .flatten()
            .filter(|p| p.allocated > 0)
            .map(|p| format!("{} on {}", p.allocated, p.qualifier))
            .collect();
        let paying = !warm.is_empty();
        if paying {
            h = h.ev(
                "provisioned_concurrency",
                format!(
                    "{}: about {} a month, invoked or not",
                    warm.join(", "),
                    crate::cost::dollars(crate::cost::provisioned_monthly(f))
                ),
            );
        } else if let Some(why) = crate::cost::provisioned_unread(f) {
            // Not read is not none: what it may still pay for is unknown.
            h = h.ev("provisioned_concurrency", why);
        }
        if !facts.entry_points.is_empty() {
            h = h.ev(
                "entry_points",
                facts
                    .entry_points
                    .iter()
                    .map(|e| e.describe())
                    .collect::<Vec<_>>()
                    .join("; "),
            );
        }
        // Idle and open to anyone (surface with no use), or idle and paid for.
        if ways.is_empty() && !paying {
            h
        } else {
            h.severity(Severity::Medium)
        }
    })
}

/// A timeout this many times the longest run, and above a minute, is an abuse window.
const TIMEOUT_OVER_MAX: f64 = 10.0;
const TIMEOUT_WORTH_SECONDS: i32 = 60;

pub const TIMEOUT_OVER_DURATION: Rule = Rule {
    id: "lambda-timeout-over-duration",
    title: "Timeout far above the longest observed run",
    severity: Severity::Low,
    owasp: Owasp::DenialOfService,
    security_hub: None,
    peers: &[],
    why: "A call that hangs (a slow dependency, an input crafted to loop) runs and bills until the timeout and holds concurrency the whole time; a timeout ten times the longest real run only widens that window.",
    fix: "Set the timeout a little above the longest observed run (the evidence names one).",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(timeout_over_duration),
};

/// A timeout that covers the longest observed run three times over, in whole seconds (at least 3).
pub fn suggested_timeout(max_ms: f64) -> i32 {
    ((max_ms * 3.0 / 1000.0).ceil() as i32).max(3)
}

fn timeout_over_duration(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    let Some(a) = read(&f.activity, "metrics")? else {
        return Ok(Vec::new());
    };
    let Some(max_ms) = a.duration_max_ms.max().filter(|m| *m > 0.0) else {
        return Ok(Vec::new());
    };
    let timeout_ms = f64::from(f.timeout_seconds) * 1000.0;
    when(
        f.timeout_seconds > TIMEOUT_WORTH_SECONDS && timeout_ms > TIMEOUT_OVER_MAX * max_ms,
        || {
            let mut h = hit(format!(
                "timeout {} s; the longest run in {} days took {}",
                f.timeout_seconds,
                a.days,
                millis(max_ms)
            ))
            .ev("timeout_seconds", f.timeout_seconds.to_string())
            .ev("activity.duration_max_ms", format!("{max_ms:.0}"));
            if let Some(p99) = a.duration_p99_ms.value().and_then(Series::max) {
                h = h.ev("activity.duration_p99_ms", format!("{p99:.0}"));
            }
            h.ev(
                "suggested_timeout_seconds",
                suggested_timeout(max_ms).to_string(),
            )
        },
    )
}

fn millis(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

/// Trusted Advisor's bar: more than 10 % of a day's invocations failed, on any day.
const FAILING_SHARE: f64 = 0.10;
/// Fewer calls than this in a day are too few to judge a share of.
const FEWEST_TO_JUDGE: f64 = 10.0;

pub const ERROR_RATE: Rule = Rule {
    id: "lambda-error-rate-high",
    title: "More than 10% of a day's invocations failed",
    severity: Severity::Medium,
    owasp: Owasp::EventInjection,
    security_hub: None,
    peers: &["Trusted Advisor: AWS Lambda functions with high error rates"],
    why: "A function that fails often is failing on its input: a bug, or someone probing it with inputs it was not written for. Either way errors are retried (and billed), and a failing asynchronous call without a destination is lost.",
    fix: "Read the failing days' logs, fix or reject the inputs that fail, and alarm on Errors.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(error_rate),
};

fn error_rate(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    let Some(a) = read(&f.activity, "metrics")? else {
        return Ok(Vec::new());
    };
    let days = a.error_days(FAILING_SHARE, FEWEST_TO_JUDGE);
    Ok(
        worst_day(a, &days, "of invocations failed", "activity.errors")
            .into_iter()
            .collect(),
    )
}

/// The hit for the worst of `days` (`(day, base, part)` above the bar): the share `what` on
/// that date, with the count of days above it.
fn worst_day(a: &Activity, days: &[(u16, f64, f64)], what: &str, path: &str) -> Option<Hit> {
    let (d, base, part) = worst(days)?;
    Some(
        hit(format!(
            "{:.0}% {what} on {} ({} day(s) above 10%)",
            part / base * 100.0,
            date_of(a, d),
            days.len()
        ))
        .ev(path, format!("{part:.0} of {base:.0} on {}", date_of(a, d)))
        .ev("days_above_10_percent", days.len().to_string()),
    )
}

/// The day with the largest share.
fn worst(days: &[(u16, f64, f64)]) -> Option<(u16, f64, f64)> {
    days.iter()
        .copied()
        .max_by(|a, b| (a.2 / a.1).total_cmp(&(b.2 / b.1)))
}

pub const THROTTLED: Rule = Rule {
    id: "lambda-throttled",
    title: "More than 10% of a day's calls were throttled",
    severity: Severity::Medium,
    owasp: Owasp::DenialOfService,
    security_hub: None,
    peers: &[],
    why: "Throttled calls are refused: the function is at its reserved concurrency or the region's limit. A flood (or a neighbour using the account's concurrency) already denied it service.",
    fix: "Find what drove the calls; raise the reserved concurrency if the traffic is real, or put a queue or a rate limit in front if it is not.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(throttled),
};

fn throttled(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    let Some(a) = read(&f.activity, "metrics")? else {
        return Ok(Vec::new());
    };
    let days = a.throttle_days(FAILING_SHARE, FEWEST_TO_JUDGE);
    Ok(
        worst_day(a, &days, "of calls were throttled", "activity.throttles")
            .map(|h| match f.reserved_concurrency.value() {
                Some(Some(r)) => h.ev("reserved_concurrency", r.to_string()),
                _ => h,
            })
            .into_iter()
            .collect(),
    )
}

/// Services whose grant is privilege, not only data: unused, they raise the finding to medium.
const PRIVILEGE_SERVICES: &[&str] = &[
    "iam",
    "sts",
    "kms",
    "secretsmanager",
    "lambda",
    "organizations",
    "ssm",
];

pub const UNUSED_SERVICES: Rule = Rule {
    id: "iam-role-unused-services",
    title: "Execution role is granted services it never used",
    severity: Severity::Low,
    owasp: Owasp::OverPrivileged,
    security_hub: None,
    peers: &["IAM Access Analyzer unused access (paid per role)"],
    why: "IAM Access Advisor saw the role never call these services in its tracking period, yet its policies grant them: code that runs as the function (a dependency, an injected payload) gets them for nothing.",
    fix: "Replace the role's policies with the least-privilege one `sprawl least-privilege SNAPSHOT ROLE` prints (the unused services and tracked actions dropped).",
    score: ScorePart::None,
    overview: None,
    check: Check::Role(unused_services),
};

fn unused_services(_: &Context, r: &Role, _: &RoleFacts) -> Outcome {
    let Some(report) = read(&r.access_advisor, "Access Advisor report")? else {
        return Ok(Vec::new());
    };
    let unused: Vec<&str> = report.unused().map(|s| s.namespace.as_str()).collect();
    when(!unused.is_empty(), || {
        let used: Vec<String> = report
            .services
            .iter()
            .filter_map(|s| {
                let when = s.last_authenticated.as_deref()?;
                Some(format!(
                    "{} ({})",
                    s.namespace,
                    when.get(..10).unwrap_or(when)
                ))
            })
            .collect();
        let h = hit(format!(
            "{} of {} granted services never used: {}",
            unused.len(),
            report.services.len(),
            unused.join(", ")
        ))
        .ev("access_advisor.unused", unused.join(", "))
        .ev(
            "access_advisor.used",
            if used.is_empty() {
                "none".to_string()
            } else {
                used.join(", ")
            },
        );
        if unused.iter().any(|ns| PRIVILEGE_SERVICES.contains(ns)) {
            h.severity(Severity::Medium)
        } else {
            h
        }
    })
}
