//! Classification and redaction of variable values. This is the only code that ever sees an
//! environment- or stage-variable value; what leaves it is a [`RedactedValue`].

use sha2::{Digest, Sha256};

use crate::model::{RedactedValue, ValueKind, Variable};

/// Redacts every variable of a map, sorted by name.
pub fn redact_all<'a>(vars: impl IntoIterator<Item = (&'a String, &'a String)>) -> Vec<Variable> {
    let mut out: Vec<Variable> = vars
        .into_iter()
        .map(|(name, value)| Variable {
            name: name.clone(),
            value: redact(name, value),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Classifies one value and replaces it by its kind, fingerprint, length and, for non-secrets
/// only, a masked preview.
pub fn redact(name: &str, value: &str) -> RedactedValue {
    let kind = classify(name, value);
    RedactedValue {
        kind,
        fingerprint: fingerprint(value),
        length: value.chars().count(),
        preview: (!kind.is_secret()).then(|| preview(kind, value)),
    }
}

/// First 8 hex characters of SHA-256 over a domain-separated value: enough to match two
/// functions that share a secret, too little to confirm a guess of a strong one.
pub fn fingerprint(value: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"sprawl-variable-v1\0");
    h.update(value.as_bytes());
    hex::encode(&h.finalize()[..4])
}

/// Decides what a value is. Order matters: structural secrets first, then harmless shapes that
/// sensitive-sounding names often hold (`PASSWORD_MIN_LENGTH=12`, `SECRET_NAME=prod/db`), then the
/// name-based and entropy-based guesses.
pub fn classify(name: &str, value: &str) -> ValueKind {
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
    if let Some(has_credentials) = url_has_credentials(v) {
        return if has_credentials {
            ValueKind::UrlWithCredentials
        } else {
            ValueKind::Url
        };
    }
    if v.starts_with("arn:") && v.split(':').count() >= 6 {
        return ValueKind::Arn;
    }
    if is_boolean(v) {
        return ValueKind::Boolean;
    }
    if v.parse::<f64>().is_ok() && v.len() < 20 {
        return ValueKind::Number;
    }
    if is_aws_secret_key(name, v) {
        return ValueKind::AwsSecretKey;
    }
    if is_reference(name, v) {
        return ValueKind::SecretReference;
    }
    if is_sensitive_name(name) && !describes_a_secret(name) && is_nontrivial(v) {
        return ValueKind::PasswordLike;
    }
    if is_high_entropy(v) {
        return ValueKind::HighEntropy;
    }
    ValueKind::PlainText
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

/// Query parameters that carry credentials.
const SENSITIVE_QUERY_KEYS: &[&str] = &[
    "key",
    "apikey",
    "api_key",
    "token",
    "access_token",
    "secret",
    "password",
    "pass",
    "pwd",
    "sig",
    "signature",
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "auth",
    "code",
    "client_secret",
];

/// `None` when `v` is not a URL; otherwise whether it carries a password or a credential in its
/// query string.
fn url_has_credentials(v: &str) -> Option<bool> {
    let (scheme, rest) = v.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        || v.contains(char::is_whitespace)
    {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let userinfo_password = authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'));
    // Webhook URLs whose path is the credential: anyone holding one can post as you.
    let secret_path = SECRET_URL_PARTS.iter().any(|p| rest.contains(p));
    let query_secret = rest.split_once('?').is_some_and(|(_, q)| {
        q.split('&').any(|pair| {
            let key = pair.split('=').next().unwrap_or("").to_ascii_lowercase();
            SENSITIVE_QUERY_KEYS.contains(&key.as_str())
        })
    });
    Some(userinfo_password || query_secret || secret_path)
}

/// Hosts and paths of URLs that carry their own secret.
const SECRET_URL_PARTS: &[&str] = &[
    "hooks.slack.com/services/",
    "hooks.slack.com/workflows/",
    "discord.com/api/webhooks/",
    "discordapp.com/api/webhooks/",
    ".webhook.office.com/",
    "outlook.office.com/webhook/",
    "hooks.zapier.com/hooks/",
    "api.telegram.org/bot",
];

/// A URI with user info and query string removed, for integration and authorizer URIs that are
/// stored verbatim otherwise.
pub fn strip_url_secrets(uri: &str) -> String {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return uri.split('?').next().unwrap_or(uri).to_string();
    };
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    format!("{scheme}://{host}{path}")
}

fn is_boolean(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled" | "y" | "n"
    )
}

fn is_aws_secret_key(name: &str, v: &str) -> bool {
    let lname = name.to_ascii_lowercase();
    v.len() == 40
        && v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'/' || c == b'+')
        && (lname.contains("secret") || lname.contains("aws") || is_high_entropy(v))
}

/// Name endings that say "this points to a secret", not "this is a secret".
const REFERENCE_SUFFIXES: &[&str] = &[
    "_name",
    "_arn",
    "_id",
    "_path",
    "_param",
    "_parameter",
    "_ref",
    "_key_name",
    "_secret_name",
    "_secret_id",
    "_ssm",
    "_location",
];

fn is_reference(name: &str, v: &str) -> bool {
    if v.starts_with("{{resolve:") {
        return true;
    }
    let path_like = v.bytes().all(|c| {
        c.is_ascii_alphanumeric() || matches!(c, b'/' | b'-' | b'_' | b'.' | b'+' | b'=' | b'@')
    });
    if !path_like || is_high_entropy(v) {
        return false;
    }
    let lname = name.to_ascii_lowercase();
    let named_as_pointer = REFERENCE_SUFFIXES.iter().any(|s| lname.ends_with(s));
    // A sensitive name (`DB_PASSWORD`) holds the secret itself unless it says it is a pointer
    // (`DB_PASSWORD_PARAM`): a password that happens to start with `/` must not be previewed.
    if is_sensitive_name(name) && !named_as_pointer {
        return false;
    }
    // An SSM parameter path: /app/prod/db-password.
    let ssm_path = v.starts_with('/') && v.matches('/').count() >= 2 && v.len() > 2;
    // `SECRET_NAME=prod/db`, `DB_PASSWORD_ARN=...`: a name that points at a secret store.
    let points_at_secret = is_sensitive_name(name) || v.contains('/');
    ssm_path || (named_as_pointer && points_at_secret)
}

/// Words in a variable name that say its value is sensitive.
const SENSITIVE_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "accesskey",
    "secretkey",
    "signingkey",
    "encryptionkey",
    "masterkey",
    "sessionkey",
    "credential",
    "clientsecret",
    "connectionstring",
    "connstr",
    "dsn",
    "salt",
    "webhook",
];

/// Whole name parts that are sensitive on their own (`DB_PW`, `AUTH`), too short to search as
/// substrings.
const SENSITIVE_PARTS: &[&str] = &["pw", "pwd", "pass", "auth", "key", "creds", "cred"];

fn is_sensitive_name(name: &str) -> bool {
    let squashed: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if SENSITIVE_WORDS.iter().any(|w| squashed.contains(w)) {
        return true;
    }
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|part| SENSITIVE_PARTS.contains(&part.to_ascii_lowercase().as_str()))
}

/// Last name parts that make a sensitive-sounding name a setting *about* a secret
/// (`API_KEY_HEADER=x-api-key`, `PASSWORD_POLICY=strict`, `KEY_PREFIX=orders/`), not the secret.
const METADATA_PARTS: &[&str] = &[
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
    "version",
    "region",
    "size",
    "count",
    "rotation",
    "endpoint",
    "file",
    "dir",
    "name",
    "names",
    "id",
    "arn",
    "path",
    "param",
    "parameter",
    "location",
    "required",
    "min",
    "max",
    "strategy",
    "provider",
    "issuer",
    "audience",
    "scope",
    "scopes",
];

fn describes_a_secret(name: &str) -> bool {
    name.rsplit(|c: char| !c.is_ascii_alphanumeric())
        .find(|p| !p.is_empty())
        .is_some_and(|last| METADATA_PARTS.contains(&last.to_ascii_lowercase().as_str()))
}

/// Values too trivial to be a secret even under a sensitive name.
fn is_nontrivial(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "none" | "null" | "nil" | "undefined" | "-" | "n/a" | "na" | "tbd" | "todo" | "default"
    ) {
        return false;
    }
    let first = v.chars().next();
    v.chars().count() >= 4 && !v.chars().all(|c| Some(c) == first)
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
/// may have misjudged.
fn preview(kind: ValueKind, v: &str) -> String {
    const MAX: usize = 96;
    let shown = match kind {
        ValueKind::Empty => String::new(),
        ValueKind::Boolean | ValueKind::Number | ValueKind::Arn | ValueKind::SecretReference => {
            v.to_string()
        }
        ValueKind::Url => strip_url_secrets(v),
        _ => {
            // Plain text: at most a third of it, and never more than 6 characters.
            let n = v.chars().count();
            let keep = (n / 3).min(6);
            let head: String = v.chars().take(keep).collect();
            format!("{head}{}", "*".repeat((n - keep).min(12)))
        }
    };
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
                "SIGNING",
                "Zx9Qm2Lk8Vb4Nc7Wd1Rf6Tg3Yh5Uj0IoPaSdFgHjKl",
                HighEntropy,
            ),
        ];
        for (name, value, kind) in cases {
            assert_eq!(classify(name, value), kind, "{name}={value}");
            assert!(
                redact(name, value).preview.is_none(),
                "{name} leaked a preview"
            );
        }
    }

    #[test]
    fn webhook_urls_and_secrets_under_plain_suffixes_are_secrets() {
        for (name, value, kind) in [
            (
                "SLACK_WEBHOOK_URL",
                "https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                UrlWithCredentials,
            ),
            (
                "ALERTS",
                "https://discord.com/api/webhooks/123/abcdefABCDEF",
                UrlWithCredentials,
            ),
            (
                "SECRET_KEY_BASE",
                "a3f5b9c2d8e1f4a7b6c5d4e3f2a1b0c9",
                PasswordLike,
            ),
            ("CLIENT_SECRET", "Zm9vYmFyYmF6cXV4", PasswordLike),
        ] {
            assert_eq!(classify(name, value), kind, "{name}");
            assert!(redact(name, value).preview.is_none());
        }
    }

    #[test]
    fn harmless_look_alikes_are_not_secrets() {
        let cases = [
            (
                "QUEUE_ARN",
                "arn:aws:sqs:eu-west-1:123456789012:orders",
                Arn,
            ),
            ("SECRET_NAME", "prod/db", SecretReference),
            ("DB_PASSWORD_PARAM", "/prod/db/password", SecretReference),
            ("CONFIG_PATH", "/app/prod/config", SecretReference),
            ("PASSWORD_MIN_LENGTH", "12", Number),
            ("USE_SSL", "true", Boolean),
            ("API_URL", "https://api.example.com/v1", Url),
            ("LOG_LEVEL", "INFO", PlainText),
            (
                "REQUEST_ID",
                "123e4567-e89b-12d3-a456-426614174000",
                PlainText,
            ),
            ("TOKEN_TTL", "3600", Number),
            ("EMPTY", "", Empty),
            ("AUTH_MODE", "none", PlainText),
            // Settings about secrets (false positives other scanners were asked to fix).
            ("API_KEY_HEADER", "x-api-key", PlainText),
            ("PASSWORD_POLICY", "strict", PlainText),
            ("KEY_PREFIX", "orders", PlainText),
            ("MYSQL_ALLOW_EMPTY_PASSWORD", "yes", Boolean),
            ("AWS_CA_BUNDLE", "/etc/ssl/certs/ca.pem", SecretReference),
            ("TOKEN_URL", "https://auth.example.com/oauth/token", Url),
        ];
        for (name, value, kind) in cases {
            assert_eq!(classify(name, value), kind, "{name}={value}");
            assert!(redact(name, value).preview.is_some());
        }
    }

    #[test]
    fn previews_never_show_a_whole_plain_value() {
        let r = redact("GREETING", "hello world");
        assert_eq!(r.preview.as_deref(), Some("hel********"));
        assert_eq!(
            redact("X", "https://a.b/c?x=1").preview.as_deref(),
            Some("https://a.b/c")
        );
    }

    #[test]
    fn fingerprints_match_equal_values_only() {
        assert_eq!(fingerprint("s3cr3t"), fingerprint("s3cr3t"));
        assert_ne!(fingerprint("s3cr3t"), fingerprint("s3cr3T"));
        assert_eq!(fingerprint("x").len(), 8);
    }

    #[test]
    fn uris_lose_credentials() {
        assert_eq!(
            strip_url_secrets("https://user:pw@api.example.com/v1/x?key=abc"),
            "https://api.example.com/v1/x"
        );
        assert_eq!(
            strip_url_secrets(
                "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:1:function:f/invocations"
            ),
            "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:1:function:f/invocations"
        );
    }
}
