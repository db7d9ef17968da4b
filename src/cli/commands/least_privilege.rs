//! `sprawl least-privilege SNAPSHOT ROLE|FUNCTION`: a least-privilege policy for a role, from
//! IAM Access Advisor's report in the snapshot.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::CliError;
use crate::cli::load::load_one;
use crate::cli::output::out;
use crate::snapshot::Snapshot;

#[derive(Debug, Args)]
pub struct LeastPrivilegeArgs {
    /// The snapshot file.
    pub snapshot: PathBuf,
    /// The role or function: its name or ARN.
    #[arg(value_name = "ROLE|FUNCTION")]
    pub target: String,
    /// In an organization's snapshot: the account (its id or name).
    #[arg(long, value_name = "ID|NAME")]
    pub account: Option<String>,
}

pub fn run(args: LeastPrivilegeArgs) -> Result<ExitCode, CliError> {
    let LeastPrivilegeArgs {
        snapshot,
        target,
        account,
    } = args;
    let snap = load_one(&snapshot, account.as_deref())?;
    out!("{}", least_privilege(&snap, &target)?);
    Ok(ExitCode::SUCCESS)
}

/// `least-privilege`: the suggested policy for the role named (or the role of the function
/// named), as JSON, with what it drops and what it could not judge as a comment on stderr.
fn least_privilege(snap: &Snapshot, target: &str) -> Result<String, CliError> {
    let inv = &snap.inventory;
    let role_arn = inv
        .roles
        .iter()
        .find(|r| r.name == target || r.arn == target)
        .map(|r| r.arn.clone())
        .or_else(|| {
            inv.functions
                .iter()
                .find(|f| f.name == target || f.arn == target)
                .map(|f| f.role_arn.clone())
        })
        .ok_or_else(|| CliError::NoSuchTarget(target.to_string()))?;
    let role = inv
        .roles
        .iter()
        .find(|r| r.arn == role_arn)
        .ok_or_else(|| CliError::NoLeastPrivilege {
            role: role_arn.clone(),
            why: "the role is not in the snapshot (another account's, or not read)".into(),
        })?;
    let runs = inv.functions.iter().any(|f| f.role_arn == role.arn);
    let s = crate::assess::least_privilege::suggest(role).map_err(|why| {
        CliError::NoLeastPrivilege {
            role: role.name.clone(),
            why: if runs {
                format!("{why}; scan with --access-advisor")
            } else {
                // Said once: a scan reads Access Advisor only for the roles functions run as.
                "no Access Advisor report: no function runs as it, and sprawl reads Access Advisor only for the roles functions run as".to_string()
            },
        }
    })?;
    eprintln!(
        "least privilege for {} from Access Advisor{}: {} service(s) never used dropped{}{}",
        role.name,
        s.as_of
            .as_deref()
            .map(|d| format!(" (as of {d})"))
            .unwrap_or_default(),
        s.dropped_services.len(),
        if s.dropped_services.is_empty() {
            String::new()
        } else {
            format!(" ({})", s.dropped_services.join(", "))
        },
        if s.dropped_actions.is_empty() {
            String::new()
        } else {
            format!(
                ", and {} tracked action(s) never used ({})",
                s.dropped_actions.len(),
                s.dropped_actions.join(", ")
            )
        }
    );
    for note in &s.kept_as_is {
        eprintln!("  kept as it was: {note}");
    }
    // What Access Advisor cannot judge: resources.
    for wide in &s.account_wide {
        eprintln!(
            "  kept account-wide (Access Advisor judges services and actions, not resources): {wide}"
        );
    }
    if !s.replaces.is_empty() {
        eprintln!("  it replaces: {}", s.replaces.join("; "));
    }
    if !runs {
        eprintln!(
            "  no function runs as {}: what it used was used by something else (a person, a service, another account)",
            role.name
        );
    }
    Ok(format!(
        "{}\n",
        serde_json::to_string_pretty(&s.policy).expect("a policy serializes")
    ))
}
