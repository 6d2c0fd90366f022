//! The user's configuration: this module only reads files (the config,
//! themes) and says where they are wrong. What a key binding means is the
//! dashboard's (`app::keymap`). The user's
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

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

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

/// One `[keys]` entry as written: an action's name and its keys, with
/// where each stands in the file, so the key map can say what is wrong
/// where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyBinding {
    pub action: String,
    pub keys: Vec<String>,
    /// "file:line:column" of the action's name.
    pub action_at: String,
    /// "file:line:column" of its keys.
    pub keys_at: String,
}

/// The user's configuration as read (the key map is built from it by
/// `app::keymap::Keymap::with_bindings`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub theme: Option<String>,
    pub keys: Vec<KeyBinding>,
    /// The file read, if any (themes named in it are looked up beside it).
    pub path: Option<PathBuf>,
}

/// "file:line:column" of a byte offset of a file.
fn place(path: &Path, text: &str, start: usize) -> String {
    let (line, column) = crate::model::parse::line_col(text, start);
    format!("{}:{line}:{column}", path.display())
}

impl Config {
    /// Parses a config file's text.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
        let keys = raw
            .keys
            .into_iter()
            .map(|(name, keys)| KeyBinding {
                action_at: place(path, text, name.span().start),
                keys_at: place(path, text, keys.span().start),
                action: name.into_inner(),
                keys: match keys.into_inner() {
                    KeyList::One(k) => vec![k],
                    KeyList::Many(ks) => ks,
                },
            })
            .collect();
        Ok(Config {
            theme: raw.theme,
            keys,
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

    #[test]
    fn errors_name_the_file_and_line() {
        let err = Config::parse(Path::new("c.toml"), "theme = \n").unwrap_err();
        assert!(err.0.starts_with("c.toml:1:"), "{err}");
        let err = Config::parse(Path::new("c.toml"), "colour = 1\n").unwrap_err();
        assert!(err.0.starts_with("c.toml:1:1:"), "{err}");
    }
}
