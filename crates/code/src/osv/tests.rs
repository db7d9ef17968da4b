use std::io::Write;

use super::*;

/// Writes `advisories` as OSV's dump of `ecosystem` under `dir` (`dir/<Ecosystem>/all.zip`).
fn dump(dir: &Path, ecosystem: &str, advisories: &[serde_json::Value]) {
    let at = dir.join(ecosystem);
    std::fs::create_dir_all(&at).unwrap();
    let file = std::fs::File::create(at.join("all.zip")).unwrap();
    let mut w = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    for a in advisories {
        w.start_file(format!("{}.json", a["id"].as_str().unwrap()), options)
            .unwrap();
        w.write_all(a.to_string().as_bytes()).unwrap();
    }
    w.finish().unwrap();
}

/// An advisory found: its id, the version that fixes it, and whether the package is malicious.
type Found = (String, Option<String>, bool);

fn package(ecosystem: Ecosystem, name: &str, version: &str) -> Package {
    crate::package(ecosystem, name, version, "x")
}

fn advisory(
    id: &str,
    ecosystem: &str,
    name: &str,
    affected: serde_json::Value,
) -> serde_json::Value {
    let mut a = serde_json::json!({"id": id, "modified": "2026-11-30T00:00:00Z",
        "summary": format!("{id} in {name}"),
        "affected": [{"package": {"ecosystem": ecosystem, "name": name}}]});
    for (k, v) in affected.as_object().unwrap() {
        a["affected"][0][k] = v.clone();
    }
    a
}

/// Each ecosystem's advisories hold for the versions their ranges take, in its own order, with
/// the version that fixes them; a malicious package is said to be; a dump that is not there
/// leaves its ecosystem not judged, never clean.
#[test]
fn advisories_hold_for_the_versions_their_ranges_take() {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = advisory(
        "GHSA-8q59-q68h-6hv4",
        "PyPI",
        "PyYAML",
        serde_json::json!({"ranges": [{"type": "ECOSYSTEM",
            "events": [{"introduced": "0"}, {"fixed": "5.4"}]}]}),
    );
    yaml["database_specific"] = serde_json::json!({"severity": "CRITICAL"});
    yaml["severity"] = serde_json::json!([{"type": "CVSS_V3",
        "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]);
    dump(
        dir.path(),
        "PyPI",
        &[
            yaml,
            // Two windows, their events out of order: up to 1.0, and from 2.0 until 2.5.
            advisory(
                "PYSEC-2",
                "PyPI",
                "requests",
                serde_json::json!({"ranges": [{"type": "ECOSYSTEM", "events": [
                    {"introduced": "2.0"}, {"fixed": "2.5"}, {"fixed": "1.0"}, {"introduced": "0"}]}]}),
            ),
        ],
    );
    dump(
        dir.path(),
        "npm",
        &[
            advisory(
                "GHSA-35jh-r3h4-6jhm",
                "npm",
                "lodash",
                serde_json::json!({"ranges": [{"type": "SEMVER",
                    "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}),
            ),
            advisory(
                "GHSA-vh95-rmgr-6w4m",
                "npm",
                "minimist",
                serde_json::json!({"ranges": [{"type": "SEMVER",
                    "events": [{"introduced": "0"}, {"last_affected": "0.2.0"}]}]}),
            ),
            advisory(
                "MAL-2024-1",
                "npm",
                "left-pad",
                serde_json::json!({"versions": ["1.3.0"]}),
            ),
        ],
    );
    let packages = [
        package(Ecosystem::PyPI, "pyyaml", "5.3.1"),
        package(Ecosystem::PyPI, "PyYAML", "5.4"),
        package(Ecosystem::PyPI, "requests", "2.1"),
        package(Ecosystem::PyPI, "requests", "1.5"),
        package(Ecosystem::Npm, "lodash", "4.17.20"),
        package(Ecosystem::Npm, "lodash", "4.17.21"),
        package(Ecosystem::Npm, "minimist", "0.0.8"),
        package(Ecosystem::Npm, "minimist", "1.2.6"),
        package(Ecosystem::Npm, "left-pad", "1.3.0"),
    ];
    let db = load(dir.path(), &packages).unwrap();
    assert_eq!(db.provenance.ecosystems, ["PyPI", "npm"]);
    assert_eq!(db.provenance.advisories, 5);
    assert_eq!(
        db.provenance.newest.as_deref(),
        Some("2026-11-30T00:00:00Z")
    );
    let found: Vec<(String, Vec<Found>)> = packages
        .iter()
        .map(|p| {
            let m = db.matches(p).unwrap();
            (
                format!("{}@{}", p.name, p.version),
                m.into_iter()
                    .map(|m| (m.id, m.fixed, m.malicious))
                    .collect(),
            )
        })
        .collect();
    let some = |id: &str, fixed: Option<&str>, malicious: bool| {
        vec![(id.to_string(), fixed.map(str::to_string), malicious)]
    };
    assert_eq!(
        found,
        [
            (
                "pyyaml@5.3.1".into(),
                some("GHSA-8q59-q68h-6hv4", Some("5.4"), false)
            ),
            ("PyYAML@5.4".into(), vec![]),
            ("requests@2.1".into(), some("PYSEC-2", Some("2.5"), false)),
            ("requests@1.5".into(), vec![]),
            (
                "lodash@4.17.20".into(),
                some("GHSA-35jh-r3h4-6jhm", Some("4.17.21"), false)
            ),
            ("lodash@4.17.21".into(), vec![]),
            (
                "minimist@0.0.8".into(),
                some("GHSA-vh95-rmgr-6w4m", None, false)
            ),
            ("minimist@1.2.6".into(), vec![]),
            ("left-pad@1.3.0".into(), some("MAL-2024-1", None, true)),
        ]
    );
    let yaml = &db.matches(&packages[0]).unwrap()[0];
    assert_eq!(yaml.severity.as_deref(), Some("CRITICAL"));
    assert!(
        yaml.cvss
            .as_deref()
            .is_some_and(|c| c.starts_with("CVSS:3.1/"))
    );

    // Without npm's dump, its packages are not judged.
    std::fs::remove_dir_all(dir.path().join("npm")).unwrap();
    let db = load(dir.path(), &packages).unwrap();
    assert_eq!(db.matches(&packages[4]), None);
    assert_eq!(db.provenance.missing.len(), 1);
    assert_eq!(db.provenance.missing[0].0, "npm");
}

/// An advisory's rating: malicious is critical, its database's word first, else its CVSS
/// vector's base score; neither is no rating.
#[test]
fn an_advisory_is_rated_by_its_word_or_its_cvss_vector() {
    let m = |severity: Option<&str>, cvss: Option<&str>, malicious: bool| Match {
        id: "X".into(),
        aliases: Vec::new(),
        summary: String::new(),
        cvss: cvss.map(str::to_string),
        severity: severity.map(str::to_string),
        fixed: None,
        malicious,
    };
    let critical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    let medium = "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N";
    assert_eq!(m(None, Some(critical), false).rating(), Some("critical"));
    assert_eq!(m(None, Some(medium), false).rating(), Some("medium"));
    assert_eq!(
        m(Some("MODERATE"), Some(critical), false).rating(),
        Some("medium")
    );
    assert_eq!(m(None, None, true).rating(), Some("critical"));
    assert_eq!(m(None, None, false).rating(), None);
    assert_eq!(m(None, Some("not a vector"), false).rating(), None);
}
