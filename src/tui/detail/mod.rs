//! Detail screens (function, role, secret, API): lines built from the snapshot, some of them
//! links (Enter follows), with a cursor that the navigation stack remembers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

mod api;
mod function;
mod role;
mod secret;
pub mod source;

use super::marks::{Mark, Marks};
use super::screen::Screen;
use super::theme::Theme;
use crate::assess::{Finding, Severity};
use crate::model::Detail;
use crate::snapshot::Snapshot;

/// One line of a detail screen.
#[derive(Debug, Clone, PartialEq)]
pub struct DLine {
    pub line: Line<'static>,
    pub link: Option<Screen>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DetailView {
    pub title: String,
    pub lines: Vec<DLine>,
    pub cursor: usize,
}

pub(super) struct B<'t> {
    pub t: &'t Theme,
    pub lines: Vec<DLine>,
    /// The organization's accounts by id, with their names (empty for a lone account).
    pub names: &'t std::collections::HashMap<String, String>,
}

impl B<'_> {
    /// An account as people name it: its name in the organization, else its id.
    pub(super) fn account(&self, id: &str) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// A principal as people read it: a member of the organization by name ("(this
    /// organization's dev)"), never just "another account".
    pub(super) fn principal(&self, p: &crate::iam::principals::Principal) -> String {
        match p {
            crate::iam::principals::Principal::Account {
                id,
                arn,
                same: false,
            } if self.names.contains_key(id) => {
                format!("{arn} (this organization's {})", self.account(id))
            }
            other => other.describe(),
        }
    }

    pub(super) fn push(&mut self, line: Line<'static>, link: Option<Screen>) {
        self.lines.push(DLine { line, link });
    }
    pub(super) fn blank(&mut self) {
        self.push(Line::default(), None);
    }
    pub(super) fn heading(&mut self, text: impl Into<String>) {
        if !self.lines.is_empty() {
            self.blank();
        }
        self.push(Line::from(Span::styled(text.into(), self.t.title)), None);
    }
    pub(super) fn kv(&mut self, key: &str, value: impl Into<String>) {
        self.push(
            Line::from(vec![
                // A key as long as the column still gets a space before its value.
                Span::styled(format!("  {:<20}", format!("{key} ")), self.t.muted),
                Span::styled(value.into(), self.t.text),
            ]),
            None,
        );
    }
    pub(super) fn text(&mut self, indent: usize, text: impl Into<String>, style: Style) {
        self.push(
            Line::from(Span::styled(
                format!("{}{}", " ".repeat(indent), text.into()),
                style,
            )),
            None,
        );
    }
    /// The list a snapshot holds for a detail screen, or (when that part of the file is damaged)
    /// a line that says so and nothing: never an empty list that would read as "none".
    fn deferred<'a, T: serde::de::DeserializeOwned>(
        &mut self,
        part: &'a crate::assess::Deferred<Vec<T>>,
        what: &str,
    ) -> &'a [T] {
        match part.get() {
            Ok(list) => list,
            Err(e) => {
                self.text(
                    2,
                    format!("{what}: unreadable in this snapshot ({e})"),
                    self.t.critical,
                );
                &[]
            }
        }
    }
    pub(super) fn link(
        &mut self,
        indent: usize,
        prefix: &str,
        label: impl Into<String>,
        to: Screen,
    ) {
        self.push(
            Line::from(vec![
                Span::styled(format!("{}{prefix}", " ".repeat(indent)), self.t.text),
                Span::styled(label.into(), self.t.link),
            ]),
            Some(to),
        );
    }
    pub(super) fn severity(&mut self, indent: usize, s: Severity, text: impl Into<String>) {
        self.push(
            Line::from(vec![
                Span::raw(" ".repeat(indent)),
                // CRITICAL fills eight columns: a ninth keeps it off the rule id.
                Span::styled(
                    format!("{:<9}", s.label().to_uppercase()),
                    self.t.severity(s),
                ),
                Span::styled(text.into(), self.t.text),
            ]),
            None,
        );
    }
    pub(super) fn findings(&mut self, findings: &[(usize, &Finding)], marks: &Marks) {
        self.heading(format!("Findings ({})", findings.len()));
        if findings.is_empty() {
            self.text(2, "none", self.t.muted);
        }
        for (i, f) in findings {
            let mark = match marks.mark(*i) {
                Mark::None => String::new(),
                Mark::New => "NEW  ".into(),
                Mark::Muted => "muted  ".into(),
            };
            self.severity(2, f.severity, format!("{mark}{}  {}", f.rule, f.message));
            if let Some(m) = marks.muting.of(*i) {
                self.text(
                    12,
                    format!(
                        "muted until {} (mute file line {}): {}",
                        m.expires.format("%Y-%m-%d"),
                        m.line,
                        m.reason
                    ),
                    self.t.muted,
                );
            }
            for e in self.deferred(&f.evidence, "evidence") {
                self.text(12, format!("{}: {}", e.path, e.value), self.t.muted);
            }
            if let Some(rule) = crate::assess::rules::find(&f.rule) {
                self.text(12, format!("fix: {}", rule.fix), self.t.muted);
            }
        }
    }
}

impl DetailView {
    /// The lines of `screen` (a detail screen; any other has none), with the cursor at `cursor`.
    pub fn build(
        screen: &Screen,
        snapshot: &Snapshot,
        marks: &Marks,
        theme: &Theme,
        cursor: usize,
        names: &std::collections::HashMap<String, String>,
    ) -> DetailView {
        let mut b = B {
            t: theme,
            lines: Vec::new(),
            names,
        };
        let title = match screen {
            Screen::Function(arn) => function::build(snapshot, marks, arn, &mut b),
            Screen::Role(arn) => role::build(snapshot, marks, arn, &mut b),
            Screen::Secret(arn) => secret::build(snapshot, marks, arn, &mut b),
            Screen::Api(arn) => api::build(snapshot, marks, arn, &mut b),
            Screen::Source(arn) => source::build(snapshot, arn, &mut b),
            _ => return DetailView::default(),
        };
        let n = b.lines.len();
        DetailView {
            title,
            lines: b.lines,
            cursor: cursor.min(n.saturating_sub(1)),
        }
    }

    pub fn link_at_cursor(&self) -> Option<Screen> {
        self.lines.get(self.cursor).and_then(|l| l.link.clone())
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, t: &Theme) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border_focus)
            .title(Span::styled(format!(" {} ", self.title), t.title));
        let inner = block.inner(area);
        let height = inner.height as usize;
        // Long lines wrap under their own indent; the cursor moves by line, and the screen
        // scrolls by row so the cursor's whole line is on it.
        let mut rows: Vec<(usize, Line<'static>)> = Vec::new();
        let mut starts = Vec::with_capacity(self.lines.len() + 1);
        for (i, l) in self.lines.iter().enumerate() {
            starts.push(rows.len());
            for row in super::wrap::wrap(&l.line, inner.width as usize, 4) {
                rows.push((i, row));
            }
        }
        starts.push(rows.len());
        let cursor = self.cursor.min(self.lines.len().saturating_sub(1));
        let (first, end) = (
            starts.get(cursor).copied().unwrap_or(0),
            starts.get(cursor + 1).copied().unwrap_or(0),
        );
        // The cursor sits mid-screen where it can; near the end the last row stays at the
        // bottom, so the screen stays full (`G` shows the last page, not one line of it).
        let top = if height == 0 {
            0
        } else {
            first
                .saturating_sub(height.saturating_sub(1).min(height / 2))
                .min(rows.len().saturating_sub(height))
                .max(end.saturating_sub(height).min(first))
        };
        let lines: Vec<Line> = rows
            .into_iter()
            .skip(top)
            .take(height)
            .map(|(i, mut line)| {
                if i == cursor {
                    line.spans
                        .iter_mut()
                        .for_each(|s| s.style = s.style.patch(t.selection));
                    line.style = t.selection;
                }
                line
            })
            .collect();
        f.render_widget(Paragraph::new(lines).block(block), area);
    }
}

pub(super) fn detail_text<T>(d: &Detail<T>, show: impl Fn(&T) -> String) -> String {
    match d {
        Detail::Collected { value } => show(value),
        Detail::Skipped { reason } => format!("not read ({reason})"),
        Detail::Failed { kind, .. } => format!("NOT ASSESSED ({kind})"),
    }
}

pub(super) fn privileges(r: &crate::assess::RoleReport, b: &mut B) {
    let t = b.t;
    if !r.admin_via.is_empty() {
        b.text(
            2,
            "ADMINISTRATOR: every action on every resource",
            t.critical,
        );
        for s in &r.admin_via {
            b.text(4, format!("granted by {s}"), t.muted);
        }
    }
    let levels: Vec<String> = r
        .levels
        .iter()
        .map(|(l, n)| format!("{} {n}", l.label()))
        .collect();
    b.kv("actions allowed", levels.join(", "));
    for s in &r.self_escalation {
        b.text(
            2,
            format!("can make itself administrator: {}", s.action),
            t.critical,
        );
    }
    for e in &r.escalations {
        b.text(
            2,
            format!(
                "escalation {}: {}{}",
                e.method,
                e.actions(),
                if e.conditional { " (conditional)" } else { "" }
            ),
            t.high,
        );
    }
    for g in b.deferred(&r.grants, "statements") {
        let actions = format!(
            "{}{}",
            if g.not_action {
                "everything except "
            } else {
                ""
            },
            g.actions.join(", ")
        );
        let resources = format!(
            "{}{}",
            if g.not_resource {
                "everything except "
            } else {
                ""
            },
            g.resources.join(", ")
        );
        b.text(2, format!("{}: {actions} on {resources}", g.at), t.text);
        if !g.conditions.is_empty() {
            b.text(6, format!("only when {}", g.conditions.join("; ")), t.muted);
        }
    }
    for u in &r.unreadable {
        b.text(2, format!("NOT ASSESSED: {u}"), t.error);
    }
}

/// A resource the held snapshot does not have (a link into an account that is not open, a
/// snapshot that changed): a line that says so, never a panic or another resource's lines.
pub(super) fn not_here(snap: &Snapshot, kind: &str, arn: &str, b: &mut B) -> String {
    b.text(
        0,
        format!(
            "This {kind} is not in account {}'s snapshot: {arn}",
            snap.account.id
        ),
        b.t.error,
    );
    format!("{kind} {}", crate::tui::rows::short(arn))
}
