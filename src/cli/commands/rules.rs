//! `sprawl rules [ID]`: the rule catalog, or one rule in full.

use std::process::ExitCode;

use clap::Args;

use crate::cli::CliError;
use crate::cli::args::Format;
use crate::cli::output::{out, outln};
use crate::cli::report;

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule id, to explain that rule.
    pub id: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: RulesArgs) -> Result<ExitCode, CliError> {
    let RulesArgs { id, format } = args;
    let catalog = crate::assess::rules::catalog();
    match (id, format) {
        (Some(id), fmt) => {
            let rule =
                crate::assess::rules::find(&id).ok_or_else(|| CliError::NoSuchRule(id.clone()))?;
            if fmt == Format::Json {
                let all = report::rules_json();
                let one = all
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|r| r["id"] == rule.id);
                outln!("{}", serde_json::to_string_pretty(&one).expect("json"));
            } else {
                out!("{}", report::render_rule(rule));
            }
        }
        (None, Format::Json) => {
            outln!(
                "{}",
                serde_json::to_string_pretty(&report::rules_json()).expect("json")
            );
        }
        (None, Format::Text) => out!("{}", report::render_rules(&catalog)),
    }
    Ok(ExitCode::SUCCESS)
}
