//! Inventories built in code: a "clean" account on which no rule fires (each rule test breaks one
//! thing), and a synthetic estate of any size for the assessment benchmark.

use std::collections::BTreeMap;

use serde_json::json;
use sprawl_model::*;
use sprawl_redact::{FingerprintKey, redact};

pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "eu-west-1";
/// The assessment's "now" in these tests.
pub const NOW: &str = "2026-11-23T12:00:00Z";

pub fn now() -> chrono::DateTime<chrono::Utc> {
    NOW.parse().unwrap()
}

pub fn function_arn(name: &str) -> String {
    format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}")
}

pub fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

pub fn secret_arn(name: &str) -> String {
    format!("arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-AbCdEf")
}

pub fn var(name: &str, value: &str) -> Variable {
    Variable {
        name: name.into(),
        value: redact(&FingerprintKey::from_bytes([0; 32]), name, value),
    }
}

fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub const LAMBDA_TRUST: &str = "lambda.amazonaws.com";

/// A least-privilege role: logs for itself, one table, one secret.
pub fn clean_role(name: &str) -> Role {
    Role {
        arn: role_arn(name),
        name: name.into(),
        path: "/".into(),
        created: Some("2026-01-01T00:00:00Z".into()),
        trust_policy: Some(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": LAMBDA_TRUST}, "Action": "sts:AssumeRole"}]}).into()),
        inline_policies: vec![InlinePolicy {
            name: "least-privilege".into(),
            document: json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                 "Resource": format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{name}:*")},
                {"Sid": "Table", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                 "Resource": format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}")},
                {"Sid": "Secret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                 "Resource": secret_arn("app/db")}
            ]}).into(),
        }],
        attached_policies: vec![ManagedPolicy {
            arn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole".into(),
            name: "AWSLambdaBasicExecutionRole".into(),
            document: Some(json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]}).into()),
        }],
        permissions_boundary: None,
        last_used: Some(RoleLastUsed {
            date: Some("2026-11-22T00:00:00Z".into()),
            region: Some(REGION.into()),
        }),
        tags: tags(&[("team", "orders")]),
        gaps: Vec::new(),
        access_advisor: sprawl_model::Detail::skipped(sprawl_model::NO_ACCESS_ADVISOR),
    }
}

/// A well-kept function: owned, traced, capped, signed, in two subnets, on a current runtime.
pub fn clean_function(name: &str, role: &str) -> Function {
    Function {
        arn: function_arn(name),
        name: name.into(),
        region: REGION.into(),
        runtime: Some("python3.13".into()),
        package_type: "Zip".into(),
        architectures: vec!["arm64".into()],
        handler: Some("app.handler".into()),
        role_arn: role_arn(role),
        timeout_seconds: 30,
        memory_mb: 256,
        ephemeral_storage_mb: Some(512),
        code_size_bytes: 1024,
        code_sha256: Some(format!("{name}-sha256")),
        last_modified: Some("2026-11-01T00:00:00.000+0000".into()),
        environment: vec![var("SECRET_ARN", &secret_arn("app/db"))],
        kms_key_arn: Some(format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd")),
        tracing_mode: Some("Active".into()),
        dead_letter_target_arn: None,
        vpc: Some(VpcConfig {
            vpc_id: Some("vpc-1".into()),
            subnet_ids: vec!["subnet-a".into(), "subnet-b".into()],
            security_group_ids: vec!["sg-1".into()],
        }),
        layers: vec![format!("arn:aws:lambda:{REGION}:{ACCOUNT}:layer:shared:3")],
        log_group: Some(format!("/aws/lambda/{name}")),
        versions: Vec::new(),
        tags: Detail::collected(tags(&[("owner", "team-orders"), ("app", "orders")])),
        reserved_concurrency: Detail::collected(Some(10)),
        policy: Detail::collected(None),
        url: Detail::collected(None),
        async_invoke: Detail::collected(None),
        code_signing_config: Detail::collected(Some(format!(
            "arn:aws:lambda:{REGION}:{ACCOUNT}:code-signing-config:csc-1"
        ))),
        aliases: Detail::collected(Vec::new()),
        logs: Detail::collected(Some(LogGroup {
            name: format!("/aws/lambda/{name}"),
            retention_days: Some(30),
            kms_key_id: Some(format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/logs")),
            stored_bytes: Some(1 << 20),
        })),
        alarms: Detail::collected(vec![Alarm {
            name: format!("{name}-errors"),
            metric: "Errors".into(),
            state: Some("OK".into()),
            notifies: true,
        }]),
        activity: Detail::collected(steady_activity(200.0, 0.0, 0.0, 400.0)),
        provisioned_concurrency: Detail::collected(Vec::new()),
        code: Detail::skipped(sprawl_model::code::NO_CODE),
    }
}

/// 90 days of metrics ending the day before [`NOW`]: `calls` invocations a day, `errors` and
/// `throttles` of them a day, runs of up to `max_ms`.
pub fn steady_activity(calls: f64, errors: f64, throttles: f64, max_ms: f64) -> Activity {
    let days = 90u16;
    let every = |v: f64| (0..days).map(|d| (d, v)).collect::<Series>();
    Activity {
        start: "2026-08-25".into(),
        days,
        invocations: every(calls),
        errors: every(errors),
        throttles: every(throttles),
        duration_sum_ms: every(calls * max_ms / 2.0),
        duration_max_ms: every(max_ms),
        duration_p99_ms: Detail::collected(every(max_ms * 0.8)),
        concurrency_max: every(2.0),
    }
}

/// 90 days of metrics as a `--metrics` scan leaves them for function number `i` of a large
/// estate, the same on every machine: a fifth idle (no datapoint at all), two fifths called
/// now and then (a few calls on some days, gaps between), two fifths busy every day (hundreds
/// to tens of thousands of calls, a weekly rhythm, a bad day of errors now and then). Counts
/// are whole numbers, durations have CloudWatch's two decimals, and a day without calls has no
/// datapoint.
#[allow(dead_code)] // the benchmarks' estate
pub fn daily_activity(i: usize) -> Activity {
    let days = 90u16;
    // A cheap, fixed hash of the function and the day.
    let h = |d: u16| {
        let mut x = (i as u64) << 16 | u64::from(d);
        x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        x ^ (x >> 29)
    };
    let mut points: [Vec<(u16, f64)>; 7] = Default::default();
    let kind = i % 5;
    for d in 0..days {
        let calls = match kind {
            0 => continue,
            1 | 2 => match h(d) % 7 {
                0 | 1 => (1 + h(d) % 40) as f64,
                _ => continue,
            },
            _ => {
                let base = 200.0 * (1 + i % 97) as f64;
                let weekend = if d % 7 >= 5 { 0.35 } else { 1.0 };
                (base * weekend * (0.7 + (h(d) % 60) as f64 / 100.0)).round()
            }
        };
        let avg_ms = 40.0 + (i % 13) as f64 * 35.0 + (h(d) % 900) as f64 / 100.0;
        let cents = |v: f64| (v * 100.0).round() / 100.0;
        let errors = if h(d) % 23 == 0 {
            (calls * 0.2).floor()
        } else {
            0.0
        };
        let day = [
            calls,
            errors,
            0.0,
            cents(calls * avg_ms),
            cents(avg_ms * 3.1),
            cents(avg_ms * 2.4),
            (calls / 5_000.0).ceil().max(1.0),
        ];
        for (series, v) in points.iter_mut().zip(day) {
            series.push((d, v));
        }
    }
    Activity::of_series("2026-08-25".into(), days, points.map(Series::from))
}

fn method(verb: &str, auth: &str, target: Option<&str>) -> RestMethod {
    RestMethod {
        http_method: verb.into(),
        authorization_type: Some(auth.into()),
        authorizer_id: (auth == "CUSTOM").then(|| "auth1".into()),
        api_key_required: false,
        integration: target.map(|t| Integration {
            id: None,
            integration_type: Some("AWS_PROXY".into()),
            uri: Some(format!(
                "arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{t}/invocations"
            )),
            lambda_arn: Some(t.into()),
            payload_format_version: None,
        }),
    }
}

pub fn clean_stage() -> RestStage {
    RestStage {
        name: "prod".into(),
        deployment_id: Some("d1".into()),
        method_settings: BTreeMap::from([(
            "*/*".to_string(),
            MethodSetting {
                logging_level: Some("ERROR".into()),
                data_trace_enabled: false,
                metrics_enabled: true,
                throttling_burst_limit: Some(100),
                throttling_rate_limit: Some(50.0),
                caching_enabled: false,
                cache_data_encrypted: false,
                require_authorization_for_cache_control: true,
            },
        )]),
        access_log: Some(AccessLog {
            destination_arn: Some(format!(
                "arn:aws:logs:{REGION}:{ACCOUNT}:log-group:api-access"
            )),
            format: Some("$context.requestId".into()),
        }),
        tracing_enabled: true,
        web_acl_arn: Some(format!(
            "arn:aws:wafv2:{REGION}:{ACCOUNT}:regional/webacl/api/1"
        )),
        client_certificate_id: Some("cert1".into()),
        cache_cluster_enabled: false,
        cache_cluster_size: None,
        variables: vec![var("TABLE", "orders")],
    }
}

/// A private REST API with a Lambda authorizer in front of the function.
pub fn clean_rest_api(function: &str) -> RestApi {
    RestApi {
        id: "rest1".into(),
        arn: format!("arn:aws:apigateway:{REGION}::/restapis/rest1"),
        name: "orders".into(),
        region: REGION.into(),
        endpoint_types: vec!["PRIVATE".into()],
        policy: None,
        api_key_source: None,
        disable_execute_api_endpoint: false,
        tags: tags(&[("owner", "team-orders")]),
        stages: Detail::collected(vec![clean_stage()]),
        resources: Detail::collected(vec![RestResource {
            id: "r1".into(),
            path: "/orders".into(),
            methods: vec![
                method("GET", "CUSTOM", Some(&function_arn(function))),
                method("OPTIONS", "NONE", None),
            ],
        }]),
        authorizers: Detail::collected(vec![Authorizer {
            id: "auth1".into(),
            name: Some("jwt".into()),
            authorizer_type: Some("COGNITO_USER_POOLS".into()),
            lambda_arn: None,
            identity_source: vec!["method.request.header.Authorization".into()],
            jwt_issuer: None,
            jwt_audience: Vec::new(),
        }]),
    }
}

pub fn clean_http_stage() -> HttpStage {
    HttpStage {
        name: "$default".into(),
        auto_deploy: true,
        access_log: Some(AccessLog {
            destination_arn: Some(format!(
                "arn:aws:logs:{REGION}:{ACCOUNT}:log-group:http-access"
            )),
            format: Some("$context.requestId".into()),
        }),
        default_route_throttling_burst_limit: Some(100),
        default_route_throttling_rate_limit: Some(50.0),
        default_route_detailed_metrics: true,
        default_route_logging_level: None,
        default_route_data_trace_enabled: false,
        variables: Vec::new(),
    }
}

/// An HTTP API whose only route needs a JWT.
pub fn clean_http_api(function: &str) -> HttpApi {
    HttpApi {
        id: "http1".into(),
        arn: format!("arn:aws:apigateway:{REGION}::/apis/http1"),
        name: "edge".into(),
        region: REGION.into(),
        protocol_type: "HTTP".into(),
        endpoint: Some("https://http1.execute-api.eu-west-1.amazonaws.com".into()),
        cors: None,
        disable_execute_api_endpoint: false,
        tags: tags(&[("owner", "team-edge")]),
        routes: Detail::collected(vec![Route {
            id: "rt1".into(),
            route_key: "GET /hello".into(),
            authorization_type: Some("JWT".into()),
            authorizer_id: Some("jwt1".into()),
            api_key_required: false,
            integration_id: Some("int1".into()),
        }]),
        integrations: Detail::collected(vec![Integration {
            id: Some("int1".into()),
            integration_type: Some("AWS_PROXY".into()),
            uri: Some(function_arn(function)),
            lambda_arn: Some(function_arn(function)),
            payload_format_version: Some("2.0".into()),
        }]),
        stages: Detail::collected(vec![clean_http_stage()]),
        authorizers: Detail::collected(vec![Authorizer {
            id: "jwt1".into(),
            name: Some("cognito".into()),
            authorizer_type: Some("JWT".into()),
            lambda_arn: None,
            identity_source: vec!["$request.header.Authorization".into()],
            jwt_issuer: Some("https://cognito-idp.eu-west-1.amazonaws.com/pool".into()),
            jwt_audience: vec!["client".into()],
        }]),
    }
}

/// A rotated, used, tagged secret under a customer key.
pub fn clean_secret(name: &str) -> Secret {
    Secret {
        arn: secret_arn(name),
        name: name.into(),
        region: REGION.into(),
        kms_key_id: Some(format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/5678")),
        rotation_enabled: true,
        rotation_lambda_arn: Some(function_arn("rotator")),
        rotation_every_days: Some(30),
        rotation_schedule: None,
        last_rotated: Some("2026-11-10T00:00:00Z".into()),
        last_changed: Some("2026-11-10T00:00:00Z".into()),
        last_accessed: Some("2026-11-22T00:00:00Z".into()),
        created: Some("2025-01-01T00:00:00Z".into()),
        owning_service: None,
        tags: tags(&[("owner", "team-orders")]),
        policy: Detail::collected(None),
    }
}

/// One of everything, all well configured: no rule fires on it.
pub fn clean() -> Inventory {
    let mut api = clean_function("api", "api-role");
    api.environment.push(var("USE_SSL", "true"));
    let mut inv = Inventory {
        functions: vec![api, clean_function("rotator", "rotator-role")],
        event_source_mappings: Vec::new(),
        roles: vec![clean_role("api-role"), clean_role("rotator-role")],
        rest_apis: vec![clean_rest_api("api")],
        http_apis: vec![clean_http_api("api")],
        secrets: vec![clean_secret("app/db")],
        layers: vec![LayerVersion {
            arn: format!("arn:aws:lambda:{REGION}:{ACCOUNT}:layer:shared:3"),
            region: REGION.into(),
            policy: Detail::collected(None),
        }],
        topics: Vec::new(),
        buckets: Vec::new(),
        queues: Vec::new(),
        event_rules: Vec::new(),
        event_buses: Vec::new(),
        streams: Vec::new(),
        user_pools: Vec::new(),
        mail_rules: Vec::new(),
        iot_rules: Vec::new(),
        identity_pools: Vec::new(),
        log_subscriptions: Vec::new(),
        layer_code: Vec::new(),
        code: Default::default(),
        advisories: None,
    };
    inv.sort();
    inv
}

/// A synthetic estate for the benchmark: `n` functions, each with its own role, a tenth of them
/// sharing team roles and some broad grants, a secret per 20 functions, an API per 50.
#[allow(dead_code)] // the benchmarks' estate
pub fn synthetic(n: usize) -> Inventory {
    let mut inv = Inventory::default();
    let runtimes = [
        "python3.13",
        "python3.9",
        "nodejs20.x",
        "nodejs22.x",
        "java21",
        "python3.7",
    ];
    for i in 0..n {
        let name = format!("fn-{i:05}");
        let role = format!("role-{i:05}");
        let mut f = clean_function(&name, &role);
        // As a default scan leaves it (no --metrics): the benchmarks' figures stay comparable.
        f.activity = Detail::skipped("metrics not read");
        f.runtime = Some(runtimes[i % runtimes.len()].into());
        if i % 7 == 0 {
            f.environment
                .push(var("DB_PASSWORD", &format!("pw-{i}-Xy9!qq")));
        }
        if i % 11 == 0 {
            f.url = Detail::collected(Some(FunctionUrl {
                url: format!("https://{name}.lambda-url.eu-west-1.on.aws/"),
                auth_type: "NONE".into(),
                invoke_mode: None,
                cors: None,
            }));
            f.policy = Detail::collected(Some(json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "url", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunctionUrl", "Resource": f.arn,
                 "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}},
                {"Sid": "invoke", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction", "Resource": f.arn,
                 "Condition": {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}}]}).into()));
        }
        let mut r = clean_role(&role);
        match i % 10 {
            0 => r.inline_policies.push(InlinePolicy {
                name: "deploy".into(),
                document: json!({"Statement": [{"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}]}).into(),
            }),
            1 => r.inline_policies.push(InlinePolicy {
                name: "data".into(),
                document: json!({"Statement": [{"Effect": "Allow", "Action": ["s3:*", "secretsmanager:GetSecretValue"], "Resource": "*"}]}).into(),
            }),
            2 => r.attached_policies.push(ManagedPolicy {
                arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
                name: "AdministratorAccess".into(),
                document: Some(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}).into()),
            }),
            _ => {}
        }
        if i % 20 == 0 {
            inv.secrets
                .push(clean_secret(&format!("app/secret-{i:05}")));
        }
        if i % 50 == 0 {
            let mut api = clean_http_api(&name);
            api.id = format!("http{i}");
            api.arn = format!("arn:aws:apigateway:{REGION}::/apis/http{i}");
            inv.http_apis.push(api);
        }
        inv.functions.push(f);
        inv.roles.push(r);
    }
    inv.sort();
    inv
}
