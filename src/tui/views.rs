//! Drawing: the title bar, breadcrumbs, the current screen, the status line and the help
//! overlay. Reads the app; changes nothing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::app::{App, Mode, Screen};
use super::query::Filterable;
use super::rows::Toned;
use super::table::List;
use super::theme::Theme;

/// Below this the layout cannot say anything useful.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

pub fn draw(app: &mut App, f: &mut Frame) {
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
    if !matches!(app.screen(), Screen::Overview | Screen::Scan) {
        app.take_lists();
    }
    match app.screen().clone() {
        Screen::Overview => super::overview::draw(&app.overview, app.overview_cursor, f, body, &t),
        Screen::Functions => list(f, body, &mut app.functions, "Functions", &t),
        Screen::Roles => list(f, body, &mut app.roles, "Roles", &t),
        Screen::Apis => list(f, body, &mut app.apis, "APIs and stages", &t),
        Screen::Secrets => list(f, body, &mut app.secrets, "Secrets", &t),
        Screen::Findings => list(f, body, &mut app.findings, "Findings", &t),
        Screen::Scan => {
            if let Some(s) = &app.scan {
                s.draw(f, body, &t);
            }
        }
        _ => app.detail.draw(f, body, &t),
    }
    status_line(app, f, parts[3], &t);
    if app.mode == Mode::Help {
        help(f, area, &t);
    }
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

fn list<R: Filterable + Toned + 'static>(
    f: &mut Frame,
    area: Rect,
    l: &mut List<R>,
    title: &str,
    t: &Theme,
) {
    let header = Row::new(l.columns.iter().enumerate().map(|(i, c)| {
        if i == l.sort {
            Cell::from(Span::styled(
                format!("{}{}", c.title, if l.desc { " ▼" } else { " ▲" }),
                t.sort,
            ))
        } else {
            Cell::from(Span::styled(c.title, t.header))
        }
    }));
    let height = area.height.saturating_sub(3) as usize;
    let selected = l.state.selected().unwrap_or(0);
    // Only the rows on screen are built: drawing costs the same for 10 rows or 10,000.
    let offset = l
        .state
        .offset()
        .min(selected)
        .max(selected.saturating_sub(height.saturating_sub(1)));
    *l.state.offset_mut() = offset;
    let rows: Vec<Row> = l
        .visible
        .iter()
        .skip(offset)
        .take(height)
        .map(|&i| {
            let r = &l.rows[i];
            let tone = r.tone().map_or(t.muted, |s| t.severity(s));
            Row::new(l.columns.iter().enumerate().map(|(ci, c)| {
                let text = (c.text)(r);
                if ci == 0 {
                    Cell::from(Span::styled(text, tone))
                } else {
                    Cell::from(text)
                }
            }))
            .style(t.text)
        })
        .collect();
    let widths = fit(
        &l.columns.iter().map(|c| c.width).collect::<Vec<_>>(),
        area.width.saturating_sub(2),
        1,
    );
    let count = if l.filter.is_empty() {
        format!("{}", l.rows.len())
    } else {
        format!("{} of {}", l.visible.len(), l.rows.len())
    };
    let table = Table::new(rows, widths)
        .column_spacing(1)
        .flex(ratatui::layout::Flex::Start)
        .header(header)
        .row_highlight_style(t.selection)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.border_focus)
                .title(Span::styled(format!(" {title} ({count}) "), t.title)),
        );
    let mut state = ratatui::widgets::TableState::default()
        .with_selected(l.state.selected().map(|s| s - offset));
    f.render_stateful_widget(table, area, &mut state);
}

/// Exact column widths for a table `total` cells wide: fixed columns get their length, `Min`
/// columns share what is left; when the columns do not fit, the last ones shrink to nothing.
/// (Handing an over-full set of constraints to the layout solver gives a different, equally
/// valid, answer from run to run; exact widths give one.)
pub fn fit(columns: &[Constraint], total: u16, spacing: u16) -> Vec<Constraint> {
    let gaps = spacing * columns.len().saturating_sub(1) as u16;
    let mut left = total.saturating_sub(gaps);
    let wanted = |c: &Constraint| match c {
        Constraint::Length(n) | Constraint::Min(n) | Constraint::Max(n) => *n,
        _ => 0,
    };
    let mut widths: Vec<u16> = columns
        .iter()
        .map(|c| {
            let w = wanted(c).min(left);
            left -= w;
            w
        })
        .collect();
    let flexible: Vec<usize> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, Constraint::Min(_)))
        .map(|(i, _)| i)
        .collect();
    if !flexible.is_empty() {
        let share = left / flexible.len() as u16;
        let mut extra = left % flexible.len() as u16;
        for i in flexible {
            widths[i] += share + u16::from(extra > 0);
            extra = extra.saturating_sub(1);
        }
    }
    widths.into_iter().map(Constraint::Length).collect()
}

/// Every key, for `?`.
pub const KEYS: &[(&str, &str)] = &[
    ("j k ↓ ↑", "move"),
    ("g G Home End", "first, last"),
    ("PgUp PgDn ^u ^d", "page"),
    (
        "Enter l →",
        "open the selected function, role, API, secret or link",
    ),
    ("Esc h ← Backspace", "back (or clear the filter)"),
    ("1-6", "overview, functions, roles, apis, secrets, findings"),
    (
        ":name",
        ":functions :roles :apis :secrets :findings :overview",
    ),
    (":functions QUERY", "open a list already filtered"),
    (
        ":theme NAME",
        "default, light, high-contrast, ansi16, or a file",
    ),
    (
        "/",
        "filter: words and runtime: region: team: risk>=high score>50 ...",
    ),
    ("s S", "sort by the next column, reverse the sort"),
    ("y", "copy the selected ARN (OSC 52)"),
    ("e", "export the snapshot to a JSON file"),
    ("r", "rescan (live scans)"),
    ("T", "next theme"),
    ("?", "this help"),
    ("q ^c", "quit"),
];

fn help(f: &mut Frame, area: Rect, t: &Theme) {
    let w = area.width.min(84);
    let h = (KEYS.len() as u16 + 4).min(area.height);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    let lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:<20}"), t.key),
                Span::styled(*what, t.text),
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
