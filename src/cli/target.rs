//! What to scan and how politely (`ScanTarget`, taken by `scan`, `check` and `export`), checked
//! and turned into the collector's options; and a scan run for a command that reports on it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use crate::cli::CliError;
use crate::cli::args::{parse_rate_scale, parse_seconds};
use crate::cli::load::{load_one, snapshot_of};
use crate::cli::progress;
use crate::collect::aws::{self, AwsOptions, SetupError};
use crate::collect::redact::{FingerprintKey, KeyError};
use crate::collect::{self, DEFAULT_RATE_SCALE, QuotaPlan, Regions, RetryPolicy, ScanOptions};
use crate::snapshot::{self, Snapshot};

/// How `check` and `export` scan when no snapshot is given.
#[derive(Debug, Args)]
pub struct LiveScan {
    /// Also write the scan's snapshot here (with no SNAPSHOT given), to compare tomorrow.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    #[command(flatten)]
    pub target: ScanTarget,
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
    /// Never call lambda:GetFunction (for accounts whose policy forbids it: its answer carries a
    /// presigned URL of the code). Tags come from ListTags and reserved concurrency from
    /// GetFunctionConcurrency instead: two calls per function of Lambda's 15/s control-plane
    /// quota in place of one of GetFunction's 100/s. It leaves out GetFunction's code location and
    /// image URI, which sprawl reads only with --code. `sprawl iam-policy --no-get-function`
    /// grants it.
    #[arg(long, conflicts_with = "code")]
    pub no_get_function: bool,
    /// Read what each function runs: its deployment package and the layer versions it runs,
    /// each once (by CodeSha256), for its packages (an SBOM), their known vulnerabilities and
    /// the secrets written in its code. Only what is derived is kept, never the code. The
    /// packages' total size is printed before any download; above --code-budget none is read.
    /// `sprawl iam-policy --code` grants lambda:GetLayerVersion (GetFunction is granted already).
    #[arg(long)]
    pub code: bool,
    /// The most --code downloads (zipped bytes; 500MB, 5GiB, ...): above it, nothing is read.
    #[arg(long, value_name = "BYTES", default_value = "5GiB", requires = "code", value_parser = parse_bytes)]
    pub code_budget: u64,
    /// Judge the packages --code reads against OSV's data in DIR (OSV's own layout:
    /// DIR/PyPI/all.zip, DIR/npm/all.zip), for vulnerable and malicious packages. Without it
    /// they are not judged (`sprawl assess SNAPSHOT --vuln-db DIR -o SNAPSHOT` judges them later).
    #[arg(long, value_name = "DIR", requires = "code")]
    pub vuln_db: Option<PathBuf>,
}

/// A size: bytes, or a number with kB, MB, GB (powers of 1000) or KiB, MiB, GiB (of 1024).
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit_bytes: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => return Err(format!("unknown unit '{other}' (use MB, GB, MiB or GiB)")),
    };
    let n: f64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a size (500MB, 5GiB)"))?;
    Ok((n * unit_bytes) as u64)
}

impl ScanTarget {
    /// True when no option says which account or regions to scan (they mean nothing with a
    /// snapshot file).
    pub fn names_nothing(&self) -> bool {
        self.profiles.is_empty()
            && self.regions.is_empty()
            && !self.all_regions
            && self.endpoint_url.is_none()
    }
}

/// Checks the credentials and the regions, and turns the options into the collector's.
pub async fn prepare(target: &ScanTarget) -> Result<(Arc<aws::SdkClients>, ScanOptions), CliError> {
    if target.profiles.len() > 1 {
        return Err(CliError::Usage(
            "several --profile options make a scan of several accounts: use `sprawl scan`, then check or export its snapshot",
        ));
    }
    let (config, options) = load_target(target, target.profiles.first().cloned()).await?;
    Ok((Arc::new(aws::SdkClients::new(config)), options))
}

/// The SDK configuration of `profile` (default chain when None), checked, and the scan's options.
pub async fn load_target(
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
    let fingerprint_key = fingerprint_key(target.fingerprint_key.as_deref())?;
    if let Some(dir) = &target.vuln_db {
        crate::cli::code::check_vuln_db(dir)?;
    }
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
        no_get_function: target.no_get_function,
        code: target.code.then(|| collect::code::CodeOptions {
            budget_bytes: target.code_budget,
            vuln_db: target.vuln_db.clone(),
            ..collect::code::CodeOptions::default()
        }),
    };
    if target.no_get_function {
        eprintln!("{}.", collect::ops::NO_GET_FUNCTION_LEAVES_OUT);
    }
    if target.metrics {
        eprintln!(
            "--metrics: CloudWatch bills GetMetricData at $0.01 per 1,000 metrics; sprawl reads {} per function over {} days (about ${:.2} per 1,000 functions). The cost of each region is printed before its calls.",
            collect::cloudwatch::METRICS_PER_FUNCTION,
            target.metrics_days,
            collect::cloudwatch::metrics_cost(1000).2
        );
    }
    if target.code {
        eprintln!(
            "--code: each function's package and each layer version it runs is downloaded once from Lambda (GetFunction, GetLayerVersion) and read without unpacking; only what is derived is kept. Their total size is printed before any download."
        );
    }
    Ok((config, scan_options))
}

/// Scans with progress on stderr (stdout stays the command's own).
pub async fn scan_with_progress(target: &ScanTarget) -> Result<collect::ScanResult, CliError> {
    let (clients, scan_options) = prepare(target).await?;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let display = tokio::spawn(progress::display(rx));
    let result = collect::scan(clients, scan_options, Some(tx)).await;
    let _ = display.await;
    Ok(result?)
}

/// The snapshot `check` and `export` work on: the file given, or a scan run now (written only
/// when --save asks).
pub async fn snapshot_or_scan(
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

/// The key secrets are fingerprinted with: the file given, or the one every scan uses (made on
/// first use), so the same secret has the same fingerprint wherever it was found.
pub(crate) fn fingerprint_key(path: Option<&std::path::Path>) -> Result<FingerprintKey, KeyError> {
    match path {
        Some(path) => FingerprintKey::load(path),
        None => FingerprintKey::default_path()
            .ok_or(KeyError::NoConfigDir)
            .and_then(|path| FingerprintKey::load_or_create(&path)),
    }
}
