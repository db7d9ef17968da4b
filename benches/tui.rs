//! Benchmark of the explorer at scale: a snapshot of N functions (default 10,000; the synthetic
//! estate of crates/assess/tests/rules/inventory.rs, assessed), written to a file and opened the way
//! `sprawl open` does, then frames drawn to ratatui's TestBackend at 120x40.
//!
//! Run: `cargo bench --bench tui` (release), or `cargo bench --bench tui -- --functions N`
//! (`--runs N` fresh processes to open in, default 7; `--keep PATH` keeps the snapshot).
//! `-- --org A` measures an organization instead: A accounts of `--functions` (default 500)
//! functions each, written as one organization's snapshot and opened as `sprawl open` does (the
//! accounts under the organization), then one account opened from there. Its accounts trust
//! each other as organizations do (a CI account's deployer into every account's administrator,
//! a security account's auditor into every account, one account in ten with a function that may
//! reach CI's deployer) under SCPs (a baseline Deny, a fence on one OU in ten); `--plain` leaves
//! the trusts and SCPs out.
//! Prints: open (read + parse + the overview drawn; the lists' rows are built meanwhile, and when
//! they are ready), frame times for the overview and the function list (median of 200),
//! keystroke-to-filtered-frame for each key of a typed filter, and memory (resident once open,
//! and peak). For an organization, also when the lists that span its accounts are ready, and
//! for each of them a frame and each keystroke of `account:account-17 risk>=high`.

#[path = "../crates/assess/tests/rules/inventory.rs"]
#[allow(dead_code)]
mod inventory;

mod common;

use common::{arg, peak_rss_mb};
use std::time::Instant;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sprawl::tui::app::App;
use sprawl::tui::theme::Theme;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Seconds per frame drawn after a cursor move, the median of 200 moves down and up.
fn frame_median(app: &mut App, term: &mut Terminal<TestBackend>) -> f64 {
    let mut times = Vec::new();
    for i in 0..200 {
        key(
            app,
            if i % 2 == 0 {
                KeyCode::Down
            } else {
                KeyCode::Up
            },
        );
        let t = Instant::now();
        term.draw(|f| sprawl::tui::views::draw(app, f)).unwrap();
        times.push(t.elapsed().as_secs_f64());
    }
    median(times)
}

fn key(app: &mut App, c: KeyCode) {
    app.handle(&Event::Key(KeyEvent::new(c, KeyModifiers::NONE)));
}

fn main() {
    if !common::benchmarking() {
        return;
    }
    // The measuring half runs in its own process, so its peak memory is the explorer's alone.
    if let Some(path) = arg("--open") {
        explore(std::path::Path::new(&path));
        return;
    }
    if let Some(path) = arg("--open-org") {
        explore_org(std::path::Path::new(&path));
        return;
    }
    if let Some(path) = arg("--assess-org") {
        assess_org(std::path::Path::new(&path));
        return;
    }
    if let Some(accounts) = arg("--org").and_then(|s| s.parse::<usize>().ok()) {
        organization(accounts);
        return;
    }
    let n: usize = arg("--functions")
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let snapshot = sprawl::snapshot::Snapshot::new(
        sprawl::model::Account {
            id: inventory::ACCOUNT.into(),
            partition: "aws".into(),
            caller_arn: "arn:aws:iam::123456789012:user/bench".into(),
        },
        vec![inventory::REGION.into()],
        Default::default(),
        inventory::synthetic(n),
        inventory::now(),
    );
    let dir = tempfile::tempdir().unwrap();
    // `--keep PATH` writes the snapshot there (to profile or inspect it) instead of a temporary file.
    let path = arg("--keep").map_or_else(|| dir.path().join("snap.json"), Into::into);
    sprawl::snapshot::save(&snapshot, &path).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    drop(snapshot);
    println!("snapshot of {n} functions: {:.1} MB", size as f64 / 1e6);
    // Opening is measured in fresh processes, several times (it varies with the machine's
    // memory state); the last run also draws and filters.
    let runs: usize = arg("--runs").and_then(|s| s.parse().ok()).unwrap_or(7);
    let mut opens = Vec::new();
    for run in 1..=runs {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--bench", "--open"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        let ms: f64 = text
            .strip_prefix("open: ")
            .and_then(|t| t.split(' ').next())
            .and_then(|t| t.parse().ok())
            .expect("the explorer prints its open time first");
        opens.push(ms / 1e3);
        if run == runs {
            print!("{text}");
        }
    }
    let (min, max) = (
        opens.iter().copied().fold(f64::MAX, f64::min),
        opens.iter().copied().fold(0.0, f64::max),
    );
    println!(
        "open over {runs} fresh processes: {:.0} ms median ({:.0}-{:.0} ms)",
        median(opens) * 1e3,
        min * 1e3,
        max * 1e3
    );
}

/// Writes a synthetic organization, then opens it in a fresh process (its memory alone).
fn organization(accounts: usize) {
    use sprawl::snapshot::org::{Organization, Writer};
    let per: usize = arg("--functions")
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    // `--plain`: the accounts alone, no trust between them, no SCP (the workload of the figures
    // before the edges between accounts).
    let plain = std::env::args().any(|a| a == "--plain");
    let dir = tempfile::tempdir().unwrap();
    let path = arg("--keep").map_or_else(|| dir.path().join("org.json"), Into::into);
    let t = Instant::now();
    let mut w = Writer::new(&path).unwrap();
    let id_of = |i: usize| format!("{:012}", 100_000_000_000u64 + i as u64);
    let mut members = Vec::new();
    for i in 0..accounts {
        let id = id_of(i);
        let snapshot = sprawl::snapshot::Snapshot::new(
            sprawl::model::Account {
                id: id.clone(),
                partition: "aws".into(),
                caller_arn: format!("arn:aws:sts::{id}:assumed-role/SprawlScan/sprawl"),
            },
            vec![inventory::REGION.into()],
            Default::default(),
            if plain {
                inventory::synthetic(per)
            } else {
                crossing_estate(i, per, &id, &id_of(0), &id_of(1))
            },
            inventory::now(),
        );
        let info = sprawl::model::AccountInfo {
            id,
            name: Some(format!("account-{i}")),
            ou_path: vec![format!("OU-{}", i % 10)],
            status: Some("ACTIVE".into()),
        };
        members.push(info.clone());
        w.add(info, Ok(&snapshot)).unwrap();
    }
    let guardrails = guardrails(&members);
    w.finish(if plain {
        Organization {
            id: Some("o-bench".into()),
            ..Default::default()
        }
    } else {
        Organization {
            id: Some("o-bench".into()),
            management_account: None,
            members,
            guardrails: Some(guardrails),
        }
    })
    .unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    println!(
        "organization of {accounts} accounts x {per} functions ({} functions, {} roles): {:.1} MB, written in {:.1} s",
        accounts * per,
        accounts * per,
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    // Each measured in a fresh process, so its peak memory is its own.
    for half in ["--open-org", "--assess-org"] {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--bench", half])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        print!("{}", String::from_utf8(out.stdout).unwrap());
    }
}

/// One account of the synthetic organization, its ARNs its own, with the trusts between
/// accounts an organization has: account 0 runs CI, whose `ci-deployer` role any principal of
/// the organization may assume and which may assume every account's `deployer` (an
/// administrator trusting account 0); account 1 runs security, whose `security-audit` may
/// assume every account's `audit-readonly`; in one account in ten, a data function's role may
/// assume `ci-deployer` (a path to every account's administrator).
fn crossing_estate(
    i: usize,
    per: usize,
    id: &str,
    ci: &str,
    security: &str,
) -> sprawl::model::Inventory {
    use serde_json::json;
    use sprawl::model::{InlinePolicy, ManagedPolicy};
    let text = serde_json::to_string(&inventory::synthetic(per)).unwrap();
    let mut inv: sprawl::model::Inventory =
        serde_json::from_str(&text.replace(inventory::ACCOUNT, id)).unwrap();
    let doc =
        |statements: serde_json::Value| json!({"Version": "2012-10-17", "Statement": statements});
    let role = |name: &str, trust: serde_json::Value, own: serde_json::Value| {
        let mut r = inventory::clean_role(name);
        r.arn = format!("arn:aws:iam::{id}:role/{name}");
        r.trust_policy = Some(doc(trust).into());
        r.inline_policies = vec![InlinePolicy {
            name: "own".into(),
            document: doc(own).into(),
        }];
        r
    };
    match i {
        0 => inv.roles.push(role(
            "ci-deployer",
            json!([{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-bench"}}}]),
            json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/deployer"}]),
        )),
        1 => inv.roles.push(role(
            "security-audit",
            json!([{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{id}:root")}, "Action": "sts:AssumeRole"}]),
            json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/audit-readonly"}]),
        )),
        _ => {
            let mut deployer = role(
                "deployer",
                json!([{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ci}:root")}, "Action": "sts:AssumeRole"}]),
                json!([]),
            );
            deployer.attached_policies.push(ManagedPolicy {
                arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
                name: "AdministratorAccess".into(),
                document: Some(doc(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}])).into()),
            });
            inv.roles.push(deployer);
            inv.roles.push(role(
                "audit-readonly",
                json!([{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{security}:root")}, "Action": "sts:AssumeRole"}]),
                json!([{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]),
            ));
        }
    }
    // Runtime evidence as `scan --metrics` leaves it: 90 days of daily series per function.
    for (j, f) in inv.functions.iter_mut().enumerate() {
        f.activity = sprawl::model::Detail::collected(inventory::daily_activity(i * per + j));
    }
    if i % 10 == 5
        && let Some(r) = inv.roles.iter_mut().find(|r| r.name == "role-00001")
    {
        r.inline_policies.push(InlinePolicy {
            name: "promote".into(),
            document: doc(json!([{"Effect": "Allow", "Action": "sts:AssumeRole",
                                  "Resource": format!("arn:aws:iam::{ci}:role/ci-deployer")}]))
            .into(),
        });
    }
    inv.sort();
    inv
}

/// The synthetic organization's SCPs: FullAWSAccess on the root, every OU and every account, a
/// baseline Deny on the root, and a fence on OU-9 that keeps its roles from CI's deployer.
fn guardrails(members: &[sprawl::model::AccountInfo]) -> sprawl::model::Guardrails {
    use serde_json::json;
    use sprawl::model::{GuardrailKind, GuardrailPolicy, Guardrails};
    let policy = |name: &str, statements: serde_json::Value| GuardrailPolicy {
        name: name.into(),
        kind: GuardrailKind::ServiceControlPolicy,
        aws_managed: name == "FullAWSAccess",
        document: json!({"Version": "2012-10-17", "Statement": statements}).into(),
    };
    let mut g = Guardrails {
        scp_enabled: true,
        ..Guardrails::default()
    };
    g.policies.insert(
        "p-full".into(),
        policy(
            "FullAWSAccess",
            json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
        ),
    );
    g.policies.insert("p-base".into(), policy("Baseline", json!([{"Effect": "Deny", "Action": ["organizations:LeaveOrganization", "cloudtrail:StopLogging"], "Resource": "*"}])));
    g.policies.insert("p-fence".into(), policy("Fence", json!([{"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/ci-deployer"}])));
    g.attached
        .insert("r-bench".into(), vec!["p-full".into(), "p-base".into()]);
    for k in 0..10 {
        let mut on = vec!["p-full".to_string()];
        if k == 9 {
            on.push("p-fence".into());
        }
        g.attached.insert(format!("ou-{k}"), on);
    }
    for (i, m) in members.iter().enumerate() {
        g.attached.insert(m.id.clone(), vec!["p-full".into()]);
        g.paths.insert(
            m.id.clone(),
            vec!["r-bench".into(), format!("ou-{}", i % 10), m.id.clone()],
        );
    }
    g
}

/// Re-assesses every account of an organization's snapshot as `sprawl assess ORG` does (each
/// account read from its part, assessed, let go), in a process of its own for its peak memory.
fn assess_org(path: &std::path::Path) {
    use sprawl::snapshot::org::{self, Opened};
    let t = Instant::now();
    let Ok(Opened::Organization(o)) = org::open(path) else {
        panic!("an organization's snapshot")
    };
    let (mut functions, mut findings, mut across) = (0, 0, 0);
    let edges = org::edges(&o, None).unwrap();
    let found = t.elapsed().as_secs_f64();
    org::reassess_across(&o, None, None, &edges, |_, s| {
        if let Some(s) = s {
            functions += s.inventory.functions.len();
            findings += s.assessment.findings.len();
            across += s
                .assessment
                .findings
                .iter()
                .filter(|f| f.rule == "iam-role-cross-account-admin")
                .count();
        }
    })
    .unwrap();
    let stopped = edges
        .paths
        .edges
        .iter()
        .filter(|e| e.stopped.is_some())
        .count();
    println!(
        "assessment of the organization (edges between accounts found, then each account read, assessed within them, let go): {:.1} s for {functions} functions, {findings} findings, {} edges between accounts ({stopped} stopped by SCPs) found in {found:.1} s, {across} roles with a path to an administrator in another account (goal: under 10 s), {:.0} MB peak (goal: under 1.5 GB)",
        t.elapsed().as_secs_f64(),
        edges.paths.edges.len(),
        peak_rss_mb()
    );
}

/// Opens an organization's snapshot the way `sprawl open` does, then draws, filters, and opens
/// one account.
fn explore_org(path: &std::path::Path) {
    use sprawl::snapshot::org::{self, Opened};
    let t = Instant::now();
    let opening = t;
    let Ok(Opened::Organization(o)) = org::open(path) else {
        panic!("an organization's snapshot")
    };
    let mut app = App::organization(
        o,
        Theme::preset("default").unwrap(),
        "bench",
        Default::default(),
    )
    .unwrap();
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| sprawl::tui::views::draw(&app, f)).unwrap();
    let opened = t.elapsed().as_secs_f64();
    let resident = common::rss_mb();
    println!(
        "open: {:.0} ms to the organization on screen (goal: under 1 s), {resident:.0} MB resident (goal: under 600 MB)",
        opened * 1e3
    );
    println!(
        "frame, accounts: {:.2} ms (median of 200; goal: under 5 ms)",
        frame_median(&mut app, &mut term) * 1e3
    );
    key(&mut app, KeyCode::Char('/'));
    let mut all = Vec::new();
    for c in "ou:ou-3".chars() {
        let t = Instant::now();
        key(&mut app, KeyCode::Char(c));
        term.draw(|f| sprawl::tui::views::draw(&app, f)).unwrap();
        all.push(t.elapsed().as_secs_f64());
    }
    let worst = all.iter().copied().fold(0.0, f64::max);
    println!(
        "keystroke to filtered frame, accounts: {:.2} ms median, {:.2} ms worst (goal: under 16 ms)",
        median(all) * 1e3,
        worst * 1e3
    );
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down);
    let t = Instant::now();
    key(&mut app, KeyCode::Enter);
    term.draw(|f| sprawl::tui::views::draw(&app, f)).unwrap();
    println!(
        "one account's overview from there: {:.0} ms (goal: under 200 ms)",
        t.elapsed().as_secs_f64() * 1e3
    );
    // The lists that span the organization: their rows were being built since it opened.
    app.take_lists();
    println!(
        "the organization's lists ready at {:.0} ms after opening, {:.0} MB resident then",
        opening.elapsed().as_secs_f64() * 1e3,
        common::rss_mb()
    );
    key(&mut app, KeyCode::Char('2'));
    println!(
        "frame, that account's functions: {:.2} ms (median of 200)",
        frame_median(&mut app, &mut term) * 1e3
    );
    command(&mut app, "accounts");
    for list in ["functions", "roles", "apis", "secrets", "findings"] {
        command(&mut app, list);
        let frame = frame_median(&mut app, &mut term);
        key(&mut app, KeyCode::Char('/'));
        let mut all = Vec::new();
        for c in "account:account-17 risk>=high".chars() {
            let t = Instant::now();
            key(&mut app, KeyCode::Char(c));
            term.draw(|f| sprawl::tui::views::draw(&app, f)).unwrap();
            all.push(t.elapsed().as_secs_f64());
        }
        key(&mut app, KeyCode::Enter);
        let rows = app.list().map_or(0, |l| l.row_count());
        let shown = app.list().map_or(0, |l| l.shown());
        let worst = all.iter().copied().fold(0.0, f64::max);
        println!(
            "{list} of every account ({rows} rows): frame {:.2} ms, keystroke to filtered frame {:.2} ms median, {:.2} ms worst ({shown} match)",
            frame * 1e3,
            median(all) * 1e3,
            worst * 1e3
        );
    }
    println!(
        "memory of the explorer process: {:.0} MB resident, {:.0} MB peak",
        common::rss_mb(),
        peak_rss_mb()
    );
}

/// Types `:name` and Enter.
fn command(app: &mut App, name: &str) {
    key(app, KeyCode::Char(':'));
    for c in name.chars() {
        key(app, KeyCode::Char(c));
    }
    key(app, KeyCode::Enter);
}

/// Opens a snapshot the way `sprawl open` does, then draws and filters.
fn explore(path: &std::path::Path) {
    let size = std::fs::metadata(path).unwrap().len();
    let t = Instant::now();
    let loaded = sprawl::snapshot::load(path).unwrap();
    let parsed = t.elapsed().as_secs_f64();
    let mut app = App::new(loaded, Theme::preset("default").unwrap(), "bench");
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| sprawl::tui::views::draw(&app, f)).unwrap();
    let opened = t.elapsed().as_secs_f64();
    // The lists' rows are built in the background meanwhile; the first key waits for them.
    app.take_lists();
    let lists = t.elapsed().as_secs_f64();
    let resident = common::rss_mb();
    println!(
        "open: {:.0} ms to the overview on screen ({:.0} ms to read and parse the {:.1} MB snapshot); the lists' rows ready at {:.0} ms",
        opened * 1e3,
        parsed * 1e3,
        size as f64 / 1e6,
        lists * 1e3
    );

    for (label, screen) in [("overview", '1'), ("function list", '2')] {
        key(&mut app, KeyCode::Char(screen));
        println!(
            "frame, {label}: {:.2} ms (median of 200)",
            frame_median(&mut app, &mut term) * 1e3
        );
    }

    key(&mut app, KeyCode::Char('/'));
    let mut worst: f64 = 0.0;
    let mut all = Vec::new();
    for c in "team:orders risk>=high".chars() {
        let t = Instant::now();
        key(&mut app, KeyCode::Char(c));
        term.draw(|f| sprawl::tui::views::draw(&app, f)).unwrap();
        let el = t.elapsed().as_secs_f64();
        worst = worst.max(el);
        all.push(el);
    }
    println!(
        "keystroke to filtered frame: {:.2} ms median, {:.2} ms worst ({} of {} functions match)",
        median(all) * 1e3,
        worst * 1e3,
        app.lists
            .of::<sprawl::tui::rows::FunctionRow>()
            .visible
            .len(),
        app.lists.of::<sprawl::tui::rows::FunctionRow>().rows.len()
    );
    {
        let mb = peak_rss_mb();
        println!(
            "memory of the explorer process: {resident:.0} MB resident once open, {mb:.0} MB peak (while the file is parsed)"
        );
    }
}
