//! Snapshots: the versioned JSON file every later stage reads.
//!
//! A snapshot is self-describing (`format`, `schema_version`, `tool_version`), sorted (two scans of
//! an unchanged account differ only in `scanned_at`), written atomically, and loaded with a check
//! of all of that, so a truncated, corrupt or foreign file gets one clear line instead of a panic.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::assess::{self, Assessment};
use crate::model::{Account, Coverage, Inventory};

/// The value of every snapshot's `format` field.
pub const FORMAT: &str = "sprawl-snapshot";

/// The schema this build writes. Bump it when a field changes meaning or goes away.
/// Version 2 added `assessment`.
pub const SCHEMA_VERSION: u32 = 2;

/// The oldest schema this build still reads (version 1 snapshots carry no assessment; readers
/// assess them on load).
pub const OLDEST_READABLE: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub schema_version: u32,
    pub tool_version: String,
    pub scanned_at: DateTime<Utc>,
    pub account: Account,
    /// The regions scanned, sorted.
    pub regions: Vec<String>,
    pub coverage: Coverage,
    pub inventory: Inventory,
    /// Findings, reachability and scores; absent in version 1 files until re-assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
}

impl Snapshot {
    pub fn new(
        account: Account,
        mut regions: Vec<String>,
        coverage: Coverage,
        mut inventory: Inventory,
        scanned_at: DateTime<Utc>,
    ) -> Self {
        regions.sort();
        inventory.sort();
        let mut snapshot = Snapshot {
            format: FORMAT.to_string(),
            schema_version: SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            scanned_at,
            account,
            regions,
            coverage,
            inventory,
            assessment: None,
        };
        snapshot.reassess(scanned_at);
        snapshot
    }

    /// Assesses the inventory again as of `now` (rules may have changed since the file was
    /// written), and marks the snapshot as this build's schema.
    pub fn reassess(&mut self, now: DateTime<Utc>) {
        self.assessment = Some(assess::assess(&self.inventory, &self.account.id, now));
        self.schema_version = SCHEMA_VERSION;
        self.tool_version = env!("CARGO_PKG_VERSION").to_string();
    }

    /// The assessment, computing it (as of the scan) when the file predates assessments.
    pub fn assessment(&mut self) -> &Assessment {
        if self.assessment.is_none() {
            self.reassess(self.scanned_at);
        }
        self.assessment.as_ref().expect("just assessed")
    }

    /// The snapshot as pretty JSON.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).expect("a snapshot always serializes");
        out.push(b'\n');
        out
    }

    /// The default file name: `sprawl-<account>-<UTC time>.json`.
    pub fn default_file_name(&self) -> String {
        format!(
            "sprawl-{}-{}.json",
            self.account.id,
            self.scanned_at.format("%Y%m%dT%H%M%SZ")
        )
    }
}

/// Why a snapshot could not be read or written. Each message is one line that names the file.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: the file is empty, not a sprawl snapshot")]
    Empty { path: PathBuf },
    #[error("{path}: not a sprawl snapshot (not JSON: {detail})")]
    NotJson { path: PathBuf, detail: String },
    #[error("{path}: truncated or corrupt snapshot ({detail})")]
    Truncated { path: PathBuf, detail: String },
    #[error("{path}: not a sprawl snapshot (no \"format\": \"{FORMAT}\" field)")]
    Foreign { path: PathBuf },
    #[error(
        "{path}: snapshot schema version {found} is not supported by this sprawl (it reads version {SCHEMA_VERSION}); {hint}"
    )]
    Version {
        path: PathBuf,
        found: String,
        hint: &'static str,
    },
    #[error("{path}: corrupt snapshot ({detail})")]
    Corrupt { path: PathBuf, detail: String },
}

/// Writes a snapshot atomically: a temporary file beside the target, then a rename, so a reader
/// never sees half a file and an interrupted write never clobbers the previous one.
pub fn save(snapshot: &Snapshot, path: &Path) -> Result<(), SnapshotError> {
    let io = |source| SnapshotError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "snapshot.json".into());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(&snapshot.to_json())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// Reads and checks a snapshot file.
pub fn load(path: &Path) -> Result<Snapshot, SnapshotError> {
    let bytes = fs::read(path).map_err(|source| SnapshotError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    from_slice(&bytes, path)
}

/// Checks and parses a snapshot's bytes; `path` is only for messages.
pub fn from_slice(bytes: &[u8], path: &Path) -> Result<Snapshot, SnapshotError> {
    let path = path.to_path_buf();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SnapshotError::Empty { path });
    }
    // First only the two fields that say what the file is (the rest is skipped, not built), so
    // a foreign or newer file is named as such before its body is trusted; then the body, read
    // straight into the snapshot's types (no intermediate JSON tree: a 10,000-function file
    // opens in a fraction of the time and memory).
    #[derive(Deserialize)]
    struct Header {
        format: Option<serde_json::Value>,
        schema_version: Option<serde_json::Value>,
    }
    let value: Header = serde_json::from_slice(bytes).map_err(|e| {
        let detail = e.to_string();
        if e.is_eof() {
            SnapshotError::Truncated {
                path: path.clone(),
                detail,
            }
        } else if bytes.first().is_some_and(|b| *b == b'{') {
            SnapshotError::Corrupt {
                path: path.clone(),
                detail,
            }
        } else {
            SnapshotError::NotJson {
                path: path.clone(),
                detail,
            }
        }
    })?;
    if value.format.as_ref().and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(SnapshotError::Foreign { path });
    }
    match value.schema_version.as_ref().and_then(|v| v.as_u64()) {
        Some(v) if (u64::from(OLDEST_READABLE)..=u64::from(SCHEMA_VERSION)).contains(&v) => {}
        Some(v) => {
            return Err(SnapshotError::Version {
                path,
                found: v.to_string(),
                hint: if v > u64::from(SCHEMA_VERSION) {
                    "upgrade sprawl to read it"
                } else {
                    "scan again with this version"
                },
            });
        }
        None => {
            return Err(SnapshotError::Version {
                path,
                found: value
                    .schema_version
                    .as_ref()
                    .map_or_else(|| "(missing)".to_string(), |v| v.to_string()),
                hint: "the file may be damaged",
            });
        }
    }
    serde_json::from_slice(bytes).map_err(|e| SnapshotError::Corrupt {
        path,
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Snapshot {
        Snapshot::new(
            Account {
                id: "123456789012".into(),
                partition: "aws".into(),
                caller_arn: "arn:aws:iam::123456789012:user/me".into(),
            },
            vec!["us-east-1".into(), "eu-west-1".into()],
            Coverage::default(),
            Inventory::default(),
            "2026-11-23T12:00:00Z".parse().unwrap(),
        )
    }

    #[test]
    fn round_trips_and_sorts_regions() {
        let s = sample();
        assert_eq!(s.regions, ["eu-west-1", "us-east-1"]);
        let back = from_slice(&s.to_json(), Path::new("x.json")).unwrap();
        assert_eq!(back, s);
        assert_eq!(
            s.default_file_name(),
            "sprawl-123456789012-20261123T120000Z.json"
        );
    }

    #[test]
    fn bad_files_get_one_clear_line() {
        let p = Path::new("snap.json");
        let json = sample().to_json();
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"".to_vec(), "empty"),
            (json[..json.len() / 2].to_vec(), "truncated"),
            (b"PK\x03\x04 zip".to_vec(), "not JSON"),
            (br#"{"hello": "world"}"#.to_vec(), "not a sprawl snapshot"),
            (
                String::from_utf8(json.clone())
                    .unwrap()
                    .replacen("\"schema_version\": 2", "\"schema_version\": 99", 1)
                    .into_bytes(),
                "upgrade sprawl",
            ),
            (
                String::from_utf8(json.clone())
                    .unwrap()
                    .replacen("\"functions\": []", "\"functions\": 7", 1)
                    .into_bytes(),
                "corrupt snapshot",
            ),
        ];
        for (bytes, expected) in cases {
            let msg = from_slice(&bytes, p).unwrap_err().to_string();
            assert!(msg.contains(expected), "{msg:?} lacks {expected:?}");
            assert!(msg.starts_with("snap.json: "), "{msg}");
            assert!(!msg.contains('\n'), "{msg}");
        }
    }

    #[test]
    fn version_1_files_load_and_get_assessed() {
        let mut s = sample();
        s.schema_version = 1;
        s.assessment = None;
        let json = s.to_json();
        assert!(!String::from_utf8_lossy(&json).contains("assessment"));
        let mut back = from_slice(&json, Path::new("old.json")).unwrap();
        assert!(back.assessment.is_none());
        assert!(back.assessment().findings.is_empty());
        assert_eq!(back.schema_version, SCHEMA_VERSION);
    }

    #[test]
    fn saves_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        save(&sample(), &path).unwrap();
        assert_eq!(load(&path).unwrap(), sample());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
