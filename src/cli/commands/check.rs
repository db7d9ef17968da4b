//! `sprawl check [SNAPSHOT]`: the pipeline gate. Exit 1 when an unmuted finding at or above
//! `--fail-on` exists, a score is above `--max-score`, or the scan was partial; else 0.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::assess::mute;
use crate::cli::CliError;
use crate::cli::args::MuteArgs;
use crate::cli::explorer::{Ui, marks};
use crate::cli::load::{load_assessed, load_mutes, muting};
use crate::cli::output::{out, outln};
use crate::cli::target::{LiveScan, snapshot_or_scan};
use crate::export::check;
use crate::snapshot::{Snapshot, org};

/// `--fail-on` of `check`: the command line's names for [`check::FailOn`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOnArg {
    Critical,
    High,
    Medium,
    Low,
}

impl From<FailOnArg> for check::FailOn {
    fn from(f: FailOnArg) -> Self {
        match f {
            FailOnArg::Critical => check::FailOn::Critical,
            FailOnArg::High => check::FailOn::High,
            FailOnArg::Medium => check::FailOn::Medium,
            FailOnArg::Low => check::FailOn::Low,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The snapshot file (default: scan the account now, as `sprawl scan` would).
    pub snapshot: Option<PathBuf>,
    /// The lowest severity that fails the check.
    #[arg(long, value_enum, default_value = "high")]
    pub fail_on: FailOnArg,
    /// Also fail when a function's risk score (0-100) is above this.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub max_score: Option<u8>,
    /// Pass a scan with coverage gaps or checks not assessed (they are still reported).
    #[arg(long)]
    pub allow_partial: bool,
    /// In an organization's snapshot, check only this account (its id or name); else every
    /// account is checked, and one that could not be scanned fails the check.
    #[arg(long, value_name = "ID|NAME")]
    pub account: Option<String>,
    /// Fail only on findings new since this older snapshot of the same account, or raised in
    /// severity since (both assessed alike, as `diff` assesses them): a baseline gate.
    #[arg(long, value_name = "OLD")]
    pub since: Option<PathBuf>,
    #[command(flatten)]
    pub mutes: MuteArgs,
    #[command(flatten)]
    pub live: LiveScan,
}

pub async fn run(args: CheckArgs, ui: &Ui) -> Result<ExitCode, CliError> {
    let mutes = load_mutes(ui.mute.as_ref())?;
    if let Some(path) = &args.snapshot
        && args.account.is_none()
        && let org::Opened::Organization(o) = org::open(path)?
    {
        if args.since.is_some() {
            return Err(CliError::Usage(
                "--since compares one account: give --account ID|NAME with it",
            ));
        }
        return check_organization(&o, mutes, &args);
    }
    let mut snap = match (&args.snapshot, &args.since) {
        (Some(path), Some(_)) => load_assessed(path, args.account.as_deref())?,
        _ => snapshot_or_scan(args.snapshot.as_ref(), args.account.as_deref(), &args.live).await?,
    };
    // The findings new or raised since OLD, both assessed as `diff` assesses them.
    let new = match &args.since {
        Some(_) => marks(&mut snap, Vec::new(), args.since.as_ref())?.new,
        None => None,
    };
    let old = args
        .since
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let judged = match &new {
        Some(findings) => check::Judged::NewSince {
            findings,
            old: &old,
        },
        None => check::Judged::All,
    };
    let verdict = verdict_of(&snap, mutes, &args, judged);
    out!("{}", verdict.report);
    Ok(if verdict.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The check's verdict on one account's snapshot, its mutes applied.
fn verdict_of(
    snap: &Snapshot,
    mutes: Vec<mute::Mute>,
    args: &CheckArgs,
    judged: check::Judged,
) -> check::Verdict {
    let muting = muting(snap, mutes, false);
    check::check(
        &snap.assessment,
        &snap.coverage,
        &muting,
        args.fail_on.into(),
        args.max_score,
        args.allow_partial,
        judged,
    )
}

/// `check` over an organization: every account in turn (one in memory at a time); an account
/// that could not be scanned fails the check unless --allow-partial, since nothing in it passed.
fn check_organization(
    o: &org::OrgSnapshot,
    mutes: Vec<mute::Mute>,
    args: &CheckArgs,
) -> Result<ExitCode, CliError> {
    let mut passed = true;
    for entry in &o.header.accounts {
        let name = entry
            .info
            .name
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        outln!("== account {}{name}", entry.info.id);
        if let Some(why) = &entry.failure {
            outln!("not scanned: {why}");
            if args.allow_partial {
                outln!("(allowed: --allow-partial)");
            } else {
                passed = false;
            }
            outln!();
            continue;
        }
        let snap = o.account(&entry.info.id)?;
        let verdict = verdict_of(&snap, mutes.clone(), args, check::Judged::All);
        out!("{}", verdict.report);
        outln!();
        passed &= verdict.passed;
    }
    outln!("organization: {}", if passed { "passed" } else { "FAILED" });
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
