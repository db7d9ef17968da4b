//! Critical means exploitable: a way in from anyone, and something worth taking behind it.
//!
//! Each rule judges one resource on its own, and several would call critical what is only
//! dangerous: a deprecated runtime nobody outside can reach, an administrator role no public
//! function runs as, a public URL in front of a function that can do nothing and read nothing.
//! After every rule has run, a critical finding of the rules below stays critical only on an
//! exploitable path (exposure plus privilege or data); otherwise it is high, and its evidence
//! says why. Scores are not moved: they rest on each rule's own severity, and exposure is a part
//! of the score already.

use super::reach::{Context, FunctionFacts};
use super::report::{EntryPoint, Evidence, Finding, ResourceKind, Severity};
use crate::deferred::Deferred;

/// The evidence path of the note a lowered finding carries. It says how the severity was judged,
/// not what the finding is: a finding's identity (`export::finding_key`) leaves it out, so the
/// same finding on a function that became public is the same finding, at another severity.
pub const SEVERITY_NOTE: &str = "severity";

/// What a critical finding of a rule needs to stay critical.
enum Needs {
    /// The function is publicly exposed (a deprecated runtime that blocks updates, a live
    /// credential in its environment).
    Exposure,
    /// The publicly exposed function has privilege or data behind it (a public URL or policy).
    PowerOrData,
    /// Some function that runs as the role is publicly exposed (an administrator role, an
    /// escalation, a chain into another account's administrator).
    ExposedUser,
}

fn needs(rule: &str) -> Option<Needs> {
    use super::rules::critical_needs::{EXPOSED_USER, EXPOSURE, POWER_OR_DATA};
    let of = |rules: &[&super::rules::Rule]| rules.iter().any(|r| r.id == rule);
    if of(EXPOSURE) {
        Some(Needs::Exposure)
    } else if of(POWER_OR_DATA) {
        Some(Needs::PowerOrData)
    } else if of(EXPOSED_USER) {
        Some(Needs::ExposedUser)
    } else {
        None
    }
}

/// A function anyone can invoke: an unauthenticated public URL, an open route or method, a
/// resource policy that admits anyone.
pub fn is_public(facts: &FunctionFacts) -> bool {
    facts.entry_points.iter().any(EntryPoint::is_public)
}

/// For each role of the account that a publicly exposed function reaches through a chain (its
/// own role assuming others in this account, or a chain of another account's public function
/// coming in), the first such function and the roles on the way, in words:
/// `public growth-signup-hook (dev) reaches it through growth-signup-hook-role (dev) → ...`.
fn reached_by_public(ctx: &Context) -> std::collections::HashMap<String, String> {
    // Where a walk starts: a role of this account, the roles before it, and the function.
    let mut starts: Vec<(String, Vec<String>, String)> = Vec::new();
    for (f, facts) in ctx.inventory.functions.iter().zip(&ctx.functions) {
        if is_public(facts) {
            starts.push((f.role_arn.clone(), Vec::new(), f.arn.clone()));
        }
    }
    if let Some(c) = ctx.crossings {
        let mut entered: Vec<&str> = ctx.chains_into.keys().copied().collect();
        entered.sort();
        for role in entered {
            // The first chain from a public function is the one said: the roles it goes on
            // to inside the account are the same for every chain into this role.
            let first = ctx.chains_into(role).iter().find_map(|ch| {
                let f = ch.functions.iter().find(|f| c.is_public(f))?;
                Some((ch, f))
            });
            if let Some((chain, f)) = first {
                let before = chain.roles[..chain.roles.len() - 1]
                    .iter()
                    .map(|r| r.to_string())
                    .collect();
                starts.push((role.to_string(), before, f.clone()));
            }
        }
    }
    let mut out = std::collections::HashMap::new();
    for (start, before, f) in starts {
        for path in ctx.paths_inside(&start) {
            let roles: Vec<String> = before.iter().chain(&path).cloned().collect();
            // A role the function runs as is no chain: "runs as" decides that.
            if roles.len() < 2 {
                continue;
            }
            let at = path.last().expect("a path holds its start");
            out.entry(at.clone()).or_insert_with(|| {
                let name = match ctx.inventory.functions.iter().find(|x| x.arn == f) {
                    Some(x) => x.name.clone(),
                    None => {
                        let short = f.rsplit(':').next().unwrap_or(&f);
                        let account = sprawl_iam::principals::account_of(&f).unwrap_or("?");
                        format!("{short} ({})", ctx.account_label(account))
                    }
                };
                format!(
                    "public {name} reaches it through {}",
                    ctx.roles_line(&roles)
                )
            });
        }
    }
    out
}

/// Lowers each critical finding that is on no exploitable path to high, saying why; true when
/// it lowered any. A role a public function reaches through a chain stays critical, its
/// evidence saying how it is reached.
pub fn calibrate(ctx: &Context, findings: &mut [Finding]) -> bool {
    let mut lowered = false;
    let function = |arn: &str| {
        ctx.inventory
            .functions
            .iter()
            .position(|f| f.arn == arn)
            .map(|i| (&ctx.inventory.functions[i], &ctx.functions[i]))
    };
    let mut reached: Option<std::collections::HashMap<String, String>> = None;
    for f in findings
        .iter_mut()
        .filter(|f| f.severity == Severity::Critical)
    {
        let Some(need) = needs(&f.rule) else {
            continue;
        };
        let why = match (need, f.kind) {
            (Needs::Exposure, ResourceKind::Function) => match function(&f.resource) {
                Some((_, facts)) if !is_public(facts) => {
                    "no public entry point reaches the function"
                }
                // A deprecated runtime on a public function with nothing behind it is no way to
                // more than its public entry point already gives: never above that finding.
                Some((func, facts))
                    if f.rule == super::rules::critical_needs::NO_WAY_IN_ALONE.id
                        && !ctx.power_or_data(func, facts) =>
                {
                    "the function is public, but its role grants no broad privilege and it reads no secret: the runtime is no way to more than its public entry point gives"
                }
                _ => continue,
            },
            (Needs::PowerOrData, ResourceKind::Function) => match function(&f.resource) {
                Some((func, facts)) if !ctx.power_or_data(func, facts) => {
                    "its role grants no broad privilege and it reads no secret"
                }
                _ => continue,
            },
            (Needs::ExposedUser, ResourceKind::Role) => {
                let exposed = ctx
                    .role_users
                    .get(f.resource.as_str())
                    .is_some_and(|users| {
                        users
                            .iter()
                            .any(|u| function(u).is_some_and(|(_, facts)| is_public(facts)))
                    });
                if exposed {
                    continue;
                }
                let how = reached
                    .get_or_insert_with(|| reached_by_public(ctx))
                    .get(f.resource.as_str())
                    .cloned();
                if let Some(how) = how {
                    let mut evidence = f.evidence.get().cloned().unwrap_or_default();
                    evidence.push(Evidence {
                        path: SEVERITY_NOTE.into(),
                        value: format!("critical: {how}"),
                    });
                    f.evidence = Deferred::new(evidence);
                    continue;
                }
                "no publicly exposed function runs as the role or reaches it through a chain"
            }
            _ => continue,
        };
        f.severity = Severity::High;
        lowered = true;
        let mut evidence = f.evidence.get().cloned().unwrap_or_default();
        evidence.push(Evidence {
            path: SEVERITY_NOTE.into(),
            value: format!(
                "high, not critical: {why} (critical needs exposure plus privilege or data)"
            ),
        });
        f.evidence = Deferred::new(evidence);
    }
    lowered
}
