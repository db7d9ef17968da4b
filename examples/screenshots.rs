//! Renders the explorer's main views on the demo account to SVG files, cell by cell from the
//! same `views::draw` the terminal uses (ratatui's TestBackend), for `scripts/screenshots` to
//! turn into the PNGs in `screenshots/`. Nothing is drawn by hand.
//!
//! `cargo run --example screenshots -- OUT_DIR`

use std::fmt::Write as _;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use sprawl::tui::app::App;
use sprawl::tui::theme::Theme;

const CELL_W: f64 = 9.0;
const CELL_H: f64 = 18.0;
const FONT: f64 = 15.0;
/// The terminal's own colours (what `Color::Reset` shows): dark, or light for the light theme.
const DARK: ((u8, u8, u8), (u8, u8, u8)) = ((0xd0, 0xd0, 0xd0), (0x1c, 0x1c, 0x1c));
const LIGHT: ((u8, u8, u8), (u8, u8, u8)) = ((0x1c, 0x1c, 0x1c), (0xfa, 0xfa, 0xf7));

fn ansi(i: u8) -> (u8, u8, u8) {
    const BASE: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 49, 49),
        (13, 188, 121),
        (229, 229, 16),
        (36, 114, 200),
        (188, 63, 188),
        (17, 168, 205),
        (229, 229, 229),
        (102, 102, 102),
        (241, 76, 76),
        (35, 209, 139),
        (245, 245, 67),
        (59, 142, 234),
        (214, 112, 214),
        (41, 184, 219),
        (255, 255, 255),
    ];
    match i {
        0..=15 => BASE[i as usize],
        16..=231 => {
            let i = i - 16;
            let v = |x: u8| if x == 0 { 0 } else { 55 + x * 40 };
            (v(i / 36), v((i / 6) % 6), v(i % 6))
        }
        _ => {
            let g = 8 + (i - 232) * 10;
            (g, g, g)
        }
    }
}

fn rgb(c: Color, default: (u8, u8, u8)) -> (u8, u8, u8) {
    match c {
        Color::Reset => default,
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) => ansi(i),
        Color::Black => ansi(0),
        Color::Red => ansi(1),
        Color::Green => ansi(2),
        Color::Yellow => ansi(3),
        Color::Blue => ansi(4),
        Color::Magenta => ansi(5),
        Color::Cyan => ansi(6),
        Color::Gray => ansi(7),
        Color::DarkGray => ansi(8),
        Color::LightRed => ansi(9),
        Color::LightGreen => ansi(10),
        Color::LightYellow => ansi(11),
        Color::LightBlue => ansi(12),
        Color::LightMagenta => ansi(13),
        Color::LightCyan => ansi(14),
        Color::White => ansi(15),
    }
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One SVG: a background rectangle per cell run, a text element per run of cells of one style.
fn svg(buf: &Buffer, (default_fg, default_bg): ((u8, u8, u8), (u8, u8, u8))) -> String {
    let (w, h) = (buf.area.width as usize, buf.area.height as usize);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" font-family="DejaVu Sans Mono, monospace" font-size="{FONT}">"#,
        (w as f64 * CELL_W) as u32,
        (h as f64 * CELL_H) as u32
    );
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" fill="{}"/>"#,
        hex(default_bg)
    );
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let cell = &buf[(x as u16, y as u16)];
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let (mut fg, mut bg) = (rgb(cell.fg, default_fg), rgb(cell.bg, default_bg));
            if reversed {
                std::mem::swap(&mut fg, &mut bg);
            }
            let mut end = x + 1;
            let mut text = cell.symbol().to_string();
            while end < w {
                let next = &buf[(end as u16, y as u16)];
                if next.fg != cell.fg || next.bg != cell.bg || next.modifier != cell.modifier {
                    break;
                }
                text.push_str(next.symbol());
                end += 1;
            }
            let (px, py) = (x as f64 * CELL_W, y as f64 * CELL_H);
            let len = (end - x) as f64 * CELL_W;
            if bg != default_bg {
                let _ = writeln!(
                    out,
                    r#"<rect x="{px}" y="{py}" width="{len}" height="{CELL_H}" fill="{}"/>"#,
                    hex(bg)
                );
            }
            if !text.trim().is_empty() {
                let weight = if cell.modifier.contains(Modifier::BOLD) {
                    r#" font-weight="bold""#
                } else {
                    ""
                };
                let deco = if cell.modifier.contains(Modifier::UNDERLINED) {
                    r#" text-decoration="underline""#
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    r#"<text x="{px}" y="{}" fill="{}"{weight}{deco} xml:space="preserve" textLength="{len}" lengthAdjust="spacingAndGlyphs">{}</text>"#,
                    py + CELL_H * 0.78,
                    hex(fg),
                    escape(&text)
                );
            }
            x = end;
        }
    }
    out.push_str("</svg>\n");
    out
}

fn key(app: &mut App, code: KeyCode) {
    app.handle(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// A screenshot: its file name, its theme, whether it is of the demo organization (else of its
/// dev account, the demo account), and the keys that lead to its view.
type Shot = (&'static str, &'static str, bool, fn(&mut App));

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "screenshots".into());
    std::fs::create_dir_all(&out).unwrap();
    let shots: [Shot; 10] = [
        ("organization", "default", true, |_| {}),
        ("organization-functions", "default", true, |a| {
            keys(a, ":functions risk>=high");
            key(a, KeyCode::Enter);
        }),
        ("paths", "default", true, |a| {
            keys(a, ":paths");
            key(a, KeyCode::Enter);
        }),
        ("cross-account-chain", "default", true, |a| {
            keys(a, ":functions name:growth-signup-hook");
            key(a, KeyCode::Enter);
            key(a, KeyCode::Enter);
        }),
        ("overview", "default", false, |_| {}),
        ("function", "default", false, |a| key(a, KeyCode::Enter)),
        ("role", "default", false, |a| {
            key(a, KeyCode::Enter);
            let line = a
                .detail
                .lines
                .iter()
                .position(|l| matches!(l.link, Some(sprawl::tui::app::Screen::Role(_))))
                .unwrap_or(0);
            for _ in 0..line {
                key(a, KeyCode::Char('j'));
            }
            key(a, KeyCode::Enter);
        }),
        ("functions-filtered", "default", false, |a| {
            key(a, KeyCode::Char('2'));
            key(a, KeyCode::Char('/'));
            keys(a, "team:payments runtime:python");
            key(a, KeyCode::Enter);
        }),
        ("findings", "default", false, |a| key(a, KeyCode::Char('6'))),
        ("overview-light", "light", false, |_| {}),
    ];
    for (name, theme, org, actions) in shots {
        let theme_of = Theme::preset(theme).unwrap();
        let mut app = if org {
            App::organization(
                sprawl::demo::org::snapshot().unwrap(),
                theme_of,
                "demo organization",
                Default::default(),
            )
            .unwrap()
        } else {
            App::new(sprawl::demo::snapshot(), theme_of, "demo account")
        };
        actions(&mut app);
        let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
        term.draw(|f| sprawl::tui::views::draw(&app, f)).unwrap();
        let path = format!("{out}/{name}.svg");
        let palette = if theme == "light" { LIGHT } else { DARK };
        std::fs::write(&path, svg(term.backend().buffer(), palette)).unwrap();
        println!("{path}");
    }
}
