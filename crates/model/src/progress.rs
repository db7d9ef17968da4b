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
    /// A billed read is about to start (opt-in): what AWS will charge for it, told first.
    Billed {
        region: String,
        operation: &'static str,
        calls: u64,
        metrics: u64,
        usd: f64,
    },
}
