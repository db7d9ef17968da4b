//! `sprawl scan` through the binary against the emulator, as a user would run it.

use crate::support;

use assert_cmd::Command;
use support::seed::{PLANTED, REGION_A, REGION_B};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_writes_a_snapshot_that_summary_reads() {
    let (moto, _) = support::fixture_account().await;
    let endpoint = moto.endpoint();

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snap.json");
    let scan = support::scan_command(&endpoint, &out)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(scan.stdout).unwrap();
    assert!(stdout.contains("Account 123456789012"), "{stdout}");
    assert!(
        stdout.contains("ListCodeSigningConfigs"),
        "the emulator's gap is reported: {stdout}"
    );
    assert!(stdout.contains("Snapshot written to"), "{stdout}");

    let bytes = std::fs::read_to_string(&out).unwrap();
    for planted in PLANTED {
        assert!(
            !bytes.contains(planted),
            "{planted} leaked into the snapshot file"
        );
    }
    let stderr = String::from_utf8(scan.stderr).unwrap();
    for planted in PLANTED {
        assert!(!stderr.contains(planted) && !stdout.contains(planted));
    }
    // The snapshot and the machine's fingerprint key are private to their owner.
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out), 0o600);
    assert_eq!(
        mode(&dir.path().join("config/sprawl/fingerprint.key")),
        0o600
    );

    // Fingerprints: the same on one machine twice, different on another machine (another
    // configuration folder, another key).
    let fingerprint = |file: &std::path::Path| -> String {
        let snap = sprawl::snapshot::load(file).unwrap();
        let f = snap
            .inventory
            .functions
            .iter()
            .find(|f| f.name == "orders-api")
            .unwrap();
        let v = f
            .environment
            .iter()
            .find(|v| v.name == "DB_PASSWORD")
            .unwrap();
        v.value.keyed_fingerprint().unwrap().to_string()
    };
    let again = dir.path().join("again.json");
    support::scan_command(&endpoint, &again).assert().success();
    assert_eq!(fingerprint(&out), fingerprint(&again));
    let other_machine = tempfile::tempdir().unwrap();
    let other = other_machine.path().join("other.json");
    support::scan_command(&endpoint, &other).assert().success();
    assert_ne!(fingerprint(&out), fingerprint(&other));

    let summary = Command::cargo_bin("sprawl")
        .unwrap()
        .arg("summary")
        .arg(&out)
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8(summary.stdout).unwrap();
    assert!(
        text.contains("eu-west-1") && text.contains("us-east-1"),
        "{text}"
    );
    let all = text.lines().find(|l| l.starts_with("all regions")).unwrap();
    // 4 functions, 1 URL, 1 mapping, 1 REST API with 1 stage, 1 HTTP API with 1 stage, 3 secrets.
    let counts: Vec<&str> = all.split_whitespace().skip(2).collect();
    assert_eq!(counts, ["4", "1", "1", "1", "1", "1", "1", "3"], "{all}");
    let row = |region: &str| -> Vec<String> {
        let line = text.lines().find(|l| l.starts_with(region)).unwrap();
        line.split_whitespace()
            .skip(1)
            .map(str::to_string)
            .collect()
    };
    assert_eq!(row(REGION_A), ["3", "1", "1", "1", "1", "0", "0", "2"]);
    assert_eq!(row(REGION_B), ["1", "0", "0", "0", "0", "1", "1", "1"]);
}

/// Yesterday's scan, today's scan, and what changed in between: a function was made public and
/// a secret was rotated. `sprawl diff` reports exactly those, and `check` and `export` work on a
/// scan run on the spot as on a file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_of_two_scans_reports_exactly_what_changed() {
    let (moto, fixture) = support::fixture_account().await;
    let endpoint = moto.endpoint();
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.json"), dir.path().join("new.json"));
    support::scan_command(&endpoint, &old).assert().success();

    let a = support::sdk_config(&endpoint, REGION_A).await;
    support::seed::make_public(&aws_sdk_lambda::Client::new(&a), "orders-worker").await;
    let worker = support::seed::function_arn(REGION_A, "orders-worker");
    aws_sdk_secretsmanager::Client::new(&a)
        .rotate_secret()
        .secret_id(&fixture.public_secret_arn)
        .rotation_lambda_arn(&worker)
        .rotation_rules(
            aws_sdk_secretsmanager::types::RotationRulesType::builder()
                .automatically_after_days(30)
                .build(),
        )
        .send()
        .await
        .expect("rotate");
    support::scan_command(&endpoint, &new).assert().success();

    let out = Command::cargo_bin("sprawl")
        .unwrap()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arns = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let changed = |kind: &str| -> Vec<String> {
        d[kind]["changed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["arn"].as_str().unwrap().to_string())
            .collect()
    };
    for kind in ["functions", "roles", "apis", "secrets"] {
        assert!(arns(&d[kind]["added"]).is_empty(), "{kind}: {d:#}");
        assert!(arns(&d[kind]["removed"]).is_empty(), "{kind}: {d:#}");
    }
    assert_eq!(changed("functions"), [worker.as_str()], "{d:#}");
    assert_eq!(
        changed("secrets"),
        [fixture.public_secret_arn.as_str()],
        "{d:#}"
    );
    assert!(
        changed("roles").is_empty() && changed("apis").is_empty(),
        "{d:#}"
    );
    let fields = d["functions"]["changed"][0]["fields"].to_string();
    assert!(
        fields.contains("url") && fields.contains("policy"),
        "{fields}"
    );

    let rules_on = |list: &str, arn: &str| -> Vec<String> {
        let all = d["findings"][list].as_array().unwrap();
        assert!(
            all.iter().all(|f| f["resource"] == arn),
            "{list} findings are all on {arn}: {d:#}"
        );
        all.iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let new_rules = rules_on("new", &worker);
    assert!(
        new_rules.contains(&"lambda-url-public".to_string()),
        "{new_rules:?}"
    );
    let resolved = rules_on("resolved", &fixture.public_secret_arn);
    assert_eq!(resolved, ["secret-rotation-disabled"], "{d:#}");
    let scores = d["scores"].as_array().unwrap();
    assert!(scores.iter().all(|m| m["arn"] == worker.as_str()), "{d:#}");
    assert!(
        scores[0]["new"].as_u64() > scores[0]["old"].as_u64(),
        "{d:#}"
    );

    // check and export scan the account themselves when no snapshot is given.
    let live = |args: &[&str]| {
        let mut cmd = Command::cargo_bin("sprawl").unwrap();
        cmd.env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .current_dir(dir.path())
            .args(args)
            .args([
                "--endpoint-url",
                &endpoint,
                "--region",
                REGION_A,
                "--rate-scale",
                "4",
            ]);
        cmd.output().unwrap()
    };
    let check = live(&["check", "--fail-on", "critical", "--save", "live.json"]);
    let report = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{report}");
    assert!(report.starts_with("sprawl check: FAIL"), "{report}");
    assert!(dir.path().join("live.json").exists());
    let export = live(&["export", "--format", "ocsf"]);
    assert_eq!(export.status.code(), Some(0));
    let events: Vec<serde_json::Value> = serde_json::from_slice(&export.stdout).unwrap();
    assert!(
        events
            .iter()
            .any(|e| e["metadata"]["event_code"] == "lambda-url-public"
                && e["resources"][0]["uid"] == worker.as_str())
    );
    let text = String::from_utf8_lossy(&export.stdout);
    for planted in PLANTED {
        assert!(!text.contains(planted), "{planted} leaked into the export");
    }
}

/// Issue 21: `scan --dry-run --metrics` reads only the identity and the function listings,
/// prints each region's functions and what `--metrics` would cost (before any billed call), and
/// writes nothing; `scan --metrics --access-advisor` prints the cost first and the per-region
/// bill before its GetMetricData calls, and its snapshot holds the activity.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_prints_the_cost_and_the_opt_ins_collect() {
    let (moto, _) = support::fixture_account().await;
    let endpoint = moto.endpoint();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snap.json");
    let stdout = scanned(&endpoint, &out, &["--dry-run", "--metrics"]).0;
    assert!(
        stdout.contains("Dry run of account 123456789012"),
        "{stdout}"
    );
    // Three functions in one region, one in the other: 7 metrics each, 2 calls in the first
    // region (the six metrics, then the percentile), 2 in the second.
    assert!(
        stdout.contains(&format!("{REGION_A:<16}       3 functions")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{REGION_B:<16}       1 functions")),
        "{stdout}"
    );
    assert!(
        stdout.contains("--metrics: 4 GetMetricData call(s), 28 metrics, about $0.00"),
        "{stdout}"
    );
    assert!(!out.exists(), "a dry run writes nothing");

    let stderr = scanned(
        &endpoint,
        &out,
        &["--metrics", "--metrics-days", "7", "--access-advisor"],
    )
    .1;
    let rate = stderr
        .find("CloudWatch bills GetMetricData")
        .expect(&stderr);
    let bill = stderr
        .find(&format!(
            "{REGION_A:<16} cloudwatch GetMetricData: 2 call(s), 21 metrics"
        ))
        .expect(&stderr);
    assert!(
        rate < bill,
        "the rate is told before the region's bill: {stderr}"
    );
    let snap = sprawl::snapshot::load(&out).unwrap();
    assert!(
        snap.inventory
            .functions
            .iter()
            .all(|f| f.activity.is_collected()
                || matches!(f.activity, sprawl::model::Detail::Failed { .. }))
    );
    let a = snap.inventory.functions[0]
        .activity
        .value()
        .expect("activity");
    assert_eq!(a.days, 7);
}

/// Issue 27: `scan --no-get-function` through the binary: its dry run counts the calls it makes
/// in GetFunction's place, and its scan says what it leaves out first and collects every
/// function's tags and reserved concurrency without GetFunction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_get_function_says_what_it_costs_and_collects_tags_and_concurrency() {
    let (moto, _) = support::fixture_account().await;
    let endpoint = moto.endpoint();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snap.json");
    let stdout = scanned(&endpoint, &out, &["--dry-run", "--no-get-function"]).0;
    assert!(
        stdout.contains("about 4.3 calls per function (about 17 calls here)")
            && stdout.contains("ListTags and GetFunctionConcurrency"),
        "{stdout}"
    );
    let stderr = scanned(&endpoint, &out, &["--no-get-function"]).1;
    assert!(
        stderr.contains("GetFunction's code location and image URI are not read"),
        "{stderr}"
    );
    let snap = sprawl::snapshot::load(&out).unwrap();
    assert!(!snap.inventory.functions.is_empty());
    for f in &snap.inventory.functions {
        assert!(f.tags.is_collected(), "{}: {:?}", f.arn, f.tags);
        assert!(
            f.reserved_concurrency.is_collected(),
            "{}: {:?}",
            f.arn,
            f.reserved_concurrency
        );
    }
    let get = snap
        .coverage
        .entries
        .iter()
        .filter(|e| e.operation == "GetFunction")
        .map(|e| (e.succeeded, e.skipped))
        .fold((0, 0), |(a, b), (s, k)| (a + s, b + k));
    assert_eq!(get, (0, snap.inventory.functions.len() as u64));
}

/// `sprawl scan` through the binary with `args` against the emulator, which must succeed: its
/// standard output and error.
fn scanned(endpoint: &str, out: &std::path::Path, args: &[&str]) -> (String, String) {
    let done = support::scan_command(endpoint, out)
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    (
        String::from_utf8(done.stdout).unwrap(),
        String::from_utf8(done.stderr).unwrap(),
    )
}
