//! The explorer driven by key events and drawn to ratatui's TestBackend: snapshots of every view
//! at 120x40 and 80x24 on the demo account, styles that must survive (severity colours, reversed
//! selection under NO_COLOR), tiny terminals and resizes, and drilling down and back.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use sprawl::tui::app::{App, Effect, Exported, Screen};
use sprawl::tui::rows::{Accounted, FindingRow, FunctionRow, PathRow};
use sprawl::tui::theme::Theme;
use sprawl::tui::views;

fn demo(theme: Theme) -> App {
    App::new(sprawl::demo::snapshot(), theme, "demo account")
}

fn app() -> App {
    demo(Theme::preset("default").unwrap())
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.handle(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub(crate) fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| views::draw(app, f)).unwrap();
    t
}

pub(crate) fn text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Moves the detail's cursor to the line linking `to`, and opens it.
fn follow(a: &mut App, to: Screen) {
    let at = a
        .detail
        .lines
        .iter()
        .position(|l| l.link.as_ref() == Some(&to))
        .unwrap_or_else(|| panic!("no link to {to:?}"));
    a.move_by(at as isize - a.detail.cursor as isize);
    key(a, KeyCode::Enter);
}

/// Goes to a screen the way an operator would.
fn visit(app: &mut App, screen: &str) {
    match screen {
        "overview" | "functions" | "roles" | "apis" | "secrets" | "findings" => {
            keys(app, &format!(":{screen}"));
            key(app, KeyCode::Enter);
        }
        "function" => {
            keys(app, ":overview");
            key(app, KeyCode::Enter);
            key(app, KeyCode::Enter);
        }
        "role" => {
            visit(app, "roles");
            key(app, KeyCode::Enter);
        }
        "api" => {
            visit(app, "apis");
            key(app, KeyCode::Enter);
        }
        "secret" => {
            visit(app, "secrets");
            key(app, KeyCode::Enter);
        }
        "help" => {
            key(app, KeyCode::Char('?'));
        }
        other => panic!("{other}"),
    }
}

/// Every view `visit` knows.
const SCREENS: [&str; 11] = [
    "overview",
    "functions",
    "roles",
    "apis",
    "secrets",
    "findings",
    "function",
    "role",
    "api",
    "secret",
    "help",
];

/// The screens issue 12 corrected, at the 140x45 where each was seen: a label as wide as its
/// column (`reserved concurrency`) and CRITICAL keep a space before what follows, one entry point
/// admitted by two statements is one line, value kinds are words, `G` shows a full last page,
/// and the overview's coverage line is whole.
#[test]
fn corrected_screens_at_140x45() {
    let open = |name: &str| {
        let mut a = app();
        keys(&mut a, &format!(":functions {name}"));
        key(&mut a, KeyCode::Enter);
        key(&mut a, KeyCode::Enter);
        a
    };
    // The riskiest function: its configuration, entry points and findings.
    let mut a = open("growth-referral-webhook");
    let shown = text(&draw(&mut a, 140, 45));
    assert!(shown.contains("reserved concurrency none"), "{shown}");
    insta::assert_snapshot!("function_top_140x45", shown);
    // Its environment: value kinds in words (the findings' evidence keeps the identifiers the
    // exports carry).
    let at = a
        .detail
        .lines
        .iter()
        .position(|l| l.line.to_string() == "Environment")
        .expect("an Environment section");
    a.move_by(at as isize);
    let shown = text(&draw(&mut a, 140, 45));
    let variable = shown
        .lines()
        .find(|l| l.contains("PARTNER_API_TOKEN") && l.contains("(redacted)"))
        .expect("the variable's line");
    assert!(
        variable.contains("API token, 33-64 characters"),
        "{variable}"
    );
    insta::assert_snapshot!("function_environment_140x45", shown);
    // Its last page, full to the bottom.
    key(&mut a, KeyCode::Char('G'));
    insta::assert_snapshot!("function_last_page_140x45", text(&draw(&mut a, 140, 45)));
    // A URL admitted by both statements of the legacy model is listed once, counted.
    let mut a = open("marketing-unsubscribe");
    let shown = text(&draw(&mut a, 140, 45));
    insta::assert_snapshot!("function_entry_points_140x45", shown);
    let mut a = app();
    let shown = text(&draw(&mut a, 140, 45));
    assert!(shown.contains("checks not assessed"), "{shown}");
    insta::assert_snapshot!("overview_140x45", shown);
}

/// `G` on a detail screen leaves the last line at the bottom of a full screen.
#[test]
fn the_last_page_of_a_detail_is_full() {
    let mut a = app();
    visit(&mut a, "function");
    key(&mut a, KeyCode::Char('G'));
    let rows: Vec<String> = text(&draw(&mut a, 120, 40))
        .lines()
        .map(str::to_string)
        .collect();
    // Title, breadcrumbs, the box (top border, 35 lines, bottom border), status.
    let inside = &rows[3..38];
    let blank = inside
        .iter()
        .filter(|l| l.trim_matches(|c| c == '│' || c == ' ').is_empty())
        .count();
    assert!(
        blank <= 3,
        "{blank} blank lines on the last page:\n{}",
        rows.join("\n")
    );
}

#[test]
fn every_view_at_three_sizes() {
    for screen in SCREENS {
        for (w, h) in [(120, 40), (80, 24), (200, 60)] {
            let mut a = app();
            visit(&mut a, screen);
            let t = draw(&mut a, w, h);
            insta::assert_snapshot!(format!("{screen}_{w}x{h}"), text(&t));
        }
    }
}

#[test]
fn the_scan_screen_shows_progress_per_service_and_region() {
    use sprawl::model::ProgressEvent;
    use sprawl::model::Service;
    let mut a = App::scanning(Theme::preset("default").unwrap(), "live scan");
    let scan = a.scan.as_mut().unwrap();
    scan.apply(&ProgressEvent::Started {
        account: "123456789012".into(),
        regions: vec!["eu-west-1".into()],
    });
    scan.apply(&ProgressEvent::ServiceStarted {
        service: Service::Lambda,
        region: "eu-west-1".into(),
    });
    for _ in 0..3 {
        scan.apply(&ProgressEvent::Call {
            service: Service::Lambda,
            region: "eu-west-1".into(),
            operation: "GetFunction",
            failure: None,
        });
    }
    scan.apply(&ProgressEvent::Call {
        service: Service::Lambda,
        region: "eu-west-1".into(),
        operation: "GetPolicy",
        failure: Some(sprawl::model::FailureKind::AccessDenied),
    });
    scan.apply(&ProgressEvent::Found {
        service: Service::Lambda,
        region: "eu-west-1".into(),
        count: 42,
    });
    let t = draw(&mut a, 80, 24);
    let screen = text(&t);
    // The header speaks of the scan under way, not of the placeholder behind it.
    let header = screen.lines().next().unwrap();
    assert!(
        header.contains("account 123456789012") && header.contains("42 resources found"),
        "{header}"
    );
    insta::assert_snapshot!("scan_80x24", screen);
    // `r` during a scan starts nothing, and says why.
    assert!(key(&mut a, KeyCode::Char('r')).is_empty());
    assert!(
        a.status
            .as_ref()
            .is_some_and(|(m, _)| m.contains("a scan is running")),
        "{:?}",
        a.status
    );
}

#[test]
fn severity_colours_and_the_selection_survive() {
    let mut a = app();
    visit(&mut a, "findings");
    let t = draw(&mut a, 120, 40);
    let buf = t.backend().buffer();
    let theme = Theme::preset("default").unwrap();
    // The first finding is critical: its severity cell carries the critical colour, and the
    // selected row the selection background.
    let row = (0..buf.area.height)
        .find(|&y| {
            (0..buf.area.width).any(|x| buf[(x, y)].symbol() == "c") && {
                let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
                line.contains("critical")
            }
        })
        .unwrap();
    let x = (0..buf.area.width)
        .find(|&x| buf[(x, row)].symbol() == "c")
        .unwrap();
    assert_eq!(
        buf[(x, row)].bg,
        theme.selection.bg.unwrap(),
        "the first row is selected"
    );
    key(&mut a, KeyCode::Down);
    let t = draw(&mut a, 120, 40);
    let buf = t.backend().buffer();
    assert_eq!(
        buf[(x, row)].fg,
        theme.critical.fg.unwrap(),
        "critical in red once not selected"
    );

    // Without colour: no colour anywhere, the selection reversed, the sorted header underlined.
    let mut plain = demo(Theme::load(None, true).unwrap());
    visit(&mut plain, "functions");
    let t = draw(&mut plain, 120, 40);
    let buf = t.backend().buffer();
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
    let selected = (0..buf.area.height)
        .find(|&y| buf[(3, y)].modifier.contains(Modifier::REVERSED))
        .expect("a reversed row");
    assert!(selected > 2);
    let header = (0..buf.area.height).find(|&y| {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        line.contains("SCORE ▼")
    });
    let y = header.expect("the sorted column shows its direction");
    assert!((0..buf.area.width).any(|x| buf[(x, y)].modifier.contains(Modifier::UNDERLINED)));
}

#[test]
fn tiny_terminals_and_resizes_do_not_panic() {
    let mut a = app();
    let t = draw(&mut a, 20, 5);
    assert!(text(&t).contains("too small"));
    for screen in ["functions", "function", "help"] {
        visit(&mut a, screen);
        let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
        term.draw(|f| views::draw(&a, f)).unwrap();
        for (w, h) in [(30, 8), (1, 1), (60, 12), (200, 60), (80, 24)] {
            term.backend_mut().resize(w, h);
            term.draw(|f| views::draw(&a, f)).unwrap();
        }
    }
}

#[test]
fn drilling_from_the_overview_to_a_function_and_back_lands_where_it_started() {
    let mut a = app();
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    let start = a.overview_cursor;
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.screen(), Screen::Function(_)));
    // Down to the role link, into the role, into another function on it, and all the way back.
    let role_line = a
        .detail
        .lines
        .iter()
        .position(|l| matches!(l.link, Some(Screen::Role(_))))
        .unwrap();
    for _ in 0..role_line {
        key(&mut a, KeyCode::Char('j'));
    }
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.screen(), Screen::Role(_)));
    assert_eq!(a.breadcrumbs().len(), 3, "{:?}", a.breadcrumbs());
    key(&mut a, KeyCode::Esc);
    assert!(matches!(a.screen(), Screen::Function(_)));
    assert_eq!(
        a.detail.cursor, role_line,
        "the function screen kept its cursor"
    );
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen(), &Screen::Overview);
    assert_eq!(a.overview_cursor, start);
}

#[test]
fn the_riskiest_function_its_role_and_the_other_functions_on_it() {
    let mut a = app();
    visit(&mut a, "roles");
    // The old administrator role runs several functions: its blast radius links to each.
    keys(&mut a, "/legacy-lambda-admin");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.screen(), Screen::Role(arn) if arn.ends_with("legacy-lambda-admin")));
    let links = a
        .detail
        .lines
        .iter()
        .filter(|l| matches!(l.link, Some(Screen::Function(_))))
        .count();
    assert!(links >= 3, "{links}");
}

#[test]
fn the_filter_language_narrows_the_list() {
    let mut a = app();
    visit(&mut a, "functions");
    let all = a.lists.of::<FunctionRow>().visible.len();
    key(&mut a, KeyCode::Char('/'));
    keys(&mut a, "team:payments runtime:python");
    key(&mut a, KeyCode::Enter);
    let rows: Vec<_> = a
        .lists
        .of::<FunctionRow>()
        .visible
        .iter()
        .map(|&i| &a.lists.of::<FunctionRow>().rows[i])
        .collect();
    assert!(!rows.is_empty() && rows.len() < all);
    assert!(
        rows.iter()
            .all(|r| r.team.as_deref() == Some("payments") && r.runtime.starts_with("python"))
    );
    keys(&mut a, "/");
    key(&mut a, KeyCode::Esc);
    assert_eq!(
        a.lists.of::<FunctionRow>().visible.len(),
        all,
        "Esc clears the filter"
    );
    // `:functions QUERY` opens the list filtered; risk>= compares severities.
    keys(&mut a, ":functions risk>=critical");
    key(&mut a, KeyCode::Enter);
    assert!(
        a.lists
            .of::<FunctionRow>()
            .visible
            .iter()
            .all(|&i| a.lists.of::<FunctionRow>().rows[i].counts[0] > 0)
    );
}

#[test]
fn keys_do_what_the_help_says() {
    let mut a = app();
    assert_eq!(key(&mut a, KeyCode::Char('q')), vec![Effect::Quit]);
    key(&mut a, KeyCode::Char('2'));
    assert_eq!(a.screen(), &Screen::list::<FunctionRow>());
    let copied = key(&mut a, KeyCode::Char('y'));
    assert!(matches!(&copied[..], [Effect::Copy(arn)] if arn.starts_with("arn:aws:lambda:")));
    assert_eq!(
        key(&mut a, KeyCode::Char('e')),
        vec![Effect::Export(Exported::Account)]
    );
    let first = a.lists.of::<FunctionRow>().sort;
    key(&mut a, KeyCode::Char('s'));
    assert_ne!(a.lists.of::<FunctionRow>().sort, first);
    key(&mut a, KeyCode::Char('T'));
    assert_eq!(a.theme.name, "light");
    keys(&mut a, ":theme high-contrast");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.theme.name, "high-contrast");
    keys(&mut a, ":nonsense");
    key(&mut a, KeyCode::Enter);
    assert!(
        a.status
            .as_ref()
            .is_some_and(|(m, err)| *err && m.contains("unknown command"))
    );
    key(&mut a, KeyCode::Char('G'));
    assert_eq!(
        a.lists.of::<FunctionRow>().state.selected(),
        Some(a.lists.of::<FunctionRow>().visible.len() - 1)
    );
    key(&mut a, KeyCode::Char('g'));
    assert_eq!(a.lists.of::<FunctionRow>().state.selected(), Some(0));
}

#[test]
fn every_view_draws_the_same_every_time() {
    // The layout solver's internal maps are seeded per thread: an over-constrained layout can
    // come out differently from one thread to the next. Each thread here starts cold.
    for screen in SCREENS {
        for (w, h) in [(120, 40), (80, 24), (61, 13)] {
            let frames: Vec<String> = (0..3)
                .map(|_| {
                    std::thread::spawn(move || {
                        let mut a = app();
                        visit(&mut a, screen);
                        text(&draw(&mut a, w, h))
                    })
                    .join()
                    .unwrap()
                })
                .collect();
            assert!(
                frames.windows(2).all(|p| p[0] == p[1]),
                "{screen} at {w}x{h} differs between draws"
            );
        }
    }
}

#[test]
fn a_role_read_from_a_file_shows_its_statements_and_says_when_they_are_damaged() {
    let json = String::from_utf8(sprawl::demo::snapshot().to_json()).unwrap();
    let open = |json: &str| {
        let snap = sprawl::snapshot::from_slice(json.as_bytes(), std::path::Path::new("s.json"));
        let mut a = App::new(snap.unwrap(), Theme::preset("default").unwrap(), "file");
        visit(&mut a, "roles");
        keys(&mut a, "/legacy-lambda-admin");
        key(&mut a, KeyCode::Enter);
        key(&mut a, KeyCode::Enter);
        text(&draw(&mut a, 120, 80))
    };
    let good = open(&json);
    assert!(
        good.contains("Trusted by") && good.contains("lambda.amazonaws.com"),
        "{good}"
    );
    assert!(!good.contains("unreadable"), "{good}");
    // Every role's statement list replaced by something that is JSON but not statements.
    let damaged = json.replace(r#""grants":[{"#, r#""grants":[7,{"#);
    assert_ne!(damaged, json);
    let shown = open(&damaged);
    assert!(
        shown.contains("statements: unreadable in this snapshot"),
        "{shown}"
    );
}

#[test]
fn new_and_muted_findings_are_marked_in_the_lists_and_details() {
    use sprawl::assess::mute::{Mute, Muting, Target};
    use sprawl::tui::app::{Mark, Marks};
    let now = sprawl::demo::snapshot();
    // The older scan lacked the riskiest function: its findings are new in this one.
    let riskiest = now.assessment.functions[0].arn.clone();
    let mut old_inventory = now.inventory.clone();
    old_inventory.functions.retain(|f| f.arn != riskiest);
    let old = sprawl::snapshot::Snapshot::new(
        now.account.clone(),
        now.regions.clone(),
        now.coverage.clone(),
        old_inventory,
        now.scanned_at,
    );
    let a = &now.assessment;
    let new = sprawl::export::diff::new_findings(&old.assessment, a).unwrap();
    // Its own findings, and its role's that a public function running as it raised (critical
    // only on an exploitable path): a raised severity is new too.
    let role = &now
        .inventory
        .functions
        .iter()
        .find(|f| f.arn == riskiest)
        .unwrap()
        .role_arn;
    let raised =
        |i: &usize| {
            let f = &a.findings[*i];
            &f.resource == role
                && old.assessment.findings.iter().any(|o| {
                    o.rule == f.rule && o.resource == f.resource && o.severity < f.severity
                })
        };
    assert!(
        new.iter()
            .all(|i| a.findings[*i].resource == riskiest || raised(i))
    );
    assert!(new.iter().any(raised), "the hook's role's chain was raised");
    assert_eq!(
        new.iter().filter(|i| !raised(i)).count(),
        a.findings_for(&riskiest).count()
    );
    // And the team accepted one risk on every role named legacy-*.
    let mute = Mute {
        line: 1,
        rule: "iam-role-admin".into(),
        target: Target::Resource("arn:aws:iam::*:role/legacy-*".into()),
        reason: "retiring in Q1".into(),
        expires: chrono::NaiveDate::from_ymd_opt(2099, 1, 1).unwrap(),
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let muting = Muting::apply(vec![mute], a, &now.inventory, today);
    assert_eq!(muting.muted_count(), 1);
    let marks = Marks {
        muting,
        new: Some(new.clone()),
        since: Some("yesterday.json".into()),
    };
    let mut app = App::marked(now, Theme::preset("default").unwrap(), "demo", marks);
    let overview = text(&draw(&mut app, 160, 40));
    assert!(
        overview.contains(&format!("{} findings new since yesterday.json", new.len())),
        "{overview}"
    );
    assert!(overview.contains("1 findings muted"), "{overview}");

    keys(&mut app, ":findings state:new");
    key(&mut app, KeyCode::Enter);
    // Every new finding is on a new row (a function's low hygiene gaps fold into one).
    let list = app.lists.of::<FindingRow>();
    assert!(list.visible.len() <= new.len() && !list.visible.is_empty());
    for i in &new {
        let f = &app.snapshot.assessment.findings[*i];
        assert!(
            list.visible.iter().any(|&r| {
                let row = &list.rows[r];
                row.resource == f.resource && row.rule.contains(&f.rule)
            }),
            "{} on {} has no row",
            f.rule,
            f.resource
        );
    }
    assert!(
        app.lists
            .of::<FindingRow>()
            .visible
            .iter()
            .all(|&i| app.lists.of::<FindingRow>().rows[i].mark == Mark::New)
    );
    let screen = text(&draw(&mut app, 160, 40));
    assert!(
        screen.contains("STATE") && screen.contains(" new "),
        "{screen}"
    );

    keys(&mut app, ":findings state:muted");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.lists.of::<FindingRow>().visible.len(), 1);
    let row = &app.lists.of::<FindingRow>().rows[app.lists.of::<FindingRow>().visible[0]];
    assert!(row.rule == "iam-role-admin" && row.name.starts_with("legacy-"));

    // The role's detail says why it is muted and until when.
    keys(&mut app, ":roles legacy-lambda-admin");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let detail = text(&draw(&mut app, 160, 60));
    assert!(
        detail.contains("muted until 2099-01-01 (mute file line 1): retiring in Q1"),
        "{detail}"
    );
}

/// The demo's planted credentials (digits, a PIN, a webhook whose path is the token, a token
/// left only in a published version) never reach a screen, while their names, kinds and the
/// versions that still hold them do.
#[test]
fn no_planted_secret_reaches_any_screen() {
    let mut a = app();
    let mut screens = String::new();
    for view in SCREENS {
        let mut fresh = app();
        visit(&mut fresh, view);
        screens.push_str(&text(&draw(&mut fresh, 200, 120)));
    }
    visit(&mut a, "functions");
    keys(&mut a, ":functions marketing-unsubscribe");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.lists.of::<FunctionRow>().visible.len(), 1);
    key(&mut a, KeyCode::Enter);
    let detail = text(&draw(&mut a, 200, 120));
    screens.push_str(&detail);
    for needle in sprawl::demo::PLANTED_SECRETS {
        assert!(!screens.contains(needle), "a screen shows {needle}");
    }
    for name in [
        "ADMIN_PIN",
        "DB_PASSWORD",
        "ALERT_WEBHOOK_URL",
        "KMS_KEY_ALIAS",
    ] {
        assert!(detail.contains(name), "{name} is not listed:\n{detail}");
    }
    assert!(
        detail.contains("PasswordLike, 1-8 characters, fingerprint hmac:"),
        "{detail}"
    );
    assert!(
        detail.contains("version 3") && detail.contains("MAILER_API_TOKEN (not in $LATEST)"),
        "{detail}"
    );
    assert!(detail.contains("legacy model"), "{detail}");
}

/// A scan started in the explorer, driven through the app's own methods: progress shows on the
/// scan screen, `r` starts no second scan, a failure stays on screen and in the status line (and
/// is kept for the exit code), and a later scan that succeeds opens its snapshot and clears it.
#[test]
fn a_scan_runs_through_the_app() {
    use sprawl::model::ProgressEvent;
    let mut a = App::scanning(Theme::preset("default").unwrap(), "live scan");
    a.can_rescan = true;
    assert_eq!(a.screen(), &Screen::Scan);
    a.scan_progress(&ProgressEvent::Started {
        account: "111122223333".into(),
        regions: vec!["us-east-1".into()],
    });
    assert_eq!(
        a.scan.as_ref().and_then(|s| s.account.as_deref()),
        Some("111122223333")
    );
    assert!(text(&draw(&mut a, 100, 30)).contains("account 111122223333"));
    assert!(
        key(&mut a, KeyCode::Char('r')).is_empty(),
        "one scan at a time"
    );

    let failure: sprawl::tui::ScanFailure =
        std::sync::Arc::new(std::io::Error::other("AccessDenied: sts:GetCallerIdentity"));
    a.scan_finished(Err(failure));
    assert!(!a.scan_running);
    assert_eq!(
        a.scan_failure.as_ref().map(|e| e.to_string()).as_deref(),
        Some("AccessDenied: sts:GetCallerIdentity")
    );
    let shown = text(&draw(&mut a, 100, 30));
    assert!(
        shown.contains("scan failed: AccessDenied: sts:GetCallerIdentity"),
        "{shown}"
    );
    assert_eq!(key(&mut a, KeyCode::Char('r')), vec![Effect::Rescan]);

    a.scan_started();
    assert!(a.scan_running);
    a.scan_finished(Ok(sprawl::demo::snapshot()));
    assert!(a.scan_failure.is_none());
    assert_eq!(a.screen(), &Screen::Overview);
    assert_eq!(a.snapshot.account.id, "111122223333");
    assert!(a.scan.as_ref().is_some_and(|s| s.done));
}

/// The overview's code storage: per region, every function's `$LATEST` and published versions
/// summed against the 75 GB quota, and the functions that keep the most versions.
#[test]
fn the_overview_counts_code_storage_per_region() {
    let snap = sprawl::demo::snapshot();
    let o = sprawl::tui::overview::Overview::build(&snap, &snap.assessment);
    for (region, bytes, unknown) in &o.storage {
        let expected: i64 = snap
            .inventory
            .functions
            .iter()
            .filter(|f| &f.region == region)
            .map(|f| {
                f.code_size_bytes
                    + f.versions
                        .iter()
                        .filter_map(|v| v.code_size_bytes)
                        .sum::<i64>()
            })
            .sum();
        assert_eq!(*bytes, expected, "{region}");
        assert_eq!(*unknown, 0);
    }
    assert_eq!(o.storage.len(), 3);
    assert!(o.storage.windows(2).all(|w| w[0].1 >= w[1].1), "most first");
    let most = &o.most_versions;
    assert!(most.len() >= 3 && most[0].1 > 10, "{most:?}");
    assert!(most.windows(2).all(|w| w[0].1 >= w[1].1));
    let mut a = app();
    let shown = text(&draw(&mut a, 140, 45));
    assert!(
        shown.contains("Code storage (of 75.0 GB a region)"),
        "{shown}"
    );
    assert_eq!(
        sprawl::tui::overview::size(3 * 1024 * 1024 * 1024 / 2),
        "1.5 GB"
    );
    assert_eq!(sprawl::tui::overview::size(48_213), "47 KB");
}

/// An organization's snapshot in the explorer: it opens on the accounts (read from the header),
/// Enter reads one account and shows its overview under the organization, Esc goes back, an
/// account that was not scanned says why, and the lists are the open account's.
#[test]
fn an_organization_opens_on_its_accounts() {
    use sprawl::snapshot::org::{self, AccountInfo, Member, Opened, Organization};
    use sprawl::tui::rows::AccountRow;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org.json");
    let account = |id: &str, keep: usize| {
        let mut s = sprawl::demo::snapshot();
        s.account.id = id.into();
        s.inventory.functions.truncate(keep);
        let now = s.scanned_at;
        s.reassess(now);
        s
    };
    let info = |id: &str, name: &str, ou: &str| AccountInfo {
        id: id.into(),
        name: Some(name.into()),
        ou_path: vec![ou.into()],
        status: Some("ACTIVE".into()),
    };
    org::write(
        &path,
        Organization {
            id: Some("o-demo".into()),
            management_account: Some("111111111111".into()),
            ..Default::default()
        },
        vec![
            Member {
                info: info("111111111111", "prod", "Workloads"),
                scan: Ok(account("111111111111", 40)),
            },
            Member {
                info: info("222222222222", "dev", "Sandbox"),
                scan: Ok(account("222222222222", 12)),
            },
            Member {
                info: info("333333333333", "acquired", "Acquisitions"),
                scan: Err(
                    "could not assume arn:aws:iam::333333333333:role/SprawlScan: AccessDenied"
                        .into(),
                ),
            },
        ],
    )
    .unwrap();
    let Opened::Organization(o) = org::open(&path).unwrap() else {
        panic!()
    };
    let mut a = App::organization(
        o,
        Theme::preset("default").unwrap(),
        "org.json",
        Default::default(),
    )
    .unwrap();
    assert_eq!(a.breadcrumbs(), ["organization"]);
    let shown = text(&draw(&mut a, 120, 40));
    insta::assert_snapshot!("accounts_120x40", shown);
    let rows = &a.lists.of::<AccountRow>().rows;
    assert_eq!(rows.len(), 3);

    // Sorted by risk: the scanned accounts first. Open the one the cursor is on.
    let first = a.lists.of::<AccountRow>().selected().unwrap().id.clone();
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen(), &Screen::Overview);
    assert_eq!(a.snapshot.account.id, first);
    assert!(
        a.breadcrumbs()[1].starts_with("account "),
        "{:?}",
        a.breadcrumbs()
    );
    // Inside an account, its lists are narrowed to it; the filter says so.
    keys(&mut a, "2");
    let functions = a.lists.of::<FunctionRow>();
    assert_eq!(
        functions.rows.len(),
        52,
        "every account's functions are rows"
    );
    assert_eq!(functions.filter, format!("account:{first}"));
    assert_eq!(
        functions.visible.len(),
        a.snapshot.inventory.functions.len()
    );
    assert_eq!(a.breadcrumbs().len(), 3, "{:?}", a.breadcrumbs());
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.breadcrumbs(), ["organization"]);

    // From the organization, the lists span every account, with an ACCOUNT column.
    keys(&mut a, "2");
    assert_eq!(a.breadcrumbs(), ["organization", "functions"]);
    let functions = a.lists.of::<FunctionRow>();
    assert_eq!(
        (functions.filter.as_str(), functions.visible.len()),
        ("", 52)
    );
    let shown = text(&draw(&mut a, 120, 40));
    insta::assert_snapshot!("org_functions_120x40", shown);
    assert!(
        shown.contains("ACCOUNT") && shown.contains("Functions (52)"),
        "{shown}"
    );
    // `account:` takes a name as well as an id; Enter opens the function in its own account.
    keys(&mut a, "/account:dev");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.lists.of::<FunctionRow>().visible.len(), 12);
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.screen(), Screen::Function(_)));
    assert_eq!(a.snapshot.account.id, "222222222222");
    let crumbs = a.breadcrumbs();
    assert!(
        crumbs[2].starts_with("function ") && crumbs[2].ends_with("(dev)"),
        "{crumbs:?}"
    );
    // Findings of every account, each row naming its account.
    keys(&mut a, ":findings account:prod");
    key(&mut a, KeyCode::Enter);
    assert_eq!(accounts_shown(a.lists.of::<FindingRow>()), ["111111111111"]);
    keys(&mut a, ":accounts");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.breadcrumbs(), ["organization"]);
    // A filter the operator typed stays; only the narrowing an account made comes off.
    assert_eq!(a.lists.of::<FindingRow>().filter, "account:prod");
    keys(&mut a, "/name:dev");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    let apis = |a: &App| a.lists.get("apis").unwrap().filter().to_string();
    assert_eq!(apis(&a), "account:222222222222");
    assert_eq!(a.lists.of::<FindingRow>().filter, "account:prod");
    assert_eq!(
        a.lists.of::<FunctionRow>().filter,
        "account:dev",
        "typed earlier"
    );
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.breadcrumbs(), ["organization"]);
    assert_eq!(apis(&a), "");
    assert_eq!(a.lists.of::<FindingRow>().filter, "account:prod");
    key(&mut a, KeyCode::Esc);

    // The account not scanned: Enter says why, and stays.
    keys(&mut a, "/scanned:no");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.breadcrumbs(), ["organization"]);
    let (status, error) = a.status.clone().unwrap();
    assert!(error && status.contains("AccessDenied"), "{status}");
    key(&mut a, KeyCode::Esc);

    // The other account: its own snapshot is read.
    let other = if first == "111111111111" {
        "222222222222"
    } else {
        "111111111111"
    };
    keys(&mut a, &format!("/account:{other}"));
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.snapshot.account.id, other);
    let shown = text(&draw(&mut a, 120, 40));
    assert!(shown.contains(&format!("account {other}")), "{shown}");
}

/// `sprawl demo` opens an organization: from its accounts to an account's overview, to a
/// function and back; the account that could not be scanned says why.
#[test]
fn the_demo_organization_walks_down_and_back() {
    let mut a = App::organization(
        sprawl::demo::org::snapshot().unwrap(),
        Theme::preset("default").unwrap(),
        "demo organization",
        Default::default(),
    )
    .unwrap();
    let shown = text(&draw(&mut a, 140, 45));
    insta::assert_snapshot!("demo_organization_140x45", shown);
    assert!(shown.contains("organization o-demo7x2k9q"), "{shown}");
    for name in [
        "management",
        "prod",
        "staging",
        "dev",
        "sandbox",
        "acquired-analytics",
    ] {
        assert!(shown.contains(name), "{name}: {shown}");
    }

    // The acquisition was not scanned: Enter says why and stays.
    keys(&mut a, "/name:acquired");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.breadcrumbs(), ["organization"]);
    let (status, error) = a.status.clone().unwrap();
    assert!(error && status.contains("AccessDenied"), "{status}");
    key(&mut a, KeyCode::Esc);

    // Down to prod, its riskiest function, and back.
    keys(&mut a, "/name:prod");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    assert_eq!(
        a.breadcrumbs(),
        ["organization", "account prod (222233334444)"]
    );
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.screen(), Screen::Function(_)));
    let crumbs = a.breadcrumbs();
    assert!(crumbs[2].starts_with("function "), "{crumbs:?}");
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.breadcrumbs(), ["organization"]);

    // The sandbox's public URLs, found from the organization's function list.
    keys(&mut a, ":functions account:sandbox triggers>0");
    key(&mut a, KeyCode::Enter);
    assert_eq!(
        accounts_shown(a.lists.of::<FunctionRow>()),
        ["777788889999"]
    );

    // The edges between accounts, strongest first: into prod's administrator (staging's
    // deployer and release role), into staging's deployer (from dev), and last the sandbox's
    // way into prod's break-glass role, stopped by an SCP. Enter opens the role reached, in its
    // own account.
    keys(&mut a, ":paths");
    key(&mut a, KeyCode::Enter);
    let shown = text(&draw(&mut a, 140, 45));
    insta::assert_snapshot!("demo_paths_140x45", shown);
    let paths = a.lists.of::<PathRow>();
    // Eleven: the sandbox's administrator also writes to dev's orders bus, whose rule runs dev's
    // auditor, and staging's release role publishes to its own release topic, which prod's smoke
    // test subscribes to ("triggers function").
    assert_eq!(paths.rows.len(), 11);
    assert!(
        paths
            .rows
            .iter()
            .any(|r| r.from.label == "sandbox" && r.to.label == "dev" && r.ends_at_resource()),
        "the sandbox's way into dev through its bus"
    );
    let first = &paths.rows[paths.visible[0]];
    assert_eq!(
        (
            first.from.label.as_str(),
            first.to.label.as_str(),
            first.to_admin,
            first.conditional
        ),
        ("staging", "prod", true, false)
    );
    // The stopped ones last: the sandbox's way into prod's break-glass role (an SCP), and its
    // read of a prod secret under the AWS managed key.
    let tail: Vec<&PathRow> = paths.visible[9..].iter().map(|&i| &paths.rows[i]).collect();
    assert!(
        tail.iter()
            .all(|r| r.from.label == "sandbox" && r.stopped.is_some())
    );
    assert!(
        tail[0].to_role.ends_with("prod-break-glass")
            && tail[0]
                .stopped
                .as_deref()
                .unwrap()
                .contains("SCP SandboxIsolation")
            && tail[0].scp == "deny",
        "{:?}",
        tail[0].stopped
    );
    assert!(
        tail[1].ends_at_resource()
            && tail[1]
                .stopped
                .as_deref()
                .unwrap()
                .contains("AWS managed key"),
        "{:?}",
        tail[1].stopped
    );
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.screen(), Screen::Role(arn) if arn.ends_with("role/prod-release-deployer")));
    assert_eq!(a.snapshot.account.id, "222233334444");
    assert_eq!(
        a.breadcrumbs(),
        ["organization", "paths", "role prod-release-deployer (prod)"]
    );
    // Its blast radius across accounts: the functions of dev and staging that may become it.
    let role = text(&draw(&mut a, 140, 45));
    assert!(
        role.contains("Blast radius across accounts: 10 functions of other accounts may become it")
            && role.contains("growth-signup-hook (dev)")
            && role.contains("growth-release-promote (staging)"),
        "{role}"
    );

    // The riskiest function of the organization: dev's public signup hook, whose chain crosses
    // staging into prod's administrator, each role hop a link into its own account.
    key(&mut a, KeyCode::Esc);
    keys(&mut a, ":functions name:growth-signup-hook");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.screen(), Screen::Function(_)));
    assert_eq!(a.snapshot.account.id, "111122223333");
    let shown = text(&draw(&mut a, 140, 45));
    insta::assert_snapshot!("demo_signup_hook_140x45", shown);
    let prod_admin = "arn:aws:iam::222233334444:role/prod-release-deployer";
    let at = a
        .detail
        .lines
        .iter()
        .position(|l| l.link == Some(Screen::Role(prod_admin.into())))
        .expect("the hop into prod links its role");
    for _ in 0..at {
        key(&mut a, KeyCode::Down);
    }
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.screen(), Screen::Role(arn) if arn == prod_admin));
    assert_eq!(a.snapshot.account.id, "222233334444");
    // Back: the function again, in its own account.
    key(&mut a, KeyCode::Esc);
    assert!(matches!(a.screen(), Screen::Function(_)));
    assert_eq!(a.snapshot.account.id, "111122223333");
    assert!(
        a.breadcrumbs()
            .last()
            .unwrap()
            .contains("growth-signup-hook"),
        "{:?}",
        a.breadcrumbs()
    );
}

/// The accounts of a list's visible rows, each once.
fn accounts_shown<R: Accounted>(list: &sprawl::tui::table::List<R>) -> Vec<String> {
    let mut ids: Vec<String> = list
        .visible
        .iter()
        .map(|&i| list.rows[i].account().id.clone())
        .collect();
    ids.dedup();
    ids.sort();
    ids.dedup();
    ids
}

/// The demo organization's app, opened on its accounts.
pub(crate) fn demo_organization() -> App {
    App::organization(
        sprawl::demo::org::snapshot().unwrap(),
        Theme::preset("default").unwrap(),
        "demo organization",
        Default::default(),
    )
    .unwrap()
}

/// Opens function `arn` from the organization's function list, as an operator would: the list
/// filtered to its name, the cursor on its row, Enter.
fn open_function(a: &mut App, name: &str, arn: &str) {
    keys(a, &format!(":functions name:{name}"));
    key(a, KeyCode::Enter);
    for _ in 0..a.lists.of::<FunctionRow>().visible.len() {
        if a.selected_arn().as_deref() == Some(arn) {
            break;
        }
        key(a, KeyCode::Down);
    }
    assert_eq!(a.selected_arn().as_deref(), Some(arn));
    key(a, KeyCode::Enter);
    assert_eq!(a.screen(), &Screen::Function(arn.to_string()));
}

/// Issue 20 (1): following a chain's hop into another account panicked (the function under it
/// was an index into the other account's list) or named another function. Every link of every
/// chain of the demo organization opens what it names, in its own account, and Esc comes back
/// to the function in its account; each screen on the way draws at 80x24.
#[test]
fn every_chain_link_of_the_demo_organization_opens_what_it_names_and_comes_back() {
    let mut a = demo_organization();
    let org = a.org.clone().unwrap();
    let mut followed = 0;
    let mut across = 0;
    for entry in org.header.accounts.iter().filter(|e| e.part.is_some()) {
        let id = entry.info.id.clone();
        let name = entry.info.name.clone().unwrap_or_else(|| id.clone());
        let snap = org.account(&id).unwrap();
        for report in &snap.assessment.functions {
            let chain = report.chain.get().unwrap();
            if !chain
                .iter()
                .any(|h| h.role.is_some() || h.label.starts_with("role "))
            {
                continue;
            }
            let fname = snap
                .inventory
                .functions
                .iter()
                .find(|f| f.arn == report.arn)
                .unwrap()
                .name
                .clone();
            open_function(&mut a, &fname, &report.arn);
            let crumbs_here = a.breadcrumbs();
            assert!(
                crumbs_here.last().unwrap() == &format!("function {fname} ({name})"),
                "{crumbs_here:?}"
            );
            // The chain's links: the lines between "Attack chain" and the next heading.
            let links: Vec<(usize, Screen)> = a
                .detail
                .lines
                .iter()
                .enumerate()
                .skip_while(|(_, l)| l.line.to_string() != "Attack chain")
                .take_while(|(_, l)| l.line.to_string() != "Configuration")
                .filter_map(|(i, l)| l.link.clone().map(|s| (i, s)))
                .collect();
            assert!(!links.is_empty(), "{fname}: its chain links no role");
            for (at, link) in links {
                // A role hop, or (issue 27) a secret the chain reads.
                let (kind, role) = match &link {
                    Screen::Role(arn) => ("role", arn),
                    Screen::Secret(arn) => ("secret", arn),
                    _ => panic!("{fname}: a chain link to {link:?}"),
                };
                a.move_by(at as isize - a.detail.cursor as isize);
                key(&mut a, KeyCode::Enter);
                followed += 1;
                assert_eq!(a.screen(), &link, "{fname}: line {at}");
                let role_account = role.split(':').nth(4).unwrap();
                assert_eq!(a.snapshot.account.id, role_account, "{fname} -> {role}");
                let crumb = a.breadcrumbs().last().unwrap().clone();
                let short = match kind {
                    "role" => role.rsplit('/').next().unwrap(),
                    // A secret's name, without the six characters AWS adds to its ARN.
                    _ => {
                        let tail = role.rsplit(":secret:").next().unwrap();
                        tail.rsplit_once('-').map_or(tail, |(name, _)| name)
                    }
                };
                assert!(crumb.starts_with(&format!("{kind} {short}")), "{crumb}");
                if role_account != id {
                    across += 1;
                    let other = org.entry(role_account).unwrap();
                    let other = other.info.name.as_deref().unwrap();
                    assert_eq!(crumb, format!("{kind} {short} ({other})"));
                    // The function below it keeps its own name and account.
                    let crumbs = a.breadcrumbs();
                    assert_eq!(crumbs[crumbs.len() - 2], crumbs_here[crumbs_here.len() - 1]);
                }
                assert!(
                    a.detail.title == format!("{kind} {short}"),
                    "{}",
                    a.detail.title
                );
                let shown = text(&draw(&mut a, 80, 24));
                assert!(shown.contains(short), "{shown}");
                key(&mut a, KeyCode::Esc);
                assert_eq!(a.screen(), &Screen::Function(report.arn.clone()));
                assert_eq!(a.snapshot.account.id, id);
                assert_eq!(a.breadcrumbs(), crumbs_here);
                assert_eq!(a.detail.cursor, at, "the cursor stays on the link followed");
            }
            key(&mut a, KeyCode::Esc);
        }
    }
    // dev's signup hook alone has two hops across accounts; staging's release functions one.
    assert!(
        followed > 20 && across >= 3,
        "{followed} links, {across} across"
    );
}

/// Issue 20 (11): a function of another account that may become a role opens in its own
/// account; in a lone account's snapshot, following a hop into an account it does not hold says
/// so on the status line and stays.
#[test]
fn blast_radius_rows_open_and_a_lone_account_says_why_it_cannot_follow() {
    let mut a = demo_organization();
    keys(&mut a, ":roles name:prod-release-deployer");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    let hook = "arn:aws:lambda:us-east-1:111122223333:function:growth-signup-hook";
    follow(&mut a, Screen::Function(hook.into()));
    assert_eq!(a.screen(), &Screen::Function(hook.into()));
    assert_eq!(a.snapshot.account.id, "111122223333");
    assert_eq!(
        a.breadcrumbs().last().unwrap(),
        "function growth-signup-hook (dev)"
    );
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.snapshot.account.id, "222233334444");
    assert!(
        a.breadcrumbs()
            .last()
            .unwrap()
            .starts_with("role prod-release-deployer")
    );

    // The dev account alone: the hop into staging is a line that explains, not a crash.
    let dev = sprawl::demo::org::snapshot()
        .unwrap()
        .account("111122223333")
        .unwrap();
    let mut a = App::new(dev, Theme::preset("default").unwrap(), "dev");
    keys(&mut a, ":functions name:growth-signup-hook");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    let at = a
        .detail
        .lines
        .iter()
        .position(|l| matches!(&l.link, Some(Screen::Role(r)) if r.contains("333344445555")))
        .expect("the hop into staging");
    a.move_by(at as isize - a.detail.cursor as isize);
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.screen(), Screen::Function(_)));
    let (status, error) = a.status.clone().unwrap();
    assert!(error && status.contains("account 333344445555"), "{status}");
    draw(&mut a, 80, 24);
}

/// Issue 20 (5): `e` exports what is selected: on the organization's accounts (or a list that
/// spans them) the whole organization's snapshot, which opens again with every account; inside
/// an account, or on a resource of one, that account.
#[test]
fn e_exports_the_organization_on_its_accounts_and_the_account_inside_one() {
    let mut a = demo_organization();
    let e = |a: &mut App| key(a, KeyCode::Char('e'));
    assert_eq!(e(&mut a), vec![Effect::Export(Exported::Organization)]);
    keys(&mut a, ":functions");
    key(&mut a, KeyCode::Enter);
    assert_eq!(e(&mut a), vec![Effect::Export(Exported::Organization)]);
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.screen(), Screen::Function(_)));
    assert_eq!(e(&mut a), vec![Effect::Export(Exported::Account)]);
    keys(&mut a, ":accounts");
    key(&mut a, KeyCode::Enter);
    keys(&mut a, "/name:prod");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.snapshot.account.id, "222233334444");
    assert_eq!(e(&mut a), vec![Effect::Export(Exported::Account)]);
    keys(&mut a, "2");
    assert_eq!(e(&mut a), vec![Effect::Export(Exported::Account)]);

    // What the runner writes for each.
    let dir = tempfile::tempdir().unwrap();
    let org = a.org.clone().unwrap();
    let path = dir.path().join(org.default_file_name());
    assert!(
        org.default_file_name()
            .starts_with("sprawl-org-o-demo7x2k9q-"),
        "{}",
        org.default_file_name()
    );
    org.save_copy(&path).unwrap();
    let sprawl::snapshot::org::Opened::Organization(back) =
        sprawl::snapshot::org::open(&path).unwrap()
    else {
        panic!("the export is an organization's snapshot");
    };
    assert_eq!(back.header.accounts.len(), org.header.accounts.len());
    assert_eq!(
        back.account("111122223333")
            .unwrap()
            .inventory
            .functions
            .len(),
        org.account("111122223333")
            .unwrap()
            .inventory
            .functions
            .len()
    );
}

/// Issue 20 (6, 10): the filter's words are the columns' (SCORE is `score`, SEVERITY is
/// `severity`, and `risk` another name for it); a key no row has or a value its key cannot take
/// is said on the status line and left out, not shown as an empty list; `account:` takes a
/// name in the accounts view as in every other list.
#[test]
fn filter_words_match_the_columns_and_mistakes_are_said() {
    let mut a = app();
    keys(&mut a, ":functions");
    key(&mut a, KeyCode::Enter);
    let shown = text(&draw(&mut a, 160, 40));
    assert!(
        shown.contains("SCORE") && !shown.contains("RISK"),
        "{shown}"
    );
    let all = a.lists.of::<FunctionRow>().visible.len();
    let count = |a: &mut App, q: &str| {
        a.set_filter(q);
        (
            a.lists.of::<FunctionRow>().visible.len(),
            a.status.clone().filter(|(_, e)| *e).map(|(s, _)| s),
        )
    };
    let (high, none) = count(&mut a, "severity>=high");
    assert!(high > 0 && high < all && none.is_none());
    assert_eq!(count(&mut a, "risk>=high"), (high, None));
    let (scored, none) = count(&mut a, "score>=50");
    assert!(scored > 0 && scored < all && none.is_none());
    for (q, says) in [
        ("severity>=hgh", "\"hgh\" is no severity"),
        ("foo:bar", "no key \"foo\" here"),
        ("score>=high", "write severity>=high"),
    ] {
        let (n, status) = count(&mut a, q);
        let status = status.unwrap_or_else(|| panic!("{q}: nothing said"));
        assert!(
            status.contains(says) && status.contains("left out"),
            "{q}: {status}"
        );
        assert_eq!(n, all, "{q}: the term is left out, not matched against");
    }
    // A tag some function has is a key; the rest of a query with a bad term still applies.
    let (n, status) = count(&mut a, "team:payments");
    assert!(n > 0 && status.is_none(), "{status:?}");
    let (m, status) = count(&mut a, "team:payments foo:bar");
    assert_eq!(m, n);
    assert!(status.is_some());
    let (_, status) = count(&mut a, "team:payments");
    assert!(status.is_none(), "a fixed filter clears its message");
    let shown = text(&draw(&mut a, 120, 40));
    assert!(shown.contains("team:payments"), "{shown}");

    // The accounts view takes a name after account: as the other lists do.
    let mut a = demo_organization();
    a.set_filter("account:prod");
    let rows = a.lists.of::<sprawl::tui::rows::AccountRow>();
    let ids: Vec<&str> = rows
        .visible
        .iter()
        .map(|&i| rows.rows[i].id.as_str())
        .collect();
    assert_eq!(ids, ["222233334444"]);
    a.set_filter("account:222233334444");
    assert_eq!(
        a.lists.of::<sprawl::tui::rows::AccountRow>().visible.len(),
        1
    );
}

/// Issue 20 (9): at 80x24 no text of a detail screen is cut at the right edge: scrolling
/// through every line of each detail (a chain across accounts, fixes, evidence), every word of
/// every line is on screen somewhere; the help fits the terminal and shows every key's text.
#[test]
fn at_80x24_long_text_wraps_and_nothing_is_cut() {
    let mut a = demo_organization();
    open_function(
        &mut a,
        "growth-signup-hook",
        "arn:aws:lambda:us-east-1:111122223333:function:growth-signup-hook",
    );
    let mut seen = String::new();
    let n = a.detail.lines.len();
    for _ in 0..n {
        seen.push_str(&text(&draw(&mut a, 80, 24)));
        key(&mut a, KeyCode::Down);
    }
    let seen: String = seen.replace(['│', '\n'], " ");
    let seen: std::collections::HashSet<&str> = seen.split_whitespace().collect();
    for l in &a.detail.lines {
        for word in l.line.to_string().split_whitespace() {
            // A word longer than a row is broken across rows: its pieces are checked whole.
            if word.chars().count() < 70 {
                assert!(
                    seen.contains(word),
                    "{word:?} of {:?} never shown whole",
                    l.line.to_string()
                );
            }
        }
    }
    for (w, h) in [(80, 24), (60, 30)] {
        let mut a = app();
        key(&mut a, KeyCode::Char('?'));
        let shown = text(&draw(&mut a, w, h));
        assert!(
            shown.lines().all(|l| l.chars().count() == usize::from(w)),
            "{shown}"
        );
        let words: String = shown.replace(['│', '\n'], " ");
        let words: std::collections::HashSet<&str> = words.split_whitespace().collect();
        for (_, what) in sprawl::tui::keymap::help(&a.root_names()) {
            for word in what.split_whitespace() {
                assert!(
                    words.contains(word),
                    "{w}x{h}: {word:?} of {what:?}: {shown}"
                );
            }
        }
    }
}

/// Issue 20 (11): a number with no view says why instead of doing nothing: `8` (the paths of an
/// organization) in one account's snapshot, `9` anywhere it has none.
#[test]
fn a_number_with_no_view_says_why() {
    let mut a = app();
    key(&mut a, KeyCode::Char('8'));
    let (status, error) = a.status.clone().expect("8 says why");
    assert!(
        error && status.contains(":paths") && status.contains("one account"),
        "{status}"
    );
    assert_eq!(a.screen(), &Screen::Overview);
    key(&mut a, KeyCode::Char('9'));
    let (status, _) = a.status.clone().expect("9 says why");
    assert!(status.contains("no view 9: 1-7"), "{status}");
    let mut o = demo_organization();
    key(&mut o, KeyCode::Char('8'));
    assert_eq!(o.screen(), &Screen::List("paths"));
}

/// Issue 20 (7): a tidy account's hundreds of low hygiene findings are a few per function: the
/// findings list shows each function's low hygiene gaps as one row (found by any of its rules),
/// and the overview counts them once; the assessment (exports, mutes, check) keeps each finding.
#[test]
fn low_hygiene_findings_of_a_function_are_one_row_and_counted_once() {
    let prod = sprawl::demo::org::snapshot()
        .unwrap()
        .account("222233334444")
        .unwrap();
    let a = &prod.assessment;
    let groups = a.hygiene_groups();
    let exact = a.severity_counts()[&sprawl::assess::Severity::Low];
    let shown = a.shown_severity_counts()[&sprawl::assess::Severity::Low];
    let folded: usize = groups.values().map(|g| g.len() - 1).sum();
    assert!(
        exact > 1000 && folded > 500,
        "{exact} lows, {folded} folded"
    );
    assert_eq!(shown, exact - folded);

    let mut app = App::new(prod.clone(), Theme::preset("default").unwrap(), "prod");
    keys(&mut app, ":findings");
    key(&mut app, KeyCode::Enter);
    let rows = app.lists.of::<FindingRow>();
    assert_eq!(rows.rows.len(), a.findings.len() - folded);
    let (resource, members) = groups.iter().next().unwrap();
    let row = rows
        .rows
        .iter()
        .find(|r| r.resource == *resource && r.rule.contains("hygiene gaps"))
        .expect("the function's gaps are one row");
    assert!(
        row.rule
            .starts_with(&format!("{} hygiene gaps: ", members.len())),
        "{}",
        row.rule
    );
    for &m in members {
        assert!(row.rule.contains(&a.findings[m].rule), "{}", row.rule);
    }
    // Any of its rules finds it.
    let member = a.findings[members[1]].rule.clone();
    app.set_filter(&format!("rule:{member}"));
    let rows = app.lists.of::<FindingRow>();
    assert!(
        rows.visible
            .iter()
            .any(|&i| rows.rows[i].resource == *resource),
        "rule:{member}"
    );
    let shown_text = text(&draw(&mut app, 120, 40));
    assert!(shown_text.contains("hygiene gaps"), "{shown_text}");
}

/// Issue 20 (10): at 80, 120 and 160 columns the lists drop whole columns rather than cutting
/// them: the sorted column keeps its mark, a region is never cut (`us-east-`), a shown OU or date
/// is whole, and what does not fit ends in an ellipsis.
#[test]
fn columns_give_way_whole_at_80_120_and_160() {
    let mut a = demo_organization();
    for (list, sorted) in [("functions", "SCORE ▼"), ("accounts", "SEVERITY ▼")] {
        keys(&mut a, &format!(":{list}"));
        key(&mut a, KeyCode::Enter);
        for w in [80, 120, 160] {
            let shown = text(&draw(&mut a, w, 40));
            let header = shown
                .lines()
                .find(|l| l.contains(sorted))
                .unwrap_or_else(|| panic!("{list} at {w}: no {sorted}: {shown}"));
            let body: Vec<&str> = shown
                .lines()
                .skip_while(|l| *l != header)
                .skip(1)
                .take(10)
                .collect();
            for row in &body {
                for cell in row.split_whitespace() {
                    // A region is whole: `us-east-1`, never `us-east-`.
                    assert!(
                        !(cell.starts_with("us-")
                            || cell.starts_with("eu-")
                            || cell.starts_with("ap-"))
                            || cell.ends_with(|c: char| c.is_ascii_digit())
                            || cell.ends_with('…'),
                        "{list} at {w}: {cell:?} in {row}"
                    );
                }
            }
            if header.contains(" OU ") {
                assert!(
                    body.iter()
                        .any(|r| r.contains("Workloads") && !r.contains("Workloads/ ")),
                    "{list} at {w}: {shown}"
                );
            }
            if w == 160 && list == "functions" {
                assert!(
                    header.contains("FINDINGS") && header.contains("REGION"),
                    "{header}"
                );
            }
        }
    }
}

/// `1` on the organization's accounts opens the account selected there, not the one held last.
#[test]
fn one_on_the_organization_opens_the_selected_account() {
    let mut a = demo_organization();
    for _ in 0..6 {
        if a.selected_arn().as_deref() == Some("777788889999") {
            break;
        }
        key(&mut a, KeyCode::Down);
    }
    assert_eq!(a.selected_arn().as_deref(), Some("777788889999"));
    keys(&mut a, "1");
    assert_eq!(
        a.breadcrumbs(),
        ["organization", "account sandbox (777788889999)"]
    );
    // Inside an account, 1 is that account's overview.
    keys(&mut a, "2");
    keys(&mut a, "1");
    assert_eq!(
        a.breadcrumbs(),
        ["organization", "account sandbox (777788889999)"]
    );
}

fn ctrl(app: &mut App, c: char) {
    app.handle(&Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

/// The `:` and `/` prompts edit as readline does (Ctrl-W, Ctrl-U, Ctrl-A, Ctrl-E, Ctrl-K),
/// recall what was entered with Up and Down, and never type a control key as its letter.
#[test]
fn the_prompts_edit_as_readline_and_remember() {
    use sprawl::tui::app::Mode;
    let mut a = app();
    keys(&mut a, ":rolse");
    ctrl(&mut a, 'w');
    keys(&mut a, "functions");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.breadcrumbs(), ["overview", "functions"]);
    keys(&mut a, "/runtime:python severity>=high");
    ctrl(&mut a, 'w');
    ctrl(&mut a, 'a');
    ctrl(&mut a, 'k');
    keys(&mut a, "region:eu-west-1");
    ctrl(&mut a, 'e');
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.current_filter(), "region:eu-west-1");
    // Up recalls the last filter, then the one before it is nothing: Down gives back the typed.
    keys(&mut a, "/");
    ctrl(&mut a, 'u');
    assert_eq!(a.current_filter(), "");
    key(&mut a, KeyCode::Up);
    assert_eq!(a.current_filter(), "region:eu-west-1");
    key(&mut a, KeyCode::Down);
    assert_eq!(a.current_filter(), "");
    key(&mut a, KeyCode::Esc);
    // The command prompt's history, and no control key typed as a letter.
    keys(&mut a, ":");
    key(&mut a, KeyCode::Up);
    for c in ['b', 'f', 'x', 'y', 'z'] {
        ctrl(&mut a, c);
    }
    match &a.mode {
        Mode::Command(line) => assert_eq!(line.text, "functions"),
        other => panic!("{other:?}"),
    }
    key(&mut a, KeyCode::Esc);
}

/// Issue 26 (13): from an account opened first, a blast-radius row into another account names
/// the function's own account in the breadcrumbs, and the open account's stays.
#[test]
fn breadcrumbs_after_a_blast_radius_row_name_the_functions_account() {
    let mut a = demo_organization();
    keys(&mut a, "/name:prod");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    assert_eq!(
        a.breadcrumbs(),
        ["organization", "account prod (222233334444)"]
    );
    keys(&mut a, ":roles name:prod-release-deployer");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    let hook = "arn:aws:lambda:us-east-1:111122223333:function:growth-signup-hook";
    follow(&mut a, Screen::Function(hook.into()));
    let crumbs = a.breadcrumbs();
    assert_eq!(crumbs[1], "account prod (222233334444)", "{crumbs:?}");
    assert_eq!(
        crumbs.last().unwrap(),
        "function growth-signup-hook (dev)",
        "{crumbs:?}"
    );
    // On from the function, to its own role: still dev's, said so.
    let role = "arn:aws:iam::111122223333:role/growth-signup-hook-role";
    follow(&mut a, Screen::Role(role.into()));
    let crumbs = a.breadcrumbs();
    assert_eq!(
        crumbs[crumbs.len() - 2..],
        [
            "function growth-signup-hook (dev)".to_string(),
            "role growth-signup-hook-role (dev)".to_string()
        ],
        "{crumbs:?}"
    );
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    assert_eq!(
        a.breadcrumbs().last().unwrap(),
        "role prod-release-deployer",
        "{:?}",
        a.breadcrumbs()
    );
}

/// Issue 26 (11): the organization's riskiest functions are a list: Tab gives it the focus,
/// Up and Down choose, Enter opens the function in its own account, Esc comes back to it. It
/// shows at least three at 80x24, and at 140x45 fills its space rather than leaving it blank.
#[test]
fn the_organizations_riskiest_functions_are_a_list_to_open() {
    let mut a = demo_organization();
    let riskiest = |shown: &str| {
        shown
            .lines()
            .filter(|l| {
                l.trim_start_matches('│')
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| w.trim_end_matches('+').parse::<u8>().is_ok())
                    && ["us-east-1", "eu-west-1", "ap-southeast-2"]
                        .iter()
                        .any(|r| l.contains(&format!(", {r})")))
            })
            .count()
    };
    let small = text(&draw(&mut a, 80, 24));
    assert!(riskiest(&small) >= 3, "{small}");
    let big = text(&draw(&mut a, 140, 45));
    let top = a.org_panel.as_ref().unwrap().top.len();
    assert!(top > 4);
    assert_eq!(riskiest(&big), top, "{big}");
    // No run of blank rows inside the accounts' box.
    assert!(
        !big.contains(&format!(
            "│{}│\n│{}│\n│{}│",
            " ".repeat(138),
            " ".repeat(138),
            " ".repeat(138)
        )),
        "{big}"
    );

    key(&mut a, KeyCode::Tab);
    assert_eq!(a.org_focus, Some(0));
    key(&mut a, KeyCode::Down);
    let second = a.org_panel.as_ref().unwrap().top[1].0.clone();
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen(), &Screen::Function(second.arn.clone()));
    assert!(
        a.breadcrumbs()
            .last()
            .unwrap()
            .starts_with(&format!("function {}", second.name)),
        "{:?}",
        a.breadcrumbs()
    );
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.breadcrumbs(), ["organization"]);
    assert_eq!(a.org_focus, Some(1), "back where it was");
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.org_focus, None);
    // The accounts list has the keys again.
    key(&mut a, KeyCode::Down);
    assert!(a.selected_arn().is_some());
}

/// Issue 26 (15, 17): the live scan's failure screen shows the whole error, wrapped, and no row
/// is left "running"; while a call waits, the screen says what for and where.
#[test]
fn a_failed_scan_shows_its_whole_error_and_nothing_running() {
    use sprawl::model::{ProgressEvent, Service};
    let mut a = App::scanning(Theme::preset("default").unwrap(), "live scan");
    a.scan_progress(&ProgressEvent::Started {
        account: "111122223333".into(),
        regions: vec!["us-east-1".into()],
    });
    a.scan_progress(&ProgressEvent::ServiceStarted {
        service: Service::Lambda,
        region: "us-east-1".into(),
    });
    a.scan_progress(&ProgressEvent::Waiting {
        service: Service::Lambda,
        region: "us-east-1".into(),
        operation: "ListFunctions",
        endpoint: Some("http://127.0.0.1:9".into()),
        waited_secs: 5,
        attempt_secs: 20,
    });
    let shown = text(&draw(&mut a, 100, 30));
    assert!(
        shown.contains("still waiting for lambda ListFunctions at http://127.0.0.1:9"),
        "{shown}"
    );
    let long = format!(
        "could not list functions: {} the end of the error",
        "word ".repeat(60)
    );
    a.scan_finished(Err(std::sync::Arc::new(std::io::Error::other(
        long.clone(),
    ))));
    let shown = text(&draw(&mut a, 100, 30));
    assert!(shown.contains("the end of the error"), "{shown}");
    assert!(!shown.contains("running"), "{shown}");
    assert!(shown.contains("stopped"), "{shown}");
    assert!(!shown.contains("still waiting"), "{shown}");
}

/// Issue 26 (19): a trust of one of the organization's accounts names it ("this organization's
/// dev"), not "another account"; POWER shows a role whose chain reaches an administrator.
#[test]
fn members_are_named_and_power_shows_a_chain_to_admin() {
    use sprawl::tui::rows::RoleRow;
    let mut a = demo_organization();
    keys(&mut a, ":roles name:staging-release-deployer");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    let shown: String = a
        .detail
        .lines
        .iter()
        .map(|l| l.line.to_string() + "\n")
        .collect();
    assert!(shown.contains("(this organization's dev)"), "{shown}");
    assert!(!shown.contains("(another account)"), "{shown}");
    // Its blast radius names the accounts, not their ids.
    assert!(shown.contains("growth-signup-hook (dev)"), "{shown}");
    key(&mut a, KeyCode::Esc);
    keys(&mut a, ":roles name:growth-signup-hook-role");
    key(&mut a, KeyCode::Enter);
    let roles = a.lists.of::<RoleRow>();
    let hook = &roles.rows[roles.visible[0]];
    assert!(hook.chain_to_admin && !hook.admin);
    let drawn = text(&draw(&mut a, 140, 45));
    assert!(drawn.contains("chain to admin"), "{drawn}");
}

/// Issue 26 (11): the overview's activity lines open what they name: the idle line the idle
/// functions (a filtered list), the cost line the costliest function.
#[test]
fn the_overviews_activity_lines_are_links() {
    use sprawl::tui::overview::Opens;
    let mut a = app();
    let top = a.overview.top.len();
    let links = a.overview.links.clone();
    assert_eq!(links.len(), 2, "{links:?}");
    a.move_by(top as isize);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.breadcrumbs(), ["overview", "functions"]);
    assert_eq!(a.current_filter(), "idle:yes");
    assert!(!a.lists.of::<FunctionRow>().visible.is_empty());
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen(), &Screen::Overview);
    let Opens::Function(costliest) = &links[1].opens else {
        panic!("{links:?}")
    };
    a.move_by(top as isize + 1);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen(), &Screen::Function(costliest.clone()));
}

/// The organization's header and panel separate thousands, as every other count does: an
/// organization of 100,000 functions said "100000 functions · 15400 critical".
#[test]
fn the_organization_header_separates_thousands() {
    let mut a = demo_organization();
    let panel = a.org_panel.as_mut().unwrap();
    panel.functions = 100_000;
    panel.accounts = 1_200;
    panel.findings.findings[0] = 15_400;
    panel.findings.findings[1] = 116_600;
    let screen = text(&draw(&mut a, 160, 45));
    for said in [
        "1,200 accounts · 100,000 functions ",
        "100,000 functions · 15,400 critical, 116,600 high",
    ] {
        assert!(screen.contains(said), "{said} not in:\n{screen}");
    }
}

/// Issue 26 (22): a filter typed further looks only at the rows the last one kept, where that
/// can only narrow them: every prefix of every filter typed (and taken back) shows what the
/// same filter shows typed at once, including those whose next character widens what they
/// keep (`score<5` then `score<50`, `score:5` then `score:50`).
#[test]
fn a_filter_typed_further_shows_what_it_shows_typed_at_once() {
    let mut a = app();
    keys(&mut a, ":functions");
    key(&mut a, KeyCode::Enter);
    let all = a.lists.of::<FunctionRow>().visible.len();
    let typed = [
        "score<50",
        "score:50",
        "score>=5",
        "name:payments-refund",
        "pay refund",
        "team:pay runtime:py",
        "severity:med risk>=high",
        "region:eu account:1111",
    ];
    let mut differed = 0;
    for text in typed {
        let prefixes: Vec<&str> = (1..=text.len()).map(|n| &text[..n]).collect();
        // Typed, then taken back a character at a time.
        for q in prefixes.iter().chain(prefixes.iter().rev().skip(1)) {
            let before = a.lists.of::<FunctionRow>().visible.clone();
            a.set_filter(q);
            let shown = a.lists.of::<FunctionRow>().visible.clone();
            a.set_filter("");
            assert_eq!(a.lists.of::<FunctionRow>().visible.len(), all);
            a.set_filter(q);
            assert_eq!(shown, a.lists.of::<FunctionRow>().visible, "{q:?}");
            differed += usize::from(shown != before);
        }
        a.set_filter("");
    }
    assert!(
        differed > 20,
        "the filters changed the list {differed} times"
    );
    // The widening steps do widen here, so a list narrowed from the last would have shown less.
    let count = |a: &mut App, q: &str| {
        a.set_filter(q);
        a.lists.of::<FunctionRow>().visible.len()
    };
    assert!(count(&mut a, "score<5") < count(&mut a, "score<50"));
}

/// Issue 27: a chain's "reads N secrets" lines are links: each opens its secret, in its own
/// account when the secret is another account's (staging's release function reads prod's
/// signing key), and Esc comes back to the function.
#[test]
fn a_chains_secrets_open_in_their_own_accounts() {
    let mut a = demo_organization();
    keys(&mut a, ":functions name:growth-signup-hook");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    // The attack chain's lines only (the secrets section below links them already).
    let chain_links = |a: &App| -> Vec<String> {
        let text: Vec<String> = a.detail.lines.iter().map(|l| l.line.to_string()).collect();
        let start = text
            .iter()
            .position(|l| l.contains("Attack chain"))
            .unwrap();
        let end = text
            .iter()
            .position(|l| l.contains("Configuration"))
            .unwrap();
        a.detail.lines[start..end]
            .iter()
            .filter_map(|l| match &l.link {
                Some(Screen::Secret(arn)) => Some(arn.clone()),
                _ => None,
            })
            .collect()
    };
    let secret_links = chain_links(&a);
    assert_eq!(secret_links.len(), 5, "{secret_links:?}");
    assert!(
        secret_links
            .iter()
            .all(|s| s.contains(":111122223333:secret:growth/")),
        "{secret_links:?}"
    );
    let db = secret_links
        .iter()
        .find(|s| s.contains("growth/db"))
        .unwrap()
        .clone();
    follow(&mut a, Screen::Secret(db.clone()));
    assert_eq!(a.screen(), &Screen::Secret(db));
    key(&mut a, KeyCode::Esc);
    assert!(matches!(a.screen(), Screen::Function(f) if f.ends_with("growth-signup-hook")));

    // Staging's release function reads a secret of prod: its line opens it in prod.
    keys(&mut a, ":functions name:growth-release-promote");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.snapshot.account.id, "333344445555");
    let prod_key = chain_links(&a)
        .into_iter()
        .find(|arn| arn.contains(":222233334444:"))
        .expect("the chain links prod's signing key");
    assert!(prod_key.contains("prod/release-signing-key"), "{prod_key}");
    follow(&mut a, Screen::Secret(prod_key.clone()));
    assert_eq!(a.snapshot.account.id, "222233334444");
    assert_eq!(a.screen(), &Screen::Secret(prod_key));
    assert_eq!(
        a.breadcrumbs().last().unwrap(),
        "secret prod/release-signing-key (prod)"
    );
}

/// Issue 27: an account of an organization opened alone (`open ORG --account prod`, `demo
/// --account prod`, or its own file) names the other accounts in a role's blast radius, as the
/// organization's explorer does, not by their ids.
#[test]
fn an_account_opened_alone_names_the_accounts_of_its_blast_radius() {
    let o = sprawl::demo::org::snapshot().unwrap();
    let prod = o.account("222233334444").unwrap();
    // Through its own file too: what names the accounts travels with the account.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prod.json");
    sprawl::snapshot::save(&prod, &path).unwrap();
    let reread = sprawl::snapshot::load(&path).unwrap();
    for snap in [prod, reread] {
        let mut a = App::marked(
            snap,
            Theme::preset("default").unwrap(),
            "prod",
            Default::default(),
        );
        keys(&mut a, ":roles name:prod-release-deployer");
        key(&mut a, KeyCode::Enter);
        key(&mut a, KeyCode::Enter);
        let shown = text(&draw(&mut a, 140, 45));
        assert!(
            shown.contains("Blast radius across accounts")
                && shown.contains("growth-signup-hook (dev)")
                && !shown.contains("growth-signup-hook (111122223333)"),
            "{shown}"
        );
    }
}

/// Issue 28: `trigger:` keeps the functions with a trigger of that kind (an event source mapping,
/// a service the resource policy lets invoke, a URL, API Gateway), each of them and no other;
/// `trigger:none` the functions nothing triggers.
#[test]
fn the_trigger_filter_keeps_each_function_of_that_kind() {
    let mut a = app();
    let snap = a.snapshot.clone();
    let kinds = |arn: &str| -> Vec<&'static str> {
        snap.assessment
            .functions
            .iter()
            .find(|r| r.arn == arn)
            .map(|r| {
                r.entry_points
                    .iter()
                    .filter_map(|e| e.trigger_kind())
                    .collect()
            })
            .unwrap_or_default()
    };
    for kind in ["sqs", "s3", "url", "apigateway", "none"] {
        keys(&mut a, &format!(":functions trigger:{kind}"));
        key(&mut a, KeyCode::Enter);
        let list = a.lists.of::<FunctionRow>();
        let shown: std::collections::BTreeSet<&str> = list
            .visible
            .iter()
            .map(|&i| list.rows[i].arn.as_str())
            .collect();
        let expected: std::collections::BTreeSet<&str> = snap
            .inventory
            .functions
            .iter()
            .map(|f| f.arn.as_str())
            .filter(|arn| {
                let k = kinds(arn);
                if kind == "none" {
                    k.is_empty()
                } else {
                    k.contains(&kind)
                }
            })
            .collect();
        assert!(
            !expected.is_empty(),
            "the demo has functions with trigger {kind}"
        );
        assert_eq!(shown, expected, "trigger:{kind}");
        // Read from the inventory itself: every function an SQS queue's mapping invokes.
        if kind == "sqs" {
            for m in &snap.inventory.event_source_mappings {
                if m.source_arn.as_deref().is_some_and(|s| s.contains(":sqs:")) {
                    let f = sprawl::assess::reach::unqualified(&m.function_arn);
                    assert!(shown.contains(f), "{f} is fed by a queue");
                }
            }
        }
    }
}

/// Issue 28: `injectable:anyone` keeps the functions anyone can inject events into through a
/// source (the demo's notifier behind a topic anyone may publish to, its ingest function behind
/// a bucket anyone may upload to, its validator run by a pool anyone may sign up to, and its
/// telemetry ingest behind an IoT rule an identity pool's guests may publish to), and
/// `injectable:no` every other.
#[test]
fn the_injectable_filter_keeps_the_functions_anyone_may_inject_into() {
    let mut a = app();
    let shown = |a: &mut App, filter: &str| -> std::collections::BTreeSet<String> {
        keys(a, &format!(":functions {filter}"));
        key(a, KeyCode::Enter);
        let list = a.lists.of::<FunctionRow>();
        list.visible
            .iter()
            .map(|&i| list.rows[i].name.clone())
            .collect()
    };
    let anyone = shown(&mut a, "injectable:anyone");
    let names: Vec<&str> = anyone.iter().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "data-cart-ingest",
            "data-export-ingest",
            "identity-token-validate",
            "payments-cart-notify"
        ]
    );
    let no = shown(&mut a, "injectable:no");
    let unknown = shown(&mut a, "injectable:unjudged");
    assert!(no.is_disjoint(&anyone) && unknown.is_disjoint(&no));
    // The demo's queues behind mappings were not read (its scan had no SQS reads): the
    // functions that poll one are not judged, never "no one can inject".
    let snap = a.snapshot.clone();
    let polled = snap
        .inventory
        .event_source_mappings
        .iter()
        .filter(|m| m.source_arn.as_deref().is_some_and(|s| s.contains(":sqs:")))
        .filter_map(|m| {
            snap.inventory
                .functions
                .iter()
                .find(|f| f.arn == sprawl::assess::reach::unqualified(&m.function_arn))
        })
        .find(|f| !anyone.contains(&f.name))
        .expect("the demo has a function that polls a queue");
    assert!(unknown.contains(&polled.name), "{}", polled.name);
    // The notifier behind the partner's topic: another account may publish.
    let accounts = shown(&mut a, "injectable:accounts");
    let partner = snap
        .inventory
        .topics
        .iter()
        .find(|t| t.arn.ends_with("-partner-events"))
        .unwrap();
    let notifier = snap
        .inventory
        .functions
        .iter()
        .find(|f| f.arn == partner.triggers[0])
        .unwrap();
    // And the auditor a rule on the vendor's bus runs.
    let auditor = snap
        .inventory
        .functions
        .iter()
        .find(|f| f.arn == snap.inventory.event_rules[0].triggers[0])
        .unwrap();
    let mut expected = vec![notifier.name.as_str(), auditor.name.as_str()];
    expected.sort();
    let accounts: Vec<&str> = accounts.iter().map(String::as_str).collect();
    assert_eq!(accounts, expected);
    assert!(shown(&mut a, "injectable:org").is_empty());
    assert_eq!(
        no.len() + anyone.len() + unknown.len() + 2,
        snap.inventory.functions.len(),
        "every demo function is one of them"
    );
}

/// Issue 28: a function's event source is a screen of its own, reached by Enter on the entry
/// point and left with Esc: the demo's upload bucket says who may upload (anyone, through its
/// policy's statement), its Block Public Access (none set), and the function it triggers, which
/// opens that function again.
#[test]
fn a_source_opens_from_its_function_and_says_who_may_write_to_it() {
    let mut a = app();
    let f = a
        .snapshot
        .inventory
        .functions
        .iter()
        .find(|f| f.name == "data-export-ingest")
        .unwrap()
        .arn
        .clone();
    open_function(&mut a, "data-export-ingest", &f);
    let bucket = Screen::Source("arn:aws:s3:::data-partner-uploads".into());
    follow(&mut a, bucket.clone());
    assert_eq!(a.screen(), &bucket);
    assert_eq!(
        a.breadcrumbs().last().unwrap(),
        "S3 bucket data-partner-uploads"
    );
    let lines: Vec<String> = a.detail.lines.iter().map(|l| l.line.to_string()).collect();
    let has = |s: &str| lines.iter().any(|l| l.contains(s));
    assert!(has("Who may upload"), "{lines:#?}");
    assert!(has("anyone (*)") && has("PartnerDrop"), "{lines:#?}");
    assert!(has("none set"), "{lines:#?}");
    assert!(has("BucketOwnerEnforced"), "{lines:#?}");
    insta::assert_snapshot!("source_bucket_120x40", text(&draw(&mut a, 120, 40)));
    follow(&mut a, Screen::Function(f.clone()));
    assert_eq!(a.screen(), &Screen::Function(f.clone()));
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen(), &bucket);
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen(), &Screen::Function(f));
}

/// Issue 28: a user pool opens from the function its trigger runs: anyone may sign up (its
/// self sign-up), and which flow runs which function.
#[test]
fn a_user_pool_opens_from_the_function_its_trigger_runs() {
    let mut a = app();
    let pool = a.snapshot.inventory.user_pools[0].clone();
    let f = pool.triggers[0].clone();
    open_function(&mut a, "identity-token-validate", &f);
    let screen = Screen::Source(pool.arn.clone());
    follow(&mut a, screen.clone());
    assert_eq!(a.screen(), &screen);
    assert_eq!(
        a.breadcrumbs().last().unwrap(),
        "user pool us-east-1_Cust0mers"
    );
    let lines: Vec<String> = a.detail.lines.iter().map(|l| l.line.to_string()).collect();
    let has = |s: &str| lines.iter().any(|l| l.contains(s));
    assert!(has("Who may sign up"), "{lines:#?}");
    assert!(has("anyone") && has("self sign-up"), "{lines:#?}");
    assert!(has("PreSignUp"), "{lines:#?}");
    insta::assert_snapshot!("source_user_pool_120x40", text(&draw(&mut a, 120, 40)));
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen(), &Screen::Function(f));
}

/// Issue 28: an IoT rule opens from the function it invokes: anyone may publish (the companion
/// app's identity pool gives guests a role that may publish to the devices' topics), and the
/// region's identity pools with the role each gives.
#[test]
fn an_iot_rule_opens_from_the_function_it_invokes_and_names_the_guests() {
    let mut a = app();
    let rule = a.snapshot.inventory.iot_rules[0].clone();
    let f = rule.triggers[0].clone();
    open_function(&mut a, "data-cart-ingest", &f);
    let screen = Screen::Source(rule.arn.clone());
    follow(&mut a, screen.clone());
    assert_eq!(a.screen(), &screen);
    let lines: Vec<String> = a.detail.lines.iter().map(|l| l.line.to_string()).collect();
    let has = |s: &str| lines.iter().any(|l| l.contains(s));
    assert!(
        has("anyone (*)") && has("data-companion-guest"),
        "{lines:#?}"
    );
    assert!(
        has("data-companion-app") && has("anyone may be an unauthenticated identity"),
        "{lines:#?}"
    );
    assert!(has("devices/+/telemetry"), "{lines:#?}");
    insta::assert_snapshot!("source_iot_rule_120x40", text(&draw(&mut a, 120, 40)));
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen(), &Screen::Function(f));
}

/// Issue 28: an event bus opens from the function its rule runs: who may put events on it (the
/// sandbox account, by its statement) and the rule with the function it targets.
#[test]
fn a_bus_opens_from_the_function_its_rule_runs() {
    let mut a = app();
    let rule = a.snapshot.inventory.event_rules[0].clone();
    let f = rule.triggers[0].clone();
    let name = a
        .snapshot
        .inventory
        .functions
        .iter()
        .find(|x| x.arn == f)
        .unwrap()
        .name
        .clone();
    open_function(&mut a, &name, &f);
    follow(&mut a, Screen::Source(rule.bus.clone()));
    let lines: Vec<String> = a.detail.lines.iter().map(|l| l.line.to_string()).collect();
    let has = |s: &str| lines.iter().any(|l| l.contains(s));
    assert!(has("Who may put events"), "{lines:#?}");
    assert!(has("777788889999") && has("VendorPutEvents"), "{lines:#?}");
    assert!(has("rule audit-events (enabled)"), "{lines:#?}");
    follow(&mut a, Screen::Function(f.clone()));
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen(), &Screen::Function(f));
}
