//! The organization's service control policies over one account, as the analyser applies them:
//! level by level from the root down (the root, each OU above the account, the account), each
//! level's policies read together. An action is allowed only when every level allows it and no
//! level denies it; a role's own policies and boundary can only narrow that further. SCPs bound
//! the principals of member accounts, never those of the management account.
//!
//! Resource control policies (RCPs) bound what anyone may do to the account's resources. Here
//! they answer one question, the one they are written for: does one deny principals outside
//! the organization an action on a resource (a Deny for everyone whose conditions hold for any
//! stranger: `aws:PrincipalOrgID` not this organization's, not an AWS service)? A grant to a
//! stranger that one blocks is reported as blocked, not as open.

use sprawl_model::{GuardrailKind, Guardrails};

use crate::policy::Policy;

/// The SCPs and RCPs over one account, parsed.
#[derive(Debug, Clone, Default)]
pub struct Bounds {
    /// SCPs are enabled (else `levels` is empty and bounds nothing).
    pub scp_enabled: bool,
    /// From the root down: what the level is (`SCP FullAWSAccess at r-ab12`), and its policies.
    pub levels: Vec<Vec<(String, Policy)>>,
    /// The RCPs over the account's resources, every level's together.
    pub rcps: Vec<(String, Policy)>,
    /// The organization's id, for the RCPs' `aws:PrincipalOrgID` conditions.
    pub org: Option<String>,
}

/// What bounds an account's roles, besides their own policies.
#[derive(Debug, Clone, Copy, Default)]
pub enum Guard<'a> {
    /// The SCPs were not read (a scan of some OUs, of profiles, a merge, or a call that
    /// failed): "allowed" means allowed by the role's own policies.
    #[default]
    NotRead,
    /// None applies: the type is not enabled, or this is the management account.
    NoneApply,
    Apply(&'a Bounds),
}

impl Bounds {
    /// The SCPs over `account` (its management account: none apply), or why they are unknown.
    pub fn of(
        g: &Guardrails,
        account: &str,
        management: Option<&str>,
    ) -> Result<Option<Bounds>, String> {
        Bounds::within(g, account, management, None)
    }

    /// [`Bounds::of`] in organization `org` (its id, for the RCPs' conditions).
    pub fn within(
        g: &Guardrails,
        account: &str,
        management: Option<&str>,
        org: Option<&str>,
    ) -> Result<Option<Bounds>, String> {
        if let Some(f) = &g.failure {
            return Err(format!(
                "the organization's SCPs could not be read: {} failed ({})",
                f.operation,
                f.why()
            ));
        }
        if !(g.scp_enabled || g.rcp_enabled) || management == Some(account) {
            return Ok(None);
        }
        let mut rcps = Vec::new();
        for (target, policies) in g
            .levels(account, GuardrailKind::ResourceControlPolicy)
            .unwrap_or_default()
        {
            for (id, p) in policies {
                let policy = Policy::from_document(&p.document)
                    .map_err(|e| format!("RCP {} ({id}): {e}", p.name))?;
                rcps.push((format!("RCP {} at {target}", p.name), policy));
            }
        }
        let org = org.map(str::to_string);
        if !g.scp_enabled {
            return Ok(Some(Bounds {
                scp_enabled: false,
                levels: Vec::new(),
                rcps,
                org,
            }));
        }
        let levels = g
            .levels(account, GuardrailKind::ServiceControlPolicy)
            .ok_or_else(|| format!("account {account}'s place in the organization is not known"))?;
        let mut parsed = Vec::new();
        for (target, policies) in levels {
            let mut level = Vec::new();
            for (id, p) in policies {
                let policy = Policy::from_document(&p.document)
                    .map_err(|e| format!("SCP {} ({id}): {e}", p.name))?;
                level.push((format!("SCP {} at {target}", p.name), policy));
            }
            // AWS keeps at least one SCP on every target while SCPs are enabled: a level with
            // none is one we cannot read, so it is taken to bound nothing.
            if !level.is_empty() {
                parsed.push(level);
            }
        }
        Ok(Some(Bounds {
            scp_enabled: true,
            levels: parsed,
            rcps,
            org,
        }))
    }

    /// The RCP statement that denies any principal outside the organization `action` on
    /// `arn`, when one does (a Deny for everyone, covering both, whose every condition holds
    /// for a stranger that is not an AWS service).
    pub fn rcp_blocks_strangers(&self, action: &str, arn: &str) -> Option<String> {
        use crate::policy::Effect;
        let org = self.org.as_deref()?;
        self.rcps.iter().find_map(|(name, policy)| {
            policy
                .statements
                .iter()
                .find(|st| {
                    st.effect == Effect::Deny
                        && st.principals.is_some()
                        && st.actions.covers_action(action)
                        && st.resources.covers_resource(arn)
                        && st.conditions.iter().all(|c| holds_for_strangers(c, org))
                })
                .map(|st| crate::policy::StatementRef::new(name, st).to_string())
        })
    }
}

/// Whether a condition of an RCP's Deny holds for every principal outside organization `org`
/// that is not an AWS service. Conditions it cannot decide do not hold.
fn holds_for_strangers(c: &crate::policy::Condition, org: &str) -> bool {
    let key = c.key.to_ascii_lowercase();
    let op = c.operator.as_str();
    match key.as_str() {
        // Not this organization: a stranger's organization is another, or none (IfExists).
        "aws:principalorgid" => {
            matches!(op, "StringNotEqualsIfExists" | "StringNotEquals")
                && c.values.iter().any(|v| v == org)
        }
        // Not an AWS service.
        "aws:principalisawsservice" => {
            matches!(op, "Bool" | "BoolIfExists") && c.values.iter().all(|v| v == "false")
        }
        _ => false,
    }
}

impl<'a> Guard<'a> {
    /// From what [`Bounds::of`] said, kept in `slot`.
    pub fn from(slot: &'a Result<Option<Bounds>, String>) -> Guard<'a> {
        match slot {
            Ok(Some(b)) => Guard::Apply(b),
            Ok(None) => Guard::NoneApply,
            Err(_) => Guard::NotRead,
        }
    }

    pub fn bounds(self) -> Option<&'a Bounds> {
        match self {
            Guard::Apply(b) => Some(b),
            _ => None,
        }
    }
}
