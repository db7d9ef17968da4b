//! The scan's live progress on stderr: a table per service and region, redrawn in place on a
//! terminal, one line per finished service elsewhere (CI logs, files).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::model::{ProgressEvent, Service};

#[derive(Debug, Default, Clone)]
struct Row {
    calls: u64,
    found: u64,
    errors: u64,
    done: bool,
}

/// Consumes progress events until the scan drops its sender.
pub async fn display(mut events: mpsc::UnboundedReceiver<ProgressEvent>) {
    let live = std::io::stderr().is_terminal();
    let mut rows: BTreeMap<(String, Service), Row> = BTreeMap::new();
    let mut drawn_lines = 0usize;
    let mut tick = tokio::time::interval(Duration::from_millis(200));
    loop {
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else { break };
                if let Some(line) = apply(&mut rows, event)
                    && !live
                {
                    eprintln!("{line}");
                }
            }
            _ = tick.tick(), if live => {
                drawn_lines = redraw(&rows, drawn_lines);
            }
        }
    }
    if live {
        redraw(&rows, drawn_lines);
    }
}

/// Updates the table; returns a line to print when a service finishes (for non-terminals).
fn apply(rows: &mut BTreeMap<(String, Service), Row>, event: ProgressEvent) -> Option<String> {
    match event {
        ProgressEvent::Started { account, regions } => Some(format!(
            "scanning account {account} in {} region{}: {}",
            regions.len(),
            if regions.len() == 1 { "" } else { "s" },
            regions.join(", ")
        )),
        ProgressEvent::ServiceStarted { service, region } => {
            rows.entry((region, service)).or_default();
            None
        }
        ProgressEvent::Call {
            service,
            region,
            failure,
            ..
        } => {
            let row = rows.entry((region, service)).or_default();
            row.calls += 1;
            row.errors += u64::from(failure.is_some());
            None
        }
        ProgressEvent::Found {
            service,
            region,
            count,
        } => {
            rows.entry((region, service)).or_default().found += count;
            None
        }
        ProgressEvent::ServiceDone { service, region } => {
            let row = rows.entry((region.clone(), service)).or_default();
            row.done = true;
            Some(format!(
                "  {region:<16} {service:<15} done: {} calls, {} found, {} errors",
                row.calls, row.found, row.errors
            ))
        }
    }
}

fn redraw(rows: &BTreeMap<(String, Service), Row>, previous: usize) -> usize {
    let mut err = std::io::stderr().lock();
    if previous > 0 {
        // Back to the top of the previous table, and clear below.
        let _ = write!(err, "\x1b[{previous}A\x1b[J");
    }
    let _ = writeln!(
        err,
        "  {:<16} {:<15} {:>7} {:>7} {:>7}",
        "region", "service", "calls", "found", "errors"
    );
    for ((region, service), row) in rows {
        let _ = writeln!(
            err,
            "  {region:<16} {service:<15} {:>7} {:>7} {:>7} {}",
            row.calls,
            row.found,
            row.errors,
            if row.done { "done" } else { "…" }
        );
    }
    let _ = err.flush();
    rows.len() + 1
}
