use serde::{Deserialize, Serialize};

use super::{Detail, PolicyDocument, Tags};

/// A Secrets Manager secret's metadata. The value is never read: sprawl does not call
/// GetSecretValue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// Customer-managed key; absent means the AWS-managed `aws/secretsmanager` key.
    pub kms_key_id: Option<String>,
    pub rotation_enabled: bool,
    pub rotation_lambda_arn: Option<String>,
    pub rotation_every_days: Option<i64>,
    pub rotation_schedule: Option<String>,
    pub last_rotated: Option<String>,
    pub last_changed: Option<String>,
    pub last_accessed: Option<String>,
    pub created: Option<String>,
    /// Set when another service (RDS, ...) owns the secret.
    pub owning_service: Option<String>,
    pub tags: Tags,
    /// From GetResourcePolicy; `None` means no resource policy.
    pub policy: Detail<Option<PolicyDocument>>,
}

impl Secret {
    /// Why a grant to other accounts cannot be used under the AWS managed key, in the words
    /// every rule and edge uses.
    pub const MANAGED_KEY_STOPS: &'static str =
        "encrypted with the AWS managed key aws/secretsmanager, which no other account can use";

    /// True when the secret is encrypted with the AWS managed key `aws/secretsmanager` (no key
    /// named, or that alias): no other account can use that key, so no other account can read
    /// the value, whatever the secret's policy says. Every rule and edge asks this here.
    pub fn under_aws_managed_key(&self) -> bool {
        self.kms_key_id
            .as_deref()
            .is_none_or(|k| k.ends_with("alias/aws/secretsmanager"))
    }
}
