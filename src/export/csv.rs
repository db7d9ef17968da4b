//! `--format csv`: one finding a row (RFC 4180: comma-separated, CRLF line ends, fields quoted
//! when they hold a comma, a quote or a line break, by the `csv` crate), for spreadsheets.

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
    let mut out = writer();
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
    out.into_inner()
        .map_err(|e| ExportError(format!("writing CSV: {}", e.error())))
}

/// The writer every CSV of sprawl's is written with: RFC 4180, CRLF line ends.
fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// One row alone, as it stands in a file.
fn one_row(fields: impl IntoIterator<Item = String>) -> Vec<u8> {
    let mut out = writer();
    row(&mut out, fields);
    out.into_inner().expect("writing to memory does not fail")
}

/// The header row alone.
pub fn render_header() -> Vec<u8> {
    one_row(COLUMNS.iter().map(|c| c.to_string()))
}

/// The row that says an account of an organization was not scanned (its findings are unknown,
/// never none): `resource_kind` `account`, no severity, the reason as the message.
pub fn not_scanned_row(account: &str, name: Option<&str>, why: &str) -> Vec<u8> {
    one_row([
        format!("not-scanned-{account}"),
        String::new(),
        "account-not-scanned".to_string(),
        "Account not scanned: its findings are unknown".to_string(),
        String::new(),
        "account".to_string(),
        account.to_string(),
        "global".to_string(),
        format!(
            "account {account}{} was not scanned: {why}",
            name.map(|n| format!(" ({n})")).unwrap_or_default()
        ),
        String::new(),
        "no".to_string(),
        String::new(),
        String::new(),
        account.to_string(),
    ])
}

fn row(out: &mut csv::Writer<Vec<u8>>, fields: impl IntoIterator<Item = String>) {
    out.write_record(fields.into_iter().map(|f| cell(&f)))
        .expect("writing to memory does not fail");
}

/// A field's text before CSV quoting. Names, tags and messages come from the account, which an
/// attacker may influence: a cell starting with `=`, `+`, `-` or `@` would be a formula to a
/// spreadsheet, so it gets a leading `'` (OWASP's advice on CSV injection).
fn cell(field: &str) -> String {
    // Escape sequences and other control characters never reach a terminal that shows the file.
    let field = crate::model::printable(field);
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{field}")
    } else {
        field.into_owned()
    }
}

#[cfg(test)]
mod tests {
    /// One record of `fields` as the export writes it.
    fn line(fields: &[&str]) -> String {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        super::row(&mut out, fields.iter().map(|f| f.to_string()));
        String::from_utf8(out.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(line(&["plain", "x"]), "plain,x\r\n");
        assert_eq!(line(&["a,b"]), "\"a,b\"\r\n");
        assert_eq!(line(&["say \"hi\""]), "\"say \"\"hi\"\"\"\r\n");
        assert_eq!(line(&["two\nlines"]), "\"two\nlines\"\r\n");
        assert_eq!(
            line(&["=HYPERLINK(\"x\")"]),
            "\"'=HYPERLINK(\"\"x\"\")\"\r\n"
        );
        assert_eq!(line(&["-1", ""]), "'-1,\r\n");
        assert_eq!(line(&["a\x1b[31mred"]), "a[31mred\r\n");
    }
}
