//! The secret screen: rotation, who may read it, findings.

use super::B;
use crate::assess::Finding;
use crate::snapshot::Snapshot;
use crate::tui::marks::Marks;
use crate::tui::screen::Screen;

pub(super) fn build(snap: &Snapshot, marks: &Marks, arn: &str, b: &mut B) -> String {
    let a = &snap.assessment;
    let Some(s) = snap.inventory.secrets.iter().find(|s| s.arn == arn) else {
        return super::not_here(snap, "secret", arn, b);
    };
    let t = b.t;
    b.kv("arn", s.arn.clone());
    b.kv("region", s.region.clone());
    b.kv(
        "rotation",
        if s.rotation_enabled {
            format!("on, every {} days", s.rotation_every_days.unwrap_or(0))
        } else {
            "off".into()
        },
    );
    b.kv(
        "last rotated",
        s.last_rotated.clone().unwrap_or_else(|| "never".into()),
    );
    b.kv(
        "last read",
        s.last_accessed.clone().unwrap_or_else(|| "never".into()),
    );
    b.kv(
        "key",
        s.kms_key_id
            .clone()
            .unwrap_or_else(|| "aws/secretsmanager (AWS-managed)".into()),
    );
    b.kv(
        "tags",
        if s.tags.is_empty() {
            "none".into()
        } else {
            s.tags
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        },
    );
    let report = a.secrets.iter().find(|r| r.arn == s.arn);
    match report {
        Some(r) => b.heading(format!(
            "Functions that can read it ({})",
            r.reader_count(a)
        )),
        None => b.heading("Functions that can read it"),
    }
    if let Some(r) = report {
        // One line per function, however many ways it can read it; those that can read every
        // secret say so.
        let local = r.local_readers(a);
        let every = local.len().saturating_sub(r.wildcard_readers);
        for (i, f) in local.into_iter().enumerate() {
            let how = if i >= every {
                " (reads every secret: GetSecretValue on *)"
            } else {
                ""
            };
            match snap.inventory.functions.iter().find(|x| x.arn == f) {
                Some(x) => b.link(
                    2,
                    "- ",
                    format!("{}{how}", x.name),
                    Screen::Function(f.to_string()),
                ),
                None => b.text(2, format!("- {f}{how}"), t.text),
            }
        }
        // Functions of other accounts: each opens in its own account (Esc comes back here).
        let foreign = r.all_foreign(&a.foreign_readers_of_every_secret);
        let more = r.foreign_count(&a.foreign_readers_of_every_secret) - foreign.len();
        for x in foreign {
            let name = x.function.rsplit(':').next().unwrap_or(&x.function);
            b.link(
                2,
                "- ",
                format!(
                    "{name} ({})",
                    x.account_name.as_deref().unwrap_or(&x.account)
                ),
                Screen::Function(x.function.clone()),
            );
            b.text(6, x.how.clone(), t.muted);
        }
        if more > 0 {
            b.text(
                2,
                format!(
                    "and {} of other accounts (the first {} of each way are listed)",
                    crate::model::counted(more, "more function", "more functions"),
                    crate::assess::FOREIGN_READERS_KEPT
                ),
                t.muted,
            );
        }
        if r.reader_count(a) == 0 {
            b.text(2, "none", t.muted);
        }
        if !r.admitted.is_empty() {
            b.heading("Its resource policy admits");
            for p in &r.admitted {
                b.text(2, b.principal(p), t.text);
            }
        }
    }
    let findings: Vec<(usize, &Finding)> = a.findings_for(&s.arn).collect();
    b.findings(&findings, marks);
    format!("secret {}", s.name)
}
