//! What an assessment produces: findings with evidence, what could not be assessed, and per
//! resource the facts the TUI and exports show (entry points, privileges, reachable secrets,
//! scores with their explanation). Plain serde data, carried in the snapshot.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::deferred::Deferred;
use sprawl_iam::access::{GrantSummary, StatementRef};
use sprawl_iam::actions::LevelCounts;
use sprawl_iam::escalation::{Escalation, Step};
use sprawl_iam::principals::{Admission, Principal};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const DESCENDING: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Function,
    Role,
    RestApi,
    RestStage,
    HttpApi,
    HttpStage,
    Secret,
}

impl ResourceKind {
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Function => "function",
            ResourceKind::Role => "role",
            ResourceKind::RestApi => "REST API",
            ResourceKind::RestStage => "REST stage",
            ResourceKind::HttpApi => "HTTP API",
            ResourceKind::HttpStage => "HTTP stage",
            ResourceKind::Secret => "secret",
        }
    }
}

/// The exact field or statement behind a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Where: `url.auth_type`, `policy statement 0 (public-url)`, `environment.DB_PASSWORD`.
    pub path: String,
    /// What it holds (never a secret value: variables show their kind and fingerprint).
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub title: String,
    pub severity: Severity,
    pub kind: ResourceKind,
    /// The resource's ARN (stages: the API's ARN + `/stages/NAME`).
    pub resource: String,
    pub region: String,
    /// What is wrong with this resource, in one sentence.
    pub message: String,
    /// What the finding rests on (read on first use; see [`Deferred`]).
    pub evidence: Deferred<Vec<Evidence>>,
}

/// A rule that could not be evaluated on a resource because its input was not collected: never a
/// pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotAssessed {
    pub rule: String,
    pub kind: ResourceKind,
    pub resource: String,
    pub reason: String,
}

/// A way into a function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryPoint {
    FunctionUrl {
        url: String,
        auth_type: String,
        /// The alias whose URL this is; absent for the unqualified function's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alias: Option<String>,
        /// Auth NONE and the resource policy lets anyone call `lambda:InvokeFunctionUrl` or
        /// `lambda:InvokeFunction` (both, since October 2025; either, where an account keeps
        /// AWS's exception for older URLs).
        publicly_invocable: bool,
        /// Public under the legacy authorization model only: anyone may call one of the two
        /// actions, not both.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        legacy_model: bool,
        /// The statements that make it so (or the one that is missing).
        evidence: Vec<String>,
    },
    RestMethod {
        api_id: String,
        api_name: String,
        region: String,
        path: String,
        method: String,
        authorization: String,
        api_key_required: bool,
        private: bool,
        /// Anyone on the network path can call it: no authorization, no API key, not private, no
        /// resource policy narrowing callers.
        open: bool,
    },
    HttpRoute {
        api_id: String,
        api_name: String,
        region: String,
        route_key: String,
        authorization: String,
        open: bool,
    },
    /// The function is an API's authorizer: every request, authenticated or not, reaches it.
    Authorizer {
        api_id: String,
        api_name: String,
        region: String,
        authorizer_id: String,
    },
    /// A principal the resource policy lets invoke the function.
    Principal { admission: Admission },
    EventSource {
        uuid: String,
        source_arn: Option<String>,
        /// `sqs`, `kinesis`, `dynamodb`, `kafka`, ...
        service: String,
        state: Option<String>,
    },
    /// An event source that triggers the function (an SNS topic, an S3 bucket, ...), judged by
    /// who may write to it: everything written to it becomes the function's event. A source
    /// upstream of another (a bucket that notifies a topic that invokes the function) is an entry
    /// point of its own, with the sources between it and the function as its `path`. Version 7
    /// snapshots call an SNS topic's `topic`.
    #[serde(alias = "topic")]
    Source {
        /// The trigger kind of the source ([`TRIGGER_KINDS`]): `sns`, `s3`, ...
        #[serde(default = "sns")]
        service: String,
        arn: String,
        /// The sources its events pass through on their way to the function, in order (empty:
        /// it invokes the function itself).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        path: Vec<String>,
        /// Anyone may write: its policy (or an ACL) admits every principal, with no condition
        /// that keeps strangers out, and nothing (Block Public Access) stops it.
        anyone: bool,
        /// The other accounts it admits as writers, in words.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        accounts: Vec<String>,
        /// Every one of those accounts is of the organization the account is assessed within.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        organization_only: bool,
        /// The statements (or grants) that admit them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        via: Vec<String>,
        /// Why its writers are not judged (it could not be read): never "no one".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unknown: Option<String>,
    },
}

/// The kinds of trigger an entry point can be, as the explorer's `trigger:` filter names them:
/// a function URL, API Gateway, then the services that invoke functions (by their resource
/// policy's service principal, or an event source mapping), and `other` for the rest.
pub const TRIGGER_KINDS: &[&str] = &[
    "url",
    "apigateway",
    "s3",
    "sns",
    "sqs",
    "events",
    "scheduler",
    "kinesis",
    "dynamodb",
    "kafka",
    "mq",
    "cognito",
    "iot",
    "logs",
    "ses",
    "alb",
    "other",
];

/// Who may inject events into a function through its event sources, as the explorer's
/// `injectable:` filter names it, most open first: `anyone`; `accounts` (another account, outside
/// the organization or not judged against one); `org` (only the organization's own accounts);
/// `unjudged` (a source whose writers could not be judged, or an event trigger whose source sprawl does not read yet); `no`.
pub const INJECTABLE: &[&str] = &["anyone", "accounts", "org", "unjudged", "no"];

/// The trigger kinds whose events someone writes to a source ([`TRIGGER_KINDS`]): where sprawl
/// has not judged such a source's writers, who may inject is unknown, never "no one".
const EVENT_KINDS: &[&str] = &[
    "s3", "sns", "sqs", "events", "kinesis", "dynamodb", "kafka", "mq", "cognito", "iot", "logs",
    "ses",
];

/// [`INJECTABLE`] of a function's entry points: the most open of its sources. A trigger of an
/// event kind with no judged source of that kind behind it (a stream, a bus, a rule, a queue of
/// an older snapshot, a permission naming no exact source) is `unjudged`.
pub fn injectable(entry_points: &[EntryPoint]) -> &'static str {
    let mut most = INJECTABLE.len() - 1;
    let judged: Vec<&str> = entry_points
        .iter()
        .filter_map(|e| match e {
            EntryPoint::Source { service, .. } => Some(service.as_str()),
            _ => None,
        })
        .collect();
    for e in entry_points {
        let at = match e {
            EntryPoint::Source {
                anyone,
                accounts,
                organization_only,
                unknown,
                ..
            } => {
                if *anyone {
                    0
                } else if !accounts.is_empty() && !organization_only {
                    1
                } else if !accounts.is_empty() {
                    2
                } else if unknown.is_some() {
                    3
                } else {
                    4
                }
            }
            other => match other.trigger_kind() {
                Some(kind) if EVENT_KINDS.contains(&kind) && !judged.contains(&kind) => 3,
                _ => 4,
            },
        };
        most = most.min(at);
    }
    INJECTABLE[most]
}

impl EntryPoint {
    /// The kind of trigger it is ([`TRIGGER_KINDS`]), or None for a principal the policy lets
    /// invoke directly (an account, anyone) and for an authorizer's duty.
    pub fn trigger_kind(&self) -> Option<&'static str> {
        let service = match self {
            EntryPoint::FunctionUrl { .. } => return Some("url"),
            EntryPoint::RestMethod { .. } | EntryPoint::HttpRoute { .. } => {
                return Some("apigateway");
            }
            EntryPoint::Authorizer { .. } => return None,
            EntryPoint::Principal { admission } => match &admission.principal {
                Principal::Service { name } => name.split('.').next().unwrap_or(""),
                _ => return None,
            },
            EntryPoint::EventSource { service, .. } => service.as_str(),
            EntryPoint::Source { service, .. } => service.as_str(),
        };
        Some(match service {
            "cognito-idp" => "cognito",
            "elasticloadbalancing" => "alb",
            s => TRIGGER_KINDS
                .iter()
                .find(|k| **k == s)
                .copied()
                .unwrap_or("other"),
        })
    }

    /// A way in that anyone can use: an unauthenticated public URL, an open route or method, a
    /// resource policy that admits anyone (the entry points worth the most exposure).
    pub fn is_public(&self) -> bool {
        self.exposure() >= 35
    }

    /// The points this way in is worth in the exposure term of its function's risk score (see
    /// the assessment's `score` module): how easily a stranger uses it.
    pub fn exposure(&self) -> u8 {
        match self {
            EntryPoint::FunctionUrl {
                publicly_invocable: true,
                ..
            } => 40,
            EntryPoint::FunctionUrl { auth_type, .. } if auth_type.eq_ignore_ascii_case("NONE") => {
                15
            }
            EntryPoint::FunctionUrl { .. } => 12,
            EntryPoint::RestMethod { open: true, .. }
            | EntryPoint::HttpRoute { open: true, .. } => 35,
            EntryPoint::RestMethod { .. } | EntryPoint::HttpRoute { .. } => 12,
            EntryPoint::Authorizer { .. } => 25,
            EntryPoint::Principal { admission } => {
                match (&admission.principal, admission.is_narrowed()) {
                    (Principal::Anyone, false)
                        if !admission
                            .conditions
                            .iter()
                            .any(|c| c.to_ascii_lowercase().starts_with("lambda:")) =>
                    {
                        35
                    }
                    (Principal::Anyone, _) => 8,
                    (Principal::Service { .. }, false) => 20,
                    (Principal::Account { same: false, .. }, false) => 15,
                    _ => 8,
                }
            }
            EntryPoint::EventSource { .. } => 8,
            // Anyone's message or object is the function's event: as open as a public URL.
            EntryPoint::Source { anyone: true, .. } => 35,
            EntryPoint::Source { accounts, .. } if !accounts.is_empty() => 15,
            EntryPoint::Source { .. } => 8,
        }
    }

    /// One line: `public URL https://... (auth NONE)`.
    pub fn describe(&self) -> String {
        match self {
            EntryPoint::FunctionUrl {
                auth_type,
                alias,
                publicly_invocable,
                legacy_model,
                ..
            } => {
                let on = alias
                    .as_ref()
                    .map(|a| format!(" on alias {a}"))
                    .unwrap_or_default();
                if *legacy_model {
                    format!("public function URL{on} (auth {auth_type}, legacy model)")
                } else if *publicly_invocable {
                    format!("public function URL{on} (auth {auth_type})")
                } else {
                    format!("function URL{on} (auth {auth_type})")
                }
            }
            EntryPoint::RestMethod {
                api_name,
                path,
                method,
                authorization,
                open,
                ..
            } => format!(
                "{}REST {method} {path} on {api_name} (auth {authorization})",
                if *open { "open " } else { "" }
            ),
            EntryPoint::HttpRoute {
                api_name,
                route_key,
                authorization,
                open,
                ..
            } => format!(
                "{}route {route_key} on {api_name} (auth {authorization})",
                if *open { "open " } else { "" }
            ),
            EntryPoint::Authorizer { api_name, .. } => format!("authorizer of {api_name}"),
            EntryPoint::Principal { admission } => format!(
                "invocable by {}{}",
                admission.principal.describe(),
                if admission.is_narrowed() {
                    format!(" when {}", admission.narrowed_by.join(", "))
                } else {
                    String::new()
                }
            ),
            EntryPoint::EventSource {
                service,
                source_arn,
                ..
            } => format!(
                "{service} event source {}",
                source_arn.as_deref().unwrap_or("(self-managed)")
            ),
            EntryPoint::Source {
                service,
                arn,
                path,
                anyone,
                accounts,
                unknown,
                ..
            } => {
                let verb = source_words(service).1;
                let name = source_text(service, arn, path);
                match (unknown, anyone) {
                    // A source of another account: its owner writes, whoever else may.
                    (Some(why), _) if !accounts.is_empty() => format!(
                        "{name}: {} may {verb} (who else may is not judged: {why})",
                        accounts.join(", ")
                    ),
                    (Some(why), _) => format!("{name} (who may {verb} not judged: {why})"),
                    (None, true) => format!("{name}: anyone may {verb}"),
                    (None, false) if !accounts.is_empty() => {
                        format!("{name}: {} may {verb}", accounts.join(", "))
                    }
                    (None, false) => format!("{name}: only its own account may {verb}"),
                }
            }
        }
    }
}

fn sns() -> String {
    "sns".into()
}

/// What a source of a trigger kind is called, and what writing to it is: (`SNS topic`,
/// `publish`).
pub fn source_words(service: &str) -> (&'static str, &'static str) {
    match service {
        "sns" => ("SNS topic", "publish"),
        "s3" => ("S3 bucket", "upload"),
        "sqs" => ("SQS queue", "send"),
        "events" => ("event bus", "put events"),
        "kinesis" => ("Kinesis stream", "put records"),
        "dynamodb" => ("DynamoDB table", "write"),
        "cognito" => ("user pool", "sign up"),
        "ses" => ("receipt rule", "send mail"),
        "iot" => ("IoT rule", "publish"),
        "logs" => ("log group", "log"),
        "kafka" => ("Kafka cluster", "produce"),
        "mq" => ("MQ broker", "send"),
        _ => ("source", "write"),
    }
}

/// The trigger kind ([`TRIGGER_KINDS`]) of a source, from its ARN's service: `cognito` for a
/// user pool (`cognito-idp`), the service otherwise (`sns`, `s3`, `events`, ...).
pub fn source_kind(arn: &str) -> &str {
    match arn.split(':').nth(2).unwrap_or_default() {
        "cognito-idp" => "cognito",
        s => s,
    }
}

/// `S3 bucket uploads -> SNS topic orders`: a source and the sources its events pass through on
/// their way to the function.
pub fn source_text(service: &str, arn: &str, path: &[String]) -> String {
    let mut text = format!("{} {}", source_words(service).0, source_name(arn));
    for p in path {
        let kind = source_kind(p);
        let what = if p.contains(":rule/") {
            "EventBridge rule"
        } else {
            source_words(kind).0
        };
        text.push_str(&format!(" -> {what} {}", source_name(p)));
    }
    text
}

/// A source's name from its ARN: a topic's or queue's last part, a bucket's name, a bus's,
/// table's or stream's name.
pub fn source_name(arn: &str) -> &str {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or(arn);
    // A log group's name is its path; a receipt rule's ARN names its rule set first.
    if let Some(group) = resource.strip_prefix("log-group:") {
        return group;
    }
    if let Some((_, rule)) = resource.split_once(":receipt-rule/") {
        return rule;
    }
    resource.rsplit('/').next().unwrap_or(resource)
}

/// A secret a function's role can read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretAccess {
    pub secret: String,
    pub name: String,
    /// Role statements granting `secretsmanager:GetSecretValue` on it.
    pub via: Vec<StatementRef>,
    /// The secret's own resource policy names the role.
    pub by_resource_policy: bool,
    pub conditional: bool,
    /// The account the secret is in, when it is not this one (its policy admits the role, and
    /// its customer-managed key's policy must allow the read too: not collected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// One hop of an explained score: entry point -> function -> role -> data. When the function
/// reads secrets, the last hop says so, and its last evidence lines are its
/// [`FunctionReport::readable_secrets`], one each, in their order (what the explorer links).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    pub label: String,
    pub evidence: Vec<String>,
    /// The role this hop is, when it is one (of another account, on a path across accounts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// A score and its parts; see docs/assessment.md, "Risk score", for the formula.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub total: u8,
    pub exposure: u8,
    pub privilege: u8,
    pub data: u8,
    pub hygiene: u8,
    /// True when part of the input was not collected: the real score may be higher.
    pub partial: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionReport {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// 1 = riskiest.
    pub rank: usize,
    pub score: Score,
    /// The explanation, as a chain with evidence per hop (read on first use).
    pub chain: Deferred<Vec<Hop>>,
    pub entry_points: Vec<EntryPoint>,
    /// Secrets its role can read, one by one (those it reads by name, or by a resource policy).
    pub readable_secrets: Vec<SecretAccess>,
    /// The role may read every secret in the account (`secretsmanager:GetSecretValue` on `*`
    /// with no Deny in the way): these statements say so. The secrets are not listed one by one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reads_every_secret: Option<Vec<StatementRef>>,
    /// Names of environment variables classified as secrets.
    pub env_secrets: Vec<String>,
    pub findings: BTreeMap<Severity, usize>,
    /// What its runtime evidence comes to (`None`: its metrics were not read), worked out here
    /// so that a list can show it without the function's daily series: an organization's
    /// lists read every account's functions without them. Files written before it was kept
    /// have none; their readers work it out from the series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
}

/// A function's runtime evidence in three figures, as of its assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// The last day it was invoked, counted from the window's first (see
    /// [`crate::activity::date_of`]), or `None`: not in the window.
    pub last_invoked_day: Option<u16>,
    /// What it costs a month, in US dollars, at the window's pace.
    pub monthly_usd: f64,
    /// Nothing invoked it in the window and it was last changed before the window began.
    pub idle: bool,
}

impl FunctionReport {
    /// The chain on one line (`public URL -> function f -> role r (admin) -> 3 secrets`);
    /// `without_self` drops the function's own hop, for places that show its name beside. A
    /// damaged chain in the file is an error, never an empty line.
    pub fn chain_line(&self, without_self: bool) -> Result<String, &str> {
        Ok(self
            .chain
            .get()?
            .iter()
            .map(|h| h.label.as_str())
            .filter(|l| !(without_self && l.starts_with("function ")))
            .collect::<Vec<_>>()
            .join(" -> "))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleReport {
    pub arn: String,
    pub name: String,
    /// The functions that run as this role (blast radius).
    pub functions: Vec<String>,
    /// Statements that make it an unconditional administrator.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admin_via: Vec<StatementRef>,
    /// Ways it can make itself administrator.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub self_escalation: Vec<Step>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalations: Vec<Escalation>,
    /// Allowed actions per access level, after Deny and the boundary.
    pub levels: LevelCounts,
    /// Each Allow statement with what it grants (read on first use; see [`Deferred`]).
    pub grants: Deferred<Vec<GrantSummary>>,
    /// Who the trust policy lets assume the role (read on first use).
    pub trusted: Deferred<Vec<Admission>>,
    /// Policies that could not be read: the analysis is incomplete.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<String>,
    /// Functions of the organization's other accounts whose role may become this one (its
    /// blast radius across accounts): the first [`FROM_OTHER_ACCOUNTS_KEPT`] by ARN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_other_accounts: Vec<String>,
    /// How many there are in all.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub from_other_accounts_total: usize,
    /// The most powerful role it may become through a chain of roles (in this account or
    /// others), when it may become one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub becomes: Option<Reached>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// How many of the functions of other accounts that may become a role its report names: a
/// CI deployer every account's functions can reach would otherwise carry them all, in every
/// account that holds such a role.
pub const FROM_OTHER_ACCOUNTS_KEPT: usize = 100;

/// How many of the functions of other accounts that can read a secret its report names (and
/// how many of those that read every secret of the account the assessment names), by account
/// and function; they are counted whole.
pub const FOREIGN_READERS_KEPT: usize = 100;

/// One route or method of an API and the function behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteReach {
    /// `GET /orders` (REST) or the route key (HTTP).
    pub route: String,
    pub authorization: String,
    pub open: bool,
    pub function: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiReport {
    pub arn: String,
    pub name: String,
    pub kind: ResourceKind,
    pub routes: Vec<RouteReach>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretReport {
    pub arn: String,
    pub name: String,
    /// The functions whose role can read it by name or through its resource policy, each once;
    /// those that read every secret (`GetSecretValue` on `*`) are the assessment's
    /// [`Assessment::readers_of_every_secret`], kept once (see [`SecretReport::local_readers`]).
    /// A file written before those were kept apart lists them here too, last.
    pub readers: Vec<String>,
    /// How many functions read it through `GetSecretValue` on `*` (every secret) and not by
    /// name as well.
    pub wildcard_readers: usize,
    /// Principals its resource policy admits.
    pub admitted: Vec<Principal>,
    /// Functions of the organization's other accounts that can read it: through a chain of
    /// roles into this account, or a role its policy admits. Assessed alone: none known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_readers: Vec<ForeignReader>,
    /// How many functions of other accounts can read it in all, each once, the readers of
    /// every secret of the account included: `foreign_readers` and the assessment's readers of
    /// every secret keep the first [`FOREIGN_READERS_KEPT`] each, by account and function.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub foreign_reader_total: usize,
    /// Its policy denies the read to everyone: the readers of every secret of the account
    /// ([`Assessment::foreign_readers_of_every_secret`]) do not read it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refuses_every: bool,
}

/// The functions of other accounts that can read a secret: its own readers (`own`), then those
/// that read every secret of the account (`every`) unless its policy refuses them, each
/// function once.
pub fn foreign_readers_of<'a>(
    own: &'a [ForeignReader],
    refuses_every: bool,
    every: &'a [ForeignReader],
) -> Vec<&'a ForeignReader> {
    let mut out: Vec<&ForeignReader> = own.iter().collect();
    if !refuses_every {
        let named: std::collections::HashSet<&str> =
            own.iter().map(|r| r.function.as_str()).collect();
        out.extend(
            every
                .iter()
                .filter(|r| !named.contains(r.function.as_str())),
        );
    }
    out
}

impl SecretReport {
    /// The functions of other accounts that can read it (see [`foreign_readers_of`]), given the
    /// assessment's readers of every secret.
    pub fn all_foreign<'a>(&'a self, every: &'a [ForeignReader]) -> Vec<&'a ForeignReader> {
        foreign_readers_of(&self.foreign_readers, self.refuses_every, every)
    }

    /// How many functions of other accounts can read it (those listed, when a file older than
    /// the count says no more).
    pub fn foreign_count(&self, every: &[ForeignReader]) -> usize {
        self.foreign_reader_total.max(self.all_foreign(every).len())
    }

    /// Every function of this account that can read it, each once: by name or policy, then
    /// those that read every secret (a file that listed them on each secret: as it lists them).
    pub fn local_readers<'a>(&'a self, a: &'a Assessment) -> Vec<&'a str> {
        let mut out: Vec<&str> = self.readers.iter().map(String::as_str).collect();
        if !a.readers_of_every_secret.is_empty() {
            let named: std::collections::HashSet<&str> = out.iter().copied().collect();
            out.extend(
                a.readers_of_every_secret
                    .iter()
                    .map(String::as_str)
                    .filter(|f| !named.contains(f)),
            );
        }
        out
    }

    /// Every function that can read it, in this account or another.
    pub fn reader_count(&self, a: &Assessment) -> usize {
        let local = if a.readers_of_every_secret.is_empty() {
            self.readers.len()
        } else {
            self.readers.len() + self.wildcard_readers
        };
        local + self.foreign_count(&a.foreign_readers_of_every_secret)
    }
}

/// A function of another account that can read a secret, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignReader {
    /// The function's ARN.
    pub function: String,
    /// Its account.
    pub account: String,
    /// Its account's name in the organization, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    /// The roles the read goes through: the function's own, then each it becomes; the last
    /// reads the secret.
    pub roles: Vec<String>,
    /// How, in words: `as dev/growth-signup-hook-role → staging/deployer → ..., which reads
    /// every secret (...)`.
    pub how: String,
}

/// Everything `assess` concludes about an inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The "now" the assessment measured ages against.
    pub assessed_at: DateTime<Utc>,
    pub tool_version: String,
    /// Where the IAM action table came from.
    pub iam_data: String,
    /// Sorted by severity (highest first), then rule, then resource.
    pub findings: Vec<Finding>,
    pub not_assessed: Vec<NotAssessed>,
    /// Ranked: riskiest first.
    pub functions: Vec<FunctionReport>,
    pub roles: Vec<RoleReport>,
    pub apis: Vec<ApiReport>,
    pub secrets: Vec<SecretReport>,
    /// The functions of the organization's other accounts that can read every secret of this
    /// one (through a chain into a role that reads them all): kept once, not on each secret,
    /// the first [`FOREIGN_READERS_KEPT`] by account and function (each secret's report counts
    /// them all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_readers_of_every_secret: Vec<ForeignReader>,
    /// The functions of this account that can read every secret of it (`GetSecretValue` on
    /// `*`): kept once, not on each secret (500 secrets and 1,000 such functions made 58 MB of
    /// an assessment that listed them on each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readers_of_every_secret: Vec<String>,
    /// What the account was assessed within, when it was more than itself: its organization's
    /// membership, the edges into the other accounts, the SCPs. Absent: the account alone. A
    /// re-assessment alone of an account assessed within says what it no longer sees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<AssessedWithin>,
}

/// The organization's context an assessment was made in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessedWithin {
    /// The organization's id, when known.
    pub organization: Option<String>,
    /// Its accounts, as the membership lists them.
    pub accounts: usize,
    /// The edges between accounts were followed (chains, reads and invocations across them).
    pub crossings: bool,
    /// Its SCPs bounded the roles.
    pub guardrails: bool,
    /// The names of the organization's other accounts this assessment names by id (its roles'
    /// blast radius across accounts), so an account read alone names them as its organization
    /// does.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
}

impl Assessment {
    pub fn severity_counts(&self) -> BTreeMap<Severity, usize> {
        let mut out = BTreeMap::new();
        for f in &self.findings {
            *out.entry(f.severity).or_insert(0) += 1;
        }
        out
    }

    /// A resource's findings, with their places in `findings` (mutes and diffs go by place).
    pub fn findings_for<'a>(
        &'a self,
        resource: &'a str,
    ) -> impl Iterator<Item = (usize, &'a Finding)> {
        self.findings
            .iter()
            .enumerate()
            .filter(move |(_, f)| f.resource == resource)
    }
}

/// Findings counted, the one way every surface (the explorer, `summary`, `assess`, `check`, the
/// exports) counts them, by severity (critical, high, medium, low, info). `findings` holds each
/// finding once: what exports, mutes and `check` go by. `rows` is how a person reads them: a
/// resource's low hygiene findings are one row ([`Assessment::hygiene_groups`]). The two differ
/// only in the low column, and where they differ both are shown, by name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingCounts {
    pub findings: [usize; 5],
    pub rows: [usize; 5],
}

impl FindingCounts {
    /// Adds another's counts (an organization's accounts).
    pub fn add(&mut self, other: &FindingCounts) {
        for (mine, theirs) in [
            (&mut self.findings, other.findings),
            (&mut self.rows, other.rows),
        ] {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| *a += b);
        }
    }

    pub fn total_findings(&self) -> usize {
        self.findings.iter().sum()
    }

    pub fn total_rows(&self) -> usize {
        self.rows.iter().sum()
    }

    /// `2,013 rows, 5,343 findings`, or `34 findings` when every row is one finding.
    pub fn totals(&self) -> String {
        let (rows, findings) = (self.total_rows(), self.total_findings());
        if rows == findings {
            format!("{} finding{}", thousands(findings), plural(findings))
        } else {
            format!(
                "{} row{}, {} findings",
                thousands(rows),
                plural(rows),
                thousands(findings)
            )
        }
    }

    /// Both lines together: `2,013 rows, 5,343 findings; 29 critical, ...`.
    pub fn described(&self) -> String {
        format!("{}; {}", self.totals(), self.by_severity())
    }

    /// `22 critical, 216 high, 282 medium, 430 low rows (1,805 low findings), 2 info`.
    pub fn by_severity(&self) -> String {
        Severity::DESCENDING
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (rows, findings) = (self.rows[i], self.findings[i]);
                if rows == findings {
                    format!("{} {s}", thousands(findings))
                } else {
                    format!(
                        "{} {s} row{} ({} {s} findings)",
                        thousands(rows),
                        plural(rows),
                        thousands(findings)
                    )
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub use sprawl_model::thousands;

/// What a role reached at the end of a chain, most powerful first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Reached {
    Administrator,
    /// A role that can escalate to administrator itself.
    EscalatesToAdministrator,
    /// A role with some escalation.
    Escalation,
    /// Another role, no broader than the privileges it has.
    Role,
}

impl Reached {
    /// `administrator`, `a role that can escalate to administrator`, ...
    pub fn label(self) -> &'static str {
        match self {
            Reached::Administrator => "administrator",
            Reached::EscalatesToAdministrator => "a role that can escalate to administrator",
            Reached::Escalation => "a role that can escalate",
            Reached::Role => "a role no broader than its grants",
        }
    }
}

#[cfg(test)]
mod counts_tests {
    use super::*;

    #[test]
    fn counts_name_rows_and_findings_where_they_differ() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5343), "5,343");
        assert_eq!(thousands(1234567), "1,234,567");
        let c = FindingCounts {
            findings: [22, 216, 282, 1805, 2],
            rows: [22, 216, 282, 430, 2],
        };
        assert_eq!(c.totals(), "952 rows, 2,327 findings");
        assert_eq!(
            c.by_severity(),
            "22 critical, 216 high, 282 medium, 430 low rows (1,805 low findings), 2 info"
        );
        let same = FindingCounts {
            findings: [0, 0, 1, 0, 0],
            rows: [0, 0, 1, 0, 0],
        };
        assert_eq!(same.totals(), "1 finding");
        assert_eq!(
            same.by_severity(),
            "0 critical, 0 high, 1 medium, 0 low, 0 info"
        );
    }
}

#[cfg(test)]
mod entry_point_tests {
    use super::*;

    /// A version 7 snapshot's `topic` entry point reads as an SNS source, reached directly.
    #[test]
    fn a_version_7_topic_entry_point_reads_as_an_sns_source() {
        let e: EntryPoint = serde_json::from_value(serde_json::json!({
            "kind": "topic", "arn": "arn:aws:sns:eu-west-1:111122223333:orders",
            "anyone": true, "via": ["topic policy statement 0"]}))
        .unwrap();
        assert_eq!(e.trigger_kind(), Some("sns"));
        assert!(e.is_public());
        assert_eq!(e.describe(), "SNS topic orders: anyone may publish");
        let EntryPoint::Source { path, .. } = &e else {
            panic!("{e:?}")
        };
        assert!(path.is_empty());
        let back = serde_json::to_value(&e).unwrap();
        assert_eq!(back["kind"], "source");
        assert_eq!(back["service"], "sns");
    }
}
