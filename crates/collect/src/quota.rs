//! Client-side budgets for AWS's per-API request quotas.
//!
//! AWS throttles per account and region, and the account's own workloads (deployments, CI,
//! operators) draw from the same quotas as a scanner. So sprawl paces every call against the
//! published figures, scaled by `--rate-scale` (default [`DEFAULT_RATE_SCALE`]: half of each quota,
//! leaving the other half to the account's owners), instead of bursting and retrying.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::time::Instant;

/// Share of each published quota a default scan allows itself.
pub const DEFAULT_RATE_SCALE: f64 = 0.5;

/// A pool of requests that AWS throttles together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pool {
    /// Lambda GetFunction: 100 requests/s per account and region.
    LambdaGetFunction,
    /// Lambda GetPolicy: 15 requests/s.
    LambdaGetPolicy,
    /// Every other Lambda control-plane call (ListFunctions, GetFunctionUrlConfig,
    /// ListEventSourceMappings, ListAliases, ...): 15 requests/s together.
    LambdaControl,
    /// API Gateway management calls, REST and HTTP/WebSocket together: 10 requests/s, burst 40.
    ApiGatewayManagement,
    /// API Gateway GetResources: 5 requests per 2 seconds (also counts against management).
    ApiGatewayGetResources,
    /// Secrets Manager ListSecrets: 100 requests/s.
    SecretsManagerList,
    /// Secrets Manager GetResourcePolicy (with Put/Delete/ValidateResourcePolicy): 50 requests/s.
    SecretsManagerResourcePolicy,
    /// IAM read calls. AWS publishes no per-API figure; 10 requests/s is a conservative budget
    /// for a global (not per-region) service that deployments lean on heavily.
    Iam,
    /// STS GetCallerIdentity: one call per scan.
    Sts,
    /// Account ListRegions: one call per scan; no published figure.
    Account,
    /// AWS Organizations reads (listing roots, OUs and accounts), from the management account or
    /// a delegated administrator: a few calls per OU. AWS throttles the API without a published
    /// per-call figure; 5 requests/s is well inside what it allows.
    Organizations,
    /// CloudWatch Logs DescribeLogGroups: 10 requests/s per account and region.
    LogsDescribeLogGroups,
    /// CloudWatch DescribeAlarms: 9 requests/s per region.
    CloudWatchDescribeAlarms,
    /// CloudWatch GetMetricData: 50 requests/s per region (and 500 metrics a call).
    CloudWatchGetMetricData,
    /// SNS GetTopicAttributes: AWS lists a quota for it without a figure sprawl could confirm;
    /// 10 requests/s is well inside SNS's published read quotas (30/s for its list calls), and
    /// a scan reads only the topics that trigger functions.
    SnsGetTopicAttributes,
    /// SNS ListSubscriptionsByTopic: 30 requests/s, SNS's published rate for its list calls.
    SnsListSubscriptions,
    /// S3 bucket configuration reads (GetBucketLocation, the notification configuration, policy,
    /// ACL, Block Public Access and ownership controls, and S3 Control's account Block Public
    /// Access): AWS publishes no rate for them (its 5,500 reads a second per prefix are object
    /// reads); 10 requests/s is an assumed, conservative budget, and a scan reads only the
    /// buckets that trigger functions.
    S3BucketConfiguration,
    /// SQS GetQueueAttributes: AWS publishes no rate for SQS's queue management calls; 10
    /// requests/s is an assumed, conservative budget, and a scan reads only the queues event
    /// source mappings poll.
    SqsGetQueueAttributes,
    /// EventBridge DescribeRule and DescribeEventBus: AWS's older quota text puts every
    /// EventBridge API but PutEvents at 50 requests/s together; 10 requests/s is an assumed,
    /// conservative budget, and a scan reads only the rules that trigger functions.
    EventsDescribe,
    /// Kinesis GetResourcePolicy: AWS states no rate for it; 10 requests/s is an assumed,
    /// conservative budget (Kinesis's own describe calls are 10 to 20/s).
    KinesisGetResourcePolicy,
    /// DynamoDB GetResourcePolicy: AWS states no rate for it; 10 requests/s is an assumed,
    /// conservative budget.
    DynamoDbGetResourcePolicy,
    /// Cognito DescribeUserPool: AWS counts it in the user pools' `UserPoolRead` category, whose
    /// default quota is shared by every read of the pools' configuration; 10 requests/s is an
    /// assumed, conservative budget, and a scan reads only the pools that trigger functions.
    CognitoUserPoolRead,
    /// SES receipt-rule calls (DescribeActiveReceiptRuleSet): one request a second, as AWS
    /// publishes for every receipt-rule API. A scan asks once per region where SES may invoke
    /// a function.
    SesReceiptRules,
    /// IoT GetTopicRule: AWS's published rules-engine quotas do not name a read rate sprawl could
    /// confirm; 10 requests/s is an assumed, conservative budget.
    IotGetTopicRule,
    /// Cognito identity pools' reads (ListIdentityPools, DescribeIdentityPool,
    /// GetIdentityPoolRoles): no published rate sprawl could confirm; 5 requests/s is an assumed,
    /// conservative budget (a scan lists each region's once, and most accounts have a few).
    CognitoIdentityRead,
    /// CloudWatch Logs DescribeSubscriptionFilters: no published rate sprawl could confirm (the
    /// other Logs describe calls are 5 to 25/s); 5 requests/s is an assumed, conservative budget.
    LogsDescribeSubscriptionFilters,
}

impl Pool {
    pub const ALL: [Pool; 26] = [
        Pool::LambdaGetFunction,
        Pool::LambdaGetPolicy,
        Pool::LambdaControl,
        Pool::ApiGatewayManagement,
        Pool::ApiGatewayGetResources,
        Pool::SecretsManagerList,
        Pool::SecretsManagerResourcePolicy,
        Pool::Iam,
        Pool::Sts,
        Pool::Account,
        Pool::Organizations,
        Pool::LogsDescribeLogGroups,
        Pool::CloudWatchDescribeAlarms,
        Pool::CloudWatchGetMetricData,
        Pool::SnsGetTopicAttributes,
        Pool::SnsListSubscriptions,
        Pool::S3BucketConfiguration,
        Pool::SqsGetQueueAttributes,
        Pool::EventsDescribe,
        Pool::KinesisGetResourcePolicy,
        Pool::DynamoDbGetResourcePolicy,
        Pool::CognitoUserPoolRead,
        Pool::SesReceiptRules,
        Pool::IotGetTopicRule,
        Pool::CognitoIdentityRead,
        Pool::LogsDescribeSubscriptionFilters,
    ];

    /// The published (or, where none is published, assumed) quota: requests per second and the
    /// burst AWS allows above it.
    pub fn published(self) -> Quota {
        let (rate, burst) = match self {
            Pool::LambdaGetFunction => (100.0, 100.0),
            Pool::LambdaGetPolicy => (15.0, 15.0),
            Pool::LambdaControl => (15.0, 15.0),
            Pool::ApiGatewayManagement => (10.0, 40.0),
            Pool::ApiGatewayGetResources => (2.5, 5.0),
            Pool::SecretsManagerList => (100.0, 100.0),
            Pool::SecretsManagerResourcePolicy => (50.0, 50.0),
            Pool::Iam => (10.0, 10.0),
            Pool::Sts => (50.0, 50.0),
            Pool::Account => (5.0, 5.0),
            Pool::Organizations => (5.0, 5.0),
            Pool::LogsDescribeLogGroups => (10.0, 10.0),
            Pool::CloudWatchDescribeAlarms => (9.0, 9.0),
            Pool::CloudWatchGetMetricData => (50.0, 50.0),
            Pool::SnsGetTopicAttributes => (10.0, 10.0),
            Pool::SnsListSubscriptions => (30.0, 30.0),
            Pool::S3BucketConfiguration => (10.0, 10.0),
            Pool::SqsGetQueueAttributes => (10.0, 10.0),
            Pool::EventsDescribe => (10.0, 10.0),
            Pool::KinesisGetResourcePolicy => (10.0, 10.0),
            Pool::DynamoDbGetResourcePolicy => (10.0, 10.0),
            Pool::CognitoUserPoolRead => (10.0, 10.0),
            Pool::SesReceiptRules => (1.0, 1.0),
            Pool::IotGetTopicRule => (10.0, 10.0),
            Pool::CognitoIdentityRead => (5.0, 5.0),
            Pool::LogsDescribeSubscriptionFilters => (5.0, 5.0),
        };
        Quota { rate, burst }
    }

    /// Whether AWS counts this pool per region (`false`: once per account).
    pub fn is_regional(self) -> bool {
        !matches!(self, Pool::Iam | Pool::Account | Pool::Organizations)
    }

    pub fn name(self) -> &'static str {
        match self {
            Pool::LambdaGetFunction => "lambda:GetFunction",
            Pool::LambdaGetPolicy => "lambda:GetPolicy",
            Pool::LambdaControl => "lambda:control-plane",
            Pool::ApiGatewayManagement => "apigateway:management",
            Pool::ApiGatewayGetResources => "apigateway:GetResources",
            Pool::SecretsManagerList => "secretsmanager:ListSecrets",
            Pool::SecretsManagerResourcePolicy => "secretsmanager:resource-policy",
            Pool::Iam => "iam:read",
            Pool::Sts => "sts",
            Pool::Account => "account",
            Pool::Organizations => "organizations",
            Pool::LogsDescribeLogGroups => "logs:DescribeLogGroups",
            Pool::CloudWatchDescribeAlarms => "cloudwatch:DescribeAlarms",
            Pool::CloudWatchGetMetricData => "cloudwatch:GetMetricData",
            Pool::SnsGetTopicAttributes => "sns:GetTopicAttributes",
            Pool::SnsListSubscriptions => "sns:ListSubscriptionsByTopic",
            Pool::S3BucketConfiguration => "s3:bucket-configuration",
            Pool::SqsGetQueueAttributes => "sqs:GetQueueAttributes",
            Pool::EventsDescribe => "events:describe",
            Pool::KinesisGetResourcePolicy => "kinesis:GetResourcePolicy",
            Pool::DynamoDbGetResourcePolicy => "dynamodb:GetResourcePolicy",
            Pool::CognitoUserPoolRead => "cognito-idp:UserPoolRead",
            Pool::SesReceiptRules => "ses:receipt-rules",
            Pool::IotGetTopicRule => "iot:GetTopicRule",
            Pool::CognitoIdentityRead => "cognito-identity:read",
            Pool::LogsDescribeSubscriptionFilters => "logs:DescribeSubscriptionFilters",
        }
    }
}

impl fmt::Display for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A request rate and the burst allowed above it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quota {
    /// Requests per second.
    pub rate: f64,
    /// Requests that may be made at once after a quiet period.
    pub burst: f64,
}

/// The rates a scan allows itself, per pool.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaPlan {
    rates: HashMap<Pool, f64>,
}

impl QuotaPlan {
    /// The published quotas scaled by `scale` (0 < scale <= 1 keeps a scan inside them).
    pub fn scaled(scale: f64) -> Self {
        let rates = Pool::ALL
            .into_iter()
            .map(|p| (p, p.published().rate * scale))
            .collect();
        QuotaPlan { rates }
    }

    /// Overrides one pool's rate (requests per second).
    pub fn set_rate(&mut self, pool: Pool, rate: f64) {
        self.rates.insert(pool, rate);
    }

    /// The rate a scan allows itself in `pool`.
    pub fn rate(&self, pool: Pool) -> f64 {
        self.rates[&pool]
    }
}

impl Default for QuotaPlan {
    fn default() -> Self {
        QuotaPlan::scaled(DEFAULT_RATE_SCALE)
    }
}

/// A token bucket that hands out send times instead of making callers poll.
///
/// The client side paces calls smoothly (a burst of one), so AWS's own bucket, whose burst is at
/// least its rate, stays full and absorbs network jitter: no throttling at a steady rate.
#[derive(Debug)]
struct Bucket {
    interval: Duration,
    /// When the next call may be sent.
    next: Mutex<Option<Instant>>,
    /// When the last call was actually sent.
    sent: Mutex<Option<Instant>>,
}

impl Bucket {
    fn new(rate: f64) -> Self {
        let interval = if rate.is_finite() && rate > 0.0 {
            Duration::from_secs_f64(1.0 / rate)
        } else {
            Duration::ZERO
        };
        Bucket {
            interval,
            next: Mutex::new(None),
            sent: Mutex::new(None),
        }
    }

    /// When a call may go out so that sends are never closer than the interval (None: now, and
    /// it is noted as sent).
    fn spaced(&self) -> Option<Instant> {
        let now = Instant::now();
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        match *sent {
            Some(t) if t + self.interval > now => Some(t + self.interval),
            // Its turn came a little while ago (a timer wakes late): noted at its turn, so that
            // lateness does not add up from one call to the next.
            Some(t) if now < t + self.interval * 2 => {
                *sent = Some(t + self.interval);
                None
            }
            _ => {
                *sent = Some(now);
                None
            }
        }
    }

    /// Reserves the next send slot and returns when it is.
    fn reserve(&self) -> Instant {
        let now = Instant::now();
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let slot = match *next {
            Some(t) if t > now => t,
            _ => now,
        };
        *next = Some(slot + self.interval);
        slot
    }
}

type BucketMap = HashMap<(Pool, String), Arc<Bucket>>;

/// One bucket per (pool, region), shared by every task of a scan.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    plan: Arc<QuotaPlan>,
    buckets: Arc<Mutex<BucketMap>>,
}

impl RateLimiter {
    pub fn new(plan: QuotaPlan) -> Self {
        RateLimiter {
            plan: Arc::new(plan),
            buckets: Arc::default(),
        }
    }

    pub fn plan(&self) -> &QuotaPlan {
        &self.plan
    }

    fn bucket(&self, pool: Pool, region: &str) -> Arc<Bucket> {
        let key_region = if pool.is_regional() { region } else { "global" };
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        buckets
            .entry((pool, key_region.to_string()))
            .or_insert_with(|| Arc::new(Bucket::new(self.plan.rate(pool))))
            .clone()
    }

    /// Waits, at the moment of sending, until the last call sent from each of `pools` in
    /// `region` is an interval behind: calls whose reserved slots passed while they waited (for
    /// a permit, behind a stalled endpoint) go out at the pace, not together, and without
    /// taking a fresh slot each (which would leave the slots they had unused).
    pub async fn space(&self, pools: &[Pool], region: &str) {
        let buckets: Vec<Arc<Bucket>> = pools.iter().map(|&p| self.bucket(p, region)).collect();
        loop {
            let wait = buckets.iter().filter_map(|b| b.spaced()).max();
            match wait {
                Some(at) => tokio::time::sleep_until(at).await,
                None => return,
            }
        }
    }

    /// Waits until a call drawing from every one of `pools` may be sent in `region`.
    pub async fn acquire(&self, pools: &[Pool], region: &str) {
        let at = pools
            .iter()
            .map(|&p| self.bucket(p, region).reserve())
            .max();
        if let Some(at) = at {
            tokio::time::sleep_until(at).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn paces_calls_at_the_planned_rate() {
        let mut plan = QuotaPlan::scaled(1.0);
        plan.set_rate(Pool::LambdaControl, 10.0);
        let limiter = RateLimiter::new(plan);
        let start = Instant::now();
        for _ in 0..21 {
            limiter.acquire(&[Pool::LambdaControl], "eu-west-1").await;
        }
        // 21 calls at 10/s: the first at once, the last two seconds later.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn regions_have_their_own_buckets_but_iam_is_global() {
        let limiter = RateLimiter::new(QuotaPlan::scaled(1.0));
        let start = Instant::now();
        limiter.acquire(&[Pool::LambdaControl], "eu-west-1").await;
        limiter.acquire(&[Pool::LambdaControl], "us-east-1").await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire(&[Pool::Iam], "eu-west-1").await;
        limiter.acquire(&[Pool::Iam], "us-east-1").await;
        assert_eq!(start.elapsed(), Duration::from_millis(100));
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_in_two_pools_waits_for_the_slower() {
        let limiter = RateLimiter::new(QuotaPlan::scaled(1.0));
        let start = Instant::now();
        for _ in 0..3 {
            limiter
                .acquire(
                    &[Pool::ApiGatewayManagement, Pool::ApiGatewayGetResources],
                    "eu-west-1",
                )
                .await;
        }
        // GetResources allows 2.5/s: slots at 0, 0.4 s and 0.8 s.
        assert_eq!(start.elapsed(), Duration::from_millis(800));
    }

    #[test]
    fn default_plan_keeps_half_of_every_quota_free() {
        let plan = QuotaPlan::default();
        assert_eq!(plan.rate(Pool::LambdaControl), 7.5);
        assert_eq!(plan.rate(Pool::LambdaGetFunction), 50.0);
    }
}
