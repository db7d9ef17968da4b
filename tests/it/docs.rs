//! The documentation's commands work (issue 20): every `sprawl` line of a `sh` block in the
//! README and `docs/` runs against the demo organization (`demo.json`) and its dev account
//! (`dev.json`) and exits as its trailing `# exit N` says (0 when it says nothing); every usage
//! line of the other blocks names a subcommand that exists and only options it has.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The README and every page under `docs/`.
fn pages() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// The `sprawl` lines of a page's fenced blocks: (whether the block is `sh`, the line).
fn sprawl_lines(text: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    let mut continued = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(lang) = trimmed.strip_prefix("```") {
            fence = match fence {
                Some(_) => None,
                None => Some(lang.trim().to_string()),
            };
            continue;
        }
        if let Some(lang) = &fence {
            let l = trimmed.strip_prefix("$ ").unwrap_or(trimmed);
            if l.starts_with("sprawl ") || l == "sprawl" {
                out.push((lang == "sh", l.to_string()));
                continued = true;
            } else if continued && line.starts_with(' ') && !l.is_empty() {
                // An indented line goes on with the usage line above it.
                if let Some((_, last)) = out.last_mut() {
                    last.push(' ');
                    last.push_str(l);
                }
            } else {
                continued = false;
            }
        } else {
            continued = false;
        }
    }
    out
}

/// A command line's words, quotes honoured, and the exit code its comment expects.
fn parse(line: &str) -> (Vec<String>, i32) {
    let (cmd, comment) = match line.find(" #") {
        Some(at) => (&line[..at], &line[at + 2..]),
        None => (line, ""),
    };
    let expected = comment
        .trim()
        .strip_prefix("exit ")
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut any = false;
    for c in cmd.chars() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            (_, c) => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    (words, expected)
}

fn sprawl(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sprawl").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("AWS_PROFILE")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    cmd
}

#[test]
fn every_sh_example_of_the_docs_runs_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for args in [
        &["demo", "--save", "demo.json"][..],
        &["demo", "--account", "dev", "--save", "dev.json"],
    ] {
        assert!(sprawl(d).args(args).output().unwrap().status.success());
    }
    let mut ran = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for (sh, line) in sprawl_lines(&text) {
            if !sh {
                continue;
            }
            let (words, expected) = parse(&line);
            let out = sprawl(d).args(&words[1..]).output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(expected),
                "{}: `{line}`\nstdout: {}\nstderr: {}",
                page.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 5, "only {ran} examples ran");
}

#[test]
fn every_usage_line_of_the_docs_names_real_options() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for (_, line) in sprawl_lines(&text) {
            let (words, _) = parse(&line);
            // `sprawl SUB ...`, or `sprawl [--options]` (the command with none).
            let sub = words
                .get(1)
                .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_lowercase()));
            let help = {
                let mut cmd = sprawl(dir.path());
                if let Some(sub) = sub {
                    cmd.arg(sub);
                }
                let out = cmd.arg("--help").output().unwrap();
                assert!(
                    out.status.success(),
                    "{}: `{line}`: no such command",
                    page.display()
                );
                String::from_utf8(out.stdout).unwrap()
            };
            for word in &words {
                let flag: String = word
                    .trim_start_matches('[')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                if flag.starts_with("--") && flag.len() > 2 {
                    assert!(
                        help.contains(&format!("{flag} ")) || help.contains(&format!("{flag}\n")),
                        "{}: `{line}`: {flag} is not an option of sprawl {}",
                        page.display(),
                        sub.map_or("", |s| s.as_str())
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} usage lines");
}

/// Issue 26 (20): every filter example the docs give (a backquoted `key:value`, `key>value`, ...)
/// keeps at least one row of the demo organization's functions, so a reader who tries one sees
/// what it does; the examples of what a key cannot take are said as problems instead.
#[test]
fn every_filter_example_of_the_docs_finds_something_on_the_demo() {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use sprawl::tui::rows::FunctionRow;
    let bad = ["severity>=hgh", "idle:maybe", "last-invoked<yesterday"];
    let mut examples: Vec<String> = Vec::new();
    for page in ["explorer.md", "runtime-evidence.md"] {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("docs")
                .join(page),
        )
        .unwrap();
        for quoted in text.split('`').skip(1).step_by(2) {
            for term in quoted.split_whitespace() {
                let shaped = term.find([':', '<', '>', '=']).is_some_and(|i| {
                    i > 0
                        && term[..i]
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '-')
                        && term.len() > i + 1
                });
                if shaped && !term.starts_with("account:") && !examples.contains(&term.to_string())
                {
                    examples.push(term.to_string());
                }
            }
        }
    }
    for must in [
        "last-invoked<2026-11-01",
        "idle:yes",
        "cost>5",
        "runtime:python3.9",
    ] {
        assert!(examples.iter().any(|e| e == must), "{must}: {examples:?}");
    }
    let mut app = sprawl::tui::app::App::organization(
        sprawl::demo::org::snapshot().unwrap(),
        sprawl::tui::theme::Theme::preset("default").unwrap(),
        "demo organization",
        Default::default(),
    )
    .unwrap();
    let key = |app: &mut sprawl::tui::app::App, code: KeyCode| {
        app.handle(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    };
    for c in ":functions".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    for example in &examples {
        key(&mut app, KeyCode::Char('/'));
        for c in example.chars() {
            key(&mut app, KeyCode::Char(c));
        }
        key(&mut app, KeyCode::Enter);
        let shown = app.lists.of::<FunctionRow>().visible.len();
        let problem = app.status.clone();
        if bad.contains(&example.as_str()) {
            assert!(problem.is_some_and(|(_, error)| error), "{example}");
        } else {
            assert!(
                shown > 0,
                "{example} keeps no function of the demo: {problem:?}"
            );
        }
        key(&mut app, KeyCode::Esc);
    }
}
