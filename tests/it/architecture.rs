//! The house rules the compiler cannot check alone: rule knowledge stays in the rule catalog, and
//! the assessment crate stays pure.

use std::collections::BTreeSet;
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

/// The code audit is pure: bytes in, derived facts out. No network, no AWS SDK, no async runtime
/// (the collectors hand it a downloaded package; `audit-package` a local one), and of ours only
/// the redaction (its fingerprints) and the model under it.
#[test]
fn the_code_audit_crate_has_no_network_and_no_sdk() {
    let deps = dependencies("sprawl-code");
    assert!(deps.iter().any(|d| d == "zip"), "{deps:?}");
    let impure: Vec<&String> = deps
        .iter()
        .filter(|d| {
            d.starts_with("aws-")
                || d.starts_with("sprawl-")
                || ["tokio", "hyper", "reqwest", "rustls"].contains(&d.as_str())
        })
        .filter(|d| *d != "sprawl-code" && *d != "sprawl-redact" && *d != "sprawl-model")
        .collect();
    assert!(impure.is_empty(), "sprawl-code depends on {impure:?}");
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

/// The module order of a crate as ARCHITECTURE.md's layer table for it lists it (the table after
/// `<!-- layers: CRATE -->`), lowest first.
fn layer_order(krate: &str) -> Vec<String> {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let marker = format!("<!-- layers: {krate} -->");
    let at = doc
        .find(&marker)
        .unwrap_or_else(|| panic!("ARCHITECTURE.md has no {marker}"));
    let mut order = Vec::new();
    let rows = doc[at + marker.len()..]
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l.starts_with('|'))
        .skip(2);
    for row in rows {
        let modules = row.split('|').nth(2).unwrap_or("");
        order.extend(modules.split('`').skip(1).step_by(2).map(str::to_string));
    }
    order
}

/// The module of the crate a file belongs to (its top-level module: `rules/role.rs` is part of
/// `rules`; `lib.rs` is `lib`), and how many `super::` lead from the file to the crate's root.
fn unit_of(relative: &Path) -> (String, usize) {
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let first = parts[0].trim_end_matches(".rs").to_string();
    let depth = match parts.last().map(String::as_str) {
        Some("lib.rs") => 0,
        Some("mod.rs") => parts.len() - 1,
        _ => parts.len(),
    };
    (first, depth)
}

/// The crate's top-level modules a file refers to: the first name after `crate::`, or after as
/// many `super::` as lead out of the file's own module; `use` groups (`crate::{a, b::c}`) are
/// read item by item. A name that is not one of `modules` is an item of the crate's root
/// (`crate::Hit`, a re-export), so it counts as `lib`. Comments, and everything from the first
/// `#[cfg(test)]` on, are left out: a doc link or a test may name any module.
fn referenced_units(code: &str, depth: usize, modules: &[String]) -> BTreeSet<String> {
    let code: String = code
        .split("#[cfg(test)]")
        .next()
        .unwrap_or("")
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let unit = |name: String| -> Option<String> {
        match name.as_str() {
            "" | "self" => None,
            _ if modules.contains(&name) => Some(name),
            _ => Some("lib".to_string()),
        }
    };
    let mut found = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        let boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let (root, after) = if boundary && rest.starts_with("crate::") {
            (true, &rest["crate::".len()..])
        } else if boundary && rest.starts_with("super::") {
            let mut after = rest;
            let mut supers = 0;
            while let Some(r) = after.strip_prefix("super::") {
                after = r;
                supers += 1;
            }
            (supers >= depth, after)
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        if root {
            if let Some(group) = after.strip_prefix('{') {
                // The items of the group, split at its own commas (not those of inner groups).
                let (mut level, mut start) = (0, 0);
                for (j, c) in group.char_indices() {
                    match c {
                        '{' => level += 1,
                        '}' if level == 0 => {
                            found.extend(unit(ident(&group[start..j])));
                            break;
                        }
                        '}' => level -= 1,
                        ',' if level == 0 => {
                            found.extend(unit(ident(&group[start..j])));
                            start = j + 1;
                        }
                        _ => {}
                    }
                }
            } else {
                found.extend(unit(ident(after)));
            }
        }
        i = code.len() - after.len();
    }
    found
}

/// Every import of a crate's modules against its layer table, as `file: imports X, listed after
/// it`, and the modules the table and the files disagree on.
fn layer_violations(krate: &str, dir: &str) -> Vec<String> {
    let order = layer_order(krate);
    let src = root().join(dir);
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut units = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let (own, depth) = unit_of(relative);
        units.insert(own.clone());
        let Some(at) = order.iter().position(|m| *m == own) else {
            problems.push(format!(
                "{dir}/{}: module `{own}` is in no layer of ARCHITECTURE.md",
                relative.display()
            ));
            continue;
        };
        let code = std::fs::read_to_string(file).unwrap();
        for used in referenced_units(&code, depth, &order) {
            let above = order.iter().position(|m| *m == used).is_none_or(|p| p > at);
            if used != own && above {
                problems.push(format!(
                    "{dir}/{}: imports `{used}`, which is not below `{own}`",
                    relative.display()
                ));
            }
        }
    }
    for listed in order.iter().filter(|m| !units.contains(*m)) {
        problems.push(format!(
            "ARCHITECTURE.md lists `{listed}` for {krate}, which has no such module"
        ));
    }
    problems
}

/// The assessment is built in layers: report types, then facts, then rules, then verdicts, then
/// `assess` itself. No module imports one above it, so none imports another in a circle.
#[test]
fn the_assessment_imports_only_downward() {
    assert!(
        layer_order("sprawl-assess").len() >= 15,
        "{:?}",
        layer_order("sprawl-assess")
    );
    let problems = layer_violations("sprawl-assess", "crates/assess/src");
    assert!(
        problems.is_empty(),
        "against ARCHITECTURE.md's layers:\n{}",
        problems.join("\n")
    );
}

/// The IAM engine is layered the same way: patterns, grammar, who, what.
#[test]
fn the_iam_engine_imports_only_downward() {
    assert!(
        layer_order("sprawl-iam").len() >= 9,
        "{:?}",
        layer_order("sprawl-iam")
    );
    let problems = layer_violations("sprawl-iam", "crates/iam/src");
    assert!(
        problems.is_empty(),
        "against ARCHITECTURE.md's layers:\n{}",
        problems.join("\n")
    );
}

/// The import reader finds an upward import wherever it is written, and lets a module's own
/// files, comments and tests be.
#[test]
fn the_layer_reader_finds_an_upward_import() {
    let modules: Vec<String> = ["report", "reach", "rules", "score"]
        .map(String::from)
        .to_vec();
    let code = r#"
        //! See [`crate::score`].
        use super::{report::Finding, reach::{Context, FunctionFacts}};
        use crate::Hit;
        fn f() -> bool { crate::score::is_public() || super::helper() }
        #[cfg(test)]
        mod tests { use crate::rules::catalog; }
    "#;
    let top = referenced_units(code, 1, &modules);
    assert_eq!(
        top,
        ["lib", "reach", "report", "score"].map(String::from).into()
    );
    // In `rules/role.rs` a single `super::` stays inside `rules`.
    let inside = referenced_units(code, 2, &modules);
    assert_eq!(inside, ["lib", "score"].map(String::from).into());
    assert_eq!(
        unit_of(Path::new("rules/role.rs")),
        ("rules".to_string(), 2)
    );
    assert_eq!(unit_of(Path::new("rules/mod.rs")), ("rules".to_string(), 1));
    assert_eq!(unit_of(Path::new("lib.rs")), ("lib".to_string(), 0));
}

/// One file per command, each small enough to read at once: no file of the command line is over
/// 400 lines (a command that grows gets a folder of its own).
#[test]
fn no_command_line_file_is_over_400_lines() {
    let mut files = Vec::new();
    rust_files(&root().join("src/cli"), &mut files);
    assert!(files.len() >= 20, "only {} files in src/cli", files.len());
    let long: Vec<String> = files
        .iter()
        .map(|f| (f, std::fs::read_to_string(f).unwrap().lines().count()))
        .filter(|(_, n)| *n > 400)
        .map(|(f, n)| format!("{}: {n} lines", f.display()))
        .collect();
    assert!(long.is_empty(), "{}", long.join("\n"));
}

/// The AWS SDK crates of `lock` (Cargo.lock's text) that depend on `aws-smithy-cbor`: a crate that
/// speaks Smithy RPC v2 CBOR, which the emulator the collectors are tested against cannot parse.
fn sdk_crates_speaking_cbor(lock: &str) -> (usize, Vec<String>) {
    let mut sdk = 0;
    let mut cbor = Vec::new();
    for package in lock.split("[[package]]").skip(1) {
        let name = package
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .map(|n| n.trim_end_matches('"'))
            .unwrap_or("");
        if !name.starts_with("aws-sdk-") {
            continue;
        }
        sdk += 1;
        // `dependencies = [ "aws-smithy-cbor", ... ]`, one per line (or "name version").
        let deps = package.split("dependencies = [").nth(1).unwrap_or("");
        let deps = deps.split(']').next().unwrap_or("");
        if deps
            .split(',')
            .any(|d| d.trim().trim_matches('"').split(' ').next() == Some("aws-smithy-cbor"))
        {
            cbor.push(name.to_string());
        }
    }
    (sdk, cbor)
}

/// Issue 28: every AWS SDK crate sprawl builds keeps speaking a protocol moto parses (JSON, query,
/// REST): CloudWatch's crate moved to Smithy RPC v2 CBOR at 1.100 and is pinned below it. A crate
/// that starts to depend on `aws-smithy-cbor` (an update, or a new service) fails here, before
/// its collector tests fail against the emulator for a reason that is hard to read.
#[test]
fn no_sdk_crate_speaks_cbor() {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let (sdk, cbor) = sdk_crates_speaking_cbor(&lock);
    assert!(sdk >= 9, "only {sdk} aws-sdk crates in Cargo.lock");
    assert!(cbor.is_empty(), "SDK crates that speak CBOR: {cbor:?}");
    // The reader catches one that does.
    let later = r#"
[[package]]
name = "aws-sdk-cloudwatch"
version = "1.100.0"
dependencies = [
 "aws-credential-types",
 "aws-smithy-cbor",
 "aws-smithy-runtime",
]

[[package]]
name = "aws-smithy-cbor"
version = "0.61.0"
"#;
    assert_eq!(
        sdk_crates_speaking_cbor(later),
        (1, vec!["aws-sdk-cloudwatch".to_string()])
    );
}
