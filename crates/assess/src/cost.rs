//! An estimate of what a function costs a month, from its metrics (`scan --metrics`).
//!
//! Requests and compute (GB-seconds by architecture) at Lambda's us-east-1 list prices, the
//! window's totals scaled to 30 days. It leaves out the free tier, init (cold start) billing,
//! provisioned concurrency (not collected), ephemeral storage above 512 MB, data transfer and
//! everything the function calls (logs ingestion among them): a floor, said to be an estimate.

use sprawl_model::Function;

/// US dollars per request.
pub const USD_PER_REQUEST: f64 = 0.20 / 1_000_000.0;
/// US dollars per GB-second on x86_64.
pub const USD_PER_GB_SECOND_X86: f64 = 0.000_016_666_7;
/// US dollars per GB-second on arm64 (Graviton).
pub const USD_PER_GB_SECOND_ARM: f64 = 0.000_013_333_4;

/// US dollars per GB-second of provisioned concurrency kept warm, on x86_64 and on arm64.
pub const USD_PER_PROVISIONED_GB_SECOND_X86: f64 = 0.000_004_166_7;
pub const USD_PER_PROVISIONED_GB_SECOND_ARM: f64 = 0.000_003_333_4;

/// Seconds in the 30-day month the estimate is for.
const MONTH_SECONDS: f64 = 30.0 * 86_400.0;

/// What the estimate leaves out, for every place that shows one.
pub const LEAVES_OUT: &str = "estimate: requests, compute and provisioned concurrency at us-east-1 list prices; leaves out the free tier, init billing, data transfer and what the function calls";

/// A function's estimated monthly cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthlyCost {
    pub invocations: f64,
    pub gb_seconds: f64,
    /// Of `usd`, what its provisioned concurrency costs, invoked or not.
    pub provisioned_usd: f64,
    pub usd: f64,
}

/// The estimate, or `None` when the metrics were not read.
pub fn monthly(f: &Function) -> Option<MonthlyCost> {
    let a = f.activity.value()?;
    let scale = 30.0 / f64::from(a.days.max(1));
    let invocations = a.invocation_count() * scale;
    let seconds = a.duration_sum_ms.total().unwrap_or(0.0) / 1000.0 * scale;
    let gb_seconds = seconds * f64::from(f.memory_mb.max(0)) / 1024.0;
    let arm = f.architectures.iter().any(|a| a == "arm64");
    let rate = if arm {
        USD_PER_GB_SECOND_ARM
    } else {
        USD_PER_GB_SECOND_X86
    };
    let provisioned_usd = provisioned_monthly(f);
    Some(MonthlyCost {
        invocations,
        gb_seconds,
        provisioned_usd,
        usd: invocations * USD_PER_REQUEST + gb_seconds * rate + provisioned_usd,
    })
}

/// What the function's provisioned concurrency costs a month, kept warm whether invoked or not
/// (nothing counted where it was not read: [`provisioned_unread`] says so).
pub fn provisioned_monthly(f: &Function) -> f64 {
    let rate = if f.architectures.iter().any(|a| a == "arm64") {
        USD_PER_PROVISIONED_GB_SECOND_ARM
    } else {
        USD_PER_PROVISIONED_GB_SECOND_X86
    };
    let allocated: i32 = f
        .provisioned_concurrency
        .value()
        .into_iter()
        .flatten()
        .map(|p| p.allocated.max(0))
        .sum();
    f64::from(allocated) * f64::from(f.memory_mb.max(0)) / 1024.0 * MONTH_SECONDS * rate
}

/// Why the function's provisioned concurrency is not in its estimate, when its read failed.
pub fn provisioned_unread(f: &Function) -> Option<String> {
    match &f.provisioned_concurrency {
        sprawl_model::Detail::Failed { .. } => f
            .provisioned_concurrency
            .require("provisioned concurrency")
            .err(),
        _ => None,
    }
}

/// Dollars for a person: cents below $10, whole dollars above.
pub fn dollars(usd: f64) -> String {
    if usd < 10.0 {
        format!("${usd:.2}")
    } else {
        format!("${usd:.0}")
    }
}
