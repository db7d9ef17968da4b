//! The command line: wires the stages together and owns exit codes and user-facing errors.
//!
//! Exit codes: 0 success (a scan whose coverage has gaps still succeeds: the gaps are in the
//! summary and the snapshot); 2 bad input or a scan that could not run (no credentials, unknown
//! region, unreadable snapshot, account not identifiable).

mod error;
mod progress;
pub mod summary;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

pub use error::CliError;

use crate::collect::aws::{self, AwsOptions, SetupError};
use crate::collect::{self, DEFAULT_RATE_SCALE, QuotaPlan, Regions, RetryPolicy, ScanOptions};
use crate::snapshot::{self, Snapshot};

#[derive(Debug, Parser)]
#[command(
    name = "sprawl",
    version,
    about = "The serverless security posture of an AWS account",
    long_about = "sprawl inventories every Lambda function, trigger, execution role, secret and API Gateway stage in an AWS account, read-only, and writes a versioned JSON snapshot."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan an account (read-only) and write a snapshot.
    Scan(ScanArgs),
    /// Print the summary of a saved snapshot.
    Summary {
        /// The snapshot file.
        snapshot: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The AWS profile (default: AWS_PROFILE, then `default`).
    #[arg(long)]
    pub profile: Option<String>,
    /// A region to scan; repeat for several (default: the profile's region, or AWS_REGION).
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Scan every region enabled in the account.
    #[arg(long, conflicts_with = "regions")]
    pub all_regions: bool,
    /// Send every call to this endpoint (an emulator); AWS_ENDPOINT_URL works too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Calls in flight at once.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
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
    /// Where to write the snapshot (default: sprawl-<account>-<UTC time>.json).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print progress and a summary instead of opening the explorer.
    #[arg(long)]
    pub no_tui: bool,
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
        Ok(code) => code,
        Err(e) => {
            eprintln!("sprawl: {e}");
            ExitCode::from(2)
        }
    }
}

pub async fn run(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Scan(args) => scan(args).await,
        Command::Summary { snapshot } => {
            let snap = snapshot::load(&snapshot)?;
            print!("{}", summary::render(&snap));
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn scan(args: ScanArgs) -> Result<ExitCode, CliError> {
    let endpoint_url = args.endpoint_url.clone().or_else(|| {
        std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .filter(|u| !u.is_empty())
    });
    let custom_endpoint = endpoint_url.is_some();
    for r in &args.regions {
        aws::check_region(r, custom_endpoint)?;
    }
    let options = AwsOptions {
        profile: args.profile.clone(),
        region: args.regions.first().cloned(),
        endpoint_url: args.endpoint_url.clone(),
    };
    let config = aws::load(&options).await;
    let home = config
        .region()
        .map(|r| r.to_string())
        .ok_or(SetupError::NoRegion)?;
    aws::check_region(&home, custom_endpoint)?;
    aws::check_credentials(&config).await?;

    let regions = if args.all_regions {
        Regions::AllEnabled
    } else if args.regions.is_empty() {
        Regions::Listed(vec![home])
    } else {
        let mut r = args.regions.clone();
        r.sort();
        r.dedup();
        Regions::Listed(r)
    };
    let retry = RetryPolicy {
        max_attempts: args.max_attempts,
        attempt_timeout: Duration::from_secs_f64(args.attempt_timeout),
        operation_timeout: Duration::from_secs_f64(args.operation_timeout),
        ..RetryPolicy::default()
    };
    let scan_options = ScanOptions {
        regions,
        concurrency: usize::from(args.concurrency),
        plan: QuotaPlan::scaled(args.rate_scale),
        retry,
    };

    // The explorer arrives with the TUI; until then every scan reports on the terminal.
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let display = tokio::spawn(progress::display(rx));
    let clients = Arc::new(aws::SdkClients::new(config));
    let result = collect::scan(clients, scan_options, Some(tx)).await;
    let _ = display.await;
    let result = result?;

    let snapshot = Snapshot::new(
        result.account,
        result.regions,
        result.coverage,
        result.inventory,
        result.scanned_at,
    );
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(snapshot.default_file_name()));
    snapshot::save(&snapshot, &path)?;

    println!();
    print!("{}", summary::render(&snapshot));
    println!(
        "\n{} calls in {:.1} s, {} throttled. Snapshot written to {}",
        result.stats.total_attempts(),
        result.stats.elapsed_seconds,
        result.stats.total_throttled(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
