//! `sprawl paths ORG`: the edges between an organization's accounts (roles that may become
//! roles, read secrets or invoke functions of other accounts), and why each holds.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::CliError;
use crate::cli::args::Format;
use crate::cli::output::outln;
use crate::snapshot::org;

#[derive(Debug, Args)]
pub struct PathsArgs {
    /// An organization's snapshot (`scan --org`, or `merge`).
    pub snapshot: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: PathsArgs) -> Result<ExitCode, CliError> {
    paths(&args.snapshot, args.format)
}

/// Why an edge of `paths` holds, one reason after another: what admits the source (`admitted`),
/// its own statements that allow `action`, the conditions, then what stops it, or the key that
/// must allow it too and what the SCPs say.
fn edge_reasons(
    admitted: String,
    action: &str,
    via: &[crate::iam::access::StatementRef],
    conditions: &[String],
    stopped: Option<&str>,
    scp: &crate::assess::paths::ScpVerdict,
    key: Option<&str>,
) -> String {
    let mut why = vec![
        admitted,
        format!(
            "{action} by {}",
            via.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ];
    if !conditions.is_empty() {
        why.push(format!("if {}", conditions.join("; ")));
    }
    why.push(match (stopped, key) {
        (Some(stop), _) => format!("stopped: {stop}"),
        (None, Some(key)) => format!("if key {key} allows it; SCP: {}", scp.label()),
        (None, None) => format!("SCP: {}", scp.label()),
    });
    why.join("; ")
}

/// The end of a resource edge's line in `paths`: whether it is stopped, then why it holds.
fn resource_why(e: &crate::assess::paths::ResourceEdge, action: &str, key: Option<&str>) -> String {
    format!(
        "{}: {}",
        if e.stopped.is_some() {
            " (stopped)"
        } else {
            ""
        },
        edge_reasons(
            format!(
                "admitted by {}",
                crate::assess::sources::admitted_by(&e.admitted)
            ),
            action,
            &e.via,
            &e.conditions,
            e.stopped.as_deref(),
            &e.scp,
            key
        )
    )
}

/// `paths ORG`: the edges between the organization's accounts, read from every account's roles
/// (one account at a time; the roles are kept).
fn paths(path: &std::path::Path, format: Format) -> Result<ExitCode, CliError> {
    let org::Opened::Organization(o) = org::open(path)? else {
        return Err(CliError::Usage(
            "paths reads an organization's snapshot (from scan --org, or merge)",
        ));
    };
    let found = org::edges(&o, None)?.paths;
    if format == Format::Json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&found).expect("edges serialize")
        );
        return Ok(ExitCode::SUCCESS);
    }
    let edges = &found.edges;
    let label = |account: &str, arn: &str| {
        let name = o
            .entry(account)
            .and_then(|e| e.info.name.clone())
            .unwrap_or_else(|| account.to_string());
        format!("{name}/{}", arn.rsplit('/').next().unwrap_or(arn))
    };
    // Each heading counts roles (each once, as `summary` does), then the edges listed under it:
    // how many, and how many of them are stopped (each edge's `stopped`, in turn).
    fn edges_of(stopped: impl Iterator<Item = bool>) -> String {
        let (all, stopped) = stopped.fold((0, 0), |(all, n), s| (all + 1, n + usize::from(s)));
        let mut text = crate::model::counted(all, "edge", "edges");
        if stopped > 0 {
            text.push_str(&format!(", {stopped} stopped"));
        }
        text
    }
    let roles = found.roles();
    outln!(
        "Roles that may become roles in other accounts: {} ({}){}",
        roles.to_roles,
        edges_of(edges.iter().map(|e| e.stopped.is_some())),
        if o.header.accounts.iter().any(|e| e.part.is_none()) {
            " (accounts not scanned are not in it)"
        } else {
            ""
        }
    );
    for e in edges {
        let why = edge_reasons(
            format!(
                "{} ({})",
                if e.named {
                    "trusted by name"
                } else {
                    "trusted by its account"
                },
                e.trust
            ),
            "sts:AssumeRole",
            &e.via,
            &e.conditions,
            e.stopped.as_deref(),
            &e.scp,
            None,
        );
        let reaches = match e.reaches {
            Some(r) => format!(" ({})", r.label()),
            None => String::new(),
        };
        outln!(
            "  {} -> {}{reaches}{}: {}",
            label(&e.from_account, &e.from_role),
            label(&e.to_account, &e.to_role),
            match (&e.stopped, e.is_conditional()) {
                (Some(_), _) => " (stopped)",
                (None, true) => " (conditional)",
                (None, false) => "",
            },
            why
        );
    }
    outln!(
        "Roles that may read secrets of other accounts: {} ({})",
        roles.to_secrets,
        edges_of(found.secrets.iter().map(|e| e.edge.stopped.is_some()))
    );
    let account = |id: &str| {
        o.entry(id)
            .and_then(|x| x.info.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    for e in &found.secrets {
        let edge = &e.edge;
        outln!(
            "  {} -> {}'s secret {}{}",
            label(&edge.from_account, &edge.from_role),
            account(&edge.to_account),
            edge.name,
            resource_why(edge, "secretsmanager:GetSecretValue", e.key.as_deref())
        );
    }
    outln!(
        "Roles that may invoke functions of other accounts: {} ({})",
        roles.to_functions,
        edges_of(found.invokes.iter().map(|e| e.edge.stopped.is_some()))
    );
    for e in &found.invokes {
        let edge = &e.edge;
        // A role that writes to an event source of the other account, which invokes it.
        let (through, action) = match (&e.through, &e.write) {
            (Some(source), Some(write)) => (format!(" (writes to {source})"), write.as_str()),
            _ => (String::new(), "lambda:InvokeFunction"),
        };
        outln!(
            "  {} -> {}{through}{}",
            label(&edge.from_account, &edge.from_role),
            label(&edge.to_account, &format!("function/{}", edge.name)),
            resource_why(edge, action, None)
        );
    }
    // Never "no edge" where the documents were not there to say.
    if !found.not_assessed.is_empty() {
        outln!("Not assessed (edges into or out of these roles are unknown):");
        for why in &found.not_assessed {
            outln!("  {why}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
