//! Reading what a command works on (a snapshot, one account of an organization's, the mute file)
//! and writing what it makes (a snapshot, a file), with the errors a person can act on.

use std::path::PathBuf;

use crate::assess::mute::{self, Muting};
use crate::cli::CliError;
use crate::collect;
use crate::snapshot::{self, Snapshot, org};

/// A finished scan as an assessed snapshot.
pub fn snapshot_of(result: collect::ScanResult) -> Snapshot {
    snapshot_in(result, None, Err(String::new()))
}

/// A finished scan of an organization's account, assessed within the organization.
pub fn snapshot_in(
    result: collect::ScanResult,
    members: Option<&crate::iam::members::Members>,
    bounds: Result<Option<crate::iam::guardrails::Bounds>, String>,
) -> Snapshot {
    Snapshot::new_in(
        result.account,
        result.regions,
        result.coverage,
        result.inventory,
        result.scanned_at,
        crate::assess::Within {
            members,
            crossings: None,
            guard: crate::iam::guardrails::Guard::from(&bounds),
        },
    )
}

/// A finished scan as an assessed snapshot, written to `output` (default: its own file name).
pub fn write_snapshot(
    result: collect::ScanResult,
    output: Option<PathBuf>,
) -> Result<(Snapshot, PathBuf), snapshot::SnapshotError> {
    let snapshot = snapshot_of(result);
    let path = output.unwrap_or_else(|| PathBuf::from(snapshot.default_file_name()));
    let path = snapshot::save_scan(&snapshot, &path)?;
    Ok((snapshot, path))
}

/// Refuses to write `output` over one of `inputs`: the same file, by another name or through a
/// link too. The command would replace what it reads with something else (an export of it).
pub fn not_an_input(output: &std::path::Path, inputs: &[&std::path::Path]) -> Result<(), CliError> {
    // A file that does not exist yet is no input; one that cannot be read is caught when read.
    let Ok(out) = std::fs::metadata(output) else {
        return Ok(());
    };
    for input in inputs {
        let Ok(inp) = std::fs::metadata(input) else {
            continue;
        };
        #[cfg(unix)]
        let same = {
            use std::os::unix::fs::MetadataExt;
            out.dev() == inp.dev() && out.ino() == inp.ino()
        };
        #[cfg(not(unix))]
        let same = std::fs::canonicalize(output).ok() == std::fs::canonicalize(input).ok();
        if same {
            return Err(CliError::OutputIsInput {
                output: output.to_path_buf(),
                input: input.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Writes a whole file atomically (a temporary file beside it, then a rename).
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), CliError> {
    Ok(snapshot::write_atomically(path, bytes)?)
}

/// [`load_one`], assessed again with this build's rules as of its scan: an account of an
/// organization's file within the organization (its membership, the edges between its accounts,
/// its SCPs); an account's own file alone, unless it was assessed within an organization, which
/// only its organization's file can repeat (it keeps its assessment).
pub fn load_assessed(path: &std::path::Path, account: Option<&str>) -> Result<Snapshot, CliError> {
    assessed(org::open(path)?, path, account)
}

/// [`load_assessed`] of a snapshot already opened from `path`.
pub fn assessed(
    opened: org::Opened,
    path: &std::path::Path,
    account: Option<&str>,
) -> Result<Snapshot, CliError> {
    if let (org::Opened::Organization(o), Some(which)) = (&opened, account) {
        let id = entry_of(o, path, which)?.info.id.clone();
        return Ok(org::reassess_one(o, &id, None)?);
    }
    let mut s = one_of(opened, path, account)?;
    if s.assessment.within.is_none() {
        let at = s.scanned_at;
        s.reassess(at);
    }
    Ok(s)
}

/// One account's snapshot from a file: the file's own, or (in an organization's snapshot) the
/// account `account` names by id or name.
pub fn load_one(path: &std::path::Path, account: Option<&str>) -> Result<Snapshot, CliError> {
    one_of(org::open(path)?, path, account)
}

/// [`load_one`] of a snapshot already opened from `path`.
pub fn one_of(
    opened: org::Opened,
    path: &std::path::Path,
    account: Option<&str>,
) -> Result<Snapshot, CliError> {
    match opened {
        org::Opened::Account(s) => match account {
            Some(which) if which != s.account.id => Err(CliError::NotThisAccount {
                path: path.to_path_buf(),
                which: which.to_string(),
                found: s.account.id.clone(),
            }),
            _ => Ok(*s),
        },
        org::Opened::Organization(o) => {
            let Some(which) = account else {
                return Err(CliError::OrganizationNeedsAccount {
                    path: path.to_path_buf(),
                    accounts: o.header.accounts.len(),
                });
            };
            account_of(&o, path, which)
        }
    }
}

/// The entry of account `which` (its id or name) of organization `o`, read from `path`: one that
/// was scanned.
pub fn entry_of<'o>(
    o: &'o org::OrgSnapshot,
    path: &std::path::Path,
    which: &str,
) -> Result<&'o org::AccountEntry, CliError> {
    let entry = o.find(which).ok_or_else(|| CliError::NoSuchAccount {
        path: path.to_path_buf(),
        which: which.to_string(),
    })?;
    if let Some(why) = &entry.failure {
        return Err(CliError::AccountNotScanned {
            path: path.to_path_buf(),
            id: entry.info.id.clone(),
            why: why.clone(),
        });
    }
    Ok(entry)
}

/// Account `which` (its id or name) of organization `o`, read from `path`.
pub fn account_of(
    o: &org::OrgSnapshot,
    path: &std::path::Path,
    which: &str,
) -> Result<Snapshot, CliError> {
    let id = entry_of(o, path, which)?.info.id.clone();
    Ok(o.account(&id)?)
}

/// The mutes in force: `--mute FILE`, else `./sprawl.toml` when there is one, else none.
pub fn load_mutes(path: Option<&PathBuf>) -> Result<Vec<mute::Mute>, CliError> {
    let default = PathBuf::from(mute::DEFAULT_FILE);
    let path = match path {
        Some(p) => p,
        None if default.is_file() => &default,
        None => return Ok(Vec::new()),
    };
    let text = std::fs::read_to_string(path).map_err(|source| CliError::MuteFileUnreadable {
        path: path.clone(),
        source,
    })?;
    mute::parse(&text).map_err(|source| CliError::MuteFile {
        path: path.clone(),
        source,
    })
}

/// The mutes applied to an assessed snapshot as of today (mutes are the team's decisions now,
/// not at scan time). Expired ones are said on stderr by every command but `check` and the
/// JSON export, which report them themselves.
pub fn muting(snap: &Snapshot, mutes: Vec<mute::Mute>, say_expired: bool) -> Muting {
    let a = &snap.assessment;
    let m = Muting::apply(mutes, a, &snap.inventory, chrono::Utc::now().date_naive());
    if say_expired {
        for e in m.expired() {
            eprintln!(
                "sprawl: mute at line {} ({} on {}) expired {}: no longer applied",
                e.line,
                e.rule,
                e.target.describe(),
                e.expires.format("%Y-%m-%d")
            );
        }
    }
    m
}
