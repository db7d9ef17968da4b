//! `sprawl diff OLD NEW`: what changed between two snapshots of an account, or of an
//! organization (each account in both, and the accounts that joined or left).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::CliError;
use crate::cli::args::Format;
use crate::cli::load::load_assessed;
use crate::cli::output::{out, outln};
use crate::export;
use crate::snapshot::org;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older snapshot.
    pub old: PathBuf,
    /// The newer snapshot.
    pub new: PathBuf,
    /// In an organization's snapshot: the account (its id or name).
    #[arg(long, value_name = "ID|NAME")]
    pub account: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: DiffArgs) -> Result<ExitCode, CliError> {
    let DiffArgs {
        old,
        new,
        format,
        account,
    } = args;
    if account.is_none()
        && let (org::Opened::Organization(a), org::Opened::Organization(b)) =
            (org::open(&old)?, org::open(&new)?)
    {
        return diff_organizations(&a, &b, format);
    }
    let mut before = load_assessed(&old, account.as_deref())?;
    let mut after = load_assessed(&new, account.as_deref())?;
    export::diff::alike(&mut before, &mut after);
    let d = export::diff::diff(&before, &after)?;
    match format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&d).expect("a diff serializes")
        ),
        Format::Text => out!("{}", export::diff::render(&d)),
    }
    Ok(ExitCode::SUCCESS)
}

/// `diff` of two organizations' snapshots: each account in both, one pair read at a time, and the
/// accounts that joined or left (or could be scanned in one and not the other).
fn diff_organizations(
    old: &org::OrgSnapshot,
    new: &org::OrgSnapshot,
    format: Format,
) -> Result<ExitCode, CliError> {
    let scanned = |o: &org::OrgSnapshot| -> Vec<String> {
        o.header
            .accounts
            .iter()
            .filter(|a| a.part.is_some())
            .map(|a| a.info.id.clone())
            .collect()
    };
    let (before, after) = (scanned(old), scanned(new));
    let added: Vec<&String> = after.iter().filter(|id| !before.contains(id)).collect();
    let removed: Vec<&String> = before.iter().filter(|id| !after.contains(id)).collect();
    // Each account assessed again with this build's rules within its own organization, as of
    // its scan, so a difference is the account's (or the organization's), not a rule's.
    let (was, is) = (
        org::Reassessor::new(old, None)?,
        org::Reassessor::new(new, None)?,
    );
    let mut diffs = Vec::new();
    for id in before.iter().filter(|id| after.contains(id)) {
        let (a, b) = (was.account(id)?, is.account(id)?);
        diffs.push((id.clone(), export::diff::diff(&a, &b)?));
    }
    match format {
        Format::Json => {
            let doc = serde_json::json!({
                "accounts_added": added,
                "accounts_removed": removed,
                "accounts": diffs
                    .iter()
                    .map(|(id, d)| serde_json::json!({ "account": id, "diff": d }))
                    .collect::<Vec<_>>(),
            });
            outln!(
                "{}",
                serde_json::to_string_pretty(&doc).expect("a diff serializes")
            );
        }
        Format::Text => {
            let list = |ids: &[&String]| {
                ids.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if !added.is_empty() {
                outln!("Accounts scanned now and not before: {}", list(&added));
            }
            if !removed.is_empty() {
                outln!("Accounts scanned before and not now: {}", list(&removed));
            }
            for (_, d) in &diffs {
                outln!();
                out!("{}", export::diff::render(d));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
