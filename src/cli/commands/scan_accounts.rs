//! `sprawl scan --org` or `--profile A --profile B ...`: every account side by side, into one
//! organization's snapshot; an account that cannot be reached is recorded with the reason.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::CliError;
use crate::cli::output::{out, outln};

use crate::cli::explorer::{Ui, explore_organization, interactive};
use crate::cli::load::{load_mutes, snapshot_in};
use crate::cli::progress;
use crate::cli::summary;
use crate::cli::target::load_target;
use crate::collect::aws::{self, AwsOptions, SetupError};
use crate::collect::{self, ScanOptions};
use crate::snapshot::org;

use super::scan::ScanArgs;

/// `scan --org` or `scan --profile A --profile B ...`: every account, side by side, into one
/// organization's snapshot. An account that cannot be reached is recorded with the reason.
pub async fn run(args: ScanArgs, ui: &Ui) -> Result<ExitCode, CliError> {
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
