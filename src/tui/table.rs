//! A sortable, filterable list: rows built once from the snapshot, a visible order recomputed
//! only when the filter or the sort changes (never on a plain redraw).

use std::cell::Cell as Remembered;
use std::cmp::Ordering;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Cell, Row, Table, TableState};

use super::query::{Filterable, Query};
use super::theme::Theme;
use crate::assess::Severity;

/// The severity a row's first column is drawn in (none: muted).
pub trait Toned {
    fn tone(&self) -> Option<Severity>;
}

/// One column: its title, width, how to show a row, how to order two rows.
pub struct Column<R> {
    pub title: &'static str,
    pub width: Constraint,
    pub text: fn(&R) -> String,
    pub cmp: fn(&R, &R) -> Ordering,
    /// Sort descending first (scores, counts, dates).
    pub desc_first: bool,
}

impl<R> Clone for Column<R> {
    fn clone(&self) -> Self {
        Column {
            title: self.title,
            width: self.width,
            text: self.text,
            cmp: self.cmp,
            desc_first: self.desc_first,
        }
    }
}

pub struct List<R: 'static> {
    pub rows: Vec<R>,
    pub columns: Vec<Column<R>>,
    /// Indices into `rows`, sorted (made again only when the sort changes).
    order: Vec<usize>,
    /// Indices into `rows`, filtered and sorted.
    pub visible: Vec<usize>,
    /// The query (its terms that mean something here) that kept `visible` from `order`; None
    /// once the order is made again. A query that narrows it looks only at those rows.
    kept_by: Option<Query>,
    pub sort: usize,
    pub desc: bool,
    pub filter: String,
    /// Why the filter cannot mean what it says (a key no row has, a value its key cannot
    /// take), for the status line.
    pub problem: Option<String>,
    /// The selected place in `visible`.
    pub state: TableState,
    /// The first visible row on screen: drawing keeps it where it was unless the selection left
    /// the screen (so drawing, which only reads the list, can still scroll it).
    offset: Remembered<usize>,
    /// Column titles in the order they give way when the table is too narrow for them all (the
    /// least useful first); a column never shrinks below its title and sort mark.
    pub drop_first: &'static [&'static str],
}

/// Lists of at least this many rows are filtered on every core.
const PARALLEL_FROM: usize = 20_000;

impl<R: Filterable + Sync + 'static> List<R> {
    pub fn new(rows: Vec<R>, columns: Vec<Column<R>>, sort: usize) -> Self {
        let mut l = List {
            order: Vec::new(),
            visible: Vec::new(),
            kept_by: None,
            rows,
            desc: columns[sort].desc_first,
            columns,
            sort,
            filter: String::new(),
            problem: None,
            state: TableState::default(),
            offset: Remembered::new(0),
            drop_first: &[],
        };
        l.refresh();
        l
    }

    /// Recomputes the order and the visible rows after a sort change (or when the list is made),
    /// keeping the selected row selected when it is still visible.
    pub fn refresh(&mut self) {
        let col = &self.columns[self.sort];
        let rows = &self.rows;
        let desc = self.desc;
        self.order = (0..rows.len()).collect();
        self.order.sort_by(|&a, &b| {
            let o = (col.cmp)(&rows[a], &rows[b]);
            // Ties keep the rows' built order (risk rank, ARN): a stable, readable list.
            let o = if desc { o.reverse() } else { o };
            o.then(a.cmp(&b))
        });
        self.kept_by = None;
        self.apply_filter();
    }

    /// Recomputes the visible rows after a filter change: one pass over the sorted order, so a
    /// keystroke costs a match per row and no sort; a filter typed further (which can only
    /// narrow what the last one kept, see [`Query::narrows`]) looks only at the rows shown.
    fn apply_filter(&mut self) {
        let keep = self.selected_row();
        let mut query = Query::parse(&self.filter);
        self.problem = query.drop_problems(&self.rows);
        let shown = std::mem::take(&mut self.visible);
        let from = match &self.kept_by {
            Some(last) if query.narrows(last, &self.rows) => &shown,
            _ => &self.order,
        };
        self.visible = if query.is_empty() {
            from.clone()
        } else {
            let rows = &self.rows;
            let keep = |chunk: &[usize]| -> Vec<usize> {
                chunk
                    .iter()
                    .copied()
                    .filter(|&i| query.matches(&rows[i]))
                    .collect()
            };
            // An organization's lists hold hundreds of thousands of rows: past a size, the
            // cores share the pass (in order, so the sort holds).
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
            if from.len() < PARALLEL_FROM || cores < 2 {
                keep(from)
            } else {
                let size = from.len().div_ceil(cores);
                std::thread::scope(|scope| {
                    let parts: Vec<_> = from
                        .chunks(size)
                        .map(|chunk| scope.spawn(move || keep(chunk)))
                        .collect();
                    parts
                        .into_iter()
                        .flat_map(|p| p.join().expect("a filter does not panic"))
                        .collect()
                })
            }
        };
        self.kept_by = Some(query);
        let at = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(0);
        self.state.select((!self.visible.is_empty()).then_some(at));
    }

    pub fn set_filter(&mut self, text: &str) {
        self.filter = text.to_string();
        self.apply_filter();
    }

    /// Sorts by the next column (or, on the same column, flips the direction).
    pub fn sort_by(&mut self, column: usize) {
        if column == self.sort {
            self.desc = !self.desc;
        } else {
            self.sort = column % self.columns.len();
            self.desc = self.columns[self.sort].desc_first;
        }
        self.refresh();
    }

    pub fn selected_row(&self) -> Option<usize> {
        self.state
            .selected()
            .and_then(|i| self.visible.get(i).copied())
    }

    pub fn selected(&self) -> Option<&R> {
        self.selected_row().map(|i| &self.rows[i])
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let at = self.state.selected().unwrap_or(0) as isize + delta;
        let last = self.visible.len() as isize - 1;
        self.state.select(Some(at.clamp(0, last) as usize));
    }
}

impl<R: Filterable + Toned + Sync + 'static> List<R> {
    /// The columns shown in a table `total` cells wide, and their widths: every column as wide as
    /// it asks and at least its title and sort mark; when they do not all fit, columns give way
    /// whole in `drop_first`'s order (never the sorted one) rather than being cut.
    pub fn layout(&self, total: u16) -> (Vec<usize>, Vec<Constraint>) {
        let need = |c: &Column<R>| {
            let asked = match c.width {
                Constraint::Length(n) | Constraint::Min(n) | Constraint::Max(n) => n,
                _ => 0,
            };
            asked.max(c.title.chars().count() as u16 + 2)
        };
        let sum = |shown: &[usize]| -> u16 {
            shown.iter().map(|&i| need(&self.columns[i])).sum::<u16>()
                + shown.len().saturating_sub(1) as u16
        };
        let mut shown: Vec<usize> = (0..self.columns.len()).collect();
        for title in self.drop_first {
            if sum(&shown) <= total {
                break;
            }
            if let Some(at) = shown
                .iter()
                .position(|&i| self.columns[i].title == *title && i != self.sort)
            {
                shown.remove(at);
            }
        }
        let constraints: Vec<Constraint> = shown
            .iter()
            .map(|&i| {
                let c = &self.columns[i];
                match c.width {
                    Constraint::Min(_) => Constraint::Min(need(c)),
                    _ => Constraint::Length(need(c)),
                }
            })
            .collect();
        let widths = fit(&constraints, total, 1);
        (shown, widths)
    }

    /// Draws the list in `area` under `title`. Only the rows on screen are built: drawing costs
    /// the same for 10 rows or 10,000.
    pub fn draw(&self, f: &mut Frame, area: Rect, title: &str, t: &Theme) {
        self.draw_counted(f, area, title, None, t);
    }

    /// [`List::draw`] with the title's count given (`count`), else the rows counted.
    pub fn draw_counted(
        &self,
        f: &mut Frame,
        area: Rect,
        title: &str,
        count: Option<String>,
        t: &Theme,
    ) {
        let (shown, widths) = self.layout(area.width.saturating_sub(2));
        let width_of = |at: usize| match widths.get(at) {
            Some(Constraint::Length(n)) => *n as usize,
            _ => 0,
        };
        let header = Row::new(shown.iter().map(|&i| {
            let c = &self.columns[i];
            if i == self.sort {
                Cell::from(Span::styled(
                    format!("{}{}", c.title, if self.desc { " ▼" } else { " ▲" }),
                    t.sort,
                ))
            } else {
                Cell::from(Span::styled(c.title, t.header))
            }
        }));
        let height = area.height.saturating_sub(3) as usize;
        let selected = self.state.selected().unwrap_or(0);
        let offset = self
            .offset
            .get()
            .min(selected)
            .max(selected.saturating_sub(height.saturating_sub(1)));
        self.offset.set(offset);
        let rows: Vec<Row> = self
            .visible
            .iter()
            .skip(offset)
            .take(height)
            .map(|&i| {
                let r = &self.rows[i];
                let tone = r.tone().map_or(t.muted, |s| t.severity(s));
                Row::new(shown.iter().enumerate().map(|(at, &ci)| {
                    // A value longer than its column ends in an ellipsis, never cut silently.
                    let text = ellipsis((self.columns[ci].text)(r), width_of(at));
                    if ci == 0 {
                        Cell::from(Span::styled(text, tone))
                    } else {
                        Cell::from(text)
                    }
                }))
                .style(t.text)
            })
            .collect();
        let count = count.unwrap_or_else(|| {
            if self.filter.is_empty() {
                format!("{}", self.rows.len())
            } else {
                format!("{} of {}", self.visible.len(), self.rows.len())
            }
        });
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
        let mut state =
            TableState::default().with_selected(self.state.selected().map(|s| s - offset));
        f.render_stateful_widget(table, area, &mut state);
    }
}

/// `text` in `width` cells: whole when it fits, else cut with an ellipsis (…) at the end.
pub fn ellipsis(text: String, width: usize) -> String {
    if text.chars().count() <= width {
        return text;
    }
    if width == 0 {
        return String::new();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
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
