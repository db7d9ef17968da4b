//! IAM Access Advisor (`scan --access-advisor`): for each execution role, the services its
//! policies grant and when the role last used each, so an over-permission rests on evidence.
//!
//! IAM makes the report as a job: GenerateServiceLastAccessedDetails starts it (IAM classes the
//! call as a Read; it changes nothing, and the report expires on its own), and
//! GetServiceLastAccessedDetails is polled until it completes. A job takes seconds to minutes:
//! at most [`JOBS_IN_FLIGHT`] run at once, each is polled every [`POLL`], and one that has not
//! completed within [`JOB_TIMEOUT`] leaves its role's report failed (a gap), never a pass.

use std::time::Duration;

use aws_sdk_iam::Client;
use aws_sdk_iam::types::{AccessAdvisorUsageGranularityType, JobStatusType};
use futures::StreamExt;

use super::call::CallContext;
use super::ops::{GENERATE_SERVICE_LAST_ACCESSED_DETAILS, GET_SERVICE_LAST_ACCESSED_DETAILS};
use sprawl_model::{
    AccessAdvisor, ActionAccess, Detail, Failure, FailureKind, Role, ServiceAccess,
};

/// Jobs in flight at once per account: IAM runs them in the background, and polling them draws
/// on the account's IAM quota like every other IAM read.
pub const JOBS_IN_FLIGHT: usize = 4;
/// How often a running job is asked about.
pub const POLL: Duration = Duration::from_secs(2);
/// How long a job may run before its role's report is given up as a gap.
pub const JOB_TIMEOUT: Duration = Duration::from_secs(180);

/// IAM is global: its calls are recorded under this region.
const REGION: &str = "global";

/// Gives each role in `roles` whose ARN is in `execution_roles` its Access Advisor report.
pub async fn attach(
    ctx: &CallContext,
    client: &Client,
    roles: &mut [Role],
    execution_roles: &std::collections::BTreeSet<String>,
) {
    let wanted: Vec<(usize, String)> = roles
        .iter()
        .enumerate()
        .filter(|(_, r)| execution_roles.contains(&r.arn))
        .map(|(i, r)| (i, r.arn.clone()))
        .collect();
    // The futures made first, then streamed (see `lambda::attach_provisioned_concurrency`).
    let jobs: Vec<_> = wanted
        .iter()
        .map(|(_, arn)| report(ctx, client, arn))
        .collect();
    let reports: Vec<Result<AccessAdvisor, Failure>> = futures::stream::iter(jobs)
        .buffered(JOBS_IN_FLIGHT)
        .collect()
        .await;
    for ((i, _), report) in wanted.iter().zip(reports) {
        roles[*i].access_advisor = match report {
            Ok(r) => Detail::collected(r),
            Err(f) => Detail::failed(&f),
        };
    }
}

/// One role's report: the job started, polled to completion, read to its last page.
async fn report(ctx: &CallContext, client: &Client, arn: &str) -> Result<AccessAdvisor, Failure> {
    let started = ctx
        .call_required(&GENERATE_SERVICE_LAST_ACCESSED_DETAILS, REGION, || {
            client
                .generate_service_last_accessed_details()
                .arn(arn)
                .granularity(AccessAdvisorUsageGranularityType::ActionLevel)
                .send()
        })
        .await?;
    let job = started.job_id().unwrap_or_default().to_string();
    let deadline = tokio::time::Instant::now() + JOB_TIMEOUT;
    let mut services = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let out = ctx
            .call_required(&GET_SERVICE_LAST_ACCESSED_DETAILS, REGION, || {
                client
                    .get_service_last_accessed_details()
                    .job_id(&job)
                    .set_marker(marker.clone())
                    .send()
            })
            .await?;
        match out.job_status() {
            JobStatusType::Completed => {
                services.extend(out.services_last_accessed().iter().map(|s| {
                    ServiceAccess {
                        namespace: s.service_namespace().to_string(),
                        name: s.service_name().to_string(),
                        last_authenticated: s.last_authenticated().map(date),
                        actions: s
                            .tracked_actions_last_accessed()
                            .iter()
                            .filter_map(|a| {
                                Some(ActionAccess {
                                    name: a.action_name()?.to_string(),
                                    last_accessed: a.last_accessed_time().map(date),
                                })
                            })
                            .collect(),
                    }
                }));
                match out.marker().filter(|_| out.is_truncated()) {
                    Some(m) if marker.as_deref() != Some(m) => marker = Some(m.to_string()),
                    _ => {
                        return Ok(AccessAdvisor {
                            completed: Some(date(out.job_completion_date())),
                            services,
                        });
                    }
                }
            }
            JobStatusType::Failed => {
                return Err(gap(
                    ctx,
                    FailureKind::Other,
                    format!(
                        "the Access Advisor job on {arn} failed: {}",
                        out.error().map_or("no reason given", |e| e.message())
                    ),
                ));
            }
            _ if tokio::time::Instant::now() + POLL > deadline => {
                return Err(gap(
                    ctx,
                    FailureKind::TimedOut,
                    format!(
                        "the Access Advisor job on {arn} did not complete within {} s",
                        JOB_TIMEOUT.as_secs()
                    ),
                ));
            }
            _ => tokio::time::sleep(POLL).await,
        }
    }
}

/// A job that failed or ran out of time, recorded in the coverage as a gap of the polling call.
fn gap(ctx: &CallContext, kind: FailureKind, message: String) -> Failure {
    let failure = Failure { kind, message };
    ctx.record_failure(&GET_SERVICE_LAST_ACCESSED_DETAILS, REGION, &failure);
    failure
}

fn date(d: &aws_smithy_types::DateTime) -> String {
    d.fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default()
}
