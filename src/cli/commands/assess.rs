//! `sprawl assess SNAPSHOT`: a saved snapshot assessed again, offline (an organization's: every
//! account), printed, and written back with `-o`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::CliError;
use crate::cli::args::{Format, parse_as_of};
use crate::cli::load::{account_of, load_one};
use crate::cli::output::{out, outln};
use crate::cli::report;
use crate::snapshot::{self, org};

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The snapshot file.
    pub snapshot: PathBuf,
    /// In an organization's snapshot: the account (its id or name).
    #[arg(long, value_name = "ID|NAME")]
    pub account: Option<String>,
    /// Measure ages (rotation, last use, runtime dates) as of this day or time instead of the
    /// scan's (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
    /// Write the re-assessed snapshot here (it may be the same file).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print text, or the assessment as JSON.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// How many functions to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Write (-o) an account that was assessed within its organization, re-assessed alone: what
    /// crosses accounts is lost (without it, -o refuses and says what would be lost).
    #[arg(long)]
    pub alone: bool,
    /// Judge the packages a `scan --code` read against OSV's data in DIR (DIR/PyPI/all.zip,
    /// DIR/npm/all.zip): a newer database judges an old snapshot without reading any code again.
    #[arg(long, value_name = "DIR")]
    pub vuln_db: Option<std::path::PathBuf>,
}

pub fn run(args: AssessArgs) -> Result<ExitCode, CliError> {
    if args.account.is_none()
        && let org::Opened::Organization(o) = org::open(&args.snapshot)?
    {
        if args.vuln_db.is_some() {
            return Err(CliError::VulnDb(
                "--vuln-db judges one account's snapshot (an organization's: not yet; give --account)"
                    .into(),
            ));
        }
        return assess_organization(&o, &args);
    }
    let (snap, now) = match (org::open(&args.snapshot)?, args.account.as_deref()) {
        // One account of an organization: assessed within it, as the organization's are.
        (org::Opened::Organization(o), Some(which)) => {
            if args.vuln_db.is_some() {
                return Err(CliError::VulnDb(
                    "--vuln-db judges one account's own snapshot; an organization's account: not yet"
                        .into(),
                ));
            }
            let id = account_of(&o, &args.snapshot, which)?.account.id;
            let snap = org::reassess_one(&o, &id, args.as_of)?;
            let now = snap.assessment.assessed_at;
            (snap, now)
        }
        _ => {
            let mut snap = load_one(&args.snapshot, args.account.as_deref())?;
            if let Some(dir) = &args.vuln_db {
                crate::cli::code::judge(&mut snap.inventory, dir)?;
            }
            let now = args.as_of.unwrap_or(snap.scanned_at);
            let before = snap.assessment.clone();
            snap.reassess(now);
            // An account cut out of its organization's snapshot, assessed alone now: say what
            // that hides, and never write the loss over it without being told to.
            if let Some(lost) = report::lost_alone(&before, &snap.assessment) {
                if args.output.is_some() && !args.alone {
                    return Err(CliError::AssessedAlone {
                        path: args.snapshot.clone(),
                        lost,
                    });
                }
                eprintln!("sprawl: {}: {lost}", args.snapshot.display());
            }
            (snap, now)
        }
    };
    if let Some(path) = &args.output {
        snapshot::save(&snap, path)?;
    }
    let assessment = &snap.assessment;
    match args.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(assessment).expect("an assessment serializes")
        ),
        Format::Text => {
            outln!(
                "Account {}, scanned {}, assessed as of {}",
                snap.account.id,
                snap.scanned_at.format("%Y-%m-%d %H:%M UTC"),
                now.format("%Y-%m-%d %H:%M UTC")
            );
            out!("{}", report::render_assessment(&snap.assessment, args.top));
            if let Some(path) = &args.output {
                outln!("\nRe-assessed snapshot written to {}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `assess ORG`: every account re-assessed (as of `--as-of`, else its own scan time), one line
/// each (JSON: one assessment document per line, with its account), and with `-o` the
/// re-assessed organization written.
fn assess_organization(o: &org::OrgSnapshot, args: &AssessArgs) -> Result<ExitCode, CliError> {
    if args.format == Format::Text {
        outln!(
            "Organization {}: {} accounts, assessed as of {}",
            o.header.organization.id.as_deref().unwrap_or("-"),
            o.header.accounts.len(),
            args.as_of
                .map_or("each account's scan time".to_string(), |t| t
                    .format("%Y-%m-%d %H:%M UTC")
                    .to_string())
        );
    }
    let mut total = crate::assess::FindingCounts::default();
    org::reassess(o, args.as_of, args.output.as_deref(), |entry, snap| {
        let name = entry.info.name.as_deref().unwrap_or("-");
        let id = &entry.info.id;
        match (snap, args.format) {
            (None, Format::Text) => outln!(
                "  {id}  {name:<20} not scanned: {}",
                entry.failure.as_deref().unwrap_or("-")
            ),
            (None, Format::Json) => outln!(
                "{}",
                serde_json::json!({"account": id, "name": name, "not_scanned": entry.failure})
            ),
            (Some(s), Format::Text) => {
                let counts = s.assessment.counts();
                let riskiest = s.assessment.functions.first().map_or("-".to_string(), |f| {
                    format!("{} ({})", f.name, f.score.total)
                });
                outln!(
                    "  {id}  {name:<20} {}; riskiest {riskiest}",
                    counts.by_severity()
                );
                total.add(&counts);
            }
            (Some(s), Format::Json) => outln!(
                "{}",
                serde_json::json!({"account": id, "name": name, "assessment": &s.assessment})
            ),
        }
    })?;
    if args.format == Format::Text {
        outln!("\nFindings of the scanned accounts: {}", total.described());
    }
    if let (Some(path), Format::Text) = (&args.output, args.format) {
        outln!("\nRe-assessed organization written to {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
