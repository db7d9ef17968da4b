//! `sprawl audit-package FILE.zip`: what a deployment package or layer runs, before it is
//! deployed (a build artifact in CI): its packages, their known advisories from a local copy of
//! OSV's data, and the secrets written into its files. Exit 1 on an advisory at or above
//! `--fail-on` (or of unknown severity), a malicious package or a secret, and on what could not
//! be judged unless `--allow-partial`; 0 when clean; 2 when the file cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use crate::assess::Severity;
use crate::cli::CliError;
use crate::cli::args::Format;
use crate::cli::commands::check::FailOnArg;
use crate::cli::output::outln;
use crate::code::osv::{Match, Provenance};
use crate::code::{CodeAudit, Limits, Package};

#[derive(Debug, Args)]
pub struct AuditPackageArgs {
    /// The deployment package or layer (a .zip).
    pub file: PathBuf,
    /// A directory of OSV's dumps, one per ecosystem (DIR/PyPI/all.zip, DIR/npm/all.zip), as
    /// OSV publishes them and osv-scanner's offline mode keeps them. Without it, no package's
    /// advisories are judged.
    #[arg(long, env = "SPRAWL_VULN_DB", value_name = "DIR")]
    pub vuln_db: Option<PathBuf>,
    /// The lowest advisory severity (its database's word, else its CVSS vector's score) that
    /// fails the audit (an advisory with neither fails it too; a malicious package or a secret
    /// always does).
    #[arg(long, value_enum, default_value = "high")]
    pub fail_on: FailOnArg,
    /// Pass though some of it could not be judged (no --vuln-db, an ecosystem's dump missing,
    /// code that names no package, a file too large to search); it is still reported.
    #[arg(long)]
    pub allow_partial: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The key secrets are fingerprinted with (default: the one scans use, so a secret found
    /// here and in a function's environment has the same fingerprint).
    #[arg(long, value_name = "FILE")]
    pub fingerprint_key: Option<PathBuf>,
}

/// One advisory that holds for one package, as reported.
#[derive(Debug, Serialize)]
struct Advisory<'a> {
    purl: &'a str,
    path: &'a str,
    /// `critical` to `low` ([`Match::rating`]), or `unknown` when the advisory gives none.
    rating: &'static str,
    /// The same, for the gate.
    #[serde(skip)]
    level: Option<Severity>,
    #[serde(flatten)]
    found: Match,
}

/// What the audit found, and its verdict.
#[derive(Debug, Serialize)]
struct Report<'a> {
    file: String,
    #[serde(flatten)]
    audit: &'a CodeAudit,
    advisories: Vec<Advisory<'a>>,
    /// Which data judged the packages; `null` without --vuln-db.
    database: Option<Provenance>,
    /// What could not be judged, in words.
    not_judged: Vec<String>,
    /// Why it fails; empty when it passes.
    fails: Vec<String>,
}

/// An advisory's severity ([`Match::rating`]: malicious, its database's word, or its CVSS
/// vector's score).
fn severity_of(m: &Match) -> Option<Severity> {
    Some(match m.rating()? {
        "critical" => Severity::Critical,
        "high" => Severity::High,
        "medium" => Severity::Medium,
        "low" => Severity::Low,
        _ => Severity::Info,
    })
}

pub fn run(args: AuditPackageArgs) -> Result<ExitCode, CliError> {
    let file = std::fs::File::open(&args.file).map_err(|source| CliError::PackageUnreadable {
        path: args.file.clone(),
        why: source.to_string(),
    })?;
    let key = crate::cli::target::fingerprint_key(args.fingerprint_key.as_deref())?;
    let audit = crate::code::audit(std::io::BufReader::new(file), &Limits::default(), &key)
        .map_err(|e| CliError::PackageUnreadable {
            path: args.file.clone(),
            why: e.to_string(),
        })?;
    let db = match &args.vuln_db {
        Some(dir) => Some(
            crate::code::osv::load(dir, &audit.packages)
                .map_err(|e| CliError::VulnDb(e.to_string()))?,
        ),
        None => None,
    };
    let gate = crate::export::check::FailOn::from(args.fail_on).severity();
    let mut advisories = Vec::new();
    let mut not_judged = Vec::new();
    match &db {
        None if !audit.packages.is_empty() => not_judged.push(format!(
            "the advisories of its {} (no --vuln-db)",
            counted(audit.packages.len(), "package", "packages")
        )),
        None => {}
        Some(db) => {
            for (ecosystem, path) in &db.provenance.missing {
                not_judged.push(format!(
                    "its {ecosystem} packages' advisories ({path} is missing)"
                ));
            }
            for p in &audit.packages {
                for found in db.matches(p).into_iter().flatten() {
                    advisories.push(advisory(p, found));
                }
            }
        }
    }
    for u in &audit.unreadable {
        not_judged.push(format!("{}: {}", u.path, u.why));
    }
    for u in &audit.unsearched {
        not_judged.push(format!("{} not searched for secrets: {}", u.path, u.why));
    }
    let mut fails = Vec::new();
    let over: Vec<&Advisory> = advisories
        .iter()
        .filter(|a| a.level.is_none_or(|s| s >= gate))
        .collect();
    if !over.is_empty() {
        fails.push(format!(
            "{} at or above {} (or of unknown severity)",
            counted(over.len(), "advisory", "advisories"),
            gate.label()
        ));
    }
    if !audit.secrets.is_empty() {
        let secrets = counted(audit.secrets.len(), "secret", "secrets");
        fails.push(format!("{secrets} in its files"));
    }
    if !not_judged.is_empty() && !args.allow_partial {
        let things = counted(not_judged.len(), "thing", "things");
        fails.push(format!("{things} not judged (--allow-partial passes them)"));
    }
    let report = Report {
        file: args.file.display().to_string(),
        audit: &audit,
        advisories,
        database: db.map(|d| d.provenance),
        not_judged,
        fails,
    };
    match args.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&report).expect("a report serializes")
        ),
        Format::Text => outln!("{}", text(&report)),
    }
    Ok(if report.fails.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn advisory(p: &Package, found: Match) -> Advisory<'_> {
    let level = severity_of(&found);
    Advisory {
        purl: &p.purl,
        path: &p.path,
        rating: level.map_or("unknown", Severity::label),
        level,
        found,
    }
}

/// `n` things, in the singular for one.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The report for a terminal or a build log.
fn text(r: &Report) -> String {
    let printable = crate::model::printable;
    let mut out = format!(
        "{}: {}, {}, {}\n",
        printable(&r.file),
        counted(r.audit.packages.len(), "package", "packages"),
        counted(r.advisories.len(), "advisory", "advisories"),
        counted(r.audit.secrets.len(), "secret", "secrets"),
    );
    if let Some(db) = &r.database {
        out += &format!(
            "advisories from OSV ({}; {} read, newest {})\n",
            db.ecosystems.join(", "),
            db.advisories,
            db.newest.as_deref().unwrap_or("none")
        );
    }
    for a in &r.advisories {
        let fixed = a
            .found
            .fixed
            .as_deref()
            .map_or("no fixed version".to_string(), |f| format!("fixed in {f}"));
        let kind = if a.found.malicious {
            " (malicious package)"
        } else {
            ""
        };
        out += &format!(
            "  {:<8} {} {}{kind}, {fixed}: {}\n",
            a.rating,
            printable(a.purl),
            printable(&a.found.id),
            printable(&a.found.summary)
        );
    }
    for s in &r.audit.secrets {
        let whose = if s.vendored {
            " (a dependency's file)"
        } else {
            ""
        };
        out += &format!(
            "  secret   {} at {}:{}{whose}, fingerprint {}\n",
            s.rule,
            printable(&s.path),
            s.line,
            s.fingerprint
        );
    }
    for n in &r.not_judged {
        out += &format!("  not judged: {}\n", printable(n));
    }
    for p in &r.audit.packages {
        out += &format!(
            "  package  {} ({})\n",
            printable(&p.purl),
            printable(&p.path)
        );
    }
    out += &if r.fails.is_empty() {
        "passes".to_string()
    } else {
        format!("fails: {}", r.fails.join("; "))
    };
    out
}
