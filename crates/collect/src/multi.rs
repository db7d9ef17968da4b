//! Several accounts scanned side by side: an organization's, each reached by assuming a role, or
//! one account per profile. Each account gets a scan of its own (its own limiters per quota pool
//! and region, since AWS's quotas are per account and region); at most `in_flight` run at once,
//! sharing one cap on calls in flight. An account that cannot be reached, or whose scan cannot
//! run, is recorded with the reason and every other account completes.

use std::sync::Arc;

use aws_config::SdkConfig;
use aws_credential_types::provider::SharedCredentialsProvider;
use futures::StreamExt;
use sprawl_model::AccountInfo;

use super::aws::{SdkClients, check_credentials};
use super::{ScanOptions, ScanResult, scan};

/// How an account's credentials are had.
#[derive(Debug, Clone)]
pub enum Reach {
    /// The scanning principal's own credentials (its own account).
    Base,
    /// AssumeRole into the account, session name `sprawl`; the credentials are refreshed before
    /// they expire, however long the scan takes.
    AssumeRole {
        role_arn: String,
        external_id: Option<String>,
    },
    /// A configuration of its own (a profile).
    Config(Box<SdkConfig>),
}

#[derive(Debug, Clone)]
pub struct AccountTarget {
    pub info: AccountInfo,
    pub reach: Reach,
}

/// What one account's scan came to.
pub struct AccountScan {
    pub info: AccountInfo,
    pub result: Result<ScanResult, String>,
}

/// Progress at the level of accounts, and within each running account its own scan's.
pub enum AccountEvent<'a> {
    Started(&'a AccountInfo),
    Progress(&'a AccountInfo, &'a sprawl_model::ProgressEvent),
    Finished(&'a AccountScan),
}

/// Accounts scanned at once by default: every account of the scan, up to this many. AWS's
/// quotas are per account, so accounts side by side do not slow each other at AWS; what they
/// share is this machine: each account in flight holds its inventory until it is written (about
/// 45 MB per 1,000 functions, measured), so 32 accounts of 1,000 functions stay near 1.5 GB.
pub const MAX_ACCOUNTS_IN_FLIGHT: usize = 32;

/// Calls in flight per account scanned at once, by default: enough to keep one account's
/// fastest pools (GetFunction at 50/s, the control plane at 7.5/s, at the default share) busy at
/// AWS's latency, and the sum stays within the connection budget below.
pub const CALLS_PER_ACCOUNT: usize = 8;

/// The most calls in flight (and so HTTP connections open) the defaults ever choose.
pub const MAX_CALLS_IN_FLIGHT: usize = 256;

/// The accounts a scan of `accounts` runs at once when not told.
pub fn default_in_flight(accounts: usize) -> usize {
    accounts.clamp(1, MAX_ACCOUNTS_IN_FLIGHT)
}

/// The calls in flight across `in_flight` accounts when not told: one account's default (16) for
/// one, else [`CALLS_PER_ACCOUNT`] each, at most [`MAX_CALLS_IN_FLIGHT`].
pub fn default_concurrency(in_flight: usize) -> usize {
    if in_flight <= 1 {
        super::ScanOptions::default().concurrency
    } else {
        (CALLS_PER_ACCOUNT * in_flight).min(MAX_CALLS_IN_FLIGHT)
    }
}

/// The role ARN of `role_name` in `account` (partition from the base configuration's region).
pub fn role_arn(account: &str, role_name: &str, partition: &str) -> String {
    format!("arn:{partition}:iam::{account}:role/{role_name}")
}

/// Scans every target, at most `in_flight` at once; `options.concurrency` is the cap on calls in
/// flight across all of them. Each account's scan comes out as it finishes, so it can be written
/// and dropped before the next: an organization is never in memory whole.
pub fn scan_stream<'a>(
    base: &'a SdkConfig,
    targets: Vec<AccountTarget>,
    options: ScanOptions,
    in_flight: usize,
    report: &'a (dyn Fn(AccountEvent<'_>) + Sync),
) -> impl futures::Stream<Item = AccountScan> + 'a {
    let in_flight = in_flight.max(1);
    // Each account its share of the calls in flight (at least two, so one slow call does not
    // stall it), which also bounds the burst one account's waiting calls can make; and one cap
    // on all of them together, which the shares exceed when many accounts run at once.
    let per_account = ScanOptions {
        concurrency: (options.concurrency / in_flight).max(2),
        shared_calls: Some(Arc::new(tokio::sync::Semaphore::new(
            options.concurrency.max(1),
        ))),
        ..options
    };
    futures::stream::iter(targets)
        .map(move |target| {
            let options = per_account.clone();
            async move {
                report(AccountEvent::Started(&target.info));
                let (events, mut received) = tokio::sync::mpsc::unbounded_channel();
                let scanning = scan_one(base, &target.reach, options, events);
                // The account's own progress is passed on as it comes; the channel closes
                // when its scan ends.
                let passing_on = async {
                    while let Some(event) = received.recv().await {
                        report(AccountEvent::Progress(&target.info, &event));
                    }
                };
                let (result, ()) = tokio::join!(scanning, passing_on);
                let scan = AccountScan {
                    info: target.info,
                    result,
                };
                report(AccountEvent::Finished(&scan));
                scan
            }
        })
        .buffer_unordered(in_flight)
}

/// [`scan_stream`], collected in the targets' order.
pub async fn scan_accounts(
    base: &SdkConfig,
    targets: Vec<AccountTarget>,
    options: ScanOptions,
    in_flight: usize,
    report: &(dyn Fn(AccountEvent<'_>) + Sync),
) -> Vec<AccountScan> {
    let order: Vec<String> = targets.iter().map(|t| t.info.id.clone()).collect();
    let mut done: Vec<AccountScan> = scan_stream(base, targets, options, in_flight, report)
        .collect()
        .await;
    done.sort_by_key(|s| order.iter().position(|id| *id == s.info.id));
    done
}

async fn scan_one(
    base: &SdkConfig,
    reach: &Reach,
    options: ScanOptions,
    progress: tokio::sync::mpsc::UnboundedSender<sprawl_model::ProgressEvent>,
) -> Result<ScanResult, String> {
    let config = match reach {
        Reach::Base => base.clone(),
        Reach::Config(c) => (**c).clone(),
        Reach::AssumeRole {
            role_arn,
            external_id,
        } => {
            let mut builder = aws_config::sts::AssumeRoleProvider::builder(role_arn)
                .session_name("sprawl")
                .configure(base);
            if let Some(id) = external_id {
                builder = builder.external_id(id);
            }
            let provider = builder.build().await;
            base.to_builder()
                .credentials_provider(SharedCredentialsProvider::new(provider))
                .build()
        }
    };
    if let Err(e) = check_credentials(&config).await {
        return Err(match reach {
            Reach::AssumeRole { role_arn, .. } => format!("could not assume {role_arn}: {e}"),
            _ => e.to_string(),
        });
    }
    scan(Arc::new(SdkClients::new(config)), options, Some(progress))
        .await
        .map_err(|e| e.to_string())
}
