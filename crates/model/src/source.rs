//! The event sources that trigger functions, as a scan read them: only those a function's
//! resource policy or event source mapping names, each read once however many functions it
//! triggers. Who can write to each is the assessment's to judge from these.

use serde::{Deserialize, Serialize};

use super::{Detail, PolicyDocument};

/// An SNS topic a function's resource policy lets invoke it (`sns.amazonaws.com` with the
/// topic's ARN as `aws:SourceArn`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub arn: String,
    pub region: String,
    /// The functions whose resource policy names it, by ARN.
    pub triggers: Vec<String>,
    /// Its access policy (GetTopicAttributes `Policy`); every topic has one (AWS writes a default
    /// that admits only its own account), so `None` is a topic whose attributes carried none.
    pub policy: Detail<Option<PolicyDocument>>,
    /// The KMS key it encrypts messages with (`KmsMasterKeyId`), when it does: `alias/aws/sns`
    /// keeps every other account and service from publishing.
    pub kms_key_id: Detail<Option<String>>,
}

impl Topic {
    pub(super) fn sort(&mut self) {
        self.triggers.sort();
        self.triggers.dedup();
    }
}
