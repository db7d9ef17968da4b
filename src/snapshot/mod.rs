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

pub mod digest;
pub mod org;

use crate::assess::{self, Assessment};
use crate::model::{Account, Coverage, Inventory};

/// The value of every snapshot's `format` field.
pub const FORMAT: &str = "sprawl-snapshot";

/// The schema this build writes. Bump it when a field changes meaning or goes away.
/// Version 2 added `assessment`. Version 3 replaced a variable's exact `length` by a `size`
/// bucket, made fingerprints keyed (`hmac:...`), and added published versions' `environment`
/// and the `legacy_model` mark of a function URL's entry point; version 2 files still load (their
/// fingerprints are of the old unkeyed kind and never shown). Version 4 made a secret's
/// `readers` every function that can read it, each once, and `wildcard_readers` the count of
/// those among them that read it through `*` (listed last); a version 2 or 3 file's secrets are given
/// their readers afresh on load. Version 5 added each function's `logs`, `alarms` and `activity`
/// (CloudWatch Logs, CloudWatch alarms, and the metrics of `scan --metrics`); in older files they
/// read as skipped ("not read by the sprawl that wrote this snapshot"), and the rules that need
/// them say nothing. Version 6 writes each metric's daily series a value per day (`null` for a
/// day without data) when most days have data, and as `[day, value]` pairs otherwise, whole
/// numbers without `.0` (see [`crate::model::Series`]); version 5's pairs still load. It also
/// keeps the functions that read every secret once (`readers_of_every_secret`) instead of on
/// each secret's `readers`; a file that lists them on each reads as it was written. Version 7
/// adds the inventory's `topics` (the SNS topics functions' resource policies name, with their
/// policies) and the `topic` entry point; an older file has none (its sprawl did not read them),
/// and the rule that needs them says nothing there. Version 8 adds the inventory's `buckets` (the
/// S3 buckets that trigger functions, directly or through a topic, with what decides who may
/// upload to them) and calls the entry point of every event source `source` (with its
/// `service` and the `path` of sources between it and the function); version 7's `topic` entry
/// points read as SNS sources, and the inventory's `queues` (the SQS queues behind event source
/// mappings, with their policies), the EventBridge rules that trigger functions and their buses
/// (`event_rules`, `event_buses`), the Kinesis streams and DynamoDB tables behind mappings
/// (`streams`), the Cognito user pools, SES receipt rules, IoT topic rules and log groups that
/// invoke functions (`user_pools`, `mail_rules`, `iot_rules`, `log_subscriptions`), and the topics' and
/// buckets' `feeds`.
pub const SCHEMA_VERSION: u32 = 8;

/// The oldest schema this build still reads (version 1 snapshots carry no assessment; readers
/// assess them on load).
pub const OLDEST_READABLE: u32 = 1;

/// A scan and its assessment. Every way of reading one assesses what a file lacks, so holders of a
/// `Snapshot` never ask whether it is assessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "Stored")]
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
    /// Findings, reachability and scores.
    pub assessment: Assessment,
}

/// A snapshot as a file holds it: version 1 files carry no assessment.
#[derive(Deserialize)]
struct Stored {
    format: String,
    schema_version: u32,
    tool_version: String,
    scanned_at: DateTime<Utc>,
    account: Account,
    regions: Vec<String>,
    coverage: Coverage,
    inventory: Inventory,
    #[serde(default)]
    assessment: Option<Assessment>,
}

impl Stored {
    /// Whether it says it is a snapshot of a schema this build reads (as [`from_slice`] checks).
    fn check(&self, path: &Path) -> Result<(), SnapshotError> {
        check_identity(
            Some(&self.format),
            Ok(u64::from(self.schema_version)),
            path.to_path_buf(),
        )
    }
}

impl From<Stored> for Snapshot {
    /// A version 1 file is assessed as of its scan, and is then this build's schema (as
    /// [`Snapshot::reassess`] makes it). Any other file without one keeps its version, so the loader
    /// still names a newer file as newer.
    fn from(s: Stored) -> Snapshot {
        let (assessment, schema_version, tool_version) = match s.assessment {
            // Its secrets' readers counted each function once only from version 4.
            Some(mut a) if s.schema_version < 4 => {
                a.secrets =
                    assess::assess(&s.inventory, &s.coverage, &s.account.id, a.assessed_at).secrets;
                (a, s.schema_version, s.tool_version)
            }
            Some(a) => (a, s.schema_version, s.tool_version),
            None => (
                assess::assess(&s.inventory, &s.coverage, &s.account.id, s.scanned_at),
                if s.schema_version < 2 {
                    SCHEMA_VERSION
                } else {
                    s.schema_version
                },
                env!("CARGO_PKG_VERSION").to_string(),
            ),
        };
        Snapshot {
            format: s.format,
            schema_version,
            tool_version,
            scanned_at: s.scanned_at,
            account: s.account,
            regions: s.regions,
            coverage: s.coverage,
            inventory: s.inventory,
            assessment,
        }
    }
}

impl Snapshot {
    pub fn new(
        account: Account,
        regions: Vec<String>,
        coverage: Coverage,
        inventory: Inventory,
        scanned_at: DateTime<Utc>,
    ) -> Self {
        Snapshot::new_in(
            account,
            regions,
            coverage,
            inventory,
            scanned_at,
            assess::Within::default(),
        )
    }

    /// [`Snapshot::new`] for an account of an organization, assessed within it.
    pub fn new_in(
        account: Account,
        mut regions: Vec<String>,
        coverage: Coverage,
        mut inventory: Inventory,
        scanned_at: DateTime<Utc>,
        within: assess::Within,
    ) -> Self {
        regions.sort();
        inventory.sort();
        let assessment = assess::assess_in(&inventory, &coverage, &account.id, scanned_at, within);
        Snapshot {
            format: FORMAT.to_string(),
            schema_version: SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            scanned_at,
            account,
            regions,
            coverage,
            inventory,
            assessment,
        }
    }

    /// A snapshot of nothing: what the explorer holds while its first scan runs.
    pub fn empty(scanned_at: DateTime<Utc>) -> Self {
        Snapshot::new(
            Account {
                id: "-".into(),
                partition: "aws".into(),
                caller_arn: String::new(),
            },
            Vec::new(),
            Coverage::default(),
            Inventory::default(),
            scanned_at,
        )
    }

    /// Assesses the inventory again as of `now` (rules may have changed since the file was
    /// written), and marks the snapshot as this build's schema.
    pub fn reassess(&mut self, now: DateTime<Utc>) {
        self.reassess_in(now, assess::Within::default());
    }

    /// [`Snapshot::reassess`] within an organization (its accounts are the estate's own; any
    /// other account is a stranger's; chains go on into them).
    pub fn reassess_in(&mut self, now: DateTime<Utc>, within: assess::Within) {
        self.assessment = assess::assess_in(
            &self.inventory,
            &self.coverage,
            &self.account.id,
            now,
            within,
        );
        self.schema_version = SCHEMA_VERSION;
        self.tool_version = env!("CARGO_PKG_VERSION").to_string();
    }

    /// The snapshot as compact JSON (about half the bytes of pretty JSON, and half the time to
    /// read back; `jq . FILE` shows it indented).
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec(self).expect("a snapshot always serializes");
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
    /// A file of a kind sprawl knows, but no snapshot: an export, a JSON array.
    #[error(
        "{path}: {kind}, not a sprawl snapshot; give the snapshot itself (`sprawl scan -o FILE` or `sprawl demo --save FILE` writes one)"
    )]
    WrongKind { path: PathBuf, kind: String },
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
    #[error("{first}; the scan was saved to {} instead", fallback.display())]
    SavedElsewhere {
        first: Box<SnapshotError>,
        fallback: PathBuf,
    },
}

/// Writes a snapshot atomically (see [`write_atomically`]).
pub fn save(snapshot: &Snapshot, path: &Path) -> Result<(), SnapshotError> {
    write_atomically(path, &snapshot.to_json())
}

/// Saves a scan that took time to make: when `path` cannot be written, the snapshot goes to
/// the temporary directory instead and the error says where, so a failed write never loses a
/// scan. Returns where it went.
pub fn save_scan(snapshot: &Snapshot, path: &Path) -> Result<PathBuf, SnapshotError> {
    let bytes = snapshot.to_json();
    let first = match write_atomically(path, &bytes) {
        Ok(()) => return Ok(path.to_path_buf()),
        Err(e) => e,
    };
    let fallback = std::env::temp_dir().join(snapshot.default_file_name());
    match write_atomically(&fallback, &bytes) {
        Ok(()) => Err(SnapshotError::SavedElsewhere {
            first: Box::new(first),
            fallback,
        }),
        Err(_) => Err(first),
    }
}

/// Writes a file atomically and privately: a temporary file beside the target, then a rename,
/// so a reader never sees half a file and an interrupted write never clobbers the previous one.
///
/// A snapshot or an export is an account's whole inventory: the file is created 0600 (an
/// existing file's stricter mode is kept). The temporary file has an unpredictable name and is
/// created exclusively, so a symlink planted there is never followed, and the folder is synced
/// after the rename so the new name survives a crash.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SnapshotError> {
    write_atomically_with(path, |f| f.write_all(bytes))
}

/// [`write_atomically`] with the content written by `write` (for files too large to hold whole).
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut fs::File) -> std::io::Result<()>,
) -> Result<(), SnapshotError> {
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
    let mode = private_mode(path);
    let (tmp, mut f) = create_temporary(&dir, &file_name).map_err(io)?;
    let result = (|| {
        write(&mut f)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(fs::Permissions::from_mode(mode))?;
        }
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        sync_dir(&dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// 0600, or less where the file that is replaced was stricter (0400 stays 0400).
fn private_mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = fs::symlink_metadata(path)
            && meta.is_file()
        {
            return meta.permissions().mode() & 0o600;
        }
    }
    let _ = path;
    0o600
}

/// A new file `.NAME.RANDOM.tmp` in `dir`, created exclusively with mode 0600.
fn create_temporary(dir: &Path, file_name: &str) -> std::io::Result<(PathBuf, fs::File)> {
    let mut last = None;
    for _ in 0..8 {
        let mut nonce = [0u8; 8];
        if getrandom::fill(&mut nonce).is_err() {
            nonce = fastrand::u64(..).to_le_bytes();
        }
        let tmp = dir.join(format!(".{file_name}.{}.tmp", hex::encode(nonce)));
        let mut options = fs::OpenOptions::new();
        // create_new is O_CREAT|O_EXCL: it fails on any existing name, a symlink included.
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// Makes a rename durable: the folder's entry is on disk once this returns.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    let _ = dir;
    Ok(())
}

/// Reads and checks a snapshot file.
pub fn load(path: &Path) -> Result<Snapshot, SnapshotError> {
    let bytes = read_in_halves(path).map_err(|source| SnapshotError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    from_slice(&bytes, path)
}

/// Reads a file, its two halves on two threads where the platform reads at an offset: copying a
/// large snapshot out of the page cache (and touching the memory it goes to) is a good share of
/// opening it.
fn read_in_halves(path: &Path) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let file = fs::File::open(path)?;
        let len = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
        if len >= 1 << 20 {
            let mut bytes = vec![0u8; len];
            let (first, second) = bytes.split_at_mut(len / 2);
            let offset = first.len() as u64;
            std::thread::scope(|scope| {
                let other = scope.spawn(|| file.read_exact_at(second, offset));
                file.read_exact_at(first, 0)?;
                other.join().expect("reading does not panic")
            })?;
            // A file that grew while it was read is read again whole, to be safe.
            if file.metadata()?.len() == len as u64 {
                return Ok(bytes);
            }
        }
    }
    fs::read(path)
}

/// Checks and parses a snapshot's bytes; `path` is only for messages.
pub fn from_slice(bytes: &[u8], path: &Path) -> Result<Snapshot, SnapshotError> {
    let path = path.to_path_buf();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SnapshotError::Empty { path });
    }
    // The body is read straight into the snapshot's types (no intermediate JSON tree). Only when
    // that fails, or the file says it is something else, is it read again for the two fields that
    // say what it is, so a foreign or newer file is named as such rather than as corrupt.
    match parse_in_parallel(bytes).map_or_else(|| serde_json::from_slice::<Snapshot>(bytes), Ok) {
        Ok(snapshot) => {
            check_identity(
                Some(&snapshot.format),
                Ok(u64::from(snapshot.schema_version)),
                path,
            )?;
            Ok(snapshot)
        }
        Err(body_error) => Err(diagnose(bytes, path, body_error)),
    }
}

/// A snapshot read without its stored assessment: what the readers that assess the inventory
/// again (or need no assessment) take, the assessment being a third of a file and more of its
/// parsing.
#[derive(Debug, Clone)]
pub struct Scan {
    pub scanned_at: DateTime<Utc>,
    pub account: Account,
    pub regions: Vec<String>,
    pub coverage: Coverage,
    pub inventory: Inventory,
}

impl Scan {
    /// Assessed as of `now` within `within`: a snapshot of this build's schema.
    pub fn assessed_in(self, now: DateTime<Utc>, within: assess::Within) -> Snapshot {
        let assessment = assess::assess_in(
            &self.inventory,
            &self.coverage,
            &self.account.id,
            now,
            within,
        );
        Snapshot {
            format: FORMAT.into(),
            schema_version: SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            scanned_at: self.scanned_at,
            account: self.account,
            regions: self.regions,
            coverage: self.coverage,
            inventory: self.inventory,
            assessment,
        }
    }
}

/// Checks and parses a snapshot's bytes as [`from_slice`] does, but its assessment.
pub fn scan_from_slice(bytes: &[u8], path: &Path) -> Result<Scan, SnapshotError> {
    if let Some(s) = parse_pieces(bytes, false) {
        s.check(path)?;
        return Ok(Scan {
            scanned_at: s.scanned_at,
            account: s.account,
            regions: s.regions,
            coverage: s.coverage,
            inventory: s.inventory,
        });
    }
    // Any other file, read whole (and its errors told) as `from_slice` reads it.
    let s = from_slice(bytes, path)?;
    Ok(Scan {
        scanned_at: s.scanned_at,
        account: s.account,
        regions: s.regions,
        coverage: s.coverage,
        inventory: s.inventory,
    })
}

/// [`from_slice`] for a reader that shows what each function's activity comes to and none of
/// its days (the lists across an organization's accounts): the functions' daily series, most
/// of a scan with `--metrics` and of its parsing, are checked and left empty
/// ([`crate::model::without_series`]), since the stored assessment says what they come to
/// ([`assess::Usage`]). A file whose assessment does not say it for every function with
/// activity (written before it was kept, or with no assessment, which would be made from the
/// empty series) is read whole, at once when its assessment's text holds no `"usage"` at all
/// (a file of an older sprawl, or of a scan without `--metrics`, whose series are empty anyway).
/// The snapshot must not be assessed again, nor its activity shown.
pub fn lists_from_slice(bytes: &[u8], path: &Path) -> Result<Snapshot, SnapshotError> {
    const USAGE: &[u8] = br#""usage":{"#;
    let may_say = memchr::memmem::rfind(bytes, ASSESSMENT)
        .is_some_and(|at| memchr::memmem::find(&bytes[at..], USAGE).is_some());
    let lean = may_say
        .then(|| crate::model::without_series(|| parse_pieces(bytes, true)))
        .flatten()
        .filter(|s| {
            s.assessment
                .as_ref()
                .is_some_and(|a| usage_kept(&s.inventory, a))
        });
    match lean {
        Some(s) => {
            s.check(path)?;
            Ok(Snapshot::from(s))
        }
        None => from_slice(bytes, path),
    }
}

/// Whether `a` says what the activity of every function of `inventory` that has any comes to.
fn usage_kept(inventory: &Inventory, a: &Assessment) -> bool {
    let kept: std::collections::HashSet<&str> = a
        .functions
        .iter()
        .filter(|r| r.usage.is_some())
        .map(|r| r.arn.as_str())
        .collect();
    inventory
        .functions
        .iter()
        .filter(|f| f.activity.value().is_some())
        .all(|f| kept.contains(f.arn.as_str()))
}

/// Where a snapshot this build wrote keeps its assessment: the last such key of the file.
const ASSESSMENT: &[u8] = br#","assessment":"#;

/// Reads a snapshot this build wrote in three pieces at once, one thread each: the inventory's
/// functions, the rest of the inventory, and the assessment (a 10,000-function snapshot opens in
/// under half the time on two cores). sprawl writes compact JSON with the fields in a fixed order,
/// so the pieces are found by their keys: the first `,"inventory":{"functions":` (nothing before
/// it can hold an unescaped quote), the first `],"event_source_mappings":` after it, and the last
/// `,"assessment":`. Each piece must then parse to its end, which is only possible where the split
/// was right; anything else (a pretty-printed file, another writer's field order, any error)
/// returns None and the caller parses the file in one piece, with messages that point into the
/// whole file.
fn parse_in_parallel(bytes: &[u8]) -> Option<Snapshot> {
    parse_pieces(bytes, true).map(Snapshot::from)
}

/// [`parse_in_parallel`]'s pieces, the assessment left unread unless `with_assessment`.
fn parse_pieces(bytes: &[u8], with_assessment: bool) -> Option<Stored> {
    const INVENTORY: &[u8] = br#","inventory":"#;
    const FUNCTIONS: &[u8] = br#"{"functions":"#;
    const AFTER_FUNCTIONS: &[u8] = br#"],"event_source_mappings":"#;
    #[derive(Deserialize)]
    struct Head {
        format: String,
        schema_version: u32,
        tool_version: String,
        scanned_at: DateTime<Utc>,
        account: Account,
        regions: Vec<String>,
        coverage: Coverage,
    }
    /// The inventory after its functions (they are read on another thread), from a copy of
    /// its own text, or from the whole inventory with the functions stepped over.
    #[derive(Deserialize)]
    struct InventoryRest {
        #[serde(default, rename = "functions")]
        _functions: Option<serde::de::IgnoredAny>,
        event_source_mappings: Vec<crate::model::EventSourceMapping>,
        roles: Vec<crate::model::Role>,
        rest_apis: Vec<crate::model::RestApi>,
        http_apis: Vec<crate::model::HttpApi>,
        secrets: Vec<crate::model::Secret>,
        #[serde(default)]
        layers: Vec<crate::model::LayerVersion>,
        #[serde(default)]
        topics: Vec<crate::model::Topic>,
        #[serde(default)]
        buckets: Vec<crate::model::Bucket>,
        #[serde(default)]
        queues: Vec<crate::model::Queue>,
        #[serde(default)]
        event_rules: Vec<crate::model::EventRule>,
        #[serde(default)]
        event_buses: Vec<crate::model::EventBus>,
        #[serde(default)]
        streams: Vec<crate::model::Stream>,
        #[serde(default)]
        user_pools: Vec<crate::model::UserPool>,
        #[serde(default)]
        mail_rules: Vec<crate::model::MailRule>,
        #[serde(default)]
        iot_rules: Vec<crate::model::IotRule>,
        #[serde(default)]
        identity_pools: Vec<crate::model::IdentityPools>,
        #[serde(default)]
        log_subscriptions: Vec<crate::model::LogSubscription>,
        #[serde(default)]
        layer_code: Vec<crate::model::LayerCode>,
        #[serde(default)]
        code: std::collections::BTreeMap<String, crate::model::code::CodeAudit>,
        #[serde(default)]
        advisories: Option<crate::model::code::Advisories>,
    }
    let inventory_at = memchr::memmem::find(bytes, INVENTORY)?;
    let end = bytes.iter().rposition(|b| *b == b'}')?;
    // Nothing but whitespace may follow the closing brace (the whole-file parser says so too).
    if !bytes[end + 1..].iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let body = bytes.get(inventory_at + INVENTORY.len()..end)?;
    let (inventory, assessment) = match memchr::memmem::rfind(body, ASSESSMENT) {
        Some(at) => (&body[..at], Some(&body[at + ASSESSMENT.len()..])),
        None => (body, None),
    };
    let functions = inventory.strip_prefix(FUNCTIONS)?;
    let functions_end = memchr::memmem::find(functions, AFTER_FUNCTIONS)?;
    // The rest of the inventory as an object of its own, so that its reader need not step
    // over the functions' text (most of it) again: a copy, while it is small (an account of
    // an organization's lists, read one after another). A big inventory's rest (its roles'
    // policies, mostly) is read where it is, rather than held twice while it is parsed.
    /// The largest rest of an inventory that is copied.
    const COPIED: usize = 4 << 20;
    let after = &functions[functions_end + 2..];
    let copied = (after.len() <= COPIED).then(|| [b"{", after].concat());
    let rest: &[u8] = copied.as_deref().unwrap_or(inventory);
    let functions = &functions[..functions_end + 1];
    let mut head = bytes[..inventory_at].to_vec();
    head.push(b'}');
    let head: Head = serde_json::from_slice(&head).ok()?;
    // Each piece is checked as UTF-8 in one pass, then parsed as text: quicker than letting the
    // parser check every string it meets.
    fn parse<T: serde::de::DeserializeOwned>(piece: &[u8]) -> Option<T> {
        serde_json::from_str(std::str::from_utf8(piece).ok()?).ok()
    }
    let assessment = assessment.filter(|_| with_assessment);
    let (functions, rest, assessment) = std::thread::scope(|scope| {
        let assessment = assessment.map(|raw| scope.spawn(|| parse::<Assessment>(raw)));
        let rest = scope.spawn(|| parse::<InventoryRest>(rest));
        let functions = parse::<Vec<crate::model::Function>>(functions);
        let join = "parsing does not panic";
        (
            functions,
            rest.join().expect(join),
            assessment.map(|thread| thread.join().expect(join)),
        )
    });
    let rest = rest?;
    Some(Stored {
        format: head.format,
        schema_version: head.schema_version,
        tool_version: head.tool_version,
        scanned_at: head.scanned_at,
        account: head.account,
        regions: head.regions,
        coverage: head.coverage,
        inventory: Inventory {
            functions: functions?,
            event_source_mappings: rest.event_source_mappings,
            roles: rest.roles,
            rest_apis: rest.rest_apis,
            http_apis: rest.http_apis,
            secrets: rest.secrets,
            layers: rest.layers,
            topics: rest.topics,
            buckets: rest.buckets,
            queues: rest.queues,
            event_rules: rest.event_rules,
            event_buses: rest.event_buses,
            streams: rest.streams,
            user_pools: rest.user_pools,
            mail_rules: rest.mail_rules,
            iot_rules: rest.iot_rules,
            identity_pools: rest.identity_pools,
            log_subscriptions: rest.log_subscriptions,
            layer_code: rest.layer_code,
            code: rest.code,
            advisories: rest.advisories,
        },
        assessment: match assessment {
            Some(parsed) => Some(parsed?),
            None => None,
        },
    })
}

/// Why a file that did not read as a snapshot did not: not JSON, truncated, foreign, another
/// version, or (when it says it is a snapshot this build reads) corrupt.
fn diagnose(bytes: &[u8], path: PathBuf, body_error: serde_json::Error) -> SnapshotError {
    #[derive(Deserialize)]
    struct Header {
        format: Option<serde_json::Value>,
        schema_version: Option<serde_json::Value>,
    }
    if let Some(kind) = kind_of(bytes) {
        return SnapshotError::WrongKind { path, kind };
    }
    let header: Header = match serde_json::from_slice(bytes) {
        Ok(header) => header,
        Err(e) => {
            let detail = e.to_string();
            return if e.is_eof() {
                SnapshotError::Truncated { path, detail }
            } else if bytes.first().is_some_and(|b| *b == b'{') {
                SnapshotError::Corrupt { path, detail }
            } else {
                SnapshotError::NotJson { path, detail }
            };
        }
    };
    let format = header.format.as_ref().and_then(|f| f.as_str());
    // The version, or what stands where it should be.
    let version = match &header.schema_version {
        Some(v) => v.as_u64().ok_or_else(|| v.to_string()),
        None => Err("(missing)".to_string()),
    };
    match check_identity(format, version, path.clone()) {
        Err(e) => e,
        Ok(()) => SnapshotError::Corrupt {
            path,
            detail: body_error.to_string(),
        },
    }
}

/// What a file that is no snapshot is, when its first value (or line) tells: sprawl's own
/// exports, a JSON array, JSON lines. None: nothing recognisable (the caller says why it does
/// not read).
fn kind_of(bytes: &[u8]) -> Option<String> {
    let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<serde_json::Value>();
    let first = match values.next() {
        Some(Ok(v)) => v,
        _ => {
            // Not JSON: sprawl's CSV export starts with its header line.
            let line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
            return line
                .starts_with(b"id,severity,rule,")
                .then(|| "a CSV findings export (`sprawl export --format csv`)".to_string());
        }
    };
    let more = values.next().is_some();
    let format =
        |v: &serde_json::Value| v.get("format").and_then(|f| f.as_str()).map(str::to_string);
    match &first {
        serde_json::Value::Array(items) => {
            let ocsf = items.first().is_some_and(|i| i.get("class_uid").is_some());
            Some(if ocsf {
                "an OCSF findings export (`sprawl export --format ocsf`)".to_string()
            } else {
                format!("a JSON array of {} item(s)", items.len())
            })
        }
        serde_json::Value::Object(_) => match format(&first).as_deref() {
            Some("sprawl-findings") => {
                Some("a findings export (`sprawl export --format json`)".to_string())
            }
            Some("sprawl-organization-findings") => Some(
                "an organization's findings export (`sprawl export --format json`)".to_string(),
            ),
            Some(FORMAT) | Some(org::ORG_FORMAT) => None,
            Some(other) if more => Some(format!("JSON lines of {:?}", printable_short(other))),
            Some(other) => Some(format!("a {:?} document", printable_short(other))),
            None if first.get("class_uid").is_some() => {
                Some("an OCSF finding (`sprawl export --format ocsf`)".to_string())
            }
            None if more => Some("JSON lines".to_string()),
            None => None,
        },
        _ if more => Some("JSON lines".to_string()),
        serde_json::Value::String(_) => Some("a JSON string".to_string()),
        serde_json::Value::Number(_) => Some("a JSON number".to_string()),
        _ => None,
    }
}

/// A short, printable piece of a file's text, for a message.
fn printable_short(s: &str) -> String {
    let s = crate::model::printable(s);
    match s.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// That a file says it is a sprawl snapshot of a schema this build reads.
/// `version` is the schema version, or the text found in its place.
fn check_identity(
    format: Option<&str>,
    version: Result<u64, String>,
    path: PathBuf,
) -> Result<(), SnapshotError> {
    if format != Some(FORMAT) {
        return Err(SnapshotError::Foreign { path });
    }
    match version {
        Ok(v) if (u64::from(OLDEST_READABLE)..=u64::from(SCHEMA_VERSION)).contains(&v) => Ok(()),
        Ok(v) => Err(SnapshotError::Version {
            path,
            found: v.to_string(),
            hint: if v > u64::from(SCHEMA_VERSION) {
                "upgrade sprawl to read it"
            } else {
                "scan again with this version"
            },
        }),
        Err(found) => Err(SnapshotError::Version {
            path,
            found,
            hint: "the file may be damaged",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Detail;

    /// A schema 2 file (exact lengths, unkeyed fingerprints, previews of the old redaction)
    /// loads; none of its previews, lengths or old fingerprints reaches the assessment's
    /// evidence, which says the fingerprint is of the old kind.
    #[test]
    fn a_schema_2_snapshot_loads_and_withholds_its_old_fingerprints() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/snapshot_load/small.json");
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(r#""schema_version":2"#) && text.contains(r#""length":"#));
        let mut snap = load(&path).unwrap();
        let at = snap.scanned_at;
        snap.reassess(at);
        assert_eq!(snap.schema_version, SCHEMA_VERSION);
        let vars = snap.inventory.functions.iter().flat_map(|f| &f.environment);
        let mut old = 0;
        for v in vars {
            assert!(v.value.preview.is_none(), "{} kept its old preview", v.name);
            assert!(v.value.keyed_fingerprint().is_none());
            old += 1;
        }
        assert!(old > 0);
        let a = &snap.assessment;
        let secret = a
            .findings
            .iter()
            .find(|f| f.rule == "lambda-env-secret")
            .expect("the old file has secrets in variables");
        let evidence = secret.evidence.get().unwrap();
        assert!(
            evidence
                .iter()
                .any(|e| e.value.contains("old unkeyed kind, withheld")),
            "{evidence:?}"
        );
        // The re-written file holds no exact length.
        let json = String::from_utf8(snap.to_json()).unwrap();
        assert!(!json.contains(r#""length":"#));
    }

    #[cfg(unix)]
    fn mode_of(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_and_planted_symlinks_are_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snap.json");
        // A world-readable umask is the usual one: the file is 0600 all the same.
        write_atomically(&path, b"one").unwrap();
        assert_eq!(mode_of(&path), 0o600);
        // An existing stricter mode is kept.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(mode_of(&path), 0o400);
        assert_eq!(fs::read(&path).unwrap(), b"two");
        // A symlink where the file goes is replaced, never written through.
        let victim = dir.path().join("victim");
        fs::write(&victim, b"keep").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        write_atomically(&link, b"new").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"keep");
        assert_eq!(fs::read(&link).unwrap(), b"new");
        // No temporary file is left behind, and none has a predictable name.
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_scan_that_cannot_be_written_is_saved_elsewhere() {
        let snap = sample();
        let dir = tempfile::tempdir().unwrap();
        let nowhere = dir.path().join("no such folder").join("snap.json");
        let err = save_scan(&snap, &nowhere).unwrap_err();
        let SnapshotError::SavedElsewhere { fallback, .. } = &err else {
            panic!("{err}");
        };
        let text = err.to_string();
        assert!(
            text.contains("no such folder") && text.contains("saved to"),
            "{text}"
        );
        let back = load(fallback).unwrap();
        assert_eq!(back.account.id, snap.account.id);
        let _ = fs::remove_file(fallback);
    }

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
                    .replacen(
                        &format!("\"schema_version\":{SCHEMA_VERSION}"),
                        "\"schema_version\":99",
                        1,
                    )
                    .into_bytes(),
                "upgrade sprawl",
            ),
            (
                String::from_utf8(json.clone())
                    .unwrap()
                    .replacen("\"functions\":[]", "\"functions\":7", 1)
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

    /// `s` as a version 1 file wrote it: no assessment.
    fn without_assessment(s: &Snapshot) -> Vec<u8> {
        let json = s.to_json();
        let at = memchr::memmem::rfind(&json, br#","assessment":"#).unwrap();
        let mut old = json[..at].to_vec();
        old.extend_from_slice(b"}\n");
        old
    }

    /// A version 4 file (before CloudWatch) loads: its functions' logs, alarms and activity
    /// are "not read", and re-assessed it gains no finding from data it never had.
    #[test]
    fn version_4_files_load_without_runtime_evidence() {
        let demo = crate::demo::snapshot();
        let mut v: serde_json::Value = serde_json::from_slice(&demo.to_json()).unwrap();
        v["schema_version"] = 4.into();
        for f in v["inventory"]["functions"].as_array_mut().unwrap() {
            let f = f.as_object_mut().unwrap();
            for field in ["logs", "alarms", "activity"] {
                assert!(f.remove(field).is_some(), "{field}");
            }
        }
        let json = serde_json::to_vec(&v).unwrap();
        let mut back = from_slice(&json, Path::new("v4.json")).unwrap();
        assert_eq!(back.schema_version, 4);
        let f = &back.inventory.functions[0];
        assert!(
            matches!(&f.activity, Detail::Skipped { reason } if reason.contains("not read by the sprawl")),
            "{:?}",
            f.activity
        );
        assert!(!f.logs.is_collected() && !f.alarms.is_collected());
        back.reassess(demo.assessment.assessed_at);
        for rule in [
            "lambda-idle",
            "lambda-no-log-group",
            "lambda-public-no-alarm",
        ] {
            assert!(
                !back.assessment.findings.iter().any(|x| x.rule == rule),
                "{rule}"
            );
            assert!(
                !back.assessment.not_assessed.iter().any(|x| x.rule == rule),
                "{rule}"
            );
        }
        assert!(
            back.assessment
                .findings
                .iter()
                .any(|x| x.rule == "lambda-forgotten")
        );
        assert_eq!(back.schema_version, SCHEMA_VERSION);
    }

    #[test]
    fn version_1_files_load_and_get_assessed() {
        let mut s = sample();
        s.schema_version = 1;
        let json = without_assessment(&s);
        assert!(!String::from_utf8_lossy(&json).contains("assessment"));
        let back = from_slice(&json, Path::new("old.json")).unwrap();
        assert_eq!(back.assessment, s.assessment);
        assert_eq!(back.schema_version, SCHEMA_VERSION);
    }

    #[test]
    fn parallel_read_matches_the_plain_one_and_falls_back() {
        let mut demo = crate::demo::snapshot();
        // A tag key that looks like a top-level field must not confuse the split.
        if let Detail::Collected { value } = &mut demo.inventory.functions[0].tags {
            value.insert("assessment".into(), "inventory".into());
        }
        let json = demo.to_json();
        let plain: Snapshot = serde_json::from_slice(&json).unwrap();
        assert_eq!(parse_in_parallel(&json).as_ref(), Some(&plain));
        assert_eq!(from_slice(&json, Path::new("x")).unwrap(), plain);
        let pretty = serde_json::to_vec_pretty(&demo).unwrap();
        assert_eq!(parse_in_parallel(&pretty), None);
        assert_eq!(from_slice(&pretty, Path::new("x")).unwrap(), plain);
        let v1 = sample();
        assert_eq!(parse_in_parallel(&without_assessment(&v1)), Some(v1));
        // Read without its assessment, then assessed: the snapshot read whole, assessed again.
        for bytes in [&json, &pretty] {
            let scan = scan_from_slice(bytes, Path::new("x")).unwrap();
            assert_eq!(scan.inventory, plain.inventory);
            let at = plain.scanned_at;
            let mut again = plain.clone();
            again.reassess(at);
            assert_eq!(scan.assessed_in(at, Default::default()), again);
        }
    }

    /// A realistic snapshot, small enough to damage at every byte: a slice of the demo account
    /// (functions with URLs, aliases, versions and variables; roles with policies; an API of each
    /// kind; secrets; mappings) with its assessment.
    fn realistic() -> Snapshot {
        let mut snap = crate::demo::snapshot();
        let inv = &mut snap.inventory;
        let keep = ["marketing-unsubscribe"];
        inv.functions.retain(|f| keep.contains(&f.name.as_str()));
        let roles: Vec<String> = inv.functions.iter().map(|f| f.role_arn.clone()).collect();
        inv.roles.retain(|r| roles.contains(&r.arn));
        inv.rest_apis.truncate(1);
        inv.http_apis.truncate(1);
        inv.secrets.truncate(1);
        inv.event_source_mappings.truncate(1);
        // What the kept function runs, and no other package's audit.
        let runs: Vec<String> = inv
            .functions
            .iter()
            .filter_map(|f| f.code.value().cloned())
            .collect();
        inv.code.retain(|sha, _| runs.contains(sha));
        inv.layer_code.clear();
        let purls: Vec<String> = inv
            .code
            .values()
            .flat_map(|a| a.packages.iter().map(|p| p.purl.clone()))
            .collect();
        if let Some(a) = &mut inv.advisories {
            a.by_purl.retain(|purl, _| purls.contains(purl));
        }
        let now = snap.scanned_at;
        snap.reassess(now);
        snap
    }

    /// Every truncation is an error; every damaged byte gives an error or exactly what the plain
    /// whole-file parser reads from the same bytes: the fast three-piece reader never accepts a
    /// file the parser refuses, nor reads it differently (a silent half-read).
    #[test]
    fn every_truncation_and_byte_flip_is_an_error_or_a_correct_load() {
        let json = realistic().to_json();
        assert!(json.len() > 10_000, "{} bytes", json.len());
        for cut in 0..json.len() - 1 {
            assert!(from_slice(&json[..cut], Path::new("x")).is_err(), "{cut}");
        }
        let mut loads = 0;
        for at in 0..json.len() {
            // Structural characters, a letter, and a flipped bit, in turn along the file.
            let replacement = [b'}', b']', b'"', b',', b'x', json[at] ^ 0x01][at % 6];
            if replacement == json[at] {
                continue;
            }
            let mut bad = json.clone();
            bad[at] = replacement;
            if let Ok(read) = from_slice(&bad, Path::new("x")) {
                loads += 1;
                let reference: Snapshot = serde_json::from_slice(&bad).unwrap_or_else(|e| {
                    panic!(
                        "byte {at} ({:?} for {:?} in ...{}...): loaded what the parser refuses ({e})",
                        replacement as char,
                        json[at] as char,
                        String::from_utf8_lossy(&bad[at.saturating_sub(60)..(at + 20).min(bad.len())])
                    )
                });
                assert!(
                    read == reference,
                    "byte {at}: read differently from the parser"
                );
            }
        }
        // Flips inside strings (names, messages) load, and were compared.
        assert!(loads > 0);
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
