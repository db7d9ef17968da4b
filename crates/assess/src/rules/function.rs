//! Function configuration and sprawl: secrets in the environment, runtimes, limits, failure
//! handling, tracing, code signing, layers, networking, ownership, forgotten functions.

use super::{Check, Hit, Outcome, Owasp, Points, Rule, ScorePart, age_days, hit, when};
use crate::reach::{Context, FunctionFacts};
use crate::report::Severity;
use crate::runtimes::{self, Stage};
use sprawl_iam::principals::account_of;
use sprawl_model::{Function, ValueKind, Variable};

pub const RULES: &[&Rule] = &[
    &ENV_SECRET,
    &ENV_NO_CMK,
    &RUNTIME_DEPRECATED,
    &TIMEOUT_NEAR_MAX,
    &NO_RESERVED_CONCURRENCY,
    &ASYNC_NO_FAILURE_DESTINATION,
    &TRACING_OFF,
    &NO_CODE_SIGNING,
    &LAYER_FOREIGN,
    &LAYER_SHARED,
    &NO_VPC,
    &VPC_SINGLE_AZ,
    &UNTAGGED,
    &NO_OWNER,
    &FORGOTTEN,
];

/// How sure a classification is that the value is a live secret.
fn secret_severity(kind: ValueKind) -> Severity {
    match kind {
        ValueKind::AwsAccessKeyId
        | ValueKind::AwsSecretKey
        | ValueKind::PrivateKey
        | ValueKind::ApiToken
        | ValueKind::UrlWithCredentials => Severity::Critical,
        ValueKind::Jwt | ValueKind::PasswordLike => Severity::High,
        _ => Severity::Medium,
    }
}

/// A secret the function holds (in its environment, its code or a layer): the data term, the
/// worst hit counting.
pub(super) const SECRET_DATA: ScorePart = ScorePart::Data(Points {
    critical: 8,
    high: 6,
    medium: 3,
    low: 3,
});

pub const ENV_SECRET: Rule = Rule {
    id: "lambda-env-secret",
    title: "Environment variable holds a secret",
    severity: Severity::Critical,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &["prowler awslambda_function_no_secrets_in_variables"],
    why: "Environment variables are configuration: anyone with lambda:GetFunctionConfiguration reads them in clear text, and they end up in templates, CI logs and crash dumps.",
    fix: "Store the value in Secrets Manager or SSM Parameter Store (SecureString), give the role read access to that one ARN, and keep only the reference in the environment. Rotate the exposed value.",
    score: SECRET_DATA,
    overview: None,
    check: Check::Function(env_secret),
};

/// One hit per secret (a name and a fingerprint), naming where it lives: `$LATEST`, published
/// versions, or both. A secret deleted from `$LATEST` lives on in every version published while
/// it was there, served to any alias or caller that names the version.
fn env_secret(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    // (name, fingerprint) -> (the value, in $LATEST, versions)
    let mut found: Vec<(&Variable, bool, Vec<&str>)> = Vec::new();
    let mut unread = Vec::new();
    let holders = std::iter::once((None, Some(f.environment.as_slice()))).chain(
        f.versions
            .iter()
            .map(|v| (Some(v.version.as_str()), v.environment.as_deref())),
    );
    for (version, env) in holders {
        let Some(env) = env else {
            unread.extend(version);
            continue;
        };
        for v in env.iter().filter(|v| v.value.kind.is_secret()) {
            let at = match found.iter().position(|(w, ..)| w.same_value(v)) {
                Some(i) => i,
                None => {
                    found.push((v, false, Vec::new()));
                    found.len() - 1
                }
            };
            let entry = &mut found[at];
            match version {
                None => entry.1 = true,
                Some(n) => entry.2.push(n),
            }
        }
    }
    if found.is_empty() && !unread.is_empty() {
        return Err(format!(
            "the environments of published versions {} were not collected (a snapshot from before sprawl read them; scan again)",
            unread.join(", ")
        ));
    }
    Ok(found
        .into_iter()
        .map(|(v, latest, versions)| {
            let listed = format!(
                "{} {}",
                if versions.len() == 1 { "version" } else { "versions" },
                versions.join(", ")
            );
            let (summary, path) = match (latest, versions.first()) {
                (true, None) => (String::new(), format!("environment.{}", v.name)),
                (true, Some(_)) => (
                    format!(" in $LATEST and published {listed}"),
                    format!("environment.{}", v.name),
                ),
                (false, first) => (
                    format!(" only in published {listed} (gone from $LATEST, still invocable by version)"),
                    format!("versions.{}.environment.{}", first.unwrap_or(&""), v.name),
                ),
            };
            let mut h = hit(format!("{} holds a secret ({}){summary}", v.name, v.value.kind.words()))
                .severity(secret_severity(v.value.kind))
                .ev(path, v.value.describe());
            if !versions.is_empty() {
                h = h.ev("published versions holding it", versions.join(", "));
            }
            h
        })
        .collect())
}

pub const ENV_NO_CMK: Rule = Rule {
    id: "lambda-env-no-cmk",
    title: "Environment variables are not encrypted with a customer-managed key",
    severity: Severity::Medium,
    owasp: Owasp::InsecureSecrets,
    security_hub: None,
    peers: &["prowler awslambda_function_env_vars_not_encrypted_with_cmk"],
    why: "With the AWS-managed key, every principal that can read the function's configuration sees the values; a customer key adds a decrypt permission you control and audit.",
    fix: "Set KMSKeyArn on the function to a customer-managed key (and move secrets out of the environment).",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(env_no_cmk),
};

fn env_no_cmk(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    if f.environment.is_empty() || f.kms_key_arn.is_some() {
        return Ok(Vec::new());
    }
    let sensitive: Vec<&str> = f
        .environment
        .iter()
        .filter(|v| v.value.kind.is_secret())
        .map(|v| v.name.as_str())
        .collect();
    let h = hit(format!(
        "{} variables under the AWS-managed key",
        f.environment.len()
    ))
    .ev("kms_key_arn", "none");
    Ok(vec![if sensitive.is_empty() {
        h.severity(Severity::Low)
    } else {
        h.ev("sensitive variables", sensitive.join(", "))
    }])
}

pub const RUNTIME_DEPRECATED: Rule = Rule {
    id: "lambda-runtime-deprecated",
    title: "Runtime is deprecated or nearly so",
    severity: Severity::Medium,
    owasp: Owasp::InsecureDependencies,
    security_hub: Some("Lambda.2"),
    peers: &[
        "prowler awslambda_function_using_supported_runtimes",
        "cloudsploit lambdaOldRuntimes",
    ],
    why: "A deprecated runtime gets no security patches; after AWS blocks updates the function cannot even be patched in place. Severity rises with each date: within 180 days (low), deprecated (medium), create blocked (high), update blocked (high; critical only when a public entry point reaches the function).",
    fix: "Move to a supported runtime of the same language and redeploy; published versions keep their old runtime until replaced.",
    score: ScorePart::Hygiene {
        // update blocked, create blocked, deprecated, soon
        points: Points {
            critical: 5,
            high: 4,
            medium: 3,
            low: 1,
        },
        in_chain: true,
    },
    overview: None,
    check: Check::Function(runtime_deprecated),
};

fn runtime_hit(ctx: &Context, runtime: &str, what: &str) -> Option<Hit> {
    let today = ctx.now.date_naive();
    let life = runtimes::lifecycle(runtime);
    let date = |d: Option<chrono::NaiveDate>| {
        d.map(|d| d.to_string())
            .unwrap_or_else(|| "unpublished".into())
    };
    let (sev, state) = match runtimes::stage(runtime, today) {
        Stage::Supported | Stage::Unknown => return None,
        Stage::DeprecatingSoon { days } => (Severity::Low, format!("is deprecated in {days} days")),
        Stage::Deprecated => (
            Severity::Medium,
            "is deprecated: no more security patches".to_string(),
        ),
        Stage::CreateBlocked => (
            Severity::High,
            "is deprecated and new functions on it are blocked".to_string(),
        ),
        Stage::UpdateBlocked => (
            Severity::Critical,
            "is deprecated and the function can no longer be updated on it".to_string(),
        ),
    };
    let l = life?;
    Some(
        hit(format!("{what} {runtime} {state}"))
            .severity(sev)
            .ev("runtime", runtime.to_string())
            .ev("deprecation", date(l.deprecated))
            .ev("block create", date(l.block_create))
            .ev("block update", date(l.block_update)),
    )
}

fn runtime_deprecated(ctx: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    let mut hits: Vec<Hit> = f
        .runtime
        .as_deref()
        .and_then(|r| runtime_hit(ctx, r, "runtime"))
        .into_iter()
        .collect();
    // Published versions stay invocable on the runtime they were published with.
    for v in &f.versions {
        if let Some(r) = v.runtime.as_deref()
            && Some(r) != f.runtime.as_deref()
            && let Some(h) = runtime_hit(ctx, r, &format!("version {} runs", v.version))
        {
            hits.push(h.ev("version", v.version.clone()));
        }
    }
    Ok(hits)
}

/// Lambda's maximum timeout, and how close to it counts as "at the maximum".
const MAX_TIMEOUT: i32 = 900;
const NEAR_MAX_TIMEOUT: i32 = 840;

pub const TIMEOUT_NEAR_MAX: Rule = Rule {
    id: "lambda-timeout-near-max",
    title: "Timeout is at or near the 15-minute maximum",
    severity: Severity::Low,
    owasp: Owasp::DenialOfService,
    security_hub: None,
    peers: &[],
    why: "A long timeout lets a stuck or attacker-slowed invocation bill for up to 15 minutes and hold concurrency the whole time (denial of wallet).",
    fix: "Set the timeout a little above the function's real p99 duration.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(timeout_near_max),
};

fn timeout_near_max(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    when(f.timeout_seconds >= NEAR_MAX_TIMEOUT, || {
        hit(format!(
            "timeout {} s of a possible {MAX_TIMEOUT} s",
            f.timeout_seconds
        ))
        .ev("timeout_seconds", f.timeout_seconds.to_string())
    })
}

pub const NO_RESERVED_CONCURRENCY: Rule = Rule {
    id: "lambda-no-reserved-concurrency",
    title: "No reserved concurrency: the function scales without bound",
    severity: Severity::Low,
    owasp: Owasp::DenialOfService,
    security_hub: None,
    peers: &[],
    why: "Without a reserved concurrency cap a flood of events scales the function to the account limit: a bill (denial of wallet) and throttling for every other function in the region.",
    fix: "Reserve a concurrency sized to the function's real peak.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(no_reserved_concurrency),
};

fn no_reserved_concurrency(_: &Context, f: &Function, facts: &FunctionFacts) -> Outcome {
    let reserved = f.reserved_concurrency.require("reserved concurrency")?;
    when(reserved.is_none(), || {
        let h = hit("concurrency is capped only by the account limit")
            .ev("reserved_concurrency", "none");
        // Something outside the account can drive it: the cap matters more.
        let exposed = facts.entry_points.iter().any(|e| {
            matches!(
                e,
                crate::report::EntryPoint::FunctionUrl {
                    publicly_invocable: true,
                    ..
                } | crate::report::EntryPoint::RestMethod { open: true, .. }
                    | crate::report::EntryPoint::HttpRoute { open: true, .. }
            )
        });
        if exposed {
            h.severity(Severity::Medium)
        } else {
            h
        }
    })
}

pub const ASYNC_NO_FAILURE_DESTINATION: Rule = Rule {
    id: "lambda-async-no-failure-destination",
    title: "Asynchronously invoked function has no dead-letter queue or on-failure destination",
    severity: Severity::Medium,
    owasp: Owasp::InadequateLogging,
    security_hub: None,
    peers: &["prowler awslambda_function_no_dead_letter_queue"],
    why: "Events from S3, SNS, EventBridge and other asynchronous sources that fail after retries are dropped without a trace.",
    fix: "Configure an on-failure destination (or a dead-letter queue) for asynchronous invocations.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(async_no_failure_destination),
};

fn async_no_failure_destination(_: &Context, f: &Function, facts: &FunctionFacts) -> Outcome {
    let mut hits = Vec::new();
    // $LATEST and each alias an asynchronous service invokes, each with its own invoke config.
    // The dead-letter queue is the function configuration's ($LATEST's; an alias's version may
    // differ, and published versions' configurations are not read).
    for target in &facts.async_targets {
        let (config, path, to) = match target {
            None => (
                f.async_invoke.require("event invoke config")?,
                "async_invoke".to_string(),
                String::new(),
            ),
            Some(name) => {
                let alias = f
                    .aliases
                    .value()
                    .into_iter()
                    .flatten()
                    .find(|a| &a.name == name)
                    .ok_or_else(|| format!("alias {name} not in the inventory"))?;
                (
                    alias
                        .async_invoke
                        .require(&format!("alias {name}'s event invoke config"))?,
                    format!("aliases.{name}.async_invoke"),
                    format!(" (alias {name})"),
                )
            }
        };
        let destination = config
            .as_ref()
            .and_then(|c| c.on_failure_destination.as_ref());
        if f.dead_letter_target_arn.is_none() && destination.is_none() {
            hits.push(
                hit(format!("failed asynchronous events{to} are dropped"))
                    .ev("dead_letter_target_arn", "none")
                    .ev(format!("{path}.on_failure_destination"), "none"),
            );
        }
    }
    Ok(hits)
}

pub const TRACING_OFF: Rule = Rule {
    id: "lambda-tracing-off",
    title: "X-Ray active tracing is off",
    severity: Severity::Low,
    owasp: Owasp::InadequateLogging,
    security_hub: Some("Lambda.7"),
    peers: &["Security Hub Lambda.7"],
    why: "Without traces, an attack's path through functions and services cannot be followed.",
    fix: "Set TracingConfig mode to Active.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(tracing_off),
};

fn tracing_off(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    when(f.tracing_mode.as_deref() != Some("Active"), || {
        hit("the function is not traced").ev(
            "tracing_mode",
            f.tracing_mode
                .clone()
                .unwrap_or_else(|| "PassThrough".into()),
        )
    })
}

pub const NO_CODE_SIGNING: Rule = Rule {
    id: "lambda-no-code-signing",
    title: "No code-signing configuration",
    severity: Severity::Low,
    owasp: Owasp::InsecureDependencies,
    security_hub: None,
    peers: &["cloudsploit lambdaCodeSigningEnabled"],
    why: "Without code signing, anyone with lambda:UpdateFunctionCode can deploy any code; with it, only packages signed by your profiles run.",
    fix: "Create a code-signing configuration with your signing profiles and attach it.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(no_code_signing),
};

fn no_code_signing(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    if f.package_type == "Image" {
        return Ok(Vec::new());
    }
    let csc = f.code_signing_config.require("code-signing config")?;
    when(csc.is_none(), || {
        hit("any code can be deployed to the function").ev("code_signing_config", "none")
    })
}

pub const LAYER_FOREIGN: Rule = Rule {
    id: "lambda-layer-foreign",
    title: "Layer owned by another account",
    severity: Severity::High,
    owasp: Owasp::InsecureDependencies,
    security_hub: None,
    peers: &["prowler awslambda_function_using_cross_account_layers"],
    why: "Code in a layer runs with the function's role; another account's layer is code you neither review nor control (and that account can publish a malicious version for your next deploy). Layers AWS publishes from its own accounts (Lambda Insights, the Parameters and Secrets and AppConfig extensions, ADOT, Powertools) are AWS's, not foreign.",
    fix: "Copy the layer into your account after review, or vendor the dependency; pin exact layer versions.",
    score: ScorePart::Hygiene {
        points: Points::flat(2),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(layer_foreign),
};

fn layer_foreign(ctx: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    use sprawl_iam::members::Membership;
    Ok(f.layers
        .iter()
        .filter_map(|l| {
            let owner = account_of(l).filter(|a| *a != ctx.account)?;
            // AWS's own layers (Lambda Insights, Powertools, ...) are AWS's code, not a stranger's.
            if crate::layers::aws_publisher(l).is_some() {
                return None;
            }
            // A layer of another account of the organization is the estate's own code.
            let whose = match ctx.members.map(|m| m.of(owner)) {
                Some(Membership::Member(_)) => return None,
                Some(Membership::Outside) => "outside the organization",
                None => "not verified as yours",
            };
            Some(hit(format!("layer from account {owner} ({whose})")).ev("layers", l.clone()))
        })
        .collect())
}

pub const LAYER_SHARED: Rule = Rule {
    id: "lambda-layer-shared",
    title: "Function runs a layer of this account shared publicly or outside the organization",
    severity: Severity::Medium,
    owasp: Owasp::InsecureConfiguration,
    security_hub: None,
    peers: &["prowler awslambda_function_not_publicly_accessible (functions only)"],
    why: "The layer's version policy lets others use it: anyone it admits can download its code, and whatever was baked into it (internal endpoints, keys, the function's dependencies to probe).",
    fix: "Remove the layer version's permission for * or the outside account (lambda:RemoveLayerVersionPermission), or scope it with aws:PrincipalOrgID to your organization.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(layer_shared),
};

fn layer_shared(ctx: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    use sprawl_iam::members::Membership;
    use sprawl_iam::principals::{Principal, admissions};
    let mut hits = Vec::new();
    for arn in &f.layers {
        let Some(layer) = ctx.inventory.layers.iter().find(|l| &l.arn == arn) else {
            continue;
        };
        let Some(doc) = layer.policy.require("layer version policy")? else {
            continue;
        };
        let policy = sprawl_iam::policy::Policy::from_document(doc)
            .map_err(|e| format!("layer version policy unreadable: {e}"))?;
        // Whom each grant admits, judged as the resource policies of functions and secrets
        // are: the organization's own (quiet), another organization or account, or anyone.
        for a in admissions(
            &policy,
            "layer version policy",
            "lambda:GetLayerVersion",
            ctx.account,
        ) {
            let who = if let Some((who, ours)) = ctx.org_grant(&a) {
                if ours {
                    continue;
                }
                who
            } else if let Some(who) = ctx.stranger(&a) {
                who
            } else {
                match (&a.principal, ctx.other_account(&a.principal)) {
                    (Principal::Anyone, _)
                        if a.scope.orgs.is_empty() && a.scope.accounts.is_empty() =>
                    {
                        "every AWS account (public)".to_string()
                    }
                    (_, Some((_, None))) => {
                        format!(
                            "{} (not verified as yours)",
                            ctx.describe_account(&a.principal)
                        )
                    }
                    (_, Some((_, Some(Membership::Outside)))) => ctx.describe_account(&a.principal),
                    _ => continue,
                }
            };
            hits.push(
                hit(format!(
                    "its layer {} may be used by {who}",
                    sprawl_iam::principals::short_layer(arn)
                ))
                .ev("layers", arn.clone())
                .ev(a.at.to_string(), a.principal.describe()),
            );
        }
    }
    Ok(hits)
}

pub const NO_VPC: Rule = Rule {
    id: "lambda-no-vpc",
    title: "Function is not connected to a VPC",
    severity: Severity::Low,
    owasp: Owasp::InsecureConfiguration,
    security_hub: Some("Lambda.3"),
    peers: &[
        "Security Hub Lambda.3",
        "prowler awslambda_function_inside_vpc",
    ],
    why: "Outside a VPC the function has unrestricted outbound internet access: compromised code can send data anywhere.",
    fix: "Attach the function to private subnets with egress through controlled endpoints, where its work allows.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(no_vpc),
};

fn no_vpc(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    let in_vpc = f.vpc.as_ref().is_some_and(|v| !v.subnet_ids.is_empty());
    when(!in_vpc, || {
        hit("the function has open egress to the internet").ev("vpc", "none")
    })
}

pub const VPC_SINGLE_AZ: Rule = Rule {
    id: "lambda-vpc-single-az",
    title: "VPC function uses a single subnet",
    severity: Severity::Medium,
    owasp: Owasp::DenialOfService,
    security_hub: Some("Lambda.5"),
    peers: &[
        "Security Hub Lambda.5",
        "prowler awslambda_function_vpc_multi_az",
    ],
    why: "One subnet is one availability zone: an AZ outage stops the function. (Subnet zones are not collected, so two subnets in the same zone are not caught.)",
    fix: "Give the function subnets in at least two availability zones.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(vpc_single_az),
};

fn vpc_single_az(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    let subnets = f.vpc.as_ref().map_or(0, |v| v.subnet_ids.len());
    when(subnets == 1, || {
        hit("the function runs in one subnet").ev(
            "vpc.subnet_ids",
            f.vpc
                .as_ref()
                .map(|v| v.subnet_ids.join(","))
                .unwrap_or_default(),
        )
    })
}

pub const UNTAGGED: Rule = Rule {
    id: "lambda-untagged",
    title: "Function has no tags",
    severity: Severity::Low,
    owasp: Owasp::InsecureConfiguration,
    security_hub: Some("Lambda.6"),
    peers: &["Security Hub Lambda.6"],
    why: "Untagged functions are sprawl: nobody can say who owns them, what they cost, or whether they can go.",
    fix: "Tag every function with owner, team and application (enforce with a tag policy).",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(untagged),
};

fn untagged(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    let tags = f.tags.require("tags")?;
    when(tags.is_empty(), || {
        hit("the function has no tags").ev("tags", "{}")
    })
}

pub const NO_OWNER: Rule = Rule {
    id: "lambda-no-owner",
    title: "Function has tags but no owner tag",
    severity: Severity::Low,
    owasp: Owasp::InsecureConfiguration,
    security_hub: None,
    peers: &[],
    why: "When something goes wrong at 3 a.m. nobody knows whom to wake; unowned functions are the ones nobody patches.",
    fix: "Add an owner (or team) tag.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(no_owner),
};

fn no_owner(_: &Context, f: &Function, _: &FunctionFacts) -> Outcome {
    let tags = f.tags.require("tags")?;
    when(!tags.is_empty() && tags.owner().is_none(), || {
        hit("no tag names an owner").ev("tags", tags.keys().cloned().collect::<Vec<_>>().join(","))
    })
}

/// Not modified for this long and nothing calls it: forgotten.
const FORGOTTEN_DAYS: i64 = 365;

pub const FORGOTTEN: Rule = Rule {
    id: "lambda-forgotten",
    title: "Forgotten function: no trigger and unchanged for a year",
    severity: Severity::Low,
    owasp: Owasp::InsecureConfiguration,
    security_hub: None,
    peers: &[],
    why: "Nothing visibly calls it and nobody has touched it in a year: it still holds a role, maybe secrets, and an unpatched runtime.",
    fix: "Confirm nothing invokes it (CloudWatch Invocations metric), then delete it and its role.",
    score: ScorePart::Hygiene {
        points: Points::flat(1),
        in_chain: false,
    },
    overview: None,
    check: Check::Function(forgotten),
};

fn forgotten(ctx: &Context, f: &Function, facts: &FunctionFacts) -> Outcome {
    // Where the metrics were read, `lambda-idle` knows what this rule can only guess.
    if f.activity.is_collected() {
        return Ok(Vec::new());
    }
    if let Some(reason) = &facts.policy_unknown {
        return Err(reason.clone());
    }
    let age = age_days(ctx, f.last_modified.as_deref());
    // "No trigger" is only known when every listing of what could drive it succeeded.
    if !facts.has_trigger
        && let Some(reason) = ctx.trigger_gap(&f.region)
    {
        return Err(reason.to_string());
    }
    when(
        !facts.has_trigger && age.is_some_and(|d| d >= FORGOTTEN_DAYS),
        || {
            hit(format!(
                "no trigger, last modified {} days ago",
                age.unwrap_or_default()
            ))
            .ev("last_modified", f.last_modified.clone().unwrap_or_default())
            .ev("triggers", "none")
        },
    )
}
