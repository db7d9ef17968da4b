use serde::{Deserialize, Serialize};

/// What kind of value an environment or stage variable holds, decided in the collector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    // Secrets: no preview is ever kept.
    AwsAccessKeyId,
    AwsSecretKey,
    PrivateKey,
    /// A provider token with a recognisable prefix (GitHub, Slack, Stripe, ...).
    ApiToken,
    Jwt,
    /// A URL with a password in it (`scheme://user:pass@host`).
    UrlWithCredentials,
    /// The variable's name says password/secret/token/key and its value is not trivial.
    PasswordLike,
    HighEntropy,
    // Not secrets: a masked preview is kept.
    Arn,
    /// A reference to where a secret lives (SSM parameter path, secret name), not the secret.
    SecretReference,
    Url,
    Boolean,
    Number,
    Empty,
    PlainText,
}

impl ValueKind {
    /// True for the kinds that hold (or probably hold) a secret.
    pub fn is_secret(self) -> bool {
        matches!(
            self,
            ValueKind::AwsAccessKeyId
                | ValueKind::AwsSecretKey
                | ValueKind::PrivateKey
                | ValueKind::ApiToken
                | ValueKind::Jwt
                | ValueKind::UrlWithCredentials
                | ValueKind::PasswordLike
                | ValueKind::HighEntropy
        )
    }
}

/// A variable's value after redaction: the only form in which a value ever leaves the collector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedactedValue {
    pub kind: ValueKind,
    /// First 8 hex characters of a SHA-256 of the value: lets two functions sharing one secret be
    /// matched without revealing it.
    pub fingerprint: String,
    /// The value's length in characters.
    pub length: usize,
    /// A masked preview; present only for kinds that are not secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
}

/// A named variable (Lambda environment variable, API Gateway stage variable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    pub name: String,
    pub value: RedactedValue,
}
