//! `sprawl scan` through the binary against the emulator, as a user would run it.

mod support;

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
