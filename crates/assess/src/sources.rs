//! The event sources that trigger functions, judged by who may write to them: an SNS topic's
//! publishers, an S3 bucket's uploaders. Everything written to a source becomes the event of the
//! functions it triggers, so a source anyone may write to is as open a way in as a public URL.
//! Writers flow downstream: a bucket that notifies a topic is a way into every function the
//! topic triggers, with the topic on its path.
//!
//! Who may write is decided by the same policy machinery as a function's callers
//! ([`admissions`]: organization fences, Deny statements, conditions that really narrow); a
//! source that could not be read is "not judged", never "no one".

use std::collections::HashMap;

use sprawl_iam::access::{Analyzer, Permit, RoleAccess, Target};
use sprawl_iam::members::{Members, Membership};
use sprawl_iam::policy::{Policy, StatementRef};
use sprawl_iam::principals::{Admission, Principal, Scope, admissions, denies_everyone};
use sprawl_model::{
    Bucket, Detail, EventBus, EventRule, IdentityPool, Inventory, IotRule, MailRule,
    PublicAccessBlock, Queue, Role, Stream, Topic, UserPool, unqualified,
};

use crate::report::EntryPoint;

/// Who may write to a source (the admissions of its policy, and of its ACL for a bucket), or
/// why that is not known.
pub type Writers = Result<Vec<Admission>, String>;

/// A resource policy, `None` when the resource has none, or why it is unknown.
pub(crate) fn read_policy(
    doc: &Detail<Option<sprawl_model::PolicyDocument>>,
    what: &str,
) -> Result<Option<Policy>, String> {
    match doc {
        Detail::Collected { value: Some(doc) } => Policy::from_document(doc)
            .map(Some)
            .map_err(|e| format!("{what} is unreadable: {e}")),
        Detail::Collected { value: None } => Ok(None),
        Detail::Skipped { reason } => Err(format!("{what} was skipped: {reason}")),
        Detail::Failed { kind, message } => {
            Err(format!("{what} could not be read ({kind}: {message})"))
        }
    }
}

/// The admissions of a policy of the source `arn` for `action`, judged against `account` (the
/// account whose functions it triggers): none when there is no policy or it denies everyone
/// the action. A source another account owns is written by that account's own principals too,
/// whatever its policy says ([`owner_writes`]).
fn writers_by_policy(
    doc: &Detail<Option<sprawl_model::PolicyDocument>>,
    arn: &str,
    name: &str,
    action: &str,
    account: &str,
) -> Writers {
    let mut writers = match read_policy(doc, &format!("its {name}"))? {
        Some(p) if !denies_everyone(&p, action) => admissions(&p, name, action, account),
        Some(_) => return Ok(Vec::new()),
        None => Vec::new(),
    };
    writers.extend(owner_writes(arn, account));
    Ok(writers)
}

/// The owner account of a source that another account than `account` owns (a topic of another
/// account a function subscribes to, a queue or stream of another account it polls), as a
/// writer: IAM policies in its own account let its principals write to it with no resource
/// policy saying so, so it is as much a way into `account`'s functions as a grant in its policy.
/// `None` for `account`'s own sources, and for a bucket (its ARN names no account; sprawl reads
/// only its own account's).
pub fn owner_writes(arn: &str, account: &str) -> Option<Admission> {
    let owner = sprawl_iam::principals::account_of(arn).filter(|o| *o != account)?;
    let partition = arn.split(':').nth(1).unwrap_or("aws");
    Some(Admission {
        principal: Principal::Account {
            id: owner.to_string(),
            arn: format!("arn:{partition}:iam::{owner}:root"),
            same: false,
        },
        at: StatementRef {
            policy: OWNER.into(),
            statement: 0,
            sid: Some("its own account's IAM policies".into()),
        },
        narrowed_by: Vec::new(),
        conditions: Vec::new(),
        scope: Scope::default(),
    })
}

/// The writers known of a source (`writers`, from [`writers_of_sources`]; `None`: it was not
/// judged): all of them, or where they are not known, its owner when another account owns it
/// (`owner`, from [`owner_writes`]). `None`: no writer is known.
pub(crate) fn known_writers<'a>(
    writers: Option<&'a Writers>,
    owner: &'a Option<Admission>,
) -> Option<&'a [Admission]> {
    match (writers, owner) {
        (Some(Ok(writers)), _) => Some(writers),
        (_, Some(owner)) => Some(std::slice::from_ref(owner)),
        (_, None) => None,
    }
}

/// What admits a source's owner account ([`owner_writes`]).
const OWNER: &str = "owner account";

/// Who may publish to a topic (its policy's `sns:Publish` admissions, judged against `account`,
/// whose functions it triggers; its owner, when that is another account), or why that is not
/// known. A topic always has a policy (SNS writes its own default); none read admits no one but
/// its owner's principals, and one that denies everyone, no one.
pub fn topic_publishers(t: &Topic, account: &str) -> Writers {
    let writers = writers_by_policy(&t.policy, &t.arn, "topic policy", WRITES.sns, account)?;
    Ok(kept_by_key(writers, &t.arn, &t.kms_key_id, "sns"))
}

/// Who may send to a queue (its policy's `sqs:SendMessage` admissions, judged against
/// `account`; its owner, when that is another account), or why that is not known. A queue
/// without a policy admits no one beyond its own account's principals.
pub fn queue_senders(q: &Queue, account: &str) -> Writers {
    let writers = writers_by_policy(&q.policy, &q.arn, "queue policy", WRITES.sqs, account)?;
    Ok(kept_by_key(writers, &q.arn, &q.kms_key_id, "sqs"))
}

/// Whether a topic or queue is encrypted with its service's AWS managed key, as its
/// configuration names it (`alias/aws/sns`, `alias/aws/sqs`; a key named by id or ARN is not
/// known to be one). That key's policy, which no one can change, lets only its own account's
/// principals use it, through the service: no other account, and no AWS service delivering
/// events (S3, SNS, EventBridge), can write to a source under it, whatever the source's policy
/// admits.
pub fn under_managed_key(key: &Detail<Option<String>>, service: &str) -> bool {
    let alias = format!("alias/aws/{service}");
    key.value()
        .and_then(|k| k.as_deref())
        .is_some_and(|k| k == alias || k.ends_with(&format!(":{alias}")))
}

/// The writers a source's key lets write: under its service's AWS managed key
/// ([`under_managed_key`]), only its own account's principals.
fn kept_by_key(
    mut writers: Vec<Admission>,
    arn: &str,
    key: &Detail<Option<String>>,
    service: &str,
) -> Vec<Admission> {
    if under_managed_key(key, service) {
        let owner = sprawl_iam::principals::account_of(arn);
        writers.retain(
            |a| matches!(&a.principal, Principal::Account { id, .. } if Some(id.as_str()) == owner),
        );
    }
    writers
}

/// Who may put events on a bus (its policy's `events:PutEvents` admissions, judged against
/// `account`; its owner, when that is another account), or why that is not known. A bus
/// without a policy admits no other account (the default bus still receives its own account's
/// AWS service events).
pub fn bus_writers(b: &EventBus, account: &str) -> Writers {
    writers_by_policy(&b.policy, &b.arn, "bus policy", WRITES.events, account)
}

/// Who a Kinesis stream's or DynamoDB table's policy lets write records (`kinesis:PutRecord`,
/// `dynamodb:PutItem` admissions, judged against `account`; its owner, when that is another
/// account), or why that is not known.
pub fn stream_writers(s: &Stream, account: &str) -> Writers {
    let (name, action) = match s.service() {
        "dynamodb" => ("table policy", WRITES.dynamodb),
        _ => ("stream policy", WRITES.kinesis),
    };
    writers_by_policy(&s.policy, &s.arn, name, action, account)
}

/// Who may upload to a bucket of `owner` (its account: a bucket's ARN names none, and sprawl
/// reads only its own account's buckets): its policy's `s3:PutObject` admissions, and its ACL's
/// public write grants as admissions of anyone, less what Block Public Access (the bucket's or
/// the account's) and BucketOwnerEnforced ownership stop.
///
/// A setting that could not be read matters only where it could stop a public grant: then who
/// may upload is not known. A policy or ACL that could not be read is never taken as none.
pub fn bucket_writers(b: &Bucket, owner: &str) -> Writers {
    let mut by_policy = writers_by_policy(&b.policy, &b.arn, "bucket policy", WRITES.s3, owner)?;
    // A public policy under RestrictPublicBuckets serves AWS's services and the bucket's own
    // account only: every other account's grant in it stops too.
    let public_policy = by_policy
        .iter()
        .any(|a| a.principal == Principal::Anyone && !a.is_narrowed());
    if public_policy && blocked(b, |s| s.restrict_public_buckets, "RestrictPublicBuckets")? {
        by_policy.retain(|a| {
            matches!(
                a.principal,
                Principal::Service { .. } | Principal::Account { same: true, .. }
            )
        });
    }
    let acls_off = match &b.ownership {
        Detail::Collected { value } => value.as_deref() == Some("BucketOwnerEnforced"),
        _ => false,
    };
    if acls_off {
        return Ok(by_policy);
    }
    let grants = b.acl.require("its ACL")?;
    let public: Vec<(usize, &sprawl_model::AclGrant)> = grants
        .iter()
        .enumerate()
        .filter(|(_, g)| g.is_public() && g.writes())
        .collect();
    if public.is_empty() {
        return Ok(by_policy);
    }
    // ACLs apply unless ownership says BucketOwnerEnforced, which an unread setting may.
    b.ownership.require("its object ownership")?;
    if blocked(b, |s| s.ignore_public_acls, "IgnorePublicAcls")? {
        return Ok(by_policy);
    }
    by_policy.extend(public.into_iter().map(|(i, g)| {
        let grantee = g.grantee.rsplit('/').next().unwrap_or(&g.grantee);
        anyone_by("bucket ACL", i, format!("{grantee} {}", g.permission))
    }));
    Ok(by_policy)
}

/// What admits a writer that is not a policy statement: a bucket ACL's grant, a user pool's
/// self sign-up, a receipt rule's inbound mail, a source's owner account.
const NOT_STATEMENTS: [&str; 5] = [
    "bucket ACL",
    "user pool",
    "receipt rule",
    IDENTITY_POOL,
    OWNER,
];

/// What admits anyone who publishes as an identity pool's unauthenticated identity.
const IDENTITY_POOL: &str = "identity pool";

/// Where a writer is admitted, in words: `bucket policy statement 0 (PartnerDrop)`, or for what
/// is not a policy statement, `user pool: self sign-up`.
pub fn admitted_by(at: &StatementRef) -> String {
    match &at.sid {
        Some(why) if NOT_STATEMENTS.contains(&at.policy.as_str()) => {
            format!("{}: {why}", at.policy)
        }
        _ => at.to_string(),
    }
}

/// How a message names a principal: another account with its name and membership in the
/// organization `members` (when assessed within one).
pub fn describe_account(p: &Principal, members: Option<&Members>) -> String {
    match (p, members) {
        (Principal::Account { id, arn, .. }, Some(m)) => format!("{arn} ({})", m.describe(id)),
        _ => p.describe(),
    }
}

/// Anyone, admitted by what is not a policy statement ([`NOT_STATEMENTS`]).
fn anyone_by(what: &str, statement: usize, why: String) -> Admission {
    Admission {
        principal: Principal::Anyone,
        at: StatementRef {
            policy: what.into(),
            statement,
            sid: Some(why),
        },
        narrowed_by: Vec::new(),
        conditions: Vec::new(),
        scope: Scope::default(),
    }
}

/// The triggers of a user pool that anyone holding an app client's id runs even where only
/// administrators create users, each with the unauthenticated flow that runs it: a sign-in, or
/// a forgotten password, naming a user the pool does not have runs UserMigration; one naming a
/// user it has (user names are often e-mail addresses, no secret) runs the sign-in and custom
/// challenge triggers and sends a code through the message triggers, each with what the
/// stranger sent (client metadata, validation data, the challenge's answer). The app clients'
/// allowed flows are not read, so a custom challenge a client may not offer still counts.
const ANYONE_STARTS: &[(&str, &str)] = &[
    (
        "UserMigration",
        "user migration (a sign-in with any user name)",
    ),
    (
        "PreAuthentication",
        "pre authentication (a sign-in attempt naming one of its users)",
    ),
    (
        "DefineAuthChallenge",
        "custom challenge (a custom sign-in naming one of its users)",
    ),
    (
        "CreateAuthChallenge",
        "custom challenge (a custom sign-in naming one of its users)",
    ),
    (
        "VerifyAuthChallengeResponse",
        "custom challenge (a custom sign-in naming one of its users)",
    ),
    (
        "CustomMessage",
        "custom message (a forgotten password naming one of its users)",
    ),
    (
        "CustomSMSSender",
        "custom sender (a forgotten password naming one of its users)",
    ),
    (
        "CustomEmailSender",
        "custom sender (a forgotten password naming one of its users)",
    ),
];

/// How a stranger starts a pool's `event` trigger where only administrators create users
/// ([`ANYONE_STARTS`]); `None`: only its users (after signing in) do.
fn stranger_starts(event: &str) -> Option<&'static str> {
    ANYONE_STARTS
        .iter()
        .find(|(e, _)| *e == event)
        .map(|(_, how)| *how)
}

/// The flows by which strangers run a pool's triggers where only administrators create users,
/// each once, in the order of [`ANYONE_STARTS`].
fn strangers_start(p: &UserPool) -> Vec<&'static str> {
    let mut flows: Vec<&'static str> = p
        .lambda_triggers
        .value()
        .into_iter()
        .flatten()
        .filter_map(|t| stranger_starts(&t.event))
        .collect();
    flows.sort_by_key(|how| ANYONE_STARTS.iter().position(|(_, h)| h == how));
    flows.dedup();
    flows
}

/// Who may start a user pool's flows, and so run its triggers: anyone when it lets anyone sign
/// up (an app client's id is no secret: a web or mobile app carries it), or when it has a
/// trigger an unauthenticated flow runs ([`ANYONE_STARTS`]: a sign-in with any user name runs
/// UserMigration, one naming a user runs PreAuthentication, ...); otherwise only the account's
/// administrators create users, and the pool's own users sign in.
pub fn pool_writers(p: &UserPool) -> Writers {
    match &p.self_sign_up {
        Detail::Collected { value: true } => {
            Ok(vec![anyone_by("user pool", 0, "self sign-up".into())])
        }
        Detail::Collected { value: false } => Ok(strangers_start(p)
            .into_iter()
            .enumerate()
            .map(|(i, how)| anyone_by("user pool", i, how.into()))
            .collect()),
        other => Err(other
            .require("whether anyone may sign up")
            .err()
            .unwrap_or_default()),
    }
}

/// Who may send a receipt rule its mail: anyone on the internet who can mail its recipients (or
/// not known, when the region's rule set could not be read).
pub fn mail_senders(r: &MailRule) -> Writers {
    r.enabled.require("the region's active receipt rule set")?;
    let to = if r.recipients.is_empty() {
        "mail to the account's domains".to_string()
    } else {
        format!("mail to {}", r.recipients.join(", "))
    };
    Ok(vec![anyone_by("receipt rule", 0, to)])
}

/// A role of the account anyone may act as: an identity pool gives unauthenticated identities
/// (anyone who asks) credentials for it.
pub struct Guest<'a> {
    pub pool: &'a IdentityPool,
    pub role: &'a Role,
    /// How they get it: the pool's own unauthenticated role, or its basic flow (any role whose
    /// trust admits them).
    pub by: &'static str,
    /// The role's trust statement that admits them.
    pub trust: StatementRef,
    /// Only through the enhanced flow (the pool's own role, its basic flow off): Cognito's
    /// scope-down policy keeps the credentials to some services ([`ENHANCED_FLOW`]).
    pub scoped: bool,
    /// What the role's own policies allow, worked out once for every source it is asked about.
    pub access: RoleAccess,
}

/// The services, of those a source's writer uses, that Cognito's scope-down policy leaves to
/// unauthenticated identities of the enhanced flow, as its developer guide lists them.
/// EventBridge is not among them: a guest of the enhanced flow puts no events.
const ENHANCED_FLOW: [&str; 6] = ["sns", "sqs", "s3", "dynamodb", "kinesis", "iot"];

impl Guest<'_> {
    /// Whether its credentials reach `service` (`sns`, `iot`, ...): Cognito's scope-down keeps
    /// the enhanced flow's guests to [`ENHANCED_FLOW`].
    fn reaches(&self, service: &str) -> bool {
        !self.scoped || ENHANCED_FLOW.contains(&service)
    }

    /// Anyone, as this guest, whom `permit` lets do `what`: the pool, the role, how the pool
    /// gives it, its trust and the statements.
    fn admits(&self, statement: usize, what: &str, permit: &Permit) -> Admission {
        let via: Vec<String> = permit.via.iter().map(|s| s.to_string()).collect();
        anyone_by(
            IDENTITY_POOL,
            statement,
            format!(
                "unauthenticated identities of {} ({}) act as {} ({}; {}), which may {what} ({})",
                self.pool.name,
                self.pool.id,
                self.role.name,
                self.by,
                self.trust,
                via.join(", ")
            ),
        )
    }
}

/// The service, action and target a guest would write to the source `arn` of `account` with:
/// none for a source of another account, or an event rule (no one may put events with an AWS
/// service's source). A DynamoDB stream's records are its table's writes.
fn guest_write(arn: &str, account: &str) -> Option<(String, &'static str, String)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, _, service, _, owner, resource] = parts.as_slice() else {
        return None;
    };
    let ours = *service == "s3" || owner == &account;
    let rule = *service == "events" && !resource.starts_with("event-bus/");
    let arn = arn.split_once("/stream/").map_or(arn, |(table, _)| table);
    let (action, target) = write_action(service, arn).filter(|_| ours && !rule)?;
    Some((service.to_string(), action, target))
}

/// Anyone who may write to a source of `account` as a guest: a role an identity pool gives
/// unauthenticated identities whose own policies allow the source's write action on it (within
/// its account, the role's policy is enough, whatever the source's policy says).
///
/// Where some pool's guests are not known ([`unknown_guests`]), a source a guest might write to
/// and no known writer opens to anyone is not judged: an unread pool is never "no guests".
fn add_guest_writers(arn: &str, account: &str, writers: Writers, guests: &Guests) -> Writers {
    let mut writers = writers?;
    let Some((service, action, target)) = guest_write(arn, account) else {
        return Ok(writers);
    };
    let mut out = Vec::new();
    for g in guests.known.iter().filter(|g| g.reaches(&service)) {
        if let Some(p) = g.access.permit(action, Target::Arn(&target))
            && !p.conditional
        {
            out.push(g.admits(out.len(), action, &p));
        }
    }
    writers.extend(out);
    let open = writers
        .iter()
        .any(|a| matches!(a.principal, Principal::Anyone));
    match &guests.unknown {
        Some(why) if !open => Err(format!(
            "whether a guest of the account's identity pools may {action} to it is not known: \
             {why}"
        )),
        _ => Ok(writers),
    }
}

/// `writers` of the source `arn` of `account`, with anyone who may write to it as a guest of one
/// of the account's identity pools ([`add_guest_writers`]): what [`writers_of_sources`] holds
/// for it, for a screen that judges one source.
pub fn with_guests(inv: &Inventory, account: &str, arn: &str, writers: Writers) -> Writers {
    add_guest_writers(arn, account, writers, &Guests::of(inv))
}

/// The account's [`guests`], and why some pool's guests are not known ([`unknown_guests`]).
struct Guests<'a> {
    known: Vec<Guest<'a>>,
    unknown: Option<String>,
}

impl<'a> Guests<'a> {
    fn of(inv: &'a Inventory) -> Self {
        Guests {
            known: guests(inv),
            unknown: unknown_guests(inv),
        }
    }
}

/// Why the roles some identity pool gives anyone are not known: a region whose pools could not be
/// listed, a pool not known to keep guests out, or one with guests whose role or basic flow was
/// not read. A region absent from the inventory is not among them: a snapshot older than the
/// pools' collection holds none, and says so where it matters (an IoT rule's publishers).
fn unknown_guests(inv: &Inventory) -> Option<String> {
    let mut why = Vec::new();
    for region in &inv.identity_pools {
        let pools = match region.pools.require("identity pools") {
            Ok(pools) => pools,
            Err(e) => {
                why.push(format!("{} of {}", e, region.region));
                continue;
            }
        };
        for p in pools {
            let unread = match p.unauthenticated.value() {
                None => p
                    .unauthenticated
                    .require("whether it gives guests credentials"),
                Some(true) => p
                    .unauthenticated_role
                    .require("its unauthenticated role")
                    .and(p.classic_flow.require("whether its basic flow is on"))
                    .map(|_| &true),
                Some(false) => continue,
            };
            if let Err(e) = unread {
                why.push(format!("identity pool {} ({}): {e}", p.name, p.id));
            }
        }
    }
    const SHOWN: usize = 3;
    let more = why.len().saturating_sub(SHOWN);
    why.truncate(SHOWN);
    match more {
        0 if why.is_empty() => None,
        0 => Some(why.join("; ")),
        n => Some(format!("{}; and {n} more", why.join("; "))),
    }
}

/// The web identity provider of identity pools, and the claims of an unauthenticated identity
/// of pool `id`.
const COGNITO_IDENTITY: &str = "cognito-identity.amazonaws.com";

fn guest_claims(id: &str) -> [(&'static str, &str); 2] {
    [
        ("cognito-identity.amazonaws.com:aud", id),
        ("cognito-identity.amazonaws.com:amr", "unauthenticated"),
    ]
}

/// The roles anyone may act as through the identity pools read: a pool's unauthenticated role
/// whose trust admits its unauthenticated identities, and where its basic flow is on, every role
/// whose trust does. A role the inventory does not hold is not judged (left out).
pub fn guests(inv: &Inventory) -> Vec<Guest<'_>> {
    let analyzer = Analyzer::new();
    let admits = |role: &Role, pool: &IdentityPool| {
        let trust = Policy::from_document(role.trust_policy.as_ref()?).ok()?;
        sprawl_iam::principals::admits_web_identity(
            &trust,
            "trust policy",
            COGNITO_IDENTITY,
            &guest_claims(&pool.id),
        )
    };
    let mut out: Vec<Guest> = Vec::new();
    let pools = inv
        .identity_pools
        .iter()
        .filter_map(|r| r.pools.value())
        .flatten()
        .filter(|p| p.unauthenticated.value() == Some(&true));
    for pool in pools {
        let own = pool.unauthenticated_role.value().cloned().flatten();
        let classic = pool.classic_flow.value() == Some(&true);
        for role in &inv.roles {
            let by = if own.as_deref() == Some(role.arn.as_str()) {
                "its unauthenticated role"
            } else if classic {
                "its basic flow"
            } else {
                continue;
            };
            if let Some(trust) = admits(role, pool) {
                out.push(Guest {
                    pool,
                    role,
                    by,
                    trust,
                    scoped: !classic,
                    access: analyzer.role(role),
                });
            }
        }
    }
    out
}

/// A topic the filter selects (`+` and `#` stand for one level named `sprawl`): a role that may
/// publish to it may publish a message the rule takes.
fn topic_selected(filter: &str) -> String {
    filter
        .split('/')
        .map(|level| match level {
            "+" | "#" => "sprawl",
            other => other,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Who may publish the MQTT messages a topic rule selects: anyone, where an identity pool gives
/// unauthenticated identities a role that may connect and publish to a topic the rule selects
/// (IoT asks no IoT policy of unauthenticated identities: the role's is the only one). Anyone
/// else is decided by the IoT policies of certificates and by custom authorizers, which sprawl
/// does not read: then it is not judged (never "no one").
pub fn iot_publishers(r: &IotRule, inv: &Inventory) -> Writers {
    publishers_as_guests(r, inv, &Guests::of(inv))
}

/// [`iot_publishers`], with the account's [`guests`] worked out once for all its rules.
fn publishers_as_guests(r: &IotRule, inv: &Inventory, guests: &Guests) -> Writers {
    let unread = "who may publish to its MQTT topics is decided by the IoT policies of \
                  certificates and by custom authorizers, which sprawl does not read";
    let filter = r
        .topic_filter()
        .ok_or_else(|| format!("{unread}; its SQL names no topic filter sprawl reads"))?;
    let topic = match r.arn.split_once(":rule/") {
        Some((base, _)) => format!("{}:topic/{}", base, topic_selected(filter)),
        None => return Err(unread.into()),
    };
    let mut anyone = Vec::new();
    for g in guests.known.iter().filter(|g| g.reaches("iot")) {
        let connect = g.access.permit("iot:Connect", Target::Any);
        let publish = g.access.permit("iot:Publish", Target::Arn(&topic));
        let (Some(connect), Some(publish)) = (connect, publish) else {
            continue;
        };
        if connect.conditional || publish.conditional {
            continue;
        }
        let what = format!("iot:Connect and iot:Publish to '{filter}'");
        anyone.push(g.admits(anyone.len(), &what, &publish));
    }
    if !anyone.is_empty() {
        return Ok(anyone);
    }
    if !inv.identity_pools.iter().any(|p| p.region == r.region) {
        return Err(format!(
            "{unread}; its region's identity pools were not read"
        ));
    }
    match &guests.unknown {
        // A role is the account's, not the region's: a pool of any region may give it.
        Some(why) => Err(format!("{unread}; {why}")),
        None => Err(format!(
            "{unread}; no identity pool of the account lets anyone publish to '{filter}'"
        )),
    }
}

/// Whether the bucket's or the account's Block Public Access sets `setting`; an unread one
/// that does not is not known to let the grant through.
fn blocked(
    b: &Bucket,
    setting: fn(&PublicAccessBlock) -> bool,
    name: &str,
) -> Result<bool, String> {
    let mut unread = None;
    for (whose, detail) in [
        ("bucket's", &b.public_access_block),
        ("account's", &b.account_public_access_block),
    ] {
        match detail {
            Detail::Collected { value } => {
                if value.as_ref().is_some_and(setting) {
                    return Ok(true);
                }
            }
            _ => {
                unread.get_or_insert_with(|| {
                    let why = detail.require("it").err().unwrap_or_default();
                    format!("the {whose} Block Public Access ({name}) is not known: {why}")
                });
            }
        }
    }
    match unread {
        Some(why) => Err(why),
        None => Ok(false),
    }
}

/// Whether a rule takes the S3 events of buckets its pattern does not name (every bucket of its
/// region that sends them to EventBridge, or those of a prefix).
fn takes_unnamed_buckets(r: &EventRule) -> bool {
    r.s3_selection().is_some_and(|s| s.unnamed)
}

/// Who uploads to the buckets a rule takes the S3 events of without naming them: not known, as
/// sprawl reads only the buckets that functions and rules name (never every bucket).
fn unnamed_uploaders(r: &EventRule) -> Writers {
    Err(format!(
        "its pattern takes the S3 events of buckets it does not name (every bucket of {} that \
         sends its events to EventBridge, or those of a prefix), whose uploaders sprawl does not \
         judge: it reads only the buckets functions and rules name",
        r.region
    ))
}

/// Who may write to each source of the inventory that triggers a function, by ARN: worked out
/// once, for the entry points and the rules.
pub fn writers_of_sources<'a>(inv: &'a Inventory, account: &str) -> HashMap<&'a str, Writers> {
    let topics = inv
        .topics
        .iter()
        .map(|t| (t.arn.as_str(), topic_publishers(t, account)));
    let buckets = inv
        .buckets
        .iter()
        .map(|b| (b.arn.as_str(), bucket_writers(b, account)));
    let queues = inv
        .queues
        .iter()
        .map(|q| (q.arn.as_str(), queue_senders(q, account)));
    let buses = inv
        .event_buses
        .iter()
        .map(|b| (b.arn.as_str(), bus_writers(b, account)));
    let streams = inv
        .streams
        .iter()
        .map(|s| (s.arn.as_str(), stream_writers(s, account)));
    let pools = inv
        .user_pools
        .iter()
        .map(|p| (p.arn.as_str(), pool_writers(p)));
    let mail = inv
        .mail_rules
        .iter()
        .map(|r| (r.arn.as_str(), mail_senders(r)));
    let guests = Guests::of(inv);
    let iot = inv
        .iot_rules
        .iter()
        .map(|r| (r.arn.as_str(), publishers_as_guests(r, inv, &guests)));
    let rules = inv
        .event_rules
        .iter()
        .filter(|r| takes_unnamed_buckets(r))
        .map(|r| (r.arn.as_str(), unnamed_uploaders(r)));
    // A log group has no resource policy: the account's own principals and services write to
    // it (what they log may still carry request data).
    let logs = inv
        .log_subscriptions
        .iter()
        .map(|g| (g.arn.as_str(), Ok(Vec::new())));
    let mut all: HashMap<&str, Writers> = topics
        .chain(buckets)
        .chain(queues)
        .chain(buses)
        .chain(streams)
        .chain(pools)
        .chain(mail)
        .chain(iot)
        .chain(logs)
        .chain(rules)
        .collect();
    if !guests.known.is_empty() || guests.unknown.is_some() {
        for (arn, writers) in &mut all {
            let read = std::mem::replace(writers, Ok(Vec::new()));
            *writers = add_guest_writers(arn, account, read, &guests);
        }
    }
    all
}

/// A source as a way in, reached through `path`: who may write to it, or why that is not
/// known.
///
/// A source of another account whose policy is not known is still written by its owner's
/// principals ([`owner_writes`]); then the rest stays not known.
fn entry_point(
    service: &str,
    arn: &str,
    path: Vec<String>,
    writers: &Writers,
    owner: Option<Admission>,
    members: Option<&Members>,
) -> EntryPoint {
    let (mut anyone, mut accounts, mut via) = (false, Vec::new(), Vec::new());
    let mut organization_only = members.is_some();
    let known = known_writers(Some(writers), &owner).unwrap_or_default();
    let unknown = writers.as_ref().err().cloned();
    for a in known {
        match &a.principal {
            Principal::Anyone if !a.is_narrowed() => anyone = true,
            Principal::Account {
                id, same: false, ..
            } => {
                organization_only &=
                    members.is_some_and(|m| matches!(m.of(id), Membership::Member(_)));
                // Named as the rules name it: with its name and place in the organization.
                let who = describe_account(&a.principal, members);
                if !accounts.contains(&who) {
                    accounts.push(who);
                }
            }
            _ => continue,
        }
        let at = admitted_by(&a.at);
        if !via.contains(&at) {
            via.push(at);
        }
    }
    EntryPoint::Source {
        service: service.to_string(),
        arn: arn.to_string(),
        path,
        anyone,
        organization_only: organization_only && !accounts.is_empty(),
        accounts,
        via,
        unknown,
    }
}

/// Whether a bucket sends its events to `target` (a function, topic or queue ARN; an EventBridge
/// rule, through the bucket's switch that sends every event to its default bus), as far as its
/// notification configuration was read: one that was not read may.
fn notifies(b: &Bucket, target: &str) -> bool {
    b.notifications.value().is_none_or(|n| {
        // To its own region's default bus only.
        let same_region = || {
            b.region
                .value()
                .is_none_or(|r| target.split(':').nth(3) == Some(r.as_str()))
        };
        (n.eventbridge && target.contains(":rule/") && same_region())
            || n.functions
                .iter()
                .any(|f| unqualified(f) == unqualified(target))
            || n.topics.iter().any(|t| t == target)
            || n.queues.iter().any(|q| q == target)
    })
}

/// A source of the inventory, whatever its kind: what it invokes and what it delivers to.
struct Node<'a> {
    service: &'static str,
    arn: &'a str,
    /// The functions it invokes itself.
    triggers: Vec<&'a String>,
    /// The sources it delivers to (each a node too, when it triggers functions).
    feeds: Vec<&'a str>,
    /// Someone writes to it (an EventBridge rule is written to by no one: its bus is, and the
    /// rule is on the path).
    written: bool,
}

fn nodes(inv: &Inventory) -> HashMap<&str, Node<'_>> {
    // A topic or queue under its service's AWS managed key takes nothing from S3, SNS or
    // EventBridge: no source upstream delivers to it.
    let sealed: std::collections::HashSet<&str> = inv
        .topics
        .iter()
        .filter(|t| under_managed_key(&t.kms_key_id, "sns"))
        .map(|t| t.arn.as_str())
        .chain(
            inv.queues
                .iter()
                .filter(|q| under_managed_key(&q.kms_key_id, "sqs"))
                .map(|q| q.arn.as_str()),
        )
        .collect();
    let mut out: Vec<Node<'_>> = Vec::new();
    let mut add = |service, arn, triggers, mut feeds: Vec<_>, written| {
        feeds.retain(|f| !sealed.contains(f));
        out.push(Node {
            service,
            arn,
            triggers,
            feeds,
            written,
        })
    };
    for t in &inv.topics {
        // A permission (the function's, the queue's) the topic has no subscription for is no
        // way in yet: it delivers only to its subscribers.
        let feeds = t.feeds.iter().filter(|q| t.delivers_to(q));
        let triggers = t.triggers.iter().filter(|f| t.delivers_to(f)).collect();
        add(
            "sns",
            &t.arn,
            triggers,
            feeds.map(String::as_str).collect(),
            true,
        );
    }
    for s in &inv.streams {
        add(
            s.service(),
            &s.arn,
            s.triggers.iter().collect(),
            Vec::new(),
            true,
        );
    }
    for q in &inv.queues {
        add("sqs", &q.arn, q.triggers.iter().collect(), Vec::new(), true);
    }
    for b in &inv.buckets {
        // A permission the bucket does not use (its notifications name neither the function
        // nor the topic or queue) is no way in yet; lambda-policy-service-unscoped judges the
        // permission itself.
        let triggers = b.triggers.iter().filter(|f| notifies(b, f)).collect();
        let feeds = b.feeds.iter().filter(|to| notifies(b, to));
        add(
            "s3",
            &b.arn,
            triggers,
            feeds.map(String::as_str).collect(),
            true,
        );
    }
    // A disabled rule delivers nothing (until someone enables it). No one writes to a rule: its
    // bus is written to, and the rule is on the path; but one that takes the S3 events of
    // buckets it does not name is written to by their uploaders, who are not judged.
    let enabled = |r: &&EventRule| !r.disabled();
    for r in inv.event_rules.iter().filter(enabled) {
        add(
            "events",
            &r.arn,
            r.triggers.iter().collect(),
            r.feeds.iter().map(String::as_str).collect(),
            takes_unnamed_buckets(r),
        );
    }
    for b in &inv.event_buses {
        let rules = inv
            .event_rules
            .iter()
            .filter(enabled)
            .filter(|r| r.bus == b.arn);
        add(
            "events",
            &b.arn,
            Vec::new(),
            rules.map(|r| r.arn.as_str()).collect(),
            true,
        );
    }
    for p in &inv.user_pools {
        // Where only administrators create users, a stranger reaches only the functions of the
        // triggers an unauthenticated flow runs: the others are the pool's users' (judged no
        // further here).
        let strangers_only =
            p.self_sign_up.value() == Some(&false) && !strangers_start(p).is_empty();
        let stranger_runs = |f: &&String| {
            p.lambda_triggers.value().is_some_and(|ts| {
                ts.iter().any(|t| {
                    stranger_starts(&t.event).is_some()
                        && unqualified(&t.function) == unqualified(f)
                })
            })
        };
        let triggers = p
            .triggers
            .iter()
            .filter(|f| p.runs(f) && (!strangers_only || stranger_runs(f)))
            .collect();
        add("cognito", &p.arn, triggers, Vec::new(), true);
    }
    for r in inv
        .mail_rules
        .iter()
        .filter(|r| r.enabled.value() != Some(&false))
    {
        add("ses", &r.arn, r.triggers.iter().collect(), Vec::new(), true);
    }
    for r in &inv.iot_rules {
        if r.disabled.value() == Some(&true) {
            continue;
        }
        let invokes = |f: &&String| {
            r.functions
                .value()
                .is_none_or(|fs| fs.iter().any(|a| unqualified(a) == unqualified(f)))
        };
        add(
            "iot",
            &r.arn,
            r.triggers.iter().filter(invokes).collect(),
            Vec::new(),
            true,
        );
    }
    for g in &inv.log_subscriptions {
        let triggers = g.triggers.iter().filter(|f| g.delivers_to(f)).collect();
        add("logs", &g.arn, triggers, Vec::new(), true);
    }
    out.into_iter().map(|n| (n.arn, n)).collect()
}

/// The longest way from a source to a function sprawl follows: a bucket notifies a topic that
/// delivers to a queue that a function polls.
const MAX_PATH: usize = 3;

/// The functions a source reaches, each group with the sources between (its path).
fn downstream<'a>(
    nodes: &HashMap<&str, Node<'a>>,
    node: &Node<'a>,
    path: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Vec<&'a String>)>,
) {
    if !node.triggers.is_empty() {
        out.push((path.clone(), node.triggers.clone()));
    }
    if path.len() >= MAX_PATH {
        return;
    }
    for to in &node.feeds {
        let Some(next) = nodes.get(to) else {
            continue;
        };
        if path.iter().any(|p| p == to) || *to == node.arn {
            continue;
        }
        path.push(to.to_string());
        downstream(nodes, next, path, out);
        path.pop();
    }
}

/// Every source's entry points, with the (possibly qualified) ARNs of the functions each reaches:
/// a source that invokes functions itself, and one upstream of such a source (a bucket that
/// notifies a topic, a topic that delivers to a queue a function polls) with the sources between
/// on its path. Each source is judged once, whatever number of functions it reaches.
pub fn source_entry_points(
    inv: &Inventory,
    account: &str,
    writers: &HashMap<&str, Writers>,
    members: Option<&Members>,
) -> Vec<(Vec<String>, EntryPoint)> {
    let nodes = nodes(inv);
    let mut sorted: Vec<&Node> = nodes.values().collect();
    sorted.sort_by_key(|n| n.arn);
    let mut out = Vec::new();
    for node in sorted.into_iter().filter(|n| n.written) {
        let node_writers = writers
            .get(node.arn)
            .cloned()
            .unwrap_or_else(|| Err("it was not read".into()));
        let mut reached = Vec::new();
        downstream(&nodes, node, &mut Vec::new(), &mut reached);
        for (path, functions) in reached {
            out.push((
                functions.into_iter().cloned().collect(),
                entry_point(
                    node.service,
                    node.arn,
                    path,
                    &node_writers,
                    owner_writes(node.arn, account),
                    members,
                ),
            ));
        }
    }
    out.extend(brokers(inv, members));
    out
}

/// The Kafka (MSK or self-managed) and Amazon MQ brokers event source mappings poll: who may
/// produce to them is decided by the broker's own authentication and ACLs (IAM, SASL/SCRAM,
/// mutual TLS, its users), which sprawl does not read. Each is an entry point whose writers are
/// not judged, so the rules that need them say "not assessed", never "no one".
fn brokers(inv: &Inventory, members: Option<&Members>) -> Vec<(Vec<String>, EntryPoint)> {
    inv.event_source_mappings
        .iter()
        .filter_map(|m| {
            let service = match m.source_arn.as_deref() {
                None => "kafka",
                Some(arn) => match arn.split(':').nth(2) {
                    Some(s @ ("kafka" | "mq")) => s,
                    _ => return None,
                },
            };
            let arn = m.source_arn.as_deref().unwrap_or("self-managed Kafka");
            let why = match service {
                "mq" => {
                    "who may send to an Amazon MQ broker's queues is decided by its own users \
                         and network access, which sprawl does not read"
                }
                _ => {
                    "who may produce to a Kafka topic is decided by the cluster's own \
                      authentication (IAM, SASL/SCRAM, mutual TLS) and ACLs, which sprawl does \
                      not read"
                }
            };
            let writers: Writers = Err(why.into());
            let entry = entry_point(service, arn, Vec::new(), &writers, None, members);
            Some((vec![m.function_arn.clone()], entry))
        })
        .collect()
}

/// A source of an account that another account's principals may write to (its policy admits
/// them by account, or anyone kept to an organization), with the functions it reaches: the end
/// of an edge between an organization's accounts, as a role's own policies must also allow the
/// write ([`crate::paths`]).
#[derive(Debug, Clone)]
pub struct ForeignWrite {
    /// Its kind ([`crate::report::TRIGGER_KINDS`]: `sns`, `sqs`, `events`, ...).
    pub service: &'static str,
    pub arn: String,
    /// The action that writes to it (`sns:Publish`, ...) and the resource a role's policy must
    /// allow it on (the source's ARN; a bucket's objects for S3).
    pub action: &'static str,
    pub resource: String,
    /// The functions it reaches, each with the sources between (its path).
    pub reaches: Vec<(String, Vec<String>)>,
    /// Its writers from other accounts.
    pub admissions: Vec<Admission>,
}

/// The action that writes to each kind of source a policy grants: what its writers are judged
/// by, and what a role of another account must be allowed for an edge.
struct Writes {
    sns: &'static str,
    sqs: &'static str,
    events: &'static str,
    kinesis: &'static str,
    dynamodb: &'static str,
    s3: &'static str,
}

const WRITES: Writes = Writes {
    sns: "sns:Publish",
    sqs: "sqs:SendMessage",
    events: "events:PutEvents",
    kinesis: "kinesis:PutRecord",
    dynamodb: "dynamodb:PutItem",
    s3: "s3:PutObject",
};

/// The action that writes to a source of `service` ([`WRITES`]), and the resource it is granted
/// on (the source's ARN; a bucket's objects).
fn write_action(service: &str, arn: &str) -> Option<(&'static str, String)> {
    Some(match service {
        "sns" => (WRITES.sns, arn.to_string()),
        "sqs" => (WRITES.sqs, arn.to_string()),
        "events" => (WRITES.events, arn.to_string()),
        "kinesis" => (WRITES.kinesis, arn.to_string()),
        "dynamodb" => (WRITES.dynamodb, arn.to_string()),
        "s3" => (WRITES.s3, format!("{arn}/*")),
        _ => return None,
    })
}

/// The account's sources that other accounts' principals may write to, with the functions each
/// reaches: those whose policies admit another account, and those another account owns (a topic
/// of another account a function subscribes to). A source whose writers are not known is not
/// among them, unless another account owns it (its functions' rules say it is not assessed).
pub fn foreign_writes(inv: &Inventory, account: &str) -> Vec<ForeignWrite> {
    let writers = writers_of_sources(inv, account);
    let nodes = nodes(inv);
    let mut sorted: Vec<&Node> = nodes.values().filter(|n| n.written).collect();
    sorted.sort_by_key(|n| n.arn);
    let mut out = Vec::new();
    for node in sorted {
        // A source of another account whose policy could not be read (from this account, most
        // often) is still written by its owner's principals.
        let owner = owner_writes(node.arn, account);
        let Some(adms) = known_writers(writers.get(node.arn), &owner) else {
            continue;
        };
        let admissions: Vec<Admission> = adms
            .iter()
            .filter(|a| match &a.principal {
                Principal::Account { same: false, .. } => true,
                Principal::Anyone => !a.scope.orgs.is_empty(),
                _ => false,
            })
            .cloned()
            .collect();
        let Some((action, resource)) = write_action(node.service, node.arn) else {
            continue;
        };
        if admissions.is_empty() {
            continue;
        }
        let mut reached = Vec::new();
        downstream(&nodes, node, &mut Vec::new(), &mut reached);
        let reaches: Vec<(String, Vec<String>)> = reached
            .into_iter()
            .flat_map(|(path, functions)| {
                functions
                    .into_iter()
                    .map(move |f| (unqualified(f).to_string(), path.clone()))
            })
            .collect();
        if reaches.is_empty() {
            continue;
        }
        out.push(ForeignWrite {
            service: node.service,
            arn: node.arn.to_string(),
            action,
            resource,
            reaches,
            admissions,
        });
    }
    out
}
