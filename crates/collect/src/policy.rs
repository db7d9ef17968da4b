//! Reading policy documents off the wire, and the two questions the call plan asks of them.
//! Judging what a policy allows is the assessment's job.

use percent_encoding::percent_decode_str;
use serde_json::Value;

use std::collections::BTreeMap;

use sprawl_model::{Detail, PolicyDocument, statements};

/// Parses a policy document as AWS returns it: IAM URL-encodes documents, API Gateway escapes the
/// quotes of REST API policies, Lambda and Secrets Manager send plain JSON. A document that still
/// does not parse is kept as its text, so nothing is silently dropped.
pub fn parse_policy(raw: &str) -> PolicyDocument {
    PolicyDocument::from(parse_value(raw))
}

fn parse_value(raw: &str) -> Value {
    let trimmed = raw.trim();
    if let Ok(v) = serde_json::from_str::<Value>(trimmed) {
        return v;
    }
    if trimmed.starts_with('%')
        && let Ok(decoded) = percent_decode_str(trimmed).decode_utf8()
        && let Ok(v) = serde_json::from_str::<Value>(&decoded)
    {
        return v;
    }
    let unescaped = trimmed.replace("\\\"", "\"").replace("\\\\", "\\");
    if let Ok(v) = serde_json::from_str::<Value>(&unescaped) {
        return v;
    }
    Value::String(raw.to_string())
}

/// What names an event source: the functions whose resource policy lets it invoke them, and the
/// sources (a topic, a queue) whose policy lets it deliver to them, by ARN.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    pub triggers: Vec<String>,
    pub feeds: Vec<String>,
}

/// The resources of `service` (`sns`, `s3`) that the functions' resource policies (their own and
/// their aliases') let invoke them through its principal (`sns.amazonaws.com`), and that the
/// `downstream` sources' policies let deliver to them, by ARN.
pub fn sources_named<'a>(
    functions: &[sprawl_model::Function],
    downstream: impl IntoIterator<Item = (&'a str, &'a Detail<Option<PolicyDocument>>)>,
    principal: &str,
    service: &str,
) -> BTreeMap<String, Named> {
    let mut out: BTreeMap<String, Named> = BTreeMap::new();
    for f in functions {
        let aliases = f.aliases.value().map_or(&[][..], Vec::as_slice);
        let documents = std::iter::once(&f.policy).chain(aliases.iter().map(|a| &a.policy));
        for doc in documents.filter_map(|d| d.value().and_then(Option::as_ref)) {
            for arn in source_arns(doc, principal, service) {
                let named = out.entry(arn).or_default();
                if !named.triggers.contains(&f.arn) {
                    named.triggers.push(f.arn.clone());
                }
            }
        }
    }
    for (to, doc) in downstream {
        let Some(Some(doc)) = doc.value() else {
            continue;
        };
        for arn in source_arns(doc, principal, service) {
            let named = out.entry(arn).or_default();
            if !named.feeds.iter().any(|f| f == to) {
                named.feeds.push(to.to_string());
            }
        }
    }
    out
}

/// The sources of `service` that only the functions' resource policies name (no source delivers
/// to them: user pools, IoT rules, log groups), by ARN, with the functions each names: those
/// whose ARN `parts` reads (the region and id [`crate::call::read_each`] takes).
pub fn named_by_functions(
    functions: &[sprawl_model::Function],
    principal: &str,
    service: &str,
    parts: impl Fn(&str) -> Option<(&str, &str)>,
) -> BTreeMap<String, Vec<String>> {
    sources_named(functions, [], principal, service)
        .into_iter()
        .filter(|(arn, _)| parts(arn).is_some())
        .map(|(arn, named)| (arn, named.triggers))
        .collect()
}

/// The exact ARNs of `service`'s resources (`sns`, `s3`) that an Allow for the service principal
/// `principal` (`sns.amazonaws.com`) names as its `aws:SourceArn`: the topics or buckets a
/// function's (or topic's) policy lets deliver to it. A wildcard names no resource that can be
/// read; the assessment judges such a permission itself.
pub fn source_arns(doc: &PolicyDocument, principal: &str, service: &str) -> Vec<String> {
    let value = doc.value();
    let mut out = Vec::new();
    for st in statements::of(&value) {
        // The service's principal, or anyone kept to the source by its SourceArn (the older
        // form of a queue's "let this topic send" statement): only the service sends that key.
        let by_service = statements::allows(st)
            && match st.get("Principal") {
                Some(Value::String(any)) => any == "*",
                Some(Value::Object(p)) => {
                    statements::strings(p.get("Service"))
                        .iter()
                        .any(|s| s.eq_ignore_ascii_case(principal))
                        || statements::strings(p.get("AWS")).contains(&"*")
                }
                _ => false,
            };
        if !by_service {
            continue;
        }
        let Some(Value::Object(conditions)) = st.get("Condition") else {
            continue;
        };
        for keys in conditions.values().filter_map(Value::as_object) {
            for (key, values) in keys {
                if !key.eq_ignore_ascii_case("aws:SourceArn") {
                    continue;
                }
                for arn in statements::strings(Some(values)) {
                    // A log group's ARN is written with `:*` (its streams): the group itself.
                    let arn = match service {
                        "logs" => arn.strip_suffix(":*").unwrap_or(arn),
                        _ => arn,
                    }
                    .to_string();
                    if arn.split(':').nth(2) == Some(service)
                        && !arn.contains(['*', '?'])
                        && !out.contains(&arn)
                    {
                        out.push(arn);
                    }
                }
            }
        }
    }
    out
}

/// The service principals (`s3.amazonaws.com`, ...) and AWS principals (`*`, ARNs, accounts) that
/// an `Allow` statement names.
fn allowed_principals(doc: &Value) -> Vec<(&'static str, &str)> {
    let mut out = Vec::new();
    for st in statements::of(doc) {
        if !statements::allows(st) {
            continue;
        }
        match st.get("Principal") {
            Some(Value::String(s)) => out.push(("AWS", s.as_str())),
            Some(Value::Object(map)) => {
                for (kind, key) in [
                    ("Service", "Service"),
                    ("AWS", "AWS"),
                    ("Federated", "Federated"),
                ] {
                    for p in statements::strings(map.get(key)) {
                        out.push((kind, p));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The functions whose resource policy (their own or an alias's) lets the service principal
/// `principal` (`ses.amazonaws.com`) invoke them, whatever its conditions.
pub fn functions_admitting<'a>(
    functions: &'a [sprawl_model::Function],
    principal: &str,
) -> impl Iterator<Item = &'a sprawl_model::Function> {
    functions.iter().filter(move |f| {
        let aliases = f.aliases.value().map_or(&[][..], Vec::as_slice);
        std::iter::once(&f.policy)
            .chain(aliases.iter().map(|a| &a.policy))
            .filter_map(|d| d.value().and_then(Option::as_ref))
            .any(|doc| {
                allowed_principals(&doc.value())
                    .iter()
                    .any(|(kind, p)| *kind == "Service" && p.eq_ignore_ascii_case(principal))
            })
    })
}

/// Services that invoke Lambda functions asynchronously (so the function's on-failure destination
/// or dead-letter queue decides whether failed events are lost).
const ASYNC_INVOKERS: &[&str] = &[
    "s3.amazonaws.com",
    "sns.amazonaws.com",
    "events.amazonaws.com",
    "ses.amazonaws.com",
    "logs.amazonaws.com",
    "iot.amazonaws.com",
    "codecommit.amazonaws.com",
    "config.amazonaws.com",
    "cloudformation.amazonaws.com",
    "lambda.alarms.cloudwatch.amazonaws.com",
    "cognito-sync.amazonaws.com",
];

/// Whether a function's resource policy lets an asynchronous invoker in: a service from
/// [`ASYNC_INVOKERS`], or any AWS principal (anyone, or another account, can invoke with
/// `InvocationType=Event`).
pub fn grants_async_invoker(doc: &PolicyDocument) -> bool {
    allowed_principals(&doc.value())
        .into_iter()
        .any(|(kind, p)| match kind {
            "Service" => ASYNC_INVOKERS.contains(&p),
            "AWS" => true,
            _ => false,
        })
}

/// Whether a role's trust policy admits AWS principals (roles, accounts, anyone): other roles
/// may become it, so it can be a hop of a chain from a function's role, in this account or
/// from another.
pub fn trusts_aws_principals(doc: &PolicyDocument) -> bool {
    allowed_principals(&doc.value())
        .into_iter()
        .any(|(kind, _)| kind == "AWS")
}

/// Whether a role's trust policy lets Lambda (or Lambda@Edge) assume it.
pub fn trusts_lambda(doc: &PolicyDocument) -> bool {
    allowed_principals(&doc.value())
        .into_iter()
        .any(|(kind, p)| {
            kind == "Service" && matches!(p, "lambda.amazonaws.com" | "edgelambda.amazonaws.com")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_exact_source_arns_of_the_service_s_permission_are_named() {
        let doc: PolicyDocument = json!({"Statement": [
            {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "lambda:InvokeFunction",
             "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:eu-west-1:111122223333:orders"}}},
            {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "lambda:InvokeFunction",
             "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:*:*:*"}}},
            {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
             "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:eu-west-1:111122223333:not-this"}}},
            {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
             "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"},
                           "StringEquals": {"AWS:SourceAccount": "111122223333"}}},
            {"Effect": "Deny", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "lambda:InvokeFunction",
             "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:eu-west-1:111122223333:denied"}}},
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sqs:SendMessage",
             "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:legacy"}}},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sqs:SendMessage",
             "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:not-a-source"}}}
        ]})
        .into();
        assert_eq!(
            source_arns(&doc, "sns.amazonaws.com", "sns"),
            [
                "arn:aws:sns:eu-west-1:111122223333:orders",
                "arn:aws:sns:eu-west-1:111122223333:legacy"
            ]
        );
        assert_eq!(
            source_arns(&doc, "s3.amazonaws.com", "s3"),
            ["arn:aws:s3:::uploads"]
        );
    }

    #[test]
    fn wire_forms_parse() {
        let plain = r#"{"Version":"2012-10-17","Statement":[]}"#;
        assert_eq!(parse_policy(plain).value()["Version"], "2012-10-17");
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        assert_eq!(parse_policy(encoded).value()["Version"], "2012-10-17");
        let escaped = r#"{\"Version\":\"2012-10-17\",\"Statement\":[]}"#;
        assert_eq!(parse_policy(escaped).value()["Version"], "2012-10-17");
        assert_eq!(
            parse_policy("not json").value(),
            Value::String("not json".into())
        );
    }

    #[test]
    fn async_invokers_and_lambda_trust() {
        let s3 =
            json!({"Statement": {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}}});
        let apigw = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}}]});
        let anyone = json!({"Statement": [{"Effect": "Allow", "Principal": "*"}]});
        assert!(grants_async_invoker(&s3.clone().into()));
        assert!(!grants_async_invoker(&apigw.clone().into()));
        assert!(grants_async_invoker(&anyone.clone().into()));
        let trust = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": ["edgelambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}]});
        assert!(trusts_lambda(&trust.clone().into()));
        assert!(!trusts_lambda(&apigw.clone().into()));
    }
}
