//! Small builders for the demo account's resources.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{ACCOUNT, Rng};
use crate::model::*;
use sprawl_redact::{FingerprintKey, redact};

pub fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A variable as a scan would store it: classified and redacted by the collector's own code.
pub fn var(name: &str, value: &str) -> Variable {
    Variable {
        name: name.into(),
        value: redact(&FingerprintKey::DEMO, name, value),
    }
}

pub fn function(name: &str, region: &str, role: &str, runtime: &str) -> Function {
    Function {
        arn: format!("arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"),
        name: name.into(),
        region: region.into(),
        runtime: Some(runtime.into()),
        package_type: "Zip".into(),
        architectures: vec!["x86_64".into()],
        handler: Some("index.handler".into()),
        role_arn: format!("arn:aws:iam::{ACCOUNT}:role/{role}"),
        timeout_seconds: 30,
        memory_mb: 256,
        ephemeral_storage_mb: Some(512),
        code_size_bytes: 48_213,
        code_sha256: None,
        last_modified: None,
        environment: Vec::new(),
        kms_key_arn: None,
        tracing_mode: Some("PassThrough".into()),
        dead_letter_target_arn: None,
        vpc: None,
        layers: Vec::new(),
        log_group: Some(format!("/aws/lambda/{name}")),
        versions: Vec::new(),
        tags: Detail::collected(Tags::new()),
        reserved_concurrency: Detail::collected(None),
        policy: Detail::collected(None),
        url: Detail::collected(None),
        async_invoke: Detail::skipped("no asynchronous invoker in the resource policy"),
        code_signing_config: Detail::collected(None),
        aliases: Detail::collected(Vec::new()),
        // Given by `activity::observe` once the estate is built.
        logs: Detail::collected(None),
        alarms: Detail::collected(Vec::new()),
        activity: Detail::skipped(crate::collect::NO_METRICS),
        provisioned_concurrency: Detail::collected(Vec::new()),
        code: Detail::skipped(crate::collect::NO_CODE),
    }
}

pub fn environment(rng: &mut Rng, team: &str, noun: &str) -> Vec<Variable> {
    let mut vars = vec![
        var("LOG_LEVEL", "INFO"),
        var("TABLE_NAME", &format!("{team}-{noun}")),
    ];
    if rng.chance(30) {
        vars.push(var(
            "SECRET_ARN",
            &format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:{team}/db-AbC123"),
        ));
    }
    if rng.chance(20) {
        vars.push(var("POWERTOOLS_SERVICE_NAME", noun));
    }
    match rng.below(40) {
        0..=2 => vars.push(var(
            "DB_PASSWORD",
            &format!("{noun}-Pr0d-{}", rng.below(9999)),
        )),
        3 => vars.push(var(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYDEMOKEY0001",
        )),
        4 => vars.push(var(
            "SLACK_WEBHOOK_URL",
            "https://hooks.slack.com/services/T0DEMO000/B0DEMO000/demoDemoDemoDemoDemo0000",
        )),
        5 => vars.push(var(
            "DATABASE_URL",
            &format!(
                "postgres://{team}:s3cret-{}@db.internal:5432/{team}",
                rng.below(99)
            ),
        )),
        _ => {}
    }
    vars.sort_by(|a, b| a.name.cmp(&b.name));
    vars
}

pub fn vpc(two_subnets: bool) -> VpcConfig {
    VpcConfig {
        vpc_id: Some("vpc-0demo".into()),
        subnet_ids: if two_subnets {
            vec!["subnet-0a".into(), "subnet-0b".into()]
        } else {
            vec!["subnet-0a".into()]
        },
        security_group_ids: vec!["sg-0demo".into()],
    }
}

const LAMBDA_TRUST: &str = "lambda.amazonaws.com";

pub fn inline(name: &str, document: Value) -> InlinePolicy {
    InlinePolicy {
        name: name.into(),
        document: document.into(),
    }
}

fn basic_execution() -> ManagedPolicy {
    ManagedPolicy {
        arn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole".into(),
        name: "AWSLambdaBasicExecutionRole".into(),
        document: Some(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]})
            .into(),
        ),
    }
}

pub fn administrator_access() -> ManagedPolicy {
    ManagedPolicy {
        arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
        name: "AdministratorAccess".into(),
        document: Some(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
            .into(),
        ),
    }
}

pub fn role(name: &str, team: Option<&str>) -> Role {
    Role {
        arn: format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
        name: name.into(),
        path: "/".into(),
        created: Some("2024-03-01T10:00:00Z".into()),
        trust_policy: Some(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": LAMBDA_TRUST}, "Action": "sts:AssumeRole"}]})
            .into(),
        ),
        inline_policies: Vec::new(),
        attached_policies: vec![basic_execution()],
        permissions_boundary: None,
        last_used: Some(RoleLastUsed {
            date: Some("2026-11-19T22:10:00Z".into()),
            region: Some("us-east-1".into()),
        }),
        tags: team.map(|t| tags(&[("team", t)])).unwrap_or_default(),
        gaps: Vec::new(),
        access_advisor: sprawl_model::Detail::skipped(sprawl_model::NO_ACCESS_ADVISOR),
    }
}

/// A function's own role: least privilege on its table.
pub fn own_role(function: &str, name: &str, team: Option<&str>) -> Role {
    let mut r = role(name, team);
    r.inline_policies.push(inline(
        "table",
        json!({"Version": "2012-10-17", "Statement": [{"Sid": "Table", "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
            "Resource": format!("arn:aws:dynamodb:*:{ACCOUNT}:table/{function}")}]}),
    ));
    r
}

pub fn queue_mapping(f: &Function, i: usize) -> EventSourceMapping {
    EventSourceMapping {
        uuid: format!("0000demo-{i:04}-4a4a-9b9b-00000000{i:04}"),
        region: f.region.clone(),
        function_arn: f.arn.clone(),
        source_arn: Some(format!(
            "arn:aws:sqs:{}:{ACCOUNT}:{}-queue",
            f.region, f.name
        )),
        state: Some("Enabled".into()),
        batch_size: Some(10),
        maximum_batching_window_seconds: Some(0),
        starting_position: None,
        has_filter_criteria: false,
        on_failure_destination: None,
    }
}

/// A service's permission to invoke, scoped to its source or (the confused-deputy kind) not.
pub fn service_permission(f: &Function, service: &str, scoped: bool) -> PolicyDocument {
    let mut st = json!({"Sid": format!("{}-invoke", service.split('.').next().unwrap_or("svc")),
        "Effect": "Allow", "Principal": {"Service": service}, "Action": "lambda:InvokeFunction", "Resource": f.arn});
    if scoped {
        st["Condition"] = json!({"StringEquals": {"AWS:SourceAccount": ACCOUNT}});
    }
    json!({"Version": "2012-10-17", "Id": "default", "Statement": [st]}).into()
}

pub fn public_url_policy(arn: &str) -> PolicyDocument {
    json!({"Version": "2012-10-17", "Id": "default", "Statement": [
        {"Sid": "FunctionURLAllowPublicAccess", "Effect": "Allow", "Principal": "*",
         "Action": "lambda:InvokeFunctionUrl", "Resource": arn,
         "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}},
        {"Sid": "FunctionURLInvokeAllowPublicAccess", "Effect": "Allow", "Principal": "*",
         "Action": "lambda:InvokeFunction", "Resource": arn,
         "Condition": {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}}]})
    .into()
}

/// A public URL's policy as the console wrote it before October 2025: InvokeFunctionUrl alone.
pub fn legacy_public_url_policy(arn: &str) -> PolicyDocument {
    json!({"Version": "2012-10-17", "Id": "default", "Statement": [
        {"Sid": "FunctionURLAllowPublicAccess", "Effect": "Allow", "Principal": "*",
         "Action": "lambda:InvokeFunctionUrl", "Resource": arn,
         "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}}]})
    .into()
}

pub fn on_failure(region: &str) -> AsyncInvokeConfig {
    AsyncInvokeConfig {
        maximum_retry_attempts: Some(2),
        maximum_event_age_seconds: Some(3600),
        on_success_destination: None,
        on_failure_destination: Some(format!("arn:aws:sqs:{region}:{ACCOUNT}:failed-events")),
    }
}

fn integration(target: &str, region: &str, id: Option<String>) -> Option<Integration> {
    (!target.is_empty()).then(|| Integration {
        id,
        integration_type: Some("AWS_PROXY".into()),
        uri: Some(format!(
            "arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{target}/invocations"
        )),
        lambda_arn: Some(target.into()),
        payload_format_version: Some("2.0".into()),
    })
}

/// How carefully a stage was set up.
pub enum StageStyle {
    Strict,
    Loose,
}

fn access_log(region: &str, api: &str) -> Option<AccessLog> {
    Some(AccessLog {
        destination_arn: Some(format!(
            "arn:aws:logs:{region}:{ACCOUNT}:log-group:/apigw/{api}"
        )),
        format: Some("$context.requestId $context.identity.sourceIp $context.status".into()),
    })
}

/// A REST API with methods `(path, verb, authorization, api key, function ARN)`.
pub fn rest_api(
    id: &str,
    name: &str,
    region: &str,
    endpoint: &str,
    methods: Vec<(&str, &str, &str, bool, &str)>,
    authorizer: Option<&str>,
    style: StageStyle,
) -> RestApi {
    let mut resources: BTreeMap<&str, RestResource> = BTreeMap::new();
    for (i, (path, verb, auth, key, target)) in methods.iter().enumerate() {
        resources
            .entry(path)
            .or_insert_with(|| RestResource {
                id: format!("res{i}"),
                path: path.to_string(),
                methods: Vec::new(),
            })
            .methods
            .push(RestMethod {
                http_method: verb.to_string(),
                authorization_type: Some(auth.to_string()),
                authorizer_id: (*auth == "CUSTOM" || *auth == "COGNITO_USER_POOLS")
                    .then(|| "auth01".to_string()),
                api_key_required: *key,
                integration: integration(target, region, None),
            });
    }
    let strict = matches!(style, StageStyle::Strict);
    RestApi {
        id: id.into(),
        arn: RestApi::arn_for("aws", region, id),
        name: name.into(),
        region: region.into(),
        endpoint_types: vec![endpoint.into()],
        policy: None,
        api_key_source: Some("HEADER".into()),
        disable_execute_api_endpoint: false,
        tags: Tags::new(),
        stages: Detail::collected(vec![RestStage {
            name: "prod".into(),
            deployment_id: Some("dep01".into()),
            method_settings: BTreeMap::from([(
                "*/*".to_string(),
                MethodSetting {
                    logging_level: Some(if strict { "ERROR" } else { "OFF" }.into()),
                    data_trace_enabled: !strict,
                    metrics_enabled: strict,
                    throttling_burst_limit: strict.then_some(200),
                    throttling_rate_limit: strict.then_some(100.0),
                    caching_enabled: !strict,
                    cache_data_encrypted: false,
                    require_authorization_for_cache_control: true,
                },
            )]),
            access_log: if strict {
                access_log(region, name)
            } else {
                None
            },
            tracing_enabled: strict,
            web_acl_arn: None,
            client_certificate_id: None,
            cache_cluster_enabled: !strict,
            cache_cluster_size: (!strict).then(|| "0.5".into()),
            variables: if strict {
                Vec::new()
            } else {
                vec![
                    var("PARTNER_KEY", "pk_live_demoDemoDemo1234567890"),
                    var("TABLE", "payments"),
                ]
            },
        }]),
        resources: Detail::collected(resources.into_values().collect()),
        authorizers: Detail::collected(
            authorizer
                .map(|a| Authorizer {
                    id: "auth01".into(),
                    name: Some("token-check".into()),
                    authorizer_type: Some("TOKEN".into()),
                    lambda_arn: (!a.is_empty()).then(|| a.to_string()),
                    identity_source: vec!["method.request.header.Authorization".into()],
                    jwt_issuer: None,
                    jwt_audience: Vec::new(),
                })
                .into_iter()
                .collect(),
        ),
    }
}

/// An HTTP or WebSocket API with routes `(route key, authorization, function ARN)`.
pub fn http_api(
    id: &str,
    name: &str,
    region: &str,
    protocol: &str,
    routes: Vec<(&str, &str, &str)>,
    logged: bool,
) -> HttpApi {
    let integration_id = |i: usize| format!("int{i:02}");
    HttpApi {
        id: id.into(),
        arn: HttpApi::arn_for("aws", region, id),
        name: name.into(),
        region: region.into(),
        protocol_type: protocol.into(),
        endpoint: Some(format!("https://{id}.execute-api.{region}.amazonaws.com")),
        cors: None,
        disable_execute_api_endpoint: false,
        tags: Tags::new(),
        routes: Detail::collected(
            routes
                .iter()
                .enumerate()
                .map(|(i, (key, auth, _))| Route {
                    id: format!("rt{i:02}"),
                    route_key: key.to_string(),
                    authorization_type: Some(auth.to_string()),
                    authorizer_id: (*auth == "JWT").then(|| "jwt01".to_string()),
                    api_key_required: false,
                    integration_id: Some(integration_id(i)),
                })
                .collect(),
        ),
        integrations: Detail::collected(
            routes
                .iter()
                .enumerate()
                .filter_map(|(i, (_, _, target))| {
                    integration(target, region, Some(integration_id(i)))
                })
                .collect(),
        ),
        stages: Detail::collected(vec![HttpStage {
            name: "$default".into(),
            auto_deploy: true,
            access_log: if logged {
                access_log(region, name)
            } else {
                None
            },
            default_route_throttling_burst_limit: logged.then_some(100),
            default_route_throttling_rate_limit: logged.then_some(50.0),
            default_route_detailed_metrics: logged,
            default_route_logging_level: (protocol == "WEBSOCKET").then(|| "OFF".into()),
            default_route_data_trace_enabled: false,
            variables: Vec::new(),
        }]),
        authorizers: Detail::collected(if routes.iter().any(|(_, a, _)| *a == "JWT") {
            vec![Authorizer {
                id: "jwt01".into(),
                name: Some("cognito".into()),
                authorizer_type: Some("JWT".into()),
                lambda_arn: None,
                identity_source: vec!["$request.header.Authorization".into()],
                jwt_issuer: Some(format!(
                    "https://cognito-idp.{region}.amazonaws.com/{region}_demo"
                )),
                jwt_audience: vec!["demo-client".into()],
            }]
        } else {
            Vec::new()
        }),
    }
}

pub fn secret(name: &str, region: &str, suffix: &str) -> Secret {
    Secret {
        arn: format!("arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:{name}-{suffix}"),
        name: name.into(),
        region: region.into(),
        kms_key_id: None,
        rotation_enabled: false,
        rotation_lambda_arn: None,
        rotation_every_days: None,
        rotation_schedule: None,
        last_rotated: None,
        last_changed: None,
        last_accessed: None,
        created: None,
        owning_service: None,
        tags: Tags::new(),
        policy: Detail::collected(None),
    }
}
