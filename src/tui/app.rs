//! The explorer's state, driven by events and drawn by `views`. No terminal, no I/O here: side
//! effects (quit, copy, export, rescan) are returned as [`Effect`]s for the runner, so tests can
//! drive the app with key events and render it to a `TestBackend`.

use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

use super::overview::Overview;
use super::rows::{
    API_COLUMNS, ApiRow, FINDING_COLUMNS, FUNCTION_COLUMNS, FindingRow, FunctionRow,
    MARKED_FINDING_COLUMNS, ROLE_COLUMNS, RoleRow, Rows, SECRET_COLUMNS, SecretRow,
};
use super::scan::ScanView;
use super::table::List;
use super::theme::Theme;
use crate::snapshot::Snapshot;

/// Where the operator is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Overview,
    Functions,
    Roles,
    Apis,
    Secrets,
    Findings,
    /// A function, by its index in the inventory.
    Function(usize),
    Role(String),
    Secret(usize),
    Api(String),
    Scan,
}

impl Screen {
    /// The `:` command names, and the number keys 1-6.
    pub const ROOTS: [(&'static str, &'static [&'static str], Screen); 6] = [
        ("overview", &["overview", "o", "home"], Screen::Overview),
        (
            "functions",
            &["functions", "function", "fn", "f", "lambda"],
            Screen::Functions,
        ),
        ("roles", &["roles", "role", "r", "iam"], Screen::Roles),
        ("apis", &["apis", "api", "a", "stages"], Screen::Apis),
        ("secrets", &["secrets", "secret", "s"], Screen::Secrets),
        (
            "findings",
            &["findings", "finding", "fi", "issues"],
            Screen::Findings,
        ),
    ];

    pub fn is_list(&self) -> bool {
        matches!(
            self,
            Screen::Functions | Screen::Roles | Screen::Apis | Screen::Secrets | Screen::Findings
        )
    }
}

/// A screen on the navigation stack, with where its cursor was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub screen: Screen,
    /// Detail screens' cursor line (lists and the overview keep their own selection).
    pub cursor: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Command(String),
    Filter(String),
    Help,
}

/// What the runner must do for the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Copy to the clipboard (OSC 52).
    Copy(String),
    /// Write the current snapshot to a file.
    Export,
    Rescan,
}

pub struct App {
    pub snapshot: Arc<Snapshot>,
    pub theme: Theme,
    /// Where the snapshot came from, for the title bar (`demo`, a file, a live scan).
    pub source: String,
    pub stack: Vec<Place>,
    pub mode: Mode,
    pub functions: List<FunctionRow>,
    pub roles: List<RoleRow>,
    pub apis: List<ApiRow>,
    pub secrets: List<SecretRow>,
    /// The lists' rows while a background thread builds them (see `new`).
    rows: Option<std::thread::JoinHandle<Rows>>,
    pub findings: List<FindingRow>,
    pub overview: Overview,
    /// The overview's selected row in its top-ten list.
    pub overview_cursor: usize,
    /// Lines of the detail screen on top, rebuilt when it changes.
    pub detail: super::detail::DetailView,
    pub scan: Option<ScanView>,
    pub can_rescan: bool,
    /// A scan is under way: `r` starts no second one (one scan, one rate limiter per process).
    pub scan_running: bool,
    /// A one-line message for the status bar, and whether it is an error.
    pub status: Option<(String, bool)>,
    pub mouse: bool,
    /// Findings muted by the mute file, and those new since an older snapshot.
    pub marks: Arc<Marks>,
}

/// What the explorer marks on findings beyond the snapshot itself.
#[derive(Debug, Default)]
pub struct Marks {
    pub muting: crate::assess::mute::Muting,
    /// With `--since OLD`: the findings OLD did not have (places in the assessment's findings).
    pub new: Option<std::collections::HashSet<usize>>,
    /// The older snapshot's name, for the overview.
    pub since: Option<String>,
}

/// A finding's mark in the lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    None,
    New,
    Muted,
}

impl Mark {
    pub fn label(self) -> &'static str {
        match self {
            Mark::None => "",
            Mark::New => "new",
            Mark::Muted => "muted",
        }
    }
}

impl Marks {
    /// True when findings can carry a mark (mutes loaded, or an older snapshot given).
    pub fn is_marking(&self) -> bool {
        !self.muting.is_empty() || self.new.is_some()
    }

    /// Muted wins over new: a new finding already accepted needs no attention.
    pub fn mark(&self, finding: usize) -> Mark {
        if self.muting.of(finding).is_some() {
            Mark::Muted
        } else if self.new.as_ref().is_some_and(|n| n.contains(&finding)) {
            Mark::New
        } else {
            Mark::None
        }
    }
}

type Lists = (
    List<FunctionRow>,
    List<RoleRow>,
    List<ApiRow>,
    List<SecretRow>,
    List<FindingRow>,
);

/// Every list on its rows, with its columns and first sort (`marked`: the findings get a STATE
/// column).
fn lists(rows: Rows, marked: bool) -> Lists {
    (
        List::new(rows.functions, &FUNCTION_COLUMNS, 0),
        List::new(rows.roles, &ROLE_COLUMNS, 0),
        List::new(rows.apis, &API_COLUMNS, 0),
        List::new(rows.secrets, &SECRET_COLUMNS, 0),
        if marked {
            List::new(rows.findings, &MARKED_FINDING_COLUMNS, 0)
        } else {
            List::new(rows.findings, &FINDING_COLUMNS, 0)
        },
    )
}

impl App {
    /// An app on an assessed snapshot (one without an assessment is assessed here).
    pub fn new(snapshot: Snapshot, theme: Theme, source: impl Into<String>) -> App {
        App::marked(snapshot, theme, source, Marks::default())
    }

    /// An app whose findings carry `marks` (muted, new since an older scan).
    pub fn marked(
        mut snapshot: Snapshot,
        theme: Theme,
        source: impl Into<String>,
        marks: Marks,
    ) -> App {
        if snapshot.assessment.is_none() {
            snapshot.assessment();
        }
        let snapshot = Arc::new(snapshot);
        let assessment = snapshot.assessment.as_ref().expect("assessed above");
        // The overview is what opens; the lists' rows are built meanwhile on another thread and
        // taken in by the first key or list screen (`take_lists`), so a large account's overview
        // is on screen without waiting for ten thousand rows.
        let marks = Arc::new(marks);
        let rows = {
            let snapshot = Arc::clone(&snapshot);
            let marks = Arc::clone(&marks);
            std::thread::spawn(move || {
                let assessment = snapshot.assessment.as_ref().expect("assessed above");
                Rows::build(&snapshot, assessment, &marks)
            })
        };
        let mut overview = Overview::build(&snapshot, assessment);
        overview.marks = Overview::mark_lines(&marks);
        let (functions, roles, apis, secrets, findings) =
            lists(Rows::default(), marks.is_marking());
        App {
            functions,
            roles,
            apis,
            secrets,
            findings,
            rows: Some(rows),
            overview,
            overview_cursor: 0,
            detail: super::detail::DetailView::default(),
            snapshot,
            theme,
            source: source.into(),
            stack: vec![Place {
                screen: Screen::Overview,
                cursor: 0,
            }],
            mode: Mode::Normal,
            scan: None,
            can_rescan: false,
            scan_running: false,
            status: None,
            mouse: false,
            marks,
        }
    }

    /// An app that shows a scan in progress (it gets its snapshot when the scan ends).
    pub fn scanning(theme: Theme, source: impl Into<String>) -> App {
        let mut app = App::new(crate::demo::empty_snapshot(), theme, source);
        app.scan = Some(ScanView::default());
        app.stack = vec![Place {
            screen: Screen::Scan,
            cursor: 0,
        }];
        app.can_rescan = true;
        app.scan_running = true;
        app
    }

    /// A finished scan's snapshot replaces the current one; the overview opens.
    pub fn load(&mut self, mut snapshot: Snapshot) {
        // The mutes carry over to the new scan; "new since" was about the old snapshot.
        let marks = Marks {
            muting: {
                snapshot.assessment();
                let a = snapshot.assessment.as_ref().expect("assessed above");
                self.marks.muting.reapply(a, &snapshot.inventory)
            },
            ..Marks::default()
        };
        let mut next = App::marked(snapshot, self.theme.clone(), self.source.clone(), marks);
        next.can_rescan = self.can_rescan;
        next.mouse = self.mouse;
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
        self.stack.push(Place { screen, cursor: 0 });
        self.rebuild_detail();
    }

    /// Goes back one screen; the one below keeps its cursor.
    pub fn back(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
            self.rebuild_detail();
        }
    }

    /// Jumps to a top-level screen (`:functions`, `2`), keeping the overview at the root.
    pub fn go(&mut self, screen: Screen) {
        self.stack.truncate(1);
        if self.stack[0].screen != Screen::Overview {
            self.stack[0] = Place {
                screen: Screen::Overview,
                cursor: 0,
            };
        }
        if screen != Screen::Overview {
            self.push(screen);
        }
        self.rebuild_detail();
    }

    fn rebuild_detail(&mut self) {
        let cursor = self.stack.last().map_or(0, |p| p.cursor);
        self.detail = super::detail::DetailView::build(self, cursor);
    }

    /// The breadcrumb labels, root first.
    pub fn breadcrumbs(&self) -> Vec<String> {
        let inv = &self.snapshot.inventory;
        self.stack
            .iter()
            .map(|p| match &p.screen {
                Screen::Overview => "overview".to_string(),
                Screen::Functions => "functions".into(),
                Screen::Roles => "roles".into(),
                Screen::Apis => "apis".into(),
                Screen::Secrets => "secrets".into(),
                Screen::Findings => "findings".into(),
                Screen::Function(i) => format!("function {}", inv.functions[*i].name),
                Screen::Role(arn) => format!("role {}", arn.rsplit('/').next().unwrap_or(arn)),
                Screen::Secret(i) => format!("secret {}", inv.secrets[*i].name),
                Screen::Api(arn) => format!(
                    "api {}",
                    inv.rest_apis
                        .iter()
                        .find(|a| &a.arn == arn)
                        .map(|a| a.name.as_str())
                        .or_else(|| inv
                            .http_apis
                            .iter()
                            .find(|a| &a.arn == arn)
                            .map(|a| a.name.as_str()))
                        .unwrap_or(arn)
                ),
                Screen::Scan => "scan".into(),
            })
            .collect()
    }

    /// Handles one terminal event; returns what the runner must do.
    /// Takes in the lists' rows, waiting for them if they are still being built. Every event and
    /// every list screen calls it first; it is instant after the first time.
    pub fn take_lists(&mut self) {
        if let Some(building) = self.rows.take() {
            let rows = building.join().expect("building the rows does not panic");
            (
                self.functions,
                self.roles,
                self.apis,
                self.secrets,
                self.findings,
            ) = lists(rows, self.marks.is_marking());
        }
    }

    pub fn handle(&mut self, event: &Event) -> Vec<Effect> {
        self.take_lists();
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
            Mode::Command(mut buf) => {
                match k.code {
                    KeyCode::Esc => self.mode = Mode::Normal,
                    KeyCode::Enter => {
                        self.mode = Mode::Normal;
                        return self.command(buf.trim());
                    }
                    KeyCode::Backspace => {
                        buf.pop();
                        self.mode = Mode::Command(buf);
                    }
                    KeyCode::Char(c) => {
                        buf.push(c);
                        self.mode = Mode::Command(buf);
                    }
                    _ => {}
                }
                Vec::new()
            }
            Mode::Filter(mut buf) => {
                match k.code {
                    KeyCode::Esc => {
                        self.mode = Mode::Normal;
                        self.set_filter("");
                    }
                    KeyCode::Enter => self.mode = Mode::Normal,
                    KeyCode::Backspace => {
                        buf.pop();
                        self.set_filter(&buf);
                        self.mode = Mode::Filter(buf);
                    }
                    KeyCode::Char(c) => {
                        buf.push(c);
                        self.set_filter(&buf);
                        self.mode = Mode::Filter(buf);
                    }
                    KeyCode::Down => self.move_by(1),
                    KeyCode::Up => self.move_by(-1),
                    _ => {}
                }
                Vec::new()
            }
            Mode::Normal => self.normal_key(k),
        }
    }

    fn normal_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        self.status = None;
        match k.code {
            KeyCode::Char('q') => return vec![Effect::Quit],
            KeyCode::Char(':') => self.mode = Mode::Command(String::new()),
            KeyCode::Char('/') if self.screen().is_list() => {
                self.mode = Mode::Filter(self.current_filter().to_string());
            }
            KeyCode::Char('?') => self.mode = Mode::Help,
            KeyCode::Char(c @ '1'..='6') => {
                let i = c as usize - '1' as usize;
                self.go(Screen::ROOTS[i].2.clone());
            }
            KeyCode::Char('j') | KeyCode::Down => self.move_by(1),
            KeyCode::Char('k') | KeyCode::Up => self.move_by(-1),
            KeyCode::Char('d') if ctrl => self.move_by(10),
            KeyCode::Char('u') if ctrl => self.move_by(-10),
            KeyCode::PageDown => self.move_by(20),
            KeyCode::PageUp => self.move_by(-20),
            KeyCode::Char('g') | KeyCode::Home => self.move_by(isize::MIN / 2),
            KeyCode::Char('G') | KeyCode::End => self.move_by(isize::MAX / 2),
            KeyCode::Enter | KeyCode::Char('l') | KeyCode::Right => self.enter(),
            KeyCode::Esc | KeyCode::Backspace | KeyCode::Char('h') | KeyCode::Left => {
                if self.screen().is_list() && !self.current_filter().is_empty() {
                    self.set_filter("");
                } else {
                    self.back();
                }
            }
            KeyCode::Char('s') => self.sort(false),
            KeyCode::Char('S') => self.sort(true),
            KeyCode::Char('y') => match self.selected_arn() {
                Some(arn) => {
                    self.status = Some((format!("copied {arn}"), false));
                    return vec![Effect::Copy(arn)];
                }
                None => self.status = Some(("nothing to copy here".into(), true)),
            },
            KeyCode::Char('e') => return vec![Effect::Export],
            KeyCode::Char('r') if self.can_rescan && self.scan_running => {
                self.status = Some(("a scan is running: wait for it to finish".into(), false));
            }
            KeyCode::Char('r') if self.can_rescan => return vec![Effect::Rescan],
            KeyCode::Char('r') => {
                self.status = Some((
                    "this snapshot was not scanned live: nothing to rescan".into(),
                    true,
                ))
            }
            KeyCode::Char('T') => {
                let next = self.theme.next_preset_name();
                self.set_theme(next);
            }
            _ => {}
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
        if let Some((_, _, screen)) = Screen::ROOTS
            .iter()
            .find(|(_, names, _)| names.contains(&head))
        {
            self.go(screen.clone());
            // `:functions runtime:python3.9` opens the list filtered.
            let rest: Vec<&str> = words.collect();
            if !rest.is_empty() && self.screen().is_list() {
                self.set_filter(&rest.join(" "));
            }
            return Vec::new();
        }
        self.status = Some((
            format!(
                "unknown command :{head} (try :functions, :roles, :apis, :secrets, :findings, :overview, :theme)"
            ),
            true,
        ));
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
        match self.screen() {
            Screen::Functions => &self.functions.filter,
            Screen::Roles => &self.roles.filter,
            Screen::Apis => &self.apis.filter,
            Screen::Secrets => &self.secrets.filter,
            Screen::Findings => &self.findings.filter,
            _ => "",
        }
    }

    pub fn set_filter(&mut self, text: &str) {
        match self.screen() {
            Screen::Functions => self.functions.set_filter(text),
            Screen::Roles => self.roles.set_filter(text),
            Screen::Apis => self.apis.set_filter(text),
            Screen::Secrets => self.secrets.set_filter(text),
            Screen::Findings => self.findings.set_filter(text),
            _ => {}
        }
    }

    fn sort(&mut self, reverse: bool) {
        macro_rules! sort {
            ($l:expr) => {{
                let col = if reverse {
                    $l.sort
                } else {
                    ($l.sort + 1) % $l.columns.len()
                };
                $l.sort_by(col);
                let c = &$l.columns[$l.sort];
                self.status = Some((
                    format!(
                        "sorted by {} {}",
                        c.title.to_lowercase(),
                        if $l.desc { "descending" } else { "ascending" }
                    ),
                    false,
                ));
            }};
        }
        match self.screen() {
            Screen::Functions => sort!(self.functions),
            Screen::Roles => sort!(self.roles),
            Screen::Apis => sort!(self.apis),
            Screen::Secrets => sort!(self.secrets),
            Screen::Findings => sort!(self.findings),
            _ => {}
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        match self.screen().clone() {
            Screen::Functions => self.functions.move_by(delta),
            Screen::Roles => self.roles.move_by(delta),
            Screen::Apis => self.apis.move_by(delta),
            Screen::Secrets => self.secrets.move_by(delta),
            Screen::Findings => self.findings.move_by(delta),
            Screen::Overview => {
                let n = self.overview.top.len() as isize;
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

    /// Enter: drill into what is selected.
    pub fn enter(&mut self) {
        let inv = &self.snapshot.inventory;
        let next = match self.screen() {
            Screen::Overview => self
                .overview
                .top
                .get(self.overview_cursor)
                .and_then(|t| inv.functions.iter().position(|f| f.arn == t.arn))
                .map(Screen::Function),
            Screen::Functions => self.functions.selected().map(|r| Screen::Function(r.idx)),
            Screen::Roles => self.roles.selected().map(|r| Screen::Role(r.arn.clone())),
            Screen::Apis => self.apis.selected().map(|r| Screen::Api(r.arn.clone())),
            Screen::Secrets => self.secrets.selected().map(|r| Screen::Secret(r.idx)),
            Screen::Findings => self
                .findings
                .selected()
                .and_then(|f| self.screen_for(&f.resource)),
            Screen::Scan => None,
            _ => self.detail.link_at_cursor(),
        };
        if let Some(s) = next {
            self.push(s);
        }
    }

    /// The screen that shows a resource, by ARN (stages show their API).
    pub fn screen_for(&self, arn: &str) -> Option<Screen> {
        let inv = &self.snapshot.inventory;
        if let Some(i) = inv.functions.iter().position(|f| f.arn == arn) {
            return Some(Screen::Function(i));
        }
        if inv.roles.iter().any(|r| r.arn == arn) {
            return Some(Screen::Role(arn.to_string()));
        }
        if let Some(i) = inv.secrets.iter().position(|s| s.arn == arn) {
            return Some(Screen::Secret(i));
        }
        let api = arn.split("/stages/").next().unwrap_or(arn);
        if inv.rest_apis.iter().any(|a| a.arn == api) || inv.http_apis.iter().any(|a| a.arn == api)
        {
            return Some(Screen::Api(api.to_string()));
        }
        None
    }

    /// The ARN of what is selected, for `y`.
    pub fn selected_arn(&self) -> Option<String> {
        let inv = &self.snapshot.inventory;
        match self.screen() {
            Screen::Overview => self
                .overview
                .top
                .get(self.overview_cursor)
                .map(|t| t.arn.clone()),
            Screen::Functions => self.functions.selected().map(|r| r.arn.clone()),
            Screen::Roles => self.roles.selected().map(|r| r.arn.clone()),
            Screen::Apis => self.apis.selected().map(|r| r.arn.clone()),
            Screen::Secrets => self.secrets.selected().map(|r| r.arn.clone()),
            Screen::Findings => self.findings.selected().map(|r| r.resource.clone()),
            Screen::Function(i) => Some(inv.functions[*i].arn.clone()),
            Screen::Role(arn) | Screen::Api(arn) => Some(arn.clone()),
            Screen::Secret(i) => Some(inv.secrets[*i].arn.clone()),
            Screen::Scan => None,
        }
    }
}
