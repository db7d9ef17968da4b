//! OSV's advisories, read offline from the dumps OSV publishes per ecosystem
//! (`DIR/<Ecosystem>/all.zip`, one advisory per JSON entry: the layout osv-scanner's offline mode
//! keeps, so a copy a user already has will do), and matched against packages in each
//! ecosystem's own version order ([`crate::versions`]).
//!
//! Only the advisories of the packages asked about are kept: npm's dump holds hundreds of
//! thousands. An ecosystem whose dump is missing is said (its packages are not judged), never
//! taken for "no advisory".

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::versions::compare;
use crate::{Ecosystem, Package};

/// The most one advisory's JSON may take: the largest are a few hundred kilobytes.
const ADVISORY_BYTES: u64 = 4 * 1024 * 1024;

/// The advisories of some packages, and what judged them.
#[derive(Debug, Default)]
pub struct Database {
    advisories: HashMap<(Ecosystem, String), Vec<Advisory>>,
    pub provenance: Provenance,
}

pub use sprawl_model::code::Provenance;

/// Why the database could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{path}: {why}")]
    Unreadable { path: PathBuf, why: String },
}

/// One advisory, as much of OSV's schema as matching and reporting need.
#[derive(Debug, Clone, Deserialize)]
pub struct Advisory {
    pub id: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub modified: String,
    #[serde(default)]
    severity: Vec<Score>,
    #[serde(default)]
    database_specific: Option<serde_json::Value>,
    #[serde(default)]
    affected: Vec<Affected>,
}

#[derive(Debug, Clone, Deserialize)]
struct Score {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    score: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Affected {
    package: AffectedPackage,
    #[serde(default)]
    versions: Vec<String>,
    #[serde(default)]
    ranges: Vec<Range>,
}

#[derive(Debug, Clone, Deserialize)]
struct AffectedPackage {
    #[serde(default)]
    ecosystem: String,
    #[serde(default)]
    name: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Range {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    events: Vec<Event>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Event {
    introduced: Option<String>,
    fixed: Option<String>,
    last_affected: Option<String>,
}

/// An advisory that holds for a package's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    pub id: String,
    pub aliases: Vec<String>,
    pub summary: String,
    /// Its CVSS vector, when it gives one.
    pub cvss: Option<String>,
    /// Its database's own word (GitHub's `LOW` to `CRITICAL`), when it gives one.
    #[serde(rename = "database_severity")]
    pub severity: Option<String>,
    /// The first version that fixes it, after this one.
    pub fixed: Option<String>,
    /// A malicious package (OSV's `MAL-` entries): critical wherever it runs.
    pub malicious: bool,
}

impl Match {
    /// How severe it is, `critical` to `low` (`none` for a score of 0): a malicious package is
    /// critical; otherwise its database's own word, or else its CVSS vector's base score
    /// (CVSS 2, 3.x or 4). `None` when it gives neither.
    pub fn rating(&self) -> Option<&'static str> {
        if self.malicious {
            return Some("critical");
        }
        let word = self.severity.as_deref().and_then(|w| {
            Some(match w.to_ascii_uppercase().as_str() {
                "CRITICAL" => "critical",
                "HIGH" => "high",
                "MODERATE" | "MEDIUM" => "medium",
                "LOW" => "low",
                _ => return None,
            })
        });
        word.or_else(|| {
            let vector: cvss::Cvss = self.cvss.as_deref()?.parse().ok()?;
            Some(match vector.severity() {
                cvss::Severity::Critical => "critical",
                cvss::Severity::High => "high",
                cvss::Severity::Medium => "medium",
                cvss::Severity::Low => "low",
                cvss::Severity::None => "none",
            })
        })
    }
}

/// OSV's name for an ecosystem (its dump's directory).
pub fn osv_name(e: Ecosystem) -> &'static str {
    e.osv_name()
}

/// How an ecosystem compares package names: PyPI by PEP 503, npm exactly.
fn key(e: Ecosystem, name: &str) -> String {
    match e {
        Ecosystem::PyPI => crate::python::normalized(name),
        Ecosystem::Npm => name.to_string(),
    }
}

/// Reads, from `dir`, the advisories of the packages `wanted` (each ecosystem's dump once).
pub fn load(dir: &Path, wanted: &[Package]) -> Result<Database, DbError> {
    let mut db = Database::default();
    let ecosystems: BTreeSet<Ecosystem> = wanted.iter().map(|p| p.ecosystem).collect();
    for e in ecosystems {
        let names: BTreeSet<String> = wanted
            .iter()
            .filter(|p| p.ecosystem == e)
            .map(|p| key(e, &p.name))
            .collect();
        let path = dir.join(osv_name(e)).join("all.zip");
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let shown = path.display().to_string();
                db.provenance.missing.push((osv_name(e).into(), shown));
                continue;
            }
            Err(err) => {
                return Err(DbError::Unreadable {
                    path,
                    why: err.to_string(),
                });
            }
        };
        read_dump(&mut db, e, &names, file).map_err(|why| DbError::Unreadable {
            path: path.clone(),
            why,
        })?;
        db.provenance.ecosystems.push(osv_name(e).into());
    }
    Ok(db)
}

/// Reads one ecosystem's dump, keeping the advisories of `names`.
fn read_dump<R: Read + std::io::Seek>(
    db: &mut Database,
    e: Ecosystem,
    names: &BTreeSet<String>,
    dump: R,
) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(dump).map_err(|err| err.to_string())?;
    let mut text = String::new();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|err| err.to_string())?;
        if entry.is_dir() || entry.size() > ADVISORY_BYTES {
            continue;
        }
        text.clear();
        entry
            .take(ADVISORY_BYTES)
            .read_to_string(&mut text)
            .map_err(|err| format!("entry {i}: {err}"))?;
        let Ok(advisory) = serde_json::from_str::<Advisory>(&text) else {
            continue;
        };
        db.provenance.advisories += 1;
        if db.provenance.newest.as_deref() < Some(advisory.modified.as_str()) {
            db.provenance.newest = Some(advisory.modified.clone());
        }
        let about: BTreeSet<String> = advisory
            .affected
            .iter()
            .filter(|a| a.package.ecosystem == osv_name(e))
            .map(|a| key(e, &a.package.name))
            .filter(|n| names.contains(n))
            .collect();
        for name in about {
            db.advisories
                .entry((e, name))
                .or_default()
                .push(advisory.clone());
        }
    }
    Ok(())
}

impl Database {
    /// The advisories that hold for `p`'s version, or `None` when its ecosystem was not read.
    pub fn matches(&self, p: &Package) -> Option<Vec<Match>> {
        if !self
            .provenance
            .ecosystems
            .iter()
            .any(|e| e == osv_name(p.ecosystem))
        {
            return None;
        }
        let name = key(p.ecosystem, &p.name);
        let advisories = self.advisories.get(&(p.ecosystem, name.clone()));
        let mut out = Vec::new();
        for a in advisories.into_iter().flatten() {
            let affected = a.affected.iter().filter(|x| {
                x.package.ecosystem == osv_name(p.ecosystem)
                    && key(p.ecosystem, &x.package.name) == name
            });
            let mut hit = None;
            for x in affected {
                if x.versions.iter().any(|v| v == &p.version) {
                    hit = Some(hit.flatten().or_else(|| fixed_after(x, p)));
                }
                for r in &x.ranges {
                    if let Some(fixed) = in_range(r, p) {
                        hit = Some(hit.flatten().or(fixed));
                    }
                }
            }
            let Some(fixed) = hit else {
                continue;
            };
            let severity = a
                .database_specific
                .as_ref()
                .and_then(|d| d.get("severity"))
                .and_then(|s| s.as_str())
                .map(str::to_string);
            out.push(Match {
                id: a.id.clone(),
                aliases: a.aliases.clone(),
                summary: a.summary.clone(),
                cvss: a
                    .severity
                    .iter()
                    .find(|s| s.kind.starts_with("CVSS"))
                    .map(|s| s.score.clone()),
                severity,
                fixed,
                malicious: a.id.starts_with("MAL-"),
            });
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Some(out)
    }
}

/// The first fixed version after `p`'s in any range of `x`.
fn fixed_after(x: &Affected, p: &Package) -> Option<String> {
    x.ranges
        .iter()
        .find_map(|r| {
            r.events
                .iter()
                .filter_map(|e| e.fixed.as_deref())
                .find(|f| compare(p.ecosystem, &p.version, f) == Some(std::cmp::Ordering::Less))
        })
        .map(str::to_string)
}

/// Whether `p`'s version is in the range (`Some`, with the first version that fixes it after
/// it, if any). Its events are walked in version order: an `introduced` at or below the version
/// opens it, a `fixed` at or below it, or a `last_affected` below it, closes it. A range whose
/// versions do not parse in the ecosystem's order (or a GIT range) holds nothing.
fn in_range(r: &Range, p: &Package) -> Option<Option<String>> {
    use std::cmp::Ordering::{Greater, Less};
    if r.kind != "SEMVER" && r.kind != "ECOSYSTEM" {
        return None;
    }
    let e = p.ecosystem;
    let at = |v: &str| -> Option<std::cmp::Ordering> {
        if v == "0" {
            return Some(Less);
        }
        compare(e, v, &p.version)
    };
    // In version order (OSV asks readers to sort them): `0` first, and a version that does not
    // parse leaves the whole range out.
    let mut events: Vec<(&str, &Event)> = Vec::new();
    for ev in &r.events {
        let v = ev
            .introduced
            .as_deref()
            .or(ev.fixed.as_deref())
            .or(ev.last_affected.as_deref());
        if let Some(v) = v {
            if v != "0" {
                compare(e, v, v)?;
            }
            events.push((v, ev));
        }
    }
    events.sort_by(|(a, _), (b, _)| match (*a, *b) {
        ("0", "0") => std::cmp::Ordering::Equal,
        ("0", _) => Less,
        (_, "0") => Greater,
        (a, b) => compare(e, a, b).unwrap_or(std::cmp::Ordering::Equal),
    });
    let mut affected = false;
    let mut fixed = None;
    for (_, ev) in events {
        if let Some(v) = &ev.introduced {
            if at(v)? != Greater {
                affected = true;
            }
        } else if let Some(v) = &ev.fixed {
            match at(v)? {
                Greater => {
                    if affected && fixed.is_none() {
                        fixed = Some(v.clone());
                    }
                }
                _ => affected = false,
            }
        } else if let Some(v) = &ev.last_affected
            && at(v)? == Less
        {
            affected = false;
        }
        if fixed.is_some() {
            break;
        }
    }
    affected.then_some(fixed)
}

#[cfg(test)]
mod tests;

/// The known advisories of `packages` (each once, by package URL), as `db` judges them: what a
/// snapshot keeps, so its rules need no database. A package of an ecosystem `db` did not read is
/// left out (not judged).
pub fn judge<'a>(
    db: &Database,
    packages: impl IntoIterator<Item = &'a Package>,
) -> sprawl_model::code::Advisories {
    let mut by_purl = std::collections::BTreeMap::new();
    for p in packages {
        if by_purl.contains_key(&p.purl) {
            continue;
        }
        let Some(matches) = db.matches(p) else {
            continue;
        };
        let advisories = matches
            .into_iter()
            .map(|m| sprawl_model::code::Advisory {
                rating: m.rating().map(str::to_string),
                id: m.id,
                aliases: m.aliases,
                summary: m.summary,
                fixed: m.fixed,
                malicious: m.malicious,
            })
            .collect();
        by_purl.insert(p.purl.clone(), advisories);
    }
    sprawl_model::code::Advisories {
        database: db.provenance.clone(),
        by_purl,
    }
}

/// Every package of `audits` (a snapshot's code audits), judged against the OSV dumps in `dir`:
/// the database is read for those packages only.
pub fn judge_audits<'a>(
    dir: &Path,
    audits: impl IntoIterator<Item = &'a crate::CodeAudit>,
) -> Result<sprawl_model::code::Advisories, DbError> {
    let packages: Vec<Package> = audits
        .into_iter()
        .flat_map(|a| a.packages.iter().cloned())
        .collect();
    let db = load(dir, &packages)?;
    Ok(judge(&db, &packages))
}
