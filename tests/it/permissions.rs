//! `sprawl iam-policy`: the policy covers every call of the call plan, read by sprawl's own policy
//! analyser, and grants nothing but List and Read; the member-role template carries that policy.

use serde_json::Value;
use sprawl::collect::ops::OptIns;
use sprawl::collect::ops::{ALL, ORGANIZATION, Service};
use sprawl::collect::permissions::{OrgAccess, grant, member_role_template, policy};
use sprawl::iam::actions::{AccessLevel, table};
use sprawl::iam::policy::{Effect, Patterns, Policy};
use sprawl::iam::wildcard;

/// An ARN the call reads: any REST or HTTP API's path for API Gateway, `*` elsewhere.
fn example_resources(service: Service, name: &str) -> Vec<&'static str> {
    match (service, name) {
        (Service::ApiGateway, "GetRestApis") => vec!["arn:aws:apigateway:eu-west-1::/restapis"],
        (Service::ApiGateway, _) => vec![
            "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3/resources",
            "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3/stages",
        ],
        (Service::ApiGatewayV2, "GetApis") => vec!["arn:aws:apigateway:eu-west-1::/apis"],
        (Service::ApiGatewayV2, _) => vec!["arn:aws:apigateway:eu-west-1::/apis/x9y8z7/routes"],
        _ => vec!["arn:aws:lambda:eu-west-1:111122223333:function:any"],
    }
}

fn allows(p: &Policy, action: &str, resource: &str) -> bool {
    let allowed = p.statements.iter().any(|s| {
        s.effect == Effect::Allow
            && s.actions.covers_action(action)
            && s.resources.covers_resource(resource)
    });
    let denied = p.statements.iter().any(|s| {
        s.effect == Effect::Deny
            && s.actions.covers_action(action)
            && s.resources.covers_resource(resource)
    });
    allowed && !denied
}

fn parse(doc: &Value) -> Policy {
    Policy::parse(doc).expect("the printed policy parses as IAM")
}

/// The IAM action that authorizes an operation, worked out apart from the grant table: the
/// service's prefix and the operation's name, or API Gateway's HTTP verb.
fn expected_action(service: Service, name: &str) -> String {
    let prefix = match service {
        Service::Lambda => "lambda",
        Service::Iam => "iam",
        Service::ApiGateway | Service::ApiGatewayV2 => return "apigateway:GET".into(),
        Service::SecretsManager => "secretsmanager",
        Service::Sts => "sts",
        Service::Account => "account",
        Service::Organizations => "organizations",
        Service::CloudWatch => "cloudwatch",
        Service::CloudWatchLogs => "logs",
        Service::Sns => "sns",
        Service::Sqs => "sqs",
        Service::Events => "events",
        Service::Kinesis => "kinesis",
        Service::DynamoDb => "dynamodb",
        Service::Cognito => "cognito-idp",
        Service::Ses => "ses",
        Service::Iot => "iot",
        Service::CognitoIdentity => "cognito-identity",
        Service::S3 | Service::S3Control => {
            return match name {
                "GetBucketNotificationConfiguration" => "s3:GetBucketNotification".into(),
                "GetPublicAccessBlock" if service == Service::S3 => {
                    "s3:GetBucketPublicAccessBlock".into()
                }
                "GetPublicAccessBlock" => "s3:GetAccountPublicAccessBlock".into(),
                _ => format!("s3:{name}"),
            };
        }
    };
    format!("{prefix}:{name}")
}

/// IAM refuses a policy whose statements share a Sid: every statement of the printed policy,
/// with every opt-in, has its own.
#[test]
fn every_statement_has_its_own_sid() {
    let doc = policy(None, OptIns::ALL);
    let sids: Vec<&str> = doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| st["Sid"].as_str().unwrap())
        .collect();
    let unique: std::collections::BTreeSet<&str> = sids.iter().copied().collect();
    assert_eq!(unique.len(), sids.len(), "{sids:?}");
}

#[test]
fn the_policy_covers_every_call_of_the_plan() {
    let p = parse(&policy(None, OptIns::ALL));
    let t = table();
    for op in ALL {
        let action = expected_action(op.service, op.name);
        assert!(t.lookup(&action).is_some(), "{action} is no IAM action");
        for resource in example_resources(op.service, op.name) {
            assert!(allows(&p, &action, resource), "{action} on {resource}");
        }
        let g = grant(op).unwrap();
        for action in g.actions {
            for resource in example_resources(op.service, op.name) {
                assert!(
                    allows(&p, action, resource),
                    "{}:{} needs {action} on {resource}",
                    op.service,
                    op.name
                );
            }
        }
    }
    // And the collectors' own tags read, which GetFunction returns only with it.
    assert!(allows(&p, "lambda:ListTags", "*"));
    // The organization's listing is in the --org policy only.
    let org = parse(&policy(
        Some(&OrgAccess {
            role_name: "SprawlScan".into(),
        }),
        OptIns::ALL,
    ));
    for op in ORGANIZATION {
        let action = expected_action(op.service, op.name);
        assert!(t.lookup(&action).is_some(), "{action} is no IAM action");
        assert!(allows(&org, &action, "*"), "{action} with --org");
        assert!(!allows(&p, &action, "*"), "{action} without --org");
    }
}

/// Every action the policy names, wildcards expanded against IAM's own table, is a List or Read
/// action; nothing reads a secret's value or writes anything, with or without `--org`.
#[test]
fn the_policy_grants_reads_only() {
    let t = table();
    for doc in [
        policy(None, OptIns::default()),
        policy(None, OptIns::ALL),
        policy(
            Some(&OrgAccess {
                role_name: "SprawlScan".into(),
            }),
            OptIns::ALL,
        ),
    ] {
        let p = parse(&doc);
        for s in &p.statements {
            assert_eq!(s.effect, Effect::Allow);
            // Every action or pattern names actions IAM's table knows: none escapes the check.
            let Patterns::Only(patterns) = &s.actions else {
                panic!("NotAction in the scanner's policy")
            };
            for pattern in patterns {
                assert!(
                    (0..t.len()).any(|i| wildcard::matches(pattern, &t.name(i), false)),
                    "{pattern} is no action IAM knows"
                );
            }
            for i in 0..t.len() {
                let action = t.name(i);
                if s.actions.covers_action(&action) {
                    let level = t.level(i);
                    // sts:AssumeRole (org only) is a write by IAM's table: it is the one
                    // exception, limited to the member role.
                    if action.eq_ignore_ascii_case("sts:AssumeRole") {
                        assert!(
                            s.resources
                                .covers_resource("arn:aws:iam::222233334444:role/SprawlScan")
                        );
                        assert!(
                            !s.resources
                                .covers_resource("arn:aws:iam::222233334444:role/Admin")
                        );
                        continue;
                    }
                    assert!(
                        matches!(level, AccessLevel::List | AccessLevel::Read),
                        "{action} is {level:?}"
                    );
                }
            }
        }
        for forbidden in [
            "secretsmanager:GetSecretValue",
            "lambda:InvokeFunction",
            "lambda:UpdateFunctionCode",
            "iam:PassRole",
            "apigateway:POST",
        ] {
            assert!(!allows(&p, forbidden, "*"), "{forbidden} allowed");
        }
    }
}

/// The member role's policies with these parameters (beside a scanner ARN and no external or
/// organization id), as CloudFormation would attach them: how many, and their text.
fn template_policies(role: &Value, given: Value) -> (usize, String) {
    let mut params: serde_json::Map<String, Value> = serde_json::from_value(serde_json::json!({
        "ScannerRoleArn": "arn:aws:iam::210987654321:role/s", "ExternalId": "", "OrganizationId": ""
    }))
    .unwrap();
    params.extend(given.as_object().unwrap().clone());
    let resolved = resolve(&role["Policies"], &params);
    let kept: Vec<&Value> = resolved
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p.get("Ref").is_none())
        .collect();
    (kept.len(), serde_json::to_string(&kept).unwrap())
}

/// The template with its parameters given: `Ref`s replaced and `Fn::If`s decided, as
/// CloudFormation would.
fn resolve(v: &Value, params: &serde_json::Map<String, Value>) -> Value {
    let holds = |name: &str| match name {
        "HasExternalId" => params["ExternalId"] != "",
        "HasOrganizationId" => params["OrganizationId"] != "",
        "HasBoth" => params["ExternalId"] != "" && params["OrganizationId"] != "",
        "AllowMetrics" => params.get("Metrics").is_some_and(|v| v == "true"),
        "AllowAccessAdvisor" => params.get("AccessAdvisor").is_some_and(|v| v == "true"),
        "AllowNoGetFunction" => params.get("NoGetFunction").is_some_and(|v| v == "true"),
        "AllowCode" => params.get("Code").is_some_and(|v| v == "true"),
        other => panic!("condition {other}"),
    };
    match v {
        // AWS::NoValue stays: it removes the property it stands in.
        Value::Object(o) if o.len() == 1 && o.get("Ref").is_some_and(|r| r == "AWS::NoValue") => {
            v.clone()
        }
        Value::Object(o) if o.len() == 1 && o.contains_key("Ref") => {
            params[o["Ref"].as_str().unwrap()].clone()
        }
        Value::Object(o) if o.len() == 1 && o.contains_key("Fn::If") => {
            let f = o["Fn::If"].as_array().unwrap();
            resolve(
                if holds(f[0].as_str().unwrap()) {
                    &f[1]
                } else {
                    &f[2]
                },
                params,
            )
        }
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), resolve(v, params)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| resolve(v, params)).collect()),
        other => other.clone(),
    }
}

/// Issue 20 (14): the member role trusts the scanning role by ARN (a parameter), not the
/// scanning account's root, with the external ID and the organization's id when given; sprawl's
/// own rules, run on the role the template makes, find no trust of a whole account.
#[test]
fn the_template_creates_the_member_role_with_that_policy() {
    let t = member_role_template("SprawlScan");
    let role = &t["Resources"]["SprawlScanRole"];
    assert_eq!(role["Type"], "AWS::IAM::Role");
    assert_eq!(role["Properties"]["RoleName"], "SprawlScan");
    assert_eq!(
        role["Properties"]["Policies"][0]["PolicyDocument"],
        policy(None, OptIns::default())
    );
    assert!(
        !t.to_string().contains(":root"),
        "no trust of an account's root"
    );
    let scanner = "arn:aws:iam::210987654321:role/sprawl-scanner";
    for (external, org) in [
        ("", ""),
        ("x-7", ""),
        ("", "o-demo7x2k9q"),
        ("x-7", "o-demo7x2k9q"),
    ] {
        let params: serde_json::Map<String, Value> = serde_json::from_value(serde_json::json!({
            "ScannerRoleArn": scanner, "ExternalId": external, "OrganizationId": org
        }))
        .unwrap();
        let trust = resolve(&role["Properties"]["AssumeRolePolicyDocument"], &params);
        let statement = &trust["Statement"][0];
        assert_eq!(statement["Action"], "sts:AssumeRole");
        assert_eq!(statement["Principal"]["AWS"], scanner);
        let cond = &statement["Condition"]["StringEquals"];
        assert_eq!(cond["sts:ExternalId"].as_str().unwrap_or(""), external);
        assert_eq!(cond["aws:PrincipalOrgID"].as_str().unwrap_or(""), org);
        if external.is_empty() && org.is_empty() {
            assert!(statement.get("Condition").is_none(), "{trust}");
        }

        // The role it makes, in the demo's dev account, through sprawl's own assessment.
        let rules = rules_on_a_role_trusting(trust.clone());
        assert!(
            !rules.iter().any(|r| r.starts_with("iam-role-trust")),
            "{external:?} {org:?}: {rules:?}"
        );
    }
    assert!(t["Parameters"]["ScannerRoleArn"]["AllowedPattern"].is_string());
}

/// The same role trusting the scanning account's root, as the template once did: sprawl's own
/// rule reports it (the check above can fail).
#[test]
fn a_root_trust_is_what_sprawl_reports() {
    let rules = rules_on_a_role_trusting(
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "sts:AssumeRole"}
        ]}),
    );
    assert!(
        rules.iter().any(|r| r.starts_with("iam-role-trust")),
        "{rules:?}"
    );
}

/// The rules that fire on a role named SprawlScan with `trust` and no policy, added to the
/// demo's dev account and assessed there.
fn rules_on_a_role_trusting(trust: Value) -> Vec<String> {
    let mut snap = sprawl::demo::snapshot();
    let arn = format!("arn:aws:iam::{}:role/SprawlScan", snap.account.id);
    let made: sprawl::model::Role = serde_json::from_value(serde_json::json!({
        "arn": arn, "name": "SprawlScan", "path": "/", "created": "2026-11-01T00:00:00Z",
        "trust_policy": trust, "inline_policies": [], "attached_policies": [],
        "permissions_boundary": null, "last_used": null, "tags": {}
    }))
    .unwrap();
    snap.inventory.roles.push(made);
    let now = snap.scanned_at;
    snap.reassess(now);
    snap.assessment
        .findings_for(&arn)
        .map(|(_, f)| f.rule.clone())
        .collect()
}

/// A role name that IAM would refuse is refused first, by the command line.
#[test]
fn role_names_are_checked() {
    for bad in ["role/Sprawl", "arn:aws:iam::1:role/x", "", "a b"] {
        let out = assert_cmd::Command::cargo_bin("sprawl")
            .unwrap()
            .args(["iam-policy", "--cloudformation", "--role-name", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("IAM role name"),
            "{bad}"
        );
    }
}

/// Through the binary: JSON on stdout, exit 0.
#[test]
fn iam_policy_prints_json() {
    let out = assert_cmd::Command::cargo_bin("sprawl")
        .unwrap()
        .args(["iam-policy", "--org", "--role-name", "Auditor"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["Version"], "2012-10-17");
    assert!(doc.to_string().contains("role/Auditor"));
    let out = assert_cmd::Command::cargo_bin("sprawl")
        .unwrap()
        .args(["iam-policy", "--cloudformation"])
        .output()
        .unwrap();
    let template: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(template["AWSTemplateFormatVersion"], "2010-09-09");
}

/// Issue 26 (8): `iam-policy` follows the scan's opt-ins. The default grants only what a default
/// scan calls, every action a List, Get or Describe; `--metrics` and `--access-advisor` add their
/// calls, and the template takes them as parameters.
#[test]
fn the_policy_follows_the_scans_opt_ins() {
    use sprawl::collect::ops::{ACCESS_ADVISOR_OPS, METRICS_OPS};
    let default = parse(&policy(None, OptIns::default()));
    for s in &default.statements {
        let Patterns::Only(actions) = &s.actions else {
            panic!()
        };
        for a in actions {
            let verb = a.split(':').nth(1).unwrap().to_ascii_lowercase();
            assert!(
                ["list", "get", "describe"]
                    .iter()
                    .any(|p| verb.starts_with(p)),
                "{a} in the default policy"
            );
        }
    }
    let opted = |o: OptIns| parse(&policy(None, o));
    for (ops, with) in [
        (
            METRICS_OPS,
            OptIns {
                metrics: true,
                ..OptIns::default()
            },
        ),
        (
            ACCESS_ADVISOR_OPS,
            OptIns {
                access_advisor: true,
                ..OptIns::default()
            },
        ),
    ] {
        for op in ops {
            let action = expected_action(op.service, op.name);
            assert!(!allows(&default, &action, "*"), "{action} by default");
            assert!(
                allows(&opted(with), &action, "*"),
                "{action} with its opt-in"
            );
        }
    }
    // The binary: the flags, and the template's parameters.
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("sprawl")
            .unwrap()
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = run(&["iam-policy"]);
    assert!(!plain.contains("GetMetricData") && !plain.contains("GenerateService"));
    let both = run(&["iam-policy", "--metrics", "--access-advisor"]);
    assert!(
        both.contains("cloudwatch:GetMetricData")
            && both.contains("iam:GenerateServiceLastAccessedDetails")
    );
    let t = member_role_template("SprawlScan");
    let role = &t["Resources"]["SprawlScanRole"]["Properties"];
    for (metrics, advisor, policies) in [
        ("false", "false", 1),
        ("true", "false", 2),
        ("true", "true", 3),
    ] {
        let (kept, text) = template_policies(
            role,
            serde_json::json!({"Metrics": metrics, "AccessAdvisor": advisor}),
        );
        assert_eq!(kept, policies, "{metrics} {advisor}");
        assert_eq!(text.contains("cloudwatch:GetMetricData"), metrics == "true");
        assert_eq!(
            text.contains("iam:GenerateServiceLastAccessedDetails"),
            advisor == "true"
        );
    }
}

/// Issue 27: `--no-get-function` has its grant: `iam-policy --no-get-function` adds
/// lambda:GetFunctionConcurrency (ListTags is there already, for GetFunction's tags), the default
/// policy does not, and the template takes it as its NoGetFunction parameter.
#[test]
fn the_policy_grants_what_a_scan_without_get_function_calls() {
    use sprawl::collect::ops::NO_GET_FUNCTION_OPS;
    let default = parse(&policy(None, OptIns::default()));
    let with = parse(&policy(
        None,
        OptIns {
            no_get_function: true,
            ..OptIns::default()
        },
    ));
    for op in NO_GET_FUNCTION_OPS {
        let action = expected_action(op.service, op.name);
        assert!(allows(&with, &action, "*"), "{action}");
    }
    assert!(!allows(&default, "lambda:GetFunctionConcurrency", "*"));
    let out = assert_cmd::Command::cargo_bin("sprawl")
        .unwrap()
        .args(["iam-policy", "--no-get-function"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("lambda:GetFunctionConcurrency"));
    let t = member_role_template("SprawlScan");
    let role = &t["Resources"]["SprawlScanRole"]["Properties"];
    for (on, policies) in [("false", 1), ("true", 2)] {
        let (kept, text) = template_policies(role, serde_json::json!({"NoGetFunction": on}));
        assert_eq!(kept, policies, "{on}");
        assert_eq!(text.contains("lambda:GetFunctionConcurrency"), on == "true");
    }
}

/// Issue 29: `--code` has its grant: `iam-policy --code` adds lambda:GetLayerVersion (the
/// packages come through GetFunction, granted by default), the default policy does not, and the
/// template takes it as its Code parameter.
#[test]
fn the_policy_grants_what_a_scan_with_code_calls() {
    use sprawl::collect::ops::CODE_OPS;
    let default = parse(&policy(None, OptIns::default()));
    let with = parse(&policy(
        None,
        OptIns {
            code: true,
            ..OptIns::default()
        },
    ));
    for op in CODE_OPS {
        let action = expected_action(op.service, op.name);
        assert!(allows(&with, &action, "*"), "{action}");
        assert!(!allows(&default, &action, "*"), "{action} by default");
    }
    assert!(allows(&default, "lambda:GetFunction", "*"));
    let out = assert_cmd::Command::cargo_bin("sprawl")
        .unwrap()
        .args(["iam-policy", "--code"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("lambda:GetLayerVersion\""));
    let t = member_role_template("SprawlScan");
    let role = &t["Resources"]["SprawlScanRole"]["Properties"];
    for (on, policies) in [("false", 1), ("true", 2)] {
        let (kept, text) = template_policies(role, serde_json::json!({"Code": on}));
        assert_eq!(kept, policies, "{on}");
        assert_eq!(text.contains("lambda:GetLayerVersion\""), on == "true");
    }
}
