//! Opening the explorer from a command: its settings (`Ui`), the marks it shows (mutes, what is
//! new since an older scan), and how it ended as an exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::assess::mute::{self, Muting};
use crate::cli::CliError;
use crate::cli::load::{assessed, muting};
use crate::export;
use crate::snapshot::{Snapshot, org};

/// Explorer settings shared by every command.
pub struct Ui {
    pub theme: crate::tui::theme::Theme,
    pub mouse: bool,
    /// `--mute FILE`.
    pub mute: Option<PathBuf>,
}

/// True when a person is at the keyboard: the explorer can open.
pub fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

pub fn theme(cli_theme: Option<&str>) -> Result<crate::tui::theme::Theme, CliError> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Ok(crate::tui::theme::Theme::load(cli_theme, no_color)?)
}

pub async fn explore(
    snapshot: Snapshot,
    source: &str,
    ui: &Ui,
    marks: crate::tui::app::Marks,
) -> Result<ExitCode, CliError> {
    let mut app = crate::tui::app::App::marked(snapshot, ui.theme.clone(), source, marks);
    app.mouse = ui.mouse;
    finish(crate::tui::run(app, None, false).await)
}

/// The explorer's marks for a snapshot: the mutes in force, and what is new since `since`.
pub fn marks(
    snap: &mut Snapshot,
    mutes: Vec<mute::Mute>,
    since: Option<&PathBuf>,
) -> Result<crate::tui::app::Marks, CliError> {
    let new = match since {
        None => None,
        Some(path) => {
            // The same account's part when OLD is an organization's snapshot; assessed as
            // `diff` assesses it.
            let opened = org::open(path)?;
            let which = match &opened {
                org::Opened::Account(_) => None,
                org::Opened::Organization(_) => Some(snap.account.id.as_str()),
            };
            let mut old = assessed(opened, path, which)?;
            if old.account.id != snap.account.id {
                return Err(CliError::SinceOtherAccount {
                    path: path.clone(),
                    found: old.account.id,
                    expected: snap.account.id.clone(),
                });
            }
            // As `diff` does: this build's rules on both (`snap` is assessed already, or was
            // scanned just now), so "new" is the account's change.
            export::diff::alike(&mut old, snap);
            Some(export::diff::new_findings(
                &old.assessment,
                &snap.assessment,
            )?)
        }
    };
    Ok(crate::tui::app::Marks {
        muting: muting(snap, mutes, true),
        new,
        since: since.map(|p| p.display().to_string()),
    })
}

/// The explorer on an organization's snapshot; the mutes apply to each account as it is opened.
pub async fn explore_organization(
    o: org::OrgSnapshot,
    source: &std::path::Path,
    ui: &Ui,
    mutes: Vec<mute::Mute>,
) -> Result<ExitCode, CliError> {
    let marks = crate::tui::app::Marks {
        muting: Muting::pending(mutes, chrono::Utc::now().date_naive()),
        ..Default::default()
    };
    let mut app = crate::tui::app::App::organization(
        o,
        ui.theme.clone(),
        source.display().to_string(),
        marks,
    )?;
    app.mouse = ui.mouse;
    finish(crate::tui::run(app, None, false).await)
}

/// How the explorer ended: a terminal error or a scan that failed is one line and exit 2 (the
/// terminal is restored by then).
pub fn finish(outcome: std::io::Result<crate::tui::Ended>) -> Result<ExitCode, CliError> {
    use crate::tui::Ended;
    match outcome {
        Err(e) => Err(CliError::Terminal(e)),
        Ok(Ended::ScanFailed(failure)) => Err(CliError::ExplorerScan(failure)),
        Ok(Ended::ScanPanicked(message)) => Err(CliError::ScanPanicked(message)),
        // The shell's convention for a process ended by signal n.
        Ok(Ended::Signal(n)) => Ok(ExitCode::from(128 + n as u8)),
        Ok(Ended::Quit) => Ok(ExitCode::SUCCESS),
    }
}
