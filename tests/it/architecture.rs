//! The house rules the compiler cannot check alone: rule knowledge stays in the rule catalog, and
//! the assessment crate stays pure.

use std::path::{Path, PathBuf};
use std::process::Command;

use sprawl::assess::rules;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literals of `code` that are rule ids, with their line numbers. Comments are skipped
/// (doc comments may name rules), and so is everything from the first `#[cfg(test)]` on: a
/// test may name the rule it tests.
fn rule_literals(code: &str, ids: &[&str]) -> Vec<(usize, String)> {
    let code = code.split("#[cfg(test)]").next().unwrap_or("");
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(open) = rest.find('"') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('"') else { break };
            let literal = &after[..close];
            if ids.contains(&literal) {
                found.push((n + 1, literal.to_string()));
            }
            rest = &after[close + 1..];
        }
    }
    found
}

/// Everything that depends on which rule fired (its score, its overview tally, its part in the
/// chain) is in the rule's definition: no rule id is spelled out anywhere else in the code.
#[test]
fn rule_ids_appear_only_in_the_rule_catalog() {
    let ids: Vec<&str> = rules::catalog().iter().map(|r| r.id).collect();
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for krate in std::fs::read_dir(root().join("crates")).unwrap().flatten() {
        rust_files(&krate.path().join("src"), &mut files);
    }
    let catalog = root().join("crates/assess/src/rules");
    let mut outside = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&catalog)) {
        let code = std::fs::read_to_string(file).unwrap();
        for (line, id) in rule_literals(&code, &ids) {
            outside.push(format!("{}:{line}: {id}", file.display()));
        }
    }
    assert!(files.len() > 50, "only {} files found", files.len());
    assert!(
        outside.is_empty(),
        "rule ids outside the catalog (give the rule a field instead):\n{}",
        outside.join("\n")
    );
}

/// The scanner sees a literal where the explorer might put one, and lets comments and tests be.
#[test]
fn the_rule_id_scanner_catches_a_literal() {
    let ids = ["lambda-env-secret"];
    let explorer = r#"
        // counts "lambda-env-secret" findings
        let n = findings.iter().filter(|f| f.rule == "lambda-env-secret").count();
        #[cfg(test)]
        mod tests { const X: &str = "lambda-env-secret"; }
    "#;
    assert_eq!(
        rule_literals(explorer, &ids),
        [(3, "lambda-env-secret".to_string())]
    );
}

/// The packages a workspace crate builds with (normal dependencies, every level).
fn dependencies(package: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-e",
            "normal",
            "--prefix",
            "none",
            "-p",
            package,
        ])
        .current_dir(root())
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// The assessment is pure: no async runtime, no AWS SDK, no clock (chrono without "clock"), so
/// its tests build in seconds and a saved snapshot re-assesses the same way anywhere.
#[test]
fn the_assessment_crate_has_no_runtime_and_no_sdk() {
    let deps = dependencies("sprawl-assess");
    assert!(deps.iter().any(|d| d == "sprawl-model"), "{deps:?}");
    assert!(deps.iter().any(|d| d == "chrono"), "{deps:?}");
    let impure: Vec<&String> = deps
        .iter()
        .filter(|d| d.starts_with("aws-") || *d == "tokio" || *d == "sprawl-collect")
        .collect();
    assert!(impure.is_empty(), "sprawl-assess depends on {impure:?}");
}

/// The model is plain data: serde and nothing that talks or computes.
#[test]
fn the_model_crate_is_plain_data() {
    let deps = dependencies("sprawl-model");
    let ours: Vec<&String> = deps
        .iter()
        .filter(|d| d.starts_with("sprawl-") && *d != "sprawl-model")
        .collect();
    assert!(ours.is_empty(), "sprawl-model depends on {ours:?}");
    assert!(
        !deps
            .iter()
            .any(|d| d.starts_with("aws-") || d == "tokio" || d == "chrono"),
        "{deps:?}"
    );
}

/// The IAM engine stands alone: it reads policies and the model's plain data, and nothing of the
/// assessment, the collectors or the explorer (so it could be published and used on its own).
#[test]
fn the_iam_engine_depends_on_plain_data_only() {
    let deps = dependencies("sprawl-iam");
    let ours: Vec<&String> = deps
        .iter()
        .filter(|d| {
            d.starts_with("sprawl-") && !["sprawl-iam", "sprawl-model"].contains(&d.as_str())
        })
        .collect();
    assert!(ours.is_empty(), "sprawl-iam depends on {ours:?}");
    assert!(deps.iter().any(|d| d == "serde_json"), "{deps:?}");
    let impure: Vec<&String> = deps
        .iter()
        .filter(|d| d.starts_with("aws-") || *d == "tokio")
        .collect();
    assert!(impure.is_empty(), "sprawl-iam depends on {impure:?}");
}
