//! One question, one number: every count of findings that a surface prints for the demo
//! organization (the explorer's header and findings list, `summary`, `assess`, the exports) is
//! computed here from what each printed, and they must agree; where two differ on purpose (rows
//! and findings), both are printed with their names.

use assert_cmd::Command;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use sprawl::tui::app::App;

fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("sprawl")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {:?}", out);
    String::from_utf8(out.stdout).unwrap()
}

fn screen(a: &mut App) -> String {
    crate::tui::text(&crate::tui::draw(a, 200, 45))
}

/// The number before `word` in `text` (`2,013 rows` -> 2013).
fn number_before(text: &str, word: &str) -> usize {
    let at = text
        .find(word)
        .unwrap_or_else(|| panic!("{word:?} in {text}"));
    let digits: String = text[..at]
        .trim_end()
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .collect::<String>()
        .chars()
        .rev()
        .filter(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("{word:?} in {text}"))
}

#[test]
fn every_surface_counts_the_demo_organizations_findings_alike() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("demo.json");
    let org = org.to_str().unwrap();
    run(&["demo", "--save", org]);

    // The truth: the assessments themselves, each finding once, and rows as hygiene folds them.
    let sprawl::snapshot::org::Opened::Organization(o) =
        sprawl::snapshot::org::open(std::path::Path::new(org)).unwrap()
    else {
        panic!("the demo is an organization")
    };
    let (mut findings, mut rows, mut not_scanned) = (0, 0, 0);
    let mut per_account = Vec::new();
    sprawl::snapshot::org::reassess(&o, None, None, |entry, s| match s {
        Some(s) => {
            let c = s.assessment.counts();
            findings += c.total_findings();
            rows += c.total_rows();
            per_account.push((entry.info.id.clone(), c));
        }
        None => not_scanned += 1,
    })
    .unwrap();
    assert!(
        rows < findings,
        "the demo folds hygiene gaps: {rows} {findings}"
    );
    assert_eq!(not_scanned, 1);

    // summary and assess: the same totals line, both counts named.
    let totals = format!(
        "{} rows, {} findings",
        sprawl::assess::thousands(rows),
        sprawl::assess::thousands(findings)
    );
    let summary = run(&["summary", org]);
    let assess = run(&["assess", org]);
    for out in [&summary, &assess] {
        let line = out
            .lines()
            .find(|l| l.starts_with("Findings of the scanned accounts:"))
            .unwrap_or_else(|| panic!("{out}"));
        assert!(line.contains(&totals), "{line} / {totals}");
    }
    // Each account's line in `assess` and in `summary --account` counts alike.
    for (id, c) in &per_account {
        let line = assess.lines().find(|l| l.contains(id.as_str())).unwrap();
        assert!(line.contains(&c.by_severity()), "{line}");
        let one = run(&["summary", org, "--account", id]);
        assert!(one.contains(&c.by_severity()), "{one}");
    }

    // The exports: every finding once, and the account not scanned said, not left out.
    let csv = run(&["export", org, "--format", "csv"]);
    let records = csv.lines().skip(1).count();
    let not_scanned_rows = csv
        .lines()
        .filter(|l| l.contains(",account-not-scanned,"))
        .count();
    assert_eq!(not_scanned_rows, 1, "{}", &csv[..500]);
    assert_eq!(records - not_scanned_rows, findings);
    let ocsf: serde_json::Value =
        serde_json::from_str(&run(&["export", org, "--format", "ocsf"])).unwrap();
    let events = ocsf.as_array().unwrap();
    let code = |e: &serde_json::Value| e["metadata"]["event_code"].as_str().unwrap().to_string();
    let said: Vec<_> = events
        .iter()
        .filter(|e| code(e) == "sprawl-account-not-scanned")
        .collect();
    assert_eq!(said.len(), 1);
    assert_eq!(said[0]["cloud"]["account"]["uid"], "555566667777");
    assert_eq!(events.len() - 1, findings);
    let json: serde_json::Value =
        serde_json::from_str(&run(&["export", org, "--format", "json"])).unwrap();
    let sum = |key: &str| -> usize {
        json["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| !a["findings"].is_null())
            .map(|a| {
                let by = &a["findings"]["summary"][key];
                ["critical", "high", "medium", "low", "info"]
                    .iter()
                    .map(|s| by[s].as_u64().unwrap() as usize)
                    .sum::<usize>()
            })
            .sum()
    };
    assert_eq!((sum("findings"), sum("finding_rows")), (findings, rows));

    // The explorer: the organization's header, then its findings list's title.
    let mut a = crate::tui::demo_organization();
    let shown = screen(&mut a);
    assert!(shown.contains(&totals), "{shown}");
    assert_eq!(
        number_before(&shown, " critical, "),
        per_account
            .iter()
            .map(|(_, c)| c.findings[0])
            .sum::<usize>()
    );
    for c in ":findings".chars() {
        a.handle(&Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
    a.handle(&Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    let shown = screen(&mut a);
    assert!(shown.contains(&format!("Findings ({totals})")), "{shown}");
}
