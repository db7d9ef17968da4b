//! Secrets Manager: each secret's metadata and resource policy. Never its value.

use aws_sdk_secretsmanager::Client;
use futures::StreamExt;

use super::call::{CallContext, detail};
use super::ops::*;
use super::policy::parse_policy;
use sprawl_model::Secret;

const SECRETS_IN_FLIGHT: usize = 16;

fn date(d: &aws_smithy_types::DateTime) -> String {
    d.fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default()
}

pub async fn collect(ctx: &CallContext, client: &Client, region: &str) -> Vec<Secret> {
    // ListSecrets carries rotation, dates, KMS key and tags: no DescribeSecret per secret.
    let listing = ctx
        .paginate(
            &LIST_SECRETS,
            region,
            |token| {
                client
                    .list_secrets()
                    .max_results(100)
                    .set_next_token(token)
                    .send()
            },
            |out| (out.secret_list.unwrap_or_default(), out.next_token),
        )
        .await;
    futures::stream::iter(listing.items)
        .map(|s| async move {
            let arn = s.arn().unwrap_or_default().to_string();
            // The resource policy is the only per-secret call: it says who else may read it.
            let policy = ctx
                .call_optional(&GET_RESOURCE_POLICY, region, || {
                    client.get_resource_policy().secret_id(&arn).send()
                })
                .await
                .map(|o| {
                    o.and_then(|o| {
                        o.resource_policy()
                            .filter(|p| !p.is_empty())
                            .map(parse_policy)
                    })
                });
            let rules = s.rotation_rules();
            Secret {
                name: s.name().unwrap_or_default().to_string(),
                region: region.to_string(),
                kms_key_id: s.kms_key_id().map(str::to_string),
                rotation_enabled: s.rotation_enabled().unwrap_or(false),
                rotation_lambda_arn: s.rotation_lambda_arn().map(str::to_string),
                rotation_every_days: rules.and_then(|r| r.automatically_after_days()),
                rotation_schedule: rules
                    .and_then(|r| r.schedule_expression())
                    .map(str::to_string),
                last_rotated: s.last_rotated_date().map(date),
                last_changed: s.last_changed_date().map(date),
                last_accessed: s.last_accessed_date().map(date),
                created: s.created_date().map(date),
                owning_service: s.owning_service().map(str::to_string),
                tags: s
                    .tags()
                    .iter()
                    .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
                    .collect(),
                policy: detail(policy),
                arn,
            }
        })
        .buffer_unordered(SECRETS_IN_FLIGHT)
        .collect()
        .await
}
