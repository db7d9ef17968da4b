//! The AWS SDK set-up: the standard credential chain and variables, one shared HTTP client, and
//! the production [`ClientFactory`].

use std::time::Duration;

pub use aws_config::SdkConfig;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::error::CredentialsError;

use super::account::KNOWN_REGIONS;
use super::{ClientFactory, GlobalClients, RegionClients};

/// What the user chose on the command line; everything unset falls back to the SDK's standard
/// chain (`AWS_PROFILE`, `AWS_REGION`, `AWS_ENDPOINT_URL`, the config files, SSO, ...).
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

/// Why the SDK could not be set up for a scan.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(
        "no AWS credentials found: set AWS_PROFILE (or pass --profile), run `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; to look around without AWS, run `sprawl demo`"
    )]
    NoCredentials,
    #[error("could not load AWS credentials: {0}")]
    Credentials(String),
    /// A profile named by --profile or AWS_PROFILE that no config file has.
    #[error(
        "no AWS profile {name:?} in {place}; name one that exists with --profile (or AWS_PROFILE), or run `aws configure sso` to make it"
    )]
    NoSuchProfile {
        name: String,
        /// The files read and the profiles they name, or that there are none.
        place: String,
    },
    /// --endpoint-url or AWS_ENDPOINT_URL that is no http(s) URL.
    #[error(
        "endpoint {0:?} is not a URL: give http:// or https:// and a host, such as http://127.0.0.1:5000 (--endpoint-url or AWS_ENDPOINT_URL)"
    )]
    BadEndpoint(String),
    #[error("no AWS region: pass --region, set AWS_REGION, or give the profile a region")]
    NoRegion,
    #[error("unknown region '{0}': expected a region such as eu-west-1 or us-east-1")]
    UnknownRegion(String),
}

/// Checks a region name: a known AWS region, or, with a custom endpoint (an emulator, a
/// partition sprawl does not know yet), anything shaped like one.
pub fn check_region(region: &str, custom_endpoint: bool) -> Result<(), SetupError> {
    let shaped = {
        let parts: Vec<&str> = region.split('-').collect();
        parts.len() >= 3
            && parts.iter().all(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            })
            && parts
                .last()
                .is_some_and(|p| p.bytes().all(|c| c.is_ascii_digit()))
    };
    if KNOWN_REGIONS.contains(&region) || (custom_endpoint && shaped) {
        Ok(())
    } else {
        Err(SetupError::UnknownRegion(region.to_string()))
    }
}

/// Checks an endpoint URL: `http://` or `https://`, a host, and nothing a URL cannot hold. The SDK
/// takes any string and fails each call with a dump of its request.
pub fn check_endpoint(url: &str) -> Result<(), SetupError> {
    // The message never repeats user info (`user:password@`) a URL may carry.
    let bad = || {
        SetupError::BadEndpoint(match url.split_once('@') {
            Some((_, host)) => format!("…@{host}"),
            None => url.to_string(),
        })
    };
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(bad)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.rsplit_once(':') {
        // A port, or the end of an IPv6 address in brackets.
        Some((host, port)) if !port.contains(']') => {
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || port.len() > 5 {
                return Err(bad());
            }
            host
        }
        _ => authority,
    };
    let fine = |c: char| c.is_ascii_alphanumeric() || "-._[]:".contains(c);
    if host.is_empty() || !host.chars().all(fine) || url.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    Ok(())
}

/// An endpoint URL as messages name it: its scheme, host and port, never the user info, path,
/// query or fragment it may carry (a token in any of them would otherwise reach the terminal).
pub fn endpoint_shown(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if scheme.is_empty() {
        host.to_string()
    } else {
        format!("{scheme}://{host}")
    }
}

/// Checks that a profile named on the command line or in AWS_PROFILE is in the shared config
/// or credentials file (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/`): the
/// SDK would report only "no credentials". `default` and a profile with no files at all are
/// the SDK's to judge.
pub fn check_profile(name: &str) -> Result<(), SetupError> {
    if name == "default" {
        return Ok(());
    }
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let path = |var: &str, file: &str| {
        std::env::var_os(var)
            .map(std::path::PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join(file)))
    };
    let files = [
        (path("AWS_CONFIG_FILE", "config"), true),
        (path("AWS_SHARED_CREDENTIALS_FILE", "credentials"), false),
    ];
    let mut known = Vec::new();
    let mut read = Vec::new();
    for (file, is_config) in files
        .iter()
        .filter_map(|(f, c)| f.as_ref().map(|f| (f, *c)))
    {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        read.push(file.display().to_string());
        known.extend(profiles_in(&text, is_config));
    }
    if known.iter().any(|k| k == name) {
        return Ok(());
    }
    known.sort();
    known.dedup();
    let place = match (read.is_empty(), known.is_empty()) {
        (true, _) => {
            "the AWS config files: there are none (no ~/.aws/config or ~/.aws/credentials)"
                .to_string()
        }
        (false, true) => format!("{}, which name no profile", read.join(" or ")),
        (false, false) => format!(
            "{} (profiles there: {})",
            read.join(" or "),
            known.join(", ")
        ),
    };
    Err(SetupError::NoSuchProfile {
        name: name.to_string(),
        place,
    })
}

/// The profiles a shared config file (`[profile NAME]`, `[default]`) or credentials file
/// (`[NAME]`) defines.
fn profiles_in(text: &str, is_config: bool) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let inner = l.strip_prefix('[')?.strip_suffix(']')?.trim();
            if !is_config || inner == "default" {
                return Some(inner.to_string());
            }
            inner
                .strip_prefix("profile")
                .filter(|r| r.starts_with(char::is_whitespace))
                .map(|r| r.trim().to_string())
        })
        .collect()
}

/// One HTTPS client for every service and region, built like the SDK's default (rustls on aws-lc,
/// proxy settings from the environment). Without it each of the dozens of per-region clients
/// would open its own connection pool.
fn shared_https_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
    use aws_smithy_http_client::{Builder, ConnectorBuilder};
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector =
            ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

/// Loads the SDK configuration. The SDK's own retries are off: sprawl retries in
/// [`super::call::CallContext`], where every attempt is paced against the quotas.
pub async fn load(options: &AwsOptions) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(shared_https_client())
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_millis(3100))
                .build(),
        );
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// Resolves credentials once, so "no credentials" is one clear message rather than a failure of
/// every call.
pub async fn check_credentials(config: &SdkConfig) -> Result<(), SetupError> {
    let Some(provider) = config.credentials_provider() else {
        return Err(SetupError::NoCredentials);
    };
    match provider.provide_credentials().await {
        Ok(_) => Ok(()),
        Err(CredentialsError::CredentialsNotLoaded(_)) => Err(SetupError::NoCredentials),
        Err(e) => Err(SetupError::Credentials(credentials_failure(&e))),
    }
}

/// The sources the standard credential chain tries, in its order.
const CHAIN: &str = "environment, profile files (keys, SSO, assume-role, credential_process), web identity, container, instance metadata (IMDS)";

/// A credential failure in words, one line: its innermost causes' messages (never the SDK's
/// debug structure, which holds raw responses), the sources tried, and what to do.
pub fn credentials_failure(e: &(dyn std::error::Error + 'static)) -> String {
    let mut causes: Vec<String> = Vec::new();
    let mut at: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = at {
        let text = err.to_string();
        let text = text.split('\n').next().unwrap_or("").trim().to_string();
        // Wrappers that say nothing of the cause.
        let generic = [
            "an error occurred while loading credentials",
            "service error",
        ];
        if !text.is_empty() && !generic.contains(&text.as_str()) && !causes.contains(&text) {
            causes.push(text);
        }
        at = err.source();
    }
    let all = causes.join(": ").to_ascii_lowercase();
    let what = if all.contains("imds") || all.contains("metadata") {
        if all.contains("forbidden") || all.contains("403") {
            "the instance metadata service refused (403): no EC2 role here, or IMDS is off"
        } else if all.contains("timeout") || all.contains("timed out") {
            "the instance metadata service did not answer: likely no EC2 instance"
        } else {
            "the instance metadata service could not be read"
        }
    } else if all.contains("sso") {
        "the SSO session could not be used (run `aws sso login`)"
    } else {
        "a credential source failed"
    };
    // The innermost two causes say what happened; the outer ones only wrap them.
    let shown = causes[causes.len().saturating_sub(2)..].join(": ");
    format!(
        "{what} ({shown}); tried {CHAIN}. Set AWS_PROFILE or --profile, run `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; off EC2, AWS_EC2_METADATA_DISABLED=true skips IMDS; `sprawl demo` needs no AWS"
    )
}

/// Clients built from one `SdkConfig`: one HTTP connection pool and one credentials cache for all
/// services and regions.
#[derive(Debug, Clone)]
pub struct SdkClients {
    config: SdkConfig,
}

impl SdkClients {
    pub fn new(config: SdkConfig) -> Self {
        SdkClients { config }
    }

    fn in_region(&self, region: &str) -> SdkConfig {
        self.config
            .to_builder()
            .region(Region::new(region.to_string()))
            .build()
    }
}

/// A service's client on `config`, with the read-only guard that refuses any operation outside
/// the call plan before it is sent.
macro_rules! guarded {
    ($sdk:ident, $config:expr) => {
        $sdk::Client::from_conf(
            $sdk::config::Builder::from($config)
                .interceptor(super::readonly::ReadOnly)
                .build(),
        )
    };
}

/// Whether a custom endpoint is a host that cannot have subdomains (an IP address, localhost):
/// an emulator's. S3 then takes the bucket in the path, and S3 Control the account in a header
/// alone, where AWS's endpoints put them in the host name.
fn endpoint_is_local(config: &SdkConfig) -> bool {
    config.endpoint_url().is_some_and(|url| {
        let host = url
            .split("://")
            .nth(1)
            .unwrap_or(url)
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default();
        let host = host.rsplit('@').next().unwrap_or(host);
        let host = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(v6),
            None => host.split(':').next().unwrap_or(host),
        };
        host == "localhost" || host.parse::<std::net::IpAddr>().is_ok()
    })
}

/// S3 Control's endpoint for an emulator: the custom endpoint as given, where AWS's rules would
/// put the account id in front of its host (`123456789012.127.0.0.1` resolves nowhere).
#[derive(Debug)]
struct LocalS3Control(aws_sdk_s3control::config::endpoint::DefaultResolver);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for LocalS3Control {
    fn resolve_endpoint<'a>(
        &'a self,
        params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_smithy_runtime_api::client::endpoint::EndpointFuture<'a> {
        match params.endpoint() {
            Some(url) => aws_smithy_runtime_api::client::endpoint::EndpointFuture::ready(Ok(
                aws_smithy_types::endpoint::Endpoint::builder()
                    .url(url.to_string())
                    .build(),
            )),
            None => self.0.resolve_endpoint(params),
        }
    }
}

impl SdkClients {
    /// The account of these credentials (STS GetCallerIdentity).
    pub async fn caller_account(&self) -> Result<String, String> {
        let sts = guarded!(aws_sdk_sts, &self.config);
        let out =
            sts.get_caller_identity().send().await.map_err(|e| {
                aws_smithy_types::error::display::DisplayErrorContext(&e).to_string()
            })?;
        out.account()
            .map(str::to_string)
            .ok_or_else(|| "STS GetCallerIdentity named no account".to_string())
    }
}

/// The Organizations client an organization scan lists accounts with, read-only like the rest.
pub fn organizations_client(config: &SdkConfig) -> aws_sdk_organizations::Client {
    guarded!(aws_sdk_organizations, config)
}

impl ClientFactory for SdkClients {
    fn endpoint_url(&self) -> Option<String> {
        self.config.endpoint_url().map(endpoint_shown)
    }

    fn global(&self) -> GlobalClients {
        GlobalClients {
            sts: guarded!(aws_sdk_sts, &self.config),
            iam: guarded!(aws_sdk_iam, &self.config),
            // The Account API lives in us-east-1 for the whole aws partition.
            account: guarded!(aws_sdk_account, &self.in_region("us-east-1")),
        }
    }

    fn region(&self, region: &str) -> RegionClients {
        let config = self.in_region(region);
        RegionClients {
            lambda: guarded!(aws_sdk_lambda, &config),
            apigateway: guarded!(aws_sdk_apigateway, &config),
            apigatewayv2: guarded!(aws_sdk_apigatewayv2, &config),
            secretsmanager: guarded!(aws_sdk_secretsmanager, &config),
            logs: guarded!(aws_sdk_cloudwatchlogs, &config),
            cloudwatch: guarded!(aws_sdk_cloudwatch, &config),
            sns: guarded!(aws_sdk_sns, &config),
            sqs: guarded!(aws_sdk_sqs, &config),
            events: guarded!(aws_sdk_eventbridge, &config),
            kinesis: guarded!(aws_sdk_kinesis, &config),
            dynamodb: guarded!(aws_sdk_dynamodb, &config),
            cognito: guarded!(aws_sdk_cognitoidentityprovider, &config),
            ses: guarded!(aws_sdk_ses, &config),
            iot: guarded!(aws_sdk_iot, &config),
            cognito_identity: guarded!(aws_sdk_cognitoidentity, &config),
            s3: aws_sdk_s3::Client::from_conf(
                aws_sdk_s3::config::Builder::from(&config)
                    .force_path_style(endpoint_is_local(&config))
                    .interceptor(super::readonly::ReadOnly)
                    .build(),
            ),
            s3control: {
                let mut b = aws_sdk_s3control::config::Builder::from(&config)
                    .interceptor(super::readonly::ReadOnly);
                if endpoint_is_local(&config) {
                    b = b.endpoint_resolver(LocalS3Control(
                        aws_sdk_s3control::config::endpoint::DefaultResolver::new(),
                    ));
                }
                aws_sdk_s3control::Client::from_conf(b.build())
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_is_named_by_its_host_alone() {
        for (url, shown) in [
            ("http://127.0.0.1:9", "http://127.0.0.1:9"),
            ("http://127.0.0.1:9/", "http://127.0.0.1:9"),
            (
                "https://user:s3cr3t@proxy.example:8443/t0ken?key=abc#x",
                "https://proxy.example:8443",
            ),
            ("https://host/path/with/4827193", "https://host"),
        ] {
            assert_eq!(endpoint_shown(url), shown, "{url}");
        }
    }

    /// A write is refused by the guard before anything is sent: the endpoint (a closed port)
    /// is never reached, so the error is the guard's, not a connection's.
    #[tokio::test]
    async fn a_write_is_refused_before_it_is_sent() {
        let config = SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(Region::new("eu-west-1"))
            .endpoint_url("http://127.0.0.1:9")
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    aws_credential_types::Credentials::new("AKIDTEST", "test", None, None, "test"),
                ),
            )
            .retry_config(RetryConfig::disabled())
            .build();
        let clients = SdkClients::new(config);
        let lambda = clients.region("eu-west-1").lambda;
        fn say(e: &dyn std::error::Error) -> String {
            aws_smithy_types::error::display::DisplayErrorContext(e).to_string()
        }
        let text = say(&lambda
            .delete_function()
            .function_name("f")
            .send()
            .await
            .unwrap_err());
        assert!(text.contains("read-only: Lambda DeleteFunction"), "{text}");
        let secrets = clients.region("eu-west-1").secretsmanager;
        let text = say(&secrets
            .get_secret_value()
            .secret_id("s")
            .send()
            .await
            .unwrap_err());
        assert!(text.contains("Secrets Manager GetSecretValue"), "{text}");
        // A read in the plan passes the guard and fails only at the closed port.
        let text = say(&lambda.list_functions().send().await.unwrap_err());
        assert!(!text.contains("read-only"), "{text}");
    }

    #[test]
    fn regions_are_checked() {
        assert!(check_region("eu-west-1", false).is_ok());
        assert!(check_region("eu-wset-1", false).is_err());
        assert!(check_region("eu-wset-1", true).is_ok());
        assert!(check_region("nonsense", true).is_err());
        assert!(check_region("EU-WEST-1", true).is_err());
    }

    #[test]
    fn endpoints_are_urls_with_a_host() {
        for good in [
            "http://127.0.0.1:5000",
            "https://lambda.eu-west-1.amazonaws.com",
            "http://localhost:4566/",
            "http://[::1]:5000",
        ] {
            assert!(check_endpoint(good).is_ok(), "{good}");
        }
        for bad in [
            "not-a-url",
            "127.0.0.1:5000",
            "ftp://host",
            "http://",
            "http://host:port",
            "http://ho st",
            "http://admin:hunter2@proxy:8080",
        ] {
            assert!(
                matches!(check_endpoint(bad), Err(SetupError::BadEndpoint(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_endpoint_error_never_shows_its_user_info() {
        let e = check_endpoint("http://admin:hunter2@proxy:8080").unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
        assert!(e.to_string().contains("…@proxy:8080"), "{e}");
    }

    #[test]
    fn profiles_of_both_files() {
        let config = "[default]\nregion=eu-west-1\n[profile dev]\nsso_start_url=x\n[sso-session corp]\n[profilex]\n";
        assert_eq!(profiles_in(config, true), ["default", "dev"]);
        assert_eq!(profiles_in("[ci]\naws_access_key_id=x\n", false), ["ci"]);
    }
}
