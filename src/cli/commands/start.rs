//! `sprawl` alone: the account of the standard credential chain scanned in the explorer; with no
//! credentials or region, say so and offer the demo organization.

use std::process::ExitCode;

use crate::cli::CliError;
use crate::cli::explorer::{Ui, interactive};
use clap::Parser;

use crate::cli::{Cli, Command};
use crate::collect::aws::{self, AwsOptions, SetupError};

/// `sprawl` alone: scan the account of the standard credential chain in the explorer; with no
/// credentials, say so and offer the demo account.
pub async fn run(ui: &Ui) -> Result<ExitCode, CliError> {
    let config = aws::load(&AwsOptions::default()).await;
    let profile = std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty());
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let ready = match (config.region(), profile, endpoint) {
        (_, Some(p), _) if aws::check_profile(&p).is_err() => aws::check_profile(&p),
        (_, _, Some(u)) if aws::check_endpoint(&u).is_err() => aws::check_endpoint(&u),
        (None, _, _) => Err(SetupError::NoRegion),
        (Some(_), _, _) => aws::check_credentials(&config).await,
    };
    match ready {
        Ok(()) => {
            let Some(Command::Scan(args)) = Cli::parse_from(["sprawl", "scan"]).command else {
                unreachable!("`sprawl scan` parses as a scan");
            };
            super::scan::run(args, ui).await
        }
        Err(e) if interactive() => {
            use std::io::Write;
            eprint!("sprawl: {e}\nOpen the built-in demo organization instead? [Y/n] ");
            let _ = std::io::stderr().flush();
            let mut answer = String::new();
            let _ = std::io::stdin().read_line(&mut answer);
            if matches!(
                answer.trim().to_ascii_lowercase().as_str(),
                "" | "y" | "yes"
            ) {
                super::demo::demo(ui, None).await
            } else {
                Ok(ExitCode::from(2))
            }
        }
        Err(e) => Err(CliError::NoAccount(e)),
    }
}
