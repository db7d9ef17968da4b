//! `--format json`: sprawl's findings document. Its shape is `schemas/findings.schema.json`
//! (`format: "sprawl-findings"`, `schema_version`); a test validates real exports against it.
//! Unlike the snapshot it carries no raw inventory: resources with their scores, chains and
//! reach, findings with evidence and mute state, and the scan's coverage.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{ExportError, Report, finding_id};
use crate::assess::mute::Mute;
use crate::assess::{Evidence, Hop, NotAssessed, ResourceKind, RouteReach, Score, Severity};
use crate::model::{Account, CoverageEntry};

/// The value of the document's `format` field.
pub const FORMAT: &str = "sprawl-findings";
/// Bump when a field changes meaning or goes away (adding one is compatible). Version 2: a
/// secret's `readers` lists every function that can read it, each once (those that read every
/// secret among them, last), and `wildcard_readers` counts those.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    schema_version: u32,
    tool_version: &'static str,
    account: &'a Account,
    regions: &'a [String],
    scanned_at: DateTime<Utc>,
    assessed_at: DateTime<Utc>,
    summary: Summary,
    coverage: Coverage<'a>,
    findings: Vec<FindingOut<'a>>,
    not_assessed: &'a [NotAssessed],
    functions: Vec<FunctionOut<'a>>,
    roles: Vec<RoleOut<'a>>,
    apis: Vec<ApiOut<'a>>,
    secrets: Vec<SecretOut<'a>>,
    mutes: Mutes,
}

#[derive(Serialize)]
struct Summary {
    functions: usize,
    roles: usize,
    apis: usize,
    secrets: usize,
    /// Every severity, zeros included, muted findings included.
    findings: BTreeMap<Severity, usize>,
    /// The same as rows: a resource's low hygiene findings one (see `FindingCounts`).
    finding_rows: BTreeMap<Severity, usize>,
    muted: usize,
    not_assessed: usize,
    /// Some calls failed or some checks could not run: the real picture may be worse.
    partial: bool,
}

#[derive(Serialize)]
struct Coverage<'a> {
    complete: bool,
    entries: &'a [CoverageEntry],
}

#[derive(Serialize)]
struct MuteOut {
    line: usize,
    rule: String,
    /// The ARN or glob, or `tag KEY=VALUE`.
    target: String,
    reason: String,
    expires: String,
}

impl MuteOut {
    fn of(m: &Mute) -> Self {
        MuteOut {
            line: m.line,
            rule: m.rule.clone(),
            target: m.target.describe(),
            reason: m.reason.clone(),
            expires: m.expires.format("%Y-%m-%d").to_string(),
        }
    }
}

#[derive(Serialize)]
struct Mutes {
    expired: Vec<MuteOut>,
    unused: Vec<MuteOut>,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    id: String,
    rule: &'a str,
    title: &'a str,
    severity: Severity,
    /// OWASP Serverless Top 10 category (`SAS-1`..`SAS-10`).
    owasp: &'static str,
    resource_kind: ResourceKind,
    resource: &'a str,
    region: &'a str,
    message: &'a str,
    evidence: &'a [Evidence],
    muted: Option<MuteOut>,
}

#[derive(Serialize)]
struct FunctionOut<'a> {
    arn: &'a str,
    name: &'a str,
    region: &'a str,
    rank: usize,
    score: &'a Score,
    chain: &'a [Hop],
    entry_points: Vec<String>,
    /// ARNs of the secrets its role can read one by one.
    readable_secrets: Vec<&'a str>,
    /// Its role can read every secret in the account.
    reads_every_secret: bool,
    /// Names (never values) of environment variables classified as secrets.
    env_secrets: &'a [String],
    findings: &'a BTreeMap<Severity, usize>,
}

#[derive(Serialize)]
struct RoleOut<'a> {
    arn: &'a str,
    name: &'a str,
    functions: &'a [String],
    admin: bool,
    self_escalation: bool,
    /// Privilege-escalation methods it allows (`iam:PassRole + lambda:CreateFunction + ...`).
    escalations: Vec<String>,
    unreadable_policies: &'a [String],
    /// Functions of the organization's other accounts whose role may become it.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    functions_in_other_accounts: &'a [String],
    #[serde(skip_serializing_if = "is_zero")]
    functions_in_other_accounts_total: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct ApiOut<'a> {
    arn: &'a str,
    name: &'a str,
    kind: ResourceKind,
    routes: &'a [RouteReach],
}

#[derive(Serialize)]
struct SecretOut<'a> {
    arn: &'a str,
    name: &'a str,
    readers: Vec<&'a str>,
    wildcard_readers: usize,
    /// Functions of other accounts that can read it: each with its account, roles and how
    /// (the readers of every secret of the account included, unless its policy denies them).
    foreign_readers: Vec<&'a crate::assess::ForeignReader>,
    /// How many functions of other accounts can read it in all (`foreign_readers` names the
    /// first hundred of each way: by the secret's own grants, and of those reading every secret).
    foreign_reader_total: usize,
}

pub fn render(r: &Report) -> Result<Vec<u8>, ExportError> {
    let (s, a) = (r.snapshot, r.assessment);
    let mut findings = Vec::with_capacity(a.findings.len());
    for (i, f) in a.findings.iter().enumerate() {
        let evidence = Report::evidence(f)?;
        let rule = crate::assess::rules::find(&f.rule);
        findings.push(FindingOut {
            id: finding_id(f, evidence),
            rule: &f.rule,
            title: &f.title,
            severity: f.severity,
            owasp: rule.map_or("", |r| r.owasp.code()),
            resource_kind: f.kind,
            resource: &f.resource,
            region: &f.region,
            message: &f.message,
            evidence,
            muted: r.muting.of(i).map(MuteOut::of),
        });
    }
    let mut functions = Vec::with_capacity(a.functions.len());
    for f in &a.functions {
        let chain = f
            .chain
            .get()
            .map_err(|e| ExportError(format!("the risk chain of {} is unreadable ({e})", f.arn)))?;
        functions.push(FunctionOut {
            arn: &f.arn,
            name: &f.name,
            region: &f.region,
            rank: f.rank,
            score: &f.score,
            chain,
            entry_points: f.entry_points.iter().map(|e| e.describe()).collect(),
            readable_secrets: f
                .readable_secrets
                .iter()
                .map(|s| s.secret.as_str())
                .collect(),
            reads_every_secret: f.reads_every_secret.is_some(),
            env_secrets: &f.env_secrets,
            findings: &f.findings,
        });
    }
    let both = a.counts();
    let by = |n: [usize; 5]| -> BTreeMap<Severity, usize> {
        Severity::DESCENDING.iter().copied().zip(n).collect()
    };
    let (counts, rows) = (by(both.findings), by(both.rows));
    let doc = Document {
        format: FORMAT,
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        account: &s.account,
        regions: &s.regions,
        scanned_at: s.scanned_at,
        assessed_at: a.assessed_at,
        summary: Summary {
            functions: a.functions.len(),
            roles: a.roles.len(),
            apis: a.apis.len(),
            secrets: a.secrets.len(),
            findings: counts,
            finding_rows: rows,
            muted: r.muting.muted_count(),
            not_assessed: a.not_assessed.len(),
            partial: !s.coverage.is_complete() || !a.not_assessed.is_empty(),
        },
        coverage: Coverage {
            complete: s.coverage.is_complete(),
            entries: &s.coverage.entries,
        },
        findings,
        not_assessed: &a.not_assessed,
        functions,
        roles: a
            .roles
            .iter()
            .map(|role| RoleOut {
                arn: &role.arn,
                name: &role.name,
                functions: &role.functions,
                admin: !role.admin_via.is_empty(),
                self_escalation: !role.self_escalation.is_empty(),
                escalations: role.escalations.iter().map(|e| e.actions()).collect(),
                unreadable_policies: &role.unreadable,
                functions_in_other_accounts: &role.from_other_accounts,
                functions_in_other_accounts_total: role.from_other_accounts_total,
            })
            .collect(),
        apis: a
            .apis
            .iter()
            .map(|api| ApiOut {
                arn: &api.arn,
                name: &api.name,
                kind: api.kind,
                routes: &api.routes,
            })
            .collect(),
        secrets: a
            .secrets
            .iter()
            .map(|sec| SecretOut {
                arn: &sec.arn,
                name: &sec.name,
                readers: sec.local_readers(a),
                wildcard_readers: sec.wildcard_readers,
                foreign_readers: sec.all_foreign(&a.foreign_readers_of_every_secret),
                foreign_reader_total: sec.foreign_count(&a.foreign_readers_of_every_secret),
            })
            .collect(),
        mutes: Mutes {
            expired: r.muting.expired().map(MuteOut::of).collect(),
            unused: r.muting.unused().map(MuteOut::of).collect(),
        },
    };
    let mut out = serde_json::to_vec_pretty(&doc).expect("an export serializes");
    out.push(b'\n');
    Ok(out)
}
