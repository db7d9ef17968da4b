//! What a deployment package or a layer runs, read from its zip without unpacking it to disk: the
//! packages it carries (an SBOM, each with where it was found), and the code in it that names
//! no package (a bundled script, a binary), which is "not readable", never clean.
//!
//! Pure: bytes in, derived facts out. No network, no AWS, and nothing of the code is kept but
//! what was derived from it. A zip is read entry by entry within [`Limits`]: its declared size
//! and entry count are checked before anything is inflated, an entry whose path leaves the
//! package is refused, and no manifest is read past its cap, whatever it declares.

use std::io::{Read, Seek};

use sprawl_redact::FingerprintKey;

pub use sprawl_model::code::{CodeAudit, Ecosystem, Package, SecretHit, Unreadable};

mod node;
pub mod osv;
mod python;
pub mod secrets;
pub mod versions;

/// The bounds a package is read within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most the entries may declare, uncompressed, in all: Lambda's own limit for a
    /// function with its layers is 250 MB unzipped.
    pub total_bytes: u64,
    /// The most entries a package may have.
    pub entries: usize,
    /// The most of one file that is read: a manifest (a METADATA, a package.json, a lockfile),
    /// or a file searched for secrets (a larger one is said to be unsearched).
    pub manifest_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            total_bytes: 262_144_000,
            entries: 100_000,
            manifest_bytes: 8 * 1024 * 1024,
        }
    }
}

/// A package of `ecosystem`, with its package URL (PEP 503 names for PyPI).
pub fn package(ecosystem: Ecosystem, name: &str, version: &str, path: &str) -> Package {
    let purl = match ecosystem {
        Ecosystem::PyPI => format!("pkg:pypi/{}@{version}", python::normalized(name)),
        Ecosystem::Npm => format!("pkg:npm/{}@{version}", name.replacen('@', "%40", 1)),
    };
    Package {
        ecosystem,
        name: name.to_string(),
        version: version.to_string(),
        purl,
        path: path.to_string(),
    }
}

/// Why a package could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("not a zip archive: {0}")]
    NotAZip(String),
    #[error("its entries declare {declared} bytes unzipped, over the {limit} read")]
    TooLarge { declared: u64, limit: u64 },
    #[error("it has {count} entries, over the {limit} read")]
    TooManyEntries { count: usize, limit: usize },
    #[error("an entry's path leaves the package: {0}")]
    UnsafePath(String),
    #[error("entry {path} could not be read: {why}")]
    Entry { path: String, why: String },
}

/// One entry's name and what it declares, before anything is inflated.
struct Entry {
    index: usize,
    name: String,
    size: u64,
}

/// Reads the package in `zip` within `limits`: its packages, and the secrets in its files,
/// fingerprinted with `key`.
pub fn audit<R: Read + Seek>(
    zip: R,
    limits: &Limits,
    key: &FingerprintKey,
) -> Result<CodeAudit, CodeError> {
    let mut archive = zip::ZipArchive::new(zip).map_err(|e| CodeError::NotAZip(e.to_string()))?;
    if archive.len() > limits.entries {
        return Err(CodeError::TooManyEntries {
            count: archive.len(),
            limit: limits.entries,
        });
    }
    let mut entries = Vec::with_capacity(archive.len());
    let mut declared: u64 = 0;
    for index in 0..archive.len() {
        let raw = archive
            .by_index_raw(index)
            .map_err(|e| CodeError::NotAZip(e.to_string()))?;
        let name = raw
            .name()
            .map_err(|e| CodeError::NotAZip(e.to_string()))?
            .to_string();
        if raw.enclosed_name().is_none() {
            return Err(CodeError::UnsafePath(name));
        }
        declared = declared.saturating_add(raw.size());
        if !raw.is_dir() {
            entries.push(Entry {
                index,
                name,
                size: raw.size(),
            });
        }
    }
    if declared > limits.total_bytes {
        return Err(CodeError::TooLarge {
            declared,
            limit: limits.total_bytes,
        });
    }
    let mut audit = CodeAudit::default();
    let mut found = Vec::new();
    let mut recorded = std::collections::HashSet::new();
    let mut hits = Vec::new();
    let scanner = secrets::Scanner::new();
    let cap = limits.manifest_bytes;
    // Each entry is inflated once: its manifest read, and its text searched for secrets.
    for entry in &entries {
        let manifest = Manifest::of(&entry.name);
        if entry.size > cap {
            audit.unsearched.push(Unreadable {
                path: entry.name.clone(),
                why: format!("{} bytes, over the {cap} searched", entry.size),
            });
            if manifest.is_some_and(|m| m != Manifest::Record) {
                audit.unreadable.push(Unreadable {
                    path: entry.name.clone(),
                    why: format!("a manifest of {} bytes, over the {cap} read", entry.size),
                });
            }
            continue;
        }
        let bytes = bytes(&mut archive, entry, cap)?;
        let text = String::from_utf8_lossy(&bytes);
        match manifest {
            Some(Manifest::Python) => found.extend(python::metadata(&text, &entry.name)),
            Some(Manifest::Lockfile) => match node::lockfile(&text, &entry.name) {
                Ok(packages) => found.extend(packages),
                Err(why) => audit.unreadable.push(Unreadable {
                    path: entry.name.clone(),
                    why,
                }),
            },
            Some(Manifest::Installed) => found.extend(node::manifest(&text, &entry.name)),
            Some(Manifest::Record) => recorded.extend(secrets::recorded(&entry.name, &text)),
            None => {}
        }
        if !secrets::is_binary(&bytes) {
            hits.extend(scanner.scan(&entry.name, &text, key));
        }
    }
    audit.unreadable.extend(blind(&entries));
    audit.secrets = secrets::settle(hits, &recorded);
    audit.secrets.sort();
    let mut seen = std::collections::HashSet::new();
    found.retain(|p| seen.insert((p.ecosystem, p.name.clone(), p.version.clone())));
    found.sort_by(|a, b| (a.ecosystem, &a.purl).cmp(&(b.ecosystem, &b.purl)));
    audit.packages = found;
    audit.unreadable.sort();
    Ok(audit)
}

/// What an entry is to the audit, by its path: a manifest that names packages, or a Python
/// distribution's RECORD (which names its files: a dependency's, not the function's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Manifest {
    Python,
    Lockfile,
    Installed,
    Record,
}

impl Manifest {
    fn of(path: &str) -> Option<Manifest> {
        if python::is_metadata(path) {
            Some(Manifest::Python)
        } else if node::is_lockfile(path) {
            Some(Manifest::Lockfile)
        } else if node::is_installed_manifest(path) {
            Some(Manifest::Installed)
        } else if path.ends_with(".dist-info/RECORD") {
            Some(Manifest::Record)
        } else {
            None
        }
    }
}

/// An entry's bytes, read no further than `cap`, whatever it declares.
fn bytes<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    entry: &Entry,
    cap: u64,
) -> Result<Vec<u8>, CodeError> {
    let failed = |why: String| CodeError::Entry {
        path: entry.name.clone(),
        why,
    };
    let file = archive
        .by_index(entry.index)
        .map_err(|e| failed(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| failed(e.to_string()))?;
    if bytes.len() as u64 > cap {
        return Err(failed(format!("it inflates past the {cap} bytes read")));
    }
    Ok(bytes)
}

/// The code that names no package: JavaScript outside `node_modules` in a package with no
/// package manifest at all (a bundle carries its dependencies inlined), and the `bootstrap` of
/// a custom runtime (a binary: its build information is not read yet). Also the manifests of
/// ecosystems not read yet, so that their packages are never taken for none.
fn blind(entries: &[Entry]) -> Vec<Unreadable> {
    let mut out = Vec::new();
    let node_manifest = entries
        .iter()
        .any(|e| node::is_lockfile(&e.name) || e.name.ends_with("package.json"));
    let bundle = entries.iter().find(|e| {
        !e.name.contains("node_modules/")
            && [".js", ".mjs", ".cjs"].iter().any(|x| e.name.ends_with(x))
    });
    if let Some(b) = bundle.filter(|_| !node_manifest) {
        out.push(Unreadable {
            path: b.name.clone(),
            why: "JavaScript with no package.json or lockfile beside it (a bundle names none of \
                  the packages it inlines)"
                .into(),
        });
    }
    for e in entries {
        let file = e.name.rsplit('/').next().unwrap_or(&e.name);
        let why = match file {
            "bootstrap" => {
                "a custom runtime's bootstrap (Go and Rust build information is not read yet)"
            }
            _ if file.ends_with(".jar") => "a Java archive (Maven metadata is not read yet)",
            _ if file.ends_with(".deps.json") => ".NET dependencies (not read yet)",
            "Gemfile.lock" => "Ruby gems (not read yet)",
            _ => continue,
        };
        out.push(Unreadable {
            path: e.name.clone(),
            why: why.into(),
        });
    }
    out
}

#[cfg(test)]
mod tests;
