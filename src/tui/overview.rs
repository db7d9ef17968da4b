//! The overview: the sprawl at a glance, computed once per snapshot.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme::Theme;
use crate::assess::{Assessment, EntryPoint, Severity};
use crate::snapshot::Snapshot;
use crate::snapshot::digest::{Digest, count_desc};

pub struct TopFunction {
    pub arn: String,
    pub name: String,
    pub region: String,
    pub score: u8,
    pub partial: bool,
    pub worst: Option<Severity>,
    pub chain: String,
}

pub struct Overview {
    pub account: String,
    pub scanned: String,
    pub regions: Vec<(String, usize)>,
    /// Runtime, count, deprecated (or soon).
    pub runtimes: Vec<(String, usize, bool)>,
    pub owners: Vec<(String, usize)>,
    /// Finding rows by severity, as the findings list shows them.
    pub severities: Vec<(Severity, usize)>,
    /// Rows and findings, counted as every surface counts them.
    pub counts: crate::assess::FindingCounts,
    pub top: Vec<TopFunction>,
    pub public: Vec<String>,
    /// The functions anyone may inject events into, per trigger kind of the source.
    pub injectable: Vec<(String, usize)>,
    pub shared_roles: Vec<(String, usize)>,
    /// total, rotation off, overdue, unused, public or cross-account.
    pub secrets: [usize; 5],
    pub gaps: Vec<String>,
    pub not_assessed: usize,
    pub functions: usize,
    /// What the marks say: findings new since an older scan, muted, mutes expired.
    pub marks: Vec<String>,
    /// Code storage per region, most first: bytes, and published versions of unknown size.
    pub storage: Vec<(String, i64, usize)>,
    /// The functions with the most published versions: name, versions, bytes they keep.
    pub most_versions: Vec<(String, usize, i64)>,
    /// What the functions did: idle ones per owner, cost, the unwatched.
    pub activity: crate::snapshot::digest::ActivityDigest,
    /// The activity's lines that open something (the costliest function, each owner's idle
    /// ones): after the riskiest functions, the overview's cursor goes through them.
    pub links: Vec<OverviewLink>,
}

/// One line of the overview's activity that opens something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewLink {
    /// The line of [`activity_lines`] it is.
    pub line: usize,
    pub opens: Opens,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opens {
    /// A function, by ARN.
    Function(String),
    /// A `:` command: a list already filtered (`functions idle:yes team:payments`).
    Command(String),
}

/// Bytes as people read them: `3.4 GB`, `812 MB`, `47 KB`.
pub fn size(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    const MB: f64 = KB * 1024.0;
    let b = bytes.max(0) as f64;
    if b >= 1024.0 * MB {
        format!("{:.1} GB", b / (1024.0 * MB))
    } else if b >= MB {
        format!("{:.0} MB", b / MB)
    } else {
        format!("{:.0} KB", b / KB)
    }
}

impl Overview {
    /// The marks' lines: new since an older scan (`state:new` filters the findings to them),
    /// muted findings and expired mutes.
    pub fn mark_lines(marks: &super::marks::Marks) -> Vec<String> {
        let mut out = Vec::new();
        if let (Some(new), Some(since)) = (&marks.new, &marks.since) {
            out.push(format!(
                "{} findings new since {since} (state:new)",
                new.len()
            ));
        }
        if !marks.muting.is_empty() {
            let expired = marks.muting.expired().count();
            out.push(format!(
                "{} findings muted (state:muted){}",
                marks.muting.muted_count(),
                if expired > 0 {
                    format!(", {expired} mutes expired")
                } else {
                    String::new()
                }
            ));
        }
        out
    }

    pub fn build(s: &Snapshot, a: &Assessment) -> Overview {
        let inv = &s.inventory;
        let mut regions = BTreeMap::new();
        let mut storage: BTreeMap<String, (i64, usize)> = BTreeMap::new();
        let mut most_versions = Vec::new();
        for f in &inv.functions {
            let code = f.code_storage();
            let region = storage.entry(f.region.clone()).or_default();
            region.0 += code.bytes;
            region.1 += code.unknown;
            if !f.versions.is_empty() {
                most_versions.push((f.name.clone(), f.versions.len(), code.in_versions));
            }
            *regions.entry(f.region.clone()).or_insert(0) += 1;
        }
        let digest = Digest::of(s);
        // Low hygiene findings of one function count once, as the findings list shows them.
        let counts = a.counts();
        let severities = Severity::DESCENDING
            .iter()
            .zip(counts.rows)
            .map(|(s, n)| (*s, n))
            .collect();
        let top = a
            .functions
            .iter()
            .take(10)
            .map(|f| TopFunction {
                arn: f.arn.clone(),
                name: f.name.clone(),
                region: f.region.clone(),
                score: f.score.total,
                partial: f.score.partial,
                worst: Severity::DESCENDING
                    .iter()
                    .find(|s| f.findings.get(s).copied().unwrap_or(0) > 0)
                    .copied(),
                chain: f
                    .chain_line(true)
                    .unwrap_or_else(|_| "(chain unreadable in this snapshot)".to_string()),
            })
            .collect();
        let public = a
            .functions
            .iter()
            .flat_map(|f| {
                f.entry_points.iter().filter_map(move |e| {
                    let public = matches!(
                        e,
                        EntryPoint::FunctionUrl {
                            publicly_invocable: true,
                            ..
                        } | EntryPoint::RestMethod { open: true, .. }
                            | EntryPoint::HttpRoute { open: true, .. }
                            | EntryPoint::Source { anyone: true, .. }
                    );
                    public.then(|| format!("{} <- {}", f.name, e.describe()))
                })
            })
            .collect();
        let shared_roles = a
            .roles
            .iter()
            .filter(|r| r.functions.len() > 1)
            .map(|r| (r.name.clone(), r.functions.len()))
            .collect::<Vec<_>>();
        let mut shared_roles = shared_roles;
        shared_roles.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        let gaps = s
            .coverage
            .gaps()
            .map(|g| {
                format!(
                    "{} {} {}: {}",
                    g.service,
                    g.region,
                    g.operation,
                    g.failure
                        .as_ref()
                        .map_or("failed".to_string(), |f| f.kind.to_string())
                )
            })
            .collect();
        let mut storage: Vec<(String, i64, usize)> = storage
            .into_iter()
            .map(|(r, (bytes, unknown))| (r, bytes, unknown))
            .collect();
        storage.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        most_versions.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        most_versions.truncate(5);
        // The activity's lines open what they name: the idle line the idle functions (a list
        // filtered, whose TEAM column says whose), the cost line the costliest function.
        let mut links = Vec::new();
        let act = &digest.activity;
        if act.metrics_read > 0 {
            if act.idle_total() > 0 {
                links.push(OverviewLink {
                    line: 1,
                    opens: Opens::Command("functions idle:yes".into()),
                });
            }
            if let Some((name, _)) = act.top_cost.first()
                && let Some(f) = inv.functions.iter().find(|f| &f.name == name)
            {
                links.push(OverviewLink {
                    line: 2,
                    opens: Opens::Function(f.arn.clone()),
                });
            }
        }
        Overview {
            links,
            account: s.account.id.clone(),
            scanned: s.scanned_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            regions: count_desc(regions),
            runtimes: digest.runtimes,
            owners: digest.owners,
            severities,
            counts,
            top,
            public,
            shared_roles,
            secrets: digest.secrets,
            activity: digest.activity,
            injectable: digest.injectable,
            gaps,
            not_assessed: a.not_assessed.len(),
            functions: inv.functions.len(),
            marks: Vec::new(),
            storage,
            most_versions,
        }
    }
}

fn boxed<'a>(title: &str, t: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.border)
        .title(Span::styled(format!(" {title} "), t.title))
}

/// `label ████████ 12` rows scaled to the widest count.
fn bars<'a>(items: &[(String, usize, Style)], width: u16, t: &Theme) -> Vec<Line<'a>> {
    let max = items.iter().map(|(_, n, _)| *n).max().unwrap_or(1).max(1);
    let label_w = items
        .iter()
        .map(|(l, _, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(18);
    let bar_w = (width as usize).saturating_sub(label_w + 8).max(1);
    items
        .iter()
        .map(|(label, n, style)| {
            let len = (n * bar_w).div_ceil(max);
            let label: String = label.chars().take(label_w).collect();
            Line::from(vec![
                Span::styled(format!("{label:<label_w$} "), *style),
                Span::styled("█".repeat(len), t.bar),
                Span::styled(format!(" {n}"), t.muted),
            ])
        })
        .collect()
}

pub fn draw(o: &Overview, cursor: usize, f: &mut Frame, area: Rect, t: &Theme) {
    let compact = area.height < 30;
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints(if compact {
            vec![Constraint::Length(7), Constraint::Min(6)]
        } else {
            vec![
                Constraint::Length(8),
                Constraint::Length(9),
                Constraint::Min(8),
            ]
        })
        .split(area);

    // Row 1: risk distribution, regions, coverage.
    let top = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([
            Constraint::Percentage(34),
            Constraint::Percentage(33),
            Constraint::Percentage(33),
        ])
        .split(rows[0]);
    let sev: Vec<(String, usize, Style)> = o
        .severities
        .iter()
        .map(|(s, n)| (s.label().to_string(), *n, t.severity(*s)))
        .collect();
    f.render_widget(
        Paragraph::new(bars(&sev, top[0].width.saturating_sub(2), t)).block(boxed(
            &if o.counts.total_rows() == o.counts.total_findings() {
                "Findings by severity".to_string()
            } else {
                // Both counts where they fit; else what the bars count, never a cut number.
                let both = format!("Findings: {}", o.counts.totals());
                if both.chars().count() + 4 <= usize::from(top[0].width) {
                    both
                } else {
                    "Finding rows".to_string()
                }
            },
            t,
        )),
        top[0],
    );
    let regions: Vec<(String, usize, Style)> = o
        .regions
        .iter()
        .map(|(r, n)| (r.clone(), *n, t.text))
        .collect();
    f.render_widget(
        Paragraph::new(bars(&regions, top[1].width.saturating_sub(2), t))
            .block(boxed(&format!("{} functions by region", o.functions), t)),
        top[1],
    );
    let mut cov = vec![Line::from(vec![
        Span::styled("account ", t.muted),
        Span::styled(o.account.clone(), t.header),
    ])];
    cov.push(Line::from(vec![
        Span::styled("scanned ", t.muted),
        Span::styled(o.scanned.clone(), t.text),
    ]));
    for m in &o.marks {
        cov.push(Line::from(Span::styled(m.clone(), t.text)));
    }
    if o.gaps.is_empty() {
        cov.push(Line::from(Span::styled("coverage complete", t.ok)));
    } else {
        cov.push(Line::from(Span::styled(
            format!(
                "{} coverage gap(s), {} checks not assessed",
                o.gaps.len(),
                o.not_assessed
            ),
            t.error,
        )));
        for g in &o.gaps {
            cov.push(Line::from(Span::styled(g.clone(), t.muted)));
        }
    }
    // Wrapped: a narrow box shows the whole coverage line rather than cutting it off.
    f.render_widget(
        Paragraph::new(cov)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(boxed("Account and coverage", t)),
        top[2],
    );

    // Row 2 (tall terminals): runtimes, owners, secrets hygiene.
    if !compact {
        let mid = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([
                Constraint::Percentage(34),
                Constraint::Percentage(33),
                Constraint::Percentage(33),
            ])
            .split(rows[1]);
        let rts: Vec<(String, usize, Style)> = o
            .runtimes
            .iter()
            .take(7)
            .map(|(r, n, old)| {
                if *old {
                    (format!("{r} !"), *n, t.high)
                } else {
                    (r.clone(), *n, t.text)
                }
            })
            .collect();
        f.render_widget(
            Paragraph::new(bars(&rts, mid[0].width.saturating_sub(2), t))
                .block(boxed("Runtimes (! deprecated or soon)", t)),
            mid[0],
        );
        let owners: Vec<(String, usize, Style)> = o
            .owners
            .iter()
            .take(7)
            .map(|(r, n)| {
                (
                    r.clone(),
                    *n,
                    if r.starts_with('(') { t.medium } else { t.text },
                )
            })
            .collect();
        f.render_widget(
            Paragraph::new(bars(&owners, mid[1].width.saturating_sub(2), t))
                .block(boxed("Functions by owner tag", t)),
            mid[1],
        );
        let [total, off, overdue, unused, exposed] = o.secrets;
        let line = |label: &str, n: usize, bad: bool| {
            Line::from(vec![
                Span::styled(format!("{label:<26}"), t.muted),
                Span::styled(n.to_string(), if bad && n > 0 { t.high } else { t.text }),
            ])
        };
        let mut sl = vec![
            line("secrets", total, false),
            line("rotation off", off, true),
            line("rotation overdue (90 d)", overdue, true),
            line("unused (90 d)", unused, true),
            line("public or cross-account", exposed, true),
        ];
        sl.push(Line::from(Span::styled(
            format!("{} shared roles", o.shared_roles.len()),
            t.muted,
        )));
        f.render_widget(
            Paragraph::new(sl).block(boxed("Secrets hygiene", t)),
            mid[2],
        );
    }

    // Last row: the riskiest functions (selectable) beside public entry points and shared roles.
    let bottom = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(62), Constraint::Percentage(38)])
        .split(*rows.last().expect("rows"));
    let mut lines = Vec::new();
    for (i, top) in o.top.iter().enumerate() {
        let sel = i == cursor;
        let base = if sel { t.selection } else { t.text };
        let sev = top.worst.map_or(t.muted, |s| t.severity(s));
        lines.push(Line::from(vec![
            Span::styled(format!("{:>2}. ", i + 1), base),
            Span::styled(
                format!("{:>3}{} ", top.score, if top.partial { "+" } else { " " }),
                if sel { base } else { sev },
            ),
            Span::styled(format!("{} ", top.name), base.patch(t.header)),
            Span::styled(
                format!("({})", top.region),
                if sel { base } else { t.muted },
            ),
        ]));
        if !compact || sel {
            lines.push(Line::from(Span::styled(
                format!("       {}", top.chain),
                t.muted,
            )));
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("no functions", t.muted)));
    }
    let visible = bottom[0].height.saturating_sub(2) as usize;
    let per = if compact { 1 } else { 2 };
    let at = cursor.min(o.top.len().saturating_sub(1));
    let skip = (at * per).saturating_sub(visible.saturating_sub(per + 1));
    let inner = bottom[0].width.saturating_sub(2) as usize;
    let lines: Vec<Line> = lines
        .into_iter()
        .skip(skip)
        .map(|l| super::wrap::clip(&l, inner))
        .collect();
    f.render_widget(
        Paragraph::new(lines)
            .block(boxed("Riskiest functions (Enter to open)", t).border_style(t.border_focus)),
        bottom[0],
    );
    let mut side = activity_lines(&o.activity, o.functions, t);
    // The lines that open something: the cursor goes on to them after the riskiest functions.
    for (i, link) in o.links.iter().enumerate() {
        if cursor == o.top.len() + i
            && let Some(line) = side.get_mut(link.line)
        {
            *line = std::mem::take(line).style(t.selection);
        }
    }
    side.push(Line::default());
    side.push(Line::from(Span::styled(
        match injectable_line(&o.injectable) {
            Some(events) => format!("Public entry points ({}; {events})", o.public.len()),
            None => format!("Public entry points ({})", o.public.len()),
        },
        t.header,
    )));
    for p in o.public.iter().take(6) {
        side.push(Line::from(Span::styled(format!(" {p}"), t.high)));
    }
    side.push(Line::default());
    side.push(Line::from(Span::styled(
        format!("Shared roles ({})", o.shared_roles.len()),
        t.header,
    )));
    for (r, n) in o.shared_roles.iter().take(6) {
        side.push(Line::from(vec![
            Span::styled(format!(" {n:>3} "), t.medium),
            Span::styled(r.clone(), t.text),
        ]));
    }
    // Sprawl that costs headroom: old versions keep their packages against the quota.
    side.push(Line::default());
    side.push(Line::from(Span::styled(
        format!(
            "Code storage (of {} a region)",
            size(crate::model::CODE_STORAGE_QUOTA_BYTES)
        ),
        t.header,
    )));
    for (region, bytes, unknown) in o.storage.iter().take(4) {
        let share = *bytes as f64 * 100.0 / crate::model::CODE_STORAGE_QUOTA_BYTES as f64;
        let style = if share >= 80.0 { t.high } else { t.text };
        let unknown = if *unknown > 0 {
            format!(" (+{unknown} versions of unknown size)")
        } else {
            String::new()
        };
        side.push(Line::from(vec![
            Span::styled(
                format!(" {region:<15} {:>8} {share:>3.0}%", size(*bytes)),
                style,
            ),
            Span::styled(unknown, t.muted),
        ]));
    }
    if !o.most_versions.is_empty() {
        side.push(Line::from(Span::styled(
            "Most published versions",
            t.header,
        )));
        for (name, n, bytes) in o.most_versions.iter().take(3) {
            side.push(Line::from(vec![
                Span::styled(format!(" {n:>3} "), t.medium),
                Span::styled(format!("{name} ({})", size(*bytes)), t.text),
            ]));
        }
    }
    let inner = bottom[1].width.saturating_sub(2) as usize;
    let side: Vec<Line> = side.iter().map(|l| super::wrap::clip(l, inner)).collect();
    f.render_widget(
        Paragraph::new(side).block(boxed("Exposure and sharing", t)),
        bottom[1],
    );
}

/// `through events: s3 1, sns 1`: the functions anyone may inject events into, per trigger kind
/// of the source (`injectable:anyone` lists them), or nothing when no one may.
pub fn injectable_line(kinds: &[(String, usize)]) -> Option<String> {
    if kinds.is_empty() {
        return None;
    }
    let per: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    Some(format!("through events: {}", per.join(", ")))
}

/// What the functions did, for the overview and the organization's panel: idle functions (per
/// owner), the estimated cost and the costliest, the public ones nobody is alerted about, those
/// without a log group; without `--metrics`, how to collect the metrics.
pub fn activity_lines<'a>(
    a: &crate::snapshot::digest::ActivityDigest,
    functions: usize,
    t: &Theme,
) -> Vec<Line<'a>> {
    use crate::assess::cost::dollars;
    let mut out = vec![Line::from(Span::styled("Activity", t.header))];
    if a.metrics_read == 0 {
        out.push(Line::from(Span::styled(
            " metrics not collected: scan with --metrics (billed, about $0.07 per 1,000 functions)",
            t.muted,
        )));
    } else {
        let idle = a.idle_total();
        let per_owner: Vec<String> = a
            .idle
            .iter()
            .take(3)
            .map(|(o, n)| format!("{o} {n}"))
            .collect();
        out.push(Line::from(vec![
            Span::styled(
                format!(" {idle} idle of {} (idle:yes)", a.metrics_read),
                if idle > 0 { t.medium } else { t.text },
            ),
            Span::styled(
                if per_owner.is_empty() {
                    String::new()
                } else {
                    format!(": {}", per_owner.join(", "))
                },
                t.muted,
            ),
        ]));
        out.push(Line::from(vec![
            Span::styled(
                format!(
                    " about {} a month (estimate)",
                    dollars(a.cost_cents as f64 / 100.0)
                ),
                t.text,
            ),
            Span::styled(
                a.top_cost
                    .first()
                    .map(|(n, c)| format!("; most {n} {}", dollars(*c as f64 / 100.0)))
                    .unwrap_or_default(),
                t.muted,
            ),
        ]));
        let owners: Vec<String> = a
            .cost_by_owner
            .iter()
            .take(3)
            .map(|(o, c)| format!("{o} {}", dollars(*c as f64 / 100.0)))
            .collect();
        if !owners.is_empty() {
            out.push(Line::from(Span::styled(
                format!(" by owner: {}", owners.join(", ")),
                t.muted,
            )));
        }
    }
    let unwatched = if a.public_no_alarm > 0 {
        t.high
    } else {
        t.text
    };
    out.push(Line::from(vec![
        Span::styled(
            format!(" {} public with no alarm", a.public_no_alarm),
            unwatched,
        ),
        Span::styled(
            format!(", {} of {functions} with no log group", a.no_log_group),
            t.muted,
        ),
    ]));
    out
}

/// The organization at a glance, from its snapshot's header, computed once when it opens:
/// accounts, functions and findings summed; runtimes, owners and secrets hygiene summed; and the
/// riskiest functions across every account, each with its account.
pub struct OrgPanel {
    pub id: String,
    pub accounts: usize,
    pub not_scanned: usize,
    pub functions: usize,
    /// Rows and findings by severity, critical first, summed over the accounts.
    pub findings: crate::assess::FindingCounts,
    pub digest: Digest,
    /// The riskiest functions, most first, with their account's name (or id).
    pub top: Vec<(crate::snapshot::org::TopFunction, String)>,
    /// The edges between the accounts, counted (None: not looked for).
    pub paths: Option<crate::snapshot::org::PathCounts>,
    /// Roles whose path into another account ends at an administrator.
    pub paths_to_admin: usize,
}

impl OrgPanel {
    pub fn build(h: &crate::snapshot::org::Header) -> OrgPanel {
        let summaries: Vec<(
            &crate::snapshot::org::AccountEntry,
            &crate::snapshot::org::AccountSummary,
        )> = h
            .accounts
            .iter()
            .filter_map(|a| a.summary.as_ref().map(|s| (a, s)))
            .collect();
        let mut findings = crate::assess::FindingCounts::default();
        for (_, s) in &summaries {
            findings.add(&s.finding_counts());
        }
        let mut top: Vec<(crate::snapshot::org::TopFunction, String)> = summaries
            .iter()
            .flat_map(|(a, s)| {
                let who = a.info.name.clone().unwrap_or_else(|| a.info.id.clone());
                let id = a.info.id.clone();
                s.top.iter().map(move |f| {
                    // Each opens in its own account: its ARN, whatever file it came from.
                    let mut f = f.clone();
                    f.arn = f.arn_in(&id);
                    (f, who.clone())
                })
            })
            .collect();
        top.sort_by(|x, y| y.0.score.cmp(&x.0.score).then(x.0.name.cmp(&y.0.name)));
        OrgPanel {
            id: h
                .organization
                .id
                .clone()
                .unwrap_or_else(|| "(merged snapshots)".into()),
            accounts: h.accounts.len(),
            not_scanned: h.accounts.len() - summaries.len(),
            functions: summaries.iter().map(|(_, s)| s.functions).sum(),
            findings,
            digest: Digest::sum(summaries.iter().map(|(_, s)| &s.digest)),
            top,
            paths: h.paths,
            paths_to_admin: summaries.iter().map(|(_, s)| s.paths_to_admin).sum(),
        }
    }

    /// The organization's lines: the first (accounts, findings, paths), then the rest (runtimes
    /// and owners, secrets, activity), each wrapped to `inner` columns.
    fn summary(&self, t: &Theme, inner: usize) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
        let paths = match self.paths {
            _ if self.paths_to_admin > 0 => Span::styled(
                format!(
                    " · {} to admin (:paths)",
                    crate::model::counted(self.paths_to_admin, "role", "roles"),
                ),
                t.critical,
            ),
            Some(p) if p.not_assessed > 0 => Span::styled(
                format!(
                    " · paths across accounts: {} roles not assessed",
                    p.not_assessed
                ),
                t.error,
            ),
            Some(_) => Span::styled(" · no path to an administrator across accounts", t.muted),
            None => Span::raw(""),
        };
        let lines = vec![Line::from(vec![
            Span::styled(format!("{} ", self.id), t.header),
            Span::styled(
                format!(
                    "{} accounts · {} functions · {} critical, {} high · {}",
                    crate::assess::thousands(self.accounts),
                    crate::assess::thousands(self.functions),
                    crate::assess::thousands(self.findings.findings[0]),
                    crate::assess::thousands(self.findings.findings[1]),
                    self.findings.totals()
                ),
                t.text,
            ),
            Span::styled(
                if self.not_scanned > 0 {
                    format!(" · {} not scanned", self.not_scanned)
                } else {
                    String::new()
                },
                t.error,
            ),
            paths,
        ])];
        let first = super::wrap::wrap_all(&lines, inner, 2);
        let mut lines = Vec::new();
        let sum = &self.digest;
        let mut runtimes = vec![Span::styled("runtimes ", t.muted)];
        for (r, n, old) in sum.runtimes.iter().take(6) {
            let style = if *old { t.high } else { t.text };
            runtimes.push(Span::styled(
                format!("{r}{} {n}  ", if *old { " !" } else { "" }),
                style,
            ));
        }
        lines.push(Line::from(runtimes));
        let [secrets, off, overdue, unused, shared] = sum.secrets;
        let unowned = sum
            .owners
            .iter()
            .find(|(o, _)| o == "(no owner)")
            .map_or(0, |(_, n)| *n);
        lines.push(Line::from(vec![
            Span::styled("owners ", t.muted),
            Span::styled(
                format!(
                    "{} teams, {unowned} functions with no owner tag   ",
                    sum.owners.len() - usize::from(unowned > 0)
                ),
                t.text,
            ),
            Span::styled("secrets ", t.muted),
            Span::styled(
                format!(
                    "{secrets}: rotation off {off}, overdue {overdue}, unused {unused}, public or cross-account {shared}"
                ),
                t.text,
            ),
        ]));
        let act = &sum.activity;
        lines.push(Line::from(vec![
            Span::styled("activity ", t.muted),
            Span::styled(
                if act.metrics_read == 0 {
                    "metrics not collected (scan --metrics)   ".to_string()
                } else {
                    format!(
                        "{} idle, about {} a month (estimate)   ",
                        act.idle_total(),
                        crate::assess::cost::dollars(act.cost_cents as f64 / 100.0)
                    )
                },
                t.text,
            ),
            Span::styled(
                format!(
                    "{} public with no alarm, {} with no log group",
                    act.public_no_alarm, act.no_log_group
                ),
                if act.public_no_alarm > 0 {
                    t.high
                } else {
                    t.text
                },
            ),
        ]));
        if let Some(line) = injectable_line(&sum.injectable) {
            lines.push(Line::from(vec![
                Span::styled("anyone may inject ", t.muted),
                Span::styled(format!("{line} (injectable:anyone)"), t.high),
            ]));
        }
        (first, super::wrap::wrap_all(&lines, inner, 2))
    }

    /// How many rows the panel needs at `width` to show everything: its summary, the heading
    /// and every riskiest function, borders included.
    pub fn wanted_height(&self, width: u16, t: &Theme) -> u16 {
        let (first, rest) = self.summary(t, usize::from(width.saturating_sub(2)));
        (first.len() + rest.len() + 1 + self.top.len() + 2) as u16
    }

    /// The least it needs to be of use: its first lines, the heading and three riskiest
    /// functions, borders included.
    pub fn least_height(&self, width: u16, t: &Theme) -> u16 {
        let (first, _) = self.summary(t, usize::from(width.saturating_sub(2)));
        (first.len() + 1 + self.top.len().min(3) + 2) as u16
    }

    /// Draws the panel; `focus`: the riskiest functions list has the focus, its cursor there.
    pub fn draw(&self, f: &mut Frame, area: Rect, t: &Theme, focus: Option<usize>) {
        // The summary wraps; each function below stays one row, cut with an ellipsis. The
        // riskiest functions keep at least three rows: the other summary lines give way first.
        let inner = area.width.saturating_sub(2) as usize;
        let height = usize::from(area.height.saturating_sub(2));
        let (mut lines, rest) = self.summary(t, inner);
        let keep = self.top.len().min(3);
        let room = height.saturating_sub(lines.len() + 1 + keep);
        lines.extend(rest.into_iter().take(room));
        lines.push(Line::from(Span::styled(
            if focus.is_some() {
                "Riskiest functions · Enter opens · Tab: the accounts"
            } else {
                "Riskiest functions across the organization · Tab chooses"
            },
            t.title,
        )));
        let shown = height.saturating_sub(lines.len());
        // The cursor's row stays in view.
        let skip = focus.map_or(0, |c| (c + 1).saturating_sub(shown));
        for (i, (func, who)) in self.top.iter().enumerate().skip(skip).take(shown) {
            let mut line = super::wrap::clip(
                &Line::from(vec![
                    Span::styled(
                        format!(
                            " {:>3}{} ",
                            func.score,
                            if func.partial { "+" } else { " " }
                        ),
                        t.high,
                    ),
                    Span::styled(format!("{} ({who}, {}) ", func.name, func.region), t.text),
                    Span::styled(func.chain.clone(), t.muted),
                ]),
                inner,
            );
            if focus == Some(i) {
                line = line.style(t.selection);
            }
            lines.push(line);
        }
        f.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(t.border)
                    .title(Span::styled(" Organization ", t.title)),
            ),
            area,
        );
    }
}
