//! The interactive explorer (ratatui + crossterm).
//!
//! Background work (a scan) runs on tokio and reports through a channel; terminal input comes
//! from a thread. The loop waits for one event, drains every pending one, applies them to the
//! [`App`](app::App) (plain state, testable without a terminal), performs the effects it asks
//! for, and draws once. The terminal is restored on every exit, panics included
//! (`ratatui::try_init` installs the panic hook; a guard restores on return).

pub mod app;
pub mod detail;
pub mod keymap;
pub mod lists;
pub mod marks;
pub mod overview;
pub mod prompt;
pub mod query;
pub mod rows;
pub mod scan;
pub mod screen;
pub mod table;
pub mod theme;
pub mod views;
pub mod wrap;

use std::future::Future;
use std::io::{self, Write};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::model::ProgressEvent;
use crate::snapshot::{self, Snapshot};
use app::{App, Effect};

/// Why a scan started from the explorer failed: the scanner's own error, kept whole (the
/// explorer shows it as one line; the command turns it into its exit).
pub type ScanFailure = Arc<dyn std::error::Error + Send + Sync>;

/// Runs a scan, reporting progress on the sender; returns the (saved) snapshot or why not.
pub type Scanner = Arc<
    dyn Fn(
            UnboundedSender<ProgressEvent>,
        ) -> Pin<Box<dyn Future<Output = Result<Snapshot, ScanFailure>> + Send>>
        + Send
        + Sync,
>;

enum UiEvent {
    Term(Event),
    Progress(ProgressEvent),
    ScanDone(Box<Result<Snapshot, ScanFailure>>),
    /// The scan task panicked: a bug, and the explorer ends with its message.
    ScanPanicked(String),
    /// SIGTERM or SIGHUP: the explorer ends, the terminal restored.
    Signal(i32),
}

/// How the explorer ended.
#[derive(Debug, Clone)]
pub enum Ended {
    /// The operator quit.
    Quit,
    /// The operator quit after a scan that failed.
    ScanFailed(ScanFailure),
    /// The scan task panicked.
    ScanPanicked(String),
    /// A signal ended it (15 for SIGTERM, 1 for SIGHUP): the exit code is 128 + it.
    Signal(i32),
}

/// A panic's message, from the payload a task's JoinError carries.
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Forwards SIGTERM and SIGHUP to the event loop, so the terminal is restored before exiting.
fn forward_signals(tx: &tokio::sync::mpsc::UnboundedSender<UiEvent>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        for (kind, n) in [(SignalKind::terminate(), 15), (SignalKind::hangup(), 1)] {
            let Ok(mut stream) = signal(kind) else {
                continue;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                if stream.recv().await.is_some() {
                    let _ = tx.send(UiEvent::Signal(n));
                }
            });
        }
    }
    let _ = tx;
}

/// Restores the terminal when dropped, whatever the way out.
struct Restore {
    mouse: bool,
}

impl Drop for Restore {
    fn drop(&mut self) {
        if self.mouse {
            let _ = crossterm::execute!(io::stdout(), event::DisableMouseCapture);
        }
        ratatui::restore();
    }
}

/// OSC 52: asks the terminal to put `text` on the clipboard (works over SSH too).
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    format!(
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(text.as_bytes())
    )
}

/// Where `e` writes: the snapshot's default name in the current directory.
pub fn export(snapshot: &Snapshot) -> Result<PathBuf, String> {
    let path = PathBuf::from(snapshot.default_file_name());
    snapshot::save(snapshot, &path).map_err(|e| e.to_string())?;
    Ok(path)
}

/// Writes the whole organization's snapshot to the working directory; says where.
pub fn export_organization(org: &crate::snapshot::org::OrgSnapshot) -> Result<PathBuf, String> {
    let path = PathBuf::from(org.default_file_name());
    org.save_copy(&path).map_err(|e| e.to_string())?;
    Ok(path)
}

/// Runs the explorer until the operator quits, a signal ends it, or the scan task panics. With a
/// scanner, `scan_now` starts a scan at once (the app then shows its progress) and `r` rescans
/// (one scan at a time: one rate limiter per process). Says how it ended; the caller turns a
/// failed scan, a panic or a signal into the exit code.
pub async fn run(mut app: App, scanner: Option<Scanner>, scan_now: bool) -> io::Result<Ended> {
    let mut ended: Option<Ended> = None;
    let mut terminal = ratatui::try_init()?;
    let _restore = Restore { mouse: app.mouse };
    if app.mouse {
        crossterm::execute!(io::stdout(), event::EnableMouseCapture)?;
    }
    app.can_rescan = scanner.is_some();
    let (tx, mut rx) = unbounded_channel::<UiEvent>();
    forward_signals(&tx);
    // crossterm listens for SIGWINCH only from its first poll: poll once here, before the first
    // frame, so a window resized just after it is seen (the input thread's first poll can come
    // late on a busy machine, and a resize before it would be lost).
    let _ = event::poll(Duration::ZERO);
    let stop = Arc::new(AtomicBool::new(false));
    {
        let tx = tx.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match event::poll(Duration::from_millis(100)) {
                    Ok(true) => match event::read() {
                        Ok(ev) => {
                            if tx.send(UiEvent::Term(ev)).is_err() {
                                break;
                            }
                        }
                        Err(_) => break,
                    },
                    Ok(false) => {}
                    Err(_) => break,
                }
            }
        });
    }
    let start_scan = |app: &mut App| {
        if let Some(scanner) = &scanner {
            app.scan_started();
            let (ptx, mut prx) = unbounded_channel();
            let forward = tx.clone();
            tokio::spawn(async move {
                while let Some(p) = prx.recv().await {
                    if forward.send(UiEvent::Progress(p)).is_err() {
                        break;
                    }
                }
            });
            let done = tx.clone();
            let job = tokio::spawn(scanner(ptx));
            tokio::spawn(async move {
                let event = match job.await {
                    Ok(result) => UiEvent::ScanDone(Box::new(result)),
                    Err(e) if e.is_panic() => UiEvent::ScanPanicked(panic_message(e.into_panic())),
                    Err(e) => UiEvent::ScanDone(Box::new(Err(Arc::new(e) as ScanFailure))),
                };
                let _ = done.send(event);
            });
        }
    };
    if scan_now {
        start_scan(&mut app);
    }
    terminal.draw(|f| views::draw(&app, f))?;
    'run: while let Some(first) = rx.recv().await {
        let mut pending = vec![first];
        while let Ok(more) = rx.try_recv() {
            pending.push(more);
        }
        for ev in pending {
            let effects = match ev {
                UiEvent::Term(e) => app.handle(&e),
                UiEvent::Progress(p) => {
                    app.scan_progress(&p);
                    Vec::new()
                }
                UiEvent::ScanPanicked(message) => {
                    ended = Some(Ended::ScanPanicked(message));
                    break 'run;
                }
                UiEvent::Signal(n) => {
                    ended = Some(Ended::Signal(n));
                    break 'run;
                }
                UiEvent::ScanDone(result) => {
                    app.scan_finished(*result);
                    Vec::new()
                }
            };
            for effect in effects {
                match effect {
                    Effect::Quit => break 'run,
                    Effect::Copy(text) => {
                        let mut out = io::stdout();
                        let _ = out.write_all(osc52(&text).as_bytes());
                        let _ = out.flush();
                    }
                    Effect::Export(what) => {
                        let written = match (what, &app.org) {
                            (app::Exported::Organization, Some(org)) => export_organization(org),
                            _ => export(&app.snapshot),
                        };
                        app.status = Some(match written {
                            Ok(p) => (format!("exported to {}", p.display()), false),
                            Err(e) => (e, true),
                        });
                    }
                    Effect::Rescan => start_scan(&mut app),
                }
            }
        }
        terminal.draw(|f| views::draw(&app, f))?;
    }
    stop.store(true, Ordering::Relaxed);
    Ok(ended.unwrap_or(match app.scan_failure.take() {
        Some(e) => Ended::ScanFailed(e),
        None => Ended::Quit,
    }))
}

#[cfg(test)]
mod tests {
    /// A scan task that panics is seen as a panic, with its message, not lost.
    #[tokio::test]
    async fn a_panicking_scan_task_reports_its_message() {
        let job = tokio::spawn(async { panic!("collector bug {}", 7) });
        let err = job.await.unwrap_err();
        assert!(err.is_panic());
        assert_eq!(super::panic_message(err.into_panic()), "collector bug 7");
        let job = tokio::spawn(async { std::panic::panic_any(3u8) });
        let err = job.await.unwrap_err();
        assert_eq!(
            super::panic_message(err.into_panic()),
            "a panic without a message"
        );
    }

    #[test]
    fn osc52_is_base64_of_the_text() {
        assert_eq!(super::osc52("hi"), "\x1b]52;c;aGk=\x07");
        assert_eq!(super::osc52("arn:aws"), "\x1b]52;c;YXJuOmF3cw==\x07");
    }
}
