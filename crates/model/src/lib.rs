//! The inventory: plain data about an account's serverless estate.
//!
//! Nothing here names an AWS SDK type, so everything downstream of collection (assessment,
//! snapshots, the TUI, exports) can be built, tested and re-run from a saved file. Secrets never
//! reach this module: environment and stage variables arrive already classified and redacted
//! (see [`RedactedValue`]).

mod activity;
mod apigateway;
pub mod code;
mod coverage;
mod detail;
mod function;
mod org;
mod policy;
mod progress;
mod role;
mod secret;
mod source;
mod tags;
mod value;

pub use activity::*;
pub use apigateway::*;
pub use coverage::*;
pub use detail::Detail;
pub use function::*;
pub use org::{AccountInfo, GuardrailKind, GuardrailPolicy, Guardrails, Organization};
pub use policy::{PolicyDocument, statements};
pub use progress::{ProgressEvent, Service};
pub use role::*;
pub use secret::*;
pub use source::{
    AclGrant, Bucket, BucketNotifications, EventBus, EventRule, IdentityPool, IdentityPools,
    IotRule, LogSubscription, MailRule, PoolTrigger, PublicAccessBlock, Queue, S3Selection, Stream,
    Subscription, SubscriptionFilter, Topic, UserPool, s3_selection, topic_filter,
};
pub use tags::{OWNER_KEYS, Tags};
pub use value::*;

/// `text` without control characters (newline and tab kept): what a string from an account or
/// a file may show on a terminal. Borrowed when there is nothing to remove.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unwanted = |c: char| c.is_control() && c != '\n' && c != '\t';
    if text.contains(unwanted) {
        text.chars()
            .filter(|&c| !unwanted(c))
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// The last part of an ARN (a function's, role's or secret's name; an API's id).
pub fn short_name(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

use serde::{Deserialize, Serialize};

/// The account a scan looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The 12-digit account id, from STS GetCallerIdentity.
    pub id: String,
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: String,
    /// The identity that ran the scan (an ARN; no secret).
    pub caller_arn: String,
}

/// Everything a scan found. Every list is sorted by its resource's ARN (or id where a resource has
/// none), so two scans of an unchanged account serialize to the same bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub functions: Vec<Function>,
    pub event_source_mappings: Vec<EventSourceMapping>,
    pub roles: Vec<Role>,
    pub rest_apis: Vec<RestApi>,
    pub http_apis: Vec<HttpApi>,
    pub secrets: Vec<Secret>,
    /// The account's own layer versions its functions run (absent from snapshots written before
    /// sprawl read them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<LayerVersion>,
    /// The SNS topics functions' resource policies let invoke them (absent from snapshots
    /// written before sprawl read them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<Topic>,
    /// The S3 buckets that trigger functions, directly or through a topic (absent from
    /// snapshots written before sprawl read them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buckets: Vec<Bucket>,
    /// The SQS queues behind event source mappings (absent from snapshots written before
    /// sprawl read them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<Queue>,
    /// The EventBridge rules functions' resource policies name, and the buses they are on
    /// (absent from snapshots written before sprawl read them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_rules: Vec<EventRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_buses: Vec<EventBus>,
    /// The Kinesis streams and DynamoDB tables behind event source mappings (absent from
    /// snapshots written before sprawl read them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub streams: Vec<Stream>,
    /// The Cognito user pools, SES receipt rules, IoT topic rules and CloudWatch Logs log groups
    /// that invoke functions (absent from snapshots written before sprawl read them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_pools: Vec<UserPool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mail_rules: Vec<MailRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub iot_rules: Vec<IotRule>,
    /// The identity pools of the regions with functions (who may write to a source, or publish
    /// to a topic rule's topics, as an unauthenticated identity).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identity_pools: Vec<IdentityPools>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log_subscriptions: Vec<LogSubscription>,
    /// Only with `--code`: the layer versions the functions run, each with its code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layer_code: Vec<LayerCode>,
    /// Only with `--code`: what each package read runs, by its `CodeSha256` (the functions and
    /// layers that name it share one audit). Derived facts only: never any of the code.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub code: std::collections::BTreeMap<String, code::CodeAudit>,
    /// The known advisories of those packages, as the vulnerability database given with
    /// `--vuln-db` judged them (absent: not judged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisories: Option<code::Advisories>,
}

impl Inventory {
    /// Puts every list (and every list inside a resource) into its canonical order.
    pub fn sort(&mut self) {
        self.functions.sort_by(|a, b| a.arn.cmp(&b.arn));
        for f in &mut self.functions {
            f.sort();
        }
        self.event_source_mappings
            .sort_by(|a, b| (&a.function_arn, &a.uuid).cmp(&(&b.function_arn, &b.uuid)));
        self.roles.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.layers.sort_by(|a, b| a.arn.cmp(&b.arn));
        for r in &mut self.roles {
            r.sort();
        }
        self.rest_apis.sort_by(|a, b| a.arn.cmp(&b.arn));
        for a in &mut self.rest_apis {
            a.sort();
        }
        self.http_apis.sort_by(|a, b| a.arn.cmp(&b.arn));
        for a in &mut self.http_apis {
            a.sort();
        }
        self.secrets.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.topics.sort_by(|a, b| a.arn.cmp(&b.arn));
        for t in &mut self.topics {
            t.sort();
        }
        self.buckets.sort_by(|a, b| a.arn.cmp(&b.arn));
        for b in &mut self.buckets {
            b.sort();
        }
        self.queues.sort_by(|a, b| a.arn.cmp(&b.arn));
        for q in &mut self.queues {
            q.sort();
        }
        self.event_rules.sort_by(|a, b| a.arn.cmp(&b.arn));
        for r in &mut self.event_rules {
            r.sort();
        }
        self.event_buses.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.streams.sort_by(|a, b| a.arn.cmp(&b.arn));
        for s in &mut self.streams {
            s.sort();
        }
        self.user_pools.sort_by(|a, b| a.arn.cmp(&b.arn));
        for p in &mut self.user_pools {
            p.sort();
        }
        self.mail_rules.sort_by(|a, b| a.arn.cmp(&b.arn));
        for r in &mut self.mail_rules {
            r.sort();
        }
        self.iot_rules.sort_by(|a, b| a.arn.cmp(&b.arn));
        for r in &mut self.iot_rules {
            r.sort();
        }
        self.identity_pools.sort_by(|a, b| a.region.cmp(&b.region));
        for r in &mut self.identity_pools {
            if let Detail::Collected { value } = &mut r.pools {
                value.sort_by(|a, b| a.id.cmp(&b.id));
            }
        }
        self.log_subscriptions.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.layer_code.sort_by(|a, b| a.arn.cmp(&b.arn));
        for g in &mut self.log_subscriptions {
            g.sort();
        }
    }

    /// How many resources of each kind the inventory holds, for summaries and progress.
    pub fn counts(&self) -> ResourceCounts {
        self.counts_in(None)
    }

    /// The counts of one region (`Some`), or of the whole account (`None`). Roles are global, so
    /// a region's count has none.
    pub fn counts_in(&self, region: Option<&str>) -> ResourceCounts {
        let here = |r: &str| region.is_none_or(|wanted| wanted == r);
        let functions = || self.functions.iter().filter(|f| here(&f.region));
        let rest = || self.rest_apis.iter().filter(|a| here(&a.region));
        let http = || self.http_apis.iter().filter(|a| here(&a.region));
        ResourceCounts {
            functions: functions().count(),
            event_source_mappings: self
                .event_source_mappings
                .iter()
                .filter(|m| here(&m.region))
                .count(),
            function_urls: functions()
                .filter(|f| matches!(f.url, Detail::Collected { value: Some(_) }))
                .count(),
            roles: if region.is_none() {
                self.roles.len()
            } else {
                0
            },
            rest_apis: rest().count(),
            rest_stages: rest().filter_map(|a| a.stages.value()).map(Vec::len).sum(),
            http_apis: http().count(),
            http_stages: http().filter_map(|a| a.stages.value()).map(Vec::len).sum(),
            secrets: self.secrets.iter().filter(|s| here(&s.region)).count(),
        }
    }
}

/// Resource counts, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceCounts {
    pub functions: usize,
    pub event_source_mappings: usize,
    pub function_urls: usize,
    pub roles: usize,
    pub rest_apis: usize,
    pub rest_stages: usize,
    pub http_apis: usize,
    pub http_stages: usize,
    pub secrets: usize,
}

/// A count with its thousands separated: `5,343`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// A count and its noun, the plural right and the thousands separated: `1 subnet`,
/// `2,013 accounts`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}
