//! The read-only guard: an interceptor on every SDK client sprawl builds that refuses, before
//! anything is serialized or sent, any operation not in the call plan ([`super::ops::ALL`]).
//! Every operation there is a List, Get or Describe: a change that adds a write fails here, in
//! every test that scans, instead of in someone's account.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use super::ops::{ALL, ORGANIZATION, Op};

/// Refuses every operation outside the call plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOnly;

/// Why a call was refused.
#[derive(Debug, thiserror::Error)]
#[error(
    "sprawl is read-only: {service} {operation} is not in its call plan, so it was refused before it was sent"
)]
pub struct Refused {
    pub service: String,
    pub operation: String,
}

/// Whether the SDK operation `operation` of the service the SDK calls `sdk_service` (`Lambda`,
/// `Secrets Manager`, ...) is in the call plan (an account's, or an organization's listing).
pub fn allowed(sdk_service: &str, operation: &str) -> bool {
    ALL.iter()
        .chain(ORGANIZATION)
        .any(|op: &Op| crate::ops::sdk_name(op.service) == sdk_service && op.name == operation)
}

impl Intercept for ReadOnly {
    fn name(&self) -> &'static str {
        "sprawl read-only guard"
    }

    /// The first hook after the operation's configuration (its name) is in place, and before
    /// the request is serialized, signed or sent.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // No metadata means an operation this guard cannot name: refused as well.
        let (service, operation) = cfg
            .load::<Metadata>()
            .map_or(("?", "?"), |m| (m.service(), m.name()));
        if allowed(service, operation) {
            Ok(())
        } else {
            Err(Box::new(Refused {
                service: service.to_string(),
                operation: operation.to_string(),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_call_plan_is_reads_only() {
        for op in ALL {
            assert!(
                ["List", "Get", "Describe"]
                    .iter()
                    .any(|p| op.name.starts_with(p))
                    || crate::ops::READS_BY_ANOTHER_NAME.contains(op),
                "{} {} is not a read",
                op.service,
                op.name
            );
            assert!(allowed(crate::ops::sdk_name(op.service), op.name));
        }
        assert!(!allowed("Lambda", "DeleteFunction"));
        assert!(!allowed("Secrets Manager", "GetSecretValue"));
        assert!(!allowed("Lambda", "GetFunctionUrl"));
    }
}
