//! Python: the installed distributions' metadata (`NAME-VERSION.dist-info/METADATA`, or an egg's
//! `PKG-INFO`), wherever the package puts them (a function's root, a layer's `python/` or
//! `python/lib/python3.x/site-packages/`).

use crate::{Ecosystem, Package};

/// Whether an entry is an installed distribution's metadata.
pub(crate) fn is_metadata(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let (file, dir) = (parts.next(), parts.next());
    matches!(
        (file, dir),
        (Some("METADATA"), Some(d)) if d.ends_with(".dist-info")
    ) || matches!((file, dir), (Some("PKG-INFO"), Some(d)) if d.ends_with(".egg-info"))
}

/// The distribution a METADATA (or PKG-INFO) names: its `Name` and `Version` headers, read up
/// to the first blank line (the description follows it).
pub(crate) fn metadata(text: &str, path: &str) -> Option<Package> {
    let (mut name, mut version) = (None, None);
    for line in text.lines().take_while(|l| !l.trim().is_empty()) {
        if let Some(v) = line.strip_prefix("Name:") {
            name = Some(v.trim());
        } else if let Some(v) = line.strip_prefix("Version:") {
            version = Some(v.trim());
        }
    }
    let (name, version) = (
        name.filter(|n| !n.is_empty())?,
        version.filter(|v| !v.is_empty())?,
    );
    Some(crate::package(Ecosystem::PyPI, name, version, path))
}

/// A distribution's name as PEP 503 compares it: lowercase, each run of `-`, `_` and `.` one
/// `-`.
pub(crate) fn normalized(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !run {
                out.push('-');
            }
            run = true;
        } else {
            out.extend(c.to_lowercase());
            run = false;
        }
    }
    out
}
