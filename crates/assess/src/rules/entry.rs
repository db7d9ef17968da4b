//! Entry points and authentication on functions: URLs and resource-based policies.

use super::{Check, Hit, Outcome, Owasp, Points, Rule, ScorePart, hit};
use crate::reach::{Context, FunctionFacts};
use crate::report::{EntryPoint, Severity, source_text, source_words};
use sprawl_iam::members::Membership;
use sprawl_iam::principals::{Admission, Principal};
use sprawl_model::{Detail, Function};

pub const RULES: &[&Rule] = &[
    &URL_PUBLIC,
    &URL_AUTH_NONE,
    &URL_CORS_ANY_ORIGIN,
    &POLICY_PUBLIC,
    &POLICY_CROSS_ACCOUNT,
    &POLICY_OUTSIDE_ORG,
    &POLICY_SERVICE_UNSCOPED,
    &SOURCE_PUBLIC,
    &SOURCE_CROSS_ACCOUNT,
];

/// Every function URL, $LATEST's and each alias's, with the evidence path it is reported at
/// (`url`, `aliases.live.url`), or why one is unknown.
fn urls(f: &Function) -> Result<Vec<(String, &sprawl_model::FunctionUrl)>, String> {
    let mut out = Vec::new();
    if let Some(u) = f.url.require("function URL")? {
        out.push(("url".to_string(), u));
    }
    // Skipped means no published version, hence no alias.
    if let Detail::Failed { .. } = f.aliases {
        f.aliases.require("aliases")?;
    }
    for alias in f.aliases.value().into_iter().flatten() {
        let what = format!("alias {}'s function URL", alias.name);
        if let Some(u) = alias.url.require(&what)? {
            out.push((format!("aliases.{}.url", alias.name), u));
        }
    }
    Ok(out)
}

fn admission_evidence(h: Hit, a: &Admission) -> Hit {
    let conditions = if a.conditions.is_empty() {
        "no condition".to_string()
    } else {
        a.conditions.join("; ")
    };
    h.ev(
        crate::sources::admitted_by(&a.at),
        format!("{}; {conditions}", a.principal.describe()),
    )
}

fn policy_known(facts: &FunctionFacts) -> Result<(), String> {
    match &facts.policy_unknown {
        Some(reason) => Err(reason.clone()),
        None => Ok(()),
    }
}

pub const URL_PUBLIC: Rule = Rule {
    id: "lambda-url-public",
    title: "Function URL is publicly invocable without authentication",
    severity: Severity::Critical,
    owasp: Owasp::BrokenAuthentication,
    security_hub: None,
    peers: &["prowler awslambda_function_url_public"],
    why: "Anyone on the internet can run the function with any input: auth type NONE and a resource policy that lets everyone call lambda:InvokeFunctionUrl or lambda:InvokeFunction. New URLs need both since October 2025, but accounts that had URLs before then kept an exception under which InvokeFunctionUrl alone opens the URL, and no API tells whether an account still has it.",
    fix: "To close the URL: set its auth type to AWS_IAM (aws lambda update-function-url-config --auth-type AWS_IAM), or delete it, and remove the public statements (aws lambda remove-permission). If it is meant to be public, say so explicitly: grant both lambda:InvokeFunctionUrl and lambda:InvokeFunction to \"*\" with the lambda:FunctionUrlAuthType NONE condition, and mute this finding with the reason.",
    score: ScorePart::Exposure,
    overview: None,
    check: Check::Function(url_public),
};

fn url_public(_: &Context, f: &Function, facts: &FunctionFacts) -> Outcome {
    url_hits(f, facts, true, "accepts unauthenticated calls from anyone")
}

/// What the hit says of a URL public under the legacy authorization model only.
const LEGACY_SAYS: &str = "accepts unauthenticated calls from anyone wherever AWS's exception for pre-October-2025 URLs still applies (one statement of the two is present)";

/// Hits for the function URL with auth NONE that is (or is not) publicly invocable, with the
/// policy statements that decide it as evidence.
fn url_hits(f: &Function, facts: &FunctionFacts, public: bool, says: &str) -> Outcome {
    urls(f)?;
    policy_known(facts)?;
    Ok(facts
        .entry_points
        .iter()
        .filter_map(|e| match e {
            EntryPoint::FunctionUrl {
                url,
                auth_type,
                alias,
                publicly_invocable,
                legacy_model,
                evidence,
            } if *publicly_invocable == public && auth_type.eq_ignore_ascii_case("NONE") => {
                let says = if *legacy_model { LEGACY_SAYS } else { says };
                let (at, path) = match alias {
                    Some(a) => (
                        format!(" (alias {a})"),
                        format!("aliases.{a}.url.auth_type"),
                    ),
                    None => (String::new(), "url.auth_type".to_string()),
                };
                let mut h = hit(format!("{url}{at} {says}")).ev(path, auth_type.clone());
                for e in evidence {
                    h = h.ev("resource policy", e.clone());
                }
                Some(h)
            }
            _ => None,
        })
        .collect())
}

pub const URL_AUTH_NONE: Rule = Rule {
    id: "lambda-url-auth-none",
    title: "Function URL has auth type NONE but is not publicly invocable",
    severity: Severity::Medium,
    owasp: Owasp::BrokenAuthentication,
    security_hub: None,
    peers: &["prowler awslambda_function_url_public"],
    why: "The URL does no authentication; only the resource policy's missing statements stand between it and the internet, one add-permission away.",
    fix: "Use AWS_IAM auth, or delete the URL if nothing calls it.",
    score: ScorePart::Exposure,
    overview: None,
    check: Check::Function(url_auth_none),
};

fn url_auth_none(_: &Context, f: &Function, facts: &FunctionFacts) -> Outcome {
    url_hits(
        f,
        facts,
        false,
        "does no authentication; the resource policy admits nobody to either invoke action (yet)",
    )
}

pub const URL_CORS_ANY_ORIGIN: Rule = Rule {
    id: "lambda-url-cors-any-origin",
    title: "Function URL CORS allows any origin",
    severity: Severity::Medium,
    owasp: Owasp::InsecureConfiguration,
    security_hub: None,
    peers: &["prowler awslambda_function_url_cors_policy"],
    why: "Any web page can call the URL from a visitor's browser and read the answer; with credentials allowed, in the visitor's name.",
    fix: "List the exact origins that need the URL in its CORS AllowOrigins.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(url_cors_any_origin),
};

fn url_cors_any_origin(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    Ok(urls(f)?
        .into_iter()
        .filter(|(_, u)| {
            u.cors
                .as_ref()
                .is_some_and(|c| c.allow_origins.iter().any(|o| o == "*"))
        })
        .map(|(path, u)| {
            let mut h = hit(format!("{} answers browsers from any origin", u.url))
                .ev(format!("{path}.cors.allow_origins"), "*");
            if u.cors.as_ref().and_then(|c| c.allow_credentials) == Some(true) {
                h = h
                    .ev(format!("{path}.cors.allow_credentials"), "true")
                    .severity(Severity::High);
            }
            h
        })
        .collect())
}

pub const POLICY_PUBLIC: Rule = Rule {
    id: "lambda-policy-public",
    title: "Resource policy lets anyone invoke the function",
    severity: Severity::Critical,
    owasp: Owasp::BrokenAuthentication,
    security_hub: Some("Lambda.1"),
    peers: &[
        "prowler awslambda_function_not_publicly_accessible",
        "LambdaGuard unrestricted principal",
    ],
    why: "A statement admits every AWS principal (\"*\" or NotPrincipal) to invoke the function, through the Lambda API or its URL, with no condition naming the caller (SourceArn, SourceAccount, PrincipalOrgID, ...).",
    fix: "Replace \"*\" with the calling account or service, and add aws:SourceArn / aws:SourceAccount conditions.",
    score: ScorePart::Exposure,
    overview: None,
    check: Check::Function(policy_public),
};

fn policy_public(_: &Context, _: &Function, facts: &FunctionFacts) -> Outcome {
    policy_known(facts)?;
    // Either invoke action (or InvokeAsync) for anyone is a public policy, through the URL or
    // the API: under the legacy model InvokeFunctionUrl alone opens a URL.
    Ok(facts
        .admissions
        .iter()
        .filter(|a| a.principal == Principal::Anyone && !a.is_narrowed())
        .map(|a| admission_evidence(hit(format!("{} lets anyone invoke the function", a.at)), a))
        .collect())
}

pub const POLICY_CROSS_ACCOUNT: Rule = Rule {
    id: "lambda-policy-cross-account",
    title: "Resource policy lets another account invoke the function",
    severity: Severity::Medium,
    owasp: Owasp::BrokenAuthentication,
    security_hub: None,
    peers: &["cloudsplaining AssumableByCrossAccountPrincipal (for roles)"],
    why: "Principals in another account can run the function with input you do not control; that account's security becomes yours. Within an organization the finding names that account's roles that may invoke it and the functions running as them: where anyone can invoke one of those, anyone reaches this function through that account (high; critical when its role reaches privilege or data).",
    fix: "Confirm the account is yours (or a partner's by contract); narrow with aws:PrincipalOrgID or a specific role ARN.",
    score: ScorePart::Exposure,
    overview: None,
    check: Check::Function(policy_cross_account),
};

/// The admissions of other accounts that are not strangers (accounts of the organization, or
/// any other account when the account is not assessed within one), and whether each is one of
/// the organization's; strangers are `lambda-policy-outside-org`'s.
fn other_accounts<'f>(
    ctx: &Context,
    facts: &'f FunctionFacts,
) -> impl Iterator<Item = (&'f Admission, bool)> {
    facts
        .admissions
        .iter()
        .filter_map(move |a| match ctx.other_account(&a.principal)? {
            (_, Some(Membership::Outside)) => None,
            (_, membership) => Some((a, membership.is_some())),
        })
}

fn policy_cross_account(ctx: &Context, f: &Function, facts: &FunctionFacts) -> Outcome {
    policy_known(facts)?;
    // Anyone kept to an organization is every account of it: this one's (low), or one not
    // verified as the account's (as another account).
    let org_grants = facts.admissions.iter().filter_map(|a| {
        let (who, ours) = ctx.org_grant(a)?;
        // What the statement grants, as written: `lambda:*` lets them change the function too.
        let what = match crate::reach::granted_by(f, &a.at) {
            Some(actions) => format!("call {actions}"),
            None => "invoke the function".to_string(),
        };
        let h = admission_evidence(hit(format!("{} lets {who} {what}", a.at)), a);
        // Every account of this organization: the roles of any that may invoke it.
        Some(if ours {
            with_invokers(ctx, f, h.severity(Severity::Low), None, None)
        } else {
            h
        })
    });
    Ok(org_grants
        .chain(other_accounts(ctx, facts).map(|(a, member)| {
            let h = hit(format!(
                "{} admits {}",
                a.at,
                ctx.describe_account(&a.principal)
            ));
            // An account of the organization is the estate's own.
            let h = admission_evidence(
                if a.is_narrowed() || member {
                    h.severity(Severity::Low)
                } else {
                    h
                },
                a,
            );
            match ctx.other_account(&a.principal) {
                Some((account, _)) => with_invokers(ctx, f, h, Some(account), None),
                None => h,
            }
        }))
        .collect())
}

pub const POLICY_OUTSIDE_ORG: Rule = Rule {
    id: "lambda-policy-outside-org",
    title: "Resource policy lets an account outside the organization invoke the function",
    severity: Severity::High,
    owasp: Owasp::BrokenAuthentication,
    security_hub: None,
    peers: &["cloudsplaining AssumableByCrossAccountPrincipal (for roles)"],
    why: "An account that is not the organization's is a stranger's: it runs the function with input you do not control, and nothing the organization enforces (its guardrails, its people) applies to it.",
    fix: "Remove the grant, or confirm a contracted partner and narrow it to one role ARN (and aws:SourceArn where a service acts for it).",
    score: ScorePart::Exposure,
    overview: None,
    check: Check::Function(policy_outside_org),
};

fn policy_outside_org(ctx: &Context, _: &Function, facts: &FunctionFacts) -> Outcome {
    policy_known(facts)?;
    Ok(facts
        .admissions
        .iter()
        .filter_map(|a| ctx.stranger(a).map(|who| (a, who)))
        .map(|(a, who)| {
            let h = hit(format!("{} admits {who}", a.at));
            // A stranger's account narrowed further (to a source ARN) is lower.
            let lower = a.is_narrowed() && matches!(a.principal, Principal::Account { .. });
            admission_evidence(
                if lower {
                    h.severity(Severity::Medium)
                } else {
                    h
                },
                a,
            )
        })
        .collect())
}

pub const POLICY_SERVICE_UNSCOPED: Rule = Rule {
    id: "lambda-policy-service-unscoped",
    title: "A service may invoke the function without SourceArn or SourceAccount",
    severity: Severity::High,
    owasp: Owasp::EventInjection,
    security_hub: Some("Lambda.1"),
    peers: &[
        "Security Hub Lambda.1 (S3 without SourceAccount)",
        "prowler iam_role_cross_service_confused_deputy_prevention",
    ],
    why: "A service principal such as s3.amazonaws.com acts for every customer: without aws:SourceArn or aws:SourceAccount, someone else's bucket, topic or rule can send the function events (confused deputy). Scoped in name only is the same: a SourceArn whose account is a wildcard (arn:aws:sns:*:*:*), a condition with IfExists (it holds where the service sends no such key), and an S3 bucket ARN alone (S3 ARNs name no account: whoever makes a bucket of that name after it is deleted owns the source; medium).",
    fix: "Add aws:SourceArn (the bucket, topic or rule) and aws:SourceAccount conditions to the permission.",
    score: ScorePart::Exposure,
    overview: None,
    check: Check::Function(policy_service_unscoped),
};

fn policy_service_unscoped(_: &Context, _: &Function, facts: &FunctionFacts) -> Outcome {
    policy_known(facts)?;
    Ok(facts
        .admissions
        .iter()
        .filter(|a| matches!(a.principal, Principal::Service { .. }))
        .filter_map(|a| {
            let who = a.principal.describe();
            let h = match loose_scope(a)? {
                Loose::Unscoped => hit(format!("{} lets {who} invoke for any source", a.at)),
                Loose::AnyAccount(c) => hit(format!(
                    "{} lets {who} invoke for sources of any account: {c}",
                    a.at
                )),
                Loose::IfExists(c) => hit(format!(
                    "{} lets {who} invoke for any source that sends no such key: {c} (IfExists)",
                    a.at
                )),
                // Bucket names are global and outlive their buckets: whoever makes a bucket of
                // that name (after it is deleted) owns the source.
                Loose::BucketNameOnly(c) => hit(format!(
                    "{} lets {who} invoke for a bucket by name, and an S3 ARN names no account: {c}; add aws:SourceAccount",
                    a.at
                ))
                .severity(Severity::Medium),
            };
            Some(admission_evidence(h, a))
        })
        .collect())
}

/// How a service's permission fails to keep out other accounts' sources.
enum Loose {
    /// No condition names a caller at all.
    Unscoped,
    /// Its conditions name sources whose account is a wildcard.
    AnyAccount(String),
    /// Its only narrowing conditions are `...IfExists`: they hold where the key is absent.
    IfExists(String),
    /// S3 source ARNs without an account condition.
    BucketNameOnly(String),
}

/// Why a service's admission lets in sources other accounts own, or None when one of its
/// conditions pins the source's account or organization (the conditions all must hold, so one
/// pin is enough).
fn loose_scope(a: &Admission) -> Option<Loose> {
    if !a.is_narrowed() {
        return Some(Loose::Unscoped);
    }
    let wild = |v: &str| v.contains(['*', '?']);
    let mut loose = None;
    for c in &a.narrowed_by {
        let (key, op, values) = sprawl_iam::policy::condition_parts(c);
        let key = key.to_ascii_lowercase();
        let values: Vec<&str> = values.split(',').collect();
        if op.ends_with("IfExists") {
            loose.get_or_insert(Loose::IfExists(c.clone()));
            continue;
        }
        match key.as_str() {
            "aws:sourcearn" => {
                // arn:partition:service:region:account:resource
                let accounts: Vec<&str> = values
                    .iter()
                    .map(|v| v.split(':').nth(4).unwrap_or(""))
                    .collect();
                if accounts.iter().any(|acct| wild(acct)) {
                    loose = Some(Loose::AnyAccount(c.clone()));
                } else if accounts.iter().any(|acct| acct.is_empty()) {
                    // S3's ARNs: a bucket by name, or (wildcarded) any bucket at all.
                    let any_bucket = values.iter().any(|v| wild(v));
                    if any_bucket {
                        loose = Some(Loose::AnyAccount(c.clone()));
                    } else if !matches!(loose, Some(Loose::AnyAccount(_))) {
                        loose = Some(Loose::BucketNameOnly(c.clone()));
                    }
                } else {
                    return None;
                }
            }
            "aws:sourceaccount" | "aws:sourceowner" | "aws:principalaccount"
                if values.iter().any(|v| wild(v)) =>
            {
                loose = Some(Loose::AnyAccount(c.clone()));
            }
            // An organization, a network, a principal: each keeps strangers' sources out.
            _ => return None,
        }
    }
    loose
}

pub const SOURCE_PUBLIC: Rule = Rule {
    id: "lambda-source-public",
    title: "Anyone may write to an event source that invokes the function",
    severity: Severity::Critical,
    owasp: Owasp::EventInjection,
    security_hub: None,
    peers: &[
        "prowler sns_topics_not_publicly_accessible, s3_bucket_policy_public_write_access, s3_bucket_public_write_acl (each source alone, not what it triggers)",
        "ScoutSuite sns-topic-world-policy, s3-bucket-world-acl, s3-bucket-world-policy-star (each source alone)",
    ],
    why: "Everything written to an event source (a message published to a topic, an object uploaded to a bucket) is the function's event: when anyone may write to it, directly or through a source upstream of it, anyone chooses the function's input (event-data injection), and the function acts on it with its role's permissions, behind no WAF or authorizer. Critical when that role reaches privilege or data (an administrator, an escalation, secrets, a chain into another account); high otherwise.",
    fix: "Narrow the source's policy to the writers it needs (a principal ARN; aws:SourceArn and aws:SourceAccount for a service; aws:PrincipalOrgID); for a bucket, turn on Block Public Access and remove public ACL grants; validate events in the function.",
    score: ScorePart::Exposure,
    overview: None,
    check: Check::Function(source_public),
};

/// A source entry point's parts: its service, ARN and path.
fn source_of(e: &EntryPoint) -> Option<(&str, &str, &[String])> {
    match e {
        EntryPoint::Source {
            service, arn, path, ..
        } => Some((service, arn, path)),
        _ => None,
    }
}

fn source_public(_: &Context, _: &Function, facts: &FunctionFacts) -> Outcome {
    let mut hits = Vec::new();
    let mut unknown = None;
    for e in &facts.entry_points {
        let EntryPoint::Source {
            service,
            arn,
            path,
            anyone,
            via,
            unknown: why,
            ..
        } = e
        else {
            continue;
        };
        let (what, verb) = source_words(service);
        if let Some(why) = why {
            unknown.get_or_insert_with(|| {
                format!("who may {verb} to {what} {arn} is not known: {why}")
            });
        } else if *anyone {
            let mut h = hit(format!(
                "anyone may {verb} to {}, which invokes the function",
                source_text(service, arn, path)
            ))
            .ev(what, arn.clone());
            for p in path {
                h = h.ev("through", p.clone());
            }
            hits.push(h.ev("written by anyone through", via.join("; ")));
        }
    }
    match (hits.is_empty(), unknown) {
        // A source not read is not assessed, never passed; one found open is said either way.
        (true, Some(why)) => Err(why),
        _ => Ok(hits),
    }
}

pub const SOURCE_CROSS_ACCOUNT: Rule = Rule {
    id: "lambda-source-cross-account",
    title: "Another account may write to an event source that invokes the function",
    severity: Severity::High,
    owasp: Owasp::EventInjection,
    security_hub: None,
    peers: &[
        "prowler sns_topics_not_publicly_accessible, s3_bucket_cross_account_access; CloudSploit snsCrossAccount (each source alone)",
    ],
    why: "Everything written to an event source is the function's event: an account the source's policy admits, or that owns the source (a topic, queue or stream of another account the function takes events from), chooses the function's input, and that account's security becomes yours. High for an account outside the organization, medium when the account is not assessed within one, low for one of the organization's own (or for every account of it, a grant to anyone kept by aws:PrincipalOrgID); one step lower where a condition narrows the writer. Within an organization the finding names that account's roles that may write and the functions running as them: where anyone can invoke one of those, anyone reaches this function through that account (high; critical when its role reaches privilege or data).",
    fix: "Remove the grant, or narrow it to the one role that must write (and aws:PrincipalOrgID); validate events in the function.",
    score: ScorePart::Exposure,
    overview: None,
    check: Check::Function(source_cross_account),
};

/// What the organization's edges say of another account's way into the function (`through` an
/// event source, or by invoking it when `None`): its roles that may take it (of `account`, or of
/// any account for a grant to the whole organization), as evidence lines, and the first function
/// running as one of them that anyone can invoke, in words. Such a function makes the way one
/// from anyone, through the other account.
fn invokers_from(
    ctx: &Context,
    function: &str,
    account: Option<&str>,
    through: Option<&str>,
) -> (Vec<(String, String)>, Option<String>) {
    let Some(c) = ctx.crossings else {
        return Default::default();
    };
    let (mut lines, mut public) = (Vec::new(), None);
    for e in c.invokers(function).iter().filter(|e| {
        account.is_none_or(|a| e.edge.from_account == a) && e.through.as_deref() == through
    }) {
        let label = ctx.account_label(&e.edge.from_account);
        let role = sprawl_model::short_name(&e.edge.from_role);
        let users = c.users(&e.edge.from_role);
        if public.is_none() {
            public = users.iter().find(|f| c.is_public(f)).map(|f| {
                format!(
                    "{} ({label}), which anyone can invoke, runs as {role}",
                    sprawl_model::short_name(f)
                )
            });
        }
        let mut run_by: Vec<String> = users
            .iter()
            .take(3)
            .map(|f| sprawl_model::short_name(f).to_string())
            .collect();
        if users.len() > 3 {
            run_by.push(format!("{} more", users.len() - 3));
        }
        let via: Vec<String> = e.edge.via.iter().map(|v| v.to_string()).collect();
        lines.push((
            format!("role of {label} that may"),
            format!(
                "{role}: {} by {}; {}",
                e.write.as_deref().unwrap_or("lambda:InvokeFunction"),
                via.join(", "),
                if run_by.is_empty() {
                    "run by no function".to_string()
                } else {
                    format!("run by {}", run_by.join(", "))
                }
            ),
        ));
    }
    (lines, public)
}

/// A way into the function from another account, with the roles of that account the edges
/// say may take it; from anyone when a function anyone can invoke runs as one of them:
/// critical, which [`crate::calibrate`] keeps only where the function's role reaches privilege
/// or data (high otherwise).
fn with_invokers(
    ctx: &Context,
    f: &Function,
    mut h: Hit,
    account: Option<&str>,
    through: Option<&str>,
) -> Hit {
    let (lines, public) = invokers_from(ctx, &f.arn, account, through);
    for (path, value) in lines {
        h = h.ev(path, value);
    }
    match public {
        Some(how) => {
            h.message = format!("{}: anyone reaches it, as {how}", h.message);
            h.severity(Severity::Critical)
        }
        None => h,
    }
}

fn source_cross_account(ctx: &Context, f: &Function, facts: &FunctionFacts) -> Outcome {
    let mut hits = Vec::new();
    for (service, arn, path) in facts.entry_points.iter().filter_map(source_of) {
        // A source not read: `lambda-source-public` says it is not assessed; one of another
        // account is still written by that account's principals.
        let owner = crate::sources::owner_writes(arn, ctx.account);
        let Some(writers) = crate::sources::known_writers(ctx.sources.get(arn), &owner) else {
            continue;
        };
        let (what, verb) = source_words(service);
        for a in writers {
            let through = source_text(service, arn, path);
            let evidence = |h: Hit| {
                let mut h = h.ev(what, arn.to_string());
                for p in path {
                    h = h.ev("through", p.clone());
                }
                admission_evidence(h, a)
            };
            // Anyone kept to an organization is every account of it: this one's (low, with the
            // roles of any of its accounts that may write), or one not verified as the
            // account's (as another account).
            if let Some((who, ours)) = ctx.org_grant(a) {
                let h = evidence(hit(format!(
                    "{who} may {verb} to {through}, which invokes the function"
                )));
                hits.push(if ours {
                    with_invokers(ctx, f, h.severity(Severity::Low), None, Some(&through))
                } else {
                    h
                });
                continue;
            }
            let Some((account, membership)) = ctx.other_account(&a.principal) else {
                continue;
            };
            let severity = match (membership, a.is_narrowed()) {
                (Some(Membership::Member(_)), _) | (None, true) => Severity::Low,
                (None, false) | (Some(Membership::Outside), true) => Severity::Medium,
                (Some(Membership::Outside), false) => Severity::High,
            };
            let h = evidence(
                hit(format!(
                    "{} may {verb} to {through}, which invokes the function",
                    ctx.describe_account(&a.principal),
                ))
                .severity(severity),
            );
            hits.push(with_invokers(ctx, f, h, Some(account), Some(&through)));
        }
    }
    Ok(hits)
}
