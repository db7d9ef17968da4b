//! Lambda: functions with their details, event source mappings and code-signing configs.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_lambda::Client;
use aws_sdk_lambda::types::{FunctionConfiguration, FunctionVersion};
use futures::StreamExt;

use super::call::{CallContext, detail, tags_of_map};
use super::ops::*;
use super::policy::{grants_async_invoker, parse_policy};
use super::redact::redact_all;
use sprawl_model::{
    Alias, AsyncInvokeConfig, Detail, EventSourceMapping, Failure, Function, FunctionUrl,
    LayerVersion, ProvisionedConcurrency, PublishedVersion, VpcConfig,
};

/// What the Lambda collector found in one region.
#[derive(Debug, Default)]
pub struct LambdaRegion {
    pub functions: Vec<Function>,
    pub event_source_mappings: Vec<EventSourceMapping>,
    /// The SQS queues the mappings poll, read beside the functions.
    pub queues: Vec<sprawl_model::Queue>,
    /// The Kinesis streams and DynamoDB tables the mappings poll, read beside the functions.
    pub streams: Vec<sprawl_model::Stream>,
    /// The layer versions `$LATEST` of its functions run, with their sizes (ListFunctions'
    /// `Layers[].CodeSize`): what `--code` plans its reads by.
    pub layer_sizes: Vec<(String, i64)>,
}

/// Page size for Lambda listings (AWS's maximum for ListFunctions is 50).
const PAGE: i32 = 50;

/// Functions whose details are being fetched at once; the rate limiter and the scan's concurrency
/// bound the calls, this bounds memory.
const FUNCTIONS_IN_FLIGHT: usize = 32;

/// The region's functions, its event source mappings, and the SQS queues those poll (read while
/// the functions' details are: the queues' quota is their own).
pub async fn collect(
    ctx: &CallContext,
    clients: &super::RegionClients,
    region: &str,
) -> LambdaRegion {
    let client = &clients.lambda;
    let (listing, mappings, signing) = tokio::join!(
        ctx.paginate(
            &LIST_FUNCTIONS,
            region,
            |marker| {
                client
                    .list_functions()
                    .function_version(FunctionVersion::All)
                    .max_items(PAGE)
                    .set_marker(marker)
                    .send()
            },
            |out| (out.functions.unwrap_or_default(), out.next_marker),
        ),
        event_source_mappings(ctx, client, region),
        code_signing_configs(ctx, client, region),
    );

    // ListFunctions with FunctionVersion=ALL lists $LATEST and every published version: one
    // listing instead of a ListVersionsByFunction call per function.
    let mut latest = Vec::new();
    let mut versions: HashMap<String, Vec<PublishedVersion>> = HashMap::new();
    for cfg in listing.items {
        match cfg.version() {
            Some("$LATEST") | None => latest.push(cfg),
            Some(v) => {
                let arn = unqualified(cfg.function_arn().unwrap_or_default());
                versions.entry(arn).or_default().push(PublishedVersion {
                    version: v.to_string(),
                    runtime: cfg.runtime().map(|r| r.as_str().to_string()),
                    last_modified: cfg.last_modified().map(str::to_string),
                    environment: Some(environment_of(ctx, &cfg)),
                    code_size_bytes: Some(cfg.code_size()),
                });
            }
        }
    }

    let layer_sizes = latest
        .iter()
        .flat_map(|cfg| cfg.layers())
        .filter_map(|l| Some((l.arn()?.to_string(), l.code_size())))
        .collect();

    let queues = super::sqs::queues(
        ctx,
        &clients.sqs,
        region,
        super::sqs::queues_named(&mappings),
    );
    let streams = super::streams::streams(
        ctx,
        &clients.kinesis,
        &clients.dynamodb,
        region,
        super::streams::streams_named(&mappings),
    );
    let functions = futures::stream::iter(latest)
        .map(|cfg| {
            let arn = unqualified(cfg.function_arn().unwrap_or_default());
            let mut published = versions.remove(&arn).unwrap_or_default();
            published.sort_by_key(|v| v.version.parse::<u64>().unwrap_or(u64::MAX));
            let signing = match &signing {
                Ok(map) => Detail::collected(map.get(&arn).cloned()),
                Err(f) => Detail::failed(f),
            };
            function(ctx, client, region, cfg, published, signing)
        })
        .buffer_unordered(FUNCTIONS_IN_FLIGHT)
        .collect::<Vec<_>>();
    let (functions, queues, streams) = tokio::join!(functions, queues, streams);

    LambdaRegion {
        functions,
        event_source_mappings: mappings,
        queues,
        streams,
        layer_sizes,
    }
}

/// A configuration's environment variables, redacted: the values go no further than here.
fn environment_of(ctx: &CallContext, cfg: &FunctionConfiguration) -> Vec<sprawl_model::Variable> {
    cfg.environment()
        .and_then(|e| e.variables())
        .map(|vars| redact_all(ctx.fingerprint_key(), vars.iter()))
        .unwrap_or_default()
}

/// A function ARN without a version or alias qualifier, owned.
pub fn unqualified(arn: &str) -> String {
    sprawl_model::unqualified(arn).to_string()
}

/// A function's tags and reserved concurrency: from GetFunction, or with `--no-get-function`
/// from ListTags and GetFunctionConcurrency (the coverage records GetFunction as skipped, with
/// what that leaves out).
async fn tags_and_concurrency(
    ctx: &CallContext,
    client: &Client,
    region: &str,
    name: &str,
    arn: &str,
) -> (Detail<sprawl_model::Tags>, Detail<Option<i32>>) {
    if ctx.no_get_function() {
        let _: Detail<()> = ctx.skip(&GET_FUNCTION, region, NO_GET_FUNCTION_LEAVES_OUT);
        let (tags, concurrency) = tokio::join!(
            ctx.call_required(&LIST_TAGS, region, || {
                client.list_tags().resource(arn).send()
            }),
            ctx.call_required(&GET_FUNCTION_CONCURRENCY, region, || {
                client.get_function_concurrency().function_name(name).send()
            }),
        );
        let tags = match tags {
            Ok(out) => Detail::collected(tags_of_map(out.tags())),
            Err(f) => Detail::failed(&f),
        };
        let reserved = match concurrency {
            Ok(out) => Detail::collected(out.reserved_concurrent_executions()),
            Err(f) => Detail::failed(&f),
        };
        return (tags, reserved);
    }
    // GetFunction's answer also carries `Code.Location`, a presigned URL of the deployment
    // package (valid for ten minutes): it is never read, and is dropped with the answer here.
    // GetFunction is called all the same because it is the one per-function read with a quota
    // of its own (100/s) that returns the tags and the reserved concurrency; ListTags and
    // GetFunctionConcurrency would spend two calls per function of the 15/s control-plane pool
    // the account's own deployments share.
    match ctx
        .call_required(&GET_FUNCTION, region, || {
            client.get_function().function_name(name).send()
        })
        .await
    {
        Ok(out) => {
            let tags = match out.tags_error() {
                Some(e) => Detail::Failed {
                    kind: sprawl_model::FailureKind::AccessDenied,
                    message: format!("{}: {}", e.error_code(), e.message()),
                },
                None => Detail::collected(tags_of_map(out.tags())),
            };
            let reserved = out
                .concurrency()
                .and_then(|c| c.reserved_concurrent_executions());
            (tags, Detail::collected(reserved))
        }
        Err(f) => (Detail::failed(&f), Detail::failed(&f)),
    }
}

async fn function(
    ctx: &CallContext,
    client: &Client,
    region: &str,
    cfg: FunctionConfiguration,
    versions: Vec<PublishedVersion>,
    code_signing_config: Detail<Option<String>>,
) -> Function {
    let arn = unqualified(cfg.function_arn().unwrap_or_default());
    // The client is regional, so the name is as unambiguous as the ARN (and every endpoint
    // accepts it in a path).
    let name = cfg.function_name().unwrap_or_default().to_string();
    let ((tags, reserved_concurrency), (policy, url)) = tokio::join!(
        tags_and_concurrency(ctx, client, region, &name, &arn),
        policy_and_url(ctx, client, region, &name, None),
    );

    // The invoke config matters only to functions something invokes asynchronously; the resource
    // policy says which services may.
    let async_invoke = async_invoke_config(ctx, client, region, &name, None, &policy).await;

    // Aliases point at published versions; a function without any has nothing to alias but
    // $LATEST, which is what the rest of the inventory already describes.
    let aliases = if versions.is_empty() {
        ctx.skip(&LIST_ALIASES, region, "no published versions")
    } else {
        let listing = ctx
            .paginate(
                &LIST_ALIASES,
                region,
                |marker| {
                    client
                        .list_aliases()
                        .function_name(&name)
                        .max_items(PAGE)
                        .set_marker(marker)
                        .send()
                },
                |out| (out.aliases.unwrap_or_default(), out.next_marker),
            )
            .await;
        let listed = listing.into_detail(|a| Alias {
            name: a.name().unwrap_or_default().to_string(),
            arn: a.alias_arn().unwrap_or_default().to_string(),
            function_version: a.function_version().unwrap_or_default().to_string(),
            url: Detail::skipped("not read yet"),
            policy: Detail::skipped("not read yet"),
            async_invoke: Detail::skipped("not read yet"),
        });
        match listed {
            Detail::Collected { value } => Detail::collected(
                futures::future::join_all(
                    value
                        .into_iter()
                        .map(|a| alias_entry_points(ctx, client, region, &name, a)),
                )
                .await,
            ),
            other => other,
        }
    };

    let environment = environment_of(ctx, &cfg);

    Function {
        name,
        region: region.to_string(),
        runtime: cfg.runtime().map(|r| r.as_str().to_string()),
        package_type: cfg.package_type().map_or("Zip", |p| p.as_str()).to_string(),
        architectures: cfg
            .architectures()
            .iter()
            .map(|a| a.as_str().to_string())
            .collect(),
        handler: cfg.handler().map(str::to_string),
        role_arn: cfg.role().unwrap_or_default().to_string(),
        timeout_seconds: cfg.timeout().unwrap_or(3),
        memory_mb: cfg.memory_size().unwrap_or(128),
        ephemeral_storage_mb: cfg.ephemeral_storage().map(|e| e.size()),
        code_size_bytes: cfg.code_size(),
        code_sha256: cfg.code_sha256().map(str::to_string),
        last_modified: cfg.last_modified().map(str::to_string),
        environment,
        kms_key_arn: cfg.kms_key_arn().map(str::to_string),
        tracing_mode: cfg
            .tracing_config()
            .and_then(|t| t.mode())
            .map(|m| m.as_str().to_string()),
        dead_letter_target_arn: cfg
            .dead_letter_config()
            .and_then(|d| d.target_arn())
            .map(str::to_string),
        vpc: cfg
            .vpc_config()
            .filter(|v| !v.subnet_ids().is_empty() || v.vpc_id().is_some_and(|id| !id.is_empty()))
            .map(|v| VpcConfig {
                vpc_id: v.vpc_id().map(str::to_string),
                subnet_ids: v.subnet_ids().to_vec(),
                security_group_ids: v.security_group_ids().to_vec(),
            }),
        layers: cfg
            .layers()
            .iter()
            .filter_map(|l| l.arn().map(str::to_string))
            .collect(),
        log_group: cfg
            .logging_config()
            .and_then(|l| l.log_group())
            .map(str::to_string),
        versions,
        tags,
        reserved_concurrency,
        policy: detail(policy),
        url: detail(url),
        async_invoke,
        code_signing_config,
        aliases,
        arn,
        // Matched to the function once the region's log groups, alarms and metrics are read.
        logs: Detail::skipped("not read yet"),
        alarms: Detail::skipped("not read yet"),
        activity: Detail::skipped("not read yet"),
        provisioned_concurrency: Detail::skipped("not read yet"),
        code: Detail::skipped(sprawl_model::code::NO_CODE),
    }
}

/// The URL and resource policy of one alias: each is the alias's own, so a public URL on `live`
/// is invisible to the unqualified calls. Two calls an alias (three where an asynchronous service
/// may invoke it), and only functions with published versions have aliases.
async fn alias_entry_points(
    ctx: &CallContext,
    client: &Client,
    region: &str,
    function: &str,
    mut alias: Alias,
) -> Alias {
    let (policy, url) = policy_and_url(ctx, client, region, function, Some(&alias.name)).await;
    alias.async_invoke =
        async_invoke_config(ctx, client, region, function, Some(&alias.name), &policy).await;
    alias.policy = detail(policy);
    alias.url = detail(url);
    alias
}

/// The resource policy and the function URL of `$LATEST` (no qualifier) or of one alias, at once.
async fn policy_and_url(
    ctx: &CallContext,
    client: &Client,
    region: &str,
    function: &str,
    qualifier: Option<&str>,
) -> (
    Result<Option<sprawl_model::PolicyDocument>, Failure>,
    Result<Option<FunctionUrl>, Failure>,
) {
    let (policy, url) = tokio::join!(
        ctx.call_optional(&GET_POLICY, region, || {
            client
                .get_policy()
                .function_name(function)
                .set_qualifier(qualifier.map(str::to_string))
                .send()
        }),
        ctx.call_optional(&GET_FUNCTION_URL_CONFIG, region, || {
            client
                .get_function_url_config()
                .function_name(function)
                .set_qualifier(qualifier.map(str::to_string))
                .send()
        }),
    );
    (
        policy.map(|p| p.and_then(|o| o.policy().map(parse_policy))),
        url.map(|u| u.map(|o| function_url(&o))),
    )
}

/// The event invoke config of the function or one alias (`qualifier`). It matters only where
/// something invokes asynchronously, and the resource policy (`policy`, as read) says which
/// services may.
async fn async_invoke_config(
    ctx: &CallContext,
    client: &Client,
    region: &str,
    function: &str,
    qualifier: Option<&str>,
    policy: &Result<Option<sprawl_model::PolicyDocument>, Failure>,
) -> Detail<Option<AsyncInvokeConfig>> {
    match policy {
        Ok(Some(doc)) if grants_async_invoker(doc) => detail(
            ctx.call_optional(&GET_FUNCTION_EVENT_INVOKE_CONFIG, region, || {
                client
                    .get_function_event_invoke_config()
                    .function_name(function)
                    .set_qualifier(qualifier.map(str::to_string))
                    .send()
            })
            .await
            .map(|o| {
                o.map(|o| {
                    let dest = o.destination_config();
                    AsyncInvokeConfig {
                        maximum_retry_attempts: o.maximum_retry_attempts(),
                        maximum_event_age_seconds: o.maximum_event_age_in_seconds(),
                        on_success_destination: dest
                            .and_then(|d| d.on_success())
                            .and_then(|d| d.destination())
                            .map(str::to_string),
                        on_failure_destination: dest
                            .and_then(|d| d.on_failure())
                            .and_then(|d| d.destination())
                            .map(str::to_string),
                    }
                })
            }),
        ),
        Ok(_) => ctx.skip(
            &GET_FUNCTION_EVENT_INVOKE_CONFIG,
            region,
            "no asynchronous invoker (S3, SNS, EventBridge, ...) in the resource policy",
        ),
        Err(_) => ctx.skip(
            &GET_FUNCTION_EVENT_INVOKE_CONFIG,
            region,
            "the resource policy could not be read",
        ),
    }
}

fn function_url(
    o: &aws_sdk_lambda::operation::get_function_url_config::GetFunctionUrlConfigOutput,
) -> FunctionUrl {
    FunctionUrl {
        url: o.function_url().to_string(),
        auth_type: o.auth_type().as_str().to_string(),
        invoke_mode: o.invoke_mode().map(|m| m.as_str().to_string()),
        cors: o.cors().map(|c| cors_of!(c)),
    }
}

/// Every event source mapping of the region in one listing, rather than one per function.
async fn event_source_mappings(
    ctx: &CallContext,
    client: &Client,
    region: &str,
) -> Vec<EventSourceMapping> {
    let listing = ctx
        .paginate(
            &LIST_EVENT_SOURCE_MAPPINGS,
            region,
            |marker| {
                client
                    .list_event_source_mappings()
                    .max_items(100)
                    .set_marker(marker)
                    .send()
            },
            |out| {
                (
                    out.event_source_mappings.unwrap_or_default(),
                    out.next_marker,
                )
            },
        )
        .await;
    listing
        .items
        .into_iter()
        .map(|m| EventSourceMapping {
            uuid: m.uuid().unwrap_or_default().to_string(),
            region: region.to_string(),
            function_arn: unqualified(m.function_arn().unwrap_or_default()),
            source_arn: m.event_source_arn().map(str::to_string),
            state: m.state().map(str::to_string),
            batch_size: m.batch_size(),
            maximum_batching_window_seconds: m.maximum_batching_window_in_seconds(),
            starting_position: m.starting_position().map(|p| p.as_str().to_string()),
            has_filter_criteria: m.filter_criteria().is_some_and(|f| !f.filters().is_empty()),
            on_failure_destination: m
                .destination_config()
                .and_then(|d| d.on_failure())
                .and_then(|d| d.destination())
                .map(str::to_string),
        })
        .collect()
}

/// Which function uses which code-signing config: a few calls per region (one per config)
/// instead of GetFunctionCodeSigningConfig per function.
async fn code_signing_configs(
    ctx: &CallContext,
    client: &Client,
    region: &str,
) -> Result<BTreeMap<String, String>, Failure> {
    let configs = ctx
        .paginate(
            &LIST_CODE_SIGNING_CONFIGS,
            region,
            |marker| {
                client
                    .list_code_signing_configs()
                    .max_items(PAGE)
                    .set_marker(marker)
                    .send()
            },
            |out| {
                (
                    out.code_signing_configs.unwrap_or_default(),
                    out.next_marker,
                )
            },
        )
        .await;
    if let Some(f) = configs.failure {
        return Err(f);
    }
    let mut by_function = BTreeMap::new();
    for config in configs.items {
        let csc = config.code_signing_config_arn().to_string();
        let functions = ctx
            .paginate(
                &LIST_FUNCTIONS_BY_CODE_SIGNING_CONFIG,
                region,
                |marker| {
                    client
                        .list_functions_by_code_signing_config()
                        .code_signing_config_arn(&csc)
                        .max_items(PAGE)
                        .set_marker(marker)
                        .send()
                },
                |out| (out.function_arns.unwrap_or_default(), out.next_marker),
            )
            .await;
        if let Some(f) = functions.failure {
            return Err(f);
        }
        for arn in functions.items {
            by_function.insert(unqualified(&arn), csc.clone());
        }
    }
    Ok(by_function)
}

/// The account's own layer versions that the region's `functions` run, each with its version
/// policy (one GetLayerVersionPolicy a version; another account's layers cannot be read).
pub async fn own_layers(
    ctx: &CallContext,
    client: &Client,
    region: &str,
    functions: &[Function],
) -> Vec<LayerVersion> {
    let own: std::collections::BTreeSet<&str> = functions
        .iter()
        .flat_map(|f| {
            let account = f.arn.split(':').nth(4).unwrap_or_default();
            f.layers
                .iter()
                .filter(move |l| l.split(':').nth(4) == Some(account))
        })
        .map(String::as_str)
        .collect();
    futures::future::join_all(own.into_iter().map(|arn| async move {
        // arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION
        let parts: Vec<&str> = arn.split(':').collect();
        let (name, version) = match parts.as_slice() {
            [.., "layer", name, version] => (*name, version.parse::<i64>().unwrap_or_default()),
            _ => ("", 0),
        };
        let answer = ctx
            .call_optional(&GET_LAYER_VERSION_POLICY, region, || {
                client
                    .get_layer_version_policy()
                    .layer_name(name)
                    .version_number(version)
                    .send()
            })
            .await;
        LayerVersion {
            arn: arn.to_string(),
            region: region.to_string(),
            policy: detail(answer.map(|out| {
                out.and_then(|o| o.policy)
                    .filter(|p| !p.trim().is_empty())
                    .map(|p| parse_policy(&p))
                    .filter(|d| {
                        d.value()
                            .get("Statement")
                            .is_some_and(|s| s.as_array().is_none_or(|a| !a.is_empty()))
                    })
            })),
        }
    }))
    .await
}

/// Each function's provisioned concurrency (with `--metrics`): one ListProvisionedConcurrencyConfigs
/// per function with published versions; a function without can have none.
pub async fn attach_provisioned_concurrency(
    ctx: &CallContext,
    client: &Client,
    region: &str,
    functions: &mut [Function],
) {
    // The futures made first, then streamed: a stream that borrows each function in a closure
    // makes the whole scan's future lose `Send` (a higher-ranked lifetime the compiler cannot
    // prove general enough).
    let reads: Vec<_> = functions
        .iter()
        .map(|f| provisioned_concurrency(ctx, client, region, f))
        .collect();
    let read: Vec<Detail<Vec<ProvisionedConcurrency>>> = futures::stream::iter(reads)
        .buffered(FUNCTIONS_IN_FLIGHT)
        .collect()
        .await;
    for (f, configs) in functions.iter_mut().zip(read) {
        f.provisioned_concurrency = configs;
    }
}

async fn provisioned_concurrency(
    ctx: &CallContext,
    client: &Client,
    region: &str,
    f: &Function,
) -> Detail<Vec<ProvisionedConcurrency>> {
    if f.versions.is_empty() {
        return Detail::collected(Vec::new());
    }
    let listing = ctx
        .paginate(
            &LIST_PROVISIONED_CONCURRENCY_CONFIGS,
            region,
            |marker| {
                client
                    .list_provisioned_concurrency_configs()
                    .function_name(&f.name)
                    .set_marker(marker)
                    .send()
            },
            |out| {
                (
                    out.provisioned_concurrency_configs.unwrap_or_default(),
                    out.next_marker,
                )
            },
        )
        .await;
    listing.into_detail(|c| ProvisionedConcurrency {
        qualifier: c
            .function_arn()
            .and_then(|a| a.rsplit(':').next())
            .unwrap_or_default()
            .to_string(),
        allocated: c.allocated_provisioned_concurrent_executions().unwrap_or(0),
        requested: c.requested_provisioned_concurrent_executions().unwrap_or(0),
        status: c.status().map(|s| s.as_str().to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::unqualified;

    #[test]
    fn qualifiers_are_dropped() {
        let base = "arn:aws:lambda:eu-west-1:123456789012:function:orders";
        assert_eq!(unqualified(base), base);
        assert_eq!(unqualified(&format!("{base}:7")), base);
        assert_eq!(unqualified(&format!("{base}:live")), base);
    }
}
