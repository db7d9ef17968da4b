//! The bodies of the `cargo fuzz` targets in `fuzz/`, here so that `tests/fuzz_regressions.rs`
//! replays saved inputs through exactly what the fuzzer ran. Each panics only on a bug.

use std::path::Path;

use crate::assess::mute::{self, Muting};
use crate::export::{self, Format, Report};

/// Any bytes as a snapshot file: an error or a snapshot, and a snapshot that loads survives what
/// the commands do next (assess, every export, a diff against itself).
pub fn snapshot_load(data: &[u8]) {
    let Ok(mut snapshot) = crate::snapshot::from_slice(data, Path::new("fuzz.json")) else {
        return;
    };
    snapshot.assessment();
    let muting = Muting::default();
    let report = Report::new(&snapshot, &muting);
    for format in [Format::Json, Format::Ocsf, Format::Csv] {
        let _ = export::render(format, &report);
    }
    let _ = export::diff::diff(&snapshot, &snapshot);
}

/// Any bytes as a mute file: mutes, or an error on one line that names a line of the file.
pub fn mute_parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.matches('\n').count() + 1;
    match mute::parse(text) {
        Ok(mutes) => {
            for m in mutes {
                assert!((1..=lines).contains(&m.line), "line {} of {lines}", m.line);
                let _ = mute::glob_matches(&m.target.describe(), "arn:aws:lambda:x:1:function:f");
            }
        }
        Err(e) => {
            assert!((1..=lines).contains(&e.line), "{e} (of {lines} lines)");
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }
}
