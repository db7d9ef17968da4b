//! The keys: one table that both dispatches a key to its [`Action`] and writes the `?` help, so
//! the two cannot disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks of the explorer (in normal mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Move(isize),
    First,
    Last,
    Open,
    /// Back a screen, or clear the filter of a filtered list.
    Back,
    /// The n-th top-level screen (0: the overview, then the lists).
    Root(usize),
    Command,
    Filter,
    /// Sort by the next column; `true`: reverse the current sort.
    Sort(bool),
    Copy,
    Export,
    Rescan,
    NextTheme,
    Help,
    Quit,
    /// Between an organization's accounts and its riskiest functions.
    Focus,
}

/// A key: its code, and whether it needs Ctrl (a key without Ctrl matches with or without it).
#[derive(Debug, Clone, Copy)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
}

const fn key(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

/// One line of the help, and the keys it describes. A line with no keys documents a form of the
/// one above (`:theme NAME` after `:`).
pub struct Binding {
    pub keys: &'static str,
    pub what: Help,
    pub map: &'static [(Key, Action)],
}

/// A help line's text: fixed, or made from the screens there are (so a new list is in the help
/// without anyone editing it).
pub enum Help {
    Text(&'static str),
    /// "overview, functions, ..."
    RootNames,
    /// ":functions ... :overview"
    RootCommands,
}

/// Every key, in the order `?` lists them.
pub const KEYMAP: &[Binding] = &[
    Binding {
        keys: "j k ↓ ↑",
        what: Help::Text("move"),
        map: &[
            (key('j'), Action::Move(1)),
            (code(KeyCode::Down), Action::Move(1)),
            (key('k'), Action::Move(-1)),
            (code(KeyCode::Up), Action::Move(-1)),
        ],
    },
    Binding {
        keys: "g G Home End",
        what: Help::Text("first, last"),
        map: &[
            (key('g'), Action::First),
            (code(KeyCode::Home), Action::First),
            (key('G'), Action::Last),
            (code(KeyCode::End), Action::Last),
        ],
    },
    Binding {
        keys: "PgUp PgDn ^u ^d",
        what: Help::Text("page"),
        map: &[
            (code(KeyCode::PageDown), Action::Move(20)),
            (code(KeyCode::PageUp), Action::Move(-20)),
            (ctrl('d'), Action::Move(10)),
            (ctrl('u'), Action::Move(-10)),
        ],
    },
    Binding {
        keys: "Enter l →",
        what: Help::Text("open the selected function, role, API, secret or link"),
        map: &[
            (code(KeyCode::Enter), Action::Open),
            (key('l'), Action::Open),
            (code(KeyCode::Right), Action::Open),
        ],
    },
    Binding {
        keys: "Tab",
        what: Help::Text("organization: its accounts or its riskiest functions"),
        map: &[(code(KeyCode::Tab), Action::Focus)],
    },
    Binding {
        keys: "Esc h ← Backspace",
        what: Help::Text("back (or clear the filter)"),
        map: &[
            (code(KeyCode::Esc), Action::Back),
            (key('h'), Action::Back),
            (code(KeyCode::Left), Action::Back),
            (code(KeyCode::Backspace), Action::Back),
        ],
    },
    Binding {
        keys: "1-9",
        what: Help::RootNames,
        map: &[
            (key('1'), Action::Root(0)),
            (key('2'), Action::Root(1)),
            (key('3'), Action::Root(2)),
            (key('4'), Action::Root(3)),
            (key('5'), Action::Root(4)),
            (key('6'), Action::Root(5)),
            (key('7'), Action::Root(6)),
            (key('8'), Action::Root(7)),
            (key('9'), Action::Root(8)),
        ],
    },
    Binding {
        keys: ":name",
        what: Help::RootCommands,
        map: &[(key(':'), Action::Command)],
    },
    Binding {
        keys: ":functions QUERY",
        what: Help::Text("open a list already filtered"),
        map: &[],
    },
    Binding {
        keys: ":theme NAME",
        what: Help::Text("default, light, high-contrast, ansi16, or a file"),
        map: &[],
    },
    Binding {
        keys: "/",
        what: Help::Text("filter: words, runtime: severity>=high score>50 ..."),
        map: &[(key('/'), Action::Filter)],
    },
    Binding {
        keys: "s S",
        what: Help::Text("sort by the next column, reverse the sort"),
        map: &[
            (key('s'), Action::Sort(false)),
            (key('S'), Action::Sort(true)),
        ],
    },
    Binding {
        keys: "y",
        what: Help::Text("copy the selected ARN (OSC 52)"),
        map: &[(key('y'), Action::Copy)],
    },
    Binding {
        keys: "e",
        what: Help::Text("JSON export: the account; on its lists, the organization"),
        map: &[(key('e'), Action::Export)],
    },
    Binding {
        keys: "r",
        what: Help::Text("rescan (live scans)"),
        map: &[(key('r'), Action::Rescan)],
    },
    Binding {
        keys: "T",
        what: Help::Text("next theme"),
        map: &[(key('T'), Action::NextTheme)],
    },
    Binding {
        keys: "?",
        what: Help::Text("this help"),
        map: &[(key('?'), Action::Help)],
    },
    Binding {
        keys: "q ^c",
        what: Help::Text("quit"),
        map: &[(key('q'), Action::Quit), (ctrl('c'), Action::Quit)],
    },
];

/// The action of a key in normal mode, if it has one.
pub fn action(k: KeyEvent) -> Option<Action> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    KEYMAP
        .iter()
        .flat_map(|b| b.map.iter())
        .find(|(key, _)| key.code == k.code && (ctrl || !key.ctrl))
        .map(|(_, action)| *action)
}

/// The help's lines, `roots` being the top-level screens' names (the overview first).
pub fn help(roots: &[&str]) -> Vec<(String, String)> {
    KEYMAP
        .iter()
        .map(|b| match b.what {
            Help::Text(what) => (b.keys.to_string(), what.to_string()),
            Help::RootNames => (format!("1-{}", roots.len()), roots.join(", ")),
            Help::RootCommands => (
                b.keys.to_string(),
                roots[1..]
                    .iter()
                    .chain(&roots[..1])
                    .map(|r| format!(":{r}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> Option<Action> {
        action(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn keys_dispatch_as_the_help_says() {
        assert_eq!(
            press(KeyCode::Char('j'), KeyModifiers::NONE),
            Some(Action::Move(1))
        );
        assert_eq!(
            press(KeyCode::Char('d'), KeyModifiers::CONTROL),
            Some(Action::Move(10))
        );
        assert_eq!(
            press(KeyCode::Char('d'), KeyModifiers::NONE),
            None,
            "d alone is nothing"
        );
        assert_eq!(
            press(KeyCode::Char('G'), KeyModifiers::SHIFT),
            Some(Action::Last)
        );
        assert_eq!(
            press(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Action::Quit)
        );
        assert_eq!(
            press(KeyCode::Char('3'), KeyModifiers::NONE),
            Some(Action::Root(2))
        );
    }

    /// No key is bound twice, and every binding with keys has help text.
    #[test]
    fn every_key_once() {
        let mut seen = Vec::new();
        for b in KEYMAP {
            for (k, _) in b.map {
                assert!(
                    !seen.iter().any(|(c, ctrl)| *c == k.code && *ctrl == k.ctrl),
                    "{:?} bound twice",
                    k.code
                );
                seen.push((k.code, k.ctrl));
            }
        }
    }

    #[test]
    fn the_help_names_the_screens_there_are() {
        let roots = ["overview", "functions", "roles"];
        let lines = help(&roots);
        assert!(lines.contains(&("1-3".into(), "overview, functions, roles".into())));
        assert!(lines.contains(&(":name".into(), ":functions :roles :overview".into())));
    }
}
