//! The Kinesis streams and DynamoDB tables behind event source mappings: the function polls the
//! stream, so every record written is its event. Each is read once (GetResourcePolicy: who else
//! may write), beside the region's functions; a DynamoDB stream's writers are its table's, so the
//! table's policy is read. No other stream or table is read, and never a record or an item.

use std::collections::BTreeMap;

use sprawl_model::{Detail, EventSourceMapping, Stream};

use super::call::CallContext;
use super::ops::{DYNAMODB_GET_RESOURCE_POLICY, KINESIS_GET_RESOURCE_POLICY};
use super::policy::parse_policy;

/// What a mapping's source ARN names as a writable resource: a Kinesis stream (itself), or a
/// DynamoDB table (its stream's ARN less `/stream/LABEL`).
pub fn writable_of(source_arn: &str) -> Option<String> {
    match source_arn.split(':').nth(2)? {
        "kinesis" if source_arn.contains(":stream/") => Some(source_arn.to_string()),
        "dynamodb" => {
            let (table, _) = source_arn.split_once("/stream/")?;
            Some(table.to_string())
        }
        _ => None,
    }
}

/// The streams and tables the mappings poll, by ARN, with the functions each feeds.
pub fn streams_named(mappings: &[EventSourceMapping]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in mappings {
        let Some(arn) = m.source_arn.as_deref().and_then(writable_of) else {
            continue;
        };
        let functions = out.entry(arn).or_default();
        if !functions.contains(&m.function_arn) {
            functions.push(m.function_arn.clone());
        }
    }
    out
}

/// Reads each stream's or table's resource policy once, in `region` (a mapping polls a stream
/// of its own region).
pub async fn streams(
    ctx: &CallContext,
    kinesis: &aws_sdk_kinesis::Client,
    dynamodb: &aws_sdk_dynamodb::Client,
    region: &str,
    named: BTreeMap<String, Vec<String>>,
) -> Vec<Stream> {
    let reads = named.into_iter().map(|(arn, triggers)| async move {
        let policy = if arn.split(':').nth(2) == Some("dynamodb") {
            ctx.call_optional(&DYNAMODB_GET_RESOURCE_POLICY, region, || {
                dynamodb.get_resource_policy().resource_arn(&arn).send()
            })
            .await
            .map(|out| out.and_then(|o| o.policy))
        } else {
            ctx.call_optional(&KINESIS_GET_RESOURCE_POLICY, region, || {
                kinesis.get_resource_policy().resource_arn(&arn).send()
            })
            .await
            .map(|out| out.map(|o| o.policy))
        };
        let policy = match policy {
            // Kinesis answers a stream without a policy with an empty document.
            Ok(p) => Detail::collected(
                p.filter(|p| !matches!(p.trim(), "" | "{}"))
                    .map(|p| parse_policy(&p)),
            ),
            Err(f) => Detail::failed(&f),
        };
        Stream {
            arn,
            region: region.to_string(),
            triggers,
            policy,
        }
    });
    futures::future::join_all(reads).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dynamodb_stream_is_written_through_its_table() {
        assert_eq!(
            writable_of("arn:aws:dynamodb:eu-west-1:1:table/orders/stream/2026-01-01T00:00:00.000")
                .as_deref(),
            Some("arn:aws:dynamodb:eu-west-1:1:table/orders")
        );
        assert_eq!(
            writable_of("arn:aws:kinesis:eu-west-1:1:stream/clicks").as_deref(),
            Some("arn:aws:kinesis:eu-west-1:1:stream/clicks")
        );
        assert_eq!(writable_of("arn:aws:sqs:eu-west-1:1:q"), None);
        assert_eq!(
            writable_of("arn:aws:dynamodb:eu-west-1:1:table/orders"),
            None
        );
    }
}
