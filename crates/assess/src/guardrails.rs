//! The organization's service control policies over one account, as the analyser applies them:
//! level by level from the root down (the root, each OU above the account, the account), each
//! level's policies read together. An action is allowed only when every level allows it and no
//! level denies it; a role's own policies and boundary can only narrow that further. SCPs bound
//! the principals of member accounts, never those of the management account.

use sprawl_model::{GuardrailKind, Guardrails};

use crate::policy::Policy;

/// The SCPs over one account, parsed.
#[derive(Debug, Clone, Default)]
pub struct Bounds {
    /// From the root down: what the level is (`SCP FullAWSAccess at r-ab12`), and its policies.
    pub levels: Vec<Vec<(String, Policy)>>,
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
        if let Some(f) = &g.failure {
            return Err(format!(
                "the organization's SCPs could not be read: {} failed ({})",
                f.operation,
                f.why()
            ));
        }
        if !g.scp_enabled || management == Some(account) {
            return Ok(None);
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
        Ok(Some(Bounds { levels: parsed }))
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
