//! A sortable, filterable list: rows built once from the snapshot, a visible order recomputed
//! only when the filter or the sort changes (never on a plain redraw).

use std::cmp::Ordering;

use ratatui::layout::Constraint;
use ratatui::widgets::TableState;

use super::query::{Filterable, Query};

/// One column: its title, width, how to show a row, how to order two rows.
pub struct Column<R> {
    pub title: &'static str,
    pub width: Constraint,
    pub text: fn(&R) -> String,
    pub cmp: fn(&R, &R) -> Ordering,
    /// Sort descending first (scores, counts, dates).
    pub desc_first: bool,
}

pub struct List<R: 'static> {
    pub rows: Vec<R>,
    pub columns: &'static [Column<R>],
    /// Indices into `rows`, filtered and sorted.
    pub visible: Vec<usize>,
    pub sort: usize,
    pub desc: bool,
    pub filter: String,
    pub state: TableState,
}

impl<R: Filterable + 'static> List<R> {
    pub fn new(rows: Vec<R>, columns: &'static [Column<R>], sort: usize) -> Self {
        let mut l = List {
            visible: Vec::new(),
            rows,
            columns,
            sort,
            desc: columns[sort].desc_first,
            filter: String::new(),
            state: TableState::default(),
        };
        l.refresh();
        l
    }

    /// Recomputes the visible rows after a filter or sort change, keeping the selected row
    /// selected when it is still visible.
    pub fn refresh(&mut self) {
        let keep = self.selected_row();
        let query = Query::parse(&self.filter);
        self.visible = (0..self.rows.len())
            .filter(|&i| query.is_empty() || query.matches(&self.rows[i]))
            .collect();
        let col = &self.columns[self.sort];
        let rows = &self.rows;
        let desc = self.desc;
        self.visible.sort_by(|&a, &b| {
            let o = (col.cmp)(&rows[a], &rows[b]);
            // Ties keep the rows' built order (risk rank, ARN): a stable, readable list.
            let o = if desc { o.reverse() } else { o };
            o.then(a.cmp(&b))
        });
        let at = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(0);
        self.state.select((!self.visible.is_empty()).then_some(at));
    }

    pub fn set_filter(&mut self, text: &str) {
        self.filter = text.to_string();
        self.refresh();
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

    pub fn select_first(&mut self) {
        if !self.visible.is_empty() {
            self.state.select(Some(0));
        }
    }

    pub fn select_last(&mut self) {
        if !self.visible.is_empty() {
            self.state.select(Some(self.visible.len() - 1));
        }
    }

    /// Selects the row `pred` picks, clearing the filter if it hides it.
    pub fn select_where(&mut self, pred: impl Fn(&R) -> bool) -> bool {
        let Some(row) = self.rows.iter().position(pred) else {
            return false;
        };
        if !self.visible.contains(&row) {
            self.filter.clear();
            self.refresh();
        }
        let at = self.visible.iter().position(|&i| i == row);
        self.state.select(at);
        at.is_some()
    }
}
