//! API Gateway HTTP and WebSocket APIs (v2): routes, integrations, stages, authorizers.

use aws_sdk_apigatewayv2::Client;
use futures::StreamExt;

use super::apigateway::{integration as build_integration, lambda_arn_in, partition_of};
use super::call::CallContext;
use super::ops::*;
use super::redact::redact_all;
use sprawl_model::{AccessLog, Authorizer, HttpApi, HttpStage, Route};

/// API Gateway v2 takes its page size as a string.
const PAGE: &str = "500";
const APIS_IN_FLIGHT: usize = 4;

pub async fn collect(ctx: &CallContext, client: &Client, region: &str) -> Vec<HttpApi> {
    let listing = ctx
        .paginate(
            &GET_APIS,
            region,
            |token| {
                client
                    .get_apis()
                    .max_results(PAGE)
                    .set_next_token(token)
                    .send()
            },
            |out| (out.items.unwrap_or_default(), out.next_token),
        )
        .await;
    futures::stream::iter(listing.items)
        .map(|api| http_api(ctx, client, region, api))
        .buffer_unordered(APIS_IN_FLIGHT)
        .collect()
        .await
}

async fn http_api(
    ctx: &CallContext,
    client: &Client,
    region: &str,
    api: aws_sdk_apigatewayv2::types::Api,
) -> HttpApi {
    let id = api.api_id().unwrap_or_default().to_string();
    let (routes, integrations, stages) = tokio::join!(
        ctx.paginate(
            &GET_ROUTES,
            region,
            |token| {
                client
                    .get_routes()
                    .api_id(&id)
                    .max_results(PAGE)
                    .set_next_token(token)
                    .send()
            },
            |out| (out.items.unwrap_or_default(), out.next_token),
        ),
        ctx.paginate(
            &GET_INTEGRATIONS,
            region,
            |token| {
                client
                    .get_integrations()
                    .api_id(&id)
                    .max_results(PAGE)
                    .set_next_token(token)
                    .send()
            },
            |out| (out.items.unwrap_or_default(), out.next_token),
        ),
        ctx.paginate(
            &V2_GET_STAGES,
            region,
            |token| {
                client
                    .get_stages()
                    .api_id(&id)
                    .max_results(PAGE)
                    .set_next_token(token)
                    .send()
            },
            |out| (out.items.unwrap_or_default(), out.next_token),
        ),
    );

    let routes = routes.into_detail(|r| Route {
        id: r.route_id().unwrap_or_default().to_string(),
        route_key: r.route_key().unwrap_or_default().to_string(),
        authorization_type: r.authorization_type().map(|a| a.as_str().to_string()),
        authorizer_id: r.authorizer_id().map(str::to_string),
        api_key_required: r.api_key_required().unwrap_or(false),
        integration_id: r
            .target()
            .and_then(|t| t.strip_prefix("integrations/"))
            .map(str::to_string),
    });
    let integrations = integrations.into_detail(|i| {
        build_integration(
            i.integration_id(),
            i.integration_type().map(|t| t.as_str()),
            i.integration_uri(),
            i.payload_format_version(),
        )
    });
    let stages = stages.into_detail(|s| {
        let defaults = s.default_route_settings();
        HttpStage {
            name: s.stage_name().unwrap_or_default().to_string(),
            auto_deploy: s.auto_deploy().unwrap_or(false),
            access_log: s.access_log_settings().map(|a| AccessLog {
                destination_arn: a.destination_arn().map(str::to_string),
                format: a.format().map(str::to_string),
            }),
            default_route_throttling_burst_limit: defaults.and_then(|d| d.throttling_burst_limit()),
            default_route_throttling_rate_limit: defaults.and_then(|d| d.throttling_rate_limit()),
            default_route_detailed_metrics: defaults
                .and_then(|d| d.detailed_metrics_enabled())
                .unwrap_or(false),
            default_route_logging_level: defaults
                .and_then(|d| d.logging_level())
                .map(|l| l.as_str().to_string()),
            default_route_data_trace_enabled: defaults
                .and_then(|d| d.data_trace_enabled())
                .unwrap_or(false),
            variables: s
                .stage_variables()
                .map(|v| redact_all(ctx.fingerprint_key(), v.iter()))
                .unwrap_or_default(),
        }
    });

    // Authorizers matter only where a route uses one.
    let uses_authorizer = routes
        .value()
        .is_some_and(|rs| rs.iter().any(|r| r.authorizer_id.is_some()));
    let authorizers = if uses_authorizer {
        let listing = ctx
            .paginate(
                &V2_GET_AUTHORIZERS,
                region,
                |token| {
                    client
                        .get_authorizers()
                        .api_id(&id)
                        .max_results(PAGE)
                        .set_next_token(token)
                        .send()
                },
                |out| (out.items.unwrap_or_default(), out.next_token),
            )
            .await;
        listing.into_detail(|a| Authorizer {
            id: a.authorizer_id().unwrap_or_default().to_string(),
            name: a.name().map(str::to_string),
            authorizer_type: a.authorizer_type().map(|t| t.as_str().to_string()),
            lambda_arn: a.authorizer_uri().and_then(lambda_arn_in),
            identity_source: a.identity_source().to_vec(),
            jwt_issuer: a
                .jwt_configuration()
                .and_then(|j| j.issuer())
                .map(str::to_string),
            jwt_audience: a
                .jwt_configuration()
                .map(|j| j.audience().to_vec())
                .unwrap_or_default(),
        })
    } else {
        ctx.skip(&V2_GET_AUTHORIZERS, region, "no route uses an authorizer")
    };

    HttpApi {
        arn: HttpApi::arn_for(partition_of(region), region, &id),
        name: api.name().unwrap_or_default().to_string(),
        region: region.to_string(),
        protocol_type: api
            .protocol_type()
            .map_or("HTTP", |p| p.as_str())
            .to_string(),
        endpoint: api.api_endpoint().map(str::to_string),
        cors: api.cors_configuration().map(|c| cors_of!(c)),
        disable_execute_api_endpoint: api.disable_execute_api_endpoint().unwrap_or(false),
        tags: super::call::tags_of_map(api.tags()),
        routes,
        integrations,
        stages,
        authorizers,
        id,
    }
}
