//! The bodies of the `cargo fuzz` targets in `fuzz/`, here so that `tests/it/fuzz_regressions.rs`
//! replays saved inputs through exactly what the fuzzer ran. Each panics only on a bug.

use std::path::Path;

use crate::assess::mute::{self, Muting};
use crate::export::{self, Format, Report};

/// Any bytes as a snapshot file: an error or a snapshot, and a snapshot that loads survives what
/// the commands do next (assessed again with this build's rules, as `assess`, `diff` and
/// `open --since` do, every export, a diff against itself).
pub fn snapshot_load(data: &[u8]) {
    organization_load(data);
    let Ok(mut snapshot) = crate::snapshot::from_slice(data, Path::new("fuzz.json")) else {
        return;
    };
    let as_of = snapshot.scanned_at;
    snapshot.reassess(as_of);
    let muting = Muting::default();
    let report = Report::new(&snapshot, &muting);
    for format in [Format::Json, Format::Ocsf, Format::Csv] {
        let _ = export::render(format, &report);
    }
    let _ = export::diff::diff(&snapshot, &snapshot);
}

/// The same bytes as an organization's snapshot: its header checked, then every account's part
/// read from where the header says it lies (an error or a snapshot, never a panic).
fn organization_load(data: &[u8]) {
    let path = Path::new("fuzz.json");
    let Ok((header, parts_at)) = crate::snapshot::org::header_of(data, data.len() as u64, path)
    else {
        return;
    };
    for a in &header.accounts {
        if let Some(p) = a.part {
            let start = (parts_at + p.offset) as usize;
            let part = &data[start..start + p.length as usize];
            let _ = crate::snapshot::from_slice(part, path);
        }
    }
    let _ =
        crate::cli::summary::render_organization(&header, crate::cli::summary::Source::File(path));
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
                let _ = crate::iam::wildcard::matches(
                    &m.target.describe(),
                    "arn:aws:lambda:x:1:function:f",
                    true,
                );
            }
        }
        Err(e) => {
            assert!((1..=lines).contains(&e.line), "{e} (of {lines} lines)");
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }
}

/// A function and its role from the demo account, made once: the frame the policy target puts
/// its documents into.
fn policy_frame() -> &'static (crate::model::Function, crate::model::Role) {
    static FRAME: std::sync::OnceLock<(crate::model::Function, crate::model::Role)> =
        std::sync::OnceLock::new();
    FRAME.get_or_init(|| {
        let demo = crate::demo::snapshot();
        let f = demo.inventory.functions[0].clone();
        let role = demo
            .inventory
            .roles
            .iter()
            .find(|r| r.arn == f.role_arn)
            .cloned()
            .unwrap_or_else(|| demo.inventory.roles[0].clone());
        (f, role)
    })
}

/// Any bytes as an IAM policy document, read where sprawl reads one: a role's inline policy,
/// its trust policy and a function's resource policy, then the whole assessment (access levels,
/// escalation paths, principals, reachability, scores).
pub fn policy_parse(data: &[u8]) {
    let Ok(doc) = serde_json::from_slice::<crate::model::PolicyDocument>(data) else {
        return;
    };
    let _ = crate::iam::policy::Policy::from_document(&doc);
    let (f, role) = policy_frame();
    let mut f = f.clone();
    let mut role = role.clone();
    f.role_arn = role.arn.clone();
    f.policy = crate::model::Detail::collected(Some(doc.clone()));
    role.trust_policy = Some(doc.clone());
    role.inline_policies = vec![crate::model::InlinePolicy {
        name: "fuzz".into(),
        document: doc,
    }];
    let inventory = crate::model::Inventory {
        functions: vec![f],
        roles: vec![role],
        ..Default::default()
    };
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-30T00:00:00Z")
        .expect("a fixed date")
        .with_timezone(&chrono::Utc);
    let _ = crate::assess::assess(&inventory, &Default::default(), "111122223333", now);
}

/// Any bytes as a variable's name and value (split at the first NUL or `=`): redaction never
/// panics, and a value under a credential-like name is never previewed, nor any URL's path,
/// query or user info.
pub fn redact(data: &[u8]) {
    use crate::collect::redact::{FingerprintKey, NameClass, redact};
    let text = String::from_utf8_lossy(data);
    let (name, value) = text
        .split_once(['\0', '='])
        .unwrap_or(("SECRET", text.as_ref()));
    let key = FingerprintKey::from_bytes([9; 32]);
    let out = redact(&key, name, value);
    if NameClass::of(name) != NameClass::Plain {
        assert!(out.preview.is_none(), "{name}: previewed {:?}", out.preview);
    }
    if out.kind.is_secret() {
        assert!(out.preview.is_none(), "{name}: a secret previewed");
    }
    if out.kind == crate::model::ValueKind::Url
        && let Some(p) = &out.preview
    {
        let rest = p.split_once("://").map_or("", |(_, r)| r);
        assert!(
            !rest.contains(['?', '#', '@']) && !rest.trim_end_matches("/…").contains('/'),
            "{name}: URL preview {p:?}"
        );
    }
    assert!(out.fingerprint.starts_with("hmac:"));
    let shown = out.preview.as_deref().unwrap_or("");
    assert!(
        !shown.contains(char::is_control),
        "{name}: control characters shown"
    );
}

/// The explorer's rows of the demo account, made once per thread for the query target.
fn demo_rows() -> std::rc::Rc<Vec<crate::tui::rows::FunctionRow>> {
    thread_local! {
        static ROWS: std::rc::Rc<Vec<crate::tui::rows::FunctionRow>> = {
            // Built here, not taken from a new `App`, whose rows come from a thread later.
            let snap = crate::demo::snapshot();
            let marks = crate::tui::marks::Marks::default();
            let tag = crate::tui::rows::AccountTag::of(&snap);
            let rows = crate::tui::rows::Rows::build(&snap, &snap.assessment, &marks, &tag);
            assert!(!rows.functions.is_empty(), "the demo has functions");
            std::rc::Rc::new(rows.functions)
        };
    }
    ROWS.with(|r| r.clone())
}

/// Any text as the explorer's filter: it parses, and matches every row of the demo account
/// without a panic.
pub fn query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let q = crate::tui::query::Query::parse(&text);
    for row in demo_rows().iter() {
        let _ = q.matches(row);
    }
}

/// Any text as a theme file: a theme, or an error on one line.
pub fn theme(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match crate::tui::theme::Theme::from_toml(text, "fuzz.toml") {
        Ok(theme) => {
            let _ = theme.without_colour();
        }
        Err(e) => assert!(!e.to_string().contains('\n'), "{e}"),
    }
}
