use serde::{Deserialize, Serialize};

use super::{Activity, Alarm, Detail, LogGroup, PolicyDocument, Tags, Variable};

/// A function's ARN without a version or alias qualifier (what the collectors key functions by,
/// and how a qualified ARN in a trigger or integration finds its function).
pub fn unqualified(arn: &str) -> &str {
    let mut colons = arn.match_indices(':');
    match colons.nth(6) {
        Some((i, _)) => &arn[..i],
        None => arn,
    }
}

/// A Lambda function ($LATEST) with everything sprawl collects about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Function {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// Absent for container-image functions.
    pub runtime: Option<String>,
    /// `Zip` or `Image`.
    pub package_type: String,
    pub architectures: Vec<String>,
    pub handler: Option<String>,
    pub role_arn: String,
    pub timeout_seconds: i32,
    pub memory_mb: i32,
    pub ephemeral_storage_mb: Option<i32>,
    pub code_size_bytes: i64,
    /// The package's SHA-256, base64 (ListFunctions' `CodeSha256`): functions that share it run
    /// the same code (absent from snapshots written before sprawl read it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_sha256: Option<String>,
    /// As AWS reports it (ISO 8601).
    pub last_modified: Option<String>,
    /// Names with their classified, redacted values; sorted by name.
    pub environment: Vec<Variable>,
    /// Customer-managed key for the environment; absent means the AWS-managed key.
    pub kms_key_arn: Option<String>,
    /// `Active` or `PassThrough`.
    pub tracing_mode: Option<String>,
    pub dead_letter_target_arn: Option<String>,
    pub vpc: Option<VpcConfig>,
    pub layers: Vec<String>,
    /// The CloudWatch Logs group the function writes to, when configured.
    pub log_group: Option<String>,
    /// Published versions (not `$LATEST`), ascending. An old version keeps its runtime and can
    /// still be invoked by its qualified ARN.
    pub versions: Vec<PublishedVersion>,
    /// From GetFunction.
    pub tags: Detail<Tags>,
    /// From GetFunction; `None` means unreserved (scales to the account's limit).
    pub reserved_concurrency: Detail<Option<i32>>,
    /// From GetPolicy; `None` means the function has no resource-based policy.
    pub policy: Detail<Option<PolicyDocument>>,
    /// From GetFunctionUrlConfig; `None` means no function URL.
    pub url: Detail<Option<FunctionUrl>>,
    /// From GetFunctionEventInvokeConfig; `None` means defaults (2 retries, 6 hours, no
    /// destinations).
    pub async_invoke: Detail<Option<AsyncInvokeConfig>>,
    /// The code-signing config ARN (from the region's code-signing configs); `None` means none.
    pub code_signing_config: Detail<Option<String>>,
    pub aliases: Detail<Vec<Alias>>,
    /// From DescribeLogGroups (the region's `/aws/lambda/` groups, or the function's own
    /// `log_group`); `None` means the group does not exist.
    #[serde(default = "not_read_by_older_sprawl")]
    pub logs: Detail<Option<LogGroup>>,
    /// From DescribeAlarms: the metric alarms on the function's `AWS/Lambda` metrics.
    #[serde(default = "not_read_by_older_sprawl")]
    pub alarms: Detail<Vec<Alarm>>,
    /// From GetMetricData, only with `--metrics` (billed): skipped otherwise.
    #[serde(default = "not_read_by_older_sprawl")]
    pub activity: Detail<Activity>,
    /// From ListProvisionedConcurrencyConfigs, with `--metrics` (what the function costs even
    /// idle): one per version or alias that has some. A function without published versions can
    /// have none, and is not asked.
    #[serde(default = "not_read_by_older_sprawl")]
    pub provisioned_concurrency: Detail<Vec<ProvisionedConcurrency>>,
    /// Only with `--code`: the `CodeSha256` of the package read, whose audit is in
    /// [`crate::Inventory::code`] (one per package, however many functions share it); skipped
    /// otherwise, and not assessed (with why) for an image, a package that could not be read.
    /// Not asked for is not written (a file without it reads as not asked for), so a default
    /// scan's snapshot is no larger for it.
    #[serde(
        default = "crate::code::not_asked",
        skip_serializing_if = "crate::code::is_not_asked"
    )]
    pub code: Detail<String>,
}

/// Provisioned concurrency on one version or alias: environments kept warm, billed by the second
/// whether or not anything invokes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionedConcurrency {
    /// The version or alias (the qualifier of the config's function ARN).
    pub qualifier: String,
    pub allocated: i32,
    pub requested: i32,
    pub status: Option<String>,
}

impl Function {
    /// The log group the function writes to: its configured one, or Lambda's default.
    pub fn log_group_name(&self) -> String {
        self.log_group
            .clone()
            .unwrap_or_else(|| format!("/aws/lambda/{}", self.name))
    }

    /// Its deployment packages: `$LATEST`'s and every published version's, each stored whole.
    pub fn code_storage(&self) -> CodeStorage {
        let mut s = CodeStorage {
            bytes: self.code_size_bytes.max(0),
            ..CodeStorage::default()
        };
        for v in &self.versions {
            match v.code_size_bytes {
                Some(n) => {
                    s.bytes += n.max(0);
                    s.in_versions += n.max(0);
                }
                None => s.unknown += 1,
            }
        }
        s
    }

    pub(super) fn sort(&mut self) {
        self.environment.sort_by(|a, b| a.name.cmp(&b.name));
        if let Detail::Collected { value } = &mut self.aliases {
            value.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedVersion {
    pub version: String,
    pub runtime: Option<String>,
    pub last_modified: Option<String>,
    /// The environment the version was published with, redacted like `$LATEST`'s: a secret
    /// removed from `$LATEST` lives on here. `None` in snapshots written before sprawl read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Vec<Variable>>,
    /// The version's deployment package, which counts against the region's code storage quota
    /// as long as the version exists. `None` in snapshots written before sprawl read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_size_bytes: Option<i64>,
}

/// Lambda's code storage quota: 75 GB per account and region, shared by every function version
/// and layer version there.
pub const CODE_STORAGE_QUOTA_BYTES: i64 = 75 * 1024 * 1024 * 1024;

/// What a function's deployment packages take of the region's code storage quota.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CodeStorage {
    /// `$LATEST` and every published version whose size is known.
    pub bytes: i64,
    /// Of those, the published versions'.
    pub in_versions: i64,
    /// Published versions whose size the snapshot does not hold (older snapshots).
    pub unknown: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VpcConfig {
    pub vpc_id: Option<String>,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionUrl {
    pub url: String,
    /// `NONE` or `AWS_IAM`.
    pub auth_type: String,
    pub invoke_mode: Option<String>,
    pub cors: Option<Cors>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cors {
    pub allow_origins: Vec<String>,
    pub allow_methods: Vec<String>,
    pub allow_headers: Vec<String>,
    pub expose_headers: Vec<String>,
    pub allow_credentials: Option<bool>,
    pub max_age: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsyncInvokeConfig {
    pub maximum_retry_attempts: Option<i32>,
    pub maximum_event_age_seconds: Option<i32>,
    pub on_success_destination: Option<String>,
    pub on_failure_destination: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alias {
    pub name: String,
    pub arn: String,
    pub function_version: String,
    /// From GetFunctionUrlConfig qualified by the alias: an alias has a URL of its own, public or
    /// not whatever `$LATEST` has. `None` means none. Snapshots written before sprawl read it
    /// say so (skipped).
    #[serde(default = "not_read_by_older_sprawl")]
    pub url: Detail<Option<FunctionUrl>>,
    /// From GetPolicy qualified by the alias: the permissions added for the alias (its URL's
    /// `lambda:InvokeFunctionUrl` grant among them) live in this policy, not the function's.
    #[serde(default = "not_read_by_older_sprawl")]
    pub policy: Detail<Option<PolicyDocument>>,
    /// From GetFunctionEventInvokeConfig qualified by the alias, read (like the function's) only
    /// when the alias's policy admits an asynchronous invoker: S3 and EventBridge often target
    /// an alias, and its retry and destination settings are its own.
    #[serde(default = "not_read_by_older_sprawl")]
    pub async_invoke: Detail<Option<AsyncInvokeConfig>>,
}

use super::detail::not_read_by_older_sprawl;

/// A layer version of the scanned account that one of its functions runs, and who else may use it
/// (its version policy).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerVersion {
    /// The layer version's ARN (`arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION`).
    pub arn: String,
    pub region: String,
    /// From GetLayerVersionPolicy; `None` means no policy: only this account may use it.
    pub policy: Detail<Option<PolicyDocument>>,
}

/// A layer version a function runs (of any account), with its code, read only with `--code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerCode {
    /// `arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION`.
    pub arn: String,
    pub region: String,
    /// Its size, zipped (ListFunctions' `Layers[].CodeSize`).
    pub code_size_bytes: i64,
    /// The `CodeSha256` of its content, whose audit is in [`crate::Inventory::code`], or why it
    /// could not be read (another account's layer whose policy keeps it to itself, ...).
    pub code: Detail<String>,
}

/// An event source mapping: a poller (SQS, Kinesis, DynamoDB streams, Kafka, MQ, ...) that invokes
/// a function with the records it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSourceMapping {
    pub uuid: String,
    pub region: String,
    pub function_arn: String,
    /// Absent for self-managed Kafka, whose brokers are given elsewhere.
    pub source_arn: Option<String>,
    pub state: Option<String>,
    pub batch_size: Option<i32>,
    pub maximum_batching_window_seconds: Option<i32>,
    pub starting_position: Option<String>,
    /// True when records are filtered before the function sees them.
    pub has_filter_criteria: bool,
    pub on_failure_destination: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(n: &str, size: Option<i64>) -> PublishedVersion {
        PublishedVersion {
            version: n.into(),
            runtime: None,
            last_modified: None,
            environment: None,
            code_size_bytes: size,
        }
    }

    /// `$LATEST` and every version keep their own package; sizes an old snapshot lacks are
    /// counted as unknown, never as nothing.
    #[test]
    fn code_storage_adds_every_version() {
        let json = r#"{"arn":"a","name":"f","region":"r","runtime":null,"package_type":"Zip","architectures":[],"handler":null,"role_arn":"x","timeout_seconds":3,"memory_mb":128,"ephemeral_storage_mb":null,"code_size_bytes":1000,"last_modified":null,"environment":[],"kms_key_arn":null,"tracing_mode":null,"dead_letter_target_arn":null,"vpc":null,"layers":[],"log_group":null,"versions":[],"tags":{"status":"collected","value":{}},"reserved_concurrency":{"status":"collected","value":null},"policy":{"status":"collected","value":null},"url":{"status":"collected","value":null},"async_invoke":{"status":"collected","value":null},"code_signing_config":{"status":"collected","value":null},"aliases":{"status":"collected","value":[]}}"#;
        let mut f: Function = match serde_json::from_str(json) {
            Ok(f) => f,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(f.code_storage().bytes, 1000);
        f.versions = vec![version("1", Some(900)), version("2", Some(950))];
        let s = f.code_storage();
        assert_eq!((s.bytes, s.in_versions, s.unknown), (2850, 1850, 0));
        f.versions.push(version("3", None));
        assert_eq!(f.code_storage().unknown, 1);
    }
}
