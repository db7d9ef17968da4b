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
