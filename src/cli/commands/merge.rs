//! `sprawl merge A B ... -o ORG`: snapshots of accounts and organizations joined into one
//! organization's snapshot.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::CliError;
use crate::cli::load::not_an_input;
use crate::snapshot::org;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The snapshots to join.
    #[arg(required = true, num_args = 2..)]
    pub snapshots: Vec<PathBuf>,
    /// Where to write the organization's snapshot.
    #[arg(short, long, value_name = "ORG")]
    pub output: PathBuf,
    /// When an account appears twice, keep its newest scan (else that is an error).
    #[arg(long)]
    pub newest: bool,
}

pub fn run(args: MergeArgs) -> Result<ExitCode, CliError> {
    let MergeArgs {
        snapshots,
        output,
        newest,
    } = args;
    let inputs: Vec<&std::path::Path> = snapshots.iter().map(PathBuf::as_path).collect();
    not_an_input(&output, &inputs)?;
    merge(&snapshots, &output, newest)
}

/// `merge`: the accounts of every input, once each (or, with --newest, their newest scan).
fn merge(
    snapshots: &[PathBuf],
    output: &std::path::Path,
    newest: bool,
) -> Result<ExitCode, CliError> {
    let mut members: Vec<(org::Member, PathBuf)> = Vec::new();
    let mut organization: Option<org::Organization> = None;
    let mut add = |member: org::Member, from: &PathBuf| -> Result<(), CliError> {
        let id = member.info.id.clone();
        match members.iter().position(|(m, _)| m.info.id == id) {
            None => members.push((member, from.clone())),
            Some(i) if newest => {
                let scanned = |m: &org::Member| m.scan.as_ref().ok().map(|s| s.scanned_at);
                // The newest scan is kept; the account's name and OU from whichever input
                // knows them (an account's own file knows neither).
                let mut member = member;
                if scanned(&member) > scanned(&members[i].0) {
                    member.info.fill_from(&members[i].0.info);
                    members[i] = (member, from.clone());
                } else {
                    members[i].0.info.fill_from(&member.info);
                }
            }
            Some(i) => {
                return Err(CliError::DuplicateAccount {
                    id,
                    first: members[i].1.clone(),
                    second: from.clone(),
                });
            }
        }
        Ok(())
    };
    for path in snapshots {
        match org::open(path)? {
            org::Opened::Account(s) => add(
                org::Member {
                    info: org::AccountInfo {
                        id: s.account.id.clone(),
                        ..org::AccountInfo::default()
                    },
                    scan: Ok(*s),
                },
                path,
            )?,
            org::Opened::Organization(o) => {
                // One organization's id survives only if every organization input agrees.
                organization = match organization.take() {
                    None => Some(o.header.organization.clone()),
                    Some(mut seen) if seen.id == o.header.organization.id => {
                        // Scans at different times may have listed different members.
                        for m in &o.header.organization.members {
                            if !seen.members.iter().any(|s| s.id == m.id) {
                                seen.members.push(m.clone());
                            }
                        }
                        seen.members.sort_by(|a, b| a.id.cmp(&b.id));
                        Some(seen)
                    }
                    Some(_) => Some(org::Organization::default()),
                };
                for entry in &o.header.accounts {
                    let scan = match &entry.failure {
                        Some(why) => Err(why.clone()),
                        None => Ok(o.account(&entry.info.id)?),
                    };
                    add(
                        org::Member {
                            info: entry.info.clone(),
                            scan,
                        },
                        path,
                    )?;
                }
            }
        }
    }
    let count = members.len();
    org::write(
        output,
        organization.unwrap_or_default(),
        members.into_iter().map(|(m, _)| m).collect(),
    )?;
    eprintln!(
        "{} written to {} (an organization's snapshot)",
        crate::model::counted(count, "account", "accounts"),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
