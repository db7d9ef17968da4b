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
    /// Billed reads told so far (`--metrics`): GetMetricData calls, metrics, and what the scan
    /// said they cost in millionths of a dollar, all regions.
    pub billed: Option<(u64, u64, u64)>,
    /// A call that has waited a while: what it waits for, and where (cleared by the next answer).
    pub waiting: Option<String>,
    /// `--code`'s plan, as told before its downloads.
    pub code_plan: Option<String>,
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
                // An answer (or a failure) ends the wait that was said.
                self.waiting = None;
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
            ProgressEvent::Billed {
                calls,
                metrics,
                usd,
                ..
            } => {
                let b = self.billed.get_or_insert((0, 0, 0));
                b.0 += calls;
                b.1 += metrics;
                b.2 += (usd * 1e6).round() as u64;
            }
            ProgressEvent::Waiting { .. } => self.waiting = e.waiting(),
            ProgressEvent::CodePlan { .. } => self.code_plan = e.code_plan(),
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
            (Some(_), _) => " Scan failed ".to_string(),
            (None, Some(a)) => format!(" Scanning account {a} (read-only) "),
            (None, None) => " Identifying the account ".to_string(),
        };
        // The whole error, or what a call is waiting for, wrapped above the table.
        let said = match (&self.error, &self.waiting) {
            (Some(e), _) => Some((e.clone(), t.error)),
            (None, Some(w)) => Some((w.clone(), t.medium)),
            (None, None) => self.code_plan.clone().map(|p| (p, t.medium)),
        };
        let area = match said {
            Some((text, style)) => {
                let inner = usize::from(area.width.saturating_sub(2)).max(1);
                let lines =
                    super::wrap::wrap_all(&[ratatui::text::Line::styled(text, style)], inner, 0);
                let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(3).max(3));
                let parts = ratatui::layout::Layout::default()
                    .direction(ratatui::layout::Direction::Vertical)
                    .constraints([Constraint::Length(height), Constraint::Min(3)])
                    .split(area);
                f.render_widget(
                    ratatui::widgets::Paragraph::new(lines).block(
                        Block::default()
                            .borders(Borders::ALL)
                            .border_style(style)
                            .title(Span::styled(
                                if self.error.is_some() {
                                    " Why the scan stopped "
                                } else {
                                    " Waiting "
                                },
                                style,
                            )),
                    ),
                    parts[0],
                );
                parts[1]
            }
            None => area,
        };
        // After a failure nothing is running any more: what did not finish stopped.
        let unfinished = if self.error.is_some() {
            "stopped"
        } else {
            "running"
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
                Cell::from(if c.done { "done" } else { unfinished }),
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
        .header(header);
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border_focus)
            .title(Span::styled(
                title,
                if self.error.is_some() {
                    t.error
                } else {
                    t.title
                },
            ));
        // What the scan is about to be billed for, told before the billed calls go out.
        if let Some((calls, metrics, micro_usd)) = self.billed {
            block = block.title_bottom(Span::styled(
                format!(
                    " --metrics: {calls} GetMetricData call(s), {metrics} metrics, about ${:.4} (billed by CloudWatch) ",
                    micro_usd as f64 / 1e6
                ),
                t.medium,
            ));
        }
        f.render_widget(table.block(block), area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A live scan with `--metrics` shows what it is about to be billed for, summed over the
    /// regions, on the progress view itself (stderr is under the explorer then).
    #[test]
    fn the_progress_view_shows_the_bill_before_the_billed_calls() {
        let mut v = ScanView::default();
        for (region, calls, metrics) in [("eu-west-1", 2, 14), ("us-east-1", 1, 7)] {
            v.apply(&ProgressEvent::Billed {
                region: region.into(),
                operation: "GetMetricData",
                calls,
                metrics,
                // As the scan tells it: $0.01 per 1,000 metrics.
                usd: metrics as f64 * 0.01 / 1000.0,
            });
        }
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(110, 8)).unwrap();
        let theme = Theme::preset("default").unwrap();
        term.draw(|f| v.draw(f, f.area(), &theme)).unwrap();
        let text: String = term
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        assert!(
            text.contains("--metrics: 3 GetMetricData call(s), 21 metrics, about $0.0002"),
            "{text}"
        );
    }
}
