//! Fault paths and what the emulator cannot represent, through `aws-smithy-mocks`: real SDK
//! clients whose responses (outputs, or raw HTTP errors in each protocol's wire format) are
//! canned per test.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_sdk_lambda::types as lt;
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use sprawl::collect::{
    self, ClientFactory, GlobalClients, Pool, QuotaPlan, RegionClients, Regions, RetryPolicy,
    ScanOptions, ScanResult,
};
use sprawl::model::{Detail, FailureKind};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "eu-west-1";

fn fn_arn(name: &str) -> String {
    format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}")
}

fn http(status: u16, headers: &[(&'static str, &'static str)], body: &str) -> HttpResponse {
    let mut r = HttpResponse::new(
        StatusCode::try_from(status).unwrap(),
        SdkBody::from(body.to_string()),
    );
    for (k, v) in headers {
        r.headers_mut().insert(*k, *v);
    }
    r
}

/// A REST-JSON (Lambda, API Gateway) error as AWS sends it.
fn rest_json_error(status: u16, code: &'static str) -> HttpResponse {
    http(
        status,
        &[
            ("x-amzn-errortype", code),
            ("content-type", "application/json"),
        ],
        r#"{"message":"canned"}"#,
    )
}

/// An AWS-JSON (Secrets Manager) error.
fn aws_json_error(code: &str) -> HttpResponse {
    http(
        400,
        &[("content-type", "application/x-amz-json-1.1")],
        &format!(r#"{{"__type":"{code}","message":"User is not authorized"}}"#),
    )
}

/// A Query/XML (IAM) error.
fn xml_error(status: u16, code: &str) -> HttpResponse {
    http(
        status,
        &[("content-type", "text/xml")],
        &format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>not authorized</Message></Error><RequestId>r</RequestId></ErrorResponse>"
        ),
    )
}

/// An S3 error: S3 sends its `<Error>` unwrapped.
fn s3_error(status: u16, code: &str) -> HttpResponse {
    http(
        status,
        &[("content-type", "application/xml")],
        &format!(
            "<Error><Code>{code}</Code><Message>canned</Message><RequestId>r</RequestId></Error>"
        ),
    )
}

fn config_of(name: &str) -> lt::FunctionConfiguration {
    lt::FunctionConfiguration::builder()
        .function_name(name)
        .function_arn(fn_arn(name))
        .version("$LATEST")
        .runtime(lt::Runtime::Python312)
        .role(format!("arn:aws:iam::{ACCOUNT}:role/exec"))
        .timeout(3)
        .memory_size(128)
        .build()
}

/// A ListFunctions rule that lists these functions on one page.
fn functions_listed(names: &'static [&'static str]) -> Rule {
    mock!(aws_sdk_lambda::Client::list_functions).then_output(move || {
        aws_sdk_lambda::operation::list_functions::ListFunctionsOutput::builder()
            .set_functions(Some(names.iter().map(|n| config_of(n)).collect()))
            .build()
    })
}

/// Rules for each service, placed before the empty-account defaults.
#[derive(Default)]
struct Rules {
    lambda: Vec<Rule>,
    iam: Vec<Rule>,
    apigateway: Vec<Rule>,
    apigatewayv2: Vec<Rule>,
    secrets: Vec<Rule>,
    logs: Vec<Rule>,
    cloudwatch: Vec<Rule>,
    sns: Vec<Rule>,
    s3: Vec<Rule>,
    s3control: Vec<Rule>,
    sqs: Vec<Rule>,
    events: Vec<Rule>,
    kinesis: Vec<Rule>,
    dynamodb: Vec<Rule>,
    cognito: Vec<Rule>,
    ses: Vec<Rule>,
    iot: Vec<Rule>,
    cognito_identity: Vec<Rule>,
}

struct Mocks {
    global: GlobalClients,
    region: RegionClients,
}

impl ClientFactory for Mocks {
    fn global(&self) -> GlobalClients {
        self.global.clone()
    }
    fn region(&self, _region: &str) -> RegionClients {
        self.region.clone()
    }
}

/// Mocked clients for an account that is empty except where `rules` say otherwise.
fn mocks(mut rules: Rules) -> Mocks {
    use aws_sdk_apigateway::operation::get_rest_apis::GetRestApisOutput;
    use aws_sdk_apigatewayv2::operation::get_apis::GetApisOutput;
    use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput;
    use aws_sdk_lambda::operation::{
        get_function::GetFunctionOutput, list_code_signing_configs::ListCodeSigningConfigsOutput,
        list_event_source_mappings::ListEventSourceMappingsOutput,
        list_functions::ListFunctionsOutput,
    };
    use aws_sdk_secretsmanager::operation::list_secrets::ListSecretsOutput;

    rules.lambda.extend([
        mock!(aws_sdk_lambda::Client::list_functions)
            .then_output(|| ListFunctionsOutput::builder().build()),
        mock!(aws_sdk_lambda::Client::list_event_source_mappings)
            .then_output(|| ListEventSourceMappingsOutput::builder().build()),
        mock!(aws_sdk_lambda::Client::list_code_signing_configs)
            .then_output(|| ListCodeSigningConfigsOutput::builder().build()),
        mock!(aws_sdk_lambda::Client::get_function).then_compute_output(|req| {
            GetFunctionOutput::builder()
                .configuration(config_of(req.function_name().unwrap()))
                .build()
        }),
        mock!(aws_sdk_lambda::Client::get_policy)
            .then_http_response(|| rest_json_error(404, "ResourceNotFoundException")),
        mock!(aws_sdk_lambda::Client::get_function_url_config)
            .then_http_response(|| rest_json_error(404, "ResourceNotFoundException")),
    ]);
    rules.iam.push(
        mock!(aws_sdk_iam::Client::get_account_authorization_details).then_output(|| {
            GetAccountAuthorizationDetailsOutput::builder()
                .is_truncated(false)
                .build()
        }),
    );
    rules.apigateway.push(
        mock!(aws_sdk_apigateway::Client::get_rest_apis)
            .then_output(|| GetRestApisOutput::builder().build()),
    );
    rules.apigatewayv2.push(
        mock!(aws_sdk_apigatewayv2::Client::get_apis)
            .then_output(|| GetApisOutput::builder().build()),
    );
    rules.secrets.push(
        mock!(aws_sdk_secretsmanager::Client::list_secrets)
            .then_output(|| ListSecretsOutput::builder().build()),
    );
    rules.logs.push(
        mock!(aws_sdk_cloudwatchlogs::Client::describe_log_groups).then_output(|| {
            aws_sdk_cloudwatchlogs::operation::describe_log_groups::DescribeLogGroupsOutput::builder()
                .build()
        }),
    );
    // A topic's subscriptions: none.
    rules.sns.push(
        mock!(aws_sdk_sns::Client::list_subscriptions_by_topic).then_output(|| {
            aws_sdk_sns::operation::list_subscriptions_by_topic::ListSubscriptionsByTopicOutput::builder()
                .build()
        }),
    );
    // A queue a mapping polls, with no policy.
    rules.sqs.push(
        mock!(aws_sdk_sqs::Client::get_queue_attributes).then_output(|| {
            aws_sdk_sqs::operation::get_queue_attributes::GetQueueAttributesOutput::builder()
                .build()
        }),
    );
    // Each region's identity pools: none (after any a test gives).
    rules.cognito_identity.push(
        mock!(aws_sdk_cognitoidentity::Client::list_identity_pools).then_output(|| {
            aws_sdk_cognitoidentity::operation::list_identity_pools::ListIdentityPoolsOutput::builder()
                .build()
        }),
    );
    rules.cloudwatch.push(
        mock!(aws_sdk_cloudwatch::Client::describe_alarms).then_output(|| {
            aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput::builder().build()
        }),
    );
    let sts_rules = [
        mock!(aws_sdk_sts::Client::get_caller_identity).then_output(|| {
            aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput::builder()
                .account(ACCOUNT)
                .arn(format!("arn:aws:iam::{ACCOUNT}:user/auditor"))
                .build()
        }),
    ];
    let account_rules: [Rule; 0] = [];
    let no_retry = RetryConfig::disabled();
    Mocks {
        global: GlobalClients {
            sts: mock_client!(aws_sdk_sts, RuleMode::MatchAny, &sts_rules, |c| c
                .retry_config(no_retry.clone())),
            iam: mock_client!(aws_sdk_iam, RuleMode::MatchAny, &rules.iam, |c| c
                .retry_config(no_retry.clone())),
            account: mock_client!(aws_sdk_account, RuleMode::MatchAny, &account_rules, |c| c
                .retry_config(no_retry.clone())),
        },
        region: RegionClients {
            lambda: mock_client!(aws_sdk_lambda, RuleMode::MatchAny, &rules.lambda, |c| c
                .retry_config(no_retry.clone())),
            apigateway: mock_client!(
                aws_sdk_apigateway,
                RuleMode::MatchAny,
                &rules.apigateway,
                |c| c.retry_config(no_retry.clone())
            ),
            apigatewayv2: mock_client!(
                aws_sdk_apigatewayv2,
                RuleMode::MatchAny,
                &rules.apigatewayv2,
                |c| c.retry_config(no_retry.clone())
            ),
            secretsmanager: mock_client!(
                aws_sdk_secretsmanager,
                RuleMode::MatchAny,
                &rules.secrets,
                |c| c.retry_config(no_retry.clone())
            ),
            logs: mock_client!(
                aws_sdk_cloudwatchlogs,
                RuleMode::MatchAny,
                &rules.logs,
                |c| c.retry_config(no_retry.clone())
            ),
            cloudwatch: mock_client!(
                aws_sdk_cloudwatch,
                RuleMode::MatchAny,
                &rules.cloudwatch,
                |c| c.retry_config(no_retry.clone())
            ),
            sns: mock_client!(aws_sdk_sns, RuleMode::MatchAny, &rules.sns, |c| c
                .retry_config(no_retry.clone())),
            s3: mock_client!(aws_sdk_s3, RuleMode::MatchAny, &rules.s3, |c| c
                .retry_config(no_retry.clone())),
            sqs: mock_client!(aws_sdk_sqs, RuleMode::MatchAny, &rules.sqs, |c| c
                .retry_config(no_retry.clone())),
            events: mock_client!(
                aws_sdk_eventbridge,
                RuleMode::MatchAny,
                &rules.events,
                |c| c.retry_config(no_retry.clone())
            ),
            kinesis: mock_client!(aws_sdk_kinesis, RuleMode::MatchAny, &rules.kinesis, |c| c
                .retry_config(no_retry.clone())),
            dynamodb: mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, &rules.dynamodb, |c| c
                .retry_config(no_retry.clone())),
            cognito: mock_client!(
                aws_sdk_cognitoidentityprovider,
                RuleMode::MatchAny,
                &rules.cognito,
                |c| c.retry_config(no_retry.clone())
            ),
            ses: mock_client!(aws_sdk_ses, RuleMode::MatchAny, &rules.ses, |c| c
                .retry_config(no_retry.clone())),
            iot: mock_client!(aws_sdk_iot, RuleMode::MatchAny, &rules.iot, |c| c
                .retry_config(no_retry.clone())),
            cognito_identity: mock_client!(
                aws_sdk_cognitoidentity,
                RuleMode::MatchAny,
                &rules.cognito_identity,
                |c| c.retry_config(no_retry.clone())
            ),
            s3control: mock_client!(
                aws_sdk_s3control,
                RuleMode::MatchAny,
                &rules.s3control,
                |c| c.retry_config(no_retry.clone())
            ),
        },
    }
}

/// Rules for one HTTP API with the given routes rule (and any others), no integrations and no
/// stages.
fn one_http_api(routes: Rule, others: Vec<Rule>) -> Vec<Rule> {
    use aws_sdk_apigatewayv2::operation::{
        get_apis::GetApisOutput, get_integrations::GetIntegrationsOutput,
        get_stages::GetStagesOutput,
    };
    let mut rules = vec![
        mock!(aws_sdk_apigatewayv2::Client::get_apis).then_output(|| {
            GetApisOutput::builder()
                .items(
                    aws_sdk_apigatewayv2::types::Api::builder()
                        .api_id("h1")
                        .name("http")
                        .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
                        .route_selection_expression("$request.method $request.path")
                        .build(),
                )
                .build()
        }),
        routes,
        mock!(aws_sdk_apigatewayv2::Client::get_integrations)
            .then_output(|| GetIntegrationsOutput::builder().build()),
        mock!(aws_sdk_apigatewayv2::Client::get_stages)
            .then_output(|| GetStagesOutput::builder().build()),
    ];
    rules.extend(others);
    rules
}

fn options() -> ScanOptions {
    ScanOptions {
        regions: Regions::Listed(vec![REGION.into()]),
        plan: QuotaPlan::scaled(1.0),
        ..ScanOptions::default()
    }
}

async fn scan(mocks: Mocks) -> ScanResult {
    collect::scan(Arc::new(mocks), options(), None)
        .await
        .expect("scan")
}

/// The scan as its snapshot, assessed.
fn assessed(r: ScanResult) -> sprawl::snapshot::Snapshot {
    sprawl::snapshot::Snapshot::new(r.account, r.regions, r.coverage, r.inventory, r.scanned_at)
}

/// A detail the scan could not read because the call was denied (not assessed, never empty).
fn is_denied<T>(d: &Detail<T>) -> bool {
    matches!(
        d,
        Detail::Failed {
            kind: FailureKind::AccessDenied,
            ..
        }
    )
}

fn coverage<'a>(r: &'a ScanResult, op: &str) -> &'a sprawl::model::CoverageEntry {
    r.coverage
        .entries
        .iter()
        .find(|e| e.operation == op)
        .unwrap_or_else(|| panic!("no coverage entry for {op}"))
}

#[tokio::test(start_paused = true)]
async fn listings_follow_every_page() {
    use aws_sdk_lambda::operation::list_event_source_mappings::ListEventSourceMappingsOutput;
    use aws_sdk_lambda::operation::list_functions::ListFunctionsOutput;
    use aws_sdk_secretsmanager::operation::list_secrets::ListSecretsOutput;

    let functions = mock!(aws_sdk_lambda::Client::list_functions).then_compute_output(|req| {
        // Three pages, as AWS serves 50 at a time; the emulator ignores MaxItems.
        assert_eq!(req.max_items(), Some(50));
        let (names, next): (&[&str], Option<&str>) = match req.marker() {
            None => (&["a", "b"], Some("m1")),
            Some("m1") => (&["c", "d"], Some("m2")),
            Some("m2") => (&["e"], None),
            other => panic!("unexpected marker {other:?}"),
        };
        ListFunctionsOutput::builder()
            .set_functions(Some(names.iter().map(|n| config_of(n)).collect()))
            .set_next_marker(next.map(str::to_string))
            .build()
    });
    let mappings =
        mock!(aws_sdk_lambda::Client::list_event_source_mappings).then_compute_output(|req| {
            let (uuid, next) = match req.marker() {
                None => ("u1", Some("next".to_string())),
                _ => ("u2", None),
            };
            ListEventSourceMappingsOutput::builder()
                .event_source_mappings(
                    lt::EventSourceMappingConfiguration::builder()
                        .uuid(uuid)
                        .function_arn(fn_arn("a"))
                        .event_source_arn("arn:aws:sqs:eu-west-1:123456789012:q")
                        .build(),
                )
                .set_next_marker(next)
                .build()
        });
    let secrets = mock!(aws_sdk_secretsmanager::Client::list_secrets).then_compute_output(|req| {
        let (name, next) = match req.next_token() {
            None => ("s1", Some("t".to_string())),
            _ => ("s2", None),
        };
        ListSecretsOutput::builder()
            .secret_list(
                aws_sdk_secretsmanager::types::SecretListEntry::builder()
                    .arn(format!(
                        "arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-AbCdEf"
                    ))
                    .name(name)
                    .build(),
            )
            .set_next_token(next)
            .build()
    });
    let secret_policy = mock!(aws_sdk_secretsmanager::Client::get_resource_policy).then_output(|| {
        aws_sdk_secretsmanager::operation::get_resource_policy::GetResourcePolicyOutput::builder().build()
    });
    let r = scan(mocks(Rules {
        lambda: vec![functions, mappings],
        secrets: vec![secrets, secret_policy],
        ..Rules::default()
    }))
    .await;
    let names: Vec<&str> = r
        .inventory
        .functions
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    assert_eq!(coverage(&r, "ListFunctions").succeeded, 3);
    assert_eq!(r.inventory.event_source_mappings.len(), 2);
    assert_eq!(r.inventory.secrets.len(), 2);
    assert!(r.coverage.is_complete());
}

#[tokio::test(start_paused = true)]
async fn throttling_that_clears_leaves_complete_data() {
    use aws_sdk_lambda::operation::get_policy::GetPolicyOutput;
    let list = functions_listed(&["busy"]);
    let policy = mock!(aws_sdk_lambda::Client::get_policy)
        .sequence()
        .http_response(|| rest_json_error(429, "TooManyRequestsException"))
        .times(2)
        .output(|| {
            GetPolicyOutput::builder()
                .policy(r#"{"Version":"2012-10-17","Statement":[]}"#)
                .build()
        })
        .build();
    let r = scan(mocks(Rules {
        lambda: vec![list, policy],
        ..Rules::default()
    }))
    .await;
    let f = &r.inventory.functions[0];
    assert!(matches!(&f.policy, Detail::Collected { value: Some(_) }));
    let entry = coverage(&r, "GetPolicy");
    assert_eq!((entry.succeeded, entry.failed), (1, 0));
    assert!(r.coverage.is_complete());
    let pool = &r.stats.pools[&(Pool::LambdaGetPolicy, REGION.to_string())];
    assert_eq!((pool.attempts, pool.throttled), (3, 2));
}

#[tokio::test(start_paused = true)]
async fn throttling_that_never_clears_is_a_gap_not_a_pass() {
    let list = functions_listed(&["busy"]);
    let policy = mock!(aws_sdk_lambda::Client::get_policy)
        .then_http_response(|| rest_json_error(429, "TooManyRequestsException"));
    let r = scan(mocks(Rules {
        lambda: vec![list, policy],
        ..Rules::default()
    }))
    .await;
    assert!(matches!(
        r.inventory.functions[0].policy,
        Detail::Failed {
            kind: FailureKind::Throttled,
            ..
        }
    ));
    let entry = coverage(&r, "GetPolicy");
    assert_eq!(entry.failed, 1);
    assert_eq!(entry.failure.as_ref().unwrap().kind, FailureKind::Throttled);
    let pool = &r.stats.pools[&(Pool::LambdaGetPolicy, REGION.to_string())];
    assert_eq!(
        pool.attempts,
        u64::from(RetryPolicy::default().max_attempts)
    );
}

#[tokio::test(start_paused = true)]
async fn access_denied_on_one_service_is_recorded_and_the_rest_is_complete() {
    let list = functions_listed(&["ok"]);
    let denied = mock!(aws_sdk_secretsmanager::Client::list_secrets)
        .then_http_response(|| aws_json_error("AccessDeniedException"));
    let r = scan(mocks(Rules {
        lambda: vec![list],
        secrets: vec![denied],
        ..Rules::default()
    }))
    .await;
    let gaps: Vec<_> = r.coverage.gaps().collect();
    assert_eq!(gaps.len(), 1);
    assert_eq!(
        (gaps[0].service.as_str(), gaps[0].operation.as_str()),
        ("secretsmanager", "ListSecrets")
    );
    let failure = gaps[0].failure.as_ref().unwrap();
    assert_eq!(failure.kind, FailureKind::AccessDenied);
    assert!(
        failure.message.contains("AccessDeniedException"),
        "{}",
        failure.message
    );
    assert_eq!(r.inventory.functions.len(), 1);
    assert!(r.inventory.functions[0].tags.is_collected());
    // Access denied is not retried.
    let pool = &r.stats.pools[&(Pool::SecretsManagerList, REGION.to_string())];
    assert_eq!(pool.attempts, 1);
}

#[tokio::test(start_paused = true)]
async fn denied_authorization_details_fall_back_to_per_role_reads() {
    use aws_sdk_iam::operation::{
        get_policy::GetPolicyOutput, get_policy_version::GetPolicyVersionOutput,
        get_role::GetRoleOutput, get_role_policy::GetRolePolicyOutput,
        list_attached_role_policies::ListAttachedRolePoliciesOutput,
        list_role_policies::ListRolePoliciesOutput, list_roles::ListRolesOutput,
    };
    use aws_sdk_iam::types as it;
    let trust = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
    let role = move || {
        it::Role::builder()
            .role_name("exec")
            .role_id("AROAEXAMPLE")
            .arn(format!("arn:aws:iam::{ACCOUNT}:role/exec"))
            .path("/")
            .create_date(aws_smithy_types::DateTime::from_secs(1_700_000_000))
            .assume_role_policy_document(trust)
            .build()
            .unwrap()
    };
    let other = || {
        it::Role::builder()
            .role_name("ec2")
            .role_id("AROAOTHER")
            .arn(format!("arn:aws:iam::{ACCOUNT}:role/ec2"))
            .path("/")
            .create_date(aws_smithy_types::DateTime::from_secs(1_700_000_000))
            .assume_role_policy_document("%7B%7D")
            .build()
            .unwrap()
    };
    let managed = "arn:aws:iam::aws:policy/AdministratorAccess";
    let rules = vec![
        mock!(aws_sdk_iam::Client::get_account_authorization_details)
            .then_http_response(|| xml_error(403, "AccessDenied")),
        mock!(aws_sdk_iam::Client::list_roles).then_output(move || {
            ListRolesOutput::builder().roles(role()).roles(other()).is_truncated(false).build().unwrap()
        }),
        mock!(aws_sdk_iam::Client::get_role).then_output(move || {
            let mut r = role();
            r.tags = Some(vec![it::Tag::builder().key("team").value("core").build().unwrap()]);
            GetRoleOutput::builder().role(r).build()
        }),
        mock!(aws_sdk_iam::Client::list_role_policies).then_output(|| {
            ListRolePoliciesOutput::builder().policy_names("inline").is_truncated(false).build().unwrap()
        }),
        mock!(aws_sdk_iam::Client::get_role_policy).then_output(|| {
            GetRolePolicyOutput::builder()
                .role_name("exec")
                .policy_name("inline")
                .policy_document("%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22iam%3APassRole%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D")
                .build()
                .unwrap()
        }),
        mock!(aws_sdk_iam::Client::list_attached_role_policies).then_output(move || {
            ListAttachedRolePoliciesOutput::builder()
                .attached_policies(it::AttachedPolicy::builder().policy_arn(managed).policy_name("AdministratorAccess").build())
                .is_truncated(false)
                .build()
        }),
        mock!(aws_sdk_iam::Client::get_policy).then_output(move || {
            GetPolicyOutput::builder()
                .policy(it::Policy::builder().arn(managed).default_version_id("v3").build())
                .build()
        }),
        mock!(aws_sdk_iam::Client::get_policy_version)
            .match_requests(|req| req.version_id() == Some("v3"))
            .then_output(|| {
                GetPolicyVersionOutput::builder()
                    .policy_version(
                        it::PolicyVersion::builder()
                            .document("%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D")
                            .version_id("v3")
                            .is_default_version(true)
                            .build(),
                    )
                    .build()
            }),
    ];
    let r = scan(mocks(Rules {
        iam: rules,
        ..Rules::default()
    }))
    .await;
    assert_eq!(
        r.inventory.roles.len(),
        1,
        "only the role Lambda can assume"
    );
    let role = &r.inventory.roles[0];
    assert_eq!(role.name, "exec");
    assert_eq!(
        role.inline_policies[0].document.value()["Statement"][0]["Action"],
        "iam:PassRole"
    );
    assert_eq!(
        role.attached_policies[0].document.as_ref().unwrap().value()["Statement"][0]["Action"],
        "*"
    );
    assert_eq!(role.tags.get("team").map(String::as_str), Some("core"));
    assert!(role.gaps.is_empty());
    let gaad = coverage(&r, "GetAccountAuthorizationDetails");
    assert_eq!(
        gaad.failure.as_ref().unwrap().kind,
        FailureKind::AccessDenied
    );
    assert_eq!(coverage(&r, "GetPolicyVersion").succeeded, 1);
}

#[tokio::test(start_paused = true)]
async fn a_call_that_never_answers_times_out_and_is_recorded() {
    use aws_smithy_http_client::test_util::NeverClient;
    let mut m = mocks(Rules::default());
    m.region.lambda = aws_sdk_lambda::Client::from_conf(
        aws_sdk_lambda::Config::builder()
            .with_test_defaults_v2()
            .retry_config(RetryConfig::disabled())
            .http_client(NeverClient::new())
            .build(),
    );
    let options = ScanOptions {
        retry: RetryPolicy {
            max_attempts: 2,
            attempt_timeout: Duration::from_secs(2),
            operation_timeout: Duration::from_secs(10),
            ..RetryPolicy::default()
        },
        ..options()
    };
    let r = collect::scan(Arc::new(m), options, None)
        .await
        .expect("scan");
    let entry = coverage(&r, "ListFunctions");
    assert_eq!(entry.failed, 1);
    assert_eq!(entry.failure.as_ref().unwrap().kind, FailureKind::TimedOut);
    // The other services were unaffected.
    assert_eq!(coverage(&r, "ListSecrets").failed, 0);
    let pool = &r.stats.pools[&(Pool::LambdaControl, REGION.to_string())];
    assert!(pool.attempts >= 2, "timed-out attempts are retried");
}

#[tokio::test(start_paused = true)]
async fn details_the_emulator_cannot_hold_are_collected() {
    use aws_sdk_apigateway::operation::{
        get_resources::GetResourcesOutput, get_rest_apis::GetRestApisOutput,
        get_stages::GetStagesOutput,
    };
    use aws_sdk_apigatewayv2::operation::{
        get_authorizers::GetAuthorizersOutput, get_routes::GetRoutesOutput,
    };
    use aws_sdk_lambda::operation::{
        list_code_signing_configs::ListCodeSigningConfigsOutput,
        list_functions::ListFunctionsOutput,
        list_functions_by_code_signing_config::ListFunctionsByCodeSigningConfigOutput,
    };
    let csc = format!("arn:aws:lambda:{REGION}:{ACCOUNT}:code-signing-config:csc-1");
    let foreign_layer = "arn:aws:lambda:eu-west-1:999999999999:layer:shared-deps:4";
    let dlq = format!("arn:aws:sqs:{REGION}:{ACCOUNT}:dlq");
    let lambda = {
        let (csc2, dlq) = (csc.clone(), dlq.clone());
        vec![
            mock!(aws_sdk_lambda::Client::list_functions).then_output(move || {
                let mut signed = config_of("signed");
                signed.dead_letter_config =
                    Some(lt::DeadLetterConfig::builder().target_arn(&dlq).build());
                signed.layers = Some(vec![lt::Layer::builder().arn(foreign_layer).build()]);
                ListFunctionsOutput::builder()
                    .functions(signed)
                    .functions(config_of("unsigned"))
                    .build()
            }),
            mock!(aws_sdk_lambda::Client::list_code_signing_configs).then_output(move || {
                ListCodeSigningConfigsOutput::builder()
                    .code_signing_configs(
                        lt::CodeSigningConfig::builder()
                            .code_signing_config_id("csc-1")
                            .code_signing_config_arn(&csc2)
                            .allowed_publishers(
                                lt::AllowedPublishers::builder()
                                    .signing_profile_version_arns("p")
                                    .build()
                                    .unwrap(),
                            )
                            .code_signing_policies(lt::CodeSigningPolicies::builder().build())
                            .last_modified("2026-01-01")
                            .build()
                            .unwrap(),
                    )
                    .build()
            }),
            mock!(aws_sdk_lambda::Client::list_functions_by_code_signing_config).then_output(
                || {
                    ListFunctionsByCodeSigningConfigOutput::builder()
                        .function_arns(format!("{}:3", fn_arn("signed")))
                        .build()
                },
            ),
        ]
    };
    let apigateway = vec![
        mock!(aws_sdk_apigateway::Client::get_rest_apis).then_output(|| {
            GetRestApisOutput::builder()
                .items(
                    aws_sdk_apigateway::types::RestApi::builder()
                        .id("r1")
                        .name("api")
                        .policy(r#"{\"Version\":\"2012-10-17\",\"Statement\":[]}"#)
                        .build(),
                )
                .build()
        }),
        mock!(aws_sdk_apigateway::Client::get_resources)
            .then_output(|| GetResourcesOutput::builder().build()),
        mock!(aws_sdk_apigateway::Client::get_stages).then_output(|| {
            GetStagesOutput::builder()
                .item(
                    aws_sdk_apigateway::types::Stage::builder()
                        .stage_name("prod")
                        .client_certificate_id("cert-1")
                        .web_acl_arn("arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/w/1")
                        .build(),
                )
                .build()
        }),
    ];
    let apigatewayv2 = one_http_api(
        mock!(aws_sdk_apigatewayv2::Client::get_routes).then_output(|| {
            GetRoutesOutput::builder()
                .items(
                    aws_sdk_apigatewayv2::types::Route::builder()
                        .route_id("rt")
                        .route_key("GET /me")
                        .authorization_type(aws_sdk_apigatewayv2::types::AuthorizationType::Jwt)
                        .authorizer_id("au1")
                        .build(),
                )
                .build()
        }),
        vec![
            mock!(aws_sdk_apigatewayv2::Client::get_authorizers).then_output(|| {
                GetAuthorizersOutput::builder()
                    .items(
                        aws_sdk_apigatewayv2::types::Authorizer::builder()
                            .authorizer_id("au1")
                            .name("cognito")
                            .authorizer_type(aws_sdk_apigatewayv2::types::AuthorizerType::Jwt)
                            .jwt_configuration(
                                aws_sdk_apigatewayv2::types::JwtConfiguration::builder()
                                    .issuer("https://cognito-idp.eu-west-1.amazonaws.com/pool")
                                    .audience("client")
                                    .build(),
                            )
                            .build(),
                    )
                    .build()
            }),
        ],
    );
    let r = scan(mocks(Rules {
        lambda,
        apigateway,
        apigatewayv2,
        ..Rules::default()
    }))
    .await;
    let signed = r
        .inventory
        .functions
        .iter()
        .find(|f| f.name == "signed")
        .unwrap();
    let unsigned = r
        .inventory
        .functions
        .iter()
        .find(|f| f.name == "unsigned")
        .unwrap();
    assert_eq!(signed.code_signing_config, Detail::collected(Some(csc)));
    assert_eq!(unsigned.code_signing_config, Detail::collected(None));
    assert_eq!(signed.dead_letter_target_arn, Some(dlq));
    assert_eq!(signed.layers, [foreign_layer]);
    let stage = &r.inventory.rest_apis[0].stages.value().unwrap()[0];
    assert_eq!(stage.client_certificate_id.as_deref(), Some("cert-1"));
    assert!(stage.web_acl_arn.is_some());
    assert_eq!(
        r.inventory.rest_apis[0].policy.as_ref().unwrap().value()["Version"],
        "2012-10-17"
    );
    let authorizers = r.inventory.http_apis[0].authorizers.value().unwrap();
    assert_eq!(
        authorizers[0].jwt_issuer.as_deref(),
        Some("https://cognito-idp.eu-west-1.amazonaws.com/pool")
    );
    assert_eq!(authorizers[0].jwt_audience, ["client"]);
    assert!(r.coverage.is_complete());
}

fn with_account(mut m: Mocks, rules: &[Rule]) -> Mocks {
    m.global.account = mock_client!(aws_sdk_account, RuleMode::MatchAny, rules, |c| c
        .retry_config(RetryConfig::disabled()));
    m
}

#[tokio::test(start_paused = true)]
async fn all_regions_asks_the_account_api() {
    use aws_sdk_account::operation::list_regions::ListRegionsOutput;
    use aws_sdk_account::types::{Region, RegionOptStatus};
    let regions = mock!(aws_sdk_account::Client::list_regions).then_compute_output(|req| {
        // Only enabled regions are asked for.
        let statuses = req.region_opt_status_contains();
        assert!(statuses.contains(&RegionOptStatus::Enabled));
        assert!(statuses.contains(&RegionOptStatus::EnabledByDefault));
        assert!(!statuses.contains(&RegionOptStatus::Disabled));
        let (names, next): (&[&str], Option<&str>) = match req.next_token() {
            None => (&["us-east-1", "eu-west-1"], Some("p2")),
            _ => (&["me-central-1"], None),
        };
        ListRegionsOutput::builder()
            .set_regions(Some(
                names
                    .iter()
                    .map(|n| Region::builder().region_name(*n).build())
                    .collect(),
            ))
            .set_next_token(next.map(str::to_string))
            .build()
    });
    let m = with_account(mocks(Rules::default()), &[regions]);
    let options = ScanOptions {
        regions: Regions::AllEnabled,
        ..options()
    };
    let r = collect::scan(Arc::new(m), options, None)
        .await
        .expect("scan");
    assert_eq!(r.regions, ["eu-west-1", "me-central-1", "us-east-1"]);
    assert!(r.coverage.is_complete());
}

#[tokio::test(start_paused = true)]
async fn all_regions_falls_back_to_the_default_regions_when_denied() {
    let denied = mock!(aws_sdk_account::Client::list_regions)
        .then_http_response(|| rest_json_error(403, "AccessDeniedException"));
    let m = with_account(mocks(Rules::default()), &[denied]);
    let options = ScanOptions {
        regions: Regions::AllEnabled,
        ..options()
    };
    let r = collect::scan(Arc::new(m), options, None)
        .await
        .expect("scan");
    assert_eq!(r.regions.len(), 17);
    assert!(r.regions.contains(&"eu-north-1".to_string()));
    let entry = coverage(&r, "ListRegions");
    assert_eq!(
        entry.failure.as_ref().unwrap().kind,
        FailureKind::AccessDenied
    );
}

#[tokio::test(start_paused = true)]
async fn iam_and_api_gateway_listings_follow_every_page() {
    use aws_sdk_apigateway::operation::{
        get_resources::GetResourcesOutput, get_rest_apis::GetRestApisOutput,
        get_stages::GetStagesOutput,
    };
    use aws_sdk_apigatewayv2::operation::get_routes::GetRoutesOutput;
    use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput;
    use aws_sdk_iam::types::RoleDetail;

    let trust = "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%7D%5D%7D";
    let gaad = mock!(aws_sdk_iam::Client::get_account_authorization_details).then_compute_output(
        move |req| {
            let (name, truncated) = match req.marker() {
                None => ("first", true),
                Some("m") => ("second", false),
                other => panic!("unexpected marker {other:?}"),
            };
            GetAccountAuthorizationDetailsOutput::builder()
                .role_detail_list(
                    RoleDetail::builder()
                        .role_name(name)
                        .arn(format!("arn:aws:iam::{ACCOUNT}:role/{name}"))
                        .assume_role_policy_document(trust)
                        .build(),
                )
                .is_truncated(truncated)
                .set_marker(truncated.then(|| "m".to_string()))
                .build()
        },
    );
    let apigateway = vec![
        mock!(aws_sdk_apigateway::Client::get_rest_apis).then_compute_output(|req| {
            let (id, next) = match req.position() {
                None => ("a1", Some("p".to_string())),
                _ => ("a2", None),
            };
            GetRestApisOutput::builder()
                .items(
                    aws_sdk_apigateway::types::RestApi::builder()
                        .id(id)
                        .name(id)
                        .build(),
                )
                .set_position(next)
                .build()
        }),
        mock!(aws_sdk_apigateway::Client::get_resources).then_compute_output(|req| {
            assert_eq!(req.embed(), &["methods".to_string()]);
            let (path, next) = match req.position() {
                None => ("/", Some("p".to_string())),
                _ => ("/deep", None),
            };
            GetResourcesOutput::builder()
                .items(
                    aws_sdk_apigateway::types::Resource::builder()
                        .id(path)
                        .path(path)
                        .build(),
                )
                .set_position(next)
                .build()
        }),
        mock!(aws_sdk_apigateway::Client::get_stages)
            .then_output(|| GetStagesOutput::builder().build()),
    ];
    let apigatewayv2 = one_http_api(
        mock!(aws_sdk_apigatewayv2::Client::get_routes).then_compute_output(|req| {
            let (key, next) = match req.next_token() {
                None => ("GET /a", Some("t".to_string())),
                _ => ("GET /b", None),
            };
            GetRoutesOutput::builder()
                .items(
                    aws_sdk_apigatewayv2::types::Route::builder()
                        .route_id(key)
                        .route_key(key)
                        .build(),
                )
                .set_next_token(next)
                .build()
        }),
        Vec::new(),
    );
    let r = scan(mocks(Rules {
        iam: vec![gaad],
        apigateway,
        apigatewayv2,
        ..Rules::default()
    }))
    .await;
    let roles: Vec<&str> = r.inventory.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(roles, ["first", "second"]);
    assert_eq!(r.inventory.rest_apis.len(), 2);
    for api in &r.inventory.rest_apis {
        let paths: Vec<&str> = api
            .resources
            .value()
            .unwrap()
            .iter()
            .map(|r| r.path.as_str())
            .collect();
        assert_eq!(paths, ["/", "/deep"]);
    }
    let routes: Vec<&str> = r.inventory.http_apis[0]
        .routes
        .value()
        .unwrap()
        .iter()
        .map(|r| r.route_key.as_str())
        .collect();
    assert_eq!(routes, ["GET /a", "GET /b"]);
    assert!(r.coverage.is_complete());
}

/// An alias's URL and resource policy are read with the alias as qualifier, and kept on the alias:
/// `$LATEST` here has neither, `live` has both. (moto keeps one URL per function whatever the
/// qualifier, so the emulator cannot hold this case.)
#[tokio::test(start_paused = true)]
async fn alias_urls_and_policies_are_read_qualified() {
    use aws_sdk_lambda::operation::{
        get_function_url_config::GetFunctionUrlConfigOutput, get_policy::GetPolicyOutput,
        list_aliases::ListAliasesOutput, list_functions::ListFunctionsOutput,
    };
    let live_policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"FunctionURLAllowPublicAccess","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:site:live"},{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:site:live"}]}"#;
    let lambda = vec![
        mock!(aws_sdk_lambda::Client::list_functions).then_output(|| {
            let mut v3 = config_of("site");
            v3.version = Some("3".into());
            v3.function_arn = Some(format!("{}:3", fn_arn("site")));
            ListFunctionsOutput::builder()
                .functions(config_of("site"))
                .functions(v3)
                .build()
        }),
        mock!(aws_sdk_lambda::Client::list_aliases).then_output(|| {
            ListAliasesOutput::builder()
                .aliases(
                    lt::AliasConfiguration::builder()
                        .name("live")
                        .alias_arn(format!("{}:live", fn_arn("site")))
                        .function_version("3")
                        .build(),
                )
                .build()
        }),
        mock!(aws_sdk_lambda::Client::get_policy)
            .match_requests(|r| r.qualifier() == Some("live"))
            .then_output(move || GetPolicyOutput::builder().policy(live_policy).build()),
        mock!(aws_sdk_lambda::Client::get_function_url_config)
            .match_requests(|r| r.qualifier() == Some("live"))
            .then_output(|| {
                GetFunctionUrlConfigOutput::builder()
                    .function_url("https://live123.lambda-url.eu-west-1.on.aws/")
                    .function_arn(format!("{}:live", fn_arn("site")))
                    .auth_type(lt::FunctionUrlAuthType::None)
                    .creation_time("2026-01-01T00:00:00Z")
                    .last_modified_time("2026-01-01T00:00:00Z")
                    .build()
                    .unwrap()
            }),
    ];
    let mut lambda = lambda;
    lambda.push(
        mock!(aws_sdk_lambda::Client::get_function_event_invoke_config)
            .match_requests(|r| r.qualifier() == Some("live"))
            .then_output(|| {
                aws_sdk_lambda::operation::get_function_event_invoke_config::GetFunctionEventInvokeConfigOutput::builder()
                    .maximum_retry_attempts(0)
                    .build()
            }),
    );
    let r = scan(mocks(Rules {
        lambda,
        ..Rules::default()
    }))
    .await;
    let site = &r.inventory.functions[0];
    assert_eq!(site.url, Detail::collected(None), "$LATEST has no URL");
    assert_eq!(site.policy, Detail::collected(None), "nor a policy");
    let aliases = site.aliases.value().expect("aliases listed");
    assert_eq!(aliases.len(), 1);
    let live = &aliases[0];
    let url = live.url.value().unwrap().as_ref().expect("the alias's URL");
    assert_eq!(url.url, "https://live123.lambda-url.eu-west-1.on.aws/");
    assert_eq!(url.auth_type, "NONE");
    let policy = live
        .policy
        .value()
        .unwrap()
        .as_ref()
        .expect("the alias's policy");
    assert_eq!(
        policy.value()["Statement"][0]["Sid"],
        "FunctionURLAllowPublicAccess"
    );
    // S3 may invoke the alias: its own event invoke config is read; $LATEST's policy admits
    // no asynchronous invoker, so its config is skipped.
    let invoke = live
        .async_invoke
        .value()
        .unwrap()
        .as_ref()
        .expect("alias invoke config");
    assert_eq!(invoke.maximum_retry_attempts, Some(0));
    assert!(matches!(site.async_invoke, Detail::Skipped { .. }));
    // Two calls each for $LATEST and for the alias.
    assert_eq!(coverage(&r, "GetPolicy").succeeded, 2);
    assert_eq!(coverage(&r, "GetFunctionUrlConfig").succeeded, 2);
    assert!(r.coverage.is_complete());
}

/// How a listing fails: at its first page, or at its second after a page that worked.
#[derive(Clone, Copy, Debug)]
enum Breaks {
    AtFirstPage,
    Midway,
    /// The service hands back the same page token again and again.
    RepeatingToken,
}

/// Rules for one listing that breaks as `how` says; other listings stay empty and healthy.
fn broken_listing(operation: &str, how: Breaks) -> Rules {
    use aws_sdk_apigateway::operation::get_rest_apis::GetRestApisOutput;
    use aws_sdk_apigatewayv2::operation::get_apis::GetApisOutput;
    use aws_sdk_lambda::operation::list_event_source_mappings::ListEventSourceMappingsOutput;
    use aws_sdk_lambda::operation::list_functions::ListFunctionsOutput;
    use aws_sdk_secretsmanager::operation::list_secrets::ListSecretsOutput;
    let mut rules = Rules::default();
    // Page tokens: none for the first page; `p2` for the second (which fails midway).
    let fail_on = move |token: Option<&str>| match how {
        Breaks::AtFirstPage => true,
        Breaks::Midway => token.is_some(),
        Breaks::RepeatingToken => false,
    };
    // One function, so that something rests on every listing.
    let function = || {
        mock!(aws_sdk_lambda::Client::list_functions).then_output(|| {
            ListFunctionsOutput::builder()
                .functions(config_of("a"))
                .build()
        })
    };
    match operation {
        "ListFunctions" => rules.lambda.extend([
            mock!(aws_sdk_lambda::Client::list_functions)
                .match_requests(move |r| fail_on(r.marker()))
                .then_http_response(|| rest_json_error(403, "AccessDeniedException")),
            mock!(aws_sdk_lambda::Client::list_functions).then_output(|| {
                ListFunctionsOutput::builder()
                    .functions(config_of("a"))
                    .next_marker("p2")
                    .build()
            }),
        ]),
        "ListEventSourceMappings" => rules.lambda.extend([
            mock!(aws_sdk_lambda::Client::list_event_source_mappings)
                .match_requests(move |r| fail_on(r.marker()))
                .then_http_response(|| rest_json_error(403, "AccessDeniedException")),
            mock!(aws_sdk_lambda::Client::list_event_source_mappings).then_output(|| {
                ListEventSourceMappingsOutput::builder()
                    .next_marker("p2")
                    .build()
            }),
            function(),
        ]),
        "ListSecrets" => {
            rules.secrets.extend([
                mock!(aws_sdk_secretsmanager::Client::list_secrets)
                    .match_requests(move |r| fail_on(r.next_token()))
                    .then_http_response(|| aws_json_error("AccessDeniedException")),
                mock!(aws_sdk_secretsmanager::Client::list_secrets)
                    .then_output(|| ListSecretsOutput::builder().next_token("p2").build()),
            ]);
            rules.lambda.push(function());
        }
        "GetRestApis" => {
            rules.apigateway.extend([
                mock!(aws_sdk_apigateway::Client::get_rest_apis)
                    .match_requests(move |r| fail_on(r.position()))
                    .then_http_response(|| rest_json_error(403, "AccessDeniedException")),
                mock!(aws_sdk_apigateway::Client::get_rest_apis)
                    .then_output(|| GetRestApisOutput::builder().position("p2").build()),
            ]);
            rules.lambda.push(function());
        }
        "GetApis" => {
            rules.apigatewayv2.extend([
                mock!(aws_sdk_apigatewayv2::Client::get_apis)
                    .match_requests(move |r| fail_on(r.next_token()))
                    .then_http_response(|| rest_json_error(403, "AccessDeniedException")),
                mock!(aws_sdk_apigatewayv2::Client::get_apis)
                    .then_output(|| GetApisOutput::builder().next_token("p2").build()),
            ]);
            rules.lambda.push(function());
        }
        other => panic!("{other}"),
    }
    rules
}

/// Each top-level listing that fails, at its first page or midway, or that repeats a page token,
/// is a gap in the coverage and, through the assessment, leaves what rests on it not assessed:
/// never "there is nothing".
#[tokio::test(start_paused = true)]
async fn a_failed_listing_reaches_the_assessment_as_not_assessed() {
    for (operation, rule, missing) in [
        (
            "ListFunctions",
            "lambda-env-secret",
            "functions in eu-west-1",
        ),
        ("ListEventSourceMappings", "lambda-forgotten", "function a"),
        (
            "ListSecrets",
            "secret-rotation-disabled",
            "secrets in eu-west-1",
        ),
        ("ListSecrets", "lambda-forgotten", "function a"),
        (
            "GetRestApis",
            "apigw-rest-method-open",
            "REST APIs in eu-west-1",
        ),
        ("GetApis", "apigw-http-route-open", "HTTP APIs in eu-west-1"),
    ] {
        for how in [Breaks::AtFirstPage, Breaks::Midway, Breaks::RepeatingToken] {
            let r = scan(mocks(broken_listing(operation, how))).await;
            let what = format!("{operation} {how:?}");
            let entry = coverage(&r, operation);
            assert!(entry.failed >= 1, "{what}: the coverage shows no gap");
            if matches!(how, Breaks::RepeatingToken) {
                let why = entry.why();
                assert!(why.contains("repeated a page token"), "{what}: {why}");
            }
            let snap = assessed(r);
            let a = &snap.assessment;
            let resource = match missing {
                "function a" => fn_arn("a"),
                other => other.to_string(),
            };
            let n = a
                .not_assessed
                .iter()
                .find(|n| n.rule == rule && n.resource == resource)
                .unwrap_or_else(|| {
                    panic!("{what}: {rule} on {resource} is not marked not assessed")
                });
            assert!(n.reason.contains(operation), "{what}: {}", n.reason);
            assert!(
                !a.findings
                    .iter()
                    .any(|f| f.rule == rule && f.resource == resource),
                "{what}"
            );
        }
    }
}

/// Healthy mocked clients for one region, and real SDK clients whose endpoint accepts
/// connections and never answers for another.
struct OneSilentRegion {
    healthy: Mocks,
    silent: RegionClients,
}

impl ClientFactory for OneSilentRegion {
    fn global(&self) -> GlobalClients {
        self.healthy.global.clone()
    }
    fn region(&self, region: &str) -> RegionClients {
        if region == REGION {
            self.healthy.region.clone()
        } else {
            self.silent.clone()
        }
    }
}

/// One region's endpoint accepts connections and never answers. Its calls time out, the
/// breaker opens on the attempts, and the calls already retrying stop there instead of each
/// waiting out its own retries: the silent endpoint sees a handful of connections, the healthy
/// region is read whole, and the silent one is "not assessed" with the reason.
#[tokio::test]
async fn a_silent_endpoint_never_stalls_the_healthy_regions() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let held = {
        let accepted = accepted.clone();
        tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                accepted.fetch_add(1, Ordering::SeqCst);
                open.push(socket); // never read, never answered, never closed
            }
        })
    };
    let silent_region = "eu-central-1";
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(&endpoint)
        .region(aws_config::Region::new(silent_region))
        .credentials_provider(aws_credential_types::Credentials::new(
            "testing", "testing", None, None, "tests",
        ))
        .retry_config(RetryConfig::disabled())
        .load()
        .await;
    let silent = sprawl::collect::aws::SdkClients::new(config).region(silent_region);
    let factory = OneSilentRegion {
        healthy: mocks(Rules {
            lambda: vec![functions_listed(&["a", "b", "c"])],
            ..Rules::default()
        }),
        silent,
    };
    let attempts = 6;
    let options = ScanOptions {
        regions: Regions::Listed(vec![REGION.into(), silent_region.into()]),
        concurrency: 4,
        retry: RetryPolicy {
            max_attempts: attempts,
            attempt_timeout: Duration::from_millis(300),
            operation_timeout: Duration::from_secs(10),
            transient_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(20),
            ..RetryPolicy::default()
        },
        plan: QuotaPlan::scaled(4.0),
        ..ScanOptions::default()
    };
    let r = collect::scan(Arc::new(factory), options, None)
        .await
        .expect("scan");
    held.abort();

    // The healthy region is whole.
    let names: Vec<&str> = r
        .inventory
        .functions
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert!(
        r.coverage.gaps().all(|g| g.region == silent_region),
        "{:?}",
        r.coverage
    );
    // The silent region is a gap with its reason, for each listing.
    for op in [
        "ListFunctions",
        "ListSecrets",
        "GetRestApis",
        "GetApis",
        "DescribeLogGroups",
        "DescribeAlarms",
    ] {
        let e = r
            .coverage
            .entries
            .iter()
            .find(|e| e.operation == op && e.region == silent_region)
            .unwrap_or_else(|| panic!("{op}"));
        let kind = e.failure.as_ref().unwrap().kind;
        assert!(
            matches!(kind, FailureKind::TimedOut | FailureKind::Unreachable),
            "{op}: {kind:?}"
        );
    }
    // Eight listings in six services, six attempts each, would be 48 connections without the
    // breaker. With it a service stops once three attempts went silent: three for each of the
    // five services with one listing, and for Lambda's three listings in flight at once at most
    // two more attempts that started as the third went silent.
    let n = accepted.load(Ordering::SeqCst);
    assert!(n <= 3 * 5 + 5, "{n} connections to the silent endpoint");
}

/// Issue 20 (14), as README says: a principal denied `lambda:GetFunction` (the one grant whose
/// answer carries a code URL) still scans; each function's tags and reserved concurrency are
/// not assessed, with the denial in the coverage, never read as "no tags" or "unbounded".
#[tokio::test(start_paused = true)]
async fn a_denied_get_function_leaves_tags_and_concurrency_not_assessed() {
    let list = functions_listed(&["a", "b"]);
    let denied = mock!(aws_sdk_lambda::Client::get_function)
        .then_http_response(|| rest_json_error(403, "AccessDeniedException"));
    let r = scan(mocks(Rules {
        lambda: vec![list, denied],
        ..Rules::default()
    }))
    .await;
    assert_eq!(r.inventory.functions.len(), 2);
    for f in &r.inventory.functions {
        assert!(is_denied(&f.tags), "{:?}", f.tags);
        assert!(
            is_denied(&f.reserved_concurrency),
            "{:?}",
            f.reserved_concurrency
        );
    }
    let entry = coverage(&r, "GetFunction");
    assert_eq!(entry.succeeded, 0);
    assert_eq!(
        entry.failure.as_ref().map(|f| f.kind),
        Some(FailureKind::AccessDenied)
    );
}

/// Issue 27: `--no-get-function` never calls GetFunction; ListTags denied leaves the tags not
/// assessed (never "no tags") while GetFunctionConcurrency still gives the reserved concurrency.
#[tokio::test(start_paused = true)]
async fn without_get_function_a_denied_list_tags_leaves_tags_not_assessed() {
    use aws_sdk_lambda::operation::get_function_concurrency::GetFunctionConcurrencyOutput;
    let m = mocks(Rules {
        lambda: vec![
            functions_listed(&["a", "b"]),
            mock!(aws_sdk_lambda::Client::list_tags)
                .then_http_response(|| rest_json_error(403, "AccessDeniedException")),
            mock!(aws_sdk_lambda::Client::get_function_concurrency).then_output(|| {
                GetFunctionConcurrencyOutput::builder()
                    .reserved_concurrent_executions(7)
                    .build()
            }),
        ],
        ..Rules::default()
    });
    let options = ScanOptions {
        no_get_function: true,
        ..options()
    };
    let r = collect::scan(Arc::new(m), options, None)
        .await
        .expect("scan");
    assert_eq!(r.inventory.functions.len(), 2);
    for f in &r.inventory.functions {
        assert!(is_denied(&f.tags), "{:?}", f.tags);
        assert_eq!(f.reserved_concurrency, Detail::collected(Some(7)));
    }
    let get = coverage(&r, "GetFunction");
    assert_eq!((get.succeeded, get.failed, get.skipped), (0, 0, 2));
    let tags = coverage(&r, "ListTags");
    assert_eq!(
        tags.failure.as_ref().map(|f| f.kind),
        Some(FailureKind::AccessDenied)
    );
    assert_eq!(coverage(&r, "GetFunctionConcurrency").succeeded, 2);
}

/// Issue 28: a topic's attributes denied (another account's topic, or a policy without
/// sns:GetTopicAttributes) leave its policy and key not read, with the operation in the
/// coverage: never "no policy", so whoever may publish to it is not judged rather than nobody.
#[tokio::test(start_paused = true)]
async fn a_denied_topic_is_not_read_never_empty() {
    let topic = format!("arn:aws:sns:{REGION}:210987654321:partner-events");
    let m = mocks(Rules {
        lambda: fed_by(
            "sns.amazonaws.com",
            serde_json::json!({"ArnLike": {"AWS:SourceArn": topic}}),
        ),
        sns: vec![
            mock!(aws_sdk_sns::Client::get_topic_attributes)
                .then_http_response(|| xml_error(403, "AuthorizationError")),
        ],
        ..Rules::default()
    });
    let r = scan(m).await;
    assert_eq!(r.inventory.topics.len(), 1);
    let t = &r.inventory.topics[0];
    assert_eq!(t.arn, topic);
    assert_eq!(t.triggers.len(), 1);
    assert!(matches!(t.policy, Detail::Failed { .. }), "{:?}", t.policy);
    assert!(
        matches!(t.kms_key_id, Detail::Failed { .. }),
        "{:?}",
        t.kms_key_id
    );
    let entry = coverage(&r, "GetTopicAttributes");
    assert_eq!((entry.succeeded, entry.failed), (0, 1));
    assert!(entry.failure.is_some());
}

/// The scan assessed: `lambda-source-public` not assessed for the function, for a reason that
/// names `what` (the source's part that was not read), never passed.
fn source_not_assessed(r: ScanResult, what: &str) {
    let snap = sprawl::snapshot::Snapshot::new(
        r.account,
        r.regions,
        r.coverage,
        r.inventory,
        r.scanned_at,
    );
    assert!(
        snap.assessment
            .not_assessed
            .iter()
            .any(|n| n.rule == "lambda-source-public" && n.reason.contains(what)),
        "{:?}",
        snap.assessment.not_assessed
    );
}

/// Rules for one function, `fed`, whose resource policy lets `service` (its principal,
/// `sns.amazonaws.com`) invoke it under `condition` (a push permission): an asynchronous
/// invoker's, so its invoke config is read too (none).
fn fed_by(service: &str, condition: serde_json::Value) -> Vec<Rule> {
    use aws_sdk_lambda::operation::get_policy::GetPolicyOutput;
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Sid": "push",
        "Effect": "Allow", "Principal": {"Service": service},
        "Action": "lambda:InvokeFunction", "Condition": condition}]})
    .to_string();
    vec![
        functions_listed(&["fed"]),
        mock!(aws_sdk_lambda::Client::get_policy)
            .then_output(move || GetPolicyOutput::builder().policy(policy.clone()).build()),
        mock!(aws_sdk_lambda::Client::get_function_event_invoke_config)
            .then_http_response(|| rest_json_error(404, "ResourceNotFoundException")),
    ]
}

/// Rules for one function, `worker`, that an event source mapping has poll `source`.
fn polled(source: String) -> Vec<Rule> {
    use aws_sdk_lambda::operation::list_event_source_mappings::ListEventSourceMappingsOutput;
    vec![
        functions_listed(&["worker"]),
        mock!(aws_sdk_lambda::Client::list_event_source_mappings).then_output(move || {
            ListEventSourceMappingsOutput::builder()
                .event_source_mappings(
                    lt::EventSourceMappingConfiguration::builder()
                        .uuid("m1")
                        .function_arn(fn_arn("worker"))
                        .event_source_arn(source.clone())
                        .state("Enabled")
                        .build(),
                )
                .build()
        }),
    ]
}

/// Issue 28: a table's policy denied (a role without dynamodb:GetResourcePolicy) leaves who may
/// write to the stream a function polls not judged, never nobody; the table is read once.
#[tokio::test(start_paused = true)]
async fn a_denied_table_is_not_read_never_empty() {
    let stream =
        format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders/stream/2026-12-01T00:00:00.000");
    let m = mocks(Rules {
        lambda: polled(stream),
        dynamodb: vec![
            mock!(aws_sdk_dynamodb::Client::get_resource_policy)
                .then_http_response(|| aws_json_error("AccessDeniedException")),
        ],
        ..Rules::default()
    });
    let r = scan(m).await;
    assert_eq!(r.inventory.streams.len(), 1);
    let t = &r.inventory.streams[0];
    assert_eq!(
        t.arn,
        format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders")
    );
    assert!(matches!(t.policy, Detail::Failed { .. }), "{:?}", t.policy);
    let entry = r
        .coverage
        .entries
        .iter()
        .find(|e| e.service == "dynamodb" && e.operation == "GetResourcePolicy")
        .expect("the table's read in the coverage");
    assert_eq!((entry.succeeded, entry.failed), (0, 1));
    source_not_assessed(r, "table policy");
}

/// Issue 28: a bus's description denied (a role without events:DescribeEventBus) leaves its
/// policy not read: who may put events on it is not judged, never nobody.
#[tokio::test(start_paused = true)]
async fn a_denied_bus_is_not_read_never_empty() {
    use aws_sdk_eventbridge::operation::describe_rule::DescribeRuleOutput;
    let rule = format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/partner-bus/created");
    let m = mocks(Rules {
        lambda: fed_by(
            "events.amazonaws.com",
            serde_json::json!({"ArnLike": {"AWS:SourceArn": rule}}),
        ),
        events: vec![
            mock!(aws_sdk_eventbridge::Client::describe_rule).then_output(|| {
                DescribeRuleOutput::builder()
                    .state("ENABLED".into())
                    .build()
            }),
            mock!(aws_sdk_eventbridge::Client::describe_event_bus)
                .then_http_response(|| aws_json_error("AccessDeniedException")),
        ],
        ..Rules::default()
    });
    let r = scan(m).await;
    assert_eq!(r.inventory.event_rules.len(), 1);
    assert_eq!(
        r.inventory.event_rules[0].bus,
        format!("arn:aws:events:{REGION}:{ACCOUNT}:event-bus/partner-bus")
    );
    assert_eq!(r.inventory.event_buses.len(), 1);
    let b = &r.inventory.event_buses[0];
    assert!(matches!(b.policy, Detail::Failed { .. }), "{:?}", b.policy);
    let entry = coverage(&r, "DescribeEventBus");
    assert_eq!((entry.succeeded, entry.failed), (0, 1));
    source_not_assessed(r, "bus policy");
}

/// Issue 28: a queue's attributes denied (another account's queue, or a role without
/// sqs:GetQueueAttributes) leave its policy and key not read, with the operation in the
/// coverage: whoever may send to it is not judged, never nobody.
#[tokio::test(start_paused = true)]
async fn a_denied_queue_is_not_read_never_empty() {
    let queue = format!("arn:aws:sqs:{REGION}:{ACCOUNT}:orders");
    let m = mocks(Rules {
        lambda: polled(queue),
        sqs: vec![
            mock!(aws_sdk_sqs::Client::get_queue_attributes)
                .then_http_response(|| aws_json_error("AccessDenied")),
        ],
        ..Rules::default()
    });
    let r = scan(m).await;
    assert_eq!(r.inventory.queues.len(), 1);
    let q = &r.inventory.queues[0];
    assert_eq!(q.triggers, [fn_arn("worker")]);
    assert!(matches!(q.policy, Detail::Failed { .. }), "{:?}", q.policy);
    let entry = coverage(&r, "GetQueueAttributes");
    assert_eq!((entry.succeeded, entry.failed), (0, 1));
    source_not_assessed(r, "queue policy");
}

/// Issue 28: a bucket's policy denied, and the account's Block Public Access denied (a read-only
/// role without s3:GetAccountPublicAccessBlock), leave them not read, with each operation in
/// the coverage: the bucket's uploaders are not judged, never "nobody". Settings S3 answers
/// "none" for (no Block Public Access, no ownership controls) are read as none.
#[tokio::test(start_paused = true)]
async fn a_denied_bucket_is_not_read_never_empty() {
    use aws_sdk_s3::operation::{
        get_bucket_acl::GetBucketAclOutput, get_bucket_location::GetBucketLocationOutput,
        get_bucket_notification_configuration::GetBucketNotificationConfigurationOutput,
    };
    let m = mocks(Rules {
        lambda: fed_by(
            "s3.amazonaws.com",
            serde_json::json!({"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::partner-drop"}, "StringEquals": {"AWS:SourceAccount": ACCOUNT}}),
        ),
        s3: vec![
            mock!(aws_sdk_s3::Client::get_bucket_location).then_output(|| {
                GetBucketLocationOutput::builder()
                    .location_constraint(REGION.into())
                    .build()
            }),
            mock!(aws_sdk_s3::Client::get_bucket_notification_configuration).then_output(|| {
                GetBucketNotificationConfigurationOutput::builder()
                    .lambda_function_configurations(
                        aws_sdk_s3::types::LambdaFunctionConfiguration::builder()
                            .lambda_function_arn(format!(
                                "arn:aws:lambda:{REGION}:{ACCOUNT}:function:fed"
                            ))
                            .events("s3:ObjectCreated:*".into())
                            .build()
                            .unwrap(),
                    )
                    .build()
            }),
            mock!(aws_sdk_s3::Client::get_bucket_acl)
                .then_output(|| GetBucketAclOutput::builder().build()),
            mock!(aws_sdk_s3::Client::get_bucket_policy)
                .then_http_response(|| s3_error(403, "AccessDenied")),
            mock!(aws_sdk_s3::Client::get_public_access_block)
                .then_http_response(|| s3_error(404, "NoSuchPublicAccessBlockConfiguration")),
            mock!(aws_sdk_s3::Client::get_bucket_ownership_controls)
                .then_http_response(|| s3_error(404, "OwnershipControlsNotFoundError")),
        ],
        s3control: vec![
            mock!(aws_sdk_s3control::Client::get_public_access_block)
                .then_http_response(|| xml_error(403, "AccessDenied")),
        ],
        ..Rules::default()
    });
    let r = scan(m).await;
    assert_eq!(r.inventory.buckets.len(), 1);
    let b = &r.inventory.buckets[0];
    assert_eq!(b.arn, "arn:aws:s3:::partner-drop");
    assert_eq!(b.region, Detail::collected(REGION.to_string()));
    assert!(matches!(b.policy, Detail::Failed { .. }), "{:?}", b.policy);
    assert!(
        matches!(b.account_public_access_block, Detail::Failed { .. }),
        "{:?}",
        b.account_public_access_block
    );
    assert_eq!(b.public_access_block, Detail::collected(None));
    assert_eq!(b.ownership, Detail::collected(None));
    for (service, op) in [
        ("s3", "GetBucketPolicy"),
        ("s3control", "GetPublicAccessBlock"),
    ] {
        let entry = r
            .coverage
            .entries
            .iter()
            .find(|e| e.service == service && e.operation == op)
            .unwrap_or_else(|| panic!("no coverage entry for {service} {op}"));
        assert_eq!(entry.failed, 1, "{op}");
        assert!(entry.failure.is_some(), "{op}");
    }
    source_not_assessed(r, "bucket policy");
}

/// DescribeLogGroups and DescribeAlarms denied: every function's log group and alarms are
/// "failed" with the reason, the coverage names the operation, and the rules that read them are
/// not assessed on each function, never passed.
#[tokio::test(start_paused = true)]
async fn denied_logs_and_alarms_are_not_assessed_never_passed() {
    let r = scan(mocks(Rules {
        lambda: vec![functions_listed(&["a", "b"])],
        logs: vec![
            mock!(aws_sdk_cloudwatchlogs::Client::describe_log_groups)
                .then_http_response(|| aws_json_error("AccessDeniedException")),
        ],
        cloudwatch: vec![
            mock!(aws_sdk_cloudwatch::Client::describe_alarms)
                .then_http_response(|| xml_error(403, "AccessDenied")),
        ],
        ..Rules::default()
    }))
    .await;
    for op in ["DescribeLogGroups", "DescribeAlarms"] {
        let entry = coverage(&r, op);
        assert_eq!(entry.failed, 1, "{op}");
        assert_eq!(
            entry.failure.as_ref().map(|f| f.kind),
            Some(FailureKind::AccessDenied),
            "{op}"
        );
    }
    for f in &r.inventory.functions {
        assert!(
            matches!(
                &f.logs,
                Detail::Failed {
                    kind: FailureKind::AccessDenied,
                    ..
                }
            ),
            "{}: {:?}",
            f.name,
            f.logs
        );
        assert!(matches!(&f.alarms, Detail::Failed { .. }), "{}", f.name);
        // Not asked for: skipped, with how to ask.
        assert!(
            matches!(&f.activity, Detail::Skipped { reason } if reason.contains("--metrics")),
            "{:?}",
            f.activity
        );
    }
    let snap = assessed(r);
    for rule in ["lambda-no-log-group", "lambda-logs-never-expire"] {
        let n = snap
            .assessment
            .not_assessed
            .iter()
            .find(|n| n.rule == rule && n.resource == fn_arn("a"))
            .unwrap_or_else(|| panic!("{rule} on a is not marked not assessed"));
        assert!(n.reason.contains("log group not read"), "{}", n.reason);
    }
    // The metric rules were not asked for: silent, not "not assessed" on every function.
    assert!(
        !snap
            .assessment
            .not_assessed
            .iter()
            .any(|n| n.rule == "lambda-idle"),
        "{:?}",
        snap.assessment.not_assessed
    );
}

/// With `--metrics`, GetMetricData is asked for seven daily metrics per function (the 99th
/// percentile among them, which the emulator cannot compute), its pages are followed and merged
/// by query id, a day with no datapoint stays "no data", and the cost is told before the call.
#[tokio::test(start_paused = true)]
async fn metrics_are_read_per_day_with_percentiles_across_pages() {
    use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
    use aws_sdk_cloudwatch::types::MetricDataResult;
    use aws_smithy_types::DateTime;
    let midnight = {
        let now = chrono::Utc::now().timestamp();
        now - now.rem_euclid(86_400)
    };
    let day = move |d: i64| DateTime::from_secs(midnight - (3 - d) * 86_400);
    let metrics =
        mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_compute_output(move |req| {
            let queries = req.metric_data_queries();
            let stats: Vec<&str> = queries
                .iter()
                .filter_map(|q| q.metric_stat()?.stat())
                .collect();
            assert!(
                queries
                    .iter()
                    .all(|q| q.metric_stat().and_then(|s| s.period()) == Some(86_400))
            );
            let result = |id: &str, points: &[(i64, f64)]| {
                MetricDataResult::builder()
                    .id(id)
                    .set_timestamps(Some(points.iter().map(|(d, _)| day(*d)).collect()))
                    .set_values(Some(points.iter().map(|(_, v)| *v).collect()))
                    .build()
            };
            if stats == ["p99", "p99"] {
                // The percentiles' own call: a's p99.
                return GetMetricDataOutput::builder()
                    .metric_data_results(result("f0m0", &[(0, 950.0)]))
                    .build();
            }
            assert_eq!(
                queries.len(),
                12,
                "six metrics for each of two functions: {stats:?}"
            );
            match req.next_token() {
                // Page one: a's invocations on days 0 and 2 (none on day 1), its longest run.
                None => GetMetricDataOutput::builder()
                    .metric_data_results(result("f0m0", &[(0, 120.0), (2, 80.0)]))
                    .metric_data_results(result("f0m4", &[(1, 400.0)]))
                    .next_token("page-2")
                    .build(),
                // Page two: a's errors on day 2, and b has no datapoint at all.
                Some("page-2") => GetMetricDataOutput::builder()
                    .metric_data_results(result("f0m1", &[(2, 12.0)]))
                    .metric_data_results(result("f1m0", &[]))
                    .build(),
                other => panic!("unexpected token {other:?}"),
            }
        });
    let mocks = mocks(Rules {
        lambda: vec![functions_listed(&["a", "b"])],
        cloudwatch: vec![metrics],
        ..Rules::default()
    });
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let r = collect::scan(
        Arc::new(mocks),
        ScanOptions {
            metrics_days: Some(3),
            ..options()
        },
        Some(tx),
    )
    .await
    .expect("scan");
    assert_eq!(
        coverage(&r, "GetMetricData").succeeded,
        3,
        "two pages, and the percentiles' call"
    );
    let a = r.inventory.functions[0]
        .activity
        .value()
        .expect("a's activity");
    assert_eq!(a.days, 3);
    assert_eq!(a.invocations.daily(3), vec![Some(120.0), None, Some(80.0)]);
    assert_eq!(a.errors.daily(3), vec![None, None, Some(12.0)]);
    assert_eq!(a.duration_max_ms.daily(3), vec![None, Some(400.0), None]);
    assert_eq!(a.duration_p99_ms.value().and_then(|s| s.max()), Some(950.0));
    assert_eq!(a.last_invoked_day(), Some(2));
    let b = r.inventory.functions[1]
        .activity
        .value()
        .expect("b's activity");
    assert_eq!((b.invocations.total(), b.last_invoked_day()), (None, None));
    let mut billed = None;
    while let Ok(e) = rx.try_recv() {
        if let sprawl::model::ProgressEvent::Billed {
            calls,
            metrics,
            usd,
            ..
        } = e
        {
            billed = Some((calls, metrics, usd));
        }
    }
    let (calls, metrics, usd) = billed.expect("the cost is told");
    assert_eq!((calls, metrics), (2, 14));
    assert!((usd - 0.000_14).abs() < 1e-12, "{usd}");
}

/// GetMetricData throttled past its retries: the functions' activity is "failed", never an idle
/// function, and the coverage shows the gap.
#[tokio::test(start_paused = true)]
async fn throttled_metrics_are_a_gap_never_an_idle_function() {
    let r = collect::scan(
        Arc::new(mocks(Rules {
            lambda: vec![functions_listed(&["a"])],
            cloudwatch: vec![
                mock!(aws_sdk_cloudwatch::Client::get_metric_data)
                    .then_http_response(|| xml_error(400, "Throttling")),
            ],
            ..Rules::default()
        })),
        ScanOptions {
            metrics_days: Some(90),
            ..options()
        },
        None,
    )
    .await
    .expect("scan");
    let entry = coverage(&r, "GetMetricData");
    assert_eq!(
        entry.failure.as_ref().map(|f| f.kind),
        Some(FailureKind::Throttled)
    );
    assert!(matches!(
        r.inventory.functions[0].activity,
        Detail::Failed {
            kind: FailureKind::Throttled,
            ..
        }
    ));
}

/// The execution role `exec` (the mocked functions' role) and a role no function uses, as
/// GetAccountAuthorizationDetails lists them.
fn exec_and_idle_roles() -> Rule {
    use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput;
    use aws_sdk_iam::types::RoleDetail;
    let trust = "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%7D%5D%7D";
    mock!(aws_sdk_iam::Client::get_account_authorization_details).then_output(move || {
        let role = |name: &str| {
            RoleDetail::builder()
                .role_name(name)
                .arn(format!("arn:aws:iam::{ACCOUNT}:role/{name}"))
                .assume_role_policy_document(trust)
                .build()
        };
        GetAccountAuthorizationDetailsOutput::builder()
            .role_detail_list(role("exec"))
            .role_detail_list(role("spare"))
            .is_truncated(false)
            .build()
    })
}

fn access_advisor_options() -> ScanOptions {
    ScanOptions {
        access_advisor: true,
        ..options()
    }
}

/// Issue 21 (Access Advisor, which moto lacks): the job is started on each execution role only,
/// polled while IAM runs it, its pages followed; the services granted come back with their last
/// use, and the tracked actions with theirs.
#[tokio::test(start_paused = true)]
async fn access_advisor_jobs_are_polled_to_completion_for_execution_roles() {
    use aws_sdk_iam::operation::generate_service_last_accessed_details::GenerateServiceLastAccessedDetailsOutput;
    use aws_sdk_iam::operation::get_service_last_accessed_details::GetServiceLastAccessedDetailsOutput;
    use aws_sdk_iam::types::{JobStatusType, ServiceLastAccessed, TrackedActionLastAccessed};
    use aws_smithy_types::DateTime;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let started = Arc::new(Mutex::new(Vec::new()));
    let polls = Arc::new(AtomicUsize::new(0));
    let generate = {
        let started = started.clone();
        mock!(aws_sdk_iam::Client::generate_service_last_accessed_details).then_compute_output(
            move |req| {
                started.lock().unwrap().push(req.arn().unwrap().to_string());
                GenerateServiceLastAccessedDetailsOutput::builder()
                    .job_id("job-1")
                    .build()
            },
        )
    };
    let get = {
        let polls = polls.clone();
        mock!(aws_sdk_iam::Client::get_service_last_accessed_details).then_compute_output(
            move |req| {
                let n = polls.fetch_add(1, Ordering::SeqCst);
                let at = DateTime::from_secs(1_790_000_000);
                let out = GetServiceLastAccessedDetailsOutput::builder()
                    .job_creation_date(at)
                    .job_completion_date(at);
                // Twice in progress, then two pages.
                if n < 2 {
                    return out
                        .job_status(JobStatusType::InProgress)
                        .set_services_last_accessed(Some(Vec::new()))
                        .build()
                        .unwrap();
                }
                let out = out.job_status(JobStatusType::Completed);
                match req.marker() {
                    None => out
                        .services_last_accessed(
                            ServiceLastAccessed::builder()
                                .service_name("Amazon S3")
                                .service_namespace("s3")
                                .last_authenticated(at)
                                .tracked_actions_last_accessed(
                                    TrackedActionLastAccessed::builder()
                                        .action_name("GetObject")
                                        .last_accessed_time(at)
                                        .build(),
                                )
                                .tracked_actions_last_accessed(
                                    TrackedActionLastAccessed::builder()
                                        .action_name("DeleteObject")
                                        .build(),
                                )
                                .build()
                                .unwrap(),
                        )
                        .is_truncated(true)
                        .marker("page-2")
                        .build()
                        .unwrap(),
                    Some(_) => out
                        .services_last_accessed(
                            ServiceLastAccessed::builder()
                                .service_name("AWS Key Management Service")
                                .service_namespace("kms")
                                .build()
                                .unwrap(),
                        )
                        .is_truncated(false)
                        .build()
                        .unwrap(),
                }
            },
        )
    };
    let r = collect::scan(
        Arc::new(mocks(Rules {
            lambda: vec![functions_listed(&["a"])],
            iam: vec![exec_and_idle_roles(), generate, get],
            ..Rules::default()
        })),
        access_advisor_options(),
        None,
    )
    .await
    .expect("scan");
    assert_eq!(
        *started.lock().unwrap(),
        [format!("arn:aws:iam::{ACCOUNT}:role/exec")],
        "a job for the execution role only"
    );
    assert_eq!(
        polls.load(Ordering::SeqCst),
        4,
        "two polls in progress, two pages"
    );
    let exec = r.inventory.roles.iter().find(|r| r.name == "exec").unwrap();
    let report = exec.access_advisor.value().expect("a report");
    let names: Vec<(&str, bool)> = report
        .services
        .iter()
        .map(|s| (s.namespace.as_str(), s.last_authenticated.is_some()))
        .collect();
    assert_eq!(names, [("s3", true), ("kms", false)]);
    assert_eq!(report.services[0].actions.len(), 2);
    assert!(report.services[0].actions[1].last_accessed.is_none());
    let spare = r.inventory.roles.iter().find(|r| r.name == "spare");
    assert!(spare.is_none_or(|s| !s.access_advisor.is_collected()));
    // And the least-privilege policy that follows drops KMS and the unused DeleteObject.
    let snap = assessed(r);
    assert!(
        snap.assessment
            .findings
            .iter()
            .any(|f| f.rule == "iam-role-unused-services" && f.message.contains("kms")),
        "{:?}",
        snap.assessment.findings
    );
}

/// A job IAM never completes is given up after its time, a gap in the coverage, and the role's
/// unused-service check is not assessed; a denied job start likewise.
#[tokio::test(start_paused = true)]
async fn an_access_advisor_job_that_never_completes_is_a_gap_never_a_pass() {
    use aws_sdk_iam::operation::generate_service_last_accessed_details::GenerateServiceLastAccessedDetailsOutput;
    use aws_sdk_iam::operation::get_service_last_accessed_details::GetServiceLastAccessedDetailsOutput;
    use aws_sdk_iam::types::JobStatusType;
    let generate =
        mock!(aws_sdk_iam::Client::generate_service_last_accessed_details).then_output(|| {
            GenerateServiceLastAccessedDetailsOutput::builder()
                .job_id("job-1")
                .build()
        });
    let stuck = mock!(aws_sdk_iam::Client::get_service_last_accessed_details).then_output(|| {
        GetServiceLastAccessedDetailsOutput::builder()
            .job_status(JobStatusType::InProgress)
            .job_creation_date(aws_smithy_types::DateTime::from_secs(0))
            .job_completion_date(aws_smithy_types::DateTime::from_secs(0))
            .set_services_last_accessed(Some(Vec::new()))
            .build()
            .unwrap()
    });
    let denied = mock!(aws_sdk_iam::Client::generate_service_last_accessed_details)
        .then_http_response(|| xml_error(403, "AccessDenied"));
    for (rules, kind, op) in [
        (
            vec![exec_and_idle_roles(), generate, stuck],
            FailureKind::TimedOut,
            "GetServiceLastAccessedDetails",
        ),
        (
            vec![exec_and_idle_roles(), denied],
            FailureKind::AccessDenied,
            "GenerateServiceLastAccessedDetails",
        ),
    ] {
        let r = collect::scan(
            Arc::new(mocks(Rules {
                lambda: vec![functions_listed(&["a"])],
                iam: rules,
                ..Rules::default()
            })),
            access_advisor_options(),
            None,
        )
        .await
        .expect("scan");
        let entry = coverage(&r, op);
        assert_eq!(entry.failure.as_ref().map(|f| f.kind), Some(kind), "{op}");
        let exec = r.inventory.roles.iter().find(|r| r.name == "exec").unwrap();
        assert!(
            matches!(&exec.access_advisor, Detail::Failed { kind: k, .. } if *k == kind),
            "{:?}",
            exec.access_advisor
        );
        let snap = assessed(r);
        assert!(
            snap.assessment
                .not_assessed
                .iter()
                .any(|n| n.rule == "iam-role-unused-services" && n.resource.ends_with("role/exec")),
            "{:?}",
            snap.assessment.not_assessed
        );
    }
}

/// Issue 21: with `--metrics`, provisioned concurrency (which moto lacks) is asked only of
/// functions with published versions (a function without can have none), read per alias, and
/// costs the function money even idle; a denied listing is a gap on that function.
#[tokio::test(start_paused = true)]
async fn provisioned_concurrency_is_read_where_it_can_be() {
    use aws_sdk_lambda::operation::list_functions::ListFunctionsOutput;
    use aws_sdk_lambda::operation::list_provisioned_concurrency_configs::ListProvisionedConcurrencyConfigsOutput;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listing = mock!(aws_sdk_lambda::Client::list_functions).then_output(|| {
        let mut one = config_of("warm");
        one.version = Some("1".into());
        one.function_arn = Some(format!("{}:1", fn_arn("warm")));
        ListFunctionsOutput::builder()
            .functions(config_of("warm"))
            .functions(one)
            .functions(config_of("cold"))
            .build()
    });
    let asked = Arc::new(AtomicUsize::new(0));
    let configs = {
        let asked = asked.clone();
        mock!(aws_sdk_lambda::Client::list_provisioned_concurrency_configs).then_compute_output(
            move |req| {
                asked.fetch_add(1, Ordering::SeqCst);
                assert_eq!(req.function_name(), Some("warm"));
                ListProvisionedConcurrencyConfigsOutput::builder()
                    .provisioned_concurrency_configs(
                        lt::ProvisionedConcurrencyConfigListItem::builder()
                            .function_arn(format!("{}:live", fn_arn("warm")))
                            .allocated_provisioned_concurrent_executions(5)
                            .requested_provisioned_concurrent_executions(5)
                            .status(lt::ProvisionedConcurrencyStatusEnum::Ready)
                            .build(),
                    )
                    .build()
            },
        )
    };
    let aliases = mock!(aws_sdk_lambda::Client::list_aliases).then_output(|| {
        aws_sdk_lambda::operation::list_aliases::ListAliasesOutput::builder().build()
    });
    let metrics = mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_output(|| {
        aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput::builder().build()
    });
    let r = collect::scan(
        Arc::new(mocks(Rules {
            lambda: vec![listing, configs, aliases],
            cloudwatch: vec![metrics],
            ..Rules::default()
        })),
        ScanOptions {
            metrics_days: Some(30),
            ..options()
        },
        None,
    )
    .await
    .expect("scan");
    assert_eq!(
        asked.load(Ordering::SeqCst),
        1,
        "only the function with a version"
    );
    let of = |name: &str| {
        r.inventory
            .functions
            .iter()
            .find(|f| f.name == name)
            .unwrap()
            .provisioned_concurrency
            .clone()
    };
    let warm = of("warm");
    let warm = warm.value().expect("read");
    assert_eq!((warm[0].qualifier.as_str(), warm[0].allocated), ("live", 5));
    assert_eq!(of("cold"), Detail::collected(Vec::new()));
    // Five environments of 128 MB kept warm a month: 5 x 0.125 GB x 2,592,000 s x $0.0000041667.
    let f = r
        .inventory
        .functions
        .iter()
        .find(|f| f.name == "warm")
        .unwrap();
    let cost = sprawl::assess::cost::monthly(f).expect("metrics read");
    assert!((cost.provisioned_usd - 6.75).abs() < 0.01, "{cost:?}");
}

/// Functions that log to one group of their own choosing (outside `/aws/lambda/`) share one
/// DescribeLogGroups of it, and each gets the group.
#[tokio::test(start_paused = true)]
async fn a_shared_custom_log_group_is_listed_once() {
    use aws_sdk_cloudwatchlogs::operation::describe_log_groups::DescribeLogGroupsOutput;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listing = mock!(aws_sdk_lambda::Client::list_functions).then_output(|| {
        let shared = |name: &str| {
            let mut c = config_of(name);
            c.logging_config = Some(
                lt::LoggingConfig::builder()
                    .log_group("/shared/app")
                    .build(),
            );
            c
        };
        aws_sdk_lambda::operation::list_functions::ListFunctionsOutput::builder()
            .functions(shared("a"))
            .functions(shared("b"))
            .build()
    });
    let asked = Arc::new(AtomicUsize::new(0));
    let groups = {
        let asked = asked.clone();
        mock!(aws_sdk_cloudwatchlogs::Client::describe_log_groups).then_compute_output(move |req| {
            let out = DescribeLogGroupsOutput::builder();
            if req.log_group_name_prefix() == Some("/shared/app") {
                asked.fetch_add(1, Ordering::SeqCst);
                return out
                    .log_groups(
                        aws_sdk_cloudwatchlogs::types::LogGroup::builder()
                            .log_group_name("/shared/app")
                            .retention_in_days(30)
                            .build(),
                    )
                    .build();
            }
            out.build()
        })
    };
    let r = scan(mocks(Rules {
        lambda: vec![listing],
        logs: vec![groups],
        ..Rules::default()
    }))
    .await;
    assert_eq!(
        asked.load(Ordering::SeqCst),
        1,
        "one listing of the shared group"
    );
    for f in &r.inventory.functions {
        let group = f.logs.value().cloned().flatten().expect("the shared group");
        assert_eq!(
            (group.name.as_str(), group.retention_days),
            ("/shared/app", Some(30))
        );
    }
}

/// Issue 28: a user pool's description denied (a role without cognito-idp:DescribeUserPool)
/// leaves whether anyone may sign up not known, with the operation in the coverage: the
/// function its trigger runs is not assessed for it, never passed.
#[tokio::test(start_paused = true)]
async fn a_denied_user_pool_is_not_read_never_closed() {
    let pool = format!("arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{REGION}_customers");
    let m = mocks(Rules {
        lambda: fed_by(
            "cognito-idp.amazonaws.com",
            serde_json::json!({"ArnLike": {"AWS:SourceArn": pool}}),
        ),
        cognito: vec![
            mock!(aws_sdk_cognitoidentityprovider::Client::describe_user_pool)
                .then_http_response(|| aws_json_error("AccessDeniedException")),
        ],
        ..Rules::default()
    });
    let r = scan(m).await;
    assert_eq!(r.inventory.user_pools.len(), 1);
    let p = &r.inventory.user_pools[0];
    assert_eq!(
        (p.arn.as_str(), p.triggers.as_slice()),
        (pool.as_str(), &[fn_arn("fed")][..])
    );
    assert!(
        matches!(p.self_sign_up, Detail::Failed { .. }),
        "{:?}",
        p.self_sign_up
    );
    let entry = coverage(&r, "DescribeUserPool");
    assert_eq!((entry.succeeded, entry.failed), (0, 1));
    source_not_assessed(r, "whether anyone may sign up");
}

/// Issue 28: the region's active receipt rule set denied (a role without
/// ses:DescribeActiveReceiptRuleSet) stands as one rule not read, triggering the function SES
/// may invoke: who mails it is not judged, never no one.
#[tokio::test(start_paused = true)]
async fn a_denied_receipt_rule_set_is_not_read_never_closed() {
    let m = mocks(Rules {
        lambda: fed_by(
            "ses.amazonaws.com",
            serde_json::json!({"StringEquals": {"AWS:SourceAccount": ACCOUNT}}),
        ),
        ses: vec![
            mock!(aws_sdk_ses::Client::describe_active_receipt_rule_set)
                .then_http_response(|| xml_error(403, "AccessDenied")),
        ],
        ..Rules::default()
    });
    let r = scan(m).await;
    assert_eq!(r.inventory.mail_rules.len(), 1);
    let rule = &r.inventory.mail_rules[0];
    assert_eq!(
        rule.arn,
        format!("arn:aws:ses:{REGION}:{ACCOUNT}:receipt-rule-set/active")
    );
    assert_eq!(rule.triggers, [fn_arn("fed")]);
    assert!(
        matches!(rule.enabled, Detail::Failed { .. }),
        "{:?}",
        rule.enabled
    );
    let entry = coverage(&r, "DescribeActiveReceiptRuleSet");
    assert_eq!((entry.succeeded, entry.failed), (0, 1));
    source_not_assessed(r, "receipt rule set");
}

/// Issue 28: a bucket that sends its events to EventBridge, where a rule on the default bus
/// selects them by the bucket's name and runs a function: the bucket is read (though no policy
/// names it) and anyone's upload reaches the function through the rule. moto never returns a
/// bucket's EventBridge switch, so the SDK's answers are mocked here.
#[tokio::test(start_paused = true)]
async fn a_bucket_reaches_a_function_through_its_eventbridge_switch() {
    use aws_sdk_eventbridge::operation::{
        describe_event_bus::DescribeEventBusOutput, describe_rule::DescribeRuleOutput,
    };
    use aws_sdk_s3::operation::{
        get_bucket_acl::GetBucketAclOutput, get_bucket_location::GetBucketLocationOutput,
        get_bucket_notification_configuration::GetBucketNotificationConfigurationOutput,
        get_bucket_policy::GetBucketPolicyOutput,
    };
    let rule = format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/uploaded");
    let anyone = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Sid": "Drop",
        "Effect": "Allow", "Principal": "*", "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::partner-drop/*"}]})
    .to_string();
    let m = mocks(Rules {
        lambda: fed_by("events.amazonaws.com", serde_json::json!({"ArnLike": {"AWS:SourceArn": rule}})),
        events: vec![
            mock!(aws_sdk_eventbridge::Client::describe_rule).then_output(|| {
                DescribeRuleOutput::builder()
                    .state("ENABLED".into())
                    .event_pattern(
                        r#"{"source": ["aws.s3"], "detail": {"bucket": {"name": ["partner-drop"]}}}"#,
                    )
                    .build()
            }),
            mock!(aws_sdk_eventbridge::Client::describe_event_bus)
                .then_output(|| DescribeEventBusOutput::builder().build()),
        ],
        s3: vec![
            mock!(aws_sdk_s3::Client::get_bucket_location).then_output(|| {
                GetBucketLocationOutput::builder()
                    .location_constraint(REGION.into())
                    .build()
            }),
            mock!(aws_sdk_s3::Client::get_bucket_notification_configuration).then_output(|| {
                GetBucketNotificationConfigurationOutput::builder()
                    .event_bridge_configuration(
                        aws_sdk_s3::types::EventBridgeConfiguration::builder().build(),
                    )
                    .build()
            }),
            mock!(aws_sdk_s3::Client::get_bucket_acl)
                .then_output(|| GetBucketAclOutput::builder().build()),
            mock!(aws_sdk_s3::Client::get_bucket_policy).then_output(move || {
                GetBucketPolicyOutput::builder().policy(anyone.clone()).build()
            }),
            mock!(aws_sdk_s3::Client::get_public_access_block)
                .then_http_response(|| s3_error(404, "NoSuchPublicAccessBlockConfiguration")),
            mock!(aws_sdk_s3::Client::get_bucket_ownership_controls)
                .then_http_response(|| s3_error(404, "OwnershipControlsNotFoundError")),
        ],
        s3control: vec![
            mock!(aws_sdk_s3control::Client::get_public_access_block)
                .then_http_response(|| xml_error(404, "NoSuchPublicAccessBlockConfiguration")),
        ],
        ..Rules::default()
    });
    let r = scan(m).await;
    assert_eq!(r.inventory.buckets.len(), 1);
    let b = &r.inventory.buckets[0];
    assert_eq!(b.arn, "arn:aws:s3:::partner-drop");
    assert_eq!(b.feeds, [rule.as_str()]);
    assert!(b.notifications.value().is_some_and(|n| n.eventbridge));
    let snap = sprawl::snapshot::Snapshot::new(
        r.account,
        r.regions,
        r.coverage,
        r.inventory,
        r.scanned_at,
    );
    let found: Vec<&str> = snap
        .assessment
        .findings
        .iter()
        .filter(|f| f.rule == "lambda-source-public")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("S3 bucket partner-drop -> EventBridge rule uploaded"),
        "{found:?}"
    );
}

/// Issue 28: in a region where an IoT rule invokes a function, the identity pools are listed
/// (every page), each described, and where one gives unauthenticated identities credentials, its
/// roles read: the role anyone may act as is kept. A pool for signed-in users only costs no
/// GetIdentityPoolRoles. moto serves no GetIdentityPoolRoles, so the SDK's answers are mocked.
#[tokio::test(start_paused = true)]
async fn identity_pools_of_an_iot_rule_s_region_name_the_guests_role() {
    use aws_sdk_cognitoidentity::operation::{
        describe_identity_pool::DescribeIdentityPoolOutput,
        get_identity_pool_roles::GetIdentityPoolRolesOutput,
        list_identity_pools::ListIdentityPoolsOutput,
    };
    use aws_sdk_cognitoidentity::types::IdentityPoolShortDescription;
    let rule = format!("arn:aws:iot:{REGION}:{ACCOUNT}:rule/telemetry");
    let (guests, staff) = (format!("{REGION}:guests"), format!("{REGION}:staff"));
    let short = |id: &str, name: &str| {
        IdentityPoolShortDescription::builder()
            .identity_pool_id(id)
            .identity_pool_name(name)
            .build()
    };
    let (first, second) = (short(&guests, "telemetry-app"), short(&staff, "staff-app"));
    let guest_role = format!("arn:aws:iam::{ACCOUNT}:role/guest-role");
    let (g, g2, g3) = (guests.clone(), guests.clone(), guests.clone());
    let (s, role) = (staff.clone(), guest_role.clone());
    let m = mocks(Rules {
        lambda: fed_by(
            "iot.amazonaws.com",
            serde_json::json!({"ArnLike": {"AWS:SourceArn": rule}}),
        ),
        iot: vec![mock!(aws_sdk_iot::Client::get_topic_rule).then_output(|| {
            aws_sdk_iot::operation::get_topic_rule::GetTopicRuleOutput::builder()
                .rule(
                    aws_sdk_iot::types::TopicRule::builder()
                        .sql("SELECT * FROM 'devices/+/telemetry'")
                        .build(),
                )
                .build()
        })],
        cognito_identity: vec![
            mock!(aws_sdk_cognitoidentity::Client::list_identity_pools)
                .match_requests(|r| r.next_token().is_none())
                .then_output(move || {
                    ListIdentityPoolsOutput::builder()
                        .identity_pools(first.clone())
                        .next_token("page-2")
                        .build()
                }),
            mock!(aws_sdk_cognitoidentity::Client::list_identity_pools)
                .match_requests(|r| r.next_token() == Some("page-2"))
                .then_output(move || {
                    ListIdentityPoolsOutput::builder()
                        .identity_pools(second.clone())
                        .build()
                }),
            mock!(aws_sdk_cognitoidentity::Client::describe_identity_pool)
                .match_requests(move |r| r.identity_pool_id() == Some(g.as_str()))
                .then_output(move || {
                    DescribeIdentityPoolOutput::builder()
                        .identity_pool_id(&g2)
                        .identity_pool_name("telemetry-app")
                        .allow_unauthenticated_identities(true)
                        .allow_classic_flow(true)
                        .build()
                        .unwrap()
                }),
            mock!(aws_sdk_cognitoidentity::Client::describe_identity_pool).then_output(move || {
                DescribeIdentityPoolOutput::builder()
                    .identity_pool_id(&s)
                    .identity_pool_name("staff-app")
                    .allow_unauthenticated_identities(false)
                    .build()
                    .unwrap()
            }),
            mock!(aws_sdk_cognitoidentity::Client::get_identity_pool_roles).then_output(
                move || {
                    GetIdentityPoolRolesOutput::builder()
                        .identity_pool_id(&g3)
                        .roles("unauthenticated", &role)
                        .roles("authenticated", "arn:aws:iam::123456789012:role/users")
                        .build()
                },
            ),
        ],
        ..Rules::default()
    });
    let r = scan(m).await;
    let [read] = &r.inventory.identity_pools[..] else {
        panic!("{:?}", r.inventory.identity_pools)
    };
    assert_eq!(read.region, REGION);
    let pools = read.pools.value().expect("listed");
    let ids: Vec<&str> = pools.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, [guests.as_str(), staff.as_str()]);
    assert_eq!(pools[0].unauthenticated, Detail::collected(true));
    assert_eq!(pools[0].classic_flow, Detail::collected(true));
    assert_eq!(
        pools[0].unauthenticated_role,
        Detail::collected(Some(guest_role))
    );
    let entry = coverage(&r, "ListIdentityPools");
    assert_eq!((entry.succeeded, entry.items), (2, 2));
    assert_eq!(pools[1].unauthenticated, Detail::collected(false));
    assert_eq!(pools[1].unauthenticated_role, Detail::collected(None));
    assert_eq!(coverage(&r, "GetIdentityPoolRoles").succeeded, 1);
}

/// Issue 29: the functions of a `scan --code`, each with its listing's package facts.
fn with_code(
    name: &str,
    package: &[u8],
    size: i64,
    layers: &[&str],
    image: bool,
) -> lt::FunctionConfiguration {
    let mut c = config_of(name);
    c.code_sha256 = Some(crate::support::packages::code_sha256(package));
    c.code_size = size;
    c.layers = Some(
        layers
            .iter()
            .map(|l| lt::Layer::builder().arn(*l).code_size(400).build())
            .collect(),
    );
    if image {
        c.package_type = Some(lt::PackageType::Image);
    }
    c
}

/// A ListFunctions rule that lists `configs` on one page.
fn listing(configs: Vec<lt::FunctionConfiguration>) -> Rule {
    mock!(aws_sdk_lambda::Client::list_functions).then_output(move || {
        aws_sdk_lambda::operation::list_functions::ListFunctionsOutput::builder()
            .set_functions(Some(configs.clone()))
            .build()
    })
}

/// Where Lambda would say a function's package is: S3's host, a presigned query (a credential).
fn store(path: &str) -> String {
    format!(
        "https://awslambda-{REGION}-tasks.s3.{REGION}.amazonaws.com{path}?X-Amz-Security-Token=SECRETTOKEN"
    )
}

/// Issue 29: `scan --code` reads each package once, however many functions share its
/// CodeSha256, and each layer version the functions run; what it derives is kept (packages,
/// secrets by fingerprint), never the code, the URL or a secret's value. Every package it could
/// not read says why on its functions and in the coverage, never clean: a download whose SHA-256
/// is not its CodeSha256, one larger than its CodeSize, a location off S3's hosts (never
/// fetched), an image, another account's layer that is refused. Not on paused time: the
/// packages come from a real loopback server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_code_reads_each_package_once_and_says_why_one_is_not_read() {
    use crate::support::packages::{Answer, PackageServer, zip_of};
    use aws_sdk_lambda::operation::get_function::GetFunctionOutput;
    use aws_sdk_lambda::operation::get_layer_version::GetLayerVersionOutput;
    let key_id = "AKIAQYLPMN5HHHFPZAM2";
    let app = zip_of(&[
        (
            "PyYAML-5.3.1.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: PyYAML\nVersion: 5.3.1\n",
        ),
        (
            "app.py",
            format!("KEY = '{key_id}'\ndef handler(e, c):\n    return e\n").as_bytes(),
        ),
    ]);
    let worker = zip_of(&[("worker.py", b"def handler(e, c): pass\n")]);
    // The same length, one byte changed on the way.
    let mut tampered = worker.clone();
    tampered[40] ^= 0x20;
    let big = zip_of(&[("big.py", b"x = 1\n")]);
    let pem =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7xq3\n-----END RSA PRIVATE KEY-----\n";
    let layer = zip_of(&[("python/certs/service.pem", pem.as_bytes())]);
    let own_layer = format!("arn:aws:lambda:{REGION}:{ACCOUNT}:layer:shared:3");
    let vendor_layer = format!("arn:aws:lambda:{REGION}:999999999999:layer:vendor:1");

    let server = PackageServer::start().await;
    server.serve("/snapshots/app", Answer::Bytes(app.clone()));
    server.serve("/snapshots/worker", Answer::Bytes(tampered));
    server.serve("/snapshots/big", Answer::Bytes(big.clone()));
    server.serve("/snapshots/layer", Answer::Bytes(layer.clone()));

    let configs = vec![
        with_code(
            "api",
            &app,
            app.len() as i64,
            &[&own_layer, &vendor_layer],
            false,
        ),
        with_code("api-copy", &app, app.len() as i64, &[&own_layer], false),
        with_code("worker", &worker, worker.len() as i64, &[], false),
        with_code("big", &big, big.len() as i64 - 10, &[], false),
        with_code("elsewhere", &worker[..10], 10, &[], false),
        with_code("image", b"image", 0, &[], true),
    ];
    let (listed, layer_sha) = (
        configs.clone(),
        crate::support::packages::code_sha256(&layer),
    );
    let (layer_arn, layer_len) = (own_layer.clone(), layer.len() as i64);
    let m = mocks(Rules {
        lambda: vec![
            listing(listed),
            mock!(aws_sdk_lambda::Client::get_function).then_compute_output(move |req| {
                let name = req.function_name().unwrap();
                let cfg = configs
                    .iter()
                    .find(|c| c.function_name() == Some(name))
                    .unwrap();
                let path = match name {
                    "api" | "api-copy" => "/snapshots/app",
                    other => &format!("/snapshots/{other}"),
                };
                let location = match name {
                    "elsewhere" => "https://evil.example.com/snapshots/elsewhere".to_string(),
                    _ => store(path),
                };
                GetFunctionOutput::builder()
                    .configuration(cfg.clone())
                    .code(
                        lt::FunctionCodeLocation::builder()
                            .repository_type("S3")
                            .location(location)
                            .build(),
                    )
                    .build()
            }),
            mock!(aws_sdk_lambda::Client::get_layer_version_policy)
                .then_http_response(|| rest_json_error(404, "ResourceNotFoundException")),
            mock!(aws_sdk_lambda::Client::get_layer_version)
                .match_requests(|r| r.layer_name().is_some_and(|n| n.contains(":999999999999:")))
                .then_http_response(|| rest_json_error(403, "AccessDeniedException")),
            mock!(aws_sdk_lambda::Client::get_layer_version).then_output(move || {
                GetLayerVersionOutput::builder()
                    .layer_version_arn(&layer_arn)
                    .content(
                        lt::LayerVersionContentOutput::builder()
                            .location(store("/snapshots/layer"))
                            .code_sha256(&layer_sha)
                            .code_size(layer_len)
                            .build(),
                    )
                    .build()
            }),
        ],
        ..Rules::default()
    });
    let tmp = tempfile::tempdir().unwrap();
    let mut opts = options();
    opts.code = Some(collect::code::CodeOptions {
        loopback_origin: Some(server.origin.clone()),
        vuln_db: Some(crate::audit_package::vuln_db(tmp.path())),
        ..Default::default()
    });
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let r = collect::scan(Arc::new(m), opts, Some(tx))
        .await
        .expect("scan");
    let mut plan = None;
    while let Ok(e) = rx.try_recv() {
        plan = plan.or(e.code_plan());
    }
    let plan = plan.expect("the plan is told before the downloads");
    assert!(
        plan.contains("4 package(s) and 2 layer version(s)"),
        "{plan}"
    );

    let inv = &r.inventory;
    let code = |name: &str| &inv.functions.iter().find(|f| f.name == name).unwrap().code;
    let app_sha = crate::support::packages::code_sha256(&app);
    assert_eq!(code("api"), &Detail::collected(app_sha.clone()));
    assert_eq!(code("api-copy"), &Detail::collected(app_sha.clone()));
    let audit = &inv.code[&app_sha];
    let purls: Vec<&str> = audit.packages.iter().map(|p| p.purl.as_str()).collect();
    assert_eq!(purls, ["pkg:pypi/pyyaml@5.3.1"]);
    let hits: Vec<(&str, &str, usize)> = audit
        .secrets
        .iter()
        .map(|s| (s.rule.as_str(), s.path.as_str(), s.line))
        .collect();
    assert_eq!(hits, [("aws-access-key-id", "app.py", 1)]);
    // Judged against the OSV directory given: PyYAML 5.3.1's advisory, and which data judged it.
    let advisories = inv.advisories.as_ref().expect("judged");
    assert_eq!(advisories.database.ecosystems, ["PyPI"]);
    let ids: Vec<&str> = advisories.by_purl["pkg:pypi/pyyaml@5.3.1"]
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["GHSA-8q59-q68h-6hv4"]);
    let why = |name: &str| code(name).require("code").unwrap_err();
    assert!(
        why("worker").contains("is not its CodeSha256"),
        "{}",
        why("worker")
    );
    assert!(
        why("big").contains("larger than its CodeSize"),
        "{}",
        why("big")
    );
    assert!(
        why("elsewhere").contains("not an HTTPS address on S3's own hosts"),
        "{}",
        why("elsewhere")
    );
    assert!(why("image").contains("container image"), "{}", why("image"));

    let layers: Vec<(&str, &Detail<String>)> = inv
        .layer_code
        .iter()
        .map(|l| (l.arn.as_str(), &l.code))
        .collect();
    let layer_sha = crate::support::packages::code_sha256(&layer);
    assert_eq!(
        layers[0],
        (own_layer.as_str(), &Detail::collected(layer_sha.clone()))
    );
    assert_eq!(layers[1].0, vendor_layer);
    assert!(is_denied(layers[1].1), "{:?}", layers[1].1);
    let layer_hits: Vec<&str> = inv.code[&layer_sha]
        .secrets
        .iter()
        .map(|s| s.rule.as_str())
        .collect();
    assert_eq!(layer_hits, ["private-key"]);

    // One download per package: the shared one once, the refused host never.
    let mut asked = server.asked();
    asked.sort();
    assert_eq!(
        asked,
        [
            "/snapshots/app",
            "/snapshots/big",
            "/snapshots/layer",
            "/snapshots/worker"
        ]
    );
    // The packages read and not read, in the coverage (the API calls that named them apart).
    let downloads = coverage(&r, "package download");
    assert_eq!(
        (downloads.succeeded, downloads.failed),
        (2, 3),
        "{downloads:?}"
    );
    let first = downloads.failure.as_ref().unwrap();
    assert!(
        first.message.starts_with("a function's package: "),
        "{first:?}"
    );
    assert_eq!(coverage(&r, "GetFunction").failed, 0);
    // Nothing of the code, the URL or the secret is kept.
    let json = serde_json::to_string(&assessed(r)).unwrap();
    for kept in [
        key_id,
        "MIIEowIBAAKCAQEA7xq3",
        "SECRETTOKEN",
        "amazonaws.com/snapshots",
        "handler(e, c)",
    ] {
        assert!(!json.contains(kept), "{kept} is in the snapshot");
    }
}

/// Issue 29: above `--code-budget`, no package is downloaded (not even its URL asked for), and
/// every function's code says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_code_reads_nothing_over_its_budget() {
    use crate::support::packages::{PackageServer, zip_of};
    let app = zip_of(&[("app.py", b"def handler(e, c): pass\n")]);
    let server = PackageServer::start().await;
    let listed = vec![with_code("api", &app, 2_000_000, &[], false)];
    let m = mocks(Rules {
        lambda: vec![listing(listed)],
        ..Rules::default()
    });
    let mut opts = options();
    opts.code = Some(collect::code::CodeOptions {
        budget_bytes: 1_000_000,
        loopback_origin: Some(server.origin.clone()),
        ..Default::default()
    });
    let r = collect::scan(Arc::new(m), opts, None).await.expect("scan");
    let why = r.inventory.functions[0].code.require("code").unwrap_err();
    assert!(why.contains("over --code-budget (1000000 bytes)"), "{why}");
    assert!(server.asked().is_empty());
    // The scan's own GetFunction (tags, concurrency) only: no second one for a URL.
    assert_eq!(coverage(&r, "GetFunction").succeeded, 1);
}
