//! Test support shared by the integration tests and the benchmark: a real moto server on
//! 127.0.0.1, SDK configs that point at it, and account seeders that use the Rust SDK itself.
#![allow(dead_code)]

pub mod moto;
pub mod packages;
pub mod seed;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

/// An SDK config for the emulator at `endpoint`, with throwaway credentials.
pub async fn sdk_config(endpoint: &str, region: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
        .load()
        .await
}

/// A fresh emulator seeded with the fixture account (two regions).
pub async fn fixture_account() -> (moto::Moto, seed::Fixture) {
    let moto = moto::Moto::start();
    let endpoint = moto.endpoint();
    let a = sdk_config(&endpoint, seed::REGION_A).await;
    let b = sdk_config(&endpoint, seed::REGION_B).await;
    let fixture = seed::fixture(&a, &b).await;
    (moto, fixture)
}

/// `sprawl scan` through the binary, as a user runs it: the emulator at `endpoint`, both fixture
/// regions, throwaway credentials, no instance metadata, the snapshot to `out`, and the machine's
/// configuration (its fingerprint key) in `config` beside `out`, never the user's own.
pub fn scan_command(endpoint: &str, out: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("sprawl").unwrap();
    let config = out.parent().unwrap().join("config");
    cmd.env("XDG_CONFIG_HOME", config)
        .env_remove("SPRAWL_FINGERPRINT_KEY")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .args([
            "scan",
            "--no-tui",
            "--endpoint-url",
            endpoint,
            "--region",
            seed::REGION_A,
            "--region",
            seed::REGION_B,
            "--rate-scale",
            "4",
            "-o",
        ])
        .arg(out);
    cmd
}

/// A configuration acting as `account` through `role/SprawlScan`.
pub async fn as_account(base: &SdkConfig, account: &str) -> SdkConfig {
    let sts = aws_sdk_sts::Client::new(base);
    let c = sts
        .assume_role()
        .role_arn(format!("arn:aws:iam::{account}:role/SprawlScan"))
        .role_session_name("seed")
        .send()
        .await
        .expect("assume role")
        .credentials
        .expect("credentials");
    base.to_builder()
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                c.access_key_id,
                c.secret_access_key,
                Some(c.session_token),
                None,
                "seed",
            )),
        )
        .build()
}
