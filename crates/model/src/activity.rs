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
///
/// Held packed, since an organization's functions carry seven of these over 90 days each
/// (100,000 functions held them in a gigabyte as `(u16, f64)` pairs): per datapoint, the days
/// skipped since the previous one, then the value, each a variable-length integer. A value is
/// mostly a count, so a whole number takes one to four bytes; one with at most two decimals
/// (CloudWatch's milliseconds) is kept as hundredths; anything else as its eight bytes. Every
/// value reads back exactly as it went in, from a snapshot too (serde_json's `float_roundtrip`
/// reads a JSON number back to the same `f64`).
///
/// In a snapshot it is a JSON array: one element per day from the first, the value or `null`
/// for no data (`[904,672,null,12.5]`), or, when most days have none, `[day, value]` pairs
/// (`[[40,1],[75,3]]`, the only form schema 5 files have). Both read back the same.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Series {
    packed: Box<[u8]>,
}

/// How a packed value is kept: the low two bits of its first integer.
const WHOLE: u64 = 0;
const HUNDREDTHS: u64 = 1;
const RAW: u64 = 2;
/// Whole numbers and hundredths are exact in an `f64` below 2^53.
const EXACT_BELOW: f64 = (1u64 << 53) as f64;

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    while let Some(b) = bytes.get(*at) {
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    n
}

fn put_value(out: &mut Vec<u8>, v: f64) {
    let whole = v.trunc() == v && v.is_sign_positive() && v < EXACT_BELOW;
    if whole {
        return put_varint(out, (v as u64) << 2 | WHOLE);
    }
    let cents = (v * 100.0).round();
    if v.is_sign_positive() && cents < EXACT_BELOW && cents / 100.0 == v {
        return put_varint(out, (cents as u64) << 2 | HUNDREDTHS);
    }
    put_varint(out, RAW);
    out.extend_from_slice(&v.to_le_bytes());
}

fn get_value(bytes: &[u8], at: &mut usize) -> f64 {
    let n = get_varint(bytes, at);
    match n & 3 {
        WHOLE => (n >> 2) as f64,
        HUNDREDTHS => (n >> 2) as f64 / 100.0,
        _ => {
            let mut raw = [0u8; 8];
            if let Some(b) = bytes.get(*at..*at + 8) {
                raw.copy_from_slice(b);
            }
            *at += 8;
            f64::from_le_bytes(raw)
        }
    }
}

/// The datapoints of a [`Series`], day by day.
pub struct Points<'a> {
    bytes: &'a [u8],
    at: usize,
    next_day: u32,
}

impl Iterator for Points<'_> {
    type Item = (u16, f64);

    fn next(&mut self) -> Option<(u16, f64)> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let day = self.next_day + get_varint(self.bytes, &mut self.at) as u32;
        let value = get_value(self.bytes, &mut self.at);
        self.next_day = day + 1;
        Some((day as u16, value))
    }
}

/// Packs datapoints as they come, day after day; one out of order is set aside, and the
/// whole sorted at the end.
struct Packer {
    packed: Vec<u8>,
    next_day: u32,
    astray: Vec<(u16, f64)>,
}

thread_local! {
    /// The bytes a [`Packer`] of this thread last packed into, kept for the next: a series is
    /// then allocated once, at its size, rather than grown (an organization's lists read
    /// seven hundred thousand of them).
    static PACKING: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Default for Packer {
    fn default() -> Packer {
        let mut packed = PACKING.take();
        packed.clear();
        Packer {
            packed,
            next_day: 0,
            astray: Vec::new(),
        }
    }
}

impl Packer {
    fn push(&mut self, day: u16, value: f64) {
        let day = u32::from(day);
        if self.astray.is_empty() && day >= self.next_day {
            put_varint(&mut self.packed, u64::from(day - self.next_day));
            put_value(&mut self.packed, value);
            self.next_day = day + 1;
        } else {
            self.astray.push((day as u16, value));
        }
    }

    fn finish(self) -> Series {
        let series = Series {
            packed: Box::from(self.packed.as_slice()),
        };
        // Kept for the next series, unless it grew past what a long window takes.
        if self.packed.capacity() <= 1 << 16 {
            PACKING.set(self.packed);
        }
        if self.astray.is_empty() {
            return series;
        }
        let mut all: Vec<(u16, f64)> = series.points().chain(self.astray).collect();
        // Stable: of two on one day, the first is kept.
        all.sort_by_key(|(d, _)| *d);
        all.dedup_by_key(|(d, _)| *d);
        let mut again = Packer::default();
        for (d, v) in all {
            again.push(d, v);
        }
        again.finish()
    }
}

impl FromIterator<(u16, f64)> for Series {
    /// The datapoints in any order; of two on one day, the first is kept.
    fn from_iter<I: IntoIterator<Item = (u16, f64)>>(points: I) -> Series {
        let mut packer = Packer::default();
        for (d, v) in points {
            packer.push(d, v);
        }
        packer.finish()
    }
}

impl From<Vec<(u16, f64)>> for Series {
    fn from(points: Vec<(u16, f64)>) -> Series {
        points.into_iter().collect()
    }
}

impl std::fmt::Debug for Series {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.points()).finish()
    }
}

impl Series {
    /// The days that had data, in order, with their values.
    pub fn points(&self) -> Points<'_> {
        Points {
            bytes: &self.packed,
            at: 0,
            next_day: 0,
        }
    }

    /// Sets day `day`'s value, whether it had data or not (the series is packed again: a
    /// builder of many days collects them instead).
    pub fn set(&mut self, day: u16, value: f64) {
        *self = std::iter::once((day, value)).chain(self.points()).collect();
    }

    /// How many days had data.
    pub fn len(&self) -> usize {
        self.points().count()
    }

    pub fn is_empty(&self) -> bool {
        self.packed.is_empty()
    }

    /// The sum over the window, or `None` when no day had data.
    pub fn total(&self) -> Option<f64> {
        (!self.is_empty()).then(|| self.points().map(|(_, v)| v).sum())
    }

    /// The largest daily value, or `None` when no day had data.
    pub fn max(&self) -> Option<f64> {
        self.points().map(|(_, v)| v).reduce(f64::max)
    }

    /// The value of day `day`, if it had data.
    pub fn on(&self, day: u16) -> Option<f64> {
        self.points()
            .take_while(|(d, _)| *d <= day)
            .find(|(d, _)| *d == day)
            .map(|(_, v)| v)
    }

    /// Every day of a `days`-long window, `None` where there was no data.
    pub fn daily(&self, days: u16) -> Vec<Option<f64>> {
        let mut out = vec![None; days as usize];
        for (d, v) in self.points() {
            if let Some(slot) = out.get_mut(d as usize) {
                *slot = Some(v);
            }
        }
        out
    }
}

/// A value as JSON writes it best: a whole number without its `.0`.
struct Number(f64);

impl Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.trunc() == v && v.abs() < EXACT_BELOW {
            if v.is_sign_negative() && v != 0.0 {
                s.serialize_i64(v as i64)
            } else {
                s.serialize_u64(v as u64)
            }
        } else {
            s.serialize_f64(v)
        }
    }
}

impl Serialize for Series {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let (count, last) = self
            .points()
            .fold((0usize, 0usize), |(n, _), (d, _)| (n + 1, d as usize));
        // A day each while at least half the days up to the last had data; pairs otherwise.
        let dense = count * 2 > last;
        if dense {
            let mut seq = s.serialize_seq(Some(if count == 0 { 0 } else { last + 1 }))?;
            let mut day = 0usize;
            for (d, v) in self.points() {
                while day < d as usize {
                    seq.serialize_element(&None::<Number>)?;
                    day += 1;
                }
                seq.serialize_element(&Number(v))?;
                day += 1;
            }
            seq.end()
        } else {
            let mut seq = s.serialize_seq(Some(count))?;
            for (d, v) in self.points() {
                seq.serialize_element(&(d, Number(v)))?;
            }
            seq.end()
        }
    }
}

thread_local! {
    /// Set while [`without_series`] runs its reader on this thread.
    static WITHOUT_SERIES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `read` on this thread with every [`Series`] it deserializes checked as JSON and left
/// empty rather than read: for a reader that needs what a function's activity comes to, which
/// the assessment keeps, and none of its days. An organization's lists read each account this
/// way; the series were most of the parsing. What `read` returns must not be taken for the
/// functions' activity: each window is there (its start and length), its days are not.
pub fn without_series<T>(read: impl FnOnce() -> T) -> T {
    /// Puts back what was set before, however `read` ends.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            WITHOUT_SERIES.set(self.0);
        }
    }
    let _restore = Restore(WITHOUT_SERIES.replace(true));
    read()
}

impl<'de> Deserialize<'de> for Series {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Series, D::Error> {
        if WITHOUT_SERIES.get() {
            serde::de::IgnoredAny::deserialize(d)?;
            return Ok(Series::default());
        }
        /// One element: a day's value, no data, or a `[day, value]` pair. Read by what the
        /// next token is, never buffered (serde's untagged enums buffer every element).
        enum Element {
            Value(Option<f64>),
            Pair(u16, f64),
        }
        impl<'de> Deserialize<'de> for Element {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Element, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = Element;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a number, null, or a [day, value] pair")
                    }
                    fn visit_unit<E>(self) -> Result<Element, E> {
                        Ok(Element::Value(None))
                    }
                    fn visit_none<E>(self) -> Result<Element, E> {
                        Ok(Element::Value(None))
                    }
                    fn visit_u64<E>(self, v: u64) -> Result<Element, E> {
                        Ok(Element::Value(Some(v as f64)))
                    }
                    fn visit_i64<E>(self, v: i64) -> Result<Element, E> {
                        Ok(Element::Value(Some(v as f64)))
                    }
                    fn visit_f64<E>(self, v: f64) -> Result<Element, E> {
                        Ok(Element::Value(Some(v)))
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(
                        self,
                        mut seq: A,
                    ) -> Result<Element, A::Error> {
                        use serde::de::Error;
                        let day: u16 = seq
                            .next_element()?
                            .ok_or_else(|| A::Error::invalid_length(0, &self))?;
                        let value: f64 = seq
                            .next_element()?
                            .ok_or_else(|| A::Error::invalid_length(1, &self))?;
                        if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                            return Err(A::Error::invalid_length(3, &self));
                        }
                        Ok(Element::Pair(day, value))
                    }
                }
                d.deserialize_any(V)
            }
        }
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Series;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a daily series: an array of values (null: no data) or [day, value] pairs",
                )
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Series, A::Error> {
                let mut points = Packer::default();
                let mut day: u32 = 0;
                while let Some(e) = seq.next_element::<Element>()? {
                    match e {
                        Element::Value(Some(v)) => points.push(day as u16, v),
                        Element::Value(None) => {}
                        Element::Pair(d, v) => {
                            points.push(d, v);
                            day = u32::from(d);
                        }
                    }
                    day += 1;
                    if day > u32::from(u16::MAX) + 1 {
                        return Err(serde::de::Error::custom(
                            "a daily series longer than 65,536 days",
                        ));
                    }
                }
                Ok(points.finish())
            }
        }
        d.deserialize_seq(Visitor)
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
    /// A window of `days` from `start` with its seven series, in the order the fields are:
    /// invocations, errors, throttles, duration sum, duration maximum, duration p99 (collected),
    /// concurrency.
    pub fn of_series(start: String, days: u16, series: [Series; 7]) -> Activity {
        let [invocations, errors, throttles, sum, max, p99, concurrency] = series;
        Activity {
            start,
            days,
            invocations,
            errors,
            throttles,
            duration_sum_ms: sum,
            duration_max_ms: max,
            duration_p99_ms: Detail::collected(p99),
            concurrency_max: concurrency,
        }
    }

    /// The last day with an invocation (counted from `start`), or `None`: not invoked in the
    /// window.
    pub fn last_invoked_day(&self) -> Option<u16> {
        self.invocations
            .points()
            .filter(|(_, v)| *v > 0.0)
            .map(|(d, _)| d)
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
        beside(&self.invocations, &self.throttles)
            .filter_map(|(d, invocations, t)| {
                let attempts = t + invocations.unwrap_or(0.0);
                (attempts >= min && t > share * attempts).then_some((d, attempts, t))
            })
            .collect()
    }
}

fn ratio_days(base: &Series, part: &Series, share: f64, min: f64) -> Vec<(u16, f64, f64)> {
    beside(base, part)
        .filter_map(|(d, b, p)| {
            let b = b?;
            (b >= min && p > share * b).then_some((d, b, p))
        })
        .collect()
}

/// Each day of `part` with its value and `base`'s that day (`None`: no data), walking both in
/// day order at once.
fn beside<'a>(
    base: &'a Series,
    part: &'a Series,
) -> impl Iterator<Item = (u16, Option<f64>, f64)> + 'a {
    let mut base = base.points().peekable();
    part.points().map(move |(d, p)| {
        while base.next_if(|(b, _)| *b < d).is_some() {}
        let b = base.next_if(|(b, _)| *b == d).map(|(_, v)| v);
        (d, b, p)
    })
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
            invocations: Series::from(invocations.to_vec()),
            errors: Series::from(errors.to_vec()),
            throttles: Series::from(throttles.to_vec()),
            duration_sum_ms: Series::default(),
            duration_max_ms: Series::default(),
            duration_p99_ms: Detail::collected(Series::default()),
            concurrency_max: Series::default(),
        }
    }

    /// Every value reads back exactly, packed and through JSON: counts, CloudWatch's
    /// hundredths, and values with more decimals than that (kept whole).
    #[test]
    fn series_keep_every_value_exactly() {
        let values = [
            0.0,
            1.0,
            904.0,
            12_345.67,
            0.01,
            0.1 + 0.2,
            1.0 / 3.0,
            1e300,
            -2.5,
            9_007_199_254_740_991.0,
            123_456_789.99,
        ];
        let points: Vec<(u16, f64)> = values
            .iter()
            .enumerate()
            .map(|(d, v)| (d as u16 * 3, *v))
            .collect();
        let s = Series::from(points.clone());
        assert_eq!(s.points().collect::<Vec<_>>(), points);
        let json = serde_json::to_string(&s).unwrap();
        let back: Series = serde_json::from_str(&json).unwrap();
        assert_eq!(back.points().collect::<Vec<_>>(), points, "{json}");
        assert_eq!(s.on(6), Some(904.0));
        assert_eq!(s.on(7), None);
        assert_eq!((s.len(), s.max()), (values.len(), Some(1e300)));
    }

    /// A series with data most days is written a value per day, `null` for a day without (and
    /// whole numbers without `.0`); one with data on few days as `[day, value]` pairs. Both,
    /// and the pairs schema 5 wrote (`[0, 904.0]`), read back alike.
    #[test]
    fn series_are_written_densely_or_as_pairs_and_read_in_either_form() {
        let busy = Series::from(vec![(0, 904.0), (1, 672.0), (3, 12.5)]);
        assert_eq!(serde_json::to_string(&busy).unwrap(), "[904,672,null,12.5]");
        let rare = Series::from(vec![(40, 1.0), (75, 3.0)]);
        assert_eq!(serde_json::to_string(&rare).unwrap(), "[[40,1],[75,3]]");
        assert_eq!(serde_json::to_string(&Series::default()).unwrap(), "[]");
        let old: Series = serde_json::from_str("[[0,904.0],[1,672.0],[3,12.5]]").unwrap();
        assert_eq!(old, busy);
        let dense: Series = serde_json::from_str("[904,672,null,12.5]").unwrap();
        assert_eq!(dense, busy);
        for bad in [
            "[[1]]",
            "[\"a\"]",
            "[[1,2,3]]",
            "{}",
            "[[1.5,2]]",
            "[[-1,2]]",
            "[true]",
        ] {
            assert!(serde_json::from_str::<Series>(bad).is_err(), "{bad}");
        }
        // Read from a JSON value too, and every number as the standard parser reads it.
        let v: Series = serde_json::from_value(serde_json::json!([1, null, 2.5])).unwrap();
        assert_eq!(v.points().collect::<Vec<_>>(), vec![(0, 1.0), (2, 2.5)]);
        for text in [
            "12.34",
            "0.07",
            "9.9",
            "123456789012.99",
            "1e3",
            "2.5e-3",
            "0.123",
            "-4.25",
            "9007199254740993",
        ] {
            let s: Series = serde_json::from_str(&format!("[{text}]")).unwrap();
            assert_eq!(s.on(0), Some(text.parse::<f64>().unwrap()), "{text}");
        }
    }

    /// Datapoints out of order are sorted; of two on one day, the first is kept.
    #[test]
    fn series_sort_their_days() {
        let s = Series::from(vec![(5, 1.0), (2, 2.0), (5, 3.0), (9, 4.0), (0, 5.0)]);
        assert_eq!(
            s.points().collect::<Vec<_>>(),
            vec![(0, 5.0), (2, 2.0), (5, 1.0), (9, 4.0)]
        );
        let mut t = s.clone();
        t.set(5, 7.0);
        assert_eq!(t.on(5), Some(7.0));
        assert_eq!(t.len(), 4);
    }

    /// Ninety days of counts and hundredths take about three bytes a day, not sixteen.
    #[test]
    fn series_are_packed() {
        let counts = Series::from(
            (0..90)
                .map(|d| (d, f64::from(d) * 37.0))
                .collect::<Vec<_>>(),
        );
        let millis = Series::from(
            (0..90)
                .map(|d| (d, 40_000.0 + f64::from(d) * 12.34))
                .collect::<Vec<_>>(),
        );
        assert!(counts.packed.len() <= 3 * 90, "{}", counts.packed.len());
        assert!(millis.packed.len() <= 5 * 90, "{}", millis.packed.len());
        assert_eq!(millis.on(89), Some(40_000.0 + 89.0 * 12.34));
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
