use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a call failed, after its retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The credentials were refused or lack the permission.
    AccessDenied,
    /// Still throttled when the retries ran out.
    Throttled,
    /// No answer within the call's time limit.
    TimedOut,
    /// The endpoint could not be reached (connection refused, DNS, TLS).
    Unreachable,
    /// The endpoint does not implement the operation (some emulators; some partitions).
    NotSupported,
    /// The service answered 5xx until the retries ran out.
    ServerError,
    Other,
}

impl FailureKind {
    pub fn label(self) -> &'static str {
        match self {
            FailureKind::AccessDenied => "access denied",
            FailureKind::Throttled => "throttled after retries",
            FailureKind::TimedOut => "timed out",
            FailureKind::Unreachable => "endpoint unreachable",
            FailureKind::NotSupported => "not supported by the endpoint",
            FailureKind::ServerError => "server error",
            FailureKind::Other => "failed",
        }
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A failure with the message AWS (or the transport) gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
}

/// What happened to every (service, region, operation) a scan attempted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Sorted by service, region, operation.
    pub entries: Vec<CoverageEntry>,
}

impl Coverage {
    /// The entries with at least one failed call.
    pub fn gaps(&self) -> impl Iterator<Item = &CoverageEntry> {
        self.entries.iter().filter(|e| e.failed > 0)
    }

    /// True when every call the scan made succeeded.
    pub fn is_complete(&self) -> bool {
        self.gaps().next().is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageEntry {
    /// `lambda`, `iam`, `apigateway`, `apigatewayv2`, `secretsmanager`, `sts`, `account`.
    pub service: String,
    /// The region, or `global` for IAM and account-wide calls.
    pub region: String,
    /// The API operation, as AWS names it (`ListFunctions`).
    pub operation: String,
    /// Calls that succeeded (a paginated listing counts each page).
    pub succeeded: u64,
    /// Calls that failed after their retries; what they were about is marked not assessed.
    pub failed: u64,
    /// Resources the successful calls returned.
    pub items: u64,
    /// Per-resource calls not made on purpose (see the resource's detail for why).
    pub skipped: u64,
    /// The first failure, as a representative of all of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
}

impl CoverageEntry {
    /// Why its calls failed, for reports: `access denied: User ... is not authorized ...`.
    pub fn why(&self) -> String {
        self.failure
            .as_ref()
            .map_or("failed".into(), |f| format!("{}: {}", f.kind, f.message))
    }
}

/// A part of a resource that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// What is missing: `inline policies`, `attached policies`, `role details`, ...
    pub part: String,
    pub kind: FailureKind,
    pub message: String,
}
