//! What a deployment package or layer runs, as `scan --code` derived it from the code (sprawl-code
//! reads the zip; nothing of the code itself is kept): its packages, the code in it that names no
//! package, and the secrets written into its files, by fingerprint only.

use serde::{Deserialize, Serialize};

/// Why a function's code is not in a scan made without `--code`.
pub const NO_CODE: &str = "code not read (it is read only when asked): scan with --code";

/// A function's code, not asked for ([`NO_CODE`]).
pub fn not_asked<T>() -> crate::Detail<T> {
    crate::Detail::skipped(NO_CODE)
}

/// Whether a function's code was not asked for (and so is not written).
pub fn is_not_asked<T>(d: &crate::Detail<T>) -> bool {
    matches!(d, crate::Detail::Skipped { reason } if reason == NO_CODE)
}

/// A package ecosystem, as OSV names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Ecosystem {
    PyPI,
    #[serde(rename = "npm")]
    Npm,
}

/// One package a deployment package carries.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Package {
    pub ecosystem: Ecosystem,
    /// As its manifest writes it.
    pub name: String,
    pub version: String,
    /// Its package URL (`pkg:pypi/pyyaml@5.3.1`, `pkg:npm/%40aws-sdk/client-s3@3.600.0`).
    pub purl: String,
    /// The entry it was read from (`python/PyYAML-5.3.1.dist-info/METADATA`).
    pub path: String,
}

/// Code whose packages cannot be read, and why: it is not known to be clean.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unreadable {
    pub path: String,
    pub why: String,
}

/// What a deployment package or layer runs, as far as it says: derived from its zip by
/// sprawl-code (`scan --code`, `audit-package`), never any of its code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeAudit {
    /// Each package once (by ecosystem, name and version), at the first entry that names it,
    /// in the order of their package URLs.
    pub packages: Vec<Package>,
    pub unreadable: Vec<Unreadable>,
    /// The secrets written into its files: where, by which rule, and a keyed fingerprint.
    pub secrets: Vec<SecretHit>,
    /// The files not searched for secrets, and why (too large): not known to hold none.
    pub unsearched: Vec<Unreadable>,
}

/// One secret found in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SecretHit {
    /// The rule that found it (`aws-access-key-id`, `private-key`, ...).
    pub rule: String,
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// The keyed fingerprint of the value: the same secret in two places has the same one.
    pub fingerprint: String,
    /// In a dependency's files rather than the function's own.
    pub vendored: bool,
}

/// Which data judged a snapshot: recorded beside its findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The ecosystems read, as OSV names them.
    pub ecosystems: Vec<String>,
    /// The ecosystems asked about whose dump is not in the directory (their packages are not
    /// judged), with the path looked for.
    pub missing: Vec<(String, String)>,
    /// Advisories read in all (every entry of the dumps).
    pub advisories: usize,
    /// The newest `modified` among them: how current the data is.
    pub newest: Option<String>,
}

/// The known advisories of the packages read, as a vulnerability database (OSV's data, given with
/// `--vuln-db`) judged them: kept with the snapshot so its rules need no database, and judged
/// again by a newer one (`sprawl assess --vuln-db`) without reading any code again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advisories {
    pub database: Provenance,
    /// By package URL: the advisories that hold for its version (empty: judged, none known). A
    /// package of an ecosystem the database does not hold is not here: not judged.
    pub by_purl: std::collections::BTreeMap<String, Vec<Advisory>>,
}

impl Advisories {
    /// Whether the database judged packages of `ecosystem`.
    pub fn judges(&self, ecosystem: Ecosystem) -> bool {
        self.database
            .ecosystems
            .iter()
            .any(|e| e == ecosystem.osv_name())
    }
}

/// One advisory that holds for a package's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advisory {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub summary: String,
    /// `critical` to `low` (`none`), from the database's word or the CVSS vector; absent when it
    /// gives neither.
    pub rating: Option<String>,
    /// The first version that fixes it, after the one run.
    pub fixed: Option<String>,
    /// A malicious package (OSV's `MAL-` entries).
    pub malicious: bool,
}

impl Ecosystem {
    /// Its name as OSV writes it (`PyPI`, `npm`): its dump's directory, an advisory's ecosystem.
    pub fn osv_name(self) -> &'static str {
        match self {
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Npm => "npm",
        }
    }
}
