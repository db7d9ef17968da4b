//! Drawing: the title bar, breadcrumbs, the current screen, the status line and the help
//! overlay. Reads the app; changes nothing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::app::{App, Mode, Screen};
use super::keymap;
use super::theme::Theme;

/// Below this the layout cannot say anything useful.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

pub fn draw(app: &App, f: &mut Frame) {
    let area = f.area();
    let t = app.theme.clone();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Terminal too small ({}x{}); sprawl needs {MIN_WIDTH}x{MIN_HEIGHT}. q quits.",
            area.width, area.height
        );
        f.render_widget(
            Paragraph::new(msg)
                .style(t.error)
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .split(area);
    title_bar(app, f, parts[0], &t);
    crumbs(app, f, parts[1], &t);
    let body = parts[2];
    match app.screen() {
        Screen::Overview => super::overview::draw(&app.overview, app.overview_cursor, f, body, &t),
        Screen::List(name) => {
            // An organization's accounts come under the organization at a glance.
            let body = match &app.org_panel {
                Some(panel) if *name == super::lists::ACCOUNTS && body.height >= 20 => {
                    let parts = Layout::default()
                        .direction(Direction::Vertical)
                        .constraints([Constraint::Length(11), Constraint::Min(5)])
                        .split(body);
                    panel.draw(f, parts[0], &t);
                    parts[1]
                }
                _ => body,
            };
            if let Some(l) = app.list() {
                l.draw(f, body, &t);
            }
        }
        Screen::Scan => {
            if let Some(s) = &app.scan {
                s.draw(f, body, &t);
            }
        }
        _ => app.detail.draw(f, body, &t),
    }
    status_line(app, f, parts[3], &t);
    if app.mode == Mode::Help {
        help(&app.root_names(), f, area, &t);
    }
}

fn title_bar(app: &App, f: &mut Frame, area: Rect, t: &Theme) {
    let s = &app.snapshot;
    // While a scan runs, the header speaks of the scan (the snapshot is a placeholder or the
    // previous one): its account, once known, and what it has found so far.
    let (account, counts) = match app.scan.as_ref().filter(|_| app.scan_running) {
        Some(scan) => (
            format!(
                "account {}",
                scan.account.as_deref().unwrap_or("(identifying)")
            ),
            format!(" scanning: {} resources found so far ", scan.found()),
        ),
        // An organization: the header speaks of it; the breadcrumbs say which account is held.
        None if let Some(org) = &app.org_panel => (
            format!("organization {}", org.id),
            format!(" {} accounts · {} functions ", org.accounts, org.functions),
        ),
        None => (
            format!("account {}", s.account.id),
            format!(
                " {} functions · {} roles · {} secrets ",
                s.inventory.functions.len(),
                s.inventory.roles.len(),
                s.inventory.secrets.len()
            ),
        ),
    };
    let line = Line::from(vec![
        Span::styled(" sprawl ", t.title),
        Span::styled(format!(" {account} "), t.header),
        Span::styled(format!(" {} ", app.source), t.muted),
        Span::styled(counts, t.text),
        Span::styled(format!(" theme {} ", t.name), t.muted),
    ]);
    f.render_widget(Paragraph::new(line), area);
}

fn crumbs(app: &App, f: &mut Frame, area: Rect, t: &Theme) {
    let mut spans = vec![Span::styled(" ", t.muted)];
    let labels = app.breadcrumbs();
    let last = labels.len().saturating_sub(1);
    for (i, label) in labels.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" > ", t.muted));
        }
        spans.push(Span::styled(
            label,
            if i == last { t.header } else { t.muted },
        ));
    }
    if !app.current_filter().is_empty() {
        spans.push(Span::styled(
            format!("   filter: {}", app.current_filter()),
            t.accent,
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn status_line(app: &App, f: &mut Frame, area: Rect, t: &Theme) {
    let line = match &app.mode {
        Mode::Command(buf) => Line::from(vec![
            Span::styled(":", t.key),
            Span::styled(format!("{buf}█"), t.text),
        ]),
        Mode::Filter(buf) => Line::from(vec![
            Span::styled("/", t.key),
            Span::styled(format!("{buf}█"), t.text),
            Span::styled(
                "   runtime:python3.9 risk>=high region:eu-west-1 team:payments  Enter keeps  Esc clears",
                t.muted,
            ),
        ]),
        _ => match &app.status {
            Some((msg, true)) => Line::from(Span::styled(format!(" {msg}"), t.error)),
            Some((msg, false)) => Line::from(Span::styled(format!(" {msg}"), t.ok)),
            None => {
                let mut spans = Vec::new();
                for (k, what) in [
                    ("?", "help"),
                    (":", "view"),
                    ("/", "filter"),
                    ("Enter", "open"),
                    ("Esc", "back"),
                    ("s", "sort"),
                    ("y", "copy ARN"),
                    ("e", "export"),
                    ("T", "theme"),
                    ("q", "quit"),
                ] {
                    spans.push(Span::styled(format!(" {k}"), t.key));
                    spans.push(Span::styled(format!(" {what} "), t.muted));
                }
                Line::from(spans)
            }
        },
    };
    f.render_widget(Paragraph::new(line).style(t.status), area);
}

/// The `?` overlay, from the keymap.
fn help(roots: &[&str], f: &mut Frame, area: Rect, t: &Theme) {
    let keys = keymap::help(roots);
    let w = area.width.min(84);
    let h = (keys.len() as u16 + 4).min(area.height);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    let lines: Vec<Line> = keys
        .into_iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:<20}"), t.key),
                Span::styled(what, t.text),
            ])
        })
        .collect();
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.border_focus)
                .title(Span::styled(" Keys (any key closes) ", t.title)),
        ),
        r,
    );
}
