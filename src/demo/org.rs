//! The demo organization: the demo account as its sprawling dev account, beside a management
//! account, a large and tidy prod, a staging that drifts, a sandbox forgotten since last year,
//! and an acquired company's account whose role could not be assumed (so the partial path shows).
//! Each account is generated from its character, deterministically, then given its own id.

use chrono::{DateTime, Utc};

use super::build::*;
use super::{ACCOUNT, NOUNS, REGIONS, Rng, TEAMS, VERBS, days_before};
use crate::assess::Within;
use crate::assess::paths::{AccountRoles, Crossings, cross_account_edges};
use crate::iam::guardrails::Guard;
use crate::model::*;
use crate::snapshot::Snapshot;
use crate::snapshot::SnapshotError;
use crate::snapshot::org::{self, Member, OrgSnapshot};

/// The organization's id.
pub const ORG_ID: &str = "o-demo7x2k9q";
/// The management account.
pub const MANAGEMENT: &str = "210987654321";
/// The account whose scanning role could not be assumed.
pub const NOT_ASSUMABLE: &str = "555566667777";

/// What an account is like.
struct Character {
    id: &'static str,
    name: &'static str,
    ou: &'static [&'static str],
    seed: u64,
    functions: usize,
    regions: &'static [&'static str],
    runtimes: &'static [&'static str],
    /// Percent of functions tagged with their team and owner.
    owned: u64,
    /// Days since the functions were last changed: from, to.
    age: (i64, i64),
    /// Tracing on, failures kept, concurrency bounded, secrets rotated.
    tidy: bool,
    /// Functions with an unauthenticated URL.
    public_urls: usize,
    /// Functions that run as one shared administrator role.
    on_admin: usize,
    secrets: usize,
}

const CHARACTERS: [Character; 4] = [
    Character {
        id: MANAGEMENT,
        name: "management",
        ou: &[],
        seed: 0x4D41_4E41_4745,
        functions: 8,
        regions: &["us-east-1"],
        runtimes: &["python3.12", "python3.13"],
        owned: 100,
        age: (20, 200),
        tidy: true,
        public_urls: 0,
        on_admin: 0,
        secrets: 2,
    },
    Character {
        id: "222233334444",
        name: "prod",
        ou: &["Workloads", "Prod"],
        seed: 0x5052_4F44,
        functions: 420,
        regions: &REGIONS,
        runtimes: &[
            "python3.12",
            "python3.13",
            "nodejs22.x",
            "java21",
            "provided.al2023",
        ],
        owned: 100,
        age: (2, 120),
        tidy: true,
        public_urls: 0,
        on_admin: 0,
        secrets: 30,
    },
    Character {
        id: "333344445555",
        name: "staging",
        ou: &["Workloads", "Staging"],
        seed: 0x5354_4147,
        functions: 150,
        regions: &["us-east-1", "eu-west-1"],
        // One runtime in eight has fallen out of support since it was set up.
        runtimes: &[
            "python3.12",
            "python3.13",
            "nodejs22.x",
            "nodejs22.x",
            "java21",
            "python3.12",
            "provided.al2023",
            "nodejs18.x",
        ],
        owned: 85,
        age: (5, 300),
        tidy: true,
        public_urls: 1,
        on_admin: 0,
        secrets: 10,
    },
    Character {
        id: "777788889999",
        name: "sandbox",
        ou: &["Sandbox"],
        seed: 0x5341_4E44,
        functions: 36,
        regions: &["us-east-1"],
        runtimes: &[
            "python3.7",
            "nodejs14.x",
            "go1.x",
            "python3.8",
            "nodejs16.x",
        ],
        owned: 0,
        age: (380, 700),
        tidy: false,
        public_urls: 3,
        on_admin: 12,
        secrets: 4,
    },
];

/// The organization and its accounts, the dev account being the demo account itself; each
/// scanned account is assessed within the organization.
pub fn members() -> (Organization, Vec<Member>, org::PathCounts) {
    let now = super::scanned_at();
    let info = |id: &str, name: &str, ou: &[&str]| AccountInfo {
        id: id.into(),
        name: Some(name.into()),
        ou_path: ou.iter().map(|s| s.to_string()).collect(),
        status: Some("ACTIVE".into()),
    };
    let dev = info(ACCOUNT, "dev", &["Workloads", "Dev"]);
    let acquired = info(NOT_ASSUMABLE, "acquired-analytics", &["Acquisitions"]);
    let mut everyone: Vec<AccountInfo> = CHARACTERS
        .iter()
        .map(|c| info(c.id, c.name, c.ou))
        .chain([dev.clone(), acquired.clone()])
        .collect();
    everyone.sort_by(|a, b| a.id.cmp(&b.id));
    let guardrails = guardrails(&everyone);
    let organization = Organization {
        id: Some(ORG_ID.into()),
        management_account: Some(MANAGEMENT.into()),
        members: everyone,
        guardrails: Some(guardrails),
    };
    let bounds = |id: &str| org::bounds_of(&organization, id);
    let within = crate::snapshot::org::members_of(&organization);
    let inventories: Vec<(&Character, Inventory)> =
        CHARACTERS.iter().map(|c| (c, inventory(c, now))).collect();
    let mut dev_scan = super::snapshot();
    dev_reaches_out(&mut dev_scan.inventory, now);
    super::activity::observe(&mut dev_scan.inventory, now);
    // The edges between the accounts, as `scan --org` finds them once every account is in.
    let guards: std::collections::BTreeMap<&str, _> = inventories
        .iter()
        .map(|(c, _)| c.id)
        .chain([ACCOUNT])
        .map(|id| (id, bounds(id)))
        .collect();
    let guard = |id: &str| Guard::from(&guards[id]);
    let writes: std::collections::BTreeMap<&str, Vec<crate::assess::sources::ForeignWrite>> =
        inventories
            .iter()
            .map(|(c, inv)| (c.id, crate::assess::sources::foreign_writes(inv, c.id)))
            .chain([(
                ACCOUNT,
                crate::assess::sources::foreign_writes(&dev_scan.inventory, ACCOUNT),
            )])
            .collect();
    let roles: Vec<AccountRoles> = inventories
        .iter()
        .map(|(c, inv)| AccountRoles {
            account: c.id,
            roles: &inv.roles,
            guard: guard(c.id),
            secrets: &inv.secrets,
            functions: &inv.functions,
            sources: &writes[c.id],
        })
        .chain([AccountRoles {
            account: ACCOUNT,
            roles: &dev_scan.inventory.roles,
            guard: guard(ACCOUNT),
            secrets: &dev_scan.inventory.secrets,
            functions: &dev_scan.inventory.functions,
            sources: &writes[ACCOUNT],
        }])
        .collect();
    let found = cross_account_edges(&roles, within.as_ref(), now);
    let users = crate::assess::paths::users_of(
        inventories
            .iter()
            .flat_map(|(_, inv)| &inv.functions)
            .chain(&dev_scan.inventory.functions),
        |_| true,
    );
    let public = inventories
        .iter()
        .flat_map(|(c, inv)| crate::assess::reach::public_functions(inv, c.id, |_| true))
        .chain(crate::assess::reach::public_functions(
            &dev_scan.inventory,
            ACCOUNT,
            |_| true,
        ));
    let crossings = Crossings::new(&found, &users)
        .with_public(public)
        .with_scanned(guards.keys().map(|k| k.to_string()));
    let assessed_within = |id: &str| Within {
        members: within.as_ref(),
        crossings: Some(&crossings),
        guard: guard(id),
    };
    let mut members: Vec<Member> = inventories
        .into_iter()
        .map(|(c, inventory)| Member {
            info: info(c.id, c.name, c.ou),
            scan: Ok(account(c, inventory, now, assessed_within(c.id))),
        })
        .collect();
    dev_scan.reassess_in(now, assessed_within(ACCOUNT));
    members.push(Member {
        info: dev,
        scan: Ok(dev_scan),
    });
    members.push(Member {
        info: acquired,
        scan: Err(format!(
            "could not assume arn:aws:iam::{NOT_ASSUMABLE}:role/SprawlScan: AccessDenied: \
             User: arn:aws:sts::{MANAGEMENT}:assumed-role/SprawlScan/sprawl is not authorized to \
             perform: sts:AssumeRole on resource: arn:aws:iam::{NOT_ASSUMABLE}:role/SprawlScan \
             (the acquisition's accounts have no SprawlScan role yet)"
        )),
    });
    (organization, members, org::PathCounts::of(&found))
}

/// Writes the demo organization's snapshot to `path` (what `sprawl demo --save` does).
pub fn save(path: &std::path::Path) -> Result<(), SnapshotError> {
    let (organization, members, paths) = members();
    org::write_with(path, organization, members, Some(paths))
}

/// The demo organization as `sprawl demo` opens it: written as any organization's snapshot is,
/// then held in memory and its file removed.
pub fn snapshot() -> Result<OrgSnapshot, SnapshotError> {
    let path = std::env::temp_dir().join(format!(
        "sprawl-demo-{}-{}.json",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    save(&path)?;
    let bytes = std::fs::read(&path);
    let _ = std::fs::remove_file(&path);
    let bytes = bytes.map_err(|source| SnapshotError::Io {
        path: path.clone(),
        source,
    })?;
    OrgSnapshot::in_memory(bytes, std::path::Path::new("demo organization"))
}

/// The inventory of character `c`'s account, scanned at `now`.
fn inventory(c: &Character, now: DateTime<Utc>) -> Inventory {
    let mut inventory = estate(c, now);
    across_accounts(c, &mut inventory, now);
    let mut inventory = rehome(inventory, c.id);
    super::activity::observe(&mut inventory, now);
    inventory
}

/// One account of character `c`, scanned at `now`, assessed within the organization.
fn account(c: &Character, inventory: Inventory, now: DateTime<Utc>, within: Within) -> Snapshot {
    Snapshot::new_in(
        Account {
            id: c.id.into(),
            partition: "aws".into(),
            caller_arn: format!("arn:aws:sts::{}:assumed-role/SprawlScan/sprawl", c.id),
        },
        c.regions.iter().map(|r| r.to_string()).collect(),
        super::coverage_of(&inventory, c.regions, None, c.id),
        inventory,
        now,
        within,
    )
}

/// The demo organization's guardrails: AWS's FullAWSAccess on the root, every OU and every
/// account (as AWS keeps it), an SCP on the root that keeps accounts in the organization and
/// its trail on, and one on the Sandbox OU that keeps its roles out of prod's and staging's.
fn guardrails(accounts: &[AccountInfo]) -> Guardrails {
    let root = "r-demo".to_string();
    let ou_id = |name: &str| format!("ou-demo-{}", name.to_ascii_lowercase());
    let policy = |name: &str, aws_managed: bool, statements: serde_json::Value| GuardrailPolicy {
        name: name.into(),
        kind: GuardrailKind::ServiceControlPolicy,
        aws_managed,
        document: serde_json::json!({"Version": "2012-10-17", "Statement": statements}).into(),
    };
    let mut g = Guardrails {
        scp_enabled: true,
        ..Guardrails::default()
    };
    g.policies.insert(
        "p-FullAWSAccess".into(),
        policy(
            "FullAWSAccess",
            true,
            serde_json::json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
        ),
    );
    g.policies.insert(
        "p-demo-baseline".into(),
        policy(
            "BaselineGuardrails",
            false,
            serde_json::json!([{"Sid": "StayInTheOrganization", "Effect": "Deny",
                "Action": ["organizations:LeaveOrganization", "cloudtrail:StopLogging", "cloudtrail:DeleteTrail"],
                "Resource": "*"}]),
        ),
    );
    g.policies.insert(
        "p-demo-sandbox".into(),
        policy(
            "SandboxIsolation",
            false,
            serde_json::json!([{"Sid": "NoWayIntoProdOrStaging", "Effect": "Deny", "Action": "sts:AssumeRole",
                "Resource": [format!("arn:aws:iam::{PROD}:role/*"), format!("arn:aws:iam::{STAGING}:role/*")]}]),
        ),
    );
    let mut attach = |target: &str, policy: &str| {
        g.attached
            .entry(target.to_string())
            .or_default()
            .push(policy.to_string());
    };
    attach(&root, "p-FullAWSAccess");
    attach(&root, "p-demo-baseline");
    attach(&ou_id("Sandbox"), "p-demo-sandbox");
    for a in accounts {
        let mut path = vec![root.clone()];
        for ou in &a.ou_path {
            let id = ou_id(ou);
            attach(&id, "p-FullAWSAccess");
            path.push(id);
        }
        attach(&a.id, "p-FullAWSAccess");
        path.push(a.id.clone());
        g.paths.insert(a.id.clone(), path);
    }
    for ids in g.attached.values_mut() {
        ids.sort();
        ids.dedup();
    }
    g
}

/// The dev account (the demo account) in the organization: a public signup hook whose role
/// may become staging's deployer, which prod's release deployer trusts by its account. The
/// single-account demo has no such role: its `sts:AssumeRole` leads nowhere without the others.
fn dev_reaches_out(inv: &mut Inventory, now: DateTime<Utc>) {
    let name = "growth-signup-hook";
    let mut f = function(name, "us-east-1", &format!("{name}-role"), "nodejs16.x");
    f.last_modified = Some(days_before(now, 410));
    f.tags = Detail::collected(tags(&[("team", "growth")]));
    f.environment = vec![
        var("CRM_API_TOKEN", "crm_live_DemoOnlyNotAToken7Qp2"),
        var("SIGNUP_TABLE", "growth-signups"),
    ];
    f.url = Detail::collected(Some(FunctionUrl {
        url: "https://s1gnupq4hook.lambda-url.us-east-1.on.aws/".into(),
        auth_type: "NONE".into(),
        invoke_mode: Some("BUFFERED".into()),
        cors: None,
    }));
    f.policy = Detail::collected(Some(super::build::public_url_policy(&f.arn)));
    let mut r = role(&format!("{name}-role"), Some("growth"));
    // Left from when the hook seeded staging's test data through staging's deployer.
    r.inline_policies.push(inline(
        "signup",
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "ReadGrowthSecrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
             "Resource": format!("arn:aws:secretsmanager:*:{ACCOUNT}:secret:growth/*")},
            {"Sid": "SeedStaging", "Effect": "Allow", "Action": "sts:AssumeRole",
             "Resource": format!("arn:aws:iam::{STAGING}:role/staging-release-deployer")}]}),
    ));
    inv.roles.push(r);
    inv.functions.push(f);
    inv.sort();
}

/// The builders write the demo account's id; this gives every ARN and policy another's.
/// A policy names the dev account with this mark, so that moving the account's ARNs to its
/// own id leaves the dev account's id as it is.
const DEV_MARK: &str = "DEV-ACCOUNT";

fn rehome(inv: Inventory, id: &str) -> Inventory {
    let text = serde_json::to_string(&inv).expect("an inventory serializes");
    let text = text.replace(ACCOUNT, id).replace(DEV_MARK, ACCOUNT);
    serde_json::from_str(&text).expect("and reads back")
}

const PROD: &str = "222233334444";
const STAGING: &str = "333344445555";
const SANDBOX: &str = "777788889999";
/// Staging's topic announcing each release, which prod's smoke test subscribes to.
const RELEASE_EVENTS: &str = "arn:aws:sns:us-east-1:333344445555:release-events";

/// The roles that join the accounts. A release pipeline: staging's promote function runs as a
/// role that may assume prod's deployer, an administrator that trusts the staging account: one
/// hop from staging to prod's administrator. And a near miss: prod's break-glass administrator
/// trusts the sandbox account too, but only with an external id and MFA, which a function's
/// session never has. (Written with the demo account's id for the account itself, like the
/// rest of the estate; `rehome` gives it its own.)
fn across_accounts(c: &Character, inv: &mut Inventory, now: DateTime<Utc>) {
    let trusting = |name: &str, statement: serde_json::Value| {
        let mut r = role(name, Some("platform"));
        r.trust_policy =
            Some(serde_json::json!({"Version": "2012-10-17", "Statement": [statement]}).into());
        r.last_used = Some(RoleLastUsed {
            date: Some(days_before(now, 2)),
            region: Some("us-east-1".into()),
        });
        r
    };
    match c.id {
        STAGING => {
            let name = "growth-release-promote";
            let mut exec = role(&format!("{name}-role"), Some("growth"));
            exec.inline_policies.push(inline(
                "promote-to-prod",
                serde_json::json!({"Version": "2012-10-17", "Statement": [
                    {"Sid": "Promote", "Effect": "Allow", "Action": "sts:AssumeRole",
                     "Resource": format!("arn:aws:iam::{PROD}:role/prod-release-deployer")},
                    {"Sid": "SignReleases", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                     "Resource": format!("arn:aws:secretsmanager:*:{PROD}:secret:prod/release-*")},
                    {"Sid": "SmokeTestProd", "Effect": "Allow", "Action": "lambda:InvokeFunction",
                     "Resource": format!("arn:aws:lambda:us-east-1:{PROD}:function:release-smoke-test")},
                    {"Sid": "AnnounceReleases", "Effect": "Allow", "Action": "sns:Publish",
                     "Resource": RELEASE_EVENTS}]}),
            ));
            inv.roles.push(exec);
            // Staging's deployer: trusted by the whole dev account, and trusted in turn by
            // prod's release deployer (which trusts the whole staging account).
            let mut deployer = trusting(
                "staging-release-deployer",
                serde_json::json!({"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{DEV_MARK}:root")},
                                   "Action": "sts:AssumeRole"}),
            );
            deployer.inline_policies.push(inline(
                "promote",
                serde_json::json!({"Version": "2012-10-17", "Statement": [
                    {"Sid": "Deploy", "Effect": "Allow",
                     "Action": ["lambda:UpdateFunctionCode", "lambda:GetFunction"],
                     "Resource": format!("arn:aws:lambda:*:{ACCOUNT}:function:*")},
                    {"Sid": "PromoteToProd", "Effect": "Allow", "Action": "sts:AssumeRole",
                     "Resource": format!("arn:aws:iam::{PROD}:role/prod-release-deployer")}]}),
            ));
            inv.roles.push(deployer);
            let mut f = function(name, "us-east-1", &format!("{name}-role"), "python3.12");
            f.last_modified = Some(days_before(now, 9));
            f.tracing_mode = Some("Active".into());
            f.reserved_concurrency = Detail::collected(Some(5));
            f.tags = Detail::collected(tags(&[
                ("team", "growth"),
                ("owner", "growth-oncall"),
                ("app", "release"),
            ]));
            f.policy =
                Detail::collected(Some(service_permission(&f, "events.amazonaws.com", true)));
            f.async_invoke = Detail::collected(Some(on_failure("us-east-1")));
            inv.functions.push(f);
        }
        PROD => {
            let mut deployer = trusting(
                "prod-release-deployer",
                serde_json::json!({"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{STAGING}:root")},
                                   "Action": "sts:AssumeRole"}),
            );
            deployer.attached_policies.push(administrator_access());
            let mut glass = trusting(
                "prod-break-glass",
                serde_json::json!({"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{SANDBOX}:root")},
                                   "Action": "sts:AssumeRole",
                                   "Condition": {"StringEquals": {"sts:ExternalId": "break-glass-2025"},
                                                 "Bool": {"aws:MultiFactorAuthPresent": "true"}}}),
            );
            glass.attached_policies.push(administrator_access());
            inv.roles.extend([deployer, glass]);
            // Secrets prod shares: the release signing key with staging (under prod's own
            // key), and an export credential with the sandbox, under the AWS managed key (which
            // no other account can use: the sandbox cannot read it, whatever the policy says).
            let shared = |name: &str, suffix: &str, with: &str, key: Option<String>| {
                let mut s = secret(name, "us-east-1", suffix);
                s.kms_key_id = key;
                s.policy = Detail::collected(Some(
                    serde_json::json!({"Version": "2012-10-17", "Statement": [
                        {"Sid": "Shared", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{with}:root")},
                         "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})
                    .into(),
                ));
                s
            };
            inv.secrets.push(shared(
                "prod/release-signing-key",
                "Rk7Sg2",
                STAGING,
                Some(format!(
                    "arn:aws:kms:us-east-1:{ACCOUNT}:key/release-signing"
                )),
            ));
            inv.secrets
                .push(shared("prod/analytics-export", "Ax3Pt9", SANDBOX, None));
            // A function staging's release pipeline invokes after each promotion.
            let name = "release-smoke-test";
            let mut smoke = function(name, "us-east-1", &format!("{name}-role"), "python3.12");
            smoke.last_modified = Some(days_before(now, 9));
            smoke.tracing_mode = Some("Active".into());
            smoke.reserved_concurrency = Detail::collected(Some(2));
            smoke.tags = Detail::collected(tags(&[
                ("team", "platform"),
                ("owner", "platform-oncall"),
                ("app", "release"),
            ]));
            smoke.async_invoke = Detail::collected(Some(on_failure("us-east-1")));
            smoke.policy = Detail::collected(Some(
                serde_json::json!({"Version": "2012-10-17", "Statement": [
                    {"Sid": "StagingSmokeTests", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{STAGING}:root")},
                     "Action": "lambda:InvokeFunction", "Resource": smoke.arn.clone()},
                    {"Sid": "StagingReleaseEvents", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                     "Action": "lambda:InvokeFunction", "Resource": smoke.arn.clone(),
                     "Condition": {"ArnLike": {"AWS:SourceArn": RELEASE_EVENTS}}}]})
                .into(),
            ));
            // It is subscribed to staging's release topic too: whoever may publish there (staging's
            // own principals, by their IAM policies) chooses its event. Staging's topic policy
            // lets the organization read it, so prod's scan reads its policy and subscriptions.
            inv.topics.push(Topic {
                arn: RELEASE_EVENTS.into(),
                region: "us-east-1".into(),
                triggers: vec![smoke.arn.clone()],
                feeds: Vec::new(),
                policy: Detail::collected(Some(
                    serde_json::json!({"Version": "2012-10-17", "Statement": [
                        {"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
                         "Action": ["SNS:Publish", "SNS:Subscribe", "SNS:GetTopicAttributes"],
                         "Resource": RELEASE_EVENTS,
                         "Condition": {"StringEquals": {"AWS:SourceOwner": STAGING}}},
                        {"Sid": "OrganizationSubscribes", "Effect": "Allow", "Principal": {"AWS": "*"},
                         "Action": ["SNS:Subscribe", "SNS:GetTopicAttributes", "SNS:ListSubscriptionsByTopic"],
                         "Resource": RELEASE_EVENTS,
                         "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG_ID}}}]})
                    .into(),
                )),
                kms_key_id: Detail::collected(None),
                subscriptions: Detail::collected(vec![Subscription {
                    protocol: "lambda".into(),
                    endpoint: smoke.arn.clone(),
                }]),
            });
            inv.roles
                .push(own_role(name, &format!("{name}-role"), Some("platform")));
            inv.functions.push(smoke);
        }
        _ => {}
    }
}

/// The account's functions, roles and secrets, as its character makes them.
fn estate(c: &Character, now: DateTime<Utc>) -> Inventory {
    let mut rng = Rng(c.seed);
    let mut inv = Inventory::default();
    let mut names = std::collections::BTreeSet::new();
    let admin = format!("{}-admin", c.name);
    if c.on_admin > 0 {
        let mut r = role(&admin, None);
        r.attached_policies.push(administrator_access());
        r.created = Some(days_before(now, c.age.1 + 90));
        r.last_used = None;
        inv.roles.push(r);
    }
    for i in 0..c.functions {
        let team = (rng.below(100) < c.owned as usize).then(|| *rng.pick(&TEAMS));
        let noun = *rng.pick(&NOUNS);
        let verb = *rng.pick(&VERBS);
        let mut name = format!("{}-{noun}-{verb}", team.unwrap_or(c.name));
        if !names.insert(name.clone()) {
            name = format!("{name}-{i}");
            names.insert(name.clone());
        }
        let region = *rng.pick(c.regions);
        let role_name = if i < c.on_admin {
            admin.clone()
        } else {
            let own = format!("{name}-role");
            inv.roles.push(own_role(&name, &own, team));
            own
        };
        let runtime = *rng.pick(c.runtimes);
        let mut f = function(&name, region, &role_name, runtime);
        let (from, to) = c.age;
        f.last_modified = Some(days_before(
            now,
            from + rng.below((to - from) as usize) as i64,
        ));
        f.memory_mb = *rng.pick(&[256, 512, 1024]);
        if let Some(t) = team {
            f.tags = Detail::collected(tags(&[
                ("team", t),
                ("owner", &format!("{t}-oncall")),
                ("app", noun),
            ]));
        }
        f.environment = vec![
            var("TABLE_NAME", &name),
            var("LOG_LEVEL", "info"),
            var("POWERTOOLS_SERVICE_NAME", noun),
        ];
        if c.tidy {
            f.timeout_seconds = *rng.pick(&[10, 30, 60]);
            f.tracing_mode = Some("Active".into());
            f.reserved_concurrency = Detail::collected(Some(*rng.pick(&[20, 50, 100])));
            match verb {
                "worker" | "sync" | "backfill" => {
                    inv.event_source_mappings.push(queue_mapping(&f, i));
                }
                "ingest" | "resize" | "cron" | "audit" | "notify" => {
                    let service = if matches!(verb, "ingest" | "resize") {
                        "s3.amazonaws.com"
                    } else {
                        "events.amazonaws.com"
                    };
                    f.policy = Detail::collected(Some(service_permission(&f, service, true)));
                    f.async_invoke = Detail::collected(Some(on_failure(region)));
                }
                _ => {}
            }
        } else {
            // Left running with the defaults of the day they were made.
            f.timeout_seconds = 900;
            if i % 5 == 0 {
                f.environment
                    .push(var("DB_PASSWORD", super::DEMO_DIGITS_PASSWORD));
            }
        }
        // The public URLs begin with the last function on the administrator role (if any).
        let first_public = c.on_admin.saturating_sub(1);
        if (first_public..first_public + c.public_urls).contains(&i) {
            f.url = Detail::collected(Some(FunctionUrl {
                url: format!("https://{}.lambda-url.{region}.on.aws/", super::fnv(&name)),
                auth_type: "NONE".into(),
                invoke_mode: Some("BUFFERED".into()),
                cors: None,
            }));
            f.policy = Detail::collected(Some(public_url_policy(&f.arn)));
        }
        inv.functions.push(f);
    }
    for i in 0..c.secrets {
        let team = TEAMS[i % TEAMS.len()];
        let what = ["db", "api-key", "signing-key", "webhook"][i / TEAMS.len() % 4];
        let region = c.regions[i % c.regions.len()];
        let mut s = secret(
            &format!("{}/{team}/{what}-{i}", c.name),
            region,
            &format!("{:06x}", rng.next() % 0xFF_FFFF),
        );
        s.tags = tags(&[("team", team)]);
        s.created = Some(days_before(now, c.age.1 + 30));
        if c.tidy {
            s.rotation_enabled = true;
            s.rotation_every_days = Some(30);
            s.last_rotated = Some(days_before(now, 3 + rng.below(25) as i64));
            s.last_accessed = Some(days_before(now, rng.below(3) as i64));
        } else {
            s.last_accessed = Some(days_before(now, c.age.0 + rng.below(60) as i64));
        }
        inv.secrets.push(s);
    }
    super::code_and_versions(&mut inv, now);
    inv.sort();
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_account_has_its_character() {
        let (org, members, _) = members();
        assert_eq!(org.management_account.as_deref(), Some(MANAGEMENT));
        assert!(members.len() >= 5);
        let scanned = |name: &str| {
            members
                .iter()
                .find(|m| m.info.name.as_deref() == Some(name))
                .and_then(|m| m.scan.as_ref().ok())
                .unwrap_or_else(|| panic!("{name} was scanned"))
        };
        let rules = |s: &Snapshot| -> std::collections::BTreeSet<String> {
            s.assessment
                .findings
                .iter()
                .map(|f| f.rule.clone())
                .collect()
        };
        // Prod: large and tidy, nothing public, no administrator.
        let prod = scanned("prod");
        assert!(prod.inventory.functions.len() > 400);
        let prod_rules = rules(prod);
        for quiet in [
            "lambda-url-public",
            "lambda-forgotten",
            "iam-role-assume-chain",
        ] {
            assert!(!prod_rules.contains(quiet), "prod has {quiet}");
        }
        // Its administrators are the release pipeline's and break-glass roles, which no
        // function runs as: hops of chains from other accounts, not findings of their own.
        let admins: Vec<&str> = prod
            .assessment
            .roles
            .iter()
            .filter(|r| !r.admin_via.is_empty())
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(admins, ["prod-break-glass", "prod-release-deployer"]);
        assert!(!prod_rules.contains("iam-role-admin"));
        assert!(
            prod.inventory
                .functions
                .iter()
                .all(|f| f.arn.contains(":222233334444:"))
        );
        assert!(
            prod.inventory
                .roles
                .iter()
                .all(|r| r.arn.contains("::222233334444:"))
        );
        // The sandbox: forgotten, public, administrator roles, deprecated runtimes.
        let sandbox = rules(scanned("sandbox"));
        for loud in [
            "lambda-url-public",
            "iam-role-admin",
            "lambda-idle",
            "lambda-runtime-deprecated",
            "lambda-env-secret",
        ] {
            assert!(sandbox.contains(loud), "the sandbox shows {loud}");
        }
        // Dev is the demo account, assessed within the organization: its partner's account is
        // a stranger's.
        let dev = scanned("dev");
        assert_eq!(dev.account.id, ACCOUNT);
        let dev_rules = rules(dev);
        assert!(
            dev_rules.contains("secret-policy-outside-org"),
            "{dev_rules:?}"
        );
        assert!(
            !dev_rules.contains("secret-policy-cross-account"),
            "{dev_rules:?}"
        );
        assert_eq!(
            org.members.len(),
            6,
            "every account, the one not scanned too"
        );
        // The acquisition was not scanned, and says why.
        let acquired = members.iter().find(|m| m.info.id == NOT_ASSUMABLE).unwrap();
        assert!(
            acquired
                .scan
                .as_ref()
                .is_err_and(|e| e.contains("AccessDenied"))
        );
    }
}
