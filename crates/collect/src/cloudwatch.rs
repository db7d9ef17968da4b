//! CloudWatch and CloudWatch Logs: what the region's functions do, beside how they are set up.
//!
//! Free and on by default: each function's log group (DescribeLogGroups, the `/aws/lambda/`
//! groups in pages of 50) and the alarms on its `AWS/Lambda` metrics (DescribeAlarms, 100 a
//! page). Opt-in (`--metrics`), because AWS bills it at $0.01 per 1,000 metrics requested: seven
//! daily metrics per function over a window, 500 metrics a GetMetricData call (the percentile in
//! calls of its own).

use std::collections::HashMap;

use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, StateValue};
use aws_smithy_types::DateTime;

use super::call::CallContext;
use super::ops::{DESCRIBE_ALARMS, DESCRIBE_LOG_GROUPS, GET_METRIC_DATA};
use sprawl_model::{Activity, Alarm, Detail, Failure, Function, LogGroup, ProgressEvent, Series};

/// Lambda's default log groups share this prefix; one listing of it finds them all.
pub const LAMBDA_LOG_PREFIX: &str = "/aws/lambda/";

/// The metrics read per function, `(metric, statistic)`, in [`Activity`]'s order.
pub const METRICS: [(&str, &str); 6] = [
    ("Invocations", "Sum"),
    ("Errors", "Sum"),
    ("Throttles", "Sum"),
    ("Duration", "Sum"),
    ("Duration", "Maximum"),
    ("ConcurrentExecutions", "Maximum"),
];

/// Percentiles, read in calls of their own: CloudWatch computes them from the raw samples, and a
/// percentile it (or an emulator) cannot give must not cost the other metrics.
pub const PERCENTILES: [(&str, &str); 1] = [("Duration", "p99")];

/// Metrics requested (and billed) per function.
pub const METRICS_PER_FUNCTION: usize = METRICS.len() + PERCENTILES.len();

/// GetMetricData takes at most 500 metrics a call.
pub const METRICS_PER_CALL: usize = 500;

/// Functions whose [`METRICS`] fit in one call.
pub const FUNCTIONS_PER_CALL: usize = METRICS_PER_CALL / METRICS.len();

/// Functions whose [`PERCENTILES`] fit in one call.
pub const FUNCTIONS_PER_PERCENTILE_CALL: usize = METRICS_PER_CALL / PERCENTILES.len();

/// What CloudWatch bills per metric requested through GetMetricData (us-east-1's list price).
pub const USD_PER_METRIC: f64 = 0.01 / 1000.0;

/// The window of `--metrics`: whole UTC days, ending before the day the scan runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricsWindow {
    pub days: u16,
    /// Midnight UTC of the scan's day, in seconds since the epoch (the window's end).
    pub end_epoch: i64,
}

impl MetricsWindow {
    pub const DEFAULT_DAYS: u16 = 90;
    /// CloudWatch keeps daily (hour-resolution) data for 455 days.
    pub const MAX_DAYS: u16 = 455;

    /// A `days`-long window ending at the start of `now`'s UTC day.
    pub fn ending(now: chrono::DateTime<chrono::Utc>, days: u16) -> MetricsWindow {
        let midnight = now.timestamp() - now.timestamp().rem_euclid(86_400);
        MetricsWindow {
            days,
            end_epoch: midnight,
        }
    }

    pub fn start_epoch(&self) -> i64 {
        self.end_epoch - i64::from(self.days) * 86_400
    }

    /// The window's first day, `YYYY-MM-DD`.
    pub fn start_date(&self) -> String {
        chrono::DateTime::from_timestamp(self.start_epoch(), 0)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }
}

/// What reading `functions` functions' metrics costs: calls, metrics requested, US dollars.
pub fn metrics_cost(functions: usize) -> (usize, usize, f64) {
    let metrics = functions * METRICS_PER_FUNCTION;
    let calls =
        functions.div_ceil(FUNCTIONS_PER_CALL) + functions.div_ceil(FUNCTIONS_PER_PERCENTILE_CALL);
    (calls, metrics, metrics as f64 * USD_PER_METRIC)
}

/// The region's Lambda log groups, by name (or why they could not be listed).
pub async fn lambda_log_groups(
    ctx: &CallContext,
    client: &aws_sdk_cloudwatchlogs::Client,
    region: &str,
) -> Result<HashMap<String, LogGroup>, Failure> {
    log_groups_named(ctx, client, region, LAMBDA_LOG_PREFIX).await
}

async fn log_groups_named(
    ctx: &CallContext,
    client: &aws_sdk_cloudwatchlogs::Client,
    region: &str,
    prefix: &str,
) -> Result<HashMap<String, LogGroup>, Failure> {
    let listing = ctx
        .paginate(
            &DESCRIBE_LOG_GROUPS,
            region,
            |token| {
                client
                    .describe_log_groups()
                    .log_group_name_prefix(prefix)
                    .limit(50)
                    .set_next_token(token)
                    .send()
            },
            |out| (out.log_groups.unwrap_or_default(), out.next_token),
        )
        .await;
    if let Some(f) = listing.failure {
        return Err(f);
    }
    Ok(listing
        .items
        .into_iter()
        .filter_map(|g| {
            let name = g.log_group_name()?.to_string();
            Some((
                name.clone(),
                LogGroup {
                    name,
                    retention_days: g.retention_in_days(),
                    kms_key_id: g.kms_key_id().map(str::to_string),
                    stored_bytes: g.stored_bytes(),
                },
            ))
        })
        .collect())
}

/// Gives each function its log group: from the region's listing, or, for a function that logs to
/// a group outside `/aws/lambda/`, from a listing of that name.
pub async fn attach_log_groups(
    ctx: &CallContext,
    client: &aws_sdk_cloudwatchlogs::Client,
    region: &str,
    functions: &mut [Function],
    listed: Result<HashMap<String, LogGroup>, Failure>,
) {
    // Each group outside the prefix listed once, however many functions log to it.
    let mut own: HashMap<String, Result<HashMap<String, LogGroup>, Failure>> = HashMap::new();
    for f in functions.iter_mut() {
        let name = f.log_group_name();
        let groups = if name.starts_with(LAMBDA_LOG_PREFIX) {
            &listed
        } else {
            if !own.contains_key(&name) {
                let read = log_groups_named(ctx, client, region, &name).await;
                own.insert(name.clone(), read);
            }
            &own[&name]
        };
        f.logs = match groups {
            Ok(groups) => Detail::collected(groups.get(&name).cloned()),
            Err(failure) => Detail::failed(failure),
        };
    }
}

/// The region's metric alarms on `AWS/Lambda` metrics, by function name.
pub async fn lambda_alarms(
    ctx: &CallContext,
    client: &aws_sdk_cloudwatch::Client,
    region: &str,
) -> Result<HashMap<String, Vec<Alarm>>, Failure> {
    let listing = ctx
        .paginate(
            &DESCRIBE_ALARMS,
            region,
            |token| {
                client
                    .describe_alarms()
                    .alarm_types(aws_sdk_cloudwatch::types::AlarmType::MetricAlarm)
                    .max_records(100)
                    .set_next_token(token)
                    .send()
            },
            |out| (out.metric_alarms.unwrap_or_default(), out.next_token),
        )
        .await;
    if let Some(f) = listing.failure {
        return Err(f);
    }
    let mut by_function: HashMap<String, Vec<Alarm>> = HashMap::new();
    for a in listing.items {
        // The alarm's own metric, and those of a metric-math alarm.
        let own = (a.namespace(), a.metric_name(), a.dimensions());
        let queried = a.metrics().iter().filter_map(|q| {
            let m = q.metric_stat()?.metric()?;
            Some((m.namespace(), m.metric_name(), m.dimensions()))
        });
        let notifies = a.actions_enabled().unwrap_or(true) && !a.alarm_actions().is_empty();
        for (namespace, metric, dimensions) in std::iter::once(own).chain(queried) {
            if namespace != Some("AWS/Lambda") {
                continue;
            }
            let Some(function) = dimensions
                .iter()
                .find(|d| d.name() == Some("FunctionName"))
                .and_then(|d| d.value())
            else {
                continue;
            };
            let alarm = Alarm {
                name: a.alarm_name().unwrap_or_default().to_string(),
                metric: metric.unwrap_or_default().to_string(),
                state: a.state_value().map(|s: &StateValue| s.as_str().to_string()),
                notifies,
            };
            let list = by_function.entry(function.to_string()).or_default();
            if !list.contains(&alarm) {
                list.push(alarm);
            }
        }
    }
    Ok(by_function)
}

/// Gives each function its alarms.
pub fn attach_alarms(
    functions: &mut [Function],
    listed: &Result<HashMap<String, Vec<Alarm>>, Failure>,
) {
    for f in functions.iter_mut() {
        f.alarms = match listed {
            Ok(by_function) => {
                Detail::collected(by_function.get(&f.name).cloned().unwrap_or_default())
            }
            Err(failure) => Detail::failed(failure),
        };
    }
}

/// Reads the functions' daily metrics over `window`, 71 functions a call, and gives each its
/// [`Activity`]. Tells the progress listener the cost before the first call.
pub async fn attach_activity(
    ctx: &CallContext,
    client: &aws_sdk_cloudwatch::Client,
    region: &str,
    functions: &mut [Function],
    window: MetricsWindow,
) {
    if functions.is_empty() {
        return;
    }
    let (calls, metrics, usd) = metrics_cost(functions.len());
    ctx.emit(ProgressEvent::Billed {
        region: region.to_string(),
        operation: GET_METRIC_DATA.name,
        calls: calls as u64,
        metrics: metrics as u64,
        usd,
    });
    let names: Vec<&str> = functions.iter().map(|f| f.name.as_str()).collect();
    let core = futures::future::join_all(
        names
            .chunks(FUNCTIONS_PER_CALL)
            .map(|chunk| daily(ctx, client, region, chunk, &METRICS, window)),
    );
    let percentiles = futures::future::join_all(
        names
            .chunks(FUNCTIONS_PER_PERCENTILE_CALL)
            .map(|chunk| daily(ctx, client, region, chunk, &PERCENTILES, window)),
    );
    let (core, percentiles) = tokio::join!(core, percentiles);
    let p99: Vec<Detail<Series>> = percentiles
        .into_iter()
        .zip(names.chunks(FUNCTIONS_PER_PERCENTILE_CALL))
        .flat_map(|(read, chunk)| match read {
            Ok(per_function) => per_function
                .into_iter()
                .map(|[s]| Detail::collected(s))
                .collect::<Vec<_>>(),
            Err(f) => chunk.iter().map(|_| Detail::failed(&f)).collect(),
        })
        .collect();
    let core: Vec<Result<[Series; 6], Failure>> = core
        .into_iter()
        .zip(names.chunks(FUNCTIONS_PER_CALL))
        .flat_map(|(read, chunk)| match read {
            Ok(per_function) => per_function.into_iter().map(Ok).collect::<Vec<_>>(),
            Err(f) => chunk.iter().map(|_| Err(f.clone())).collect(),
        })
        .collect();
    for ((f, core), p99) in functions.iter_mut().zip(core).zip(p99) {
        f.activity = match core {
            Ok([invocations, errors, throttles, sum, max, concurrency]) => {
                Detail::collected(Activity {
                    start: window.start_date(),
                    days: window.days,
                    invocations,
                    errors,
                    throttles,
                    duration_sum_ms: sum,
                    duration_max_ms: max,
                    duration_p99_ms: p99,
                    concurrency_max: concurrency,
                })
            }
            Err(failure) => Detail::failed(&failure),
        };
    }
}

/// One GetMetricData read (followed to its last page): `metrics` daily for each of `functions`,
/// in their order.
async fn daily<const N: usize>(
    ctx: &CallContext,
    client: &aws_sdk_cloudwatch::Client,
    region: &str,
    functions: &[&str],
    metrics: &[(&str, &str); N],
    window: MetricsWindow,
) -> Result<Vec<[Series; N]>, Failure> {
    let queries: Vec<MetricDataQuery> = functions
        .iter()
        .enumerate()
        .flat_map(|(i, name)| {
            metrics.iter().enumerate().map(move |(k, (metric, stat))| {
                MetricDataQuery::builder()
                    .id(format!("f{i}m{k}"))
                    .metric_stat(
                        MetricStat::builder()
                            .metric(
                                Metric::builder()
                                    .namespace("AWS/Lambda")
                                    .metric_name(*metric)
                                    .dimensions(
                                        Dimension::builder()
                                            .name("FunctionName")
                                            .value(*name)
                                            .build(),
                                    )
                                    .build(),
                            )
                            .period(86_400)
                            .stat(*stat)
                            .build(),
                    )
                    .return_data(true)
                    .build()
            })
        })
        .collect();
    let (start, end) = (
        DateTime::from_secs(window.start_epoch()),
        DateTime::from_secs(window.end_epoch),
    );
    let listing = ctx
        .paginate(
            &GET_METRIC_DATA,
            region,
            |token| {
                client
                    .get_metric_data()
                    .set_metric_data_queries(Some(queries.clone()))
                    .start_time(start)
                    .end_time(end)
                    .set_next_token(token)
                    .send()
            },
            |out| (out.metric_data_results.unwrap_or_default(), out.next_token),
        )
        .await;
    if let Some(failure) = listing.failure {
        return Err(failure);
    }
    let mut out: Vec<[Vec<(u16, f64)>; N]> = functions
        .iter()
        .map(|_| std::array::from_fn(|_| Vec::new()))
        .collect();
    for r in &listing.items {
        let Some(slot) = r
            .id()
            .and_then(parse_id)
            .and_then(|(i, k)| out.get_mut(i)?.get_mut(k))
        else {
            continue;
        };
        for (t, v) in r.timestamps().iter().zip(r.values()) {
            let day = (t.secs() - window.start_epoch()).div_euclid(86_400);
            if (0..i64::from(window.days)).contains(&day) {
                slot.push((day as u16, *v));
            }
        }
    }
    Ok(out
        .into_iter()
        .map(|per_metric| per_metric.map(Series::from))
        .collect())
}

/// `f{i}m{k}` back to the function's place in its chunk and the metric's in [`METRICS`].
fn parse_id(id: &str) -> Option<(usize, usize)> {
    let (i, k) = id.strip_prefix('f')?.split_once('m')?;
    Some((i.parse().ok()?, k.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2,000 functions in 29 calls (the quota math: 500 metrics a call; 6 a function in 25
    /// calls, the percentile in 4 more) for 14,000 metrics, $0.14.
    #[test]
    fn the_cost_of_metrics_is_known_before_the_calls() {
        let (calls, metrics, usd) = metrics_cost(2000);
        assert_eq!((calls, metrics), (29, 14_000));
        assert!((usd - 0.14).abs() < 1e-9, "{usd}");
        assert_eq!(FUNCTIONS_PER_CALL, 83);
        assert_eq!(parse_id("f70m6"), Some((70, 6)));
    }

    #[test]
    fn the_window_is_whole_days_before_the_scan() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-04T16:30:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let w = MetricsWindow::ending(now, 90);
        assert_eq!(w.start_date(), "2026-09-05");
        assert_eq!(w.end_epoch % 86_400, 0);
    }
}
