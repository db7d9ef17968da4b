//! Detail screens (function, role, secret, API): lines built from the snapshot, some of them
//! links (Enter follows), with a cursor that the navigation stack remembers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::app::{App, Mark, Marks, Screen};
use super::rows::short;
use super::theme::Theme;
use crate::assess::{EntryPoint, Finding, Severity};
use crate::model::Detail;

/// One line of a detail screen.
#[derive(Debug, Clone, PartialEq)]
pub struct DLine {
    pub line: Line<'static>,
    pub link: Option<Screen>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DetailView {
    pub title: String,
    pub lines: Vec<DLine>,
    pub cursor: usize,
}

struct B<'t> {
    t: &'t Theme,
    lines: Vec<DLine>,
}

impl B<'_> {
    fn push(&mut self, line: Line<'static>, link: Option<Screen>) {
        self.lines.push(DLine { line, link });
    }
    fn blank(&mut self) {
        self.push(Line::default(), None);
    }
    fn heading(&mut self, text: impl Into<String>) {
        if !self.lines.is_empty() {
            self.blank();
        }
        self.push(Line::from(Span::styled(text.into(), self.t.title)), None);
    }
    fn kv(&mut self, key: &str, value: impl Into<String>) {
        self.push(
            Line::from(vec![
                Span::styled(format!("  {key:<20}"), self.t.muted),
                Span::styled(value.into(), self.t.text),
            ]),
            None,
        );
    }
    fn text(&mut self, indent: usize, text: impl Into<String>, style: Style) {
        self.push(
            Line::from(Span::styled(
                format!("{}{}", " ".repeat(indent), text.into()),
                style,
            )),
            None,
        );
    }
    /// The list a snapshot holds for a detail screen, or (when that part of the file is damaged)
    /// a line that says so and nothing: never an empty list that would read as "none".
    fn deferred<'a, T: serde::de::DeserializeOwned>(
        &mut self,
        part: &'a crate::assess::Deferred<Vec<T>>,
        what: &str,
    ) -> &'a [T] {
        match part.get() {
            Ok(list) => list,
            Err(e) => {
                self.text(
                    2,
                    format!("{what}: unreadable in this snapshot ({e})"),
                    self.t.critical,
                );
                &[]
            }
        }
    }
    fn link(&mut self, indent: usize, prefix: &str, label: impl Into<String>, to: Screen) {
        self.push(
            Line::from(vec![
                Span::styled(format!("{}{prefix}", " ".repeat(indent)), self.t.text),
                Span::styled(label.into(), self.t.link),
            ]),
            Some(to),
        );
    }
    fn severity(&mut self, indent: usize, s: Severity, text: impl Into<String>) {
        self.push(
            Line::from(vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(
                    format!("{:<8}", s.label().to_uppercase()),
                    self.t.severity(s),
                ),
                Span::styled(text.into(), self.t.text),
            ]),
            None,
        );
    }
    fn findings(&mut self, findings: &[(usize, &Finding)], marks: &Marks) {
        self.heading(format!("Findings ({})", findings.len()));
        if findings.is_empty() {
            self.text(2, "none", self.t.muted);
        }
        for (i, f) in findings {
            let mark = match marks.mark(*i) {
                Mark::None => String::new(),
                Mark::New => "NEW  ".into(),
                Mark::Muted => "muted  ".into(),
            };
            self.severity(2, f.severity, format!("{mark}{}  {}", f.rule, f.message));
            if let Some(m) = marks.muting.of(*i) {
                self.text(
                    12,
                    format!(
                        "muted until {} (mute file line {}): {}",
                        m.expires.format("%Y-%m-%d"),
                        m.line,
                        m.reason
                    ),
                    self.t.muted,
                );
            }
            for e in self.deferred(&f.evidence, "evidence") {
                self.text(12, format!("{}: {}", e.path, e.value), self.t.muted);
            }
            if let Some(rule) = crate::assess::rules::find(&f.rule) {
                self.text(12, format!("fix: {}", rule.fix), self.t.muted);
            }
        }
    }
}

impl DetailView {
    pub fn build(app: &App, cursor: usize) -> DetailView {
        let mut b = B {
            t: &app.theme,
            lines: Vec::new(),
        };
        let title = match app.screen().clone() {
            Screen::Function(i) => function(app, i, &mut b),
            Screen::Role(arn) => role(app, &arn, &mut b),
            Screen::Secret(i) => secret(app, i, &mut b),
            Screen::Api(arn) => api(app, &arn, &mut b),
            _ => return DetailView::default(),
        };
        let n = b.lines.len();
        DetailView {
            title,
            lines: b.lines,
            cursor: cursor.min(n.saturating_sub(1)),
        }
    }

    pub fn link_at_cursor(&self) -> Option<Screen> {
        self.lines.get(self.cursor).and_then(|l| l.link.clone())
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, t: &Theme) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border_focus)
            .title(Span::styled(format!(" {} ", self.title), t.title));
        let inner = block.inner(area);
        let height = inner.height as usize;
        let top = if height == 0 {
            0
        } else {
            self.cursor
                .saturating_sub(height.saturating_sub(1).min(height / 2))
        };
        let lines: Vec<Line> = self
            .lines
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, l)| {
                if i == self.cursor {
                    let mut line = l.line.clone();
                    line.spans
                        .iter_mut()
                        .for_each(|s| s.style = s.style.patch(t.selection));
                    line.style = t.selection;
                    line
                } else {
                    l.line.clone()
                }
            })
            .collect();
        f.render_widget(Paragraph::new(lines).block(block), area);
    }
}

fn function(app: &App, i: usize, b: &mut B) -> String {
    let snap = &app.snapshot;
    let a = snap.assessment.as_ref().expect("assessed");
    let f = &snap.inventory.functions[i];
    let report = a.functions.iter().find(|r| r.arn == f.arn);
    let t = b.t;
    if let Some(r) = report {
        b.push(
            Line::from(vec![
                Span::styled(
                    format!(
                        "Risk {}{}",
                        r.score.total,
                        if r.score.partial { "+" } else { "" }
                    ),
                    t.header,
                ),
                Span::styled(
                    format!(
                        "  rank {} of {}  (exposure {}, privilege {}, data {}, hygiene {})",
                        r.rank,
                        a.functions.len(),
                        r.score.exposure,
                        r.score.privilege,
                        r.score.data,
                        r.score.hygiene
                    ),
                    t.muted,
                ),
            ]),
            None,
        );
        b.heading("Attack chain");
        for (n, hop) in b.deferred(&r.chain, "attack chain").iter().enumerate() {
            let to = if hop.label.starts_with("role ") {
                Some(Screen::Role(f.role_arn.clone()))
            } else {
                None
            };
            let prefix = format!("  {}. ", n + 1);
            match to {
                Some(s) => b.link(0, &prefix, hop.label.clone(), s),
                None => b.text(0, format!("{prefix}{}", hop.label), t.text),
            }
            for e in &hop.evidence {
                b.text(7, e.clone(), t.muted);
            }
        }
    }
    b.heading("Configuration");
    b.kv("arn", f.arn.clone());
    b.kv("region", f.region.clone());
    let runtime = f.runtime.clone().unwrap_or_else(|| f.package_type.clone());
    let life = f
        .runtime
        .as_deref()
        .and_then(crate::assess::runtimes::lifecycle)
        .and_then(|l| l.deprecated);
    b.kv(
        "runtime",
        match life {
            Some(d) => format!("{runtime} (deprecation {d})"),
            None => runtime,
        },
    );
    b.kv("handler", f.handler.clone().unwrap_or_else(|| "-".into()));
    b.kv(
        "memory / timeout",
        format!("{} MB / {} s", f.memory_mb, f.timeout_seconds),
    );
    b.kv(
        "last modified",
        f.last_modified.clone().unwrap_or_else(|| "-".into()),
    );
    b.kv(
        "tracing",
        f.tracing_mode.clone().unwrap_or_else(|| "-".into()),
    );
    b.kv(
        "reserved concurrency",
        detail_text(&f.reserved_concurrency, |v| {
            v.map_or("none (unbounded)".into(), |n| n.to_string())
        }),
    );
    b.kv(
        "vpc",
        f.vpc.as_ref().map_or("none".into(), |v| {
            format!(
                "{} ({} subnets)",
                v.vpc_id.clone().unwrap_or_default(),
                v.subnet_ids.len()
            )
        }),
    );
    b.kv(
        "env encryption",
        f.kms_key_arn
            .clone()
            .unwrap_or_else(|| "AWS-managed key".into()),
    );
    b.kv(
        "code signing",
        detail_text(&f.code_signing_config, |v| {
            v.clone().unwrap_or_else(|| "none".into())
        }),
    );
    b.kv(
        "tags",
        detail_text(&f.tags, |tags| {
            if tags.is_empty() {
                "none".into()
            } else {
                tags.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        }),
    );
    for l in &f.layers {
        b.kv("layer", l.clone());
    }
    // Each alias is a way in of its own (its URL and policy are under Entry points).
    for alias in f.aliases.value().into_iter().flatten() {
        b.kv(
            "alias",
            format!("{} -> version {}", alias.name, alias.function_version),
        );
    }

    b.heading("Entry points");
    let entries = report
        .map(|r| r.entry_points.as_slice())
        .unwrap_or_default();
    if entries.is_empty() {
        b.text(2, "none found", t.muted);
    }
    for e in entries {
        let to = match e {
            EntryPoint::RestMethod { api_id, .. }
            | EntryPoint::HttpRoute { api_id, .. }
            | EntryPoint::Authorizer { api_id, .. } => snap
                .inventory
                .rest_apis
                .iter()
                .map(|x| (&x.id, &x.arn))
                .chain(snap.inventory.http_apis.iter().map(|x| (&x.id, &x.arn)))
                .find(|(id, _)| *id == api_id)
                .map(|(_, arn)| Screen::Api(arn.clone())),
            _ => None,
        };
        match to {
            Some(s) => b.link(2, "- ", e.describe(), s),
            None => b.text(2, format!("- {}", e.describe()), t.text),
        }
    }

    b.heading("Role");
    b.link(
        2,
        "",
        short(&f.role_arn).to_string(),
        Screen::Role(f.role_arn.clone()),
    );
    if let Some(r) = a.roles.iter().find(|r| r.arn == f.role_arn) {
        privileges(r, b);
    } else {
        b.text(2, "not collected: its privileges are unknown", t.error);
    }

    b.heading("Readable secrets");
    let readable = report
        .map(|r| {
            (
                r.readable_secrets.as_slice(),
                r.reads_every_secret.is_some(),
            )
        })
        .unwrap_or_default();
    if readable.1 {
        b.text(
            2,
            format!(
                "every secret in the account ({}), through secretsmanager:GetSecretValue on *",
                snap.inventory.secrets.len()
            ),
            t.high,
        );
    }
    if readable.0.is_empty() && !readable.1 {
        b.text(2, "none", t.muted);
    }
    for s in readable.0 {
        if let Some(i) = snap
            .inventory
            .secrets
            .iter()
            .position(|x| x.arn == s.secret)
        {
            let how = if s.by_resource_policy {
                " (its resource policy)".to_string()
            } else {
                String::new()
            };
            b.link(2, "- ", format!("{}{how}", s.name), Screen::Secret(i));
        }
    }

    b.heading("Environment");
    if f.environment.is_empty() {
        b.text(2, "no variables", t.muted);
    }
    for v in &f.environment {
        let value = match &v.value.preview {
            Some(p) => format!("{:?} {p}", v.value.kind),
            None => format!("{} (redacted)", v.value.describe()),
        };
        let style = if v.value.kind.is_secret() {
            t.high
        } else {
            t.text
        };
        b.push(
            Line::from(vec![
                Span::styled(format!("  {:<28}", v.name), style),
                Span::styled(value, t.muted),
            ]),
            None,
        );
    }
    published_versions(f, b, t);
    let findings: Vec<(usize, &Finding)> = a.findings_for(&f.arn).collect();
    b.findings(&findings, &app.marks);
    format!("function {}", f.name)
}

/// Each published version and the secrets its environment still holds: a value removed from
/// `$LATEST` lives on in the versions published while it was there.
fn published_versions(f: &crate::model::Function, b: &mut B, t: &Theme) {
    if f.versions.is_empty() {
        return;
    }
    b.heading("Published versions");
    for v in &f.versions {
        let runtime = v.runtime.as_deref().unwrap_or("-");
        let (what, style) = match &v.environment {
            None => ("environment not read (older snapshot)".to_string(), t.muted),
            Some(env) => {
                let secrets: Vec<String> = env
                    .iter()
                    .filter(|x| x.value.kind.is_secret())
                    .map(|x| {
                        let gone = !f.environment.iter().any(|l| l.same_value(x));
                        format!("{}{}", x.name, if gone { " (not in $LATEST)" } else { "" })
                    })
                    .collect();
                if secrets.is_empty() {
                    (format!("{} variables, no secret", env.len()), t.text)
                } else {
                    (format!("secrets: {}", secrets.join(", ")), t.high)
                }
            }
        };
        b.push(
            Line::from(vec![
                Span::styled(format!("  version {:<8} {runtime:<12} ", v.version), t.text),
                Span::styled(what, style),
            ]),
            None,
        );
    }
}

fn detail_text<T>(d: &Detail<T>, show: impl Fn(&T) -> String) -> String {
    match d {
        Detail::Collected { value } => show(value),
        Detail::Skipped { reason } => format!("not read ({reason})"),
        Detail::Failed { kind, .. } => format!("NOT ASSESSED ({kind})"),
    }
}

fn privileges(r: &crate::assess::RoleReport, b: &mut B) {
    let t = b.t;
    if !r.admin_via.is_empty() {
        b.text(
            2,
            "ADMINISTRATOR: every action on every resource",
            t.critical,
        );
        for s in &r.admin_via {
            b.text(4, format!("granted by {s}"), t.muted);
        }
    }
    let levels: Vec<String> = r
        .levels
        .iter()
        .map(|(l, n)| format!("{} {n}", l.label()))
        .collect();
    b.kv("actions allowed", levels.join(", "));
    for s in &r.self_escalation {
        b.text(
            2,
            format!("can make itself administrator: {}", s.action),
            t.critical,
        );
    }
    for e in &r.escalations {
        b.text(
            2,
            format!(
                "escalation {}: {}{}",
                e.method,
                e.actions(),
                if e.conditional { " (conditional)" } else { "" }
            ),
            t.high,
        );
    }
    for g in b.deferred(&r.grants, "statements") {
        let actions = format!(
            "{}{}",
            if g.not_action {
                "everything except "
            } else {
                ""
            },
            g.actions.join(", ")
        );
        let resources = format!(
            "{}{}",
            if g.not_resource {
                "everything except "
            } else {
                ""
            },
            g.resources.join(", ")
        );
        b.text(2, format!("{}: {actions} on {resources}", g.at), t.text);
        if !g.conditions.is_empty() {
            b.text(6, format!("only when {}", g.conditions.join("; ")), t.muted);
        }
    }
    for u in &r.unreadable {
        b.text(2, format!("NOT ASSESSED: {u}"), t.error);
    }
}

fn role(app: &App, arn: &str, b: &mut B) -> String {
    let snap = &app.snapshot;
    let a = snap.assessment.as_ref().expect("assessed");
    let t = b.t;
    let name = short(arn).to_string();
    let Some(role) = snap.inventory.roles.iter().find(|r| r.arn == arn) else {
        b.text(
            0,
            "This role was not collected: what it may do is unknown (see the scan's IAM coverage).",
            t.error,
        );
        return format!("role {name}");
    };
    b.kv("arn", arn.to_string());
    b.kv(
        "created",
        role.created.clone().unwrap_or_else(|| "-".into()),
    );
    b.kv(
        "last used",
        role.last_used
            .as_ref()
            .and_then(|l| l.date.clone())
            .unwrap_or_else(|| "never".into()),
    );
    b.kv(
        "tags",
        if role.tags.is_empty() {
            "none".into()
        } else {
            role.tags
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        },
    );
    let report = a.roles.iter().find(|r| r.arn == arn);
    b.heading("Blast radius: functions that run as this role");
    let users: Vec<(usize, &crate::model::Function)> = snap
        .inventory
        .functions
        .iter()
        .enumerate()
        .filter(|(_, f)| f.role_arn == arn)
        .collect();
    if users.is_empty() {
        b.text(2, "none", t.muted);
    }
    for (i, f) in users {
        let score = a
            .functions
            .iter()
            .find(|r| r.arn == f.arn)
            .map_or(0, |r| r.score.total);
        b.link(
            2,
            &format!("{score:>3}  "),
            f.name.clone(),
            Screen::Function(i),
        );
    }
    b.heading("Trusted by");
    let trusted = report.map_or(&[][..], |r| b.deferred(&r.trusted, "trust policy"));
    for adm in trusted {
        b.text(
            2,
            format!("{} ({})", adm.principal.describe(), adm.at),
            t.text,
        );
    }
    b.heading("Privileges");
    if let Some(r) = report {
        privileges(r, b);
    }
    let findings: Vec<(usize, &Finding)> = a.findings_for(arn).collect();
    b.findings(&findings, &app.marks);
    format!("role {name}")
}

fn secret(app: &App, i: usize, b: &mut B) -> String {
    let snap = &app.snapshot;
    let a = snap.assessment.as_ref().expect("assessed");
    let s = &snap.inventory.secrets[i];
    let t = b.t;
    b.kv("arn", s.arn.clone());
    b.kv("region", s.region.clone());
    b.kv(
        "rotation",
        if s.rotation_enabled {
            format!("on, every {} days", s.rotation_every_days.unwrap_or(0))
        } else {
            "off".into()
        },
    );
    b.kv(
        "last rotated",
        s.last_rotated.clone().unwrap_or_else(|| "never".into()),
    );
    b.kv(
        "last read",
        s.last_accessed.clone().unwrap_or_else(|| "never".into()),
    );
    b.kv(
        "key",
        s.kms_key_id
            .clone()
            .unwrap_or_else(|| "aws/secretsmanager (AWS-managed)".into()),
    );
    b.kv(
        "tags",
        if s.tags.is_empty() {
            "none".into()
        } else {
            s.tags
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        },
    );
    let report = a.secrets.iter().find(|r| r.arn == s.arn);
    b.heading("Functions that can read it");
    if let Some(r) = report {
        if r.wildcard_readers > 0 {
            b.text(
                2,
                format!(
                    "{} functions whose roles may read every secret",
                    r.wildcard_readers
                ),
                t.high,
            );
        }
        for f in &r.readers {
            if let Some(i) = snap.inventory.functions.iter().position(|x| &x.arn == f) {
                b.link(
                    2,
                    "- ",
                    snap.inventory.functions[i].name.clone(),
                    Screen::Function(i),
                );
            }
        }
        if r.readers.is_empty() && r.wildcard_readers == 0 {
            b.text(2, "none", t.muted);
        }
        if !r.admitted.is_empty() {
            b.heading("Its resource policy admits");
            for p in &r.admitted {
                b.text(2, p.describe(), t.text);
            }
        }
    }
    let findings: Vec<(usize, &Finding)> = a.findings_for(&s.arn).collect();
    b.findings(&findings, &app.marks);
    format!("secret {}", s.name)
}

fn api(app: &App, arn: &str, b: &mut B) -> String {
    let snap = &app.snapshot;
    let a = snap.assessment.as_ref().expect("assessed");
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
                .and_then(|f| snap.inventory.functions.iter().position(|x| x.arn == f))
            {
                Some(i) => b.link(
                    2,
                    &format!("{label} -> "),
                    snap.inventory.functions[i].name.clone(),
                    Screen::Function(i),
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
        .filter(|(_, f)| f.resource == arn || f.resource.starts_with(&format!("{arn}/stages/")))
        .collect();
    b.findings(&findings, &app.marks);
    format!("api {name}")
}
