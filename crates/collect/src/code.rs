//! `scan --code`: what each function runs, read from its deployment package and from the layer
//! versions it runs, and nothing kept of them but what sprawl-code derives (packages, code that
//! names none, secrets by fingerprint).
//!
//! Bounded and honest: the plan (unique packages, their bytes from the listing's `CodeSize`) is
//! told before anything is downloaded, and above `--code-budget` nothing is. Each package is read
//! once however many functions share its `CodeSha256`. Its presigned URL is asked for just before
//! the download (it expires in minutes), accepted only on S3's own HTTPS hosts, and never logged
//! or kept; the bytes stream to a private temporary file while they are hashed, and a package
//! larger than its `CodeSize`, cut short, or whose SHA-256 is not its `CodeSha256` is not read.
//! A fixed number of readers bounds memory and disk whatever the packages' sizes. Anything not
//! read (an image, a refused layer, a failed download) says why: never clean.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Connector, ConnectorBuilder};
use aws_smithy_runtime_api::client::http::HttpConnector;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use futures::StreamExt;
use sha2::{Digest, Sha256};
use sprawl_code::{CodeAudit, Limits};
use sprawl_model::{Detail, Failure, FailureKind, Inventory, LayerCode, ProgressEvent};

use super::call::CallContext;
use super::ops::{GET_FUNCTION, GET_LAYER_VERSION, PACKAGE_DOWNLOAD, VULNERABILITY_DATABASE};

/// What `--code` reads within.
#[derive(Debug, Clone)]
pub struct CodeOptions {
    /// The most bytes (zipped, as the listing gives them) a scan downloads: above it, nothing.
    pub budget_bytes: u64,
    /// Packages read at once: each holds one temporary file and one zip reader.
    pub readers: usize,
    pub limits: Limits,
    /// `--vuln-db DIR`: OSV's dumps (`DIR/<Ecosystem>/all.zip`) to judge the packages read
    /// against, once they are all read.
    pub vuln_db: Option<std::path::PathBuf>,
    /// Tests only: fetch every package from this loopback origin (`http://127.0.0.1:PORT`), the
    /// URL's path and query kept, in place of S3's host (no emulator serves the bytes). Any
    /// other origin is refused.
    pub loopback_origin: Option<String>,
}

/// `--code-budget`'s default: 5 GiB, about 500 packages of a typical 10 MB.
pub const DEFAULT_BUDGET: u64 = 5 << 30;

impl Default for CodeOptions {
    fn default() -> Self {
        CodeOptions {
            budget_bytes: DEFAULT_BUDGET,
            readers: 4,
            limits: Limits::default(),
            vuln_db: None,
            loopback_origin: None,
        }
    }
}

/// The longest wait for a download's answer, and for each piece of its body after that.
const IDLE: Duration = Duration::from_secs(60);

/// One package to read: a function's (named by one of the functions that run it) or a layer
/// version's.
#[derive(Debug, Clone)]
enum Work {
    Function {
        region: String,
        name: String,
        sha256: String,
        bytes: u64,
    },
    Layer {
        region: String,
        arn: String,
        bytes: u64,
    },
}

impl Work {
    fn bytes(&self) -> u64 {
        match self {
            Work::Function { bytes, .. } | Work::Layer { bytes, .. } => *bytes,
        }
    }
}

/// Why a package was not read, told on every function or layer that names it.
#[derive(Debug, Clone)]
struct NotRead {
    kind: FailureKind,
    message: String,
}

impl NotRead {
    fn other(message: impl Into<String>) -> NotRead {
        NotRead {
            kind: FailureKind::Other,
            message: message.into(),
        }
    }

    fn detail<T>(&self) -> Detail<T> {
        Detail::Failed {
            kind: self.kind,
            message: self.message.clone(),
        }
    }
}

impl From<Failure> for NotRead {
    fn from(f: Failure) -> NotRead {
        NotRead {
            kind: f.kind,
            message: f.message,
        }
    }
}

/// Reads the code of the inventory's functions and of the layers they run (`layer_sizes`, from
/// the listing), within `options`: audits into `inv.code`, each function's and layer's
/// `code` naming its audit or why there is none.
pub async fn read<F>(
    ctx: &CallContext,
    lambda_of: F,
    inv: &mut Inventory,
    layer_sizes: &[(String, i64)],
    options: &CodeOptions,
) where
    F: Fn(&str) -> aws_sdk_lambda::Client,
{
    let work = plan(inv, layer_sizes);
    let bytes: u64 = work.iter().map(Work::bytes).sum();
    let packages = work
        .iter()
        .filter(|w| matches!(w, Work::Function { .. }))
        .count() as u64;
    let layers = work.len() as u64 - packages;
    ctx.emit(ProgressEvent::CodePlan {
        packages,
        layers,
        bytes,
        budget: options.budget_bytes,
    });
    if bytes > options.budget_bytes {
        let why = NotRead::other(format!(
            "not read: the {packages} package(s) and {layers} layer version(s) to read total \
             {bytes} bytes, over --code-budget ({} bytes)",
            options.budget_bytes
        ));
        settle(inv, &HashMap::new(), &why);
        return;
    }
    let results = match tempfile::Builder::new().prefix("sprawl-code-").tempdir() {
        Ok(dir) => {
            let reader = Reader {
                ctx,
                connector: connector(),
                dir: dir.path(),
                options,
            };
            let reads = work.into_iter().enumerate().map(|(i, w)| {
                let client = match &w {
                    Work::Function { region, .. } | Work::Layer { region, .. } => lambda_of(region),
                };
                let reader = &reader;
                async move { (w.clone(), reader.read(i, &client, &w).await) }
            });
            futures::stream::iter(reads)
                .buffer_unordered(options.readers.max(1))
                .collect::<Vec<_>>()
                .await
        }
        Err(e) => {
            let why = NotRead::other(format!("no private temporary directory to read into: {e}"));
            settle(inv, &HashMap::new(), &why);
            return;
        }
    };
    let mut outcome: HashMap<String, Result<String, NotRead>> = HashMap::new();
    for (w, result) in results {
        let key = match &w {
            Work::Function { sha256, .. } => sha256.clone(),
            Work::Layer { arn, .. } => arn.clone(),
        };
        let result = result.map(|(sha256, audit)| {
            inv.code.insert(sha256.clone(), audit);
            sha256
        });
        outcome.insert(key, result);
    }
    settle(inv, &outcome, &NotRead::other("not read"));
    if let Some(dir) = &options.vuln_db {
        judge(ctx, inv, dir).await;
    }
}

/// Judges the packages read against the OSV dumps in `dir` (read off the runtime: a dump is
/// large); a dump that cannot be read leaves them not judged, and the coverage says why.
async fn judge(ctx: &CallContext, inv: &mut Inventory, dir: &Path) {
    let audits: Vec<CodeAudit> = inv.code.values().cloned().collect();
    let dir = dir.to_path_buf();
    let judged = tokio::task::spawn_blocking(move || {
        sprawl_code::osv::judge_audits(&dir, &audits).map_err(|e| e.to_string())
    })
    .await
    .unwrap_or_else(|e| Err(format!("its reader stopped: {e}")));
    match judged {
        Ok(advisories) => {
            ctx.succeeded(&VULNERABILITY_DATABASE, "global");
            inv.advisories = Some(advisories);
        }
        Err(why) => ctx.record_failure(
            &VULNERABILITY_DATABASE,
            "global",
            &Failure {
                kind: FailureKind::Other,
                message: format!("the vulnerability database could not be read: {why}"),
            },
        ),
    }
}

/// The packages to read, each once: the functions' by `CodeSha256` (an image function's code
/// is not a package: it is skipped, saying so), then the layer versions they run.
fn plan(inv: &mut Inventory, layer_sizes: &[(String, i64)]) -> Vec<Work> {
    let mut by_sha: BTreeMap<String, Work> = BTreeMap::new();
    for f in &mut inv.functions {
        // Asked for and not read: not assessed, never quiet.
        if f.package_type == "Image" {
            f.code = Detail::Failed {
                kind: FailureKind::NotSupported,
                message:
                    "a container image: its code is an image in ECR, which sprawl does not read"
                        .into(),
            };
            continue;
        }
        let Some(sha256) = f.code_sha256.clone() else {
            f.code = NotRead::other("the listing gave no CodeSha256 for its package").detail();
            continue;
        };
        by_sha
            .entry(sha256.clone())
            .or_insert_with(|| Work::Function {
                region: f.region.clone(),
                name: f.name.clone(),
                sha256,
                bytes: f.code_size_bytes.max(0) as u64,
            });
    }
    let mut layers: BTreeMap<&str, i64> = BTreeMap::new();
    for (arn, size) in layer_sizes {
        layers.entry(arn).or_insert(*size);
    }
    inv.layer_code = layers
        .iter()
        .map(|(arn, size)| LayerCode {
            arn: arn.to_string(),
            region: arn.split(':').nth(3).unwrap_or_default().to_string(),
            code_size_bytes: *size,
            code: Detail::skipped("not read yet"),
        })
        .collect();
    let layer_work = inv.layer_code.iter().map(|l| Work::Layer {
        region: l.region.clone(),
        arn: l.arn.clone(),
        bytes: l.code_size_bytes.max(0) as u64,
    });
    by_sha.into_values().chain(layer_work).collect()
}

/// Gives every function and layer still waiting its outcome (by `CodeSha256` for a function, by
/// ARN for a layer), or `otherwise`.
fn settle(
    inv: &mut Inventory,
    outcome: &HashMap<String, Result<String, NotRead>>,
    otherwise: &NotRead,
) {
    let of = |key: Option<&String>| match key.and_then(|k| outcome.get(k)) {
        Some(Ok(sha256)) => Detail::collected(sha256.clone()),
        Some(Err(why)) => why.detail(),
        None => otherwise.detail(),
    };
    for f in &mut inv.functions {
        if f.package_type != "Image" && f.code_sha256.is_some() {
            f.code = of(f.code_sha256.as_ref());
        }
    }
    for l in &mut inv.layer_code {
        l.code = of(Some(&l.arn));
    }
}

/// What one scan reads packages with.
struct Reader<'a> {
    ctx: &'a CallContext,
    connector: Connector,
    dir: &'a Path,
    options: &'a CodeOptions,
}

impl Reader<'_> {
    /// Reads one package: its presigned URL (asked for now, as it expires), the download, the
    /// checksum, the audit. `i` names its temporary file.
    async fn read(
        &self,
        i: usize,
        client: &aws_sdk_lambda::Client,
        work: &Work,
    ) -> Result<(String, CodeAudit), NotRead> {
        let (op, region, location, sha256, bytes) = match work {
            Work::Function {
                region,
                name,
                sha256,
                bytes,
            } => {
                let out = self
                    .ctx
                    .call_required(&GET_FUNCTION, region, || {
                        client.get_function().function_name(name).send()
                    })
                    .await?;
                let now = out.configuration().and_then(|c| c.code_sha256());
                if now.is_some_and(|now| now != sha256) {
                    return Err(NotRead::other(
                        "its code changed while the account was scanned: scan again",
                    ));
                }
                let code = out.code();
                let location = code.and_then(|c| c.location()).ok_or_else(|| {
                    let kind = code.and_then(|c| c.repository_type()).unwrap_or("none");
                    NotRead::other(format!(
                        "GetFunction gave no package location (repository type {kind})"
                    ))
                })?;
                (
                    &GET_FUNCTION,
                    region,
                    location.to_string(),
                    sha256.clone(),
                    *bytes,
                )
            }
            Work::Layer { region, arn, .. } => {
                let (layer, version) = arn
                    .rsplit_once(':')
                    .and_then(|(layer, v)| Some((layer, v.parse::<i64>().ok()?)))
                    .ok_or_else(|| NotRead::other("its ARN names no version"))?;
                let out = self
                    .ctx
                    .call_required(&GET_LAYER_VERSION, region, || {
                        client
                            .get_layer_version()
                            .layer_name(layer)
                            .version_number(version)
                            .send()
                    })
                    .await?;
                let content = out.content();
                let location = content.and_then(|c| c.location());
                let sha256 = content.and_then(|c| c.code_sha256());
                let (Some(location), Some(sha256)) = (location, sha256) else {
                    return Err(NotRead::other(
                        "GetLayerVersion gave no content location or CodeSha256",
                    ));
                };
                let size = content.map_or(0, |c| c.code_size()).max(0) as u64;
                (
                    &GET_LAYER_VERSION,
                    region,
                    location.to_string(),
                    sha256.to_string(),
                    size,
                )
            }
        };
        let result = self.fetch(i, &location, &sha256, bytes).await;
        // The coverage says how many packages were read, and which failed, where and why (never
        // the URL), beside the API call that named it.
        match &result {
            Ok(_) => self.ctx.succeeded(&PACKAGE_DOWNLOAD, region),
            Err(why) => {
                let what = match op.name {
                    "GetLayerVersion" => "a layer version's content",
                    _ => "a function's package",
                };
                let failure = Failure {
                    kind: why.kind,
                    message: format!("{what}: {}", why.message),
                };
                self.ctx.record_failure(&PACKAGE_DOWNLOAD, region, &failure);
            }
        }
        result.map(|audit| (sha256, audit))
    }

    /// Downloads the package at `location` to a private file, checks it is `bytes` long with
    /// SHA-256 `sha256` (base64), and audits it.
    async fn fetch(
        &self,
        i: usize,
        location: &str,
        sha256: &str,
        bytes: u64,
    ) -> Result<CodeAudit, NotRead> {
        let url = self.url(location)?;
        let path = self.dir.join(format!("{i}.zip"));
        let downloaded = self.download(&url, &path, sha256, bytes).await;
        let audited = match downloaded {
            Ok(()) => {
                let limits = self.options.limits;
                let key = self.ctx.fingerprint_key().clone();
                let at = path.clone();
                tokio::task::spawn_blocking(move || {
                    let file = std::fs::File::open(&at).map_err(|e| e.to_string())?;
                    sprawl_code::audit(std::io::BufReader::new(file), &limits, &key)
                        .map_err(|e| e.to_string())
                })
                .await
                .unwrap_or_else(|e| Err(format!("its reader stopped: {e}")))
                .map_err(|e| NotRead::other(format!("the package could not be read: {e}")))
            }
            Err(why) => Err(why),
        };
        let _ = std::fs::remove_file(&path);
        audited
    }

    /// The URL to fetch: Lambda's, if it is on S3's own HTTPS hosts (or, in tests, the same path
    /// at the loopback origin).
    fn url(&self, location: &str) -> Result<String, NotRead> {
        let refused = || {
            NotRead::other(
                "its package location is not an HTTPS address on S3's own hosts: not fetched",
            )
        };
        let rest = location.strip_prefix("https://").ok_or_else(refused)?;
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (host, path) = rest.split_at(end);
        if !lambda_store(host) {
            return Err(refused());
        }
        match &self.options.loopback_origin {
            None => Ok(location.to_string()),
            Some(origin) if loopback(origin) => Ok(format!("{origin}{path}")),
            Some(_) => Err(NotRead::other(
                "a test origin that is not loopback: refused",
            )),
        }
    }

    /// Streams the answer to `path`, hashing as it goes: no more than `bytes` are written.
    async fn download(
        &self,
        url: &str,
        path: &Path,
        sha256: &str,
        bytes: u64,
    ) -> Result<(), NotRead> {
        let mut request = aws_smithy_runtime_api::http::Request::new(SdkBody::empty());
        request
            .set_uri(url)
            .map_err(|_| NotRead::other("its package location is not a valid address"))?;
        let response = tokio::time::timeout(IDLE, self.connector.call(request))
            .await
            .map_err(|_| NotRead {
                kind: FailureKind::TimedOut,
                message: format!("the download gave no answer in {} s", IDLE.as_secs()),
            })?
            .map_err(|e| NotRead {
                kind: FailureKind::Unreachable,
                message: format!("the download failed: {}", connector_error(&e)),
            })?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(NotRead {
                kind: if status >= 500 {
                    FailureKind::ServerError
                } else {
                    FailureKind::Other
                },
                message: format!("the download was answered HTTP {status}"),
            });
        }
        let mut file =
            private_file(path).map_err(|e| NotRead::other(format!("its temporary file: {e}")))?;
        let mut body = ByteStream::new(response.into_body());
        let (mut hash, mut written) = (Sha256::new(), 0u64);
        loop {
            let chunk = tokio::time::timeout(IDLE, body.try_next())
                .await
                .map_err(|_| NotRead {
                    kind: FailureKind::TimedOut,
                    message: format!("the download stalled for {} s", IDLE.as_secs()),
                })?
                .map_err(|e| NotRead {
                    kind: FailureKind::Unreachable,
                    message: format!("the download was cut off: {e}"),
                })?;
            let Some(chunk) = chunk else { break };
            written += chunk.len() as u64;
            if written > bytes {
                return Err(NotRead::other(format!(
                    "the download is larger than its CodeSize ({bytes} bytes): not read"
                )));
            }
            hash.update(&chunk);
            file.write_all(&chunk)
                .map_err(|e| NotRead::other(format!("its temporary file: {e}")))?;
        }
        if written < bytes {
            return Err(NotRead::other(format!(
                "the download ended after {written} of its {bytes} bytes: not read"
            )));
        }
        let got = aws_smithy_types::base64::encode(hash.finalize());
        if got != sha256 {
            return Err(NotRead::other(
                "the download's SHA-256 is not its CodeSha256: not read",
            ));
        }
        Ok(())
    }
}

/// A file only this user may read.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Whether `host` is an S3 bucket host of the kind Lambda keeps packages and layers in
/// (`awslambda-REGION-tasks.s3.REGION.amazonaws.com`, `prod-04-2014-layers.s3.amazonaws.com`,
/// `.amazonaws.com.cn` in China): a bucket whose name ends `-tasks` or `-layers`, on S3's own
/// domain. Anything else is not fetched, whatever GetFunction said.
fn lambda_store(host: &str) -> bool {
    let Some((bucket, domain)) = host.split_once(".s3.") else {
        return false;
    };
    // Lower-case letters, digits and hyphens: nothing that ends a host or starts a port.
    let plain = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let bucket_ok = (bucket.ends_with("-tasks") || bucket.ends_with("-layers")) && plain(bucket);
    let region = domain
        .strip_suffix(".amazonaws.com")
        .or_else(|| domain.strip_suffix(".amazonaws.com.cn"));
    let domain_ok = domain == "amazonaws.com" || region.is_some_and(|r| !r.is_empty() && plain(r));
    bucket_ok && domain_ok
}

/// Whether a test origin is this machine's.
fn loopback(origin: &str) -> bool {
    ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"]
        .iter()
        .any(|p| {
            origin
                .strip_prefix(p)
                .is_some_and(|port| port.parse::<u16>().is_ok())
        })
}

/// One HTTPS client for the downloads, built like the SDK's (rustls on aws-lc, the
/// environment's proxy).
fn connector() -> Connector {
    use aws_smithy_http_client::proxy::ProxyConfig;
    let mut builder =
        ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
    builder.set_proxy_config(Some(ProxyConfig::from_env()));
    builder.build()
}

/// A connector's error in words, without the request (whose URL is a credential).
fn connector_error(e: &aws_smithy_runtime_api::client::result::ConnectorError) -> String {
    let mut at: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut last = String::from("connection failed");
    while let Some(err) = at {
        let text = err.to_string();
        if !text.contains("://") {
            last = text;
        }
        at = err.source();
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_s3_hosts_of_lambda_s_buckets_are_fetched() {
        for host in [
            "awslambda-eu-west-1-tasks.s3.eu-west-1.amazonaws.com",
            "prod-04-2014-tasks.s3.us-east-1.amazonaws.com",
            "prod-iad-c1-djusa-tasks.s3.us-east-1.amazonaws.com",
            "awslambda-us-east-2-layers.s3.us-east-2.amazonaws.com",
            "prod-04-2014-layers.s3.amazonaws.com",
            "awslambda-cn-north-1-tasks.s3.cn-north-1.amazonaws.com.cn",
        ] {
            assert!(lambda_store(host), "{host}");
        }
        for host in [
            "evil.example.com",
            "awslambda-eu-west-1-tasks.s3.eu-west-1.amazonaws.com.evil.net",
            "my-bucket.s3.eu-west-1.amazonaws.com",
            "awslambda-eu-west-1-tasks.s3.eu-west-1.amazonaws.com:8443",
            "awslambda-eu-west-1-tasks.s3.eu-west-1.amazonaws.com@evil.net",
            "169.254.169.254",
            "",
        ] {
            assert!(!lambda_store(host), "{host}");
        }
        assert!(loopback("http://127.0.0.1:8080"));
        assert!(!loopback("http://127.0.0.1.evil.net:80"));
        assert!(!loopback("https://example.com:443"));
    }
}
