//! `sprawl export [SNAPSHOT]`: the findings as JSON, OCSF or CSV; an organization's streamed one
//! account at a time.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::assess::mute;
use crate::cli::CliError;
use crate::cli::args::MuteArgs;
use crate::cli::explorer::Ui;
use crate::cli::load::{load_mutes, muting, not_an_input, write_file};
use crate::cli::output;
use crate::cli::target::{LiveScan, snapshot_or_scan};
use crate::export;
use crate::snapshot::{self, org};

/// `--format` of `export`: the command line's names for [`export::Format`] (clap stays here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Ocsf,
    Csv,
}

impl From<ExportFormat> for export::Format {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Json => export::Format::Json,
            ExportFormat::Ocsf => export::Format::Ocsf,
            ExportFormat::Csv => export::Format::Csv,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The snapshot file (default: scan the account now, as `sprawl scan` would).
    pub snapshot: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormat,
    /// In an organization's snapshot: the account to export (its id or name).
    #[arg(long, value_name = "ID|NAME")]
    pub account: Option<String>,
    /// Write the export here (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub mutes: MuteArgs,
    #[command(flatten)]
    pub live: LiveScan,
}

pub async fn run(args: ExportArgs, ui: &Ui) -> Result<ExitCode, CliError> {
    if let Some(out) = &args.output {
        let inputs = [args.snapshot.as_deref(), args.live.save.as_deref()];
        not_an_input(out, &inputs.into_iter().flatten().collect::<Vec<_>>())?;
    }
    let mutes = load_mutes(ui.mute.as_ref())?;
    let format = export::Format::from(args.format);
    if let Some(path) = &args.snapshot
        && args.account.is_none()
        && let org::Opened::Organization(o) = org::open(path)?
    {
        // Streamed one account at a time: an organization's export is never in memory
        // whole (to a file, atomically: a failure part way leaves no half file).
        match &args.output {
            Some(out) => {
                let mut failure = None;
                let written = snapshot::write_atomically_with(out, |f| {
                    use std::io::Write;
                    export_organization(&o, format, mutes, &mut |b| f.write_all(b)).map_err(|e| {
                        failure = Some(e);
                        std::io::Error::other("the export stopped")
                    })
                });
                if let Some(e) = failure {
                    return Err(e);
                }
                written?;
            }
            None => export_organization(&o, format, mutes, &mut |b| {
                output::write_all(b);
                Ok(())
            })?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let snap =
        snapshot_or_scan(args.snapshot.as_ref(), args.account.as_deref(), &args.live).await?;
    let muting = muting(&snap, mutes, format != export::Format::Json);
    let bytes = export::render(format, &export::Report::new(&snap, &muting))?;
    match &args.output {
        Some(path) => write_file(path, &bytes)?,
        None => output::write_all(&bytes),
    }
    Ok(ExitCode::SUCCESS)
}

/// One account of an organization exported as its own file would be, naming the account.
fn account_export(
    o: &org::OrgSnapshot,
    entry: &org::AccountEntry,
    format: export::Format,
    mutes: &[mute::Mute],
) -> Result<Vec<u8>, CliError> {
    let snap = o.account(&entry.info.id)?;
    let muting = muting(&snap, mutes.to_vec(), true);
    let report = export::Report::new(&snap, &muting).named(entry.info.name.as_deref());
    Ok(export::render(format, &report)?)
}

/// Bytes of an export as they are made.
type Emit<'a> = &'a mut dyn FnMut(&[u8]) -> std::io::Result<()>;

/// An export's bytes could not be written.
fn io(source: std::io::Error) -> CliError {
    CliError::from(snapshot::SnapshotError::Io {
        path: std::path::PathBuf::from("the export"),
        source,
    })
}

/// Exports every account of an organization, reading and writing one account at a time: CSV
/// with one header row and each row naming its account, OCSF as one array of every account's
/// events, JSON as the organization's document (`json_of_organization`).
fn export_organization(
    o: &org::OrgSnapshot,
    format: export::Format,
    mutes: Vec<mute::Mute>,
    emit: Emit,
) -> Result<(), CliError> {
    if format == export::Format::Json {
        return json_of_organization(o, mutes, emit);
    }
    let mut first = true;
    if format == export::Format::Ocsf {
        emit(b"[").map_err(io)?;
    }
    // An account not scanned is said (a row, an event), never left out in silence; dated as
    // the organization's latest scan, so the same file exports to the same bytes.
    let latest = o.header.latest_scan();
    for entry in &o.header.accounts {
        let bytes = match entry.part {
            Some(_) => account_export(o, entry, format, &mutes)?,
            None => {
                let (id, name) = (&entry.info.id, entry.info.name.as_deref());
                let why = entry.failure.as_deref().unwrap_or("no snapshot");
                match format {
                    export::Format::Csv => {
                        let mut header = export::csv::render_header();
                        header.extend(export::csv::not_scanned_row(id, name, why));
                        header
                    }
                    _ => serde_json::to_vec(&[export::ocsf::not_scanned_event(
                        id, name, why, latest,
                    )])
                    .expect("an event serializes"),
                }
            }
        };
        match format {
            export::Format::Csv => {
                // The header row once, then every account's rows.
                let rows = if first {
                    &bytes[..]
                } else {
                    let body = memchr::memchr(b'\n', &bytes).map_or(bytes.len(), |i| i + 1);
                    &bytes[body..]
                };
                emit(rows).map_err(io)?;
                first = false;
            }
            _ => {
                // The account's array without its brackets, joined to the others'.
                let (open, close) = (
                    memchr::memchr(b'[', &bytes).map_or(0, |i| i + 1),
                    memchr::memrchr(b']', &bytes).unwrap_or(bytes.len()),
                );
                let events = bytes[open..close.max(open)].trim_ascii();
                if !events.is_empty() {
                    emit(if first { b"\n  " } else { b",\n  " }).map_err(io)?;
                    emit(events).map_err(io)?;
                    first = false;
                }
            }
        }
    }
    if format == export::Format::Ocsf {
        emit(b"\n]\n").map_err(io)?;
    }
    Ok(())
}

/// The JSON findings document of an organization (`schemas/organization-findings.schema.json`):
/// the organization, then each account with its own findings document as one account's export
/// writes it (read one account at a time), or why it was not scanned.
fn json_of_organization(
    o: &org::OrgSnapshot,
    mutes: Vec<mute::Mute>,
    emit: Emit,
) -> Result<(), CliError> {
    let h = &o.header;
    let head = serde_json::json!({
        "format": "sprawl-organization-findings",
        "schema_version": 1,
        "tool_version": env!("CARGO_PKG_VERSION"),
        "organization": {
            "id": h.organization.id,
            "management_account": h.organization.management_account,
        },
    });
    // The head's fields, then the accounts, each account's document spliced in as written.
    let head = serde_json::to_string(&head).expect("a head serializes");
    emit(format!("{},\n\"accounts\": [", &head[..head.len() - 1]).as_bytes()).map_err(io)?;
    for (i, entry) in h.accounts.iter().enumerate() {
        let about = serde_json::json!({
            "id": entry.info.id,
            "name": entry.info.name,
            "ou_path": entry.info.ou_path,
            "status": entry.info.status,
            "scanned_at": entry.scanned_at,
            "not_scanned": entry.failure,
        });
        let about = serde_json::to_string(&about).expect("an entry serializes");
        let lead = format!(
            "{}\n{}, \"findings\": ",
            if i == 0 { "" } else { "," },
            &about[..about.len() - 1]
        );
        emit(lead.as_bytes()).map_err(io)?;
        if entry.part.is_some() && entry.failure.is_none() {
            let document = account_export(o, entry, export::Format::Json, &mutes)?;
            emit(document.trim_ascii_end()).map_err(io)?;
        } else {
            emit(b"null").map_err(io)?;
        }
        emit(b"}").map_err(io)?;
    }
    emit(b"\n]}\n").map_err(io)?;
    Ok(())
}
