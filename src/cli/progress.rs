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
                // A cost is said even on a live table: printed below it, the table redrawn after.
                let billed = matches!(
                    event,
                    ProgressEvent::Billed { .. } | ProgressEvent::Waiting { .. } | ProgressEvent::CodePlan { .. }
                );
                if let Some(line) = apply(&mut rows, event)
                    && (!live || billed)
                {
                    eprintln!("{line}");
                    if live {
                        drawn_lines = 0;
                    }
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
        ProgressEvent::Billed {
            region,
            operation,
            calls,
            metrics,
            usd,
        } => Some(format!(
            "  {region:<16} cloudwatch {operation}: {calls} call(s), {metrics} metrics, about ${usd:.4} (billed by AWS)"
        )),
        ProgressEvent::Waiting { .. } => event.waiting().map(|w| format!("sprawl: {w}")),
        ProgressEvent::CodePlan { .. } => event.code_plan().map(|p| format!("sprawl: {p}")),
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

/// The progress of several accounts scanned side by side, one line per event worth a line:
/// an account started, a service finished in one of its regions (with what is still running
/// there), an account done or failed, each with the counts of accounts done, running and failed.
pub struct Accounts {
    total: usize,
    done: usize,
    failed: usize,
    /// Per running account: its table of services per region, as a single scan keeps it.
    running: BTreeMap<String, BTreeMap<(String, Service), Row>>,
}

impl Accounts {
    pub fn new(total: usize) -> Accounts {
        Accounts {
            total,
            done: 0,
            failed: 0,
            running: BTreeMap::new(),
        }
    }

    fn counts(&self) -> String {
        format!(
            "{}/{} done, {} running, {} failed",
            self.done + self.failed,
            self.total,
            self.running.len(),
            self.failed
        )
    }

    /// Takes in one event; returns the line to print, if any.
    pub fn apply(
        &mut self,
        event: &crate::collect::multi::AccountEvent<'_>,
        label: &dyn Fn(&crate::model::AccountInfo) -> String,
    ) -> Option<String> {
        use crate::collect::multi::AccountEvent;
        match event {
            AccountEvent::Started(info) => {
                self.running.insert(info.id.clone(), BTreeMap::new());
                Some(format!("  {} started ({})", label(info), self.counts()))
            }
            AccountEvent::Progress(info, p) => {
                let services = self.running.entry(info.id.clone()).or_default();
                // The account's table, kept as a single scan's is; its own lines are not used.
                apply(services, (*p).clone());
                let ProgressEvent::ServiceDone { service, region } = p else {
                    return None;
                };
                let found = services
                    .get(&(region.clone(), *service))
                    .map_or(0, |row| row.found);
                let still: Vec<String> = services
                    .iter()
                    .filter(|(_, row)| !row.done)
                    .map(|((r, s), _)| format!("{s} {r}"))
                    .collect();
                Some(format!(
                    "  {}: {service} {region} done ({found} found){}",
                    label(info),
                    if still.is_empty() {
                        String::new()
                    } else {
                        format!("; still running: {}", still.join(", "))
                    }
                ))
            }
            AccountEvent::Finished(scan) => {
                self.running.remove(&scan.info.id);
                match &scan.result {
                    Ok(r) => {
                        self.done += 1;
                        Some(format!(
                            "  {} done: {} functions, {} roles ({})",
                            label(&scan.info),
                            r.inventory.functions.len(),
                            r.inventory.roles.len(),
                            self.counts()
                        ))
                    }
                    Err(e) => {
                        self.failed += 1;
                        Some(format!(
                            "  {} FAILED: {e} ({})",
                            label(&scan.info),
                            self.counts()
                        ))
                    }
                }
            }
        }
    }
}
