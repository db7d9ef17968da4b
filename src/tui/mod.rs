//! The interactive explorer (ratatui + crossterm).
//!
//! Background work (a scan) runs on tokio and reports through a channel; terminal input comes
//! from a thread. The loop waits for one event, drains every pending one, applies them to the
//! [`App`](app::App) (plain state, testable without a terminal), performs the effects it asks
//! for, and draws once. The terminal is restored on every exit, panics included
//! (`ratatui::try_init` installs the panic hook; a guard restores on return).

pub mod app;
pub mod detail;
pub mod overview;
pub mod query;
pub mod rows;
pub mod scan;
pub mod table;
pub mod theme;
pub mod views;

use std::future::Future;
use std::io::{self, Write};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::collect::progress::ProgressEvent;
use crate::snapshot::{self, Snapshot};
use app::{App, Effect};

/// Runs a scan, reporting progress on the sender; returns the (saved) snapshot or one line of
/// error.
pub type Scanner = Arc<
    dyn Fn(
            UnboundedSender<ProgressEvent>,
        ) -> Pin<Box<dyn Future<Output = Result<Snapshot, String>> + Send>>
        + Send
        + Sync,
>;

enum UiEvent {
    Term(Event),
    Progress(ProgressEvent),
    ScanDone(Box<Result<Snapshot, String>>),
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
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Where `e` writes: the snapshot's default name in the current directory.
pub fn export(snapshot: &Snapshot) -> Result<PathBuf, String> {
    let path = PathBuf::from(snapshot.default_file_name());
    snapshot::save(snapshot, &path).map_err(|e| e.to_string())?;
    Ok(path)
}

/// Runs the explorer until the operator quits. With a scanner, `scan_now` starts a scan at once
/// (the app then shows its progress) and `r` rescans. Returns the error of the last scan when
/// the operator quit after a scan that failed (the caller exits non-zero with it).
pub async fn run(
    mut app: App,
    scanner: Option<Scanner>,
    scan_now: bool,
) -> io::Result<Option<String>> {
    let mut failed: Option<String> = None;
    let mut terminal = ratatui::try_init()?;
    let _restore = Restore { mouse: app.mouse };
    if app.mouse {
        crossterm::execute!(io::stdout(), event::EnableMouseCapture)?;
    }
    app.can_rescan = scanner.is_some();
    let (tx, mut rx) = unbounded_channel::<UiEvent>();
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
            app.scan = Some(scan::ScanView::default());
            app.stack = vec![app::Place {
                screen: app::Screen::Scan,
                cursor: 0,
            }];
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
            let job = scanner(ptx);
            tokio::spawn(async move {
                let result = job.await;
                let _ = done.send(UiEvent::ScanDone(Box::new(result)));
            });
        }
    };
    if scan_now {
        start_scan(&mut app);
    }
    terminal.draw(|f| views::draw(&mut app, f))?;
    'run: while let Some(first) = rx.recv().await {
        let mut pending = vec![first];
        while let Ok(more) = rx.try_recv() {
            pending.push(more);
        }
        for ev in pending {
            let effects = match ev {
                UiEvent::Term(e) => app.handle(&e),
                UiEvent::Progress(p) => {
                    if let Some(s) = &mut app.scan {
                        s.apply(&p);
                    }
                    Vec::new()
                }
                UiEvent::ScanDone(result) => match *result {
                    Ok(snapshot) => {
                        failed = None;
                        app.load(snapshot);
                        Vec::new()
                    }
                    Err(e) => {
                        failed = Some(e.clone());
                        if let Some(s) = &mut app.scan {
                            s.error = Some(e.clone());
                        }
                        app.status = Some((format!("scan failed: {e}"), true));
                        Vec::new()
                    }
                },
            };
            for effect in effects {
                match effect {
                    Effect::Quit => break 'run,
                    Effect::Copy(text) => {
                        let mut out = io::stdout();
                        let _ = out.write_all(osc52(&text).as_bytes());
                        let _ = out.flush();
                    }
                    Effect::Export => {
                        app.status = Some(match export(&app.snapshot) {
                            Ok(p) => (format!("exported to {}", p.display()), false),
                            Err(e) => (e, true),
                        });
                    }
                    Effect::Rescan => start_scan(&mut app),
                }
            }
        }
        terminal.draw(|f| views::draw(&mut app, f))?;
    }
    stop.store(true, Ordering::Relaxed);
    Ok(failed)
}

#[cfg(test)]
mod tests {
    #[test]
    fn osc52_is_base64_of_the_text() {
        assert_eq!(super::osc52("hi"), "\x1b]52;c;aGk=\x07");
        assert_eq!(super::base64(b"arn:aws"), "YXJuOmF3cw==");
        assert_eq!(super::base64(b"abc"), "YWJj");
    }
}
