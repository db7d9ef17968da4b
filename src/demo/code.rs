//! What the demo's functions run, as `scan --code --vuln-db` reads and judges it: each team's
//! functions of a runtime share a package (one audit per `CodeSha256`), and a few carry what the
//! code audit exists to find: PyYAML 5.3.1 (a critical advisory) behind the public chargeback
//! API that runs as the administrator role and in an internal cron job, a malicious npm package
//! in a public webhook, a private key in a layer two functions run, and a bundle that names no
//! package.

use std::collections::BTreeMap;

use crate::model::code::{
    Advisories, Advisory, CodeAudit, Ecosystem, Package, Provenance, SecretHit, Unreadable,
};
use crate::model::{Detail, Inventory, LayerCode};

use super::ACCOUNT;

fn python(name: &str, version: &str) -> Package {
    crate::code::package(
        Ecosystem::PyPI,
        name,
        version,
        &format!("{name}-{version}.dist-info/METADATA"),
    )
}

fn node(name: &str, version: &str) -> Package {
    crate::code::package(
        Ecosystem::Npm,
        name,
        version,
        &format!("node_modules/{name}/package.json"),
    )
}

/// A team's usual package for a runtime: what its functions share. What sprawl cannot read yet
/// (a Java archive, a Gemfile.lock, a custom runtime's binary) is said, as a scan says it.
fn usual(runtime: &str) -> CodeAudit {
    let (packages, unreadable) = if runtime.starts_with("python") {
        let packages = vec![
            python("requests", "2.32.3"),
            python("urllib3", "2.2.3"),
            python("aws-lambda-powertools", "3.2.0"),
        ];
        (packages, None)
    } else if runtime.starts_with("nodejs") {
        let packages = vec![
            node("zod", "3.23.8"),
            node("@aws-lambda-powertools/logger", "2.10.0"),
        ];
        (packages, None)
    } else if runtime.starts_with("java") {
        (
            Vec::new(),
            Some((
                "lib/app.jar",
                "a Java archive: its packages are not read yet",
            )),
        )
    } else if runtime.starts_with("ruby") {
        (
            Vec::new(),
            Some(("Gemfile.lock", "Ruby's lockfile is not read yet")),
        )
    } else {
        (
            Vec::new(),
            Some((
                "bootstrap",
                "a custom runtime's binary: the packages built into it are not read yet",
            )),
        )
    };
    CodeAudit {
        packages,
        unreadable: unreadable
            .map(|(path, why)| Unreadable {
                path: path.into(),
                why: why.into(),
            })
            .into_iter()
            .collect(),
        ..CodeAudit::default()
    }
}

/// The layer that carries a service's certificate, and its private key with it.
const CERTS_LAYER: &str = "layer:payments-certs:4";

/// Reads every function's code as a scan with `--code --vuln-db` would.
pub fn read(inv: &mut Inventory) {
    let mut audits: BTreeMap<String, CodeAudit> = BTreeMap::new();
    let pyyaml = python("PyYAML", "5.3.1");
    let with_pyyaml = |runtime: &str| {
        let mut a = usual(runtime);
        a.packages.push(pyyaml.clone());
        a.packages.sort();
        a
    };
    let certs = format!("arn:aws:lambda:us-east-1:{ACCOUNT}:{CERTS_LAYER}");
    for f in &mut inv.functions {
        let team = f.name.split('-').next().unwrap_or("app").to_string();
        let runtime = f.runtime.clone().unwrap_or_default();
        let (sha, audit) = match f.name.as_str() {
            // Public, as the administrator role: the finding that matters.
            "payments-chargeback-api" => ("chargeback".to_string(), with_pyyaml(&runtime)),
            // The same package, internal.
            "growth-report-api" => ("report-api".to_string(), with_pyyaml(&runtime)),
            "growth-referral-webhook" => {
                let mut a = usual(&runtime);
                a.packages.push(node("axios-retry-helper", "0.4.1"));
                a.packages.sort();
                ("referral-webhook".to_string(), a)
            }
            "orders-cart-api" => (
                "cart-api".to_string(),
                CodeAudit {
                    unreadable: vec![Unreadable {
                        path: "dist/index.mjs".into(),
                        why: "a script with no package.json or lockfile beside it (a bundle \
                              inlines its dependencies and names none)"
                            .into(),
                    }],
                    ..CodeAudit::default()
                },
            ),
            _ => (format!("{team}-{runtime}"), usual(&runtime)),
        };
        let sha = format!("demo{:016x}=", super::fnv(&sha));
        if ["payments-chargeback-api", "payments-image-sync"].contains(&f.name.as_str()) {
            f.layers.push(certs.clone());
        }
        f.code_size_bytes = f.code_size_bytes.max(1);
        f.code_sha256 = Some(sha.clone());
        f.code = Detail::collected(sha.clone());
        audits.entry(sha).or_insert(audit);
    }
    // Every layer version the functions run, read once: AWS's extensions name no package; the
    // certificates layer carries its private key.
    let layers: std::collections::BTreeSet<String> = inv
        .functions
        .iter()
        .flat_map(|f| f.layers.clone())
        .collect();
    for arn in layers {
        let sha = format!("demo{:016x}=", super::fnv(&arn));
        let audit = if arn == certs {
            CodeAudit {
                secrets: vec![SecretHit {
                    rule: "private-key".into(),
                    path: "certs/processor-client.pem".into(),
                    line: 1,
                    fingerprint: "3f9c1ab2e7d04c55".into(),
                    vendored: false,
                }],
                ..CodeAudit::default()
            }
        } else {
            CodeAudit::default()
        };
        inv.layer_code.push(LayerCode {
            region: arn.split(':').nth(3).unwrap_or_default().into(),
            arn,
            code_size_bytes: 18_432,
            code: Detail::collected(sha.clone()),
        });
        audits.insert(sha, audit);
    }
    inv.code = audits;
    inv.advisories = Some(judged(&inv.code));
}

/// The demo's vulnerability database, as OSV's dumps of PyPI and npm judge its packages.
fn judged(audits: &BTreeMap<String, CodeAudit>) -> Advisories {
    let mut by_purl = BTreeMap::new();
    for p in audits.values().flat_map(|a| &a.packages) {
        let advisories = match p.purl.as_str() {
            "pkg:pypi/pyyaml@5.3.1" => vec![Advisory {
                id: "GHSA-8q59-q68h-6hv4".into(),
                aliases: vec!["CVE-2020-14343".into()],
                summary: "PyYAML runs arbitrary code when full_load or FullLoader reads untrusted YAML".into(),
                rating: Some("critical".into()),
                fixed: Some("5.4".into()),
                malicious: false,
            }],
            "pkg:npm/axios-retry-helper@0.4.1" => vec![Advisory {
                id: "MAL-2026-4127".into(),
                aliases: Vec::new(),
                summary: "Malicious code in axios-retry-helper (npm): sends the environment to a remote host on install and on import".into(),
                rating: Some("critical".into()),
                fixed: None,
                malicious: true,
            }],
            _ => Vec::new(),
        };
        by_purl.insert(p.purl.clone(), advisories);
    }
    Advisories {
        database: Provenance {
            ecosystems: vec!["PyPI".into(), "npm".into()],
            missing: Vec::new(),
            advisories: 231_904,
            newest: Some("2026-12-06T22:41:07Z".into()),
        },
        by_purl,
    }
}
