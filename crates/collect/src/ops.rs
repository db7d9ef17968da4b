//! Every AWS operation sprawl calls, with the quota pool it draws from.
//!
//! This table is the call plan. Per Lambda function a scan makes:
//!
//! | call | pool | when |
//! |---|---|---|
//! | GetFunction | lambda:GetFunction (100/s) | always: tags and reserved concurrency in one call, where ListTags + GetFunctionConcurrency would spend two of the 15/s control-plane pool |
//! | ListTags, GetFunctionConcurrency | lambda:control-plane | only with `--no-get-function`, in GetFunction's place (for accounts whose policy forbids GetFunction) |
//! | GetPolicy | lambda:GetPolicy (15/s) | always: the resource policy says who may invoke; nothing cheaper tells |
//! | GetFunctionUrlConfig | lambda:control-plane (15/s) | always: a URL with AWS_IAM auth needs no policy statement, so the policy cannot rule a URL out |
//! | ListAliases | lambda:control-plane | only for functions with published versions (from the ListFunctions listing) |
//! | GetPolicy, GetFunctionUrlConfig qualified by the alias | as above | per alias: an alias has its own resource policy and URL, which the unqualified calls do not show; GetFunctionEventInvokeConfig too where the alias's policy lets an asynchronous service in |
//! | GetFunctionEventInvokeConfig | lambda:control-plane | only for functions whose resource policy lets an asynchronous service (S3, SNS, EventBridge, ...) invoke them |
//!
//! and per layer version of the account's own that a function runs: GetLayerVersionPolicy (who
//! else may use it). Per region: DescribeLogGroups (the `/aws/lambda/` groups, 50 a page; a function that logs
//! to a group of its own choosing adds one call with that name), DescribeAlarms (100 a page), and,
//! only with `--metrics` (billed, $0.01 per 1,000 metrics), GetMetricData with six daily
//! metrics per function, 500 metrics (83 functions) a call, and the 99th percentile of Duration
//! in calls of its own (500 functions a call). Also per region: ListFunctions (all versions, 50 a page), ListEventSourceMappings (account-wide,
//! not per function), ListCodeSigningConfigs and ListFunctionsByCodeSigningConfig (per config, not
//! per function). API Gateway: GetRestApis, then per REST API GetResources (with methods and
//! integrations embedded), GetStages, and GetAuthorizers only when a method uses an authorizer;
//! GetApis, then per HTTP API GetRoutes, GetIntegrations, GetStages, and GetAuthorizers only when a
//! route uses one. Secrets Manager: ListSecrets (which carries rotation, dates and tags), then
//! GetResourcePolicy per secret. IAM, once per scan: GetAccountAuthorizationDetails, or when that is
//! denied, ListRoles and per Lambda role GetRole, ListRolePolicies, GetRolePolicy,
//! ListAttachedRolePolicies, and per managed policy GetPolicy and GetPolicyVersion.
//! SNS: GetTopicAttributes and ListSubscriptionsByTopic once per topic a function's resource
//! policy, or a polled queue's policy, names as its `aws:SourceArn` (the topics that trigger
//! functions, however many each triggers; no other).
//! SQS: GetQueueAttributes once per queue an event source mapping polls (beside the functions).
//! Kinesis and DynamoDB: GetResourcePolicy once per stream (or table, for a DynamoDB stream) an
//! event source mapping polls (beside the functions).
//! Cognito: DescribeUserPool once per user pool a function's resource policy names as its
//! `aws:SourceArn`. IoT: GetTopicRule once per topic rule a function's resource policy names.
//! Cognito Identity, in each region with functions: ListIdentityPools (60 a page), then per pool
//! DescribeIdentityPool, and GetIdentityPoolRoles where it gives unauthenticated identities
//! credentials (who may write to a source, or publish to a rule's topics, as anyone).
//! CloudWatch Logs: DescribeSubscriptionFilters once per log group a function's resource policy
//! names. SES: DescribeActiveReceiptRuleSet once per region where a function's resource policy
//! lets SES invoke it.
//! EventBridge: DescribeRule once per rule a function's resource policy, or a polled queue's or
//! triggering topic's policy, names as its `aws:SourceArn`, and DescribeEventBus once per bus
//! those rules are on.
//! S3: per bucket a function's resource policy or a triggering topic's or queue's policy names as its
//! `aws:SourceArn`, GetBucketLocation, then in the bucket's region
//! GetBucketNotificationConfiguration, GetBucketPolicy, GetBucketAcl, GetPublicAccessBlock and
//! GetBucketOwnershipControls (six calls; never an object); and once per scan that reads a bucket,
//! S3 Control's GetPublicAccessBlock (the account's Block Public Access).
//!
//! With `--access-advisor`, per execution role: GenerateServiceLastAccessedDetails (starts IAM's
//! report job), then GetServiceLastAccessedDetails until the job completes (polled, jobs bounded in
//! flight, a job that does not complete in time is a gap).
//!
//! A skipped call is recorded on the resource (`Detail::Skipped` with the reason) and counted in
//! the coverage; it is never taken as "nothing there".

pub use sprawl_model::Service;

use super::quota::Pool;

/// The service's name in the SDK's operation metadata (what the read-only guard sees).
pub fn sdk_name(service: Service) -> &'static str {
    match service {
        Service::Lambda => "Lambda",
        Service::Iam => "IAM",
        Service::ApiGateway => "API Gateway",
        Service::ApiGatewayV2 => "ApiGatewayV2",
        Service::SecretsManager => "Secrets Manager",
        Service::Sts => "STS",
        Service::Account => "Account",
        Service::Organizations => "Organizations",
        Service::CloudWatch => "CloudWatch",
        Service::CloudWatchLogs => "CloudWatch Logs",
        Service::Sns => "SNS",
        Service::S3 => "S3",
        Service::S3Control => "S3 Control",
        Service::Sqs => "SQS",
        Service::Events => "EventBridge",
        Service::Kinesis => "Kinesis",
        Service::DynamoDb => "DynamoDB",
        Service::Cognito => "Cognito Identity Provider",
        Service::Ses => "SES",
        Service::Iot => "IoT",
        Service::CognitoIdentity => "Cognito Identity",
    }
}

/// One API operation and the quota pools a call to it draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Op {
    pub service: Service,
    pub name: &'static str,
    pub pools: &'static [Pool],
}

const fn op(service: Service, name: &'static str, pools: &'static [Pool]) -> Op {
    Op {
        service,
        name,
        pools,
    }
}

use Pool::*;
use Service as S;

pub const LIST_FUNCTIONS: Op = op(S::Lambda, "ListFunctions", &[LambdaControl]);
pub const GET_FUNCTION: Op = op(S::Lambda, "GetFunction", &[LambdaGetFunction]);
/// With `--no-get-function`, per function, in GetFunction's place: its tags.
pub const LIST_TAGS: Op = op(S::Lambda, "ListTags", &[LambdaControl]);
/// With `--no-get-function`, per function, in GetFunction's place: its reserved concurrency.
pub const GET_FUNCTION_CONCURRENCY: Op = op(S::Lambda, "GetFunctionConcurrency", &[LambdaControl]);
pub const GET_POLICY: Op = op(S::Lambda, "GetPolicy", &[LambdaGetPolicy]);
pub const GET_FUNCTION_URL_CONFIG: Op = op(S::Lambda, "GetFunctionUrlConfig", &[LambdaControl]);
pub const GET_FUNCTION_EVENT_INVOKE_CONFIG: Op =
    op(S::Lambda, "GetFunctionEventInvokeConfig", &[LambdaControl]);
pub const GET_LAYER_VERSION_POLICY: Op = op(S::Lambda, "GetLayerVersionPolicy", &[LambdaControl]);
/// With `--code`, per layer version a function runs (of any account): its content's
/// presigned URL, size and `CodeSha256`. The layer's name may be its ARN, so another account's
/// layer is read the same way (where its policy lets this account).
pub const GET_LAYER_VERSION: Op = op(S::Lambda, "GetLayerVersion", &[LambdaControl]);
/// With `--code`: a package's download from the presigned URL GetFunction or GetLayerVersion
/// gave (not an API call: no quota, no IAM action; never in the call plan's allow-list). Its
/// coverage entry counts the packages read and says why one was not.
pub const PACKAGE_DOWNLOAD: Op = op(S::Lambda, "package download", &[]);
/// With `--code --vuln-db DIR`: the local OSV dumps the packages read are judged against (no
/// network, no AWS; its coverage entry says whether they could be read).
pub const VULNERABILITY_DATABASE: Op = op(S::Lambda, "vulnerability database", &[]);
/// With `--metrics`, per function with published versions.
pub const LIST_PROVISIONED_CONCURRENCY_CONFIGS: Op = op(
    S::Lambda,
    "ListProvisionedConcurrencyConfigs",
    &[LambdaControl],
);
pub const LIST_ALIASES: Op = op(S::Lambda, "ListAliases", &[LambdaControl]);
pub const LIST_EVENT_SOURCE_MAPPINGS: Op =
    op(S::Lambda, "ListEventSourceMappings", &[LambdaControl]);
pub const LIST_CODE_SIGNING_CONFIGS: Op = op(S::Lambda, "ListCodeSigningConfigs", &[LambdaControl]);
pub const LIST_FUNCTIONS_BY_CODE_SIGNING_CONFIG: Op = op(
    S::Lambda,
    "ListFunctionsByCodeSigningConfig",
    &[LambdaControl],
);

pub const GET_ACCOUNT_AUTHORIZATION_DETAILS: Op =
    op(S::Iam, "GetAccountAuthorizationDetails", &[Iam]);
pub const LIST_ROLES: Op = op(S::Iam, "ListRoles", &[Iam]);
pub const GET_ROLE: Op = op(S::Iam, "GetRole", &[Iam]);
pub const LIST_ROLE_POLICIES: Op = op(S::Iam, "ListRolePolicies", &[Iam]);
pub const GET_ROLE_POLICY: Op = op(S::Iam, "GetRolePolicy", &[Iam]);
pub const LIST_ATTACHED_ROLE_POLICIES: Op = op(S::Iam, "ListAttachedRolePolicies", &[Iam]);
pub const IAM_GET_POLICY: Op = op(S::Iam, "GetPolicy", &[Iam]);
pub const GET_POLICY_VERSION: Op = op(S::Iam, "GetPolicyVersion", &[Iam]);

/// Starts IAM's Access Advisor job on a role (`--access-advisor` only). Not a List, Get or
/// Describe: it starts a report, which IAM classes as a Read and which changes nothing in the
/// account (the report expires on its own).
pub const GENERATE_SERVICE_LAST_ACCESSED_DETAILS: Op =
    op(S::Iam, "GenerateServiceLastAccessedDetails", &[Iam]);
pub const GET_SERVICE_LAST_ACCESSED_DETAILS: Op =
    op(S::Iam, "GetServiceLastAccessedDetails", &[Iam]);

/// What a scan calls only when asked: its opt-ins and their operations. A default scan calls
/// none of these, and the default `iam-policy` grants none of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OptIns {
    /// `--metrics`: GetMetricData (billed) and ListProvisionedConcurrencyConfigs.
    pub metrics: bool,
    /// `--access-advisor`: IAM's Access Advisor report jobs.
    pub access_advisor: bool,
    /// `--no-get-function`: ListTags and GetFunctionConcurrency in GetFunction's place (an
    /// account's policy may forbid GetFunction: its answer carries a presigned URL of the code).
    /// The policy keeps GetFunction, so one role serves both kinds of scan.
    pub no_get_function: bool,
    /// `--code`: GetLayerVersion (the layers' content); the functions' packages come through
    /// GetFunction, which every scan may call.
    pub code: bool,
}

impl OptIns {
    /// Every opt-in.
    pub const ALL: OptIns = OptIns {
        metrics: true,
        access_advisor: true,
        no_get_function: true,
        code: true,
    };

    /// Whether a scan with these opt-ins may call `op`.
    pub fn include(self, op: &Op) -> bool {
        let is = |list: &[Op]| {
            list.iter()
                .any(|o| o.service == op.service && o.name == op.name)
        };
        (!is(METRICS_OPS) || self.metrics)
            && (!is(ACCESS_ADVISOR_OPS) || self.access_advisor)
            && (!is(NO_GET_FUNCTION_OPS) || self.no_get_function)
            && (!is(CODE_OPS) || self.code)
    }
}

/// The operations only `--no-get-function` calls, in GetFunction's place. What that leaves out
/// is GetFunction's `Code` (the package's presigned URL, an image's URI), which sprawl reads only
/// with `--code`; the tags and the reserved concurrency are the same.
pub const NO_GET_FUNCTION_OPS: &[Op] = &[LIST_TAGS, GET_FUNCTION_CONCURRENCY];
/// What `--no-get-function` leaves out, as the scan's coverage and the flag's help say it.
pub const NO_GET_FUNCTION_LEAVES_OUT: &str = "--no-get-function: tags from ListTags and reserved concurrency from GetFunctionConcurrency instead; GetFunction's code location and image URI are not read (so --code cannot be used with it)";

/// The operations only `--code` calls (beside a second GetFunction per package, for its
/// presigned URL just before the download).
pub const CODE_OPS: &[Op] = &[GET_LAYER_VERSION];

/// The operations only `--metrics` calls.
pub const METRICS_OPS: &[Op] = &[GET_METRIC_DATA, LIST_PROVISIONED_CONCURRENCY_CONFIGS];
/// The operations only `--access-advisor` calls.
pub const ACCESS_ADVISOR_OPS: &[Op] = &[
    GENERATE_SERVICE_LAST_ACCESSED_DETAILS,
    GET_SERVICE_LAST_ACCESSED_DETAILS,
];

/// The operations of the call plan that are reads without a List, Get or Describe name.
pub const READS_BY_ANOTHER_NAME: &[Op] = &[GENERATE_SERVICE_LAST_ACCESSED_DETAILS];

pub const GET_REST_APIS: Op = op(S::ApiGateway, "GetRestApis", &[ApiGatewayManagement]);
pub const GET_RESOURCES: Op = op(
    S::ApiGateway,
    "GetResources",
    &[ApiGatewayManagement, ApiGatewayGetResources],
);
pub const GET_STAGES: Op = op(S::ApiGateway, "GetStages", &[ApiGatewayManagement]);
pub const GET_AUTHORIZERS: Op = op(S::ApiGateway, "GetAuthorizers", &[ApiGatewayManagement]);

pub const GET_APIS: Op = op(S::ApiGatewayV2, "GetApis", &[ApiGatewayManagement]);
pub const GET_ROUTES: Op = op(S::ApiGatewayV2, "GetRoutes", &[ApiGatewayManagement]);
pub const GET_INTEGRATIONS: Op = op(S::ApiGatewayV2, "GetIntegrations", &[ApiGatewayManagement]);
pub const V2_GET_STAGES: Op = op(S::ApiGatewayV2, "GetStages", &[ApiGatewayManagement]);
pub const V2_GET_AUTHORIZERS: Op = op(S::ApiGatewayV2, "GetAuthorizers", &[ApiGatewayManagement]);

pub const LIST_SECRETS: Op = op(S::SecretsManager, "ListSecrets", &[SecretsManagerList]);
pub const GET_RESOURCE_POLICY: Op = op(
    S::SecretsManager,
    "GetResourcePolicy",
    &[SecretsManagerResourcePolicy],
);

pub const DESCRIBE_LOG_GROUPS: Op = op(
    S::CloudWatchLogs,
    "DescribeLogGroups",
    &[LogsDescribeLogGroups],
);
pub const DESCRIBE_ALARMS: Op = op(S::CloudWatch, "DescribeAlarms", &[CloudWatchDescribeAlarms]);
/// Per SNS topic a function's resource policy names (however many functions it triggers): its
/// access policy and encryption key.
pub const GET_TOPIC_ATTRIBUTES: Op = op(S::Sns, "GetTopicAttributes", &[SnsGetTopicAttributes]);
/// Per such topic, beside its attributes: where it delivers (100 subscriptions a page).
pub const LIST_SUBSCRIPTIONS_BY_TOPIC: Op =
    op(S::Sns, "ListSubscriptionsByTopic", &[SnsListSubscriptions]);
/// Per SQS queue an event source mapping polls (however many functions it feeds): its access
/// policy and encryption key.
pub const GET_QUEUE_ATTRIBUTES: Op = op(S::Sqs, "GetQueueAttributes", &[SqsGetQueueAttributes]);
/// Per EventBridge rule a function's resource policy names: its state and pattern; then per bus
/// those rules are on: its policy.
pub const DESCRIBE_RULE: Op = op(S::Events, "DescribeRule", &[EventsDescribe]);
pub const DESCRIBE_EVENT_BUS: Op = op(S::Events, "DescribeEventBus", &[EventsDescribe]);
/// Per Kinesis stream, and per DynamoDB table whose stream, an event source mapping polls: its
/// resource policy.
pub const KINESIS_GET_RESOURCE_POLICY: Op =
    op(S::Kinesis, "GetResourcePolicy", &[KinesisGetResourcePolicy]);
pub const DYNAMODB_GET_RESOURCE_POLICY: Op = op(
    S::DynamoDb,
    "GetResourcePolicy",
    &[DynamoDbGetResourcePolicy],
);
/// Per Cognito user pool a function's resource policy names: whether anyone may sign up, and
/// its Lambda triggers.
pub const DESCRIBE_USER_POOL: Op = op(S::Cognito, "DescribeUserPool", &[CognitoUserPoolRead]);
/// Per region where a function's resource policy lets SES invoke it: the active receipt rule
/// set's rules (which functions they invoke, for which recipients).
pub const DESCRIBE_ACTIVE_RECEIPT_RULE_SET: Op =
    op(S::Ses, "DescribeActiveReceiptRuleSet", &[SesReceiptRules]);
/// Per IoT topic rule a function's resource policy names: its SQL, state and actions.
pub const GET_TOPIC_RULE: Op = op(S::Iot, "GetTopicRule", &[IotGetTopicRule]);
/// Per region with functions: its Cognito identity pools, then per pool
/// whether it gives unauthenticated identities credentials, and where it does, their role.
pub const LIST_IDENTITY_POOLS: Op = op(
    S::CognitoIdentity,
    "ListIdentityPools",
    &[CognitoIdentityRead],
);
pub const DESCRIBE_IDENTITY_POOL: Op = op(
    S::CognitoIdentity,
    "DescribeIdentityPool",
    &[CognitoIdentityRead],
);
pub const GET_IDENTITY_POOL_ROLES: Op = op(
    S::CognitoIdentity,
    "GetIdentityPoolRoles",
    &[CognitoIdentityRead],
);
/// Per log group a function's resource policy names: its subscription filters.
pub const DESCRIBE_SUBSCRIPTION_FILTERS: Op = op(
    S::CloudWatchLogs,
    "DescribeSubscriptionFilters",
    &[LogsDescribeSubscriptionFilters],
);
/// Per S3 bucket that triggers a function (directly, or through a topic): its region, then in it
/// its notifications, policy, ACL, Block Public Access and ownership. Never an object.
pub const GET_BUCKET_LOCATION: Op = op(S::S3, "GetBucketLocation", &[S3BucketConfiguration]);
pub const GET_BUCKET_NOTIFICATION_CONFIGURATION: Op = op(
    S::S3,
    "GetBucketNotificationConfiguration",
    &[S3BucketConfiguration],
);
pub const GET_BUCKET_POLICY: Op = op(S::S3, "GetBucketPolicy", &[S3BucketConfiguration]);
pub const GET_BUCKET_ACL: Op = op(S::S3, "GetBucketAcl", &[S3BucketConfiguration]);
pub const GET_PUBLIC_ACCESS_BLOCK: Op = op(S::S3, "GetPublicAccessBlock", &[S3BucketConfiguration]);
pub const GET_BUCKET_OWNERSHIP_CONTROLS: Op = op(
    S::S3,
    "GetBucketOwnershipControls",
    &[S3BucketConfiguration],
);
/// Once per scan that reads a bucket: the account's Block Public Access.
pub const GET_ACCOUNT_PUBLIC_ACCESS_BLOCK: Op = op(
    S::S3Control,
    "GetPublicAccessBlock",
    &[S3BucketConfiguration],
);
/// Billed ($0.01 per 1,000 metrics requested): called only with `--metrics`.
pub const GET_METRIC_DATA: Op = op(S::CloudWatch, "GetMetricData", &[CloudWatchGetMetricData]);

pub const GET_CALLER_IDENTITY: Op = op(S::Sts, "GetCallerIdentity", &[Sts]);
pub const LIST_REGIONS: Op = op(S::Account, "ListRegions", &[Account]);

pub const DESCRIBE_ORGANIZATION: Op =
    op(S::Organizations, "DescribeOrganization", &[Organizations]);
pub const LIST_ROOTS: Op = op(S::Organizations, "ListRoots", &[Organizations]);
pub const DESCRIBE_ORGANIZATIONAL_UNIT: Op = op(
    S::Organizations,
    "DescribeOrganizationalUnit",
    &[Organizations],
);
pub const LIST_ORGANIZATIONAL_UNITS_FOR_PARENT: Op = op(
    S::Organizations,
    "ListOrganizationalUnitsForParent",
    &[Organizations],
);
pub const LIST_ACCOUNTS_FOR_PARENT: Op =
    op(S::Organizations, "ListAccountsForParent", &[Organizations]);
pub const LIST_POLICIES: Op = op(S::Organizations, "ListPolicies", &[Organizations]);
pub const LIST_TARGETS_FOR_POLICY: Op =
    op(S::Organizations, "ListTargetsForPolicy", &[Organizations]);
pub const DESCRIBE_POLICY: Op = op(S::Organizations, "DescribePolicy", &[Organizations]);

/// What an organization scan calls first, from the management account or a delegated
/// administrator, to find the accounts (then each account is scanned with [`ALL`]). Read-only
/// like the rest; allowed by the read-only guard, and in `sprawl iam-policy --org`.
pub const ORGANIZATION: &[Op] = &[
    DESCRIBE_ORGANIZATION,
    LIST_ROOTS,
    DESCRIBE_ORGANIZATIONAL_UNIT,
    LIST_ORGANIZATIONAL_UNITS_FOR_PARENT,
    LIST_ACCOUNTS_FOR_PARENT,
    LIST_POLICIES,
    LIST_TARGETS_FOR_POLICY,
    DESCRIBE_POLICY,
];

/// Every operation sprawl may call: the call plan, and the read-only guard's allow-list
/// ([`super::readonly`]). GetSecretValue and every write are absent on purpose.
pub const ALL: &[Op] = &[
    LIST_FUNCTIONS,
    GET_FUNCTION,
    LIST_TAGS,
    GET_FUNCTION_CONCURRENCY,
    GET_POLICY,
    GET_FUNCTION_URL_CONFIG,
    GET_FUNCTION_EVENT_INVOKE_CONFIG,
    LIST_ALIASES,
    GET_LAYER_VERSION_POLICY,
    GET_LAYER_VERSION,
    LIST_PROVISIONED_CONCURRENCY_CONFIGS,
    LIST_EVENT_SOURCE_MAPPINGS,
    LIST_CODE_SIGNING_CONFIGS,
    LIST_FUNCTIONS_BY_CODE_SIGNING_CONFIG,
    GET_ACCOUNT_AUTHORIZATION_DETAILS,
    LIST_ROLES,
    GET_ROLE,
    LIST_ROLE_POLICIES,
    GET_ROLE_POLICY,
    LIST_ATTACHED_ROLE_POLICIES,
    IAM_GET_POLICY,
    GET_POLICY_VERSION,
    GENERATE_SERVICE_LAST_ACCESSED_DETAILS,
    GET_SERVICE_LAST_ACCESSED_DETAILS,
    GET_REST_APIS,
    GET_RESOURCES,
    GET_STAGES,
    GET_AUTHORIZERS,
    GET_APIS,
    GET_ROUTES,
    GET_INTEGRATIONS,
    V2_GET_STAGES,
    V2_GET_AUTHORIZERS,
    LIST_SECRETS,
    GET_RESOURCE_POLICY,
    DESCRIBE_LOG_GROUPS,
    DESCRIBE_ALARMS,
    GET_METRIC_DATA,
    GET_TOPIC_ATTRIBUTES,
    LIST_SUBSCRIPTIONS_BY_TOPIC,
    GET_QUEUE_ATTRIBUTES,
    DESCRIBE_RULE,
    DESCRIBE_EVENT_BUS,
    KINESIS_GET_RESOURCE_POLICY,
    DYNAMODB_GET_RESOURCE_POLICY,
    DESCRIBE_USER_POOL,
    DESCRIBE_ACTIVE_RECEIPT_RULE_SET,
    GET_TOPIC_RULE,
    LIST_IDENTITY_POOLS,
    DESCRIBE_IDENTITY_POOL,
    GET_IDENTITY_POOL_ROLES,
    DESCRIBE_SUBSCRIPTION_FILTERS,
    GET_BUCKET_LOCATION,
    GET_BUCKET_NOTIFICATION_CONFIGURATION,
    GET_BUCKET_POLICY,
    GET_BUCKET_ACL,
    GET_PUBLIC_ACCESS_BLOCK,
    GET_BUCKET_OWNERSHIP_CONTROLS,
    GET_ACCOUNT_PUBLIC_ACCESS_BLOCK,
    GET_CALLER_IDENTITY,
    LIST_REGIONS,
];
