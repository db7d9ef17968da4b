//! Every AWS call goes through [`CallContext::call`]: paced by the quota plan, bounded by the
//! scan's concurrency, retried with jitter only when another attempt can help, limited in time,
//! and recorded in the coverage whatever its outcome.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use tokio::sync::{Semaphore, SemaphorePermit, mpsc};
use tokio::time::Instant;

use super::error::{CallError, classify};
use super::ops::{Op, Service};
use super::progress::ProgressEvent;
use super::quota::{Pool, QuotaPlan, RateLimiter};
use sprawl_model::{Coverage, CoverageEntry, Detail, Failure, FailureKind};

/// How calls are retried and limited in time.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts per call, the first included.
    pub max_attempts: u32,
    /// Time limit for one attempt.
    pub attempt_timeout: Duration,
    /// Time limit for a call with all its attempts and backoffs (pacing waits excluded).
    pub operation_timeout: Duration,
    /// First backoff after a throttled answer; doubles per attempt, with jitter.
    pub throttle_backoff: Duration,
    /// First backoff after a 5xx, a timeout or a connection failure.
    pub transient_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            attempt_timeout: Duration::from_secs(20),
            operation_timeout: Duration::from_secs(60),
            throttle_backoff: Duration::from_millis(500),
            transient_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
        }
    }
}

/// After this many attempts at one (service, region) in a row end unreachable or timed out, the
/// rest fail at once (new calls and retries alike) instead of each retrying a dead endpoint.
const BREAKER_THRESHOLD: u32 = 3;

/// Calls and throttled answers per quota pool and region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// Attempts sent (retries included).
    pub attempts: u64,
    /// Attempts AWS answered with a throttling error.
    pub throttled: u64,
}

/// What a scan spent, for the summary and the benchmark.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanStats {
    /// Keyed by (pool, region); `global` for pools AWS counts once per account.
    pub pools: BTreeMap<(Pool, String), PoolStats>,
    pub elapsed_seconds: f64,
}

impl ScanStats {
    pub fn total_attempts(&self) -> u64 {
        self.pools.values().map(|p| p.attempts).sum()
    }

    pub fn total_throttled(&self) -> u64 {
        self.pools.values().map(|p| p.throttled).sum()
    }

    /// The least time a scan making these calls could take at `plan`'s rates: for each pool and
    /// region, its calls divided by its rate; the largest wins.
    pub fn minimum_seconds(&self, plan: &QuotaPlan) -> f64 {
        self.pools
            .iter()
            .map(|((pool, _), s)| s.attempts as f64 / plan.rate(*pool))
            .fold(0.0, f64::max)
    }
}

#[derive(Debug, Default)]
struct Ledger {
    coverage: BTreeMap<(Service, String, &'static str), CoverageEntry>,
    pools: BTreeMap<(Pool, String), PoolStats>,
    /// Consecutive unreachable or timed-out calls per (service, region).
    breaker: HashMap<(Service, String), u32>,
    /// The last such failure's cause per (service, region), for the breaker's message.
    last_cause: HashMap<(Service, String), String>,
}

/// The calls a scan may have in flight: its own cap, and (when it runs beside other accounts'
/// scans) one it shares with them. The own cap also bounds how many of one account's calls that
/// waited together can leave together: a burst above a pool's rate, which AWS would throttle.
#[derive(Debug, Clone)]
pub struct Permits {
    own: Arc<Semaphore>,
    shared: Option<Arc<Semaphore>>,
}

impl Permits {
    pub fn new(own: usize, shared: Option<Arc<Semaphore>>) -> Permits {
        Permits {
            own: Arc::new(Semaphore::new(own.max(1))),
            shared,
        }
    }

    async fn acquire(&self) -> (SemaphorePermit<'_>, Option<SemaphorePermit<'_>>) {
        let own = self.own.acquire().await.expect("semaphore never closed");
        let shared = match &self.shared {
            Some(s) => Some(s.acquire().await.expect("semaphore never closed")),
            None => None,
        };
        (own, shared)
    }
}

/// Shared by every collector task of one scan.
#[derive(Debug, Clone)]
pub struct CallContext {
    limiter: RateLimiter,
    permits: Permits,
    retry: RetryPolicy,
    ledger: Arc<Mutex<Ledger>>,
    progress: Option<mpsc::UnboundedSender<ProgressEvent>>,
    fingerprint_key: super::redact::FingerprintKey,
    /// The endpoint every call goes to, when one was given: errors and waits name it.
    endpoint: Option<String>,
    /// `--no-get-function`: GetFunction is not in this scan's plan.
    no_get_function: bool,
}

/// How long an attempt waits before the progress says what it is waiting for.
const WAIT_NOTICE: Duration = Duration::from_secs(5);

/// The last part of an error chain (`tcp connect error: Connection refused (os error 111)` ->
/// `connection refused (os error 111)`): what happened, without the layers that carried it.
fn cause_of(message: &str) -> String {
    let last = message.rsplit(": ").next().unwrap_or(message).trim();
    let mut c = last.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

impl CallContext {
    pub fn new(
        plan: QuotaPlan,
        permits: Permits,
        retry: RetryPolicy,
        progress: Option<mpsc::UnboundedSender<ProgressEvent>>,
        fingerprint_key: super::redact::FingerprintKey,
    ) -> Self {
        CallContext {
            limiter: RateLimiter::new(plan),
            permits,
            retry,
            ledger: Arc::default(),
            progress,
            fingerprint_key,
            endpoint: None,
            no_get_function: false,
        }
    }

    /// Calls go to `endpoint` (a custom endpoint, `--endpoint-url`): errors and waits name it.
    pub fn with_endpoint(mut self, endpoint: Option<String>) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// A scan that never calls GetFunction (`--no-get-function`).
    pub fn without_get_function(mut self, no_get_function: bool) -> Self {
        self.no_get_function = no_get_function;
        self
    }

    /// Whether this scan reads tags and concurrency without GetFunction.
    pub fn no_get_function(&self) -> bool {
        self.no_get_function
    }

    /// Where an operation's calls go, in words: the custom endpoint's URL, else AWS's endpoint of
    /// the service in the region.
    fn where_to(&self, op: &Op, region: &str) -> String {
        match &self.endpoint {
            Some(url) => url.clone(),
            None => format!(
                "the {} endpoint in {}",
                op.service,
                Self::region_key(op, region)
            ),
        }
    }

    /// The key the collectors fingerprint variable values with.
    pub fn fingerprint_key(&self) -> &super::redact::FingerprintKey {
        &self.fingerprint_key
    }

    pub fn plan(&self) -> &QuotaPlan {
        self.limiter.plan()
    }

    fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends a progress event, if anyone listens.
    pub fn emit(&self, event: ProgressEvent) {
        if let Some(tx) = &self.progress {
            let _ = tx.send(event);
        }
    }

    fn region_key(op: &Op, region: &str) -> String {
        if op.service.is_global() {
            "global".to_string()
        } else {
            region.to_string()
        }
    }

    fn entry<'a>(ledger: &'a mut Ledger, op: &Op, region: &str) -> &'a mut CoverageEntry {
        let region = Self::region_key(op, region);
        ledger
            .coverage
            .entry((op.service, region.clone(), op.name))
            .or_insert_with(|| CoverageEntry {
                service: op.service.name().to_string(),
                region,
                operation: op.name.to_string(),
                succeeded: 0,
                failed: 0,
                items: 0,
                skipped: 0,
                failure: None,
            })
    }

    /// Records that `count` resources were found by `op`.
    pub fn found(&self, op: &Op, region: &str, count: usize) {
        Self::entry(&mut self.ledger(), op, region).items += count as u64;
        self.emit(ProgressEvent::Found {
            service: op.service,
            region: Self::region_key(op, region),
            count: count as u64,
        });
    }

    /// Records a per-resource call not made on purpose, and returns the detail that says so.
    pub fn skip<T>(&self, op: &Op, region: &str, reason: &str) -> Detail<T> {
        Self::entry(&mut self.ledger(), op, region).skipped += 1;
        Detail::skipped(reason)
    }

    /// Counts a failure in a coverage entry, keeping the first as its representative.
    fn count_failure(entry: &mut CoverageEntry, failure: &Failure) {
        entry.failed += 1;
        if entry.failure.is_none() {
            entry.failure = Some(failure.clone());
        }
    }

    /// Records an outcome that is not an API call's (a package's download) as a success.
    pub(crate) fn succeeded(&self, op: &Op, region: &str) {
        Self::entry(&mut self.ledger(), op, region).succeeded += 1;
    }

    /// Records a failure found in an answer (not in the call): the coverage shows the gap.
    pub(crate) fn record_failure(&self, op: &Op, region: &str, failure: &Failure) {
        Self::count_failure(Self::entry(&mut self.ledger(), op, region), failure);
    }

    /// Records a call's outcome in the coverage and tells the progress listener.
    fn record(&self, op: &Op, region: &str, outcome: &Result<(), &Failure>) {
        {
            let mut ledger = self.ledger();
            let entry = Self::entry(&mut ledger, op, region);
            match outcome {
                Ok(()) => entry.succeeded += 1,
                Err(f) => Self::count_failure(entry, f),
            }
        }
        self.emit(ProgressEvent::Call {
            service: op.service,
            region: Self::region_key(op, region),
            operation: op.name,
            failure: outcome.as_ref().err().map(|f| f.kind),
        });
    }

    /// The failure a call gets without trying when its endpoint failed too often in a row.
    fn breaker_failure(&self, op: &Op, region: &str, what: &str) -> Option<Failure> {
        let n = *self
            .ledger()
            .breaker
            .get(&(op.service, Self::region_key(op, region)))?;
        let last = self
            .ledger()
            .last_cause
            .get(&(op.service, Self::region_key(op, region)))
            .cloned();
        (n >= BREAKER_THRESHOLD).then(|| Failure {
            kind: FailureKind::Unreachable,
            message: format!(
                "{what}: {}at {} ({n} attempts in a row unanswered)",
                last.map(|c| format!("{c} ")).unwrap_or_default(),
                self.where_to(op, region),
            ),
        })
    }

    /// Feeds the circuit breaker with one attempt's outcome: an answer closes it, a timeout or an
    /// unreachable endpoint counts towards opening it. Per attempt, not per call, so that calls
    /// already retrying against a silent endpoint see it open.
    fn note_attempt(&self, op: &Op, region: &str, failure: Option<&Failure>) {
        let mut ledger = self.ledger();
        let key = (op.service, Self::region_key(op, region));
        match failure {
            None => {
                ledger.breaker.remove(&key);
            }
            Some(f) if matches!(f.kind, FailureKind::Unreachable | FailureKind::TimedOut) => {
                *ledger.breaker.entry(key.clone()).or_default() += 1;
                let at = format!(" at {}", self.where_to(op, region));
                let message = f.message.strip_suffix(&at).unwrap_or(&f.message);
                ledger.last_cause.insert(key, cause_of(message));
            }
            Some(_) => {}
        }
    }

    fn count_attempt(&self, op: &Op, region: &str, throttled: bool) {
        let mut ledger = self.ledger();
        for &pool in op.pools {
            let key_region = if pool.is_regional() { region } else { "global" };
            let stats = ledger
                .pools
                .entry((pool, key_region.to_string()))
                .or_default();
            stats.attempts += 1;
            if throttled {
                stats.throttled += 1;
            }
        }
    }

    fn backoff(&self, kind: FailureKind, attempt: u32) -> Duration {
        let base = if kind == FailureKind::Throttled {
            self.retry.throttle_backoff
        } else {
            self.retry.transient_backoff
        };
        let full = base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.retry.max_backoff);
        // Equal jitter: half fixed, half random, so retries from many tasks spread out.
        full / 2 + full.mul_f64(fastrand::f64() / 2.0)
    }

    /// Makes one call with pacing, retries and timeouts. `NotFound` is passed back as such (and
    /// counted as a successful answer): callers decide whether it means "none".
    pub async fn call<T, E, F, Fut>(
        &self,
        op: &Op,
        region: &str,
        mut send: F,
    ) -> Result<T, CallError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        if let Some(failure) = self.breaker_failure(op, region, "not attempted") {
            self.record(op, region, &Err(&failure));
            return Err(CallError::Failed(failure));
        }
        let mut started: Option<Instant> = None;
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            // A retry asks the breaker again: calls already in flight when an endpoint went
            // silent stop there, instead of each waiting out its own retries.
            if attempt > 1
                && let Some(failure) = self.breaker_failure(op, region, "not retried")
            {
                break Err(CallError::Failed(failure));
            }
            self.limiter.acquire(op.pools, region).await;
            let started = *started.get_or_insert_with(Instant::now);
            let remaining = self
                .retry
                .operation_timeout
                .saturating_sub(started.elapsed());
            let limit = self.retry.attempt_timeout.min(remaining);
            let outcome = {
                let _permits = self.permits.acquire().await;
                // A call that waited for a permit (the calls in flight stalled at the endpoint)
                // has lost its place in the pace: the calls queued behind a stall would go out
                // together, above the rate, the moment it clears. Sends stay an interval apart.
                self.limiter.space(op.pools, region).await;
                // Past a few seconds, the progress says what is waited for, and where.
                let attempt = tokio::time::timeout(limit, send());
                tokio::pin!(attempt);
                let notice = tokio::time::sleep(WAIT_NOTICE);
                tokio::pin!(notice);
                let mut told = limit <= WAIT_NOTICE;
                loop {
                    tokio::select! {
                        out = &mut attempt => break out,
                        _ = &mut notice, if !told => {
                            told = true;
                            self.emit(ProgressEvent::Waiting {
                                service: op.service,
                                region: Self::region_key(op, region),
                                operation: op.name,
                                endpoint: self.endpoint.clone(),
                                waited_secs: WAIT_NOTICE.as_secs(),
                                attempt_secs: limit.as_secs(),
                            });
                        }
                    }
                }
            };
            let err = match outcome {
                Ok(Ok(out)) => {
                    self.count_attempt(op, region, false);
                    self.note_attempt(op, region, None);
                    break Ok(out);
                }
                Ok(Err(e)) => classify(&e),
                Err(_) => CallError::failure(
                    FailureKind::TimedOut,
                    format!("no answer within {:.0?}", limit),
                ),
            };
            // An endpoint that could not be reached or did not answer is named.
            let err = match err {
                CallError::Failed(mut f)
                    if matches!(f.kind, FailureKind::Unreachable | FailureKind::TimedOut) =>
                {
                    f.message = format!("{} at {}", f.message, self.where_to(op, region));
                    CallError::Failed(f)
                }
                other => other,
            };
            let throttled =
                matches!(&err, CallError::Failed(f) if f.kind == FailureKind::Throttled);
            self.count_attempt(op, region, throttled);
            match &err {
                CallError::Failed(f) => self.note_attempt(op, region, Some(f)),
                // "Not found" is an answer: the endpoint is alive.
                CallError::NotFound => self.note_attempt(op, region, None),
            }
            let CallError::Failed(failure) = &err else {
                break Err(err);
            };
            let backoff = self.backoff(failure.kind, attempt);
            let out_of_time = started.elapsed() + backoff >= self.retry.operation_timeout;
            if !err.is_retryable() || attempt >= self.retry.max_attempts || out_of_time {
                break Err(err);
            }
            tokio::time::sleep(backoff).await;
        };
        match &result {
            Ok(_) | Err(CallError::NotFound) => self.record(op, region, &Ok(())),
            Err(CallError::Failed(f)) => self.record(op, region, &Err(f)),
        }
        result
    }

    /// A call whose "not found" answer means "there is none".
    pub async fn call_optional<T, E, F, Fut>(
        &self,
        op: &Op,
        region: &str,
        send: F,
    ) -> Result<Option<T>, Failure>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        match self.call(op, region, send).await {
            Ok(v) => Ok(Some(v)),
            Err(CallError::NotFound) => Ok(None),
            Err(CallError::Failed(f)) => Err(f),
        }
    }

    /// A call that must answer; "not found" is a failure.
    pub async fn call_required<T, E, F, Fut>(
        &self,
        op: &Op,
        region: &str,
        send: F,
    ) -> Result<T, Failure>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        match self.call(op, region, send).await {
            Ok(v) => Ok(v),
            Err(CallError::NotFound) => Err(Failure {
                kind: FailureKind::Other,
                message: format!("{} answered not found", op.name),
            }),
            Err(CallError::Failed(f)) => Err(f),
        }
    }

    /// Follows a paginated listing to its end. Returns what was listed and, if a page failed, the
    /// failure: the pages before it are kept, and the coverage records the gap.
    pub async fn paginate<Out, Item, E, F, Fut, Split>(
        &self,
        op: &Op,
        region: &str,
        mut page: F,
        mut split: Split,
    ) -> Listing<Item>
    where
        F: FnMut(Option<String>) -> Fut,
        Fut: Future<Output = Result<Out, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
        Split: FnMut(Out) -> (Vec<Item>, Option<String>),
    {
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        let mut seen = std::collections::HashSet::new();
        let failure = loop {
            match self.call_required(op, region, || page(token.clone())).await {
                Ok(out) => {
                    let (mut batch, next) = split(out);
                    self.found(op, region, batch.len());
                    items.append(&mut batch);
                    match next {
                        None => break None,
                        Some(t) if t.is_empty() => break None,
                        Some(t) if seen.insert(t.clone()) => token = Some(t),
                        // A repeated token would loop forever, and stopping there would present
                        // part of the list as all of it: the listing failed.
                        Some(_) => {
                            let failure = Failure {
                                kind: FailureKind::Other,
                                message: format!(
                                    "{} repeated a page token after {} items: the list is incomplete",
                                    op.name,
                                    items.len()
                                ),
                            };
                            self.record_failure(op, region, &failure);
                            break Some(failure);
                        }
                    }
                }
                Err(f) => break Some(f),
            }
        };
        Listing { items, failure }
    }

    /// The coverage so far, sorted.
    pub fn coverage(&self) -> Coverage {
        Coverage {
            entries: self.ledger().coverage.values().cloned().collect(),
        }
    }

    /// The calls made so far, per pool and region.
    pub fn stats(&self) -> ScanStats {
        ScanStats {
            pools: self.ledger().pools.clone(),
            elapsed_seconds: 0.0,
        }
    }
}

/// A listing's items and, if it stopped early, why.
#[derive(Debug)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub failure: Option<Failure>,
}

impl<T> Listing<T> {
    /// The listing as a resource detail: its items mapped by `f`, or the failure that cut it short
    /// (a partial list is never presented as the whole).
    pub fn into_detail<U>(self, f: impl FnMut(T) -> U) -> Detail<Vec<U>> {
        match self.failure {
            Some(failure) => Detail::failed(&failure),
            None => Detail::collected(self.items.into_iter().map(f).collect()),
        }
    }
}

/// Turns a call's result into a resource detail.
pub fn detail<T>(result: Result<T, Failure>) -> Detail<T> {
    match result {
        Ok(v) => Detail::collected(v),
        Err(f) => Detail::failed(&f),
    }
}

/// One client per region named, made by `client_of` (the regions of the sources a scan reads,
/// each asked once however many sources it holds).
pub fn clients_by_region<'r, C>(
    regions: impl IntoIterator<Item = &'r str>,
    client_of: impl Fn(&str) -> C,
) -> std::collections::BTreeMap<String, C> {
    let mut clients = std::collections::BTreeMap::new();
    for region in regions {
        if !clients.contains_key(region) {
            clients.insert(region.to_string(), client_of(region));
        }
    }
    clients
}

/// A source a scan reads once, in its own region: its ARN, its region and its id in its service
/// (both from the ARN), and what named it.
pub struct Each<N> {
    pub arn: String,
    pub region: String,
    pub id: String,
    pub named: N,
}

/// Reads each named source once, in its own region, side by side: `parts` gives a source's
/// region and id from its ARN (one it cannot parse is not read), `client_of` a region's client
/// (one per region), and `read` the source from its client and [`Each`].
pub async fn read_each<C: Clone, N, T, Fut: Future<Output = T>>(
    named: BTreeMap<String, N>,
    parts: impl Fn(&str) -> Option<(&str, &str)>,
    client_of: impl Fn(&str) -> C,
    read: impl Fn(C, Each<N>) -> Fut,
) -> Vec<T> {
    let clients = clients_by_region(
        named.keys().filter_map(|a| parts(a).map(|p| p.0)),
        client_of,
    );
    let reads = named.into_iter().filter_map(|(arn, named)| {
        let (region, id) = parts(&arn)?;
        let (region, id) = (region.to_string(), id.to_string());
        let client = clients[&region].clone();
        Some(read(
            client,
            Each {
                arn,
                region,
                id,
                named,
            },
        ))
    });
    futures::future::join_all(reads).await
}

/// Tags as the services that answer with a map of them give them (Lambda's GetFunction and
/// ListTags, API Gateway's APIs); none given is none.
pub fn tags_of_map(tags: Option<&std::collections::HashMap<String, String>>) -> sprawl_model::Tags {
    tags.map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    type Answer = Result<
        (),
        SdkError<aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError, HttpResponse>,
    >;

    /// Two scans (two accounts) sharing one cap: never more calls in flight than the cap,
    /// across both, though each alone would take them all.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn scans_that_share_a_cap_never_exceed_it_together() {
        let cap = Arc::new(Semaphore::new(3));
        let key = || sprawl_redact::FingerprintKey::from_bytes([0; 32]);
        // Each scan alone could have eight in flight.
        let context = || {
            let permits = Permits::new(8, Some(cap.clone()));
            CallContext::new(
                QuotaPlan::scaled(1000.0),
                permits,
                RetryPolicy::default(),
                None,
                key(),
            )
        };
        let contexts = [context(), context()];
        let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let calls = contexts.iter().flat_map(|ctx| {
            (0..8).map(|_| {
                let (now, most) = (now.clone(), most.clone());
                ctx.call(&crate::ops::GET_FUNCTION, "eu-west-1", move || {
                    let (now, most) = (now.clone(), most.clone());
                    async move {
                        let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(n, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        now.fetch_sub(1, Ordering::SeqCst);
                        Answer::Ok(())
                    }
                })
            })
        });
        let answers = futures::future::join_all(calls).await;
        assert!(answers.iter().all(Result::is_ok));
        assert_eq!(
            most.load(Ordering::SeqCst),
            3,
            "the cap is reached and held"
        );
    }

    /// Calls queued behind a stall (every permit held by calls the endpoint sits on) keep the
    /// pace when it clears: each takes a fresh slot instead of going out at once with the others
    /// on the slots they reserved before the stall (which a quota proxy answered 429).
    #[tokio::test(start_paused = true)]
    async fn calls_queued_behind_a_stall_keep_the_pace() {
        let mut plan = QuotaPlan::scaled(1.0);
        plan.set_rate(crate::quota::Pool::LambdaControl, 10.0);
        let ctx = CallContext::new(
            plan,
            Permits::new(2, None),
            RetryPolicy::default(),
            None,
            sprawl_redact::FingerprintKey::from_bytes([0; 32]),
        );
        let sent = Arc::new(std::sync::Mutex::new(Vec::new()));
        let calls = (0..12).map(|i| {
            let sent = sent.clone();
            let ctx = &ctx;
            async move {
                ctx.call(&crate::ops::LIST_ALIASES, "eu-west-1", move || {
                    let sent = sent.clone();
                    async move {
                        sent.lock().unwrap().push(Instant::now());
                        // The first two sit at the endpoint for a second.
                        if i < 2 {
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                        Answer::Ok(())
                    }
                })
                .await
            }
        });
        let answers = futures::future::join_all(calls).await;
        assert!(answers.iter().all(Result::is_ok));
        let mut at = sent.lock().unwrap().clone();
        at.sort();
        let gaps: Vec<Duration> = at.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(
            gaps.iter().all(|g| *g >= Duration::from_millis(100)),
            "sends closer than the pace: {gaps:?}"
        );
    }

    /// Issue 26 (21): a scan of two regions of unequal size (1,735 and 667 functions), each
    /// function's GetFunction beside its GetPolicy then GetFunctionUrlConfig, 32 functions at
    /// once per region, every call 150 ms at the endpoint (a quota proxy's and an emulator's),
    /// 16 calls in flight for the account (before calls that waited for a permit stopped taking
    /// a fresh rate slot each, this took 1.42x: the GetFunction calls held the permits and the
    /// 15/s pools' slots went by unused):
    /// the scan ends within 1.1x its floor (the larger region's 15/s pools). Simulated in paused
    /// time, so it measures the pacing, not the machine.
    #[tokio::test(start_paused = true)]
    async fn unequal_regions_keep_the_bottleneck_pools_busy() {
        use futures::StreamExt;
        let ctx = CallContext::new(
            QuotaPlan::scaled(1.0),
            Permits::new(16, None),
            RetryPolicy::default(),
            None,
            sprawl_redact::FingerprintKey::from_bytes([0; 32]),
        );
        let at_endpoint = || async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            Answer::Ok(())
        };
        let region = |name: &'static str, n: usize| {
            let ctx = &ctx;
            futures::stream::iter(0..n)
                .map(move |_| async move {
                    let (a, b) = tokio::join!(
                        ctx.call(&crate::ops::GET_FUNCTION, name, at_endpoint),
                        async {
                            let p = ctx.call(&crate::ops::GET_POLICY, name, at_endpoint).await;
                            let u = ctx
                                .call(&crate::ops::GET_FUNCTION_URL_CONFIG, name, at_endpoint)
                                .await;
                            p.and(u)
                        }
                    );
                    a.and(b).is_ok()
                })
                .buffer_unordered(32)
                .collect::<Vec<bool>>()
        };
        let start = Instant::now();
        let (a, b) = tokio::join!(region("us-east-1", 1735), region("eu-west-1", 667));
        assert!(a.iter().chain(&b).all(|ok| *ok));
        let floor = Duration::from_secs_f64(1735.0 / 15.0);
        let took = start.elapsed();
        eprintln!(
            "took {took:?}, floor {floor:?}: {:.2}x",
            took.as_secs_f64() / floor.as_secs_f64()
        );
        assert!(
            took.as_secs_f64() <= floor.as_secs_f64() * 1.1,
            "took {took:?} against a floor of {floor:?}"
        );
    }
}
