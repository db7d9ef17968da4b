//! Inputs the fuzz targets (`fuzz/`, docs/development.md, "Fuzzing") found or that guard their edges, replayed
//! through the same bodies (`sprawl::fuzzing`): every file under `fuzz/regressions/TARGET/`, and
//! the seeds the fuzzer starts from.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["regressions", "seeds"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{} panics", path.display());
            n += 1;
        }
    }
    n
}

#[test]
fn saved_snapshot_inputs_do_not_panic() {
    assert!(replay("snapshot_load", sprawl::fuzzing::snapshot_load) > 0);
}

#[test]
fn saved_mute_file_inputs_do_not_panic() {
    assert!(replay("mute_parse", sprawl::fuzzing::mute_parse) > 0);
}

#[test]
fn saved_policy_documents_do_not_panic() {
    assert!(replay("policy_parse", sprawl::fuzzing::policy_parse) > 0);
}

#[test]
fn saved_variables_are_redacted_without_a_preview_under_credential_names() {
    assert!(replay("redact", sprawl::fuzzing::redact) > 0);
}

#[test]
fn saved_filters_do_not_panic() {
    assert!(replay("query", sprawl::fuzzing::query) > 0);
}

#[test]
fn saved_theme_files_do_not_panic() {
    assert!(replay("theme", sprawl::fuzzing::theme) > 0);
}
