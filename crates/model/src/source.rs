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
    /// The queues behind event source mappings whose policy lets it send to them (it delivers to
    /// them, which deliver to functions), by ARN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub feeds: Vec<String>,
    /// Its access policy (GetTopicAttributes `Policy`); every topic has one (AWS writes a default
    /// that admits only its own account), so `None` is a topic whose attributes carried none.
    pub policy: Detail<Option<PolicyDocument>>,
    /// The KMS key it encrypts messages with (`KmsMasterKeyId`), when it does: `alias/aws/sns`
    /// keeps every other account and service from publishing.
    pub kms_key_id: Detail<Option<String>>,
    /// Where it delivers: its subscriptions (ListSubscriptionsByTopic), by protocol and endpoint
    /// (a function's or a queue's ARN for `lambda` and `sqs`).
    #[serde(default = "super::detail::not_read_by_older_sprawl")]
    pub subscriptions: Detail<Vec<Subscription>>,
}

/// One subscription of a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    /// `lambda`, `sqs`, `https`, `email`, ...
    pub protocol: String,
    /// The function's or queue's ARN for `lambda` and `sqs`; empty for every other protocol
    /// (an HTTP(S) endpoint may carry a token, an email or SMS one is a person's: not kept).
    pub endpoint: String,
}

impl Topic {
    /// Whether it delivers to `target` (a function, qualified or not, or a queue), as far as its
    /// subscriptions were read: unread ones may.
    pub fn delivers_to(&self, target: &str) -> bool {
        self.subscriptions.value().is_none_or(|subs| {
            subs.iter()
                .any(|s| crate::unqualified(&s.endpoint) == crate::unqualified(target))
        })
    }

    pub(super) fn sort(&mut self) {
        self.triggers.sort();
        self.triggers.dedup();
        self.feeds.sort();
        self.feeds.dedup();
        if let Detail::Collected { value } = &mut self.subscriptions {
            value.sort_by(|a, b| (&a.protocol, &a.endpoint).cmp(&(&b.protocol, &b.endpoint)));
        }
    }
}

/// An SQS queue behind an event source mapping: the function polls it, so every message sent to
/// it is the function's event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    pub arn: String,
    pub region: String,
    /// The functions whose event source mappings poll it, by ARN.
    pub triggers: Vec<String>,
    /// Its access policy (GetQueueAttributes `Policy`); `None`: it has none (only its own
    /// account's principals, by their identity policies, may send).
    pub policy: Detail<Option<PolicyDocument>>,
    /// The KMS key it encrypts messages with (`KmsMasterKeyId`), when it does.
    pub kms_key_id: Detail<Option<String>>,
}

impl Queue {
    pub(super) fn sort(&mut self) {
        self.triggers.sort();
        self.triggers.dedup();
    }
}

/// An S3 bucket that triggers functions: one a function's resource policy names
/// (`s3.amazonaws.com` with the bucket's ARN as `aws:SourceArn`), or one a triggering topic's
/// policy lets publish (the bucket notifies the topic). What decides who may upload to it is
/// kept; no object is ever read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub name: String,
    /// `arn:aws:s3:::NAME` (a bucket's ARN names no account and no region).
    pub arn: String,
    /// Its region (GetBucketLocation), where its configuration was read.
    pub region: Detail<String>,
    /// The functions whose resource policy names it, by ARN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<String>,
    /// The triggering topics and queues whose policy lets it deliver to them, by ARN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub feeds: Vec<String>,
    /// Where it sends its event notifications (GetBucketNotificationConfiguration).
    pub notifications: Detail<BucketNotifications>,
    /// Its bucket policy (GetBucketPolicy); `None`: it has none.
    pub policy: Detail<Option<PolicyDocument>>,
    /// Its ACL's grants (GetBucketAcl).
    pub acl: Detail<Vec<AclGrant>>,
    /// Its own Block Public Access (GetPublicAccessBlock); `None`: none set.
    pub public_access_block: Detail<Option<PublicAccessBlock>>,
    /// The account's Block Public Access (S3 Control GetPublicAccessBlock), which applies to
    /// every bucket of the account; `None`: none set.
    pub account_public_access_block: Detail<Option<PublicAccessBlock>>,
    /// Its object ownership (GetBucketOwnershipControls): `BucketOwnerEnforced` turns ACLs off;
    /// `None`: no ownership controls set (ACLs apply).
    pub ownership: Detail<Option<String>>,
}

/// Where a bucket sends its event notifications, by destination ARN.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketNotifications {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<String>,
    /// Every event also goes to the default event bus of the bucket's account and region.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub eventbridge: bool,
}

/// One grant of a bucket ACL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AclGrant {
    /// The grantee: a group's URI (`http://acs.amazonaws.com/groups/global/AllUsers`), a
    /// canonical user id, or an email address.
    pub grantee: String,
    /// `READ`, `WRITE`, `READ_ACP`, `WRITE_ACP` or `FULL_CONTROL`.
    pub permission: String,
}

impl AclGrant {
    /// The grantee is everyone (`AllUsers`) or every AWS account's principals
    /// (`AuthenticatedUsers`): a public grant, as S3 calls it.
    pub fn is_public(&self) -> bool {
        self.grantee.ends_with("/AllUsers") || self.grantee.ends_with("/AuthenticatedUsers")
    }

    /// It lets its grantee write objects.
    pub fn writes(&self) -> bool {
        matches!(self.permission.as_str(), "WRITE" | "FULL_CONTROL")
    }
}

/// Block Public Access settings (a bucket's, or its account's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    /// Refuses new public ACLs (existing ones stay).
    pub block_public_acls: bool,
    /// Ignores every public ACL: the one that stops an existing public grant.
    pub ignore_public_acls: bool,
    /// Refuses a new public policy (an existing one stays).
    pub block_public_policy: bool,
    /// Keeps a bucket with a public policy to AWS services and its own account.
    pub restrict_public_buckets: bool,
}

impl Bucket {
    pub(super) fn sort(&mut self) {
        self.triggers.sort();
        self.triggers.dedup();
        self.feeds.sort();
        self.feeds.dedup();
    }
}

/// An EventBridge rule a function's resource policy names (`events.amazonaws.com` with the
/// rule's ARN as `aws:SourceArn`): every event on its bus that matches its pattern is the
/// function's event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRule {
    /// `arn:aws:events:REGION:ACCOUNT:rule/NAME` on the default bus, `rule/BUS/NAME` on another.
    pub arn: String,
    pub region: String,
    /// The bus it is on, by ARN (from its own ARN).
    pub bus: String,
    /// The functions whose resource policy names it, by ARN.
    pub triggers: Vec<String>,
    /// The triggering queues and topics whose policy lets it deliver to them (its targets), by
    /// ARN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub feeds: Vec<String>,
    /// Its state (DescribeRule): `ENABLED`, `DISABLED`, ...
    pub state: Detail<Option<String>>,
    /// Its event pattern, as written (a scheduled rule has none).
    pub pattern: Detail<Option<String>>,
}

/// An event bus a triggering rule is on: its policy says which other accounts (or anyone) may put
/// events on it; the account's own principals may by their identity policies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventBus {
    /// `arn:aws:events:REGION:ACCOUNT:event-bus/NAME`.
    pub arn: String,
    pub region: String,
    /// Its resource policy (DescribeEventBus `Policy`); `None`: it has none.
    pub policy: Detail<Option<PolicyDocument>>,
}

/// The S3 events an event pattern selects (`"source": ["aws.s3"]`): the buckets it names exactly
/// (`"detail": {"bucket": {"name": [...]}}`), and whether it also takes buckets it does not
/// name (no name matcher: every bucket of the account; a prefix, a wildcard, `anything-but`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct S3Selection {
    pub named: Vec<String>,
    pub unnamed: bool,
}

impl EventRule {
    /// Whether it is on its region's default bus, the only one S3 sends events to.
    pub fn on_default_bus(&self) -> bool {
        self.bus.ends_with(":event-bus/default")
    }

    /// Whether it is known to be disabled (a disabled rule delivers nothing, until enabled).
    pub fn disabled(&self) -> bool {
        self.state.value() == Some(&Some("DISABLED".to_string()))
    }

    /// The S3 events of its account's buckets it delivers, as far as its pattern was read: an
    /// enabled rule on the default bus whose pattern selects `aws.s3` events. `None`: none (or
    /// its pattern is not known).
    pub fn s3_selection(&self) -> Option<S3Selection> {
        if !self.on_default_bus() || self.disabled() {
            return None;
        }
        s3_selection(self.pattern.value()?.as_deref()?)
    }

    pub(super) fn sort(&mut self) {
        self.triggers.sort();
        self.triggers.dedup();
        self.feeds.sort();
        self.feeds.dedup();
    }
}

/// A Kinesis stream, or the DynamoDB table whose stream an event source mapping polls: every
/// record written is the function's event. A DynamoDB stream's writers are its table's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stream {
    /// The Kinesis stream's ARN, or the DynamoDB table's (its stream's ARN less `/stream/...`).
    pub arn: String,
    pub region: String,
    /// The functions whose event source mappings poll it, by ARN.
    pub triggers: Vec<String>,
    /// Its resource policy (GetResourcePolicy); `None`: it has none (only its own account's
    /// principals, by their identity policies, may write).
    pub policy: Detail<Option<PolicyDocument>>,
}

impl Stream {
    /// `dynamodb` for a table, `kinesis` for a stream (the service its ARN names).
    pub fn service(&self) -> &'static str {
        match self.arn.split(':').nth(2) {
            Some("dynamodb") => "dynamodb",
            _ => "kinesis",
        }
    }

    pub(super) fn sort(&mut self) {
        self.triggers.sort();
        self.triggers.dedup();
    }
}

/// A Cognito user pool a function's resource policy lets invoke it (`cognito-idp.amazonaws.com`
/// with the pool's ARN as `aws:SourceArn`): its triggers run on sign-up, sign-in and the other
/// flows of its users, and when anyone may sign up, anyone starts them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPool {
    /// `arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID`.
    pub arn: String,
    pub region: String,
    /// The functions whose resource policy names it, by ARN.
    pub triggers: Vec<String>,
    /// Its name (DescribeUserPool).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Anyone holding one of its app client ids (which a web or mobile app carries in the open)
    /// may sign up: `AdminCreateUserConfig.AllowAdminCreateUserOnly` is false.
    pub self_sign_up: Detail<bool>,
    /// Its Lambda triggers (`LambdaConfig`): which flow runs which function.
    pub lambda_triggers: Detail<Vec<PoolTrigger>>,
}

/// One Lambda trigger of a user pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolTrigger {
    /// The flow, as `LambdaConfig` names it: `PreSignUp`, `CustomMessage`, `PostConfirmation`,
    /// `PreAuthentication`, `UserMigration`, ...
    pub event: String,
    /// The function it runs, by ARN.
    pub function: String,
}

impl UserPool {
    /// Whether one of its triggers runs `function` (qualified or not), as far as its triggers
    /// were read: unread ones may.
    pub fn runs(&self, function: &str) -> bool {
        self.lambda_triggers.value().is_none_or(|ts| {
            ts.iter()
                .any(|t| crate::unqualified(&t.function) == crate::unqualified(function))
        })
    }

    pub(super) fn sort(&mut self) {
        self.triggers.sort();
        self.triggers.dedup();
    }
}

/// An SES receipt rule of a region's active rule set whose Lambda action invokes a function:
/// every mail to its recipients, from anyone on the internet, is the function's event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailRule {
    /// `arn:aws:ses:REGION:ACCOUNT:receipt-rule-set/SET:receipt-rule/NAME`.
    pub arn: String,
    pub region: String,
    /// The functions its Lambda actions invoke, by ARN.
    pub triggers: Vec<String>,
    /// It runs (a disabled rule receives nothing). Failed: the region's active rule set could not
    /// be read, and this stands for whatever rules it has (its ARN names the rule set `active`,
    /// its triggers are the region's functions SES may invoke).
    pub enabled: Detail<bool>,
    /// The addresses and domains it receives for; none: every one the account's verified
    /// domains receive.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<String>,
}

impl MailRule {
    pub(super) fn sort(&mut self) {
        self.triggers.sort();
        self.triggers.dedup();
        self.recipients.sort();
    }
}

/// An IoT topic rule a function's resource policy names (`iot.amazonaws.com` with the rule's ARN
/// as `aws:SourceArn`): every MQTT message its SQL statement selects is the function's event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IotRule {
    /// `arn:aws:iot:REGION:ACCOUNT:rule/NAME`.
    pub arn: String,
    pub region: String,
    /// The functions whose resource policy names it, by ARN.
    pub triggers: Vec<String>,
    /// Its SQL statement (GetTopicRule): `SELECT ... FROM 'topic/filter'`.
    pub sql: Detail<Option<String>>,
    /// It is disabled (delivers nothing until enabled).
    pub disabled: Detail<bool>,
    /// The functions its Lambda actions invoke, by ARN.
    pub functions: Detail<Vec<String>>,
}

impl IotRule {
    pub(super) fn sort(&mut self) {
        self.triggers.sort();
        self.triggers.dedup();
    }

    /// The MQTT topic filter its SQL statement selects from (`SELECT ... FROM 'a/+/b'`), when it
    /// names one.
    pub fn topic_filter(&self) -> Option<&str> {
        topic_filter(self.sql.value()?.as_deref()?)
    }
}

/// The quoted topic filter after a `FROM` of an IoT SQL statement (`'a/+/b'`, or in double
/// quotes).
pub fn topic_filter(sql: &str) -> Option<&str> {
    let lower = sql.to_ascii_lowercase();
    lower.match_indices("from").find_map(|(i, _)| {
        let word = sql[..i].ends_with(char::is_whitespace);
        let rest = &sql[i + 4..];
        let quoted = rest.trim_start();
        if !word || quoted.len() == rest.len() {
            return None;
        }
        let quote = quoted.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
        let body = &quoted[1..];
        let filter = &body[..body.find(quote)?];
        (!filter.is_empty()).then_some(filter)
    })
}

#[cfg(test)]
mod topic_filter_tests {
    use super::topic_filter;

    #[test]
    fn the_filter_is_the_quoted_topic_after_from() {
        assert_eq!(
            topic_filter("SELECT * FROM 'devices/+/telemetry' WHERE t > 5"),
            Some("devices/+/telemetry")
        );
        assert_eq!(topic_filter("select a from \"x/#\""), Some("x/#"));
        assert_eq!(topic_filter("SELECT fromage FROM 'a/b'"), Some("a/b"));
        assert_eq!(topic_filter("SELECT * FROM ''"), None);
        assert_eq!(topic_filter("SELECT 1"), None);
    }
}

/// The Cognito identity pools of a region with functions (ListIdentityPools): one that gives
/// credentials to unauthenticated identities lets anyone act as a role of the account, and so
/// write to the sources, and publish the MQTT messages, that role may.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityPools {
    pub region: String,
    pub pools: Detail<Vec<IdentityPool>>,
}

/// One Cognito identity pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityPool {
    /// `REGION:GUID`.
    pub id: String,
    pub name: String,
    /// It gives unauthenticated identities (anyone who asks) credentials
    /// (DescribeIdentityPool's `AllowUnauthenticatedIdentities`).
    pub unauthenticated: Detail<bool>,
    /// Its basic (classic) flow is on: anyone holding one of its identities' tokens may assume
    /// any role whose trust policy admits them, not only the pool's own.
    pub classic_flow: Detail<bool>,
    /// The role it gives unauthenticated identities (GetIdentityPoolRoles), read only where it
    /// gives them credentials.
    pub unauthenticated_role: Detail<Option<String>>,
}

/// A CloudWatch Logs log group a function's resource policy names (`logs.amazonaws.com` with the
/// group's ARN as `aws:SourceArn`): every log event its subscription filters pass is the
/// function's event, and a log line often carries request data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogSubscription {
    /// `arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (without the trailing `:*`).
    pub arn: String,
    pub region: String,
    /// The functions whose resource policy names it, by ARN.
    pub triggers: Vec<String>,
    /// Its subscription filters (DescribeSubscriptionFilters).
    pub filters: Detail<Vec<SubscriptionFilter>>,
}

/// One subscription filter of a log group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionFilter {
    pub name: String,
    /// Its filter pattern (empty: every event).
    pub pattern: String,
    /// Where it delivers, by ARN (a function, a Kinesis or Firehose stream, a destination).
    pub destination: String,
}

impl LogSubscription {
    /// The log group's name, from its ARN.
    pub fn name(&self) -> &str {
        self.arn
            .split_once(":log-group:")
            .map_or(&self.arn, |(_, n)| n)
    }

    /// Whether one of its filters delivers to `function` (qualified or not), as far as they were
    /// read: unread ones may.
    pub fn delivers_to(&self, function: &str) -> bool {
        self.filters.value().is_none_or(|fs| {
            fs.iter()
                .any(|f| crate::unqualified(&f.destination) == crate::unqualified(function))
        })
    }

    pub(super) fn sort(&mut self) {
        self.triggers.sort();
        self.triggers.dedup();
    }
}

/// The S3 events `pattern` selects ([`S3Selection`]), `None` when it selects none (or is not
/// JSON).
pub fn s3_selection(pattern: &str) -> Option<S3Selection> {
    let p = serde_json::from_str::<serde_json::Value>(pattern).ok()?;
    let selects_s3 = match p.get("source") {
        Some(serde_json::Value::Array(items)) => items.iter().any(|i| i == "aws.s3"),
        Some(serde_json::Value::String(s)) => s == "aws.s3",
        _ => false,
    };
    if !selects_s3 {
        return None;
    }
    let mut selection = S3Selection::default();
    match p.pointer("/detail/bucket/name") {
        Some(serde_json::Value::Array(items)) => {
            for item in items {
                match item.as_str() {
                    Some(name) => selection.named.push(name.to_string()),
                    None => selection.unnamed = true,
                }
            }
        }
        Some(serde_json::Value::String(name)) => selection.named.push(name.clone()),
        _ => selection.unnamed = true,
    }
    Some(selection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_s3_pattern_names_its_buckets_exactly_and_says_when_it_takes_others() {
        let p = r#"{"source": ["aws.s3"], "detail-type": ["Object Created"],
                    "detail": {"bucket": {"name": ["uploads", {"prefix": "tmp-"}]}}}"#;
        assert_eq!(
            s3_selection(p),
            Some(S3Selection {
                named: vec!["uploads".into()],
                unnamed: true
            })
        );
        let exact = r#"{"source": ["aws.s3"], "detail": {"bucket": {"name": ["uploads"]}}}"#;
        assert_eq!(
            s3_selection(exact),
            Some(S3Selection {
                named: vec!["uploads".into()],
                unnamed: false
            })
        );
        // Every bucket of the account (or S3's CloudTrail events, named elsewhere).
        assert_eq!(
            s3_selection(r#"{"source": ["aws.s3"]}"#),
            Some(S3Selection {
                named: Vec::new(),
                unnamed: true
            })
        );
        assert_eq!(
            s3_selection(r#"{"source": ["orders"], "detail": {"bucket": {"name": ["x"]}}}"#),
            None
        );
        assert_eq!(s3_selection("not json"), None);
    }
}
