//! The scanner's own permissions, written from the call plan ([`super::ops::ALL`]) so they cannot
//! drift from what the collectors call: the IAM policy a scanning principal needs, and a
//! CloudFormation template for a read-only role in each member account.

use serde_json::{Value, json};

use super::ops::{
    ACCESS_ADVISOR_OPS, ALL, CODE_OPS, METRICS_OPS, NO_GET_FUNCTION_OPS, ORGANIZATION, Op, OptIns,
    Service,
};

/// What IAM must allow for one call: actions, on resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub actions: &'static [&'static str],
    pub resources: &'static [&'static str],
}

const ANY: &[&str] = &["*"];

const fn on_any(actions: &'static [&'static str]) -> Grant {
    Grant {
        actions,
        resources: ANY,
    }
}

/// API Gateway's management API is authorized as `apigateway:GET` on the path it reads: the list,
/// or anything under one API (its resources with their methods, stages, authorizers, routes).
const fn apigateway_get(resources: &'static [&'static str]) -> Grant {
    Grant {
        actions: &["apigateway:GET"],
        resources,
    }
}

/// The grant one operation of the call plan needs, or None for an operation this table does not
/// know (a test keeps every operation of the plan known).
pub fn grant(op: &Op) -> Option<Grant> {
    Some(match (op.service, op.name) {
        // GetFunction returns the function's tags only to callers also allowed lambda:ListTags.
        (Service::Lambda, "GetFunction") => on_any(&["lambda:GetFunction", "lambda:ListTags"]),
        (Service::Lambda, "ListFunctions") => on_any(&["lambda:ListFunctions"]),
        (Service::Lambda, "ListTags") => on_any(&["lambda:ListTags"]),
        (Service::Lambda, "GetFunctionConcurrency") => on_any(&["lambda:GetFunctionConcurrency"]),
        (Service::Lambda, "GetPolicy") => on_any(&["lambda:GetPolicy"]),
        (Service::Lambda, "GetFunctionUrlConfig") => on_any(&["lambda:GetFunctionUrlConfig"]),
        (Service::Lambda, "GetFunctionEventInvokeConfig") => {
            on_any(&["lambda:GetFunctionEventInvokeConfig"])
        }
        (Service::Lambda, "ListAliases") => on_any(&["lambda:ListAliases"]),
        (Service::Lambda, "GetLayerVersionPolicy") => on_any(&["lambda:GetLayerVersionPolicy"]),
        // Both GetLayerVersion and GetLayerVersionByArn; another account's layers too.
        (Service::Lambda, "GetLayerVersion") => on_any(&["lambda:GetLayerVersion"]),
        (Service::Lambda, "ListProvisionedConcurrencyConfigs") => {
            on_any(&["lambda:ListProvisionedConcurrencyConfigs"])
        }
        (Service::Lambda, "ListEventSourceMappings") => on_any(&["lambda:ListEventSourceMappings"]),
        (Service::Lambda, "ListCodeSigningConfigs") => on_any(&["lambda:ListCodeSigningConfigs"]),
        (Service::Lambda, "ListFunctionsByCodeSigningConfig") => {
            on_any(&["lambda:ListFunctionsByCodeSigningConfig"])
        }
        (Service::Iam, "GetAccountAuthorizationDetails") => {
            on_any(&["iam:GetAccountAuthorizationDetails"])
        }
        (Service::Iam, "ListRoles") => on_any(&["iam:ListRoles"]),
        (Service::Iam, "GetRole") => on_any(&["iam:GetRole"]),
        (Service::Iam, "ListRolePolicies") => on_any(&["iam:ListRolePolicies"]),
        (Service::Iam, "GetRolePolicy") => on_any(&["iam:GetRolePolicy"]),
        (Service::Iam, "ListAttachedRolePolicies") => on_any(&["iam:ListAttachedRolePolicies"]),
        (Service::Iam, "GetPolicy") => on_any(&["iam:GetPolicy"]),
        (Service::Iam, "GetPolicyVersion") => on_any(&["iam:GetPolicyVersion"]),
        (Service::Iam, "GenerateServiceLastAccessedDetails") => {
            on_any(&["iam:GenerateServiceLastAccessedDetails"])
        }
        (Service::Iam, "GetServiceLastAccessedDetails") => {
            on_any(&["iam:GetServiceLastAccessedDetails"])
        }
        (Service::ApiGateway, "GetRestApis") => apigateway_get(&["arn:*:apigateway:*::/restapis"]),
        (Service::ApiGateway, "GetResources") => {
            apigateway_get(&["arn:*:apigateway:*::/restapis/*"])
        }
        (Service::ApiGateway, "GetStages") => apigateway_get(&["arn:*:apigateway:*::/restapis/*"]),
        (Service::ApiGateway, "GetAuthorizers") => {
            apigateway_get(&["arn:*:apigateway:*::/restapis/*"])
        }
        (Service::ApiGatewayV2, "GetApis") => apigateway_get(&["arn:*:apigateway:*::/apis"]),
        (Service::ApiGatewayV2, "GetRoutes") => apigateway_get(&["arn:*:apigateway:*::/apis/*"]),
        (Service::ApiGatewayV2, "GetIntegrations") => {
            apigateway_get(&["arn:*:apigateway:*::/apis/*"])
        }
        (Service::ApiGatewayV2, "GetStages") => apigateway_get(&["arn:*:apigateway:*::/apis/*"]),
        (Service::ApiGatewayV2, "GetAuthorizers") => {
            apigateway_get(&["arn:*:apigateway:*::/apis/*"])
        }
        (Service::SecretsManager, "ListSecrets") => on_any(&["secretsmanager:ListSecrets"]),
        (Service::SecretsManager, "GetResourcePolicy") => {
            on_any(&["secretsmanager:GetResourcePolicy"])
        }
        // GetCallerIdentity needs no permission; it is listed so the policy reads as the plan.
        (Service::Sts, "GetCallerIdentity") => on_any(&["sts:GetCallerIdentity"]),
        (Service::Account, "ListRegions") => on_any(&["account:ListRegions"]),
        (Service::Organizations, "DescribeOrganization") => {
            on_any(&["organizations:DescribeOrganization"])
        }
        (Service::Organizations, "ListRoots") => on_any(&["organizations:ListRoots"]),
        (Service::Organizations, "DescribeOrganizationalUnit") => {
            on_any(&["organizations:DescribeOrganizationalUnit"])
        }
        (Service::Organizations, "ListOrganizationalUnitsForParent") => {
            on_any(&["organizations:ListOrganizationalUnitsForParent"])
        }
        (Service::Organizations, "ListAccountsForParent") => {
            on_any(&["organizations:ListAccountsForParent"])
        }
        (Service::Organizations, "ListPolicies") => on_any(&["organizations:ListPolicies"]),
        (Service::Organizations, "ListTargetsForPolicy") => {
            on_any(&["organizations:ListTargetsForPolicy"])
        }
        (Service::Organizations, "DescribePolicy") => on_any(&["organizations:DescribePolicy"]),
        (Service::CloudWatchLogs, "DescribeLogGroups") => on_any(&["logs:DescribeLogGroups"]),
        (Service::Sns, "GetTopicAttributes") => on_any(&["sns:GetTopicAttributes"]),
        (Service::Sns, "ListSubscriptionsByTopic") => on_any(&["sns:ListSubscriptionsByTopic"]),
        (Service::Sqs, "GetQueueAttributes") => on_any(&["sqs:GetQueueAttributes"]),
        (Service::Events, "DescribeRule") => on_any(&["events:DescribeRule"]),
        (Service::Events, "DescribeEventBus") => on_any(&["events:DescribeEventBus"]),
        (Service::Kinesis, "GetResourcePolicy") => on_any(&["kinesis:GetResourcePolicy"]),
        (Service::DynamoDb, "GetResourcePolicy") => on_any(&["dynamodb:GetResourcePolicy"]),
        (Service::Cognito, "DescribeUserPool") => on_any(&["cognito-idp:DescribeUserPool"]),
        (Service::Ses, "DescribeActiveReceiptRuleSet") => {
            on_any(&["ses:DescribeActiveReceiptRuleSet"])
        }
        (Service::Iot, "GetTopicRule") => on_any(&["iot:GetTopicRule"]),
        (Service::CognitoIdentity, "ListIdentityPools") => {
            on_any(&["cognito-identity:ListIdentityPools"])
        }
        (Service::CognitoIdentity, "DescribeIdentityPool") => {
            on_any(&["cognito-identity:DescribeIdentityPool"])
        }
        (Service::CognitoIdentity, "GetIdentityPoolRoles") => {
            on_any(&["cognito-identity:GetIdentityPoolRoles"])
        }
        (Service::CloudWatchLogs, "DescribeSubscriptionFilters") => {
            on_any(&["logs:DescribeSubscriptionFilters"])
        }
        // S3's actions are not all named after the operation.
        (Service::S3, "GetBucketLocation") => on_any(&["s3:GetBucketLocation"]),
        (Service::S3, "GetBucketNotificationConfiguration") => {
            on_any(&["s3:GetBucketNotification"])
        }
        (Service::S3, "GetBucketPolicy") => on_any(&["s3:GetBucketPolicy"]),
        (Service::S3, "GetBucketAcl") => on_any(&["s3:GetBucketAcl"]),
        (Service::S3, "GetPublicAccessBlock") => on_any(&["s3:GetBucketPublicAccessBlock"]),
        (Service::S3, "GetBucketOwnershipControls") => on_any(&["s3:GetBucketOwnershipControls"]),
        (Service::S3Control, "GetPublicAccessBlock") => on_any(&["s3:GetAccountPublicAccessBlock"]),
        (Service::CloudWatch, "DescribeAlarms") => on_any(&["cloudwatch:DescribeAlarms"]),
        (Service::CloudWatch, "GetMetricData") => on_any(&["cloudwatch:GetMetricData"]),
        _ => return None,
    })
}

/// What the organization's scanning principal needs beyond one account's reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccess {
    /// The role assumed in each member account.
    pub role_name: String,
}

/// The read-only policy the call plan needs, one statement per service (sorted, so the same
/// build prints the same bytes): what a default scan calls, and what the `opt_ins` add; with
/// `org`, the organization's reads (its own call plan, [`ORGANIZATION`]) and `sts:AssumeRole`
/// on the member role in every account.
pub fn policy(org: Option<&OrgAccess>, opt_ins: OptIns) -> Value {
    let org_ops: &[Op] = if org.is_some() { ORGANIZATION } else { &[] };
    let ops: Vec<&Op> = ALL
        .iter()
        .filter(|op| opt_ins.include(op))
        .chain(org_ops)
        .collect();
    let mut doc = statements_of(&ops, "SprawlRead");
    if let Some(org) = org {
        doc["Statement"]
            .as_array_mut()
            .expect("statements")
            .push(json!({
                "Sid": "SprawlAssumeMemberRole",
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Resource": format!("arn:*:iam::*:role/{}", org.role_name),
            }));
    }
    doc
}

/// A policy of the grants `ops` need, one statement per service, each Sid `prefix` and the
/// service.
fn statements_of(ops: &[&Op], prefix: &str) -> Value {
    let mut by_service: Vec<(Service, Vec<&str>, Vec<&str>)> = Vec::new();
    for op in ops {
        let g = grant(op).unwrap_or_else(|| panic!("no grant for {}:{}", op.service, op.name));
        // API Gateway's two APIs share one IAM namespace.
        let service = match op.service {
            Service::ApiGatewayV2 => Service::ApiGateway,
            s => s,
        };
        let at = match by_service.iter().position(|(s, ..)| *s == service) {
            Some(i) => i,
            None => {
                by_service.push((service, Vec::new(), Vec::new()));
                by_service.len() - 1
            }
        };
        let (_, actions, resources) = &mut by_service[at];
        actions.extend(g.actions);
        resources.extend(g.resources);
    }
    let statements: Vec<Value> = by_service
        .into_iter()
        .map(|(service, mut actions, mut resources)| {
            actions.sort_unstable();
            actions.dedup();
            resources.sort_unstable();
            resources.dedup();
            json!({
                "Sid": format!("{prefix}{}", sid(service)),
                "Effect": "Allow",
                "Action": actions,
                "Resource": one_or_many(&resources),
            })
        })
        .collect();
    json!({ "Version": "2012-10-17", "Statement": statements })
}

/// What one opt-in adds to the default policy, as a policy of its own (the template attaches it
/// when its parameter says so).
pub fn opt_in_policy(ops: &[Op]) -> Value {
    statements_of(&ops.iter().collect::<Vec<_>>(), "SprawlOptIn")
}

fn sid(service: Service) -> &'static str {
    match service {
        Service::Lambda => "Lambda",
        Service::Iam => "Iam",
        Service::ApiGateway | Service::ApiGatewayV2 => "ApiGateway",
        Service::SecretsManager => "SecretsManager",
        Service::Sts => "Sts",
        Service::Account => "Account",
        Service::Organizations => "Organizations",
        Service::CloudWatch => "CloudWatch",
        Service::CloudWatchLogs => "Logs",
        Service::Sns => "Sns",
        Service::S3 => "S3",
        Service::S3Control => "S3Control",
        Service::Sqs => "Sqs",
        Service::Events => "Events",
        Service::Kinesis => "Kinesis",
        Service::DynamoDb => "DynamoDb",
        Service::Cognito => "Cognito",
        Service::Ses => "Ses",
        Service::Iot => "Iot",
        Service::CognitoIdentity => "CognitoIdentity",
    }
}

fn one_or_many(items: &[&str]) -> Value {
    match items {
        [one] => json!(one),
        many => json!(many),
    }
}

/// Whether `name` is a valid IAM role name: 1 to 64 of letters, digits and `+=,.@_-`.
pub fn valid_role_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
}

/// A CloudFormation template (JSON) for the role sprawl assumes in a member account, allowed the
/// call plan's reads and nothing else. Its trust names the scanning role by ARN (a parameter),
/// not the scanning account's root: a root trust admits every principal of that account whose
/// own policies allow sts:AssumeRole, which sprawl's own `iam-role-trust-whole-account` reports.
/// An external ID and the organization's id (`aws:PrincipalOrgID`) are required of the caller
/// when given. Deploy it to every account with a StackSet.
pub fn member_role_template(role_name: &str) -> Value {
    let assume = |condition: Value| {
        let mut statement = json!({
            "Effect": "Allow",
            "Principal": { "AWS": { "Ref": "ScannerRoleArn" } },
            "Action": "sts:AssumeRole"
        });
        if condition != Value::Null {
            statement["Condition"] = condition;
        }
        json!({ "Version": "2012-10-17", "Statement": [statement] })
    };
    let external = json!({ "sts:ExternalId": { "Ref": "ExternalId" } });
    let org = json!({ "aws:PrincipalOrgID": { "Ref": "OrganizationId" } });
    let both = json!({
        "sts:ExternalId": { "Ref": "ExternalId" },
        "aws:PrincipalOrgID": { "Ref": "OrganizationId" }
    });
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!(
            "sprawl's read-only scanning role ({role_name}): lists, gets and describes Lambda, IAM, API Gateway and Secrets Manager; never reads a secret's value or a function's code"
        ),
        "Parameters": {
            "ScannerRoleArn": {
                "Type": "String",
                "AllowedPattern": "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$",
                "ConstraintDescription": "the ARN of an IAM role, such as arn:aws:iam::111122223333:role/sprawl-scanner",
                "Description": "The role sprawl scans from (in the management account or a delegated administrator); only it may assume this role. It must exist when the stack is deployed."
            },
            "ExternalId": {
                "Type": "String",
                "Default": "",
                "AllowedPattern": "^[A-Za-z0-9+=,.@:/_-]{0,1224}$",
                "Description": "Required of the scanner when set (sprawl scan --external-id)"
            },
            "OrganizationId": {
                "Type": "String",
                "Default": "",
                "AllowedPattern": "^(o-[a-z0-9]{10,32})?$",
                "Description": "When set, the scanner must also belong to this organization (aws:PrincipalOrgID)"
            },
            "Metrics": {
                "Type": "String",
                "Default": "false",
                "AllowedValues": ["true", "false"],
                "Description": "Allow what sprawl scan --metrics reads: cloudwatch:GetMetricData (billed to the account) and lambda:ListProvisionedConcurrencyConfigs"
            },
            "AccessAdvisor": {
                "Type": "String",
                "Default": "false",
                "AllowedValues": ["true", "false"],
                "Description": "Allow what sprawl scan --access-advisor calls: IAM's Access Advisor report jobs (iam:GenerateServiceLastAccessedDetails, iam:GetServiceLastAccessedDetails)"
            },
            "NoGetFunction": {
                "Type": "String",
                "Default": "false",
                "AllowedValues": ["true", "false"],
                "Description": "Allow what sprawl scan --no-get-function calls in lambda:GetFunction's place, for accounts that forbid it: lambda:ListTags and lambda:GetFunctionConcurrency"
            },
            "Code": {
                "Type": "String",
                "Default": "false",
                "AllowedValues": ["true", "false"],
                "Description": "Allow what sprawl scan --code adds to read the layers functions run: lambda:GetLayerVersion (the functions' packages come through lambda:GetFunction)"
            }
        },
        "Conditions": {
            "HasExternalId": { "Fn::Not": [{ "Fn::Equals": [{ "Ref": "ExternalId" }, ""] }] },
            "HasOrganizationId": { "Fn::Not": [{ "Fn::Equals": [{ "Ref": "OrganizationId" }, ""] }] },
            "HasBoth": { "Fn::And": [{ "Condition": "HasExternalId" }, { "Condition": "HasOrganizationId" }] },
            "AllowMetrics": { "Fn::Equals": [{ "Ref": "Metrics" }, "true"] },
            "AllowAccessAdvisor": { "Fn::Equals": [{ "Ref": "AccessAdvisor" }, "true"] },
            "AllowNoGetFunction": { "Fn::Equals": [{ "Ref": "NoGetFunction" }, "true"] },
            "AllowCode": { "Fn::Equals": [{ "Ref": "Code" }, "true"] }
        },
        "Resources": {
            "SprawlScanRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": role_name,
                    "MaxSessionDuration": 3600,
                    // CloudFormation cannot add a condition key with Fn::If: one document each.
                    "AssumeRolePolicyDocument": {
                        "Fn::If": ["HasBoth", assume(json!({ "StringEquals": both })), {
                            "Fn::If": ["HasExternalId", assume(json!({ "StringEquals": external })), {
                                "Fn::If": ["HasOrganizationId", assume(json!({ "StringEquals": org })), assume(Value::Null)]
                            }]
                        }]
                    },
                    // The default scan's reads; each opt-in's when its parameter is true.
                    "Policies": [{
                        "PolicyName": "sprawl-read-only",
                        "PolicyDocument": policy(None, OptIns::default())
                    }, {
                        "Fn::If": ["AllowMetrics", {
                            "PolicyName": "sprawl-metrics",
                            "PolicyDocument": opt_in_policy(METRICS_OPS)
                        }, { "Ref": "AWS::NoValue" }]
                    }, {
                        "Fn::If": ["AllowAccessAdvisor", {
                            "PolicyName": "sprawl-access-advisor",
                            "PolicyDocument": opt_in_policy(ACCESS_ADVISOR_OPS)
                        }, { "Ref": "AWS::NoValue" }]
                    }, {
                        "Fn::If": ["AllowNoGetFunction", {
                            "PolicyName": "sprawl-no-get-function",
                            "PolicyDocument": opt_in_policy(NO_GET_FUNCTION_OPS)
                        }, { "Ref": "AWS::NoValue" }]
                    }, {
                        "Fn::If": ["AllowCode", {
                            "PolicyName": "sprawl-code",
                            "PolicyDocument": opt_in_policy(CODE_OPS)
                        }, { "Ref": "AWS::NoValue" }]
                    }],
                    "Tags": [{ "Key": "purpose", "Value": "sprawl read-only security scan" }]
                }
            }
        },
        "Outputs": {
            "RoleArn": { "Value": { "Fn::GetAtt": ["SprawlScanRole", "Arn"] } }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_plan_has_a_grant() {
        for op in ALL.iter().chain(ORGANIZATION) {
            let g = grant(op).unwrap_or_else(|| panic!("{}:{}", op.service, op.name));
            assert!(!g.actions.is_empty() && !g.resources.is_empty());
        }
    }

    #[test]
    fn the_policy_is_stable_and_the_org_part_optional() {
        assert_eq!(policy(None, OptIns::ALL), policy(None, OptIns::ALL));
        let plain = policy(None, OptIns::ALL).to_string();
        assert!(!plain.contains("organizations:") && !plain.contains("sts:AssumeRole"));
        let org = policy(
            Some(&OrgAccess {
                role_name: "SprawlScan".into(),
            }),
            OptIns::default(),
        )
        .to_string();
        assert!(org.contains("organizations:ListAccountsForParent"), "{org}");
        assert!(org.contains("arn:*:iam::*:role/SprawlScan"), "{org}");
    }
}
