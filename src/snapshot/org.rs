//! An organization's snapshot: every account's snapshot in one file, each read only when needed.
//!
//! The file is a header line, then the accounts' parts. The header (compact JSON, so no newline
//! inside it) holds what the organization's views need without reading any part: the
//! organization, and for each account its id, name, OU path and status, when it was scanned, a
//! summary (counts, findings by severity, its riskiest function, coverage gaps), and where its part
//! lies. A part is a single-account snapshot exactly as [`Snapshot::to_json`] writes it, so it
//! loads, checks and re-assesses through the same code as a file of its own, and a 200-account
//! organization opens by reading one line. An account that could not be scanned has no part; its
//! entry says why.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Snapshot, SnapshotError};
pub use crate::model::{AccountInfo, Organization};

/// The value of an organization snapshot's `format` field.
pub const ORG_FORMAT: &str = "sprawl-organization";

/// The organization schema this build writes and reads.
pub const ORG_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub schema_version: u32,
    pub tool_version: String,
    pub organization: Organization,
    /// Sorted by account id.
    pub accounts: Vec<AccountEntry>,
    /// The edges between the accounts, counted (None: not looked for, as in a merge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paths: Option<PathCounts>,
}

/// The edges between an organization's accounts, at a glance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathCounts {
    pub edges: usize,
    /// Edges into an administrator (or a role that can escalate to one) that a function can take.
    pub to_admin: usize,
    /// Edges of every kind (into roles, secrets, functions) no function can take (a trust that
    /// requires MFA, an SCP that denies it, a key no other account can use).
    pub stopped: usize,
    /// Roles whose edges could not be judged.
    pub not_assessed: usize,
    /// Roles that may read secrets of other accounts (not stopped; each role once: written as
    /// edges by sprawl before 2026-12-07).
    #[serde(default)]
    pub secret_reads: usize,
    /// Roles that may invoke functions of other accounts (not stopped; each role once).
    #[serde(default)]
    pub invokes: usize,
}

impl PathCounts {
    pub fn of(p: &crate::assess::paths::Paths) -> PathCounts {
        use crate::assess::Reached;
        let roles = p.roles();
        PathCounts {
            edges: p.edges.len(),
            to_admin: p
                .edges
                .iter()
                .filter(|e| {
                    e.stopped.is_none()
                        && e.reaches
                            .is_some_and(|r| r <= Reached::EscalatesToAdministrator)
                })
                .count(),
            stopped: p.edges.iter().filter(|e| e.stopped.is_some()).count()
                + p.secrets
                    .iter()
                    .filter(|e| e.edge.stopped.is_some())
                    .count()
                + p.invokes
                    .iter()
                    .filter(|e| e.edge.stopped.is_some())
                    .count(),
            not_assessed: p.not_assessed.len(),
            secret_reads: roles.to_secrets,
            invokes: roles.to_functions,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountEntry {
    #[serde(flatten)]
    pub info: AccountInfo,
    pub scanned_at: Option<DateTime<Utc>>,
    pub summary: Option<AccountSummary>,
    /// Why the account has no part (its role could not be assumed, say): nothing in it passed.
    pub failure: Option<String>,
    pub part: Option<Part>,
}

/// Where an account's snapshot lies, counted from the first byte after the header line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub offset: u64,
    pub length: u64,
}

/// An account at a glance, for the organization's views.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub functions: usize,
    pub roles: usize,
    pub secrets: usize,
    pub apis: usize,
    /// Finding rows by severity (critical, high, medium, low, info): a resource's low hygiene
    /// findings count once, as the findings list shows them (see `FindingCounts`).
    pub findings: [usize; 5],
    /// Each finding once, by severity: what the exports hold (None in files written before it
    /// was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_findings: Option<[usize; 5]>,
    /// The function with the highest risk score.
    pub riskiest: Option<Riskiest>,
    /// Its riskiest functions (up to [`TOP`]), with their chains, for the organization's view.
    #[serde(default)]
    pub top: Vec<TopFunction>,
    /// Its runtimes, owners and secrets hygiene, for the organization's sums.
    #[serde(default)]
    pub digest: super::digest::Digest,
    /// Calls that failed, and checks that could not decide.
    pub coverage_gaps: usize,
    pub not_assessed: usize,
    /// Its roles with a path into another account that ends at an administrator.
    #[serde(default)]
    pub paths_to_admin: usize,
    /// Its roles whose trust may admit other accounts (None: not counted, in older files): an
    /// account with none is not read for the edges between accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crossing_targets: Option<usize>,
}

/// How many of each account's riskiest functions the header keeps.
pub const TOP: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopFunction {
    /// Its ARN (empty in files written before it was kept: [`TopFunction::arn_in`] works it out).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub arn: String,
    pub name: String,
    pub region: String,
    pub score: u8,
    /// Part of its chain was not collected: the score is a floor.
    pub partial: bool,
    /// Its chain on one line, the function's own hop left out.
    pub chain: String,
}

impl TopFunction {
    /// Its ARN, in account `account` (worked out from its name and region in older files).
    pub fn arn_in(&self, account: &str) -> String {
        if self.arn.is_empty() {
            format!(
                "arn:aws:lambda:{}:{account}:function:{}",
                self.region, self.name
            )
        } else {
            self.arn.clone()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Riskiest {
    pub name: String,
    pub score: u8,
}

impl AccountSummary {
    /// Everything the header keeps of an account: its counts, riskiest functions and digest.
    pub fn of(s: &Snapshot) -> AccountSummary {
        let a = &s.assessment;
        AccountSummary {
            top: a
                .functions
                .iter()
                .take(TOP)
                .map(|f| TopFunction {
                    arn: f.arn.clone(),
                    name: f.name.clone(),
                    region: f.region.clone(),
                    score: f.score.total,
                    partial: f.score.partial,
                    chain: f
                        .chain_line(true)
                        .unwrap_or_else(|_| "(chain unreadable)".to_string()),
                })
                .collect(),
            digest: super::digest::Digest::of(s),
            ..AccountSummary::counts(s)
        }
    }

    /// Its findings counted, rows and findings (a file written before the findings were kept
    /// apart: rows for both).
    pub fn finding_counts(&self) -> crate::assess::FindingCounts {
        crate::assess::FindingCounts {
            findings: self.all_findings.unwrap_or(self.findings),
            rows: self.findings,
        }
    }

    /// Its counts alone (no riskiest functions, no digest): what an accounts row shows.
    pub fn counts(s: &Snapshot) -> AccountSummary {
        let a = &s.assessment;
        let counts = a.counts();
        AccountSummary {
            functions: s.inventory.functions.len(),
            roles: s.inventory.roles.len(),
            secrets: s.inventory.secrets.len(),
            apis: s.inventory.rest_apis.len() + s.inventory.http_apis.len(),
            findings: counts.rows,
            all_findings: Some(counts.findings),
            riskiest: a.functions.first().map(|f| Riskiest {
                name: f.name.clone(),
                score: f.score.total,
            }),
            top: Vec::new(),
            digest: Default::default(),
            coverage_gaps: s.coverage.gaps().count(),
            not_assessed: a.not_assessed.len(),
            paths_to_admin: a
                .findings
                .iter()
                .filter(|f| f.rule == crate::assess::rules::CROSS_ACCOUNT_ADMIN.id)
                .count(),
            crossing_targets: Some(Targets::of(&s.inventory, &s.account.id).count()),
        }
    }
}

/// One account for [`write`]: what it is, and its snapshot or why there is none.
pub struct Member {
    pub info: AccountInfo,
    pub scan: Result<Snapshot, String>,
}

/// Writes an organization's snapshot atomically (0600, like every snapshot). Accounts are sorted
/// by id; each must appear once.
pub fn write(
    path: &Path,
    organization: Organization,
    members: Vec<Member>,
) -> Result<(), SnapshotError> {
    write_with(path, organization, members, None)
}

/// [`write`], with the edges between the accounts counted in the header.
pub fn write_with(
    path: &Path,
    organization: Organization,
    members: Vec<Member>,
    paths: Option<PathCounts>,
) -> Result<(), SnapshotError> {
    let mut w = Writer::new(path)?;
    w.paths = paths;
    for m in members {
        w.add(m.info, m.scan.as_ref().map_err(String::as_str))?;
    }
    w.finish(organization)
}

/// Writes an organization's snapshot one account at a time: each part goes to a temporary file
/// beside the target as it comes, so only one account's snapshot need be in memory; `finish`
/// writes the header, then the parts, to the target atomically.
pub struct Writer {
    path: PathBuf,
    parts_path: PathBuf,
    parts: fs::File,
    written: u64,
    accounts: Vec<AccountEntry>,
    /// The edges between the accounts, counted, for the header.
    pub paths: Option<PathCounts>,
}

impl Writer {
    pub fn new(path: &Path) -> Result<Writer, SnapshotError> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let (parts_path, parts) =
            super::create_temporary(&dir, "parts").map_err(|source| SnapshotError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(Writer {
            path: path.to_path_buf(),
            parts_path,
            parts,
            written: 0,
            accounts: Vec::new(),
            paths: None,
        })
    }

    /// Adds one account: its snapshot, or why it has none.
    pub fn add(
        &mut self,
        info: AccountInfo,
        scan: Result<&Snapshot, &str>,
    ) -> Result<(), SnapshotError> {
        use std::io::Write;
        let entry = match scan {
            Ok(snapshot) => {
                let bytes = snapshot.to_json();
                self.parts
                    .write_all(&bytes)
                    .map_err(|source| SnapshotError::Io {
                        path: self.path.clone(),
                        source,
                    })?;
                let part = Part {
                    offset: self.written,
                    length: bytes.len() as u64,
                };
                self.written += part.length;
                AccountEntry {
                    info: AccountInfo {
                        id: snapshot.account.id.clone(),
                        ..info
                    },
                    scanned_at: Some(snapshot.scanned_at),
                    summary: Some(AccountSummary::of(snapshot)),
                    failure: None,
                    part: Some(part),
                }
            }
            Err(why) => AccountEntry {
                info,
                scanned_at: None,
                summary: None,
                failure: Some(why.to_string()),
                part: None,
            },
        };
        self.accounts.push(entry);
        Ok(())
    }

    /// The header (accounts sorted by id), then every part, written to the target.
    pub fn finish(mut self, organization: Organization) -> Result<(), SnapshotError> {
        use std::io::{Seek, SeekFrom, Write};
        let mut accounts = std::mem::take(&mut self.accounts);
        accounts.sort_by(|a, b| a.info.id.cmp(&b.info.id));
        let header = Header {
            format: ORG_FORMAT.to_string(),
            schema_version: ORG_SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            organization,
            accounts,
            paths: self.paths,
        };
        let mut line = serde_json::to_vec(&header).expect("a header serializes");
        line.push(b'\n');
        let parts = &mut self.parts;
        super::write_atomically_with(&self.path, |f| {
            f.write_all(&line)?;
            parts.seek(SeekFrom::Start(0))?;
            std::io::copy(parts, f)?;
            Ok(())
        })
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.parts_path);
    }
}

/// An organization's snapshot, opened: its header read, its parts read when asked for.
#[derive(Debug)]
pub struct OrgSnapshot {
    pub header: Header,
    path: PathBuf,
    /// Where the parts begin: just after the header line.
    parts_at: u64,
    /// The whole file, when it is held in memory (the demo's, whose file is gone).
    held: Option<Vec<u8>>,
}

impl OrgSnapshot {
    /// The account's entry.
    pub fn entry(&self, id: &str) -> Option<&AccountEntry> {
        self.header.accounts.iter().find(|a| a.info.id == id)
    }

    /// The account whose id or name is `which`.
    pub fn find(&self, which: &str) -> Option<&AccountEntry> {
        self.header
            .accounts
            .iter()
            .find(|a| a.info.id == which || a.info.name.as_deref() == Some(which))
    }

    /// Reads one account's snapshot from its part, checked like a file of its own.
    pub fn account(&self, id: &str) -> Result<Snapshot, SnapshotError> {
        self.read_part(id, super::from_slice)
    }

    /// [`OrgSnapshot::account`] for the lists across accounts: its functions' daily series
    /// left out where the stored assessment says what they come to
    /// ([`super::lists_from_slice`]).
    pub fn account_for_lists(&self, id: &str) -> Result<Snapshot, SnapshotError> {
        self.read_part(id, super::lists_from_slice)
    }

    /// [`OrgSnapshot::account`] without its stored assessment, for those that assess it again
    /// or need none.
    pub fn scan(&self, id: &str) -> Result<super::Scan, SnapshotError> {
        self.read_part(id, super::scan_from_slice)
    }

    /// Account `id`'s part, read by `read` (its path the file's, with the account named).
    fn read_part<T>(
        &self,
        id: &str,
        read: impl Fn(&[u8], &Path) -> Result<T, SnapshotError>,
    ) -> Result<T, SnapshotError> {
        let part = self
            .entry(id)
            .and_then(|e| e.part)
            .ok_or_else(|| SnapshotError::Corrupt {
                path: self.path.clone(),
                detail: format!("account {id} has no snapshot in this file"),
            })?;
        let label = self.path.join(format!("account {id}"));
        if let Some(held) = &self.held {
            let at = usize::try_from(self.parts_at + part.offset).unwrap_or(usize::MAX);
            let end = at.saturating_add(usize::try_from(part.length).unwrap_or(usize::MAX));
            let bytes = held.get(at..end).ok_or_else(|| SnapshotError::Corrupt {
                path: self.path.clone(),
                detail: format!("account {id}'s part lies past the end of the file"),
            })?;
            return read(bytes, &label);
        }
        with_bytes_at(
            &self.path,
            self.parts_at + part.offset,
            part.length,
            |bytes| read(bytes, &label),
        )
        .map_err(|source| SnapshotError::Io {
            path: self.path.clone(),
            source,
        })?
    }

    /// Writes the whole organization's snapshot to `to`, atomically and privately: the bytes it
    /// was read from (held in memory, or its file copied), so it opens again as it is.
    pub fn save_copy(&self, to: &Path) -> Result<(), SnapshotError> {
        if let Some(held) = &self.held {
            return super::write_atomically(to, held);
        }
        let mut from = fs::File::open(&self.path).map_err(|source| SnapshotError::Io {
            path: self.path.clone(),
            source,
        })?;
        super::write_atomically_with(to, |f| std::io::copy(&mut from, f).map(|_| ()))
    }

    /// The file name an export of the whole organization gets:
    /// `sprawl-org-<organization id>-<newest scan, UTC>.json`.
    pub fn default_file_name(&self) -> String {
        let newest = self.header.latest_scan();
        let id = self.header.organization.id.as_deref().unwrap_or("accounts");
        // An id from a file is not trusted as part of a path.
        let id: String = id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(40)
            .collect();
        format!("sprawl-org-{id}-{}.json", newest.format("%Y%m%dT%H%M%SZ"))
    }

    /// An organization's snapshot read whole into memory, so the file may go (`label` names it
    /// in messages).
    pub fn in_memory(bytes: Vec<u8>, label: &Path) -> Result<OrgSnapshot, SnapshotError> {
        let (header, parts_at) = header_of(&bytes, bytes.len() as u64, label)?;
        Ok(OrgSnapshot {
            header,
            path: label.to_path_buf(),
            parts_at,
            held: Some(bytes),
        })
    }
}

impl Header {
    /// The newest scan of its accounts (the epoch when none was scanned): what an organization's
    /// exports and re-assessments are dated by, so the same file gives the same bytes.
    pub fn latest_scan(&self) -> DateTime<Utc> {
        self.accounts
            .iter()
            .filter_map(|e| e.scanned_at)
            .max()
            .unwrap_or(DateTime::UNIX_EPOCH)
    }

    /// The organization's accounts, for assessing its accounts within it; None when the
    /// accounts did not come from AWS Organizations (several profiles, a merge of lone files).
    pub fn members(&self) -> Option<crate::iam::members::Members> {
        members_of(&self.organization)
    }
}

/// The organization's accounts, as the assessment reads them (None: no membership known).
pub fn members_of(o: &Organization) -> Option<crate::iam::members::Members> {
    (!o.members.is_empty()).then(|| crate::iam::members::Members {
        // `o-a1b2/r-ab12/ou-ab12-1111/` for an account under that OU, from the tree read with
        // the guardrails.
        paths: o
            .guardrails
            .as_ref()
            .map(|g| {
                g.paths
                    .iter()
                    .map(|(account, ids)| {
                        let above = &ids[..ids.len().saturating_sub(1)];
                        let mut p = o.id.clone().unwrap_or_default();
                        for id in above {
                            p.push('/');
                            p.push_str(id);
                        }
                        p.push('/');
                        (account.clone(), p)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        id: o.id.clone(),
        management: o.management_account.clone(),
        accounts: o
            .members
            .iter()
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect(),
    })
}

/// What each scanned account `which` picks brings to the edges between accounts
/// ([`Crossing::of`]), a few accounts at a time on threads of their own, in the header's order
/// (only the accounts in progress are in memory). Each is read without its functions' daily
/// series ([`crate::model::without_series`]): no edge looks at them, and they were most of the
/// reading.
fn each_crossing(
    o: &OrgSnapshot,
    which: impl Fn(&AccountEntry) -> bool + Sync,
) -> Result<Vec<(&AccountEntry, Crossing)>, SnapshotError> {
    let f = |s: super::Scan| Crossing::of(&s.account.id, &s.inventory);
    let wanted: Vec<&AccountEntry> = o
        .header
        .accounts
        .iter()
        .filter(|e| e.part.is_some() && which(e))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<Result<Crossing, SnapshotError>>>> =
        wanted.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    std::thread::scope(|scope| {
        for _ in 0..threads.min(wanted.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(entry) = wanted.get(i) else { break };
                    let done = crate::model::without_series(|| o.scan(&entry.info.id)).map(f);
                    *slots[i].lock().expect("no worker panicked") = Some(done);
                }
            });
        }
    });
    wanted
        .into_iter()
        .zip(slots)
        .map(|(e, slot)| {
            let done = slot
                .into_inner()
                .expect("no worker panicked")
                .expect("every account was read");
            done.map(|t| (e, t))
        })
        .collect()
}

/// What one account brings to the edges between accounts: the roles that may be either end of
/// one (see [`crate::assess::paths::crossing_view`]), kept as the edges read them, and the functions
/// that run as them.
pub struct Crossing {
    pub account: String,
    pub roles: Vec<crate::model::Role>,
    /// Its secrets whose policies may admit other accounts.
    pub secrets: Vec<crate::model::Secret>,
    /// Its functions whose policies may admit other accounts.
    pub functions: Vec<crate::model::Function>,
    /// Its event sources other accounts may write to, with the functions they reach.
    pub sources: Vec<crate::assess::sources::ForeignWrite>,
    pub users: std::collections::HashMap<String, Vec<String>>,
    /// Those of `users` that anyone can invoke (from their entry points).
    pub public: Vec<String>,
}

impl Crossing {
    /// The roles that may be either end of an edge, and who runs as them.
    pub fn of(account: &str, inventory: &crate::model::Inventory) -> Crossing {
        use crate::assess::paths;
        // A role that may be a target is kept whole (what it reaches is read from it); any
        // other only for what an edge from it is about.
        let roles: Vec<crate::model::Role> = inventory
            .roles
            .iter()
            .filter_map(|r| {
                if paths::may_be_target(r) {
                    Some(r.clone())
                } else {
                    paths::crossing_view(r)
                }
            })
            .collect();
        let kept: std::collections::HashSet<&str> = roles.iter().map(|r| r.arn.as_str()).collect();
        let users = paths::users_of(&inventory.functions, |r| kept.contains(r));
        let using: std::collections::HashSet<&str> =
            users.values().flatten().map(String::as_str).collect();
        let public =
            crate::assess::reach::public_functions(inventory, account, |f| using.contains(f));
        let (secrets, functions) = Targets::resources(inventory);
        Crossing {
            account: account.to_string(),
            roles,
            secrets: secrets.into_iter().cloned().collect(),
            functions: functions.into_iter().cloned().collect(),
            sources: crate::assess::sources::foreign_writes(inventory, account),
            users,
            public,
        }
    }
}

/// An account's roles, secrets and functions whose policies may admit other accounts: the only
/// ends of an edge between accounts in it.
struct Targets<'a> {
    roles: Vec<&'a crate::model::Role>,
    secrets: Vec<&'a crate::model::Secret>,
    functions: Vec<&'a crate::model::Function>,
    /// Its event sources other accounts may write to.
    sources: usize,
}

impl<'a> Targets<'a> {
    fn of(inv: &'a crate::model::Inventory, account: &str) -> Targets<'a> {
        let (secrets, functions) = Targets::resources(inv);
        Targets {
            sources: crate::assess::sources::foreign_writes(inv, account).len(),
            roles: inv
                .roles
                .iter()
                .filter(|r| crate::assess::paths::may_be_target(r))
                .collect(),
            secrets,
            functions,
        }
    }

    /// Its secrets and functions whose policies may admit other accounts.
    fn resources(
        inv: &'a crate::model::Inventory,
    ) -> (
        Vec<&'a crate::model::Secret>,
        Vec<&'a crate::model::Function>,
    ) {
        use crate::assess::paths;
        (
            inv.secrets
                .iter()
                .filter(|x| paths::may_be_target_secret(x))
                .collect(),
            inv.functions
                .iter()
                .filter(|f| paths::may_be_target_function(f))
                .collect(),
        )
    }

    fn count(&self) -> usize {
        self.roles.len() + self.secrets.len() + self.functions.len() + self.sources
    }
}

/// The edges between the organization's accounts (`now`: None, as of the latest scan), read
/// from their roles: every account once for the roles other accounts may be admitted to, then
/// the accounts those admit again for the roles that may be their sources (none, most often).
pub fn edges(o: &OrgSnapshot, now: Option<DateTime<Utc>>) -> Result<Edges, SnapshotError> {
    // An account whose header says it has no possible target holds nothing to read here.
    // Each account read keeps what it brings as a source too (compactly, see
    // `paths::crossing_view`): the accounts the targets admit are then not read again.
    let read = each_crossing(o, |e| {
        e.summary.as_ref().and_then(|s| s.crossing_targets) != Some(0)
    })?;
    let latest = o.header.latest_scan();
    let read = read
        .into_iter()
        .map(|(e, mut c)| {
            c.account = e.info.id.clone();
            c
        })
        .collect();
    edges_among(o, read, now.unwrap_or(latest))
}

/// [`edges`] from every scanned account's roles, already read (at least the targets): the
/// accounts the targets admit are read again for their sources when they were not kept, the
/// SCPs over each account bound its roles, and the organization's membership decides whom a
/// trust kept to it admits.
pub fn edges_among(
    o: &OrgSnapshot,
    mut read: Vec<Crossing>,
    now: DateTime<Utc>,
) -> Result<Edges, SnapshotError> {
    use crate::assess::paths::{self, AccountRoles};
    use crate::iam::guardrails::Guard;
    let header = &o.header;
    let view = |read: &[Crossing]| -> (Vec<String>, bool) {
        let accounts: Vec<AccountRoles> = read
            .iter()
            .map(|c| AccountRoles {
                account: &c.account,
                roles: &c.roles,
                guard: Guard::NotRead,
                secrets: &c.secrets,
                functions: &c.functions,
                sources: &c.sources,
            })
            .collect();
        paths::trusted_accounts(&accounts)
    };
    let (trusted, anyone) = view(&read);
    let wanted = |id: &str| anyone || trusted.iter().any(|t| t == id);
    // The accounts the targets admit, unless their sources are in already (an account not
    // read at first, having no target, may still be a source).
    let complete = |id: &str| read.iter().any(|c| c.account == id);
    let again = each_crossing(o, |e| wanted(&e.info.id) && !complete(&e.info.id))?;
    for (entry, c) in again {
        let c = Crossing {
            account: entry.info.id.clone(),
            ..c
        };
        match read.iter_mut().find(|r| r.account == c.account) {
            Some(slot) => *slot = c,
            None => read.push(c),
        }
    }
    let bounds: Vec<Result<Option<crate::iam::guardrails::Bounds>, String>> = read
        .iter()
        .map(|c| bounds_of(&header.organization, &c.account))
        .collect();
    let accounts: Vec<AccountRoles> = read
        .iter()
        .zip(&bounds)
        .map(|(c, b)| AccountRoles {
            account: &c.account,
            roles: &c.roles,
            guard: Guard::from(b),
            secrets: &c.secrets,
            functions: &c.functions,
            sources: &c.sources,
        })
        .collect();
    let members = header.members();
    let found = paths::cross_account_edges(&accounts, members.as_ref(), now);
    drop(accounts);
    let mut users = std::collections::HashMap::new();
    let mut public = Vec::new();
    for c in read {
        users.extend(c.users);
        public.extend(c.public);
    }
    Ok(Edges {
        paths: found,
        users,
        public,
    })
}

/// The SCPs over `account` in organization `o`, or why they are not known.
pub fn bounds_of(
    o: &Organization,
    account: &str,
) -> Result<Option<crate::iam::guardrails::Bounds>, String> {
    match &o.guardrails {
        Some(g) => crate::iam::guardrails::Bounds::within(
            g,
            account,
            o.management_account.as_deref(),
            o.id.as_deref(),
        ),
        None => Err("the organization's SCPs were not read".into()),
    }
}

/// The edges between an organization's accounts, and the functions that run as the roles they
/// start from.
pub struct Edges {
    pub paths: crate::assess::paths::Paths,
    pub users: std::collections::HashMap<String, Vec<String>>,
    /// Those of the users that anyone can invoke.
    pub public: Vec<String>,
}

/// Re-assesses every scanned account of `o` as of `now` (None: each as of its own scan), a few
/// accounts at a time on threads of their own, within the organization: its membership, and
/// the edges between its accounts (read first, see [`edges`]). `each` sees every account in the header's order
/// with its re-assessed snapshot (None: it was not scanned); `out`, if given, receives the
/// re-assessed organization (it may be `o`'s own file: every part is read before it is replaced).
/// Only the accounts in progress are in memory.
pub fn reassess(
    o: &OrgSnapshot,
    now: Option<chrono::DateTime<chrono::Utc>>,
    out: Option<&Path>,
    each: impl FnMut(&AccountEntry, Option<&Snapshot>),
) -> Result<(), SnapshotError> {
    reassess_across(o, now, out, &edges(o, now)?, each)
}

/// One account of the organization assessed again within it (as of `now`, else its scan
/// time): its membership, the edges between the accounts, and the SCPs over it, as `reassess`
/// assesses every account. Re-assessing it alone would lose what crosses accounts.
pub fn reassess_one(
    o: &OrgSnapshot,
    id: &str,
    now: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Snapshot, SnapshotError> {
    Reassessor::new(o, now)?.account(id)
}

/// Accounts of one organization assessed again within it, one at a time, as of `now` (None: each
/// as of its own scan): the edges between the accounts are found once, for every account read.
pub struct Reassessor<'a> {
    o: &'a OrgSnapshot,
    now: Option<chrono::DateTime<chrono::Utc>>,
    members: Option<crate::iam::members::Members>,
    crossings: crate::assess::paths::Crossings,
}

impl<'a> Reassessor<'a> {
    pub fn new(
        o: &'a OrgSnapshot,
        now: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Reassessor<'a>, SnapshotError> {
        let edges = edges(o, now)?;
        Ok(Reassessor {
            o,
            now,
            members: o.header.members(),
            crossings: crossings_of(o, &edges),
        })
    }

    /// Account `id`, read and assessed within the organization.
    pub fn account(&self, id: &str) -> Result<Snapshot, SnapshotError> {
        Ok(reassess_within(
            self.o,
            self.o.scan(id)?,
            id,
            self.now,
            self.members.as_ref(),
            &self.crossings,
        ))
    }
}

/// The edges between the accounts as hops of each account's chain search, with the accounts
/// whose roles were read for them.
fn crossings_of(o: &OrgSnapshot, edges: &Edges) -> crate::assess::paths::Crossings {
    crate::assess::paths::Crossings::new(&edges.paths, &edges.users)
        .with_public(edges.public.iter().cloned())
        .with_scanned(
            o.header
                .accounts
                .iter()
                .filter(|e| e.part.is_some())
                .map(|e| e.info.id.clone()),
        )
}

/// Account `id`'s scan `s` (read without its stored assessment), of organization `o`, assessed
/// again within it: its membership, the crossings, and the SCPs over it.
fn reassess_within(
    o: &OrgSnapshot,
    s: super::Scan,
    id: &str,
    now: Option<chrono::DateTime<chrono::Utc>>,
    members: Option<&crate::iam::members::Members>,
    crossings: &crate::assess::paths::Crossings,
) -> Snapshot {
    let at = now.unwrap_or(s.scanned_at);
    let bounds = bounds_of(&o.header.organization, id);
    s.assessed_in(
        at,
        crate::assess::Within {
            members,
            crossings: Some(crossings),
            guard: crate::iam::guardrails::Guard::from(&bounds),
        },
    )
}

/// [`reassess`] with the edges between the accounts already found.
pub fn reassess_across(
    o: &OrgSnapshot,
    now: Option<chrono::DateTime<chrono::Utc>>,
    out: Option<&Path>,
    edges: &Edges,
    mut each: impl FnMut(&AccountEntry, Option<&Snapshot>),
) -> Result<(), SnapshotError> {
    let mut writer = out.map(Writer::new).transpose()?;
    if let Some(w) = &mut writer {
        w.paths = Some(PathCounts::of(&edges.paths));
    }
    let members = o.header.members();
    let crossings = crossings_of(o, edges);
    let crossings = &crossings;
    let members = members.as_ref();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    for batch in o.header.accounts.chunks(threads) {
        let assessed: Vec<Option<Result<Snapshot, SnapshotError>>> = std::thread::scope(|scope| {
            let running: Vec<_> = batch
                .iter()
                .map(|entry| {
                    scope.spawn(move || {
                        entry.part.map(|_| {
                            o.scan(&entry.info.id).map(|s| {
                                reassess_within(o, s, &entry.info.id, now, members, crossings)
                            })
                        })
                    })
                })
                .collect();
            running
                .into_iter()
                .map(|r| r.join().expect("an assessment does not panic"))
                .collect()
        });
        for (entry, snapshot) in batch.iter().zip(assessed) {
            let snapshot = snapshot.transpose()?;
            each(entry, snapshot.as_ref());
            if let Some(w) = &mut writer {
                match &snapshot {
                    Some(s) => w.add(entry.info.clone(), Ok(s))?,
                    None => w.add(
                        entry.info.clone(),
                        Err(entry.failure.as_deref().unwrap_or("not scanned")),
                    )?,
                }
            }
        }
    }
    if let Some(w) = writer {
        w.finish(o.header.organization.clone())?;
    }
    Ok(())
}

/// Writes `o`'s file again with the edges between its accounts counted in its header (the
/// parts are copied as they are).
pub fn count_paths(o: &OrgSnapshot, paths: PathCounts) -> Result<(), SnapshotError> {
    use std::io::{Seek, SeekFrom, Write};
    if o.held.is_some() {
        return Ok(());
    }
    let mut header = o.header.clone();
    header.paths = Some(paths);
    let mut line = serde_json::to_vec(&header).expect("a header serializes");
    line.push(b'\n');
    let io = |source| SnapshotError::Io {
        path: o.path.clone(),
        source,
    };
    let mut from = fs::File::open(&o.path).map_err(io)?;
    from.seek(SeekFrom::Start(o.parts_at)).map_err(io)?;
    super::write_atomically_with(&o.path, |f| {
        f.write_all(&line)?;
        std::io::copy(&mut from, f)?;
        Ok(())
    })
}

/// `use`s the `length` bytes of `path` from `offset`, read into a buffer this thread keeps for
/// the next part: the lists across an organization read its accounts one after another on a
/// few threads, and a fresh buffer for each was pages the system had to find and zero (a tenth
/// of that reading).
fn with_bytes_at<T>(
    path: &Path,
    offset: u64,
    length: u64,
    use_: impl FnOnce(&[u8]) -> T,
) -> std::io::Result<T> {
    use std::io::{Read, Seek, SeekFrom};
    thread_local! {
        static BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    /// Past this, a buffer is let go rather than kept for the thread's next part.
    const KEPT: usize = 64 << 20;
    let mut file = fs::File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut bytes = BUFFER.take();
    bytes.clear();
    bytes.reserve_exact(usize::try_from(length).unwrap_or(usize::MAX));
    let read = file.take(length).read_to_end(&mut bytes);
    let done = match read {
        Ok(n) if n as u64 == length => Ok(use_(&bytes)),
        Ok(_) => Err(std::io::ErrorKind::UnexpectedEof.into()),
        Err(e) => Err(e),
    };
    if bytes.capacity() <= KEPT {
        BUFFER.set(bytes);
    }
    done
}

/// Reads and checks an organization's header from the start of its file (`start`: at least the
/// header line; `file_len`: the whole file's length). Returns it and where the parts begin.
pub fn header_of(start: &[u8], file_len: u64, path: &Path) -> Result<(Header, u64), SnapshotError> {
    let end = memchr::memchr(b'\n', start).unwrap_or(start.len());
    let corrupt = |detail: String| SnapshotError::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    let header: Header = serde_json::from_slice(&start[..end]).map_err(|e| {
        if e.is_eof() {
            SnapshotError::Truncated {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }
        } else {
            corrupt(format!("organization header: {e}"))
        }
    })?;
    if header.format != ORG_FORMAT {
        return Err(SnapshotError::Foreign {
            path: path.to_path_buf(),
        });
    }
    if header.schema_version != ORG_SCHEMA_VERSION {
        return Err(SnapshotError::Version {
            path: path.to_path_buf(),
            found: header.schema_version.to_string(),
            hint: if header.schema_version > ORG_SCHEMA_VERSION {
                "upgrade sprawl to read it"
            } else {
                "scan again with this version"
            },
        });
    }
    let parts_at = (end + 1) as u64;
    let available = file_len.saturating_sub(parts_at);
    for a in &header.accounts {
        if let Some(p) = a.part
            && p.offset.checked_add(p.length).is_none_or(|e| e > available)
        {
            return Err(SnapshotError::Truncated {
                path: path.to_path_buf(),
                detail: format!(
                    "account {}'s snapshot runs past the end of the file",
                    a.info.id
                ),
            });
        }
        if a.part.is_none() && a.failure.is_none() {
            return Err(corrupt(format!(
                "account {} has neither a snapshot nor a reason",
                a.info.id
            )));
        }
    }
    Ok((header, parts_at))
}

/// A snapshot file of either kind.
#[derive(Debug)]
// One is opened per command: its few hundred bytes are not worth a box.
#[allow(clippy::large_enum_variant)]
pub enum Opened {
    Account(Box<Snapshot>),
    Organization(OrgSnapshot),
}

/// Opens a snapshot file: an organization's (its header only) or one account's (whole).
pub fn open(path: &Path) -> Result<Opened, SnapshotError> {
    let io = |source| SnapshotError::Io {
        path: path.to_path_buf(),
        source,
    };
    use std::io::{BufRead, Read, Seek};
    // The file's first bytes tell its kind; of an organization, only the header line is read, so
    // hundreds of accounts open in its time. One handle serves both.
    let mut file = fs::File::open(path).map_err(io)?;
    let file_len = file.metadata().map_err(io)?.len();
    let marker = format!(r#"{{"format":"{ORG_FORMAT}""#);
    let mut start = Vec::with_capacity(marker.len());
    (&file)
        .take(marker.len() as u64)
        .read_to_end(&mut start)
        .map_err(io)?;
    if start != marker.as_bytes() {
        drop(file);
        return super::load(path).map(|s| Opened::Account(Box::new(s)));
    }
    file.rewind().map_err(io)?;
    let mut bytes = Vec::new();
    std::io::BufReader::with_capacity(1 << 20, file)
        .read_until(b'\n', &mut bytes)
        .map_err(io)?;
    let (header, parts_at) = header_of(&bytes, file_len, path)?;
    Ok(Opened::Organization(OrgSnapshot {
        header,
        path: path.to_path_buf(),
        parts_at,
        held: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str) -> Snapshot {
        let mut s = crate::demo::snapshot();
        s.account.id = id.to_string();
        s.inventory.functions.truncate(5);
        let now = s.scanned_at;
        s.reassess(now);
        s
    }

    #[test]
    fn parts_read_back_as_the_accounts_and_the_header_alone_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("org.json");
        let (a, b) = (account("222233334444"), account("111122223333"));
        write(
            &path,
            Organization {
                id: Some("o-abc123".into()),
                management_account: Some("111122223333".into()),
                ..Default::default()
            },
            vec![
                Member {
                    info: AccountInfo {
                        id: "222233334444".into(),
                        name: Some("prod".into()),
                        ou_path: vec!["Workloads".into()],
                        status: Some("ACTIVE".into()),
                    },
                    scan: Ok(a.clone()),
                },
                Member {
                    info: AccountInfo {
                        id: "111122223333".into(),
                        ..AccountInfo::default()
                    },
                    scan: Ok(b.clone()),
                },
                Member {
                    info: AccountInfo {
                        id: "333344445555".into(),
                        name: Some("sandbox".into()),
                        ..AccountInfo::default()
                    },
                    scan: Err("AccessDenied: sts:AssumeRole on SprawlScan".into()),
                },
            ],
        )
        .unwrap();
        let Opened::Organization(org) = open(&path).unwrap() else {
            panic!("an organization")
        };
        let ids: Vec<&str> = org
            .header
            .accounts
            .iter()
            .map(|a| a.info.id.as_str())
            .collect();
        assert_eq!(ids, ["111122223333", "222233334444", "333344445555"]);
        assert_eq!(org.account("222233334444").unwrap(), a);
        assert_eq!(org.account("111122223333").unwrap(), b);
        assert_eq!(org.find("prod").unwrap().info.id, "222233334444");
        let sandbox = org.entry("333344445555").unwrap();
        assert!(sandbox.failure.as_deref().unwrap().contains("AccessDenied"));
        assert!(org.account("333344445555").is_err());
        let summary = org.entry("222233334444").unwrap().summary.as_ref().unwrap();
        assert_eq!(summary.functions, 5);
        // As the overview counts them: a resource's low hygiene gaps once.
        assert_eq!(
            summary.findings.iter().sum::<usize>(),
            a.assessment.shown_severity_counts().values().sum::<usize>()
        );
        assert!(summary.findings.iter().sum::<usize>() < a.assessment.findings.len());
        // A single account's file still opens as one.
        let single = dir.path().join("one.json");
        super::super::save(&a, &single).unwrap();
        assert!(matches!(open(&single).unwrap(), Opened::Account(_)));
    }

    #[test]
    fn a_cut_organization_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("org.json");
        write(
            &path,
            Organization::default(),
            vec![Member {
                info: AccountInfo {
                    id: "111122223333".into(),
                    ..AccountInfo::default()
                },
                scan: Ok(account("111122223333")),
            }],
        )
        .unwrap();
        let bytes = fs::read(&path).unwrap();
        let header_end = memchr::memchr(b'\n', &bytes).unwrap();
        for cut in [20, header_end, header_end + 100, bytes.len() - 2] {
            fs::write(&path, &bytes[..cut]).unwrap();
            let opened = open(&path);
            let message = match opened {
                Err(e) => e.to_string(),
                Ok(Opened::Organization(org)) => match org.account("111122223333") {
                    Err(e) => e.to_string(),
                    Ok(_) => panic!("cut at {cut} read as whole"),
                },
                Ok(Opened::Account(_)) => panic!("cut at {cut} read as an account"),
            };
            assert!(!message.contains('\n'), "{message}");
        }
    }
}
