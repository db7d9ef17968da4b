//! What a scan reports while it runs: the AWS services it reads, and its progress events. The
//! collectors send these; the explorer and the stderr display read them.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::FailureKind;

/// The AWS services sprawl reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    Lambda,
    Iam,
    ApiGateway,
    ApiGatewayV2,
    SecretsManager,
    Sts,
    Account,
    Organizations,
    /// CloudWatch: alarms and (opt-in) metrics.
    CloudWatch,
    /// CloudWatch Logs: log groups.
    CloudWatchLogs,
    /// SNS: the topics that trigger functions.
    Sns,
    /// S3: the buckets that trigger functions (their configuration; never an object).
    S3,
    /// S3 Control: the account's Block Public Access.
    S3Control,
    /// SQS: the queues behind event source mappings.
    Sqs,
    /// EventBridge: the rules that trigger functions and their buses.
    Events,
    /// Kinesis: the streams behind event source mappings.
    Kinesis,
    /// DynamoDB: the tables whose streams event source mappings poll.
    DynamoDb,
    /// Cognito user pools: the pools whose triggers run functions.
    Cognito,
    /// SES: the receipt rules that invoke functions.
    Ses,
    /// IoT: the topic rules that invoke functions.
    Iot,
    /// Cognito identity pools: who may act, unauthenticated, as a role of the account (in the
    /// regions with functions).
    CognitoIdentity,
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::Lambda => "lambda",
            Service::Iam => "iam",
            Service::ApiGateway => "apigateway",
            Service::ApiGatewayV2 => "apigatewayv2",
            Service::SecretsManager => "secretsmanager",
            Service::Sts => "sts",
            Service::Account => "account",
            Service::Organizations => "organizations",
            Service::CloudWatch => "cloudwatch",
            Service::CloudWatchLogs => "logs",
            Service::Sns => "sns",
            Service::S3 => "s3",
            Service::S3Control => "s3control",
            Service::Sqs => "sqs",
            Service::Events => "events",
            Service::Kinesis => "kinesis",
            Service::DynamoDb => "dynamodb",
            Service::Cognito => "cognito",
            Service::Ses => "ses",
            Service::Iot => "iot",
            Service::CognitoIdentity => "cognito-identity",
        }
    }

    /// IAM and Account are global: their calls are recorded under the region `global`.
    pub fn is_global(self) -> bool {
        matches!(
            self,
            Service::Iam | Service::Account | Service::Organizations
        )
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Progress events a scan sends while it runs.
#[derive(Debug, Clone, PartialEq)]
pub enum ProgressEvent {
    /// The scan identified the account and the regions it will cover.
    Started {
        account: String,
        regions: Vec<String>,
    },
    /// A service's collection in a region began.
    ServiceStarted { service: Service, region: String },
    /// One call finished (after its retries): `failure` is set when it failed.
    Call {
        service: Service,
        region: String,
        operation: &'static str,
        failure: Option<FailureKind>,
    },
    /// Resources were found.
    Found {
        service: Service,
        region: String,
        count: u64,
    },
    /// A service's collection in a region finished.
    ServiceDone { service: Service, region: String },
    /// A call has waited a while for its answer (said once an attempt): what is waited for, at
    /// which endpoint (a custom one; None: AWS's own), and how long an attempt may take.
    Waiting {
        service: Service,
        region: String,
        operation: &'static str,
        endpoint: Option<String>,
        waited_secs: u64,
        attempt_secs: u64,
    },
    /// A billed read is about to start (opt-in): what AWS will charge for it, told first.
    Billed {
        region: String,
        operation: &'static str,
        calls: u64,
        metrics: u64,
        usd: f64,
    },
    /// `--code`: what is about to be downloaded (told before any of it is), and the budget it
    /// is held to: above it, nothing is.
    CodePlan {
        /// Unique function packages (by `CodeSha256`).
        packages: u64,
        /// Layer versions the functions run.
        layers: u64,
        /// Their bytes, zipped, from the listing's `CodeSize`.
        bytes: u64,
        budget: u64,
    },
}

impl ProgressEvent {
    /// A code plan in words: `--code: 12 packages and 3 layer versions, 48.2 MB to download
    /// (budget 5.4 GB)`, or that it is over the budget and nothing is read. None for any other
    /// event.
    pub fn code_plan(&self) -> Option<String> {
        let ProgressEvent::CodePlan {
            packages,
            layers,
            bytes,
            budget,
        } = self
        else {
            return None;
        };
        let mb = |b: u64| b as f64 / 1e6;
        let what = format!(
            "--code: {packages} package(s) and {layers} layer version(s), {:.1} MB to download",
            mb(*bytes)
        );
        Some(if bytes > budget {
            format!(
                "{what}: over --code-budget ({:.1} MB), so none is read (their functions' code is not assessed)",
                mb(*budget)
            )
        } else {
            format!("{what} (budget {:.1} MB)", mb(*budget))
        })
    }

    /// What a call that has waited a while is waiting for, and where: `still waiting for sts
    /// GetCallerIdentity at http://127.0.0.1:9 (5 s so far; an attempt gives up after 20 s)`.
    /// None for any other event.
    pub fn waiting(&self) -> Option<String> {
        let ProgressEvent::Waiting {
            service,
            region,
            operation,
            endpoint,
            waited_secs,
            attempt_secs,
        } = self
        else {
            return None;
        };
        let at = match endpoint {
            Some(url) => url.clone(),
            None => format!("the {service} endpoint in {region}"),
        };
        Some(format!(
            "still waiting for {service} {operation} at {at} ({waited_secs} s so far; an attempt gives up after {attempt_secs} s)"
        ))
    }
}
