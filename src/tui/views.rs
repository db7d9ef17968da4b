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
    // A long message (why an account was not scanned, a filter's mistake) takes up to three
    // rows rather than being cut at the edge.
    let status_rows = app.status.as_ref().map_or(1, |(msg, _)| {
        (msg.chars().count() + 1).div_ceil(usize::from(area.width).max(1)) as u16
    });
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(status_rows.clamp(1, 3)),
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
                Some(panel) if *name == super::lists::ACCOUNTS && body.height >= 16 => {
                    // The accounts list gets its rows (unless that leaves the panel less than
                    // it needs to be of use); the panel the rest, up to all it has to show.
                    let accounts = app.org.as_ref().map_or(0, |o| o.header.accounts.len());
                    let least = panel.least_height(body.width, &t);
                    let list = (accounts as u16 + 3)
                        .min(body.height.saturating_sub(least))
                        .max(5);
                    let height = body
                        .height
                        .saturating_sub(list)
                        .min(panel.wanted_height(body.width, &t));
                    let parts = Layout::default()
                        .direction(Direction::Vertical)
                        .constraints([Constraint::Length(height), Constraint::Min(5)])
                        .split(body);
                    panel.draw(f, parts[0], &t, app.org_focus);
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
            format!(
                " {} accounts · {} functions ",
                crate::assess::thousands(org.accounts),
                crate::assess::thousands(org.functions)
            ),
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
    f.render_widget(
        Paragraph::new(super::wrap::clip(&line, usize::from(area.width))),
        area,
    );
}

fn crumbs(app: &App, f: &mut Frame, area: Rect, t: &Theme) {
    let mut spans = vec![Span::styled(" ", t.muted)];
    let mut labels = app.breadcrumbs();
    // Too long for the row: the places nearest the root give way to "…" (where the operator is
    // matters most); the last is cut with an ellipsis only when it alone is too long.
    let room = usize::from(area.width).saturating_sub(if app.current_filter().is_empty() {
        1
    } else {
        13 + app.current_filter().chars().count()
    });
    let width = |labels: &[String]| labels.iter().map(|l| l.chars().count() + 3).sum::<usize>();
    let mut elided = 0;
    while labels.len() - elided > 1 && width(&labels[elided..]) + 4 > room {
        elided += 1;
    }
    if elided > 0 {
        labels.splice(0..elided, ["…".to_string()]);
    }
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
    f.render_widget(
        Paragraph::new(super::wrap::clip(
            &Line::from(spans),
            usize::from(area.width),
        )),
        area,
    );
}

/// A prompt's line with its cursor: a block at the end, else the character under it reversed.
fn typed(line: &crate::tui::prompt::Line, t: &Theme) -> Vec<Span<'static>> {
    let (before, after) = line.split();
    let mut rest = after.chars();
    match rest.next() {
        None => vec![Span::styled(format!("{before}█"), t.text)],
        Some(c) => vec![
            Span::styled(before.to_string(), t.text),
            Span::styled(
                c.to_string(),
                t.text.add_modifier(ratatui::style::Modifier::REVERSED),
            ),
            Span::styled(rest.as_str().to_string(), t.text),
        ],
    }
}

fn status_line(app: &App, f: &mut Frame, area: Rect, t: &Theme) {
    let line = match &app.mode {
        Mode::Command(line) => Line::from(
            [Span::styled(":", t.key)]
                .into_iter()
                .chain(typed(line, t))
                .collect::<Vec<_>>(),
        ),
        Mode::Filter(line) => Line::from(
            [Span::styled("/", t.key)]
                .into_iter()
                .chain(typed(line, t))
                .chain([Span::styled(
                "   runtime:python3.9 severity>=high region:eu-west-1 team:payments  Enter keeps  Esc clears",
                t.muted,
            )])
                .collect::<Vec<_>>(),
        ),
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
    let width = usize::from(area.width);
    let lines = if app.status.is_some() {
        super::wrap::wrap(&line, width, 0)
    } else {
        vec![super::wrap::clip(&line, width)]
    };
    f.render_widget(Paragraph::new(lines).style(t.status), area);
}

/// The `?` overlay, from the keymap.
fn help(roots: &[&str], f: &mut Frame, area: Rect, t: &Theme) {
    let keys = keymap::help(roots);
    // As wide as its longest line where the terminal allows; on a narrow one, each help text
    // wraps under itself.
    let longest = keys
        .iter()
        .map(|(_, what)| 21 + what.chars().count())
        .max()
        .unwrap_or(40) as u16;
    let w = area.width.min(longest + 3);
    let lines: Vec<Line> = keys
        .into_iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:<20}"), t.key),
                Span::styled(what, t.text),
            ])
        })
        .collect();
    let inner = w.saturating_sub(2) as usize;
    let lines: Vec<Line> = lines
        .iter()
        .flat_map(|l| {
            // Continuations line up under the help text, past the keys' column.
            super::wrap::wrap(l, inner, 21.min(inner / 2))
        })
        .collect();
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
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
