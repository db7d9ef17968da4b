//! Reachability: what reaches each function (URL, API routes, resource-policy principals, event
//! sources, authorizer duty), what each function's role can reach (secrets), and what each role
//! and API connect (blast radius, functions behind routes). Computed once, before the rules, so
//! rules and scores read the same facts.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::report::{ApiReport, EntryPoint, Reached, ResourceKind, RouteReach, SecretAccess};
use crate::roles::{Becomes, MAX_HOPS, RoleFacts, RoleHop, reached, role_facts, stopped_by};
use crate::sources::{Writers, read_policy, source_entry_points, writers_of_sources};
use sprawl_iam::access::{Analyzer, Target};
use sprawl_iam::escalation::Payoff;
use sprawl_iam::policy::Policy;
use sprawl_iam::principals::{Admission, Principal, admissions, denies_everyone};
use sprawl_model::{Coverage, Detail, Function, Inventory, Secret};

pub use sprawl_model::unqualified;

/// Services that invoke functions asynchronously (their events are queued, retried, and lost
/// without a dead-letter queue or on-failure destination).
const ASYNC_INVOKERS: &[&str] = &[
    "s3.amazonaws.com",
    "sns.amazonaws.com",
    "events.amazonaws.com",
    "scheduler.amazonaws.com",
    "logs.amazonaws.com",
    "ses.amazonaws.com",
    "iot.amazonaws.com",
    "codecommit.amazonaws.com",
    "config.amazonaws.com",
    "cloudformation.amazonaws.com",
    "lambda.alarms.cloudwatch.amazonaws.com",
];

/// What an account is assessed within: its organization's membership, and the edges its roles
/// have into the organization's other accounts. The default is the account alone.
#[derive(Debug, Clone, Copy, Default)]
pub struct Within<'a> {
    pub members: Option<&'a sprawl_iam::members::Members>,
    pub crossings: Option<&'a crate::paths::Crossings>,
    /// The organization's SCPs over the account.
    pub guard: sprawl_iam::guardrails::Guard<'a>,
}

/// Whether a secret's policy denies the read to everyone.
pub fn refuses_every(s: &sprawl_model::Secret) -> bool {
    matches!(&s.policy, Detail::Collected { value: Some(doc) }
        if Policy::from_document(doc)
            .is_ok_and(|p| denies_everyone(&p, "secretsmanager:GetSecretValue")))
}

/// Facts about one function.
pub struct FunctionFacts {
    pub entry_points: Vec<EntryPoint>,
    /// The function's or an alias's resource policy, or the alias list, could not be read
    /// (collection failed or the document is bad): who may invoke is unknown.
    pub policy_unknown: Option<String>,
    pub admissions: Vec<Admission>,
    pub readable_secrets: Vec<SecretAccess>,
    /// The role may read every secret; `readable_secrets` then lists only the others' reasons.
    pub reads_every_secret: Option<Vec<sprawl_iam::access::StatementRef>>,
    /// What is invoked asynchronously: `None` for $LATEST, or an alias's name (each has its own
    /// event invoke config).
    pub async_targets: Vec<Option<String>>,
    /// Something calls it: an entry point, or it rotates a secret.
    pub has_trigger: bool,
}

/// Everything rules and scores read, besides the inventory.
pub struct Context<'a> {
    pub inventory: &'a Inventory,
    pub account: &'a str,
    pub now: chrono::DateTime<chrono::Utc>,
    pub roles: HashMap<&'a str, RoleFacts>,
    /// Parallel to `inventory.functions`.
    pub functions: Vec<FunctionFacts>,
    /// Function ARNs per role ARN.
    pub role_users: BTreeMap<&'a str, Vec<&'a str>>,
    pub apis: Vec<ApiReport>,
    /// Listings that failed (from the scan's coverage).
    pub gaps: Vec<ListingGap>,
    /// The organization's accounts, when the account is assessed within one.
    pub members: Option<&'a sprawl_iam::members::Members>,
    /// The edges from its roles into the organization's other accounts.
    pub crossings: Option<&'a super::paths::Crossings>,
    /// The organization's SCPs and RCPs over the account.
    pub guard: sprawl_iam::guardrails::Guard<'a>,
    /// The functions of other accounts that can read its secrets (see
    /// [`Context::find_foreign_readers`]).
    pub foreign: ForeignReaders,
    /// By role of this account: the chains by which functions of other accounts may become it
    /// (worked out once; most roles have none).
    pub chains_into: HashMap<&'a str, Vec<super::paths::InboundChain<'a>>>,
    /// Who may write to each event source that triggers a function (its topics' publishers, its
    /// buckets' uploaders), or why that is not known, by ARN: worked out once, for the entry
    /// points and the rules ([`crate::sources`]).
    pub sources: HashMap<&'a str, Writers>,
}

/// The functions of other accounts that can read an account's secrets, each list sorted by
/// account and function and cut at [`FOREIGN_READERS_KEPT`](super::report::FOREIGN_READERS_KEPT).
#[derive(Debug, Clone, Default)]
pub struct ForeignReaders {
    /// By secret ARN: those that read it, the readers of every secret aside.
    pub by_secret: HashMap<String, Vec<super::report::ForeignReader>>,
    /// Those that read every secret of the account (a secret whose policy denies everyone
    /// aside).
    pub every: Vec<super::report::ForeignReader>,
    /// By secret ARN: how many functions of other accounts read it in all, each once, the
    /// readers of every secret included unless its policy denies them.
    pub totals: HashMap<String, usize>,
}

/// The top-level listings whose completeness other resources' verdicts rest on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Functions,
    EventSourceMappings,
    Secrets,
    RestApis,
    HttpApis,
}

impl Listing {
    /// The listing an operation of the coverage is.
    fn of_operation(service: &str, operation: &str) -> Option<Listing> {
        Some(match (service, operation) {
            ("lambda", "ListFunctions") => Listing::Functions,
            ("lambda", "ListEventSourceMappings") => Listing::EventSourceMappings,
            ("secretsmanager", "ListSecrets") => Listing::Secrets,
            ("apigateway", "GetRestApis") => Listing::RestApis,
            ("apigatewayv2", "GetApis") => Listing::HttpApis,
            _ => return None,
        })
    }

    pub fn what(self) -> &'static str {
        match self {
            Listing::Functions => "the function listing (ListFunctions)",
            Listing::EventSourceMappings => {
                "the event source mapping listing (ListEventSourceMappings)"
            }
            Listing::Secrets => "the secret listing (ListSecrets)",
            Listing::RestApis => "the REST API listing (GetRestApis)",
            Listing::HttpApis => "the HTTP API listing (GetApis)",
        }
    }
}

/// A listing that failed, in full or part way: what it would have listed is unknown, so nothing
/// that rests on it is a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingGap {
    pub listing: Listing,
    pub region: String,
    /// `the secret listing (ListSecrets) in eu-west-1 failed (access denied: ...)`.
    pub reason: String,
}

impl<'a> Context<'a> {
    /// The function's role may do much (administrator, an escalation, a chain to an
    /// administrator) or the function reaches data (secrets it may read, a secret in its
    /// environment): what makes its exposure critical.
    pub fn power_or_data(&self, f: &Function, facts: &FunctionFacts) -> bool {
        let power = self.role(&f.role_arn).is_some_and(|r| {
            !r.admin_via.is_empty()
                || r.reaches_admin
                || !r.self_escalation.is_empty()
                || !r.escalations.is_empty()
                || r.becomes.as_ref().is_some_and(|b| {
                    matches!(
                        b.reached,
                        Reached::Administrator | Reached::EscalatesToAdministrator
                    )
                })
        });
        let data = !facts.readable_secrets.is_empty()
            || facts.reads_every_secret.is_some()
            || f.environment.iter().any(|v| v.value.kind.is_secret());
        power || data
    }

    /// The first failed listing of `kind` in `region` (any region with `None`), as a reason.
    pub fn gap(&self, kind: Listing, region: Option<&str>) -> Option<&str> {
        self.gaps
            .iter()
            .find(|g| g.listing == kind && region.is_none_or(|r| r == g.region))
            .map(|g| g.reason.as_str())
    }

    /// Why a function's triggers or entry points may be missing: a listing of what could drive
    /// it failed in its region.
    pub fn trigger_gap(&self, region: &str) -> Option<&str> {
        [
            Listing::EventSourceMappings,
            Listing::RestApis,
            Listing::HttpApis,
        ]
        .into_iter()
        .find_map(|l| self.gap(l, Some(region)))
        .or_else(|| self.gap(Listing::Secrets, None))
    }

    pub fn build(
        inventory: &'a Inventory,
        coverage: &Coverage,
        account: &'a str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        Context::build_in(inventory, coverage, account, now, Within::default())
    }

    /// [`Context::build`] within an organization: its membership, and the edges its roles have
    /// into other accounts (chains go on through them).
    pub fn build_in(
        inventory: &'a Inventory,
        coverage: &Coverage,
        account: &'a str,
        now: chrono::DateTime<chrono::Utc>,
        within: Within<'a>,
    ) -> Self {
        let gaps = coverage
            .gaps()
            .filter_map(|e| {
                let listing = Listing::of_operation(&e.service, &e.operation)?;
                Some(ListingGap {
                    listing,
                    region: e.region.clone(),
                    reason: format!(
                        "{} in {} failed ({}): what it would have listed is unknown",
                        listing.what(),
                        e.region,
                        e.why()
                    ),
                })
            })
            .collect();
        let analyzer = Analyzer::at(now);
        let mut role_users: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for f in &inventory.functions {
            role_users
                .entry(f.role_arn.as_str())
                .or_default()
                .push(f.arn.as_str());
        }
        let scps = within.guard.bounds().map(|b| analyzer.bounds(b));
        let mut roles: HashMap<&str, RoleFacts> = inventory
            .roles
            .iter()
            .map(|r| {
                (
                    r.arn.as_str(),
                    role_facts(&analyzer, r, account, scps.clone()),
                )
            })
            .collect();
        resolve_admin_reach(inventory, &mut roles);
        resolve_assume_chains(&mut roles, within.crossings);
        let exposure: Vec<RestExposure> = inventory
            .rest_apis
            .iter()
            .map(|api| RestExposure::of(api, account))
            .collect();
        let apis = api_reports(inventory, &exposure);
        let sources = writers_of_sources(inventory, account);
        let wired = wired_entry_points(inventory, account, &exposure, &sources, within.members);
        let rotators = inventory
            .secrets
            .iter()
            .filter_map(|s| s.rotation_lambda_arn.as_deref().map(unqualified))
            .collect();
        let mut secrets: Vec<&Secret> = inventory.secrets.iter().collect();
        secrets.sort_by(|a, b| a.arn.cmp(&b.arn));
        let functions = inventory
            .functions
            .iter()
            .map(|f| {
                let mut facts = function_facts(
                    &secrets,
                    f,
                    account,
                    roles.get(f.role_arn.as_str()),
                    &wired,
                    &rotators,
                );
                // The secrets of other accounts its role may read, if their keys allow it.
                if let Some(c) = within.crossings {
                    facts
                        .readable_secrets
                        .extend(c.secret_reads(&f.role_arn).iter().map(|e| {
                            SecretAccess {
                                secret: e.secret.clone(),
                                name: e.edge.name.clone(),
                                via: std::iter::once(e.edge.admitted.clone())
                                    .chain(e.edge.via.iter().cloned())
                                    .collect(),
                                by_resource_policy: false,
                                conditional: true,
                                account: Some(e.edge.to_account.clone()),
                            }
                        }));
                }
                facts
            })
            .collect();
        let mut ctx = Context {
            inventory,
            account,
            now,
            roles,
            functions,
            role_users,
            apis,
            gaps,
            members: within.members,
            crossings: within.crossings,
            guard: within.guard,
            foreign: ForeignReaders::default(),
            chains_into: HashMap::new(),
            sources,
        };
        if let Some(c) = ctx.crossings {
            ctx.chains_into = ctx
                .roles
                .keys()
                .filter(|r| c.is_entered(r))
                .map(|r| (*r, c.chains(r)))
                .collect();
        }
        ctx.foreign = ctx.find_foreign_readers(&secrets);
        ctx
    }

    /// The functions of other accounts that can read this account's secrets (by secret ARN):
    /// those running as (or chained to) a role another account's secret policy admits, and
    /// those whose chain of roles comes into this account at a role that can read it, itself or
    /// through the roles of this account it may become. Each function once per secret, by the
    /// first way found (edges, then the shortest chain). Every list is counted whole but keeps
    /// only its first [`FOREIGN_READERS_KEPT`](super::report::FOREIGN_READERS_KEPT) by account
    /// and function: a CI deployer that every account's functions may assume makes thousands.
    fn find_foreign_readers(&self, secrets: &[&Secret]) -> ForeignReaders {
        use super::report::{FOREIGN_READERS_KEPT, ForeignReader};
        let mut found = ForeignReaders::default();
        let Some(c) = self.crossings else {
            return found;
        };
        /// One way a function reads: the roles of a chain (borrowed from the crossings), then
        /// those it goes on through inside this account (`inside`, an index into the walks
        /// kept, whose first role is where the chain came in), and why the last may read.
        struct Way<'c> {
            function: &'c str,
            chain: Vec<&'c str>,
            inside: Option<usize>,
            why: usize,
        }
        let mut whys: Vec<String> = Vec::new();
        let mut walks: Vec<Vec<String>> = Vec::new();
        let arns: HashSet<&str> = secrets.iter().map(|s| s.arn.as_str()).collect();
        let mut by_secret: HashMap<&str, (Vec<Way>, HashSet<&str>)> = HashMap::new();
        let mut every: (Vec<Way>, HashSet<&str>) = Default::default();
        /// Every function of `chains`, through the walk `inside` (if any), for reason `why`.
        fn push_chains<'c>(
            list: &mut (Vec<Way<'c>>, HashSet<&'c str>),
            chains: &[super::paths::InboundChain<'c>],
            inside: Option<usize>,
            why: usize,
        ) {
            for chain in chains {
                for f in chain.functions {
                    // Each function once, by the first way found: one found already is not
                    // given a copy of this chain.
                    if list.1.insert(f) {
                        list.0.push(Way {
                            function: f,
                            chain: chain.roles.clone(),
                            inside,
                            why,
                        });
                    }
                }
            }
        }
        // A role of another account its policy admits: the functions running as it, and those
        // chained to it.
        for s in secrets {
            for e in c.secret_edges(&s.arn) {
                whys.push(format!(
                    "admitted by {}; GetSecretValue by {}{}",
                    e.edge.admitted,
                    e.edge
                        .via
                        .iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join("; "),
                    if e.key.is_some() {
                        ", if its key allows it"
                    } else {
                        ""
                    }
                ));
                let why = whys.len() - 1;
                let list = by_secret.entry(s.arn.as_str()).or_default();
                // Those running as the admitted role first: a chain of that one role.
                let direct = super::paths::InboundChain {
                    roles: vec![e.edge.from_role.as_str()],
                    functions: c.users(&e.edge.from_role),
                };
                push_chains(list, std::slice::from_ref(&direct), None, why);
                push_chains(list, &c.chains(&e.edge.from_role), None, why);
            }
        }
        // A chain into a role of this account, then on through its roles, as far as a chain
        // goes: what each role on the way may read.
        let mut entered: Vec<&str> = self.chains_into.keys().copied().collect();
        entered.sort();
        for start in entered {
            let chains = self.chains_into(start);
            for inside in self.paths_inside(start) {
                let reader = inside.last().expect("a path holds its start");
                let Some(facts) = self.roles.get(reader.as_str()) else {
                    continue;
                };
                let (some, reads_every) = readable_secrets(secrets, reader, facts, self.account);
                let walk = walks.len();
                walks.push(inside);
                let mut reads: Vec<(&str, usize)> = Vec::new();
                if let Some(via) = &reads_every {
                    whys.push(format!(
                        "which reads every secret ({})",
                        via.iter()
                            .map(|v| v.to_string())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ));
                    push_chains(&mut every, chains, Some(walk), whys.len() - 1);
                }
                for x in &some {
                    // Reading every secret, the secrets its resource policy admits it to are
                    // all it reads apart.
                    if reads_every.is_some() && !x.by_resource_policy {
                        continue;
                    }
                    // The secret's own ARN, borrowed for as long as the ways are kept.
                    let Some(secret) = arns.get(x.secret.as_str()).copied() else {
                        continue;
                    };
                    whys.push(if x.by_resource_policy {
                        "which its resource policy admits".to_string()
                    } else {
                        format!(
                            "which may read it ({}){}",
                            x.via
                                .iter()
                                .map(|v| v.to_string())
                                .collect::<Vec<_>>()
                                .join("; "),
                            if x.conditional {
                                ", if its conditions hold"
                            } else {
                                ""
                            }
                        )
                    });
                    reads.push((secret, whys.len() - 1));
                }
                for (secret, why) in reads {
                    push_chains(
                        by_secret.entry(secret).or_default(),
                        chains,
                        Some(walk),
                        why,
                    );
                }
            }
        }
        // Counted whole; the first kept by account and function, each said in words.
        let kept = |mut ways: Vec<Way>| -> Vec<ForeignReader> {
            ways.sort_by(|a, b| {
                let account = sprawl_iam::principals::account_of;
                (account(a.function), a.function).cmp(&(account(b.function), b.function))
            });
            ways.truncate(FOREIGN_READERS_KEPT);
            ways.into_iter()
                .map(|w| {
                    let roles: Vec<String> = w
                        .chain
                        .iter()
                        .map(|r| r.to_string())
                        .chain(
                            w.inside
                                .iter()
                                .flat_map(|i| walks[*i].iter().skip(1).cloned()),
                        )
                        .collect();
                    let account =
                        sprawl_iam::principals::account_of(w.function).unwrap_or_default();
                    ForeignReader {
                        function: w.function.to_string(),
                        account: account.to_string(),
                        account_name: self
                            .members
                            .and_then(|m| m.accounts.get(account).cloned().flatten()),
                        how: format!("as {}, {}", self.roles_line(&roles), whys[w.why]),
                        roles,
                    }
                })
                .collect()
        };
        let (every_ways, every_set) = every;
        for s in secrets {
            let (own, own_set) = by_secret.remove(s.arn.as_str()).unwrap_or_default();
            let mut total = own.len();
            if !refuses_every(s) {
                total += every_set.iter().filter(|f| !own_set.contains(*f)).count();
            }
            if total > 0 {
                found.totals.insert(s.arn.clone(), total);
            }
            if !own.is_empty() {
                found.by_secret.insert(s.arn.clone(), kept(own));
            }
        }
        found.every = kept(every_ways);
        found
    }

    /// The roles of this account `start` may become, each by a shortest chain of roles of this
    /// account (hops not stopped, at most [`MAX_HOPS`]), breadth first: `[start]` first, then
    /// each path from it.
    pub fn paths_inside(&self, start: &str) -> Vec<Vec<String>> {
        let mut paths: Vec<Vec<String>> = vec![vec![start.to_string()]];
        let mut seen = std::collections::HashSet::from([start.to_string()]);
        let mut frontier = vec![vec![start.to_string()]];
        for _ in 0..MAX_HOPS {
            let mut next = Vec::new();
            for path in &frontier {
                let at = path.last().expect("a path holds its start");
                for h in self.role(at).map_or(&[][..], |r| &r.assumes) {
                    if h.stopped.is_none() && h.account.is_none() && seen.insert(h.to.clone()) {
                        let mut p = path.clone();
                        p.push(h.to.clone());
                        next.push(p);
                    }
                }
            }
            paths.extend(next.iter().cloned());
            frontier = next;
        }
        paths
    }

    /// Roles as a reader follows them: `growth-signup-hook-role (dev) → deployer (staging)`.
    pub fn roles_line(&self, roles: &[String]) -> String {
        roles
            .iter()
            .map(|r| {
                let name = r.rsplit('/').next().unwrap_or(r);
                match sprawl_iam::principals::account_of(r) {
                    Some(a) => format!("{name} ({})", self.account_label(a)),
                    None => name.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(" → ")
    }

    /// The chains by which functions of other accounts may become `role`, of this account.
    pub fn chains_into(&self, role: &str) -> &[super::paths::InboundChain<'a>] {
        self.chains_into.get(role).map_or(&[], Vec::as_slice)
    }

    pub fn role(&self, arn: &str) -> Option<&RoleFacts> {
        self.roles.get(arn)
    }

    /// An account other than this one that a policy admits, and what it is to the organization:
    /// None for anything else; `Some(None)` when the account is not assessed within one.
    pub fn other_account<'p>(
        &self,
        p: &'p Principal,
    ) -> Option<(&'p str, Option<sprawl_iam::members::Membership<'_>>)> {
        match p {
            Principal::Account {
                id, same: false, ..
            } => Some((id.as_str(), self.members.map(|m| m.of(id)))),
            _ => None,
        }
    }

    /// Whom an admission lets in from outside the organization, when it does (None also when
    /// the account is not assessed within one): another account that is not one of its own,
    /// or anyone, kept by its conditions to other organizations or to strangers' accounts
    /// (`aws:PrincipalOrgID` of another organization, `aws:SourceAccount` of a stranger).
    pub fn stranger(&self, a: &Admission) -> Option<String> {
        use sprawl_iam::members::Membership::Outside;
        let m = self.members?;
        let judged = |v: &String| !v.contains(['*', '?']);
        match &a.principal {
            Principal::Account {
                id, same: false, ..
            } if m.of(id) == Outside => Some(self.describe_account(&a.principal)),
            Principal::Anyone => {
                let orgs = &a.scope.orgs;
                if let Some(ours) = &m.id
                    && !orgs.is_empty()
                    && orgs.iter().all(|o| judged(o) && o != ours)
                {
                    return Some(format!(
                        "the principals of organization {}, not this one",
                        orgs.join(", ")
                    ));
                }
                let accounts = &a.scope.accounts;
                (!accounts.is_empty()
                    && accounts.iter().all(|id| judged(id) && m.of(id) == Outside))
                .then(|| format!("account {}, outside the organization", accounts.join(", ")))
            }
            _ => None,
        }
    }

    /// Whom an admission of anyone kept only to some organizations (`aws:PrincipalOrgID`, or a
    /// Deny of everyone else) lets in, and whether that is this account's organization: every
    /// account of it (true); or, when the account is not assessed within an organization, every
    /// account of the one named, not verified as the account's (false). None for anything else,
    /// and for another organization than this one's (a stranger's: see [`Context::stranger`]).
    pub fn org_grant(&self, a: &Admission) -> Option<(String, bool)> {
        let only_orgs = a.narrowed_by.iter().all(|n| {
            let n = n.to_ascii_lowercase();
            n.starts_with("aws:principalorgid") || n.starts_with("aws:principalorgpaths")
        });
        if a.principal != Principal::Anyone
            || a.scope.orgs.is_empty()
            || !a.scope.accounts.is_empty()
            || !only_orgs
        {
            return None;
        }
        let orgs = a.scope.orgs.join(", ");
        match self.members.and_then(|m| m.id.as_deref()) {
            Some(ours) if a.scope.orgs.iter().all(|o| o == ours) => Some((
                format!(
                    "every account of the organization ({ours}, {} accounts)",
                    self.members.map_or(0, |m| m.accounts.len())
                ),
                true,
            )),
            Some(_) => None,
            None => Some((
                format!("every account of organization {orgs} (not verified as yours)"),
                false,
            )),
        }
    }

    /// The RCP that keeps principals outside the organization from `action` on `arn`, when one
    /// does: a grant to a stranger it blocks is not open.
    pub fn rcp_blocks_strangers(&self, action: &str, arn: &str) -> Option<String> {
        self.guard.bounds()?.rcp_blocks_strangers(action, arn)
    }

    /// An account's name within the organization, else its id.
    pub fn account_label(&self, id: &str) -> String {
        self.members
            .and_then(|m| m.accounts.get(id).cloned().flatten())
            .unwrap_or_else(|| id.to_string())
    }

    /// How a message names another account: with its name and membership in an organization.
    pub fn describe_account(&self, p: &Principal) -> String {
        crate::sources::describe_account(p, self.members)
    }
}

/// The functions of an inventory that anyone can invoke (an unauthenticated public URL, an open
/// route or method, a policy that admits anyone), of those `keep` names, worked out from their
/// entry points alone: no role is analysed, so it is cheap enough for every account of an
/// organization.
pub fn public_functions(
    inventory: &Inventory,
    account: &str,
    keep: impl Fn(&str) -> bool,
) -> Vec<String> {
    let exposure: Vec<RestExposure> = inventory
        .rest_apis
        .iter()
        .map(|api| RestExposure::of(api, account))
        .collect();
    let wired = wired_entry_points(
        inventory,
        account,
        &exposure,
        &writers_of_sources(inventory, account),
        None,
    );
    let rotators = std::collections::HashSet::new();
    inventory
        .functions
        .iter()
        .filter(|f| keep(&f.arn))
        .filter(|f| {
            function_facts(&[], f, account, None, &wired, &rotators)
                .entry_points
                .iter()
                .any(EntryPoint::is_public)
        })
        .map(|f| f.arn.clone())
        .collect()
}

/// The roles each role may assume within the account: those whose trust names it by ARN (no
/// permission of its own needed), and those whose trust admits the account or anyone while its
/// own policies allow `sts:AssumeRole` on them. An unconditional Deny in its policies, or a
/// permissions boundary that leaves `sts:AssumeRole` on the target out, stops the hop.
fn assume_edges(roles: &HashMap<&str, RoleFacts>) -> HashMap<String, Vec<RoleHop>> {
    let mut out: HashMap<String, Vec<RoleHop>> = HashMap::new();
    let mut targets: Vec<&&str> = roles.keys().collect();
    targets.sort();
    // Only roles allowed sts:AssumeRole somewhere can take a hop their trust does not name.
    let assumers: Vec<&&str> = targets
        .iter()
        .copied()
        .filter(|r| {
            roles[**r]
                .access
                .permit("sts:AssumeRole", Target::Any)
                .is_some()
        })
        .collect();
    for &&target in &targets {
        let facts = &roles[target];
        for a in &facts.trusted {
            if a.at.policy != "trust policy" {
                continue;
            }
            let conditional = !a.conditions.is_empty();
            match &a.principal {
                Principal::Account {
                    arn, same: true, ..
                } if arn.contains(":role/") => {
                    let Some(from) = roles.get(arn.as_str()) else {
                        continue;
                    };
                    if arn == target || from.access.denied("sts:AssumeRole", target) {
                        continue;
                    }
                    out.entry(arn.clone()).or_default().push(RoleHop {
                        to: target.to_string(),
                        account: None,
                        named: true,
                        via: vec![a.at.clone()],
                        conditional,
                        conditions: a.conditions.clone(),
                        stopped: stopped_by(&a.conditions),
                    });
                }
                // The account itself (its root: any principal there its own policies allow),
                // or anyone.
                Principal::Account {
                    arn, same: true, ..
                } if arn.ends_with(":root") || arn.bytes().all(|b| b.is_ascii_digit()) => {
                    push_permitted(&mut out, roles, &assumers, target, a, conditional);
                }
                Principal::Anyone => {
                    push_permitted(&mut out, roles, &assumers, target, a, conditional);
                }
                _ => {}
            }
        }
    }
    out
}

/// The hops into `target` of every role whose own policies allow `sts:AssumeRole` on it, the
/// trust admitting them through `a`.
fn push_permitted(
    out: &mut HashMap<String, Vec<RoleHop>>,
    roles: &HashMap<&str, RoleFacts>,
    assumers: &[&&str],
    target: &str,
    a: &Admission,
    conditional: bool,
) {
    for &&from in assumers {
        if from == target {
            continue;
        }
        let Some(p) = roles[from]
            .access
            .permit("sts:AssumeRole", Target::Arn(target))
        else {
            continue;
        };
        let hops = out.entry(from.to_string()).or_default();
        if hops.iter().any(|h| h.to == target) {
            continue;
        }
        hops.push(RoleHop {
            to: target.to_string(),
            account: None,
            named: false,
            via: std::iter::once(a.at.clone()).chain(p.via).collect(),
            conditional: conditional || p.conditional,
            conditions: a.conditions.clone(),
            stopped: stopped_by(&a.conditions),
        });
    }
}

/// Follows every role's assumptions up to [`MAX_HOPS`] deep and keeps the most powerful role
/// each may become (the shortest way there, unconditional hops first on a tie). Within an
/// organization the hops go on into other accounts, and from the roles reached there into
/// third ones (a role of another account is judged by what it is alone: its own chains inside
/// its account are its account's to follow).
fn resolve_assume_chains(
    roles: &mut HashMap<&str, RoleFacts>,
    crossings: Option<&super::paths::Crossings>,
) {
    let mut edges = assume_edges(roles);
    if let Some(c) = crossings {
        for (&arn, _) in roles.iter() {
            let out = c.hops(arn);
            if !out.is_empty() {
                edges
                    .entry(arn.to_string())
                    .or_default()
                    .extend_from_slice(out);
            }
        }
    }
    let onward = |at: &str| -> &[RoleHop] {
        match crossings {
            // A role of another account: the edges from it into others.
            Some(c) if !roles.contains_key(at) => c.hops(at),
            _ => &[],
        }
    };
    let what_is = |arn: &str| {
        match roles.get(arn) {
            Some(r) => reached(r),
            None => crossings.and_then(|c| c.reached(arn)),
        }
        .unwrap_or(Reached::Role)
    };
    let mut found: Vec<(String, Becomes)> = Vec::new();
    for (&start, _) in roles.iter() {
        if !edges.contains_key(start) {
            continue;
        }
        // Breadth first: each role is reached once, by a shortest chain; each remembers the
        // hop it was reached by (and whether a condition stands on the way), and only the best
        // chain is built.
        let mut via: HashMap<&str, (&str, &RoleHop, bool)> = HashMap::new();
        let mut seen = std::collections::HashSet::from([start]);
        let mut frontier: Vec<&str> = vec![start];
        let mut best: Option<(Reached, bool, usize, &str)> = None;
        for depth in 1..=MAX_HOPS {
            let mut next = Vec::new();
            for at in frontier {
                let before = via.get(at).is_some_and(|v| v.2);
                for hop in edges.get(at).map_or(onward(at), Vec::as_slice) {
                    if hop.stopped.is_some() || !seen.insert(hop.to.as_str()) {
                        continue;
                    }
                    let conditional = before || hop.conditional;
                    via.insert(hop.to.as_str(), (at, hop, conditional));
                    let what = what_is(&hop.to);
                    if best.is_none_or(|(r, c, len, _)| (what, conditional, depth) < (r, c, len)) {
                        best = Some((what, conditional, depth, hop.to.as_str()));
                    }
                    next.push(hop.to.as_str());
                }
            }
            // Nothing deeper beats an administrator reached without a condition.
            if best.is_some_and(|(r, c, _, _)| r == Reached::Administrator && !c) {
                break;
            }
            frontier = next;
        }
        if let Some((what, _, _, end)) = best {
            let mut path = Vec::new();
            let mut at = end;
            while let Some((from, hop, _)) = via.get(at) {
                path.push((*hop).clone());
                at = from;
            }
            path.reverse();
            found.push((
                start.to_string(),
                Becomes {
                    path,
                    reached: what,
                },
            ));
        }
    }
    for (arn, b) in found {
        if let Some(f) = roles.get_mut(arn.as_str()) {
            f.becomes = Some(b);
        }
    }
    for (arn, hops) in edges {
        if let Some(f) = roles.get_mut(arn.as_str()) {
            f.assumes = hops;
        }
    }
}

/// A role that can pass an administrator role to a compute service, or rewrite the code of a
/// function running as one, reaches administrator too.
fn resolve_admin_reach(inventory: &Inventory, roles: &mut HashMap<&str, RoleFacts>) {
    let admins: Vec<&str> = roles
        .iter()
        .filter(|(_, f)| !f.admin_via.is_empty())
        .map(|(arn, _)| *arn)
        .collect();
    let admin_functions: Vec<&str> = inventory
        .functions
        .iter()
        .filter(|f| admins.contains(&f.role_arn.as_str()))
        .map(|f| f.arn.as_str())
        .collect();
    for facts in roles.values_mut() {
        if facts.reaches_admin {
            continue;
        }
        let passes_admin = facts
            .escalations
            .iter()
            .any(|e| e.payoff == Payoff::PassRole)
            && admins.iter().any(|a| {
                facts
                    .access
                    .permit("iam:PassRole", Target::Arn(a))
                    .is_some()
            });
        let hijacks_admin = facts
            .escalations
            .iter()
            .any(|e| e.method.starts_with("lambda-update"))
            && admin_functions.iter().any(|f| {
                facts
                    .access
                    .permit("lambda:UpdateFunctionCode", Target::Arn(f))
                    .or_else(|| {
                        facts
                            .access
                            .permit("lambda:UpdateFunctionConfiguration", Target::Arn(f))
                    })
                    .is_some()
            });
        facts.reaches_admin = passes_admin || hijacks_admin;
    }
}

/// Entry points that other resources hold (API methods and routes, authorizers, event source
/// mappings), by the unqualified ARN of the function they reach: one pass over the inventory.
fn wired_entry_points(
    inv: &Inventory,
    account: &str,
    exposure: &[RestExposure],
    sources: &HashMap<&str, Writers>,
    members: Option<&sprawl_iam::members::Members>,
) -> HashMap<String, Vec<EntryPoint>> {
    let mut out: HashMap<String, Vec<EntryPoint>> = HashMap::new();
    let mut add = |target: &str, e: EntryPoint| {
        out.entry(unqualified(target).to_string())
            .or_default()
            .push(e);
    };
    // Each source once, whatever number of functions it triggers.
    for (functions, e) in source_entry_points(inv, account, sources, members) {
        for f in &functions {
            add(f, e.clone());
        }
    }
    for (api, exposure) in inv.rest_apis.iter().zip(exposure) {
        for r in api.resources.value().into_iter().flatten() {
            for m in &r.methods {
                let Some(target) = m.integration.as_ref().and_then(|i| i.lambda_arn.as_deref())
                else {
                    continue;
                };
                let authorization = m
                    .authorization_type
                    .clone()
                    .unwrap_or_else(|| "NONE".into());
                add(
                    target,
                    EntryPoint::RestMethod {
                        api_id: api.id.clone(),
                        api_name: api.name.clone(),
                        region: api.region.clone(),
                        path: r.path.clone(),
                        method: m.http_method.clone(),
                        open: exposure.method_is_open(m),
                        authorization,
                        api_key_required: m.api_key_required,
                        private: exposure.private,
                    },
                );
            }
        }
    }
    for api in &inv.http_apis {
        let integrations: HashMap<&str, &str> = api
            .integrations
            .value()
            .into_iter()
            .flatten()
            .filter_map(|i| Some((i.id.as_deref()?, i.lambda_arn.as_deref()?)))
            .collect();
        for route in api.routes.value().into_iter().flatten() {
            let Some(target) = route
                .integration_id
                .as_deref()
                .and_then(|id| integrations.get(id))
            else {
                continue;
            };
            add(
                target,
                EntryPoint::HttpRoute {
                    api_id: api.id.clone(),
                    api_name: api.name.clone(),
                    region: api.region.clone(),
                    route_key: route.route_key.clone(),
                    open: route_is_open(api, route),
                    authorization: route
                        .authorization_type
                        .clone()
                        .unwrap_or_else(|| "NONE".into()),
                },
            );
        }
    }
    // Lambda authorizers of both kinds of API: every request reaches them, authenticated or not.
    let rest = inv
        .rest_apis
        .iter()
        .map(|a| (&a.id, &a.name, &a.region, &a.authorizers));
    let http = inv
        .http_apis
        .iter()
        .map(|a| (&a.id, &a.name, &a.region, &a.authorizers));
    for (id, name, region, authorizers) in rest.chain(http) {
        for a in authorizers.value().into_iter().flatten() {
            if let Some(target) = a.lambda_arn.as_deref() {
                add(
                    target,
                    EntryPoint::Authorizer {
                        api_id: id.clone(),
                        api_name: name.clone(),
                        region: region.clone(),
                        authorizer_id: a.id.clone(),
                    },
                );
            }
        }
    }
    for m in &inv.event_source_mappings {
        add(
            &m.function_arn,
            EntryPoint::EventSource {
                uuid: m.uuid.clone(),
                service: m
                    .source_arn
                    .as_deref()
                    .and_then(|a| a.split(':').nth(2))
                    .unwrap_or("kafka")
                    .to_string(),
                source_arn: m.source_arn.clone(),
                state: m.state.clone(),
            },
        );
    }
    out
}

/// How evidence names a function's resource policy (`resource policy`) or an alias's (`alias live
/// resource policy`): statements are cited as `{label} statement N`.
fn policy_label(alias: Option<&str>) -> String {
    match alias {
        Some(a) => format!("alias {a} resource policy"),
        None => "resource policy".to_string(),
    }
}

/// What statement `at` of a function's resource policy (its own, or an alias's) grants, as
/// written (`lambda:*`, `lambda:InvokeFunctionUrl`), read again from the document: asked only of
/// the few admissions a finding describes.
pub fn granted_by(f: &Function, at: &sprawl_iam::policy::StatementRef) -> Option<String> {
    let doc = if at.policy == policy_label(None) {
        &f.policy
    } else {
        let aliases = f.aliases.value()?;
        &aliases
            .iter()
            .find(|a| policy_label(Some(&a.name)) == at.policy)?
            .policy
    };
    let policy = read_policy(doc, "").ok()??;
    policy
        .statements
        .iter()
        .find(|st| st.index == at.statement)
        .map(|st| st.actions_text())
}

/// A function URL ($LATEST's, or an alias's with `alias`), judged by the policy that governs it.
///
/// Since October 2025 a new URL with auth NONE answers only when anyone may call both
/// `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction`. Accounts and regions that had created
/// URLs before then kept a temporary exception (the legacy model: `lambda:InvokeFunctionUrl`
/// alone is enough), and no API tells a scanner whether an account still has it. So a URL whose
/// policy admits anyone to either action counts as public: wherever the exception holds, it is.
fn url_entry_point(
    url: &sprawl_model::FunctionUrl,
    alias: Option<&str>,
    policy: Option<&Policy>,
    account: &str,
) -> EntryPoint {
    let label = policy_label(alias);
    let public_for = |action: &str| -> Option<String> {
        let p = policy?;
        if denies_everyone(p, action) {
            return None;
        }
        admissions(p, &label, action, account)
            .into_iter()
            .find(|a| a.principal == Principal::Anyone && !a.is_narrowed())
            .map(|a| format!("{action} for anyone: {}", a.at))
    };
    let url_grant = public_for("lambda:InvokeFunctionUrl");
    let invoke_grant = public_for("lambda:InvokeFunction");
    let none = url.auth_type.eq_ignore_ascii_case("NONE");
    const EXCEPTION: &str = "public wherever the account and region still have AWS's exception for URLs created before October 2025 (the legacy authorization model; no API tells whether it still applies), and one add-permission from public everywhere else";
    let mut evidence = Vec::new();
    match (&url_grant, &invoke_grant) {
        (Some(a), Some(b)) => evidence.extend([a.clone(), b.clone()]),
        (Some(a), None) => evidence.extend([
            a.clone(),
            format!("no statement lets anyone call lambda:InvokeFunction: {EXCEPTION}"),
        ]),
        (None, Some(b)) => evidence.extend([
            format!("no statement lets anyone call lambda:InvokeFunctionUrl: {EXCEPTION}"),
            b.clone(),
        ]),
        (None, None) => evidence.push("no statement lets anyone call the URL".into()),
    }
    EntryPoint::FunctionUrl {
        url: url.url.clone(),
        auth_type: url.auth_type.clone(),
        alias: alias.map(str::to_string),
        publicly_invocable: none && (url_grant.is_some() || invoke_grant.is_some()),
        legacy_model: none && (url_grant.is_some() != invoke_grant.is_some()),
        evidence,
    }
}

fn function_facts(
    secrets: &[&Secret],
    f: &Function,
    account: &str,
    role: Option<&RoleFacts>,
    wired: &HashMap<String, Vec<EntryPoint>>,
    rotators: &std::collections::HashSet<&str>,
) -> FunctionFacts {
    let mut entry_points = Vec::new();
    // The function's own resource policy and each alias's: an alias has its own policy and its
    // own URL, and a caller admitted by either can invoke the code.
    let mut policy_unknown = None;
    // By alias (`None` for $LATEST).
    let mut policies: Vec<(Option<&str>, Option<Policy>)> = Vec::new();
    match read_policy(&f.policy, "the resource policy") {
        Ok(p) => policies.push((None, p)),
        Err(reason) => policy_unknown = Some(reason),
    }
    let aliases: &[sprawl_model::Alias] = match &f.aliases {
        Detail::Collected { value } => value,
        // No published version, so no alias: $LATEST is all there is.
        Detail::Skipped { .. } => &[],
        Detail::Failed { kind, message } => {
            policy_unknown.get_or_insert(format!(
                "the aliases (each with its own policy and URL) could not be listed ({kind}: {message})"
            ));
            &[]
        }
    };
    for alias in aliases {
        match read_policy(
            &alias.policy,
            &format!("alias {}'s resource policy", alias.name),
        ) {
            Ok(p) => policies.push((Some(alias.name.as_str()), p)),
            Err(reason) => {
                policy_unknown.get_or_insert(reason);
            }
        }
    }
    let policy_of = |alias: Option<&str>| {
        policies
            .iter()
            .find(|(a, _)| *a == alias)
            .and_then(|(_, p)| p.as_ref())
    };
    let mut all_admissions = Vec::new();
    for (alias, p) in &policies {
        let Some(p) = p else { continue };
        let name = &policy_label(*alias);
        for action in [
            "lambda:InvokeFunction",
            "lambda:InvokeFunctionUrl",
            "lambda:InvokeAsync",
        ] {
            for a in admissions(p, name, action, account) {
                if !all_admissions.contains(&a) {
                    all_admissions.push(a);
                }
            }
        }
    }
    if let Detail::Collected { value: Some(url) } = &f.url {
        entry_points.push(url_entry_point(url, None, policy_of(None), account));
    }
    for alias in aliases {
        if let Detail::Collected { value: Some(url) } = &alias.url {
            entry_points.push(url_entry_point(
                url,
                Some(&alias.name),
                policy_of(Some(&alias.name)),
                account,
            ));
        }
    }
    for a in &all_admissions {
        entry_points.push(EntryPoint::Principal {
            admission: a.clone(),
        });
    }
    let me = unqualified(&f.arn);
    if let Some(more) = wired.get(me) {
        entry_points.extend(more.iter().cloned());
    }
    // Which of $LATEST (None) and the aliases an asynchronous service may invoke, by the policy
    // that admits it, or that has an event invoke config of its own.
    let async_admitted = |alias: Option<&str>| {
        let label = policy_label(alias);
        all_admissions.iter().any(|a| {
            a.at.policy == label
                && matches!(&a.principal, Principal::Service { name } if ASYNC_INVOKERS.contains(&name.as_str()))
        })
    };
    let mut async_targets = Vec::new();
    if async_admitted(None) || matches!(f.async_invoke, Detail::Collected { value: Some(_) }) {
        async_targets.push(None);
    }
    for alias in aliases {
        if async_admitted(Some(&alias.name))
            || matches!(alias.async_invoke, Detail::Collected { value: Some(_) })
        {
            async_targets.push(Some(alias.name.clone()));
        }
    }
    let rotates = rotators.contains(me);
    let (readable_secrets, reads_every_secret) = match role {
        Some(r) => readable_secrets(secrets, &f.role_arn, r, account),
        None => (Vec::new(), None),
    };
    FunctionFacts {
        has_trigger: !entry_points.is_empty() || rotates,
        entry_points,
        policy_unknown,
        admissions: all_admissions,
        readable_secrets,
        reads_every_secret,
        async_targets,
    }
}

/// What stands between the internet and every method of one REST API, worked out once per API.
struct RestExposure {
    /// A PRIVATE endpoint is reachable only from VPC endpoints.
    private: bool,
    /// A resource policy that only admits known callers.
    narrowed: bool,
}

impl RestExposure {
    fn of(api: &sprawl_model::RestApi, account: &str) -> Self {
        RestExposure {
            private: api.is_private(),
            narrowed: rest_policy_narrows(api, account),
        }
    }

    /// Anyone can call the method: no authorizer, no API key, a public endpoint, no narrowing
    /// resource policy.
    fn method_is_open(&self, m: &sprawl_model::RestMethod) -> bool {
        m.authorization_type.as_deref().unwrap_or("NONE") == "NONE"
            && !m.api_key_required
            && !self.private
            && !self.narrowed
    }
}

/// A REST API resource policy that only admits known callers (no unnarrowed `*`).
fn rest_policy_narrows(api: &sprawl_model::RestApi, account: &str) -> bool {
    let Some(p) = api
        .policy
        .as_ref()
        .and_then(|d| Policy::from_document(d).ok())
    else {
        return false;
    };
    let admitted = admissions(&p, "API resource policy", "execute-api:Invoke", account);
    !admitted
        .iter()
        .any(|a| a.principal == Principal::Anyone && !a.is_narrowed())
}

/// An HTTP API route anyone can call. On WebSocket APIs only `$connect` carries authorization.
pub fn route_is_open(api: &sprawl_model::HttpApi, route: &sprawl_model::Route) -> bool {
    let none = route
        .authorization_type
        .as_deref()
        .is_none_or(|a| a.eq_ignore_ascii_case("NONE"));
    if api.is_websocket() {
        route.route_key == "$connect" && none && !route.api_key_required
    } else {
        none
    }
}

/// The secrets a role can read. A role allowed `secretsmanager:GetSecretValue` on `*` with no
/// Deny on the action anywhere reads them all: that is returned once, not per secret, so an
/// account with many such roles and many secrets stays small.
fn readable_secrets(
    secrets: &[&Secret],
    role_arn: &str,
    role: &RoleFacts,
    account: &str,
) -> (
    Vec<SecretAccess>,
    Option<Vec<sprawl_iam::access::StatementRef>>,
) {
    const READ: &str = "secretsmanager:GetSecretValue";
    let any_grant = role.access.permit(READ, Target::Any).is_some();
    let denied_somewhere = role
        .access
        .own
        .denies
        .iter()
        .chain(role.access.boundary.iter().flat_map(|b| &b.denies))
        .any(|d| d.statement.actions.covers_action(READ));
    let every = role
        .access
        .permit(READ, Target::Every)
        .filter(|p| !p.conditional && !denied_somewhere);
    // The secrets the role's grants could name: each Resource pattern's literal prefix picks a
    // range of the (sorted) secrets; a pattern that starts with a wildcard picks them all.
    let mut candidate = vec![false; secrets.len()];
    if any_grant {
        for g in role
            .access
            .own
            .allows
            .iter()
            .filter(|g| g.statement.actions.covers_action(READ))
        {
            match &g.statement.resources {
                sprawl_iam::policy::Patterns::Only(ps) => {
                    for p in ps {
                        let prefix = &p[..p.find(['*', '?']).unwrap_or(p.len())];
                        let lo = secrets.partition_point(|s| s.arn.as_str() < prefix);
                        for (i, s) in secrets.iter().enumerate().skip(lo) {
                            if !s.arn.starts_with(prefix) {
                                break;
                            }
                            candidate[i] = true;
                        }
                    }
                }
                sprawl_iam::policy::Patterns::AllBut(_) => {
                    candidate.iter_mut().for_each(|c| *c = true)
                }
            }
        }
    }
    let mut out = Vec::new();
    for (i, s) in secrets.iter().enumerate() {
        let resource_policy = match s.policy.value() {
            Some(Some(d)) => Policy::from_document(d).ok(),
            _ => None,
        };
        if !candidate[i] && resource_policy.is_none() {
            continue;
        }
        let by_policy = resource_policy.as_ref().is_some_and(|p| {
            admissions(p, "secret policy", READ, account)
                .iter()
                .any(|a| match &a.principal {
                    Principal::Anyone => !a.is_narrowed(),
                    Principal::Account { arn, .. } => arn == role_arn,
                    _ => false,
                })
        });
        let refused = resource_policy
            .as_ref()
            .is_some_and(|p| denies_everyone(p, READ));
        if refused || (every.is_some() && !by_policy) {
            continue;
        }
        let permit = if candidate[i] {
            role.access.permit(READ, Target::Arn(&s.arn))
        } else {
            None
        };
        if permit.is_none() && !by_policy {
            continue;
        }
        out.push(SecretAccess {
            secret: s.arn.clone(),
            name: s.name.clone(),
            conditional: permit.as_ref().is_some_and(|p| p.conditional) && !by_policy,
            via: permit.map(|p| p.via).unwrap_or_default(),
            by_resource_policy: by_policy,
            account: None,
        });
    }
    (out, every.map(|p| p.via))
}

fn api_reports(inv: &Inventory, exposure: &[RestExposure]) -> Vec<ApiReport> {
    let mut out = Vec::new();
    for (api, exposure) in inv.rest_apis.iter().zip(exposure) {
        let mut routes = Vec::new();
        for r in api.resources.value().into_iter().flatten() {
            for m in &r.methods {
                let authorization = m
                    .authorization_type
                    .clone()
                    .unwrap_or_else(|| "NONE".into());
                routes.push(RouteReach {
                    route: format!("{} {}", m.http_method, r.path),
                    open: exposure.method_is_open(m),
                    authorization,
                    function: m
                        .integration
                        .as_ref()
                        .and_then(|i| i.lambda_arn.as_deref())
                        .map(|a| unqualified(a).to_string()),
                });
            }
        }
        out.push(ApiReport {
            arn: api.arn.clone(),
            name: api.name.clone(),
            kind: ResourceKind::RestApi,
            routes,
        });
    }
    for api in &inv.http_apis {
        let integrations: Vec<&sprawl_model::Integration> =
            api.integrations.value().into_iter().flatten().collect();
        let routes = api
            .routes
            .value()
            .into_iter()
            .flatten()
            .map(|route| RouteReach {
                route: route.route_key.clone(),
                authorization: route
                    .authorization_type
                    .clone()
                    .unwrap_or_else(|| "NONE".into()),
                open: route_is_open(api, route),
                function: route
                    .integration_id
                    .as_deref()
                    .and_then(|id| integrations.iter().find(|i| i.id.as_deref() == Some(id)))
                    .and_then(|i| i.lambda_arn.as_deref())
                    .map(|a| unqualified(a).to_string()),
            })
            .collect();
        out.push(ApiReport {
            arn: api.arn.clone(),
            name: api.name.clone(),
            kind: ResourceKind::HttpApi,
            routes,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualifiers_are_stripped() {
        let f = "arn:aws:lambda:eu-west-1:123456789012:function:orders";
        assert_eq!(unqualified(f), f);
        assert_eq!(unqualified(&format!("{f}:live")), f);
        assert_eq!(unqualified(&format!("{f}:7")), f);
    }
}
