//! The user's configuration and the key map.
//!
//! The key map is one table, action -> keys, that the dispatcher, the help
//! popup and the status bar all read, so help never goes stale. The user's
//! config (`$DEMARC_CONFIG`, else `$XDG_CONFIG_HOME/demarc/config.toml`, else
//! `~/.config/demarc/config.toml`) names a theme and rebinds actions by name;
//! what it leaves out keeps its default.
//!
//! ```toml
//! theme = "light"
//! [keys]
//! quit = ["q", "ctrl-q"]
//! help = "f1"
//! ```

use crate::app::action::{Action, Context};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

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
        Action::Search => &["/"],
        Action::HistoryKind => &["c"],
        Action::HistoryText => &["f"],
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

/// A configuration or theme file that cannot be used: names the file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The error for a TOML file that does not parse, with its line.
pub fn toml_error(path: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
    let at = match error.span() {
        Some(span) => {
            let (line, column) = crate::model::parse::line_col(text, span.start);
            format!("{}:{line}:{column}", path.display())
        }
        None => path.display().to_string(),
    };
    let message = error.message().trim_end_matches('\n').replace('\n', " ");
    ConfigError(format!("{at}: {message}"))
}

/// An error at a spanned value of a file.
pub fn error_at(path: &Path, text: &str, start: usize, message: impl fmt::Display) -> ConfigError {
    let (line, column) = crate::model::parse::line_col(text, start);
    ConfigError(format!("{}:{line}:{column}: {message}", path.display()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    theme: Option<String>,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<KeyList>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

/// The user's configuration, merged over the defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub theme: Option<String>,
    pub keymap: Keymap,
    /// The file read, if any (themes named in it are looked up beside it).
    pub path: Option<PathBuf>,
}

impl Config {
    /// Parses a config file's text over the defaults.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
        let mut keymap = Keymap::default();
        for (name, keys) in raw.keys {
            let action = Action::from_name(name.get_ref()).ok_or_else(|| {
                error_at(
                    path,
                    text,
                    name.span().start,
                    format!("`{}` is not an action; `demarc` lists them in its help (?) and docs/dashboard.md.", name.get_ref()),
                )
            })?;
            let list = match keys.get_ref() {
                KeyList::One(k) => vec![k.clone()],
                KeyList::Many(ks) => ks.clone(),
            };
            let mut parsed = Vec::new();
            for k in &list {
                let key = Key::parse(k).ok_or_else(|| {
                    error_at(
                        path,
                        text,
                        keys.span().start,
                        format!("`{k}` is not a key (try `q`, `ctrl-r`, `f1`, `pgdn`)."),
                    )
                })?;
                parsed.push(key);
            }
            keymap.rebind(action, parsed);
        }
        Ok(Config {
            theme: raw.theme,
            keymap,
            path: Some(path.to_path_buf()),
        })
    }

    /// Reads the user's config, if there is one. A missing default file is
    /// no error; a missing `$DEMARC_CONFIG` is.
    pub fn load() -> Result<Config, ConfigError> {
        let (path, explicit) = match std::env::var_os("DEMARC_CONFIG").filter(|v| !v.is_empty()) {
            Some(p) => (PathBuf::from(p), true),
            None => match config_dir() {
                Some(dir) => (dir.join("config.toml"), false),
                None => return Ok(Config::default()),
            },
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                Ok(Config::default())
            }
            Err(e) => Err(ConfigError(format!(
                "Cannot read the config file {}: {e}.",
                path.display()
            ))),
        }
    }
}

/// `$XDG_CONFIG_HOME/demarc`, else `~/.config/demarc`.
pub fn config_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty());
    match xdg {
        Some(x) => Some(PathBuf::from(x).join("demarc")),
        None => std::env::var_os("HOME")
            .filter(|v| !v.is_empty())
            .map(|h| PathBuf::from(h).join(".config").join("demarc")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
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
        assert_eq!(config.theme.as_deref(), Some("light"));
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            config.keymap.action_for(&q, &[Context::Global]),
            Some(Action::Reload)
        );
        let cq = press(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(
            config.keymap.action_for(&cq, &[Context::Global]),
            Some(Action::Quit)
        );
        // Ctrl-C is never lost.
        let cc = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(config.keymap.action_for(&cc, &[]), Some(Action::Quit));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let err = Config::parse(
            Path::new("/x/c.toml"),
            "theme = \"a\"\n[keys]\nfly = \"f\"\n",
        )
        .unwrap_err();
        assert!(
            err.0.starts_with("/x/c.toml:3:1: `fly` is not an action"),
            "{err}"
        );
        let err = Config::parse(Path::new("c.toml"), "[keys]\nquit = \"hyper-q\"\n").unwrap_err();
        assert!(
            err.0.starts_with("c.toml:2:8: `hyper-q` is not a key"),
            "{err}"
        );
        let err = Config::parse(Path::new("c.toml"), "theme = \n").unwrap_err();
        assert!(err.0.starts_with("c.toml:1:"), "{err}");
        let err = Config::parse(Path::new("c.toml"), "colour = 1\n").unwrap_err();
        assert!(err.0.starts_with("c.toml:1:1:"), "{err}");
    }
}
