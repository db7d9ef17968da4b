//! The list screens. Each is a [`List`] of one row type; what differs between them is the row
//! type's [`ListRow`] (its names, title, ARN and what Enter opens). The explorer reaches every
//! list through [`ListView`], so a new list is its row type and one line in [`Lists::build`].

use std::any::Any;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::query::Filterable;
use super::rows::{
    ACCOUNT_COLUMNS, API_COLUMNS, AccountRow, ApiRow, FINDING_COLUMNS, FUNCTION_COLUMNS,
    FindingRow, FunctionRow, MARKED_FINDING_COLUMNS, PATH_COLUMNS, PathRow, ROLE_COLUMNS, RoleRow,
    Rows, SECRET_COLUMNS, SecretRow,
};
use super::rows::{Accounted, account_column};
use super::screen::{Screen, screen_for};
use super::table::{Column, List, Toned};
use super::theme::Theme;
use crate::model::Inventory;

/// The accounts list's name.
pub const ACCOUNTS: &str = "accounts";

/// The paths list's name (an organization's only).
pub const PATHS: &str = "paths";

/// The filter key that narrows a list to one account.
const ACCOUNT_KEY: &str = "account:";

/// A row type that makes a list screen.
pub trait ListRow: Filterable + Toned + Sized + Sync + 'static {
    /// Its `:` command names; the first is the screen's name and breadcrumb.
    const NAMES: &'static [&'static str];
    /// The list's title.
    const TITLE: &'static str;
    /// The ARN `y` copies.
    fn arn(&self) -> &str;
    /// The screen Enter opens.
    fn opens(&self, inv: &Inventory) -> Option<Screen>;
    /// The account the row belongs to (none: the accounts list's own rows).
    fn account_id(&self) -> Option<&str> {
        None
    }
    /// The ACCOUNT column this list gets in an organization.
    fn account_column() -> Option<Column<Self>> {
        None
    }
    /// Its columns' titles in the order they give way on a narrow terminal, the least useful
    /// first (see [`List::layout`]).
    const DROP_FIRST: &'static [&'static str];
    /// What a row may hold several of (the findings list's `findings`: a row of hygiene gaps
    /// holds several), so the title counts both: `2,013 rows, 5,343 findings`.
    const HOLDS: Option<&'static str> = None;
    /// How many of them this row holds.
    fn holds(&self) -> usize {
        1
    }
}

/// The `ListRow` items every row of one account shares.
macro_rules! of_an_account {
    () => {
        fn account_id(&self) -> Option<&str> {
            Some(&self.account().id)
        }
        fn account_column() -> Option<Column<Self>> {
            Some(account_column())
        }
    };
}

impl ListRow for FunctionRow {
    of_an_account!();
    const DROP_FIRST: &'static [&'static str] = &[
        "COST/MO", "INVOKED", "MODIFIED", "ROLE", "REGION", "TEAM", "TRIG", "RUNTIME", "ACCOUNT",
        "FINDINGS",
    ];
    const NAMES: &'static [&'static str] = &["functions", "function", "fn", "f", "lambda"];
    const TITLE: &'static str = "Functions";
    fn arn(&self) -> &str {
        &self.arn
    }
    fn opens(&self, _: &Inventory) -> Option<Screen> {
        Some(Screen::Function(self.arn.clone()))
    }
}

impl ListRow for RoleRow {
    of_an_account!();
    const DROP_FIRST: &'static [&'static str] = &["FUNCTIONS", "FINDINGS", "ACCOUNT", "POWER"];
    const NAMES: &'static [&'static str] = &["roles", "role", "r", "iam"];
    const TITLE: &'static str = "Roles";
    fn arn(&self) -> &str {
        &self.arn
    }
    fn opens(&self, _: &Inventory) -> Option<Screen> {
        Some(Screen::Role(self.arn.clone()))
    }
}

impl ListRow for ApiRow {
    of_an_account!();
    const DROP_FIRST: &'static [&'static str] =
        &["REGION", "ROUTES", "KIND", "FINDINGS", "ACCOUNT", "OPEN"];
    const NAMES: &'static [&'static str] = &["apis", "api", "a", "stages"];
    const TITLE: &'static str = "APIs and stages";
    fn arn(&self) -> &str {
        &self.arn
    }
    fn opens(&self, _: &Inventory) -> Option<Screen> {
        Some(Screen::Api(self.arn.clone()))
    }
}

impl ListRow for SecretRow {
    of_an_account!();
    const DROP_FIRST: &'static [&'static str] = &[
        "REGION", "READ", "ROTATED", "READERS", "ACCOUNT", "ROTATION",
    ];
    const NAMES: &'static [&'static str] = &["secrets", "secret", "s"];
    const TITLE: &'static str = "Secrets";
    fn arn(&self) -> &str {
        &self.arn
    }
    fn opens(&self, _: &Inventory) -> Option<Screen> {
        Some(Screen::Secret(self.arn.clone()))
    }
}

impl ListRow for FindingRow {
    of_an_account!();
    const DROP_FIRST: &'static [&'static str] =
        &["REGION", "MESSAGE", "ACCOUNT", "STATE", "RESOURCE"];
    const NAMES: &'static [&'static str] = &["findings", "finding", "fi", "issues"];
    const TITLE: &'static str = "Findings";
    const HOLDS: Option<&'static str> = Some("findings");
    fn holds(&self) -> usize {
        self.findings
    }
    fn arn(&self) -> &str {
        &self.resource
    }
    fn opens(&self, inv: &Inventory) -> Option<Screen> {
        screen_for(inv, &self.resource)
    }
}

impl ListRow for PathRow {
    const DROP_FIRST: &'static [&'static str] = &["SCP", "CONDITIONAL", "HOW", "REACHES"];
    const NAMES: &'static [&'static str] = &[PATHS, "path", "edges"];
    const TITLE: &'static str = "Paths between accounts";
    fn arn(&self) -> &str {
        &self.to_role
    }
    /// The role (or secret, or function) it reaches, in its own account.
    fn opens(&self, inv: &Inventory) -> Option<Screen> {
        if self.ends_at_resource() {
            return screen_for(inv, &self.to_role);
        }
        Some(Screen::Role(self.to_role.clone()))
    }
    fn account_id(&self) -> Option<&str> {
        Some(&self.to.id)
    }
}

impl ListRow for AccountRow {
    const DROP_FIRST: &'static [&'static str] =
        &["SCANNED", "OU", "GAPS", "FUNCTIONS", "CRIT/HIGH", "ACCOUNT"];
    const NAMES: &'static [&'static str] = &[ACCOUNTS, "account", "acc", "org"];
    const TITLE: &'static str = "Accounts";
    fn arn(&self) -> &str {
        &self.id
    }
    fn opens(&self, _: &Inventory) -> Option<Screen> {
        Some(Screen::Account(self.id.clone()))
    }
}

impl Screen {
    /// The list screen of rows `R`.
    pub fn list<R: ListRow>() -> Screen {
        Screen::List(R::NAMES[0])
    }
}

/// A list screen, whatever its rows.
pub trait ListView {
    fn names(&self) -> &'static [&'static str];
    fn filter(&self) -> &str;
    /// Its rows, and those the filter keeps.
    fn row_count(&self) -> usize;
    fn shown(&self) -> usize;
    fn set_filter(&mut self, text: &str);
    /// Why the filter cannot mean what it says, if it cannot.
    fn filter_problem(&self) -> Option<&str>;
    /// Sorts by the next column (`reverse`: flips the current one); says how it is sorted now.
    fn sort(&mut self, reverse: bool) -> String;
    fn move_by(&mut self, delta: isize);
    fn selected_arn(&self) -> Option<String>;
    /// The account of the selected row, when the row belongs to one.
    fn selected_account(&self) -> Option<String>;
    fn open(&self, inv: &Inventory) -> Option<Screen>;
    fn draw(&self, f: &mut Frame, area: Rect, t: &Theme);
    fn as_any(&self) -> &dyn Any;
    /// Selects the row `other` has selected, when it is the same kind of list.
    fn copy_selection_from(&mut self, other: &dyn ListView);
}

impl<R: ListRow> ListView for List<R> {
    fn names(&self) -> &'static [&'static str] {
        R::NAMES
    }

    fn filter(&self) -> &str {
        &self.filter
    }

    fn row_count(&self) -> usize {
        self.rows.len()
    }

    fn shown(&self) -> usize {
        self.visible.len()
    }

    fn set_filter(&mut self, text: &str) {
        List::set_filter(self, text);
    }

    fn filter_problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    fn sort(&mut self, reverse: bool) -> String {
        let column = if reverse {
            self.sort
        } else {
            (self.sort + 1) % self.columns.len()
        };
        self.sort_by(column);
        format!(
            "sorted by {} {}",
            self.columns[self.sort].title.to_lowercase(),
            if self.desc { "descending" } else { "ascending" }
        )
    }

    fn move_by(&mut self, delta: isize) {
        List::move_by(self, delta);
    }

    fn selected_arn(&self) -> Option<String> {
        self.selected().map(|r| r.arn().to_string())
    }

    fn selected_account(&self) -> Option<String> {
        self.selected()
            .and_then(|r| r.account_id().map(str::to_string))
    }

    fn open(&self, inv: &Inventory) -> Option<Screen> {
        self.selected().and_then(|r| r.opens(inv))
    }

    fn draw(&self, f: &mut Frame, area: Rect, t: &Theme) {
        // A list whose rows hold several of something counts rows and what they hold.
        let count = R::HOLDS.and_then(|unit| {
            let all: usize = self.rows.iter().map(R::holds).sum();
            let shown: usize = self.visible.iter().map(|&i| self.rows[i].holds()).sum();
            let thousands = crate::assess::thousands;
            (all != self.rows.len()).then(|| {
                if self.filter.is_empty() {
                    format!(
                        "{} rows, {} {unit}",
                        thousands(self.rows.len()),
                        thousands(all)
                    )
                } else {
                    format!(
                        "{} of {} rows, {} of {} {unit}",
                        thousands(self.visible.len()),
                        thousands(self.rows.len()),
                        thousands(shown),
                        thousands(all)
                    )
                }
            })
        });
        List::draw_counted(self, f, area, R::TITLE, count, t);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn copy_selection_from(&mut self, other: &dyn ListView) {
        if let Some(o) = other.as_any().downcast_ref::<List<R>>() {
            self.filter = o.filter.clone();
            self.sort = o.sort;
            self.desc = o.desc;
            self.refresh();
            // A list that had no rows yet (still being built) had nothing selected.
            if let Some(at) = o.state.selected() {
                self.state
                    .select(Some(at.min(self.visible.len().saturating_sub(1))));
            }
        }
    }
}

/// Every list screen, in the order of the number keys after the overview's `1`.
#[derive(Default)]
pub struct Lists {
    lists: Vec<Box<dyn ListView>>,
    /// The filter opening an account put on the lists (`account:ID`), which leaving it takes
    /// off again; a filter the user typed is theirs.
    narrowed: Option<String>,
}

impl Lists {
    /// The lists on their rows, each with its columns and first sort (`marked`: the findings get
    /// a STATE column; `org`: the rows are an organization's, and each list gets an ACCOUNT
    /// column). A new list screen is one line here.
    pub fn build(rows: Rows, marked: bool, org: bool) -> Lists {
        let findings = if marked {
            &MARKED_FINDING_COLUMNS[..]
        } else {
            &FINDING_COLUMNS[..]
        };
        fn list<R: ListRow>(rows: Vec<R>, columns: &[Column<R>], org: bool) -> Box<dyn ListView> {
            let mut columns = columns.to_vec();
            if org && let Some(account) = R::account_column() {
                // After the name: "which function, in which account".
                let at = columns
                    .iter()
                    .position(|c| matches!(c.title, "NAME" | "RESOURCE"))
                    .map_or(1, |i| i + 1);
                columns.insert(at, account);
            }
            let mut list = List::new(rows, columns, 0);
            list.drop_first = R::DROP_FIRST;
            Box::new(list)
        }
        Lists {
            lists: vec![
                list(rows.functions, &FUNCTION_COLUMNS, org),
                list(rows.roles, &ROLE_COLUMNS, org),
                list(rows.apis, &API_COLUMNS, org),
                list(rows.secrets, &SECRET_COLUMNS, org),
                list(rows.findings, findings, org),
                list(rows.accounts, &ACCOUNT_COLUMNS, org),
            ]
            .into_iter()
            // The edges between accounts, in an organization.
            .chain(org.then(|| list(rows.paths, &PATH_COLUMNS, org)))
            .collect(),
            narrowed: None,
        }
    }

    /// Each list takes the filter, sort and selection of its namesake in `old`.
    pub fn keep_places_of(&mut self, old: &Lists) {
        self.narrowed = old.narrowed.clone();
        for list in &mut self.lists {
            if let Some(was) = old.get(list.names()[0]) {
                list.copy_selection_from(was);
            }
        }
    }

    /// Narrows every list of an account's rows to account `id` (`account:ID`), or widens them
    /// again (None). A filter the user typed is left alone.
    pub fn narrow(&mut self, id: Option<&str>) {
        let to = id.map_or(String::new(), |id| format!("{ACCOUNT_KEY}{id}"));
        for list in &mut self.lists {
            let filter = list.filter();
            let ours = filter.is_empty() || self.narrowed.as_deref() == Some(filter);
            if list.names()[0] != ACCOUNTS && ours && filter != to {
                list.set_filter(&to);
            }
        }
        self.narrowed = id.map(|_| to);
    }

    pub fn iter(&self) -> impl Iterator<Item = &dyn ListView> {
        self.lists.iter().map(|l| l.as_ref())
    }

    /// The list screen named `name` (its first name).
    pub fn get(&self, name: &str) -> Option<&dyn ListView> {
        self.iter().find(|l| l.names()[0] == name)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut (dyn ListView + 'static)> {
        self.lists
            .iter_mut()
            .find(|l| l.names()[0] == name)
            .map(|l| l.as_mut())
    }

    /// The list of rows `R`, typed (for tests and benchmarks).
    pub fn of<R: ListRow>(&self) -> &List<R> {
        self.iter()
            .find_map(|l| l.as_any().downcast_ref::<List<R>>())
            .expect("every row type has its list")
    }
}
