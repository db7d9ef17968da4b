//! A least-privilege policy for a role, from IAM Access Advisor's report on it: the role's own
//! Allow statements without the services it never used in IAM's tracking period, and without the
//! actions IAM tracks one by one and saw unused. What the report cannot speak to is kept: actions
//! of a service it does not track at action level, `NotAction` statements, and every Deny.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use sprawl_model::{AccessAdvisor, Role, statements};

/// A suggested policy and what it leaves out.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub role: String,
    /// The policy document (one statement per statement kept, named after its source).
    pub policy: Value,
    /// Services granted and never used, dropped.
    pub dropped_services: Vec<String>,
    /// Actions IAM tracked and saw unused, dropped (`s3:DeleteObject`).
    pub dropped_actions: Vec<String>,
    /// What the report could not speak to, kept as it was.
    pub kept_as_is: Vec<String>,
    /// Statements kept on every resource (`secretsmanager:GetSecretValue` on `*`): Access Advisor
    /// judges services and actions, never resources, so these stay as wide as they were.
    pub account_wide: Vec<String>,
    /// The role's policies the suggestion replaces: `inline policy app`, `managed policy NAME
    /// (ARN)`.
    pub replaces: Vec<String>,
    /// When IAM completed the report.
    pub as_of: Option<String>,
}

/// The namespace of an action pattern (`s3` of `s3:Get*`), lower-cased; `*` for `*`.
fn namespace(action: &str) -> String {
    action
        .split_once(':')
        .map_or(action, |(ns, _)| ns)
        .to_ascii_lowercase()
}

/// The suggestion for `role`, or why there is none (no report).
pub fn suggest(role: &Role) -> Result<Suggestion, String> {
    let report: &AccessAdvisor = role.access_advisor.require("Access Advisor report")?;
    let used: BTreeSet<String> = report
        .services
        .iter()
        .filter(|s| s.last_authenticated.is_some())
        .map(|s| s.namespace.to_ascii_lowercase())
        .collect();
    let granted: BTreeSet<String> = report
        .services
        .iter()
        .map(|s| s.namespace.to_ascii_lowercase())
        .collect();
    // Per service IAM tracks at action level: its actions, and whether each was used.
    let tracked: BTreeMap<String, BTreeMap<String, bool>> = report
        .services
        .iter()
        .filter(|s| !s.actions.is_empty())
        .map(|s| {
            (
                s.namespace.to_ascii_lowercase(),
                s.actions
                    .iter()
                    .map(|a| (a.name.to_ascii_lowercase(), a.last_accessed.is_some()))
                    .collect(),
            )
        })
        .collect();
    let mut out = Suggestion {
        role: role.arn.clone(),
        policy: Value::Null,
        dropped_services: granted.difference(&used).cloned().collect(),
        dropped_actions: Vec::new(),
        kept_as_is: Vec::new(),
        account_wide: Vec::new(),
        replaces: role
            .inline_policies
            .iter()
            .map(|p| format!("inline policy {}", p.name))
            .chain(
                role.attached_policies
                    .iter()
                    .map(|p| format!("managed policy {} ({})", p.name, p.arn)),
            )
            .collect(),
        as_of: report.completed.clone(),
    };
    let mut kept_statements = Vec::new();
    for (source, doc) in role.policy_documents() {
        let Some(doc) = doc else {
            out.kept_as_is
                .push(format!("{source}: its document was not read"));
            continue;
        };
        let value = doc.value();
        for (n, st) in statements::of(&value).into_iter().enumerate() {
            let allow = statements::allows(st);
            if !allow || st.get("Action").is_none() {
                if allow {
                    out.kept_as_is
                        .push(format!("{source} statement {n}: NotAction, kept as it was"));
                }
                kept_statements.push(named(st.clone(), source, n));
                continue;
            }
            let mut actions = Vec::new();
            for a in statements::allowed_actions(st) {
                let ns = namespace(a);
                if a == "*" {
                    // Everything: what was used, service by service.
                    actions.extend(used.iter().map(|ns| format!("{ns}:*")));
                } else if !used.contains(&ns) && granted.contains(&ns) {
                    // Granted, never used: dropped with its service.
                } else if let Some(name) = a.split_once(':').map(|(_, n)| n.to_ascii_lowercase())
                    && let Some(false) = tracked.get(&ns).and_then(|t| t.get(&name))
                {
                    out.dropped_actions.push(a.to_string());
                } else {
                    actions.push(a.to_string());
                }
            }
            actions.sort();
            actions.dedup();
            if actions.is_empty() {
                continue;
            }
            if statements::strings(st.get("Resource")).contains(&"*") {
                out.account_wide.push(format!(
                    "{source} statement {n}: {} on * (every resource of the account; name the ones it needs)",
                    actions.join(", ")
                ));
            }
            let mut kept = st.clone();
            kept["Action"] = json!(actions);
            kept_statements.push(named(kept, source, n));
        }
    }
    out.dropped_actions.sort();
    out.dropped_actions.dedup();
    out.policy = json!({"Version": "2012-10-17", "Statement": kept_statements});
    Ok(out)
}

/// A statement with a Sid naming where it came from (its own Sid when it has one).
fn named(mut st: Value, source: &str, n: usize) -> Value {
    if st.get("Sid").is_none() && st.is_object() {
        let sid: String = format!("{source}{n}")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        st["Sid"] = json!(sid);
    }
    st
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprawl_model::{ActionAccess, Detail, InlinePolicy, ServiceAccess};

    fn service(ns: &str, used: bool, actions: &[(&str, bool)]) -> ServiceAccess {
        ServiceAccess {
            namespace: ns.into(),
            name: ns.to_uppercase(),
            last_authenticated: used.then(|| "2026-11-01T00:00:00Z".into()),
            actions: actions
                .iter()
                .map(|(a, u)| ActionAccess {
                    name: (*a).into(),
                    last_accessed: u.then(|| "2026-11-01T00:00:00Z".into()),
                })
                .collect(),
        }
    }

    /// Services never used go; tracked actions never used go; `*` becomes the used services;
    /// Deny statements and untracked actions stay.
    #[test]
    fn drops_what_was_never_used_and_keeps_what_it_cannot_judge() {
        let role = Role {
            arn: "arn:aws:iam::123456789012:role/r".into(),
            name: "r".into(),
            path: "/".into(),
            created: None,
            trust_policy: None,
            inline_policies: vec![InlinePolicy {
                name: "app".into(),
                document: json!({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:DeleteObject", "dynamodb:*", "sqs:SendMessage"], "Resource": "*"},
                    {"Effect": "Allow", "Action": "*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]})
                .into(),
            }],
            attached_policies: Vec::new(),
            permissions_boundary: None,
            last_used: None,
            tags: Default::default(),
            gaps: Vec::new(),
            access_advisor: Detail::collected(AccessAdvisor {
                completed: Some("2026-12-01T00:00:00Z".into()),
                services: vec![
                    service("s3", true, &[("GetObject", true), ("DeleteObject", false)]),
                    service("dynamodb", false, &[]),
                    service("sqs", true, &[]),
                    service("iam", false, &[]),
                ],
            }),
        };
        let s = suggest(&role).unwrap();
        assert_eq!(s.dropped_services, ["dynamodb", "iam"]);
        assert_eq!(s.replaces, ["inline policy app"]);
        assert_eq!(
            s.account_wide,
            [
                "app statement 0: s3:GetObject, sqs:SendMessage on * (every resource of the account; name the ones it needs)",
                "app statement 1: s3:*, sqs:* on * (every resource of the account; name the ones it needs)"
            ]
        );
        assert_eq!(s.dropped_actions, ["s3:DeleteObject"]);
        let st = s.policy["Statement"].as_array().unwrap();
        assert_eq!(st[0]["Action"], json!(["s3:GetObject", "sqs:SendMessage"]));
        assert_eq!(st[1]["Action"], json!(["s3:*", "sqs:*"]));
        assert_eq!(st[2]["Effect"], "Deny");
        let mut none = role.clone();
        none.access_advisor = Detail::skipped("not read");
        assert!(
            suggest(&none)
                .unwrap_err()
                .contains("Access Advisor report")
        );
    }
}
