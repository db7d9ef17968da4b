//! What a function runs (`scan --code`): secrets written into its package or into a layer it
//! runs, and code whose packages cannot be known. Quiet where code was not asked for (a scan
//! without `--code`); not assessed where it was asked for and could not be read.

use super::{Check, Outcome, Owasp, Points, Rule, ScorePart, hit};
use crate::reach::{Context, FunctionFacts};
use crate::report::Severity;
use sprawl_model::code::{Advisory, CodeAudit, Package, SecretHit};
use sprawl_model::{Detail, Function};

pub const RULES: &[&Rule] = &[
    &VULNERABLE_PACKAGE,
    &MALICIOUS_PACKAGE,
    &CODE_SECRET,
    &LAYER_SECRET,
    &CODE_UNREADABLE,
];

/// The audit of a function's package: `None` where code was not asked for (quiet), why where it
/// was and could not be read.
fn audit_of<'a>(ctx: &Context<'a>, f: &Function) -> Result<Option<&'a CodeAudit>, String> {
    match &f.code {
        Detail::Skipped { .. } => Ok(None),
        Detail::Failed { .. } => f.code.require("its code").map(|_| None),
        Detail::Collected { value } => audit_by_sha(ctx, value).map(Some),
    }
}

/// The audit a function's or a layer's code names, by `CodeSha256`.
fn audit_by_sha<'a>(ctx: &Context<'a>, sha: &str) -> Result<&'a CodeAudit, String> {
    ctx.inventory
        .code
        .get(sha)
        .ok_or_else(|| format!("its code's audit ({sha}) is not in the snapshot"))
}

/// The audit of the layer version `arn` a function runs, or why it is not known.
fn layer_audit<'a>(ctx: &Context<'a>, arn: &str) -> Result<&'a CodeAudit, String> {
    let layer = ctx.inventory.layer_code.iter().find(|l| l.arn == arn);
    let sha = layer.map_or_else(
        || Err("not read by the scan".to_string()),
        |l| l.code.require("its code"),
    )?;
    audit_by_sha(ctx, sha)
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
    score: super::function::SECRET_DATA,
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
    score: super::function::SECRET_DATA,
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
        match layer_audit(ctx, arn) {
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

/// The packages a function runs, each with where it is (`its package`, `layer ARN`), and the
/// layers whose code was not read, with why.
struct Runs<'a> {
    packages: Vec<(&'a Package, String)>,
    unread: Vec<String>,
}

/// Every package the function runs: its own package's and its layers'. `None` where code was not
/// asked for; why, where its own package was asked for and not read.
fn packages_run<'a>(ctx: &Context<'a>, f: &Function) -> Result<Option<Runs<'a>>, String> {
    let Some(own) = audit_of(ctx, f)? else {
        return Ok(None);
    };
    let mut out: Vec<(&Package, String)> = own
        .packages
        .iter()
        .map(|p| (p, "its package".to_string()))
        .collect();
    let mut unread = Vec::new();
    for arn in &f.layers {
        match layer_audit(ctx, arn) {
            Ok(a) => out.extend(a.packages.iter().map(|p| (p, format!("layer {arn}")))),
            Err(why) => unread.push(format!("layer {arn}: {why}")),
        }
    }
    Ok(Some(Runs {
        packages: out,
        unread,
    }))
}

/// The advisories of each package the function runs that `keep` keeps, by package; why some
/// could not be judged (no database, an ecosystem it does not hold, a layer not read).
type Judged<'a> = Vec<(&'a Package, String, Vec<&'a Advisory>)>;

fn judged<'a>(
    ctx: &Context<'a>,
    f: &Function,
    keep: fn(&Advisory) -> bool,
) -> Result<Option<(Judged<'a>, Vec<String>)>, String> {
    let Some(Runs {
        packages,
        unread: mut unjudged,
    }) = packages_run(ctx, f)?
    else {
        return Ok(None);
    };
    if packages.is_empty() {
        return Ok(Some((Vec::new(), unjudged)));
    }
    let Some(advisories) = &ctx.inventory.advisories else {
        return Err(
            "its packages were not judged: no vulnerability database was given (scan or assess with --vuln-db DIR)"
                .into(),
        );
    };
    let mut out = Vec::new();
    for (p, at) in packages {
        match advisories.by_purl.get(&p.purl) {
            Some(list) => {
                let kept: Vec<&Advisory> = list.iter().filter(|a| keep(a)).collect();
                if !kept.is_empty() {
                    out.push((p, at, kept));
                }
            }
            None if !advisories.judges(p.ecosystem) => unjudged.push(format!(
                "{} ({at}): the vulnerability database holds no {} advisories",
                p.purl,
                p.ecosystem.osv_name()
            )),
            // Judged after this package was read (a database given to an older audit).
            None => unjudged.push(format!("{} ({at}): not judged", p.purl)),
        }
    }
    Ok(Some((out, unjudged)))
}

/// A hit's outcome: the hits, or where there are none and something could not be judged, why.
fn or_unjudged(hits: Vec<super::Hit>, unjudged: Vec<String>) -> Outcome {
    if hits.is_empty() && !unjudged.is_empty() {
        let more = unjudged.len().saturating_sub(3);
        let mut why = unjudged.into_iter().take(3).collect::<Vec<_>>().join("; ");
        if more > 0 {
            why.push_str(&format!("; and {more} more"));
        }
        return Err(why);
    }
    Ok(hits)
}

/// An advisory's rating as a severity (`none` and no rating: low and medium).
fn rated(a: &Advisory) -> Severity {
    match a.rating.as_deref() {
        Some("critical") => Severity::Critical,
        Some("high") => Severity::High,
        Some("medium") | None => Severity::Medium,
        _ => Severity::Low,
    }
}

/// An advisory in words: `GHSA-... (critical, fixed in 5.4)`.
fn described(a: &Advisory) -> String {
    let fixed = match &a.fixed {
        Some(v) => format!("fixed in {v}"),
        None => "no fixed version".into(),
    };
    format!(
        "{} ({}, {fixed})",
        a.id,
        a.rating.as_deref().unwrap_or("unrated")
    )
}

pub const VULNERABLE_PACKAGE: Rule = Rule {
    id: "lambda-code-vulnerable",
    title: "Function runs a package with a known vulnerability",
    severity: Severity::High,
    owasp: Owasp::InsecureDependencies,
    security_hub: None,
    peers: &["Amazon Inspector Lambda standard scanning"],
    why: "A known vulnerability in a package the function runs is exploitable through whatever reaches the function, with whatever its role may do. The same package matters most where anyone reaches the function and its role reaches privilege or data: that is where it is critical.",
    fix: "Upgrade the package to its fixed version (in the function's package or the layer that carries it) and redeploy; where no fix exists, remove or replace it, or keep the function out of reach.",
    score: ScorePart::Hygiene {
        points: Points {
            critical: 6,
            high: 4,
            medium: 2,
            low: 1,
        },
        in_chain: true,
    },
    overview: None,
    check: Check::Function(vulnerable_package),
};

/// One hit per vulnerable package, at its worst advisory's severity joined to the function's
/// place: a high or critical advisory is critical where anyone reaches the function and its role
/// reaches privilege or data, high where one of the two holds, and medium where neither does.
fn vulnerable_package(ctx: &Context, f: &Function, facts: &FunctionFacts) -> Outcome {
    let Some((found, unjudged)) = judged(ctx, f, |a| !a.malicious)? else {
        return Ok(Vec::new());
    };
    let exposed = facts.entry_points.iter().any(|e| e.is_public());
    let power = ctx.power_or_data(f, facts);
    let place = match (exposed, power) {
        (true, true) => "anyone reaches it and its role reaches privilege or data",
        (true, false) => "anyone reaches it",
        (false, true) => "its role reaches privilege or data",
        (false, false) => "not exposed, and its role reaches no privilege or data",
    };
    let hits = found
        .into_iter()
        .map(|(p, at, advisories)| {
            let worst = advisories
                .iter()
                .map(|a| rated(a))
                .max()
                .unwrap_or(Severity::Medium);
            let severity = if worst >= Severity::High {
                match (exposed, power) {
                    (true, true) => Severity::Critical,
                    (true, false) | (false, true) => Severity::High,
                    (false, false) => Severity::Medium,
                }
            } else {
                worst
            };
            let first = advisories
                .iter()
                .max_by_key(|a| rated(a))
                .expect("a vulnerable package has an advisory");
            let more = match advisories.len() - 1 {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            hit(format!(
                "runs {} {} ({at}): {}{more}; {place}",
                p.name,
                p.version,
                described(first)
            ))
            .severity(severity)
            .ev("code.package", p.purl.clone())
            .ev(
                "code.advisories",
                advisories
                    .iter()
                    .map(|a| described(a))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
        .collect();
    or_unjudged(hits, unjudged)
}

pub const MALICIOUS_PACKAGE: Rule = Rule {
    id: "lambda-code-malicious",
    title: "Function runs a known malicious package",
    severity: Severity::Critical,
    owasp: Owasp::InsecureDependencies,
    security_hub: None,
    peers: &["Amazon Inspector Lambda standard scanning"],
    why: "A package published to do harm (OSV's malicious-packages data: typosquats, hijacked releases) runs with the function's role on every invocation, whoever reaches the function: it is critical wherever it runs.",
    fix: "Remove the package (from the function's package or the layer that carries it), redeploy, and treat the role's credentials and what it could reach as exposed: rotate, and review CloudTrail for what it did.",
    score: ScorePart::Hygiene {
        points: Points::flat(10),
        in_chain: true,
    },
    overview: None,
    check: Check::Function(malicious_package),
};

fn malicious_package(ctx: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    let Some((found, unjudged)) = judged(ctx, f, |a| a.malicious)? else {
        return Ok(Vec::new());
    };
    let hits = found
        .into_iter()
        .map(|(p, at, advisories)| {
            hit(format!(
                "runs {} {} ({at}), a known malicious package ({})",
                p.name,
                p.version,
                advisories
                    .iter()
                    .map(|a| a.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .ev("code.package", p.purl.clone())
        })
        .collect();
    or_unjudged(hits, unjudged)
}
