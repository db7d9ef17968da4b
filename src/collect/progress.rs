//! Progress events a scan sends while it runs, for the stderr display and (later) the TUI.

use crate::model::FailureKind;

use super::ops::Service;

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
}
