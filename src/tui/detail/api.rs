//! The API screen: stages, routes or methods, authorizers, findings.

use super::B;
use crate::assess::Finding;
use crate::snapshot::Snapshot;
use crate::tui::marks::Marks;
use crate::tui::rows::short;
use crate::tui::screen::Screen;

pub(super) fn build(snap: &Snapshot, marks: &Marks, arn: &str, b: &mut B) -> String {
    let a = &snap.assessment;
    let t = b.t;
    let name = snap
        .inventory
        .rest_apis
        .iter()
        .find(|x| x.arn == arn)
        .map(|x| x.name.clone())
        .or_else(|| {
            snap.inventory
                .http_apis
                .iter()
                .find(|x| x.arn == arn)
                .map(|x| x.name.clone())
        })
        .unwrap_or_else(|| arn.to_string());
    b.kv("arn", arn.to_string());
    b.heading("Routes and the functions behind them");
    if let Some(r) = a.apis.iter().find(|x| x.arn == arn) {
        for route in &r.routes {
            let label = format!(
                "{:<28} auth {:<18}{}",
                route.route,
                route.authorization,
                if route.open { " OPEN " } else { "" }
            );
            match route
                .function
                .as_deref()
                .and_then(|f| snap.inventory.functions.iter().find(|x| x.arn == f))
            {
                Some(x) => b.link(
                    2,
                    &format!("{label} -> "),
                    x.name.clone(),
                    Screen::Function(x.arn.clone()),
                ),
                None => b.text(
                    2,
                    format!(
                        "{label} -> {}",
                        route
                            .function
                            .as_deref()
                            .map(short)
                            .unwrap_or("(not a function)")
                    ),
                    if route.open { t.high } else { t.text },
                ),
            }
        }
    }
    b.heading("Stages");
    let on = |yes: bool| if yes { "on" } else { "off" };
    if let Some(api) = snap.inventory.rest_apis.iter().find(|x| x.arn == arn) {
        for st in api.stages.value().into_iter().flatten() {
            let logging = st
                .method_settings
                .get("*/*")
                .and_then(|m| m.logging_level.clone())
                .unwrap_or_else(|| "OFF".into());
            b.text(
                2,
                format!(
                    "{}: execution log {logging}, access log {}, X-Ray {}, WAF {}, client certificate {}",
                    st.name,
                    on(st.access_log.is_some()),
                    on(st.tracing_enabled),
                    on(st.web_acl_arn.is_some()),
                    on(st.client_certificate_id.is_some())
                ),
                t.text,
            );
        }
    }
    if let Some(api) = snap.inventory.http_apis.iter().find(|x| x.arn == arn) {
        for st in api.stages.value().into_iter().flatten() {
            b.text(
                2,
                format!(
                    "{}: access log {}, throttling {}, auto-deploy {}",
                    st.name,
                    on(st.access_log.is_some()),
                    st.default_route_throttling_rate_limit
                        .map_or("none".to_string(), |r| format!("{r}/s")),
                    on(st.auto_deploy)
                ),
                t.text,
            );
        }
    }
    let findings: Vec<(usize, &Finding)> = a
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| crate::model::api_of(&f.resource) == arn)
        .collect();
    b.findings(&findings, marks);
    format!("api {name}")
}
