//! Edges between the accounts of an organization: a role in one account that may become a role
//! in another. Across accounts both sides must agree: the target's trust policy admits the
//! role (by its ARN, or its whole account), and the role's own policies allow `sts:AssumeRole`
//! on the target (an unconditional Deny or a permissions boundary stops it). Pure, like the
//! rest of the assessment: it reads the accounts' roles and nothing else.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sprawl_model::{Detail, Function, Role, Secret};

use crate::report::Reached;
use crate::roles::{MAX_HOPS, RoleHop, reached_by, stopped_by};
use sprawl_iam::access::{Analyzer, RoleAccess, Target};
use sprawl_iam::guardrails::Guard;
use sprawl_iam::members::Members;
use sprawl_iam::policy::{Policy, StatementRef};
use sprawl_iam::principals::{Admission, Principal, admissions};

/// One account's roles, as the edges read them, the SCPs over them, and its secrets whose
/// policies may admit other accounts.
pub struct AccountRoles<'a> {
    pub account: &'a str,
    pub roles: &'a [Role],
    pub guard: Guard<'a>,
    pub secrets: &'a [Secret],
    /// Its functions whose resource policies may admit other accounts.
    pub functions: &'a [Function],
    /// Its event sources other accounts may write to, with the functions they reach.
    pub sources: &'a [crate::sources::ForeignWrite],
}

/// What an edge from a role of one account to a resource of another (a function it may invoke,
/// a secret it may read) holds, whatever the resource: the resource's policy admits the role (by
/// its ARN, its account, or anyone of this organization) and the role's own policies allow the
/// action on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceEdge {
    pub from_account: String,
    pub from_role: String,
    pub to_account: String,
    /// The resource's name.
    pub name: String,
    /// The resource policy's statement, then the role's own.
    pub admitted: StatementRef,
    pub via: Vec<StatementRef>,
    pub conditions: Vec<String>,
    pub conditional: bool,
    /// Why no one in the source account can take it, when no one can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    #[serde(default)]
    pub scp: ScpVerdict,
}

/// A role of one account that may invoke a function of another (`lambda:InvokeFunction`). What
/// the invoker sends is the function's event: whoever controls the invoker's code (a public
/// function running as the role, say) reaches the other account's function with its input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvokeEdge {
    /// The function's ARN.
    pub function: String,
    #[serde(flatten)]
    pub edge: ResourceEdge,
    /// The event source the role writes to, which invokes the function, with the sources
    /// between (`SNS topic orders -> SQS queue work`); none: the role invokes it itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<String>,
    /// The action that writes to that source (`sns:Publish`, ...), which the role's own policies
    /// allow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write: Option<String>,
}

/// A role of one account that may read a secret of another (`secretsmanager:GetSecretValue`).
/// The key's policy is not collected: a secret under a customer-managed key is read "if its key
/// allows it"; one under the AWS managed key cannot be read from another account at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretEdge {
    /// The secret's ARN.
    pub secret: String,
    /// The customer-managed key it is encrypted with (its policy must allow the read too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(flatten)]
    pub edge: ResourceEdge,
}

/// What the SCPs over the source's account say of an edge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum ScpVerdict {
    /// They were not read: the edge is as the role's own policies allow.
    #[default]
    NotRead,
    /// None applies (not enabled, or the management account).
    NoneApply,
    Allows,
    /// They take the role's `sts:AssumeRole` on the target away: the edge is stopped.
    Denies {
        why: String,
    },
}

impl ScpVerdict {
    /// Why the edge is stopped, when the SCPs deny it.
    pub fn stop(&self) -> Option<String> {
        match self {
            ScpVerdict::Denies { why } => Some(format!("an SCP over its account: {why}")),
            _ => None,
        }
    }

    /// `not read`, `none apply`, `allow`, `deny`.
    pub fn label(&self) -> &'static str {
        match self {
            ScpVerdict::NotRead => "not read",
            ScpVerdict::NoneApply => "none apply",
            ScpVerdict::Allows => "allow",
            ScpVerdict::Denies { .. } => "deny",
        }
    }
}

/// A role of one account that may become a role of another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossEdge {
    pub from_account: String,
    pub from_role: String,
    pub to_account: String,
    pub to_role: String,
    /// The target's trust names the role itself (else it admits its whole account).
    pub named: bool,
    /// The trust statement, then the role's own statements allowing `sts:AssumeRole`.
    pub trust: StatementRef,
    pub via: Vec<StatementRef>,
    /// The trust's conditions (an external id, MFA, an organization), which may stand in the way.
    pub conditions: Vec<String>,
    /// The role's own grant is conditional.
    pub conditional: bool,
    /// The target is an administrator.
    pub to_admin: bool,
    /// What the target is at the end of a chain: an administrator, a role that can escalate
    /// to one, a role with some escalation (None: a role no broader than its grants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaches: Option<Reached>,
    /// Why no function can take the edge (an SCP denies it, its trust requires MFA), when
    /// none can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// What the SCPs over the source's account say of it.
    #[serde(default)]
    pub scp: ScpVerdict,
}

/// The conditions that may stand in the way of an edge: those that only keep the caller to
/// this organization or to the source's account hold for the edge's own source.
fn open_conditions(conditions: &[String]) -> Vec<String> {
    conditions
        .iter()
        .filter(|c| {
            let key = sprawl_iam::policy::condition_parts(c)
                .0
                .to_ascii_lowercase();
            !SCOPE_KEYS.contains(&key.as_str())
        })
        .cloned()
        .collect()
}

const READ_SECRET: &str = "secretsmanager:GetSecretValue";
const INVOKE: &str = "lambda:InvokeFunction";

/// Whether a source role may call `action` on `arn`: allowed by its own policies and by the
/// SCPs over it; or by its own policies and stopped by an SCP (shown, never followed).
fn grant(
    access: &RoleAccess,
    guard: Guard,
    action: &str,
    arn: &str,
) -> Option<(sprawl_iam::access::Permit, ScpVerdict)> {
    let on = Target::Arn(arn);
    match access.permit(action, on) {
        Some(p) => Some((
            p,
            match guard {
                Guard::NotRead => ScpVerdict::NotRead,
                Guard::NoneApply => ScpVerdict::NoneApply,
                Guard::Apply(b) if b.scp_enabled => ScpVerdict::Allows,
                Guard::Apply(_) => ScpVerdict::NoneApply,
            },
        )),
        None => match (access.permit_own(action, on), access.scp_denial(action, on)) {
            (Some(p), Some(why)) => Some((p, ScpVerdict::Denies { why })),
            _ => None,
        },
    }
}

impl CrossEdge {
    /// The trust's conditions that may stand in the way (see [`open_conditions`]).
    pub fn open_conditions(&self) -> Vec<String> {
        open_conditions(&self.conditions)
    }

    /// Some condition, on the trust or on the role's own grant, may stop the hop.
    pub fn is_conditional(&self) -> bool {
        self.conditional || !self.open_conditions().is_empty()
    }
}

/// Condition keys that keep a caller to an organization or an account: an edge is found only
/// where its source is inside them, so they never stop it.
const SCOPE_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalaccount",
    "aws:sourceaccount",
    "aws:sourceowner",
];

/// The functions that run as each role (by role ARN), of the roles kept (`keep`).
pub fn users_of<'a>(
    functions: impl IntoIterator<Item = &'a sprawl_model::Function>,
    keep: impl Fn(&str) -> bool,
) -> HashMap<String, Vec<String>> {
    let mut users: HashMap<String, Vec<String>> = HashMap::new();
    for f in functions {
        if keep(&f.role_arn) {
            users
                .entry(f.role_arn.clone())
                .or_default()
                .push(f.arn.clone());
        }
    }
    users
}

/// A chain by which functions of one account may become a role of another, borrowed from the
/// [`Crossings`] it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundChain<'a> {
    /// The roles from the functions' own role to the one reached, both included.
    pub roles: Vec<&'a str>,
    /// The functions that run as the first.
    pub functions: &'a [String],
}

/// The functions of chains (into one role: its blast radius across accounts), sorted, each
/// once.
pub fn functions_of<'a>(chains: &[InboundChain<'a>]) -> Vec<&'a str> {
    let mut functions: Vec<&str> = chains
        .iter()
        .flat_map(|ch| ch.functions.iter().map(String::as_str))
        .collect();
    functions.sort_unstable();
    functions.dedup();
    functions
}

/// What the organization's other accounts add to one account's assessment: every edge between
/// accounts as a hop from its source role (so a chain may go on from a role of a third
/// account), and what each role at an edge's end is.
///
/// The chains into a role are found when asked, walking the hops backwards from it: a CI
/// deployer that every account's functions may assume, and which may become every account's
/// administrator, is millions of (source, target) pairs that no one reads all of.
#[derive(Debug, Clone, Default)]
pub struct Crossings {
    hops: HashMap<String, Vec<RoleHop>>,
    /// The roles at either end of a hop, numbered for the walks backwards.
    ids: HashMap<String, u32>,
    names: Vec<String>,
    /// By role number: the roles with a hop into it that nothing stops (the hops backwards).
    into: Vec<Vec<u32>>,
    reached: HashMap<String, Reached>,
    /// By role: the secrets of other accounts it may read (none stopped).
    secret_reads: HashMap<String, Vec<SecretEdge>>,
    /// By secret: the edges of roles of other accounts that may read it (none stopped).
    secret_edges: HashMap<String, Vec<SecretEdge>>,
    /// By function: the edges of roles of other accounts that may invoke it, themselves or by
    /// writing to an event source that does (none stopped).
    invokers: HashMap<String, Vec<InvokeEdge>>,
    /// By role at the start of an edge (to a role, a secret or a function): the functions that
    /// run as it.
    users: HashMap<String, Vec<String>>,
    /// The accounts whose roles were read for the edges (None: not said).
    scanned: Option<std::collections::BTreeSet<String>>,
    /// The functions of the edges' source accounts that anyone can invoke (from their entry
    /// points, `reach::public_functions`): a chain from one is a way in from anyone.
    public: std::collections::HashSet<String>,
}

impl Crossings {
    /// The edges as hops; `users` gives the functions that run as each source role (by role
    /// ARN), for the blast radius of the roles they reach.
    pub fn new(paths: &Paths, users: &HashMap<String, Vec<String>>) -> Crossings {
        let mut c = Crossings::default();
        let keep_users = |c: &mut Crossings, role: &str| {
            if let Some(f) = users.get(role).filter(|f| !f.is_empty()) {
                c.users.entry(role.to_string()).or_insert_with(|| f.clone());
            }
        };
        for e in &paths.edges {
            c.hops
                .entry(e.from_role.clone())
                .or_default()
                .push(RoleHop {
                    to: e.to_role.clone(),
                    account: Some(e.to_account.clone()),
                    named: e.named,
                    via: std::iter::once(e.trust.clone())
                        .chain(e.via.iter().cloned())
                        .collect(),
                    conditional: e.is_conditional(),
                    conditions: e.open_conditions(),
                    stopped: e.stopped.clone(),
                });
            if e.stopped.is_none() {
                let (from, to) = (c.id(&e.from_role), c.id(&e.to_role));
                c.into[to as usize].push(from);
            }
            keep_users(&mut c, &e.from_role);
            if let Some(r) = e.reaches {
                c.reached.insert(e.to_role.clone(), r);
            }
        }
        for e in paths.secrets.iter().filter(|e| e.edge.stopped.is_none()) {
            c.secret_reads
                .entry(e.edge.from_role.clone())
                .or_default()
                .push(e.clone());
            c.secret_edges
                .entry(e.secret.clone())
                .or_default()
                .push(e.clone());
            keep_users(&mut c, &e.edge.from_role);
        }
        for e in paths.invokes.iter().filter(|e| e.edge.stopped.is_none()) {
            c.invokers
                .entry(e.function.clone())
                .or_default()
                .push(e.clone());
            keep_users(&mut c, &e.edge.from_role);
        }
        c
    }

    /// The edges of roles of other accounts that may invoke `function` (by its ARN), themselves
    /// or through an event source (none stopped).
    pub fn invokers(&self, function: &str) -> &[InvokeEdge] {
        self.invokers.get(function).map_or(&[], Vec::as_slice)
    }

    /// The accounts scanned, whose roles the edges were found among: a grant naming a role of
    /// any other account of the organization leads where no one looked.
    pub fn with_scanned(mut self, accounts: impl IntoIterator<Item = String>) -> Crossings {
        self.scanned = Some(accounts.into_iter().collect());
        self
    }

    /// The functions, of the accounts the edges start in, that anyone can invoke.
    pub fn with_public(mut self, functions: impl IntoIterator<Item = String>) -> Crossings {
        self.public = functions.into_iter().collect();
        self
    }

    /// Whether anyone can invoke `function`, of another account (false: not, or not known).
    pub fn is_public(&self, function: &str) -> bool {
        self.public.contains(function)
    }

    /// Whether `account` was scanned (None: not said).
    pub fn scanned(&self, account: &str) -> Option<bool> {
        self.scanned.as_ref().map(|s| s.contains(account))
    }

    /// The secrets of other accounts `role` may read.
    pub fn secret_reads(&self, role: &str) -> &[SecretEdge] {
        self.secret_reads.get(role).map_or(&[], Vec::as_slice)
    }

    /// The number of a role at the end of a hop, given one if it has none yet.
    fn id(&mut self, role: &str) -> u32 {
        if let Some(id) = self.ids.get(role) {
            return *id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 4 billion roles");
        self.ids.insert(role.to_string(), id);
        self.names.push(role.to_string());
        self.into.push(Vec::new());
        id
    }

    /// The chains by which functions of other accounts may become `role`: from each role that
    /// functions run as and that may become it, a shortest chain (at most
    /// [`MAX_HOPS`] hops), shortest first, then by the roles' ARNs.
    pub fn chains(&self, role: &str) -> Vec<InboundChain<'_>> {
        let Some(&target) = self.ids.get(role) else {
            return Vec::new();
        };
        if self.into[target as usize].is_empty() {
            return Vec::new();
        }
        // Backwards from the role, breadth first: each role that may become it, and the next
        // role on a shortest way there (NONE: not reached).
        const NONE: u32 = u32::MAX;
        let mut next = vec![NONE; self.names.len()];
        let mut reached = Vec::new();
        let mut frontier = vec![target];
        for _ in 0..MAX_HOPS {
            let mut further = Vec::new();
            for at in frontier {
                for &from in &self.into[at as usize] {
                    if from != target && next[from as usize] == NONE {
                        next[from as usize] = at;
                        reached.push(from);
                        further.push(from);
                    }
                }
            }
            frontier = further;
        }
        let mut chains: Vec<InboundChain> = reached
            .into_iter()
            .filter_map(|from| {
                let functions = self.users.get(&self.names[from as usize])?;
                let mut roles = vec![self.names[from as usize].as_str()];
                let mut at = from;
                while at != target {
                    at = next[at as usize];
                    roles.push(self.names[at as usize].as_str());
                }
                Some(InboundChain {
                    roles,
                    functions: functions.as_slice(),
                })
            })
            .collect();
        chains.sort_by(|a, b| (a.roles.len(), &a.roles).cmp(&(b.roles.len(), &b.roles)));
        chains
    }

    /// Whether some chain of roles comes into `role` (cheaper than [`Crossings::chains`]).
    pub fn is_entered(&self, role: &str) -> bool {
        self.ids
            .get(role)
            .is_some_and(|id| !self.into[*id as usize].is_empty())
    }

    /// The edges of roles of other accounts that may read `secret` (none stopped).
    pub fn secret_edges(&self, secret: &str) -> &[SecretEdge] {
        self.secret_edges.get(secret).map_or(&[], Vec::as_slice)
    }

    /// The functions that run as `role`, the source of an edge to a secret.
    pub fn users(&self, role: &str) -> &[String] {
        self.users.get(role).map_or(&[], Vec::as_slice)
    }

    /// The hops from a role into other accounts.
    pub fn hops(&self, role: &str) -> &[RoleHop] {
        self.hops.get(role).map_or(&[], Vec::as_slice)
    }

    /// What a role of another account is at the end of a chain.
    pub fn reached(&self, role: &str) -> Option<Reached> {
        self.reached.get(role).copied()
    }
}

impl Paths {
    /// Edges of every kind.
    pub fn len(&self) -> usize {
        self.edges.len() + self.secrets.len() + self.invokes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many roles have an edge that is not stopped into a role, a secret and a function of
    /// another account: each role once, however many edges it has (what `paths`, `summary` and
    /// the organization's header count as roles; the edges are counted apart).
    pub fn roles(&self) -> RoleCounts {
        fn distinct<'a>(edges: impl Iterator<Item = (&'a str, bool)>) -> usize {
            let roles: std::collections::BTreeSet<&str> = edges
                .filter(|(_, stopped)| !stopped)
                .map(|(role, _)| role)
                .collect();
            roles.len()
        }
        RoleCounts {
            to_roles: distinct(
                self.edges
                    .iter()
                    .map(|e| (e.from_role.as_str(), e.stopped.is_some())),
            ),
            to_secrets: distinct(
                self.secrets
                    .iter()
                    .map(|e| (e.edge.from_role.as_str(), e.edge.stopped.is_some())),
            ),
            to_functions: distinct(
                self.invokes
                    .iter()
                    .map(|e| (e.edge.from_role.as_str(), e.edge.stopped.is_some())),
            ),
        }
    }
}

/// Roles with an edge (not stopped) into other accounts, by what the edge reaches
/// ([`Paths::roles`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoleCounts {
    pub to_roles: usize,
    pub to_secrets: usize,
    pub to_functions: usize,
}

/// The edges between an organization's accounts, and what kept some from being judged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paths {
    pub edges: Vec<CrossEdge>,
    /// Edges by which roles may read secrets of other accounts.
    #[serde(default)]
    pub secrets: Vec<SecretEdge>,
    /// Edges by which roles may invoke functions of other accounts (directly, or by writing to
    /// an event source that invokes them).
    #[serde(default)]
    pub invokes: Vec<InvokeEdge>,
    /// Roles whose trust or own policies could not be read (not collected, or not a policy):
    /// edges into or out of them are unknown, never "none".
    pub not_assessed: Vec<String>,
}

/// What another account may be admitted to, and by what.
struct CrossTarget<'a> {
    account: &'a str,
    arn: &'a str,
    name: &'a str,
    kind: TargetKind<'a>,
    adms: &'a [Admission],
}

enum TargetKind<'a> {
    Role,
    Function,
    /// An event source: writing to it (`action` on `resource`) invokes the functions it
    /// reaches.
    Source(&'a crate::sources::ForeignWrite),
    /// Its customer-managed key, when it has one (a secret under AWS's key is not readable
    /// from another account).
    Secret {
        key: Option<String>,
    },
}

/// The targets' admissions by whom they admit, so that a source finds those that admit it
/// by its ARN or its account, never by testing every admission: `(target, admission)` pairs.
struct Admitting<'a> {
    by_role: HashMap<&'a str, Vec<(usize, usize)>>,
    by_account: HashMap<&'a str, Vec<(usize, usize)>>,
    /// Anyone kept to this organization (of the OUs its `aws:PrincipalOrgPaths` name).
    org_wide: Vec<(usize, usize)>,
    members: Option<&'a Members>,
}

impl<'a> Admitting<'a> {
    fn of(targets: &'a [CrossTarget<'a>], members: Option<&'a Members>) -> Admitting<'a> {
        let ours = members.and_then(|m| m.id.as_deref());
        let mut index = Admitting {
            by_role: HashMap::new(),
            by_account: HashMap::new(),
            org_wide: Vec::new(),
            members,
        };
        for (t, target) in targets.iter().enumerate() {
            for (i, a) in target.adms.iter().enumerate() {
                match &a.principal {
                    Principal::Account {
                        arn, same: false, ..
                    } if arn.contains(":role/") => {
                        index.by_role.entry(arn.as_str()).or_default().push((t, i));
                    }
                    Principal::Account {
                        id, same: false, ..
                    } => index
                        .by_account
                        .entry(id.as_str())
                        .or_default()
                        .push((t, i)),
                    Principal::Anyone
                        if ours.is_some_and(|o| a.scope.orgs.iter().any(|x| x == o)) =>
                    {
                        index.org_wide.push((t, i));
                    }
                    _ => {}
                }
            }
        }
        index
    }

    /// The `(target, admission)` pairs that admit role `arn` of `account`, in the targets'
    /// order and each target's statements' order.
    fn admitting(&self, targets: &[CrossTarget], account: &str, arn: &str) -> Vec<(usize, usize)> {
        let named = self.by_role.get(arn).into_iter().flatten().filter(|(t, i)| {
            matches!(&targets[*t].adms[*i].principal, Principal::Account { id, .. } if id == account)
        });
        let mut out: Vec<(usize, usize)> = named
            .chain(self.by_account.get(account).into_iter().flatten())
            .chain(self.org_wide.iter().filter(|(t, i)| {
                let a = &targets[*t].adms[*i];
                targets[*t].account != account
                    && (a.scope.org_paths.is_empty()
                        || self
                            .members
                            .and_then(|m| m.under(account, &a.scope.org_paths))
                            .unwrap_or(true))
            }))
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The edges from one account's roles to the targets that admit them.
#[derive(Default)]
struct FromAccount {
    edges: Vec<CrossEdge>,
    invokes: Vec<InvokeEdge>,
    secrets: Vec<SecretEdge>,
    not_assessed: Vec<String>,
}

/// Why a role's edges may be missing: policies of its that could not be read.
fn unreadable(role: &Role, access: &RoleAccess) -> String {
    format!(
        "{}: policies not readable ({})",
        role.arn,
        access.unreadable.join("; ")
    )
}

/// Every edge from a role of account `a` to a target that admits it and that the role's own
/// policies (and the SCPs over it) let it take.
fn edges_from(
    analyzer: &Analyzer,
    a: &AccountRoles,
    targets: &[CrossTarget],
    index: &Admitting,
) -> FromAccount {
    let mut out = FromAccount::default();
    let scps = a.guard.bounds().map(|b| analyzer.bounds(b));
    for role in a.roles {
        let access = analyzer.role_under(role, scps.clone());
        // A source whose own policies could not all be read may hold the grant that is missing.
        if !access.unreadable.is_empty() {
            out.not_assessed.push(unreadable(role, &access));
        }
        for (t, i) in index.admitting(targets, a.account, &role.arn) {
            let (target, adm) = (&targets[t], &targets[t].adms[i]);
            let (action, resource) = match target.kind {
                TargetKind::Role => ("sts:AssumeRole", target.arn),
                TargetKind::Function => (INVOKE, target.arn),
                TargetKind::Secret { .. } => (READ_SECRET, target.arn),
                TargetKind::Source(w) => (w.action, w.resource.as_str()),
            };
            let Some((p, scp)) = grant(&access, a.guard, action, resource) else {
                continue;
            };
            if let TargetKind::Role = target.kind {
                let stopped = scp.stop().or_else(|| stopped_by(&adm.conditions));
                out.edges.push(CrossEdge {
                    from_account: a.account.to_string(),
                    from_role: role.arn.clone(),
                    to_account: target.account.to_string(),
                    to_role: target.arn.to_string(),
                    named: matches!(&adm.principal, Principal::Account { arn, .. } if arn.contains(":role/")),
                    trust: adm.at.clone(),
                    via: p.via,
                    conditions: adm.conditions.clone(),
                    conditional: p.conditional,
                    // Both from what the target is, read once per target.
                    to_admin: false,
                    reaches: None,
                    stopped,
                    scp,
                });
                continue;
            }
            let mut edge = ResourceEdge {
                from_account: a.account.to_string(),
                from_role: role.arn.clone(),
                to_account: target.account.to_string(),
                name: target.name.to_string(),
                admitted: adm.at.clone(),
                via: p.via,
                conditional: p.conditional || !open_conditions(&adm.conditions).is_empty(),
                conditions: adm.conditions.clone(),
                stopped: scp.stop(),
                scp,
            };
            match &target.kind {
                TargetKind::Secret { key } => {
                    if edge.stopped.is_none() && key.is_none() {
                        edge.stopped = Some(format!("it is {}", Secret::MANAGED_KEY_STOPS));
                    }
                    out.secrets.push(SecretEdge {
                        secret: target.arn.to_string(),
                        key: key.clone(),
                        edge,
                    });
                }
                TargetKind::Source(w) => {
                    // One edge per function the source reaches, through it.
                    for (function, path) in &w.reaches {
                        let mut edge = edge.clone();
                        edge.name = function.rsplit(':').next().unwrap_or(function).to_string();
                        out.invokes.push(InvokeEdge {
                            function: function.clone(),
                            edge,
                            through: Some(crate::report::source_text(w.service, &w.arn, path)),
                            write: Some(w.action.to_string()),
                        });
                    }
                }
                _ => out.invokes.push(InvokeEdge {
                    function: target.arn.to_string(),
                    edge,
                    through: None,
                    write: None,
                }),
            }
        }
    }
    out
}

/// Every edge between the accounts' roles, sorted by source and target, and the roles that
/// could not be judged. `members` (when known) decides whether a trust that admits anyone kept
/// to an organization admits these accounts.
pub fn cross_account_edges(
    accounts: &[AccountRoles],
    members: Option<&Members>,
    now: DateTime<Utc>,
) -> Paths {
    let mut not_assessed = Vec::new();
    // The targets first: roles whose trust admits another account (or anyone). Most
    // organizations have few, and with none there is nothing to analyse.
    let trusts: Vec<Vec<Vec<Admission>>> = accounts
        .iter()
        .map(|a| {
            a.roles
                .iter()
                .map(|role| {
                    // A trust whose text admits no account or anyone is not parsed.
                    if !may_be_target(role) {
                        return Vec::new();
                    }
                    foreign_admissions(a.account, role).unwrap_or_else(|why| {
                        not_assessed.push(format!("{}: {why}", role.arn));
                        Vec::new()
                    })
                })
                .collect()
        })
        .collect();
    // The secrets and functions whose policies admit another account, with whom they admit.
    let secret_trusts = admitting(
        accounts,
        |a| a.secrets,
        foreign_secret_admissions,
        |s| &s.arn,
        &mut not_assessed,
    );
    let invoke_trusts = admitting(
        accounts,
        |a| a.functions,
        foreign_invokers,
        |f| &f.arn,
        &mut not_assessed,
    );
    if trusts.iter().flatten().all(Vec::is_empty)
        && secret_trusts.iter().all(Vec::is_empty)
        && invoke_trusts.iter().all(Vec::is_empty)
        && accounts.iter().all(|a| a.sources.is_empty())
    {
        not_assessed.sort();
        return Paths {
            not_assessed,
            ..Paths::default()
        };
    }
    let (wanted, anyone) = admitted(
        trusts
            .iter()
            .flatten()
            .flatten()
            .chain(secret_trusts.iter().flatten().flat_map(|(_, a)| a))
            .chain(invoke_trusts.iter().flatten().flat_map(|(_, a)| a))
            .chain(
                accounts
                    .iter()
                    .flat_map(|a| a.sources)
                    .flat_map(|w| &w.admissions),
            ),
    );
    // Every target, with what admits it: the roles whose trust admits another account, then
    // the functions and secrets whose policies do.
    let mut targets: Vec<CrossTarget> = Vec::new();
    for (a, trusts) in accounts.iter().zip(&trusts) {
        for (role, adms) in a.roles.iter().zip(trusts) {
            if !adms.is_empty() {
                targets.push(CrossTarget {
                    account: a.account,
                    arn: &role.arn,
                    name: &role.name,
                    kind: TargetKind::Role,
                    adms,
                });
            }
        }
    }
    for (a, admitting) in accounts.iter().zip(&invoke_trusts) {
        for (function, adms) in admitting {
            targets.push(CrossTarget {
                account: a.account,
                arn: &function.arn,
                name: &function.name,
                kind: TargetKind::Function,
                adms,
            });
        }
    }
    for a in accounts {
        for w in a.sources {
            targets.push(CrossTarget {
                account: a.account,
                arn: &w.arn,
                name: crate::report::source_name(&w.arn),
                kind: TargetKind::Source(w),
                adms: &w.admissions,
            });
        }
    }
    for (a, admitting) in accounts.iter().zip(&secret_trusts) {
        for (secret, adms) in admitting {
            let key = (!secret.under_aws_managed_key())
                .then(|| secret.kms_key_id.clone())
                .flatten();
            targets.push(CrossTarget {
                account: a.account,
                arn: &secret.arn,
                name: &secret.name,
                kind: TargetKind::Secret { key },
                adms,
            });
        }
    }
    let index = Admitting::of(&targets, members);
    // Then every role of the accounts some target admits, as a source: each account's roles
    // analysed on one of a few threads (an analyser each), their edges kept and the analyses
    // let go, so that an organization's 100,000 roles are never all analysed at once.
    let sources: Vec<&AccountRoles> = accounts
        .iter()
        .filter(|a| anyone || wanted.iter().any(|w| w == a.account))
        .collect();
    let found = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4)
        .min(sources.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let analyzer = Analyzer::at(now);
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(a) = sources.get(i) else { break };
                    let part = edges_from(&analyzer, a, &targets, &index);
                    found.lock().expect("no worker panics").push((i, part));
                }
            });
        }
    });
    let mut found = found.into_inner().expect("no worker panicked");
    found.sort_by_key(|(i, _)| *i);
    let (mut edges, mut invokes, mut secrets) = (Vec::new(), Vec::new(), Vec::new());
    for (_, part) in found {
        edges.extend(part.edges);
        invokes.extend(part.invokes);
        secrets.extend(part.secrets);
        not_assessed.extend(part.not_assessed);
    }
    edges.sort_by(|a, b| (&a.from_role, &a.to_role).cmp(&(&b.from_role, &b.to_role)));
    edges.dedup_by(|a, b| a.from_role == b.from_role && a.to_role == b.to_role);
    invokes.sort_by(|a, b| {
        (&a.edge.from_role, &a.function, &a.through).cmp(&(
            &b.edge.from_role,
            &b.function,
            &b.through,
        ))
    });
    invokes.dedup_by(|a, b| {
        a.edge.from_role == b.edge.from_role && a.function == b.function && a.through == b.through
    });
    secrets.sort_by(|a, b| (&a.edge.from_role, &a.secret).cmp(&(&b.edge.from_role, &b.secret)));
    secrets.dedup_by(|a, b| a.edge.from_role == b.edge.from_role && a.secret == b.secret);
    // What each target role is: its escalations, read once per target (few roles); a target
    // whose own policies could not all be read says so, as a source does.
    let analyzer = Analyzer::at(now);
    let mut reaches: BTreeMap<&str, Option<Reached>> = BTreeMap::new();
    for (a, trusts) in accounts.iter().zip(&trusts) {
        let scps = a.guard.bounds().map(|b| analyzer.bounds(b));
        for (role, adms) in a.roles.iter().zip(trusts) {
            if adms.is_empty() {
                continue;
            }
            let access = analyzer.role_under(role, scps.clone());
            if !access.unreadable.is_empty() {
                not_assessed.push(unreadable(role, &access));
            }
            reaches.insert(
                &role.arn,
                reached_by(&analyzer, role, a.account, scps.clone()),
            );
        }
    }
    for e in &mut edges {
        let r = reaches.get(e.to_role.as_str()).copied().flatten();
        e.reaches = r;
        e.to_admin = r == Some(Reached::Administrator);
    }
    not_assessed.sort();
    not_assessed.dedup();
    Paths {
        edges,
        secrets,
        invokes,
        not_assessed,
    }
}

/// Documents keep their own spacing: compare them without it.
fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Whether a role's trust may admit other accounts, judged from its text alone (AWS principals,
/// anyone): the only roles that can be the target of an edge between accounts. A trust that
/// was not collected may: the role is kept, to be reported as not assessed.
pub fn may_be_target(role: &Role) -> bool {
    role.trust_policy.as_ref().is_none_or(|t| {
        let t = squeezed(t.text());
        t.contains("\"aws\"") || t.contains("\"principal\":\"*\"") || t.contains("notprincipal")
    })
}

/// A role as the edges between accounts read it as a source, to be kept while an
/// organization's accounts are read (None: no policy of its can be about an edge, judged from
/// the documents' text alone, see [`may_be_about_crossing`]): the policies that cannot be are
/// left out, so that 100,000 roles are held in tens of megabytes rather than read twice. An
/// attached policy left out stays named, with no statement, so the role's analysis still finds
/// every policy it has; the trust policy, the boundary and the gaps are kept as they are. A
/// role that may be a target is kept whole by its reader instead ([`may_be_target`]).
pub fn crossing_view(role: &Role) -> Option<Role> {
    let inline_policies: Vec<sprawl_model::InlinePolicy> = role
        .inline_policies
        .iter()
        .filter(|p| may_be_about_crossing(p.document.text()))
        .cloned()
        .collect();
    let mut relevant = !inline_policies.is_empty();
    let attached_policies = role
        .attached_policies
        .iter()
        .map(|p| sprawl_model::ManagedPolicy {
            arn: p.arn.clone(),
            name: p.name.clone(),
            document: p.document.as_ref().map(|d| {
                if may_be_about_crossing(d.text()) {
                    relevant = true;
                    d.clone()
                } else {
                    no_statement()
                }
            }),
        })
        .collect();
    relevant.then(|| Role {
        arn: role.arn.clone(),
        name: role.name.clone(),
        path: role.path.clone(),
        created: None,
        trust_policy: role.trust_policy.clone(),
        inline_policies,
        attached_policies,
        permissions_boundary: role.permissions_boundary.clone(),
        last_used: None,
        tags: Default::default(),
        gaps: role.gaps.clone(),
        access_advisor: Detail::skipped("not kept for the edges between accounts"),
    })
}

/// A policy with no statement: what an attached policy that cannot be about an edge is kept
/// as (made once, copied for each of the many roles that have one).
fn no_statement() -> sprawl_model::PolicyDocument {
    static DOC: std::sync::OnceLock<sprawl_model::PolicyDocument> = std::sync::OnceLock::new();
    DOC.get_or_init(|| serde_json::json!({"Statement": []}).into())
        .clone()
}

/// Whether a policy's text may allow or deny an action an edge between accounts is about
/// (`sts:AssumeRole`, `secretsmanager:GetSecretValue`, `lambda:InvokeFunction`, and the writes
/// to an event source: `sns:Publish`, `sqs:SendMessage`, `events:PutEvents`,
/// `kinesis:PutRecord`, `dynamodb:PutItem`, `s3:PutObject`): it names one of their actions
/// (by a prefix of its name) or services, or every action, or uses `NotAction`. Text alone, no
/// parsing.
fn may_be_about_crossing(text: &str) -> bool {
    let lower = squeezed(text);
    [
        "sts:",
        "secretsmanager:",
        "lambda:inv",
        "\"lambda:*\"",
        "\"action\":\"*\"",
        "\"action\":[\"*\"",
        "notaction",
        "sns:p",
        "sns:*",
        "sqs:s",
        "sqs:*",
        "events:p",
        "events:*",
        "kinesis:p",
        "kinesis:*",
        "dynamodb:p",
        "dynamodb:*",
        "s3:p",
        "s3:*",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}

/// What a role's trust admits from other accounts (or anyone) to `sts:AssumeRole`, or why
/// that is unknown.
fn foreign_admissions(account: &str, role: &Role) -> Result<Vec<Admission>, String> {
    let document = role
        .trust_policy
        .as_ref()
        .ok_or("trust policy not collected")?;
    let policy = Policy::from_document(document).map_err(|e| format!("trust policy: {e}"))?;
    let mut foreign: Vec<Admission> =
        admissions(&policy, "trust policy", "sts:AssumeRole", account)
            .into_iter()
            .filter(|a| {
                matches!(
                    a.principal,
                    Principal::Account { same: false, .. } | Principal::Anyone
                )
            })
            .collect();
    // Collected in place, the list keeps the room of every admission: a service's, for most
    // of an organization's 100,000 roles.
    foreign.shrink_to_fit();
    Ok(foreign)
}

/// What a secret's policy admits from other accounts (or anyone) to read it, or why that is
/// unknown. A policy that denies the read to everyone admits no one.
fn foreign_secret_admissions(account: &str, secret: &Secret) -> Result<Vec<Admission>, String> {
    let document = match &secret.policy {
        Detail::Collected { value: None } => return Ok(Vec::new()),
        Detail::Collected { value: Some(d) } => d,
        _ => return Err("secret policy not collected".into()),
    };
    let policy = Policy::from_document(document).map_err(|e| format!("secret policy: {e}"))?;
    if sprawl_iam::principals::denies_everyone(&policy, READ_SECRET) {
        return Ok(Vec::new());
    }
    Ok(admissions(&policy, "secret policy", READ_SECRET, account)
        .into_iter()
        .filter(|a| {
            matches!(
                a.principal,
                Principal::Account { same: false, .. } | Principal::Anyone
            )
        })
        .collect())
}

/// Per account, its resources (`items`) whose policies admit another account, with whom they
/// admit; a policy that could not be read is recorded in `not_assessed`.
fn admitting<'a, T>(
    accounts: &[AccountRoles<'a>],
    items: impl Fn(&AccountRoles<'a>) -> &'a [T],
    admitted: impl Fn(&str, &T) -> Result<Vec<Admission>, String>,
    arn: impl Fn(&T) -> &str,
    not_assessed: &mut Vec<String>,
) -> Vec<Vec<(&'a T, Vec<Admission>)>> {
    accounts
        .iter()
        .map(|a| {
            items(a)
                .iter()
                .filter_map(|t| match admitted(a.account, t) {
                    Ok(adms) if !adms.is_empty() => Some((t, adms)),
                    Ok(_) => None,
                    Err(why) => {
                        not_assessed.push(format!("{}: {why}", arn(t)));
                        None
                    }
                })
                .collect()
        })
        .collect()
}

/// What a function's resource policy admits from other accounts to invoke it, or why that is
/// unknown. Anyone unrestricted is a public function's (its own rules'): only anyone kept to an
/// organization counts here.
fn foreign_invokers(account: &str, f: &Function) -> Result<Vec<Admission>, String> {
    let document = match &f.policy {
        Detail::Collected { value: None } => return Ok(Vec::new()),
        Detail::Collected { value: Some(d) } => d,
        _ => return Err("function policy not collected".into()),
    };
    let policy = Policy::from_document(document).map_err(|e| format!("function policy: {e}"))?;
    Ok(admissions(&policy, "function policy", INVOKE, account)
        .into_iter()
        .filter(|a| match &a.principal {
            Principal::Account { same: false, .. } => true,
            Principal::Anyone => !a.scope.orgs.is_empty(),
            _ => false,
        })
        .collect())
}

/// Whether a function's resource policy may admit other accounts, judged from its text alone.
pub fn may_be_target_function(f: &Function) -> bool {
    match &f.policy {
        Detail::Collected { value: None } => false,
        Detail::Collected { value: Some(d) } => {
            let t = squeezed(d.text());
            t.contains("\"aws\"") || t.contains("orgid") || t.contains("orgpaths")
        }
        _ => true,
    }
}

/// Whether a secret's policy may admit other accounts, judged from its text alone: the only
/// secrets an edge between accounts can end at. A policy that was not collected may.
pub fn may_be_target_secret(secret: &Secret) -> bool {
    match &secret.policy {
        Detail::Collected { value: None } => false,
        Detail::Collected { value: Some(d) } => {
            let t = squeezed(d.text());
            t.contains("\"aws\"") || t.contains("\"principal\":\"*\"") || t.contains("notprincipal")
        }
        _ => true,
    }
}

/// The accounts these admissions name, and whether one admits anyone.
fn admitted<'a>(adms: impl IntoIterator<Item = &'a Admission>) -> (Vec<String>, bool) {
    let mut ids = Vec::new();
    let mut anyone = false;
    for a in adms {
        match &a.principal {
            Principal::Account { id, .. } => ids.push(id.clone()),
            _ => anyone = true,
        }
    }
    ids.sort();
    ids.dedup();
    (ids, anyone)
}

/// The accounts whose roles the targets' trust and secret policies admit, and whether some
/// admits anyone: only those accounts' roles can be the source of an edge.
pub fn trusted_accounts(targets: &[AccountRoles]) -> (Vec<String>, bool) {
    let adms: Vec<Admission> = targets
        .iter()
        .flat_map(|a| {
            a.roles
                .iter()
                .flat_map(|r| foreign_admissions(a.account, r).unwrap_or_default())
                .chain(
                    a.secrets
                        .iter()
                        .flat_map(|s| foreign_secret_admissions(a.account, s).unwrap_or_default()),
                )
                .chain(
                    a.functions
                        .iter()
                        .flat_map(|f| foreign_invokers(a.account, f).unwrap_or_default()),
                )
                .chain(a.sources.iter().flat_map(|w| w.admissions.iter().cloned()))
        })
        .collect();
    admitted(&adms)
}
