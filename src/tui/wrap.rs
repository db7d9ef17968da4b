//! Long text on a narrow terminal: styled lines wrapped at spaces (continuation rows indented
//! under the text they continue), or cut with an ellipsis where a row must stay one row.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// The characters of a line, each with its style.
fn cells(line: &Line) -> Vec<(char, Style)> {
    line.spans
        .iter()
        .flat_map(|s| {
            let style = line.style.patch(s.style);
            s.content.chars().map(move |c| (c, style))
        })
        .collect()
}

/// A line made of styled characters, consecutive ones of one style in one span.
fn line_of(cells: &[(char, Style)]) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style = None;
    for &(c, s) in cells {
        if style.is_some_and(|st| st != s) {
            spans.push(Span::styled(
                std::mem::take(&mut text),
                style.unwrap_or_default(),
            ));
        }
        style = Some(s);
        text.push(c);
    }
    if !text.is_empty() {
        spans.push(Span::styled(text, style.unwrap_or_default()));
    }
    Line::from(spans)
}

/// `line` in rows of at most `width` cells: whole when it fits; else broken at the last space
/// that fits (mid-word only for a word longer than a row), each continuation indented by the
/// line's own indent plus `hang`.
pub fn wrap(line: &Line, width: usize, hang: usize) -> Vec<Line<'static>> {
    let cells = cells(line);
    if cells.len() <= width || width < 8 {
        return vec![line_of(&cells)];
    }
    let indent = cells.iter().take_while(|(c, _)| *c == ' ').count();
    // A continuation keeps at least half the row for text.
    let lead = (indent + hang).min(width / 2);
    let mut rows = Vec::new();
    let mut at = 0;
    let mut first = true;
    while at < cells.len() {
        let room = if first { width } else { width - lead };
        let rest = &cells[at..];
        if rest.len() <= room {
            rows.push(continued(rest, first, lead));
            break;
        }
        // The last space within the room (not in the indent), else a hard break.
        let floor = if first { indent + 1 } else { 1 };
        let cut = (floor..=room)
            .rev()
            .find(|&i| rest[i].0 == ' ')
            .unwrap_or(room);
        rows.push(continued(&rest[..cut], first, lead));
        at += cut;
        // The spaces at the break are not carried to the next row.
        while at < cells.len() && cells[at].0 == ' ' {
            at += 1;
        }
        first = false;
    }
    rows
}

fn continued(cells: &[(char, Style)], first: bool, lead: usize) -> Line<'static> {
    if first {
        return line_of(cells);
    }
    let pad = cells.first().map_or(Style::default(), |c| c.1);
    let mut row: Vec<(char, Style)> = std::iter::repeat_n((' ', pad), lead).collect();
    row.extend_from_slice(cells);
    line_of(&row)
}

/// `line` in one row of `width` cells, ending in an ellipsis (…) when it was longer.
pub fn clip(line: &Line, width: usize) -> Line<'static> {
    let mut cells = cells(line);
    if cells.len() > width {
        cells.truncate(width.saturating_sub(1));
        let style = cells.last().map_or(Style::default(), |c| c.1);
        if width > 0 {
            cells.push(('…', style));
        }
    }
    line_of(&cells)
}

/// Every line wrapped (see [`wrap`]).
pub fn wrap_all<'a>(
    lines: impl IntoIterator<Item = &'a Line<'a>>,
    width: usize,
    hang: usize,
) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .flat_map(|l| wrap(l, width, hang))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(l: &Line) -> String {
        l.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn wraps_at_spaces_under_its_indent_and_keeps_every_word() {
        let line = Line::from(vec![
            Span::raw("  4. "),
            Span::styled(
                "may assume staging-release-deployer (staging; trusts account dev)",
                Style::default().fg(ratatui::style::Color::Cyan),
            ),
        ]);
        let rows = wrap(&line, 30, 3);
        let shown: Vec<String> = rows.iter().map(text).collect();
        assert!(shown.iter().all(|r| r.chars().count() <= 30), "{shown:?}");
        assert!(
            shown[1].starts_with("     ") && !shown[1].starts_with("      "),
            "{shown:?}"
        );
        let words: Vec<&str> = shown.iter().flat_map(|r| r.split_whitespace()).collect();
        assert_eq!(
            words.join(" "),
            "4. may assume staging-release-deployer (staging; trusts account dev)"
        );
        // The style goes with the text.
        assert_eq!(
            rows[1].spans.last().unwrap().style.fg,
            Some(ratatui::style::Color::Cyan)
        );
        assert_eq!(wrap(&Line::from("short"), 30, 2).len(), 1);
    }

    #[test]
    fn a_word_longer_than_a_row_is_broken_and_clip_ends_in_an_ellipsis() {
        let arn = format!("  {}", "x".repeat(50));
        let rows = wrap(&Line::from(arn), 20, 0);
        assert!(rows.iter().all(|r| text(r).chars().count() <= 20));
        assert_eq!(rows.iter().map(|r| text(r).trim().len()).sum::<usize>(), 50);
        assert_eq!(text(&clip(&Line::from("abcdefghij"), 5)), "abcd…");
        assert_eq!(text(&clip(&Line::from("abc"), 5)), "abc");
    }
}
