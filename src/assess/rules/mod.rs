//! The rule catalog. Each rule is one small unit: a stable id, its metadata (severity, OWASP
//! Serverless Top 10 category, AWS Security Hub control where one exists, why it matters, how to
//! fix it) and a check that returns hits with evidence, or "not assessed" with the reason when
//! its input was not collected. `sprawl rules`, the TUI and the exports all read this one list.

mod apigateway;
mod entry;
mod function;
mod role;
mod secret;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::reach::{Context, FunctionFacts, RoleFacts};
use super::report::{Evidence, ResourceKind, Severity};
use crate::model::{Function, HttpApi, HttpStage, RestApi, RestStage, Role, Secret};

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
    pub check: Check,
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

/// Every rule, in catalog order.
pub fn catalog() -> Vec<&'static Rule> {
    let mut all: Vec<&'static Rule> = Vec::new();
    all.extend(entry::RULES);
    all.extend(apigateway::RULES);
    all.extend(role::RULES);
    all.extend(secret::RULES);
    all.extend(function::RULES);
    all
}

/// Runs one rule over every resource of its kind (for profiling; `assess` runs them all).
pub fn run_one(
    ctx: &Context,
    rule: &'static Rule,
) -> (Vec<super::report::Finding>, Vec<super::report::NotAssessed>) {
    let mut f = Vec::new();
    let mut n = Vec::new();
    super::run(ctx, rule, &mut f, &mut n);
    (f, n)
}

pub fn find(id: &str) -> Option<&'static Rule> {
    catalog().into_iter().find(|r| r.id == id)
}

/// An AWS timestamp: RFC 3339, or the `+0000` offset Lambda's LastModified uses.
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
        .or_else(|| {
            DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.3f%z")
                .ok()
                .map(|d| d.with_timezone(&Utc))
        })
}

/// Days between an AWS timestamp and the assessment's now (function, role and secret rules).
pub fn age_days(ctx: &Context, when: Option<&str>) -> Option<i64> {
    when.and_then(parse_time).map(|t| (ctx.now - t).num_days())
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
}
