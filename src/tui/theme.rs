//! Themes: TOML presets of semantic roles (`themes/*.toml`, embedded at build time) that a user
//! file overlays, and `NO_COLOR`, under which every role keeps a modifier so selection, the
//! sorted column and severity stay visible without colour.

use std::path::Path;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::assess::Severity;

/// The presets, by name.
pub const PRESETS: [(&str, &str); 4] = [
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("ansi16", include_str!("../../themes/ansi16.toml")),
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ThemeError {
    #[error(
        "unknown theme {0:?} (presets: default, light, high-contrast, ansi16; or a path to a .toml file)"
    )]
    Unknown(String),
    #[error("{path}: {message}")]
    File { path: String, message: String },
}

/// A style as a theme file writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum StyleSpec {
    Colour(String),
    Full(FullStyle),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FullStyle {
    fg: Option<String>,
    bg: Option<String>,
    bold: Option<bool>,
    dim: Option<bool>,
    italic: Option<bool>,
    underlined: Option<bool>,
    reversed: Option<bool>,
}

macro_rules! roles {
    ($($role:ident),+ $(,)?) => {
        /// Every role, as a file may set it.
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct StyleSpecs {
            $($role: Option<StyleSpec>,)+
        }

        /// The styles the views use, by role.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Theme {
            pub name: String,
            $(pub $role: Style,)+
        }

        impl Theme {
            fn overlay(&mut self, specs: &StyleSpecs, path: &str) -> Result<(), ThemeError> {
                $(if let Some(spec) = &specs.$role {
                    self.$role = resolve(spec, stringify!($role), path)?;
                })+
                Ok(())
            }

            fn all_mut(&mut self) -> Vec<(&'static str, &mut Style)> {
                vec![$((stringify!($role), &mut self.$role),)+]
            }

            fn blank(name: &str) -> Theme {
                Theme { name: name.to_string(), $($role: Style::default(),)+ }
            }
        }
    };
}

roles!(
    text,
    muted,
    header,
    border,
    border_focus,
    title,
    selection,
    sort,
    critical,
    high,
    medium,
    low,
    info,
    ok,
    accent,
    bar,
    key,
    link,
    status,
    error,
);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    inherits: Option<String>,
    #[serde(default)]
    styles: StyleSpecs,
}

fn colour(s: &str, role: &str, field: &str, path: &str) -> Result<Color, ThemeError> {
    Color::from_str(s).map_err(|_| ThemeError::File {
        path: path.to_string(),
        message: format!("styles.{role}.{field}: unknown colour {s:?} (use \"#rrggbb\", a name such as \"red\", or 0-255)"),
    })
}

fn resolve(spec: &StyleSpec, role: &str, path: &str) -> Result<Style, ThemeError> {
    let full = match spec {
        StyleSpec::Colour(c) => FullStyle {
            fg: Some(c.clone()),
            ..FullStyle::default()
        },
        StyleSpec::Full(f) => f.clone(),
    };
    let mut style = Style::default();
    if let Some(fg) = &full.fg {
        style = style.fg(colour(fg, role, "fg", path)?);
    }
    if let Some(bg) = &full.bg {
        style = style.bg(colour(bg, role, "bg", path)?);
    }
    for (on, m) in [
        (full.bold, Modifier::BOLD),
        (full.dim, Modifier::DIM),
        (full.italic, Modifier::ITALIC),
        (full.underlined, Modifier::UNDERLINED),
        (full.reversed, Modifier::REVERSED),
    ] {
        if on == Some(true) {
            style = style.add_modifier(m);
        }
    }
    Ok(style)
}

fn parse(text: &str, path: &str) -> Result<ThemeFile, ThemeError> {
    toml::from_str(text).map_err(|e| ThemeError::File {
        path: path.to_string(),
        // toml's message names the key and the line; keep it to one line.
        message: e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    })
}

fn preset_text(name: &str) -> Option<&'static str> {
    PRESETS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

impl Theme {
    /// A preset by name.
    pub fn preset(name: &str) -> Result<Theme, ThemeError> {
        let text = preset_text(name).ok_or_else(|| ThemeError::Unknown(name.to_string()))?;
        let file = parse(text, &format!("themes/{name}.toml"))?;
        let mut theme = Theme::blank(name);
        theme.overlay(&file.styles, name)?;
        Ok(theme)
    }

    /// `--theme`: a preset name, or a file that overlays a preset (`inherits`, default
    /// `default`). `no_color` drops colours (see [`Theme::without_colour`]).
    pub fn load(choice: Option<&str>, no_color: bool) -> Result<Theme, ThemeError> {
        let theme = match choice {
            None => Theme::preset("default")?,
            Some(name) if preset_text(name).is_some() => Theme::preset(name)?,
            Some(path) if path.ends_with(".toml") || Path::new(path).exists() => {
                let text = std::fs::read_to_string(path).map_err(|e| ThemeError::File {
                    path: path.to_string(),
                    message: e.to_string(),
                })?;
                Theme::from_toml(&text, path)?
            }
            Some(other) => return Err(ThemeError::Unknown(other.to_string())),
        };
        Ok(if no_color {
            theme.without_colour()
        } else {
            theme
        })
    }

    /// A theme file's text (`path` only names it in errors).
    pub fn from_toml(text: &str, path: &str) -> Result<Theme, ThemeError> {
        let file = parse(text, path)?;
        let base = file.inherits.as_deref().unwrap_or("default");
        let mut theme = Theme::preset(base).map_err(|_| ThemeError::File {
            path: path.to_string(),
            message: format!("inherits: unknown preset {base:?}"),
        })?;
        theme.overlay(&file.styles, path)?;
        theme.name = file.name.unwrap_or_else(|| path.to_string());
        Ok(theme)
    }

    /// The theme with every colour removed; each role keeps (or gains) a modifier that carries
    /// its meaning: selection reversed, the sorted column bold and underlined, critical reversed,
    /// high bold, muted dim.
    pub fn without_colour(mut self) -> Theme {
        for (role, style) in self.all_mut() {
            let kept = style.add_modifier;
            let extra = match role {
                "selection" | "status" => Modifier::REVERSED,
                "sort" => Modifier::BOLD | Modifier::UNDERLINED,
                "critical" => Modifier::BOLD | Modifier::REVERSED,
                "high" | "header" | "title" | "key" | "error" => Modifier::BOLD,
                "link" => Modifier::UNDERLINED,
                "muted" | "info" | "border" => Modifier::DIM,
                _ => Modifier::empty(),
            };
            *style = Style::default().add_modifier(kept | extra);
        }
        self.name = format!("{} (no colour)", self.name);
        self
    }

    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }

    /// The next preset after this one (for the theme key).
    pub fn next_preset_name(&self) -> &'static str {
        let i = PRESETS
            .iter()
            .position(|(n, _)| self.name.starts_with(n))
            .unwrap_or(0);
        PRESETS[(i + 1) % PRESETS.len()].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_loads_and_sets_every_role() {
        for (name, _) in PRESETS {
            let t = Theme::preset(name).unwrap();
            assert_ne!(t.selection, Style::default(), "{name}");
            assert_ne!(t.critical, Style::default(), "{name}");
        }
    }

    #[test]
    fn a_user_file_overrides_part_of_a_preset() {
        let t = Theme::from_toml(
            "inherits = \"light\"\n[styles]\ncritical = { fg = \"#010203\", reversed = true }\nlow = \"blue\"\n",
            "mine.toml",
        )
        .unwrap();
        assert_eq!(t.critical.fg, Some(Color::Rgb(1, 2, 3)));
        assert!(t.critical.add_modifier.contains(Modifier::REVERSED));
        assert_eq!(t.low.fg, Some(Color::Blue));
        assert_eq!(t.selection, Theme::preset("light").unwrap().selection);
    }

    #[test]
    fn bad_files_name_the_key() {
        let err = Theme::from_toml("[styles]\ncritcal = \"red\"\n", "x.toml").unwrap_err();
        assert!(err.to_string().contains("critcal"), "{err}");
        let err =
            Theme::from_toml("[styles]\nhigh = { fg = \"reddish\" }\n", "x.toml").unwrap_err();
        assert!(
            err.to_string().contains("styles.high.fg") && err.to_string().contains("reddish"),
            "{err}"
        );
        let err =
            Theme::from_toml("[styles]\nhigh = { colour = \"red\" }\n", "x.toml").unwrap_err();
        assert!(err.to_string().starts_with("x.toml: "), "{err}");
        let err = Theme::from_toml("inherits = \"neon\"\n", "x.toml").unwrap_err();
        assert!(err.to_string().contains("neon"), "{err}");
        assert!(!err.to_string().contains('\n'));
        assert!(matches!(
            Theme::load(Some("nope"), false),
            Err(ThemeError::Unknown(_))
        ));
    }

    #[test]
    fn no_colour_keeps_meaning_in_modifiers() {
        let t = Theme::load(None, true).unwrap();
        for (_, s) in t.clone().all_mut() {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
        assert!(t.selection.add_modifier.contains(Modifier::REVERSED));
        assert!(t.sort.add_modifier.contains(Modifier::UNDERLINED));
        assert!(t.critical.add_modifier.contains(Modifier::BOLD));
    }
}
