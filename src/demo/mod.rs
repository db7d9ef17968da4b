//! The built-in demo account: a realistic, deterministic estate generated in code (no file, no
//! AWS), with the sprawl a real one has: several teams over three regions, deprecated runtimes,
//! untagged and forgotten functions, shared roles, a handful of public entry points, two truly
//! dangerous chains, and secrets in every state. It goes through the same `assess` as a scan.

mod activity;
mod build;
mod code;
pub mod org;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::model::*;
use crate::snapshot::Snapshot;
use build::*;

pub const ACCOUNT: &str = "111122223333";
pub const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const TEAMS: [&str; 6] = ["payments", "orders", "identity", "search", "data", "growth"];

/// When the demo account was "scanned": fixed, so the demo (and its screenshots) never change.
pub fn scanned_at() -> DateTime<Utc> {
    "2026-11-20T09:30:00Z".parse().expect("a valid time")
}

/// A small deterministic generator (SplitMix64): the same account on every machine and version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NOUNS: [&str; 16] = [
    "invoice", "refund", "ledger", "cart", "order", "session", "token", "profile", "index",
    "query", "export", "report", "referral", "coupon", "event", "image",
];
const VERBS: [&str; 10] = [
    "api", "worker", "ingest", "cron", "sync", "notify", "resize", "validate", "backfill", "audit",
];

/// Runtimes with their weight: most are current, a long tail is not.
const RUNTIMES: [(&str, u64); 12] = [
    ("python3.12", 18),
    ("python3.13", 12),
    ("nodejs22.x", 18),
    ("nodejs20.x", 12),
    ("java21", 6),
    ("python3.9", 8),
    ("nodejs18.x", 8),
    ("python3.8", 5),
    ("go1.x", 3),
    ("provided.al2023", 4),
    ("ruby3.3", 3),
    ("nodejs16.x", 3),
];

fn runtime(rng: &mut Rng) -> &'static str {
    let total: u64 = RUNTIMES.iter().map(|(_, w)| w).sum();
    let mut roll = rng.next() % total;
    for (r, w) in RUNTIMES {
        if roll < w {
            return r;
        }
        roll -= w;
    }
    RUNTIMES[0].0
}

fn days_before(now: DateTime<Utc>, days: i64) -> String {
    (now - Duration::days(days)).to_rfc3339()
}

/// The demo account, assessed.
pub fn snapshot() -> Snapshot {
    let now = scanned_at();
    let inventory = inventory(now);
    Snapshot::new(
        Account {
            id: ACCOUNT.into(),
            partition: "aws".into(),
            caller_arn: format!("arn:aws:sts::{ACCOUNT}:assumed-role/SecurityAudit/demo"),
        },
        REGIONS.iter().map(|r| r.to_string()).collect(),
        coverage(&inventory),
        inventory,
        now,
    )
}

/// A complete coverage, but for one region whose code-signing listing was denied (so the demo
/// shows what "not assessed" looks like).
fn coverage(inv: &Inventory) -> Coverage {
    coverage_of(inv, &REGIONS, Some("ap-southeast-2"), ACCOUNT)
}

/// The coverage of a scan of `regions` that succeeded, but for the code-signing listing in
/// `denied` (if any).
fn coverage_of(inv: &Inventory, regions: &[&str], denied: Option<&str>, account: &str) -> Coverage {
    let mut entries = Vec::new();
    for &region in regions {
        let functions = inv.functions.iter().filter(|f| f.region == region).count() as u64;
        for (service, op, items) in [
            ("lambda", "ListFunctions", functions),
            ("lambda", "GetFunction", functions),
            ("lambda", "GetPolicy", functions),
            ("lambda", "ListEventSourceMappings", 0),
            ("apigateway", "GetRestApis", 0),
            ("apigatewayv2", "GetApis", 0),
            ("secretsmanager", "ListSecrets", 0),
        ] {
            entries.push(CoverageEntry {
                service: service.into(),
                region: region.into(),
                operation: op.into(),
                succeeded: items.max(1),
                failed: 0,
                items,
                skipped: 0,
                failure: None,
            });
        }
        let denied = denied == Some(region);
        entries.push(CoverageEntry {
            service: "lambda".into(),
            region: region.into(),
            operation: "ListCodeSigningConfigs".into(),
            succeeded: u64::from(!denied),
            failed: u64::from(denied),
            items: 0,
            skipped: 0,
            failure: denied.then(|| Failure {
                kind: FailureKind::AccessDenied,
                message: format!("User: arn:aws:sts::{account}:assumed-role/SecurityAudit/demo is not authorized to perform: lambda:ListCodeSigningConfigs"),
            }),
        });
    }
    entries.push(CoverageEntry {
        service: "iam".into(),
        region: "global".into(),
        operation: "GetAccountAuthorizationDetails".into(),
        succeeded: 4,
        failed: 0,
        items: inv.roles.len() as u64,
        skipped: 0,
        failure: None,
    });
    entries.sort_by(|a, b| {
        (&a.service, &a.region, &a.operation).cmp(&(&b.service, &b.region, &b.operation))
    });
    Coverage { entries }
}

fn inventory(now: DateTime<Utc>) -> Inventory {
    let mut rng = Rng(0x05EE_D0F5_9A4C);
    let mut inv = Inventory::default();
    let mut names = std::collections::BTreeSet::new();

    // Shared roles: one per team, a deploy role, and the old administrator role nobody removed.
    for team in TEAMS {
        let mut r = role(&format!("{team}-lambda-shared"), Some(team));
        r.inline_policies.push(inline(
            "team-data",
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "TeamTables", "Effect": "Allow", "Action": "dynamodb:*",
                 "Resource": format!("arn:aws:dynamodb:*:{ACCOUNT}:table/{team}-*")},
                {"Sid": "TeamSecrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                 "Resource": format!("arn:aws:secretsmanager:*:{ACCOUNT}:secret:{team}/*")}]}),
        ));
        if team == "payments" {
            // Broad data access that "was only for the migration".
            r.inline_policies.push(inline(
                "migration-2024",
                json!({"Version": "2012-10-17", "Statement": [
                    {"Sid": "Migration", "Effect": "Allow", "Action": ["s3:*", "secretsmanager:GetSecretValue", "kms:Decrypt"], "Resource": "*"}]}),
            ));
        }
        inv.roles.push(r);
    }
    let mut admin = role("legacy-lambda-admin", None);
    admin.attached_policies.push(administrator_access());
    admin.created = Some(days_before(now, 1400));
    inv.roles.push(admin);
    let mut unused = role("tmp-lambda-debug", None);
    unused.attached_policies.push(administrator_access());
    unused.last_used = Some(RoleLastUsed {
        date: Some(days_before(now, 410)),
        region: Some("us-east-1".into()),
    });
    unused.created = Some(days_before(now, 700));
    inv.roles.push(unused);

    // Functions, team by team, plus the unowned tail.
    let owners: Vec<Option<&str>> = TEAMS
        .iter()
        .flat_map(|t| std::iter::repeat_n(Some(*t), 44))
        .chain(std::iter::repeat_n(None, 36))
        .collect();
    for (i, team) in owners.into_iter().enumerate() {
        let noun = *rng.pick(&NOUNS);
        let verb = *rng.pick(&VERBS);
        let mut name = format!("{}-{noun}-{verb}", team.unwrap_or("svc"));
        if !names.insert(name.clone()) {
            name = format!("{name}-{i}");
            names.insert(name.clone());
        }
        let region = match rng.below(20) {
            0..=9 => REGIONS[0],
            10..=16 => REGIONS[1],
            _ => REGIONS[2],
        };
        let role_name = match (team, rng.below(10)) {
            (None, 0..=2) => "legacy-lambda-admin".to_string(),
            (Some(t), 0..=3) => format!("{t}-lambda-shared"),
            _ => format!("{name}-role"),
        };
        if !inv.roles.iter().any(|r| r.name == role_name) {
            inv.roles.push(own_role(&name, &role_name, team));
        }
        let mut f = function(&name, region, &role_name, runtime(&mut rng));
        f.last_modified = Some(days_before(now, 3 + rng.below(900) as i64));
        f.timeout_seconds = *rng.pick(&[3, 10, 30, 30, 60, 120, 300, 900]);
        f.memory_mb = *rng.pick(&[128, 256, 512, 1024, 2048]);
        f.tracing_mode = Some(
            if rng.chance(45) {
                "Active"
            } else {
                "PassThrough"
            }
            .into(),
        );
        if rng.chance(35) {
            f.reserved_concurrency = Detail::collected(Some(*rng.pick(&[5, 10, 50, 100])));
        }
        if rng.chance(40) {
            f.vpc = Some(vpc(rng.chance(80)));
        }
        if rng.chance(25) {
            f.kms_key_arn = Some(format!(
                "arn:aws:kms:{region}:{ACCOUNT}:key/demo-{}",
                rng.below(9)
            ));
        }
        f.tags = Detail::collected(match team {
            Some(t) if rng.chance(92) => tags(&[
                ("team", t),
                ("owner", &format!("{t}-oncall")),
                ("app", noun),
            ]),
            Some(_) => tags(&[("app", noun)]),
            None if rng.chance(50) => tags(&[("created-by", "console")]),
            None => Tags::new(),
        });
        f.environment = environment(&mut rng, team.unwrap_or("svc"), noun);
        if region == "ap-southeast-2" {
            f.code_signing_config = Detail::Failed {
                kind: FailureKind::AccessDenied,
                message: "not authorized to perform: lambda:ListCodeSigningConfigs".into(),
            };
        } else if rng.chance(15) {
            f.code_signing_config = Detail::collected(Some(format!(
                "arn:aws:lambda:{region}:{ACCOUNT}:code-signing-config:csc-demo"
            )));
        }
        if rng.chance(6) {
            f.layers.push(format!(
                "arn:aws:lambda:{region}:580247275435:layer:LambdaInsightsExtension:52"
            ));
        }
        if rng.chance(4) {
            f.layers.push(format!(
                "arn:aws:lambda:{region}:999988887777:layer:fast-json:3"
            ));
        }
        // Triggers by what the function is.
        match verb {
            "worker" | "sync" | "backfill" => inv.event_source_mappings.push(queue_mapping(&f, i)),
            "ingest" | "resize" => {
                f.policy = Detail::collected(Some(service_permission(
                    &f,
                    "s3.amazonaws.com",
                    rng.chance(70),
                )));
                if rng.chance(50) {
                    f.async_invoke = Detail::collected(Some(on_failure(region)));
                } else {
                    f.async_invoke = Detail::collected(None);
                }
            }
            "cron" | "audit" | "notify" => {
                f.policy =
                    Detail::collected(Some(service_permission(&f, "events.amazonaws.com", true)));
                f.async_invoke = Detail::collected(None);
            }
            _ => {}
        }
        // The forgotten: old, untouched, nothing calls them.
        if team.is_none() && rng.chance(40) {
            f.last_modified = Some(days_before(now, 500 + rng.below(600) as i64));
            f.policy = Detail::collected(None);
            inv.event_source_mappings
                .retain(|m| m.function_arn != f.arn);
        }
        inv.functions.push(f);
    }

    code_and_versions(&mut inv, now);
    dangerous_chains(&mut inv, now);
    apis(&mut inv);
    secrets(&mut inv, now, &mut rng);
    event_injection(&mut inv);
    upload_injection(&mut inv);
    signup_injection(&mut inv);
    telemetry_injection(&mut inv);
    no_other_identity_pools(&mut inv);
    code::read(&mut inv);
    activity::observe(&mut inv, now);
    inv.sort();
    inv
}

/// The first function `pick` chooses, made to be invoked by `service` for the source that
/// `source` names from the function's team, as a push permission writes it (SourceArn only):
/// the function's ARN and the source's.
fn pushed_by(
    inv: &mut Inventory,
    pick: impl Fn(&Function) -> bool,
    service: &str,
    source: impl Fn(&str) -> String,
) -> Option<(String, String)> {
    let f = inv.functions.iter_mut().find(|f| pick(f))?;
    let source = source(f.name.split('-').next().unwrap_or("app"));
    let sid = format!("{}-invoke", service.split('.').next().unwrap_or("svc"));
    f.policy = Detail::collected(Some(
        json!({"Version": "2012-10-17", "Id": "default", "Statement": [
            {"Sid": sid, "Effect": "Allow", "Principal": {"Service": service},
             "Action": "lambda:InvokeFunction", "Resource": f.arn,
             "Condition": {"ArnLike": {"AWS:SourceArn": source}}}]})
        .into(),
    ));
    f.async_invoke = Detail::collected(None);
    Some((f.arn.clone(), source))
}

/// A topic of `region` that triggers `function`, with `statements` as its policy.
fn topic(
    inv: &mut Inventory,
    arn: String,
    region: &str,
    function: String,
    statements: serde_json::Value,
) {
    inv.topics.push(crate::model::Topic {
        region: region.into(),
        subscriptions: Detail::collected(vec![crate::model::Subscription {
            protocol: "lambda".into(),
            endpoint: function.clone(),
        }]),
        triggers: vec![function],
        feeds: Vec::new(),
        policy: Detail::collected(Some(
            json!({"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": statements})
                .into(),
        )),
        kms_key_id: Detail::collected(None),
        arn,
    });
}

/// A notifier fed by an SNS topic anyone may publish to (a "public events" topic someone opened
/// for a partner): everyone chooses its events. As a scan reads it: the function's policy names
/// the topic as its source, and the topic's policy lets every principal publish.
fn event_injection(inv: &mut Inventory) {
    let notifier = |region: &'static str| {
        move |f: &Function| f.name.ends_with("-notify") && f.region == region
    };
    if let Some((f, arn)) = pushed_by(inv, notifier("us-east-1"), "sns.amazonaws.com", |team| {
        format!("arn:aws:sns:us-east-1:{ACCOUNT}:{team}-public-events")
    }) {
        let anyone = json!([{"Sid": "PartnerPublish", "Effect": "Allow", "Principal": {"AWS": "*"},
                             "Action": "SNS:Publish", "Resource": arn}]);
        topic(inv, arn, "us-east-1", f, anyone);
    }
    // A notifier in eu-west-1 fed by a topic whose policy lets a partner's account (of another
    // organization) publish, beside SNS's default statement: that account chooses its events.
    if let Some((f, arn)) = pushed_by(inv, notifier("eu-west-1"), "sns.amazonaws.com", |team| {
        format!("arn:aws:sns:eu-west-1:{ACCOUNT}:{team}-partner-events")
    }) {
        let partner = json!([
            {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SNS:Publish",
             "Resource": arn, "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}},
            {"Sid": "PartnerPublish", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
             "Action": "SNS:Publish", "Resource": arn}]);
        topic(inv, arn, "eu-west-1", f, partner);
    }
    partner_bus(inv);
}

/// An auditor in us-east-1 run by a rule on a custom event bus whose policy lets another
/// account put events on it (the sandbox account, where a vendor's integration was tried out):
/// that account chooses its events. In the demo organization, the sandbox's administrator role
/// may put them: an edge from the sandbox into the dev account, through the bus.
fn partner_bus(inv: &mut Inventory) {
    let auditor = |f: &Function| f.name.ends_with("-audit") && f.region == "us-east-1";
    let Some((f, rule)) = pushed_by(inv, auditor, "events.amazonaws.com", |team| {
        format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/{team}-vendor-bus/audit-events")
    }) else {
        return;
    };
    let bus = rule
        .replace(":rule/", ":event-bus/")
        .replace("/audit-events", "");
    inv.event_rules.push(crate::model::EventRule {
        arn: rule,
        region: "us-east-1".into(),
        bus: bus.clone(),
        triggers: vec![f],
        feeds: Vec::new(),
        state: Detail::collected(Some("ENABLED".into())),
        pattern: Detail::collected(Some(r#"{"source": ["vendor.audit"]}"#.into())),
    });
    inv.event_buses.push(crate::model::EventBus {
        region: "us-east-1".into(),
        policy: Detail::collected(Some(
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "VendorPutEvents", "Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::777788889999:root"},
                 "Action": "events:PutEvents", "Resource": bus}]})
            .into(),
        )),
        arn: bus,
    });
}

/// An ingest function fed by a "partner drop" bucket whose policy lets anyone upload, running as
/// a role with broad S3 and secret access: whoever uploads chooses what it reads and where it
/// writes. As a scan reads it: the function's policy names the bucket (and its account), the
/// bucket notifies the function, and its policy admits every principal; no Block Public Access
/// is set on it or the account, and its ACLs are off.
fn upload_injection(inv: &mut Inventory) {
    let Some(f) = inv.functions.iter_mut().find(|f| {
        f.name.starts_with("data-") && f.name.ends_with("-ingest") && f.region == "eu-west-1"
    }) else {
        return;
    };
    let name = "data-partner-uploads";
    let bucket = format!("arn:aws:s3:::{name}");
    f.policy = Detail::collected(Some(
        serde_json::json!({"Version": "2012-10-17", "Id": "default", "Statement": [
            {"Sid": "s3-invoke", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
             "Action": "lambda:InvokeFunction", "Resource": f.arn,
             "Condition": {"ArnLike": {"AWS:SourceArn": bucket},
                           "StringEquals": {"AWS:SourceAccount": ACCOUNT}}}]})
        .into(),
    ));
    let function = f.arn.clone();
    give_own_role(
        inv,
        &function,
        "data",
        inline(
            "ingest-everything",
            serde_json::json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "AnyBucketsObjects", "Effect": "Allow",
                 "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"], "Resource": "*"},
                {"Sid": "TeamSecrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                 "Resource": format!("arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:data/*")}]}),
        ),
    );
    let none_set = || Detail::collected(None);
    inv.buckets.push(crate::model::Bucket {
        name: name.into(),
        arn: bucket.clone(),
        region: Detail::collected("eu-west-1".into()),
        triggers: vec![function.clone()],
        feeds: Vec::new(),
        notifications: Detail::collected(crate::model::BucketNotifications {
            functions: vec![function],
            ..Default::default()
        }),
        policy: Detail::collected(Some(
            serde_json::json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "PartnerDrop", "Effect": "Allow", "Principal": "*",
                 "Action": ["s3:PutObject", "s3:PutObjectAcl"], "Resource": format!("{bucket}/incoming/*")}]})
            .into(),
        )),
        acl: Detail::collected(Vec::new()),
        public_access_block: none_set(),
        account_public_access_block: none_set(),
        ownership: Detail::collected(Some("BucketOwnerEnforced".into())),
    });
}

/// The identity team's customer pool, open to sign-up (its app client's id ships in the web
/// app), runs a validator on PreSignUp whose own role may create, change and group the pool's
/// users: whoever signs up chooses the event of a function that can make any user an admin. As a
/// scan reads it: the function's policy names the pool, the pool's triggers name the function.
fn signup_injection(inv: &mut Inventory) {
    let validator = |f: &Function| f.name.starts_with("identity-") && f.name.ends_with("-validate");
    let pool =
        |_: &str| format!("arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/us-east-1_Cust0mers");
    let validator = |f: &Function| validator(f) && f.region == "us-east-1";
    let Some((function, arn)) = pushed_by(inv, validator, "cognito-idp.amazonaws.com", pool) else {
        return;
    };
    give_own_role(
        inv,
        &function,
        "identity",
        inline(
            "manage-customers",
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "WriteUsers", "Effect": "Allow",
                 "Action": ["cognito-idp:AdminCreateUser", "cognito-idp:AdminUpdateUserAttributes",
                            "cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminConfirmSignUp"],
                 "Resource": arn}]}),
        ),
    );
    inv.user_pools.push(crate::model::UserPool {
        region: "us-east-1".into(),
        triggers: vec![function.clone()],
        name: Some("customers".into()),
        self_sign_up: Detail::collected(true),
        lambda_triggers: Detail::collected(vec![crate::model::PoolTrigger {
            event: "PreSignUp".into(),
            function,
        }]),
        arn,
    });
}

/// The data team's device telemetry: an IoT rule takes every device's readings to an ingest
/// function that writes them to the team's tables with the team's secrets, and the companion
/// app's identity pool gives guests (anyone who opens the app, or asks Cognito directly) a role
/// that may publish to every device's topic: whoever asks for a guest identity chooses the
/// function's event. As a scan reads it: the function's policy names the rule, the rule's SQL
/// its topics, the pool its unauthenticated role, and that role's trust admits the pool's
/// guests.
fn telemetry_injection(inv: &mut Inventory) {
    let region = "ap-southeast-2";
    let ingest = |f: &Function| {
        f.name.starts_with("data-") && f.name.ends_with("-ingest") && f.region == region
    };
    let rule = |_: &str| format!("arn:aws:iot:{region}:{ACCOUNT}:rule/device_telemetry");
    let Some((function, arn)) = pushed_by(inv, ingest, "iot.amazonaws.com", rule) else {
        return;
    };
    give_own_role(
        inv,
        &function,
        "data",
        inline(
            "store-readings",
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "TeamTables", "Effect": "Allow", "Action": ["dynamodb:PutItem", "dynamodb:Query"],
                 "Resource": format!("arn:aws:dynamodb:{region}:{ACCOUNT}:table/data-*")},
                {"Sid": "TeamSecrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                 "Resource": format!("arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:data/*")}]}),
        ),
    );
    inv.iot_rules.push(crate::model::IotRule {
        arn,
        region: region.into(),
        triggers: vec![function.clone()],
        sql: Detail::collected(Some("SELECT * FROM 'devices/+/telemetry'".into())),
        disabled: Detail::collected(false),
        functions: Detail::collected(vec![function]),
    });
    let pool = format!("{region}:5b7e2c1a-9d4f-4e8b-a6c3-2f1d0e9b8a7c");
    let mut guest = role("data-companion-guest", Some("data"));
    guest.attached_policies.clear();
    guest.trust_policy = Some(
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": pool},
                          "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "unauthenticated"}}}]})
        .into(),
    );
    guest.inline_policies.push(inline(
        "companion-app",
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "Connect", "Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
            {"Sid": "DeviceTopics", "Effect": "Allow", "Action": "iot:Publish",
             "Resource": format!("arn:aws:iot:{region}:{ACCOUNT}:topic/devices/*")}]}),
    ));
    inv.identity_pools.push(crate::model::IdentityPools {
        region: region.into(),
        pools: Detail::collected(vec![crate::model::IdentityPool {
            id: pool,
            name: "data-companion-app".into(),
            unauthenticated: Detail::collected(true),
            classic_flow: Detail::collected(false),
            unauthenticated_role: Detail::collected(Some(guest.arn.clone())),
        }]),
    });
    inv.roles.push(guest);
}

/// The identity pools of the other regions with functions, read as a scan reads them: none.
fn no_other_identity_pools(inv: &mut Inventory) {
    let regions: std::collections::BTreeSet<String> =
        inv.functions.iter().map(|f| f.region.clone()).collect();
    for region in regions {
        if !inv.identity_pools.iter().any(|p| p.region == region) {
            inv.identity_pools.push(crate::model::IdentityPools {
                region,
                pools: Detail::collected(Vec::new()),
            });
        }
    }
}

/// Gives the function `function` a role of its own (`NAME-role`, of `team`) with `policy`, in
/// place of any role of that name it ran as before (an account holds each role once).
fn give_own_role(inv: &mut Inventory, function: &str, team: &str, policy: InlinePolicy) {
    let Some(f) = inv.functions.iter_mut().find(|f| f.arn == function) else {
        return;
    };
    let mut r = role(&format!("{}-role", f.name), Some(team));
    f.role_arn = r.arn.clone();
    r.inline_policies.push(policy);
    inv.roles.retain(|old| old.arn != r.arn);
    inv.roles.push(r);
}

/// FNV-1a of a name: sizes and version counts that differ by function without drawing from the
/// generator (so the rest of the demo stays as it was).
fn fnv(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Deployment packages of 0.2 to 40 MB, and the version sprawl of teams that publish on every
/// deploy and never clean up: one function in nine keeps 4 to 60 old versions (with the
/// environment they were published with, when it holds no secret).
fn code_and_versions(inv: &mut Inventory, now: DateTime<Utc>) {
    for f in &mut inv.functions {
        let h = fnv(&f.name);
        f.code_size_bytes = 200_000 + (h % 40_000_000) as i64;
        let clean = f.environment.iter().all(|v| !v.value.kind.is_secret());
        if !h.is_multiple_of(9) || !clean {
            continue;
        }
        let n = 4 + (h >> 8) % 57;
        f.versions = (1..=n)
            .map(|v| PublishedVersion {
                version: v.to_string(),
                runtime: f.runtime.clone(),
                last_modified: Some(days_before(now, (n - v) as i64 * 9 + 3)),
                environment: Some(f.environment.clone()),
                code_size_bytes: Some(f.code_size_bytes - (n - v) as i64 * 1_024),
            })
            .collect();
    }
}

/// Three chains worth a security engineer's morning.
fn dangerous_chains(inv: &mut Inventory, now: DateTime<Utc>) {
    // 1. A public function URL on a function whose role can pass any role (the old administrator
    //    included) to a new function and run it.
    let name = "growth-referral-webhook";
    let mut f = function(name, "us-east-1", &format!("{name}-role"), "nodejs20.x");
    f.last_modified = Some(days_before(now, 240));
    f.tags = Detail::collected(tags(&[("team", "growth"), ("owner", "growth-oncall")]));
    f.environment = vec![
        var(
            "PARTNER_API_TOKEN",
            "sk_live_51DemoOnlyNotARealKeyAbCdEf0123",
        ),
        var("DEPLOY_BUCKET", "growth-artifacts"),
    ];
    f.url = Detail::collected(Some(FunctionUrl {
        url: "https://x7k2q9referral.lambda-url.us-east-1.on.aws/".into(),
        auth_type: "NONE".into(),
        invoke_mode: Some("BUFFERED".into()),
        cors: Some(Cors {
            allow_origins: vec!["*".into()],
            allow_methods: vec!["POST".into()],
            ..Default::default()
        }),
    }));
    f.policy = Detail::collected(Some(public_url_policy(&f.arn)));
    let mut r = role(&format!("{name}-role"), Some("growth"));
    r.inline_policies.push(inline(
        "self-deploy",
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "DeployPreviews", "Effect": "Allow",
             "Action": ["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:UpdateFunctionCode", "iam:PassRole"],
             "Resource": "*"}]}),
    ));
    inv.roles.push(r);
    inv.functions.push(f);

    // 2. An unauthenticated REST route into a function running as the administrator role.
    let name = "payments-chargeback-api";
    let mut f = function(name, "us-east-1", "legacy-lambda-admin", "python3.9");
    f.last_modified = Some(days_before(now, 610));
    f.tags = Detail::collected(tags(&[("team", "payments")]));
    f.environment = vec![
        var("DB_PASSWORD", "Chargeback-Prod-2023!"),
        var(
            "DB_HOST",
            "payments-db.cluster-demo.us-east-1.rds.amazonaws.com",
        ),
        var("SECRET_NAME", "payments/chargeback"),
    ];
    inv.functions.push(f);

    // 3. A function that looks private ($LATEST has no URL and no policy) while its `live` alias,
    //    the one production traffic uses, serves a public URL: only the alias's own URL and
    //    policy show it.
    let name = "support-status-page";
    let mut f = function(name, "eu-west-1", &format!("{name}-role"), "python3.12");
    f.last_modified = Some(days_before(now, 45));
    f.tags = Detail::collected(tags(&[("team", "support"), ("owner", "support-oncall")]));
    f.policy = Detail::collected(None);
    f.url = Detail::collected(None);
    f.versions = vec![PublishedVersion {
        version: "7".into(),
        runtime: Some("python3.12".into()),
        last_modified: Some(days_before(now, 45)),
        environment: Some(Vec::new()),
        code_size_bytes: Some(f.code_size_bytes),
    }];
    let live = format!("{}:live", f.arn);
    f.aliases = Detail::collected(vec![Alias {
        name: "live".into(),
        arn: live.clone(),
        function_version: "7".into(),
        url: Detail::collected(Some(FunctionUrl {
            url: "https://q4m8status.lambda-url.eu-west-1.on.aws/".into(),
            auth_type: "NONE".into(),
            invoke_mode: Some("BUFFERED".into()),
            cors: None,
        })),
        policy: Detail::collected(Some(public_url_policy(&live))),
        async_invoke: Detail::collected(None),
    }]);
    inv.roles
        .push(own_role(name, &format!("{name}-role"), Some("support")));
    inv.functions.push(f);

    // 4. A URL made public the way most were before October 2025: one statement letting anyone
    //    call lambda:InvokeFunctionUrl, none for lambda:InvokeFunction. In an account that still
    //    has AWS's exception it answers the internet. Its environment holds credentials in the
    //    shapes a first redaction kept whole (digits, a PIN, a webhook whose path is the token),
    //    a reference that is not a secret, and version 3 still holds a token removed since.
    let name = "marketing-unsubscribe";
    let mut f = function(name, "us-east-1", &format!("{name}-role"), "nodejs20.x");
    f.last_modified = Some(days_before(now, 400));
    f.tags = Detail::collected(tags(&[("team", "marketing"), ("owner", "marketing-ops")]));
    f.environment = vec![
        var("ADMIN_PIN", DEMO_PIN),
        var("DB_PASSWORD", DEMO_DIGITS_PASSWORD),
        var("ALERT_WEBHOOK_URL", DEMO_WEBHOOK_URL),
        var("KMS_KEY_ALIAS", "alias/app-config"),
        var("LIST_TABLE", "marketing-subscribers"),
    ];
    let mut old_env = f.environment.clone();
    old_env.push(var("MAILER_API_TOKEN", DEMO_VERSION_TOKEN));
    old_env.sort_by(|a, b| a.name.cmp(&b.name));
    f.versions = vec![PublishedVersion {
        version: "3".into(),
        runtime: Some("nodejs18.x".into()),
        last_modified: Some(days_before(now, 520)),
        environment: Some(old_env),
        code_size_bytes: Some(f.code_size_bytes),
    }];
    f.aliases = Detail::collected(Vec::new());
    f.url = Detail::collected(Some(FunctionUrl {
        url: "https://m3u9unsub.lambda-url.us-east-1.on.aws/".into(),
        auth_type: "NONE".into(),
        invoke_mode: Some("BUFFERED".into()),
        cors: None,
    }));
    f.policy = Detail::collected(Some(legacy_public_url_policy(&f.arn)));
    inv.roles
        .push(own_role(name, &format!("{name}-role"), Some("marketing")));
    inv.functions.push(f);
}

/// Values planted in the demo so that tests can look for them in every output (none may appear).
pub const DEMO_PIN: &str = "482913";
pub const DEMO_DIGITS_PASSWORD: &str = "84736251";
pub const DEMO_WEBHOOK_URL: &str =
    "https://hooks.example.com/services/T0DEMO42/B0DEMO42/q8ZtR2mVx7LpN4sKw9HdJ3cY";
pub const DEMO_VERSION_TOKEN: &str = "mlr_9fK2xQ7vN3pL8sW4zR6tY1hB";
/// Every planted secret value of the demo, for the leak tests.
pub const PLANTED_SECRETS: &[&str] = &[
    DEMO_PIN,
    DEMO_DIGITS_PASSWORD,
    DEMO_WEBHOOK_URL,
    "q8ZtR2mVx7LpN4sKw9HdJ3cY",
    DEMO_VERSION_TOKEN,
    "sk_live_51DemoOnlyNotARealKeyAbCdEf0123",
    "Chargeback-Prod-2023!",
    "pk_live_demoDemoDemo1234567890",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYDEMOKEY0001",
    "demoDemoDemoDemoDemo0000",
    "-Pr0d-",
    ":s3cret-",
];

fn apis(inv: &mut Inventory) {
    let fa = |name: &str, inv: &Inventory| {
        inv.functions
            .iter()
            .find(|f| f.name == name)
            .or_else(|| inv.functions.iter().find(|f| f.name.starts_with(name)))
            .map(|f| f.arn.clone())
            .unwrap_or_default()
    };
    let payments_api = fa("payments-", inv);
    let chargeback = fa("payments-chargeback-api", inv);
    let orders = fa("orders-", inv);
    let identity = fa("identity-", inv);
    let authorizer = fa("identity-token", inv);
    let growth = fa("growth-", inv);

    inv.rest_apis.push(rest_api(
        "a1b2c3d4e5",
        "payments-public",
        "us-east-1",
        "REGIONAL",
        vec![
            (
                "/payments",
                "POST",
                "COGNITO_USER_POOLS",
                false,
                payments_api.as_str(),
            ),
            (
                "/payments/{id}",
                "GET",
                "COGNITO_USER_POOLS",
                false,
                payments_api.as_str(),
            ),
            (
                "/chargebacks/{id}",
                "GET",
                "NONE",
                false,
                chargeback.as_str(),
            ),
            ("/chargebacks", "POST", "NONE", true, chargeback.as_str()),
        ],
        Some(authorizer.as_str()),
        StageStyle::Loose,
    ));
    inv.rest_apis.push(rest_api(
        "f6g7h8i9j0",
        "orders-internal",
        "eu-west-1",
        "PRIVATE",
        vec![
            ("/orders", "GET", "AWS_IAM", false, orders.as_str()),
            ("/orders", "POST", "AWS_IAM", false, orders.as_str()),
        ],
        None,
        StageStyle::Strict,
    ));
    inv.http_apis.push(http_api(
        "k1l2m3n4o5",
        "identity",
        "eu-west-1",
        "HTTP",
        vec![
            ("GET /me", "JWT", identity.as_str()),
            ("POST /login", "NONE", identity.as_str()),
        ],
        true,
    ));
    inv.http_apis.push(http_api(
        "p6q7r8s9t0",
        "growth-edge",
        "us-east-1",
        "HTTP",
        vec![
            ("GET /r/{code}", "NONE", growth.as_str()),
            ("$default", "NONE", growth.as_str()),
        ],
        false,
    ));
    inv.http_apis.push(http_api(
        "u1v2w3x4y5",
        "notifications",
        "ap-southeast-2",
        "WEBSOCKET",
        vec![
            ("$connect", "AWS_IAM", growth.as_str()),
            ("sendmessage", "NONE", growth.as_str()),
        ],
        false,
    ));
}

fn secrets(inv: &mut Inventory, now: DateTime<Utc>, rng: &mut Rng) {
    for (i, team) in TEAMS.iter().enumerate() {
        for (j, what) in ["db", "api-key", "signing-key", "webhook"]
            .iter()
            .enumerate()
        {
            let region = REGIONS[(i + j) % 3];
            let mut s = secret(
                &format!("{team}/{what}"),
                region,
                &format!("{:06x}", rng.next() % 0xFF_FFFF),
            );
            s.created = Some(days_before(now, 200 + rng.below(900) as i64));
            match (i + j) % 6 {
                0 | 1 => {
                    s.rotation_enabled = true;
                    s.rotation_every_days = Some(30);
                    s.rotation_lambda_arn = inv.functions.first().map(|f| f.arn.clone());
                    s.last_rotated = Some(days_before(now, 5 + rng.below(20) as i64));
                }
                2 => {
                    s.rotation_enabled = true;
                    s.rotation_every_days = Some(90);
                    s.last_rotated = Some(days_before(now, 140 + rng.below(200) as i64));
                }
                _ => {}
            }
            s.last_accessed = Some(days_before(
                now,
                if j == 3 {
                    120 + rng.below(300) as i64
                } else {
                    rng.below(5) as i64
                },
            ));
            if j != 1 || i % 2 == 0 {
                s.tags = tags(&[("team", team)]);
            }
            if j == 2 {
                s.kms_key_id = Some(format!("arn:aws:kms:{region}:{ACCOUNT}:key/demo-secrets"));
            }
            inv.secrets.push(s);
        }
    }
    // One shared with a partner account, one readable by anyone.
    let mut partner = secret("payments/partner-sftp", "us-east-1", "Qw3rTy");
    partner.policy = Detail::collected(Some(json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
         "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}).into()));
    inv.secrets.push(partner);
    let mut public = secret("growth/feature-flags-key", "us-east-1", "Zx9Vb2");
    public.policy = Detail::collected(Some(
        json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "EveryoneCanRead", "Effect": "Allow", "Principal": "*",
         "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})
        .into(),
    ));
    inv.secrets.push(public);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 29: the demo shows what its functions run: PyYAML 5.3.1 critical behind the public
    /// chargeback API that runs as the administrator role, lower in an internal function; a
    /// malicious package; a layer's private key on every function that runs it.
    #[test]
    fn the_demo_shows_what_its_functions_run() {
        let a = snapshot();
        let found = |rule: &str, function: &str| {
            a.assessment
                .findings
                .iter()
                .find(|f| f.rule == rule && f.resource.ends_with(&format!(":{function}")))
                .map(|f| f.severity)
        };
        use crate::assess::Severity::{Critical, High};
        assert_eq!(
            found("lambda-code-vulnerable", "payments-chargeback-api"),
            Some(Critical)
        );
        assert_eq!(
            found("lambda-code-vulnerable", "growth-report-api"),
            Some(High)
        );
        assert_eq!(
            found("lambda-code-malicious", "growth-referral-webhook"),
            Some(Critical)
        );
        assert!(found("lambda-layer-secret", "payments-chargeback-api").is_some());
        assert!(found("lambda-layer-secret", "payments-image-sync").is_some());
        // Every function's code read, each package once.
        let inv = &a.inventory;
        assert!(inv.functions.iter().all(|f| f.code.is_collected()));
        assert!(
            inv.code.len() < inv.functions.len() / 3,
            "{}",
            inv.code.len()
        );
        let judged = a
            .assessment
            .not_assessed
            .iter()
            .filter(|n| n.rule.starts_with("lambda-code"));
        assert_eq!(judged.count(), 0);
    }

    /// Issue 28: the demo shows an event-injection path: a notifier fed by an SNS topic anyone
    /// may publish to, reported and the topic its first hop.
    #[test]
    fn the_demo_has_a_topic_anyone_may_publish_to() {
        let a = snapshot();
        assert_eq!(a.inventory.topics.len(), 2);
        let topic = a
            .inventory
            .topics
            .iter()
            .find(|t| t.arn.ends_with("-public-events"))
            .unwrap();
        let found: Vec<&crate::assess::Finding> = a
            .assessment
            .findings
            .iter()
            .filter(|f| f.rule == "lambda-source-public" && f.resource == topic.triggers[0])
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        let report = a
            .assessment
            .functions
            .iter()
            .find(|r| r.arn == topic.triggers[0])
            .unwrap();
        let chain = report.chain.get().unwrap();
        assert!(chain[0].label.contains("anyone may publish"), "{chain:?}");
    }

    /// Issue 28: the demo's partner topic lets another organization's account publish: a
    /// cross-account finding on its notifier, high in the demo organization (a stranger), and
    /// the function `injectable:accounts`.
    #[test]
    fn the_demo_has_a_topic_a_partner_may_publish_to() {
        let a = snapshot();
        let topic = a
            .inventory
            .topics
            .iter()
            .find(|t| t.arn.ends_with("-partner-events"))
            .unwrap();
        let found: Vec<&crate::assess::Finding> = a
            .assessment
            .findings
            .iter()
            .filter(|f| f.rule == "lambda-source-cross-account")
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        let found: Vec<&&crate::assess::Finding> = found
            .iter()
            .filter(|f| f.resource == topic.triggers[0])
            .collect();
        assert!(found[0].message.contains("444455556666"), "{found:?}");
        let report = a
            .assessment
            .functions
            .iter()
            .find(|r| r.arn == topic.triggers[0])
            .unwrap();
        assert_eq!(crate::assess::injectable(&report.entry_points), "accounts");
    }

    /// Issue 28: the demo's vendor bus lets another account (the sandbox's) put events on it, and
    /// a rule on it runs an auditor: a cross-account finding with the rule on its path.
    #[test]
    fn the_demo_has_a_bus_a_vendor_may_put_events_on() {
        let a = snapshot();
        assert_eq!(a.inventory.event_buses.len(), 1);
        let rule = &a.inventory.event_rules[0];
        let found: Vec<&crate::assess::Finding> = a
            .assessment
            .findings
            .iter()
            .filter(|f| f.rule == "lambda-source-cross-account" && f.resource == rule.triggers[0])
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.contains("777788889999")
                && found[0]
                    .message
                    .contains("-> EventBridge rule audit-events"),
            "{found:?}"
        );
    }

    /// Issue 28: the demo's upload bucket anyone may write to feeds an ingest function whose
    /// role has broad S3 and secret access: critical, the bucket its chain's first hop.
    #[test]
    fn the_demo_has_a_bucket_anyone_may_upload_to() {
        let a = snapshot();
        assert_eq!(a.inventory.buckets.len(), 1);
        let bucket = &a.inventory.buckets[0];
        let found: Vec<&crate::assess::Finding> = a
            .assessment
            .findings
            .iter()
            .filter(|f| f.rule == "lambda-source-public" && f.resource == bucket.triggers[0])
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, crate::assess::Severity::Critical);
        let report = a
            .assessment
            .functions
            .iter()
            .find(|r| r.arn == bucket.triggers[0])
            .unwrap();
        let chain = report.chain.get().unwrap();
        assert!(
            chain[0]
                .label
                .contains("S3 bucket data-partner-uploads: anyone may upload"),
            "{chain:?}"
        );
    }

    /// Issue 28: the demo's customer pool lets anyone sign up, and its PreSignUp trigger runs a
    /// validator whose role may write the pool's users: anyone chooses its events.
    #[test]
    fn the_demo_has_a_user_pool_anyone_may_sign_up_to() {
        let a = snapshot();
        assert_eq!(a.inventory.user_pools.len(), 1);
        let pool = &a.inventory.user_pools[0];
        let found: Vec<&crate::assess::Finding> = a
            .assessment
            .findings
            .iter()
            .filter(|f| f.rule == "lambda-source-public" && f.resource == pool.triggers[0])
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.contains("anyone may sign up to user pool"),
            "{found:?}"
        );
        let report = a
            .assessment
            .functions
            .iter()
            .find(|r| r.arn == pool.triggers[0])
            .unwrap();
        assert_eq!(crate::assess::injectable(&report.entry_points), "anyone");
    }

    #[test]
    fn the_demo_is_deterministic_and_realistic() {
        let a = snapshot();
        let b = snapshot();
        assert_eq!(a.to_json(), b.to_json(), "same bytes every time");
        let inv = &a.inventory;
        assert!(inv.functions.len() >= 250, "{}", inv.functions.len());
        for r in REGIONS {
            assert!(inv.functions.iter().any(|f| f.region == r));
        }
        let assessment = &a.assessment;
        let top: Vec<&str> = assessment
            .functions
            .iter()
            .take(2)
            .map(|f| f.name.as_str())
            .collect();
        assert!(top.contains(&"growth-referral-webhook"), "{top:?}");
        assert!(top.contains(&"payments-chargeback-api"), "{top:?}");
        let rules: std::collections::BTreeSet<&str> = assessment
            .findings
            .iter()
            .map(|f| f.rule.as_str())
            .collect();
        for rule in [
            "lambda-url-public",
            "apigw-rest-method-open",
            "iam-role-admin",
            "iam-role-privilege-escalation",
            "lambda-runtime-deprecated",
            "lambda-env-secret",
            "secret-policy-public",
            "secret-rotation-overdue",
            // With metrics, the forgotten are known idle, and the rest have runtime evidence.
            "lambda-idle",
            "lambda-timeout-over-duration",
            "lambda-error-rate-high",
            "lambda-throttled",
            "lambda-public-no-alarm",
            "lambda-no-log-group",
            "lambda-logs-never-expire",
            "lambda-logs-no-cmk",
            "iam-role-unused-services",
            "iam-role-shared",
            "iam-role-unused",
            "lambda-untagged",
        ] {
            assert!(rules.contains(rule), "the demo shows {rule}");
        }
        assert!(
            !assessment.not_assessed.is_empty(),
            "and what could not be assessed"
        );
    }
}
