//! Seeds an emulator account through the Rust SDK: the fixture the collector tests check field by
//! field, and a generator of large accounts for the benchmark.

use aws_config::SdkConfig;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types as lt;

pub const ACCOUNT: &str = "123456789012";
pub const REGION_A: &str = "eu-west-1";
pub const REGION_B: &str = "us-east-1";

/// The smallest valid zip archive (an empty one): moto only hashes the code.
pub const EMPTY_ZIP: &[u8] = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

pub const LAMBDA_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
pub const EC2_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// Secret values planted in environment and stage variables: none may appear in a snapshot.
pub const PLANTED: &[&str] = &[
    "hunter2-Sup3rS3cret!",
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
    "stage-var-pa55word-XYZ",
    "postgres://app:db-pa55@db.internal:5432/orders",
    // Shapes a first redaction kept whole (legacy-report's $LATEST and version 1).
    "739184",
    "50917263",
    "Zq3xW8vB1nM6kR4tY7uP",
    "Tq7Wm2Xr9Ln4",
    "Gh7Kp2Wq",
    "c3VwZXItc2VjcmV0LXNpZ25pbmc9PQ==",
    "Jx8Vr3Np",
    "Xk9q",
    // Only in published version 1: removed from $LATEST since.
    "olt-Vb5Nm8Qw2Er7Ty",
];

/// Credentials of every shape under credential-like names, and a reference that is none.
pub const SHAPES: &[(&str, &str)] = &[
    ("ADMIN_PIN", "739184"),
    ("DB_PASS", "50917263"),
    (
        "ALERT_WEBHOOK_URL",
        "https://hooks.example.com/services/T0FIXTURE/B0FIXTURE/Zq3xW8vB1nM6kR4tY7uP",
    ),
    (
        "REPORT_FEED",
        "https://reports.example.com/feed?access_token=Tq7Wm2Xr9Ln4",
    ),
    ("MIRROR", "https://deploy:Gh7Kp2Wq@git.example.com/repo.git"),
    ("SIGNING_SECRET", "c3VwZXItc2VjcmV0LXNpZ25pbmc9PQ=="),
    ("API_CREDENTIALS", r#"{"user":"svc","password":"Jx8Vr3Np"}"#),
    ("AUTH_KEY", "Xk9q"),
    ("KMS_KEY_ALIAS", "alias/report-config"),
];

/// The variable that only published version 1 of legacy-report still holds.
pub const VERSION_ONLY: (&str, &str) = ("OLD_API_TOKEN", "olt-Vb5Nm8Qw2Er7Ty");

pub fn function_arn(region: &str, name: &str) -> String {
    format!("arn:aws:lambda:{region}:{ACCOUNT}:function:{name}")
}

pub fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

pub fn invocation_uri(region: &str, function_arn: &str) -> String {
    format!(
        "arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations"
    )
}

/// A regional REST API named `name` with one resource, `/{path_part}`: the API's id and the
/// resource's.
async fn regional_rest_api(
    apigw: &aws_sdk_apigateway::Client,
    name: &str,
    path_part: &str,
) -> (String, String) {
    let api = apigw
        .create_rest_api()
        .name(name)
        .endpoint_configuration(
            aws_sdk_apigateway::types::EndpointConfiguration::builder()
                .types(aws_sdk_apigateway::types::EndpointType::Regional)
                .build(),
        )
        .send()
        .await
        .expect("rest api");
    let id = api.id().unwrap().to_string();
    let root = apigw
        .get_resources()
        .rest_api_id(&id)
        .send()
        .await
        .expect("resources")
        .items()
        .iter()
        .find(|r| r.path() == Some("/"))
        .and_then(|r| r.id().map(str::to_string))
        .unwrap();
    let resource = apigw
        .create_resource()
        .rest_api_id(&id)
        .parent_id(&root)
        .path_part(path_part)
        .send()
        .await
        .expect("resource");
    (id, resource.id().unwrap().to_string())
}

/// What the fixture holds, for assertions.
pub struct Fixture {
    pub rest_api_id: String,
    pub http_api_id: String,
    pub authorizer_id: String,
    pub queue_arn: String,
    pub managed_policy_arn: String,
    pub rotated_secret_arn: String,
    pub public_secret_arn: String,
    pub tagged_secret_arn: String,
}

pub async fn role(iam: &aws_sdk_iam::Client, name: &str, trust: &str, boundary: Option<&str>) {
    iam.create_role()
        .role_name(name)
        .assume_role_policy_document(trust)
        .set_permissions_boundary(boundary.map(str::to_string))
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("team")
                .value("orders")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("create role");
}

fn env(vars: &[(&str, &str)]) -> lt::Environment {
    let mut e = lt::Environment::builder();
    for (k, v) in vars {
        e = e.variables(*k, *v);
    }
    e.build()
}

/// Creates a zip function with sensible defaults.
pub async fn function(
    lambda: &aws_sdk_lambda::Client,
    name: &str,
    runtime: &str,
    role: &str,
    vars: &[(&str, &str)],
) {
    lambda
        .create_function()
        .function_name(name)
        .runtime(lt::Runtime::from(runtime))
        .role(role)
        .handler("index.handler")
        .code(
            lt::FunctionCode::builder()
                .zip_file(Blob::new(EMPTY_ZIP))
                .build(),
        )
        .environment(env(vars))
        .timeout(30)
        .memory_size(256)
        .send()
        .await
        .unwrap_or_else(|e| panic!("create function {name}: {e:?}"));
}

/// The fixture account: two regions; functions of several runtimes; shared and per-function roles
/// with inline, customer-managed and AWS-managed policies and a boundary; a public function URL;
/// resource policies; an SQS event source mapping; a REST API with a stage, methods, a Lambda
/// integration and an authorizer; an HTTP API with routes; secrets with and without rotation and
/// with a resource policy.
pub async fn fixture(a: &SdkConfig, b: &SdkConfig) -> Fixture {
    let iam = aws_sdk_iam::Client::new(a);
    // IAM writes one at a time: moto's IAM is not safe under concurrent writes.
    role(&iam, "shared-exec", LAMBDA_TRUST, None).await;
    role(&iam, "admin-exec", LAMBDA_TRUST, None).await;
    role(&iam, "not-for-lambda", EC2_TRUST, None).await;
    let boundary = iam
        .create_policy()
        .policy_name("boundary")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:*","dynamodb:*"],"Resource":"*"}]}"#)
        .send()
        .await
        .expect("boundary policy");
    let boundary_arn = boundary.policy().and_then(|p| p.arn()).unwrap().to_string();
    role(&iam, "edge-exec", LAMBDA_TRUST, Some(&boundary_arn)).await;
    iam.put_role_policy()
        .role_name("shared-exec")
        .policy_name("read-orders-bucket")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::orders/*"}]}"#)
        .send()
        .await
        .expect("inline policy");
    let managed = iam
        .create_policy()
        .policy_name("orders-table")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:eu-west-1:123456789012:table/orders"}]}"#)
        .send()
        .await
        .expect("managed policy");
    let managed_policy_arn = managed.policy().and_then(|p| p.arn()).unwrap().to_string();
    for (role, policy) in [
        ("shared-exec", managed_policy_arn.as_str()),
        ("admin-exec", "arn:aws:iam::aws:policy/AdministratorAccess"),
    ] {
        iam.attach_role_policy()
            .role_name(role)
            .policy_arn(policy)
            .send()
            .await
            .expect("attach policy");
    }

    let lambda_a = aws_sdk_lambda::Client::new(a);
    let lambda_b = aws_sdk_lambda::Client::new(b);
    let shared = role_arn("shared-exec");
    function(
        &lambda_a,
        "orders-api",
        "python3.12",
        &shared,
        &[
            ("DB_PASSWORD", PLANTED[0]),
            ("AWS_ACCESS_KEY_ID", PLANTED[1]),
            ("AWS_SECRET_ACCESS_KEY", PLANTED[2]),
            ("SECRET_NAME", "prod/db"),
            ("USE_SSL", "true"),
            ("PASSWORD_MIN_LENGTH", "12"),
            ("QUEUE_ARN", "arn:aws:sqs:eu-west-1:123456789012:orders"),
        ],
    )
    .await;
    function(
        &lambda_a,
        "orders-worker",
        "nodejs12.x",
        &shared,
        &[("GITHUB_TOKEN", PLANTED[3]), ("DATABASE_URL", PLANTED[5])],
    )
    .await;
    let mut report_env = SHAPES.to_vec();
    report_env.push(VERSION_ONLY);
    function(
        &lambda_a,
        "legacy-report",
        "python3.7",
        &role_arn("admin-exec"),
        &report_env,
    )
    .await;
    function(
        &lambda_b,
        "edge-hello",
        "nodejs20.x",
        &role_arn("edge-exec"),
        &[],
    )
    .await;

    let api_fn = function_arn(REGION_A, "orders-api");
    let worker_fn = function_arn(REGION_A, "orders-worker");
    let report_fn = function_arn(REGION_A, "legacy-report");
    let edge_fn = function_arn(REGION_B, "edge-hello");

    // A public function URL, its permission, and an API Gateway permission.
    lambda_a
        .create_function_url_config()
        .function_name("orders-api")
        .auth_type(lt::FunctionUrlAuthType::None)
        .cors(
            lt::Cors::builder()
                .allow_origins("*")
                .allow_methods("GET")
                .build(),
        )
        .send()
        .await
        .expect("function url");
    lambda_a
        .add_permission()
        .function_name("orders-api")
        .statement_id("public-url")
        .action("lambda:InvokeFunctionUrl")
        .principal("*")
        .function_url_auth_type(lt::FunctionUrlAuthType::None)
        .send()
        .await
        .expect("url permission");
    lambda_a
        .add_permission()
        .function_name("orders-api")
        .statement_id("apigw")
        .action("lambda:InvokeFunction")
        .principal("apigateway.amazonaws.com")
        .source_arn(format!("arn:aws:execute-api:{REGION_A}:{ACCOUNT}:*"))
        .send()
        .await
        .expect("apigw permission");
    // An S3 trigger (asynchronous) with an on-failure destination, and a published version with
    // an alias.
    lambda_a
        .add_permission()
        .function_name("legacy-report")
        .statement_id("s3")
        .action("lambda:InvokeFunction")
        .principal("s3.amazonaws.com")
        .source_account(ACCOUNT)
        .send()
        .await
        .expect("s3 permission");
    lambda_a
        .put_function_event_invoke_config()
        .function_name("legacy-report")
        .maximum_retry_attempts(1)
        .destination_config(
            lt::DestinationConfig::builder()
                .on_failure(lt::OnFailure::builder().destination(&worker_fn).build())
                .build(),
        )
        .send()
        .await
        .expect("event invoke config");
    let version = lambda_a
        .publish_version()
        .function_name("legacy-report")
        .send()
        .await
        .expect("publish version");
    // The token is removed from $LATEST after version 1 was published: it lives on there.
    lambda_a
        .update_function_configuration()
        .function_name("legacy-report")
        .environment(env(SHAPES))
        .send()
        .await
        .expect("update environment");
    lambda_a
        .create_alias()
        .function_name("legacy-report")
        .name("live")
        .function_version(version.version().unwrap())
        .send()
        .await
        .expect("alias");
    lambda_a
        .put_function_concurrency()
        .function_name("orders-worker")
        .reserved_concurrent_executions(5)
        .send()
        .await
        .expect("concurrency");
    lambda_a
        .tag_resource()
        .resource(&worker_fn)
        .tags("owner", "team-orders")
        .send()
        .await
        .expect("tags");

    // An SQS queue feeding orders-worker.
    let sqs = aws_sdk_sqs::Client::new(a);
    sqs.create_queue()
        .queue_name("orders-queue")
        .send()
        .await
        .expect("queue");
    let queue_arn = format!("arn:aws:sqs:{REGION_A}:{ACCOUNT}:orders-queue");
    lambda_a
        .create_event_source_mapping()
        .function_name("orders-worker")
        .event_source_arn(&queue_arn)
        .batch_size(10)
        .send()
        .await
        .expect("event source mapping");

    // A REST API: GET /orders open to anyone, POST /orders behind a Lambda authorizer, a stage
    // with full payload logging and a stage variable.
    let apigw = aws_sdk_apigateway::Client::new(a);
    let (rest_api_id, orders_id) = regional_rest_api(&apigw, "orders", "orders").await;
    let authorizer = apigw
        .create_authorizer()
        .rest_api_id(&rest_api_id)
        .name("token-check")
        .r#type(aws_sdk_apigateway::types::AuthorizerType::Token)
        .authorizer_uri(invocation_uri(REGION_A, &report_fn))
        .identity_source("method.request.header.Authorization")
        .send()
        .await
        .expect("authorizer");
    let authorizer_id = authorizer.id().unwrap().to_string();
    for (verb, auth) in [("GET", "NONE"), ("POST", "CUSTOM")] {
        apigw
            .put_method()
            .rest_api_id(&rest_api_id)
            .resource_id(&orders_id)
            .http_method(verb)
            .authorization_type(auth)
            .set_authorizer_id((auth == "CUSTOM").then(|| authorizer_id.clone()))
            .send()
            .await
            .expect("method");
        apigw
            .put_integration()
            .rest_api_id(&rest_api_id)
            .resource_id(&orders_id)
            .http_method(verb)
            .r#type(aws_sdk_apigateway::types::IntegrationType::AwsProxy)
            .integration_http_method("POST")
            .uri(invocation_uri(REGION_A, &api_fn))
            .send()
            .await
            .expect("integration");
    }
    apigw
        .create_deployment()
        .rest_api_id(&rest_api_id)
        .stage_name("prod")
        .send()
        .await
        .expect("deployment");
    let patch = |path: &str, value: &str| {
        aws_sdk_apigateway::types::PatchOperation::builder()
            .op(aws_sdk_apigateway::types::Op::Replace)
            .path(path)
            .value(value)
            .build()
    };
    apigw
        .update_stage()
        .rest_api_id(&rest_api_id)
        .stage_name("prod")
        .patch_operations(patch("/*/*/logging/loglevel", "INFO"))
        .patch_operations(patch("/*/*/logging/dataTrace", "true"))
        .patch_operations(patch("/*/*/caching/dataEncrypted", "false"))
        .patch_operations(patch("/tracingEnabled", "true"))
        .patch_operations(patch("/variables/DB_PASS", PLANTED[4]))
        .send()
        .await
        .expect("stage settings");

    // An HTTP API in the other region: an open route and an IAM-protected one.
    let apigw2 = aws_sdk_apigatewayv2::Client::new(b);
    let http = apigw2
        .create_api()
        .name("edge")
        .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
        .cors_configuration(
            aws_sdk_apigatewayv2::types::Cors::builder()
                .allow_origins("*")
                .build(),
        )
        .send()
        .await
        .expect("http api");
    let http_api_id = http.api_id().unwrap().to_string();
    let integration = apigw2
        .create_integration()
        .api_id(&http_api_id)
        .integration_type(aws_sdk_apigatewayv2::types::IntegrationType::AwsProxy)
        .integration_uri(&edge_fn)
        .payload_format_version("2.0")
        .send()
        .await
        .expect("http integration");
    let integration_id = integration.integration_id().unwrap().to_string();
    for (key, auth) in [
        (
            "GET /hello",
            aws_sdk_apigatewayv2::types::AuthorizationType::None,
        ),
        (
            "POST /admin",
            aws_sdk_apigatewayv2::types::AuthorizationType::AwsIam,
        ),
    ] {
        apigw2
            .create_route()
            .api_id(&http_api_id)
            .route_key(key)
            .authorization_type(auth)
            .target(format!("integrations/{integration_id}"))
            .send()
            .await
            .expect("route");
    }
    apigw2
        .create_stage()
        .api_id(&http_api_id)
        .stage_name("$default")
        .auto_deploy(true)
        .send()
        .await
        .expect("http stage");

    // Secrets: rotated, public by resource policy, and tagged in the other region.
    let sm = aws_sdk_secretsmanager::Client::new(a);
    let rotated = sm
        .create_secret()
        .name("prod/db")
        .secret_string("rotated-secret-value")
        .send()
        .await
        .expect("secret");
    let rotated_secret_arn = rotated.arn().unwrap().to_string();
    sm.rotate_secret()
        .secret_id(&rotated_secret_arn)
        .rotation_lambda_arn(&worker_fn)
        .rotation_rules(
            aws_sdk_secretsmanager::types::RotationRulesType::builder()
                .automatically_after_days(30)
                .build(),
        )
        .send()
        .await
        .expect("rotate");
    let public = sm
        .create_secret()
        .name("prod/api-key")
        .secret_string("public-secret-value")
        .send()
        .await
        .expect("secret");
    let public_secret_arn = public.arn().unwrap().to_string();
    sm.put_resource_policy()
        .secret_id(&public_secret_arn)
        .resource_policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}"#)
        .send()
        .await
        .expect("secret policy");
    let tagged = aws_sdk_secretsmanager::Client::new(b)
        .create_secret()
        .name("edge/token")
        .secret_string("tagged-secret-value")
        .tags(
            aws_sdk_secretsmanager::types::Tag::builder()
                .key("owner")
                .value("team-edge")
                .build(),
        )
        .send()
        .await
        .expect("secret");

    Fixture {
        rest_api_id,
        http_api_id,
        authorizer_id,
        queue_arn,
        managed_policy_arn,
        rotated_secret_arn,
        public_secret_arn,
        tagged_secret_arn: tagged.arn().unwrap().to_string(),
    }
}

/// A generated estate of `n` functions across two regions of unequal size (72% and 28%), with roles, triggers, APIs and secrets
/// in proportion: one shared role per team of ~50 functions plus one role per tenth function;
/// every fifth function behind an SQS event source mapping; every seventh with an S3, SNS or
/// EventBridge permission (asynchronous triggers; an SNS one names its team's topic); every eleventh with a public function URL;
/// one REST API and one HTTP API per 100 functions; one secret per 10 functions.
pub async fn estate(a: &SdkConfig, b: &SdkConfig, n: usize) {
    // The account the credentials act as (an organization's member, through an assumed role).
    let account = aws_sdk_sts::Client::new(a)
        .get_caller_identity()
        .send()
        .await
        .expect("caller identity")
        .account
        .expect("an account");
    let iam = aws_sdk_iam::Client::new(a);
    let teams = n.div_ceil(50).max(1);
    for t in 0..teams {
        role(&iam, &format!("team-{t}-exec"), LAMBDA_TRUST, None).await;
        iam.attach_role_policy()
            .role_name(format!("team-{t}-exec"))
            .policy_arn("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
            .send()
            .await
            .ok();
    }
    for i in (0..n).step_by(10) {
        role(&iam, &format!("fn-{i}-exec"), LAMBDA_TRUST, None).await;
        iam.put_role_policy()
            .role_name(format!("fn-{i}-exec"))
            .policy_name("own")
            .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
            .send()
            .await
            .expect("inline policy");
    }
    let runtimes = [
        "python3.12",
        "nodejs20.x",
        "python3.8",
        "nodejs16.x",
        "java21",
        "go1.x",
    ];
    let mut tasks = Vec::new();
    for (r, config) in [(REGION_A, a.clone()), (REGION_B, b.clone())] {
        // Regions of unequal size, as real accounts have them: nearly three in four functions in
        // the first (18 in 25), the rest in the second.
        let share: Vec<usize> = (0..n)
            .filter(|i| (i % 25 < 18) == (r == REGION_A))
            .collect();
        let account = account.clone();
        tasks.push(tokio::spawn(async move {
            let lambda = aws_sdk_lambda::Client::new(&config);
            let sqs = aws_sdk_sqs::Client::new(&config);
            let sns = aws_sdk_sns::Client::new(&config);
            let events = aws_sdk_eventbridge::Client::new(&config);
            let cognito = aws_sdk_cognitoidentityprovider::Client::new(&config);
            let iot = aws_sdk_iot::Client::new(&config);
            let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
            let mut pools: std::collections::HashMap<usize, String> = Default::default();
            // The bucket in the path, as an endpoint at an IP address needs.
            let s3 = aws_sdk_s3::Client::from_conf(
                aws_sdk_s3::config::Builder::from(&config)
                    .force_path_style(true)
                    .build(),
            );
            let role_arn = |name: &str| format!("arn:aws:iam::{account}:role/{name}");
            for i in share {
                let name = format!("svc-{i:05}");
                let exec = if i % 10 == 0 {
                    role_arn(&format!("fn-{i}-exec"))
                } else {
                    role_arn(&format!("team-{}-exec", i / 50))
                };
                function(
                    &lambda,
                    &name,
                    runtimes[i % runtimes.len()],
                    &exec,
                    &[
                        ("LOG_LEVEL", "INFO"),
                        ("API_TOKEN", "tok-0123456789abcdefXYZ"),
                    ],
                )
                .await;
                if i % 5 == 0 {
                    let queue = format!("q-{i:05}");
                    sqs.create_queue()
                        .queue_name(&queue)
                        .send()
                        .await
                        .expect("queue");
                    lambda
                        .create_event_source_mapping()
                        .function_name(&name)
                        .event_source_arn(format!("arn:aws:sqs:{r}:{account}:{queue}"))
                        .send()
                        .await
                        .expect("mapping");
                }
                if i % 7 == 0 {
                    let principal = [
                        "s3.amazonaws.com",
                        "sns.amazonaws.com",
                        "events.amazonaws.com",
                    ][i % 3];
                    let mut permission = lambda
                        .add_permission()
                        .function_name(&name)
                        .statement_id("trigger")
                        .action("lambda:InvokeFunction")
                        .principal(principal)
                        .source_account(&account);
                    if principal == "events.amazonaws.com" {
                        // The team's schedule, named as the source: the scan reads each such
                        // rule once, and the default bus once.
                        let rule = events
                            .put_rule()
                            .name(format!("team-{}-schedule", i / 50))
                            .schedule_expression("rate(1 hour)")
                            .send()
                            .await
                            .expect("rule")
                            .rule_arn
                            .expect("a rule ARN");
                        permission = permission.source_arn(rule);
                    }
                    if principal == "sns.amazonaws.com" {
                        // The team's topic, named as the source, as a subscription writes it:
                        // the scan reads each such topic once.
                        let topic = sns
                            .create_topic()
                            .name(format!("team-{}-events", i / 50))
                            .send()
                            .await
                            .expect("topic")
                            .topic_arn
                            .expect("a topic ARN");
                        // It delivers to the function: a subscription.
                        sns.subscribe()
                            .topic_arn(&topic)
                            .protocol("lambda")
                            .endpoint(format!("arn:aws:lambda:{r}:{account}:function:{name}"))
                            .send()
                            .await
                            .expect("subscription");
                        permission = permission.source_arn(topic);
                    }
                    if principal == "s3.amazonaws.com" {
                        // The team's upload bucket in this region (bucket names are global),
                        // named as the source: the scan reads each such bucket once.
                        let bucket = format!("team-{}-uploads-{r}", i / 50);
                        let made = s3
                            .create_bucket()
                            .bucket(&bucket)
                            .set_create_bucket_configuration((r != "us-east-1").then(|| {
                                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                                    .location_constraint(r.into())
                                    .build()
                            }))
                            .send()
                            .await;
                        match made {
                            // The team's first such function: the bucket notifies it. (moto
                            // answers a bucket with no notifications with an empty body, which
                            // the SDK cannot read; AWS sends an empty configuration.)
                            Ok(_) => {
                                let to = aws_sdk_s3::types::LambdaFunctionConfiguration::builder()
                                    .lambda_function_arn(format!(
                                        "arn:aws:lambda:{r}:{account}:function:{name}"
                                    ))
                                    .events("s3:ObjectCreated:*".into())
                                    .build()
                                    .expect("a notification");
                                s3.put_bucket_notification_configuration()
                                    .bucket(&bucket)
                                    .notification_configuration(
                                        aws_sdk_s3::types::NotificationConfiguration::builder()
                                            .lambda_function_configurations(to)
                                            .build(),
                                    )
                                    .send()
                                    .await
                                    .expect("notification");
                            }
                            Err(e) => {
                                let code = aws_sdk_s3::error::ProvideErrorMetadata::code(&e);
                                assert_eq!(code, Some("BucketAlreadyOwnedByYou"), "{e:?}");
                            }
                        }
                        permission = permission.source_arn(format!("arn:aws:s3:::{bucket}"));
                    }
                    permission.send().await.expect("permission");
                }
                if i % 13 == 0 {
                    // A team's user pool (its sign-up trigger), an IoT rule, or a log group's
                    // subscription filter: each read once.
                    let team = i / 50;
                    let permission = lambda
                        .add_permission()
                        .function_name(&name)
                        .statement_id("push")
                        .action("lambda:InvokeFunction")
                        .source_account(&account);
                    let function = format!("arn:aws:lambda:{r}:{account}:function:{name}");
                    let permission = match (i / 13) % 3 {
                        0 => {
                            let pool = match pools.get(&team) {
                                Some(arn) => arn.clone(),
                                None => {
                                    let config = aws_sdk_cognitoidentityprovider::types::LambdaConfigType::builder()
                                        .pre_sign_up(&function)
                                        .build();
                                    let arn = cognito
                                        .create_user_pool()
                                        .pool_name(format!("team-{team}-customers"))
                                        .lambda_config(config)
                                        .send()
                                        .await
                                        .expect("user pool")
                                        .user_pool
                                        .and_then(|p| p.arn)
                                        .expect("a pool ARN");
                                    pools.insert(team, arn.clone());
                                    arn
                                }
                            };
                            permission
                                .principal("cognito-idp.amazonaws.com")
                                .source_arn(pool)
                        }
                        1 => {
                            let rule = format!("fn_{i:05}_telemetry");
                            let action = aws_sdk_iot::types::Action::builder()
                                .lambda(
                                    aws_sdk_iot::types::LambdaAction::builder()
                                        .function_arn(&function)
                                        .build()
                                        .expect("an action"),
                                )
                                .build();
                            iot.create_topic_rule()
                                .rule_name(&rule)
                                .topic_rule_payload(
                                    aws_sdk_iot::types::TopicRulePayload::builder()
                                        .sql(format!("SELECT * FROM 'team/{team}/#'"))
                                        .actions(action)
                                        .build()
                                        .expect("a rule"),
                                )
                                .send()
                                .await
                                .expect("topic rule");
                            permission
                                .principal("iot.amazonaws.com")
                                .source_arn(format!("arn:aws:iot:{r}:{account}:rule/{rule}"))
                        }
                        _ => {
                            let group = format!("/team-{team}/access-{i:05}");
                            logs.create_log_group()
                                .log_group_name(&group)
                                .send()
                                .await
                                .expect("log group");
                            permission.principal("logs.amazonaws.com").source_arn(format!(
                                "arn:aws:logs:{r}:{account}:log-group:{group}:*"
                            ))
                        }
                    };
                    permission.send().await.expect("push permission");
                }
                if i % 11 == 0 {
                    lambda
                        .create_function_url_config()
                        .function_name(&name)
                        .auth_type(lt::FunctionUrlAuthType::None)
                        .send()
                        .await
                        .expect("url");
                }
            }
            let apigw = aws_sdk_apigateway::Client::new(&config);
            let apigw2 = aws_sdk_apigatewayv2::Client::new(&config);
            let sm = aws_sdk_secretsmanager::Client::new(&config);
            let share = n / 2;
            for k in 0..share.div_ceil(100) {
                let api = apigw
                    .create_rest_api()
                    .name(format!("rest-{k}"))
                    .send()
                    .await
                    .expect("rest api");
                let id = api.id().unwrap().to_string();
                apigw
                    .create_deployment()
                    .rest_api_id(&id)
                    .stage_name("prod")
                    .send()
                    .await
                    .ok();
                let http = apigw2
                    .create_api()
                    .name(format!("http-{k}"))
                    .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
                    .send()
                    .await
                    .expect("http api");
                let hid = http.api_id().unwrap().to_string();
                apigw2
                    .create_route()
                    .api_id(&hid)
                    .route_key("GET /")
                    .send()
                    .await
                    .expect("route");
                apigw2
                    .create_stage()
                    .api_id(&hid)
                    .stage_name("$default")
                    .send()
                    .await
                    .ok();
            }
            for s in 0..share.div_ceil(10) {
                sm.create_secret()
                    .name(format!("{r}/secret-{s}"))
                    .secret_string("generated-secret-value")
                    .send()
                    .await
                    .expect("secret");
            }
        }));
    }
    for t in tasks {
        t.await.expect("seeding task");
    }
}

/// Risks planted on top of the fixture for the assessment's end-to-end test: a function that is
/// public (function URL, auth NONE, both invoke permissions for anyone) and whose role can pass
/// any role, the administrator role included, to a new function and invoke it; and a public REST
/// API with no authorizer whose open method forwards to an internal HTTP endpoint. Returns that
/// API's id.
pub async fn plant_risks(a: &SdkConfig) -> String {
    let iam = aws_sdk_iam::Client::new(a);
    role(&iam, "deployer-exec", LAMBDA_TRUST, None).await;
    iam.put_role_policy()
        .role_name("deployer-exec")
        .policy_name("deploy-anything")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Sid":"Deploy","Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"},{"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#)
        .send()
        .await
        .expect("deployer policy");
    let lambda = aws_sdk_lambda::Client::new(a);
    function(
        &lambda,
        "public-admin",
        "python3.12",
        &role_arn("deployer-exec"),
        &[("LOG_LEVEL", "info")],
    )
    .await;
    make_public(&lambda, "public-admin").await;

    // A status API nobody authorizes: GET /status forwards anyone to an internal endpoint.
    let apigw = aws_sdk_apigateway::Client::new(a);
    let (id, status) = regional_rest_api(&apigw, "status", "status").await;
    // GET open to anyone; PUT behind IAM authorization (the near miss), both to the same
    // internal endpoint.
    for (verb, auth) in [("GET", "NONE"), ("PUT", "AWS_IAM")] {
        apigw
            .put_method()
            .rest_api_id(&id)
            .resource_id(&status)
            .http_method(verb)
            .authorization_type(auth)
            .send()
            .await
            .expect("method");
        apigw
            .put_integration()
            .rest_api_id(&id)
            .resource_id(&status)
            .http_method(verb)
            .r#type(aws_sdk_apigateway::types::IntegrationType::HttpProxy)
            .integration_http_method(verb)
            .uri("http://10.0.3.7:8080/status")
            .send()
            .await
            .expect("integration");
    }
    apigw
        .create_deployment()
        .rest_api_id(&id)
        .stage_name("prod")
        .send()
        .await
        .expect("deployment");

    // A secret every account of some organization may read, overwrite and delete: scanned alone,
    // whose organization that is cannot be known. Its key is the AWS managed one, which stops
    // the reads and writes from other accounts, not the delete.
    let sm = aws_sdk_secretsmanager::Client::new(a);
    let shared = sm
        .create_secret()
        .name("prod/shared-config")
        .secret_string("generated-config-value")
        .send()
        .await
        .expect("secret");
    sm.put_resource_policy()
        .secret_id(shared.arn().unwrap())
        .resource_policy(r#"{"Version":"2012-10-17","Statement":[{"Sid":"WholeOrg","Effect":"Allow","Principal":"*","Action":["secretsmanager:GetSecretValue","secretsmanager:PutSecretValue","secretsmanager:DeleteSecret"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}"#)
        .send()
        .await
        .expect("secret policy");
    id
}

/// What the console does for a public function URL: auth NONE, and both permissions anyone needs
/// since October 2025 (`lambda:InvokeFunctionUrl`, and `lambda:InvokeFunction` via the URL).
pub async fn make_public(lambda: &aws_sdk_lambda::Client, name: &str) {
    lambda
        .create_function_url_config()
        .function_name(name)
        .auth_type(lt::FunctionUrlAuthType::None)
        .send()
        .await
        .expect("function url");
    lambda
        .add_permission()
        .function_name(name)
        .statement_id("FunctionURLAllowPublicAccess")
        .action("lambda:InvokeFunctionUrl")
        .principal("*")
        .function_url_auth_type(lt::FunctionUrlAuthType::None)
        .send()
        .await
        .expect("url permission");
    lambda
        .add_permission()
        .function_name(name)
        .statement_id("FunctionURLInvokeAllowPublicAccess")
        .action("lambda:InvokeFunction")
        .principal("*")
        .invoked_via_function_url(true)
        .send()
        .await
        .expect("invoke permission");
}

/// What the fixture's functions did, as CloudWatch and CloudWatch Logs hold it (`days_ago` 1 and
/// 2 before the scan's UTC day): `orders-api` (public) busy and throttled, logging for 14 days
/// under a KMS key, no alarm; `orders-worker` failing 40% of a day, its logs never expiring, an
/// alarm on its errors; `legacy-report` never invoked, no log group; `edge-hello` with a
/// 900-second timeout that runs for 300 ms.
pub async fn activity(a: &SdkConfig, b: &SdkConfig) {
    use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit};
    let logs_a = aws_sdk_cloudwatchlogs::Client::new(a);
    logs_a
        .create_log_group()
        .log_group_name("/aws/lambda/orders-api")
        .kms_key_id("arn:aws:kms:eu-west-1:123456789012:key/logs-key")
        .send()
        .await
        .expect("log group");
    logs_a
        .put_retention_policy()
        .log_group_name("/aws/lambda/orders-api")
        .retention_in_days(14)
        .send()
        .await
        .expect("retention");
    logs_a
        .create_log_group()
        .log_group_name("/aws/lambda/orders-worker")
        .send()
        .await
        .expect("log group");
    // A group that is no function's: listed, matched to none.
    logs_a
        .create_log_group()
        .log_group_name("/aws/lambda/deleted-long-ago")
        .send()
        .await
        .expect("log group");
    let logs_b = aws_sdk_cloudwatchlogs::Client::new(b);
    logs_b
        .create_log_group()
        .log_group_name("/aws/lambda/edge-hello")
        .send()
        .await
        .expect("log group");
    logs_b
        .put_retention_policy()
        .log_group_name("/aws/lambda/edge-hello")
        .retention_in_days(7)
        .send()
        .await
        .expect("retention");
    aws_sdk_lambda::Client::new(b)
        .update_function_configuration()
        .function_name("edge-hello")
        .timeout(900)
        .send()
        .await
        .expect("timeout");

    // A layer of the account's own, published for any AWS account to use, that orders-worker runs.
    let lambda_a = aws_sdk_lambda::Client::new(a);
    let layer = lambda_a
        .publish_layer_version()
        .layer_name("shared-utils")
        .content(
            lt::LayerVersionContentInput::builder()
                .zip_file(Blob::new(EMPTY_ZIP))
                .build(),
        )
        .send()
        .await
        .expect("layer");
    lambda_a
        .add_layer_version_permission()
        .layer_name("shared-utils")
        .version_number(layer.version())
        .statement_id("everyone")
        .action("lambda:GetLayerVersion")
        .principal("*")
        .send()
        .await
        .expect("layer permission");
    lambda_a
        .update_function_configuration()
        .function_name("orders-worker")
        .layers(layer.layer_version_arn().expect("a layer version ARN"))
        .send()
        .await
        .expect("layer on the function");

    let cw_a = aws_sdk_cloudwatch::Client::new(a);
    cw_a.put_metric_alarm()
        .alarm_name("orders-worker-errors")
        .namespace("AWS/Lambda")
        .metric_name("Errors")
        .dimensions(
            Dimension::builder()
                .name("FunctionName")
                .value("orders-worker")
                .build(),
        )
        .statistic(aws_sdk_cloudwatch::types::Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(
            aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanOrEqualToThreshold,
        )
        .alarm_actions("arn:aws:sns:eu-west-1:123456789012:oncall")
        .send()
        .await
        .expect("alarm");

    let midnight = {
        let now = chrono::Utc::now().timestamp();
        now - now.rem_euclid(86_400)
    };
    let datum = |function: &str, metric: &str, days_ago: i64, value: f64| {
        MetricDatum::builder()
            .metric_name(metric)
            .dimensions(
                Dimension::builder()
                    .name("FunctionName")
                    .value(function)
                    .build(),
            )
            .timestamp(aws_smithy_types::DateTime::from_secs(
                midnight - days_ago * 86_400 + 12 * 3600,
            ))
            .value(value)
            .unit(if metric == "Duration" {
                StandardUnit::Milliseconds
            } else {
                StandardUnit::Count
            })
            .build()
    };
    let put = |cw: aws_sdk_cloudwatch::Client, data: Vec<MetricDatum>| async move {
        cw.put_metric_data()
            .namespace("AWS/Lambda")
            .set_metric_data(Some(data))
            .send()
            .await
            .expect("metric data");
    };
    put(
        cw_a.clone(),
        vec![
            datum("orders-api", "Invocations", 2, 500.0),
            datum("orders-api", "Invocations", 1, 400.0),
            datum("orders-api", "Errors", 2, 0.0),
            datum("orders-api", "Errors", 1, 2.0),
            datum("orders-api", "Throttles", 1, 100.0),
            datum("orders-api", "Duration", 2, 250.0),
            datum("orders-api", "Duration", 1, 300.0),
            datum("orders-worker", "Invocations", 1, 50.0),
            datum("orders-worker", "Errors", 1, 20.0),
            datum("orders-worker", "Duration", 1, 1200.0),
        ],
    )
    .await;
    put(
        aws_sdk_cloudwatch::Client::new(b),
        vec![
            datum("edge-hello", "Invocations", 1, 30.0),
            datum("edge-hello", "Duration", 1, 300.0),
        ],
    )
    .await;
}
