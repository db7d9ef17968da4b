//! The command line: wires the stages together and owns exit codes and user-facing errors.
//!
//! Exit codes: 0 success (a scan whose coverage has gaps still succeeds: the gaps are in the
//! summary and the snapshot); 1 only from `check`, when the gate fails; 2 bad input or a scan
//! that could not run (no credentials, unknown region, unreadable snapshot or mute file, account
//! not identifiable).

mod error;
mod output;
mod progress;
pub mod report;
pub mod summary;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use output::{out, outln};

pub use error::CliError;

use crate::assess::mute::{self, Muting};
use crate::collect::aws::{self, AwsOptions, SetupError};
use crate::collect::redact::{FingerprintKey, KeyError};
use crate::collect::{self, DEFAULT_RATE_SCALE, QuotaPlan, Regions, RetryPolicy, ScanOptions};
use crate::export::{self, check};
use crate::snapshot::{self, Snapshot, org};
use crate::tui::ScanFailure;

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

/// The explorer's settings, on the commands that open it.
#[derive(Debug, Args, Default, Clone)]
pub struct ExplorerArgs {
    /// The explorer's theme: default, light, high-contrast, ansi16, or a TOML file (NO_COLOR is
    /// honoured).
    #[arg(long, env = "SPRAWL_THEME", value_name = "NAME|PATH")]
    pub theme: Option<String>,
    /// Scroll with the mouse wheel in the explorer.
    #[arg(long)]
    pub mouse: bool,
}

/// The mute file, on the commands that show or judge findings.
#[derive(Debug, Args, Default, Clone)]
pub struct MuteArgs {
    /// The mute file: accepted risks, each with a reason and an expiry date (default:
    /// ./sprawl.toml when it exists). Muted findings are shown as muted and never fail `check`.
    #[arg(long, env = "SPRAWL_MUTE", value_name = "FILE")]
    pub mute: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan an account (read-only), assess it, write a snapshot, and open the explorer on it
    /// (progress and a summary instead when not on a terminal, or with --no-tui).
    Scan(ScanArgs),
    /// Open the explorer on a saved snapshot.
    Open {
        /// The snapshot file.
        snapshot: PathBuf,
        /// In an organization's snapshot: the account (its id or name).
        #[arg(long, value_name = "ID|NAME")]
        account: Option<String>,
        /// An older snapshot of the same account: findings it did not have are marked new.
        #[arg(long, value_name = "OLD")]
        since: Option<PathBuf>,
        #[command(flatten)]
        explorer: ExplorerArgs,
        #[command(flatten)]
        mutes: MuteArgs,
    },
    /// Open the explorer on the built-in demo organization (no AWS needed): six accounts, one
    /// of which could not be scanned.
    Demo {
        /// Print the demo's summary instead of opening the explorer.
        #[arg(long)]
        no_tui: bool,
        /// Write the demo organization's snapshot (with --account: that account's) to FILE and
        /// stop (to try `export`, `check` and `diff` without AWS).
        #[arg(long, value_name = "FILE")]
        save: Option<PathBuf>,
        /// One account of the demo organization (its id or name: management, prod, staging,
        /// dev, sandbox).
        #[arg(long, value_name = "ID|NAME")]
        account: Option<String>,
        #[command(flatten)]
        explorer: ExplorerArgs,
        #[command(flatten)]
        mutes: MuteArgs,
    },
    /// Print a least-privilege policy for a role (or a function's role), from IAM Access
    /// Advisor's report in the snapshot (`scan --access-advisor`): its policies without the
    /// services, and the actions IAM tracks, that it never used.
    LeastPrivilege {
        /// The snapshot file.
        snapshot: PathBuf,
        /// The role or function: its name or ARN.
        #[arg(value_name = "ROLE|FUNCTION")]
        target: String,
        /// In an organization's snapshot: the account (its id or name).
        #[arg(long, value_name = "ID|NAME")]
        account: Option<String>,
    },
    /// List the roles of an organization's snapshot that may become roles in other accounts
    /// (the target's trust admits them and their own policies allow sts:AssumeRole on it).
    Paths {
        /// An organization's snapshot (`scan --org`, or `merge`).
        snapshot: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the summary of a saved snapshot.
    Summary {
        /// The snapshot file (an organization's lists its accounts).
        snapshot: PathBuf,
        /// In an organization's snapshot: the account (its id or name).
        #[arg(long, value_name = "ID|NAME")]
        account: Option<String>,
    },
    /// Assess a saved snapshot again, offline (after a rule change, say), and print the result.
    Assess(AssessArgs),
    /// Gate a pipeline on a snapshot (or a scan run now): exit 1 when an unmuted finding at or
    /// above --fail-on exists, a function scores above --max-score, or the scan was partial
    /// (unless --allow-partial); 0 otherwise; 2 when the scan or the input failed.
    Check(CheckArgs),
    /// Export the findings of a snapshot (or a scan run now) as JSON, OCSF or CSV.
    Export(ExportArgs),
    /// What changed between two snapshots of an account: resources added and removed, findings
    /// new and resolved, scores that moved.
    Diff {
        /// The older snapshot.
        old: PathBuf,
        /// The newer snapshot.
        new: PathBuf,
        /// In an organization's snapshot: the account (its id or name).
        #[arg(long, value_name = "ID|NAME")]
        account: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Join snapshots of accounts (and organizations), scanned at different times or on
    /// different machines, into one organization's snapshot. Each account keeps its scan time.
    Merge {
        /// The snapshots to join.
        #[arg(required = true, num_args = 2..)]
        snapshots: Vec<PathBuf>,
        /// Where to write the organization's snapshot.
        #[arg(short, long, value_name = "ORG")]
        output: PathBuf,
        /// When an account appears twice, keep its newest scan (else that is an error).
        #[arg(long)]
        newest: bool,
    },
    /// Print the rule catalog, or one rule in full.
    Rules {
        /// A rule id, to explain that rule.
        id: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the read-only IAM policy a scan needs, written from the call plan the collectors
    /// use (so it cannot drift), or a CloudFormation template for a member account's scanning role.
    IamPolicy {
        /// Add what scanning an organization from this principal needs: the organization's
        /// List and Describe reads, and sts:AssumeRole on --role-name in every account.
        #[arg(long, conflicts_with = "cloudformation")]
        org: bool,
        /// The role sprawl assumes in each member account.
        #[arg(long, value_name = "NAME", default_value = DEFAULT_ROLE_NAME, value_parser = parse_role_name)]
        role_name: String,
        /// Print a CloudFormation template (JSON) that creates that role, trusting only the
        /// scanning role (its ARN a parameter; optionally an external ID and the organization's
        /// id), with the read-only policy; deploy it to every account with a StackSet.
        #[arg(long)]
        cloudformation: bool,
        /// Add what `scan --metrics` calls (cloudwatch:GetMetricData, billed to the account, and
        /// lambda:ListProvisionedConcurrencyConfigs). The template takes it as a parameter.
        #[arg(long, conflicts_with = "cloudformation")]
        metrics: bool,
        /// Add what `scan --access-advisor` calls (IAM's Access Advisor report jobs). The template
        /// takes it as a parameter.
        #[arg(long, conflicts_with = "cloudformation")]
        access_advisor: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// `--format` of `export`: the command line's names for [`export::Format`] (clap stays here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Ocsf,
    Csv,
}

impl From<ExportFormat> for export::Format {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Json => export::Format::Json,
            ExportFormat::Ocsf => export::Format::Ocsf,
            ExportFormat::Csv => export::Format::Csv,
        }
    }
}

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

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The snapshot file (default: scan the account now, as `sprawl scan` would).
    pub snapshot: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormat,
    /// In an organization's snapshot: the account to export (its id or name).
    #[arg(long, value_name = "ID|NAME")]
    pub account: Option<String>,
    /// Write the export here (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub mutes: MuteArgs,
    #[command(flatten)]
    pub live: LiveScan,
}

/// How `check` and `export` scan when no snapshot is given.
#[derive(Debug, Args)]
pub struct LiveScan {
    /// Also write the scan's snapshot here (with no SNAPSHOT given), to compare tomorrow.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    #[command(flatten)]
    pub target: ScanTarget,
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The snapshot file.
    pub snapshot: PathBuf,
    /// In an organization's snapshot: the account (its id or name).
    #[arg(long, value_name = "ID|NAME")]
    pub account: Option<String>,
    /// Measure ages (rotation, last use, runtime dates) as of this day or time instead of the
    /// scan's (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
    /// Write the re-assessed snapshot here (it may be the same file).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print text, or the assessment as JSON.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// How many functions to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Write (-o) an account that was assessed within its organization, re-assessed alone: what
    /// crosses accounts is lost (without it, -o refuses and says what would be lost).
    #[arg(long)]
    pub alone: bool,
}

fn parse_as_of(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc())
        .map_err(|_| "expected a date (2026-11-23) or an RFC 3339 time".into())
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub target: ScanTarget,
    /// Where to write the snapshot (default: sprawl-<account>-<UTC time>.json).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print progress and a summary instead of opening the explorer.
    #[arg(long)]
    pub no_tui: bool,
    /// Read only the account's identity and its functions (ListFunctions), and print what a scan
    /// would call and what --metrics would cost; write nothing.
    #[arg(long, conflicts_with = "org")]
    pub dry_run: bool,
    #[command(flatten)]
    pub accounts: AccountsArgs,
    #[command(flatten)]
    pub explorer: ExplorerArgs,
    #[command(flatten)]
    pub mutes: MuteArgs,
}

/// Which accounts a scan of several covers: an organization's, or one per --profile.
#[derive(Debug, Args, Default)]
pub struct AccountsArgs {
    /// Scan the organization's accounts (run from the management account or a delegated
    /// administrator), assuming --role-name in each; suspended and closed accounts are skipped.
    #[arg(long)]
    pub org: bool,
    /// The role to assume in each member account (`sprawl iam-policy --cloudformation` makes it,
    /// under the same default name); only with --org.
    #[arg(long, value_name = "NAME", value_parser = parse_role_name, requires = "org", default_value = DEFAULT_ROLE_NAME)]
    pub role_name: String,
    /// Only the accounts under this OU (and its OUs); repeat for several.
    #[arg(long = "ou", value_name = "OU_ID", requires = "org")]
    pub ous: Vec<String>,
    /// Only these accounts (ids, comma-separated).
    #[arg(long, value_name = "IDS", value_delimiter = ',', requires = "org")]
    pub accounts: Vec<String>,
    /// Leave these accounts out (ids, comma-separated).
    #[arg(long, value_name = "IDS", value_delimiter = ',', requires = "org")]
    pub exclude_accounts: Vec<String>,
    /// The external ID the member role requires.
    #[arg(long, value_name = "ID", requires = "org")]
    pub external_id: Option<String>,
    /// Accounts scanned at once, sharing --concurrency (default: every account of the scan, at
    /// most 32; AWS's quotas are per account, so they do not slow each other there).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub accounts_in_flight: Option<u16>,
}

/// What to scan and how politely.
#[derive(Debug, Args)]
pub struct ScanTarget {
    /// The AWS profile (default: AWS_PROFILE, then `default`). `scan` takes it several times:
    /// one account per profile, scanned into one organization's snapshot.
    #[arg(long = "profile", value_name = "PROFILE")]
    pub profiles: Vec<String>,
    /// A region to scan; repeat for several (default: the profile's region, or AWS_REGION).
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Scan every region enabled in the account.
    #[arg(long, conflicts_with = "regions")]
    pub all_regions: bool,
    /// Send every call to this endpoint (an emulator); AWS_ENDPOINT_URL works too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Calls in flight at once (default: 16 for one account; for several, 8 per account scanned
    /// at once, at most 256).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: Option<u16>,
    /// Share of each published AWS API quota the scan may use (0.5 leaves half to the account's
    /// own workloads; above 1 risks throttling them).
    #[arg(long, default_value_t = DEFAULT_RATE_SCALE, value_parser = parse_rate_scale)]
    pub rate_scale: f64,
    /// Attempts per call, the first included (only throttling, 5xx, timeouts and connection
    /// failures are retried).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,
    /// Seconds one attempt may take.
    #[arg(long, default_value_t = 20.0, value_name = "SECONDS", value_parser = parse_seconds)]
    pub attempt_timeout: f64,
    /// Seconds one call may take with all its retries.
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS", value_parser = parse_seconds)]
    pub operation_timeout: f64,
    /// The key that fingerprints secret values (64 hex digits), for a team whose CI jobs must
    /// match each other's fingerprints (default: one made for this machine on first use, in
    /// ~/.config/sprawl/fingerprint.key).
    #[arg(long, value_name = "FILE", env = "SPRAWL_FINGERPRINT_KEY")]
    pub fingerprint_key: Option<PathBuf>,
    /// Read each function's CloudWatch metrics (invocations, errors, throttles, duration,
    /// concurrency), for idle, timeout, error and cost findings. Billed by AWS: $0.01 per 1,000
    /// metrics, 7 per function (about $0.07 per 1,000 functions); the cost is printed first.
    #[arg(long)]
    pub metrics: bool,
    /// Days of metrics to read with --metrics, ending yesterday.
    #[arg(long, value_name = "DAYS", default_value_t = 90, requires = "metrics", value_parser = clap::value_parser!(u16).range(1..=455))]
    pub metrics_days: u16,
    /// Read IAM Access Advisor's report on each execution role (the services it was granted and
    /// never used), for unused-service findings and `sprawl least-privilege`. Free, but IAM makes
    /// each report as a job: minutes per account.
    #[arg(long)]
    pub access_advisor: bool,
}

impl ScanTarget {
    /// True when no option says which account or regions to scan (they mean nothing with a
    /// snapshot file).
    fn names_nothing(&self) -> bool {
        self.profiles.is_empty()
            && self.regions.is_empty()
            && !self.all_regions
            && self.endpoint_url.is_none()
    }
}

/// The role a scan of an organization assumes in each account, and the one `iam-policy` writes.
pub const DEFAULT_ROLE_NAME: &str = "SprawlScan";

fn parse_role_name(s: &str) -> Result<String, String> {
    if crate::collect::permissions::valid_role_name(s) {
        Ok(s.to_string())
    } else {
        Err(
            "expected an IAM role name: 1 to 64 letters, digits and +=,.@_- (no path, no ARN)"
                .into(),
        )
    }
}

fn parse_rate_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 10.0 => Ok(v),
        _ => Err("expected a number above 0 and at most 10, such as 0.5".into()),
    }
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 3600.0 => Ok(v),
        _ => Err("expected a number of seconds above 0 and at most 3600".into()),
    }
}

/// A finished scan as an assessed snapshot.
fn snapshot_of(result: collect::ScanResult) -> Snapshot {
    snapshot_in(result, None, Err(String::new()))
}

/// A finished scan of an organization's account, assessed within the organization.
fn snapshot_in(
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
fn write_snapshot(
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
fn not_an_input(output: &std::path::Path, inputs: &[&std::path::Path]) -> Result<(), CliError> {
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

/// Runs the command line; the binary's `main` only adds error reporting.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
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

/// True when a person is at the keyboard: the explorer can open.
fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

fn theme(cli_theme: Option<&str>) -> Result<crate::tui::theme::Theme, CliError> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Ok(crate::tui::theme::Theme::load(cli_theme, no_color)?)
}

async fn explore(
    snapshot: Snapshot,
    source: &str,
    ui: &Ui,
    marks: crate::tui::app::Marks,
) -> Result<ExitCode, CliError> {
    let mut app = crate::tui::app::App::marked(snapshot, ui.theme.clone(), source, marks);
    app.mouse = ui.mouse;
    finish(crate::tui::run(app, None, false).await)
}

/// The explorer's marks for a snapshot: the mutes in force, and what is new since `since`.
fn marks(
    snap: &mut Snapshot,
    mutes: Vec<mute::Mute>,
    since: Option<&PathBuf>,
) -> Result<crate::tui::app::Marks, CliError> {
    let new = match since {
        None => None,
        Some(path) => {
            // The same account's part when OLD is an organization's snapshot; assessed as
            // `diff` assesses it.
            let opened = org::open(path)?;
            let which = match &opened {
                org::Opened::Account(_) => None,
                org::Opened::Organization(_) => Some(snap.account.id.as_str()),
            };
            let mut old = assessed(opened, path, which)?;
            if old.account.id != snap.account.id {
                return Err(CliError::SinceOtherAccount {
                    path: path.clone(),
                    found: old.account.id,
                    expected: snap.account.id.clone(),
                });
            }
            // As `diff` does: this build's rules on both (`snap` is assessed already, or was
            // scanned just now), so "new" is the account's change.
            export::diff::alike(&mut old, snap);
            Some(export::diff::new_findings(
                &old.assessment,
                &snap.assessment,
            )?)
        }
    };
    Ok(crate::tui::app::Marks {
        muting: muting(snap, mutes, true),
        new,
        since: since.map(|p| p.display().to_string()),
    })
}

/// The explorer on an organization's snapshot; the mutes apply to each account as it is opened.
async fn explore_organization(
    o: org::OrgSnapshot,
    source: &std::path::Path,
    ui: &Ui,
    mutes: Vec<mute::Mute>,
) -> Result<ExitCode, CliError> {
    let marks = crate::tui::app::Marks {
        muting: Muting::pending(mutes, chrono::Utc::now().date_naive()),
        ..Default::default()
    };
    let mut app = crate::tui::app::App::organization(
        o,
        ui.theme.clone(),
        source.display().to_string(),
        marks,
    )?;
    app.mouse = ui.mouse;
    finish(crate::tui::run(app, None, false).await)
}

/// How the explorer ended: a terminal error or a scan that failed is one line and exit 2 (the
/// terminal is restored by then).
fn finish(outcome: std::io::Result<crate::tui::Ended>) -> Result<ExitCode, CliError> {
    use crate::tui::Ended;
    match outcome {
        Err(e) => Err(CliError::Terminal(e)),
        Ok(Ended::ScanFailed(failure)) => Err(CliError::ExplorerScan(failure)),
        Ok(Ended::ScanPanicked(message)) => Err(CliError::ScanPanicked(message)),
        // The shell's convention for a process ended by signal n.
        Ok(Ended::Signal(n)) => Ok(ExitCode::from(128 + n as u8)),
        Ok(Ended::Quit) => Ok(ExitCode::SUCCESS),
    }
}

/// Explorer settings shared by every command.
struct Ui {
    theme: crate::tui::theme::Theme,
    mouse: bool,
    /// `--mute FILE`.
    mute: Option<PathBuf>,
}

fn demo_text(snap: &Snapshot) -> String {
    let mut out = summary::render(snap);
    out.push('\n');
    out.push_str(&report::render_assessment(&snap.assessment, 10));
    out
}

/// `sprawl demo`: the demo organization in the explorer, or one of its accounts (`--account`).
async fn demo(ui: &Ui, account: Option<&str>) -> Result<ExitCode, CliError> {
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

/// `sprawl` alone: scan the account of the standard credential chain in the explorer; with no
/// credentials, say so and offer the demo account.
async fn default_command(ui: &Ui) -> Result<ExitCode, CliError> {
    let config = aws::load(&AwsOptions::default()).await;
    let profile = std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty());
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let ready = match (config.region(), profile, endpoint) {
        (_, Some(p), _) if aws::check_profile(&p).is_err() => aws::check_profile(&p),
        (_, _, Some(u)) if aws::check_endpoint(&u).is_err() => aws::check_endpoint(&u),
        (None, _, _) => Err(SetupError::NoRegion),
        (Some(_), _, _) => aws::check_credentials(&config).await,
    };
    match ready {
        Ok(()) => {
            let Some(Command::Scan(args)) = Cli::parse_from(["sprawl", "scan"]).command else {
                unreachable!("`sprawl scan` parses as a scan");
            };
            scan(args, ui).await
        }
        Err(e) if interactive() => {
            use std::io::Write;
            eprint!("sprawl: {e}\nOpen the built-in demo organization instead? [Y/n] ");
            let _ = std::io::stderr().flush();
            let mut answer = String::new();
            let _ = std::io::stdin().read_line(&mut answer);
            if matches!(
                answer.trim().to_ascii_lowercase().as_str(),
                "" | "y" | "yes"
            ) {
                demo(ui, None).await
            } else {
                Ok(ExitCode::from(2))
            }
        }
        Err(e) => Err(CliError::NoAccount(e)),
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
        return default_command(&ui_of(&cli.explorer, &cli.mutes)?).await;
    };
    let ui = match command {
        Command::Scan(a) => ui_of(&a.explorer, &a.mutes)?,
        Command::Open {
            explorer, mutes, ..
        }
        | Command::Demo {
            explorer, mutes, ..
        } => ui_of(explorer, mutes)?,
        Command::Check(a) => ui_of(&ExplorerArgs::default(), &a.mutes)?,
        Command::Export(a) => ui_of(&ExplorerArgs::default(), &a.mutes)?,
        _ => ui_of(&ExplorerArgs::default(), &MuteArgs::default())?,
    };
    let Some(command) = cli.command else {
        unreachable!("a command, matched above");
    };
    match command {
        Command::Scan(args) => scan(args, &ui).await,
        Command::Open {
            snapshot,
            since,
            account,
            ..
        } => {
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
                return explore_organization(o, &snapshot, &ui, mutes).await;
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
            explore(snap, &snapshot.display().to_string(), &ui, marks).await
        }
        Command::Demo {
            no_tui,
            save,
            account,
            ..
        } => {
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
            demo(&ui, account.as_deref()).await
        }
        Command::Paths { snapshot, format } => paths(&snapshot, format),
        Command::LeastPrivilege {
            snapshot,
            target,
            account,
        } => {
            let snap = load_one(&snapshot, account.as_deref())?;
            out!("{}", least_privilege(&snap, &target)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Summary { snapshot, account } => {
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
        Command::Assess(args) => assess(args),
        Command::Check(args) => {
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
                _ => {
                    snapshot_or_scan(args.snapshot.as_ref(), args.account.as_deref(), &args.live)
                        .await?
                }
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
        Command::Export(args) => {
            if let Some(out) = &args.output {
                let inputs = [args.snapshot.as_deref(), args.live.save.as_deref()];
                not_an_input(out, &inputs.into_iter().flatten().collect::<Vec<_>>())?;
            }
            let mutes = load_mutes(ui.mute.as_ref())?;
            let format = export::Format::from(args.format);
            if let Some(path) = &args.snapshot
                && args.account.is_none()
                && let org::Opened::Organization(o) = org::open(path)?
            {
                // Streamed one account at a time: an organization's export is never in memory
                // whole (to a file, atomically: a failure part way leaves no half file).
                match &args.output {
                    Some(out) => {
                        let mut failure = None;
                        let written = snapshot::write_atomically_with(out, |f| {
                            use std::io::Write;
                            export_organization(&o, format, mutes, &mut |b| f.write_all(b)).map_err(
                                |e| {
                                    failure = Some(e);
                                    std::io::Error::other("the export stopped")
                                },
                            )
                        });
                        if let Some(e) = failure {
                            return Err(e);
                        }
                        written?;
                    }
                    None => export_organization(&o, format, mutes, &mut |b| {
                        output::write_all(b);
                        Ok(())
                    })?,
                }
                return Ok(ExitCode::SUCCESS);
            }
            let snap =
                snapshot_or_scan(args.snapshot.as_ref(), args.account.as_deref(), &args.live)
                    .await?;
            let muting = muting(&snap, mutes, format != export::Format::Json);
            let bytes = export::render(format, &export::Report::new(&snap, &muting))?;
            match &args.output {
                Some(path) => write_file(path, &bytes)?,
                None => output::write_all(&bytes),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff {
            old,
            new,
            format,
            account,
        } => {
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
        Command::IamPolicy {
            org,
            role_name,
            cloudformation,
            metrics,
            access_advisor,
        } => {
            use crate::collect::permissions::{OrgAccess, member_role_template, policy};
            let doc = if cloudformation {
                member_role_template(&role_name)
            } else {
                policy(
                    org.then_some(&OrgAccess { role_name }),
                    crate::collect::ops::OptIns {
                        metrics,
                        access_advisor,
                    },
                )
            };
            outln!(
                "{}",
                serde_json::to_string_pretty(&doc).expect("a policy serializes")
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Merge {
            snapshots,
            output,
            newest,
        } => {
            let inputs: Vec<&std::path::Path> = snapshots.iter().map(PathBuf::as_path).collect();
            not_an_input(&output, &inputs)?;
            merge(&snapshots, &output, newest)
        }
        Command::Rules { id, format } => {
            let catalog = crate::assess::rules::catalog();
            match (id, format) {
                (Some(id), fmt) => {
                    let rule = crate::assess::rules::find(&id)
                        .ok_or_else(|| CliError::NoSuchRule(id.clone()))?;
                    if fmt == Format::Json {
                        let all = report::rules_json();
                        let one = all
                            .as_array()
                            .into_iter()
                            .flatten()
                            .find(|r| r["id"] == rule.id);
                        outln!("{}", serde_json::to_string_pretty(&one).expect("json"));
                    } else {
                        out!("{}", report::render_rule(rule));
                    }
                }
                (None, Format::Json) => {
                    outln!(
                        "{}",
                        serde_json::to_string_pretty(&report::rules_json()).expect("json")
                    );
                }
                (None, Format::Text) => out!("{}", report::render_rules(&catalog)),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes a whole file atomically (a temporary file beside it, then a rename).
fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), CliError> {
    Ok(snapshot::write_atomically(path, bytes)?)
}

fn assess(args: AssessArgs) -> Result<ExitCode, CliError> {
    if args.account.is_none()
        && let org::Opened::Organization(o) = org::open(&args.snapshot)?
    {
        return assess_organization(&o, &args);
    }
    let (snap, now) = match (org::open(&args.snapshot)?, args.account.as_deref()) {
        // One account of an organization: assessed within it, as the organization's are.
        (org::Opened::Organization(o), Some(which)) => {
            let id = account_of(&o, &args.snapshot, which)?.account.id;
            let snap = org::reassess_one(&o, &id, args.as_of)?;
            let now = snap.assessment.assessed_at;
            (snap, now)
        }
        _ => {
            let mut snap = load_one(&args.snapshot, args.account.as_deref())?;
            let now = args.as_of.unwrap_or(snap.scanned_at);
            let before = snap.assessment.clone();
            snap.reassess(now);
            // An account cut out of its organization's snapshot, assessed alone now: say what
            // that hides, and never write the loss over it without being told to.
            if let Some(lost) = report::lost_alone(&before, &snap.assessment) {
                if args.output.is_some() && !args.alone {
                    return Err(CliError::AssessedAlone {
                        path: args.snapshot.clone(),
                        lost,
                    });
                }
                eprintln!("sprawl: {}: {lost}", args.snapshot.display());
            }
            (snap, now)
        }
    };
    if let Some(path) = &args.output {
        snapshot::save(&snap, path)?;
    }
    let assessment = &snap.assessment;
    match args.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(assessment).expect("an assessment serializes")
        ),
        Format::Text => {
            outln!(
                "Account {}, scanned {}, assessed as of {}",
                snap.account.id,
                snap.scanned_at.format("%Y-%m-%d %H:%M UTC"),
                now.format("%Y-%m-%d %H:%M UTC")
            );
            out!("{}", report::render_assessment(&snap.assessment, args.top));
            if let Some(path) = &args.output {
                outln!("\nRe-assessed snapshot written to {}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Why an edge of `paths` holds, one reason after another: what admits the source (`admitted`),
/// its own statements that allow `action`, the conditions, then what stops it, or the key that
/// must allow it too and what the SCPs say.
fn edge_reasons(
    admitted: String,
    action: &str,
    via: &[crate::iam::access::StatementRef],
    conditions: &[String],
    stopped: Option<&str>,
    scp: &crate::assess::paths::ScpVerdict,
    key: Option<&str>,
) -> String {
    let mut why = vec![
        admitted,
        format!(
            "{action} by {}",
            via.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ];
    if !conditions.is_empty() {
        why.push(format!("if {}", conditions.join("; ")));
    }
    why.push(match (stopped, key) {
        (Some(stop), _) => format!("stopped: {stop}"),
        (None, Some(key)) => format!("if key {key} allows it; SCP: {}", scp.label()),
        (None, None) => format!("SCP: {}", scp.label()),
    });
    why.join("; ")
}

/// The end of a resource edge's line in `paths`: whether it is stopped, then why it holds.
fn resource_why(e: &crate::assess::paths::ResourceEdge, action: &str, key: Option<&str>) -> String {
    format!(
        "{}: {}",
        if e.stopped.is_some() {
            " (stopped)"
        } else {
            ""
        },
        edge_reasons(
            format!("admitted by {}", e.admitted),
            action,
            &e.via,
            &e.conditions,
            e.stopped.as_deref(),
            &e.scp,
            key
        )
    )
}

/// `paths ORG`: the edges between the organization's accounts, read from every account's roles
/// (one account at a time; the roles are kept).
fn paths(path: &std::path::Path, format: Format) -> Result<ExitCode, CliError> {
    let org::Opened::Organization(o) = org::open(path)? else {
        return Err(CliError::Usage(
            "paths reads an organization's snapshot (from scan --org, or merge)",
        ));
    };
    let found = org::edges(&o, None)?.paths;
    if format == Format::Json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&found).expect("edges serialize")
        );
        return Ok(ExitCode::SUCCESS);
    }
    let edges = &found.edges;
    let label = |account: &str, arn: &str| {
        let name = o
            .entry(account)
            .and_then(|e| e.info.name.clone())
            .unwrap_or_else(|| account.to_string());
        format!("{name}/{}", arn.rsplit('/').next().unwrap_or(arn))
    };
    outln!(
        "Roles that may become roles in other accounts: {}{}",
        edges.len(),
        if o.header.accounts.iter().any(|e| e.part.is_none()) {
            " (accounts not scanned are not in it)"
        } else {
            ""
        }
    );
    for e in edges {
        let why = edge_reasons(
            format!(
                "{} ({})",
                if e.named {
                    "trusted by name"
                } else {
                    "trusted by its account"
                },
                e.trust
            ),
            "sts:AssumeRole",
            &e.via,
            &e.conditions,
            e.stopped.as_deref(),
            &e.scp,
            None,
        );
        let reaches = match e.reaches {
            Some(r) => format!(" ({})", r.label()),
            None => String::new(),
        };
        outln!(
            "  {} -> {}{reaches}{}: {}",
            label(&e.from_account, &e.from_role),
            label(&e.to_account, &e.to_role),
            match (&e.stopped, e.is_conditional()) {
                (Some(_), _) => " (stopped)",
                (None, true) => " (conditional)",
                (None, false) => "",
            },
            why
        );
    }
    outln!(
        "Roles that may read secrets of other accounts: {}",
        found.secrets.len()
    );
    let account = |id: &str| {
        o.entry(id)
            .and_then(|x| x.info.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    for e in &found.secrets {
        let edge = &e.edge;
        outln!(
            "  {} -> {}'s secret {}{}",
            label(&edge.from_account, &edge.from_role),
            account(&edge.to_account),
            edge.name,
            resource_why(edge, "secretsmanager:GetSecretValue", e.key.as_deref())
        );
    }
    outln!(
        "Roles that may invoke functions of other accounts: {}",
        found.invokes.len()
    );
    for e in &found.invokes {
        let edge = &e.edge;
        outln!(
            "  {} -> {}{}",
            label(&edge.from_account, &edge.from_role),
            label(&edge.to_account, &format!("function/{}", edge.name)),
            resource_why(edge, "lambda:InvokeFunction", None)
        );
    }
    // Never "no edge" where the documents were not there to say.
    if !found.not_assessed.is_empty() {
        outln!("Not assessed (edges into or out of these roles are unknown):");
        for why in &found.not_assessed {
            outln!("  {why}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `assess ORG`: every account re-assessed (as of `--as-of`, else its own scan time), one line
/// each (JSON: one assessment document per line, with its account), and with `-o` the
/// re-assessed organization written.
fn assess_organization(o: &org::OrgSnapshot, args: &AssessArgs) -> Result<ExitCode, CliError> {
    if args.format == Format::Text {
        outln!(
            "Organization {}: {} accounts, assessed as of {}",
            o.header.organization.id.as_deref().unwrap_or("-"),
            o.header.accounts.len(),
            args.as_of
                .map_or("each account's scan time".to_string(), |t| t
                    .format("%Y-%m-%d %H:%M UTC")
                    .to_string())
        );
    }
    let mut total = crate::assess::FindingCounts::default();
    org::reassess(o, args.as_of, args.output.as_deref(), |entry, snap| {
        let name = entry.info.name.as_deref().unwrap_or("-");
        let id = &entry.info.id;
        match (snap, args.format) {
            (None, Format::Text) => outln!(
                "  {id}  {name:<20} not scanned: {}",
                entry.failure.as_deref().unwrap_or("-")
            ),
            (None, Format::Json) => outln!(
                "{}",
                serde_json::json!({"account": id, "name": name, "not_scanned": entry.failure})
            ),
            (Some(s), Format::Text) => {
                let counts = s.assessment.counts();
                let riskiest = s.assessment.functions.first().map_or("-".to_string(), |f| {
                    format!("{} ({})", f.name, f.score.total)
                });
                outln!(
                    "  {id}  {name:<20} {}; riskiest {riskiest}",
                    counts.by_severity()
                );
                total.add(&counts);
            }
            (Some(s), Format::Json) => outln!(
                "{}",
                serde_json::json!({"account": id, "name": name, "assessment": &s.assessment})
            ),
        }
    })?;
    if args.format == Format::Text {
        outln!("\nFindings of the scanned accounts: {}", total.described());
    }
    if let (Some(path), Format::Text) = (&args.output, args.format) {
        outln!("\nRe-assessed organization written to {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks the credentials and the regions, and turns the options into the collector's.
async fn prepare(target: &ScanTarget) -> Result<(Arc<aws::SdkClients>, ScanOptions), CliError> {
    if target.profiles.len() > 1 {
        return Err(CliError::Usage(
            "several --profile options make a scan of several accounts: use `sprawl scan`, then check or export its snapshot",
        ));
    }
    let (config, options) = load_target(target, target.profiles.first().cloned()).await?;
    Ok((Arc::new(aws::SdkClients::new(config)), options))
}

/// The SDK configuration of `profile` (default chain when None), checked, and the scan's options.
async fn load_target(
    target: &ScanTarget,
    profile: Option<String>,
) -> Result<(aws::SdkConfig, ScanOptions), CliError> {
    let endpoint_url = target.endpoint_url.clone().or_else(|| {
        std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .filter(|u| !u.is_empty())
    });
    let custom_endpoint = endpoint_url.is_some();
    if let Some(url) = &endpoint_url {
        aws::check_endpoint(url)?;
    }
    for r in &target.regions {
        aws::check_region(r, custom_endpoint)?;
    }
    let named = profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()));
    if let Some(name) = &named {
        aws::check_profile(name)?;
    }
    let options = AwsOptions {
        profile,
        region: target.regions.first().cloned(),
        endpoint_url: target.endpoint_url.clone(),
    };
    let config = aws::load(&options).await;
    let home = config
        .region()
        .map(|r| r.to_string())
        .ok_or(SetupError::NoRegion)?;
    aws::check_region(&home, custom_endpoint)?;
    aws::check_credentials(&config).await?;

    let regions = if target.all_regions {
        Regions::AllEnabled
    } else if target.regions.is_empty() {
        Regions::Listed(vec![home])
    } else {
        let mut r = target.regions.clone();
        r.sort();
        r.dedup();
        Regions::Listed(r)
    };
    let retry = RetryPolicy {
        max_attempts: target.max_attempts,
        attempt_timeout: Duration::from_secs_f64(target.attempt_timeout),
        operation_timeout: Duration::from_secs_f64(target.operation_timeout),
        ..RetryPolicy::default()
    };
    let fingerprint_key = match &target.fingerprint_key {
        Some(path) => FingerprintKey::load(path),
        None => FingerprintKey::default_path()
            .ok_or(KeyError::NoConfigDir)
            .and_then(|path| FingerprintKey::load_or_create(&path)),
    }?;
    let scan_options = ScanOptions {
        regions,
        concurrency: target
            .concurrency
            .map_or(ScanOptions::default().concurrency, usize::from),
        shared_calls: None,
        plan: QuotaPlan::scaled(target.rate_scale),
        retry,
        fingerprint_key,
        metrics_days: target.metrics.then_some(target.metrics_days),
        access_advisor: target.access_advisor,
    };
    if target.metrics {
        eprintln!(
            "--metrics: CloudWatch bills GetMetricData at $0.01 per 1,000 metrics; sprawl reads {} per function over {} days (about ${:.2} per 1,000 functions). The cost of each region is printed before its calls.",
            collect::cloudwatch::METRICS_PER_FUNCTION,
            target.metrics_days,
            collect::cloudwatch::metrics_cost(1000).2
        );
    }
    Ok((config, scan_options))
}

/// `scan --org` or `scan --profile A --profile B ...`: every account, side by side, into one
/// organization's snapshot. An account that cannot be reached is recorded with the reason.
async fn scan_accounts(args: ScanArgs, ui: &Ui) -> Result<ExitCode, CliError> {
    use crate::collect::multi::{self, AccountEvent, AccountTarget, Reach};
    let a = &args.accounts;
    let started = std::time::Instant::now();
    let (base, options) = load_target(&args.target, args.target.profiles.first().cloned()).await?;
    let (organization, targets, skipped) = if a.org {
        let listing =
            collect::org::list_accounts(&base, &a.ous, options.plan.clone(), options.retry.clone())
                .await?;
        let caller = aws::SdkClients::new(base.clone())
            .caller_account()
            .await
            .map_err(|e| CliError::Setup(SetupError::Credentials(e)))?;
        let partition = collect::apigateway::partition_of(
            base.region().map(|r| r.as_ref()).unwrap_or("us-east-1"),
        );
        let role = a.role_name.clone();
        let targets: Vec<AccountTarget> = listing
            .accounts
            .into_iter()
            .filter(|info| a.accounts.is_empty() || a.accounts.contains(&info.id))
            .filter(|info| !a.exclude_accounts.contains(&info.id))
            .map(|info| {
                // The scanning account reads with its own credentials: a StackSet does not put
                // the member role in the management account.
                let reach = if info.id == caller {
                    Reach::Base
                } else {
                    Reach::AssumeRole {
                        role_arn: multi::role_arn(&info.id, &role, partition),
                        external_id: a.external_id.clone(),
                    }
                };
                AccountTarget { info, reach }
            })
            .collect();
        (listing.organization, targets, listing.skipped.len())
    } else {
        let mut targets = Vec::new();
        // Each profile's credentials are checked when its account is scanned: one that has none
        // is recorded as not scanned, and the others go on.
        for profile in &args.target.profiles {
            let config = aws::load(&AwsOptions {
                profile: Some(profile.clone()),
                region: args.target.regions.first().cloned(),
                endpoint_url: args.target.endpoint_url.clone(),
            })
            .await;
            targets.push(AccountTarget {
                info: crate::model::AccountInfo {
                    id: format!("profile {profile}"),
                    name: Some(profile.clone()),
                    ..Default::default()
                },
                reach: Reach::Config(Box::new(config)),
            });
        }
        (Default::default(), targets, 0)
    };
    let total = targets.len();
    // Every account side by side where the machine allows (quotas are per account); the calls in
    // flight follow.
    let in_flight = a
        .accounts_in_flight
        .map_or_else(|| multi::default_in_flight(total), usize::from);
    let options = ScanOptions {
        concurrency: args
            .target
            .concurrency
            .map_or_else(|| multi::default_concurrency(in_flight), usize::from),
        ..options
    };
    eprintln!(
        "Scanning {total} accounts, {in_flight} at a time, {} calls in flight{}",
        options.concurrency,
        if skipped > 0 {
            format!(" ({skipped} suspended or closed, left out)")
        } else {
            String::new()
        }
    );
    let board = std::sync::Mutex::new(progress::Accounts::new(total));
    let report = |event: AccountEvent<'_>| {
        let line = board
            .lock()
            .expect("no report panics")
            .apply(&event, &label);
        if let Some(line) = line {
            eprintln!("{line}");
        }
    };
    let path = args.output.clone().unwrap_or_else(|| {
        PathBuf::from(format!(
            "sprawl-org-{}-{}.json",
            organization.id.as_deref().unwrap_or("accounts"),
            chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
        ))
    });
    // Each account is written as its scan finishes, and dropped; each is assessed within the
    // organization when its whole membership was listed.
    let within = org::members_of(&organization);
    let mut writer = org::Writer::new(&path)?;
    let mut written = std::collections::HashSet::new();
    let scans = multi::scan_stream(&base, targets, options, in_flight, &report);
    let mut scans = std::pin::pin!(scans);
    while let Some(s) = futures::StreamExt::next(&mut scans).await {
        match s.result {
            Ok(result) => {
                let info = crate::model::AccountInfo {
                    id: result.account.id.clone(),
                    ..s.info
                };
                // Two profiles of one account: the first scan stands.
                if !written.insert(info.id.clone()) {
                    eprintln!(
                        "  account {} was scanned twice; the first scan is kept",
                        info.id
                    );
                    continue;
                }
                let bounds = org::bounds_of(&organization, &info.id);
                let mut result = result;
                // SCPs that could not be read are a gap in every account's coverage.
                if let Some(failed) = organization
                    .guardrails
                    .as_ref()
                    .and_then(|g| g.failure.clone())
                {
                    result.coverage.entries.push(failed);
                    result.coverage.entries.sort_by(|a, b| {
                        (&a.service, &a.region, &a.operation).cmp(&(
                            &b.service,
                            &b.region,
                            &b.operation,
                        ))
                    });
                }
                writer.add(info, Ok(&snapshot_in(result, within.as_ref(), bounds)))?;
            }
            Err(why) => {
                if written.insert(s.info.id.clone()) {
                    writer.add(s.info, Err(&why))?;
                }
            }
        }
    }
    writer.finish(organization)?;
    let org::Opened::Organization(o) = org::open(&path)? else {
        unreachable!("an organization's snapshot was just written");
    };
    // With every account in, the chains that cross between them: the accounts are assessed
    // again with the edges (only when there are some), or with the accounts of the organization
    // that were not scanned (so that a grant naming one says where no one looked).
    let found = org::edges(&o, None)?;
    let unscanned = o
        .header
        .organization
        .members
        .iter()
        .filter(|m| o.entry(&m.id).is_none_or(|e| e.part.is_none()))
        .count();
    if !found.paths.is_empty() {
        eprintln!(
            "{} between accounts: assessing the accounts again with them",
            crate::model::counted(found.paths.len(), "edge", "edges")
        );
        org::reassess_across(&o, None, Some(&path), &found, |_, _| {})?;
    } else if unscanned > 0 {
        eprintln!(
            "{unscanned} account(s) of the organization not scanned: assessing the accounts again with that"
        );
        org::reassess_across(&o, None, Some(&path), &found, |_, _| {})?;
    } else {
        org::count_paths(&o, org::PathCounts::of(&found.paths))?;
    }
    let org::Opened::Organization(o) = org::open(&path)? else {
        unreachable!("an organization's snapshot was just written");
    };
    eprintln!(
        "{total} accounts in {:.1} s. Snapshot written to {}",
        started.elapsed().as_secs_f64(),
        path.display()
    );
    // On a terminal the explorer opens on the organization, as a single scan's opens on its account.
    if !args.no_tui && interactive() {
        return explore_organization(o, &path, ui, load_mutes(ui.mute.as_ref())?).await;
    }
    out!(
        "{}",
        summary::render_organization(&o.header, summary::Source::File(&path))
    );
    outln!("\nSnapshot written to {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// `222233334444 (prod)`.
fn label(info: &crate::model::AccountInfo) -> String {
    match &info.name {
        Some(name) => format!("{} ({name})", info.id),
        None => info.id.clone(),
    }
}

/// Scans with progress on stderr (stdout stays the command's own).
async fn scan_with_progress(target: &ScanTarget) -> Result<collect::ScanResult, CliError> {
    let (clients, scan_options) = prepare(target).await?;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let display = tokio::spawn(progress::display(rx));
    let result = collect::scan(clients, scan_options, Some(tx)).await;
    let _ = display.await;
    Ok(result?)
}

/// The snapshot `check` and `export` work on: the file given, or a scan run now (written only
/// when --save asks).
async fn snapshot_or_scan(
    file: Option<&PathBuf>,
    account: Option<&str>,
    live: &LiveScan,
) -> Result<Snapshot, CliError> {
    match file {
        Some(path) => {
            if !live.target.names_nothing() || live.save.is_some() {
                return Err(CliError::Usage(
                    "scan options (--profile, --region, --all-regions, --endpoint-url, --save) need no SNAPSHOT: give one or the other",
                ));
            }
            load_one(path, account)
        }
        None if account.is_some() => Err(CliError::Usage(
            "--account picks an account of an organization's snapshot: give the SNAPSHOT",
        )),
        None => {
            let snapshot = snapshot_of(scan_with_progress(&live.target).await?);
            if let Some(path) = &live.save {
                snapshot::save_scan(&snapshot, path)?;
                eprintln!("Snapshot written to {}", path.display());
            }
            Ok(snapshot)
        }
    }
}

/// One account's snapshot from a file: the file's own, or (in an organization's snapshot) the
/// account `account` names by id or name.
/// `scan --dry-run`: the account, each region's functions, the calls a scan would make and what
/// `--metrics` would cost.
async fn dry_run(target: &ScanTarget) -> Result<ExitCode, CliError> {
    let (clients, options) = prepare(target).await?;
    let run = collect::dry_run(clients, options).await?;
    outln!(
        "Dry run of account {} ({}): only STS GetCallerIdentity and Lambda ListFunctions were called ({} calls); nothing was written.",
        run.account.id,
        run.account.caller_arn,
        run.stats.total_attempts()
    );
    let (mut functions, mut calls, mut metrics, mut usd) = (0usize, 0usize, 0usize, 0.0f64);
    for (region, n) in &run.regions {
        match n {
            Ok(n) => {
                outln!("  {region:<16} {n:>7} functions");
                functions += n;
                let (c, m, d) = collect::cloudwatch::metrics_cost(*n);
                calls += c;
                metrics += m;
                usd += d;
            }
            Err(f) => outln!("  {region:<16} not listed: {}", f.message),
        }
    }
    outln!(
        "A scan reads about {} calls per function (about {} calls here), each paced at {:.0}% of its published quota.",
        CALLS_PER_FUNCTION,
        (functions as f64 * CALLS_PER_FUNCTION).round(),
        target.rate_scale * 100.0
    );
    outln!(
        "--metrics{}: {calls} GetMetricData call(s), {metrics} metrics, about ${usd:.2} (billed by CloudWatch at $0.01 per 1,000 metrics).",
        if target.metrics {
            ""
        } else {
            " (not asked for)"
        }
    );
    outln!(
        "--access-advisor{}: one IAM report job per execution role (free; minutes per account).",
        if target.access_advisor {
            ""
        } else {
            " (not asked for)"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Calls per function a scan makes on the benchmark's estate (docs/performance.md): GetFunction,
/// GetPolicy, GetFunctionUrlConfig, and a share of the rest.
const CALLS_PER_FUNCTION: f64 = 3.3;

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

/// [`load_one`], assessed again with this build's rules as of its scan: an account of an
/// organization's file within the organization (its membership, the edges between its accounts,
/// its SCPs); an account's own file alone, unless it was assessed within an organization, which
/// only its organization's file can repeat (it keeps its assessment).
fn load_assessed(path: &std::path::Path, account: Option<&str>) -> Result<Snapshot, CliError> {
    assessed(org::open(path)?, path, account)
}

/// [`load_assessed`] of a snapshot already opened from `path`.
fn assessed(
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

fn load_one(path: &std::path::Path, account: Option<&str>) -> Result<Snapshot, CliError> {
    one_of(org::open(path)?, path, account)
}

/// [`load_one`] of a snapshot already opened from `path`.
fn one_of(
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
fn entry_of<'o>(
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
fn account_of(
    o: &org::OrgSnapshot,
    path: &std::path::Path,
    which: &str,
) -> Result<Snapshot, CliError> {
    let id = entry_of(o, path, which)?.info.id.clone();
    Ok(o.account(&id)?)
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

/// One account of an organization exported as its own file would be, naming the account.
fn account_export(
    o: &org::OrgSnapshot,
    entry: &org::AccountEntry,
    format: export::Format,
    mutes: &[mute::Mute],
) -> Result<Vec<u8>, CliError> {
    let snap = o.account(&entry.info.id)?;
    let muting = muting(&snap, mutes.to_vec(), true);
    let report = export::Report::new(&snap, &muting).named(entry.info.name.as_deref());
    Ok(export::render(format, &report)?)
}

/// Bytes of an export as they are made.
type Emit<'a> = &'a mut dyn FnMut(&[u8]) -> std::io::Result<()>;

/// An export's bytes could not be written.
fn io(source: std::io::Error) -> CliError {
    CliError::from(snapshot::SnapshotError::Io {
        path: std::path::PathBuf::from("the export"),
        source,
    })
}

/// Exports every account of an organization, reading and writing one account at a time: CSV
/// with one header row and each row naming its account, OCSF as one array of every account's
/// events, JSON as the organization's document (`json_of_organization`).
fn export_organization(
    o: &org::OrgSnapshot,
    format: export::Format,
    mutes: Vec<mute::Mute>,
    emit: Emit,
) -> Result<(), CliError> {
    if format == export::Format::Json {
        return json_of_organization(o, mutes, emit);
    }
    let mut first = true;
    if format == export::Format::Ocsf {
        emit(b"[").map_err(io)?;
    }
    // An account not scanned is said (a row, an event), never left out in silence; dated as
    // the organization's latest scan, so the same file exports to the same bytes.
    let latest = o.header.latest_scan();
    for entry in &o.header.accounts {
        let bytes = match entry.part {
            Some(_) => account_export(o, entry, format, &mutes)?,
            None => {
                let (id, name) = (&entry.info.id, entry.info.name.as_deref());
                let why = entry.failure.as_deref().unwrap_or("no snapshot");
                match format {
                    export::Format::Csv => {
                        let mut header = export::csv::render_header();
                        header.extend(export::csv::not_scanned_row(id, name, why));
                        header
                    }
                    _ => serde_json::to_vec(&[export::ocsf::not_scanned_event(
                        id, name, why, latest,
                    )])
                    .expect("an event serializes"),
                }
            }
        };
        match format {
            export::Format::Csv => {
                // The header row once, then every account's rows.
                let rows = if first {
                    &bytes[..]
                } else {
                    let body = memchr::memchr(b'\n', &bytes).map_or(bytes.len(), |i| i + 1);
                    &bytes[body..]
                };
                emit(rows).map_err(io)?;
                first = false;
            }
            _ => {
                // The account's array without its brackets, joined to the others'.
                let (open, close) = (
                    memchr::memchr(b'[', &bytes).map_or(0, |i| i + 1),
                    memchr::memrchr(b']', &bytes).unwrap_or(bytes.len()),
                );
                let events = bytes[open..close.max(open)].trim_ascii();
                if !events.is_empty() {
                    emit(if first { b"\n  " } else { b",\n  " }).map_err(io)?;
                    emit(events).map_err(io)?;
                    first = false;
                }
            }
        }
    }
    if format == export::Format::Ocsf {
        emit(b"\n]\n").map_err(io)?;
    }
    Ok(())
}

/// The JSON findings document of an organization (`schemas/organization-findings.schema.json`):
/// the organization, then each account with its own findings document as one account's export
/// writes it (read one account at a time), or why it was not scanned.
fn json_of_organization(
    o: &org::OrgSnapshot,
    mutes: Vec<mute::Mute>,
    emit: Emit,
) -> Result<(), CliError> {
    let h = &o.header;
    let head = serde_json::json!({
        "format": "sprawl-organization-findings",
        "schema_version": 1,
        "tool_version": env!("CARGO_PKG_VERSION"),
        "organization": {
            "id": h.organization.id,
            "management_account": h.organization.management_account,
        },
    });
    // The head's fields, then the accounts, each account's document spliced in as written.
    let head = serde_json::to_string(&head).expect("a head serializes");
    emit(format!("{},\n\"accounts\": [", &head[..head.len() - 1]).as_bytes()).map_err(io)?;
    for (i, entry) in h.accounts.iter().enumerate() {
        let about = serde_json::json!({
            "id": entry.info.id,
            "name": entry.info.name,
            "ou_path": entry.info.ou_path,
            "status": entry.info.status,
            "scanned_at": entry.scanned_at,
            "not_scanned": entry.failure,
        });
        let about = serde_json::to_string(&about).expect("an entry serializes");
        let lead = format!(
            "{}\n{}, \"findings\": ",
            if i == 0 { "" } else { "," },
            &about[..about.len() - 1]
        );
        emit(lead.as_bytes()).map_err(io)?;
        if entry.part.is_some() && entry.failure.is_none() {
            let document = account_export(o, entry, export::Format::Json, &mutes)?;
            emit(document.trim_ascii_end()).map_err(io)?;
        } else {
            emit(b"null").map_err(io)?;
        }
        emit(b"}").map_err(io)?;
    }
    emit(b"\n]}\n").map_err(io)?;
    Ok(())
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

/// The mutes in force: `--mute FILE`, else `./sprawl.toml` when there is one, else none.
fn load_mutes(path: Option<&PathBuf>) -> Result<Vec<mute::Mute>, CliError> {
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
fn muting(snap: &Snapshot, mutes: Vec<mute::Mute>, say_expired: bool) -> Muting {
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

async fn scan(args: ScanArgs, ui: &Ui) -> Result<ExitCode, CliError> {
    if args.dry_run {
        if args.target.profiles.len() > 1 {
            return Err(CliError::Usage(
                "--dry-run looks at one account: give one --profile",
            ));
        }
        return dry_run(&args.target).await;
    }
    if args.accounts.org || args.target.profiles.len() > 1 {
        return scan_accounts(args, ui).await;
    }
    if !args.no_tui && interactive() {
        let (clients, scan_options) = prepare(&args.target).await?;
        let output = args.output.clone();
        let scanner: crate::tui::Scanner = Arc::new(move |tx| {
            let clients = clients.clone();
            let options = scan_options.clone();
            let output = output.clone();
            Box::pin(async move {
                let result = collect::scan(clients, options, Some(tx))
                    .await
                    .map_err(|e| Arc::new(CliError::from(e)) as ScanFailure)?;
                let (snapshot, _) =
                    write_snapshot(result, output).map_err(|e| Arc::new(e) as ScanFailure)?;
                Ok(snapshot)
            })
        });
        let mut app = crate::tui::app::App::scanning(ui.theme.clone(), "live scan");
        app.mouse = ui.mouse;
        app.marks = Arc::new(crate::tui::app::Marks {
            muting: Muting::pending(
                load_mutes(ui.mute.as_ref())?,
                chrono::Utc::now().date_naive(),
            ),
            ..Default::default()
        });
        return finish(crate::tui::run(app, Some(scanner), true).await);
    }
    let result = scan_with_progress(&args.target).await?;
    let stats = result.stats.clone();
    let (snapshot, path) = write_snapshot(result, args.output.clone())?;

    outln!();
    out!("{}", summary::render(&snapshot));
    outln!();
    out!("{}", report::render_assessment(&snapshot.assessment, 10));
    outln!(
        "\n{} calls in {:.1} s, {} throttled. Snapshot written to {}",
        stats.total_attempts(),
        stats.elapsed_seconds,
        stats.total_throttled(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
