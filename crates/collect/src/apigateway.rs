//! API Gateway REST APIs (v1): stages, resources with their methods and integrations, authorizers.

use std::collections::BTreeMap;

use aws_sdk_apigateway::Client;
use futures::StreamExt;

use super::call::{CallContext, detail};
use super::ops::*;
use super::policy::parse_policy;
use super::redact::{redact_all, strip_url_secrets};
use sprawl_model::{
    AccessLog, Authorizer, Integration, MethodSetting, RestApi, RestMethod, RestResource, RestStage,
};

/// The largest page API Gateway serves.
const PAGE: i32 = 500;

/// APIs whose details are fetched at once (the management quota paces the calls).
const APIS_IN_FLIGHT: usize = 4;

pub async fn collect(ctx: &CallContext, client: &Client, region: &str) -> Vec<RestApi> {
    let listing = ctx
        .paginate(
            &GET_REST_APIS,
            region,
            |position| {
                client
                    .get_rest_apis()
                    .limit(PAGE)
                    .set_position(position)
                    .send()
            },
            |out| (out.items.unwrap_or_default(), out.position),
        )
        .await;
    futures::stream::iter(listing.items)
        .map(|api| rest_api(ctx, client, region, api))
        .buffer_unordered(APIS_IN_FLIGHT)
        .collect()
        .await
}

/// The Lambda function ARN inside an API Gateway integration or authorizer URI
/// (`arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`), or the
/// URI itself when it is a function ARN (HTTP APIs allow that).
pub fn lambda_arn_in(uri: &str) -> Option<String> {
    if uri.starts_with("arn:") && uri.contains(":lambda:") && uri.contains(":function:") {
        if let Some(start) = uri.find("functions/") {
            let rest = &uri[start + "functions/".len()..];
            let end = rest.find("/invocations").unwrap_or(rest.len());
            return Some(rest[..end].to_string());
        }
        if uri.starts_with("arn:aws") && uri.split(':').nth(2) == Some("lambda") {
            return Some(uri.to_string());
        }
    }
    None
}

pub(super) fn integration(
    id: Option<&str>,
    kind: Option<&str>,
    uri: Option<&str>,
    payload: Option<&str>,
) -> Integration {
    Integration {
        id: id.map(str::to_string),
        integration_type: kind.map(str::to_string),
        uri: uri.map(strip_url_secrets),
        lambda_arn: uri.and_then(lambda_arn_in),
        payload_format_version: payload.map(str::to_string),
    }
}

async fn rest_api(
    ctx: &CallContext,
    client: &Client,
    region: &str,
    api: aws_sdk_apigateway::types::RestApi,
) -> RestApi {
    let id = api.id().unwrap_or_default().to_string();
    let (resources, stages) = tokio::join!(
        ctx.paginate(
            &GET_RESOURCES,
            region,
            |position| {
                client
                    .get_resources()
                    .rest_api_id(&id)
                    .embed("methods")
                    .limit(PAGE)
                    .set_position(position)
                    .send()
            },
            |out| (out.items.unwrap_or_default(), out.position),
        ),
        ctx.call_required(&GET_STAGES, region, || {
            client.get_stages().rest_api_id(&id).send()
        }),
    );

    let resources = resources.into_detail(|r| RestResource {
        id: r.id().unwrap_or_default().to_string(),
        path: r.path().unwrap_or_default().to_string(),
        methods: r
            .resource_methods()
            .map(|methods| {
                methods
                    .iter()
                    .map(|(verb, m)| RestMethod {
                        http_method: m.http_method().unwrap_or(verb).to_string(),
                        authorization_type: m.authorization_type().map(str::to_string),
                        authorizer_id: m.authorizer_id().map(str::to_string),
                        api_key_required: m.api_key_required().unwrap_or(false),
                        integration: m.method_integration().map(|i| {
                            integration(None, i.r#type().map(|t| t.as_str()), i.uri(), None)
                        }),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    });

    // Authorizers matter only where a method uses one.
    let uses_authorizer = resources.value().is_some_and(|rs| {
        rs.iter()
            .flat_map(|r| &r.methods)
            .any(|m| m.authorizer_id.is_some())
    });
    let authorizers = if uses_authorizer {
        let listing = ctx
            .paginate(
                &GET_AUTHORIZERS,
                region,
                |position| {
                    client
                        .get_authorizers()
                        .rest_api_id(&id)
                        .limit(PAGE)
                        .set_position(position)
                        .send()
                },
                |out| (out.items.unwrap_or_default(), out.position),
            )
            .await;
        listing.into_detail(|a| Authorizer {
            id: a.id().unwrap_or_default().to_string(),
            name: a.name().map(str::to_string),
            authorizer_type: a.r#type().map(|t| t.as_str().to_string()),
            lambda_arn: a.authorizer_uri().and_then(lambda_arn_in),
            identity_source: a
                .identity_source()
                .map(|s| vec![s.to_string()])
                .unwrap_or_default(),
            jwt_issuer: None,
            jwt_audience: Vec::new(),
        })
    } else {
        ctx.skip(&GET_AUTHORIZERS, region, "no method uses an authorizer")
    };

    let stages = detail(stages.map(|out| {
        out.item()
            .iter()
            .map(|s| RestStage {
                name: s.stage_name().unwrap_or_default().to_string(),
                deployment_id: s.deployment_id().map(str::to_string),
                method_settings: s
                    .method_settings()
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| {
                                (
                                    k.clone(),
                                    MethodSetting {
                                        logging_level: v.logging_level().map(str::to_string),
                                        data_trace_enabled: v.data_trace_enabled(),
                                        metrics_enabled: v.metrics_enabled(),
                                        throttling_burst_limit: Some(v.throttling_burst_limit()),
                                        throttling_rate_limit: Some(v.throttling_rate_limit()),
                                        caching_enabled: v.caching_enabled(),
                                        cache_data_encrypted: v.cache_data_encrypted(),
                                        require_authorization_for_cache_control: v
                                            .require_authorization_for_cache_control(),
                                    },
                                )
                            })
                            .collect::<BTreeMap<_, _>>()
                    })
                    .unwrap_or_default(),
                access_log: s.access_log_settings().map(|a| AccessLog {
                    destination_arn: a.destination_arn().map(str::to_string),
                    format: a.format().map(str::to_string),
                }),
                tracing_enabled: s.tracing_enabled(),
                web_acl_arn: s.web_acl_arn().map(str::to_string),
                client_certificate_id: s.client_certificate_id().map(str::to_string),
                cache_cluster_enabled: s.cache_cluster_enabled(),
                cache_cluster_size: s.cache_cluster_size().map(|c| c.as_str().to_string()),
                variables: s
                    .variables()
                    .map(|v| redact_all(ctx.fingerprint_key(), v.iter()))
                    .unwrap_or_default(),
            })
            .collect()
    }));

    RestApi {
        arn: RestApi::arn_for(partition_of(region), region, &id),
        name: api.name().unwrap_or_default().to_string(),
        region: region.to_string(),
        endpoint_types: api
            .endpoint_configuration()
            .map(|e| e.types().iter().map(|t| t.as_str().to_string()).collect())
            .unwrap_or_default(),
        policy: api.policy().filter(|p| !p.is_empty()).map(parse_policy),
        api_key_source: api.api_key_source().map(|s| s.as_str().to_string()),
        disable_execute_api_endpoint: api.disable_execute_api_endpoint(),
        tags: super::call::tags_of_map(api.tags()),
        stages,
        resources,
        authorizers,
        id,
    }
}

/// The partition a region belongs to, for ARNs sprawl builds itself.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_arns_are_found_in_uris() {
        let f = "arn:aws:lambda:eu-west-1:123456789012:function:orders";
        let uri = format!(
            "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/{f}/invocations"
        );
        assert_eq!(lambda_arn_in(&uri).as_deref(), Some(f));
        assert_eq!(lambda_arn_in(f).as_deref(), Some(f));
        assert_eq!(lambda_arn_in("https://example.com/x"), None);
        assert_eq!(partition_of("cn-north-1"), "aws-cn");
    }
}
