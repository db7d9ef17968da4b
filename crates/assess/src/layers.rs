//! The layers AWS itself publishes, and the accounts it publishes them from.
//!
//! A function that runs CloudWatch Lambda Insights, the Parameters and Secrets extension, the
//! AppConfig extension, the ADOT collector or Powertools runs a layer of an account that is neither this one nor the
//! organization's, but that code is AWS's, documented and versioned by AWS: it is not "another
//! account's code you neither review nor control" (`lambda-layer-foreign`). An account id has one
//! owner whatever the region, so a layer of one of these accounts is AWS's wherever it is; the
//! regions each account publishes in are kept to document the list and to check it against
//! AWS's pages when it is updated.
//!
//! Sources (as of 2026-12): the AWS documentation pages named on each entry, and the AWS CDK's
//! region facts (`aws-cdk-lib/region-info/build-tools/fact-tables.ts`), which carry the same
//! ARNs. A new region's account, or a new AWS-published layer, is one entry here.

/// An account AWS publishes a layer product from, and the regions it serves.
pub struct Publisher {
    pub product: &'static str,
    pub account: &'static str,
    pub regions: &'static [&'static str],
}

/// CloudWatch Lambda Insights: one account for most regions, one per region elsewhere.
/// <https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Lambda-Insights-extension-versions.html>
const INSIGHTS: &str = "CloudWatch Lambda Insights";
/// <https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html>
const PARAMS_AND_SECRETS: &str = "AWS Parameters and Secrets Lambda Extension";
/// <https://aws-otel.github.io/docs/getting-started/lambda>
const ADOT: &str = "AWS Distro for OpenTelemetry";
/// <https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-integration-lambda-extensions-versions.html>
const APPCONFIG: &str = "AWS AppConfig Lambda extension";
/// <https://docs.powertools.aws.dev/lambda/python/latest/#lambda-layer>
const POWERTOOLS_PYTHON: &str = "Powertools for AWS Lambda (Python)";
/// <https://docs.powertools.aws.dev/lambda/typescript/latest/#lambda-layer>
const POWERTOOLS_TYPESCRIPT: &str = "Powertools for AWS Lambda (TypeScript)";

/// The regions served from one account, for the products published from one account in most
/// commercial regions.
const MOST_COMMERCIAL: &[&str] = &[
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

const fn one(
    product: &'static str,
    account: &'static str,
    region: &'static [&'static str],
) -> Publisher {
    Publisher {
        product,
        account,
        regions: region,
    }
}

/// Every account AWS publishes these layers from.
pub const PUBLISHERS: &[Publisher] = &[
    one(INSIGHTS, "580247275435", MOST_COMMERCIAL),
    one(INSIGHTS, "012438385374", &["af-south-1"]),
    one(INSIGHTS, "519774774795", &["ap-east-1"]),
    one(INSIGHTS, "194566237122", &["ap-northeast-3"]),
    one(INSIGHTS, "891564319516", &["ap-south-2"]),
    one(INSIGHTS, "439286490199", &["ap-southeast-3"]),
    one(INSIGHTS, "033019950311", &["eu-central-2"]),
    one(INSIGHTS, "339249233099", &["eu-south-1"]),
    one(INSIGHTS, "352183217350", &["eu-south-2"]),
    one(INSIGHTS, "732604637566", &["me-central-1"]),
    one(INSIGHTS, "285320876703", &["me-south-1"]),
    one(INSIGHTS, "488211338238", &["cn-north-1", "cn-northwest-1"]),
    one(PARAMS_AND_SECRETS, "317013901791", &["af-south-1"]),
    one(PARAMS_AND_SECRETS, "768336418462", &["ap-east-1"]),
    one(PARAMS_AND_SECRETS, "133490724326", &["ap-northeast-1"]),
    one(PARAMS_AND_SECRETS, "738900069198", &["ap-northeast-2"]),
    one(PARAMS_AND_SECRETS, "576959938190", &["ap-northeast-3"]),
    one(PARAMS_AND_SECRETS, "176022468876", &["ap-south-1"]),
    one(PARAMS_AND_SECRETS, "070087711984", &["ap-south-2"]),
    one(PARAMS_AND_SECRETS, "044395824272", &["ap-southeast-1"]),
    one(PARAMS_AND_SECRETS, "665172237481", &["ap-southeast-2"]),
    one(PARAMS_AND_SECRETS, "490737872127", &["ap-southeast-3"]),
    one(PARAMS_AND_SECRETS, "200266452380", &["ca-central-1"]),
    one(PARAMS_AND_SECRETS, "287114880934", &["cn-north-1"]),
    one(PARAMS_AND_SECRETS, "287310001119", &["cn-northwest-1"]),
    one(PARAMS_AND_SECRETS, "187925254637", &["eu-central-1"]),
    one(PARAMS_AND_SECRETS, "772501565639", &["eu-central-2"]),
    one(PARAMS_AND_SECRETS, "427196147048", &["eu-north-1"]),
    one(PARAMS_AND_SECRETS, "325218067255", &["eu-south-1"]),
    one(PARAMS_AND_SECRETS, "524103009944", &["eu-south-2"]),
    one(PARAMS_AND_SECRETS, "015030872274", &["eu-west-1"]),
    one(PARAMS_AND_SECRETS, "133256977650", &["eu-west-2"]),
    one(PARAMS_AND_SECRETS, "780235371811", &["eu-west-3"]),
    one(PARAMS_AND_SECRETS, "858974508948", &["me-central-1"]),
    one(PARAMS_AND_SECRETS, "832021897121", &["me-south-1"]),
    one(PARAMS_AND_SECRETS, "933737806257", &["sa-east-1"]),
    one(PARAMS_AND_SECRETS, "177933569100", &["us-east-1"]),
    one(PARAMS_AND_SECRETS, "590474943231", &["us-east-2"]),
    one(PARAMS_AND_SECRETS, "129776340158", &["us-gov-east-1"]),
    one(PARAMS_AND_SECRETS, "127562683043", &["us-gov-west-1"]),
    one(PARAMS_AND_SECRETS, "997803712105", &["us-west-1"]),
    one(PARAMS_AND_SECRETS, "345057560386", &["us-west-2"]),
    one(APPCONFIG, "574348263942", &["af-south-1"]),
    one(APPCONFIG, "630222743974", &["ap-east-1"]),
    one(APPCONFIG, "980059726660", &["ap-northeast-1"]),
    one(APPCONFIG, "826293736237", &["ap-northeast-2"]),
    one(APPCONFIG, "706869817123", &["ap-northeast-3"]),
    one(APPCONFIG, "554480029851", &["ap-south-1"]),
    one(APPCONFIG, "489524808438", &["ap-south-2"]),
    one(APPCONFIG, "421114256042", &["ap-southeast-1"]),
    one(APPCONFIG, "080788657173", &["ap-southeast-2"]),
    one(APPCONFIG, "418787028745", &["ap-southeast-3"]),
    one(APPCONFIG, "039592058896", &["ca-central-1"]),
    one(APPCONFIG, "615057806174", &["cn-north-1"]),
    one(APPCONFIG, "615084187847", &["cn-northwest-1"]),
    one(APPCONFIG, "066940009817", &["eu-central-1"]),
    one(APPCONFIG, "758369105281", &["eu-central-2"]),
    one(APPCONFIG, "646970417810", &["eu-north-1"]),
    one(APPCONFIG, "203683718741", &["eu-south-1"]),
    one(APPCONFIG, "586093569114", &["eu-south-2"]),
    one(APPCONFIG, "434848589818", &["eu-west-1"]),
    one(APPCONFIG, "282860088358", &["eu-west-2"]),
    one(APPCONFIG, "493207061005", &["eu-west-3"]),
    one(APPCONFIG, "662846165436", &["me-central-1"]),
    one(APPCONFIG, "559955524753", &["me-south-1"]),
    one(APPCONFIG, "000010852771", &["sa-east-1"]),
    one(APPCONFIG, "027255383542", &["us-east-1"]),
    one(APPCONFIG, "728743619870", &["us-east-2"]),
    one(APPCONFIG, "946561847325", &["us-gov-east-1"]),
    one(APPCONFIG, "946746059096", &["us-gov-west-1"]),
    one(APPCONFIG, "958113053741", &["us-west-1"]),
    one(APPCONFIG, "359756378197", &["us-west-2"]),
    one(ADOT, "901920570463", MOST_COMMERCIAL),
    one(POWERTOOLS_PYTHON, "017000801446", MOST_COMMERCIAL),
    one(POWERTOOLS_TYPESCRIPT, "094274105915", MOST_COMMERCIAL),
];

/// The AWS product a layer version is, when AWS publishes it (its ARN's account is one of
/// [`PUBLISHERS`]).
pub fn aws_publisher(layer_arn: &str) -> Option<&'static str> {
    let account = layer_arn.split(':').nth(4)?;
    PUBLISHERS
        .iter()
        .find(|p| p.account == account)
        .map(|p| p.product)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_publisher_is_an_account_id_and_listed_once() {
        let mut seen = std::collections::BTreeSet::new();
        for p in PUBLISHERS {
            assert!(p.account.len() == 12 && p.account.bytes().all(|b| b.is_ascii_digit()));
            assert!(seen.insert(p.account), "{} twice", p.account);
            assert!(!p.regions.is_empty());
        }
        assert_eq!(
            aws_publisher("arn:aws:lambda:eu-west-1:111122223333:layer:x:1"),
            None
        );
        assert_eq!(aws_publisher("not an arn"), None);
    }
}
