//! Node: `package-lock.json` (lockfile versions 2 and 3, whose `packages` name every installed
//! package by its path) and the `package.json` of each installed package under `node_modules/`
//! (a layer puts them under `nodejs/node_modules/`).

use crate::{Ecosystem, Package};

pub(crate) fn is_lockfile(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    file == "package-lock.json" && !path.contains("node_modules/")
}

/// Whether an entry is the manifest of an installed package: `node_modules/NAME/package.json`
/// or `node_modules/@SCOPE/NAME/package.json` (at any depth of `node_modules`).
pub(crate) fn is_installed_manifest(path: &str) -> bool {
    let Some(dir) = path.strip_suffix("/package.json") else {
        return false;
    };
    let Some((_, package)) = dir.rsplit_once("node_modules/") else {
        return false;
    };
    match package.split('/').collect::<Vec<_>>().as_slice() {
        [name] => !name.is_empty(),
        [scope, name] => scope.starts_with('@') && !name.is_empty(),
        _ => false,
    }
}

/// The package an installed `package.json` names.
pub(crate) fn manifest(text: &str, path: &str) -> Option<Package> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let name = v.get("name")?.as_str()?;
    let version = v.get("version")?.as_str()?;
    Some(crate::package(Ecosystem::Npm, name, version, path))
}

/// The packages a lockfile of version 2 or 3 installs (its `packages`, by path; the root, `""`,
/// is the function itself). Version 1 names them another way, not read yet: said, not taken
/// for none.
pub(crate) fn lockfile(text: &str, path: &str) -> Result<Vec<Package>, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let Some(packages) = v.get("packages").and_then(|p| p.as_object()) else {
        let version = v
            .get("lockfileVersion")
            .and_then(|l| l.as_u64())
            .unwrap_or(1);
        return Err(format!(
            "a lockfile of version {version}, which is not read yet"
        ));
    };
    Ok(packages
        .iter()
        .filter_map(|(at, p)| {
            let (_, tail) = at.rsplit_once("node_modules/")?;
            // A linked workspace package is the project's own code.
            if p.get("link").and_then(|l| l.as_bool()) == Some(true) {
                return None;
            }
            let name = p.get("name").and_then(|n| n.as_str()).unwrap_or(tail);
            let version = p.get("version")?.as_str()?;
            Some(crate::package(Ecosystem::Npm, name, version, path))
        })
        .collect())
}
