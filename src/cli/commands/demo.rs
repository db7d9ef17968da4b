//! `sprawl demo`: the built-in demo organization (no AWS needed) in the explorer, as a summary,
//! or saved to a file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::CliError;
use crate::cli::args::{ExplorerArgs, MuteArgs};
use crate::cli::explorer::{Ui, explore, explore_organization, interactive, marks};
use crate::cli::load::{account_of, load_mutes};
use crate::cli::output::{out, outln};
use crate::cli::{report, summary};
use crate::snapshot::{self, Snapshot};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Print the demo's summary instead of opening the explorer.
    #[arg(long)]
    pub no_tui: bool,
    /// Write the demo organization's snapshot (with --account: that account's) to FILE and
    /// stop (to try `export`, `check` and `diff` without AWS).
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// One account of the demo organization (its id or name: management, prod, staging,
    /// dev, sandbox).
    #[arg(long, value_name = "ID|NAME")]
    pub account: Option<String>,
    #[command(flatten)]
    pub explorer: ExplorerArgs,
    #[command(flatten)]
    pub mutes: MuteArgs,
}

pub async fn run(args: DemoArgs, ui: &Ui) -> Result<ExitCode, CliError> {
    let DemoArgs {
        no_tui,
        save,
        account,
        ..
    } = args;
    let label = std::path::Path::new("demo");
    if let Some(path) = save {
        match &account {
            Some(which) => {
                let o = crate::demo::org::snapshot()?;
                snapshot::save(&account_of(&o, label, which)?, &path)?;
                outln!("Demo account {which} written to {}", path.display());
            }
            None => {
                crate::demo::org::save(&path)?;
                outln!("Demo organization written to {}", path.display());
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    if no_tui || !interactive() {
        let o = crate::demo::org::snapshot()?;
        match &account {
            Some(which) => out!("{}", demo_text(&account_of(&o, label, which)?)),
            None => out!(
                "{}",
                summary::render_organization(&o.header, summary::Source::Demo)
            ),
        }
        return Ok(ExitCode::SUCCESS);
    }
    demo(ui, account.as_deref()).await
}

fn demo_text(snap: &Snapshot) -> String {
    let mut out = summary::render(snap);
    out.push('\n');
    out.push_str(&report::render_assessment(&snap.assessment, 10));
    out
}

/// `sprawl demo`: the demo organization in the explorer, or one of its accounts (`--account`).
pub async fn demo(ui: &Ui, account: Option<&str>) -> Result<ExitCode, CliError> {
    let o = crate::demo::org::snapshot()?;
    let mutes = load_mutes(ui.mute.as_ref())?;
    match account {
        Some(which) => {
            let mut snap = account_of(&o, std::path::Path::new("demo"), which)?;
            let marks = marks(&mut snap, mutes, None)?;
            explore(snap, "demo account", ui, marks).await
        }
        None => explore_organization(o, std::path::Path::new("demo organization"), ui, mutes).await,
    }
}
