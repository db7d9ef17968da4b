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
    b.heading("Functions that can read it");
    if let Some(r) = report {
        if r.wildcard_readers > 0 {
            b.text(
                2,
                format!(
                    "{} functions whose roles may read every secret",
                    r.wildcard_readers
                ),
                t.high,
            );
        }
        for f in &r.readers {
            if let Some(x) = snap.inventory.functions.iter().find(|x| &x.arn == f) {
                b.link(2, "- ", x.name.clone(), Screen::Function(f.clone()));
            }
        }
        if r.readers.is_empty() && r.wildcard_readers == 0 {
            b.text(2, "none", t.muted);
        }
        if !r.admitted.is_empty() {
            b.heading("Its resource policy admits");
            for p in &r.admitted {
                b.text(2, p.describe(), t.text);
            }
        }
    }
    let findings: Vec<(usize, &Finding)> = a.findings_for(&s.arn).collect();
    b.findings(&findings, marks);
    format!("secret {}", s.name)
}
