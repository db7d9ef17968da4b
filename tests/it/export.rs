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
        .args(["demo", "--account", "dev", "--save"])
        .arg(&file)
        .assert()
        .success();
    // The demo organization's dev account: the demo account, with its edges into the others.
    let snapshot = sprawl::snapshot::load(&file).unwrap();
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
    let a = &d.snapshot.assessment;
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
    let a = &d.snapshot.assessment;
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
    let a = &d.snapshot.assessment;
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
    let snap = d.snapshot.clone();
    let gone_fn = snap.assessment.functions[0].arn.clone();
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

/// Credential-like names, in the spellings people use.
const CREDENTIAL_NAMES: &[&str] = &[
    "DB_PASSWORD",
    "db_pass",
    "adminPin",
    "PIN",
    "API_KEY",
    "apiKey",
    "SECRET",
    "client_secret",
    "AUTH_TOKEN",
    "authToken",
    "SLACK_WEBHOOK",
    "WEBHOOK_URL",
    "SENTRY_DSN",
    "CONNECTION_STRING",
    "PRIVATE_KEY",
    "SIGNING_KEY",
    "PASSWORD_SALT",
    "CREDENTIALS",
    "X_AUTH",
    "MY_PWD",
];

/// A value of shape `shape` for the `n`th name: unique, so that finding it anywhere is a leak.
fn shaped(shape: usize, n: usize) -> String {
    match shape {
        0 => format!("{}", 7_300_000 + n * 7919), // digits (7)
        1 => format!("9{:03}", 1 + n * 37 % 997), // a four-digit PIN
        2 => format!("Qz{n}kW"),                  // 4-8 characters
        3 => format!("/v1/Kp9x{n}Zr/vault"),      // a path
        4 => format!("https://hooks.example.com/x/T{n}Zq8Wv3Nm"), // token in the path
        5 => format!("https://api.example.com/cb?key=Tq{n}Xw9Lp"), // token in the query
        6 => format!("https://svc:Pw{n}Zx7@db.example.com/app"), // token in user info
        7 => format!("c2VjcmV0LXZhbHVl{n:02}LXh5eg=="), // base64
        _ => format!(r#"{{"user":"svc","password":"Jq{n}Xv4Rt"}}"#), // a JSON blob
    }
}

const SHAPES: usize = 9;

/// The part of a value that must never appear (a URL's token, not its well-known host).
fn needle(shape: usize, n: usize) -> String {
    match shape {
        4 => format!("T{n}Zq8Wv3Nm"),
        5 => format!("Tq{n}Xw9Lp"),
        6 => format!("Pw{n}Zx7"),
        8 => format!("Jq{n}Xv4Rt"),
        _ => shaped(shape, n),
    }
}

/// Whether `text` holds `needle`. A run of digits turns up by chance inside hex ids,
/// fingerprints and the digits of other numbers (a cost of `2.7300000000000004` dollars holds
/// a seven-digit value): there it counts only as a number of its own.
fn holds(text: &str, needle: &str) -> bool {
    if !needle.bytes().all(|b| b.is_ascii_digit()) {
        return text.contains(needle);
    }
    let part_of_a_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '.');
    text.match_indices(needle).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !part_of_a_word(before) && !part_of_a_word(after)
    })
}

/// Credential-like names crossed with values of every shape, in functions' environments, a
/// published version's, a REST stage's variables and integration URIs: none of the values
/// reaches the snapshot, any export, a text report or an explorer screen, and every one is
/// flagged.
#[test]
fn no_value_of_any_shape_under_a_credential_name_leaves_the_collector() {
    use sprawl::collect::redact::{FingerprintKey, redact, strip_url_secrets};
    use sprawl::model::Variable;
    let key = FingerprintKey::from_bytes([42; 32]);
    let vars = |shape: usize| -> Vec<Variable> {
        let mut v: Vec<Variable> = CREDENTIAL_NAMES
            .iter()
            .enumerate()
            .map(|(n, name)| Variable {
                name: name.to_string(),
                value: redact(&key, name, &shaped(shape, n + 100 * shape)),
            })
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    };
    let mut snap = sprawl::demo::snapshot();
    let template = snap.inventory.functions[0].clone();
    for shape in 0..SHAPES {
        let mut f = template.clone();
        f.name = format!("leak-shape-{shape}");
        f.arn = format!(
            "{}:function:{}",
            template.arn.rsplit_once(":function:").unwrap().0,
            f.name
        );
        f.environment = vars(shape);
        if let Some(v) = f.versions.first_mut() {
            v.environment = Some(vars(shape));
        }
        snap.inventory.functions.push(f);
    }
    let mut needles: Vec<String> = (0..SHAPES)
        .flat_map(|s| (0..CREDENTIAL_NAMES.len()).map(move |n| needle(s, n + 100 * s)))
        .collect();
    // Stage variables and an integration's URI with a token in its path.
    if let Some(api) = snap.inventory.rest_apis.first_mut() {
        if let sprawl::model::Detail::Collected { value } = &mut api.stages
            && let Some(stage) = value.first_mut()
        {
            stage.variables = vars(4);
        }
        if let sprawl::model::Detail::Collected { value } = &mut api.resources
            && let Some(m) = value.iter_mut().flat_map(|r| r.methods.iter_mut()).next()
        {
            let uri = "https://backend.example.com/hook/Tk9IntegrationToken77?sig=Zz";
            if let Some(i) = m.integration.as_mut() {
                i.uri = Some(strip_url_secrets(uri));
            }
            needles.push("Tk9IntegrationToken77".into());
        }
    }
    snap.inventory.sort();
    let now = snap.scanned_at;
    snap.reassess(now);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leaks.json");
    sprawl::snapshot::save(&snap, &file).unwrap();
    let path = file.to_str().unwrap();
    let mut outputs = vec![(
        "snapshot".to_string(),
        std::fs::read_to_string(&file).unwrap(),
    )];
    for args in [
        vec!["export", path, "--format", "json"],
        vec!["export", path, "--format", "ocsf"],
        vec!["export", path, "--format", "csv"],
        vec!["summary", path],
        vec!["assess", path, "--top", "500"],
        vec!["check", path, "--fail-on", "low"],
    ] {
        let (_, out, err) = run(dir.path(), &args);
        outputs.push((args.join(" "), format!("{out}{err}")));
    }
    // A corrupt copy: its error message holds none of them either.
    let bytes = std::fs::read(&file).unwrap();
    let cut = dir.path().join("cut.json");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let (code, _, err) = run(dir.path(), &["summary", cut.to_str().unwrap()]);
    assert_eq!(code, 2);
    outputs.push(("error".into(), err));
    // Every explorer screen of every planted function.
    for shape in 0..SHAPES {
        use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
        let mut app = sprawl::tui::app::App::new(
            snap.clone(),
            sprawl::tui::theme::Theme::preset("default").unwrap(),
            "leaks",
        );
        let mut press = |code: KeyCode| {
            app.handle(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        };
        for c in format!(":functions leak-shape-{shape}").chars() {
            press(KeyCode::Char(c));
        }
        press(KeyCode::Enter);
        press(KeyCode::Enter);
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(220, 200)).unwrap();
        t.draw(|f| sprawl::tui::views::draw(&app, f)).unwrap();
        let buf = t.backend().buffer();
        let screen: String = buf.content().iter().map(|c| c.symbol()).collect();
        assert!(
            screen.contains("DB_PASSWORD"),
            "shape {shape}: the detail did not open"
        );
        outputs.push((format!("explorer leak-shape-{shape}"), screen));
    }
    for (what, text) in &outputs {
        for needle in &needles {
            assert!(!holds(text, needle), "{what} holds {needle}");
        }
    }
    // Every one is flagged, in $LATEST and in the published version.
    let a = &snap.assessment;
    for shape in 0..SHAPES {
        let f = snap
            .inventory
            .functions
            .iter()
            .find(|f| f.name == format!("leak-shape-{shape}"))
            .unwrap();
        for v in &f.environment {
            assert!(
                v.value.kind.is_secret(),
                "{}={:?} (shape {shape})",
                v.name,
                v.value.kind
            );
            assert!(v.value.preview.is_none());
        }
        let flagged = a
            .findings
            .iter()
            .filter(|x| x.rule == "lambda-env-secret" && x.resource == f.arn)
            .count();
        assert_eq!(flagged, CREDENTIAL_NAMES.len(), "shape {shape}");
    }
}

/// `export ORG --format json`: the demo organization's document matches its schema (which takes
/// each account's document by reference to the one-account schema); the account not scanned
/// has no findings and says why, and every other holds exactly its own account's findings.
#[test]
fn the_json_export_of_the_demo_organization_matches_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("org.json");
    sprawl(dir.path())
        .args(["demo", "--save"])
        .arg(&file)
        .assert()
        .success();
    let (code, text, err) = run(
        dir.path(),
        &["export", file.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let read = |name: &str| -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(format!("{}/schemas/{name}", env!("CARGO_MANIFEST_DIR")))
                .unwrap(),
        )
        .unwrap()
    };
    let (one, org) = (
        read("findings.schema.json"),
        read("organization-findings.schema.json"),
    );
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    for schema in [&one, &org] {
        compiler
            .add_resource(schema["$id"].as_str().unwrap(), schema.clone())
            .unwrap();
    }
    let id = compiler
        .compile(org["$id"].as_str().unwrap(), &mut schemas)
        .unwrap();
    if let Err(e) = schemas.validate(&doc, id) {
        panic!("the export does not match schemas/organization-findings.schema.json: {e:#}");
    }
    let accounts = doc["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 6);
    let acquired = accounts
        .iter()
        .find(|a| a["name"] == "acquired-analytics")
        .unwrap();
    assert!(acquired["findings"].is_null());
    assert!(
        acquired["not_scanned"]
            .as_str()
            .unwrap()
            .contains("AccessDenied")
    );
    let dev = accounts.iter().find(|a| a["name"] == "dev").unwrap();
    let demo = sprawl::demo::org::snapshot()
        .unwrap()
        .account("111122223333")
        .unwrap();
    assert_eq!(
        dev["findings"]["findings"].as_array().unwrap().len(),
        demo.assessment.findings.len()
    );
    for a in accounts.iter().filter(|a| !a["findings"].is_null()) {
        assert_eq!(a["findings"]["account"]["id"], a["id"]);
    }
    // No planted secret value anywhere in the organization's document.
    for planted in sprawl::demo::PLANTED_SECRETS {
        assert!(!text.contains(planted), "{planted} leaked");
    }
}

/// A finding whose severity moved is in both scans: `diff` shows it raised or lowered with both
/// severities, and `check --since` counts a raised one as new.
#[test]
fn diff_and_check_since_see_a_severity_that_moved() {
    let d = demo();
    let dir = d.dir.path();
    let mut private = d.snapshot.clone();
    let hook = private
        .inventory
        .functions
        .iter_mut()
        .find(|f| f.name == "growth-signup-hook")
        .unwrap();
    // Its URL and its public policy gone: its deprecated runtime is no longer a way in.
    hook.url = sprawl::model::Detail::Collected { value: None };
    hook.policy = sprawl::model::Detail::Collected { value: None };
    let now = private.scanned_at;
    private.reassess(now);
    let private_file = dir.join("private.json");
    sprawl::snapshot::save(&private, &private_file).unwrap();
    let (public, private) = (d.file.to_str().unwrap(), private_file.to_str().unwrap());
    let runtime = |out: &str, mark: &str| {
        out.lines()
            .find(|l| {
                l.trim_start().starts_with(mark)
                    && l.contains("lambda-runtime-deprecated")
                    && l.contains("growth-signup-hook")
            })
            .map(str::to_string)
    };

    let (code, out, err) = run(dir, &["diff", public, private]);
    assert_eq!(code, 0, "{err}");
    let line = runtime(&out, "lowered").unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("critical -> high"), "{line}");
    assert!(
        out.contains("1 lowered") || out.contains(" lowered"),
        "{out}"
    );
    let (_, json, _) = run(dir, &["diff", public, private, "--format", "json"]);
    let doc: Value = serde_json::from_str(&json).unwrap();
    let lowered = doc["findings"]["lowered"].as_array().unwrap();
    assert!(
        lowered
            .iter()
            .any(|c| c["rule"] == "lambda-runtime-deprecated"
                && c["was"] == "critical"
                && c["severity"] == "high"),
        "{lowered:?}"
    );

    let (_, out, _) = run(dir, &["diff", private, public]);
    let line = runtime(&out, "raised").unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("high -> critical"), "{line}");

    // The raised finding is new to the gate; nothing else is.
    let (code, out, _) = run(
        dir,
        &[
            "check",
            public,
            "--since",
            private,
            "--fail-on",
            "critical",
            "--allow-partial",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("new or raised in severity since"), "{out}");
    assert!(runtime(&out, "critical").is_some(), "{out}");
    let (code, out, _) = run(
        dir,
        &[
            "check",
            private,
            "--since",
            public,
            "--fail-on",
            "critical",
            "--allow-partial",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let (code, _, _) = run(
        dir,
        &["check", private, "--fail-on", "critical", "--allow-partial"],
    );
    assert_eq!(
        code, 1,
        "without --since its other critical findings fail it"
    );
}
