//! Turning SDK errors into the few kinds a security engineer needs to act on.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use sprawl_model::{Failure, FailureKind};

/// A failed attempt, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// AWS answered that the resource (policy, URL, config) does not exist: a normal empty value
    /// for the optional-detail calls, which map it to `None`.
    NotFound,
    /// Anything else.
    Failed(Failure),
}

impl CallError {
    /// Whether another attempt may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            CallError::NotFound => false,
            CallError::Failed(f) => matches!(
                f.kind,
                FailureKind::Throttled
                    | FailureKind::ServerError
                    | FailureKind::TimedOut
                    | FailureKind::Unreachable
            ),
        }
    }

    pub fn failure(kind: FailureKind, message: impl Into<String>) -> Self {
        CallError::Failed(Failure {
            kind,
            message: message.into(),
        })
    }
}

/// Error codes that mean "there is none": GetPolicy without a policy, GetFunctionUrlConfig without
/// a URL, IAM NoSuchEntity, API Gateway NotFoundException.
const NOT_FOUND_CODES: &[&str] = &[
    "ResourceNotFoundException",
    "NotFoundException",
    "NoSuchEntity",
    "NoSuchEntityException",
    // S3's "there is none": no bucket policy, no Block Public Access, no ownership controls.
    "NoSuchBucketPolicy",
    "NoSuchPublicAccessBlockConfiguration",
    "OwnershipControlsNotFoundError",
    // DynamoDB's: a table without a resource policy.
    "PolicyNotFoundException",
];

const DENIED_CODES: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
    "OptInRequired",
];

const THROTTLE_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "LimitExceededException",
];

/// Longest message kept in the coverage record.
const MAX_MESSAGE: usize = 300;

/// Classifies an SDK error.
pub fn classify<E>(err: &SdkError<E, HttpResponse>) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let message = truncate(&chain(err));
    match err {
        SdkError::ServiceError(se) => {
            let status = se.raw().status().as_u16();
            let code = se.err().code().unwrap_or_default();
            let service_message = se.err().message().unwrap_or_default();
            let detail = match (code.is_empty(), service_message.is_empty()) {
                (false, false) => format!("{code}: {service_message}"),
                (false, true) => code.to_string(),
                (true, false) => format!("HTTP {status}: {service_message}"),
                (true, true) if status == 404 => {
                    "HTTP 404 with no error code: the endpoint has no such operation".to_string()
                }
                (true, true) => format!("HTTP {status} with no error code"),
            };
            classify_service(status, code, &detail)
        }
        SdkError::TimeoutError(_) => CallError::failure(FailureKind::TimedOut, message),
        SdkError::DispatchFailure(d) => {
            if d.is_timeout() {
                CallError::failure(FailureKind::TimedOut, message)
            } else if d.is_io() {
                CallError::failure(FailureKind::Unreachable, message)
            } else {
                CallError::failure(FailureKind::Other, message)
            }
        }
        SdkError::ResponseError(r) => {
            let status = r.raw().status().as_u16();
            classify_service(status, "", &message)
        }
        _ => CallError::failure(FailureKind::Other, message),
    }
}

/// Classifies a service's answer by its error code and HTTP status.
pub fn classify_service(status: u16, code: &str, detail: &str) -> CallError {
    let detail = truncate(detail);
    if NOT_FOUND_CODES.contains(&code) {
        return CallError::NotFound;
    }
    let kind = if DENIED_CODES.contains(&code) || status == 401 || status == 403 {
        FailureKind::AccessDenied
    } else if THROTTLE_CODES.contains(&code) || status == 429 {
        FailureKind::Throttled
    } else if code.contains("NotImplemented")
        || detail.contains("NotImplemented")
        || status == 501
        || (status == 404 && code.is_empty())
        || code == "UnknownOperationException"
    {
        // A 404 with no error code is a route the endpoint does not have: emulators answer
        // operations they do not implement this way.
        FailureKind::NotSupported
    } else if status >= 500 {
        FailureKind::ServerError
    } else {
        FailureKind::Other
    };
    CallError::failure(kind, detail)
}

/// An error and its sources as one readable line ("dispatch failure: io error: ... Connection
/// refused"), without the debug dumps some layers append.
fn chain(err: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !text.is_empty() && parts.last() != Some(&text) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

fn truncate(s: &str) -> String {
    if s.chars().count() <= MAX_MESSAGE {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX_MESSAGE).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(status: u16, code: &str) -> Option<FailureKind> {
        match classify_service(status, code, "x") {
            CallError::NotFound => None,
            CallError::Failed(f) => Some(f.kind),
        }
    }

    #[test]
    fn codes_map_to_kinds() {
        assert_eq!(kind(404, "ResourceNotFoundException"), None);
        assert_eq!(kind(404, "NoSuchEntity"), None);
        assert_eq!(
            kind(403, "AccessDeniedException"),
            Some(FailureKind::AccessDenied)
        );
        assert_eq!(kind(400, "AccessDenied"), Some(FailureKind::AccessDenied));
        assert_eq!(
            kind(429, "TooManyRequestsException"),
            Some(FailureKind::Throttled)
        );
        assert_eq!(kind(400, "Throttling"), Some(FailureKind::Throttled));
        assert_eq!(kind(404, ""), Some(FailureKind::NotSupported));
        assert_eq!(
            kind(500, "NotImplementedError"),
            Some(FailureKind::NotSupported)
        );
        assert_eq!(kind(503, ""), Some(FailureKind::ServerError));
        assert_eq!(kind(400, "ValidationException"), Some(FailureKind::Other));
    }

    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("dispatch failure")
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn error_chains_read_as_one_line() {
        let e = Outer(std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "Connection refused",
        ));
        assert_eq!(chain(&e), "dispatch failure: Connection refused");
        assert!(matches!(
            classify_service(
                404,
                "",
                "HTTP 404 with no error code: the endpoint has no such operation"
            ),
            CallError::Failed(Failure {
                kind: FailureKind::NotSupported,
                ..
            })
        ));
    }

    #[test]
    fn retryable_kinds() {
        assert!(classify_service(429, "", "").is_retryable());
        assert!(classify_service(502, "", "").is_retryable());
        assert!(!classify_service(403, "", "").is_retryable());
        assert!(!CallError::NotFound.is_retryable());
    }
}
