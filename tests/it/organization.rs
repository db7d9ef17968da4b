//! Organizations' snapshots through the binary: `merge` joins accounts' snapshots, and `summary`,
//! `check`, `export`, `assess`, `diff` and `open` read them (an account picked with `--account`).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sprawl::snapshot::org::{self, AccountInfo, Member, Opened, Organization};
use sprawl::snapshot::{self, Snapshot};

fn sprawl() -> Command {
    Command::cargo_bin("sprawl").unwrap()
}

/// The demo account under another id, scanned `days` later.
fn account(id: &str, days: i64) -> Snapshot {
    let mut s = sprawl::demo::snapshot();
    s.account.id = id.to_string();
    s.inventory.functions.truncate(20 + days as usize);
    s.scanned_at += chrono::Duration::days(days);
    let now = s.scanned_at;
    s.reassess(now);
    s
}

fn save(dir: &Path, name: &str, s: &Snapshot) -> PathBuf {
    let path = dir.join(name);
    snapshot::save(s, &path).unwrap();
    path
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = sprawl().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn merge_joins_accounts_and_every_command_reads_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        account("111111111111", 0),
        account("222222222222", 1),
        account("333333333333", 2),
    );
    let files: Vec<String> = [("a.json", &a), ("b.json", &b), ("c.json", &c)]
        .iter()
        .map(|(n, s)| save(dir.path(), n, s).display().to_string())
        .collect();
    let out = dir.path().join("org.json");
    let out_s = out.display().to_string();
    let (code, _, err) = run(&["merge", &files[0], &files[1], &files[2], "-o", &out_s]);
    assert_eq!(code, 0, "{err}");

    // Each account reads back as it was scanned, with its own scan time.
    let Opened::Organization(o) = org::open(&out).unwrap() else {
        panic!("an organization")
    };
    for s in [&a, &b, &c] {
        assert_eq!(&o.account(&s.account.id).unwrap(), s);
        assert_eq!(
            o.entry(&s.account.id).unwrap().scanned_at,
            Some(s.scanned_at)
        );
    }

    let (code, text, _) = run(&["summary", &out_s]);
    assert_eq!(code, 0);
    for s in [&a, &b, &c] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&s.account.id))
            .unwrap_or_else(|| panic!("{} missing:\n{text}", s.account.id));
        assert!(
            line.contains(&format!(" {} ", s.inventory.functions.len())),
            "{line}"
        );
    }

    // One account's export is that account's, byte for byte as from its own file.
    let (code, from_org, _) = run(&[
        "export",
        &out_s,
        "--account",
        "222222222222",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0);
    let (_, from_file, _) = run(&["export", &files[1], "--format", "csv"]);
    assert_eq!(from_org, from_file);
    // `assess ORG` re-assesses every account: a line each, and with -o an organization whose
    // accounts are assessed as of the date asked.
    let later = dir.path().join("later.json");
    let (code, text, err) = run(&[
        "assess",
        &out_s,
        "--as-of",
        "2027-06-01",
        "-o",
        later.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    for s in [&a, &b, &c] {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&s.account.id) && l.contains("critical")),
            "{text}"
        );
    }
    let Opened::Organization(l) = org::open(&later).unwrap() else {
        panic!("an organization")
    };
    for s in [&a, &b, &c] {
        let again = l.account(&s.account.id).unwrap();
        assert_eq!(again.inventory, s.inventory);
        assert_eq!(
            again.assessment.assessed_at,
            "2027-06-01T00:00:00Z"
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap()
        );
    }
    let (code, _, err) = run(&["assess", &out_s, "--account", "444444444444"]);
    assert_eq!(code, 2);
    assert!(err.contains("no account \"444444444444\""), "{err}");
    let (code, text, _) = run(&["diff", &out_s, &files[0], "--account", "111111111111"]);
    assert_eq!(code, 0);
    assert!(text.contains("Account 111111111111"), "{text}");

    // An account twice: an error naming both files, unless --newest keeps the newer scan.
    let older = save(dir.path(), "b-old.json", &account("222222222222", 0));
    let older_s = older.display().to_string();
    let (code, _, err) = run(&["merge", &files[1], &older_s, "-o", &out_s]);
    assert_eq!(code, 2);
    assert!(
        err.contains("222222222222") && err.contains("--newest"),
        "{err}"
    );
    let (code, _, _) = run(&[
        "merge", &older_s, &files[1], &files[0], "--newest", "-o", &out_s,
    ]);
    assert_eq!(code, 0);
    let Opened::Organization(o) = org::open(&out).unwrap() else {
        panic!()
    };
    assert_eq!(
        o.entry("222222222222").unwrap().scanned_at,
        Some(b.scanned_at)
    );
}

/// An account that could not be scanned fails `check` of the organization (nothing in it
/// passed) unless --allow-partial; it shows in `summary` with its reason.
#[test]
fn an_account_not_scanned_fails_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org.json");
    let mut clean = account("111111111111", 0);
    clean.inventory = Default::default();
    clean.coverage = Default::default();
    let now = clean.scanned_at;
    clean.reassess(now);
    org::write(
        &path,
        Organization {
            id: Some("o-example".into()),
            management_account: Some("111111111111".into()),
            ..Default::default()
        },
        vec![
            Member {
                info: AccountInfo {
                    id: "111111111111".into(),
                    name: Some("management".into()),
                    ..AccountInfo::default()
                },
                scan: Ok(clean),
            },
            Member {
                info: AccountInfo {
                    id: "999999999999".into(),
                    name: Some("acquired".into()),
                    ou_path: vec!["Acquisitions".into()],
                    status: Some("ACTIVE".into()),
                },
                scan: Err("AccessDenied: sts:AssumeRole on role/SprawlScan".into()),
            },
        ],
    )
    .unwrap();
    let p = path.display().to_string();
    let (code, text, _) = run(&["summary", &p]);
    assert_eq!(code, 0);
    assert!(text.contains("o-example"), "{text}");
    let line = text
        .lines()
        .find(|l| l.starts_with("999999999999"))
        .unwrap();
    assert!(
        line.contains("acquired") && line.contains("Acquisitions"),
        "{line}"
    );
    assert!(line.contains("not scanned: AccessDenied"), "{line}");
    let (code, text, _) = run(&["check", &p]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("not scanned: AccessDenied") && text.contains("organization: FAILED"));
    let (code, text, _) = run(&["check", &p, "--allow-partial"]);
    assert_eq!(code, 0, "{text}");
    let (code, _, err) = run(&["open", &p, "--account", "acquired"]);
    assert_eq!(code, 2);
    assert!(err.contains("was not scanned: AccessDenied"), "{err}");
}

/// A damaged organization file is one line and exit 2, never a panic. (`summary` reads only the
/// header, so a part damaged inside is found by the commands that read it.)
#[test]
fn a_damaged_organization_file_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org.json");
    let a = save(dir.path(), "a.json", &account("111111111111", 0));
    let b = save(dir.path(), "b.json", &account("222222222222", 0));
    let (code, _, _) = run(&[
        "merge",
        &a.display().to_string(),
        &b.display().to_string(),
        "-o",
        &path.display().to_string(),
    ]);
    assert_eq!(code, 0);
    let bytes = std::fs::read(&path).unwrap();
    let header = bytes.iter().position(|b| *b == b'\n').unwrap();
    let cases: Vec<Vec<u8>> = vec![
        bytes[..header / 2].to_vec(),
        bytes[..bytes.len() - 10].to_vec(),
        {
            let mut v = bytes.clone();
            v[header + 50] = b'#';
            v
        },
    ];
    for (i, damaged) in cases.into_iter().enumerate() {
        std::fs::write(&path, damaged).unwrap();
        let p = path.display().to_string();
        let summary = vec!["summary", &p];
        let header_intact = i == 2;
        for args in [
            summary,
            vec!["check", &p],
            vec!["export", &p, "--account", "111111111111"],
        ] {
            let (code, _, err) = run(&args);
            if header_intact && args[0] == "summary" {
                assert_eq!(code, 0, "{err}");
                continue;
            }
            assert_eq!(code, 2, "case {i} {args:?}: {err}");
            assert_eq!(err.lines().count(), 1, "case {i} {args:?}: {err}");
            assert!(!err.contains("panicked"), "{err}");
        }
    }
}

/// CSV and OCSF export every account of an organization (one read at a time): one CSV header,
/// each row naming its account; one OCSF array, each finding with its account's id and name.
/// The JSON document is one account's, so it asks for --account.
#[test]
fn an_organization_exports_every_account() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org.json");
    let (a, b) = (account("111111111111", 0), account("222222222222", 3));
    org::write(
        &path,
        Organization::default(),
        vec![
            Member {
                info: AccountInfo {
                    id: "111111111111".into(),
                    name: Some("prod".into()),
                    ..AccountInfo::default()
                },
                scan: Ok(a.clone()),
            },
            Member {
                info: AccountInfo {
                    id: "222222222222".into(),
                    name: Some("dev".into()),
                    ..AccountInfo::default()
                },
                scan: Ok(b.clone()),
            },
            Member {
                info: AccountInfo {
                    id: "333333333333".into(),
                    ..AccountInfo::default()
                },
                scan: Err("AccessDenied".into()),
            },
        ],
    )
    .unwrap();
    let p = path.display().to_string();
    let total = a.assessment.findings.len() + b.assessment.findings.len();

    let (code, csv, err) = run(&["export", &p, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("id,severity,rule"), "{}", lines[0]);
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("id,severity"))
            .count(),
        1
    );
    // Every finding, and a row saying the account that was not scanned was not.
    assert_eq!(lines.len() - 1, total + 1);
    assert!(
        lines.iter().any(|l| l.contains(",account-not-scanned,")
            && l.contains("333333333333 was not scanned: AccessDenied")),
        "{csv}"
    );
    for (id, n) in [
        ("111111111111", a.assessment.findings.len()),
        ("222222222222", b.assessment.findings.len()),
    ] {
        assert_eq!(lines.iter().filter(|l| l.ends_with(id)).count(), n, "{id}");
    }

    let (code, ocsf, err) = run(&["export", &p, "--format", "ocsf"]);
    assert_eq!(code, 0, "{err}");
    let events: Vec<serde_json::Value> = serde_json::from_str(&ocsf).unwrap();
    assert_eq!(events.len(), total + 1);
    assert_eq!(
        events.last().unwrap()["metadata"]["event_code"],
        "sprawl-account-not-scanned"
    );
    let named = |id: &str, name: &str| {
        events
            .iter()
            .filter(|e| e["cloud"]["account"]["uid"] == id)
            .all(|e| e["cloud"]["account"]["name"] == name)
    };
    assert!(named("111111111111", "prod") && named("222222222222", "dev"));

    // JSON: the organization, and each account's own findings document.
    let (code, json, err) = run(&["export", &p, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["format"], "sprawl-organization-findings");
    for (i, (id, n)) in [
        ("111111111111", a.assessment.findings.len()),
        ("222222222222", b.assessment.findings.len()),
    ]
    .into_iter()
    .enumerate()
    {
        let account = &doc["accounts"][i];
        assert_eq!(account["id"], id);
        assert_eq!(account["findings"]["account"]["id"], id);
        assert_eq!(account["findings"]["findings"].as_array().unwrap().len(), n);
    }
}

/// `diff` of two organizations: each account in both compared (one pair read at a time), and the
/// accounts that joined or left said so.
#[test]
fn two_organizations_diff_account_by_account() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.json"), dir.path().join("new.json"));
    let member = |s: &Snapshot| Member {
        info: AccountInfo {
            id: s.account.id.clone(),
            ..AccountInfo::default()
        },
        scan: Ok(s.clone()),
    };
    let shared_before = account("222222222222", 2);
    let mut shared_after = shared_before.clone();
    let gone = shared_after.inventory.functions.remove(0).name;
    let now = shared_after.scanned_at;
    shared_after.reassess(now);
    org::write(
        &old,
        Organization::default(),
        vec![member(&account("111111111111", 0)), member(&shared_before)],
    )
    .unwrap();
    org::write(
        &new,
        Organization::default(),
        vec![member(&shared_after), member(&account("333333333333", 1))],
    )
    .unwrap();
    let (o, n) = (old.display().to_string(), new.display().to_string());
    let (code, text, err) = run(&["diff", &o, &n]);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("Accounts scanned now and not before: 333333333333"),
        "{text}"
    );
    assert!(
        text.contains("Accounts scanned before and not now: 111111111111"),
        "{text}"
    );
    assert!(
        text.contains("Account 222222222222") && text.contains(&gone),
        "{text}"
    );
    let (code, json, _) = run(&["diff", &o, &n, "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["accounts_added"][0], "333333333333");
    assert_eq!(doc["accounts_removed"][0], "111111111111");
    assert_eq!(doc["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(doc["accounts"][0]["account"], "222222222222");
}

/// SCPs that were read but cannot be applied to an account (here, one that does not parse) are
/// not silently dropped: `summary` says which accounts are judged by their roles' own policies,
/// and why.
#[test]
fn scps_that_cannot_be_applied_are_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org.json");
    let (mut organization, members, counts) = sprawl::demo::org::members();
    let g = organization.guardrails.as_mut().unwrap();
    g.policies.get_mut("p-demo-baseline").unwrap().document =
        serde_json::json!("not a policy").into();
    org::write_with(&path, organization, members, Some(counts)).unwrap();
    let (code, text, _) = run(&["summary", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("; SCPs applied, but not to 4 accounts, whose roles are judged by their own policies (SCP BaselineGuardrails (p-demo-baseline):"),
        "{text}"
    );
}

/// Issue 20 (2): one account re-assessed keeps the organization's context. `assess ORG
/// --account dev` assesses it within the organization (dev's signup hook stays at 98, through
/// staging into prod's administrator); `assess dev.json` of the account cut out of it says what
/// assessed alone it no longer sees; `-o` refuses to write that loss unless `--alone`; and a
/// comparison of snapshots assessed within keeps their assessments (nothing "new" or "resolved"
/// that only the context changed).
#[test]
fn one_account_reassessed_keeps_or_names_the_organizations_context() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let org = d.join("org.json");
    let dev = d.join("dev.json");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    assert_eq!(run(&["demo", "--save", &s(&org)]).0, 0);
    assert_eq!(run(&["demo", "--account", "dev", "--save", &s(&dev)]).0, 0);
    let hook = |out: &str| {
        out.lines()
            .find(|l| l.contains("growth-signup-hook ("))
            .map(str::to_string)
            .unwrap_or_default()
    };

    let (code, out, err) = run(&["assess", &s(&org), "--account", "dev"]);
    assert_eq!(code, 0, "{err}");
    assert!(hook(&out).contains(" 98  growth-signup-hook"), "{out}");
    assert!(out.contains("iam-role-cross-account-admin"), "{out}");
    assert!(err.is_empty(), "{err}");

    let (code, out, err) = run(&["assess", &s(&dev)]);
    assert_eq!(code, 0);
    assert!(hook(&out).contains(" 68  growth-signup-hook"), "{out}");
    assert!(
        err.contains("assessed within organization o-demo7x2k9q")
            && err.contains("iam-role-cross-account-admin 3")
            && err.contains("growth-signup-hook 98 -> 68")
            && err.contains("--account"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");

    let before = std::fs::read(&dev).unwrap();
    let (code, _, err) = run(&["assess", &s(&dev), "-o", &s(&dev)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("nothing was written") && err.contains("--alone"),
        "{err}"
    );
    assert_eq!(std::fs::read(&dev).unwrap(), before, "the snapshot is kept");
    let alone = d.join("alone.json");
    let (code, _, _) = run(&["assess", &s(&dev), "-o", &s(&alone), "--alone"]);
    assert_eq!(code, 0);
    let (_, out, _) = run(&["summary", &s(&alone)]);
    assert!(hook(&out).contains(" 68  growth-signup-hook"), "{out}");
    // Written alone, it no longer claims the organization: assessing it again says nothing.
    let (_, _, err) = run(&["assess", &s(&alone)]);
    assert!(err.is_empty(), "{err}");

    // The same account twice: no difference, and the hook keeps its chain across accounts.
    let (code, out, err) = run(&["diff", &s(&dev), &s(&dev)]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("iam-role-cross-account-admin"), "{out}");
    let mut a = match org::open(&dev).unwrap() {
        Opened::Account(s) => *s,
        Opened::Organization(_) => panic!(),
    };
    let mut b = a.clone();
    sprawl::export::diff::reassess_both(&mut a, &mut b);
    let score = |s: &Snapshot| {
        s.assessment
            .functions
            .iter()
            .find(|f| f.name == "growth-signup-hook")
            .unwrap()
            .score
            .total
    };
    assert_eq!((score(&a), score(&b)), (98, 98));
}

/// "Who can read our release signing key?" A secret's readers include the functions of other
/// accounts: each that runs as a role an edge lets read it, and each whose chain of roles ends
/// at an administrator of its account. The expectation is derived from `paths` (the edges and
/// the functions their roles run as), not from the readers' own code.
#[test]
fn every_secret_a_chain_or_edge_of_the_demo_reads_lists_that_reader() {
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    let o = sprawl::demo::org::snapshot().unwrap();
    let edges = org::edges(&o, None).unwrap();
    let mut secrets_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut readers: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut chain_reads: Vec<(String, String)> = Vec::new();
    org::reassess(&o, None, None, |entry, snap| {
        let Some(s) = snap else { return };
        for x in &s.assessment.secrets {
            secrets_of
                .entry(entry.info.id.clone())
                .or_default()
                .push(x.arn.clone());
            let all = x.all_foreign(&s.assessment.foreign_readers_of_every_secret);
            readers.insert(
                x.arn.clone(),
                all.iter().map(|r| r.function.clone()).collect(),
            );
            for r in all {
                assert_ne!(r.account, entry.info.id, "{r:?}");
                assert!(r.how.starts_with("as "), "{r:?}");
            }
        }
        // What each function's chain says it reads in other accounts.
        for f in &s.assessment.functions {
            for r in f.readable_secrets.iter().filter(|r| r.account.is_some()) {
                chain_reads.push((r.secret.clone(), f.arn.clone()));
            }
        }
    })
    .unwrap();
    let mut expected: BTreeSet<(String, String)> = chain_reads.into_iter().collect();
    let users = |role: &str| edges.users.get(role).cloned().unwrap_or_default();
    for e in edges
        .paths
        .secrets
        .iter()
        .filter(|e| e.edge.stopped.is_none())
    {
        for f in users(&e.edge.from_role) {
            expected.insert((e.secret.clone(), f));
        }
    }
    // Chains: from every role functions run as, through the edges not stopped, to an
    // administrator, which reads every secret of its account.
    for (start, functions) in &edges.users {
        let mut frontier = vec![start.clone()];
        let mut seen = BTreeSet::from([start.clone()]);
        for _ in 0..3 {
            let mut next = Vec::new();
            for at in &frontier {
                for e in edges.paths.edges.iter() {
                    if &e.from_role != at || e.stopped.is_some() || !seen.insert(e.to_role.clone())
                    {
                        continue;
                    }
                    if e.to_admin {
                        for secret in secrets_of.get(&e.to_account).into_iter().flatten() {
                            for f in functions {
                                expected.insert((secret.clone(), f.clone()));
                            }
                        }
                    }
                    next.push(e.to_role.clone());
                }
            }
            frontier = next;
        }
    }
    assert!(expected.len() > 100, "{}", expected.len());
    for (secret, function) in &expected {
        assert!(
            readers.get(secret).is_some_and(|r| r.contains(function)),
            "{secret} does not list {function} among its readers: {:?}",
            readers.get(secret)
        );
    }
    // The planted case: prod's release signing key, read by staging's promotion function (the
    // key's policy admits its role) and by dev's public sign-up hook (a chain to prod's deployer).
    let key = readers
        .iter()
        .find(|(arn, _)| arn.contains(":secret:prod/release-signing-key"))
        .map(|(_, r)| r)
        .unwrap();
    for f in [
        "function:growth-release-promote",
        "function:growth-signup-hook",
    ] {
        assert!(key.iter().any(|r| r.ends_with(f)), "{f}: {key:?}");
    }
}

/// `merge --newest` keeps the newest scan of an account, and its name and OU from whichever input
/// knows them: an account's own file knows neither, its organization's file does.
#[test]
fn merge_newest_keeps_each_accounts_name_and_ou() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let org_file = d.join("demo.json");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    assert_eq!(run(&["demo", "--save", &s(&org_file)]).0, 0);
    let Opened::Organization(o) = org::open(&org_file).unwrap() else {
        panic!()
    };
    let mut dev = o.account("111122223333").unwrap();
    dev.scanned_at += chrono::Duration::days(7);
    let newer = save(d, "dev-newer.json", &dev);
    let older_dev = o.account("111122223333").unwrap();
    let older = save(d, "dev-older.json", &older_dev);
    let out = d.join("merged.json");
    for inputs in [
        [s(&org_file), s(&newer)],
        [s(&newer), s(&org_file)],
        [s(&older), s(&org_file)],
    ] {
        let (code, _, err) = run(&["merge", &inputs[0], &inputs[1], "--newest", "-o", &s(&out)]);
        assert_eq!(code, 0, "{err}");
        let Opened::Organization(m) = org::open(&out).unwrap() else {
            panic!()
        };
        let e = m.entry("111122223333").unwrap();
        assert_eq!(e.info.name.as_deref(), Some("dev"), "{inputs:?}");
        assert_eq!(e.info.ou_path, ["Workloads", "Dev"], "{inputs:?}");
        let kept = if inputs.contains(&s(&newer)) {
            dev.scanned_at
        } else {
            older_dev.scanned_at
        };
        assert_eq!(e.scanned_at, Some(kept), "{inputs:?}");
    }
}

/// Severity words match what the screen shows: a role a public function reaches through a chain
/// is said to be reached (and stays critical), never "no publicly exposed function runs as the
/// role"; a deprecated runtime on a public function is never above the function's own public
/// entry finding, and says why when it is lowered.
#[test]
fn severities_say_how_a_role_is_reached_and_runtimes_stay_below_the_way_in() {
    let o = sprawl::demo::org::snapshot().unwrap();
    let mut checked = (0, 0);
    org::reassess(&o, None, None, |_, snap| {
        let Some(s) = snap else { return };
        let a = &s.assessment;
        for f in &a.findings {
            let notes: Vec<String> = f
                .evidence
                .get()
                .into_iter()
                .flatten()
                .filter(|e| e.path == "severity")
                .map(|e| e.value.clone())
                .collect();
            if f.resource.ends_with(":role/staging-release-deployer")
                && f.rule == "iam-role-cross-account-admin"
            {
                assert_eq!(f.severity, sprawl::assess::Severity::Critical, "{notes:?}");
                assert!(
                    notes.iter().any(|n| n.contains(
                        "public growth-signup-hook (dev) reaches it through growth-signup-hook-role (dev) → staging-release-deployer (staging)"
                    )),
                    "{notes:?}"
                );
                checked.0 += 1;
            }
            for n in &notes {
                assert!(
                    !n.contains("no publicly exposed function runs as the role")
                        || !f.resource.ends_with(":role/staging-release-deployer"),
                    "{n}"
                );
            }
        }
        // Every public function: its runtime finding at most its way in.
        for func in &s.inventory.functions {
            let worst = |rules: &[&str]| {
                a.findings
                    .iter()
                    .filter(|f| f.resource == func.arn && rules.contains(&f.rule.as_str()))
                    .map(|f| f.severity)
                    .max()
            };
            let (Some(runtime), Some(way_in)) = (
                worst(&["lambda-runtime-deprecated"]),
                worst(&["lambda-url-public", "lambda-policy-public"]),
            ) else {
                continue;
            };
            assert!(
                runtime <= way_in,
                "{}: runtime {runtime:?} above its public entry {way_in:?}",
                func.name
            );
            checked.1 += 1;
        }
    })
    .unwrap();
    assert_eq!(checked.0, 1);
    assert!(checked.1 >= 4, "{checked:?}");
}

/// What each function's row says it did: (ARN, last invoked, monthly cost, idle).
type Did = (String, Option<String>, Option<f64>, Option<bool>);

fn what_rows_say(s: &Snapshot) -> Vec<Did> {
    use sprawl::tui::rows::{AccountTag, Rows};
    let tag = AccountTag::new(&s.account.id, None);
    let rows = Rows::build(s, &s.assessment, &Default::default(), &tag);
    let mut did: Vec<Did> = rows
        .functions
        .into_iter()
        .map(|r| (r.arn, r.last_invoked, r.cost, r.idle))
        .collect();
    did.sort_by(|a, b| a.0.cmp(&b.0));
    did
}

/// Days of invocations held by a snapshot's functions.
fn days_held(s: &Snapshot) -> usize {
    s.inventory
        .functions
        .iter()
        .filter_map(|f| f.activity.value())
        .map(|a| a.invocations.len())
        .sum()
}

/// Issue 26 (22): the lists across an organization read each account without its functions'
/// daily series (most of what parsing it took), yet every row says what the series say: the
/// last invocation, the monthly cost and whether the function is idle come from the
/// assessment, which worked them out from the series. A file whose assessment does not say
/// it (written before it was kept) is read with its series.
#[test]
fn the_organizations_lists_say_what_functions_did_without_reading_their_days() {
    use sprawl::assess::{activity, cost};
    let o = sprawl::demo::org::snapshot().unwrap();
    let mut idle = 0;
    let mut invoked = 0;
    for e in o.header.accounts.iter().filter(|e| e.part.is_some()) {
        let full = o.account(&e.info.id).unwrap();
        let lean = o.account_for_lists(&e.info.id).unwrap();
        assert!(
            days_held(&full) > 0,
            "{}: the demo's functions ran",
            e.info.id
        );
        assert_eq!(days_held(&lean), 0, "{}: no day read", e.info.id);
        let said = what_rows_say(&lean);
        assert_eq!(said, what_rows_say(&full), "{}", e.info.id);
        // And what they say is what the series say.
        let now = full.assessment.assessed_at;
        for f in &full.inventory.functions {
            let a = f
                .activity
                .value()
                .expect("the demo read every function's metrics");
            let row = said.iter().find(|d| d.0 == f.arn).expect("a row");
            let last = activity::last_invoked(a).unwrap_or_else(|| "never".into());
            assert_eq!(row.1.as_deref(), Some(last.as_str()), "{}", f.arn);
            let fresh = (
                f.arn.clone(),
                Some(last.clone()),
                cost::monthly(f).map(|c| c.usd),
                activity::is_idle(f, now),
            );
            assert_eq!(row, &fresh);
            idle += usize::from(row.3 == Some(true));
            invoked += usize::from(last != "never");
        }
    }
    assert!(idle > 0 && invoked > 0, "idle {idle}, invoked {invoked}");

    // A file whose assessment does not say what its functions did.
    let dir = tempfile::tempdir().unwrap();
    let id = &o
        .header
        .accounts
        .iter()
        .find(|e| e.part.is_some())
        .unwrap()
        .info
        .id;
    let mut older = o.account(id).unwrap();
    let expected = what_rows_say(&older);
    for r in &mut older.assessment.functions {
        r.usage = None;
    }
    let path = save(dir.path(), "older.json", &older);
    let read = snapshot::lists_from_slice(&std::fs::read(&path).unwrap(), &path).unwrap();
    assert_eq!(days_held(&read), days_held(&older));
    assert_eq!(what_rows_say(&read), expected);
}

/// Issue 26 (22): every policy document of the demo organization (roles' policies and trusts,
/// functions', secrets' and layers' policies) reads the same through the quick reading of
/// its text as through a tree of JSON values.
#[test]
fn every_demo_policy_reads_the_same_quickly() {
    use sprawl::iam::policy::Policy;
    let o = sprawl::demo::org::snapshot().unwrap();
    let mut read = 0;
    for e in o.header.accounts.iter().filter(|e| e.part.is_some()) {
        let s = o.account(&e.info.id).unwrap();
        let inv = &s.inventory;
        let documents = inv
            .roles
            .iter()
            .flat_map(|r| {
                r.inline_policies
                    .iter()
                    .map(|p| Some(&p.document))
                    .chain(r.attached_policies.iter().map(|p| p.document.as_ref()))
                    .chain([
                        r.trust_policy.as_ref(),
                        r.permissions_boundary
                            .as_ref()
                            .and_then(|b| b.document.as_ref()),
                    ])
            })
            .chain(
                inv.functions
                    .iter()
                    .map(|f| f.policy.value().and_then(Option::as_ref)),
            )
            .chain(
                inv.secrets
                    .iter()
                    .map(|x| x.policy.value().and_then(Option::as_ref)),
            )
            .flatten();
        for doc in documents {
            let slow = Policy::from_value(&doc.value());
            assert_eq!(Policy::from_document(doc), slow, "{}", doc.text());
            read += 1;
        }
    }
    assert!(read > 100, "{read} documents");
}
