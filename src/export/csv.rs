//! `--format csv`: one finding a row (RFC 4180: comma-separated, CRLF line ends, fields quoted
//! when they hold a comma, a quote or a line break), for spreadsheets.

use std::fmt::Write;

use super::{ExportError, Report, finding_id};

const COLUMNS: [&str; 14] = [
    "id",
    "severity",
    "rule",
    "title",
    "owasp",
    "resource_kind",
    "resource",
    "region",
    "message",
    "evidence",
    "muted",
    "mute_reason",
    "mute_expires",
    "account",
];

pub fn render(r: &Report) -> Result<Vec<u8>, ExportError> {
    let mut out = String::new();
    row(&mut out, COLUMNS.iter().map(|c| c.to_string()));
    for (i, f) in r.assessment.findings.iter().enumerate() {
        let evidence = Report::evidence(f)?;
        let mute = r.muting.of(i);
        let rule = crate::assess::rules::find(&f.rule);
        row(
            &mut out,
            [
                finding_id(f, evidence),
                f.severity.label().to_string(),
                f.rule.clone(),
                f.title.clone(),
                rule.map_or("", |r| r.owasp.code()).to_string(),
                f.kind.label().to_string(),
                f.resource.clone(),
                f.region.clone(),
                f.message.clone(),
                evidence
                    .iter()
                    .map(|e| format!("{} = {}", e.path, e.value))
                    .collect::<Vec<_>>()
                    .join("; "),
                if mute.is_some() { "yes" } else { "no" }.to_string(),
                mute.map(|m| m.reason.clone()).unwrap_or_default(),
                mute.map(|m| m.expires.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                r.snapshot.account.id.clone(),
            ],
        );
    }
    Ok(out.into_bytes())
}

fn row(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}", cell(&f));
    }
    out.push_str("\r\n");
}

/// A field as CSV. Names, tags and messages come from the account, which an attacker may
/// influence: a cell starting with `=`, `+`, `-` or `@` would be a formula to a spreadsheet, so
/// it gets a leading `'` (OWASP's advice on CSV injection).
fn cell(field: &str) -> String {
    // Escape sequences and other control characters never reach a terminal that shows the file.
    let field = crate::model::printable(field);
    let field = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{field}")
    } else {
        field.to_string()
    };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("a\x1b[31mred"), "a[31mred");
    }
}
