//! `sprawl open SNAPSHOT`: the explorer on a saved snapshot, an account's or an organization's.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::CliError;
use crate::cli::args::{ExplorerArgs, MuteArgs};
use crate::cli::explorer::{Ui, explore, explore_organization, interactive, marks};
use crate::cli::load::{load_assessed, load_mutes, load_one};
use crate::snapshot::org;

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// The snapshot file.
    pub snapshot: PathBuf,
    /// In an organization's snapshot: the account (its id or name).
    #[arg(long, value_name = "ID|NAME")]
    pub account: Option<String>,
    /// An older snapshot of the same account: findings it did not have are marked new.
    #[arg(long, value_name = "OLD")]
    pub since: Option<PathBuf>,
    #[command(flatten)]
    pub explorer: ExplorerArgs,
    #[command(flatten)]
    pub mutes: MuteArgs,
}

pub async fn run(args: OpenArgs, ui: &Ui) -> Result<ExitCode, CliError> {
    let OpenArgs {
        snapshot,
        since,
        account,
        ..
    } = args;
    if account.is_none()
        && let org::Opened::Organization(o) = org::open(&snapshot)?
    {
        if since.is_some() {
            return Err(CliError::Usage(
                "--since compares one account: give --account ID|NAME with it",
            ));
        }
        let mutes = load_mutes(ui.mute.as_ref())?;
        if !interactive() {
            return Err(CliError::NoTerminal);
        }
        return explore_organization(o, &snapshot, ui, mutes).await;
    }
    let mut snap = match since {
        // Compared with an older scan: assessed as `diff` assesses it.
        Some(_) => load_assessed(&snapshot, account.as_deref())?,
        None => load_one(&snapshot, account.as_deref())?,
    };
    let marks = marks(&mut snap, load_mutes(ui.mute.as_ref())?, since.as_ref())?;
    if !interactive() {
        return Err(CliError::NoTerminal);
    }
    explore(snap, &snapshot.display().to_string(), ui, marks).await
}
