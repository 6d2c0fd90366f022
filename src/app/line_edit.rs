//! The line-editing keys every text input of the dashboard shares (the
//! search popup, the Triage find and "as of" inputs, the History words):
//! typing, Backspace, Ctrl-U (clear), Ctrl-W (delete the last word), Enter
//! and Esc. One function, so no input lacks a key the others have.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Enter: the input is done.
    Submit,
    /// Esc: leave the input.
    Cancel,
    /// Not a line-editing key (arrows, Ctrl-C, …): the caller decides.
    Ignored,
}

pub fn edit(text: &mut String, key: &KeyEvent) -> Edit {
    let control = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if control => text.clear(),
        KeyCode::Char('w') if control => delete_word(text),
        KeyCode::Char(c) if !control && !c.is_control() => text.push(c),
        KeyCode::Backspace if control => delete_word(text),
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Enter => return Edit::Submit,
        KeyCode::Esc => return Edit::Cancel,
        _ => return Edit::Ignored,
    }
    Edit::Changed
}

/// Ctrl-W as shells do it: the spaces before the cursor, then the word.
fn delete_word(text: &mut String) {
    let kept = text.trim_end().len();
    text.truncate(kept);
    let start = text
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    text.truncate(start);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn typing_and_the_shell_keys() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let mut t = String::new();
        for c in "pods oomkilled  ".chars() {
            assert_eq!(edit(&mut t, &key(KeyCode::Char(c), none)), Edit::Changed);
        }
        assert_eq!(edit(&mut t, &key(KeyCode::Char('w'), ctrl)), Edit::Changed);
        assert_eq!(t, "pods ");
        edit(&mut t, &key(KeyCode::Char('w'), ctrl));
        assert_eq!(t, "");
        t.push_str("2026-05-01");
        edit(&mut t, &key(KeyCode::Backspace, none));
        assert_eq!(t, "2026-05-0");
        edit(&mut t, &key(KeyCode::Char('u'), ctrl));
        assert_eq!(t, "");
        assert_eq!(edit(&mut t, &key(KeyCode::Enter, none)), Edit::Submit);
        assert_eq!(edit(&mut t, &key(KeyCode::Esc, none)), Edit::Cancel);
        assert_eq!(edit(&mut t, &key(KeyCode::Char('c'), ctrl)), Edit::Ignored);
        assert_eq!(edit(&mut t, &key(KeyCode::Up, none)), Edit::Ignored);
        t.push_str("é à");
        edit(&mut t, &key(KeyCode::Char('w'), ctrl));
        assert_eq!(t, "é ");
    }
}
