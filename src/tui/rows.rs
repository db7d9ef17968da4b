//! The explorer's rows, built once from a snapshot: one struct per list, with the fields the
//! columns show, sort and filter on.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use ratatui::layout::Constraint;

use super::marks::{Mark, Marks};
use super::query::{Filterable, Value};
use super::table::{Column, Toned};
use crate::assess::runtimes::{self, Stage};
use crate::assess::{Assessment, ResourceKind, Severity};
use crate::model::Tags;
use crate::snapshot::Snapshot;

/// Findings per severity, critical first.
pub type Counts = [usize; 5];

pub fn worst(c: &Counts) -> Option<Severity> {
    Severity::DESCENDING
        .iter()
        .zip(c)
        .find(|(_, n)| **n > 0)
        .map(|(s, _)| *s)
}

fn counts_text(c: &Counts) -> String {
    if c.iter().all(|n| *n == 0) {
        return "-".into();
    }
    format!("{}c {}h {}m {}l", c[0], c[1], c[2], c[3])
}

fn severity_rank(s: Option<Severity>) -> i8 {
    s.map_or(-1, |s| s as i8)
}

/// Findings per resource ARN.
pub fn counts_by_resource(a: &Assessment) -> HashMap<&str, Counts> {
    let mut out: HashMap<&str, Counts> = HashMap::new();
    for f in &a.findings {
        let i = Severity::DESCENDING
            .iter()
            .position(|s| *s == f.severity)
            .unwrap_or(4);
        out.entry(f.resource.as_str()).or_default()[i] += 1;
    }
    out
}

pub use crate::model::short_name as short;

/// The account a row belongs to: shared by all its rows, shown in an organization's ACCOUNT
/// column and matched by the `account:` filter key (its id or its name).
#[derive(Debug, Default)]
pub struct AccountTag {
    pub id: String,
    /// Its name, or its id when it has none.
    pub label: String,
    /// "id name", lower-cased, for `account:`.
    hay: String,
}

impl AccountTag {
    pub fn new(id: &str, name: Option<&str>) -> Arc<AccountTag> {
        Arc::new(AccountTag {
            id: id.to_string(),
            label: name.unwrap_or(id).to_string(),
            hay: lower(format!("{id} {}", name.unwrap_or_default())),
        })
    }

    /// The tag of a lone snapshot's account.
    pub fn of(s: &Snapshot) -> Arc<AccountTag> {
        AccountTag::new(&s.account.id, None)
    }
}

/// A row of one account's list.
pub trait Accounted {
    fn account(&self) -> &AccountTag;
}

macro_rules! accounted {
    ($($row:ty),*) => {$(
        impl Accounted for $row {
            fn account(&self) -> &AccountTag {
                &self.account
            }
        }
    )*};
}
accounted!(FunctionRow, RoleRow, ApiRow, SecretRow, FindingRow);

/// The `account:` key on any row of an account.
fn account_field(row: &impl Accounted) -> Option<Value<'_>> {
    Some(Value::Text(row.account().hay.as_str().into()))
}

pub struct FunctionRow {
    /// The account the row belongs to.
    pub account: Arc<AccountTag>,
    /// Index in `inventory.functions`.
    pub idx: usize,
    pub arn: String,
    pub name: String,
    pub region: String,
    pub runtime: String,
    pub deprecated: bool,
    pub score: u8,
    pub partial: bool,
    pub rank: usize,
    pub counts: Counts,
    pub triggers: usize,
    /// The kinds of its triggers (`assess::TRIGGER_KINDS`, one bit each), for `trigger:`.
    pub trigger_kinds: u32,
    /// Who may inject events through its sources (an index of `assess::INJECTABLE`), for
    /// `injectable:`.
    pub injectable: u8,
    pub role: String,
    pub last_modified: String,
    /// From the metrics (`scan --metrics`): the last day invoked, `never` in the window, or
    /// `None` when they were not read.
    pub last_invoked: Option<String>,
    /// Estimated US dollars a month, when the metrics were read.
    pub cost: Option<f64>,
    /// Idle as `lambda-idle` judges it, when the metrics were read.
    pub idle: Option<bool>,
    pub team: Option<String>,
    pub tags: Tags,
    hay: String,
}

pub struct RoleRow {
    /// The account the row belongs to.
    pub account: Arc<AccountTag>,
    pub arn: String,
    pub name: String,
    pub functions: usize,
    pub admin: bool,
    pub escalations: usize,
    /// It may become an administrator through a chain of roles.
    pub chain_to_admin: bool,
    pub counts: Counts,
    hay: String,
}

pub struct ApiRow {
    /// The account the row belongs to.
    pub account: Arc<AccountTag>,
    pub arn: String,
    pub name: String,
    pub kind: &'static str,
    pub region: String,
    pub routes: usize,
    pub open: usize,
    pub stages: usize,
    pub counts: Counts,
    hay: String,
}

pub struct SecretRow {
    /// The account the row belongs to.
    pub account: Arc<AccountTag>,
    pub idx: usize,
    pub arn: String,
    pub name: String,
    pub region: String,
    pub rotation: String,
    pub last_rotated: String,
    pub last_accessed: String,
    pub readers: usize,
    pub counts: Counts,
    pub tags: Tags,
    hay: String,
}

pub struct FindingRow {
    /// The account the row belongs to.
    pub account: Arc<AccountTag>,
    pub severity: Severity,
    /// Muted, or new since an older snapshot.
    pub mark: Mark,
    pub rule: String,
    pub kind: ResourceKind,
    pub resource: String,
    pub name: String,
    pub region: String,
    pub message: String,
    /// The findings it holds: one, or a resource's low hygiene findings of one mark.
    pub findings: usize,
    hay: String,
}

/// A row's search text: lower-cased in place (no second copy per row).
fn lower(mut text: String) -> String {
    text.make_ascii_lowercase();
    text
}

fn date(s: Option<&str>) -> String {
    s.map(|d| d.chars().take(10).collect())
        .unwrap_or_else(|| "-".into())
}

/// Every list's rows.
#[derive(Default)]
pub struct Rows {
    pub functions: Vec<FunctionRow>,
    pub roles: Vec<RoleRow>,
    pub apis: Vec<ApiRow>,
    pub secrets: Vec<SecretRow>,
    pub findings: Vec<FindingRow>,
    /// The organization's accounts (a lone snapshot: its one account).
    pub accounts: Vec<AccountRow>,
    /// The edges between the organization's accounts (none for a lone snapshot).
    pub paths: Vec<PathRow>,
}

/// A role of one account that may become a role of another.
/// The HOW of an edge to another account's secret, and to its function.
const SECRET_EDGE: &str = "reads secret";
const INVOKE_EDGE: &str = "invokes function";
/// A role that writes to another account's event source, which invokes the function.
const TRIGGER_EDGE: &str = "triggers function";

pub struct PathRow {
    pub from: Arc<AccountTag>,
    pub from_role: String,
    pub to: Arc<AccountTag>,
    /// The target role's ARN (Enter opens it, in its account).
    pub to_role: String,
    pub kind: &'static str,
    pub conditional: bool,
    pub to_admin: bool,
    /// What the target is at the end of a chain (None: no broader than its grants).
    pub reaches: Option<crate::assess::Reached>,
    /// Why no function can take the edge, when none can.
    pub stopped: Option<String>,
    /// What the SCPs over the source's account say of it.
    pub scp: &'static str,
    hay: String,
}

impl PathRow {
    fn new(e: &crate::assess::paths::CrossEdge, tag: &dyn Fn(&str) -> Arc<AccountTag>) -> PathRow {
        let (from, to) = (tag(&e.from_account), tag(&e.to_account));
        let from_role = short(&e.from_role).to_string();
        let to_role = e.to_role.clone();
        let hay = lower(format!(
            "{} {from_role} {} {}",
            from.label,
            to.label,
            short(&to_role)
        ));
        PathRow {
            from,
            from_role,
            to,
            to_role,
            kind: if e.named {
                "trust names it"
            } else {
                "trust admits account"
            },
            conditional: e.is_conditional(),
            to_admin: e.to_admin,
            reaches: e.reaches,
            stopped: e.stopped.clone(),
            scp: e.scp.label(),
            hay,
        }
    }

    /// A role that may reach a resource of another account: `kind` says what it does to it
    /// (`reads secret`, `invokes function`), `arn` is the resource's.
    fn resource(
        e: &crate::assess::paths::ResourceEdge,
        arn: &str,
        kind: &'static str,
        conditional: bool,
        tag: &dyn Fn(&str) -> Arc<AccountTag>,
    ) -> PathRow {
        let (from, to) = (tag(&e.from_account), tag(&e.to_account));
        let from_role = short(&e.from_role).to_string();
        let what = kind.rsplit(' ').next().unwrap_or(kind);
        let hay = lower(format!(
            "{} {from_role} {} {} {what}",
            from.label, to.label, e.name
        ));
        PathRow {
            from,
            from_role,
            to,
            to_role: arn.to_string(),
            kind,
            conditional,
            to_admin: false,
            reaches: None,
            stopped: e.stopped.clone(),
            scp: e.scp.label(),
            hay,
        }
    }

    /// Whether it ends at a resource (a secret, a function) rather than a role.
    pub fn ends_at_resource(&self) -> bool {
        matches!(self.kind, SECRET_EDGE | INVOKE_EDGE | TRIGGER_EDGE)
    }

    /// How strong what it reaches is, strongest highest, an edge no function can take lowest.
    fn strength(&self) -> (bool, u8, bool) {
        use crate::assess::Reached;
        let rank = match self.reaches {
            Some(Reached::Administrator) => 4,
            Some(Reached::EscalatesToAdministrator) => 3,
            Some(Reached::Escalation) => 2,
            Some(Reached::Role) | None => 1,
        };
        (self.stopped.is_none(), rank, !self.conditional)
    }

    /// What the REACHES column says.
    fn reaches_label(&self) -> &'static str {
        use crate::assess::Reached;
        match self.kind {
            SECRET_EDGE => return "a secret",
            INVOKE_EDGE | TRIGGER_EDGE => return "a function",
            _ => {}
        }
        match self.reaches {
            Some(Reached::Administrator) => "administrator",
            Some(Reached::EscalatesToAdministrator) => "escalates to admin",
            Some(Reached::Escalation) => "escalation",
            Some(Reached::Role) | None => "-",
        }
    }
}

impl Filterable for PathRow {
    fn keys() -> &'static [&'static str] {
        &[
            "account",
            "from",
            "to",
            "admin",
            "conditional",
            "stopped",
            "scp",
            "reaches",
        ]
    }
    fn haystack(&self) -> &str {
        &self.hay
    }
    fn field(&self, key: &str) -> Option<Value<'_>> {
        match key {
            // Either end.
            "account" => Some(Value::Text(
                format!("{} {}", self.from.hay, self.to.hay).into(),
            )),
            "from" => Some(Value::Text(self.from.hay.as_str().into())),
            "to" => Some(Value::Text(self.to.hay.as_str().into())),
            "admin" => text(if self.to_admin { "yes" } else { "no" }),
            "conditional" => text(if self.conditional { "yes" } else { "no" }),
            "stopped" => text(if self.stopped.is_some() { "yes" } else { "no" }),
            "scp" => text(self.scp),
            "reaches" => text(self.reaches_label()),
            _ => None,
        }
    }
}

impl Toned for PathRow {
    fn tone(&self) -> Option<Severity> {
        Some(match self.strength() {
            (false, _, _) => Severity::Info,
            (true, 3.., true) => Severity::Critical,
            (true, 3.., false) => Severity::High,
            (true, _, true) => Severity::Medium,
            (true, _, false) => Severity::Low,
        })
    }
}

/// One account of the organization, from its snapshot's header: no account is read to list them.
pub struct AccountRow {
    pub id: String,
    pub name: String,
    pub ou: String,
    pub functions: usize,
    pub counts: Counts,
    /// The riskiest function's score.
    pub score: Option<u8>,
    pub riskiest: String,
    /// Coverage gaps and checks not assessed, or why the account was not scanned.
    pub gaps: usize,
    pub failure: Option<String>,
    pub scanned: String,
    hay: String,
    /// "id name", lower-cased, for `account:`.
    tag_hay: String,
}

impl AccountRow {
    pub fn new(
        info: &crate::model::AccountInfo,
        summary: Option<&crate::snapshot::org::AccountSummary>,
        failure: Option<&str>,
        scanned: Option<chrono::DateTime<chrono::Utc>>,
    ) -> AccountRow {
        let name = info.name.clone().unwrap_or_else(|| "-".into());
        let ou = info.ou_path.join("/");
        let hay = format!("{} {name} {ou}", info.id).to_lowercase();
        let tag_hay = format!("{} {name}", info.id).to_lowercase();
        AccountRow {
            id: info.id.clone(),
            name,
            ou,
            functions: summary.map_or(0, |s| s.functions),
            counts: summary.map_or([0; 5], |s| s.findings),
            score: summary.and_then(|s| s.riskiest.as_ref().map(|r| r.score)),
            riskiest: summary
                .and_then(|s| s.riskiest.as_ref().map(|r| r.name.clone()))
                .unwrap_or_default(),
            gaps: summary.map_or(0, |s| s.coverage_gaps + s.not_assessed),
            failure: failure.map(str::to_string),
            scanned: scanned.map_or_else(
                || "not scanned".into(),
                |t| t.format("%Y-%m-%d %H:%M").to_string(),
            ),
            hay,
            tag_hay,
        }
    }

    /// The rows of an organization's accounts, or of a lone snapshot's one account.
    pub fn all(org: Option<&crate::snapshot::org::Header>, s: &Snapshot) -> Vec<AccountRow> {
        match org {
            Some(h) => h
                .accounts
                .iter()
                .map(|a| {
                    AccountRow::new(
                        &a.info,
                        a.summary.as_ref(),
                        a.failure.as_deref(),
                        a.scanned_at,
                    )
                })
                .collect(),
            None => vec![AccountRow::new(
                &crate::model::AccountInfo {
                    id: s.account.id.clone(),
                    ..Default::default()
                },
                Some(&crate::snapshot::org::AccountSummary::counts(s)),
                None,
                Some(s.scanned_at),
            )],
        }
    }
}

/// The last invocation of a function its metrics saw none for.
pub const NEVER: &str = "never";

/// The function list's rows, in risk order.
fn function_rows(
    s: &Snapshot,
    a: &Assessment,
    counts: &HashMap<&str, Counts>,
    tag: &Arc<AccountTag>,
) -> Vec<FunctionRow> {
    let count = |arn: &str| counts.get(arn).copied().unwrap_or_default();
    let reports: HashMap<&str, &crate::assess::FunctionReport> =
        a.functions.iter().map(|f| (f.arn.as_str(), f)).collect();
    let today = a.assessed_at.date_naive();
    let mut functions: Vec<FunctionRow> = s
        .inventory
        .functions
        .iter()
        .enumerate()
        .map(|(idx, f)| {
            let report = reports.get(f.arn.as_str());
            // The assessment's figures; a file written before it kept them has the series.
            let usage = report
                .and_then(|r| r.usage.clone())
                .or_else(|| crate::assess::activity::usage(f, a.assessed_at));
            let runtime = f.runtime.clone().unwrap_or_else(|| f.package_type.clone());
            let tags = f.tags.value().cloned().unwrap_or_default();
            let team = tags.owner().map(str::to_string);
            let role = short(&f.role_arn).to_string();
            let mut hay = String::with_capacity(128);
            for part in [&f.name, &f.region, &runtime, &role]
                .into_iter()
                .chain(team.as_ref())
                .chain(tags.values())
            {
                hay.push_str(part);
                hay.push(' ');
            }
            hay.make_ascii_lowercase();
            FunctionRow {
                account: Arc::clone(tag),
                idx,
                arn: f.arn.clone(),
                name: f.name.clone(),
                region: f.region.clone(),
                deprecated: !matches!(
                    runtimes::stage(&runtime, today),
                    Stage::Supported | Stage::Unknown
                ),
                runtime,
                score: report.map_or(0, |r| r.score.total),
                partial: report.is_some_and(|r| r.score.partial),
                rank: report.map_or(usize::MAX, |r| r.rank),
                counts: count(&f.arn),
                triggers: report.map_or(0, |r| r.entry_points.len()),
                trigger_kinds: report.map_or(0, |r| trigger_bits(&r.entry_points)),
                injectable: injectable_index(report.map_or(&[][..], |r| &r.entry_points)),
                role,
                last_modified: date(f.last_modified.as_deref()),
                last_invoked: f.activity.value().zip(usage.as_ref()).map(|(a, u)| {
                    u.last_invoked_day
                        .map_or_else(|| NEVER.into(), |d| crate::assess::activity::date_of(a, d))
                }),
                cost: usage.as_ref().map(|u| u.monthly_usd),
                idle: usage.as_ref().map(|u| u.idle),
                team,
                tags,
                hay,
            }
        })
        .collect();
    functions.sort_by_key(|f| f.rank);
    functions
}

impl Rows {
    /// Builds every list's rows, each tagged with `tag` (its account); the function list (the
    /// biggest) on a second thread.
    pub fn build(s: &Snapshot, a: &Assessment, marks: &Marks, tag: &Arc<AccountTag>) -> Rows {
        let counts = counts_by_resource(a);
        let count = |arn: &str| counts.get(arn).copied().unwrap_or_default();
        let (functions, rest) = std::thread::scope(|scope| {
            let functions = scope.spawn(|| function_rows(s, a, &counts, tag));
            let rest = Rows::others(s, a, &count, marks, tag);
            (
                functions.join().expect("building rows does not panic"),
                rest,
            )
        });
        Rows { functions, ..rest }
    }

    /// Every scanned account's rows, one list per kind across the organization, each row tagged
    /// with its account. Accounts are read side by side, a few at a time, and each snapshot is
    /// dropped once its rows are built: the rows are all the lists keep. Returns the rows and,
    /// per account that could not be read, why.
    pub fn organization(
        org: &crate::snapshot::org::OrgSnapshot,
        muting: &crate::assess::mute::Muting,
    ) -> (Rows, Vec<String>) {
        use std::sync::Mutex;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let scanned: Vec<_> = org
            .header
            .accounts
            .iter()
            .filter(|a| a.part.is_some())
            .collect();
        type Built = Result<
            (
                Rows,
                crate::snapshot::org::Crossing,
                chrono::DateTime<chrono::Utc>,
            ),
            String,
        >;
        let built: Vec<Mutex<Option<Built>>> = scanned.iter().map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(entry) = scanned.get(i) else { break };
                        let rows = org
                            .account_for_lists(&entry.info.id)
                            .map(|s| {
                                let marks = Marks {
                                    muting: muting.reapply(&s.assessment, &s.inventory),
                                    ..Marks::default()
                                };
                                let tag =
                                    AccountTag::new(&entry.info.id, entry.info.name.as_deref());
                                let rows = Rows::build(&s, &s.assessment, &marks, &tag);
                                // What the account brings to the edges between accounts,
                                // as a target and as a source (compactly: it is not read
                                // again for them).
                                let crossing =
                                    crate::snapshot::org::Crossing::of(&s.account.id, &s.inventory);
                                (rows, crossing, s.scanned_at)
                            })
                            .map_err(|e| e.to_string());
                        *built[i].lock().expect("no worker panics holding it") = Some(rows);
                    }
                });
            }
        });
        let mut all = Rows::default();
        let mut failures = Vec::new();
        let mut crossing = Vec::new();
        let mut now = chrono::DateTime::UNIX_EPOCH;
        for (slot, entry) in built.into_iter().zip(&scanned) {
            match slot.into_inner().expect("no worker panicked") {
                Some(Ok((rows, roles, scanned_at))) => {
                    all.append(rows);
                    crossing.push((entry, roles));
                    now = now.max(scanned_at);
                }
                Some(Err(why)) => failures.push(why),
                None => {}
            }
        }
        // The edges between the accounts, from the targets kept as each account was read.
        let read = crossing
            .into_iter()
            .map(|(e, mut c)| {
                c.account = e.info.id.clone();
                c
            })
            .collect();
        let found = match crate::snapshot::org::edges_among(org, read, now) {
            Ok(e) => e.paths,
            Err(e) => {
                failures.push(format!("edges between accounts unknown: {e}"));
                Default::default()
            }
        };
        if let Some(first) = found.not_assessed.first() {
            failures.push(format!(
                "edges between accounts not assessed for {} role(s): {first}",
                found.not_assessed.len()
            ));
        }
        let tag =
            |id: &str| AccountTag::new(id, org.entry(id).and_then(|e| e.info.name.as_deref()));
        all.paths = found
            .edges
            .iter()
            .map(|e| PathRow::new(e, &tag))
            .chain(found.secrets.iter().map(|e| {
                // A secret under a customer-managed key is read if that key allows it.
                let conditional = e.edge.conditional || e.key.is_some();
                PathRow::resource(&e.edge, &e.secret, SECRET_EDGE, conditional, &tag)
            }))
            .chain(found.invokes.iter().map(|e| {
                let kind = match e.through {
                    Some(_) => TRIGGER_EDGE,
                    None => INVOKE_EDGE,
                };
                PathRow::resource(&e.edge, &e.function, kind, e.edge.conditional, &tag)
            }))
            .collect();
        drop(found);
        // Every account's snapshot was read and let go on the workers' threads.
        crate::memory::give_back();
        (all, failures)
    }

    /// Adds another account's rows after these.
    fn append(&mut self, mut other: Rows) {
        self.functions.append(&mut other.functions);
        self.roles.append(&mut other.roles);
        self.apis.append(&mut other.apis);
        self.secrets.append(&mut other.secrets);
        self.findings.append(&mut other.findings);
        self.accounts.append(&mut other.accounts);
        self.paths.append(&mut other.paths);
    }

    /// Every list but the functions'.
    fn others(
        s: &Snapshot,
        a: &Assessment,
        count: &dyn Fn(&str) -> Counts,
        marks: &Marks,
        tag: &Arc<AccountTag>,
    ) -> Rows {
        let roles = a
            .roles
            .iter()
            .map(|r| RoleRow {
                account: Arc::clone(tag),
                arn: r.arn.clone(),
                name: r.name.clone(),
                functions: r.functions.len(),
                admin: !r.admin_via.is_empty(),
                escalations: r.escalations.len() + usize::from(!r.self_escalation.is_empty()),
                chain_to_admin: r.becomes == Some(crate::assess::Reached::Administrator),
                counts: count(&r.arn),
                hay: r.name.to_ascii_lowercase(),
            })
            .collect();

        // REST and HTTP/WebSocket APIs side by side: (arn, name, region, kind, stage names).
        let described = s
            .inventory
            .rest_apis
            .iter()
            .map(|api| {
                let private = api.is_private();
                let stages: Vec<&str> = api
                    .stages
                    .value()
                    .into_iter()
                    .flatten()
                    .map(|st| st.name.as_str())
                    .collect();
                (
                    &api.arn,
                    &api.name,
                    &api.region,
                    if private { "REST (private)" } else { "REST" },
                    stages,
                )
            })
            .chain(s.inventory.http_apis.iter().map(|api| {
                let stages: Vec<&str> = api
                    .stages
                    .value()
                    .into_iter()
                    .flatten()
                    .map(|st| st.name.as_str())
                    .collect();
                let kind = if api.is_websocket() {
                    "WebSocket"
                } else {
                    "HTTP"
                };
                (&api.arn, &api.name, &api.region, kind, stages)
            }));
        let apis = described
            .map(|(arn, name, region, kind, stages)| {
                let report = a.apis.iter().find(|x| &x.arn == arn);
                // The API's findings and its stages'.
                let mut counts = count(arn);
                for stage in &stages {
                    for (x, y) in counts
                        .iter_mut()
                        .zip(count(&crate::model::stage_arn(arn, stage)))
                    {
                        *x += y;
                    }
                }
                ApiRow {
                    account: Arc::clone(tag),
                    arn: arn.clone(),
                    name: name.clone(),
                    kind,
                    region: region.clone(),
                    routes: report.map_or(0, |r| r.routes.len()),
                    open: report.map_or(0, |r| {
                        r.routes
                            .iter()
                            .filter(|x| x.open && x.function.is_some())
                            .count()
                    }),
                    stages: stages.len(),
                    counts,
                    hay: lower(format!("{name} {region} {kind}")),
                }
            })
            .collect();

        let readers: HashMap<&str, usize> = a
            .secrets
            .iter()
            // Each function once, however many ways it can read the secret, in this account or
            // another.
            .map(|x| (x.arn.as_str(), x.reader_count(a)))
            .collect();
        let secrets = s
            .inventory
            .secrets
            .iter()
            .enumerate()
            .map(|(idx, x)| SecretRow {
                account: Arc::clone(tag),
                idx,
                arn: x.arn.clone(),
                name: x.name.clone(),
                region: x.region.clone(),
                rotation: if x.rotation_enabled {
                    x.rotation_every_days
                        .map_or("on".into(), |d| format!("every {d}d"))
                } else {
                    "off".into()
                },
                last_rotated: date(x.last_rotated.as_deref()),
                last_accessed: date(x.last_accessed.as_deref()),
                readers: readers.get(x.arn.as_str()).copied().unwrap_or(0),
                counts: count(&x.arn),
                tags: x.tags.clone(),
                hay: lower(format!("{} {}", x.name, x.region)),
            })
            .collect();

        // A resource's low hygiene findings of one mark are one row ("3 hygiene gaps"), led by
        // the first of them; a muted or new one is never folded into unmarked ones.
        let mut folded: HashMap<usize, Vec<usize>> = HashMap::new();
        for group in a.hygiene_groups().into_values() {
            let mut by_mark: Vec<(Mark, Vec<usize>)> = Vec::new();
            for i in group {
                match by_mark.iter_mut().find(|(m, _)| *m == marks.mark(i)) {
                    Some((_, g)) => g.push(i),
                    None => by_mark.push((marks.mark(i), vec![i])),
                }
            }
            for (_, g) in by_mark.into_iter().filter(|(_, g)| g.len() > 1) {
                folded.insert(g[0], g);
            }
        }
        let skipped: std::collections::HashSet<usize> = folded
            .values()
            .flat_map(|g| g[1..].iter().copied())
            .collect();
        let findings = a
            .findings
            .iter()
            .enumerate()
            .filter(|(i, _)| !skipped.contains(i))
            .map(|(i, f)| {
                let (rule, message) = match folded.get(&i) {
                    Some(g) => {
                        let of = |part: fn(&crate::assess::Finding) -> &str| {
                            g.iter().map(|&k| part(&a.findings[k])).collect::<Vec<_>>()
                        };
                        (
                            format!(
                                "{} hygiene gaps: {}",
                                g.len(),
                                of(|f| f.rule.as_str()).join(", ")
                            ),
                            of(|f| f.message.as_str()).join("; "),
                        )
                    }
                    None => (f.rule.clone(), f.message.clone()),
                };
                let hay = lower(format!(
                    "{rule} {} {} {message} {}",
                    f.resource,
                    f.region,
                    marks.mark(i).label()
                ));
                FindingRow {
                    account: Arc::clone(tag),
                    severity: f.severity,
                    mark: marks.mark(i),
                    // A group's rule names its rules: `rule:lambda-no-vpc` still finds it.
                    rule,
                    kind: f.kind,
                    resource: f.resource.clone(),
                    name: short(&f.resource).to_string(),
                    region: f.region.clone(),
                    message,
                    findings: folded.get(&i).map_or(1, Vec::len),
                    hay,
                }
            })
            .collect();

        Rows {
            functions: Vec::new(),
            roles,
            apis,
            secrets,
            findings,
            accounts: Vec::new(),
            paths: Vec::new(),
        }
    }
}

impl Filterable for AccountRow {
    fn keys() -> &'static [&'static str] {
        &[
            "account",
            "id",
            "name",
            "ou",
            "functions",
            "score",
            "gaps",
            "severity",
            "risk",
            "scanned",
        ]
    }
    fn haystack(&self) -> &str {
        &self.hay
    }
    fn field(&self, key: &str) -> Option<Value<'_>> {
        match key {
            // Its id or its name, as in the other lists.
            "account" => text(&self.tag_hay),
            "id" => text(&self.id),
            "name" => text(&self.name),
            "ou" => text(&self.ou),
            "functions" => num(self.functions),
            "score" => self.score.map(|s| Value::Number(f64::from(s))),
            "gaps" => num(self.gaps),
            "risk" | "severity" => Some(Value::Severity(worst(&self.counts))),
            "scanned" => text(if self.failure.is_some() { "no" } else { "yes" }),
            _ => None,
        }
    }
}

impl Toned for AccountRow {
    fn tone(&self) -> Option<Severity> {
        if self.failure.is_some() {
            Some(Severity::High)
        } else {
            worst(&self.counts)
        }
    }
}

fn text(s: &str) -> Option<Value<'_>> {
    Some(Value::Text(s.into()))
}

fn num(n: usize) -> Option<Value<'static>> {
    Some(Value::Number(n as f64))
}

impl Toned for FunctionRow {
    fn tone(&self) -> Option<Severity> {
        worst(&self.counts)
    }
}
impl Toned for RoleRow {
    fn tone(&self) -> Option<Severity> {
        worst(&self.counts)
    }
}
impl Toned for ApiRow {
    fn tone(&self) -> Option<Severity> {
        worst(&self.counts)
    }
}
impl Toned for SecretRow {
    fn tone(&self) -> Option<Severity> {
        worst(&self.counts)
    }
}
impl Toned for FindingRow {
    /// A muted finding is an accepted risk: plain text, not its severity's colour.
    fn tone(&self) -> Option<Severity> {
        (self.mark != Mark::Muted).then_some(self.severity)
    }
}

impl Filterable for FunctionRow {
    fn keys() -> &'static [&'static str] {
        &[
            "account",
            "name",
            "region",
            "runtime",
            "role",
            "team",
            "owner",
            "severity",
            "risk",
            "score",
            "triggers",
            "trigger",
            "injectable",
            "deprecated",
            "modified",
            "last-invoked",
            "idle",
            "cost",
        ]
    }
    fn tagged() -> bool {
        true
    }
    fn haystack(&self) -> &str {
        &self.hay
    }
    fn field(&self, key: &str) -> Option<Value<'_>> {
        match key {
            "account" => account_field(self),
            "name" => text(&self.name),
            "region" => text(&self.region),
            "runtime" => text(&self.runtime),
            "role" => text(&self.role),
            "team" | "owner" => self.team.as_deref().and_then(text),
            "risk" | "severity" => Some(Value::Severity(worst(&self.counts))),
            "score" => Some(Value::Number(f64::from(self.score))),
            "triggers" => num(self.triggers),
            "trigger" => text(trigger_text(self.trigger_kinds)),
            "injectable" => text(crate::assess::INJECTABLE[usize::from(self.injectable)]),
            "deprecated" => text(if self.deprecated { "yes" } else { "no" }),
            "modified" => text(&self.last_modified),
            "last-invoked" | "invoked" => self.last_invoked.as_deref().and_then(text),
            "idle" => self.idle.and_then(|i| text(if i { "yes" } else { "no" })),
            "cost" => self.cost.map(Value::Number),
            tag => self
                .tags
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(tag))
                .and_then(|(_, v)| text(v)),
        }
    }
}

impl Filterable for RoleRow {
    fn keys() -> &'static [&'static str] {
        &[
            "account",
            "name",
            "functions",
            "admin",
            "escalations",
            "severity",
            "risk",
        ]
    }
    fn haystack(&self) -> &str {
        &self.hay
    }
    fn field(&self, key: &str) -> Option<Value<'_>> {
        match key {
            "account" => account_field(self),
            "name" => text(&self.name),
            "functions" => num(self.functions),
            "admin" => text(if self.admin { "yes" } else { "no" }),
            "escalations" => num(self.escalations),
            "risk" | "severity" => Some(Value::Severity(worst(&self.counts))),
            _ => None,
        }
    }
}

impl Filterable for ApiRow {
    fn keys() -> &'static [&'static str] {
        &[
            "account", "name", "kind", "type", "region", "open", "routes", "severity", "risk",
        ]
    }
    fn haystack(&self) -> &str {
        &self.hay
    }
    fn field(&self, key: &str) -> Option<Value<'_>> {
        match key {
            "account" => account_field(self),
            "name" => text(&self.name),
            "kind" | "type" => text(self.kind),
            "region" => text(&self.region),
            "open" => num(self.open),
            "routes" => num(self.routes),
            "risk" | "severity" => Some(Value::Severity(worst(&self.counts))),
            _ => None,
        }
    }
}

impl Filterable for SecretRow {
    fn keys() -> &'static [&'static str] {
        &[
            "account", "name", "region", "rotation", "readers", "severity", "risk", "team", "owner",
        ]
    }
    fn tagged() -> bool {
        true
    }
    fn haystack(&self) -> &str {
        &self.hay
    }
    fn field(&self, key: &str) -> Option<Value<'_>> {
        match key {
            "account" => account_field(self),
            "name" => text(&self.name),
            "region" => text(&self.region),
            "rotation" => text(&self.rotation),
            "readers" => num(self.readers),
            "risk" | "severity" => Some(Value::Severity(worst(&self.counts))),
            "team" | "owner" => self.tags.owner().and_then(text),
            tag => self
                .tags
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(tag))
                .and_then(|(_, v)| text(v)),
        }
    }
}

impl Filterable for FindingRow {
    fn keys() -> &'static [&'static str] {
        &[
            "account", "rule", "region", "resource", "name", "kind", "type", "severity", "risk",
            "state", "mark",
        ]
    }
    fn haystack(&self) -> &str {
        &self.hay
    }
    fn field(&self, key: &str) -> Option<Value<'_>> {
        match key {
            "account" => account_field(self),
            "rule" => text(&self.rule),
            "region" => text(&self.region),
            "resource" | "name" => text(&self.resource),
            "kind" | "type" => text(self.kind.label()),
            "risk" | "severity" => Some(Value::Severity(Some(self.severity))),
            "state" | "mark" => text(self.mark.label()),
            _ => None,
        }
    }
}

macro_rules! col {
    ($title:literal, $w:expr, $desc:expr, |$r:ident| $text:expr, |$a:ident, $b:ident| $cmp:expr) => {
        Column {
            title: $title,
            width: $w,
            desc_first: $desc,
            text: |$r| $text,
            cmp: |$a, $b| $cmp,
        }
    };
}

/// The ACCOUNT column of an organization's lists: the account's name (or id).
pub fn account_column<R: Accounted>() -> Column<R> {
    Column {
        title: "ACCOUNT",
        width: Constraint::Length(14),
        desc_first: false,
        text: |r| r.account().label.clone(),
        cmp: |a, b| a.account().label.cmp(&b.account().label),
    }
}

fn cmp_counts(a: &Counts, b: &Counts) -> Ordering {
    a.cmp(b)
}

/// Worst severity first, then the counts.
fn by_worst(a: &Counts, b: &Counts) -> Ordering {
    severity_rank(worst(a))
        .cmp(&severity_rank(worst(b)))
        .then(cmp_counts(a, b))
}

/// Columns every row with `counts`, `name` or `region` shares.
macro_rules! worst_col {
    () => {
        col!(
            "SEVERITY",
            Constraint::Length(9),
            true,
            |r| worst(&r.counts).map_or("-".into(), |s| s.label().to_string()),
            |a, b| by_worst(&a.counts, &b.counts)
        )
    };
}
macro_rules! name_col {
    ($min:expr) => {
        col!(
            "NAME",
            Constraint::Min($min),
            false,
            |r| r.name.clone(),
            |a, b| a.name.cmp(&b.name)
        )
    };
}
macro_rules! functions_col {
    () => {
        col!(
            "FUNCTIONS",
            Constraint::Length(10),
            true,
            |r| r.functions.to_string(),
            |a, b| a.functions.cmp(&b.functions)
        )
    };
}
macro_rules! region_col {
    () => {
        col!(
            "REGION",
            Constraint::Length(15),
            false,
            |r| r.region.clone(),
            |a, b| a.region.cmp(&b.region)
        )
    };
}
macro_rules! findings_col {
    () => {
        col!(
            "FINDINGS",
            Constraint::Length(15),
            true,
            |r| counts_text(&r.counts),
            |a, b| cmp_counts(&a.counts, &b.counts)
        )
    };
}

pub static FUNCTION_COLUMNS: [Column<FunctionRow>; 11] = [
    col!(
        "SCORE",
        Constraint::Length(6),
        true,
        |r| format!("{:>3}{}", r.score, if r.partial { "+" } else { "" }),
        |a, b| a.score.cmp(&b.score)
    ),
    name_col!(24),
    col!(
        "RUNTIME",
        Constraint::Length(17),
        false,
        |r| if r.deprecated {
            format!("{} !", r.runtime)
        } else {
            r.runtime.clone()
        },
        |a, b| a.runtime.cmp(&b.runtime)
    ),
    region_col!(),
    col!(
        "TRIG",
        Constraint::Length(5),
        true,
        |r| r.triggers.to_string(),
        |a, b| a.triggers.cmp(&b.triggers)
    ),
    col!(
        "ROLE",
        Constraint::Min(16),
        false,
        |r| r.role.clone(),
        |a, b| a.role.cmp(&b.role)
    ),
    col!(
        "TEAM",
        Constraint::Length(10),
        false,
        |r| r.team.clone().unwrap_or_else(|| "-".into()),
        |a, b| a.team.cmp(&b.team)
    ),
    col!(
        "MODIFIED",
        Constraint::Length(11),
        true,
        |r| r.last_modified.clone(),
        |a, b| a.last_modified.cmp(&b.last_modified)
    ),
    col!(
        "INVOKED",
        Constraint::Length(11),
        true,
        |r| r.last_invoked.clone().unwrap_or_else(|| "-".into()),
        // Never invoked sorts as the oldest; not read, below everything.
        |a, b| invoked_key(a).cmp(&invoked_key(b))
    ),
    col!(
        "COST/MO",
        Constraint::Length(8),
        true,
        |r| r.cost.map_or("-".into(), crate::assess::cost::dollars),
        |a, b| a.cost.unwrap_or(-1.0).total_cmp(&b.cost.unwrap_or(-1.0))
    ),
    findings_col!(),
];

fn invoked_key(r: &FunctionRow) -> (u8, &str) {
    match r.last_invoked.as_deref() {
        None => (0, ""),
        Some(NEVER) => (1, ""),
        Some(d) => (2, d),
    }
}

pub static ROLE_COLUMNS: [Column<RoleRow>; 5] = [
    worst_col!(),
    name_col!(28),
    functions_col!(),
    col!(
        "POWER",
        Constraint::Length(16),
        true,
        |r| if r.admin {
            "administrator".into()
        } else if r.chain_to_admin {
            "chain to admin".into()
        } else if r.escalations > 0 {
            crate::model::counted(r.escalations, "escalation", "escalations")
        } else {
            "-".into()
        },
        |a, b| (a.admin, a.chain_to_admin, a.escalations).cmp(&(
            b.admin,
            b.chain_to_admin,
            b.escalations
        ))
    ),
    findings_col!(),
];

pub static API_COLUMNS: [Column<ApiRow>; 7] = [
    worst_col!(),
    name_col!(18),
    col!(
        "KIND",
        Constraint::Length(15),
        false,
        |r| r.kind.to_string(),
        |a, b| a.kind.cmp(b.kind)
    ),
    region_col!(),
    col!(
        "ROUTES",
        Constraint::Length(7),
        true,
        |r| r.routes.to_string(),
        |a, b| a.routes.cmp(&b.routes)
    ),
    col!(
        "OPEN",
        Constraint::Length(5),
        true,
        |r| r.open.to_string(),
        |a, b| a.open.cmp(&b.open)
    ),
    findings_col!(),
];

pub static SECRET_COLUMNS: [Column<SecretRow>; 7] = [
    worst_col!(),
    name_col!(24),
    region_col!(),
    col!(
        "ROTATION",
        Constraint::Length(10),
        false,
        |r| r.rotation.clone(),
        |a, b| a.rotation.cmp(&b.rotation)
    ),
    col!(
        "ROTATED",
        Constraint::Length(11),
        true,
        |r| r.last_rotated.clone(),
        |a, b| a.last_rotated.cmp(&b.last_rotated)
    ),
    col!(
        "READ",
        Constraint::Length(11),
        true,
        |r| r.last_accessed.clone(),
        |a, b| a.last_accessed.cmp(&b.last_accessed)
    ),
    col!(
        "READERS",
        Constraint::Length(8),
        true,
        |r| r.readers.to_string(),
        |a, b| a.readers.cmp(&b.readers)
    ),
];

const SEVERITY: Column<FindingRow> = col!(
    "SEVERITY",
    Constraint::Length(9),
    true,
    |r| r.severity.label().to_string(),
    |a, b| a.severity.cmp(&b.severity)
);
const STATE: Column<FindingRow> = col!(
    "STATE",
    Constraint::Length(6),
    false,
    |r| r.mark.label().to_string(),
    |a, b| a.mark.label().cmp(b.mark.label())
);
const RULE: Column<FindingRow> = col!(
    "RULE",
    Constraint::Length(34),
    false,
    |r| r.rule.clone(),
    |a, b| a.rule.cmp(&b.rule)
);
const RESOURCE: Column<FindingRow> = col!(
    "RESOURCE",
    Constraint::Length(28),
    false,
    |r| r.name.clone(),
    |a, b| a.name.cmp(&b.name)
);
const MESSAGE: Column<FindingRow> = col!(
    "MESSAGE",
    Constraint::Min(20),
    false,
    |r| r.message.clone(),
    |a, b| a.message.cmp(&b.message)
);
pub static FINDING_COLUMNS: [Column<FindingRow>; 5] =
    [SEVERITY, RULE, RESOURCE, region_col!(), MESSAGE];
/// With mutes or `--since`: a STATE column says `new` or `muted`.
pub static MARKED_FINDING_COLUMNS: [Column<FindingRow>; 6] =
    [SEVERITY, STATE, RULE, RESOURCE, region_col!(), MESSAGE];

pub static ACCOUNT_COLUMNS: [Column<AccountRow>; 9] = [
    worst_col!(),
    col!(
        "ACCOUNT",
        Constraint::Length(13),
        false,
        |r| r.id.clone(),
        |a, b| a.id.cmp(&b.id)
    ),
    name_col!(12),
    col!(
        "OU",
        Constraint::Min(10),
        false,
        |r| r.ou.clone(),
        |a, b| a.ou.cmp(&b.ou)
    ),
    functions_col!(),
    col!(
        "CRIT/HIGH",
        Constraint::Length(10),
        true,
        |r| format!("{}/{}", r.counts[0], r.counts[1]),
        |a, b| cmp_counts(&a.counts, &b.counts)
    ),
    col!(
        "SCORE",
        Constraint::Length(6),
        true,
        |r| r.score.map_or("-".into(), |s| s.to_string()),
        |a, b| a.score.cmp(&b.score)
    ),
    col!(
        "GAPS",
        Constraint::Length(5),
        true,
        |r| if r.failure.is_some() {
            "all".into()
        } else {
            r.gaps.to_string()
        },
        |a, b| a.gaps.cmp(&b.gaps)
    ),
    col!(
        "SCANNED",
        Constraint::Length(16),
        true,
        |r| r.scanned.clone(),
        |a, b| a.scanned.cmp(&b.scanned)
    ),
];

pub static PATH_COLUMNS: [Column<PathRow>; 6] = [
    col!(
        "REACHES",
        Constraint::Length(18),
        true,
        |r| r.reaches_label().into(),
        |a, b| a.strength().cmp(&b.strength())
    ),
    col!(
        "FROM",
        Constraint::Min(24),
        false,
        |r| format!("{}/{}", r.from.label, r.from_role),
        |a, b| (&a.from.label, &a.from_role).cmp(&(&b.from.label, &b.from_role))
    ),
    col!(
        "TO",
        Constraint::Min(24),
        false,
        |r| format!("{}/{}", r.to.label, short(&r.to_role)),
        |a, b| (&a.to.label, &a.to_role).cmp(&(&b.to.label, &b.to_role))
    ),
    col!(
        "HOW",
        Constraint::Length(21),
        false,
        |r| r.kind.to_string(),
        |a, b| a.kind.cmp(b.kind)
    ),
    col!(
        "CONDITIONAL",
        Constraint::Length(12),
        false,
        |r| if r.stopped.is_some() {
            "stopped"
        } else if r.conditional {
            "yes"
        } else {
            "no"
        }
        .to_string(),
        |a, b| (a.stopped.is_some(), a.conditional).cmp(&(b.stopped.is_some(), b.conditional))
    ),
    col!(
        "SCP",
        Constraint::Length(11),
        false,
        |r| r.scp.to_string(),
        |a, b| a.scp.cmp(b.scp)
    ),
];

/// [`crate::assess::injectable`] of a function's entry points, as its index.
fn injectable_index(entry_points: &[crate::assess::EntryPoint]) -> u8 {
    let word = crate::assess::injectable(entry_points);
    let at = crate::assess::INJECTABLE.iter().position(|w| *w == word);
    at.unwrap_or_default() as u8
}

/// The kinds of a function's triggers as bits of [`crate::assess::TRIGGER_KINDS`].
fn trigger_bits(entry_points: &[crate::assess::EntryPoint]) -> u32 {
    let kinds = crate::assess::TRIGGER_KINDS;
    entry_points
        .iter()
        .filter_map(|e| e.trigger_kind())
        .filter_map(|k| kinds.iter().position(|x| *x == k))
        .fold(0, |bits, i| bits | 1 << i)
}

/// `s3 sqs` for those bits, `none` for none: each combination written once and kept (a few dozen
/// in an account), so a filter reads it without building a string per row.
fn trigger_text(bits: u32) -> &'static str {
    use std::collections::HashMap;
    use std::sync::{OnceLock, RwLock};
    static SEEN: OnceLock<RwLock<HashMap<u32, &'static str>>> = OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    if let Some(text) = seen.read().expect("not poisoned").get(&bits) {
        return text;
    }
    let text: Vec<&str> = crate::assess::TRIGGER_KINDS
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & 1 << i != 0)
        .map(|(_, k)| *k)
        .collect();
    let text = if text.is_empty() {
        "none".to_string()
    } else {
        text.join(" ")
    };
    seen.write()
        .expect("not poisoned")
        .entry(bits)
        .or_insert_with(|| Box::leak(text.into_boxed_str()))
}
