//! `--format ocsf`: a JSON array of OCSF Detection Findings (class 2004, category 2, OCSF 1.3),
//! one per finding, shaped like the other scanners' OCSF output (Prowler's json-ocsf) so the
//! pipelines that read theirs read sprawl's: the rule id in `metadata.event_code`, mute state in
//! `status_id` (1 New, 3 Suppressed) with the reason in `status_detail`, the resource in
//! `resources[]`, the account and region in `cloud`. sprawl-specific facts (OWASP category,
//! evidence) are in `unmapped`.

use serde_json::{Value, json};

use super::{ExportError, Report, finding_id};
use crate::assess::Severity;

/// The OCSF schema version the events follow.
pub const OCSF_VERSION: &str = "1.3.0";
const CLASS_UID: u32 = 2004;
const CATEGORY_UID: u32 = 2;
/// Activity 1, Create: each export reports the findings of one scan afresh.
const ACTIVITY_ID: u32 = 1;

/// OCSF's severity ids: 1 Informational .. 5 Critical.
fn severity_id(s: Severity) -> u32 {
    match s {
        Severity::Info => 1,
        Severity::Low => 2,
        Severity::Medium => 3,
        Severity::High => 4,
        Severity::Critical => 5,
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Info => "Informational",
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
        Severity::Critical => "Critical",
    }
}

/// What every event of an export shares: its class and activity, its time (the scan's, so the
/// same snapshot exports to the same bytes), and sprawl's metadata with the event's code.
fn head(at: chrono::DateTime<chrono::Utc>, event_code: &str) -> Value {
    json!({
        "activity_id": ACTIVITY_ID,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Detection Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_ID,
        "type_name": "Detection Finding: Create",
        "time": at.timestamp_millis(),
        "time_dt": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "metadata": {
            "version": OCSF_VERSION,
            "event_code": event_code,
            "product": {
                "name": "sprawl",
                "vendor_name": "sprawl",
                "version": env!("CARGO_PKG_VERSION"),
            },
            "profiles": ["cloud"],
        },
    })
}

/// Adds `fields` (an object) to `event`.
fn with(event: &mut Value, fields: Value) {
    if let (Value::Object(e), Value::Object(f)) = (event, fields) {
        e.extend(f);
    }
}

pub fn render(r: &Report) -> Result<Vec<u8>, ExportError> {
    let s = r.snapshot;
    // OCSF times are milliseconds since the epoch. The scan's time, not the export's: the same
    // snapshot exports to the same bytes.
    let time = s.scanned_at.timestamp_millis();
    let mut events = Vec::with_capacity(r.assessment.findings.len());
    for (i, f) in r.assessment.findings.iter().enumerate() {
        let evidence = Report::evidence(f)?;
        let rule = crate::assess::rules::find(&f.rule);
        let mute = r.muting.of(i);
        let (status_id, status) = if mute.is_some() {
            (3, "Suppressed")
        } else {
            (1, "New")
        };
        let mut event = head(s.scanned_at, &f.rule);
        with(
            &mut event,
            json!({
            "severity_id": severity_id(f.severity),
            "severity": severity_name(f.severity),
            "status_id": status_id,
            "status": status,
            "status_code": "FAIL",
            "message": f.message,
            "finding_info": {
                "uid": format!("sprawl-{}-{}", s.account.id, finding_id(f, evidence)),
                "title": f.title,
                "desc": f.message,
                "types": [rule.map_or("", |r| r.owasp.title())],
                "created_time": time,
            },
            "cloud": {
                "provider": "AWS",
                "region": f.region,
                "account": { "uid": s.account.id, "type": "AWS Account", "type_id": 10 },
            },
            "resources": [{
                "uid": f.resource,
                "name": crate::model::short_name(&f.resource),
                "type": f.kind.label(),
                "region": f.region,
                "cloud_partition": s.account.partition,
            }],
            "unmapped": {
                "owasp": rule.map_or("", |r| r.owasp.code()),
                "evidence": evidence,
            },
            }),
        );
        if let Some(name) = r.account_name {
            event["cloud"]["account"]["name"] = Value::from(name);
        }
        if let Some(rule) = rule {
            event["remediation"] = json!({ "desc": rule.fix });
            event["risk_details"] = Value::from(rule.why);
        }
        if let Some(m) = mute {
            event["status_detail"] = Value::from(format!(
                "muted until {} ({}): {}",
                m.expires.format("%Y-%m-%d"),
                m.target.describe(),
                m.reason
            ));
        }
        events.push(event);
    }
    let mut out = serde_json::to_vec_pretty(&events).expect("events serialize");
    out.push(b'\n');
    Ok(out)
}

/// The event that says an account of an organization was not scanned: its findings are unknown,
/// never none. A Detection Finding of unknown severity (0) whose status code is `ERROR` and
/// whose event code, `sprawl-account-not-scanned`, is no rule's.
pub fn not_scanned_event(
    account: &str,
    name: Option<&str>,
    why: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Value {
    let time = at.timestamp_millis();
    let message = format!(
        "account {account}{} was not scanned: {why}",
        name.map(|n| format!(" ({n})")).unwrap_or_default()
    );
    let mut event = head(at, "sprawl-account-not-scanned");
    with(
        &mut event,
        json!({
        "severity_id": 0,
        "severity": "Unknown",
        "status_id": 1,
        "status": "New",
        "status_code": "ERROR",
        "message": message,
        "finding_info": {
            "uid": format!("sprawl-{account}-not-scanned"),
            "title": "Account not scanned: its findings are unknown",
            "desc": message,
            "types": ["Coverage"],
            "created_time": time,
        },
        "cloud": {
            "provider": "AWS",
            "account": { "uid": account, "type": "AWS Account", "type_id": 10 },
        },
        "resources": [{
            "uid": account,
            "name": name.unwrap_or(account),
            "type": "AWS Account",
        }],
        }),
    );
    if let Some(name) = name {
        event["cloud"]["account"]["name"] = Value::from(name);
    }
    event
}
