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
    /// A URL that carries a credential: a password or token in its user info, query or
    /// fragment, a webhook path, or any URL under a credential-like name.
    UrlWithCredentials,
    /// The variable's name says password/secret/token/key/pin/... and its value is not a
    /// placeholder, whatever its shape (digits, a short word, a path).
    PasswordLike,
    HighEntropy,
    // Not secrets. A preview is kept only when the variable's name is not credential-like.
    Arn,
    /// A reference to where a secret lives (SSM parameter, secret name, KMS alias,
    /// `{{resolve:...}}`), not the secret.
    SecretReference,
    Url,
    Boolean,
    Number,
    Empty,
    PlainText,
}

impl ValueKind {
    /// The kind in words, for people.
    pub fn words(self) -> &'static str {
        match self {
            ValueKind::AwsAccessKeyId => "AWS access key id",
            ValueKind::AwsSecretKey => "AWS secret access key",
            ValueKind::PrivateKey => "private key",
            ValueKind::ApiToken => "API token",
            ValueKind::Jwt => "JWT",
            ValueKind::UrlWithCredentials => "URL with credentials",
            ValueKind::PasswordLike => "password-like",
            ValueKind::HighEntropy => "high-entropy string",
            ValueKind::Arn => "ARN",
            ValueKind::SecretReference => "secret reference",
            ValueKind::Url => "URL",
            ValueKind::Boolean => "boolean",
            ValueKind::Number => "number",
            ValueKind::Empty => "empty",
            ValueKind::PlainText => "plain text",
        }
    }

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

/// A value's length, coarsely: the exact length would narrow a guess (a six-digit PIN), so it
/// never leaves memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SizeBucket {
    #[serde(rename = "0")]
    Empty,
    #[serde(rename = "1-8")]
    UpTo8,
    #[serde(rename = "9-16")]
    UpTo16,
    #[serde(rename = "17-32")]
    UpTo32,
    #[serde(rename = "33-64")]
    UpTo64,
    #[serde(rename = "65-256")]
    UpTo256,
    #[serde(rename = "257+")]
    Longer,
}

impl SizeBucket {
    pub fn of_len(chars: usize) -> Self {
        match chars {
            0 => SizeBucket::Empty,
            1..=8 => SizeBucket::UpTo8,
            9..=16 => SizeBucket::UpTo16,
            17..=32 => SizeBucket::UpTo32,
            33..=64 => SizeBucket::UpTo64,
            65..=256 => SizeBucket::UpTo256,
            _ => SizeBucket::Longer,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SizeBucket::Empty => "0",
            SizeBucket::UpTo8 => "1-8",
            SizeBucket::UpTo16 => "9-16",
            SizeBucket::UpTo32 => "17-32",
            SizeBucket::UpTo64 => "33-64",
            SizeBucket::UpTo256 => "65-256",
            SizeBucket::Longer => "257+",
        }
    }
}

/// The prefix of keyed fingerprints (HMAC-SHA-256 under a key that never leaves the machine or
/// the team's CI). Snapshots before it hold 8 hex digits of an unkeyed SHA-256, which anyone can
/// test a guess against; those are never shown or exported.
pub const KEYED_FINGERPRINT_PREFIX: &str = "hmac:";

/// A variable's value after redaction: the only form in which a value ever leaves the collector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredValue")]
pub struct RedactedValue {
    pub kind: ValueKind,
    /// `hmac:` and 16 hex digits of a keyed HMAC of the value: two functions sharing one secret
    /// match, and nobody without the key can confirm a guess. Older snapshots hold an unkeyed
    /// fingerprint here (see [`RedactedValue::keyed_fingerprint`]).
    pub fingerprint: String,
    /// The value's length, as a coarse bucket.
    pub size: SizeBucket,
    /// A masked preview; present only for harmless kinds under harmless names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
}

/// What a file may hold: the fields of today, or `length` (an exact length) from schema 2.
#[derive(Deserialize)]
struct StoredValue {
    kind: ValueKind,
    fingerprint: String,
    #[serde(default)]
    size: Option<SizeBucket>,
    #[serde(default)]
    length: Option<usize>,
    #[serde(default)]
    preview: Option<String>,
}

impl From<StoredValue> for RedactedValue {
    fn from(s: StoredValue) -> Self {
        // A file written before sizes were bucketed was redacted by rules that kept whole
        // numbers and URL paths under credential names: none of its previews is trusted.
        let old = s.size.is_none();
        RedactedValue {
            kind: s.kind,
            fingerprint: s.fingerprint,
            size: s
                .size
                .unwrap_or_else(|| SizeBucket::of_len(s.length.unwrap_or(0))),
            preview: if old || s.kind.is_secret() {
                None
            } else {
                s.preview
            },
        }
    }
}

impl RedactedValue {
    /// The fingerprint when it is of the keyed kind; `None` for an old snapshot's unkeyed one.
    pub fn keyed_fingerprint(&self) -> Option<&str> {
        self.fingerprint
            .starts_with(KEYED_FINGERPRINT_PREFIX)
            .then_some(self.fingerprint.as_str())
    }

    /// How a withheld value is described in evidence (and so in the exports): kind, size bucket
    /// and fingerprint, never the value. The kind goes by its identifier, which exports keep.
    pub fn describe(&self) -> String {
        self.described(&format!("{:?}", self.kind))
    }

    /// The same for a person: the kind in words (`URL with credentials`).
    pub fn describe_in_words(&self) -> String {
        self.described(self.kind.words())
    }

    fn described(&self, kind: &str) -> String {
        let fp = self
            .keyed_fingerprint()
            .unwrap_or("of the old unkeyed kind, withheld (scan again for a keyed one)");
        format!("{kind}, {} characters, fingerprint {fp}", self.size.label())
    }
}

/// A named variable (Lambda environment variable, API Gateway stage variable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    pub name: String,
    pub value: RedactedValue,
}

impl Variable {
    /// The same variable holding the same value (by fingerprint): one secret, whether in
    /// `$LATEST` or in a published version.
    pub fn same_value(&self, other: &Variable) -> bool {
        self.name == other.name && self.value.fingerprint == other.value.fingerprint
    }
}
