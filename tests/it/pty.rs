//! The binary in a real pseudo-terminal, as an operator meets it: the README's first command with
//! no credentials offers the demo account, the explorer draws it, says so when the window shrinks
//! below its minimum, and gives the terminal back on the way out: alternate screen left, cursor
//! shown, and line mode (echo, canonical input) on again, which no `TestBackend` test can see.
//!
//! Nothing here is timed: every wait is for something the binary prints, with a generous deadline
//! that only a hung binary reaches.
#![cfg(target_os = "linux")]

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longer than any honest wait on a loaded 2-core machine; reached only when the binary hangs.
const DEADLINE: Duration = Duration::from_secs(90);

const ENTER_ALTERNATE_SCREEN: &str = "\x1b[?1049h";
const LEAVE_ALTERNATE_SCREEN: &str = "\x1b[?1049l";
const SHOW_CURSOR: &str = "\x1b[?25h";

/// A child process whose standard streams and controlling terminal are one pseudo-terminal.
struct Pty {
    master: File,
    /// Kept open so that the terminal's modes can be read after the child is gone.
    slave: OwnedFd,
    child: Child,
    output: Arc<Mutex<Vec<u8>>>,
}

fn window(rows: u16, cols: u16) -> libc::winsize {
    libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    }
}

impl Pty {
    /// Starts the binary with `args` in a `rows` x `cols` terminal, with no AWS credentials or
    /// configuration and nothing of this machine's environment. `None` when the machine has no
    /// pseudo-terminals to give.
    fn spawn(args: &[&str], rows: u16, cols: u16, dir: &Path) -> Option<Pty> {
        let (mut master, mut slave) = (-1, -1);
        let size = window(rows, cols);
        // SAFETY: openpty writes two descriptors into the locals; the name and termios pointers
        // may be null.
        let opened = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        if opened != 0 {
            let why = std::io::Error::last_os_error();
            // In CI a missing pty is a broken machine, not a pass.
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "no pseudo-terminal on this machine ({why}), and CI=true: the explorer's terminal handling is untested"
            );
            eprintln!("no pseudo-terminal on this machine ({why}): skipped");
            return None;
        }
        // SAFETY: both descriptors were just opened and are owned by nobody else.
        let (master, slave) = unsafe { (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let stream = || Stdio::from(slave.try_clone().expect("dup pty"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sprawl"));
        cmd.args(args)
            .env_clear()
            .env("TERM", "xterm-256color")
            .env("HOME", dir)
            .env("AWS_CONFIG_FILE", dir.join("aws-config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("aws-credentials"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .current_dir(dir)
            .stdin(stream())
            .stdout(stream())
            .stderr(stream());
        // SAFETY: setsid and ioctl are async-signal-safe; they make the pseudo-terminal the
        // child's controlling terminal, as a login shell's would be, so that it gets SIGWINCH.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("start sprawl");

        let output = Arc::new(Mutex::new(Vec::new()));
        let mut reader = master.try_clone().expect("dup master");
        let sink = output.clone();
        // The terminal's reader: without one the child would block once the buffer fills. It
        // ends with the test process (the slave stays open, so its read never sees the end).
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Some(Pty {
            master,
            slave,
            child,
            output,
        })
    }

    fn raw(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// Waits until the output holds `needle`, as written (`raw`) or as text on the screen
    /// (escape sequences and whitespace dropped on both sides: ratatui moves the cursor over
    /// blank cells rather than writing them).
    fn wait_for(&mut self, needle: &str, raw: bool) {
        let start = Instant::now();
        loop {
            let out = self.raw();
            let found = if raw {
                out.contains(needle)
            } else {
                screen_text(&out).contains(&squeeze(needle))
            };
            if found {
                return;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!(
                    "no {needle:?} after {DEADLINE:?}; the screen said:\n{}",
                    screen_text(&out)
                );
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // Gone: give the reader a moment to take what it wrote, then judge.
                std::thread::sleep(Duration::from_millis(200));
                let out = self.raw();
                assert!(
                    out.contains(needle) || screen_text(&out).contains(&squeeze(needle)),
                    "sprawl exited ({status}) without {needle:?}; it said:\n{}",
                    screen_text(&out)
                );
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, keys: &str) {
        self.master.write_all(keys.as_bytes()).expect("type");
    }

    /// Changes the window size as a terminal emulator does (the child gets SIGWINCH).
    fn resize(&mut self, rows: u16, cols: u16) {
        let size = window(rows, cols);
        // SAFETY: TIOCSWINSZ reads one winsize from the pointer.
        let done = unsafe { libc::ioctl(self.master.as_raw_fd(), libc::TIOCSWINSZ, &size) };
        assert_eq!(done, 0, "resize: {}", std::io::Error::last_os_error());
    }

    /// Waits for the child to exit.
    fn finish(mut self) -> Ended {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!(
                    "sprawl did not exit after {DEADLINE:?}; the screen said:\n{}",
                    screen_text(&self.raw())
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        // SAFETY: tcgetattr fills the zeroed termios from an open terminal descriptor.
        let mut modes: libc::termios = unsafe { std::mem::zeroed() };
        let read = unsafe { libc::tcgetattr(self.slave.as_raw_fd(), &mut modes) };
        assert_eq!(read, 0, "tcgetattr: {}", std::io::Error::last_os_error());
        // The reader takes what the child wrote last (the restoring sequences) very soon after.
        let until = Instant::now() + Duration::from_secs(5);
        while !self.raw().contains(LEAVE_ALTERNATE_SCREEN) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        Ended {
            status,
            line_mode: modes.c_lflag & (libc::ICANON | libc::ECHO) == (libc::ICANON | libc::ECHO),
            output: self.raw(),
        }
    }
}

/// How the child left: its exit status, the terminal's modes and all it wrote.
struct Ended {
    status: ExitStatus,
    line_mode: bool,
    output: String,
}

impl Ended {
    /// Exit 0, and the terminal as the shell had it: line mode on, the alternate screen left
    /// after it was entered, the cursor shown, no panic message.
    fn assert_clean_exit(&self) {
        assert!(
            self.status.success(),
            "{}: {}",
            self.status,
            screen_text(&self.output)
        );
        self.assert_terminal_restored();
    }

    /// The terminal as the shell had it, whatever the exit code.
    fn assert_terminal_restored(&self) {
        let out = &self.output;
        assert!(self.line_mode, "the terminal was left in raw mode");
        let entered = out
            .find(ENTER_ALTERNATE_SCREEN)
            .expect("explorer never opened");
        let left = out.rfind(LEAVE_ALTERNATE_SCREEN);
        assert!(
            left.is_some_and(|l| l > entered),
            "the alternate screen was not left"
        );
        assert!(
            out[entered..].contains(SHOW_CURSOR),
            "the cursor was not shown again"
        );
        assert!(!out.contains("panicked"), "{}", screen_text(out));
    }
}

/// The output without escape sequences (CSI, OSC, two-byte) and without whitespace.
fn screen_text(out: &str) -> String {
    let mut text = String::new();
    let mut chars = out.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            if !c.is_whitespace() {
                text.push(c);
            }
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if ('\x40'..='\x7e').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    text
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The README's first command, `cargo run`, on a machine with no AWS credentials: it says why it
/// cannot scan, offers the demo (Enter accepts), and the explorer opens on the demo account.
/// Shrinking the window below the minimum says so; `q` quits from there, and the terminal is
/// as it was.
#[test]
fn first_command_offers_the_demo_then_gives_the_terminal_back() {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut pty) = Pty::spawn(&[], 30, 110, dir.path()) else {
        return;
    };
    pty.wait_for("Open the built-in demo organization instead? [Y/n]", false);
    pty.send("\r");
    pty.wait_for(ENTER_ALTERNATE_SCREEN, true);
    // The demo organization: its accounts, the one not scanned among them.
    pty.wait_for("organization o-demo7x2k9q", false);
    pty.wait_for("555566667777", false);
    pty.wait_for("not scanned", false);

    pty.resize(8, 40);
    pty.wait_for("Terminal too small (40x8)", false);
    pty.send("q");
    pty.finish().assert_clean_exit();
}

/// A folder holding the demo organization's dev account (the demo account) saved as `demo.json`.
fn saved_demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let saved = Command::new(env!("CARGO_BIN_EXE_sprawl"))
        .args(["demo", "--account", "dev", "--save", "demo.json"])
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .output()
        .expect("run sprawl demo --save");
    assert!(saved.status.success(), "{saved:?}");
    dir
}

/// A saved snapshot opened in the explorer: Ctrl-C (a key in raw mode, not a signal) quits as
/// `q` does, with the terminal given back.
#[test]
fn ctrl_c_in_the_explorer_quits_cleanly() {
    let dir = saved_demo();
    let Some(mut pty) = Pty::spawn(&["open", "demo.json"], 30, 110, dir.path()) else {
        return;
    };
    pty.wait_for("111122223333", false);
    pty.send("\x03");
    pty.finish().assert_clean_exit();
}

/// SIGTERM and SIGHUP (a `kill`, a closed terminal window) end the explorer with the terminal
/// given back, and the shell's exit code for that signal: 128 + n.
#[test]
fn sigterm_and_sighup_give_the_terminal_back() {
    use std::os::unix::process::ExitStatusExt;
    let dir = saved_demo();
    for (signal, code) in [(libc::SIGTERM, 143), (libc::SIGHUP, 129)] {
        let Some(mut pty) = Pty::spawn(&["open", "demo.json"], 30, 110, dir.path()) else {
            return;
        };
        pty.wait_for("111122223333", false);
        // SAFETY: kill sends a signal to the child's pid, which is alive (it just drew).
        let sent = unsafe { libc::kill(pty.child.id() as libc::pid_t, signal) };
        assert_eq!(sent, 0);
        let ended = pty.finish();
        assert_eq!(
            ended.status.code(),
            Some(code),
            "signal {signal}: {:?} (killed by {:?})",
            ended.status,
            ended.status.signal()
        );
        ended.assert_terminal_restored();
    }
}
