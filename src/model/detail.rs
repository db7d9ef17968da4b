use serde::{Deserialize, Serialize};

use super::FailureKind;

/// The outcome of collecting one piece of a resource's detail with its own API call.
///
/// A failed or skipped call is never the same as "nothing there": `Collected(None)` says AWS
/// answered that there is no policy (or URL, or config); `Failed` and `Skipped` say we do not
/// know, and the assessment must mark what depends on it as not assessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Detail<T> {
    /// The call succeeded; `value` is what AWS returned.
    Collected { value: T },
    /// The call was not made, on purpose (the cheaper data says it cannot matter).
    Skipped { reason: String },
    /// The call failed after its retries.
    Failed { kind: FailureKind, message: String },
}

impl<T> Detail<T> {
    /// A collected value.
    pub fn collected(value: T) -> Self {
        Detail::Collected { value }
    }

    /// A detail skipped on purpose, with the reason recorded.
    pub fn skipped(reason: impl Into<String>) -> Self {
        Detail::Skipped {
            reason: reason.into(),
        }
    }

    /// A detail whose call failed.
    pub fn failed(failure: &super::Failure) -> Self {
        Detail::Failed {
            kind: failure.kind,
            message: failure.message.clone(),
        }
    }

    /// The collected value, if the call succeeded.
    pub fn value(&self) -> Option<&T> {
        match self {
            Detail::Collected { value } => Some(value),
            _ => None,
        }
    }

    /// The collected value, or why it is missing (`"{what} skipped: …"`, `"{what} not read
    /// (kind: message)"`): the reason a check that needs it reports as "not assessed".
    pub fn require(&self, what: &str) -> Result<&T, String> {
        match self {
            Detail::Collected { value } => Ok(value),
            Detail::Skipped { reason } => Err(format!("{what} skipped: {reason}")),
            Detail::Failed { kind, message } => Err(format!("{what} not read ({kind}: {message})")),
        }
    }

    /// True when the call succeeded.
    pub fn is_collected(&self) -> bool {
        matches!(self, Detail::Collected { .. })
    }
}
