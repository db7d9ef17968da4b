//! Privilege escalation: the combined list of known methods by which a principal turns some IAM
//! permissions into more, as action sets. Sources: Rhino Security Labs' original research,
//! Cloudsplaining's `PRIVILEGE_ESCALATION_METHODS`, Prowler's
//! `privilege_escalation_policies_combination`, PMapper's edges and DataDog's pathfinding.cloud
//! (see NOTICE). The table is ours; each method names where it was described.

use serde::{Deserialize, Serialize};

use crate::access::{Permit, RoleAccess, StatementRef, Target};

/// How a method pays off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payoff {
    /// Rewrites IAM policy or credentials: anything, including administrator.
    Iam,
    /// Runs code as a role it passes (`iam:PassRole` plus a compute service).
    PassRole,
    /// Runs code as the role of an existing resource (a function, an instance, a job).
    Existing,
}

pub struct Method {
    /// Stable id (`lambda-create-invoke`).
    pub id: &'static str,
    pub description: &'static str,
    pub source: &'static str,
    pub payoff: Payoff,
    /// Every group must be allowed; within a group, any one action suffices.
    pub requires: &'static [&'static [&'static str]],
}

const RHINO: &str = "Rhino Security Labs";
const PROWLER: &str = "Prowler";
const PATHFINDING: &str = "pathfinding.cloud (Cloudsplaining, Prowler)";
const PMAPPER: &str = "PMapper";

macro_rules! m {
    ($id:literal, $payoff:ident, $src:expr, $desc:literal, [$([$($a:literal),+]),+]) => {
        Method {
            id: $id,
            description: $desc,
            source: $src,
            payoff: Payoff::$payoff,
            requires: &[$(&[$($a),+]),+],
        }
    };
}

/// Every method. PassRole methods list `iam:PassRole` explicitly.
pub const METHODS: &[Method] = &[
    // IAM: rewrite policy or mint credentials.
    m!(
        "iam-create-access-key",
        Iam,
        RHINO,
        "create an access key for another user",
        [["iam:CreateAccessKey"]]
    ),
    m!(
        "iam-create-login-profile",
        Iam,
        RHINO,
        "set a console password for a user without one",
        [["iam:CreateLoginProfile"]]
    ),
    m!(
        "iam-update-login-profile",
        Iam,
        RHINO,
        "change another user's console password",
        [["iam:UpdateLoginProfile"]]
    ),
    m!(
        "iam-add-user-to-group",
        Iam,
        RHINO,
        "add a user to a more privileged group",
        [["iam:AddUserToGroup"]]
    ),
    m!(
        "iam-create-policy-version",
        Iam,
        RHINO,
        "publish a new default version of a managed policy",
        [["iam:CreatePolicyVersion"]]
    ),
    m!(
        "iam-set-default-policy-version",
        Iam,
        RHINO,
        "switch a managed policy to a more permissive old version",
        [["iam:SetDefaultPolicyVersion"]]
    ),
    m!(
        "iam-attach-user-policy",
        Iam,
        RHINO,
        "attach any managed policy to a user",
        [["iam:AttachUserPolicy"]]
    ),
    m!(
        "iam-attach-group-policy",
        Iam,
        RHINO,
        "attach any managed policy to a group",
        [["iam:AttachGroupPolicy"]]
    ),
    m!(
        "iam-attach-role-policy",
        Iam,
        RHINO,
        "attach any managed policy to a role",
        [["iam:AttachRolePolicy"]]
    ),
    m!(
        "iam-put-user-policy",
        Iam,
        RHINO,
        "write an inline policy on a user",
        [["iam:PutUserPolicy"]]
    ),
    m!(
        "iam-put-group-policy",
        Iam,
        RHINO,
        "write an inline policy on a group",
        [["iam:PutGroupPolicy"]]
    ),
    m!(
        "iam-put-role-policy",
        Iam,
        RHINO,
        "write an inline policy on a role",
        [["iam:PutRolePolicy"]]
    ),
    m!(
        "iam-update-assume-role-policy",
        Iam,
        RHINO,
        "let itself assume a more privileged role",
        [["iam:UpdateAssumeRolePolicy"]]
    ),
    m!(
        "iam-create-and-rotate-access-key",
        Iam,
        PATHFINDING,
        "delete a user's key to make room for a new one",
        [["iam:CreateAccessKey"], ["iam:DeleteAccessKey"]]
    ),
    m!(
        "iam-user-policy-then-access-key",
        Iam,
        PATHFINDING,
        "grant a user more, then mint its keys",
        [
            ["iam:AttachUserPolicy", "iam:PutUserPolicy"],
            ["iam:CreateAccessKey"]
        ]
    ),
    m!(
        "iam-role-policy-then-update-trust",
        Iam,
        PATHFINDING,
        "grant a role more, then trust itself in it",
        [
            [
                "iam:AttachRolePolicy",
                "iam:CreatePolicyVersion",
                "iam:PutRolePolicy"
            ],
            ["iam:UpdateAssumeRolePolicy"]
        ]
    ),
    m!(
        "iam-policy-version-then-assume",
        Iam,
        PATHFINDING,
        "widen a policy, then assume a role it is attached to",
        [["iam:CreatePolicyVersion"], ["sts:AssumeRole"]]
    ),
    m!(
        "iam-attach-role-policy-then-assume",
        Iam,
        PROWLER,
        "attach a policy to a role, then assume it",
        [["iam:AttachRolePolicy"], ["sts:AssumeRole"]]
    ),
    m!(
        "iam-put-role-policy-then-assume",
        Iam,
        PROWLER,
        "write a role's inline policy, then assume it",
        [["iam:PutRolePolicy"], ["sts:AssumeRole"]]
    ),
    m!(
        "iam-update-trust-then-assume",
        Iam,
        PROWLER,
        "trust itself in a role, then assume it",
        [["iam:UpdateAssumeRolePolicy"], ["sts:AssumeRole"]]
    ),
    m!(
        "iam-delete-user-boundary",
        Iam,
        PROWLER,
        "remove a user's permissions boundary",
        [["iam:DeleteUserPermissionsBoundary"]]
    ),
    m!(
        "iam-delete-role-boundary-then-assume",
        Iam,
        PROWLER,
        "remove a role's permissions boundary, then assume it",
        [["iam:DeleteRolePermissionsBoundary"], ["sts:AssumeRole"]]
    ),
    // Lambda.
    m!(
        "lambda-create-invoke",
        PassRole,
        RHINO,
        "create a function with a passed role and invoke it",
        [
            ["iam:PassRole"],
            ["lambda:CreateFunction"],
            ["lambda:InvokeFunction"]
        ]
    ),
    m!(
        "lambda-create-event-source",
        PassRole,
        RHINO,
        "create a function with a passed role and trigger it from an existing stream",
        [
            ["iam:PassRole"],
            ["lambda:CreateFunction"],
            ["lambda:CreateEventSourceMapping"]
        ]
    ),
    m!(
        "lambda-create-event-source-new-table",
        PassRole,
        RHINO,
        "create a function with a passed role and trigger it from a new DynamoDB table",
        [
            ["iam:PassRole"],
            ["lambda:CreateFunction"],
            ["lambda:CreateEventSourceMapping"],
            ["dynamodb:CreateTable"],
            ["dynamodb:PutItem"]
        ]
    ),
    m!(
        "lambda-create-add-permission",
        PassRole,
        PATHFINDING,
        "create a function with a passed role and let itself invoke it",
        [
            ["iam:PassRole"],
            ["lambda:CreateFunction"],
            ["lambda:AddPermission"]
        ]
    ),
    m!(
        "lambda-update-code",
        Existing,
        RHINO,
        "replace an existing function's code and run as its role",
        [["lambda:UpdateFunctionCode"]]
    ),
    m!(
        "lambda-update-code-invoke",
        Existing,
        PATHFINDING,
        "replace a function's code and invoke it",
        [
            ["lambda:UpdateFunctionCode"],
            ["lambda:InvokeFunction", "lambda:AddPermission"]
        ]
    ),
    m!(
        "lambda-update-configuration",
        Existing,
        PROWLER,
        "change a function's configuration (a layer or handler) to run its own code",
        [["lambda:UpdateFunctionConfiguration"]]
    ),
    // EC2.
    m!(
        "ec2-run-instances",
        PassRole,
        RHINO,
        "launch an instance with a passed instance profile",
        [["iam:PassRole"], ["ec2:RunInstances"]]
    ),
    m!(
        "ec2-request-spot-instances",
        PassRole,
        PATHFINDING,
        "request a spot instance with a passed instance profile",
        [["iam:PassRole"], ["ec2:RequestSpotInstances"]]
    ),
    m!(
        "ec2-associate-instance-profile",
        PassRole,
        PMAPPER,
        "attach a passed instance profile to a running instance",
        [["iam:PassRole"], ["ec2:AssociateIamInstanceProfile"]]
    ),
    m!(
        "ec2-modify-user-data",
        Existing,
        PATHFINDING,
        "rewrite an instance's user data and restart it",
        [
            ["ec2:ModifyInstanceAttribute"],
            ["ec2:StopInstances"],
            ["ec2:StartInstances"]
        ]
    ),
    m!(
        "ec2-modify-launch-template",
        Existing,
        PATHFINDING,
        "publish a launch template version with new user data",
        [
            ["ec2:CreateLaunchTemplateVersion"],
            ["ec2:ModifyLaunchTemplate"]
        ]
    ),
    m!(
        "ec2-instance-connect",
        Existing,
        PATHFINDING,
        "push an SSH key to an instance and log in",
        [
            ["ec2-instance-connect:SendSSHPublicKey"],
            ["ec2:DescribeInstances"]
        ]
    ),
    // Glue.
    m!(
        "glue-create-dev-endpoint",
        PassRole,
        RHINO,
        "create a Glue development endpoint with a passed role",
        [["iam:PassRole"], ["glue:CreateDevEndpoint"]]
    ),
    m!(
        "glue-update-dev-endpoint",
        Existing,
        RHINO,
        "add an SSH key to an existing Glue development endpoint",
        [["glue:UpdateDevEndpoint"]]
    ),
    m!(
        "glue-job",
        PassRole,
        PATHFINDING,
        "create or update a Glue job with a passed role and run it",
        [
            ["iam:PassRole"],
            ["glue:CreateJob", "glue:UpdateJob"],
            ["glue:StartJobRun", "glue:CreateTrigger"]
        ]
    ),
    m!(
        "glue-session",
        PassRole,
        PATHFINDING,
        "open a Glue interactive session with a passed role",
        [
            ["iam:PassRole"],
            ["glue:CreateSession"],
            ["glue:RunStatement"]
        ]
    ),
    // CloudFormation.
    m!(
        "cloudformation-create-stack",
        PassRole,
        RHINO,
        "create a stack with a passed role",
        [["iam:PassRole"], ["cloudformation:CreateStack"]]
    ),
    m!(
        "cloudformation-update-stack",
        Existing,
        PATHFINDING,
        "update a stack that runs with a privileged role",
        [["cloudformation:UpdateStack"]]
    ),
    m!(
        "cloudformation-change-set",
        Existing,
        PATHFINDING,
        "create and execute a change set on a privileged stack",
        [
            ["cloudformation:CreateChangeSet"],
            ["cloudformation:ExecuteChangeSet"]
        ]
    ),
    m!(
        "cloudformation-stack-set",
        PassRole,
        PATHFINDING,
        "create a stack set with a passed role",
        [
            ["iam:PassRole"],
            ["cloudformation:CreateStackSet"],
            ["cloudformation:CreateStackInstances"]
        ]
    ),
    m!(
        "cloudformation-update-stack-set",
        PassRole,
        PATHFINDING,
        "update a stack set with a passed role",
        [["iam:PassRole"], ["cloudformation:UpdateStackSet"]]
    ),
    // Data Pipeline, CodeBuild, CodeStar, Auto Scaling.
    m!(
        "datapipeline-create",
        PassRole,
        RHINO,
        "create a pipeline that runs with a passed role",
        [["iam:PassRole"], ["datapipeline:CreatePipeline"]]
    ),
    m!(
        "codebuild-project",
        PassRole,
        PATHFINDING,
        "create a build project with a passed role and start it",
        [
            ["iam:PassRole"],
            ["codebuild:CreateProject"],
            ["codebuild:StartBuild", "codebuild:StartBuildBatch"]
        ]
    ),
    m!(
        "codebuild-start-build",
        Existing,
        PROWLER,
        "start an existing project's build with an overridden buildspec",
        [["codebuild:StartBuild", "codebuild:StartBuildBatch"]]
    ),
    m!(
        "codestar-create-project",
        PassRole,
        PROWLER,
        "create a CodeStar project with a passed role",
        [["iam:PassRole"], ["codestar:CreateProject"]]
    ),
    m!(
        "autoscaling-launch-configuration",
        PassRole,
        PROWLER,
        "create a launch configuration with a passed profile and scale a group onto it",
        [
            ["iam:PassRole"],
            ["autoscaling:CreateLaunchConfiguration"],
            [
                "autoscaling:CreateAutoScalingGroup",
                "autoscaling:UpdateAutoScalingGroup"
            ]
        ]
    ),
    // ECS.
    m!(
        "ecs-task-definition",
        PassRole,
        PATHFINDING,
        "register a task definition with a passed role and run it",
        [
            ["iam:PassRole"],
            ["ecs:RegisterTaskDefinition"],
            ["ecs:CreateService", "ecs:RunTask", "ecs:StartTask"]
        ]
    ),
    m!(
        "ecs-run-task",
        PassRole,
        PROWLER,
        "run a task with a passed role override",
        [["iam:PassRole"], ["ecs:RunTask", "ecs:StartTask"]]
    ),
    m!(
        "ecs-container-instance",
        PassRole,
        PROWLER,
        "register a container instance and start a task with a passed role on it",
        [
            ["iam:PassRole"],
            ["ecs:StartTask"],
            ["ecs:RegisterContainerInstance"],
            ["ecs:DeregisterContainerInstance"]
        ]
    ),
    m!(
        "ecs-execute-command",
        Existing,
        PATHFINDING,
        "open a shell in a running task",
        [["ecs:ExecuteCommand"], ["ecs:DescribeTasks"]]
    ),
    // SageMaker.
    m!(
        "sagemaker-create",
        PassRole,
        PATHFINDING,
        "create a notebook, training or processing job with a passed role",
        [
            ["iam:PassRole"],
            [
                "sagemaker:CreateNotebookInstance",
                "sagemaker:CreateTrainingJob",
                "sagemaker:CreateProcessingJob"
            ]
        ]
    ),
    m!(
        "sagemaker-presigned-notebook-url",
        Existing,
        PATHFINDING,
        "open an existing notebook through a presigned URL",
        [["sagemaker:CreatePresignedNotebookInstanceUrl"]]
    ),
    m!(
        "sagemaker-notebook-lifecycle",
        Existing,
        PATHFINDING,
        "attach a lifecycle script to a notebook and restart it",
        [
            ["sagemaker:CreateNotebookInstanceLifecycleConfig"],
            ["sagemaker:StopNotebookInstance"],
            ["sagemaker:UpdateNotebookInstance"],
            ["sagemaker:StartNotebookInstance"]
        ]
    ),
    // SSM.
    m!(
        "ssm-start-session",
        Existing,
        PROWLER,
        "open a session on a managed instance",
        [["ssm:StartSession"]]
    ),
    m!(
        "ssm-send-command",
        Existing,
        PROWLER,
        "run a command on a managed instance",
        [["ssm:SendCommand"]]
    ),
    m!(
        "ssm-automation",
        PassRole,
        PATHFINDING,
        "run an automation document with a passed role",
        [
            ["iam:PassRole"],
            ["ssm:CreateDocument"],
            ["ssm:StartAutomationExecution"]
        ]
    ),
    // App Runner.
    m!(
        "apprunner-create-service",
        PassRole,
        PATHFINDING,
        "create an App Runner service with a passed role",
        [["iam:PassRole"], ["apprunner:CreateService"]]
    ),
    m!(
        "apprunner-update-service",
        Existing,
        PATHFINDING,
        "update an App Runner service's code",
        [["apprunner:UpdateService"]]
    ),
    // Bedrock AgentCore.
    m!(
        "agentcore-code-interpreter",
        PassRole,
        PATHFINDING,
        "create a code interpreter with a passed role and run code in it",
        [
            ["iam:PassRole"],
            ["bedrock-agentcore:CreateCodeInterpreter"],
            ["bedrock-agentcore:StartCodeInterpreterSession"],
            ["bedrock-agentcore:InvokeCodeInterpreter"]
        ]
    ),
    m!(
        "agentcore-existing-code-interpreter",
        Existing,
        PATHFINDING,
        "run code in an existing code interpreter",
        [
            ["bedrock-agentcore:StartCodeInterpreterSession"],
            ["bedrock-agentcore:InvokeCodeInterpreter"]
        ]
    ),
    m!(
        "agentcore-runtime-command",
        Existing,
        PATHFINDING,
        "run a command in an existing agent runtime",
        [["bedrock-agentcore:InvokeAgentRuntimeCommand"]]
    ),
    m!(
        "agentcore-create-runtime",
        PassRole,
        PATHFINDING,
        "create an agent runtime with a passed role and run a command",
        [
            ["iam:PassRole"],
            ["bedrock-agentcore:CreateAgentRuntime"],
            ["bedrock-agentcore:CreateAgentRuntimeEndpoint"],
            ["bedrock-agentcore:CreateWorkloadIdentity"],
            ["bedrock-agentcore:InvokeAgentRuntimeCommand"]
        ]
    ),
    m!(
        "agentcore-existing-browser",
        Existing,
        PATHFINDING,
        "drive an existing browser session",
        [
            ["bedrock-agentcore:StartBrowserSession"],
            ["bedrock-agentcore:ConnectBrowserAutomationStream"]
        ]
    ),
    m!(
        "agentcore-create-browser",
        PassRole,
        PATHFINDING,
        "create a browser with a passed role and drive it",
        [
            ["iam:PassRole"],
            ["bedrock-agentcore:CreateBrowser"],
            ["bedrock-agentcore:StartBrowserSession"],
            ["bedrock-agentcore:ConnectBrowserAutomationStream"]
        ]
    ),
    // Others.
    m!(
        "batch-job-definition",
        PassRole,
        PATHFINDING,
        "register a Batch job definition with a passed role and submit it",
        [
            ["iam:PassRole"],
            ["batch:RegisterJobDefinition"],
            ["batch:SubmitJob"]
        ]
    ),
    m!(
        "batch-submit-job",
        Existing,
        PATHFINDING,
        "submit a job to an existing privileged job definition",
        [["batch:SubmitJob"]]
    ),
    m!(
        "braket-create-job",
        PassRole,
        PATHFINDING,
        "create a Braket job with a passed role",
        [["iam:PassRole"], ["braket:CreateJob"]]
    ),
    m!(
        "codedeploy-deployment",
        Existing,
        PATHFINDING,
        "deploy new code to instances through CodeDeploy",
        [
            ["codedeploy:CreateDeployment"],
            ["codedeploy:RegisterApplicationRevision"],
            ["codedeploy:GetDeploymentConfig"]
        ]
    ),
    m!(
        "cognito-identity-pool-roles",
        PassRole,
        PATHFINDING,
        "set an identity pool's roles to a passed role",
        [["iam:PassRole"], ["cognito-identity:SetIdentityPoolRoles"]]
    ),
    m!(
        "emr-run-job-flow",
        PassRole,
        PATHFINDING,
        "start an EMR cluster with a passed role",
        [["iam:PassRole"], ["elasticmapreduce:RunJobFlow"]]
    ),
    m!(
        "emr-serverless",
        PassRole,
        PATHFINDING,
        "run an EMR Serverless job with a passed role",
        [
            ["iam:PassRole"],
            ["emr-serverless:CreateApplication"],
            ["emr-serverless:StartJobRun"]
        ]
    ),
    m!(
        "gamelift-fleet",
        PassRole,
        PATHFINDING,
        "create a GameLift fleet with a passed role",
        [
            ["iam:PassRole"],
            ["gamelift:CreateBuild"],
            ["gamelift:CreateFleet"],
            ["gamelift:RequestUploadCredentials"]
        ]
    ),
    m!(
        "imagebuilder-image",
        PassRole,
        PATHFINDING,
        "build an image with a passed instance profile",
        [
            ["iam:PassRole"],
            ["imagebuilder:CreateComponent"],
            ["imagebuilder:CreateImageRecipe"],
            ["imagebuilder:CreateInfrastructureConfiguration"],
            ["imagebuilder:CreateImage"]
        ]
    ),
    m!(
        "kinesisanalytics-application",
        PassRole,
        PATHFINDING,
        "run a Kinesis Analytics application with a passed role",
        [
            ["iam:PassRole"],
            ["kinesisanalytics:CreateApplication"],
            ["kinesisanalytics:StartApplication"]
        ]
    ),
    m!(
        "omics-workflow",
        PassRole,
        PATHFINDING,
        "run a HealthOmics workflow with a passed role",
        [
            ["iam:PassRole"],
            ["omics:CreateWorkflow"],
            ["omics:StartRun"],
            ["s3:GetObject"]
        ]
    ),
    m!(
        "scheduler-create-schedule",
        PassRole,
        PATHFINDING,
        "schedule a target invocation with a passed role",
        [["iam:PassRole"], ["scheduler:CreateSchedule"]]
    ),
    m!(
        "states-create-state-machine",
        PassRole,
        PATHFINDING,
        "create a state machine with a passed role and start it",
        [
            ["iam:PassRole"],
            ["states:CreateStateMachine"],
            ["states:StartExecution"]
        ]
    ),
    m!(
        "states-update-state-machine",
        Existing,
        PATHFINDING,
        "rewrite a privileged state machine and start it",
        [["states:UpdateStateMachine"], ["states:StartExecution"]]
    ),
    m!(
        "sso-permission-set",
        Iam,
        PATHFINDING,
        "create a permission set with a managed policy and assign it",
        [
            ["sso:CreatePermissionSet"],
            ["sso:CreateAccountAssignment"],
            ["sso:AttachManagedPolicyToPermissionSet"]
        ]
    ),
    m!(
        "sso-attach-managed-policy",
        Iam,
        PATHFINDING,
        "attach a managed policy to an existing permission set",
        [["sso:AttachManagedPolicyToPermissionSet"]]
    ),
    m!(
        "sso-put-inline-policy",
        Iam,
        PATHFINDING,
        "write an inline policy on an existing permission set",
        [["sso:PutInlinePolicyToPermissionSet"]]
    ),
];

/// One allowed action of a method, with what grants it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub action: String,
    pub via: Vec<StatementRef>,
}

/// A method the role can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    pub method: String,
    pub description: String,
    pub source: String,
    pub payoff: Payoff,
    pub steps: Vec<Step>,
    /// True when a condition may stand in the way.
    pub conditional: bool,
}

impl Escalation {
    /// `iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction`.
    pub fn actions(&self) -> String {
        self.steps
            .iter()
            .map(|s| s.action.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// What a method's action must be allowed on to be of use: a policy version on a policy that
/// customers can version (not an AWS-managed one); anything else on some resource.
fn target_of(action: &str) -> Target<'static> {
    match action {
        "iam:CreatePolicyVersion" | "iam:SetDefaultPolicyVersion" => Target::CustomerPolicy,
        _ => Target::Any,
    }
}

/// Every method the role's policies allow, in table order.
pub fn escalations(access: &RoleAccess) -> Vec<Escalation> {
    let mut out = Vec::new();
    'methods: for m in METHODS {
        let mut steps = Vec::new();
        let mut conditional = false;
        for group in m.requires {
            let found = group
                .iter()
                .find_map(|a| access.permit(a, target_of(a)).map(|p: Permit| (*a, p)));
            let Some((action, permit)) = found else {
                continue 'methods;
            };
            conditional |= permit.conditional;
            steps.push(Step {
                action: action.to_string(),
                via: permit.via,
            });
        }
        out.push(Escalation {
            method: m.id.to_string(),
            description: m.description.to_string(),
            source: m.source.to_string(),
            payoff: m.payoff,
            steps,
            conditional,
        });
    }
    out
}

/// Ways the role can make itself administrator (PMapper's admin test): write or attach policy on
/// its own ARN, or rewrite a customer-managed policy attached to it, or drop its own boundary.
pub fn self_escalations(
    access: &RoleAccess,
    role_arn: &str,
    attached_customer_policies: &[&str],
    has_boundary: bool,
) -> Vec<Step> {
    let mut out = Vec::new();
    for action in ["iam:PutRolePolicy", "iam:AttachRolePolicy"] {
        if let Some(p) = access.permit(action, Target::Arn(role_arn)) {
            out.push(Step {
                action: format!("{action} on itself"),
                via: p.via,
            });
        }
    }
    for policy in attached_customer_policies {
        if let Some(p) = access.permit("iam:CreatePolicyVersion", Target::Arn(policy)) {
            out.push(Step {
                action: format!("iam:CreatePolicyVersion on its policy {policy}"),
                via: p.via,
            });
        }
    }
    if has_boundary
        && let Some(p) = access.permit("iam:DeleteRolePermissionsBoundary", Target::Arn(role_arn))
    {
        out.push(Step {
            action: "iam:DeleteRolePermissionsBoundary on itself".into(),
            via: p.via,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::table;

    #[test]
    fn every_method_names_real_actions() {
        let t = table();
        let mut ids = std::collections::BTreeSet::new();
        for m in METHODS {
            assert!(ids.insert(m.id), "duplicate method id {}", m.id);
            for group in m.requires {
                for a in *group {
                    assert!(t.lookup(a).is_some(), "{}: unknown action {a}", m.id);
                }
            }
            let passes = m.requires.iter().any(|g| g.contains(&"iam:PassRole"));
            assert_eq!(passes, m.payoff == Payoff::PassRole, "{}", m.id);
        }
        assert!(METHODS.len() >= 84);
    }

    #[test]
    fn wildcards_in_grants_find_the_methods() {
        use crate::access::Analyzer;
        use sprawl_model::{InlinePolicy, Role};
        let role = Role {
            arn: "arn:aws:iam::1:role/r".into(),
            name: "r".into(),
            path: "/".into(),
            created: None,
            trust_policy: None,
            inline_policies: vec![InlinePolicy {
                name: "p".into(),
                document: serde_json::json!({"Statement": [{"Effect": "Allow", "Action": ["iam:Pass*", "lambda:Create*", "lambda:Invoke*"], "Resource": "*"}]}).into(),
            }],
            attached_policies: Vec::new(),
            permissions_boundary: None,
            last_used: None,
            tags: Default::default(),
            gaps: Vec::new(),
            access_advisor: sprawl_model::Detail::skipped(sprawl_model::NO_ACCESS_ADVISOR),
        };
        let found: Vec<String> = escalations(&Analyzer::new().role(&role))
            .into_iter()
            .map(|e| e.method)
            .collect();
        assert!(
            found.contains(&"lambda-create-invoke".to_string()),
            "{found:?}"
        );
        assert!(
            found.contains(&"lambda-create-event-source".to_string()),
            "{found:?}"
        );
        assert!(!found.iter().any(|m| m.starts_with("iam-")), "{found:?}");
    }
}
