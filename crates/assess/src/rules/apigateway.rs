//! API Gateway: unauthenticated routes to functions, and stage settings (logging, tracing, WAF,
//! cache encryption, client certificates, throttling, secrets in stage variables).

use super::{Check, Hit, Outcome, Owasp, Rule, ScorePart, hit, when};
use crate::reach::{Context, route_is_open, unqualified};
use crate::report::Severity;
use sprawl_model::{HttpApi, HttpStage, MethodSetting, RestApi, RestStage, Variable};

pub const RULES: &[&Rule] = &[
    &REST_METHOD_OPEN,
    &HTTP_ROUTE_OPEN,
    &REST_NO_AUTHORIZER,
    &HTTP_NO_AUTHORIZER,
    &REST_NOT_PRIVATE,
    &REST_EXECUTION_LOGGING_OFF,
    &REST_ACCESS_LOGGING_OFF,
    &REST_DATA_TRACE,
    &REST_XRAY_OFF,
    &REST_NO_WAF,
    &REST_CACHE_UNENCRYPTED,
    &REST_NO_CLIENT_CERTIFICATE,
    &REST_NO_THROTTLING,
    &REST_STAGE_VARIABLE_SECRET,
    &HTTP_ACCESS_LOGGING_OFF,
    &HTTP_NO_THROTTLING,
    &WS_EXECUTION_LOGGING_OFF,
    &WS_DATA_TRACE,
    &HTTP_STAGE_VARIABLE_SECRET,
];

/// The Lambda function a target ARN names, when it is in the inventory.
fn known_function<'a>(ctx: &'a Context, target: &str) -> Option<&'a str> {
    let target = unqualified(target);
    ctx.inventory
        .functions
        .iter()
        .find(|f| f.arn == target)
        .map(|f| f.arn.as_str())
}

pub const REST_METHOD_OPEN: Rule = Rule {
    id: "apigw-rest-method-open",
    title: "REST method is open to anyone: no authorization and no API key",
    severity: Severity::High,
    owasp: Owasp::BrokenAuthentication,
    security_hub: None,
    peers: &[
        "prowler apigateway_restapi_authorizers_enabled",
        "LambdaGuard API without auth or key",
    ],
    why: "Anyone who finds the endpoint can drive what is behind the method with any input: no IAM, Cognito or Lambda authorizer, no API key, not a private API, and no resource policy narrowing callers. Behind it may be a function, an HTTP endpoint (often an internal one, now public), or an AWS service action (a queue written to, a table read) with the API's own role.",
    fix: "Attach an authorizer (Cognito, Lambda or IAM) to the method, or make the API private; API keys are for metering, not authentication.",
    score: ScorePart::None,
    overview: None,
    check: Check::RestApi(rest_method_open),
};

/// What an open method's integration gives anyone, and how bad that is: a function (high), an
/// AWS service action (high: the API's own role acts for the caller), an HTTP endpoint (high
/// when it looks internal, medium otherwise), a mock (low: it answers, it reaches nothing).
fn reaches(ctx: &Context, i: &sprawl_model::Integration) -> (String, Severity) {
    if let Some(f) = i.lambda_arn.as_deref() {
        return match known_function(ctx, f) {
            Some(f) => (format!("runs {f}"), Severity::High),
            None => (
                format!("runs {} (not in this account's inventory)", unqualified(f)),
                Severity::High,
            ),
        };
    }
    let uri = i.uri.as_deref().unwrap_or("-");
    match i.integration_type.as_deref().unwrap_or("-") {
        "MOCK" => ("answers with a mock response".into(), Severity::Low),
        "AWS" | "AWS_PROXY" => (
            format!("calls the AWS service action {uri} with the API's role"),
            Severity::High,
        ),
        "HTTP" | "HTTP_PROXY" if internal_url(uri) => (
            format!("forwards to the internal endpoint {uri}"),
            Severity::High,
        ),
        "HTTP" | "HTTP_PROXY" => (format!("forwards to {uri}"), Severity::Medium),
        other => (
            format!("reaches a {other} integration {uri}"),
            Severity::Medium,
        ),
    }
}

/// An HTTP endpoint a public API should not front: a private or loopback address, or a name
/// that says it is internal.
fn internal_url(uri: &str) -> bool {
    let host = uri
        .split("://")
        .nth(1)
        .unwrap_or(uri)
        .split(['/', ':', '?'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let octets: Vec<u8> = host.split('.').filter_map(|p| p.parse().ok()).collect();
    let private_ip = octets.len() == 4
        && (octets[0] == 10
            || octets[0] == 127
            || (octets[0] == 172 && (16..=31).contains(&octets[1]))
            || (octets[0] == 192 && octets[1] == 168)
            || (octets[0] == 169 && octets[1] == 254));
    private_ip
        || host == "localhost"
        || [".internal", ".local", ".corp", ".lan", ".intranet"]
            .iter()
            .any(|s| host.ends_with(s))
        || host.contains(".internal.")
}

fn rest_method_open(ctx: &Context, api: &RestApi) -> Outcome {
    let resources = api.resources.require("resources")?;
    // Reachability already decided which methods are open (auth, key, private, resource policy).
    let Some(report) = ctx.apis.iter().find(|a| a.arn == api.arn) else {
        return Ok(Vec::new());
    };
    let open: std::collections::HashSet<&str> = report
        .routes
        .iter()
        .filter(|r| r.open)
        .map(|r| r.route.as_str())
        .collect();
    // One finding a method, whatever is behind it.
    Ok(resources
        .iter()
        .flat_map(|r| r.methods.iter().map(move |m| (r, m)))
        .filter_map(|(r, m)| {
            let route = format!("{} {}", m.http_method, r.path);
            if !open.contains(route.as_str()) {
                return None;
            }
            // A CORS preflight answered by a mock reaches nothing.
            let integration = m.integration.as_ref()?;
            if m.http_method == "OPTIONS" && integration.integration_type.as_deref() == Some("MOCK")
            {
                return None;
            }
            let (what, severity) = reaches(ctx, integration);
            let h = hit(format!("{route} on {} {what} for anyone", api.name))
                .severity(severity)
                .ev(
                    format!("resources.{route}.authorization_type"),
                    m.authorization_type
                        .clone()
                        .unwrap_or_else(|| "NONE".into()),
                )
                .ev(format!("resources.{route}.api_key_required"), "false");
            // A function's case keeps the evidence (and so the finding's id) it always had.
            let h = if integration.lambda_arn.is_some() {
                h
            } else {
                h.ev(
                    format!("resources.{route}.integration"),
                    format!(
                        "{} {}",
                        integration.integration_type.as_deref().unwrap_or("-"),
                        integration.uri.as_deref().unwrap_or("-")
                    ),
                )
            };
            Some(h.ev("endpoint_types", api.endpoint_types.join(",")))
        })
        .collect())
}

pub const HTTP_ROUTE_OPEN: Rule = Rule {
    id: "apigw-http-route-open",
    title: "HTTP API route has no authorization",
    severity: Severity::High,
    owasp: Owasp::BrokenAuthentication,
    security_hub: Some("APIGateway.8"),
    peers: &[
        "Security Hub APIGateway.8",
        "prowler apigatewayv2_api_authorizers_enabled (API level only)",
    ],
    why: "The route runs its integration for any caller. Routes that reach a function hand it attacker-chosen input.",
    fix: "Set the route's authorization type (JWT, AWS_IAM or a Lambda authorizer).",
    score: ScorePart::None,
    overview: None,
    check: Check::HttpApi(http_route_open),
};

fn http_route_open(ctx: &Context, api: &HttpApi) -> Outcome {
    let routes = api.routes.require("routes")?;
    let integrations = api.integrations.require("integrations")?;
    Ok(routes
        .iter()
        .filter(|r| route_is_open(api, r))
        .map(|r| {
            let target = r
                .integration_id
                .as_deref()
                .and_then(|id| integrations.iter().find(|i| i.id.as_deref() == Some(id)))
                .and_then(|i| i.lambda_arn.as_deref())
                .and_then(|t| known_function(ctx, t));
            let h = hit(match target {
                Some(f) => format!("{} on {} runs {f} for anyone", r.route_key, api.name),
                None => format!("{} on {} accepts anyone", r.route_key, api.name),
            })
            .ev(
                format!("routes.{}.authorization_type", r.route_key),
                r.authorization_type
                    .clone()
                    .unwrap_or_else(|| "NONE".into()),
            );
            if target.is_some() {
                h
            } else {
                h.severity(Severity::Medium)
            }
        })
        .collect())
}

pub const REST_NO_AUTHORIZER: Rule = Rule {
    id: "apigw-rest-no-authorizer",
    title: "Public REST API defines no authorizer",
    severity: Severity::Low,
    owasp: Owasp::BrokenAuthentication,
    security_hub: None,
    peers: &["prowler apigateway_restapi_public_with_authorizer"],
    why: "With no Lambda or Cognito authorizer on any method, its open methods (no authorization, no API key) answer anyone. Decided from the methods (always read): an authorizer no method uses protects nothing; methods that require IAM authorization or an API key are not counted.",
    fix: "Define an authorizer and attach it to the methods that need it.",
    score: ScorePart::None,
    overview: None,
    check: Check::RestApi(rest_no_authorizer),
};

fn rest_no_authorizer(ctx: &Context, api: &RestApi) -> Outcome {
    // Decided from the methods, which are always read: a method that uses an authorizer names
    // it, so "no method uses one" is the evidence itself (the collector reads the authorizers
    // only where some method uses one). Only open methods count: one that requires IAM
    // authorization or an API key is not "without an authorizer".
    let resources = api.resources.require("resources")?;
    let methods: Vec<&sprawl_model::RestMethod> =
        resources.iter().flat_map(|r| &r.methods).collect();
    let uses = methods.iter().any(|m| {
        m.authorizer_id.is_some()
            || matches!(
                m.authorization_type.as_deref(),
                Some("CUSTOM" | "COGNITO_USER_POOLS")
            )
    });
    // Open as the reachability reads it: no authorization, no API key, not private, no
    // narrowing resource policy.
    let open: Vec<&str> = ctx
        .apis
        .iter()
        .find(|r| r.arn == api.arn)
        .map(|r| {
            r.routes
                .iter()
                .filter(|x| x.open)
                .map(|x| x.route.as_str())
                .collect()
        })
        .unwrap_or_default();
    when(!api.is_private() && !open.is_empty() && !uses, || {
        hit(format!(
            "{} is public, none of its {} methods uses an authorizer, and {} {} open (no authorization, no API key)",
            api.name,
            methods.len(),
            open.len(),
            if open.len() == 1 { "is" } else { "are" }
        ))
        .ev(
            "methods",
            authorization_counts(methods.iter().map(|m| m.authorization_type.as_deref())),
        )
        .ev("open", open.join(", "))
    })
}

/// How many methods or routes use each authorization type: `NONE 3, AWS_IAM 1`.
fn authorization_counts<'a>(types: impl Iterator<Item = Option<&'a str>>) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for t in types {
        *counts.entry(t.unwrap_or("NONE")).or_default() += 1;
    }
    counts
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub const HTTP_NO_AUTHORIZER: Rule = Rule {
    id: "apigw-http-no-authorizer",
    title: "HTTP API defines no authorizer",
    severity: Severity::Low,
    owasp: Owasp::BrokenAuthentication,
    security_hub: None,
    peers: &["prowler apigatewayv2_api_authorizers_enabled"],
    why: "With no JWT or Lambda authorizer, routes rely on IAM auth or nothing.",
    fix: "Define a JWT or Lambda authorizer and attach it to the routes.",
    score: ScorePart::None,
    overview: None,
    check: Check::HttpApi(http_no_authorizer),
};

fn http_no_authorizer(_: &Context, api: &HttpApi) -> Outcome {
    // Decided from the routes, which are always read (see `rest_no_authorizer`).
    let routes = api.routes.require("routes")?;
    let uses = routes.iter().any(|r| {
        r.authorizer_id.is_some()
            || matches!(r.authorization_type.as_deref(), Some("JWT" | "CUSTOM"))
    });
    let all_iam = !routes.is_empty()
        && routes
            .iter()
            .all(|r| r.authorization_type.as_deref() == Some("AWS_IAM"));
    when(!routes.is_empty() && !uses && !all_iam, || {
        hit(format!(
            "none of {}'s {} routes uses an authorizer",
            api.name,
            routes.len()
        ))
        .ev(
            "routes",
            authorization_counts(routes.iter().map(|r| r.authorization_type.as_deref())),
        )
    })
}

pub const REST_NOT_PRIVATE: Rule = Rule {
    id: "apigw-rest-not-private",
    title: "REST API endpoint is reachable from the internet",
    severity: Severity::Info,
    owasp: Owasp::InsecureConfiguration,
    security_hub: None,
    peers: &["prowler apigateway_restapi_public"],
    why: "An EDGE or REGIONAL endpoint answers the internet; fine for public APIs, a surprise for internal ones.",
    fix: "Make internal APIs PRIVATE (reachable through a VPC endpoint only).",
    score: ScorePart::None,
    overview: None,
    check: Check::RestApi(rest_not_private),
};

fn rest_not_private(_: &Context, api: &RestApi) -> Outcome {
    when(!api.is_private(), || {
        hit(format!("{} is a public endpoint", api.name))
            .ev("endpoint_types", api.endpoint_types.join(","))
    })
}

fn stage_default(stage: &RestStage) -> Option<&MethodSetting> {
    stage.method_settings.get("*/*")
}

pub const REST_EXECUTION_LOGGING_OFF: Rule = Rule {
    id: "apigw-rest-execution-logging-off",
    title: "REST stage execution logging is off",
    severity: Severity::Medium,
    owasp: Owasp::InadequateLogging,
    security_hub: Some("APIGateway.1"),
    peers: &["prowler apigateway_restapi_logging_enabled"],
    why: "Without execution logs an attack through the API leaves no trace of what API Gateway did with it.",
    fix: "Set the stage's logging level to ERROR or INFO (method settings */*).",
    score: ScorePart::None,
    overview: None,
    check: Check::RestStage(rest_execution_logging_off),
};

fn rest_execution_logging_off(_: &Context, api: &RestApi, stage: &RestStage) -> Outcome {
    let on = stage
        .method_settings
        .values()
        .any(|m| m.logging_level.as_deref().is_some_and(|l| l != "OFF"));
    when(!on, || {
        hit(format!(
            "stage {} of {} writes no execution log",
            stage.name, api.name
        ))
        .ev(
            "method_settings.*/*.logging_level",
            stage_default(stage)
                .and_then(|m| m.logging_level.clone())
                .unwrap_or_else(|| "OFF".into()),
        )
    })
}

pub const REST_ACCESS_LOGGING_OFF: Rule = Rule {
    id: "apigw-rest-access-logging-off",
    title: "REST stage access logging is off",
    severity: Severity::Medium,
    owasp: Owasp::InadequateLogging,
    security_hub: None,
    peers: &[],
    why: "Access logs record who called what and when; without them an incident cannot be scoped.",
    fix: "Configure an access log destination (CloudWatch Logs or Firehose) on the stage.",
    score: ScorePart::None,
    overview: None,
    check: Check::RestStage(rest_access_logging_off),
};

fn rest_access_logging_off(_: &Context, api: &RestApi, stage: &RestStage) -> Outcome {
    no_access_log(stage.access_log.as_ref(), &stage.name, &api.name)
}

/// REST and HTTP stages keep access logs the same way.
fn no_access_log(log: Option<&sprawl_model::AccessLog>, stage: &str, api: &str) -> Outcome {
    let on = log.is_some_and(|a| a.destination_arn.is_some());
    when(!on, || {
        hit(format!("stage {stage} of {api} keeps no access log")).ev("access_log", "none")
    })
}

pub const REST_DATA_TRACE: Rule = Rule {
    id: "apigw-rest-data-trace",
    title: "REST stage logs full request and response payloads",
    severity: Severity::Medium,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &[],
    why: "Data trace writes whole bodies and headers (tokens, personal data, passwords) into CloudWatch Logs, where far more people can read them.",
    fix: "Turn data trace off outside short debugging sessions.",
    score: ScorePart::None,
    overview: None,
    check: Check::RestStage(rest_data_trace),
};

fn rest_data_trace(_: &Context, api: &RestApi, stage: &RestStage) -> Outcome {
    Ok(stage
        .method_settings
        .iter()
        .filter(|(_, m)| m.data_trace_enabled)
        .map(|(key, _)| {
            hit(format!(
                "stage {} of {} logs full payloads for {key}",
                stage.name, api.name
            ))
            .ev(format!("method_settings.{key}.data_trace_enabled"), "true")
        })
        .collect())
}

pub const REST_XRAY_OFF: Rule = Rule {
    id: "apigw-rest-xray-off",
    title: "REST stage X-Ray tracing is off",
    severity: Severity::Low,
    owasp: Owasp::InadequateLogging,
    security_hub: Some("APIGateway.3"),
    peers: &["prowler apigateway_restapi_tracing_enabled"],
    why: "Without traces a request cannot be followed from the API into the functions it calls.",
    fix: "Enable X-Ray tracing on the stage.",
    score: ScorePart::None,
    overview: None,
    check: Check::RestStage(rest_xray_off),
};

fn rest_xray_off(_: &Context, api: &RestApi, stage: &RestStage) -> Outcome {
    when(!stage.tracing_enabled, || {
        hit(format!(
            "stage {} of {} is not traced",
            stage.name, api.name
        ))
        .ev("tracing_enabled", "false")
    })
}

pub const REST_NO_WAF: Rule = Rule {
    id: "apigw-rest-no-waf",
    title: "REST stage has no WAF web ACL",
    severity: Severity::Medium,
    owasp: Owasp::EventInjection,
    security_hub: Some("APIGateway.4"),
    peers: &["prowler apigateway_restapi_waf_acl_attached"],
    why: "A web ACL filters injection payloads, bots and floods before they reach (and bill) the functions.",
    fix: "Associate an AWS WAF web ACL with the stage.",
    score: ScorePart::None,
    overview: None,
    check: Check::RestStage(rest_no_waf),
};

fn rest_no_waf(_: &Context, api: &RestApi, stage: &RestStage) -> Outcome {
    when(!api.is_private() && stage.web_acl_arn.is_none(), || {
        hit(format!(
            "stage {} of {} has no web ACL",
            stage.name, api.name
        ))
        .ev("web_acl_arn", "none")
    })
}

pub const REST_CACHE_UNENCRYPTED: Rule = Rule {
    id: "apigw-rest-cache-unencrypted",
    title: "REST stage caches responses unencrypted",
    severity: Severity::Medium,
    owasp: Owasp::InsecureConfiguration,
    security_hub: Some("APIGateway.5"),
    peers: &["prowler apigateway_restapi_cache_encrypted"],
    why: "Cached responses can hold personal data or tokens; unencrypted, they sit in plain form at rest.",
    fix: "Enable cache data encryption for the stage's method settings.",
    score: ScorePart::None,
    overview: None,
    check: Check::RestStage(rest_cache_unencrypted),
};

fn rest_cache_unencrypted(_: &Context, api: &RestApi, stage: &RestStage) -> Outcome {
    if !stage.cache_cluster_enabled {
        return Ok(Vec::new());
    }
    Ok(stage
        .method_settings
        .iter()
        .filter(|(_, m)| m.caching_enabled && !m.cache_data_encrypted)
        .map(|(key, _)| {
            hit(format!(
                "stage {} of {} caches {key} unencrypted",
                stage.name, api.name
            ))
            .ev(
                format!("method_settings.{key}.cache_data_encrypted"),
                "false",
            )
        })
        .collect())
}

pub const REST_NO_CLIENT_CERTIFICATE: Rule = Rule {
    id: "apigw-rest-no-client-certificate",
    title: "REST stage presents no client certificate to its backends",
    severity: Severity::Low,
    owasp: Owasp::InsecureConfiguration,
    security_hub: Some("APIGateway.2"),
    peers: &["prowler apigateway_restapi_client_certificate_enabled"],
    why: "HTTP backends cannot tell API Gateway's calls from anyone else's without a client certificate (Lambda integrations are authenticated by IAM instead).",
    fix: "Generate a client certificate and set it on the stage; have HTTP backends verify it.",
    score: ScorePart::None,
    overview: None,
    check: Check::RestStage(rest_no_client_certificate),
};

fn rest_no_client_certificate(_: &Context, api: &RestApi, stage: &RestStage) -> Outcome {
    when(stage.client_certificate_id.is_none(), || {
        hit(format!(
            "stage {} of {} has no client certificate",
            stage.name, api.name
        ))
        .ev("client_certificate_id", "none")
    })
}

/// AWS's account-level defaults: a stage limit at or above them limits nothing.
const ACCOUNT_RATE: f64 = 10_000.0;

fn unthrottled(rate: Option<f64>) -> bool {
    rate.is_none_or(|r| r <= 0.0 || r >= ACCOUNT_RATE)
}

pub const REST_NO_THROTTLING: Rule = Rule {
    id: "apigw-rest-no-throttling",
    title: "REST stage sets no throttling below the account default",
    severity: Severity::Medium,
    owasp: Owasp::DenialOfService,
    security_hub: None,
    peers: &[],
    why: "A flood of requests scales the functions behind the API until the account's concurrency or budget runs out (denial of wallet), and starves every other API in the account.",
    fix: "Set stage (or usage plan) rate and burst limits sized to the API's real traffic.",
    score: ScorePart::None,
    overview: None,
    check: Check::RestStage(rest_no_throttling),
};

fn rest_no_throttling(_: &Context, api: &RestApi, stage: &RestStage) -> Outcome {
    let rate = stage_default(stage).and_then(|m| m.throttling_rate_limit);
    when(unthrottled(rate), || {
        hit(format!(
            "stage {} of {} is throttled only by the account limit",
            stage.name, api.name
        ))
        .ev(
            "method_settings.*/*.throttling_rate_limit",
            rate.map(|r| r.to_string()).unwrap_or_else(|| "none".into()),
        )
    })
}

fn secret_variables(vars: &[Variable], what: &str) -> Vec<Hit> {
    vars.iter()
        .filter(|v| v.value.kind.is_secret())
        .map(|v| {
            hit(format!("{what} variable {} holds a secret", v.name))
                .ev(format!("variables.{}", v.name), v.value.describe())
        })
        .collect()
}

pub const REST_STAGE_VARIABLE_SECRET: Rule = Rule {
    id: "apigw-rest-stage-variable-secret",
    title: "REST stage variable holds a secret",
    severity: Severity::High,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &["prowler apigateway_restapi_no_secrets_in_stage_variables"],
    why: "Stage variables are plain configuration: readable by anyone with apigateway:GET, copied into exports and templates.",
    fix: "Move the value to Secrets Manager and have the backend fetch it.",
    score: ScorePart::None,
    overview: None,
    check: Check::RestStage(rest_stage_variable_secret),
};

fn rest_stage_variable_secret(_: &Context, _: &RestApi, stage: &RestStage) -> Outcome {
    Ok(secret_variables(
        &stage.variables,
        &format!("stage {}", stage.name),
    ))
}

pub const HTTP_ACCESS_LOGGING_OFF: Rule = Rule {
    id: "apigw-http-access-logging-off",
    title: "HTTP/WebSocket stage access logging is off",
    severity: Severity::Medium,
    owasp: Owasp::InadequateLogging,
    security_hub: Some("APIGateway.9"),
    peers: &["prowler apigatewayv2_api_access_logging_enabled"],
    why: "Access logs are the only record of who called an HTTP API.",
    fix: "Configure access logging on the stage.",
    score: ScorePart::None,
    overview: None,
    check: Check::HttpStage(http_access_logging_off),
};

fn http_access_logging_off(_: &Context, api: &HttpApi, stage: &HttpStage) -> Outcome {
    no_access_log(stage.access_log.as_ref(), &stage.name, &api.name)
}

pub const HTTP_NO_THROTTLING: Rule = Rule {
    id: "apigw-http-no-throttling",
    title: "HTTP/WebSocket stage sets no default route throttling",
    severity: Severity::Medium,
    owasp: Owasp::DenialOfService,
    security_hub: None,
    peers: &[],
    why: "Without a route limit, a flood scales the functions behind the API until the account's concurrency or budget runs out.",
    fix: "Set default route throttling (rate and burst) on the stage.",
    score: ScorePart::None,
    overview: None,
    check: Check::HttpStage(http_no_throttling),
};

fn http_no_throttling(_: &Context, api: &HttpApi, stage: &HttpStage) -> Outcome {
    when(
        unthrottled(stage.default_route_throttling_rate_limit),
        || {
            hit(format!(
                "stage {} of {} is throttled only by the account limit",
                stage.name, api.name
            ))
            .ev("default_route_settings.throttling_rate_limit", "none")
        },
    )
}

pub const WS_EXECUTION_LOGGING_OFF: Rule = Rule {
    id: "apigw-ws-execution-logging-off",
    title: "WebSocket stage execution logging is off",
    severity: Severity::Medium,
    owasp: Owasp::InadequateLogging,
    security_hub: Some("APIGateway.1"),
    peers: &["Security Hub APIGateway.1"],
    why: "Without execution logs, messages that broke the integration leave no trace.",
    fix: "Set the stage's default route logging level to ERROR or INFO.",
    score: ScorePart::None,
    overview: None,
    check: Check::HttpStage(ws_execution_logging_off),
};

fn ws_execution_logging_off(_: &Context, api: &HttpApi, stage: &HttpStage) -> Outcome {
    let ws = api.is_websocket();
    let on = stage
        .default_route_logging_level
        .as_deref()
        .is_some_and(|l| l != "OFF");
    when(ws && !on, || {
        hit(format!(
            "stage {} of {} writes no execution log",
            stage.name, api.name
        ))
        .ev(
            "default_route_settings.logging_level",
            stage
                .default_route_logging_level
                .clone()
                .unwrap_or_else(|| "OFF".into()),
        )
    })
}

pub const WS_DATA_TRACE: Rule = Rule {
    id: "apigw-ws-data-trace",
    title: "WebSocket stage logs full message payloads",
    severity: Severity::Medium,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &[],
    why: "Data trace copies whole messages (tokens, personal data) into CloudWatch Logs.",
    fix: "Turn data trace off.",
    score: ScorePart::None,
    overview: None,
    check: Check::HttpStage(ws_data_trace),
};

fn ws_data_trace(_: &Context, api: &HttpApi, stage: &HttpStage) -> Outcome {
    when(stage.default_route_data_trace_enabled, || {
        hit(format!(
            "stage {} of {} logs full payloads",
            stage.name, api.name
        ))
        .ev("default_route_settings.data_trace_enabled", "true")
    })
}

pub const HTTP_STAGE_VARIABLE_SECRET: Rule = Rule {
    id: "apigw-http-stage-variable-secret",
    title: "HTTP/WebSocket stage variable holds a secret",
    severity: Severity::High,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &["prowler apigateway_restapi_no_secrets_in_stage_variables (REST only)"],
    why: "Stage variables are plain configuration, readable by anyone with apigateway:GET.",
    fix: "Move the value to Secrets Manager.",
    score: ScorePart::None,
    overview: None,
    check: Check::HttpStage(http_stage_variable_secret),
};

fn http_stage_variable_secret(_: &Context, _: &HttpApi, stage: &HttpStage) -> Outcome {
    Ok(secret_variables(
        &stage.variables,
        &format!("stage {}", stage.name),
    ))
}
