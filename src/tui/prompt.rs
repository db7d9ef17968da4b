//! The `/` and `:` prompts' line: readline's keys (Ctrl-A, Ctrl-E, Ctrl-U, Ctrl-K, Ctrl-W, the
//! arrows, Home and End) and a history per prompt, recalled with Up and Down. A key with Control
//! or Alt held is an editing key or nothing: it is never typed as its letter.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A line being typed, and where the cursor is in it (a char index).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub cursor: usize,
}

/// What a key did to a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Only the cursor moved, or nothing happened.
    Moved,
    /// Up or Down: the caller recalls history (or moves the list).
    Up,
    Down,
    /// Not an editing key (Enter, Esc, ...): the caller decides.
    Other,
}

impl Line {
    pub fn new(text: &str) -> Line {
        Line {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    /// The byte offset of char index `i`.
    fn at(&self, i: usize) -> usize {
        self.text
            .char_indices()
            .nth(i)
            .map_or(self.text.len(), |(b, _)| b)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// The text before the cursor and from it, for drawing.
    pub fn split(&self) -> (&str, &str) {
        self.text.split_at(self.at(self.cursor))
    }

    /// Applies one key.
    pub fn key(&mut self, k: KeyEvent) -> Edit {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let alt = k.modifiers.contains(KeyModifiers::ALT);
        match k.code {
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.len(),
            KeyCode::Char('b') if ctrl => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Char('f') if ctrl => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Char('u') if ctrl => {
                let at = self.at(self.cursor);
                self.text.replace_range(..at, "");
                self.cursor = 0;
                return Edit::Changed;
            }
            KeyCode::Char('k') if ctrl => {
                let at = self.at(self.cursor);
                self.text.truncate(at);
                return Edit::Changed;
            }
            KeyCode::Char('w') if ctrl => {
                // The word before the cursor, and the spaces after it.
                let before: Vec<char> = self.text.chars().take(self.cursor).collect();
                let mut start = before.len();
                while start > 0 && before[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && before[start - 1] != ' ' {
                    start -= 1;
                }
                let (from, to) = (self.at(start), self.at(self.cursor));
                self.text.replace_range(from..to, "");
                self.cursor = start;
                return Edit::Changed;
            }
            KeyCode::Char('h') if ctrl => return self.backspace(),
            KeyCode::Char('p') if ctrl => return Edit::Up,
            KeyCode::Char('n') if ctrl => return Edit::Down,
            // Any other key with Control or Alt held is not a letter to type.
            KeyCode::Char(_) if ctrl || alt => {}
            KeyCode::Char(c) => {
                let at = self.at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                return Edit::Changed;
            }
            KeyCode::Backspace => return self.backspace(),
            KeyCode::Delete => {
                if self.cursor < self.len() {
                    let at = self.at(self.cursor);
                    self.text.remove(at);
                    return Edit::Changed;
                }
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.len(),
            KeyCode::Up => return Edit::Up,
            KeyCode::Down => return Edit::Down,
            _ => return Edit::Other,
        }
        Edit::Moved
    }

    fn backspace(&mut self) -> Edit {
        if self.cursor == 0 {
            return Edit::Moved;
        }
        self.cursor -= 1;
        let at = self.at(self.cursor);
        self.text.remove(at);
        Edit::Changed
    }
}

/// The lines entered at one prompt, oldest first, and where a recall is.
#[derive(Debug, Clone, Default)]
pub struct History {
    entries: Vec<String>,
    /// The entry shown (None: the line being typed), and that line, kept while recalling.
    at: Option<usize>,
    typed: String,
}

/// How many lines a prompt remembers.
const KEPT: usize = 100;

impl History {
    /// Remembers a line entered (not an empty one, nor the last again).
    pub fn push(&mut self, line: &str) {
        self.at = None;
        let line = line.trim();
        if line.is_empty() || self.entries.last().is_some_and(|l| l == line) {
            return;
        }
        self.entries.push(line.to_string());
        if self.entries.len() > KEPT {
            self.entries.remove(0);
        }
    }

    /// Starts over at the line being typed (a prompt opened).
    pub fn reset(&mut self) {
        self.at = None;
    }

    /// The line Up (`older`) or Down recalls in place of `current`, if any.
    pub fn recall(&mut self, current: &str, older: bool) -> Option<String> {
        let next = match (self.at, older) {
            (None, true) if !self.entries.is_empty() => {
                self.typed = current.to_string();
                Some(self.entries.len() - 1)
            }
            (Some(i), true) if i > 0 => Some(i - 1),
            (Some(i), false) if i + 1 < self.entries.len() => Some(i + 1),
            (Some(_), false) => {
                self.at = None;
                return Some(std::mem::take(&mut self.typed));
            }
            _ => return None,
        };
        self.at = next;
        next.map(|i| self.entries[i].clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(text: &str) -> Line {
        let mut l = Line::default();
        for c in text.chars() {
            l.key(k(KeyCode::Char(c)));
        }
        l
    }

    #[test]
    fn readline_keys_edit_and_are_never_typed() {
        let mut l = typed("runtime:python severity>=high");
        assert_eq!(l.key(ctrl('w')), Edit::Changed);
        assert_eq!(l.text, "runtime:python ");
        l.key(ctrl('w'));
        assert_eq!(l.text, "");
        let mut l = typed("team:payments region:eu");
        l.key(ctrl('a'));
        assert_eq!(l.cursor, 0);
        l.key(k(KeyCode::Char('x')));
        assert_eq!(l.text, "xteam:payments region:eu");
        l.key(ctrl('e'));
        assert_eq!(l.cursor, l.text.chars().count());
        for _ in 0..9 {
            l.key(k(KeyCode::Left));
        }
        l.key(ctrl('k'));
        assert_eq!(l.text, "xteam:payments ");
        l.key(k(KeyCode::Left));
        l.key(ctrl('u'));
        assert_eq!((l.text.as_str(), l.cursor), (" ", 0));
        // No control key is ever typed as its letter.
        let mut l = typed("ab");
        for c in 'a'..='z' {
            l.key(ctrl(c));
            l.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT));
        }
        assert!(
            !l.text.chars().any(|c| c.is_ascii_alphabetic() && c > 'b'),
            "{:?}",
            l.text
        );
        // Multi-byte text edits by character.
        let mut l = typed("é€x");
        l.key(k(KeyCode::Left));
        l.key(k(KeyCode::Backspace));
        assert_eq!(l.text, "éx");
        assert_eq!(l.split(), ("é", "x"));
    }

    #[test]
    fn history_recalls_older_then_newer_then_what_was_typed() {
        let mut h = History::default();
        assert_eq!(h.recall("", true), None);
        h.push("functions");
        h.push("roles");
        h.push("roles");
        h.push("  ");
        assert_eq!(h.recall("sec", true).as_deref(), Some("roles"));
        assert_eq!(h.recall("roles", true).as_deref(), Some("functions"));
        assert_eq!(h.recall("functions", true), None);
        assert_eq!(h.recall("functions", false).as_deref(), Some("roles"));
        assert_eq!(h.recall("roles", false).as_deref(), Some("sec"));
        assert_eq!(h.recall("sec", false), None);
    }
}
