//! What each role is, read alone: its effective access, the escalations open to it, who its
//! trust admits, and what it is as the end of a chain of roles. The hops between roles and the
//! chains they make are worked out over these, in [`crate::reach`] (within the account) and
//! [`crate::paths`] (across accounts).

use sprawl_iam::access::{Analyzer, PolicyGrants, RoleAccess};
use sprawl_iam::escalation::{Escalation, Payoff, Step, escalations, self_escalations};
use sprawl_iam::policy::{Policy, StatementRef, condition_parts};
use sprawl_iam::principals::{Admission, admissions};
use sprawl_model::Role;

use crate::report::Reached;

/// Facts about one role.
pub struct RoleFacts {
    pub access: RoleAccess,
    pub admin_via: Vec<sprawl_iam::access::StatementRef>,
    pub self_escalation: Vec<Step>,
    pub escalations: Vec<Escalation>,
    /// Some escalation ends at administrator: IAM rewrites, self-escalation, or passing or
    /// hijacking an administrator role found in the inventory.
    pub reaches_admin: bool,
    pub trusted: Vec<Admission>,
    pub trust_error: Option<String>,
    /// The roles of this account it may become in one step.
    pub assumes: Vec<RoleHop>,
    /// The most powerful role it may become in up to [`MAX_HOPS`] steps, and how.
    pub becomes: Option<Becomes>,
}

/// How many roles in a row a chain may go through. Three covers the chains seen in real
/// accounts (a function's role, a deployer, an administrator) with one to spare; a cycle ends
/// where it began, so the walk never revisits a role.
pub const MAX_HOPS: usize = 3;

/// One step from a role to another it may assume.
#[derive(Debug, Clone)]
pub struct RoleHop {
    /// The role it may become.
    pub to: String,
    /// The account of that role, when it is not this one.
    pub account: Option<String>,
    /// The target's trust policy names this role by ARN: within one account that is enough, no
    /// `sts:AssumeRole` in the role's own policies needed. Else the trust admits the account
    /// (or anyone), and the role's own policies allow `sts:AssumeRole` on the target.
    pub named: bool,
    /// The statements on both sides: the trust's, then the role's own (when it needs one).
    pub via: Vec<StatementRef>,
    /// A condition (an external id, MFA, a source) may stand in the way.
    pub conditional: bool,
    /// The trust's conditions that may stand in the way, for evidence.
    pub conditions: Vec<String>,
    /// Why no function's session can take the hop, when none can (see [`stopped_by`]): it is
    /// shown, never followed.
    pub stopped: Option<String>,
}

/// Why a hop whose trust has these conditions can never be taken from a function: a role
/// session that Lambda creates carries no MFA, so `aws:MultiFactorAuthPresent` is absent (a
/// `Bool true` test fails) and so is `aws:MultiFactorAuthAge` (a numeric test fails); a session
/// chained from it has none either. `...IfExists` forms hold when the key is absent.
pub fn stopped_by(conditions: &[String]) -> Option<String> {
    conditions.iter().find_map(|c| {
        let (key, op, value) = condition_parts(c);
        let key = key.to_ascii_lowercase();
        let mfa = (key == "aws:multifactorauthpresent" && op == "Bool" && value == "true")
            || (key == "aws:multifactorauthage"
                && op.starts_with("Numeric")
                && !op.ends_with("IfExists"));
        mfa.then(|| format!("its trust requires MFA ({c}), which no function's session carries"))
    })
}

/// The most powerful role a role may become through a chain of assumptions.
#[derive(Debug, Clone)]
pub struct Becomes {
    /// The hops, the first from the role itself.
    pub path: Vec<RoleHop>,
    pub reached: Reached,
}

impl Becomes {
    /// Some hop may be stopped by its conditions.
    pub fn conditional(&self) -> bool {
        self.path.iter().any(|h| h.conditional)
    }

    /// Some hop goes into another account.
    pub fn crosses(&self) -> bool {
        self.path.iter().any(|h| h.account.is_some())
    }
}

/// What a role is as the end of a chain (None: no broader than its grants), read alone.
pub fn reached_by(
    analyzer: &Analyzer,
    role: &Role,
    account: &str,
    scps: Option<std::rc::Rc<Vec<PolicyGrants>>>,
) -> Option<Reached> {
    reached(&role_facts(analyzer, role, account, scps))
}

pub(crate) fn role_facts(
    analyzer: &Analyzer,
    role: &Role,
    account: &str,
    scps: Option<std::rc::Rc<Vec<PolicyGrants>>>,
) -> RoleFacts {
    let access = analyzer.role_under(role, scps);
    let customer_policies: Vec<&str> = role
        .attached_policies
        .iter()
        .map(|p| p.arn.as_str())
        .filter(|arn| !arn.contains(":iam::aws:policy/"))
        .collect();
    let admin_via = access.admin_via().unwrap_or_default();
    // An administrator has nothing to escalate to; listing every method would only repeat it.
    let (self_escalation, escalations) = if admin_via.is_empty() {
        (
            self_escalations(
                &access,
                &role.arn,
                &customer_policies,
                role.permissions_boundary.is_some(),
            ),
            escalations(&access),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let (trusted, trust_error) = match role.trust_policy.as_ref().map(Policy::from_document) {
        Some(Ok(p)) => {
            let mut t = admissions(&p, "trust policy", "sts:AssumeRole", account);
            for action in ["sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"] {
                for a in admissions(&p, "trust policy", action, account) {
                    if !t.contains(&a) {
                        t.push(a);
                    }
                }
            }
            (t, None)
        }
        Some(Err(e)) => (Vec::new(), Some(e.to_string())),
        None => (
            Vec::new(),
            Some("the trust policy was not collected".into()),
        ),
    };
    let reaches_admin = !admin_via.is_empty()
        || !self_escalation.is_empty()
        || escalations.iter().any(|e| e.payoff == Payoff::Iam);
    RoleFacts {
        access,
        admin_via,
        self_escalation,
        escalations,
        reaches_admin,
        trusted,
        trust_error,
        assumes: Vec::new(),
        becomes: None,
    }
}

/// What a role is, as the end of a chain.
pub(crate) fn reached(facts: &RoleFacts) -> Option<Reached> {
    if !facts.admin_via.is_empty() {
        Some(Reached::Administrator)
    } else if facts.reaches_admin {
        Some(Reached::EscalatesToAdministrator)
    } else if !facts.escalations.is_empty() || !facts.self_escalation.is_empty() {
        Some(Reached::Escalation)
    } else {
        None
    }
}
