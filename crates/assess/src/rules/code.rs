//! What a function runs (`scan --code`): secrets written into its package or into a layer it
//! runs, and code whose packages cannot be known. Quiet where code was not asked for (a scan
//! without `--code`); not assessed where it was asked for and could not be read.

use super::{Check, Outcome, Owasp, Points, Rule, ScorePart, hit};
use crate::reach::{Context, FunctionFacts};
use crate::report::Severity;
use sprawl_model::code::{CodeAudit, SecretHit};
use sprawl_model::{Detail, Function};

pub const RULES: &[&Rule] = &[&CODE_SECRET, &LAYER_SECRET, &CODE_UNREADABLE];

/// The audit of a function's package: `None` where code was not asked for (quiet), why where it
/// was and could not be read.
fn audit_of<'a>(ctx: &Context<'a>, f: &Function) -> Result<Option<&'a CodeAudit>, String> {
    match &f.code {
        Detail::Skipped { .. } => Ok(None),
        Detail::Failed { .. } => f.code.require("its code").map(|_| None),
        Detail::Collected { value } => ctx
            .inventory
            .code
            .get(value)
            .map(Some)
            .ok_or_else(|| format!("its code's audit ({value}) is not in the snapshot")),
    }
}

/// How sure a hit is: a secret in the function's own files is live until shown otherwise; one in
/// a dependency's files, found by a high-confidence rule all the same, is likelier a fixture.
fn severity(s: &SecretHit) -> Severity {
    if s.vendored {
        Severity::Medium
    } else {
        Severity::Critical
    }
}

/// One hit per secret (by fingerprint): the first place it is written, and how many others.
fn hits_of(secrets: &[SecretHit], where_: &str) -> Vec<super::Hit> {
    let mut seen: Vec<(&SecretHit, usize)> = Vec::new();
    for s in secrets {
        match seen
            .iter_mut()
            .find(|(first, _)| first.fingerprint == s.fingerprint)
        {
            Some((_, more)) => *more += 1,
            None => seen.push((s, 0)),
        }
    }
    seen.into_iter()
        .map(|(s, more)| {
            let also = match more {
                0 => String::new(),
                n => format!(" (and {n} more place(s))"),
            };
            let whose = if s.vendored {
                "a dependency's"
            } else {
                "its own"
            };
            hit(format!(
                "{where_} holds a secret ({}) in {whose} file {}, line {}{also}",
                s.rule, s.path, s.line
            ))
            .severity(severity(s))
            .ev("code.secret", format!("{} {}:{}", s.rule, s.path, s.line))
            .ev("fingerprint", s.fingerprint.clone())
        })
        .collect()
}

pub const CODE_SECRET: Rule = Rule {
    id: "lambda-code-secret",
    title: "Function's code holds a secret",
    severity: Severity::Critical,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &["prowler awslambda_function_no_secrets_in_code"],
    why: "A key written into the deployment package is in every copy of it: anyone with lambda:GetFunction downloads it, and so does every build cache, artifact store and laptop the package passed through. It cannot be rotated without a redeploy.",
    fix: "Move the value to Secrets Manager or SSM Parameter Store (SecureString), read it at run time with the role's access to that one ARN, and rotate the exposed value now.",
    score: ScorePart::Data(Points {
        critical: 8,
        high: 6,
        medium: 3,
        low: 3,
    }),
    overview: None,
    check: Check::Function(code_secret),
};

fn code_secret(ctx: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    Ok(audit_of(ctx, f)?
        .map(|a| hits_of(&a.secrets, "its package"))
        .unwrap_or_default())
}

pub const LAYER_SECRET: Rule = Rule {
    id: "lambda-layer-secret",
    title: "Function runs a layer that holds a secret",
    severity: Severity::Critical,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &[],
    why: "A layer's files are unpacked under /opt beside the function's code: a key in a layer is in every function that runs it, and readable by anyone the layer version's policy lets download it.",
    fix: "Publish a new layer version without the key, move the value to Secrets Manager or SSM Parameter Store, point the functions at the new version, delete the old one, and rotate the value.",
    score: ScorePart::Data(Points {
        critical: 8,
        high: 6,
        medium: 3,
        low: 3,
    }),
    overview: None,
    check: Check::Function(layer_secret),
};

/// Every layer version the function runs, once each: its secrets, or why its code is not known
/// (a scan with `--code` that could not read it).
fn layer_secret(ctx: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    if matches!(f.code, Detail::Skipped { .. }) {
        return Ok(Vec::new());
    }
    let mut hits = Vec::new();
    let mut unread = Vec::new();
    for arn in &f.layers {
        let layer = ctx.inventory.layer_code.iter().find(|l| &l.arn == arn);
        let read = match layer.map(|l| &l.code) {
            None => Err("not read by the scan".to_string()),
            Some(code) => code.require("its code").and_then(|sha| {
                ctx.inventory
                    .code
                    .get(sha)
                    .ok_or_else(|| format!("its code's audit ({sha}) is not in the snapshot"))
            }),
        };
        match read {
            Ok(audit) => hits.extend(
                hits_of(&audit.secrets, &format!("layer {arn}"))
                    .into_iter()
                    .map(|h| h.ev("layers", arn.clone())),
            ),
            Err(why) => unread.push(format!("layer {arn}: {why}")),
        }
    }
    if hits.is_empty() && !unread.is_empty() {
        return Err(unread.join("; "));
    }
    Ok(hits)
}

pub const CODE_UNREADABLE: Rule = Rule {
    id: "lambda-code-unreadable",
    title: "Function's code names no packages sprawl can read",
    severity: Severity::Low,
    owasp: Owasp::InsecureDependencies,
    security_hub: None,
    peers: &[],
    why: "What the function runs cannot be checked for known vulnerabilities or malicious packages: a bundled or minified script inlines its dependencies and names none, a compiled binary keeps them inside. Not known is not clean.",
    fix: "Ship the lockfile or the installed packages' metadata beside the bundle (package-lock.json, a dist-info directory), or build with a tool that embeds its dependency list, so the package can be audited.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(code_unreadable),
};

fn code_unreadable(ctx: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    let Some(audit) = audit_of(ctx, f)? else {
        return Ok(Vec::new());
    };
    let Some(first) = audit.unreadable.first() else {
        return Ok(Vec::new());
    };
    let more = match audit.unreadable.len() - 1 {
        0 => String::new(),
        n => format!(" (and {n} more)"),
    };
    Ok(vec![
        hit(format!(
            "its package holds code whose packages are not known: {} ({}){more}",
            first.path, first.why
        ))
        .ev("code.unreadable", first.path.clone()),
    ])
}
