//! Errors a user can act on, one variant per source. Each prints as one line, and the process
//! exits with code 2.

use std::path::PathBuf;

use crate::assess::mute::MuteError;
use crate::collect::ScanError;
use crate::collect::aws::SetupError;
use crate::collect::redact::KeyError;
use crate::export::ExportError;
use crate::export::diff::DiffError;
use crate::snapshot::SnapshotError;
use crate::tui::ScanFailure;
use crate::tui::theme::ThemeError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// No credentials, no region, an unknown profile.
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// A scan run by the command itself.
    #[error(transparent)]
    Scan(#[from] ScanError),
    /// A scan started in the explorer, which the operator saw fail before quitting.
    #[error("the scan failed: {0}")]
    ExplorerScan(ScanFailure),
    /// The scan task panicked: a bug.
    #[error("the scan stopped on a bug (please report it): {0}")]
    ScanPanicked(String),
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    /// The organization's accounts could not be listed.
    #[error(transparent)]
    Organization(#[from] crate::collect::org::OrgError),
    /// `--since` names a snapshot of another account.
    #[error(
        "{path}: a snapshot of account {found}, not {expected}; --since takes an older scan of the same account"
    )]
    SinceOtherAccount {
        path: PathBuf,
        found: String,
        expected: String,
    },
    #[error("{path}: {source}")]
    MuteFileUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    MuteFile { path: PathBuf, source: MuteError },
    #[error(transparent)]
    Theme(#[from] ThemeError),
    /// `audit-package`: the zip could not be opened or read within its limits.
    #[error("{path}: {why}")]
    PackageUnreadable { path: PathBuf, why: String },
    /// `audit-package --vuln-db`: a dump there could not be read.
    #[error("the vulnerability database: {0}")]
    VulnDb(String),
    #[error(transparent)]
    FingerprintKey(#[from] KeyError),
    #[error("the terminal failed: {0}")]
    Terminal(std::io::Error),
    #[error(
        "the explorer needs a terminal; use `sprawl summary FILE`, `sprawl diff OLD NEW` or `sprawl export FILE` in scripts"
    )]
    NoTerminal,
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Diff(#[from] DiffError),
    #[error(
        "{path}: an organization's snapshot of {accounts} accounts; pick one with --account ID|NAME (`sprawl summary` lists them)"
    )]
    OrganizationNeedsAccount { path: PathBuf, accounts: usize },
    #[error("{path}: no account {which:?} in this organization (`sprawl summary` lists them)")]
    NoSuchAccount { path: PathBuf, which: String },
    #[error("{path}: account {id} was not scanned: {why}")]
    AccountNotScanned {
        path: PathBuf,
        id: String,
        why: String,
    },
    #[error("{path}: a snapshot of account {found}, not {which}")]
    NotThisAccount {
        path: PathBuf,
        which: String,
        found: String,
    },
    #[error(
        "account {id} is in both {} and {}; give --newest to keep its newest scan",
        first.display(),
        second.display()
    )]
    DuplicateAccount {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
    /// `-o` names a file the command reads: writing it would destroy the input.
    #[error(
        "{}: that is the input {}; write to another file (-o), the input is left as it was",
        output.display(),
        input.display()
    )]
    OutputIsInput { output: PathBuf, input: PathBuf },
    /// `assess -o` of an account that was assessed within its organization, which alone would
    /// lose what crosses accounts.
    #[error(
        "{}: {lost}; nothing was written (give --alone to write it so)",
        path.display()
    )]
    AssessedAlone { path: PathBuf, lost: String },
    #[error("no rule {0:?}; `sprawl rules` lists them")]
    NoSuchRule(String),
    #[error("no role or function {0:?} in the snapshot (give its name or ARN)")]
    NoSuchTarget(String),
    #[error("no least-privilege policy for {role}: {why}")]
    NoLeastPrivilege { role: String, why: String },
    /// Options that contradict each other.
    #[error("{0}")]
    Usage(&'static str),
    /// No credentials when the explorer cannot ask: the demo is the way to look around.
    #[error("{}", with_the_demo(.0))]
    NoAccount(SetupError),
}

/// A set-up error with the way to look around without AWS, once.
fn with_the_demo(e: &SetupError) -> String {
    let line = e.to_string();
    if line.contains("sprawl demo") {
        line
    } else {
        format!("{line}. To look around without AWS, run `sprawl demo`")
    }
}
