//! The binary, run as a user would: bad input gets one clear line and exit code 2.

use assert_cmd::Command;
use predicates::prelude::*;

/// The binary with an environment that has no AWS credentials or configuration, and no instance
/// metadata lookups (which would leave this machine).
pub(crate) fn sprawl() -> Command {
    let mut cmd = Command::cargo_bin("sprawl").unwrap();
    let empty = tempfile::tempdir().unwrap().keep();
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_CONFIG_FILE", empty.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", empty.join("credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("HOME", &empty)
        .env("NO_COLOR", "1")
        .current_dir(&empty);
    cmd
}

fn one_line(output: &[u8]) -> String {
    let text = String::from_utf8_lossy(output).to_string();
    assert_eq!(
        text.trim_end().lines().count(),
        1,
        "expected one line, got: {text}"
    );
    assert!(
        !text.contains("panicked") && !text.contains("backtrace"),
        "{text}"
    );
    text
}

#[test]
fn no_credentials_is_one_line_and_exit_2() {
    let out = sprawl()
        .args(["scan", "--region", "eu-west-1", "--no-tui"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = one_line(&out.stderr);
    assert!(err.contains("no AWS credentials found"), "{err}");
    assert!(
        err.contains("aws sso login") && err.contains("AWS_PROFILE"),
        "{err}"
    );
}

#[test]
fn no_region_is_one_line_and_exit_2() {
    let out = sprawl()
        .args(["scan", "--no-tui"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(one_line(&out.stderr).contains("no AWS region"));
}

#[test]
fn an_unknown_region_is_one_line_and_exit_2() {
    let out = sprawl()
        .args(["scan", "--region", "eu-wset-1", "--no-tui"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(one_line(&out.stderr).contains("unknown region 'eu-wset-1'"));
}

#[test]
fn bad_snapshots_are_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("empty.json", "".to_string(), "empty"),
        (
            "truncated.json",
            "{\"format\": \"sprawl-snapshot\", \"schema_version\": 1, \"inv".to_string(),
            "truncated",
        ),
        (
            "foreign.json",
            "{\"Statement\": []}".to_string(),
            "not a sprawl snapshot",
        ),
        (
            "binary.json",
            "\u{1}\u{2}garbage".to_string(),
            "not a sprawl snapshot",
        ),
        (
            "future.json",
            format!(
                "{{\"format\": \"sprawl-snapshot\", \"schema_version\": {}}}",
                sprawl::snapshot::SCHEMA_VERSION + 1
            ),
            "upgrade sprawl",
        ),
    ];
    let good = dir.path().join("good.json");
    std::fs::write(&good, sprawl::demo::snapshot().to_json()).unwrap();
    let good = good.to_str().unwrap().to_string();
    let mut cases = cases.to_vec();
    cases.push(("deep.json", deeply_nested_policy(), "nested deeper than 64"));
    // Every command that reads a snapshot, with BAD where the bad file goes.
    let commands: [&[&str]; 9] = [
        &["summary", "BAD"],
        &["assess", "BAD"],
        &["open", "BAD"],
        &["check", "BAD"],
        &["export", "BAD", "--format", "json"],
        &["export", "BAD", "--format", "ocsf"],
        &["export", "BAD", "--format", "csv"],
        &["diff", "BAD", &good],
        &["diff", &good, "BAD"],
    ];
    let missing = dir.path().join("missing.json");
    let mut cases: Vec<(String, std::path::PathBuf, &str)> = cases
        .into_iter()
        .map(|(name, body, expected)| {
            let path = dir.path().join(name);
            std::fs::write(&path, body).unwrap();
            (name.to_string(), path, expected)
        })
        .collect();
    cases.push(("missing.json".into(), missing, "No such file"));
    for command in commands {
        for (name, path, expected) in &cases {
            let args: Vec<&str> = command
                .iter()
                .map(|a| {
                    if *a == "BAD" {
                        path.to_str().unwrap()
                    } else {
                        a
                    }
                })
                .collect();
            let out = sprawl().args(&args).assert().code(2).get_output().clone();
            let err = one_line(&out.stderr);
            assert!(err.contains(expected), "{command:?} {name}: {err}");
            assert!(
                err.contains(name.as_str()),
                "{command:?} {name}: the message names the file: {err}"
            );
            assert!(
                out.stdout.is_empty(),
                "{command:?} {name}: nothing on stdout"
            );
        }
    }
}

/// The demo snapshot, unassessed, with one function's resource policy nested 50,000 deep (it
/// once loaded, then panicked when assessed).
fn deeply_nested_policy() -> String {
    let mut v = serde_json::to_value(sprawl::demo::snapshot()).unwrap();
    v.as_object_mut().unwrap().remove("assessment");
    v["schema_version"] = 1.into();
    v["inventory"]["functions"][0]["policy"] =
        serde_json::json!({"status": "collected", "value": "DEEP"});
    let depth = 50_000;
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    v.to_string().replacen("\"DEEP\"", &deep, 1)
}

/// Names and tags with escape sequences, as a crafted file may carry them: every text report
/// prints them without their control characters.
#[test]
fn escape_sequences_from_a_snapshot_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = serde_json::to_value(sprawl::demo::snapshot()).unwrap();
    v.as_object_mut().unwrap().remove("assessment");
    v["schema_version"] = 1.into();
    let evil = "\u{1b}]0;owned\u{7}\u{1b}[2J";
    let f = &mut v["inventory"]["functions"][0];
    f["name"] = format!("fn{evil}").into();
    f["arn"] = format!("arn:aws:lambda:us-east-1:123456789012:function:fn{evil}").into();
    let path = dir.path().join("evil.json");
    std::fs::write(&path, v.to_string()).unwrap();
    let file = path.to_str().unwrap();
    let other = dir.path().join("other.json");
    std::fs::write(&other, sprawl::demo::snapshot().to_json()).unwrap();
    let other = other.to_str().unwrap();
    for args in [
        vec!["summary", file],
        vec!["assess", file, "--top", "400"],
        vec!["check", file, "--fail-on", "critical"],
        vec!["diff", other, file],
        vec!["export", file, "--format", "csv"],
    ] {
        let out = sprawl().args(&args).output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{args:?}: {:?}",
            out.status
        );
        for stream in [&out.stdout, &out.stderr] {
            assert!(
                !stream.iter().any(|&b| b == 0x1b || b == 0x07),
                "{args:?} sent a control character: {}",
                String::from_utf8_lossy(stream)
            );
        }
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("fn]0;owned") || args[0] != "diff",
            "{args:?}: the name is shown, cleaned"
        );
    }
}

#[test]
fn help_lists_the_scan_options() {
    sprawl().args(["scan", "--help"]).assert().success().stdout(
        predicate::str::contains("--all-regions").and(predicate::str::contains("--rate-scale")),
    );
}

#[test]
fn bare_sprawl_without_credentials_points_at_the_demo() {
    // Not on a terminal, so nothing to prompt: one line, exit 2, and the way to the demo.
    let out = sprawl()
        .env("AWS_REGION", "eu-west-1")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = one_line(&out.stderr);
    assert!(
        err.contains("no AWS credentials found") && err.contains("sprawl demo"),
        "{err}"
    );
}

#[test]
fn the_demo_runs_without_aws() {
    let run = |args: &[&str]| -> (i32, String, String) {
        let out = sprawl().args(args).output().unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    // The demo is an organization: five accounts scanned, one whose role could not be assumed.
    let (code, text, _) = run(&["demo", "--no-tui"]);
    assert_eq!(code, 0);
    assert!(text.contains("6 accounts"), "{text}");
    for name in ["management", "prod", "staging", "dev", "sandbox"] {
        assert!(text.contains(&format!(" {name} ")), "{name}: {text}");
    }
    assert!(
        text.contains(
            "555566667777   acquired-analytics   Acquisitions     not scanned: could not assume"
        ),
        "{text}"
    );
    // Its dev account is the demo account, with a public hook whose role reaches prod's
    // administrator through staging: the riskiest function of the organization.
    let (code, text, _) = run(&["demo", "--no-tui", "--account", "dev"]);
    assert_eq!(code, 0);
    assert!(text.contains("Account 111122223333"), "{text}");
    assert!(text.contains("1.  98  growth-signup-hook"), "{text}");
    assert!(
        text.contains("role growth-signup-hook-role (dev) -> may assume staging-release-deployer (staging; trusts account dev) -> may assume prod-release-deployer (prod; trusts account staging) -> administrator (prod)"),
        "{text}"
    );
    assert!(text.contains("2.  92  growth-referral-webhook"), "{text}");
    // The account not scanned says why, in one line and exit 2.
    let (code, _, err) = run(&["demo", "--no-tui", "--account", "acquired-analytics"]);
    assert_eq!(code, 2);
    assert!(
        one_line(err.as_bytes()).contains("was not scanned") && err.contains("AccessDenied"),
        "{err}"
    );
    // Saved, it is an organization's snapshot the other commands read.
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org.json");
    let (code, _, _) = run(&["demo", "--save", org.to_str().unwrap()]);
    assert_eq!(code, 0);
    let (code, text, _) = run(&["summary", org.to_str().unwrap(), "--account", "sandbox"]);
    assert_eq!(code, 0);
    assert!(text.contains("Account 777788889999"), "{text}");
    // The edges between its accounts: dev's signup hook into staging's deployer, staging's
    // deployer and release role into prod's administrator, and the sandbox's way into prod's
    // break-glass role, stopped by the Sandbox OU's SCP (and behind an external id and MFA).
    let (code, text, _) = run(&["paths", org.to_str().unwrap()]);
    assert_eq!(code, 0);
    for edge in [
        "dev/growth-signup-hook-role -> staging/staging-release-deployer (a role that can escalate): trusted by its account",
        "staging/staging-release-deployer -> prod/prod-release-deployer (administrator): trusted by its account",
        "staging/growth-release-promote-role -> prod/prod-release-deployer (administrator): trusted by its account",
    ] {
        assert!(text.contains(edge), "{edge} in {text}");
    }
    assert!(
        text.contains("sandbox/sandbox-admin -> prod/prod-break-glass (administrator) (stopped)")
            && text.contains("sts:ExternalId")
            && text.contains("stopped: an SCP over its account: SCP SandboxIsolation at ou-demo-sandbox statement 0 (NoWayIntoProdOrStaging) denies it")
            && text.contains("SCP: allow"),
        "{text}"
    );
    let (code, text, _) = run(&["check", org.to_str().unwrap(), "--fail-on", "critical"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("555566667777") && text.contains("not scanned"),
        "{text}"
    );
}

#[test]
fn bad_themes_and_explorer_without_a_terminal_are_one_line() {
    let out = sprawl()
        .args(["--theme", "neon", "demo", "--no-tui"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(one_line(&out.stderr).contains("unknown theme \"neon\""));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "[styles]\ncritcal = \"red\"\n").unwrap();
    // A theme file the demo refuses: its one line on stderr, exit 2.
    let refused = |theme: &std::path::Path| -> String {
        let out = sprawl()
            .arg("--theme")
            .arg(theme)
            .args(["demo", "--no-tui"])
            .assert()
            .code(2)
            .get_output()
            .clone();
        one_line(&out.stderr)
    };
    let err = refused(&path);
    assert!(
        err.contains("mine.toml") && err.contains("critcal"),
        "{err}"
    );
    // Crafted theme and mute files: any depth, any size, escape sequences: one short line.
    let deep = format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let evil = "[styles]\ncritical = \"\u{1b}]0;owned\u{7}\"\n".to_string();
    let huge = format!("name = \"{}\"\n[styles]\nbogus = 1\n", "x".repeat(200_000));
    for (i, text) in [deep.clone(), evil, huge].into_iter().enumerate() {
        let theme = dir.path().join(format!("crafted-{i}.toml"));
        std::fs::write(&theme, &text).unwrap();
        let err = refused(&theme);
        assert!(err.len() < 1_000, "theme {i}: {} bytes", err.len());
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{7}'),
            "theme {i}: {err}"
        );
    }
    let mute = dir.path().join("deep-mute.toml");
    std::fs::write(&mute, format!("[[mute]]\nrule = {deep}")).unwrap();
    let out = sprawl()
        .arg("check")
        .arg("--mute")
        .arg(&mute)
        .arg(dir.path().join("nothing.json"))
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = one_line(&out.stderr);
    assert!(err.len() < 1_000, "{err}");
    let snap = dir.path().join("demo.json");
    std::fs::write(&snap, sprawl::demo::snapshot().to_json()).unwrap();
    let out = sprawl()
        .arg("open")
        .arg(&snap)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(one_line(&out.stderr).contains("needs a terminal"));
}

#[test]
fn a_reader_that_leaves_early_is_not_a_crash() {
    // `sprawl demo --no-tui | head -1`: the pipe closes before the report is written.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sprawl"))
        .args(["demo", "--no-tui"])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_is_one_line_and_exit_2() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("sprawl"))
        .args(["demo", "--no-tui"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(one_line(&out.stderr).contains("cannot write the report"));
}

/// `sprawl check FILE ARGS`: its exit code and stdout.
fn check(snapshot: &sprawl::snapshot::Snapshot, args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    std::fs::write(&file, snapshot.to_json()).unwrap();
    let out = sprawl()
        .arg("check")
        .arg(&file)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn check_gates_on_severity_score_and_partial_scans() {
    use sprawl::model::{CoverageEntry, Failure, FailureKind};
    let demo = sprawl::demo::snapshot();
    let (code, out) = check(&demo, &["--fail-on", "critical"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("sprawl check: FAIL") && out.contains("findings at or above critical"));
    assert!(out.contains("partial scan: 1 coverage gap,"), "{out}");

    let clean = sprawl::snapshot::Snapshot::empty(sprawl::demo::scanned_at());
    let (code, out) = check(&clean, &["--fail-on", "low", "--max-score", "0"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("PASS") && out.contains("no unmuted finding at or above low"),
        "{out}"
    );

    // A clean account whose scan hit AccessDenied somewhere: partial, so it fails unless allowed.
    let mut gap = clean.clone();
    gap.coverage.entries.push(CoverageEntry {
        service: "lambda".into(),
        region: "eu-west-1".into(),
        operation: "ListFunctions".into(),
        succeeded: 0,
        failed: 1,
        items: 0,
        skipped: 0,
        failure: Some(Failure {
            kind: FailureKind::AccessDenied,
            message: "not authorized".into(),
        }),
    });
    let (code, out) = check(&gap, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("lambda eu-west-1 ListFunctions"), "{out}");
    let (code, out) = check(&gap, &["--allow-partial"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("partial scan (allowed)"), "{out}");

    // Unreadable input is 2, one line.
    let out = sprawl()
        .args(["check", "missing.json"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(one_line(&out.stderr).contains("missing.json"));
    let out = sprawl()
        .args(["check", "x.json", "--max-score", "101"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(!out.stderr.is_empty());
}

#[test]
fn check_and_export_without_a_snapshot_scan_and_say_when_they_cannot() {
    for command in ["check", "export"] {
        let out = sprawl()
            .args([command, "--region", "eu-west-1"])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = one_line(&out.stderr);
        assert!(err.contains("no AWS credentials found"), "{command}: {err}");
        assert!(out.stdout.is_empty());
    }
    // Scan options mean nothing beside a snapshot file: said, not ignored.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    std::fs::write(
        &file,
        sprawl::snapshot::Snapshot::empty(sprawl::demo::scanned_at()).to_json(),
    )
    .unwrap();
    let out = sprawl()
        .arg("check")
        .arg(&file)
        .args(["--region", "eu-west-1"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(one_line(&out.stderr).contains("give one or the other"));
}

/// Issue 20 (4): a profile that does not exist, an endpoint that is no URL, and no credentials
/// at all are each one line that says what to do, not the SDK's debug dump of a request.
#[test]
fn credential_and_endpoint_mistakes_are_one_line_that_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        "[default]\nregion = eu-west-1\n[profile dev]\nregion = eu-west-1\n",
    )
    .unwrap();
    let err = |cmd: &mut Command| {
        let out = cmd.assert().code(2).get_output().clone();
        let err = one_line(&out.stderr);
        assert!(
            err.len() < 300 && !err.contains("Request {") && !err.contains("SdkBody"),
            "{err}"
        );
        err
    };
    let e = err(sprawl().env("AWS_CONFIG_FILE", &config).args([
        "scan",
        "--no-tui",
        "--profile",
        "nope",
    ]));
    assert!(
        e.contains("no AWS profile \"nope\"") && e.contains("profiles there: default, dev"),
        "{e}"
    );
    let e = err(sprawl()
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_PROFILE", "nope")
        .args(["scan", "--no-tui"]));
    assert!(e.contains("no AWS profile \"nope\""), "{e}");
    let e = err(sprawl()
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .args([
            "scan",
            "--no-tui",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            "not-a-url",
        ]));
    assert!(
        e.contains("\"not-a-url\" is not a URL") && e.contains("http://127.0.0.1:5000"),
        "{e}"
    );
    let e = err(sprawl().args(["scan", "--no-tui", "--region", "eu-west-1"]));
    assert!(
        e.contains("no AWS credentials") && e.contains("sprawl demo"),
        "{e}"
    );
    // Bare `sprawl` names the demo once.
    let e = err(sprawl().env("AWS_REGION", "eu-west-1"));
    assert_eq!(e.matches("sprawl demo").count(), 1, "{e}");
}

/// Issue 20 (3): `-o` onto an input (the same name, a link to it) is refused before anything is
/// written: exit 2, one line, and the input unchanged.
#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sprawl()
        .current_dir(d)
        .args(["demo", "--save", "org.json"])
        .assert()
        .success();
    sprawl()
        .current_dir(d)
        .args(["demo", "--account", "dev", "--save", "dev.json"])
        .assert()
        .success();
    std::os::unix::fs::symlink(d.join("dev.json"), d.join("link.json")).unwrap();
    let before = std::fs::read(d.join("dev.json")).unwrap();
    let org_before = std::fs::read(d.join("org.json")).unwrap();
    for args in [
        &["export", "dev.json", "--format", "json", "-o", "dev.json"][..],
        &["export", "dev.json", "--format", "csv", "-o", "link.json"],
        &["export", "org.json", "-o", "org.json"],
        &["merge", "dev.json", "org.json", "-o", "dev.json"],
        &["merge", "org.json", "link.json", "-o", "dev.json"],
        &["merge", "dev.json", "org.json", "-o", "./org.json"],
    ] {
        let out = sprawl()
            .current_dir(d)
            .args(args)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = one_line(&out.stderr);
        assert!(err.contains("that is the input"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(d.join("dev.json")).unwrap(), before);
    assert_eq!(std::fs::read(d.join("org.json")).unwrap(), org_before);
    // Another file is fine.
    sprawl()
        .current_dir(d)
        .args(["export", "dev.json", "-o", "out.json"])
        .assert()
        .success();
}

/// Issue 20 (12): a file of another kind is named for what it is (an export, a JSON array),
/// not "trailing characters"; the hints name the real file.
#[test]
fn files_of_other_kinds_are_named_and_hints_name_the_real_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |args: &[&str]| sprawl().current_dir(d).args(args).output().unwrap();
    assert!(run(&["demo", "--save", "my org.json"]).status.success());
    assert!(
        run(&["demo", "--account", "dev", "--save", "dev.json"])
            .status
            .success()
    );
    for (format, file) in [
        ("ocsf", "dev.ocsf"),
        ("json", "dev.x.json"),
        ("csv", "dev.csv"),
    ] {
        assert!(
            run(&["export", "dev.json", "--format", format, "-o", file])
                .status
                .success()
        );
    }
    assert!(
        run(&["export", "my org.json", "-o", "org.x.json"])
            .status
            .success()
    );
    std::fs::write(d.join("array.json"), "[1, 2, 3]").unwrap();
    std::fs::write(d.join("lines.json"), "{\"a\": 1}\n{\"a\": 2}\n").unwrap();
    for (file, kind) in [
        ("dev.ocsf", "an OCSF findings export"),
        (
            "dev.x.json",
            "a findings export (`sprawl export --format json`)",
        ),
        ("dev.csv", "a CSV findings export"),
        ("org.x.json", "an organization's findings export"),
        ("array.json", "a JSON array of 3 item(s)"),
        ("lines.json", "JSON lines"),
    ] {
        for cmd in ["summary", "open", "assess"] {
            let out = run(&[cmd, file]);
            assert_eq!(out.status.code(), Some(2));
            let err = one_line(&out.stderr);
            assert!(
                err.contains(kind) && err.contains("not a sprawl snapshot"),
                "{cmd} {file}: {err}"
            );
            assert!(!err.contains("trailing characters"), "{err}");
        }
    }
    let out = run(&["summary", "my org.json"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("(sprawl paths 'my org.json')")
            && text.contains("sprawl summary 'my org.json' --account ID|NAME"),
        "{text}"
    );
    assert!(!text.contains("FILE"), "{text}");
    let out = run(&["demo", "--no-tui"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("sprawl demo --save demo.json, then sprawl paths demo.json"),
        "{text}"
    );
}

/// Issue 20 (13): each subcommand's help and suggestions show only its own options: the
/// explorer's (--theme, --mouse) on the commands that open it, --mute where findings are shown
/// or judged.
#[test]
fn each_subcommand_shows_only_its_own_options() {
    let help = |cmd: &str| {
        let out = sprawl().args([cmd, "--help"]).output().unwrap();
        assert!(out.status.success(), "{cmd}");
        String::from_utf8(out.stdout).unwrap()
    };
    for cmd in [
        "rules",
        "iam-policy",
        "merge",
        "paths",
        "summary",
        "diff",
        "assess",
    ] {
        let h = help(cmd);
        for flag in ["--theme", "--mouse", "--mute"] {
            assert!(!h.contains(flag), "{cmd} shows {flag}: {h}");
        }
    }
    for cmd in ["scan", "open", "demo"] {
        let h = help(cmd);
        for flag in ["--theme", "--mouse", "--mute"] {
            assert!(h.contains(flag), "{cmd} lacks {flag}");
        }
    }
    for cmd in ["check", "export"] {
        let h = help(cmd);
        assert!(h.contains("--mute") && !h.contains("--theme"), "{cmd}: {h}");
    }
    // A typo's suggestion names the subcommand's own option, not a leaked one.
    let out = sprawl().args(["rules", "--them"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("--theme"), "{err}");
    // Given before the command, the explorer's settings still apply.
    let out = sprawl()
        .args(["--theme", "neon", "demo", "--no-tui"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = sprawl()
        .args(["demo", "--theme", "neon", "--no-tui"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `least-privilege` prints the role's policy without what Access Advisor saw it never use (the
/// demo's payments role: its 2024 migration's S3 and KMS grants), as JSON a user can apply; a
/// function names its role; what is not there, or a report not read, is one line and exit 2.
#[test]
fn least_privilege_drops_what_the_role_never_used() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("demo.json");
    std::fs::write(&snap, sprawl::demo::snapshot().to_json()).unwrap();
    let out = sprawl()
        .arg("least-privilege")
        .arg(&snap)
        .arg("payments-lambda-shared")
        .assert()
        .success()
        .get_output()
        .clone();
    let policy: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let text = policy.to_string();
    assert!(text.contains("secretsmanager:GetSecretValue"), "{text}");
    assert!(
        !text.contains("kms:Decrypt") && !text.contains("s3:*"),
        "{text}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("kms") && err.contains("s3"), "{err}");
    // What Access Advisor cannot judge, and what the suggestion replaces (issue 26, 9).
    assert!(
        err.lines().any(|l| l.contains("kept account-wide")
            && l.contains("secretsmanager:GetSecretValue")
            && l.contains("on *")),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.contains("it replaces:") && l.contains("policy")),
        "{err}"
    );
    // A function's name gives its role's policy.
    let function = sprawl::demo::snapshot()
        .inventory
        .functions
        .iter()
        .find(|f| f.role_arn.ends_with("role/payments-lambda-shared"))
        .map(|f| f.name.clone())
        .unwrap();
    let by_function = sprawl()
        .arg("least-privilege")
        .arg(&snap)
        .arg(&function)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(by_function, out.stdout);
    let out = sprawl()
        .arg("least-privilege")
        .arg(&snap)
        .arg("no-such-role")
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(one_line(&out.stderr).contains("no role or function \"no-such-role\""));
    // A role no function runs as has no report, and no scan would read one: said, once.
    let out = sprawl()
        .arg("least-privilege")
        .arg(&snap)
        .arg("tmp-lambda-debug")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = one_line(&out.stderr);
    assert!(err.contains("no function runs as it"), "{err}");
    assert_eq!(err.matches("no function runs as").count(), 1, "{err}");
    assert!(!err.contains("scan with --access-advisor"), "{err}");
}

/// `--role-name` is the role an organization's scan assumes: alone it is an error, and `--org`
/// without it assumes the role `iam-policy` writes, SprawlScan.
#[test]
fn role_name_goes_with_org_and_defaults_to_the_policys_role() {
    use clap::Parser;
    use sprawl::cli::{Cli, Command as Sub};
    let out = sprawl()
        .args(["scan", "--role-name", "Auditor", "--no-tui"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--org"), "{err}");
    let role = |args: &[&str]| match Cli::try_parse_from(args).unwrap().command {
        Some(Sub::Scan(a)) => a.accounts.role_name,
        _ => panic!("a scan"),
    };
    assert_eq!(role(&["sprawl", "scan", "--org"]), "SprawlScan");
    assert_eq!(
        role(&["sprawl", "scan", "--org", "--role-name", "Auditor"]),
        "Auditor"
    );
    let policy = sprawl()
        .args(["iam-policy", "--cloudformation"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&policy.stdout).contains("SprawlScan"));
}

/// An instance metadata service on loopback that answers every request with `status`, or
/// (None) accepts and never answers; its URL.
fn metadata_service(status: Option<u16>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(64) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            match status {
                Some(code) => {
                    let _ = write!(
                        s,
                        "HTTP/1.1 {code} Forbidden\r\nContent-Length: 9\r\nConnection: close\r\n\r\nforbidden"
                    );
                }
                None => held.push(s),
            }
        }
    });
    url
}

/// Issue 26 (16): a credential error is one line in every case, the instance metadata service's
/// 403 and its silence included: which sources were tried and what to do, never the SDK's debug
/// structure.
#[test]
fn credential_errors_are_one_line_when_the_metadata_service_refuses_or_hangs() {
    for (status, says) in [
        (Some(403), "the instance metadata service refused (403)"),
        (None, "no AWS credentials found"),
    ] {
        let out = sprawl()
            .env_remove("AWS_EC2_METADATA_DISABLED")
            .env(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                metadata_service(status),
            )
            .args(["scan", "--region", "eu-west-1", "--no-tui"])
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = one_line(&out.stderr);
        assert!(err.contains(says), "{err}");
        for debug in ["ProviderError", "StatusCode", "SdkBody", "Extensions", "…"] {
            assert!(!err.contains(debug), "{debug}: {err}");
        }
        assert!(
            err.contains("AWS_PROFILE") && err.contains("sprawl demo"),
            "{err}"
        );
        if status.is_some() {
            assert!(
                err.contains("tried environment") && err.contains("AWS_EC2_METADATA_DISABLED"),
                "{err}"
            );
        }
    }
}

/// A scan of us-east-1 at `endpoint` with keys that need no checking, and `extra` options; what
/// it printed on stderr, after it exited 2.
fn scan_at(endpoint: &str, extra: &[&str]) -> Vec<u8> {
    sprawl()
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .args([
            "scan",
            "--region",
            "us-east-1",
            "--no-tui",
            "--endpoint-url",
            endpoint,
        ])
        .args(extra)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone()
}

/// Issue 26 (17): a hanging endpoint is not silence: after a few seconds stderr says what is
/// waited for and where; a refused connection names the endpoint's URL.
#[test]
fn a_hanging_or_refusing_endpoint_is_named() {
    let hanging = metadata_service(None);
    let stderr = scan_at(&hanging, &["--attempt-timeout", "7", "--max-attempts", "1"]);
    let err = String::from_utf8_lossy(&stderr);
    assert!(
        err.contains(&format!(
            "still waiting for sts GetCallerIdentity at {hanging} (5 s so far"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("at {hanging}")), "{err}");

    // A port nothing listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let stderr = scan_at(&closed, &[]);
    let err = one_line(&stderr);
    assert!(
        err.to_ascii_lowercase()
            .contains(&format!("connection refused (os error 111) at {closed}")),
        "{err}"
    );
    assert_eq!(err.matches(&closed).count(), 1, "{err}");
}

/// Issue 26 (19): messages in words, not type names, and plurals right.
#[test]
fn messages_are_in_words_with_plurals_right() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("demo.json");
    sprawl()
        .args(["demo", "--save"])
        .arg(&org)
        .assert()
        .success();
    let out = sprawl()
        .args(["export", org.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&out.stdout);
    for type_name in [
        "(PasswordLike)",
        "(UrlWithCredentials)",
        "(ApiToken)",
        "(HighEntropy)",
    ] {
        assert!(!csv.contains(type_name), "{type_name}");
    }
    assert!(csv.contains("holds a secret (password-like)"));
    let out = sprawl()
        .args(["summary", org.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("(s) "), "{text}");
    assert!(
        text.contains("5 roles may reach an administrator"),
        "{text}"
    );
    let merged = dir.path().join("one.json");
    let one = dir.path().join("dev.json");
    sprawl()
        .args(["demo", "--account", "dev", "--save"])
        .arg(&one)
        .assert()
        .success();
    let out = sprawl()
        .args([
            "merge",
            one.to_str().unwrap(),
            one.to_str().unwrap(),
            "--newest",
            "-o",
            merged.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 account written"), "{err}");
}
