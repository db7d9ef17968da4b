//! The Cognito user pools whose triggers run functions. A function's resource policy names each
//! one (`cognito-idp.amazonaws.com`, with the pool's ARN as `aws:SourceArn`); each is read once
//! (DescribeUserPool: whether anyone may sign up, and its Lambda triggers), in its region. No
//! user is ever listed or read.

use std::collections::BTreeMap;

use sprawl_model::{Detail, Function, PoolTrigger, UserPool};

use super::call::{CallContext, read_each};
use super::ops::DESCRIBE_USER_POOL;
use super::policy::named_by_functions;

/// The user pools the functions' resource policies (their own and their aliases') let invoke
/// them, by ARN, with the functions each names.
pub fn pools_named(functions: &[Function]) -> BTreeMap<String, Vec<String>> {
    named_by_functions(
        functions,
        "cognito-idp.amazonaws.com",
        "cognito-idp",
        pool_id,
    )
}

/// A pool's region and id from its ARN (`arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID`).
fn pool_id(arn: &str) -> Option<(&str, &str)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, _, "cognito-idp", region, _, resource] = parts.as_slice() else {
        return None;
    };
    Some((region, resource.strip_prefix("userpool/")?))
}

/// The Lambda triggers of a pool's `LambdaConfig`, by the flow that runs each.
fn lambda_triggers(
    config: &aws_sdk_cognitoidentityprovider::types::LambdaConfigType,
) -> Vec<PoolTrigger> {
    let c = config;
    let versioned = [
        (
            "PreTokenGeneration",
            c.pre_token_generation_config().map(|v| v.lambda_arn()),
        ),
        (
            "CustomSMSSender",
            c.custom_sms_sender().map(|v| v.lambda_arn()),
        ),
        (
            "CustomEmailSender",
            c.custom_email_sender().map(|v| v.lambda_arn()),
        ),
    ];
    let plain = [
        ("PreSignUp", c.pre_sign_up()),
        ("CustomMessage", c.custom_message()),
        ("PostConfirmation", c.post_confirmation()),
        ("PreAuthentication", c.pre_authentication()),
        ("PostAuthentication", c.post_authentication()),
        ("DefineAuthChallenge", c.define_auth_challenge()),
        ("CreateAuthChallenge", c.create_auth_challenge()),
        (
            "VerifyAuthChallengeResponse",
            c.verify_auth_challenge_response(),
        ),
        ("PreTokenGeneration", c.pre_token_generation()),
        ("UserMigration", c.user_migration()),
    ];
    let mut out: Vec<PoolTrigger> = Vec::new();
    for (event, function) in plain.into_iter().chain(versioned) {
        let Some(function) = function.filter(|f| !f.is_empty()) else {
            continue;
        };
        let trigger = PoolTrigger {
            event: event.to_string(),
            function: function.to_string(),
        };
        if !out.contains(&trigger) {
            out.push(trigger);
        }
    }
    out
}

/// Reads each pool in its region, with one client per region.
pub async fn pools(
    ctx: &CallContext,
    client_of: impl Fn(&str) -> aws_sdk_cognitoidentityprovider::Client,
    named: BTreeMap<String, Vec<String>>,
) -> Vec<UserPool> {
    read_each(named, pool_id, client_of, |client, each| async move {
        let answer = ctx
            .call_required(&DESCRIBE_USER_POOL, &each.region, || {
                client.describe_user_pool().user_pool_id(&each.id).send()
            })
            .await;
        let (name, self_sign_up, lambda) = match answer {
            Ok(out) => {
                let pool = out.user_pool();
                // No AdminCreateUserConfig is Cognito's default: anyone may sign up.
                let admin_only = pool
                    .and_then(|p| p.admin_create_user_config())
                    .is_some_and(|c| c.allow_admin_create_user_only());
                (
                    pool.and_then(|p| p.name()).map(str::to_string),
                    Detail::collected(!admin_only),
                    Detail::collected(
                        pool.and_then(|p| p.lambda_config())
                            .map(lambda_triggers)
                            .unwrap_or_default(),
                    ),
                )
            }
            Err(f) => (None, Detail::failed(&f), Detail::failed(&f)),
        };
        UserPool {
            arn: each.arn,
            region: each.region,
            triggers: each.named,
            name,
            self_sign_up,
            lambda_triggers: lambda,
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_s_arn_names_its_region_and_id() {
        assert_eq!(
            pool_id("arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_AbC"),
            Some(("eu-west-1", "eu-west-1_AbC"))
        );
        assert_eq!(
            pool_id("arn:aws:cognito-idp:eu-west-1:111122223333:identitypool/x"),
            None
        );
    }

    #[test]
    fn every_trigger_of_a_lambda_config_is_named_by_its_flow() {
        use aws_sdk_cognitoidentityprovider::types::{
            CustomSmsLambdaVersionConfigType, LambdaConfigType,
        };
        let config = LambdaConfigType::builder()
            .pre_sign_up("arn:aws:lambda:eu-west-1:111122223333:function:signup")
            .user_migration("arn:aws:lambda:eu-west-1:111122223333:function:migrate")
            .custom_sms_sender(
                CustomSmsLambdaVersionConfigType::builder()
                    .lambda_version("V1_0".into())
                    .lambda_arn("arn:aws:lambda:eu-west-1:111122223333:function:sms")
                    .build()
                    .unwrap(),
            )
            .build();
        let triggers = lambda_triggers(&config);
        let events: Vec<&str> = triggers.iter().map(|t| t.event.as_str()).collect();
        assert_eq!(events, ["PreSignUp", "UserMigration", "CustomSMSSender"]);
    }
}
