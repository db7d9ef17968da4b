//! Secrets written into code: provider credentials that say what they are by their shape (an AWS
//! access key id, a private key block, a GitHub, Slack, Stripe or Google key) and an AWS secret
//! key assigned beside its name. A hit names the rule, the file and the line, and a keyed
//! fingerprint of the value: never the value, never a snippet.
//!
//! First-party files get every rule; vendored ones (under `node_modules/`, `site-packages/`, or
//! a Python distribution's files) only the rules whose shape cannot be a test fixture's by
//! accident, so a dependency's documented examples stay quiet. Documented example keys (AWS's
//! `...EXAMPLE`) are never hits.

use crate::SecretHit;
use regex::Regex;
use sprawl_redact::FingerprintKey;

struct Rule {
    id: &'static str,
    /// The secret is the first capture group when there is one, else the whole match.
    pattern: &'static str,
    /// Also run on vendored files.
    vendored: bool,
}

const RULES: &[Rule] = &[
    Rule {
        id: "aws-access-key-id",
        pattern: r"\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b",
        vendored: true,
    },
    Rule {
        id: "aws-secret-access-key",
        pattern: r#"(?i)aws.{0,20}(?:secret|private).{0,20}['"]([A-Za-z0-9/+=]{40})['"]"#,
        vendored: false,
    },
    Rule {
        id: "private-key",
        pattern: r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----",
        vendored: true,
    },
    Rule {
        id: "github-token",
        pattern: r"\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b",
        vendored: true,
    },
    Rule {
        id: "slack-token",
        pattern: r"\b(xox[baprs]-[0-9A-Za-z-]{10,72})\b",
        vendored: true,
    },
    Rule {
        id: "stripe-live-key",
        pattern: r"\b((?:sk|rk)_live_[0-9A-Za-z]{24,99})\b",
        vendored: true,
    },
    Rule {
        id: "google-api-key",
        pattern: r"\b(AIza[0-9A-Za-z_-]{35})\b",
        vendored: false,
    },
];

/// The rules, compiled once.
pub(crate) struct Scanner {
    rules: Vec<(&'static Rule, Regex)>,
}

impl Scanner {
    pub(crate) fn new() -> Scanner {
        Scanner {
            rules: RULES
                .iter()
                .map(|r| (r, Regex::new(r.pattern).expect("the rules compile")))
                .collect(),
        }
    }

    /// The secrets in one file's `text`, by every rule ([`settle`] then says which are a
    /// dependency's, and keeps there only the rules that run on them).
    pub(crate) fn scan(&self, path: &str, text: &str, key: &FingerprintKey) -> Vec<SecretHit> {
        let mut out = Vec::new();
        for (number, line) in text.lines().enumerate() {
            for (rule, re) in &self.rules {
                for caps in re.captures_iter(line) {
                    let value = caps
                        .get(1)
                        .or_else(|| caps.get(0))
                        .map_or("", |m| m.as_str());
                    if value.ends_with("EXAMPLE") || value.ends_with("EXAMPLEKEY") {
                        continue;
                    }
                    out.push(SecretHit {
                        rule: rule.id.into(),
                        path: path.into(),
                        line: number + 1,
                        fingerprint: key.fingerprint(value),
                        vendored: false,
                    });
                }
            }
        }
        out
    }
}

/// The hits of a package once every distribution's `RECORD` is known (`recorded`): those in a
/// dependency's files (under `node_modules/` or a `site-packages/`, or listed in a RECORD) are
/// marked so, and kept only for the rules that run on a dependency's files.
pub(crate) fn settle(
    hits: Vec<SecretHit>,
    recorded: &std::collections::HashSet<String>,
) -> Vec<SecretHit> {
    hits.into_iter()
        .filter_map(|mut h| {
            h.vendored = h.path.contains("node_modules/")
                || h.path.contains("site-packages/")
                || recorded.contains(&h.path);
            let runs = !h.vendored || RULES.iter().any(|r| r.id == h.rule && r.vendored);
            runs.then_some(h)
        })
        .collect()
}

/// Whether bytes are a binary's: a NUL in the first 8 KB.
pub(crate) fn is_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|b| *b == 0)
}

/// The files a distribution's `RECORD` lists (`path,hash,size` lines), relative to the
/// directory holding its `.dist-info`.
pub(crate) fn recorded(record_path: &str, text: &str) -> Vec<String> {
    let base = record_path
        .rsplit_once('/')
        .and_then(|(dir, _)| dir.rsplit_once('/').map(|(base, _)| base))
        .map(|b| format!("{b}/"))
        .unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split(',').next())
        .filter(|p| !p.is_empty() && !p.starts_with(".."))
        .map(|p| format!("{base}{p}"))
        .collect()
}
