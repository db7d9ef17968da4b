//! What a function does, not only how it is configured: its CloudWatch Logs group, the alarms
//! that watch it, and (opt-in, billed) its daily metrics over a window.

use serde::{Deserialize, Serialize};

use super::Detail;

/// A function's CloudWatch Logs group, from DescribeLogGroups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogGroup {
    pub name: String,
    /// `None`: the logs never expire.
    pub retention_days: Option<i32>,
    /// The customer-managed KMS key the group is encrypted with; `None`: CloudWatch's own key.
    pub kms_key_id: Option<String>,
    pub stored_bytes: Option<i64>,
}

/// A CloudWatch metric alarm on one of a function's `AWS/Lambda` metrics, from DescribeAlarms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alarm {
    pub name: String,
    /// The metric it watches (`Errors`, `Throttles`, `Invocations`, `Duration`, ...).
    pub metric: String,
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    pub state: Option<String>,
    /// False when the alarm notifies nobody (its actions are disabled or it has none).
    pub notifies: bool,
}

/// The metrics whose alarms count as watching a function for failure or abuse.
pub const WATCHED_METRICS: &[&str] =
    &["Errors", "Throttles", "Invocations", "ConcurrentExecutions"];

/// One metric's daily values over an [`Activity`] window: `(day, value)` for the days that had a
/// datapoint, the day counted from the window's first (0). A day absent is "no data", which is
/// not zero: CloudWatch records Lambda's metrics only for days the function ran.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Series(pub Vec<(u16, f64)>);

impl Series {
    /// The sum over the window, or `None` when no day had data.
    pub fn total(&self) -> Option<f64> {
        (!self.0.is_empty()).then(|| self.0.iter().map(|(_, v)| v).sum())
    }

    /// The largest daily value, or `None` when no day had data.
    pub fn max(&self) -> Option<f64> {
        self.0.iter().map(|(_, v)| *v).reduce(f64::max)
    }

    /// The value of day `day`, if it had data.
    pub fn on(&self, day: u16) -> Option<f64> {
        self.0.iter().find(|(d, _)| *d == day).map(|(_, v)| *v)
    }

    /// Every day of a `days`-long window, `None` where there was no data.
    pub fn daily(&self, days: u16) -> Vec<Option<f64>> {
        let mut out = vec![None; days as usize];
        for (d, v) in &self.0 {
            if let Some(slot) = out.get_mut(*d as usize) {
                *slot = Some(*v);
            }
        }
        out
    }
}

/// A function's daily `AWS/Lambda` metrics over a window, from CloudWatch GetMetricData (opt-in:
/// `--metrics`, billed per metric requested).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// The window's first day (UTC, `YYYY-MM-DD`); it ends before the day of the scan.
    pub start: String,
    pub days: u16,
    /// Invocations, Sum per day.
    pub invocations: Series,
    /// Errors, Sum per day.
    pub errors: Series,
    /// Throttles, Sum per day.
    pub throttles: Series,
    /// Duration in milliseconds, Sum per day (with `invocations`, the average and the billed time).
    pub duration_sum_ms: Series,
    /// Duration in milliseconds, Maximum per day.
    pub duration_max_ms: Series,
    /// Duration in milliseconds, 99th percentile per day: read in calls of its own, so a
    /// percentile CloudWatch (or an emulator) cannot give leaves the rest.
    pub duration_p99_ms: Detail<Series>,
    /// ConcurrentExecutions, Maximum per day.
    pub concurrency_max: Series,
}

impl Activity {
    /// The last day with an invocation (counted from `start`), or `None`: not invoked in the
    /// window.
    pub fn last_invoked_day(&self) -> Option<u16> {
        self.invocations
            .0
            .iter()
            .filter(|(_, v)| *v > 0.0)
            .map(|(d, _)| *d)
            .max()
    }

    /// Invocations over the window (0 when no day had data: Lambda records none for a day it
    /// did not run).
    pub fn invocation_count(&self) -> f64 {
        self.invocations.total().unwrap_or(0.0)
    }

    /// The days whose errors were more than `share` of that day's invocations, with at least
    /// `min` invocations: `(day, invocations, errors)`.
    pub fn error_days(&self, share: f64, min: f64) -> Vec<(u16, f64, f64)> {
        ratio_days(&self.invocations, &self.errors, share, min)
    }

    /// The days whose throttles were more than `share` of the attempts (invocations plus
    /// throttles, since a throttled request is not counted as an invocation), with at least
    /// `min` attempts: `(day, attempts, throttles)`.
    pub fn throttle_days(&self, share: f64, min: f64) -> Vec<(u16, f64, f64)> {
        let attempts = Series(
            self.throttles
                .0
                .iter()
                .map(|(d, t)| (*d, t + self.invocations.on(*d).unwrap_or(0.0)))
                .collect(),
        );
        ratio_days(&attempts, &self.throttles, share, min)
    }
}

fn ratio_days(base: &Series, part: &Series, share: f64, min: f64) -> Vec<(u16, f64, f64)> {
    part.0
        .iter()
        .filter_map(|(d, p)| {
            let b = base.on(*d)?;
            (b >= min && *p > share * b).then_some((*d, b, *p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(
        invocations: &[(u16, f64)],
        errors: &[(u16, f64)],
        throttles: &[(u16, f64)],
    ) -> Activity {
        Activity {
            start: "2026-09-05".into(),
            days: 90,
            invocations: Series(invocations.to_vec()),
            errors: Series(errors.to_vec()),
            throttles: Series(throttles.to_vec()),
            duration_sum_ms: Series::default(),
            duration_max_ms: Series::default(),
            duration_p99_ms: Detail::collected(Series::default()),
            concurrency_max: Series::default(),
        }
    }

    /// No datapoint is "no data", never zero errors; a day with 20 % errors is found, one with
    /// 5 % is not, and a day with too few calls to judge is left alone.
    #[test]
    fn ratios_are_per_day_and_need_data() {
        let a = activity(
            &[(3, 100.0), (4, 100.0), (5, 4.0)],
            &[(3, 20.0), (4, 5.0), (5, 4.0)],
            &[],
        );
        assert_eq!(a.error_days(0.1, 10.0), vec![(3, 100.0, 20.0)]);
        assert_eq!(a.last_invoked_day(), Some(5));
        assert_eq!(a.errors.daily(6)[2], None);
        let t = activity(&[(1, 80.0)], &[], &[(1, 20.0), (2, 3.0)]);
        assert_eq!(t.throttle_days(0.1, 10.0), vec![(1, 100.0, 20.0)]);
        let idle = activity(&[], &[], &[]);
        assert_eq!(
            (idle.last_invoked_day(), idle.invocation_count()),
            (None, 0.0)
        );
        assert_eq!(idle.errors.total(), None);
    }
}
