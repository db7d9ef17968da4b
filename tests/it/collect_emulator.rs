//! The collectors against a real AWS API emulator (moto server), seeded with the Rust SDK.

use crate::support;

use std::sync::{Arc, Mutex};

use serde_json::json;
use sprawl::collect::aws::SdkClients;
use sprawl::collect::{self, ProgressEvent, QuotaPlan, Regions, ScanOptions, ScanResult};
use sprawl::model::{Detail, FailureKind, Function, ValueKind};
use sprawl::snapshot::Snapshot;
use support::moto::Moto;
use support::seed::{self, ACCOUNT, PLANTED, REGION_A, REGION_B, function_arn, role_arn};

fn options() -> ScanOptions {
    ScanOptions {
        regions: Regions::Listed(vec![REGION_A.into(), REGION_B.into()]),
        // The emulator has no quotas; a faster plan keeps the test short.
        plan: QuotaPlan::scaled(4.0),
        ..ScanOptions::default()
    }
}

async fn scan(endpoint: &str) -> ScanResult {
    let config = support::sdk_config(endpoint, REGION_A).await;
    collect::scan(Arc::new(SdkClients::new(config)), options(), None)
        .await
        .expect("scan")
}

fn function<'a>(result: &'a ScanResult, region: &str, name: &str) -> &'a Function {
    let arn = function_arn(region, name);
    result
        .inventory
        .functions
        .iter()
        .find(|f| f.arn == arn)
        .unwrap_or_else(|| panic!("{arn} not collected"))
}

/// The calls a scan made of `operation` (every service's, every region's), answered or not.
fn calls(r: &ScanResult, operation: &str) -> u64 {
    r.coverage
        .entries
        .iter()
        .filter(|e| e.operation == operation)
        .map(|e| e.succeeded + e.failed)
        .sum()
}

/// The `owner` tag a function was read with.
fn owner_tag(f: &Function) -> Option<&str> {
    f.tags.value()?.get("owner").map(String::as_str)
}

fn var_kind(f: &Function, name: &str) -> ValueKind {
    f.environment
        .iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .value
        .kind
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scans_the_fixture_account_field_by_field() {
    let (moto, fx) = support::fixture_account().await;
    let result = scan(&moto.endpoint()).await;
    let inv = &result.inventory;

    assert_eq!(result.account.id, ACCOUNT);
    assert_eq!(result.account.partition, "aws");
    assert_eq!(result.regions, [REGION_A, REGION_B]);

    // Functions, in ARN order, with their listing fields.
    let names: Vec<&str> = inv.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["legacy-report", "orders-api", "orders-worker", "edge-hello"]
    );
    let api = function(&result, REGION_A, "orders-api");
    assert_eq!(api.runtime.as_deref(), Some("python3.12"));
    assert_eq!(api.role_arn, role_arn("shared-exec"));
    assert_eq!(api.timeout_seconds, 30);
    assert_eq!(api.memory_mb, 256);
    assert_eq!(api.handler.as_deref(), Some("index.handler"));
    assert_eq!(api.package_type, "Zip");
    assert_eq!(api.region, REGION_A);

    // Environment variables: classified, redacted, harmless look-alikes previewed.
    assert_eq!(var_kind(api, "DB_PASSWORD"), ValueKind::PasswordLike);
    assert_eq!(
        var_kind(api, "AWS_ACCESS_KEY_ID"),
        ValueKind::AwsAccessKeyId
    );
    assert_eq!(
        var_kind(api, "AWS_SECRET_ACCESS_KEY"),
        ValueKind::AwsSecretKey
    );
    assert_eq!(var_kind(api, "SECRET_NAME"), ValueKind::SecretReference);
    assert_eq!(var_kind(api, "USE_SSL"), ValueKind::Boolean);
    assert_eq!(var_kind(api, "PASSWORD_MIN_LENGTH"), ValueKind::Number);
    assert_eq!(var_kind(api, "QUEUE_ARN"), ValueKind::Arn);
    let preview = |f: &sprawl::model::Function, name: &str| {
        f.environment
            .iter()
            .find(|v| v.name == name)
            .unwrap()
            .value
            .preview
            .clone()
    };
    // A reference under a credential-like name is not a secret, and is not shown either.
    assert_eq!(preview(api, "SECRET_NAME"), None);
    assert_eq!(
        preview(api, "QUEUE_ARN").as_deref(),
        Some("arn:aws:sqs:eu-west-1:123456789012:orders")
    );

    // Credentials of every shape are secrets, in $LATEST and in published version 1; the token
    // removed from $LATEST is still in version 1.
    let report = function(&result, REGION_A, "legacy-report");
    for (name, _) in seed::SHAPES {
        let kind = var_kind(report, name);
        if *name == "KMS_KEY_ALIAS" {
            assert_eq!(kind, ValueKind::SecretReference);
        } else {
            assert!(kind.is_secret(), "{name} classed {kind:?}");
        }
        assert_eq!(preview(report, name), None, "{name} previewed");
    }
    assert!(
        report
            .environment
            .iter()
            .all(|v| v.name != seed::VERSION_ONLY.0)
    );
    let v1 = report
        .versions
        .iter()
        .find(|v| v.version == "1")
        .expect("version 1 is listed");
    let v1_env = v1
        .environment
        .as_ref()
        .expect("version 1's environment is read");
    let old = v1_env
        .iter()
        .find(|v| v.name == seed::VERSION_ONLY.0)
        .expect("version 1 still holds the removed token");
    assert_eq!(old.value.kind, ValueKind::PasswordLike);
    assert!(old.value.keyed_fingerprint().is_some());
    let worker = function(&result, REGION_A, "orders-worker");
    assert_eq!(var_kind(worker, "GITHUB_TOKEN"), ValueKind::ApiToken);
    assert_eq!(
        var_kind(worker, "DATABASE_URL"),
        ValueKind::UrlWithCredentials
    );

    // Function URL, resource policy, invoke config.
    let url = api
        .url
        .value()
        .unwrap()
        .as_ref()
        .expect("orders-api has a URL");
    assert_eq!(url.auth_type, "NONE");
    assert_eq!(url.cors.as_ref().unwrap().allow_origins, ["*"]);
    let policy = api
        .policy
        .value()
        .unwrap()
        .as_ref()
        .expect("orders-api has a policy")
        .value();
    let sids: Vec<&str> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Sid"].as_str().unwrap())
        .collect();
    assert_eq!(sids, ["public-url", "apigw"]);
    assert_eq!(
        api.async_invoke,
        Detail::collected(None),
        "anyone may invoke it asynchronously"
    );
    assert!(matches!(worker.url, Detail::Collected { value: None }));
    assert!(matches!(worker.policy, Detail::Collected { value: None }));
    assert!(matches!(worker.async_invoke, Detail::Skipped { .. }));

    // GetFunction: tags and reserved concurrency.
    assert_eq!(worker.reserved_concurrency, Detail::collected(Some(5)));
    assert_eq!(api.reserved_concurrency, Detail::collected(None));
    assert_eq!(owner_tag(worker), Some("team-orders"));

    // Versions, aliases, and the asynchronous trigger's on-failure destination.
    let report = function(&result, REGION_A, "legacy-report");
    assert_eq!(report.runtime.as_deref(), Some("python3.7"));
    assert_eq!(report.versions.len(), 1);
    assert_eq!(report.versions[0].version, "1");
    // Its package, from the same listing: it counts against the region's code storage.
    let kept = report.versions[0]
        .code_size_bytes
        .expect("version 1's size is read");
    assert!(kept > 0, "{kept}");
    let storage = report.code_storage();
    assert_eq!(storage.in_versions, kept);
    assert_eq!(storage.bytes, report.code_size_bytes + kept);
    assert_eq!(storage.unknown, 0);
    let aliases = report.aliases.value().unwrap();
    assert_eq!(aliases.len(), 1);
    assert_eq!(
        (
            aliases[0].name.as_str(),
            aliases[0].function_version.as_str()
        ),
        ("live", "1")
    );
    // The alias's own URL and policy are asked for (moto answers for the function whatever the
    // qualifier: no URL, and the version's policy or none).
    assert_eq!(aliases[0].url, Detail::collected(None));
    assert!(aliases[0].policy.is_collected(), "{:?}", aliases[0].policy);
    let invoke = report
        .async_invoke
        .value()
        .unwrap()
        .as_ref()
        .expect("invoke config");
    assert_eq!(invoke.maximum_retry_attempts, Some(1));
    assert_eq!(
        invoke.on_failure_destination,
        Some(function_arn(REGION_A, "orders-worker"))
    );
    assert!(matches!(api.aliases, Detail::Skipped { .. }));

    // The emulator has no code-signing listing: not assessed, never "no config".
    assert!(matches!(
        api.code_signing_config,
        Detail::Failed {
            kind: FailureKind::NotSupported,
            ..
        }
    ));

    // Event source mapping, listed account-wide.
    assert_eq!(inv.event_source_mappings.len(), 1);
    let esm = &inv.event_source_mappings[0];
    assert_eq!(esm.function_arn, function_arn(REGION_A, "orders-worker"));
    assert_eq!(esm.source_arn.as_deref(), Some(fx.queue_arn.as_str()));
    assert_eq!(esm.batch_size, Some(10));

    // Roles: Lambda's and the functions', not the EC2 one; every policy with its document.
    let role_names: Vec<&str> = inv.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(role_names, ["admin-exec", "edge-exec", "shared-exec"]);
    let shared = inv.roles.iter().find(|r| r.name == "shared-exec").unwrap();
    assert_eq!(shared.inline_policies.len(), 1);
    assert_eq!(shared.inline_policies[0].name, "read-orders-bucket");
    assert_eq!(
        shared.inline_policies[0].document.value()["Statement"][0]["Action"],
        "s3:GetObject"
    );
    assert_eq!(shared.attached_policies.len(), 1);
    assert_eq!(shared.attached_policies[0].arn, fx.managed_policy_arn);
    assert_eq!(
        shared.attached_policies[0]
            .document
            .as_ref()
            .unwrap()
            .value()["Statement"][0]["Action"],
        "dynamodb:*"
    );
    assert_eq!(shared.tags.get("team").map(String::as_str), Some("orders"));
    assert_eq!(
        shared.trust_policy.as_ref().unwrap().value()["Statement"][0]["Principal"]["Service"],
        "lambda.amazonaws.com"
    );
    let admin = inv.roles.iter().find(|r| r.name == "admin-exec").unwrap();
    let admin_doc = admin.attached_policies[0]
        .document
        .as_ref()
        .expect("AdministratorAccess document")
        .value();
    assert_eq!(admin_doc["Statement"][0]["Action"], "*");
    let edge = inv.roles.iter().find(|r| r.name == "edge-exec").unwrap();
    let boundary = edge.permissions_boundary.as_ref().expect("boundary");
    assert!(boundary.arn.ends_with(":policy/boundary"));
    assert!(boundary.document.is_some());

    // REST API: stage settings, methods with integrations, the authorizer.
    assert_eq!(inv.rest_apis.len(), 1);
    let rest = &inv.rest_apis[0];
    assert_eq!(rest.id, fx.rest_api_id);
    assert_eq!(
        rest.arn,
        format!(
            "arn:aws:apigateway:{REGION_A}::/restapis/{}",
            fx.rest_api_id
        )
    );
    assert_eq!(rest.endpoint_types, ["REGIONAL"]);
    let stage = &rest.stages.value().unwrap()[0];
    assert_eq!(stage.name, "prod");
    assert!(stage.tracing_enabled);
    let all = &stage.method_settings["*/*"];
    assert_eq!(all.logging_level.as_deref(), Some("INFO"));
    assert!(all.data_trace_enabled);
    assert!(!all.cache_data_encrypted);
    assert_eq!(stage.variables[0].name, "DB_PASS");
    assert_eq!(stage.variables[0].value.kind, ValueKind::PasswordLike);
    assert!(stage.variables[0].value.preview.is_none());
    let resources = rest.resources.value().unwrap();
    let orders = resources
        .iter()
        .find(|r| r.path == "/orders")
        .expect("/orders");
    let verbs: Vec<(&str, Option<&str>)> = orders
        .methods
        .iter()
        .map(|m| (m.http_method.as_str(), m.authorization_type.as_deref()))
        .collect();
    assert_eq!(verbs, [("GET", Some("NONE")), ("POST", Some("CUSTOM"))]);
    let get = &orders.methods[0];
    assert_eq!(
        get.integration.as_ref().unwrap().lambda_arn,
        Some(function_arn(REGION_A, "orders-api"))
    );
    assert_eq!(
        orders.methods[1].authorizer_id.as_deref(),
        Some(fx.authorizer_id.as_str())
    );
    let authorizers = rest.authorizers.value().unwrap();
    assert_eq!(
        authorizers[0].lambda_arn,
        Some(function_arn(REGION_A, "legacy-report"))
    );

    // HTTP API: routes, integration, stage.
    assert_eq!(inv.http_apis.len(), 1);
    let http = &inv.http_apis[0];
    assert_eq!(http.id, fx.http_api_id);
    assert_eq!(http.region, REGION_B);
    let routes: Vec<(&str, Option<&str>)> = http
        .routes
        .value()
        .unwrap()
        .iter()
        .map(|r| (r.route_key.as_str(), r.authorization_type.as_deref()))
        .collect();
    assert_eq!(
        routes,
        [
            ("GET /hello", Some("NONE")),
            ("POST /admin", Some("AWS_IAM"))
        ]
    );
    assert_eq!(
        http.integrations.value().unwrap()[0].lambda_arn,
        Some(function_arn(REGION_B, "edge-hello"))
    );
    let http_stage = &http.stages.value().unwrap()[0];
    assert_eq!(http_stage.name, "$default");
    assert!(http_stage.auto_deploy);
    assert!(matches!(http.authorizers, Detail::Skipped { .. }));
    assert_eq!(http.cors.as_ref().unwrap().allow_origins, ["*"]);

    // Secrets: rotation, resource policy, tags; never a value.
    assert_eq!(inv.secrets.len(), 3);
    let rotated = inv
        .secrets
        .iter()
        .find(|s| s.arn == fx.rotated_secret_arn)
        .unwrap();
    assert!(rotated.rotation_enabled);
    assert_eq!(
        rotated.rotation_lambda_arn,
        Some(function_arn(REGION_A, "orders-worker"))
    );
    assert_eq!(rotated.rotation_every_days, Some(30));
    assert!(rotated.last_rotated.is_some());
    assert_eq!(rotated.policy, Detail::collected(None));
    let public = inv
        .secrets
        .iter()
        .find(|s| s.arn == fx.public_secret_arn)
        .unwrap();
    assert!(!public.rotation_enabled);
    assert_eq!(
        public.policy.value().unwrap().as_ref().unwrap().value()["Statement"][0]["Principal"],
        json!("*")
    );
    let tagged = inv
        .secrets
        .iter()
        .find(|s| s.arn == fx.tagged_secret_arn)
        .unwrap();
    assert_eq!(tagged.region, REGION_B);
    assert_eq!(
        tagged.tags.get("owner").map(String::as_str),
        Some("team-edge")
    );

    // Coverage: every operation accounted for; the only gaps are what the emulator lacks.
    let gaps: Vec<(&str, &str)> = result
        .coverage
        .gaps()
        .map(|g| (g.operation.as_str(), g.region.as_str()))
        .collect();
    assert_eq!(
        gaps,
        [
            ("ListCodeSigningConfigs", REGION_A),
            ("ListCodeSigningConfigs", REGION_B)
        ]
    );
    let list_functions = result
        .coverage
        .entries
        .iter()
        .find(|e| e.operation == "ListFunctions" && e.region == REGION_A)
        .unwrap();
    assert_eq!(
        list_functions.items, 4,
        "three functions and one published version"
    );

    // No planted secret anywhere in the snapshot's bytes.
    let snapshot = Snapshot::new(
        result.account.clone(),
        result.regions.clone(),
        result.coverage.clone(),
        result.inventory.clone(),
        result.scanned_at,
    );
    let bytes = String::from_utf8(snapshot.to_json()).unwrap();
    for planted in PLANTED {
        assert!(
            !bytes.contains(planted),
            "{planted} leaked into the snapshot"
        );
        // Nor a recognisable part of one (half of a short value is too short to recognise: three
        // digits turn up in any timestamp).
        let half = &planted[..planted.len() / 2];
        assert!(
            half.len() < 6 || !bytes.contains(half),
            "part of {planted} leaked into the snapshot"
        );
    }
    drop(moto);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_scans_of_an_unchanged_account_differ_only_in_time() {
    let (moto, _) = support::fixture_account().await;
    let first = scan(&moto.endpoint()).await;
    let second = scan(&moto.endpoint()).await;
    let snap = |r: &ScanResult| {
        Snapshot::new(
            r.account.clone(),
            r.regions.clone(),
            r.coverage.clone(),
            r.inventory.clone(),
            "2026-01-01T00:00:00Z".parse().unwrap(),
        )
        .to_json()
    };
    assert_eq!(snap(&first), snap(&second));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_that_dies_mid_scan_leaves_gaps_not_a_panic() {
    let moto = Arc::new(Mutex::new(Moto::start()));
    let endpoint = moto.lock().unwrap().endpoint();
    let a = support::sdk_config(&endpoint, REGION_A).await;
    let lambda = aws_sdk_lambda::Client::new(&a);
    let iam = aws_sdk_iam::Client::new(&a);
    iam.create_role()
        .role_name("exec")
        .assume_role_policy_document(seed::LAMBDA_TRUST)
        .send()
        .await
        .unwrap();
    for i in 0..40 {
        seed::function(
            &lambda,
            &format!("fn-{i:02}"),
            "python3.12",
            &role_arn("exec"),
            &[],
        )
        .await;
    }

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let killer = {
        let moto = moto.clone();
        tokio::spawn(async move {
            let mut calls = 0;
            while let Some(event) = rx.recv().await {
                if matches!(event, ProgressEvent::Call { .. }) {
                    calls += 1;
                    if calls == 30 {
                        moto.lock().unwrap().stop();
                    }
                }
            }
        })
    };
    let options = ScanOptions {
        regions: Regions::Listed(vec![REGION_A.into()]),
        plan: QuotaPlan::scaled(4.0),
        ..ScanOptions::default()
    };
    let result = collect::scan(Arc::new(SdkClients::new(a)), options, Some(tx))
        .await
        .expect("a scan that identified the account completes");
    killer.await.unwrap();

    assert!(!result.coverage.is_complete());
    assert!(result.coverage.gaps().any(|g| {
        g.failure
            .as_ref()
            .is_some_and(|f| f.kind == FailureKind::Unreachable)
    }));
    // Whatever was cut off is marked failed, never empty.
    let not_assessed = result
        .inventory
        .functions
        .iter()
        .filter(|f| matches!(f.policy, Detail::Failed { .. }))
        .count();
    assert!(
        not_assessed > 0,
        "some function details must be marked failed"
    );
    for f in &result.inventory.functions {
        assert!(!matches!(f.policy, Detail::Skipped { .. }));
    }
}

/// Issue 21 against the emulator: log groups (retention, KMS key), alarms on Lambda metrics, and
/// with `--metrics` each function's daily invocations, errors, throttles and durations, read by
/// the real SDK. moto cannot compute a percentile (it answers 500): the 99th percentile is then
/// a gap in the coverage and on the functions, and every other metric is still read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_logs_alarms_and_metrics_and_concludes_from_them() {
    let (moto, _fx) = support::fixture_account().await;
    let endpoint = moto.endpoint();
    let a = support::sdk_config(&endpoint, REGION_A).await;
    let b = support::sdk_config(&endpoint, REGION_B).await;
    seed::activity(&a, &b).await;
    let options = ScanOptions {
        metrics_days: Some(3),
        retry: collect::RetryPolicy {
            max_attempts: 2,
            ..collect::RetryPolicy::default()
        },
        ..options()
    };
    let result = collect::scan(Arc::new(SdkClients::new(a)), options, None)
        .await
        .expect("scan");

    // Log groups, as DescribeLogGroups has them.
    let api = function(&result, REGION_A, "orders-api");
    let group = api
        .logs
        .value()
        .cloned()
        .flatten()
        .expect("orders-api's group");
    assert_eq!(group.name, "/aws/lambda/orders-api");
    assert_eq!(group.retention_days, Some(14));
    assert_eq!(
        group.kms_key_id.as_deref(),
        Some("arn:aws:kms:eu-west-1:123456789012:key/logs-key")
    );
    let worker = function(&result, REGION_A, "orders-worker");
    let retention = |f: &Function| f.logs.value().cloned().flatten().map(|g| g.retention_days);
    assert_eq!(retention(worker), Some(None), "never expires");
    let report = function(&result, REGION_A, "legacy-report");
    assert_eq!(report.logs, Detail::collected(None));
    let edge = function(&result, REGION_B, "edge-hello");
    assert_eq!(retention(edge), Some(Some(7)));

    // Alarms, matched by the FunctionName dimension.
    let alarms = worker.alarms.value().expect("alarms read");
    assert_eq!(alarms.len(), 1);
    assert_eq!(
        (alarms[0].metric.as_str(), alarms[0].notifies),
        ("Errors", true)
    );
    assert_eq!(api.alarms, Detail::collected(Vec::new()));

    // Metrics, day by day; a day without a datapoint is no data.
    let activity = |f: &Function| f.activity.value().cloned().expect("activity read");
    let api_a = activity(api);
    assert_eq!(
        api_a.invocations.daily(3),
        vec![None, Some(500.0), Some(400.0)]
    );
    assert_eq!(api_a.throttles.daily(3), vec![None, None, Some(100.0)]);
    assert_eq!(api_a.duration_max_ms.max(), Some(300.0));
    assert!(
        matches!(&api_a.duration_p99_ms, Detail::Failed { .. }),
        "{:?}",
        api_a.duration_p99_ms
    );
    assert_eq!(activity(worker).errors.daily(3)[2], Some(20.0));
    assert_eq!(activity(report).invocations.total(), None);
    let gap = result
        .coverage
        .entries
        .iter()
        .find(|e| e.operation == "GetMetricData" && e.region == REGION_A)
        .expect("GetMetricData in the coverage");
    assert!(gap.succeeded >= 1 && gap.failed >= 1, "{gap:?}");

    // What sprawl concludes, with evidence. moto stamps every function with the time it was
    // made and cannot age one, so the inventory is assessed as of a window later (100 days):
    // then legacy-report is older than the window and was never invoked in it.
    let later = result.scanned_at + chrono::Duration::days(100);
    let assessment = sprawl::assess::assess(&result.inventory, &result.coverage, ACCOUNT, later);
    let found = |name: &str, region: &str| -> Vec<String> {
        let arn = function_arn(region, name);
        let mut rules: Vec<String> = assessment
            .findings
            .iter()
            .filter(|f| f.resource == arn)
            .map(|f| f.rule.clone())
            .collect();
        rules.sort();
        rules
    };
    let has = |name: &str, region: &str, rule: &str| {
        let rules = found(name, region);
        assert!(
            rules.iter().any(|r| r == rule),
            "{name}: no {rule} in {rules:?}"
        );
    };
    has("orders-api", REGION_A, "lambda-throttled");
    has("orders-api", REGION_A, "lambda-public-no-alarm");
    has("orders-worker", REGION_A, "lambda-error-rate-high");
    has("orders-worker", REGION_A, "lambda-logs-never-expire");
    has("legacy-report", REGION_A, "lambda-idle");
    has("legacy-report", REGION_A, "lambda-no-log-group");
    has("edge-hello", REGION_B, "lambda-timeout-over-duration");
    // The account's own layer, published to every AWS account, read with its version policy.
    assert_eq!(
        result.inventory.layers.len(),
        1,
        "{:?}",
        result.inventory.layers
    );
    let layer = &result.inventory.layers[0];
    assert!(layer.arn.contains(":layer:shared-utils:"), "{}", layer.arn);
    assert!(
        matches!(&layer.policy, Detail::Collected { value: Some(_) }),
        "{:?}",
        layer.policy
    );
    has("orders-worker", REGION_A, "lambda-layer-shared");
    // The near misses: watched by an alarm, not public; logs under a key with a retention.
    let worker_rules = found("orders-worker", REGION_A);
    assert!(!worker_rules.iter().any(|r| r == "lambda-public-no-alarm"));
    let api_rules = found("orders-api", REGION_A);
    for quiet in [
        "lambda-logs-never-expire",
        "lambda-logs-no-cmk",
        "lambda-idle",
    ] {
        assert!(!api_rules.iter().any(|r| r == quiet), "orders-api: {quiet}");
    }
    let timeout = assessment
        .findings
        .iter()
        .find(|f| f.rule == "lambda-timeout-over-duration")
        .expect("the timeout finding");
    let evidence = format!("{:?}", timeout.evidence.get());
    assert!(
        evidence.contains("suggested_timeout_seconds") && evidence.contains("\"3\""),
        "{evidence}"
    );
}

/// Issue 27: `--no-get-function` reads every function's tags and reserved concurrency through
/// ListTags and GetFunctionConcurrency, as GetFunction would have: the same values, GetFunction
/// never called (skipped once per function in the coverage), the two calls in its place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_get_function_tags_and_concurrency_come_from_their_own_calls() {
    let (moto, _) = support::fixture_account().await;
    let config = support::sdk_config(&moto.endpoint(), REGION_A).await;
    let with = scan(&moto.endpoint()).await;
    let without = collect::scan(
        Arc::new(SdkClients::new(config)),
        ScanOptions {
            no_get_function: true,
            ..options()
        },
        None,
    )
    .await
    .expect("scan");
    let worker = function(&without, REGION_A, "orders-worker");
    assert_eq!(worker.reserved_concurrency, Detail::collected(Some(5)));
    assert_eq!(owner_tag(worker), Some("team-orders"));
    assert_eq!(
        without.inventory.functions.len(),
        with.inventory.functions.len()
    );
    for (a, b) in with
        .inventory
        .functions
        .iter()
        .zip(&without.inventory.functions)
    {
        assert_eq!(a.arn, b.arn);
        assert_eq!(a.tags, b.tags, "{}", a.arn);
        assert_eq!(a.reserved_concurrency, b.reserved_concurrency, "{}", a.arn);
    }
    let n = without.inventory.functions.len() as u64;
    let count = |r: &ScanResult, op: &str| -> (u64, u64) {
        r.coverage
            .entries
            .iter()
            .filter(|e| e.operation == op)
            .fold((0, 0), |(s, k), e| (s + e.succeeded, k + e.skipped))
    };
    assert_eq!(count(&without, "GetFunction"), (0, n));
    assert_eq!(count(&without, "ListTags"), (n, 0));
    assert_eq!(count(&without, "GetFunctionConcurrency"), (n, 0));
    assert_eq!(count(&with, "GetFunction"), (n, 0));
    assert_eq!(count(&with, "ListTags"), (0, 0));
    // Neither call in GetFunction's place failed anywhere.
    assert!(
        without
            .coverage
            .entries
            .iter()
            .filter(|e| e.operation == "ListTags" || e.operation == "GetFunctionConcurrency")
            .all(|e| e.failed == 0),
        "{:?}",
        without.coverage
    );
}

/// Issue 28: the SNS topics a function's resource policy names (`sns.amazonaws.com` with the
/// topic's ARN as `aws:SourceArn`) are read once each, in their own region: their access policy
/// and key, and the functions each triggers. A topic no function names is not read, nor is one
/// named through a wildcard; one that no longer exists is "not read", never "no policy".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_topics_that_trigger_functions_are_read_once_each() {
    let (moto, _) = support::fixture_account().await;
    let a = support::sdk_config(&moto.endpoint(), REGION_A).await;
    let b = support::sdk_config(&moto.endpoint(), REGION_B).await;
    let sns_a = aws_sdk_sns::Client::new(&a);
    let sns_b = aws_sdk_sns::Client::new(&b);
    let open = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Anyone", "Effect": "Allow",
        "Principal": "*", "Action": "sns:Publish", "Resource": "*"}]})
    .to_string();
    let orders = sns_a
        .create_topic()
        .name("orders-events")
        .attributes("Policy", open)
        .attributes("KmsMasterKeyId", "alias/orders-events")
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    let other = sns_b
        .create_topic()
        .name("edge-events")
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    let unnamed = sns_a
        .create_topic()
        .name("nobody-listens")
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    let gone = format!("arn:aws:sns:{REGION_A}:{ACCOUNT}:deleted-topic");
    let lambda_a = aws_sdk_lambda::Client::new(&a);
    let lambda_b = aws_sdk_lambda::Client::new(&b);
    // Two functions fed by the same topic; one by a topic of the other region; one by a topic
    // that is gone; one by any topic (a wildcard, which names none to read).
    for (client, function, topic, sid) in [
        (&lambda_a, "orders-worker", orders.as_str(), "orders"),
        (&lambda_a, "orders-api", orders.as_str(), "orders"),
        (&lambda_a, "legacy-report", other.as_str(), "edge"),
        (&lambda_a, "legacy-report", gone.as_str(), "gone"),
        (&lambda_b, "edge-hello", "arn:aws:sns:*:*:*", "any"),
    ] {
        client
            .add_permission()
            .function_name(function)
            .statement_id(sid)
            .action("lambda:InvokeFunction")
            .principal("sns.amazonaws.com")
            .source_arn(topic)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{function} {topic}: {e:?}"));
    }
    // A webhook subscription whose URL carries a token: nothing of it is kept.
    sns_a
        .subscribe()
        .topic_arn(&orders)
        .protocol("https")
        .endpoint("https://hooks.example.com/services/T0/B0/s3cr3tT0ken")
        .send()
        .await
        .unwrap();
    // The open topic delivers to the two functions it triggers (subscriptions); a permission
    // with no subscription is checked in the rule cases.
    for function in ["orders-worker", "orders-api"] {
        sns_a
            .subscribe()
            .topic_arn(&orders)
            .protocol("lambda")
            .endpoint(function_arn(REGION_A, function))
            .send()
            .await
            .unwrap();
    }
    let r = scan(&moto.endpoint()).await;
    let topics: Vec<&str> = r.inventory.topics.iter().map(|t| t.arn.as_str()).collect();
    let mut expected = vec![gone.as_str(), orders.as_str(), other.as_str()];
    expected.sort();
    assert_eq!(topics, expected);
    assert!(!topics.contains(&unnamed.as_str()));
    let t = |arn: &str| r.inventory.topics.iter().find(|t| t.arn == arn).unwrap();
    let o = t(&orders);
    assert_eq!(o.region, REGION_A);
    assert_eq!(
        o.triggers,
        [
            function_arn(REGION_A, "orders-api"),
            function_arn(REGION_A, "orders-worker")
        ]
    );
    let policy = o
        .policy
        .value()
        .unwrap()
        .as_ref()
        .expect("a policy")
        .value();
    assert_eq!(policy["Statement"][0]["Sid"], "Anyone");
    assert_eq!(
        o.kms_key_id,
        Detail::collected(Some("alias/orders-events".to_string()))
    );
    let e = t(&other);
    assert_eq!(e.region, REGION_B);
    // AWS's default policy, written by SNS itself: it admits only the topic's own account.
    assert!(
        e.policy
            .value()
            .unwrap()
            .as_ref()
            .unwrap()
            .text()
            .contains("SourceOwner")
    );
    assert!(
        matches!(t(&gone).policy, Detail::Failed { .. }),
        "{:?}",
        t(&gone).policy
    );
    // Once each, in each topic's region, with its subscriptions.
    assert_eq!(calls(&r, "GetTopicAttributes"), 3);
    assert_eq!(calls(&r, "ListSubscriptionsByTopic"), 3);
    let endpoints: Vec<(&str, &str)> = o
        .subscriptions
        .value()
        .unwrap()
        .iter()
        .map(|s| (s.protocol.as_str(), s.endpoint.as_str()))
        .collect();
    let (worker, api) = (
        function_arn(REGION_A, "orders-worker"),
        function_arn(REGION_A, "orders-api"),
    );
    assert_eq!(
        endpoints,
        [
            ("https", ""),
            ("lambda", api.as_str()),
            ("lambda", worker.as_str())
        ]
    );

    // Assessed: the two functions the open topic feeds have anyone as a way in; the function
    // fed by a topic that is gone is not assessed for it, never passed.
    let snap = Snapshot::new(r.account, r.regions, r.coverage, r.inventory, r.scanned_at);
    let json = String::from_utf8(snap.to_json()).unwrap();
    assert!(
        !json.contains("s3cr3tT0ken") && !json.contains("hooks.example.com"),
        "a webhook's URL left the collector"
    );
    let open: std::collections::BTreeSet<&str> = snap
        .assessment
        .findings
        .iter()
        .filter(|f| f.rule == "lambda-source-public")
        .map(|f| f.resource.as_str())
        .collect();
    let fed = [
        function_arn(REGION_A, "orders-api"),
        function_arn(REGION_A, "orders-worker"),
    ];
    assert_eq!(open, fed.iter().map(String::as_str).collect());
    assert!(
        snap.assessment
            .not_assessed
            .iter()
            .any(|n| n.rule == "lambda-source-public"
                && n.resource == function_arn(REGION_A, "legacy-report"))
    );
}

/// An S3 client of the test's own, for seeding the emulator: the bucket in the path, as an
/// endpoint at an IP address needs.
fn s3_client(config: &aws_config::SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(config)
            .force_path_style(true)
            .build(),
    )
}

/// Issue 28: the S3 buckets that trigger functions (named by a function's resource policy, or
/// by the policy of a topic that does) are read once each, in their own region: notifications,
/// policy, ACL, Block Public Access and ownership, and the account's Block Public Access once
/// (through S3 Control, against the emulator too). A bucket anyone may upload to (by policy, or
/// by an ACL grant) is a way into the functions it notifies, directly or through the topic it
/// notifies; one whose Block Public Access stops both is not. No other bucket is read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_buckets_that_trigger_functions_are_read_and_judged() {
    use aws_sdk_s3::types::{
        BucketLocationConstraint, CreateBucketConfiguration, LambdaFunctionConfiguration,
        NotificationConfiguration, PublicAccessBlockConfiguration, TopicConfiguration,
    };
    let (moto, _) = support::fixture_account().await;
    let a = support::sdk_config(&moto.endpoint(), REGION_A).await;
    let b = support::sdk_config(&moto.endpoint(), REGION_B).await;
    let (s3_a, s3_b) = (s3_client(&a), s3_client(&b));
    let public_upload = |bucket: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Sid": "AnyoneUploads", "Effect": "Allow",
            "Principal": "*", "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::{bucket}/*")}]})
        .to_string()
    };
    // us-east-1 takes no location constraint (and answers none for its buckets).
    let create = |client: &aws_sdk_s3::Client, region: &str, bucket: &str| {
        client
            .create_bucket()
            .bucket(bucket)
            .set_create_bucket_configuration((region != "us-east-1").then(|| {
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(region))
                    .build()
            }))
            .send()
    };
    for (client, region, bucket) in [
        (&s3_a, REGION_A, "public-uploads"),
        (&s3_a, REGION_A, "acl-uploads"),
        (&s3_a, REGION_A, "blocked-uploads"),
        (&s3_a, REGION_A, "nobody-listens"),
        (&s3_b, REGION_B, "edge-feeder"),
    ] {
        create(client, region, bucket).await.unwrap();
    }
    for bucket in ["public-uploads", "blocked-uploads", "nobody-listens"] {
        s3_a.put_bucket_policy()
            .bucket(bucket)
            .policy(public_upload(bucket))
            .send()
            .await
            .unwrap();
    }
    for bucket in ["acl-uploads", "blocked-uploads"] {
        s3_a.put_bucket_acl()
            .bucket(bucket)
            .grant_write("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")
            .send()
            .await
            .unwrap();
    }
    s3_b.put_bucket_policy()
        .bucket("edge-feeder")
        .policy(public_upload("edge-feeder"))
        .send()
        .await
        .unwrap();
    // The near miss: Block Public Access stops its public policy and its public ACL.
    s3_a.put_public_access_block()
        .bucket("blocked-uploads")
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    // edge-feeder notifies a topic that invokes edge-hello; the topic's own policy is SNS's
    // default (its account only) plus the bucket.
    let sns_b = aws_sdk_sns::Client::new(&b);
    let feed = sns_b
        .create_topic()
        .name("edge-feed")
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    let topic_policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SNS:Publish",
         "Resource": feed, "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}},
        {"Sid": "Bucket", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
         "Action": "SNS:Publish", "Resource": feed,
         "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::edge-feeder"},
                       "StringEquals": {"aws:SourceAccount": ACCOUNT}}}]});
    sns_b
        .set_topic_attributes()
        .topic_arn(&feed)
        .attribute_name("Policy")
        .attribute_value(topic_policy.to_string())
        .send()
        .await
        .unwrap();
    s3_b.put_bucket_notification_configuration()
        .bucket("edge-feeder")
        .notification_configuration(
            NotificationConfiguration::builder()
                .topic_configurations(
                    TopicConfiguration::builder()
                        .topic_arn(&feed)
                        .events("s3:ObjectCreated:*".into())
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let lambda_a = aws_sdk_lambda::Client::new(&a);
    let lambda_b = aws_sdk_lambda::Client::new(&b);
    for (function, bucket) in [
        ("orders-worker", "public-uploads"),
        ("orders-api", "acl-uploads"),
        ("legacy-report", "blocked-uploads"),
    ] {
        lambda_a
            .add_permission()
            .function_name(function)
            .statement_id("uploads")
            .action("lambda:InvokeFunction")
            .principal("s3.amazonaws.com")
            .source_arn(format!("arn:aws:s3:::{bucket}"))
            .source_account(ACCOUNT)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{function}: {e:?}"));
        s3_a.put_bucket_notification_configuration()
            .bucket(bucket)
            .notification_configuration(
                NotificationConfiguration::builder()
                    .lambda_function_configurations(
                        LambdaFunctionConfiguration::builder()
                            .lambda_function_arn(function_arn(REGION_A, function))
                            .events("s3:ObjectCreated:*".into())
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    lambda_b
        .add_permission()
        .function_name("edge-hello")
        .statement_id("feed")
        .action("lambda:InvokeFunction")
        .principal("sns.amazonaws.com")
        .source_arn(&feed)
        .send()
        .await
        .unwrap();
    sns_b
        .subscribe()
        .topic_arn(&feed)
        .protocol("lambda")
        .endpoint(function_arn(REGION_B, "edge-hello"))
        .send()
        .await
        .unwrap();

    let r = scan(&moto.endpoint()).await;
    let names: Vec<&str> = r
        .inventory
        .buckets
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "acl-uploads",
            "blocked-uploads",
            "edge-feeder",
            "public-uploads"
        ]
    );
    let bucket = |name: &str| r.inventory.buckets.iter().find(|b| b.name == name).unwrap();
    assert_eq!(
        bucket("edge-feeder").region,
        Detail::collected(REGION_B.to_string())
    );
    assert_eq!(bucket("edge-feeder").feeds, [feed.as_str()]);
    assert_eq!(
        bucket("edge-feeder").notifications.value().unwrap().topics,
        [feed.as_str()]
    );
    assert_eq!(
        bucket("public-uploads").triggers,
        [function_arn(REGION_A, "orders-worker")]
    );
    assert!(
        bucket("acl-uploads")
            .acl
            .value()
            .unwrap()
            .iter()
            .any(|g| g.is_public() && g.writes()),
        "{:?}",
        bucket("acl-uploads").acl
    );
    let blocked = bucket("blocked-uploads")
        .public_access_block
        .value()
        .unwrap();
    assert!(blocked.is_some_and(|b| b.ignore_public_acls && b.restrict_public_buckets));
    // The account's Block Public Access, read through S3 Control: none set on the emulator.
    assert_eq!(
        bucket("public-uploads").account_public_access_block,
        Detail::collected(None)
    );
    for op in [
        "GetBucketLocation",
        "GetBucketNotificationConfiguration",
        "GetBucketPolicy",
        "GetBucketAcl",
        "GetBucketOwnershipControls",
    ] {
        assert_eq!(calls(&r, op), 4, "{op}");
    }
    // Four buckets' and the account's.
    assert_eq!(calls(&r, "GetPublicAccessBlock"), 5);
    assert!(
        r.coverage
            .entries
            .iter()
            .all(|e| e.failed == 0 || !e.service.starts_with("s3")),
        "{:?}",
        r.coverage
    );

    let snap = Snapshot::new(r.account, r.regions, r.coverage, r.inventory, r.scanned_at);
    let open: std::collections::BTreeSet<&str> = snap
        .assessment
        .findings
        .iter()
        .filter(|f| f.rule == "lambda-source-public")
        .map(|f| f.resource.as_str())
        .collect();
    let expected = [
        function_arn(REGION_A, "orders-api"),
        function_arn(REGION_A, "orders-worker"),
        function_arn(REGION_B, "edge-hello"),
    ];
    assert_eq!(open, expected.iter().map(String::as_str).collect());
    let edge = snap
        .assessment
        .findings
        .iter()
        .find(|f| f.rule == "lambda-source-public" && f.resource == expected[2])
        .unwrap();
    assert!(
        edge.message
            .contains("S3 bucket edge-feeder -> SNS topic edge-feed"),
        "{}",
        edge.message
    );
    assert!(
        !snap
            .assessment
            .not_assessed
            .iter()
            .any(|n| n.rule == "lambda-source-public"),
        "{:?}",
        snap.assessment.not_assessed
    );
}

/// Issue 28: the SQS queue an event source mapping polls is read once (its policy and key), and a
/// topic its policy lets send to it is read too: a topic every account may publish to, delivering
/// to the queue, is a way into the function that polls it, with the queue on its path.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queue_and_the_topic_that_feeds_it_are_read_and_judged() {
    let (moto, _) = support::fixture_account().await;
    let a = support::sdk_config(&moto.endpoint(), REGION_A).await;
    let sns = aws_sdk_sns::Client::new(&a);
    let sqs = aws_sdk_sqs::Client::new(&a);
    let open = json!({"Version": "2012-10-17", "Statement": [{"Sid": "EveryAccount",
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Publish", "Resource": "*"}]})
    .to_string();
    let topic = sns
        .create_topic()
        .name("partner-feed")
        .attributes("Policy", open)
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    // The fixture's orders-queue, which orders-worker polls: the topic may send to it.
    let queue = format!("arn:aws:sqs:{REGION_A}:{ACCOUNT}:orders-queue");
    let url = sqs
        .get_queue_url()
        .queue_name("orders-queue")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Sid": "FromTopic",
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": queue,
        "Condition": {"ArnEquals": {"aws:SourceArn": topic}}}]});
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::Policy,
            policy.to_string(),
        )
        .send()
        .await
        .unwrap();
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("sqs")
        .endpoint(&queue)
        .send()
        .await
        .unwrap();

    let r = scan(&moto.endpoint()).await;
    assert_eq!(r.inventory.queues.len(), 1, "{:?}", r.inventory.queues);
    let q = &r.inventory.queues[0];
    assert_eq!(q.arn, queue);
    assert_eq!(q.triggers, [function_arn(REGION_A, "orders-worker")]);
    assert!(
        q.policy
            .value()
            .unwrap()
            .as_ref()
            .unwrap()
            .text()
            .contains("FromTopic"),
        "{:?}",
        q.policy
    );
    let t = r
        .inventory
        .topics
        .iter()
        .find(|t| t.arn == topic)
        .expect("the topic the queue's policy names is read");
    assert_eq!(t.feeds, [queue.as_str()]);
    assert_eq!(calls(&r, "GetQueueAttributes"), 1);

    let snap = Snapshot::new(r.account, r.regions, r.coverage, r.inventory, r.scanned_at);
    let found: Vec<&str> = snap
        .assessment
        .findings
        .iter()
        .filter(|f| f.rule == "lambda-source-public")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("SNS topic partner-feed -> SQS queue orders-queue"),
        "{found:?}"
    );
}

/// Issue 28: the EventBridge rules a function's resource policy names are read once each, and
/// the buses they are on: a custom bus whose policy lets another account put events on it is a
/// way into the function a rule on it targets, with the rule on its path; a default-bus rule with
/// no bus policy admits no other account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rules_that_trigger_functions_and_their_buses_are_read_and_judged() {
    let (moto, _) = support::fixture_account().await;
    let a = support::sdk_config(&moto.endpoint(), REGION_A).await;
    let events = aws_sdk_eventbridge::Client::new(&a);
    let bus = events
        .create_event_bus()
        .name("partner-bus")
        .send()
        .await
        .unwrap()
        .event_bus_arn
        .unwrap();
    // moto needs a Sid in every statement of a bus policy.
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Partner",
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        "Action": "events:PutEvents", "Resource": bus}]});
    events
        .put_permission()
        .event_bus_name("partner-bus")
        .policy(policy.to_string())
        .send()
        .await
        .unwrap();
    let created = events
        .put_rule()
        .name("orders-created")
        .event_bus_name("partner-bus")
        .event_pattern(r#"{"source": ["partner.orders"]}"#)
        .send()
        .await
        .unwrap()
        .rule_arn
        .unwrap();
    let nightly = events
        .put_rule()
        .name("nightly")
        .schedule_expression("rate(1 day)")
        .send()
        .await
        .unwrap()
        .rule_arn
        .unwrap();
    let lambda = aws_sdk_lambda::Client::new(&a);
    for (function, rule) in [("orders-api", &created), ("orders-worker", &nightly)] {
        lambda
            .add_permission()
            .function_name(function)
            .statement_id("events")
            .action("lambda:InvokeFunction")
            .principal("events.amazonaws.com")
            .source_arn(rule.as_str())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{function}: {e:?}"));
    }

    let r = scan(&moto.endpoint()).await;
    let rules: Vec<&str> = r
        .inventory
        .event_rules
        .iter()
        .map(|x| x.arn.as_str())
        .collect();
    let mut expected = vec![nightly.as_str(), created.as_str()];
    expected.sort();
    assert_eq!(rules, expected);
    let rule = |arn: &str| {
        r.inventory
            .event_rules
            .iter()
            .find(|x| x.arn == arn)
            .unwrap()
    };
    assert_eq!(rule(&created).bus, bus);
    assert_eq!(
        rule(&created).pattern,
        Detail::collected(Some(r#"{"source": ["partner.orders"]}"#.to_string()))
    );
    let buses: Vec<&str> = r
        .inventory
        .event_buses
        .iter()
        .map(|x| x.arn.as_str())
        .collect();
    assert_eq!(
        buses,
        [
            format!("arn:aws:events:{REGION_A}:{ACCOUNT}:event-bus/default").as_str(),
            bus.as_str()
        ]
    );
    assert_eq!(calls(&r, "DescribeRule"), 2);
    assert_eq!(calls(&r, "DescribeEventBus"), 2);

    let snap = Snapshot::new(r.account, r.regions, r.coverage, r.inventory, r.scanned_at);
    let found: Vec<(&str, &str)> = snap
        .assessment
        .findings
        .iter()
        .filter(|f| f.rule == "lambda-source-cross-account")
        .map(|f| (f.resource.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, function_arn(REGION_A, "orders-api"));
    assert!(
        found[0].1.contains("444455556666")
            && found[0]
                .1
                .contains("event bus partner-bus -> EventBridge rule orders-created"),
        "{found:?}"
    );
    let report = |name: &str| {
        snap.assessment
            .functions
            .iter()
            .find(|f| f.arn == function_arn(REGION_A, name))
            .unwrap()
    };
    assert_eq!(
        sprawl::assess::injectable(&report("orders-api").entry_points),
        "accounts"
    );
    // Its queue (no policy) and its rule's default bus (no policy) admit no one else.
    assert_eq!(
        sprawl::assess::injectable(&report("orders-worker").entry_points),
        "no"
    );
}

/// Issue 28: the Kinesis stream and the DynamoDB table (through its stream) that mappings poll
/// are read once each (GetResourcePolicy): a stream whose policy lets another account put
/// records is a way into the function; a table without a policy admits no other account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_streams_and_tables_behind_mappings_are_read_and_judged() {
    let (moto, _) = support::fixture_account().await;
    let a = support::sdk_config(&moto.endpoint(), REGION_A).await;
    let kinesis = aws_sdk_kinesis::Client::new(&a);
    kinesis
        .create_stream()
        .stream_name("clicks")
        .shard_count(1)
        .send()
        .await
        .unwrap();
    let stream = format!("arn:aws:kinesis:{REGION_A}:{ACCOUNT}:stream/clicks");
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Partner",
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        "Action": ["kinesis:PutRecord", "kinesis:PutRecords"], "Resource": stream}]});
    kinesis
        .put_resource_policy()
        .resource_arn(&stream)
        .policy(policy.to_string())
        .send()
        .await
        .unwrap();
    let dynamodb = aws_sdk_dynamodb::Client::new(&a);
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
        StreamSpecification, StreamViewType,
    };
    let table = dynamodb
        .create_table()
        .table_name("orders")
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::NewImage)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .table_description
        .unwrap();
    let table_stream = table.latest_stream_arn.unwrap();
    let lambda = aws_sdk_lambda::Client::new(&a);
    for (function, source) in [
        ("orders-api", stream.as_str()),
        ("legacy-report", table_stream.as_str()),
    ] {
        lambda
            .create_event_source_mapping()
            .function_name(function)
            .event_source_arn(source)
            .starting_position(aws_sdk_lambda::types::EventSourcePosition::TrimHorizon)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{function}: {e:?}"));
    }

    let r = scan(&moto.endpoint()).await;
    let streams: Vec<&str> = r.inventory.streams.iter().map(|s| s.arn.as_str()).collect();
    let table_arn = table.table_arn.unwrap();
    assert_eq!(streams, [table_arn.as_str(), stream.as_str()]);
    let s = |arn: &str| r.inventory.streams.iter().find(|s| s.arn == arn).unwrap();
    assert_eq!(s(&table_arn).policy, Detail::collected(None));
    assert!(
        s(&stream).policy.value().unwrap().is_some(),
        "{:?}",
        s(&stream).policy
    );
    let read: u64 = r
        .coverage
        .entries
        .iter()
        .filter(|e| e.service == "kinesis" || e.service == "dynamodb")
        .map(|e| e.succeeded + e.failed)
        .sum();
    assert_eq!(read, 2);

    let snap = Snapshot::new(r.account, r.regions, r.coverage, r.inventory, r.scanned_at);
    let found: Vec<(&str, &str)> = snap
        .assessment
        .findings
        .iter()
        .filter(|f| f.rule == "lambda-source-cross-account")
        .map(|f| (f.resource.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, function_arn(REGION_A, "orders-api"));
    assert!(found[0].1.contains("Kinesis stream clicks"), "{found:?}");
}

/// Issue 28: the sources that push to functions and that only the functions' policies name are
/// read once each and judged: a user pool open to sign-up (anyone runs its trigger), one where
/// only administrators create users, an SES receipt rule (mail from anyone), an IoT topic rule
/// (publishers not judged: never "no one"), and a log group's subscription filter (the account's
/// own writers).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_pools_mail_rules_iot_rules_and_log_groups_are_read_and_judged() {
    let (moto, _) = support::fixture_account().await;
    let a = support::sdk_config(&moto.endpoint(), REGION_A).await;
    let lambda = aws_sdk_lambda::Client::new(&a);
    let role = role_arn("shared-exec");
    seed::function(&lambda, "access-log-tail", "python3.12", &role, &[]).await;
    // moto's SES checks a rule's function in its Docker-backed Lambda store, while the tests run
    // Lambda without Docker (another store): the function is made in both.
    moto.post("/moto-api/config", r#"{"lambda": {"use_docker": true}}"#);
    seed::function(&lambda, "support-inbox", "python3.12", &role, &[]).await;
    let fa = |name: &str| function_arn(REGION_A, name);

    use aws_sdk_cognitoidentityprovider::types::{AdminCreateUserConfigType, LambdaConfigType};
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(&a);
    let customers = cognito
        .create_user_pool()
        .pool_name("customers")
        .lambda_config(
            LambdaConfigType::builder()
                .pre_sign_up(fa("orders-api"))
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    let staff = cognito
        .create_user_pool()
        .pool_name("staff")
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .allow_admin_create_user_only(true)
                .build(),
        )
        .lambda_config(
            LambdaConfigType::builder()
                .post_authentication(fa("orders-worker"))
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    let (customers, staff) = (customers.arn.unwrap(), staff.arn.unwrap());

    use aws_sdk_ses::types::{LambdaAction, ReceiptAction, ReceiptRule};
    let ses = aws_sdk_ses::Client::new(&a);
    ses.create_receipt_rule_set()
        .rule_set_name("inbound")
        .send()
        .await
        .unwrap();
    ses.create_receipt_rule()
        .rule_set_name("inbound")
        .rule(
            ReceiptRule::builder()
                .name("support-mail")
                .enabled(true)
                .recipients("support@example.com")
                .actions(
                    ReceiptAction::builder()
                        .lambda_action(
                            LambdaAction::builder()
                                .function_arn(fa("support-inbox"))
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    ses.set_active_receipt_rule_set()
        .rule_set_name("inbound")
        .send()
        .await
        .unwrap();
    moto.post("/moto-api/config", r#"{"lambda": {"use_docker": false}}"#);
    seed::function(&lambda, "support-inbox", "python3.12", &role, &[]).await;

    use aws_sdk_iot::types::{Action, TopicRulePayload};
    let iot = aws_sdk_iot::Client::new(&a);
    iot.create_topic_rule()
        .rule_name("telemetry")
        .topic_rule_payload(
            TopicRulePayload::builder()
                .sql("SELECT * FROM 'devices/+/telemetry'")
                .actions(
                    Action::builder()
                        .lambda(
                            aws_sdk_iot::types::LambdaAction::builder()
                                .function_arn(fa("orders-worker"))
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let iot_rule = format!("arn:aws:iot:{REGION_A}:{ACCOUNT}:rule/telemetry");
    // The region's identity pools: one for signed-in users only, one for guests. moto does not
    // serve GetIdentityPoolRoles: the guests' role stays not read, and who publishes not judged.
    let identity = aws_sdk_cognitoidentity::Client::new(&a);
    for (name, guests) in [("staff-app", false), ("telemetry-app", true)] {
        identity
            .create_identity_pool()
            .identity_pool_name(name)
            .allow_unauthenticated_identities(guests)
            .send()
            .await
            .unwrap();
    }

    let logs = aws_sdk_cloudwatchlogs::Client::new(&a);
    let group = "/aws/apigateway/access";
    logs.create_log_group()
        .log_group_name(group)
        .send()
        .await
        .unwrap();
    let group_arn = format!("arn:aws:logs:{REGION_A}:{ACCOUNT}:log-group:{group}");

    for (function, principal, source, sid) in [
        (
            "orders-api",
            "cognito-idp.amazonaws.com",
            Some(customers.as_str()),
            "customers",
        ),
        (
            "orders-worker",
            "cognito-idp.amazonaws.com",
            Some(staff.as_str()),
            "staff",
        ),
        ("support-inbox", "ses.amazonaws.com", None, "mail"),
        (
            "orders-worker",
            "iot.amazonaws.com",
            Some(iot_rule.as_str()),
            "iot",
        ),
        (
            "access-log-tail",
            "logs.amazonaws.com",
            Some(&format!("{group_arn}:*")),
            "logs",
        ),
    ] {
        lambda
            .add_permission()
            .function_name(function)
            .statement_id(sid)
            .action("lambda:InvokeFunction")
            .principal(principal)
            .set_source_arn(source.map(str::to_string))
            .source_account(ACCOUNT)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{function} {principal}: {e:?}"));
    }
    // After the permission: Logs asks Lambda whether it may deliver.
    logs.put_subscription_filter()
        .log_group_name(group)
        .filter_name("errors")
        .filter_pattern("ERROR")
        .destination_arn(fa("access-log-tail"))
        .send()
        .await
        .unwrap();

    let r = scan(&moto.endpoint()).await;
    let inv = &r.inventory;
    let pools: Vec<(&str, &Detail<bool>)> = inv
        .user_pools
        .iter()
        .map(|p| (p.name.as_deref().unwrap_or_default(), &p.self_sign_up))
        .collect();
    let (open, admins_only) = (Detail::collected(true), Detail::collected(false));
    let mut expected = vec![("customers", &open), ("staff", &admins_only)];
    // Sorted by ARN, whose id moto draws at random.
    expected.sort_by_key(|(name, _)| {
        if *name == "customers" {
            &customers
        } else {
            &staff
        }
    });
    assert_eq!(pools, expected, "{:?}", inv.user_pools);
    let customers_pool = inv.user_pools.iter().find(|p| p.arn == customers).unwrap();
    let events: Vec<(&str, &str)> = customers_pool
        .lambda_triggers
        .value()
        .unwrap()
        .iter()
        .map(|t| (t.event.as_str(), t.function.as_str()))
        .collect();
    assert_eq!(events, [("PreSignUp", fa("orders-api").as_str())]);
    let mail: Vec<(&str, &[String], bool)> = inv
        .mail_rules
        .iter()
        .map(|m| {
            (
                m.arn.as_str(),
                m.triggers.as_slice(),
                m.enabled == Detail::collected(true),
            )
        })
        .collect();
    let mail_arn = format!(
        "arn:aws:ses:{REGION_A}:{ACCOUNT}:receipt-rule-set/inbound:receipt-rule/support-mail"
    );
    assert_eq!(
        mail,
        [(mail_arn.as_str(), &[fa("support-inbox")][..], true)]
    );
    assert_eq!(inv.mail_rules[0].recipients, ["support@example.com"]);
    let rule = &inv.iot_rules[..];
    assert_eq!(rule.len(), 1, "{rule:?}");
    assert_eq!(rule[0].arn, iot_rule);
    assert_eq!(
        rule[0].sql,
        Detail::collected(Some("SELECT * FROM 'devices/+/telemetry'".to_string()))
    );
    assert_eq!(
        rule[0].functions,
        Detail::collected(vec![fa("orders-worker")])
    );
    let groups = &inv.log_subscriptions[..];
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0].arn, group_arn);
    let filters = groups[0].filters.value().unwrap();
    assert_eq!(
        (filters[0].pattern.as_str(), filters[0].destination.as_str()),
        ("ERROR", fa("access-log-tail").as_str())
    );
    // Every region with functions has its identity pools listed; REGION_A's are the two.
    let regions: Vec<&str> = inv
        .identity_pools
        .iter()
        .map(|p| p.region.as_str())
        .collect();
    assert_eq!(regions, r.regions, "{:?}", inv.identity_pools);
    let identity = inv
        .identity_pools
        .iter()
        .find(|p| p.region == REGION_A)
        .unwrap();
    let mut guests: Vec<(&str, &Detail<bool>)> = identity
        .pools
        .value()
        .unwrap()
        .iter()
        .map(|p| (p.name.as_str(), &p.unauthenticated))
        .collect();
    guests.sort_by_key(|(name, _)| *name);
    assert_eq!(
        guests,
        [("staff-app", &admins_only), ("telemetry-app", &open)]
    );
    let guest_app = identity.pools.value().unwrap().iter();
    let guest_app = guest_app
        .clone()
        .find(|p| p.name == "telemetry-app")
        .unwrap();
    assert!(
        !guest_app.unauthenticated_role.is_collected(),
        "{guest_app:?}"
    );
    assert!(
        r.coverage
            .gaps()
            .any(|e| e.operation == "GetIdentityPoolRoles" && e.service == "cognito-identity"),
        "{:?}",
        r.coverage
    );
    for (op, n) in [
        ("DescribeUserPool", 2),
        ("DescribeActiveReceiptRuleSet", 1),
        ("GetTopicRule", 1),
        ("ListIdentityPools", r.regions.len() as u64),
        ("DescribeIdentityPool", 2),
        ("GetIdentityPoolRoles", 1),
        ("DescribeSubscriptionFilters", 1),
    ] {
        assert_eq!(calls(&r, op), n, "{op}");
    }

    let snap = Snapshot::new(r.account, r.regions, r.coverage, r.inventory, r.scanned_at);
    let report = |name: &str| {
        snap.assessment
            .functions
            .iter()
            .find(|f| f.arn == fa(name))
            .unwrap()
    };
    let injectable = |name: &str| sprawl::assess::injectable(&report(name).entry_points);
    // Anyone signs up to the customers' pool, and anyone mails support.
    assert_eq!(injectable("orders-api"), "anyone");
    assert_eq!(injectable("support-inbox"), "anyone");
    // The staff pool admits no one new, but who publishes to the IoT rule is not judged.
    assert_eq!(injectable("orders-worker"), "unjudged");
    assert_eq!(injectable("access-log-tail"), "no");
    let public: std::collections::BTreeMap<&str, &str> = snap
        .assessment
        .findings
        .iter()
        .filter(|f| f.rule == "lambda-source-public")
        .map(|f| (f.resource.as_str(), f.message.as_str()))
        .collect();
    let (api, report_fn) = (fa("orders-api"), fa("support-inbox"));
    assert_eq!(
        public.keys().copied().collect::<Vec<_>>(),
        [api.as_str(), report_fn.as_str()],
        "{public:?}"
    );
    assert!(public[api.as_str()].contains("user pool"), "{public:?}");
    assert!(
        public[report_fn.as_str()].contains("receipt rule support-mail"),
        "{public:?}"
    );
    // Why the IoT rule's publishers are not judged: the guests' role could not be read.
    let why = snap
        .assessment
        .not_assessed
        .iter()
        .find(|n| n.rule == "lambda-source-public" && n.resource == fa("orders-worker"))
        .map(|n| n.reason.as_str());
    assert!(
        why.is_some_and(|w| w.contains("identity pool telemetry-app (")
            && w.contains("its unauthenticated role not read")),
        "{why:?}"
    );
}

/// Issue 28: a rule whose target is a queue a function polls (the queue's policy lets the rule
/// send) is read though no function's policy names it, and the bus's writers flow through the
/// rule and the queue: bus -> rule -> queue -> function.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_that_targets_a_polled_queue_passes_its_bus_s_writers_on() {
    let (moto, _) = support::fixture_account().await;
    let a = support::sdk_config(&moto.endpoint(), REGION_A).await;
    let events = aws_sdk_eventbridge::Client::new(&a);
    events
        .create_event_bus()
        .name("partner-bus")
        .send()
        .await
        .unwrap();
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Partner",
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        "Action": "events:PutEvents",
        "Resource": format!("arn:aws:events:{REGION_A}:{ACCOUNT}:event-bus/partner-bus")}]});
    events
        .put_permission()
        .event_bus_name("partner-bus")
        .policy(policy.to_string())
        .send()
        .await
        .unwrap();
    let rule = events
        .put_rule()
        .name("orders-to-queue")
        .event_bus_name("partner-bus")
        .event_pattern(r#"{"source": ["partner.orders"]}"#)
        .send()
        .await
        .unwrap()
        .rule_arn
        .unwrap();
    // The fixture's orders-queue, which orders-worker polls: the rule may send to it.
    let queue = format!("arn:aws:sqs:{REGION_A}:{ACCOUNT}:orders-queue");
    events
        .put_targets()
        .rule("orders-to-queue")
        .event_bus_name("partner-bus")
        .targets(
            aws_sdk_eventbridge::types::Target::builder()
                .id("queue")
                .arn(&queue)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let sqs = aws_sdk_sqs::Client::new(&a);
    let url = sqs
        .get_queue_url()
        .queue_name("orders-queue")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Sid": "FromRule",
        "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": queue,
        "Condition": {"ArnEquals": {"aws:SourceArn": rule}}}]});
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::Policy,
            policy.to_string(),
        )
        .send()
        .await
        .unwrap();

    let r = scan(&moto.endpoint()).await;
    assert_eq!(
        r.inventory.event_rules.len(),
        1,
        "{:?}",
        r.inventory.event_rules
    );
    let read = &r.inventory.event_rules[0];
    assert_eq!(read.arn, rule);
    assert!(read.triggers.is_empty());
    assert_eq!(read.feeds, [queue.as_str()]);
    assert_eq!(calls(&r, "DescribeRule"), 1);

    let snap = Snapshot::new(r.account, r.regions, r.coverage, r.inventory, r.scanned_at);
    let found: Vec<&str> = snap
        .assessment
        .findings
        .iter()
        .filter(|f| f.rule == "lambda-source-cross-account")
        .filter(|f| f.resource == function_arn(REGION_A, "orders-worker"))
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("444455556666")
            && found[0].contains(
                "event bus partner-bus -> EventBridge rule orders-to-queue -> SQS queue orders-queue"
            ),
        "{found:?}"
    );
}

/// Issue 28: a push permission with neither `aws:SourceArn` nor `aws:SourceAccount` (any
/// bucket, of any account, may then invoke the function: S3's ARNs name no account) is found
/// from what the emulator answers, and the same permission scoped to a bucket and the account
/// is not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_permission_with_no_source_is_found() {
    let (moto, _) = support::fixture_account().await;
    let a = support::sdk_config(&moto.endpoint(), REGION_A).await;
    let lambda = aws_sdk_lambda::Client::new(&a);
    let role = role_arn("shared-exec");
    for name in ["thumbnail-any-bucket", "thumbnail-own-bucket"] {
        seed::function(&lambda, name, "python3.12", &role, &[]).await;
    }
    lambda
        .add_permission()
        .function_name("thumbnail-any-bucket")
        .statement_id("s3")
        .action("lambda:InvokeFunction")
        .principal("s3.amazonaws.com")
        .send()
        .await
        .unwrap();
    lambda
        .add_permission()
        .function_name("thumbnail-own-bucket")
        .statement_id("s3")
        .action("lambda:InvokeFunction")
        .principal("s3.amazonaws.com")
        .source_arn("arn:aws:s3:::photos-uploads")
        .source_account(ACCOUNT)
        .send()
        .await
        .unwrap();
    let r = scan(&moto.endpoint()).await;
    let snap = Snapshot::new(r.account, r.regions, r.coverage, r.inventory, r.scanned_at);
    let unscoped: Vec<&str> = snap
        .assessment
        .findings
        .iter()
        .filter(|f| f.rule == "lambda-policy-service-unscoped")
        .map(|f| f.resource.as_str())
        .collect();
    let any = function_arn(REGION_A, "thumbnail-any-bucket");
    assert!(unscoped.contains(&any.as_str()), "{unscoped:?}");
    let own = function_arn(REGION_A, "thumbnail-own-bucket");
    assert!(!unscoped.contains(&own.as_str()), "{unscoped:?}");
}

/// Issue 29: `scan --code` against moto: the real SDK's GetFunction gives each function's package
/// location on Lambda's S3 host (moto serves no bytes, so a loopback server does, at the same
/// path), the package is checked against moto's CodeSha256 and read; moto's GetLayerVersion gives
/// a stub location (`s3://`), which is refused and said, never clean.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_code_reads_the_packages_moto_names() {
    use support::packages::{Answer, PackageServer, code_sha256, zip_of};
    let moto = Moto::start();
    let a = support::sdk_config(&moto.endpoint(), REGION_A).await;
    let iam = aws_sdk_iam::Client::new(&a);
    seed::role(&iam, "exec", seed::LAMBDA_TRUST, None).await;
    let lambda = aws_sdk_lambda::Client::new(&a);
    moto.post("/moto-api/config", r#"{"lambda": {"use_docker": false}}"#);
    let package = zip_of(&[
        (
            "requests-2.31.0.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n",
        ),
        (
            "index.py",
            b"TOKEN = 'ghp_0123456789abcdefghijABCDEFGHIJ012345'\n",
        ),
    ]);
    let layer = zip_of(&[("python/helpers.py", b"def help(): pass\n")]);
    let published = lambda
        .publish_layer_version()
        .layer_name("helpers")
        .content(
            aws_sdk_lambda::types::LayerVersionContentInput::builder()
                .zip_file(aws_smithy_types::Blob::new(layer))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let layer_arn = published.layer_version_arn().unwrap().to_string();
    for name in ["orders-api", "orders-copy"] {
        lambda
            .create_function()
            .function_name(name)
            .runtime(aws_sdk_lambda::types::Runtime::Python312)
            .role(role_arn("exec"))
            .handler("index.handler")
            .code(
                aws_sdk_lambda::types::FunctionCode::builder()
                    .zip_file(aws_smithy_types::Blob::new(package.clone()))
                    .build(),
            )
            .layers(&layer_arn)
            .send()
            .await
            .unwrap();
    }
    let server = PackageServer::start().await;
    server.serve("/orders-api-", Answer::Bytes(package.clone()));
    server.serve("/orders-copy-", Answer::Bytes(package.clone()));

    let config = support::sdk_config(&moto.endpoint(), REGION_A).await;
    let mut opts = options();
    opts.regions = Regions::Listed(vec![REGION_A.into()]);
    opts.code = Some(collect::code::CodeOptions {
        loopback_origin: Some(server.origin.clone()),
        ..Default::default()
    });
    let r = collect::scan(Arc::new(SdkClients::new(config)), opts, None)
        .await
        .expect("scan");
    let sha = code_sha256(&package);
    for name in ["orders-api", "orders-copy"] {
        let f = function(&r, REGION_A, name);
        assert_eq!(
            f.code_sha256.as_deref(),
            Some(sha.as_str()),
            "moto's CodeSha256"
        );
        assert_eq!(f.code, Detail::collected(sha.clone()), "{name}");
    }
    // One package, read once.
    assert_eq!(
        server.asked().len(),
        1,
        "{:?} {:?}",
        server.asked(),
        r.coverage
            .entries
            .iter()
            .filter(|e| e.operation == "GetFunction")
            .collect::<Vec<_>>()
    );
    let audit = &r.inventory.code[&sha];
    let purls: Vec<&str> = audit.packages.iter().map(|p| p.purl.as_str()).collect();
    assert_eq!(purls, ["pkg:pypi/requests@2.31.0"]);
    let rules: Vec<&str> = audit.secrets.iter().map(|s| s.rule.as_str()).collect();
    assert_eq!(rules, ["github-token"]);
    let [layer] = &r.inventory.layer_code[..] else {
        panic!("{:?}", r.inventory.layer_code)
    };
    assert_eq!(layer.arn, layer_arn);
    let why = layer.code.require("code").unwrap_err();
    assert!(
        why.contains("not an HTTPS address on S3's own hosts"),
        "{why}"
    );
    assert_eq!(calls(&r, "GetLayerVersion"), 1);
}
