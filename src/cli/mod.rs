//! The command line: wires the stages together and owns exit codes and user-facing errors.
//!
//! Exit codes: 0 success (a scan whose coverage has gaps still succeeds: the gaps are in the
//! summary and the snapshot); 1 only from `check`, when the gate fails; 2 bad input or a scan
//! that could not run (no credentials, unknown region, unreadable snapshot or mute file, account
//! not identifiable).

//!
//! Each command is a file of `commands/` (its options and its body); what several share is beside
//! this one: `args` (common options), `target` (what to scan), `load` (reading and writing files),
//! `explorer` (opening it), `output`, `progress`, `error`.

mod args;
mod code;
mod commands;
mod error;
mod explorer;
mod load;
mod output;
mod progress;
pub mod report;
pub mod summary;
mod target;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use args::{DEFAULT_ROLE_NAME, ExplorerArgs, Format, MuteArgs};
pub use commands::check::FailOnArg;
pub use commands::export::ExportFormat;
pub use error::CliError;
pub use target::{LiveScan, ScanTarget};

use explorer::{Ui, theme};

#[derive(Debug, Parser)]
#[command(
    name = "sprawl",
    version,
    about = "The serverless security posture of an AWS account",
    long_about = "sprawl inventories every Lambda function, trigger, execution role, secret and API Gateway stage in an AWS account, read-only, assesses them (rules, IAM policy analysis, reachability, one explained risk score per function) and writes a versioned JSON snapshot."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `sprawl` alone scans in the explorer: its settings (each command that opens the explorer
    /// takes them too; the others show none of them).
    #[command(flatten)]
    pub explorer: ExplorerArgs,
    #[command(flatten)]
    pub mutes: MuteArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan an account (read-only), assess it, write a snapshot, and open the explorer on it
    /// (progress and a summary instead when not on a terminal, or with --no-tui).
    Scan(commands::scan::ScanArgs),
    /// Open the explorer on a saved snapshot.
    Open(commands::open::OpenArgs),
    /// Open the explorer on the built-in demo organization (no AWS needed): six accounts, one
    /// of which could not be scanned.
    Demo(commands::demo::DemoArgs),
    /// Print a least-privilege policy for a role (or a function's role), from IAM Access
    /// Advisor's report in the snapshot (`scan --access-advisor`): its policies without the
    /// services, and the actions IAM tracks, that it never used.
    LeastPrivilege(commands::least_privilege::LeastPrivilegeArgs),
    /// List the edges between an organization's accounts: roles that may become roles, read
    /// secrets or invoke functions (directly, or by writing to an event source) of other
    /// accounts, each with why it holds (what admits the role, its own statement, the SCPs).
    Paths(commands::paths::PathsArgs),
    /// Print the summary of a saved snapshot.
    Summary(commands::summary::SummaryArgs),
    /// Assess a saved snapshot again, offline (after a rule change, say), and print the result.
    Assess(commands::assess::AssessArgs),
    /// Gate a pipeline on a snapshot (or a scan run now): exit 1 when an unmuted finding at or
    /// above --fail-on exists, a function scores above --max-score, or the scan was partial
    /// (unless --allow-partial); 0 otherwise; 2 when the scan or the input failed.
    Check(commands::check::CheckArgs),
    /// Export the findings of a snapshot (or a scan run now) as JSON, OCSF or CSV.
    Export(commands::export::ExportArgs),
    /// What changed between two snapshots of an account: resources added and removed, findings
    /// new and resolved, scores that moved.
    Diff(commands::diff::DiffArgs),
    /// Join snapshots of accounts (and organizations), scanned at different times or on
    /// different machines, into one organization's snapshot. Each account keeps its scan time.
    Merge(commands::merge::MergeArgs),
    /// Print the rule catalog, or one rule in full.
    Rules(commands::rules::RulesArgs),
    /// Print the read-only IAM policy a scan needs, written from the call plan the collectors
    /// use (so it cannot drift), or a CloudFormation template for a member account's scanning role.
    IamPolicy(commands::iam_policy::IamPolicyArgs),
    /// Audit a deployment package or layer zip before it is deployed: its packages, their
    /// known advisories (from a local copy of OSV's data, --vuln-db), and the secrets in its
    /// files. Exit 1 on an advisory at or above --fail-on, a malicious package, a secret, or
    /// what could not be judged (unless --allow-partial); 0 when clean; 2 when it cannot be read.
    AuditPackage(commands::audit_package::AuditPackageArgs),
}

/// Runs the command line; the binary's `main` only adds error reporting.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // 8 MiB stacks: the AWS SDK's request futures nest deep, and several services' reads run
    // side by side in one task (an unoptimized build overflows tokio's default 2 MiB).
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(8 << 20)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("sprawl: could not start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli)) {
        // A report that could not be written (a full disk; not a reader that left) is a failure.
        Ok(_) if output::failed() => ExitCode::from(2),
        Ok(code) => code,
        Err(e) => {
            // One line, of a readable length, and nothing a crafted file put in the message
            // (an escape sequence, a 100,000-character line quoted by a parser) reaches the
            // terminal.
            const LONGEST: usize = 600;
            let line = e.to_string().replace(['\n', '\r'], " ");
            let line = crate::model::printable(&line);
            match line.char_indices().nth(LONGEST) {
                Some((cut, _)) => eprintln!("sprawl: {}…", &line[..cut]),
                None => eprintln!("sprawl: {line}"),
            }
            ExitCode::from(2)
        }
    }
}

pub async fn run(cli: Cli) -> Result<ExitCode, CliError> {
    // A bad theme is a one-line error before anything else happens. A command's own settings
    // win over those given before it (`sprawl --theme light demo` still works).
    let ui_of = |explorer: &ExplorerArgs, mutes: &MuteArgs| -> Result<Ui, CliError> {
        Ok(Ui {
            theme: theme(explorer.theme.as_deref().or(cli.explorer.theme.as_deref()))?,
            mouse: explorer.mouse || cli.explorer.mouse,
            mute: mutes.mute.clone().or_else(|| cli.mutes.mute.clone()),
        })
    };
    let Some(command) = &cli.command else {
        return commands::start::run(&ui_of(&cli.explorer, &cli.mutes)?).await;
    };
    let ui = match command {
        Command::Scan(a) => ui_of(&a.explorer, &a.mutes)?,
        Command::Open(a) => ui_of(&a.explorer, &a.mutes)?,
        Command::Demo(a) => ui_of(&a.explorer, &a.mutes)?,
        Command::Check(a) => ui_of(&ExplorerArgs::default(), &a.mutes)?,
        Command::Export(a) => ui_of(&ExplorerArgs::default(), &a.mutes)?,
        _ => ui_of(&ExplorerArgs::default(), &MuteArgs::default())?,
    };
    let Some(command) = cli.command else {
        unreachable!("a command, matched above");
    };
    match command {
        Command::Scan(args) => commands::scan::run(args, &ui).await,
        Command::Open(args) => commands::open::run(args, &ui).await,
        Command::Demo(args) => commands::demo::run(args, &ui).await,
        Command::LeastPrivilege(args) => commands::least_privilege::run(args),
        Command::Paths(args) => commands::paths::run(args),
        Command::Summary(args) => commands::summary::run(args),
        Command::Assess(args) => commands::assess::run(args),
        Command::Check(args) => commands::check::run(args, &ui).await,
        Command::Export(args) => commands::export::run(args, &ui).await,
        Command::Diff(args) => commands::diff::run(args),
        Command::Merge(args) => commands::merge::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::IamPolicy(args) => commands::iam_policy::run(args),
        Command::AuditPackage(args) => commands::audit_package::run(args),
    }
}
