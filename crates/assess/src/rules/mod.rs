//! The rule catalog. Each rule is one small unit: a stable id, its metadata (severity, OWASP
//! Serverless Top 10 category, AWS Security Hub control where one exists, why it matters, how to
//! fix it) and a check that returns hits with evidence, or "not assessed" with the reason when
//! its input was not collected. `sprawl rules`, the TUI and the exports all read this one list.

mod activity;
mod apigateway;
mod code;
mod entry;
mod function;
mod role;
mod run;
mod secret;

pub use activity::suggested_timeout;
pub use role::{CROSS_ACCOUNT_ADMIN, CROSS_ACCOUNT_ASSUME};
pub use run::run;

/// The rules whose critical findings [`crate::calibrate`] keeps critical only on an exploitable
/// path, by what each needs: the function exposed; the exposed function's privilege or data;
/// an exposed function running as the role.
pub mod critical_needs {
    use crate::rules::Rule;
    pub const EXPOSURE: &[&Rule] = &[
        &crate::rules::function::RUNTIME_DEPRECATED,
        &crate::rules::function::ENV_SECRET,
        &crate::rules::code::CODE_SECRET,
        &crate::rules::code::LAYER_SECRET,
    ];
    /// Of `EXPOSURE`, the rule that is no way in itself: critical only where the public
    /// function's entry point is (privilege or data behind it), never above that finding.
    pub const NO_WAY_IN_ALONE: &Rule = &crate::rules::function::RUNTIME_DEPRECATED;
    pub const POWER_OR_DATA: &[&Rule] = &[
        &crate::rules::entry::URL_PUBLIC,
        &crate::rules::entry::POLICY_PUBLIC,
        &crate::rules::entry::SOURCE_PUBLIC,
        // Critical only where anyone reaches the function through the other account.
        &crate::rules::entry::SOURCE_CROSS_ACCOUNT,
        &crate::rules::entry::POLICY_CROSS_ACCOUNT,
    ];
    pub const EXPOSED_USER: &[&Rule] = &[
        &crate::rules::role::ADMIN,
        &crate::rules::role::SELF_ESCALATION,
        &crate::rules::role::PRIVILEGE_ESCALATION,
        &crate::rules::role::CROSS_ACCOUNT_ADMIN,
    ];
}

use serde::Serialize;

use super::report::{Evidence, ResourceKind, Severity};
use crate::reach::{Context, FunctionFacts};
use crate::roles::RoleFacts;
use sprawl_model::{Function, HttpApi, HttpStage, RestApi, RestStage, Role, Secret};

/// OWASP Serverless Top 10 (2017) categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Owasp {
    #[serde(rename = "SAS-1")]
    EventInjection,
    #[serde(rename = "SAS-2")]
    BrokenAuthentication,
    #[serde(rename = "SAS-3")]
    InsecureConfiguration,
    #[serde(rename = "SAS-4")]
    OverPrivileged,
    #[serde(rename = "SAS-5")]
    InadequateLogging,
    #[serde(rename = "SAS-6")]
    InsecureDependencies,
    #[serde(rename = "SAS-7")]
    InsecureSecrets,
    #[serde(rename = "SAS-8")]
    DenialOfService,
}

impl Owasp {
    pub fn code(self) -> &'static str {
        match self {
            Owasp::EventInjection => "SAS-1",
            Owasp::BrokenAuthentication => "SAS-2",
            Owasp::InsecureConfiguration => "SAS-3",
            Owasp::OverPrivileged => "SAS-4",
            Owasp::InadequateLogging => "SAS-5",
            Owasp::InsecureDependencies => "SAS-6",
            Owasp::InsecureSecrets => "SAS-7",
            Owasp::DenialOfService => "SAS-8",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Owasp::EventInjection => "Function event-data injection",
            Owasp::BrokenAuthentication => "Broken authentication",
            Owasp::InsecureConfiguration => "Insecure serverless deployment configuration",
            Owasp::OverPrivileged => "Over-privileged function permissions and roles",
            Owasp::InadequateLogging => "Inadequate function monitoring and logging",
            Owasp::InsecureDependencies => "Insecure third-party dependencies",
            Owasp::InsecureSecrets => "Insecure application secrets storage",
            Owasp::DenialOfService => "Denial of service and financial resource exhaustion",
        }
    }
}

/// What a check saw: hits (empty: the rule passes) or, when its input is missing, why it could
/// not decide.
pub type Outcome = Result<Vec<Hit>, String>;

/// What a rule checks, by the kind of resource it reads.
#[derive(Clone, Copy)]
pub enum Check {
    Function(fn(&Context, &Function, &FunctionFacts) -> Outcome),
    Role(fn(&Context, &Role, &RoleFacts) -> Outcome),
    RestApi(fn(&Context, &RestApi) -> Outcome),
    RestStage(fn(&Context, &RestApi, &RestStage) -> Outcome),
    HttpApi(fn(&Context, &HttpApi) -> Outcome),
    HttpStage(fn(&Context, &HttpApi, &HttpStage) -> Outcome),
    Secret(fn(&Context, &Secret) -> Outcome),
}

impl Check {
    pub fn kind(self) -> ResourceKind {
        match self {
            Check::Function(_) => ResourceKind::Function,
            Check::Role(_) => ResourceKind::Role,
            Check::RestApi(_) => ResourceKind::RestApi,
            Check::RestStage(_) => ResourceKind::RestStage,
            Check::HttpApi(_) => ResourceKind::HttpApi,
            Check::HttpStage(_) => ResourceKind::HttpStage,
            Check::Secret(_) => ResourceKind::Secret,
        }
    }
}

pub struct Rule {
    /// Stable: mute files and exports refer to it.
    pub id: &'static str,
    pub title: &'static str,
    /// The usual severity; a hit may raise or lower it (a runtime past its block-update date).
    pub severity: Severity,
    pub owasp: Owasp,
    pub security_hub: Option<&'static str>,
    /// Peers' checks this covers, for people comparing tools.
    pub peers: &'static [&'static str],
    pub why: &'static str,
    pub fix: &'static str,
    /// Its part in the risk score of the function it concerns (see [`crate::score`]).
    pub score: ScorePart,
    /// The overview tally it counts in, if any.
    pub overview: Option<Tally>,
    pub check: Check,
}

/// A rule's part in a function's risk score: which of the four terms its hits feed, and with how
/// many points at each severity. Everything the score knows about rules is here, in the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScorePart {
    /// Counted through the entry point the check describes (the exposure term), not again.
    Exposure,
    /// What the function's role can do (the privilege term); the worst hit counts, named as
    /// [`Power`] says in the function's chain.
    Privilege(Points, Power),
    /// A secret in the function's own configuration (the data term): the worst hit counts, and
    /// its message joins the function's hop in the chain.
    Data(Points),
    /// Configuration hygiene: hits add up (to 10). `in_chain`: the message joins the function's
    /// hop in the chain.
    Hygiene { points: Points, in_chain: bool },
    /// No part in a function's score: the rule concerns an API, a secret, or a role's upkeep.
    None,
}

/// Points by the hit's severity (informational counts as low).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Points {
    pub critical: u8,
    pub high: u8,
    pub medium: u8,
    pub low: u8,
}

impl Points {
    pub const fn flat(n: u8) -> Points {
        Points {
            critical: n,
            high: n,
            medium: n,
            low: n,
        }
    }

    pub fn at(self, s: Severity) -> u8 {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low | Severity::Info => self.low,
        }
    }
}

/// How the chain names a role's worst privilege.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Power {
    /// "administrator"
    Administrator,
    /// "can make itself administrator"
    SelfEscalation,
    /// The first escalation path's actions, "to administrator" when critical.
    Escalation,
    /// The hit's own message, without the role's name.
    AsWorded,
}

/// The overview's tallies that count findings of particular rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    SecretRotationDisabled,
    SecretRotationOverdue,
    SecretUnused,
    /// Readable by anyone or by another account.
    SecretShared,
    /// Not invoked in the metrics window.
    FunctionIdle,
    /// Publicly invocable, and no alarm tells anyone.
    PublicNoAlarm,
    /// No log group.
    NoLogGroup,
}

/// A rule's conclusion about one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub severity: Option<Severity>,
    pub message: String,
    pub evidence: Vec<Evidence>,
}

/// Starts a hit: `hit("...").ev("url.auth_type", "NONE")`.
pub fn hit(message: impl Into<String>) -> Hit {
    Hit {
        severity: None,
        message: message.into(),
        evidence: Vec::new(),
    }
}

impl Hit {
    pub fn ev(mut self, path: impl Into<String>, value: impl Into<String>) -> Self {
        self.evidence.push(Evidence {
            path: path.into(),
            value: value.into(),
        });
        self
    }

    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = Some(s);
        self
    }
}

/// One hit, or none.
pub fn when(cond: bool, make: impl FnOnce() -> Hit) -> Outcome {
    Ok(if cond { vec![make()] } else { Vec::new() })
}

/// Whether `rule` judges `role` (see [`role::ANY_ROLE`]).
pub fn judges_role(rule: &Rule, ctx: &Context, r: &Role, facts: &RoleFacts) -> bool {
    role::ANY_ROLE.contains(&rule.id) || role::is_execution_role(ctx, r, facts)
}

/// Every rule, in catalog order.
pub fn catalog() -> Vec<&'static Rule> {
    let mut all: Vec<&'static Rule> = Vec::new();
    all.extend(entry::RULES);
    all.extend(apigateway::RULES);
    all.extend(role::RULES);
    all.extend(secret::RULES);
    all.extend(function::RULES);
    all.extend(code::RULES);
    all.extend(activity::RULES);
    all
}

/// Runs one rule over every resource of its kind (for profiling; `assess` runs them all).
pub fn run_one(
    ctx: &Context,
    rule: &'static Rule,
) -> (Vec<super::report::Finding>, Vec<super::report::NotAssessed>) {
    let mut f = Vec::new();
    let mut n = Vec::new();
    run(ctx, rule, &mut f, &mut n);
    (f, n)
}

/// The rule with this id (a hash lookup: the score asks once per finding).
pub fn find(id: &str) -> Option<&'static Rule> {
    static BY_ID: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static Rule>> =
        std::sync::OnceLock::new();
    BY_ID
        .get_or_init(|| catalog().into_iter().map(|r| (r.id, r)).collect())
        .get(id)
        .copied()
}

/// A finding's part in the score, by its rule id (none for an id no longer in the catalog).
pub fn score_part(rule: &str) -> ScorePart {
    find(rule).map_or(ScorePart::None, |r| r.score)
}

/// Days between an AWS timestamp and the assessment's now (function, role and secret rules).
pub fn age_days(ctx: &Context, when: Option<&str>) -> Option<i64> {
    when.and_then(crate::time::parse_time)
        .map(|t| (ctx.now - t).num_days())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for r in catalog() {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(
                r.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                r.id
            );
            assert!(!r.why.is_empty() && !r.fix.is_empty(), "{}", r.id);
        }
        assert!(seen.len() >= 50, "{} rules", seen.len());
    }

    /// A function's own findings feed exposure, data or hygiene, its role's findings privilege
    /// (or nothing), and no other kind's findings reach a function's score.
    #[test]
    fn score_parts_fit_the_kind_of_resource() {
        for r in catalog() {
            let fits = match (r.check.kind(), r.score) {
                (
                    ResourceKind::Function,
                    ScorePart::Exposure | ScorePart::Data(_) | ScorePart::Hygiene { .. },
                ) => true,
                (ResourceKind::Role, ScorePart::Privilege(..) | ScorePart::None) => true,
                (ResourceKind::Function | ResourceKind::Role, _) => false,
                (_, part) => part == ScorePart::None,
            };
            assert!(
                fits,
                "{}: {:?} for a {:?} rule",
                r.id,
                r.score,
                r.check.kind()
            );
        }
    }
}
