//! `sprawl summary SNAPSHOT`: a saved snapshot's summary (an organization's lists its accounts).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::CliError;
use crate::cli::load::load_one;
use crate::cli::output::{out, outln};
use crate::cli::{report, summary};
use crate::snapshot::org;

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// The snapshot file (an organization's lists its accounts).
    pub snapshot: PathBuf,
    /// In an organization's snapshot: the account (its id or name).
    #[arg(long, value_name = "ID|NAME")]
    pub account: Option<String>,
}

pub fn run(args: SummaryArgs) -> Result<ExitCode, CliError> {
    let SummaryArgs { snapshot, account } = args;
    if account.is_none()
        && let org::Opened::Organization(o) = org::open(&snapshot)?
    {
        out!(
            "{}",
            summary::render_organization(&o.header, summary::Source::File(&snapshot))
        );
        return Ok(ExitCode::SUCCESS);
    }
    let snap = load_one(&snapshot, account.as_deref())?;
    out!("{}", summary::render(&snap));
    outln!();
    out!("{}", report::render_assessment(&snap.assessment, 10));
    Ok(ExitCode::SUCCESS)
}
