//! Exports: the assessed snapshot in forms other tools read. `json` (sprawl's findings document,
//! described by `schemas/findings.schema.json`), `ocsf` (OCSF Detection Findings, class 2004, for
//! pipelines built on other scanners' OCSF output) and `csv` (one finding a row). Plus the two
//! comparisons built on the same pieces: [`diff`] between two snapshots and the [`check`] gate.
//!
//! Every export is a pure function of the snapshot and the mutes in force: the same input gives
//! the same bytes (no clock read, no map iteration order). None can carry a secret value, because
//! the snapshot holds none (variables are redacted in `collect`, before `model`).

pub mod check;
pub mod csv;
pub mod diff;
pub mod json;
pub mod ocsf;

use sha2::{Digest, Sha256};

use crate::assess::mute::Muting;
use crate::assess::{Assessment, Evidence, Finding};
use crate::snapshot::Snapshot;

/// An export's output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Ocsf,
    Csv,
}

/// A part of the snapshot that could not be read while exporting (a damaged file).
#[derive(Debug, thiserror::Error)]
#[error("corrupt snapshot: {0}")]
pub struct ExportError(pub String);

/// What every export reads: an assessed snapshot and the mutes applied to its findings.
pub struct Report<'a> {
    pub snapshot: &'a Snapshot,
    pub assessment: &'a Assessment,
    pub muting: &'a Muting,
    /// The account's name in its organization, when known (OCSF `cloud.account.name`).
    pub account_name: Option<&'a str>,
}

impl<'a> Report<'a> {
    /// The same report, with the account's name in its organization.
    pub fn named(self, account_name: Option<&'a str>) -> Self {
        Report {
            account_name,
            ..self
        }
    }

    pub fn new(snapshot: &'a Snapshot, muting: &'a Muting) -> Self {
        Report {
            snapshot,
            assessment: &snapshot.assessment,
            muting,
            account_name: None,
        }
    }

    /// The evidence of a finding; a damaged part of the file is an error, never an empty list.
    fn evidence(f: &'a Finding) -> Result<&'a [Evidence], ExportError> {
        f.evidence.get().map(Vec::as_slice).map_err(|e| {
            ExportError(format!(
                "the evidence of {} on {} is unreadable ({e})",
                f.rule, f.resource
            ))
        })
    }
}

/// Writes `report` in `format`.
pub fn render(format: Format, report: &Report) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Json => json::render(report),
        Format::Ocsf => ocsf::render(report),
        Format::Csv => csv::render(report),
    }
}

/// A finding's stable id: the same rule on the same resource for the same reason (its evidence
/// paths, such as `environment.DB_PASSWORD`) has the same id in every scan, so tickets and diffs
/// can follow it. Messages are left out: they hold ages that change daily.
pub fn finding_key(f: &Finding, evidence: &[Evidence]) -> String {
    let mut key = format!("{}\n{}", f.rule, f.resource);
    // How the severity was judged is not what the finding is.
    for e in evidence
        .iter()
        .filter(|e| e.path != crate::assess::calibrate::SEVERITY_NOTE)
    {
        key.push('\n');
        key.push_str(&e.path);
    }
    key
}

/// [`finding_key`] as 16 hex digits.
pub fn finding_id(f: &Finding, evidence: &[Evidence]) -> String {
    let digest = Sha256::digest(finding_key(f, evidence).as_bytes());
    hex::encode(&digest[..8])
}
