//! The options more than one command takes: the explorer's settings, the mute file, the text or
//! JSON switch, and the argument checks they share. A command's own options are beside it, in
//! `commands/`.

use std::path::PathBuf;

use clap::Args;

/// The explorer's settings, on the commands that open it.
#[derive(Debug, Args, Default, Clone)]
pub struct ExplorerArgs {
    /// The explorer's theme: default, light, high-contrast, ansi16, or a TOML file (NO_COLOR is
    /// honoured).
    #[arg(long, env = "SPRAWL_THEME", value_name = "NAME|PATH")]
    pub theme: Option<String>,
    /// Scroll with the mouse wheel in the explorer.
    #[arg(long)]
    pub mouse: bool,
}

/// The mute file, on the commands that show or judge findings.
#[derive(Debug, Args, Default, Clone)]
pub struct MuteArgs {
    /// The mute file: accepted risks, each with a reason and an expiry date (default:
    /// ./sprawl.toml when it exists). Muted findings are shown as muted and never fail `check`.
    #[arg(long, env = "SPRAWL_MUTE", value_name = "FILE")]
    pub mute: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// The role a scan of an organization assumes in each account, and the one `iam-policy` writes.
pub const DEFAULT_ROLE_NAME: &str = "SprawlScan";

pub fn parse_role_name(s: &str) -> Result<String, String> {
    if crate::collect::permissions::valid_role_name(s) {
        Ok(s.to_string())
    } else {
        Err(
            "expected an IAM role name: 1 to 64 letters, digits and +=,.@_- (no path, no ARN)"
                .into(),
        )
    }
}

pub fn parse_rate_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 10.0 => Ok(v),
        _ => Err("expected a number above 0 and at most 10, such as 0.5".into()),
    }
}

pub fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 3600.0 => Ok(v),
        _ => Err("expected a number of seconds above 0 and at most 3600".into()),
    }
}

pub fn parse_as_of(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc())
        .map_err(|_| "expected a date (2026-11-23) or an RFC 3339 time".into())
}
