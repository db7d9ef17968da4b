//! Every rule fires on a case built to trip it, and stays quiet on a near miss built to bait it.
//! The clean inventory (`inventory.rs` beside this file) trips nothing at all.

mod inventory;

use inventory::*;
use serde_json::json;
use sprawl_assess::{Assessment, Score, Severity, assess, rules};
use sprawl_iam::guardrails::{Bounds, Guard};
use sprawl_model::*;

type Mutate = fn(&mut Inventory);

struct Case {
    rule: &'static str,
    fires: Mutate,
    quiet: Mutate,
}

/// Assessed within an organization of this account and one other, `210987654321`
/// (`shared-services`): every other account is outside it. Roles of another account that a
/// case puts in the inventory are that account's: the edges into them are found as `scan
/// --org` finds them, and the inventory assessed keeps only this account's roles.
fn run(inv: &Inventory) -> Assessment {
    run_under(inv, &Err("not read".into()))
}

/// [`run`] with the SCPs `bounds` over every account of the case (this one and the others).
fn run_under(inv: &Inventory, bounds: &Result<Option<Bounds>, String>) -> Assessment {
    run_with_crossings(inv, bounds).0
}

/// [`run_under`], with the edges between the case's accounts it was assessed within.
fn run_with_crossings(
    inv: &Inventory,
    bounds: &Result<Option<Bounds>, String>,
) -> (Assessment, sprawl_assess::paths::Crossings) {
    use sprawl_assess::paths::{AccountRoles, Crossings, cross_account_edges, users_of};
    let guard = || Guard::from(bounds);
    let members = organization();
    let of = |arn: &str| arn.split(':').nth(4).unwrap_or_default().to_string();
    let mut this = inv.clone();
    this.roles.retain(|r| of(&r.arn) == ACCOUNT);
    this.secrets.retain(|s| of(&s.arn) == ACCOUNT);
    this.functions.retain(|f| of(&f.arn) == ACCOUNT);
    type Theirs = (Vec<Role>, Vec<Secret>, Vec<Function>);
    let mut others: std::collections::BTreeMap<String, Theirs> = Default::default();
    for f in inv.functions.iter().filter(|f| of(&f.arn) != ACCOUNT) {
        others.entry(of(&f.arn)).or_default().2.push(f.clone());
    }
    for r in inv.roles.iter().filter(|r| of(&r.arn) != ACCOUNT) {
        others.entry(of(&r.arn)).or_default().0.push(r.clone());
    }
    for s in inv.secrets.iter().filter(|s| of(&s.arn) != ACCOUNT) {
        others.entry(of(&s.arn)).or_default().1.push(s.clone());
    }
    let writes = sprawl_assess::sources::foreign_writes(&this, ACCOUNT);
    let accounts: Vec<AccountRoles> = std::iter::once(AccountRoles {
        account: ACCOUNT,
        roles: &this.roles,
        guard: guard(),
        secrets: &this.secrets,
        functions: &this.functions,
        sources: &writes,
    })
    .chain(
        others
            .iter()
            .map(|(account, (roles, secrets, functions))| AccountRoles {
                account,
                roles,
                guard: guard(),
                secrets,
                functions,
                sources: &[],
            }),
    )
    .collect();
    let found = cross_account_edges(&accounts, Some(&members), now());
    // The functions of the other accounts anyone can invoke, as an organization's scan finds
    // them: a chain from one is a way in from anyone.
    let public: Vec<String> = others
        .iter()
        .flat_map(|(account, (roles, _, functions))| {
            let theirs = Inventory {
                functions: functions.clone(),
                roles: roles.clone(),
                ..Default::default()
            };
            sprawl_assess::reach::public_functions(&theirs, account, |_| true)
        })
        .collect();
    let crossings = Crossings::new(&found, &users_of(&inv.functions, |_| true))
        .with_scanned(accounts.iter().map(|a| a.account.to_string()))
        .with_public(public);
    let a = sprawl_assess::assess_in(
        &this,
        &Coverage::default(),
        ACCOUNT,
        now(),
        sprawl_assess::Within {
            members: Some(&members),
            crossings: Some(&crossings),
            guard: guard(),
        },
    );
    (a, crossings)
}

/// The account of the organization besides this one.
const SHARED: &str = "210987654321";

/// A role `name` in the shared-services account, with `statements` of its own and trusting
/// as `trust` says; the function `api`'s role may call `sts:AssumeRole` on it.
fn shared_role(
    inv: &mut Inventory,
    name: &str,
    statements: serde_json::Value,
    trust: serde_json::Value,
) {
    inv.roles.push(role_in(SHARED, name, statements, trust));
    grant(
        inv,
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
               "Resource": format!("arn:aws:iam::{SHARED}:role/{name}")}]}),
    );
}

/// A trust statement admitting this account (its root), with `condition` if given.
fn admits_this_account(condition: Option<serde_json::Value>) -> serde_json::Value {
    let mut st = json!({"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "sts:AssumeRole"});
    if let Some(c) = condition {
        st["Condition"] = c;
    }
    json!([st])
}

fn organization() -> sprawl_iam::members::Members {
    sprawl_iam::members::Members {
        id: Some("o-test".into()),
        accounts: [
            (ACCOUNT.to_string(), Some("this".to_string())),
            (
                "210987654321".to_string(),
                Some("shared-services".to_string()),
            ),
            (PROD.to_string(), Some("prod".to_string())),
        ]
        .into(),
        paths: Default::default(),
        // The organization's management account.
        management: Some(PROD.to_string()),
    }
}

/// A third account of the organization.
const PROD: &str = "444455556666";

/// A coverage in which one listing failed (after `items` resources, for a halfway failure).
fn failed_listing(service: &str, operation: &str, items: u64) -> Coverage {
    Coverage {
        entries: vec![CoverageEntry {
            service: service.into(),
            region: REGION.into(),
            operation: operation.into(),
            succeeded: u64::from(items > 0),
            failed: 1,
            items,
            skipped: 0,
            failure: Some(Failure {
                kind: FailureKind::AccessDenied,
                message: "not authorized".into(),
            }),
        }],
    }
}

/// A failed listing is never "nothing there": what rests on it is not assessed and the scores
/// it feeds are partial, whether it failed at its first page or halfway.
#[test]
fn a_failed_listing_is_not_assessed_never_nothing_there() {
    // An old function nothing visibly drives: lambda-forgotten fires when every listing worked.
    let mut inv = clean();
    let mut f = clean_function("old-report", "api-role");
    f.last_modified = Some("2024-01-01T00:00:00.000+0000".into());
    f.activity = Detail::skipped("metrics not read");
    inv.functions.push(f);
    inv.sort();
    let old = function_arn("old-report");
    assert!(
        run(&inv)
            .findings
            .iter()
            .any(|f| f.rule == "lambda-forgotten" && f.resource == old)
    );
    for items in [0, 3] {
        for (service, operation, unknown) in [
            ("lambda", "ListEventSourceMappings", "lambda-forgotten"),
            ("apigateway", "GetRestApis", "lambda-forgotten"),
            ("apigatewayv2", "GetApis", "lambda-forgotten"),
            ("secretsmanager", "ListSecrets", "lambda-forgotten"),
        ] {
            let a = assess(
                &inv,
                &failed_listing(service, operation, items),
                ACCOUNT,
                now(),
            );
            let what = format!("{operation} at {items} items");
            assert!(
                !a.findings
                    .iter()
                    .any(|f| f.rule == unknown && f.resource == old),
                "{what}: {unknown} passed judgement"
            );
            let n = a
                .not_assessed
                .iter()
                .find(|n| n.rule == unknown && n.resource == old)
                .unwrap_or_else(|| panic!("{what}: {unknown} is not marked not assessed"));
            assert!(n.reason.contains(operation), "{what}: {}", n.reason);
            // Every function of the region has a partial score: its exposure or data is unknown.
            assert!(a.functions.iter().all(|f| f.score.partial), "{what}");
        }
        // No function listed in a region: every function rule is not assessed for what is
        // missing there, and a role's users are unknown.
        let a = assess(
            &inv,
            &failed_listing("lambda", "ListFunctions", items),
            ACCOUNT,
            now(),
        );
        let missing = format!("functions in {REGION}");
        for rule in ["lambda-env-secret", "lambda-url-public", "lambda-forgotten"] {
            assert!(
                a.not_assessed
                    .iter()
                    .any(|n| n.rule == rule && n.resource == missing),
                "{rule} for {missing}"
            );
        }
        assert!(
            a.not_assessed
                .iter()
                .any(|n| n.rule == "iam-role-unused" || n.rule == "iam-role-shared"),
            "a role's users are unknown"
        );
        // The same for secrets and APIs.
        for (service, operation, rule, missing) in [
            (
                "secretsmanager",
                "ListSecrets",
                "secret-rotation-disabled",
                "secrets",
            ),
            (
                "apigateway",
                "GetRestApis",
                "apigw-rest-method-open",
                "REST APIs",
            ),
            (
                "apigatewayv2",
                "GetApis",
                "apigw-http-route-open",
                "HTTP APIs",
            ),
        ] {
            let a = assess(
                &inv,
                &failed_listing(service, operation, items),
                ACCOUNT,
                now(),
            );
            let missing = format!("{missing} in {REGION}");
            assert!(
                a.not_assessed.iter().any(|n| n.rule == rule
                    && n.resource == missing
                    && n.reason.contains("not authorized")),
                "{rule} for {missing}: {:?}",
                a.not_assessed
            );
        }
    }
    // Per-resource calls that failed are not listing gaps.
    let a = assess(
        &inv,
        &failed_listing("lambda", "GetPolicy", 0),
        ACCOUNT,
        now(),
    );
    assert!(
        a.findings
            .iter()
            .any(|f| f.rule == "lambda-forgotten" && f.resource == old)
    );
}

fn api(inv: &mut Inventory) -> &mut Function {
    inv.functions.iter_mut().find(|f| f.name == "api").unwrap()
}

/// `scan --code` read `api`'s package, and it holds `audit` (the layer it runs read too, clean,
/// as a scan with `--code` reads it).
fn code_read(inv: &mut Inventory, audit: sprawl_model::code::CodeAudit) {
    layer_read(inv, sprawl_model::code::CodeAudit::default());
    let sha = api(inv).code_sha256.clone().unwrap();
    api(inv).code = Detail::collected(sha.clone());
    inv.code.insert(sha, audit);
}

/// `scan --code` read `api`'s package (clean) and the layer it runs, which holds `audit`.
fn layer_read(inv: &mut Inventory, audit: sprawl_model::code::CodeAudit) {
    let arn = api(inv).layers[0].clone();
    let sha = api(inv).code_sha256.clone().unwrap();
    api(inv).code = Detail::collected(sha.clone());
    inv.code.entry(sha).or_default();
    inv.layer_code = vec![sprawl_model::LayerCode {
        arn,
        region: REGION.into(),
        code_size_bytes: 400,
        code: Detail::collected("layer-sha256".into()),
    }];
    inv.code.insert("layer-sha256".into(), audit);
}

/// `api`'s package carries PyYAML 5.3.1, judged by a database that holds `advisories` for it.
fn runs_pyyaml(inv: &mut Inventory, advisories: Vec<sprawl_model::code::Advisory>) {
    let package = sprawl_model::code::Package {
        ecosystem: sprawl_model::code::Ecosystem::PyPI,
        name: "PyYAML".into(),
        version: "5.3.1".into(),
        purl: "pkg:pypi/pyyaml@5.3.1".into(),
        path: "PyYAML-5.3.1.dist-info/METADATA".into(),
    };
    code_read(
        inv,
        sprawl_model::code::CodeAudit {
            packages: vec![package],
            ..Default::default()
        },
    );
    inv.advisories = Some(sprawl_model::code::Advisories {
        database: sprawl_model::code::Provenance {
            ecosystems: vec!["PyPI".into()],
            advisories: 2,
            newest: Some("2026-11-30T00:00:00Z".into()),
            ..Default::default()
        },
        by_purl: [("pkg:pypi/pyyaml@5.3.1".to_string(), advisories)].into(),
    });
}

/// An advisory rated `rating`, malicious or not.
fn advisory(id: &str, rating: &str, malicious: bool) -> sprawl_model::code::Advisory {
    sprawl_model::code::Advisory {
        id: id.into(),
        aliases: Vec::new(),
        summary: "canned".into(),
        rating: Some(rating.into()),
        fixed: (!malicious).then(|| "5.4".into()),
        malicious,
    }
}

/// An audit whose files hold one secret found by `rule` (`vendored`: in a dependency's files).
fn secret_in_code(rule: &str, vendored: bool) -> sprawl_model::code::CodeAudit {
    sprawl_model::code::CodeAudit {
        secrets: vec![sprawl_model::code::SecretHit {
            rule: rule.into(),
            path: "app/config.py".into(),
            line: 3,
            fingerprint: "fp-1".into(),
            vendored,
        }],
        ..Default::default()
    }
}

fn api_role(inv: &mut Inventory) -> &mut Role {
    inv.roles.iter_mut().find(|r| r.name == "api-role").unwrap()
}

fn rest(inv: &mut Inventory) -> &mut RestApi {
    &mut inv.rest_apis[0]
}

fn rest_stage(inv: &mut Inventory) -> &mut RestStage {
    match &mut inv.rest_apis[0].stages {
        Detail::Collected { value } => &mut value[0],
        _ => unreachable!(),
    }
}

/// The REST API as the collector leaves it when no method uses an authorizer: each method's
/// authorization NONE (the GET's was its authorizer), the authorizers not read.
fn no_authorizers(inv: &mut Inventory) {
    let api = rest(inv);
    if let Detail::Collected { value } = &mut api.resources {
        for m in value.iter_mut().flat_map(|r| r.methods.iter_mut()) {
            m.authorizer_id = None;
            m.authorization_type = Some("NONE".into());
        }
    }
    api.authorizers = Detail::skipped("no method uses an authorizer");
}

fn rest_method(inv: &mut Inventory) -> &mut RestMethod {
    match &mut inv.rest_apis[0].resources {
        Detail::Collected { value } => &mut value[0].methods[0],
        _ => unreachable!(),
    }
}

fn http(inv: &mut Inventory) -> &mut HttpApi {
    &mut inv.http_apis[0]
}

fn http_stage(inv: &mut Inventory) -> &mut HttpStage {
    match &mut inv.http_apis[0].stages {
        Detail::Collected { value } => &mut value[0],
        _ => unreachable!(),
    }
}

fn route(inv: &mut Inventory) -> &mut Route {
    match &mut inv.http_apis[0].routes {
        Detail::Collected { value } => &mut value[0],
        _ => unreachable!(),
    }
}

fn secret(inv: &mut Inventory) -> &mut Secret {
    &mut inv.secrets[0]
}

/// A role trusting `trusted` (a role name, or the account's root with `root`), and an
/// administrator role trusting it in turn: `deployer` then `admin`. `condition` goes on the
/// deployer's trust statement.
fn chain(inv: &mut Inventory, trusted: &str, condition: Option<serde_json::Value>) {
    let trust = |principal: String, condition: Option<serde_json::Value>| {
        let mut st =
            json!({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"});
        if let Some(c) = condition {
            st["Condition"] = c;
        }
        json!({"Version": "2012-10-17", "Statement": [st]}).into()
    };
    let principal = if trusted == "root" {
        format!("arn:aws:iam::{ACCOUNT}:root")
    } else {
        role_arn(trusted)
    };
    let mut deployer = clean_role("deployer");
    deployer.trust_policy = Some(trust(principal, condition));
    deployer.inline_policies.clear();
    let mut admin = clean_role("admin");
    admin.trust_policy = Some(trust(role_arn("deployer"), None));
    admin.inline_policies = vec![InlinePolicy {
        name: "all".into(),
        document: allow(json!("*"), "*").into(),
    }];
    inv.roles.extend([deployer, admin]);
}

/// The function's role trusts account `id` besides Lambda.
fn trust_account(inv: &mut Inventory, id: &str) {
    api_role(inv).trust_policy = Some(
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{id}:root")}, "Action": "sts:AssumeRole"}]})
        .into(),
    );
}

fn grant(inv: &mut Inventory, doc: serde_json::Value) {
    api_role(inv).inline_policies.push(InlinePolicy {
        name: "extra".into(),
        document: doc.into(),
    });
}

fn allow(actions: serde_json::Value, resource: &str) -> serde_json::Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]})
}

fn set_policy(inv: &mut Inventory, statements: serde_json::Value) {
    api(inv).policy = Detail::collected(Some(
        json!({"Version": "2012-10-17", "Statement": statements}).into(),
    ));
}

/// An SNS topic of this account with `policy`, which `api`'s resource policy lets invoke it, as
/// a scan reads them: the permission names the topic, and the topic lists what it triggers.
fn fed_by_topic(inv: &mut Inventory, policy: Detail<Option<sprawl_model::PolicyDocument>>) {
    fed_by_topic_of(inv, ACCOUNT, policy);
}

/// [`fed_by_topic`], the topic being `owner`'s (a function may subscribe to another account's
/// topic).
fn fed_by_topic_of(
    inv: &mut Inventory,
    owner: &str,
    policy: Detail<Option<sprawl_model::PolicyDocument>>,
) {
    let topic = format!("arn:aws:sns:{REGION}:{owner}:orders-events");
    set_policy(
        inv,
        json!([{"Sid": "orders", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "lambda:InvokeFunction", "Resource": function_arn("api"),
                "Condition": {"ArnLike": {"AWS:SourceArn": topic}}}]),
    );
    inv.topics = vec![sprawl_model::Topic {
        arn: topic,
        region: REGION.into(),
        triggers: vec![function_arn("api")],
        feeds: Vec::new(),
        policy,
        kms_key_id: Detail::collected(None),
        subscriptions: Detail::collected(vec![sprawl_model::Subscription {
            protocol: "lambda".into(),
            endpoint: function_arn("api"),
        }]),
    }];
}

/// A resource policy of one statement, as a scan reads it: `principal` may do `action` on
/// `resource`, under `condition` when given.
fn resource_policy(
    action: serde_json::Value,
    resource: String,
    principal: serde_json::Value,
    condition: Option<serde_json::Value>,
) -> Detail<Option<sprawl_model::PolicyDocument>> {
    let mut st = json!({"Sid": "write", "Effect": "Allow", "Principal": principal, "Action": action,
                        "Resource": resource});
    if let Some(c) = condition {
        st["Condition"] = c;
    }
    Detail::collected(Some(
        json!({"Version": "2012-10-17", "Statement": [st]}).into(),
    ))
}

/// A topic policy: `principal` may publish, under `condition` when given.
fn topic_policy(
    principal: serde_json::Value,
    condition: Option<serde_json::Value>,
) -> Detail<Option<sprawl_model::PolicyDocument>> {
    let topic = format!("arn:aws:sns:{REGION}:{ACCOUNT}:orders-events");
    resource_policy(json!("SNS:Publish"), topic, principal, condition)
}

const BUCKET: &str = "arn:aws:s3:::orders-uploads";

/// An S3 bucket of this account that notifies `api`, which `api`'s resource policy lets invoke
/// it (scoped to the bucket and its account), as a scan reads them: no policy, a private ACL, no
/// Block Public Access and ACLs in force, unless `with` says otherwise.
fn fed_by_bucket(inv: &mut Inventory, with: impl FnOnce(&mut sprawl_model::Bucket)) {
    set_policy(
        inv,
        json!([{"Sid": "uploads", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                "Action": "lambda:InvokeFunction", "Resource": function_arn("api"),
                "Condition": {"ArnLike": {"AWS:SourceArn": BUCKET},
                              "StringEquals": {"AWS:SourceAccount": ACCOUNT}}}]),
    );
    let mut b = sprawl_model::Bucket {
        name: "orders-uploads".into(),
        arn: BUCKET.into(),
        region: Detail::collected(REGION.into()),
        triggers: vec![function_arn("api")],
        feeds: Vec::new(),
        notifications: Detail::collected(sprawl_model::BucketNotifications {
            functions: vec![function_arn("api")],
            ..Default::default()
        }),
        policy: Detail::collected(None),
        acl: Detail::collected(vec![sprawl_model::AclGrant {
            grantee: "0123456789abcdef-owner".into(),
            permission: "FULL_CONTROL".into(),
        }]),
        public_access_block: Detail::collected(None),
        account_public_access_block: Detail::collected(None),
        ownership: Detail::collected(None),
    };
    with(&mut b);
    inv.buckets = vec![b];
}

/// An event source mapping by which `api` polls `source` (a stream's starts at `position`).
fn polls(inv: &mut Inventory, source: &str, position: Option<&str>) {
    inv.event_source_mappings.push(EventSourceMapping {
        uuid: format!(
            "{}-mapping",
            source.rsplit([':', '/']).next().unwrap_or("source")
        ),
        region: REGION.into(),
        function_arn: function_arn("api"),
        source_arn: Some(source.to_string()),
        state: Some("Enabled".into()),
        batch_size: Some(10),
        maximum_batching_window_seconds: None,
        starting_position: position.map(str::to_string),
        has_filter_criteria: false,
        on_failure_destination: None,
    });
}

fn queue_arn() -> String {
    format!("arn:aws:sqs:{REGION}:{ACCOUNT}:orders-queue")
}

/// An SQS queue of this account with `policy` that `api` polls through an event source mapping,
/// as a scan reads them.
fn fed_by_queue(inv: &mut Inventory, policy: Detail<Option<sprawl_model::PolicyDocument>>) {
    let queue = queue_arn();
    polls(inv, &queue, None);
    inv.queues = vec![sprawl_model::Queue {
        arn: queue,
        region: REGION.into(),
        triggers: vec![function_arn("api")],
        policy,
        kms_key_id: Detail::collected(None),
    }];
}

/// A Kinesis stream of this account with `policy` that `api` polls through an event source
/// mapping, as a scan reads them.
fn fed_by_stream(inv: &mut Inventory, policy: Detail<Option<sprawl_model::PolicyDocument>>) {
    let stream = format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/clicks");
    polls(inv, &stream, Some("LATEST"));
    let policy = match policy {
        Detail::Collected { value: Some(_) } => {
            resource_policy(json!("kinesis:PutRecord"), stream.clone(), json!("*"), None)
        }
        other => other,
    };
    inv.streams = vec![sprawl_model::Stream {
        arn: stream,
        region: REGION.into(),
        triggers: vec![function_arn("api")],
        policy,
    }];
}

/// `api`'s resource policy lets `principal` (a service) invoke it from `source`, as a scan reads it.
fn pushed_by(inv: &mut Inventory, principal: &str, source: &str) {
    set_policy(
        inv,
        json!([{"Sid": "push", "Effect": "Allow", "Principal": {"Service": principal},
                "Action": "lambda:InvokeFunction", "Resource": function_arn("api"),
                "Condition": {"ArnLike": {"AWS:SourceArn": source}}}]),
    );
}

/// A user pool whose PreSignUp trigger runs `api`, open to sign-up or not.
fn fed_by_pool(inv: &mut Inventory, self_sign_up: bool) {
    let pool = format!("arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{REGION}_customers");
    pushed_by(inv, "cognito-idp.amazonaws.com", &pool);
    inv.user_pools = vec![sprawl_model::UserPool {
        arn: pool,
        region: REGION.into(),
        triggers: vec![function_arn("api")],
        name: Some("customers".into()),
        self_sign_up: Detail::collected(self_sign_up),
        lambda_triggers: Detail::collected(vec![sprawl_model::PoolTrigger {
            event: "PreSignUp".into(),
            function: function_arn("api"),
        }]),
    }];
}

/// The pool's trigger that runs `api` is `event`'s.
fn pool_trigger(inv: &mut Inventory, event: &str) {
    inv.user_pools[0].lambda_triggers = Detail::collected(vec![sprawl_model::PoolTrigger {
        event: event.into(),
        function: function_arn("api"),
    }]);
}

/// An SES receipt rule whose Lambda action invokes `api`, enabled or not.
fn fed_by_mail(inv: &mut Inventory, enabled: bool) {
    let rule =
        format!("arn:aws:ses:{REGION}:{ACCOUNT}:receipt-rule-set/inbound:receipt-rule/support");
    pushed_by(inv, "ses.amazonaws.com", &rule);
    inv.mail_rules = vec![sprawl_model::MailRule {
        arn: rule,
        region: REGION.into(),
        triggers: vec![function_arn("api")],
        enabled: Detail::collected(enabled),
        recipients: vec!["support@example.com".into()],
    }];
}

/// An IoT topic rule whose Lambda action invokes `api` (or, when `invokes` is false, another
/// function: the permission is left over).
fn fed_by_iot(inv: &mut Inventory, invokes: bool) {
    let rule = format!("arn:aws:iot:{REGION}:{ACCOUNT}:rule/telemetry");
    pushed_by(inv, "iot.amazonaws.com", &rule);
    let target = if invokes {
        function_arn("api")
    } else {
        function_arn("worker")
    };
    inv.iot_rules = vec![sprawl_model::IotRule {
        arn: rule,
        region: REGION.into(),
        triggers: vec![function_arn("api")],
        sql: Detail::collected(Some("SELECT * FROM 'devices/+/telemetry'".into())),
        disabled: Detail::collected(false),
        functions: Detail::collected(vec![target]),
    }];
}

/// How an identity pool's unauthenticated identities get `guest-role`: as the pool's own
/// unauthenticated role, through its basic flow alone, or not at all.
#[derive(Clone, Copy)]
enum GuestsBy {
    Own,
    Classic,
    Neither,
}

/// `api` fed by [`fed_by_iot`]'s rule, and an identity pool of its region that gives
/// unauthenticated identities credentials (or not), with `guest-role`: its trust admits the
/// pool's identities whose `amr` matches, and it may connect and publish to `topics`.
fn iot_guests(inv: &mut Inventory, unauthenticated: bool, by: GuestsBy, amr: &str, topics: &str) {
    fed_by_iot(inv, true);
    guest_pool(
        inv,
        unauthenticated,
        by,
        amr,
        json!([
            {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
            {"Sid": "Telemetry", "Effect": "Allow", "Action": "iot:Publish",
             "Resource": format!("arn:aws:iot:{REGION}:{ACCOUNT}:topic/{topics}")}
        ]),
    );
}

/// An identity pool of the account that gives unauthenticated identities credentials (or not),
/// with `guest-role`: its trust admits the pool's identities whose `amr` matches, and its own
/// policy is `statements`.
fn guest_pool(
    inv: &mut Inventory,
    unauthenticated: bool,
    by: GuestsBy,
    amr: &str,
    statements: serde_json::Value,
) {
    let id = format!("{REGION}:4a1b0c2d-guests");
    inv.roles.push(role_in(
        ACCOUNT,
        "guest-role",
        statements,
        json!([{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": id},
                              "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}}}]),
    ));
    let role = format!("arn:aws:iam::{ACCOUNT}:role/guest-role");
    inv.identity_pools = vec![sprawl_model::IdentityPools {
        region: REGION.into(),
        pools: Detail::collected(vec![sprawl_model::IdentityPool {
            id,
            name: "telemetry-app".into(),
            unauthenticated: Detail::collected(unauthenticated),
            classic_flow: Detail::collected(matches!(by, GuestsBy::Classic)),
            unauthenticated_role: Detail::collected(match by {
                GuestsBy::Own => Some(role),
                _ => None,
            }),
        }]),
    }];
}

/// A guest role (of [`guest_pool`], got `by`) that may do `action` on every resource.
fn guest_may(inv: &mut Inventory, by: GuestsBy, action: &str) {
    guest_pool(
        inv,
        true,
        by,
        "unauthenticated",
        json!([{"Sid": "AppWrites", "Effect": "Allow", "Action": action, "Resource": "*"}]),
    );
}

fn bus_arn() -> String {
    format!("arn:aws:events:{REGION}:{ACCOUNT}:event-bus/orders-bus")
}

/// An EventBridge rule on a custom bus with `policy`, which `api`'s resource policy lets invoke
/// it, in `state`, as a scan reads them.
fn fed_by_rule(
    inv: &mut Inventory,
    policy: Detail<Option<sprawl_model::PolicyDocument>>,
    state: &str,
) {
    let rule = format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/orders-bus/created");
    set_policy(
        inv,
        json!([{"Sid": "events", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                "Action": "lambda:InvokeFunction", "Resource": function_arn("api"),
                "Condition": {"ArnLike": {"AWS:SourceArn": rule}}}]),
    );
    inv.event_rules = vec![sprawl_model::EventRule {
        arn: rule,
        region: REGION.into(),
        bus: bus_arn(),
        triggers: vec![function_arn("api")],
        feeds: Vec::new(),
        state: Detail::collected(Some(state.into())),
        pattern: Detail::collected(Some(r#"{"source": ["orders"]}"#.into())),
    }];
    inv.event_buses = vec![sprawl_model::EventBus {
        arn: bus_arn(),
        region: REGION.into(),
        policy,
    }];
}

/// The same rule targeting a queue `api` polls (the queue's policy lets the rule send), rather
/// than the function itself: bus -> rule -> queue -> function.
fn fed_by_rule_through_queue(
    inv: &mut Inventory,
    policy: Detail<Option<sprawl_model::PolicyDocument>>,
) {
    fed_by_rule(inv, policy, "ENABLED");
    let rule = inv.event_rules[0].arn.clone();
    set_policy(inv, json!([]));
    fed_by_queue(
        inv,
        queue_policy(
            json!({"Service": "events.amazonaws.com"}),
            Some(json!({"ArnEquals": {"aws:SourceArn": rule}})),
        ),
    );
    inv.event_rules[0].triggers.clear();
    inv.event_rules[0].feeds = vec![queue_arn()];
}

/// A bucket anyone may upload to whose events reach `api` through the account's default bus: a
/// rule there selects its S3 events by name; `eventbridge` is the bucket's switch that sends
/// them.
fn fed_through_eventbridge(inv: &mut Inventory, eventbridge: bool) {
    let rule = format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/orders-uploaded");
    fed_by_bucket(inv, |b| {
        b.policy = bucket_policy(json!("*"), None);
        b.triggers.clear();
        b.feeds = vec![rule.clone()];
        b.notifications = Detail::collected(sprawl_model::BucketNotifications {
            eventbridge,
            ..Default::default()
        });
    });
    set_policy(
        inv,
        json!([{"Sid": "events", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                "Action": "lambda:InvokeFunction", "Resource": function_arn("api"),
                "Condition": {"ArnLike": {"AWS:SourceArn": rule}}}]),
    );
    let bus = format!("arn:aws:events:{REGION}:{ACCOUNT}:event-bus/default");
    inv.event_rules = vec![sprawl_model::EventRule {
        arn: rule,
        region: REGION.into(),
        bus: bus.clone(),
        triggers: vec![function_arn("api")],
        feeds: Vec::new(),
        state: Detail::collected(Some("ENABLED".into())),
        pattern: Detail::collected(Some(
            r#"{"source": ["aws.s3"], "detail": {"bucket": {"name": ["orders-uploads"]}}}"#.into(),
        )),
    }];
    inv.event_buses = vec![sprawl_model::EventBus {
        arn: bus,
        region: REGION.into(),
        policy: Detail::collected(None),
    }];
}

fn bus_policy(principal: serde_json::Value) -> Detail<Option<sprawl_model::PolicyDocument>> {
    resource_policy(json!("events:PutEvents"), bus_arn(), principal, None)
}

/// A queue policy: `principal` may send, under `condition` when given.
fn queue_policy(
    principal: serde_json::Value,
    condition: Option<serde_json::Value>,
) -> Detail<Option<sprawl_model::PolicyDocument>> {
    resource_policy(json!("sqs:SendMessage"), queue_arn(), principal, condition)
}

/// A bucket policy: `principal` may upload, under `condition` when given.
fn bucket_policy(
    principal: serde_json::Value,
    condition: Option<serde_json::Value>,
) -> Detail<Option<sprawl_model::PolicyDocument>> {
    let objects = format!("{BUCKET}/*");
    resource_policy(
        json!(["s3:PutObject", "s3:GetObject"]),
        objects,
        principal,
        condition,
    )
}

/// An ACL grant of `permission` to everyone.
fn all_users(permission: &str) -> sprawl_model::AclGrant {
    sprawl_model::AclGrant {
        grantee: "http://acs.amazonaws.com/groups/global/AllUsers".into(),
        permission: permission.into(),
    }
}

fn block(
    ignore_public_acls: bool,
    restrict_public_buckets: bool,
) -> Detail<Option<sprawl_model::PublicAccessBlock>> {
    Detail::collected(Some(sprawl_model::PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls,
        block_public_policy: true,
        restrict_public_buckets,
    }))
}

fn url(inv: &mut Inventory, auth: &str, origins: &[&str]) {
    api(inv).url = Detail::collected(Some(FunctionUrl {
        url: "https://abc.lambda-url.eu-west-1.on.aws/".into(),
        auth_type: auth.into(),
        invoke_mode: None,
        cors: Some(Cors {
            allow_origins: origins.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }),
    }));
}

fn public_url_policy(inv: &mut Inventory, both: bool) {
    let arn = function_arn("api");
    let mut st = vec![
        json!({"Sid": "FunctionURLAllowPublicAccess", "Effect": "Allow", "Principal": "*",
        "Action": "lambda:InvokeFunctionUrl", "Resource": arn,
        "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}}),
    ];
    if both {
        st.push(
            json!({"Sid": "FunctionURLInvokeAllowPublicAccess", "Effect": "Allow", "Principal": "*",
            "Action": "lambda:InvokeFunction", "Resource": arn,
            "Condition": {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}}),
        );
    }
    set_policy(inv, serde_json::Value::Array(st));
}

fn days_ago(days: i64) -> String {
    (now() - chrono::Duration::days(days)).to_rfc3339()
}

const CASES: &[Case] = &[
    // Entry points.
    Case {
        rule: "lambda-url-public",
        fires: |i| {
            url(i, "NONE", &[]);
            public_url_policy(i, true)
        },
        quiet: |i| {
            url(i, "AWS_IAM", &[]);
            public_url_policy(i, true)
        },
    },
    Case {
        rule: "lambda-url-auth-none",
        fires: |i| {
            url(i, "NONE", &[]);
            set_policy(
                i,
                json!([{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
                "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::orders"}, "StringEquals": {"aws:SourceAccount": "123456789012"}}}]),
            )
        },
        quiet: |i| {
            url(i, "AWS_IAM", &[]);
            public_url_policy(i, false)
        },
    },
    Case {
        rule: "lambda-url-cors-any-origin",
        fires: |i| url(i, "AWS_IAM", &["*"]),
        quiet: |i| {
            url(
                i,
                "AWS_IAM",
                &["https://*.example.com", "https://app.example.com"],
            )
        },
    },
    Case {
        rule: "lambda-policy-public",
        fires: |i| {
            set_policy(
                i,
                json!([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "lambda:InvokeFunction"}]),
            )
        },
        quiet: |i| {
            set_policy(
                i,
                json!([{"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}]),
            )
        },
    },
    Case {
        rule: "lambda-policy-cross-account",
        fires: |i| {
            set_policy(
                i,
                json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "lambda:InvokeFunction"}]),
            )
        },
        quiet: |i| {
            set_policy(
                i,
                json!([{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:role/caller")}, "Action": "lambda:InvokeFunction"}]),
            )
        },
    },
    Case {
        rule: "lambda-policy-outside-org",
        fires: |i| {
            set_policy(
                i,
                json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:role/partner"}, "Action": "lambda:InvokeFunction"}]),
            )
        },
        // An account of the organization is not a stranger.
        quiet: |i| {
            set_policy(
                i,
                json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "lambda:InvokeFunction"}]),
            )
        },
    },
    Case {
        rule: "lambda-policy-service-unscoped",
        fires: |i| {
            set_policy(
                i,
                json!([{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction"}]),
            )
        },
        quiet: |i| {
            set_policy(
                i,
                json!([{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
            "Condition": {"StringEquals": {"AWS:SourceAccount": ACCOUNT}, "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}}}]),
            )
        },
    },
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_by_topic(i, topic_policy(json!({"AWS": "*"}), None)),
        // SNS's own default policy: anyone, but only on behalf of the topic's own account.
        quiet: |i| {
            fed_by_topic(
                i,
                topic_policy(
                    json!({"AWS": "*"}),
                    Some(json!({"StringEquals": {"AWS:SourceOwner": ACCOUNT}})),
                ),
            )
        },
    },
    Case {
        rule: "lambda-source-cross-account",
        fires: |i| {
            fed_by_topic(
                i,
                topic_policy(json!({"AWS": "arn:aws:iam::999999999999:root"}), None),
            )
        },
        quiet: |i| {
            fed_by_topic(
                i,
                topic_policy(json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}), None),
            )
        },
    },
    // API Gateway.
    Case {
        rule: "apigw-rest-method-open",
        fires: |i| {
            rest(i).endpoint_types = vec!["REGIONAL".into()];
            if let Detail::Collected { value } = &mut rest(i).resources {
                value[0].methods[0].authorization_type = Some("NONE".into())
            }
        },
        // NONE on OPTIONS without a function behind it, and NONE behind an API key.
        quiet: |i| {
            rest(i).endpoint_types = vec!["REGIONAL".into()];
            if let Detail::Collected { value } = &mut rest(i).resources {
                value[0].methods[0].authorization_type = Some("NONE".into());
                value[0].methods[0].api_key_required = true
            }
        },
    },
    Case {
        rule: "apigw-http-route-open",
        fires: |i| route(i).authorization_type = Some("NONE".into()),
        quiet: |i| route(i).authorization_type = Some("AWS_IAM".into()),
    },
    // As the collector leaves them: no method uses an authorizer, so they were not read.
    Case {
        rule: "apigw-rest-no-authorizer",
        fires: |i| {
            rest(i).endpoint_types = vec!["EDGE".into()];
            no_authorizers(i)
        },
        // Every method behind IAM authorization: no open method, nothing "without an
        // authorizer" (the issue 26 near miss).
        quiet: |i| {
            rest(i).endpoint_types = vec!["EDGE".into()];
            no_authorizers(i);
            if let Detail::Collected { value } = &mut rest(i).resources {
                for m in value.iter_mut().flat_map(|r| r.methods.iter_mut()) {
                    m.authorization_type = Some("AWS_IAM".into());
                }
            }
        },
    },
    Case {
        rule: "apigw-http-no-authorizer",
        fires: |i| {
            http(i).authorizers = Detail::skipped("no route uses an authorizer");
            route(i).authorizer_id = None;
            route(i).authorization_type = Some("NONE".into())
        },
        quiet: |i| {
            http(i).authorizers = Detail::skipped("no route uses an authorizer");
            route(i).authorizer_id = None;
            route(i).authorization_type = Some("AWS_IAM".into())
        },
    },
    Case {
        rule: "apigw-rest-not-private",
        fires: |i| rest(i).endpoint_types = vec!["REGIONAL".into()],
        quiet: |i| rest(i).endpoint_types = vec!["PRIVATE".into()],
    },
    Case {
        rule: "apigw-rest-execution-logging-off",
        fires: |i| {
            rest_stage(i)
                .method_settings
                .get_mut("*/*")
                .unwrap()
                .logging_level = Some("OFF".into())
        },
        quiet: |i| {
            rest_stage(i)
                .method_settings
                .get_mut("*/*")
                .unwrap()
                .logging_level = Some("INFO".into())
        },
    },
    Case {
        rule: "apigw-rest-access-logging-off",
        fires: |i| rest_stage(i).access_log = None,
        quiet: |i| rest_stage(i).access_log.as_mut().unwrap().format = None,
    },
    Case {
        rule: "apigw-rest-data-trace",
        fires: |i| {
            rest_stage(i)
                .method_settings
                .get_mut("*/*")
                .unwrap()
                .data_trace_enabled = true
        },
        quiet: |i| {
            rest_stage(i)
                .method_settings
                .get_mut("*/*")
                .unwrap()
                .metrics_enabled = false
        },
    },
    Case {
        rule: "apigw-rest-xray-off",
        fires: |i| rest_stage(i).tracing_enabled = false,
        quiet: |i| rest_stage(i).tracing_enabled = true,
    },
    Case {
        rule: "apigw-rest-no-waf",
        fires: |i| {
            rest(i).endpoint_types = vec!["REGIONAL".into()];
            rest_stage(i).web_acl_arn = None
        },
        quiet: |i| rest_stage(i).web_acl_arn = None,
    },
    Case {
        rule: "apigw-rest-cache-unencrypted",
        fires: |i| {
            rest_stage(i).cache_cluster_enabled = true;
            rest_stage(i)
                .method_settings
                .get_mut("*/*")
                .unwrap()
                .caching_enabled = true
        },
        // Encryption off, but nothing cached (the fixture's stage looks like this).
        quiet: |i| {
            rest_stage(i)
                .method_settings
                .get_mut("*/*")
                .unwrap()
                .cache_data_encrypted = false
        },
    },
    Case {
        rule: "apigw-rest-no-client-certificate",
        fires: |i| rest_stage(i).client_certificate_id = None,
        quiet: |i| rest_stage(i).client_certificate_id = Some("other".into()),
    },
    Case {
        rule: "apigw-rest-no-throttling",
        fires: |i| {
            rest_stage(i)
                .method_settings
                .get_mut("*/*")
                .unwrap()
                .throttling_rate_limit = Some(10000.0)
        },
        quiet: |i| {
            rest_stage(i)
                .method_settings
                .get_mut("*/*")
                .unwrap()
                .throttling_rate_limit = Some(9999.0)
        },
    },
    Case {
        rule: "apigw-rest-stage-variable-secret",
        fires: |i| {
            rest_stage(i)
                .variables
                .push(var("DB_PASS", "stage-var-pa55word-XYZ"))
        },
        quiet: |i| {
            rest_stage(i)
                .variables
                .push(var("DB_PASS_PARAM", "/prod/db/password"))
        },
    },
    Case {
        rule: "apigw-http-access-logging-off",
        fires: |i| http_stage(i).access_log = None,
        quiet: |i| http_stage(i).default_route_detailed_metrics = false,
    },
    Case {
        rule: "apigw-http-no-throttling",
        fires: |i| http_stage(i).default_route_throttling_rate_limit = None,
        quiet: |i| http_stage(i).default_route_throttling_burst_limit = None,
    },
    Case {
        rule: "apigw-ws-execution-logging-off",
        fires: |i| http(i).protocol_type = "WEBSOCKET".into(),
        quiet: |i| {
            http(i).protocol_type = "WEBSOCKET".into();
            http_stage(i).default_route_logging_level = Some("ERROR".into())
        },
    },
    Case {
        rule: "apigw-ws-data-trace",
        fires: |i| http_stage(i).default_route_data_trace_enabled = true,
        quiet: |i| http_stage(i).default_route_logging_level = Some("INFO".into()),
    },
    Case {
        rule: "apigw-http-stage-variable-secret",
        fires: |i| {
            http_stage(i)
                .variables
                .push(var("API_TOKEN", "xoxb-123456789012-abcdefghijklmnop"))
        },
        quiet: |i| http_stage(i).variables.push(var("TOKEN_TTL", "3600")),
    },
    // Roles.
    Case {
        rule: "iam-role-admin",
        fires: |i| grant(i, allow(json!("*"), "*")),
        quiet: |i| {
            grant(
                i,
                json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}),
            )
        },
    },
    Case {
        rule: "iam-role-self-escalation",
        fires: |i| grant(i, allow(json!("iam:PutRolePolicy"), &role_arn("api-role"))),
        quiet: |i| {
            grant(
                i,
                allow(json!("iam:PutRolePolicy"), &role_arn("some-other-role")),
            )
        },
    },
    Case {
        rule: "iam-role-privilege-escalation",
        fires: |i| {
            grant(
                i,
                allow(
                    json!([
                        "iam:PassRole",
                        "lambda:CreateFunction",
                        "lambda:InvokeFunction"
                    ]),
                    "*",
                ),
            )
        },
        quiet: |i| {
            grant(
                i,
                allow(
                    json!([
                        "lambda:CreateFunction",
                        "lambda:InvokeFunction",
                        "iam:GetRole"
                    ]),
                    "*",
                ),
            )
        },
    },
    Case {
        rule: "iam-role-service-wildcard",
        fires: |i| grant(i, allow(json!("s3:*"), "arn:aws:s3:::orders/*")),
        quiet: |i| grant(i, allow(json!("s3:Get*"), "arn:aws:s3:::orders/*")),
    },
    Case {
        rule: "iam-role-permissions-management-unrestricted",
        fires: |i| grant(i, allow(json!("s3:PutBucketPolicy"), "*")),
        quiet: |i| grant(i, allow(json!("s3:PutBucketPolicy"), "arn:aws:s3:::orders")),
    },
    Case {
        rule: "iam-role-write-unrestricted",
        fires: |i| grant(i, allow(json!("dynamodb:DeleteTable"), "*")),
        // The actions AWS's own Lambda policies grant on "*".
        quiet: |i| {
            grant(
                i,
                allow(
                    json!([
                        "ec2:CreateNetworkInterface",
                        "xray:PutTraceSegments",
                        "logs:CreateLogGroup"
                    ]),
                    "*",
                ),
            )
        },
    },
    Case {
        rule: "iam-role-data-exfiltration",
        fires: |i| grant(i, allow(json!("ssm:GetParameter*"), "*")),
        quiet: |i| {
            grant(
                i,
                allow(
                    json!("ssm:GetParameter"),
                    &format!("arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/api/*"),
                ),
            )
        },
    },
    Case {
        rule: "iam-role-credentials-exposure",
        fires: |i| grant(i, allow(json!("redshift:GetClusterCredentials"), "*")),
        quiet: |i| grant(i, allow(json!("redshift:DescribeClusters"), "*")),
    },
    Case {
        rule: "iam-role-assume-any-role",
        fires: |i| grant(i, allow(json!("sts:AssumeRole"), "*")),
        quiet: |i| grant(i, allow(json!("sts:AssumeRole"), &role_arn("reader"))),
    },
    Case {
        rule: "iam-role-assume-chain",
        // A deployer whose trust names the function's role, and an administrator whose trust
        // names the deployer: two hops, no sts:AssumeRole anywhere in the function's policies.
        fires: |i| chain(i, "api-role", None),
        // The deployer trusts another role: the function's role has no way in (and the
        // deployer, whose own way on is the test below, is the end of it here).
        quiet: |i| {
            chain(i, "batch-role", None);
            i.roles.retain(|r| r.name != "admin");
        },
    },
    Case {
        rule: "iam-role-cross-account-admin",
        // The api function's role may become shared-services' deployer, an administrator
        // trusting this whole account.
        fires: |i| {
            shared_role(
                i,
                "deployer",
                json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
                admits_this_account(None),
            )
        },
        // The same, but its trust requires MFA: no function's session has it (the path is
        // shown as stopped by iam-role-cross-account-assume, never followed).
        quiet: |i| {
            shared_role(
                i,
                "deployer",
                json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
                admits_this_account(Some(
                    json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
                )),
            )
        },
    },
    Case {
        rule: "iam-role-cross-account-assume",
        // A reader there: no escalation, but the function's reach goes on into it.
        fires: |i| {
            shared_role(
                i,
                "reader",
                json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]),
                admits_this_account(None),
            )
        },
        // Its trust names another role of this account: the function's role has no way in.
        quiet: |i| {
            shared_role(
                i,
                "reader",
                json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]),
                json!([{"Effect": "Allow", "Principal": {"AWS": role_arn("batch-role")}, "Action": "sts:AssumeRole"}]),
            )
        },
    },
    Case {
        rule: "iam-role-assume-outside-org",
        // The api role may assume a role of an account outside the organization.
        fires: |i| {
            grant(
                i,
                allow(
                    json!("sts:AssumeRole"),
                    "arn:aws:iam::999988887777:role/partner-export",
                ),
            )
        },
        // A role of shared-services, an account of the organization.
        quiet: |i| {
            grant(
                i,
                allow(
                    json!("sts:AssumeRole"),
                    "arn:aws:iam::210987654321:role/partner-export",
                ),
            )
        },
    },
    Case {
        rule: "iam-role-trust-whole-account",
        // The api role trusts all of shared-services (its root).
        fires: |i| trust_account(i, "210987654321"),
        // It names shared-services' deployer role instead.
        quiet: |i| {
            api_role(i).trust_policy = Some(
                json!({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"},
                    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:role/deployer"}, "Action": "sts:AssumeRole"}]})
                .into(),
            )
        },
    },
    Case {
        rule: "iam-role-trust-outside-org",
        fires: |i| trust_account(i, "999988887777"),
        // An account of the organization is the estate's own (iam-role-trust-broad's).
        quiet: |i| trust_account(i, "210987654321"),
    },
    Case {
        rule: "iam-role-shared",
        fires: |i| {
            let r = role_arn("api-role");
            i.functions.iter_mut().for_each(|f| f.role_arn = r.clone())
        },
        quiet: |i| {
            let f = clean_function("third", "third-role");
            i.functions.push(f);
            i.roles.push(clean_role("third-role"))
        },
    },
    Case {
        rule: "iam-role-trust-broad",
        fires: |i| {
            api_role(i).trust_policy = Some(
                json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "ec2.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}).into(),
            )
        },
        quiet: |i| {
            api_role(i).trust_policy = Some(
                json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}).into(),
            )
        },
    },
    Case {
        rule: "iam-role-no-logs",
        fires: |i| {
            let r = api_role(i);
            r.attached_policies.clear();
            r.inline_policies[0].document = allow(json!("dynamodb:GetItem"), "*").into()
        },
        quiet: |i| {
            let r = api_role(i);
            r.attached_policies.clear()
        },
    },
    Case {
        rule: "iam-role-unused",
        fires: |i| {
            let mut r = clean_role("leftover");
            r.last_used = Some(RoleLastUsed {
                date: Some(days_ago(200)),
                region: None,
            });
            i.roles.push(r)
        },
        quiet: |i| {
            let mut r = clean_role("leftover");
            r.last_used = Some(RoleLastUsed {
                date: Some(days_ago(10)),
                region: None,
            });
            i.roles.push(r)
        },
    },
    Case {
        rule: "iam-role-cloudshell-full-access",
        fires: |i| {
            api_role(i).attached_policies.push(ManagedPolicy {
                arn: "arn:aws:iam::aws:policy/AWSCloudShellFullAccess".into(),
                name: "AWSCloudShellFullAccess".into(),
                document: Some(allow(json!("cloudshell:*"), "*").into()),
            })
        },
        quiet: |i| {
            api_role(i).attached_policies.push(ManagedPolicy {
                arn: "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess".into(),
                name: "AWSXRayDaemonWriteAccess".into(),
                document: Some(allow(json!("xray:PutTraceSegments"), "*").into()),
            })
        },
    },
    Case {
        rule: "iam-role-untagged",
        fires: |i| api_role(i).tags.clear(),
        quiet: |i| {
            api_role(i).tags.clear();
            api_role(i).tags.insert("app".into(), "orders".into());
        },
    },
    // Secrets.
    Case {
        rule: "secret-rotation-disabled",
        fires: |i| secret(i).rotation_enabled = false,
        quiet: |i| secret(i).rotation_every_days = Some(7),
    },
    Case {
        rule: "secret-rotation-overdue",
        fires: |i| secret(i).last_rotated = Some(days_ago(120)),
        quiet: |i| secret(i).last_rotated = Some(days_ago(80)),
    },
    Case {
        rule: "secret-unused",
        fires: |i| secret(i).last_accessed = Some(days_ago(100)),
        quiet: |i| secret(i).last_accessed = Some(days_ago(60)),
    },
    Case {
        rule: "secret-policy-public",
        fires: |i| {
            secret(i).policy = Detail::collected(Some(
                json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}).into(),
            ))
        },
        quiet: |i| {
            secret(i).policy = Detail::collected(Some(
                json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}}]}).into(),
            ))
        },
    },
    Case {
        rule: "secret-policy-cross-account",
        fires: |i| {
            secret(i).policy = Detail::collected(Some(
                json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "210987654321"}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}).into(),
            ))
        },
        quiet: |i| {
            secret(i).policy = Detail::collected(Some(
                json!({"Statement": [{"Effect": "Deny", "Principal": {"AWS": "210987654321"}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}).into(),
            ))
        },
    },
    Case {
        rule: "secret-policy-outside-org",
        fires: |i| {
            secret(i).policy = Detail::collected(Some(
                json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "999988887777"}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}).into(),
            ))
        },
        quiet: |i| {
            secret(i).policy = Detail::collected(Some(
                json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "210987654321"}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}).into(),
            ))
        },
    },
    Case {
        rule: "secret-untagged",
        fires: |i| secret(i).tags.clear(),
        quiet: |i| {
            secret(i).tags.clear();
            secret(i).tags.insert("app".into(), "orders".into());
        },
    },
    Case {
        rule: "secret-no-cmk",
        fires: |i| secret(i).kms_key_id = None,
        quiet: |i| secret(i).kms_key_id = Some("alias/orders".into()),
    },
    // Functions.
    Case {
        rule: "lambda-env-secret",
        fires: |i| {
            api(i)
                .environment
                .push(var("DB_PASSWORD", "hunter2-Sup3rS3cret!"))
        },
        // The look-alikes that are not secrets.
        quiet: |i| {
            api(i).environment.extend([
                var("QUEUE_ARN", "arn:aws:sqs:eu-west-1:123456789012:orders"),
                var("SECRET_NAME", "prod/db"),
                var("PASSWORD_MIN_LENGTH", "12"),
                var("USE_SSL", "true"),
                var("API_URL", "https://api.example.com/v1?region=eu"),
                var("DB_PASSWORD_PARAM", "/prod/db/password"),
            ])
        },
    },
    Case {
        rule: "lambda-env-no-cmk",
        fires: |i| api(i).kms_key_arn = None,
        quiet: |i| {
            api(i).kms_key_arn = None;
            api(i).environment.clear()
        },
    },
    Case {
        rule: "lambda-runtime-deprecated",
        fires: |i| api(i).runtime = Some("python3.9".into()),
        quiet: |i| api(i).runtime = Some("python3.12".into()),
    },
    Case {
        rule: "lambda-timeout-near-max",
        fires: |i| api(i).timeout_seconds = 900,
        quiet: |i| api(i).timeout_seconds = 300,
    },
    Case {
        rule: "lambda-no-reserved-concurrency",
        fires: |i| api(i).reserved_concurrency = Detail::collected(None),
        quiet: |i| api(i).reserved_concurrency = Detail::collected(Some(0)),
    },
    Case {
        rule: "lambda-async-no-failure-destination",
        fires: |i| {
            set_policy(
                i,
                json!([{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "lambda:InvokeFunction",
            "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:eu-west-1:123456789012:t"}}}]),
            )
        },
        quiet: |i| {
            set_policy(
                i,
                json!([{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "lambda:InvokeFunction",
            "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:eu-west-1:123456789012:t"}}}]),
            );
            api(i).async_invoke = Detail::collected(Some(AsyncInvokeConfig {
                maximum_retry_attempts: Some(2),
                maximum_event_age_seconds: None,
                on_success_destination: None,
                on_failure_destination: Some("arn:aws:sqs:eu-west-1:123456789012:dlq".into()),
            }))
        },
    },
    Case {
        rule: "lambda-tracing-off",
        fires: |i| api(i).tracing_mode = Some("PassThrough".into()),
        quiet: |i| api(i).tracing_mode = Some("Active".into()),
    },
    Case {
        rule: "lambda-no-code-signing",
        fires: |i| api(i).code_signing_config = Detail::collected(None),
        quiet: |i| {
            api(i).code_signing_config = Detail::collected(None);
            api(i).package_type = "Image".into()
        },
    },
    Case {
        rule: "lambda-layer-foreign",
        fires: |i| {
            api(i)
                .layers
                .push("arn:aws:lambda:eu-west-1:999999999999:layer:helper:1".into())
        },
        // Another account's too, but one of the organization's (shared-services).
        quiet: |i| {
            api(i)
                .layers
                .push(format!("arn:aws:lambda:eu-west-1:{SHARED}:layer:helper:2"))
        },
    },
    // What the function runs (scan --code): a key in its own files, not one in a dependency's
    // (which is medium, not critical); a key in a layer it runs, not in a clean layer; code that
    // names no package, not a package whose packages are all known.
    // A package with a known advisory, not one judged clean; a malicious package, not one with
    // an ordinary advisory.
    Case {
        rule: "lambda-code-vulnerable",
        fires: |i| runs_pyyaml(i, vec![advisory("GHSA-8q59-q68h-6hv4", "critical", false)]),
        quiet: |i| runs_pyyaml(i, Vec::new()),
    },
    Case {
        rule: "lambda-code-malicious",
        fires: |i| runs_pyyaml(i, vec![advisory("MAL-2026-7", "critical", true)]),
        quiet: |i| runs_pyyaml(i, vec![advisory("GHSA-8q59-q68h-6hv4", "critical", false)]),
    },
    Case {
        rule: "lambda-code-secret",
        fires: |i| code_read(i, secret_in_code("aws-access-key-id", false)),
        quiet: |i| code_read(i, sprawl_model::code::CodeAudit::default()),
    },
    Case {
        rule: "lambda-layer-secret",
        fires: |i| layer_read(i, secret_in_code("private-key", false)),
        quiet: |i| layer_read(i, sprawl_model::code::CodeAudit::default()),
    },
    Case {
        rule: "lambda-code-unreadable",
        fires: |i| {
            code_read(
                i,
                sprawl_model::code::CodeAudit {
                    unreadable: vec![sprawl_model::code::Unreadable {
                        path: "index.js".into(),
                        why: "a script with no package.json or lockfile beside it".into(),
                    }],
                    ..Default::default()
                },
            )
        },
        quiet: |i| {
            code_read(
                i,
                sprawl_model::code::CodeAudit {
                    packages: vec![sprawl_model::code::Package {
                        ecosystem: sprawl_model::code::Ecosystem::PyPI,
                        name: "PyYAML".into(),
                        version: "6.0.2".into(),
                        purl: "pkg:pypi/pyyaml@6.0.2".into(),
                        path: "PyYAML-6.0.2.dist-info/METADATA".into(),
                    }],
                    ..Default::default()
                },
            )
        },
    },
    Case {
        rule: "lambda-no-vpc",
        fires: |i| api(i).vpc = None,
        quiet: |i| api(i).vpc.as_mut().unwrap().security_group_ids.clear(),
    },
    Case {
        rule: "lambda-vpc-single-az",
        fires: |i| {
            api(i).vpc.as_mut().unwrap().subnet_ids.pop();
        },
        quiet: |i| {
            api(i)
                .vpc
                .as_mut()
                .unwrap()
                .subnet_ids
                .push("subnet-c".into())
        },
    },
    Case {
        rule: "lambda-untagged",
        fires: |i| api(i).tags = Detail::collected(Default::default()),
        quiet: |i| {
            api(i).tags = Detail::collected([("Team".to_string(), "orders".to_string())].into())
        },
    },
    Case {
        rule: "lambda-no-owner",
        fires: |i| {
            api(i).tags = Detail::collected([("app".to_string(), "orders".to_string())].into())
        },
        quiet: |i| {
            api(i).tags = Detail::collected([("Owner".to_string(), "ana".to_string())].into())
        },
    },
    Case {
        rule: "lambda-forgotten",
        fires: |i| {
            let mut f = clean_function("old-report", "api-role");
            f.last_modified = Some("2024-01-01T00:00:00.000+0000".into());
            // A scan without --metrics: the guess is all there is.
            f.activity = Detail::skipped("metrics not read");
            i.functions.push(f)
        },
        // Just as old, but an SQS queue still feeds it.
        quiet: |i| {
            let mut f = clean_function("old-report", "api-role");
            f.last_modified = Some("2024-01-01T00:00:00.000+0000".into());
            // A scan without --metrics: the guess is all there is.
            f.activity = Detail::skipped("metrics not read");
            i.event_source_mappings.push(EventSourceMapping {
                uuid: "u1".into(),
                region: REGION.into(),
                function_arn: f.arn.clone(),
                source_arn: Some("arn:aws:sqs:eu-west-1:123456789012:q".into()),
                state: Some("Enabled".into()),
                batch_size: Some(10),
                maximum_batching_window_seconds: None,
                starting_position: None,
                has_filter_criteria: false,
                on_failure_destination: None,
            });
            i.functions.push(f)
        },
    },
    // What functions do (logs, alarms, metrics).
    Case {
        rule: "lambda-no-log-group",
        fires: |i| api(i).logs = Detail::collected(None),
        // The group is there, under a name of the function's own choosing.
        quiet: |i| {
            api(i).log_group = Some("/custom/api".into());
            logs(i).name = "/custom/api".into();
        },
    },
    Case {
        rule: "lambda-logs-never-expire",
        fires: |i| logs(i).retention_days = None,
        quiet: |i| logs(i).retention_days = Some(3653),
    },
    Case {
        rule: "lambda-logs-no-cmk",
        fires: |i| logs(i).kms_key_id = None,
        // No key either, but the function reads no secret.
        quiet: |i| {
            logs(i).kms_key_id = None;
            reads_no_secret(i);
        },
    },
    Case {
        rule: "lambda-public-no-alarm",
        fires: |i| {
            url(i, "NONE", &[]);
            public_url_policy(i, true);
            api(i).alarms = Detail::collected(Vec::new());
        },
        // Just as public, watched by a throttles alarm that notifies.
        quiet: |i| {
            url(i, "NONE", &[]);
            public_url_policy(i, true);
            api(i).alarms = Detail::collected(vec![Alarm {
                name: "api-throttles".into(),
                metric: "Throttles".into(),
                state: Some("OK".into()),
                notifies: true,
            }]);
        },
    },
    Case {
        rule: "lambda-idle",
        fires: |i| {
            api(i).last_modified = Some(days_ago(200));
            api(i).activity = Detail::collected(steady_activity(0.0, 0.0, 0.0, 0.0));
            activity(i).invocations = Series::default();
        },
        // Never invoked either, but deployed within the window.
        quiet: |i| {
            api(i).last_modified = Some(days_ago(30));
            activity(i).invocations = Series::default();
        },
    },
    Case {
        rule: "lambda-timeout-over-duration",
        fires: |i| {
            api(i).timeout_seconds = 900;
            api(i).activity = Detail::collected(steady_activity(200.0, 0.0, 0.0, 300.0));
        },
        // Two hundred times the longest run, but only a minute.
        quiet: |i| {
            api(i).timeout_seconds = 60;
            api(i).activity = Detail::collected(steady_activity(200.0, 0.0, 0.0, 300.0));
        },
    },
    Case {
        rule: "lambda-error-rate-high",
        fires: |i| activity(i).errors.set(40, 30.0),
        // Just under a tenth, every day.
        quiet: |i| api(i).activity = Detail::collected(steady_activity(200.0, 19.0, 0.0, 400.0)),
    },
    Case {
        rule: "iam-role-unused-services",
        fires: |i| {
            api_role(i).access_advisor =
                Detail::collected(advisor(&["dynamodb"], &["secretsmanager"]))
        },
        // Every service it is granted, used.
        quiet: |i| {
            api_role(i).access_advisor =
                Detail::collected(advisor(&["dynamodb", "secretsmanager", "logs"], &[]))
        },
    },
    Case {
        rule: "lambda-layer-shared",
        fires: |i| layer_policy(i, json!("*"), None),
        // Shared with the organization only: its own accounts.
        quiet: |i| layer_policy(i, json!("*"), Some("o-test")),
    },
    Case {
        rule: "lambda-throttled",
        fires: |i| activity(i).throttles.set(12, 40.0),
        // Throttled every day, but under a tenth of the calls.
        quiet: |i| api(i).activity = Detail::collected(steady_activity(200.0, 0.0, 20.0, 400.0)),
    },
];

fn logs(inv: &mut Inventory) -> &mut LogGroup {
    match &mut api(inv).logs {
        Detail::Collected { value: Some(g) } => g,
        _ => unreachable!(),
    }
}

fn activity(inv: &mut Inventory) -> &mut Activity {
    match &mut api(inv).activity {
        Detail::Collected { value } => value,
        _ => unreachable!(),
    }
}

/// The clean layer's version policy: `principal` may use it, within `org` when given.
fn layer_policy(inv: &mut Inventory, principal: serde_json::Value, org: Option<&str>) {
    let mut st = json!({"Sid": "share", "Effect": "Allow", "Principal": principal,
        "Action": "lambda:GetLayerVersion", "Resource": inv.layers[0].arn});
    if let Some(org) = org {
        st["Condition"] = json!({"StringEquals": {"aws:PrincipalOrgID": org}});
    }
    inv.layers[0].policy = Detail::collected(Some(
        json!({"Version": "2012-10-17", "Statement": [st]}).into(),
    ));
}

/// An Access Advisor report: `used` services used last week, `unused` never.
fn advisor(used: &[&str], unused: &[&str]) -> AccessAdvisor {
    let service = |ns: &str, when: Option<&str>| ServiceAccess {
        namespace: ns.into(),
        name: ns.into(),
        last_authenticated: when.map(str::to_string),
        actions: Vec::new(),
    };
    AccessAdvisor {
        completed: Some(days_ago(1)),
        services: used
            .iter()
            .map(|ns| service(ns, Some("2026-11-16T00:00:00Z")))
            .chain(unused.iter().map(|ns| service(ns, None)))
            .collect(),
    }
}

/// The api role without its secret: logs and its table only.
fn reads_no_secret(inv: &mut Inventory) {
    api_role(inv).inline_policies = vec![InlinePolicy {
        name: "least-privilege".into(),
        document: allow(
            json!(["dynamodb:GetItem"]),
            &format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/api"),
        )
        .into(),
    }];
}

fn fired(a: &Assessment, rule: &str) -> Vec<String> {
    a.findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| format!("{} {}", f.resource, f.message))
        .collect()
}

#[test]
fn the_clean_account_trips_nothing() {
    let a = run(&clean());
    assert!(a.findings.is_empty(), "{:#?}", a.findings);
    assert!(a.not_assessed.is_empty(), "{:#?}", a.not_assessed);
}

/// What the collector never leaves, and so no case may plant (issue 22: a rule judged only on a
/// state the collector never produces can never fire): an API's authorizers read where no
/// method or route uses one, or not read where one does.
fn collector_shaped(inv: &Inventory) -> Result<(), String> {
    for api in &inv.rest_apis {
        let used: Vec<&str> = api
            .resources
            .value()
            .into_iter()
            .flatten()
            .flat_map(|r| &r.methods)
            .filter_map(|m| m.authorizer_id.as_deref())
            .collect();
        authorizers_read_as_used(&api.name, &api.authorizers, &used)?;
    }
    for api in &inv.http_apis {
        let used: Vec<&str> = api
            .routes
            .value()
            .into_iter()
            .flatten()
            .filter_map(|r| r.authorizer_id.as_deref())
            .collect();
        authorizers_read_as_used(&api.name, &api.authorizers, &used)?;
    }
    Ok(())
}

/// An API's authorizers as the collector reads them: only where some method or route uses one
/// (`used`), and then every one used is among them.
fn authorizers_read_as_used(
    api: &str,
    authorizers: &Detail<Vec<Authorizer>>,
    used: &[&str],
) -> Result<(), String> {
    match authorizers {
        Detail::Collected { .. } if used.is_empty() => {
            Err(format!("{api}: authorizers read, none is used"))
        }
        Detail::Collected { value } => {
            match used.iter().find(|u| !value.iter().any(|a| a.id == **u)) {
                Some(missing) => Err(format!(
                    "{api}: authorizer {missing} used, not among those read"
                )),
                None => Ok(()),
            }
        }
        Detail::Skipped { .. } if !used.is_empty() => {
            Err(format!("{api}: authorizers not read, one is used"))
        }
        _ => Ok(()),
    }
}

#[test]
fn every_rule_fires_on_its_case_and_not_on_its_near_miss() {
    assert_eq!(collector_shaped(&clean()), Ok(()));
    let failures = check(CASES);
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Issue 28: each kind of source, and each setting that stops its writers, fires and stays
/// quiet like the catalog's cases (more than one case per rule: its sources).
#[test]
fn every_source_kind_fires_on_its_case_and_not_on_its_near_miss() {
    let failures = check(SOURCE_CASES);
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The ways `cases` fail: a case or near miss no scan could leave, a rule that does not fire
/// (or fires without evidence) on its case, or fires on its near miss.
fn check(cases: &[Case]) -> Vec<String> {
    let mut failures = Vec::new();
    for case in cases {
        let mut inv = clean();
        (case.fires)(&mut inv);
        inv.sort();
        if let Err(e) = collector_shaped(&inv) {
            failures.push(format!(
                "{}'s case plants what no scan leaves: {e}",
                case.rule
            ));
        }
        let a = run(&inv);
        let hits = fired(&a, case.rule);
        if hits.is_empty() {
            failures.push(format!("{} did not fire", case.rule));
        }
        for f in a.findings.iter().filter(|f| f.rule == case.rule) {
            if f.evidence.get().unwrap().is_empty() {
                failures.push(format!("{} fired without evidence", case.rule));
            }
        }
        let mut inv = clean();
        (case.quiet)(&mut inv);
        inv.sort();
        if let Err(e) = collector_shaped(&inv) {
            failures.push(format!(
                "{}'s near miss plants what no scan leaves: {e}",
                case.rule
            ));
        }
        let a = run(&inv);
        let hits = fired(&a, case.rule);
        if !hits.is_empty() {
            failures.push(format!("{} fired on its near miss: {hits:?}", case.rule));
        }
    }
    failures
}

/// The event sources' cases beyond the catalog's one per rule: S3 buckets (a public policy, a
/// public ACL grant, another account), each near miss a setting that stops the writer.
const SOURCE_CASES: &[Case] = &[
    // A topic anyone may publish to, but under SNS's AWS managed key: no other account can use
    // the key, so only the topic's own account publishes.
    Case {
        rule: "lambda-source-public",
        fires: |i| {
            fed_by_topic(i, topic_policy(json!("*"), None));
            i.topics[0].kms_key_id = Detail::collected(Some("alias/orders".into()));
        },
        quiet: |i| {
            fed_by_topic(i, topic_policy(json!("*"), None));
            i.topics[0].kms_key_id = Detail::collected(Some("alias/aws/sns".into()));
        },
    },
    // The same for a queue under SQS's.
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_by_queue(i, queue_policy(json!("*"), None)),
        quiet: |i| {
            fed_by_queue(i, queue_policy(json!("*"), None));
            i.queues[0].kms_key_id = Detail::collected(Some(format!(
                "arn:aws:kms:{REGION}:{ACCOUNT}:alias/aws/sqs"
            )));
        },
    },
    // A topic anyone may publish to delivers to the function it has a subscription for; the
    // function's permission alone, with no subscription, is no way in.
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_by_topic(i, topic_policy(json!("*"), None)),
        quiet: |i| {
            fed_by_topic(i, topic_policy(json!("*"), None));
            i.topics[0].subscriptions = Detail::collected(Vec::new());
        },
    },
    // A bucket anyone may upload to sends its events to EventBridge, where a rule on the default
    // bus runs the function; with the bucket's switch off, nothing reaches the rule.
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_through_eventbridge(i, true),
        quiet: |i| fed_through_eventbridge(i, false),
    },
    // A bus anyone may put events on, a rule on it targeting a queue the function polls: the
    // writers flow through the rule and the queue; a bus without a policy admits no stranger.
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_by_rule_through_queue(i, bus_policy(json!("*"))),
        quiet: |i| fed_by_rule_through_queue(i, Detail::collected(None)),
    },
    // An IoT rule whose topics an identity pool's unauthenticated identities (anyone) may
    // publish to, as its role; near misses: no unauthenticated identities, a role that may
    // publish elsewhere, a trust that admits only signed-in identities, a role the pool does not
    // give them (basic flow off).
    Case {
        rule: "lambda-source-public",
        fires: |i| iot_guests(i, true, GuestsBy::Own, "unauthenticated", "devices/*"),
        quiet: |i| iot_guests(i, false, GuestsBy::Own, "unauthenticated", "devices/*"),
    },
    Case {
        rule: "lambda-source-public",
        fires: |i| {
            iot_guests(
                i,
                true,
                GuestsBy::Own,
                "unauthenticated",
                "devices/*/telemetry",
            )
        },
        quiet: |i| iot_guests(i, true, GuestsBy::Own, "unauthenticated", "admin/*"),
    },
    Case {
        rule: "lambda-source-public",
        fires: |i| iot_guests(i, true, GuestsBy::Own, "unauth*", "*"),
        quiet: |i| iot_guests(i, true, GuestsBy::Own, "authenticated", "*"),
    },
    Case {
        rule: "lambda-source-public",
        fires: |i| iot_guests(i, true, GuestsBy::Classic, "unauthenticated", "*"),
        quiet: |i| iot_guests(i, true, GuestsBy::Neither, "unauthenticated", "*"),
    },
    // A topic of the account only the account may publish to, but whose guests (an identity
    // pool's unauthenticated identities) act as a role that may: anyone publishes. Near miss:
    // the guests' role may only subscribe.
    Case {
        rule: "lambda-source-public",
        fires: |i| {
            fed_by_topic(i, Detail::collected(None));
            guest_may(i, GuestsBy::Own, "sns:Publish");
        },
        quiet: |i| {
            fed_by_topic(i, Detail::collected(None));
            guest_may(i, GuestsBy::Own, "sns:Subscribe");
        },
    },
    // A bus only the account may put events on: guests of the basic flow put them as a role
    // that may; those of the enhanced flow are kept from EventBridge by Cognito.
    Case {
        rule: "lambda-source-public",
        fires: |i| {
            fed_by_rule(i, Detail::collected(None), "ENABLED");
            guest_may(i, GuestsBy::Classic, "events:PutEvents");
        },
        quiet: |i| {
            fed_by_rule(i, Detail::collected(None), "ENABLED");
            guest_may(i, GuestsBy::Own, "events:PutEvents");
        },
    },
    // A user pool anyone may sign up to runs the function; one where administrators create the
    // users does not let strangers in.
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_by_pool(i, true),
        quiet: |i| fed_by_pool(i, false),
    },
    // Where only administrators create users, a migration trigger still runs for anyone's
    // sign-in with a user name the pool does not have; a post-authentication one does not.
    Case {
        rule: "lambda-source-public",
        fires: |i| {
            fed_by_pool(i, false);
            pool_trigger(i, "UserMigration");
        },
        quiet: |i| {
            fed_by_pool(i, false);
            pool_trigger(i, "PostAuthentication");
        },
    },
    // So do the triggers of the flows a stranger starts by naming one of its users (a sign-in
    // attempt, a custom challenge, a forgotten password's code); the token and confirmation
    // triggers run for its users only.
    Case {
        rule: "lambda-source-public",
        fires: |i| {
            fed_by_pool(i, false);
            pool_trigger(i, "PreAuthentication");
        },
        quiet: |i| {
            fed_by_pool(i, false);
            pool_trigger(i, "PreTokenGeneration");
        },
    },
    Case {
        rule: "lambda-source-public",
        fires: |i| {
            fed_by_pool(i, false);
            pool_trigger(i, "DefineAuthChallenge");
        },
        quiet: |i| {
            fed_by_pool(i, false);
            pool_trigger(i, "PostConfirmation");
        },
    },
    Case {
        rule: "lambda-source-public",
        fires: |i| {
            fed_by_pool(i, false);
            pool_trigger(i, "CustomMessage");
        },
        quiet: |i| {
            fed_by_pool(i, false);
            pool_trigger(i, "PreSignUp");
        },
    },
    // Mail from anyone reaches an enabled receipt rule; a disabled one receives nothing.
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_by_mail(i, true),
        quiet: |i| fed_by_mail(i, false),
    },
    // A stream a function polls that anyone may put records on; without a policy, only its own
    // account may.
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_by_stream(i, Detail::collected(Some(json!({}).into()))),
        quiet: |i| fed_by_stream(i, Detail::collected(None)),
    },
    // A bus anyone may put events on, a rule on it targeting the function; disabled, it
    // delivers nothing.
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_by_rule(i, bus_policy(json!("*")), "ENABLED"),
        quiet: |i| fed_by_rule(i, bus_policy(json!("*")), "DISABLED"),
    },
    Case {
        rule: "lambda-source-cross-account",
        fires: |i| {
            fed_by_rule(
                i,
                bus_policy(json!({"AWS": "arn:aws:iam::999999999999:root"})),
                "ENABLED",
            )
        },
        quiet: |i| fed_by_rule(i, Detail::collected(None), "ENABLED"),
    },
    // A queue a function polls that anyone may send to; the near miss lets only a topic's
    // deliveries in (`aws:SourceArn`, the older "anyone from this topic" form).
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_by_queue(i, queue_policy(json!("*"), None)),
        quiet: |i| {
            fed_by_queue(
                i,
                queue_policy(
                    json!({"AWS": "*"}),
                    Some(json!({"ArnEquals": {"aws:SourceArn":
                        format!("arn:aws:sns:{REGION}:{ACCOUNT}:orders-events")}})),
                ),
            )
        },
    },
    Case {
        rule: "lambda-source-cross-account",
        fires: |i| {
            fed_by_queue(
                i,
                queue_policy(json!({"AWS": "arn:aws:iam::999999999999:root"}), None),
            )
        },
        quiet: |i| fed_by_queue(i, Detail::collected(None)),
    },
    // A bucket's policy lets anyone upload; Block Public Access's RestrictPublicBuckets stops it.
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_by_bucket(i, |b| b.policy = bucket_policy(json!("*"), None)),
        quiet: |i| {
            fed_by_bucket(i, |b| {
                b.policy = bucket_policy(json!("*"), None);
                b.public_access_block = block(false, true);
            })
        },
    },
    // A public write grant in its ACL; the account's IgnorePublicAcls stops it.
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_by_bucket(i, |b| b.acl = Detail::collected(vec![all_users("WRITE")])),
        quiet: |i| {
            fed_by_bucket(i, |b| {
                b.acl = Detail::collected(vec![all_users("WRITE")]);
                b.account_public_access_block = block(true, false);
            })
        },
    },
    // The same grant where BucketOwnerEnforced turns ACLs off.
    Case {
        rule: "lambda-source-public",
        fires: |i| {
            fed_by_bucket(i, |b| {
                b.acl = Detail::collected(vec![all_users("FULL_CONTROL")])
            })
        },
        quiet: |i| {
            fed_by_bucket(i, |b| {
                b.acl = Detail::collected(vec![all_users("FULL_CONTROL")]);
                b.ownership = Detail::collected(Some("BucketOwnerEnforced".into()));
            })
        },
    },
    // Public reads are not writes.
    Case {
        rule: "lambda-source-public",
        fires: |i| fed_by_bucket(i, |b| b.acl = Detail::collected(vec![all_users("WRITE")])),
        quiet: |i| fed_by_bucket(i, |b| b.acl = Detail::collected(vec![all_users("READ")])),
    },
    Case {
        rule: "lambda-source-cross-account",
        fires: |i| {
            fed_by_bucket(i, |b| {
                b.policy = bucket_policy(json!({"AWS": "arn:aws:iam::999999999999:root"}), None)
            })
        },
        quiet: |i| {
            fed_by_bucket(i, |b| {
                b.policy =
                    bucket_policy(json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}), None)
            })
        },
    },
];

#[test]
fn every_rule_in_the_catalog_has_a_case() {
    let covered: std::collections::BTreeSet<&str> = CASES.iter().map(|c| c.rule).collect();
    let missing: Vec<&str> = rules::catalog()
        .iter()
        .map(|r| r.id)
        .filter(|id| !covered.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without fire/quiet cases: {missing:?}"
    );
    assert_eq!(covered.len(), CASES.len(), "a rule has two cases");
}

#[test]
fn a_call_that_failed_is_not_assessed_never_a_pass() {
    let mut inv = clean();
    let f = api(&mut inv);
    f.policy = Detail::Failed {
        kind: FailureKind::AccessDenied,
        message: "not authorized to perform lambda:GetPolicy".into(),
    };
    f.url = Detail::Failed {
        kind: FailureKind::Throttled,
        message: "Rate exceeded".into(),
    };
    f.reserved_concurrency = Detail::Failed {
        kind: FailureKind::TimedOut,
        message: "timed out".into(),
    };
    api_role(&mut inv).attached_policies[0].document = None;
    let a = run(&inv);
    let not: Vec<&str> = a.not_assessed.iter().map(|n| n.rule.as_str()).collect();
    for rule in [
        "lambda-url-public",
        "lambda-policy-public",
        "lambda-no-reserved-concurrency",
        "iam-role-admin",
    ] {
        if rule == "iam-role-admin" {
            continue; // a finding needs proof; absence with a gap is covered by the next rules
        }
        assert!(
            not.contains(&rule),
            "{rule} should be not assessed: {not:?}"
        );
    }
    assert!(not.contains(&"iam-role-privilege-escalation"), "{not:?}");
    let api = a.functions.iter().find(|f| f.name == "api").unwrap();
    assert!(api.score.partial, "a score built on missing input says so");
    let reason = &a
        .not_assessed
        .iter()
        .find(|n| n.rule == "lambda-policy-public")
        .unwrap()
        .reason;
    assert!(reason.contains("access denied"), "{reason}");
}

#[test]
fn a_role_the_scan_could_not_read_is_not_assessed() {
    let mut inv = clean();
    inv.roles.retain(|r| r.name != "api-role");
    let a = run(&inv);
    let missing: Vec<&str> = a
        .not_assessed
        .iter()
        .filter(|n| n.resource == role_arn("api-role"))
        .map(|n| n.rule.as_str())
        .collect();
    assert!(missing.contains(&"iam-role-admin"), "{missing:?}");
    assert!(missing.contains(&"iam-role-privilege-escalation"));
    let f = a.functions.iter().find(|f| f.name == "api").unwrap();
    assert!(f.score.partial);
    assert!(
        f.chain
            .get()
            .unwrap()
            .iter()
            .any(|h| h.label.contains("not collected")),
        "{:?}",
        f.chain
    );
}

/// The `live` alias of `api` with its own URL (auth `auth`) and its own resource policy.
fn live_alias(auth: &str, statements: serde_json::Value) -> Alias {
    Alias {
        name: "live".into(),
        arn: format!("{}:live", function_arn("api")),
        function_version: "3".into(),
        url: Detail::collected(Some(FunctionUrl {
            url: "https://live123.lambda-url.eu-west-1.on.aws/".into(),
            auth_type: auth.into(),
            invoke_mode: None,
            cors: Some(Cors {
                allow_origins: vec!["*".into()],
                ..Default::default()
            }),
        })),
        policy: Detail::collected(Some(
            json!({"Version": "2012-10-17", "Statement": statements}).into(),
        )),
        async_invoke: Detail::collected(None),
    }
}

fn public_alias_statements() -> serde_json::Value {
    let arn = format!("{}:live", function_arn("api"));
    json!([
        {"Sid": "FunctionURLAllowPublicAccess", "Effect": "Allow", "Principal": "*",
         "Action": "lambda:InvokeFunctionUrl", "Resource": arn,
         "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}},
        {"Sid": "FunctionURLInvokeAllowPublicAccess", "Effect": "Allow", "Principal": "*",
         "Action": "lambda:InvokeFunction", "Resource": arn,
         "Condition": {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}},
        {"Sid": "Anyone", "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": "lambda:InvokeFunction", "Resource": arn}
    ])
}

/// A URL with auth NONE whose policy admits anyone to lambda:InvokeFunctionUrl only (how most
/// public URLs were made before October 2025) is public wherever the account keeps AWS's
/// exception: critical, ranked with the public ones, and the evidence says which statement is
/// missing. The same holds the other way round.
#[test]
fn a_url_public_under_the_legacy_model_ranks_with_the_public_ones() {
    for both in [false, true] {
        let mut inv = clean();
        url(&mut inv, "NONE", &[]);
        public_url_policy(&mut inv, both);
        inv.sort();
        let a = run(&inv);
        let public = a
            .findings
            .iter()
            .find(|f| f.rule == "lambda-url-public")
            .expect("lambda-url-public fires");
        assert_eq!(public.severity, sprawl_assess::Severity::Critical);
        assert!(fired(&a, "lambda-url-auth-none").is_empty());
        let evidence: Vec<String> = public
            .evidence
            .get()
            .unwrap()
            .iter()
            .map(|e| e.value.clone())
            .collect();
        if both {
            assert!(!public.message.contains("exception"), "{}", public.message);
        } else {
            assert!(public.message.contains("exception"), "{}", public.message);
            assert!(
                evidence.iter().any(|e| e.contains("FunctionURLAllowPublicAccess"))
                    && evidence.iter().any(|e| e
                        .contains("no statement lets anyone call lambda:InvokeFunction:")),
                "{evidence:?}"
            );
        }
        // The statement is a public resource policy too.
        assert!(!fired(&a, "lambda-policy-public").is_empty());
        // Full exposure in the score, like any public URL.
        let f = a.functions.iter().find(|f| f.name == "api").unwrap();
        assert!(f.score.exposure >= 40, "{:?}", f.score);
    }
    // Only lambda:InvokeFunction for anyone, no URL statement: public under the legacy model too.
    let mut inv = clean();
    url(&mut inv, "NONE", &[]);
    set_policy(
        &mut inv,
        json!([{"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"}]),
    );
    inv.sort();
    let a = run(&inv);
    assert_eq!(fired(&a, "lambda-url-public").len(), 1);
}

/// A public URL on an alias, with the alias's own policy, is as public as one on the function,
/// though `$LATEST` has neither: the findings name the alias, at their own evidence paths.
#[test]
fn an_alias_url_and_policy_are_entry_points_of_their_own() {
    let mut inv = clean();
    api(&mut inv).aliases = Detail::collected(vec![live_alias("NONE", public_alias_statements())]);
    inv.sort();
    let a = run(&inv);
    let paths = |rule: &str| -> Vec<String> {
        a.findings
            .iter()
            .filter(|f| f.rule == rule && f.resource == function_arn("api"))
            .flat_map(|f| f.evidence.get().unwrap().iter().map(|e| e.path.clone()))
            .collect()
    };
    assert!(
        paths("lambda-url-public").contains(&"aliases.live.url.auth_type".to_string()),
        "{:?}",
        fired(&a, "lambda-url-public")
    );
    assert!(
        fired(&a, "lambda-url-public")[0].contains("(alias live)"),
        "{:?}",
        fired(&a, "lambda-url-public")
    );
    assert!(
        paths("lambda-url-cors-any-origin")
            .contains(&"aliases.live.url.cors.allow_origins".to_string())
    );
    // Each statement admitting anyone to either invoke action is a public policy.
    let public = fired(&a, "lambda-policy-public");
    assert_eq!(public.len(), 3, "{public:?}");
    assert!(
        public
            .iter()
            .all(|p| p.contains("alias live resource policy")),
        "{public:?}"
    );
    let f = a.functions.iter().find(|f| f.name == "api").unwrap();
    assert!(
        f.chain
            .get()
            .unwrap()
            .iter()
            .any(|h| h.label.contains("public")),
        "the alias URL leads the chain: {:?}",
        f.chain
    );

    // Near miss: the alias URL asks for IAM auth and its policy names one account.
    let mut inv = clean();
    api(&mut inv).aliases = Detail::collected(vec![live_alias(
        "AWS_IAM",
        json!([{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
                "Action": "lambda:InvokeFunction"}]),
    )]);
    inv.sort();
    let a = run(&inv);
    for rule in [
        "lambda-url-public",
        "lambda-url-auth-none",
        "lambda-policy-public",
    ] {
        assert!(fired(&a, rule).is_empty(), "{rule}: {:?}", fired(&a, rule));
    }
}

/// An alias whose policy or URL could not be read, or aliases that could not be listed, leave the
/// entry-point rules not assessed: the unread alias may be the public one.
#[test]
fn an_unread_alias_is_not_assessed_never_a_pass() {
    fn denied<T>() -> Detail<T> {
        Detail::Failed {
            kind: FailureKind::AccessDenied,
            message: "not authorized to perform: lambda:GetPolicy".into(),
        }
    }
    let mut with_policy_denied = live_alias("AWS_IAM", json!([]));
    with_policy_denied.policy = denied();
    let mut with_url_denied = live_alias("AWS_IAM", json!([]));
    with_url_denied.url = denied();
    // As a snapshot written before sprawl read alias URLs and policies has it.
    let from_older_sprawl: Alias = serde_json::from_value(json!({
        "name": "live", "arn": format!("{}:live", function_arn("api")), "function_version": "1"
    }))
    .unwrap();
    assert!(
        matches!(&from_older_sprawl.url, Detail::Skipped { reason } if reason.contains("not read by the sprawl"))
    );
    for (what, aliases, rules) in [
        (
            "alias policy",
            Detail::collected(vec![with_policy_denied]),
            &["lambda-url-public", "lambda-policy-public"][..],
        ),
        (
            "alias URL",
            Detail::collected(vec![with_url_denied]),
            &["lambda-url-public", "lambda-url-cors-any-origin"][..],
        ),
        (
            "alias from an older snapshot",
            Detail::collected(vec![from_older_sprawl]),
            &["lambda-url-public", "lambda-policy-public"][..],
        ),
        (
            "alias listing",
            denied(),
            &["lambda-url-public", "lambda-policy-public"][..],
        ),
    ] {
        let mut inv = clean();
        api(&mut inv).aliases = aliases;
        inv.sort();
        let a = run(&inv);
        for rule in rules {
            assert!(
                a.not_assessed
                    .iter()
                    .any(|n| n.rule == *rule && n.resource == function_arn("api")),
                "{what}: {rule} should be not assessed: {:?}",
                a.not_assessed
            );
        }
    }
}

/// S3 invokes the `live` alias (its policy says so): the alias's own event invoke config decides
/// whether failed events are kept, and the finding names the alias.
#[test]
fn an_alias_invoked_asynchronously_is_judged_by_its_own_invoke_config() {
    let s3 = || {
        json!([{"Sid": "s3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                "Action": "lambda:InvokeFunction",
                "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::uploads"},
                              "StringEquals": {"aws:SourceAccount": ACCOUNT}}}])
    };
    let with_config = |config: Option<AsyncInvokeConfig>| {
        let mut alias = live_alias("AWS_IAM", s3());
        alias.url = Detail::collected(None);
        alias.async_invoke = Detail::collected(config);
        let mut inv = clean();
        api(&mut inv).aliases = Detail::collected(vec![alias]);
        inv.sort();
        run(&inv)
    };
    let a = with_config(None);
    let hits: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.rule == "lambda-async-no-failure-destination")
        .collect();
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert!(
        hits[0].message.contains("(alias live)"),
        "{}",
        hits[0].message
    );
    assert!(
        hits[0]
            .evidence
            .get()
            .unwrap()
            .iter()
            .any(|e| e.path == "aliases.live.async_invoke.on_failure_destination")
    );

    let a = with_config(Some(AsyncInvokeConfig {
        maximum_retry_attempts: Some(2),
        maximum_event_age_seconds: None,
        on_success_destination: None,
        on_failure_destination: Some(format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:failed")),
    }));
    assert!(fired(&a, "lambda-async-no-failure-destination").is_empty());
}

/// The score's formula, part by part, on inventories built for each part:
/// exposure + (privilege + data) x (0.5 + 0.5 x exposure / 40) + hygiene.
#[test]
fn the_score_formula_part_by_part() {
    let score = |change: &dyn Fn(&mut Inventory)| -> Score {
        // The clean account without the APIs in front of `api` (exposure 12) and the secret
        // its role reads (data 4): a function that scores 0.
        let mut inv = clean();
        inv.rest_apis.clear();
        inv.http_apis.clear();
        inv.secrets.clear();
        change(&mut inv);
        inv.sort();
        let a = run(&inv);
        a.functions
            .iter()
            .find(|f| f.name == "api")
            .unwrap()
            .score
            .clone()
    };
    let parts = |s: &Score| (s.exposure, s.privilege, s.data, s.hygiene, s.total);

    // Nothing: nothing.
    assert_eq!(parts(&score(&|_| {})), (0, 0, 0, 0, 0));
    // Exposure: a public URL is 40, an unauthenticated URL nobody is admitted to 15.
    let public = |i: &mut Inventory| {
        url(i, "NONE", &[]);
        public_url_policy(i, true);
    };
    assert_eq!(parts(&score(&public)), (40, 0, 0, 0, 40));
    assert_eq!(parts(&score(&|i| url(i, "NONE", &[]))), (15, 0, 0, 0, 15));
    // Privilege: administrator is 30, at half weight when nothing outside reaches the function
    // and at full weight behind a public URL.
    let admin = |i: &mut Inventory| grant(i, allow(json!("*"), "*"));
    assert_eq!(parts(&score(&admin)), (0, 30, 0, 0, 15));
    assert_eq!(
        parts(&score(&|i| {
            admin(i);
            public(i)
        })),
        (40, 30, 0, 0, 70)
    );
    // Weight in between: exposure 15 gives (0.5 + 0.5 x 15/40) = 0.6875; 15 + 30 x 0.6875.
    assert_eq!(
        parts(&score(&|i| {
            admin(i);
            url(i, "NONE", &[])
        })),
        (15, 30, 0, 0, 36)
    );
    // Data: the worst secret in the environment (high 6, critical 8) ...
    assert_eq!(
        parts(&score(&|i| api(i)
            .environment
            .push(var("DB_PASSWORD", "84736251")))),
        (0, 0, 6, 0, 3)
    );
    // ... plus 4 per secret the role can read, at most 12, and at most 20 in all.
    let readable = |i: &mut Inventory, n: usize| {
        for k in 0..n {
            let name = format!("app/s{k}");
            i.secrets.push(clean_secret(&name));
            grant(
                i,
                allow(json!("secretsmanager:GetSecretValue"), &secret_arn(&name)),
            );
        }
    };
    assert_eq!(parts(&score(&|i| readable(i, 1))), (0, 0, 4, 0, 2));
    assert_eq!(parts(&score(&|i| readable(i, 5))), (0, 0, 12, 0, 6));
    assert_eq!(
        parts(&score(&|i| {
            readable(i, 5);
            api(i)
                .environment
                .push(var("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"))
        })),
        (0, 0, 20, 0, 10)
    );
    // Hygiene: a foreign layer 2, any other configuration finding 1, the runtime by its stage;
    // at most 10, and added at full weight.
    let layer = |i: &mut Inventory| {
        api(i)
            .layers
            .push("arn:aws:lambda:eu-west-1:999999999999:layer:helper:1".into())
    };
    assert_eq!(parts(&score(&layer)), (0, 0, 0, 2, 2));
    assert_eq!(
        parts(&score(&|i| {
            layer(i);
            api(i).timeout_seconds = 900
        })),
        (0, 0, 0, 4, 4),
        "the layer 2, the timeout near the maximum 1, and 1 for its being 2,250 times the longest run"
    );
    let old_runtime = score(&|i| api(i).runtime = Some("python3.8".into()));
    assert!((3..=5).contains(&old_runtime.hygiene), "{old_runtime:?}");
    assert_eq!(old_runtime.total, old_runtime.hygiene);
    // Everything at once stays within 100.
    let all = score(&|i| {
        admin(i);
        public(i);
        readable(i, 5);
        api(i).environment.push(var("DB_PASSWORD", "x"));
        layer(i);
        api(i).runtime = Some("python3.8".into());
        api(i).timeout_seconds = 900;
    });
    assert_eq!((all.exposure, all.privilege, all.data), (40, 30, 18));
    assert!(all.total <= 100 && all.total >= 88, "{all:?}");
}

/// The escalations a role's assessment reports, by method id.
fn methods_of(a: &Assessment, role: &str) -> Vec<String> {
    a.roles
        .iter()
        .find(|r| r.arn == role_arn(role))
        .map(|r| r.escalations.iter().map(|e| e.method.clone()).collect())
        .unwrap_or_default()
}

/// `iam:CreatePolicyVersion` (and `SetDefaultPolicyVersion`) on AWS-managed policies alone is no
/// escalation: customers cannot version those. On any policy a customer can version, it is.
#[test]
fn policy_versions_of_aws_managed_policies_alone_grant_nothing() {
    for action in ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"] {
        let method = if action == "iam:CreatePolicyVersion" {
            "iam-create-policy-version"
        } else {
            "iam-set-default-policy-version"
        };
        for (resource, escalates) in [
            ("arn:aws:iam::aws:policy/AdministratorAccess", false),
            ("arn:aws:iam::aws:policy/*", false),
            ("arn:*:iam::aws:policy/service-role/*", false),
            ("arn:aws:iam::*:policy/*", true),
            ("arn:aws:iam::123456789012:policy/team-*", true),
            ("*", true),
        ] {
            let mut inv = clean();
            grant(&mut inv, allow(json!(action), resource));
            let a = run(&inv);
            assert_eq!(
                methods_of(&a, "api-role").iter().any(|m| m == method),
                escalates,
                "{action} on {resource}"
            );
            assert_eq!(
                a.findings
                    .iter()
                    .any(|f| f.rule == "iam-role-privilege-escalation"
                        && f.resource == role_arn("api-role")),
                escalates,
                "{action} on {resource}"
            );
        }
    }
}

/// Date conditions on the time of the request or of its credentials are decided at the
/// assessment's "now": past, the grant is nothing; always true then, the grant stands
/// unconditioned. A condition on anything else keeps the grant conditional.
#[test]
fn date_conditions_are_decided_at_the_assessments_now() {
    let escalation = |condition: serde_json::Value| {
        let mut inv = clean();
        grant(
            &mut inv,
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Action": "iam:PutRolePolicy", "Resource": "*", "Condition": condition}]}),
        );
        let a = run(&inv);
        a.roles
            .iter()
            .find(|r| r.arn == role_arn("api-role"))
            .and_then(|r| {
                r.escalations
                    .iter()
                    .find(|e| e.method == "iam-put-role-policy")
                    .map(|e| e.conditional)
            })
    };
    // `now()` is in 2026.
    for (condition, expected) in [
        // The window closed: nothing is granted.
        (
            json!({"DateLessThan": {"aws:CurrentTime": "2024-06-30T00:00:00Z"}}),
            None,
        ),
        (
            json!({"DateLessThanEquals": {"aws:TokenIssueTime": "2020-01-01"}}),
            None,
        ),
        (
            json!({"DateGreaterThan": {"aws:CurrentTime": "2099-01-01T00:00:00Z"}}),
            None,
        ),
        // Open now (and, once begun, always): granted as if unconditioned.
        (
            json!({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}),
            Some(false),
        ),
        (
            json!({"DateLessThanIfExists": {"aws:CurrentTime": "2099-12-31"}}),
            Some(false),
        ),
        (
            json!({"DateGreaterThanEquals": {"aws:TokenIssueTime": "1577836800"}}),
            Some(false),
        ),
        (
            json!({"DateNotEquals": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}),
            Some(false),
        ),
        // Anything else stays conditional, a decided date beside it or not.
        (
            json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
            Some(true),
        ),
        (
            json!({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
                   "Bool": {"aws:MultiFactorAuthPresent": "true"}}),
            Some(true),
        ),
        // A date on another key, or not a date, is not decided.
        (
            json!({"DateLessThan": {"aws:EpochTime": "2020-01-01"}}),
            Some(true),
        ),
        (
            json!({"DateLessThan": {"aws:CurrentTime": "someday"}}),
            Some(true),
        ),
    ] {
        assert_eq!(escalation(condition.clone()), expected, "{condition}");
    }
}

/// A Deny that expired denies nothing; one in force denies as if unconditioned.
#[test]
fn an_expired_deny_denies_nothing() {
    let deny = |until: &str| {
        let mut inv = clean();
        grant(
            &mut inv,
            json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "*"},
                {"Effect": "Deny", "Action": "iam:*", "Resource": "*",
                 "Condition": {"DateLessThan": {"aws:CurrentTime": until}}}]}),
        );
        methods_of(&run(&inv), "api-role").contains(&"iam-put-role-policy".to_string())
    };
    assert!(
        deny("2025-01-01T00:00:00Z"),
        "an expired freeze leaves the grant"
    );
    assert!(
        !deny("2099-01-01T00:00:00Z"),
        "a freeze in force removes it"
    );
}

/// Trust-only chains: a function whose role has no sts:AssumeRole of its own reaches an
/// administrator through two roles whose trust names the one before. The function's privilege
/// is then the administrator's, and its chain says how. Near misses: a Deny on sts:AssumeRole in
/// the role's own policies; a trust that admits the account (not the role), which needs a
/// permission the role lacks; and a condition, which keeps the path but lowers it.
#[test]
fn trust_only_chains_reach_the_administrator_behind_them() {
    let chain_of = |a: &Assessment| {
        a.findings
            .iter()
            .find(|f| f.rule == "iam-role-assume-chain" && f.resource == role_arn("api-role"))
            .map(|f| (f.severity, f.message.clone()))
    };
    let mut inv = clean();
    chain(&mut inv, "api-role", None);
    inv.sort();
    let a = run(&inv);
    let (severity, message) = chain_of(&a).expect("the chain is found");
    assert_eq!(severity, Severity::Critical);
    assert!(
        message.contains("api-role may assume deployer -> admin (administrator)"),
        "{message}"
    );
    let api = a.functions.iter().find(|f| f.name == "api").unwrap();
    assert_eq!(
        api.score.privilege, 30,
        "the function's privilege is the administrator's"
    );
    let role_hop = api
        .chain
        .get()
        .unwrap()
        .iter()
        .find(|h| h.label.starts_with("role api-role"))
        .unwrap();
    assert!(
        role_hop
            .label
            .contains("may assume deployer -> admin (administrator)"),
        "{}",
        role_hop.label
    );

    // A Deny in the role's own policies stops the first hop.
    let mut inv = clean();
    chain(&mut inv, "api-role", None);
    grant(
        &mut inv,
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": "*"}]}),
    );
    inv.sort();
    assert_eq!(chain_of(&run(&inv)), None);

    // Trusting the account's root needs the role's own sts:AssumeRole on the target.
    let mut inv = clean();
    chain(&mut inv, "root", None);
    inv.sort();
    assert_eq!(chain_of(&run(&inv)), None, "no permission, no hop");
    grant(
        &mut inv,
        allow(json!("sts:AssumeRole"), &role_arn("deployer")),
    );
    assert_eq!(
        chain_of(&run(&inv)).map(|(s, _)| s),
        Some(Severity::Critical),
        "with it, the hop"
    );

    // An external id on the way: the path stays, conditional.
    let mut inv = clean();
    chain(
        &mut inv,
        "api-role",
        Some(json!({"StringEquals": {"sts:ExternalId": "deploy-7"}})),
    );
    inv.sort();
    let (severity, message) = chain_of(&run(&inv)).unwrap();
    assert_eq!(severity, Severity::High);
    assert!(message.contains("if its conditions hold"), "{message}");
}

/// Within an organization, a grant to one of its accounts is the estate's own (low, with the
/// account's name), and a grant to any other account is a stranger's, reported by its own rule
/// and higher. Assessed alone, an account cannot tell the two apart: every other account is
/// "another account", as before.
#[test]
fn other_accounts_are_judged_against_the_organization() {
    let findings = |a: &Assessment, rule: &str| -> Vec<(Severity, String)> {
        a.findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| (f.severity, f.message.clone()))
            .collect()
    };
    let mut inv = clean();
    set_policy(
        &mut inv,
        json!([
            {"Sid": "Shared", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "lambda:InvokeFunction"},
            {"Sid": "Stranger", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "lambda:InvokeFunction"}
        ]),
    );
    inv.sort();
    let within = run(&inv);
    let member = findings(&within, "lambda-policy-cross-account");
    assert_eq!(member.len(), 1, "{member:?}");
    assert_eq!(member[0].0, Severity::Low);
    assert!(
        member[0]
            .1
            .contains("account shared-services (210987654321) of the organization"),
        "{}",
        member[0].1
    );
    let stranger = findings(&within, "lambda-policy-outside-org");
    assert_eq!(stranger.len(), 1, "{stranger:?}");
    assert_eq!(stranger[0].0, Severity::High);
    assert!(
        stranger[0]
            .1
            .contains("999988887777, outside the organization"),
        "{}",
        stranger[0].1
    );

    // Anyone, kept by its conditions: to this organization (its own), to another organization
    // or to a stranger's account (strangers), to an account of this one (its own).
    for (condition, stranger) in [
        (
            json!({"StringEquals": {"aws:PrincipalOrgID": "o-test"}}),
            None,
        ),
        (
            json!({"StringEquals": {"aws:PrincipalOrgID": "o-elsewhere"}}),
            Some("organization o-elsewhere, not this one"),
        ),
        (
            json!({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-elsewhere/r-ab12/*"}}),
            Some("organization o-elsewhere, not this one"),
        ),
        (json!({"StringLike": {"aws:PrincipalOrgID": "o-*"}}), None),
        (
            json!({"StringEquals": {"aws:SourceAccount": "210987654321"}}),
            None,
        ),
        (
            json!({"StringEquals": {"aws:SourceAccount": "999988887777"}}),
            Some("account 999988887777, outside the organization"),
        ),
    ] {
        let mut inv = clean();
        set_policy(
            &mut inv,
            json!([{"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction", "Condition": condition}]),
        );
        inv.sort();
        let a = run(&inv);
        let found = findings(&a, "lambda-policy-outside-org");
        match stranger {
            None => assert!(found.is_empty(), "{condition}: {found:?}"),
            Some(who) => {
                assert_eq!(found.len(), 1, "{condition}: {found:?}");
                assert!(found[0].1.contains(who), "{condition}: {}", found[0].1);
            }
        }
        assert!(
            findings(&a, "lambda-policy-public").is_empty(),
            "{condition}"
        );
    }

    let alone = assess(&inv, &Coverage::default(), ACCOUNT, now());
    let both = findings(&alone, "lambda-policy-cross-account");
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(both.iter().all(|(s, _)| *s == Severity::Medium));
    assert!(findings(&alone, "lambda-policy-outside-org").is_empty());
}

/// A role of `account` with only `statements` of its own, trusted as `trust` says.
fn role_in(
    account: &str,
    name: &str,
    statements: serde_json::Value,
    trust: serde_json::Value,
) -> Role {
    let mut r = clean_role(name);
    r.arn = format!("arn:aws:iam::{account}:role/{name}");
    r.inline_policies = vec![InlinePolicy {
        name: "own".into(),
        document: json!({"Version": "2012-10-17", "Statement": statements}).into(),
    }];
    r.attached_policies.clear();
    r.trust_policy = Some(json!({"Version": "2012-10-17", "Statement": trust}).into());
    r
}

/// Edges between accounts need both sides: the target's trust admitting the role (by ARN, or
/// its account), and the role's own `sts:AssumeRole` on the target. Near misses: a trust that
/// names another role, no permission, a Deny, an `aws:PrincipalOrgID` of another organization,
/// and a wildcard resource in a third account.
#[test]
fn cross_account_edges_need_both_sides() {
    use sprawl_assess::paths::{AccountRoles, cross_account_edges};
    let (dev, prod) = ("111111111111", "222222222222");
    let lambda = json!([{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]);
    let deployer = |trust: serde_json::Value| {
        role_in(
            prod,
            "prod-deployer",
            json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
            trust,
        )
    };
    let exec =
        |statements: serde_json::Value| role_in(dev, "signup-exec", statements, lambda.clone());
    let may_assume = json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": format!("arn:aws:iam::{prod}:role/prod-deployer")}]);
    let trusts_dev = json!([{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{dev}:root")}, "Action": "sts:AssumeRole"}]);
    let members = sprawl_iam::members::Members {
        id: Some("o-test".into()),
        accounts: [
            (dev.to_string(), Some("dev".to_string())),
            (prod.to_string(), Some("prod".to_string())),
        ]
        .into(),
        // dev sits under the Dev OU, prod under Prod.
        paths: [
            (dev.to_string(), "o-test/r-1/ou-dev/".to_string()),
            (prod.to_string(), "o-test/r-1/ou-prod/".to_string()),
        ]
        .into(),
        management: None,
    };
    let edges = |from: Role, to: Role| {
        let (a, b) = ([from], [to]);
        cross_account_edges(
            &[
                AccountRoles {
                    account: dev,
                    roles: &a,
                    guard: Default::default(),
                    secrets: &[],
                    functions: &[],
                    sources: &[],
                },
                AccountRoles {
                    account: prod,
                    roles: &b,
                    guard: Default::default(),
                    secrets: &[],
                    functions: &[],
                    sources: &[],
                },
            ],
            Some(&members),
            now(),
        )
        .edges
    };

    let found = edges(exec(may_assume.clone()), deployer(trusts_dev.clone()));
    assert_eq!(found.len(), 1, "{found:?}");
    let e = &found[0];
    assert_eq!(
        (e.from_account.as_str(), e.to_account.as_str()),
        (dev, prod)
    );
    assert!(e.to_admin && !e.named && e.conditions.is_empty());
    assert_eq!(e.trust.policy, "trust policy");
    assert_eq!(e.via[0].policy, "own");

    // A trust naming the role itself; and one behind an external id, kept and marked.
    let named = json!([{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{dev}:role/signup-exec")}, "Action": "sts:AssumeRole",
                        "Condition": {"StringEquals": {"sts:ExternalId": "deploy-7"}}}]);
    let found = edges(exec(may_assume.clone()), deployer(named));
    assert!(
        found[0].named && !found[0].conditions.is_empty(),
        "{found:?}"
    );
    // Anyone, kept to this organization: its accounts may.
    let org_wide = json!([{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                           "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-test"}}}]);
    assert_eq!(edges(exec(may_assume.clone()), deployer(org_wide)).len(), 1);
    // Anyone under some OUs (aws:PrincipalOrgPaths): dev's roles only when dev is under them.
    let under = |path: &str| {
        json!([{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                "Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": path}}}])
    };
    assert_eq!(
        edges(
            exec(may_assume.clone()),
            deployer(under("o-test/r-1/ou-dev/*"))
        )
        .len(),
        1
    );
    assert!(
        edges(
            exec(may_assume.clone()),
            deployer(under("o-test/r-1/ou-prod/*"))
        )
        .is_empty(),
        "dev is not under the Prod OU"
    );

    for (what, from, trust) in [
        (
            "a trust naming another role",
            exec(may_assume.clone()),
            json!([{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{dev}:role/other")}, "Action": "sts:AssumeRole"}]),
        ),
        (
            "no sts:AssumeRole of its own",
            exec(json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}])),
            trusts_dev.clone(),
        ),
        (
            "a Deny",
            exec(json!([
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"},
                {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": format!("arn:aws:iam::{prod}:role/*")}])),
            trusts_dev.clone(),
        ),
        (
            "another organization",
            exec(may_assume.clone()),
            json!([{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-elsewhere"}}}]),
        ),
        (
            "a wildcard in a third account",
            exec(
                json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::333333333333:role/*"}]),
            ),
            trusts_dev.clone(),
        ),
    ] {
        assert!(edges(from, deployer(trust)).is_empty(), "{what}");
    }
}

/// A role whose trust or own policies could not be read is never "no edge": the edges report
/// it as not assessed.
#[test]
fn unreadable_roles_leave_their_edges_not_assessed() {
    use sprawl_assess::paths::{AccountRoles, cross_account_edges};
    let (dev, prod) = ("111111111111", "222222222222");
    let lambda = json!([{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]);
    let mut unknown_trust = role_in(prod, "prod-deployer", json!([]), json!([]));
    unknown_trust.trust_policy = None;
    let mut exec = role_in(dev, "signup-exec", json!([]), lambda);
    exec.attached_policies.push(ManagedPolicy {
        arn: "arn:aws:iam::111111111111:policy/deploy".into(),
        name: "deploy".into(),
        document: None,
    });
    let trusts_dev = json!([{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{dev}:root")}, "Action": "sts:AssumeRole"}]);
    let deployer = role_in(
        prod,
        "prod-admin",
        json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
        trusts_dev,
    );
    let (a, b) = ([exec], [unknown_trust, deployer]);
    let found = cross_account_edges(
        &[
            AccountRoles {
                account: dev,
                roles: &a,
                guard: Default::default(),
                secrets: &[],
                functions: &[],
                sources: &[],
            },
            AccountRoles {
                account: prod,
                roles: &b,
                guard: Default::default(),
                secrets: &[],
                functions: &[],
                sources: &[],
            },
        ],
        None,
        now(),
    );
    assert!(found.edges.is_empty(), "{:?}", found.edges);
    assert_eq!(found.not_assessed.len(), 2, "{:?}", found.not_assessed);
    assert!(
        found.not_assessed[0].contains("signup-exec: policies not readable"),
        "{:?}",
        found.not_assessed
    );
    assert!(
        found.not_assessed[1].contains("prod-deployer: trust policy not collected"),
        "{:?}",
        found.not_assessed
    );
}

/// A chain across three accounts: the api function's role may become shared-services'
/// deployer (which trusts this whole account), and the deployer may become prod's
/// administrator (which trusts shared-services). The function's privilege is prod's
/// administrator's, its chain names every hop with its account and evidence, and prod's
/// administrator counts the api function in its blast radius. The same path behind MFA is
/// stopped: shown, never followed.
#[test]
fn a_path_across_three_accounts_ranks_the_function_and_shows_every_hop() {
    let admin_in_prod = |mfa: bool| {
        let mut st = json!({"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{SHARED}:root")}, "Action": "sts:AssumeRole"});
        if mfa {
            st["Condition"] = json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}});
        }
        role_in(
            PROD,
            "prod-admin",
            json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
            json!([st]),
        )
    };
    let build = |mfa: bool| {
        let mut inv = clean();
        shared_role(
            &mut inv,
            "deployer",
            json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": format!("arn:aws:iam::{PROD}:role/prod-admin")}]),
            admits_this_account(None),
        );
        inv.roles.push(admin_in_prod(mfa));
        inv.sort();
        inv
    };

    let inv = build(false);
    let a = run(&inv);
    let admin = findings(&a, "iam-role-cross-account-admin");
    assert_eq!(admin.len(), 1, "{admin:?}");
    // No public entry point reaches the api: high, not critical (issue 20, 7); its score's
    // privilege is that administrator's all the same.
    assert_eq!(admin[0].0, Severity::High);
    assert!(
        admin[0].1.contains(
            "api-role may assume deployer (shared-services) -> prod-admin (prod) (administrator)"
        ),
        "{admin:?}"
    );
    let api = a.functions.iter().find(|f| f.name == "api").unwrap();
    assert_eq!(api.score.privilege, 30, "prod's administrator is the api's");
    let chain = api.chain.get().unwrap();
    let labels: Vec<&str> = chain.iter().map(|h| h.label.as_str()).collect();
    assert!(
        labels.contains(&"may assume deployer (shared-services; trusts account this)")
            && labels.contains(&"may assume prod-admin (prod; trusts account shared-services)")
            && labels.contains(&"administrator (prod)"),
        "{labels:?}"
    );
    let hop = chain
        .iter()
        .find(|h| h.label.starts_with("may assume prod-admin"))
        .unwrap();
    assert_eq!(
        hop.role.as_deref(),
        Some(format!("arn:aws:iam::{PROD}:role/prod-admin").as_str())
    );
    assert!(
        hop.evidence
            .iter()
            .any(|e| e == "prod-admin's trust policy statement 0")
            && hop
                .evidence
                .iter()
                .any(|e| e == "deployer's own statement 0"),
        "{:?}",
        hop.evidence
    );
    // Prod's assessment sees the api function in its administrator's blast radius.
    let prod = assessment_of(&inv, PROD);
    let reached = prod.roles.iter().find(|r| r.name == "prod-admin").unwrap();
    assert_eq!(reached.from_other_accounts, vec![api.arn.clone()]);

    // Behind MFA: stopped; the function is not raised, the stop is shown with its reason.
    let a = run(&build(true));
    assert!(findings(&a, "iam-role-cross-account-admin").is_empty());
    let api = a.functions.iter().find(|f| f.name == "api").unwrap();
    assert!(api.score.privilege < 30, "{:?}", api.score);
    let shared = assessment_of(&build(true), SHARED);
    let stopped = findings(&shared, "iam-role-cross-account-assume");
    assert_eq!(stopped.len(), 1, "{stopped:?}");
    assert_eq!(stopped[0].0, Severity::Info);
    assert!(
        stopped[0]
            .1
            .contains("deployer would assume prod-admin (prod)")
            && stopped[0].1.contains("stopped: its trust requires MFA"),
        "{stopped:?}"
    );
}

/// Another account's assessment (its roles alone), from the same inventory's roles (see
/// [`run`]).
fn assessment_of(inv: &Inventory, account: &str) -> Assessment {
    use sprawl_assess::paths::{AccountRoles, Crossings, cross_account_edges, users_of};
    let members = organization();
    let of = |account: &str| -> Vec<Role> {
        inv.roles
            .iter()
            .filter(|r| r.arn.split(':').nth(4) == Some(account))
            .cloned()
            .collect()
    };
    let (this, shared, prod) = (of(ACCOUNT), of(SHARED), of(PROD));
    let found = cross_account_edges(
        &[
            AccountRoles {
                account: ACCOUNT,
                roles: &this,
                guard: Default::default(),
                secrets: &[],
                functions: &[],
                sources: &[],
            },
            AccountRoles {
                account: SHARED,
                roles: &shared,
                guard: Default::default(),
                secrets: &[],
                functions: &[],
                sources: &[],
            },
            AccountRoles {
                account: PROD,
                roles: &prod,
                guard: Default::default(),
                secrets: &[],
                functions: &[],
                sources: &[],
            },
        ],
        Some(&members),
        now(),
    );
    let crossings = Crossings::new(&found, &users_of(&inv.functions, |_| true));
    let theirs = Inventory {
        roles: if account == PROD {
            prod.clone()
        } else {
            shared.clone()
        },
        ..Inventory::default()
    };
    sprawl_assess::assess_in(
        &theirs,
        &Coverage::default(),
        account,
        now(),
        sprawl_assess::Within {
            members: Some(&members),
            crossings: Some(&crossings),
            guard: Default::default(),
        },
    )
}

/// A rule's findings, as (severity, message).
fn findings(a: &Assessment, rule: &str) -> Vec<(Severity, String)> {
    a.findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| (f.severity, f.message.clone()))
        .collect()
}

/// SCPs from the root down: FullAWSAccess on the root, and `ou` on an OU above this account
/// and shared-services (none: FullAWSAccess there too). `management`: this account is the
/// organization's management account, which no SCP bounds.
fn scps(ou: serde_json::Value, management: bool) -> Result<Option<Bounds>, String> {
    let policy = |name: &str, statements: serde_json::Value| GuardrailPolicy {
        name: name.into(),
        kind: GuardrailKind::ServiceControlPolicy,
        aws_managed: name == "FullAWSAccess",
        document: json!({"Version": "2012-10-17", "Statement": statements}).into(),
    };
    let mut g = Guardrails {
        scp_enabled: true,
        ..Guardrails::default()
    };
    g.policies.insert(
        "p-full".into(),
        policy(
            "FullAWSAccess",
            json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
        ),
    );
    g.policies.insert("p-ou".into(), policy("Workloads", ou));
    g.attached.insert("r-1".into(), vec!["p-full".into()]);
    g.attached.insert("ou-w".into(), vec!["p-ou".into()]);
    for account in [ACCOUNT, SHARED] {
        g.attached.insert(account.into(), vec!["p-full".into()]);
        g.paths.insert(
            account.into(),
            vec!["r-1".into(), "ou-w".into(), account.into()],
        );
    }
    Bounds::of(&g, ACCOUNT, management.then_some(ACCOUNT))
}

/// The organization's SCPs bound every role, within the account and across: a Deny at any
/// level takes a grant away, and the Allow lists intersect down the tree. What they take away
/// from an administrator for everyone (leaving the organization) leaves it one; IAM's writes
/// taken away do not. The management account is never bounded; SCPs not read bound nothing.
#[test]
fn scps_bound_every_role_within_and_across_accounts() {
    let admin = |i: &mut Inventory| grant(i, allow(json!("*"), "*"));
    let fired_on = |inv: &Inventory, bounds: &Result<Option<Bounds>, String>, rule: &str| {
        !fired(&run_under(inv, bounds), rule).is_empty()
    };
    let full = json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]);
    let with = |extra: serde_json::Value| {
        let mut v = full.as_array().unwrap().clone();
        v.push(extra);
        serde_json::Value::Array(v)
    };
    let mut inv = clean();
    admin(&mut inv);
    inv.sort();
    // A baseline Deny for everyone: still an administrator.
    let baseline = scps(
        with(
            json!({"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}),
        ),
        false,
    );
    assert!(fired_on(&inv, &baseline, "iam-role-admin"));
    // IAM's writes denied: not an administrator, and no escalation through IAM either.
    let no_iam = scps(
        with(json!({"Effect": "Deny", "Action": "iam:*", "Resource": "*"})),
        false,
    );
    assert!(!fired_on(&inv, &no_iam, "iam-role-admin"));
    assert!(!fired_on(&inv, &no_iam, "iam-role-self-escalation"));
    // Not read, or the management account: by the role's own policies.
    assert!(fired_on(&inv, &Err("not read".into()), "iam-role-admin"));
    let managed = scps(
        with(json!({"Effect": "Deny", "Action": "iam:*", "Resource": "*"})),
        true,
    );
    assert!(matches!(managed, Ok(None)));
    assert!(fired_on(&inv, &managed, "iam-role-admin"));

    // An escalation the SCPs take away: iam:PassRole denied below the root.
    let mut esc = clean();
    grant(
        &mut esc,
        allow(
            json!([
                "iam:PassRole",
                "lambda:CreateFunction",
                "lambda:InvokeFunction"
            ]),
            "*",
        ),
    );
    esc.sort();
    assert!(fired_on(
        &esc,
        &Err("not read".into()),
        "iam-role-privilege-escalation"
    ));
    let no_pass = scps(
        with(json!({"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"})),
        false,
    );
    assert!(!fired_on(&esc, &no_pass, "iam-role-privilege-escalation"));
    // Allow lists intersect: the OU allows S3 and logs alone, so lambda:* granted by the role
    // and allowed at the root is still not allowed.
    let narrow = scps(
        json!([{"Effect": "Allow", "Action": ["s3:*", "logs:*"], "Resource": "*"}]),
        false,
    );
    assert!(!fired_on(&esc, &narrow, "iam-role-privilege-escalation"));

    // Across accounts: an SCP that denies sts:AssumeRole on shared-services' roles stops the
    // path to its administrator; the edge is kept, stopped, with the SCP that stopped it.
    let mut across = clean();
    shared_role(
        &mut across,
        "deployer",
        json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
        admits_this_account(None),
    );
    across.sort();
    assert!(fired_on(&across, &baseline, "iam-role-cross-account-admin"));
    let fenced = scps(
        with(
            json!({"Sid": "Fence", "Effect": "Deny", "Action": "sts:AssumeRole",
                    "Resource": format!("arn:aws:iam::{SHARED}:role/*")}),
        ),
        false,
    );
    let a = run_under(&across, &fenced);
    assert!(fired(&a, "iam-role-cross-account-admin").is_empty());
    let stopped = findings(&a, "iam-role-cross-account-assume");
    assert_eq!(stopped.len(), 1, "{stopped:?}");
    assert_eq!(stopped[0].0, Severity::Info);
    assert!(
        stopped[0].1.contains(
            "stopped: an SCP over its account: SCP Workloads at ou-w statement 1 (Fence) denies it"
        ),
        "{stopped:?}"
    );
}

/// A secret of shared-services whose policy admits this account, under a customer-managed key
/// (`kms`) or the AWS managed key (None).
fn shared_secret(kms: Option<&str>, principal: &str) -> Secret {
    let mut s = clean_secret("payments/db");
    s.arn = format!("arn:aws:secretsmanager:{REGION}:{SHARED}:secret:payments/db-AbC123");
    s.kms_key_id = kms.map(str::to_string);
    s.policy = Detail::collected(Some(
        json!({"Version": "2012-10-17", "Statement": [{"Sid": "ThisAccountReads", "Effect": "Allow",
               "Principal": {"AWS": principal}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})
        .into(),
    ));
    s
}

/// A function's role may read a secret of another account of the organization when both sides
/// agree: the secret's policy admits the role's account and the role's own policies allow the
/// read. It adds to the function's data, named with its account, "if its key allows it" (the
/// key's policy is not collected). Near misses: a secret under the AWS managed key (no other
/// account can use it: the edge is stopped), a policy admitting another account, no permission
/// of its own, and an SCP that denies the read.
#[test]
fn secrets_of_other_accounts_add_to_what_a_function_reads() {
    let key = format!("arn:aws:kms:{REGION}:{SHARED}:key/shared-1");
    let may_read = allow(
        json!("secretsmanager:GetSecretValue"),
        &format!("arn:aws:secretsmanager:*:{SHARED}:secret:payments/*"),
    );
    let build = |secret: Secret, grant_it: bool| {
        let mut inv = clean();
        inv.secrets.push(secret);
        if grant_it {
            grant(&mut inv, may_read.clone());
        }
        inv.sort();
        inv
    };
    let reads = |a: &Assessment| -> Vec<String> {
        let api = a.functions.iter().find(|f| f.name == "api").unwrap();
        api.readable_secrets
            .iter()
            .filter(|s| s.account.is_some())
            .map(|s| format!("{} {}", s.name, s.account.as_deref().unwrap()))
            .collect()
    };
    let this_root = format!("arn:aws:iam::{ACCOUNT}:root");
    let inv = build(shared_secret(Some(&key), &this_root), true);
    let a = run(&inv);
    assert_eq!(reads(&a), vec![format!("payments/db {SHARED}")]);
    let api = a.functions.iter().find(|f| f.name == "api").unwrap();
    let before = run(&build(shared_secret(Some(&key), &this_root), false));
    let plain = before.functions.iter().find(|f| f.name == "api").unwrap();
    assert_eq!(api.score.data, plain.score.data + 4, "one more secret read");
    let chain = api.chain.get().unwrap();
    let secrets_hop = chain
        .iter()
        .find(|h| h.label.starts_with("reads "))
        .unwrap();
    assert!(
        secrets_hop.evidence.iter().any(|e| e
            == "payments/db (shared-services) via secret policy statement 0 (ThisAccountReads); extra statement 0, if its key allows it"),
        "{:?}",
        secrets_hop.evidence
    );

    for (what, inv, bounds) in [
        (
            "the AWS managed key",
            build(shared_secret(None, &this_root), true),
            Err("not read".to_string()),
        ),
        (
            "a policy admitting another account",
            build(
                shared_secret(Some(&key), "arn:aws:iam::999988887777:root"),
                true,
            ),
            Err("not read".to_string()),
        ),
        (
            "no permission of its own",
            build(shared_secret(Some(&key), &this_root), false),
            Err("not read".to_string()),
        ),
        (
            "an SCP that denies the read",
            build(shared_secret(Some(&key), &this_root), true),
            scps(
                json!([{"Effect": "Allow", "Action": "*", "Resource": "*"},
                       {"Effect": "Deny", "Action": "secretsmanager:GetSecretValue", "Resource": format!("arn:aws:secretsmanager:*:{SHARED}:secret:*")}]),
                false,
            ),
        ),
    ] {
        assert!(reads(&run_under(&inv, &bounds)).is_empty(), "{what}");
    }
}

/// A role may invoke a function of another account when the function's policy admits it (its
/// account, or anyone of the organization) and its own policies allow `lambda:InvokeFunction`
/// on it. Near misses: a policy admitting another account, no permission of its own, an SCP
/// that denies the invocation, and a public policy (anyone at all: the public-policy rules').
#[test]
fn invoke_edges_need_both_sides() {
    use sprawl_assess::paths::{AccountRoles, cross_account_edges};
    let (dev, prod) = (ACCOUNT, SHARED);
    let target = |principal: serde_json::Value, condition: Option<serde_json::Value>| {
        let mut f = clean_function("smoke", "smoke-role");
        f.arn = format!("arn:aws:lambda:{REGION}:{prod}:function:smoke");
        let mut st = json!({"Sid": "Pipeline", "Effect": "Allow", "Principal": principal,
                            "Action": "lambda:InvokeFunction", "Resource": f.arn});
        if let Some(c) = condition {
            st["Condition"] = c;
        }
        f.policy = Detail::collected(Some(
            json!({"Version": "2012-10-17", "Statement": [st]}).into(),
        ));
        f
    };
    let caller = |resource: &str| {
        role_in(
            dev,
            "pipeline",
            json!([{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": resource}]),
            json!([{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]),
        )
    };
    let smoke_arn = format!("arn:aws:lambda:{REGION}:{prod}:function:smoke");
    let members = organization();
    let edges = |from: Role, to: Function, bounds: &Result<Option<Bounds>, String>| {
        let (roles, functions) = ([from], [to]);
        cross_account_edges(
            &[
                AccountRoles {
                    account: dev,
                    roles: &roles,
                    guard: Guard::from(bounds),
                    secrets: &[],
                    functions: &[],
                    sources: &[],
                },
                AccountRoles {
                    account: prod,
                    roles: &[],
                    guard: Guard::from(bounds),
                    secrets: &[],
                    functions: &functions,
                    sources: &[],
                },
            ],
            Some(&members),
            now(),
        )
        .invokes
    };
    let not_read: Result<Option<Bounds>, String> = Err("not read".into());
    let dev_root = json!({"AWS": format!("arn:aws:iam::{dev}:root")});
    let found = edges(
        caller(&smoke_arn),
        target(dev_root.clone(), None),
        &not_read,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (
            found[0].edge.from_account.as_str(),
            found[0].edge.to_account.as_str(),
            found[0].edge.name.as_str()
        ),
        (dev, prod, "smoke")
    );
    assert_eq!(found[0].edge.admitted.sid.as_deref(), Some("Pipeline"));
    assert!(found[0].edge.stopped.is_none());
    // Anyone kept to this organization admits this account's roles too.
    let org_wide = target(
        json!("*"),
        Some(json!({"StringEquals": {"aws:PrincipalOrgID": "o-test"}})),
    );
    assert_eq!(edges(caller(&smoke_arn), org_wide, &not_read).len(), 1);
    // An SCP that denies it: the edge is kept, stopped.
    let fenced = scps(
        json!([{"Effect": "Allow", "Action": "*", "Resource": "*"},
               {"Effect": "Deny", "Action": "lambda:InvokeFunction", "Resource": format!("arn:aws:lambda:*:{prod}:function:*")}]),
        false,
    );
    let stopped = edges(caller(&smoke_arn), target(dev_root.clone(), None), &fenced);
    assert!(
        stopped.len() == 1
            && stopped[0]
                .edge
                .stopped
                .as_deref()
                .unwrap()
                .contains("an SCP over its account"),
        "{stopped:?}"
    );
    for (what, from, to) in [
        (
            "a policy admitting another account",
            caller(&smoke_arn),
            target(json!({"AWS": "arn:aws:iam::999988887777:root"}), None),
        ),
        (
            "no permission of its own",
            caller("arn:aws:lambda:*:999988887777:function:*"),
            target(dev_root.clone(), None),
        ),
        (
            "a public policy",
            caller(&smoke_arn),
            target(json!("*"), None),
        ),
    ] {
        assert!(edges(from, to, &not_read).is_empty(), "{what}");
    }
}

/// RCPs over this account: `statements` attached to the root, in organization `o-test`.
fn rcps(statements: serde_json::Value) -> Result<Option<Bounds>, String> {
    let mut g = Guardrails {
        rcp_enabled: true,
        ..Guardrails::default()
    };
    g.policies.insert(
        "p-rcp".into(),
        GuardrailPolicy {
            name: "StrangersOut".into(),
            kind: GuardrailKind::ResourceControlPolicy,
            aws_managed: false,
            document: json!({"Version": "2012-10-17", "Statement": statements}).into(),
        },
    );
    g.attached.insert("r-1".into(), vec!["p-rcp".into()]);
    g.paths
        .insert(ACCOUNT.into(), vec!["r-1".into(), ACCOUNT.into()]);
    Bounds::within(&g, ACCOUNT, None, Some("o-test"))
}

/// A resource control policy that denies principals outside the organization the action blocks
/// a grant to a stranger: the role's trust and the secret's policy that admit an account
/// outside it are reported as blocked (info, naming the RCP), not open. One whose condition
/// cannot be decided for a stranger (a source IP) blocks nothing.
#[test]
fn an_rcp_that_keeps_strangers_out_blocks_their_grants() {
    let strangers_out = |action: &str| {
        rcps(
            json!([{"Sid": "OrgOnly", "Effect": "Deny", "Principal": "*", "Action": action, "Resource": "*",
            "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-test"},
                          "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]),
        )
    };
    let by_ip = |action: &str| {
        rcps(
            json!([{"Effect": "Deny", "Principal": "*", "Action": action, "Resource": "*",
            "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]),
        )
    };
    let severity = |inv: &Inventory, bounds: &Result<Option<Bounds>, String>, rule: &str| {
        let a = run_under(inv, bounds);
        findings(&a, rule)
    };

    let mut trust = clean();
    trust_account(&mut trust, "999988887777");
    trust.sort();
    let open = severity(
        &trust,
        &Err("not read".into()),
        "iam-role-trust-outside-org",
    );
    assert_eq!(open[0].0, Severity::Critical, "{open:?}");
    let blocked = severity(
        &trust,
        &strangers_out("sts:AssumeRole"),
        "iam-role-trust-outside-org",
    );
    assert_eq!(blocked[0].0, Severity::Info, "{blocked:?}");
    let a = run_under(&trust, &strangers_out("sts:AssumeRole"));
    let f = a
        .findings
        .iter()
        .find(|f| f.rule == "iam-role-trust-outside-org")
        .unwrap();
    assert!(
        f.evidence.get().unwrap().iter().any(|e| e.path == "blocked"
            && e.value == "RCP StrangersOut at r-1 statement 0 (OrgOnly) denies principals outside the organization"),
        "{:?}",
        f.evidence.get()
    );
    let undecided = severity(
        &trust,
        &by_ip("sts:AssumeRole"),
        "iam-role-trust-outside-org",
    );
    assert_eq!(undecided[0].0, Severity::Critical, "{undecided:?}");
    // Another action's RCP leaves it open.
    let other = severity(
        &trust,
        &strangers_out("s3:GetObject"),
        "iam-role-trust-outside-org",
    );
    assert_eq!(other[0].0, Severity::Critical, "{other:?}");

    let mut secret = clean();
    let mut s = clean_secret("partner/sftp");
    s.policy = Detail::collected(Some(
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
               "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})
        .into(),
    ));
    secret.secrets.push(s);
    secret.sort();
    let open = severity(
        &secret,
        &Err("not read".into()),
        "secret-policy-outside-org",
    );
    assert_eq!(open[0].0, Severity::High, "{open:?}");
    let blocked = severity(
        &secret,
        &strangers_out("secretsmanager:GetSecretValue"),
        "secret-policy-outside-org",
    );
    assert_eq!(blocked[0].0, Severity::Info, "{blocked:?}");
}

/// A role's own grant of `sts:AssumeRole` on another account's role is resolved against the
/// organization: an account outside it is `iam-role-assume-outside-org`'s; an account of it
/// that was not scanned leaves where the grant leads unknown, and says so (low); one that was
/// scanned has its edges, or none.
#[test]
fn assume_grants_are_resolved_against_the_organization() {
    let mut inv = clean();
    grant(
        &mut inv,
        allow(
            json!("sts:AssumeRole"),
            &format!("arn:aws:iam::{PROD}:role/reporting"),
        ),
    );
    inv.sort();
    let unknown = findings(&run(&inv), "iam-role-cross-account-assume");
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert_eq!(unknown[0].0, Severity::Low);
    assert!(
        unknown[0].1.contains("may assume roles of account prod of the organization, which was not scanned: what they reach is unknown"),
        "{unknown:?}"
    );
    assert!(findings(&run(&inv), "iam-role-assume-outside-org").is_empty());
    // Scanned (a role of prod is in), and its role does not admit this one: no edge, nothing.
    inv.roles.push(role_in(
        PROD,
        "reporting",
        json!([]),
        json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole"}]),
    ));
    inv.sort();
    assert!(findings(&run(&inv), "iam-role-cross-account-assume").is_empty());
}

/// The roles a scan keeps as hops of chains (their trust admits AWS principals) are judged by
/// the path and trust rules only: an account's administration role (trusting the management
/// account, an administrator, untagged) is neither an execution role's sprawl nor a whole-account
/// trust worth a finding; a deployer trusting a sibling account's root is the latter.
#[test]
fn roles_kept_as_hops_are_judged_by_the_path_rules_only() {
    let mut inv = clean();
    let mut access = role_in(
        ACCOUNT,
        "OrganizationAccountAccessRole",
        json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
        json!([{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{PROD}:root")}, "Action": "sts:AssumeRole"}]),
    );
    access.tags = Default::default();
    let deployer = role_in(
        ACCOUNT,
        "release-deployer",
        json!([{"Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "*"}]),
        json!([{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{SHARED}:root")}, "Action": "sts:AssumeRole"}]),
    );
    inv.roles.extend([access, deployer]);
    inv.sort();
    let a = run(&inv);
    let on = |name: &str| -> Vec<&str> {
        a.findings
            .iter()
            .filter(|f| f.resource == role_arn(name))
            .map(|f| f.rule.as_str())
            .collect()
    };
    assert!(
        on("OrganizationAccountAccessRole").is_empty(),
        "{:?}",
        on("OrganizationAccountAccessRole")
    );
    assert_eq!(on("release-deployer"), vec!["iam-role-trust-whole-account"]);
}

/// Issue 20 (8): the key is taken into account the same way everywhere. A secret policy that
/// admits anyone or another account, on a secret under the AWS managed key that no other account
/// can use, is what `paths` says it is: public only to this account's principals (high, not
/// critical), and a grant to another account stopped (info); under a customer-managed key the
/// same policies keep their severities.
#[test]
fn a_secret_under_the_aws_managed_key_is_judged_as_paths_judges_it() {
    let policy = |principal: serde_json::Value| {
        Detail::collected(Some(
            json!({"Statement": [{"Effect": "Allow", "Principal": principal,
                   "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})
            .into(),
        ))
    };
    for (principal, rule, cmk, managed) in [
        (
            json!("*"),
            "secret-policy-public",
            Severity::Critical,
            Severity::High,
        ),
        (
            json!({"AWS": "210987654321"}),
            "secret-policy-cross-account",
            // An account of the organization the cases run in.
            Severity::Low,
            Severity::Info,
        ),
        (
            json!({"AWS": "999988887777"}),
            "secret-policy-outside-org",
            Severity::High,
            Severity::Info,
        ),
    ] {
        for (key, want) in [(Some("alias/orders"), cmk), (None, managed)] {
            let mut inv = clean();
            secret(&mut inv).policy = policy(principal.clone());
            secret(&mut inv).kms_key_id = key.map(str::to_string);
            let a = run(&inv);
            let got = findings(&a, rule);
            assert_eq!(got.len(), 1, "{rule} {key:?}: {got:?}");
            assert_eq!(got[0].0, want, "{rule} {key:?}: {got:?}");
            let f = a.findings.iter().find(|f| f.rule == rule).unwrap();
            let evidence = format!("{:?}", f.evidence.get().unwrap());
            assert_eq!(
                evidence.contains("which no other account can use"),
                key.is_none(),
                "{rule} {key:?}: {evidence}"
            );
        }
    }
}

/// Issue 20 (8): a function that can read a secret several ways (by name and through
/// `GetSecretValue` on `*`) is one reader; `wildcard_readers` counts those that read it
/// through `*` (listed last), and every reader is listed. Those that read every secret are
/// kept once, on the assessment, not on each secret.
#[test]
fn each_reader_of_a_secret_is_counted_once() {
    let mut inv = clean();
    // api reads the secret by name (the clean inventory) and now every secret too.
    grant(&mut inv, allow(json!("secretsmanager:GetSecretValue"), "*"));
    let a = run(&inv);
    let s = &a.secrets[0];
    let mut readers = s.local_readers(&a);
    let listed = readers.len();
    readers.sort();
    readers.dedup();
    assert_eq!(readers.len(), listed, "{readers:?}");
    let api = function_arn("api");
    assert_eq!(
        s.local_readers(&a).iter().filter(|r| **r == api).count(),
        1,
        "api reads it by name and through *: once"
    );
    // A second function that reads only through `*`: listed, and counted as such.
    let mut inv = clean();
    inv.secrets.push(clean_secret("app/other"));
    inv.roles
        .iter_mut()
        .find(|r| r.name == "rotator-role")
        .unwrap()
        .inline_policies
        .push(InlinePolicy {
            name: "every".into(),
            document: allow(json!("secretsmanager:GetSecretValue"), "*").into(),
        });
    let a = run(&inv);
    let rotator = function_arn("rotator");
    assert_eq!(a.readers_of_every_secret, vec![rotator.clone()]);
    for s in &a.secrets {
        let local = s.local_readers(&a);
        assert_eq!(s.wildcard_readers, 1, "{}", s.arn);
        assert_eq!(local.last(), Some(&rotator.as_str()));
        assert!(!s.readers.contains(&rotator), "kept once, not on {}", s.arn);
        assert_eq!(s.reader_count(&a), local.len());
        assert_eq!(
            local.len(),
            local
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        );
    }
    // A file written when each secret listed them too reads as it was written.
    let mut old = a.clone();
    old.readers_of_every_secret.clear();
    for s in &mut old.secrets {
        s.readers.push(rotator.clone());
    }
    for (s, was) in old.secrets.iter().zip(&a.secrets) {
        assert_eq!(s.local_readers(&old), was.local_readers(&a));
        assert_eq!(s.reader_count(&old), was.reader_count(&a));
    }
}

/// Issue 20 (7): critical is kept for an exploitable path (exposure plus privilege or data). A
/// runtime that blocks updates, a live credential in the environment, and an administrator role
/// are high on a function nobody outside can reach, critical behind a public URL; a public URL
/// in front of a function that can do nothing and reads nothing is high, critical once the
/// function reads a secret. A lowered finding says why; the score is not moved.
#[test]
fn critical_needs_exposure_plus_privilege_or_data() {
    let public = |i: &mut Inventory| {
        url(i, "NONE", &[]);
        public_url_policy(i, true);
    };
    let severity = |change: &dyn Fn(&mut Inventory), rule: &str| {
        let mut inv = clean();
        inv.secrets.clear();
        // The clean api may read one secret: no data unless a case adds it.
        api_role(&mut inv).inline_policies.clear();
        change(&mut inv);
        inv.sort();
        let a = run(&inv);
        let f = a
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("{rule} did not fire"));
        let said = format!("{:?}", f.evidence.get().unwrap());
        let api = a.functions.iter().find(|f| f.name == "api").unwrap();
        (
            f.severity,
            said.contains("high, not critical"),
            api.score.total,
        )
    };
    let old = |i: &mut Inventory| api(i).runtime = Some("nodejs16.x".into());
    let key = |i: &mut Inventory| {
        api(i).environment.push(var(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ))
    };
    let admin = |i: &mut Inventory| grant(i, allow(json!("*"), "*"));
    for (rule, change) in [
        ("lambda-runtime-deprecated", &old as &dyn Fn(&mut Inventory)),
        ("lambda-env-secret", &key),
        ("iam-role-admin", &admin),
    ] {
        let (inside, said, _) = severity(change, rule);
        assert_eq!((inside, said), (Severity::High, true), "{rule} inside");
        let (outside, said, _) = severity(
            &|i: &mut Inventory| {
                change(i);
                public(i)
            },
            rule,
        );
        // A deprecated runtime is no way in itself: on a public function with nothing behind
        // it, it stays below critical, as its public entry point's own finding (issue 26, 5).
        let expected = if rule == "lambda-runtime-deprecated" {
            (Severity::High, true)
        } else {
            (Severity::Critical, false)
        };
        assert_eq!((outside, said), expected, "{rule} public");
    }
    // Public and an administrator behind it: the runtime is critical too.
    let (both, said, _) = severity(
        &|i: &mut Inventory| {
            old(i);
            admin(i);
            public(i)
        },
        "lambda-runtime-deprecated",
    );
    assert_eq!((both, said), (Severity::Critical, false));
    // A public URL: high in front of nothing, critical in front of a secret it reads or an
    // administrator role; the score is the formula's either way.
    let (alone, said, score) = severity(&public, "lambda-url-public");
    assert_eq!((alone, said, score), (Severity::High, true, 40));
    let reads = |i: &mut Inventory| {
        public(i);
        i.secrets.push(clean_secret("app/db"));
        grant(
            i,
            allow(
                json!("secretsmanager:GetSecretValue"),
                &secret_arn("app/db"),
            ),
        );
    };
    assert_eq!(severity(&reads, "lambda-url-public").0, Severity::Critical);
    assert_eq!(
        severity(
            &|i: &mut Inventory| {
                public(i);
                admin(i)
            },
            "lambda-url-public"
        )
        .0,
        Severity::Critical
    );
}

/// Issue 22 (3): an open REST method is reported by what its integration reaches, one finding a
/// method: an internal HTTP endpoint or an AWS service action (high), a public HTTP endpoint
/// (medium), a mock (low); the same method with IAM authorization is quiet; a method that runs
/// a function is reported once, as before.
#[test]
fn open_rest_methods_are_reported_by_what_they_reach() {
    let with = |kind: &str, uri: &str, auth: &str| {
        let mut inv = clean();
        rest(&mut inv).endpoint_types = vec!["REGIONAL".into()];
        let m = rest_method(&mut inv);
        m.authorization_type = Some(auth.into());
        m.authorizer_id = None;
        m.integration = Some(Integration {
            id: None,
            integration_type: Some(kind.into()),
            uri: Some(uri.into()),
            lambda_arn: None,
            payload_format_version: None,
        });
        inv.sort();
        findings(&run(&inv), "apigw-rest-method-open")
    };
    for (kind, uri, severity, says) in [
        (
            "HTTP_PROXY",
            "http://10.0.3.7:8080/orders",
            Severity::High,
            "forwards to the internal endpoint http://10.0.3.7:8080/orders",
        ),
        (
            "HTTP",
            "https://billing.internal.example.com/v1",
            Severity::High,
            "internal endpoint",
        ),
        (
            "HTTP_PROXY",
            "https://api.partner.example.com/",
            Severity::Medium,
            "forwards to https://api.partner.example.com/",
        ),
        (
            "AWS",
            "arn:aws:apigateway:eu-west-1:sqs:path/123456789012/orders",
            Severity::High,
            "calls the AWS service action",
        ),
        ("MOCK", "", Severity::Low, "answers with a mock response"),
    ] {
        let got = with(kind, uri, "NONE");
        assert_eq!(got.len(), 1, "{kind} {uri}: {got:?}");
        assert_eq!(got[0].0, severity, "{kind} {uri}: {got:?}");
        assert!(
            got[0].1.contains(says) && got[0].1.contains("GET /orders"),
            "{got:?}"
        );
        assert!(
            with(kind, uri, "AWS_IAM").is_empty(),
            "{kind} with IAM auth"
        );
    }
    // The function's case: one finding, as before.
    let mut inv = clean();
    rest(&mut inv).endpoint_types = vec!["REGIONAL".into()];
    rest_method(&mut inv).authorization_type = Some("NONE".into());
    rest_method(&mut inv).authorizer_id = None;
    inv.sort();
    let got = findings(&run(&inv), "apigw-rest-method-open");
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].1.contains(&format!("runs {}", function_arn("api"))),
        "{got:?}"
    );
}

/// Issue 22 (2): whoever a policy admits is reported. `Principal *` kept to an organization by
/// `aws:PrincipalOrgID`, or by a Deny of everyone else, lets in every account of that
/// organization: assessed alone, "not verified as yours", at a cross-account grant's severity,
/// with the actions (writes and deletes too); within the organization, as its own (low); a
/// Deny-fenced `Allow *` is no longer called public; another organization's id is a stranger's.
#[test]
fn organization_scoped_grants_are_reported_whoever_they_admit() {
    let kept = json!({"Statement": [{"Effect": "Allow", "Principal": "*",
        "Action": ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret"],
        "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-test"}}}]});
    let fenced = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
        {"Sid": "OnlyOurOrg", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-test"}}}]});
    let secret_findings = |doc: &serde_json::Value, alone: bool| {
        let mut inv = clean();
        secret(&mut inv).policy = Detail::collected(Some(doc.clone().into()));
        inv.sort();
        let a = if alone {
            sprawl_assess::assess(&inv, &Coverage::default(), ACCOUNT, now())
        } else {
            run(&inv)
        };
        a.findings
            .iter()
            .filter(|f| f.rule.starts_with("secret-policy"))
            .map(|f| (f.rule.clone(), f.severity, f.message.clone()))
            .collect::<Vec<_>>()
    };
    for (doc, actions) in [
        (
            &kept,
            "secretsmanager:GetSecretValue, secretsmanager:PutSecretValue, secretsmanager:DeleteSecret",
        ),
        (&fenced, "call * on"),
    ] {
        let alone = secret_findings(doc, true);
        assert_eq!(alone.len(), 1, "{alone:?}");
        let (rule, severity, message) = &alone[0];
        assert_eq!(
            (rule.as_str(), *severity),
            ("secret-policy-cross-account", Severity::Medium)
        );
        assert!(
            message.contains("every account of organization o-test (not verified as yours)")
                && message.contains(actions),
            "{message}"
        );
        let within = secret_findings(doc, false);
        assert_eq!(within.len(), 1, "{within:?}");
        assert_eq!(within[0].1, Severity::Low, "{within:?}");
        assert!(
            within[0]
                .2
                .contains("every account of the organization (o-test"),
            "{within:?}"
        );
    }
    // Another organization's id, within this one: a stranger's grant, reported as such.
    let theirs = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue",
        "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-other"}}}]});
    let got = secret_findings(&theirs, false);
    assert!(
        got.len() == 1 && got[0].0 == "secret-policy-outside-org",
        "{got:?}"
    );

    // Under the AWS managed key, no other account can read or write the value: a grant of those
    // is stopped (info); one that also deletes is not.
    let under_managed = |actions: serde_json::Value| {
        let mut inv = clean();
        secret(&mut inv).kms_key_id = None;
        secret(&mut inv).policy = Detail::collected(Some(
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": actions, "Resource": "*",
                   "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-test"}}}]})
            .into(),
        ));
        inv.sort();
        let a = sprawl_assess::assess(&inv, &Coverage::default(), ACCOUNT, now());
        findings(&a, "secret-policy-cross-account")
    };
    assert_eq!(
        under_managed(json!("secretsmanager:GetSecretValue"))[0].0,
        Severity::Info
    );
    assert_eq!(
        under_managed(json!([
            "secretsmanager:GetSecretValue",
            "secretsmanager:DeleteSecret"
        ]))[0]
            .0,
        Severity::Medium
    );

    // A function policy that lets anyone of an organization invoke it.
    let mut inv = clean();
    api(&mut inv).policy = Detail::collected(Some(
        json!({"Statement": [{"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
               "Resource": function_arn("api"), "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-test"}}}]})
        .into(),
    ));
    inv.sort();
    let alone = sprawl_assess::assess(&inv, &Coverage::default(), ACCOUNT, now());
    let got = findings(&alone, "lambda-policy-cross-account");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, Severity::Medium);
    assert!(
        got[0]
            .1
            .contains("every account of organization o-test (not verified as yours)"),
        "{got:?}"
    );
    assert!(findings(&alone, "lambda-policy-public").is_empty());
    assert_eq!(
        findings(&run(&inv), "lambda-policy-cross-account")[0].0,
        Severity::Low
    );
}

/// Issue 28: a topic anyone may publish to is a way in as open as a public URL: the function's
/// exposure and chain start there, critical only when its role reaches privilege or data; a
/// topic whose policy was not read leaves the rule not assessed for the function, never passed.
#[test]
fn a_topic_anyone_may_publish_to_ranks_like_a_public_url() {
    // The clean api function reads a secret (its role may read app/db): critical.
    let mut inv = clean();
    fed_by_topic(&mut inv, topic_policy(json!("*"), None));
    inv.sort();
    let a = run(&inv);
    let got = findings(&a, "lambda-source-public");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, Severity::Critical, "{got:?}");
    assert!(got[0].1.contains("orders-events"), "{got:?}");
    let report = a
        .functions
        .iter()
        .find(|f| f.arn == function_arn("api"))
        .unwrap();
    assert_eq!(report.score.exposure, 35, "{:?}", report.score);
    let chain = report.chain.get().unwrap();
    assert_eq!(
        chain[0].label,
        "SNS topic orders-events: anyone may publish"
    );

    // Without the secret, its role reaches neither privilege nor data: high.
    let mut inv = clean();
    fed_by_topic(&mut inv, topic_policy(json!("*"), None));
    let role = inv.roles.iter_mut().find(|r| r.name == "api-role").unwrap();
    role.inline_policies[0].document = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Logs", "Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]})
    .into();
    inv.sort();
    assert_eq!(
        findings(&run(&inv), "lambda-source-public")[0].0,
        Severity::High
    );

    // Not read: not assessed for the function, not passed.
    let mut inv = clean();
    fed_by_topic(
        &mut inv,
        Detail::Failed {
            kind: sprawl_model::FailureKind::AccessDenied,
            message: "AuthorizationError".into(),
        },
    );
    inv.sort();
    let a = run(&inv);
    assert!(findings(&a, "lambda-source-public").is_empty());
    assert!(
        a.not_assessed
            .iter()
            .any(|n| n.rule == "lambda-source-public" && n.reason.contains("AuthorizationError")),
        "{:?}",
        a.not_assessed
    );
}

/// Issue 28: another account that may publish to a topic feeding the function is reported by
/// what it is to the organization: a stranger high, an account of the organization low, any
/// account when the account is assessed alone medium; a narrowing condition one step lower.
#[test]
fn a_topic_other_accounts_may_publish_to_is_judged_against_the_organization() {
    let severity = |principal: &str, condition: Option<serde_json::Value>, alone: bool| {
        let mut inv = clean();
        fed_by_topic(&mut inv, topic_policy(json!({"AWS": principal}), condition));
        inv.sort();
        let a = if alone {
            sprawl_assess::assess(&inv, &Coverage::default(), ACCOUNT, now())
        } else {
            run(&inv)
        };
        let got = findings(&a, "lambda-source-cross-account");
        assert_eq!(got.len(), 1, "{principal}: {got:?}");
        assert!(got[0].1.contains("orders-events"), "{got:?}");
        got[0].0
    };
    let stranger = "arn:aws:iam::999999999999:root";
    let member = format!("arn:aws:iam::{SHARED}:root");
    assert_eq!(severity(stranger, None, false), Severity::High);
    assert_eq!(severity(&member, None, false), Severity::Low);
    assert_eq!(severity(stranger, None, true), Severity::Medium);
    let narrowed =
        json!({"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::999999999999:role/publisher"}});
    assert_eq!(severity(stranger, Some(narrowed), false), Severity::Medium);
}

fn report<'a>(a: &'a Assessment, name: &str) -> &'a sprawl_assess::report::FunctionReport {
    a.functions.iter().find(|f| f.name == name).unwrap()
}

/// Issue 28: writers flow downstream. A bucket anyone may upload to, which notifies a topic (the
/// topic's policy lets the bucket publish) that invokes the function, is a way into the function
/// with the topic on its path, though the topic itself admits no stranger: critical where the
/// role reads a secret, and it ranks the function above one behind a harmless public URL.
#[test]
fn a_public_bucket_upstream_of_a_topic_is_a_way_into_the_function() {
    let mut inv = clean();
    fed_by_topic(
        &mut inv,
        topic_policy(
            json!({"Service": "s3.amazonaws.com"}),
            Some(json!({"ArnLike": {"aws:SourceArn": BUCKET},
                        "StringEquals": {"aws:SourceAccount": ACCOUNT}})),
        ),
    );
    let topic = inv.topics[0].arn.clone();
    let topics = inv.topics.clone();
    // Another function behind a public URL anyone may call, whose role reaches nothing.
    let mut web = clean_function("web", "web-role");
    web.url = Detail::collected(Some(FunctionUrl {
        url: "https://web.lambda-url.eu-west-1.on.aws/".into(),
        auth_type: "NONE".into(),
        invoke_mode: None,
        cors: None,
    }));
    web.policy = Detail::collected(Some(
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "url", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunctionUrl",
             "Resource": function_arn("web"), "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}},
            {"Sid": "invoke", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
             "Resource": function_arn("web"), "Condition": {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}}]})
        .into(),
    ));
    inv.functions.push(web);
    let mut harmless = clean_role("web-role");
    harmless.inline_policies[0].document = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Logs", "Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]})
    .into();
    inv.roles.push(harmless);
    fed_by_bucket(&mut inv, |b| {
        b.triggers.clear();
        b.feeds = vec![topic.clone()];
        b.notifications = Detail::collected(sprawl_model::BucketNotifications {
            topics: vec![topic.clone()],
            ..Default::default()
        });
        b.acl = Detail::collected(vec![all_users("WRITE")]);
    });
    inv.topics = topics;
    // The function's own permission names the topic only.
    set_policy(
        &mut inv,
        json!([{"Sid": "orders", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "lambda:InvokeFunction", "Resource": function_arn("api"),
                "Condition": {"ArnLike": {"AWS:SourceArn": topic}}}]),
    );
    inv.sort();
    let a = run(&inv);
    let got = findings(&a, "lambda-source-public");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, Severity::Critical, "{got:?}");
    assert!(
        got[0]
            .1
            .contains("S3 bucket orders-uploads -> SNS topic orders-events"),
        "{got:?}"
    );
    let api = report(&a, "api");
    assert_eq!(api.score.exposure, 35, "{:?}", api.score);
    let web = report(&a, "web");
    assert_eq!(web.score.exposure, 40, "{:?}", web.score);
    assert!(
        api.rank < web.rank,
        "api {:?}, web {:?}",
        api.score,
        web.score
    );
    let chain = api.chain.get().unwrap();
    assert!(
        chain[0]
            .label
            .starts_with("S3 bucket orders-uploads -> SNS topic orders-events"),
        "{chain:?}"
    );

    // The bucket no longer notifies the topic: no way in through it.
    let mut quiet = inv.clone();
    quiet.buckets[0].notifications = Detail::collected(Default::default());
    assert!(findings(&run(&quiet), "lambda-source-public").is_empty());
    // The topic under SNS's AWS managed key: S3 cannot use the key, so it delivers nothing.
    let mut sealed = inv.clone();
    sealed.topics[0].kms_key_id = Detail::collected(Some("alias/aws/sns".into()));
    assert!(findings(&run(&sealed), "lambda-source-public").is_empty());
}

/// Issue 28: who may inject events into a function through its sources, as the explorer's
/// `injectable:` filter reads it: anyone, another account (outside the organization, or any when
/// assessed alone), only the organization's accounts, not judged, or no one.
#[test]
fn injectable_says_the_most_open_source() {
    let injectable = |policy: Detail<Option<sprawl_model::PolicyDocument>>, alone: bool| {
        let mut inv = clean();
        fed_by_topic(&mut inv, policy);
        inv.sort();
        let a = if alone {
            sprawl_assess::assess(&inv, &Coverage::default(), ACCOUNT, now())
        } else {
            run(&inv)
        };
        sprawl_assess::injectable(&report(&a, "api").entry_points)
    };
    let account = |id: &str| topic_policy(json!({"AWS": format!("arn:aws:iam::{id}:root")}), None);
    assert_eq!(injectable(topic_policy(json!("*"), None), false), "anyone");
    assert_eq!(injectable(account("999999999999"), false), "accounts");
    assert_eq!(injectable(account(SHARED), false), "org");
    assert_eq!(injectable(account(SHARED), true), "accounts");
    assert_eq!(injectable(account(ACCOUNT), false), "no");
    let denied = Detail::Failed {
        kind: sprawl_model::FailureKind::AccessDenied,
        message: "AuthorizationError".into(),
    };
    assert_eq!(injectable(denied, false), "unjudged");
    assert_eq!(
        sprawl_assess::injectable(&report(&run(&clean()), "api").entry_points),
        "no"
    );
    // EventBridge may invoke it: its rules and bus are not read yet, so not judged.
    let mut inv = clean();
    set_policy(
        &mut inv,
        json!([{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                "Action": "lambda:InvokeFunction", "Resource": function_arn("api"),
                "Condition": {"ArnLike": {"AWS:SourceArn": format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/nightly")}}}]),
    );
    inv.sort();
    assert_eq!(
        sprawl_assess::injectable(&report(&run(&inv), "api").entry_points),
        "unjudged"
    );
}

/// Issue 28: a topic anyone may publish to, delivering to a queue a function polls (the queue's
/// policy lets the topic send), is a way into the function with the queue on its path, though
/// the queue itself admits no stranger.
#[test]
fn a_public_topic_upstream_of_a_queue_is_a_way_into_the_function() {
    let mut inv = clean();
    let topic = format!("arn:aws:sns:{REGION}:{ACCOUNT}:orders-events");
    fed_by_queue(
        &mut inv,
        queue_policy(
            json!({"Service": "sns.amazonaws.com"}),
            Some(json!({"ArnEquals": {"aws:SourceArn": topic}})),
        ),
    );
    inv.topics = vec![sprawl_model::Topic {
        arn: topic.clone(),
        region: REGION.into(),
        triggers: Vec::new(),
        feeds: vec![queue_arn()],
        policy: topic_policy(json!("*"), None),
        kms_key_id: Detail::collected(None),
        subscriptions: Detail::collected(vec![sprawl_model::Subscription {
            protocol: "sqs".into(),
            endpoint: queue_arn(),
        }]),
    }];
    inv.sort();
    let a = run(&inv);
    let got = findings(&a, "lambda-source-public");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, Severity::Critical, "{got:?}");
    assert!(
        got[0]
            .1
            .contains("SNS topic orders-events -> SQS queue orders-queue"),
        "{got:?}"
    );
    assert_eq!(report(&a, "api").score.exposure, 35);

    // The queue's policy does not let the topic in: the topic reaches nothing.
    let mut quiet = inv.clone();
    quiet.topics[0].feeds.clear();
    assert!(findings(&run(&quiet), "lambda-source-public").is_empty());
}

/// Issue 28: a setting that was not read is "not judged" where it could stop a public grant
/// (the function's rule not assessed, naming the operation's failure), and judged where no
/// grant needs it; a bucket whose ACL was not read is never taken as private.
#[test]
fn an_unread_bucket_setting_is_not_judged_where_it_matters() {
    fn denied<T>() -> Detail<T> {
        Detail::Failed {
            kind: sprawl_model::FailureKind::AccessDenied,
            message: "AccessDenied: s3:GetAccountPublicAccessBlock".into(),
        }
    }
    let mut inv = clean();
    fed_by_bucket(&mut inv, |b| {
        b.policy = bucket_policy(json!("*"), None);
        b.account_public_access_block = denied();
    });
    inv.sort();
    let a = run(&inv);
    assert!(findings(&a, "lambda-source-public").is_empty());
    assert!(
        a.not_assessed
            .iter()
            .any(|n| n.rule == "lambda-source-public"
                && n.reason.contains("RestrictPublicBuckets")
                && n.reason.contains("GetAccountPublicAccessBlock")),
        "{:?}",
        a.not_assessed
    );

    // No public grant: the unread setting does not matter.
    let mut inv = clean();
    fed_by_bucket(&mut inv, |b| b.account_public_access_block = denied());
    inv.sort();
    let a = run(&inv);
    assert!(findings(&a, "lambda-source-public").is_empty());
    assert!(
        !a.not_assessed
            .iter()
            .any(|n| n.rule == "lambda-source-public"),
        "{:?}",
        a.not_assessed
    );

    // The ACL not read: not judged.
    let mut inv = clean();
    fed_by_bucket(&mut inv, |b| b.acl = denied());
    inv.sort();
    let a = run(&inv);
    assert!(
        a.not_assessed
            .iter()
            .any(|n| n.rule == "lambda-source-public" && n.reason.contains("its ACL")),
        "{:?}",
        a.not_assessed
    );
}

/// Issue 28: a push permission scoped in name only is found like one not scoped at all. An S3
/// ARN names no account (whoever owns a bucket of that name, one deleted and made again
/// elsewhere, can invoke); a SourceArn whose account is a wildcard matches everyone's topics and
/// rules; an `...IfExists` operator holds wherever the service sends no such key. Near misses:
/// the bucket with its account, a topic of this account (by name or any of its own), an
/// organization's sources.
#[test]
fn a_push_permission_scoped_in_name_only_is_found() {
    let messages = |condition: serde_json::Value, service: &str| {
        let mut inv = clean();
        set_policy(
            &mut inv,
            json!([{"Sid": "Push", "Effect": "Allow", "Principal": {"Service": service},
                    "Action": "lambda:InvokeFunction", "Resource": function_arn("api"),
                    "Condition": condition}]),
        );
        inv.sort();
        findings(&run(&inv), "lambda-policy-service-unscoped")
    };
    let s3 = "s3.amazonaws.com";
    let sns = "sns.amazonaws.com";
    for (condition, service, says, severity) in [
        (
            json!({"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}}),
            s3,
            "names no account",
            Severity::Medium,
        ),
        (
            json!({"ArnLike": {"AWS:SourceArn": "arn:aws:sns:*:*:*"}}),
            sns,
            "any account",
            Severity::High,
        ),
        (
            json!({"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::*"}, "StringLike": {"AWS:SourceAccount": "*"}}),
            s3,
            "any account",
            Severity::High,
        ),
        (
            json!({"ArnEqualsIfExists": {"AWS:SourceArn": format!("arn:aws:sns:eu-west-1:{ACCOUNT}:orders")}}),
            sns,
            "IfExists",
            Severity::High,
        ),
    ] {
        let got = messages(condition.clone(), service);
        assert_eq!(got.len(), 1, "{condition}: {got:?}");
        assert_eq!(got[0].0, severity, "{condition}: {got:?}");
        assert!(got[0].1.contains(says), "{condition}: {got:?}");
    }
    for (condition, service) in [
        (
            json!({"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}, "StringEquals": {"AWS:SourceAccount": ACCOUNT}}),
            s3,
        ),
        (
            json!({"ArnEquals": {"AWS:SourceArn": format!("arn:aws:sns:eu-west-1:{ACCOUNT}:orders")}}),
            sns,
        ),
        (
            json!({"ArnLike": {"AWS:SourceArn": format!("arn:aws:sns:*:{ACCOUNT}:*")}}),
            sns,
        ),
        (json!({"StringEquals": {"AWS:SourceOrgID": "o-test"}}), sns),
    ] {
        let got = messages(condition.clone(), service);
        assert!(got.is_empty(), "{condition}: {got:?}");
    }
}

/// Issue 27: AWS's own published layers (CloudWatch Lambda Insights, the Parameters and Secrets
/// extension, the ADOT collector, Powertools) are AWS's, never another account's foreign code,
/// in whichever region AWS publishes them from its own accounts; a layer of any other account
/// outside the organization still is foreign.
#[test]
fn aws_published_layers_are_not_foreign() {
    let aws = [
        "arn:aws:lambda:eu-west-1:580247275435:layer:LambdaInsightsExtension:38",
        "arn:aws:lambda:af-south-1:012438385374:layer:LambdaInsightsExtension-Arm64:2",
        "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension:4",
        "arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:4",
        "arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-collector-amd64-ver-0-90-1:1",
        "arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-x86_64:7",
        "arn:aws:lambda:eu-west-1:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:24",
        "arn:aws:lambda:eu-west-1:434848589818:layer:AWS-AppConfig-Extension:110",
    ];
    let mut inv = clean();
    api(&mut inv).layers = aws.iter().map(|l| l.to_string()).collect();
    inv.sort();
    for a in [
        run(&inv),
        sprawl_assess::assess(&inv, &Coverage::default(), ACCOUNT, now()),
    ] {
        let got = findings(&a, "lambda-layer-foreign");
        assert!(got.is_empty(), "{got:?}");
    }
    for l in aws {
        assert!(sprawl_assess::layers::aws_publisher(l).is_some(), "{l}");
    }
    // The same layer name from any other account is that account's.
    api(&mut inv)
        .layers
        .push("arn:aws:lambda:eu-west-1:999999999999:layer:LambdaInsightsExtension:38".into());
    let got = findings(&run(&inv), "lambda-layer-foreign");
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].1.contains("999999999999"), "{got:?}");
}

/// Issue 27: a function policy's grant to every account of an organization names what the
/// statement grants (its actions as written), not a generic "invoke": `lambda:*` lets them
/// change the function's code and policy too, and a URL-only grant is not an API grant.
#[test]
fn an_organization_grant_on_a_function_names_the_statements_actions() {
    let message = |actions: serde_json::Value| {
        let mut inv = clean();
        api(&mut inv).policy = Detail::collected(Some(
            json!({"Statement": [{"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": actions,
                   "Resource": function_arn("api"),
                   "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-test"}}}]})
            .into(),
        ));
        inv.sort();
        let a = sprawl_assess::assess(&inv, &Coverage::default(), ACCOUNT, now());
        let got = findings(&a, "lambda-policy-cross-account");
        assert_eq!(got.len(), 1, "{got:?}");
        got[0].1.clone()
    };
    let all = message(json!("lambda:*"));
    assert!(
        all.contains(
            "lets every account of organization o-test (not verified as yours) call lambda:*"
        ),
        "{all}"
    );
    let url = message(json!("lambda:InvokeFunctionUrl"));
    assert!(
        url.contains("call lambda:InvokeFunctionUrl") && !url.contains("invoke the function"),
        "{url}"
    );
    let two = message(json!(["lambda:InvokeFunction", "lambda:GetFunction"]));
    assert!(
        two.contains("call lambda:InvokeFunction, lambda:GetFunction"),
        "{two}"
    );
}

/// Metrics replace the guess: an old function with no trigger is `lambda-forgotten` only when
/// its metrics were not read; read, it is `lambda-idle` if and only if nothing invoked it. A
/// read that failed leaves every rule that needs it not assessed; one not asked for (a scan
/// without `--metrics`) leaves them silent, never "not assessed" on every function.
#[test]
fn metrics_replace_the_guess_and_a_failed_read_is_not_a_pass() {
    let old = |activity: Detail<Activity>| {
        let mut inv = clean();
        let mut f = clean_function("old-report", "api-role");
        f.last_modified = Some("2024-01-01T00:00:00.000+0000".into());
        f.activity = activity;
        inv.functions.push(f);
        inv.sort();
        let a = run(&inv);
        let arn = function_arn("old-report");
        let mut rules: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.resource == arn)
            .map(|f| f.rule.as_str())
            .collect();
        rules.sort();
        let mut unknown: Vec<&str> = a
            .not_assessed
            .iter()
            .filter(|n| n.resource == arn)
            .map(|n| n.rule.as_str())
            .collect();
        unknown.sort();
        (
            rules.into_iter().map(String::from).collect::<Vec<_>>(),
            unknown.into_iter().map(String::from).collect::<Vec<_>>(),
        )
    };
    let mut never = steady_activity(0.0, 0.0, 0.0, 0.0);
    for s in [
        &mut never.invocations,
        &mut never.errors,
        &mut never.throttles,
    ] {
        *s = Series::default();
    }
    assert_eq!(
        old(Detail::collected(never)),
        (vec!["lambda-idle".to_string()], vec![])
    );
    assert_eq!(
        old(Detail::collected(steady_activity(5.0, 0.0, 0.0, 100.0))),
        (vec![], vec![])
    );
    assert_eq!(
        old(Detail::skipped("metrics not read")),
        (vec!["lambda-forgotten".to_string()], vec![])
    );
    let denied = Detail::Failed {
        kind: FailureKind::AccessDenied,
        message: "not authorized to perform: cloudwatch:GetMetricData".into(),
    };
    let (found, unknown) = old(denied);
    assert_eq!(found, vec!["lambda-forgotten".to_string()]);
    assert_eq!(
        unknown,
        [
            "lambda-error-rate-high",
            "lambda-idle",
            "lambda-throttled",
            "lambda-timeout-over-duration"
        ]
    );
}

/// An idle function whose provisioned concurrency could not be read says so in its evidence:
/// not read is not none.
#[test]
fn an_unread_provisioned_concurrency_is_said_not_taken_as_none() {
    let mut inv = clean();
    let mut f = clean_function("old-report", "api-role");
    f.last_modified = Some("2024-01-01T00:00:00.000+0000".into());
    let mut quiet = steady_activity(0.0, 0.0, 0.0, 0.0);
    quiet.invocations = Series::default();
    f.activity = Detail::collected(quiet);
    f.provisioned_concurrency = Detail::Failed {
        kind: FailureKind::AccessDenied,
        message: "not authorized to perform: lambda:ListProvisionedConcurrencyConfigs".into(),
    };
    inv.functions.push(f);
    inv.sort();
    let a = run(&inv);
    let idle = a
        .findings
        .iter()
        .find(|x| x.rule == "lambda-idle" && x.resource == function_arn("old-report"))
        .expect("idle");
    let evidence = format!("{:?}", idle.evidence.get());
    assert!(
        evidence.contains("provisioned concurrency not read"),
        "{evidence}"
    );
}

/// A negated principal condition on an Allow to everyone (`StringNotEquals aws:PrincipalArn`,
/// ...) admits everyone but those listed: it never narrows the grant, for functions, secrets
/// and layers alike. Beside a Deny of everyone outside the organization (a secret whose "deny
/// unauthorized principals" statement was written as an Allow), it is every account of the
/// organization.
#[test]
fn negated_principal_conditions_never_narrow_a_grant() {
    let others = [
        ("StringNotEquals", "aws:PrincipalArn", role_arn("api")),
        ("StringNotLike", "aws:PrincipalArn", role_arn("deploy-*")),
        ("ArnNotEquals", "aws:PrincipalArn", role_arn("api")),
        ("ArnNotLike", "aws:PrincipalArn", role_arn("ops-*")),
        (
            "StringNotEquals",
            "aws:PrincipalAccount",
            "210987654321".into(),
        ),
        (
            "StringNotEqualsIfExists",
            "aws:userid",
            "AROAEXAMPLE:*".into(),
        ),
    ];
    for (op, key, value) in &others {
        let condition = json!({ *op: { *key: value } });
        let mut inv = clean();
        secret(&mut inv).policy = Detail::collected(Some(
            json!({"Statement": [{"Effect": "Allow", "Principal": "*",
                "Action": "secretsmanager:GetSecretValue", "Resource": "*",
                "Condition": condition}]})
            .into(),
        ));
        set_policy(
            &mut inv,
            json!([{"Sid": "all", "Effect": "Allow", "Principal": "*",
                "Action": "lambda:InvokeFunction", "Resource": "*", "Condition": condition}]),
        );
        let st = json!({"Sid": "share", "Effect": "Allow", "Principal": "*",
            "Action": "lambda:GetLayerVersion", "Resource": inv.layers[0].arn, "Condition": condition});
        inv.layers[0].policy = Detail::collected(Some(
            json!({"Version": "2012-10-17", "Statement": [st]}).into(),
        ));
        let a = run(&inv);
        for rule in [
            "secret-policy-public",
            "lambda-policy-public",
            "lambda-layer-shared",
        ] {
            assert!(!fired(&a, rule).is_empty(), "{op} {key}: {rule}");
        }
        // A positive condition on the same key is the near miss: it narrows.
        let positive = op.replace("Not", "").replace("IfExists", "");
        let mut inv = clean();
        secret(&mut inv).policy = Detail::collected(Some(
            json!({"Statement": [{"Effect": "Allow", "Principal": "*",
                "Action": "secretsmanager:GetSecretValue", "Resource": "*",
                "Condition": { positive.as_str(): { *key: value } }}]})
            .into(),
        ));
        assert!(
            fired(&run(&inv), "secret-policy-public").is_empty(),
            "{positive} {key}"
        );
    }

    // With a Deny of everyone outside the organization beside it: every account of it.
    let mut inv = clean();
    secret(&mut inv).policy = Detail::collected(Some(
        json!({"Statement": [
            {"Sid": "DenyUnauthorized", "Effect": "Allow", "Principal": "*",
             "Action": "secretsmanager:GetSecretValue", "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:PrincipalArn": role_arn("api")}}},
            {"Sid": "OrgOnly", "Effect": "Deny", "Principal": "*",
             "Action": "secretsmanager:GetSecretValue", "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-test"}}}
        ]})
        .into(),
    ));
    let a = run(&inv);
    assert!(
        fired(&a, "secret-policy-public").is_empty(),
        "{:?}",
        a.findings
    );
    let shared = fired(&a, "secret-policy-cross-account");
    assert!(
        shared
            .iter()
            .any(|m| m.contains("every account of the organization (o-test")),
        "{shared:?}"
    );
}

/// A CI deployer that many functions of another account may become: each secret it reads
/// counts them all, names the first hundred (by account and function), and says how many more;
/// the chains into it are found backwards from it, each a shortest one.
#[test]
fn many_foreign_readers_are_counted_whole_and_named_in_part() {
    use sprawl_assess::FOREIGN_READERS_KEPT;
    const READERS: usize = 150;
    let mut ours = clean();
    let mut unrotated = clean_secret("app/other");
    unrotated.rotation_enabled = false;
    unrotated.rotation_lambda_arn = None;
    ours.secrets.push(unrotated);
    ours.roles.push(role_in(
        ACCOUNT,
        "deployer",
        json!([{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]),
        json!([{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{SHARED}:root")}, "Action": "sts:AssumeRole"}]),
    ));
    let mut theirs = Inventory::default();
    for i in 0..READERS {
        let name = format!("job-{i:03}");
        let role = role_in(
            SHARED,
            &name,
            json!([{"Effect": "Allow", "Action": "sts:AssumeRole",
                    "Resource": format!("arn:aws:iam::{ACCOUNT}:role/deployer")}]),
            json!([{"Effect": "Allow", "Principal": {"Service": LAMBDA_TRUST}, "Action": "sts:AssumeRole"}]),
        );
        let mut f = clean_function(&name, &name);
        f.arn = format!("arn:aws:lambda:{REGION}:{SHARED}:function:{name}");
        f.role_arn = role.arn.clone();
        theirs.functions.push(f);
        theirs.roles.push(role);
    }
    ours.roles.extend(theirs.roles);
    ours.functions.extend(theirs.functions);
    let (a, crossings) = run_with_crossings(&ours, &Err("not read".into()));
    let deployer = format!("arn:aws:iam::{ACCOUNT}:role/deployer");
    let chains = crossings.chains(&deployer);
    assert_eq!(chains.len(), READERS);
    assert!(
        chains
            .iter()
            .all(|c| c.roles.len() == 2 && c.roles[1] == deployer)
    );
    let every = &a.foreign_readers_of_every_secret;
    assert_eq!(every.len(), FOREIGN_READERS_KEPT);
    assert!(
        every[0].function.ends_with(":function:job-000"),
        "{:?}",
        every[0]
    );
    assert!(every.windows(2).all(|w| w[0].function < w[1].function));
    assert!(every[0].how.contains("deployer (this)"), "{}", every[0].how);
    for s in &a.secrets {
        assert_eq!(s.foreign_reader_total, READERS, "{}", s.arn);
        assert_eq!(s.foreign_count(every), READERS);
        assert_eq!(s.reader_count(&a), s.local_readers(&a).len() + READERS);
    }
    // The role's blast radius across accounts: the first hundred, counted whole.
    let r = a.roles.iter().find(|r| r.arn == deployer).unwrap();
    assert_eq!(
        (r.from_other_accounts.len(), r.from_other_accounts_total),
        (100, READERS)
    );
    // A finding on the secret names five of them and counts the rest.
    let f = a
        .findings
        .iter()
        .find(|f| f.rule.starts_with("secret-") && f.resource.contains("app/other"))
        .expect("the unrotated secret is found");
    let evidence = format!("{:?}", f.evidence);
    assert!(evidence.contains("145 more functions"), "{evidence}");
}

/// An IoT topic rule's publishers are decided by IoT policies sprawl does not read: the function
/// it invokes is not assessed for `lambda-source-public`, and `injectable` says `unjudged`,
/// never `no`; a permission the rule does not use (it invokes another function) is no way in.
#[test]
fn an_iot_rule_s_publishers_are_not_judged_never_no_one() {
    let mut inv = clean();
    fed_by_iot(&mut inv, true);
    let a = run(&inv);
    assert!(
        a.not_assessed
            .iter()
            .any(|n| n.rule == "lambda-source-public" && n.reason.contains("IoT policies")),
        "{:?}",
        a.not_assessed
    );
    let api = a.functions.iter().find(|f| f.name == "api").unwrap();
    assert_eq!(sprawl_assess::injectable(&api.entry_points), "unjudged");

    let mut inv = clean();
    fed_by_iot(&mut inv, false);
    let a = run(&inv);
    assert!(
        !a.not_assessed
            .iter()
            .any(|n| n.rule == "lambda-source-public"),
        "{:?}",
        a.not_assessed
    );
}

/// Anyone may publish to an IoT rule's topics as an identity pool's unauthenticated identity
/// whose role may: the function is `injectable:anyone`, and the finding names the pool, the role
/// and its statement. Where no pool lets anyone publish, it stays not judged, saying so.
#[test]
fn an_identity_pool_s_guests_publish_to_an_iot_rule() {
    let mut inv = clean();
    iot_guests(
        &mut inv,
        true,
        GuestsBy::Own,
        "unauthenticated",
        "devices/*",
    );
    let a = run(&inv);
    let api = a.functions.iter().find(|f| f.name == "api").unwrap();
    assert_eq!(sprawl_assess::injectable(&api.entry_points), "anyone");
    let f = a
        .findings
        .iter()
        .find(|f| f.rule == "lambda-source-public")
        .expect("anyone publishes to the rule's topics");
    let text = format!("{} {:?}", f.message, f.evidence);
    for part in [
        "telemetry-app",
        "guest-role",
        "Telemetry",
        "devices/+/telemetry",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }

    let mut inv = clean();
    iot_guests(&mut inv, true, GuestsBy::Own, "unauthenticated", "admin/*");
    let a = run(&inv);
    let api = a.functions.iter().find(|f| f.name == "api").unwrap();
    assert_eq!(sprawl_assess::injectable(&api.entry_points), "unjudged");
    assert!(
        a.not_assessed
            .iter()
            .any(|n| n.rule == "lambda-source-public" && n.reason.contains("no identity pool of")),
        "{:?}",
        a.not_assessed
    );
}

/// Issue 29: a package's advisory is judged with the function's place: a critical advisory is
/// critical where anyone reaches the function and its role reaches privilege or data, high where
/// one holds, medium where neither does; the finding names the package, the advisory and its
/// fix. Packages no database judged are not assessed, saying why, never clean.
#[test]
fn a_vulnerable_package_is_as_severe_as_the_function_s_place() {
    let judged = |public: bool, data: bool| {
        let mut inv = clean();
        if public {
            url(&mut inv, "NONE", &[]);
            public_url_policy(&mut inv, true);
        }
        if !data {
            api_role(&mut inv).inline_policies.clear();
        }
        runs_pyyaml(
            &mut inv,
            vec![advisory("GHSA-8q59-q68h-6hv4", "critical", false)],
        );
        let a = run(&inv);
        let f = a
            .findings
            .iter()
            .find(|f| f.rule == "lambda-code-vulnerable")
            .expect("a vulnerable package");
        (f.severity, f.message.clone())
    };
    let (severity, message) = judged(true, true);
    assert_eq!(severity, Severity::Critical, "{message}");
    for part in [
        "PyYAML 5.3.1",
        "GHSA-8q59-q68h-6hv4",
        "fixed in 5.4",
        "anyone reaches it",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    assert_eq!(judged(false, true).0, Severity::High);
    assert_eq!(judged(true, false).0, Severity::High);
    assert_eq!(judged(false, false).0, Severity::Medium);

    let reason = |change: fn(&mut Inventory)| {
        let mut inv = clean();
        runs_pyyaml(&mut inv, Vec::new());
        change(&mut inv);
        let a = run(&inv);
        a.not_assessed
            .iter()
            .find(|n| n.rule == "lambda-code-vulnerable")
            .map(|n| n.reason.clone())
    };
    assert_eq!(reason(|_| {}), None);
    let none = reason(|i| i.advisories = None).unwrap();
    assert!(none.contains("--vuln-db"), "{none}");
    let npm_only = reason(|i| {
        i.advisories.as_mut().unwrap().database.ecosystems = vec!["npm".into()];
        i.advisories.as_mut().unwrap().by_purl.clear();
    })
    .unwrap();
    assert!(npm_only.contains("holds no PyPI advisories"), "{npm_only}");
}

/// Issue 29: a secret in the function's own files is critical where the function is exposed (as
/// one in its environment), one in a dependency's files medium; code asked for and not read is
/// not assessed, never clean; code not asked for (a scan without `--code`) is quiet.
#[test]
fn code_secrets_are_judged_by_whose_file_and_unread_code_is_not_assessed() {
    let severity = |audit| {
        let mut inv = clean();
        url(&mut inv, "NONE", &[]);
        public_url_policy(&mut inv, true);
        code_read(&mut inv, audit);
        let a = run(&inv);
        let f = a.findings.iter().find(|f| f.rule == "lambda-code-secret");
        f.map(|f| (f.severity, f.message.clone()))
    };
    let (own, message) = severity(secret_in_code("aws-access-key-id", false)).unwrap();
    assert_eq!(own, Severity::Critical, "{message}");
    assert!(
        message.contains("its own file app/config.py, line 3"),
        "{message}"
    );
    let (vendored, _) = severity(secret_in_code("aws-access-key-id", true)).unwrap();
    assert_eq!(vendored, Severity::Medium);

    let not_assessed = |inv: &Inventory| {
        let a = run(inv);
        let mut rules: Vec<String> = a
            .not_assessed
            .iter()
            .filter(|n| n.rule.starts_with("lambda-code") || n.rule == "lambda-layer-secret")
            .map(|n| format!("{}: {}", n.rule, n.reason))
            .collect();
        rules.sort();
        rules
    };
    let mut inv = clean();
    api(&mut inv).code = Detail::Failed {
        kind: FailureKind::NotSupported,
        message: "a container image".into(),
    };
    let said = not_assessed(&inv);
    assert!(
        said.iter()
            .any(|n| n.starts_with("lambda-code-secret: its code not read")),
        "{said:?}"
    );
    assert!(
        said.iter().any(|n| n.starts_with("lambda-code-unreadable")),
        "{said:?}"
    );
    // Its package read, its layer not.
    let mut inv = clean();
    code_read(&mut inv, sprawl_model::code::CodeAudit::default());
    inv.layer_code[0].code = Detail::Failed {
        kind: FailureKind::AccessDenied,
        message: "not authorized to perform lambda:GetLayerVersion".into(),
    };
    // Every rule over what it runs says which layer it could not read.
    let said = not_assessed(&inv);
    let rules: Vec<&str> = said.iter().map(|n| n.split(':').next().unwrap()).collect();
    assert_eq!(
        rules,
        [
            "lambda-code-malicious",
            "lambda-code-vulnerable",
            "lambda-layer-secret"
        ]
    );
    assert!(
        said.iter().all(|n| n.contains(": layer arn:aws:lambda")),
        "{said:?}"
    );
    assert!(not_assessed(&clean()).is_empty());
}

/// An identity pool whose guests are not known (its region's listing failed, or its guests' role
/// was not read) leaves a source of the account that a guest role might write to not judged,
/// never "only this account"; a pool known to keep guests out, an older snapshot without pools,
/// and a source anyone already writes to keep their answers.
#[test]
fn an_unread_identity_pool_leaves_the_account_s_sources_unjudged() {
    let injectable = |with: &dyn Fn(&mut Inventory)| {
        let mut inv = clean();
        fed_by_topic(&mut inv, Detail::collected(None));
        with(&mut inv);
        let a = run(&inv);
        let api = a.functions.iter().find(|f| f.name == "api").unwrap();
        let reasons: Vec<String> = a
            .not_assessed
            .iter()
            .filter(|n| n.rule == "lambda-source-public")
            .map(|n| n.reason.clone())
            .collect();
        (
            sprawl_assess::injectable(&api.entry_points),
            reasons.join(" | "),
        )
    };
    let denied = || Detail::Failed {
        kind: FailureKind::AccessDenied,
        message: "not authorized to perform cognito-identity:ListIdentityPools".into(),
    };
    let listing_failed = |i: &mut Inventory| {
        i.identity_pools = vec![sprawl_model::IdentityPools {
            region: REGION.into(),
            pools: denied(),
        }];
    };
    let (answer, why) = injectable(&listing_failed);
    assert_eq!(answer, "unjudged", "{why}");
    for part in [
        "sns:Publish",
        "identity pools not read",
        "ListIdentityPools",
        REGION,
    ] {
        assert!(why.contains(part), "{part}: {why}");
    }

    let role_unread = |i: &mut Inventory| {
        guest_may(i, GuestsBy::Own, "sqs:SendMessage");
        let pools = i.identity_pools[0].pools.value().cloned().unwrap();
        let pool = sprawl_model::IdentityPool {
            unauthenticated_role: Detail::Failed {
                kind: FailureKind::ServerError,
                message: "HTTP 500".into(),
            },
            ..pools[0].clone()
        };
        i.identity_pools[0].pools = Detail::collected(vec![pool]);
    };
    let (answer, why) = injectable(&role_unread);
    assert_eq!(answer, "unjudged", "{why}");
    assert!(
        why.contains("telemetry-app") && why.contains("its unauthenticated role not read"),
        "{why}"
    );

    // Known answers stay: a pool that keeps guests out, a snapshot from before the pools were
    // read, a topic anyone may publish to.
    let no_guests = |i: &mut Inventory| {
        guest_pool(i, false, GuestsBy::Own, "unauthenticated", json!([]));
    };
    assert_eq!(injectable(&no_guests).0, "no");
    assert_eq!(injectable(&|_| {}).0, "no");
    let public = |i: &mut Inventory| {
        i.topics[0].policy = topic_policy(json!("*"), None);
        listing_failed(i);
    };
    assert_eq!(injectable(&public).0, "anyone");
}

/// A log group's subscription filter delivering to the function: a log group has no resource
/// policy, so only the account's own principals and services write to it (`injectable: no`),
/// with the group on the function's entry points.
#[test]
fn a_log_group_is_written_by_its_own_account() {
    let mut inv = clean();
    let group = format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/apigateway/access");
    pushed_by(&mut inv, "logs.amazonaws.com", &format!("{group}:*"));
    inv.log_subscriptions = vec![sprawl_model::LogSubscription {
        arn: group.clone(),
        region: REGION.into(),
        triggers: vec![function_arn("api")],
        filters: Detail::collected(vec![sprawl_model::SubscriptionFilter {
            name: "errors".into(),
            pattern: "ERROR".into(),
            destination: function_arn("api"),
        }]),
    }];
    let a = run(&inv);
    let api = a.functions.iter().find(|f| f.name == "api").unwrap();
    assert_eq!(sprawl_assess::injectable(&api.entry_points), "no");
    assert!(
        api.entry_points.iter().any(|e| matches!(e,
            sprawl_assess::report::EntryPoint::Source { service, arn, .. } if service == "logs" && *arn == group)),
        "{:?}",
        api.entry_points
    );
}

/// A Kafka cluster (MSK) or an MQ broker a mapping polls: its producers are decided by the
/// broker's own authentication, which sprawl does not read, so the function is not assessed for
/// `lambda-source-public` (naming why) and `unjudged`, never passed.
#[test]
fn a_broker_s_producers_are_not_judged_never_no_one() {
    for (source, says) in [
        (
            format!("arn:aws:kafka:{REGION}:{ACCOUNT}:cluster/orders/1a2b"),
            "Kafka topic",
        ),
        (
            format!("arn:aws:mq:{REGION}:{ACCOUNT}:broker:orders:b-1"),
            "MQ broker",
        ),
    ] {
        let mut inv = clean();
        polls(&mut inv, &source, None);
        let a = run(&inv);
        assert!(
            a.not_assessed
                .iter()
                .any(|n| n.rule == "lambda-source-public" && n.reason.contains(says)),
            "{source}: {:?}",
            a.not_assessed
        );
        let api = a.functions.iter().find(|f| f.name == "api").unwrap();
        assert_eq!(sprawl_assess::injectable(&api.entry_points), "unjudged");
    }
}

/// Issue 28: a topic of one account whose policy lets another account publish, and a role of
/// that other account whose own policy allows `sns:Publish` on it, is an edge between the
/// accounts to every function the topic invokes, through the topic; without the role's own
/// grant there is none.
#[test]
fn a_source_another_account_may_write_to_is_an_edge_between_accounts() {
    let partner = "210987654321";
    let mut inv = clean();
    fed_by_topic(
        &mut inv,
        topic_policy(json!({"AWS": format!("arn:aws:iam::{partner}:root")}), None),
    );
    let writes = sprawl_assess::sources::foreign_writes(&inv, ACCOUNT);
    assert_eq!(writes.len(), 1, "{writes:?}");
    let edges = |grant: serde_json::Value| {
        invoke_edges(
            &writes,
            role_in(partner, "publisher-exec", grant, lambda_trust()),
        )
    };
    let found = edges(json!([{"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}]));
    assert_eq!(found.len(), 1, "{found:?}");
    let e = &found[0];
    assert_eq!(e.function, function_arn("api"));
    assert_eq!(
        (e.edge.from_account.as_str(), e.edge.to_account.as_str()),
        (partner, ACCOUNT)
    );
    assert_eq!(e.through.as_deref(), Some("SNS topic orders-events"));
    assert_eq!(e.edge.admitted.policy, "topic policy");
    // The role's own policies must allow the publish too.
    let none = edges(json!([{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]));
    assert!(none.is_empty(), "{none:?}");
}

/// Issue 28: a function subscribed to a topic of another account is written by that account's
/// principals, whatever the topic's policy says (IAM policies in its own account are enough), and
/// when the policy could not be read (from this account, most often) too: the owner is an account
/// that chooses the function's input (`lambda-source-cross-account`, low for one of the
/// organization), and `injectable:org`. Near miss: the same topic in this account.
#[test]
fn a_topic_of_another_account_is_written_by_that_account() {
    let owner = "210987654321";
    let topic = format!("arn:aws:sns:{REGION}:{owner}:orders-events");
    // SNS's default topic policy: the owner's principals only.
    let default = resource_policy(
        json!("SNS:Publish"),
        topic.clone(),
        json!({"AWS": "*"}),
        Some(json!({"StringEquals": {"AWS:SourceOwner": owner}})),
    );
    let unread = Detail::Failed {
        kind: sprawl_model::FailureKind::AccessDenied,
        message: "not authorized to GetTopicAttributes".into(),
    };
    for (policy, read) in [(default.clone(), true), (unread, false)] {
        let mut inv = clean();
        fed_by_topic_of(&mut inv, owner, policy);
        let a = run(&inv);
        let api = a.functions.iter().find(|f| f.name == "api").unwrap();
        assert_eq!(
            sprawl_assess::injectable(&api.entry_points),
            "org",
            "read {read}: {:?}",
            api.entry_points
        );
        let hit = a
            .findings
            .iter()
            .find(|f| f.rule == "lambda-source-cross-account")
            .unwrap_or_else(|| panic!("read {read}: {:?}", a.findings));
        assert_eq!(hit.severity, Severity::Low, "{hit:?}");
        assert!(hit.message.contains(owner), "{}", hit.message);
        assert!(
            hit.evidence
                .get()
                .unwrap()
                .iter()
                .any(|e| e.path == "owner account: its own account's IAM policies"),
            "{:?}",
            hit.evidence
        );
        // The entry point names the owner, as the rules do, and says what else is not known.
        let entry = api
            .entry_points
            .iter()
            .find(|e| matches!(e, sprawl_assess::report::EntryPoint::Source { .. }))
            .unwrap()
            .describe();
        let named = format!(
            "SNS topic orders-events: arn:aws:iam::{owner}:root (account shared-services ({owner}) of the organization) may publish"
        );
        assert!(entry.starts_with(&named), "{entry}");
        assert_eq!(
            entry.contains("who else may is not judged"),
            !read,
            "{entry}"
        );
        // What else may publish is not known where the policy was not read.
        assert_eq!(
            a.not_assessed
                .iter()
                .any(|n| n.rule == "lambda-source-public"),
            !read,
            "{:?}",
            a.not_assessed
        );
    }
    let mut inv = clean();
    fed_by_topic(&mut inv, default);
    let a = run(&inv);
    assert!(
        !a.findings
            .iter()
            .any(|f| f.rule == "lambda-source-cross-account"),
        "{:?}",
        a.findings
    );
}

/// Issue 28: a topic of one account that a function of another subscribes to is an edge between
/// them for the topic owner's roles whose own policies allow `sns:Publish` on it, even where the
/// function's account could not read the topic's policy; a role that may not publish is none.
#[test]
fn a_topic_another_account_owns_is_an_edge_from_its_publishers() {
    let owner = "210987654321";
    let mut inv = clean();
    fed_by_topic_of(
        &mut inv,
        owner,
        Detail::Failed {
            kind: sprawl_model::FailureKind::AccessDenied,
            message: "not authorized".into(),
        },
    );
    let writes = sprawl_assess::sources::foreign_writes(&inv, ACCOUNT);
    assert_eq!(writes.len(), 1, "{writes:?}");
    let edges = |grant: serde_json::Value| {
        invoke_edges(
            &writes,
            role_in(owner, "release-bot", grant, lambda_trust()),
        )
    };
    let topic = format!("arn:aws:sns:{REGION}:{owner}:orders-events");
    let found = edges(json!([{"Effect": "Allow", "Action": "sns:Publish", "Resource": topic}]));
    assert_eq!(found.len(), 1, "{found:?}");
    let e = &found[0];
    assert_eq!(e.function, function_arn("api"));
    assert_eq!(
        (e.edge.from_account.as_str(), e.edge.to_account.as_str()),
        (owner, ACCOUNT)
    );
    assert_eq!(e.through.as_deref(), Some("SNS topic orders-events"));
    assert_eq!(e.edge.admitted.policy, "owner account");
    let none = edges(json!([{"Effect": "Allow", "Action": "sns:ListTopics", "Resource": "*"}]));
    assert!(none.is_empty(), "{none:?}");
}

/// Issue 28: a rule on the default bus whose pattern takes the S3 events of buckets it does not
/// name (every bucket of the region that sends its events to EventBridge, or a prefix's) is
/// written to by their uploaders, whom sprawl does not judge (it reads only the buckets functions
/// and rules name): `lambda-source-public` is not assessed, saying so, and the function is
/// `injectable:unjudged`, never "no". Near misses: the same rule naming its bucket exactly (the
/// bucket is then read and judged as a source of its own), and the rule disabled.
#[test]
fn a_rule_taking_every_bucket_s_s3_events_is_not_judged_never_no_one() {
    let with = |pattern: &str, state: &str| {
        let mut inv = clean();
        fed_by_rule(&mut inv, Detail::collected(None), state);
        let rule = format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/uploaded");
        set_policy(
            &mut inv,
            json!([{"Sid": "events", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "lambda:InvokeFunction", "Resource": function_arn("api"),
                    "Condition": {"ArnLike": {"AWS:SourceArn": rule}}}]),
        );
        let default = format!("arn:aws:events:{REGION}:{ACCOUNT}:event-bus/default");
        let r = &mut inv.event_rules[0];
        r.arn = rule;
        r.bus = default.clone();
        r.pattern = Detail::collected(Some(pattern.into()));
        inv.event_buses[0].arn = default;
        let a = run(&inv);
        let api = a.functions.iter().find(|f| f.name == "api").unwrap();
        let unjudged = a
            .not_assessed
            .iter()
            .any(|n| n.rule == "lambda-source-public" && n.reason.contains("does not name"));
        (sprawl_assess::injectable(&api.entry_points), unjudged)
    };
    for every in [
        r#"{"source": ["aws.s3"], "detail-type": ["Object Created"]}"#,
        r#"{"source": ["aws.s3"], "detail": {"bucket": {"name": [{"prefix": "uploads-"}]}}}"#,
    ] {
        assert_eq!(with(every, "ENABLED"), ("unjudged", true), "{every}");
        // A disabled rule delivers nothing: not this rule's uploaders (its permission alone
        // stays unjudged, as for any rule).
        assert!(!with(every, "DISABLED").1, "{every}");
    }
    let named = r#"{"source": ["aws.s3"], "detail": {"bucket": {"name": ["uploads"]}}}"#;
    assert_eq!(with(named, "ENABLED"), ("no", false));
}

/// The finding of `rule` on `api`, in the organization's assessment of `inv`.
fn on_api(inv: &Inventory, rule: &str) -> sprawl_assess::Finding {
    let a = run(inv);
    a.findings
        .iter()
        .find(|f| f.rule == rule && f.resource == function_arn("api"))
        .unwrap_or_else(|| panic!("{:?}", a.findings))
        .clone()
}

/// Issue 28: a function subscribed to a topic of another account of the organization, where a
/// function anyone can invoke runs as a role that may publish to it: anyone reaches the
/// function, through that account (critical when its own role reaches privilege, high
/// otherwise), the evidence naming the role and what runs as it. Near miss: the same role run
/// by no public function is the organization's own writer (low).
#[test]
fn a_public_function_of_another_account_that_publishes_to_the_topic_is_a_way_in_from_anyone() {
    // `data`: the function's role reads a secret (as clean()'s does), or reads nothing.
    let build = |public: bool, data: bool| {
        let mut inv = clean();
        fed_by_topic_of(
            &mut inv,
            SHARED,
            Detail::Failed {
                kind: sprawl_model::FailureKind::AccessDenied,
                message: "not authorized".into(),
            },
        );
        release_bot(&mut inv, "sns:Publish", public);
        if !data {
            api_role(&mut inv).inline_policies.clear();
        }
        inv.sort();
        let hit = on_api(&inv, "lambda-source-cross-account");
        let evidence = hit.evidence.get().unwrap().clone();
        (hit.severity, hit.message, evidence)
    };
    let (severity, message, evidence) = build(true, true);
    assert_eq!(severity, Severity::Critical, "{message}");
    assert!(
        message.ends_with(
            "anyone reaches it, as release-bot (shared-services), which anyone can invoke, runs as release-bot-role"
        ),
        "{message}"
    );
    assert!(
        evidence
            .iter()
            .any(|e| e.path == "role of shared-services that may"
                && e.value
                    .starts_with("release-bot-role: sns:Publish by own statement 0")
                && e.value.ends_with("run by release-bot")),
        "{evidence:?}"
    );
    assert_eq!(build(true, false).0, Severity::High);
    let (severity, message, evidence) = build(false, true);
    assert_eq!(severity, Severity::Low, "{message}");
    assert!(!message.contains("anyone"), "{message}");
    assert!(
        evidence
            .iter()
            .any(|e| e.path == "role of shared-services that may"),
        "{evidence:?}"
    );

    // A topic of this account that every account of the organization may publish to: the
    // roles of any of them that may, and the public function running as one.
    let org_topic = |public: bool| {
        let mut inv = clean();
        fed_by_topic(
            &mut inv,
            topic_policy(
                json!("*"),
                Some(json!({"StringEquals": {"aws:PrincipalOrgID": "o-test"}})),
            ),
        );
        release_bot(&mut inv, "sns:Publish", public);
        inv.sort();
        let hit = on_api(&inv, "lambda-source-cross-account");
        (hit.severity, hit.message)
    };
    let (severity, message) = org_topic(true);
    assert_eq!(severity, Severity::Critical, "{message}");
    assert!(
        message.starts_with("every account of the organization (o-test, 3 accounts) may publish"),
        "{message}"
    );
    assert!(message.ends_with("runs as release-bot-role"), "{message}");
    assert_eq!(org_topic(false).0, Severity::Low);

    // The same for a role that invokes the function itself, which its policy lets the account
    // do (`lambda-policy-cross-account`).
    let mut inv = clean();
    set_policy(
        &mut inv,
        json!([{"Sid": "Shared", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{SHARED}:root")},
                "Action": "lambda:InvokeFunction", "Resource": function_arn("api")}]),
    );
    release_bot(&mut inv, "lambda:InvokeFunction", true);
    inv.sort();
    let message_of = |inv: &Inventory| {
        let hit = on_api(inv, "lambda-policy-cross-account");
        (hit.severity, hit.message)
    };
    let public_bot = "anyone reaches it, as release-bot (shared-services), which anyone can invoke, runs as release-bot-role";
    let (severity, message) = message_of(&inv);
    assert_eq!(severity, Severity::Critical, "{message}");
    assert!(message.ends_with(public_bot), "{message}");
    // And for a grant to the whole organization: the roles of any of its accounts.
    set_policy(
        &mut inv,
        json!([{"Sid": "Org", "Effect": "Allow", "Principal": "*",
                "Action": "lambda:InvokeFunction", "Resource": function_arn("api"),
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-test"}}}]),
    );
    let (severity, message) = message_of(&inv);
    assert_eq!(severity, Severity::Critical, "{message}");
    assert!(message.ends_with(public_bot), "{message}");
}

/// A trust policy's statements letting Lambda assume a role.
fn lambda_trust() -> serde_json::Value {
    json!([{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}])
}

/// The invoke edges between this account, whose sources `writes` are, and the account of
/// `role` (alone there), within the test organization.
fn invoke_edges(
    writes: &[sprawl_assess::sources::ForeignWrite],
    role: Role,
) -> Vec<sprawl_assess::paths::InvokeEdge> {
    use sprawl_assess::paths::{AccountRoles, cross_account_edges};
    let account = role.arn.split(':').nth(4).unwrap_or_default().to_string();
    let roles = [role];
    cross_account_edges(
        &[
            AccountRoles {
                account: ACCOUNT,
                roles: &[],
                guard: Default::default(),
                secrets: &[],
                functions: &[],
                sources: writes,
            },
            AccountRoles {
                account: &account,
                roles: &roles,
                guard: Default::default(),
                secrets: &[],
                functions: &[],
                sources: &[],
            },
        ],
        Some(&organization()),
        now(),
    )
    .invokes
}

/// The shared-services account's release bot: a function running as `release-bot-role`, which
/// may do `action` on anything, and which anyone may invoke when `public`.
fn release_bot(inv: &mut Inventory, action: &str, public: bool) {
    inv.roles.push(role_in(
        SHARED,
        "release-bot-role",
        json!([{"Effect": "Allow", "Action": action, "Resource": "*"}]),
        lambda_trust(),
    ));
    let mut bot = api(inv).clone();
    bot.name = "release-bot".into();
    bot.arn = format!("arn:aws:lambda:{REGION}:{SHARED}:function:release-bot");
    bot.role_arn = format!("arn:aws:iam::{SHARED}:role/release-bot-role");
    bot.policy = Detail::collected(public.then(|| {
        json!({"Version": "2012-10-17", "Statement": [{"Sid": "Anyone", "Effect": "Allow",
               "Principal": "*", "Action": "lambda:InvokeFunction", "Resource": bot.arn}]})
        .into()
    }));
    inv.functions.push(bot);
}
