//! Issue 29: `sprawl audit-package` on deployment packages written here and an OSV directory in
//! OSV's own layout: what fails the audit, what passes it, and what it cannot judge.

use std::io::Write;
use std::path::Path;

use predicates::prelude::*;

use crate::cli::sprawl;

/// Writes a zip of `files` at `path`, deflated as build tools write them.
fn package(path: &Path, files: &[(&str, &str)]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, content) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(content.as_bytes()).unwrap();
    }
    w.finish().unwrap();
}

/// An OSV directory under `dir` with PyPI's dump: PyYAML before 5.4 (critical) and a MAL-
/// entry for `evil-helper`.
pub(crate) fn vuln_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("osv");
    std::fs::create_dir_all(db.join("PyPI")).unwrap();
    let advisories = [
        serde_json::json!({"id": "GHSA-8q59-q68h-6hv4", "modified": "2026-11-30T00:00:00Z",
            "summary": "PyYAML runs arbitrary code from full_load",
            "database_specific": {"severity": "CRITICAL"},
            "affected": [{"package": {"ecosystem": "PyPI", "name": "PyYAML"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.4"}]}]}]}),
        // Rated by its CVSS vector alone (medium), as PyPA's advisories are.
        serde_json::json!({"id": "PYSEC-2026-1", "modified": "2026-10-02T00:00:00Z",
            "summary": "requests leaks a header on redirect",
            "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N"}],
            "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.32.0"}]}]}]}),
        serde_json::json!({"id": "MAL-2026-7", "modified": "2026-10-01T00:00:00Z",
            "summary": "Malicious code in evil-helper",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "evil-helper"},
                "versions": ["0.1.0"]}]}),
    ];
    let mut w = zip::ZipWriter::new(std::fs::File::create(db.join("PyPI/all.zip")).unwrap());
    for a in advisories {
        w.start_file(
            format!("{}.json", a["id"].as_str().unwrap()),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(a.to_string().as_bytes()).unwrap();
    }
    w.finish().unwrap();
    db
}

/// `sprawl audit-package FILE`, with `--vuln-db DB` when given, then `args`.
fn audit(file: &Path, db: Option<&Path>, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = sprawl();
    cmd.arg("audit-package").arg(file);
    if let Some(db) = db {
        cmd.arg("--vuln-db").arg(db);
    }
    cmd.args(args).assert()
}

fn metadata(name: &str, version: &str) -> String {
    format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
}

#[test]
fn a_vulnerable_package_or_a_secret_fails_the_audit_and_a_clean_one_passes() {
    let dir = tempfile::tempdir().unwrap();
    let db = vuln_db(dir.path());
    let vulnerable = dir.path().join("vulnerable.zip");
    package(
        &vulnerable,
        &[
            (
                "PyYAML-5.3.1.dist-info/METADATA",
                &metadata("PyYAML", "5.3.1"),
            ),
            ("handler.py", "import yaml\n"),
        ],
    );
    audit(&vulnerable, Some(&db), &[])
        .code(1)
        .stdout(predicate::str::contains(
            "critical pkg:pypi/pyyaml@5.3.1 GHSA-8q59-q68h-6hv4, fixed in 5.4",
        ))
        .stdout(predicate::str::contains(
            "fails: 1 advisory at or above high",
        ));
    let json = audit(&vulnerable, Some(&db), &["--format", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json = String::from_utf8(json).unwrap();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let advisory = &report["advisories"][0];
    assert_eq!(
        (
            &advisory["rating"],
            &advisory["database_severity"],
            &advisory["fixed"]
        ),
        (
            &serde_json::json!("critical"),
            &serde_json::json!("CRITICAL"),
            &serde_json::json!("5.4")
        )
    );
    // Every key once (serde's flatten would let two fields share a name).
    assert_eq!(json.matches("\"rating\"").count(), 1, "{json}");
    // Only critical fails it: the same advisory still does; so does a malicious package.
    let malicious = dir.path().join("malicious.zip");
    package(
        &malicious,
        &[(
            "evil_helper-0.1.0.dist-info/METADATA",
            &metadata("evil_helper", "0.1.0"),
        )],
    );
    audit(&malicious, Some(&db), &["--fail-on", "critical"])
        .code(1)
        .stdout(predicate::str::contains("MAL-2026-7 (malicious package)"));

    let secret = "AKIA2E3A5F3B244C7D6Q";
    let leaky = dir.path().join("leaky.zip");
    package(&leaky, &[("handler.py", &format!("KEY = '{secret}'\n"))]);
    audit(&leaky, Some(&db), &["--format", "json"])
        .code(1)
        .stdout(predicate::str::contains("\"rule\": \"aws-access-key-id\""))
        .stdout(predicate::str::contains(secret).not());

    // A medium advisory (by its CVSS vector) is reported, and passes a gate at high.
    let clean = dir.path().join("clean.zip");
    package(
        &clean,
        &[
            (
                "PyYAML-6.0.1.dist-info/METADATA",
                &metadata("PyYAML", "6.0.1"),
            ),
            (
                "requests-2.31.0.dist-info/METADATA",
                &metadata("requests", "2.31.0"),
            ),
            ("handler.py", "import yaml\n"),
        ],
    );
    audit(&clean, Some(&db), &[])
        .success()
        .stdout(predicate::str::contains(
            "medium   pkg:pypi/requests@2.31.0 PYSEC-2026-1, fixed in 2.32.0",
        ))
        .stdout(predicate::str::ends_with("passes\n"));
    audit(&clean, Some(&db), &["--fail-on", "medium"]).code(1);
}

/// What it cannot judge fails the audit unless --allow-partial: no --vuln-db, a bundle that
/// names no package. A file that is not a zip is one line and exit 2.
#[test]
fn what_the_audit_cannot_judge_is_never_a_pass_and_a_bad_file_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.zip");
    package(
        &clean,
        &[(
            "PyYAML-6.0.1.dist-info/METADATA",
            &metadata("PyYAML", "6.0.1"),
        )],
    );
    audit(&clean, None, &[])
        .code(1)
        .stdout(predicate::str::contains(
            "not judged: the advisories of its 1 package (no --vuln-db)",
        ));
    audit(&clean, None, &["--allow-partial"]).success();
    let bundle = dir.path().join("bundle.zip");
    package(&bundle, &[("index.mjs", "var a=1;export{a};\n")]);
    audit(&bundle, Some(&vuln_db(dir.path())), &[])
        .code(1)
        .stdout(predicate::str::contains(
            "not judged: index.mjs: JavaScript with no package.json",
        ));
    let bad = dir.path().join("bad.zip");
    std::fs::write(&bad, "not a zip").unwrap();
    audit(&bad, None, &[])
        .code(2)
        .stderr(
            predicate::str::starts_with("sprawl: ")
                .and(predicate::str::contains("not a zip archive")),
        )
        .stderr(predicate::function(|s: &str| s.lines().count() == 1));
}
