//! `sprawl scan`: an account scanned (read-only), assessed and written as a snapshot, in the
//! explorer or with progress and a summary; `--dry-run` says what a scan would call and cost.
//! Several accounts (`--org`, several `--profile`) are `scan_accounts`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::CliError;
use crate::cli::output::{out, outln};
use std::sync::Arc;

use crate::assess::mute::Muting;
use crate::cli::args::{DEFAULT_ROLE_NAME, ExplorerArgs, MuteArgs, parse_role_name};
use crate::cli::explorer::{Ui, finish, interactive};
use crate::cli::load::{load_mutes, write_snapshot};
use crate::cli::target::{ScanTarget, prepare, scan_with_progress};
use crate::cli::{report, summary};
use crate::collect;
use crate::tui::ScanFailure;

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

pub async fn run(args: ScanArgs, ui: &Ui) -> Result<ExitCode, CliError> {
    if args.dry_run {
        if args.target.profiles.len() > 1 {
            return Err(CliError::Usage(
                "--dry-run looks at one account: give one --profile",
            ));
        }
        return dry_run(&args.target).await;
    }
    if args.accounts.org || args.target.profiles.len() > 1 {
        return super::scan_accounts::run(args, ui).await;
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
    // --no-get-function reads tags and concurrency with two calls where GetFunction is one.
    let per_function = CALLS_PER_FUNCTION + if target.no_get_function { 1.0 } else { 0.0 };
    outln!(
        "A scan reads about {per_function:.1} calls per function (about {} calls here), each paced at {:.0}% of its published quota{}.",
        (functions as f64 * per_function).round(),
        target.rate_scale * 100.0,
        if target.no_get_function {
            " (--no-get-function: ListTags and GetFunctionConcurrency, two of Lambda's 15/s control-plane calls, in GetFunction's place)"
        } else {
            ""
        }
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
