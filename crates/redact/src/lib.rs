//! Classification and redaction of variable values. This is the only code that ever sees an
//! environment- or stage-variable value; what leaves it is a [`RedactedValue`].
//!
//! Redaction fails closed. The variable's name is read before the value's shape: a
//! credential-like name (password, pin, token, key, webhook, ...) makes any value a secret,
//! whatever it looks like, unless the name says it points somewhere (`_ARN`, `_NAME`, `_ID`,
//! `_PARAM`, `_PATH`, `_ALIAS`) and the value parses as that kind of reference, or the name is a
//! setting about a secret (`PASSWORD_MIN_LENGTH`). Even then nothing under a credential-like name
//! is previewed: only its kind is shown. A preview exists only for a harmless value under a
//! harmless name, and a URL's preview keeps its scheme and host alone.

use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use sprawl_model::{KEYED_FINGERPRINT_PREFIX, RedactedValue, SizeBucket, ValueKind, Variable};

/// The key of the fingerprints' HMAC. Fingerprints made with one key match each other (one
/// secret shared by two functions, or kept across two scans); without the key nobody can test
/// a guess against them.
#[derive(Clone, PartialEq, Eq)]
pub struct FingerprintKey([u8; 32]);

impl std::fmt::Debug for FingerprintKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FingerprintKey(..)")
    }
}

/// Why the fingerprint key could not be read or made.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("fingerprint key {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("fingerprint key {path}: expected 64 hex digits (32 bytes), as sprawl writes it")]
    Malformed { path: PathBuf },
    #[error("no fingerprint key: set HOME or XDG_CONFIG_HOME, or give --fingerprint-key FILE")]
    NoConfigDir,
    #[error("the system's random source failed: {0}")]
    Random(String),
}

impl FingerprintKey {
    /// The demo account's key: fixed, so the demo's exports are the same on every machine. Its
    /// values are made up; a real scan never uses it.
    pub const DEMO: FingerprintKey = FingerprintKey(*b"sprawl demo account: not secret!");

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        FingerprintKey(bytes)
    }

    /// A fresh key from the system's random source.
    pub fn random() -> Result<Self, KeyError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(FingerprintKey(bytes))
    }

    /// Where a machine keeps its key: `$XDG_CONFIG_HOME/sprawl/fingerprint.key`, else
    /// `$HOME/.config/sprawl/fingerprint.key`.
    pub fn default_path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|v| !v.is_empty())
                    .map(|h| PathBuf::from(h).join(".config"))
            })?;
        Some(base.join("sprawl").join("fingerprint.key"))
    }

    /// Reads the key at `path`, creating it (0600, in a 0700 folder) on first use.
    pub fn load_or_create(path: &Path) -> Result<Self, KeyError> {
        let io = |source| KeyError::Io {
            path: path.to_path_buf(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => return Self::parse(text.trim(), path),
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
            Err(_) => {}
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir).map_err(io)?;
        }
        let key = Self::random()?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(format!("{}\n", hex::encode(key.0)).as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(io)?;
                Ok(key)
            }
            // Another sprawl made it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = std::fs::read_to_string(path).map_err(io)?;
                Self::parse(text.trim(), path)
            }
            Err(e) => Err(io(e)),
        }
    }

    /// Reads a key that must exist (a team's shared key, given with `--fingerprint-key`).
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeyError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(text.trim(), path)
    }

    fn parse(text: &str, path: &Path) -> Result<Self, KeyError> {
        let malformed = || KeyError::Malformed {
            path: path.to_path_buf(),
        };
        let bytes = hex::decode(text).map_err(|_| malformed())?;
        Ok(FingerprintKey(bytes.try_into().map_err(|_| malformed())?))
    }

    /// `hmac:` and the first 16 hex digits of HMAC-SHA-256(key, label || value), the label
    /// keeping these apart from any other use of the key.
    pub fn fingerprint(&self, value: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"sprawl-variable-v2\0");
        mac.update(value.as_bytes());
        format!(
            "{KEYED_FINGERPRINT_PREFIX}{}",
            hex::encode(&mac.finalize().into_bytes()[..8])
        )
    }
}

/// Redacts every variable of a map, sorted by name.
pub fn redact_all<'a>(
    key: &FingerprintKey,
    vars: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> Vec<Variable> {
    let mut out: Vec<Variable> = vars
        .into_iter()
        .map(|(name, value)| Variable {
            name: name.clone(),
            value: redact(key, name, value),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Classifies one value and replaces it by its kind, keyed fingerprint, size bucket and, for a
/// harmless value under a harmless name only, a masked preview.
pub fn redact(key: &FingerprintKey, name: &str, value: &str) -> RedactedValue {
    let class = NameClass::of(name);
    let kind = classify_as(class, name, value);
    let previewable = !kind.is_secret() && class == NameClass::Plain;
    RedactedValue {
        kind,
        fingerprint: key.fingerprint(value),
        size: SizeBucket::of_len(value.chars().count()),
        preview: previewable.then(|| preview(kind, value)),
    }
}

/// What a variable's name says about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameClass {
    /// Nothing credential-like in it.
    Plain,
    /// It names a credential (`DB_PASSWORD`, `adminPin`, `SLACK_WEBHOOK_URL`).
    Credential,
    /// A credential-like name that says it points at a secret (`DB_PASSWORD_ARN`,
    /// `KMS_KEY_ALIAS`): a reference of that kind is not a secret, anything else is.
    Pointer(Pointer),
    /// A credential-like name of a setting about a secret (`PASSWORD_MIN_LENGTH`,
    /// `API_KEY_HEADER`): judged by the value's shape, never previewed.
    Setting,
}

/// The kinds of reference a pointer name promises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pointer {
    Arn,
    Name,
    Id,
    Param,
    Path,
    Alias,
}

impl NameClass {
    pub fn of(name: &str) -> NameClass {
        let words = words(name);
        if !is_credential_like(&words) {
            return NameClass::Plain;
        }
        let last = words.last().map(String::as_str).unwrap_or("");
        let pointer = match last {
            "arn" => Some(Pointer::Arn),
            "name" => Some(Pointer::Name),
            "id" => Some(Pointer::Id),
            "param" | "parameter" | "ssm" => Some(Pointer::Param),
            "path" | "location" => Some(Pointer::Path),
            "alias" => Some(Pointer::Alias),
            _ => None,
        };
        // A webhook's or a DSN's URL is itself the credential: `SLACK_WEBHOOK_URL` is no
        // setting about a secret.
        let url_is_secret = words
            .iter()
            .any(|w| w.contains("hook") || w == "dsn" || w == "connection");
        match pointer {
            Some(p) => NameClass::Pointer(p),
            None if url_is_secret && URL_WORDS.contains(&last) => NameClass::Credential,
            None if SETTING_WORDS.contains(&last) => NameClass::Setting,
            None => NameClass::Credential,
        }
    }
}

/// A name's words, lower case: split at anything not alphanumeric and at camelCase humps
/// (`dbPassword` is `db`, `password`; `APIKey` is `api`, `key`).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let hump = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if hump && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Substrings of a squashed name (letters and digits only, lower case) that make it
/// credential-like wherever they stand.
const CREDENTIAL_SUBSTRINGS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "passcode",
    "secret",
    "token",
    "credential",
    "apikey",
    "privatekey",
    "privkey",
    "accesskey",
    "secretkey",
    "signingkey",
    "encryptionkey",
    "masterkey",
    "sessionkey",
    "clientsecret",
    "connectionstring",
    "connstr",
    "webhook",
];

/// Whole words that make a name credential-like, too short or too common to search as
/// substrings (`pin` is in `shipping`, `key` in `monkey`).
const CREDENTIAL_WORDS: &[&str] = &[
    "pass",
    "pwd",
    "pw",
    "pin",
    "key",
    "keys",
    "auth",
    "authorization",
    "cred",
    "creds",
    "dsn",
    "salt",
    "pepper",
    "private",
    "signing",
    "otp",
    "bearer",
];

/// Words before `key` that make it a data key, not a credential (`PARTITION_KEY`).
const DATA_KEY_WORDS: &[&str] = &[
    "partition",
    "sort",
    "hash",
    "range",
    "primary",
    "foreign",
    "object",
    "s3",
    "cache",
    "idempotency",
    "dedup",
    "deduplication",
    "routing",
    "lookup",
    "group",
    "index",
];

fn is_credential_like(words: &[String]) -> bool {
    let squashed: String = words.concat();
    if CREDENTIAL_SUBSTRINGS.iter().any(|s| squashed.contains(s)) {
        return true;
    }
    words.iter().enumerate().any(|(i, w)| {
        CREDENTIAL_WORDS.contains(&w.as_str())
            && !(matches!(w.as_str(), "key" | "keys")
                && i > 0
                && DATA_KEY_WORDS.contains(&words[i - 1].as_str()))
    })
}

/// Last words that name where something is, not what.
const URL_WORDS: &[&str] = &["url", "uri", "endpoint", "host", "address", "addr"];

/// Last words that make a credential-like name a setting about a secret, not the secret
/// (`API_KEY_HEADER=x-api-key`, `PASSWORD_MIN_LENGTH=12`, `TOKEN_URL=https://...`).
const SETTING_WORDS: &[&str] = &[
    "header",
    "policy",
    "prefix",
    "suffix",
    "length",
    "len",
    "ttl",
    "timeout",
    "expiry",
    "expiration",
    "type",
    "format",
    "algorithm",
    "alg",
    "field",
    "mode",
    "enabled",
    "disabled",
    "enable",
    "version",
    "region",
    "size",
    "count",
    "rotation",
    "endpoint",
    "url",
    "uri",
    "host",
    "port",
    "file",
    "dir",
    "required",
    "min",
    "max",
    "strategy",
    "provider",
    "issuer",
    "audience",
    "scope",
    "scopes",
    "duration",
    "seconds",
    "minutes",
    "hours",
    "days",
    "interval",
    "retries",
    "attempts",
    "store",
    "source",
    "table",
    "bucket",
    "ids",
    "subnets",
    "domain",
    "zone",
    "cidr",
    "rounds",
];

/// Decides what a value is: the structural secrets first (they are secrets under any name),
/// then what the name says, then the value's shape.
pub fn classify(name: &str, value: &str) -> ValueKind {
    classify_as(NameClass::of(name), name, value)
}

/// [`classify`] with the name already read.
fn classify_as(class: NameClass, name: &str, value: &str) -> ValueKind {
    let v = value.trim();
    if v.is_empty() {
        return ValueKind::Empty;
    }
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return ValueKind::PrivateKey;
    }
    if is_access_key_id(v) {
        return ValueKind::AwsAccessKeyId;
    }
    if has_token_prefix(v) {
        return ValueKind::ApiToken;
    }
    if is_jwt(v) {
        return ValueKind::Jwt;
    }
    let url = Url::parse(v);
    match class {
        NameClass::Credential => {
            if url.is_some() {
                ValueKind::UrlWithCredentials
            } else if is_aws_secret_key(v) {
                ValueKind::AwsSecretKey
            } else if is_placeholder(v) {
                ValueKind::PlainText
            } else if is_boolean(v) {
                // `MYSQL_ALLOW_EMPTY_PASSWORD=yes`: a switch, not a credential (and never shown).
                ValueKind::Boolean
            } else {
                ValueKind::PasswordLike
            }
        }
        NameClass::Pointer(kind) => match reference(kind, v) {
            Some(reference) => reference,
            None if url.is_some() => ValueKind::UrlWithCredentials,
            None if is_placeholder(v) => ValueKind::PlainText,
            None => ValueKind::PasswordLike,
        },
        NameClass::Setting | NameClass::Plain => {
            if let Some(url) = url {
                let webhook_name = words(name).iter().any(|w| w.contains("hook"));
                return if url.bears_token(webhook_name) {
                    ValueKind::UrlWithCredentials
                } else {
                    ValueKind::Url
                };
            }
            by_shape(v)
        }
    }
}

/// A value judged by its shape alone (its name says nothing about it).
fn by_shape(v: &str) -> ValueKind {
    if is_arn(v) {
        return ValueKind::Arn;
    }
    if v.starts_with("{{resolve:") {
        return ValueKind::SecretReference;
    }
    if is_boolean(v) {
        return ValueKind::Boolean;
    }
    if is_number(v) {
        return ValueKind::Number;
    }
    if is_aws_secret_key(v) && is_high_entropy(v) {
        return ValueKind::AwsSecretKey;
    }
    if is_high_entropy(v) {
        return ValueKind::HighEntropy;
    }
    if is_ssm_path(v) {
        return ValueKind::SecretReference;
    }
    ValueKind::PlainText
}

/// The reference a pointer name promises, when the value parses as one.
fn reference(kind: Pointer, v: &str) -> Option<ValueKind> {
    if v.starts_with("{{resolve:") && v.ends_with("}}") {
        return Some(ValueKind::SecretReference);
    }
    if is_arn(v) {
        return Some(ValueKind::Arn);
    }
    if is_high_entropy(v) {
        return None;
    }
    let found = match kind {
        Pointer::Arn => false,
        Pointer::Alias => is_kms_alias(v),
        Pointer::Name => is_secret_name(v),
        Pointer::Id => is_uuid(v) || is_kms_alias(v) || (v.contains('/') && is_secret_name(v)),
        Pointer::Param => is_ssm_path(v) || (v.contains('/') && is_secret_name(v)),
        Pointer::Path => is_ssm_path(v),
    };
    found.then_some(ValueKind::SecretReference)
}

fn is_arn(v: &str) -> bool {
    v.starts_with("arn:")
        && v.split(':').count() >= 6
        && !v.contains(char::is_whitespace)
        && v.split(':').nth(2).is_some_and(|s| !s.is_empty())
}

/// `alias/app-config`: a KMS key alias.
fn is_kms_alias(v: &str) -> bool {
    v.strip_prefix("alias/").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'_' | b'-'))
    })
}

/// A Secrets Manager secret name or SSM parameter name: `prod/db`, `app.db-password`.
fn is_secret_name(v: &str) -> bool {
    v.len() <= 512
        && v.bytes().any(|c| c.is_ascii_alphabetic())
        && v.bytes().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b'/' | b'_' | b'+' | b'=' | b'.' | b'@' | b'-')
        })
}

/// An SSM parameter path or file path: `/app/prod/db-password`.
fn is_ssm_path(v: &str) -> bool {
    v.starts_with('/') && v.len() > 2 && v.matches('/').count() >= 2 && is_secret_name(v)
}

/// Values that stand for "nothing here" under any name.
fn is_placeholder(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "none" | "null" | "nil" | "undefined" | "-" | "n/a" | "tbd" | "todo" | "unset"
    )
}

fn is_number(v: &str) -> bool {
    v.len() < 20 && v.parse::<f64>().is_ok_and(f64::is_finite)
}

fn is_access_key_id(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 20
        && ["AKIA", "ASIA", "AROA", "AIDA"]
            .iter()
            .any(|p| v.starts_with(p))
        && b[4..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Prefixes of tokens whose issuers made them recognisable on purpose.
const TOKEN_PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxr-",
    "xoxs-",
    "xapp-",
    "sk_live_",
    "rk_live_",
    "sk_test_",
    "rk_test_",
    "whsec_",
    "npm_",
    "pypi-",
    "AIza",
    "SG.",
    "sk-",
    "hf_",
    "dop_v1_",
    "shpat_",
    "shpss_",
];

fn has_token_prefix(v: &str) -> bool {
    !v.contains(char::is_whitespace)
        && v.len() >= 20
        && TOKEN_PREFIXES.iter().any(|p| v.starts_with(p))
}

fn is_jwt(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].len() >= 4
        && parts.iter().all(|p| {
            p.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'=')
        })
}

/// A URL taken apart: enough to tell whether it carries a credential and to mask it.
struct Url<'a> {
    scheme: &'a str,
    userinfo: Option<&'a str>,
    host: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

/// Hosts and paths of URLs that carry their own secret.
const SECRET_URL_PARTS: &[&str] = &[
    "hooks.slack.com/",
    "discord.com/api/webhooks/",
    "discordapp.com/api/webhooks/",
    ".webhook.office.com/",
    "outlook.office.com/webhook",
    "hooks.zapier.com/",
    "api.telegram.org/bot",
    "/hooks/",
    "/services/",
    "/webhook/",
    "/webhooks/",
];

/// Words in a query or fragment key that make its value a credential.
const SECRET_QUERY_WORDS: &[&str] = &[
    "key",
    "token",
    "secret",
    "pass",
    "pwd",
    "sig",
    "auth",
    "credential",
    "code",
    "session",
];

impl<'a> Url<'a> {
    fn parse(v: &'a str) -> Option<Url<'a>> {
        let (scheme, rest) = v.split_once("://")?;
        if scheme.is_empty()
            || !scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            || !scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
            || v.contains(char::is_whitespace)
        {
            return None;
        }
        let (rest, fragment) = match rest.split_once('#') {
            Some((r, f)) => (r, Some(f)),
            None => (rest, None),
        };
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let (userinfo, host) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        Some(Url {
            scheme,
            userinfo,
            host,
            path,
            query,
            fragment,
        })
    }

    /// Whether the URL carries a credential: user info (a password or a token as user name), a
    /// credential in its query or fragment, a webhook host or path, or a random-looking path
    /// segment (a long one anywhere, a shorter one under a webhook-like name).
    fn bears_token(&self, webhook_name: bool) -> bool {
        if self.userinfo.is_some_and(|u| !u.is_empty()) {
            return true;
        }
        let host_path = format!("{}{}", self.host.to_ascii_lowercase(), self.path);
        if SECRET_URL_PARTS.iter().any(|p| host_path.contains(p)) {
            return true;
        }
        let secret_pair = |pairs: &str| {
            pairs.split(['&', ';']).any(|pair| {
                let key = pair.split('=').next().unwrap_or("").to_ascii_lowercase();
                SECRET_QUERY_WORDS.iter().any(|w| key.contains(w))
            })
        };
        if self.query.is_some_and(secret_pair) || self.fragment.is_some_and(secret_pair) {
            return true;
        }
        self.path
            .split('/')
            .any(|segment| is_high_entropy(segment) || (webhook_name && looks_random(segment)))
    }

    /// Scheme and host, and a mask where anything followed them.
    fn masked(&self) -> String {
        let tail = !self.path.trim_matches('/').is_empty()
            || self.query.is_some()
            || self.fragment.is_some();
        format!(
            "{}://{}{}",
            self.scheme,
            self.host,
            if tail { "/…" } else { "" }
        )
    }
}

/// A path segment that could be a token: 16 or more characters with letters and digits.
fn looks_random(segment: &str) -> bool {
    segment.len() >= 16
        && segment.bytes().any(|c| c.is_ascii_digit())
        && segment.bytes().any(|c| c.is_ascii_alphabetic())
}

/// An integration or authorizer URI as kept in the inventory. An ARN keeps its path (it names
/// the Lambda function behind the route) but loses any query; a URL keeps its scheme and host
/// only, because a backend's path or query can hold a token.
pub fn strip_url_secrets(uri: &str) -> String {
    match Url::parse(uri) {
        Some(url) => url.masked(),
        None => uri.split(['?', '#']).next().unwrap_or(uri).to_string(),
    }
}

fn is_boolean(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled" | "y" | "n"
    )
}

/// The shape of an AWS secret access key: 40 characters of base64's alphabet.
fn is_aws_secret_key(v: &str) -> bool {
    v.len() == 40
        && v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'/' || c == b'+')
}

/// Shannon entropy in bits per character.
fn entropy(v: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in v.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = v.chars().count() as f64;
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

fn is_uuid(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(&n, p)| p.len() == n && p.bytes().all(|c| c.is_ascii_hexdigit()))
}

/// A long token of random-looking characters: base64 or hex keys, passwords from a generator.
fn is_high_entropy(v: &str) -> bool {
    if v.contains(char::is_whitespace) || is_uuid(v) {
        return false;
    }
    let len = v.chars().count();
    let hex = v.bytes().all(|c| c.is_ascii_hexdigit());
    if hex {
        return len >= 32 && entropy(v) >= 3.0;
    }
    let has_digit = v.bytes().any(|c| c.is_ascii_digit());
    let has_upper = v.bytes().any(|c| c.is_ascii_uppercase());
    let has_lower = v.bytes().any(|c| c.is_ascii_lowercase());
    let classes = [has_digit, has_upper, has_lower]
        .iter()
        .filter(|&&b| b)
        .count();
    len >= 20 && classes >= 2 && entropy(v) >= 4.0
}

/// A preview that shows what a harmless value is without showing all of a value the classifier
/// may have misjudged. Called only for harmless kinds under harmless names.
fn preview(kind: ValueKind, v: &str) -> String {
    const MAX: usize = 96;
    let v = v.trim();
    let shown = match kind {
        ValueKind::Empty => String::new(),
        ValueKind::Boolean | ValueKind::Number | ValueKind::Arn | ValueKind::SecretReference => {
            v.to_string()
        }
        ValueKind::Url => Url::parse(v).map_or_else(String::new, |u| u.masked()),
        _ => {
            // Plain text: at most a third of it, and never more than 6 characters.
            let n = v.chars().count();
            let keep = (n / 3).min(6);
            let head: String = v.chars().take(keep).collect();
            format!("{head}{}", "*".repeat((n - keep).min(12)))
        }
    };
    let shown: String = shown.chars().filter(|c| !c.is_control()).collect();
    if shown.chars().count() > MAX {
        let cut: String = shown.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ValueKind::*;

    fn key() -> FingerprintKey {
        FingerprintKey::from_bytes([7; 32])
    }

    fn r(name: &str, value: &str) -> RedactedValue {
        redact(&key(), name, value)
    }

    #[test]
    fn names_split_into_words() {
        assert_eq!(words("dbPassword"), ["db", "password"]);
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("SLACK_WEBHOOK_URL"), ["slack", "webhook", "url"]);
        assert_eq!(words("oauth2Token"), ["oauth2", "token"]);
    }

    #[test]
    fn secrets_are_recognised() {
        let cases = [
            ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", AwsAccessKeyId),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                AwsSecretKey,
            ),
            (
                "TLS_KEY",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----",
                PrivateKey,
            ),
            ("GH", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", ApiToken),
            ("SLACK", "xoxb-123456789012-abcdefghijklmnop", ApiToken),
            ("STRIPE", "sk_live_51HabcdefGHIJKLmnop", ApiToken),
            (
                "SESSION",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdEFGHijkl",
                Jwt,
            ),
            (
                "DATABASE_URL",
                "postgres://app:hunter2@db.internal:5432/app",
                UrlWithCredentials,
            ),
            (
                "HOOK",
                "https://hooks.example.com/x?token=abc",
                UrlWithCredentials,
            ),
            ("DB_PASSWORD", "hunter22", PasswordLike),
            ("DB_PW", "correct horse", PasswordLike),
            ("DB_PASSWORD", "/Xk9/pq/z", PasswordLike),
            ("API_KEY", "abc123def456", PasswordLike),
            (
                "BLOB",
                "Zx9Qm2Lk8Vb4Nc7Wd1Rf6Tg3Yh5Uj0IoPaSdFgHjKl",
                HighEntropy,
            ),
        ];
        for (name, value, kind) in cases {
            assert_eq!(classify(name, value), kind, "{name}={value}");
            assert!(r(name, value).preview.is_none(), "{name} leaked a preview");
        }
    }

    /// The shapes the first redaction kept whole: digits, PINs, booleans, URLs whose path is
    /// the token. Under a credential-like name each is a secret.
    #[test]
    fn a_credential_name_makes_any_shape_a_secret() {
        let cases = [
            ("DB_PASSWORD", "84736251", PasswordLike),
            ("ADMIN_PIN", "482913", PasswordLike),
            ("adminPin", "1111", PasswordLike),
            ("PIN_CODE", "0000", PasswordLike),
            ("DB_PASS", "x", PasswordLike),
            ("SALT", "3.14", PasswordLike),
            ("PRIVATE_SIGNING_MATERIAL", "/a/b/c", PasswordLike),
            ("dsn", "host=db user=app", PasswordLike),
            ("CONNECTION_STRING", "Server=db;Password=p", PasswordLike),
            (
                "ALERT_WEBHOOK_URL",
                "https://hooks.example.com/services/T000/B000/abcdefghijklmnopqrstuvwx",
                UrlWithCredentials,
            ),
            ("WEBHOOK", "https://example.com/in/x", UrlWithCredentials),
            (
                "AUTH_TOKEN",
                "arn:aws:secretsmanager:eu-west-1:1:secret:x",
                PasswordLike,
            ),
        ];
        for (name, value, kind) in cases {
            let got = r(name, value);
            assert_eq!(got.kind, kind, "{name}={value}");
            assert!(got.preview.is_none(), "{name} leaked a preview");
        }
    }

    #[test]
    fn token_bearing_urls_are_secrets_under_any_name() {
        for (name, value) in [
            (
                "SLACK",
                "https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            ),
            (
                "ALERTS",
                "https://discord.com/api/webhooks/123/abcdefABCDEF",
            ),
            ("TEAMS", "https://acme.webhook.office.com/webhookb2/abc"),
            ("NOTIFY", "https://ci.example.com/hooks/abc"),
            ("CALLBACK", "https://api.example.com/cb?sig=abcdef"),
            ("CALLBACK", "https://api.example.com/cb#access_token=abcdef"),
            ("MIRROR", "https://token@git.example.com/repo.git"),
            (
                "DOWNLOAD",
                "https://bucket.s3.amazonaws.com/k?X-Amz-Signature=abc&X-Amz-Credential=d",
            ),
            (
                "FEED",
                "https://feeds.example.com/u/Zx9Qm2Lk8Vb4Nc7Wd1Rf6Tg3Yh5Uj0IoP",
            ),
            (
                "PAGER_HOOK",
                "https://events.example.com/v2/a1b2c3d4e5f6g7h8",
            ),
        ] {
            let got = r(name, value);
            assert_eq!(got.kind, UrlWithCredentials, "{name}={value}");
            assert!(got.preview.is_none());
        }
    }

    /// Each kind of reference under a pointer name, and its near miss: the same name holding a
    /// value that is not that kind of reference.
    #[test]
    fn references_under_pointer_names_and_their_near_misses() {
        let cases = [
            (
                "DB_PASSWORD_ARN",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf",
                Arn,
            ),
            ("DB_PASSWORD_ARN", "prod/db", PasswordLike),
            ("KMS_KEY_ALIAS", "alias/app-config", SecretReference),
            ("KMS_KEY_ALIAS", "app-config!", PasswordLike),
            ("DB_PASSWORD_PARAM", "/prod/db/password", SecretReference),
            ("DB_PASSWORD_PARAM", "hunter22!", PasswordLike),
            ("SECRET_NAME", "prod/db", SecretReference),
            ("SECRET_NAME", "s3cr3t pass", PasswordLike),
            (
                "SECRET_ID",
                "{{resolve:secretsmanager:prod/db:SecretString:password}}",
                SecretReference,
            ),
            (
                "SIGNING_KEY_ID",
                "1234abcd-12ab-34cd-56ef-1234567890ab",
                SecretReference,
            ),
            ("SIGNING_KEY_ID", "Xk9#pq2z", PasswordLike),
            ("TLS_KEY_PATH", "/etc/ssl/private/app.pem", SecretReference),
            ("TLS_KEY_PATH", "hunter2", PasswordLike),
            (
                "API_TOKEN_NAME",
                "Zx9Qm2Lk8Vb4Nc7Wd1Rf6Tg3Yh5Uj0IoPaSdFgHjKl",
                PasswordLike,
            ),
        ];
        for (name, value, kind) in cases {
            let got = r(name, value);
            assert_eq!(got.kind, kind, "{name}={value}");
            // Never a preview under a credential-like name, not even of a reference.
            assert!(got.preview.is_none(), "{name}={value} previewed");
        }
    }

    #[test]
    fn settings_about_secrets_are_not_flagged_and_not_previewed() {
        let cases = [
            ("PASSWORD_MIN_LENGTH", "12", Number),
            ("TOKEN_TTL", "3600", Number),
            ("API_KEY_HEADER", "x-api-key", PlainText),
            ("PASSWORD_POLICY", "strict", PlainText),
            ("MYSQL_ALLOW_EMPTY_PASSWORD", "yes", Boolean),
            ("AUTH_MODE", "none", PlainText),
            ("TOKEN_URL", "https://auth.example.com/oauth/token", Url),
            ("PRIVATE_SUBNET_IDS", "subnet-1,subnet-2", PlainText),
            ("SECRET_ROTATION_DAYS", "30", Number),
        ];
        for (name, value, kind) in cases {
            let got = r(name, value);
            assert_eq!(got.kind, kind, "{name}={value}");
            assert!(got.preview.is_none(), "{name}={value} previewed");
        }
    }

    #[test]
    fn harmless_values_under_harmless_names_are_previewed() {
        let cases = [
            (
                "QUEUE_ARN",
                "arn:aws:sqs:eu-west-1:123456789012:orders",
                Arn,
                "arn:aws:sqs:eu-west-1:123456789012:orders",
            ),
            (
                "CONFIG_PATH",
                "/app/prod/config",
                SecretReference,
                "/app/prod/config",
            ),
            ("USE_SSL", "true", Boolean, "true"),
            ("PORT", "8080", Number, "8080"),
            (
                "API_URL",
                "https://api.example.com/v1",
                Url,
                "https://api.example.com/…",
            ),
            (
                "HOME_PAGE",
                "https://example.com",
                Url,
                "https://example.com",
            ),
            ("LOG_LEVEL", "INFO", PlainText, "I***"),
            ("PARTITION_KEY", "userId", PlainText, "us****"),
            ("EMPTY", "", Empty, ""),
        ];
        for (name, value, kind, shown) in cases {
            let got = r(name, value);
            assert_eq!(got.kind, kind, "{name}={value}");
            assert_eq!(got.preview.as_deref(), Some(shown), "{name}={value}");
        }
    }

    #[test]
    fn previews_never_show_a_whole_plain_value_nor_a_url_path() {
        assert_eq!(
            r("GREETING", "hello world").preview.as_deref(),
            Some("hel********")
        );
        assert_eq!(
            r("X", "https://a.b/c?x=1").preview.as_deref(),
            Some("https://a.b/…")
        );
    }

    #[test]
    fn keyed_fingerprints_match_equal_values_under_one_key_only() {
        let a = FingerprintKey::from_bytes([1; 32]);
        let b = FingerprintKey::from_bytes([2; 32]);
        assert_eq!(a.fingerprint("482913"), a.fingerprint("482913"));
        assert_ne!(a.fingerprint("482913"), a.fingerprint("482914"));
        assert_ne!(a.fingerprint("482913"), b.fingerprint("482913"));
        let fp = a.fingerprint("x");
        assert!(fp.starts_with("hmac:") && fp.len() == 5 + 16, "{fp}");
    }

    /// RFC 4231 test case 2 ("Jefe"): a key held as 32 bytes (zero-padded) is the RFC's key, and
    /// a fingerprint is that HMAC over the domain label and the value, cut to 8 bytes.
    #[test]
    fn hmac_is_rfc_4231() {
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        let message = b"what do ya want for nothing?";
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(message);
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let mut labelled = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        labelled.update(b"sprawl-variable-v2\0what do ya want for nothing?");
        assert_eq!(
            FingerprintKey::from_bytes(key).fingerprint("what do ya want for nothing?"),
            format!(
                "hmac:{}",
                hex::encode(&labelled.finalize().into_bytes()[..8])
            )
        );
    }

    #[test]
    fn the_key_is_made_once_0600_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cfg/sprawl/fingerprint.key");
        let first = FingerprintKey::load_or_create(&path).unwrap();
        let again = FingerprintKey::load_or_create(&path).unwrap();
        assert_eq!(first, again);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        std::fs::write(&path, "not hex").unwrap();
        let err = FingerprintKey::load_or_create(&path)
            .unwrap_err()
            .to_string();
        assert!(err.contains("64 hex digits"), "{err}");
    }

    #[test]
    fn uris_keep_scheme_and_host_or_an_arn_path() {
        assert_eq!(
            strip_url_secrets("https://user:pw@api.example.com/v1/x?key=abc"),
            "https://api.example.com/…"
        );
        let arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:1:function:f/invocations";
        assert_eq!(strip_url_secrets(arn), arn);
        assert_eq!(strip_url_secrets(&format!("{arn}?x=1")), arn);
    }
}
