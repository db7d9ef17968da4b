//! Lambda runtime lifecycle: for each runtime identifier, the dates AWS publishes on "Lambda
//! runtimes" (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html): deprecation (no more
//! security patches), block function create, block function update. Dates AWS has moved before;
//! keep this table in step with that page. Last checked against it: 2026-11. A `None` date is
//! one AWS has not published (or we could not confirm): the rule then uses the dates it has.

use chrono::NaiveDate;

pub struct Lifecycle {
    pub runtime: &'static str,
    pub deprecated: Option<NaiveDate>,
    pub block_create: Option<NaiveDate>,
    pub block_update: Option<NaiveDate>,
}

const fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

macro_rules! rt {
    ($id:literal, $dep:expr, $create:expr, $update:expr) => {
        Lifecycle {
            runtime: $id,
            deprecated: $dep,
            block_create: $create,
            block_update: $update,
        }
    };
}

/// Known runtimes, newest families first. Runtimes retired long ago keep their dates so a
/// forgotten function on them is still named for what it is.
pub const LIFECYCLES: &[Lifecycle] = &[
    // Node.js
    rt!("nodejs24.x", d(2028, 4, 30), d(2028, 6, 1), d(2028, 7, 1)),
    rt!("nodejs22.x", d(2027, 4, 30), d(2027, 6, 1), d(2027, 7, 1)),
    rt!("nodejs20.x", d(2026, 4, 30), d(2026, 8, 31), d(2026, 9, 30)),
    rt!("nodejs18.x", d(2025, 9, 1), d(2026, 3, 9), d(2026, 4, 1)),
    rt!("nodejs16.x", d(2024, 6, 12), d(2026, 2, 28), d(2026, 3, 31)),
    rt!("nodejs14.x", d(2023, 12, 4), d(2024, 1, 9), d(2026, 2, 28)),
    rt!("nodejs12.x", d(2023, 3, 31), d(2023, 3, 31), d(2023, 4, 30)),
    rt!("nodejs10.x", d(2021, 7, 30), d(2021, 7, 30), d(2022, 2, 14)),
    rt!("nodejs8.10", d(2020, 3, 6), d(2020, 1, 6), d(2020, 2, 3)),
    rt!("nodejs6.10", d(2019, 8, 12), d(2019, 8, 12), d(2019, 8, 12)),
    rt!(
        "nodejs4.3",
        d(2018, 12, 15),
        d(2018, 12, 15),
        d(2018, 12, 15)
    ),
    rt!(
        "nodejs4.3-edge",
        d(2019, 4, 30),
        d(2019, 4, 30),
        d(2019, 4, 30)
    ),
    rt!("nodejs", d(2016, 10, 31), d(2016, 10, 31), d(2016, 10, 31)),
    // Python
    rt!("python3.14", d(2029, 6, 30), d(2029, 7, 31), d(2029, 8, 31)),
    rt!("python3.13", d(2029, 6, 30), d(2029, 7, 31), d(2029, 8, 31)),
    rt!(
        "python3.12",
        d(2028, 10, 31),
        d(2028, 11, 30),
        d(2029, 1, 10)
    ),
    rt!("python3.11", d(2026, 6, 30), d(2026, 7, 31), d(2026, 8, 31)),
    rt!("python3.10", d(2026, 6, 30), d(2026, 7, 31), d(2026, 8, 31)),
    rt!("python3.9", d(2025, 12, 15), d(2026, 8, 31), d(2026, 9, 30)),
    rt!("python3.8", d(2024, 10, 14), d(2026, 2, 28), d(2026, 3, 31)),
    rt!("python3.7", d(2023, 12, 4), d(2024, 1, 9), d(2026, 2, 28)),
    rt!("python3.6", d(2022, 7, 18), d(2022, 7, 18), d(2022, 8, 29)),
    rt!("python2.7", d(2021, 7, 15), d(2021, 7, 15), d(2022, 5, 30)),
    // Java
    rt!("java25", d(2029, 6, 30), d(2029, 7, 31), d(2029, 8, 31)),
    rt!("java21", d(2029, 6, 30), d(2029, 7, 31), d(2029, 8, 31)),
    rt!("java17", d(2026, 6, 30), d(2026, 7, 31), d(2026, 8, 31)),
    rt!("java11", d(2026, 6, 30), d(2026, 7, 31), d(2026, 8, 31)),
    rt!("java8.al2", d(2026, 6, 30), d(2026, 7, 31), d(2026, 8, 31)),
    rt!("java8", d(2024, 1, 8), d(2024, 2, 8), d(2026, 2, 28)),
    // .NET
    rt!("dotnet10", d(2028, 11, 14), d(2028, 12, 14), d(2029, 1, 15)),
    rt!("dotnet8", d(2026, 11, 10), d(2026, 12, 10), d(2027, 1, 11)),
    rt!("dotnet7", d(2024, 5, 14), d(2024, 5, 14), d(2024, 5, 14)),
    rt!("dotnet6", d(2024, 12, 20), d(2026, 2, 28), d(2026, 3, 31)),
    rt!("dotnet5.0", d(2022, 5, 10), d(2022, 5, 10), d(2022, 5, 10)),
    rt!("dotnetcore3.1", d(2023, 4, 3), d(2023, 4, 3), d(2023, 5, 3)),
    rt!(
        "dotnetcore2.1",
        d(2022, 1, 5),
        d(2022, 1, 5),
        d(2022, 4, 13)
    ),
    rt!(
        "dotnetcore2.0",
        d(2019, 5, 30),
        d(2019, 4, 30),
        d(2019, 5, 30)
    ),
    rt!(
        "dotnetcore1.0",
        d(2019, 7, 30),
        d(2019, 6, 27),
        d(2019, 7, 30)
    ),
    // Ruby
    rt!("ruby3.4", d(2028, 3, 31), d(2028, 4, 30), d(2028, 5, 31)),
    rt!("ruby3.3", d(2027, 3, 31), d(2027, 4, 30), d(2027, 5, 31)),
    rt!("ruby3.2", d(2026, 3, 31), d(2026, 8, 31), d(2026, 9, 30)),
    rt!("ruby2.7", d(2023, 12, 7), d(2024, 1, 9), d(2026, 2, 28)),
    rt!("ruby2.5", d(2021, 7, 30), d(2021, 7, 30), d(2022, 3, 31)),
    // OS-only
    rt!(
        "provided.al2023",
        d(2029, 6, 30),
        d(2029, 7, 31),
        d(2029, 8, 31)
    ),
    rt!(
        "provided.al2",
        d(2026, 6, 30),
        d(2026, 7, 31),
        d(2026, 8, 31)
    ),
    rt!("provided", d(2023, 12, 31), d(2024, 1, 8), d(2026, 2, 28)),
    rt!("go1.x", d(2023, 12, 31), d(2024, 1, 8), d(2026, 2, 28)),
];

/// Where a runtime stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Supported,
    /// Deprecation within `days`.
    DeprecatingSoon {
        days: i64,
    },
    Deprecated,
    CreateBlocked,
    UpdateBlocked,
    /// Not in the table (a new runtime, or a typo): nothing is claimed.
    Unknown,
}

/// How many days ahead a coming deprecation is worth a warning.
pub const WARN_DAYS: i64 = 180;

pub fn lifecycle(runtime: &str) -> Option<&'static Lifecycle> {
    LIFECYCLES.iter().find(|l| l.runtime == runtime)
}

pub fn stage(runtime: &str, today: NaiveDate) -> Stage {
    let Some(l) = lifecycle(runtime) else {
        return Stage::Unknown;
    };
    let past = |d: Option<NaiveDate>| d.is_some_and(|d| d <= today);
    if past(l.block_update) {
        Stage::UpdateBlocked
    } else if past(l.block_create) {
        Stage::CreateBlocked
    } else if past(l.deprecated) {
        Stage::Deprecated
    } else if let Some(dep) = l.deprecated
        && (dep - today).num_days() <= WARN_DAYS
    {
        Stage::DeprecatingSoon {
            days: (dep - today).num_days(),
        }
    } else {
        Stage::Supported
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_follow_the_dates() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(stage("python3.12", day(2026, 11, 23)), Stage::Supported);
        assert_eq!(
            stage("dotnet8", day(2026, 6, 1)),
            Stage::DeprecatingSoon { days: 162 }
        );
        assert_eq!(stage("dotnet8", day(2026, 11, 23)), Stage::Deprecated);
        assert_eq!(stage("python3.9", day(2026, 9, 1)), Stage::CreateBlocked);
        assert_eq!(stage("python3.7", day(2026, 11, 23)), Stage::UpdateBlocked);
        assert_eq!(stage("python9.9", day(2026, 11, 23)), Stage::Unknown);
        let mut seen = std::collections::BTreeSet::new();
        for l in LIFECYCLES {
            assert!(seen.insert(l.runtime), "{} twice", l.runtime);
        }
    }
}
