//! The key map: one table, action -> keys, that the dispatcher, the help
//! popup and the status bar all read, so help never goes stale. Built
//! from the defaults and the `[keys]` bindings the user's config file
//! holds (`crate::config` reads that file; what a binding means is here).

use super::action::{Action, Context};
use crate::config::{ConfigError, KeyBinding};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;

/// A key as the key map knows it. Letters keep their case and drop Shift,
/// so `G` matches whatever modifiers the terminal reports with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn from_event(event: &KeyEvent) -> Key {
        Key {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Parses `q`, `G`, `?`, `ctrl-c`, `alt-x`, `shift-tab`, `enter`, `f1`, `pgdn`…
    pub fn parse(text: &str) -> Option<Key> {
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.len() > 1 && (lower.starts_with("ctrl-") || lower.starts_with("ctrl+")) {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.len() > 1 && (lower.starts_with("alt-") || lower.starts_with("alt+")) {
                alt = true;
                rest = &rest[4..];
            } else if rest.len() > 1 && (lower.starts_with("shift-") || lower.starts_with("shift+"))
            {
                shift = true;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if shift { c.to_ascii_uppercase() } else { c }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "backspace" => KeyCode::Backspace,
                "tab" if shift => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pagedown" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                f if f.starts_with('f') => {
                    KeyCode::F(f[1..].parse().ok().filter(|n| (1..=24).contains(n))?)
                }
                _ => return None,
            },
        };
        Some(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

fn default_keys(action: Action) -> &'static [&'static str] {
    match action {
        Action::Quit => &["q", "ctrl-c"],
        Action::Help => &["?"],
        Action::Findings => &["!"],
        Action::Reload => &["r"],
        Action::Now => &["n"],
        Action::NextTab => &["tab"],
        Action::PrevTab => &["shift-tab"],
        Action::Pillars => &["1"],
        Action::Layers => &["2"],
        Action::Teams => &["3"],
        Action::Components => &["4"],
        Action::History => &["5"],
        Action::Triage => &["6"],
        Action::Trends => &["7"],
        Action::TriageSubject => &["t"],
        Action::HistoryOf => &["h"],
        Action::CopyId => &["y"],
        Action::Edit => &["e"],
        Action::Search => &["/"],
        Action::HistoryKind => &["c"],
        Action::HistoryText => &["f"],
        Action::HistoryDates => &["d"],
        Action::HistoryClear => &["x"],
        Action::TriageFind => &["i"],
        Action::TriageAt => &["@"],
        Action::CopyPager => &["y"],
        Action::TrendsBy => &["m"],
        Action::TrendsFigure => &["f"],
        Action::TrendsBusiest => &["b"],
        Action::Open => &["enter"],
        Action::Back => &["esc", "backspace"],
        Action::Up => &["up", "k"],
        Action::Down => &["down", "j"],
        Action::Left => &["left"],
        Action::Right => &["right"],
        Action::PageUp => &["pgup", "ctrl-u"],
        Action::PageDown => &["pgdn", "ctrl-d"],
        Action::DetailUp => &["K"],
        Action::DetailDown => &["J"],
        Action::Top => &["g", "home"],
        Action::Bottom => &["G", "end"],
        Action::Filter => &["f"],
        Action::ByKind => &["v"],
        Action::NextMatrix => &["m"],
        Action::Sort => &["s"],
        Action::Reverse => &["S"],
        Action::FilterLayer => &["L"],
        Action::FilterPillar => &["P"],
        Action::FilterOwner => &["O"],
        Action::FilterTier => &["T"],
        Action::ClearFilters => &["x"],
    }
}

/// The key map: every action with its keys, in help order.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    pub bindings: Vec<(Action, Vec<Key>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = Action::ALL
            .iter()
            .map(|&a| {
                (
                    a,
                    default_keys(a)
                        .iter()
                        .filter_map(|k| Key::parse(k))
                        .collect(),
                )
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The action a key triggers in one of `contexts`, tried in order.
    /// Ctrl-C always quits, whatever the config says, so a user can never
    /// lock themselves in.
    pub fn action_for(&self, key: &KeyEvent, contexts: &[Context]) -> Option<Action> {
        let key = Key::from_event(key);
        if key.ctrl && key.code == KeyCode::Char('c') {
            return Some(Action::Quit);
        }
        contexts.iter().find_map(|ctx| {
            self.bindings
                .iter()
                .find(|(a, keys)| a.context() == *ctx && keys.contains(&key))
                .map(|(a, _)| *a)
        })
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        self.bindings
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, k)| k.as_slice())
            .unwrap_or(&[])
    }

    /// The first key of an action, as shown in the status bar ("" if unbound).
    pub fn first_key(&self, action: Action) -> String {
        self.keys(action)
            .first()
            .map(|k| k.to_string())
            .unwrap_or_default()
    }

    /// Rebinds an action; its new keys are taken from every other action,
    /// so one key never means two things.
    pub fn rebind(&mut self, action: Action, keys: Vec<Key>) {
        for (a, existing) in &mut self.bindings {
            if *a == action {
                existing.clone_from(&keys);
            } else {
                existing.retain(|k| !keys.contains(k));
            }
        }
    }
}

impl Keymap {
    /// The defaults with the user's bindings over them, in file order;
    /// the first that names no action or no key is the error.
    pub fn with_bindings(bindings: &[KeyBinding]) -> Result<Keymap, ConfigError> {
        let mut keymap = Keymap::default();
        for binding in bindings {
            let action = Action::from_name(&binding.action).ok_or_else(|| {
                ConfigError(format!(
                    "{}: `{}` is not an action; `demarc` lists them in its help (?) and docs/dashboard.md.",
                    binding.action_at, binding.action
                ))
            })?;
            let mut parsed = Vec::new();
            for k in &binding.keys {
                let key = Key::parse(k).ok_or_else(|| {
                    ConfigError(format!(
                        "{}: `{k}` is not a key (try `q`, `ctrl-r`, `f1`, `pgdn`).",
                        binding.keys_at
                    ))
                })?;
                parsed.push(key);
            }
            keymap.rebind(action, parsed);
        }
        Ok(keymap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::Path;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn keymap(path: &str, text: &str) -> Result<Keymap, ConfigError> {
        Keymap::with_bindings(&Config::parse(Path::new(path), text)?.keys)
    }

    #[test]
    fn parses_keys() {
        assert_eq!(Key::parse("ctrl-c").unwrap().to_string(), "Ctrl-c");
        assert_eq!(Key::parse("shift-tab").unwrap().code, KeyCode::BackTab);
        assert_eq!(Key::parse("G").unwrap().code, KeyCode::Char('G'));
        assert_eq!(Key::parse("f5").unwrap().code, KeyCode::F(5));
        assert_eq!(Key::parse("pgdn").unwrap().code, KeyCode::PageDown);
        assert!(Key::parse("f99").is_none());
        assert!(Key::parse("hyper-x").is_none());
    }

    #[test]
    fn shifted_letters_match_without_shift_in_the_table() {
        let map = Keymap::default();
        let g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(map.action_for(&g, &[Context::Move]), Some(Action::Bottom));
        let q = press(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(map.action_for(&q, &[Context::Global]), Some(Action::Help));
    }

    #[test]
    fn config_rebinds_by_name_and_frees_the_key() {
        let text = "theme = \"light\"\n[keys]\nreload = \"q\"\nquit = [\"ctrl-q\"]\n";
        let config = Config::parse(Path::new("c.toml"), text).unwrap();
        let keymap = Keymap::with_bindings(&config.keys).unwrap();
        assert_eq!(config.theme.as_deref(), Some("light"));
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            keymap.action_for(&q, &[Context::Global]),
            Some(Action::Reload)
        );
        let cq = press(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(
            keymap.action_for(&cq, &[Context::Global]),
            Some(Action::Quit)
        );
        // Ctrl-C is never lost.
        let cc = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(keymap.action_for(&cc, &[]), Some(Action::Quit));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let err = keymap("/x/c.toml", "theme = \"a\"\n[keys]\nfly = \"f\"\n").unwrap_err();
        assert!(
            err.0.starts_with("/x/c.toml:3:1: `fly` is not an action"),
            "{err}"
        );
        let err = keymap("c.toml", "[keys]\nquit = \"hyper-q\"\n").unwrap_err();
        assert!(
            err.0.starts_with("c.toml:2:8: `hyper-q` is not a key"),
            "{err}"
        );
    }
}
