//! The role screen: trust, privileges, the functions that use it, findings.

use ratatui::text::{Line, Span};

use super::{B, privileges};
use crate::assess::Finding;
use crate::snapshot::Snapshot;
use crate::tui::marks::Marks;
use crate::tui::rows::short;
use crate::tui::screen::Screen;

pub(super) fn build(snap: &Snapshot, marks: &Marks, arn: &str, b: &mut B) -> String {
    let a = &snap.assessment;
    let t = b.t;
    let name = short(arn).to_string();
    let Some(role) = snap.inventory.roles.iter().find(|r| r.arn == arn) else {
        b.text(
            0,
            "This role was not collected: what it may do is unknown (see the scan's IAM coverage).",
            t.error,
        );
        return format!("role {name}");
    };
    b.kv("arn", arn.to_string());
    b.kv(
        "created",
        role.created.clone().unwrap_or_else(|| "-".into()),
    );
    b.kv(
        "last used",
        role.last_used
            .as_ref()
            .and_then(|l| l.date.clone())
            .unwrap_or_else(|| "never".into()),
    );
    b.kv(
        "tags",
        if role.tags.is_empty() {
            "none".into()
        } else {
            role.tags
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        },
    );
    let report = a.roles.iter().find(|r| r.arn == arn);
    b.heading("Blast radius: functions that run as this role");
    let users: Vec<&crate::model::Function> = snap
        .inventory
        .functions
        .iter()
        .filter(|f| f.role_arn == arn)
        .collect();
    if users.is_empty() {
        b.text(2, "none", t.muted);
    }
    for f in users {
        let score = a
            .functions
            .iter()
            .find(|r| r.arn == f.arn)
            .map_or(0, |r| r.score.total);
        b.link(
            2,
            &format!("{score:>3}  "),
            f.name.clone(),
            Screen::Function(f.arn.clone()),
        );
    }
    if let Some(r) = report.filter(|r| !r.from_other_accounts.is_empty()) {
        b.heading(format!(
            "Blast radius across accounts: {} function{} of other accounts may become it",
            r.from_other_accounts_total,
            if r.from_other_accounts_total == 1 {
                ""
            } else {
                "s"
            }
        ));
        for arn in &r.from_other_accounts {
            // Each opens the function in its own account (Esc comes back here).
            let account = b.account(crate::iam::principals::account_of(arn).unwrap_or("?"));
            b.link(
                2,
                "",
                format!("{} ({account})", short(arn)),
                Screen::Function(arn.clone()),
            );
        }
        let more = r
            .from_other_accounts_total
            .saturating_sub(r.from_other_accounts.len());
        if more > 0 {
            b.text(2, format!("and {more} more"), t.muted);
        }
    }
    b.heading("Trusted by");
    let trusted = report.map_or(&[][..], |r| b.deferred(&r.trusted, "trust policy"));
    for adm in trusted {
        b.text(
            2,
            format!("{} ({})", b.principal(&adm.principal), adm.at),
            t.text,
        );
    }
    b.heading("Privileges");
    if let Some(r) = report {
        privileges(r, b);
    }
    if let Some(role) = snap.inventory.roles.iter().find(|r| r.arn == arn) {
        access_advisor(role, b);
    }
    let findings: Vec<(usize, &Finding)> = a.findings_for(arn).collect();
    b.findings(&findings, marks);
    format!("role {name}")
}

/// What IAM Access Advisor saw the role use, and the least-privilege policy that follows: the
/// services and tracked actions it would drop (`sprawl least-privilege` prints it whole).
fn access_advisor(role: &crate::model::Role, b: &mut B) {
    use crate::model::Detail;
    let t = b.t;
    b.heading("Access Advisor: services granted and used");
    let report = match &role.access_advisor {
        Detail::Collected { value } => value,
        Detail::Skipped { reason } => {
            b.text(2, format!("not collected: {reason}"), t.muted);
            return;
        }
        Detail::Failed { kind, message } => {
            b.text(2, format!("NOT ASSESSED ({kind}: {message})"), t.error);
            return;
        }
    };
    for s in &report.services {
        match &s.last_authenticated {
            Some(when) => b.kv(
                &s.namespace,
                format!("used {}", when.get(..10).unwrap_or(when)),
            ),
            None => b.push(
                Line::from(vec![
                    Span::styled(format!("  {:<20}", format!("{} ", s.namespace)), t.medium),
                    Span::styled("never used in the tracking period", t.medium),
                ]),
                None,
            ),
        }
    }
    if let Ok(s) = crate::assess::least_privilege::suggest(role) {
        b.heading("Least privilege");
        if s.dropped_services.is_empty() && s.dropped_actions.is_empty() {
            b.text(2, "every service granted was used: nothing to drop", t.ok);
        } else {
            b.kv("drop services", s.dropped_services.join(", "));
            if !s.dropped_actions.is_empty() {
                b.kv("drop actions", s.dropped_actions.join(", "));
            }
            let mut kept: Vec<&str> = crate::model::statements::of(&s.policy)
                .into_iter()
                .flat_map(crate::model::statements::allowed_actions)
                .collect();
            // One action granted by several statements is kept once.
            let mut seen = std::collections::HashSet::new();
            kept.retain(|a| seen.insert(*a));
            b.kv("keep", kept.join(" "));
            b.text(
                2,
                format!(
                    "sprawl least-privilege SNAPSHOT {} prints the policy",
                    role.name
                ),
                t.muted,
            );
        }
    }
}
