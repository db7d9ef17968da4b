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
            let body = match &app.org {
                Some(org) if *name == super::lists::ACCOUNTS && body.height >= 20 => {
                    let parts = Layout::default()
                        .direction(Direction::Vertical)
                        .constraints([Constraint::Length(11), Constraint::Min(5)])
                        .split(body);
                    organization(&org.header, f, parts[0], &t);
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

/// The organization from its snapshot's header: accounts, functions and findings summed, and the
/// riskiest functions across every account, each with its account.
fn organization(h: &crate::snapshot::org::Header, f: &mut Frame, area: Rect, t: &Theme) {
    let scanned: Vec<_> = h.accounts.iter().filter(|a| a.summary.is_some()).collect();
    let functions: usize = scanned
        .iter()
        .filter_map(|a| a.summary.as_ref())
        .map(|s| s.functions)
        .sum();
    let mut findings = [0usize; 5];
    for s in scanned.iter().filter_map(|a| a.summary.as_ref()) {
        for (total, n) in findings.iter_mut().zip(s.findings) {
            *total += n;
        }
    }
    let not_scanned = h.accounts.len() - scanned.len();
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!(
                "{} ",
                h.organization.id.as_deref().unwrap_or("(merged snapshots)")
            ),
            t.header,
        ),
        Span::styled(
            format!(
                "{} accounts · {functions} functions · {} critical, {} high findings",
                h.accounts.len(),
                findings[0],
                findings[1]
            ),
            t.text,
        ),
        Span::styled(
            if not_scanned > 0 {
                format!(" · {not_scanned} not scanned")
            } else {
                String::new()
            },
            t.error,
        ),
    ])];
    // Runtimes, owners and secrets hygiene summed over the accounts.
    let sum = crate::snapshot::digest::Digest::sum(
        scanned
            .iter()
            .filter_map(|a| a.summary.as_ref())
            .map(|s| &s.digest),
    );
    let mut runtimes = vec![Span::styled("runtimes ", t.muted)];
    for (r, n, old) in sum.runtimes.iter().take(6) {
        let style = if *old { t.high } else { t.text };
        runtimes.push(Span::styled(
            format!("{r}{} {n}  ", if *old { " !" } else { "" }),
            style,
        ));
    }
    lines.push(Line::from(runtimes));
    let [secrets, off, overdue, unused, shared] = sum.secrets;
    let unowned = sum
        .owners
        .iter()
        .find(|(o, _)| o == "(no owner)")
        .map_or(0, |(_, n)| *n);
    lines.push(Line::from(vec![
        Span::styled("owners ", t.muted),
        Span::styled(
            format!(
                "{} teams, {unowned} functions with no owner tag   ",
                sum.owners.len() - usize::from(unowned > 0)
            ),
            t.text,
        ),
        Span::styled("secrets ", t.muted),
        Span::styled(
            format!(
                "{secrets}: rotation off {off}, overdue {overdue}, unused {unused}, public or cross-account {shared}"
            ),
            t.text,
        ),
    ]));
    let mut top: Vec<(
        &crate::snapshot::org::TopFunction,
        &crate::snapshot::org::AccountEntry,
    )> = scanned
        .iter()
        .flat_map(|a| {
            a.summary
                .iter()
                .flat_map(|s| s.top.iter())
                .map(move |f| (f, *a))
        })
        .collect();
    top.sort_by(|x, y| y.0.score.cmp(&x.0.score).then(x.0.name.cmp(&y.0.name)));
    lines.push(Line::from(Span::styled(
        "Riskiest functions across the organization",
        t.title,
    )));
    for (func, account) in top.iter().take(usize::from(area.height.saturating_sub(6))) {
        let who = account.info.name.as_deref().unwrap_or(&account.info.id);
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    " {:>3}{} ",
                    func.score,
                    if func.partial { "+" } else { " " }
                ),
                t.high,
            ),
            Span::styled(format!("{} ({who}, {}) ", func.name, func.region), t.text),
            Span::styled(func.chain.clone(), t.muted),
        ]));
    }
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.border)
                .title(Span::styled(" Organization ", t.title)),
        ),
        area,
    );
}

fn title_bar(app: &App, f: &mut Frame, area: Rect, t: &Theme) {
    let s = &app.snapshot;
    // While a scan runs, the header speaks of the scan (the snapshot is a placeholder or the
    // previous one): its account, once known, and what it has found so far.
    let (account, counts) = match app.scan.as_ref().filter(|_| app.scan_running) {
        Some(scan) => (
            scan.account
                .clone()
                .unwrap_or_else(|| "(identifying)".into()),
            format!(" scanning: {} resources found so far ", scan.found()),
        ),
        None => (
            s.account.id.clone(),
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
        Span::styled(format!(" account {account} "), t.header),
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
