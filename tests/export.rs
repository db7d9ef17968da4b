//! Exports, mutes and diffs through the binary: the JSON export validates against the schema in
//! `schemas/`, OCSF events carry the fields OCSF requires, CSV has a row per finding, the same
//! input gives the same bytes, mutes apply until their expiry and a bad mute file names its line.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn sprawl(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sprawl").unwrap();
    cmd.env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1")
        .env_remove("SPRAWL_MUTE")
        .current_dir(dir);
    cmd
}

struct Demo {
    dir: tempfile::TempDir,
    file: PathBuf,
    snapshot: sprawl::snapshot::Snapshot,
}

fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.json");
    sprawl(dir.path())
        .arg("demo")
        .arg("--save")
        .arg(&file)
        .assert()
        .success();
    let mut snapshot = sprawl::demo::snapshot();
    snapshot.assessment();
    Demo {
        dir,
        file,
        snapshot,
    }
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = sprawl(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn export(d: &Demo, format: &str, extra: &[&str]) -> String {
    let mut args = vec!["export", d.file.to_str().unwrap(), "--format", format];
    args.extend(extra);
    let (code, out, err) = run(d.dir.path(), &args);
    assert_eq!(code, 0, "{err}");
    out
}

fn validate(schema: &Value, doc: &Value) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler
        .add_resource("findings.schema.json", schema.clone())
        .unwrap();
    let id = compiler
        .compile("findings.schema.json", &mut schemas)
        .unwrap();
    if let Err(e) = schemas.validate(doc, id) {
        panic!("the export does not match schemas/findings.schema.json: {e:#}");
    }
}

/// One mute file entry.
fn mute(rule: &str, target: &str, expires: &str) -> String {
    format!(
        "[[mute]]\nrule = \"{rule}\"\n{target}\nreason = \"accepted (TEST-1)\"\nexpires = {expires}\n\n"
    )
}

#[test]
fn the_json_export_of_the_demo_account_matches_its_schema() {
    let d = demo();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schemas/findings.schema.json"
        ))
        .unwrap(),
    )
    .unwrap();
    // With a mute in force and one expired, so `muted` and `mutes` are exercised too.
    std::fs::write(
        d.dir.path().join("sprawl.toml"),
        mute(
            "iam-role-admin",
            "resource = \"arn:aws:iam::*:role/legacy-*\"",
            "2099-01-01",
        ) + &mute("lambda-env-secret", "tag = \"team=data\"", "2020-01-01"),
    )
    .unwrap();
    let text = export(&d, "json", &[]);
    let doc: Value = serde_json::from_str(&text).unwrap();
    validate(&schema, &doc);
    let a = d.snapshot.assessment.as_ref().unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), a.findings.len());
    assert_eq!(
        doc["functions"].as_array().unwrap().len(),
        a.functions.len()
    );
    assert_eq!(doc["summary"]["muted"], 1);
    assert_eq!(doc["mutes"]["expired"][0]["line"], 7);
    let muted: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["muted"].is_null())
        .collect();
    assert_eq!(muted.len(), 1);
    assert_eq!(muted[0]["rule"], "iam-role-admin");
    // Ids are unique, and the riskiest function carries its chain.
    let ids: std::collections::HashSet<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), a.findings.len());
    assert!(!doc["functions"][0]["chain"].as_array().unwrap().is_empty());

    // Deterministic: the same input, the same bytes; -o writes what stdout gets.
    assert_eq!(export(&d, "json", &[]), text);
    let (code, _, err) = run(
        d.dir.path(),
        &["export", d.file.to_str().unwrap(), "-o", "out.json"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(d.dir.path().join("out.json")).unwrap(),
        text
    );
    // The schema rejects what it should (it is not a schema that accepts anything).
    let mut broken = doc.clone();
    broken["findings"][0]["severity"] = Value::from("severe");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("s.json", schema).unwrap();
    let id = compiler.compile("s.json", &mut schemas).unwrap();
    assert!(schemas.validate(&broken, id).is_err());
}

#[test]
fn ocsf_events_carry_the_required_detection_finding_fields() {
    let d = demo();
    std::fs::write(
        d.dir.path().join("mutes.toml"),
        mute(
            "iam-role-admin",
            "resource = \"arn:aws:iam::*:role/legacy-*\"",
            "2099-01-01",
        ),
    )
    .unwrap();
    let text = export(&d, "ocsf", &["--mute", "mutes.toml"]);
    let events: Vec<Value> = serde_json::from_str(&text).unwrap();
    let a = d.snapshot.assessment.as_ref().unwrap();
    assert_eq!(events.len(), a.findings.len());
    let mut uids = std::collections::HashSet::new();
    for e in &events {
        // OCSF 1.3 Detection Finding: required attributes, and the cloud profile's.
        assert_eq!(e["class_uid"], 2004, "{e}");
        assert_eq!(e["category_uid"], 2);
        assert_eq!(e["activity_id"], 1);
        assert_eq!(e["type_uid"], 200401);
        assert!((1..=5).contains(&e["severity_id"].as_u64().unwrap()));
        assert!(e["time"].as_i64().unwrap() > 1_600_000_000_000, "epoch ms");
        assert_eq!(e["metadata"]["version"], "1.3.0");
        assert_eq!(e["metadata"]["product"]["name"], "sprawl");
        assert_eq!(e["metadata"]["product"]["vendor_name"], "sprawl");
        assert!(e["metadata"]["event_code"].is_string());
        assert!(uids.insert(e["finding_info"]["uid"].as_str().unwrap().to_string()));
        assert!(!e["finding_info"]["title"].as_str().unwrap().is_empty());
        assert_eq!(e["cloud"]["provider"], "AWS");
        assert_eq!(e["cloud"]["account"]["uid"], "111122223333");
        assert!(e["resources"][0]["uid"].is_string());
        assert!(matches!(e["status_id"].as_u64(), Some(1 | 3)));
    }
    let suppressed: Vec<&Value> = events.iter().filter(|e| e["status_id"] == 3).collect();
    assert_eq!(suppressed.len(), 1);
    assert!(
        suppressed[0]["status_detail"]
            .as_str()
            .unwrap()
            .contains("accepted (TEST-1)")
    );
    assert_eq!(export(&d, "ocsf", &["--mute", "mutes.toml"]), text);
}

#[test]
fn csv_has_a_header_and_one_row_per_finding() {
    let d = demo();
    let text = export(&d, "csv", &[]);
    let rows: Vec<&str> = text.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert!(rows[0].starts_with("id,severity,rule,title,"));
    let a = d.snapshot.assessment.as_ref().unwrap();
    assert_eq!(rows.len(), a.findings.len() + 1);
    assert_eq!(export(&d, "csv", &[]), text);
}

#[test]
fn exports_hold_no_secret_value() {
    // The demo plants these values (digits, a PIN, a webhook whose path is the token, a token
    // left in a published version, ...) and redacts them as a scan would: none may reach the
    // snapshot or any export.
    let d = demo();
    let snapshot = std::fs::read_to_string(&d.file).unwrap();
    let planted = sprawl::demo::PLANTED_SECRETS;
    assert!(planted.len() >= 10);
    for needle in planted {
        assert!(!snapshot.contains(needle), "the snapshot holds {needle}");
    }
    for format in ["json", "ocsf", "csv"] {
        let text = export(&d, format, &[]);
        for needle in planted {
            assert!(!text.contains(needle), "{format} export holds {needle}");
        }
        // The planted credentials are flagged, by name, in every format.
        for name in [
            "ADMIN_PIN",
            "DB_PASSWORD",
            "ALERT_WEBHOOK_URL",
            "MAILER_API_TOKEN",
        ] {
            assert!(text.contains(name), "{format} export does not flag {name}");
        }
        // A reference is not a secret.
        assert!(
            !text.contains("KMS_KEY_ALIAS"),
            "{format} export flags a KMS alias"
        );
    }
}

#[test]
fn mutes_stop_failing_check_until_they_expire() {
    let d = demo();
    let rules: Vec<&str> = sprawl::assess::rules::catalog()
        .iter()
        .map(|r| r.id)
        .collect();
    let every = |expires: &str| -> String {
        rules
            .iter()
            .map(|r| mute(r, "resource = \"*\"", expires))
            .collect()
    };
    let file = d.file.to_str().unwrap();
    // Every finding accepted until 2099: nothing unmuted fails.
    std::fs::write(d.dir.path().join("sprawl.toml"), every("2099-12-31")).unwrap();
    let (code, out, err) = run(
        d.dir.path(),
        &["check", file, "--allow-partial", "--fail-on", "low"],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no unmuted finding at or above low"), "{out}");
    assert!(
        out.contains("findings at or above low muted (not failing)"),
        "{out}"
    );
    // The same mutes, expired yesterday: they stop applying and are reported.
    std::fs::write(d.dir.path().join("sprawl.toml"), every("2020-01-01")).unwrap();
    let (code, out, _) = run(
        d.dir.path(),
        &["check", file, "--allow-partial", "--fail-on", "low"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{} mutes expired (no longer applied)",
            rules.len()
        )),
        "{out}"
    );
    assert!(out.contains("line 1: "), "{out}");
    // --mute overrides ./sprawl.toml.
    std::fs::write(d.dir.path().join("other.toml"), every("2099-12-31")).unwrap();
    let (code, _, _) = run(
        d.dir.path(),
        &[
            "check",
            file,
            "--allow-partial",
            "--fail-on",
            "low",
            "--mute",
            "other.toml",
        ],
    );
    assert_eq!(code, 0);
}

#[test]
fn a_malformed_mute_file_is_one_line_naming_the_line() {
    let d = demo();
    let file = d.file.to_str().unwrap();
    let bad = format!(
        "{}[[mute]]\nrule = \"lambda-url-public\"\nresource = \"my-function\"\nreason = \"x\"\nexpires = 2027-01-01\n",
        mute("iam-role-admin", "resource = \"*\"", "2099-01-01")
    );
    std::fs::write(d.dir.path().join("sprawl.toml"), bad).unwrap();
    for args in [
        vec!["check", file],
        vec!["export", file],
        vec!["open", file],
    ] {
        let (code, out, err) = run(d.dir.path(), &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(
            err.contains("sprawl.toml: line 9: resource \"my-function\" is not an ARN"),
            "{err}"
        );
    }
}

#[test]
fn diff_reports_removed_resources_and_resolved_findings() {
    let d = demo();
    let mut snap = d.snapshot.clone();
    let gone_fn = snap.assessment().functions[0].arn.clone();
    let gone_secret = snap.inventory.secrets[0].arn.clone();
    let mut inventory = snap.inventory.clone();
    inventory.functions.retain(|f| f.arn != gone_fn);
    inventory.secrets.retain(|s| s.arn != gone_secret);
    let later = sprawl::snapshot::Snapshot::new(
        snap.account.clone(),
        snap.regions.clone(),
        snap.coverage.clone(),
        inventory,
        snap.scanned_at + chrono::Duration::days(1),
    );
    let new_file = d.dir.path().join("later.json");
    sprawl::snapshot::save(&later, &new_file).unwrap();
    let (code, out, err) = run(
        d.dir.path(),
        &[
            "diff",
            d.file.to_str().unwrap(),
            new_file.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let diff: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(diff["functions"]["removed"], serde_json::json!([gone_fn]));
    assert_eq!(diff["secrets"]["removed"], serde_json::json!([gone_secret]));
    assert_eq!(diff["functions"]["added"], serde_json::json!([]));
    assert_eq!(diff["findings"]["new"], serde_json::json!([]));
    let resolved = diff["findings"]["resolved"].as_array().unwrap();
    assert!(resolved.iter().any(|f| f["resource"] == gone_fn.as_str()));
    assert!(
        resolved
            .iter()
            .any(|f| f["resource"] == gone_secret.as_str())
    );

    let (code, text, _) = run(
        d.dir.path(),
        &["diff", d.file.to_str().unwrap(), new_file.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert!(text.contains(&format!("    - {gone_fn}")), "{text}");
    assert!(
        text.contains(&format!("{} resolved", resolved.len())),
        "{text}"
    );

    // Two different accounts are not a diff.
    let mut other = later.clone();
    other.account.id = "999988887777".into();
    sprawl::snapshot::save(&other, &new_file).unwrap();
    let (code, _, err) = run(
        d.dir.path(),
        &["diff", d.file.to_str().unwrap(), new_file.to_str().unwrap()],
    );
    assert_eq!(code, 2);
    assert!(err.contains("different accounts"), "{err}");
}
