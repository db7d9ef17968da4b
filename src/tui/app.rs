//! The explorer's state, driven by events and drawn by `views`. No terminal, no I/O here: side
//! effects (quit, copy, export, rescan) are returned as [`Effect`]s for the runner, so tests can
//! drive the app with key events and render it to a `TestBackend`.

use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

use super::detail::DetailView;
use super::keymap::{self, Action};
use super::lists::{ListView, Lists};
pub use super::marks::{Mark, Marks};
use super::overview::Overview;
use super::rows::{AccountTag, Rows};
use super::scan::ScanView;
pub use super::screen::{Place, Screen};
use super::theme::Theme;
use crate::snapshot::Snapshot;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Command(super::prompt::Line),
    Filter(super::prompt::Line),
    Help,
}

/// What `e` writes: what is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exported {
    /// The account held: the lone snapshot, the open account, or the account of the resource on
    /// screen.
    Account,
    /// The whole organization's snapshot (on its accounts, or a list that spans them).
    Organization,
}

/// What the runner must do for the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Copy to the clipboard (OSC 52).
    Copy(String),
    /// Write a snapshot to a file: the held account's, or the whole organization's.
    Export(Exported),
    Rescan,
}

/// The lists' rows being built on another thread, and per account that could not be read, why.
type BuildingRows = std::thread::JoinHandle<(Rows, Vec<String>)>;

pub struct App {
    pub snapshot: Arc<Snapshot>,
    pub theme: Theme,
    /// Where the snapshot came from, for the title bar (`demo`, a file, a live scan).
    pub source: String,
    pub stack: Vec<Place>,
    pub mode: Mode,
    /// The list screens.
    pub lists: Lists,
    /// The lists' rows while a background thread builds them (see `new`).
    rows: Option<BuildingRows>,
    pub overview: Overview,
    /// The overview's selected row in its top-ten list.
    pub overview_cursor: usize,
    /// Lines of the detail screen on top, rebuilt when it changes.
    pub detail: DetailView,
    pub scan: Option<ScanView>,
    pub can_rescan: bool,
    /// A scan is under way: `r` starts no second one (one scan, one rate limiter per process).
    pub scan_running: bool,
    /// The last scan's failure, until a scan succeeds: the explorer's exit reports it.
    pub scan_failure: Option<super::ScanFailure>,
    /// A one-line message for the status bar, and whether it is an error.
    pub status: Option<(String, bool)>,
    pub mouse: bool,
    /// Findings muted by the mute file, and those new since an older snapshot.
    pub marks: Arc<Marks>,
    /// The organization whose accounts the explorer walks (None: a lone account's snapshot).
    pub org: Option<Arc<crate::snapshot::org::OrgSnapshot>>,
    /// The organization at a glance, above its accounts (computed once, when it opens).
    pub org_panel: Option<super::overview::OrgPanel>,
    /// What was entered at the `:` and `/` prompts, recalled with Up and Down.
    pub histories: Histories,
    /// The organization's riskiest functions have the focus (Tab), the cursor there; None: its
    /// accounts list has it.
    pub org_focus: Option<usize>,
}

/// The `:` and `/` prompts' histories.
#[derive(Debug, Clone, Default)]
pub struct Histories {
    pub command: super::prompt::History,
    pub filter: super::prompt::History,
}

impl App {
    /// An app on a snapshot.
    pub fn new(snapshot: Snapshot, theme: Theme, source: impl Into<String>) -> App {
        App::marked(snapshot, theme, source, Marks::default())
    }

    /// An app whose findings carry `marks` (muted, new since an older scan).
    pub fn marked(
        snapshot: Snapshot,
        theme: Theme,
        source: impl Into<String>,
        marks: Marks,
    ) -> App {
        let snapshot = Arc::new(snapshot);
        // The overview is what opens; the lists' rows are built meanwhile on another thread and
        // taken in by the first key or list screen (`take_lists`), so a large account's overview
        // is on screen without waiting for ten thousand rows.
        let marks = Arc::new(marks);
        let rows = {
            let snapshot = Arc::clone(&snapshot);
            let marks = Arc::clone(&marks);
            std::thread::spawn(move || {
                let tag = AccountTag::of(&snapshot);
                let rows = Rows::build(&snapshot, &snapshot.assessment, &marks, &tag);
                (rows, Vec::new())
            })
        };
        let lists = Lists::build(Rows::default(), marks.is_marking(), false);
        App::on(snapshot, theme, source.into(), marks, Some(rows), lists)
    }

    /// An app on `snapshot` whose lists are `lists` (and, while `rows` builds, will be its rows).
    fn on(
        snapshot: Arc<Snapshot>,
        theme: Theme,
        source: String,
        marks: Arc<Marks>,
        rows: Option<BuildingRows>,
        lists: Lists,
    ) -> App {
        let mut overview = Overview::build(&snapshot, &snapshot.assessment);
        overview.marks = Overview::mark_lines(&marks);
        App {
            lists,
            rows,
            overview,
            overview_cursor: 0,
            detail: DetailView::default(),
            snapshot,
            theme,
            source,
            stack: vec![Place {
                screen: Screen::Overview,
                cursor: 0,
                left: None,
            }],
            mode: Mode::Normal,
            scan: None,
            can_rescan: false,
            scan_running: false,
            scan_failure: None,
            status: None,
            mouse: false,
            org: None,
            org_panel: None,
            marks,
            histories: Histories::default(),
            org_focus: None,
        }
    }

    /// An app on an organization's snapshot: it opens on the accounts (read from the header
    /// alone), with the first scanned account's snapshot read for its overview. Every other
    /// list spans all the accounts: their rows are built on other threads, one account at a
    /// time, and each account's snapshot is let go once its rows exist. `marks` carries the
    /// mutes, applied to each account.
    pub fn organization(
        org: crate::snapshot::org::OrgSnapshot,
        theme: Theme,
        source: impl Into<String>,
        marks: Marks,
    ) -> Result<App, crate::snapshot::SnapshotError> {
        // The first account that reads is held; one whose part is damaged is skipped (the
        // lists say which could not be read), and if none reads, the first one's error is the
        // explorer's.
        let mut first_error = None;
        let mut snapshot = None;
        for entry in org.header.accounts.iter().filter(|a| a.part.is_some()) {
            match org.account(&entry.info.id) {
                Ok(s) => {
                    snapshot = Some(s);
                    break;
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let snapshot = match (snapshot, first_error) {
            (Some(s), _) => s,
            (None, Some(e)) => return Err(e),
            (None, None) => Snapshot::empty(chrono::DateTime::UNIX_EPOCH),
        };
        let Marks { muting, new, since } = marks;
        let marks = Marks {
            muting: muting.reapply(&snapshot.assessment, &snapshot.inventory),
            new,
            since,
        };
        let org = Arc::new(org);
        let rows = {
            let org = Arc::clone(&org);
            std::thread::spawn(move || Rows::organization(&org, &muting))
        };
        let accounts = Rows {
            accounts: super::rows::AccountRow::all(Some(&org.header), &snapshot),
            ..Rows::default()
        };
        let lists = Lists::build(accounts, marks.is_marking(), true);
        let mut app = App::on(
            Arc::new(snapshot),
            theme,
            source.into(),
            Arc::new(marks),
            Some(rows),
            lists,
        );
        app.org_panel = Some(super::overview::OrgPanel::build(&org.header));
        app.org = Some(org);
        app.stack = vec![Place {
            screen: Screen::List(super::lists::ACCOUNTS),
            cursor: 0,
            left: None,
        }];
        Ok(app)
    }

    /// Opens an account of the organization: its snapshot is read (when it is not the one held)
    /// and its overview shown above the accounts, with every list narrowed to it (`account:ID`,
    /// which the filter line shows and Esc clears). A lone snapshot's one account is its overview.
    fn open_account(&mut self, id: &str) {
        if self.org.is_none() {
            self.go(Screen::Overview);
            return;
        }
        if !self.switch_to(id) {
            return;
        }
        self.stack.truncate(1);
        self.stack.push(Place {
            screen: Screen::Overview,
            cursor: 0,
            left: None,
        });
        self.lists.narrow(Some(id));
        self.rebuild_detail();
    }

    /// Holds account `id`'s snapshot (reading it when it is not the one held); false, with the
    /// reason on the status line, when it cannot be read or was never scanned.
    fn switch_to(&mut self, id: &str) -> bool {
        let Some(org) = self.org.clone() else {
            return true;
        };
        if let Some(why) = org.entry(id).and_then(|e| e.failure.clone()) {
            self.status = Some((format!("account {id} was not scanned: {why}"), true));
            return false;
        }
        if self.snapshot.account.id != id {
            match org.account(id) {
                Ok(snapshot) => self.replace_snapshot(snapshot),
                Err(e) => {
                    self.status = Some((e.to_string(), true));
                    return false;
                }
            }
        }
        true
    }

    /// The mutes applied to another snapshot; "new since" was about this one.
    fn marks_for(&self, snapshot: &Snapshot) -> Marks {
        Marks {
            muting: self
                .marks
                .muting
                .reapply(&snapshot.assessment, &snapshot.inventory),
            ..Marks::default()
        }
    }

    /// An app on `snapshot` with this one's theme, source and settings. The mutes carry over,
    /// applied to it afresh; "new since" was about the old snapshot.
    fn successor(&self, snapshot: Snapshot) -> App {
        let marks = self.marks_for(&snapshot);
        let mut next = App::marked(snapshot, self.theme.clone(), self.source.clone(), marks);
        next.can_rescan = self.can_rescan;
        next.mouse = self.mouse;
        next.histories = self.histories.clone();
        next
    }

    /// Another account's snapshot in place of this one: the organization, its lists, the stack
    /// and the settings are kept; the mutes apply to it afresh.
    fn replace_snapshot(&mut self, snapshot: Snapshot) {
        let marks = self.marks_for(&snapshot);
        let mut next = App::on(
            Arc::new(snapshot),
            self.theme.clone(),
            std::mem::take(&mut self.source),
            Arc::new(marks),
            self.rows.take(),
            std::mem::take(&mut self.lists),
        );
        next.can_rescan = self.can_rescan;
        next.mouse = self.mouse;
        next.histories = std::mem::take(&mut self.histories);
        next.org = self.org.take();
        next.org_panel = self.org_panel.take();
        next.stack = std::mem::take(&mut self.stack);
        *self = next;
    }

    /// An app that shows a scan in progress (it gets its snapshot when the scan ends).
    pub fn scanning(theme: Theme, source: impl Into<String>) -> App {
        let mut app = App::new(Snapshot::empty(chrono::DateTime::UNIX_EPOCH), theme, source);
        app.scan_started();
        app.can_rescan = true;
        app
    }

    /// A scan has started: its progress screen opens, alone on the stack.
    pub fn scan_started(&mut self) {
        self.scan_running = true;
        self.scan = Some(ScanView::default());
        self.stack = vec![Place {
            screen: Screen::Scan,
            cursor: 0,
            left: None,
        }];
    }

    /// One progress event of the running scan.
    pub fn scan_progress(&mut self, event: &crate::model::ProgressEvent) {
        if let Some(s) = &mut self.scan {
            s.apply(event);
        }
    }

    /// The scan ended: its snapshot opens, or its failure shows on the scan screen and in the
    /// status line (and is kept for the exit).
    pub fn scan_finished(&mut self, result: Result<Snapshot, super::ScanFailure>) {
        self.scan_running = false;
        match result {
            Ok(snapshot) => {
                self.scan_failure = None;
                self.load(snapshot);
            }
            Err(e) => {
                let line = e.to_string();
                if let Some(s) = &mut self.scan {
                    s.error = Some(line.clone());
                }
                self.status = Some((format!("scan failed: {line}"), true));
                self.scan_failure = Some(e);
            }
        }
    }

    /// A finished scan's snapshot replaces the current one; the overview opens.
    pub fn load(&mut self, snapshot: Snapshot) {
        let mut next = self.successor(snapshot);
        next.scan = self.scan.take().map(|mut s| {
            s.done = true;
            s
        });
        *self = next;
    }

    pub fn screen(&self) -> &Screen {
        &self.stack.last().expect("the stack is never empty").screen
    }

    fn cursor_mut(&mut self) -> &mut usize {
        &mut self.stack.last_mut().expect("never empty").cursor
    }

    /// Opens a screen on top of the current one (drilling down).
    pub fn push(&mut self, screen: Screen) {
        if let Screen::Account(id) = &screen {
            let id = id.clone();
            self.open_account(&id);
            return;
        }
        if screen.is_list() {
            self.take_lists();
        }
        self.stack.push(Place {
            screen,
            cursor: 0,
            left: None,
        });
        self.rebuild_detail();
    }

    /// Goes back one screen; the one below keeps its cursor.
    pub fn back(&mut self) {
        if self.stack.len() > 1 {
            // A hop into another account's role: back in the account it left.
            if let Some(Some(id)) = self.stack.pop().map(|p| p.left) {
                self.switch_to(&id);
            }
            if self.org.is_some() && self.stack.len() == 1 {
                self.back_to_organization();
            }
            self.rebuild_detail();
        }
    }

    /// Jumps to a top-level screen (`:functions`, `2`), keeping the overview at the root (in an
    /// organization: the accounts; an open account's overview stays above them, and `1` opens
    /// the held account's).
    pub fn go(&mut self, screen: Screen) {
        if self.org.is_some() {
            let accounts = Screen::List(super::lists::ACCOUNTS);
            if screen == Screen::Overview {
                // The open account's overview; from the organization, the account selected in
                // its accounts list (else the one last opened).
                let selected = (!self.in_account())
                    .then(|| self.lists.get(super::lists::ACCOUNTS))
                    .flatten()
                    .and_then(|l| l.selected_arn());
                let id = selected.unwrap_or_else(|| self.snapshot.account.id.clone());
                self.open_account(&id);
                return;
            }
            let in_account = self.in_account();
            // Back in the open account when a hop had left it.
            let opened = self.opened_account();
            self.stack.truncate(if in_account { 2 } else { 1 });
            if in_account && !self.switch_to(&opened) {
                return;
            }
            if screen == accounts {
                self.back_to_organization();
            } else {
                self.push(screen);
            }
            self.rebuild_detail();
            return;
        }
        self.stack.truncate(1);
        if self.stack[0].screen != Screen::Overview {
            self.stack[0] = Place {
                screen: Screen::Overview,
                cursor: 0,
                left: None,
            };
        }
        if screen != Screen::Overview {
            self.push(screen);
        }
        self.rebuild_detail();
    }

    /// On the organization's accounts, the organization's panel above them.
    fn on_accounts(&self) -> bool {
        self.org_panel.is_some() && self.screen() == &Screen::List(super::lists::ACCOUNTS)
    }

    /// In an organization, an account is open: its overview is above the accounts.
    fn in_account(&self) -> bool {
        self.stack
            .get(1)
            .is_some_and(|p| p.screen == Screen::Overview)
    }

    /// Back to the organization's accounts; the lists span every account again.
    fn back_to_organization(&mut self) {
        self.stack.truncate(1);
        self.lists.narrow(None);
    }

    fn rebuild_detail(&mut self) {
        let place = self.stack.last().expect("the stack is never empty");
        let names: std::collections::HashMap<String, String> = self
            .org
            .as_ref()
            .map(|o| {
                o.header
                    .accounts
                    .iter()
                    .filter_map(|e| Some((e.info.id.clone(), e.info.name.clone()?)))
                    .collect()
            })
            // An account read alone: the names its assessment kept of the accounts it names.
            .or_else(|| {
                let within = self.snapshot.assessment.within.as_ref()?;
                Some(within.names.clone().into_iter().collect())
            })
            .unwrap_or_default();
        self.detail = DetailView::build(
            &place.screen,
            &self.snapshot,
            &self.marks,
            &self.theme,
            place.cursor,
            &names,
        );
    }

    /// The account whose overview is open: the one held, or, after a hop into another account,
    /// the one the first hop left.
    fn opened_account(&self) -> String {
        self.stack
            .iter()
            .find_map(|p| p.left.clone())
            .unwrap_or_else(|| self.snapshot.account.id.clone())
    }

    /// The breadcrumb labels, root first. In an organization, a resource of another account than
    /// the open one (or opened from a list that spans the accounts) names its account; each place
    /// names its own resource, whichever account is held.
    pub fn breadcrumbs(&self) -> Vec<String> {
        let inv = &self.snapshot.inventory;
        let Some(org) = &self.org else {
            return self.stack.iter().map(|p| p.screen.crumb(inv)).collect();
        };
        let name_of = |id: &str| {
            org.entry(id)
                .and_then(|e| e.info.name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let held = &self.snapshot.account.id;
        let opened = self.in_account().then(|| self.opened_account());
        self.stack
            .iter()
            .map(|p| match &p.screen {
                // In an organization, the overview is the open account's.
                Screen::Overview => {
                    let id = opened.clone().unwrap_or_else(|| held.clone());
                    match org.entry(&id).and_then(|e| e.info.name.as_deref()) {
                        Some(name) => format!("account {name} ({id})"),
                        None => format!("account {id}"),
                    }
                }
                Screen::List(super::lists::ACCOUNTS) => "organization".to_string(),
                screen if screen.is_list() => screen.crumb(inv),
                screen => {
                    // The held account's own, or (a place below a hop) the ARN's.
                    let account = match screen.resource_account() {
                        Some(id) if !super::screen::holds(inv, screen) => id,
                        _ => held,
                    };
                    if opened.as_deref() == Some(account) {
                        screen.crumb(inv)
                    } else {
                        format!("{} ({})", screen.crumb(inv), name_of(account))
                    }
                }
            })
            .collect()
    }

    /// The top-level screens, in the order of the number keys: the overview, then the lists.
    pub fn roots(&self) -> Vec<Screen> {
        std::iter::once(Screen::Overview)
            .chain(self.lists.iter().map(|l| Screen::List(l.names()[0])))
            .collect()
    }

    /// The top-level screens' names, as `?` and `:` know them.
    pub fn root_names(&self) -> Vec<&'static str> {
        std::iter::once(Screen::OVERVIEW_NAMES[0])
            .chain(self.lists.iter().map(|l| l.names()[0]))
            .collect()
    }

    /// The list on screen, if a list is.
    pub fn list(&self) -> Option<&dyn ListView> {
        match self.screen() {
            Screen::List(name) => self.lists.get(name),
            _ => None,
        }
    }

    fn list_mut(&mut self) -> Option<&mut (dyn ListView + 'static)> {
        match self.screen().clone() {
            Screen::List(name) => self.lists.get_mut(name),
            _ => None,
        }
    }

    /// Takes in the lists' rows, waiting for them if they are still being built. Every list
    /// screen calls it first (and, for a lone account, every event); it is instant after the
    /// first time.
    pub fn take_lists(&mut self) {
        self.take_lists_if(true);
    }

    fn take_lists_if(&mut self, wait: bool) {
        if !self.rows.as_ref().is_some_and(|b| wait || b.is_finished()) {
            return;
        }
        let Some(building) = self.rows.take() else {
            return;
        };
        let (mut rows, unread) = building.join().expect("building the rows does not panic");
        rows.accounts =
            super::rows::AccountRow::all(self.org.as_ref().map(|o| &o.header), &self.snapshot);
        let mut lists = Lists::build(rows, self.marks.is_marking(), self.org.is_some());
        // Filters, sorts and selections made while the rows were built carry over.
        lists.keep_places_of(&self.lists);
        self.lists = lists;
        if let Some(first) = unread.first() {
            self.status = Some((
                format!(
                    "{} problem(s) reading the organization: {first}",
                    unread.len()
                ),
                true,
            ));
        }
    }

    /// Handles one terminal event; returns what the runner must do.
    pub fn handle(&mut self, event: &Event) -> Vec<Effect> {
        // An organization's rows take seconds at scale: its accounts list is there from the
        // start, so only a list screen waits for them.
        self.take_lists_if(self.org.is_none());
        match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.key(*k),
            Event::Mouse(m) if self.mouse => {
                match m.kind {
                    MouseEventKind::ScrollDown => self.move_by(3),
                    MouseEventKind::ScrollUp => self.move_by(-3),
                    _ => {}
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    pub fn key(&mut self, k: KeyEvent) -> Vec<Effect> {
        if k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('c') {
            return vec![Effect::Quit];
        }
        match self.mode.clone() {
            Mode::Help => {
                self.mode = Mode::Normal;
                Vec::new()
            }
            Mode::Command(mut line) => {
                use super::prompt::Edit;
                match line.key(k) {
                    Edit::Changed | Edit::Moved => self.mode = Mode::Command(line),
                    edit @ (Edit::Up | Edit::Down) => {
                        let older = edit == Edit::Up;
                        if let Some(text) = self.histories.command.recall(&line.text, older) {
                            line = super::prompt::Line::new(&text);
                        }
                        self.mode = Mode::Command(line);
                    }
                    Edit::Other => match k.code {
                        KeyCode::Esc => self.mode = Mode::Normal,
                        KeyCode::Enter => {
                            self.mode = Mode::Normal;
                            self.histories.command.push(&line.text);
                            return self.command(line.text.trim());
                        }
                        _ => self.mode = Mode::Command(line),
                    },
                }
                Vec::new()
            }
            Mode::Filter(mut line) => {
                use super::prompt::Edit;
                match line.key(k) {
                    Edit::Changed => {
                        self.set_filter(&line.text);
                        self.mode = Mode::Filter(line);
                    }
                    Edit::Moved => self.mode = Mode::Filter(line),
                    edit @ (Edit::Up | Edit::Down) => {
                        let older = edit == Edit::Up;
                        if let Some(text) = self.histories.filter.recall(&line.text, older) {
                            line = super::prompt::Line::new(&text);
                            self.set_filter(&line.text);
                        }
                        self.mode = Mode::Filter(line);
                    }
                    Edit::Other => match k.code {
                        KeyCode::Esc => {
                            self.mode = Mode::Normal;
                            self.set_filter("");
                        }
                        KeyCode::Enter => {
                            self.histories.filter.push(&line.text);
                            self.mode = Mode::Normal;
                        }
                        _ => self.mode = Mode::Filter(line),
                    },
                }
                Vec::new()
            }
            Mode::Normal => self.normal_key(k),
        }
    }

    fn normal_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        self.status = None;
        match keymap::action(k) {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    /// Does what a key asks (see [`keymap::KEYMAP`]).
    pub fn act(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => return vec![Effect::Quit],
            Action::Command => {
                self.histories.command.reset();
                self.mode = Mode::Command(super::prompt::Line::default());
            }
            Action::Filter => {
                if let Some(l) = self.list() {
                    let line = super::prompt::Line::new(l.filter());
                    self.histories.filter.reset();
                    self.mode = Mode::Filter(line);
                }
            }
            Action::Help => self.mode = Mode::Help,
            Action::Root(i) => match self.roots().get(i).cloned() {
                Some(screen) => self.go(screen),
                // The edges between accounts are an organization's.
                None if self.org.is_none() && i == self.roots().len() => {
                    self.status = Some((
                        format!(
                            "{} opens :paths, the edges between an organization's accounts: this snapshot is one account's (open an organization's snapshot, or sprawl demo)",
                            i + 1
                        ),
                        true,
                    ))
                }
                None => {
                    self.status = Some((
                        format!(
                            "no view {}: 1-{} are {}",
                            i + 1,
                            self.roots().len(),
                            self.root_names().join(", ")
                        ),
                        true,
                    ))
                }
            },
            Action::Move(delta) => self.move_by(delta),
            Action::First => self.move_by(isize::MIN / 2),
            Action::Last => self.move_by(isize::MAX / 2),
            Action::Open => self.enter(),
            Action::Back if self.org_focus.is_some() && self.on_accounts() => {
                self.org_focus = None;
            }
            Action::Focus => {
                if self.on_accounts() {
                    self.org_focus = match self.org_focus {
                        Some(_) => None,
                        None if self.org_panel.as_ref().is_some_and(|p| !p.top.is_empty()) => {
                            Some(0)
                        }
                        None => None,
                    };
                } else {
                    self.status = Some((
                        "Tab moves between the organization's accounts and its riskiest functions, on its accounts (1)".into(),
                        true,
                    ));
                }
            }
            Action::Back => {
                // The narrowing to the open account is where the list is, not a filter typed:
                // Esc goes back from it.
                let narrowed = self.org.is_some()
                    && self.in_account()
                    && self.current_filter() == format!("account:{}", self.snapshot.account.id);
                if !narrowed && self.list().is_some_and(|l| !l.filter().is_empty()) {
                    self.set_filter("");
                } else {
                    self.back();
                }
            }
            Action::Sort(reverse) => {
                if let Some(l) = self.list_mut() {
                    let said = l.sort(reverse);
                    self.status = Some((said, false));
                }
            }
            Action::Copy => match self.selected_arn() {
                Some(arn) => {
                    self.status = Some((format!("copied {arn}"), false));
                    return vec![Effect::Copy(arn)];
                }
                None => self.status = Some(("nothing to copy here".into(), true)),
            },
            Action::Export => return vec![Effect::Export(self.exported())],
            Action::Rescan if self.can_rescan && self.scan_running => {
                self.status = Some(("a scan is running: wait for it to finish".into(), false));
            }
            Action::Rescan if self.can_rescan => return vec![Effect::Rescan],
            Action::Rescan => {
                self.status = Some((
                    "this snapshot was not scanned live: nothing to rescan".into(),
                    true,
                ))
            }
            Action::NextTheme => {
                let next = self.theme.next_preset_name();
                self.set_theme(next);
            }
        }
        Vec::new()
    }

    /// `:` commands: a view name, `theme NAME`, `q`.
    pub fn command(&mut self, cmd: &str) -> Vec<Effect> {
        let mut words = cmd.split_whitespace();
        let Some(head) = words.next() else {
            return Vec::new();
        };
        if matches!(head, "q" | "q!" | "quit" | "exit") {
            return vec![Effect::Quit];
        }
        if head == "theme" {
            match words.next() {
                Some(name) => self.set_theme(name),
                None => {
                    self.status = Some((
                        "usage: :theme default|light|high-contrast|ansi16|PATH".into(),
                        true,
                    ))
                }
            }
            return Vec::new();
        }
        let named = if Screen::OVERVIEW_NAMES.contains(&head) {
            Some(Screen::Overview)
        } else {
            self.lists
                .iter()
                .find(|l| l.names().contains(&head))
                .map(|l| Screen::List(l.names()[0]))
        };
        if let Some(screen) = named {
            self.go(screen);
            // `:functions runtime:python3.9` opens the list filtered.
            let rest: Vec<&str> = words.collect();
            if !rest.is_empty() && self.screen().is_list() {
                self.set_filter(&rest.join(" "));
            }
            return Vec::new();
        }
        let names = self.root_names();
        let try_these = names[1..]
            .iter()
            .chain(&names[..1])
            .chain(&["theme"])
            .map(|n| format!(":{n}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.status = Some((format!("unknown command :{head} (try {try_these})"), true));
        Vec::new()
    }

    fn set_theme(&mut self, name: &str) {
        let no_color = self.theme.name.ends_with("(no colour)");
        match Theme::load(Some(name), no_color) {
            Ok(t) => {
                self.status = Some((format!("theme {}", t.name), false));
                self.theme = t;
                self.rebuild_detail();
            }
            Err(e) => self.status = Some((e.to_string(), true)),
        }
    }

    pub fn current_filter(&self) -> &str {
        self.list().map_or("", |l| l.filter())
    }

    /// Filters the list on screen; a key or value the filter cannot take is said on the status
    /// line (the list shows what the rest of it keeps).
    pub fn set_filter(&mut self, text: &str) {
        if let Some(l) = self.list_mut() {
            l.set_filter(text);
            let problem = l.filter_problem().map(str::to_string);
            match problem {
                Some(p) => self.status = Some((p, true)),
                None if self.status.as_ref().is_some_and(|(_, error)| *error) => self.status = None,
                None => {}
            }
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        if let (Some(c), Some(panel)) = (self.org_focus, &self.org_panel)
            && self.on_accounts()
        {
            let n = panel.top.len() as isize;
            if n > 0 {
                self.org_focus = Some((c as isize + delta).clamp(0, n - 1) as usize);
            }
            return;
        }
        if let Some(l) = self.list_mut() {
            l.move_by(delta);
            return;
        }
        match self.screen() {
            Screen::Overview => {
                let n = (self.overview.top.len() + self.overview.links.len()) as isize;
                if n > 0 {
                    self.overview_cursor =
                        (self.overview_cursor as isize + delta).clamp(0, n - 1) as usize;
                }
            }
            Screen::Scan => {}
            _ => {
                let n = self.detail.lines.len() as isize;
                if n > 0 {
                    let c = (self.detail.cursor as isize + delta).clamp(0, n - 1) as usize;
                    self.detail.cursor = c;
                    *self.cursor_mut() = c;
                }
            }
        }
    }

    /// Enter: drill into what is selected. In an organization, a list row of another account
    /// first makes that account the one held.
    pub fn enter(&mut self) {
        if self.org.is_some()
            && let Some(id) = self.list().and_then(|l| l.selected_account())
            && !self.switch_to(&id)
        {
            return;
        }
        let inv = &self.snapshot.inventory;
        let focused = self
            .org_focus
            .filter(|_| self.on_accounts())
            .and_then(|c| self.org_panel.as_ref()?.top.get(c))
            .map(|(f, _)| Screen::Function(f.arn.clone()));
        let next = match self.screen() {
            _ if focused.is_some() => focused,
            Screen::Overview if self.overview_cursor >= self.overview.top.len() => {
                let at = self.overview_cursor - self.overview.top.len();
                match self.overview.links.get(at).map(|l| l.opens.clone()) {
                    Some(super::overview::Opens::Function(arn)) => Some(Screen::Function(arn)),
                    Some(super::overview::Opens::Command(cmd)) => {
                        self.command(&cmd);
                        return;
                    }
                    None => None,
                }
            }
            Screen::Overview => self
                .overview
                .top
                .get(self.overview_cursor)
                .map(|t| Screen::Function(t.arn.clone())),
            Screen::List(_) => self.list().and_then(|l| l.open(inv)),
            Screen::Scan => None,
            _ => self.detail.link_at_cursor(),
        };
        let Some(next) = next else {
            return;
        };
        // A link to a resource of another account (a hop of a path across accounts, a function
        // of another account that may become this role) reads that account first; going back
        // reads this one again.
        if !super::screen::holds(&self.snapshot.inventory, &next)
            && let Some(id) = next.resource_account()
            && id != self.snapshot.account.id
        {
            let id = id.to_string();
            if self.org.is_none() {
                self.status = Some((
                    format!(
                        "{} is in account {id}, which this snapshot does not hold: open the organization's snapshot to follow it",
                        next.arn().unwrap_or_default()
                    ),
                    true,
                ));
                return;
            }
            let here = self.snapshot.account.id.clone();
            if !self.switch_to(&id) {
                return;
            }
            self.stack.push(Place {
                screen: next,
                cursor: 0,
                left: Some(here),
            });
            self.rebuild_detail();
            return;
        }
        self.push(next);
    }

    /// What `e` exports here: in an organization, outside any account and on a list (its
    /// accounts, or one that spans them), the organization; else the account held.
    pub fn exported(&self) -> Exported {
        if self.org.is_some() && !self.in_account() && self.screen().is_list() {
            Exported::Organization
        } else {
            Exported::Account
        }
    }

    /// The ARN of what is selected, for `y`.
    pub fn selected_arn(&self) -> Option<String> {
        match self.screen() {
            Screen::Overview => self
                .overview
                .top
                .get(self.overview_cursor)
                .map(|t| t.arn.clone()),
            Screen::List(_) => self.list().and_then(|l| l.selected_arn()),
            screen => screen.arn().map(str::to_string),
        }
    }
}
