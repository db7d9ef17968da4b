//! A whole organization in one run, against the emulator: moto's Organizations API lists the
//! accounts, and credentials from `sts:AssumeRole` into a member role act as that account, each
//! with its own Lambda and IAM state. Seeded with the Rust SDK.

use std::collections::BTreeMap;

use aws_config::SdkConfig;
use aws_sdk_organizations::types::OrganizationFeatureSet;
use sprawl::snapshot::org::{self, Opened};

use crate::support::{self, as_account, seed};

/// The management account moto starts with.
const MANAGEMENT: &str = "123456789012";

/// Functions (each with a role of its own) in an account.
async fn plant(config: &SdkConfig, functions: &[&str]) {
    let iam = aws_sdk_iam::Client::new(config);
    let lambda = aws_sdk_lambda::Client::new(config);
    for name in functions {
        let role = format!("{name}-role");
        seed::role(&iam, &role, seed::LAMBDA_TRUST, None).await;
        let account = aws_sdk_sts::Client::new(config)
            .get_caller_identity()
            .send()
            .await
            .unwrap()
            .account
            .unwrap();
        seed::function(
            &lambda,
            name,
            "python3.12",
            &format!("arn:aws:iam::{account}:role/{role}"),
            &[("STAGE", "prod")],
        )
        .await;
    }
}

/// Creates the organization (all features) as `base`'s account, its management account: its
/// client and its root's id.
async fn organization(base: &SdkConfig) -> (aws_sdk_organizations::Client, String) {
    let orgs = aws_sdk_organizations::Client::new(base);
    orgs.create_organization()
        .feature_set(OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap();
    let root = orgs.list_roots().send().await.unwrap().roots.unwrap()[0]
        .id
        .clone()
        .unwrap();
    (orgs, root)
}

/// Creates account `name` in the organization and moves it from the root under `parent`.
async fn account_in(
    orgs: &aws_sdk_organizations::Client,
    name: &str,
    root: &str,
    parent: &str,
) -> String {
    let id = orgs
        .create_account()
        .email(format!("{name}@example.com"))
        .account_name(name)
        .send()
        .await
        .unwrap()
        .create_account_status
        .unwrap()
        .account_id
        .unwrap();
    orgs.move_account()
        .account_id(&id)
        .source_parent_id(root)
        .destination_parent_id(parent)
        .send()
        .await
        .unwrap();
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_org_writes_every_account_and_the_commands_read_it() {
    let moto = support::moto::Moto::start();
    let endpoint = moto.endpoint();
    let base = support::sdk_config(&endpoint, seed::REGION_A).await;
    let orgs = aws_sdk_organizations::Client::new(&base);
    let organization = orgs
        .create_organization()
        .feature_set(OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    let root = orgs.list_roots().send().await.unwrap().roots.unwrap()[0]
        .id
        .clone()
        .unwrap();
    let workloads = orgs
        .create_organizational_unit()
        .parent_id(&root)
        .name("Workloads")
        .send()
        .await
        .unwrap()
        .organizational_unit
        .unwrap()
        .id
        .unwrap();
    let mut accounts = BTreeMap::new();
    for name in ["prod", "dev"] {
        accounts.insert(name, account_in(&orgs, name, &root, &workloads).await);
    }
    plant(&base, &["mgmt-audit"]).await;
    plant(
        &as_account(&base, &accounts["prod"]).await,
        &["prod-orders"],
    )
    .await;
    // A prod secret every account of this organization may read and delete: scanned with the
    // organization, it is the organization's own grant (issue 22, the near miss of a grant to an
    // organization not verified as the account's).
    let org_id = organization.id.clone().unwrap();
    let sm = aws_sdk_secretsmanager::Client::new(&as_account(&base, &accounts["prod"]).await);
    let shared = sm
        .create_secret()
        .name("prod/org-config")
        .secret_string("generated-config-value")
        .send()
        .await
        .unwrap();
    sm.put_resource_policy()
        .secret_id(shared.arn().unwrap())
        .resource_policy(format!(r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"OurOrg","Effect":"Allow","Principal":"*","Action":["secretsmanager:GetSecretValue","secretsmanager:DeleteSecret"],"Resource":"*","Condition":{{"StringEquals":{{"aws:PrincipalOrgID":"{org_id}"}}}}}}]}}"#))
        .send()
        .await
        .unwrap();
    plant(
        &as_account(&base, &accounts["dev"]).await,
        &["dev-a", "dev-b"],
    )
    .await;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("org.json");
    let mut cmd = support::scan_command(&endpoint, &out);
    cmd.args(["--org", "--role-name", "SprawlScan"]);
    let run = cmd.assert().success().get_output().clone();
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    // Progress: accounts started and done with the counts, and each account's services by
    // region as they finish.
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    for said in [
        format!("{} (prod) started (", accounts["prod"]),
        format!(
            "{} (dev): lambda {} done (2 found)",
            accounts["dev"],
            seed::REGION_A
        ),
        "(3/3 done, 0 running, 0 failed)".to_string(),
    ] {
        assert!(stderr.contains(&said), "{said}: {stderr}");
    }
    assert!(
        stdout.contains(organization.id.as_deref().unwrap()),
        "{stdout}"
    );

    let Opened::Organization(o) = org::open(&out).unwrap() else {
        panic!("an organization's snapshot")
    };
    assert_eq!(o.header.organization.id, organization.id);
    let grant: Vec<_> = o
        .account(&accounts["prod"])
        .unwrap()
        .assessment
        .findings
        .into_iter()
        .filter(|f| f.resource.contains("prod/org-config") && f.rule.starts_with("secret-policy"))
        .map(|f| (f.rule, f.severity, f.message))
        .collect();
    assert!(
        grant.len() == 1
            && grant[0].0 == "secret-policy-cross-account"
            && grant[0].1 == sprawl::assess::Severity::Low
            && grant[0].2.contains("every account of the organization")
            && !grant[0].2.contains("not verified"),
        "{grant:?}"
    );
    assert_eq!(
        o.header.organization.management_account.as_deref(),
        Some(MANAGEMENT)
    );
    let expect = [
        (MANAGEMENT, vec!["mgmt-audit"], Vec::<&str>::new()),
        (
            accounts["prod"].as_str(),
            vec!["prod-orders"],
            vec!["Workloads"],
        ),
        (
            accounts["dev"].as_str(),
            vec!["dev-a", "dev-b"],
            vec!["Workloads"],
        ),
    ];
    assert_eq!(o.header.accounts.len(), 3);
    // Listed from the root, the organization's whole membership is kept: what "of the
    // organization" means when a policy names an account.
    let members: Vec<&str> = o
        .header
        .organization
        .members
        .iter()
        .map(|m| m.id.as_str())
        .collect();
    let mut all = vec![
        MANAGEMENT,
        accounts["prod"].as_str(),
        accounts["dev"].as_str(),
    ];
    all.sort();
    assert_eq!(members, all);
    for (id, functions, ou) in expect {
        let entry = o.entry(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(entry.info.ou_path, ou, "{id}");
        assert!(entry.failure.is_none(), "{id}: {:?}", entry.failure);
        let snap = o.account(id).unwrap();
        assert_eq!(snap.account.id, id);
        let names: Vec<&str> = snap
            .inventory
            .functions
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(names, functions, "{id}");
        for f in &snap.inventory.functions {
            assert!(f.arn.contains(&format!(":{id}:function:")), "{}", f.arn);
            assert_eq!(
                f.role_arn,
                format!("arn:aws:iam::{id}:role/{}-role", f.name)
            );
            assert_eq!(f.runtime.as_deref(), Some("python3.12"));
            assert_eq!(f.environment[0].name, "STAGE");
            // Each function's role was read in its own account.
            assert!(
                snap.inventory.roles.iter().any(|r| r.arn == f.role_arn),
                "{}",
                f.role_arn
            );
        }
        assert_eq!(entry.summary.as_ref().unwrap().functions, functions.len());
    }
    assert_eq!(
        o.entry(&accounts["prod"]).unwrap().info.name.as_deref(),
        Some("prod")
    );

    // The commands read it: check (a verdict, not an error), export with each finding's account,
    // diff of an account with itself.
    let path = out.display().to_string();
    let sprawl = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("sprawl")
            .unwrap()
            .args(args)
            .output()
            .unwrap()
    };
    let check = sprawl(&["check", &path, "--allow-partial", "--fail-on", "critical"]);
    assert_ne!(check.status.code(), Some(2), "{check:?}");
    let export = sprawl(&["export", &path, "--account", "dev", "--format", "csv"]);
    assert!(export.status.success());
    let csv = String::from_utf8_lossy(&export.stdout).into_owned();
    assert!(
        csv.lines().skip(1).all(|l| l.ends_with(&accounts["dev"])),
        "{csv}"
    );
    let diff = sprawl(&["diff", &path, &path, "--account", &accounts["prod"]]);
    assert!(diff.status.success());

    // The same three accounts scanned one by one (each with its own credentials, as people who
    // scan account by account do) and merged give the same organization: every account's
    // inventory, and the summary its row in the explorer shows.
    let mut singles = Vec::new();
    for id in [
        MANAGEMENT,
        accounts["prod"].as_str(),
        accounts["dev"].as_str(),
    ] {
        let file = dir.path().join(format!("{id}.json"));
        let mut single = support::scan_command(&endpoint, &file);
        if id != MANAGEMENT {
            use aws_credential_types::provider::ProvideCredentials;
            let config = as_account(&base, id).await;
            let c = config
                .credentials_provider()
                .unwrap()
                .provide_credentials()
                .await
                .unwrap();
            single
                .env("AWS_ACCESS_KEY_ID", c.access_key_id())
                .env("AWS_SECRET_ACCESS_KEY", c.secret_access_key())
                .env("AWS_SESSION_TOKEN", c.session_token().unwrap());
        }
        single.assert().success();
        singles.push(file.display().to_string());
    }
    let merged = dir.path().join("merged.json");
    let mut args = vec!["merge"];
    args.extend(singles.iter().map(String::as_str));
    args.extend(["-o", merged.to_str().unwrap()]);
    let run = sprawl(&args);
    assert!(run.status.success(), "{run:?}");
    let Opened::Organization(m) = org::open(&merged).unwrap() else {
        panic!("an organization's snapshot")
    };
    assert_eq!(m.header.accounts.len(), 3);
    for entry in &o.header.accounts {
        let id = &entry.info.id;
        let joined = m.entry(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(
            m.account(id).unwrap().inventory,
            o.account(id).unwrap().inventory,
            "{id}"
        );
        let (a, b) = (
            joined.summary.as_ref().unwrap(),
            entry.summary.as_ref().unwrap(),
        );
        // Scanned alone, a member's OrganizationAccountAccessRole (moto makes one, trusting the
        // management account) is a role that trusts another whole account (medium); within the
        // organization a trust of its management account is none: only the mediums differ.
        // And prod's secret granted to the whole organization: alone, an organization not
        // verified as the account's (medium); within it, the organization's own (low).
        let (mut fa, mut fb) = (a.findings, b.findings);
        if id != MANAGEMENT {
            let org_grant = usize::from(*id == accounts["prod"]);
            assert_eq!(fa[2], fb[2] + 1 + org_grant, "{id}: {fa:?} {fb:?}");
            assert_eq!(fa[3] + org_grant, fb[3], "{id}: {fa:?} {fb:?}");
            (fa[2], fb[2]) = (0, 0);
            fa[3] += org_grant;
        }
        assert_eq!(
            (a.functions, a.roles, fa, &a.riskiest, a.coverage_gaps),
            (b.functions, b.roles, fb, &b.riskiest, b.coverage_gaps),
            "{id}"
        );
    }
}

/// A member role that cannot be assumed: that account is recorded as not scanned, with AWS's
/// reason, and the others complete. (moto never refuses AssumeRole, so STS answers from
/// `aws-smithy-http-client`'s test client here, and the other account is the emulator's.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_whose_role_cannot_be_assumed_is_recorded_and_the_rest_complete() {
    use sprawl::collect::multi::{AccountTarget, Reach, scan_accounts};
    use sprawl::collect::{Regions, ScanOptions};
    let moto = support::moto::Moto::start();
    let reachable = support::sdk_config(&moto.endpoint(), seed::REGION_A).await;
    plant(&reachable, &["ok-fn"]).await;
    let denied = aws_smithy_http_client::test_util::infallible_client_fn(|_req| {
        http::Response::builder()
            .status(403)
            .body(
                r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/scanner is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::999999999999:role/SprawlScan</Message></Error><RequestId>r</RequestId></ErrorResponse>"#,
            )
            .unwrap()
    });
    let base = reachable.to_builder().http_client(denied).build();
    let targets = vec![
        AccountTarget {
            info: sprawl::model::AccountInfo {
                id: "999999999999".into(),
                name: Some("acquired".into()),
                ..Default::default()
            },
            reach: Reach::AssumeRole {
                role_arn: "arn:aws:iam::999999999999:role/SprawlScan".into(),
                external_id: None,
            },
        },
        AccountTarget {
            info: sprawl::model::AccountInfo {
                id: "123456789012".into(),
                ..Default::default()
            },
            reach: Reach::Config(Box::new(reachable.clone())),
        },
    ];
    let options = ScanOptions {
        regions: Regions::Listed(vec![seed::REGION_A.into()]),
        ..ScanOptions::default()
    };
    let scans = scan_accounts(&base, targets, options, 2, &|_| {}).await;
    assert_eq!(scans.len(), 2);
    let refused = scans[0]
        .result
        .as_ref()
        .map(|_| ())
        .expect_err("not scanned");
    assert!(
        refused.contains("could not assume arn:aws:iam::999999999999:role/SprawlScan")
            && refused.contains("AccessDenied"),
        "{refused}"
    );
    let ok = scans[1].result.as_ref().expect("scanned");
    assert_eq!(ok.inventory.functions.len(), 1);
    assert_eq!(ok.inventory.functions[0].name, "ok-fn");
}

/// Creates a role named `name` in `config`'s account, trusting as `trust` says, with one inline
/// policy of `statements`.
async fn role_with(
    config: &SdkConfig,
    name: &str,
    trust: serde_json::Value,
    statements: serde_json::Value,
) {
    let iam = aws_sdk_iam::Client::new(config);
    let doc = |s: serde_json::Value| {
        serde_json::json!({"Version": "2012-10-17", "Statement": s}).to_string()
    };
    iam.create_role()
        .role_name(name)
        .assume_role_policy_document(doc(trust))
        .send()
        .await
        .expect("create role");
    iam.put_role_policy()
        .role_name(name)
        .policy_name("own")
        .policy_document(doc(statements))
        .send()
        .await
        .expect("inline policy");
}

/// A chain across three accounts, seeded in the emulator and found end to end by `scan --org`:
/// dev's public signup hook runs as a role that may become staging's deployer (which trusts all
/// of dev), and the deployer may become prod's administrator (which trusts all of staging and
/// of the sandbox). The sandbox's tool role may call `sts:AssumeRole` on prod's administrator
/// too, but an SCP on the Sandbox OU denies it: that edge is found, and stopped by the SCP.
/// moto's Organizations API holds the SCP and its attachment; `scan --org` reads them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_org_follows_a_chain_across_three_accounts_and_applies_the_scps() {
    use aws_sdk_organizations::types::PolicyType;
    use serde_json::json;
    let moto = support::moto::Moto::start();
    let endpoint = moto.endpoint();
    let base = support::sdk_config(&endpoint, seed::REGION_A).await;
    let (orgs, root) = organization(&base).await;
    orgs.enable_policy_type()
        .root_id(&root)
        .policy_type(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    let ou = |name: &'static str| {
        let orgs = orgs.clone();
        let root = root.clone();
        async move {
            orgs.create_organizational_unit()
                .parent_id(&root)
                .name(name)
                .send()
                .await
                .unwrap()
                .organizational_unit
                .unwrap()
                .id
                .unwrap()
        }
    };
    let (workloads, sandbox_ou) = (ou("Workloads").await, ou("Sandbox").await);
    let mut accounts = BTreeMap::new();
    for (name, parent) in [
        ("dev", &workloads),
        ("staging", &workloads),
        ("prod", &workloads),
        ("sandbox", &sandbox_ou),
    ] {
        accounts.insert(name, account_in(&orgs, name, &root, parent).await);
    }
    let (dev, staging, prod, sandbox) = (
        accounts["dev"].clone(),
        accounts["staging"].clone(),
        accounts["prod"].clone(),
        accounts["sandbox"].clone(),
    );
    let fence = orgs
        .create_policy()
        .name("SandboxFence")
        .description("The sandbox stays out of prod")
        .r#type(PolicyType::ServiceControlPolicy)
        .content(
            json!({"Version": "2012-10-17", "Statement": [{"Sid": "NoProd", "Effect": "Deny",
                "Action": "sts:AssumeRole", "Resource": format!("arn:aws:iam::{prod}:role/*")}]})
            .to_string(),
        )
        .send()
        .await
        .unwrap()
        .policy
        .unwrap()
        .policy_summary
        .unwrap()
        .id
        .unwrap();
    orgs.attach_policy()
        .policy_id(&fence)
        .target_id(&sandbox_ou)
        .send()
        .await
        .unwrap();

    let assume =
        |arn: String| json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": arn}]);
    let trusts = |ids: &[&str]| {
        let roots: Vec<String> = ids
            .iter()
            .map(|id| format!("arn:aws:iam::{id}:root"))
            .collect();
        json!([{"Effect": "Allow", "Principal": {"AWS": roots}, "Action": "sts:AssumeRole"}])
    };
    let lambda_trust: serde_json::Value =
        serde_json::from_str::<serde_json::Value>(seed::LAMBDA_TRUST).unwrap()["Statement"].clone();
    // dev: the public signup hook.
    let dev_config = as_account(&base, &dev).await;
    role_with(
        &dev_config,
        "signup-hook-role",
        lambda_trust.clone(),
        assume(format!("arn:aws:iam::{staging}:role/staging-deployer")),
    )
    .await;
    let dev_lambda = aws_sdk_lambda::Client::new(&dev_config);
    seed::function(
        &dev_lambda,
        "signup-hook",
        "python3.12",
        &format!("arn:aws:iam::{dev}:role/signup-hook-role"),
        &[("STAGE", "dev")],
    )
    .await;
    seed::make_public(&dev_lambda, "signup-hook").await;
    // staging: the deployer, trusted by all of dev.
    role_with(
        &as_account(&base, &staging).await,
        "staging-deployer",
        trusts(&[&dev]),
        assume(format!("arn:aws:iam::{prod}:role/prod-admin")),
    )
    .await;
    // prod: the administrator, trusted by all of staging and of the sandbox.
    role_with(
        &as_account(&base, &prod).await,
        "prod-admin",
        trusts(&[&staging, &sandbox]),
        json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
    )
    .await;
    // sandbox: a tool whose role would go straight to prod's administrator.
    let sandbox_config = as_account(&base, &sandbox).await;
    role_with(
        &sandbox_config,
        "sandbox-tool-role",
        lambda_trust,
        assume(format!("arn:aws:iam::{prod}:role/prod-admin")),
    )
    .await;
    seed::function(
        &aws_sdk_lambda::Client::new(&sandbox_config),
        "sandbox-tool",
        "python3.12",
        &format!("arn:aws:iam::{sandbox}:role/sandbox-tool-role"),
        &[("STAGE", "sandbox")],
    )
    .await;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("org.json");
    let mut cmd = support::scan_command(&endpoint, &out);
    cmd.args(["--org", "--role-name", "SprawlScan"]);
    let run = cmd.assert().success().get_output().clone();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(
        stderr.contains("3 edges between accounts: assessing the accounts again with them"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        stdout.contains("Paths across accounts: 2 roles may reach an administrator in another account, 0 may read secrets of other accounts, 0 may invoke functions of other accounts; 3 edges between roles, 1 of any kind stopped; SCPs applied"),
        "{stdout}"
    );

    let Opened::Organization(o) = org::open(&out).unwrap() else {
        panic!("an organization's snapshot")
    };
    // The SCP and where it is attached were read.
    let g = o
        .header
        .organization
        .guardrails
        .as_ref()
        .expect("SCPs read");
    assert!(g.scp_enabled && g.failure.is_none(), "{g:?}");
    assert!(g.attached[&sandbox_ou].contains(&fence), "{g:?}");
    assert_eq!(g.policies[&fence].name, "SandboxFence");
    assert_eq!(
        g.paths[&sandbox],
        vec![root.clone(), sandbox_ou.clone(), sandbox.clone()]
    );

    // dev: the signup hook is the riskiest function, and its chain crosses staging into prod's
    // administrator, every hop with its account and the statements on both sides.
    let d = o.account(&dev).unwrap();
    let hook = &d.assessment.functions[0];
    assert_eq!(hook.name, "signup-hook");
    assert_eq!((hook.score.exposure, hook.score.privilege), (40, 30));
    let chain = hook.chain.get().unwrap();
    let labels: Vec<&str> = chain.iter().map(|h| h.label.as_str()).collect();
    for hop in [
        "role signup-hook-role (dev)".to_string(),
        "may assume staging-deployer (staging; trusts account dev)".to_string(),
        "may assume prod-admin (prod; trusts account staging)".to_string(),
        "administrator (prod)".to_string(),
    ] {
        assert!(labels.contains(&hop.as_str()), "{hop}: {labels:?}");
    }
    let into_prod = chain
        .iter()
        .find(|h| h.label.starts_with("may assume prod-admin"))
        .unwrap();
    assert_eq!(
        into_prod.role.as_deref(),
        Some(format!("arn:aws:iam::{prod}:role/prod-admin").as_str())
    );
    assert_eq!(
        into_prod.evidence,
        vec![
            "prod-admin's trust policy statement 0",
            "staging-deployer's own statement 0"
        ]
    );
    let admin: Vec<_> = d
        .assessment
        .findings
        .iter()
        .filter(|f| f.rule == "iam-role-cross-account-admin")
        .collect();
    assert_eq!(admin.len(), 1, "{admin:?}");
    assert_eq!(admin[0].severity, sprawl::assess::Severity::Critical);
    // The organization's riskiest function is the one whose path crosses into prod.
    let top = o
        .header
        .accounts
        .iter()
        .filter_map(|a| {
            a.summary
                .as_ref()?
                .top
                .first()
                .map(|t| (t.score, t.name.clone()))
        })
        .max()
        .unwrap();
    assert_eq!(top.1, "signup-hook");

    // prod: its administrator's blast radius holds dev's hook.
    let p = o.account(&prod).unwrap();
    let prod_admin = p
        .assessment
        .roles
        .iter()
        .find(|r| r.name == "prod-admin")
        .unwrap();
    assert!(
        prod_admin.from_other_accounts.contains(&format!(
            "arn:aws:lambda:{}:{dev}:function:signup-hook",
            seed::REGION_A
        )),
        "{:?}",
        prod_admin.from_other_accounts
    );

    // sandbox: the edge into prod is found, and stopped by the SCP; the tool is not raised.
    let s = o.account(&sandbox).unwrap();
    assert!(
        s.assessment
            .findings
            .iter()
            .all(|f| f.rule != "iam-role-cross-account-admin")
    );
    let stopped: Vec<_> = s
        .assessment
        .findings
        .iter()
        .filter(|f| f.rule == "iam-role-cross-account-assume")
        .collect();
    assert_eq!(stopped.len(), 1, "{stopped:?}");
    assert_eq!(stopped[0].severity, sprawl::assess::Severity::Info);
    assert!(
        stopped[0]
            .message
            .contains("stopped: an SCP over its account: SCP SandboxFence")
            && stopped[0].message.contains("(NoProd) denies it"),
        "{}",
        stopped[0].message
    );

    // `paths` lists the three edges, with what the SCPs say of each.
    let paths = assert_cmd::Command::cargo_bin("sprawl")
        .unwrap()
        .args(["paths", out.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&paths.stdout).into_owned();
    for edge in [
        "dev/signup-hook-role -> staging/staging-deployer".to_string(),
        "staging/staging-deployer -> prod/prod-admin (administrator)".to_string(),
        "sandbox/sandbox-tool-role -> prod/prod-admin (administrator) (stopped)".to_string(),
    ] {
        assert!(text.contains(&edge), "{edge}: {text}");
    }
    assert!(text.contains("SCP: allow"), "{text}");
}

/// Issue 28: a topic of prod whose policy lets staging's account publish, which invokes a prod
/// function, and a staging role whose own policy allows `sns:Publish`: `scan --org` finds the
/// edge from the role to the function, through the topic, and `paths` says so. The same prod
/// function subscribed to a topic of staging (its default policy: staging's principals only) is
/// a second edge from that role, through staging's topic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_org_finds_a_role_that_writes_to_another_account_s_source() {
    use serde_json::json;
    let moto = support::moto::Moto::start();
    let endpoint = moto.endpoint();
    let base = support::sdk_config(&endpoint, seed::REGION_A).await;
    let (orgs, root) = organization(&base).await;
    let staging = account_in(&orgs, "staging", &root, &root).await;
    let prod = account_in(&orgs, "prod", &root, &root).await;

    let prod_config = as_account(&base, &prod).await;
    plant(&prod_config, &["deploy-notifier"]).await;
    let topic = format!("arn:aws:sns:{}:{prod}:deploy-events", seed::REGION_A);
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Staging",
        "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{staging}:root")},
        "Action": "sns:Publish", "Resource": topic}]});
    let sns = aws_sdk_sns::Client::new(&prod_config);
    sns.create_topic()
        .name("deploy-events")
        .attributes("Policy", policy.to_string())
        .send()
        .await
        .unwrap();
    // The notifier subscribed to a topic (from prod, as a function's account subscribes it to
    // another's topic, whose policy lets it), and its permission for the topic.
    let subscribe = |topic: String, sid: &'static str| {
        let (sns, lambda) = (sns.clone(), aws_sdk_lambda::Client::new(&prod_config));
        let notifier = format!(
            "arn:aws:lambda:{}:{prod}:function:deploy-notifier",
            seed::REGION_A
        );
        async move {
            sns.subscribe()
                .topic_arn(&topic)
                .protocol("lambda")
                .endpoint(notifier)
                .send()
                .await
                .unwrap();
            lambda
                .add_permission()
                .function_name("deploy-notifier")
                .statement_id(sid)
                .action("lambda:InvokeFunction")
                .principal("sns.amazonaws.com")
                .source_arn(&topic)
                .send()
                .await
                .unwrap();
        }
    };
    subscribe(topic, "sns").await;
    let staging_config = as_account(&base, &staging).await;
    let theirs = format!("arn:aws:sns:{}:{staging}:release-events", seed::REGION_A);
    let staging_sns = aws_sdk_sns::Client::new(&staging_config);
    staging_sns
        .create_topic()
        .name("release-events")
        .send()
        .await
        .unwrap();
    subscribe(theirs, "staging-sns").await;
    let lambda_trust: serde_json::Value =
        serde_json::from_str::<serde_json::Value>(seed::LAMBDA_TRUST).unwrap()["Statement"].clone();
    role_with(
        &staging_config,
        "release-bot",
        lambda_trust,
        json!([{"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}]),
    )
    .await;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("org.json");
    let mut cmd = support::scan_command(&endpoint, &out);
    cmd.args(["--org", "--role-name", "SprawlScan"]);
    cmd.assert().success();
    let paths = assert_cmd::Command::cargo_bin("sprawl")
        .unwrap()
        .args(["paths", out.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&paths.stdout).into_owned();
    assert!(
        text.contains("Roles that may invoke functions of other accounts: 1 (2 edges)"),
        "{text}"
    );
    assert!(
        text.contains(
            "staging/release-bot -> prod/deploy-notifier (writes to SNS topic deploy-events)"
        ) && text.contains("sns:Publish by own statement 0"),
        "{text}"
    );
    assert!(
        text.contains(
            "staging/release-bot -> prod/deploy-notifier (writes to SNS topic release-events): \
             admitted by owner account: its own account's IAM policies; sns:Publish by own"
        ),
        "{text}"
    );
}
