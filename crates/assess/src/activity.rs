//! Reading a function's activity (its daily metrics) for people: days as dates, the last
//! invocation, and a sparkline of a series.

use sprawl_model::{Activity, Function, Series};

/// A day of the window as a date (`YYYY-MM-DD`).
pub fn date_of(a: &Activity, day: u16) -> String {
    chrono::NaiveDate::parse_from_str(&a.start, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(day))))
        .map_or_else(|| format!("day {day}"), |d| d.to_string())
}

/// The date of the last invocation in the window, or `None`: not invoked in it.
pub fn last_invoked(a: &Activity) -> Option<String> {
    a.last_invoked_day().map(|d| date_of(a, d))
}

/// Whether the function is idle as of `now`: its metrics were read, nothing invoked it in the
/// whole window, and it was last changed before the window began (one deployed since may be
/// new). `None` when the metrics were not read.
pub fn is_idle(f: &Function, now: chrono::DateTime<chrono::Utc>) -> Option<bool> {
    let a = f.activity.value()?;
    let age = f
        .last_modified
        .as_deref()
        .and_then(crate::time::parse_time)
        .map(|t| (now - t).num_days());
    Some(a.last_invoked_day().is_none() && age.is_some_and(|d| d >= i64::from(a.days)))
}

/// What the function's runtime evidence comes to as of `now`, or `None` when its metrics were
/// not read: the figures a list shows (see [`crate::report::Usage`]).
pub fn usage(f: &Function, now: chrono::DateTime<chrono::Utc>) -> Option<crate::report::Usage> {
    let a = f.activity.value()?;
    Some(crate::report::Usage {
        last_invoked_day: a.last_invoked_day(),
        monthly_usd: crate::cost::monthly(f).map_or(0.0, |c| c.usd),
        idle: is_idle(f, now).unwrap_or(false),
    })
}

/// `series` over `days` drawn in at most `width` cells of block characters, each cell the sum
/// of its days: `·` where no day of the cell had data (which is not zero), `▁` for zero, and
/// the rest scaled to the largest cell.
pub fn sparkline(series: &Series, days: u16, width: usize) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let daily = series.daily(days);
    let per_cell = daily.len().div_ceil(width.max(1)).max(1);
    let cells: Vec<Option<f64>> = daily
        .chunks(per_cell)
        .map(|c| c.iter().flatten().copied().reduce(|a, b| a + b))
        .collect();
    let top = cells.iter().flatten().copied().fold(0.0_f64, f64::max);
    cells
        .iter()
        .map(|c| match c {
            None => '·',
            Some(v) if *v <= 0.0 || top <= 0.0 => BLOCKS[0],
            Some(v) => BLOCKS[((v / top) * 7.0).round().clamp(1.0, 7.0) as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_data_is_not_zero_and_cells_scale_to_the_largest() {
        let s = Series::from(vec![(0, 0.0), (2, 10.0), (3, 5.0)]);
        assert_eq!(sparkline(&s, 4, 4), "▁·█▅");
        // Two days a cell.
        assert_eq!(sparkline(&s, 4, 2), "▁█");
        assert_eq!(sparkline(&Series::default(), 3, 10), "···");
    }
}
