//! The function screen: configuration, entry points, role, secrets it reads, environment,
//! published versions, findings.

use ratatui::text::{Line, Span};

use super::{B, detail_text, privileges};
use crate::assess::{EntryPoint, Finding};
use crate::snapshot::Snapshot;
use crate::tui::marks::Marks;
use crate::tui::rows::short;
use crate::tui::screen::Screen;
use crate::tui::theme::Theme;

pub(super) fn build(snap: &Snapshot, marks: &Marks, arn: &str, b: &mut B) -> String {
    let a = &snap.assessment;
    let Some(f) = snap.inventory.functions.iter().find(|f| f.arn == arn) else {
        return super::not_here(snap, "function", arn, b);
    };
    let report = a.functions.iter().find(|r| r.arn == f.arn);
    let t = b.t;
    if let Some(r) = report {
        b.push(
            Line::from(vec![
                Span::styled(
                    format!(
                        "Score {}{}",
                        r.score.total,
                        if r.score.partial { "+" } else { "" }
                    ),
                    t.header,
                ),
                Span::styled(
                    format!(
                        "  rank {} of {}  (exposure {}, privilege {}, data {}, hygiene {})",
                        r.rank,
                        a.functions.len(),
                        r.score.exposure,
                        r.score.privilege,
                        r.score.data,
                        r.score.hygiene
                    ),
                    t.muted,
                ),
            ]),
            None,
        );
        b.heading("Attack chain");
        let chain = b.deferred(&r.chain, "attack chain");
        for (n, hop) in chain.iter().enumerate() {
            // A role's hop opens the role, in its own account for a hop across accounts.
            let to = match &hop.role {
                Some(arn) => Some(Screen::Role(arn.clone())),
                None if hop.label.starts_with("role ") => Some(Screen::Role(f.role_arn.clone())),
                None => None,
            };
            let prefix = format!("  {}. ", n + 1);
            match to {
                Some(s) => b.link(0, &prefix, hop.label.clone(), s),
                None => b.text(0, format!("{prefix}{}", hop.label), t.text),
            }
            // The last hop's last lines are the secrets it reads (`Hop`), in order: each opens
            // its secret, in its own account for one of another.
            let secrets: &[crate::assess::SecretAccess] = if n + 1 == chain.len() {
                &r.readable_secrets
            } else {
                &[]
            };
            let plain = hop.evidence.len().saturating_sub(secrets.len());
            for (i, e) in hop.evidence.iter().enumerate() {
                match i.checked_sub(plain).and_then(|k| secrets.get(k)) {
                    Some(s) => b.link(7, "", e.clone(), Screen::Secret(s.secret.clone())),
                    None => b.text(7, e.clone(), t.muted),
                }
            }
        }
    }
    b.heading("Configuration");
    b.kv("arn", f.arn.clone());
    b.kv("region", f.region.clone());
    let runtime = f.runtime.clone().unwrap_or_else(|| f.package_type.clone());
    let life = f
        .runtime
        .as_deref()
        .and_then(crate::assess::runtimes::lifecycle)
        .and_then(|l| l.deprecated);
    b.kv(
        "runtime",
        match life {
            Some(d) => format!("{runtime} (deprecation {d})"),
            None => runtime,
        },
    );
    b.kv("handler", f.handler.clone().unwrap_or_else(|| "-".into()));
    b.kv(
        "memory / timeout",
        format!("{} MB / {} s", f.memory_mb, f.timeout_seconds),
    );
    let code = f.code_storage();
    b.kv(
        "code storage",
        match (f.versions.len(), code.unknown) {
            (0, _) => crate::tui::overview::size(code.bytes),
            (n, 0) => format!(
                "{} ({n} published version{} keep{} {})",
                crate::tui::overview::size(code.bytes),
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" },
                crate::tui::overview::size(code.in_versions)
            ),
            (n, unknown) => format!(
                "{} or more ({n} published versions, {unknown} of unknown size)",
                crate::tui::overview::size(code.bytes)
            ),
        },
    );
    b.kv(
        "last modified",
        f.last_modified.clone().unwrap_or_else(|| "-".into()),
    );
    b.kv(
        "tracing",
        f.tracing_mode.clone().unwrap_or_else(|| "-".into()),
    );
    b.kv(
        "reserved concurrency",
        detail_text(&f.reserved_concurrency, |v| {
            v.map_or("none (unbounded)".into(), |n| n.to_string())
        }),
    );
    b.kv(
        "vpc",
        f.vpc.as_ref().map_or("none".into(), |v| {
            format!(
                "{} ({})",
                v.vpc_id.clone().unwrap_or_default(),
                crate::model::counted(v.subnet_ids.len(), "subnet", "subnets")
            )
        }),
    );
    b.kv(
        "env encryption",
        f.kms_key_arn
            .clone()
            .unwrap_or_else(|| "AWS-managed key".into()),
    );
    b.kv(
        "code signing",
        detail_text(&f.code_signing_config, |v| {
            v.clone().unwrap_or_else(|| "none".into())
        }),
    );
    b.kv(
        "tags",
        detail_text(&f.tags, |tags| {
            if tags.is_empty() {
                "none".into()
            } else {
                tags.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        }),
    );
    for l in &f.layers {
        match crate::assess::layers::aws_publisher(l) {
            Some(product) => b.kv("layer", format!("{l} (AWS's: {product})")),
            None => b.kv("layer", l.clone()),
        }
    }
    // Each alias is a way in of its own (its URL and policy are under Entry points).
    for alias in f.aliases.value().into_iter().flatten() {
        b.kv(
            "alias",
            format!("{} -> version {}", alias.name, alias.function_version),
        );
    }

    activity(f, b, t);

    b.heading("Entry points");
    let entries = report
        .map(|r| r.entry_points.as_slice())
        .unwrap_or_default();
    if entries.is_empty() {
        b.text(2, "none found", t.muted);
    }
    // One line per distinct way in: two statements admitting the same principal (one per invoke
    // action) are one way in, counted.
    let mut shown: Vec<(String, usize)> = Vec::new();
    for e in entries {
        let label = e.describe();
        match shown.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => shown.push((label, 1)),
        }
    }
    for e in entries {
        let label = e.describe();
        let Some(at) = shown.iter().position(|(l, n)| *l == label && *n > 0) else {
            continue;
        };
        let times = std::mem::take(&mut shown[at].1);
        let label = if times > 1 {
            format!("{label} (×{times})")
        } else {
            label
        };
        let to = match e {
            EntryPoint::RestMethod { api_id, .. }
            | EntryPoint::HttpRoute { api_id, .. }
            | EntryPoint::Authorizer { api_id, .. } => snap
                .inventory
                .rest_apis
                .iter()
                .map(|x| (&x.id, &x.arn))
                .chain(snap.inventory.http_apis.iter().map(|x| (&x.id, &x.arn)))
                .find(|(id, _)| *id == api_id)
                .map(|(_, arn)| Screen::Api(arn.clone())),
            EntryPoint::Source { arn, .. } => {
                super::source::holds(&snap.inventory, arn).then(|| Screen::Source(arn.clone()))
            }
            _ => None,
        };
        match to {
            Some(s) => b.link(2, "- ", label, s),
            None => b.text(2, format!("- {label}"), t.text),
        }
    }

    b.heading("Role");
    b.link(
        2,
        "",
        short(&f.role_arn).to_string(),
        Screen::Role(f.role_arn.clone()),
    );
    if let Some(r) = a.roles.iter().find(|r| r.arn == f.role_arn) {
        privileges(r, b);
    } else {
        b.text(2, "not collected: its privileges are unknown", t.error);
    }

    b.heading("Readable secrets");
    let readable = report
        .map(|r| {
            (
                r.readable_secrets.as_slice(),
                r.reads_every_secret.is_some(),
            )
        })
        .unwrap_or_default();
    if readable.1 {
        b.text(
            2,
            format!(
                "every secret in the account ({}), through secretsmanager:GetSecretValue on *",
                snap.inventory.secrets.len()
            ),
            t.high,
        );
    }
    if readable.0.is_empty() && !readable.1 {
        b.text(2, "none", t.muted);
    }
    for s in readable.0 {
        if snap.inventory.secrets.iter().any(|x| x.arn == s.secret) {
            let how = if s.by_resource_policy {
                " (its resource policy)".to_string()
            } else {
                String::new()
            };
            b.link(
                2,
                "- ",
                format!("{}{how}", s.name),
                Screen::Secret(s.secret.clone()),
            );
        }
    }

    b.heading("Environment");
    if f.environment.is_empty() {
        b.text(2, "no variables", t.muted);
    }
    for v in &f.environment {
        let value = match &v.value.preview {
            Some(p) => format!("{} {p}", v.value.kind.words()),
            None => format!("{} (redacted)", v.value.describe_in_words()),
        };
        let style = if v.value.kind.is_secret() {
            t.high
        } else {
            t.text
        };
        b.push(
            Line::from(vec![
                Span::styled(format!("  {:<28}", v.name), style),
                Span::styled(value, t.muted),
            ]),
            None,
        );
    }
    published_versions(f, b, t);
    let findings: Vec<(usize, &Finding)> = a.findings_for(&f.arn).collect();
    b.findings(&findings, marks);
    format!("function {}", f.name)
}

/// Each published version and the secrets its environment still holds: a value removed from
/// `$LATEST` lives on in the versions published while it was there.
fn published_versions(f: &crate::model::Function, b: &mut B, t: &Theme) {
    if f.versions.is_empty() {
        return;
    }
    b.heading("Published versions");
    for v in &f.versions {
        let runtime = v.runtime.as_deref().unwrap_or("-");
        let (what, style) = match &v.environment {
            None => ("environment not read (older snapshot)".to_string(), t.muted),
            Some(env) => {
                let secrets: Vec<String> = env
                    .iter()
                    .filter(|x| x.value.kind.is_secret())
                    .map(|x| {
                        let gone = !f.environment.iter().any(|l| l.same_value(x));
                        format!("{}{}", x.name, if gone { " (not in $LATEST)" } else { "" })
                    })
                    .collect();
                if secrets.is_empty() {
                    (format!("{} variables, no secret", env.len()), t.text)
                } else {
                    (format!("secrets: {}", secrets.join(", ")), t.high)
                }
            }
        };
        b.push(
            Line::from(vec![
                Span::styled(format!("  version {:<8} {runtime:<12} ", v.version), t.text),
                Span::styled(what, style),
            ]),
            None,
        );
    }
}

/// Cells of a sparkline: at 80 columns it fits beside its key, two days a cell over 90 days.
const SPARK_CELLS: usize = 45;

/// What the function did: its daily metrics (with `scan --metrics`), logs and alarms. Data
/// that was not read says so and how to read it; a day with no datapoint is `·`, not zero.
fn activity(f: &crate::model::Function, b: &mut B, t: &Theme) {
    use crate::assess::activity::{last_invoked, sparkline};
    use crate::model::{Detail, Series};
    b.heading("Activity");
    match &f.activity {
        Detail::Collected { value: a } => {
            b.kv(
                "window",
                format!("{} days from {} (· = no data)", a.days, a.start),
            );
            b.kv(
                "last invoked",
                last_invoked(a).unwrap_or_else(|| format!("not in the {} days", a.days)),
            );
            let total = |s: &Series| s.total().map_or("no data".into(), |n| format!("{n:.0}"));
            b.kv(
                "invocations",
                format!(
                    "{} {}",
                    sparkline(&a.invocations, a.days, SPARK_CELLS),
                    total(&a.invocations)
                ),
            );
            let calls = a.invocation_count();
            let share = |s: &Series| match s.total() {
                Some(n) if calls > 0.0 => format!(" ({:.1}%)", n / calls * 100.0),
                _ => String::new(),
            };
            b.kv(
                "errors",
                format!(
                    "{} {}{}",
                    sparkline(&a.errors, a.days, SPARK_CELLS),
                    total(&a.errors),
                    share(&a.errors)
                ),
            );
            if a.throttles.total().is_some_and(|n| n > 0.0) {
                b.kv(
                    "throttles",
                    format!(
                        "{} {}",
                        sparkline(&a.throttles, a.days, SPARK_CELLS),
                        total(&a.throttles)
                    ),
                );
            }
            let p99 = match &a.duration_p99_ms {
                Detail::Collected { value } => value
                    .max()
                    .map_or("no data".into(), |v| format!("{v:.0} ms")),
                other => detail_text(other, |_| String::new()),
            };
            b.kv(
                "duration",
                match a.duration_max_ms.max() {
                    Some(max) => format!(
                        "longest {max:.0} ms, p99 {p99}; timeout {} s ({:.0}x the longest)",
                        f.timeout_seconds,
                        f64::from(f.timeout_seconds) * 1000.0 / max.max(1.0)
                    ),
                    None => format!("no data; timeout {} s", f.timeout_seconds),
                },
            );
            if let Some(c) = a.concurrency_max.max() {
                b.kv("peak concurrency", format!("{c:.0}"));
            }
            if let Some(cost) = crate::assess::cost::monthly(f) {
                b.kv(
                    "cost",
                    format!(
                        "about {} a month ({:.0} calls, {:.0} GB-s{})",
                        crate::assess::cost::dollars(cost.usd),
                        cost.invocations,
                        cost.gb_seconds,
                        if cost.provisioned_usd > 0.0 {
                            format!(
                                ", {} of it provisioned concurrency",
                                crate::assess::cost::dollars(cost.provisioned_usd)
                            )
                        } else {
                            String::new()
                        }
                    ),
                );
                if let Some(why) = crate::assess::cost::provisioned_unread(f) {
                    b.text(22, format!("NOT IN IT: {why}"), t.error);
                }
                b.text(22, crate::assess::cost::LEAVES_OUT, t.muted);
            }
        }
        Detail::Skipped { reason } => b.text(2, format!("not collected: {reason}"), t.muted),
        Detail::Failed { kind, message } => b.text(
            2,
            format!("metrics NOT ASSESSED ({kind}: {message})"),
            t.error,
        ),
    }
    b.kv(
        "log group",
        detail_text(&f.logs, |g| match g {
            None => format!("none ({} does not exist)", f.log_group_name()),
            Some(g) => format!(
                "{}, {}, {}",
                g.name,
                g.retention_days
                    .map_or("never expires".into(), |d| format!("kept {d} days")),
                if g.kms_key_id.is_some() {
                    "customer KMS key"
                } else {
                    "CloudWatch's key"
                }
            ),
        }),
    );
    b.kv(
        "alarms",
        detail_text(&f.alarms, |alarms| {
            if alarms.is_empty() {
                "none".into()
            } else {
                alarms
                    .iter()
                    .map(|a| {
                        format!(
                            "{} on {} ({}{})",
                            a.name,
                            a.metric,
                            a.state.as_deref().unwrap_or("?"),
                            if a.notifies { "" } else { ", notifies nobody" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        }),
    );
}
