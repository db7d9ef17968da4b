//! Effective permissions of an IAM role: its inline and attached policies read together, explicit
//! Deny subtracted, the permissions boundary applied, conditional grants kept and marked.
//!
//! Two kinds of answer: exact questions ("may this role call `secretsmanager:GetSecretValue` on
//! this secret ARN, and which statements say so?") evaluated statement by statement, and a
//! summary of everything it may do by access level, computed over the embedded action table.
//! Within an organization whose service control policies were read, they bound every role too
//! (see [`crate::guardrails`]); else, and for session policies (never collected), "allowed"
//! means "allowed by the role's own policies".

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::actions::{ActionSet, ActionTable, LevelCounts, table};
pub use crate::policy::StatementRef;
use crate::policy::{Effect, Patterns, Policy, Statement, condition_text};
use sprawl_model::{PolicyDocument, Role};

/// Which resources a question is about.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// One resource.
    Arn(&'a str),
    /// At least one resource, whichever.
    Any,
    /// Every resource (`"Resource": "*"`).
    Every,
    /// At least one customer-managed policy: a grant on AWS-managed policies alone
    /// (`arn:aws:iam::aws:policy/...`, which customers cannot version) does not count.
    CustomerPolicy,
}

/// A yes, with its reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permit {
    /// The Allow statements that grant it.
    pub via: Vec<StatementRef>,
    /// True when every granting statement has conditions, or a conditional Deny or boundary
    /// might take it away: the grant may not hold for every request.
    pub conditional: bool,
}

/// A parsed statement with the actions it covers in the table.
#[derive(Debug, Clone)]
pub struct Grant {
    pub at: StatementRef,
    pub statement: Statement,
    pub actions: Rc<ActionSet>,
}

impl Grant {
    fn covers(&self, action: &str, target: Target, deny: bool) -> bool {
        self.statement.actions.covers_action(action) && covers_target(&self.statement, target, deny)
    }

    /// True when the statement's resources are all resources.
    pub fn is_unrestricted(&self) -> bool {
        match &self.statement.resources {
            Patterns::Only(ps) => ps.iter().any(|p| p.chars().all(|c| c == '*')),
            Patterns::AllBut(_) => true,
        }
    }
}

fn covers_target(st: &Statement, target: Target, deny: bool) -> bool {
    let all = match &st.resources {
        Patterns::Only(ps) => ps.iter().any(|p| p.chars().all(|c| c == '*')),
        // NotResource grants nearly everything; as a Deny it leaves the exceptions allowed.
        Patterns::AllBut(_) => !deny,
    };
    match target {
        Target::Arn(arn) => st.resources.covers_resource(arn),
        // A Deny must cover all of "any resource" to take it away.
        Target::Any if deny => all,
        Target::Any => match &st.resources {
            Patterns::Only(ps) => !ps.is_empty(),
            Patterns::AllBut(_) => true,
        },
        Target::Every => all,
        Target::CustomerPolicy if deny => all,
        Target::CustomerPolicy => match &st.resources {
            Patterns::Only(ps) => ps.iter().any(|p| !aws_managed_only(p)),
            Patterns::AllBut(_) => true,
        },
    }
}

/// Whether a resource pattern can match AWS-managed policies only: its account field is `aws`
/// (`arn:aws:iam::aws:policy/AdministratorAccess`, `arn:*:iam::aws:policy/*`). Customers cannot
/// create versions of those policies or change their default version.
fn aws_managed_only(pattern: &str) -> bool {
    let mut fields = pattern.splitn(6, ':');
    let account = fields.nth(4);
    account == Some("aws") && fields.next().is_some()
}

/// Parsed documents and their action sets, shared by every role that uses the same policy.
#[derive(Default)]
pub struct Analyzer {
    /// The assessment's "now": conditions on the date hold or not then (None: left conditional).
    now: Option<chrono::DateTime<chrono::Utc>>,
    patterns: RefCell<HashMap<String, Rc<ActionSet>>>,
    /// By a statement's action list (`+` for Action, `-` for NotAction, then the patterns).
    statements: RefCell<HashMap<String, Rc<ActionSet>>>,
    /// Managed policies by ARN (a scan reads each ARN's default version once): AWS-managed
    /// policies are attached to thousands of roles.
    managed: RefCell<HashMap<String, Rc<PolicyGrants>>>,
}

impl Analyzer {
    pub fn new() -> Self {
        Analyzer::default()
    }

    /// An analyser that decides date conditions (`aws:CurrentTime`, `aws:TokenIssueTime`) as of
    /// `now`: a statement whose date is past grants (or denies) nothing, one whose date always
    /// holds then grants as if it had no such condition.
    pub fn at(now: chrono::DateTime<chrono::Utc>) -> Self {
        Analyzer {
            now: Some(now),
            ..Analyzer::default()
        }
    }

    fn table(&self) -> &'static ActionTable {
        table()
    }

    fn expand(&self, pattern: &str) -> Rc<ActionSet> {
        let key = pattern.to_ascii_lowercase();
        if let Some(hit) = self.patterns.borrow().get(&key) {
            return hit.clone();
        }
        let set = Rc::new(self.table().expand(&key));
        self.patterns.borrow_mut().insert(key, set.clone());
        set
    }

    fn actions_of(&self, st: &Statement) -> Rc<ActionSet> {
        let (patterns, negate) = match &st.actions {
            Patterns::Only(ps) => (ps, false),
            Patterns::AllBut(ps) => (ps, true),
        };
        if let [one] = patterns.as_slice()
            && !negate
        {
            return self.expand(one);
        }
        let key = format!("{}{}", if negate { '-' } else { '+' }, patterns.join(" "));
        if let Some(hit) = self.statements.borrow().get(&key) {
            return hit.clone();
        }
        let mut set = ActionSet::empty(self.table().len());
        for p in patterns {
            set.union_with(&self.expand(p));
        }
        let set = Rc::new(if negate { set.complement() } else { set });
        self.statements.borrow_mut().insert(key, set.clone());
        set
    }

    /// A managed policy's grants, parsed once per ARN.
    fn managed(&self, arn: &str, doc: &PolicyDocument) -> Result<Rc<PolicyGrants>, String> {
        if let Some(hit) = self.managed.borrow().get(arn) {
            return Ok(hit.clone());
        }
        let policy = Policy::from_document(doc).map_err(|e| e.to_string())?;
        let mut g = PolicyGrants::default();
        self.grants(arn, &policy, &mut g);
        let g = Rc::new(g);
        self.managed.borrow_mut().insert(arn.to_string(), g.clone());
        Ok(g)
    }

    fn grants(&self, name: &str, policy: &Policy, into: &mut PolicyGrants) {
        for written in &policy.statements {
            let st = match self.now {
                Some(now) => match written.at(now) {
                    Some(st) => st,
                    // It can apply to no request now.
                    None => continue,
                },
                None => written.clone(),
            };
            let grant = Rc::new(Grant {
                at: StatementRef::new(name, written),
                actions: self.actions_of(&st),
                statement: st,
            });
            match written.effect {
                Effect::Allow => into.allows.push(grant),
                Effect::Deny => into.denies.push(grant),
            }
        }
    }

    /// Reads every policy of a role. A document that is missing or unreadable is recorded in
    /// `unreadable`; what it might have granted or denied is unknown, and the role's findings
    /// say so.
    pub fn role(&self, role: &Role) -> RoleAccess {
        self.role_under(role, None)
    }

    /// The grants of the SCPs over an account, level by level, read once for all its roles.
    pub fn bounds(&self, b: &crate::guardrails::Bounds) -> Rc<Vec<PolicyGrants>> {
        Rc::new(
            b.levels
                .iter()
                .map(|level| {
                    let mut g = PolicyGrants::default();
                    for (name, policy) in level {
                        self.grants(name, policy, &mut g);
                    }
                    g
                })
                .collect(),
        )
    }

    /// [`Analyzer::role`], bounded by the SCPs over its account (from [`Analyzer::bounds`]).
    pub fn role_under(&self, role: &Role, scps: Option<Rc<Vec<PolicyGrants>>>) -> RoleAccess {
        let mut own = PolicyGrants::default();
        let mut unreadable = Vec::new();
        for p in &role.inline_policies {
            match Policy::from_document(&p.document) {
                Ok(policy) => self.grants(&p.name, &policy, &mut own),
                Err(e) => unreadable.push(format!("inline policy {}: {e}", p.name)),
            }
        }
        for p in &role.attached_policies {
            match p.document.as_ref().map(|d| self.managed(&p.arn, d)) {
                Some(Ok(g)) => {
                    own.allows.extend(g.allows.iter().cloned());
                    own.denies.extend(g.denies.iter().cloned());
                }
                Some(Err(e)) => unreadable.push(format!("managed policy {}: {e}", p.arn)),
                None => unreadable.push(format!("managed policy {}: not collected", p.arn)),
            }
        }
        for gap in &role.gaps {
            unreadable.push(format!("{}: {} ({})", gap.part, gap.kind, gap.message));
        }
        let boundary = role.permissions_boundary.as_ref().and_then(|b| {
            match b.document.as_ref().map(Policy::from_document) {
                Some(Ok(policy)) => {
                    let mut g = PolicyGrants::default();
                    self.grants(&format!("boundary {}", b.arn), &policy, &mut g);
                    Some(g)
                }
                Some(Err(e)) => {
                    unreadable.push(format!("permissions boundary {}: {e}", b.arn));
                    None
                }
                None => {
                    unreadable.push(format!("permissions boundary {}: not collected", b.arn));
                    None
                }
            }
        });
        RoleAccess {
            arn: role.arn.clone(),
            own,
            boundary,
            unreadable,
            scps,
            sets: std::cell::OnceCell::new(),
        }
    }
}

/// The Allow and Deny statements of a set of policies.
#[derive(Debug, Clone, Default)]
pub struct PolicyGrants {
    pub allows: Vec<Rc<Grant>>,
    pub denies: Vec<Rc<Grant>>,
}

impl PolicyGrants {
    fn permit(&self, action: &str, target: Target) -> Option<Permit> {
        let via: Vec<&Rc<Grant>> = self
            .allows
            .iter()
            .filter(|g| g.covers(action, target, false))
            .collect();
        if via.is_empty() {
            return None;
        }
        let mut conditional = via.iter().all(|g| g.statement.is_conditional());
        for d in self
            .denies
            .iter()
            .filter(|d| d.covers(action, target, true))
        {
            if !d.statement.is_conditional() {
                return None;
            }
            conditional = true;
        }
        Some(Permit {
            via: via.iter().map(|g| g.at.clone()).collect(),
            conditional,
        })
    }

    /// Actions allowed, minus those an unconditional Deny on every resource removes.
    fn allowed_set(&self, len: usize) -> ActionSet {
        let mut set = ActionSet::empty(len);
        for g in &self.allows {
            set.union_with(&g.actions);
        }
        for d in &self.denies {
            if !d.statement.is_conditional() && covers_target(&d.statement, Target::Every, true) {
                set.subtract(&d.actions);
            }
        }
        set
    }
}

fn effective_set(own: &PolicyGrants, boundary: Option<&PolicyGrants>, len: usize) -> ActionSet {
    let mut set = own.allowed_set(len);
    if let Some(b) = boundary {
        set.intersect_with(&b.allowed_set(len));
    }
    set
}

/// What one role may do.
#[derive(Debug, Clone)]
pub struct RoleAccess {
    pub arn: String,
    pub own: PolicyGrants,
    pub boundary: Option<PolicyGrants>,
    /// Policies that could not be read: the analysis is incomplete.
    pub unreadable: Vec<String>,
    /// The SCPs over its account, level by level (None: not read, or none apply).
    pub scps: Option<Rc<Vec<PolicyGrants>>>,
    /// [`RoleAccess::effective`] and [`RoleAccess::own_full`], worked out on first use: a bit
    /// per action of the table (2.5 KB a role), which the edges between an organization's
    /// accounts never need for its 100,000 roles.
    sets: std::cell::OnceCell<(ActionSet, bool)>,
}

impl RoleAccess {
    fn sets(&self) -> &(ActionSet, bool) {
        self.sets.get_or_init(|| {
            let len = table().len();
            let mut effective = effective_set(&self.own, self.boundary.as_ref(), len);
            let own_full = effective.is_full();
            for level in self.scps.iter().flat_map(|s| s.iter()) {
                effective.intersect_with(&level.allowed_set(len));
            }
            (effective, own_full)
        })
    }

    /// Every table action some statement allows, after Deny, boundary and SCPs.
    pub fn effective(&self) -> &ActionSet {
        &self.sets().0
    }

    /// Whether its own policies and boundary allow every action (before the SCPs).
    pub fn own_full(&self) -> bool {
        self.sets().1
    }

    /// Whether the role may call `action` on `target`, and why.
    pub fn permit(&self, action: &str, target: Target) -> Option<Permit> {
        let mut p = self.permit_own(action, target)?;
        for level in self.scps.iter().flat_map(|s| s.iter()) {
            let lp = level.permit(action, target)?;
            p.conditional |= lp.conditional;
        }
        Some(p)
    }

    /// [`RoleAccess::permit`] by its own policies and boundary alone, the SCPs left out.
    pub fn permit_own(&self, action: &str, target: Target) -> Option<Permit> {
        let mut p = self.own.permit(action, target)?;
        if let Some(b) = &self.boundary {
            let bp = b.permit(action, target)?;
            p.conditional |= bp.conditional;
        }
        Some(p)
    }

    /// The SCP level that takes `action` on `target` away (what its statements are), when one
    /// does.
    pub fn scp_denial(&self, action: &str, target: Target) -> Option<String> {
        self.scps.iter().flat_map(|s| s.iter()).find_map(|level| {
            if level.permit(action, target).is_some() {
                return None;
            }
            let deny = level
                .denies
                .iter()
                .find(|d| !d.statement.is_conditional() && d.covers(action, target, true));
            Some(match deny {
                Some(d) => format!("{} denies it", d.at),
                None => {
                    let names: Vec<String> =
                        level.allows.iter().map(|g| g.at.policy.clone()).collect();
                    format!(
                        "no SCP at its level allows it ({})",
                        if names.is_empty() {
                            "none".to_string()
                        } else {
                            let mut n = names;
                            n.dedup();
                            n.join(", ")
                        }
                    )
                }
            })
        })
    }

    /// Whether `action` on `arn` is taken away whatever else grants it: an unconditional Deny in
    /// the role's policies, or a permissions boundary that does not allow it.
    pub fn denied(&self, action: &str, arn: &str) -> bool {
        let target = Target::Arn(arn);
        self.own
            .denies
            .iter()
            .any(|d| !d.statement.is_conditional() && d.covers(action, target, true))
            || self
                .boundary
                .as_ref()
                .is_some_and(|b| b.permit(action, target).is_none())
            || self
                .scps
                .iter()
                .flat_map(|s| s.iter())
                .any(|l| l.permit(action, target).is_none())
    }

    /// Unconditional administrator: every action on every resource.
    /// Under SCPs, every action save what they take away for all the account's principals
    /// (leaving the organization, turning off its logs): still an administrator, as long as
    /// the SCPs leave it IAM's writes, with which it can grant itself whatever else it needs.
    pub fn admin_via(&self) -> Option<Vec<StatementRef>> {
        if !self.own_full() {
            return None;
        }
        if self.scps.is_some()
            && ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PassRole"]
                .iter()
                .any(|a| self.permit(a, Target::Every).is_none())
        {
            return None;
        }
        let via: Vec<StatementRef> = self
            .own
            .allows
            .iter()
            .filter(|g| g.actions.is_full() && g.is_unrestricted() && !g.statement.is_conditional())
            .map(|g| g.at.clone())
            .collect();
        (!via.is_empty()).then_some(via)
    }

    /// How many actions it may call, per access level.
    pub fn levels(&self) -> LevelCounts {
        table().count_by_level(self.effective())
    }

    /// The role's Allow statements, summarised for the snapshot.
    pub fn summary(&self) -> Vec<GrantSummary> {
        let t = table();
        self.own
            .allows
            .iter()
            .map(|g| {
                let mut effective = (*g.actions).clone();
                effective.intersect_with(self.effective());
                let levels = t.count_by_level(&effective);
                let (actions, not_action) = match &g.statement.actions {
                    Patterns::Only(a) => (a.clone(), false),
                    Patterns::AllBut(a) => (a.clone(), true),
                };
                let (resources, not_resource) = match &g.statement.resources {
                    Patterns::Only(r) => (r.clone(), false),
                    Patterns::AllBut(r) => (r.clone(), true),
                };
                GrantSummary {
                    at: g.at.clone(),
                    unknown_actions: if not_action {
                        Vec::new()
                    } else {
                        actions
                            .iter()
                            .filter(|a| !a.contains(['*', '?']) && t.lookup(a).is_none())
                            .cloned()
                            .collect()
                    },
                    actions,
                    not_action,
                    resources,
                    not_resource,
                    conditions: condition_text(&g.statement),
                    levels,
                }
            })
            .collect()
    }
}

/// One Allow statement, as the snapshot records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrantSummary {
    pub at: StatementRef,
    /// The action patterns as written; with `not_action`, everything except these.
    pub actions: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_action: bool,
    pub resources: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_resource: bool,
    /// Conditions: a grant that holds only when they do (lower confidence).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Actions this statement grants that survive Deny and the boundary, per level.
    pub levels: LevelCounts,
    /// Names the action table does not know (typos, retired or brand-new actions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_actions: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::AccessLevel;
    use serde_json::json;
    use sprawl_model::{InlinePolicy, ManagedPolicy};

    fn role(policies: &[serde_json::Value], boundary: Option<serde_json::Value>) -> RoleAccess {
        let r = Role {
            arn: "arn:aws:iam::123456789012:role/r".into(),
            name: "r".into(),
            path: "/".into(),
            created: None,
            trust_policy: None,
            inline_policies: policies
                .iter()
                .enumerate()
                .map(|(i, d)| InlinePolicy {
                    name: format!("p{i}"),
                    document: d.into(),
                })
                .collect(),
            attached_policies: Vec::new(),
            permissions_boundary: boundary.map(|d| ManagedPolicy {
                arn: "arn:aws:iam::123456789012:policy/b".into(),
                name: "b".into(),
                document: Some(d.into()),
            }),
            last_used: None,
            tags: Default::default(),
            gaps: Vec::new(),
            access_advisor: sprawl_model::Detail::skipped(sprawl_model::NO_ACCESS_ADVISOR),
        };
        Analyzer::new().role(&r)
    }

    #[test]
    fn allow_with_not_action_grants_everything_else() {
        let r = role(
            &[json!({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]})],
            None,
        );
        assert!(r.permit("s3:PutObject", Target::Every).is_some());
        assert!(r.permit("iam:PassRole", Target::Any).is_none());
        assert!(r.admin_via().is_none());
        assert!(r.levels()[AccessLevel::Write] > 5000);
    }

    #[test]
    fn deny_overrides_a_wildcard_allow() {
        let r = role(
            &[
                json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
                json!({"Statement": [{"Effect": "Deny", "Action": "iam:Pass*", "Resource": "*"}]}),
            ],
            None,
        );
        assert!(r.permit("iam:PassRole", Target::Any).is_none());
        assert!(r.permit("s3:GetObject", Target::Every).is_some());
        assert!(
            r.admin_via().is_none(),
            "a role with a Deny is not full admin"
        );
        let admin = role(
            &[
                json!({"Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}]}),
            ],
            None,
        );
        let via = admin.admin_via().unwrap();
        assert_eq!(via[0].to_string(), "p0 statement 0 (All)");
    }

    #[test]
    fn a_deny_on_some_resources_leaves_the_rest() {
        let r = role(
            &[json!({"Statement": [
                {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"},
                {"Effect": "Deny", "Action": "secretsmanager:*", "Resource": "arn:aws:secretsmanager:*:*:secret:prod/*"}
            ]})],
            None,
        );
        assert!(
            r.permit(
                "secretsmanager:GetSecretValue",
                Target::Arn("arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbCd")
            )
            .is_none()
        );
        assert!(
            r.permit(
                "secretsmanager:GetSecretValue",
                Target::Arn("arn:aws:secretsmanager:eu-west-1:1:secret:dev/db-AbCd")
            )
            .is_some()
        );
        assert!(
            r.permit("secretsmanager:GetSecretValue", Target::Any)
                .is_some()
        );
    }

    #[test]
    fn conditional_grants_are_kept_and_marked() {
        let r = role(
            &[
                json!({"Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
                     "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}},
                    {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}),
            ],
            None,
        );
        let pass = r.permit("iam:PassRole", Target::Any).unwrap();
        assert!(pass.conditional);
        let get = r.permit("s3:GetObject", Target::Every).unwrap();
        assert!(get.conditional, "a conditional Deny may take it away");
        assert!(r.summary()[0].conditions[0].contains("iam:PassedToService"));
    }

    #[test]
    fn a_boundary_caps_what_the_policies_grant() {
        let r = role(
            &[json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})],
            Some(
                json!({"Statement": [{"Effect": "Allow", "Action": ["logs:*", "dynamodb:*"], "Resource": "*"}]}),
            ),
        );
        assert!(r.permit("dynamodb:PutItem", Target::Every).is_some());
        assert!(r.permit("iam:PassRole", Target::Any).is_none());
        assert!(r.admin_via().is_none());
        let t = table();
        assert!(r.effective().iter().all(|i| {
            let n = t.name(i);
            n.starts_with("logs:") || n.starts_with("dynamodb:")
        }));
    }

    #[test]
    fn missing_documents_are_recorded_not_ignored() {
        let mut r = Role {
            arn: "arn:aws:iam::1:role/x".into(),
            name: "x".into(),
            path: "/".into(),
            created: None,
            trust_policy: None,
            inline_policies: vec![InlinePolicy {
                name: "bad".into(),
                document: json!({"Statement": [{"Effect": "Perhaps", "Action": "*"}]}).into(),
            }],
            attached_policies: vec![ManagedPolicy {
                arn: "arn:aws:iam::1:policy/m".into(),
                name: "m".into(),
                document: None,
            }],
            permissions_boundary: None,
            last_used: None,
            tags: Default::default(),
            gaps: Vec::new(),
            access_advisor: sprawl_model::Detail::skipped(sprawl_model::NO_ACCESS_ADVISOR),
        };
        let a = Analyzer::new().role(&r);
        assert_eq!(a.unreadable.len(), 2);
        r.inline_policies.clear();
        r.attached_policies.clear();
        assert!(Analyzer::new().role(&r).unreadable.is_empty());
    }

    #[test]
    fn unknown_action_names_are_reported() {
        let r = role(
            &[
                json!({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjekt"], "Resource": "*"}]}),
            ],
            None,
        );
        assert_eq!(r.summary()[0].unknown_actions, ["s3:GetObjekt"]);
        assert_eq!(r.summary()[0].levels[AccessLevel::Read], 1);
    }
}
