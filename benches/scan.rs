//! Scale benchmark of `sprawl scan`: seeds moto with an estate of N functions (default 2,000),
//! then scans it twice: straight against the emulator, and through a local proxy that enforces
//! AWS's published per-API quotas and answers `429 TooManyRequestsException` as AWS does.
//!
//! Run: `cargo bench --bench scan` (release), or `cargo bench --bench scan -- --functions 200`.
//! Prints wall time, peak memory, AWS calls per function and per quota pool, and for the proxied
//! run the theoretical minimum (per pool, calls divided by rate; the largest wins) and the number
//! of throttled answers.
//!
//! `-- --metrics` scans with `--metrics` too and prints the GetMetricData calls made against the
//! number the quota math allows (500 metrics a call), the metrics requested and their price.
//!
//! `-- --org A` measures an organization instead: moto's Organizations API with A accounts (the
//! management account and A-1 members, default 20), each seeded with `--functions` (default 100)
//! through credentials from AssumeRole, then `scan --org`'s own code (every account reached by
//! AssumeRole, `--in-flight K` at once and `--concurrency N` calls in flight, by default what
//! `scan --org` takes) twice: straight (the emulator's own throughput for the calls made) and
//! through the proxy, whose quotas are kept per account (by the request's access key, one per
//! assumed session) as AWS keeps them; and, in the same run, one member account alone as `sprawl
//! scan` scans it, through a proxy of its own: the organization's time is reported against it.

#[path = "../tests/it/support/mod.rs"]
mod support;

mod common;

use common::{arg, peak_rss_mb};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use sprawl::collect::aws::SdkClients;
use sprawl::collect::{self, Pool, QuotaPlan, Regions, ScanOptions, ScanResult};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn main() {
    // `cargo test --all-targets` builds this without `--bench`: nothing to run then.
    if !common::benchmarking() {
        return;
    }
    let n: usize = arg("--functions")
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let scale: f64 = arg("--rate-scale")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    if let Some(accounts) = arg("--org").and_then(|s| s.parse::<usize>().ok()) {
        let per: usize = arg("--functions")
            .and_then(|s| s.parse().ok())
            .unwrap_or(100);
        // The defaults `scan --org` takes, unless told.
        let in_flight: usize = arg("--in-flight")
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| sprawl::collect::multi::default_in_flight(accounts));
        let concurrency: usize = arg("--concurrency")
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| sprawl::collect::multi::default_concurrency(in_flight));
        runtime.block_on(organization(
            accounts.max(1),
            per,
            in_flight,
            concurrency,
            scale,
        ));
        return;
    }
    let metrics = std::env::args().any(|a| a == "--metrics");
    runtime.block_on(run(n, scale, metrics));
}

/// An organization of `accounts` accounts of `per` functions, scanned as `scan --org` does.
async fn organization(
    accounts: usize,
    per: usize,
    in_flight: usize,
    concurrency: usize,
    scale: f64,
) {
    use sprawl::collect::multi::{AccountTarget, Reach, role_arn, scan_accounts};
    let moto = support::moto::Moto::start();
    let endpoint = moto.endpoint();
    let a = support::sdk_config(&endpoint, support::seed::REGION_A).await;
    let b = support::sdk_config(&endpoint, support::seed::REGION_B).await;
    let orgs = aws_sdk_organizations::Client::new(&a);
    orgs.create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap();
    let mut ids = vec![MANAGEMENT.to_string()];
    for i in 1..accounts {
        let status = orgs
            .create_account()
            .email(format!("member-{i}@example.com"))
            .account_name(format!("member-{i}"))
            .send()
            .await
            .unwrap();
        ids.push(status.create_account_status.unwrap().account_id.unwrap());
    }
    let t = Instant::now();
    for id in &ids {
        let (a, b) = if id == MANAGEMENT {
            (a.clone(), b.clone())
        } else {
            (
                support::as_account(&a, id).await,
                support::as_account(&b, id).await,
            )
        };
        support::seed::estate(&a, &b, per).await;
    }
    println!(
        "seeded {accounts} accounts x {per} functions in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let targets = |ids: &[String]| -> Vec<AccountTarget> {
        ids.iter()
            .map(|id| AccountTarget {
                info: sprawl::model::AccountInfo {
                    id: id.clone(),
                    ..Default::default()
                },
                reach: if id == MANAGEMENT {
                    Reach::Base
                } else {
                    Reach::AssumeRole {
                        role_arn: role_arn(id, "SprawlScan", "aws"),
                        external_id: None,
                    }
                },
            })
            .collect()
    };
    let scan_some = |ids: Vec<String>,
                     endpoint: String,
                     plan: QuotaPlan,
                     in_flight: usize,
                     concurrency: usize| {
        let targets = targets(&ids);
        async move {
            let base = scan_config(&endpoint).await;
            let options = ScanOptions {
                regions: Regions::Listed(vec![
                    support::seed::REGION_A.into(),
                    support::seed::REGION_B.into(),
                ]),
                plan,
                concurrency,
                ..ScanOptions::default()
            };
            let t = Instant::now();
            let done = scan_accounts(&base, targets, options, in_flight, &|_| {}).await;
            let wall = t.elapsed().as_secs_f64();
            let scans: Vec<ScanResult> = done
                .into_iter()
                .map(|s| s.result.unwrap_or_else(|e| panic!("{}: {e}", s.info.id)))
                .collect();
            (wall, scans)
        }
    };
    let scan_all = |endpoint: String, plan: QuotaPlan| {
        scan_some(ids.clone(), endpoint, plan, in_flight, concurrency)
    };
    // Warm the emulator (moto loads its AWS-managed policies on the first IAM call per account).
    let _ = scan_all(endpoint.clone(), QuotaPlan::scaled(100.0)).await;
    let (straight, scans) = scan_all(endpoint.clone(), QuotaPlan::scaled(100.0)).await;
    let calls: u64 = scans.iter().map(|s| s.stats.total_attempts()).sum();
    let functions: usize = scans.iter().map(|s| s.inventory.functions.len()).sum();
    println!(
        "\n== straight against the emulator, {in_flight} accounts in flight, {concurrency} calls in flight: {straight:.1} s for {functions} functions, {calls} calls ({:.0} calls/s): the emulator's floor",
        calls as f64 / straight
    );

    // One member account alone, as `sprawl scan` would scan it (one account's defaults), through
    // a quota proxy of its own: the time the organization's scan is measured against.
    let plan = QuotaPlan::scaled(scale);
    let alone_proxy = Proxy::start(moto.port).await;
    let (alone, alone_scans) = scan_some(
        vec![ids[ids.len().min(2) - 1].clone()],
        alone_proxy.endpoint(),
        plan.clone(),
        1,
        ScanOptions::default().concurrency,
    )
    .await;
    println!(
        "== one account alone through the quota proxy, --rate-scale {scale}: {alone:.1} s ({} functions, its quota floor {:.1} s)",
        alone_scans[0].inventory.functions.len(),
        alone_scans[0].stats.minimum_seconds(&plan)
    );

    let proxy = Proxy::start(moto.port).await;
    let (wall, scans) = scan_all(proxy.endpoint(), plan.clone()).await;
    let slowest = scans
        .iter()
        .map(|s| s.stats.minimum_seconds(&plan))
        .fold(0.0, f64::max);
    let throttled_seen: u64 = scans.iter().map(|s| s.stats.total_throttled()).sum();
    let floor = slowest.max(straight);
    println!(
        "== through the quota proxy (published quotas per account), --rate-scale {scale}: {wall:.1} s, {:.2}x one account alone (goal: at most 2.0x)",
        wall / alone.max(f64::EPSILON)
    );
    println!(
        "floors: the slowest account's quota floor {slowest:.1} s; the emulator's {straight:.1} s; this scan took {:.2}x the larger (goal: within 1.2x); the proxy answered {} requests with 429 ({throttled_seen} seen by the scans; goal: none)",
        wall / floor.max(f64::EPSILON),
        proxy.throttled.load(Ordering::Relaxed)
    );
    // Where the scans met a throttled answer, if anywhere.
    let mut throttled: std::collections::BTreeMap<(&str, &str), u64> = Default::default();
    for s in &scans {
        for ((pool, region), p) in &s.stats.pools {
            if p.throttled > 0 {
                *throttled.entry((pool.name(), region.as_str())).or_default() += p.throttled;
            }
        }
    }
    for ((pool, region), n) in throttled {
        println!("  throttled: {pool} {region}: {n}");
    }
    println!(
        "peak RSS {:.0} MB (whole process, seeding clients included)",
        peak_rss_mb()
    );
}

/// The management account moto starts with.
const MANAGEMENT: &str = "123456789012";

async fn run(n: usize, scale: f64, metrics: bool) {
    let moto = support::moto::Moto::start();
    let endpoint = moto.endpoint();
    let a = support::sdk_config(&endpoint, support::seed::REGION_A).await;
    let b = support::sdk_config(&endpoint, support::seed::REGION_B).await;
    let t = Instant::now();
    support::seed::estate(&a, &b, n).await;
    println!("seeded {n} functions in {:.1} s", t.elapsed().as_secs_f64());

    // Warm the emulator (moto loads its AWS-managed policies on the first IAM call).
    let _ = scan(&endpoint, QuotaPlan::scaled(100.0), metrics).await;

    println!("\n== straight against the emulator (no quotas; plan scaled x100)");
    let straight = scan(&endpoint, QuotaPlan::scaled(100.0), metrics).await;
    report(&straight, n, None);

    let proxy = Proxy::start(moto.port).await;
    println!("\n== through the quota proxy (published quotas), --rate-scale {scale}");
    let plan = QuotaPlan::scaled(scale);
    let proxied = scan(&proxy.endpoint(), plan.clone(), metrics).await;
    report(
        &proxied,
        n,
        Some((&plan, proxy.throttled.load(Ordering::Relaxed))),
    );
    if metrics {
        metrics_report(&proxied);
    }
}

/// `--metrics`: the GetMetricData calls made against what the quota math allows (500 metrics a
/// call), with the metrics requested and what AWS would bill for them.
fn metrics_report(r: &ScanResult) {
    let made: u64 = r
        .stats
        .pools
        .iter()
        .filter(|((pool, _), _)| *pool == Pool::CloudWatchGetMetricData)
        .map(|(_, p)| p.attempts)
        .sum();
    let mut per_region: HashMap<&str, usize> = HashMap::new();
    for f in &r.inventory.functions {
        *per_region.entry(f.region.as_str()).or_default() += 1;
    }
    let (mut allowed, mut metrics, mut usd) = (0, 0, 0.0);
    for n in per_region.values() {
        let (c, m, d) = collect::cloudwatch::metrics_cost(*n);
        allowed += c;
        metrics += m;
        usd += d;
    }
    let read = r
        .inventory
        .functions
        .iter()
        .filter(|f| f.activity.is_collected())
        .count();
    println!(
        "metrics: {made} GetMetricData calls (the quota math allows {allowed}: 500 metrics a call), {metrics} metrics for {read} functions, about ${usd:.2} at $0.01 per 1,000"
    );
    assert!(
        made as usize <= allowed,
        "{made} calls, more than {allowed}"
    );
}

/// The emulator's configuration as a scan has it: the SDK's own retries off (sprawl retries, and
/// counts each throttled answer, in its own call layer).
async fn scan_config(endpoint: &str) -> aws_config::SdkConfig {
    support::sdk_config(endpoint, support::seed::REGION_A)
        .await
        .to_builder()
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .build()
}

async fn scan(endpoint: &str, plan: QuotaPlan, metrics: bool) -> ScanResult {
    let config = scan_config(endpoint).await;
    let options = ScanOptions {
        regions: Regions::Listed(vec![
            support::seed::REGION_A.into(),
            support::seed::REGION_B.into(),
        ]),
        plan,
        metrics_days: metrics.then_some(collect::cloudwatch::MetricsWindow::DEFAULT_DAYS),
        ..ScanOptions::default()
    };
    collect::scan(Arc::new(SdkClients::new(config)), options, None)
        .await
        .expect("scan")
}

fn report(r: &ScanResult, n: usize, proxied: Option<(&QuotaPlan, u64)>) {
    let s = &r.stats;
    println!(
        "wall {:.1} s, peak RSS {:.0} MB (whole process), {} functions, {} calls ({:.2} per function), {} throttled answers seen by the scan",
        s.elapsed_seconds,
        peak_rss_mb(),
        r.inventory.functions.len(),
        s.total_attempts(),
        s.total_attempts() as f64 / n.max(1) as f64,
        s.total_throttled()
    );
    let mut per_pool: HashMap<&str, u64> = HashMap::new();
    for ((pool, _), p) in &s.pools {
        *per_pool.entry(pool.name()).or_default() += p.attempts;
    }
    let mut pools: Vec<_> = per_pool.into_iter().collect();
    pools.sort();
    for (pool, calls) in pools {
        println!(
            "  {pool:<32} {calls:>7} calls  {:>6.2} per function",
            calls as f64 / n.max(1) as f64
        );
    }
    if let Some((plan, throttled)) = proxied {
        let at_plan = s.minimum_seconds(plan);
        let at_published = s.minimum_seconds(&QuotaPlan::scaled(1.0));
        println!(
            "theoretical minimum {at_published:.1} s at the published quotas, {at_plan:.1} s at the scan's plan; this scan took {:.2}x the latter; the proxy answered {throttled} requests with 429",
            s.elapsed_seconds / at_plan.max(f64::EPSILON)
        );
    }
    if !r.coverage.is_complete() {
        for g in r.coverage.gaps() {
            println!(
                "  gap: {} {} {} ({} failed)",
                g.service, g.region, g.operation, g.failed
            );
        }
    }
}

/// A loopback HTTP proxy in front of moto that enforces the published quotas with token buckets
/// per (pool, region), as AWS does, answering 429 TooManyRequestsException when one is empty.
struct Proxy {
    port: u16,
    throttled: Arc<AtomicU64>,
}

/// Token buckets per (access key, pool, region): an assumed session's key stands for its account.
type Buckets = Arc<Mutex<HashMap<(String, Pool, String), (f64, Instant)>>>;

impl Proxy {
    async fn start(upstream: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let throttled = Arc::new(AtomicU64::new(0));
        let buckets: Buckets = Arc::default();
        let counter = throttled.clone();
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                tokio::spawn(serve(conn, upstream, buckets.clone(), counter.clone()));
            }
        });
        Proxy { port, throttled }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Which quota pools a request draws from, by service (from the signature's credential scope),
/// path and target; the region, and the access key (whose account's quotas apply).
fn pools_of(head: &str, body: &[u8]) -> (Vec<Pool>, String, String) {
    let first = head.lines().next().unwrap_or("");
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or("");
    let path = parts.next().unwrap_or("").split('?').next().unwrap_or("");
    let header = |name: &str| {
        head.lines()
            .find(|l| l.to_ascii_lowercase().starts_with(&format!("{name}:")))
            .map(|l| l[name.len() + 1..].trim().to_string())
            .unwrap_or_default()
    };
    let auth = header("authorization");
    let scope: Vec<&str> = auth
        .split("Credential=")
        .nth(1)
        .unwrap_or("")
        .split(',')
        .next()
        .unwrap_or("")
        .split('/')
        .collect();
    let key = scope.first().unwrap_or(&"").to_string();
    let region = scope.get(2).unwrap_or(&"").to_string();
    let service = *scope.get(3).unwrap_or(&"");
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let pools = match service {
        "lambda" if method == "GET" && segments.len() == 3 && segments[1] == "functions" => {
            vec![Pool::LambdaGetFunction]
        }
        "lambda" if segments.len() == 4 && segments[3] == "policy" => vec![Pool::LambdaGetPolicy],
        "lambda" => vec![Pool::LambdaControl],
        "apigateway" if method == "GET" && path.ends_with("/resources") => {
            vec![Pool::ApiGatewayManagement, Pool::ApiGatewayGetResources]
        }
        "apigateway" => vec![Pool::ApiGatewayManagement],
        "secretsmanager" if header("x-amz-target").ends_with("ListSecrets") => {
            vec![Pool::SecretsManagerList]
        }
        "secretsmanager" => vec![Pool::SecretsManagerResourcePolicy],
        "iam" => vec![Pool::Iam],
        "logs" if header("x-amz-target").ends_with("DescribeSubscriptionFilters") => {
            vec![Pool::LogsDescribeSubscriptionFilters]
        }
        "logs" => vec![Pool::LogsDescribeLogGroups],
        // CloudWatch's query protocol names the action in the body.
        "monitoring" if memchr_find(body, b"Action=GetMetricData") => {
            vec![Pool::CloudWatchGetMetricData]
        }
        "monitoring" => vec![Pool::CloudWatchDescribeAlarms],
        "sns" if memchr_find(body, b"Action=ListSubscriptionsByTopic") => {
            vec![Pool::SnsListSubscriptions]
        }
        "sns" => vec![Pool::SnsGetTopicAttributes],
        // S3 and S3 Control sign as `s3`.
        "s3" => vec![Pool::S3BucketConfiguration],
        "sqs" => vec![Pool::SqsGetQueueAttributes],
        "events" => vec![Pool::EventsDescribe],
        "kinesis" => vec![Pool::KinesisGetResourcePolicy],
        "dynamodb" => vec![Pool::DynamoDbGetResourcePolicy],
        "cognito-idp" => vec![Pool::CognitoUserPoolRead],
        "ses" => vec![Pool::SesReceiptRules],
        "iot" => vec![Pool::IotGetTopicRule],
        "cognito-identity" => vec![Pool::CognitoIdentityRead],
        _ => vec![],
    };
    (pools, region, key)
}

fn memchr_find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Takes a token from every pool's bucket, or none if any is empty.
fn admit(buckets: &Buckets, pools: &[Pool], region: &str, key: &str) -> bool {
    let mut b = buckets.lock().unwrap();
    let now = Instant::now();
    let mut ok = true;
    for &pool in pools {
        let q = pool.published();
        let key_region = if pool.is_regional() { region } else { "global" };
        let (tokens, last) = b
            .entry((key.to_string(), pool, key_region.to_string()))
            .or_insert((q.burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * q.rate).min(q.burst);
        *last = now;
        ok &= *tokens >= 1.0;
    }
    if ok {
        for &pool in pools {
            let key_region = if pool.is_regional() { region } else { "global" };
            b.get_mut(&(key.to_string(), pool, key_region.to_string()))
                .unwrap()
                .0 -= 1.0;
        }
    }
    ok
}

async fn serve(mut conn: TcpStream, upstream: u16, buckets: Buckets, throttled: Arc<AtomicU64>) {
    loop {
        let mut buf = Vec::new();
        let head_end = loop {
            let mut chunk = [0u8; 8192];
            match conn.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(k) => buf.extend_from_slice(&chunk[..k]),
            }
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let length: usize = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-length:"))
            .and_then(|l| l[15..].trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + length {
            let mut chunk = [0u8; 8192];
            match conn.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(k) => buf.extend_from_slice(&chunk[..k]),
            }
        }
        let (pools, region, key) = pools_of(&head, &buf[head_end..head_end + length]);
        if !admit(&buckets, &pools, &region, &key) {
            throttled.fetch_add(1, Ordering::Relaxed);
            let body = r#"{"message":"Rate exceeded","Type":"User"}"#;
            let response = format!(
                "HTTP/1.1 429 Too Many Requests\r\nx-amzn-ErrorType: TooManyRequestsException\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            if conn.write_all(response.as_bytes()).await.is_err() {
                return;
            }
            continue;
        }
        // Forward with a fresh upstream connection that closes after one answer.
        let mut request = Vec::new();
        for line in head[..head_end - 4].split("\r\n") {
            if !line.to_ascii_lowercase().starts_with("connection:") {
                request.extend_from_slice(line.as_bytes());
                request.extend_from_slice(b"\r\n");
            }
        }
        request.extend_from_slice(b"Connection: close\r\n\r\n");
        request.extend_from_slice(&buf[head_end..head_end + length]);
        let Ok(mut up) = TcpStream::connect(("127.0.0.1", upstream)).await else {
            return;
        };
        if up.write_all(&request).await.is_err() {
            return;
        }
        let mut response = Vec::new();
        if up.read_to_end(&mut response).await.is_err() || conn.write_all(&response).await.is_err()
        {
            return;
        }
        // The upstream answer said `Connection: close` (or carries no length): end this one too.
        return;
    }
}
