//! Standard output for the commands' reports.
//!
//! `println!` panics when stdout is a pipe whose reader has gone (`sprawl summary FILE | head`).
//! Here a reader that went away just ends the output: the command carries on and its exit code
//! still says what happened (a CI gate piped into `head` must not turn a failure into a pass).
//! Any other write error (a full disk) is said once, on stderr, and the command exits 2.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);
static FAILED: AtomicBool = AtomicBool::new(false);

/// True when a write failed for another reason than a reader that left: the command exits 2.
pub fn failed() -> bool {
    FAILED.load(Ordering::Relaxed)
}

/// Writes a report's text with every control character but newline and tab removed: names,
/// tags and messages come from an account or a file, and an escape sequence in one must not
/// reach the terminal.
pub fn write(args: fmt::Arguments) {
    let text = fmt::format(args);
    let text = crate::model::printable(&text);
    send(|out| out.write_all(text.as_bytes()));
}

/// Bytes as they are (an export).
pub fn write_all(bytes: &[u8]) {
    send(|out| out.write_all(bytes));
}

fn send(put: impl FnOnce(&mut io::StdoutLock) -> io::Result<()>) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = io::stdout().lock();
    if let Err(e) = put(&mut stdout).and_then(|()| stdout.flush()) {
        CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != io::ErrorKind::BrokenPipe {
            FAILED.store(true, Ordering::Relaxed);
            eprintln!("sprawl: cannot write the report to standard output: {e}");
        }
    }
}

/// `print!` that survives a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::write(format_args!($($arg)*)) };
}

/// `println!` that survives a closed pipe.
macro_rules! outln {
    () => { $crate::cli::output::write(format_args!("\n")) };
    ($($arg:tt)*) => {{
        $crate::cli::output::write(format_args!($($arg)*));
        $crate::cli::output::write(format_args!("\n"));
    }};
}

pub(crate) use {out, outln};
