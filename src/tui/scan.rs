//! The scan screen: progress per service and region while the collectors run.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

use super::theme::Theme;
use crate::model::ProgressEvent;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counter {
    pub calls: u64,
    pub errors: u64,
    pub found: u64,
    pub done: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanView {
    pub account: Option<String>,
    /// By (service, region).
    pub rows: BTreeMap<(String, String), Counter>,
    pub done: bool,
    pub error: Option<String>,
}

impl ScanView {
    pub fn apply(&mut self, e: &ProgressEvent) {
        match e {
            ProgressEvent::Started { account, .. } => self.account = Some(account.clone()),
            ProgressEvent::ServiceStarted { service, region } => {
                self.rows
                    .entry((service.to_string(), region.clone()))
                    .or_default();
            }
            ProgressEvent::Call {
                service,
                region,
                failure,
                ..
            } => {
                let c = self
                    .rows
                    .entry((service.to_string(), region.clone()))
                    .or_default();
                c.calls += 1;
                c.errors += u64::from(failure.is_some());
            }
            ProgressEvent::Found {
                service,
                region,
                count,
            } => {
                self.rows
                    .entry((service.to_string(), region.clone()))
                    .or_default()
                    .found += count;
            }
            ProgressEvent::Billed { .. } => {}
            ProgressEvent::ServiceDone { service, region } => {
                self.rows
                    .entry((service.to_string(), region.clone()))
                    .or_default()
                    .done = true;
            }
        }
    }

    /// Resources found so far, over every service and region.
    pub fn found(&self) -> u64 {
        self.rows.values().map(|c| c.found).sum()
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, t: &Theme) {
        let title = match (&self.error, &self.account) {
            (Some(e), _) => format!(" Scan failed: {e} "),
            (None, Some(a)) => format!(" Scanning account {a} (read-only) "),
            (None, None) => " Identifying the account ".to_string(),
        };
        let header =
            Row::new(["SERVICE", "REGION", "CALLS", "FOUND", "ERRORS", "STATE"]).style(t.header);
        let rows = self.rows.iter().map(|((svc, region), c)| {
            Row::new(vec![
                Cell::from(svc.clone()),
                Cell::from(region.clone()),
                Cell::from(c.calls.to_string()),
                Cell::from(c.found.to_string()),
                Cell::from(Span::styled(
                    c.errors.to_string(),
                    if c.errors > 0 { t.error } else { t.text },
                )),
                Cell::from(if c.done { "done" } else { "running" }),
            ])
            .style(t.text)
        });
        let table = Table::new(
            rows,
            [
                Constraint::Length(16),
                Constraint::Length(16),
                Constraint::Length(8),
                Constraint::Length(8),
                Constraint::Length(8),
                Constraint::Length(8),
            ],
        )
        .header(header)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.border_focus)
                .title(Span::styled(
                    title,
                    if self.error.is_some() {
                        t.error
                    } else {
                        t.title
                    },
                )),
        );
        f.render_widget(table, area);
    }
}
