use std::io::{Cursor, Write};

use super::*;

/// A zip of `files` (name, content), deflated as build tools write them.
fn zip_of(files: &[(&str, &[u8])]) -> Cursor<Vec<u8>> {
    zip_with(files, zip::CompressionMethod::Deflated)
}

fn zip_with(files: &[(&str, &[u8])], method: zip::CompressionMethod) -> Cursor<Vec<u8>> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, content) in files {
        w.start_file(*name, options).unwrap();
        w.write_all(content).unwrap();
    }
    let mut out = w.finish().unwrap();
    out.set_position(0);
    out
}

/// The fingerprint key the tests use.
fn key() -> FingerprintKey {
    FingerprintKey::from_bytes([7; 32])
}

fn purls(a: &CodeAudit) -> Vec<&str> {
    a.packages.iter().map(|p| p.purl.as_str()).collect()
}

#[test]
fn a_python_layer_s_distributions_are_read_from_their_metadata() {
    let metadata = b"Metadata-Version: 2.1\nName: PyYAML\nVersion: 5.3.1\n\nName: not-a-header\n";
    let egg = b"Metadata-Version: 1.0\nName: legacy_thing\nVersion: 0.9\n";
    let zip = zip_of(&[
        (
            "python/lib/python3.12/site-packages/yaml/__init__.py",
            b"import os\n",
        ),
        (
            "python/lib/python3.12/site-packages/PyYAML-5.3.1.dist-info/METADATA",
            metadata,
        ),
        ("python/Legacy.Thing-0.9.egg-info/PKG-INFO", egg),
    ]);
    let a = audit(zip, &Limits::default(), &key()).unwrap();
    assert_eq!(
        purls(&a),
        ["pkg:pypi/legacy-thing@0.9", "pkg:pypi/pyyaml@5.3.1"]
    );
    assert_eq!(
        a.packages[1].path,
        "python/lib/python3.12/site-packages/PyYAML-5.3.1.dist-info/METADATA"
    );
    assert!(a.unreadable.is_empty(), "{:?}", a.unreadable);
    // Stored (not deflated), it reads the same.
    let stored = zip_with(
        &[("PyYAML-5.3.1.dist-info/METADATA", metadata)],
        zip::CompressionMethod::Stored,
    );
    assert_eq!(
        purls(&audit(stored, &Limits::default(), &key()).unwrap()),
        ["pkg:pypi/pyyaml@5.3.1"]
    );
}

#[test]
fn a_node_function_s_packages_are_read_once_from_its_lockfile_and_manifests() {
    let lock = br#"{"name": "orders", "lockfileVersion": 3, "packages": {
        "": {"name": "orders", "version": "1.0.0"},
        "node_modules/lodash": {"version": "4.17.20",
            "integrity": "sha512-PlhdFcillOINfeV7Ni6oF1TAEayyZBoZ8bcshTHqOYJYlrqzRK5hagpagky5o4HfCzzd1TRkXPMFq6cKk9rGmA=="},
        "node_modules/@aws-sdk/client-s3": {"version": "3.600.0"},
        "node_modules/a/node_modules/minimist": {"version": "0.0.8"},
        "packages/shared": {"version": "1.0.0"},
        "node_modules/shared": {"resolved": "packages/shared", "link": true}}}"#;
    let zip = zip_of(&[
        ("index.js", b"exports.handler = async () => 1;\n"),
        ("package-lock.json", lock),
        (
            "node_modules/lodash/package.json",
            br#"{"name": "lodash", "version": "4.17.20"}"#,
        ),
        (
            "node_modules/left-pad/package.json",
            br#"{"name": "left-pad", "version": "1.3.0"}"#,
        ),
        // Not a package's own manifest: one of its fixtures.
        (
            "node_modules/lodash/test/fixtures/package.json",
            br#"{"name": "fixture", "version": "0.0.1"}"#,
        ),
    ]);
    let a = audit(zip, &Limits::default(), &key()).unwrap();
    assert_eq!(
        purls(&a),
        [
            "pkg:npm/%40aws-sdk/client-s3@3.600.0",
            "pkg:npm/left-pad@1.3.0",
            "pkg:npm/lodash@4.17.20",
            "pkg:npm/minimist@0.0.8",
        ]
    );
    assert!(a.unreadable.is_empty(), "{:?}", a.unreadable);
    // An integrity hash is no secret.
    assert!(a.secrets.is_empty(), "{:?}", a.secrets);
}

/// Code that names no package is said to be unreadable, never clean: a bundle, a binary, and
/// the manifests of ecosystems not read yet; a lockfile of version 1 too.
#[test]
fn code_that_names_no_package_is_unreadable_never_clean() {
    let zip = zip_of(&[("index.mjs", b"var a=1;export{a};\n")]);
    let a = audit(zip, &Limits::default(), &key()).unwrap();
    assert!(a.packages.is_empty());
    assert_eq!(a.unreadable.len(), 1);
    assert!(a.unreadable[0].why.contains("bundle"), "{:?}", a.unreadable);

    let zip = zip_of(&[
        ("bootstrap", b"\x7fELF\x02\x01\x01"),
        ("lib/app.jar", b"PK"),
        ("App.deps.json", b"{}"),
        ("Gemfile.lock", b"GEM\n"),
        (
            "package-lock.json",
            br#"{"lockfileVersion": 1, "dependencies": {}}"#,
        ),
    ]);
    let a = audit(zip, &Limits::default(), &key()).unwrap();
    let paths: Vec<&str> = a.unreadable.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "App.deps.json",
            "Gemfile.lock",
            "bootstrap",
            "lib/app.jar",
            "package-lock.json"
        ],
        "{:?}",
        a.unreadable
    );
    assert!(
        a.unreadable[4].why.contains("version 1"),
        "{:?}",
        a.unreadable
    );
}

/// A package is read within its limits: too many entries, too many bytes declared, or a path
/// that leaves the package is no package at all; a manifest over its cap is skipped, said.
#[test]
fn a_package_is_read_within_its_limits() {
    let files: Vec<(String, Vec<u8>)> = (0..5)
        .map(|i| (format!("f{i}.py"), vec![b'x'; 100]))
        .collect();
    let as_refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    let few = Limits {
        entries: 4,
        ..Limits::default()
    };
    assert_eq!(
        audit(zip_of(&as_refs), &few, &key()),
        Err(CodeError::TooManyEntries { count: 5, limit: 4 })
    );
    let small = Limits {
        total_bytes: 499,
        ..Limits::default()
    };
    assert_eq!(
        audit(zip_of(&as_refs), &small, &key()),
        Err(CodeError::TooLarge {
            declared: 500,
            limit: 499
        })
    );
    assert_eq!(
        audit(
            zip_of(&[("../../etc/cron.d/x", b"* * * * *")]),
            &Limits::default(),
            &key()
        ),
        Err(CodeError::UnsafePath("../../etc/cron.d/x".into()))
    );
    let tight = Limits {
        manifest_bytes: 10,
        ..Limits::default()
    };
    let a = audit(
        zip_of(&[(
            "node_modules/x/package.json",
            br#"{"name": "x", "version": "1.0.0"}"#,
        )]),
        &tight,
        &key(),
    )
    .unwrap();
    assert!(a.packages.is_empty());
    assert!(
        a.unreadable[0].why.contains("over the 10 read"),
        "{:?}",
        a.unreadable
    );
    assert!(matches!(
        audit(
            Cursor::new(b"not a zip".to_vec()),
            &Limits::default(),
            &key()
        ),
        Err(CodeError::NotAZip(_))
    ));
}

#[test]
fn pypi_names_compare_as_pep_503_says() {
    assert_eq!(python::normalized("Legacy.Thing__x"), "legacy-thing-x");
    assert_eq!(python::normalized("PyYAML"), "pyyaml");
}

/// Secrets written into the code are found by their shape, named by rule, file and line, and
/// fingerprinted, never kept; a dependency's files get only the high-confidence rules, and a
/// documented example key is no secret.
#[test]
fn secrets_in_code_are_found_by_file_line_and_fingerprint_never_kept() {
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEK1";
    let handler = format!(
        "import boto3\nAWS_SECRET_ACCESS_KEY = \"{secret}\"\nKEY_ID = 'AKIA2E3A5F3B244C7D6Q'\nDOC = 'AKIAIOSFODNN7EXAMPLE'\n"
    );
    let pem = b"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n";
    let record = b"vendor_pkg/__init__.py,sha256=x,10\nvendor_pkg-1.0.dist-info/RECORD,,\n";
    let vendored =
        format!("SECRET = \"aws secret '{secret}'\"\nTOKEN = 'xoxb-1234567890-abcdefghij'\n");
    let zip = zip_of(&[
        ("app/handler.py", handler.as_bytes()),
        ("certs/service.pem", pem),
        ("vendor_pkg-1.0.dist-info/RECORD", record),
        ("vendor_pkg/__init__.py", vendored.as_bytes()),
        ("lib/native.so", b"\x7fELF\x00\x00AKIA2E3A5F3B244C7D6Q"),
    ]);
    let a = audit(zip, &Limits::default(), &key()).unwrap();
    let hits: Vec<(&str, &str, usize, bool)> = a
        .secrets
        .iter()
        .map(|h| (h.rule.as_str(), h.path.as_str(), h.line, h.vendored))
        .collect();
    assert_eq!(
        hits,
        [
            ("aws-access-key-id", "app/handler.py", 3, false),
            ("aws-secret-access-key", "app/handler.py", 2, false),
            ("private-key", "certs/service.pem", 1, false),
            ("slack-token", "vendor_pkg/__init__.py", 2, true),
        ]
    );
    let json = serde_json::to_string(&a).unwrap();
    assert!(
        !json.contains(secret) && !json.contains("AKIA2E3A5F3B244C7D6Q"),
        "{json}"
    );
    assert_eq!(a.secrets[1].fingerprint, key().fingerprint(secret));
}
