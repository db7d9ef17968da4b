//! Collection: the only code that talks to AWS.
//!
//! [`scan`] identifies the account, settles the regions, then collects every region's Lambda, API
//! Gateway and Secrets Manager resources at once while IAM (global) is read alongside. Every call
//! goes through [`call::CallContext`], which paces it against the account's quotas and records its
//! outcome in the coverage. Environment and stage variables are redacted in [`redact`] before they
//! reach the inventory.

/// The CORS settings of a function URL or an HTTP API into the model's [`sprawl_model::Cors`]:
/// the Lambda and API Gateway v2 SDKs have distinct `Cors` types with the same accessors.
macro_rules! cors_of {
    ($c:expr) => {{
        let c = $c;
        sprawl_model::Cors {
            allow_origins: c.allow_origins().to_vec(),
            allow_methods: c.allow_methods().to_vec(),
            allow_headers: c.allow_headers().to_vec(),
            expose_headers: c.expose_headers().to_vec(),
            allow_credentials: c.allow_credentials(),
            max_age: c.max_age(),
        }
    }};
}

pub mod access_advisor;
pub mod account;
pub mod apigateway;
pub mod apigatewayv2;
pub mod aws;
pub mod call;
pub mod cloudwatch;
pub mod code;
pub mod error;
pub mod iam;
pub mod lambda;
pub mod multi;
pub mod ops;
pub mod org;
pub mod permissions;
pub mod policy;
pub mod progress;
pub mod quota;
pub mod readonly;
pub use sprawl_redact as redact;
pub mod cognito;
pub mod events;
pub mod identity;
pub mod iot;
pub mod s3;
pub mod secrets;
pub mod ses;
pub mod sns;
pub mod sqs;
pub mod streams;
pub mod subscriptions;

use std::collections::BTreeSet;
use std::sync::Arc;

use tokio::sync::mpsc;

pub use call::{RetryPolicy, ScanStats};
pub use ops::Service;
pub use progress::ProgressEvent;
pub use quota::{DEFAULT_RATE_SCALE, Pool, QuotaPlan};

use call::CallContext;
use sprawl_model::{Account, Coverage, FailureKind, Inventory};

/// The clients of one region.
#[derive(Debug, Clone)]
pub struct RegionClients {
    pub lambda: aws_sdk_lambda::Client,
    pub apigateway: aws_sdk_apigateway::Client,
    pub apigatewayv2: aws_sdk_apigatewayv2::Client,
    pub secretsmanager: aws_sdk_secretsmanager::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub sns: aws_sdk_sns::Client,
    pub s3: aws_sdk_s3::Client,
    /// S3 Control (the account's Block Public Access), asked in the partition's home region.
    pub s3control: aws_sdk_s3control::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub events: aws_sdk_eventbridge::Client,
    pub kinesis: aws_sdk_kinesis::Client,
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub cognito: aws_sdk_cognitoidentityprovider::Client,
    pub ses: aws_sdk_ses::Client,
    pub iot: aws_sdk_iot::Client,
    pub cognito_identity: aws_sdk_cognitoidentity::Client,
}

/// The clients of the global (or once-per-scan) services.
#[derive(Debug, Clone)]
pub struct GlobalClients {
    pub sts: aws_sdk_sts::Client,
    pub iam: aws_sdk_iam::Client,
    pub account: aws_sdk_account::Client,
}

/// Where a scan gets its clients: from an `SdkConfig` in production ([`aws::SdkClients`]), from
/// `aws-smithy-mocks` in fault tests.
pub trait ClientFactory: Send + Sync {
    fn global(&self) -> GlobalClients;
    fn region(&self, region: &str) -> RegionClients;
    /// The endpoint every call goes to, when one was given (`--endpoint-url`): errors and
    /// waits name it.
    fn endpoint_url(&self) -> Option<String> {
        None
    }
}

/// Which regions to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regions {
    /// These regions.
    Listed(Vec<String>),
    /// Every region enabled in the account (asked of the Account API).
    AllEnabled,
}

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub regions: Regions,
    /// Calls in flight at once, across the whole scan.
    pub concurrency: usize,
    /// Calls in flight at once shared with other scans running side by side (an organization's
    /// accounts): a cap on all of them together, on top of each one's `concurrency`.
    pub shared_calls: Option<Arc<tokio::sync::Semaphore>>,
    pub plan: QuotaPlan,
    pub retry: RetryPolicy,
    /// The key of the variables' fingerprints (the machine's, or a team's shared one).
    pub fingerprint_key: redact::FingerprintKey,
    /// `--metrics`: the days of CloudWatch metrics to read per function (billed); `None` reads
    /// none.
    pub metrics_days: Option<u16>,
    /// `--access-advisor`: read IAM Access Advisor's report on each execution role.
    pub access_advisor: bool,
    /// `--no-get-function`: tags and reserved concurrency through ListTags and
    /// GetFunctionConcurrency, never GetFunction.
    pub no_get_function: bool,
    /// `--code`: read what each function runs (its package and its layers), within these
    /// bounds; `None` reads no code.
    pub code: Option<code::CodeOptions>,
}

impl Default for ScanOptions {
    /// Options for tests and benchmarks: a key of zeros, so fingerprints are repeatable there.
    fn default() -> Self {
        ScanOptions {
            regions: Regions::Listed(Vec::new()),
            concurrency: 16,
            shared_calls: None,
            plan: QuotaPlan::default(),
            retry: RetryPolicy::default(),
            fingerprint_key: redact::FingerprintKey::from_bytes([0; 32]),
            metrics_days: None,
            access_advisor: false,
            no_get_function: false,
            code: None,
        }
    }
}

/// What a scan produced.
#[derive(Debug, Clone)]
pub struct ScanResult {
    pub account: Account,
    pub regions: Vec<String>,
    pub inventory: Inventory,
    pub coverage: Coverage,
    pub stats: ScanStats,
    pub scanned_at: chrono::DateTime<chrono::Utc>,
}

/// Why a scan could not run at all (anything less is recorded in the coverage instead).
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("could not identify the account (STS GetCallerIdentity, {kind}): {message}")]
    Identity { kind: FailureKind, message: String },
    #[error("no regions to scan")]
    NoRegions,
}

/// What a scan would cover, from the cheapest reads (`scan --dry-run`): the account, its regions,
/// and the functions in each (or why they could not be listed).
#[derive(Debug, Clone)]
pub struct DryRun {
    pub account: Account,
    pub regions: Vec<(String, Result<usize, sprawl_model::Failure>)>,
    pub stats: ScanStats,
}

/// Identifies the account and counts each region's functions (ListFunctions only): what a scan
/// would read, and what `--metrics` would cost, without reading anything else.
pub async fn dry_run(
    clients: Arc<dyn ClientFactory>,
    options: ScanOptions,
) -> Result<DryRun, ScanError> {
    let (ctx, _, account, regions) = begin(clients.as_ref(), &options, None).await?;
    let counts = futures::future::join_all(regions.iter().map(|region| {
        let client = clients.region(region).lambda;
        let ctx = &ctx;
        async move {
            let listing = ctx
                .paginate(
                    &ops::LIST_FUNCTIONS,
                    region,
                    |marker| {
                        client
                            .list_functions()
                            .max_items(50)
                            .set_marker(marker)
                            .send()
                    },
                    |out| (out.functions.unwrap_or_default(), out.next_marker),
                )
                .await;
            let n = match listing.failure {
                Some(f) => Err(f),
                None => Ok(listing.items.len()),
            };
            (region.clone(), n)
        }
    }))
    .await;
    Ok(DryRun {
        account,
        regions: counts,
        stats: ctx.stats(),
    })
}

/// What a scan and a dry run start with: the call context, the global clients, the account
/// (STS), and the regions to cover (listed, or asked of the Account API).
async fn begin(
    clients: &dyn ClientFactory,
    options: &ScanOptions,
    progress: Option<mpsc::UnboundedSender<ProgressEvent>>,
) -> Result<(CallContext, GlobalClients, Account, Vec<String>), ScanError> {
    let ctx = CallContext::new(
        options.plan.clone(),
        call::Permits::new(options.concurrency, options.shared_calls.clone()),
        options.retry.clone(),
        progress,
        options.fingerprint_key.clone(),
    )
    .with_endpoint(clients.endpoint_url())
    .without_get_function(options.no_get_function);
    let global = clients.global();
    let account = account::identify(&ctx, &global.sts).await?;
    let regions = match &options.regions {
        Regions::Listed(r) => r.clone(),
        Regions::AllEnabled => account::enabled_regions(&ctx, &global.account, &account).await,
    };
    if regions.is_empty() {
        return Err(ScanError::NoRegions);
    }
    Ok((ctx, global, account, regions))
}

/// The region whose endpoints answer for a partition's global reads (a bucket's location, the
/// account's Block Public Access): us-east-1 for `aws`, or the partition's first.
fn home_region(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "cn-north-1",
        "aws-us-gov" => "us-gov-west-1",
        _ => "us-east-1",
    }
}

/// The event sources the functions' and the queues' policies name, each read once in its own
/// region: the SNS topics, then the S3 buckets that invoke a function or notify one of those
/// topics or queues. (The queues themselves were read beside the functions.)
async fn read_sources(
    ctx: &CallContext,
    clients: &dyn ClientFactory,
    account: &Account,
    inventory: &mut Inventory,
) {
    let topics_then_buckets_and_rules = async {
        let named = sns::topics_named(&inventory.functions, &inventory.queues);
        let topics = read_named(ctx, Service::Sns, named, |named| {
            sns::topics(ctx, |r| clients.region(r).sns, named)
        })
        .await;
        // The rules that invoke functions or target the triggering queues and topics; then the
        // buckets that notify a function, topic or queue, or whose events a rule selects.
        let rules = events::rules_named(&inventory.functions, &inventory.queues, &topics);
        let (rules, buses) = Box::pin(read_named(ctx, Service::Events, rules, |rules| {
            events::rules_and_buses(ctx, |r| clients.region(r).events, rules)
        }))
        .await;
        let named = s3::buckets_named(&inventory.functions, &topics, &inventory.queues, &rules);
        if named.is_empty() {
            return (topics, Vec::new(), (rules, buses));
        }
        let home = home_region(&account.partition);
        let read = async {
            let control = clients.region(home).s3control;
            let block = s3::account_block(ctx, &control, &account.id, home).await;
            let s3 = |r: &str| clients.region(r).s3;
            s3::buckets(ctx, s3, &account.id, home, block, named).await
        };
        let buckets = Box::pin(tracked_in(ctx, Service::S3, &[home.to_string()], read)).await;
        (topics, buckets, (rules, buses))
    };
    // On the heap: together the reads' futures are too big for a worker thread's stack in an
    // unoptimized build.
    let ((topics, buckets, (rules, buses)), pushers) = tokio::join!(
        Box::pin(topics_then_buckets_and_rules),
        Box::pin(read_pushers(ctx, clients, account, &inventory.functions))
    );
    inventory.event_rules = rules;
    inventory.event_buses = buses;
    inventory.user_pools = pushers.user_pools;
    inventory.mail_rules = pushers.mail_rules;
    inventory.iot_rules = pushers.iot_rules;
    inventory.identity_pools = pushers.identity_pools;
    inventory.log_subscriptions = pushers.log_subscriptions;
    inventory.topics = topics;
    inventory.buckets = buckets;
}

/// The sources that push to functions and that nothing but the functions' policies name: user
/// pools, receipt rules, topic rules and log groups.
struct Pushers {
    user_pools: Vec<sprawl_model::UserPool>,
    mail_rules: Vec<sprawl_model::MailRule>,
    iot_rules: Vec<sprawl_model::IotRule>,
    identity_pools: Vec<sprawl_model::IdentityPools>,
    log_subscriptions: Vec<sprawl_model::LogSubscription>,
}

/// Reads the user pools, SES receipt rules, IoT topic rules and log groups the functions'
/// policies name, each service's in its regions, side by side.
async fn read_pushers(
    ctx: &CallContext,
    clients: &dyn ClientFactory,
    account: &Account,
    functions: &[sprawl_model::Function],
) -> Pushers {
    let ses_regions = ses::regions_named(functions);
    let user_pools = read_named(
        ctx,
        Service::Cognito,
        cognito::pools_named(functions),
        |pools| cognito::pools(ctx, |r| clients.region(r).cognito, pools),
    );
    let iot_rules = read_named(ctx, Service::Iot, iot::rules_named(functions), |named| {
        iot::rules(ctx, |r| clients.region(r).iot, named)
    });
    // Who may act as a role of the account without signing in, and so write to a source or
    // publish to a rule's topics as anyone: the identity pools of the functions' regions.
    let pool_regions: Vec<String> = functions
        .iter()
        .map(|f| f.region.clone())
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    let identity_pools = async {
        if pool_regions.is_empty() {
            return Vec::new();
        }
        let client_of = |r: &str| clients.region(r).cognito_identity;
        let read = identity::pools(ctx, client_of, &pool_regions);
        tracked_in(ctx, Service::CognitoIdentity, &pool_regions, read).await
    };
    let log_subscriptions = read_named(
        ctx,
        Service::CloudWatchLogs,
        subscriptions::groups_named(functions),
        |groups| subscriptions::groups(ctx, |r| clients.region(r).logs, groups),
    );
    let mail_rules = async {
        if ses_regions.is_empty() {
            return Vec::new();
        }
        let client_of = |r: &str| clients.region(r).ses;
        let read = ses::rules(
            ctx,
            client_of,
            &account.id,
            &account.partition,
            &ses_regions,
            functions,
        );
        tracked_in(ctx, Service::Ses, &ses_regions, read).await
    };
    // On the heap, as read_sources's: an unoptimized build's stack would not hold them all.
    let (user_pools, iot_rules, identity_pools, log_subscriptions, mail_rules) = tokio::join!(
        Box::pin(user_pools),
        Box::pin(iot_rules),
        Box::pin(identity_pools),
        Box::pin(log_subscriptions),
        Box::pin(mail_rules)
    );
    Pushers {
        user_pools,
        mail_rules,
        iot_rules,
        identity_pools,
        log_subscriptions,
    }
}

/// Scans an account.
pub async fn scan(
    clients: Arc<dyn ClientFactory>,
    options: ScanOptions,
    progress: Option<mpsc::UnboundedSender<ProgressEvent>>,
) -> Result<ScanResult, ScanError> {
    let started = tokio::time::Instant::now();
    let scanned_at = chrono::Utc::now();
    let (ctx, global, account, regions) = begin(clients.as_ref(), &options, progress).await?;
    ctx.emit(ProgressEvent::Started {
        account: account.id.clone(),
        regions: regions.clone(),
    });

    let window = options
        .metrics_days
        .map(|days| cloudwatch::MetricsWindow::ending(scanned_at, days));
    let regional = futures::future::join_all(
        regions
            .iter()
            .map(|region| scan_region(&ctx, clients.region(region), region, window)),
    );
    let iam_details = async {
        ctx.emit(ProgressEvent::ServiceStarted {
            service: Service::Iam,
            region: "global".into(),
        });
        iam::authorization_details(&ctx, &global.iam).await
    };
    let (regional, iam_details) = tokio::join!(regional, iam_details);

    let mut inventory = Inventory::default();
    let mut layer_sizes = Vec::new();
    for r in regional {
        layer_sizes.extend(r.lambda.layer_sizes);
        inventory.functions.extend(r.lambda.functions);
        inventory
            .event_source_mappings
            .extend(r.lambda.event_source_mappings);
        inventory.queues.extend(r.lambda.queues);
        inventory.streams.extend(r.lambda.streams);
        inventory.rest_apis.extend(r.rest_apis);
        inventory.http_apis.extend(r.http_apis);
        inventory.secrets.extend(r.secrets);
        inventory.layers.extend(r.layers);
    }

    read_sources(&ctx, clients.as_ref(), &account, &mut inventory).await;
    if let Some(code_options) = &options.code {
        let lambda_of = |r: &str| clients.region(r).lambda;
        code::read(&ctx, lambda_of, &mut inventory, &layer_sizes, code_options).await;
    }

    let used: BTreeSet<String> = inventory
        .functions
        .iter()
        .map(|f| f.role_arn.clone())
        .collect();
    inventory.roles = match iam_details {
        Ok(details) => details.into_roles(&used),
        // GetAccountAuthorizationDetails needs iam:GetAccountAuthorizationDetails, which
        // read-only roles often lack; the per-role reads are allowed more widely.
        Err(_) => iam::roles_one_by_one(&ctx, &global.iam, &used)
            .await
            .unwrap_or_default(),
    };
    if options.access_advisor {
        access_advisor::attach(&ctx, &global.iam, &mut inventory.roles, &used).await;
    }
    ctx.emit(ProgressEvent::ServiceDone {
        service: Service::Iam,
        region: "global".into(),
    });
    inventory.sort();

    let mut stats = ctx.stats();
    stats.elapsed_seconds = started.elapsed().as_secs_f64();
    Ok(ScanResult {
        account,
        regions,
        inventory,
        coverage: ctx.coverage(),
        stats,
        scanned_at,
    })
}

/// Why a function's activity is not in a scan made without `--metrics`.
pub const NO_METRICS: &str = "metrics not read (billed by CloudWatch): scan with --metrics";
pub use sprawl_model::code::NO_CODE;

struct RegionInventory {
    layers: Vec<sprawl_model::LayerVersion>,
    lambda: lambda::LambdaRegion,
    rest_apis: Vec<sprawl_model::RestApi>,
    http_apis: Vec<sprawl_model::HttpApi>,
    secrets: Vec<sprawl_model::Secret>,
}

async fn scan_region(
    ctx: &CallContext,
    clients: RegionClients,
    region: &str,
    window: Option<cloudwatch::MetricsWindow>,
) -> RegionInventory {
    let (mut lambda, rest_apis, http_apis, secrets, log_groups, alarms) = tokio::join!(
        tracked(
            ctx,
            Service::Lambda,
            region,
            lambda::collect(ctx, &clients, region)
        ),
        tracked(
            ctx,
            Service::ApiGateway,
            region,
            apigateway::collect(ctx, &clients.apigateway, region)
        ),
        tracked(
            ctx,
            Service::ApiGatewayV2,
            region,
            apigatewayv2::collect(ctx, &clients.apigatewayv2, region)
        ),
        tracked(
            ctx,
            Service::SecretsManager,
            region,
            secrets::collect(ctx, &clients.secretsmanager, region)
        ),
        // Listed beside the functions (one or two calls a region), then matched to them.
        tracked(
            ctx,
            Service::CloudWatchLogs,
            region,
            cloudwatch::lambda_log_groups(ctx, &clients.logs, region)
        ),
        tracked(
            ctx,
            Service::CloudWatch,
            region,
            cloudwatch::lambda_alarms(ctx, &clients.cloudwatch, region)
        ),
    );
    let layers = lambda::own_layers(ctx, &clients.lambda, region, &lambda.functions).await;
    let functions = &mut lambda.functions;
    cloudwatch::attach_log_groups(ctx, &clients.logs, region, functions, log_groups).await;
    cloudwatch::attach_alarms(functions, &alarms);
    match window {
        Some(window) => {
            cloudwatch::attach_activity(ctx, &clients.cloudwatch, region, functions, window).await;
            // What a function costs even idle: asked where one could have it.
            lambda::attach_provisioned_concurrency(ctx, &clients.lambda, region, functions).await;
        }
        None => {
            for f in functions.iter_mut() {
                f.activity = sprawl_model::Detail::skipped(NO_METRICS);
                f.provisioned_concurrency = sprawl_model::Detail::skipped(NO_METRICS);
            }
        }
    }
    RegionInventory {
        layers,
        lambda,
        rest_apis,
        http_apis,
        secrets,
    }
}

/// Runs one service's collection in a region, telling the progress listener when it starts and
/// ends.
async fn tracked<T>(
    ctx: &CallContext,
    service: Service,
    region: &str,
    collection: impl std::future::Future<Output = T>,
) -> T {
    tracked_in(ctx, service, &[region.to_string()], collection).await
}

/// Reads the sources of `service` that `named` holds (by ARN) with `read`, tracked in their
/// regions (their ARNs'); nothing, and no call, when none is named.
async fn read_named<N, T: Default, F: std::future::Future<Output = T>>(
    ctx: &CallContext,
    service: Service,
    named: std::collections::BTreeMap<String, N>,
    read: impl FnOnce(std::collections::BTreeMap<String, N>) -> F,
) -> T {
    if named.is_empty() {
        return T::default();
    }
    let regions: Vec<String> = named
        .keys()
        .filter_map(|arn| arn.split(':').nth(3).map(str::to_string))
        .collect();
    tracked_in(ctx, service, &regions, read(named)).await
}

/// [`tracked`] over several regions at once (each named once): a service's reads of sources
/// that span regions.
async fn tracked_in<T>(
    ctx: &CallContext,
    service: Service,
    regions: &[String],
    collection: impl std::future::Future<Output = T>,
) -> T {
    let regions: BTreeSet<&String> = regions.iter().collect();
    for region in &regions {
        ctx.emit(ProgressEvent::ServiceStarted {
            service,
            region: region.to_string(),
        });
    }
    let out = collection.await;
    for region in regions {
        ctx.emit(ProgressEvent::ServiceDone {
            service,
            region: region.clone(),
        });
    }
    out
}
