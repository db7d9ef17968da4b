//! Who the account is, and which regions it has enabled.

use aws_sdk_account::types::RegionOptStatus;

use super::ScanError;
use super::call::CallContext;
use super::ops::*;
use sprawl_model::Account;

/// Regions every AWS account has enabled without opting in: the fallback when the Account API
/// cannot be asked (denied, or an emulator without it). Opt-in regions are then not scanned, and
/// the coverage records why.
pub const DEFAULT_ENABLED_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// Every region sprawl knows, to tell a typo from a region (opt-in ones included).
pub const KNOWN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// The account id, partition and caller, from STS GetCallerIdentity (which needs no permission).
pub async fn identify(ctx: &CallContext, sts: &aws_sdk_sts::Client) -> Result<Account, ScanError> {
    let out = ctx
        .call_required(&GET_CALLER_IDENTITY, "global", || {
            sts.get_caller_identity().send()
        })
        .await
        .map_err(|f| ScanError::Identity {
            kind: f.kind,
            message: f.message,
        })?;
    let caller_arn = out.arn().unwrap_or_default().to_string();
    let partition = caller_arn.split(':').nth(1).unwrap_or("aws").to_string();
    Ok(Account {
        id: out.account().unwrap_or_default().to_string(),
        partition,
        caller_arn,
    })
}

/// The regions enabled in the account. Falls back to [`DEFAULT_ENABLED_REGIONS`] (for the `aws`
/// partition) when the Account API fails; the failure stays in the coverage.
pub async fn enabled_regions(
    ctx: &CallContext,
    client: &aws_sdk_account::Client,
    account: &Account,
) -> Vec<String> {
    let listing = ctx
        .paginate(
            &LIST_REGIONS,
            "global",
            |token| {
                client
                    .list_regions()
                    .region_opt_status_contains(RegionOptStatus::Enabled)
                    .region_opt_status_contains(RegionOptStatus::EnabledByDefault)
                    .max_results(50)
                    .set_next_token(token)
                    .send()
            },
            |out| (out.regions.unwrap_or_default(), out.next_token),
        )
        .await;
    if listing.failure.is_none() {
        let mut regions: Vec<String> = listing
            .items
            .iter()
            .filter_map(|r| r.region_name().map(str::to_string))
            .collect();
        regions.sort();
        regions.dedup();
        return regions;
    }
    if account.partition == "aws" {
        DEFAULT_ENABLED_REGIONS
            .iter()
            .map(|r| r.to_string())
            .collect()
    } else {
        Vec::new()
    }
}
