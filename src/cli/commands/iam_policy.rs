//! `sprawl iam-policy`: the read-only IAM policy a scan needs, written from the collectors'
//! call plan, or the CloudFormation template of a member account's scanning role.

use std::process::ExitCode;

use clap::Args;

use crate::cli::CliError;
use crate::cli::args::{DEFAULT_ROLE_NAME, parse_role_name};
use crate::cli::output::outln;

#[derive(Debug, Args)]
pub struct IamPolicyArgs {
    /// Add what scanning an organization from this principal needs: the organization's
    /// List and Describe reads, and sts:AssumeRole on --role-name in every account.
    #[arg(long, conflicts_with = "cloudformation")]
    pub org: bool,
    /// The role sprawl assumes in each member account.
    #[arg(long, value_name = "NAME", default_value = DEFAULT_ROLE_NAME, value_parser = parse_role_name)]
    pub role_name: String,
    /// Print a CloudFormation template (JSON) that creates that role, trusting only the
    /// scanning role (its ARN a parameter; optionally an external ID and the organization's
    /// id), with the read-only policy; deploy it to every account with a StackSet.
    #[arg(long)]
    pub cloudformation: bool,
    /// Add what `scan --metrics` calls (cloudwatch:GetMetricData, billed to the account, and
    /// lambda:ListProvisionedConcurrencyConfigs). The template takes it as a parameter.
    #[arg(long, conflicts_with = "cloudformation")]
    pub metrics: bool,
    /// Add what `scan --access-advisor` calls (IAM's Access Advisor report jobs). The template
    /// takes it as a parameter.
    #[arg(long, conflicts_with = "cloudformation")]
    pub access_advisor: bool,
    /// Add what `scan --no-get-function` calls in lambda:GetFunction's place
    /// (lambda:GetFunctionConcurrency; lambda:ListTags is granted already). The template takes it
    /// as a parameter.
    #[arg(long, conflicts_with = "cloudformation")]
    pub no_get_function: bool,
    /// Add what `scan --code` calls to read the layers functions run (lambda:GetLayerVersion;
    /// the packages come through lambda:GetFunction, granted already). The template takes it as
    /// a parameter.
    #[arg(long, conflicts_with = "cloudformation")]
    pub code: bool,
}

pub fn run(args: IamPolicyArgs) -> Result<ExitCode, CliError> {
    let IamPolicyArgs {
        org,
        role_name,
        cloudformation,
        metrics,
        access_advisor,
        no_get_function,
        code,
    } = args;
    use crate::collect::permissions::{OrgAccess, member_role_template, policy};
    let doc = if cloudformation {
        member_role_template(&role_name)
    } else {
        policy(
            org.then_some(&OrgAccess { role_name }),
            crate::collect::ops::OptIns {
                metrics,
                access_advisor,
                no_get_function,
                code,
            },
        )
    };
    outln!(
        "{}",
        serde_json::to_string_pretty(&doc).expect("a policy serializes")
    );
    Ok(ExitCode::SUCCESS)
}
