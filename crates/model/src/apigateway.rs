use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Detail, PolicyDocument, Tags, Variable};

/// An API Gateway REST API (v1) with its stages, resources and authorizers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestApi {
    pub id: String,
    /// `arn:aws:apigateway:REGION::/restapis/ID`.
    pub arn: String,
    pub name: String,
    pub region: String,
    /// `EDGE`, `REGIONAL`, `PRIVATE`.
    pub endpoint_types: Vec<String>,
    pub policy: Option<PolicyDocument>,
    /// `HEADER` or `AUTHORIZER`.
    pub api_key_source: Option<String>,
    pub disable_execute_api_endpoint: bool,
    pub tags: Tags,
    pub stages: Detail<Vec<RestStage>>,
    pub resources: Detail<Vec<RestResource>>,
    pub authorizers: Detail<Vec<Authorizer>>,
}

/// `API-ARN/stages/NAME`: where a stage's findings are filed.
pub fn stage_arn(api_arn: &str, stage: &str) -> String {
    format!("{api_arn}/stages/{stage}")
}

/// The API a resource ARN belongs to: the API's own ARN for a stage's, else the ARN itself.
pub fn api_of(arn: &str) -> &str {
    arn.split_once("/stages/").map_or(arn, |(api, _)| api)
}

impl RestApi {
    /// `arn:PARTITION:apigateway:REGION::/restapis/ID`.
    pub fn arn_for(partition: &str, region: &str, id: &str) -> String {
        format!("arn:{partition}:apigateway:{region}::/restapis/{id}")
    }

    /// Reachable only through a VPC endpoint.
    pub fn is_private(&self) -> bool {
        self.endpoint_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case("PRIVATE"))
    }

    pub(super) fn sort(&mut self) {
        if let Detail::Collected { value } = &mut self.stages {
            value.sort_by(|a, b| a.name.cmp(&b.name));
        }
        if let Detail::Collected { value } = &mut self.resources {
            value.sort_by(|a, b| a.path.cmp(&b.path));
            for r in value {
                r.methods.sort_by(|a, b| a.http_method.cmp(&b.http_method));
            }
        }
        if let Detail::Collected { value } = &mut self.authorizers {
            value.sort_by(|a, b| a.id.cmp(&b.id));
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestStage {
    pub name: String,
    pub deployment_id: Option<String>,
    /// Keyed by `resource-path/HTTP-METHOD`; `*/*` is the stage-wide default.
    pub method_settings: BTreeMap<String, MethodSetting>,
    pub access_log: Option<AccessLog>,
    pub tracing_enabled: bool,
    pub web_acl_arn: Option<String>,
    pub client_certificate_id: Option<String>,
    pub cache_cluster_enabled: bool,
    pub cache_cluster_size: Option<String>,
    /// Stage variables, redacted like environment variables.
    pub variables: Vec<Variable>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodSetting {
    /// `OFF`, `ERROR` or `INFO`.
    pub logging_level: Option<String>,
    /// Full request and response payloads in the execution log.
    pub data_trace_enabled: bool,
    pub metrics_enabled: bool,
    pub throttling_burst_limit: Option<i32>,
    pub throttling_rate_limit: Option<f64>,
    pub caching_enabled: bool,
    pub cache_data_encrypted: bool,
    pub require_authorization_for_cache_control: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLog {
    pub destination_arn: Option<String>,
    pub format: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestResource {
    pub id: String,
    pub path: String,
    pub methods: Vec<RestMethod>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestMethod {
    pub http_method: String,
    /// `NONE`, `AWS_IAM`, `CUSTOM`, `COGNITO_USER_POOLS`.
    pub authorization_type: Option<String>,
    pub authorizer_id: Option<String>,
    pub api_key_required: bool,
    pub integration: Option<Integration>,
}

/// Where a method or route sends its requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Integration {
    pub id: Option<String>,
    /// `AWS_PROXY`, `AWS`, `HTTP`, `HTTP_PROXY`, `MOCK`.
    pub integration_type: Option<String>,
    /// The URI without user info or query string (those can carry credentials).
    pub uri: Option<String>,
    /// The Lambda function ARN parsed out of the URI, when it targets one.
    pub lambda_arn: Option<String>,
    pub payload_format_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorizer {
    pub id: String,
    pub name: Option<String>,
    /// REST: `TOKEN`, `REQUEST`, `COGNITO_USER_POOLS`; HTTP: `REQUEST`, `JWT`.
    pub authorizer_type: Option<String>,
    /// The Lambda function ARN behind a Lambda authorizer.
    pub lambda_arn: Option<String>,
    pub identity_source: Vec<String>,
    pub jwt_issuer: Option<String>,
    pub jwt_audience: Vec<String>,
}

/// An API Gateway HTTP or WebSocket API (v2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HttpApi {
    pub id: String,
    /// `arn:aws:apigateway:REGION::/apis/ID`.
    pub arn: String,
    pub name: String,
    pub region: String,
    /// `HTTP` or `WEBSOCKET`.
    pub protocol_type: String,
    pub endpoint: Option<String>,
    pub cors: Option<super::Cors>,
    pub disable_execute_api_endpoint: bool,
    pub tags: Tags,
    pub routes: Detail<Vec<Route>>,
    pub integrations: Detail<Vec<Integration>>,
    pub stages: Detail<Vec<HttpStage>>,
    pub authorizers: Detail<Vec<Authorizer>>,
}

impl HttpApi {
    /// `arn:PARTITION:apigateway:REGION::/apis/ID`.
    pub fn arn_for(partition: &str, region: &str, id: &str) -> String {
        format!("arn:{partition}:apigateway:{region}::/apis/{id}")
    }

    /// A WebSocket API (else HTTP).
    pub fn is_websocket(&self) -> bool {
        self.protocol_type.eq_ignore_ascii_case("WEBSOCKET")
    }

    pub(super) fn sort(&mut self) {
        if let Detail::Collected { value } = &mut self.routes {
            value.sort_by(|a, b| a.route_key.cmp(&b.route_key));
        }
        if let Detail::Collected { value } = &mut self.integrations {
            value.sort_by(|a, b| a.id.cmp(&b.id));
        }
        if let Detail::Collected { value } = &mut self.stages {
            value.sort_by(|a, b| a.name.cmp(&b.name));
        }
        if let Detail::Collected { value } = &mut self.authorizers {
            value.sort_by(|a, b| a.id.cmp(&b.id));
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub id: String,
    /// `GET /pets`, `$default`, `$connect`, ...
    pub route_key: String,
    /// `NONE`, `AWS_IAM`, `CUSTOM`, `JWT`.
    pub authorization_type: Option<String>,
    pub authorizer_id: Option<String>,
    pub api_key_required: bool,
    /// The integration id from the route's `integrations/ID` target.
    pub integration_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HttpStage {
    pub name: String,
    pub auto_deploy: bool,
    pub access_log: Option<AccessLog>,
    pub default_route_throttling_burst_limit: Option<i32>,
    pub default_route_throttling_rate_limit: Option<f64>,
    pub default_route_detailed_metrics: bool,
    /// WebSocket APIs only: `OFF`, `ERROR`, `INFO`.
    pub default_route_logging_level: Option<String>,
    pub default_route_data_trace_enabled: bool,
    pub variables: Vec<Variable>,
}
